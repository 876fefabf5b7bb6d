// extcomm: the External Communications host.
#include <cli/commands.hpp>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

int main(int argc, char** argv) {
    CLI::App app{"extcomm: email and SMS for workers and clients, through transport plugins"};
    app.require_subcommand(1);

    std::string dir, config, transport, to, subject, body;

    auto* plugins = app.add_subcommand("plugins", "List the transport plugins in a folder, and those refused");
    plugins->add_option("--dir", dir, "Plugin folder")->required();

    auto* check = app.add_subcommand("check-config", "Validate a configuration and each enabled transport's settings");
    check->add_option("--config", config, "Configuration file")->required();

    auto* send = app.add_subcommand("send", "Send one message now through one configured transport (a test send)");
    send->add_option("--config", config, "Configuration file")->required();
    send->add_option("--transport", transport, "Transport name from the configuration")->required();
    send->add_option("--to", to, "Recipient: E.164 number or email address")->required();
    send->add_option("--subject", subject, "Subject (email)");
    send->add_option("--body", body, "Message text")->required();

    auto* serve = app.add_subcommand("serve", "Run the service until SIGINT or SIGTERM");
    serve->add_option("--config", config, "Configuration file")->required();

    CLI11_PARSE(app, argc, argv);
    spdlog::set_default_logger(spdlog::stderr_color_mt("extcomm"));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");

    using namespace extcomm::host;
    if (plugins->parsed()) return list_plugins(dir);
    if (check->parsed()) return check_config(config);
    if (send->parsed()) return send_one(config, transport, to, subject, body);
    return extcomm::host::serve(config);
}
