#include <events/confirmations.hpp>
#include <events/event_facts.hpp>
#include <events/service_event_store.hpp>

#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace extcomm::events {
namespace {

// Whether the link still leads somewhere; the event as it is now when it does.
LinkState link_state(Database::Connection& c, const ConfirmTokenFacts& link, TimeMs now, ServiceEvent& event) {
    auto stored = find_service_event(c, link.event);
    if (!stored) return LinkState::unknown;
    const ServiceEvent& current = stored->current;
    const bool on_event = std::any_of(current.clients.begin(), current.clients.end(),
                                      [&](const Participant& p) { return p.id == link.client; });
    if (current.status != EventStatus::booked || current.start != link.start || token_expired(link, now) || !on_event)
        return LinkState::expired;
    event = current;
    return LinkState::open;
}

// The confirmation a message was (from the scheduler's metadata), if it was one.
std::optional<ConfirmTokenFacts> confirmation_message(const OutboundMessage& message) {
    boost::system::error_code ec;
    auto doc = boost::json::parse(message.metadata_json, ec);
    if (ec || !doc.is_object()) return std::nullopt;
    const auto& o = doc.as_object();
    auto text = [&](const char* key) -> std::string {
        auto* v = o.if_contains(key);
        return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    if (text("schedule") != "confirmation" || text("event").empty() || text("recipient").empty()) return std::nullopt;
    // The scheduler's messages expire when their event starts.
    return ConfirmTokenFacts{text("event"), text("recipient"), message.expires_at};
}

} // namespace

std::optional<ConfirmTokenFacts> Confirmations::stored_link(const ConfirmLinkId& link) try {
    auto c = db().connect();
    return find_confirm_link(c, link.id);
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

Appointment Confirmations::open(const ConfirmTokenFacts& link) try {
    Appointment out;
    auto c = db().connect();
    ServiceEvent event;
    out.state = link_state(c, link, clock_.now_ms(), event);
    if (out.state != LinkState::open) return out;
    out.facts = event_facts(c, people_, event);
    auto confirmation = find_confirmation(c, link.event, link.client, link.start);
    if (confirmation && confirmation->confirmed()) {
        out.state = LinkState::confirmed;
        out.confirmation = std::move(confirmation);
    }
    return out;
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

ConfirmResult Confirmations::confirm(const ConfirmTokenFacts& link, ConfirmedVia via) try {
    auto c = db().connect();
    return confirm_in(c, link, via);
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

ConfirmResult Confirmations::confirm_in(Database::Connection& c, const ConfirmTokenFacts& link, ConfirmedVia via) {
    ConfirmResult result;
    const TimeMs now_ms = clock_.now_ms();
    Poco::Data::Transaction tx(c.session());
    ServiceEvent event;
    switch (link_state(c, link, now_ms, event)) {
    case LinkState::unknown: result.outcome = ConfirmOutcome::unknown; return result;
    case LinkState::expired: result.outcome = ConfirmOutcome::expired; return result;
    case LinkState::open:
    case LinkState::confirmed: break;
    }
    if (!mark_confirmed(c, link.event, link.client, link.start, via, now_ms)) {
        result.outcome = ConfirmOutcome::already_confirmed;
        result.confirmation = find_confirmation(c, link.event, link.client, link.start);
        return result; // nothing changed: the transaction rolls back
    }
    result.outcome = ConfirmOutcome::confirmed;
    result.confirmation = find_confirmation(c, link.event, link.client, link.start);
    result.notice = notify_workers(c, link, event, now_ms);
    tx.commit();
    spdlog::info("event {}: client {} confirmed by {}", link.event, link.client, to_string(via));
    return result;
}

// Who hears of it: the confirmation's sender worker, and the event's primary worker when their message
// settings ask to be told ("as Primary event"); other workers on the event are not told.
std::optional<sending::SentRequest> Confirmations::notify_workers(Database::Connection& c, const ConfirmTokenFacts& link,
                                                                  const ServiceEvent& event, TimeMs now) {
    agency::SnapshotPtr snapshot = settings_();
    const std::string& sender = snapshot->settings.client_delivery.confirmation.sender_worker;
    sending::Intent intent;
    intent.kind = rendering::MessageKind::client_confirmed;
    intent.idempotency_key = "client-confirmed:" + link.event + ":" + link.client + ":" + std::to_string(link.start);
    intent.about = link.event;
    intent.client = link.client;
    if (!sender.empty())
        if (auto worker = people_.worker(c, sender)) intent.recipients.emplace_back(std::move(*worker));
    if (const std::string& primary = event.primary_worker(); !primary.empty() && primary != sender)
        if (auto worker = people_.worker(c, primary); worker && worker->message_settings.notify_when_client_confirms)
            intent.recipients.emplace_back(std::move(*worker));
    if (intent.recipients.empty()) return std::nullopt;
    intent.facts = event_facts(c, people_, event);
    intent.expires_at = event.start; // news of a confirmation is worth nothing once the event started
    intent.metadata = {{"event", link.event}, {"client", link.client}};
    return sending::send(pipeline_, c, *snapshot, intent, now);
}

std::optional<ConfirmResult> Confirmations::confirm_reply(const StoredReply& reply) try {
    // The message the reply answers first (Outbox::find takes its own connection).
    std::optional<ConfirmTokenFacts> answered;
    if (!reply.message_id.empty())
        if (auto message = pipeline_.outbox().find(reply.message_id)) answered = confirmation_message(*message);

    auto c = db().connect();
    const TimeMs now_ms = clock_.now_ms();
    if (answered) {
        ServiceEvent event;
        if (link_state(c, *answered, now_ms, event) == LinkState::open)
            return confirm_in(c, *answered, ConfirmedVia::sms);
    }
    // Else by the number: the soonest confirmation sent to that client and still open.
    for (const EventConfirmation& pending : pending_confirmations(c, clients_by_mobile(c, reply.from), now_ms)) {
        ConfirmTokenFacts candidate{pending.event, pending.client, pending.event_start};
        ServiceEvent event;
        if (link_state(c, candidate, now_ms, event) == LinkState::open)
            return confirm_in(c, candidate, ConfirmedVia::sms);
    }
    return std::nullopt;
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

std::vector<EventConfirmation> Confirmations::of_event(const std::string& event_id) try {
    auto c = db().connect();
    auto stored = find_service_event(c, event_id);
    if (!stored) return {};
    return confirmations_of(c, event_id, stored->current.start);
} catch (const Poco::Exception& e) {
    throw std::runtime_error("store: " + e.displayText());
}

} // namespace extcomm::events
