#pragma once
// The plugin folder, loaded: every transport plugin that negotiated an interface version and described
// itself properly, and for every other shared object the reason it was refused. Code is loaded only from
// trusted files (owned by root or the service user, writable by nobody else: plugin-api R13), and an id
// claimed by two files loads neither.
#include <extcomm/transport.h>
#include <outbox/message.hpp>

#include <boost/dll/shared_library.hpp>
#include <boost/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace extcomm::host {

struct Plugin {
    std::filesystem::path file;
    boost::dll::shared_library library; // never unloaded while the process lives (OBS, PostgreSQL)
    uint32_t interface_version = 0;
    extcomm_transport_api api{};         // the plugin's table, copied up to its struct_size, zero-filled
    std::string id, name, vendor, version, description;
    uint32_t channels = 0;
    uint32_t send_mode = 0;
    extcomm_capabilities capabilities{};
    boost::json::value settings_schema;

    bool carries(Channel channel) const; // the rest of the host asks this, never the ABI's bits
    std::string channels_text() const;
    std::string capabilities_text() const;
};

struct Refusal {
    std::filesystem::path file;
    std::string reason;
};

struct PluginCatalog {
    std::vector<std::shared_ptr<const Plugin>> plugins;
    std::vector<Refusal> refused;

    std::shared_ptr<const Plugin> find(const std::string& id) const;
    std::string ids() const; // "file, smtp" for messages
};

// Loads every trusted *.so in `folder`, in file name order.
PluginCatalog load_plugins(const std::filesystem::path& folder);

} // namespace extcomm::host
