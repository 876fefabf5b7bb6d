// BulkSMS JSON REST v1 codec: messages -> POST {base}/messages requests, responses -> per-message results.
// Pure functions: no I/O, no clock, no state.
#pragma once

#include "settings.hpp"

#include <extcomm/sdk.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace extcomm::bulksms {

// The deduplication-id of a submission: a positive int32 derived from the idempotency keys of the
// messages it carries (in order), so resending the same submission reuses the same id.
int32_t deduplication_id(const std::vector<sdk::Message>& messages, const std::vector<uint32_t>& indices);

sdk::Encoded encode(const Settings& settings, const std::vector<sdk::Message>& messages);

std::vector<sdk::Result> decode(const sdk::HttpRequest& request, const std::vector<sdk::Message>& messages,
                                const sdk::HttpResponse& response);

} // namespace extcomm::bulksms
