/* Create, read, update and list for the objects of the domain, written once.
 *
 * Each kind of object is described by a tk_resource: its table, its fields with their types,
 * limits and Vietnamese labels, and hooks for the rules that are its own (a task's deadline is
 * read from Vietnamese text, a document cannot implement itself, ...). The API, the pages and
 * the CLI all go through these functions, so validation, normalization and transactions are
 * the same everywhere.
 *
 * Objects travel as jansson objects: what the API answers is exactly what these return. */
#ifndef TK_SERVICE_RESOURCE_H
#define TK_SERVICE_RESOURCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "service/context.h"

typedef enum tk_field_type {
    TK_FIELD_TEXT,
    TK_FIELD_INT,
    TK_FIELD_REAL,
    TK_FIELD_BOOL,
    TK_FIELD_DATE, /* "YYYY-MM-DD" */
    TK_FIELD_REF,  /* the id of another object; `ref` names its resource */
    TK_FIELD_ENUM, /* one of `values` */
} tk_field_type;

enum tk_field_flags {
    TK_FIELD_REQUIRED = 1 << 0,  /* must be given on create, cannot be set to null */
    TK_FIELD_IMMUTABLE = 1 << 1, /* set on create only */
    TK_FIELD_OUTPUT = 1 << 2,    /* shown, never accepted as input (kept by the service) */
    TK_FIELD_HIDDEN = 1 << 3,    /* neither shown nor accepted (search columns, counters) */
};

typedef struct tk_resource tk_resource;

typedef struct tk_field {
    const char *name;   /* JSON name */
    const char *column; /* column when it differs from name, else NULL */
    tk_field_type type;
    unsigned flags;
    const char *label;  /* Vietnamese, for messages: "tên", "ngày ban hành" */
    const tk_resource *ref;       /* TK_FIELD_REF */
    const char *const *values;    /* TK_FIELD_ENUM: NULL-terminated */
    int64_t min, max;   /* TK_FIELD_INT: range; TK_FIELD_TEXT: max characters (0 = 2000) */
    const char *fallback; /* default on create, as JSON text ("1", "\"last\""), or NULL */
} tk_field;

struct tk_resource {
    const char *name;   /* "task": used in error codes and messages for programs */
    const char *table;  /* "tasks" */
    const char *label;  /* "nhiệm vụ" */
    const tk_field *fields; /* ends with a field whose name is NULL */
    const char *folded_column;       /* column holding the folded search text, or NULL */
    const char *const *folded_from;  /* JSON fields whose text is folded into it */
    const char *const *extra_inputs; /* members accepted beside the fields, read by the hooks */
    const char *order_by;            /* list order (columns of alias r), default "r.id" */

    /* Rules of this kind of object, run inside the write transaction after the fields are
     * validated. `row` holds the validated values to write (JSON names) and may be changed;
     * `input` is what the caller sent; `old` is the stored object on update, NULL on create. */
    tk_code (*check)(tk_ctx *ctx, json_t *row, json_t *input, const json_t *old, tk_error *err);
    /* Writes that follow the row itself (a task's coordinators), same transaction. */
    tk_code (*after_write)(tk_ctx *ctx, int64_t id, json_t *input, tk_error *err);
    /* Permissions (service/auth.h). owner_sql: the organization an object belongs to, as an SQL
     * expression over the row aliased r ("r.lead_org_id"). coowners_sql: a SELECT of further
     * organizations that may write it, over r (a task's coordinators), or NULL; coowners_by_id:
     * the same with "?" for the object's id. write_roles: the roles (TK_ROLE_BIT) that may
     * create and change it on their subtree. visible_below: units under the owner see it too
     * (the documents and programs they implement), not only units above it. */
    const char *owner_sql;
    const char *coowners_sql;
    const char *coowners_by_id;
    unsigned write_roles;
    bool visible_below;
    /* A list of its own (filters beyond the generic ones), used by tk_resource_list. */
    tk_code (*list)(tk_ctx *ctx, const json_t *query, json_t **out, tk_error *err);
    /* Adds computed members to an object read from the store (status, progress, ...). */
    tk_code (*decorate)(tk_ctx *ctx, json_t *obj, tk_error *err);
};

/* The resources of the domain (service/domain.c). */
extern const tk_resource tk_res_organization, tk_res_term, tk_res_document, tk_res_document_item,
    tk_res_program, tk_res_indicator, tk_res_indicator_target, tk_res_indicator_value, tk_res_task,
    tk_res_task_update, tk_res_task_extension;

/* Validates body (a JSON object) and writes a new object in one transaction. *out: the stored
 * object as read back (new reference). Nothing is written on error. */
tk_code tk_resource_create(tk_ctx *ctx, const tk_resource *res, json_t *body, json_t **out, tk_error *err);

/* Changes the members of body on object id (members absent keep their value). */
tk_code tk_resource_update(tk_ctx *ctx, const tk_resource *res, int64_t id, json_t *body, json_t **out,
                           tk_error *err);

/* Reads one object (new reference); TK_NOT_FOUND when there is none. */
tk_code tk_resource_get(tk_ctx *ctx, const tk_resource *res, int64_t id, json_t **out, tk_error *err);

/* The same without the transaction and decoration, for use inside another write. */
tk_code tk_resource_read_row(tk_ctx *ctx, const tk_resource *res, int64_t id, json_t **out, tk_error *err);

typedef struct tk_page {
    int page;     /* 1-based */
    int per_page; /* 1..200 */
} tk_page;

/* Reads "page" and "per_page" from query (string values), with defaults 1 and 50. */
tk_code tk_page_from_query(const json_t *query, tk_page *page, tk_error *err);

/* Lists objects, filtered by the query's members: any REF or ENUM field by value
 * (?document_id=3), and "q" for folded text search; ordered by id. Answers
 * {"items":[...], "page":N, "per_page":N, "has_more":bool}. */
tk_code tk_resource_list(tk_ctx *ctx, const tk_resource *res, const json_t *query, json_t **out, tk_error *err);

/* Checks that `id` names a stored object of res (TK_NOT_FOUND naming `field` otherwise). */
tk_code tk_resource_exists(tk_ctx *ctx, const tk_resource *res, int64_t id, const char *field, tk_error *err);

/* For lists written by hand over a resource's table: appends "SELECT <alias>.id, <columns>,
 * <alias>.created_at, <alias>.updated_at FROM <table> <alias>", and turns a row of such a
 * SELECT into the object (new reference, not decorated). */
struct tk_sqlbuf;
void tk_resource_select(struct tk_sqlbuf *sql, const tk_resource *res, const char *alias);
json_t *tk_resource_row_json(tk_stmt *st, const tk_resource *res);

/* Appends " AND (<the caller may see r>)" to sql and its bindings to binds (JSON values), for
 * lists written by hand; nothing for the system and admins. */
void tk_resource_scope(tk_ctx *ctx, const tk_resource *res, struct tk_sqlbuf *sql, json_t *binds);
/* TK_NOT_FOUND when the caller may not see object id of res. */
tk_code tk_resource_check_visible(tk_ctx *ctx, const tk_resource *res, int64_t id, tk_error *err);
/* TK_FORBIDDEN when the caller holds none of res's write roles over object id's owner (or one
 * of its co-owners). The refusal is written to the audit log by the caller's edge. */
tk_code tk_resource_check_write(tk_ctx *ctx, const tk_resource *res, int64_t id, tk_error *err);

/* Reads an integer id from a query string value ("12"); TK_INVALID_INPUT naming field. *out is
 * 0 and *present false when the query has no such member. */
tk_code tk_query_id(const json_t *query, const char *field, int64_t *out, bool *present, tk_error *err);
/* Reads an ISO date from a query string value; *out keeps its value (the caller's default) when
 * the query has no such member. */
tk_code tk_query_date(const json_t *query, const char *field, tk_date *out, bool *present, tk_error *err);

#endif
