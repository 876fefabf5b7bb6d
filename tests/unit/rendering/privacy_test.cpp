// Penelope's "Hide … on Ext Comm" switches, applied when a message is rendered, and the detail levels of
// collaboration messages.
#include <rendering_fixtures.hpp>

using namespace extcomm;
using namespace extcomm::rendering;
using namespace extcomm::rendering::testing;

TEST(Privacy, WithNoSwitchOnEverythingIsShown) {
    TemplateSet templates;
    auto email = rendered(templates, MessageKind::booking_notice, Channel::email, appointment());
    EXPECT_TRUE(contains(email.body, "with Jane Smith at Northside Clinic")) << email.body;
    EXPECT_TRUE(contains(email.body, "Location: Room 4")) << email.body;
}

TEST(Privacy, HideWorkerLastName) {
    TemplateSet templates;
    RenderSettings settings = agency();
    settings.privacy.hide_worker_last_name = true;
    auto sms = rendered(templates, MessageKind::booking_notice, Channel::sms, appointment(), settings);
    EXPECT_TRUE(contains(sms.body, "with Jane at Northside Clinic")) << sms.body;
    EXPECT_FALSE(contains(sms.body, "Smith"));
    // A template that names the last name on its own gets nothing there either.
    ASSERT_FALSE(templates.set(MessageKind::confirmation, Channel::email,
                               {"{{worker_first_name}} {{worker_last_name}}", "[{{worker_last_name}}]", ""}));
    auto email = rendered(templates, MessageKind::confirmation, Channel::email, appointment(), settings);
    EXPECT_EQ(email.subject, "Jane");
    EXPECT_EQ(email.body, "[]");
}

TEST(Privacy, HideSiteNameKeepsTheSitePhone) {
    TemplateSet templates;
    RenderSettings settings = agency();
    settings.privacy.hide_site_name = true;
    auto sms = rendered(templates, MessageKind::booking_notice, Channel::sms, appointment(), settings);
    EXPECT_EQ(sms.body, "Appointment reminder: Tue 3 Mar at 2:30pm with Jane Smith. Call 02 9999 0000 to reschedule.");
    EXPECT_TRUE(sms.dropped.empty()) << "hidden is not dropped: nothing had to go to fit";
}

TEST(Privacy, HideEventLocation) {
    TemplateSet templates;
    RenderSettings settings = agency();
    settings.privacy.hide_event_location = true;
    auto email = rendered(templates, MessageKind::booking_notice, Channel::email, appointment(), settings);
    EXPECT_FALSE(contains(email.body, "Room 4")) << email.body;
    EXPECT_FALSE(contains(email.body, "Location")) << email.body;
    EXPECT_TRUE(contains(email.body, "Northside Clinic"));
}

TEST(Privacy, SwitchesApplyToWorkerMessagesAndHtmlToo) {
    TemplateSet templates;
    RenderSettings settings = agency();
    settings.privacy = {true, true, true};
    auto reminder = rendered(templates, MessageKind::worker_reminder, Channel::sms, appointment(), settings);
    EXPECT_EQ(reminder.body, "Reminder: event on Tue 3 Mar at 2:30pm.");
    auto confirm = rendered(templates, MessageKind::confirmation_with_link, Channel::email, appointment(), settings);
    for (const std::string& part : {confirm.subject, confirm.body, confirm.html_body}) {
        EXPECT_FALSE(contains(part, "Smith")) << part;
        EXPECT_FALSE(contains(part, "Northside")) << part;
        EXPECT_FALSE(contains(part, "Room 4")) << part;
    }
    EXPECT_TRUE(contains(confirm.html_body, "with Jane.")) << confirm.html_body;
}

TEST(DetailLevel, SubjectAndBodySendsBoth) {
    TemplateSet templates;
    auto email = rendered(templates, MessageKind::collaboration_message, Channel::email,
                          CollaborationFacts{CollaborationType::discussion, "Case plan", "Please review the case plan."});
    EXPECT_EQ(email.subject, "Discussion: Case plan");
    EXPECT_TRUE(contains(email.body, "Please review the case plan.")) << email.body;
}

TEST(DetailLevel, SubjectOnlyStripsTheBody) {
    TemplateSet templates;
    RenderSettings settings = agency();
    settings.set_detail_level(CollaborationType::discussion, DetailLevel::subject_only);
    auto email = rendered(templates, MessageKind::collaboration_message, Channel::email,
                          CollaborationFacts{CollaborationType::discussion, "Case plan", "Client disclosed …"}, settings);
    EXPECT_EQ(email.subject, "Discussion: Case plan");
    EXPECT_FALSE(contains(email.body, "disclosed")) << email.body;
    EXPECT_TRUE(contains(email.body, "Log in to Penelope")) << email.body;
    // Other types keep their own level.
    auto alert = rendered(templates, MessageKind::collaboration_message, Channel::email,
                          CollaborationFacts{CollaborationType::alert, "Fire drill", "At 3pm."}, settings);
    EXPECT_TRUE(contains(alert.body, "At 3pm."));
}

TEST(DetailLevel, DisallowIsRefusedWithTheReason) {
    TemplateSet templates;
    RenderSettings settings = agency();
    settings.set_detail_level(CollaborationType::workflow, DetailLevel::disallow);
    auto error = refused(templates, MessageKind::collaboration_message, Channel::sms,
                         CollaborationFacts{CollaborationType::workflow, "Approve", "…"}, settings);
    EXPECT_EQ(error.field, "detail_level");
    EXPECT_TRUE(contains(error.reason, "Workflow")) << error.reason;
}

TEST(Facts, TheWrongFactsForAKindAreRefused) {
    TemplateSet templates;
    auto error = refused(templates, MessageKind::booking_notice, Channel::sms, ClientMessageFacts{"a", "b"});
    EXPECT_EQ(error.field, "facts");
    auto event = appointment();
    event.confirm_link.clear();
    EXPECT_EQ(refused(templates, MessageKind::confirmation_with_link, Channel::sms, event).field, "confirm_link");
}
