#include <common/enum_names.hpp>
#include <rendering/local_time.hpp>
#include <rendering/message_values.hpp>

#include <random>

namespace extcomm::rendering {

namespace {
constexpr EnumNames<OptionalPart, 3> kPartNames{{"worker", "site", "location"}};
} // namespace

std::string_view to_string(OptionalPart part) { return kPartNames(part); }

bool MessageValues::drop(OptionalPart part) {
    auto erase = [this](std::initializer_list<const char*> names) {
        bool any = false;
        for (const char* name : names) any = text.erase(name) > 0 || any;
        return any;
    };
    switch (part) {
    case OptionalPart::worker: return erase({"worker", "worker_first_name", "worker_last_name"});
    case OptionalPart::site: return erase({"site"}); // the site's phone stays: it is how the client reschedules
    case OptionalPart::location: return erase({"location"});
    }
    return false;
}

namespace {

// Unguessable per process, and made of characters HTML escaping keeps: no value or template can forge it.
const std::string& rich_marker() {
    static const std::string marker = [] {
        std::random_device random;
        std::string out = "\x1erich";
        for (int i = 0; i < 4; ++i) out += std::to_string(random());
        return out + ":";
    }();
    return marker;
}

} // namespace

kainjow::mustache::data MessageValues::to_data(Escaping escaping) const {
    // A variable that is absent (rather than an empty string) makes {{#name}}…{{/name}} render nothing.
    kainjow::mustache::data data{kainjow::mustache::data::type::object};
    for (const auto& [name, value] : text)
        if (!value.empty()) data.set(name, value);
    for (const auto& [name, value] : rich)
        if (!value.text.empty()) data.set(name, escaping == Escaping::html ? rich_marker() + name + "\x1e" : value.text);
    if (!list_name.empty() && !list.empty()) {
        kainjow::mustache::data items{kainjow::mustache::data::type::list};
        for (const auto& item : list) {
            kainjow::mustache::data entry{kainjow::mustache::data::type::object};
            for (const auto& [name, value] : item)
                if (!value.empty()) entry.set(name, value);
            items.push_back(entry);
        }
        data.set(list_name, items);
    }
    return data;
}

std::string MessageValues::with_rich_html(std::string rendered) const {
    for (const auto& [name, value] : rich) {
        const std::string marker = rich_marker() + name + "\x1e";
        for (std::size_t at = 0; (at = rendered.find(marker, at)) != std::string::npos; at += value.html.size())
            rendered.replace(at, marker.size(), value.html);
    }
    return rendered;
}

namespace {

std::string joined(std::string_view first, std::string_view last) {
    if (first.empty()) return std::string(last);
    if (last.empty()) return std::string(first);
    return std::string(first) + " " + std::string(last);
}

RenderError unknown_zone(std::string_view field, std::string_view zone) {
    return {std::string(field), "unknown time zone \"" + std::string(zone) +
                                    "\": use an IANA name such as \"Australia/Sydney\" or \"Europe/London\""};
}

std::variant<MessageValues, RenderError> service_event_values(MessageKind kind, const ServiceEventFacts& event,
                                                              const RenderSettings& settings) {
    const bool site_zone = !event.site.time_zone.empty();
    const std::string& zone = site_zone ? event.site.time_zone : settings.agency_time_zone;
    const char* zone_field = site_zone ? "site.time_zone" : "agency_time_zone";
    MessageValues v;
    auto start = local_date_time(event.start, zone);
    if (auto* bad = std::get_if<UnknownTimeZone>(&start)) return unknown_zone(zone_field, bad->zone);
    v.text["date"] = std::get<LocalDateTime>(start).date;
    v.text["time"] = std::get<LocalDateTime>(start).time;
    if (kind == MessageKind::reschedule_notice) {
        if (event.original_start == 0)
            return RenderError{"original_start", "a reschedule notice needs the event's original start"};
        auto original = std::get<LocalDateTime>(local_date_time(event.original_start, zone));
        v.text["original_date"] = original.date;
        v.text["original_time"] = original.time;
    }
    if (kind == MessageKind::confirmation_with_link) {
        if (event.confirm_link.empty())
            return RenderError{"confirm_link", "a confirmation with a confirm link needs the link"};
        v.text["confirm_link"] = event.confirm_link;
    }
    const PrivacySwitches& privacy = settings.privacy;
    const std::string last_name = privacy.hide_worker_last_name ? std::string() : event.worker.last_name;
    v.text["worker_first_name"] = event.worker.first_name;
    v.text["worker_last_name"] = last_name;
    v.text["worker"] = joined(event.worker.first_name, last_name);
    v.text["site"] = privacy.hide_site_name ? std::string() : event.site.name;
    v.text["site_phone"] = event.site.phone;
    v.text["location"] = privacy.hide_event_location ? std::string() : event.location;
    return v;
}

std::variant<MessageValues, RenderError> digest_values(const ErrorDigestFacts& digest, const RenderSettings& settings) {
    MessageValues v;
    v.text["count"] = std::to_string(digest.notices.size() + digest.not_listed);
    if (digest.not_listed > 0) v.text["not_listed"] = std::to_string(digest.not_listed);
    v.list_name = "notices";
    for (const auto& notice : digest.notices) {
        auto when = local_date_time(notice.occurred_at, settings.agency_time_zone);
        if (auto* bad = std::get_if<UnknownTimeZone>(&when)) return unknown_zone("agency_time_zone", bad->zone);
        const auto& local = std::get<LocalDateTime>(when);
        v.list.push_back({{"what", notice.what},
                          {"recipient", notice.recipient},
                          {"transport", notice.transport},
                          {"reason", notice.reason},
                          {"message", notice.message},
                          {"when", local.date + " " + local.time}});
    }
    return v;
}

std::variant<MessageValues, RenderError> task_values(const TaskFacts& task, Channel channel, const RenderSettings& settings) {
    auto due = local_date_time(task.due_at, settings.agency_time_zone);
    if (auto* bad = std::get_if<UnknownTimeZone>(&due)) return unknown_zone("agency_time_zone", bad->zone);
    const auto& local = std::get<LocalDateTime>(due);
    MessageValues v;
    v.text["task"] = task.task;
    v.text["title"] = task.title;
    v.text["due"] = local.date + " " + local.time;
    v.text["rule"] = task.rule;
    v.text["record"] = task.record;
    // SMS carries the title only, as for every collaboration message.
    if (channel == Channel::email) v.rich["message"] = rich_text(task.message);
    return v;
}

std::variant<MessageValues, RenderError> client_task_values(MessageKind kind, const ClientTaskFacts& task, Channel channel,
                                                            const RenderSettings& settings) {
    auto due = local_date_time(task.due_at, settings.agency_time_zone);
    if (auto* bad = std::get_if<UnknownTimeZone>(&due)) return unknown_zone("agency_time_zone", bad->zone);
    MessageValues v;
    v.text["title"] = task.title;
    v.text["due"] = std::get<LocalDateTime>(due).date;
    if (kind == MessageKind::client_task_client_connect) {
        if (task.portal_url.empty()) return RenderError{"portal_url", "a ClientConnect task message needs the portal's address"};
        v.text["portal_url"] = task.portal_url;
        return v;
    }
    if (task.link.empty()) return RenderError{"link", "an Engage task message needs the task's link"};
    v.text["link"] = task.link;
    if (channel == Channel::email) v.rich["message"] = rich_text(task.message);
    return v;
}

RenderError wrong_facts(MessageKind kind, std::string_view needed) {
    return {"facts", "a " + std::string(to_string(kind)) + " message is rendered from " + std::string(needed)};
}

MessageValues trigger_values(MessageKind kind, const TriggerFacts& fired, Channel channel) {
    MessageValues v;
    v.text["type"] = std::string(display_name(*detail_type_of(kind)));
    v.text["title"] = fired.title;
    v.text["rule"] = fired.rule;
    v.text["record"] = fired.record;
    // SMS carries the title only, as for every collaboration message.
    if (channel == Channel::email) v.rich["message"] = rich_text(fired.message);
    return v;
}

std::variant<MessageValues, RenderError> discussion_values(const DiscussionFacts& discussion, Channel channel) {
    if (discussion.link.empty()) return RenderError{"link", "a discussion message needs the link to its page"};
    MessageValues v;
    v.text["subject"] = discussion.subject;
    v.text["from"] = discussion.from;
    v.text["link"] = discussion.link;
    // The page shows the thread: an SMS carries the subject and the link.
    if (channel == Channel::email) v.rich["message"] = rich_text(discussion.message);
    return v;
}

MessageValues limit_alert_values(const VerificationLimitFacts& hit) {
    MessageValues v;
    v.text["limit"] = hit.limit;
    v.text["worker"] = hit.worker;
    v.text["day"] = hit.day;
    v.text["maximum"] = std::to_string(hit.maximum);
    return v;
}

} // namespace

std::variant<MessageValues, RenderError> message_values(const RenderRequest& request, const RenderSettings& settings) {
    const MessageKind kind = request.kind;
    switch (kind) {
    case MessageKind::booking_notice:
    case MessageKind::reschedule_notice:
    case MessageKind::confirmation:
    case MessageKind::confirmation_with_link:
    case MessageKind::worker_reminder:
    case MessageKind::last_minute_booking:
    case MessageKind::no_show:
    case MessageKind::confirmation_copy:
    case MessageKind::client_confirmed: {
        const auto* event = std::get_if<ServiceEventFacts>(&request.facts);
        if (!event) return wrong_facts(kind, "a service event's facts");
        return service_event_values(kind, *event, settings);
    }
    case MessageKind::collaboration_message: {
        const auto* message = std::get_if<CollaborationFacts>(&request.facts);
        if (!message) return wrong_facts(kind, "a collaboration message's facts");
        MessageValues v;
        v.text["type"] = std::string(display_name(message->type));
        v.text["subject"] = message->subject;
        // SMS carries the subject only (the detail level is the renderer's: renderer.hpp).
        if (request.channel == Channel::email) v.text["body"] = message->body;
        return v;
    }
    case MessageKind::client_message: {
        const auto* message = std::get_if<ClientMessageFacts>(&request.facts);
        if (!message) return wrong_facts(kind, "the subject and body a worker wrote");
        MessageValues v;
        v.text["subject"] = message->subject;
        v.text["body"] = message->body;
        return v;
    }
    case MessageKind::error_notice_digest: {
        const auto* digest = std::get_if<ErrorDigestFacts>(&request.facts);
        if (!digest) return wrong_facts(kind, "error notices");
        return digest_values(*digest, settings);
    }
    case MessageKind::trigger_alert:
    case MessageKind::trigger_notification: {
        const auto* fired = std::get_if<TriggerFacts>(&request.facts);
        if (!fired) return wrong_facts(kind, "an action trigger's title, message and record");
        return trigger_values(kind, *fired, request.channel);
    }
    case MessageKind::task_workflow: {
        const auto* task = std::get_if<TaskFacts>(&request.facts);
        if (!task) return wrong_facts(kind, "a task's id, title, message and due date");
        return task_values(*task, request.channel, settings);
    }
    case MessageKind::verification_code: {
        const auto* code = std::get_if<VerificationFacts>(&request.facts);
        if (!code) return wrong_facts(kind, "a verification code");
        if (code->code.empty()) return RenderError{"code", "a verification code message needs the code"};
        MessageValues v;
        v.text = {{"code", code->code}, {"minutes_valid", std::to_string(code->minutes_valid)}};
        return v;
    }
    case MessageKind::client_discussion: {
        const auto* discussion = std::get_if<DiscussionFacts>(&request.facts);
        if (!discussion) return wrong_facts(kind, "a discussion's subject, latest message and link");
        return discussion_values(*discussion, request.channel);
    }
    case MessageKind::client_task_engage:
    case MessageKind::client_task_client_connect: {
        const auto* task = std::get_if<ClientTaskFacts>(&request.facts);
        if (!task) return wrong_facts(kind, "a client task's title, due date and link or portal address");
        return client_task_values(kind, *task, request.channel, settings);
    }
    case MessageKind::verification_limit_alert: {
        const auto* hit = std::get_if<VerificationLimitFacts>(&request.facts);
        if (!hit) return wrong_facts(kind, "the limit that was reached");
        return limit_alert_values(*hit);
    }
    }
    return RenderError{"kind", "unknown message kind"};
}

} // namespace extcomm::rendering
