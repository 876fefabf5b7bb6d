#pragma once
// Collaboration messages to workers: POST /v1/worker-messages {type, subject, body?, recipients: {workers?,
// categories?}, idempotency_key?} (or an Idempotency-Key header) answers 202 with each recipient's decision;
// GET /v1/worker-messages/{id} shows them again. A retried POST with the same key answers 200 with the
// first answer and sends nothing.
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace extcomm::host {

bool route_worker_messages(ApiContext& context, const std::string& method, const std::string& path,
                           Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
