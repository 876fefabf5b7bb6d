#include <rendering/default_templates.hpp>

namespace extcomm::rendering {

namespace {

// The optional parts are mustache sections, so a part that is hidden (privacy switches) or dropped to
// fit one SMS leaves no dangling " with " or " at ".
constexpr const char* kWithWorkerAtSite = "{{#worker}} with {{worker}}{{/worker}}{{#site}} at {{site}}{{/site}}";
constexpr const char* kAtSiteLocation = "{{#site}} at {{site}}{{/site}}{{#location}}, {{location}}{{/location}}";
constexpr const char* kCallToReschedule = "{{#site_phone}} Call {{site_phone}} to reschedule.{{/site_phone}}";
constexpr const char* kEmailDetails =
    "{{#location}}Location: {{location}}\n{{/location}}{{#site_phone}}Call {{site_phone}} to reschedule.\n{{/site_phone}}";

std::string cat(std::initializer_list<const char*> parts) {
    std::string out;
    for (const char* p : parts) out += p;
    return out;
}

MessageTemplate sms(std::string body) { return {"", std::move(body), ""}; }

MessageTemplate sms_default(MessageKind kind) {
    switch (kind) {
    case MessageKind::booking_notice:
        return sms(cat({"Appointment reminder: {{date}} at {{time}}", kWithWorkerAtSite, ".", kCallToReschedule}));
    case MessageKind::reschedule_notice:
        return sms(cat({"Appointment rescheduled: Your {{original_date}} appt. has been rescheduled to {{date}} at "
                        "{{time}}.",
                        kCallToReschedule}));
    case MessageKind::confirmation:
        return sms(cat({"Appointment confirmation: your appt. is on {{date}} at {{time}}", kWithWorkerAtSite, ".",
                        kCallToReschedule}));
    case MessageKind::confirmation_with_link:
        return sms("Confirm Appt: Click {{confirm_link}} to confirm your appt. on {{date}} at {{time}}.");
    case MessageKind::worker_reminder:
        return sms(cat({"Reminder: event on {{date}} at {{time}}", kAtSiteLocation, "."}));
    case MessageKind::last_minute_booking:
        return sms(cat({"Last-minute booking: event on {{date}} at {{time}}", kAtSiteLocation, "."}));
    case MessageKind::no_show:
        return sms(cat({"No show: your client did not arrive for the event on {{date}} at {{time}}", kAtSiteLocation, "."}));
    case MessageKind::confirmation_copy:
        return sms(cat({"Copy of a client's appointment confirmation: appt. on {{date}} at {{time}}", kWithWorkerAtSite,
                        "."}));
    case MessageKind::client_confirmed:
        return sms(cat({"Confirmed: your client confirmed the event on {{date}} at {{time}}", kAtSiteLocation, "."}));
    case MessageKind::collaboration_message:
        return sms("{{type}}: {{subject}}");
    case MessageKind::client_message:
        return sms("{{body}}");
    case MessageKind::error_notice_digest:
        return sms("{{count}} message(s) could not be delivered. The message log says who and why.");
    case MessageKind::verification_code:
        return sms("Your Penelope verification code is {{code}}. It expires in {{minutes_valid}} minutes.");
    case MessageKind::verification_limit_alert:
        return sms("Penelope: the daily limit of {{maximum}} verification codes {{limit}} was reached"
                   "{{#worker}} ({{worker}}){{/worker}}.");
    case MessageKind::trigger_alert:
    case MessageKind::trigger_notification:
        return sms("{{type}}: {{title}}");
    case MessageKind::task_workflow:
        return sms("Workflow: {{title}} (due {{due}})");
    case MessageKind::client_discussion:
        return sms("{{subject}}: {{from}} wrote to you. Read and reply: {{link}}");
    case MessageKind::client_task_engage:
        return sms("{{title}}: please complete it by {{due}} at {{link}}");
    case MessageKind::client_task_client_connect:
        return sms("{{title}}: a task waits for you in ClientConnect ({{portal_url}}), due {{due}}.");
    }
    return sms("{{date}}");
}

constexpr const char* kDigestText =
    "These messages could not be delivered, or a transport stopped sending:\n"
    "{{#notices}}- {{when}}: {{what}}{{#message}}: message {{message}}{{/message}}"
    "{{#recipient}} to {{recipient}}{{/recipient}}{{#transport}} via {{transport}}{{/transport}}: {{reason}}\n{{/notices}}"
    "{{#not_listed}}… and {{not_listed}} more.\n{{/not_listed}}"
    "The message log shows every attempt.\n";
constexpr const char* kTaskText = "{{#message}}{{message}}\n\n{{/message}}Due {{due}}.{{#record}} About {{record}}{{/record}}"
                                       "{{#rule}} (action trigger \"{{rule}}\"){{/rule}}.\nTask {{task}}.\n";
constexpr const char* kTaskHtml = "{{#message}}<div>{{message}}</div>\n{{/message}}<p>Due {{due}}.{{#record}} About "
                                       "{{record}}{{/record}}{{#rule}} (action trigger &ldquo;{{rule}}&rdquo;){{/rule}}."
                                       "</p>\n<p>Task {{task}}.</p>\n";

constexpr const char* kDiscussionText =
    "{{from}} wrote:\n\n{{#message}}{{message}}\n\n{{/message}}Read the discussion and reply: {{link}}\n";
constexpr const char* kDiscussionHtml = "<p>{{from}} wrote:</p>\n{{#message}}<div>{{message}}</div>\n{{/message}}"
                                        "<p><a href=\"{{link}}\">Read the discussion and reply</a></p>\n";
constexpr const char* kClientTaskText =
    "{{#message}}{{message}}\n\n{{/message}}Please complete it by {{due}}:\n{{link}}\n";
constexpr const char* kClientTaskHtml = "{{#message}}<div>{{message}}</div>\n{{/message}}<p>Please complete it by "
                                        "{{due}}.</p>\n<p><a href=\"{{link}}\">Open my task</a></p>\n";
// ClientConnect's email carries no document content: the portal shows the task.
constexpr const char* kClientConnectText = "A task is waiting for you in ClientConnect: {{title}}, due {{due}}.\n"
                                           "Log in to ClientConnect to complete it: {{portal_url}}\n";
constexpr const char* kLimitAlertText =
    "The daily limit of {{maximum}} verification codes {{limit}} was reached on {{day}}"
    "{{#worker}} by {{worker}}{{/worker}}. Further codes are refused until midnight (agency time).\n"
    "Many requests in a day can mean someone is trying to get into an account.\n";

MessageTemplate email_default(MessageKind kind) {
    switch (kind) {
    case MessageKind::booking_notice:
        return {"Appointment reminder: {{date}} at {{time}}",
                cat({"Appointment reminder: {{date}} at {{time}}", kWithWorkerAtSite, ".\n", kEmailDetails}), ""};
    case MessageKind::reschedule_notice:
        return {"Appointment rescheduled: {{date}} at {{time}}",
                cat({"Appointment rescheduled: Your {{original_date}} appt. has been rescheduled to {{date}} at {{time}}",
                     kWithWorkerAtSite, ".\n", kEmailDetails}),
                ""};
    case MessageKind::confirmation:
        return {"Appointment confirmation: {{date}} at {{time}}",
                cat({"Appointment confirmation: your appt. is on {{date}} at {{time}}", kWithWorkerAtSite, ".\n",
                     kEmailDetails}),
                ""};
    case MessageKind::confirmation_with_link:
        return {"Confirm Appt: {{date}} at {{time}}",
                cat({"Confirm Appt: Click the link to confirm your appt. on {{date}} at {{time}}", kWithWorkerAtSite,
                     ".\n{{confirm_link}}\n", kEmailDetails}),
                cat({"<p>Confirm Appt: your appt. is on {{date}} at {{time}}", kWithWorkerAtSite,
                     ".</p>\n<p><a href=\"{{confirm_link}}\">Confirm my appointment</a></p>\n"
                     "{{#location}}<p>Location: {{location}}</p>\n{{/location}}"
                     "{{#site_phone}}<p>Call {{site_phone}} to reschedule.</p>\n{{/site_phone}}"})};
    case MessageKind::worker_reminder:
        return {"Reminder: event on {{date}} at {{time}}",
                cat({"Reminder: event on {{date}} at {{time}}", kAtSiteLocation, ".\n"}), ""};
    case MessageKind::last_minute_booking:
        return {"Last-minute booking: {{date}} at {{time}}",
                cat({"Last-minute booking: an event was booked on {{date}} at {{time}}", kAtSiteLocation, ".\n"}), ""};
    case MessageKind::no_show:
        return {"No show: {{date}} at {{time}}",
                cat({"No show: your client did not arrive for the event on {{date}} at {{time}}", kAtSiteLocation, ".\n"}),
                ""};
    case MessageKind::confirmation_copy:
        // No confirm link: the copy is for the sender to see what the client got, not to confirm for them.
        return {"Copy of appointment confirmation: {{date}} at {{time}}",
                cat({"A copy of the appointment confirmation sent to a client: appt. on {{date}} at {{time}}",
                     kWithWorkerAtSite, ".\n{{#location}}Location: {{location}}\n{{/location}}"}),
                ""};
    case MessageKind::client_confirmed:
        return {"Confirmed: {{date}} at {{time}}",
                cat({"Confirmed: your client confirmed the event on {{date}} at {{time}}", kAtSiteLocation, ".\n"}), ""};
    case MessageKind::collaboration_message:
        return {"{{type}}: {{subject}}",
                "{{#body}}{{body}}\n{{/body}}{{^body}}Only the subject of this {{type}} leaves Penelope. Log in to "
                "Penelope to read it.\n{{/body}}",
                ""};
    case MessageKind::client_message:
        return {"{{subject}}", "{{body}}\n", ""};
    case MessageKind::error_notice_digest:
        return {"extcomm: {{count}} delivery problem(s) need attention",
                kDigestText,
                ""};
    case MessageKind::trigger_alert:
    case MessageKind::trigger_notification:
        return {"{{type}}: {{title}}",
                "{{#message}}{{message}}\n\n{{/message}}About {{record}} (action trigger \"{{rule}}\").\n",
                "{{#message}}<div>{{message}}</div>\n{{/message}}<p>About {{record}} (action trigger &ldquo;{{rule}}&rdquo;).</p>\n"};
    case MessageKind::task_workflow:
        return {"Workflow: {{title}}",
                kTaskText, kTaskHtml};
    case MessageKind::client_discussion:
        return {"{{subject}}", kDiscussionText, kDiscussionHtml};
    case MessageKind::verification_code:
        return {"Your Penelope verification code",
                "Your verification code is {{code}}. It expires in {{minutes_valid}} minutes.\n"
                "If you did not try to log in to Penelope, tell your administrator.\n",
                ""};
    case MessageKind::client_task_engage:
        return {"{{title}}", kClientTaskText, kClientTaskHtml};
    case MessageKind::client_task_client_connect:
        return {"{{title}}", kClientConnectText, ""};
    case MessageKind::verification_limit_alert:
        return {"Penelope: daily verification code limit reached", kLimitAlertText, ""};
    }
    return {"{{date}}", "{{date}}", ""};
}

} // namespace

MessageTemplate default_template(MessageKind kind, Channel channel) {
    return channel == Channel::sms ? sms_default(kind) : email_default(kind);
}

} // namespace extcomm::rendering
