#include <triggers/record_store.hpp>
#include <triggers/rule_store.hpp>

#include <agency/settings_json.hpp>
#include <store/rows.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>

#include <algorithm>

using namespace Poco::Data::Keywords;

namespace extcomm::triggers {
namespace json = boost::json;
namespace {

std::optional<Rule> rule_from_text(const std::string& id, const std::string& text) {
    std::error_code ec;
    json::value value = json::parse(text, ec);
    if (ec) return std::nullopt;
    auto read = rule_from_api(value);
    auto* rule = std::get_if<Rule>(&read);
    if (!rule) return std::nullopt;
    rule->id = id;
    return std::move(*rule);
}

std::vector<Rule> rules_of(Poco::Data::Statement& select) {
    Poco::Data::RecordSet rs(select);
    std::vector<Rule> out;
    for (std::size_t row = 0; row < rs.rowCount(); ++row)
        if (auto rule = rule_from_text(Row(rs, row).text(0), Row(rs, row).text(1))) out.push_back(std::move(*rule));
    return out;
}

// A template an action sends: stored, and client-facing when it is assigned to a client.
std::optional<FieldError> check_sent_template(Database::Connection& c, const std::string& id, bool to_client,
                                              const std::string& field) {
    auto tmpl = find_template(c, id);
    if (!tmpl) return FieldError{field, "no document template '" + id + "'"};
    if (to_client && !tmpl->client_facing)
        return FieldError{field, "'" + id + "' is not client-facing: only client-facing documents can be assigned to a client"};
    return std::nullopt;
}

std::optional<FieldError> check_action(Database::Connection& c, const Action& a) {
    for (std::size_t i = 0; i < a.templates.size(); ++i)
        if (auto e = check_sent_template(c, a.templates[i], a.assign_to_client, "action.templates[" + std::to_string(i) + "]")) return e;
    for (std::size_t i = 0; i < a.checklist.size(); ++i)
        if (auto e = check_sent_template(c, a.checklist[i].document_template, a.assign_to_client,
                                         "action.checklist[" + std::to_string(i) + "].template"))
            return e;
    return std::nullopt;
}

} // namespace

std::optional<Rule> find_rule(Database::Connection& c, const std::string& id) {
    std::string key = id;
    Poco::Data::Statement select(c.session());
    select << c.sql("SELECT id, rule FROM action_triggers WHERE id = ?"), use(key), now;
    auto rules = rules_of(select);
    if (rules.empty()) return std::nullopt;
    return std::move(rules.front());
}

std::vector<Rule> enabled_rules_of(Database::Connection& c, Trigger trigger) {
    std::string name(to_string(trigger));
    Poco::Data::Statement select(c.session());
    select << c.sql("SELECT id, rule FROM action_triggers WHERE trigger_name = ? AND enabled = 1 ORDER BY id"), use(name), now;
    return rules_of(select);
}

std::int64_t next_number(Database::Connection& c, const std::string& counter, std::int64_t count) {
    std::string name = counter;
    Poco::Int64 value = 0, by = count;
    c.session() << c.sql("UPDATE trigger_counters SET value = value + ? WHERE name = ?"), use(by), use(name), now;
    c.session() << c.sql("SELECT value FROM trigger_counters WHERE name = ?"), use(name), into(value), now;
    return value;
}

std::optional<FieldError> RuleStore::check(Database::Connection& c, const Rule& rule) {
    const std::string& category = rule.recipients.category;
    if (!category.empty()) {
        if (!people_.category_exists(c, category))
            return FieldError{"recipients.category", "no worker category '" + category + "'"};
        if (people_.workers_in(c, category).empty())
            return FieldError{"recipients.category", "'" + category + "' has no members: the action would reach nobody"};
    }
    if (attached_to_template(rule.trigger)) {
        auto tmpl = find_template(c, rule.document_template);
        if (!tmpl) return FieldError{"template", "no document template '" + rule.document_template + "'"};
        if (rule.trigger == Trigger::answer_meets_condition && !tmpl->question(rule.parameters.question))
            return FieldError{"parameters.question", "is not a question of '" + rule.document_template + "'"};
        if (rule.action.assign_to_client && !tmpl->client_facing)
            return FieldError{"action.assign_to_client", "'" + rule.document_template +
                                                            "' is not client-facing: a rule that assigns to the client must be on a client-facing template"};
    }
    return check_action(c, rule.action);
}

void RuleStore::write(Database::Connection& c, const std::optional<Rule>& before, const Rule& rule, const agency::Actor& actor) {
    const TimeMs at = clock_.now_ms();
    std::string id = rule.id, trigger(to_string(rule.trigger)), tmpl = rule.document_template;
    std::string text = json::serialize(to_json(rule));
    int enabled = rule.enabled ? 1 : 0;
    c.session() << c.sql("INSERT INTO action_triggers (id, trigger_name, template_id, enabled, rule, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, "
                         "rule = excluded.rule, updated_at = excluded.updated_at"),
        use(id), use(trigger), use(tmpl), use(enabled), use(text), bind(at), bind(at), now;
    agency::append_audit(c, at, actor, "action-triggers." + rule.id,
                         agency::json_changes(before ? to_json(*before) : json::object{}, to_json(rule)));
    if (on_change_) on_change_(c, before, rule, at);
}

std::variant<Rule, FieldError> RuleStore::create(Rule rule, const agency::Actor& actor) try {
    auto c = db_.connect();
    Poco::Data::Transaction tx(c.session());
    if (auto error = check(c, rule)) return *error;
    rule.id = "at-" + std::to_string(next_number(c, "rule"));
    write(c, std::nullopt, rule, actor);
    tx.commit();
    return rule;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::variant<Rule, FieldError, NoSuchRule> RuleStore::replace(const std::string& id, Rule rule, const agency::Actor& actor) try {
    auto c = db_.connect();
    Poco::Data::Transaction tx(c.session());
    auto stored = find_rule(c, id);
    if (!stored) return NoSuchRule{};
    if (rule.trigger != stored->trigger)
        return FieldError{"trigger", "is fixed once created (" + std::string(to_string(stored->trigger)) + "): copy the rule instead"};
    if (rule.document_template != stored->document_template)
        return FieldError{"template", "is fixed once created ('" + stored->document_template + "')"};
    if (auto error = check(c, rule)) return *error;
    rule.id = id;
    write(c, stored, rule, actor);
    tx.commit();
    return rule;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::variant<Rule, FieldError, NoSuchRule> RuleStore::set_enabled(const std::string& id, bool enabled, const agency::Actor& actor) {
    auto stored = find(id);
    if (!stored) return NoSuchRule{};
    Rule rule = *stored;
    rule.enabled = enabled;
    return replace(id, std::move(rule), actor);
}

std::variant<Rule, FieldError, NoSuchRule> RuleStore::copy(const std::string& id, const agency::Actor& actor) {
    auto stored = find(id);
    if (!stored) return NoSuchRule{};
    Rule rule = *stored;
    rule.name = "Copy of " + rule.name;
    rule.enabled = false; // two enabled copies would fire twice
    auto created = create(std::move(rule), actor);
    if (auto* error = std::get_if<FieldError>(&created)) return *error;
    return std::get<Rule>(std::move(created));
}

bool RuleStore::remove(const std::string& id, const agency::Actor& actor) try {
    auto c = db_.connect();
    Poco::Data::Transaction tx(c.session());
    auto stored = find_rule(c, id);
    if (!stored) return false;
    std::string key = id;
    c.session() << c.sql("DELETE FROM action_triggers WHERE id = ?"), use(key), now;
    agency::append_audit(c, clock_.now_ms(), actor, "action-triggers." + id, agency::json_changes(to_json(*stored), {}));
    if (on_change_) on_change_(c, stored, std::nullopt, clock_.now_ms());
    tx.commit();
    return true;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::optional<Rule> RuleStore::find(const std::string& id) {
    return on_connection(db_, [&](Database::Connection& c) { return find_rule(c, id); });
}

std::vector<Rule> RuleStore::list() {
    auto rules = on_connection(db_, [&](Database::Connection& c) {
        Poco::Data::Statement select(c.session());
        select << "SELECT id, rule FROM action_triggers", now;
        return rules_of(select);
    });
    auto number = [](const Rule& r) { return std::stoll(r.id.substr(3)); };
    std::sort(rules.begin(), rules.end(), [&](const Rule& a, const Rule& b) { return number(a) < number(b); });
    return rules;
}

RuleStore::RuleList RuleStore::enabled_rules(Database::Connection& c, Trigger trigger, const std::string& document_template) {
    std::string name(to_string(trigger)), tmpl = attached_to_template(trigger) ? document_template : std::string();
    Poco::Int64 version = 0;
    c.session() << "SELECT version FROM settings_version WHERE id = 1", into(version), now;
    const std::string key = name + "/" + tmpl;
    {
        std::lock_guard lock(cache_mutex_);
        if (version != cached_version_) {
            cache_.clear();
            cached_version_ = version;
        }
        if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    }
    Poco::Data::Statement select(c.session());
    select << c.sql("SELECT id, rule FROM action_triggers WHERE trigger_name = ? AND template_id = ? AND enabled = 1 ORDER BY id"),
        use(name), use(tmpl), now;
    auto rules = std::make_shared<const EnabledRules>(index_rules(rules_of(select)));
    std::lock_guard lock(cache_mutex_);
    if (version == cached_version_) cache_[key] = rules;
    return rules;
}

} // namespace extcomm::triggers
