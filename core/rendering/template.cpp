#include <rendering/template.hpp>
#include <rendering/template_text.hpp>
#include <rendering/variables.hpp>

namespace extcomm::rendering {
namespace {

// Only spaces, tabs and line breaks: what the renderer trims to nothing, so a message could never be made
// from it (an email's subject and body, an SMS's text). Refused here, when the template is set, not later
// when a client's reminder goes out.
bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

} // namespace

std::optional<TemplateError> check_template(MessageKind kind, Channel channel, const MessageTemplate& tmpl) {
    if (channel == Channel::sms) {
        if (!tmpl.subject.empty()) return TemplateError{"subject", "an SMS has no subject: leave it empty"};
        if (!tmpl.html_body.empty()) return TemplateError{"html_body", "an SMS has no HTML body: leave it empty"};
        if (blank(tmpl.body)) return TemplateError{"body", "an SMS template needs a body"};
    } else {
        if (blank(tmpl.subject)) return TemplateError{"subject", "an email template needs a subject"};
        if (blank(tmpl.body))
            return TemplateError{"body", "an email template needs a text body (the HTML body is optional)"};
    }
    const VariableCatalogue catalogue = documented_variables(kind, channel);
    for (auto [part, text] : {std::pair<const char*, const std::string*>{"subject", &tmpl.subject},
                              {"body", &tmpl.body},
                              {"html_body", &tmpl.html_body}}) {
        if (text->empty()) continue;
        if (auto reason = check_text(*text, catalogue)) return TemplateError{part, *reason};
    }
    return std::nullopt;
}

} // namespace extcomm::rendering
