#include <rendering/default_templates.hpp>
#include <rendering/template_set.hpp>

namespace extcomm::rendering {

namespace {

// Built once: every default, so get() can hand out a reference.
const std::map<std::pair<MessageKind, Channel>, MessageTemplate>& defaults() {
    static const auto all = [] {
        std::map<std::pair<MessageKind, Channel>, MessageTemplate> m;
        for (MessageKind kind : kAllMessageKinds)
            for (Channel channel : {Channel::email, Channel::sms}) m[{kind, channel}] = default_template(kind, channel);
        return m;
    }();
    return all;
}

} // namespace

std::optional<TemplateError> TemplateSet::set(MessageKind kind, Channel channel, MessageTemplate tmpl) {
    if (auto error = check_template(kind, channel, tmpl)) return error;
    custom_[{kind, channel}] = std::move(tmpl);
    return std::nullopt;
}

void TemplateSet::reset(MessageKind kind, Channel channel) { custom_.erase({kind, channel}); }

const MessageTemplate& TemplateSet::get(MessageKind kind, Channel channel) const {
    if (auto it = custom_.find({kind, channel}); it != custom_.end()) return it->second;
    return defaults().at({kind, channel});
}

bool TemplateSet::is_default(MessageKind kind, Channel channel) const { return !custom_.count({kind, channel}); }

} // namespace extcomm::rendering
