#pragma once
// Retention: records older than their type's `retention_days` are deleted, oldest first, a small batch
// per type per transaction, so a purge never holds the store for long. Invariants:
//   - a message still to be sent (queued or sending) is never deleted, however old; a settled one goes
//     with its attempts `messages` days after it last changed;
//   - a message request goes with its decisions `messages` days after it was made (a retried call with
//     its idempotency key after that is a new request);
//   - receipts applied to their message and replies go `receipts` days after they arrived (receipts for
//     unknown messages are bounded by outbox/receipts.cpp);
//   - trigger firings go `trigger_firings` days after they fired, audit entries `audit` days after the
//     change they record;
//   - a confirm link goes `messages` days after its event started (until then an old link still answers
//     "expired" rather than "not valid", and its confirmation message is still in the log);
//   - 0 days keeps that type for ever.
// The batches take the store as bookkeeping (Durability::deferred): an acceptance waiting for SQLite's
// one writer goes first.
#include <common/clock.hpp>
#include <store/database.hpp>

#include <array>
#include <cstddef>

namespace extcomm {

struct RetentionDays {
    int messages = 180;        // settled messages with their attempts; message requests with their decisions
    int receipts = 180;        // applied receipts and replies
    int trigger_firings = 365;
    int audit = 730;           // the settings' and action triggers' audit
};

// Rows deleted by one purge_once(), per kind of record: messages, message requests, receipts, replies,
// trigger firings, audit entries, confirm links.
struct Purged {
    std::array<std::size_t, 7> rows{};
    bool full = false;         // some kind filled its batch: more may be due, call again
    std::size_t total() const;
};

class Retention {
public:
    Retention(Database& db, const Clock& clock, RetentionDays days, int batch = 500)
        : db_(db), clock_(clock), days_(days), batch_(batch) {}

    // At most one batch of each kind's expired rows, each in its own transaction.
    Purged purge_once();

private:
    Database& db_;
    const Clock& clock_;
    RetentionDays days_;
    int batch_;
};

} // namespace extcomm
