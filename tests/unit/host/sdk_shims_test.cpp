// The SDK's C shims are an exception barrier [R12]: whatever a transport throws from create, send,
// encode, decode or parse_webhook becomes an error code / internal outcome, never an unwinding into the
// host. The session transport goes through the real export macro; the codec through the same
// Registration the macro instantiates.
#include <extcomm/sdk.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace {
using namespace extcomm::sdk;

constexpr const char* kSchema = R"({"type":"object","additionalProperties":false})";

[[noreturn]] void fail(std::string_view what) {
    if (what == "int") throw 42; // not a std::exception
    throw std::runtime_error("boom in " + std::string(what));
}

class SessionThrower final : public Transport {
public:
    explicit SessionThrower(const CreateContext& context) : Transport(context) {
        if (context.settings_json == R"({"port":"x"})") throw SettingsError("port", "port must be a number");
        if (context.settings_json == R"({"throw":true})") throw std::logic_error("constructor exploded");
    }
    static Descriptor describe() {
        return {"session-thrower", "Session thrower", "tests", "1.0.0", EXTCOMM_CHANNEL_EMAIL, EXTCOMM_SEND_SESSION,
                0, 4, 0, kSchema, nullptr};
    }
    std::vector<Result> send(const std::vector<Message>& messages) override { fail(messages.at(0).body); }
    WebhookResult parse_webhook(const WebhookRequest& request) override { fail(request.body); }
};

class CodecThrower final : public Transport {
public:
    explicit CodecThrower(const CreateContext& context) : Transport(context) {}
    static Descriptor describe() {
        return {"codec-thrower", "Codec thrower", "tests", "1.0.0", EXTCOMM_CHANNEL_SMS, EXTCOMM_SEND_HTTP_CODEC, 0,
                4, 0, kSchema, nullptr};
    }
    Encoded encode(const std::vector<Message>& messages) override { fail(messages.at(0).body); }
    std::vector<Result> decode(const HttpRequest&, const std::vector<Message>& messages, const HttpResponse&) override {
        fail(messages.at(0).body);
    }
};

} // namespace

EXTCOMM_TRANSPORT(SessionThrower)

namespace {

extcomm_str s(std::string_view v) { return {v.data(), v.size()}; }

const extcomm_transport_api* negotiate(int32_t (*entry)(extcomm_negotiation*)) {
    extcomm_negotiation n{};
    n.struct_size = sizeof n;
    n.host_min_version = EXTCOMM_INTERFACE_VERSION_MIN;
    n.host_max_version = EXTCOMM_INTERFACE_VERSION;
    EXPECT_EQ(entry(&n), EXTCOMM_OK);
    EXPECT_EQ(n.chosen_version, EXTCOMM_INTERFACE_VERSION);
    return n.api;
}

extcomm_instance* create(const extcomm_transport_api* api, std::string_view settings = "{}") {
    extcomm_create_args args{sizeof(extcomm_create_args), s("t"), s(settings), nullptr};
    extcomm_error error{};
    error.struct_size = sizeof error;
    extcomm_instance* instance = nullptr;
    EXPECT_EQ(api->create(&args, &instance, &error), EXTCOMM_OK) << error.text;
    return instance;
}

extcomm_message message(std::string_view body) {
    extcomm_message m{};
    m.struct_size = sizeof m;
    m.channel = EXTCOMM_CHANNEL_EMAIL;
    m.id = s("id-1");
    m.to = s("a@example.org");
    m.body = s(body);
    m.attempt = 1;
    return m;
}

std::vector<extcomm_result> slots(std::size_t n) {
    std::vector<extcomm_result> out(n);
    for (auto& r : out) {
        r = extcomm_result{};
        r.struct_size = sizeof r;
        r.outcome = EXTCOMM_OUTCOME_ACCEPTED; // the shim must overwrite this
    }
    return out;
}

TEST(SdkShims, NegotiationRefusesARangeWithoutItsVersion) {
    extcomm_negotiation n{};
    n.struct_size = sizeof n;
    n.host_min_version = EXTCOMM_INTERFACE_VERSION + 1;
    n.host_max_version = EXTCOMM_INTERFACE_VERSION + 5;
    EXPECT_EQ(extcomm_transport_entry(&n), EXTCOMM_ERR_UNSUPPORTED);
    EXPECT_EQ(n.api, nullptr);
    EXPECT_EQ(extcomm_transport_entry(nullptr), EXTCOMM_ERR_UNSUPPORTED);
}

TEST(SdkShims, TheMacroExportsATableForTheSendMode) {
    const extcomm_transport_api* api = negotiate(&extcomm_transport_entry);
    ASSERT_NE(api, nullptr);
    EXPECT_EQ(api->struct_size, sizeof(extcomm_transport_api));
    EXPECT_NE(api->send, nullptr);
    EXPECT_EQ(api->encode, nullptr);
    EXPECT_EQ(api->decode, nullptr);
    EXPECT_STREQ(api->descriptor->id, "session-thrower");
    EXPECT_EQ(api->descriptor->capabilities->max_batch_size, 4u);
}

TEST(SdkShims, CreateThrowsBecomeErrorCodes) {
    const extcomm_transport_api* api = negotiate(&extcomm_transport_entry);
    extcomm_instance* instance = nullptr;
    extcomm_error error{};
    error.struct_size = sizeof error;

    std::string bad_port = R"({"port":"x"})";
    extcomm_create_args args{sizeof(extcomm_create_args), s("t"), s(bad_port), nullptr};
    EXPECT_EQ(api->create(&args, &instance, &error), EXTCOMM_ERR_INVALID_SETTINGS);
    EXPECT_STREQ(error.field, "port");
    EXPECT_STREQ(error.text, "port must be a number");
    EXPECT_EQ(instance, nullptr);

    error = extcomm_error{};
    std::string explode = R"({"throw":true})";
    args.settings_json = s(explode);
    EXPECT_EQ(api->create(&args, &instance, &error), EXTCOMM_ERR_INTERNAL);
    EXPECT_STREQ(error.field, "");
    EXPECT_STREQ(error.text, "plugin threw: constructor exploded");
    EXPECT_EQ(instance, nullptr);
}

TEST(SdkShims, SendThrowsBecomeInternalOutcomes) {
    const extcomm_transport_api* api = negotiate(&extcomm_transport_entry);
    extcomm_instance* instance = create(api);
    ASSERT_NE(instance, nullptr);

    extcomm_message in[2] = {message("send"), message("send")};
    auto out = slots(2);
    EXPECT_EQ(api->send(instance, in, 2, out.data()), EXTCOMM_ERR_INTERNAL);
    for (const auto& r : out) {
        EXPECT_EQ(r.outcome, EXTCOMM_OUTCOME_INTERNAL);
        EXPECT_STREQ(r.provider_code, "internal");
        EXPECT_STREQ(r.provider_text, "plugin threw: boom in send");
    }

    extcomm_message odd = message("int");
    out = slots(1);
    EXPECT_EQ(api->send(instance, &odd, 1, out.data()), EXTCOMM_ERR_INTERNAL);
    EXPECT_EQ(out[0].outcome, EXTCOMM_OUTCOME_INTERNAL);
    EXPECT_STREQ(out[0].provider_text, "plugin threw a non-standard exception");
    api->destroy(instance);
}

TEST(SdkShims, ParseWebhookThrowsBecome500) {
    const extcomm_transport_api* api = negotiate(&extcomm_transport_entry);
    extcomm_instance* instance = create(api);
    int emitted = 0;
    extcomm_update_sink sink{sizeof(extcomm_update_sink), &emitted,
                             [](void* ctx, const extcomm_status_update*) { ++*static_cast<int*>(ctx); }};
    extcomm_webhook_request request{};
    request.struct_size = sizeof request;
    request.method = s("POST");
    request.body = s("webhook");
    EXPECT_EQ(api->parse_webhook(instance, &request, &sink), 500);
    request.body = s("int");
    EXPECT_EQ(api->parse_webhook(instance, &request, &sink), 500);
    EXPECT_EQ(emitted, 0);
    api->destroy(instance);
}

TEST(SdkShims, EncodeAndDecodeThrowsBecomeInternal) {
    const extcomm_transport_api* api = negotiate(&extcomm::sdk::detail::Registration<CodecThrower>::entry);
    ASSERT_NE(api, nullptr);
    EXPECT_EQ(api->send, nullptr);
    ASSERT_NE(api->encode, nullptr);
    ASSERT_NE(api->decode, nullptr);
    extcomm_instance* instance = create(api);

    struct Seen {
        int requests = 0, settled = 0;
    } seen;
    extcomm_encode_sink sink{sizeof(extcomm_encode_sink), &seen,
                             [](void* ctx, const extcomm_http_request*) -> int32_t {
                                 ++static_cast<Seen*>(ctx)->requests;
                                 return EXTCOMM_OK;
                             },
                             [](void* ctx, uint32_t, const extcomm_result*) { ++static_cast<Seen*>(ctx)->settled; }};
    extcomm_message in = message("encode");
    EXPECT_EQ(api->encode(instance, &in, 1, &sink), EXTCOMM_ERR_INTERNAL); // the host settles all as internal
    EXPECT_EQ(seen.requests, 0);
    EXPECT_EQ(seen.settled, 0);

    uint32_t index = 0;
    extcomm_http_request request{};
    request.struct_size = sizeof request;
    request.method = s("POST");
    request.url = s("https://sms.example.org/send");
    request.message_indices = &index;
    request.message_count = 1;
    extcomm_http_response response{};
    response.struct_size = sizeof response;
    response.status = 200;
    response.body = s("{}");
    for (std::string_view body : {"decode", "int"}) {
        extcomm_message carried = message(body);
        auto out = slots(1);
        EXPECT_EQ(api->decode(instance, &request, &carried, &response, out.data()), EXTCOMM_ERR_INTERNAL);
        EXPECT_EQ(out[0].outcome, EXTCOMM_OUTCOME_INTERNAL) << body;
        EXPECT_EQ(std::string(out[0].provider_text).rfind("plugin threw", 0), 0u) << out[0].provider_text;
    }
    api->destroy(instance);
}

} // namespace
