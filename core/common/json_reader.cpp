#include <common/json_reader.hpp>

#include <extcomm/sms_text.hpp>

#include <algorithm>
#include <limits>

namespace extcomm {
namespace json = boost::json;

JsonReader::JsonReader(const json::value& value, std::string path, std::string_view not_object)
    : path_(std::move(path)) {
    if (!value.is_object()) fail(path_.empty() ? "body" : path_, std::string(not_object));
    else object_ = &value.as_object();
}

std::string JsonReader::at(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

std::string JsonReader::indexed(std::string_view path, std::size_t index) {
    return std::string(path) + "[" + std::to_string(index) + "]";
}

void JsonReader::fail(std::string field, std::string reason) {
    if (!error_) error_ = FieldError{std::move(field), std::move(reason)};
}

void JsonReader::fail(const std::optional<FieldError>& error) {
    if (!error_ && error) error_ = error;
}

void JsonReader::only(std::initializer_list<std::string_view> known, std::string_view refusal, std::string_view intro) {
    if (!ok()) return;
    for (const auto& member : *object_) {
        if (std::find(known.begin(), known.end(), std::string_view(member.key())) != known.end()) continue;
        // A member named "" would give a refusal that names no field (found by fuzz/json_members).
        if (member.key().empty()) return fail(path_.empty() ? "body" : path_, "has a member with an empty name");
        std::string list;
        for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        std::string reason = std::string(refusal) + " (" + (intro.empty() ? "" : std::string(intro) + ": ") + list + ")";
        return fail(at(member.key()), std::move(reason));
    }
}

const json::value* JsonReader::member(std::string_view key) const {
    if (!ok()) return nullptr;
    const json::value* v = object_->if_contains(key);
    return v && !v->is_null() ? v : nullptr;
}

bool JsonReader::text(std::string_view key, std::string& out, std::optional<std::size_t> max_characters) {
    const json::value* v = member(key);
    if (!v) return false;
    if (!v->is_string()) {
        fail(at(key), "must be a string");
        return false;
    }
    std::string s(v->as_string());
    if (max_characters) {
        auto code_points = sms::decode_utf8(s);
        if (!code_points) {
            fail(at(key), "is not valid UTF-8");
            return false;
        }
        if (code_points->size() > *max_characters) {
            fail(at(key), "has " + std::to_string(code_points->size()) + " characters; at most " +
                              std::to_string(*max_characters) + " are allowed");
            return false;
        }
    }
    out = std::move(s);
    return true;
}

bool JsonReader::boolean(std::string_view key, bool& out) {
    const json::value* v = member(key);
    if (!v) return false;
    if (!v->is_bool()) {
        fail(at(key), "must be true or false");
        return false;
    }
    out = v->as_bool();
    return true;
}

bool JsonReader::integer(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max,
                         std::string_view range_reason) {
    const json::value* v = member(key);
    if (!v) return false;
    if (!v->is_int64() && !v->is_uint64()) {
        fail(at(key), "must be a whole number");
        return false;
    }
    constexpr auto kLargest = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    std::int64_t n = v->is_int64() ? v->as_int64() : static_cast<std::int64_t>(std::min(v->as_uint64(), kLargest));
    if (n < min || n > max) {
        fail(at(key), range_reason.empty()
                          ? "must be between " + std::to_string(min) + " and " + std::to_string(max)
                          : std::string(range_reason));
        return false;
    }
    out = n;
    return true;
}

bool JsonReader::integer(std::string_view key, int& out, int min, int max, std::string_view range_reason) {
    std::int64_t n = 0;
    if (!integer(key, n, min, max, range_reason)) return false;
    out = static_cast<int>(n);
    return true;
}

bool JsonReader::ids(std::string_view key, std::vector<std::string>& out, bool (*valid)(std::string_view),
                     std::string_view reason) {
    return items(key, "must be an array of ids", [&](const json::value& item, const std::string& path) {
        if (!item.is_string() || !valid(item.as_string())) {
            fail(path, std::string(reason));
            return false;
        }
        out.emplace_back(item.as_string());
        return true;
    });
}

} // namespace extcomm
