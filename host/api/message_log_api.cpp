#include <api/http_io.hpp>
#include <api/message_log_api.hpp>

#include <agency/people.hpp>

#include <Poco/URI.h>

#include <algorithm>
#include <regex>

namespace extcomm::host {
namespace json = boost::json;

json::object decision_json(const sending::Decision& d) {
    json::object out{{"request", d.request_id},
                     {"recipient", json::object{{"kind", sending::to_string(d.recipient)}, {"id", d.recipient_id}}},
                     {"channel", d.channel ? json::value(to_string(*d.channel)) : json::value(nullptr)},
                     {"outcome", d.sent ? "sent" : "skipped"},
                     {"to", d.to.empty() ? json::value(nullptr) : json::value(d.to)},
                     {"decided_at_ms", d.decided_at}};
    if (d.sent) {
        out["message_id"] = d.message_id;
    } else {
        out["reason"] = d.reason ? sending::to_string(*d.reason) : "unknown";
        out["reason_text"] = d.reason_text;
    }
    return out;
}

json::object request_json(const sending::MessageRequest& r, const std::vector<sending::Decision>& decisions, bool replayed) {
    json::array list;
    std::size_t sent = 0;
    for (const auto& d : decisions) {
        sent += d.sent ? 1 : 0;
        list.push_back(decision_json(d));
    }
    json::object out{{"id", r.id}, {"kind", r.kind}};
    if (r.kind == rendering::to_string(rendering::MessageKind::collaboration_message)) {
        out["type"] = r.about;
    } else {
        out["client"] = r.client;
        out["context"] = r.about;
    }
    out["subject"] = r.subject;
    out["created_at_ms"] = r.created_at;
    if (!r.refusal.empty()) out["refused"] = json::object{{"code", r.refusal_code}, {"reason", r.refusal}};
    out["replayed"] = replayed;
    out["sent"] = sent;
    out["skipped"] = decisions.size() - sent;
    out["decisions"] = std::move(list);
    return out;
}

bool route_message_requests(ApiContext& context, const std::string& kind, rendering::MessageKind request_kind,
                            PostMessageRequest post,
                            const std::string& method, const std::string& path, Poco::Net::HTTPServerRequest& request,
                            Poco::Net::HTTPServerResponse& response) {
    const std::string collection = "/v1/" + kind + "s";
    std::string words = kind; // "client-message" -> "client message"
    std::replace(words.begin(), words.end(), '-', ' ');
    if (path == collection) {
        if (method == "POST") return post(context, request, response), true;
        response.set("Allow", "POST");
        send_error(response, 405, "method_not_allowed", words + "s are sent with POST");
        return true;
    }
    if (path.rfind(collection + "/", 0) != 0) return false;
    static const std::regex id_form(R"(^[A-Za-z0-9-]{1,64}$)");
    const std::string id = path.substr(collection.size() + 1);
    if (!std::regex_match(id, id_form)) return false;
    if (method != "GET") {
        response.set("Allow", "GET");
        send_error(response, 405, "method_not_allowed", "a " + words + " is read with GET");
        return true;
    }
    auto found = context.decisions.request(id);
    if (!found || found->kind != rendering::to_string(request_kind)) return send_error(response, 404, "not_found", "no " + words + " '" + id + "'", "id"), true;
    send_json(response, 200, request_json(*found, context.decisions.of_request(found->id), false));
    return true;
}

bool route_message_log(ApiContext& context, const std::string& method, const std::string& path,
                       Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    if (path != "/v1/decisions") return false;
    if (method != "GET") {
        response.set("Allow", "GET");
        send_error(response, 405, "method_not_allowed", "the message log is read with GET");
        return true;
    }
    sending::DecisionFilter filter;
    for (const auto& [key, value] : Poco::URI(request.getURI()).getQueryParameters()) {
        if (key == "worker" || key == "client" || key == "request") {
            if (!agency::is_valid_id(value) && key != "request") {
                send_error(response, 400, "invalid", "must be an id (1 to 64 of A-Z a-z 0-9 . _ -)", key);
                return true;
            }
            (key == "worker" ? filter.worker : key == "client" ? filter.client : filter.request) = value;
        } else if (key == "limit") {
            try {
                std::size_t used = 0;
                filter.limit = std::stoi(value, &used);
                if (used != value.size() || filter.limit < 1 || filter.limit > 1000) throw std::invalid_argument(value);
            } catch (const std::exception&) {
                send_error(response, 400, "invalid", "must be a whole number from 1 to 1000", "limit");
                return true;
            }
        } else {
            send_error(response, 400, "invalid", "is not a known parameter (worker, client, request, limit)", key);
            return true;
        }
    }
    json::array list;
    for (const auto& d : context.decisions.find(filter)) list.push_back(decision_json(d));
    send_json(response, 200, json::object{{"decisions", list}});
    return true;
}

} // namespace extcomm::host
