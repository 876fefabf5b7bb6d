#include <cli/commands.hpp>
#include <plugins/catalog.hpp>

#include <iostream>

namespace extcomm::host {

int list_plugins(const std::string& folder) {
    PluginCatalog catalog = load_plugins(folder);
    for (const auto& p : catalog.plugins) {
        std::cout << p->id << "  " << p->version << "  vendor=" << p->vendor << "  channel=" << p->channels_text()
                  << "  interface=" << p->interface_version << "  " << p->capabilities_text() << "  ("
                  << p->file.filename().string() << ")\n";
    }
    for (const auto& r : catalog.refused) std::cout << "refused " << r.file.string() << ": " << r.reason << "\n";
    if (catalog.plugins.empty() && catalog.refused.empty()) std::cout << "no plugins in " << folder << "\n";
    return 0;
}

} // namespace extcomm::host
