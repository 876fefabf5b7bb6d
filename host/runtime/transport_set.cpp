#include <runtime/transport_set.hpp>

namespace extcomm::host {
namespace {

std::vector<Problem> check_one(const TransportConfig& t, const PluginCatalog& catalog) {
    auto plugin = catalog.find(t.plugin);
    if (!plugin)
        return {{path_join(t.path, "plugin"), "no plugin with id '" + t.plugin + "' was loaded (loaded: " + catalog.ids() + ")"}};
    return check_against_schema(plugin->settings_schema, t.settings, path_join(t.path, "settings"));
}

} // namespace

std::shared_ptr<PluginTransport> TransportSet::find(const std::string& name) const {
    for (const auto& t : transports)
        if (t->name() == name) return t;
    return nullptr;
}

std::shared_ptr<PluginTransport> TransportSet::default_for(Channel channel, const std::string& preferred) const {
    if (auto t = preferred.empty() ? nullptr : find(preferred); t && t->plugin().carries(channel)) return t;
    for (const auto& t : transports)
        if (t->plugin().carries(channel)) return t;
    return nullptr;
}

std::vector<Problem> check_transports(const Config& config, const PluginCatalog& catalog) {
    std::vector<Problem> problems;
    for (const auto& t : config.transports) {
        if (!t.enabled) continue;
        auto found = check_one(t, catalog);
        // What the plugin itself refuses (a line break in a sender name, say) serve would refuse too.
        if (found.empty())
            if (std::string refused = PluginTransport::check(t, catalog.find(t.plugin)); !refused.empty())
                found.push_back({"", refused});
        problems.insert(problems.end(), found.begin(), found.end());
    }
    return problems;
}

TransportSet create_transports(const Config& config, const PluginCatalog& catalog, HttpEngine* engine,
                               const std::string& only) {
    TransportSet set;
    for (const auto& t : config.transports) {
        if (!t.enabled || (!only.empty() && t.name != only)) continue;
        auto problems = check_one(t, catalog);
        if (!problems.empty()) {
            set.problems.insert(set.problems.end(), problems.begin(), problems.end());
            continue;
        }
        auto created = PluginTransport::create(t, catalog.find(t.plugin), engine);
        if (!created.transport) {
            set.problems.push_back({"", created.error});
            continue;
        }
        set.transports.push_back(std::move(created.transport));
    }
    return set;
}

} // namespace extcomm::host
