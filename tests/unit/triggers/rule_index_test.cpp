// The rule index (pure): rules with an `equals` criterion on a text value are grouped by field and value,
// a change selects the rules of its own value and every rule without such a criterion, in id order, and
// the rules of the other values are counted as skipped per field.
#include <triggers/rule_index.hpp>

#include <gtest/gtest.h>

namespace extcomm::triggers {
namespace {

namespace json = boost::json;

Rule with(const std::string& id, std::vector<Criterion> criteria) {
    Rule r;
    r.id = id;
    r.criteria = std::move(criteria);
    return r;
}
Criterion equals(const std::string& field, json::value value) { return {field, Comparison::equals, std::move(value)}; }

class RuleIndexTest : public ::testing::Test {
protected:
    EnabledRules enabled = index_rules({
        with("at-1", {equals("agency_fields.team", "red")}),
        with("at-2", {equals("agency_fields.team", "blue")}),
        with("at-3", {}),                                                         // no criteria
        with("at-4", {equals("agency_fields.team", 7)}),                          // a number: not indexed
        with("at-5", {{"fields.status", Comparison::not_equals, "closed"}, equals("agency_fields.team", "red")}),
        with("at-6", {equals("fields.status", "open")}),
    });
    std::vector<std::string> candidates(const json::object& facts) {
        std::vector<std::string> out;
        for (std::size_t i : select_rules(enabled, facts).candidates) out.push_back(enabled.rules[i].id);
        return out;
    }
};

TEST_F(RuleIndexTest, ChangeEvaluatesOnlyTheRulesOfItsValueAndThoseNotIndexed) {
    const json::object facts{{"agency_fields", {{"team", "red"}}}, {"fields", {{"status", "open"}}}};
    EXPECT_EQ(candidates(facts), (std::vector<std::string>{"at-1", "at-3", "at-4", "at-5", "at-6"}));
    const Selection s = select_rules(enabled, facts);
    ASSERT_EQ(s.skipped.size(), 1u); // blue's rule; status "open" selects all of its field
    EXPECT_EQ(s.skipped[0].field->field, "agency_fields.team");
    EXPECT_EQ(s.skipped[0].count, 1u);
    EXPECT_EQ(s.skipped[0].actual->as_string(), "red");
}

TEST_F(RuleIndexTest, AMissingOrNonTextValueSkipsEveryIndexedRuleOfThatField) {
    const json::object facts{{"agency_fields", {{"team", 7}}}};
    EXPECT_EQ(candidates(facts), (std::vector<std::string>{"at-3", "at-4"}));
    const Selection s = select_rules(enabled, facts);
    ASSERT_EQ(s.skipped.size(), 2u);
    EXPECT_EQ(s.skipped[0].count + s.skipped[1].count, 4u); // red, blue, red (at-5), open
    EXPECT_EQ(s.skipped[1].actual, nullptr);               // fields.status is missing
}

TEST_F(RuleIndexTest, EveryRuleIsInOneGroupOrUnindexed) {
    std::size_t grouped = 0;
    for (const auto& field : enabled.indexed) grouped += field.count;
    EXPECT_EQ(grouped + enabled.unindexed.size(), enabled.rules.size());
    EXPECT_EQ(enabled.indexed.size(), 2u);
}

} // namespace
} // namespace extcomm::triggers
