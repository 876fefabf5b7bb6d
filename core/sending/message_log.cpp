#include <sending/message_log.hpp>
#include <store/rows.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <stdexcept>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;

namespace extcomm::sending {
namespace {

constexpr EnumNames<SkipReason, 18> kReasons{{
    "worker-delivery-disabled", "client-delivery-disabled", "context-not-allowed", "setting-off",
    "detail-level-disallow", "not-chosen", "online", "channel-disabled", "no-transport", "no-address", "no-consent",
    "consent-after-booking", "render-failed", "no-event-update", "not-within", "group-event", "event-not-booked",
    "event-started"}};
static_assert(static_cast<std::size_t>(SkipReason::event_started) + 1 == 18, "a SkipReason without a name");

constexpr EnumNames<Recipient, 3> kRecipients{{"worker", "client", "address"}};

constexpr const char* kDecisionColumns =
    "request_id, recipient_kind, recipient_id, channel, outcome, reason_code, reason, recipient, message_id, decided_at";

Decision decision_at(const Row& r) {
    Decision d;
    d.request_id = r.text(0);
    d.recipient = kRecipients.parse(r.text(1)).value_or(Recipient::worker);
    d.recipient_id = r.text(2);
    d.channel = channel_from(r.text(3));
    d.sent = r.text(4) == "sent";
    d.reason = kReasons.parse(r.text(5));
    d.reason_text = r.text(6);
    d.to = r.text(7);
    d.message_id = r.text(8);
    d.decided_at = r.number(9);
    return d;
}

MessageRequest request_at(const Row& r) {
    return MessageRequest{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(6), r.text(5), r.number(7)};
}

} // namespace

std::string_view to_string(SkipReason reason) { return kReasons(reason); }

std::string_view to_string(Recipient recipient) { return kRecipients(recipient); }

std::optional<std::string> DecisionLog::insert_request(Database::Connection& c, const MessageRequest& request,
                                                       const std::string& idempotency_key) {
    MessageRequest r = request;
    std::string key = idempotency_key;
    Statement insert(c.session());
    insert << c.sql("INSERT INTO message_requests (id, idempotency_key, kind, about, subject, client_id, refusal_code, "
                    "refusal, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING"),
        use(r.id), use(key), use(r.kind), use(r.about), use(r.subject), use(r.client), use(r.refusal_code), use(r.refusal),
        use(r.created_at);
    if (insert.execute() == 1) return std::nullopt;
    return request_with_key(c, key);
}

std::optional<std::string> DecisionLog::request_with_key(Database::Connection& c, const std::string& idempotency_key) {
    return first_of(select_rows(c, "SELECT id FROM message_requests WHERE idempotency_key = ?",
                                [](const Row& row) { return row.text(0); }, idempotency_key));
}

void DecisionLog::insert(Database::Connection& c, const std::vector<Decision>& decisions) {
    if (decisions.empty()) return;
    std::vector<std::string> request, kind, recipient_id, channel, outcome, reason, text, to, message;
    std::vector<int> position;
    std::vector<Poco::Int64> at;
    for (std::size_t i = 0; i < decisions.size(); ++i) {
        const Decision& d = decisions[i];
        position.push_back(static_cast<int>(i));
        request.push_back(d.request_id);
        kind.emplace_back(to_string(d.recipient));
        recipient_id.push_back(d.recipient_id);
        channel.push_back(d.channel ? std::string(to_string(*d.channel)) : std::string());
        outcome.emplace_back(d.sent ? "sent" : "skipped");
        reason.push_back(d.reason ? std::string(to_string(*d.reason)) : std::string());
        text.push_back(d.reason_text);
        to.push_back(d.to);
        message.push_back(d.message_id);
        at.push_back(d.decided_at);
    }
    c.session() << c.sql(std::string("INSERT INTO decisions (position, ") + kDecisionColumns +
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        use(position), use(request), use(kind), use(recipient_id), use(channel), use(outcome), use(reason), use(text),
        use(to), use(message), use(at), now;
}

std::optional<MessageRequest> DecisionLog::request(Database::Connection& c, const std::string& id) {
    return first_of(select_rows(c,
                                "SELECT id, kind, about, subject, client_id, refusal_code, refusal, created_at "
                                "FROM message_requests WHERE id = ?",
                                request_at, id));
}

std::optional<MessageRequest> DecisionLog::request(const std::string& id) {
    return on_connection(db_, [&](Database::Connection& c) { return request(c, id); });
}

std::vector<Decision> DecisionLog::of_request(Database::Connection& c, const std::string& id) {
    return select_rows(c, std::string("SELECT ") + kDecisionColumns + " FROM decisions WHERE request_id = ? ORDER BY position",
                       decision_at, id);
}

std::vector<Decision> DecisionLog::of_request(const std::string& id) {
    return on_connection(db_, [&](Database::Connection& c) { return of_request(c, id); });
}

std::vector<Decision> DecisionLog::find(const DecisionFilter& filter) try {
    auto c = db_.connect();
    std::string sql = std::string("SELECT ") + kDecisionColumns + " FROM decisions WHERE 1 = 1";
    std::vector<std::string> params;
    if (!filter.request.empty()) {
        sql += " AND request_id = ?";
        params.push_back(filter.request);
    }
    if (!filter.worker.empty()) {
        sql += " AND recipient_kind = 'worker' AND recipient_id = ?";
        params.push_back(filter.worker);
    }
    if (!filter.client.empty()) {
        sql += " AND recipient_kind = 'client' AND recipient_id = ?";
        params.push_back(filter.client);
    }
    int limit = std::clamp(filter.limit, 1, 1000);
    sql += " ORDER BY decided_at DESC, request_id, position LIMIT ?";
    Statement select(c.session());
    select << c.sql(sql);
    for (std::string& p : params) select, use(p);
    select, use(limit), now;
    RecordSet rs(select);
    return rows_of(rs, decision_at);
} catch (const Poco::Exception& e) {
    store_error(e);
}

} // namespace extcomm::sending
