#include <rendering/rich_text.hpp>

#include <kainjow/mustache.hpp>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <string_view>

namespace extcomm::rendering {
namespace {

constexpr std::array<std::string_view, 15> kKept = {"p",  "br", "b",  "strong", "i",  "em", "u",         "s",
                                                    "ul", "ol", "li", "h2",     "h3", "h4", "blockquote"};
constexpr std::array<std::string_view, 16> kDropped = {"script", "style",  "iframe",   "object",   "embed",  "svg",
                                                       "math",   "template", "noscript", "head",   "form",   "input",
                                                       "button", "select", "textarea", "frameset"};
constexpr std::array<std::string_view, 8> kBlocks = {"p", "ul", "ol", "h2", "h3", "h4", "blockquote", "div"};

bool among(std::string_view name, auto const& list) { return std::find(list.begin(), list.end(), name) != list.end(); }
std::string_view name_of(const xmlNode* node) { return reinterpret_cast<const char*>(node->name); }

std::string attribute(const xmlNode* node, const char* name) {
    xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
    if (!value) return {};
    std::string out(reinterpret_cast<const char*>(value));
    xmlFree(value);
    return out;
}

bool safe_href(std::string_view href) {
    std::string lower(href.substr(0, 8));
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:");
}

// HTML's white space rule: runs of space, tab and line breaks are one space.
std::string collapsed(std::string_view text) {
    std::string out;
    for (char c : text) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        if (!space) out += c;
        else if (out.empty() || out.back() != ' ') out += ' ';
    }
    return out;
}

class Writer {
public:
    void children(const xmlNode* node) {
        for (const xmlNode* child = node ? node->children : nullptr; child; child = child->next) element(child);
    }
    RichText done() {
        while (!out_.text.empty() && (out_.text.back() == ' ' || out_.text.back() == '\n')) out_.text.pop_back();
        return std::move(out_);
    }

private:
    void text(std::string_view raw) {
        std::string t = collapsed(raw);
        out_.html += kainjow::mustache::html_escape(t);
        if (at_line_start() && !t.empty() && t.front() == ' ') t.erase(0, 1);
        out_.text += t;
    }
    bool at_line_start() const { return out_.text.empty() || out_.text.back() == '\n'; }
    void end_line() {
        while (!out_.text.empty() && out_.text.back() == ' ') out_.text.pop_back();
        if (!at_line_start()) out_.text += '\n';
    }
    void blank_line() {
        end_line();
        if (!out_.text.empty() && !out_.text.ends_with("\n\n")) out_.text += '\n';
    }
    void link(const xmlNode* node) {
        const std::string href = attribute(node, "href");
        if (!safe_href(href)) return children(node);
        out_.html += "<a href=\"" + kainjow::mustache::html_escape(href) + "\" rel=\"noopener noreferrer\">";
        const std::size_t from = out_.text.size();
        children(node);
        out_.html += "</a>";
        if (std::string_view(out_.text).substr(from).find(href) == std::string_view::npos) out_.text += " (" + href + ")";
    }
    void element(const xmlNode* node) {
        if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
            return text(reinterpret_cast<const char*>(node->content));
        if (node->type != XML_ELEMENT_NODE) return; // comments, processing instructions
        const std::string_view name = name_of(node);
        if (among(name, kDropped)) return;
        if (name == "a") return link(node);
        if (name == "br") {
            out_.html += "<br>";
            out_.text += '\n';
            return;
        }
        const bool kept = among(name, kKept), block = among(name, kBlocks);
        if (block) blank_line();
        if (name == "li") {
            end_line();
            out_.text += "- ";
        }
        if (kept) out_.html += "<" + std::string(name) + ">";
        children(node);
        if (kept) out_.html += "</" + std::string(name) + ">";
        if (block) blank_line();
        if (name == "li") end_line();
    }

    RichText out_;
};

const xmlNode* body_of(const xmlNode* node) {
    for (; node; node = node->next) {
        if (node->type == XML_ELEMENT_NODE && name_of(node) == "body") return node;
        if (const xmlNode* found = body_of(node->children)) return found;
    }
    return nullptr;
}

} // namespace

RichText rich_text(std::string_view html) {
    static std::once_flag init;
    std::call_once(init, [] { xmlInitParser(); }); // libxml2's global tables, once, before threads share them
    if (html.find_first_not_of(" \t\r\n") == std::string_view::npos) return {};
    // NONET: never fetch anything; NOERROR/NOWARNING: bad markup is repaired, not reported on stderr.
    const int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING;
    std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> doc(
        htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8", options), xmlFreeDoc);
    Writer writer;
    if (doc) writer.children(body_of(xmlDocGetRootElement(doc.get())));
    return writer.done();
}

} // namespace extcomm::rendering
