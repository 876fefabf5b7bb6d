#include <discussions/discussions.hpp>

#include <agency/settings_json.hpp> // ClientContext names
#include <store/rows.hpp>

#include <Poco/Data/Transaction.h>

#include <set>

namespace extcomm::discussions {
namespace {

// The field a refused email is about: the place it was started from, else the client (delivery off, no
// consented email address, email not enabled).
std::string refusal_field(const std::string& code) {
    return code == to_string(sending::SkipReason::context_not_allowed) ? "context" : "client";
}

// The client's reply to the discussion's workers, as a Discussion collaboration message; keyed by the reply,
// so it goes once.
sending::Intent reply_to_workers(const Discussion& d, const agency::Client& client, const DiscussionMessage& reply,
                                 std::vector<agency::Worker> workers) {
    sending::Intent intent;
    intent.kind = rendering::MessageKind::collaboration_message;
    intent.idempotency_key = "discussion-reply:" + std::to_string(reply.seq);
    intent.about = std::string(rendering::to_string(rendering::CollaborationType::discussion));
    intent.subject = d.subject;
    intent.client = d.client;
    for (agency::Worker& w : workers) intent.recipients.emplace_back(std::move(w));
    const std::string name = client.name.empty() ? "Your client" : client.name;
    intent.facts = rendering::CollaborationFacts{rendering::CollaborationType::discussion, d.subject,
                                                 name + " replied in discussion " + d.id + ":\n\n" + reply.body};
    intent.metadata = {{"type", intent.about}, {"discussion", d.id}};
    return intent;
}

// The key of the request that emails the client a worker's message (one per message).
std::string email_key(const DiscussionMessage& message) { return "discussion:" + std::to_string(message.seq); }

// How a repeated start differs from the call that stored `keyed` first, or "" when it is the same call.
std::string differs(const Discussion& d, const DiscussionMessage& keyed, const NewDiscussion& request) {
    if (d.messages.empty() || d.messages.front().seq != keyed.seq) return "message"; // the key named a reply
    if (d.client != request.client) return "client";
    if (d.subject != request.subject) return "subject";
    if (d.context != request.context) return "context";
    if (keyed.author_id != request.workers.front()) return "workers";
    if (keyed.body != request.message) return "message";
    return "";
}

} // namespace

std::string shown_name(const agency::Worker& worker, bool hide_last_name) {
    if (hide_last_name || worker.last_name.empty()) return worker.first_name;
    return worker.first_name + " " + worker.last_name;
}

std::optional<FieldError> Discussions::email_client(Database::Connection& c, const agency::SettingsSnapshot& snapshot,
                                                    const Discussion& discussion, const agency::Worker& author,
                                                    const DiscussionMessage& message,
                                                    std::vector<std::string>& message_ids) {
    auto client = people_.client(c, discussion.client);
    if (!client) return FieldError{"client", "no client '" + discussion.client + "'"};
    sending::Intent intent;
    intent.kind = rendering::MessageKind::client_discussion;
    intent.idempotency_key = email_key(message);
    intent.about = std::string(agency::to_string(discussion.context));
    intent.subject = discussion.subject;
    intent.client = discussion.client;
    intent.recipients.emplace_back(std::move(*client));
    const bool hide_last_name = snapshot.settings.privacy.hide_worker_last_name;
    intent.facts = rendering::DiscussionFacts{discussion.subject, shown_name(author, hide_last_name), message.body,
                                              link_url_(insert_link(c, discussion.id, message.at))};
    intent.context = discussion.context;
    intent.channel = Channel::email; // Engage: the client reads and replies on the page the email links to
    intent.metadata = {{"discussion", discussion.id}};

    sending::Batch batch(pipeline_, c, snapshot, message.at);
    const sending::MessageRequest& sent = batch.request(batch.add(intent)).request;
    if (!sent.refusal.empty())
        return FieldError{refusal_field(sent.refusal_code), "the client cannot get the discussion by email: " + sent.refusal};
    for (const OutboundMessage& m : batch.enqueue()) message_ids.push_back(m.id);
    return std::nullopt;
}

Posted Discussions::posted_before(Database::Connection& c, const KeyedMessage& keyed, Discussion discussion) {
    Posted posted{std::move(discussion), {}};
    if (auto request = pipeline_.log().request_with_key(c, email_key(keyed.message)))
        for (const sending::Decision& decision : pipeline_.log().of_request(c, *request))
            if (!decision.message_id.empty()) posted.message_ids.push_back(decision.message_id);
    return posted;
}

std::variant<Posted, FieldError, KeyReused> Discussions::start(const agency::SettingsSnapshot& snapshot,
                                                               const NewDiscussion& request) try {
    const TimeMs now = clock_.now_ms();
    auto c = pipeline_.database().connect();
    Poco::Data::Transaction tx(c.session());
    if (request.workers.empty()) return FieldError{"workers", "needs at least one worker (the first writes the message)"};
    if (auto keyed = request.idempotency_key.empty() ? std::nullopt : find_keyed_message(c, request.idempotency_key)) {
        auto d = find_discussion(c, keyed->discussion);
        if (!d) return KeyReused{"message"};
        if (std::string what = differs(*d, keyed->message, request); !what.empty()) return KeyReused{what};
        return posted_before(c, *keyed, std::move(*d));
    }
    if (!people_.client(c, request.client)) return FieldError{"client", "no client '" + request.client + "'"};
    std::vector<agency::Worker> workers;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < request.workers.size(); ++i) {
        auto worker = people_.worker(c, request.workers[i]);
        if (!worker) return FieldError{"workers[" + std::to_string(i) + "]", "no worker '" + request.workers[i] + "'"};
        if (seen.insert(worker->id).second) workers.push_back(std::move(*worker));
    }
    Discussion d{"", request.client, request.context, request.subject, {}, 0, {}};
    for (const agency::Worker& w : workers) d.workers.push_back(w.id);
    d = insert_discussion(c, std::move(d), now);
    d.messages.push_back(insert_message(c, d.id, Author::worker, workers.front().id, request.message, now,
                                        request.idempotency_key));
    Posted posted{d, {}};
    if (auto refused = email_client(c, snapshot, d, workers.front(), d.messages.back(), posted.message_ids)) return *refused;
    tx.commit();
    return posted;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::variant<Posted, FieldError, NoSuchDiscussion, KeyReused> Discussions::reply(
    const agency::SettingsSnapshot& snapshot, const std::string& id, const std::string& worker,
    const std::string& message, const std::string& idempotency_key) try {
    const TimeMs now = clock_.now_ms();
    auto c = pipeline_.database().connect();
    Poco::Data::Transaction tx(c.session());
    auto d = find_discussion(c, id);
    if (!d) return NoSuchDiscussion{};
    if (auto keyed = idempotency_key.empty() ? std::nullopt : find_keyed_message(c, idempotency_key)) {
        if (keyed->discussion != id) return KeyReused{"id"};
        if (keyed->message.author_id != worker) return KeyReused{"worker"};
        if (keyed->message.body != message) return KeyReused{"message"};
        return posted_before(c, *keyed, std::move(*d));
    }
    auto author = people_.worker(c, worker);
    if (!author) return FieldError{"worker", "no worker '" + worker + "'"};
    add_worker(c, *d, author->id);
    d->messages.push_back(insert_message(c, d->id, Author::worker, author->id, message, now, idempotency_key));
    Posted posted{*d, {}};
    if (auto refused = email_client(c, snapshot, *d, *author, d->messages.back(), posted.message_ids)) return *refused;
    tx.commit();
    return posted;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::optional<Discussion> Discussions::find(const std::string& id) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) { return find_discussion(c, id); });
}

Opened Discussions::open(const std::string& link_id) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) {
        auto link = find_link(c, link_id);
        if (!link) return Opened{LinkState::unknown, std::nullopt};
        if (clock_.now_ms() >= link->sent_at + kLinkLifetimeMs) return Opened{LinkState::expired, std::nullopt};
        auto d = find_discussion(c, link->discussion);
        if (!d) return Opened{LinkState::unknown, std::nullopt};
        return Opened{LinkState::open, std::move(d)};
    });
}

std::variant<Posted, LinkState> Discussions::client_reply(const agency::SettingsSnapshot& snapshot,
                                                          const std::string& link_id, const std::string& message) try {
    const TimeMs now = clock_.now_ms();
    auto c = pipeline_.database().connect();
    Poco::Data::Transaction tx(c.session());
    auto link = find_link(c, link_id);
    if (!link) return LinkState::unknown;
    if (now >= link->sent_at + kLinkLifetimeMs) return LinkState::expired;
    auto d = find_discussion(c, link->discussion);
    auto client = d ? people_.client(c, d->client) : std::nullopt;
    if (!client) return LinkState::unknown;
    d->messages.push_back(insert_message(c, d->id, Author::client, d->client, message, now));
    Posted posted{*d, {}};
    sending::Batch batch(pipeline_, c, snapshot, now);
    batch.add(reply_to_workers(*d, *client, d->messages.back(), people_.workers(c, d->workers)));
    for (const OutboundMessage& m : batch.enqueue()) posted.message_ids.push_back(m.id);
    tx.commit();
    return posted;
} catch (const Poco::Exception& e) {
    store_error(e);
}

} // namespace extcomm::discussions
