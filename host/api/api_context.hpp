#pragma once
// What the API's handlers work with: every part of the running service, always there.
#include <agency/settings_store.hpp>
#include <config/config.hpp>
#include <delivery/dispatcher.hpp>
#include <metrics/metrics.hpp>
#include <outbox/outbox.hpp>
#include <outbox/receipts.hpp>
#include <runtime/transport_set.hpp>

namespace extcomm::sending {
class DecisionLog;
} // namespace extcomm::sending

namespace extcomm::agency {
class PeopleStore;
class StaffMessages;
} // namespace extcomm::agency

namespace extcomm::events {
class ServiceEvents;
class Confirmations;
class ConfirmTokens;
} // namespace extcomm::events

namespace extcomm::discussions {
class Discussions;
} // namespace extcomm::discussions

namespace extcomm::authentication {
class VerificationCodes;
} // namespace extcomm::authentication

namespace extcomm::triggers {
class Records;
class RuleStore;
class Tasks;
} // namespace extcomm::triggers

namespace extcomm::host {

struct ApiContext {
    const Config& config;
    Outbox& outbox;
    const TransportSet& transports;
    Dispatcher& dispatcher;
    Metrics& metrics;
    Receipts& receipts;                          // webhooks: where receipts and replies go
    agency::SettingsStore& settings;             // the agency's settings, templates and their audit
    agency::PeopleStore& people;                 // workers, categories, clients, sites
    sending::DecisionLog& decisions;              // the message log of messages people send
    agency::StaffMessages& staff_messages;       // POST /v1/worker-messages, /v1/client-messages
    events::ServiceEvents& service_events;       // PUT/GET /v1/service-events/{id}
    events::Confirmations& confirmations;        // GET/POST /c/{token}: the confirm link's pages
    const events::ConfirmTokens& confirm_tokens; // and what checks their tokens
    triggers::Records& records;                  // PUT/GET /v1/records, /v1/document-templates, clients' triggers
    triggers::RuleStore& rules;                  // /v1/action-triggers
    triggers::Tasks& tasks;                      // /v1/tasks
    authentication::VerificationCodes& verification_codes; // /v1/verification-codes
    discussions::Discussions& discussions;       // /v1/discussions and their pages (/d/{token})
};

} // namespace extcomm::host
