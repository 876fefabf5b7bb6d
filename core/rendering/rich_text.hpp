#pragma once
// Rich text an administrator or worker wrote (an action's message, a task's message): HTML reduced to an
// allow-list, and the plain text of the same content for the text part and SMS.
//
// The HTML is read by libxml2's HTML parser (the one a browser-grade tokenizer gives: entities decoded,
// unclosed tags closed, comments and doctype recognised), never by pattern matching. From its tree only
// these survive:
//   p, br, b, strong, i, em, u, s, ul, ol, li, h2, h3, h4, blockquote: without attributes;
//   a: with an href of http:, https: or mailto: only (rel="noopener noreferrer" added), else unwrapped.
// Elements whose content is code or embeds (script, style, iframe, object, embed, svg, math, template,
// noscript, form controls, head) are dropped with their content; every other element is unwrapped (its
// text kept), and so is a kept one where it cannot nest (a block inside a paragraph or an inline element,
// a list item outside a list), so that the output parses back to itself. Text is escaped on the way out, so what comes out is well-formed and carries no markup that
// was not on the list. Plain text: blocks separated by a blank line, list items "- ", <br> a line break,
// a link "text (href)" unless the text is the address. Input that is not HTML at all is text: "a < b"
// stays "a < b". `html` is valid UTF-8 (it comes from a JSON string). Pure, thread-safe.
#include <string>
#include <string_view>

namespace extcomm::rendering {

struct RichText {
    std::string html; // allow-listed, escaped
    std::string text; // the same content as plain text
};

RichText rich_text(std::string_view html);

} // namespace extcomm::rendering
