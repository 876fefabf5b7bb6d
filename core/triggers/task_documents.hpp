#pragma once
// Where a client task's documents are kept: per (task, document template) one row with the client's
// answers, saved any number of times and then submitted once. Submitting sets submitted_at only while it
// is 0, in one statement on the row the primary key makes unique: two hosts submitting the same document
// at once store one submission, and the other learns it was submitted already. Calls join the caller's
// transaction; store failures throw (Poco exceptions).
#include <common/clock.hpp>
#include <store/database.hpp>

#include <boost/json.hpp>

#include <map>
#include <string>

namespace extcomm::triggers {

struct TaskDocument {
    boost::json::object answers;
    TimeMs saved_at = 0;
    TimeMs submitted_at = 0; // 0: not submitted
};

// The task's documents by template id (only those saved or submitted).
std::map<std::string, TaskDocument> find_task_documents(Database::Connection& c, const std::string& task);

enum class Stored { stored, submitted_already };
// Saves the answers as a draft; nothing changes once the document is submitted.
Stored save_document(Database::Connection& c, const std::string& task, const std::string& tmpl,
                     const boost::json::object& answers, TimeMs now);
// Submits the answers, once.
Stored submit_document(Database::Connection& c, const std::string& task, const std::string& tmpl,
                       const boost::json::object& answers, TimeMs now);

} // namespace extcomm::triggers
