#pragma once
// Collaboration messages to workers (Conversation, Alert, Notification, Discussion, Event Notification,
// Workflow, Reminder), sent by staff or action triggers.
//
// Who gets what: nothing while the agency's Worker Delivery is off; nothing for a type whose detail level
// is "disallow" ("subject only" strips the body); per worker, the channels chosen for the type in their
// message settings, none while they are logged in if they asked "only when not logged in"; per channel,
// only when the agency has it enabled with a transport and the worker has an address for it. Every
// recipient and channel ends in a decision (sent, or skipped with the reason), stored in the message log
// with the outbox messages, in one transaction.
#include <agency/decisions.hpp>
#include <agency/people.hpp>
#include <agency/people_store.hpp>
#include <agency/settings.hpp>
#include <outbox/outbox.hpp>
#include <rendering/template_set.hpp>

#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace extcomm::agency {

// The rules alone: the decisions for one worker (request id, message id and time left empty). Those
// with `sent` set are the messages to render and enqueue.
std::vector<Decision> decide_worker_message(const AgencySettings& settings, const Worker& worker,
                                            rendering::CollaborationType type);

struct WorkerMessageRequest {
    std::string idempotency_key; // "" = none: a retried call sends again
    rendering::CollaborationType type = rendering::CollaborationType::notification;
    std::string subject;
    std::string body;
    std::vector<std::string> workers;    // worker ids
    std::vector<std::string> categories; // worker category ids: their members
};

struct SendResult {
    MessageRequest request;
    std::vector<Decision> decisions;
    bool replayed = false; // the idempotency key was known: this is the first call's answer, nothing new sent
};

// How long a message of `kind` on `transport` may wait (ms); 0 = the outbox's default.
using MaxAge = std::function<TimeMs(const std::string& transport, const std::string& kind)>;

class WorkerMessages {
public:
    WorkerMessages(Database& db, PeopleStore& people, DecisionLog& log, Outbox& outbox, const Clock& clock,
                   MaxAge max_age = {})
        : db_(db), people_(people), log_(log), outbox_(outbox), clock_(clock), max_age_(std::move(max_age)) {}

    // Unknown workers or categories come back as a FieldError ("workers[1]", "categories[0]").
    std::variant<SendResult, FieldError> send(const AgencySettings& settings, const rendering::TemplateSet& templates,
                                              const WorkerMessageRequest& request);

private:
    Database& db_;
    PeopleStore& people_;
    DecisionLog& log_;
    Outbox& outbox_;
    const Clock& clock_;
    MaxAge max_age_;
};

} // namespace extcomm::agency
