// create-throws: loads fine, but its constructor throws, so the SDK's create shim reports an internal
// error and the host leaves the transport out.
#include <extcomm/sdk.hpp>

#include <stdexcept>

namespace {
using namespace extcomm::sdk;

class CreateThrows final : public Transport {
public:
    explicit CreateThrows(const CreateContext& context) : Transport(context) {
        throw std::runtime_error("create-throws always fails to start");
    }
    static Descriptor describe() {
        return {"create-throws", "Create throws", "extcomm tests", "1.0.0", EXTCOMM_CHANNEL_EMAIL, EXTCOMM_SEND_SESSION,
                0, 1, 0, R"({"type":"object","additionalProperties":false,"properties":{}})", nullptr};
    }
    std::vector<Result> send(const std::vector<Message>& messages) override {
        return std::vector<Result>(messages.size(), Result::accepted("never"));
    }
};
} // namespace

EXTCOMM_TRANSPORT(CreateThrows)
