#include <discussions/discussion_store.hpp>

#include <algorithm>

#include <agency/settings_json.hpp> // ClientContext names
#include <common/enum_names.hpp>
#include <events/confirm_token.hpp>
#include <store/rows.hpp>
#include <triggers/rule_store.hpp> // next_number: the shared counters

#include <boost/json.hpp>

using namespace Poco::Data::Keywords;

namespace extcomm::discussions {
namespace {

constexpr EnumNames<Author, 2> kAuthorNames{{"worker", "client"}};

// A message from its row: the columns seq, author_type, author_id, body, created_at, from column `at` on.
DiscussionMessage message_of(const Row& row, std::size_t at) {
    return DiscussionMessage{row.number(at), kAuthorNames.parse(row.text(at + 1)).value_or(Author::worker),
                             row.text(at + 2), row.text(at + 3), row.number(at + 4)};
}

// The workers as stored: a JSON array of ids.
std::string workers_text(const std::vector<std::string>& workers) {
    boost::json::array out;
    for (const std::string& w : workers) out.emplace_back(w);
    return boost::json::serialize(out);
}

std::vector<std::string> workers_of(const std::string& text) {
    std::vector<std::string> out;
    boost::system::error_code ec;
    const boost::json::value parsed = boost::json::parse(text, ec);
    if (ec || !parsed.is_array()) return out;
    for (const auto& w : parsed.as_array())
        if (w.is_string()) out.emplace_back(w.as_string());
    return out;
}

} // namespace

std::string_view to_string(Author author) { return kAuthorNames(author); }

// Times are not named `now`: that is Poco's keyword that runs a statement.
Discussion insert_discussion(Database::Connection& c, Discussion discussion, TimeMs created_at) {
    Poco::Int64 seq = triggers::next_number(c, "discussion"), at = created_at;
    discussion.id = "d-" + std::to_string(seq);
    discussion.created_at = created_at;
    discussion.messages.clear();
    std::string id = discussion.id, context(agency::to_string(discussion.context)), workers = workers_text(discussion.workers);
    c.session() << c.sql("INSERT INTO discussions (seq, id, client_id, context, subject, workers, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)"),
        use(seq), use(id), use(discussion.client), use(context), use(discussion.subject), use(workers), use(at), now;
    return discussion;
}

DiscussionMessage insert_message(Database::Connection& c, const std::string& discussion, Author author,
                                 const std::string& author_id, const std::string& body, TimeMs at_ms,
                                 const std::string& idempotency_key) {
    DiscussionMessage m{triggers::next_number(c, "discussion-message"), author, author_id, body, at_ms};
    Poco::Int64 seq = m.seq, at = at_ms;
    std::string id = discussion, type(to_string(author)), who = author_id, text = body;
    Poco::Nullable<std::string> key;
    if (!idempotency_key.empty()) key = idempotency_key;
    c.session() << c.sql("INSERT INTO discussion_messages (seq, discussion_id, author_type, author_id, body, created_at, "
                         "idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?)"),
        use(seq), use(id), use(type), use(who), use(text), use(at), use(key), now;
    return m;
}

std::optional<KeyedMessage> find_keyed_message(Database::Connection& c, const std::string& idempotency_key) {
    return first_of(select_rows(
        c, "SELECT discussion_id, seq, author_type, author_id, body, created_at FROM discussion_messages WHERE idempotency_key = ?",
        [](const Row& row) { return KeyedMessage{row.text(0), message_of(row, 1)}; }, idempotency_key));
}

std::optional<Discussion> find_discussion(Database::Connection& c, const std::string& id) {
    auto found = first_of(select_rows(
        c, "SELECT id, client_id, context, subject, workers, created_at FROM discussions WHERE id = ?",
        [](const Row& row) {
            Discussion d;
            d.id = row.text(0);
            d.client = row.text(1);
            d.context = agency::client_context_from(row.text(2)).value_or(agency::ClientContext::profile);
            d.subject = row.text(3);
            d.workers = workers_of(row.text(4));
            d.created_at = row.number(5);
            return d;
        },
        id));
    if (!found) return std::nullopt;
    found->messages = select_rows(
        c, "SELECT seq, author_type, author_id, body, created_at FROM discussion_messages WHERE discussion_id = ? ORDER BY seq",
        [](const Row& row) { return message_of(row, 0); }, id);
    return found;
}

bool add_worker(Database::Connection& c, Discussion& discussion, const std::string& worker) {
    if (std::find(discussion.workers.begin(), discussion.workers.end(), worker) != discussion.workers.end()) return false;
    discussion.workers.push_back(worker);
    std::string workers = workers_text(discussion.workers);
    c.session() << c.sql("UPDATE discussions SET workers = ? WHERE id = ?"), use(workers), use(discussion.id), now;
    return true;
}

std::string insert_link(Database::Connection& c, const std::string& discussion, TimeMs sent_at) {
    std::string id = events::new_confirm_link_id(), about = discussion;
    Poco::Int64 at = sent_at;
    c.session() << c.sql("INSERT INTO discussion_links (id, discussion_id, sent_at) VALUES (?, ?, ?)"), use(id),
        use(about), use(at), now;
    return id;
}

std::optional<DiscussionLink> find_link(Database::Connection& c, const std::string& id) {
    return first_of(select_rows(
        c, "SELECT discussion_id, sent_at FROM discussion_links WHERE id = ?",
        [](const Row& row) { return DiscussionLink{row.text(0), row.number(1)}; }, id));
}

} // namespace extcomm::discussions
