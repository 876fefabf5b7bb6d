#include <agency/channels.hpp>
#include <agency/recipient_rules.hpp>
#include <events/confirmation_store.hpp>
#include <events/event_facts.hpp>
#include <events/event_updates.hpp>
#include <events/scheduler.hpp>
#include <events/service_event_store.hpp>
#include <events/worker_notice_batch.hpp>
#include <rendering/renderer.hpp>

#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <stdexcept>
#include <unordered_map>

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

} // namespace

// The confirmation's sender worker gets a copy of each confirmation that went out (feature-anchors §1:
// "also gets a copy of each confirmation in their Messages inbox"). Outside Penelope that inbox reaches a
// worker the way their event notifications do, so the copy goes on the sender's event-notification
// channels, with Worker Delivery and "only when not logged in" respected and the decisions in the message
// log. Without the confirm link: the sender is to see what the client got, not to confirm for them.
void Scheduler::copy_to_sender(WorkerNoticeBatch& copies, const agency::Worker* sender, const Schedule& due,
                               const ServiceEvent& event, const rendering::ServiceEventFacts& facts) {
    if (!sender) return; // none set; or the settings checked it exists and it was deleted since: nothing
    WorkerNoticeRequest copy;
    copy.kind = rendering::MessageKind::confirmation_copy;
    copy.event = due.event;
    copy.client = due.recipient;
    copy.idempotency_key = "confirmation-copy:" + due.event + ":" + due.recipient + ":" + std::to_string(due.run_at);
    copy.workers.push_back(*sender);
    copy.facts = facts;
    copy.facts.confirm_link.clear();
    copy.expires_at = event.start;
    copies.add(copy);
}

SchedulerRun Scheduler::run_once(int limit) try {
    SchedulerRun run;
    const TimeMs now_ms = clock_.now_ms();
    agency::SnapshotPtr snapshot = settings_();
    const agency::AgencySettings& settings = snapshot->settings;
    rendering::Renderer renderer(snapshot->templates);
    const rendering::RenderSettings render_settings = settings.render_settings();

    // Deferred: nobody waits on this commit. Undone by a power cut, the rows are due again and fire again
    // with the same idempotency keys; and it takes its turn with delivery, not before it.
    auto c = db_.connect(Durability::deferred);
    Poco::Data::Transaction tx(c.session());
    std::vector<NewMessage> messages;
    WorkerNoticeBatch copies(db_, c, settings, renderer, messages, now_ms);
    const std::vector<Schedule> claimed = claim_due_schedules(c, now_ms, limit);
    remove_schedules(c, claimed); // every claimed row goes, whatever it sends
    RunLookups lookups(c, people_, claimed, settings.client_delivery.confirmation.sender_worker);
    for (const Schedule& due : claimed) {
        ++run.claimed;
        const ServiceEvent* stored = lookups.event(due.event);
        if (!stored || stored->status != EventStatus::booked || stored->start <= now_ms ||
            stored->start != due.event_start) {
            ++run.dropped; // gone, no longer booked, started, or moved without its row (replaced already)
            continue;
        }
        const ServiceEvent& event = *stored;

        std::vector<Target> targets;
        rendering::MessageKind kind = rendering::MessageKind::worker_reminder;
        rendering::ServiceEventFacts facts =
            event_facts(event, lookups.worker(event.primary_worker()), lookups.site(event.site));
        if (to_client(due.kind)) {
            const agency::Client* client = lookups.client(due.recipient);
            if (!client) {
                ++run.dropped;
                continue;
            }
            auto decisions = agency::decide_client_event_message(settings, *client, rendering::MessageKind::confirmation);
            if (decisions.size() == 1 && !decisions.front().channel) {
                ++run.dropped; // Client Delivery or Event Confirmation is off
                continue;
            }
            kind = rendering::MessageKind::confirmation;
            if (settings.client_delivery.confirmation.include_return_message && confirm_link_) {
                facts.confirm_link = confirm_link_(c, due);
                if (!facts.confirm_link.empty()) kind = rendering::MessageKind::confirmation_with_link;
            }
            for (const agency::Decision& d : decisions) {
                if (!d.sent || client_consent_skip(*client, *d.channel, event)) {
                    ++run.skipped;
                    continue;
                }
                targets.push_back({*d.channel, d.to});
            }
        } else {
            const agency::Worker* worker = lookups.worker(due.recipient);
            if (!worker || !settings.worker_delivery.enabled) {
                ++run.dropped;
                continue;
            }
            for (const agency::Decision& d : agency::decide_worker_event_notification(settings, *worker, kind)) {
                if (!d.sent) {
                    ++run.skipped;
                    continue;
                }
                targets.push_back({*d.channel, d.to});
            }
        }

        const std::size_t messages_before = messages.size();
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
        // A confirmation that went out is pending until the client confirms (link or "YES" by SMS).
        if (to_client(due.kind) && messages.size() > messages_before) {
            record_confirmation_sent(c, due.event, due.recipient, due.event_start, now_ms);
            const std::string& sender = settings.client_delivery.confirmation.sender_worker;
            copy_to_sender(copies, sender.empty() ? nullptr : lookups.worker(sender), due, event, facts);
        }
    }
    run.enqueued = static_cast<int>(messages.size());
    std::vector<OutboundMessage> enqueued;
    if (!messages.empty()) enqueued = outbox_.enqueue(c, std::move(messages));
    copies.record(enqueued);
    if (before_commit_) before_commit_();
    tx.commit();
    return run;
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

} // namespace extcomm::events
