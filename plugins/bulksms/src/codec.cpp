#include "codec.hpp"

#include <extcomm/sms_text.hpp>
#include <extcomm/phone.hpp>
#include <extcomm_sms/json.hpp>
#include <extcomm_sms/wire.hpp>

#include <boost/json.hpp>

#include <string>

namespace extcomm::bulksms {

namespace json = boost::json;
using sdk::Encoded;
using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Message;
using sdk::Result;
using sms::field;

namespace {

constexpr size_t kUserSuppliedIdMax = 20;

// A message that passed the checks, ready for a SubmissionEntry.
struct Prepared {
    uint32_t index;
    std::string number; // +E.164
    bool unicode;
};

// Checks one message; settles it as rejected when BulkSMS would refuse it (so it never fails a batch).
std::optional<Prepared> prepare(const Settings& settings, const Message& m, uint32_t index, Encoded& out) {
    if (m.channel != sdk::Channel::sms) {
        out.settled.emplace_back(index, Result::rejected("not-sms", "the bulksms transport only sends SMS"));
        return std::nullopt;
    }
    auto number = phone::normalise_number(m.to, settings.numbers);
    if (auto* err = std::get_if<phone::NumberError>(&number)) {
        out.settled.emplace_back(index, Result::rejected(err->code, err->text));
        return std::nullopt;
    }
    auto text = sms::analyse(m.body);
    if (!text) {
        out.settled.emplace_back(index, Result::rejected("invalid-body", "the message body is not valid UTF-8"));
        return std::nullopt;
    }
    if (text->parts == 0) {
        out.settled.emplace_back(index, Result::rejected("empty-body", "the message body is empty"));
        return std::nullopt;
    }
    if (text->parts > settings.long_message_max_parts) {
        out.settled.emplace_back(
            index, Result::rejected("body-too-long",
                                    "the message needs " + std::to_string(text->parts) + " SMS parts (" +
                                        (text->encoding == sms::Encoding::gsm7 ? "GSM-7" : "Unicode") +
                                        "), more than long_message_max_parts " +
                                        std::to_string(settings.long_message_max_parts)));
        return std::nullopt;
    }
    return Prepared{index, std::get<phone::E164>(number).with_plus(), text->encoding == sms::Encoding::ucs2};
}

json::object submission_entry(const Settings& settings, const Message& m, const Prepared& p) {
    json::object entry;
    // The strict form of the published schema: `to` an array of objects, `from` an object.
    entry["to"] = json::array{json::object{{"type", "INTERNATIONAL"}, {"address", p.number}}};
    entry["body"] = m.body;
    entry["encoding"] = p.unicode ? "UNICODE" : "TEXT";
    entry["deliveryReports"] = settings.delivery_reports;
    entry["longMessageMaxParts"] = settings.long_message_max_parts;
    if (settings.from) {
        json::object from{{"type", settings.from->type}};
        if (!settings.from->address.empty()) from["address"] = settings.from->address;
        entry["from"] = std::move(from);
    }
    if (!settings.routing_group.empty()) entry["routingGroup"] = settings.routing_group;
    // Echoed in webhooks, so receipts carry extcomm's id; BulkSMS allows 20 characters.
    if (!m.id.empty() && m.id.size() <= kUserSuppliedIdMax) entry["userSuppliedId"] = m.id;
    return entry;
}

std::string digits_of(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c >= '0' && c <= '9') out += c;
    return out;
}

// {type, title, status, detail} -> (code, text). The code is the error type's fragment
// ("insufficient-credits"), or the HTTP status when the body is not BulkSMS's error shape.
std::pair<std::string, std::string> error_of(const HttpResponse& response) {
    std::string code = std::to_string(response.status);
    std::string text = "HTTP " + code;
    std::error_code ec;
    json::value body = json::parse(response.body, ec);
    if (!ec && body.is_object()) {
        const auto& o = body.as_object();
        std::string type = field(o, "type"), title = field(o, "title"), detail = field(o, "detail");
        if (auto hash = type.rfind('#'); hash != std::string::npos && hash + 1 < type.size())
            code = type.substr(hash + 1);
        else if (auto slash = type.rfind('/'); slash != std::string::npos && slash + 1 < type.size())
            code = type.substr(slash + 1);
        if (!title.empty()) text += " " + title;
        while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
        if (!detail.empty()) text += ": " + detail;
    } else if (!response.body.empty()) {
        text += ": " + response.body.substr(0, 200);
    }
    return {code, text};
}

std::vector<Result> all(size_t n, const Result& r) { return std::vector<Result>(n, r); }

// One result per message from a 201 body: an array of Message, one per SubmissionEntry, in order.
std::vector<Result> decode_created(const HttpRequest& request, const std::vector<Message>& messages,
                                   const HttpResponse& response) {
    std::error_code ec;
    json::value body = json::parse(response.body, ec);
    if (ec || !body.is_array()) {
        // The submission was created: answering retry would risk sending twice.
        return all(messages.size(), Result::accepted("", "201", "BulkSMS created the submission but its answer was unreadable"));
    }
    const json::array& created = body.as_array();
    // The numbers as sent, in request order (the context), to match answers when the count differs.
    std::vector<std::string> sent;
    for (size_t start = 0; start <= request.context.size();) {
        size_t comma = request.context.find(',', start);
        if (comma == std::string::npos) comma = request.context.size();
        sent.push_back(request.context.substr(start, comma - start));
        start = comma + 1;
    }
    std::vector<bool> used(created.size(), false);
    auto result_of = [](const json::object& o) {
        std::string id = field(o, "id");
        std::string status_id, status_type;
        if (auto* st = o.if_contains("status"); st && st->is_object()) {
            status_id = field(st->as_object(), "id");
            status_type = field(st->as_object(), "type");
        }
        if (status_type == "FAILED") {
            Result r = Result::rejected(status_id, "BulkSMS refused the message at submission (" + status_id + ")");
            r.provider_message_id = id;
            return r;
        }
        return Result::accepted(id, status_id.empty() ? "201" : status_id, "accepted by BulkSMS");
    };
    std::vector<Result> results;
    for (size_t i = 0; i < messages.size(); ++i) {
        const json::object* match = nullptr;
        if (created.size() == messages.size() && created[i].is_object()) {
            match = &created[i].as_object();
            used[i] = true;
        } else {
            // Match by userSuppliedId, then by number.
            std::string want = i < sent.size() ? digits_of(sent[i]) : std::string();
            for (size_t k = 0; k < created.size() && !match; ++k) {
                if (used[k] || !created[k].is_object()) continue;
                const auto& o = created[k].as_object();
                bool same_id = !messages[i].id.empty() && field(o, "userSuppliedId") == messages[i].id;
                bool same_number = !want.empty() && digits_of(field(o, "to")) == want;
                if (same_id || same_number) {
                    match = &o;
                    used[k] = true;
                }
            }
        }
        results.push_back(match ? result_of(*match)
                                : Result::accepted("", "201", "BulkSMS created the submission but did not list this message"));
    }
    return results;
}

} // namespace

int32_t deduplication_id(const std::vector<Message>& messages, const std::vector<uint32_t>& indices) {
    uint64_t h = sms::fnv1a64("extcomm-bulksms");
    for (uint32_t i : indices) {
        const Message& m = messages[i];
        h = sms::fnv1a64(m.idempotency_key.empty() ? m.id : m.idempotency_key, h);
        h = sms::fnv1a64("\n", h);
    }
    auto id = static_cast<int32_t>((h ^ (h >> 31) ^ (h >> 62)) & 0x7FFFFFFFu);
    return id == 0 ? 1 : id;
}

Encoded encode(const Settings& settings, const std::vector<Message>& messages) {
    Encoded out;
    std::vector<Prepared> ready;
    for (uint32_t i = 0; i < messages.size(); ++i)
        if (auto p = prepare(settings, messages[i], i, out)) ready.push_back(std::move(*p));

    for (size_t start = 0; start < ready.size(); start += settings.batch_size) {
        size_t end = std::min(ready.size(), start + settings.batch_size);
        HttpRequest req;
        req.method = "POST";
        json::array entries;
        for (size_t k = start; k < end; ++k) {
            const Prepared& p = ready[k];
            entries.push_back(submission_entry(settings, messages[p.index], p));
            req.message_indices.push_back(p.index);
            if (!req.context.empty()) req.context += ',';
            req.context += p.number;
        }
        req.url = settings.base_url + "/messages?deduplication-id=" +
                  std::to_string(deduplication_id(messages, req.message_indices)) + "&auto-unicode=true";
        req.headers = {{"Content-Type", "application/json"},
                       {"Accept", "application/json"},
                       {"Authorization", settings.authorization}};
        req.body = json::serialize(entries);
        out.requests.push_back(std::move(req));
    }
    return out;
}

std::vector<Result> decode(const HttpRequest& request, const std::vector<Message>& messages,
                           const HttpResponse& response) {
    const int status = response.status;
    if (status == 201 || status == 200) return decode_created(request, messages, response);
    auto [code, text] = error_of(response);
    if (status == 400) {
        // One bad entry fails the whole submission: resend each message alone to find it.
        if (messages.size() > 1) return all(messages.size(), Result::resend_alone(code, text));
        return all(messages.size(), Result::rejected(code, text));
    }
    if (status == 401)
        return all(messages.size(), Result::transport_failure(code, text + " (check username/password or token_id/token_secret)"));
    if (status == 403) // insufficient credits, or a forbidden account
        return all(messages.size(), Result::transport_failure(code, text));
    if (status == 408 || status == 429 || status >= 500)
        return all(messages.size(), Result::retry(code, text, sms::retry_after_ms(response.header("Retry-After"))));
    if (status >= 300 && status < 400)
        return all(messages.size(), Result::transport_failure(code, text + " (BulkSMS redirected: use https:// in base_url)"));
    // 404, 405, 415 and other 4xx: the request does not fit the API (base_url, a proxy): stop and alert.
    return all(messages.size(), Result::transport_failure(code, text + " (check base_url)"));
}

} // namespace extcomm::bulksms
