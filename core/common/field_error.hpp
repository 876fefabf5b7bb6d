#pragma once
// What was wrong with an input and where: every API, settings and configuration refusal names its field.
#include <string>

namespace extcomm {

struct FieldError {
    std::string field;  // a path into the input: "client_delivery.contexts[2]", "messages[3].channel"
    std::string reason; // in words, for the person who sent it
};

} // namespace extcomm
