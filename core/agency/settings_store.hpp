#pragma once
// The agency's settings and templates in the store, with an audit of every change.
//
// Readers take `current()`: an immutable snapshot (settings + templates) that stays consistent while they
// render, however long that takes. Writers validate, store the change and its audit entry in one
// transaction, then publish a new snapshot: messages rendered after a change returns use it.
//
// Several hosts on one PostgreSQL store: each keeps its own snapshot; `refresh()` (one small query)
// picks up a change another host made. The host calls it on its background tick, and may call it
// before rendering when it must not be a tick late.
//
// Thread-safe. Store failures throw std::runtime_error ("store: ..."); bad input is a FieldError.
#include <agency/settings.hpp>
#include <agency/settings_json.hpp>
#include <common/clock.hpp>
#include <rendering/template_set.hpp>
#include <store/database.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace extcomm::agency {

struct SettingsSnapshot {
    AgencySettings settings;
    rendering::TemplateSet templates;
    std::int64_t version = 0; // 0: nothing stored yet (defaults); else the id of the last audit entry

    rendering::RenderSettings render_settings() const { return settings.render_settings(); }
};

// Who made a change: the person in the case-management system (the request's X-Extcomm-Actor header,
// "configuration" for the first-start seed) and the name of the API token used.
struct Actor {
    std::string name;
    std::string token;
};

struct AuditEntry {
    std::int64_t id = 0;      // increases with every change
    TimeMs at = 0;
    std::string actor;
    std::string token;
    std::string target;       // "general", …, "templates.booking-notice.sms"
    boost::json::object changes; // json_changes() of the target: {"sms_prefix": {"from": "", "to": "Acme:"}}
};

// Writes one audit entry in the caller's transaction: numbers it (the settings version, whose row lock
// serialises writers on PostgreSQL) and logs it. Every audited change goes through it (settings, templates,
// action triggers), so GET /v1/audit lists them all; hosts then reload their settings once, harmlessly.
// `diff` is json_changes() of the target. Returns the entry's id.
std::int64_t append_audit(Database::Connection& c, TimeMs at, const Actor& actor, const std::string& target,
                          const boost::json::object& diff);

using SnapshotPtr = std::shared_ptr<const SettingsSnapshot>;

class SettingsStore {
public:
    // Loads what the store holds (defaults for what it does not).
    SettingsStore(Database& db, const Clock& clock);

    SnapshotPtr current() const;

    // Runs in the transaction of every change of a section that changes something, with its json_changes()
    // ({"time_zone": {"from": "Australia/Sydney", "to": "America/Toronto"}}): what was planned from the
    // settings follows them there (a new time zone re-plans the time-based action triggers). Set once,
    // before the first change.
    using SectionChanged = std::function<void(Database::Connection& c, SettingsSection section,
                                              const boost::json::object& changes, TimeMs at)>;
    void set_on_section_change(SectionChanged hook) { on_section_change_ = std::move(hook); }

    // Reloads when another host changed the settings since this one last looked; true when it did.
    bool refresh();

    // Replaces one section (the whole section: members left out take their defaults). Nothing is written
    // when nothing changed.
    std::variant<SnapshotPtr, FieldError> put_section(SettingsSection section, const boost::json::value& value,
                                                      const SettingsCheck& check, const Actor& actor);

    // Sets the agency's template of (kind, channel), refused with the reason when check_template refuses it.
    // put_section and put_template refuse a change that would cut the confirm link out of the confirmation
    // SMS (SettingsCheck::confirm_link_characters), naming the field.
    std::variant<SnapshotPtr, FieldError> put_template(rendering::MessageKind kind, Channel channel,
                                                       const boost::json::value& value, const SettingsCheck& check,
                                                       const Actor& actor);
    // Back to the default text.
    SnapshotPtr reset_template(rendering::MessageKind kind, Channel channel, const Actor& actor);

    // First start: the configuration file's `agency` object ({general: {...}, ..., templates: {kind:
    // {channel: {...}}}}) is stored, audited as actor "configuration", when nothing was ever stored; after
    // that the store wins and this returns false. The object is checked either way (the transports it names
    // only while it would be stored); errors name the field under `path` ("agency.general.sms_prefix"), and
    // nothing is stored then.
    // The stored settings are checked against check.confirm_link_characters, naming confirm_links.base_url.
    std::variant<bool, FieldError> seed(const boost::json::value& agency, const SettingsCheck& check,
                                        const std::string& path = "agency");
    // The seed's checks without a store (`extcomm check-config`): nullopt when seed() would take it on a
    // first start.
    static std::optional<FieldError> check_seed(const boost::json::value& agency, const SettingsCheck& check,
                                                const std::string& path = "agency");

    // Newest first; `before`: only entries with a smaller id.
    std::vector<AuditEntry> audit(std::size_t limit, std::optional<std::int64_t> before = std::nullopt);

private:
    struct Change {
        std::string target;
        std::string section;         // agency_settings row, or empty
        rendering::MessageKind kind{}; // agency_templates row otherwise
        Channel channel{};
        std::optional<rendering::MessageTemplate> tmpl; // nullopt: back to default
        boost::json::object value;                      // section value
    };
    // The seed as changes, every value checked (a confirm link it would cut too, naming the seed's SMS
    // template, else confirm_links.base_url).
    static std::variant<std::vector<Change>, FieldError> read_seed(const boost::json::value& agency,
                                                                   const SettingsCheck& check, const std::string& path);
    // Applies `changes` in one transaction with their audit entries (skipping those that change nothing),
    // then publishes the new snapshot. Caller holds write_mutex_.
    SnapshotPtr write(std::vector<Change> changes, const Actor& actor, bool only_if_empty, bool* written);
    SnapshotPtr load(Database::Connection& c);
    void publish(SnapshotPtr snapshot);

    Database& db_;
    const Clock& clock_;
    mutable std::mutex snapshot_mutex_;
    SnapshotPtr snapshot_;
    std::mutex write_mutex_;
    SectionChanged on_section_change_;
};

} // namespace extcomm::agency
