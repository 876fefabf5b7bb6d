// Requests per second through the HTTP engine against a local keep-alive stand-in on 127.0.0.1.
//
// The stand-in is a single-threaded epoll HTTP/1.1 server answering every request with a small JSON
// body (like an SMS provider's "accepted"), so the figures measure the engine, not the server.
// Run: ./http_engine_bench  (add --benchmark_min_time=2 for steadier figures)
#include <http/http_engine.hpp>

#include <benchmark/benchmark.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>

using namespace extcomm::host;

namespace {

class StandIn {
public:
    StandIn() {
        listen_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        int one = 1;
        ::setsockopt(listen_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(listen_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_, 512) != 0) {
            throw std::runtime_error("stand-in: cannot listen");
        }
        socklen_t len = sizeof addr;
        ::getsockname(listen_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        stop_ = ::eventfd(0, EFD_NONBLOCK);
        epoll_ = ::epoll_create1(0);
        add(listen_);
        add(stop_);
        thread_ = std::thread([this] { run(); });
    }
    ~StandIn() {
        std::uint64_t one = 1;
        (void)!::write(stop_, &one, sizeof one);
        thread_.join();
        for (auto& [fd, buf] : conns_) ::close(fd);
        ::close(listen_);
        ::close(stop_);
        ::close(epoll_);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/rest/message"; }
    std::uint64_t connections() const { return accepted_.load(); }

private:
    void add(int fd) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = fd;
        ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
    }

    void run() {
        static const std::string body = R"({"apiMessageId":"abc123","accepted":true,"to":"15550001"})";
        static const std::string reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                                         std::to_string(body.size()) + "\r\n\r\n" + body;
        epoll_event events[64];
        char buf[65536];
        for (;;) {
            int n = ::epoll_wait(epoll_, events, 64, -1);
            for (int i = 0; i < n; ++i) {
                int fd = events[i].data.fd;
                if (fd == stop_) return;
                if (fd == listen_) {
                    for (int c; (c = ::accept4(listen_, nullptr, nullptr, SOCK_NONBLOCK)) >= 0;) {
                        int one = 1;
                        ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                        conns_[c];
                        add(c);
                        ++accepted_;
                    }
                    continue;
                }
                std::string& in = conns_[fd];
                ssize_t got = ::recv(fd, buf, sizeof buf, 0);
                if (got <= 0) {
                    ::close(fd);
                    conns_.erase(fd);
                    continue;
                }
                in.append(buf, static_cast<std::size_t>(got));
                std::string out;
                for (;;) {  // answer every complete request in the buffer
                    auto head_end = in.find("\r\n\r\n");
                    if (head_end == std::string::npos) break;
                    std::size_t length = 0;
                    auto cl = in.find("Content-Length:");
                    if (cl != std::string::npos && cl < head_end) length = std::stoul(in.substr(cl + 15));
                    if (in.size() < head_end + 4 + length) break;
                    in.erase(0, head_end + 4 + length);
                    out += reply;
                }
                if (!out.empty()) (void)!::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
            }
        }
    }

    int listen_ = -1, stop_ = -1, epoll_ = -1, port_ = 0;
    std::unordered_map<int, std::string> conns_;
    std::atomic<std::uint64_t> accepted_{0};
    std::thread thread_;
};

HttpCall sms_call(const std::string& url) {
    HttpCall call;
    call.url = url;
    call.headers = {{"Content-Type", "application/json"},
                    {"Accept", "application/json"},
                    {"Authorization", "Basic dXNlcjpwYXNzd29yZA=="}};
    call.body = R"({"messages":[{"content":"Reminder: your appointment is tomorrow at 10:00.","destination_number":"+15550001","format":"SMS"}]})";
    return call;
}

// One request per message, `max_concurrency` in flight, submitted from one producer thread.
void BM_OneRequestPerMessage(benchmark::State& state) {
    StandIn server;
    HttpEngine engine;
    HttpClientOptions options;
    options.name = "bench";
    options.max_concurrency = static_cast<unsigned>(state.range(0));
    auto client = engine.add_client(options);
    const HttpCall call = sms_call(server.url());
    constexpr int batch = 2000;

    std::mutex mutex;
    std::condition_variable cv;
    int left = 0;
    std::atomic<std::uint64_t> failures{0};
    for (auto _ : state) {
        {
            std::lock_guard lock(mutex);
            left = batch;
        }
        for (int i = 0; i < batch; ++i) {
            engine.submit(client, call, [&](HttpReply reply) {
                if (reply.status != 200) ++failures;
                std::lock_guard lock(mutex);
                if (--left == 0) cv.notify_one();
            });
        }
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return left == 0; });
    }
    state.SetItemsProcessed(state.iterations() * batch);
    auto s = engine.stats(client);
    state.counters["failures"] = static_cast<double>(failures.load());
    state.counters["connections"] = static_cast<double>(s.connections_opened);
}
BENCHMARK(BM_OneRequestPerMessage)->Arg(1)->Arg(8)->Arg(32)->Arg(128)->UseRealTime()->Unit(benchmark::kMillisecond);

// Several transports at once (4 clients x 16 slots) against the same stand-in.
void BM_FourClients(benchmark::State& state) {
    StandIn server;
    HttpEngine engine;
    std::vector<HttpClientId> clients;
    for (int i = 0; i < 4; ++i) {
        HttpClientOptions options;
        options.name = "bench-" + std::to_string(i);
        options.max_concurrency = 16;
        clients.push_back(engine.add_client(options));
    }
    const HttpCall call = sms_call(server.url());
    constexpr int batch = 2000;
    std::mutex mutex;
    std::condition_variable cv;
    int left = 0;
    for (auto _ : state) {
        {
            std::lock_guard lock(mutex);
            left = batch;
        }
        for (int i = 0; i < batch; ++i) {
            engine.submit(clients[static_cast<std::size_t>(i) % clients.size()], call, [&](HttpReply) {
                std::lock_guard lock(mutex);
                if (--left == 0) cv.notify_one();
            });
        }
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return left == 0; });
    }
    state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_FourClients)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
