#pragma once
// Message templates: mustache texts checked when they are set, so a template that would fail or print
// nothing where a value was meant is refused with the reason, not discovered when a client's reminder
// goes out.
#include <outbox/message.hpp>
#include <rendering/message_kind.hpp>

#include <optional>
#include <string>

namespace extcomm::rendering {

// One template per (message kind, channel). Email uses all three parts (an empty html_body means a
// text-only email); SMS uses the body only.
struct MessageTemplate {
    std::string subject;
    std::string body;
    std::string html_body;

    bool operator==(const MessageTemplate&) const = default;
};

// Why a template was refused: the part ("subject", "body", "html_body") and a reason that names the
// line, column and variable, and what the template may use instead.
struct TemplateError {
    std::string part;
    std::string reason;
};

// Refuses a template that does not parse, uses a variable `documented_variables(kind, channel)` does
// not list (or one the channel withholds), uses partials or changes delimiters, is not UTF-8, misses a
// part the channel needs or has a part the channel does not send.
std::optional<TemplateError> check_template(MessageKind kind, Channel channel, const MessageTemplate& tmpl);

} // namespace extcomm::rendering
