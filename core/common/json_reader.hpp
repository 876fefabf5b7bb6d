#pragma once
// Reads the members of one JSON object of a request or of the settings, the same way everywhere:
// - a member that is absent or null leaves its output alone (the caller's default stands);
// - the first problem is kept with its path ("messages[3].channel", "client_delivery.confirmation.enabled")
//   and every later read does nothing, so a reader can be run to the end and asked once;
// - wording that differs between routes (which members are known, what a range means) is passed in.
#include <common/field_error.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extcomm {

class JsonReader {
public:
    // `not_object`: the reason given, at `path` ("body" for a request with no path), when `value` is no object.
    JsonReader(const boost::json::value& value, std::string path, std::string_view not_object = "must be a JSON object");
    JsonReader(const boost::json::object& object, std::string path) : path_(std::move(path)), object_(&object) {}

    bool ok() const { return object_ && !error_; }
    const std::optional<FieldError>& error() const { return error_; }
    const std::string& path() const { return path_; }
    std::string at(std::string_view key) const; // "path.key", or "key" at the top
    static std::string indexed(std::string_view path, std::size_t index); // "path[index]"

    void fail(std::string field, std::string reason); // kept only if nothing failed before
    void fail(const std::optional<FieldError>& error);

    // Refuses the first member not in `known` (a typo would otherwise be ignored): "<refusal> (<intro>: a, b)",
    // or "<refusal> (a, b)" with no intro.
    void only(std::initializer_list<std::string_view> known, std::string_view refusal = "is not a known member",
              std::string_view intro = "known");

    // The member when it is present and not null, and nothing has failed.
    const boost::json::value* member(std::string_view key) const;

    // Each returns whether the member was read into `out`. `max_characters`: also checks that the text is UTF-8.
    bool text(std::string_view key, std::string& out, std::optional<std::size_t> max_characters = std::nullopt);
    bool boolean(std::string_view key, bool& out);
    // Out of [min, max]: `range_reason`, or "must be between min and max".
    bool integer(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max,
                 std::string_view range_reason = {});
    bool integer(std::string_view key, int& out, int min, int max, std::string_view range_reason = {});
    // A string that `parse` turns into a value (a time, a name from an enum's table); else `reason`.
    template <class T, class Parse>
    bool parsed(std::string_view key, T& out, Parse parse, std::string_view reason) {
        const boost::json::value* v = member(key);
        if (!v) return false;
        auto value = v->is_string() ? parse(std::string_view(v->as_string())) : decltype(parse(std::string_view()))();
        if (!value) {
            fail(at(key), std::string(reason));
            return false;
        }
        out = *value;
        return true;
    }
    // A list of ids: each item a string that `valid` accepts, else `reason` at "key[i]".
    bool ids(std::string_view key, std::vector<std::string>& out, bool (*valid)(std::string_view),
             std::string_view reason);
    // An array member's items with their paths ("key[i]"); `read` returns false to stop. Not an array: `not_array`.
    template <class Read>
    bool items(std::string_view key, std::string_view not_array, Read read) {
        const boost::json::value* v = member(key);
        if (!v) return false;
        if (!v->is_array()) {
            fail(at(key), std::string(not_array));
            return false;
        }
        const auto& list = v->as_array();
        for (std::size_t i = 0; i < list.size() && ok(); ++i)
            if (!read(list[i], indexed(at(key), i))) break;
        return ok();
    }

private:
    std::string path_;
    const boost::json::object* object_ = nullptr;
    std::optional<FieldError> error_;
};

} // namespace extcomm
