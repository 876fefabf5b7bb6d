/* codec-without-decode: declares itself an HTTP codec but leaves decode NULL; refused at load [R4]. */
#include <extcomm/transport.h>

static int32_t create(const extcomm_create_args* args, extcomm_instance** out, extcomm_error* error) {
    (void)args, (void)error;
    static int instance;
    *out = (extcomm_instance*)&instance;
    return EXTCOMM_OK;
}
static void destroy(extcomm_instance* instance) { (void)instance; }
static int32_t encode(extcomm_instance* instance, const extcomm_message* messages, size_t count,
                      const extcomm_encode_sink* sink) {
    (void)instance, (void)messages, (void)count, (void)sink;
    return EXTCOMM_ERR_INTERNAL;
}

static const extcomm_capabilities capabilities = {sizeof(extcomm_capabilities), 0, 1, 0};
static const extcomm_descriptor descriptor = {
    sizeof(extcomm_descriptor), "codec-no-decode", "Codec without decode", "extcomm tests", "1.0.0",
    EXTCOMM_CHANNEL_SMS, EXTCOMM_SEND_HTTP_CODEC, &capabilities,
    "{\"type\":\"object\",\"additionalProperties\":false}", 0};
static const extcomm_transport_api api = {sizeof(extcomm_transport_api), &descriptor, create, destroy, 0, encode, 0, 0};

EXTCOMM_EXPORT int32_t extcomm_transport_entry(extcomm_negotiation* n);
EXTCOMM_EXPORT int32_t extcomm_transport_entry(extcomm_negotiation* n) {
    if (!n || n->struct_size < sizeof *n || n->host_min_version > 1u || n->host_max_version < 1u)
        return EXTCOMM_ERR_UNSUPPORTED;
    n->chosen_version = 1u;
    n->api = &api;
    return EXTCOMM_OK;
}
