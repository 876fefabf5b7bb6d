#pragma once
// The store: one Poco::Data session per connection, the SQL dialect, and the schema's migrations.
#include <Poco/Data/Session.h>

#include <memory>
#include <mutex>
#include <string>

namespace extcomm {

enum class Dialect { sqlite, postgresql };

struct StoreOptions {
    std::string driver = "sqlite"; // sqlite | postgresql
    std::string path;              // sqlite: file
    std::string connection;        // postgresql: libpq connection string
};

class Database {
public:
    // Opens the store and brings its schema up to date. Throws std::runtime_error with the reason.
    explicit Database(const StoreOptions& options);

    Dialect dialect() const { return dialect_; }
    int schema_version();

    // SQLite allows one writer; every statement goes through this session under this lock.
    // (The PostgreSQL store will use a session pool; callers only see `session()` + `lock()`.)
    Poco::Data::Session& session() { return *session_; }
    std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mutex_); }

private:
    void migrate();

    Dialect dialect_;
    std::unique_ptr<Poco::Data::Session> session_;
    std::mutex mutex_;
};

} // namespace extcomm
