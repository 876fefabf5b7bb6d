#pragma once
// GET /v1/transports and POST /v1/transports/{name}/resume: what an operator sees and does.
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerResponse.h>

namespace extcomm::host {

void get_transports(ApiContext& context, Poco::Net::HTTPServerResponse& response);
void resume_transport(ApiContext& context, const std::string& name, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
