#pragma once
// POST /v1/messages and GET /v1/messages/{id}.
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace extcomm::host {

void post_messages(ApiContext& context, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
void get_message(ApiContext& context, const std::string& id, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
