#include <api/http_io.hpp>
#include <api/records_api.hpp>
#include <api/trigger_firings_api.hpp>

#include <agency/people.hpp>
#include <triggers/records.hpp>

#include <regex>

namespace extcomm::host {
namespace json = boost::json;
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

json::object happened_json(const triggers::RecordChange& change) {
    json::array fields;
    for (const auto& f : change.fields_changed) fields.emplace_back(f);
    json::object out{{"created", change.created}, {"fields_changed", std::move(fields)}, {"state_changed", change.state_changed}};
    out["state_before"] = change.state_before ? json::value(triggers::to_string(*change.state_before)) : json::value(nullptr);
    out["nothing"] = change.nothing();
    return out;
}

json::object stored_json(const triggers::StoredRecord& stored) {
    return {{"kind", triggers::to_string(stored.current.kind)},
            {"id", stored.current.id},
            {"version", stored.version},
            {"record", triggers::to_json(stored.current)},
            {"previous", stored.previous ? json::value(triggers::to_json(*stored.previous)) : json::value(nullptr)},
            {"updated_at_ms", stored.updated_at}};
}

void put_record(ApiContext& context, triggers::RecordKind kind, const std::string& id, HTTPServerRequest& request,
                HTTPServerResponse& response) {
    auto body = json_body(request, response);
    if (!body) return;
    auto read = triggers::record_from_api(kind, id, *body);
    if (auto* error = std::get_if<FieldError>(&read)) return send_invalid(response, *error);
    const triggers::RecordApplied applied = context.records.put(*context.settings.current(), std::get<triggers::Record>(read));
    json::object answer = stored_json(applied.stored);
    answer["happened"] = happened_json(applied.change);
    add_fired(context, applied.fired.firings, answer);
    send_json(response, applied.change.created ? 201 : 200, answer);
    if (!applied.fired.message_ids.empty()) context.dispatcher.wake();
}

// The record was closed in the case-management system: extcomm forgets it and its time-based rows.
void close_record(ApiContext& context, triggers::RecordKind kind, const std::string& id, const std::string& not_found,
                  HTTPServerResponse& response) {
    if (!context.records.close(kind, id)) return send_error(response, 404, "not_found", not_found, "id");
    response.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
    response.setContentLength(0);
    response.send();
}

void put_template(ApiContext& context, const std::string& id, HTTPServerRequest& request, HTTPServerResponse& response) {
    auto body = json_body(request, response);
    if (!body) return;
    auto read = triggers::document_template_from_api(id, *body);
    if (auto* error = std::get_if<FieldError>(&read)) return send_invalid(response, *error);
    const auto& tmpl = std::get<triggers::DocumentTemplate>(read);
    const bool created = context.records.put_template(tmpl);
    json::object answer = triggers::to_json(tmpl);
    answer["id"] = id;
    send_json(response, created ? 201 : 200, answer);
}

// Records are also closed (DELETE); document templates are not.
bool method_refused(const std::string& method, const std::string& path, bool record, HTTPServerResponse& response) {
    if (method == "PUT" || method == "GET" || (record && method == "DELETE")) return false;
    response.set("Allow", record ? "GET, PUT, DELETE" : "GET, PUT");
    send_error(response, 405, "method_not_allowed", method + " is not allowed on " + path);
    return true;
}

} // namespace

bool route_records(ApiContext& context, const std::string& method, const std::string& path, HTTPServerRequest& request,
                   HTTPServerResponse& response) {
    static const std::regex record_path(R"(^/v1/records/([^/]*)/([^/]*)$)");
    static const std::regex template_path(R"(^/v1/document-templates/([^/]*)$)");
    std::smatch m;
    const bool record = std::regex_match(path, m, record_path);
    if (!record && !std::regex_match(path, m, template_path)) return false;
    if (method_refused(method, path, record, response)) return true;
    const std::string id = m[record ? 2 : 1];
    if (!agency::is_valid_id(id)) {
        send_error(response, 400, "invalid", "must be 1 to 64 of A-Z a-z 0-9 . _ -", "id");
        return true;
    }
    if (!record) {
        if (method == "PUT") put_template(context, id, request, response);
        else if (auto t = context.records.find_template(id)) {
            json::object answer = triggers::to_json(*t);
            answer["id"] = id;
            send_json(response, 200, answer);
        } else send_error(response, 404, "not_found", "no document template '" + id + "'", "id");
        return true;
    }
    auto kind = triggers::record_kind_from(std::string(m[1]));
    if (!kind) {
        send_error(response, 400, "invalid", "must be one of case, service-file, document", "kind");
        return true;
    }
    const std::string not_found = "no " + std::string(m[1]) + " '" + id + "'";
    if (method == "PUT") put_record(context, *kind, id, request, response);
    else if (method == "DELETE") close_record(context, *kind, id, not_found, response);
    else if (auto stored = context.records.find(*kind, id)) send_json(response, 200, stored_json(*stored));
    else send_error(response, 404, "not_found", not_found, "id");
    return true;
}

} // namespace extcomm::host
