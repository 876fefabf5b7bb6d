#include <http/http_server.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

namespace extcomm::host {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Files the rest of the process may hold besides connections: the store, plugins, transports' client
// connections, logs.
constexpr rlim_t kOtherFiles = 256;

unsigned fit_open_file_limit(unsigned wanted) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return wanted;
    rlim_t room = limit.rlim_cur > 2 * kOtherFiles ? limit.rlim_cur - kOtherFiles : limit.rlim_cur / 2;
    if (wanted <= room) return wanted;
    spdlog::warn("http.max_connections {} lowered to {}: the open-file limit is {} (raise it with ulimit -n)", wanted,
                 room, limit.rlim_cur);
    return static_cast<unsigned>(room);
}

HttpPeer peer_of(const tcp::endpoint& endpoint) { return {endpoint.address().to_string(), endpoint.port()}; }

std::string kib(std::uint64_t bytes) {
    return bytes % (1024 * 1024) == 0 ? std::to_string(bytes / (1024 * 1024)) + " MiB" : std::to_string(bytes / 1024) + " KiB";
}

class Session;

// One I/O thread's event loop. Each connection lives on one loop for its life, and a loop has one thread,
// so a connection's handlers never run at once (an implicit strand) and no completion wakes another I/O
// thread: several threads on one io_context hand each completion to whichever is idle, a futex wake and a
// context switch per step of every request.
struct IoLoop {
    asio::io_context io{1}; // the concurrency hint: one thread runs it, so Asio wakes no other on a post
    // Keeps the thread running while a request is with a handler and no socket waits on anything.
    asio::executor_work_guard<asio::io_context::executor_type> working = asio::make_work_guard(io);
};

// Parsing and timers are light: one I/O thread per core, two at most, leaves the cores to the handlers.
unsigned io_loop_count() { return std::clamp(std::thread::hardware_concurrency(), 1u, 2u); }

std::vector<std::unique_ptr<IoLoop>> make_loops() {
    std::vector<std::unique_ptr<IoLoop>> loops;
    for (unsigned i = 0; i < io_loop_count(); ++i) loops.push_back(std::make_unique<IoLoop>());
    return loops;
}

} // namespace

struct HttpServer::State {
    HttpServerLimits limits;
    HttpRoutes routes;
    std::vector<std::unique_ptr<IoLoop>> loops = make_loops();
    unsigned next_loop = 0; // the loop for the next connection; only accept() touches it (start, then the acceptor's loop)
    tcp::acceptor acceptor{loops.front()->io};
    asio::steady_timer accept_retry{acceptor.get_executor()};
    std::optional<asio::thread_pool> pool;
    std::vector<std::thread> io_threads;
    std::atomic<unsigned> on_pool{0};
    std::mutex mutex;
    std::condition_variable all_closed;
    bool stopping = false;                                // guarded by mutex
    std::uint64_t next_id = 1;                            // guarded by mutex; 0: not registered
    std::map<std::uint64_t, std::weak_ptr<Session>> open; // guarded by mutex
};

namespace {

using State = HttpServer::State;

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, std::shared_ptr<State> state) : stream_(std::move(socket)), state_(std::move(state)) {
        beast::error_code ec;
        client_ = peer_of(stream_.socket().remote_endpoint(ec));
        local_ = peer_of(stream_.socket().local_endpoint(ec));
    }

    ~Session() {
        if (id_ == 0) return;
        std::lock_guard lock(state_->mutex);
        state_->open.erase(id_);
        if (state_->open.empty()) state_->all_closed.notify_all();
    }

    // Registers with the server (unless it is stopping) and waits for the first request.
    void start() {
        {
            std::lock_guard lock(state_->mutex);
            if (state_->stopping) return close();
            id_ = state_->next_id++;
            state_->open.emplace(id_, weak_from_this());
        }
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_for_request(); });
    }

    // On stop: a connection whose request is not with a handler is closed; the others close after answering.
    void stop() {
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
            if (!self->answering_) self->close();
        });
    }

private:
    void wait_for_request() {
        parser_.emplace();
        parser_->header_limit(state_->limits.max_header_bytes);
        parser_->body_limit(boost::none); // until the route's is known (check_body): Beast's default would cut the header
        if (buffer_.size() > 0) return read_header(); // pipelined: the next request has begun
        stream_.expires_after(state_->limits.idle_timeout);
        stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
            if (ec) return self->close();
            self->buffer_.commit(n);
            self->read_header();
        });
    }

    void read_header() {
        stream_.expires_after(state_->limits.header_timeout);
        http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec == http::error::header_limit)
                return self->refuse(431, "header_too_large", "the request header is larger than " + kib(self->state_->limits.max_header_bytes));
            if (ec) return self->close();
            self->version_ = self->parser_->get().version();
            self->keep_alive_ = self->parser_->keep_alive();
            self->check_body();
        });
    }

    // The route's limit, from the header alone: a body announced larger is refused before a byte of it is read.
    void check_body() {
        body_limit_ = state_->routes.body_limit(parser_->get().base());
        if (auto length = parser_->content_length(); length && *length > body_limit_) return refuse_too_large();
        parser_->body_limit(body_limit_);
        if (parser_->is_done()) return hand_over();
        if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
            auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, version_);
            stream_.expires_after(state_->limits.body_timeout);
            return http::async_write(stream_, *go_on, [self = shared_from_this(), go_on](beast::error_code ec, std::size_t) {
                if (ec) return self->close();
                self->read_body();
            });
        }
        read_body();
    }

    void read_body() {
        stream_.expires_after(state_->limits.body_timeout);
        http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec == http::error::body_limit) return self->refuse_too_large();
            if (ec) return self->close();
            self->hand_over();
        });
    }

    void refuse_too_large() {
        refuse(413, "too_large", "the request body is larger than " + kib(body_limit_));
    }

    // A complete request runs on this I/O thread when its route never waits, else goes to the handler pool,
    // or is answered 503 when the pool's queue is full.
    void hand_over() {
        stream_.expires_never();
        answering_ = true;
        if (state_->routes.never_waits && state_->routes.never_waits(parser_->get())) return run_handler(false);
        const unsigned capacity = state_->limits.handler_threads + state_->limits.handler_queue;
        if (state_->on_pool.fetch_add(1) >= capacity) {
            --state_->on_pool;
            return write(state_->routes.refuse(503, "busy", "the service is busy; try again shortly"), keep_alive_);
        }
        asio::post(*state_->pool, [self = shared_from_this()] { self->run_handler(true); });
    }

    // `pooled`: on a handler thread, holding one of the pool's places until the request is answered.
    void run_handler(bool pooled) {
        HttpRequest request = parser_->release();
        HttpAnswer answer([self = shared_from_this(), pooled](HttpResponse r) { self->answered(std::move(r), pooled); },
                          [self = shared_from_this()] {
                              spdlog::error("http: a handler left its request unanswered");
                              return self->state_->routes.refuse(500, "internal", "internal error; see the service log");
                          });
        try {
            state_->routes.handle(request, client_, local_, answer);
        } catch (const std::exception& e) {
            spdlog::error("http: a handler failed: {}", e.what());
            answer(state_->routes.refuse(500, "internal", "internal error; see the service log"));
        }
    }

    // The handler's answer, from whichever thread gave it: written on the connection's loop.
    void answered(HttpResponse answer, bool pooled) {
        if (pooled) --state_->on_pool;
        asio::dispatch(stream_.get_executor(), [self = shared_from_this(), answer = std::move(answer)]() mutable {
            self->write(std::move(answer), self->keep_alive_);
        });
    }

    // An answer of the server's own; the connection closes after it (its request may be half read).
    void refuse(int status, const std::string& code, const std::string& message) {
        answering_ = true;
        half_read_ = true;
        write(state_->routes.refuse(status, code, message), false);
    }

    void write(HttpResponse answer, bool keep_alive) {
        answer_ = std::move(answer);
        answer_->version(version_);
        answer_->keep_alive(keep_alive && !stopping());
        answer_->prepare_payload();
        if (state_->routes.answered) state_->routes.answered(*answer_);
        stream_.expires_after(state_->limits.body_timeout);
        http::async_write(stream_, *answer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->answering_ = false;
            if (!ec && self->half_read_) return self->linger();
            if (ec || !self->answer_->keep_alive()) return self->close();
            self->answer_.reset();
            self->wait_for_request();
        });
    }

    bool stopping() const {
        std::lock_guard lock(state_->mutex);
        return state_->stopping;
    }

    // After refusing a request whose body was left unread: its sender gets the answer and an end of stream,
    // and what it still sends is discarded (never kept) until it closes or header_timeout passes. Closing at
    // once, with its bytes unread, would reset the connection and could destroy the answer before it is read.
    void linger() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream_.expires_after(state_->limits.header_timeout);
        discard();
    }

    void discard() {
        buffer_.clear();
        stream_.async_read_some(buffer_.prepare(16384), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->close();
            self->discard();
        });
    }

    void close() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream_.close();
    }

    beast::tcp_stream stream_;
    std::shared_ptr<State> state_;
    HttpPeer client_, local_;
    std::uint64_t id_ = 0;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::optional<HttpResponse> answer_;
    unsigned version_ = 11;        // of the request being answered
    bool keep_alive_ = false;      // the request's wish
    std::uint64_t body_limit_ = 0; // the request's route's
    bool answering_ = false; // the request is with a handler, or its answer is being written
    bool half_read_ = false; // refused before its request was read to the end
};

// Over the cap: a 503 if the socket takes it at once, then closed. Never waits on the client.
void refuse_connection(tcp::socket& socket, const State& state) {
    HttpResponse full = state.routes.refuse(503, "busy", "too many connections; try again shortly");
    full.keep_alive(false);
    full.prepare_payload();
    if (state.routes.answered) state.routes.answered(full);
    std::ostringstream answer;
    answer << full;
    beast::error_code ec;
    socket.non_blocking(true, ec);
    socket.write_some(asio::buffer(answer.str()), ec);
    socket.shutdown(tcp::socket::shutdown_send, ec);
    socket.close(ec);
}

void accept(const std::shared_ptr<State>& state) {
    asio::io_context& loop = state->loops[state->next_loop++ % state->loops.size()]->io;
    state->acceptor.async_accept(loop, [state](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !state->acceptor.is_open()) return;
        if (ec) { // out of file descriptors, most likely: try again once some have closed
            spdlog::warn("http: accepting a connection failed: {}", ec.message());
            state->accept_retry.expires_after(std::chrono::milliseconds(100));
            state->accept_retry.async_wait([state](beast::error_code waited) {
                if (!waited) accept(state);
            });
            return;
        }
        std::size_t open = 0;
        {
            std::lock_guard lock(state->mutex);
            open = state->open.size();
        }
        if (open >= state->limits.max_connections) refuse_connection(socket, *state);
        else std::make_shared<Session>(std::move(socket), state)->start();
        accept(state);
    });
}

} // namespace

HttpAnswer::State::~State() {
    if (given) return;
    try {
        give(unanswered());
    } catch (const std::exception& e) {
        spdlog::error("http: answering a dropped request failed: {}", e.what());
    }
}

HttpServer::HttpServer(HttpServerLimits limits, HttpRoutes routes) : state_(std::make_shared<State>()) {
    state_->limits = limits;
    state_->limits.max_connections = fit_open_file_limit(limits.max_connections);
    state_->routes = std::move(routes);
}

HttpServer::~HttpServer() { stop(); }

unsigned HttpServer::max_connections() const { return state_->limits.max_connections; }

std::uint16_t HttpServer::start(const std::string& address, std::uint16_t port) {
    // A name ("localhost") is resolved as Poco's server did; the first address is bound.
    tcp::endpoint endpoint = *tcp::resolver(state_->loops.front()->io).resolve(address, std::to_string(port)).begin();
    state_->acceptor.open(endpoint.protocol());
    state_->acceptor.set_option(asio::socket_base::reuse_address(true));
    state_->acceptor.bind(endpoint);
    state_->acceptor.listen(asio::socket_base::max_listen_connections);
    state_->pool.emplace(std::max(1u, state_->limits.handler_threads));
    accept(state_);
    for (auto& loop : state_->loops)
        state_->io_threads.emplace_back([state = state_, io = &loop->io] { io->run(); });
    return state_->acceptor.local_endpoint().port();
}

void HttpServer::stop() {
    if (state_->io_threads.empty()) return;
    std::promise<void> closed;
    asio::dispatch(state_->acceptor.get_executor(), [state = state_, &closed] {
        beast::error_code ec;
        state->acceptor.close(ec);
        state->accept_retry.cancel();
        closed.set_value();
    });
    closed.get_future().wait(); // no new session after this
    std::vector<std::shared_ptr<Session>> sessions;
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
        for (auto& [id, session] : state_->open)
            if (auto s = session.lock()) sessions.push_back(std::move(s));
    }
    for (auto& s : sessions) s->stop();
    sessions.clear();
    {
        std::unique_lock lock(state_->mutex);
        state_->all_closed.wait(lock, [this] { return state_->open.empty(); });
    }
    for (auto& loop : state_->loops) {
        loop->working.reset();
        loop->io.stop();
    }
    for (auto& t : state_->io_threads) t.join();
    state_->io_threads.clear();
    state_->pool->join();
    // Completions queued when the I/O threads stopped (the acceptor's aborted accept, a session's last
    // read) each hold the state, which owns the io_contexts that hold them: run them now that every socket
    // is closed, so none keeps the state alive once the server is gone.
    for (auto& loop : state_->loops) {
        loop->io.restart();
        loop->io.poll();
    }
}

} // namespace extcomm::host
