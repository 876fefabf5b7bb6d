#pragma once
// One table of names per domain enum: the API, the store, templates, metrics and logs all spell a value
// the way its table does, and parsing is the same table read the other way. A table lists every value
// once; the static_assert beside each table (count of values) makes a new value without a name a
// compile error.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace extcomm {

template <typename Enum>
struct EnumName {
    Enum value;
    std::string_view name;
};

// The name of `value` in `table` ("unknown" only when the table misses it, which its static_assert
// rules out).
template <typename Enum, std::size_t N>
constexpr std::string_view name_in(const EnumName<Enum> (&table)[N], Enum value) {
    for (const auto& entry : table)
        if (entry.value == value) return entry.name;
    return "unknown";
}

template <typename Enum, std::size_t N>
constexpr std::optional<Enum> value_in(const EnumName<Enum> (&table)[N], std::string_view name) {
    for (const auto& entry : table)
        if (entry.name == name) return entry.value;
    return std::nullopt;
}

// "a, b, c": the names a value may take, for error messages.
template <typename Enum, std::size_t N>
std::string names_in(const EnumName<Enum> (&table)[N]) {
    std::string out;
    for (const auto& entry : table) {
        if (!out.empty()) out += ", ";
        out += entry.name;
    }
    return out;
}

} // namespace extcomm
