#include <plugins/catalog.hpp>

#include <config/schema_check.hpp>

#include <boost/dll/shared_library_load_mode.hpp>

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <regex>

namespace extcomm::host {
namespace {

// Copies a plugin-owned struct into a zero-filled host struct, no further than either knows [R3]: a field
// the plugin's struct_size does not cover reads as zero (an optional entry is then absent). A size that
// ends inside a field (never the sizeof of any header's struct) is cut back to the field boundary below it,
// so a half-copied pointer can never be called.
template <class T>
T copy_sized(const T* from) {
    T to{};
    if (!from) return to;
    std::size_t n = std::min<std::size_t>(from->struct_size, sizeof(T));
    if (n != sizeof(T)) n -= n % alignof(T);
    std::memcpy(&to, from, n);
    to.struct_size = static_cast<uint32_t>(n);
    return to;
}

std::string text(const char* s) { return s ? s : ""; }

// Boost.DLL reports every failed dlopen as "Bad file descriptor" and clears dlerror(); ask the dynamic
// loader once more for its own words ("invalid ELF header", "libfoo.so: cannot open shared object file").
std::string load_failure_reason(const std::filesystem::path& file, const std::string& fallback) {
    void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle) { // loads now (the file changed in between): keep Boost's answer
        ::dlclose(handle);
        return fallback;
    }
    const char* why = ::dlerror();
    return why ? why : fallback;
}

// Why a descriptor cannot be used, or empty if it can [R4, R5, R7]. `caps` is the plugin's capabilities,
// already copied up to their struct_size.
std::string descriptor_problem(const Plugin& p, const extcomm_descriptor& d, const extcomm_capabilities& caps) {
    static const std::regex id_form("^[a-z0-9][a-z0-9-]{0,62}$");
    if (!d.id || !std::regex_match(d.id, id_form)) return "bad descriptor: id must match [a-z0-9][a-z0-9-]*";
    if (!d.name || !*d.name) return "bad descriptor: name is empty";
    if (!d.version || !*d.version) return "bad descriptor: version is empty";
    if ((d.channels & (EXTCOMM_CHANNEL_EMAIL | EXTCOMM_CHANNEL_SMS)) == 0) return "bad descriptor: no channel (email or sms)";
    if (!p.api.create || !p.api.destroy) return "bad descriptor: create and destroy are required";
    if (d.send_mode == EXTCOMM_SEND_SESSION) {
        if (!p.api.send) return "bad descriptor: a session transport must provide send";
    } else if (d.send_mode == EXTCOMM_SEND_HTTP_CODEC) {
        if (!p.api.encode || !p.api.decode) return "bad descriptor: an HTTP-codec transport must provide encode and decode";
    } else {
        return "bad descriptor: unknown send mode " + std::to_string(d.send_mode);
    }
    if (caps.max_batch_size == 0) return "bad descriptor: capabilities.max_batch_size must be >= 1";
    if (!d.settings_schema) return "bad descriptor: no settings schema";
    std::error_code ec;
    auto schema = boost::json::parse(d.settings_schema, ec);
    if (ec || !schema.is_object()) return "bad descriptor: the settings schema is not a JSON object";
    const auto& root = schema.as_object();
    const auto* type = root.if_contains("type");
    const auto* additional = root.if_contains("additionalProperties");
    if (!type || !type->is_string() || type->as_string() != "object")
        return "bad descriptor: the settings schema must describe an object (\"type\": \"object\")";
    if (!additional || !additional->is_bool() || additional->as_bool())
        return "bad descriptor: the settings schema must reject unknown keys (\"additionalProperties\": false)";
    try {
        // Compile it once now, so a schema the validator cannot use is the plugin's problem at load time
        // and not an exception while checking a configuration.
        (void)check_against_schema(schema, boost::json::object{});
    } catch (const std::exception& e) {
        return std::string("bad descriptor: the settings schema is not a usable JSON Schema: ") + e.what();
    }
    return {};
}

} // namespace

bool Plugin::carries(Channel channel) const {
    switch (channel) {
    case Channel::email: return (channels & EXTCOMM_CHANNEL_EMAIL) != 0;
    case Channel::sms: return (channels & EXTCOMM_CHANNEL_SMS) != 0;
    }
    return false;
}

std::string Plugin::channels_text() const {
    std::string out;
    if (channels & EXTCOMM_CHANNEL_EMAIL) out += "email";
    if (channels & EXTCOMM_CHANNEL_SMS) out += out.empty() ? "sms" : "+sms";
    return out;
}

std::string Plugin::capabilities_text() const {
    std::string out = "batch=" + std::to_string(capabilities.max_batch_size);
    if (capabilities.max_body_length) out += " max_length=" + std::to_string(capabilities.max_body_length);
    const std::pair<uint32_t, const char*> flags[] = {{EXTCOMM_CAP_UNICODE, "unicode"},
                                                      {EXTCOMM_CAP_DELIVERY_RECEIPTS, "receipts"},
                                                      {EXTCOMM_CAP_IDEMPOTENCY_KEY, "idempotency"},
                                                      {EXTCOMM_CAP_REPLIES, "replies"},
                                                      {EXTCOMM_CAP_HTML, "html"}};
    for (auto [bit, name] : flags)
        if (capabilities.flags & bit) out += std::string(" ") + name;
    out += send_mode == EXTCOMM_SEND_SESSION ? " mode=session" : " mode=http-codec";
    return out;
}

std::shared_ptr<const Plugin> PluginCatalog::find(const std::string& id) const {
    for (const auto& p : plugins)
        if (p->id == id) return p;
    return nullptr;
}

std::string PluginCatalog::ids() const {
    std::string out;
    for (const auto& p : plugins) out += (out.empty() ? "" : ", ") + p->id;
    return out.empty() ? "none" : out;
}

namespace {

// Why the host must not run code from `path`, or empty [R13]: anyone who can replace it could run code
// as the service, which holds every transport's credentials.
std::string untrusted_reason(const std::filesystem::path& path, const char* what) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::string("cannot inspect the ") + what + ": " + std::strerror(errno);
    const uid_t service = ::geteuid();
    if (st.st_uid != 0 && st.st_uid != service)
        return std::string("untrusted ") + what + ": owned by uid " + std::to_string(st.st_uid) +
               ", not by root or the service user (uid " + std::to_string(service) + ")";
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return std::string("untrusted ") + what + ": writable by " + ((st.st_mode & S_IWOTH) ? "others" : "its group") +
               " (mode " + mode + ")";
    }
    return {};
}

// Negotiates with one library and reads its descriptor: the plugin, or why it is refused.
std::shared_ptr<Plugin> load_one(const std::filesystem::path& file, std::string& refusal) {
    auto plugin = std::make_shared<Plugin>();
    plugin->file = file;
    boost::dll::fs::error_code load_error;
    // RTLD_LOCAL: two plugins may bundle different versions of the same library.
    plugin->library.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, load_error);
    if (load_error) {
        refusal = "load failure: " + load_failure_reason(file, load_error.message());
        return nullptr;
    }
    if (!plugin->library.has(EXTCOMM_ENTRY_SYMBOL)) {
        refusal = std::string("not a plugin: no ") + EXTCOMM_ENTRY_SYMBOL + " symbol";
        return nullptr;
    }
    auto& entry = plugin->library.get<int32_t(extcomm_negotiation*)>(EXTCOMM_ENTRY_SYMBOL);
    extcomm_negotiation negotiation{};
    negotiation.struct_size = sizeof negotiation;
    negotiation.host_min_version = EXTCOMM_INTERFACE_VERSION_MIN;
    negotiation.host_max_version = EXTCOMM_INTERFACE_VERSION;
    int32_t rc = EXTCOMM_ERR_INTERNAL;
    try {
        rc = entry(&negotiation);
    } catch (...) {
        rc = EXTCOMM_ERR_INTERNAL;
    }
    if (rc != EXTCOMM_OK || negotiation.chosen_version < EXTCOMM_INTERFACE_VERSION_MIN ||
        negotiation.chosen_version > EXTCOMM_INTERFACE_VERSION) {
        refusal = "interface version not supported: host speaks " + std::to_string(EXTCOMM_INTERFACE_VERSION_MIN) + ".." +
                  std::to_string(EXTCOMM_INTERFACE_VERSION) +
                  (rc == EXTCOMM_OK ? ", plugin chose " + std::to_string(negotiation.chosen_version) : ", plugin accepted none");
        return nullptr;
    }
    if (!negotiation.api) {
        refusal = "bad descriptor: negotiation returned no function table";
        return nullptr;
    }
    plugin->interface_version = negotiation.chosen_version;
    plugin->api = copy_sized(negotiation.api);
    if (!plugin->api.descriptor) {
        refusal = "bad descriptor: none";
        return nullptr;
    }
    extcomm_descriptor d = copy_sized(plugin->api.descriptor);
    extcomm_capabilities caps = copy_sized(d.capabilities);
    refusal = descriptor_problem(*plugin, d, caps);
    if (!refusal.empty()) return nullptr;
    plugin->id = d.id;
    plugin->name = d.name;
    plugin->vendor = text(d.vendor);
    plugin->version = d.version;
    plugin->description = text(d.description);
    plugin->channels = d.channels;
    plugin->send_mode = d.send_mode;
    plugin->capabilities = caps;
    plugin->settings_schema = boost::json::parse(d.settings_schema);
    return plugin;
}

// Two files claiming one id are both refused [R5]: neither file name nor load order may decide which of
// them is handed a transport's credentials.
void refuse_duplicates(PluginCatalog& catalog) {
    std::map<std::string, std::vector<std::string>> files_of;
    for (const auto& p : catalog.plugins) files_of[p->id].push_back(p->file.filename().string());
    std::vector<std::shared_ptr<const Plugin>> kept;
    for (auto& p : catalog.plugins) {
        const auto& files = files_of[p->id];
        if (files.size() == 1) {
            kept.push_back(std::move(p));
            continue;
        }
        std::string others;
        for (const auto& f : files)
            if (f != p->file.filename().string()) others += (others.empty() ? "" : ", ") + f;
        catalog.refused.push_back({p->file, "duplicate id '" + p->id + "': also claimed by " + others + " (neither is loaded)"});
    }
    catalog.plugins = std::move(kept);
}

} // namespace

PluginCatalog load_plugins(const std::filesystem::path& folder) {
    PluginCatalog catalog;
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".so") files.push_back(entry.path());
    if (ec) {
        catalog.refused.push_back({folder, "cannot read plugin folder: " + ec.message()});
        return catalog;
    }
    if (std::string why = untrusted_reason(folder, "plugin folder"); !why.empty()) {
        catalog.refused.push_back({folder, why + "; no plugin is loaded from it"});
        return catalog;
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        std::string refusal = untrusted_reason(file, "file");
        auto plugin = refusal.empty() ? load_one(file, refusal) : nullptr;
        if (plugin)
            catalog.plugins.push_back(std::move(plugin));
        else
            catalog.refused.push_back({file, refusal});
    }
    refuse_duplicates(catalog);
    return catalog;
}

} // namespace extcomm::host
