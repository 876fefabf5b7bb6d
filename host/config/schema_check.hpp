#pragma once
// JSON Schema validation (Valijson over Boost.JSON) with problems reported as JSON paths.
#include <boost/json.hpp>

#include <string>
#include <vector>

namespace extcomm::host {

struct Problem {
    std::string path;    // e.g. "transports[1].settings.port"
    std::string message; // e.g. "expected integer"
    std::string text() const { return path.empty() ? message : path + ": " + message; }
};

// Validates `document` against `schema`; each problem's path is prefixed with `prefix`. Only the
// innermost failure of each branch is reported (a bad port is one problem, not three).
std::vector<Problem> check_against_schema(const boost::json::value& schema, const boost::json::value& document,
                                          const std::string& prefix = {});

// "a.b" + "[2]" style path building.
std::string path_join(const std::string& prefix, const std::string& key);
std::string path_index(const std::string& prefix, std::size_t index);

} // namespace extcomm::host
