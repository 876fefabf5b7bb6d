#include <agency/settings_store.hpp>
#include <store/rows.hpp>
#include <rendering/confirm_link_fit.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;

namespace extcomm::agency {
namespace json = boost::json;

namespace {

// Poco's what() is only the exception's class name; the reason is in displayText().


std::int64_t stored_version(Database::Connection& c) {
    Poco::Int64 version = 0;
    c.session() << "SELECT version FROM settings_version WHERE id = 1", into(version), now;
    return version;
}

json::object template_state(const rendering::MessageTemplate& tmpl, bool is_default) {
    json::object o = to_json(tmpl);
    o["default"] = is_default;
    return o;
}

// The template stored for (kind, channel), if any. Caller holds the connection.
std::optional<rendering::MessageTemplate> stored_template(Database::Connection& c, rendering::MessageKind kind,
                                                          Channel channel) {
    std::string k(rendering::to_string(kind)), ch(to_string(channel));
    Statement select(c.session());
    select << c.sql("SELECT subject, body, html_body FROM agency_templates WHERE kind = ? AND channel = ?"), use(k),
        use(ch), now;
    RecordSet rs(select);
    if (rs.rowCount() == 0) return std::nullopt;
    return rendering::MessageTemplate{rs.value(0, 0).convert<std::string>(), rs.value(1, 0).convert<std::string>(),
                                      rs.value(2, 0).convert<std::string>()};
}

// The stored value of `section` in its canonical form (defaults when none is stored).
json::object stored_section(Database::Connection& c, SettingsSection section) {
    std::string name(to_string(section));
    Statement select(c.session());
    select << c.sql("SELECT value FROM agency_settings WHERE section = ?"), use(name), now;
    RecordSet rs(select);
    AgencySettings settings;
    if (rs.rowCount() > 0) {
        std::error_code ec;
        json::value v = json::parse(rs.value(0, 0).convert<std::string>(), ec);
        if (!ec) read_section(section, v, SettingsCheck{}, settings);
    }
    return to_json(settings, section);
}

std::optional<FieldError> under(std::string path, std::optional<FieldError> error) {
    if (error) error->field = path + "." + error->field;
    return error;
}

} // namespace

SettingsStore::SettingsStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {
    try {
        auto c = db_.connect();
        snapshot_ = load(c);
    } catch (const Poco::Exception& e) {
        store_error(e);
    }
}

SnapshotPtr SettingsStore::current() const {
    std::lock_guard lock(snapshot_mutex_);
    return snapshot_;
}

void SettingsStore::publish(SnapshotPtr snapshot) {
    std::lock_guard lock(snapshot_mutex_);
    // A slower reload must not replace a newer snapshot.
    if (!snapshot_ || snapshot->version >= snapshot_->version) snapshot_ = std::move(snapshot);
}

SnapshotPtr SettingsStore::load(Database::Connection& c) {
    auto snapshot = std::make_shared<SettingsSnapshot>();
    snapshot->version = stored_version(c);
    {
        Statement select(c.session());
        select << "SELECT section, value FROM agency_settings", now;
        RecordSet rs(select);
        for (std::size_t row = 0; row < rs.rowCount(); ++row) {
            std::string name = rs.value(0, row).convert<std::string>();
            auto section = settings_section_from(name);
            std::error_code ec;
            json::value v = json::parse(rs.value(1, row).convert<std::string>(), ec);
            std::optional<FieldError> error;
            if (!section) error = FieldError{name, "is not a settings section this version knows"};
            else if (ec) error = FieldError{name, "is not valid JSON: " + ec.message()};
            else error = read_section(*section, v, SettingsCheck{}, snapshot->settings);
            if (error)
                spdlog::warn("stored settings: {}: {}; the defaults of that section are used until it is set again",
                             error->field, error->reason);
        }
    }
    {
        Statement select(c.session());
        select << "SELECT kind, channel, subject, body, html_body FROM agency_templates", now;
        RecordSet rs(select);
        for (std::size_t row = 0; row < rs.rowCount(); ++row) {
            std::string kind_name = rs.value(0, row).convert<std::string>(), channel_name = rs.value(1, row).convert<std::string>();
            auto kind = rendering::message_kind_from(kind_name);
            auto channel = channel_from(channel_name);
            if (!kind || !channel) {
                spdlog::warn("stored template {}/{}: not a message kind and channel this version knows; ignored", kind_name,
                             channel_name);
                continue;
            }
            rendering::MessageTemplate tmpl{rs.value(2, row).convert<std::string>(), rs.value(3, row).convert<std::string>(),
                                            rs.value(4, row).convert<std::string>()};
            if (auto error = snapshot->templates.set(*kind, *channel, std::move(tmpl)))
                spdlog::warn("stored template {}.{}: {}; the default is used until it is set again",
                             template_path(*kind, *channel), error->part, error->reason);
        }
    }
    return snapshot;
}

std::int64_t append_audit(Database::Connection& c, TimeMs at, const Actor& actor, const std::string& target,
                          const json::object& diff) {
    auto& s = c.session();
    s << "UPDATE settings_version SET version = version + 1 WHERE id = 1", now;
    Poco::Int64 id = stored_version(c);
    std::string who = actor.name, token = actor.token, where = target, what = json::serialize(diff);
    s << c.sql("INSERT INTO settings_audit (id, at, actor, token, target, changes) VALUES (?, ?, ?, ?, ?, ?)"), use(id),
        bind(at), use(who), use(token), use(where), use(what), now;
    spdlog::info("settings: {} changed by {}{} ({})", where, who.empty() ? "an API caller" : who,
                 token.empty() ? "" : " with token " + token, what);
    return id;
}

bool SettingsStore::refresh() try {
    SnapshotPtr mine = current();
    auto c = db_.connect();
    if (stored_version(c) == mine->version) return false;
    publish(load(c));
    return true;
} catch (const Poco::Exception& e) {
    store_error(e);
}

SnapshotPtr SettingsStore::write(std::vector<Change> changes, const Actor& actor, bool only_if_empty, bool* written) try {
    if (written) *written = false;
    TimeMs at = clock_.now_ms();
    auto c = db_.connect();
    auto& s = c.session();
    Poco::Data::Transaction tx(s);
    // Takes the row lock (PostgreSQL): writers on every host go one after the other from here, so the
    // "from" of each change is what the store held, and audit ids never collide.
    s << "UPDATE settings_version SET version = version WHERE id = 1", now;
    if (only_if_empty && stored_version(c) != 0) {
        tx.rollback();
        SnapshotPtr snapshot = load(c);
        publish(snapshot);
        return snapshot;
    }
    for (Change& change : changes) {
        json::object before, after;
        if (!change.section.empty()) {
            before = stored_section(c, *settings_section_from(change.section));
            after = change.value;
        } else {
            auto stored = stored_template(c, change.kind, change.channel);
            before = template_state(stored ? *stored : rendering::TemplateSet{}.get(change.kind, change.channel), !stored);
            after = template_state(change.tmpl ? *change.tmpl : rendering::TemplateSet{}.get(change.kind, change.channel),
                                   !change.tmpl);
        }
        json::object diff = json_changes(before, after);
        if (diff.empty()) continue;
        if (!change.section.empty()) {
            std::string section = change.section, value = json::serialize(after);
            s << c.sql("INSERT INTO agency_settings (section, value, updated_at) VALUES (?, ?, ?) "
                       "ON CONFLICT (section) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"),
                use(section), use(value), bind(at), now;
        } else if (change.tmpl) {
            std::string kind(rendering::to_string(change.kind)), channel(to_string(change.channel));
            std::string subject = change.tmpl->subject, body = change.tmpl->body, html = change.tmpl->html_body;
            s << c.sql("INSERT INTO agency_templates (kind, channel, subject, body, html_body, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, channel) DO UPDATE SET subject = excluded.subject, "
                       "body = excluded.body, html_body = excluded.html_body, updated_at = excluded.updated_at"),
                use(kind), use(channel), use(subject), use(body), use(html), bind(at), now;
        } else {
            std::string kind(rendering::to_string(change.kind)), channel(to_string(change.channel));
            s << c.sql("DELETE FROM agency_templates WHERE kind = ? AND channel = ?"), use(kind), use(channel), now;
        }
        append_audit(c, at, actor, change.target, diff);
        if (!change.section.empty() && on_section_change_)
            on_section_change_(c, *settings_section_from(change.section), diff, at);
        if (written) *written = true;
    }
    tx.commit();
    SnapshotPtr snapshot = load(c);
    publish(snapshot);
    return snapshot;
} catch (const Poco::Exception& e) {
    store_error(e);
}

namespace {

// A change that would cut the confirm link in the confirmation SMS is refused, naming `field`; only
// while links are on (the configuration's base URL, Client Delivery's include_return_message).
std::optional<FieldError> confirm_link_problem(const AgencySettings& settings, const rendering::TemplateSet& templates,
                                               const SettingsCheck& check, const std::string& field) {
    if (check.confirm_link_characters == 0 || !settings.client_delivery.confirmation.include_return_message)
        return std::nullopt;
    if (auto problem = rendering::confirm_link_sms_problem(templates, settings.render_settings(),
                                                           check.confirm_link_characters))
        return FieldError{field, *problem};
    return std::nullopt;
}

// The field a section's part in the confirmation SMS is named by; "" when the section has no part in it.
std::string confirm_link_field(SettingsSection section) {
    switch (section) {
    case SettingsSection::general: return "general.sms_prefix";
    case SettingsSection::client_delivery: return "client_delivery.confirmation.include_return_message";
    case SettingsSection::email:
    case SettingsSection::sms:
    case SettingsSection::worker_delivery:
    case SettingsSection::privacy:
    case SettingsSection::authentication: return "";
    }
    return "";
}

} // namespace

std::variant<SnapshotPtr, FieldError> SettingsStore::put_section(SettingsSection section, const json::value& value,
                                                                 const SettingsCheck& check, const Actor& actor) {
    const SnapshotPtr stored = current();
    AgencySettings settings = stored->settings; // the section is replaced whole; the others as they are
    if (auto error = read_section(section, value, check, settings)) return *error;
    if (std::string field = confirm_link_field(section); !field.empty())
        if (auto error = confirm_link_problem(settings, stored->templates, check, field)) return *error;
    Change change;
    change.target = change.section = std::string(to_string(section));
    change.value = to_json(settings, section);
    std::lock_guard lock(write_mutex_);
    return write({std::move(change)}, actor, false, nullptr);
}

std::variant<SnapshotPtr, FieldError> SettingsStore::put_template(rendering::MessageKind kind, Channel channel,
                                                                  const json::value& value, const SettingsCheck& check,
                                                                  const Actor& actor) {
    auto read = read_template(kind, channel, value);
    if (auto* error = std::get_if<FieldError>(&read)) return *error;
    if (kind == rendering::MessageKind::confirmation_with_link && channel == Channel::sms) {
        const SnapshotPtr stored = current();
        rendering::TemplateSet templates = stored->templates;
        templates.set(kind, channel, std::get<rendering::MessageTemplate>(read));
        const std::string field = template_path(kind, channel) + ".body";
        if (auto error = confirm_link_problem(stored->settings, templates, check, field)) return *error;
    }
    Change change;
    change.target = template_path(kind, channel);
    change.kind = kind;
    change.channel = channel;
    change.tmpl = std::get<rendering::MessageTemplate>(std::move(read));
    std::lock_guard lock(write_mutex_);
    return write({std::move(change)}, actor, false, nullptr);
}

SnapshotPtr SettingsStore::reset_template(rendering::MessageKind kind, Channel channel, const Actor& actor) {
    Change change;
    change.target = template_path(kind, channel);
    change.kind = kind;
    change.channel = channel;
    std::lock_guard lock(write_mutex_);
    return write({std::move(change)}, actor, false, nullptr);
}

std::variant<std::vector<SettingsStore::Change>, FieldError>
SettingsStore::read_seed(const json::value& agency, const SettingsCheck& check, const std::string& path) {
    if (!agency.is_object()) return FieldError{path, "must be a JSON object of settings sections"};
    std::vector<Change> changes;
    SettingsSnapshot seeded; // what the store would hold: each section replaced whole, defaults elsewhere
    std::string link_field = "confirm_links.base_url";
    for (const auto& [key, value] : agency.as_object()) {
        if (key == "templates") {
            if (!value.is_object()) return FieldError{path + ".templates", "must be a JSON object: kind → channel → template"};
            for (const auto& [kind_name, channels] : value.as_object()) {
                std::string kind_path = path + ".templates." + std::string(kind_name);
                auto kind = rendering::message_kind_from(kind_name);
                if (!kind) return FieldError{kind_path, "is not a message kind"};
                if (!channels.is_object()) return FieldError{kind_path, "must be a JSON object: channel → template"};
                for (const auto& [channel_name, tmpl] : channels.as_object()) {
                    auto channel = channel_from(channel_name);
                    if (!channel) return FieldError{kind_path + "." + std::string(channel_name), "must be email or sms"};
                    auto read = read_template(*kind, *channel, tmpl);
                    if (auto* error = std::get_if<FieldError>(&read)) return *under(path, *error);
                    Change change;
                    change.target = template_path(*kind, *channel);
                    change.kind = *kind;
                    change.channel = *channel;
                    change.tmpl = std::get<rendering::MessageTemplate>(std::move(read));
                    seeded.templates.set(*kind, *channel, *change.tmpl);
                    if (*kind == rendering::MessageKind::confirmation_with_link && *channel == Channel::sms)
                        link_field = path + "." + change.target + ".body";
                    changes.push_back(std::move(change));
                }
            }
            continue;
        }
        auto section = settings_section_from(key);
        if (!section) {
            std::string known;
            for (auto s : kAllSettingsSections) known += std::string(to_string(s)) + ", ";
            return FieldError{path + "." + std::string(key), "is not a settings section (known: " + known + "templates)"};
        }
        if (auto error = read_section(*section, value, check, seeded.settings)) return *under(path, error);
        Change change;
        change.target = change.section = std::string(key);
        change.value = to_json(seeded.settings, *section);
        changes.push_back(std::move(change));
    }
    if (auto error = confirm_link_problem(seeded.settings, seeded.templates, check, link_field)) return *error;
    return changes;
}

std::optional<FieldError> SettingsStore::check_seed(const json::value& agency, const SettingsCheck& check,
                                                    const std::string& path) {
    auto read = read_seed(agency, check, path);
    if (auto* error = std::get_if<FieldError>(&read)) return *error;
    return std::nullopt;
}

std::variant<bool, FieldError> SettingsStore::seed(const json::value& agency, const SettingsCheck& check,
                                                   const std::string& path) {
    // Once the store has settings the seed is only checked for its shape: a transport that is down at this
    // start must not stop a service whose stored settings are what counts. Those are checked against the
    // confirm link's length, which the configuration may have changed since.
    const SnapshotPtr stored = current();
    if (stored->version != 0)
        if (auto error = confirm_link_problem(stored->settings, stored->templates, check, "confirm_links.base_url"))
            return *error;
    const SettingsCheck shape_only;
    auto read = read_seed(agency, stored->version == 0 ? check : shape_only, path);
    if (auto* error = std::get_if<FieldError>(&read)) return *error;
    bool written = false;
    std::lock_guard lock(write_mutex_);
    write(std::get<std::vector<Change>>(std::move(read)), Actor{"configuration", ""}, true, &written);
    return written;
}

std::vector<AuditEntry> SettingsStore::audit(std::size_t limit, std::optional<std::int64_t> before) try {
    auto c = db_.connect();
    Poco::Int64 below = before ? *before : INT64_MAX;
    Poco::Int64 count = static_cast<Poco::Int64>(limit);
    Statement select(c.session());
    select << c.sql("SELECT id, at, actor, token, target, changes FROM settings_audit WHERE id < ? ORDER BY id DESC LIMIT ?"),
        use(below), use(count), now;
    RecordSet rs(select);
    std::vector<AuditEntry> out;
    for (std::size_t row = 0; row < rs.rowCount(); ++row) {
        AuditEntry e;
        e.id = rs.value(0, row).convert<Poco::Int64>();
        e.at = rs.value(1, row).convert<Poco::Int64>();
        e.actor = rs.value(2, row).convert<std::string>();
        e.token = rs.value(3, row).convert<std::string>();
        e.target = rs.value(4, row).convert<std::string>();
        std::error_code ec;
        json::value changes = json::parse(rs.value(5, row).convert<std::string>(), ec);
        if (!ec && changes.is_object()) e.changes = changes.as_object();
        out.push_back(std::move(e));
    }
    return out;
} catch (const Poco::Exception& e) {
    store_error(e);
}

} // namespace extcomm::agency
