/* future-version: speaks only interface version 2, which this host does not offer. It must answer
 * EXTCOMM_ERR_UNSUPPORTED [R2] and be refused with that reason. */
#include <extcomm/transport.h>

EXTCOMM_EXPORT int32_t extcomm_transport_entry(extcomm_negotiation* n);
EXTCOMM_EXPORT int32_t extcomm_transport_entry(extcomm_negotiation* n) {
    if (!n || n->struct_size < sizeof *n) return EXTCOMM_ERR_UNSUPPORTED;
    if (n->host_max_version < 2u || n->host_min_version > 2u) return EXTCOMM_ERR_UNSUPPORTED;
    n->chosen_version = 2u;
    n->api = 0; /* a version 2 table would go here */
    return EXTCOMM_OK;
}
