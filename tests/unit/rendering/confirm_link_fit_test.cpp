// Whether the confirmation SMS with a confirm link fits one SMS on every date: a realistic deployment (a
// base URL with a path, the 24-character token, the 20-character prefix) fits with the default template;
// a longer base URL or template that would cut the link is reported.
#include <rendering_fixtures.hpp>

#include <rendering/confirm_link_fit.hpp>

using namespace extcomm;
using namespace extcomm::rendering;
using namespace extcomm::rendering::testing;

namespace {

// "https://agency.example.org/extcomm/c/" + a 24-character token.
constexpr std::size_t kRealisticLink = 37 + 24;

RenderSettings with_prefix() {
    RenderSettings settings = agency();
    settings.sms_prefix = "Northside Counsellin"; // 20 characters
    return settings;
}

} // namespace

TEST(ConfirmLinkFit, ARealisticLinkFitsWithTheLongestDateAndThePrefix) {
    TemplateSet templates;
    EXPECT_FALSE(confirm_link_sms_problem(templates, with_prefix(), kRealisticLink));
    // What it renders: the link whole, the date and time there.
    auto event = appointment();
    event.start = utc(2026, 9, 30, 12, 30);
    event.site.time_zone = "UTC";
    event.confirm_link = "https://agency.example.org/extcomm/c/" + std::string(24, 't');
    auto sms = rendered(templates, MessageKind::confirmation_with_link, Channel::sms, event, with_prefix());
    EXPECT_FALSE(sms.truncated);
    EXPECT_LE(sms.sms->characters, 160u);
    EXPECT_TRUE(contains(sms.body, event.confirm_link + " to confirm your appt. on Wed 30 Sep at 12:30pm."))
        << sms.body;
}

TEST(ConfirmLinkFit, ALinkThatWouldBeCutIsReported) {
    TemplateSet templates;
    auto problem = confirm_link_sms_problem(templates, with_prefix(), kRealisticLink + 20);
    ASSERT_TRUE(problem);
    EXPECT_TRUE(contains(*problem, "would not fit one SMS (160 characters)")) << *problem;
    EXPECT_FALSE(confirm_link_sms_problem(templates, agency(), kRealisticLink + 20)) << "without the prefix it fits";
    ASSERT_FALSE(templates.set(MessageKind::confirmation_with_link, Channel::sms,
                               {"", "Please confirm your appointment on {{date}} at {{time}} by opening this link: "
                                    "{{confirm_link}} (or reply YES to this message).", ""}));
    EXPECT_TRUE(confirm_link_sms_problem(templates, with_prefix(), kRealisticLink));
}
