#include <triggers/due_store.hpp>
#include <triggers/firing_log.hpp>
#include <triggers/time_rules.hpp>

#include <store/rows.hpp>

#include <Poco/Data/Transaction.h>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace extcomm::triggers {
namespace {

constexpr TimeMs kHourMs = 3'600'000;

// Makes the stored rows `existing` become `wanted`: a row whose due time is unchanged stays as it is (due
// or not); a new or moved one is written while its time is still to come (or unknown), else dropped.
void settle(Database::Connection& c, const std::vector<Crossing>& existing, const std::vector<Crossing>& wanted, TimeMs now) {
    for (const Crossing& w : wanted) {
        auto e = std::find_if(existing.begin(), existing.end(), [&](const Crossing& x) { return x.same_key(w); });
        if (e != existing.end() && e->due_at == w.due_at) continue;
        if (!w.due_at || *w.due_at > now) put_due_row(c, w);
        else if (e != existing.end()) remove_due_row(c, *e);
    }
    for (const Crossing& e : existing)
        if (std::none_of(wanted.begin(), wanted.end(), [&](const Crossing& w) { return w.same_key(e); })) remove_due_row(c, e);
}

const Rule* rule_in(const RuleStore::RuleList& list, const std::string& id) {
    auto it = std::find_if(list->rules.begin(), list->rules.end(), [&](const Rule& r) { return r.id == id; });
    return it == list->rules.end() ? nullptr : &*it;
}

// The enabled time-based rules that watch `record`.
RuleStore::RuleList watching(RuleStore& rules, Database::Connection& c, const Record& record) {
    if (record.kind == RecordKind::document) return rules.enabled_rules(c, Trigger::document_not_completed, record.document_template);
    return rules.enabled_rules(c, Trigger::participant_turns_age, "");
}

std::string crossing_label(const Rule& rule, const Crossing& row) {
    if (row.trigger == Trigger::participant_turns_age)
        return " (client " + row.individual + " turns " + std::to_string(rule.parameters.age) + ")";
    return " (not completed " + std::to_string(rule.parameters.days) + " days after creation)";
}

std::string missed_reason(TimeMs late, TimeMs window) {
    return "missed: due " + std::to_string(late / kHourMs) + " h " + std::to_string(late % kHourMs / 60'000) +
           " min before the scheduler ran, more than the catch-up window of " + std::to_string(window / kHourMs) +
           " h (was the service stopped?)";
}

} // namespace

std::string TimeRules::zone() const { return settings_()->settings.general.time_zone; }

BirthDates TimeRules::birth_dates(Database::Connection& c, const std::vector<std::string>& clients) {
    BirthDates out;
    if (clients.empty()) return out;
    for (agency::Client& client : people_.clients(c, clients)) out.emplace(client.id, std::move(client.birth_date));
    return out;
}

void TimeRules::rule_changed(Database::Connection& c, const std::optional<Rule>& before, const std::optional<Rule>& after,
                             TimeMs now) {
    const bool was = before && before->enabled && info(before->trigger).time_based;
    const bool is = after && after->enabled && info(after->trigger).time_based;
    if (was && is && before->parameters.age == after->parameters.age && before->parameters.days == after->parameters.days)
        return; // the same crossings: the rows stand
    if (was) {
        // The planning first: on PostgreSQL its row lock waits for a page being planned to commit, whose
        // rows the DELETE below then sees.
        stop_planning(c, before->id);
        remove_due_rows(c, DueScope::rule, before->id);
    }
    if (is) start_planning(c, Planning{after->id, zone(), now, ""}, false);
}

// The settings' snapshot still has the old zone here (it is published after the commit): `zone` is the new
// one, kept in the planning row.
void TimeRules::zone_changed(Database::Connection& c, const std::string& zone, TimeMs now) {
    for (const Trigger trigger : kAllTriggers) {
        if (!info(trigger).time_based) continue;
        for (const Rule& rule : enabled_rules_of(c, trigger)) start_planning(c, Planning{rule.id, zone, now, ""}, true);
    }
}

// A crossing after `since` is written (new, or moved); one before it only moves a row that was still to
// come at `since` (it is then due at once), and is never added: it passed before the rule was enabled, or
// before the zone changed, and fired then if it was to.
std::string TimeRules::plan_page(Database::Connection& c, const Rule& rule, const Planning& planning) {
    const RecordKind kind = rule.trigger == Trigger::participant_turns_age ? RecordKind::service_file : RecordKind::document;
    const std::vector<StoredRecord> page = records_after(c, kind, planning.after_record, planning_page_);
    std::vector<std::string> clients;
    for (const StoredRecord& r : page)
        for (std::string& p : participants(r.current)) clients.push_back(std::move(p));
    const BirthDates births = birth_dates(c, clients);
    for (const StoredRecord& r : page)
        for (const Crossing& x : crossings_of(rule, r, births, planning.zone)) {
            if (!x.due_at || *x.due_at > planning.since) put_due_row(c, x);
            else move_row_still_to_come(c, x, planning.since);
        }
    return page.size() < static_cast<std::size_t>(planning_page_) ? std::string() : page.back().current.id;
}

bool TimeRules::plan_once() try {
    // Deferred: a page lost to a power cut takes its place in the planning row with it, and is planned again.
    auto c = pipeline_.database().connect(Durability::deferred);
    Poco::Data::Transaction tx(c.session());
    const std::optional<Planning> planning = next_planning(c);
    if (!planning) return false;
    const std::optional<Rule> rule = find_rule(c, planning->rule);
    const std::string last =
        rule && rule->enabled && info(rule->trigger).time_based ? plan_page(c, *rule, *planning) : std::string();
    if (last.empty()) stop_planning(c, planning->rule);
    else planned_through(c, planning->rule, last);
    tx.commit();
    return true;
} catch (const Poco::Exception& e) {
    store_error(e);
}

void TimeRules::record_changed(Database::Connection& c, const StoredRecord& stored, TimeMs now) {
    if (stored.current.kind == RecordKind::case_file) return;
    const std::string key = std::string(to_string(stored.current.kind)) + "/" + stored.current.id;
    const std::vector<Crossing> existing = due_rows(c, DueScope::record, key);
    const RuleStore::RuleList rules = watching(rules_, c, stored.current);
    if (existing.empty() && rules->rules.empty()) return;
    const BirthDates births = birth_dates(c, participants(stored.current));
    const std::string tz = zone();
    std::vector<Crossing> wanted;
    for (const Rule& rule : rules->rules)
        for (Crossing& x : crossings_of(rule, stored, births, tz)) wanted.push_back(std::move(x));
    settle(c, existing, wanted, now);
}

void TimeRules::record_closed(Database::Connection& c, RecordKind kind, const std::string& id) {
    remove_due_rows(c, DueScope::record, std::string(to_string(kind)) + "/" + id);
}

void TimeRules::client_changed(Database::Connection& c, const agency::Client& client, TimeMs now) {
    const std::vector<Crossing> existing = due_rows(c, DueScope::individual, client.id);
    if (existing.empty()) return;
    const RuleStore::RuleList rules = rules_.enabled_rules(c, Trigger::participant_turns_age, "");
    const std::string tz = zone();
    std::vector<Crossing> wanted = existing;
    for (Crossing& w : wanted)
        if (const Rule* rule = w.trigger == Trigger::participant_turns_age ? rule_in(rules, w.rule) : nullptr)
            w.due_at = birthday_at(client.birth_date, rule->parameters.age, tz);
    settle(c, existing, wanted, now);
}

// A claimed row: its rule evaluated on its record as it is now, or logged missed; dropped when either is gone.
void TimeRules::fire_row(Database::Connection& c, sending::Batch& batch, const Crossing& row, Evaluated& out, TimeRun& run,
                         TimeMs now) {
    const std::size_t slash = row.record.find('/');
    const auto kind = record_kind_from(row.record.substr(0, slash));
    const auto stored = kind ? find_record(c, *kind, row.record.substr(slash + 1)) : std::nullopt;
    const Rule* rule = stored ? rule_in(rules_.enabled_rules(c, row.trigger, stored->current.document_template), row.rule) : nullptr;
    if (!rule) {
        ++run.dropped;
        return;
    }
    Subject subject = record_subject(stored->current, std::nullopt, RecordChange{}, stored->version);
    subject.triggers = {row.trigger};
    subject.client = row.individual;
    subject.label += crossing_label(*rule, row);
    subject.occurrence = row.individual + "@" + std::to_string(*row.due_at);
    const TimeMs late = now - *row.due_at;
    Evaluated::Entry entry;
    if (late > catch_up_ms_) {
        entry.entry = not_fired(*rule, subject, now, missed_reason(late, catch_up_ms_));
        spdlog::warn("action trigger {} on {}: {}", rule->id, subject.record, entry.entry.at("reason").as_string().c_str());
        ++run.missed;
    } else {
        entry = firing_.evaluate_rule(c, batch, *rule, subject, now);
        run.fired += entry.entry.at("fired").as_bool() ? 1 : 0;
    }
    entry.entry["individual"] = row.individual;
    entry.entry["due_at_ms"] = *row.due_at;
    out.entries.push_back(std::move(entry));
}

TimeRun TimeRules::run_once(int limit) try {
    TimeRun run;
    // A few pages at most: the scheduler's tick has the event schedules to run too.
    constexpr int kPagesPerRun = 8;
    while (run.planned_pages < kPagesPerRun && plan_once()) ++run.planned_pages;
    const TimeMs now = clock_.now_ms();
    const agency::SnapshotPtr snapshot = settings_();
    // Deferred, as the event scheduler's runs: undone by a power cut, the rows are due again and fire
    // again with the same idempotency keys.
    auto c = pipeline_.database().connect(Durability::deferred);
    Poco::Data::Transaction tx(c.session());
    sending::Batch batch(pipeline_, c, *snapshot, now);
    const std::vector<Crossing> claimed = claim_due_rows(c, now, limit);
    remove_due_rows(c, claimed); // every claimed row goes, whatever comes of it
    Evaluated evaluated;
    for (const Crossing& row : claimed) fire_row(c, batch, row, evaluated, run, now);
    run.claimed = static_cast<int>(claimed.size());
    run.enqueued = static_cast<int>(batch.enqueue().size());
    firing_.record(c, batch, std::move(evaluated));
    if (before_commit_) before_commit_();
    tx.commit();
    firing_.after_commit();
    return run;
} catch (const Poco::Exception& e) {
    store_error(e);
}

} // namespace extcomm::triggers
