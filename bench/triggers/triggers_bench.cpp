// Action triggers at scale (issue 13): a store with 10,000 enabled rules, for bench/run --only triggers to
// PUT records at a fixed rate against.
//
//   triggers_bench prepare --store FILE [--rules 10000] [--templates 100] [--teams 100]
//
// The rules are seeded directly into the store (one transaction, the rules' own JSON form, so the host
// reads them as it reads rules made through the API), spread over every trigger the catalogue has, the
// document-template ones over --templates templates. Each rule alerts the "leads" category (20 workers
// who take Alerts by email) when agency_fields.team equals one of --teams teams, so a record PUT with
// team-7 evaluates every rule of its trigger and fires about rules / triggers / teams of them.
// Prints one key=value line.
#include <agency/people_store.hpp>
#include <store/database.hpp>
#include <triggers/record_store.hpp>
#include <triggers/rule.hpp>

#include <Poco/Data/Transaction.h>

#include <iostream>
#include <map>
#include <string>

namespace {

using namespace extcomm;
using namespace Poco::Data::Keywords;
namespace json = boost::json;

std::map<std::string, std::string> read_args(int argc, char** argv) {
    std::map<std::string, std::string> out;
    for (int i = 2; i + 1 < argc; i += 2) out[argv[i]] = argv[i + 1];
    return out;
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
    StoreOptions options;
    options.path = args.at("--store");
    Database db(options);
    SystemClock clock;
    const long rules = args.contains("--rules") ? std::stol(args.at("--rules")) : 10000;
    const long templates = args.contains("--templates") ? std::stol(args.at("--templates")) : 100;
    const long teams = args.contains("--teams") ? std::stol(args.at("--teams")) : 100;
    seed_people(db, clock);
    auto c = db.connect();
    Poco::Data::Transaction tx(c.session());
    for (long t = 0; t < templates; ++t) {
        triggers::DocumentTemplate form{"form-" + std::to_string(t), "Form " + std::to_string(t), true,
                                        {{"q1", "Unsafe?", triggers::QuestionType::yes_no, false, "", true}}};
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

} // namespace

int main(int argc, char** argv) try {
    if (argc < 2 || std::string(argv[1]) != "prepare") {
        std::cerr << "usage: triggers_bench prepare --store FILE [--rules N] [--templates T] [--teams K]\n";
        return 2;
    }
    return prepare(read_args(argc, argv));
} catch (const std::exception& e) {
    std::cerr << "triggers_bench: " << e.what() << "\n";
    return 1;
}
