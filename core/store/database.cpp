#include <store/database.hpp>
#include <store/migrations.hpp>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Transaction.h>

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

} // namespace

Database::Database(const StoreOptions& options) {
    if (options.driver == "sqlite") {
        dialect_ = Dialect::sqlite;
        Poco::Data::SQLite::Connector::registerConnector();
        std::filesystem::path path(options.path);
        if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
        session_ = std::make_unique<Poco::Data::Session>("SQLite", options.path);
        // WAL + FULL: a commit survives a crash of the process and of the machine (Postfix's rule).
        *session_ << "PRAGMA journal_mode=WAL", now;
        *session_ << "PRAGMA synchronous=FULL", now;
        *session_ << "PRAGMA foreign_keys=ON", now;
        *session_ << "PRAGMA busy_timeout=5000", now;
    } else {
        throw std::runtime_error("store.driver: '" + options.driver + "' is not supported (use sqlite)");
    }
    migrate();
}

int Database::schema_version() {
    int version = 0;
    *session_ << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", into(version), now;
    return version;
}

void Database::migrate() {
    auto guard = lock();
    *session_ << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                 "description TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        now;
    int current = schema_version();
    for (const Migration& m : migrations()) {
        if (m.version <= current) continue;
        Poco::Data::Transaction tx(*session_);
        for (const std::string& sql : m.statements) *session_ << sql, now;
        std::int64_t at = now_ms();
        int version = m.version;
        std::string description = m.description;
        *session_ << "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
            use(version), use(description), use(at), now;
        tx.commit();
    }
}

} // namespace extcomm
