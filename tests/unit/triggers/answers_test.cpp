// A client's answers from the task page's form, checked per question type: what is stored for each type,
// what the client is told when an answer is wrong, "required" only on submitting, and questions the client
// does not see (not client-visible, data fields) never read from the form.
#include <triggers/answers.hpp>

#include <gtest/gtest.h>

namespace extcomm::triggers {
namespace {

namespace json = boost::json;

DocumentTemplate form() {
    auto read = document_template_from_api("intake", json::parse(R"({"title": "Intake", "client_facing": true, "questions": [
        {"id": "name", "label": "Name", "type": "short-text", "required": true, "client_visible": true},
        {"id": "story", "label": "Story", "type": "long-text", "client_visible": true},
        {"id": "contact", "label": "Contact", "type": "one-choice", "client_visible": true, "options": ["Email", "Phone"]},
        {"id": "days", "label": "Days", "type": "several-choices", "client_visible": true, "options": ["Mon", "Wed", "Fri"]},
        {"id": "born", "label": "Born", "type": "date", "client_visible": true},
        {"id": "kids", "label": "Children", "type": "number", "client_visible": true},
        {"id": "safe", "label": "Safe?", "type": "yes-no", "required": true, "client_visible": true},
        {"id": "notes", "label": "Staff notes", "type": "long-text"},
        {"id": "medicare", "label": "Medicare", "type": "data-field"}]})"));
    return std::get<DocumentTemplate>(read);
}

TEST(Answers, EachTypeIsStoredAsItsJsonValue) {
    auto read = read_answers(form(), {{"a.name", "  Jo "}, {"a.story", "Long\nstory"}, {"a.contact", "Phone"},
                                      {"a.days", "Fri"}, {"a.days", "Mon"}, {"a.born", "2024-02-29"},
                                      {"a.kids", "2"}, {"a.safe", "no"}},
                             AnswerUse::submit);
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read.answers, json::parse(R"({"name": "Jo", "story": "Long\nstory", "contact": "Phone",
        "days": ["Mon", "Fri"], "born": "2024-02-29", "kids": 2, "safe": false})").as_object());
    EXPECT_EQ(read_answers(form(), {{"a.kids", "3.5"}, {"a.safe", "yes"}}, AnswerUse::save).answers.at("kids"), json::value(3.5));
}

TEST(Answers, AWrongAnswerIsNamedByItsQuestionWithWhatToDo) {
    auto read = read_answers(form(), {{"a.contact", "Fax"}, {"a.days", "Sun"}, {"a.born", "2023-02-29"}, {"a.kids", "two"},
                                      {"a.safe", "maybe"}, {"a.name", std::string(501, 'x')}},
                             AnswerUse::save);
    EXPECT_EQ(read.errors, (std::map<std::string, std::string>{
                               {"contact", "Choose one of the options shown."},
                               {"days", "Choose from the options shown."},
                               {"born", "Enter a date as year-month-day, for example 2026-03-31."},
                               {"kids", "Enter a number, for example 12 or 3.5."},
                               {"safe", "Choose yes or no."},
                               {"name", "Use at most 500 characters."}}));
    EXPECT_EQ(read_answers(form(), {{"a.kids", "1e3"}}, AnswerUse::save).errors.count("kids"), 1u);
    EXPECT_EQ(read_answers(form(), {{"a.contact", "Email"}, {"a.contact", "Phone"}}, AnswerUse::save).errors.at("contact"),
              "Give one answer.");
}

TEST(Answers, RequiredHoldsOnlyOnSubmitting) {
    auto draft = read_answers(form(), {{"a.story", "Later"}}, AnswerUse::save);
    EXPECT_TRUE(draft.ok());
    auto submitted = read_answers(form(), {{"a.story", "Later"}, {"a.name", "   "}}, AnswerUse::submit);
    EXPECT_EQ(submitted.errors, (std::map<std::string, std::string>{{"name", "Please answer this question."},
                                                                     {"safe", "Please answer this question."}}));
}

TEST(Answers, QuestionsTheClientDoesNotSeeAreNeverReadFromTheForm) {
    auto read = read_answers(form(), {{"a.notes", "written by the client"}, {"a.medicare", "1234"}, {"a.name", "Jo"}},
                             AnswerUse::save);
    EXPECT_EQ(read.answers, (json::object{{"name", "Jo"}}));
    std::vector<std::string> shown;
    const DocumentTemplate tmpl = form(); // client_questions points into it: it must outlive the loop
    for (const Question* q : client_questions(tmpl)) shown.push_back(q->id);
    EXPECT_EQ(shown, (std::vector<std::string>{"name", "story", "contact", "days", "born", "kids", "safe"}));
}

TEST(Answers, AChoiceQuestionNeedsItsOptionsAndOnlyItHasThem) {
    auto no_options = document_template_from_api("t", json::parse(R"({"title": "T", "questions": [
        {"id": "q", "label": "Q", "type": "one-choice"}]})"));
    EXPECT_EQ(std::get<FieldError>(no_options).field, "questions[0].options");
    auto stray = document_template_from_api("t", json::parse(R"({"title": "T", "questions": [
        {"id": "q", "label": "Q", "type": "number", "options": ["1"]}]})"));
    EXPECT_EQ(std::get<FieldError>(stray).field, "questions[0].options");
}

} // namespace
} // namespace extcomm::triggers
