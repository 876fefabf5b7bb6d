#include <agency/channels.hpp>
#include <events/event_facts.hpp>
#include <events/service_event_store.hpp>
#include <events/service_events.hpp>
#include <rendering/renderer.hpp>

#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace extcomm::events {

EventApplied ServiceEvents::put(const agency::SettingsSnapshot& snapshot, const ServiceEvent& event) try {
    const agency::AgencySettings& settings = snapshot.settings;
    const TimeMs now_ms = clock_.now_ms();
    EventApplied applied;

    auto c = db_.connect();
    Poco::Data::Transaction tx(c.session());
    applied.previous = put_service_event(c, event, now_ms);
    applied.change = what_happened(applied.previous, event, now_ms, event_zone(c, event, settings));

    // Schedules follow the event, except when nothing happened to a booked one (a repeated PUT must not
    // drop a row that is due but not yet fired).
    if (applied.change.what != Happening::nothing || event.status != EventStatus::booked) {
        std::vector<agency::Worker> workers;
        for (const auto& w : event.workers)
            if (auto worker = people_.worker(c, w.id)) workers.push_back(std::move(*worker));
        replace_schedules(c, event.id, plan_schedules(event, settings, workers, now_ms));
    }

    std::vector<agency::Client> clients;
    for (const auto& p : event.clients)
        if (auto client = people_.client(c, p.id)) clients.push_back(std::move(*client));
    applied.notices = decide_event_update(settings, applied.change, event, clients);

    std::vector<NewMessage> messages;
    if (applied.notices.update != EventUpdate::none) {
        const bool booking = applied.notices.update == EventUpdate::booking_notice;
        const auto kind = booking ? rendering::MessageKind::booking_notice : rendering::MessageKind::reschedule_notice;
        rendering::Renderer renderer(snapshot.templates);
        auto facts = event_facts(c, people_, event, applied.change.original_start);
        for (const NoticeDecision& d : applied.notices.decisions) {
            if (!d.sent) continue;
            auto rendered = renderer.render({kind, d.channel, facts}, settings.render_settings());
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
            messages.push_back(std::move(m));
        }
    }
    if (!messages.empty())
        for (const auto& stored : outbox_.enqueue(c, std::move(messages))) applied.message_ids.push_back(stored.id);
    applied.schedules = pending_schedules(c, event.id);
    tx.commit();
    return applied;
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

} // namespace extcomm::events
