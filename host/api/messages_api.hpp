#pragma once
// POST /v1/messages and GET /v1/messages/{id}.
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string_view>

namespace extcomm::host {

// Whether a POST /v1/messages body asks for one message (or is refused before anything is read): its
// handler reads nothing from the store and waits for nothing, as the commit answers it later. A batch
// first looks its idempotency keys up in the store; a body over 64 KiB is left to the pool as well.
bool posts_one_message(std::string_view body);
void post_messages(ApiContext& context, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
void get_message(ApiContext& context, const std::string& id, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
