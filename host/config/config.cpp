#include <common/enum_names.hpp>
#include <common/strict_json.hpp>
#include <config/config.hpp>
#include <rendering/message_kind.hpp>
#include <outbox/recipient.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace extcomm::host {

namespace json = boost::json;

// Generated from config/extcomm.schema.json by CMake.
extern const char* const kConfigSchemaText;

const json::value& config_schema() {
    static const json::value schema = json::parse(kConfigSchemaText);
    return schema;
}

long Config::max_age_seconds(const std::string& transport_name, const std::string& kind) const {
    if (const TransportConfig* t = transport(transport_name))
        if (auto it = t->delivery.kinds.find(kind); it != t->delivery.kinds.end() && it->second.max_age_seconds > 0)
            return it->second.max_age_seconds;
    return delivery.max_age_seconds;
}

const TransportConfig* Config::transport(const std::string& name) const {
    for (const auto& t : transports)
        if (t.name == name) return &t;
    return nullptr;
}

namespace {

bool is_variable_name(std::string_view name) {
    auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
    return !name.empty() && letter(name.front()) &&
           std::all_of(name.begin(), name.end(), [&](char c) { return letter(c) || (c >= '0' && c <= '9'); });
}

// Replaces ${VAR} in every string value, recording a problem for each variable that is not set; a `${`
// not followed by a name and `}` stays as written. A scan, not std::regex: its matcher recurses per
// character and overflowed the stack on a `${` followed by a long text.
void substitute(json::value& v, const std::string& path, std::vector<Problem>& problems) {
    if (v.is_string()) {
        const std::string_view in = v.as_string();
        std::string out;
        std::size_t last = 0, from = 0;
        bool changed = false;
        for (;;) {
            const std::size_t open = in.find("${", from);
            const std::size_t close = open == std::string_view::npos ? open : in.find('}', open + 2);
            if (close == std::string_view::npos) break;
            const std::string name(in.substr(open + 2, close - open - 2));
            from = open + 2;
            if (!is_variable_name(name)) continue;
            out.append(in.substr(last, open - last));
            if (const char* value = std::getenv(name.c_str())) out += value;
            else problems.push_back({path, "environment variable " + name + " is not set"});
            last = from = close + 1;
            changed = true;
        }
        if (changed) v = json::string(out.append(in.substr(last)));
    } else if (v.is_object()) {
        for (auto& [key, child] : v.as_object()) substitute(child, path_join(path, std::string(key)), problems);
    } else if (v.is_array()) {
        auto& arr = v.as_array();
        for (std::size_t i = 0; i < arr.size(); ++i) substitute(arr[i], path_index(path, i), problems);
    }
}

template <class T>
T get_or(const json::object& o, const char* key, T fallback) {
    auto* v = o.if_contains(key);
    if (!v) return fallback;
    if constexpr (std::is_same_v<T, std::string>) return std::string(v->as_string());
    else if constexpr (std::is_same_v<T, bool>) return v->as_bool();
    else return static_cast<T>(v->as_int64());
}

// The sections of a configuration the schema has already checked: each reads its values, and adds the
// problems only the service can see (a name used twice, an address it cannot send to).
void read_store_and_http(const json::object& root, Config& c, std::vector<Problem>& problems) {
    const auto& store = root.at("store").as_object();
    c.store.driver = get_or<std::string>(store, "driver", "sqlite");
    c.store.path = get_or<std::string>(store, "path", "");
    c.store.connection = get_or<std::string>(store, "connection", "");
    if (c.store.driver == "sqlite" && c.store.path.empty()) problems.push_back({"store.path", "is required for sqlite"});
    if (c.store.driver == "postgresql" && c.store.connection.empty())
        problems.push_back({"store.connection", "is required for postgresql"});
    if (auto* http = root.if_contains("http")) {
        const auto& h = http->as_object();
        c.listen = get_or<std::string>(h, "listen", c.listen);
        c.port = get_or<int>(h, "port", c.port);
        c.public_url = get_or<std::string>(h, "public_url", "");
    }
}

void read_api_tokens(const json::object& root, Config& c, ConfigResult& result) {
    std::vector<Problem>& problems = result.problems;
    auto* tokens = root.if_contains("api_tokens");
    if (!tokens) return;
    std::set<std::string> token_names;
    const auto& list = tokens->as_array();
    for (std::size_t i = 0; i < list.size(); ++i) {
        ApiToken t{"", "token-" + std::to_string(i + 1), Role::admin, false};
        if (list[i].is_object()) {
            const auto& o = list[i].as_object();
            t.secret = std::string(o.at("token").as_string());
            t.name = std::string(o.at("name").as_string());
            if (auto* role = o.if_contains("role")) {
                t.role = role_from(role->as_string()).value_or(Role::viewer); // the schema allows only the names
                t.role_given = true;
            }
        } else {
            t.secret = std::string(list[i].as_string());
        }
        if (!token_names.insert(t.name).second)
            problems.push_back({path_join(path_index("api_tokens", i), "name"), "'" + t.name + "' names another token too"});
        if (!t.role_given)
            result.warnings.push_back({path_index("api_tokens", i), "'" + t.name +
                                       "' has no role, so it is admin for this release; give it a role "
                                       "(admin, integration, viewer): {\"name\", \"token\", \"role\"}"});
        c.api_tokens.push_back(std::move(t));
    }
}

// The listener's deadlines and caps; `threads` (a thread per connection's pool) no longer applies.
void read_http_server(const json::object& root, Config& c, ConfigResult& result) {
    auto* http = root.if_contains("http");
    if (!http) return;
    const auto& h = http->as_object();
    HttpServerLimits& l = c.http_server;
    auto ms = [&](const char* key, std::chrono::milliseconds fallback) {
        return std::chrono::milliseconds(get_or<long>(h, key, fallback.count()));
    };
    l.header_timeout = ms("header_timeout_ms", l.header_timeout);
    l.body_timeout = ms("body_timeout_ms", l.body_timeout);
    l.idle_timeout = ms("idle_timeout_ms", l.idle_timeout);
    l.max_header_bytes = get_or<std::uint32_t>(h, "max_header_bytes", l.max_header_bytes);
    l.max_connections = get_or<unsigned>(h, "max_connections", l.max_connections);
    l.handler_threads = get_or<unsigned>(h, "handler_threads", l.handler_threads);
    l.handler_queue = get_or<unsigned>(h, "handler_queue", l.handler_queue);
    c.max_webhook_receipts = get_or<std::size_t>(h, "max_webhook_receipts", c.max_webhook_receipts);
    if (h.contains("threads"))
        result.warnings.push_back({"http.threads", "no longer applies (connections no longer take a thread each): it is "
                                                   "ignored for this release and refused after; remove it (see "
                                                   "http.handler_threads)"});
}

void read_delivery_and_events(const json::object& root, Config& c) {
    if (auto* d = root.if_contains("delivery")) {
        const auto& o = d->as_object();
        c.delivery.max_attempts = get_or<int>(o, "max_attempts", c.delivery.max_attempts);
        c.delivery.max_age_seconds = get_or<long>(o, "max_age_seconds", c.delivery.max_age_seconds);
        c.delivery.lease_seconds = get_or<long>(o, "lease_seconds", c.delivery.lease_seconds);
        c.delivery.poll_interval_ms = get_or<long>(o, "poll_interval_ms", c.delivery.poll_interval_ms);
        c.delivery.retry_base_ms = get_or<long>(o, "retry_base_ms", c.delivery.retry_base_ms);
        c.delivery.retry_max_ms = get_or<long>(o, "retry_max_ms", c.delivery.retry_max_ms);
    }
    if (auto* ev = root.if_contains("events")) {
        const auto& o = ev->as_object();
        c.events.tick_ms = get_or<long>(o, "tick_ms", c.events.tick_ms);
        c.events.batch = get_or<int>(o, "batch", c.events.batch);
        c.events.catch_up_hours = get_or<int>(o, "catch_up_hours", c.events.catch_up_hours);
    }
    if (auto* r = root.if_contains("retention_days")) {
        static constexpr std::pair<const char*, int RetentionDays::*> kKinds[] = {
            {"messages", &RetentionDays::messages},
            {"receipts", &RetentionDays::receipts},
            {"trigger_firings", &RetentionDays::trigger_firings},
            {"audit", &RetentionDays::audit}};
        for (auto [key, days] : kKinds) c.retention_days.*days = get_or<int>(r->as_object(), key, c.retention_days.*days);
    }
}

TransportConfig read_transport(const json::array& transports, std::size_t i) {
    const auto& o = transports[i].as_object();
    TransportConfig t;
    t.path = path_index("transports", i);
    t.name = std::string(o.at("name").as_string());
    t.plugin = std::string(o.at("plugin").as_string());
    t.enabled = get_or<bool>(o, "enabled", true);
    t.settings = o.at("settings").as_object();
    t.webhook_secret = get_or<std::string>(o, "webhook_secret", "");
    if (auto* h = o.if_contains("http")) {
        const auto& ho = h->as_object();
        t.http.max_concurrency = get_or<unsigned>(ho, "max_concurrency", t.http.max_concurrency);
        t.http.connect_timeout = std::chrono::milliseconds(get_or<long>(ho, "connect_timeout_ms", 5000));
        t.http.timeout = std::chrono::milliseconds(get_or<long>(ho, "timeout_ms", 30000));
        t.http.verify_tls = get_or<bool>(ho, "verify_tls", true);
        t.http.ca_file = get_or<std::string>(ho, "ca_file", "");
    }
    if (auto* d = o.if_contains("delivery")) {
        const auto& dobj = d->as_object();
        t.delivery.concurrency = get_or<unsigned>(dobj, "concurrency", t.delivery.concurrency);
        if (auto* r = dobj.if_contains("rate_per_second")) t.delivery.rate_per_second = r->to_number<double>();
        t.delivery.max_attempts = get_or<int>(dobj, "max_attempts", 0);
        t.delivery.breaker_failures = get_or<int>(dobj, "breaker_failures", t.delivery.breaker_failures);
        t.delivery.breaker_open_seconds = get_or<long>(dobj, "breaker_open_seconds", t.delivery.breaker_open_seconds);
        t.delivery.breaker_max_open_seconds = get_or<long>(dobj, "breaker_max_open_seconds", t.delivery.breaker_max_open_seconds);
        if (auto* kinds = dobj.if_contains("kinds"))
            for (const auto& [kind, budget] : kinds->as_object())
                t.delivery.kinds[rendering::canonical_kind_name(kind)] = KindBudget{get_or<int>(budget.as_object(), "max_attempts", 0),
                                                                 get_or<long>(budget.as_object(), "max_age_seconds", 0)};
    }
    return t;
}

void read_error_notices(const json::object& root, Config& c, std::vector<Problem>& problems) {
    if (auto* e = root.if_contains("error_notices")) {
        const auto& o = e->as_object();
        if (auto* r = o.if_contains("recipients")) {
            const auto& list = r->as_array();
            for (std::size_t i = 0; i < list.size(); ++i) {
                std::string address(list[i].as_string());
                if (std::string problem = recipient_problem(Channel::email, address); !problem.empty())
                    problems.push_back({path_index("error_notices.recipients", i), problem});
                c.error_notices.recipients.push_back(std::move(address));
            }
        }
        c.error_notices.transport = get_or<std::string>(o, "transport", "");
        c.error_notices.interval_seconds = get_or<long>(o, "interval_seconds", c.error_notices.interval_seconds);
        const TransportConfig* t = c.transport(c.error_notices.transport);
        if (!t || !t->enabled)
            problems.push_back({"error_notices.transport", "no enabled transport named '" + c.error_notices.transport + "'"});
    }
}

} // namespace

namespace {
constexpr EnumNames<Role, 3> kRoleNames{{"viewer", "integration", "admin"}};
} // namespace

std::string_view to_string(Role role) { return kRoleNames(role); }
std::optional<Role> role_from(std::string_view name) { return kRoleNames.parse(name); }

ConfigResult load_config(const std::string& file) {
    ConfigResult result;
    std::ifstream in(file);
    if (!in) {
        result.problems.push_back({"", "cannot read configuration file '" + file + "'"});
        return result;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    return load_config_text(buffer.str(), file);
}

ConfigResult load_config_text(std::string_view text, const std::string& file) {
    ConfigResult result;
    // Read as request bodies are: a member named twice or a NUL in a string is refused, not half-kept.
    StrictJson parsed = parse_strict_json(text);
    if (parsed.syntax) {
        result.problems.push_back({"", "'" + file + "' is not valid JSON: " + parsed.syntax.message()});
        return result;
    }
    if (parsed.refused) {
        result.problems.push_back({parsed.refused->field, parsed.refused->reason});
        return result;
    }
    json::value& doc = parsed.value;
    // Substitute first: the schema judges the values the service will use (a token's length, say).
    substitute(doc, "", result.problems);
    if (!result.problems.empty()) return result;
    result.problems = check_against_schema(config_schema(), doc);
    if (!result.problems.empty()) return result;

    const json::object& root = doc.as_object();
    Config c;
    c.file = file;
    read_store_and_http(root, c, result.problems);
    read_api_tokens(root, c, result);
    if (auto* agency = root.if_contains("agency")) c.agency = *agency;
    c.plugin_dir = std::string(root.at("plugin_dir").as_string());
    read_delivery_and_events(root, c);
    read_http_server(root, c, result);
    std::set<std::string> names;
    const auto& transports = root.at("transports").as_array();
    for (std::size_t i = 0; i < transports.size(); ++i) {
        TransportConfig t = read_transport(transports, i);
        if (!names.insert(t.name).second)
            result.problems.push_back({path_join(t.path, "name"), "'" + t.name + "' is used by another transport"});
        c.transports.push_back(std::move(t));
    }
    read_error_notices(root, c, result.problems);
    if (auto* links = root.if_contains("confirm_links")) {
        const auto& o = links->as_object();
        c.confirm_links.base_url = get_or<std::string>(o, "base_url", "");
        c.confirm_links.secret = get_or<std::string>(o, "secret", "");
    }
    if (c.api_tokens.empty())
        result.problems.push_back({"api_tokens", "at least one token is required: the API never runs unauthenticated"});
    if (result.problems.empty()) result.config = std::move(c);
    return result;
}

} // namespace extcomm::host
