#pragma once
// An action trigger rule as the administrator defines it: the trigger (fixed once created; a
// document-template trigger also names its template), a name, the trigger's defining parameters, the
// action (Alert, Notification or Workflow), who receives it, optional criteria, and whether it is enabled.
//
// rule_from_api checks everything that needs no store (each refusal names the field); rule_store.hpp
// checks the rest against what is stored (categories with members, templates, questions).
#include <triggers/catalogue.hpp>
#include <triggers/criteria.hpp>

#include <common/field_error.hpp>
#include <common/json_reader.hpp>

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace extcomm::triggers {

enum class ActionType { alert, notification, workflow };
std::string_view to_string(ActionType type);

// Approval, Project and Review workflows are refused as not supported.
enum class WorkflowType { general, check_list, new_document };
std::string_view to_string(WorkflowType type);
// Reads the member "workflow_type" (required), refusing the unsupported ones by name.
bool read_workflow_type(JsonReader& r, WorkflowType& out);

struct ChecklistItem {
    std::string document_template;
    int due_days = 0; // must equal the action's: documents due apart cannot all be completed
};

struct Action {
    ActionType type = ActionType::alert;
    WorkflowType workflow = WorkflowType::general; // workflows only
    std::string title;                             // the subject; sent to the client as the email subject
    std::string message;                           // rich text, optional
    int due_days = 0;                              // workflows: the task is due N days after firing
    std::vector<std::string> templates;            // new-document workflows: the document(s) to send
    std::vector<ChecklistItem> checklist;          // check-list workflows
    bool assign_to_client = false;                 // "assigned to client (if possible)": where the catalogue allows
};

// A worker category, or one of the other recipients the trigger offers (exactly one of the two).
struct Recipients {
    std::string category;
    std::optional<OtherRecipient> other;
    std::string role; // other == role: the record's workers with this role
};

// Defining parameters; which are set depends on the trigger (catalogue.hpp).
struct Parameters {
    int age = 0;                                  // participant-turns-age
    int days = 0;                                 // document-not-completed
    std::string question;                         // answer-meets-condition
    Comparison comparison = Comparison::equals;   // answer-meets-condition
    boost::json::value value;                     // answer-meets-condition
};

struct Rule {
    std::string id; // server-assigned ("at-12")
    std::string name;
    Trigger trigger = Trigger::case_created;
    std::string document_template; // document-template triggers: the template the rule is attached to
    Parameters parameters;
    Action action;
    Recipients recipients;
    std::vector<Criterion> criteria;
    bool enabled = true;
};

// The body of POST /v1/action-triggers or PUT /v1/action-triggers/{id} (id is set by the caller).
std::variant<Rule, FieldError> rule_from_api(const boost::json::value& body);
boost::json::object to_json(const Rule& rule); // the API's form, with id

} // namespace extcomm::triggers
