#include <api/http_io.hpp>
#include <api/message_log_api.hpp> // send_now
#include <api/verification_codes_api.hpp>

#include <agency/people.hpp>
#include <agency/settings_json.hpp>
#include <authentication/verification_codes.hpp>
#include <common/json_reader.hpp>

#include <algorithm>
#include <regex>

namespace extcomm::host {
namespace json = boost::json;
using authentication::CodeRefusal;

namespace {

std::optional<FieldError> read_request(const json::object& body, authentication::CodeRequest& out) {
    JsonReader r(body, "");
    r.only({"worker", "purpose", "channel"});
    if (!r.text("worker", out.worker)) r.fail("worker", "is required: the worker's id");
    else if (!agency::is_valid_id(out.worker)) r.fail("worker", "must be an id (1 to 64 of A-Z a-z 0-9 . _ -)");
    const std::string purposes = "must be one of " + authentication::code_purpose_names();
    if (!r.parsed("purpose", out.purpose, authentication::code_purpose_from, purposes) && r.ok())
        r.fail("purpose", "is required: " + purposes);
    r.parsed("channel", out.channel, agency::code_channel_from, "must be one of email, sms, either");
    return r.error();
}

int status_of(CodeRefusal why) {
    switch (why) {
    case CodeRefusal::disabled:
    case CodeRefusal::channel_not_allowed: return 403;
    case CodeRefusal::no_address: return 422;
    case CodeRefusal::worker_daily_limit:
    case CodeRefusal::total_daily_limit: return 429;
    case CodeRefusal::channel_unavailable: return 503;
    }
    return 503;
}

void post_code(ApiContext& context, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    authentication::CodeRequest r;
    if (auto error = read_request(*body, r)) return send_invalid(response, *error);
    auto result = send_now(context, response, "verification code", [&](const agency::SettingsSnapshot& snapshot) {
        return context.verification_codes.request(snapshot, r);
    });
    if (!result) return;
    if (auto* error = std::get_if<FieldError>(&*result)) return send_invalid(response, *error);
    if (auto* refused = std::get_if<authentication::CodeRefused>(&*result)) {
        if (refused->retry_at > 0) {
            context.dispatcher.wake(); // the limit's alert, when this request was the first to hit it
            const TimeMs wait = std::max<TimeMs>(refused->retry_at - SystemClock().now_ms(), 0);
            response.set("Retry-After", std::to_string((wait + 999) / 1000));
        }
        return send_error(response, status_of(refused->why), std::string(to_string(refused->why)), refused->text);
    }
    const auto& issued = std::get<authentication::IssuedCode>(*result);
    context.dispatcher.expedite(issued.transport);
    send_json(response, 202, json::object{{"id", issued.id}});
}

void post_verify(ApiContext& context, const std::string& id, Poco::Net::HTTPServerRequest& request,
                 Poco::Net::HTTPServerResponse& response) {
    auto body = object_body(request, response);
    if (!body) return;
    JsonReader r(*body, "");
    r.only({"code"});
    std::string code;
    if (!r.text("code", code)) r.fail("code", "is required: the code the worker typed");
    else if (code.empty() || code.size() > 20 || !std::all_of(code.begin(), code.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        r.fail("code", "must be 1 to 20 digits");
    if (!r.ok()) return send_invalid(response, *r.error());
    auto answer = send_now(context, response, "verification", [&](const agency::SettingsSnapshot& snapshot) {
        return context.verification_codes.verify(snapshot, id, code);
    });
    if (!answer) return;
    if (!*answer) return send_error(response, 404, "not_found", "no verification code with id '" + id + "'", "id");
    const auto& a = **answer;
    send_json(response, 200, json::object{{"result", to_string(a.verdict)}, {"worker", a.worker},
                                          {"purpose", to_string(a.purpose)}});
}

} // namespace

bool route_verification_codes(ApiContext& context, const std::string& method, const std::string& path,
                              Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    static const std::regex verify_path(R"(^/v1/verification-codes/([A-Za-z0-9-]{1,64})/verify$)");
    if (path == "/v1/verification-codes" && method == "POST") {
        post_code(context, request, response);
        return true;
    }
    if (std::smatch match; method == "POST" && std::regex_match(path, match, verify_path)) {
        post_verify(context, match[1], request, response);
        return true;
    }
    return false;
}

} // namespace extcomm::host
