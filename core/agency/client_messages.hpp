#pragma once
// Messages staff write to a client from a place in Penelope (billing, profile, case, service file,
// service event, group, group event).
//
// Refused as a whole (the API answers 403 with the reason) while the agency's Client Delivery is off, or
// where the administrator has not allowed staff to start client messages from that place. Then per
// channel (the one asked for, else email and SMS): only when the agency has it enabled with a transport
// and the client consented to it ("Email/SMS communication via" an in-use entry). A message that goes
// out on no channel is refused too. Every decision is kept in the message log.
#include <agency/decisions.hpp>
#include <agency/people.hpp>
#include <agency/people_store.hpp>
#include <agency/settings.hpp>
#include <agency/settings_json.hpp> // ClientContext names: to_string, client_context_from
#include <agency/worker_messages.hpp>
#include <outbox/outbox.hpp>
#include <rendering/template_set.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace extcomm::agency {

struct ClientPlan {
    std::vector<Decision> decisions; // those with `sent` set are to be rendered and enqueued
    std::string refusal_code;        // "" when at least one channel goes out
    std::string refusal;             // in words
};

// The rules alone (request id, message ids and times left empty).
ClientPlan decide_client_message(const AgencySettings& settings, const Client& client, ClientContext context,
                                 std::optional<Channel> channel);

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
    ClientMessages(Database& db, PeopleStore& people, DecisionLog& log, Outbox& outbox, const Clock& clock,
                   MaxAge max_age = {})
        : db_(db), people_(people), log_(log), outbox_(outbox), clock_(clock), max_age_(std::move(max_age)) {}

    // An unknown client is a FieldError ("client"). A refused message is a SendResult whose request
    // carries the refusal (recorded in the message log all the same).
    std::variant<SendResult, FieldError> send(const AgencySettings& settings, const rendering::TemplateSet& templates,
                                              const ClientMessageRequest& request);

private:
    Database& db_;
    PeopleStore& people_;
    DecisionLog& log_;
    Outbox& outbox_;
    const Clock& clock_;
    MaxAge max_age_;
};

} // namespace extcomm::agency
