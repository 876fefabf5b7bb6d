#include <store/retention.hpp>
#include <store/rows.hpp>

#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <spdlog/spdlog.h>

#include <iterator>
#include <string>

using namespace Poco::Data::Keywords;

namespace extcomm {
namespace {

// One kind of record: `expired` selects the keys of its oldest expired rows (bound: the cutoff, the batch
// size), through the index migration 15 made for it; `dependants` are {table, column} rows keyed by those
// keys, deleted first (foreign keys point at the kind's own table, deleted last).
struct RetentionTable {
    const char* name; // for the log
    int RetentionDays::*days;
    const char* table;
    const char* key;
    const char* expired;
    const char* dependant_table; // nullptr: none
    const char* dependant_key;
};

// The message condition repeats the partial index's WHERE term word for word (SQLite matches terms).
constexpr RetentionTable kTables[] = {
    {"messages", &RetentionDays::messages, "messages", "id",
     "SELECT id FROM messages WHERE state NOT IN ('queued', 'sending') AND updated_at < ? ORDER BY updated_at LIMIT ?",
     "attempts", "message_id"},
    {"message requests", &RetentionDays::messages, "message_requests", "id",
     "SELECT id FROM message_requests WHERE created_at < ? ORDER BY created_at LIMIT ?", "decisions", "request_id"},
    {"receipts", &RetentionDays::receipts, "receipts", "dedup_key",
     "SELECT dedup_key FROM receipts WHERE applied = 1 AND received_at < ? ORDER BY received_at LIMIT ?", nullptr, nullptr},
    {"replies", &RetentionDays::receipts, "replies", "dedup_key",
     "SELECT dedup_key FROM replies WHERE received_at < ? ORDER BY received_at LIMIT ?", nullptr, nullptr},
    {"trigger firings", &RetentionDays::trigger_firings, "trigger_firings", "seq",
     "SELECT seq FROM trigger_firings WHERE fired_at < ? ORDER BY fired_at LIMIT ?", nullptr, nullptr},
    {"audit entries", &RetentionDays::audit, "settings_audit", "id",
     "SELECT id FROM settings_audit WHERE at < ? ORDER BY at LIMIT ?", nullptr, nullptr},
    {"confirm links", &RetentionDays::messages, "confirm_links", "id",
     "SELECT id FROM confirm_links WHERE event_start < ? ORDER BY event_start LIMIT ?", nullptr, nullptr},
};
static_assert(std::size(kTables) == std::tuple_size_v<decltype(Purged::rows)>);

constexpr TimeMs kDayMs = 24LL * 3600 * 1000;

// Deletes one batch of `t`'s expired rows and their dependants in one transaction; returns how many of
// `t`'s rows went. The same subquery names the batch twice: in one transaction it names the same rows
// (a settled message changes only by a receipt, which moves it out of the batch, not into it).
std::size_t purge_batch(Database& db, const RetentionTable& t, TimeMs cutoff, int batch) {
    auto c = db.connect(Durability::deferred);
    Poco::Data::Transaction tx(c.session());
    Poco::Int64 before = cutoff, limit = batch;
    if (t.dependant_table) {
        Poco::Data::Statement dependants(c.session());
        dependants << c.sql(std::string("DELETE FROM ") + t.dependant_table + " WHERE " + t.dependant_key + " IN (" +
                            t.expired + ")"),
            bind(before), bind(limit);
        dependants.execute();
    }
    Poco::Data::Statement rows(c.session());
    rows << c.sql(std::string("DELETE FROM ") + t.table + " WHERE " + t.key + " IN (" + t.expired + ")"), bind(before),
        bind(limit);
    std::size_t deleted = rows.execute();
    tx.commit();
    return deleted;
}

} // namespace

std::size_t Purged::total() const {
    std::size_t sum = 0;
    for (std::size_t n : rows) sum += n;
    return sum;
}

Purged Retention::purge_once() try {
    Purged purged;
    const TimeMs now_ms = clock_.now_ms();
    std::string said;
    for (std::size_t i = 0; i < std::size(kTables); ++i) {
        const RetentionTable& t = kTables[i];
        const int days = days_.*t.days;
        if (days <= 0) continue;
        purged.rows[i] = purge_batch(db_, t, now_ms - days * kDayMs, batch_);
        purged.full = purged.full || purged.rows[i] >= static_cast<std::size_t>(batch_);
        if (purged.rows[i] > 0) said += (said.empty() ? "" : ", ") + std::to_string(purged.rows[i]) + " " + t.name;
    }
    if (!said.empty()) spdlog::info("retention: deleted {} (older than their retention_days)", said);
    return purged;
} catch (const Poco::Exception& e) {
    store_error(e);
}

} // namespace extcomm
