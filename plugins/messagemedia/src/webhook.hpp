// MessageMedia webhooks: MessageMedia POSTs one delivery report or one reply per call to the callback_url
// (or account webhook). Turned into extcomm status updates.
#pragma once

#include "settings.hpp"

#include <extcomm/sdk.hpp>

namespace extcomm::messagemedia {

sdk::WebhookResult parse_webhook(const Settings& settings, const sdk::WebhookRequest& request);

} // namespace extcomm::messagemedia
