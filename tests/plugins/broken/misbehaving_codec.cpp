// misbehaving-codec: loads fine, but its encode breaks R9 on request, chosen by the message body:
// "twice" carries a message in two requests, "settle-and-send" settles a message and carries it too,
// "forget" neither carries nor settles it. Any other body is encoded properly (one request to the
// configured url); decode accepts everything, so a result that is not "accepted" did not come from it.
#include <extcomm/sdk.hpp>

#include <string>

namespace {
using namespace extcomm::sdk;

class MisbehavingCodec final : public Transport {
public:
    explicit MisbehavingCodec(const CreateContext& context) : Transport(context) {
        std::string_view s = context.settings_json; // {"url":"..."} as the host serializes it
        auto start = s.find("\"url\":\"");
        if (start == std::string_view::npos) throw SettingsError("url", "missing");
        start += 7;
        auto end = s.find('"', start);
        if (end == std::string_view::npos) throw SettingsError("url", "unterminated");
        url_.assign(s.data() + start, end - start);
    }
    static Descriptor describe() {
        return {"misbehaving-codec", "Misbehaving codec", "extcomm tests", "1.0.0", EXTCOMM_CHANNEL_SMS,
                EXTCOMM_SEND_HTTP_CODEC, 0, 10, 0,
                R"({"type":"object","additionalProperties":false,"required":["url"],"properties":{"url":{"type":"string"}}})",
                nullptr};
    }
    Encoded encode(const std::vector<Message>& messages) override {
        Encoded out;
        HttpRequest request;
        request.url = url_;
        request.body = "x";
        if (messages[0].body == "forget") return out;
        for (uint32_t i = 0; i < messages.size(); ++i) request.message_indices.push_back(i);
        if (messages[0].body == "twice") out.requests.push_back(request);
        if (messages[0].body == "settle-and-send") out.settled.emplace_back(0, Result::rejected("x", "settled"));
        out.requests.push_back(request);
        return out;
    }
    std::vector<Result> decode(const HttpRequest&, const std::vector<Message>& messages, const HttpResponse&) override {
        return std::vector<Result>(messages.size(), Result::accepted("decoded"));
    }

private:
    std::string url_;
};
} // namespace

EXTCOMM_TRANSPORT(MisbehavingCodec)
