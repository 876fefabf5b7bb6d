// Fuzzes the configuration loader (host/config: JSON parsing, ${VAR} substitution, the schema check and
// the checks only the service makes) with a configuration file's text, as `extcomm check-config` and
// `extcomm serve` read it. Invariants: a configuration is either accepted with no problem or refused with
// at least one, and every problem says what is wrong.
#include "invariant.hpp"

#include <config/config.hpp>

#include <cstdlib>
#include <string_view>

using namespace extcomm;

// The variable the seeds' tokens name (as the shipped configuration does), so inputs get past the
// substitution to the schema and the service's own checks.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
    ::setenv("EXTCOMM_API_TOKEN", "a-token-of-sixteen-chars", 1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const host::ConfigResult result = host::load_config_text(text, "fuzz.json");
    fuzz::require(result.config.has_value() == result.problems.empty(), "a configuration is accepted or refused with reasons");
    for (const auto& problem : result.problems) fuzz::require(!problem.message.empty(), "every problem says what is wrong");
    return 0;
}
