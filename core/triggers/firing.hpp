#pragma once
// Action triggers firing on a change, in the transaction that stores it. For each enabled rule of what
// happened (a case created, a document completed, a service event booked, a profile created, …):
//   - an answer condition must have become true with this change (it fires once, not on every save);
//   - every criterion must hold on the record as it is now;
//   - then its action: Alert and Notification are intents of kind trigger-alert / trigger-notification
//     to the rule's recipients, through the caller's sending::Batch (the pipeline decides per worker:
//     Worker Delivery, detail level, the worker's channels, "only when not logged in"); a Workflow is
//     a task per worker recipient, or with "assigned to client (if possible)" one task for the client
//     (client_tasks.hpp), else, with the reason, the workers' tasks; with no worker either, the error log.
// Every rule whose trigger matched leaves one entry in the firing log (firing_log.hpp), fired or not, with
// each criterion's outcome and the actions taken, so "why did this fire / not fire?" has an answer. An
// intent's idempotency key is the rule, the record and its version: a repeated change fires nothing twice.
#include <triggers/chain.hpp>
#include <triggers/client_tasks.hpp>
#include <triggers/record.hpp>
#include <triggers/rule_index.hpp>
#include <triggers/rule_store.hpp>

#include <agency/people_store.hpp>
#include <sending/pipeline.hpp>

#include <boost/json.hpp>

#include <atomic>
#include <variant>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace extcomm::triggers {

// A change as the rules see it.
struct Subject {
    std::string record;                 // the firing log's key: "case/c-1", "client/jo", "service-event/e-1"
    std::string label;                  // in messages: "case c-1"
    std::int64_t version = 0;           // the record's version this change made
    std::vector<Trigger> triggers;      // what happened (a document created completed: both)
    std::string document_template;      // documents: the template its rules are attached to
    boost::json::object facts;          // {"fields": …, "agency_fields": …, "answers": …}: what criteria read
    boost::json::object facts_before;   // the same before the change (empty when created)
    std::vector<RecordWorker> workers;  // primary worker first
    std::string client;                 // the client a task could be assigned to; "" = none
    Chain chain;                        // the firings whose output caused this change; empty for outside changes
    // The record loop protection keys on: `record`, except for a client's answers, which are about the
    // record their task was made for.
    std::string chain_record;

    const std::string& loop_record() const { return chain_record.empty() ? record : chain_record; }
    std::string occurrence;             // time-based: which crossing ("jo@<due ms>"), in the intent's key; "" for changes
};

// Rules evaluated, their actions added to the batch; recorded once the batch is enqueued.
struct Evaluated {
    struct Entry {
        boost::json::object entry;               // the firing log entry so far
        std::vector<std::size_t> requests;       // the batch requests of its Alert / Notification, or of its tasks
    };
    std::vector<Entry> entries;
};

class Firing {
public:
    Firing(RuleStore& rules, agency::PeopleStore& people) : rules_(rules), people_(people) {}

    Evaluated evaluate(Database::Connection& c, sending::Batch& batch, const Subject& subject, TimeMs now);
    // One rule on its subject (a time-based rule's crossing: the scheduler found it due).
    Evaluated::Entry evaluate_rule(Database::Connection& c, sending::Batch& batch, const Rule& rule, const Subject& subject,
                                   TimeMs now);
    // After batch.enqueue(): the entries, with their requests, in the firing log; returned as stored.
    std::vector<boost::json::object> record(Database::Connection& c, const sending::Batch& batch, Evaluated evaluated);

    // Called with nothing once a transaction that fired committed: when it logged errors, the hook runs
    // (the host's error-notice digest looks at its next tick).
    void set_on_errors(std::function<void()> hook) { on_errors_ = std::move(hook); }
    // Where client tasks' pages are (client_tasks.hpp); unset: Engage tasks fall back to the workers.
    void set_task_links(TaskLinkUrl link_url) { link_url_ = std::move(link_url); }
    const TaskLinkUrl& task_links() const { return link_url_; }
    void after_commit();

private:
    std::vector<agency::Worker> recipients(Database::Connection& c, const Rule& rule, const Subject& subject);
    boost::json::object message_action(Database::Connection& c, sending::Batch& batch, const Rule& rule,
                                       const Subject& subject, Evaluated::Entry& out, TimeMs now);
    boost::json::object workflow_action(Database::Connection& c, sending::Batch& batch, const Rule& rule,
                                        const Subject& subject, Evaluated::Entry& out, TimeMs now);
    // The client's task of "assigned to client (if possible)": its entry in the action, or why not.
    std::variant<boost::json::object, std::string> client_task(Database::Connection& c, sending::Batch& batch, const Rule& rule,
                                                               const Subject& subject, const std::vector<agency::Worker>& workers,
                                                               Evaluated::Entry& out, TimeMs now);
    void log_unassigned(Database::Connection& c, const Rule& rule, const Subject& subject, const std::string& reason, TimeMs now);

    RuleStore& rules_;
    agency::PeopleStore& people_;
    std::function<void()> on_errors_;
    TaskLinkUrl link_url_;
    std::atomic<bool> errors_logged_{false};
};

// A firing log entry of `rule` on `subject` that did not fire, and why.
boost::json::object not_fired(const Rule& rule, const Subject& subject, TimeMs now, const std::string& reason);

// The subject of a record's change: its triggers from what happened (nothing: no triggers).
Subject record_subject(const Record& record, const std::optional<Record>& previous, const RecordChange& change,
                       std::int64_t version);
// The subject of a new client profile.
Subject profile_subject(const agency::Client& client);

} // namespace extcomm::triggers
