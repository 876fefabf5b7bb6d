// The host's HTTP server: Boost.Beast on Boost.Asio, event-driven, so a slow or idle client holds a socket
// and a few kilobytes, never a thread.
//
// Invariants:
// - A connection is in one phase at a time: idle (no byte of the next request yet; idle_timeout), header
//   (header_timeout from its first byte), body (body_timeout), handling (no deadline: the handler pool
//   has it), writing (body_timeout). A deadline that passes closes the connection without an answer.
// - The body limit is decided from the header alone, before any body byte is read: a Content-Length over
//   it is answered 413 and the body never kept (what the sender still sends is discarded until it closes
//   or header_timeout passes); a chunked body stops at the limit the same way.
// - Handlers run only for complete requests: on the connection's I/O thread when the route says the request
//   never waits (never_waits), otherwise on the pool, where at most handler_threads + handler_queue requests
//   are at once (with a handler, or answered later by one) and the next one is answered 503 busy. A request
//   that never waits is answered even when the pool is full.
// - Each I/O thread runs an event loop of its own, and a connection stays on one loop for its life: its
//   steps never run at once, and no step wakes another thread (each hand-off between threads costs a
//   futex wake and a context switch, which in a VM was half of what a request cost).
// - Every request handed to a handler is answered exactly once: by the handler, now or later from any
//   thread (HttpAnswer), or 500 when the handler throws or drops its answer unanswered.
// - At most max_connections are open (lowered at start to fit the open-file limit); the next one is
//   answered 503 and closed at once.
// - stop() stops accepting, closes connections not yet handed to a handler, and returns once every
//   request handed to one has been answered.
#pragma once

#include <http/server_limits.hpp>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace extcomm::host {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
struct HttpPeer {
    std::string address;
    std::uint16_t port = 0;
};

using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// The answer to one request, given once, from any thread: a handler may return before it answers (once a
// commit is done, say) and keep a copy to answer with. Copies are the same answer; only the first call
// counts. When the last copy goes unanswered, `unanswered` is given instead, so no request waits forever.
class HttpAnswer {
public:
    HttpAnswer(std::function<void(HttpResponse)> give, std::function<HttpResponse()> unanswered)
        : state_(std::make_shared<State>(std::move(give), std::move(unanswered))) {}
    void operator()(HttpResponse response) const {
        if (!state_->given.exchange(true)) state_->give(std::move(response));
    }

private:
    struct State {
        State(std::function<void(HttpResponse)> g, std::function<HttpResponse()> u) : give(std::move(g)), unanswered(std::move(u)) {}
        ~State();
        std::function<void(HttpResponse)> give;
        std::function<HttpResponse()> unanswered;
        std::atomic<bool> given{false};
    };
    std::shared_ptr<State> state_;
};

struct HttpRoutes {
    // How many body bytes the request with this header may send (decided before reading any).
    std::function<std::uint64_t(const boost::beast::http::request_header<>&)> body_limit;
    // Takes a complete request, on a handler thread, and answers it (then or later) through `answer`.
    std::function<void(HttpRequest&, const HttpPeer& client, const HttpPeer& local, const HttpAnswer& answer)> handle;
    // The answer the server gives of its own (413, 431, 503, 500), in the handlers' format.
    std::function<HttpResponse(int status, const std::string& code, const std::string& message)> refuse;
    // Told of every answer about to be written, the handlers' and the server's own (for metrics).
    std::function<void(const HttpResponse&)> answered;
    // Whether this complete request's handler never waits (no store, no remote call, no lock a slow caller
    // holds), so it may run on the I/O thread that read it: no hand-off to the pool, and no 503 when the
    // pool is full. Unset: every handler runs on the pool.
    std::function<bool(const HttpRequest&)> never_waits;
};

class HttpServer {
public:
    HttpServer(HttpServerLimits limits, HttpRoutes routes);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and starts serving; returns the bound port (`port` 0 picks a free one). Throws when it cannot bind.
    std::uint16_t start(const std::string& address, std::uint16_t port);
    void stop();
    // The connection cap in force (max_connections, lowered to fit the open-file limit).
    unsigned max_connections() const;

    struct State;

private:
    std::shared_ptr<State> state_;
};

} // namespace extcomm::host
