#pragma once
// What was wrong with an input and where: every reader of requests, settings and people answers with this.
#include <string>

namespace extcomm {

// `field` is a path into the input ("client_delivery.contexts[2]", "messages[3].channel", "Idempotency-Key");
// `reason` completes a sentence that starts with it ("must be a string").
struct FieldError {
    std::string field;
    std::string reason;
};

} // namespace extcomm
