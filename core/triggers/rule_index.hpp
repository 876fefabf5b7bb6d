#pragma once
// The enabled rules of one trigger, indexed so a change evaluates only the rules that can fire.
//
// A rule with an `equals` criterion on a text value (the common "team is X", "status is Y") cannot fire
// unless the record's field is exactly that text: such rules are grouped by (field, value), and a change
// looks up its own value. The rules of the other values are known not to hold without evaluating them;
// the firing log keeps them as one compact entry per field (firing_log.hpp). Rules with no such criterion
// are always evaluated. Text only: text equality is string equality, whereas numbers compare by value
// (1 equals 1.0) and would need a normal form.
//
// Invariants: every rule is either in `unindexed` or in exactly one group; indexes refer to `rules`, which
// is in id order, and select() returns candidates in that order, so the log's order does not depend on
// the index. Pure.
#include <triggers/rule.hpp>

#include <boost/json.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace extcomm::triggers {

struct EnabledRules {
    struct Field {
        std::string field;                                        // "agency_fields.team"
        std::map<std::string, std::vector<std::size_t>> by_value; // "team-7" -> rules
        std::size_t count = 0;                                    // rules in by_value
    };
    std::vector<Rule> rules;           // by id
    std::vector<std::size_t> unindexed; // rules with no equals-on-text criterion
    std::vector<Field> indexed;
};

// Builds the index of `rules` (kept in the given order).
EnabledRules index_rules(std::vector<Rule> rules);

// What a change's facts select.
struct Selection {
    struct Skipped {
        const EnabledRules::Field* field;
        const boost::json::value* actual;   // the record's value; nullptr when missing
        std::size_t count = 0;              // rules skipped
    };
    std::vector<std::size_t> candidates; // to evaluate, in id order
    std::vector<Skipped> skipped;        // per field with rules whose value is not the record's
};
Selection select_rules(const EnabledRules& enabled, const boost::json::object& facts);

} // namespace extcomm::triggers
