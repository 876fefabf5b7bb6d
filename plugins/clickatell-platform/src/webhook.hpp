// Clickatell Platform callbacks: the message status callback and the MO (reply) callback, as POST JSON
// or GET query parameters.
#pragma once

#include "settings.hpp"

#include <extcomm/sdk.hpp>

namespace extcomm::clickatell_platform {

// Status callback {messageId, clientMessageId, to, statusCode, status, timestamp, ...} -> one STATUS update;
// MO callback {messageId, fromNumber, toNumber, text, timestamp, ...} -> one REPLY update.
// 400 when neither; 403 when it carries an apiKey that is not this transport's.
sdk::WebhookResult parse_callback(const Settings& settings, const sdk::WebhookRequest& request);

// A status (name first, else numeric code) -> extcomm delivery status; false when unknown.
bool delivery_status_of(std::string_view name, std::string_view code, extcomm_delivery_status* status);

} // namespace extcomm::clickatell_platform
