#pragma once
// The message log's decisions: for each message people send (a worker message, a client message), who
// it was for, and per recipient and channel whether it went out (with the outbox message) or why not.
// It answers an administrator's "why did this person not get it?".
#include <common/clock.hpp>
#include <outbox/message.hpp>
#include <store/database.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extcomm::agency {

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
};

std::string_view to_string(SkipReason reason); // "worker-delivery-disabled", ...

enum class Recipient { worker, client };
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
    std::string kind;    // "worker-message" | "client-message"
    std::string about;   // the collaboration type, or the client message's context
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
    void insert(Database::Connection& c, const std::vector<Decision>& decisions);

    std::optional<MessageRequest> request(const std::string& id);
    std::optional<MessageRequest> request(Database::Connection& c, const std::string& id);
    std::vector<Decision> of_request(Database::Connection& c, const std::string& id);
    std::vector<Decision> of_request(const std::string& id);
    // Newest first.
    std::vector<Decision> find(const DecisionFilter& filter);

private:
    Database& db_;
};

} // namespace extcomm::agency
