// Clickatell's error codes (shared by its legacy HTTP, REST and SOAP APIs) mapped to extcomm outcomes.
#pragma once

#include <extcomm/sdk.hpp>

#include <cstdint>
#include <string_view>

namespace extcomm::clickatell {

struct ErrorCode {
    const char* code;        // three digits, as Clickatell writes it
    sdk::Outcome outcome;
    const char* meaning;     // Clickatell's description
};

// Every code the provider documents, in order (the README's table is this one).
const ErrorCode* error_codes(size_t* count);

// The result for `ERR: <code>, <text>`. `now_ms` (Unix ms) turns 130's "until <unix time>" into a
// retry-after hint. Unknown codes fall back by range (0xx/3xx transport failure, 1xx rejected, 9xx retry).
sdk::Result result_for_error(std::string_view code, std::string_view text, int64_t now_ms);

} // namespace extcomm::clickatell
