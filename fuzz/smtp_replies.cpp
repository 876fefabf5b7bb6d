// Fuzzes the SMTP plugin's reading of server replies (Transcript: multi-line replies, enhanced codes, the
// stage each came in) and the outcome mapped from them, with an SMTP dialogue written as RFC 5321's
// examples are: "C: <command>" for what libcurl sent, "S: <reply line>" for what the server answered.
// Invariants: a failure is a 4yz/5yz reply and never maps to "accepted"; an acceptance is a 2yz reply to
// the end of data and maps to "accepted" when nothing failed; a reply's text is one line (no line break).
#include "invariant.hpp"

#include "outcome.hpp"
#include "transcript.hpp"

#include <string_view>

using namespace extcomm;

namespace {

void check_reply(const smtp::Reply& reply) {
    fuzz::require(reply.text.find('\n') == std::string::npos, "a reply's text is one line");
    fuzz::require(reply.provider_code().starts_with(std::to_string(reply.code)), "the provider code starts with the reply code");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    smtp::Transcript transcript;
    transcript.begin();
    while (!text.empty()) {
        const auto end = text.find('\n');
        const std::string_view line = text.substr(0, end == std::string_view::npos ? text.size() : end + 1);
        text.remove_prefix(line.size());
        if (line.starts_with("C: ")) transcript.sent(line.substr(3));
        else if (line.starts_with("S: ")) transcript.received(line.substr(3));
    }
    smtp::Attempt attempt{CURLE_OK, "", transcript.failure(), transcript.failure_stage(), transcript.acceptance()};
    const sdk::Result result = smtp::outcome_of(attempt, "<id@extcomm>");
    if (attempt.failure) {
        check_reply(*attempt.failure);
        fuzz::require(attempt.failure->code >= 400, "a failure is a 4yz or 5yz reply");
        fuzz::require(result.outcome != sdk::Outcome::accepted, "a refused message is not accepted");
    } else if (attempt.acceptance) {
        check_reply(*attempt.acceptance);
        fuzz::require(attempt.acceptance->code / 100 == 2, "an acceptance is a 2yz reply");
        fuzz::require(result.outcome == sdk::Outcome::accepted, "a message the server took is accepted");
    }
    return 0;
}
