#pragma once
// The messages staff write, through the sending pipeline:
// - collaboration messages to workers (Conversation, Alert, Notification, Discussion, Event Notification,
//   Workflow, Reminder), sent by staff or action triggers, to the workers named and the members of the
//   worker categories named, each once;
// - messages to a client, started from a place in Penelope (billing, profile, case, service file, service
//   event, group, group event): refused as a whole (the API answers 403 with the reason) while the
//   agency's Client Delivery is off, where the administrator has not allowed staff to start client
//   messages from that place, or when no channel can carry it; every decision is logged all the same.
// Who gets what is sending/rules.hpp's; each request commits in a transaction of its own.
#include <agency/people_store.hpp>
#include <agency/settings_json.hpp> // ClientContext names: to_string, client_context_from
#include <agency/settings_store.hpp>
#include <common/field_error.hpp>
#include <sending/pipeline.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace extcomm::agency {

struct WorkerMessageRequest {
    std::string idempotency_key; // "" = none: a retried call sends again
    rendering::CollaborationType type = rendering::CollaborationType::notification;
    std::string subject;
    std::string body;
    std::vector<std::string> workers;    // worker ids
    std::vector<std::string> categories; // worker category ids: their members
};

struct ClientMessageRequest {
    std::string idempotency_key; // "" = none
    std::string client;
    ClientContext context = ClientContext::profile;
    std::string subject;
    std::string body;
    std::optional<Channel> channel; // none: every channel the client consented to
};

class StaffMessages {
public:
    StaffMessages(sending::Pipeline& pipeline, PeopleStore& people, const Clock& clock)
        : pipeline_(pipeline), people_(people), clock_(clock) {}

    // Unknown workers or categories come back as a FieldError ("workers[1]", "categories[0]").
    std::variant<sending::SentRequest, FieldError> send(const SettingsSnapshot& snapshot,
                                                        const WorkerMessageRequest& request);
    // An unknown client is a FieldError ("client"). A refused message is a SentRequest whose request
    // carries the refusal.
    std::variant<sending::SentRequest, FieldError> send(const SettingsSnapshot& snapshot,
                                                        const ClientMessageRequest& request);

private:
    std::variant<std::vector<Worker>, FieldError> recipients(Database::Connection& c, const WorkerMessageRequest& request);

    sending::Pipeline& pipeline_;
    PeopleStore& people_;
    const Clock& clock_;
};

} // namespace extcomm::agency
