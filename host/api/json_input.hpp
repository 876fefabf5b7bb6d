#pragma once
// Reading members of a JSON request body with errors that name the field: the people and messages APIs.
#include <agency/people.hpp>

#include <boost/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extcomm::host::input {


inline std::string at(const std::string& prefix, std::string_view key) {
    return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

// Refuses members not in `known`, naming the first one.
inline std::optional<FieldError> only(const boost::json::object& o, std::initializer_list<std::string_view> known,
                                      const std::string& prefix = {}) {
    for (const auto& member : o) {
        bool ok = false;
        for (auto k : known) ok |= member.key() == k;
        if (!ok) {
            std::string list;
            for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
            return FieldError{at(prefix, member.key()), "is not a known member (known: " + list + ")"};
        }
    }
    return std::nullopt;
}

// A string member: absent or null leaves `out` alone and returns false.
inline bool string(const boost::json::object& o, std::string_view key, const std::string& prefix, std::string& out,
                   std::optional<FieldError>& error) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return false;
    if (!v->is_string()) {
        error = FieldError{at(prefix, key), "must be a string"};
        return false;
    }
    out = std::string(v->as_string());
    return true;
}

inline bool boolean(const boost::json::object& o, std::string_view key, const std::string& prefix, bool& out,
                    std::optional<FieldError>& error) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return false;
    if (!v->is_bool()) {
        error = FieldError{at(prefix, key), "must be true or false"};
        return false;
    }
    out = v->as_bool();
    return true;
}

inline bool integer(const boost::json::object& o, std::string_view key, const std::string& prefix, int& out,
                    std::optional<FieldError>& error) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return false;
    if (!v->is_int64() && !v->is_uint64()) {
        error = FieldError{at(prefix, key), "must be a whole number"};
        return false;
    }
    auto n = v->is_int64() ? v->as_int64() : static_cast<std::int64_t>(std::min<std::uint64_t>(v->as_uint64(), 1u << 30));
    if (n < -(1 << 30) || n > (1 << 30)) {
        error = FieldError{at(prefix, key), "is out of range"};
        return false;
    }
    out = static_cast<int>(n);
    return true;
}

// A list of ids (worker ids, category ids).
inline bool ids(const boost::json::object& o, std::string_view key, const std::string& prefix,
                std::vector<std::string>& out, std::optional<FieldError>& error) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return false;
    std::string field = at(prefix, key);
    if (!v->is_array()) {
        error = FieldError{field, "must be an array of ids"};
        return false;
    }
    const auto& items = v->as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (!items[i].is_string() || !agency::is_valid_id(items[i].as_string())) {
            error = FieldError{field + "[" + std::to_string(i) + "]", "must be an id (1 to 64 of A-Z a-z 0-9 . _ -)"};
            return false;
        }
        out.emplace_back(items[i].as_string());
    }
    return true;
}

} // namespace extcomm::host::input
