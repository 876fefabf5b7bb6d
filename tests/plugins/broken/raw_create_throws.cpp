// raw-create-throws: written without the SDK, and its create lets a C++ exception out through the C
// ABI, which R12 forbids. The host's last-resort catch must still refuse the transport and carry on.
#include <extcomm/transport.h>

#include <stdexcept>

namespace {

int32_t create(const extcomm_create_args*, extcomm_instance**, extcomm_error*) {
    throw std::runtime_error("raw-create-throws: an exception across the C ABI");
}
void destroy(extcomm_instance*) {}
int32_t send(extcomm_instance*, const extcomm_message*, size_t, extcomm_result*) { return EXTCOMM_ERR_INTERNAL; }

const extcomm_capabilities capabilities{sizeof(extcomm_capabilities), 0, 1, 0};
const extcomm_descriptor descriptor{sizeof(extcomm_descriptor), "raw-create-throws", "Raw create throws",
                                    "extcomm tests", "1.0.0", EXTCOMM_CHANNEL_EMAIL, EXTCOMM_SEND_SESSION,
                                    &capabilities, R"({"type":"object","additionalProperties":false})", nullptr};
const extcomm_transport_api api{sizeof(extcomm_transport_api), &descriptor, &create, &destroy, &send,
                                nullptr, nullptr, nullptr};

} // namespace

extern "C" EXTCOMM_EXPORT int32_t extcomm_transport_entry(extcomm_negotiation* n) {
    if (!n || n->struct_size < sizeof *n || n->host_min_version > 1u || n->host_max_version < 1u)
        return EXTCOMM_ERR_UNSUPPORTED;
    n->chosen_version = 1u;
    n->api = &api;
    return EXTCOMM_OK;
}
