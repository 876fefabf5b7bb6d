// Fuzzes template rendering (core/rendering): an administrator's template, checked as it is set, then
// rendered for one realistic message of its kind. An input is "<kind> <channel>" on the first line
// ("booking-notice sms"), then for SMS the body; for email the subject on the next line, the text body,
// and after a line "--- html" the HTML body. Invariants: a template that passes the check renders (a
// template cannot fail later, when a client's reminder goes out: template.hpp); an email's subject is one
// line; an SMS's text fits the parts its kind is allowed.
#include "invariant.hpp"

#include <rendering/renderer.hpp>
#include <rendering/template_set.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

using namespace extcomm;
using namespace extcomm::rendering;

namespace {

constexpr TimeMs kTuesdayAfternoon = 1'772'508'600'000; // 2026-03-03T03:30Z, 2:30pm in Sydney

// One realistic value of each kind of facts; a kind is rendered from one of them, and the renderer
// refuses the others naming "facts".
const std::vector<MessageFacts>& every_facts() {
    static const std::vector<MessageFacts> facts{
        ServiceEventFacts{kTuesdayAfternoon, kTuesdayAfternoon - 86'400'000, {"Jane", "Smith"},
                          {"Northside Clinic", "02 9999 0000", "Australia/Sydney"}, "Room 4",
                          "https://pen.example/c/AbCdEfGhIjKlMnOpQrStUvWx"},
        CollaborationFacts{CollaborationType::alert, "Case review", "Please review the case notes."},
        ClientMessageFacts{"Your account", "Your invoice is ready."},
        ErrorDigestFacts{{{"refused for good", "+6141***678", "sms", "400 invalid number", kTuesdayAfternoon, "m1"}}, 2},
        VerificationFacts{"123456", 10},
        TriggerFacts{"Plan overdue", "The <b>plan</b> is overdue.", "Overdue plans", "case c-1"}};
    return facts;
}

std::string_view next_line(std::string_view& text) {
    const auto end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    return line;
}

MessageTemplate template_of(Channel channel, std::string_view text) {
    if (channel == Channel::sms) return {"", std::string(text), ""};
    MessageTemplate tmpl;
    tmpl.subject = next_line(text);
    const auto html = text.find("\n--- html\n");
    tmpl.body = text.substr(0, html);
    if (html != std::string_view::npos) tmpl.html_body = text.substr(html + 10);
    return tmpl;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string_view header = next_line(text);
    const auto space = header.find(' ');
    if (space == std::string_view::npos) return 0;
    const auto kind = message_kind_from(header.substr(0, space));
    const auto channel = channel_from(header.substr(space + 1));
    if (!kind || !channel) return 0;
    TemplateSet templates;
    if (templates.set(*kind, *channel, template_of(*channel, text))) return 0; // refused, with its reason

    RenderSettings settings;
    settings.agency_time_zone = "Australia/Sydney";
    settings.sms_prefix = "Northside:";
    for (const MessageFacts& facts : every_facts()) {
        auto rendered = Renderer(templates).render({*kind, *channel, facts}, settings);
        if (auto* error = std::get_if<RenderError>(&rendered); error && error->field == "facts") continue;
        auto* message = std::get_if<RenderedMessage>(&rendered);
        if (auto* error = std::get_if<RenderError>(&rendered)) // what the check let through, for the report
            std::fprintf(stderr, "render refused %s: %s\n", error->field.c_str(), error->reason.c_str());
        fuzz::require(message != nullptr, "a template that passed the check renders");
        if (*channel == Channel::email)
            fuzz::require(message->subject.find_first_of("\r\n") == std::string::npos, "an email's subject is one line");
        else
            fuzz::require(message->sms && message->sms->segments <= settings.sms_max_parts, "an SMS fits its parts");
        break;
    }
    return 0;
}
