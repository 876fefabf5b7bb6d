#include <rendering/renderer.hpp>
#include <rendering/template_text.hpp>

#include <algorithm>

namespace extcomm::rendering {

namespace {

std::variant<std::string, RenderError> render_part(std::string_view part, const std::string& text,
                                                   const MessageValues& values, Escaping escaping) {
    auto out = render_text(text, values.to_data(escaping), escaping);
    if (auto* bad = std::get_if<TextRenderError>(&out)) return RenderError{std::string(part), bad->reason};
    if (escaping == Escaping::html) return values.with_rich_html(std::get<std::string>(std::move(out)));
    return std::get<std::string>(std::move(out));
}

std::string trimmed(std::string s) {
    auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
    while (!s.empty() && space(s.back())) s.pop_back();
    s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), space));
    return s;
}

// A subject is one header line: line breaks from a variable would end the header early.
std::string one_line(std::string s) {
    std::replace_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    return trimmed(std::move(s));
}

// The footer is agency text, not markup: escaped like a {{variable}}, its line breaks kept.
std::string html_paragraph(const std::string& text) {
    std::string out = "<p>";
    for (char c : kainjow::mustache::html_escape(text)) out += c == '\n' ? std::string("<br>\n") : std::string(1, c);
    return out + "</p>\n";
}

// The collaboration type whose detail level governs this message, if any.
std::optional<CollaborationType> governing_type(const RenderRequest& request) {
    if (const auto* facts = std::get_if<CollaborationFacts>(&request.facts)) return facts->type;
    return detail_type_of(request.kind);
}

// The body without the optional parts in `left_out`.
std::variant<std::string, RenderError> body_without(const std::string& body, const MessageValues& values,
                                                    const std::vector<OptionalPart>& left_out) {
    MessageValues shown = values;
    for (OptionalPart part : left_out) shown.drop(part);
    auto text = render_part("body", body, shown, Escaping::none);
    if (auto* bad = std::get_if<RenderError>(&text)) return *bad;
    return trimmed(std::get<std::string>(std::move(text)));
}

struct Fitted {
    std::string body;
    std::vector<OptionalPart> dropped; // in the order they went
};

// Drops optional parts one at a time (kDropOrder) until the body fits, then puts back each dropped part
// that fits again: the site dropped first comes back when dropping the worker made room for it.
std::variant<Fitted, RenderError> drop_to_fit(const std::string& tmpl_body, const MessageValues& values,
                                              std::string_view prefix, std::size_t max_parts) {
    Fitted out;
    auto full = body_without(tmpl_body, values, {});
    if (auto* bad = std::get_if<RenderError>(&full)) return *bad;
    out.body = std::get<std::string>(std::move(full));
    for (OptionalPart part : kDropOrder) {
        if (fits_sms(prefix, out.body, max_parts)) break;
        std::vector<OptionalPart> left_out = out.dropped;
        left_out.push_back(part);
        auto shorter = body_without(tmpl_body, values, left_out);
        if (auto* bad = std::get_if<RenderError>(&shorter)) return *bad;
        std::string& candidate = std::get<std::string>(shorter);
        if (candidate == out.body) continue; // the message has no such part, or the template does not show it
        out.body = std::move(candidate);
        out.dropped = std::move(left_out);
    }
    if (out.dropped.size() < 2 || !fits_sms(prefix, out.body, max_parts)) return out;
    for (std::size_t i = 0; i + 1 < out.dropped.size();) {
        std::vector<OptionalPart> left_out = out.dropped;
        left_out.erase(left_out.begin() + static_cast<std::ptrdiff_t>(i));
        auto longer = body_without(tmpl_body, values, left_out);
        if (auto* bad = std::get_if<RenderError>(&longer)) return *bad;
        if (!fits_sms(prefix, std::get<std::string>(longer), max_parts)) {
            ++i;
            continue;
        }
        out.body = std::get<std::string>(std::move(longer));
        out.dropped = std::move(left_out);
    }
    return out;
}

} // namespace

std::variant<RenderedMessage, RenderError> Renderer::render(const RenderRequest& request,
                                                            const RenderSettings& settings) const {
    auto values = message_values(request, settings);
    if (auto* bad = std::get_if<RenderError>(&values)) return *bad;
    if (auto type = governing_type(request)) {
        const DetailLevel level = settings.detail_level(*type);
        if (level == DetailLevel::disallow)
            return RenderError{"detail_level", "the administrator disallows " + std::string(display_name(*type)) +
                                                   " messages outside Penelope (Worker Delivery > Delivery Details)"};
        if (level == DetailLevel::subject_only) return render_subject_only(request, settings, std::get<MessageValues>(values), *type);
    }
    if (request.channel == Channel::sms) return render_sms(request, settings, std::get<MessageValues>(values));
    return render_email(request, settings, std::get<MessageValues>(values));
}

// "Subject only" (Worker Delivery > Delivery Details): the email keeps its subject and says the rest
// stays in Penelope; an SMS is the subject alone.
std::variant<RenderedMessage, RenderError> Renderer::render_subject_only(const RenderRequest& request,
                                                                         const RenderSettings& settings,
                                                                         const MessageValues& values,
                                                                         CollaborationType type) const {
    const MessageTemplate& tmpl = templates_.get(request.kind, Channel::email);
    auto subject = render_part("subject", tmpl.subject, values, Escaping::none);
    if (auto* bad = std::get_if<RenderError>(&subject)) return *bad;
    RenderedMessage out;
    out.subject = one_line(std::get<std::string>(std::move(subject)));
    if (out.subject.empty()) return RenderError{"subject", "the email would have no subject"};
    if (request.channel == Channel::email) {
        out.body = "Only the subject of this " + std::string(display_name(type)) +
                   " leaves Penelope. Log in to Penelope to read it.\n";
        return out;
    }
    std::string text = fits_sms("", out.subject, 1) ? out.subject : cut_sms_to_fit("", out.subject, 1);
    out.truncated = text != out.subject;
    out.subject.clear();
    out.body = std::move(text);
    out.sms = measure_sms(out.body);
    (void)settings;
    return out;
}

std::variant<RenderedMessage, RenderError> Renderer::render_sms(const RenderRequest& request,
                                                                const RenderSettings& settings,
                                                                const MessageValues& values) const {
    const MessageTemplate& tmpl = templates_.get(request.kind, Channel::sms);
    std::string prefix;
    if (is_client_event_message(request.kind)) {
        if (auto reason = check_sms_prefix(settings.sms_prefix)) return RenderError{"sms_prefix", *reason};
        prefix = trimmed(settings.sms_prefix);
    }
    const std::size_t max_parts = fits_one_sms(request.kind) ? 1 : std::max<std::size_t>(1, settings.sms_max_parts);

    auto fitted = drop_to_fit(tmpl.body, values, prefix, max_parts);
    if (auto* bad = std::get_if<RenderError>(&fitted)) return *bad;
    RenderedMessage out;
    std::string body = std::move(std::get<Fitted>(fitted).body);
    out.dropped = std::move(std::get<Fitted>(fitted).dropped);
    if (!fits_sms(prefix, body, max_parts)) {
        body = cut_sms_to_fit(prefix, body, max_parts);
        out.truncated = true;
    }
    if (body.empty()) return RenderError{"body", "the SMS would be empty: the template rendered no text"};
    out.body = with_sms_prefix(prefix, body);
    out.sms = measure_sms(out.body);
    return out;
}

std::variant<RenderedMessage, RenderError> Renderer::render_email(const RenderRequest& request,
                                                                  const RenderSettings& settings,
                                                                  const MessageValues& values) const {
    const MessageTemplate& tmpl = templates_.get(request.kind, Channel::email);
    RenderedMessage out;
    auto subject = render_part("subject", tmpl.subject, values, Escaping::none);
    if (auto* bad = std::get_if<RenderError>(&subject)) return *bad;
    out.subject = one_line(std::get<std::string>(std::move(subject)));
    if (out.subject.empty()) return RenderError{"subject", "the email would have no subject"};

    auto body = render_part("body", tmpl.body, values, Escaping::none);
    if (auto* bad = std::get_if<RenderError>(&body)) return *bad;
    out.body = std::get<std::string>(std::move(body));
    if (trimmed(out.body).empty()) return RenderError{"body", "the email would have an empty body"};

    if (!tmpl.html_body.empty()) {
        auto html = render_part("html_body", tmpl.html_body, values, Escaping::html);
        if (auto* bad = std::get_if<RenderError>(&html)) return *bad;
        out.html_body = std::get<std::string>(std::move(html));
    }

    const std::string footer = trimmed(settings.email_footer);
    if (is_client_event_message(request.kind) && !footer.empty()) {
        if (out.body.back() != '\n') out.body += '\n';
        out.body += "\n" + footer + "\n";
        if (!out.html_body.empty()) out.html_body += html_paragraph(footer);
    }
    return out;
}

} // namespace extcomm::rendering
