#pragma once
// The confirm link's token: short, opaque and signed, so that the token alone is the authority: a client
// opens their own appointment and nothing else, and the link dies when the event starts (or moves).
//
//   token = id tag                                                         (24 characters, base64url)
//   id    = base64url(12 random bytes)                                     (16 characters, 96 bits)
//   tag   = base64url(HMAC-SHA256(key, purpose + id), first 6 bytes)       (8 characters)
//
// The id is all a token carries: what it points at (event, client, the event's start) is the row the
// scheduler stored with it (confirmation_store.hpp, record_confirm_link) in the transaction that enqueued
// the confirmation, so a link reveals no ids and fits a 160-character SMS with a long base URL. The
// random id makes it unguessable; the tag covers a purpose string, so a token of ours can never be
// replayed as another kind of link, and lets a forged token be refused without asking the store.
//
// Links sent before (payload "." signature, where payload = "<event>\n<client>\n<start, UTC ms>" and the
// signature is the first 16 bytes of HMAC-SHA256(key, purpose v1 + payload)) still verify until their
// event starts: they carry their facts themselves.
//
// Pure but for new_confirm_link_id (the system's CSPRNG): verify() checks the form and the tag
// (constant-time); whether the appointment is still open is the caller's question (confirmations.hpp).
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

// A token of the current form: the stored link's id, to be looked up (find_confirm_link).
struct ConfirmLinkId {
    std::string id;
};

enum class TokenProblem {
    garbled,       // not a token of ours at all (truncated, wrong characters, not our payload)
    bad_signature, // well-formed, but not signed with our key (tampered, or another service's)
};

// What a link opens. The tag covers the purpose, so a token issued for one kind of page is refused by
// every other (a confirm token never opens a client task, nor the reverse).
enum class LinkPurpose { confirm, client_task, discussion };

class ConfirmTokens {
public:
    // At least 32 bytes of secret (the configuration and the store's generated key both are).
    explicit ConfirmTokens(std::string key);

    // The token of a stored link's id (new_confirm_link_id), for the page `purpose` names.
    std::string issue(std::string_view link_id, LinkPurpose purpose = LinkPurpose::confirm) const;
    // A current confirm token gives its id; a token of the earlier form its facts.
    std::variant<ConfirmLinkId, ConfirmTokenFacts, TokenProblem> verify(std::string_view token) const;
    // A token of the current form issued for `purpose` gives its id; nothing else does.
    std::variant<ConfirmLinkId, TokenProblem> verify_id(std::string_view token, LinkPurpose purpose) const;

private:
    std::string mac(std::string_view purpose, std::string_view text, std::size_t bytes) const;

    std::string key_;
};

// A fresh link id: 12 bytes from the system's CSPRNG, base64url (16 characters).
std::string new_confirm_link_id();
inline constexpr std::size_t kConfirmTokenCharacters = 24;

// A link is worth nothing from its event's start on.
inline bool token_expired(const ConfirmTokenFacts& facts, TimeMs now) { return now >= facts.start; }

} // namespace extcomm::events
