#pragma once
// Where action trigger rules are kept, with every change audited like the settings (agency::append_audit:
// GET /v1/audit lists them under "action-triggers.<id>", with who made them and what changed).
// Beyond rule_from_api's checks, a rule is refused, naming the field, when what it names is not stored
// or cannot work: an unknown or empty worker category (an empty one would receive nothing), an unknown
// template or question, or a document assigned to a client that is not client-facing.
// Store failures throw std::runtime_error("store: ...").
#include <triggers/rule.hpp>
#include <triggers/rule_index.hpp>

#include <agency/people_store.hpp>
#include <agency/settings_store.hpp>
#include <common/clock.hpp>
#include <store/database.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace extcomm::triggers {

struct NoSuchRule {};

// Takes `count` server-assigned numbers of `counter` ("rule": rule ids, "firing": the firing log's order) in
// the caller's transaction and returns the last of them; its row lock orders writers on every host.
std::int64_t next_number(Database::Connection& c, const std::string& counter, std::int64_t count = 1);

// The rule of that id, read in the caller's unit of work.
std::optional<Rule> find_rule(Database::Connection& c, const std::string& id);
// Every enabled rule of `trigger`, whatever its template, by id, read in the caller's unit of work.
std::vector<Rule> enabled_rules_of(Database::Connection& c, Trigger trigger);

class RuleStore {
public:
    RuleStore(Database& db, agency::PeopleStore& people, const Clock& clock) : db_(db), people_(people), clock_(clock) {}

    // Runs in the transaction of every change of a rule, with the rule before and after (nullopt: created,
    // deleted): time-based rules keep their rows with it (time_rules.hpp).
    using Changed = std::function<void(Database::Connection& c, const std::optional<Rule>& before,
                                       const std::optional<Rule>& after, TimeMs now)>;
    void set_on_change(Changed hook) { on_change_ = std::move(hook); }

    // A new rule with a server-assigned id.
    std::variant<Rule, FieldError> create(Rule rule, const agency::Actor& actor);
    // Replaces the rule; its trigger and template are fixed once created.
    std::variant<Rule, FieldError, NoSuchRule> replace(const std::string& id, Rule rule, const agency::Actor& actor);
    std::variant<Rule, FieldError, NoSuchRule> set_enabled(const std::string& id, bool enabled, const agency::Actor& actor);
    // A disabled copy named "Copy of …", with an id of its own.
    std::variant<Rule, FieldError, NoSuchRule> copy(const std::string& id, const agency::Actor& actor);
    bool remove(const std::string& id, const agency::Actor& actor);

    std::optional<Rule> find(const std::string& id);
    std::vector<Rule> list(); // by id number

    // The enabled rules of `trigger` (and, for document-template triggers, of `document_template`), on the
    // caller's connection (the transaction that stores the change). Read once and kept until the rules
    // change: every change of a rule moves the settings version (append_audit), which this compares with
    // one small query, so a change made on another host is seen by the next evaluation here too. Indexed
    // once when read (rule_index.hpp).
    using RuleList = std::shared_ptr<const EnabledRules>;
    RuleList enabled_rules(Database::Connection& c, Trigger trigger, const std::string& document_template);

private:
    std::optional<FieldError> check(Database::Connection& c, const Rule& rule);
    void write(Database::Connection& c, const std::optional<Rule>& before, const Rule& rule, const agency::Actor& actor);

    Database& db_;
    agency::PeopleStore& people_;
    const Clock& clock_;
    Changed on_change_;
    std::mutex cache_mutex_;
    std::int64_t cached_version_ = -1;
    std::map<std::string, RuleList> cache_; // "trigger/template": enabled rules
};

} // namespace extcomm::triggers
