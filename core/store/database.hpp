#pragma once
// The store: where sessions come from, the SQL dialect, and the schema's migrations.
//
// SQLite (embedded, one host): one session taken in turns (WriterTurns), since SQLite has one writer
// anyway; beside it, one for checkpoints and one for long reads (connect_for_reading), which WAL mode
// lets run while the writer writes.
// PostgreSQL (scale-out, several hosts on one database): a pool of sessions, one per concurrent caller.
// Callers never see the difference except through `Connection::sql()` and `Connection::skip_locked()`,
// the only two places where the dialects part ways.
#include <store/durability.hpp>
#include <store/writer_turns.hpp>

#include <Poco/Data/Session.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>

namespace Poco::Data {
class SessionPool;
}

namespace extcomm {
class Periodic;
}

namespace extcomm {

enum class Dialect { sqlite, postgresql };


struct StoreOptions {
    std::string driver = "sqlite"; // sqlite | postgresql
    std::string path;              // sqlite: file
    std::string connection;        // postgresql: libpq connection string ("host=... port=... dbname=...")
    int pool_size = 16;            // postgresql: sessions at most; further callers wait for one
};

// `portable` with every `?` placeholder (outside quoted literals) written the way `dialect` wants it:
// unchanged for SQLite, `$1`, `$2`... for PostgreSQL (Poco's PostgreSQL connector passes the text to
// libpq's PQprepare as is, and PostgreSQL only knows numbered parameters).
std::string to_dialect(Dialect dialect, std::string_view portable);

class Database {
public:
    static constexpr int kMaxPoolSize = 64;

    // Opens the store and brings its schema up to date (once, even when several hosts start together).
    // Throws std::runtime_error with the reason.
    explicit Database(const StoreOptions& options);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // A session for one unit of work, held until the Connection goes out of scope: the SQLite session
    // under its writer lock, or a pooled PostgreSQL session (waits while all of them are in use).
    // Keep it short: a Connection is a lock on SQLite and a scarce session on PostgreSQL. Never ask for
    // a second one while holding one (SQLite: self-deadlock on the writer lock; PostgreSQL: pool slots
    // held while waiting for more). Pass the Connection down instead.
    class Connection {
    public:
        ~Connection();
        Connection(const Connection&) = delete;
        Connection& operator=(const Connection&) = delete;

        Poco::Data::Session& session() { return *session_; }
        Dialect dialect() const { return dialect_; }
        // The statement text for this store (placeholders; see to_dialect).
        std::string sql(std::string_view portable) const { return to_dialect(dialect_, portable); }
        // Appended to a `SELECT ... LIMIT n` that picks rows to update: PostgreSQL locks the rows it
        // picks and skips those another host is updating; SQLite has one writer, nothing to skip.
        const char* skip_locked() const { return dialect_ == Dialect::postgresql ? " FOR UPDATE SKIP LOCKED" : ""; }

    private:
        friend class Database;
        Connection(Database& db, Durability durability); // sqlite
        Connection(Database& db, Poco::Data::Session pooled, Durability durability); // postgresql: a slot is taken
        Connection(Database& db, std::unique_lock<std::mutex> reading);               // sqlite: the reading session

        Database& db_;
        Dialect dialect_;
        bool has_turn_ = false;                      // sqlite: holds a turn at the one connection
        std::optional<Poco::Data::Session> pooled_;  // postgresql
        std::unique_lock<std::mutex> reading_;       // sqlite: holds the reading session
        Poco::Data::Session* session_ = nullptr;
        Durability durability_;
    };

    Connection connect(Durability durability = Durability::durable);
    // A session for a long read that writes nothing (counting the whole message table for /metrics), so
    // that it never holds the writers back. SQLite: a second session, read-only; in WAL mode its reads
    // neither wait for the writer nor stop it, and they see what was committed when each statement began.
    // One such read at a time. PostgreSQL: a pooled session, as connect() gives (MVCC: the same holds).
    // SQLite in memory has one session only: connect().
    Connection connect_for_reading();

    Dialect dialect() const { return dialect_; }
    // A secret's text was erased from a row (outbox.cpp): on SQLite the next checkpoint empties the
    // write-ahead log (TRUNCATE), so the text is not left in the WAL's old frames either. PostgreSQL: nothing.
    void erased_secret_text() { erased_secret_text_ = true; }
    int schema_version();
    // Tests: units of work waiting for SQLite's connection.
    int waiting_for_turn() const { return turns_.waiting(); }
    // SQLite: copies the write-ahead log into the database file (database.cpp says how). The checkpointer's
    // thread calls it four times a second; tests call it to choose the moment.
    void checkpoint();

private:
    void migrate();
    int schema_version(Connection& c);

    Dialect dialect_;
    // sqlite
    std::unique_ptr<Poco::Data::Session> session_;
    WriterTurns turns_;
    // sqlite: checkpoints the WAL into the database file on a connection of its own, so that the
    // checkpoint's fsync of the database file runs beside the writers, not in a writer's turn (but for
    // the rounds that finish a WAL the writers kept growing, or empty it of a secret).
    std::unique_ptr<Poco::Data::Session> checkpoint_session_;
    std::mutex checkpoint_mutex_; // one round at a time on checkpoint_session_
    int frames_after_held_round_ = -1; // the WAL's frames after the last round in a writer's turn
    // sqlite on a file: connect_for_reading's session, and who holds it.
    std::unique_ptr<Poco::Data::Session> reading_session_;
    std::mutex reading_mutex_;
    std::unique_ptr<Periodic> checkpointer_;
    std::atomic<bool> erased_secret_text_{false};
    // postgresql: the pool hands out at most pool_size sessions and throws when asked for more, so
    // callers first take one of these slots (and wait for one) instead.
    std::unique_ptr<Poco::Data::SessionPool> pool_;
    std::counting_semaphore<kMaxPoolSize> slots_{0};
};

} // namespace extcomm
