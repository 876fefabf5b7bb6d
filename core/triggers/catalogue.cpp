#include <common/enum_names.hpp>
#include <triggers/catalogue.hpp>

#include <array>

namespace extcomm::triggers {
namespace {

constexpr EnumNames<Trigger, std::size(kAllTriggers)> kTriggerNames{{
    "case-created", "service-file-created", "participant-turns-age", "service-event-booked",
    "service-event-cancelled", "service-event-no-show", "profile-created", "document-created",
    "document-completed", "document-locked", "answer-meets-condition", "document-not-completed"}};
constexpr EnumNames<RuleCategory, 5> kCategoryNames{
    {"case", "service-file", "service-event", "individual", "document-template"}};
constexpr EnumNames<Parameter, 5> kParameterNames{{"age", "question", "comparison", "value", "days"}};
constexpr EnumNames<OtherRecipient, std::size(kAllOtherRecipients)> kOtherNames{{"primary-worker", "all-workers", "role"}};
constexpr EnumNames<AssignableClient, 6> kClientNames{
    {"none", "primary-member", "that-participant", "primary-client", "that-individual", "completed-for"}};

using enum OtherRecipient;
const std::vector<OtherRecipient> kRecordWorkers{primary_worker, all_workers, role};

// In the triggers' order (the invariant of enum_names.hpp).
const std::array<TriggerInfo, std::size(kAllTriggers)>& table() {
    static const std::array<TriggerInfo, std::size(kAllTriggers)> rows{{
        {RuleCategory::case_file, "case file is created", {}, kRecordWorkers, AssignableClient::primary_member},
        {RuleCategory::service_file, "service file is created", {}, kRecordWorkers, AssignableClient::primary_member},
        {RuleCategory::service_file, "service file participant turns a defined age", {Parameter::age}, kRecordWorkers,
         AssignableClient::that_participant, true},
        {RuleCategory::service_event, "service event is booked", {}, {primary_worker, all_workers},
         AssignableClient::primary_client},
        {RuleCategory::service_event, "service event is cancelled", {}, {primary_worker, all_workers},
         AssignableClient::primary_client},
        {RuleCategory::service_event, "service event is marked no-show", {}, {primary_worker, all_workers},
         AssignableClient::primary_client},
        {RuleCategory::individual, "individual profile is created", {}, {}, AssignableClient::that_individual},
        {RuleCategory::document_template, "document is created", {}, kRecordWorkers, AssignableClient::completed_for},
        {RuleCategory::document_template, "document is completed", {}, kRecordWorkers, AssignableClient::completed_for},
        {RuleCategory::document_template, "document is locked", {}, kRecordWorkers, AssignableClient::completed_for},
        {RuleCategory::document_template, "an answer meets a condition",
         {Parameter::question, Parameter::comparison, Parameter::value}, kRecordWorkers, AssignableClient::completed_for},
        {RuleCategory::document_template, "document is not completed N days after it was created", {Parameter::days},
         kRecordWorkers, AssignableClient::completed_for, true},
    }};
    return rows;
}

} // namespace

std::string_view to_string(Trigger trigger) { return kTriggerNames(trigger); }
std::optional<Trigger> trigger_from(std::string_view name) { return kTriggerNames.parse(name); }
std::string trigger_names() { return kTriggerNames.list(); }
std::string_view to_string(RuleCategory category) { return kCategoryNames(category); }
std::string_view to_string(Parameter parameter) { return kParameterNames(parameter); }
std::string_view to_string(OtherRecipient recipient) { return kOtherNames(recipient); }
std::optional<OtherRecipient> other_recipient_from(std::string_view name) { return kOtherNames.parse(name); }
std::string_view to_string(AssignableClient client) { return kClientNames(client); }

const TriggerInfo& info(Trigger trigger) { return table()[static_cast<std::size_t>(trigger)]; }
bool attached_to_template(Trigger trigger) { return info(trigger).category == RuleCategory::document_template; }

} // namespace extcomm::triggers
