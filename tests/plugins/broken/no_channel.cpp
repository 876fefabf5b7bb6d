// no-channel: a descriptor that names neither email nor sms; refused at load.
#include <extcomm/sdk.hpp>

namespace {
using namespace extcomm::sdk;

class NoChannel final : public Transport {
public:
    explicit NoChannel(const CreateContext& context) : Transport(context) {}
    static Descriptor describe() {
        return {"no-channel", "No channel", "extcomm tests", "1.0.0", 0, EXTCOMM_SEND_SESSION, 0, 1, 0,
                R"({"type":"object","additionalProperties":false})", nullptr};
    }
};
} // namespace

EXTCOMM_TRANSPORT(NoChannel)
