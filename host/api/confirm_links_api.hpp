#pragma once
// The confirm link's pages, for clients, not for the API: GET /c/{token} shows the appointment (as the
// privacy switches allow) with a Confirm button, POST /c/{token} confirms it (once; a repeat says it is
// confirmed already). No bearer token: the signed token is the authority (events/confirm_token.hpp). A
// tampered or garbled link is a 404 page and an expired one (started, moved, cancelled) a 410 page, both
// without any appointment data. Pages are small HTML with a viewport for phones, every value HTML-escaped,
// never cached, never sending the link on as a referrer.
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <boost/json.hpp>

#include <string>

namespace extcomm::host {

// The link clients get: `base_url` (the public URL of this service behind the agency's proxy) + "/c/" + token.
std::string confirm_link_url(const std::string& base_url, const std::string& token);
// How many characters those links take; 0 without a base URL (no links).
std::size_t confirm_link_characters(const std::string& base_url);

// Handles the request when `path` is /c/{token}; false when it is not.
bool route_confirm_pages(ApiContext& context, const std::string& method, const std::string& path,
                         Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

// An event's confirmations for its current start, for GET /v1/service-events/{id}:
// [{"client", "sent_at", "confirmed_at", "via"}] (times ISO 8601 in `offset_minutes`; null when not yet).
boost::json::array event_confirmations_json(ApiContext& context, const std::string& event_id, int offset_minutes);

} // namespace extcomm::host
