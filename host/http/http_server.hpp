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
// - Handlers run only on the pool, only for complete requests; at most handler_threads + handler_queue
//   requests are there at once, the next one is answered 503 busy.
// - At most max_connections are open (lowered at start to fit the open-file limit); the next one is
//   answered 503 and closed at once.
// - stop() stops accepting, closes connections not yet handed to a handler, and returns once every
//   request handed to one has been answered.
#pragma once

#include <http/server_limits.hpp>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

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

struct HttpRoutes {
    // How many body bytes the request with this header may send (decided before reading any).
    std::function<std::uint64_t(const boost::beast::http::request_header<>&)> body_limit;
    // Answers a complete request, on a handler thread.
    std::function<HttpResponse(HttpRequest&, const HttpPeer& client, const HttpPeer& local)> handle;
    // The answer the server gives of its own (413, 431, 503, 500), in the handlers' format; called once per refusal.
    std::function<HttpResponse(int status, const std::string& code, const std::string& message)> refuse;
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
