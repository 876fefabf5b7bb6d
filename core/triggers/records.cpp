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

RecordApplied Records::put(const agency::SettingsSnapshot& snapshot, const Record& record) try {
    auto c = pipeline_.database().connect();
    Poco::Data::Transaction tx(c.session());
    const TimeMs now = clock_.now_ms();
    auto stored = find_record(c, record.kind, record.id);
    RecordApplied applied;
    const std::optional<Record> previous = stored ? std::optional<Record>(stored->current) : std::nullopt;
    applied.change = what_changed(previous, record);
    if (applied.change.nothing()) {
        applied.stored = std::move(*stored);
        return applied; // nothing written, nothing fired: the transaction rolls back empty
    }
    applied.stored = put_record(c, stored, record, now);
    applied.fired = fire(firing_, pipeline_, c, snapshot, record_subject(record, previous, applied.change, applied.stored.version), now);
    tx.commit();
    return applied;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::variant<ClientApplied, FieldError> Records::put_client(const agency::SettingsSnapshot& snapshot,
                                                            agency::ClientUpdate update) {
    Fired fired;
    auto saved = people_.put_client(std::move(update), snapshot.settings.general,
                                    [&](Database::Connection& c, agency::Saved how, const agency::Client& client) {
        if (how == agency::Saved::created) fired = fire(firing_, pipeline_, c, snapshot, profile_subject(client), clock_.now_ms());
    });
    if (auto* error = std::get_if<FieldError>(&saved)) return *error;
    auto& [how, client] = std::get<std::pair<agency::Saved, agency::Client>>(saved);
    return ClientApplied{how, std::move(client), std::move(fired)};
}

std::optional<StoredRecord> Records::find(RecordKind kind, const std::string& id) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) { return find_record(c, kind, id); });
}

bool Records::put_template(const DocumentTemplate& tmpl) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) {
        Poco::Data::Transaction tx(c.session());
        const bool created = triggers::put_template(c, tmpl, clock_.now_ms());
        tx.commit();
        return created;
    });
}

std::vector<boost::json::object> Records::firings(const FiringFilter& filter) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) { return find_firings(c, filter); });
}

std::optional<DocumentTemplate> Records::find_template(const std::string& id) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) { return triggers::find_template(c, id); });
}

} // namespace extcomm::triggers
