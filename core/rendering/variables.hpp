#pragma once
// The documented template variables of each message kind and channel: what a template may use, what
// each one holds, and which ones a channel leaves out on purpose (with the reason a refused template
// is given).
#include <outbox/message.hpp>
#include <rendering/message_kind.hpp>

#include <string_view>
#include <vector>

namespace extcomm::rendering {

struct VariableDoc {
    std::string_view name;
    std::string_view description;
    // For a list (used as {{#name}}…{{/name}}): the variables of each item; empty for plain text.
    std::vector<VariableDoc> item_variables = {};
};

// A variable the kind has but this channel leaves out, and why.
struct WithheldVariable {
    std::string_view name;
    std::string_view reason;
};

struct VariableCatalogue {
    std::vector<VariableDoc> variables;
    std::vector<WithheldVariable> withheld;

    const VariableDoc* find(std::string_view name) const;
    const WithheldVariable* find_withheld(std::string_view name) const;
};

// What a template of `kind` on `channel` may use. Values a privacy switch hides, or that a message
// does not have (no site phone), are simply absent when rendering: `{{#site}} at {{site}}{{/site}}`
// renders nothing then.
VariableCatalogue documented_variables(MessageKind kind, Channel channel);

} // namespace extcomm::rendering
