#pragma once
// The agency's settings through the API:
//   GET  /v1/settings                               every section
//   GET  /v1/settings/{section}                     one section (general, email, sms, worker_delivery, client_delivery, privacy)
//   PUT  /v1/settings/{section}                     the whole section; 400 naming the field; 200 with what was stored
//   GET  /v1/settings/templates                     every kind × channel: its text, default or not, its variables
//   GET|PUT|DELETE /v1/settings/templates/{kind}/{channel}   one template; DELETE goes back to the default
//   GET  /v1/audit?limit=&before=                   the changes, newest first
// Changes are audited with the caller's token name and the X-Extcomm-Actor header (the person in the
// case-management system who made the change).
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <optional>
#include <string>

namespace extcomm::host {

// `path` starts with /v1/settings or is /v1/audit; `token_name` names the caller's API token.
void handle_settings(ApiContext& context, const std::string& path, const std::string& token_name,
                     Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

// Who is making an audited change: the X-Extcomm-Actor header (optional; printable, at most 200 characters)
// and the token's name; or nothing, a 400 naming the header sent.
std::optional<agency::Actor> actor_of(const Poco::Net::HTTPServerRequest& request, const std::string& token_name,
                                      Poco::Net::HTTPServerResponse& response);

// The running transports and the channels they carry, for checking settings that name one.
// What settings are checked against: the running transports, the confirm links' length and, when given,
// the people store.
// The checks settings get beyond their own shape: the channels each transport carries, the confirm
// links' length, and (with `people`) that a named worker exists. `check-config` builds the same from the
// plugins it found, so it refuses what serve would.
using TransportChannels = std::map<std::string, std::set<Channel>>;
agency::SettingsCheck settings_check(const Config& config, TransportChannels channels, agency::PeopleStore* people = nullptr);
agency::SettingsCheck settings_check(const Config& config, const TransportSet& transports,
                                     agency::PeopleStore* people = nullptr);

} // namespace extcomm::host
