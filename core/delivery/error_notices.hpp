#pragma once
// Error notices: what the agency's error-notice recipients are told about delivery problems they can
// act on — a message refused for good (invalid number or address, bounced mailbox), a message that
// ran out of attempts, a transport that was paused. Notices are stored as they happen and reported in
// one digest email per recipient per interval (an outage gives one email, not one per message). A digest
// is a message of kind error-notice-digest like any other: rendered through its template (an
// administrator's error-notice-digest template takes effect), decided, enqueued and logged by the sending
// pipeline, to the members of the agency's error-notice worker category and to the configuration's
// error_notices.recipients. A digest that cannot be delivered is only logged: notices never cause notices.
#include <common/clock.hpp>
#include <delivery/transport.hpp>
#include <agency/settings_store.hpp>
#include <outbox/receipts.hpp>
#include <sending/pipeline.hpp>
#include <store/database.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace extcomm {

struct ErrorNoticeOptions {
    // Who a digest goes to, asked when one is due: the members of the agency's error-notice worker
    // category (general.error_notice_category), and `recipients` (the configuration's addresses).
    std::function<std::vector<agency::Worker>()> category_members;
    std::vector<std::string> recipients; // email addresses from the configuration
    std::function<agency::SnapshotPtr()> settings; // the templates and settings a digest is rendered with
    std::string transport;               // the email transport digests go out on
    TimeMs interval_ms = 300'000;        // at most one digest per recipient per interval
    std::size_t max_items = 200;         // listed in one digest; the rest are counted
};

// action_unassigned: an action trigger's action had nobody to go to (triggers/error_log.hpp).
enum class NoticeKind { message_rejected, message_failed, transport_paused, action_unassigned };
std::string_view to_string(NoticeKind kind);

struct ErrorNotice {
    NoticeKind kind = NoticeKind::message_rejected;
    std::string message_id; // empty for transport notices
    std::string transport;
    std::string recipient;  // masked
    std::string code;
    std::string text;
    TimeMs occurred_at = 0;
};

// Stores a notice in the caller's transaction (`id`: a repeated notice is stored once); the next digest
// reports it. Writers outside the delivery path (action triggers) tell the digest with noticed().
void store_error_notice(Database::Connection& c, const ErrorNotice& notice, const std::string& id);

class ErrorNotices final : public DeliveryObserver, public ReceiptListener {
public:
    ErrorNotices(sending::Pipeline& pipeline, const Clock& clock, ErrorNoticeOptions options);

    // The idempotency-key prefix of digest emails: messages carrying it never cause notices.
    static constexpr std::string_view kKeyPrefix = "error-notice:";
    // A digest: its kind, or (rows from before this release) its key.
    static bool is_notice(const OutboundMessage& message);

    // DeliveryObserver: a rejected outcome, or a retryable one on the last allowed attempt.
    void on_attempt(const OutboundMessage& message, const DeliveryResult& result, MessageState ended_in,
                    TimeMs now_ms) override;
    // ReceiptListener: a receipt that moved a message to failed or rejected.
    void on_receipt(const OutboundMessage& message, const Receipt& receipt, TimeMs now_ms) override;

    // For the dispatcher: `name` stopped sending (auth or configuration trouble) and needs a person.
    // `reason` is shown to the recipients as is: it must hold no secret. Thread-safe; never throws.
    void transport_paused(const std::string& name, const std::string& reason);
    // DeliveryObserver: the same, as the dispatcher reports it.
    void on_transport_paused(const std::string& transport, const std::string& reason, TimeMs now_ms) override;

    // Sends the digest when one is due (the interval since the last one has passed and something is
    // waiting). Returns the number of digest emails enqueued. Call it periodically (the host does, about
    // once a second). Throws only when the store fails.
    std::size_t flush_due();
    // Notices were stored by someone else (store_error_notice, committed): the next flush_due looks.
    void noticed() { maybe_pending_ = true; }

    // Notices not reported yet, oldest first.
    std::vector<ErrorNotice> pending();

private:
    void record(const ErrorNotice& notice, const std::string& id);
    std::size_t send_digest(const std::vector<ErrorNotice>& notices, const std::vector<std::string>& ids);

    Database& db_;
    sending::Pipeline& pipeline_;
    const Clock& clock_;
    ErrorNoticeOptions options_;
    std::mutex flush_mutex_;
    TimeMs last_digest_at_;
    std::atomic<bool> maybe_pending_{true}; // there may be notices from an earlier run
};

} // namespace extcomm
