#pragma once
// The values a template sees: the message's facts turned into the documented variables, with the
// privacy switches and the detail level already applied, and the optional parts that can be dropped to
// fit one SMS. Internal to rendering.
#include <rendering/facts.hpp>
#include <rendering/render_error.hpp>
#include <rendering/rich_text.hpp>
#include <rendering/template_text.hpp>

#include <kainjow/mustache.hpp>

#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace extcomm::rendering {

// Parts an automated event SMS loses, one at a time in this order, before it is cut: the site, then the
// worker's name, then the location (the seed: "The Worker name and/or Site may not appear"). A part
// dropped earlier comes back when it fits again, so a long site name does not cost the worker's name.
enum class OptionalPart { worker, site, location };
inline constexpr OptionalPart kDropOrder[] = {OptionalPart::site, OptionalPart::worker, OptionalPart::location};
std::string_view to_string(OptionalPart part); // "worker", "site", "location"

struct MessageValues {
    std::map<std::string, std::string> text;                 // empty values are left out
    std::map<std::string, RichText> rich;                    // rich text: HTML in HTML parts, else its text
    std::string list_name;                                   // "notices" for digests
    std::vector<std::map<std::string, std::string>> list;    // its items

    // Leaves the variables of `part` out. False when the message had none of them.
    bool drop(OptionalPart part);
    // The values of one part. In an HTML part a rich value is a placeholder that escaping leaves alone
    // (mustache escapes every {{variable}}); with_rich_html() then puts the allow-listed HTML in its place.
    kainjow::mustache::data to_data(Escaping escaping) const;
    std::string with_rich_html(std::string rendered) const;
};

std::variant<MessageValues, RenderError> message_values(const RenderRequest& request, const RenderSettings& settings);

} // namespace extcomm::rendering
