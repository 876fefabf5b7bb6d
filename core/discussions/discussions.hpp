#pragma once
// Discussions: email-based conversations staff start with a client (Engage). Staff start one with a first
// message; the client gets a client-discussion email with the message and a link to the discussion's page,
// where they read the thread and reply; a client's reply reaches the discussion's workers as a collaboration
// message of type Discussion; a worker's reply emails the client again, with a fresh link.
//
// Invariants:
// - A message is stored with the messages it causes, in one transaction: a worker's message is stored only
//   when its email to the client goes out (Client Delivery on, staff allowed to start client
//   communications from the discussion's place, email enabled and consented to); otherwise nothing is
//   stored and the refusal names the field (sending/rules.hpp decides, as for client messages).
// - A link opens its own discussion only, for kLinkLifetimeMs after it was sent; a newer link leaves the
//   older ones open (a client may reply from any email of the thread until it is 30 days old).
#include <discussions/discussion_store.hpp>

#include <agency/people_store.hpp>
#include <common/clock.hpp>
#include <common/field_error.hpp>
#include <sending/pipeline.hpp>

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace extcomm::discussions {

inline constexpr TimeMs kLinkLifetimeMs = 30LL * 24 * 60 * 60 * 1000;

// The page's address for a stored link id (the host's base URL and the signed token).
using LinkUrl = std::function<std::string(const std::string& link_id)>;

struct NewDiscussion {
    std::string client;
    agency::ClientContext context = agency::ClientContext::profile;
    std::vector<std::string> workers; // the first writes the first message
    std::string subject;
    std::string message; // rich text
    std::string idempotency_key; // "" for none: a retried call with the key posts nothing again
};

// A message stored, and what it sent (the client's email, or the workers' collaboration messages).
struct Posted {
    Discussion discussion; // with its whole thread
    std::vector<std::string> message_ids;
};

struct NoSuchDiscussion {};
// The idempotency key names a message that differs from this call's: `what` names how ("client", "subject",
// "workers", "message", "id"). Nothing is stored or sent.
struct KeyReused {
    std::string what;
};

enum class LinkState { unknown, expired, open };
struct Opened {
    LinkState state = LinkState::unknown;
    std::optional<Discussion> discussion; // when open
};

// A worker's name as messages outside Penelope show it: without the last name when the agency hides it.
std::string shown_name(const agency::Worker& worker, bool hide_last_name);

class Discussions {
public:
    Discussions(sending::Pipeline& pipeline, agency::PeopleStore& people, const Clock& clock, LinkUrl link_url)
        : pipeline_(pipeline), people_(people), clock_(clock), link_url_(std::move(link_url)) {}

    // Unknown client or workers, and refusals, are a FieldError ("client", "workers[1]", "context"). A call
    // repeated with its idempotency key gets what the first one posted (the thread as it is now, and the
    // messages the first call sent), and nothing is stored or sent again.
    std::variant<Posted, FieldError, KeyReused> start(const agency::SettingsSnapshot& snapshot, const NewDiscussion& request);
    // A worker's reply: the worker need not be one of the discussion's (a colleague may answer). Keyed as start.
    std::variant<Posted, FieldError, NoSuchDiscussion, KeyReused> reply(const agency::SettingsSnapshot& snapshot,
                                                                        const std::string& id, const std::string& worker,
                                                                        const std::string& message,
                                                                        const std::string& idempotency_key = {});
    std::optional<Discussion> find(const std::string& id);

    // The page: what the link of `link_id` opens.
    Opened open(const std::string& link_id);
    // The client's reply from the page; a link that is not open answers with its state.
    std::variant<Posted, LinkState> client_reply(const agency::SettingsSnapshot& snapshot, const std::string& link_id,
                                                 const std::string& message);

private:
    // What the call that stored `keyed` posted: its discussion now, and the messages its email request sent.
    Posted posted_before(Database::Connection& c, const KeyedMessage& keyed, Discussion discussion);
    std::optional<FieldError> email_client(Database::Connection& c, const agency::SettingsSnapshot& snapshot,
                                           const Discussion& discussion, const agency::Worker& author,
                                           const DiscussionMessage& message, std::vector<std::string>& message_ids);

    sending::Pipeline& pipeline_;
    agency::PeopleStore& people_;
    const Clock& clock_;
    LinkUrl link_url_;
};

} // namespace extcomm::discussions
