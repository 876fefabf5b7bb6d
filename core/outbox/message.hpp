#pragma once
// The outbox's vocabulary: a message to one recipient on one channel, its state, its attempts.
#include <common/clock.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extcomm {

enum class Channel { email, sms };

std::string_view to_string(Channel c);
std::optional<Channel> channel_from(std::string_view s);

// queued → sending → sent → delivered | failed | expired | rejected
enum class MessageState { queued, sending, sent, delivered, failed, expired, rejected };
// Every state, in order: its name table is sized from this list, and /metrics reports each one.
inline constexpr MessageState kAllMessageStates[] = {MessageState::queued,    MessageState::sending, MessageState::sent,
                                                     MessageState::delivered, MessageState::failed,  MessageState::expired,
                                                     MessageState::rejected};

std::string_view to_string(MessageState s);
std::optional<MessageState> state_from(std::string_view s);
bool is_final(MessageState s);

// What a transport said about one delivery attempt (mirrors extcomm_outcome).
enum class Outcome { accepted, retry, rejected, transport_failure, internal, resend_alone };

std::string_view to_string(Outcome o);

// What a message is for ("booking_notice", "verification_code", ...): retry and age budgets are per kind.
inline constexpr const char* kDefaultKind = "message";

struct NewMessage {
    Channel channel = Channel::email;
    std::string kind = kDefaultKind;
    std::string transport;
    std::string to;
    std::string subject;
    std::string body;
    std::string html_body;
    std::string metadata_json = "{}";
    std::string idempotency_key; // empty: the message id is used
    TimeMs run_at = 0;           // 0: now
    TimeMs expires_at = 0;       // 0: now + the outbox's default maximum age
    // Authentication messages: claimed before the transport's other messages, and their text holds a
    // secret (a verification code), never shown and erased at their final state.
    bool priority = false;
    bool secret_body = false;
};

struct OutboundMessage {
    std::string id;
    std::string idempotency_key;
    Channel channel = Channel::email;
    std::string kind = kDefaultKind;
    std::string transport;
    std::string to;
    std::string subject;
    std::string body;
    std::string html_body;
    std::string metadata_json;
    MessageState state = MessageState::queued;
    int attempts = 0;
    TimeMs created_at = 0;
    TimeMs run_at = 0;
    TimeMs expires_at = 0;
    std::string provider_message_id;
    std::string last_code;
    std::string last_text;
    TimeMs updated_at = 0;
    bool priority = false;
    bool secret_body = false;
};

struct DeliveryResult {
    Outcome outcome = Outcome::internal;
    std::string provider_message_id;
    std::string provider_code;
    std::string provider_text;
    TimeMs retry_after_ms = 0;
};

struct Attempt {
    int number = 0;
    TimeMs at = 0;
    std::string outcome;
    std::string provider_code;
    std::string provider_text;
    std::string provider_message_id;
};

} // namespace extcomm
