#include "service/resource.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "service/audit.h"
#include "service/auth.h"
#include "store/sqlbuf.h"

enum { DEFAULT_TEXT_MAX = 2000, DEFAULT_PER_PAGE = 50, MAX_PER_PAGE = 200, MAX_PAGE = 100000 };

tk_date tk_ctx_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return tk_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static const char *column_of(const tk_field *f)
{
    return f->column ? f->column : f->name;
}

static const tk_field *find_field(const tk_resource *res, const char *name)
{
    for (const tk_field *f = res->fields; f->name; f++)
        if (strcmp(f->name, name) == 0) return f;
    return NULL;
}

static tk_code storage_error(tk_error *err, const char *what)
{
    if (err && err->code != TK_OK) return err->code;
    return tk_error_set(err, TK_STORAGE, NULL, "Lỗi cơ sở dữ liệu khi %s", what);
}

static void bind_json(tk_stmt *st, int index, const json_t *v)
{
    if (json_is_string(v)) tk_stmt_bind_text(st, index, json_string_value(v));
    else if (json_is_integer(v)) tk_stmt_bind_int(st, index, json_integer_value(v));
    else if (json_is_real(v)) tk_stmt_bind_double(st, index, json_real_value(v));
    else if (json_is_true(v)) tk_stmt_bind_int(st, index, 1);
    else if (json_is_false(v)) tk_stmt_bind_int(st, index, 0);
    else tk_stmt_bind_null(st, index);
}

static json_t *column_json(tk_stmt *st, int col, tk_field_type type)
{
    if (tk_stmt_column_is_null(st, col)) return json_null();
    switch (type) {
    case TK_FIELD_INT:
    case TK_FIELD_REF:
        return json_integer(tk_stmt_column_int(st, col));
    case TK_FIELD_REAL:
        return json_real(tk_stmt_column_double(st, col));
    case TK_FIELD_BOOL:
        return json_boolean(tk_stmt_column_int(st, col) != 0);
    default:
        return json_string(tk_stmt_column_text(st, col));
    }
}

tk_code tk_resource_exists(tk_ctx *ctx, const tk_resource *res, int64_t id, const char *field, tk_error *err)
{
    tk_sqlbuf sql;
    tk_sqlbuf_init(&sql);
    tk_sqlbuf_add(&sql, "SELECT 1 FROM ", res->table, " WHERE id = ?", NULL);
    tk_stmt *st = tk_db_prepare(ctx->db, sql.text, err);
    if (!st) return storage_error(err, "tìm đối tượng");
    tk_stmt_bind_int(st, 1, id);
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage_error(err, "tìm đối tượng");
    if (s == TK_STEP_DONE)
        return tk_error_set(err, TK_NOT_FOUND, field, "Không có %s mã số %lld", res->label, (long long)id);
    return TK_OK;
}

/* Checks one input value against its field and returns the value to store (new reference)
 * in *out: text normalized to NFC, everything else as given. */
static tk_code validate_value(tk_ctx *ctx, const tk_field *f, json_t *v, json_t **out, tk_error *err)
{
    *out = NULL;
    if (json_is_null(v)) {
        if (f->flags & TK_FIELD_REQUIRED)
            return tk_error_set(err, TK_INVALID_INPUT, f->name, "Cần nhập %s", f->label);
        *out = json_null();
        return TK_OK;
    }
    /* The API parser lets NUL through inside strings so that it can be refused here, naming
     * the field; a C string would silently end at it. */
    if (json_is_string(v) && strlen(json_string_value(v)) != json_string_length(v))
        return tk_error_set(err, TK_INVALID_INPUT, f->name, "%s chứa ký tự NUL không hợp lệ", f->label);
    switch (f->type) {
    case TK_FIELD_TEXT: {
        if (!json_is_string(v))
            return tk_error_set(err, TK_INVALID_INPUT, f->name, "%s phải là văn bản", f->label);
        char *norm = NULL;
        tk_code rc = tk_text_normalize(json_string_value(v), json_string_length(v), f->name, &norm, err);
        if (rc) return rc;
        int64_t max = f->max ? f->max : DEFAULT_TEXT_MAX;
        if ((int64_t)tk_text_length(norm) > max) {
            free(norm);
            return tk_error_set(err, TK_INVALID_INPUT, f->name, "%s dài quá %lld ký tự", f->label, (long long)max);
        }
        bool blank = true;
        for (const char *p = norm; *p; p++)
            if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') blank = false;
        if (blank && (f->flags & TK_FIELD_REQUIRED)) {
            free(norm);
            return tk_error_set(err, TK_INVALID_INPUT, f->name, "Cần nhập %s", f->label);
        }
        *out = json_string(norm);
        free(norm);
        break;
    }
    case TK_FIELD_INT:
        if (!json_is_integer(v))
            return tk_error_set(err, TK_INVALID_INPUT, f->name, "%s phải là số nguyên", f->label);
        if ((f->min || f->max) && (json_integer_value(v) < f->min || json_integer_value(v) > f->max))
            return tk_error_set(err, TK_INVALID_INPUT, f->name, "%s phải từ %lld đến %lld", f->label,
                                (long long)f->min, (long long)f->max);
        *out = json_incref(v);
        break;
    case TK_FIELD_REAL:
        if (!json_is_number(v) || !isfinite(json_number_value(v)))
            return tk_error_set(err, TK_INVALID_INPUT, f->name, "%s phải là số", f->label);
        *out = json_real(json_number_value(v));
        break;
    case TK_FIELD_BOOL:
        if (!json_is_boolean(v))
            return tk_error_set(err, TK_INVALID_INPUT, f->name, "%s phải là true hoặc false", f->label);
        *out = json_incref(v);
        break;
    case TK_FIELD_DATE: {
        tk_date d;
        if (!json_is_string(v) || !tk_date_parse_iso(json_string_value(v), &d))
            return tk_error_set(err, TK_INVALID_INPUT, f->name,
                                "%s phải là một ngày có thật, viết YYYY-MM-DD, trong khoảng 1900-2100", f->label);
        *out = json_incref(v);
        break;
    }
    case TK_FIELD_REF: {
        if (!json_is_integer(v) || json_integer_value(v) <= 0)
            return tk_error_set(err, TK_INVALID_INPUT, f->name, "%s phải là mã số (số nguyên dương)", f->label);
        tk_code rc = tk_resource_exists(ctx, f->ref, json_integer_value(v), f->name, err);
        if (rc) return rc;
        *out = json_incref(v);
        break;
    }
    case TK_FIELD_ENUM: {
        if (json_is_string(v))
            for (const char *const *e = f->values; *e; e++)
                if (strcmp(*e, json_string_value(v)) == 0) {
                    *out = json_incref(v);
                    return TK_OK;
                }
        char allowed[512] = "";
        size_t len = 0;
        for (const char *const *e = f->values; *e && len < sizeof allowed - 1; e++) {
            size_t n = strlen(*e);
            if (len + n + 3 >= sizeof allowed) break;
            if (len) {
                memcpy(allowed + len, ", ", 2);
                len += 2;
            }
            memcpy(allowed + len, *e, n + 1);
            len += n;
        }
        return tk_error_set(err, TK_INVALID_INPUT, f->name, "%s phải là một trong: %s", f->label, allowed);
    }
    }
    return TK_OK;
}

static bool is_extra_input(const tk_resource *res, const char *key)
{
    for (const char *const *e = res->extra_inputs; e && *e; e++)
        if (strcmp(*e, key) == 0) return true;
    return false;
}

/* Builds the row to write from body: every member must be a known input field. */
static tk_code validate_body(tk_ctx *ctx, const tk_resource *res, json_t *body, bool creating, json_t *row,
                             tk_error *err)
{
    if (!json_is_object(body))
        return tk_error_set(err, TK_INVALID_JSON, NULL, "Nội dung gửi lên phải là một đối tượng JSON");
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        const tk_field *f = find_field(res, key);
        if (!f || (f->flags & TK_FIELD_HIDDEN)) {
            /* Members the service keeps itself are tolerated, so a client can send back what
             * it read; anything else is a mistake worth naming. */
            if (strcmp(key, "id") == 0 || strcmp(key, "created_at") == 0 || strcmp(key, "updated_at") == 0)
                continue;
            if (!f && is_extra_input(res, key)) continue; /* read by the resource's own hooks */
            return tk_error_set(err, TK_INVALID_INPUT, key, "Trường \"%s\" không có ở %s", key, res->label);
        }
        if (f->flags & TK_FIELD_OUTPUT) continue;
        if (!creating && (f->flags & TK_FIELD_IMMUTABLE))
            return tk_error_set(err, TK_INVALID_INPUT, f->name, "Không thể sửa %s sau khi đã tạo", f->label);
        json_t *value;
        tk_code rc = validate_value(ctx, f, v, &value, err);
        if (rc) return rc;
        json_object_set_new(row, f->name, value);
    }
    if (creating) {
        for (const tk_field *f = res->fields; f->name; f++) {
            if (f->flags & (TK_FIELD_OUTPUT | TK_FIELD_HIDDEN)) continue;
            if (json_object_get(row, f->name)) continue;
            if (f->fallback) {
                json_t *value = json_loads(f->fallback, JSON_DECODE_ANY, NULL);
                if (!value) return tk_error_set(err, TK_INTERNAL, f->name, "Giá trị mặc định sai");
                json_object_set_new(row, f->name, value);
            } else if (f->flags & TK_FIELD_REQUIRED) {
                return tk_error_set(err, TK_INVALID_INPUT, f->name, "Cần nhập %s", f->label);
            }
        }
    }
    return TK_OK;
}

/* The folded search text from the fields named in folded_from, taken from row, else old. */
static tk_code set_folded(const tk_resource *res, json_t *row, const json_t *old, tk_error *err)
{
    if (!res->folded_column) return TK_OK;
    size_t cap = 1, len = 0;
    for (const char *const *name = res->folded_from; *name; name++) {
        json_t *v = json_object_get(row, *name);
        if (!v && old) v = json_object_get(old, *name);
        if (json_is_string(v)) cap += json_string_length(v) + 1;
    }
    char *joined = malloc(cap);
    if (!joined) return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
    joined[0] = '\0';
    for (const char *const *name = res->folded_from; *name; name++) {
        json_t *v = json_object_get(row, *name);
        if (!v && old) v = json_object_get(old, *name);
        if (!json_is_string(v)) continue;
        if (len) joined[len++] = ' ';
        memcpy(joined + len, json_string_value(v), json_string_length(v) + 1);
        len += json_string_length(v);
    }
    char *folded = tk_text_fold(joined);
    free(joined);
    if (!folded) return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
    json_object_set_new(row, res->folded_column, json_string(folded));
    free(folded);
    return TK_OK;
}

static const char *row_column(const tk_resource *res, const char *key)
{
    if (res->folded_column && strcmp(key, res->folded_column) == 0) return key;
    const tk_field *f = find_field(res, key);
    return f ? column_of(f) : NULL;
}

static tk_code write_row(tk_ctx *ctx, const tk_resource *res, int64_t id, json_t *row, int64_t *new_id,
                         tk_error *err)
{
    tk_sqlbuf sql;
    tk_sqlbuf_init(&sql);
    const char *key;
    json_t *v;
    int n = 0;
    if (id == 0) {
        tk_sqlbuf_add(&sql, "INSERT INTO ", res->table, " (", NULL);
        json_object_foreach(row, key, v) {
            const char *col = row_column(res, key);
            if (!col) continue;
            tk_sqlbuf_add(&sql, n++ ? ", " : "", col, NULL);
        }
        tk_sqlbuf_add(&sql, ") VALUES (", NULL);
        for (int i = 0; i < n; i++) tk_sqlbuf_add(&sql, i ? ", ?" : "?", NULL);
        tk_sqlbuf_add(&sql, ")", NULL);
    } else {
        tk_sqlbuf_add(&sql, "UPDATE ", res->table, " SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')", NULL);
        json_object_foreach(row, key, v) {
            const char *col = row_column(res, key);
            if (!col) continue;
            tk_sqlbuf_add(&sql, ", ", col, " = ?", NULL);
            n++;
        }
        tk_sqlbuf_add(&sql, " WHERE id = ?", NULL);
    }
    if (sql.overflow) return tk_error_set(err, TK_INTERNAL, NULL, "Câu lệnh SQL quá dài");
    tk_stmt *st = tk_db_prepare(ctx->db, sql.text, err);
    if (!st) return storage_error(err, "ghi dữ liệu");
    int i = 1;
    json_object_foreach(row, key, v) {
        if (row_column(res, key)) bind_json(st, i++, v);
    }
    if (id) tk_stmt_bind_int(st, i, id);
    tk_code rc = tk_stmt_exec(st, err);
    if (rc) return rc;
    if (new_id) *new_id = id ? id : tk_db_last_id(ctx->db);
    return TK_OK;
}

void tk_resource_select(tk_sqlbuf *sql, const tk_resource *res, const char *alias)
{
    tk_sqlbuf_add(sql, "SELECT ", alias, ".id", NULL);
    for (const tk_field *f = res->fields; f->name; f++)
        if (!(f->flags & TK_FIELD_HIDDEN)) tk_sqlbuf_add(sql, ", ", alias, ".", column_of(f), NULL);
    tk_sqlbuf_add(sql, ", ", alias, ".created_at, ", alias, ".updated_at FROM ", res->table, " ", alias, NULL);
}

json_t *tk_resource_row_json(tk_stmt *st, const tk_resource *res)
{
    json_t *obj = json_object();
    int col = 0;
    json_object_set_new(obj, "id", json_integer(tk_stmt_column_int(st, col++)));
    for (const tk_field *f = res->fields; f->name; f++) {
        if (f->flags & TK_FIELD_HIDDEN) continue;
        json_object_set_new(obj, f->name, column_json(st, col++, f->type));
    }
    json_object_set_new(obj, "created_at", json_string(tk_stmt_column_text(st, col++)));
    json_object_set_new(obj, "updated_at", json_string(tk_stmt_column_text(st, col)));
    return obj;
}

void tk_resource_scope(tk_ctx *ctx, const tk_resource *res, tk_sqlbuf *sql, json_t *binds)
{
    char *scope = tk_auth_scope_json(ctx);
    if (!scope) return;
    /* The caller's granted organizations travel as one JSON array bound once per use, so the
     * statement's text is the same for every caller and the check is part of the one query. */
    tk_sqlbuf_add(sql, " AND ((", res->owner_sql,
                  ") IN (SELECT org_id FROM org_ancestors WHERE ancestor_id IN (SELECT value FROM json_each(?)))", NULL);
    json_array_append_new(binds, json_string(scope));
    if (res->visible_below) {
        tk_sqlbuf_add(sql, " OR (", res->owner_sql,
                      ") IN (SELECT ancestor_id FROM org_ancestors WHERE org_id IN (SELECT value FROM json_each(?)))",
                      NULL);
        json_array_append_new(binds, json_string(scope));
    }
    if (res->coowners_sql) {
        tk_sqlbuf_add(sql, " OR EXISTS (SELECT 1 FROM org_ancestors sa WHERE sa.ancestor_id IN "
                           "(SELECT value FROM json_each(?)) AND sa.org_id IN (", res->coowners_sql, "))", NULL);
        json_array_append_new(binds, json_string(scope));
    }
    tk_sqlbuf_add(sql, ")", NULL);
    free(scope);
}

static void bind_all(tk_stmt *st, const json_t *binds, int first)
{
    size_t i;
    json_t *v;
    json_array_foreach(binds, i, v) bind_json(st, first + (int)i, v);
}

tk_code tk_resource_check_visible(tk_ctx *ctx, const tk_resource *res, int64_t id, tk_error *err)
{
    if (tk_auth_is_admin(ctx) || !res->owner_sql) return TK_OK;
    tk_sqlbuf sql;
    tk_sqlbuf_init(&sql);
    json_t *binds = json_array();
    tk_sqlbuf_add(&sql, "SELECT 1 FROM ", res->table, " r WHERE r.id = ?", NULL);
    tk_resource_scope(ctx, res, &sql, binds);
    tk_stmt *st = tk_db_prepare(ctx->db, sql.text, err);
    tk_code rc = TK_OK;
    if (!st) rc = storage_error(err, "kiểm tra quyền");
    if (!rc) {
        tk_stmt_bind_int(st, 1, id);
        bind_all(st, binds, 2);
        tk_step s = tk_stmt_step(st, err);
        if (s == TK_STEP_ERROR) rc = storage_error(err, "kiểm tra quyền");
        else if (s == TK_STEP_DONE)
            rc = tk_error_set(err, TK_NOT_FOUND, NULL, "Không có %s mã số %lld", res->label, (long long)id);
        tk_stmt_reset(st);
    }
    json_decref(binds);
    return rc;
}

tk_code tk_resource_check_write(tk_ctx *ctx, const tk_resource *res, int64_t id, tk_error *err)
{
    if (tk_auth_is_admin(ctx)) return TK_OK;
    if (!res->owner_sql || !res->write_roles)
        return tk_error_set(err, TK_FORBIDDEN, NULL, "Bạn không có quyền thay đổi %s", res->label);
    tk_sqlbuf sql;
    tk_sqlbuf_init(&sql);
    tk_sqlbuf_add(&sql, "SELECT (", res->owner_sql, ") FROM ", res->table, " r WHERE r.id = ?", NULL);
    if (res->coowners_by_id) tk_sqlbuf_add(&sql, " UNION ", res->coowners_by_id, NULL);
    tk_stmt *st = tk_db_prepare(ctx->db, sql.text, err);
    if (!st) return storage_error(err, "kiểm tra quyền");
    tk_stmt_bind_int(st, 1, id);
    if (res->coowners_by_id) tk_stmt_bind_int(st, 2, id);
    json_t *owners = json_array();
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW)
        if (!tk_stmt_column_is_null(st, 0)) json_array_append_new(owners, json_integer(tk_stmt_column_int(st, 0)));
    tk_code rc = s == TK_STEP_ERROR ? storage_error(err, "kiểm tra quyền") : TK_OK;
    bool allowed = false;
    size_t i;
    json_t *v;
    json_array_foreach(owners, i, v) {
        if (rc || allowed) break;
        rc = tk_auth_has_role(ctx, res->write_roles, json_integer_value(v), &allowed, err);
    }
    json_decref(owners);
    if (!rc && !allowed) rc = tk_error_set(err, TK_FORBIDDEN, NULL, "Bạn không có quyền thay đổi %s này", res->label);
    return rc;
}

tk_code tk_resource_read_row(tk_ctx *ctx, const tk_resource *res, int64_t id, json_t **out, tk_error *err)
{
    tk_sqlbuf sql;
    tk_sqlbuf_init(&sql);
    tk_resource_select(&sql, res, "r");
    tk_sqlbuf_add(&sql, " WHERE r.id = ?", NULL);
    tk_stmt *st = tk_db_prepare(ctx->db, sql.text, err);
    if (!st) return storage_error(err, "đọc dữ liệu");
    tk_stmt_bind_int(st, 1, id);
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage_error(err, "đọc dữ liệu");
    if (s == TK_STEP_DONE)
        return tk_error_set(err, TK_NOT_FOUND, NULL, "Không có %s mã số %lld", res->label, (long long)id);
    *out = tk_resource_row_json(st, res);
    return TK_OK;
}

tk_code tk_resource_get(tk_ctx *ctx, const tk_resource *res, int64_t id, json_t **out, tk_error *err)
{
    json_t *obj = NULL;
    tk_code rc = tk_resource_read_row(ctx, res, id, &obj, err);
    if (!rc) rc = tk_resource_check_visible(ctx, res, id, err);
    if (!rc && res->decorate) rc = res->decorate(ctx, obj, err);
    if (rc) {
        json_decref(obj);
        return rc;
    }
    *out = obj;
    return TK_OK;
}

static tk_code save(tk_ctx *ctx, const tk_resource *res, int64_t id, json_t *body, json_t **out, tk_error *err)
{
    json_t *row = json_object(), *old = NULL;
    int64_t new_id = 0;
    json_t *after = NULL;
    tk_code rc = tk_db_begin(ctx->db, err);
    if (rc) goto done;
    if (id && (rc = tk_resource_read_row(ctx, res, id, &old, err))) goto out;
    if (id && (rc = tk_resource_check_visible(ctx, res, id, err))) goto out;
    if (id && (rc = tk_resource_check_write(ctx, res, id, err))) goto out;
    if ((rc = validate_body(ctx, res, body, id == 0, row, err))) goto out;
    if (res->check && (rc = res->check(ctx, row, body, old, err))) goto out;
    if ((rc = set_folded(res, row, old, err))) goto out;
    if ((rc = write_row(ctx, res, id, row, &new_id, err))) goto out;
    if (res->after_write && (rc = res->after_write(ctx, new_id, body, err))) goto out;
    /* Checked again on the object as written: a change may not move it out of the caller's
     * reach (a task handed to a unit the caller has no say over). */
    if ((rc = tk_resource_check_write(ctx, res, new_id, err))) goto out;
    if ((rc = tk_resource_read_row(ctx, res, new_id, &after, err))) goto out;
    rc = tk_audit_append(ctx, id ? "update" : "create", res->name, new_id, old, after, err);
out:
    rc = tk_db_end(ctx->db, rc, err);
done:
    json_decref(row);
    json_decref(old);
    json_decref(after);
    if (rc == TK_FORBIDDEN) {
        /* Refusals are kept too, in a transaction of their own (the write's was rolled back). */
        tk_error ignored;
        json_t *detail = json_pack("{s:s, s:s}", "resource", res->name, "reason", err->message);
        tk_audit_record(ctx, "denied", res->name, id, detail, &ignored);
        json_decref(detail);
    }
    if (rc) return rc;
    return out ? tk_resource_get(ctx, res, new_id, out, err) : TK_OK;
}

tk_code tk_resource_create(tk_ctx *ctx, const tk_resource *res, json_t *body, json_t **out, tk_error *err)
{
    return save(ctx, res, 0, body, out, err);
}

tk_code tk_resource_update(tk_ctx *ctx, const tk_resource *res, int64_t id, json_t *body, json_t **out,
                           tk_error *err)
{
    if (id <= 0) return tk_error_set(err, TK_NOT_FOUND, NULL, "Không có %s mã số %lld", res->label, (long long)id);
    return save(ctx, res, id, body, out, err);
}

tk_code tk_query_id(const json_t *query, const char *field, int64_t *out, bool *present, tk_error *err)
{
    *present = false;
    *out = 0;
    json_t *v = json_object_get(query, field);
    if (!v) return TK_OK;
    const char *s = json_string_value(v);
    char *end = NULL;
    long long n = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || n <= 0)
        return tk_error_set(err, TK_INVALID_INPUT, field, "\"%s\" phải là mã số (số nguyên dương)", field);
    *out = n;
    *present = true;
    return TK_OK;
}

tk_code tk_query_date(const json_t *query, const char *field, tk_date *out, bool *present, tk_error *err)
{
    *present = false;
    json_t *v = json_object_get(query, field);
    if (!v) return TK_OK;
    if (!json_is_string(v) || !tk_date_parse_iso(json_string_value(v), out))
        return tk_error_set(err, TK_INVALID_INPUT, field, "\"%s\" phải là một ngày có thật, viết YYYY-MM-DD", field);
    *present = true;
    return TK_OK;
}

tk_code tk_page_from_query(const json_t *query, tk_page *page, tk_error *err)
{
    page->page = 1;
    page->per_page = DEFAULT_PER_PAGE;
    int64_t n;
    bool present;
    tk_code rc = tk_query_id(query, "page", &n, &present, err);
    if (rc) return rc;
    if (present) {
        if (n > MAX_PAGE) return tk_error_set(err, TK_INVALID_INPUT, "page", "Số trang quá lớn");
        page->page = (int)n;
    }
    if ((rc = tk_query_id(query, "per_page", &n, &present, err))) return rc;
    if (present) {
        if (n > MAX_PER_PAGE)
            return tk_error_set(err, TK_INVALID_INPUT, "per_page", "Mỗi trang tối đa %d dòng", MAX_PER_PAGE);
        page->per_page = (int)n;
    }
    return TK_OK;
}

/* Escapes LIKE wildcards so a search for "50%" looks for those characters. New string. */
static char *like_pattern(const char *folded)
{
    size_t n = strlen(folded);
    char *p = malloc(2 * n + 3), *w = p;
    if (!p) return NULL;
    *w++ = '%';
    for (const char *s = folded; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\') *w++ = '\\';
        *w++ = *s;
    }
    *w++ = '%';
    *w = '\0';
    return p;
}

tk_code tk_resource_list(tk_ctx *ctx, const tk_resource *res, const json_t *query, json_t **out, tk_error *err)
{
    if (res->list) return res->list(ctx, query, out, err);
    tk_page page;
    tk_code rc = tk_page_from_query(query, &page, err);
    if (rc) return rc;

    tk_sqlbuf sql;
    tk_sqlbuf_init(&sql);
    tk_resource_select(&sql, res, "r");
    tk_sqlbuf_add(&sql, " WHERE 1 = 1", NULL);
    json_t *binds = json_array();
    char *pattern = NULL;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)query, key, v) {
        if (strcmp(key, "page") == 0 || strcmp(key, "per_page") == 0) continue;
        if (strcmp(key, "q") == 0 && res->folded_column) {
            char *folded = tk_text_fold(json_string_value(v) ? json_string_value(v) : "");
            if (!folded) {
                rc = tk_error_set(err, TK_INVALID_INPUT, "q", "Từ khóa tìm kiếm không phải UTF-8 hợp lệ");
                goto out;
            }
            free(pattern);
            pattern = like_pattern(folded);
            free(folded);
            if (!pattern) {
                rc = tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
                goto out;
            }
            tk_sqlbuf_add(&sql, " AND r.", res->folded_column, " LIKE ? ESCAPE '\\'", NULL);
            json_array_append_new(binds, json_string(pattern));
            continue;
        }
        const tk_field *f = find_field(res, key);
        if (!f || (f->flags & TK_FIELD_HIDDEN) ||
            (f->type != TK_FIELD_REF && f->type != TK_FIELD_ENUM && f->type != TK_FIELD_INT)) {
            rc = tk_error_set(err, TK_INVALID_INPUT, key, "Không lọc được theo \"%s\"", key);
            goto out;
        }
        if (f->type == TK_FIELD_ENUM) {
            json_t *value = NULL;
            if ((rc = validate_value(ctx, f, v, &value, err))) goto out;
            json_decref(value);
            tk_sqlbuf_add(&sql, " AND r.", column_of(f), " = ?", NULL);
            json_array_append_new(binds, json_incref(v));
        } else if (json_is_string(v) && strcmp(json_string_value(v), "null") == 0) {
            tk_sqlbuf_add(&sql, " AND r.", column_of(f), " IS NULL", NULL);
        } else {
            int64_t id;
            bool present;
            if ((rc = tk_query_id(query, key, &id, &present, err))) goto out;
            tk_sqlbuf_add(&sql, " AND r.", column_of(f), " = ?", NULL);
            json_array_append_new(binds, json_integer(id));
        }
    }
    if (res->owner_sql) tk_resource_scope(ctx, res, &sql, binds);
    tk_sqlbuf_add(&sql, " ORDER BY ", res->order_by ? res->order_by : "r.id", " LIMIT ? OFFSET ?", NULL);
    if (sql.overflow) {
        rc = tk_error_set(err, TK_INVALID_INPUT, NULL, "Quá nhiều điều kiện lọc");
        goto out;
    }
    tk_stmt *st = tk_db_prepare(ctx->db, sql.text, err);
    if (!st) {
        rc = storage_error(err, "đọc danh sách");
        goto out;
    }
    size_t i;
    json_array_foreach(binds, i, v) bind_json(st, (int)i + 1, v);
    tk_stmt_bind_int(st, (int)json_array_size(binds) + 1, page.per_page + 1);
    tk_stmt_bind_int(st, (int)json_array_size(binds) + 2, (int64_t)(page.page - 1) * page.per_page);
    json_t *items = json_array();
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) json_array_append_new(items, tk_resource_row_json(st, res));
    if (s == TK_STEP_ERROR) {
        json_decref(items);
        rc = storage_error(err, "đọc danh sách");
        goto out;
    }
    bool more = json_array_size(items) > (size_t)page.per_page;
    if (more) json_array_remove(items, json_array_size(items) - 1);
    if (res->decorate) {
        json_array_foreach(items, i, v) {
            if ((rc = res->decorate(ctx, v, err))) {
                json_decref(items);
                goto out;
            }
        }
    }
    *out = json_pack("{s:o, s:i, s:i, s:b}", "items", items, "page", page.page, "per_page", page.per_page,
                     "has_more", more);
out:
    free(pattern);
    json_decref(binds);
    return rc;
}
