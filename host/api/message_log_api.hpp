#pragma once
// The message log of messages people send: GET /v1/decisions?worker=&client=&request=&limit= (newest
// first), and the JSON shape of a request with its decisions that the worker-message and client-message
// routes answer with.
#include <api/api_context.hpp>
#include <api/http_io.hpp>
#include <rendering/message_kind.hpp>

#include <sending/message_log.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extcomm::host {

boost::json::object decision_json(const sending::Decision& decision);
// {id, kind, type|context, subject, client?, created_at_ms, replayed, sent, skipped, decisions: [...]}
boost::json::object request_json(const sending::MessageRequest& request, const std::vector<sending::Decision>& decisions,
                                 bool replayed);

// The routes of one kind of message request (`kind` "worker-message" or "client-message", requests of
// `request_kind`): POST /v1/{kind}s sends through `post`, GET /v1/{kind}s/{id} reads one back with its
// decisions. Returns false
// when `path` is not theirs.
// Sends through `send` (called with the settings as they are now); a store failure is answered 503 and
// nothing is returned.
template <typename Send>
auto send_now(ApiContext& context, Poco::Net::HTTPServerResponse& response, std::string_view what, Send send)
    -> std::optional<decltype(send(*context.settings.current()))> {
    try {
        return send(*context.settings.current());
    } catch (const std::exception& e) {
        spdlog::error("{}: {}", what, e.what());
        send_error(response, 503, "store_unavailable", "the message store could not commit; try again");
        return std::nullopt;
    }
}

using PostMessageRequest = void (*)(ApiContext&, Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&);
bool route_message_requests(ApiContext& context, const std::string& kind, rendering::MessageKind request_kind,
                            PostMessageRequest post,
                            const std::string& method, const std::string& path, Poco::Net::HTTPServerRequest& request,
                            Poco::Net::HTTPServerResponse& response);

bool route_message_log(ApiContext& context, const std::string& method, const std::string& path,
                       Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

} // namespace extcomm::host
