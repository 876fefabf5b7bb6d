#pragma once
// The renderer: one message for one recipient on one channel, from its kind, its facts, the agency's
// templates and settings. Pure: no storage, no clock, no I/O; the same input renders the same text,
// which is what a preview shows and what the outbox stores.
//
// Detail levels (Worker Delivery > Delivery Details) govern collaboration messages by their type and the
// automated worker notices by theirs (rendering::detail_type_of): "disallow" renders nothing (an error
// naming detail_level), "subject only" renders the email's subject with a line saying the rest stays in
// Penelope, and as SMS the subject alone.
// SMS: collaboration messages carry their subject only; client event messages get the agency's prefix;
// kinds that must fit one SMS (automated event messages, collaboration subjects, verification codes)
// that come out too long are rendered again without the site, then the worker's name, then the
// location (putting back what fits again), and only then cut; the others may take up to
// RenderSettings::sms_max_parts parts.
// Email: subject, text body and the HTML body when the template has one; client event emails end with
// the agency's footer.
#include <rendering/facts.hpp>
#include <rendering/message_values.hpp>
#include <rendering/render_error.hpp>
#include <rendering/sms_fit.hpp>
#include <rendering/template_set.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace extcomm::rendering {

struct RenderedMessage {
    std::string subject;   // email only; one line
    std::string body;      // email text body, or the SMS text with its prefix
    std::string html_body; // email only; empty when the template has no HTML
    std::optional<SmsText> sms;          // SMS only: encoding, characters, units, segments
    std::vector<OptionalPart> dropped;   // SMS only: parts left out to fit, in the order they went
    bool truncated = false;              // SMS only: cut to fit after dropping everything optional
};

class Renderer {
public:
    explicit Renderer(const TemplateSet& templates) : templates_(templates) {}

    std::variant<RenderedMessage, RenderError> render(const RenderRequest& request, const RenderSettings& settings) const;

private:
    std::variant<RenderedMessage, RenderError> render_sms(const RenderRequest& request, const RenderSettings& settings,
                                                          const MessageValues& values) const;
    std::variant<RenderedMessage, RenderError> render_subject_only(const RenderRequest& request,
                                                                   const RenderSettings& settings,
                                                                   const MessageValues& values,
                                                                   CollaborationType type) const;
    std::variant<RenderedMessage, RenderError> render_email(const RenderRequest& request,
                                                            const RenderSettings& settings,
                                                            const MessageValues& values) const;

    const TemplateSet& templates_;
};

} // namespace extcomm::rendering
