#include <rendering/message_kind.hpp>

namespace extcomm::rendering {

std::string_view to_string(MessageKind kind) {
    switch (kind) {
    case MessageKind::booking_notice: return "booking-notice";
    case MessageKind::reschedule_notice: return "reschedule-notice";
    case MessageKind::confirmation: return "confirmation";
    case MessageKind::confirmation_with_link: return "confirmation-with-link";
    case MessageKind::worker_reminder: return "worker-reminder";
    case MessageKind::last_minute_booking: return "last-minute-booking";
    case MessageKind::no_show: return "no-show";
    case MessageKind::confirmation_copy: return "confirmation-copy";
    case MessageKind::client_confirmed: return "client-confirmed";
    case MessageKind::collaboration_message: return "collaboration-message";
    case MessageKind::client_message: return "client-message";
    case MessageKind::error_notice_digest: return "error-notice-digest";
    case MessageKind::verification_code: return "verification-code";
    }
    return "unknown";
}

std::optional<MessageKind> message_kind_from(std::string_view name) {
    for (MessageKind kind : kAllMessageKinds)
        if (to_string(kind) == name) return kind;
    return std::nullopt;
}

bool is_service_event_kind(MessageKind kind) {
    switch (kind) {
    case MessageKind::booking_notice:
    case MessageKind::reschedule_notice:
    case MessageKind::confirmation:
    case MessageKind::confirmation_with_link:
    case MessageKind::worker_reminder:
    case MessageKind::last_minute_booking:
    case MessageKind::no_show:
    case MessageKind::confirmation_copy:
    case MessageKind::client_confirmed:
        return true;
    default:
        return false;
    }
}

bool is_client_event_message(MessageKind kind) {
    switch (kind) {
    case MessageKind::booking_notice:
    case MessageKind::reschedule_notice:
    case MessageKind::confirmation:
    case MessageKind::confirmation_with_link:
        return true;
    default:
        return false;
    }
}

bool fits_one_sms(MessageKind kind) {
    return is_service_event_kind(kind) || kind == MessageKind::collaboration_message ||
           kind == MessageKind::verification_code;
}

std::string_view to_string(CollaborationType type) {
    switch (type) {
    case CollaborationType::conversation: return "conversation";
    case CollaborationType::alert: return "alert";
    case CollaborationType::notification: return "notification";
    case CollaborationType::discussion: return "discussion";
    case CollaborationType::event_notification: return "event-notification";
    case CollaborationType::workflow: return "workflow";
    case CollaborationType::reminder: return "reminder";
    }
    return "unknown";
}

std::string_view display_name(CollaborationType type) {
    switch (type) {
    case CollaborationType::conversation: return "Conversation";
    case CollaborationType::alert: return "Alert";
    case CollaborationType::notification: return "Notification";
    case CollaborationType::discussion: return "Discussion";
    case CollaborationType::event_notification: return "Event Notification";
    case CollaborationType::workflow: return "Workflow";
    case CollaborationType::reminder: return "Reminder";
    }
    return "Message";
}

std::optional<CollaborationType> collaboration_type_from(std::string_view name) {
    for (CollaborationType type : kAllCollaborationTypes)
        if (to_string(type) == name) return type;
    return std::nullopt;
}

std::string_view to_string(DetailLevel level) {
    switch (level) {
    case DetailLevel::subject_and_body: return "subject-and-body";
    case DetailLevel::subject_only: return "subject-only";
    case DetailLevel::disallow: return "disallow";
    }
    return "unknown";
}

std::optional<DetailLevel> detail_level_from(std::string_view name) {
    for (DetailLevel level : {DetailLevel::subject_and_body, DetailLevel::subject_only, DetailLevel::disallow})
        if (to_string(level) == name) return level;
    return std::nullopt;
}

} // namespace extcomm::rendering
