#pragma once
// Action trigger rules through the API (admin to change, viewer to read):
//   GET  /v1/action-triggers/catalogue           every trigger: category, parameters, other recipients,
//                                                the client it can assign to, time-based or not
//   GET  /v1/action-triggers                     every rule; POST one (server-assigned id) → 201
//   GET|PUT|DELETE /v1/action-triggers/{id}      one rule; PUT replaces it (trigger and template fixed)
//   POST /v1/action-triggers/{id}/enable|disable|copy
// Every change is audited like the settings (GET /v1/audit, target "action-triggers.<id>").
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace extcomm::host {

// Handles the request when `path` is one of the routes above; false when it is not. `token_name`: the
// caller's API token, for the audit.
bool route_action_triggers(ApiContext& context, const std::string& method, const std::string& path,
                           const std::string& token_name, Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
