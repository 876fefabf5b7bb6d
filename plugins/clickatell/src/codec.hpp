// The legacy Clickatell HTTP API codec: messages -> `sendmsg` requests, text answers -> results.
// Pure: no I/O, no threads; the clock is injected for error 130's retry hint.
#pragma once

#include "settings.hpp"

#include <extcomm/sdk.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace extcomm::clickatell {

// climsgid from extcomm's idempotency key: the key itself when it is at most 32 letters/digits once
// '-' are dropped (a UUID fits), else a 32-hex-digit hash of it. Stable across attempts.
std::string client_message_id(std::string_view idempotency_key);

class Codec {
public:
    using Clock = std::function<int64_t()>; // Unix time in ms
    explicit Codec(Settings settings, Clock now = {});

    // One POST {base}/http/sendmsg per message; invalid numbers, empty or over-long bodies are settled
    // as rejected without a request.
    sdk::Encoded encode(const std::vector<sdk::Message>& messages) const;
    std::vector<sdk::Result> decode(const sdk::HttpRequest& request, const std::vector<sdk::Message>& messages,
                                    const sdk::HttpResponse& response) const;

    const Settings& settings() const { return settings_; }

private:
    sdk::Result decode_one(const sdk::HttpResponse& response) const;

    Settings settings_;
    Clock now_;
};

} // namespace extcomm::clickatell
