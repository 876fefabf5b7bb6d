#pragma once
// A client confirming an appointment: through the confirm link (confirm_token.hpp) or by answering "YES"
// to the confirmation SMS (confirm_replies.hpp). A confirmation is recorded once per event start
// (confirmation_store.hpp). The first one notifies the confirmation's sender worker (Client Delivery >
// Event Confirmations > sender) and the event's workers who asked for it ("Notify me when my client
// confirms event"), on their event-notification channels while Worker Delivery is on, committed together
// with the confirmation; a repeat changes nothing and notifies nobody.
//
// A link is open while its event is booked, still starts when the token says (a moved event sends a new
// confirmation with a new link) and has not started, and the token's client is one of its clients.
#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <common/clock.hpp>
#include <events/confirm_token.hpp>
#include <events/confirmation_store.hpp>
#include <events/service_event.hpp>
#include <outbox/receipts.hpp>
#include <sending/pipeline.hpp>
#include <rendering/facts.hpp>
#include <store/database.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace extcomm::events {

enum class LinkState {
    open,      // booked, in the future, not confirmed yet
    confirmed, // confirmed already (by link or SMS); nothing more to do
    expired,   // started, cancelled, moved, or the client is no longer on it
    unknown,   // no such event
};

// What a confirm link's page shows. Facts only when open or confirmed: never anything of an expired or
// unknown link.
struct Appointment {
    LinkState state = LinkState::unknown;
    std::optional<rendering::ServiceEventFacts> facts;
    std::optional<EventConfirmation> confirmation; // when confirmed
};

enum class ConfirmOutcome { confirmed, already_confirmed, expired, unknown };

struct ConfirmResult {
    ConfirmOutcome outcome = ConfirmOutcome::unknown;
    std::optional<EventConfirmation> confirmation; // confirmed or already_confirmed
    std::optional<sending::SentRequest> notice;    // the first confirmation's notice to the workers
};

class Confirmations {
public:
    using Settings = std::function<agency::SnapshotPtr()>;

    Confirmations(sending::Pipeline& pipeline, agency::PeopleStore& people, const Clock& clock, Settings settings)
        : pipeline_(pipeline), people_(people), clock_(clock), settings_(std::move(settings)) {}

    // What a current token's link points at (confirm_token.hpp); nullopt for an id never stored.
    std::optional<ConfirmTokenFacts> stored_link(const ConfirmLinkId& link);
    Appointment open(const ConfirmTokenFacts& link);
    ConfirmResult confirm(const ConfirmTokenFacts& link, ConfirmedVia via);

    // A "YES" received by SMS: confirms the confirmation the reply answers (the message it names, when the
    // provider names one and it was a confirmation), else the soonest pending confirmation of the clients
    // whose SMS consent is the sender's number. Nothing when there is none.
    std::optional<ConfirmResult> confirm_reply(const StoredReply& reply);

    // An event's confirmations for its current start (GET /v1/service-events/{id}).
    std::vector<EventConfirmation> of_event(const std::string& event_id);

private:
    ConfirmResult confirm_in(Database::Connection& c, const ConfirmTokenFacts& link, ConfirmedVia via);
    std::optional<sending::SentRequest> notify_workers(Database::Connection& c, const ConfirmTokenFacts& link,
                                                       const ServiceEvent& event, TimeMs now);
    Database& db() const { return pipeline_.database(); }

    sending::Pipeline& pipeline_;
    agency::PeopleStore& people_;
    const Clock& clock_;
    Settings settings_;
};

} // namespace extcomm::events
