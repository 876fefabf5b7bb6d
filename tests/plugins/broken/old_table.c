/* old-table: a plugin as an older header would have built it. Its function table's struct_size ends
 * after `decode` (no parse_webhook), its descriptor's before `description`, its capabilities' before
 * `max_body_length`. The bytes after each struct_size hold poison (a parse_webhook that aborts, a
 * description and a body length that must never be seen): a host that reads past struct_size [R3]
 * crashes or shows them; a correct one treats those fields as absent and sends through the plugin. */
#include <extcomm/transport.h>

#include <stdio.h>
#include <stdlib.h>

static int32_t create(const extcomm_create_args* args, extcomm_instance** out, extcomm_error* error) {
    (void)args, (void)error;
    static int instance;
    *out = (extcomm_instance*)&instance;
    return EXTCOMM_OK;
}
static void destroy(extcomm_instance* instance) { (void)instance; }
static int32_t send(extcomm_instance* instance, const extcomm_message* messages, size_t count,
                    extcomm_result* results) {
    (void)instance;
    for (size_t i = 0; i < count; ++i) {
        results[i].outcome = EXTCOMM_OUTCOME_ACCEPTED;
        snprintf(results[i].provider_message_id, sizeof results[i].provider_message_id, "old-%.*s",
                 (int)messages[i].id.size, messages[i].id.data);
        snprintf(results[i].provider_code, sizeof results[i].provider_code, "ok");
    }
    return EXTCOMM_OK;
}
static int32_t poison_webhook(extcomm_instance* instance, const extcomm_webhook_request* request,
                              const extcomm_update_sink* sink) {
    (void)instance, (void)request, (void)sink;
    abort(); /* beyond struct_size: the host must never call this */
}

static const extcomm_capabilities capabilities = {
    offsetof(extcomm_capabilities, max_body_length), 0, 5, 999 /* poison */};
static const extcomm_descriptor descriptor = {
    offsetof(extcomm_descriptor, description), "old-table", "Old table", "extcomm tests", "0.9.0",
    EXTCOMM_CHANNEL_EMAIL, EXTCOMM_SEND_SESSION, &capabilities,
    "{\"type\":\"object\",\"additionalProperties\":false}", "POISON: beyond struct_size"};
static const extcomm_transport_api api = {
    offsetof(extcomm_transport_api, parse_webhook), &descriptor, create, destroy, send, 0, 0,
    poison_webhook /* poison */};

EXTCOMM_EXPORT int32_t extcomm_transport_entry(extcomm_negotiation* n);
EXTCOMM_EXPORT int32_t extcomm_transport_entry(extcomm_negotiation* n) {
    if (!n || n->struct_size < sizeof *n || n->host_min_version > 1u || n->host_max_version < 1u)
        return EXTCOMM_ERR_UNSUPPORTED;
    n->chosen_version = 1u;
    n->api = &api;
    return EXTCOMM_OK;
}
