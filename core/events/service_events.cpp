#include <agency/channels.hpp>
#include <events/event_facts.hpp>
#include <events/event_update_log.hpp>
#include <events/service_event_store.hpp>
#include <events/service_events.hpp>
#include <rendering/renderer.hpp>

#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <stdexcept>

namespace extcomm::events {

EventApplied ServiceEvents::put(const agency::SettingsSnapshot& snapshot, const ServiceEvent& received) try {
    const agency::AgencySettings& settings = snapshot.settings;
    const TimeMs now_ms = clock_.now_ms();
    EventApplied applied;

    auto c = db_.connect();
    Poco::Data::Transaction tx(c.session());
    ServiceEvent event = received;
    if (event.booked_at == 0) {
        auto stored = find_service_event(c, event.id);
        event.booked_at = stored ? stored->current.booked_at : now_ms;
    }
    applied.previous = put_service_event(c, event, now_ms);
    applied.change = what_happened(applied.previous, event, now_ms, event_zone(c, event, settings));

    std::vector<agency::Worker> workers;
    for (const auto& w : event.workers)
        if (auto worker = people_.worker(c, w.id)) workers.push_back(std::move(*worker));
    // Schedules follow the event, except when nothing happened to a booked one (a repeated PUT must not
    // drop a row that is due but not yet fired).
    if (applied.change.what != Happening::nothing || event.status != EventStatus::booked)
        replace_schedules(c, event.id, plan_schedules(event, settings, workers, now_ms));

    std::vector<agency::Client> clients;
    for (const auto& p : event.clients)
        if (auto client = people_.client(c, p.id)) clients.push_back(std::move(*client));
    applied.notices = decide_event_update(settings, applied.change, event, clients);

    rendering::Renderer renderer(snapshot.templates);
    std::optional<rendering::ServiceEventFacts> facts;
    auto facts_of_event = [&]() -> const rendering::ServiceEventFacts& {
        if (!facts) facts = event_facts(c, people_, event, applied.change.original_start);
        return *facts;
    };
    std::vector<NewMessage> messages;
    std::vector<std::size_t> notice_of; // messages[i] is the notice of applied.notices.decisions[notice_of[i]]
    if (applied.notices.update != EventUpdate::none) {
        const bool booking = applied.notices.update == EventUpdate::booking_notice;
        const auto kind = booking ? rendering::MessageKind::booking_notice : rendering::MessageKind::reschedule_notice;
        for (std::size_t i = 0; i < applied.notices.decisions.size(); ++i) {
            const NoticeDecision& d = applied.notices.decisions[i];
            if (!d.sent) continue;
            auto rendered = renderer.render({kind, d.channel, facts_of_event()}, settings.render_settings());
            if (auto* error = std::get_if<rendering::RenderError>(&rendered)) {
                spdlog::warn("event {}: {} to {} cannot be rendered: {} {}", event.id, rendering::to_string(kind),
                             d.client, error->field, error->reason);
                continue;
            }
            auto& r = std::get<rendering::RenderedMessage>(rendered);
            NewMessage m;
            m.channel = d.channel;
            m.kind = booking ? "booking_notice" : "reschedule_notice";
            m.transport = agency::transport_for(settings, d.channel);
            m.to = d.to;
            m.subject = std::move(r.subject);
            m.body = std::move(r.body);
            m.html_body = std::move(r.html_body);
            m.metadata_json = R"({"event":")" + event.id + R"(","client":")" + d.client + R"("})";
            // One notice per event version: a retried PUT of the same change is not sent twice.
            m.idempotency_key = "event-update:" + event.id + ":" + std::to_string(applied.change.original_start) + ":" +
                                std::to_string(event.start) + ":" +
                                (booking ? "booked" : "rescheduled") + ":" + d.client + ":" +
                                (d.channel == Channel::email ? "email" : "sms");
            notice_of.push_back(i);
            messages.push_back(std::move(m));
        }
    }

    // Worker Delivery's last-minute booking and no-show notices, one per event start ever: marking the
    // same appointment no-show again (after a revert) does not notify twice.
    applied.worker_notice = worker_notice_for(settings, applied.change, event, now_ms);
    WorkerNoticeBatch worker_notices(db_, c, settings, renderer, messages, now_ms);
    if (applied.worker_notice.kind) {
        WorkerNoticeRequest notice;
        notice.kind = *applied.worker_notice.kind;
        notice.event = event.id;
        notice.idempotency_key =
            std::string(rendering::to_string(notice.kind)) + ":" + event.id + ":" + std::to_string(event.start);
        notice.workers = workers;
        notice.facts = facts_of_event();
        // A last-minute notice is worth nothing once the event has started; a no-show notice ages as usual.
        if (notice.kind == rendering::MessageKind::last_minute_booking) notice.expires_at = event.start;
        worker_notices.add(notice);
    }

    if (!messages.empty()) {
        auto stored = outbox_.enqueue(c, std::move(messages));
        for (const auto& m : stored) applied.message_ids.push_back(m.id);
        for (std::size_t i = 0; i < notice_of.size() && i < stored.size(); ++i)
            applied.notices.decisions[notice_of[i]].message_id = stored[i].id;
        worker_notices.record(stored);
    } else {
        worker_notices.record({});
    }
    if (applied.notices.update != EventUpdate::none) {
        agency::DecisionLog log(db_);
        record_event_update(log, c, event, applied.notices,
                            "event-update:" + event.id + ":" + std::to_string(applied.change.original_start) + ":" +
                                std::to_string(event.start) + ":" +
                                (applied.notices.update == EventUpdate::booking_notice ? "booked" : "rescheduled"),
                            now_ms);
    }
    applied.worker_notices = worker_notices.notices();
    applied.schedules = pending_schedules(c, event.id);
    tx.commit();
    applied.current = std::move(event);
    return applied;
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

std::optional<EventView> ServiceEvents::find(const std::string& id) try {
    auto c = db_.connect();
    auto stored = find_service_event(c, id);
    if (!stored) return std::nullopt;
    return EventView{std::move(*stored), pending_schedules(c, id)};
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

} // namespace extcomm::events
