// open-schema: a settings schema that would let unknown keys through (no "additionalProperties": false);
// refused at load, because a misspelt setting must be an error, not silently ignored [R7].
#include <extcomm/sdk.hpp>

namespace {
using namespace extcomm::sdk;

class OpenSchema final : public Transport {
public:
    explicit OpenSchema(const CreateContext& context) : Transport(context) {}
    static Descriptor describe() {
        return {"open-schema", "Open schema", "extcomm tests", "1.0.0", EXTCOMM_CHANNEL_SMS, EXTCOMM_SEND_SESSION, 0, 1, 0,
                R"({"type":"object","properties":{"token":{"type":"string"}}})", nullptr};
    }
};
} // namespace

EXTCOMM_TRANSPORT(OpenSchema)
