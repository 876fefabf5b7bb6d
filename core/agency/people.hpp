#pragma once
// The people extcomm writes to, as Penelope knows them: workers (in worker categories) with their
// message settings and presence, clients with their contact entries and consent per channel, and sites.
// Plain values and the pure rules that keep them valid; people_store.* keeps them.
#include <agency/settings.hpp>
#include <common/field_error.hpp>
#include <common/clock.hpp>
#include <outbox/message.hpp>
#include <rendering/message_kind.hpp>

#include <boost/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace extcomm::agency {

// How a worker wants one type of message (Penelope's "Receive Messages on").
enum class ChannelChoice { none, email, sms, both };

std::string_view to_string(ChannelChoice choice); // "none", "email", "sms", "both"
std::optional<ChannelChoice> channel_choice_from(std::string_view name);
// The channels a choice names, email first.
std::vector<Channel> channels_of(ChannelChoice choice);

// A worker's own Message Settings.
struct WorkerMessageSettings {
    // Per collaboration type (rendering::kAllCollaborationTypes order).
    std::array<ChannelChoice, std::size(rendering::kAllCollaborationTypes)> collaboration{
        ChannelChoice::none, ChannelChoice::none, ChannelChoice::none, ChannelChoice::none,
        ChannelChoice::none, ChannelChoice::none, ChannelChoice::none};
    // Event notifications: reminders, last-minute booking and no-show notices (issue 6 sends them).
    ChannelChoice event_notifications = ChannelChoice::none;
    bool only_when_offline = false;          // "only when not logged in": online workers are skipped
    int reminder_minutes = 0;                // "N min before any event"; 0 = no reminder
    int first_event_reminder_minutes = 0;    // "N min before first service event (excluding group)"; 0 = none
    bool notify_when_client_confirms = false; // "Notify me when my client confirms event (as Primary event)"

    ChannelChoice channel(rendering::CollaborationType type) const {
        return collaboration[static_cast<std::size_t>(type)];
    }
    void set_channel(rendering::CollaborationType type, ChannelChoice choice) {
        collaboration[static_cast<std::size_t>(type)] = choice;
    }
};

// Whether a worker is logged in to Penelope, and since when.
struct Presence {
    bool online = false;
    TimeMs since = 0; // 0: never reported
};

struct Worker {
    std::string id;
    std::string first_name;
    std::string last_name;
    std::vector<std::string> categories; // worker category ids
    std::string email;                   // "" = none
    std::string mobile;                  // E.164 with '+', "" = none
    WorkerMessageSettings message_settings;
    Presence presence;
    TimeMs updated_at = 0;

    const std::string& address(Channel channel) const { return channel == Channel::email ? email : mobile; }
};

struct WorkerCategory {
    std::string id;
    std::string name;
};

// One of a client's Contact Info entries: an email address or a mobile number, in use or not.
struct ContactEntry {
    std::string id;      // the caller's name for the entry ("home-email", "mobile")
    Channel channel = Channel::email;
    std::string address; // email address, or E.164 with '+'
    bool in_use = true;
};

// "Email communication via" / "SMS communication via": the entry chosen, or none (no consent).
struct Consent {
    std::string entry;       // "" = no consent for this channel
    std::string address;     // the entry's address when consent was given
    TimeMs consented_at = 0; // when this choice was saved; automated messages need it before the booking

    bool given() const { return !entry.empty(); }
};

struct Client {
    std::string id;
    std::string name;
    std::vector<ContactEntry> contacts;
    Consent email;
    Consent sms;
    TimeMs updated_at = 0;
    std::string birth_date = {};            // ISO date ("1990-04-01"), "" = unknown
    boost::json::object agency_fields = {}; // fields the agency defined, as the case-management system sends them

    const Consent& consent(Channel channel) const { return channel == Channel::email ? email : sms; }
};

struct Site {
    std::string id;
    std::string name;
    std::string phone;     // as entered ("03 9000 0000"; a valid number), "" = none; stored before: E.164
    std::string address;
    std::string time_zone; // IANA name; "" = the agency's
    TimeMs updated_at = 0;
};

// A client as submitted. `email_via`/`sms_via`: nullopt keeps the stored choice (if its entry is still in
// use), "" withdraws consent, an entry id chooses that entry.
struct ClientUpdate {
    std::string id;
    std::string name;
    std::vector<ContactEntry> contacts;
    std::optional<std::string> email_via;
    std::optional<std::string> sms_via;
    std::string birth_date = {}; // checked: an ISO date or ""
    boost::json::object agency_fields = {};
};

// The consent rules. Entries are checked and normalised (numbers to E.164 with the agency's calling
// code, email addresses checked); a channel's choice must name an in-use entry of that channel. A choice
// that is new (another entry, or the same entry with another address) is dated `now`; an unchanged one
// keeps its time; a stored choice whose entry is gone or no longer in use is cleared.
std::variant<Client, FieldError> apply_client_update(const std::optional<Client>& stored, ClientUpdate update,
                                                     const GeneralSettings& general, TimeMs now);

// A mobile or phone number as entered, as E.164 with '+', through the agency's calling code for national
// numbers; or why not, naming `field`.
std::variant<std::string, FieldError> normalise_phone(std::string_view input, const GeneralSettings& general,
                                                      const std::string& field);
// An email address as entered (trimmed), or why it cannot be used, naming `field`.
std::variant<std::string, FieldError> check_email(std::string_view input, const std::string& field);

// Workers' and sites' contact details checked the same way (empty stays empty: "none"); a worker's mobile
// becomes E.164 (it is sent to), a site's phone stays as entered (it is shown).
std::optional<FieldError> normalise_worker(Worker& worker, const GeneralSettings& general);
std::optional<FieldError> normalise_site(Site& site, const GeneralSettings& general);

// Ids of workers, clients, sites and categories: 1 to 64 of A-Z a-z 0-9 . _ - (they appear in URLs).
bool is_valid_id(std::string_view id);

} // namespace extcomm::agency
