#include "postgres_server.hpp"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

using namespace Poco::Data::Keywords;
namespace fs = std::filesystem;

namespace extcomm::testing {
namespace {

fs::path find_bin() {
    if (const char* env = std::getenv("EXTCOMM_PG_BIN"); env && *env) return env;
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec))
        if (fs::exists(entry.path() / "bin" / "initdb")) found.push_back(entry.path() / "bin");
    if (found.empty())
        throw std::runtime_error("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin "
                                 "(install Debian's `postgresql` package, or set EXTCOMM_PG_BIN)");
    std::sort(found.begin(), found.end()); // the newest major version
    return found.back();
}

// A port nobody listens on right now: bind port 0, read it back, release it. Another process could take
// it before the server binds it; the start is retried with another port in that case.
int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot find a free port");
    }
    int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; } // our own temp paths: no quotes in them

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

PostgresServer::PostgresServer() : bin_(find_bin()) {
    std::string pattern = (fs::temp_directory_path() / "extcomm-pg-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    folder_ = pattern;
    try {
        if (::geteuid() == 0) {
            // PostgreSQL will not run as root: the folder and the server belong to `postgres`.
            const passwd* pw = ::getpwnam("postgres");
            if (!pw) throw std::runtime_error("running as root but there is no `postgres` user to run the server");
            if (::chown(folder_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
                throw std::runtime_error("cannot chown " + folder_.string() + " to postgres");
        }
        run(as_server_user(quoted(bin_ / "initdb") + " -D " + quoted(folder_ / "data") +
                           " -U extcomm -A trust -E UTF8 --no-sync"));
        for (int attempt = 1;; ++attempt) {
            port_ = free_port();
            // fsync off: a test server need not survive a power cut, and it is much faster on a busy disk.
            std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k " +
                                  folder_.string() + " -c fsync=off -c full_page_writes=off";
            try {
                run(as_server_user(quoted(bin_ / "pg_ctl") + " -D " + quoted(folder_ / "data") + " -l " +
                                   quoted(folder_ / "server.log") + " -w -t 60 -o \"" + options + "\" start"));
                break;
            } catch (const std::exception&) {
                if (attempt == 3) throw; // the port was taken between free_port() and the bind, three times?
            }
        }
        running_ = true;
        Poco::Data::PostgreSQL::Connector::registerConnector();
    } catch (const std::exception& e) {
        std::string log = read_file(folder_ / "server.log");
        std::error_code ec;
        fs::remove_all(folder_, ec);
        throw std::runtime_error(std::string("cannot start a test PostgreSQL server: ") + e.what() +
                                 (log.empty() ? "" : "\nserver log:\n" + log));
    }
}

PostgresServer::~PostgresServer() {
    if (running_) {
        std::string command = as_server_user(quoted(bin_ / "pg_ctl") + " -D " + quoted(folder_ / "data") +
                                             " -m immediate -w stop >/dev/null 2>&1");
        [[maybe_unused]] int rc = std::system(command.c_str());
    }
    std::error_code ec;
    fs::remove_all(folder_, ec);
}

std::string PostgresServer::as_server_user(const std::string& command) const {
    return ::geteuid() == 0 ? "runuser -u postgres -- " + command : command;
}

void PostgresServer::run(const std::string& command) const {
    fs::path out = folder_ / "command.out";
    std::string full = command + " >" + quoted(out) + " 2>&1";
    int rc = std::system(full.c_str());
    if (rc != 0) throw std::runtime_error("`" + command + "` failed:\n" + read_file(out));
}

std::string PostgresServer::connection(const std::string& database) const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " user=extcomm dbname=" + database;
}

std::string PostgresServer::create_database() {
    std::string name = "fresh_" + std::to_string(++databases_);
    Poco::Data::Session admin("PostgreSQL", connection("postgres"));
    admin << "CREATE DATABASE " + name, now;
    return name;
}

PostgresServer& PostgresServer::shared() {
    static PostgresServer server; // destroyed (server stopped, folder removed) when the test process exits
    return server;
}

} // namespace extcomm::testing
