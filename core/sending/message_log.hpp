#pragma once
// The message log: every request the sending pipeline handles (a worker or client message, an event
// notice, a scheduled confirmation or reminder, an error-notice digest), who it was for, and per recipient
// and channel whether it went out (with the outbox message) or why not. It answers an administrator's
// "why did this person not get it?". One decision type and one set of reasons for every sender.
#include <common/clock.hpp>
#include <common/enum_names.hpp>
#include <outbox/message.hpp>
#include <store/database.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extcomm::sending {

// Why a message was not sent to a person on a channel. Stable names in the API and the store.
enum class SkipReason {
    worker_delivery_disabled, // the agency's Worker Delivery is off
    client_delivery_disabled, // the agency's Client Delivery is off
    context_not_allowed,      // staff may not start client messages from this place
    setting_off,              // the agency's setting for this kind is off (Event Updates, Event Confirmation, ...)
    detail_level_disallow,    // Delivery Details: this collaboration type may not leave Penelope
    not_chosen,               // the worker's message settings say "none" for this type
    online,                   // "only when not logged in", and the worker is logged in
    channel_disabled,         // the agency has not enabled email (or SMS)
    no_transport,             // email (or SMS) is enabled without a transport to send it
    no_address,               // the worker has no email address (or mobile number)
    no_consent,               // the client has not consented to this channel
    consent_after_booking,    // the client consented only when (or after) the event was booked
    render_failed,            // the message could not be rendered (a template problem)
    no_event_update,          // the table of event updates sends nothing for this change
    not_within,               // booked, but not within the last-minute hours of its start (or it has started)
    group_event,              // no-show notices are never sent for group events
    event_not_booked,         // a scheduled message whose event was cancelled or marked no-show since
    event_started,            // a scheduled message whose event has started: too late to be of use
};

std::string_view to_string(SkipReason reason); // "worker-delivery-disabled", ...

// Who a decision is about: a worker, a client, or an address from the configuration (the operators'
// error_notices.recipients), which has no message settings of its own.
enum class Recipient { worker, client, address };
std::string_view to_string(Recipient recipient);

struct Decision {
    std::string request_id;
    Recipient recipient = Recipient::worker;
    std::string recipient_id;
    std::optional<Channel> channel;  // none when the reason holds for every channel
    bool sent = false;
    std::optional<SkipReason> reason; // when not sent
    std::string reason_text;          // in words, for the administrator
    std::string to;                   // the address used or that would have been (masked in the API)
    std::string message_id;           // the outbox message, when sent
    TimeMs decided_at = 0;
};

// A message people asked to send, as recorded with its decisions.
struct MessageRequest {
    std::string id;
    std::string kind;    // the message kind's one spelling ("collaboration-message", "booking-notice", …)
    std::string about;   // the collaboration type, the client message's context, the event, the digest
    std::string subject;
    std::string client;  // client messages: the client
    std::string refusal; // client messages refused as a whole: the reason (the API said 403); "" otherwise
    std::string refusal_code;
    TimeMs created_at = 0;
};

struct DecisionFilter {
    std::string request;  // "" = any
    std::string worker;   // "" = any
    std::string client;   // "" = any
    int limit = 100;
};

// Writes and reads requests and decisions. The writing calls take the caller's connection, so that a
// request, its decisions and its outbox messages commit together.
class DecisionLog {
public:
    explicit DecisionLog(Database& db) : db_(db) {}

    // Stores the request unless its idempotency key is known; returns the stored request's id when it is.
    std::optional<std::string> insert_request(Database::Connection& c, const MessageRequest& request,
                                              const std::string& idempotency_key);
    // One prepared statement for all of them (a scheduler run logs hundreds).
    void insert(Database::Connection& c, const std::vector<Decision>& decisions);

    std::optional<MessageRequest> request(const std::string& id);
    std::optional<MessageRequest> request(Database::Connection& c, const std::string& id);
    std::vector<Decision> of_request(Database::Connection& c, const std::string& id);
    // The id of the request stored under `idempotency_key`, when one is.
    std::optional<std::string> request_with_key(Database::Connection& c, const std::string& idempotency_key);
    std::vector<Decision> of_request(const std::string& id);
    // Newest first.
    std::vector<Decision> find(const DecisionFilter& filter);

private:
    Database& db_;
};

} // namespace extcomm::sending
