// An open-loop HTTP load generator: requests are due at a fixed rate whatever the server does, and each
// latency is measured from when its request was due (not from when a connection was free to send it),
// so a slow server shows up in the figures instead of slowing the generator down (no coordinated
// omission). One epoll thread, keep-alive connections, one request in flight per connection.
//
//   api_load --url http://127.0.0.1:PORT/v1/messages --rate 2000 --duration 10 [--connections 16]
//            [--method POST|PUT|GET] [--header 'Authorization: Bearer ...'] [--body JSON | --body-template JSON-with-{n}]
//   api_load --url ... --count N [--connections 32] ...
//
// --count N is the closed loop instead: exactly N requests, each connection sending its next one as soon
// as the previous is answered (as a caller that posts one message per request does); latency is then the
// service time. It also prints start_epoch_ns, the CLOCK_REALTIME of the first request, so a caller can
// time "first request -> last arrival at the stand-in" against the stand-in's own realtime clock.
//
// `{n}` in --body-template is replaced by the request's sequence number, counted from 1000000 (seven
// digits: "+1555{n}" is a valid E.164 number, distinct per request); in the URL's path too
// (/v1/records/case/c{n}: a new record per request).
// Prints one line of key=value pairs: sent, ok (2xx), errors, achieved rate, latency p50/p90/p99/p999/max
// in ms from the due time, and the same percentiles of the service time (from the actual send).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <iostream>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Conn {
    int fd = -1;
    bool busy = false;
    std::string out, in;
    std::size_t out_pos = 0;
    Clock::time_point due, sent;
};

struct Target {
    std::string host = "127.0.0.1", path = "/";
    int port = 80;
};

Target parse_url(const std::string& url) {
    Target t;
    std::string rest = url.rfind("http://", 0) == 0 ? url.substr(7) : url;
    auto slash = rest.find('/');
    std::string hostport = rest.substr(0, slash);
    t.path = slash == std::string::npos ? "/" : rest.substr(slash);
    auto colon = hostport.find(':');
    t.host = hostport.substr(0, colon);
    if (colon != std::string::npos) t.port = std::atoi(hostport.c_str() + colon + 1);
    return t;
}

double pct(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    std::size_t k = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

int usage() {
    std::cerr << "usage: api_load --url URL --rate R --duration S [--connections C] [--header H]... "
                 "[--body B | --body-template B]\n";
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    std::string url, body = "{}", body_template, method = "POST";
    std::vector<std::string> headers;
    double rate = 0, duration = 0;
    std::uint64_t count = 0; // closed loop when > 0
    int max_conns = 16;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--url") url = next();
        else if (a == "--rate") rate = std::atof(next().c_str());
        else if (a == "--duration") duration = std::atof(next().c_str());
        else if (a == "--count") count = std::strtoull(next().c_str(), nullptr, 10);
        else if (a == "--method") method = next();
        else if (a == "--connections") max_conns = std::atoi(next().c_str());
        else if (a == "--header") headers.push_back(next());
        else if (a == "--body") body = next();
        else if (a == "--body-template") body_template = next();
        else return usage();
    }
    if (url.empty() || max_conns <= 0 || (count == 0 && (rate <= 0 || duration <= 0))) return usage();
    if (count > 0) rate = 1e9, duration = static_cast<double>(count) / rate; // every request due at once
    const Target target = parse_url(url);
    std::string head_rest = " HTTP/1.1\r\nHost: " + target.host + ":" + std::to_string(target.port) +
                            "\r\nContent-Type: application/json\r\n";
    for (const auto& h : headers) head_rest += h + "\r\n";
    auto numbered = [](std::string text, std::uint64_t seq) {
        for (std::size_t p; (p = text.find("{n}")) != std::string::npos;) text.replace(p, 3, std::to_string(seq));
        return text;
    };
    auto request_for = [&](std::uint64_t seq) {
        std::string b = body_template.empty() ? body : numbered(body_template, seq);
        if (method == "GET") return method + " " + numbered(target.path, seq) + head_rest + "\r\n";
        return method + " " + numbered(target.path, seq) + head_rest + "Content-Length: " + std::to_string(b.size()) +
               "\r\n\r\n" + b;
    };

    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(target.port));
    ::inet_pton(AF_INET, target.host.c_str(), &addr.sin_addr);
    int ep = ::epoll_create1(0);
    std::unordered_map<int, Conn> conns;
    std::vector<int> idle;
    auto open_conn = [&]() -> int {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(fd);
            return -1;
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = fd;
        ::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
        conns[fd].fd = fd;
        return fd;
    };
    // Connections are opened before the clock starts (a pool, as a real client has).
    for (int i = 0; i < max_conns; ++i) {
        int fd = open_conn();
        if (fd < 0) {
            std::cerr << "api_load: cannot connect to " << url << ": " << std::strerror(errno) << "\n";
            return 2;
        }
        idle.push_back(fd);
    }

    const std::uint64_t total = count > 0 ? count : static_cast<std::uint64_t>(rate * duration);
    const auto interval = std::chrono::duration<double>(1.0 / rate);
    std::vector<double> latency_ms, service_ms;
    latency_ms.reserve(total);
    service_ms.reserve(total);
    std::uint64_t issued = 0, ok = 0, errors = 0, reconnects = 0, seq = 1000000;
    Clock::time_point last_done{};
    std::deque<Clock::time_point> backlog; // due but no connection free
    std::unordered_map<int, std::uint64_t> statuses;
    const auto t0 = Clock::now() + std::chrono::milliseconds(count > 0 ? 0 : 50);
    timespec start_realtime{};
    clock_gettime(CLOCK_REALTIME, &start_realtime);
    auto due_at = [&](std::uint64_t i) {
        return t0 + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(i));
    };
    const auto hard_stop = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(count > 0 ? 600 : duration + 30));

    auto start = [&](int fd, Clock::time_point due) {
        Conn& c = conns[fd];
        c.busy = true;
        c.due = due;
        c.sent = Clock::now();
        c.out = request_for(seq++);
        c.out_pos = 0;
        c.in.clear();
        while (c.out_pos < c.out.size()) { // small requests: the socket buffer takes them at once
            ssize_t n = ::send(fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos, MSG_NOSIGNAL);
            if (n > 0) c.out_pos += static_cast<std::size_t>(n);
            else if (n < 0 && errno == EAGAIN) continue;
            else break;
        }
    };

    std::uint64_t done = 0;
    char buf[65536];
    epoll_event events[256];
    while (done < total && Clock::now() < hard_stop) {
        // Issue everything that is due.
        auto now = Clock::now();
        while (issued < total && due_at(issued) <= now) {
            auto due = due_at(issued);
            if (!idle.empty()) {
                int fd = idle.back();
                idle.pop_back();
                start(fd, due);
            } else {
                backlog.push_back(due);
            }
            ++issued;
        }
        int timeout_ms = 1;
        if (issued < total) {
            auto wait = std::chrono::duration_cast<std::chrono::microseconds>(due_at(issued) - Clock::now()).count();
            timeout_ms = wait <= 0 ? 0 : static_cast<int>(std::min<long long>(wait / 1000, 5));
        }
        int n = ::epoll_wait(ep, events, 256, timeout_ms);
        for (int i = 0; i < n; ++i) {
            int fd = events[i].data.fd;
            Conn& c = conns[fd];
            ssize_t got = ::recv(fd, buf, sizeof buf, 0);
            if (got <= 0) {
                if (got < 0 && errno == EAGAIN) continue;
                // The server closed the connection: count the request lost, open another.
                bool was_busy = c.busy;
                ::epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
                ::close(fd);
                conns.erase(fd);
                ++reconnects;
                if (was_busy) {
                    ++errors;
                    ++done;
                }
                int nfd = open_conn();
                if (nfd >= 0) idle.push_back(nfd);
                continue;
            }
            c.in.append(buf, static_cast<std::size_t>(got));
            auto head_end = c.in.find("\r\n\r\n");
            if (head_end == std::string::npos) continue;
            std::size_t length = 0;
            auto cl = c.in.find("Content-Length:");
            if (cl == std::string::npos) cl = c.in.find("content-length:");
            if (cl != std::string::npos && cl < head_end) length = std::strtoul(c.in.c_str() + cl + 15, nullptr, 10);
            if (c.in.size() < head_end + 4 + length) continue;
            auto end = Clock::now();
            int status = std::atoi(c.in.c_str() + 9);
            ++statuses[status];
            if (status >= 200 && status < 300) ++ok;
            else ++errors;
            latency_ms.push_back(std::chrono::duration<double, std::milli>(end - c.due).count());
            service_ms.push_back(std::chrono::duration<double, std::milli>(end - c.sent).count());
            ++done;
            last_done = end;
            c.busy = false;
            if (!backlog.empty()) {
                auto due = backlog.front();
                backlog.pop_front();
                start(fd, due);
            } else {
                idle.push_back(fd);
            }
        }
    }
    // Completions per second over the run (from the first due time to the last answer).
    double elapsed = std::chrono::duration<double>((done ? last_done : Clock::now()) - t0).count();
    for (auto& [fd, c] : conns) ::close(fd);
    std::string status_text;
    for (auto& [s, count] : statuses) {
        if (!status_text.empty()) status_text += ',';
        status_text += std::to_string(s);
        status_text += ':';
        status_text += std::to_string(count);
    }
    std::printf("start_epoch_ns=%lld ", static_cast<long long>(start_realtime.tv_sec) * 1000000000LL + start_realtime.tv_nsec);
    std::printf("target_rate=%.0f duration_s=%.1f connections=%d sent=%llu completed=%zu ok=%llu errors=%llu "
                "reconnects=%llu achieved_rate=%.0f statuses=%s "
                "latency_ms_p50=%.2f p90=%.2f p99=%.2f p999=%.2f max=%.2f "
                "service_ms_p50=%.2f service_p99=%.2f service_max=%.2f\n",
                rate, duration, max_conns, static_cast<unsigned long long>(issued), latency_ms.size(),
                static_cast<unsigned long long>(ok), static_cast<unsigned long long>(errors),
                static_cast<unsigned long long>(reconnects), static_cast<double>(latency_ms.size()) / elapsed,
                status_text.c_str(), pct(latency_ms, 50), pct(latency_ms, 90), pct(latency_ms, 99),
                pct(latency_ms, 99.9), latency_ms.empty() ? 0 : *std::max_element(latency_ms.begin(), latency_ms.end()),
                pct(service_ms, 50), pct(service_ms, 99),
                service_ms.empty() ? 0 : *std::max_element(service_ms.begin(), service_ms.end()));
    return done == total && errors == 0 ? 0 : 1;
}
