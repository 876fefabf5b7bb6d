#pragma once
// A client task's page, for the client, not for the API: GET /t/{token} shows the task's message and each
// of its documents as a form of its client-visible questions (triggers/answers.hpp), with a checklist of
// what is done when there are several; POST /t/{token} saves a document's answers (to come back later) or
// submits them (once). No bearer token: the signed token (purpose client_task) is the authority and opens
// that one task only. A tampered or garbled link is a 404 page; an expired one (past the due date plus the
// agency's grace days) or a completed task a 410 page; neither shows any of the task. Pages are the shared
// public shell (public_page.hpp): no script, fit a phone, never cached, no referrer; posted bodies are
// capped before they are read (http_io.cpp body_limit).
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace extcomm::host {

// The link a client gets: `base_url` + "/t/" + token.
std::string client_task_url(const std::string& base_url, const std::string& token);

// Handles the request when `path` is /t/{token}; false when it is not.
bool route_client_task_pages(ApiContext& context, const std::string& method, const std::string& path,
                             Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
