#include <agency/people_store.hpp>
#include <store/rows.hpp>
#include <store/select_in.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>

#include <stdexcept>
#include <unordered_map>

using namespace Poco::Data::Keywords;
using Poco::Data::RecordSet;
using Poco::Data::Statement;

namespace extcomm::agency {
namespace {

std::string text_at(RecordSet& rs, std::size_t col, std::size_t row) { return rs.value(col, row).convert<std::string>(); }
std::int64_t number_at(RecordSet& rs, std::size_t col, std::size_t row) { return rs.value(col, row).convert<std::int64_t>(); }

// "none,email,sms,both,none,none,none": one choice per collaboration type, in kAllCollaborationTypes order.
std::string encode_channels(const WorkerMessageSettings& s) {
    std::string out;
    for (std::size_t i = 0; i < s.collaboration.size(); ++i) {
        if (i) out += ',';
        out += to_string(s.collaboration[i]);
    }
    return out;
}

void decode_channels(const std::string& text, WorkerMessageSettings& s) {
    std::size_t i = 0, start = 0;
    while (i < s.collaboration.size() && start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        s.collaboration[i++] = channel_choice_from(text.substr(start, end - start)).value_or(ChannelChoice::none);
        start = end + 1;
    }
}

bool exists(Database::Connection& c, const char* table, const std::string& id) {
    std::string key = id;
    std::int64_t count = 0;
    c.session() << c.sql(std::string("SELECT COUNT(*) FROM ") + table + " WHERE id = ?"), use(key), into(count), now;
    return count > 0;
}

constexpr const char* kWorkerColumns =
    "id, first_name, last_name, email, mobile, collaboration_channels, event_notifications, only_when_offline, "
    "reminder_minutes, first_event_reminder_minutes, notify_when_client_confirms, online, online_since, updated_at";

Worker worker_at(RecordSet& rs, std::size_t row) {
    Worker w;
    w.id = text_at(rs, 0, row);
    w.first_name = text_at(rs, 1, row);
    w.last_name = text_at(rs, 2, row);
    w.email = text_at(rs, 3, row);
    w.mobile = text_at(rs, 4, row);
    decode_channels(text_at(rs, 5, row), w.message_settings);
    w.message_settings.event_notifications = channel_choice_from(text_at(rs, 6, row)).value_or(ChannelChoice::none);
    w.message_settings.only_when_offline = number_at(rs, 7, row) != 0;
    w.message_settings.reminder_minutes = static_cast<int>(number_at(rs, 8, row));
    w.message_settings.first_event_reminder_minutes = static_cast<int>(number_at(rs, 9, row));
    w.message_settings.notify_when_client_confirms = number_at(rs, 10, row) != 0;
    w.presence.online = number_at(rs, 11, row) != 0;
    w.presence.since = number_at(rs, 12, row);
    w.updated_at = number_at(rs, 13, row);
    return w;
}

// The workers' categories, in one statement per 500 workers.
void add_categories(Database::Connection& c, std::vector<Worker>& workers) {
    std::vector<std::string> ids;
    std::unordered_map<std::string, Worker*> by_id;
    for (Worker& w : workers) {
        ids.push_back(w.id);
        by_id[w.id] = &w;
    }
    select_in(c, "SELECT worker_id, category_id FROM worker_category_members WHERE worker_id IN", ids,
              " ORDER BY worker_id, position", [&](RecordSet& rs) {
                  for (std::size_t row = 0; row < rs.rowCount(); ++row)
                      by_id.at(text_at(rs, 0, row))->categories.push_back(text_at(rs, 1, row));
              });
}

} // namespace

Saved PeopleStore::put_category(const WorkerCategory& category) try {
    auto c = db_.connect();
    Poco::Data::Transaction tx(c.session());
    bool known = exists(c, "worker_categories", category.id);
    std::string id = category.id, name = category.name;
    TimeMs at = clock_.now_ms();
    c.session() << c.sql("INSERT INTO worker_categories (id, name, updated_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at"),
        use(id), use(name), bind(at), now;
    tx.commit();
    return known ? Saved::updated : Saved::created;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::optional<WorkerCategory> PeopleStore::category(const std::string& id) {
    return on_connection(db_, [&](Database::Connection& c) {
        return first_of(select_rows(c, "SELECT id, name FROM worker_categories WHERE id = ?",
                                    [](const Row& r) { return WorkerCategory{r.text(0), r.text(1)}; }, id));
    });
}

std::vector<std::string> PeopleStore::members(const std::string& category_id) try {
    auto c = db_.connect();
    std::vector<std::string> out;
    for (const Worker& w : workers_in(c, category_id)) out.push_back(w.id);
    return out;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::variant<Saved, FieldError> PeopleStore::put_worker(Worker worker, const GeneralSettings& general) try {
    if (auto error = normalise_worker(worker, general)) return *error;
    auto c = db_.connect();
    auto& s = c.session();
    Poco::Data::Transaction tx(s);
    for (std::size_t i = 0; i < worker.categories.size(); ++i)
        if (!exists(c, "worker_categories", worker.categories[i]))
            return FieldError{"categories[" + std::to_string(i) + "]",
                              "no worker category '" + worker.categories[i] + "' (PUT /v1/worker-categories/" +
                                  worker.categories[i] + " first)"};
    bool known = exists(c, "workers", worker.id);
    const auto& ms = worker.message_settings;
    std::string channels = encode_channels(ms), events(to_string(ms.event_notifications));
    int offline_only = ms.only_when_offline ? 1 : 0, reminder = ms.reminder_minutes,
        first_reminder = ms.first_event_reminder_minutes, notify = ms.notify_when_client_confirms ? 1 : 0;
    TimeMs at = clock_.now_ms();
    s << c.sql("INSERT INTO workers (id, first_name, last_name, email, mobile, collaboration_channels, "
               "event_notifications, only_when_offline, reminder_minutes, first_event_reminder_minutes, "
               "notify_when_client_confirms, online, online_since, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?) ON CONFLICT (id) DO UPDATE SET "
               "first_name = excluded.first_name, last_name = excluded.last_name, email = excluded.email, "
               "mobile = excluded.mobile, collaboration_channels = excluded.collaboration_channels, "
               "event_notifications = excluded.event_notifications, only_when_offline = excluded.only_when_offline, "
               "reminder_minutes = excluded.reminder_minutes, "
               "first_event_reminder_minutes = excluded.first_event_reminder_minutes, "
               "notify_when_client_confirms = excluded.notify_when_client_confirms, updated_at = excluded.updated_at"),
        use(worker.id), use(worker.first_name), use(worker.last_name), use(worker.email), use(worker.mobile),
        use(channels), use(events), use(offline_only), use(reminder), use(first_reminder), use(notify), bind(at), now;
    s << c.sql("DELETE FROM worker_category_members WHERE worker_id = ?"), use(worker.id), now;
    for (std::size_t i = 0; i < worker.categories.size(); ++i) {
        int position = static_cast<int>(i);
        s << c.sql("INSERT INTO worker_category_members (category_id, worker_id, position) VALUES (?, ?, ?)"),
            use(worker.categories[i]), use(worker.id), use(position), now;
    }
    tx.commit();
    return known ? Saved::updated : Saved::created;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::vector<Worker> PeopleStore::workers(Database::Connection& c, const std::vector<std::string>& ids) {
    std::vector<Worker> out;
    select_in(c, std::string("SELECT ") + kWorkerColumns + " FROM workers WHERE id IN", ids, "", [&](RecordSet& rs) {
        for (std::size_t row = 0; row < rs.rowCount(); ++row) out.push_back(worker_at(rs, row));
    });
    add_categories(c, out);
    return out;
}

std::optional<Worker> PeopleStore::worker(Database::Connection& c, const std::string& id) {
    return first_of(workers(c, {id}));
}

std::optional<Worker> PeopleStore::worker(const std::string& id) {
    return on_connection(db_, [&](Database::Connection& c) { return worker(c, id); });
}

std::vector<Worker> PeopleStore::workers_in(Database::Connection& c, const std::string& category_id) {
    std::string key = category_id;
    Statement select(c.session());
    select << c.sql(std::string("SELECT ") + kWorkerColumns +
                    " FROM workers WHERE id IN (SELECT worker_id FROM worker_category_members WHERE category_id = ?) "
                    "ORDER BY id"),
        use(key), now;
    RecordSet rs(select);
    std::vector<Worker> out;
    for (std::size_t row = 0; row < rs.rowCount(); ++row) out.push_back(worker_at(rs, row));
    add_categories(c, out);
    return out;
}

bool PeopleStore::category_exists(Database::Connection& c, const std::string& category_id) {
    return exists(c, "worker_categories", category_id);
}

std::optional<Worker> PeopleStore::set_presence(const std::string& id, bool online) try {
    auto c = db_.connect();
    Poco::Data::Transaction tx(c.session());
    std::string key = id;
    int state = online ? 1 : 0;
    TimeMs at = clock_.now_ms();
    c.session() << c.sql("UPDATE workers SET online = ?, online_since = ? WHERE id = ? AND (online <> ? OR online_since = 0)"),
        use(state), bind(at), use(key), use(state), now;
    auto found = worker(c, id);
    tx.commit();
    return found;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::vector<Worker> PeopleStore::members_of(const std::string& category_id) try {
    auto c = db_.connect();
    return workers_in(c, category_id);
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::vector<Client> PeopleStore::clients(Database::Connection& c, const std::vector<std::string>& ids) {
    std::vector<Client> out;
    select_in(c, "SELECT id, name, email_entry, email_address, email_consented_at, sms_entry, sms_address, "
                 "sms_consented_at, updated_at, birth_date, agency_fields FROM clients WHERE id IN",
              ids, "", [&](RecordSet& rs) {
                  for (std::size_t row = 0; row < rs.rowCount(); ++row) {
                      Client client;
                      client.id = text_at(rs, 0, row);
                      client.name = text_at(rs, 1, row);
                      client.email = Consent{text_at(rs, 2, row), text_at(rs, 3, row), number_at(rs, 4, row)};
                      client.sms = Consent{text_at(rs, 5, row), text_at(rs, 6, row), number_at(rs, 7, row)};
                      client.updated_at = number_at(rs, 8, row);
                      client.birth_date = text_at(rs, 9, row);
                      std::error_code ec;
                      auto fields = boost::json::parse(text_at(rs, 10, row), ec);
                      if (!ec && fields.is_object()) client.agency_fields = std::move(fields.as_object());
                      out.push_back(std::move(client));
                  }
              });
    std::unordered_map<std::string, Client*> by_id;
    for (Client& client : out) by_id[client.id] = &client;
    select_in(c, "SELECT client_id, entry_id, channel, address, in_use FROM client_contacts WHERE client_id IN", ids,
              " ORDER BY client_id, position", [&](RecordSet& rs) {
                  for (std::size_t row = 0; row < rs.rowCount(); ++row)
                      if (auto it = by_id.find(text_at(rs, 0, row)); it != by_id.end())
                          it->second->contacts.push_back(
                              ContactEntry{text_at(rs, 1, row), channel_from(text_at(rs, 2, row)).value_or(Channel::email),
                                           text_at(rs, 3, row), number_at(rs, 4, row) != 0});
              });
    return out;
}

std::optional<Client> PeopleStore::client(Database::Connection& c, const std::string& id) {
    return first_of(clients(c, {id}));
}

std::optional<Client> PeopleStore::client(const std::string& id) {
    return on_connection(db_, [&](Database::Connection& c) { return client(c, id); });
}

std::variant<std::pair<Saved, Client>, FieldError> PeopleStore::put_client(ClientUpdate update,
                                                                           const GeneralSettings& general,
                                                                           const ClientSaved& saved) try {
    auto c = db_.connect();
    auto& s = c.session();
    Poco::Data::Transaction tx(s);
    auto stored = client(c, update.id);
    auto applied = apply_client_update(stored, std::move(update), general, clock_.now_ms());
    if (auto* error = std::get_if<FieldError>(&applied)) return *error;
    Client& cl = std::get<Client>(applied);
    std::string fields = boost::json::serialize(cl.agency_fields);
    s << c.sql("INSERT INTO clients (id, name, email_entry, email_address, email_consented_at, sms_entry, sms_address, "
               "sms_consented_at, updated_at, birth_date, agency_fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
               "ON CONFLICT (id) DO UPDATE SET "
               "name = excluded.name, email_entry = excluded.email_entry, email_address = excluded.email_address, "
               "email_consented_at = excluded.email_consented_at, sms_entry = excluded.sms_entry, "
               "sms_address = excluded.sms_address, sms_consented_at = excluded.sms_consented_at, "
               "updated_at = excluded.updated_at, birth_date = excluded.birth_date, agency_fields = excluded.agency_fields"),
        use(cl.id), use(cl.name), use(cl.email.entry), use(cl.email.address), use(cl.email.consented_at),
        use(cl.sms.entry), use(cl.sms.address), use(cl.sms.consented_at), use(cl.updated_at), use(cl.birth_date),
        use(fields), now;
    s << c.sql("DELETE FROM client_contacts WHERE client_id = ?"), use(cl.id), now;
    for (std::size_t i = 0; i < cl.contacts.size(); ++i) {
        ContactEntry& e = cl.contacts[i];
        int position = static_cast<int>(i), in_use = e.in_use ? 1 : 0;
        std::string channel(to_string(e.channel));
        s << c.sql("INSERT INTO client_contacts (client_id, entry_id, position, channel, address, in_use) "
                   "VALUES (?, ?, ?, ?, ?, ?)"),
            use(cl.id), use(e.id), use(position), use(channel), use(e.address), use(in_use), now;
    }
    const Saved how = stored ? Saved::updated : Saved::created;
    if (saved) saved(c, how, cl);
    tx.commit();
    return std::pair{how, std::move(cl)};
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::variant<Saved, FieldError> PeopleStore::put_site(Site site, const GeneralSettings& general) try {
    if (auto error = normalise_site(site, general)) return *error;
    auto c = db_.connect();
    Poco::Data::Transaction tx(c.session());
    bool known = exists(c, "sites", site.id);
    site.updated_at = clock_.now_ms();
    c.session() << c.sql("INSERT INTO sites (id, name, phone, address, time_zone, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET name = excluded.name, phone = excluded.phone, "
                         "address = excluded.address, time_zone = excluded.time_zone, updated_at = excluded.updated_at"),
        use(site.id), use(site.name), use(site.phone), use(site.address), use(site.time_zone), use(site.updated_at), now;
    tx.commit();
    return known ? Saved::updated : Saved::created;
} catch (const Poco::Exception& e) {
    store_error(e);
}

std::optional<Site> PeopleStore::site(const std::string& id) try {
    auto c = db_.connect();
    std::string key = id;
    Statement select(c.session());
    select << c.sql("SELECT id, name, phone, address, time_zone, updated_at FROM sites WHERE id = ?"), use(key), now;
    RecordSet rs(select);
    if (rs.rowCount() == 0) return std::nullopt;
    return Site{text_at(rs, 0, 0), text_at(rs, 1, 0), text_at(rs, 2, 0), text_at(rs, 3, 0), text_at(rs, 4, 0),
                number_at(rs, 5, 0)};
} catch (const Poco::Exception& e) {
    store_error(e);
}

} // namespace extcomm::agency
