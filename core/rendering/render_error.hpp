#pragma once
// Why a message could not be rendered: the field at fault and what to do about it.
#include <string>

namespace extcomm::rendering {

struct RenderError {
    std::string field;  // "site.time_zone", "sms_prefix", "facts", "detail_level", "body", …
    std::string reason;
};

} // namespace extcomm::rendering
