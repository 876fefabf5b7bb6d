#pragma once
// The shapes every store reader shares, written once: a call on a connection of its own whose Poco failures
// become std::runtime_error("store: ...") (callers above the store see one kind of failure), and the rows
// of a statement read through typed accessors.
#include <store/database.hpp>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace extcomm {

[[noreturn]] inline void store_error(const Poco::Exception& e) { throw std::runtime_error("store: " + e.displayText()); }

// `fn(connection)` on a connection of its own (released before it returns: SQLite has one at a time).
template <typename Fn>
auto on_connection(Database& db, Fn&& fn) -> decltype(fn(std::declval<Database::Connection&>())) {
    try {
        auto c = db.connect();
        return fn(c);
    } catch (const Poco::Exception& e) {
        store_error(e);
    }
}

// One row of a RecordSet, read by column.
class Row {
public:
    Row(Poco::Data::RecordSet& rs, std::size_t row) : rs_(rs), row_(row) {}
    std::string text(std::size_t col) const { return rs_.value(col, row_).convert<std::string>(); }
    std::int64_t number(std::size_t col) const { return rs_.value(col, row_).convert<std::int64_t>(); }

private:
    Poco::Data::RecordSet& rs_;
    std::size_t row_;
};

// Every row `select` gave, each read with `read(const Row&)`.
template <typename Read>
auto rows_of(Poco::Data::RecordSet& rs, Read&& read) {
    std::vector<decltype(read(std::declval<const Row&>()))> out;
    for (std::size_t row = 0; row < rs.rowCount(); ++row) out.push_back(read(Row(rs, row)));
    return out;
}

// Runs `sql` with `params` bound in order and reads each row with `read(const Row&)`.
template <typename Read, typename... Params>
auto select_rows(Database::Connection& c, const std::string& sql, Read&& read, Params... params) {
    Poco::Data::Statement select(c.session());
    select << c.sql(sql);
    std::tuple<Params...> values(std::move(params)...);
    std::apply([&](auto&... v) { (select.addBind(Poco::Data::Keywords::useRef(v)), ...); }, values);
    select.execute();
    Poco::Data::RecordSet rs(select);
    return rows_of(rs, std::forward<Read>(read));
}

// The first row, if any.
template <typename T>
std::optional<T> first_of(std::vector<T> rows) {
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

} // namespace extcomm
