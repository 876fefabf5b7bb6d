// Action triggers at scale (issue 13): a store with 10,000 enabled rules, for bench/run --only triggers to
// PUT records at a fixed rate against.
//
//   triggers_bench prepare --store FILE [--rules 10000] [--templates 100] [--teams 100]
//   triggers_bench birthdays --store FILE [--clients 100000] [--rules 50] [--due 10000]
//
// The rules are seeded directly into the store (one transaction, the rules' own JSON form, so the host
// reads them as it reads rules made through the API), spread over every trigger the catalogue has, the
// document-template ones over --templates templates. Each rule alerts the "leads" category (20 workers
// who take Alerts by email) when agency_fields.team equals one of --teams teams, so a record PUT with
// team-7 evaluates every rule of its trigger and fires about rules / triggers / teams of them.
//
// Time-based rules at scale (issue 14), `birthdays`: --clients clients with birth dates, each the primary
// member of a service file of one of the 20 leads, are seeded directly into the store (one transaction);
// then --rules age rules (ages 1 … N, an Alert to the file's primary worker) are created through the
// RuleStore with the TimeRules planning hooked in, on a clock a day before kMidnight, so their rows are
// made by the code the host runs (every participant's next crossing of every age still ahead). --due of
// the clients have their birthday at kMidnight (each turning one of the ages: one firing each); the others'
// birthdays fall on other days. bench/run then moves the rows' times so that kMidnight is a moment just
// ahead, as a clock would arrive there, and starts the host.
// Prints one key=value line.
#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <store/database.hpp>
#include <triggers/record_store.hpp>
#include <triggers/rule.hpp>
#include <triggers/time_rules.hpp>

#include <outbox/outbox.hpp>
#include <sending/pipeline.hpp>

#include <Poco/Data/Transaction.h>

#include <iostream>
#include <chrono>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace extcomm;
using namespace Poco::Data::Keywords;
namespace json = boost::json;

std::map<std::string, std::string> read_args(int argc, char** argv) {
    std::map<std::string, std::string> out;
    for (int i = 2; i + 1 < argc; i += 2) out[argv[i]] = argv[i + 1];
    return out;
}

long number_arg(const std::map<std::string, std::string>& args, const std::string& key, long fallback) {
    return args.contains(key) ? std::stol(args.at(key)) : fallback;
}

Database open_store(const std::map<std::string, std::string>& args) {
    StoreOptions options;
    options.path = args.at("--store");
    return Database(options);
}

void seed_people(Database& db, const Clock& clock) {
    agency::PeopleStore people(db, clock);
    people.put_category({"leads", "Team leads"});
    agency::GeneralSettings general;
    general.country_calling_code = "61";
    for (int i = 0; i < 20; ++i) {
        agency::Worker w;
        w.id = "lead-" + std::to_string(i);
        w.first_name = "Lead";
        w.categories = {"leads"};
        w.email = w.id + "@agency.example";
        w.message_settings.set_channel(rendering::CollaborationType::alert, agency::ChannelChoice::email);
        people.put_worker(w, general);
    }
}

triggers::Rule rule_number(long i, long templates, long teams) {
    using namespace triggers;
    Rule r;
    r.id = "at-" + std::to_string(i + 1);
    r.trigger = kAllTriggers[static_cast<std::size_t>(i) % std::size(kAllTriggers)];
    r.name = "Rule " + std::to_string(i + 1);
    if (attached_to_template(r.trigger)) r.document_template = "form-" + std::to_string(i % templates);
    r.parameters.age = 18;
    r.parameters.days = 7;
    r.parameters.question = "q1";
    r.parameters.value = "yes";
    // Rules of one trigger are numbered i, i + 12, …: their teams go round 0 … teams-1.
    const long team = (i / static_cast<long>(std::size(kAllTriggers))) % teams;
    r.action.title = "Team " + std::to_string(team) + " needs a look";
    r.recipients.category = "leads";
    r.criteria.push_back({"agency_fields.team", Comparison::equals, json::value("team-" + std::to_string(team))});
    return r;
}

int prepare(const std::map<std::string, std::string>& args) {
    Database db = open_store(args);
    SystemClock clock;
    const long rules = number_arg(args, "--rules", 10000), templates = number_arg(args, "--templates", 100);
    const long teams = number_arg(args, "--teams", 100);
    seed_people(db, clock);
    auto c = db.connect();
    Poco::Data::Transaction tx(c.session());
    for (long t = 0; t < templates; ++t) {
        triggers::DocumentTemplate form{"form-" + std::to_string(t), "Form " + std::to_string(t), true,
                                        {{"q1", "Unsafe?", triggers::QuestionType::yes_no, false, "", true, {}}}};
        triggers::put_template(c, form, clock.now_ms());
    }
    const TimeMs at = clock.now_ms();
    for (long i = 0; i < rules; ++i) {
        const triggers::Rule r = rule_number(i, templates, teams);
        std::string id = r.id, trigger(triggers::to_string(r.trigger)), tmpl = r.document_template;
        std::string text = json::serialize(triggers::to_json(r));
        c.session() << c.sql("INSERT INTO action_triggers (id, trigger_name, template_id, enabled, rule, created_at, "
                             "updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)"),
            use(id), use(trigger), use(tmpl), use(text), bind(at), bind(at), now;
    }
    Poco::Int64 last = rules;
    c.session() << "UPDATE trigger_counters SET value = ? WHERE name = 'rule'", use(last), now;
    tx.commit();
    std::cout << "rules=" << rules << " templates=" << templates << " teams=" << teams
              << " rules_per_trigger=" << rules / static_cast<long>(std::size(triggers::kAllTriggers)) << "\n";
    return 0;
}

// 2030-06-15 00:00 UTC: the midnight the --due birthdays fall on (the agency's zone is UTC here).
constexpr TimeMs kMidnight = 1'907'712'000'000;
constexpr TimeMs kDayMs = 86'400'000;

std::string iso(int year, unsigned month, unsigned day) {
    char text[11];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", year, month, day);
    return text;
}

// Client i's birth date: the first `due` turn 1 … rules at kMidnight (2030-06-15); the others are born
// on another day of the year, 0 to 80 years before.
std::string birth_date(long i, long due, long rules, std::mt19937& random) {
    if (i < due) return iso(2030 - static_cast<int>(1 + i % rules), 6, 15);
    const unsigned month = 1 + random() % 12, day = 1 + random() % 28;
    return iso(2030 - static_cast<int>(random() % 81), month, month == 6 && day == 15 ? 16 : day);
}

void seed_clients(Database& db, long clients, long due, long rules) {
    std::mt19937 random(14);
    std::vector<std::string> ids, names, births;
    for (long i = 0; i < clients; ++i) {
        ids.push_back("c" + std::to_string(i));
        names.push_back("Client " + std::to_string(i));
        births.push_back(birth_date(i, due, rules, random));
    }
    auto c = db.connect();
    Poco::Data::Transaction tx(c.session());
    c.session() << "INSERT INTO clients (id, name, email_entry, email_address, email_consented_at, sms_entry, sms_address, "
                   "sms_consented_at, updated_at, birth_date) VALUES (?, ?, '', '', 0, '', '', 0, 0, ?)",
        use(ids), use(names), use(births), now;
    for (long i = 0; i < clients; ++i) {
        triggers::Record file;
        file.kind = triggers::RecordKind::service_file;
        file.id = "sf" + std::to_string(i);
        file.primary_member = ids[static_cast<std::size_t>(i)];
        file.workers = {{"lead-" + std::to_string(i % 20), "lead"}};
        triggers::put_record(c, std::nullopt, file, kMidnight - 30 * kDayMs);
    }
    tx.commit();
}

// The age rules, created as the API creates them, and each one's rows planned over every service file.
double create_age_rules(Database& db, long rules) {
    ManualClock clock(kMidnight - kDayMs);
    agency::PeopleStore people(db, clock);
    Outbox outbox(db, clock);
    sending::Pipeline pipeline(db, outbox);
    triggers::RuleStore store(db, people, clock);
    triggers::Firing firing(store, people);
    // Stored before the rules (whose audit would otherwise make the host keep the defaults): UTC, Alerts
    // by email on the `mail` transport.
    agency::SettingsStore settings(db, clock);
    const auto seeded = settings.seed(json::parse(R"({"general": {"time_zone": "UTC"}, "worker_delivery": {"enabled": true},
                                                      "email": {"enabled": true, "transport": "mail"}})"),
                                      agency::SettingsCheck{});
    if (!std::holds_alternative<bool>(seeded)) throw std::runtime_error("settings refused");
    triggers::TimeRules time_rules(pipeline, people, store, firing, clock, [&] { return settings.current(); }, 24 * 3'600'000);
    store.set_on_change([&](Database::Connection& c, const std::optional<triggers::Rule>& before,
                            const std::optional<triggers::Rule>& after, TimeMs at) { time_rules.rule_changed(c, before, after, at); });
    const auto started = std::chrono::steady_clock::now();
    for (long age = 1; age <= rules; ++age) {
        triggers::Rule r;
        r.name = "Turns " + std::to_string(age);
        r.trigger = triggers::Trigger::participant_turns_age;
        r.parameters.age = static_cast<int>(age);
        r.action.title = "A participant turns " + std::to_string(age);
        r.recipients.other = triggers::OtherRecipient::primary_worker;
        if (!std::holds_alternative<triggers::Rule>(store.create(r, {"bench", "bench"})))
            throw std::runtime_error("age rule refused");
    }
    while (time_rules.plan_once()) {
    } // a page of records per transaction, as the host's scheduler plans them
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

int birthdays(const std::map<std::string, std::string>& args) {
    Database db = open_store(args);
    SystemClock clock;
    const long clients = number_arg(args, "--clients", 100000), rules = number_arg(args, "--rules", 50);
    const long due = number_arg(args, "--due", 10000);
    seed_people(db, clock);
    seed_clients(db, clients, due, rules);
    const double planned_s = create_age_rules(db, rules);
    Poco::Int64 rows = 0, at_midnight = 0;
    auto c = db.connect();
    c.session() << "SELECT count(*) FROM trigger_due", into(rows), now;
    TimeMs midnight = kMidnight;
    c.session() << "SELECT count(*) FROM trigger_due WHERE due_at = ?", use(midnight), into(at_midnight), now;
    std::cout << "clients=" << clients << " rules=" << rules << " rows=" << rows << " due_at_midnight=" << at_midnight
              << " midnight_ms=" << kMidnight << " rules_planned_s=" << planned_s << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) try {
    const std::string command = argc < 2 ? "" : argv[1];
    if (command == "prepare") return prepare(read_args(argc, argv));
    if (command == "birthdays") return birthdays(read_args(argc, argv));
    std::cerr << "usage: triggers_bench prepare --store FILE [--rules N] [--templates T] [--teams K]\n"
                 "       triggers_bench birthdays --store FILE [--clients N] [--rules R] [--due D]\n";
    return 2;
} catch (const std::exception& e) {
    std::cerr << "triggers_bench: " << e.what() << "\n";
    return 1;
}
