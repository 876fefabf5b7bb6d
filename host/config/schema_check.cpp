#include <config/schema_check.hpp>

#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <charconv>

namespace extcomm::host {
namespace {

// Valijson's context is {"<root>", "[transports]", "[1]", "[port]"}: property names and indices look
// alike ("[1]" may be a member named 1), so the document is walked along it to tell them apart.
std::string path_of(const boost::json::value& document, const std::vector<std::string>& context,
                    const std::string& prefix) {
    std::string path = prefix;
    const boost::json::value* node = &document;
    for (std::size_t i = 1; i < context.size(); ++i) {
        std::string part = context[i];
        if (part.size() >= 2 && part.front() == '[' && part.back() == ']') part = part.substr(1, part.size() - 2);
        std::size_t index = 0;
        const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), index);
        if (node && node->is_array() && error == std::errc() && end == part.data() + part.size()) {
            path = path_index(path, index);
            node = index < node->as_array().size() ? &node->as_array()[index] : nullptr;
        } else {
            path = path_join(path, part);
            node = node && node->is_object() ? node->as_object().if_contains(part) : nullptr;
        }
    }
    return path;
}

// Valijson's wording, in the words an operator reads in a config error.
std::string message_of(const std::string& description) {
    static const std::pair<const char*, const char*> plain[] = {
        {"Value type not permitted by 'type' constraint.", "has the wrong type"},
        {"Failed to match against any enum values.", "is not one of the allowed values"},
        {"Failed to match regex specified by 'pattern' constraint.", "does not have the required form"},
        {"String should be no fewer than", "is too short"},
        {"String should be no more than", "is too long"},
    };
    for (const auto& [from, to] : plain)
        if (description.rfind(from, 0) == 0) return to;
    // "Expected number less than or equal to 3600.000000" -> "must be at most 3600"
    static const std::pair<const char*, const char*> bounds[] = {
        {"Expected number less than or equal to ", "must be at most "},
        {"Expected number greater than or equal to ", "must be at least "},
    };
    for (const auto& [from, to] : bounds)
        if (description.rfind(from, 0) == 0) {
            std::string bound = description.substr(std::string_view(from).size());
            if (bound.find('.') != std::string::npos) {
                bound.erase(bound.find_last_not_of('0') + 1);
                if (bound.back() == '.') bound.pop_back();
            }
            return to + bound;
        }
    return description;
}

bool is_wrapper(const std::string& description) {
    // Valijson reports each enclosing object/array as its own error; the innermost one is the news.
    return description.rfind("Failed to validate item #", 0) == 0 ||
           description.rfind("Failed to validate against schema associated with property name", 0) == 0 ||
           description.rfind("Failed to validate against child schema", 0) == 0 ||
           description.rfind("Failed to validate against additional properties schema", 0) == 0;
}

std::string expected_type(const boost::json::value& schema, const std::vector<std::string>& context) {
    // Walk the schema along the context to name the expected type ("expected integer").
    const boost::json::value* node = &schema;
    for (std::size_t i = 1; i < context.size() && node && node->is_object(); ++i) {
        std::string part = context[i].substr(1, context[i].size() - 2);
        const auto& obj = node->as_object();
        bool index = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (index) {
            node = obj.if_contains("items");
        } else if (auto* props = obj.if_contains("properties"); props && props->is_object()) {
            node = props->as_object().if_contains(part);
        } else {
            node = nullptr;
        }
    }
    if (node && node->is_object())
        if (auto* t = node->as_object().if_contains("type"); t && t->is_string()) return std::string(t->as_string());
    return {};
}

} // namespace

std::string path_join(const std::string& prefix, const std::string& key) {
    return prefix.empty() ? key : prefix + "." + key;
}

std::string path_index(const std::string& prefix, std::size_t index) {
    return prefix + "[" + std::to_string(index) + "]";
}

std::vector<Problem> check_against_schema(const boost::json::value& schema, const boost::json::value& document,
                                          const std::string& prefix) {
    valijson::Schema compiled;
    valijson::SchemaParser parser;
    valijson::adapters::BoostJsonAdapter schema_adapter(schema);
    parser.populateSchema(schema_adapter, compiled);

    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::BoostJsonAdapter target(document);
    std::vector<Problem> problems;
    if (validator.validate(compiled, target, &results)) return problems;

    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        if (is_wrapper(error.description)) continue;
        std::string message = message_of(error.description);
        if (message == "has the wrong type") {
            std::string type = expected_type(schema, error.context);
            if (!type.empty()) message = "expected " + type;
        }
        if (error.description.rfind("Missing required property", 0) == 0) {
            // "Missing required property 'spool'." → path.spool: is required
            auto open = error.description.find('\''), close = error.description.rfind('\'');
            if (open != std::string::npos && close > open) {
                problems.push_back({path_join(path_of(document, error.context, prefix), error.description.substr(open + 1, close - open - 1)),
                                    "is required"});
                continue;
            }
        }
        if (error.description.rfind("Object contains a property that could not be validated", 0) == 0) {
            // "...constraints: 'bogus'." → path.bogus: is not a known setting
            auto open = error.description.rfind(": '"), close = error.description.rfind('\'');
            std::string key = open != std::string::npos && close > open + 3 ? error.description.substr(open + 3, close - open - 3) : "";
            problems.push_back({path_join(path_of(document, error.context, prefix), key), "is not a known setting"});
            continue;
        }
        problems.push_back({path_of(document, error.context, prefix), message});
    }
    return problems;
}

} // namespace extcomm::host
