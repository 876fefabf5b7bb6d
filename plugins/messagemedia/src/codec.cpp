#include "codec.hpp"

#include <extcomm/sms_text.hpp>
#include <extcomm/phone.hpp>
#include <extcomm_sms/json.hpp>
#include <extcomm_sms/wire.hpp>

#include <boost/json.hpp>

#include <string>

namespace extcomm::messagemedia {

namespace json = boost::json;
using sdk::Encoded;
using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Message;
using sdk::Result;
using sms::field;

namespace {

constexpr size_t kMetadataValueMax = 256;

struct Prepared {
    uint32_t index;
    std::string number; // +E.164
};

// Checks one message against what MessageMedia validates. MessageMedia refuses a whole request when one
// message is invalid, so anything it would refuse is settled here, alone, as rejected.
std::optional<Prepared> prepare(const Settings& settings, const Message& m, uint32_t index, Encoded& out) {
    if (m.channel != sdk::Channel::sms) {
        out.settled.emplace_back(index, Result::rejected("not-sms", "the messagemedia transport only sends SMS"));
        return std::nullopt;
    }
    auto number = phone::normalise_number(m.to, settings.numbers);
    if (auto* err = std::get_if<phone::NumberError>(&number)) {
        out.settled.emplace_back(index, Result::rejected(err->code, err->text));
        return std::nullopt;
    }
    auto cps = sms::decode_utf8(m.body);
    if (!cps) {
        out.settled.emplace_back(index, Result::rejected("invalid-body", "the message body is not valid UTF-8"));
        return std::nullopt;
    }
    size_t utf16 = 0;
    for (char32_t c : *cps) utf16 += c > 0xFFFF ? 2 : 1;
    if (utf16 == 0) {
        out.settled.emplace_back(index, Result::rejected("empty-body", "the message body is empty"));
        return std::nullopt;
    }
    if (utf16 > kMaxBodyLength) {
        out.settled.emplace_back(index, Result::rejected("body-too-long", "the message body has " + std::to_string(utf16) +
                                                                               " characters; MessageMedia takes at most 5000"));
        return std::nullopt;
    }
    return Prepared{index, std::get<phone::E164>(number).with_plus()};
}

json::object message_entry(const Settings& settings, const Message& m, const Prepared& p) {
    json::object entry;
    entry["content"] = m.body; // MessageMedia picks GSM-7 or UCS-2 itself
    entry["destination_number"] = p.number;
    entry["format"] = "SMS";
    entry["delivery_report"] = settings.delivery_report;
    if (!settings.callback_url.empty()) entry["callback_url"] = settings.callback_url;
    if (!settings.source_number.empty()) {
        entry["source_number"] = settings.source_number;
        entry["source_number_type"] = settings.source_number_type;
    }
    // Echoed in delivery reports and replies. Only extcomm's id: message metadata may hold personal data.
    if (!m.id.empty() && m.id.size() <= kMetadataValueMax) entry["metadata"] = json::object{{kMetadataKey, m.id}};
    return entry;
}

// {"message": "...", "details": ["..."]} -> text.
std::string error_text(const HttpResponse& response) {
    std::string text = "HTTP " + std::to_string(response.status);
    std::error_code ec;
    json::value body = json::parse(response.body, ec);
    if (!ec && body.is_object()) {
        const auto& o = body.as_object();
        if (std::string message = field(o, "message"); !message.empty()) text += " " + message;
        if (auto* d = o.if_contains("details"); d && d->is_array()) {
            std::string details;
            for (const auto& item : d->as_array())
                if (item.is_string()) details += (details.empty() ? "" : "; ") + std::string(item.as_string());
            if (!details.empty()) text += ": " + details;
        }
    } else if (!response.body.empty()) {
        text += ": " + response.body.substr(0, 200);
    }
    return text;
}

std::vector<Result> all(size_t n, const Result& r) { return std::vector<Result>(n, r); }

std::vector<Result> decode_accepted(const HttpRequest& request, const std::vector<Message>& messages,
                                    const HttpResponse& response) {
    std::error_code ec;
    json::value body = json::parse(response.body, ec);
    const json::array* echoed = nullptr;
    if (!ec && body.is_object())
        if (auto* v = body.as_object().if_contains("messages"); v && v->is_array()) echoed = &v->as_array();
    if (!echoed) // accepted, whatever the body: answering retry would send twice
        return all(messages.size(), Result::accepted("", std::to_string(response.status), "MessageMedia accepted the request but its answer was unreadable"));

    std::vector<std::string> sent;
    for (size_t start = 0; start <= request.context.size();) {
        size_t comma = request.context.find(',', start);
        if (comma == std::string::npos) comma = request.context.size();
        sent.push_back(request.context.substr(start, comma - start));
        start = comma + 1;
    }
    std::vector<bool> used(echoed->size(), false);
    std::vector<Result> results;
    for (size_t i = 0; i < messages.size(); ++i) {
        const json::object* match = nullptr;
        if (echoed->size() == messages.size() && (*echoed)[i].is_object()) {
            match = &(*echoed)[i].as_object();
        } else {
            for (size_t k = 0; k < echoed->size() && !match; ++k) {
                if (used[k] || !(*echoed)[k].is_object()) continue;
                const auto& o = (*echoed)[k].as_object();
                const json::value* md = o.if_contains("metadata");
                bool same_id = md && md->is_object() && !messages[i].id.empty() &&
                               field(md->as_object(), kMetadataKey) == messages[i].id;
                bool same_number = i < sent.size() && field(o, "destination_number") == sent[i];
                if (same_id || same_number) {
                    match = &o;
                    used[k] = true;
                }
            }
        }
        if (!match) {
            results.push_back(Result::accepted("", std::to_string(response.status), "accepted; MessageMedia did not list this message"));
            continue;
        }
        std::string status = field(*match, "status");
        results.push_back(Result::accepted(field(*match, "message_id"), status.empty() ? "queued" : status, "accepted by MessageMedia"));
    }
    return results;
}

} // namespace

Encoded encode(const Settings& settings, const std::vector<Message>& messages) {
    Encoded out;
    std::vector<Prepared> ready;
    for (uint32_t i = 0; i < messages.size(); ++i)
        if (auto p = prepare(settings, messages[i], i, out)) ready.push_back(std::move(*p));

    for (size_t start = 0; start < ready.size(); start += settings.batch_size) {
        size_t end = std::min(ready.size(), start + settings.batch_size);
        HttpRequest req;
        req.method = "POST";
        req.url = settings.base_url + "/v1/messages";
        json::array entries;
        for (size_t k = start; k < end; ++k) {
            entries.push_back(message_entry(settings, messages[ready[k].index], ready[k]));
            req.message_indices.push_back(ready[k].index);
            if (!req.context.empty()) req.context += ',';
            req.context += ready[k].number;
        }
        req.headers = {{"Content-Type", "application/json"},
                       {"Accept", "application/json"},
                       {"Authorization", settings.authorization}};
        if (!settings.account.empty()) req.headers.push_back({"Account", settings.account});
        req.body = json::serialize(json::object{{"messages", std::move(entries)}});
        out.requests.push_back(std::move(req));
    }
    return out;
}

std::vector<Result> decode(const HttpRequest& request, const std::vector<Message>& messages,
                           const HttpResponse& response) {
    const int status = response.status;
    const std::string code = std::to_string(status);
    if (status >= 200 && status < 300) return decode_accepted(request, messages, response);
    std::string text = error_text(response);
    if (status == 400 || status == 422) {
        // All-or-nothing: one invalid message refuses the whole request. Resend each alone to find it.
        if (messages.size() > 1) return all(messages.size(), Result::resend_alone(code, text));
        return all(messages.size(), Result::rejected(code, text));
    }
    if (status == 401 || status == 403) // the spec says 403, the SDK README 401: both are bad credentials
        return all(messages.size(), Result::transport_failure(code, text + " (check api_key/api_secret and account)"));
    if (status == 408 || status == 429 || status >= 500)
        return all(messages.size(), Result::retry(code, text, sms::retry_after_ms(response.header("Retry-After"))));
    return all(messages.size(), Result::transport_failure(code, text + " (check base_url)"));
}

} // namespace extcomm::messagemedia
