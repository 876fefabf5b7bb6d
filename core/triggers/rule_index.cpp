#include <triggers/criteria.hpp>
#include <triggers/rule_index.hpp>

#include <algorithm>

namespace extcomm::triggers {
namespace json = boost::json;
namespace {

const Criterion* indexable(const Rule& rule) {
    for (const Criterion& c : rule.criteria)
        if (c.comparison == Comparison::equals && c.value.is_string()) return &c;
    return nullptr;
}

} // namespace

EnabledRules index_rules(std::vector<Rule> rules) {
    EnabledRules out;
    out.rules = std::move(rules);
    for (std::size_t i = 0; i < out.rules.size(); ++i) {
        const Criterion* c = indexable(out.rules[i]);
        if (!c) {
            out.unindexed.push_back(i);
            continue;
        }
        auto field = std::find_if(out.indexed.begin(), out.indexed.end(), [&](const auto& f) { return f.field == c->field; });
        if (field == out.indexed.end()) field = out.indexed.insert(out.indexed.end(), EnabledRules::Field{c->field, {}});
        field->by_value[std::string(c->value.as_string())].push_back(i);
        ++field->count;
    }
    return out;
}

Selection select_rules(const EnabledRules& enabled, const json::object& facts) {
    Selection out;
    out.candidates = enabled.unindexed;
    for (const EnabledRules::Field& field : enabled.indexed) {
        const json::value* actual = value_at(facts, field.field);
        const std::vector<std::size_t>* matching = nullptr;
        if (actual && actual->is_string())
            if (auto it = field.by_value.find(std::string(actual->as_string())); it != field.by_value.end()) matching = &it->second;
        if (matching) out.candidates.insert(out.candidates.end(), matching->begin(), matching->end());
        const std::size_t skipped = field.count - (matching ? matching->size() : 0);
        if (skipped > 0) out.skipped.push_back({&field, actual, skipped});
    }
    std::sort(out.candidates.begin(), out.candidates.end());
    return out;
}

} // namespace extcomm::triggers
