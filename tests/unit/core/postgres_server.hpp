#pragma once
// A private PostgreSQL server for tests: initdb into a temporary folder, started on 127.0.0.1 with a
// free port and its unix socket in that folder, stopped and removed by the destructor. Uses Debian's
// `postgresql` package (/usr/lib/postgresql/<version>/bin, or $EXTCOMM_PG_BIN). PostgreSQL refuses to
// run as root, so as root the server runs as the `postgres` user (runuser).
// The Python twin for integration tests is tests/support/postgres.py.
#include <filesystem>
#include <string>

namespace extcomm::testing {

class PostgresServer {
public:
    PostgresServer(); // throws std::runtime_error with the reason (and the server log) on failure
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    int port() const { return port_; }
    // A libpq connection string for `database` (created by create_database).
    std::string connection(const std::string& database) const;
    // Creates an empty database and returns its name (fresh_1, fresh_2, ...).
    std::string create_database();

    // One server per test process, started on first use, stopped at exit.
    static PostgresServer& shared();

private:
    std::string as_server_user(const std::string& command) const;
    void run(const std::string& command) const; // throws with the output on failure

    std::filesystem::path folder_;
    std::filesystem::path bin_;
    int port_ = 0;
    bool running_ = false;
    int databases_ = 0;
};

} // namespace extcomm::testing
