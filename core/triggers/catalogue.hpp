#pragma once
// The catalogue of action triggers: what can set a rule off, in two families (system action triggers by
// rule category; document-template action triggers attached to one template), each trigger's defining
// parameters, the worker recipients it offers besides a worker category, and the client a workflow task
// can be assigned to. One table (catalogue.cpp) answers every question about a trigger; a trigger missing
// from it does not compile (the table is sized by kAllTriggers).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extcomm::triggers {

enum class Trigger {
    case_created,
    service_file_created,
    participant_turns_age,   // time-based: its crossings are rows the scheduler fires (time_rules.hpp)
    service_event_booked,
    service_event_cancelled,
    service_event_no_show,
    profile_created,
    document_created,
    document_completed,
    document_locked,
    answer_meets_condition,
    document_not_completed,  // time-based: its crossings are rows the scheduler fires (time_rules.hpp)
};

inline constexpr Trigger kAllTriggers[] = {
    Trigger::case_created,          Trigger::service_file_created,   Trigger::participant_turns_age,
    Trigger::service_event_booked,  Trigger::service_event_cancelled, Trigger::service_event_no_show,
    Trigger::profile_created,       Trigger::document_created,       Trigger::document_completed,
    Trigger::document_locked,       Trigger::answer_meets_condition, Trigger::document_not_completed,
};

std::string_view to_string(Trigger trigger); // "case-created", …
std::optional<Trigger> trigger_from(std::string_view name);
std::string trigger_names();

enum class RuleCategory { case_file, service_file, service_event, individual, document_template };
std::string_view to_string(RuleCategory category); // "case", "service-file", "service-event", "individual", "document-template"

// A defining parameter a trigger needs.
enum class Parameter { age, question, comparison, value, days };
std::string_view to_string(Parameter parameter);

// Worker recipients a trigger offers besides a worker category: the record's primary worker, all its
// workers, or its workers with a given role.
enum class OtherRecipient { primary_worker, all_workers, role };
inline constexpr OtherRecipient kAllOtherRecipients[] = {OtherRecipient::primary_worker, OtherRecipient::all_workers,
                                                         OtherRecipient::role};
std::string_view to_string(OtherRecipient recipient);
std::optional<OtherRecipient> other_recipient_from(std::string_view name);

// The client a workflow task may be assigned to ("assigned to client (if possible)"); none: the trigger
// cannot assign to a client.
enum class AssignableClient { none, primary_member, that_participant, primary_client, that_individual, completed_for };
std::string_view to_string(AssignableClient client);

struct TriggerInfo {
    RuleCategory category;
    std::string_view description;          // "case file is created"
    std::vector<Parameter> parameters;
    std::vector<OtherRecipient> other_recipients;
    AssignableClient client = AssignableClient::none;
    bool time_based = false;
};

const TriggerInfo& info(Trigger trigger);
// Document-template action triggers are attached to one template; the others are system action triggers.
bool attached_to_template(Trigger trigger);

} // namespace extcomm::triggers
