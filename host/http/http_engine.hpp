// The host's HTTP engine: performs the requests HTTP-codec transports produce.
//
// One I/O thread runs a libcurl multi handle for every client (one client per transport). Each
// client has its own queue, its own in-flight cap, its own connection cache (a CURLSH sharing
// connections between the client's easy handles only) and its own pool of reused easy handles, so a
// slow or dead provider only fills its own slots and never delays other transports.
//
// libcurl's usual environment applies: http_proxy / https_proxy / no_proxy are honoured.
// Nothing here logs header values, bodies or URLs; error texts are curl's words with the URL's query
// and user-info removed.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace extcomm::host {

struct HttpClientOptions {             // one client per transport
    unsigned max_concurrency = 8;      // requests in flight at once for this client (0 is treated as 1)
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds total_timeout{30000};  // per request, from when it goes on the wire
    bool verify_tls = true;
    std::string ca_file;               // empty = system bundle
    std::string name;                  // transport name, for logs and metrics
};

struct HttpCall {
    std::string method = "POST";
    std::string url;                   // http:// or https:// only; redirects are not followed
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

enum class HttpFailure { none, connect, timeout, tls, reset, other };

const char* to_string(HttpFailure failure) noexcept;

struct HttpReply {
    long status = 0;                   // 0 when failure != none
    std::vector<std::pair<std::string, std::string>> headers;  // of the final response, in order
    std::string body;
    HttpFailure failure = HttpFailure::none;
    std::string error;                 // human text (curl's), never contains credentials or the URL's query
    std::chrono::microseconds elapsed{0};  // on the wire: from start of the transfer to its end (queueing excluded)
};

using HttpClientId = std::uint32_t;

// Counters of one client, for metrics. A snapshot: each field is read atomically on its own.
struct HttpClientStats {
    std::uint64_t submitted = 0;           // calls accepted by submit/perform
    std::uint64_t completed = 0;           // replies delivered (any outcome)
    std::uint64_t responses = 0;           // replies with an HTTP status (failure == none)
    std::array<std::uint64_t, 6> failures{};  // indexed by HttpFailure; [none] stays 0
    std::uint64_t connections_opened = 0;  // new connections made (the rest reused a kept-alive one)
    std::uint64_t in_flight = 0;           // on the wire now
    std::uint64_t queued = 0;              // waiting for a slot now

    std::uint64_t failed(HttpFailure kind) const { return failures[static_cast<std::size_t>(kind)]; }
};

// Why a client with these options could not be added ("" when it can): a ca_file set but unreadable.
// add_client throws with it; `check-config` reports it without starting an engine.
std::string client_options_problem(const HttpClientOptions& options);

class HttpEngine {                     // owns one I/O thread running curl multi
public:
    HttpEngine();
    ~HttpEngine();                     // stops the thread; pending calls complete with failure=other "shutting down"
    HttpEngine(const HttpEngine&) = delete;
    HttpEngine& operator=(const HttpEngine&) = delete;

    // Thread-safe. Throws std::invalid_argument when ca_file is set but unreadable.
    HttpClientId add_client(HttpClientOptions options);

    // Thread-safe, never blocks on I/O; `done` runs on the I/O thread (must not block; exceptions it
    // throws are swallowed). Throws std::out_of_range for an unknown client.
    void submit(HttpClientId client, HttpCall call, std::function<void(HttpReply)> done);

    // Blocking convenience: replies in call order. Must not be called from a `done` callback
    // (throws std::logic_error there, since it would deadlock the I/O thread).
    std::vector<HttpReply> perform(HttpClientId client, std::vector<HttpCall> calls);

    // Thread-safe. Throws std::out_of_range for an unknown client.
    HttpClientStats stats(HttpClientId client) const;

    // The client's options as given (name for logs and metrics). Throws std::out_of_range.
    const HttpClientOptions& options(HttpClientId client) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace extcomm::host
