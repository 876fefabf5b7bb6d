#pragma once
// Records and document templates received from the case-management system, applied in one transaction
// each: the record is stored (the previous version kept), what happened is decided from the change, and
// the enabled action triggers of what happened are evaluated and fire in that same transaction
// (firing.hpp), so a record is never stored without its firings nor fired twice. A repeated PUT changes
// and fires nothing.
#include <triggers/record_store.hpp>

#include <common/clock.hpp>
#include <sending/pipeline.hpp>

#include <optional>
#include <string>

namespace extcomm::triggers {

struct RecordApplied {
    StoredRecord stored;
    RecordChange change;
};

class Records {
public:
    Records(sending::Pipeline& pipeline, const Clock& clock) : pipeline_(pipeline), clock_(clock) {}

    RecordApplied put(const agency::SettingsSnapshot& snapshot, const Record& record);
    std::optional<StoredRecord> find(RecordKind kind, const std::string& id);

    // Returns whether the template was new.
    bool put_template(const DocumentTemplate& tmpl);
    std::optional<DocumentTemplate> find_template(const std::string& id);

private:
    sending::Pipeline& pipeline_;
    const Clock& clock_;
};

} // namespace extcomm::triggers
