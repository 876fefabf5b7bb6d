#pragma once
// GET /v1/openapi.json: the API's OpenAPI 3.0 description (config/openapi.json, embedded at build time).
// Served without a token: it describes the routes and holds no data, and tools fetch it unauthenticated.
#include <Poco/Net/HTTPServerResponse.h>

#include <boost/json.hpp>

namespace extcomm::host {

const boost::json::value& openapi_document();

void get_openapi(Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
