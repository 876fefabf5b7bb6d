#include "outcome.hpp"

namespace extcomm::smtp {

using extcomm::sdk::Outcome;
using extcomm::sdk::Result;

namespace {

bool before_message(Stage stage) {
    return stage == Stage::greeting || stage == Stage::ehlo || stage == Stage::starttls || stage == Stage::auth;
}

std::string described(const Reply& reply, Stage stage) {
    std::string text = reply.text.empty() ? "(no text)" : reply.text;
    return text + " (reply to " + std::string(stage == Stage::greeting ? "connect" : name_of(stage)) + ")";
}

Result outcome_of_curl(CURLcode code, const std::string& error) {
    std::string text = error.empty() ? std::string(curl_easy_strerror(code)) : error;
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST: return Result::retry("dns", text);
    case CURLE_COULDNT_CONNECT: return Result::retry("connect", text);
    case CURLE_OPERATION_TIMEDOUT: return Result::retry("timeout", text);
    case CURLE_SSL_CONNECT_ERROR: return Result::retry("tls", text);
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_WEIRD_SERVER_REPLY: return Result::retry("network", text);
    // An untrusted or mismatched certificate does not heal by retrying: an operator must fix the CA
    // file or find out who is answering in the server's place.
    case CURLE_PEER_FAILED_VERIFICATION: return Result::transport_failure("tls-verify", text);
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED: return Result::transport_failure("tls-config", text);
    // STARTTLS required but not offered: sending anyway would expose the message (stripping attack).
    case CURLE_USE_SSL_FAILED: return Result::transport_failure("starttls-refused", text);
    case CURLE_LOGIN_DENIED: return Result::transport_failure("auth", text);
    default: return Result::internal("libcurl: " + text);
    }
}

} // namespace

Result outcome_of_reply(const Reply& reply, Stage stage) {
    std::string code = reply.provider_code();
    std::string text = described(reply, stage);
    if (reply.code < 500) return Result::retry(code, text);
    if (before_message(stage)) return Result::transport_failure(code, text);
    if (stage == Stage::mail) {
        // 552 at MAIL is about this message's size; any other refusal of the sender is configuration.
        if (reply.code == 552) return Result::rejected(code, text);
        return Result::transport_failure(code, text);
    }
    if (stage == Stage::rcpt && reply.code == 530) return Result::transport_failure(code, text); // AUTH needed
    return Result::rejected(code, text);
}

Result outcome_of(const Attempt& attempt, const std::string& provider_message_id) {
    if (attempt.failure) return outcome_of_reply(*attempt.failure, attempt.failure_stage);
    if (attempt.curl != CURLE_OK) return outcome_of_curl(attempt.curl, attempt.curl_error);
    if (attempt.acceptance)
        return Result::accepted(provider_message_id, attempt.acceptance->provider_code(), attempt.acceptance->text);
    return Result::accepted(provider_message_id, "250", "");
}

bool fails_whole_batch(const Attempt& attempt) {
    if (attempt.failure) {
        return before_message(attempt.failure_stage) ||
               outcome_of_reply(*attempt.failure, attempt.failure_stage).outcome == Outcome::transport_failure;
    }
    return attempt.curl != CURLE_OK;
}

} // namespace extcomm::smtp
