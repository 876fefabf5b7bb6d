#include <rendering/confirm_link_fit.hpp>
#include <rendering/renderer.hpp>

namespace extcomm::rendering {

namespace {
// Wed 30 Sep 2026, 12:30pm UTC: the longest weekday, day and month names and the longest time there are.
constexpr TimeMs kLongestDateTime = 1'790'771'400'000;
} // namespace

std::optional<std::string> confirm_link_sms_problem(const TemplateSet& templates, const RenderSettings& settings,
                                                    std::size_t link_characters) {
    ServiceEventFacts facts;
    facts.start = kLongestDateTime;
    facts.site.time_zone = "UTC";
    facts.confirm_link = std::string(link_characters, 'x');
    auto rendered = Renderer(templates).render({MessageKind::confirmation_with_link, Channel::sms, facts}, settings);
    if (auto* error = std::get_if<RenderError>(&rendered)) return error->reason;
    const auto& sms = std::get<RenderedMessage>(rendered);
    if (!sms.truncated) return std::nullopt;
    const std::size_t limit = sms.sms && sms.sms->encoding == sms::Encoding::ucs2 ? sms::kUcs2SinglePart
                                                                                  : sms::kGsm7SinglePart;
    return "the confirmation SMS with its confirm link would not fit one SMS (" + std::to_string(limit) +
           " characters) on a date such as Wed 30 Sep at 12:30pm: the SMS prefix, the confirmation-with-link SMS "
           "template and a link of " + std::to_string(link_characters) +
           " characters (confirm_links.base_url, /c/ and the token) need more, and the link would be cut. Shorten "
           "the prefix, the template or the base URL";
}

} // namespace extcomm::rendering
