#pragma once
// Messages staff write to a client from a place in Penelope (billing, profile, case, service file,
// service event, group, group event), through the sending pipeline. Refused as a whole (the API answers
// 403 with the reason) while the agency's Client Delivery is off, where the administrator has not allowed
// staff to start client messages from that place, or when no channel can carry it (sending/rules.hpp);
// every decision is kept in the message log all the same.
#include <agency/people_store.hpp>
#include <agency/settings_json.hpp> // ClientContext names: to_string, client_context_from
#include <agency/settings_store.hpp>
#include <common/field_error.hpp>
#include <sending/pipeline.hpp>

#include <optional>
#include <string>
#include <variant>

namespace extcomm::agency {

struct ClientMessageRequest {
    std::string idempotency_key; // "" = none
    std::string client;
    ClientContext context = ClientContext::profile;
    std::string subject;
    std::string body;
    std::optional<Channel> channel; // none: every channel the client consented to
};

class ClientMessages {
public:
    ClientMessages(sending::Pipeline& pipeline, PeopleStore& people, const Clock& clock)
        : pipeline_(pipeline), people_(people), clock_(clock) {}

    // An unknown client is a FieldError ("client"). A refused message is a SentRequest whose request
    // carries the refusal.
    std::variant<sending::SentRequest, FieldError> send(const SettingsSnapshot& snapshot,
                                                        const ClientMessageRequest& request);

private:
    sending::Pipeline& pipeline_;
    PeopleStore& people_;
    const Clock& clock_;
};

} // namespace extcomm::agency
