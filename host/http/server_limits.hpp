#pragma once
// The HTTP server's deadlines and caps (the configuration's `http` section): a header of its own so the
// configuration does not pull in Beast.
#include <chrono>
#include <cstdint>

namespace extcomm::host {

struct HttpServerLimits {
    std::chrono::milliseconds header_timeout{10000}; // from a request's first byte to its header's end
    std::chrono::milliseconds body_timeout{30000};   // to read a body, and to write an answer
    std::chrono::milliseconds idle_timeout{60000};   // a connection with no request begun
    std::uint32_t max_header_bytes = 16384;          // request line and header fields together
    unsigned max_connections = 1000;                 // lowered at start to fit the open-file limit
    unsigned handler_threads = 64;                   // handlers wait on commits: sized for callers, not cores
    unsigned handler_queue = 256;                    // complete requests waiting for a handler thread
};

} // namespace extcomm::host
