#pragma once
// One mustache text: checking it against a variable catalogue, and rendering it. Internal to rendering.
#include <rendering/variables.hpp>

#include <kainjow/mustache.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace extcomm::rendering {

// nullopt when `text` parses and uses only variables of `catalogue`; otherwise the reason.
std::optional<std::string> check_text(std::string_view text, const VariableCatalogue& catalogue);

enum class Escaping { none, html };

struct TextRenderError {
    std::string reason;
};

// Renders checked `text`. Plain-text parts (subject, text body, SMS) are not escaped: "&" stays "&" in an
// SMS. HTML bodies escape every {{variable}} so a worker's name cannot inject markup.
std::variant<std::string, TextRenderError> render_text(std::string_view text, const kainjow::mustache::data& values,
                                                       Escaping escaping);

} // namespace extcomm::rendering
