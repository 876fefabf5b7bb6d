#include <triggers/records.hpp>

#include <store/rows.hpp>

#include <Poco/Data/Transaction.h>

namespace extcomm::triggers {

RecordApplied Records::put(const agency::SettingsSnapshot&, const Record& record) try {
    auto c = pipeline_.database().connect();
    Poco::Data::Transaction tx(c.session());
    const TimeMs now = clock_.now_ms();
    auto stored = find_record(c, record.kind, record.id);
    RecordApplied applied;
    applied.change = what_changed(stored ? std::optional<Record>(stored->current) : std::nullopt, record);
    if (applied.change.nothing()) {
        applied.stored = std::move(*stored);
        return applied; // nothing written: the transaction rolls back empty
    }
    applied.stored = put_record(c, stored, record, now);
    tx.commit();
    return applied;
} catch (const Poco::Exception& e) {
    store_error(e);
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

std::optional<DocumentTemplate> Records::find_template(const std::string& id) {
    return on_connection(pipeline_.database(), [&](Database::Connection& c) { return triggers::find_template(c, id); });
}

} // namespace extcomm::triggers
