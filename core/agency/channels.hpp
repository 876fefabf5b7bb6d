#pragma once
// Whether the agency can send on a channel at all (Email / SMS sections of the settings), and on which
// transport. Shared by every message people send.
#include <agency/decisions.hpp>
#include <agency/settings.hpp>

#include <optional>
#include <string>

namespace extcomm::agency {

inline const std::string& transport_for(const AgencySettings& settings, Channel channel) {
    return channel == Channel::email ? settings.email.transport : settings.sms.transport;
}

struct Unavailable {
    SkipReason reason;
    std::string text;
};

// Nothing when the agency has the channel enabled with a transport; otherwise why not.
inline std::optional<Unavailable> channel_unavailable(const AgencySettings& settings, Channel channel) {
    bool enabled = channel == Channel::email ? settings.email.enabled : settings.sms.enabled;
    const char* name = channel == Channel::email ? "email" : "SMS";
    if (!enabled) return Unavailable{SkipReason::channel_disabled, std::string(name) + " is not enabled for the agency"};
    if (transport_for(settings, channel).empty())
        return Unavailable{SkipReason::no_transport, std::string(name) + " is enabled but no transport is set for it"};
    return std::nullopt;
}

} // namespace extcomm::agency
