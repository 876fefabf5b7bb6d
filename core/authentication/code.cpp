#include <authentication/code.hpp>
#include <common/enum_names.hpp>

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/RandomStream.h>
#include <Poco/SHA2Engine.h>

#include <date/tz.h>

#include <chrono>
#include <stdexcept>

namespace extcomm::authentication {
namespace {

constexpr EnumNames<CodePurpose, std::size(kAllCodePurposes)> kPurposeNames{{"login", "trusted-device", "password-reset"}};
constexpr EnumNames<CodeState, std::size(kAllCodeStates)> kStateNames{{"pending", "used", "superseded", "locked"}};
constexpr EnumNames<Verdict, std::size(kAllVerdicts)> kVerdictNames{{"valid", "invalid", "expired", "used", "locked"}};
constexpr EnumNames<DailyLimit, 2> kLimitNames{{"worker-daily-limit", "total-daily-limit"}};

// Poco 1.11's SHA2Engine lacks the block and digest sizes HMACEngine asks its engine for.
class Sha256Engine : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256Engine() : Poco::SHA2Engine(SHA_256) {}
};

} // namespace

std::string_view to_string(CodePurpose purpose) { return kPurposeNames(purpose); }
std::optional<CodePurpose> code_purpose_from(std::string_view name) { return kPurposeNames.parse(name); }
std::string code_purpose_names() { return kPurposeNames.list(); }
std::string_view to_string(CodeState state) { return kStateNames(state); }
std::optional<CodeState> code_state_from(std::string_view name) { return kStateNames.parse(name); }
std::string_view to_string(Verdict verdict) { return kVerdictNames(verdict); }
std::string_view to_string(DailyLimit limit) { return kLimitNames(limit); }

std::string new_code(int digits) {
    Poco::RandomInputStream random;
    std::string code;
    while (static_cast<int>(code.size()) < digits) {
        unsigned char byte = 0;
        random.read(reinterpret_cast<char*>(&byte), 1);
        // 250 = 25 × 10: bytes above it would make the low digits likelier.
        if (byte < 250) code += static_cast<char>('0' + byte % 10);
    }
    return code;
}

std::string code_hash(std::string_view key, std::string_view code_id, std::string_view code) {
    Poco::HMACEngine<Sha256Engine> hmac{std::string(key)};
    hmac.update(std::string(code_id) + "\n" + std::string(code));
    return Poco::DigestEngine::digestToHex(hmac.digest());
}

bool same_hash(std::string_view a, std::string_view b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
    return diff == 0;
}

Judgement judge(const CodeStanding& code, bool matches, TimeMs now, int max_wrong_attempts) {
    Judgement out{Verdict::invalid, code};
    switch (code.state) {
    case CodeState::used: out.verdict = Verdict::used; return out;
    case CodeState::locked: out.verdict = Verdict::locked; return out;
    case CodeState::superseded: out.verdict = Verdict::expired; return out;
    case CodeState::pending: break;
    }
    if (now >= code.expires_at) {
        out.verdict = Verdict::expired;
    } else if (matches) {
        out.verdict = Verdict::valid;
        out.after.state = CodeState::used;
    } else if (++out.after.wrong_attempts >= max_wrong_attempts) {
        out.verdict = Verdict::locked; // this answer used up the last attempt
        out.after.state = CodeState::locked;
    }
    return out;
}

std::optional<AgencyDay> agency_day(TimeMs now, std::string_view zone) {
    const date::time_zone* tz = nullptr;
    try {
        tz = date::locate_zone(std::string(zone));
    } catch (const std::exception&) { // date/tz reports an unknown name by throwing
        return std::nullopt;
    }
    using namespace std::chrono;
    const sys_time<milliseconds> instant{milliseconds{now}};
    const auto local_day = date::floor<date::days>(tz->to_local(instant));
    // The next day's first instant; a midnight skipped by a DST change is the first instant after it.
    const auto next = tz->to_sys(local_day + date::days{1}, date::choose::earliest);
    AgencyDay out;
    out.date = date::format("%F", local_day);
    out.next_midnight = duration_cast<milliseconds>(next.time_since_epoch()).count();
    return out;
}

std::optional<DailyLimit> limit_reached(int worker_codes, int total_codes, const agency::AuthenticationSettings& settings) {
    if (worker_codes >= settings.max_codes_per_worker_per_day) return DailyLimit::per_worker;
    if (total_codes >= settings.max_codes_per_day) return DailyLimit::total;
    return std::nullopt;
}

} // namespace extcomm::authentication
