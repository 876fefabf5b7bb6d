#pragma once
// The agency's error log of action triggers: an action that could not be assigned to anyone (no client
// where one was wanted and no worker recipient) is written here, numbered in order (seq), in the
// transaction of the change that fired it, and stored as an error notice too, so the next error-notice
// digest tells the error-notice worker category (delivery/error_notices.hpp). Nothing reaches a client.
#include <common/clock.hpp>
#include <store/database.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace extcomm::triggers {

struct TriggerError {
    std::int64_t seq = 0; // set when appended
    std::string rule;
    std::string rule_name;
    std::string record; // "case/c-1"
    std::string reason;
    TimeMs occurred_at = 0;
};

void append_error(Database::Connection& c, TriggerError& error);

struct ErrorFilter {
    std::optional<std::int64_t> before; // only entries with a smaller seq
    int limit = 50;
};
// Newest first.
std::vector<TriggerError> find_errors(Database::Connection& c, const ErrorFilter& filter);

boost::json::object to_json(const TriggerError& error);

} // namespace extcomm::triggers
