// acme-sms: a minimal HTTP-codec transport for the (fictional) Acme SMS API. encode turns a batch into
// one request, decode turns the answer into one result per message; the host does the HTTP. No I/O, no
// threads, no blocking here: both are pure functions of their inputs.
//
// The Acme API: POST {base_url}/v1/sms, "Authorization: Bearer {api_key}", a JSON body
// {"from": ..., "messages": [{"ref": ..., "to": ..., "text": ...}, ...]}; it answers 200 with one line per
// message, in order: "OK <acme id>" or "ERR <code> <text>"; 401 for a bad key; 429/5xx when busy.
#include "acme_json.hpp"

#include <extcomm/sdk.hpp>

#include <cctype>
#include <cstdlib>

using namespace extcomm::sdk;

class AcmeSms final : public Transport {
public:
    explicit AcmeSms(const CreateContext& context) : Transport(context) {
        // The host validated the settings against the schema below before calling this.
        base_url_ = acme::string_member(context.settings_json, "base_url").value_or("");
        api_key_ = acme::string_member(context.settings_json, "api_key").value_or("");
        sender_ = acme::string_member(context.settings_json, "sender").value_or("ACME");
        if (base_url_.rfind("http://", 0) != 0 && base_url_.rfind("https://", 0) != 0)
            throw SettingsError("base_url", "must start with http:// or https://");
        while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
    }

    static Descriptor describe() {
        return {"acme-sms", "Acme SMS", "Acme Corp", "1.0.0", EXTCOMM_CHANNEL_SMS, EXTCOMM_SEND_HTTP_CODEC,
                EXTCOMM_CAP_UNICODE, 50, 918,
                R"({"type": "object", "additionalProperties": false, "required": ["base_url", "api_key"],
                    "properties": {
                      "base_url": {"type": "string", "minLength": 8},
                      "api_key": {"type": "string", "minLength": 1},
                      "sender": {"type": "string", "maxLength": 11}}})",
                "Acme SMS over its JSON API (an out-of-tree example)."};
    }

    Encoded encode(const std::vector<Message>& messages) override {
        Encoded out;
        HttpRequest request;
        request.url = base_url_ + "/v1/sms";
        request.headers = {{"Authorization", "Bearer " + api_key_}, {"Content-Type", "application/json"}};
        request.body = "{\"from\":\"" + acme::escape(sender_) + "\",\"messages\":[";
        for (uint32_t i = 0; i < messages.size(); ++i) {
            const Message& m = messages[i];
            if (!is_e164(m.to)) { // known bad before sending: settle it, do not send it
                out.settled.emplace_back(i, Result::rejected("invalid-number", "not an E.164 number: " + std::string(m.to)));
                continue;
            }
            request.body += std::string(request.message_indices.empty() ? "" : ",") + "{\"ref\":\"" +
                            acme::escape(m.id) + "\",\"to\":\"" + acme::escape(m.to) + "\",\"text\":\"" +
                            acme::escape(m.body) + "\"}";
            request.message_indices.push_back(i);
        }
        request.body += "]}";
        if (!request.message_indices.empty()) out.requests.push_back(std::move(request));
        return out;
    }

    std::vector<Result> decode(const HttpRequest&, const std::vector<Message>& messages,
                               const HttpResponse& response) override {
        const std::string code = std::to_string(response.status);
        if (response.status == 401 || response.status == 403)
            return all(messages, Result::transport_failure(code, "Acme refused the API key"));
        if (response.status == 429 || response.status >= 500) {
            uint32_t after = static_cast<uint32_t>(std::strtoul(std::string(response.header("Retry-After")).c_str(), nullptr, 10));
            return all(messages, Result::retry(code, "Acme is busy", after * 1000));
        }
        if (response.status != 200) return all(messages, Result::rejected(code, response.body.substr(0, 200)));

        std::vector<Result> results; // one line per message, in request order
        std::string_view body = response.body;
        while (results.size() < messages.size() && !body.empty()) {
            std::size_t end = body.find('\n');
            std::string_view line = body.substr(0, end);
            body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
            if (line.rfind("OK ", 0) == 0) {
                results.push_back(Result::accepted(std::string(line.substr(3)), "OK"));
            } else if (line.rfind("ERR ", 0) == 0) {
                std::string_view rest = line.substr(4);
                std::size_t space = rest.find(' ');
                results.push_back(Result::rejected(std::string(rest.substr(0, space)),
                                                   space == std::string_view::npos ? "" : std::string(rest.substr(space + 1))));
            } else {
                results.push_back(Result::retry("unexpected", "Acme answered: " + std::string(line.substr(0, 200))));
            }
        }
        while (results.size() < messages.size()) results.push_back(Result::retry("missing", "no line for this message"));
        return results;
    }

private:
    static bool is_e164(std::string_view to) {
        if (to.size() < 8 || to.size() > 16 || to[0] != '+') return false;
        for (char c : to.substr(1))
            if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        return true;
    }
    static std::vector<Result> all(const std::vector<Message>& messages, const Result& r) {
        return std::vector<Result>(messages.size(), r);
    }

    std::string base_url_, api_key_, sender_;
};

EXTCOMM_TRANSPORT(AcmeSms)
