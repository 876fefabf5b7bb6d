#include <common/periodic.hpp>
#include <store/database.hpp>
#include <store/migrations.hpp>

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <stdexcept>

using namespace Poco::Data::Keywords;

namespace extcomm {
namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Taken (for the length of one transaction) by every host that checks or applies migrations, so that
// hosts started at the same moment apply each migration once, one after the other. Any constant will
// do as long as nothing else in the database uses it: "extcomm" in ASCII.
constexpr std::int64_t kMigrationLock = 0x657874636f6d6d;

// The SQLite store holds personal data and the confirm links' generated signing key, so its folder (when
// the service makes it), the database file and its -wal and -shm files are the service user's only.
// SQLite gives -wal and -shm the database file's mode, so the file is made 0600 before SQLite opens it;
// a store made before this rule is narrowed at start, and the log says which files were.
void make_store_owner_only(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    if (path.has_parent_path() && !fs::exists(path.parent_path())) {
        fs::create_directories(path.parent_path());
        fs::permissions(path.parent_path(), fs::perms::owner_all);
    }
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd); // else SQLite's open says why
    for (const char* suffix : {"", "-wal", "-shm"}) {
        fs::path file = path.string() + suffix;
        std::error_code ec;
        auto mode = fs::status(file, ec).permissions();
        if (ec || (mode & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none) continue;
        fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, ec);
        if (ec)
            spdlog::warn("store file {} is readable by others and could not be made owner-only: {}", file.string(), ec.message());
        else
            spdlog::warn("store file {} was readable by others: made owner-only (0600)", file.string());
    }
}

} // namespace

std::string to_dialect(Dialect dialect, std::string_view portable) {
    if (dialect == Dialect::sqlite) return std::string(portable);
    std::string out;
    out.reserve(portable.size() + 16);
    int number = 0;
    char quote = 0; // inside '...' or "...": a `?` there is text, not a parameter
    for (char ch : portable) {
        if (quote) {
            if (ch == quote) quote = 0; // a doubled quote closes and reopens: same result
            out += ch;
        } else if (ch == '\'' || ch == '"') {
            quote = ch;
            out += ch;
        } else if (ch == '?') {
            out += '$';
            out += std::to_string(++number);
        } else {
            out += ch;
        }
    }
    return out;
}

namespace {

// WAL with synchronous=NORMAL does not fsync at commit and cannot corrupt the database (SQLite's
// documentation); synchronous_commit=off is PostgreSQL's equivalent. Both keep commits in order.
const char* deferred_on(Dialect d) {
    return d == Dialect::sqlite ? "PRAGMA synchronous=NORMAL" : "SET synchronous_commit = off";
}
const char* deferred_off(Dialect d) {
    return d == Dialect::sqlite ? "PRAGMA synchronous=FULL" : "SET synchronous_commit = on";
}

// One checkpoint round (PRAGMA wal_checkpoint): how many frames the WAL holds, and whether every one of
// them is now in the database file. A failed round copied nothing (the WAL keeps everything and the
// next round tries again).
struct CheckpointRound {
    int frames = 0;
    bool complete = false;
};

CheckpointRound run_checkpoint(Poco::Data::Session& session, const std::string& mode) {
    int busy = 0, frames = 0, copied = 0;
    try {
        session << "PRAGMA wal_checkpoint(" + mode + ")", into(busy), into(frames), into(copied), now;
    } catch (const Poco::Exception&) {
        return {};
    }
    return {frames, busy == 0 && copied >= frames};
}

} // namespace

Database::Connection::Connection(Database& db, Durability durability)
    : db_(db), dialect_(Dialect::sqlite), session_(db.session_.get()), durability_(durability) {
    db.turns_.acquire(durability);
    has_turn_ = true;
    if (durability_ == Durability::deferred) {
        try {
            *session_ << deferred_on(dialect_), now;
        } catch (...) {
            db.turns_.release();
            throw;
        }
    }
}

Database::Connection::Connection(Database& db, Poco::Data::Session pooled, Durability durability)
    : db_(db), dialect_(Dialect::postgresql), pooled_(std::move(pooled)), session_(&*pooled_), durability_(durability) {
    if (durability_ == Durability::deferred) *session_ << deferred_on(dialect_), now;
}

Database::Connection::Connection(Database& db, std::unique_lock<std::mutex> reading)
    : db_(db), dialect_(Dialect::sqlite), reading_(std::move(reading)), session_(db.reading_session_.get()),
      durability_(Durability::durable) {}

Database::Connection::~Connection() {
    if (durability_ == Durability::deferred) {
        try {
            *session_ << deferred_off(dialect_), now;
        } catch (...) {
            // The session is broken: PostgreSQL's pool drops it; SQLite's next statement will say why.
        }
    }
    if (has_turn_) db_.turns_.release();
    if (pooled_) {
        pooled_.reset(); // back to the pool (an unfinished transaction is rolled back by its guard first)
        db_.slots_.release();
    }
}

Database::Database(const StoreOptions& options) {
    if (options.driver == "sqlite") {
        dialect_ = Dialect::sqlite;
        Poco::Data::SQLite::Connector::registerConnector();
        if (options.path != ":memory:") make_store_owner_only(options.path);
        session_ = std::make_unique<Poco::Data::Session>("SQLite", options.path);
        // WAL + FULL: a commit survives a crash of the process and of the machine (Postfix's rule).
        *session_ << "PRAGMA journal_mode=WAL", now;
        *session_ << "PRAGMA synchronous=FULL", now;
        *session_ << "PRAGMA foreign_keys=ON", now;
        *session_ << "PRAGMA busy_timeout=5000", now;
        // Text erased from a row (a verification code's message at its final state, outbox.cpp) is
        // overwritten with zeros in its page and in freed pages, not left readable in free space.
        *session_ << "PRAGMA secure_delete=ON", now;
        // Left to SQLite, a checkpoint runs inside whichever commit crosses 1,000 pages of WAL, fsyncing
        // the database file while every writer waits. Here it runs beside them, four times a second.
        *session_ << "PRAGMA wal_autocheckpoint=0", now;
        checkpoint_session_ = std::make_unique<Poco::Data::Session>("SQLite", options.path);
        *checkpoint_session_ << "PRAGMA busy_timeout=5000", now;
        if (options.path != ":memory:") {
            reading_session_ = std::make_unique<Poco::Data::Session>("SQLite", options.path);
            *reading_session_ << "PRAGMA busy_timeout=5000", now;
            *reading_session_ << "PRAGMA query_only=ON", now;
        }
        checkpointer_ = std::make_unique<Periodic>(std::chrono::milliseconds(250), [this] { checkpoint(); });
    } else if (options.driver == "postgresql") {
        dialect_ = Dialect::postgresql;
        if (options.connection.empty()) throw std::runtime_error("store.connection: required for postgresql");
        Poco::Data::PostgreSQL::Connector::registerConnector();
        int size = std::clamp(options.pool_size, 1, kMaxPoolSize);
        // Durability is the server's (fsync, synchronous_commit): a COMMIT that returned is on disk.
        pool_ = std::make_unique<Poco::Data::SessionPool>("PostgreSQL", options.connection, 1, size, 60);
        slots_.release(size);
    } else {
        throw std::runtime_error("store.driver: '" + options.driver + "' is not supported (use sqlite or postgresql)");
    }
    try {
        migrate();
        if (checkpointer_) checkpointer_->start();
    } catch (const Poco::Exception& e) {
        // Poco's what() is only the exception's class name; the reason is in displayText().
        throw std::runtime_error(std::string(options.driver) + ": " + e.displayText());
    }
}

// PASSIVE copies what it can without waiting for readers or the writer. But SQLite starts the WAL over
// (walRestartLog) only in a write transaction whose snapshot began after a checkpoint had copied every
// frame; under a steady stream of commits each one begins while the one before is still being copied, so
// the WAL never starts over and every commit extends the file (about 5 KB a message: 100 MB in the 1.4 s
// of 20,000 single-message requests), for as long as the stream lasts. Extending a file makes each
// commit's fdatasync write the file's size to the ext4 journal as well: twice the time of a sync that
// overwrites blocks already written. So when writers have written since the last round, a second round
// runs in a writer's turn, when no transaction is open: it copies only what was appended meanwhile, and
// the next commit starts the WAL over, overwriting its old frames. The turn is held for that tail and one
// fsync of the database file, at most four times a second, and not at all while nothing is written.
//
// After a secret's text was erased, TRUNCATE instead: it copies the whole WAL and cuts the file to zero
// bytes, so the erased text's old page images are gone from the disk's WAL too. It runs in a writer's
// turn: the store's session has no transaction open and cannot begin one until the WAL is reset. Run
// beside a transaction that began before the reset, it failed that transaction at once with "database is
// locked" (a snapshot the reset invalidated is SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out).
// Secrets are few, so holding the writers back for one checkpoint is rare.
void Database::checkpoint() {
    if (!checkpoint_session_) return; // PostgreSQL checkpoints by itself
    std::lock_guard one_round(checkpoint_mutex_);
    if (!erased_secret_text_.exchange(false)) {
        const CheckpointRound beside = run_checkpoint(*checkpoint_session_, "PASSIVE");
        if (beside.complete && beside.frames == frames_after_held_round_) return; // nothing written since
        Connection turn(*this, Durability::deferred);
        const CheckpointRound held = run_checkpoint(*checkpoint_session_, "PASSIVE");
        frames_after_held_round_ = held.complete ? held.frames : -1;
        return;
    }
    Connection turn(*this, Durability::durable);
    if (!run_checkpoint(*checkpoint_session_, "TRUNCATE").complete) erased_secret_text_ = true; // the next round tries again
    frames_after_held_round_ = -1;
}

Database::~Database() {
    if (checkpointer_) checkpointer_->stop();
    if (pool_) pool_->shutdown();
}

Database::Connection Database::connect_for_reading() {
    if (!reading_session_) return connect();
    return Connection(*this, std::unique_lock(reading_mutex_));
}

Database::Connection Database::connect(Durability durability) {
    if (dialect_ == Dialect::sqlite) return Connection(*this, durability);
    slots_.acquire();
    try {
        return Connection(*this, pool_->get(), durability);
    } catch (const Poco::Exception& e) {
        slots_.release();
        throw std::runtime_error("postgresql: cannot get a session: " + e.displayText());
    } catch (...) {
        slots_.release();
        throw;
    }
}

int Database::schema_version() {
    auto c = connect();
    return schema_version(c);
}

int Database::schema_version(Connection& c) {
    int version = 0;
    c.session() << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", into(version), now;
    return version;
}

void Database::migrate() {
    auto c = connect();
    auto& s = c.session();
    // One transaction per migration. On PostgreSQL each takes the migration lock first and reads the
    // version under it: a host that waited for another one sees its work and skips it.
    for (;;) {
        Poco::Data::Transaction tx(s);
        if (dialect_ == Dialect::postgresql) {
            std::int64_t key = kMigrationLock;
            s << "SELECT pg_advisory_xact_lock($1)", use(key), now;
            // "relation already exists, skipping" is expected here, not worth a line on stderr.
            s << "SET LOCAL client_min_messages = warning", now;
        }
        s << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
             "description TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            now;
        int current = schema_version(c);
        const auto& all = migrations();
        auto next = std::find_if(all.begin(), all.end(), [&](const Migration& m) { return m.version > current; });
        if (next == all.end()) {
            tx.commit();
            return;
        }
        for (const std::string& sql : next->statements) s << sql, now;
        std::int64_t at = now_ms();
        int version = next->version;
        std::string description = next->description;
        s << c.sql("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)"), use(version),
            use(description), use(at), now;
        tx.commit();
    }
}

} // namespace extcomm
