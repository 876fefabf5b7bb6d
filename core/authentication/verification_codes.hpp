#pragma once
// Verification codes for the case-management system's logins (2-step login, trusted devices,
// user-managed password reset): made, counted against the daily limits, sent through the one sending
// pipeline to the worker's own address or number, and checked.
//
// Invariants:
// - One transaction per request: the day's counts, the superseded code (its queued message withdrawn),
//   the new code's row and its message commit together or not at all; the counts are rows updated in that
//   transaction, so hosts sharing a PostgreSQL store count together (row locks, taken in one order).
// - A request refused for a daily limit stores no code and counts nothing, but alerts the agency's chosen
//   worker category once per limit and agency day (a flag on the count's row, and the alert's idempotency key).
// - The code is never returned, logged or stored: only its hash (code.hpp) and the message that carries it,
//   whose text the outbox erases at its final state. Its message expires with the code.
#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <authentication/code.hpp>
#include <common/field_error.hpp>
#include <sending/pipeline.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace extcomm::authentication {

struct CodeRequest {
    std::string worker;
    CodePurpose purpose = CodePurpose::login;
    agency::CodeChannel channel = agency::CodeChannel::either;
};

// Why no code was sent. Stable names in the API.
enum class CodeRefusal {
    disabled,            // 2-step login (login, trusted-device) or user-managed reset (password-reset) is off
    channel_not_allowed, // the agency sends codes on the other channel only
    no_address,          // the worker has no email address (or mobile number)
    channel_unavailable, // the channel is off, has no transport, or its transport is missing, paused or failing
    worker_daily_limit,  // the worker had the most codes a day allows
    total_daily_limit,   // the agency had the most codes a day allows
};
inline constexpr CodeRefusal kAllCodeRefusals[] = {CodeRefusal::disabled, CodeRefusal::channel_not_allowed,
                                                   CodeRefusal::no_address, CodeRefusal::channel_unavailable,
                                                   CodeRefusal::worker_daily_limit, CodeRefusal::total_daily_limit};
std::string_view to_string(CodeRefusal refusal); // "disabled", "channel-not-allowed", ...

struct CodeRefused {
    CodeRefusal why = CodeRefusal::disabled;
    std::string text;
    TimeMs retry_at = 0; // daily limits: the agency's next midnight
};

struct IssuedCode {
    std::string id;
    std::string transport; // the message's: the dispatcher is asked to expedite it
};

struct CodeAnswer {
    Verdict verdict = Verdict::invalid;
    std::string worker;
    CodePurpose purpose = CodePurpose::login;
};

class VerificationCodes {
public:
    // Why `transport` cannot send now ("" = it can): missing, paused, breaker open.
    using Availability = std::function<std::string(const std::string& transport)>;

    VerificationCodes(sending::Pipeline& pipeline, agency::PeopleStore& people, const Clock& clock, std::string key,
                      Availability unavailable)
        : pipeline_(pipeline), people_(people), clock_(clock), key_(std::move(key)), unavailable_(std::move(unavailable)) {}

    // An unknown worker is a FieldError ("worker").
    std::variant<IssuedCode, CodeRefused, FieldError> request(const agency::SettingsSnapshot& snapshot,
                                                              const CodeRequest& request);
    // Nothing for an unknown id.
    std::optional<CodeAnswer> verify(const agency::SettingsSnapshot& snapshot, const std::string& id,
                                     std::string_view code);

private:
    std::variant<IssuedCode, CodeRefused> issue(Database::Connection& c, const agency::SettingsSnapshot& snapshot,
                                                const agency::Worker& worker, CodePurpose purpose, Channel channel);
    // Counts the code against the day's limits, or says which limit it would exceed (alerting once).
    std::optional<CodeRefused> count(Database::Connection& c, const agency::SettingsSnapshot& snapshot,
                                     const agency::Worker& worker);
    void alert(Database::Connection& c, const agency::SettingsSnapshot& snapshot, DailyLimit limit,
               const agency::Worker& worker, const AgencyDay& day);
    // Supersedes the worker's pending code for `purpose`, withdrawing its message if still queued.
    void supersede(Database::Connection& c, const std::string& worker, CodePurpose purpose);

    sending::Pipeline& pipeline_;
    agency::PeopleStore& people_;
    const Clock& clock_;
    std::string key_;
    Availability unavailable_;
};

} // namespace extcomm::authentication
