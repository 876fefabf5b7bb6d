// Refuses a message whose input could change the protocol or the headers, before anything is sent.
#pragma once

#include <extcomm/sdk.hpp>

#include <optional>

namespace extcomm::smtp {

// A rejection when the message cannot be sent as it is (permanent: resending the same input fails
// the same way), nothing when it can.
std::optional<extcomm::sdk::Result> check_message(const extcomm::sdk::Message& message);

} // namespace extcomm::smtp
