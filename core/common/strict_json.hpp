#pragma once
// JSON text read the way every request body and the configuration file are read: what boost::json::parse
// would accept and then lose is refused while parsing, naming where it is:
// - a member named twice in one object (Boost.JSON keeps the last one and drops the first silently);
// - a NUL character (\u0000) in a string or a member name (the store keeps text up to the first NUL, so a
//   retry, or a claim after a restart, would send less than was accepted).
// Paths are written as JsonReader writes them ("messages[3].body"); the document itself is "".
#include <common/field_error.hpp>

#include <boost/json.hpp>

#include <optional>
#include <string_view>
#include <system_error>

namespace extcomm {

struct StrictJson {
    boost::json::value value;          // the document, when neither of the below
    std::error_code syntax;            // not JSON: as boost::json::parse says it
    std::optional<FieldError> refused; // JSON, but it would lose something (where and what)
    bool ok() const { return !syntax && !refused; }
};

StrictJson parse_strict_json(std::string_view text);

} // namespace extcomm
