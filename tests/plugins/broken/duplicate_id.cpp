// twin-a and zz-duplicate-id: two files built from this source, both claiming the id "test-twin". Both
// must be refused: the host cannot tell which one the configuration meant.
#include <extcomm/sdk.hpp>

namespace {
using namespace extcomm::sdk;

class Echo final : public Transport {
public:
    explicit Echo(const CreateContext& context) : Transport(context) {}
    static Descriptor describe() {
        return {"test-twin", "Test twin (duplicate id)", "extcomm tests", "1.0.0", EXTCOMM_CHANNEL_EMAIL | EXTCOMM_CHANNEL_SMS,
                EXTCOMM_SEND_SESSION, EXTCOMM_CAP_UNICODE, 10, 0,
                R"({"type":"object","additionalProperties":false,"properties":{"note":{"type":"string"}}})",
                "Shares its id with another file; both must be refused."};
    }
    std::vector<Result> send(const std::vector<Message>& messages) override {
        std::vector<Result> out;
        for (const Message& m : messages) out.push_back(Result::accepted("echo-" + std::string(m.id), "ok", std::string(m.to)));
        return out;
    }
};
} // namespace

EXTCOMM_TRANSPORT(Echo)
