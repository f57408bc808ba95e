#include "service/audit.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "service/auth.h"
#include "service/resource.h"

static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

void tk_sha256_hex(const void *data, size_t len, char out[TK_AUDIT_HASH_HEX])
{
    unsigned char digest[32];
    unsigned int n = 0;
    EVP_Digest(data, len, digest, &n, EVP_sha256(), NULL);
    for (unsigned int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", digest[i]);
    out[64] = '\0';
}

static tk_code storage(tk_error *err)
{
    return err->code ? err->code : tk_error_set(err, TK_STORAGE, NULL, "Lỗi cơ sở dữ liệu khi ghi nhật ký");
}

/* The canonical form of an entry: its members as JSON with sorted keys and no spaces. before
 * and after are JSON text as stored (already canonical), parsed back so they nest as values. */
static char *canonical(int64_t id, const char *at, const json_t *user_id, const char *login, const char *client_addr,
                       const char *request_id, const char *action, const char *object_type, const json_t *object_id,
                       const char *before, const char *after)
{
    json_t *entry = json_object();
    json_object_set_new(entry, "id", json_integer(id));
    json_object_set_new(entry, "at", json_string(at));
    json_object_set(entry, "user_id", (json_t *)user_id);
    json_object_set_new(entry, "login", login ? json_string(login) : json_null());
    json_object_set_new(entry, "client_addr", client_addr ? json_string(client_addr) : json_null());
    json_object_set_new(entry, "request_id", request_id ? json_string(request_id) : json_null());
    json_object_set_new(entry, "action", json_string(action));
    json_object_set_new(entry, "object_type", json_string(object_type));
    json_object_set(entry, "object_id", (json_t *)object_id);
    json_object_set_new(entry, "before", before ? json_string(before) : json_null());
    json_object_set_new(entry, "after", after ? json_string(after) : json_null());
    char *text = json_dumps(entry, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(entry);
    return text;
}

static char *dump(const json_t *v)
{
    return v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
}

tk_code tk_audit_append(tk_ctx *ctx, const char *action, const char *object_type, int64_t object_id,
                        const json_t *before, const json_t *after, tk_error *err)
{
    /* The previous hash: the chain's last link (the write transaction holds the lock, so no
     * other entry can come in between). */
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", err);
    if (!st) return storage(err);
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    int64_t id = s == TK_STEP_ROW ? tk_stmt_column_int(st, 0) + 1 : 1;
    char prev[TK_AUDIT_HASH_HEX];
    snprintf(prev, sizeof prev, "%s", s == TK_STEP_ROW ? tk_stmt_column_text(st, 1) : genesis);
    tk_stmt_reset(st);

    char at[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const tk_caller *caller = ctx->caller;
    json_t *user_id = caller ? json_integer(caller->user_id) : json_null();
    json_t *object = object_id ? json_integer(object_id) : json_null();
    const char *login = caller ? caller->login : "system";
    char *before_text = dump(before), *after_text = dump(after);
    char *text = canonical(id, at, user_id, login, ctx->client_addr, ctx->request_id, action, object_type, object,
                           before_text, after_text);
    tk_code rc = TK_OK;
    if (!text) {
        rc = tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
        goto out;
    }
    size_t prev_len = strlen(prev), text_len = strlen(text);
    char *chained = malloc(prev_len + text_len);
    if (!chained) {
        rc = tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
        goto out;
    }
    memcpy(chained, prev, prev_len);
    memcpy(chained + prev_len, text, text_len);
    char hash[TK_AUDIT_HASH_HEX];
    tk_sha256_hex(chained, prev_len + text_len, hash);
    free(chained);

    st = tk_db_prepare(ctx->db,
                       "INSERT INTO audit_log(id, at, user_id, login, client_addr, request_id, action, object_type, "
                       "object_id, before_json, after_json, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       err);
    if (!st) {
        rc = storage(err);
        goto out;
    }
    tk_stmt_bind_int(st, 1, id);
    tk_stmt_bind_text(st, 2, at);
    if (caller) tk_stmt_bind_int(st, 3, caller->user_id);
    else tk_stmt_bind_null(st, 3);
    tk_stmt_bind_text(st, 4, login);
    tk_stmt_bind_text(st, 5, ctx->client_addr);
    tk_stmt_bind_text(st, 6, ctx->request_id);
    tk_stmt_bind_text(st, 7, action);
    tk_stmt_bind_text(st, 8, object_type);
    if (object_id) tk_stmt_bind_int(st, 9, object_id);
    else tk_stmt_bind_null(st, 9);
    tk_stmt_bind_text(st, 10, before_text);
    tk_stmt_bind_text(st, 11, after_text);
    tk_stmt_bind_text(st, 12, prev);
    tk_stmt_bind_text(st, 13, hash);
    rc = tk_stmt_exec(st, err);
out:
    free(text);
    free(before_text);
    free(after_text);
    json_decref(user_id);
    json_decref(object);
    return rc;
}

tk_code tk_audit_record(tk_ctx *ctx, const char *action, const char *object_type, int64_t object_id,
                        const json_t *detail, tk_error *err)
{
    tk_code rc = tk_db_begin(ctx->db, err);
    if (rc) return rc;
    rc = tk_audit_append(ctx, action, object_type, object_id, NULL, detail, err);
    return tk_db_end(ctx->db, rc, err);
}

tk_code tk_audit_verify(tk_ctx *ctx, tk_audit_report *report, tk_error *err)
{
    memset(report, 0, sizeof *report);
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT id, at, user_id, login, client_addr, request_id, action, object_type, object_id, "
                                "before_json, after_json, prev_hash, hash FROM audit_log ORDER BY id",
                                err);
    if (!st) return storage(err);
    char prev[TK_AUDIT_HASH_HEX];
    snprintf(prev, sizeof prev, "%s", genesis);
    int64_t expected_id = 1;
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        int64_t id = tk_stmt_column_int(st, 0);
        report->entries++;
        const char *stored_prev = tk_stmt_column_text(st, 11), *stored_hash = tk_stmt_column_text(st, 12);
        if (id != expected_id) {
            report->first_bad = id;
            snprintf(report->reason, sizeof report->reason, "thiếu mục số %lld (mục bị xóa)", (long long)expected_id);
            break;
        }
        if (!stored_prev || strcmp(stored_prev, prev) != 0) {
            report->first_bad = id;
            snprintf(report->reason, sizeof report->reason, "mã băm của mục trước không khớp");
            break;
        }
        json_t *user_id = tk_stmt_column_is_null(st, 2) ? json_null() : json_integer(tk_stmt_column_int(st, 2));
        json_t *object = tk_stmt_column_is_null(st, 8) ? json_null() : json_integer(tk_stmt_column_int(st, 8));
        const char *at = tk_stmt_column_text(st, 1), *action = tk_stmt_column_text(st, 6);
        const char *type = tk_stmt_column_text(st, 7);
        char *text = canonical(id, at ? at : "", user_id, tk_stmt_column_text(st, 3), tk_stmt_column_text(st, 4),
                               tk_stmt_column_text(st, 5), action ? action : "", type ? type : "", object,
                               tk_stmt_column_text(st, 9), tk_stmt_column_text(st, 10));
        json_decref(user_id);
        json_decref(object);
        if (!text) {
            tk_stmt_reset(st);
            return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
        }
        size_t text_len = strlen(text);
        char *chained = malloc(64 + text_len);
        if (!chained) {
            free(text);
            tk_stmt_reset(st);
            return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
        }
        memcpy(chained, prev, 64);
        memcpy(chained + 64, text, text_len);
        char hash[TK_AUDIT_HASH_HEX];
        tk_sha256_hex(chained, 64 + text_len, hash);
        free(chained);
        free(text);
        if (!stored_hash || strcmp(stored_hash, hash) != 0) {
            report->first_bad = id;
            snprintf(report->reason, sizeof report->reason, "nội dung mục đã bị sửa (mã băm không khớp)");
            break;
        }
        snprintf(prev, sizeof prev, "%s", hash);
        expected_id++;
    }
    tk_stmt_reset(st);
    return s == TK_STEP_ERROR ? storage(err) : TK_OK;
}

/* Everyone may read the history of an object they can see; the whole log (sign-ins, accounts,
 * refusals) is for admins. */
static tk_code check_history_visible(tk_ctx *ctx, const char *type, int64_t id, tk_error *err)
{
    static const tk_resource *const kinds[] = {&tk_res_organization, &tk_res_term,      &tk_res_document,
                                               &tk_res_document_item, &tk_res_program,  &tk_res_indicator,
                                               &tk_res_task};
    for (size_t i = 0; type && id && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i]->name, type) == 0) return tk_resource_check_visible(ctx, kinds[i], id, err);
    return tk_error_set(err, TK_FORBIDDEN, NULL,
                        "Chỉ quản trị viên xem được toàn bộ nhật ký; hãy chọn một đối tượng (object_type, object_id)");
}

tk_code tk_audit_list(tk_ctx *ctx, const json_t *query, json_t **out, tk_error *err)
{
    tk_page page;
    tk_code rc = tk_page_from_query(query, &page, err);
    if (rc) return rc;
    const char *type = json_string_value(json_object_get(query, "object_type"));
    const char *action = json_string_value(json_object_get(query, "action"));
    int64_t object_id, user_id;
    bool has_object, has_user;
    if ((rc = tk_query_id(query, "object_id", &object_id, &has_object, err))) return rc;
    if ((rc = tk_query_id(query, "user_id", &user_id, &has_user, err))) return rc;
    if (!tk_auth_is_admin(ctx) && (rc = check_history_visible(ctx, type, has_object ? object_id : 0, err))) return rc;
    /* One statement for every combination of filters: an absent filter binds NULL and matches all. */
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT id, at, user_id, login, client_addr, request_id, action, object_type, object_id, "
                                "before_json, after_json FROM audit_log "
                                "WHERE (?1 IS NULL OR object_type = ?1) AND (?2 IS NULL OR object_id = ?2) "
                                "AND (?3 IS NULL OR user_id = ?3) AND (?4 IS NULL OR action = ?4) "
                                "ORDER BY id DESC LIMIT ?5 OFFSET ?6",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_text(st, 1, type);
    if (has_object) tk_stmt_bind_int(st, 2, object_id);
    if (has_user) tk_stmt_bind_int(st, 3, user_id);
    tk_stmt_bind_text(st, 4, action);
    tk_stmt_bind_int(st, 5, page.per_page + 1);
    tk_stmt_bind_int(st, 6, (int64_t)(page.page - 1) * page.per_page);
    json_t *items = json_array();
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        json_t *entry = json_object();
        static const char *const names[] = {"id", "at", "user_id", "login", "client_addr", "request_id", "action",
                                            "object_type", "object_id"};
        for (int c = 0; c < 9; c++) {
            json_t *v = tk_stmt_column_is_null(st, c) ? json_null()
                        : tk_stmt_column_is_int(st, c) ? json_integer(tk_stmt_column_int(st, c))
                                                       : json_string(tk_stmt_column_text(st, c));
            json_object_set_new(entry, names[c], v);
        }
        for (int c = 9; c < 11; c++) {
            const char *text = tk_stmt_column_text(st, c);
            json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
            json_object_set_new(entry, c == 9 ? "before" : "after", v ? v : json_null());
        }
        json_array_append_new(items, entry);
    }
    if (s == TK_STEP_ERROR) {
        json_decref(items);
        return storage(err);
    }
    bool more = json_array_size(items) > (size_t)page.per_page;
    if (more) json_array_remove(items, json_array_size(items) - 1);
    *out = json_pack("{s:o, s:i, s:i, s:b}", "items", items, "page", page.page, "per_page", page.per_page,
                     "has_more", more);
    return TK_OK;
}
