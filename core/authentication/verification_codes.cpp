#include <authentication/verification_codes.hpp>
#include <common/enum_names.hpp>
#include <sending/rules.hpp>
#include <store/rows.hpp>

#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>
#include <Poco/UUIDGenerator.h>

using namespace Poco::Data::Keywords;

namespace extcomm::authentication {
namespace {

using agency::CodeChannel;
using agency::Worker;

constexpr EnumNames<CodeRefusal, std::size(kAllCodeRefusals)> kRefusalNames{
    {"disabled", "channel-not-allowed", "no-address", "channel-unavailable", "worker-daily-limit", "total-daily-limit"}};

std::optional<CodeRefused> purpose_refusal(const agency::AuthenticationSettings& a, CodePurpose purpose) {
    switch (purpose) {
    case CodePurpose::password_reset:
        if (a.user_managed_reset) return std::nullopt;
        return CodeRefused{CodeRefusal::disabled, "user-managed password reset is off (authentication.user_managed_reset)"};
    case CodePurpose::login:
    case CodePurpose::trusted_device:
        if (a.two_step_login) return std::nullopt;
        return CodeRefused{CodeRefusal::disabled, "2-step login is off (authentication.two_step_login)"};
    }
    return std::nullopt;
}

Channel channel_of(CodeChannel c) { return c == CodeChannel::sms ? Channel::sms : Channel::email; }

// The channel the code goes by: "either" is SMS when the worker has a mobile number in use, else email,
// within what the agency allows.
std::variant<Channel, CodeRefused> channel_for(const agency::AuthenticationSettings& a, CodeChannel asked, const Worker& w) {
    if (asked == CodeChannel::either)
        return a.channels == CodeChannel::either ? (w.mobile.empty() ? Channel::email : Channel::sms) : channel_of(a.channels);
    if (a.channels != CodeChannel::either && a.channels != asked)
        return CodeRefused{CodeRefusal::channel_not_allowed, "the agency sends verification codes by " +
                                                                 std::string(agency::to_string(a.channels)) +
                                                                 " only (authentication.channels)"};
    return channel_of(asked);
}

CodeRefused refusal_of(const sending::Decision& d) {
    const bool no_address = d.reason == sending::SkipReason::no_address;
    return CodeRefused{no_address ? CodeRefusal::no_address : CodeRefusal::channel_unavailable, d.reason_text};
}

std::string for_update(const Database::Connection& c) { return c.dialect() == Dialect::postgresql ? " FOR UPDATE" : ""; }

} // namespace

std::string_view to_string(CodeRefusal refusal) { return kRefusalNames(refusal); }

std::variant<IssuedCode, CodeRefused, FieldError> VerificationCodes::request(const agency::SettingsSnapshot& snapshot,
                                                                             const CodeRequest& request) try {
    const auto& settings = snapshot.settings.authentication;
    if (auto refused = purpose_refusal(settings, request.purpose)) return *refused;
    auto c = pipeline_.database().connect();
    Poco::Data::Transaction tx(c.session());
    auto worker = people_.worker(c, request.worker);
    if (!worker) return FieldError{"worker", "no worker '" + request.worker + "'"};
    auto channel = channel_for(settings, request.channel, *worker);
    if (auto* refused = std::get_if<CodeRefused>(&channel)) return *refused;
    auto issued = issue(c, snapshot, *worker, request.purpose, std::get<Channel>(channel));
    auto* refused = std::get_if<CodeRefused>(&issued);
    // A refusal for a daily limit (it has a retry time) commits its alert; any other leaves nothing.
    if (!refused || refused->retry_at != 0) tx.commit();
    if (refused) return *refused;
    return std::get<IssuedCode>(issued);
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::variant<IssuedCode, CodeRefused> VerificationCodes::issue(Database::Connection& c,
                                                               const agency::SettingsSnapshot& snapshot,
                                                               const Worker& worker, CodePurpose purpose, Channel channel) {
    const auto& settings = snapshot.settings.authentication;
    const TimeMs at = clock_.now_ms();
    sending::Intent intent;
    intent.kind = rendering::MessageKind::verification_code;
    intent.about = std::string(to_string(purpose));
    intent.recipients.emplace_back(worker);
    intent.channel = channel;
    intent.expires_at = at + TimeMs{settings.code_minutes} * 60'000; // never delivered, nor retried, after the code
    intent.priority = true;
    intent.secret_body = true;
    intent.metadata = {{"purpose", intent.about}};
    // Refused before anything is counted: the caller can offer the other channel.
    const sending::Decision decision = sending::decision_on(snapshot.settings, intent, worker, channel);
    if (!decision.sent) return refusal_of(decision);
    const std::string& transport = sending::transport_of(snapshot.settings, intent, channel);
    if (std::string why = unavailable_(transport); !why.empty())
        return CodeRefused{CodeRefusal::channel_unavailable, "the " + std::string(extcomm::to_string(channel)) +
                                                                 " transport '" + transport + "' " + why};
    if (auto refused = count(c, snapshot, worker)) return *refused;
    supersede(c, worker.id, purpose);

    IssuedCode issued{Poco::UUIDGenerator::defaultGenerator().createRandom().toString(), transport};
    const std::string code = new_code(settings.code_length);
    std::string hash = code_hash(key_, issued.id, code);
    intent.facts = rendering::VerificationFacts{code, settings.code_minutes};
    const sending::SentRequest sent = sending::send(pipeline_, c, snapshot, intent, at);
    if (sent.decisions.empty() || !sent.decisions.front().sent) return refusal_of(sent.decisions.front());
    std::string id = issued.id, worker_id = worker.id, purpose_name(to_string(purpose));
    std::string channel_name(extcomm::to_string(channel)), message = sent.decisions.front().message_id;
    std::string state(to_string(CodeState::pending));
    TimeMs expires = intent.expires_at, created = at;
    c.session() << c.sql("INSERT INTO verification_codes (id, worker_id, purpose, channel, code_hash, state, "
                         "wrong_attempts, message_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)"),
        use(id), use(worker_id), use(purpose_name), use(channel_name), use(hash), use(state), use(message),
        use(created), use(expires), now;
    return issued;
}

std::optional<CodeRefused> VerificationCodes::count(Database::Connection& c, const agency::SettingsSnapshot& snapshot,
                                                    const Worker& worker) {
    const auto& settings = snapshot.settings.authentication;
    const TimeMs at = clock_.now_ms();
    auto day = agency_day(at, snapshot.settings.general.time_zone);
    if (!day) day = agency_day(at, "UTC"); // the zone was checked when it was set
    // The total's row ('') before the worker's, in every request: row locks are always taken in one order.
    std::vector<std::string> rows{"", worker.id};
    std::vector<std::string> days(rows.size(), day->date);
    auto& s = c.session();
    s << c.sql("INSERT INTO verification_code_counts (day, worker_id, codes, alerted) VALUES (?, ?, 0, 0) "
               "ON CONFLICT (day, worker_id) DO NOTHING"),
        use(days), use(rows), now;
    s << c.sql("UPDATE verification_code_counts SET codes = codes + 1 WHERE day = ? AND worker_id = ?"), use(days), use(rows), now;
    auto counts = select_rows(c, "SELECT worker_id, codes, alerted FROM verification_code_counts WHERE day = ? AND "
                                 "worker_id IN ('', ?)",
                              [](const Row& r) { return std::tuple(r.text(0), static_cast<int>(r.number(1)), r.number(2) != 0); },
                              day->date, worker.id);
    int total = 0, mine = 0;
    bool total_alerted = false, mine_alerted = false;
    for (const auto& [who, codes, alerted] : counts) {
        (who.empty() ? total : mine) = codes - 1; // before this code
        (who.empty() ? total_alerted : mine_alerted) = alerted;
    }
    const auto limit = limit_reached(mine, total, settings);
    if (!limit) return std::nullopt;
    s << c.sql("UPDATE verification_code_counts SET codes = codes - 1 WHERE day = ? AND worker_id = ?"), use(days), use(rows), now;
    const bool per_worker = *limit == DailyLimit::per_worker;
    if (!(per_worker ? mine_alerted : total_alerted)) {
        std::string row = per_worker ? worker.id : "";
        s << c.sql("UPDATE verification_code_counts SET alerted = 1 WHERE day = ? AND worker_id = ?"), use(day->date), use(row), now;
        alert(c, snapshot, *limit, worker, *day);
    }
    const int maximum = per_worker ? settings.max_codes_per_worker_per_day : settings.max_codes_per_day;
    return CodeRefused{per_worker ? CodeRefusal::worker_daily_limit : CodeRefusal::total_daily_limit,
                       std::string(per_worker ? "the worker has" : "the agency has") + " had the " +
                           std::to_string(maximum) + " verification codes a day allows (authentication." +
                           (per_worker ? "max_codes_per_worker_per_day" : "max_codes_per_day") + "); try again after midnight, " +
                           snapshot.settings.general.time_zone + " time",
                       day->next_midnight};
}

void VerificationCodes::alert(Database::Connection& c, const agency::SettingsSnapshot& snapshot, DailyLimit limit,
                              const Worker& worker, const AgencyDay& day) {
    const auto& settings = snapshot.settings.authentication;
    if (settings.limit_alert_category.empty()) return;
    const bool per_worker = limit == DailyLimit::per_worker;
    sending::Intent intent;
    intent.kind = rendering::MessageKind::verification_limit_alert;
    intent.about = std::string(to_string(limit));
    // Once per limit and day, whichever host sees it first.
    intent.idempotency_key = "verification-limit-alert:" + day.date + ":" + (per_worker ? worker.id : "");
    for (Worker& member : people_.workers_in(c, settings.limit_alert_category)) intent.recipients.emplace_back(std::move(member));
    intent.facts = rendering::VerificationLimitFacts{
        per_worker ? "per worker" : "in total", per_worker ? worker.first_name + " " + worker.last_name : "", day.date,
        per_worker ? settings.max_codes_per_worker_per_day : settings.max_codes_per_day};
    intent.priority = true;
    if (!intent.recipients.empty()) sending::send(pipeline_, c, snapshot, intent, clock_.now_ms());
}

void VerificationCodes::supersede(Database::Connection& c, const std::string& worker, CodePurpose purpose) {
    const std::string purpose_name(to_string(purpose));
    auto messages = select_rows(c, "SELECT message_id FROM verification_codes WHERE worker_id = ? AND purpose = ? AND "
                                   "state = 'pending'" + for_update(c),
                                [](const Row& r) { return r.text(0); }, worker, purpose_name);
    if (messages.empty()) return;
    std::string w = worker, p = purpose_name;
    c.session() << c.sql("UPDATE verification_codes SET state = 'superseded' WHERE worker_id = ? AND purpose = ? AND "
                         "state = 'pending'"),
        use(w), use(p), now;
    for (const std::string& message : messages) pipeline_.outbox().withdraw(c, message, "superseded by a newer code");
}

std::optional<CodeAnswer> VerificationCodes::verify(const agency::SettingsSnapshot& snapshot, const std::string& id,
                                                    std::string_view code) try {
    auto c = pipeline_.database().connect();
    Poco::Data::Transaction tx(c.session());
    auto found = first_of(select_rows(
        c, "SELECT worker_id, purpose, code_hash, state, wrong_attempts, expires_at FROM verification_codes WHERE id = ?" +
               for_update(c),
        [](const Row& r) {
            return std::tuple(r.text(0), r.text(1), r.text(2), r.text(3), static_cast<int>(r.number(4)), r.number(5));
        },
        id));
    if (!found) return std::nullopt;
    const auto& [worker, purpose, hash, state, wrong, expires_at] = *found;
    const CodeStanding before{code_state_from(state).value_or(CodeState::locked), wrong, expires_at};
    const bool matches = same_hash(hash, code_hash(key_, id, code));
    const Judgement judged = judge(before, matches, clock_.now_ms(), snapshot.settings.authentication.max_wrong_attempts);
    if (judged.after.state != before.state || judged.after.wrong_attempts != before.wrong_attempts) {
        std::string next(to_string(judged.after.state)), key = id;
        int attempts = judged.after.wrong_attempts;
        c.session() << c.sql("UPDATE verification_codes SET state = ?, wrong_attempts = ? WHERE id = ?"), use(next),
            use(attempts), use(key), now;
    }
    tx.commit();
    return CodeAnswer{judged.verdict, worker, code_purpose_from(purpose).value_or(CodePurpose::login)};
} catch (const Poco::Exception& e) {
    store_error(e);
}

} // namespace extcomm::authentication
