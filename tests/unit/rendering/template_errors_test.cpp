// Templates that do not parse or use an unknown variable are refused with the reason, and the template in
// use stays.
#include <rendering/default_templates.hpp>
#include <rendering_fixtures.hpp>

using namespace extcomm;
using namespace extcomm::rendering;
using namespace extcomm::rendering::testing;

namespace {

TemplateError refused_template(MessageKind kind, Channel channel, MessageTemplate tmpl) {
    TemplateSet templates;
    auto error = templates.set(kind, channel, tmpl);
    if (!error) {
        ADD_FAILURE() << "accepted: " << tmpl.subject << " | " << tmpl.body << " | " << tmpl.html_body;
        return {};
    }
    EXPECT_TRUE(templates.is_default(kind, channel)) << "a refused template is not used";
    return *error;
}

TemplateError refused_sms(MessageKind kind, const std::string& body) { return refused_template(kind, Channel::sms, {"", body, ""}); }

} // namespace

TEST(TemplateErrors, AnUnknownVariableIsNamedWithWhereAndWhatIsAllowed) {
    auto error = refused_sms(MessageKind::booking_notice, "Hi {{wroker}} on {{date}}");
    EXPECT_EQ(error.part, "body");
    EXPECT_TRUE(contains(error.reason, "unknown variable \"wroker\"")) << error.reason;
    EXPECT_TRUE(contains(error.reason, "line 1, column 4")) << error.reason;
    EXPECT_TRUE(contains(error.reason, "date, time, worker, ")) << error.reason;
}

TEST(TemplateErrors, UnknownVariablesInSectionsAndOtherPartsToo) {
    EXPECT_TRUE(contains(refused_sms(MessageKind::booking_notice, "{{#room}}x{{/room}}").reason, "\"room\""));
    auto error = refused_template(MessageKind::booking_notice, Channel::email, {"{{date}}", "ok", "<p>{{clinic}}</p>"});
    EXPECT_EQ(error.part, "html_body");
    EXPECT_TRUE(contains(error.reason, "\"clinic\"")) << error.reason;
    // A kind's variables are its own: a reschedule's original date is unknown to a booking notice.
    EXPECT_TRUE(contains(refused_sms(MessageKind::booking_notice, "{{original_date}}").reason, "unknown variable"));
    EXPECT_FALSE(TemplateSet().set(MessageKind::reschedule_notice, Channel::sms, {"", "{{original_date}}", ""}));
}

TEST(TemplateErrors, TemplatesThatDoNotParse) {
    EXPECT_TRUE(contains(refused_sms(MessageKind::booking_notice, "At {{time").reason, "line 1, column 4: the tag is not closed"));
    auto unclosed = refused_sms(MessageKind::booking_notice, "{{date}}\n{{#worker}} with {{worker}}");
    EXPECT_TRUE(contains(unclosed.reason, "line 2, column 1: the section {{#worker}} is never closed")) << unclosed.reason;
    auto crossed = refused_sms(MessageKind::booking_notice, "{{#worker}}{{#site}}x{{/worker}}{{/site}}");
    EXPECT_TRUE(contains(crossed.reason, "{{/worker}} closes a section, but the open one is {{#site}}")) << crossed.reason;
    EXPECT_TRUE(contains(refused_sms(MessageKind::booking_notice, "x{{/site}}").reason, "never opened"));
    EXPECT_TRUE(contains(refused_sms(MessageKind::booking_notice, "{{}}").reason, "empty tag"));
    EXPECT_TRUE(contains(refused_sms(MessageKind::booking_notice, "{{{date}}").reason, "not closed with \"}}}\""));
}

TEST(TemplateErrors, PartialsAndDelimiterChangesAreNotSupported) {
    EXPECT_TRUE(contains(refused_sms(MessageKind::booking_notice, "{{> footer}}").reason, "partials"));
    EXPECT_TRUE(contains(refused_sms(MessageKind::booking_notice, "{{=<% %>=}}<% date %>").reason, "delimiters"));
}

TEST(TemplateErrors, VariablesAChannelWithholdsAreRefusedWithTheReason) {
    auto worker = refused_sms(MessageKind::confirmation_with_link, "Confirm {{confirm_link}} with {{worker}}");
    EXPECT_TRUE(contains(worker.reason, "\"worker\" is not available here")) << worker.reason;
    EXPECT_TRUE(contains(worker.reason, "confirm link")) << worker.reason;
    auto body = refused_sms(MessageKind::collaboration_message, "{{subject}}: {{body}}");
    EXPECT_TRUE(contains(body.reason, "only the subject")) << body.reason;
    // The same variables are fine by email.
    EXPECT_FALSE(TemplateSet().set(MessageKind::collaboration_message, Channel::email, {"{{subject}}", "{{body}}", ""}));
}

TEST(TemplateErrors, ListsAreUsedAsSections) {
    auto whole = refused_template(MessageKind::error_notice_digest, Channel::email, {"x", "{{notices}}", ""});
    EXPECT_TRUE(contains(whole.reason, "\"notices\" is a list: use {{#notices}}")) << whole.reason;
    auto outside = refused_template(MessageKind::error_notice_digest, Channel::email, {"x", "{{reason}}", ""});
    EXPECT_TRUE(contains(outside.reason, "unknown variable \"reason\"")) << outside.reason;
    EXPECT_FALSE(TemplateSet().set(MessageKind::error_notice_digest, Channel::email,
                                   {"{{count}}", "{{#notices}}{{reason}} ({{count}}){{/notices}}", ""}));
}

TEST(TemplateErrors, PartsAChannelNeedsOrDoesNotSend) {
    EXPECT_EQ(refused_template(MessageKind::booking_notice, Channel::sms, {"Subject", "{{date}}", ""}).part, "subject");
    EXPECT_EQ(refused_template(MessageKind::booking_notice, Channel::sms, {"", "{{date}}", "<p/>"}).part, "html_body");
    EXPECT_EQ(refused_template(MessageKind::booking_notice, Channel::sms, {"", "", ""}).part, "body");
    EXPECT_EQ(refused_template(MessageKind::booking_notice, Channel::email, {"", "{{date}}", ""}).part, "subject");
    EXPECT_EQ(refused_template(MessageKind::booking_notice, Channel::email, {"{{date}}", "", "<p/>"}).part, "body");
}

// Only spaces and line breaks would render to nothing: refused when set, as an empty part is, not when a
// message is made from it (found by the template_rendering fuzz target).
TEST(TemplateErrors, ABlankPartIsAnEmptyOne) {
    EXPECT_EQ(refused_template(MessageKind::booking_notice, Channel::sms, {"", " \n\t\r\n", ""}).part, "body");
    EXPECT_EQ(refused_template(MessageKind::booking_notice, Channel::email, {" \n", "{{date}}", ""}).part, "subject");
    EXPECT_EQ(refused_template(MessageKind::confirmation_with_link, Channel::email, {"Confirm", "\n\n\n", ""}).part,
              "body");
}

TEST(TemplateErrors, NotUtf8) {
    EXPECT_TRUE(contains(refused_sms(MessageKind::booking_notice, "caf\xE9 {{date}}").reason, "UTF-8"));
}

TEST(TemplateErrors, CommentsWhitespaceAndInvertedSectionsAreFine) {
    TemplateSet templates;
    ASSERT_FALSE(templates.set(MessageKind::booking_notice, Channel::sms,
                               {"", "{{! why: short }}{{ date }} {{& time}}{{^site}} (site to be confirmed){{/site}}", ""}));
    RenderSettings settings = agency();
    settings.privacy.hide_site_name = true;
    EXPECT_EQ(rendered(templates, MessageKind::booking_notice, Channel::sms, appointment(), settings).body,
              "Tue 3 Mar 2:30pm (site to be confirmed)");
}
