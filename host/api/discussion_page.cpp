#include <api/discussion_page.hpp>
#include <api/http_io.hpp>
#include <api/public_page.hpp>

#include <agency/people_store.hpp>
#include <discussions/discussions.hpp>
#include <events/confirm_token.hpp>
#include <rendering/rich_text.hpp>

#include <extcomm/sms_text.hpp>

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/NetException.h>
#include <Poco/URI.h>
#include <kainjow/mustache.hpp>
#include <spdlog/spdlog.h>

#include <map>
#include <sstream>

namespace extcomm::host {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;
namespace mustache = kainjow::mustache;

constexpr std::size_t kMaxReplyCharacters = 4000;

// The page's part of the shared shell (public_page.hpp). Mustache's {{ }} HTML-escapes each value; the one
// raw value, {{{html}}}, is a worker's message as rendering::rich_text gives it: allow-listed and escaped.
// A client's text keeps its line breaks (pre-wrap); long words wrap, so the page stays phone-wide.
constexpr const char* kThreadMain = R"({{#sent}}<p class="note" role="status">Your reply was sent.</p>
{{/sent}}{{#messages}}<article style="overflow-wrap:anywhere">
<h2>{{who}}</h2>
<p class="note">{{when}}</p>
{{#html}}<div>{{{html}}}</div>
{{/html}}{{#text}}<p style="white-space:pre-wrap">{{text}}</p>
{{/text}}</article>
{{/messages}}<form method="post">
<label for="reply">Your reply</label>
<p class="help" id="reply-help">The people in this discussion read it. Up to 4,000 characters.</p>
{{#error}}<p class="error" id="reply-error">{{error}}</p>
{{/error}}<textarea id="reply" name="message" rows="6" aria-describedby="reply-help{{#error}} reply-error{{/error}}"{{#error}} aria-invalid="true"{{/error}}>{{draft}}</textarea>
<button type="submit">Send my reply</button>
</form>
)";

constexpr const char* kNotValid = "This link is not valid";
constexpr const char* kNotValidText =
    "Please check that you opened the whole link from your email. If it still does not work, contact us.";
constexpr const char* kExpired = "This link has expired";
constexpr const char* kExpiredText =
    "A link to a discussion works for 30 days after it was sent. Each new message in the discussion comes "
    "with a new link; otherwise, contact us.";

void send_link_problem(HTTPServerResponse& response, discussions::LinkState state) {
    if (state == discussions::LinkState::expired) return send_public_problem(response, 410, kExpired, kExpiredText);
    send_public_problem(response, 404, kNotValid, kNotValidText);
}

// The thread as the client reads it, into `data`: the workers by the name messages show, the client as "You".
void add_thread(ApiContext& context, const discussions::Discussion& d, mustache::data& data) {
    const auto settings = context.settings.current()->settings.render_settings();
    std::map<std::string, std::string> names;
    mustache::data messages{mustache::data::type::list};
    for (const auto& m : d.messages) {
        mustache::data item{mustache::data::type::object};
        item.set("when", page_when(m.at, settings.agency_time_zone));
        if (m.author == discussions::Author::client) {
            item.set("who", std::string("You wrote"));
            item.set("text", m.body);
        } else {
            if (!names.contains(m.author_id)) {
                auto worker = context.people.worker(m.author_id);
                names[m.author_id] = worker ? discussions::shown_name(*worker, settings.privacy.hide_worker_last_name) : "";
            }
            const std::string& name = names[m.author_id];
            item.set("who", (name.empty() ? std::string("We") : name) + " wrote");
            item.set("html", rendering::rich_text(m.body).html);
        }
        messages.push_back(item);
    }
    data.set("messages", messages);
}

void send_thread(ApiContext& context, HTTPServerResponse& response, int status, const discussions::Discussion& d,
                 mustache::data data) {
    mustache::mustache tmpl{std::string(kThreadMain)}; // render() is not const: one per page (a small parse)
    add_thread(context, d, data);
    send_public_page(response, status, d.subject, tmpl.render(data));
}

// What is wrong with a reply, in words for the client; "" when nothing is.
std::string reply_problem(const std::string& message) {
    if (message.find_first_not_of(" \t\r\n") == std::string::npos) return "Write your reply before sending it.";
    auto characters = sms::decode_utf8(message);
    if (!characters) return "Your reply could not be read. Please type it again.";
    if (characters->size() > kMaxReplyCharacters)
        return "Your reply has " + std::to_string(characters->size()) + " characters; at most 4,000 fit. Please shorten it.";
    return {};
}

// Post/Redirect/Get: back to the page (relative to it, so a proxy's path prefix stays), which says it was sent.
void redirect_to_page(HTTPServerResponse& response, const std::string& token) {
    response.set("Cache-Control", "no-store");
    response.set("Referrer-Policy", "no-referrer");
    response.set("Location", token + "?sent=1");
    response.setStatus(Poco::Net::HTTPResponse::HTTP_SEE_OTHER);
    response.setContentLength(0);
    response.send();
}

void post_reply(ApiContext& context, const std::string& link_id, const std::string& token, HTTPServerRequest& request,
                HTTPServerResponse& response) {
    std::istringstream body(read_body(request).value_or(""));
    Poco::Net::HTMLForm form;
    try {
        form.load(request, body);
    } catch (const Poco::Net::HTMLFormException&) {
        form.clear(); // not the page's form (too many fields): read as an empty reply
    }
    const std::string message = form.get("message", "");
    if (std::string problem = reply_problem(message); !problem.empty()) {
        auto opened = context.discussions.open(link_id);
        if (opened.state != discussions::LinkState::open) return send_link_problem(response, opened.state);
        mustache::data data{mustache::data::type::object};
        data.set("error", problem);
        if (sms::decode_utf8(message)) data.set("draft", message); // kept for the client to correct
        return send_thread(context, response, 400, *opened.discussion, data);
    }
    auto posted = context.discussions.client_reply(*context.settings.current(), link_id, message);
    if (auto* state = std::get_if<discussions::LinkState>(&posted)) return send_link_problem(response, *state);
    if (!std::get<discussions::Posted>(posted).message_ids.empty()) context.dispatcher.wake();
    redirect_to_page(response, token);
}

void serve_page(ApiContext& context, const std::string& method, const std::string& token, HTTPServerRequest& request,
                HTTPServerResponse& response) {
    if (method != "GET" && method != "POST") {
        response.set("Allow", "GET, POST");
        return send_public_problem(response, 405, "Not available", "Open the link from your email.");
    }
    auto verified = context.confirm_tokens.verify_id(token, events::LinkPurpose::discussion);
    if (!std::holds_alternative<events::ConfirmLinkId>(verified)) {
        if (method == "POST") read_body(request); // a form's few bytes; read so the connection stays usable
        return send_link_problem(response, discussions::LinkState::unknown);
    }
    const std::string& link_id = std::get<events::ConfirmLinkId>(verified).id;
    if (method == "POST") return post_reply(context, link_id, token, request, response);
    auto opened = context.discussions.open(link_id);
    if (opened.state != discussions::LinkState::open) return send_link_problem(response, opened.state);
    mustache::data data{mustache::data::type::object};
    for (const auto& [key, value] : Poco::URI(request.getURI()).getQueryParameters())
        if (key == "sent") data.set("sent", true);
    send_thread(context, response, 200, *opened.discussion, data);
}

} // namespace

std::string discussion_link_url(const std::string& base_url, const std::string& token) {
    return public_page_url(base_url, "d", token);
}

bool route_discussion_pages(ApiContext& context, const std::string& method, const std::string& path,
                            HTTPServerRequest& request, HTTPServerResponse& response) {
    // Anything under /d/ is a discussion page, so a cut or garbled link gets the page that says so.
    if (!path.starts_with("/d/")) return false;
    serve_page(context, method, path.substr(3), request, response);
    return true;
}

} // namespace extcomm::host
