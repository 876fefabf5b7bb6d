#pragma once
// Worker notices (last-minute booking, no-show, confirmation copy) made within the caller's transaction
// and sent with the caller's batch of outbox messages: each notice is a request in the message log (its
// idempotency key makes a repeat send nothing), with a decision per worker and channel (sent, with the
// outbox message, or why not).
//
//   WorkerNoticeBatch notices(db, c, settings, renderer, messages, now);
//   notices.add({...});                       // appends to `messages`
//   auto stored = outbox.enqueue(c, messages);
//   notices.record(stored);                   // message ids into the decisions, decisions into the log
#include <agency/decisions.hpp>
#include <agency/people.hpp>
#include <agency/settings.hpp>
#include <outbox/message.hpp>
#include <rendering/facts.hpp>
#include <rendering/renderer.hpp>
#include <store/database.hpp>

#include <string>
#include <vector>

namespace extcomm::events {

struct WorkerNoticeRequest {
    rendering::MessageKind kind = rendering::MessageKind::no_show;
    std::string event;           // the event's id
    std::string client;          // confirmation copies: the client the confirmation went to
    std::string idempotency_key; // one notice per key, ever
    std::vector<agency::Worker> workers;
    rendering::ServiceEventFacts facts;
    TimeMs expires_at = 0;       // 0: the outbox's default
};

struct WorkerNotice {
    rendering::MessageKind kind = rendering::MessageKind::no_show;
    agency::MessageRequest request;
    std::vector<agency::Decision> decisions;
    bool replayed = false; // the key was known: nothing sent again, `request` is the first one
};

class WorkerNoticeBatch {
public:
    // `c` is a connection of `db` in a transaction the caller commits.
    WorkerNoticeBatch(Database& db, Database::Connection& c, const agency::AgencySettings& settings,
                      const rendering::Renderer& renderer, std::vector<NewMessage>& messages, TimeMs now)
        : c_(c), log_(db), settings_(settings), renderer_(renderer), messages_(messages), now_(now) {}

    // Decides, renders and appends the messages of one notice (nothing when its key is known: a repeat).
    void add(const WorkerNoticeRequest& request);
    // Once, after the batch is enqueued: `enqueued[i]` is what the outbox stored for `messages[i]`.
    void record(const std::vector<OutboundMessage>& enqueued);

    const std::vector<WorkerNotice>& notices() const { return notices_; }

private:
    struct Sent {
        std::size_t notice, decision, message;
    };

    Database::Connection& c_;
    agency::DecisionLog log_;
    const agency::AgencySettings& settings_;
    const rendering::Renderer& renderer_;
    std::vector<NewMessage>& messages_;
    TimeMs now_;
    std::vector<WorkerNotice> notices_;
    std::vector<Sent> sent_;
    bool recorded_ = false;
};

} // namespace extcomm::events
