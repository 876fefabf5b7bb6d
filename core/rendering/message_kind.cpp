#include <common/enum_names.hpp>
#include <rendering/message_kind.hpp>

#include <algorithm>

namespace extcomm::rendering {
namespace {

constexpr EnumName<MessageKind> kKindNames[] = {
    {MessageKind::booking_notice, "booking-notice"},
    {MessageKind::reschedule_notice, "reschedule-notice"},
    {MessageKind::confirmation, "confirmation"},
    {MessageKind::confirmation_with_link, "confirmation-with-link"},
    {MessageKind::worker_reminder, "worker-reminder"},
    {MessageKind::last_minute_booking, "last-minute-booking"},
    {MessageKind::no_show, "no-show"},
    {MessageKind::confirmation_copy, "confirmation-copy"},
    {MessageKind::client_confirmed, "client-confirmed"},
    {MessageKind::collaboration_message, "collaboration-message"},
    {MessageKind::client_message, "client-message"},
    {MessageKind::error_notice_digest, "error-notice-digest"},
    {MessageKind::verification_code, "verification-code"},
};
static_assert(std::size(kKindNames) == std::size(kAllMessageKinds));

constexpr EnumName<CollaborationType> kTypeNames[] = {
    {CollaborationType::conversation, "conversation"},
    {CollaborationType::alert, "alert"},
    {CollaborationType::notification, "notification"},
    {CollaborationType::discussion, "discussion"},
    {CollaborationType::event_notification, "event-notification"},
    {CollaborationType::workflow, "workflow"},
    {CollaborationType::reminder, "reminder"},
};
static_assert(std::size(kTypeNames) == std::size(kAllCollaborationTypes));

// As Penelope names them on screen.
constexpr EnumName<CollaborationType> kTypeDisplayNames[] = {
    {CollaborationType::conversation, "Conversation"},
    {CollaborationType::alert, "Alert"},
    {CollaborationType::notification, "Notification"},
    {CollaborationType::discussion, "Discussion"},
    {CollaborationType::event_notification, "Event Notification"},
    {CollaborationType::workflow, "Workflow"},
    {CollaborationType::reminder, "Reminder"},
};
static_assert(std::size(kTypeDisplayNames) == std::size(kAllCollaborationTypes));

constexpr EnumName<DetailLevel> kLevelNames[] = {
    {DetailLevel::subject_and_body, "subject-and-body"},
    {DetailLevel::subject_only, "subject-only"},
    {DetailLevel::disallow, "disallow"},
};

} // namespace

std::string_view to_string(MessageKind kind) { return name_in(kKindNames, kind); }
std::optional<MessageKind> message_kind_from(std::string_view name) { return value_in(kKindNames, name); }
std::string message_kind_names() { return names_in(kKindNames); }

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

std::string_view to_string(CollaborationType type) { return name_in(kTypeNames, type); }
std::string_view display_name(CollaborationType type) { return name_in(kTypeDisplayNames, type); }
std::optional<CollaborationType> collaboration_type_from(std::string_view name) { return value_in(kTypeNames, name); }

std::string_view to_string(DetailLevel level) { return name_in(kLevelNames, level); }
std::optional<DetailLevel> detail_level_from(std::string_view name) { return value_in(kLevelNames, name); }

} // namespace extcomm::rendering
