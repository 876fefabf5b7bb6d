#include <common/enum_names.hpp>
#include <rendering/message_kind.hpp>

#include <algorithm>

namespace extcomm::rendering {
namespace {

constexpr EnumNames<MessageKind, std::size(kAllMessageKinds)> kKindNames{{
    "booking-notice", "reschedule-notice", "confirmation", "confirmation-with-link", "worker-reminder",
    "last-minute-booking", "no-show", "confirmation-copy", "client-confirmed", "collaboration-message",
    "client-message", "error-notice-digest", "verification-code"}};

constexpr EnumNames<CollaborationType, std::size(kAllCollaborationTypes)> kTypeNames{
    {"conversation", "alert", "notification", "discussion", "event-notification", "workflow", "reminder"}};
// As Penelope names them on screen.
constexpr EnumNames<CollaborationType, std::size(kAllCollaborationTypes)> kTypeDisplayNames{
    {"Conversation", "Alert", "Notification", "Discussion", "Event Notification", "Workflow", "Reminder"}};

constexpr EnumNames<DetailLevel, 3> kLevelNames{{"subject-and-body", "subject-only", "disallow"}};

} // namespace

std::string_view to_string(MessageKind kind) { return kKindNames(kind); }
std::optional<MessageKind> message_kind_from(std::string_view name) { return kKindNames.parse(name); }
std::string message_kind_names() { return kKindNames.list(); }

std::string canonical_kind_name(std::string_view name) {
    std::string out(name);
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
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
    case MessageKind::collaboration_message:
    case MessageKind::client_message:
    case MessageKind::error_notice_digest:
    case MessageKind::verification_code:
        return false;
    }
    return false;
}

bool is_client_event_message(MessageKind kind) {
    switch (kind) {
    case MessageKind::booking_notice:
    case MessageKind::reschedule_notice:
    case MessageKind::confirmation:
    case MessageKind::confirmation_with_link:
        return true;
    case MessageKind::worker_reminder:
    case MessageKind::last_minute_booking:
    case MessageKind::no_show:
    case MessageKind::confirmation_copy:
    case MessageKind::client_confirmed:
    case MessageKind::collaboration_message:
    case MessageKind::client_message:
    case MessageKind::error_notice_digest:
    case MessageKind::verification_code:
        return false;
    }
    return false;
}

bool fits_one_sms(MessageKind kind) {
    return is_service_event_kind(kind) || kind == MessageKind::collaboration_message ||
           kind == MessageKind::verification_code;
}

std::optional<CollaborationType> detail_type_of(MessageKind kind) {
    switch (kind) {
    case MessageKind::worker_reminder: return CollaborationType::reminder;
    case MessageKind::last_minute_booking:
    case MessageKind::no_show:
    case MessageKind::client_confirmed:
    case MessageKind::confirmation_copy: return CollaborationType::event_notification;
    case MessageKind::booking_notice:
    case MessageKind::reschedule_notice:
    case MessageKind::confirmation:
    case MessageKind::confirmation_with_link:
    case MessageKind::collaboration_message:
    case MessageKind::client_message:
    case MessageKind::error_notice_digest:
    case MessageKind::verification_code: return std::nullopt;
    }
    return std::nullopt;
}

std::string_view to_string(CollaborationType type) { return kTypeNames(type); }
std::string_view display_name(CollaborationType type) { return kTypeDisplayNames(type); }
std::optional<CollaborationType> collaboration_type_from(std::string_view name) { return kTypeNames.parse(name); }

std::string_view to_string(DetailLevel level) { return kLevelNames(level); }
std::optional<DetailLevel> detail_level_from(std::string_view name) { return kLevelNames.parse(name); }

} // namespace extcomm::rendering
