#include "http/http_engine.hpp"

#include <curl/curl.h>

#include <arpa/inet.h>
#include <strings.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>

namespace extcomm::host {

const char* to_string(HttpFailure failure) noexcept {
    switch (failure) {
    case HttpFailure::none: return "none";
    case HttpFailure::connect: return "connect";
    case HttpFailure::timeout: return "timeout";
    case HttpFailure::tls: return "tls";
    case HttpFailure::reset: return "reset";
    case HttpFailure::other: return "other";
    }
    return "other";
}

namespace {

// A provider answer larger than this is refused (failure=other): protects the host's memory.
constexpr std::size_t kMaxResponseBody = 16u * 1024u * 1024u;
constexpr const char* kShuttingDown = "shutting down";

void init_curl_once() {
    static const bool initialised = [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw std::runtime_error("libcurl could not be initialised (curl_global_init failed)");
        }
        return true;
    }();
    (void)initialised;
}

HttpFailure classify(CURLcode code) {
    switch (code) {
    case CURLE_OK: return HttpFailure::none;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return HttpFailure::connect;
    case CURLE_OPERATION_TIMEDOUT: return HttpFailure::timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
        return HttpFailure::tls;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return HttpFailure::reset;
    default: return HttpFailure::other;
    }
}

// The parts of a URL that may carry secrets (API keys in the query, user:password@).
struct UrlSecrets {
    std::string userinfo;
    std::string query;
};

UrlSecrets url_secrets(std::string_view url) {
    UrlSecrets out;
    auto scheme = url.find("://");
    std::size_t authority_begin = scheme == std::string_view::npos ? 0 : scheme + 3;
    auto authority_end = url.find_first_of("/?#", authority_begin);
    auto authority = url.substr(authority_begin, authority_end == std::string_view::npos
                                                     ? std::string_view::npos
                                                     : authority_end - authority_begin);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) out.userinfo = authority.substr(0, at);
    if (auto q = url.find('?'); q != std::string_view::npos) {
        auto end = url.find('#', q);
        out.query = url.substr(q + 1, end == std::string_view::npos ? std::string_view::npos : end - q - 1);
    }
    return out;
}

void redact(std::string& text, const std::string& secret) {
    if (secret.empty()) return;
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 10)) {
        text.replace(pos, secret.size(), "[redacted]");
    }
}

std::string scrub(std::string text, std::string_view url) {
    auto secrets = url_secrets(url);
    redact(text, secrets.query);
    redact(text, secrets.userinfo);
    return text;
}

// A loopback host: localhost, 127.0.0.0/8 or ::1 (curl gives IPv6 hosts in brackets).
bool is_loopback(std::string host) {
    if (::strcasecmp(host.c_str(), "localhost") == 0) return true;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    in_addr v4{};
    if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    return ::inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

// Why `url` may not be requested, or empty: plain http:// would carry credentials and personal data in
// clear text, so it is allowed to this machine only (a local relay, a test simulator). Names the host,
// never the rest of the URL (its query may hold a key).
std::string plain_http_problem(const std::string& url) {
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> parsed(curl_url(), &curl_url_cleanup);
    if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return {};  // curl says why
    char* scheme = nullptr;
    char* host = nullptr;
    curl_url_get(parsed.get(), CURLUPART_SCHEME, &scheme, 0);
    curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0);
    std::string problem;
    if (scheme && ::strcasecmp(scheme, "http") == 0 && !(host && is_loopback(host)))
        problem = std::string("plain http:// is allowed to a loopback host only, not to '") + (host ? host : "") +
                  "': use https://";
    curl_free(scheme);
    curl_free(host);
    return problem;
}

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
        s.remove_suffix(1);
    }
    return s;
}

}  // namespace

struct HttpEngine::Impl {
    struct Pending {
        HttpCall call;
        std::function<void(HttpReply)> done;
    };

    struct Client;

    // One reusable easy handle and the state of the request it carries.
    struct Transfer {
        CURL* easy = nullptr;
        Client* client = nullptr;
        bool busy = false;
        bool body_too_large = false;
        Pending pending;
        curl_slist* headers = nullptr;
        HttpReply reply;
        std::chrono::steady_clock::time_point started;
        char errbuf[CURL_ERROR_SIZE] = {};

        ~Transfer() {
            if (headers) curl_slist_free_all(headers);
            if (easy) curl_easy_cleanup(easy);
        }
    };

    struct Client {
        HttpClientOptions options;
        unsigned cap = 1;
        CURLSH* share = nullptr;  // this client's connection, DNS and TLS-session cache

        // Touched by the I/O thread only.
        std::deque<Pending> queue;
        std::vector<std::unique_ptr<Transfer>> transfers;
        std::vector<Transfer*> idle;
        unsigned in_flight = 0;

        // Counters, read by stats() from any thread.
        std::atomic<std::uint64_t> submitted{0}, completed{0}, responses{0}, connections_opened{0};
        std::atomic<std::uint64_t> in_flight_now{0}, queued_now{0};
        std::array<std::atomic<std::uint64_t>, 6> failures{};

        ~Client() {
            transfers.clear();  // easy handles first: they reference the share
            if (share) curl_share_cleanup(share);
        }
    };

    CURLM* multi = nullptr;
    std::thread io;

    mutable std::mutex mutex;  // guards everything below
    std::vector<std::unique_ptr<Client>> clients;
    std::vector<std::pair<HttpClientId, Pending>> incoming;
    bool stopping = false;
    bool stopped = false;  // the I/O thread has finished: submit completes inline
    std::atomic<bool> wake_pending{false};

    // I/O thread's view of the clients (refreshed under the mutex when draining `incoming`).
    std::vector<Client*> io_clients;
    long max_connects = 0;

    Impl() {
        init_curl_once();
        multi = curl_multi_init();
        if (!multi) throw std::runtime_error("libcurl could not create a multi handle");
        io = std::thread([this] { run(); });
    }

    ~Impl() {
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        curl_multi_wakeup(multi);
        io.join();
        io_clients.clear();
        clients.clear();  // removes easy handles and shares; all transfers are out of the multi
        curl_multi_cleanup(multi);
    }

    Client& client_locked(HttpClientId id) const {
        if (id >= clients.size()) throw std::out_of_range("unknown HTTP client id " + std::to_string(id));
        return *clients[id];
    }

    HttpClientId add_client(HttpClientOptions options) {
        if (std::string problem = client_options_problem(options); !problem.empty()) throw std::invalid_argument(problem);
        auto client = std::make_unique<Client>();
        client->cap = std::max(1u, options.max_concurrency);
        client->options = std::move(options);
        client->share = curl_share_init();
        if (!client->share) throw std::runtime_error("libcurl could not create a share handle");
        // Only the I/O thread uses the share, so no lock callbacks are needed.
        curl_share_setopt(client->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
        curl_share_setopt(client->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        curl_share_setopt(client->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
        std::lock_guard lock(mutex);
        clients.push_back(std::move(client));
        return static_cast<HttpClientId>(clients.size() - 1);
    }

    void submit(HttpClientId id, HttpCall call, std::function<void(HttpReply)> done) {
        std::unique_lock lock(mutex);
        Client& client = client_locked(id);
        client.submitted.fetch_add(1, std::memory_order_relaxed);
        if (stopped) {
            lock.unlock();
            deliver(client, done, shutting_down_reply());
            return;
        }
        client.queued_now.fetch_add(1, std::memory_order_relaxed);
        incoming.emplace_back(id, Pending{std::move(call), std::move(done)});
        lock.unlock();
        if (!wake_pending.exchange(true)) curl_multi_wakeup(multi);
    }

    static HttpReply shutting_down_reply() {
        HttpReply reply;
        reply.failure = HttpFailure::other;
        reply.error = kShuttingDown;
        return reply;
    }

    static void deliver(Client& client, std::function<void(HttpReply)>& done, HttpReply reply) {
        if (reply.failure == HttpFailure::none) {
            client.responses.fetch_add(1, std::memory_order_relaxed);
        } else {
            client.failures[static_cast<std::size_t>(reply.failure)].fetch_add(1, std::memory_order_relaxed);
        }
        client.completed.fetch_add(1, std::memory_order_relaxed);
        if (!done) return;
        try {
            done(std::move(reply));
        } catch (...) {
            // A callback's exception must not kill the I/O thread; there is nobody to hand it to.
        }
    }

    // ---- I/O thread ----

    // Returns false when stopping.
    bool drain_incoming(std::vector<std::pair<HttpClientId, Pending>>& batch) {
        bool stop;
        {
            std::lock_guard lock(mutex);
            batch.swap(incoming);
            stop = stopping;
            while (io_clients.size() < clients.size()) {
                Client* c = clients[io_clients.size()].get();
                io_clients.push_back(c);
                long wanted = std::max<long>(16, 2L * c->cap);
                if (wanted > max_connects) {
                    max_connects = wanted;
                    // Per connection cache (each client's share): keep every connection the cap needs.
                    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, max_connects);
                }
            }
        }
        for (auto& [id, pending] : batch) io_clients[id]->queue.push_back(std::move(pending));
        batch.clear();
        return !stop;
    }

    void run() {
        std::vector<std::pair<HttpClientId, Pending>> batch;
        for (;;) {
            wake_pending.store(false);
            if (!drain_incoming(batch)) break;
            for (Client* c : io_clients) start_queued(*c);
            int running = 0;
            curl_multi_perform(multi, &running);
            collect_finished();
            curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
        }
        shut_down();
    }

    void start_queued(Client& c) {
        while (c.in_flight < c.cap && !c.queue.empty()) {
            Pending pending = std::move(c.queue.front());
            c.queue.pop_front();
            c.queued_now.fetch_sub(1, std::memory_order_relaxed);
            start(c, std::move(pending));
        }
    }

    Transfer* acquire(Client& c) {
        if (!c.idle.empty()) {
            Transfer* t = c.idle.back();
            c.idle.pop_back();
            return t;
        }
        auto t = std::make_unique<Transfer>();
        t->client = &c;
        t->easy = curl_easy_init();
        if (!t->easy) return nullptr;
        CURL* e = t->easy;
        const auto& o = c.options;
        curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
        curl_easy_setopt(e, CURLOPT_SHARE, c.share);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::on_body);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Impl::on_header);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout.count()));
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(o.total_timeout.count()));
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, o.verify_tls ? 1L : 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, o.verify_tls ? 2L : 0L);
        if (!o.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, o.ca_file.c_str());
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
        Transfer* raw = t.get();
        c.transfers.push_back(std::move(t));
        return raw;
    }

    void start(Client& c, Pending pending) {
        Transfer* t = acquire(c);
        if (!t) {
            HttpReply reply;
            reply.failure = HttpFailure::other;
            reply.error = "libcurl could not create an easy handle";
            deliver(c, pending.done, std::move(reply));
            return;
        }
        t->busy = true;
        t->body_too_large = false;
        t->pending = std::move(pending);
        t->reply = HttpReply{};
        t->errbuf[0] = '\0';
        const HttpCall& call = t->pending.call;
        CURL* e = t->easy;

        std::string bad;
        if (has_line_break(call.method) || call.method.empty()) bad = "invalid HTTP method";
        for (const auto& [name, value] : call.headers) {
            if (name.empty() || has_line_break(name) || has_line_break(value) ||
                name.find(':') != std::string::npos) {
                bad = "invalid header (empty name, ':' in name, or line break)";  // never echo the value
                break;
            }
        }
        if (bad.empty()) bad = plain_http_problem(call.url);
        if (!bad.empty()) return finish_early(*t, std::move(bad));

        if (t->headers) {
            curl_slist_free_all(t->headers);
            t->headers = nullptr;
        }
        std::string line;
        for (const auto& [name, value] : call.headers) {
            line.assign(name);
            if (value.empty()) {
                line += ';';  // curl's way to send a header with an empty value
            } else {
                line += ": ";
                line += value;
            }
            t->headers = curl_slist_append(t->headers, line.c_str());
        }
        t->headers = curl_slist_append(t->headers, "Expect:");  // never wait for 100-continue

        curl_easy_setopt(e, CURLOPT_URL, call.url.c_str());
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
        curl_easy_setopt(e, CURLOPT_NOBODY, 0L);
        const std::string& m = call.method;
        if (m == "GET" || ((m == "DELETE" || m == "OPTIONS") && call.body.empty())) {
            curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m == "GET" ? nullptr : m.c_str());
        } else if (m == "HEAD") {
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, nullptr);
            curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
        } else {
            curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, call.body.data());
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m == "POST" ? nullptr : m.c_str());
        }

        t->started = std::chrono::steady_clock::now();
        if (curl_multi_add_handle(multi, e) != CURLM_OK) {
            return finish_early(*t, "libcurl refused the transfer");
        }
        ++c.in_flight;
        c.in_flight_now.fetch_add(1, std::memory_order_relaxed);
    }

    void finish_early(Transfer& t, std::string error) {
        t.reply = HttpReply{};
        t.reply.failure = HttpFailure::other;
        t.reply.error = std::move(error);
        release_and_deliver(t);
    }

    void release_and_deliver(Transfer& t) {
        Client& c = *t.client;
        auto done = std::move(t.pending.done);
        HttpReply reply = std::move(t.reply);
        t.pending = Pending{};
        t.busy = false;
        c.idle.push_back(&t);
        deliver(c, done, std::move(reply));
    }

    void collect_finished() {
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL* e = msg->easy_handle;
            CURLcode code = msg->data.result;
            Transfer* t = nullptr;
            curl_easy_getinfo(e, CURLINFO_PRIVATE, &t);
            curl_multi_remove_handle(multi, e);
            Client& c = *t->client;
            --c.in_flight;
            c.in_flight_now.fetch_sub(1, std::memory_order_relaxed);

            long new_connections = 0;
            curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &new_connections);
            if (new_connections > 0) c.connections_opened.fetch_add(static_cast<std::uint64_t>(new_connections));

            HttpReply& reply = t->reply;
            reply.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::steady_clock::now() - t->started);
            if (code == CURLE_OK) {
                curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &reply.status);
            } else {
                reply.status = 0;
                reply.headers.clear();
                reply.body.clear();
                if (t->body_too_large) {
                    reply.failure = HttpFailure::other;
                    reply.error = "response body larger than " + std::to_string(kMaxResponseBody) + " bytes";
                } else {
                    reply.failure = classify(code);
                    std::string text = t->errbuf[0] ? std::string(t->errbuf) : curl_easy_strerror(code);
                    reply.error = scrub(std::move(text), t->pending.call.url);
                }
            }
            release_and_deliver(*t);
            start_queued(c);
        }
    }

    void shut_down() {
        std::vector<std::pair<HttpClientId, Pending>> batch;
        for (Client* c : io_clients) {
            for (auto& t : c->transfers) {
                if (!t->busy) continue;
                curl_multi_remove_handle(multi, t->easy);
                --c->in_flight;
                c->in_flight_now.fetch_sub(1, std::memory_order_relaxed);
                t->reply = shutting_down_reply();
                release_and_deliver(*t);
            }
        }
        // Callbacks may submit more while we fail the queues: loop until nothing is left.
        for (;;) {
            bool any = false;
            for (Client* c : io_clients) {
                while (!c->queue.empty()) {
                    any = true;
                    Pending p = std::move(c->queue.front());
                    c->queue.pop_front();
                    c->queued_now.fetch_sub(1, std::memory_order_relaxed);
                    deliver(*c, p.done, shutting_down_reply());
                }
            }
            {
                std::lock_guard lock(mutex);
                if (incoming.empty() && !any) {
                    stopped = true;
                    break;
                }
                while (io_clients.size() < clients.size()) io_clients.push_back(clients[io_clients.size()].get());
                batch.swap(incoming);
            }
            for (auto& [id, pending] : batch) io_clients[id]->queue.push_back(std::move(pending));
            batch.clear();
        }
    }

    static size_t on_body(char* data, size_t size, size_t count, void* user) {
        auto* t = static_cast<Transfer*>(user);
        size_t n = size * count;
        if (t->reply.body.size() + n > kMaxResponseBody) {
            t->body_too_large = true;
            return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
        }
        t->reply.body.append(data, n);
        return n;
    }

    static size_t on_header(char* data, size_t size, size_t count, void* user) {
        auto* t = static_cast<Transfer*>(user);
        size_t n = size * count;
        std::string_view line(data, n);
        if (line.starts_with("HTTP/")) {
            t->reply.headers.clear();  // a new response (after 100 Continue, or a proxy's CONNECT)
            return n;
        }
        auto colon = line.find(':');
        if (colon == std::string_view::npos) return n;  // the blank line ending the block
        t->reply.headers.emplace_back(std::string(trim(line.substr(0, colon))),
                                      std::string(trim(line.substr(colon + 1))));
        return n;
    }
};

std::string client_options_problem(const HttpClientOptions& options) {
    if (!options.ca_file.empty() && !std::ifstream(options.ca_file).good())
        return "HTTP client '" + options.name + "': CA file '" + options.ca_file +
               "' cannot be read; fix the transport's ca_file setting";
    return {};
}

HttpEngine::HttpEngine() : impl_(std::make_unique<Impl>()) {}

HttpEngine::~HttpEngine() = default;

HttpClientId HttpEngine::add_client(HttpClientOptions options) { return impl_->add_client(std::move(options)); }

void HttpEngine::submit(HttpClientId client, HttpCall call, std::function<void(HttpReply)> done) {
    impl_->submit(client, std::move(call), std::move(done));
}

std::vector<HttpReply> HttpEngine::perform(HttpClientId client, std::vector<HttpCall> calls) {
    if (std::this_thread::get_id() == impl_->io.get_id()) {
        throw std::logic_error("HttpEngine::perform called from the I/O thread (inside a done callback)");
    }
    {
        std::lock_guard lock(impl_->mutex);
        impl_->client_locked(client);
    }
    struct State {
        std::mutex mutex;
        std::condition_variable cv;
        std::size_t remaining = 0;
        std::vector<HttpReply> replies;
    };
    auto state = std::make_shared<State>();
    state->remaining = calls.size();
    state->replies.resize(calls.size());
    for (std::size_t i = 0; i < calls.size(); ++i) {
        submit(client, std::move(calls[i]), [state, i](HttpReply reply) {
            std::lock_guard lock(state->mutex);
            state->replies[i] = std::move(reply);
            if (--state->remaining == 0) state->cv.notify_all();
        });
    }
    std::unique_lock lock(state->mutex);
    state->cv.wait(lock, [&] { return state->remaining == 0; });
    return std::move(state->replies);
}

HttpClientStats HttpEngine::stats(HttpClientId client) const {
    std::lock_guard lock(impl_->mutex);
    const auto& c = impl_->client_locked(client);
    HttpClientStats s;
    s.submitted = c.submitted.load(std::memory_order_relaxed);
    s.completed = c.completed.load(std::memory_order_relaxed);
    s.responses = c.responses.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < s.failures.size(); ++i) s.failures[i] = c.failures[i].load(std::memory_order_relaxed);
    s.connections_opened = c.connections_opened.load(std::memory_order_relaxed);
    s.in_flight = c.in_flight_now.load(std::memory_order_relaxed);
    s.queued = c.queued_now.load(std::memory_order_relaxed);
    return s;
}

const HttpClientOptions& HttpEngine::options(HttpClientId client) const {
    std::lock_guard lock(impl_->mutex);
    return impl_->client_locked(client).options;
}

}  // namespace extcomm::host
