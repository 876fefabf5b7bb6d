#pragma once
// Calendar dates as ISO 8601 writes them ("2026-09-20"): a client's birth date, and the values criteria
// compare as dates. Such text sorts as the dates do, so comparing two of them compares the dates.
#include <string_view>

namespace extcomm {

inline bool is_iso_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    int parts[3] = {0, 0, 0};
    const std::size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
    for (int p = 0; p < 3; ++p)
        for (std::size_t i = 0; i < lengths[p]; ++i) {
            const char ch = text[starts[p] + i];
            if (ch < '0' || ch > '9') return false;
            parts[p] = parts[p] * 10 + (ch - '0');
        }
    const int year = parts[0], month = parts[1], day = parts[2];
    if (month < 1 || month > 12 || day < 1) return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int days[12] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return day <= days[month - 1];
}

} // namespace extcomm
