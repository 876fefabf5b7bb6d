#pragma once
// The transport the agency sends a channel by (the Email and SMS sections of the settings).
#include <agency/settings.hpp>

#include <string>

namespace extcomm::agency {

inline const std::string& transport_for(const AgencySettings& settings, Channel channel) {
    return channel == Channel::email ? settings.email.transport : settings.sms.transport;
}

} // namespace extcomm::agency
