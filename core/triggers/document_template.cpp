#include <agency/people.hpp>
#include <common/enum_names.hpp>
#include <common/json_reader.hpp>
#include <triggers/document_template.hpp>

#include <algorithm>
#include <set>

namespace extcomm::triggers {
namespace json = boost::json;
namespace {

constexpr EnumNames<QuestionType, 8> kTypeNames{
    {"short-text", "long-text", "one-choice", "several-choices", "date", "number", "yes-no", "data-field"}};

std::optional<FieldError> read_question(const json::value& item, const std::string& path, Question& q) {
    JsonReader r(item, path, "must be an object {id, label, type, required, help, client_visible, options}");
    r.only({"id", "label", "type", "required", "help", "client_visible", "options"});
    if (!r.text("id", q.id) || !agency::is_valid_id(q.id)) r.fail(r.at("id"), "is required: 1 to 64 of A-Z a-z 0-9 . _ -");
    if (!r.text("label", q.label, 500) && r.ok()) r.fail(r.at("label"), "is required");
    if (!r.parsed("type", q.type, [](std::string_view s) { return kTypeNames.parse(s); },
                  "must be one of " + kTypeNames.list()) && r.ok())
        r.fail(r.at("type"), "is required: one of " + kTypeNames.list());
    r.boolean("required", q.required);
    r.text("help", q.help, 2000);
    r.boolean("client_visible", q.client_visible);
    if (r.ok() && q.type == QuestionType::data_field && q.client_visible)
        r.fail(r.at("client_visible"), "must be false: a data-field question is never shown to clients");
    const bool choice = q.type == QuestionType::one_choice || q.type == QuestionType::several_choices;
    r.items("options", "must be an array of the choices' texts", [&](const json::value& o, const std::string& at) {
        if (!o.is_string() || o.as_string().empty() || o.as_string().size() > 500) r.fail(at, "must be a choice's text (1 to 500 characters)");
        else if (std::find(q.options.begin(), q.options.end(), o.as_string()) != q.options.end()) r.fail(at, "is listed twice");
        else q.options.emplace_back(o.as_string());
        return r.ok();
    });
    if (r.ok() && choice && q.options.empty()) r.fail(r.at("options"), "is required for a choice question: what may be chosen");
    if (r.ok() && !choice && !q.options.empty()) r.fail(r.at("options"), "is only for one-choice and several-choices questions");
    return r.error();
}

} // namespace

std::string_view to_string(QuestionType type) { return kTypeNames(type); }

const Question* DocumentTemplate::question(std::string_view qid) const {
    for (const auto& q : questions)
        if (q.id == qid) return &q;
    return nullptr;
}

std::variant<DocumentTemplate, FieldError> document_template_from_api(const std::string& id, const json::value& body) {
    if (!body.is_object()) return FieldError{"body", "must be a JSON object"};
    JsonReader r(body.as_object(), "");
    r.only({"title", "client_facing", "questions"});
    DocumentTemplate t;
    t.id = id;
    if (!r.text("title", t.title, 500) || t.title.empty()) r.fail("title", "is required");
    r.boolean("client_facing", t.client_facing);
    std::set<std::string> ids;
    r.items("questions", "must be an array of questions", [&](const json::value& item, const std::string& path) {
        Question q;
        r.fail(read_question(item, path, q));
        if (r.ok() && !ids.insert(q.id).second) r.fail(path + ".id", "'" + q.id + "' is used by another question");
        t.questions.push_back(std::move(q));
        return r.ok();
    });
    if (!r.ok()) return *r.error();
    return t;
}

json::object to_json(const DocumentTemplate& t) {
    json::array questions;
    for (const auto& q : t.questions) {
        json::array options;
        for (const auto& o : q.options) options.emplace_back(o);
        questions.push_back(json::object{{"id", q.id}, {"label", q.label}, {"type", to_string(q.type)},
                                         {"required", q.required}, {"help", q.help}, {"client_visible", q.client_visible},
                                         {"options", std::move(options)}});
    }
    return {{"title", t.title}, {"client_facing", t.client_facing}, {"questions", std::move(questions)}};
}

} // namespace extcomm::triggers
