#pragma once
// POST (or GET) /v1/webhooks/{transport}?secret=...: a provider's delivery receipts and replies.
// Authenticated by the transport's webhook_secret (not by API tokens: providers cannot send those),
// parsed by the transport's plugin, applied by Receipts. Answers:
//   200 understood (including receipts for messages we do not know: the provider must stop retrying)
//   401 missing or wrong secret; 403 the transport has no webhook_secret configured
//   404 no such enabled transport, or its plugin has no webhook support
//   400 (or the plugin's 4xx) not the provider's format; 503 the store could not record it (retry)
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <optional>
#include <string>

namespace extcomm::host {

void handle_webhook(ApiContext& context, const std::string& transport, Poco::Net::HTTPServerRequest& request,
                    Poco::Net::HTTPServerResponse& response);

// The query without its `secret` parameter (what plugins and logs may see).
// `secret` is set when the query has one.
std::string query_without_secret(const std::string& query, std::optional<std::string>& secret);

} // namespace extcomm::host
