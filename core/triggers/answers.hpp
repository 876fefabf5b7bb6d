#pragma once
// A client's answers to one document of their task, as the task's page posts them: each client-visible
// question's value checked by its type, the reason next to each question that is wrong. Pure.
//
// Invariants: only client-visible questions are read (a data-field question never is: document_template.hpp),
// so a form cannot write another question's answer; an answer is stored as JSON by type: text as a string,
// a number as a number, a date as "YYYY-MM-DD", yes/no as true/false, one choice as the option's text,
// several choices as an array of options' texts in the template's order; an empty answer is left out.
// "Required" holds only on submitting: a saved draft may be incomplete, never wrong.
#include <triggers/document_template.hpp>

#include <boost/json.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace extcomm::triggers {

// The form's fields in order, a name repeated for several choices: "a.<question id>" → value.
using FormFields = std::vector<std::pair<std::string, std::string>>;

inline std::string answer_field(const Question& q) { return "a." + q.id; }

struct ReadAnswers {
    boost::json::object answers;               // question id → value, by type
    std::map<std::string, std::string> errors; // question id → what to fix, as the client reads it

    bool ok() const { return errors.empty(); }
};

enum class AnswerUse { save, submit };

ReadAnswers read_answers(const DocumentTemplate& tmpl, const FormFields& form, AnswerUse use);

// The questions a client sees, in the template's order.
std::vector<const Question*> client_questions(const DocumentTemplate& tmpl);
// The pointers point into the template: a temporary one would leave them dangling (found by ASan).
std::vector<const Question*> client_questions(DocumentTemplate&& tmpl) = delete;

} // namespace extcomm::triggers
