#include <events/event_facts.hpp>
#include <events/service_event_json.hpp>
#include <triggers/records.hpp>
#include <events/service_event_store.hpp>
#include <events/service_events.hpp>

#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>

#include <stdexcept>

namespace extcomm::events {
namespace {

// What the notices of one change are about and rendered from.
struct ChangeFacts {
    const ServiceEvent& event;
    const EventChange& change;
    const rendering::ServiceEventFacts& facts;
    TimeMs now;
};

// The booking or reschedule notice to the event's clients. Its key makes a repeat send nothing: a booking
// is told once per event and start; every reschedule is a change of its own (A → B, back to A, and to B
// again are three notices), so its key carries the time of the change as well as both starts.
sending::Intent client_update(rendering::MessageKind kind, const ChangeFacts& f, std::vector<agency::Client> clients) {
    sending::Intent intent;
    intent.kind = kind;
    intent.idempotency_key = std::string(rendering::to_string(kind)) + ":" + f.event.id + ":" +
                             std::to_string(f.change.original_start) + ":" + std::to_string(f.event.start);
    if (kind == rendering::MessageKind::reschedule_notice) intent.idempotency_key += ":" + std::to_string(f.now);
    intent.about = f.event.id;
    for (agency::Client& client : clients) intent.recipients.emplace_back(std::move(client));
    intent.facts = f.facts;
    intent.booked_at = f.event.booked_at; // automated messages only for events booked after consent
    intent.metadata = {{"event", f.event.id}};
    return intent;
}

// The last-minute booking or no-show notice to the event's workers: one per event start, ever (marking the
// same appointment no-show again after a revert does not notify twice).
sending::Intent worker_notice(rendering::MessageKind kind, const ChangeFacts& f, std::vector<agency::Worker> workers) {
    sending::Intent intent;
    intent.kind = kind;
    intent.idempotency_key =
        std::string(rendering::to_string(kind)) + ":" + f.event.id + ":" + std::to_string(f.event.start);
    intent.about = f.event.id;
    for (agency::Worker& worker : workers) intent.recipients.emplace_back(std::move(worker));
    intent.facts = f.facts;
    intent.metadata = {{"event", f.event.id}};
    // A last-minute notice is worth nothing once the event has started; a no-show notice ages as usual.
    if (kind == rendering::MessageKind::last_minute_booking) intent.expires_at = f.event.start;
    return intent;
}

// A confirmation or reminder the change withdraws because the event is no longer booked (cancelled,
// marked no-show): logged skipped, so that "why did they not get it?" has an answer for it too. Its key is
// its own (not the firing's, which a revert may still use).
sending::Intent withdrawn(const Schedule& row, const ServiceEvent& event, sending::Addressee recipient, TimeMs now) {
    sending::Intent intent;
    intent.kind = to_client(row.kind) ? rendering::MessageKind::confirmation : rendering::MessageKind::worker_reminder;
    intent.idempotency_key = "schedule-withdrawn:" + row.event + ":" + row.recipient + ":" +
                             std::string(to_string(row.kind)) + ":" + std::to_string(row.run_at) + ":" + std::to_string(now);
    intent.about = row.event;
    if (to_client(row.kind)) intent.client = row.recipient;
    intent.recipients.push_back(std::move(recipient));
    intent.withheld = sending::Intent::Withheld{sending::SkipReason::event_not_booked,
                                                "the event is no longer booked (" + std::string(to_string(event.status)) + ")"};
    return intent;
}

// A booking, cancellation or no-show as the action triggers see it: the event's API form is its fields,
// its workers (primary first) and its primary client. `now` is its version: each change fires once.
triggers::Subject event_subject(const ServiceEvent& event, Happening what, TimeMs now) {
    triggers::Subject s;
    s.record = "service-event/" + event.id;
    s.label = "service event " + event.id;
    s.version = now;
    switch (what) {
    case Happening::booked: s.triggers = {triggers::Trigger::service_event_booked}; break;
    case Happening::cancelled: s.triggers = {triggers::Trigger::service_event_cancelled}; break;
    case Happening::marked_no_show: s.triggers = {triggers::Trigger::service_event_no_show}; break;
    case Happening::nothing:
    case Happening::rescheduled:
    case Happening::reverted_to_booked: break;
    }
    s.facts = {{"fields", to_api_json(event)}, {"agency_fields", boost::json::object{}}};
    for (const auto& w : event.workers)
        s.workers.insert(w.primary ? s.workers.begin() : s.workers.end(), triggers::RecordWorker{w.id, w.primary ? "primary" : ""});
    for (const auto& p : event.clients)
        if (p.primary) s.client = p.id;
    return s;
}

template <typename Person, typename Find>
std::vector<Person> stored(const std::vector<Participant>& participants, Find find) {
    std::vector<Person> out;
    for (const auto& p : participants)
        if (auto person = find(p.id)) out.push_back(std::move(*person));
    return out;
}

} // namespace

EventApplied ServiceEvents::put(const agency::SettingsSnapshot& snapshot, const ServiceEvent& received) try {
    const agency::AgencySettings& settings = snapshot.settings;
    const TimeMs now_ms = clock_.now_ms();
    EventApplied applied;

    auto c = pipeline_.database().connect();
    Poco::Data::Transaction tx(c.session());
    ServiceEvent event = received;
    if (event.booked_at == 0) {
        auto stored_event = find_service_event(c, event.id);
        event.booked_at = stored_event ? stored_event->current.booked_at : now_ms;
    }
    applied.previous = put_service_event(c, event, now_ms);
    applied.change = what_happened(applied.previous, event, now_ms, event_zone(c, event, settings));

    auto workers = stored<agency::Worker>(event.workers, [&](const std::string& id) { return people_.worker(c, id); });
    sending::Batch batch(pipeline_, c, snapshot, now_ms);
    // Schedules follow the event, except when nothing happened to a booked one (a repeated PUT must not
    // drop a row that is due but not yet fired).
    if (applied.change.what != Happening::nothing || event.status != EventStatus::booked) {
        if (event.status != EventStatus::booked) log_withdrawn(batch, c, event, now_ms);
        replace_schedules(c, event.id, plan_schedules(event, settings, workers, now_ms));
    }

    applied.client_notice.kind = event_update_for(applied.change);
    if (!applied.client_notice.kind) applied.client_notice.skipped = sending::SkipReason::no_event_update;
    const WorkerNoticeCall call = worker_notice_for(settings, applied.change, event, now_ms);
    applied.worker_notice.kind = call.kind;
    applied.worker_notice.skipped = call.skipped;

    std::optional<std::size_t> client_request, worker_request;
    if (applied.client_notice.kind || applied.worker_notice.kind) {
        const rendering::ServiceEventFacts facts = event_facts(c, people_, event, applied.change.original_start);
        const ChangeFacts change{event, applied.change, facts, now_ms};
        if (applied.client_notice.kind) {
            auto clients = stored<agency::Client>(event.clients, [&](const std::string& id) { return people_.client(c, id); });
            client_request = batch.add(client_update(*applied.client_notice.kind, change, std::move(clients)));
        }
        if (applied.worker_notice.kind) worker_request = batch.add(worker_notice(*applied.worker_notice.kind, change, workers));
    }
    for (const OutboundMessage& m : batch.enqueue()) applied.message_ids.push_back(m.id);
    if (firing_) {
        auto fired = triggers::fire(*firing_, pipeline_, c, snapshot, event_subject(event, applied.change.what, now_ms), now_ms);
        applied.message_ids.insert(applied.message_ids.end(), fired.message_ids.begin(), fired.message_ids.end());
        applied.firings = std::move(fired.firings);
    }
    if (client_request) applied.client_notice.sent = batch.request(*client_request);
    if (worker_request) applied.worker_notice.sent = batch.request(*worker_request);
    applied.schedules = pending_schedules(c, event.id);
    tx.commit();
    if (firing_) firing_->after_commit();
    applied.current = std::move(event);
    return applied;
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

void ServiceEvents::log_withdrawn(sending::Batch& batch, Database::Connection& c, const ServiceEvent& event, TimeMs now) {
    for (const Schedule& row : pending_schedules(c, event.id)) {
        std::optional<sending::Addressee> recipient;
        if (to_client(row.kind)) {
            if (auto client = people_.client(c, row.recipient)) recipient = std::move(*client);
        } else if (auto worker = people_.worker(c, row.recipient)) {
            recipient = std::move(*worker);
        }
        if (recipient) batch.add(withdrawn(row, event, std::move(*recipient), now));
    }
}

std::optional<EventView> ServiceEvents::find(const std::string& id) try {
    auto c = pipeline_.database().connect();
    auto stored_event = find_service_event(c, id);
    if (!stored_event) return std::nullopt;
    return EventView{std::move(*stored_event), pending_schedules(c, id)};
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

} // namespace extcomm::events
