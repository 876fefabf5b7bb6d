#include <agency/settings_store.hpp>
#include <api/settings_api.hpp>
#include <cli/commands.hpp>
#include <config/config.hpp>
#include <runtime/transport_set.hpp>

#include <iostream>

namespace extcomm::host {

int check_config(const std::string& config_file) {
    ConfigResult loaded = load_config(config_file);
    std::vector<Problem> problems = loaded.problems;
    if (loaded.config) {
        PluginCatalog catalog = load_plugins(loaded.config->plugin_dir);
        for (const auto& r : catalog.refused)
            std::cerr << "note: plugin " << r.file.filename().string() << " refused: " << r.reason << "\n";
        auto found = check_transports(*loaded.config, catalog);
        problems.insert(problems.end(), found.begin(), found.end());
        // As serve refuses to start: error-notice digests are emails.
        const std::string& notices = loaded.config->error_notices.transport;
        if (const TransportConfig* t = loaded.config->transport(notices))
            if (auto plugin = catalog.find(t->plugin); plugin && !plugin->carries(Channel::email))
                problems.push_back({"error_notices.transport", "'" + notices + "' does not carry email"});
        // The `agency` seed as a first start would store it, with the checks serve makes: the channels
        // each transport carries (from its plugin; that every transport starts is checked above).
        TransportChannels channels;
        for (const auto& t : loaded.config->transports)
            if (auto plugin = catalog.find(t.plugin))
                for (Channel c : {Channel::email, Channel::sms})
                    if (plugin->carries(c)) channels[t.name].insert(c);
        const agency::SettingsCheck check = settings_check(*loaded.config, std::move(channels));
        const auto& agency = loaded.config->agency;
        const boost::json::value seed = agency.is_null() ? boost::json::value(boost::json::object{}) : agency;
        if (auto error = agency::SettingsStore::check_seed(seed, check))
            problems.push_back({error->field, error->reason});
    }
    for (const auto& w : loaded.warnings) std::cerr << "warning: " << w.text() << "\n";
    for (const auto& p : problems) std::cout << p.text() << "\n";
    if (!problems.empty()) return 1;
    std::cout << "ok\n";
    return 0;
}

} // namespace extcomm::host
