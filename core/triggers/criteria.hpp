#pragma once
// Criteria of a rule, and the comparison an answer condition makes: comparisons on a record's fields
// ("fields.status", "agency_fields.risk", a document's "answers.q3"), typed by the field's JSON value.
// All of a rule's criteria must hold for it to fire. Pure.
//
//   equals / not-equals      the JSON values are (not) the same
//   one-of                   the field's value is one of a list
//   greater-than / less-than numbers, or ISO dates ("2026-09-20"); anything else does not hold
//   empty / not-empty        missing, null or "" (or not)
#include <common/field_error.hpp>
#include <common/json_reader.hpp>

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace extcomm::triggers {

enum class Comparison { equals, not_equals, one_of, greater_than, less_than, empty, not_empty };
std::string_view to_string(Comparison comparison);

struct Criterion {
    std::string field; // "fields.<name>", "agency_fields.<name>" or "answers.<question>"
    Comparison comparison = Comparison::equals;
    boost::json::value value; // null for empty / not-empty
};

// Reads `comparison` and `value` from `r`, checking the value fits the comparison.
void read_comparison(JsonReader& r, Comparison& comparison, boost::json::value& value);
// One criterion at `path` ("criteria[2]"); `answers`: whether "answers.<question>" may be named.
std::variant<Criterion, FieldError> criterion_from_api(const boost::json::value& item, const std::string& path, bool answers);
boost::json::object to_json(const Criterion& criterion);

// The value at a dotted path in a record's facts ({"fields": {...}, "agency_fields": {...}, "answers": {...}});
// nullptr when missing.
const boost::json::value* value_at(const boost::json::object& facts, std::string_view path);
bool holds(Comparison comparison, const boost::json::value* actual, const boost::json::value& value);

} // namespace extcomm::triggers
