#include <api/confirm_links_api.hpp>
#include <api/http_io.hpp>

#include <events/confirmations.hpp>
#include <events/service_event_json.hpp>
#include <rendering/local_time.hpp>
#include <rendering/message_values.hpp>

#include <kainjow/mustache.hpp>
#include <spdlog/spdlog.h>

#include <regex>

namespace extcomm::host {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;
namespace mustache = kainjow::mustache;

// One page for every answer. Mustache's {{ }} HTML-escapes each value; nothing from data is written raw.
// Readable without any stylesheet; the few inline rules only make it comfortable on a phone.
constexpr const char* kPage = R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{title}}</title>
<style>
body{margin:0;padding:1rem;background:#f4f5f7;color:#1d2430;
font:1.05rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:30rem;margin:0 auto;background:#fff;border-radius:.75rem;padding:1.25rem 1.5rem;
box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.35rem;margin:.25rem 0 1rem}
dt{font-weight:600;margin-top:.75rem}
dd{margin:0}
button{width:100%;margin-top:1.5rem;padding:.9rem;border:0;border-radius:.5rem;background:#1f5fbf;color:#fff;
font-size:1.1rem}
.note{color:#4a5566}
</style>
</head>
<body>
<main>
<h1>{{title}}</h1>
{{#message}}<p>{{message}}</p>
{{/message}}{{#appointment}}<dl>
<dt>When</dt><dd>{{date}} at {{time}}</dd>
{{#worker}}<dt>With</dt><dd>{{worker}}</dd>
{{/worker}}{{#where}}<dt>Where</dt><dd>{{where}}</dd>
{{/where}}{{#site_phone}}<dt>To change it, call</dt><dd><a href="tel:{{site_phone}}">{{site_phone}}</a></dd>
{{/site_phone}}</dl>
{{/appointment}}{{#can_confirm}}<form method="post"><button type="submit">Confirm my appointment</button></form>
{{/can_confirm}}{{#note}}<p class="note">{{note}}</p>
{{/note}}</main>
</body>
</html>
)";

constexpr const char* kNotValid = "This link is not valid";
constexpr const char* kNotValidText =
    "Please check that you opened the whole link from your message. If it still does not work, call us.";
constexpr const char* kExpired = "This link has expired";
constexpr const char* kExpiredText =
    "The appointment has started, or it was changed or cancelled. If you received a newer message, use its "
    "link; otherwise call us.";

struct Page {
    int status = 200;
    std::string title;
    std::string message;
    std::string note;
    std::optional<mustache::data> appointment;
    bool can_confirm = false;
};

void send_page(HTTPServerResponse& response, const Page& page) {
    mustache::data data{mustache::data::type::object};
    data.set("title", page.title);
    if (!page.message.empty()) data.set("message", page.message);
    if (!page.note.empty()) data.set("note", page.note);
    if (page.appointment) data.set("appointment", *page.appointment);
    if (page.can_confirm) data.set("can_confirm", true);
    mustache::mustache tmpl{std::string(kPage)}; // render() is not const: one per page (a small parse)
    // The link is the client's key to the page: no cache keeps it, no referrer passes it on, no frame holds it.
    response.set("Cache-Control", "no-store");
    response.set("Referrer-Policy", "no-referrer");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
    send_text(response, page.status, "text/html; charset=utf-8", tmpl.render(data));
}

Page problem_page(int status, const char* title, const char* text) { return Page{status, title, text, "", {}, false}; }

// The appointment as a message to the client would show it: local date and time in the site's zone
// (else the agency's), the worker, site and location only as the privacy switches allow.
std::optional<mustache::data> appointment_data(const rendering::ServiceEventFacts& facts,
                                               const rendering::RenderSettings& settings) {
    auto values = rendering::message_values({rendering::MessageKind::confirmation, Channel::email, facts}, settings);
    if (auto* error = std::get_if<rendering::RenderError>(&values)) {
        spdlog::error("confirm page: cannot show the appointment: {} {}", error->field, error->reason);
        return std::nullopt;
    }
    auto& text = std::get<rendering::MessageValues>(values).text;
    auto value = [&](const char* name) {
        auto it = text.find(name);
        return it == text.end() ? std::string() : it->second;
    };
    std::string where = value("site");
    if (!value("location").empty()) where += (where.empty() ? "" : ", ") + value("location");
    mustache::data data{mustache::data::type::object};
    data.set("date", value("date"));
    data.set("time", value("time"));
    for (const char* name : {"worker", "site_phone"})
        if (!value(name).empty()) data.set(name, value(name));
    if (!where.empty()) data.set("where", where);
    return data;
}

// "Tue 3 Mar at 2:31pm", where the appointment is.
std::string local_when(TimeMs at, const rendering::ServiceEventFacts& facts,
                       const rendering::RenderSettings& settings) {
    auto local = rendering::local_date_time(at, facts.site.time_zone.empty() ? settings.agency_time_zone
                                                                              : facts.site.time_zone);
    if (auto* t = std::get_if<rendering::LocalDateTime>(&local)) return t->date + " at " + t->time;
    return {};
}

void serve_page(ApiContext& context, const std::string& method, const std::string& token, HTTPServerRequest& request,
                HTTPServerResponse& response) {
    if (method != "GET" && method != "POST") {
        response.set("Allow", "GET, POST");
        return send_page(response, problem_page(405, "Not available", "Open the link from your message."));
    }
    if (method == "POST") read_body(request); // a form's few bytes; read so the connection stays usable

    auto verified = context.confirm_tokens.verify(token);
    if (auto* id = std::get_if<events::ConfirmLinkId>(&verified)) {
        auto stored = context.confirmations.stored_link(*id);
        if (!stored) return send_page(response, problem_page(404, kNotValid, kNotValidText));
        verified = std::move(*stored);
    }
    if (std::holds_alternative<events::TokenProblem>(verified))
        return send_page(response, problem_page(404, kNotValid, kNotValidText));
    const events::ConfirmTokenFacts& link = std::get<events::ConfirmTokenFacts>(verified);
    const rendering::RenderSettings settings = context.settings.current()->settings.render_settings();

    Page page;
    if (method == "POST") {
        auto result = context.confirmations.confirm(link, events::ConfirmedVia::link);
        if (result.outcome == events::ConfirmOutcome::unknown)
            return send_page(response, problem_page(404, kNotValid, kNotValidText));
        if (result.outcome == events::ConfirmOutcome::expired)
            return send_page(response, problem_page(410, kExpired, kExpiredText));
        if (result.outcome == events::ConfirmOutcome::confirmed) {
            page.title = "Thank you: your appointment is confirmed";
            if (result.notice) context.dispatcher.wake(); // the workers' notice
        } else {
            page.title = "Your appointment is already confirmed";
        }
    }
    // The appointment as it is now (also after a POST: the page shows what was confirmed).
    events::Appointment shown = context.confirmations.open(link);
    switch (shown.state) {
    case events::LinkState::unknown: return send_page(response, problem_page(404, kNotValid, kNotValidText));
    case events::LinkState::expired: return send_page(response, problem_page(410, kExpired, kExpiredText));
    case events::LinkState::open:
        page.title = "Please confirm your appointment";
        page.can_confirm = true;
        break;
    case events::LinkState::confirmed:
        if (page.title.empty()) page.title = "Your appointment is confirmed";
        if (shown.confirmation)
            page.note = "Confirmed on " + local_when(shown.confirmation->confirmed_at, *shown.facts, settings) + ".";
        break;
    }
    page.appointment = appointment_data(*shown.facts, settings);
    if (!page.appointment) return send_page(response, problem_page(500, "Not available right now", "Please call us."));
    send_page(response, page);
}

} // namespace

std::string confirm_link_url(const std::string& base_url, const std::string& token) {
    std::string base = base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/c/" + token;
}

std::size_t confirm_link_characters(const std::string& base_url) {
    if (base_url.empty()) return 0;
    return confirm_link_url(base_url, std::string(events::kConfirmTokenCharacters, 'x')).size();
}

bool route_confirm_pages(ApiContext& context, const std::string& method, const std::string& path,
                         HTTPServerRequest& request, HTTPServerResponse& response) {
    // Anything under /c/ is a confirm page, so a cut or garbled link gets the page that says so.
    if (!path.starts_with("/c/")) return false;
    serve_page(context, method, path.substr(3), request, response);
    return true;
}

boost::json::array event_confirmations_json(ApiContext& context, const std::string& event_id, int offset_minutes) {
    boost::json::array out;
    auto at = [&](TimeMs ms) {
        return ms == 0 ? boost::json::value(nullptr)
                       : boost::json::value(events::format_offset_time(ms, offset_minutes));
    };
    for (const auto& c : context.confirmations.of_event(event_id))
        out.push_back(boost::json::object{{"client", c.client},
                                          {"sent_at", at(c.sent_at)},
                                          {"confirmed_at", at(c.confirmed_at)},
                                          {"via", c.via.empty() ? boost::json::value(nullptr)
                                                                : boost::json::value(c.via)}});
    return out;
}

} // namespace extcomm::host
