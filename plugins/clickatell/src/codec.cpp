#include "codec.hpp"

#include "error_codes.hpp"
#include "form.hpp"
#include "ucs2.hpp"

#include <extcomm/sms_text.hpp>
#include <extcomm/phone.hpp>
#include <extcomm_sms/wire.hpp>

#include <chrono>
#include <cstdio>
#include <variant>

namespace extcomm::clickatell {

namespace {

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

// A provider text safe to show: one line, bounded.
std::string excerpt(std::string_view body) {
    body = trim(body);
    body = body.substr(0, body.find('\n'));
    body = trim(body);
    if (body.size() > 200) return std::string(body.substr(0, 200)) + "...";
    return std::string(body);
}

int64_t system_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace

std::string client_message_id(std::string_view key) {
    std::string alnum;
    bool plain = true;
    for (char c : key) {
        if (is_alnum(c))
            alnum += c;
        else if (c != '-')
            plain = false;
    }
    if (plain && !alnum.empty() && alnum.size() <= 32) return alnum;
    // Two FNV-1a 64-bit hashes with different offsets: 32 hex digits, stable, alnum.
    uint64_t h1 = sms::fnv1a64(key), h2 = sms::fnv1a64(key, 0x84222325cbf29ce4ULL);
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h1),
                  static_cast<unsigned long long>(h2));
    return buf;
}

Codec::Codec(Settings settings, Clock now) : settings_(std::move(settings)), now_(now ? std::move(now) : Clock(system_now_ms)) {}

sdk::Encoded Codec::encode(const std::vector<sdk::Message>& messages) const {
    sdk::Encoded out;
    for (uint32_t i = 0; i < messages.size(); ++i) {
        const sdk::Message& m = messages[i];
        if (m.channel != sdk::Channel::sms) {
            out.settled.emplace_back(i, sdk::Result::rejected("not_sms", "Clickatell sends SMS only; this message is not an SMS"));
            continue;
        }
        auto number = phone::normalise_number(m.to);
        if (auto* bad = std::get_if<phone::NumberError>(&number)) {
            out.settled.emplace_back(i, sdk::Result::rejected(bad->code, bad->text));
            continue;
        }
        const std::string& to = std::get<phone::E164>(number).digits; // Clickatell: digits only, no '+' or 00
        auto cps = sms::decode_utf8(m.body);
        if (!cps) {
            out.settled.emplace_back(i, sdk::Result::rejected("invalid_text", "the message body is not valid UTF-8"));
            continue;
        }
        if (cps->empty()) {
            out.settled.emplace_back(i, sdk::Result::rejected("empty_body", "the message body is empty"));
            continue;
        }
        sms::TextInfo info = *sms::analyse(m.body);
        // Plain text only when it is ASCII GSM-7: the legacy API's handling of other bytes depends on the
        // account's character set, so anything else goes as UCS-2 hex with unicode=1, which is exact.
        bool ascii = true;
        for (char32_t cp : *cps) ascii = ascii && cp < 0x80;
        bool unicode = info.encoding != sms::Encoding::gsm7 || !ascii;
        if (unicode && info.encoding == sms::Encoding::gsm7) {
            info.encoding = sms::Encoding::ucs2;
            info.parts = info.units = 0;
            for (char32_t cp : *cps) info.units += cp >= 0x10000 ? 2 : 1;
            info.parts = info.units <= 70 ? 1 : (info.units + 66) / 67;
        }
        if (info.parts > static_cast<size_t>(settings_.max_parts)) {
            out.settled.emplace_back(
                i, sdk::Result::rejected("too_long", "the message needs " + std::to_string(info.parts) + " SMS parts (" +
                                                         (unicode ? "UCS-2" : "GSM-7") + "); max_parts allows " +
                                                         std::to_string(settings_.max_parts)));
            continue;
        }
        std::string climsgid = client_message_id(m.idempotency_key.empty() ? m.id : m.idempotency_key);
        FormFields f{{"user", settings_.user}, {"password", settings_.password}, {"api_id", settings_.api_id},
                     {"to", to}};
        if (unicode) {
            f.emplace_back("text", ucs2_hex(*cps));
            f.emplace_back("unicode", "1");
        } else {
            f.emplace_back("text", std::string(m.body));
        }
        if (!settings_.from.empty()) {
            f.emplace_back("from", settings_.from);
            if (settings_.mo) f.emplace_back("mo", "1");
        }
        if (info.parts > 1) f.emplace_back("concat", std::to_string(info.parts));
        f.emplace_back("callback", std::to_string(settings_.callback));
        f.emplace_back("deliv_ack", "1");
        f.emplace_back("climsgid", climsgid);

        sdk::HttpRequest req;
        req.method = "POST";
        req.url = settings_.base_url + "/http/sendmsg";
        req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "text/plain"}};
        req.body = form_encode(f);
        req.message_indices = {i};
        req.context = climsgid;
        out.requests.push_back(std::move(req));
    }
    return out;
}

std::vector<sdk::Result> Codec::decode(const sdk::HttpRequest& request, const std::vector<sdk::Message>& messages,
                                       const sdk::HttpResponse& response) const {
    (void)request;
    // One message per request; should a host hand several, they share the answer.
    return std::vector<sdk::Result>(messages.size(), decode_one(response));
}

sdk::Result Codec::decode_one(const sdk::HttpResponse& response) const {
    // The answer is text lines whatever the HTTP status: "ID: <apimsgid>[ To: <n>]" or "ERR: <code>, <text>[ To: <n>]".
    std::string_view body = response.body;
    while (!body.empty()) {
        size_t nl = body.find('\n');
        std::string_view line = trim(body.substr(0, nl));
        body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
        if (line.empty()) continue;
        size_t to_pos = line.find(" To:");
        std::string_view head = trim(line.substr(0, to_pos));
        if (head.rfind("ID:", 0) == 0) {
            std::string_view id = trim(head.substr(3));
            if (id.empty()) break;
            return sdk::Result::accepted(std::string(id));
        }
        if (head.rfind("ERR:", 0) == 0) {
            std::string_view rest = trim(head.substr(4));
            size_t comma = rest.find(',');
            std::string_view code = trim(rest.substr(0, comma));
            std::string_view text = comma == std::string_view::npos ? std::string_view() : trim(rest.substr(comma + 1));
            sdk::Result r = result_for_error(code, text, now_());
            if (r.outcome == sdk::Outcome::retry && r.retry_after_ms == 0)
                r.retry_after_ms = sms::retry_after_ms(response.header("Retry-After"));
            return r;
        }
        break; // not Clickatell's format: fall back on the HTTP status
    }
    std::string code = "HTTP " + std::to_string(response.status);
    std::string text = excerpt(response.body);
    if (text.empty()) text = "no answer body";
    int s = response.status;
    if (s == 429) return sdk::Result::retry(code, "rate limited: " + text, sms::retry_after_ms(response.header("Retry-After")));
    if (s >= 500) return sdk::Result::retry(code, text, sms::retry_after_ms(response.header("Retry-After")));
    if (s == 401 || s == 403) return sdk::Result::transport_failure(code, "credentials refused: " + text);
    if (s == 404 || s == 405) return sdk::Result::transport_failure(code, "no sendmsg at this base_url: " + text);
    if (s >= 400) return sdk::Result::transport_failure(code, text);
    return sdk::Result::internal("unexpected Clickatell answer (" + code + "): " + text);
}

} // namespace extcomm::clickatell
