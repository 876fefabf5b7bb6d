#pragma once
// From configuration to working transports: each enabled transport's plugin is found, its settings are
// checked against the plugin's schema, and (unless only checking) an instance is created. A transport
// that fails any step is left out with its reason; the others work.
#include <config/config.hpp>
#include <plugins/catalog.hpp>
#include <plugins/plugin_transport.hpp>

#include <memory>
#include <string>
#include <vector>

namespace extcomm::host {

struct TransportSet {
    std::vector<std::shared_ptr<PluginTransport>> transports;
    std::vector<Problem> problems;

    std::shared_ptr<PluginTransport> find(const std::string& name) const;
    // Where a message of `channel` goes when it names no transport: `preferred` (the agency's transport
    // for the channel) when it is one of these and carries the channel, else the first that carries it.
    std::shared_ptr<PluginTransport> default_for(Channel channel, const std::string& preferred = {}) const;
};

// Problems with the enabled transports' plugins and settings: the schema's, then the plugin's own (each
// plugin makes an instance and destroys it, as at start; no HTTP client is made).
std::vector<Problem> check_transports(const Config& config, const PluginCatalog& catalog);

// Checks and creates the enabled transports (all of them, or only `only` when given).
TransportSet create_transports(const Config& config, const PluginCatalog& catalog, HttpEngine* engine,
                               const std::string& only = {});

} // namespace extcomm::host
