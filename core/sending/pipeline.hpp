#pragma once
// The one sending pipeline. Every sender states an Intent (intent.hpp) and the pipeline
//   decides  (rules.hpp: the administrator's settings, the recipient's message settings, consent, presence,
//            detail level)
//   renders  (rendering::Renderer: templates, privacy switches, SMS fit),
//   enqueues (outbox rows, in the caller's transaction), and
//   logs     (message_log.hpp: the request and one decision per recipient and channel, sent with its
//            message id or skipped with the reason),
// so that no sender decides, renders, enqueues or logs by itself. plan() is the same pipeline run dry:
// POST /v1/preview calls it, so a preview cannot disagree with a send.
//
// A Batch is one transaction's worth of intents (a scheduler run, a service event's notices): the outbox
// gets all their messages in one call and the log all their decisions in one statement.
//
//   Batch batch(pipeline, c, *snapshot, now);
//   std::size_t i = batch.add(intent);      // decided and rendered now; batch.request(i).decisions
//   batch.enqueue();                        // outbox rows and log rows; message ids in the decisions
//   c.commit();                             // the caller's
#include <agency/settings_store.hpp>
#include <common/field_error.hpp>
#include <outbox/outbox.hpp>
#include <rendering/renderer.hpp>
#include <sending/intent.hpp>
#include <sending/message_log.hpp>

#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace extcomm::sending {

// How long a message of `kind` on `transport` may wait (ms); 0 = the outbox's default.
using MaxAge = std::function<TimeMs(const std::string& transport, const std::string& kind)>;

// One decision and, when it is to be sent, what would go out.
struct Planned {
    Decision decision;
    std::optional<rendering::RenderedMessage> message; // set exactly when decision.sent
};

// The pipeline run dry for one recipient: decisions and rendered messages, nothing stored.
std::vector<Planned> plan(const agency::SettingsSnapshot& snapshot, const Intent& intent, const Addressee& recipient);

// A request as the pipeline handled it.
struct SentRequest {
    MessageRequest request;
    std::vector<Decision> decisions;
    bool replayed = false; // the idempotency key was known: the first request's answer, nothing sent again

    bool any_sent() const;
};

class Pipeline {
public:
    Pipeline(Database& db, Outbox& outbox, MaxAge max_age = {})
        : db_(db), outbox_(outbox), log_(db), max_age_(std::move(max_age)) {}

    Database& database() const { return db_; }
    Outbox& outbox() const { return outbox_; }
    DecisionLog& log() { return log_; }
    TimeMs max_age(const std::string& transport, const std::string& kind) const {
        return max_age_ ? max_age_(transport, kind) : 0;
    }

private:
    Database& db_;
    Outbox& outbox_;
    DecisionLog log_;
    MaxAge max_age_;
};

class Batch {
public:
    // `c` is a connection in a transaction the caller commits.
    Batch(Pipeline& pipeline, Database::Connection& c, const agency::SettingsSnapshot& snapshot, TimeMs now)
        : pipeline_(pipeline), c_(c), snapshot_(snapshot), now_(now) {}

    // Decides and renders the intent's messages (nothing when its idempotency key is known); returns its
    // index in requests().
    std::size_t add(const Intent& intent);
    // Once, after the last add: the outbox rows and the log rows. Returns what the outbox stored.
    const std::vector<OutboundMessage>& enqueue();

    const SentRequest& request(std::size_t i) const { return requests_[i]; }
    // The settings the batch decides and renders with.
    const agency::SettingsSnapshot& snapshot() const { return snapshot_; }
    const std::vector<SentRequest>& requests() const { return requests_; }
    // Messages waiting for enqueue() (after it: the number enqueued).
    std::size_t messages() const { return messages_.size(); }

private:
    NewMessage message_of(const Intent& intent, const SentRequest& request, const Decision& d,
                          rendering::RenderedMessage rendered) const;

    struct Pending {
        std::size_t request, decision;
    };

    Pipeline& pipeline_;
    Database::Connection& c_;
    const agency::SettingsSnapshot& snapshot_;
    TimeMs now_;
    std::vector<SentRequest> requests_;
    std::vector<NewMessage> messages_;
    std::vector<Pending> pending_; // messages_[i] is requests_[pending_[i].request].decisions[pending_[i].decision]
    std::vector<OutboundMessage> enqueued_;
    bool done_ = false;
};

// The one-intent case, in the caller's transaction on `c` (the caller commits).
SentRequest send(Pipeline& pipeline, Database::Connection& c, const agency::SettingsSnapshot& snapshot,
                 const Intent& intent, TimeMs now);

// One intent in a transaction of its own, committed before it returns: `build` reads what it needs on the
// connection (the recipients, in the same transaction) and returns the intent, or why there is none.
template <typename Build>
std::variant<SentRequest, FieldError> send_built(Pipeline& pipeline, const agency::SettingsSnapshot& snapshot,
                                                 TimeMs now, Build build) try {
    auto c = pipeline.database().connect();
    Poco::Data::Transaction tx(c.session());
    std::variant<Intent, FieldError> intent = build(c);
    if (auto* error = std::get_if<FieldError>(&intent)) return *error;
    SentRequest sent = send(pipeline, c, snapshot, std::get<Intent>(intent), now);
    tx.commit();
    return sent;
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

} // namespace extcomm::sending
