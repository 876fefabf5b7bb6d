// Schedules at scale (issue 6): a store with a million pending confirmations and reminders, a burst of
// them falling due in one minute, and what the host made of them.
//
//   schedules_bench prepare --store FILE [--schedules 1000000] [--burst 100000] [--lead-s 15] [--overdue 1000]
//                           [--clients 50000] [--workers 2000] [--postgresql CONNECTION]
//   schedules_bench drive   --store FILE [--tick-ms 250] [--batch 500] [--until-ms T] [--max-s 300]
//                           [--postgresql CONNECTION]
//   schedules_bench report  --store FILE --from-ms D --to-ms E [--started-ms S] [--postgresql CONNECTION]
//
// prepare: real rows through the store's own code where it matters (settings seeded by SettingsStore,
//   workers, clients with consent and sites by PeopleStore, rows planned by plan_schedules, events in the
//   store's JSON) and bulk inserts (column-vector binds, one transaction per phase, SQLite with
//   synchronous=OFF while loading) where a million rows must go in quickly. Everything is booked a week
//   ago; consent was given before that. The far rows (days to weeks ahead) go in first; then, from the
//   clock as it is then, the near ones: `--burst` rows due within the one minute that starts `--lead-s`
//   seconds later (half client confirmations "24 h before", half worker reminders "N min before"), and
//   `--overdue` rows whose time passed in the minute before (they fell due while the host was down: a
//   restart must send them). A negative --lead-s puts the whole burst minute in the past (the host was
//   down through it: a catch-up, which measures how fast the host fires). Prints one key=value line.
// drive: what `extcomm serve` does with schedules, for a tree whose serve does not run the Scheduler:
//   the same classes on a SystemClock, run_once(batch) every tick and again at once after a full batch.
// report: reads the outbox: for each message of a schedule, its due time (run_at, from the idempotency key
//   "schedule:<event>:<recipient>:<kind>:<run_at>:<channel>"), when it was enqueued (created_at) and when
//   its first attempt was recorded (the transport had returned). Prints key=value lines.
#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <events/scheduler.hpp>
#include <events/schedules.hpp>
#include <events/service_event_json.hpp>
#include <outbox/outbox.hpp>
#include <store/database.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace extcomm;
using namespace extcomm::events;
using namespace Poco::Data::Keywords;
using Steady = std::chrono::steady_clock;

constexpr TimeMs kMinute = 60'000;
constexpr TimeMs kHour = 60 * kMinute;
constexpr TimeMs kDay = 24 * kHour;

struct Args {
    std::map<std::string, std::string> values;
    std::string get(const std::string& key, const std::string& fallback = "") const {
        auto it = values.find(key);
        return it == values.end() ? fallback : it->second;
    }
    long long number(const std::string& key, long long fallback) const {
        auto it = values.find(key);
        return it == values.end() ? fallback : std::stoll(it->second);
    }
};

StoreOptions store_of(const Args& args) {
    StoreOptions options;
    if (!args.get("--postgresql").empty()) {
        options.driver = "postgresql";
        options.connection = args.get("--postgresql");
    } else {
        options.path = args.get("--store");
    }
    return options;
}

TimeMs wall_ms() { return SystemClock().now_ms(); }

// User + system CPU time of this process so far.
double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return s(usage.ru_utime) + s(usage.ru_stime);
}

double seconds_since(Steady::time_point start) {
    return std::chrono::duration<double>(Steady::now() - start).count();
}

// Peak and current resident set of this process, kB (VmHWM, VmRSS).
std::pair<long, long> memory_kb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    long hwm = 0, rss = 0;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) hwm = std::stol(line.substr(6));
        if (line.rfind("VmRSS:", 0) == 0) rss = std::stol(line.substr(6));
    }
    return {hwm, rss};
}

// The agency: email and SMS through the `file` transport, client confirmations 24 hours before,
// worker reminders on; the first worker is the confirmations' sender.
boost::json::value agency_settings() {
    return boost::json::parse(R"({
      "general": {"time_zone": "Australia/Sydney", "country_calling_code": "61", "sms_prefix": "Acme:"},
      "email": {"enabled": true, "transport": "file"},
      "sms": {"enabled": true, "transport": "file"},
      "worker_delivery": {"enabled": true},
      "client_delivery": {"enabled": true, "email_footer": "Acme Community Services",
                          "confirmation": {"enabled": true, "hours_before": 24, "sender_worker": "wk00000"}}
    })");
}

// Events and their rows, written with column-vector binds (one statement per chunk).
class Loader {
public:
    explicit Loader(Database::Connection& c) : c_(c) {}

    void add(const ServiceEvent& event, const std::vector<Schedule>& rows, TimeMs now) {
        ids_.push_back(event.id);
        current_.push_back(boost::json::serialize(to_json(event)));
        starts_.push_back(event.start);
        updated_.push_back(now);
        for (const Schedule& s : rows) {
            s_events_.push_back(s.event);
            s_recipients_.push_back(s.recipient);
            s_kinds_.emplace_back(to_string(s.kind));
            s_run_ats_.push_back(s.run_at);
            s_starts_.push_back(s.event_start);
        }
        schedules += rows.size();
        ++events;
        if (ids_.size() >= 20'000) flush();
    }

    void flush() {
        if (!ids_.empty()) {
            std::vector<std::string> previous(ids_.size()), status(ids_.size(), "booked");
            c_.session() << c_.sql("INSERT INTO service_events (id, current_event, previous_event, start_at, status, "
                                   "updated_at) VALUES (?, ?, ?, ?, ?, ?)"),
                use(ids_), use(current_), use(previous), use(starts_), use(status), use(updated_), now;
        }
        if (!s_events_.empty())
            c_.session() << c_.sql("INSERT INTO event_schedules (event_id, recipient_id, kind, run_at, event_start) "
                                   "VALUES (?, ?, ?, ?, ?)"),
                use(s_events_), use(s_recipients_), use(s_kinds_), use(s_run_ats_), use(s_starts_), now;
        ids_.clear(), current_.clear(), starts_.clear(), updated_.clear();
        s_events_.clear(), s_recipients_.clear(), s_kinds_.clear(), s_run_ats_.clear(), s_starts_.clear();
    }

    std::size_t events = 0, schedules = 0;

private:
    Database::Connection& c_;
    std::vector<std::string> ids_, current_;
    std::vector<std::int64_t> starts_, updated_;
    std::vector<std::string> s_events_, s_recipients_, s_kinds_;
    std::vector<std::int64_t> s_run_ats_, s_starts_;
};

void checkpoint(Database& db) {
    if (db.dialect() != Dialect::sqlite) return;
    auto c = db.connect();
    c.session() << "PRAGMA wal_checkpoint(TRUNCATE)", now;
}

int prepare(const Args& args) {
    const auto began = Steady::now();
    const long long total = args.number("--schedules", 1'000'000);
    const long long burst = args.number("--burst", 100'000);
    const long long lead_s = args.number("--lead-s", 15);
    const long long overdue = args.number("--overdue", 1'000);
    const int n_clients = static_cast<int>(args.number("--clients", 50'000));
    const int n_workers = static_cast<int>(args.number("--workers", 2'000));

    Database db(store_of(args));
    if (db.dialect() == Dialect::sqlite) {
        auto c = db.connect();
        c.session() << "PRAGMA synchronous=OFF", now; // loading only: the host opens the store with FULL
    }
    const TimeMs start_wall = wall_ms();
    ManualClock clock(start_wall - 30 * kDay); // consent and people a month ago
    agency::PeopleStore people(db, clock);
    agency::GeneralSettings general; // as agency_settings() has it: people are normalised with it
    general.time_zone = "Australia/Sydney";
    general.country_calling_code = "61";

    const std::vector<std::pair<std::string, std::string>> sites{
        {"north", "Australia/Sydney"}, {"west", "Australia/Perth"}, {"south", "Australia/Melbourne"},
        {"east", "Australia/Brisbane"}, {"central", "Australia/Adelaide"}};
    for (std::size_t i = 0; i < sites.size(); ++i)
        people.put_site({sites[i].first, "Site " + sites[i].first, "029123456" + std::to_string(i),
                         std::to_string(i + 1) + " Main Street", sites[i].second, 0},
                        general);

    char id[32];
    std::vector<agency::Worker> workers;
    for (int i = 0; i < n_workers; ++i) {
        agency::Worker w;
        std::snprintf(id, sizeof id, "wk%05d", i);
        w.id = id;
        w.first_name = "Worker";
        w.last_name = "Number" + std::to_string(i);
        w.email = w.id + "@example.org";
        std::snprintf(id, sizeof id, "04%08d", 10'000'000 + i);
        w.mobile = id;
        w.message_settings.event_notifications = i % 2 ? agency::ChannelChoice::sms : agency::ChannelChoice::email;
        w.message_settings.reminder_minutes = std::array{15, 30, 60}[i % 3];
        auto saved = people.put_worker(w, general);
        if (auto* error = std::get_if<FieldError>(&saved)) {
            std::cerr << "worker: " << error->field << ": " << error->reason << "\n";
            return 1;
        }
        workers.push_back(*people.worker(w.id)); // as stored (normalised)
    }
    std::vector<std::string> clients;
    for (int i = 0; i < n_clients; ++i) {
        std::snprintf(id, sizeof id, "cl%06d", i);
        std::string client = id;
        std::snprintf(id, sizeof id, "04%08d", 20'000'000 + i);
        agency::ClientUpdate u{client, "Client " + std::to_string(i),
                               {{"home", Channel::email, client + "@example.net", true}, {"mob", Channel::sms, id, true}},
                               std::string("home"), std::string("mob")};
        auto saved = people.put_client(u, general);
        if (auto* error = std::get_if<FieldError>(&saved)) {
            std::cerr << "client: " << error->field << ": " << error->reason << "\n";
            return 1;
        }
        clients.push_back(client);
    }
    // The settings last: the confirmation's sender worker must exist.
    agency::SettingsStore settings_store(db, clock);
    agency::SettingsCheck check;
    check.worker_exists = [&people](const std::string& wid) { return people.worker(wid).has_value(); };
    auto seeded = settings_store.seed(agency_settings(), check);
    if (auto* error = std::get_if<FieldError>(&seeded)) {
        std::cerr << "settings: " << error->field << ": " << error->reason << "\n";
        return 1;
    }
    const agency::AgencySettings settings = settings_store.current()->settings;
    const double people_s = seconds_since(began);

    const TimeMs booked_at = start_wall - 7 * kDay;
    long long event_no = 0;
    std::mt19937_64 rng(6);
    auto make_event = [&](TimeMs start) {
        ServiceEvent e;
        std::snprintf(id, sizeof id, "ev%07lld", event_no++);
        e.id = id;
        e.start = start;
        e.end = start + kHour;
        e.start_offset_minutes = e.end_offset_minutes = 600;
        e.workers = {{workers[rng() % workers.size()].id, true}};
        e.clients = {{clients[rng() % clients.size()], true}};
        e.site = sites[rng() % sites.size()].first;
        e.location = "Room " + std::to_string(1 + rng() % 12);
        e.service_file = "sf" + std::to_string(rng() % 200'000);
        e.booked_at = booked_at;
        return e;
    };
    auto worker_of = [&](const ServiceEvent& e) {
        const std::string& wid = e.workers.front().id;
        return std::vector<agency::Worker>{workers[static_cast<std::size_t>(std::stoi(wid.substr(2)))]};
    };

    // Phase 1: the far rows, days to weeks ahead (confirmation and reminder per event).
    // The near rows: each minute's rows, and the later reminders of its confirmed events.
    const long long near_rows = burst + burst / 2 + overdue + overdue / 2;
    const long long far_events = std::max(0LL, (total - near_rows) / 2);
    {
        auto c = db.connect();
        Poco::Data::Transaction tx(c.session());
        Loader loader(c);
        std::uniform_int_distribution<TimeMs> far(2 * kDay, 30 * kDay);
        for (long long i = 0; i < far_events; ++i) {
            ServiceEvent e = make_event(start_wall + far(rng) / kMinute * kMinute);
            loader.add(e, plan_schedules(e, settings, worker_of(e), booked_at), booked_at);
        }
        loader.flush();
        tx.commit();
    }
    checkpoint(db);
    const double far_s = seconds_since(began) - people_s;

    // Phase 2: the near rows, from the clock as it is now.
    const TimeMs near_now = wall_ms();
    const TimeMs burst_from = near_now + lead_s * 1000;
    std::size_t events = 0, schedules = 0, in_burst = 0, overdue_rows = 0;
    {
        auto c = db.connect();
        Poco::Data::Transaction tx(c.session());
        Loader loader(c);
        // `count` rows due within the minute from `from`, slot i at from + i/count of it: even slots a
        // client's confirmation (event 24 h later), odd slots a worker's reminder (event N minutes later).
        // Rows of these events due before `from` were sent before the host stopped and are not stored.
        auto add_minute = [&](long long count, TimeMs from) {
            std::size_t in_minute = 0;
            for (long long i = 0; i < count; ++i) {
                const TimeMs due = from + i * kMinute / count;
                ServiceEvent e = make_event(0);
                auto w = worker_of(e);
                e.start = due + (i % 2 == 0 ? settings.client_delivery.confirmation.hours_before * kHour
                                            : w.front().message_settings.reminder_minutes * kMinute);
                e.end = e.start + kHour;
                std::vector<Schedule> rows;
                for (Schedule& s : plan_schedules(e, settings, w, booked_at))
                    if (s.run_at >= from) rows.push_back(std::move(s));
                for (const Schedule& s : rows) in_minute += s.run_at < from + kMinute;
                loader.add(e, rows, booked_at);
            }
            return in_minute;
        };
        in_burst = add_minute(burst, burst_from);
        // Overdue: rows that fell due in the minute before now, while the host was down.
        overdue_rows = add_minute(overdue, near_now - kMinute);
        loader.flush();
        events = loader.events;
        schedules = loader.schedules;
        tx.commit();
    }
    checkpoint(db);
    {
        auto c = db.connect();
        if (db.dialect() == Dialect::sqlite) c.session() << "PRAGMA synchronous=FULL", now;
    }
    std::int64_t pending = 0;
    {
        auto c = db.connect();
        c.session() << "SELECT COUNT(*) FROM event_schedules", into(pending), now;
    }
    std::cout << "prepared schedules=" << pending << " events=" << event_no << " clients=" << n_clients
              << " workers=" << n_workers << " burst_rows=" << in_burst << " burst_from_ms=" << burst_from
              << " burst_to_ms=" << burst_from + kMinute << " overdue_rows=" << overdue_rows
              << " near_events=" << events << " near_schedules=" << schedules << " people_s=" << people_s
              << " far_s=" << far_s << " prepare_s=" << seconds_since(began) << " ready_ms=" << wall_ms() << "\n";
    return 0;
}

// What serve does with schedules, on the same classes: a SystemClock, the store's settings, run_once in
// batches. Stops at --until-ms once a run finds nothing due, or after --max-s.
int drive(const Args& args) {
    const TimeMs started = wall_ms();
    const auto began = Steady::now();
    const int tick_ms = static_cast<int>(args.number("--tick-ms", 250));
    const int batch = static_cast<int>(args.number("--batch", 500));
    const TimeMs until = args.number("--until-ms", 0);
    const double max_s = static_cast<double>(args.number("--max-s", 300));

    SystemClock clock;
    Database db(store_of(args));
    agency::SettingsStore settings(db, clock);
    agency::PeopleStore people(db, clock);
    Outbox outbox(db, clock);
    sending::Pipeline pipeline(db, outbox);
    Scheduler scheduler(pipeline, people, clock, [&settings] { return settings.current(); });
    const TimeMs ready = wall_ms();
    std::cout << "schedules_bench drive: the Scheduler runs (no HTTP), ready after " << ready - started << " ms, listening on -" << std::endl;

    TimeMs first_handover = 0;
    long long claimed = 0, enqueued = 0, dropped = 0, skipped = 0, runs = 0;
    double busy_s = 0;
    while (seconds_since(began) < max_s) {
        const auto run_began = Steady::now();
        SchedulerRun run = scheduler.run_once(batch);
        busy_s += seconds_since(run_began);
        ++runs;
        claimed += run.claimed, enqueued += run.enqueued, dropped += run.dropped, skipped += run.skipped;
        if (run.enqueued > 0 && first_handover == 0) first_handover = wall_ms();
        if (run.claimed >= batch) continue; // more may be due now
        if (wall_ms() >= until) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(tick_ms));
    }
    auto [hwm, rss] = memory_kb();
    std::cout << "drove started_ms=" << started << " ready_ms=" << ready << " first_handover_ms=" << first_handover
              << " claimed=" << claimed << " enqueued=" << enqueued << " dropped=" << dropped << " skipped=" << skipped
              << " runs=" << runs << " busy_s=" << busy_s << " cpu_s=" << cpu_seconds() << " vm_hwm_kb=" << hwm << " vm_rss_kb=" << rss << "\n";
    return 0;
}

double percentile(std::vector<TimeMs> sorted, double p) {
    if (sorted.empty()) return 0;
    std::size_t rank = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return static_cast<double>(sorted[std::min(rank, sorted.size() - 1)]);
}

std::string stats(const std::string& name, std::vector<TimeMs> values) {
    std::sort(values.begin(), values.end());
    char line[256];
    std::snprintf(line, sizeof line, "%s_n=%zu %s_p50_ms=%.0f %s_p99_ms=%.0f %s_max_ms=%.0f", name.c_str(),
                  values.size(), name.c_str(), percentile(values, 0.5), name.c_str(), percentile(values, 0.99),
                  name.c_str(), values.empty() ? 0.0 : static_cast<double>(values.back()));
    return line;
}

int report(const Args& args) {
    const TimeMs from = args.number("--from-ms", 0), to = args.number("--to-ms", 0);
    const TimeMs started = args.number("--started-ms", 0);
    Database db(store_of(args));
    auto c = db.connect();
    Poco::Data::Statement select(c.session());
    // One row per message of a schedule: its key, when it was enqueued, its first recorded attempt.
    select << c.sql("SELECT m.idempotency_key, m.created_at, COALESCE((SELECT MIN(a.at) FROM attempts a WHERE "
                    "a.message_id = m.id), 0) FROM messages m WHERE m.idempotency_key LIKE 'schedule:%' OR "
                    "m.idempotency_key LIKE 'confirmation-copy:%'"),
        now;
    Poco::Data::RecordSet rs(select);
    std::vector<TimeMs> enqueued, attempted, overdue_enqueued;
    TimeMs first_created = 0, last_created = 0, first_attempt = 0, last_attempt = 0, first_any = 0, first_any_attempt = 0;
    std::size_t not_attempted = 0, burst_messages = 0, copies = 0;
    std::set<std::string> burst_rows; // event:recipient:kind
    for (std::size_t row = 0; row < rs.rowCount(); ++row) {
        const std::string key = rs.value(0, row).convert<std::string>();
        const TimeMs created = rs.value(1, row).convert<std::int64_t>();
        const TimeMs attempt = rs.value(2, row).convert<std::int64_t>();
        // schedule:<event>:<recipient>:<kind>:<run_at>:<channel>, and the sender's copy of a confirmation
        // confirmation-copy:<event>:<client>:<run_at>:<worker>:<channel>.
        std::vector<std::string> parts;
        for (std::size_t at = 0, next; at <= key.size(); at = next + 1) {
            next = std::min(key.find(':', at), key.size());
            parts.push_back(key.substr(at, next - at));
        }
        const bool copy = parts[0] == "confirmation-copy";
        if (parts.size() < 6) continue;
        const TimeMs run_at = std::stoll(parts[copy ? 3 : 4]);
        if (run_at >= from && run_at < to && !copy) burst_rows.insert(parts[1] + ":" + parts[2] + ":" + parts[3]);
        copies += copy && run_at >= from && run_at < to;
        if (first_any == 0 || created < first_any) first_any = created;
        if (attempt && (first_any_attempt == 0 || attempt < first_any_attempt)) first_any_attempt = attempt;
        if (run_at < from || run_at >= to) {
            if (run_at < from) overdue_enqueued.push_back(created - std::max(run_at, started));
            continue;
        }
        ++burst_messages;
        enqueued.push_back(created - run_at);
        if (first_created == 0 || created < first_created) first_created = created;
        last_created = std::max(last_created, created);
        if (attempt == 0) {
            ++not_attempted;
            continue;
        }
        attempted.push_back(attempt - run_at);
        if (first_attempt == 0 || attempt < first_attempt) first_attempt = attempt;
        last_attempt = std::max(last_attempt, attempt);
    }
    std::int64_t pending = 0, due_pending = 0;
    c.session() << "SELECT COUNT(*) FROM event_schedules", into(pending), now;
    TimeMs to_bound = to;
    c.session() << c.sql("SELECT COUNT(*) FROM event_schedules WHERE run_at < ?"), use(to_bound), into(due_pending), now;

    std::cout << "burst " << stats("enqueue_lateness", enqueued) << " " << stats("attempt_lateness", attempted)
              << " not_attempted=" << not_attempted << "\n";
    const double span_s = static_cast<double>(last_created - std::min(first_created, from)) / 1000.0;
    // While a backlog is fired (e.g. the host was down through the minute), first to last is the rate.
    const double fired_s = static_cast<double>(last_created - first_created) / 1000.0;
    std::cout << "burst_messages=" << burst_messages << " burst_copies=" << copies << " burst_schedules_fired="
              << burst_rows.size() << " fired_s=" << fired_s << " schedules_per_s="
              << (fired_s > 0 ? static_cast<double>(burst_rows.size()) / fired_s : 0.0) << " messages_per_s="
              << (fired_s > 0 ? static_cast<double>(burst_messages) / fired_s : 0.0) << " first_enqueued_ms=" << first_created
              << " last_enqueued_ms=" << last_created << " last_attempt_ms=" << last_attempt
              << " enqueue_span_s=" << span_s << " still_pending=" << pending << " burst_rows_left=" << due_pending << "\n";
    std::cout << "overdue " << stats("overdue_from_start", overdue_enqueued) << " first_message_ms=" << first_any
              << " first_attempt_ms=" << first_any_attempt
              << " first_message_after_start_ms=" << (started && first_any ? first_any - started : 0)
              << " first_attempt_after_start_ms=" << (started && first_any_attempt ? first_any_attempt - started : 0)
              << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) try {
    if (argc < 2) {
        std::cerr << "usage: schedules_bench prepare|drive|report --store FILE [options] (see the source's header)\n";
        return 2;
    }
    const std::string command = argv[1];
    Args args;
    for (int i = 2; i + 1 < argc; i += 2) args.values[argv[i]] = argv[i + 1];
    if (command == "prepare") return prepare(args);
    if (command == "drive") return drive(args);
    if (command == "report") return report(args);
    std::cerr << "schedules_bench: unknown command " << command << "\n";
    return 2;
} catch (const std::exception& e) {
    std::cerr << "schedules_bench: " << e.what() << "\n";
    return 1;
}
