#pragma once
// A decision about one worker or client on one channel (none: for every channel), as the senders and the
// preview make them: who, the address used or that would have been, and when skipped, why.
#include <agency/decisions.hpp>
#include <agency/people.hpp>

#include <optional>
#include <string>

namespace extcomm::agency {

inline Decision decision_for(const Worker& worker, std::optional<Channel> channel) {
    Decision d;
    d.recipient = Recipient::worker;
    d.recipient_id = worker.id;
    d.channel = channel;
    if (channel) d.to = worker.address(*channel);
    return d;
}

inline Decision decision_for(const Client& client, std::optional<Channel> channel) {
    Decision d;
    d.recipient = Recipient::client;
    d.recipient_id = client.id;
    d.channel = channel;
    if (channel) d.to = client.consent(*channel).address;
    return d;
}

template <typename Person>
Decision skipped(const Person& person, std::optional<Channel> channel, SkipReason reason, std::string text) {
    Decision d = decision_for(person, channel);
    d.reason = reason;
    d.reason_text = std::move(text);
    return d;
}

// "email address" | "mobile number": what a person lacks when a channel has no address.
inline const char* address_name(Channel channel) { return channel == Channel::email ? "email address" : "mobile number"; }

} // namespace extcomm::agency
