#pragma once
// A discussion's page, for its client, not for the API: GET /d/{token} shows the thread (who wrote what,
// when, in the agency's time zone; the workers' rich text as allow-listed HTML, the client's text as text)
// and a reply box; POST /d/{token} with the form's `message` stores the client's reply, tells the
// discussion's workers, and answers 303 to the page again (Post/Redirect/Get), which then says the reply
// was sent. An empty or too long reply is the page again (400) with the error next to the box and the text
// kept. No bearer token: the signed token (events/confirm_token.hpp, purpose discussion) is the authority
// and opens that one discussion. A tampered or unknown link is a 404 page, an expired one (30 days after it
// was sent) a 410 page, both without any of the discussion. Pages share the public shell
// (public_page.hpp): never cached, no referrer, no script.
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace extcomm::host {

// The link a client gets: `base_url` + "/d/" + token.
std::string discussion_link_url(const std::string& base_url, const std::string& token);

// Handles the request when `path` is /d/{token}; false when it is not.
bool route_discussion_pages(ApiContext& context, const std::string& method, const std::string& path,
                            Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
