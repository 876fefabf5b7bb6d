#include "codec.hpp"

#include <extcomm/sms_text.hpp>
#include <extcomm/phone.hpp>
#include <extcomm_sms/wire.hpp>

#include <boost/json.hpp>

#include <cstdio>
#include <map>
#include <set>
#include <variant>

namespace extcomm::clickatell_platform {

namespace json = boost::json;
using sdk::Outcome;
using sdk::Result;

namespace {

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string excerpt(std::string_view body) {
    while (!body.empty() && (body.front() == ' ' || body.front() == '\n' || body.front() == '\r')) body.remove_prefix(1);
    body = body.substr(0, body.find('\n'));
    if (body.size() > 200) return std::string(body.substr(0, 200)) + "...";
    return std::string(body);
}

// A JSON scalar as text: strings as they are, numbers in decimal, null/absent as empty.
std::string text_of(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (!v || v->is_null()) return {};
    if (v->is_string()) return std::string(v->as_string());
    if (v->is_int64()) return std::to_string(v->as_int64());
    if (v->is_uint64()) return std::to_string(v->as_uint64());
    if (v->is_bool()) return v->as_bool() ? "true" : "false";
    return json::serialize(*v);
}

// The error of a per-recipient entry or of the whole answer: its code and its words.
struct ProviderError {
    std::string code, text;
};

ProviderError error_of(const json::object& o) {
    ProviderError e{text_of(o, "errorCode"), text_of(o, "error")};
    std::string description = text_of(o, "errorDescription");
    if (e.text.empty()) e.text = description;
    else if (!description.empty() && description != e.text) e.text += " (" + description + ")";
    // Some answers nest the error: {"error": {"code": "...", "description": "..."}}.
    if (const json::value* nested = o.if_contains("error"); nested && nested->is_object()) {
        e.code = text_of(nested->as_object(), "code");
        e.text = text_of(nested->as_object(), "description");
    }
    return e;
}

// Outcome of an error code that is about the account or the moment rather than the message.
// Codes per providers.md §3 (the One API table, which the Platform is expected to share).
bool account_or_transient(const std::string& code, Outcome* outcome) {
    static const std::map<std::string, Outcome> codes = {
        {"1", Outcome::transport_failure},  // invalid or missing integration API key
        {"2", Outcome::transport_failure},  // account not active
        {"3", Outcome::transport_failure},  // integration not active
        {"7", Outcome::transport_failure},  // IP not approved
        {"19", Outcome::retry},             // temporary, retry
        {"20", Outcome::transport_failure}, // insufficient balance
        {"43", Outcome::retry},             // rate limit
    };
    auto it = codes.find(code);
    if (it == codes.end()) return false;
    *outcome = it->second;
    return true;
}

Result make(Outcome outcome, std::string code, std::string text, uint32_t after_ms = 0) {
    Result r;
    r.outcome = outcome;
    r.provider_code = std::move(code);
    r.provider_text = std::move(text);
    r.retry_after_ms = outcome == Outcome::retry ? after_ms : 0;
    return r;
}

// A recipient the provider did not accept: permanent for that message unless the code says otherwise.
Result recipient_result(const ProviderError& e) {
    std::string code = e.code.empty() ? "not_accepted" : e.code;
    std::string text = e.text.empty() ? "Clickatell did not accept this recipient" : e.text;
    Outcome outcome = Outcome::rejected;
    account_or_transient(e.code, &outcome);
    return make(outcome, code, text);
}

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    while (!s.empty()) {
        size_t p = s.find(sep);
        out.emplace_back(s.substr(0, p));
        if (p == std::string_view::npos) break;
        s.remove_prefix(p + 1);
    }
    return out;
}

} // namespace

std::string client_message_id(std::string_view key) {
    std::string alnum;
    bool plain = true;
    for (char c : key) {
        if (is_alnum(c)) alnum += c;
        else if (c != '-') plain = false;
    }
    if (plain && !alnum.empty() && alnum.size() <= 32) return alnum;
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(sms::fnv1a64(key)),
                  static_cast<unsigned long long>(sms::fnv1a64(key, 0x84222325cbf29ce4ULL)));
    return buf;
}

sdk::Encoded Codec::encode(const std::vector<sdk::Message>& messages) const {
    sdk::Encoded out;
    struct Chunk {
        std::string body;
        std::vector<uint32_t> indices;
        std::vector<std::string> numbers;
        std::set<std::string> seen;
    };
    std::vector<Chunk> chunks;
    for (uint32_t i = 0; i < messages.size(); ++i) {
        const sdk::Message& m = messages[i];
        if (m.channel != sdk::Channel::sms) {
            out.settled.emplace_back(i, Result::rejected("not_sms", "Clickatell sends SMS only; this message is not an SMS"));
            continue;
        }
        auto number = phone::normalise_number(m.to);
        if (auto* bad = std::get_if<phone::NumberError>(&number)) {
            out.settled.emplace_back(i, Result::rejected(bad->code, bad->text));
            continue;
        }
        std::string to = std::get<phone::E164>(number).digits; // international digits, no '+'
        auto info = sms::analyse(m.body);
        if (!info) {
            out.settled.emplace_back(i, Result::rejected("invalid_text", "the message body is not valid UTF-8"));
            continue;
        }
        if (info->parts == 0) {
            out.settled.emplace_back(i, Result::rejected("empty_body", "the message body is empty"));
            continue;
        }
        // Content goes as UTF-8 JSON; Clickatell picks GSM-7 or UCS-2 from the characters itself.
        Chunk* target = nullptr;
        for (Chunk& c : chunks)
            if (c.body == m.body && c.indices.size() < kMaxRecipients && !c.seen.count(to)) {
                target = &c;
                break;
            }
        if (!target) {
            chunks.push_back(Chunk{std::string(m.body), {}, {}, {}});
            target = &chunks.back();
        }
        target->indices.push_back(i);
        target->numbers.push_back(to);
        target->seen.insert(to);
    }
    for (Chunk& c : chunks) {
        json::object body;
        body["content"] = c.body;
        json::array to;
        for (const auto& n : c.numbers) to.emplace_back(n);
        body["to"] = std::move(to);
        if (!settings_.from.empty()) body["from"] = settings_.from;
        if (c.indices.size() == 1) {
            const sdk::Message& m = messages[c.indices.front()];
            body["clientMessageId"] = client_message_id(m.idempotency_key.empty() ? m.id : m.idempotency_key);
        }
        sdk::HttpRequest req;
        req.method = "POST";
        req.url = settings_.base_url + "/messages";
        req.headers = {{"Authorization", settings_.api_key},
                       {"Content-Type", "application/json"},
                       {"Accept", "application/json"}};
        req.body = json::serialize(body);
        req.message_indices = c.indices;
        for (size_t k = 0; k < c.numbers.size(); ++k) req.context += (k ? "," : "") + c.numbers[k];
        out.requests.push_back(std::move(req));
    }
    return out;
}

std::vector<Result> Codec::decode(const sdk::HttpRequest& request, const std::vector<sdk::Message>& messages,
                                  const sdk::HttpResponse& response) const {
    const size_t n = messages.size();
    std::vector<std::string> numbers = split(request.context, ',');
    std::error_code ec;
    json::value root = json::parse(response.body, ec);
    const json::object* top = !ec && root.is_object() ? &root.as_object() : nullptr;
    const int s = response.status;
    uint32_t after = sms::retry_after_ms(response.header("Retry-After"));

    if (s >= 200 && s < 300) {
        const json::value* list = top ? top->if_contains("messages") : nullptr;
        if (!list || !list->is_array() || list->as_array().empty()) {
            if (top) {
                ProviderError e = error_of(*top);
                if (!e.code.empty() || !e.text.empty()) return std::vector<Result>(n, recipient_result(e));
            }
            return std::vector<Result>(n, Result::internal("unexpected Clickatell answer (HTTP " + std::to_string(s) +
                                                           "): " + excerpt(response.body)));
        }
        const json::array& entries = list->as_array();
        std::vector<Result> out;
        for (size_t i = 0; i < n; ++i) {
            const json::object* entry = nullptr;
            if (i < numbers.size())
                for (const json::value& v : entries)
                    if (v.is_object() && text_of(v.as_object(), "to") == numbers[i]) {
                        entry = &v.as_object();
                        break;
                    }
            if (!entry && entries.size() == n && entries[i].is_object()) entry = &entries[i].as_object();
            if (!entry) {
                out.push_back(Result::internal("Clickatell's answer has no entry for this recipient"));
                continue;
            }
            const json::value* accepted = entry->if_contains("accepted");
            std::string id = text_of(*entry, "apiMessageId");
            if (accepted && accepted->is_bool() && accepted->as_bool() && !id.empty())
                out.push_back(Result::accepted(id));
            else
                out.push_back(recipient_result(error_of(*entry)));
        }
        return out;
    }

    ProviderError e = top ? error_of(*top) : ProviderError{};
    std::string code = e.code.empty() ? "HTTP " + std::to_string(s) : e.code;
    std::string text = !e.text.empty() ? e.text : excerpt(response.body);
    if (text.empty()) text = "HTTP " + std::to_string(s) + " without a body";
    Outcome outcome;
    if (s == 429) return std::vector<Result>(n, make(Outcome::retry, code, "rate limited: " + text, after));
    if (s >= 500) return std::vector<Result>(n, make(Outcome::retry, code, text, after));
    if (account_or_transient(e.code, &outcome)) return std::vector<Result>(n, make(outcome, code, text, after));
    if (s == 401 || s == 403) return std::vector<Result>(n, make(Outcome::transport_failure, code, "credentials refused: " + text));
    if (s == 402) return std::vector<Result>(n, make(Outcome::transport_failure, code, "out of credit: " + text));
    if (s == 404 || s == 405) return std::vector<Result>(n, make(Outcome::transport_failure, code, "no /messages at this base_url: " + text));
    if (s == 400 || s == 410 || s == 422) {
        // About the request's content: final for a lone message; with several, find the culprit alone.
        if (n == 1) return {make(Outcome::rejected, code, text)};
        return std::vector<Result>(n, make(Outcome::resend_alone, code, text));
    }
    return std::vector<Result>(n, make(Outcome::transport_failure, code, text));
}

} // namespace extcomm::clickatell_platform
