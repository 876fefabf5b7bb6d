// When time-based rules' crossings fall (pure): a birthday at the start of that day on the agency's
// clock, 29 February on 28 February in other years, a document N days after its creation.
#include <triggers/crossings.hpp>

#include <gtest/gtest.h>

namespace extcomm::triggers {
namespace {

constexpr TimeMs kHour = 3'600'000;
constexpr TimeMs kDay = 24 * kHour;
// 2026-09-25 00:00 in Sydney (AEST, +10) is 2026-09-24 14:00 UTC.
constexpr TimeMs kSydney25Sep2026 = 1'790'258'400'000;

TEST(Crossings, ABirthdayStartsAtMidnightOnTheAgencysClock) {
    EXPECT_EQ(birthday_at("2008-09-25", 18, "Australia/Sydney"), kSydney25Sep2026);
    EXPECT_EQ(birthday_at("2008-09-25", 18, "UTC"), kSydney25Sep2026 + 10 * kHour);
    EXPECT_EQ(birthday_at("2008-09-25", 18, "Nowhere/Unknown"), kSydney25Sep2026 + 10 * kHour); // unknown: UTC
    EXPECT_EQ(birthday_at("not a date", 18, "UTC"), std::nullopt);
}

TEST(Crossings, TwentyNinthOfFebruaryFallsOnTheTwentyEighthInOtherYears) {
    const TimeMs feb28_2027 = *birthday_at("2009-02-28", 18, "UTC");
    EXPECT_EQ(birthday_at("2008-02-29", 19, "UTC"), feb28_2027);       // 2027: not a leap year
    EXPECT_EQ(birthday_at("2008-02-29", 20, "UTC"), feb28_2027 + 366 * kDay); // 2028-02-29
    EXPECT_EQ(birthday_at("2000-02-29", 100, "UTC"), birthday_at("2000-02-28", 100, "UTC")); // 2100 is not leap
}

TEST(Crossings, ADocumentIsDueNDaysAfterItsCreationDateOrAfterItWasFirstStored) {
    StoredRecord doc;
    doc.current.kind = RecordKind::document;
    doc.created_at = kSydney25Sep2026 + 5 * kHour;
    EXPECT_EQ(not_completed_at(doc, 7, "Australia/Sydney"), doc.created_at + 7 * kDay);
    doc.current.fields["created_at"] = "2026-09-25";
    EXPECT_EQ(not_completed_at(doc, 7, "Australia/Sydney"), kSydney25Sep2026 + 7 * kDay);
    // Across the start of daylight saving (Sydney, 4 October 2026): still midnight, 23 hours in that day.
    EXPECT_EQ(not_completed_at(doc, 10, "Australia/Sydney"), kSydney25Sep2026 + 10 * kDay - kHour);
}

TEST(Crossings, AServiceFilesParticipantsAreEachOneCrossingOfAnAgeRule) {
    Rule rule;
    rule.id = "at-1";
    rule.trigger = Trigger::participant_turns_age;
    rule.parameters.age = 18;
    StoredRecord file;
    file.current.kind = RecordKind::service_file;
    file.current.id = "sf-1";
    file.current.primary_member = "jo";
    file.current.members = {"kim", "jo"};
    const auto rows = crossings_of(rule, file, {{"jo", "2008-09-25"}}, "Australia/Sydney");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].record, "service-file/sf-1");
    EXPECT_EQ(rows[0].individual, "jo");
    EXPECT_EQ(rows[0].due_at, kSydney25Sep2026);
    EXPECT_EQ(rows[1].individual, "kim");
    EXPECT_EQ(rows[1].due_at, std::nullopt); // not stored yet: no birth date
}

} // namespace
} // namespace extcomm::triggers
