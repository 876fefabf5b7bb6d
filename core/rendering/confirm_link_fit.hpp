#pragma once
// Whether the confirmation SMS with a confirm link fits one SMS on every day of the year, checked when a
// setting that shapes it changes (the SMS prefix, the template) and when the service starts, so that an
// agency learns before the first confirmation goes out that its link would be cut.
#include <rendering/facts.hpp>
#include <rendering/template_set.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace extcomm::rendering {

// nullopt when the agency's confirmation-with-link SMS, with its prefix, the longest date and time
// ("Wed 30 Sep", "12:30pm") and a link of `link_characters` characters, fits one SMS uncut; else why not.
// The site's phone, which varies by site, is left out.
std::optional<std::string> confirm_link_sms_problem(const TemplateSet& templates, const RenderSettings& settings,
                                                    std::size_t link_characters);

} // namespace extcomm::rendering
