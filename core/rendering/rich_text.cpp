#include <rendering/rich_text.hpp>

#include <kainjow/mustache.hpp>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

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
        close_implied_paragraph();
        while (!out_.text.empty() && (out_.text.back() == ' ' || out_.text.back() == '\n')) out_.text.pop_back();
        return std::move(out_);
    }

private:
    void text(std::string_view raw) {
        std::string t = collapsed(raw);
        if (t != " " && !t.empty()) open_implied_paragraph();
        // Adjacent text nodes (an unwrapped element between them) collapse as one run does.
        if (!t.empty() && t.front() == ' ' && !out_.html.empty() && out_.html.back() == ' ') t.erase(0, 1);
        if (!open_.empty()) out_.html += kainjow::mustache::html_escape(t); // blank text between blocks is dropped
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
        // A link inside a link would be split by a parser reading the output: the inner one is unwrapped.
        if (!safe_href(href) || std::find(open_.begin(), open_.end(), "a") != open_.end()) return children(node);
        open_implied_paragraph();
        out_.html += "<a href=\"" + kainjow::mustache::html_escape(href) + "\" rel=\"noopener noreferrer\">";
        const std::size_t from = out_.text.size();
        open_.push_back("a");
        children(node);
        open_.pop_back();
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
            open_implied_paragraph();
            out_.html += "<br>";
            out_.text += '\n';
            return;
        }
        const bool kept = among(name, kKept) && nests(name), block = among(name, kBlocks);
        if (block) blank_line();
        if (name == "li") {
            end_line();
            out_.text += "- ";
        }
        if (kept) {
            if (among(name, kBlocks)) close_implied_paragraph();
            else open_implied_paragraph();
            out_.html += "<" + std::string(name) + ">";
            open_.push_back(name);
        }
        children(node);
        if (kept) {
            open_.pop_back();
            out_.html += "</" + std::string(name) + ">";
        }
        if (block) blank_line();
        if (name == "li") end_line();
    }

    // Whether `name` may open here so that the output parses back to the same tree (it is a fixed point):
    // an HTML parser closes a <p> or an inline element before a block, and a list item belongs in a list.
    // An element that may not is unwrapped, its text kept.
    // Text or an inline element at the top level is in a paragraph, as the parser would put it when it
    // reads the output again (libxml2's implied <p>); a block at the top level ends that paragraph.
    void open_implied_paragraph() {
        if (!open_.empty()) return;
        out_.html += "<p>";
        open_.push_back("p");
        implied_ = true;
    }
    void close_implied_paragraph() {
        if (!implied_ || open_.size() != 1) return;
        out_.html += "</p>";
        open_.pop_back();
        implied_ = false;
    }

    bool nests(std::string_view name) const {
        const std::string_view parent = open_.empty() || (implied_ && open_.size() == 1) ? std::string_view() : open_.back();
        if (name == "li") return parent == "ul" || parent == "ol";
        if (!among(name, kBlocks)) return true; // inline: anywhere
        return parent.empty() || parent == "blockquote" || parent == "li";
    }

    RichText out_;
    std::vector<std::string_view> open_; // the kept elements open around the current node
    bool implied_ = false;               // open_ is only a paragraph this writer opened
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
