// The Clickatell Platform REST codec: messages -> POST {base}/messages, JSON answers -> results. Pure.
//
// The API sends ONE `content` to a `to` array, so only messages with identical bodies share a request
// (up to kMaxRecipients distinct numbers); every other message gets its own request.
#pragma once

#include "settings.hpp"

#include <extcomm/sdk.hpp>

#include <string>
#include <vector>

namespace extcomm::clickatell_platform {

inline constexpr size_t kMaxRecipients = 100;

// clientMessageId from extcomm's idempotency key: the key when it is at most 32 letters/digits once '-'
// are dropped, else a 32-hex-digit hash. Set only on single-recipient requests.
std::string client_message_id(std::string_view idempotency_key);

class Codec {
public:
    explicit Codec(Settings settings) : settings_(std::move(settings)) {}

    sdk::Encoded encode(const std::vector<sdk::Message>& messages) const;
    std::vector<sdk::Result> decode(const sdk::HttpRequest& request, const std::vector<sdk::Message>& messages,
                                    const sdk::HttpResponse& response) const;

    const Settings& settings() const { return settings_; }

private:
    Settings settings_;
};

} // namespace extcomm::clickatell_platform
