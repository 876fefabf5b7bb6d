/* no-entry: a shared object that loads but exports no extcomm_transport_entry. */
#include <extcomm/transport.h>

EXTCOMM_EXPORT int32_t something_else_entirely(void);
EXTCOMM_EXPORT int32_t something_else_entirely(void) { return 42; }
