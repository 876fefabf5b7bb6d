// How one delivery attempt maps to an extcomm outcome. Retry policy stays in the host: this only says
// whether the failure is transient, permanent for the message, or a problem with the transport.
#pragma once

#include "transcript.hpp"

#include <extcomm/sdk.hpp>

#include <curl/curl.h>

#include <optional>
#include <string>

namespace extcomm::smtp {

struct Attempt {
    CURLcode curl = CURLE_OK;
    std::string curl_error;          // libcurl's description of a non-SMTP failure
    std::optional<Reply> failure;    // the server's refusal, if it refused
    Stage failure_stage = Stage::greeting;
    std::optional<Reply> acceptance; // the server's reply to the end of data, if it took the message
};

// The result for the message: accepted with `provider_message_id`, or the classified failure.
extcomm::sdk::Result outcome_of(const Attempt& attempt, const std::string& provider_message_id);

// Reply code and stage → outcome: 4yz retry; 5yz rejected for the message at RCPT/DATA, transport
// failure before that (greeting, EHLO, STARTTLS, AUTH such as 535, or a refused sender).
extcomm::sdk::Result outcome_of_reply(const Reply& reply, Stage stage);

// True when the failure came before anything specific to this message was sent (no connection, TLS,
// AUTH, a bad configuration): the rest of the batch would fail the same way, so it is not attempted.
bool fails_whole_batch(const Attempt& attempt);

} // namespace extcomm::smtp
