#pragma once
// What a message is about: the message kinds extcomm renders, the collaboration types of Penelope's
// Collaboration Suite, and the administrator's detail level per collaboration type.
#include <optional>
#include <string>
#include <string_view>

namespace extcomm::rendering {

enum class MessageKind {
    booking_notice,          // to a client: an event was booked ("Appointment reminder: …")
    reschedule_notice,       // to a client: an event moved ("Appointment rescheduled: …")
    confirmation,            // to a client, X hours before: without a confirm link
    confirmation_with_link,  // to a client, X hours before: "include return message" is on ("Confirm Appt: …")
    worker_reminder,         // to a worker, N minutes before an event
    last_minute_booking,     // to a worker: an event was booked within X hours of its start
    no_show,                 // to a worker: the client did not arrive (never for group events)
    confirmation_copy,       // to the confirmation's sender worker: a copy of a client's confirmation
    client_confirmed,        // to the sender worker and workers who asked: a client confirmed (link or SMS)
    collaboration_message,   // to a worker: Conversation, Alert, Notification, … (manual or action trigger)
    client_message,          // to a client: written by staff (billing, profile, case, service file, …)
    error_notice_digest,     // to the error-notice worker category: messages that could not be delivered
    verification_code,       // to a worker: a 2-step login code
    trigger_alert,           // to a worker: an action trigger's Alert (a collaboration message of type Alert)
    trigger_notification,    // to a worker: an action trigger's Notification (of type Notification)
    task_workflow,           // to a worker: a workflow task assigned to them (a collaboration message of type Workflow)
    verification_limit_alert, // to the authentication alert category: a daily verification code limit was hit
    client_discussion,       // to a client (Engage, by email): a discussion's latest message and a link to reply
    client_task_engage,      // to a client: a task (documents to complete) on its page here, by Engage
    client_task_client_connect, // to a client: a task waits in the agency's ClientConnect portal
};

inline constexpr MessageKind kAllMessageKinds[] = {
    MessageKind::booking_notice,      MessageKind::reschedule_notice,     MessageKind::confirmation,
    MessageKind::confirmation_with_link, MessageKind::worker_reminder,    MessageKind::last_minute_booking,
    MessageKind::no_show,             MessageKind::confirmation_copy,     MessageKind::client_confirmed,
    MessageKind::collaboration_message, MessageKind::client_message,    MessageKind::error_notice_digest,
    MessageKind::verification_code,   MessageKind::trigger_alert,         MessageKind::trigger_notification,
    MessageKind::task_workflow,
    MessageKind::verification_limit_alert,
    MessageKind::client_discussion, MessageKind::client_task_engage, MessageKind::client_task_client_connect,
};

// The one spelling of a kind, everywhere: settings, templates, the API, the outbox's `kind` column,
// metrics and logs ("booking-notice", …).
std::string_view to_string(MessageKind kind);
std::optional<MessageKind> message_kind_from(std::string_view name);
// "a, b, …": every kind's name, for error messages.
std::string message_kind_names();

// A kind name as callers may still write it: the spelling with underscores ("booking_notice") that the
// outbox and the configuration used before this release is read as the one spelling ("booking-notice").
// Accepted on input for one release; answers always use the one spelling.
std::string canonical_kind_name(std::string_view name);

// Kinds rendered from a service event (date, time, worker, site, …).
bool is_service_event_kind(MessageKind kind);

// Kinds sent to clients (the others go to workers, or to the error-notice recipients).
bool to_client(MessageKind kind);

// Kinds that reach a worker as a collaboration message: the worker's channels for its collaboration type
// (the message's own type for collaboration-message, Alert or Notification for an action trigger's).
bool is_collaboration(MessageKind kind);

// Penelope's Event Updates and Event Confirmations to clients: the kinds that get the agency's
// "Automated Event Message Prefix (SMS only)" and "Automated Event Message Footer (Email only)".
bool is_client_event_message(MessageKind kind);

// Kinds whose SMS must fit one part (160 GSM-7 septets or 70 UCS-2 units), as Penelope limits its
// automated event SMS; the collaboration subject and the verification code are short by nature.
// Text that staff write (client messages) and digests may use several parts.
bool fits_one_sms(MessageKind kind);

enum class CollaborationType { conversation, alert, notification, discussion, event_notification, workflow, reminder };

inline constexpr CollaborationType kAllCollaborationTypes[] = {
    CollaborationType::conversation, CollaborationType::alert,    CollaborationType::notification,
    CollaborationType::discussion,   CollaborationType::event_notification,
    CollaborationType::workflow,     CollaborationType::reminder,
};

std::string_view to_string(CollaborationType type);      // "event-notification"
std::string_view display_name(CollaborationType type);   // "Event Notification", as Penelope names it
std::optional<CollaborationType> collaboration_type_from(std::string_view name);

// How much of a collaboration message may leave Penelope (Worker Delivery > Delivery Details).
enum class DetailLevel { subject_and_body, subject_only, disallow };

// The collaboration type whose detail level governs a kind sent to workers: Event Notification for the
// automated notices about events (last-minute booking, no-show, client confirmed, the confirmation's
// copy), Reminder for worker reminders, the message's own type for collaboration messages (none here:
// the caller knows it); nothing for kinds to clients, digests and verification codes.
std::optional<CollaborationType> detail_type_of(MessageKind kind);

std::string_view to_string(DetailLevel level); // "subject-and-body", "subject-only", "disallow"
std::optional<DetailLevel> detail_level_from(std::string_view name);

} // namespace extcomm::rendering
