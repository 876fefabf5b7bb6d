#include <events/confirmation_store.hpp>
#include <store/rows.hpp>
#include <store/stored_key.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include <algorithm>

using namespace Poco::Data::Keywords;

namespace extcomm::events {
namespace {

constexpr const char* kColumns = "event_id, client_id, event_start, sent_at, confirmed_at, via";

std::vector<EventConfirmation> rows(Poco::Data::Statement& select) {
    Poco::Data::RecordSet rs(select);
    std::vector<EventConfirmation> out;
    for (std::size_t row = 0; row < rs.rowCount(); ++row)
        out.push_back({rs.value(0, row).convert<std::string>(), rs.value(1, row).convert<std::string>(),
                       rs.value(2, row).convert<TimeMs>(), rs.value(3, row).convert<TimeMs>(),
                       rs.value(4, row).convert<TimeMs>(), rs.value(5, row).convert<std::string>()});
    return out;
}

} // namespace

std::string_view to_string(ConfirmedVia via) { return via == ConfirmedVia::link ? "link" : "sms"; }

void record_confirmation_sent(Database::Connection& c, const std::string& event, const std::string& client,
                              TimeMs event_start, TimeMs sent_at) {
    std::string e = event, cl = client;
    TimeMs start = event_start, at = sent_at;
    c.session() << c.sql("INSERT INTO event_confirmations (event_id, client_id, event_start, sent_at, confirmed_at, "
                         "via) VALUES (?, ?, ?, ?, 0, '') ON CONFLICT (event_id, client_id, event_start) DO UPDATE SET "
                         "sent_at = excluded.sent_at WHERE event_confirmations.sent_at = 0"),
        use(e), use(cl), use(start), use(at), now;
}

bool mark_confirmed(Database::Connection& c, const std::string& event, const std::string& client, TimeMs event_start,
                    ConfirmedVia via, TimeMs confirmed_at) {
    std::string e = event, cl = client, how(to_string(via));
    TimeMs start = event_start, at = confirmed_at;
    // The row the scheduler made, if still unconfirmed; else a row of its own. On PostgreSQL a concurrent
    // second confirmation waits for the first's row lock (or its insert) and then changes nothing.
    Poco::Data::Statement update(c.session());
    update << c.sql("UPDATE event_confirmations SET confirmed_at = ?, via = ? "
                    "WHERE event_id = ? AND client_id = ? AND event_start = ? AND confirmed_at = 0"),
        use(at), use(how), use(e), use(cl), use(start);
    if (update.execute() > 0) return true;
    Poco::Data::Statement insert(c.session());
    insert << c.sql("INSERT INTO event_confirmations (event_id, client_id, event_start, sent_at, confirmed_at, via) "
                    "VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (event_id, client_id, event_start) DO NOTHING"),
        use(e), use(cl), use(start), use(at), use(how);
    return insert.execute() > 0;
}

std::optional<EventConfirmation> find_confirmation(Database::Connection& c, const std::string& event,
                                                   const std::string& client, TimeMs event_start) {
    std::string e = event, cl = client;
    TimeMs start = event_start;
    Poco::Data::Statement select(c.session());
    select << c.sql(std::string("SELECT ") + kColumns +
                    " FROM event_confirmations WHERE event_id = ? AND client_id = ? AND event_start = ?"),
        use(e), use(cl), use(start), now;
    auto found = rows(select);
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::vector<EventConfirmation> confirmations_of(Database::Connection& c, const std::string& event, TimeMs event_start) {
    std::string e = event;
    TimeMs start = event_start;
    Poco::Data::Statement select(c.session());
    select << c.sql(std::string("SELECT ") + kColumns +
                    " FROM event_confirmations WHERE event_id = ? AND event_start = ? ORDER BY client_id"),
        use(e), use(start), now;
    return rows(select);
}

std::vector<EventConfirmation> pending_confirmations(Database::Connection& c, const std::vector<std::string>& clients,
                                                     TimeMs after_ms) {
    std::vector<EventConfirmation> out;
    for (const std::string& client : clients) {
        std::string cl = client;
        TimeMs after = after_ms;
        Poco::Data::Statement select(c.session());
        select << c.sql(std::string("SELECT ") + kColumns +
                        " FROM event_confirmations WHERE client_id = ? AND confirmed_at = 0 AND sent_at > 0 "
                        "AND event_start > ? ORDER BY event_start LIMIT 20"),
            use(cl), use(after), now;
        for (auto& row : rows(select)) out.push_back(std::move(row));
    }
    std::stable_sort(out.begin(), out.end(), [](const EventConfirmation& a, const EventConfirmation& b) {
        return a.event_start < b.event_start;
    });
    return out;
}

std::string record_confirm_link(Database::Connection& c, const ConfirmTokenFacts& link, TimeMs created_at) {
    std::string id = new_confirm_link_id(), event = link.event, client = link.client;
    TimeMs start = link.start, at = created_at;
    c.session() << c.sql("INSERT INTO confirm_links (id, event_id, client_id, event_start, created_at) "
                         "VALUES (?, ?, ?, ?, ?)"),
        use(id), use(event), use(client), use(start), use(at), now;
    return id;
}

std::optional<ConfirmTokenFacts> find_confirm_link(Database::Connection& c, const std::string& id) {
    return first_of(select_rows(c, "SELECT event_id, client_id, event_start FROM confirm_links WHERE id = ?",
                                [](const Row& r) { return ConfirmTokenFacts{r.text(0), r.text(1), r.number(2)}; }, id));
}

std::vector<std::string> clients_by_mobile(Database::Connection& c, std::string_view number) {
    std::string digits;
    for (char ch : number)
        if (ch >= '0' && ch <= '9') digits += ch;
    if (digits.empty()) return {};
    std::string e164 = "+" + digits;
    Poco::Data::Statement select(c.session());
    select << c.sql("SELECT id FROM clients WHERE sms_address = ? ORDER BY id"), use(e164), now;
    Poco::Data::RecordSet rs(select);
    std::vector<std::string> out;
    for (std::size_t row = 0; row < rs.rowCount(); ++row) out.push_back(rs.value(0, row).convert<std::string>());
    return out;
}

std::string stored_confirm_link_key(Database::Connection& c, TimeMs created_at) {
    return stored_key(c, "confirm_link_key", created_at);
}

} // namespace extcomm::events
