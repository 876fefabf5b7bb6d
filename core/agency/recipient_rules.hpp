#pragma once
// Whether a message of some kind goes to one person, on which channels, or why not: the rules the senders
// apply, as pure functions, so that the scheduler, the message senders and POST /v1/preview decide alike.
// Collaboration messages are decide_worker_message (worker_messages.hpp) and client messages
// decide_client_message (client_messages.hpp); this file holds the other kinds and the one-channel
// question a preview asks.
#include <agency/client_messages.hpp>
#include <agency/decisions.hpp>
#include <agency/people.hpp>
#include <agency/settings.hpp>
#include <agency/worker_messages.hpp>
#include <rendering/message_kind.hpp>

#include <optional>
#include <vector>

namespace extcomm::agency {

// Who a kind is for: a worker or a client; nothing for a kind without rules here, such as the error-notice
// digest, which goes to the error-notice category's email addresses through the configuration's
// error_notices transport.
std::optional<Recipient> recipient_of(rendering::MessageKind kind);

// Worker reminders, last-minute booking and no-show notices: nothing while Worker Delivery is off (or,
// for last-minute and no-show notices, while the agency's setting for them is off); then the worker's
// event notification channels, none while they are logged in if they asked "only when not logged in";
// per channel, only when the agency has it enabled with a transport and the worker has an address.
std::vector<Decision> decide_worker_event_notification(const AgencySettings& settings, const Worker& worker,
                                                       rendering::MessageKind kind);

// Booking and reschedule notices and confirmations to a client: nothing while Client Delivery or the
// matching setting (Event Updates' booking / reschedule notification, Event Confirmation) is off; per
// channel, only when the agency has it enabled with a transport and the client consented to it. The
// rule that consent must predate the event's booking needs the event: events::client_consent_skip.
std::vector<Decision> decide_client_event_message(const AgencySettings& settings, const Client& client,
                                                  rendering::MessageKind kind);

// 2-step verification codes to a worker, on each channel: email needs email enabled and the
// authentication transport ("use standard email settings", else its own), SMS the SMS transport; and
// the worker's address. Personal message settings and presence do not apply: the worker asked for it.
std::vector<Decision> decide_verification_code(const AgencySettings& settings, const Worker& worker);

// The preview's question: what the senders would decide for this person, this kind and this channel.
// `type` is used by collaboration messages, `context` by client messages. A channel the person's
// settings do not name is `not_chosen`. The caller checks recipient_of(kind) first.
Decision decide_for_channel(const AgencySettings& settings, const Worker& worker, rendering::MessageKind kind,
                            Channel channel, rendering::CollaborationType type);
Decision decide_for_channel(const AgencySettings& settings, const Client& client, rendering::MessageKind kind,
                            Channel channel, ClientContext context);

} // namespace extcomm::agency
