// BulkSMS webhooks: BulkSMS POSTs a JSON array of Message objects (type SENT: status changes; type
// RECEIVED: replies). Turned into extcomm status updates.
#pragma once

#include "settings.hpp"

#include <extcomm/sdk.hpp>

namespace extcomm::bulksms {

sdk::WebhookResult parse_webhook(const Settings& settings, const sdk::WebhookRequest& request);

} // namespace extcomm::bulksms
