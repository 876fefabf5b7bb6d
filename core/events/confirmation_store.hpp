#pragma once
// Where confirmations are kept: one row per (event, client, event start) once the confirmation went out
// (so that a "YES" by SMS finds the client's pending one), and confirmed_at/via once the client confirmed;
// and the confirm links by their random id, each with what it points at.
// A moved event asks again: its new start is another row. Calls join the caller's transaction; store
// failures throw (Poco exceptions; callers turn them into "store: ...").
#include <common/clock.hpp>
#include <events/confirm_token.hpp>
#include <store/database.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extcomm::events {

enum class ConfirmedVia { link, sms };
std::string_view to_string(ConfirmedVia via); // "link", "sms"

struct EventConfirmation {
    std::string event;
    std::string client;
    TimeMs event_start = 0;
    TimeMs sent_at = 0;      // when the confirmation went out; 0 = not recorded
    TimeMs confirmed_at = 0; // 0 = not confirmed (yet)
    std::string via;         // "link" | "sms" once confirmed, else ""

    bool confirmed() const { return confirmed_at != 0; }
};

// The scheduler sent `client` the confirmation of `event` starting at `event_start`.
void record_confirmation_sent(Database::Connection& c, const std::string& event, const std::string& client,
                              TimeMs event_start, TimeMs now);

// Marks it confirmed. True only for the call that confirmed it: a repeat (or a concurrent second click,
// also on another host) finds it confirmed and changes nothing.
bool mark_confirmed(Database::Connection& c, const std::string& event, const std::string& client, TimeMs event_start,
                    ConfirmedVia via, TimeMs now);

std::optional<EventConfirmation> find_confirmation(Database::Connection& c, const std::string& event,
                                                   const std::string& client, TimeMs event_start);
// The event's confirmations for its start `event_start` (sent or confirmed), by client.
std::vector<EventConfirmation> confirmations_of(Database::Connection& c, const std::string& event, TimeMs event_start);
// Confirmations sent to these clients, not confirmed, for events starting after `now`: soonest first.
std::vector<EventConfirmation> pending_confirmations(Database::Connection& c, const std::vector<std::string>& clients,
                                                     TimeMs now);

// A new confirm link for `link` (event, client, the event's start): its random id, stored with what it
// points at. Made in the transaction that enqueues the confirmation, so a link that went out is stored.
std::string record_confirm_link(Database::Connection& c, const ConfirmTokenFacts& link, TimeMs now);
// What the link of `id` points at; nullopt for an id never stored.
std::optional<ConfirmTokenFacts> find_confirm_link(Database::Connection& c, const std::string& id);

// The clients whose SMS consent is this number ("+61491570156"; compared as digits, so the "61491570156"
// some providers send matches).
std::vector<std::string> clients_by_mobile(Database::Connection& c, std::string_view number);

// The key confirm links are signed with when the configuration has none: made once, at random, and kept
// in the store, so that links survive restarts and every host sharing the store signs alike.
std::string stored_confirm_link_key(Database::Connection& c, TimeMs now);

} // namespace extcomm::events
