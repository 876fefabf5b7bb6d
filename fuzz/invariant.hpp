#pragma once
// How a fuzz target states what must hold beyond "does not crash": a broken invariant aborts with its
// wording, so libFuzzer reports it as a crash and keeps the input that broke it.
#include <cstdio>
#include <cstdlib>

namespace extcomm::fuzz {

inline void require(bool holds, const char* invariant) {
    if (holds) return;
    std::fprintf(stderr, "invariant broken: %s\n", invariant);
    std::abort();
}

} // namespace extcomm::fuzz
