#include <common/enum_names.hpp>
#include <rendering/message_kind.hpp>

#include <algorithm>

namespace extcomm::rendering {
namespace {

constexpr EnumNames<MessageKind, std::size(kAllMessageKinds)> kKindNames{{
    "booking-notice", "reschedule-notice", "confirmation", "confirmation-with-link", "worker-reminder",
    "last-minute-booking", "no-show", "confirmation-copy", "client-confirmed", "collaboration-message",
    "client-message", "error-notice-digest", "verification-code", "trigger-alert", "trigger-notification",
    "task-workflow",
    "verification-limit-alert",
    "client-discussion", "client-task-engage", "client-task-clientconnect"}};

// What each kind is, in the kinds' order (the invariant of enum_names.hpp): rendered from a service event;
// one of the automated client event messages (prefix and footer); sent to a client; the collaboration
// type whose detail level governs it; sent as a collaboration message. Fields left out are false / none.
struct KindTraits {
    bool service_event = false;
    bool client_event_message = false;
    bool to_client = false;
    std::optional<CollaborationType> detail_type;
    bool collaboration = false;
};

constexpr KindTraits client_event_message() { return {true, true, true, std::nullopt}; }
constexpr KindTraits worker_event_notice(CollaborationType type) { return {true, false, false, type}; }
constexpr KindTraits written(bool to_client) { return {false, false, to_client, std::nullopt}; }
constexpr KindTraits collaboration(std::optional<CollaborationType> type) { return {false, false, false, type, true}; }

constexpr auto kNotice = worker_event_notice(CollaborationType::event_notification);
constexpr std::array<KindTraits, std::size(kAllMessageKinds)> kTraits{
    // booking-notice, reschedule-notice, confirmation, confirmation-with-link
    client_event_message(), client_event_message(), client_event_message(), client_event_message(),
    // worker-reminder; last-minute-booking, no-show, confirmation-copy, client-confirmed
    worker_event_notice(CollaborationType::reminder), kNotice, kNotice, kNotice, kNotice,
    // collaboration-message (its type is in its facts), client-message, error-notice-digest, verification-code
    collaboration(std::nullopt), written(true), written(false), written(false),
    // trigger-alert, trigger-notification
    collaboration(CollaborationType::alert), collaboration(CollaborationType::notification),
    // task-workflow
    collaboration(CollaborationType::workflow),
    // verification-limit-alert
    written(false),
    // client-discussion, client-task-engage, client-task-clientconnect
    written(true), written(true), written(true)};

constexpr const KindTraits& traits_of(MessageKind kind) { return kTraits[static_cast<std::size_t>(kind)]; }

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

bool is_service_event_kind(MessageKind kind) { return traits_of(kind).service_event; }
bool is_client_event_message(MessageKind kind) { return traits_of(kind).client_event_message; }
bool to_client(MessageKind kind) { return traits_of(kind).to_client; }
std::optional<CollaborationType> detail_type_of(MessageKind kind) { return traits_of(kind).detail_type; }
bool is_collaboration(MessageKind kind) { return traits_of(kind).collaboration; }

bool fits_one_sms(MessageKind kind) {
    return is_service_event_kind(kind) || is_collaboration(kind) || kind == MessageKind::verification_code;
}

std::string_view to_string(CollaborationType type) { return kTypeNames(type); }
std::string_view display_name(CollaborationType type) { return kTypeDisplayNames(type); }
std::optional<CollaborationType> collaboration_type_from(std::string_view name) { return kTypeNames.parse(name); }

std::string_view to_string(DetailLevel level) { return kLevelNames(level); }
std::optional<DetailLevel> detail_level_from(std::string_view name) { return kLevelNames.parse(name); }

} // namespace extcomm::rendering
