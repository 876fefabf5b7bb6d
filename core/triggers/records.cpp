#include <triggers/records.hpp>

#include <store/rows.hpp>

#include <Poco/Data/Transaction.h>

namespace extcomm::triggers {

Fired fire(Firing& firing, sending::Pipeline& pipeline, Database::Connection& c, const agency::SettingsSnapshot& snapshot,
           const Subject& subject, TimeMs now) {
    Fired fired;
    if (subject.triggers.empty()) return fired;
    sending::Batch batch(pipeline, c, snapshot, now);
    Evaluated evaluated = firing.evaluate(c, batch, subject, now);
    for (const OutboundMessage& m : batch.enqueue()) fired.message_ids.push_back(m.id);
    fired.firings = firing.record(c, batch, std::move(evaluated));
    return fired;
}

Records::Records(sending::Pipeline& pipeline, agency::PeopleStore& people, Firing& firing, const Clock& clock)
    : pipeline_(pipeline), people_(people), firing_(firing), clock_(clock),
      commits_([this](std::vector<Change> changes) { return commit_all(std::move(changes)); }) {}

std::vector<bool> Records::commit_all(std::vector<Change> changes) try {
    auto c = pipeline_.database().connect();
    Poco::Data::Transaction tx(c.session());
    for (Change& change : changes) change(c);
    tx.commit();
    firing_.after_commit();
    return std::vector<bool>(changes.size(), true);
} catch (const Poco::Exception& e) {
    store_error(e);
}

// The caller's locals the change writes to outlive it: submit returns only once the group committed.
void Records::commit(Change change) { commits_.submit({std::move(change)}); }

RecordApplied Records::put(const agency::SettingsSnapshot& snapshot, const Record& record, const Chain& chain) {
    RecordApplied applied;
    commit([&](Database::Connection& c) { applied = apply(c, snapshot, record, chain); });
    return applied;
}

RecordApplied Records::apply(Database::Connection& c, const agency::SettingsSnapshot& snapshot, const Record& record,
                             const Chain& chain) {
    const TimeMs now = clock_.now_ms();
    auto stored = find_record(c, record.kind, record.id);
    RecordApplied applied;
    const std::optional<Record> previous = stored ? std::optional<Record>(stored->current) : std::nullopt;
    applied.change = what_changed(previous, record);
    if (applied.change.nothing()) {
        applied.stored = std::move(*stored);
        return applied; // nothing written, nothing fired
    }
    applied.stored = put_record(c, stored, record, now);
    if (time_rules_) time_rules_->record_changed(c, applied.stored, now);
    Subject subject = record_subject(record, previous, applied.change, applied.stored.version);
    subject.chain = chain;
    applied.fired = fire(firing_, pipeline_, c, snapshot, subject, now);
    return applied;
}

std::variant<ClientApplied, FieldError> Records::put_client(const agency::SettingsSnapshot& snapshot,
                                                            agency::ClientUpdate update) {
    Fired fired;
    auto saved = people_.put_client(std::move(update), snapshot.settings.general,
                                    [&](Database::Connection& c, agency::Saved how, const agency::Client& client) {
        if (how == agency::Saved::created) fired = fire(firing_, pipeline_, c, snapshot, profile_subject(client), clock_.now_ms());
        if (time_rules_) time_rules_->client_changed(c, client, clock_.now_ms()); // a birth date re-keys its rows
    });
    if (auto* error = std::get_if<FieldError>(&saved)) return *error;
    auto& [how, client] = std::get<std::pair<agency::Saved, agency::Client>>(saved);
    return ClientApplied{how, std::move(client), std::move(fired)};
}

std::optional<StoredRecord> Records::find(RecordKind kind, const std::string& id) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) { return find_record(c, kind, id); });
}

bool Records::close(RecordKind kind, const std::string& id) {
    bool closed = false;
    commit([&](Database::Connection& c) {
        closed = remove_record(c, kind, id);
        if (time_rules_) time_rules_->record_closed(c, kind, id);
    });
    return closed;
}

bool Records::put_template(const DocumentTemplate& tmpl) {
    bool created = false;
    commit([&](Database::Connection& c) { created = triggers::put_template(c, tmpl, clock_.now_ms()); });
    return created;
}

std::vector<boost::json::object> Records::firings(const FiringFilter& filter) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) { return find_firings(c, filter); });
}

std::vector<TriggerError> Records::errors(const ErrorFilter& filter) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) { return find_errors(c, filter); });
}

std::optional<DocumentTemplate> Records::find_template(const std::string& id) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) { return triggers::find_template(c, id); });
}

} // namespace extcomm::triggers
