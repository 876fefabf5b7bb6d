#include <agency/people_store.hpp>
#include <sending/rules.hpp>
#include <api/http_io.hpp>
#include <api/preview_api.hpp>
#include <common/json_reader.hpp>
#include <events/service_event_json.hpp>
#include <rendering/renderer.hpp>

#include <spdlog/spdlog.h>

#include <utility>

namespace extcomm::host {
namespace json = boost::json;
namespace {

using rendering::MessageKind;

// Members of the facts: "is not used by <what> (it uses: ...)" names what the facts are for.
void only(JsonReader& r, std::initializer_list<std::string_view> known, const std::string& what) {
    r.only(known, "is not used by " + what, "it uses");
}

constexpr std::int64_t kMaxCount = 1'000'000; // the facts' counts (messages not listed, minutes a code is valid)

void time(JsonReader& r, std::string_view key, TimeMs& out, bool required) {
    auto parse = [](std::string_view text) {
        auto parsed = events::parse_offset_time(text);
        return parsed ? std::optional<TimeMs>(parsed->at) : std::nullopt;
    };
    if (!r.parsed(key, out, parse, events::kOffsetTimeForm) && required)
        r.fail(r.at(key), "is required: the event's start as ISO-8601 with an offset, e.g. 2026-03-03T14:30:00+11:00");
}

// What a preview for a recipient needs beyond the facts rendered: where a client message is started from.
struct DecisionFacts {
    std::optional<agency::ClientContext> context;
};

rendering::ServiceEventFacts read_event_facts(JsonReader& m, MessageKind kind, const std::string& what) {
    only(m, {"start", "original_start", "worker", "site", "location", "confirm_link"}, what);
    rendering::ServiceEventFacts f;
    time(m, "start", f.start, true);
    time(m, "original_start", f.original_start, kind == MessageKind::reschedule_notice);
    if (const json::value* w = m.member("worker")) {
        JsonReader wm(*w, m.at("worker"));
        only(wm, {"first_name", "last_name"}, "a worker's name");
        wm.text("first_name", f.worker.first_name);
        wm.text("last_name", f.worker.last_name);
        m.fail(wm.error());
    }
    if (const json::value* s = m.member("site")) {
        JsonReader sm(*s, m.at("site"));
        only(sm, {"name", "phone", "time_zone"}, "a site");
        sm.text("name", f.site.name);
        sm.text("phone", f.site.phone);
        sm.text("time_zone", f.site.time_zone);
        m.fail(sm.error());
    }
    m.text("location", f.location);
    m.text("confirm_link", f.confirm_link);
    return f;
}

rendering::CollaborationFacts read_collaboration_facts(JsonReader& m, const std::string& what) {
    only(m, {"type", "subject", "body"}, what);
    rendering::CollaborationFacts f;
    std::string type;
    m.text("type", type);
    if (m.ok()) {
        auto parsed = rendering::collaboration_type_from(type);
        std::string names;
        for (auto t : rendering::kAllCollaborationTypes) names += (names.empty() ? "" : ", ") + std::string(rendering::to_string(t));
        if (!parsed) m.fail(m.at("type"), "must be one of " + names);
        else f.type = *parsed;
    }
    m.text("subject", f.subject);
    m.text("body", f.body);
    return f;
}

rendering::ClientMessageFacts read_client_facts(JsonReader& m, const std::string& what, DecisionFacts& decision) {
    only(m, {"subject", "body", "context"}, what);
    rendering::ClientMessageFacts f;
    m.text("subject", f.subject);
    m.text("body", f.body);
    std::string context;
    m.text("context", context);
    if (m.ok() && !context.empty()) {
        decision.context = agency::client_context_from(context);
        if (!decision.context) {
            std::string names;
            for (auto c : agency::kAllClientContexts) names += (names.empty() ? "" : ", ") + std::string(agency::to_string(c));
            m.fail(m.at("context"), "must be one of " + names);
        }
    }
    return f;
}

rendering::ErrorDigestFacts read_digest_facts(JsonReader& m, const std::string& what) {
    only(m, {"notices", "not_listed"}, what);
    rendering::ErrorDigestFacts f;
    m.items("notices", "must be a list of notices", [&](const json::value& item, const std::string& path) {
        JsonReader nm(item, path);
        only(nm, {"what", "recipient", "transport", "reason", "when"}, "a notice");
        rendering::ErrorNoticeLine line;
        nm.text("what", line.what);
        nm.text("recipient", line.recipient);
        nm.text("transport", line.transport);
        nm.text("reason", line.reason);
        time(nm, "when", line.occurred_at, false);
        m.fail(nm.error());
        f.notices.push_back(std::move(line));
        return nm.ok();
    });
    std::int64_t not_listed = 0;
    m.integer("not_listed", not_listed, 0, kMaxCount);
    f.not_listed = static_cast<std::size_t>(not_listed);
    return f;
}

rendering::VerificationFacts read_verification_facts(JsonReader& m, const std::string& what) {
    only(m, {"code", "minutes_valid"}, what);
    rendering::VerificationFacts f;
    m.text("code", f.code);
    std::int64_t minutes = f.minutes_valid;
    m.integer("minutes_valid", minutes, 1, kMaxCount);
    f.minutes_valid = static_cast<int>(minutes);
    return f;
}

rendering::VerificationLimitFacts read_limit_facts(JsonReader& m, const std::string& what) {
    only(m, {"limit", "worker_name", "day", "maximum"}, what);
    rendering::VerificationLimitFacts f;
    m.text("limit", f.limit);
    m.text("worker_name", f.worker); // `worker` is the event's worker object in other kinds' facts
    m.text("day", f.day);
    std::int64_t maximum = f.maximum;
    m.integer("maximum", maximum, 0, kMaxCount);
    f.maximum = static_cast<int>(maximum);
    return f;
}

rendering::TriggerFacts read_trigger_facts(JsonReader& m, const std::string& what) {
    only(m, {"title", "message", "rule", "record"}, what);
    rendering::TriggerFacts f;
    m.text("title", f.title);
    m.text("message", f.message);
    m.text("rule", f.rule);
    m.text("record", f.record);
    return f;
}

rendering::TaskFacts read_task_facts(JsonReader& m, const std::string& what) {
    only(m, {"task", "title", "message", "due", "rule", "record"}, what);
    rendering::TaskFacts f;
    m.text("task", f.task);
    m.text("title", f.title);
    m.text("message", f.message);
    time(m, "due", f.due_at, false);
    m.text("rule", f.rule);
    m.text("record", f.record);
    return f;
}

rendering::DiscussionFacts read_discussion_facts(JsonReader& m, const std::string& what) {
    only(m, {"subject", "from", "message", "link"}, what);
    rendering::DiscussionFacts f;
    for (auto [name, field] : {std::pair{"subject", &f.subject}, {"from", &f.from}, {"message", &f.message}, {"link", &f.link}})
        m.text(name, *field);
    return f;
}

rendering::ClientTaskFacts read_client_task_facts(JsonReader& m, const std::string& what) {
    only(m, {"title", "message", "due", "link", "portal_url"}, what);
    rendering::ClientTaskFacts f;
    using Text = std::pair<const char*, std::string*>;
    for (auto [name, text] : {Text{"title", &f.title}, Text{"message", &f.message}, Text{"link", &f.link}, Text{"portal_url", &f.portal_url}})
        m.text(name, *text);
    time(m, "due", f.due_at, false);
    return f;
}

std::optional<FieldError> read_facts(MessageKind kind, const json::value& value, rendering::MessageFacts& out,
                                     DecisionFacts& decision) {
    JsonReader m(value, "facts");
    const std::string what = "a " + std::string(rendering::to_string(kind)) + " message";
    if (rendering::is_service_event_kind(kind)) out = read_event_facts(m, kind, what);
    else if (kind == MessageKind::collaboration_message) out = read_collaboration_facts(m, what);
    else if (kind == MessageKind::client_message) out = read_client_facts(m, what, decision);
    else if (kind == MessageKind::error_notice_digest) out = read_digest_facts(m, what);
    else if (kind == MessageKind::verification_code) out = read_verification_facts(m, what);
    else if (kind == MessageKind::trigger_alert || kind == MessageKind::trigger_notification) out = read_trigger_facts(m, what);
    else if (kind == MessageKind::task_workflow) out = read_task_facts(m, what);
    else if (kind == MessageKind::verification_limit_alert) out = read_limit_facts(m, what);
    else if (kind == MessageKind::client_discussion) out = read_discussion_facts(m, what);
    else if (kind == MessageKind::client_task_engage || kind == MessageKind::client_task_client_connect)
        out = read_client_task_facts(m, what);
    return m.error();
}

// Where a render error points: at the request (400) or at a setting (422).
std::pair<int, std::string> render_error_field(const rendering::RenderError& error, const rendering::RenderRequest& request) {
    const std::string& f = error.field;
    if (f == "agency_time_zone") return {422, "general.time_zone"};
    if (f == "sms_prefix") return {422, "general.sms_prefix"};
    if (f == "detail_level") {
        auto facts = std::get_if<rendering::CollaborationFacts>(&request.facts);
        auto type = facts ? std::optional(facts->type) : rendering::detail_type_of(request.kind);
        return {422, "worker_delivery.detail_levels" + (type ? "." + std::string(rendering::to_string(*type)) : "")};
    }
    if (f == "subject" || f == "body" || f == "html_body")
        return {422, agency::template_path(request.kind, request.channel) + "." + f};
    if (f == "kind") return {400, "kind"};
    if (f == "facts") return {400, "facts"};
    return {400, "facts." + f};
}

} // namespace

namespace {

// The person a preview is for, as asked: {"worker": id} or {"client": id}.
struct RecipientAsked {
    sending::Recipient kind = sending::Recipient::worker;
    std::string id;
    std::string field; // "recipient.worker" | "recipient.client"
};

std::variant<RecipientAsked, FieldError> read_recipient(const json::value& value) {
    const char* form = R"(must be {"worker": id} or {"client": id})";
    if (!value.is_object() || value.as_object().size() != 1) return FieldError{"recipient", form};
    const auto& [key, id] = *value.as_object().begin();
    if (key != "worker" && key != "client") return FieldError{"recipient." + std::string(key), std::string("is not a recipient: ") + form};
    RecipientAsked r{key == "worker" ? sending::Recipient::worker : sending::Recipient::client, {}, "recipient." + std::string(key)};
    if (!id.is_string() || id.as_string().empty()) return FieldError{r.field, "must be the " + std::string(key) + "'s id"};
    r.id = std::string(id.as_string());
    return r;
}

// The intent a send of this message would state: the preview runs the sending pipeline's rules on it.
sending::Intent preview_intent(const rendering::RenderRequest& request, const DecisionFacts& facts) {
    sending::Intent intent;
    intent.kind = request.kind;
    intent.facts = request.facts;
    intent.context = facts.context;
    return intent;
}

json::object preview_decision_json(const sending::Decision& d) {
    json::object o{{"send", d.sent}};
    if (!d.sent) {
        o["reason"] = d.reason ? json::value(sending::to_string(*d.reason)) : json::value(nullptr);
        o["reason_text"] = d.reason_text;
    }
    return o;
}

// A preview request, read: what to render, and whom for when `recipient` is given.
struct PreviewAsked {
    rendering::RenderRequest render;
    DecisionFacts decision_facts;
    const json::value* recipient = nullptr;
};

std::variant<PreviewAsked, FieldError> read_preview(const json::object& o) {
    JsonReader r(o, "");
    r.only({"kind", "channel", "facts", "recipient"}, "is not a member of a preview request", "");
    std::string kinds;
    for (auto k : rendering::kAllMessageKinds) kinds += (kinds.empty() ? "" : ", ") + std::string(rendering::to_string(k));
    const std::string kind_form = "must be one of " + kinds;
    std::optional<MessageKind> kind;
    if (!r.parsed("kind", kind, rendering::message_kind_from, kind_form) && r.ok()) r.fail("kind", kind_form);
    std::optional<Channel> channel;
    if (!r.parsed("channel", channel, channel_from, "must be 'email' or 'sms'") && r.ok())
        r.fail("channel", "must be 'email' or 'sms'");
    if (r.ok() && !o.contains("facts")) r.fail("facts", "is required: what the message is rendered from");
    if (!r.ok()) return *r.error();
    PreviewAsked asked{{*kind, *channel, {}}, {}, o.if_contains("recipient")};
    if (auto error = read_facts(*kind, o.at("facts"), asked.render.facts, asked.decision_facts)) return *error;
    if (asked.recipient && asked.recipient->is_null()) asked.recipient = nullptr;
    return asked;
}

// The answer: the rendered message, or none when the decision is not to send it or it cannot be rendered
// with the agency's settings; with the decision when a recipient was asked for.
void send_preview(Poco::Net::HTTPServerResponse& response, const agency::SettingsSnapshot& snapshot,
                  const rendering::RenderRequest& render_request, std::optional<sending::Decision> decision,
                  json::object recipient_json) {
    json::object answer;
    auto without_message = [&] {
        for (const char* key : {"subject", "body", "html_body", "sms"}) answer[key] = nullptr;
        answer["dropped"] = json::array();
        answer["truncated"] = false;
        answer["decision"] = preview_decision_json(*decision);
        send_json(response, 200, answer);
    };
    if (decision) {
        answer["recipient"] = std::move(recipient_json);
        // Nothing of this type leaves Penelope: there is no message to show.
        if (decision->reason == sending::SkipReason::detail_level_disallow) return without_message();
    }

    auto out = rendering::Renderer(snapshot.templates).render(render_request, snapshot.render_settings());
    if (auto* error = std::get_if<rendering::RenderError>(&out)) {
        auto [status, field] = render_error_field(*error, render_request);
        if (!decision || status != 422)
            return send_error(response, status, status == 422 ? "not_allowed" : "invalid", error->reason, field);
        // A setting or template the message cannot be rendered with: the senders skip it, saying so.
        if (decision->sent) {
            decision->sent = false;
            decision->reason = sending::SkipReason::render_failed;
            decision->reason_text = "the message could not be rendered: " + field + " " + error->reason;
        }
        return without_message();
    }
    const auto& message = std::get<rendering::RenderedMessage>(out);
    json::value sms = nullptr;
    if (message.sms)
        sms = json::object{{"encoding", message.sms->encoding == sms::Encoding::gsm7 ? "gsm7" : "ucs2"},
                           {"characters", message.sms->characters},
                           {"units", message.sms->units},
                           {"segments", message.sms->segments}};
    json::array dropped;
    for (auto part : message.dropped) dropped.emplace_back(rendering::to_string(part));
    answer["subject"] = message.subject;
    answer["body"] = message.body;
    answer["html_body"] = message.html_body;
    answer["sms"] = std::move(sms);
    answer["dropped"] = std::move(dropped);
    answer["truncated"] = message.truncated;
    if (decision) answer["decision"] = preview_decision_json(*decision);
    send_json(response, 200, answer);
}

} // namespace

void post_preview(ApiContext& context, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    auto body = object_body(request, response, "must be a JSON object {kind, channel, facts, recipient?}");
    if (!body) return;
    auto read = read_preview(*body);
    if (auto* error = std::get_if<FieldError>(&read)) return send_invalid(response, *error);
    auto& [render_request, decision_facts, recipient_value] = std::get<PreviewAsked>(read);
    const MessageKind kind = render_request.kind;
    const Channel channel = render_request.channel;
    auto snapshot = context.settings.current();

    // For a recipient: their address and the decision the senders would make, from the same rules.
    std::optional<sending::Decision> decision;
    json::object recipient_json;
    if (recipient_value) {
        auto asked = read_recipient(*recipient_value);
        if (auto* e = std::get_if<FieldError>(&asked)) return send_invalid(response, *e);
        const auto& who = std::get<RecipientAsked>(asked);
        const std::string kind_name(rendering::to_string(kind));
        const auto for_kind = sending::recipient_of(kind);
        if (for_kind != who.kind)
            return send_error(response, 400, "invalid",
                              "a " + kind_name + " message goes to a " + std::string(sending::to_string(for_kind)) +
                                  R"(: {")" + std::string(sending::to_string(for_kind)) + R"(": id})",
                              who.field);
        const auto& settings = snapshot->settings;
        try {
            if (who.kind == sending::Recipient::worker) {
                auto worker = context.people.worker(who.id);
                if (!worker) return send_error(response, 404, "not_found", "no worker '" + who.id + "'", who.field);
                decision = sending::decision_on(settings, preview_intent(render_request, decision_facts), *worker, channel);
                // An event message to a worker names the event's worker: the recipient, unless the facts say otherwise.
                if (auto* event = std::get_if<rendering::ServiceEventFacts>(&render_request.facts);
                    event && event->worker.first_name.empty() && event->worker.last_name.empty())
                    event->worker = {worker->first_name, worker->last_name};
                recipient_json = {{"worker", worker->id},
                                  {"name", worker->first_name + (worker->last_name.empty() ? "" : " " + worker->last_name)}};
            } else {
                auto client = context.people.client(who.id);
                if (!client) return send_error(response, 404, "not_found", "no client '" + who.id + "'", who.field);
                if (kind == MessageKind::client_message && !decision_facts.context)
                    return send_error(response, 400, "invalid",
                                      "is required with a client recipient: the place staff start the message from "
                                      "(the agency allows some only)",
                                      "facts.context");
                decision = sending::decision_on(settings, preview_intent(render_request, decision_facts), *client, channel);
                recipient_json = {{"client", client->id}, {"name", client->name}};
            }
        } catch (const std::exception& e) {
            spdlog::error("preview: {}", e.what());
            return send_error(response, 503, "store_unavailable", "the people store could not be read; try again");
        }
        recipient_json["channel"] = to_string(channel);
        recipient_json["to"] = decision->to.empty() ? json::value(nullptr) : json::value(decision->to);
    }

    send_preview(response, *snapshot, render_request, std::move(decision), std::move(recipient_json));
}

} // namespace extcomm::host
