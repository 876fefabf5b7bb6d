#pragma once
// Where discussions are kept: one row per discussion (its client, the place staff started it from, its
// subject and workers), one per message in its thread (who wrote it, when), and one per link a client was
// sent, by the link's random id (events/confirm_token.hpp: the token carries only that id). Ids are
// server-assigned numbers ("d-12") from the counters every host shares, so they never collide. Calls join
// the caller's transaction; store failures throw (Poco exceptions; callers turn them into "store: ...").
#include <agency/settings.hpp>
#include <common/clock.hpp>
#include <store/database.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extcomm::discussions {

// Who wrote a message of the thread.
enum class Author { worker, client };
std::string_view to_string(Author author); // "worker", "client"

struct DiscussionMessage {
    std::int64_t seq = 0;  // the thread's order (numbers shared by every discussion)
    Author author = Author::worker;
    std::string author_id; // the worker's or the client's id
    std::string body;      // a worker's: rich text as written; the client's: plain text
    TimeMs at = 0;
};

struct Discussion {
    std::string id; // "d-12"
    std::string client;
    agency::ClientContext context = agency::ClientContext::profile;
    std::string subject;
    std::vector<std::string> workers; // who gets the client's replies
    TimeMs created_at = 0;
    std::vector<DiscussionMessage> messages; // oldest first
};

// Stores `discussion` (without messages) under a new id, which it returns filled in.
Discussion insert_discussion(Database::Connection& c, Discussion discussion, TimeMs now);
// `idempotency_key` ("" for none) names the message for a caller that may retry: the store keeps one per key.
DiscussionMessage insert_message(Database::Connection& c, const std::string& discussion, Author author,
                                 const std::string& author_id, const std::string& body, TimeMs now,
                                 const std::string& idempotency_key = {});
struct KeyedMessage {
    std::string discussion;
    DiscussionMessage message;
};
// The message stored under `idempotency_key`, with its discussion's id; nullopt when none is.
std::optional<KeyedMessage> find_keyed_message(Database::Connection& c, const std::string& idempotency_key);
// The discussion with its thread; nullopt for an id never stored.
std::optional<Discussion> find_discussion(Database::Connection& c, const std::string& id);
// A worker who replied joins the discussion's workers (they get the client's later replies); false when
// they were already among them.
bool add_worker(Database::Connection& c, Discussion& discussion, const std::string& worker);

// A new link to `discussion`, sent now: its random id (new_confirm_link_id).
std::string insert_link(Database::Connection& c, const std::string& discussion, TimeMs now);

struct DiscussionLink {
    std::string discussion;
    TimeMs sent_at = 0;
};
// What the link of `id` opens; nullopt for an id never stored.
std::optional<DiscussionLink> find_link(Database::Connection& c, const std::string& id);

} // namespace extcomm::discussions
