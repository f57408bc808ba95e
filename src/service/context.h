/* What every use case is called with: the database connection of the calling thread, today's
 * date (taken from the clock by the edge, so the rules stay testable for any day), and who is
 * asking, from where. */
#ifndef TK_SERVICE_CONTEXT_H
#define TK_SERVICE_CONTEXT_H

#include "core/date.h"
#include "store/store.h"

typedef struct tk_caller tk_caller; /* service/auth.h */

typedef struct tk_ctx {
    tk_db *db;     /* borrowed: owned by the edge (one per thread) */
    tk_date today;
    /* Who asks: NULL for the system itself (the command line run by the server's administrator,
     * the demo loader), which may do everything. Borrowed. */
    const tk_caller *caller;
    const char *client_addr; /* for the audit log; may be NULL */
    const char *request_id;  /* for the audit log; may be NULL */
} tk_ctx;

/* Today in local time, for the edges. */
tk_date tk_ctx_today(void);

#endif
