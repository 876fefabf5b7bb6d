#pragma once
// The agency's templates: one per (message kind, channel), the defaults until an administrator sets one.
#include <outbox/message.hpp>
#include <rendering/message_kind.hpp>
#include <rendering/template.hpp>

#include <map>
#include <optional>
#include <utility>

namespace extcomm::rendering {

class TemplateSet {
public:
    // Replaces the template of (kind, channel) if it passes check_template; otherwise keeps the one in
    // use and returns why.
    std::optional<TemplateError> set(MessageKind kind, Channel channel, MessageTemplate tmpl);

    // Back to the default text.
    void reset(MessageKind kind, Channel channel);

    // The template in use: the agency's, else the default.
    const MessageTemplate& get(MessageKind kind, Channel channel) const;

    bool is_default(MessageKind kind, Channel channel) const;

private:
    std::map<std::pair<MessageKind, Channel>, MessageTemplate> custom_;
};

} // namespace extcomm::rendering
