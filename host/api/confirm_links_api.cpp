#include <api/confirm_links_api.hpp>
#include <api/http_io.hpp>
#include <api/public_page.hpp>

#include <events/confirmations.hpp>
#include <events/service_event_json.hpp>
#include <rendering/message_values.hpp>

#include <kainjow/mustache.hpp>
#include <spdlog/spdlog.h>

#include <regex>

namespace extcomm::host {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;
namespace mustache = kainjow::mustache;

// The confirm page's part of the shared shell (public_page.hpp). Mustache's {{ }} HTML-escapes each value;
// nothing from data is written raw.
constexpr const char* kConfirmMain = R"({{#message}}<p>{{message}}</p>
{{/message}}{{#appointment}}<dl>
<dt>When</dt><dd>{{date}} at {{time}}</dd>
{{#worker}}<dt>With</dt><dd>{{worker}}</dd>
{{/worker}}{{#where}}<dt>Where</dt><dd>{{where}}</dd>
{{/where}}{{#site_phone}}<dt>To change it, call</dt><dd><a href="tel:{{site_phone}}">{{site_phone}}</a></dd>
{{/site_phone}}</dl>
{{/appointment}}{{#can_confirm}}<form method="post"><button type="submit">Confirm my appointment</button></form>
{{/can_confirm}}{{#note}}<p class="note">{{note}}</p>
{{/note}})";

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
    if (!page.message.empty()) data.set("message", page.message);
    if (!page.note.empty()) data.set("note", page.note);
    if (page.appointment) data.set("appointment", *page.appointment);
    if (page.can_confirm) data.set("can_confirm", true);
    mustache::mustache tmpl{std::string(kConfirmMain)}; // render() is not const: one per page (a small parse)
    send_public_page(response, page.status, page.title, tmpl.render(data));
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
    return page_when(at, facts.site.time_zone.empty() ? settings.agency_time_zone : facts.site.time_zone);
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
    return public_page_url(base_url, "c", token);
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
