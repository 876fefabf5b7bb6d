#pragma once
// What a message is rendered from: the facts of the message kind, and the agency's settings that shape
// every rendering (privacy switches, SMS prefix, email footer, time zone, detail levels).
#include <common/clock.hpp>
#include <outbox/message.hpp>
#include <rendering/message_kind.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace extcomm::rendering {

struct WorkerName {
    std::string first_name;
    std::string last_name;
};

struct SiteFacts {
    std::string name;
    std::string phone;
    std::string time_zone; // IANA name; empty: the agency's
};

// Booking and reschedule notices, confirmations, worker reminders, last-minute and no-show alerts.
struct ServiceEventFacts {
    TimeMs start = 0;
    TimeMs original_start = 0; // reschedule notices: where the event was before
    WorkerName worker;         // the primary worker
    SiteFacts site;
    std::string location;      // room or address within the site
    std::string confirm_link;  // confirmations with a confirm link
};

struct CollaborationFacts {
    CollaborationType type = CollaborationType::notification;
    std::string subject;
    std::string body;
};

// A message staff write to a client.
struct ClientMessageFacts {
    std::string subject;
    std::string body;
};

struct ErrorNoticeLine {
    std::string what;      // "refused for good …", "not delivered after every attempt", "transport paused …"
    std::string recipient; // masked; "" for a transport
    std::string transport;
    std::string reason;    // the provider's code and text
    TimeMs occurred_at = 0;
    std::string message;   // the message's id; "" for a transport
};

struct ErrorDigestFacts {
    std::vector<ErrorNoticeLine> notices; // listed
    std::size_t not_listed = 0;           // counted only
};

// An action trigger's Alert or Notification: the rule's title and message, and the record it fired on.
struct TriggerFacts {
    std::string title;
    std::string message; // the rule's rich-text message, as the administrator wrote it
    std::string rule;    // the rule's name
    std::string record;  // what it fired on, e.g. "case c-1"
};

// A workflow task announced to its worker: what to do, by when, and where it came from.
struct TaskFacts {
    std::string task;    // the task's id ("t-12"): what completes it
    std::string title;
    std::string message; // rich text, as written
    TimeMs due_at = 0;   // UTC ms
    std::string rule;    // the action trigger's name; "" for a task staff created
    std::string record;  // what it fired on, e.g. "case c-1"; "" for a task staff created
};

// A task sent to a client: by Engage with its page's link, by ClientConnect with the portal's address
// (never the documents' content: that stays in the portal).
struct ClientTaskFacts {
    std::string title;
    std::string message;    // rich text, as written (Engage only)
    TimeMs due_at = 0;      // UTC ms
    std::string link;       // Engage: the task's page
    std::string portal_url; // ClientConnect: where the client finds it
};

struct VerificationFacts {
    std::string code;
    int minutes_valid = 10;
};

// A daily verification code limit was reached (the codes themselves are never in it).
struct VerificationLimitFacts {
    std::string limit;  // "per worker" or "in total"
    std::string worker; // the worker's name, for the per-worker limit
    std::string day;    // the agency's date, YYYY-MM-DD
    int maximum = 0;
};

// A discussion's email to its client (Engage): the latest message a worker wrote and the link to the page
// where the client reads the thread and replies.
struct DiscussionFacts {
    std::string subject;
    std::string from;    // the worker who wrote it, as shown outside Penelope
    std::string message; // rich text, as written
    std::string link;    // the discussion's page, for this client only
};

using MessageFacts = std::variant<ServiceEventFacts, CollaborationFacts, ClientMessageFacts, ErrorDigestFacts,
                                  VerificationFacts, TriggerFacts, TaskFacts, VerificationLimitFacts, DiscussionFacts, ClientTaskFacts>;

// Penelope's "Hide … on Ext Comm" security settings, applied when a message is rendered.
struct PrivacySwitches {
    bool hide_event_location = false;
    bool hide_worker_last_name = false;
    bool hide_site_name = false;
};

struct RenderSettings {
    PrivacySwitches privacy;
    std::string sms_prefix;   // before client event SMS; at most 20 characters
    std::string email_footer; // after client event emails (text; escaped into the HTML body)
    std::string agency_time_zone = "UTC";
    std::array<DetailLevel, std::size(kAllCollaborationTypes)> detail_levels{
        DetailLevel::subject_and_body, DetailLevel::subject_and_body, DetailLevel::subject_and_body,
        DetailLevel::subject_and_body, DetailLevel::subject_and_body, DetailLevel::subject_and_body,
        DetailLevel::subject_and_body};
    std::size_t sms_max_parts = 3; // for SMS that may take several parts (client messages, digests)

    DetailLevel detail_level(CollaborationType type) const { return detail_levels[static_cast<std::size_t>(type)]; }
    void set_detail_level(CollaborationType type, DetailLevel level) {
        detail_levels[static_cast<std::size_t>(type)] = level;
    }
};

struct RenderRequest {
    MessageKind kind = MessageKind::booking_notice;
    Channel channel = Channel::email;
    MessageFacts facts;
};

} // namespace extcomm::rendering
