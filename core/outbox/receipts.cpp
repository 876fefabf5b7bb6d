#include <common/log_text.hpp>
#include <common/masking.hpp>
#include <outbox/receipts.hpp>
#include <store/rows.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <Poco/UUIDGenerator.h>
#include <spdlog/spdlog.h>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;

namespace extcomm {
namespace {

constexpr const char* kMessageColumns = "id, idempotency_key, channel, transport, recipient, state, provider_message_id";

OutboundMessage message_at(const Row& r) {
    OutboundMessage m;
    m.id = r.text(0);
    m.idempotency_key = r.text(1);
    m.channel = channel_from(r.text(2)).value_or(Channel::email);
    m.transport = r.text(3);
    m.to = r.text(4);
    m.state = state_from(r.text(5)).value_or(MessageState::queued);
    m.provider_message_id = r.text(6);
    return m;
}

// The message a receipt or reply is about: by extcomm's id when given (and of this transport), else by
// the provider's id. Caller holds the store lock.
std::optional<OutboundMessage> find_message(Database::Connection& c, const std::string& transport,
                                            const std::string& message_id, const std::string& provider_message_id) {
    const std::string select = std::string("SELECT ") + kMessageColumns + " FROM messages WHERE ";
    if (!message_id.empty())
        if (auto m = first_of(select_rows(c, select + "id = ? AND transport = ?", message_at, message_id, transport)))
            return m;
    if (provider_message_id.empty()) return std::nullopt;
    return first_of(select_rows(c,
                                select + "transport = ? AND provider_message_id = ? AND provider_message_id <> '' "
                                         "ORDER BY created_at DESC LIMIT 1",
                                message_at, transport, provider_message_id));
}

// The state a receipt moves a message to, or nothing when it stays.
std::optional<MessageState> next_state(MessageState current, MessageState receipt) {
    if (is_final(current) || current == receipt) return std::nullopt;
    if (receipt == MessageState::sent) return current == MessageState::queued ? std::optional(receipt) : std::nullopt;
    if (!is_final(receipt)) return std::nullopt; // receipts only say sent or a final state
    return receipt;
}

std::string dedup_key_of(const Receipt& r) {
    const char sep = '\x1f';
    std::string key = r.transport + sep + (r.provider_message_id.empty() ? "id:" + r.message_id : r.provider_message_id);
    key += sep;
    key += to_string(r.status);
    key += sep + r.provider_code + sep + std::to_string(r.occurred_at);
    return key;
}

std::string dedup_key_of(const Reply& r) {
    // Without the provider's time two identical texts from one sender cannot be told apart: keep both.
    if (r.occurred_at == 0) return "r:" + Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    const char sep = '\x1f';
    return r.transport + sep + r.from + sep + std::to_string(r.occurred_at) + sep + r.provider_text + sep + r.text;
}

// Moves `message` to the receipt's state if the rules allow; returns whether it moved. Caller holds the lock.
bool move_message(Database::Connection& c, OutboundMessage& message, const Receipt& receipt, TimeMs now_ms) {
    auto next = next_state(message.state, receipt.status);
    if (!next) return false;
    std::string to(to_string(*next)), from(to_string(message.state)), id = message.id, code = receipt.provider_code,
        text = receipt.provider_text;
    Statement update(c.session());
    // Guarded by the state read: a settlement or another receipt in between wins, this one is recorded only.
    update << c.sql("UPDATE messages SET state = ?, last_code = ?, last_text = ?, updated_at = ? WHERE id = ? AND state = ?"),
        use(to), use(code), use(text), bind(now_ms), use(id), use(from);
    if (update.execute() == 0) return false;
    message.state = *next;
    return true;
}

void mark_applied(Database::Connection& c, const std::string& dedup_key, const std::string& message_id) {
    std::string key = dedup_key, id = message_id;
    c.session() << c.sql("UPDATE receipts SET applied = 1, message_id = ? WHERE dedup_key = ?"), use(id), use(key), now;
}

// Poco's what() is only the exception's class name; the reason is in displayText().

} // namespace

Receipts::Receipts(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

void Receipts::add_listener(ReceiptListener* listener) {
    std::lock_guard lock(listeners_mutex_);
    receipt_listeners_.push_back(listener);
}

void Receipts::add_listener(ReplyListener* listener) {
    std::lock_guard lock(listeners_mutex_);
    reply_listeners_.push_back(listener);
}

ReceiptOutcome Receipts::apply(const Receipt& receipt) try {
    TimeMs now_ms = clock_.now_ms();
    ReceiptOutcome outcome;
    {
        auto c = db_.connect();
        auto& s = c.session();
        Poco::Data::Transaction tx(s);
        outcome.message = find_message(c, receipt.transport, receipt.message_id, receipt.provider_message_id);
        std::string key = dedup_key_of(receipt), message_id = outcome.message ? outcome.message->id : "",
                    transport = receipt.transport, pid = receipt.provider_message_id, status(to_string(receipt.status)),
                    code = receipt.provider_code, text = receipt.provider_text;
        // Kept with the echoed id when the message is not found by it yet: reconcile() looks again.
        if (message_id.empty()) message_id = receipt.message_id;
        TimeMs occurred = receipt.occurred_at;
        Statement insert(s);
        insert << c.sql("INSERT INTO receipts (dedup_key, message_id, transport, provider_message_id, status, "
                        "provider_code, provider_text, occurred_at, received_at, applied) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (dedup_key) DO NOTHING"),
            use(key), use(message_id), use(transport), use(pid), use(status), use(code), use(text), bind(occurred),
            bind(now_ms);
        if (insert.execute() == 0) {
            outcome.effect = ReceiptEffect::duplicate;
            tx.commit();
            return outcome;
        }
        if (!outcome.message || outcome.message->state == MessageState::sending) {
            // Unknown, or its settlement is in flight (the provider answered the webhook before our commit).
            outcome.effect = ReceiptEffect::pending;
            tx.commit();
            if (!outcome.message)
                spdlog::info("receipt on transport {} for an unknown message (provider id '{}', extcomm id '{}'): kept "
                             "until the message is known",
                             receipt.transport, loggable(receipt.provider_message_id), loggable(receipt.message_id));
            return outcome;
        }
        outcome.effect = move_message(c, *outcome.message, receipt, now_ms) ? ReceiptEffect::changed : ReceiptEffect::unchanged;
        mark_applied(c, key, outcome.message->id);
        tx.commit();
    }
    if (outcome.effect == ReceiptEffect::changed) {
        spdlog::info("message {} is {} (receipt {} on transport {})", outcome.message->id, to_string(outcome.message->state),
                     loggable(receipt.provider_code), receipt.transport);
        std::vector<ReceiptListener*> listeners;
        {
            std::lock_guard lock(listeners_mutex_);
            listeners = receipt_listeners_;
        }
        for (ReceiptListener* l : listeners) l->on_receipt(*outcome.message, receipt, now_ms);
    }
    return outcome;
} catch (const Poco::Exception& e) {
    store_error(e);
}

namespace {

// How long a receipt whose message is still unknown waits before it is looked at again: 1 s after the
// first look, doubling each time, at most an hour, so a receipt that never finds its message costs about
// 180 looks in a week instead of one a second.
TimeMs unknown_receipt_backoff_ms(std::int64_t checks) {
    constexpr TimeMs kFirst = 1000, kLongest = 3600 * 1000;
    return checks >= 12 ? kLongest : std::min(kLongest, kFirst << checks);
}

Receipt receipt_at(const Row& r) {
    Receipt out;
    out.message_id = r.text(1);
    out.transport = r.text(2);
    out.provider_message_id = r.text(3);
    out.status = state_from(r.text(4)).value_or(MessageState::sent);
    out.provider_code = r.text(5);
    out.provider_text = r.text(6);
    out.occurred_at = r.number(7);
    return out;
}

// Unknown receipts are kept for `keep_ms` and never more than `cap` of them: a flood of receipts for
// ids we never had (a misconfigured provider, an attacker with the webhook secret) drops the oldest.
void bound_unknown(Database::Connection& c, TimeMs now_ms, TimeMs keep_ms, std::int64_t cap) {
    TimeMs before = now_ms - keep_ms;
    c.session() << c.sql("DELETE FROM receipts WHERE applied = 0 AND received_at < ?"), bind(before), now;
    Poco::Int64 offset = std::max<std::int64_t>(cap, 1) - 1; // the cap-th newest stays, older ones go
    Statement drop(c.session());
    drop << c.sql("DELETE FROM receipts WHERE applied = 0 AND received_at < (SELECT received_at FROM receipts "
                  "WHERE applied = 0 ORDER BY received_at DESC LIMIT 1 OFFSET ?)"),
        bind(offset);
    if (std::size_t dropped = drop.execute(); dropped > 0)
        spdlog::warn("dropped the {} oldest receipts for unknown messages: at most {} are kept", dropped, cap);
}

} // namespace

std::size_t Receipts::reconcile(TimeMs keep_unknown_ms, std::int64_t max_unknown) try {
    TimeMs now_ms = clock_.now_ms();
    std::vector<std::pair<OutboundMessage, Receipt>> changed;
    {
        auto c = db_.connect();
        // Only the receipts due for a look, a bounded batch of them, by the partial index on next_check_at.
        // New receipts are due at once, so a flood of them is bounded by the next call.
        auto due = select_rows(c,
                               "SELECT dedup_key, message_id, transport, provider_message_id, status, provider_code, "
                               "provider_text, occurred_at, checks FROM receipts WHERE applied = 0 AND next_check_at <= ? "
                               "ORDER BY next_check_at LIMIT 500",
                               [](const Row& r) { return std::tuple(r.text(0), receipt_at(r), r.number(8)); }, now_ms);
        if (due.empty()) return 0;
        Poco::Data::Transaction tx(c.session());
        for (auto& [key, r, checks] : due) {
            auto message = find_message(c, r.transport, r.message_id, r.provider_message_id);
            if (!message) {
                TimeMs next = now_ms + unknown_receipt_backoff_ms(checks);
                c.session() << c.sql("UPDATE receipts SET checks = checks + 1, next_check_at = ? WHERE dedup_key = ?"),
                    bind(next), use(key), now;
                continue;
            }
            if (message->state == MessageState::sending) continue; // its settlement is close: look again next time
            if (move_message(c, *message, r, now_ms)) changed.emplace_back(*message, r);
            mark_applied(c, key, message->id);
        }
        bound_unknown(c, now_ms, keep_unknown_ms, max_unknown);
        tx.commit();
    }
    std::vector<ReceiptListener*> listeners;
    {
        std::lock_guard lock(listeners_mutex_);
        listeners = receipt_listeners_;
    }
    for (const auto& [message, receipt] : changed) {
        spdlog::info("message {} is {} (receipt {} on transport {}, applied late)", message.id, to_string(message.state),
                     loggable(receipt.provider_code), receipt.transport);
        for (ReceiptListener* l : listeners) l->on_receipt(message, receipt, now_ms);
    }
    return changed.size();
} catch (const Poco::Exception& e) {
    store_error(e);
}

bool Receipts::record_reply(const Reply& reply) try {
    TimeMs now_ms = clock_.now_ms();
    StoredReply stored{reply.transport, reply.from, reply.text, "", reply.occurred_at, now_ms};
    {
        auto c = db_.connect();
        auto& s = c.session();
        Poco::Data::Transaction tx(s);
        if (auto m = find_message(c, reply.transport, reply.message_id, reply.provider_message_id)) stored.message_id = m->id;
        std::string key = dedup_key_of(reply), transport = reply.transport, from = reply.from, text = reply.text,
                    message_id = stored.message_id, pid = reply.provider_message_id, code = reply.provider_code,
                    ptext = reply.provider_text;
        TimeMs occurred = reply.occurred_at;
        Statement insert(s);
        insert << c.sql("INSERT INTO replies (dedup_key, transport, sender, text, message_id, provider_message_id, "
                        "provider_code, provider_text, occurred_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (dedup_key) DO NOTHING"),
            use(key), use(transport), use(from), use(text), use(message_id), use(pid), use(code), use(ptext),
            bind(occurred), bind(now_ms);
        std::size_t inserted = insert.execute();
        tx.commit();
        if (inserted == 0) return false;
    }
    spdlog::info("reply received on transport {} from {}{}", reply.transport, loggable(masked_address(reply.from)),
                 stored.message_id.empty() ? std::string(" (the message it answers is not known)")
                                           : " (answers message " + stored.message_id + ")");
    std::vector<ReplyListener*> listeners;
    {
        std::lock_guard lock(listeners_mutex_);
        listeners = reply_listeners_;
    }
    for (ReplyListener* l : listeners) l->on_reply(stored);
    return true;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::vector<StoredReceipt> Receipts::receipts_of(const std::string& message_id) {
    return on_connection(db_, [&](Database::Connection& c) {
        return select_rows(c,
                           "SELECT status, provider_code, provider_text, occurred_at, received_at FROM receipts "
                           "WHERE message_id = ? AND applied = 1 ORDER BY received_at, occurred_at, dedup_key",
                           [](const Row& r) {
                               return StoredReceipt{state_from(r.text(0)).value_or(MessageState::sent), r.text(1),
                                                    r.text(2), r.number(3), r.number(4)};
                           },
                           message_id);
    });
}

std::vector<StoredReply> Receipts::replies_to(const std::string& message_id) {
    return on_connection(db_, [&](Database::Connection& c) {
        return select_rows(c,
                           "SELECT transport, sender, text, message_id, occurred_at, received_at FROM replies "
                           "WHERE message_id = ? ORDER BY received_at, occurred_at",
                           [](const Row& r) {
                               return StoredReply{r.text(0), r.text(1), r.text(2), r.text(3), r.number(4), r.number(5)};
                           },
                           message_id);
    });
}

} // namespace extcomm
