// Email: subject and text body, the HTML body where the template has one, and the footer on client
// event emails.
#include <rendering_fixtures.hpp>

using namespace extcomm;
using namespace extcomm::rendering;
using namespace extcomm::rendering::testing;

TEST(Email, SubjectTextAndNoHtmlByDefault) {
    TemplateSet templates;
    auto email = rendered(templates, MessageKind::booking_notice, Channel::email, appointment());
    EXPECT_EQ(email.subject, "Appointment reminder: Tue 3 Mar at 2:30pm");
    EXPECT_EQ(email.body, "Appointment reminder: Tue 3 Mar at 2:30pm with Jane Smith at Northside Clinic.\n"
                          "Location: Room 4\nCall 02 9999 0000 to reschedule.\n");
    EXPECT_TRUE(email.html_body.empty());
    EXPECT_FALSE(email.sms);
}

TEST(Email, TheFooterEndsClientEventEmails) {
    TemplateSet templates;
    RenderSettings settings = agency();
    settings.email_footer = "Northside Counselling <northside.example> & partners";
    auto booking = rendered(templates, MessageKind::booking_notice, Channel::email, appointment(), settings);
    EXPECT_TRUE(booking.body.size() > settings.email_footer.size());
    EXPECT_EQ(booking.body.substr(booking.body.size() - settings.email_footer.size() - 2), "\n" + settings.email_footer + "\n");
    auto confirm = rendered(templates, MessageKind::confirmation_with_link, Channel::email, appointment(), settings);
    EXPECT_TRUE(contains(confirm.html_body, "<p>Northside Counselling &lt;northside.example&gt; &amp; partners</p>"))
        << confirm.html_body;
    // Not on worker messages or staff-written ones.
    auto reminder = rendered(templates, MessageKind::worker_reminder, Channel::email, appointment(), settings);
    EXPECT_FALSE(contains(reminder.body, "Northside Counselling"));
    auto manual = rendered(templates, MessageKind::client_message, Channel::email, ClientMessageFacts{"Hello", "Text"}, settings);
    EXPECT_FALSE(contains(manual.body, "Northside Counselling"));
}

TEST(Email, HtmlEscapesValuesTextDoesNot) {
    TemplateSet templates;
    auto event = appointment();
    event.worker = {"Jo <b>", "O'Brien & Co"};
    auto email = rendered(templates, MessageKind::confirmation_with_link, Channel::email, event);
    EXPECT_TRUE(contains(email.body, "with Jo <b> O'Brien & Co")) << email.body;
    EXPECT_TRUE(contains(email.html_body, "Jo &lt;b&gt; O&apos;Brien &amp; Co")) << email.html_body;
    EXPECT_TRUE(contains(email.html_body, "<a href=\"https://pen.example/c/Ab12\">")) << email.html_body;
}

TEST(Email, AnActionsRichTextMessageIsAllowListedHtmlAndPlainTextInTheTextPart) {
    TemplateSet templates;
    auto email = rendered(templates, MessageKind::trigger_alert, Channel::email,
                          TriggerFacts{"High-risk case", "<p>Call <b>today</b><script>steal()</script></p>", "High risk & more",
                                       "case c-1"});
    EXPECT_EQ(email.body, "Call today\n\nAbout case c-1 (action trigger \"High risk & more\").\n");
    EXPECT_TRUE(contains(email.html_body, "<div><p>Call <b>today</b></p></div>")) << email.html_body;
    EXPECT_TRUE(contains(email.html_body, "High risk &amp; more")) << email.html_body;
    EXPECT_FALSE(contains(email.html_body, "steal")) << email.html_body;
}

TEST(Email, ASubjectIsOneLine) {
    TemplateSet templates;
    auto email = rendered(templates, MessageKind::client_message, Channel::email,
                          ClientMessageFacts{"Invoice\r\nBcc: attacker@example.com", "Body"});
    EXPECT_EQ(email.subject, "Invoice  Bcc: attacker@example.com");
}

TEST(Email, ErrorNoticeDigestListsEachNoticeInTheAgencyZone) {
    TemplateSet templates;
    ErrorDigestFacts digest;
    digest.notices = {{"refused for good", "+61 4** *** 156", "bulksms", "invalid number", utc(2026, 3, 3, 3, 30), "m-1"},
                      {"out of attempts", "j***@example.com", "smtp", "mailbox full", utc(2026, 3, 3, 4, 0), "m-2"},
                      {"transport paused", "", "smtp", "authentication failed", utc(2026, 3, 3, 4, 30), ""}};
    digest.not_listed = 3;
    auto email = rendered(templates, MessageKind::error_notice_digest, Channel::email, digest);
    EXPECT_EQ(email.subject, "extcomm: 6 delivery problem(s) need attention");
    EXPECT_TRUE(contains(email.body,
                         "- Tue 3 Mar 2:30pm: refused for good: message m-1 to +61 4** *** 156 via bulksms: invalid number\n"))
        << email.body;
    EXPECT_TRUE(contains(email.body, "- Tue 3 Mar 3:00pm: out of attempts: message m-2 to j***@example.com")) << email.body;
    // A transport has neither a message nor a recipient.
    EXPECT_TRUE(contains(email.body, "- Tue 3 Mar 3:30pm: transport paused via smtp: authentication failed\n")) << email.body;
    EXPECT_TRUE(contains(email.body, "and 3 more.")) << email.body;
}

TEST(Email, VerificationCode) {
    TemplateSet templates;
    auto email = rendered(templates, MessageKind::verification_code, Channel::email, VerificationFacts{"493021", 10});
    EXPECT_TRUE(contains(email.body, "493021")) << email.body;
    auto sms = rendered(templates, MessageKind::verification_code, Channel::sms, VerificationFacts{"493021", 10});
    EXPECT_EQ(sms.body, "Your Penelope verification code is 493021. It expires in 10 minutes.");
}
