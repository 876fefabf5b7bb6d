#pragma once
// Records and document templates from the case-management system:
//   PUT/GET /v1/records/{kind}/{id}        a case, service file or document as it is now (kind: case,
//                                          service-file, document); the answer says what happened
//   PUT/GET /v1/document-templates/{id}    a document template: title, client-facing, questions
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace extcomm::host {

// Handles the request when `path` is one of the routes above; false when it is not.
bool route_records(ApiContext& context, const std::string& method, const std::string& path,
                   Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
