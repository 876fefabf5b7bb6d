#include <common/enum_names.hpp>
#include <common/iso_date.hpp>
#include <triggers/criteria.hpp>

namespace extcomm::triggers {
namespace json = boost::json;
namespace {

constexpr EnumNames<Comparison, 7> kComparisonNames{
    {"equals", "not-equals", "one-of", "greater-than", "less-than", "empty", "not-empty"}};

bool is_date(const json::value& v) { return v.is_string() && is_iso_date(v.as_string()); }
bool is_empty(const json::value* v) { return !v || v->is_null() || (v->is_string() && v->as_string().empty()); }

// -1, 0, 1; nothing when the two are not both numbers or both ISO dates.
std::optional<int> order(const json::value& a, const json::value& b) {
    if (a.is_number() && b.is_number()) {
        const double x = a.to_number<double>(), y = b.to_number<double>();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (is_date(a) && is_date(b)) {
        const int c = std::string_view(a.as_string()).compare(std::string_view(b.as_string()));
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    return std::nullopt;
}

bool same(const json::value& a, const json::value& b) {
    if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
    return a == b;
}

} // namespace

std::string_view to_string(Comparison comparison) { return kComparisonNames(comparison); }

void read_comparison(JsonReader& r, Comparison& comparison, json::value& value) {
    if (!r.parsed("comparison", comparison, [](std::string_view s) { return kComparisonNames.parse(s); },
                  "must be one of " + kComparisonNames.list()) && r.ok())
        r.fail(r.at("comparison"), "is required: one of " + kComparisonNames.list());
    if (!r.ok()) return;
    const json::value* v = r.member("value");
    switch (comparison) {
    case Comparison::empty:
    case Comparison::not_empty:
        if (v) r.fail(r.at("value"), "must be left out: " + std::string(to_string(comparison)) + " compares with nothing");
        return;
    case Comparison::one_of:
        if (!v || !v->is_array() || v->as_array().empty()) r.fail(r.at("value"), "must be a non-empty array of values");
        break;
    case Comparison::greater_than:
    case Comparison::less_than:
        if (!v || !(v->is_number() || is_date(*v))) r.fail(r.at("value"), "must be a number or an ISO date (YYYY-MM-DD)");
        break;
    case Comparison::equals:
    case Comparison::not_equals:
        if (!v) r.fail(r.at("value"), "is required");
        break;
    }
    if (r.ok()) value = *v;
}

std::variant<Criterion, FieldError> criterion_from_api(const json::value& item, const std::string& path, bool answers) {
    JsonReader r(item, path, "must be an object {field, comparison, value}");
    r.only({"field", "comparison", "value"});
    Criterion c;
    if (!r.text("field", c.field, 200) && r.ok()) r.fail(r.at("field"), "is required");
    const bool known = c.field.starts_with("fields.") || c.field.starts_with("agency_fields.") ||
                       (answers && c.field.starts_with("answers."));
    if (r.ok() && (!known || c.field.back() == '.'))
        r.fail(r.at("field"), answers ? "must name fields.<name>, agency_fields.<name> or answers.<question>"
                                      : "must name fields.<name> or agency_fields.<name>");
    read_comparison(r, c.comparison, c.value);
    if (!r.ok()) return *r.error();
    return c;
}

json::object to_json(const Criterion& c) {
    json::object out{{"field", c.field}, {"comparison", to_string(c.comparison)}};
    if (c.comparison != Comparison::empty && c.comparison != Comparison::not_empty) out["value"] = c.value;
    return out;
}

const json::value* value_at(const json::object& facts, std::string_view path) {
    const auto dot = path.find('.');
    if (dot == std::string_view::npos) return nullptr;
    const json::value* group = facts.if_contains(path.substr(0, dot));
    if (!group || !group->is_object()) return nullptr;
    return group->as_object().if_contains(path.substr(dot + 1));
}

bool holds(Comparison comparison, const json::value* actual, const json::value& value) {
    switch (comparison) {
    case Comparison::empty: return is_empty(actual);
    case Comparison::not_empty: return !is_empty(actual);
    case Comparison::equals: return actual && same(*actual, value);
    case Comparison::not_equals: return !actual || !same(*actual, value);
    case Comparison::one_of:
        if (!actual || !value.is_array()) return false;
        for (const auto& v : value.as_array())
            if (same(*actual, v)) return true;
        return false;
    case Comparison::greater_than: {
        auto o = actual ? order(*actual, value) : std::nullopt;
        return o && *o > 0;
    }
    case Comparison::less_than: {
        auto o = actual ? order(*actual, value) : std::nullopt;
        return o && *o < 0;
    }
    }
    return false;
}

} // namespace extcomm::triggers
