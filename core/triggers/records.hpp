#pragma once
// Records, document templates and client profiles received from the case-management system. A record or
// template is applied in a transaction shared with the PUTs that arrive at the same moment (group commit,
// store/group_commit.hpp, as accepted messages are): the record is stored (the previous version kept), what happened is decided from
// the change, and the enabled action triggers of what happened are evaluated and fire in that same
// transaction (firing.hpp), so a record is never stored without its firings nor fired twice. A repeated
// PUT changes and fires nothing.
#include <triggers/error_log.hpp>
#include <triggers/firing.hpp>
#include <triggers/firing_log.hpp>
#include <triggers/record_store.hpp>
#include <triggers/time_rules.hpp>

#include <agency/people_store.hpp>
#include <common/clock.hpp>
#include <sending/pipeline.hpp>
#include <store/group_commit.hpp>

#include <functional>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace extcomm::triggers {

// What a change set off: the firing log's entries and the messages enqueued.
struct Fired {
    std::vector<boost::json::object> firings;
    std::vector<std::string> message_ids;
};

struct RecordApplied {
    StoredRecord stored;
    RecordChange change;
    Fired fired;
};

struct ClientApplied {
    agency::Saved saved = agency::Saved::created;
    agency::Client client;
    Fired fired;
};

class Records {
public:
    Records(sending::Pipeline& pipeline, agency::PeopleStore& people, Firing& firing, const Clock& clock);

    // `chain`: the firings whose output caused this change (loop protection, chain.hpp); none for changes
    // from outside.
    RecordApplied put(const agency::SettingsSnapshot& snapshot, const Record& record, const Chain& chain = {});
    std::optional<StoredRecord> find(RecordKind kind, const std::string& id);
    // A record closed in the case-management system: forgotten, with its time-based rows. Returns whether
    // it was stored.
    bool close(RecordKind kind, const std::string& id);

    // Time-based rules keep their rows with every record and client change (time_rules.hpp).
    void set_time_rules(TimeRules* time_rules) { time_rules_ = time_rules; }

    // A client (people_store.hpp's rules); a new profile fires the profile-created rules.
    std::variant<ClientApplied, FieldError> put_client(const agency::SettingsSnapshot& snapshot, agency::ClientUpdate update);

    // Returns whether the template was new.
    bool put_template(const DocumentTemplate& tmpl);
    std::optional<DocumentTemplate> find_template(const std::string& id);

    // The firing log, newest first.
    std::vector<boost::json::object> firings(const FiringFilter& filter);
    // The error log, newest first.
    std::vector<TriggerError> errors(const ErrorFilter& filter);

private:
    // One caller's change, run on the group's connection in its transaction; it returns once committed.
    using Change = std::function<void(Database::Connection&)>;
    void commit(Change change);
    std::vector<bool> commit_all(std::vector<Change> changes);
    RecordApplied apply(Database::Connection& c, const agency::SettingsSnapshot& snapshot, const Record& record,
                        const Chain& chain);

    sending::Pipeline& pipeline_;
    agency::PeopleStore& people_;
    Firing& firing_;
    const Clock& clock_;
    TimeRules* time_rules_ = nullptr;
    GroupCommit<Change, bool> commits_; // last: stops before the rest goes
};

// Fires `subject`'s rules in the caller's transaction on `c`: evaluated, enqueued through a batch of
// their own, logged. The one way every change (record, client, service event) fires.
Fired fire(Firing& firing, sending::Pipeline& pipeline, Database::Connection& c, const agency::SettingsSnapshot& snapshot,
           const Subject& subject, TimeMs now);

} // namespace extcomm::triggers
