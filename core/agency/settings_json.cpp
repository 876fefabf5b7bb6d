#include <common/enum_names.hpp>
#include <agency/settings_json.hpp>
#include <common/json_reader.hpp>
#include <rendering/local_time.hpp>
#include <rendering/sms_fit.hpp>

#include <extcomm/sms_text.hpp>

#include <algorithm>
#include <functional>

namespace extcomm::agency {
namespace json = boost::json;

namespace {

constexpr EnumNames<SettingsSection, std::size(kAllSettingsSections)> kSectionNames{
    {"general", "email", "sms", "worker_delivery", "client_delivery", "privacy", "authentication"}};
constexpr EnumNames<CodeChannel, std::size(kAllCodeChannels)> kCodeChannelNames{{"email", "sms", "either"}};
constexpr EnumNames<ClientContext, std::size(kAllClientContexts)> kContextNames{
    {"billing-account-summary", "billing-policy", "profile", "case", "service-file", "service-event", "group",
     "group-event"}};
constexpr EnumNames<TaskDelivery, std::size(kAllTaskDeliveries)> kTaskDeliveryNames{{"engage", "clientconnect"}};

} // namespace

std::string_view to_string(SettingsSection section) { return kSectionNames(section); }
std::optional<SettingsSection> settings_section_from(std::string_view name) { return kSectionNames.parse(name); }
std::string_view to_string(ClientContext context) { return kContextNames(context); }
std::optional<ClientContext> client_context_from(std::string_view name) { return kContextNames.parse(name); }
std::string_view to_string(TaskDelivery delivery) { return kTaskDeliveryNames(delivery); }
std::optional<TaskDelivery> task_delivery_from(std::string_view name) { return kTaskDeliveryNames.parse(name); }
std::string_view to_string(CodeChannel channel) { return kCodeChannelNames(channel); }
std::optional<CodeChannel> code_channel_from(std::string_view name) { return kCodeChannelNames.parse(name); }

namespace {

constexpr int kMaxHours = 720; // 30 days
constexpr std::size_t kMaxFooterCharacters = 4000;
constexpr std::size_t kMaxIdCharacters = 200;
constexpr std::string_view kNotASetting = "is not a setting of this section";

template <class Names>
std::string one_of(const Names& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += ", ";
        out += n;
    }
    return out;
}

bool all_digits(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// `name` is a running transport that carries `channel`, when the check knows the transports.
void check_transport(JsonReader& r, const SettingsCheck& check, std::string_view key, const std::string& name,
                     Channel channel, bool required) {
    if (!r.ok()) return;
    std::string what(to_string(channel));
    if (name.empty()) {
        if (required) r.fail(r.at(key), "is required: name the transport that carries " + what);
        return;
    }
    if (!check.transports) return;
    auto it = check.transports->find(name);
    if (it == check.transports->end() || !it->second.count(channel)) {
        std::vector<std::string> carrying;
        for (const auto& [n, channels] : *check.transports)
            if (channels.count(channel)) carrying.push_back(n);
        r.fail(r.at(key), "no transport named '" + name + "' carries " + what +
                              (carrying.empty() ? " (no running transport does)" : " (running: " + one_of(carrying) + ")"));
    }
}

std::optional<FieldError> read_general(const json::value& v, GeneralSettings& out) {
    JsonReader r(v, "general");
    r.only({"error_notice_category", "sms_prefix", "time_zone", "country_calling_code", "trunk_prefix"}, kNotASetting);
    GeneralSettings s;
    r.text("error_notice_category", s.error_notice_category, kMaxIdCharacters);
    r.text("sms_prefix", s.sms_prefix, 1000);
    if (r.ok() && !s.sms_prefix.empty())
        if (auto problem = rendering::check_sms_prefix(s.sms_prefix)) {
            auto cps = sms::decode_utf8(s.sms_prefix);
            if (cps && cps->size() > rendering::kMaxSmsPrefixCharacters)
                r.fail(r.at("sms_prefix"), "at most " + std::to_string(rendering::kMaxSmsPrefixCharacters) +
                                               " characters (it has " + std::to_string(cps->size()) + ")");
            else
                r.fail(r.at("sms_prefix"), *problem);
        }
    // Refused when set, not when rendering: a prefix stored before this rule still goes out (as UCS-2).
    if (r.ok() && !sms::is_gsm7(s.sms_prefix))
        r.fail(r.at("sms_prefix"), "must use only GSM-7 characters (letters, digits and common punctuation; no "
                                   "emoji): one other character would make every automated SMS UCS-2, at most 70 "
                                   "characters instead of 160");
    r.text("time_zone", s.time_zone, kMaxIdCharacters);
    if (r.ok() && !rendering::is_known_time_zone(s.time_zone))
        r.fail(r.at("time_zone"), "'" + s.time_zone + "' is not an IANA time zone (e.g. Australia/Sydney, America/Toronto)");
    r.text("country_calling_code", s.country_calling_code, kMaxIdCharacters);
    if (r.ok() && !s.country_calling_code.empty() &&
        (!all_digits(s.country_calling_code) || s.country_calling_code.size() > 3 || s.country_calling_code[0] == '0'))
        r.fail(r.at("country_calling_code"), "must be 1 to 3 digits not starting with 0 (e.g. 61), or empty");
    r.text("trunk_prefix", s.trunk_prefix, kMaxIdCharacters);
    if (r.ok() && (!all_digits(s.trunk_prefix) || s.trunk_prefix.size() > 2))
        r.fail(r.at("trunk_prefix"), "must be at most 2 digits (e.g. 0), or empty");
    if (!r.ok()) return r.error();
    out = std::move(s);
    return std::nullopt;
}

std::optional<FieldError> read_email(const json::value& v, const SettingsCheck& check, EmailSettings& out) {
    JsonReader r(v, "email");
    r.only({"enabled", "transport", "authentication_uses_standard", "authentication_transport"}, kNotASetting);
    EmailSettings s;
    r.boolean("enabled", s.enabled);
    r.text("transport", s.transport, kMaxIdCharacters);
    r.boolean("authentication_uses_standard", s.authentication_uses_standard);
    r.text("authentication_transport", s.authentication_transport, kMaxIdCharacters);
    check_transport(r, check, "transport", s.transport, Channel::email, s.enabled);
    check_transport(r, check, "authentication_transport", s.authentication_transport, Channel::email,
                    s.enabled && !s.authentication_uses_standard);
    if (!r.ok()) return r.error();
    out = std::move(s);
    return std::nullopt;
}

std::optional<FieldError> read_sms(const json::value& v, const SettingsCheck& check, SmsSettings& out) {
    JsonReader r(v, "sms");
    r.only({"enabled", "transport"}, kNotASetting);
    SmsSettings s;
    r.boolean("enabled", s.enabled);
    r.text("transport", s.transport, kMaxIdCharacters);
    check_transport(r, check, "transport", s.transport, Channel::sms, s.enabled);
    if (!r.ok()) return r.error();
    out = std::move(s);
    return std::nullopt;
}

std::optional<FieldError> read_worker_delivery(const json::value& v, WorkerDeliverySettings& out) {
    JsonReader r(v, "worker_delivery");
    r.only({"enabled", "last_minute_booking_hours", "notify_no_show", "detail_levels"}, kNotASetting);
    WorkerDeliverySettings s;
    r.boolean("enabled", s.enabled);
    r.integer("last_minute_booking_hours", s.last_minute_booking_hours, 0, kMaxHours);
    r.boolean("notify_no_show", s.notify_no_show);
    if (const json::value* levels = r.member("detail_levels")) {
        std::vector<std::string_view> types, names;
        for (auto t : rendering::kAllCollaborationTypes) types.push_back(rendering::to_string(t));
        for (auto l : {rendering::DetailLevel::subject_and_body, rendering::DetailLevel::subject_only,
                       rendering::DetailLevel::disallow})
            names.push_back(rendering::to_string(l));
        if (!levels->is_object()) {
            r.fail(r.at("detail_levels"), "must be a JSON object: collaboration type → detail level");
        } else {
            for (const auto& [key, level] : levels->as_object()) {
                std::string field = r.at("detail_levels") + "." + std::string(key);
                auto type = rendering::collaboration_type_from(key);
                if (!type) {
                    r.fail(field, "is not a collaboration type (one of " + one_of(types) + ")");
                    break;
                }
                auto parsed = level.is_string() ? rendering::detail_level_from(level.as_string()) : std::nullopt;
                if (!parsed) {
                    r.fail(field, "must be one of " + one_of(names));
                    break;
                }
                s.detail_levels[static_cast<std::size_t>(*type)] = *parsed;
            }
        }
    }
    if (!r.ok()) return r.error();
    out = std::move(s);
    return std::nullopt;
}

// Client Tasks: Engage or ClientConnect (whose portal address the client is told), the links' grace days.
std::optional<FieldError> read_client_tasks(const json::value& v, const std::string& at, ClientTaskSettings& out) {
    JsonReader r(v, at);
    r.only({"delivery", "portal_url", "link_grace_days"}, kNotASetting);
    r.parsed("delivery", out.delivery, task_delivery_from, "must be engage or clientconnect");
    r.text("portal_url", out.portal_url, 500);
    r.integer("link_grace_days", out.link_grace_days, 0, 365);
    const bool web = out.portal_url.starts_with("https://") || out.portal_url.starts_with("http://");
    if (r.ok() && !out.portal_url.empty() && !web) r.fail(r.at("portal_url"), "must be an http:// or https:// address");
    if (r.ok() && out.delivery == TaskDelivery::client_connect && out.portal_url.empty())
        r.fail(r.at("portal_url"), "is required with ClientConnect: the portal's address the client is told");
    return r.error();
}

std::optional<FieldError> read_client_delivery(const json::value& v, const SettingsCheck& check,
                                               ClientDeliverySettings& out) {
    JsonReader r(v, "client_delivery");
    r.only({"enabled", "email_footer", "confirmation", "send_booking_notification", "send_reschedule_notification",
            "contexts", "client_tasks"}, kNotASetting);
    ClientDeliverySettings s;
    r.boolean("enabled", s.enabled);
    r.text("email_footer", s.email_footer, kMaxFooterCharacters);
    if (const json::value* c = r.member("confirmation")) {
        JsonReader cr(*c, r.at("confirmation"));
        cr.only({"enabled", "hours_before", "sender_worker", "include_return_message"}, kNotASetting);
        cr.boolean("enabled", s.confirmation.enabled);
        cr.integer("hours_before", s.confirmation.hours_before, 1, kMaxHours);
        cr.text("sender_worker", s.confirmation.sender_worker, kMaxIdCharacters);
        cr.boolean("include_return_message", s.confirmation.include_return_message);
        if (cr.ok() && s.confirmation.enabled && s.confirmation.sender_worker.empty())
            cr.fail(cr.at("sender_worker"), "is required when confirmations are enabled: the worker id shown as the sender");
        if (cr.ok() && !s.confirmation.sender_worker.empty() && check.worker_exists &&
            !check.worker_exists(s.confirmation.sender_worker))
            cr.fail(cr.at("sender_worker"), "no worker with id '" + s.confirmation.sender_worker +
                                                "' (create the worker first: PUT /v1/workers/{id})");
        r.fail(cr.error());
    }
    r.boolean("send_booking_notification", s.send_booking_notification);
    r.boolean("send_reschedule_notification", s.send_reschedule_notification);
    std::vector<std::string_view> names;
    for (auto c : kAllClientContexts) names.push_back(to_string(c));
    r.items("contexts", "must be a list of places where staff may start client communications (" + one_of(names) + ")",
            [&](const json::value& item, const std::string& path) {
                auto context = item.is_string() ? client_context_from(item.as_string()) : std::nullopt;
                if (!context) r.fail(path, "must be one of " + one_of(names));
                else s.contexts.insert(*context);
                return context.has_value();
            });
    if (const json::value* t = r.member("client_tasks")) r.fail(read_client_tasks(*t, r.at("client_tasks"), s.client_tasks));
    if (!r.ok()) return r.error();
    out = std::move(s);
    return std::nullopt;
}

std::optional<FieldError> read_privacy(const json::value& v, rendering::PrivacySwitches& out) {
    JsonReader r(v, "privacy");
    r.only({"hide_event_location", "hide_worker_last_name", "hide_site_name"}, kNotASetting);
    rendering::PrivacySwitches s;
    r.boolean("hide_event_location", s.hide_event_location);
    r.boolean("hide_worker_last_name", s.hide_worker_last_name);
    r.boolean("hide_site_name", s.hide_site_name);
    if (!r.ok()) return r.error();
    out = s;
    return std::nullopt;
}

std::optional<FieldError> read_authentication(const json::value& v, AuthenticationSettings& out) {
    JsonReader r(v, "authentication");
    r.only({"two_step_login", "channels", "code_length", "code_minutes", "max_wrong_attempts", "trusted_device_days",
            "user_managed_reset", "max_codes_per_worker_per_day", "max_codes_per_day", "limit_alert_category"},
           kNotASetting);
    AuthenticationSettings s;
    r.boolean("two_step_login", s.two_step_login);
    r.parsed("channels", s.channels, code_channel_from, "must be one of " + kCodeChannelNames.list());
    // Fewer than 6 digits is guessable within the wrong attempts allowed across a day's codes; more than 10
    // no one types.
    r.integer("code_length", s.code_length, 6, 10);
    r.integer("code_minutes", s.code_minutes, 1, 60);
    r.integer("max_wrong_attempts", s.max_wrong_attempts, 1, 10);
    r.integer("trusted_device_days", s.trusted_device_days, 0, 365);
    r.boolean("user_managed_reset", s.user_managed_reset);
    r.integer("max_codes_per_worker_per_day", s.max_codes_per_worker_per_day, 1, 1000);
    r.integer("max_codes_per_day", s.max_codes_per_day, 1, 10'000'000);
    r.text("limit_alert_category", s.limit_alert_category, kMaxIdCharacters);
    if (!r.ok()) return r.error();
    out = std::move(s);
    return std::nullopt;
}

void flatten_changes(const json::value* before, const json::value* after, const std::string& path, json::object& out) {
    static const json::value null;
    if (before && after && before->is_object() && after->is_object()) {
        const auto& b = before->as_object();
        const auto& a = after->as_object();
        for (const auto& [key, value] : b)
            flatten_changes(&value, a.if_contains(key), path.empty() ? std::string(key) : path + "." + std::string(key), out);
        for (const auto& [key, value] : a)
            if (!b.contains(key))
                flatten_changes(nullptr, &value, path.empty() ? std::string(key) : path + "." + std::string(key), out);
        return;
    }
    const json::value& from = before ? *before : null;
    const json::value& to = after ? *after : null;
    if (from != to) out[path] = json::object{{"from", from}, {"to", to}};
}

} // namespace

json::object to_json(const AgencySettings& settings, SettingsSection section) {
    switch (section) {
    case SettingsSection::general: {
        const auto& g = settings.general;
        return {{"error_notice_category", g.error_notice_category}, {"sms_prefix", g.sms_prefix},
                {"time_zone", g.time_zone}, {"country_calling_code", g.country_calling_code},
                {"trunk_prefix", g.trunk_prefix}};
    }
    case SettingsSection::email: {
        const auto& e = settings.email;
        return {{"enabled", e.enabled}, {"transport", e.transport},
                {"authentication_uses_standard", e.authentication_uses_standard},
                {"authentication_transport", e.authentication_transport}};
    }
    case SettingsSection::sms: return {{"enabled", settings.sms.enabled}, {"transport", settings.sms.transport}};
    case SettingsSection::worker_delivery: {
        const auto& w = settings.worker_delivery;
        json::object levels;
        for (auto t : rendering::kAllCollaborationTypes)
            levels[rendering::to_string(t)] = rendering::to_string(w.detail_levels[static_cast<std::size_t>(t)]);
        return {{"enabled", w.enabled}, {"last_minute_booking_hours", w.last_minute_booking_hours},
                {"notify_no_show", w.notify_no_show}, {"detail_levels", levels}};
    }
    case SettingsSection::client_delivery: {
        const auto& c = settings.client_delivery;
        json::array contexts;
        for (auto ctx : c.contexts) contexts.emplace_back(to_string(ctx));
        return {{"enabled", c.enabled},
                {"email_footer", c.email_footer},
                {"confirmation",
                 {{"enabled", c.confirmation.enabled},
                  {"hours_before", c.confirmation.hours_before},
                  {"sender_worker", c.confirmation.sender_worker},
                  {"include_return_message", c.confirmation.include_return_message}}},
                {"send_booking_notification", c.send_booking_notification},
                {"send_reschedule_notification", c.send_reschedule_notification},
                {"contexts", contexts},
                {"client_tasks",
                 {{"delivery", to_string(c.client_tasks.delivery)},
                  {"portal_url", c.client_tasks.portal_url},
                  {"link_grace_days", c.client_tasks.link_grace_days}}}};
    }
    case SettingsSection::privacy: {
        const auto& p = settings.privacy;
        return {{"hide_event_location", p.hide_event_location}, {"hide_worker_last_name", p.hide_worker_last_name},
                {"hide_site_name", p.hide_site_name}};
    }
    case SettingsSection::authentication: {
        const auto& a = settings.authentication;
        return {{"two_step_login", a.two_step_login},
                {"channels", to_string(a.channels)},
                {"code_length", a.code_length},
                {"code_minutes", a.code_minutes},
                {"max_wrong_attempts", a.max_wrong_attempts},
                {"trusted_device_days", a.trusted_device_days},
                {"user_managed_reset", a.user_managed_reset},
                {"max_codes_per_worker_per_day", a.max_codes_per_worker_per_day},
                {"max_codes_per_day", a.max_codes_per_day},
                {"limit_alert_category", a.limit_alert_category}};
    }
    }
    return {};
}

json::object to_json(const AgencySettings& settings) {
    json::object all;
    for (SettingsSection s : kAllSettingsSections) all[to_string(s)] = to_json(settings, s);
    return all;
}

std::optional<FieldError> read_section(SettingsSection section, const json::value& value, const SettingsCheck& check,
                                       AgencySettings& settings) {
    switch (section) {
    case SettingsSection::general: return read_general(value, settings.general);
    case SettingsSection::email: return read_email(value, check, settings.email);
    case SettingsSection::sms: return read_sms(value, check, settings.sms);
    case SettingsSection::worker_delivery: return read_worker_delivery(value, settings.worker_delivery);
    case SettingsSection::client_delivery: return read_client_delivery(value, check, settings.client_delivery);
    case SettingsSection::privacy: return read_privacy(value, settings.privacy);
    case SettingsSection::authentication: return read_authentication(value, settings.authentication);
    }
    return FieldError{std::string(to_string(section)), "is not a settings section"};
}

std::string template_path(rendering::MessageKind kind, Channel channel) {
    return "templates." + std::string(rendering::to_string(kind)) + "." + std::string(to_string(channel));
}

json::object to_json(const rendering::MessageTemplate& tmpl) {
    return {{"subject", tmpl.subject}, {"body", tmpl.body}, {"html_body", tmpl.html_body}};
}

std::variant<rendering::MessageTemplate, FieldError> read_template(rendering::MessageKind kind, Channel channel,
                                                                   const json::value& value) {
    const std::string path = template_path(kind, channel);
    JsonReader r(value, path);
    r.only({"subject", "body", "html_body"}, kNotASetting);
    rendering::MessageTemplate tmpl;
    constexpr std::size_t kMaxTemplateCharacters = 100'000;
    r.text("subject", tmpl.subject, kMaxTemplateCharacters);
    r.text("body", tmpl.body, kMaxTemplateCharacters);
    r.text("html_body", tmpl.html_body, kMaxTemplateCharacters);
    if (!r.ok()) return *r.error();
    if (auto error = rendering::check_template(kind, channel, tmpl)) return FieldError{r.at(error->part), error->reason};
    return tmpl;
}

json::object json_changes(const json::object& before, const json::object& after) {
    json::object out;
    json::value b(before), a(after);
    flatten_changes(&b, &a, "", out);
    return out;
}

} // namespace extcomm::agency
