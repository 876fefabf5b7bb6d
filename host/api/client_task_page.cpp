#include <api/client_task_page.hpp>
#include <api/http_io.hpp>
#include <api/public_page.hpp>

#include <events/confirm_token.hpp>
#include <rendering/local_time.hpp>
#include <rendering/rich_text.hpp>
#include <triggers/tasks.hpp>

#include <Poco/Net/HTMLForm.h>
#include <kainjow/mustache.hpp>

namespace extcomm::host {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;
namespace mustache = kainjow::mustache;
namespace json = boost::json;

// The page's part of the shared shell. {{ }} HTML-escapes; the one raw value, {{{message}}}, is the task's
// rich text reduced to rendering/rich_text.hpp's allow-list and escaped there. Each question has its label
// (a legend for choices), its help and error tied to it by aria-describedby, aria-invalid when wrong.
constexpr const char* kTaskMain = R"({{#message}}<div>{{{message}}}</div>
{{/message}}{{#note}}<p class="note" role="status">{{note}}</p>
{{/note}}{{#checklist}}<h2 id="progress">Your documents: {{done}} of {{total}} submitted</h2>
<ul aria-labelledby="progress">{{#items}}<li>{{title}}: {{#submitted}}submitted{{/submitted}}{{^submitted}}to do{{/submitted}}</li>{{/items}}</ul>
{{/checklist}}{{#documents}}<section aria-labelledby="{{anchor}}">
<h2 id="{{anchor}}">{{title}}</h2>
{{#submitted}}<p>Submitted. Thank you.</p>
{{/submitted}}{{^submitted}}{{#has_errors}}<p class="error" role="alert">Please correct the answers marked below.</p>
{{/has_errors}}<form method="post">
<input type="hidden" name="document" value="{{id}}">
{{#questions}}{{#choices}}<fieldset{{#described}} aria-describedby="{{described}}"{{/described}}>
<legend>{{label}}{{#required}} (required){{/required}}</legend>
{{#help}}<p class="help" id="{{field_id}}-help">{{help}}</p>
{{/help}}{{#error}}<p class="error" id="{{field_id}}-error">{{error}}</p>
{{/error}}{{#options}}<label class="choice" for="{{option_id}}"><input type="{{input_type}}" id="{{option_id}}" name="{{name}}" value="{{value}}"{{#checked}} checked{{/checked}}{{#error}} aria-invalid="true"{{/error}}>{{text}}</label>
{{/options}}</fieldset>
{{/choices}}{{^choices}}<label for="{{field_id}}">{{label}}{{#required}} (required){{/required}}</label>
{{#help}}<p class="help" id="{{field_id}}-help">{{help}}</p>
{{/help}}{{#error}}<p class="error" id="{{field_id}}-error">{{error}}</p>
{{/error}}{{#long}}<textarea id="{{field_id}}" name="{{name}}" rows="5"{{#described}} aria-describedby="{{described}}"{{/described}}{{#required}} aria-required="true"{{/required}}{{#error}} aria-invalid="true"{{/error}}>{{value}}</textarea>
{{/long}}{{^long}}<input type="{{input_type}}"{{#inputmode}} inputmode="{{inputmode}}"{{/inputmode}} id="{{field_id}}" name="{{name}}" value="{{value}}"{{#described}} aria-describedby="{{described}}"{{/described}}{{#required}} aria-required="true"{{/required}}{{#error}} aria-invalid="true"{{/error}}>
{{/long}}{{/choices}}{{/questions}}<button type="submit" name="action" value="save" class="secondary">Save {{title}} and come back later</button>
<button type="submit" name="action" value="submit">Submit {{title}}</button>
</form>
{{/submitted}}</section>
{{/documents}}<p class="note">You can come back to this page until {{expires}}.</p>
)";

constexpr const char* kNotValid = "This link is not valid";
constexpr const char* kNotValidText =
    "Please check that you opened the whole link from your email. If it still does not work, call us.";
constexpr const char* kExpired = "This link has expired";
constexpr const char* kExpiredText = "The time to complete this task has passed. Please call us if you still need to.";
constexpr const char* kCompleted = "This task is complete";
constexpr const char* kCompletedText = "Everything in it was submitted. Thank you. There is nothing more to do here.";

void send_link_problem(HTTPServerResponse& response, triggers::LinkProblem problem) {
    switch (problem) {
    case triggers::LinkProblem::unknown: return send_public_problem(response, 404, kNotValid, kNotValidText);
    case triggers::LinkProblem::expired: return send_public_problem(response, 410, kExpired, kExpiredText);
    case triggers::LinkProblem::completed: return send_public_problem(response, 410, kCompleted, kCompletedText);
    }
}

// A stored answer as the form's values.
std::vector<std::string> form_values(const json::value& answer) {
    std::vector<std::string> out;
    if (answer.is_string()) out.emplace_back(answer.as_string());
    else if (answer.is_bool()) out.emplace_back(answer.as_bool() ? "yes" : "no");
    else if (answer.is_array())
        for (const json::value& v : answer.as_array()) out.emplace_back(v.is_string() ? std::string(v.as_string()) : json::serialize(v));
    else if (!answer.is_null()) out.push_back(json::serialize(answer));
    return out;
}

// What one document's form shows: the values posted (when they came back with errors) or stored.
struct Shown {
    const triggers::FormFields* posted = nullptr;
    const std::map<std::string, std::string>* errors = nullptr;
};

mustache::data choice_options(const triggers::Question& q, const std::string& field_id, const std::vector<std::string>& values) {
    std::vector<std::pair<std::string, std::string>> options; // value, text
    if (q.type == triggers::QuestionType::yes_no) options = {{"yes", "Yes"}, {"no", "No"}};
    else for (const std::string& o : q.options) options.emplace_back(o, o);
    mustache::data list{mustache::data::type::list};
    for (std::size_t i = 0; i < options.size(); ++i) {
        mustache::data o{mustache::data::type::object};
        o.set("option_id", field_id + "-" + std::to_string(i));
        o.set("value", options[i].first);
        o.set("text", options[i].second);
        if (std::find(values.begin(), values.end(), options[i].first) != values.end()) o.set("checked", true);
        list.push_back(o);
    }
    return list;
}

mustache::data question_data(const triggers::Question& q, const std::string& field_id, const std::vector<std::string>& values,
                             const std::string& error) {
    using triggers::QuestionType;
    mustache::data d{mustache::data::type::object};
    d.set("field_id", field_id);
    d.set("name", triggers::answer_field(q));
    d.set("label", q.label);
    if (q.required) d.set("required", true);
    std::string described; // the help, then the error: what a screen reader reads after the label
    if (!q.help.empty()) {
        d.set("help", q.help);
        described = field_id + "-help";
    }
    if (!error.empty()) {
        d.set("error", error);
        described += (described.empty() ? "" : " ") + field_id + "-error";
    }
    if (!described.empty()) d.set("described", described);
    const bool choices = q.type == QuestionType::one_choice || q.type == QuestionType::several_choices || q.type == QuestionType::yes_no;
    if (choices) {
        d.set("choices", true);
        d.set("input_type", std::string(q.type == QuestionType::several_choices ? "checkbox" : "radio"));
        d.set("options", choice_options(q, field_id, values));
        return d;
    }
    d.set("value", values.empty() ? std::string() : values.front());
    if (q.type == QuestionType::long_text) d.set("long", true);
    d.set("input_type", std::string(q.type == QuestionType::date ? "date" : "text"));
    if (q.type == QuestionType::number) d.set("inputmode", std::string("decimal"));
    return d;
}

mustache::data document_data(const triggers::DocumentTemplate& doc, std::size_t index, const triggers::TaskPage& page,
                             const Shown& shown) {
    mustache::data d{mustache::data::type::object};
    const std::string anchor = "doc-" + std::to_string(index + 1);
    d.set("anchor", anchor);
    d.set("id", doc.id);
    d.set("title", doc.title);
    auto stored = page.stored.find(doc.id);
    if (stored != page.stored.end() && stored->second.submitted_at != 0) {
        d.set("submitted", true);
        return d;
    }
    if (shown.errors && !shown.errors->empty()) d.set("has_errors", true);
    mustache::data questions{mustache::data::type::list};
    for (const triggers::Question* q : triggers::client_questions(doc)) {
        std::vector<std::string> values;
        if (shown.posted) {
            for (const auto& [key, value] : *shown.posted)
                if (key == triggers::answer_field(*q)) values.push_back(value);
        } else if (stored != page.stored.end()) {
            if (const json::value* v = stored->second.answers.if_contains(q->id)) values = form_values(*v);
        }
        std::string error;
        if (shown.errors)
            if (auto e = shown.errors->find(q->id); e != shown.errors->end()) error = e->second;
        questions.push_back(question_data(*q, anchor + "-" + q->id, values, error));
    }
    d.set("questions", questions);
    return d;
}

std::string local_date(TimeMs at, const agency::SettingsSnapshot& snapshot) {
    auto local = rendering::local_date_time(at, snapshot.settings.general.time_zone);
    if (auto* t = std::get_if<rendering::LocalDateTime>(&local)) return t->date + " at " + t->time;
    return {};
}

// The page of `page`; the document `posted_to` shows the posted values and `errors` when they came back.
void send_task_page(HTTPServerResponse& response, int status, const triggers::TaskPage& page,
                    const agency::SettingsSnapshot& snapshot, const std::string& note, const std::string& posted_to = "",
                    const triggers::FormFields* posted = nullptr, const std::map<std::string, std::string>* errors = nullptr) {
    mustache::data data{mustache::data::type::object};
    const rendering::RichText message = rendering::rich_text(page.task.message);
    if (!message.html.empty()) data.set("message", message.html);
    if (!note.empty()) data.set("note", note);
    mustache::data documents{mustache::data::type::list}, items{mustache::data::type::list};
    std::size_t done = 0;
    for (std::size_t i = 0; i < page.documents.size(); ++i) {
        const auto& doc = page.documents[i];
        const Shown shown = doc.id == posted_to ? Shown{posted, errors} : Shown{};
        documents.push_back(document_data(doc, i, page, shown));
        auto stored = page.stored.find(doc.id);
        const bool submitted = stored != page.stored.end() && stored->second.submitted_at != 0;
        done += submitted ? 1 : 0;
        mustache::data item{mustache::data::type::object};
        item.set("title", doc.title);
        if (submitted) item.set("submitted", true);
        items.push_back(item);
    }
    data.set("documents", documents);
    if (page.documents.size() > 1) {
        mustache::data checklist{mustache::data::type::object};
        checklist.set("done", std::to_string(done));
        checklist.set("total", std::to_string(page.documents.size()));
        checklist.set("items", items);
        data.set("checklist", checklist);
    }
    data.set("expires", local_date(page.expires_at, snapshot));
    mustache::mustache tmpl{std::string(kTaskMain)}; // render() is not const: one per page (a small parse)
    send_public_page(response, status, page.task.title, tmpl.render(data));
}

void post_answers(ApiContext& context, const std::string& link_id, HTTPServerRequest& request, HTTPServerResponse& response) {
    triggers::FormFields fields;
    std::string document, action;
    try {
        Poco::Net::HTMLForm form;
        form.setFieldLimit(4096); // a document's answers within the 64 KiB cap, several choices each a field
        form.load(request, request.stream());
        for (const auto& [name, value] : form) {
            if (name == "document") document = value;
            else if (name == "action") action = value;
            else fields.emplace_back(name, value);
        }
    } catch (const Poco::Exception&) {
        return send_public_problem(response, 400, "This form could not be read", "Please go back and try again.");
    }
    if (action != "save" && action != "submit")
        return send_public_problem(response, 400, "This form could not be read", "Please use the Save or Submit button.");
    const auto snapshot = context.settings.current();
    const auto use = action == "submit" ? triggers::AnswerUse::submit : triggers::AnswerUse::save;
    auto answered = context.tasks.answer(*snapshot, link_id, document, fields, use);
    if (auto* problem = std::get_if<triggers::LinkProblem>(&answered)) return send_link_problem(response, *problem);
    auto& a = std::get<triggers::Answered>(answered);
    if (a.messages > 0) context.dispatcher.wake();
    if (!a.read.ok()) return send_task_page(response, 422, a.page, *snapshot, "", document, &fields, &a.read.errors);
    if (a.submitted_already) return send_task_page(response, 409, a.page, *snapshot, "This document was submitted already.");
    if (a.page.task.state == triggers::TaskState::completed)
        return send_public_problem(response, 200, "Thank you: everything is submitted", "There is nothing more to do here.");
    send_task_page(response, 200, a.page, *snapshot,
                   use == triggers::AnswerUse::submit ? "Submitted. Thank you." : "Saved. Come back to this link to finish.");
}

void serve_page(ApiContext& context, const std::string& method, const std::string& token, HTTPServerRequest& request,
                HTTPServerResponse& response) {
    if (method != "GET" && method != "POST") {
        response.set("Allow", "GET, POST");
        return send_public_problem(response, 405, "Not available", "Open the link from your email.");
    }
    auto verified = context.confirm_tokens.verify_id(token, events::LinkPurpose::client_task);
    auto* id = std::get_if<events::ConfirmLinkId>(&verified);
    if (!id) {
        if (method == "POST") read_body(request); // within the route's cap; read so the connection stays usable
        return send_link_problem(response, triggers::LinkProblem::unknown);
    }
    if (method == "POST") return post_answers(context, id->id, request, response);
    const auto snapshot = context.settings.current();
    auto page = context.tasks.open_link(*snapshot, id->id);
    if (auto* problem = std::get_if<triggers::LinkProblem>(&page)) return send_link_problem(response, *problem);
    send_task_page(response, 200, std::get<triggers::TaskPage>(page), *snapshot, "");
}

} // namespace

std::string client_task_url(const std::string& base_url, const std::string& token) {
    return public_page_url(base_url, "t", token);
}

bool route_client_task_pages(ApiContext& context, const std::string& method, const std::string& path,
                             HTTPServerRequest& request, HTTPServerResponse& response) {
    // Anything under /t/ is a task page, so a cut or garbled link gets the page that says so.
    if (!path.starts_with("/t/")) return false;
    serve_page(context, method, path.substr(3), request, response);
    return true;
}

} // namespace extcomm::host
