#pragma once
// Verification codes, the pure part: making a code, its keyed hash, judging an attempt, and the agency's
// day the daily limits count in.
//
// Invariants:
// - A code exists in clear only between new_code() and the message that carries it (whose text is
//   erased at its final state): the store keeps code_hash() of it, an HMAC under the store's key bound to
//   the code's id, so the table is no list of codes and equal codes have unrelated hashes.
// - Hashes are compared in constant time (same_hash), and a code takes at most max_wrong_attempts wrong
//   answers before it is locked for good.
#include <agency/settings.hpp>
#include <common/clock.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace extcomm::authentication {

// What a code is for.
enum class CodePurpose { login, trusted_device, password_reset };
inline constexpr CodePurpose kAllCodePurposes[] = {CodePurpose::login, CodePurpose::trusted_device,
                                                   CodePurpose::password_reset};
std::string_view to_string(CodePurpose purpose); // "login", "trusted-device", "password-reset"
std::optional<CodePurpose> code_purpose_from(std::string_view name);
std::string code_purpose_names();

// Where a stored code stands: waiting for its answer, answered, replaced by a newer one, or locked.
enum class CodeState { pending, used, superseded, locked };
inline constexpr CodeState kAllCodeStates[] = {CodeState::pending, CodeState::used, CodeState::superseded,
                                               CodeState::locked};
std::string_view to_string(CodeState state);
std::optional<CodeState> code_state_from(std::string_view name);

// The answer to an attempt.
enum class Verdict { valid, invalid, expired, used, locked };
inline constexpr Verdict kAllVerdicts[] = {Verdict::valid, Verdict::invalid, Verdict::expired, Verdict::used,
                                           Verdict::locked};
std::string_view to_string(Verdict verdict);

// `digits` decimal digits, each uniform, from the system's CSPRNG.
std::string new_code(int digits);
// HMAC-SHA256(key, id "\n" code) in hex.
std::string code_hash(std::string_view key, std::string_view code_id, std::string_view code);
// Every character compared whatever the first difference.
bool same_hash(std::string_view a, std::string_view b);

// A stored code as an attempt finds it, and what the attempt leaves.
struct CodeStanding {
    CodeState state = CodeState::pending;
    int wrong_attempts = 0;
    TimeMs expires_at = 0;
};
struct Judgement {
    Verdict verdict = Verdict::invalid;
    CodeStanding after;
};
// A superseded code answers expired: a newer one took its place.
Judgement judge(const CodeStanding& code, bool matches, TimeMs now, int max_wrong_attempts);

// The agency's day at `now` in `zone`: its date (YYYY-MM-DD) and when the next one begins (UTC ms).
struct AgencyDay {
    std::string date;
    TimeMs next_midnight = 0;
};
std::optional<AgencyDay> agency_day(TimeMs now, std::string_view zone);

// Which daily limit a code would exceed, given the codes already sent today (the worker's, everyone's).
enum class DailyLimit { per_worker, total };
std::optional<DailyLimit> limit_reached(int worker_codes, int total_codes, const agency::AuthenticationSettings& settings);
std::string_view to_string(DailyLimit limit); // "worker-daily-limit", "total-daily-limit"

} // namespace extcomm::authentication
