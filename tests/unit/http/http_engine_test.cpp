// The host's HTTP engine against real servers on 127.0.0.1: a Poco HTTP(S) server whose handlers can
// be held at a gate (to make a provider slow on purpose), and a TCP server that resets connections.
// No sleeps for synchronisation and no wall-clock asserts.
#include <http/http_engine.hpp>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

using namespace extcomm::host;
using namespace std::chrono_literals;

namespace {

std::optional<std::string> header(const HttpReply& reply, std::string_view name) {
    for (const auto& [n, v] : reply.headers) {
        if (n.size() == name.size() &&
            std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
            return v;
        }
    }
    return std::nullopt;
}

// Shared state of the test server: counts connections and simultaneous requests, and holds
// requests to /gate until the test lets them go.
struct ServerState {
    std::mutex mutex;
    std::condition_variable cv;
    std::set<std::string> peers;  // one per TCP connection (client address:port)
    int requests = 0;
    int current = 0;   // /gate requests inside the handler now
    int max_current = 0;
    int tokens = 0;    // /gate requests allowed to leave
    bool open = false; // every /gate request may leave

    int held_locked() const { return current - tokens; }

    void wait_held(int n) {
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return held_locked() >= n; });
    }
    void release(int n) {
        std::lock_guard lock(mutex);
        tokens += n;
        cv.notify_all();
    }
    void open_gate() {
        std::lock_guard lock(mutex);
        open = true;
        cv.notify_all();
    }
};

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(ServerState& state) : state_(state) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        std::string body;
        Poco::StreamCopier::copyToString(request.stream(), body);
        {
            std::lock_guard lock(state_.mutex);
            state_.peers.insert(request.clientAddress().toString());
            ++state_.requests;
        }
        const std::string& uri = request.getURI();
        if (uri.starts_with("/gate")) {
            std::unique_lock lock(state_.mutex);
            ++state_.current;
            state_.max_current = std::max(state_.max_current, state_.current);
            state_.cv.notify_all();
            state_.cv.wait(lock, [&] { return state_.open || state_.tokens > 0; });
            if (!state_.open) --state_.tokens;
            --state_.current;
            state_.cv.notify_all();
            body = "gated";
        }
        int status = 200;
        if (request.has("X-Want-Status")) status = std::stoi(request.get("X-Want-Status"));
        response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
        response.set("X-Method", request.getMethod());
        response.set("X-Uri", uri);
        for (const auto& [name, value] : request) {
            if (name.starts_with("X-Test")) response.set("X-Echo-" + name, value);
        }
        response.setContentType("text/plain");
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        response.send() << body;
    }

private:
    ServerState& state_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(ServerState& state) : state_(state) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Handler(state_);
    }

private:
    ServerState& state_;
};

class TestServer {
public:
    // Plain HTTP, or HTTPS when a server TLS context is given.
    explicit TestServer(Poco::Net::Context::Ptr tls = {})
        : pool_(2, 64),
          socket_(tls ? Poco::Net::ServerSocket(Poco::Net::SecureServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, tls))
                      : Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0), 64)),
          scheme_(tls ? "https" : "http") {
        auto params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(64);
        params->setKeepAlive(true);
        params->setMaxKeepAliveRequests(0);
        params->setKeepAliveTimeout(Poco::Timespan(60, 0));
        server_.emplace(new Factory(state), pool_, socket_, params);
        server_->start();
    }
    ~TestServer() {
        state.open_gate();
        server_->stopAll(true);
        server_.reset();
        pool_.joinAll();
    }
    std::string url(const std::string& path) const {
        return scheme_ + "://127.0.0.1:" + std::to_string(socket_.address().port()) + path;
    }

    ServerState state;

private:
    Poco::ThreadPool pool_;
    Poco::Net::ServerSocket socket_;
    std::string scheme_;
    std::optional<Poco::Net::HTTPServer> server_;
};

// Accepts connections, reads the request head, then resets the connection (RST).
class ResettingServer {
public:
    ResettingServer() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0), 16) {
        thread_ = std::thread([this] {
            while (!stop_) {
                if (!socket_.poll(Poco::Timespan(0, 50000), Poco::Net::Socket::SELECT_READ)) continue;
                Poco::Net::StreamSocket peer = socket_.acceptConnection();
                std::string head;
                char buf[1024];
                while (head.find("\r\n\r\n") == std::string::npos) {
                    int n = peer.receiveBytes(buf, sizeof buf);
                    if (n <= 0) break;
                    head.append(buf, static_cast<std::size_t>(n));
                }
                peer.setLinger(true, 0);
                peer.close();
            }
        });
    }
    ~ResettingServer() {
        stop_ = true;
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + "/reset"; }

private:
    Poco::Net::ServerSocket socket_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

// A port on 127.0.0.1 that refuses connections: bound, never listening.
class RefusingPort {
public:
    RefusingPort() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            throw std::runtime_error("cannot bind a test socket");
        }
        socklen_t len = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
    }
    ~RefusingPort() { ::close(fd_); }
    int port() const { return port_; }

private:
    int fd_ = -1;
    int port_ = 0;
};

// Counts down completions; the test waits for zero.
class Countdown {
public:
    explicit Countdown(int n) : left_(n) {}
    void hit() {
        std::lock_guard lock(mutex_);
        --left_;
        cv_.notify_all();
    }
    void wait() {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return left_ <= 0; });
    }
    int left() {
        std::lock_guard lock(mutex_);
        return left_;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    int left_;
};

HttpClientOptions options(std::string name, unsigned max_concurrency = 8) {
    HttpClientOptions o;
    o.name = std::move(name);
    o.max_concurrency = max_concurrency;
    return o;
}

HttpCall post(std::string url, std::string body = {}) {
    HttpCall call;
    call.url = std::move(url);
    call.body = std::move(body);
    return call;
}

}  // namespace

TEST(HttpEngine, RepliesComeBackInCallOrderWithTheirBodies) {
    TestServer server;
    HttpEngine engine;
    auto client = engine.add_client(options("order", 8));
    std::vector<HttpCall> calls;
    for (int i = 0; i < 40; ++i) calls.push_back(post(server.url("/echo/" + std::to_string(i)), "message-" + std::to_string(i)));
    auto replies = engine.perform(client, std::move(calls));
    ASSERT_EQ(replies.size(), 40u);
    for (int i = 0; i < 40; ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(replies[i].failure, HttpFailure::none) << replies[i].error;
        EXPECT_EQ(replies[i].status, 200);
        EXPECT_EQ(replies[i].body, "message-" + std::to_string(i));
        EXPECT_EQ(header(replies[i], "X-Uri"), "/echo/" + std::to_string(i));
    }
    auto s = engine.stats(client);
    EXPECT_EQ(s.submitted, 40u);
    EXPECT_EQ(s.completed, 40u);
    EXPECT_EQ(s.responses, 40u);
    EXPECT_EQ(s.in_flight, 0u);
    EXPECT_EQ(s.queued, 0u);
}

TEST(HttpEngine, SendsMethodHeadersAndBodyAndCapturesResponseHeadersAndStatus) {
    TestServer server;
    HttpEngine engine;
    auto client = engine.add_client(options("headers"));

    HttpCall get;
    get.method = "GET";
    get.url = server.url("/echo?a=1");
    get.headers = {{"X-Test-One", "first value"}, {"Authorization", "Bearer s3cret"}};
    HttpCall put = post(server.url("/echo"), "{\"to\":\"+15550001\"}");
    put.method = "PUT";
    put.headers = {{"Content-Type", "application/json"}, {"X-Test-Two", "2"}};
    HttpCall rejected = post(server.url("/echo"), "bad");
    rejected.headers = {{"X-Want-Status", "422"}};

    auto replies = engine.perform(client, {get, put, rejected});
    ASSERT_EQ(replies.size(), 3u);
    EXPECT_EQ(replies[0].status, 200);
    EXPECT_EQ(header(replies[0], "X-Method"), "GET");
    EXPECT_EQ(header(replies[0], "X-Uri"), "/echo?a=1");
    EXPECT_EQ(header(replies[0], "X-Echo-X-Test-One"), "first value");
    EXPECT_EQ(header(replies[0], "Content-Type"), "text/plain");
    EXPECT_EQ(replies[0].body, "");

    EXPECT_EQ(replies[1].status, 200);
    EXPECT_EQ(header(replies[1], "X-Method"), "PUT");
    EXPECT_EQ(header(replies[1], "X-Echo-X-Test-Two"), "2");
    EXPECT_EQ(replies[1].body, "{\"to\":\"+15550001\"}");

    // An HTTP error status is a reply, not a failure: the codec decides what it means.
    EXPECT_EQ(replies[2].failure, HttpFailure::none);
    EXPECT_EQ(replies[2].status, 422);
    EXPECT_EQ(replies[2].body, "bad");
}

TEST(HttpEngine, ReusesKeptAliveConnections) {
    TestServer server;
    HttpEngine engine;
    auto sequential = engine.add_client(options("sequential", 1));
    std::vector<HttpCall> calls(30, post(server.url("/echo"), "x"));
    auto replies = engine.perform(sequential, calls);
    for (const auto& r : replies) EXPECT_EQ(r.status, 200) << r.error;
    {
        std::lock_guard lock(server.state.mutex);
        EXPECT_EQ(server.state.requests, 30);
        EXPECT_EQ(server.state.peers.size(), 1u) << "one connection for 30 sequential requests";
    }
    EXPECT_EQ(engine.stats(sequential).connections_opened, 1u);

    // A second batch later still uses the same connection.
    engine.perform(sequential, calls);
    {
        std::lock_guard lock(server.state.mutex);
        EXPECT_EQ(server.state.peers.size(), 1u);
    }

    auto parallel = engine.add_client(options("parallel", 4));
    engine.perform(parallel, std::vector<HttpCall>(200, post(server.url("/echo"), "y")));
    engine.perform(parallel, std::vector<HttpCall>(200, post(server.url("/echo"), "y")));
    {
        std::lock_guard lock(server.state.mutex);
        EXPECT_LE(server.state.peers.size(), 1u + 4u) << "at most one connection per slot";
    }
    EXPECT_LE(engine.stats(parallel).connections_opened, 4u);
}

TEST(HttpEngine, HonoursThePerClientConcurrencyCap) {
    TestServer server;
    HttpEngine engine;
    constexpr int cap = 3;
    constexpr int total = 12;
    auto client = engine.add_client(options("capped", cap));
    Countdown finished(total);
    std::atomic<int> ok{0};
    for (int i = 0; i < total; ++i) {
        engine.submit(client, post(server.url("/gate")), [&](HttpReply r) {
            if (r.status == 200) ++ok;
            finished.hit();
        });
    }
    // Let one request leave each time `cap` (or all the remaining ones) are waiting in the server.
    for (int released = 0; released < total; ++released) {
        server.state.wait_held(std::min(cap, total - released));
        {
            std::lock_guard lock(server.state.mutex);
            EXPECT_LE(server.state.current, cap);
        }
        server.state.release(1);
    }
    finished.wait();
    EXPECT_EQ(ok, total);
    std::lock_guard lock(server.state.mutex);
    EXPECT_EQ(server.state.max_current, cap);
}

TEST(HttpEngine, ASlowProviderDoesNotBlockOtherClients) {
    TestServer server;
    HttpEngine engine;
    auto slow = engine.add_client(options("slow", 2));
    auto fast = engine.add_client(options("fast", 2));

    Countdown slow_done(6);
    for (int i = 0; i < 6; ++i) engine.submit(slow, post(server.url("/gate")), [&](HttpReply) { slow_done.hit(); });
    server.state.wait_held(2);  // the slow client's slots are full, four more are queued behind them
    EXPECT_EQ(engine.stats(slow).in_flight, 2u);

    auto replies = engine.perform(fast, std::vector<HttpCall>(20, post(server.url("/echo"), "fast")));
    for (const auto& r : replies) EXPECT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(slow_done.left(), 6) << "the slow provider has answered nothing yet";

    server.state.open_gate();
    slow_done.wait();
}

TEST(HttpEngine, RefusedConnectionIsAConnectFailure) {
    RefusingPort port;
    HttpEngine engine;
    auto client = engine.add_client(options("refused"));
    auto url = "http://user:hunter2@127.0.0.1:" + std::to_string(port.port()) + "/send?api_key=TOPSECRET&to=1";
    auto replies = engine.perform(client, {post(url, "x")});
    EXPECT_EQ(replies[0].failure, HttpFailure::connect);
    EXPECT_EQ(replies[0].status, 0);
    EXPECT_FALSE(replies[0].error.empty());
    EXPECT_EQ(replies[0].error.find("TOPSECRET"), std::string::npos) << replies[0].error;
    EXPECT_EQ(replies[0].error.find("hunter2"), std::string::npos) << replies[0].error;
    EXPECT_EQ(engine.stats(client).failed(HttpFailure::connect), 1u);
}

TEST(HttpEngine, ASlowAnswerIsATimeout) {
    TestServer server;
    HttpEngine engine;
    auto impatient = options("impatient");
    impatient.total_timeout = 300ms;
    auto client = engine.add_client(impatient);
    auto replies = engine.perform(client, {post(server.url("/gate"))});
    EXPECT_EQ(replies[0].failure, HttpFailure::timeout) << replies[0].error;
    EXPECT_EQ(replies[0].status, 0);
    EXPECT_EQ(engine.stats(client).failed(HttpFailure::timeout), 1u);
}

TEST(HttpEngine, AResetConnectionIsAReset) {
    ResettingServer server;
    HttpEngine engine;
    auto client = engine.add_client(options("reset"));
    auto replies = engine.perform(client, {post(server.url(), "x")});
    EXPECT_EQ(replies[0].failure, HttpFailure::reset) << replies[0].error;
    EXPECT_EQ(replies[0].status, 0);
}

TEST(HttpEngine, RejectsHeaderInjectionWithoutSending) {
    TestServer server;
    HttpEngine engine;
    auto client = engine.add_client(options("inject"));
    HttpCall call = post(server.url("/echo"));
    call.headers = {{"X-Test", "a\r\nX-Evil: 1"}};
    auto replies = engine.perform(client, {call});
    EXPECT_EQ(replies[0].failure, HttpFailure::other);
    EXPECT_EQ(replies[0].error.find("X-Evil"), std::string::npos);
    std::lock_guard lock(server.state.mutex);
    EXPECT_EQ(server.state.requests, 0);
}

TEST(HttpEngine, OnlyHttpAndHttpsUrls) {
    HttpEngine engine;
    auto client = engine.add_client(options("file"));
    HttpCall call;
    call.method = "GET";
    call.url = "file:///etc/passwd";
    auto replies = engine.perform(client, {call});
    EXPECT_EQ(replies[0].failure, HttpFailure::other);
    EXPECT_TRUE(replies[0].body.empty());
}

// Plain http:// carries credentials in clear text: the engine sends it to this machine only, whichever
// transport asks, and says which host it refused (never the URL's query or user-info).
TEST(HttpEngine, PlainHttpOnlyToALoopbackHost) {
    HttpEngine engine;
    auto client = engine.add_client(options("plain"));
    for (const char* url : {"http://sms.example.org/send?key=TOPSECRET", "http://user:hunter2@10.0.0.1:8080/x",
                            "HTTP://[2001:db8::1]/", "http://127.0.0.1.example.org/"}) {
        HttpCall call = post(url);
        auto replies = engine.perform(client, {call});
        EXPECT_EQ(replies[0].failure, HttpFailure::other) << url;
        EXPECT_NE(replies[0].error.find("plain http:// is allowed to a loopback host only"), std::string::npos) << url;
        EXPECT_EQ(replies[0].error.find("TOPSECRET"), std::string::npos);
        EXPECT_EQ(replies[0].error.find("hunter2"), std::string::npos);
    }
    EXPECT_NE(engine.perform(client, {post("http://sms.example.org/")})[0].error.find("'sms.example.org'"), std::string::npos);

    TestServer server;
    auto port = server.url("/echo").substr(std::string("http://127.0.0.1").size());
    EXPECT_EQ(engine.perform(client, {post(server.url("/echo"))})[0].status, 200);
    for (const std::string host : {"localhost", "127.1.2.3", "[::1]"}) { // answered or not, never refused
        auto replies = engine.perform(client, {post("http://" + host + port)});
        EXPECT_EQ(replies[0].error.find("plain http://"), std::string::npos) << host << ": " << replies[0].error;
    }
}

class HttpEngineTls : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        Poco::Net::initializeSSL();
        dir_ = std::filesystem::temp_directory_path() / ("extcomm-http-tls-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
        const char* openssl = std::getenv("EXTCOMM_OPENSSL");
        std::string cmd = std::string(openssl ? openssl : "openssl") +
                          " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
                          " -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost"
                          " -keyout " + (dir_ / "key.pem").string() + " -out " + (dir_ / "cert.pem").string() +
                          " 2>/dev/null";
        ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
    static void TearDownTestSuite() {
        std::filesystem::remove_all(dir_);
        Poco::Net::uninitializeSSL();
    }
    static Poco::Net::Context::Ptr server_context() {
        return new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, (dir_ / "key.pem").string(),
                                      (dir_ / "cert.pem").string(), "", Poco::Net::Context::VERIFY_NONE);
    }
    static std::filesystem::path dir_;
};
std::filesystem::path HttpEngineTls::dir_;

TEST_F(HttpEngineTls, ASelfSignedCertificateFailsVerification) {
    TestServer server(server_context());
    HttpEngine engine;
    auto client = engine.add_client(options("tls-default"));
    auto replies = engine.perform(client, {post(server.url("/echo"), "x")});
    EXPECT_EQ(replies[0].failure, HttpFailure::tls) << replies[0].error;
    EXPECT_EQ(replies[0].status, 0);
}

TEST_F(HttpEngineTls, TheConfiguredCaFileIsTrusted) {
    TestServer server(server_context());
    HttpEngine engine;
    auto trusting = options("tls-ca", 1);
    trusting.ca_file = (dir_ / "cert.pem").string();
    auto client = engine.add_client(trusting);
    auto replies = engine.perform(client, std::vector<HttpCall>(5, post(server.url("/echo"), "secure")));
    for (const auto& r : replies) {
        EXPECT_EQ(r.failure, HttpFailure::none) << r.error;
        EXPECT_EQ(r.body, "secure");
    }
    EXPECT_EQ(engine.stats(client).connections_opened, 1u) << "the TLS connection is kept alive";
}

TEST_F(HttpEngineTls, AnUnreadableCaFileIsRefusedUpFront) {
    HttpEngine engine;
    auto missing = options("tls-missing");
    missing.ca_file = (dir_ / "missing.pem").string();
    EXPECT_THROW(engine.add_client(missing), std::invalid_argument);
}

TEST(HttpEngine, ShutdownCompletesPendingCalls) {
    TestServer server;
    auto engine = std::make_unique<HttpEngine>();
    auto client = engine->add_client(options("pending", 1));
    std::mutex mutex;
    std::vector<HttpReply> replies;
    for (int i = 0; i < 5; ++i) {
        engine->submit(client, post(server.url("/gate")), [&](HttpReply r) {
            std::lock_guard lock(mutex);
            replies.push_back(std::move(r));
        });
    }
    server.state.wait_held(1);  // one on the wire, four queued
    engine.reset();
    ASSERT_EQ(replies.size(), 5u);
    for (const auto& r : replies) {
        EXPECT_EQ(r.failure, HttpFailure::other);
        EXPECT_EQ(r.error, "shutting down");
    }
}

TEST(HttpEngine, CallbacksMaySubmitButNotBlockOnPerform) {
    TestServer server;
    HttpEngine engine;
    auto client = engine.add_client(options("chain"));
    Countdown done(2);
    bool perform_refused = false;
    engine.submit(client, post(server.url("/echo"), "first"), [&](HttpReply) {
        try {
            engine.perform(client, {post(server.url("/echo"))});
        } catch (const std::logic_error&) {
            perform_refused = true;
        }
        engine.submit(client, post(server.url("/echo"), "second"), [&](HttpReply r) {
            EXPECT_EQ(r.body, "second");
            done.hit();
        });
        done.hit();
    });
    done.wait();
    EXPECT_TRUE(perform_refused);
}

TEST(HttpEngine, UnknownClientIsAProgrammingError) {
    HttpEngine engine;
    EXPECT_THROW(engine.submit(7, post("http://127.0.0.1/"), [](HttpReply) {}), std::out_of_range);
    EXPECT_THROW(engine.stats(7), std::out_of_range);
}
