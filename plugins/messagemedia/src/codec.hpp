// MessageMedia Messages API v1 codec: messages -> POST {base}/v1/messages requests, responses -> per-message results.
// Pure functions: no I/O, no clock, no state.
#pragma once

#include "settings.hpp"

#include <extcomm/sdk.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace extcomm::messagemedia {

sdk::Encoded encode(const Settings& settings, const std::vector<sdk::Message>& messages);

std::vector<sdk::Result> decode(const sdk::HttpRequest& request, const std::vector<sdk::Message>& messages,
                                const sdk::HttpResponse& response);

} // namespace extcomm::messagemedia
