#pragma once
// The logs of action triggers. The firing log: GET /v1/trigger-firings?rule=&record=&limit=&before= (newest first;
// `before` pages back by an entry's seq): per rule whose trigger matched a change, whether it fired, each
// criterion's outcome, the actions taken and each recipient's decision as the message log has it. The
// error log: GET /v1/errors?limit=&before= (newest first): actions that had nobody to go to.
#include <api/api_context.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <boost/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace extcomm::host {

// Firing log entries with each Alert / Notification's decisions (GET /v1/decisions' form) added.
boost::json::array firings_json(ApiContext& context, const std::vector<boost::json::object>& entries);
// What a PUT answers of its change's firings: the rules that fired (firings_json) and how many were
// evaluated; the log (GET /v1/trigger-firings) has every entry, fired or not.
void add_fired(ApiContext& context, const std::vector<boost::json::object>& entries, boost::json::object& answer);

// A log's paging parameters: `limit` (1 to 500) and `before` (a whole number). Nothing when `key` is neither;
// false when its value is refused (400 sent), true when read.
std::optional<bool> read_paging(const std::string& key, const std::string& value, int& limit,
                                std::optional<std::int64_t>& before, Poco::Net::HTTPServerResponse& response);

// A GET-only log's query: another method is refused (405 with Allow); `limit` and `before` are read as
// read_paging does and every other parameter by `other`, which returns false for one it does not know
// (400 naming `known`). Returns false when it answered.
bool read_log_query(const std::string& method, const std::string& path, const std::string& known,
                    Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, int& limit,
                    std::optional<std::int64_t>& before, const std::function<bool(const std::string&, const std::string&)>& other);

bool route_trigger_errors(ApiContext& context, const std::string& method, const std::string& path,
                          Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
bool route_trigger_firings(ApiContext& context, const std::string& method, const std::string& path,
                           Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
