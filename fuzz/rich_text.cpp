// Fuzzes rich text (core/rendering/rich_text): an administrator's or worker's message as they wrote it,
// read by libxml2's HTML parser and reduced to the allow-list before it is put into an email. Invariants:
// every tag in the output is on the allow-list, and an `a` carries only an http(s) or mailto href; the
// output is a fixed point (reducing it again changes nothing), so nothing in it depends on markup the
// list removed.
#include "invariant.hpp"

#include <extcomm/sms_text.hpp>
#include <rendering/rich_text.hpp>

#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using extcomm::fuzz::require;

namespace {

constexpr std::array<std::string_view, 16> kAllowed = {"p",  "br", "b",  "strong", "i",  "em", "u",          "s",
                                                      "ul", "ol", "li", "h2",     "h3", "h4", "blockquote", "a"};

void only_allowed_tags(const std::string& html) {
    for (std::size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
        std::size_t name = at + 1 + (at + 1 < html.size() && html[at + 1] == '/');
        std::size_t end = name;
        while (end < html.size() && std::isalnum(static_cast<unsigned char>(html[end]))) ++end;
        const std::string_view tag(html.data() + name, end - name);
        bool allowed = false;
        for (auto a : kAllowed) allowed = allowed || a == tag;
        require(allowed, "every tag in the output is on the allow-list");
        if (tag == "a" && html[at + 1] != '/') {
            std::string rest = html.substr(end, 16); // schemes are case-insensitive (RFC 3986 3.1)
            for (char& c : rest) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            require(rest.starts_with(" href=\"https://") || rest.starts_with(" href=\"http://") ||
                        rest.starts_with(" href=\"mailto:"),
                    "a link keeps only a web or mail address");
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 64 * 1024) return 0; // an action's message is at most 20,000 characters
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (!extcomm::sms::decode_utf8(input)) return 0; // messages arrive in JSON strings: valid UTF-8 (rich_text.hpp)
    const extcomm::rendering::RichText once = extcomm::rendering::rich_text(input);
    only_allowed_tags(once.html);
    require(extcomm::rendering::rich_text(once.html).html == once.html, "the output is a fixed point");
    return 0;
}
