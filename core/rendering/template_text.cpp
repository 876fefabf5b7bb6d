#include <rendering/template_text.hpp>

#include <extcomm/sms_text.hpp>

#include <vector>

namespace extcomm::rendering {

namespace {

struct Position {
    size_t line = 1;
    size_t column = 1; // in characters
};

Position position_of(std::string_view text, size_t offset) {
    Position p;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
        auto b = static_cast<unsigned char>(text[i]);
        if (b == '\n') {
            ++p.line;
            p.column = 1;
        } else if ((b & 0xC0) != 0x80) { // not a UTF-8 continuation byte: a new character
            ++p.column;
        }
    }
    return p;
}

std::string where(std::string_view text, size_t offset) {
    Position p = position_of(text, offset);
    return "line " + std::to_string(p.line) + ", column " + std::to_string(p.column);
}

std::string at(std::string_view text, size_t offset) { return where(text, offset) + ": "; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string names_of(const std::vector<VariableDoc>& variables) {
    std::string out;
    for (const auto& v : variables) {
        if (!out.empty()) out += ", ";
        out += v.name;
    }
    return out.empty() ? "no variables" : out;
}

struct OpenSection {
    std::string name;
    size_t offset;
    const VariableDoc* list; // the list this section iterates, if any
};

} // namespace

std::optional<std::string> check_text(std::string_view text, const VariableCatalogue& catalogue) {
    if (!sms::decode_utf8(text)) return "the template is not valid UTF-8";
    std::vector<OpenSection> open;
    size_t pos = 0;
    while ((pos = text.find("{{", pos)) != std::string_view::npos) {
        const size_t start = pos;
        const bool triple = text.compare(pos, 3, "{{{") == 0;
        const std::string_view closer = triple ? "}}}" : "}}";
        const size_t content_begin = pos + (triple ? 3 : 2);
        const size_t end = text.find(closer, content_begin);
        if (end == std::string_view::npos)
            return at(text, start) + "the tag is not closed with \"" + std::string(closer) + "\"";
        pos = end + closer.size();
        std::string_view content = trim(text.substr(content_begin, end - content_begin));
        char sigil = triple ? '{' : content.empty() ? '\0' : content.front();
        if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!' || sigil == '>' || sigil == '=' || sigil == '&')
            content = trim(content.substr(1));
        if (sigil == '!') continue; // a comment
        if (sigil == '>') return at(text, start) + "partials ({{> …}}) are not supported in message templates";
        if (sigil == '=') return at(text, start) + "changing the delimiters ({{= … =}}) is not supported in message templates";
        if (content.empty()) return at(text, start) + "an empty tag: put a variable name between the braces";
        const std::string name(content);

        if (sigil == '/') {
            if (open.empty()) return at(text, start) + "{{/" + name + "}} closes a section that was never opened";
            if (open.back().name != name)
                return at(text, start) + "{{/" + name + "}} closes a section, but the open one is {{#" +
                       open.back().name + "}} (opened at " + where(text, open.back().offset) + ")";
            open.pop_back();
            continue;
        }

        // Which variable is this? Items of the innermost enclosing lists first, then the message's own.
        const VariableDoc* found = nullptr;
        for (auto it = open.rbegin(); it != open.rend() && !found; ++it) {
            if (!it->list) continue;
            for (const auto& item : it->list->item_variables)
                if (item.name == name) found = &item;
        }
        if (!found) found = catalogue.find(name);
        if (!found) {
            if (const WithheldVariable* w = catalogue.find_withheld(name))
                return at(text, start) + "the variable \"" + name + "\" is not available here: " + std::string(w->reason);
            std::string allowed = names_of(catalogue.variables);
            for (auto it = open.rbegin(); it != open.rend(); ++it)
                if (it->list) allowed += "; inside {{#" + it->name + "}}: " + names_of(it->list->item_variables);
            return at(text, start) + "unknown variable \"" + name + "\"; this template may use: " + allowed;
        }
        const bool is_list = !found->item_variables.empty();
        if (sigil == '#' || sigil == '^') {
            open.push_back({name, start, is_list && sigil == '#' ? found : nullptr});
        } else if (is_list) {
            return at(text, start) + "\"" + name + "\" is a list: use {{#" + name + "}}…{{/" + name + "}}";
        }
    }
    if (!open.empty())
        return at(text, open.back().offset) + "the section {{#" + open.back().name + "}} is never closed with {{/" +
               open.back().name + "}}";
    // Our scan follows mustache's grammar for default delimiters; kainjow's parser has the last word.
    kainjow::mustache::mustache parsed{std::string(text)};
    if (!parsed.is_valid()) return "the template does not parse: " + parsed.error_message();
    return std::nullopt;
}

std::variant<std::string, TextRenderError> render_text(std::string_view text, const kainjow::mustache::data& values,
                                                       Escaping escaping) {
    // Parsed per render: templates are a few hundred bytes, and a kainjow instance is not safe to share
    // between threads because render() records its errors in the instance.
    kainjow::mustache::mustache tmpl{std::string(text)};
    if (escaping == Escaping::none) tmpl.set_custom_escape([](const std::string& s) { return s; });
    if (!tmpl.is_valid()) return TextRenderError{"the template does not parse: " + tmpl.error_message()};
    std::string out = tmpl.render(values);
    if (!tmpl.is_valid()) return TextRenderError{"the template failed to render: " + tmpl.error_message()};
    return out;
}

} // namespace extcomm::rendering
