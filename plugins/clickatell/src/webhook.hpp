// Clickatell legacy callbacks: the message status callback and the MO (reply) callback, sent as GET
// query parameters or a POST form.
#pragma once

#include "settings.hpp"

#include <extcomm/sdk.hpp>

namespace extcomm::clickatell {

// Status callback (apiMsgId, cliMsgId, to, timestamp, status, ...) -> one STATUS update;
// MO callback (moMsgId, from, to, timestamp, text, ...) -> one REPLY update.
// 400 when neither; 403 when the callback carries an api_id that is not this transport's.
sdk::WebhookResult parse_callback(const Settings& settings, const sdk::WebhookRequest& request);

// Message status code (001..014) -> extcomm delivery status; false for a code we do not know.
bool delivery_status_of(std::string_view code, extcomm_delivery_status* status, const char** meaning);

} // namespace extcomm::clickatell
