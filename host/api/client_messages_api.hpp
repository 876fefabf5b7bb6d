#pragma once
// Messages staff write to a client: POST /v1/client-messages {client, context, subject, body, channel?,
// idempotency_key?} answers 202 with the decision per channel, or 403 with the reason where the agency
// does not allow it (Client Delivery off, the context not allowed, the channel disabled, no consent);
// refusals are kept in the message log too. GET /v1/client-messages/{id} shows the request again.
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace extcomm::host {

bool route_client_messages(ApiContext& context, const std::string& method, const std::string& path,
                           Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
