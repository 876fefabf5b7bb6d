#pragma once
// Document templates as the case-management system defines them: a title, whether clients fill it in
// (client-facing), and its questions. Action triggers attach to a template and may send client-facing
// ones to clients. Invariant: a data-field question is never client-visible (it shows the client's
// record, not an answer the client gives).
#include <common/field_error.hpp>

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace extcomm::triggers {

enum class QuestionType { short_text, long_text, one_choice, several_choices, date, number, yes_no, data_field };
std::string_view to_string(QuestionType type); // "short-text", …, "data-field"

struct Question {
    std::string id;
    std::string label;
    QuestionType type = QuestionType::short_text;
    bool required = false;
    std::string help;
    bool client_visible = false;
    std::vector<std::string> options; // one-choice and several-choices: what may be chosen (required there, only there)
};

struct DocumentTemplate {
    std::string id;
    std::string title;
    bool client_facing = false;
    std::vector<Question> questions;

    const Question* question(std::string_view id) const;
};

// The body of PUT /v1/document-templates/{id}; every refusal names the field ("questions[2].type").
std::variant<DocumentTemplate, FieldError> document_template_from_api(const std::string& id, const boost::json::value& body);
boost::json::object to_json(const DocumentTemplate& tmpl);

} // namespace extcomm::triggers
