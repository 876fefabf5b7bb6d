#include <triggers/error_log.hpp>
#include <triggers/rule_store.hpp>

#include <delivery/error_notices.hpp>
#include <store/rows.hpp>

using namespace Poco::Data::Keywords;

namespace extcomm::triggers {

void append_error(Database::Connection& c, TriggerError& error) {
    error.seq = next_number(c, "error");
    Poco::Int64 seq = error.seq, at = error.occurred_at;
    std::string rule = error.rule, rule_name = error.rule_name, record = error.record, reason = error.reason;
    c.session() << c.sql("INSERT INTO trigger_errors (seq, rule_id, rule_name, record, reason, occurred_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)"),
        use(seq), use(rule), use(rule_name), use(record), use(reason), use(at), now;
    store_error_notice(c,
                       ErrorNotice{NoticeKind::action_unassigned, "", "", "", "",
                                   "action trigger \"" + error.rule_name + "\" (" + error.rule + ") on " + error.record + ": " +
                                       error.reason,
                                   error.occurred_at},
                       "action_unassigned:" + std::to_string(error.seq));
}

std::vector<TriggerError> find_errors(Database::Connection& c, const ErrorFilter& filter) {
    Poco::Int64 below = filter.before.value_or(INT64_MAX), limit = filter.limit;
    return select_rows(
        c, "SELECT seq, rule_id, rule_name, record, reason, occurred_at FROM trigger_errors WHERE seq < ? ORDER BY seq DESC LIMIT ?",
        [](const Row& row) {
            return TriggerError{row.number(0), row.text(1), row.text(2), row.text(3), row.text(4), row.number(5)};
        },
        below, limit);
}

boost::json::object to_json(const TriggerError& error) {
    return {{"seq", error.seq},       {"rule", error.rule},     {"rule_name", error.rule_name},
            {"record", error.record}, {"reason", error.reason}, {"occurred_at_ms", error.occurred_at}};
}

} // namespace extcomm::triggers
