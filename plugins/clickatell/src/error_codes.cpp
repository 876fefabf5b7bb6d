#include "error_codes.hpp"

#include <algorithm>
#include <string>

namespace extcomm::clickatell {

using sdk::Outcome;

namespace {

constexpr ErrorCode kCodes[] = {
    {"001", Outcome::transport_failure, "Authentication failed"},
    {"002", Outcome::transport_failure, "Unknown username or password"},
    {"003", Outcome::retry, "Session ID expired"},
    {"004", Outcome::transport_failure, "Account frozen"},
    {"007", Outcome::transport_failure, "IP Lockdown violation"},
    {"100", Outcome::rejected, "Data malformed"},
    {"101", Outcome::rejected, "Invalid or missing parameters"},
    {"103", Outcome::rejected, "Unknown API message ID"},
    {"104", Outcome::rejected, "Unknown client message ID"},
    {"105", Outcome::rejected, "Invalid destination address"},
    {"106", Outcome::rejected, "Invalid source address"},
    {"107", Outcome::rejected, "Empty message"},
    {"108", Outcome::transport_failure, "Invalid or missing API ID"},
    {"113", Outcome::rejected, "Maximum message parts exceeded"},
    {"114", Outcome::rejected, "Cannot route message"},
    {"115", Outcome::rejected, "Message expired"},
    {"116", Outcome::rejected, "Invalid Unicode data"},
    {"121", Outcome::rejected, "Destination mobile number blocked"},
    {"122", Outcome::rejected, "Destination mobile opted out"},
    {"123", Outcome::transport_failure, "Invalid Sender ID"},
    {"128", Outcome::rejected, "Number delisted"},
    {"130", Outcome::retry, "Maximum MT limit exceeded until <UNIX TIME STAMP>"},
    {"301", Outcome::transport_failure, "No credit left"},
    {"302", Outcome::transport_failure, "Max allowed credit"},
    {"901", Outcome::retry, "Internal error"},
};

// 130's text ends with the Unix time the limit lifts; the hint is the time left, in ms.
uint32_t retry_after_from_130(std::string_view text, int64_t now_ms) {
    size_t end = text.size();
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '.')) --end;
    size_t begin = end;
    while (begin > 0 && text[begin - 1] >= '0' && text[begin - 1] <= '9') --begin;
    if (begin == end || end - begin > 12) return 0;
    int64_t until_ms = std::stoll(std::string(text.substr(begin, end - begin))) * 1000;
    int64_t left = until_ms - now_ms;
    if (left <= 0) return 0;
    return static_cast<uint32_t>(std::min<int64_t>(left, 24LL * 3600 * 1000));
}

sdk::Result make(Outcome outcome, std::string code, std::string text, uint32_t after_ms = 0) {
    sdk::Result r;
    r.outcome = outcome;
    r.provider_code = std::move(code);
    r.provider_text = std::move(text);
    r.retry_after_ms = outcome == Outcome::retry ? after_ms : 0;
    return r;
}

} // namespace

const ErrorCode* error_codes(size_t* count) {
    *count = std::size(kCodes);
    return kCodes;
}

sdk::Result result_for_error(std::string_view code, std::string_view text, int64_t now_ms) {
    std::string c(code), t(text);
    for (const ErrorCode& e : kCodes) {
        if (code != e.code) continue;
        if (t.empty()) t = e.meaning;
        uint32_t after = c == "130" ? retry_after_from_130(text, now_ms) : 0;
        return make(e.outcome, c, t, after);
    }
    if (t.empty()) t = "unknown Clickatell error";
    char first = code.empty() ? '?' : code.front();
    if (first == '0' || first == '3') return make(Outcome::transport_failure, c, t);
    if (first == '1' || first == '2') return make(Outcome::rejected, c, t);
    if (first == '9') return make(Outcome::retry, c, t);
    return make(Outcome::internal, c, "unrecognised Clickatell error: " + t);
}

} // namespace extcomm::clickatell
