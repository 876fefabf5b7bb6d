#pragma once
// Discussions for staff (discussions/discussions.hpp): POST /v1/discussions {client, workers, subject,
// message, context?} starts one and emails the client (201 with the thread and the email's message id);
// GET /v1/discussions/{id} shows the thread; POST /v1/discussions/{id}/messages {worker, message} is a
// worker's reply, emailed to the client with a fresh link (201). Every refusal is a 400 naming the field:
// an unknown client or worker, Client Delivery off or the place not allowed (as for client messages), a
// client without a consented email address in use. Without confirm_links.base_url there are no links to
// send: 503.
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace extcomm::host {

bool route_discussions(ApiContext& context, const std::string& method, const std::string& path,
                       Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
