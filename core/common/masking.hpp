#pragma once
// Addresses in logs and notices are shown partly hidden: enough for a person to recognise them, not
// enough to copy them.
#include <string>
#include <string_view>

namespace extcomm {

// "jo.smith@example.org" -> "j*******@example.org"; "+61491570156" -> "+61******156"; short or
// unrecognised values keep only their first character.
inline std::string masked_address(std::string_view address) {
    if (address.empty()) return {};
    if (auto at = address.rfind('@'); at != std::string_view::npos && at > 0)
        return std::string(address.substr(0, 1)) + std::string(at - 1, '*') + std::string(address.substr(at));
    if (address.size() >= 8) {
        std::size_t keep_front = address[0] == '+' ? 3 : 2;
        return std::string(address.substr(0, keep_front)) + std::string(address.size() - keep_front - 3, '*') +
               std::string(address.substr(address.size() - 3));
    }
    return std::string(address.substr(0, 1)) + std::string(address.size() - 1, '*');
}

} // namespace extcomm
