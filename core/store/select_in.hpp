#pragma once
// Reading many rows by key in a few statements instead of one statement per key.
#include <store/database.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include <algorithm>
#include <string>
#include <vector>

namespace extcomm {

// Runs `before (?, ?, ...) after` for each distinct key, at most 500 placeholders per statement (well
// under either database's limit), and hands each statement's rows to `rows(Poco::Data::RecordSet&)`.
// `before` ends with "... IN". Nothing runs for no keys.
template <class Rows>
void select_in(Database::Connection& c, const std::string& before, std::vector<std::string> keys,
               const std::string& after, Rows&& rows) {
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    constexpr std::size_t kPerStatement = 500;
    for (std::size_t from = 0; from < keys.size(); from += kPerStatement) {
        const std::size_t to = std::min(keys.size(), from + kPerStatement);
        std::string sql = before + " (?";
        for (std::size_t i = from + 1; i < to; ++i) sql += ", ?";
        sql += ")" + after;
        Poco::Data::Statement select(c.session());
        select << c.sql(sql);
        for (std::size_t i = from; i < to; ++i) select.addBind(Poco::Data::Keywords::useRef(keys[i]));
        select.execute();
        Poco::Data::RecordSet rs(select);
        rows(rs);
    }
}

} // namespace extcomm
