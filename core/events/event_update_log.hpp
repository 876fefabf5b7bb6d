#pragma once
// Booking and reschedule notices in the message log, like the messages people send: one request per
// notice (its idempotency key makes a repeated PUT record nothing new) with a decision per client and
// channel, sent (with the outbox message) or why not, so that "why did this client not get it?" has an
// answer in GET /v1/decisions. Joins the caller's transaction.
#include <agency/decisions.hpp>
#include <events/event_updates.hpp>
#include <events/service_event.hpp>
#include <store/database.hpp>

#include <string>

namespace extcomm::events {

// `plan.decisions[i].message_id` set for those sent. Nothing is recorded when the table sends nothing.
void record_event_update(agency::DecisionLog& log, Database::Connection& c, const ServiceEvent& event,
                         const NoticePlan& plan, const std::string& idempotency_key, TimeMs now);

} // namespace extcomm::events
