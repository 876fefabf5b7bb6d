#pragma once
// Verification codes for the case-management system's logins (role integration):
//   POST /v1/verification-codes {worker, purpose: login | trusted-device | password-reset, channel: email | sms |
//        either} → 202 {id}: the code goes to the worker's own address or number, never into an answer;
//        refused with the reason: 403 (disabled, channel-not-allowed), 422 (no-address), 429 with
//        Retry-After (worker-daily-limit, total-daily-limit), 503 (channel-unavailable: the case-management
//        system can offer the other channel).
//   POST /v1/verification-codes/{id}/verify {code} → 200 {result: valid | invalid | expired | used | locked,
//        worker, purpose}; 404 for an unknown id.
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace extcomm::host {

bool route_verification_codes(ApiContext& context, const std::string& method, const std::string& path,
                              Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
