#include <delivery/dispatcher.hpp>
#include <common/log_text.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <exception>

namespace extcomm {

struct Dispatcher::Lane {
    std::shared_ptr<Transport> transport;
    TransportPolicy policy;
    mutable std::mutex mutex; // guards everything below
    CircuitBreaker breaker;
    RateLimiter limiter;
    bool paused = false;
    std::string paused_reason;
    std::string last_error;
    TimeMs last_error_at = 0;
    // Messages handed over by the commit that accepted them, leased to fresh_owner (FreshIntake).
    std::string fresh_owner;
    std::deque<OutboundMessage> fresh;
    std::size_t reserved = 0;   // promised to commits still in progress
    std::size_t fresh_room = 0; // fresh + reserved stay below this: about what the workers take in one round
    // Whether a claim may find something: set by wake() and by a commit the fresh intake declined; a
    // claim also runs once per poll interval (retries fall due, other hosts' leases run out). Fresh
    // messages alone never cause a claim, so a stream of single acceptances costs no claim commits.
    bool store_due = true;
    TimeMs last_claim = 0;
    // Authentication messages are in the store's queue (expedite): the lane's urgent worker takes them.
    bool urgent_due = false;
    // The urgent worker found no token for them: the other workers take none until it has had its next.
    bool urgent_waiting = false;
};

struct Dispatcher::Unsettled {
    // By lease holder (a lane's fresh intake, or the worker's own claims): a settlement names its holder.
    std::map<std::string, std::vector<std::pair<OutboundMessage, DeliveryResult>>> by_holder;
    std::size_t count = 0;   // results waiting
    TimeMs oldest = 0;       // when the first of them was delivered
    std::size_t settled = 0; // results settled so far
};

namespace {

bool is_failure(Outcome o) { return o == Outcome::retry || o == Outcome::internal; }

// A batch in which nothing got through and everything asks for a retry says the provider is in trouble,
// not the messages.
bool provider_trouble(const std::vector<DeliveryResult>& results) {
    return !results.empty() && std::all_of(results.begin(), results.end(), [](const auto& r) { return is_failure(r.outcome); });
}

} // namespace

Dispatcher::Dispatcher(Outbox& outbox, const Clock& clock, DispatcherOptions options,
                       std::vector<DeliveryObserver*> observers, PauseBook* pauses)
    : outbox_(outbox), clock_(clock), options_(std::move(options)), observers_(std::move(observers)), pauses_(pauses) {}

Dispatcher::~Dispatcher() { stop(); }

void Dispatcher::add(std::shared_ptr<Transport> transport, TransportPolicy policy, const std::string& paused_reason) {
    auto lane = std::make_unique<Lane>();
    lane->transport = std::move(transport);
    lane->policy = policy;
    lane->breaker = CircuitBreaker(policy.breaker);
    lane->limiter = RateLimiter(policy.rate_per_second);
    lane->paused = !paused_reason.empty();
    lane->paused_reason = paused_reason;
    lane->fresh_owner = options_.owner + "/" + lane->transport->name() + "/fresh";
    const unsigned per_claim = std::max(std::max(1u, lane->transport->max_batch()) * options_.batches_per_claim, options_.min_claim);
    lane->fresh_room = std::size_t{per_claim} * std::max(1u, lane->policy.concurrency);
    lanes_.push_back(std::move(lane));
}

void Dispatcher::start() {
    for (auto& lane : lanes_) {
        for (unsigned w = 0; w < std::max(1u, lane->policy.concurrency); ++w)
            workers_.emplace_back([this, l = lane.get(), w] { work(*l, w); });
        workers_.emplace_back([this, l = lane.get()] { work_urgent(*l); });
    }
    started_ = true;
    if (options_.take_fresh) outbox_.set_intake(this);
}

void Dispatcher::stop() {
    if (stopping_.exchange(true)) return;
    if (options_.take_fresh && started_) outbox_.set_intake(nullptr);
    wake();
    for (auto& w : workers_) w.join();
    workers_.clear();
    for (auto& lane : lanes_) {
        try {
            hand_back_fresh(*lane);
        } catch (const std::exception& e) {
            // Left leased: the embedded store releases them at the next start, a shared one when the lease runs out.
            spdlog::error("transport {}: cannot hand back fresh messages: {}", lane->transport->name(), e.what());
        }
    }
}

std::string Dispatcher::reserve(const std::string& transport) {
    if (!started_ || stopping_) return {};
    Lane* l = lane(transport);
    if (!l) return {}; // another host's transport, or none: the store's queue keeps it
    std::lock_guard lock(l->mutex);
    // A lane that cannot send right now, or paces itself, takes its messages from the store as before.
    if (l->paused || l->breaker.state() != CircuitBreaker::State::closed || l->policy.rate_per_second > 0 ||
        l->fresh.size() + l->reserved >= l->fresh_room) {
        l->store_due = true;
        return {};
    }
    ++l->reserved;
    return l->fresh_owner;
}

void Dispatcher::handed(std::vector<OutboundMessage> messages) {
    for (auto& m : messages) {
        Lane* l = lane(m.transport);
        if (!l) continue; // reserve() said yes, so the lane exists
        std::lock_guard lock(l->mutex);
        if (l->reserved > 0) --l->reserved;
        l->fresh.push_back(std::move(m));
    }
    if (stopping_) {
        // Arrived after the workers left. Called from the accepting commit, which has already succeeded:
        // a failure here must not turn the acceptance into an error.
        for (auto& l : lanes_) {
            try {
                hand_back_fresh(*l);
            } catch (const std::exception& e) {
                spdlog::error("transport {}: cannot hand back fresh messages: {}", l->transport->name(), e.what());
            }
        }
        return;
    }
    notify(); // for the fresh messages only: nothing new in the store's queue
}

void Dispatcher::dropped(const std::vector<std::string>& transports) {
    for (const auto& t : transports) {
        Lane* l = lane(t);
        if (!l) continue;
        std::lock_guard lock(l->mutex);
        if (l->reserved > 0) --l->reserved;
    }
}

void Dispatcher::hand_back_fresh(Lane& lane) {
    std::vector<std::string> ids;
    {
        std::lock_guard lock(lane.mutex);
        for (const auto& m : lane.fresh) ids.push_back(m.id);
        lane.fresh.clear();
        if (!ids.empty()) lane.store_due = true; // a claim finds them there
    }
    outbox_.release(lane.fresh_owner, ids);
}

void Dispatcher::wake() {
    for (auto& l : lanes_) {
        std::lock_guard lock(l->mutex);
        l->store_due = true;
    }
    notify();
}

void Dispatcher::expedite(const std::string& transport) {
    if (Lane* l = lane(transport)) {
        std::lock_guard lock(l->mutex);
        l->urgent_due = true;
        l->store_due = true;
    }
    notify();
}

void Dispatcher::notify() {
    {
        std::lock_guard lock(wake_mutex_);
        ++generation_;
    }
    wakeup_.notify_all();
}

Dispatcher::Lane* Dispatcher::lane(const std::string& name) const {
    for (const auto& l : lanes_)
        if (l->transport->name() == name) return l.get();
    return nullptr;
}

bool Dispatcher::pause(const std::string& transport, const std::string& reason) {
    Lane* l = lane(transport);
    if (!l) return false;
    {
        std::lock_guard lock(l->mutex);
        if (l->paused) return true;
        l->paused = true;
        l->paused_reason = reason;
    }
    hand_back_fresh(*l); // queued again, where a resume finds them
    spdlog::error("transport {} paused: {}", transport, loggable(reason));
    if (pauses_) pauses_->paused(transport, reason);
    for (auto* o : observers_) o->on_transport_paused(transport, reason, clock_.now_ms());
    return true;
}

bool Dispatcher::resume(const std::string& transport) {
    Lane* l = lane(transport);
    if (!l) return false;
    {
        std::lock_guard lock(l->mutex);
        l->paused = false;
        l->paused_reason.clear();
        l->breaker.on_success();
    }
    spdlog::info("transport {} resumed", transport);
    if (pauses_) pauses_->resumed(transport);
    wake();
    return true;
}

std::vector<TransportStatus> Dispatcher::status() const {
    std::vector<TransportStatus> out;
    for (const auto& l : lanes_) {
        std::lock_guard lock(l->mutex);
        out.push_back(TransportStatus{l->transport->name(), l->paused, l->paused_reason,
                                      std::string(to_string(l->breaker.state())), l->breaker.consecutive_failures(),
                                      l->breaker.state() == CircuitBreaker::State::open ? l->breaker.reopen_at() : 0,
                                      l->last_error, l->last_error_at, l->policy.concurrency, l->policy.rate_per_second});
    }
    return out;
}

std::size_t Dispatcher::run_once(const std::string& transport) {
    Lane* l = lane(transport);
    if (!l) return 0;
    {
        std::lock_guard lock(l->mutex);
        l->store_due = true; // once means a claim
    }
    Unsettled unsettled;
    run_lane(*l, options_.owner + "/" + transport + "/test", unsettled);
    settle(*l, unsettled);
    return unsettled.settled;
}

std::size_t Dispatcher::run_urgent_once(const std::string& transport) {
    Lane* l = lane(transport);
    if (!l) return 0;
    {
        std::lock_guard lock(l->mutex);
        l->urgent_due = true; // as expedite() leaves it
    }
    Unsettled unsettled;
    deliver_urgent(*l, options_.owner + "/" + transport + "/test", unsettled);
    return unsettled.settled;
}

void Dispatcher::settle(Lane& lane, Unsettled& unsettled) {
    std::size_t settled = 0;
    for (auto& [holder, done] : unsettled.by_holder) {
        if (done.empty()) continue;
        auto ended = outbox_.settle(holder, done, lane.policy.retry);
        TimeMs now = clock_.now_ms();
        for (std::size_t i = 0; i < done.size(); ++i)
            if (ended[i])
                for (auto* o : observers_) o->on_attempt(done[i].first, done[i].second, *ended[i], now);
        settled += done.size();
        done.clear();
    }
    unsettled.count = 0;
    unsettled.settled += settled;
}

// How many messages the lane may take now: 0 while it is paused, its breaker is open or its rate limit
// has no tokens (tokens are taken before claiming, so a rate-limited lane never holds leases while it
// waits); 1 for a half-open breaker's probe.
unsigned Dispatcher::admit(Lane& lane, unsigned limit) {
    bool blocked = false;
    {
        std::lock_guard lock(lane.mutex);
        TimeMs now = clock_.now_ms();
        blocked = lane.paused || !lane.breaker.allow(now);
        if (!blocked) {
            if (lane.breaker.state() == CircuitBreaker::State::half_open) limit = 1; // one probe message
            // Authentication messages waiting for a token have the next ones (only while the urgent worker
            // runs: a closed breaker).
            else if (lane.urgent_waiting) limit = 0;
            limit = lane.limiter.take(limit, now);
            if (limit == 0) lane.breaker.release_probe();
            return limit;
        }
    }
    hand_back_fresh(lane); // they wait in the store's queue, not leased in memory
    return 0;
}

// Messages handed over at acceptance first (already leased: no claim), else a claim from the store.
// `holder` is who holds their leases.
std::vector<OutboundMessage> Dispatcher::take(Lane& lane, const std::string& owner, unsigned limit, std::string& holder,
                                              Unsettled& unsettled) {
    std::vector<OutboundMessage> claimed = take_fresh(lane, limit);
    holder = claimed.empty() ? owner : lane.fresh_owner;
    if (claimed.empty() && claim_due(lane)) {
        // A claim hands out every row its owner holds, so what the owner's earlier claims delivered is
        // settled first (fresh messages are held by the lane's intake, never claimed).
        if (auto held = unsettled.by_holder.find(owner); held != unsettled.by_holder.end() && !held->second.empty())
            settle(lane, unsettled);
        claimed = outbox_.claim(lane.transport->name(), owner, static_cast<int>(limit));
        if (claimed.size() == limit) {
            std::lock_guard lock(lane.mutex);
            lane.store_due = true; // a full claim: more is likely waiting
        }
    }
    std::lock_guard lock(lane.mutex);
    lane.limiter.refund(limit - static_cast<unsigned>(claimed.size()));
    if (claimed.empty()) lane.breaker.release_probe();
    return claimed;
}

std::vector<OutboundMessage> Dispatcher::take_fresh(Lane& lane, unsigned limit) {
    std::vector<OutboundMessage> taken;
    std::vector<std::string> stale;
    {
        std::lock_guard lock(lane.mutex);
        TimeMs now = clock_.now_ms();
        while (taken.size() < limit && !lane.fresh.empty()) {
            OutboundMessage m = std::move(lane.fresh.front());
            lane.fresh.pop_front();
            if (m.expires_at <= now) stale.push_back(std::move(m.id)); // the claims' expiry sweep ends it
            else taken.push_back(std::move(m));
        }
    }
    outbox_.release(lane.fresh_owner, stale);
    return taken;
}

bool Dispatcher::claim_due(Lane& lane) {
    std::lock_guard lock(lane.mutex);
    TimeMs now = clock_.now_ms();
    if (!lane.store_due && now - lane.last_claim < options_.poll_interval_ms) return false;
    lane.store_due = false;
    lane.last_claim = now;
    return true;
}

std::size_t Dispatcher::run_lane(Lane& lane, const std::string& owner, Unsettled& unsettled) {
    Transport& transport = *lane.transport;
    const unsigned batch = std::max(1u, transport.max_batch());
    // Enough per claim that a small-batch transport (one message per request) does not pay a claim and
    // a commit for every few messages.
    const unsigned limit = admit(lane, std::max(batch * options_.batches_per_claim, options_.min_claim));
    if (limit == 0) return 0;
    std::string holder;
    std::vector<OutboundMessage> claimed = take(lane, owner, limit, holder, unsettled);
    if (claimed.empty()) return 0;
    std::size_t next = 0;
    auto& done = unsettled.by_holder[holder];
    std::string pause_reason;
    while (next < claimed.size() && !stopping_ && pause_reason.empty()) {
        {
            std::lock_guard lock(lane.mutex);
            if (lane.paused) break; // paused by an operator or another worker: hand the rest back below
        }
        std::size_t take = std::min<std::size_t>(batch, claimed.size() - next);
        std::vector<OutboundMessage> chunk(claimed.begin() + static_cast<std::ptrdiff_t>(next),
                                           claimed.begin() + static_cast<std::ptrdiff_t>(next + take));
        next += take;
        pause_reason = deliver(lane, std::move(chunk), done, unsettled);
        std::lock_guard lock(lane.mutex);
        if (lane.breaker.state() != CircuitBreaker::State::closed) break; // the provider is in trouble: stop here
    }
    if (!pause_reason.empty()) pause(transport.name(), pause_reason);
    if (next < claimed.size()) { // stopping or paused: the rest was not attempted
        std::vector<std::string> rest;
        for (std::size_t i = next; i < claimed.size(); ++i) rest.push_back(claimed[i].id);
        outbox_.release(holder, rest);
        std::lock_guard lock(lane.mutex);
        lane.store_due = true;
    }
    return next;
}

std::string Dispatcher::deliver(Lane& lane, std::vector<OutboundMessage> chunk,
                                std::vector<std::pair<OutboundMessage, DeliveryResult>>& done, Unsettled& unsettled) {
    std::vector<DeliveryResult> results;
    try {
        results = lane.transport->deliver(chunk);
    } catch (const std::exception& e) {
        spdlog::error("transport {}: delivery threw: {}", lane.transport->name(), loggable(e.what()));
    }
    results.resize(chunk.size(), DeliveryResult{Outcome::internal, "", "internal", "no result from transport", 0});
    std::string pause_reason = judge(lane, results);
    if (unsettled.count == 0) unsettled.oldest = clock_.now_ms();
    for (std::size_t i = 0; i < chunk.size(); ++i) done.emplace_back(std::move(chunk[i]), std::move(results[i]));
    unsettled.count += chunk.size();
    if (unsettled.count >= options_.min_claim || clock_.now_ms() - unsettled.oldest >= options_.settle_after_ms)
        settle(lane, unsettled);
    return pause_reason;
}

std::string Dispatcher::deliver_urgent(Lane& lane, const std::string& owner, Unsettled& unsettled) {
    unsigned allowed = 0;
    bool held_back = false;
    {
        // They keep to the provider's rate too, taking tokens before claiming as admit() does for the other
        // workers. Without one, urgent_due stays set, the other workers take no token (admit), and
        // work_urgent waits for the next.
        std::lock_guard lock(lane.mutex);
        if (!lane.urgent_due) return {};
        allowed = lane.limiter.take(std::max(1u, options_.min_claim), clock_.now_ms());
        held_back = lane.urgent_waiting;
        lane.urgent_waiting = allowed == 0;
        if (allowed == 0) return {};
        lane.urgent_due = false;
    }
    if (held_back) notify(); // the other workers may take tokens again
    // A holder of its own: the round's claim stays with `owner`, and a claim hands out every row its
    // owner holds, so what this holder delivered before is settled first.
    const std::string holder = owner + "/urgent";
    if (auto held = unsettled.by_holder.find(holder); held != unsettled.by_holder.end() && !held->second.empty())
        settle(lane, unsettled);
    std::vector<OutboundMessage> urgent = outbox_.claim(lane.transport->name(), holder, static_cast<int>(allowed), true);
    {
        std::lock_guard lock(lane.mutex);
        lane.limiter.refund(allowed - static_cast<unsigned>(urgent.size()));
        if (urgent.size() == allowed) lane.urgent_due = true; // as many as the tokens allowed: more may wait
    }
    const std::size_t batch = std::max(1u, lane.transport->max_batch());
    auto& done = unsettled.by_holder[holder];
    std::string pause_reason;
    // Every one is attempted: a transport failure gives the attempt back, and the lane pauses after.
    for (std::size_t next = 0; next < urgent.size(); next += batch) {
        const auto end = urgent.begin() + static_cast<std::ptrdiff_t>(std::min(urgent.size(), next + batch));
        std::string reason = deliver(lane, {urgent.begin() + static_cast<std::ptrdiff_t>(next), end}, done, unsettled);
        if (pause_reason.empty()) pause_reason = std::move(reason);
    }
    if (!urgent.empty()) settle(lane, unsettled); // their outcome ends the code's secret text
    return pause_reason;
}

void Dispatcher::work_urgent(Lane& lane) {
    const std::string owner = options_.owner + "/" + lane.transport->name();
    Unsettled unsettled;
    while (!stopping_) {
        std::uint64_t seen;
        {
            std::lock_guard lock(wake_mutex_);
            seen = generation_;
        }
        try {
            bool open;
            {
                std::lock_guard lock(lane.mutex);
                open = !lane.paused && lane.breaker.state() == CircuitBreaker::State::closed;
            }
            if (std::string reason = open ? deliver_urgent(lane, owner, unsettled) : ""; !reason.empty())
                pause(lane.transport->name(), reason);
        } catch (const std::exception& e) {
            spdlog::error("transport {}: outbox error: {}", lane.transport->name(), e.what());
        }
        // Still due (the rate limit's tokens ran out, or a claim came back full): again when a token is in.
        TimeMs wait = options_.poll_interval_ms;
        {
            std::lock_guard lock(lane.mutex);
            if (lane.urgent_due && !lane.paused && lane.breaker.state() == CircuitBreaker::State::closed)
                wait = std::clamp<TimeMs>(lane.limiter.wait_ms(clock_.now_ms()), 0, wait);
        }
        if (wait == 0) continue;
        std::unique_lock lock(wake_mutex_);
        wakeup_.wait_for(lock, std::chrono::milliseconds(wait), [&] { return stopping_ || generation_ != seen; });
    }
}

std::string Dispatcher::judge(Lane& lane, const std::vector<DeliveryResult>& results) {
    TimeMs now = clock_.now_ms();
    std::lock_guard lock(lane.mutex);
    if (provider_trouble(results)) {
        lane.breaker.on_failure(now);
        if (lane.breaker.state() == CircuitBreaker::State::open)
            spdlog::warn("transport {}: circuit open after {} failed batches, next try in {} ms", lane.transport->name(),
                         lane.breaker.consecutive_failures(), lane.breaker.reopen_at() - now);
    } else {
        lane.breaker.on_success();
    }
    std::string pause_reason;
    for (const auto& r : results) {
        if (r.outcome == Outcome::accepted) continue;
        lane.last_error = std::string(to_string(r.outcome)) + " " + r.provider_code + ": " + r.provider_text;
        lane.last_error_at = now;
        if (r.outcome == Outcome::transport_failure && pause_reason.empty())
            pause_reason = r.provider_code + ": " + r.provider_text;
    }
    return pause_reason;
}

void Dispatcher::work(Lane& lane, unsigned worker) {
    const std::string owner = options_.owner + "/" + lane.transport->name() + "/" + std::to_string(worker);
    Unsettled unsettled;
    while (!stopping_) {
        std::uint64_t seen;
        {
            std::lock_guard lock(wake_mutex_);
            seen = generation_;
        }
        std::size_t taken = 0;
        try {
            taken = run_lane(lane, owner, unsettled);
            if (taken == 0 && clock_.now_ms() - unsettled.oldest >= options_.settle_after_ms) settle(lane, unsettled);
        } catch (const std::exception& e) {
            // The store failed (disk full, database gone): keep the worker alive and try again later.
            spdlog::error("transport {}: outbox error: {}", lane.transport->name(), e.what());
        }
        if (taken > 0) continue; // more may be due right away
        TimeMs wait = options_.poll_interval_ms;
        // Results wait for company at most settle_after_ms, idle or not.
        if (unsettled.count > 0)
            wait = std::clamp<TimeMs>(unsettled.oldest + options_.settle_after_ms - clock_.now_ms(), 1, wait);
        {
            std::lock_guard lock(lane.mutex);
            if (TimeMs tokens_in = lane.limiter.wait_ms(clock_.now_ms()); tokens_in > 0) wait = std::min(wait, tokens_in);
        }
        std::unique_lock lock(wake_mutex_);
        wakeup_.wait_for(lock, std::chrono::milliseconds(wait),
                         [&] { return stopping_ || generation_ != seen; });
    }
    try {
        settle(lane, unsettled);
    } catch (const std::exception& e) {
        // Their leases run out and they are sent again (at least once), as after a crash.
        spdlog::error("transport {}: results of {} messages not settled at stop: {}", lane.transport->name(),
                      unsettled.count, e.what());
    }
}

} // namespace extcomm
