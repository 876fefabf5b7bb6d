#include <triggers/task_documents.hpp>

#include <store/rows.hpp>

using namespace Poco::Data::Keywords;

namespace extcomm::triggers {
namespace json = boost::json;
namespace {

// One upsert for both: a draft keeps submitted_at 0, a submission sets it; a row already submitted is
// never updated (the WHERE of the conflict's update), so the statement changes no row then.
Stored upsert(Database::Connection& c, const std::string& task, const std::string& tmpl, const json::object& answers,
              TimeMs now, bool submit) {
    std::string t = task, d = tmpl, text = json::serialize(answers);
    Poco::Int64 saved = now, submitted = submit ? now : 0;
    Poco::Data::Statement upsert(c.session());
    upsert << c.sql("INSERT INTO task_documents (task_id, template_id, answers, saved_at, submitted_at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (task_id, template_id) DO UPDATE SET answers = excluded.answers, saved_at = excluded.saved_at, "
                    "submitted_at = excluded.submitted_at WHERE task_documents.submitted_at = 0"),
        use(t), use(d), use(text), use(saved), use(submitted);
    return upsert.execute() == 1 ? Stored::stored : Stored::submitted_already;
}

} // namespace

std::map<std::string, TaskDocument> find_task_documents(Database::Connection& c, const std::string& task) {
    auto rows = select_rows(c, "SELECT template_id, answers, saved_at, submitted_at FROM task_documents WHERE task_id = ?",
                            [](const Row& row) {
                                TaskDocument d;
                                std::error_code ec;
                                json::value v = json::parse(row.text(1), ec);
                                if (!ec && v.is_object()) d.answers = std::move(v.as_object());
                                d.saved_at = row.number(2);
                                d.submitted_at = row.number(3);
                                return std::make_pair(row.text(0), std::move(d));
                            },
                            task);
    return {std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end())};
}

Stored save_document(Database::Connection& c, const std::string& task, const std::string& tmpl, const json::object& answers,
                     TimeMs now) {
    return upsert(c, task, tmpl, answers, now, false);
}

Stored submit_document(Database::Connection& c, const std::string& task, const std::string& tmpl,
                       const json::object& answers, TimeMs now) {
    return upsert(c, task, tmpl, answers, now, true);
}

} // namespace extcomm::triggers
