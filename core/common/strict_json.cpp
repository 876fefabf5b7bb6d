#include <common/strict_json.hpp>

#include <boost/json/basic_parser_impl.hpp>

#include <string>
#include <unordered_set>
#include <vector>

namespace extcomm {
namespace json = boost::json;
namespace {

constexpr const char* kNulReason = "contains a NUL character (\\u0000), which would be lost: remove it";

// A basic_parser handler that builds the value as boost::json::parser does (through a value_stack) and
// keeps the path to where it is, so that a refusal can name it.
class StrictHandler {
public:
    static constexpr std::size_t max_object_size = json::object::max_size();
    static constexpr std::size_t max_array_size = json::array::max_size();
    static constexpr std::size_t max_key_size = json::string::max_size();
    static constexpr std::size_t max_string_size = json::string::max_size();

    json::value_stack stack;
    std::optional<FieldError> refused;

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_object_begin(json::error_code&) { return open(true); }
    bool on_object_end(std::size_t n, json::error_code&) {
        stack.push_object(n);
        return close();
    }
    bool on_array_begin(json::error_code&) { return open(false); }
    bool on_array_end(std::size_t n, json::error_code&) {
        stack.push_array(n);
        return close();
    }
    bool on_key_part(json::string_view s, std::size_t n, json::error_code&) {
        stack.push_chars(s);
        Level& level = levels_[depth_ - 1];
        if (n == s.size()) level.key.assign(s.data(), s.size());
        else level.key.append(s.data(), s.size());
        return true;
    }
    bool on_key(json::string_view s, std::size_t n, json::error_code& ec) {
        on_key_part(s, n, ec);
        stack.push_key({}); // the name's characters are all pushed as parts
        Level& level = levels_[depth_ - 1];
        // A name with a NUL is not repeated in the answer: the refusal names the object holding it.
        if (level.key.find('\0') != std::string::npos)
            return refuse(path(depth_ - 1), "has a member name that " + std::string(kNulReason), ec);
        if (!level.keys.insert(level.key).second)
            return refuse(path(depth_), "appears twice in one object: send each member once", ec);
        return true;
    }
    bool on_string_part(json::string_view s, std::size_t, json::error_code& ec) {
        stack.push_chars(s);
        return s.find('\0') == json::string_view::npos || refuse(path(depth_), kNulReason, ec);
    }
    bool on_string(json::string_view s, std::size_t n, json::error_code& ec) {
        if (!on_string_part(s, n, ec)) return false;
        stack.push_string({}); // the characters are all pushed as parts
        return done();
    }
    bool on_number_part(json::string_view, json::error_code&) { return true; }
    bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
        stack.push_int64(i);
        return done();
    }
    bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
        stack.push_uint64(u);
        return done();
    }
    bool on_double(double d, json::string_view, json::error_code&) {
        stack.push_double(d);
        return done();
    }
    bool on_bool(bool b, json::error_code&) {
        stack.push_bool(b);
        return done();
    }
    bool on_null(json::error_code&) {
        stack.push_null();
        return done();
    }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }

private:
    // One open object or array: its members' names so far (objects) or the index of the next item (arrays).
    struct Level {
        bool object = false;
        std::size_t index = 0;
        std::string key;
        std::unordered_set<std::string> keys;
    };

    bool open(bool object) {
        // Levels are kept when closed, so that their name sets' buckets are reused by the next object.
        if (depth_ == levels_.size()) levels_.emplace_back();
        Level& level = levels_[depth_++];
        level.object = object;
        level.index = 0;
        level.key.clear();
        level.keys.clear();
        return true;
    }
    bool close() {
        --depth_;
        return done();
    }
    // A value is complete: in an array, the next one has the next index.
    bool done() {
        if (depth_ > 0 && !levels_[depth_ - 1].object) ++levels_[depth_ - 1].index;
        return true;
    }
    // The path of the value being read within the first `levels` levels.
    std::string path(std::size_t levels) const {
        std::string out;
        for (std::size_t i = 0; i < levels; ++i) {
            const Level& level = levels_[i];
            if (!level.object) out += "[" + std::to_string(level.index) + "]";
            else out += (out.empty() ? "" : ".") + level.key;
        }
        return out;
    }
    bool refuse(std::string field, std::string reason, json::error_code& ec) {
        refused = FieldError{std::move(field), std::move(reason)};
        ec = json::error::exception; // stops the parser; `refused` says why
        return false;
    }

    std::vector<Level> levels_;
    std::size_t depth_ = 0;
};

} // namespace

StrictJson parse_strict_json(std::string_view text) {
    StrictJson out;
    json::basic_parser<StrictHandler> parser(json::parse_options{});
    parser.handler().stack.reset();
    json::error_code ec;
    const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
    if (!ec && used < text.size()) ec = json::error::extra_data;
    if (parser.handler().refused) out.refused = std::move(parser.handler().refused);
    else if (ec) out.syntax = ec;
    else out.value = parser.handler().stack.release();
    return out;
}

} // namespace extcomm
