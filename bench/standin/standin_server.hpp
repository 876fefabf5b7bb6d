// A fast stand-in HTTP/1.1 server on 127.0.0.1 for the benchmarks: one epoll thread, keep-alive,
// pipelining, buffered writes. What it answers is up to a handler (a fixed JSON body for the engine
// micro-benchmark; a provider's wire format for bench/standin's modes). The handler runs on the server
// thread, so it needs no locking for its own state.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace extcomm::bench {

struct StandInRequest {
    std::string_view method;   // "POST"
    std::string_view target;   // "/v1/messages?deduplication-id=1"
    std::string_view headers;  // the header lines, as received
    std::string_view body;

    std::string_view path() const { return target.substr(0, target.find('?')); }
};

struct StandInReply {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
};

inline const char* reason_phrase(int status) {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    default: return "Status";
    }
}

// Case-insensitive lookup of one header's value in the raw header block ("" when absent).
inline std::string_view header_value(std::string_view headers, std::string_view name) {
    std::size_t pos = 0;
    while (pos < headers.size()) {
        std::size_t eol = headers.find("\r\n", pos);
        if (eol == std::string_view::npos) eol = headers.size();
        std::string_view line = headers.substr(pos, eol - pos);
        pos = eol + 2;
        if (line.size() <= name.size() || line[name.size()] != ':') continue;
        bool same = true;
        for (std::size_t i = 0; i < name.size() && same; ++i)
            same = std::tolower(static_cast<unsigned char>(line[i])) == std::tolower(static_cast<unsigned char>(name[i]));
        if (!same) continue;
        std::string_view value = line.substr(name.size() + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
        return value;
    }
    return {};
}

class StandIn {
public:
    using Handler = std::function<StandInReply(const StandInRequest&)>;

    explicit StandIn(Handler handler, std::uint16_t port = 0) : handler_(std::move(handler)) {
        listen_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        int one = 1;
        ::setsockopt(listen_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(port);
        if (::bind(listen_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_, 1024) != 0) {
            ::close(listen_);
            throw std::runtime_error("stand-in: cannot listen on 127.0.0.1:" + std::to_string(port));
        }
        socklen_t len = sizeof addr;
        ::getsockname(listen_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        stop_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
        watch(listen_, EPOLLIN, EPOLL_CTL_ADD);
        watch(stop_, EPOLLIN, EPOLL_CTL_ADD);
        thread_ = std::thread([this] { run(); });
    }

    ~StandIn() { stop(); }

    StandIn(const StandIn&) = delete;
    StandIn& operator=(const StandIn&) = delete;

    // Stops the server thread and closes every socket; idempotent.
    void stop() {
        if (!thread_.joinable()) return;
        std::uint64_t one = 1;
        (void)!::write(stop_, &one, sizeof one);
        thread_.join();
        for (auto& [fd, conn] : conns_) ::close(fd);
        conns_.clear();
        ::close(listen_);
        ::close(stop_);
        ::close(epoll_);
    }

    std::uint16_t port() const { return static_cast<std::uint16_t>(port_); }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::string url() const { return base_url() + "/rest/message"; } // the engine micro-benchmark's target
    std::uint64_t connections() const { return accepted_.load(); }
    std::uint64_t requests() const { return requests_.load(); }

private:
    struct Conn {
        std::string in, out;
        std::size_t in_pos = 0, out_pos = 0;
        bool want_out = false, close_after = false, expect_sent = false;
    };

    void watch(int fd, std::uint32_t events, int op) {
        epoll_event ev{};
        ev.events = events;
        ev.data.fd = fd;
        ::epoll_ctl(epoll_, op, fd, &ev);
    }

    void drop(int fd) {
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
        ::close(fd);
        conns_.erase(fd);
    }

    // Sends what is buffered; returns false when the connection is gone.
    bool flush(int fd, Conn& c) {
        while (c.out_pos < c.out.size()) {
            ssize_t n = ::send(fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos, MSG_NOSIGNAL);
            if (n > 0) {
                c.out_pos += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
            return false;
        }
        if (c.out_pos == c.out.size()) {
            c.out.clear();
            c.out_pos = 0;
            if (c.close_after) return false;
        }
        bool need = !c.out.empty();
        if (need != c.want_out) {
            c.want_out = need;
            watch(fd, need ? EPOLLIN | EPOLLOUT : EPOLLIN, EPOLL_CTL_MOD);
        }
        return true;
    }

    // Answers every complete request in the input buffer (pipelining).
    void serve(Conn& c) {
        for (;;) {
            std::string_view in(c.in.data() + c.in_pos, c.in.size() - c.in_pos);
            auto head_end = in.find("\r\n\r\n");
            if (head_end == std::string_view::npos) break;
            std::string_view head = in.substr(0, head_end);
            auto line_end = head.find("\r\n");
            std::string_view line = head.substr(0, line_end);
            std::string_view headers = line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
            std::size_t length = 0;
            if (auto cl = header_value(headers, "Content-Length"); !cl.empty())
                length = std::strtoul(std::string(cl).c_str(), nullptr, 10);
            if (in.size() < head_end + 4 + length) {
                if (!c.expect_sent && header_value(headers, "Expect") == "100-continue") {
                    c.out += "HTTP/1.1 100 Continue\r\n\r\n";
                    c.expect_sent = true;
                }
                break;
            }
            c.expect_sent = false;
            StandInRequest req;
            auto sp1 = line.find(' ');
            auto sp2 = line.find(' ', sp1 + 1);
            req.method = line.substr(0, sp1);
            req.target = sp1 == std::string_view::npos ? std::string_view() : line.substr(sp1 + 1, sp2 - sp1 - 1);
            req.headers = headers;
            req.body = in.substr(head_end + 4, length);
            StandInReply reply = handler_(req);
            ++requests_;
            c.out += "HTTP/1.1 ";
            c.out += std::to_string(reply.status);
            c.out += ' ';
            c.out += reason_phrase(reply.status);
            c.out += "\r\nContent-Type: ";
            c.out += reply.content_type;
            c.out += "\r\nContent-Length: ";
            c.out += std::to_string(reply.body.size());
            c.out += "\r\n\r\n";
            c.out += reply.body;
            if (header_value(headers, "Connection") == "close") c.close_after = true;
            c.in_pos += head_end + 4 + length;
        }
        if (c.in_pos == c.in.size()) {
            c.in.clear();
            c.in_pos = 0;
        } else if (c.in_pos > 65536) {
            c.in.erase(0, c.in_pos);
            c.in_pos = 0;
        }
    }

    void run() {
        epoll_event events[128];
        char buf[65536];
        for (;;) {
            int n = ::epoll_wait(epoll_, events, 128, -1);
            for (int i = 0; i < n; ++i) {
                int fd = events[i].data.fd;
                if (fd == stop_) return;
                if (fd == listen_) {
                    for (int c; (c = ::accept4(listen_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
                        int one = 1;
                        ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                        conns_[c];
                        watch(c, EPOLLIN, EPOLL_CTL_ADD);
                        ++accepted_;
                    }
                    continue;
                }
                auto it = conns_.find(fd);
                if (it == conns_.end()) continue;
                Conn& c = it->second;
                if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                    ssize_t got = ::recv(fd, buf, sizeof buf, 0);
                    if (got <= 0) {
                        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
                        drop(fd);
                        continue;
                    }
                    c.in.append(buf, static_cast<std::size_t>(got));
                    serve(c);
                }
                if (!flush(fd, c)) drop(fd);
            }
        }
    }

    Handler handler_;
    int listen_ = -1, stop_ = -1, epoll_ = -1, port_ = 0;
    std::unordered_map<int, Conn> conns_;
    std::atomic<std::uint64_t> accepted_{0}, requests_{0};
    std::thread thread_;
};

} // namespace extcomm::bench
