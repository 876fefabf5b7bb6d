#pragma once
// The pipeline's first step: whether a message of some kind goes to one recipient, on which channels, or
// why not. Pure functions of the agency's settings, the intent and the person, so that sending and
// POST /v1/preview decide alike. Invariant: every recipient ends in at least one decision; a decision
// without a channel holds for every channel; a decision with `sent` set names a channel and an address.
//
// The rules, per kind (Penelope's External Communications settings):
// - to workers (collaboration messages, reminders, last-minute booking, no-show, client-confirmed, the
//   confirmation's copy): Worker Delivery on; the kind's own setting on (last-minute hours, no-show);
//   the detail level of the governing collaboration type (rendering::detail_type_of) not "disallow"; the
//   worker's channels for the type (event notifications for the automated ones), none while they are
//   logged in if they asked "only when not logged in"; per channel, the agency can send on it and the
//   worker has an address.
// - to clients about events (booking and reschedule notices, confirmations): Client Delivery on and the
//   kind's setting on (Event Updates, Event Confirmation); per channel, the agency can send on it and the
//   client consented to it before the event was booked.
// - client messages and discussions (client-discussion): Client Delivery on, staff allowed to start them
//   from the intent's context; per channel (the one asked for, else both; a discussion asks for email),
//   the agency can send on it and the client consented.
// - verification codes: the worker asked for it, so personal settings and presence do not apply; email
//   needs the authentication transport, and the worker an address; the intent's channel when it names one.
// - verification limit alerts: by email to each member of the alert category with an address, by the
//   authentication transport, personal settings aside (a security notice).
// - error-notice digests: by email, to each recipient with an email address.
#include <sending/intent.hpp>
#include <sending/message_log.hpp>

#include <optional>
#include <string>
#include <vector>

namespace extcomm::sending {

std::vector<Decision> decide(const agency::AgencySettings& settings, const Intent& intent, const Addressee& recipient);

// A client message or discussion that goes out on no channel is refused as a whole (the API answers 403 for
// a client message, 400 for a discussion): why, from its decisions. `mixed`: the channels were refused for different reasons (the code is then
// "no-usable-channel"); the text lists them. Nothing for other kinds, and when something goes out.
struct Refusal {
    SkipReason reason = SkipReason::not_chosen;
    std::string text;
    bool mixed = false;
};
std::optional<Refusal> refusal_of(const Intent& intent, const std::vector<Decision>& decisions);

// Who a kind is for, when the preview checks the recipient it was asked about.
Recipient recipient_of(rendering::MessageKind kind);

// The preview's question: the decision on `channel`: that channel's, else one that holds for every
// channel, else the person's settings do not name the channel (`not_chosen`, saying what they choose).
Decision decision_on(const agency::AgencySettings& settings, const Intent& intent, const Addressee& recipient,
                     Channel channel);

// The transport a message on `channel` goes by: the intent's, else the agency's for the channel (for
// verification codes by email, the authentication transport).
const std::string& transport_of(const agency::AgencySettings& settings, const Intent& intent, Channel channel);

} // namespace extcomm::sending
