#pragma once
// The administrator's settings as JSON, the way the API shows and takes them: one object per section,
// members named as in settings.hpp, stable names for enumerations ("subject-only", "service-file").
// Reading checks every value and names the field at fault ("general.sms_prefix", "templates.booking-notice.sms.body").
#include <agency/settings.hpp>
#include <common/field_error.hpp>
#include <outbox/message.hpp>
#include <rendering/template.hpp>

#include <boost/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>

namespace extcomm::agency {

enum class SettingsSection { general, email, sms, worker_delivery, client_delivery, privacy, authentication };

inline constexpr SettingsSection kAllSettingsSections[] = {
    SettingsSection::general,         SettingsSection::email,           SettingsSection::sms,
    SettingsSection::worker_delivery, SettingsSection::client_delivery, SettingsSection::privacy,
    SettingsSection::authentication,
};

std::string_view to_string(SettingsSection section); // "general", "worker_delivery", …
std::optional<SettingsSection> settings_section_from(std::string_view name);

inline constexpr ClientContext kAllClientContexts[] = {
    ClientContext::billing_account_summary, ClientContext::billing_policy, ClientContext::profile,
    ClientContext::case_file,               ClientContext::service_file,   ClientContext::service_event,
    ClientContext::group,                   ClientContext::group_event,
};

// "billing-account-summary", "billing-policy", "profile", "case", "service-file", "service-event", "group",
// "group-event": the names in settings and in the API.
std::string_view to_string(ClientContext context);
std::optional<ClientContext> client_context_from(std::string_view name);

inline constexpr TaskDelivery kAllTaskDeliveries[] = {TaskDelivery::engage, TaskDelivery::client_connect};

std::string_view to_string(TaskDelivery delivery); // "engage", "clientconnect"
std::optional<TaskDelivery> task_delivery_from(std::string_view name);

inline constexpr CodeChannel kAllCodeChannels[] = {CodeChannel::email, CodeChannel::sms, CodeChannel::either};

std::string_view to_string(CodeChannel channel); // "email", "sms", "either"
std::optional<CodeChannel> code_channel_from(std::string_view name);

// What settings are checked against besides their own rules.
struct SettingsCheck {
    // The running transports and the channels each carries. nullopt: not checked (settings read back
    // from the store, where they were checked when they were set).
    std::optional<std::map<std::string, std::set<Channel>>> transports;
    // Whether a worker id names a worker (the people store's answer). Empty: not checked.
    std::function<bool(const std::string&)> worker_exists;
    // How long the service's confirm links are (base URL, /c/ and the token). 0: no links, or not checked.
    std::size_t confirm_link_characters = 0;
};

boost::json::object to_json(const AgencySettings& settings, SettingsSection section);
boost::json::object to_json(const AgencySettings& settings); // every section

// Replaces `section` of `settings` with `value`, the whole section: a member left out takes its default,
// an unknown member is refused. On an error `settings` is unchanged.
std::optional<FieldError> read_section(SettingsSection section, const boost::json::value& value,
                                       const SettingsCheck& check, AgencySettings& settings);

// "templates.booking-notice.sms": where a template is, in settings and in the audit.
std::string template_path(rendering::MessageKind kind, Channel channel);

boost::json::object to_json(const rendering::MessageTemplate& tmpl);

// {subject?, body, html_body?} checked with rendering::check_template; errors name
// "templates.<kind>.<channel>.<part>" and carry the reason (line, column, what the template may use).
std::variant<rendering::MessageTemplate, FieldError> read_template(rendering::MessageKind kind, Channel channel,
                                                                   const boost::json::value& value);

// What changed between two JSON objects, by dotted member path: {"confirmation.hours_before": {"from": 24,
// "to": 48}}. Arrays and scalars are compared whole; a member only on one side has from or to null.
boost::json::object json_changes(const boost::json::object& before, const boost::json::object& after);

} // namespace extcomm::agency
