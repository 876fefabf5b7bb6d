#pragma once
// The deployment configuration (a JSON file the operator controls): store, listener, tokens, plugin
// folder and transports. Loading substitutes ${VAR} from the environment and checks the file against
// config/extcomm.schema.json; every problem names its JSON path.
#include <config/schema_check.hpp>
#include <http/server_limits.hpp>
#include <store/database.hpp>
#include <store/retention.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

namespace extcomm::host {

struct HttpSettings {
    unsigned max_concurrency = 8;
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds timeout{30000};
    bool verify_tls = true;
    std::string ca_file;
};

struct KindBudget {
    int max_attempts = 0;     // 0: the transport's
    long max_age_seconds = 0; // 0: the service's delivery.max_age_seconds
};

// Per-transport containment (concurrency, rate limit, breaker) and retry budget.
struct TransportDelivery {
    unsigned concurrency = 4;
    double rate_per_second = 0;
    int max_attempts = 0; // 0: the service-wide delivery.max_attempts
    int breaker_failures = 5;
    long breaker_open_seconds = 30;
    long breaker_max_open_seconds = 300;
    std::map<std::string, KindBudget> kinds;
};

struct TransportConfig {
    std::string name;
    std::string plugin;
    bool enabled = true;
    boost::json::object settings; // may hold secrets: never print
    std::string webhook_secret;   // secret: webhook calls must carry ?secret=<it>; empty: webhooks refused
    HttpSettings http;
    TransportDelivery delivery;
    std::string path;             // "transports[1]", for messages
};

struct DeliverySettings {
    int max_attempts = 8;
    long max_age_seconds = 86400;
    long lease_seconds = 120;
    long poll_interval_ms = 500;
    long retry_base_ms = 2'000;   // backoff of a retry: up to base × 2^(attempt-1), capped, full jitter
    long retry_max_ms = 600'000;
};

// Where reports of permanent delivery failures and paused transports go (one digest per interval).
struct ErrorNoticesConfig {
    std::vector<std::string> recipients; // email addresses; empty: notices are kept but not sent
    std::string transport;               // the email transport the digests go out on
    long interval_seconds = 300;
};

// The scheduler of service events' confirmations and reminders: how often it looks for due rows, and how
// many it claims per transaction (it claims again at once while a batch comes back full).
// The same tick fires time-based action triggers; a crossing found due later than catch_up_hours (the
// service was down) is logged missed instead of fired late.
struct EventsConfig {
    long tick_ms = 250;
    int batch = 500;
    int catch_up_hours = 24;
};

// The confirm link in client confirmations (Client Delivery > Include return message).
struct ConfirmLinksConfig {
    std::string base_url; // the public URL clients reach this service at; "" = confirmations go without a link
    std::string secret;   // secret: the links' signing key; "" = the key generated once and kept in the store
};

// What an API token may do: a viewer reads, an integration (the case-management system) also sends
// messages and puts service events and people, an admin also changes settings and resumes transports.
// Ordered: each role may do what the ones before it may.
enum class Role { viewer, integration, admin };
std::string_view to_string(Role role);
std::optional<Role> role_from(std::string_view name);
inline bool allows(Role have, Role need) { return static_cast<int>(have) >= static_cast<int>(need); }

struct ApiToken {
    std::string secret;
    // Who uses it ({"name", "token"}; a plain string is "token-<i+1>"): the settings audit records it.
    std::string name;
    Role role = Role::admin;
    bool role_given = false; // a token without a role is admin for this release, with a warning
};

struct Config {
    std::string file;
    StoreOptions store;
    std::string listen = "127.0.0.1";
    int port = 8080;
    std::size_t max_webhook_receipts = 1000; // http.max_webhook_receipts: receipts and replies in one call
    HttpServerLimits http_server; // the listener's deadlines and caps (http.*_timeout_ms, http.max_*, http.handler_*)
    std::string public_url;
    std::vector<ApiToken> api_tokens;
    // The agency's settings to store on first start (the `agency` object; null when absent). Checked and
    // stored by the settings store, which owns them from then on.
    boost::json::value agency;
    std::string plugin_dir;
    DeliverySettings delivery;
    std::vector<TransportConfig> transports;
    ErrorNoticesConfig error_notices;
    ConfirmLinksConfig confirm_links;
    EventsConfig events;
    RetentionDays retention_days;

    const TransportConfig* transport(const std::string& name) const;
    // How long a message of `kind` on `transport` may wait before it expires.
    long max_age_seconds(const std::string& transport, const std::string& kind) const;
};

struct ConfigResult {
    std::optional<Config> config;
    std::vector<Problem> problems;
    // Accepted for this release but deprecated: said at start and by check-config (stderr), never secret.
    std::vector<Problem> warnings;
};

// Reads, substitutes and validates. On any problem `config` is empty and `problems` says why.
ConfigResult load_config(const std::string& file);
// The same for a file's text already read; `file` only names it in messages.
ConfigResult load_config_text(std::string_view text, const std::string& file);

// The configuration's own JSON Schema (embedded at build time from config/extcomm.schema.json).
const boost::json::value& config_schema();

} // namespace extcomm::host
