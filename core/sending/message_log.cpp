#include <sending/message_log.hpp>

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

[[noreturn]] void store_error(const Poco::Exception& e) { throw std::runtime_error("store: " + e.displayText()); }

constexpr const char* kDecisionColumns =
    "request_id, recipient_kind, recipient_id, channel, outcome, reason_code, reason, recipient, message_id, decided_at";

std::vector<Decision> decisions_of(RecordSet& rs) {
    std::vector<Decision> out;
    for (std::size_t row = 0; row < rs.rowCount(); ++row) {
        auto text = [&](std::size_t col) { return rs.value(col, row).convert<std::string>(); };
        Decision d;
        d.request_id = text(0);
        d.recipient = kRecipients.parse(text(1)).value_or(Recipient::worker);
        d.recipient_id = text(2);
        d.channel = channel_from(text(3));
        d.sent = text(4) == "sent";
        d.reason = kReasons.parse(text(5));
        d.reason_text = text(6);
        d.to = text(7);
        d.message_id = text(8);
        d.decided_at = rs.value(9, row).convert<std::int64_t>();
        out.push_back(std::move(d));
    }
    return out;
}

std::optional<MessageRequest> request_of(RecordSet& rs) {
    if (rs.rowCount() == 0) return std::nullopt;
    auto text = [&](std::size_t col) { return rs.value(col, 0).convert<std::string>(); };
    MessageRequest r;
    r.id = text(0);
    r.kind = text(1);
    r.about = text(2);
    r.subject = text(3);
    r.client = text(4);
    r.refusal_code = text(5);
    r.refusal = text(6);
    r.created_at = rs.value(7, 0).convert<std::int64_t>();
    return r;
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
    std::string id;
    c.session() << c.sql("SELECT id FROM message_requests WHERE idempotency_key = ?"), use(key), into(id), now;
    return id;
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
    std::string key = id;
    Statement select(c.session());
    select << c.sql("SELECT id, kind, about, subject, client_id, refusal_code, refusal, created_at FROM message_requests "
                    "WHERE id = ?"),
        use(key), now;
    RecordSet rs(select);
    return request_of(rs);
}

std::optional<MessageRequest> DecisionLog::request(const std::string& id) try {
    auto c = db_.connect();
    return request(c, id);
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::vector<Decision> DecisionLog::of_request(Database::Connection& c, const std::string& id) {
    std::string key = id;
    Statement select(c.session());
    select << c.sql(std::string("SELECT ") + kDecisionColumns + " FROM decisions WHERE request_id = ? ORDER BY position"),
        use(key), now;
    RecordSet rs(select);
    return decisions_of(rs);
}

std::vector<Decision> DecisionLog::of_request(const std::string& id) try {
    auto c = db_.connect();
    return of_request(c, id);
} catch (const Poco::Exception& e) {
    store_error(e);
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
    return decisions_of(rs);
} catch (const Poco::Exception& e) {
    store_error(e);
}

} // namespace extcomm::sending
