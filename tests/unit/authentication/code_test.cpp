// The pure part of verification codes: codes are digits of the length asked, their hash is keyed and
// bound to the code's id, attempts are judged (valid once, then used; expired; locked after the wrong
// answers allowed), the agency's day ends at its own midnight, and the limits name the one reached.
#include <authentication/code.hpp>

#include <gtest/gtest.h>

#include <set>

namespace extcomm::authentication {
namespace {

constexpr TimeMs kNow = 1'789'862'400'000; // 2026-09-20 00:00 UTC: 10:00 in Sydney (AEST, +10)

TEST(VerificationCode, HasTheDigitsAskedForAndVaries) {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        const std::string code = new_code(8);
        ASSERT_EQ(code.size(), 8u);
        EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos) << code;
        seen.insert(code);
    }
    EXPECT_GT(seen.size(), 45u); // 10^8 codes: repeats among 50 would mean no randomness
}

TEST(VerificationCode, HashIsKeyedBoundToItsIdAndComparedWhole) {
    const std::string hash = code_hash("key-1", "id-1", "493021");
    EXPECT_EQ(hash.size(), 64u);
    EXPECT_EQ(hash.find("493021"), std::string::npos);
    EXPECT_EQ(hash, code_hash("key-1", "id-1", "493021"));
    EXPECT_NE(hash, code_hash("key-2", "id-1", "493021"));
    EXPECT_NE(hash, code_hash("key-1", "id-2", "493021"));
    EXPECT_TRUE(same_hash(hash, code_hash("key-1", "id-1", "493021")));
    EXPECT_FALSE(same_hash(hash, code_hash("key-1", "id-1", "493022")));
    EXPECT_FALSE(same_hash(hash, hash.substr(0, 63)));
    EXPECT_FALSE(same_hash(hash, ""));
}

TEST(VerificationCode, ValidOnceThenUsed) {
    const CodeStanding pending{CodeState::pending, 0, kNow + 1};
    const Judgement first = judge(pending, true, kNow, 3);
    EXPECT_EQ(first.verdict, Verdict::valid);
    EXPECT_EQ(first.after.state, CodeState::used);
    EXPECT_EQ(judge(first.after, true, kNow, 3).verdict, Verdict::used);
}

TEST(VerificationCode, ExpiredAtItsExpiryAndWhenSuperseded) {
    EXPECT_EQ(judge({CodeState::pending, 0, kNow}, true, kNow, 3).verdict, Verdict::expired);
    EXPECT_EQ(judge({CodeState::superseded, 0, kNow + 1}, true, kNow, 3).verdict, Verdict::expired);
}

TEST(VerificationCode, LockedByTheLastWrongAnswerAllowed) {
    CodeStanding code{CodeState::pending, 0, kNow + 1};
    std::vector<Verdict> verdicts;
    for (int i = 0; i < 3; ++i) {
        const Judgement j = judge(code, false, kNow, 3);
        verdicts.push_back(j.verdict);
        code = j.after;
    }
    EXPECT_EQ(verdicts, (std::vector<Verdict>{Verdict::invalid, Verdict::invalid, Verdict::locked}));
    EXPECT_EQ(code.wrong_attempts, 3);
    EXPECT_EQ(judge(code, true, kNow, 3).verdict, Verdict::locked); // the right code no longer helps
}

TEST(AgencyDay, EndsAtTheAgencysMidnight) {
    const auto sydney = agency_day(kNow, "Australia/Sydney");
    ASSERT_TRUE(sydney);
    EXPECT_EQ(sydney->date, "2026-09-20");
    EXPECT_EQ(sydney->next_midnight, kNow + 14 * 3'600'000); // 10:00 → midnight
    const auto toronto = agency_day(kNow, "America/Toronto"); // 20:00 the day before (EDT, -4)
    ASSERT_TRUE(toronto);
    EXPECT_EQ(toronto->date, "2026-09-19");
    EXPECT_EQ(toronto->next_midnight, kNow + 4 * 3'600'000);
    EXPECT_FALSE(agency_day(kNow, "Mars/Base"));
}

TEST(AgencyDay, ADayWithADaylightSavingChangeIsShorter) {
    // Sydney moves its clocks forward at 2am on 2026-10-04: that day has 23 hours.
    const TimeMs start_of_day = 1'791'036'000'000; // 2026-10-04 00:00 AEST = 2026-10-03 14:00 UTC
    const auto day = agency_day(start_of_day, "Australia/Sydney");
    ASSERT_TRUE(day);
    EXPECT_EQ(day->date, "2026-10-04");
    EXPECT_EQ(day->next_midnight - start_of_day, 23 * 3'600'000);
}

TEST(DailyLimits, NameTheLimitReachedThePerWorkerOneFirst) {
    agency::AuthenticationSettings s;
    s.max_codes_per_worker_per_day = 2;
    s.max_codes_per_day = 5;
    EXPECT_FALSE(limit_reached(1, 4, s));
    EXPECT_EQ(limit_reached(2, 4, s), DailyLimit::per_worker);
    EXPECT_EQ(limit_reached(1, 5, s), DailyLimit::total);
    EXPECT_EQ(limit_reached(2, 5, s), DailyLimit::per_worker);
}

TEST(VerificationCodeNames, RoundTrip) {
    for (CodePurpose p : kAllCodePurposes) EXPECT_EQ(code_purpose_from(to_string(p)), p);
    for (CodeState s : kAllCodeStates) EXPECT_EQ(code_state_from(to_string(s)), s);
    EXPECT_EQ(code_purpose_from("trusted-device"), CodePurpose::trusted_device);
    EXPECT_EQ(to_string(Verdict::locked), "locked");
}

} // namespace
} // namespace extcomm::authentication
