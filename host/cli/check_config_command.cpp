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
    }
    for (const auto& p : problems) std::cout << p.text() << "\n";
    if (!problems.empty()) return 1;
    std::cout << "ok\n";
    return 0;
}

} // namespace extcomm::host
