#pragma once
// People: PUT/GET /v1/workers/{id}, PUT /v1/workers/{id}/presence, PUT/GET /v1/worker-categories/{id},
// PUT/GET /v1/clients/{id}, PUT/GET /v1/sites/{id}.
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace extcomm::host {

// Handles the request when `path` is one of the routes above; false when it is not.
bool route_people(ApiContext& context, const std::string& method, const std::string& path,
                  Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
