#include <events/confirmation_store.hpp>
#include <events/event_facts.hpp>
#include <events/scheduler.hpp>
#include <events/service_event_store.hpp>

#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>

#include <optional>
#include <stdexcept>
#include <unordered_map>

namespace extcomm::events {
namespace {

// What a run's schedules need from the store, read together when the run starts: their events, the
// events' primary workers, the recipients (clients or workers), the confirmations' sender, and the sites
// as they come. A run is one transaction, so what is read here is what each row would have read; one
// statement per kind of row instead of several per schedule (statement preparation was most of a run).
class RunLookups {
public:
    RunLookups(Database::Connection& c, agency::PeopleStore& people, const std::vector<Schedule>& due,
               const std::string& sender)
        : c_(c) {
        std::vector<std::string> event_ids, client_ids, worker_ids;
        for (const Schedule& s : due) {
            event_ids.push_back(s.event);
            (to_client(s.kind) ? client_ids : worker_ids).push_back(s.recipient);
        }
        events_ = current_service_events(c, event_ids);
        for (const auto& [id, event] : events_) worker_ids.push_back(event.primary_worker());
        if (!sender.empty()) worker_ids.push_back(sender);
        for (agency::Worker& w : people.workers(c, worker_ids)) workers_.emplace(w.id, std::move(w));
        for (agency::Client& client : people.clients(c, client_ids)) clients_.emplace(client.id, std::move(client));
    }

    const ServiceEvent* event(const std::string& id) const { return found(events_, id); }
    const agency::Worker* worker(const std::string& id) const { return found(workers_, id); }
    const agency::Client* client(const std::string& id) const { return found(clients_, id); }
    const agency::Site* site(const std::string& id) {
        auto [it, first] = sites_.try_emplace(id);
        if (first) it->second = find_site(c_, id);
        return it->second ? &*it->second : nullptr;
    }

private:
    template <typename Row>
    static const Row* found(const std::unordered_map<std::string, Row>& rows, const std::string& id) {
        auto it = rows.find(id);
        return it == rows.end() ? nullptr : &it->second;
    }

    Database::Connection& c_;
    std::unordered_map<std::string, ServiceEvent> events_;
    // Every one the run's schedules name that is stored; absent: not stored.
    std::unordered_map<std::string, agency::Worker> workers_;
    std::unordered_map<std::string, agency::Client> clients_;
    std::unordered_map<std::string, std::optional<agency::Site>> sites_; // nodes: pointers stay valid
};

// Why a due row's event no longer wants its message, if it does not: the row is logged skipped.
std::optional<sending::Intent::Withheld> withheld(const ServiceEvent& event, TimeMs now) {
    if (event.status != EventStatus::booked)
        return sending::Intent::Withheld{sending::SkipReason::event_not_booked,
                                         "the event is no longer booked (" + std::string(to_string(event.status)) + ")"};
    if (event.start <= now)
        return sending::Intent::Withheld{sending::SkipReason::event_started, "the event has started: too late to send"};
    return std::nullopt;
}

// A due row as the pipeline's intent: a confirmation to a client (with its confirm link when the agency
// includes one) or a reminder to a worker, keyed by event, recipient, kind and run_at.
sending::Intent due_intent(const Schedule& due, const ServiceEvent& event, rendering::ServiceEventFacts facts,
                           sending::Addressee recipient, TimeMs now) {
    sending::Intent intent;
    intent.kind = to_client(due.kind) ? (facts.confirm_link.empty() ? rendering::MessageKind::confirmation
                                                                     : rendering::MessageKind::confirmation_with_link)
                                      : rendering::MessageKind::worker_reminder;
    intent.idempotency_key = "schedule:" + due.event + ":" + due.recipient + ":" + std::string(to_string(due.kind)) +
                             ":" + std::to_string(due.run_at);
    intent.about = due.event;
    if (to_client(due.kind)) intent.client = due.recipient;
    intent.recipients.push_back(std::move(recipient));
    intent.facts = std::move(facts);
    intent.withheld = withheld(event, now);
    intent.booked_at = event.booked_at; // confirmations: consent must predate the booking
    intent.expires_at = event.start;    // never delivered once the event started
    intent.metadata = {{"event", due.event}, {"recipient", due.recipient}, {"schedule", to_string(due.kind)}};
    return intent;
}

// The confirmation's sender worker gets a copy of each confirmation that went out (feature-anchors §1:
// "also gets a copy of each confirmation in their Messages inbox"). Outside Penelope that inbox reaches a
// worker the way their event notifications do, so the copy goes on the sender's event-notification
// channels, with Worker Delivery, the Event Notification detail level and "only when not logged in"
// respected. Without the confirm link: the sender is to see what the client got, not to confirm for them.
sending::Intent copy_to_sender(const agency::Worker& sender, const Schedule& due, const ServiceEvent& event,
                               rendering::ServiceEventFacts facts) {
    sending::Intent copy;
    copy.kind = rendering::MessageKind::confirmation_copy;
    copy.idempotency_key = "confirmation-copy:" + due.event + ":" + due.recipient + ":" + std::to_string(due.run_at);
    copy.about = due.event;
    copy.client = due.recipient;
    copy.recipients.emplace_back(sender);
    facts.confirm_link.clear();
    copy.facts = std::move(facts);
    copy.expires_at = event.start;
    copy.metadata = {{"event", due.event}, {"client", due.recipient}};
    return copy;
}

} // namespace

SchedulerRun Scheduler::run_once(int limit) try {
    SchedulerRun run;
    const TimeMs now_ms = clock_.now_ms();
    agency::SnapshotPtr snapshot = settings_();
    const agency::AgencySettings& settings = snapshot->settings;

    // Deferred: nobody waits on this commit. Undone by a power cut, the rows are due again and fire again
    // with the same idempotency keys; and it takes its turn with delivery, not before it.
    auto c = db().connect(Durability::deferred);
    Poco::Data::Transaction tx(c.session());
    sending::Batch batch(pipeline_, c, *snapshot, now_ms);
    const std::vector<Schedule> claimed = claim_due_schedules(c, now_ms, limit);
    remove_schedules(c, claimed); // every claimed row goes, whatever it sends
    const std::string& sender_id = settings.client_delivery.confirmation.sender_worker;
    RunLookups lookups(c, people_, claimed, sender_id);
    for (const Schedule& due : claimed) {
        ++run.claimed;
        const ServiceEvent* event = lookups.event(due.event);
        const agency::Client* client = to_client(due.kind) ? lookups.client(due.recipient) : nullptr;
        const agency::Worker* worker = to_client(due.kind) ? nullptr : lookups.worker(due.recipient);
        // Gone, or moved without its row (replaced already: the new row speaks for it), or nobody to tell.
        if (!event || event->start != due.event_start || (!client && !worker)) {
            ++run.dropped;
            continue;
        }
        rendering::ServiceEventFacts facts =
            event_facts(*event, lookups.worker(event->primary_worker()), lookups.site(event->site));
        if (client && settings.client_delivery.confirmation.include_return_message && confirm_link_)
            facts.confirm_link = confirm_link_(c, due);
        const sending::Addressee recipient = client ? sending::Addressee(*client) : sending::Addressee(*worker);
        const sending::SentRequest& sent = batch.request(batch.add(due_intent(due, *event, facts, recipient, now_ms)));
        for (const sending::Decision& d : sent.decisions) run.skipped += d.sent ? 0 : 1;
        if (!sent.any_sent()) {
            ++run.dropped;
            continue;
        }
        // A confirmation that went out is pending until the client confirms (link or "YES" by SMS).
        if (client) {
            record_confirmation_sent(c, due.event, due.recipient, due.event_start, now_ms);
            if (const agency::Worker* sender = sender_id.empty() ? nullptr : lookups.worker(sender_id))
                batch.add(copy_to_sender(*sender, due, *event, facts));
        }
    }
    run.enqueued = static_cast<int>(batch.enqueue().size());
    if (before_commit_) before_commit_();
    tx.commit();
    return run;
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

} // namespace extcomm::events
