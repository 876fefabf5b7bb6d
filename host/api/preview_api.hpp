#pragma once
// POST /v1/preview {kind, channel, facts}: renders one message with the agency's current templates and
// settings, without sending or storing anything. Answers {subject, body, html_body, sms: {encoding,
// characters, units, segments} | null, dropped, truncated}; bad input is a 400 naming the field
// ("facts.start"), a message the settings do not allow a 422 naming the setting.
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace extcomm::host {

void post_preview(ApiContext& context, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

// "2026-03-03T14:30:00+11:00", "…Z", "…T14:30+1100", fractions of a second allowed: Unix ms, or nothing.
std::optional<TimeMs> parse_iso8601(const std::string& text);

} // namespace extcomm::host
