// strict-port: loads fine; its settings schema wants {"host": string, "port": integer}, so a
// configuration with "port": "abc" is refused with the JSON path before create is ever called.
#include <extcomm/sdk.hpp>

namespace {
using namespace extcomm::sdk;

class StrictPort final : public Transport {
public:
    explicit StrictPort(const CreateContext& context) : Transport(context) {}
    static Descriptor describe() {
        return {"strict-port", "Strict port", "extcomm tests", "1.0.0", EXTCOMM_CHANNEL_EMAIL, EXTCOMM_SEND_SESSION, 0, 1,
                0,
                R"({"type":"object","additionalProperties":false,"required":["host","port"],
                    "properties":{"host":{"type":"string","minLength":1},
                                  "port":{"type":"integer","minimum":1,"maximum":65535}}})",
                nullptr};
    }
    std::vector<Result> send(const std::vector<Message>& messages) override {
        return std::vector<Result>(messages.size(), Result::accepted("strict"));
    }
};
} // namespace

EXTCOMM_TRANSPORT(StrictPort)
