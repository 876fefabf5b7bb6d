// Criteria compare a record's fields typed by their JSON value; a record's change says what happened.
#include <triggers/criteria.hpp>
#include <triggers/record.hpp>

#include <gtest/gtest.h>

namespace extcomm::triggers {
namespace {

namespace json = boost::json;

TEST(Criteria, ComparisonsAreTypedByTheFieldsValue) {
    const json::value n = 5, date = "2026-09-20", text = "open";
    EXPECT_TRUE(holds(Comparison::equals, &n, json::value(5.0)));
    EXPECT_FALSE(holds(Comparison::equals, &text, json::value(5)));
    EXPECT_TRUE(holds(Comparison::greater_than, &n, json::value(4)));
    EXPECT_TRUE(holds(Comparison::less_than, &date, json::value("2026-10-01")));
    EXPECT_FALSE(holds(Comparison::greater_than, &date, json::value("2026-10-01")));
    EXPECT_FALSE(holds(Comparison::greater_than, &text, json::value(1))); // neither a number nor a date
    EXPECT_TRUE(holds(Comparison::one_of, &text, json::array{"open", "closed"}));
    EXPECT_TRUE(holds(Comparison::not_equals, nullptr, json::value("open"))); // missing is not "open"
}

TEST(Criteria, EmptyIsMissingNullOrTheEmptyString) {
    const json::value null = nullptr, blank = "", zero = 0;
    EXPECT_TRUE(holds(Comparison::empty, nullptr, nullptr));
    EXPECT_TRUE(holds(Comparison::empty, &null, nullptr));
    EXPECT_TRUE(holds(Comparison::empty, &blank, nullptr));
    EXPECT_TRUE(holds(Comparison::not_empty, &zero, nullptr));
}

TEST(Criteria, AFieldIsFoundByItsPath) {
    const json::object facts{{"fields", {{"status", "open"}}}, {"agency_fields", {{"risk", "high"}}}};
    ASSERT_TRUE(value_at(facts, "agency_fields.risk"));
    EXPECT_EQ(*value_at(facts, "agency_fields.risk"), "high");
    EXPECT_EQ(value_at(facts, "fields.nothing"), nullptr);
    EXPECT_EQ(value_at(facts, "answers.q1"), nullptr);
}

TEST(Criteria, ACriterionIsRefusedNamingTheField) {
    auto bad = criterion_from_api(json::parse(R"({"field": "fields.opened", "comparison": "less-than", "value": "soon"})"),
                                  "criteria[1]", false);
    ASSERT_TRUE(std::holds_alternative<FieldError>(bad));
    EXPECT_EQ(std::get<FieldError>(bad).field, "criteria[1].value");
    auto answers = criterion_from_api(json::parse(R"({"field": "answers.q1", "comparison": "empty"})"), "criteria[0]", false);
    EXPECT_EQ(std::get<FieldError>(answers).field, "criteria[0].field");
}

TEST(RecordChange, ARecordSaysWhatChanged) {
    Record before;
    before.kind = RecordKind::document;
    before.fields = {{"title", "Intake"}};
    Record after = before;
    EXPECT_TRUE(what_changed(std::nullopt, after).created);
    EXPECT_TRUE(what_changed(before, after).nothing());
    after.state = DocumentState::completed;
    after.agency_fields = {{"risk", "high"}};
    const RecordChange change = what_changed(before, after);
    EXPECT_TRUE(change.state_changed);
    EXPECT_EQ(change.state_before, DocumentState::in_progress);
    EXPECT_EQ(change.fields_changed, std::vector<std::string>{"agency_fields.risk"});
}

} // namespace
} // namespace extcomm::triggers
