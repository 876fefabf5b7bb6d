#include <common/enum_names.hpp>
#include <events/schedules.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

using namespace Poco::Data::Keywords;

namespace extcomm::events {
namespace {

constexpr TimeMs kMinute = 60'000;
constexpr TimeMs kHour = 60 * kMinute;

std::vector<Schedule> schedules_of(Poco::Data::Statement& select) {
    Poco::Data::RecordSet rs(select);
    std::vector<Schedule> out;
    for (std::size_t row = 0; row < rs.rowCount(); ++row) {
        auto kind = schedule_kind_from(rs.value(2, row).convert<std::string>());
        if (!kind) continue;
        out.push_back({rs.value(0, row).convert<std::string>(), rs.value(1, row).convert<std::string>(), *kind,
                       rs.value(3, row).convert<std::int64_t>(), rs.value(4, row).convert<std::int64_t>()});
    }
    return out;
}

} // namespace

constexpr EnumNames<ScheduleKind, 3> kScheduleKindNames{{"confirmation", "worker-reminder", "first-event-reminder"}};

std::string_view to_string(ScheduleKind kind) { return kScheduleKindNames(kind); }
std::optional<ScheduleKind> schedule_kind_from(std::string_view name) { return kScheduleKindNames.parse(name); }

std::vector<Schedule> plan_schedules(const ServiceEvent& event, const agency::AgencySettings& settings,
                                     const std::vector<agency::Worker>& workers, TimeMs now) {
    std::vector<Schedule> out;
    if (event.status != EventStatus::booked) return out;
    auto add = [&](const std::string& recipient, ScheduleKind kind, TimeMs before) {
        TimeMs run_at = event.start - before;
        if (before <= 0 || run_at < now) return; // misfire: its time has passed already
        out.push_back({event.id, recipient, kind, run_at, event.start});
    };
    const auto& confirmation = settings.client_delivery.confirmation;
    if (settings.client_delivery.enabled && confirmation.enabled)
        for (const auto& client : event.clients) add(client.id, ScheduleKind::confirmation, confirmation.hours_before * kHour);
    if (settings.worker_delivery.enabled)
        for (const auto& worker : workers) {
            const auto& m = worker.message_settings;
            add(worker.id, ScheduleKind::worker_reminder, m.reminder_minutes * kMinute);
            if (event.first_event && !event.group)
                add(worker.id, ScheduleKind::first_event_reminder, m.first_event_reminder_minutes * kMinute);
        }
    return out;
}

void replace_schedules(Database::Connection& c, const std::string& event_id, const std::vector<Schedule>& planned) {
    std::string id = event_id;
    c.session() << c.sql("DELETE FROM event_schedules WHERE event_id = ?"), use(id), now;
    for (const Schedule& s : planned) {
        std::string event = s.event, recipient = s.recipient, kind(to_string(s.kind));
        TimeMs run_at = s.run_at, start = s.event_start;
        c.session() << c.sql("INSERT INTO event_schedules (event_id, recipient_id, kind, run_at, event_start) "
                             "VALUES (?, ?, ?, ?, ?)"),
            use(event), use(recipient), use(kind), use(run_at), use(start), now;
    }
}

std::vector<Schedule> claim_due_schedules(Database::Connection& c, TimeMs at, int limit) {
    Poco::Data::Statement select(c.session());
    select << c.sql(std::string("SELECT event_id, recipient_id, kind, run_at, event_start FROM event_schedules "
                                "WHERE run_at <= ? ORDER BY run_at LIMIT ?") +
                    c.skip_locked()),
        use(at), use(limit), now;
    return schedules_of(select);
}

void remove_schedule(Database::Connection& c, const Schedule& s) {
    std::string event = s.event, recipient = s.recipient, kind(to_string(s.kind));
    c.session() << c.sql("DELETE FROM event_schedules WHERE event_id = ? AND recipient_id = ? AND kind = ?"), use(event),
        use(recipient), use(kind), now;
}

void remove_schedules(Database::Connection& c, const std::vector<Schedule>& schedules) {
    if (schedules.empty()) return;
    std::vector<std::string> events, recipients, kinds;
    for (const Schedule& s : schedules) {
        events.push_back(s.event);
        recipients.push_back(s.recipient);
        kinds.emplace_back(to_string(s.kind));
    }
    c.session() << c.sql("DELETE FROM event_schedules WHERE event_id = ? AND recipient_id = ? AND kind = ?"),
        use(events), use(recipients), use(kinds), now;
}

std::vector<Schedule> pending_schedules(Database::Connection& c, const std::string& event_id) {
    std::string id = event_id;
    Poco::Data::Statement select(c.session());
    select << c.sql("SELECT event_id, recipient_id, kind, run_at, event_start FROM event_schedules "
                    "WHERE (? = '' OR event_id = ?) ORDER BY run_at, recipient_id, kind"),
        use(id), use(id), now;
    return schedules_of(select);
}

} // namespace extcomm::events
