#pragma once
// The schema, as an ordered list of migrations. Append only: a released migration never changes.
#include <string>
#include <vector>

namespace extcomm {

struct Migration {
    int version;
    std::string description;
    std::vector<std::string> statements; // portable SQL (SQLite and PostgreSQL)
};

const std::vector<Migration>& migrations();

} // namespace extcomm
