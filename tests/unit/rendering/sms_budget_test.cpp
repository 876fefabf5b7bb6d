// SMS length and encoding: one SMS for automated event messages (160 GSM-7 septets, an escape character
// counting two, or 70 UCS-2 units, an emoji counting two), the optional parts dropped before cutting,
// the 20-character prefix, and what is reported.
#include <rendering_fixtures.hpp>

using namespace extcomm;
using namespace extcomm::rendering;
using namespace extcomm::rendering::testing;

namespace {

// The booking notice's default SMS for appointment() is this long with a one-letter site name.
size_t booking_length_with_site(const TemplateSet& templates, const std::string& site, const RenderSettings& settings = agency()) {
    auto event = appointment();
    event.site.name = site;
    return rendered(templates, MessageKind::booking_notice, Channel::sms, event, settings).sms->units;
}

// A site name that makes the booking notice exactly `units` septets long (plain letters).
std::string site_for_length(const TemplateSet& templates, size_t units, const RenderSettings& settings = agency()) {
    size_t base = booking_length_with_site(templates, "S", settings);
    return "S" + std::string(units - base, 's');
}

RenderedMessage booking(const TemplateSet& templates, const std::string& site, const RenderSettings& settings = agency()) {
    auto event = appointment();
    event.site.name = site;
    return rendered(templates, MessageKind::booking_notice, Channel::sms, event, settings);
}

RenderedMessage alert(const std::string& subject) {
    TemplateSet templates;
    return rendered(templates, MessageKind::collaboration_message, Channel::sms,
                    CollaborationFacts{CollaborationType::alert, subject, "not sent by SMS"});
}

} // namespace

TEST(SmsBudget, ExactlyOneHundredSixtyGsm7CharactersFitOneSmsWithEverything) {
    TemplateSet templates;
    auto sms = booking(templates, site_for_length(templates, 160));
    ASSERT_TRUE(sms.sms);
    EXPECT_EQ(sms.sms->encoding, sms::Encoding::gsm7);
    EXPECT_EQ(sms.sms->characters, 160u);
    EXPECT_EQ(sms.sms->units, 160u);
    EXPECT_EQ(sms.sms->segments, 1u);
    EXPECT_TRUE(sms.dropped.empty());
    EXPECT_FALSE(sms.truncated);
    EXPECT_TRUE(contains(sms.body, "with Jane Smith at Ssss"));
}

TEST(SmsBudget, OneCharacterMoreDropsTheSiteFirst) {
    TemplateSet templates;
    auto sms = booking(templates, site_for_length(templates, 161));
    EXPECT_EQ(sms.dropped, std::vector<OptionalPart>{OptionalPart::site});
    EXPECT_FALSE(sms.truncated);
    EXPECT_FALSE(contains(sms.body, "Ssss"));
    EXPECT_TRUE(contains(sms.body, "with Jane Smith.")) << "the worker stays while the text fits";
    EXPECT_TRUE(contains(sms.body, "Call 02 9999 0000 to reschedule.")) << "the site's phone is never optional";
    EXPECT_EQ(sms.sms->segments, 1u);
}

TEST(SmsBudget, ThenTheWorkerAndWhatFitsAgainComesBack) {
    TemplateSet templates;
    // A long site name costs only the site: the worker's name stays.
    auto sms = booking(templates, std::string(150, 's'));
    EXPECT_EQ(sms.dropped, std::vector<OptionalPart>{OptionalPart::site});
    EXPECT_EQ(sms.body,
              "Appointment reminder: Tue 3 Mar at 2:30pm with Jane Smith. Call 02 9999 0000 to reschedule.");
    EXPECT_FALSE(sms.truncated);
    // A long worker name: the site goes first, that is not enough, the worker goes, and then the site fits
    // again and comes back.
    auto long_worker = appointment();
    long_worker.worker.last_name = std::string(120, 'w');
    auto back = rendered(templates, MessageKind::booking_notice, Channel::sms, long_worker);
    EXPECT_EQ(back.dropped, std::vector<OptionalPart>{OptionalPart::worker});
    EXPECT_EQ(back.body,
              "Appointment reminder: Tue 3 Mar at 2:30pm at Northside Clinic. Call 02 9999 0000 to reschedule.");
    // Both long: both go, and the notice still makes sense.
    long_worker.site.name = std::string(150, 's');
    auto both = rendered(templates, MessageKind::booking_notice, Channel::sms, long_worker);
    EXPECT_EQ(both.dropped, (std::vector<OptionalPart>{OptionalPart::site, OptionalPart::worker}));
    EXPECT_EQ(both.body, "Appointment reminder: Tue 3 Mar at 2:30pm. Call 02 9999 0000 to reschedule.");
    EXPECT_FALSE(both.truncated);
    // Nothing optional left and still too long: cut to exactly one SMS.
    auto event = appointment();
    event.confirm_link = "https://pen.example/c/" + std::string(200, 'x');
    auto cut = rendered(templates, MessageKind::confirmation_with_link, Channel::sms, event);
    EXPECT_TRUE(cut.truncated);
    EXPECT_TRUE(cut.dropped.empty()) << "the confirm-link SMS has no worker or site to drop";
    EXPECT_EQ(cut.sms->units, 160u);
    EXPECT_EQ(cut.sms->segments, 1u);
}

TEST(SmsBudget, OneEuroSignCountsTwoSeptets) {
    TemplateSet templates;
    std::string site = site_for_length(templates, 159); // 159 septets with a plain letter…
    site.back() = 'E';
    auto plain = booking(templates, site);
    EXPECT_EQ(plain.sms->units, 159u);
    site.pop_back();
    site += "€"; // …160 with the euro sign: still GSM-7, still one SMS, nothing dropped
    auto euro = booking(templates, site);
    EXPECT_EQ(euro.sms->encoding, sms::Encoding::gsm7);
    EXPECT_EQ(euro.sms->characters, 159u);
    EXPECT_EQ(euro.sms->units, 160u);
    EXPECT_TRUE(euro.dropped.empty());
    site += "s"; // 161 septets in 160 characters: over the limit
    auto over = booking(templates, site);
    EXPECT_EQ(over.dropped, std::vector<OptionalPart>{OptionalPart::site});
}

TEST(SmsBudget, ACutNeverSplitsAGsmEscape) {
    // "Alert: " + 152 letters = 159 septets; the next '€' would need 2 more: it is left out whole.
    auto sms = alert(std::string(152, 'a') + "€€€");
    EXPECT_TRUE(sms.truncated);
    EXPECT_EQ(sms.sms->units, 159u);
    EXPECT_EQ(sms.body.back(), 'a');
}

TEST(SmsBudget, OneEmojiSwitchesToUcs2WhereItCountsTwo) {
    auto sms = alert("Lunch 😀");
    EXPECT_EQ(sms.body, "Alert: Lunch 😀");
    EXPECT_EQ(sms.sms->encoding, sms::Encoding::ucs2);
    EXPECT_EQ(sms.sms->characters, 14u);
    EXPECT_EQ(sms.sms->units, 15u); // a surrogate pair
    EXPECT_EQ(sms.sms->segments, 1u);
}

TEST(SmsBudget, AnEmojiInAnOptionalPartIsDroppedRatherThanCuttingTheNoticeToSeventy) {
    TemplateSet templates;
    auto sms = booking(templates, "Sunny Days 😀 Clinic");
    // 70 UCS-2 units cannot hold the notice; without the site it is GSM-7 again, with the worker's name.
    EXPECT_EQ(sms.dropped, std::vector<OptionalPart>{OptionalPart::site});
    EXPECT_TRUE(contains(sms.body, "with Jane Smith"));
    EXPECT_EQ(sms.sms->encoding, sms::Encoding::gsm7);
    EXPECT_FALSE(sms.truncated);
}

TEST(SmsBudget, AUcs2CutNeverSplitsASurrogatePair) {
    // "Alert: " (7) + 62 × 'ж' (62) = 69 units; the emoji needs 2 more, so it is left out whole.
    std::string subject;
    for (int i = 0; i < 62; ++i) subject += "ж";
    auto sms = alert(subject + "😀 more");
    EXPECT_TRUE(sms.truncated);
    EXPECT_EQ(sms.sms->encoding, sms::Encoding::ucs2);
    EXPECT_EQ(sms.sms->units, 69u);
    EXPECT_EQ(sms.sms->segments, 1u);
    EXPECT_TRUE(sms::decode_utf8(sms.body).has_value()) << "valid UTF-8 after the cut";
}

TEST(SmsBudget, ACutPrefersKeepingMoreGsm7CharactersOverUcs2) {
    // The only non-GSM character is at the end: cutting it away leaves a GSM-7 text of 160, not 70.
    auto sms = alert(std::string(160, 'a') + "😀");
    EXPECT_TRUE(sms.truncated);
    EXPECT_EQ(sms.sms->encoding, sms::Encoding::gsm7);
    EXPECT_EQ(sms.sms->units, 160u);
}

TEST(SmsBudget, TheTwentyCharacterPrefixGoesFirstAndCounts) {
    TemplateSet templates;
    RenderSettings settings = agency();
    settings.sms_prefix = "Northside Counsellin"; // 20 characters
    ASSERT_EQ(settings.sms_prefix.size(), 20u);
    auto sms = booking(templates, "Northside Clinic", settings);
    EXPECT_EQ(sms.body.rfind("Northside Counsellin Appointment reminder: ", 0), 0u) << sms.body;
    // The prefix and its space take 21 of the 160: a notice of 160 with the prefix fits, 161 drops the site.
    auto exact = booking(templates, site_for_length(templates, 160, settings), settings);
    EXPECT_EQ(exact.sms->units, 160u);
    EXPECT_TRUE(exact.dropped.empty());
    auto over = booking(templates, site_for_length(templates, 161, settings), settings);
    EXPECT_EQ(over.dropped, std::vector<OptionalPart>{OptionalPart::site});
    EXPECT_EQ(over.body.rfind("Northside Counsellin ", 0), 0u) << "the prefix is never dropped or cut";
}

TEST(SmsBudget, APrefixOfTwentyOneCharactersIsRefused) {
    TemplateSet templates;
    RenderSettings settings = agency();
    settings.sms_prefix = "Northside Counselling";
    auto error = refused(templates, MessageKind::booking_notice, Channel::sms, appointment(), settings);
    EXPECT_EQ(error.field, "sms_prefix");
    EXPECT_TRUE(contains(error.reason, "21 characters")) << error.reason;
    EXPECT_FALSE(check_sms_prefix("Ünïcödé prefix 20 ch")) << "characters, not bytes, are counted";
}

TEST(SmsBudget, ThePrefixIsOnlyForClientEventMessages) {
    TemplateSet templates;
    RenderSettings settings = agency();
    settings.sms_prefix = "NSC:";
    EXPECT_EQ(rendered(templates, MessageKind::confirmation_with_link, Channel::sms, appointment(), settings).body.rfind("NSC: ", 0), 0u);
    EXPECT_EQ(rendered(templates, MessageKind::worker_reminder, Channel::sms, appointment(), settings).body.rfind("Reminder:", 0), 0u);
    auto collab = rendered(templates, MessageKind::collaboration_message, Channel::sms,
                           CollaborationFacts{CollaborationType::alert, "Fire drill", ""}, settings);
    EXPECT_EQ(collab.body, "Alert: Fire drill");
}

TEST(SmsBudget, CollaborationMessagesSendTheSubjectOnly) {
    auto sms = alert("Case review moved to 3pm");
    EXPECT_EQ(sms.body, "Alert: Case review moved to 3pm");
    EXPECT_FALSE(contains(sms.body, "not sent by SMS"));
    EXPECT_TRUE(sms.subject.empty());
}

TEST(SmsBudget, ClientMessagesMayTakeSeveralPartsUpToTheLimit) {
    TemplateSet templates;
    auto three = rendered(templates, MessageKind::client_message, Channel::sms, ClientMessageFacts{"", std::string(400, 'a')});
    EXPECT_EQ(three.sms->segments, 3u);
    EXPECT_FALSE(three.truncated);
    auto cut = rendered(templates, MessageKind::client_message, Channel::sms, ClientMessageFacts{"", std::string(500, 'a')});
    EXPECT_TRUE(cut.truncated);
    EXPECT_EQ(cut.sms->units, 3u * 153u);
    EXPECT_EQ(cut.sms->segments, 3u);
}

TEST(SmsBudget, AnEmptySmsIsRefused) {
    TemplateSet templates;
    auto error = refused(templates, MessageKind::client_message, Channel::sms, ClientMessageFacts{"Hi", ""});
    EXPECT_EQ(error.field, "body");
}
