#pragma once
// One table of names per domain enum: the API, the store, templates, metrics and logs all spell a value
// the way its table does, and parsing is the same table read the other way.
//
// Invariant: a table lists one name per enumerator, in the enumerators' order (the enums it serves have
// no explicit values), so names[e] names e. Declare it with the enum's count,
//   constexpr EnumNames<Channel, 2> kChannelNames{{"email", "sms"}};
// and a new enumerator without a name fails to compile where the count is stated from the enum's own
// kAll… list (EnumNames<MessageKind, std::size(kAllMessageKinds)>), or fails the table's round-trip test.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace extcomm {

template <typename Enum, std::size_t N>
struct EnumNames {
    std::array<std::string_view, N> names;

    constexpr std::string_view operator()(Enum value) const {
        const auto i = static_cast<std::size_t>(value);
        return i < N ? names[i] : std::string_view("unknown");
    }

    constexpr std::optional<Enum> parse(std::string_view name) const {
        for (std::size_t i = 0; i < N; ++i)
            if (names[i] == name) return static_cast<Enum>(i);
        return std::nullopt;
    }

    // "a, b, c": the names a value may take, for error messages.
    std::string list() const {
        std::string out;
        for (std::string_view name : names) {
            if (!out.empty()) out += ", ";
            out += name;
        }
        return out;
    }
};

} // namespace extcomm
