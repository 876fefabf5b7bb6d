#include <rendering/variables.hpp>

namespace extcomm::rendering {

const VariableDoc* VariableCatalogue::find(std::string_view name) const {
    for (const auto& v : variables)
        if (v.name == name) return &v;
    return nullptr;
}

const WithheldVariable* VariableCatalogue::find_withheld(std::string_view name) const {
    for (const auto& w : withheld)
        if (w.name == name) return &w;
    return nullptr;
}

namespace {

std::vector<VariableDoc> service_event_variables() {
    return {
        {"date", "the event's local date, e.g. \"Tue 3 Mar\" (the site's time zone, else the agency's)"},
        {"time", "the event's local start time, e.g. \"2:30pm\""},
        {"worker", "the primary worker's name as shown outside Penelope: first and last name, or the first "
                   "name only when \"hide worker last name\" is on; absent when dropped to fit an SMS"},
        {"worker_first_name", "the primary worker's first name"},
        {"worker_last_name", "the primary worker's last name; absent when \"hide worker last name\" is on"},
        {"site", "the site's name; absent when \"hide site name\" is on"},
        {"site_phone", "the site's phone number"},
        {"location", "where the event takes place (room, address); absent when \"hide event location\" is on"},
    };
}

constexpr std::string_view kConfirmLinkSms =
    "an SMS confirmation with a confirm link leaves out the worker, the site and the location so that the link "
    "fits in one message, as Penelope does";
constexpr std::string_view kSubjectOnlySms =
    "only the subject of a collaboration message is sent by SMS, as Penelope does";

// A confirmation with a link by SMS leaves out the worker, the site and the location to fit one SMS.
void withhold_beside_the_link(VariableCatalogue& c) {
    std::vector<VariableDoc> kept;
    for (auto& v : c.variables) {
        if (v.name.rfind("worker", 0) == 0 || v.name == "site" || v.name == "location")
            c.withheld.push_back({v.name, kConfirmLinkSms});
        else
            kept.push_back(v);
    }
    c.variables = std::move(kept);
}

std::vector<VariableDoc> digest_variables() {
    return {
        {"count", "how many messages could not be delivered"},
        {"not_listed", "how many of them are counted but not listed; absent when all are listed"},
        {"notices", "the listed problems, oldest first",
         {{"what", "what happened, e.g. \"refused for good\" or \"transport paused\""},
          {"recipient", "who the message was for (masked); absent for a transport"},
          {"message", "the message's id; absent for a transport"},
          {"transport", "the transport that was used"},
          {"reason", "the provider's or extcomm's explanation"},
          {"when", "the local date and time it happened, e.g. \"Tue 3 Mar 2:30pm\""}}},
    };
}

// An action's or task's rich-text message (rendering/rich_text.hpp); SMS carries the subject only.
#define EXTCOMM_RICH_TEXT " rich-text message: in the HTML body its markup reduced to an allow-list (p, br, b, strong, " \
                          "i, em, u, s, lists, h2-h4, blockquote, web and mail links), elsewhere its plain text; absent when empty"
constexpr std::string_view kRuleMessage = "the rule's" EXTCOMM_RICH_TEXT;
constexpr std::string_view kTaskMessage = "the task's" EXTCOMM_RICH_TEXT;
constexpr std::string_view kDiscussionMessage = "the latest message's" EXTCOMM_RICH_TEXT;
#undef EXTCOMM_RICH_TEXT

constexpr std::string_view kThreadOnThePage =
    "a discussion's messages are read on its page: by SMS only the subject and the link are sent";

void add_rich_message(VariableCatalogue& c, bool sms, std::string_view description,
                      std::string_view withheld_because = kSubjectOnlySms) {
    if (sms) c.withheld.push_back({"message", withheld_because});
    else c.variables.push_back({"message", description});
}

// A worker's workflow task (task-workflow).
void task_variables(VariableCatalogue& c, bool sms) {
    c.variables = {{"task", "the task's id, e.g. \"t-12\""},
                   {"title", "the task's title"},
                   {"due", "the local date and time it is due, e.g. \"Tue 3 Mar 2:30pm\""},
                   {"rule", "the name of the action trigger that created it; absent for a task staff created"},
                   {"record", "what the trigger fired on, e.g. \"case c-1\"; absent for a task staff created"}};
    add_rich_message(c, sms, kTaskMessage);
}

// A client's task: by Engage (its page here, with the message) or ClientConnect (the portal, no content).
void client_task_variables(VariableCatalogue& c, bool engage, bool sms) {
    c.variables = {{"title", "the task's title (the email's subject)"}, {"due", "the local date it is due, e.g. \"Tue 3 Mar\""}};
    if (!engage) {
        c.variables.push_back({"portal_url", "the agency's ClientConnect address (Client Delivery > client_tasks.portal_url)"});
        return;
    }
    c.variables.push_back({"link", "the link to the task's page, where the client completes its documents"});
    add_rich_message(c, sms, kTaskMessage);
}

} // namespace

VariableCatalogue documented_variables(MessageKind kind, Channel channel) {
    VariableCatalogue c;
    const bool sms = channel == Channel::sms;
    switch (kind) {
    case MessageKind::booking_notice:
    case MessageKind::confirmation:
    case MessageKind::worker_reminder:
    case MessageKind::last_minute_booking:
    case MessageKind::no_show:
    case MessageKind::confirmation_copy:
    case MessageKind::client_confirmed:
        c.variables = service_event_variables();
        break;
    case MessageKind::reschedule_notice:
        c.variables = service_event_variables();
        c.variables.push_back({"original_date", "the local date the event had before it moved"});
        c.variables.push_back({"original_time", "the local start time the event had before it moved"});
        break;
    case MessageKind::confirmation_with_link:
        c.variables = service_event_variables();
        c.variables.push_back({"confirm_link", "the link the client opens to confirm the appointment"});
        if (sms) withhold_beside_the_link(c);
        break;
    case MessageKind::collaboration_message:
        c.variables = {{"type", "the collaboration type as Penelope names it, e.g. \"Alert\""},
                       {"subject", "the message's subject"}};
        if (sms)
            c.withheld.push_back({"body", kSubjectOnlySms});
        else
            c.variables.push_back({"body", "the message's body (with the type's detail level \"subject only\", the "
                                           "email says the rest stays in Penelope instead of using this template's body)"});
        break;
    case MessageKind::client_message:
        c.variables = {{"subject", "the subject the worker wrote"}, {"body", "the text the worker wrote"}};
        break;
    case MessageKind::error_notice_digest:
        c.variables = digest_variables();
        break;
    case MessageKind::trigger_alert:
    case MessageKind::trigger_notification:
        c.variables = {{"type", "the collaboration type as Penelope names it: \"Alert\" or \"Notification\""},
                       {"title", "the rule's title for the action"},
                       {"rule", "the name of the action trigger that fired"},
                       {"record", "what it fired on, e.g. \"case c-1\" or \"document d-7\""}};
        add_rich_message(c, sms, kRuleMessage);
        break;
    case MessageKind::task_workflow:
        task_variables(c, sms);
        break;
    case MessageKind::client_discussion:
        c.variables = {{"subject", "the discussion's subject"},
                       {"from", "the worker who wrote the latest message, as shown outside Penelope"},
                       {"link", "the discussion's page, where the client reads the thread and replies (30 days)"}};
        add_rich_message(c, sms, kDiscussionMessage, kThreadOnThePage);
        break;
    case MessageKind::verification_code:
        c.variables = {{"code", "the one-time verification code"},
                       {"minutes_valid", "how many minutes the code stays valid"}};
        break;
    case MessageKind::client_task_engage:
    case MessageKind::client_task_client_connect:
        client_task_variables(c, kind == MessageKind::client_task_engage, sms);
        break;
    case MessageKind::verification_limit_alert:
        c.variables = {{"limit", "which limit: \"per worker\" or \"in total\""},
                       {"worker", "the worker's name, for the per-worker limit; absent for the total"},
                       {"day", "the agency's date the limit was reached, YYYY-MM-DD"},
                       {"maximum", "the limit: codes per day"}};
        break;
    }
    return c;
}

} // namespace extcomm::rendering
