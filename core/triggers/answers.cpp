#include <triggers/answers.hpp>

#include <common/iso_date.hpp>

#include <algorithm>
#include <charconv>

namespace extcomm::triggers {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxShortText = 500, kMaxLongText = 10'000;

std::vector<std::string> values_of(const FormFields& form, const std::string& name) {
    std::vector<std::string> out;
    for (const auto& [key, value] : form)
        if (key == name) out.push_back(value);
    return out;
}

std::string trimmed(std::string s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// A number as a person writes it ("12", "-3.5"); nothing else (no exponents, no "1,000").
std::optional<json::value> number_of(const std::string& text) {
    std::int64_t whole = 0;
    if (auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), whole);
        ec == std::errc() && end == text.data() + text.size())
        return json::value(whole);
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == '-'; });
    double real = 0;
    if (auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), real);
        plain && ec == std::errc() && end == text.data() + text.size())
        return json::value(real);
    return std::nullopt;
}

bool is_option(const Question& q, const std::string& value) {
    return std::find(q.options.begin(), q.options.end(), value) != q.options.end();
}

// The answer to `q` from its values, or the reason it is wrong; null when unanswered.
std::variant<json::value, std::string> answer_of(const Question& q, std::vector<std::string> values) {
    if (q.type == QuestionType::several_choices) {
        json::array chosen;
        for (const std::string& option : q.options) // the template's order, each once
            if (std::find(values.begin(), values.end(), option) != values.end()) chosen.emplace_back(option);
        for (const std::string& v : values)
            if (!is_option(q, v)) return std::string("Choose from the options shown.");
        return chosen.empty() ? json::value(nullptr) : json::value(std::move(chosen));
    }
    if (values.size() > 1) return std::string("Give one answer.");
    const std::string text = values.empty() ? std::string() : trimmed(values.front());
    if (text.empty()) return json::value(nullptr);
    switch (q.type) {
    case QuestionType::short_text:
        if (text.size() > kMaxShortText) return "Use at most " + std::to_string(kMaxShortText) + " characters.";
        return json::value(text);
    case QuestionType::long_text:
        if (text.size() > kMaxLongText) return "Use at most " + std::to_string(kMaxLongText) + " characters.";
        return json::value(text);
    case QuestionType::one_choice:
        if (!is_option(q, text)) return std::string("Choose one of the options shown.");
        return json::value(text);
    case QuestionType::date:
        if (!is_iso_date(text)) return std::string("Enter a date as year-month-day, for example 2026-03-31.");
        return json::value(text);
    case QuestionType::number:
        if (auto n = number_of(text)) return *n;
        return std::string("Enter a number, for example 12 or 3.5.");
    case QuestionType::yes_no:
        if (text != "yes" && text != "no") return std::string("Choose yes or no.");
        return json::value(text == "yes");
    case QuestionType::several_choices: // read above
    case QuestionType::data_field:      // never client-visible
        break;
    }
    return json::value(nullptr);
}

} // namespace

std::vector<const Question*> client_questions(const DocumentTemplate& tmpl) {
    std::vector<const Question*> out;
    for (const Question& q : tmpl.questions)
        if (q.client_visible && q.type != QuestionType::data_field) out.push_back(&q);
    return out;
}

ReadAnswers read_answers(const DocumentTemplate& tmpl, const FormFields& form, AnswerUse use) {
    ReadAnswers out;
    for (const Question* q : client_questions(tmpl)) {
        auto answer = answer_of(*q, values_of(form, answer_field(*q)));
        if (auto* wrong = std::get_if<std::string>(&answer)) out.errors[q->id] = *wrong;
        else if (!std::get<json::value>(answer).is_null()) out.answers[q->id] = std::get<json::value>(answer);
        else if (q->required && use == AnswerUse::submit) out.errors[q->id] = "Please answer this question.";
    }
    return out;
}

} // namespace extcomm::triggers
