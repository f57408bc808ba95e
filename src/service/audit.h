/* The audit log: every write appends an entry (who, when, from where, which object, before and
 * after) in the transaction of the write. Entries form a SHA-256 hash chain, and the database
 * refuses to update or delete them (triggers in store/migrations/0002_accounts.sql). */
#ifndef TK_SERVICE_AUDIT_H
#define TK_SERVICE_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "service/context.h"

enum { TK_AUDIT_HASH_HEX = 65 }; /* 64 hex digits and the NUL */

/* Appends an entry inside the caller's open transaction. before/after may be NULL. */
tk_code tk_audit_append(tk_ctx *ctx, const char *action, const char *object_type, int64_t object_id,
                        const json_t *before, const json_t *after, tk_error *err);

/* Appends an entry in a transaction of its own: for events that are not writes (a refused
 * sign-in, a refused permission). */
tk_code tk_audit_record(tk_ctx *ctx, const char *action, const char *object_type, int64_t object_id,
                        const json_t *detail, tk_error *err);

typedef struct tk_audit_report {
    int64_t entries;     /* entries read */
    int64_t first_bad;   /* id of the first entry that breaks the chain, 0 when none does */
    char reason[160];    /* why it breaks, in Vietnamese */
} tk_audit_report;

/* Recomputes the whole chain in id order. */
tk_code tk_audit_verify(tk_ctx *ctx, tk_audit_report *report, tk_error *err);

/* Entries, newest first, filtered by the query's object_type, object_id, user_id, action,
 * with page and per_page: {"items":[...], "page", "per_page", "has_more"}. */
tk_code tk_audit_list(tk_ctx *ctx, const json_t *query, json_t **out, tk_error *err);

/* The SHA-256 of len bytes as 64 lowercase hex digits. */
void tk_sha256_hex(const void *data, size_t len, char out[TK_AUDIT_HASH_HEX]);

#endif
