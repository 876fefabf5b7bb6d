#include <outbox/outbox.hpp>
#include <store/rows.hpp>
#include <store/select_in.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <Poco/UUIDGenerator.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <stdexcept>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;

namespace extcomm {
namespace {

constexpr const char* kColumns =
    "id, idempotency_key, channel, transport, recipient, subject, body, html_body, metadata, state, attempts, "
    "created_at, run_at, expires_at, provider_message_id, last_code, last_text, updated_at, kind, priority, secret_body";

// A message's text that holds a secret is blanked in the statement that gives it a final state, so it
// cannot be read back (with SQLite's secure_delete, not from free space either: store/database.cpp).
constexpr const char* kEraseSecret =
    "subject = CASE WHEN secret_body = 1 THEN '' ELSE subject END, body = CASE WHEN secret_body = 1 THEN '' "
    "ELSE body END, html_body = CASE WHEN secret_body = 1 THEN '' ELSE html_body END";

OutboundMessage message_at(const Row& r) {
    auto text = [&](std::size_t col) { return r.text(col); };
    auto number = [&](std::size_t col) { return r.number(col); };
    OutboundMessage m;
    m.id = text(0);
    m.idempotency_key = text(1);
    m.channel = channel_from(text(2)).value_or(Channel::email);
    m.transport = text(3);
    m.to = text(4);
    m.subject = text(5);
    m.body = text(6);
    m.html_body = text(7);
    m.metadata_json = text(8);
    m.state = state_from(text(9)).value_or(MessageState::queued);
    m.attempts = static_cast<int>(number(10));
    m.created_at = number(11);
    m.run_at = number(12);
    m.expires_at = number(13);
    m.provider_message_id = text(14);
    m.last_code = text(15);
    m.last_text = text(16);
    m.updated_at = number(17);
    m.kind = text(18);
    m.priority = number(19) != 0;
    m.secret_body = number(20) != 0;
    return m;
}

std::vector<OutboundMessage> messages_of(RecordSet& rs) { return rows_of(rs, message_at); }

// Poco's exceptions say only their class name in what() ("PostgreSQL"); the reason is in displayText().
// Every public method passes store errors on as std::runtime_error carrying that reason (store/rows.hpp).

// A time-ordered (version 7, RFC 9562) UUID: 48 bits of Unix milliseconds, a 12-bit sequence, then 62
// random bits. Ids made close in time sort close together, so a batch of new rows lands on the last pages
// of the id and idempotency-key indexes instead of dirtying pages all over them (random ids made every
// 1,000-row commit rewrite most of both indexes). Per thread the ids only grow (RFC 9562 §6.2, method 1:
// the sequence starts low in each millisecond; when it runs out the millisecond is borrowed from the next).
// Each thread keeps its own generator: Poco's takes a process-wide lock per id, and the API makes ids on
// many threads at once.
std::string new_id() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    thread_local std::uint64_t last_ms = 0, sequence = 0;
    const auto now = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                    std::chrono::system_clock::now().time_since_epoch())
                                                    .count());
    if (now > last_ms) {
        last_ms = now;
        sequence = rng() & 0x3FF;
    } else if (++sequence > 0xFFF) {
        ++last_ms;
        sequence = 0;
    }
    std::uint64_t hi = (last_ms << 16) | 0x7000ULL | sequence;
    std::uint64_t lo = (rng() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL; // RFC 4122 variant
    char text[37];
    std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                  static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                  static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
    return text;
}

// Some keys of a batch were known: its messages read back by key, so a duplicate yields the message stored
// earlier; fresh[i] says whether messages[i] is the one just offered (its new id).
std::vector<OutboundMessage> read_back(Database::Connection& c, const std::vector<std::string>& keys,
                                       const std::vector<std::string>& ids, std::vector<bool>& fresh) {
    std::vector<OutboundMessage> stored;
    stored.reserve(keys.size());
    fresh.clear();
    for (std::size_t i = 0; i < keys.size(); ++i) {
        auto found = first_of(select_rows(c, std::string("SELECT ") + kColumns + " FROM messages WHERE idempotency_key = ?",
                                          message_at, keys[i]));
        // The conflict that stopped the INSERT was this key, in this transaction: the row is there.
        if (!found) throw std::runtime_error("store: the message with idempotency key '" + keys[i] + "' vanished");
        fresh.push_back(found->id == ids[i]);
        stored.push_back(std::move(*found));
    }
    return stored;
}

// Of these messages, the ids whose lease `owner` still holds. Found by id, the lease checked here: a
// condition on lease_owner would lead the planner to the lease index and through every row the owner holds.
std::set<std::string> leases_held(Database::Connection& c, const std::string& owner,
                                  const std::vector<std::pair<OutboundMessage, DeliveryResult>>& results) {
    std::set<std::string> held;
    std::vector<std::string> asked;
    for (const auto& r : results) asked.push_back(r.first.id);
    select_in(c, "SELECT id, COALESCE(lease_owner, ''), state FROM messages WHERE id IN", asked, "", [&](RecordSet& rs) {
        for (const auto& [id, holder, state] : rows_of(rs, [](const Row& r) {
                 return std::tuple(r.text(0), r.text(1), r.text(2));
             }))
            if (holder == owner && state == "sending") held.insert(id);
    });
    return held;
}

// Where an attempt's outcome leaves a message: its state, the attempts counted against it, when it runs next.
struct AfterAttempt {
    MessageState state = MessageState::queued;
    int attempts = 0;
    TimeMs run_at = 0;
};

AfterAttempt after_attempt(const OutboundMessage& message, const DeliveryResult& result, const RetryPolicy& policy,
                           TimeMs now_ms, std::mt19937_64& rng) {
    AfterAttempt next{MessageState::queued, message.attempts, message.run_at};
    switch (result.outcome) {
    case Outcome::accepted: next.state = MessageState::sent; break;
    case Outcome::rejected: next.state = MessageState::rejected; break;
    case Outcome::transport_failure:
        // Not the message's fault: the attempt does not count against it.
        next.attempts = std::max(0, next.attempts - 1);
        next.run_at = now_ms + policy.delay_after(1, result.retry_after_ms, rng);
        break;
    case Outcome::retry:
    case Outcome::internal:
    case Outcome::resend_alone:
        if (next.attempts >= policy.max_attempts_for(message.kind)) {
            next.state = MessageState::failed;
        } else {
            next.run_at = now_ms + policy.delay_after(next.attempts, result.retry_after_ms, rng);
            // A retry that could only happen after the message expires will not happen.
            if (next.run_at >= message.expires_at) next.state = MessageState::expired;
        }
        break;
    }
    return next;
}

} // namespace

Outbox::Outbox(Database& db, const Clock& clock, OutboxOptions options)
    : db_(db), clock_(clock), options_(options),
      group_commit_(std::make_unique<GroupCommit<NewMessage, OutboundMessage>>([this](std::vector<NewMessage> m) { return commit_new(std::move(m)); })) {}

Outbox::~Outbox() = default;

std::vector<OutboundMessage> Outbox::enqueue(std::vector<NewMessage> messages) {
    return group_commit_->submit(std::move(messages));
}

void Outbox::enqueue(std::vector<NewMessage> messages, Enqueued done) {
    group_commit_->submit_async(std::move(messages), std::move(done));
}

std::vector<OutboundMessage> Outbox::commit_new(std::vector<NewMessage> messages) {
    FreshIntake* intake = intake_.load();
    std::vector<std::string> leased_to(messages.size());
    std::vector<std::string> reserved; // transports, one per reservation
    if (intake) {
        TimeMs now_ms = clock_.now_ms();
        for (std::size_t i = 0; i < messages.size(); ++i) {
            if (messages[i].run_at > now_ms) continue; // scheduled for later: the claims find it then
            leased_to[i] = intake->reserve(messages[i].transport);
            if (!leased_to[i].empty()) reserved.push_back(messages[i].transport);
        }
    }
    std::vector<OutboundMessage> stored;
    std::vector<bool> fresh;
    try {
        auto c = db_.connect();
        Poco::Data::Transaction tx(c.session());
        stored = insert(c, std::move(messages), leased_to, fresh);
        tx.commit();
    } catch (const Poco::Exception& e) {
        if (intake) intake->dropped(reserved);
        store_error(e);
    } catch (...) {
        if (intake) intake->dropped(reserved);
        throw;
    }
    if (!intake || reserved.empty()) return stored;
    std::vector<OutboundMessage> handed;
    std::vector<std::string> unused;
    for (std::size_t i = 0; i < stored.size(); ++i) {
        if (leased_to[i].empty()) continue;
        if (fresh[i]) handed.push_back(stored[i]);
        else unused.push_back(stored[i].transport);
    }
    if (!unused.empty()) intake->dropped(unused);
    if (!handed.empty()) intake->handed(std::move(handed));
    return stored;
}

std::vector<OutboundMessage> Outbox::enqueue(Database::Connection& c, std::vector<NewMessage> messages) {
    std::vector<bool> fresh;
    std::vector<std::string> queued(messages.size()); // nothing leased: these commit with the caller's work
    return insert(c, std::move(messages), queued, fresh);
}

std::vector<OutboundMessage> Outbox::insert(Database::Connection& c, std::vector<NewMessage> messages,
                                            const std::vector<std::string>& leased_to, std::vector<bool>& fresh) try {
    TimeMs now_ms = clock_.now_ms();
    // Column vectors: Poco binds them in bulk, one prepared statement for the whole batch.
    std::vector<std::string> ids, keys, kinds, channels, transports, recipients, subjects, bodies, htmls, metadata;
    std::vector<std::string> states, owners;
    std::vector<std::int64_t> run_ats, expires, leases;
    std::vector<int> attempts, priorities, secrets;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        NewMessage& m = messages[i];
        ids.push_back(new_id());
        keys.push_back(m.idempotency_key.empty() ? ids.back() : m.idempotency_key);
        kinds.push_back(m.kind.empty() ? kDefaultKind : m.kind);
        channels.emplace_back(to_string(m.channel));
        transports.push_back(std::move(m.transport));
        recipients.push_back(std::move(m.to));
        subjects.push_back(std::move(m.subject));
        bodies.push_back(std::move(m.body));
        htmls.push_back(std::move(m.html_body));
        metadata.push_back(m.metadata_json.empty() ? "{}" : std::move(m.metadata_json));
        run_ats.push_back(m.run_at ? m.run_at : now_ms);
        expires.push_back(m.expires_at ? m.expires_at : now_ms + options_.default_max_age_ms);
        // Leased at birth: written as a claim would leave it (sending, its first attempt counted).
        const bool leased = !leased_to[i].empty();
        states.emplace_back(leased ? "sending" : "queued");
        owners.push_back(leased_to[i]);
        leases.push_back(leased ? now_ms + options_.lease_ms : 0);
        attempts.push_back(leased ? 1 : 0);
        priorities.push_back(m.priority ? 1 : 0);
        secrets.push_back(m.secret_body ? 1 : 0);
    }
    std::vector<std::int64_t> created(ids.size(), now_ms); // Poco binds all-vectors or all-scalars
    auto& s = c.session();
    std::size_t inserted = 0;
    if (!ids.empty()) {
        Statement insert(s);
        insert << c.sql("INSERT INTO messages (id, idempotency_key, kind, channel, transport, recipient, subject, body, "
                        "html_body, metadata, state, attempts, lease_owner, lease_until, created_at, run_at, expires_at, "
                        "provider_message_id, last_code, last_text, updated_at, priority, secret_body) VALUES (?, ?, ?, ?, ?, ?, ?, "
                        "?, ?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, CAST(0 AS BIGINT)), ?, ?, ?, '', '', '', ?, ?, ?) "
                        "ON CONFLICT (idempotency_key) DO NOTHING"),
            use(ids), use(keys), use(kinds), use(channels), use(transports), use(recipients), use(subjects),
            use(bodies), use(htmls), use(metadata), use(states), use(attempts), use(owners), use(leases), use(created),
            use(run_ats), use(expires), use(created), use(priorities), use(secrets);
        inserted = insert.execute();
    }
    if (inserted == ids.size()) {
        // Every row is new: they are exactly what was offered, no need to read them back.
        fresh.assign(ids.size(), true);
        std::vector<OutboundMessage> stored(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            OutboundMessage& m = stored[i];
            m.id = std::move(ids[i]);
            m.idempotency_key = std::move(keys[i]);
            m.kind = std::move(kinds[i]);
            m.channel = channel_from(channels[i]).value_or(Channel::email);
            m.transport = std::move(transports[i]);
            m.to = std::move(recipients[i]);
            m.subject = std::move(subjects[i]);
            m.body = std::move(bodies[i]);
            m.html_body = std::move(htmls[i]);
            m.metadata_json = std::move(metadata[i]);
            m.state = state_from(states[i]).value_or(MessageState::queued);
            m.attempts = attempts[i];
            m.created_at = m.updated_at = now_ms;
            m.run_at = run_ats[i];
            m.expires_at = expires[i];
            m.priority = priorities[i] != 0;
            m.secret_body = secrets[i] != 0;
        }
        return stored;
    }
    return read_back(c, keys, ids, fresh);
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::optional<OutboundMessage> Outbox::find(const std::string& id) {
    return on_connection(db_, [&](Database::Connection& c) {
        return first_of(select_rows(c, std::string("SELECT ") + kColumns + " FROM messages WHERE id = ?", message_at, id));
    });
}

std::vector<OutboundMessage> Outbox::find_by_keys(const std::vector<std::string>& keys) {
    return on_connection(db_, [&](Database::Connection& c) {
        std::vector<OutboundMessage> found;
        select_in(c, std::string("SELECT ") + kColumns + " FROM messages WHERE idempotency_key IN", keys, "",
                  [&](RecordSet& rs) {
                      for (auto& m : messages_of(rs)) found.push_back(std::move(m));
                  });
        return found;
    });
}

std::vector<Attempt> Outbox::attempts(const std::string& id) {
    return on_connection(db_, [&](Database::Connection& c) {
        return select_rows(c,
                           "SELECT number, at, outcome, provider_code, provider_text, provider_message_id FROM attempts "
                           "WHERE message_id = ? ORDER BY number",
                           [](const Row& r) {
                               return Attempt{static_cast<int>(r.number(0)), r.number(1), r.text(2), r.text(3),
                                              r.text(4), r.text(5)};
                           },
                           id);
    });
}

void Outbox::expire_due(Database::Connection& c, const std::string& transport, TimeMs now_ms) {
    {
        // Claims never hand out an expired message (they filter on expires_at); this only gives such
        // messages their final state, so once a second is plenty.
        std::lock_guard lock(expiry_mutex_);
        TimeMs& last = expired_up_to_[transport];
        if (now_ms >= last && now_ms - last < 1000) return;
        last = now_ms;
    }
    // Only the transport's waiting rows are visited (the messages_due index's prefix), never the sent
    // ones. On PostgreSQL rows another host is working on are skipped, not waited for.
    std::string t = transport;
    Statement expire(c.session());
    expire << c.sql(std::string("UPDATE messages SET state = 'expired', lease_owner = NULL, lease_until = NULL, "
                                     "last_code = 'expired', last_text = 'not delivered before it expired', ") +
                         kEraseSecret + ", updated_at = ? WHERE id IN (SELECT id FROM messages WHERE transport = ? AND "
                                     "state IN ('queued', 'sending') AND expires_at <= ? AND "
                                     "(state = 'queued' OR lease_until < ?)" +
                         c.skip_locked() + ")"),
        bind(now_ms), use(t), bind(now_ms), bind(now_ms);
    // Any expired row may have held a secret; expiry is rare enough to empty the WAL for it.
    if (expire.execute() > 0) db_.erased_secret_text();
}

std::vector<OutboundMessage> Outbox::claim(const std::string& transport, const std::string& owner, int limit,
                                          bool urgent_only) try {
    TimeMs now_ms = clock_.now_ms();
    TimeMs lease_until = now_ms + options_.lease_ms;
    std::string t = transport, o = owner;
    // Deferred: a claim lost to a power cut leaves its messages queued, to be claimed again.
    auto c = db_.connect(Durability::deferred);
    auto& s = c.session();
    Poco::Data::Transaction tx(s);
    expire_due(c, transport, now_ms);
    // First messages whose lease ran out (their holder died or hangs), taken over with one more attempt
    // counted; then due messages. Two statements, each an index range on (transport, state, ...): an OR
    // of the two would make SQLite visit every row of the transport, sent ones included. On PostgreSQL
    // several hosts run this at once; SKIP LOCKED makes each take rows no other claim holds, without
    // waiting (the subquery locks what it picks).
    Statement takeover(s);
    takeover << c.sql(std::string("UPDATE messages SET state = 'sending', lease_owner = ?, lease_until = ?, "
                                  "attempts = attempts + 1, updated_at = ? WHERE id IN (SELECT id FROM messages WHERE "
                                  "transport = ? AND state IN ('queued', 'sending') AND state = 'sending' AND lease_until < ? "
                                  "AND expires_at > ? "
                                  "LIMIT ?") +
                      c.skip_locked() + ")"),
        use(o), bind(lease_until), bind(now_ms), use(t), bind(now_ms), bind(now_ms), bind(limit);
    int taken = urgent_only ? 0 : static_cast<int>(takeover.execute());
    // Authentication messages next, ahead of every other due message (a small index of their own).
    if (taken < limit) {
        int rest = limit - taken;
        Statement urgent(s);
        urgent << c.sql(std::string("UPDATE messages SET state = 'sending', lease_owner = ?, lease_until = ?, "
                                    "attempts = attempts + 1, updated_at = ? WHERE id IN (SELECT id FROM messages WHERE "
                                    "transport = ? AND priority > 0 AND state = 'queued' AND run_at <= ? "
                                    "AND expires_at > ? ORDER BY run_at LIMIT ?") +
                        c.skip_locked() + ")"),
            use(o), bind(lease_until), bind(now_ms), use(t), bind(now_ms), bind(now_ms), bind(rest);
        taken += static_cast<int>(urgent.execute());
    }
    if (taken < limit && !urgent_only) {
        int rest = limit - taken;
        s << c.sql(std::string("UPDATE messages SET state = 'sending', lease_owner = ?, lease_until = ?, "
                               "attempts = attempts + 1, updated_at = ? WHERE id IN (SELECT id FROM messages WHERE "
                               "transport = ? AND state IN ('queued', 'sending') AND state = 'queued' AND run_at <= ? "
                               "AND expires_at > ? "
                               "ORDER BY run_at LIMIT ?") +
                   c.skip_locked() + ")"),
            use(o), bind(lease_until), bind(now_ms), use(t), bind(now_ms), bind(now_ms), bind(rest), now;
    }
    Statement select(s);
    select << c.sql(std::string("SELECT ") + kColumns +
                    " FROM messages WHERE lease_owner = ? AND state = 'sending' ORDER BY priority DESC, run_at"),
        use(o), now;
    RecordSet rs(select);
    auto claimed = messages_of(rs);
    tx.commit();
    return claimed;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::vector<std::optional<MessageState>> Outbox::settle(
    const std::string& owner, const std::vector<std::pair<OutboundMessage, DeliveryResult>>& results,
    const RetryPolicy& policy) try {
    TimeMs now_ms = clock_.now_ms();
    std::vector<std::optional<MessageState>> ended(results.size());
    if (results.empty()) return ended;
    std::string o = owner;
    // Deferred: a settlement lost to a power cut leaves the message leased, so it is sent again with the
    // same idempotency key (at least once), like any message in flight at a crash.
    auto c = db_.connect(Durability::deferred);
    auto& s = c.session();
    Poco::Data::Transaction tx(s);

    // Only rows whose lease is still ours are settled: a holder whose lease ran out and was taken over
    // must not overwrite what the new holder decides (River's JobSetStateIfRunning); the UPDATE below
    // says so again row by row. No SKIP LOCKED here: another host's claim may hold a lock on one of our
    // rows for a moment while it looks for due ones, and skipping it would leave it unsettled.
    // Asked about these messages only: an owner (a lane's fresh intake) may hold thousands more.
    const std::set<std::string> held = leases_held(c, o, results);

    // Column vectors: one prepared UPDATE and one prepared INSERT for the whole batch.
    std::vector<std::string> ids, states, pids, codes, texts, outcomes, erase;
    std::vector<int> attempts_left;
    std::vector<std::int64_t> run_ats;
    {
        std::lock_guard lock(rng_mutex_);
        for (std::size_t i = 0; i < results.size(); ++i) {
            const auto& [message, result] = results[i];
            if (!held.count(message.id)) continue; // lease lost: someone else holds this message now
            const auto [state, attempts, run_at] = after_attempt(message, result, policy, now_ms, rng_);
            ended[i] = state;
            // Handed over (sent) is as far as a secret needs to stay: a receipt changes nothing in the text.
            if (message.secret_body && state != MessageState::queued) erase.push_back(message.id);
            ids.push_back(message.id);
            states.emplace_back(to_string(state));
            attempts_left.push_back(attempts);
            run_ats.push_back(run_at);
            pids.push_back(result.provider_message_id);
            codes.push_back(result.provider_code);
            texts.push_back(result.provider_text);
            outcomes.emplace_back(to_string(result.outcome));
        }
    }
    if (!ids.empty()) {
        std::vector<std::int64_t> nows(ids.size(), now_ms);
        std::vector<std::string> owners(ids.size(), o);
        s << c.sql("UPDATE messages SET state = ?, attempts = ?, run_at = ?, lease_owner = NULL, "
                   "lease_until = NULL, provider_message_id = CASE WHEN ? = '' THEN provider_message_id "
                   "ELSE ? END, last_code = ?, last_text = ?, updated_at = ? WHERE id = ? AND lease_owner = ? "
                   "AND state = 'sending'"),
            use(states), use(attempts_left), use(run_ats), use(pids), use(pids), use(codes), use(texts), use(nows),
            use(ids), use(owners), now;
        // Attempts are numbered by what is on record, not by the retry budget: a transport failure gives
        // its attempt back to the budget, but the attempt still happened and stays in the history.
        s << c.sql("INSERT INTO attempts (message_id, number, at, outcome, provider_code, provider_text, "
                   "provider_message_id) SELECT ?, COALESCE(MAX(number), 0) + 1, ?, ?, ?, ?, ? FROM attempts "
                   "WHERE message_id = ?"),
            use(ids), use(nows), use(outcomes), use(codes), use(texts), use(pids), use(ids), now;
    }
    if (!erase.empty())
        s << c.sql(std::string("UPDATE messages SET ") + kEraseSecret + " WHERE id = ?"), use(erase), now;
    tx.commit();
    if (!erase.empty()) db_.erased_secret_text();
    return ended;
} catch (const Poco::Exception& e) {
    store_error(e);
}

bool Outbox::withdraw(Database::Connection& c, const std::string& id, const std::string& why) try {
    std::string i = id, w = why;
    TimeMs now_ms = clock_.now_ms();
    Statement update(c.session());
    update << c.sql(std::string("UPDATE messages SET state = 'expired', last_code = 'withdrawn', last_text = ?, ") +
                    kEraseSecret + ", updated_at = ? WHERE id = ? AND state = 'queued'"),
        use(w), bind(now_ms), use(i);
    if (update.execute() == 0) return false;
    db_.erased_secret_text(); // a superseded code's message is the withdrawn one that matters
    return true;
} catch (const Poco::Exception& e) {
    store_error(e);
}

void Outbox::release(const std::string& owner) try {
    std::string o = owner;
    auto c = db_.connect(Durability::deferred);
    // The claim counted an attempt that never happened; give it back.
    c.session() << c.sql("UPDATE messages SET state = 'queued', attempts = attempts - 1, lease_owner = NULL, "
                         "lease_until = NULL WHERE lease_owner = ? AND state = 'sending'"),
        use(o), now;
} catch (const Poco::Exception& e) {
    store_error(e);
}

void Outbox::release(const std::string& owner, const std::vector<std::string>& ids) try {
    if (ids.empty()) return;
    std::vector<std::string> keys = ids, owners(ids.size(), owner);
    auto c = db_.connect(Durability::deferred);
    Poco::Data::Transaction tx(c.session());
    c.session() << c.sql("UPDATE messages SET state = 'queued', attempts = attempts - 1, lease_owner = NULL, "
                         "lease_until = NULL WHERE id = ? AND lease_owner = ? AND state = 'sending'"),
        use(keys), use(owners), now;
    tx.commit();
} catch (const Poco::Exception& e) {
    store_error(e);
}

void Outbox::release_all() try {
    auto c = db_.connect();
    // Whether the crashed process sent them is unknown: they are resent (at least once), same key.
    // Only for a store no other live process uses (SQLite under its lock file): on a shared PostgreSQL
    // store other hosts' claims are alive, and a dead host's leases are taken over when they run out.
    c.session() << "UPDATE messages SET state = 'queued', lease_owner = NULL, lease_until = NULL "
                     "WHERE state = 'sending'",
        now;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::map<MessageState, long> Outbox::count_by_state() try {
    auto c = db_.connect_for_reading(); // a scan: never in a writer's turn
    Statement select(c.session());
    select << "SELECT state, COUNT(*) FROM messages GROUP BY state", now;
    RecordSet rs(select);
    std::map<MessageState, long> out;
    for (std::size_t row = 0; row < rs.rowCount(); ++row)
        if (auto st = state_from(rs.value(0, row).convert<std::string>()))
            out[*st] = static_cast<long>(rs.value(1, row).convert<std::int64_t>());
    return out;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::map<std::string, long> Outbox::queue_depths() try {
    auto c = db_.connect_for_reading(); // a scan: never in a writer's turn
    Statement select(c.session());
    select << "SELECT transport, COUNT(*) FROM messages WHERE state IN ('queued', 'sending') GROUP BY transport", now;
    RecordSet rs(select);
    std::map<std::string, long> out;
    for (std::size_t row = 0; row < rs.rowCount(); ++row)
        out[rs.value(0, row).convert<std::string>()] = static_cast<long>(rs.value(1, row).convert<std::int64_t>());
    return out;
} catch (const Poco::Exception& e) {
    store_error(e);
}

} // namespace extcomm
