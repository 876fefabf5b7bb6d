#pragma once
// Service events from Penelope: PUT /v1/service-events/{id} (the event as it is now; the answer says what
// happened, the notices decided per client and worker with their messages, and the pending schedules) and
// GET /v1/service-events/{id} (current and previous versions, pending schedules).
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace extcomm::host {

// Handles the request when `path` is one of the routes above; false when it is not.
bool route_service_events(ApiContext& context, const std::string& method, const std::string& path,
                          Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
