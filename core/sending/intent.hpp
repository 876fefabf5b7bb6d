#pragma once
// What a sender hands the sending pipeline: the kind of message, who it is for, what it is rendered from,
// and the few facts the rules need beyond the people (where a client message was started, when an event
// was booked). Every sender — people's messages, event notices, scheduled confirmations and reminders,
// error-notice digests — states an Intent; none decides, renders, enqueues or logs by itself.
#include <agency/people.hpp>
#include <agency/settings.hpp>
#include <common/clock.hpp>
#include <rendering/facts.hpp>
#include <rendering/message_kind.hpp>
#include <sending/message_log.hpp>

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace extcomm::sending {

// An address from the configuration (error_notices.recipients): an operator, not a person in Penelope.
struct OperatorAddress {
    std::string email;
};

using Addressee = std::variant<agency::Worker, agency::Client, OperatorAddress>;

struct Intent {
    rendering::MessageKind kind = rendering::MessageKind::collaboration_message;
    // One request per key, ever: a repeat records and sends nothing and answers with the first request.
    // "" = none (a retried call sends again). Also the stem of each message's idempotency key.
    std::string idempotency_key;

    // What the message log shows of the request.
    std::string about;   // the collaboration type, the client message's context, the event, the digest
    std::string subject; // messages people write
    std::string client;  // the client the request concerns, if any

    std::vector<Addressee> recipients;
    rendering::MessageFacts facts;

    // The sender knows already that nothing goes (a scheduled reminder whose event was cancelled since):
    // every recipient is logged with this reason and nothing is rendered.
    struct Withheld {
        SkipReason reason = SkipReason::event_not_booked;
        std::string text;
    };
    std::optional<Withheld> withheld;

    // What the rules need beyond the people.
    std::optional<agency::ClientContext> context; // client messages: where staff started it
    std::optional<Channel> channel;               // client messages: the one channel asked for
    TimeMs booked_at = 0; // messages to clients about an event: consent must predate the booking

    // What the outbox needs beyond the rendered text.
    std::string transport;        // "" = the agency's transport for the channel
    TimeMs expires_at = 0;        // 0 = the kind's maximum age on its transport
    boost::json::object metadata; // copied into every message's metadata, beside request and recipient
    bool priority = false;        // authentication messages: claimed before the transport's other messages
    bool secret_body = false;     // the text holds a secret (a code): never shown, erased at its final state
};

} // namespace extcomm::sending
