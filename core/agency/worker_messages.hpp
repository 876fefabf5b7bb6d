#pragma once
// Collaboration messages to workers (Conversation, Alert, Notification, Discussion, Event Notification,
// Workflow, Reminder), sent by staff or action triggers: the recipients are the workers named and the
// members of the worker categories named, each once; the sending pipeline decides, renders, enqueues and
// logs (sending/rules.hpp says who gets what).
#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <common/field_error.hpp>
#include <sending/pipeline.hpp>

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

class WorkerMessages {
public:
    WorkerMessages(sending::Pipeline& pipeline, PeopleStore& people, const Clock& clock)
        : pipeline_(pipeline), people_(people), clock_(clock) {}

    // Unknown workers or categories come back as a FieldError ("workers[1]", "categories[0]").
    std::variant<sending::SentRequest, FieldError> send(const SettingsSnapshot& snapshot,
                                                        const WorkerMessageRequest& request);

private:
    std::variant<std::vector<Worker>, FieldError> recipients(Database::Connection& c, const WorkerMessageRequest& request);

    sending::Pipeline& pipeline_;
    PeopleStore& people_;
    const Clock& clock_;
};

} // namespace extcomm::agency
