// The default templates: the seed's Penelope texts, and every default passes its own check.
#include <rendering/default_templates.hpp>
#include <rendering_fixtures.hpp>

using namespace extcomm;
using namespace extcomm::rendering;
using namespace extcomm::rendering::testing;

TEST(DefaultTemplates, EveryDefaultPassesTheTemplateCheck) {
    for (MessageKind kind : kAllMessageKinds)
        for (Channel channel : {Channel::email, Channel::sms}) {
            auto error = check_template(kind, channel, default_template(kind, channel));
            EXPECT_FALSE(error) << to_string(kind) << "/" << to_string(channel) << ": " << error->part << ": "
                                << error->reason;
        }
}

TEST(DefaultTemplates, BookingNoticeSmsIsTheSeedText) {
    TemplateSet templates;
    auto sms = rendered(templates, MessageKind::booking_notice, Channel::sms, appointment());
    EXPECT_EQ(sms.body, "Appointment reminder: Tue 3 Mar at 2:30pm with Jane Smith at Northside Clinic. "
                        "Call 02 9999 0000 to reschedule.");
}

TEST(DefaultTemplates, RescheduleNoticeSmsIsTheSeedText) {
    TemplateSet templates;
    auto sms = rendered(templates, MessageKind::reschedule_notice, Channel::sms, appointment());
    EXPECT_EQ(sms.body, "Appointment rescheduled: Your Mon 2 Mar appt. has been rescheduled to Tue 3 Mar at 2:30pm. "
                        "Call 02 9999 0000 to reschedule.");
}

TEST(DefaultTemplates, ConfirmationWithLinkSmsIsTheSeedTextWithoutWorkerOrSite) {
    TemplateSet templates;
    auto sms = rendered(templates, MessageKind::confirmation_with_link, Channel::sms, appointment());
    EXPECT_EQ(sms.body, "Confirm Appt: Click https://pen.example/c/Ab12 to confirm your appt. on Tue 3 Mar at 2:30pm.");
}

TEST(DefaultTemplates, EveryKindRendersOnEveryChannel) {
    TemplateSet templates;
    for (MessageKind kind : kAllMessageKinds) {
        MessageFacts facts = appointment();
        if (kind == MessageKind::collaboration_message) facts = CollaborationFacts{CollaborationType::alert, "Fire drill", "At 3pm."};
        if (kind == MessageKind::client_message) facts = ClientMessageFacts{"Your invoice", "Your invoice is ready."};
        if (kind == MessageKind::error_notice_digest)
            facts = ErrorDigestFacts{{{"refused for good", "+61 4** *** 156", "bulksms", "invalid number", utc(2026, 3, 3, 0, 0), "m-1"}}, 0};
        if (kind == MessageKind::verification_code) facts = VerificationFacts{"493021", 10};
        if (kind == MessageKind::verification_limit_alert) facts = VerificationLimitFacts{"per worker", "Ana Lee", "2026-03-03", 10};
        if (kind == MessageKind::trigger_alert || kind == MessageKind::trigger_notification)
            facts = TriggerFacts{"High-risk case opened", "Please call the client today.", "High risk", "case c-1"};
        if (kind == MessageKind::task_workflow)
            facts = TaskFacts{"t-1", "Call the client", "Ask about the intake form.", utc(2026, 3, 5, 0, 0), "High risk", "case c-1"};
        if (kind == MessageKind::client_discussion)
            facts = DiscussionFacts{"Your intake", "Ana", "<p>Please <b>bring</b> your forms.</p>", "https://pen.example/d/Ab12"};
        if (kind == MessageKind::client_task_engage || kind == MessageKind::client_task_client_connect)
            facts = ClientTaskFacts{"Intake forms", "Please fill these in.", utc(2026, 3, 5, 0, 0), "https://pen.example/t/Ab12",
                                    "https://connect.example"};
        for (Channel channel : {Channel::email, Channel::sms}) {
            auto out = rendered(templates, kind, channel, facts);
            EXPECT_FALSE(out.body.empty()) << to_string(kind) << "/" << to_string(channel);
            EXPECT_FALSE(out.truncated) << to_string(kind) << "/" << to_string(channel) << ": " << out.body;
            if (channel == Channel::email) {
                EXPECT_FALSE(out.subject.empty()) << to_string(kind);
            }
        }
    }
}

TEST(DefaultTemplates, TemplateSetUsesACustomTemplateUntilReset) {
    TemplateSet templates;
    EXPECT_TRUE(templates.is_default(MessageKind::booking_notice, Channel::sms));
    ASSERT_FALSE(templates.set(MessageKind::booking_notice, Channel::sms, {"", "Booked: {{date}} {{time}}", ""}));
    EXPECT_FALSE(templates.is_default(MessageKind::booking_notice, Channel::sms));
    EXPECT_EQ(rendered(templates, MessageKind::booking_notice, Channel::sms, appointment()).body, "Booked: Tue 3 Mar 2:30pm");
    templates.reset(MessageKind::booking_notice, Channel::sms);
    EXPECT_EQ(templates.get(MessageKind::booking_notice, Channel::sms),
              default_template(MessageKind::booking_notice, Channel::sms));
}

TEST(DefaultTemplates, NamesRoundTrip) {
    for (MessageKind kind : kAllMessageKinds) EXPECT_EQ(message_kind_from(to_string(kind)), kind);
    for (CollaborationType type : kAllCollaborationTypes) EXPECT_EQ(collaboration_type_from(to_string(type)), type);
    EXPECT_EQ(detail_level_from("subject-only"), DetailLevel::subject_only);
    EXPECT_FALSE(message_kind_from("reminder-ish"));
}
