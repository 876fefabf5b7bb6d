#pragma once
// The confirm link's token: which appointment (event), whose (client) and until when (the event's start),
// signed with the service's key, so that the token alone is the authority: a client opens their own
// appointment and nothing else, and the link dies when the event starts (or moves: the start no longer
// matches the event's).
//
//   token   = base64url(payload) "." base64url(HMAC-SHA256(key, purpose + payload), first 16 bytes)
//   payload = "<event id>\n<client id>\n<start, UTC ms>"                         (base64url without padding)
// Compact on purpose: the link goes in a 160-character SMS (about 55 characters for short ids).
//
// Pure: verify() checks the form and the signature (constant-time); whether the appointment is still
// open is the caller's question (confirmations.hpp).
#include <common/clock.hpp>

#include <string>
#include <string_view>
#include <variant>

namespace extcomm::events {

struct ConfirmTokenFacts {
    std::string event;
    std::string client;
    TimeMs start = 0; // the event's start when the link was made: the link expires then

    bool operator==(const ConfirmTokenFacts&) const = default;
};

enum class TokenProblem {
    garbled,       // not a token of ours at all (truncated, wrong characters, not our payload)
    bad_signature, // well-formed, but not signed with our key (tampered, or another service's)
};

class ConfirmTokens {
public:
    // At least 32 bytes of secret (the configuration and the store's generated key both are).
    explicit ConfirmTokens(std::string key);

    std::string issue(const ConfirmTokenFacts& facts) const;
    std::variant<ConfirmTokenFacts, TokenProblem> verify(std::string_view token) const;

private:
    std::string signature(std::string_view payload) const;

    std::string key_;
};

// A link is worth nothing from its event's start on.
inline bool token_expired(const ConfirmTokenFacts& facts, TimeMs now) { return now >= facts.start; }

} // namespace extcomm::events
