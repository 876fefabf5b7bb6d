#pragma once
// What an agency administrator sets on the External Communications page (Penelope's help article,
// "Getting Started with External Communications", and feature-anchors §1). One struct per section, so a
// section can be read and written on its own (GET/PUT /v1/settings/{section}).
#include <rendering/facts.hpp>
#include <rendering/message_kind.hpp>

#include <set>
#include <string>

namespace extcomm::agency {

struct GeneralSettings {
    std::string error_notice_category;  // worker category id that receives error notices ("" = none)
    std::string sms_prefix;             // before automated event SMS; at most 20 characters
    std::string time_zone = "UTC";      // the agency's default IANA zone (a site's own zone wins)
    std::string country_calling_code;   // for national numbers, e.g. "61"
    std::string trunk_prefix = "0";     // dropped from national numbers before the calling code
};

struct EmailSettings {
    bool enabled = false;
    std::string transport;                      // the configured transport for standard email
    bool authentication_uses_standard = true;   // 2-step codes: "use standard email settings"
    std::string authentication_transport;       // otherwise this one
};

struct SmsSettings {
    bool enabled = false;
    std::string transport;
};

struct WorkerDeliverySettings {
    bool enabled = false;                       // database-wide: overrides every personal setting
    int last_minute_booking_hours = 0;          // notify workers of bookings made within X hours; 0 = off
    bool notify_no_show = false;                // never for group events
    // Per collaboration type: subject and body | subject only | disallow.
    std::array<rendering::DetailLevel, std::size(rendering::kAllCollaborationTypes)> detail_levels{
        rendering::DetailLevel::subject_and_body, rendering::DetailLevel::subject_and_body,
        rendering::DetailLevel::subject_and_body, rendering::DetailLevel::subject_and_body,
        rendering::DetailLevel::subject_and_body, rendering::DetailLevel::subject_and_body,
        rendering::DetailLevel::subject_and_body};
};

// Where staff may start a message to a client (Client Delivery → "Client Communications").
enum class ClientContext {
    billing_account_summary, // Individual Account Summary
    billing_policy,          // Individual Policy
    profile,                 // Individual Profile
    case_file,               // Case
    service_file,
    service_event,
    group,
    group_event,
};

struct ConfirmationSettings {
    bool enabled = false;
    int hours_before = 24;
    std::string sender_worker;          // worker id shown as the sender; gets a copy of each confirmation
    bool include_return_message = false; // the confirm link
};

// How a client's task reaches them (Client Delivery > Client Tasks): Engage emails a link to the task's
// page here; ClientConnect emails that a task waits in the agency's ClientConnect portal.
enum class TaskDelivery { engage, client_connect };

struct ClientTaskSettings {
    TaskDelivery delivery = TaskDelivery::engage;
    std::string portal_url;  // ClientConnect's address, told to the client (required for ClientConnect)
    int link_grace_days = 7; // a task's link works until its due date plus these days
};

struct ClientDeliverySettings {
    bool enabled = false;                // database-wide
    std::string email_footer;            // after automated event emails
    ConfirmationSettings confirmation;
    bool send_booking_notification = false;    // Event Updates
    bool send_reschedule_notification = false; // Event Updates
    std::set<ClientContext> contexts;          // where staff may start client communications
    ClientTaskSettings client_tasks;
};

// The channels verification codes may go by, and the channel a caller asks for ("either": SMS when the
// worker has a mobile number in use, else email).
enum class CodeChannel { email, sms, either };

// Authentication messages (2-step login, trusted devices, user-managed reset): the case-management system
// runs the login; extcomm makes, sends and checks the codes.
struct AuthenticationSettings {
    bool two_step_login = false;               // off: login and trusted-device codes are refused
    CodeChannel channels = CodeChannel::either; // the channels codes may go by
    int code_length = 6;                       // digits
    int code_minutes = 10;                     // how long a code is valid
    int max_wrong_attempts = 5;                // then the code is locked
    int trusted_device_days = 30;              // stored for the case-management system, which remembers devices
    bool user_managed_reset = false;           // off: password-reset codes are refused
    int max_codes_per_worker_per_day = 10;     // days in the agency's time zone
    int max_codes_per_day = 1000;              // every worker together
    std::string limit_alert_category;          // worker category told when a limit is hit ("" = none)
};

struct AgencySettings {
    GeneralSettings general;
    EmailSettings email;
    SmsSettings sms;
    WorkerDeliverySettings worker_delivery;
    ClientDeliverySettings client_delivery;
    rendering::PrivacySwitches privacy;
    AuthenticationSettings authentication;
    // Templates are rendering::TemplateSet, kept beside these settings by the settings store.

    // What the renderer needs of all this.
    rendering::RenderSettings render_settings() const {
        rendering::RenderSettings r;
        r.privacy = privacy;
        r.sms_prefix = general.sms_prefix;
        r.email_footer = client_delivery.email_footer;
        r.agency_time_zone = general.time_zone;
        r.detail_levels = worker_delivery.detail_levels;
        return r;
    }
};

} // namespace extcomm::agency
