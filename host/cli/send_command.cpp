#include <cli/commands.hpp>
#include <config/config.hpp>
#include <http/http_engine.hpp>
#include <runtime/transport_set.hpp>

#include <Poco/UUIDGenerator.h>

#include <iostream>

namespace extcomm::host {

int send_one(const std::string& config_file, const std::string& transport_name, const std::string& to,
             const std::string& subject, const std::string& body) {
    ConfigResult loaded = load_config(config_file);
    for (const auto& p : loaded.problems) std::cerr << p.text() << "\n";
    if (!loaded.config) return 2;
    const Config& config = *loaded.config;
    const TransportConfig* configured = config.transport(transport_name);
    if (!configured) {
        std::cerr << "--transport: no transport named '" << transport_name << "' in " << config_file << "\n";
        return 2;
    }
    PluginCatalog catalog = load_plugins(config.plugin_dir);
    HttpEngine engine;
    TransportSet set = create_transports(config, catalog, &engine, transport_name);
    for (const auto& p : set.problems) std::cerr << p.text() << "\n";
    auto transport = set.find(transport_name);
    if (!transport) {
        if (set.problems.empty()) std::cerr << "--transport: '" << transport_name << "' is disabled\n";
        return 2;
    }

    OutboundMessage message;
    message.id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    message.idempotency_key = message.id;
    message.channel = transport->plugin().carries(Channel::email) && to.find('@') != std::string::npos
                          ? Channel::email
                          : Channel::sms;
    message.transport = transport_name;
    message.to = to;
    message.subject = subject;
    message.body = body;
    message.metadata_json = R"({"kind":"test"})";
    message.attempts = 1;
    DeliveryResult result = transport->deliver({message}).front();
    if (result.outcome == Outcome::accepted) {
        std::cout << "accepted " << result.provider_message_id << "\n";
        return 0;
    }
    std::cout << to_string(result.outcome) << " " << result.provider_code << ": " << result.provider_text << "\n";
    return 1;
}

} // namespace extcomm::host
