/* What every use case is called with: the database connection of the calling thread and
 * today's date (taken from the clock by the edge, so the rules stay testable for any day). */
#ifndef TK_SERVICE_CONTEXT_H
#define TK_SERVICE_CONTEXT_H

#include "core/date.h"
#include "store/store.h"

typedef struct tk_ctx {
    tk_db *db;     /* borrowed: owned by the edge (one per thread) */
    tk_date today;
} tk_ctx;

/* Today in local time, for the edges. */
tk_date tk_ctx_today(void);

#endif
