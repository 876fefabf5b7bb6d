#pragma once
// What providers tell us after a send: delivery receipts (applied to the message's state) and replies
// (stored for whoever listens). Receipts may come twice, late or in any order:
//   - a message in a final state (delivered, failed, expired, rejected) never changes again;
//   - a "sent" receipt never moves a message backwards;
//   - a repeated receipt is stored once and changes nothing;
//   - a receipt for a message not known (yet) is kept aside and applied by reconcile() once the
//     message's settlement names the provider's id (a fast provider can overtake our own commit); one
//     whose message stays unknown is looked at less and less often (1 s, doubling, at most hourly),
//     dropped after a week, and no more than a cap of them are kept (the oldest go first).
#include <common/clock.hpp>
#include <outbox/message.hpp>
#include <store/database.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace extcomm {

// One delivery receipt as a transport parsed it.
struct Receipt {
    std::string transport;
    std::string message_id;          // extcomm's id when the provider echoes it, else empty
    std::string provider_message_id; // the provider's id, else empty
    MessageState status = MessageState::sent; // sent | delivered | failed | expired | rejected
    std::string provider_code;
    std::string provider_text;
    TimeMs occurred_at = 0; // per the provider; 0 = unknown
};

// A receipt as stored and shown with its message.
struct StoredReceipt {
    MessageState status = MessageState::sent;
    std::string provider_code;
    std::string provider_text;
    TimeMs occurred_at = 0;
    TimeMs received_at = 0;
};

enum class ReceiptEffect {
    changed,   // the message moved to the receipt's state
    unchanged, // recorded; the message's state stays (final already, or the receipt is older news)
    duplicate, // the same receipt was received before: nothing to do
    pending,   // the message is not known yet (or is being settled): kept, applied by reconcile()
};

struct ReceiptOutcome {
    ReceiptEffect effect = ReceiptEffect::pending;
    // The message the receipt is about, when known. Holds id, idempotency_key, channel, transport, to,
    // provider_message_id and `state` (after the receipt); the other members are left empty.
    std::optional<OutboundMessage> message;
};

// An inbound message from a recipient.
struct Reply {
    std::string transport;
    std::string from;                // the sender's number or address
    std::string text;
    std::string message_id;          // extcomm's id of the message answered, if the provider says
    std::string provider_message_id; // the provider's id of the message answered, if it says
    std::string provider_code;
    std::string provider_text;
    TimeMs occurred_at = 0;
};

struct StoredReply {
    std::string transport;
    std::string from;
    std::string text;
    std::string message_id; // the message answered, empty when not known
    TimeMs occurred_at = 0;
    TimeMs received_at = 0;
};

// Told about each receipt that moved a message to a new state (error notices, metrics).
class ReceiptListener {
public:
    virtual ~ReceiptListener() = default;
    virtual void on_receipt(const OutboundMessage& message, const Receipt& receipt, TimeMs now_ms) = 0;
};

// Told about each new reply, after it is stored (e.g. a client confirming an appointment with "YES").
// Called on the thread that received the webhook: return quickly, do not throw.
class ReplyListener {
public:
    virtual ~ReplyListener() = default;
    virtual void on_reply(const StoredReply& reply) = 0;
};

class Receipts {
public:
    Receipts(Database& db, const Clock& clock);

    // Listeners are added before the first receipt arrives and outlive this object's use.
    void add_listener(ReceiptListener* listener);
    void add_listener(ReplyListener* listener);

    // Records and applies one receipt (one transaction). Throws only when the store fails.
    ReceiptOutcome apply(const Receipt& receipt);

    // Stores a reply, linked to the message it answers when that is known. Returns false for a reply
    // received before (a provider's retry).
    bool record_reply(const Reply& reply);

    // Applies the receipts kept aside (those due for a look) whose message is now known. Returns how many
    // were applied. Receipts still unknown after `keep_unknown_ms` are dropped (a provider's id we never
    // had), and so are the oldest beyond `max_unknown` (logged with their count).
    std::size_t reconcile(TimeMs keep_unknown_ms = 7LL * 24 * 3600 * 1000, std::int64_t max_unknown = 10'000);

    std::vector<StoredReceipt> receipts_of(const std::string& message_id);
    std::vector<StoredReply> replies_to(const std::string& message_id);

private:
    Database& db_;
    const Clock& clock_;
    std::mutex listeners_mutex_;
    std::vector<ReceiptListener*> receipt_listeners_;
    std::vector<ReplyListener*> reply_listeners_;
};

} // namespace extcomm
