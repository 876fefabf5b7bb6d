#pragma once
// POST /v1/preview {kind, channel, facts, recipient?}: renders one message with the agency's current templates
// and settings, without sending or storing anything. Answers {subject, body, html_body, sms: {encoding,
// characters, units, segments} | null, dropped, truncated}; bad input is a 400 naming the field
// ("facts.start"), a message the settings do not allow a 422 naming the setting.
//
// With recipient {"worker": id} or {"client": id} it also answers what the senders would do for that person
// on that channel, from the sending pipeline's own rules (sending/rules.hpp): `recipient {worker|client, name,
// channel, to}` (the worker's address, or the client's consented one) and `decision {send, reason?,
// reason_text?}`, and renders with the person's facts (an event message to a worker names them when
// facts.worker is left out). A message nobody may receive (detail level "disallow") or that cannot be
// rendered with the settings is a 200 with a skip decision and no text. An unknown person is a 404 naming
// recipient.worker / recipient.client.
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace extcomm::host {

void post_preview(ApiContext& context, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
