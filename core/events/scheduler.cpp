#include <agency/channels.hpp>
#include <events/event_facts.hpp>
#include <events/event_updates.hpp>
#include <events/scheduler.hpp>
#include <events/service_event_store.hpp>
#include <rendering/renderer.hpp>

#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace extcomm::events {
namespace {

struct Target {
    Channel channel;
    std::string to;
};

std::string outbox_kind(rendering::MessageKind kind) {
    std::string name(rendering::to_string(kind)); // "worker-reminder" → "worker_reminder", as the outbox names kinds
    for (char& ch : name)
        if (ch == '-') ch = '_';
    return name;
}

} // namespace

SchedulerRun Scheduler::run_once(int limit) try {
    SchedulerRun run;
    const TimeMs now_ms = clock_.now_ms();
    agency::SnapshotPtr snapshot = settings_();
    const agency::AgencySettings& settings = snapshot->settings;
    rendering::Renderer renderer(snapshot->templates);
    const rendering::RenderSettings render_settings = settings.render_settings();

    auto c = db_.connect();
    Poco::Data::Transaction tx(c.session());
    std::vector<NewMessage> messages;
    for (const Schedule& due : claim_due_schedules(c, now_ms, limit)) {
        ++run.claimed;
        remove_schedule(c, due);
        auto stored = find_service_event(c, due.event);
        if (!stored || stored->current.status != EventStatus::booked || stored->current.start <= now_ms ||
            stored->current.start != due.event_start) {
            ++run.dropped; // gone, no longer booked, started, or moved without its row (replaced already)
            continue;
        }
        const ServiceEvent& event = stored->current;

        std::vector<Target> targets;
        rendering::MessageKind kind = rendering::MessageKind::worker_reminder;
        rendering::ServiceEventFacts facts = event_facts(c, people_, event);
        if (to_client(due.kind)) {
            auto client = people_.client(c, due.recipient);
            if (!client || !settings.client_delivery.enabled || !settings.client_delivery.confirmation.enabled) {
                ++run.dropped;
                continue;
            }
            kind = rendering::MessageKind::confirmation;
            if (settings.client_delivery.confirmation.include_return_message && confirm_link_) {
                facts.confirm_link = confirm_link_(due);
                if (!facts.confirm_link.empty()) kind = rendering::MessageKind::confirmation_with_link;
            }
            for (Channel channel : {Channel::email, Channel::sms}) {
                if (agency::channel_unavailable(settings, channel) || client_consent_skip(*client, channel, event)) {
                    ++run.skipped;
                    continue;
                }
                targets.push_back({channel, client->consent(channel).address});
            }
        } else {
            auto worker = people_.worker(c, due.recipient);
            if (!worker || !settings.worker_delivery.enabled) {
                ++run.dropped;
                continue;
            }
            const auto& m = worker->message_settings;
            if (m.only_when_offline && worker->presence.online) {
                ++run.skipped;
                continue;
            }
            for (Channel channel : agency::channels_of(m.event_notifications)) {
                if (agency::channel_unavailable(settings, channel) || worker->address(channel).empty()) {
                    ++run.skipped;
                    continue;
                }
                targets.push_back({channel, worker->address(channel)});
            }
        }

        for (const Target& target : targets) {
            auto rendered = renderer.render({kind, target.channel, facts}, render_settings);
            if (auto* error = std::get_if<rendering::RenderError>(&rendered)) {
                spdlog::warn("schedule {} {} {}: cannot render: {} {}", due.event, due.recipient, to_string(due.kind),
                             error->field, error->reason);
                ++run.skipped;
                continue;
            }
            auto& r = std::get<rendering::RenderedMessage>(rendered);
            NewMessage message;
            message.channel = target.channel;
            message.kind = outbox_kind(kind);
            message.transport = agency::transport_for(settings, target.channel);
            message.to = target.to;
            message.subject = std::move(r.subject);
            message.body = std::move(r.body);
            message.html_body = std::move(r.html_body);
            message.metadata_json = R"({"event":")" + due.event + R"(","recipient":")" + due.recipient +
                                    R"(","schedule":")" + std::string(to_string(due.kind)) + R"("})";
            message.idempotency_key = "schedule:" + due.event + ":" + due.recipient + ":" +
                                      std::string(to_string(due.kind)) + ":" + std::to_string(due.run_at) + ":" +
                                      (target.channel == Channel::email ? "email" : "sms");
            message.expires_at = event.start; // never delivered once the event started
            messages.push_back(std::move(message));
        }
    }
    run.enqueued = static_cast<int>(messages.size());
    if (!messages.empty()) outbox_.enqueue(c, std::move(messages));
    if (before_commit_) before_commit_();
    tx.commit();
    return run;
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

} // namespace extcomm::events
