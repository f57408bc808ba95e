#include "service/auth.h"

#include <argon2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/text.h"
#include "io/mail.h"
#include "service/audit.h"

/* argon2id with the parameters OWASP recommends for interactive sign-in (19 MiB, 2 passes).
 * Each hash carries its parameters; a hash made with others is redone at the next sign-in. */
enum { ARGON_T = 2, ARGON_M = 19456, ARGON_P = 1, ARGON_SALT = 16, ARGON_HASH = 32, ARGON_ENCODED = 128 };
static const char argon_prefix[] = "$argon2id$v=19$m=19456,t=2,p=1$";

enum {
    PASSWORD_MIN = 10,
    PASSWORD_MAX = 256,
    IDLE_SECONDS = 8 * 3600,
    ABSOLUTE_SECONDS = 7 * 24 * 3600,
    TOUCH_SECONDS = 60,
    LOCK_SECONDS = 15 * 60,
};

static const char *const role_names[TK_ROLE_COUNT] = {"admin", "office", "editor", "leader", "inspector", "viewer"};

const char *tk_role_name(tk_role role)
{
    return (unsigned)role < TK_ROLE_COUNT ? role_names[role] : "unknown";
}

bool tk_role_from_name(const char *name, tk_role *out)
{
    for (int i = 0; name && i < TK_ROLE_COUNT; i++)
        if (strcmp(role_names[i], name) == 0) {
            *out = (tk_role)i;
            return true;
        }
    return false;
}

static tk_code storage(tk_error *err)
{
    return err->code ? err->code : tk_error_set(err, TK_STORAGE, NULL, "Lỗi cơ sở dữ liệu");
}

static void iso_time(time_t t, char buf[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static time_t parse_time(const char *s)
{
    struct tm tm = {0};
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                     &tm.tm_sec) != 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

tk_code tk_random_token(char out[TK_TOKEN_HEX], tk_error *err)
{
    unsigned char bytes[32];
    size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
        if (n <= 0) return tk_error_set(err, TK_IO, NULL, "Không lấy được số ngẫu nhiên từ hệ điều hành");
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof bytes; i++) snprintf(out + 2 * i, 3, "%02x", bytes[i]);
    return TK_OK;
}

/* ---- permissions ---- */

bool tk_auth_is_admin(const tk_ctx *ctx)
{
    if (!ctx->caller) return true;
    for (size_t i = 0; i < ctx->caller->grant_count; i++)
        if (ctx->caller->grants[i].role == TK_ROLE_ADMIN) return true;
    return false;
}

tk_code tk_auth_has_role(tk_ctx *ctx, unsigned roles, int64_t org_id, bool *out, tk_error *err)
{
    *out = false;
    if (tk_auth_is_admin(ctx)) {
        *out = true;
        return TK_OK;
    }
    for (size_t i = 0; i < ctx->caller->grant_count && !*out; i++) {
        if (!(roles & TK_ROLE_BIT(ctx->caller->grants[i].role))) continue;
        tk_stmt *st = tk_db_prepare(ctx->db, "SELECT 1 FROM org_ancestors WHERE ancestor_id = ? AND org_id = ?", err);
        if (!st) return storage(err);
        tk_stmt_bind_int(st, 1, ctx->caller->grants[i].org_id);
        tk_stmt_bind_int(st, 2, org_id);
        tk_step s = tk_stmt_step(st, err);
        if (s == TK_STEP_ERROR) return storage(err);
        *out = s == TK_STEP_ROW;
        tk_stmt_reset(st);
    }
    return TK_OK;
}

int64_t tk_auth_home_org(const tk_ctx *ctx)
{
    if (tk_auth_is_admin(ctx) || ctx->caller->grant_count == 0) return 0;
    return ctx->caller->grants[0].org_id;
}

char *tk_auth_scope_json(const tk_ctx *ctx)
{
    if (tk_auth_is_admin(ctx)) return NULL;
    json_t *orgs = json_array();
    for (size_t i = 0; i < ctx->caller->grant_count; i++)
        json_array_append_new(orgs, json_integer(ctx->caller->grants[i].org_id));
    char *text = json_dumps(orgs, JSON_COMPACT);
    json_decref(orgs);
    return text ? text : strdup("[]");
}

static tk_code need_admin(tk_ctx *ctx, tk_error *err)
{
    if (tk_auth_is_admin(ctx)) return TK_OK;
    return tk_error_set(err, TK_FORBIDDEN, NULL, "Chỉ quản trị viên được quản lý tài khoản");
}

/* ---- passwords ---- */

static tk_code check_password_rules(const char *password, const char *field, tk_error *err)
{
    size_t len = password ? strlen(password) : 0;
    if (!password || !tk_text_valid_utf8(password, len))
        return tk_error_set(err, TK_INVALID_INPUT, field, "Mật khẩu phải là văn bản UTF-8");
    if (tk_text_length(password) < PASSWORD_MIN)
        return tk_error_set(err, TK_INVALID_INPUT, field, "Mật khẩu cần ít nhất %d ký tự", PASSWORD_MIN);
    if (len > PASSWORD_MAX)
        return tk_error_set(err, TK_INVALID_INPUT, field, "Mật khẩu dài quá %d byte", PASSWORD_MAX);
    return TK_OK;
}

static tk_code hash_password(const char *password, char encoded[ARGON_ENCODED], tk_error *err)
{
    unsigned char salt[ARGON_SALT];
    if (getrandom(salt, sizeof salt, 0) != (ssize_t)sizeof salt)
        return tk_error_set(err, TK_IO, NULL, "Không lấy được số ngẫu nhiên từ hệ điều hành");
    int rc = argon2id_hash_encoded(ARGON_T, ARGON_M, ARGON_P, password, strlen(password), salt, sizeof salt,
                                   ARGON_HASH, encoded, ARGON_ENCODED);
    if (rc != ARGON2_OK) return tk_error_set(err, TK_INTERNAL, NULL, "Không băm được mật khẩu: %s", argon2_error_message(rc));
    return TK_OK;
}

/* A hash to check against when the login does not exist, so that a wrong login takes as long
 * as a wrong password and does not tell which logins exist. */
static char dummy_encoded[ARGON_ENCODED];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    tk_error err;
    if (hash_password("not a password of anyone", dummy_encoded, &err)) dummy_encoded[0] = '\0';
}

static const char *dummy_hash(void)
{
    pthread_once(&dummy_once, make_dummy);
    return dummy_encoded;
}

/* ---- accounts ---- */

static tk_code validate_login(const char *login, tk_error *err)
{
    size_t len = login ? strlen(login) : 0;
    if (len < 2 || len > 60)
        return tk_error_set(err, TK_INVALID_INPUT, "login", "Tên đăng nhập cần từ 2 đến 60 ký tự");
    for (const char *p = login; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
            return tk_error_set(err, TK_INVALID_INPUT, "login",
                                "Tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới");
    }
    return TK_OK;
}

tk_code tk_user_find(tk_ctx *ctx, const char *login, int64_t *id, tk_error *err)
{
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT id FROM users WHERE login = ?", err);
    if (!st) return storage(err);
    tk_stmt_bind_text(st, 1, login);
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    if (s == TK_STEP_DONE) return tk_error_set(err, TK_NOT_FOUND, "login", "Không có tài khoản \"%s\"", login);
    *id = tk_stmt_column_int(st, 0);
    tk_stmt_reset(st);
    return TK_OK;
}

static json_t *user_json(tk_ctx *ctx, int64_t id, tk_error *err)
{
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT login, display_name, must_change_password, disabled_at, email FROM users WHERE id = ?",
                                err);
    if (!st) return NULL;
    tk_stmt_bind_int(st, 1, id);
    if (tk_stmt_step(st, err) != TK_STEP_ROW) return NULL;
    json_t *user = json_pack("{s:I, s:s, s:s, s:b, s:s?, s:s?}", "id", (json_int_t)id, "login", tk_stmt_column_text(st, 0),
                             "display_name", tk_stmt_column_text(st, 1), "must_change_password",
                             (int)tk_stmt_column_int(st, 2), "disabled_at", tk_stmt_column_text(st, 3), "email",
                             tk_stmt_column_text(st, 4));
    tk_stmt_reset(st);
    return user;
}

/* Writes a grant inside the caller's transaction. */
static tk_code insert_grant(tk_ctx *ctx, int64_t user_id, tk_role role, int64_t org_id, int64_t *grant_id,
                            tk_error *err)
{
    if ((unsigned)role >= TK_ROLE_COUNT) return tk_error_set(err, TK_INVALID_INPUT, "role", "Vai trò không hợp lệ");
    if ((role == TK_ROLE_ADMIN) != (org_id == 0))
        return tk_error_set(err, TK_INVALID_INPUT, "org_id",
                            role == TK_ROLE_ADMIN ? "Quyền quản trị áp dụng cho toàn hệ thống, không gắn với đơn vị"
                                                  : "Cần chọn đơn vị cho vai trò này");
    tk_stmt *st = tk_db_prepare(ctx->db, "INSERT INTO grants(user_id, role, org_id, granted_by) VALUES (?, ?, ?, ?)",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, user_id);
    tk_stmt_bind_text(st, 2, tk_role_name(role));
    if (org_id) tk_stmt_bind_int(st, 3, org_id);
    else tk_stmt_bind_null(st, 3);
    if (ctx->caller) tk_stmt_bind_int(st, 4, ctx->caller->user_id);
    else tk_stmt_bind_null(st, 4);
    tk_code rc = tk_stmt_exec(st, err);
    if (rc == TK_CONFLICT) return tk_error_set(err, TK_NOT_FOUND, "org_id", "Không có tài khoản hoặc đơn vị đã nêu");
    if (rc) return rc;
    int64_t id = tk_db_last_id(ctx->db);
    json_t *after = json_pack("{s:I, s:I, s:s, s:o}", "id", (json_int_t)id, "user_id", (json_int_t)user_id, "role",
                              tk_role_name(role), "org_id", org_id ? json_integer(org_id) : json_null());
    rc = tk_audit_append(ctx, "grant", "user", user_id, NULL, after, err);
    json_decref(after);
    if (!rc && grant_id) *grant_id = id;
    return rc;
}

tk_code tk_user_create(tk_ctx *ctx, const char *login, const char *display_name, const char *password,
                       bool must_change, const tk_grant_spec *grant, int64_t *id, tk_error *err)
{
    tk_code rc = need_admin(ctx, err);
    if (!rc) rc = validate_login(login, err);
    if (!rc) rc = check_password_rules(password, "password", err);
    char *name = NULL;
    if (!rc) rc = tk_text_normalize(display_name ? display_name : "", display_name ? strlen(display_name) : 0,
                                    "display_name", &name, err);
    if (!rc && (!*name || tk_text_length(name) > 200))
        rc = tk_error_set(err, TK_INVALID_INPUT, "display_name", "Cần nhập họ tên (tối đa 200 ký tự)");
    char encoded[ARGON_ENCODED];
    if (!rc) rc = hash_password(password, encoded, err);
    if (rc) {
        free(name);
        return rc;
    }
    if ((rc = tk_db_begin(ctx->db, err))) {
        free(name);
        return rc;
    }
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "INSERT INTO users(login, display_name, password_hash, must_change_password) "
                                "VALUES (?, ?, ?, ?)",
                                err);
    if (!st) rc = storage(err);
    if (!rc) {
        tk_stmt_bind_text(st, 1, login);
        tk_stmt_bind_text(st, 2, name);
        tk_stmt_bind_text(st, 3, encoded);
        tk_stmt_bind_int(st, 4, must_change);
        rc = tk_stmt_exec(st, err);
        if (rc == TK_CONFLICT) rc = tk_error_set(err, TK_CONFLICT, "login", "Tên đăng nhập \"%s\" đã có", login);
    }
    int64_t new_id = rc ? 0 : tk_db_last_id(ctx->db);
    if (!rc) {
        json_t *after = user_json(ctx, new_id, err);
        rc = after ? tk_audit_append(ctx, "create", "user", new_id, NULL, after, err) : storage(err);
        json_decref(after);
    }
    if (!rc && grant) rc = insert_grant(ctx, new_id, grant->role, grant->org_id, NULL, err);
    rc = tk_db_end(ctx->db, rc, err);
    free(name);
    if (!rc && id) *id = new_id;
    return rc;
}

/* Runs one UPDATE on a user inside a transaction with its audit entry. */
static tk_code change_user(tk_ctx *ctx, int64_t user_id, const char *sql, const char *text, int64_t number,
                           const char *action, tk_error *err)
{
    tk_code rc = tk_db_begin(ctx->db, err);
    if (rc) return rc;
    json_t *before = user_json(ctx, user_id, err), *after = NULL;
    if (!before) rc = err->code ? err->code : tk_error_set(err, TK_NOT_FOUND, NULL, "Không có tài khoản mã số %lld", (long long)user_id);
    tk_stmt *st = rc ? NULL : tk_db_prepare(ctx->db, sql, err);
    if (!rc && !st) rc = storage(err);
    if (!rc) {
        int i = 1;
        if (text) tk_stmt_bind_text(st, i++, text);
        if (number >= 0) tk_stmt_bind_int(st, i++, number);
        tk_stmt_bind_int(st, i, user_id);
        rc = tk_stmt_exec(st, err);
    }
    if (!rc) after = user_json(ctx, user_id, err);
    if (!rc) rc = tk_audit_append(ctx, action, "user", user_id, before, after, err);
    json_decref(before);
    json_decref(after);
    return tk_db_end(ctx->db, rc, err);
}

tk_code tk_user_set_password(tk_ctx *ctx, int64_t user_id, const char *password, bool must_change, tk_error *err)
{
    tk_code rc = need_admin(ctx, err);
    if (!rc) rc = check_password_rules(password, "password", err);
    char encoded[ARGON_ENCODED];
    if (!rc) rc = hash_password(password, encoded, err);
    if (rc) return rc;
    return change_user(ctx, user_id,
                       "UPDATE users SET password_hash = ?, must_change_password = ?, failed_count = 0, "
                       "locked_until = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
                       encoded, must_change, "set_password", err);
}

tk_code tk_user_set_email(tk_ctx *ctx, int64_t user_id, const char *email, tk_error *err)
{
    tk_code rc = need_admin(ctx, err);
    if (rc) return rc;
    if (email && *email && !tk_mail_address_ok(email))
        return tk_error_set(err, TK_INVALID_INPUT, "email", "Địa chỉ thư \"%s\" không hợp lệ (dạng ten@donvi.vn)", email);
    if (!email || !*email)
        return change_user(ctx, user_id,
                           "UPDATE users SET email = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
                           NULL, -1, "set_email", err);
    return change_user(ctx, user_id,
                       "UPDATE users SET email = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
                       email, -1, "set_email", err);
}

tk_code tk_user_disable(tk_ctx *ctx, int64_t user_id, tk_error *err)
{
    tk_code rc = need_admin(ctx, err);
    if (rc) return rc;
    rc = change_user(ctx, user_id,
                     "UPDATE users SET disabled_at = coalesce(disabled_at, strftime('%Y-%m-%dT%H:%M:%SZ','now')), "
                     "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
                     NULL, -1, "disable", err);
    if (rc) return rc;
    /* A disabled account keeps no way in: its sessions end and its tokens stop working. */
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "UPDATE sessions SET ended_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') "
                                "WHERE user_id = ? AND ended_at IS NULL",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, user_id);
    return tk_stmt_exec(st, err);
}

tk_code tk_user_grant(tk_ctx *ctx, int64_t user_id, tk_role role, int64_t org_id, int64_t *grant_id, tk_error *err)
{
    tk_code rc = need_admin(ctx, err);
    if (!rc) rc = tk_db_begin(ctx->db, err);
    if (rc) return rc;
    return tk_db_end(ctx->db, insert_grant(ctx, user_id, role, org_id, grant_id, err), err);
}

tk_code tk_user_revoke(tk_ctx *ctx, int64_t grant_id, tk_error *err)
{
    tk_code rc = need_admin(ctx, err);
    if (rc) return rc;
    if ((rc = tk_db_begin(ctx->db, err))) return rc;
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "UPDATE grants SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'), revoked_by = ? "
                                "WHERE id = ? AND revoked_at IS NULL",
                                err);
    if (!st) rc = storage(err);
    if (!rc) {
        if (ctx->caller) tk_stmt_bind_int(st, 1, ctx->caller->user_id);
        else tk_stmt_bind_null(st, 1);
        tk_stmt_bind_int(st, 2, grant_id);
        rc = tk_stmt_exec(st, err);
    }
    if (!rc && tk_db_changes(ctx->db) == 0)
        rc = tk_error_set(err, TK_NOT_FOUND, NULL, "Không có quyền đang hiệu lực mã số %lld", (long long)grant_id);
    if (!rc) {
        json_t *detail = json_pack("{s:I}", "grant_id", (json_int_t)grant_id);
        rc = tk_audit_append(ctx, "revoke", "grant", grant_id, NULL, detail, err);
        json_decref(detail);
    }
    return tk_db_end(ctx->db, rc, err);
}

tk_code tk_user_list(tk_ctx *ctx, json_t **out, tk_error *err)
{
    tk_code rc = need_admin(ctx, err);
    if (rc) return rc;
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT u.id, u.login, u.display_name, u.disabled_at, u.must_change_password, "
                                "g.id, g.role, g.org_id, o.name FROM users u "
                                "LEFT JOIN grants g ON g.user_id = u.id AND g.revoked_at IS NULL "
                                "LEFT JOIN organizations o ON o.id = g.org_id ORDER BY u.login, g.id",
                                err);
    if (!st) return storage(err);
    json_t *items = json_array(), *user = NULL;
    int64_t current = 0;
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        int64_t id = tk_stmt_column_int(st, 0);
        if (id != current) {
            user = json_pack("{s:I, s:s, s:s, s:b, s:b, s:[]}", "id", (json_int_t)id, "login", tk_stmt_column_text(st, 1),
                             "display_name", tk_stmt_column_text(st, 2), "disabled", !tk_stmt_column_is_null(st, 3),
                             "must_change_password", (int)tk_stmt_column_int(st, 4), "grants");
            json_array_append_new(items, user);
            current = id;
        }
        if (!tk_stmt_column_is_null(st, 5))
            json_array_append_new(json_object_get(user, "grants"),
                                  json_pack("{s:I, s:s, s:o, s:s?}", "id", (json_int_t)tk_stmt_column_int(st, 5), "role",
                                            tk_stmt_column_text(st, 6), "org_id",
                                            tk_stmt_column_is_null(st, 7) ? json_null()
                                                                          : json_integer(tk_stmt_column_int(st, 7)),
                                            "org_name", tk_stmt_column_text(st, 8)));
    }
    if (s == TK_STEP_ERROR) {
        json_decref(items);
        return storage(err);
    }
    *out = json_pack("{s:o}", "items", items);
    return TK_OK;
}

/* ---- callers ---- */

/* Fills out from the user row and its active grants; TK_UNAUTHORIZED when disabled. */
static tk_code load_caller(tk_ctx *ctx, int64_t user_id, tk_caller *out, tk_error *err)
{
    memset(out, 0, sizeof *out);
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT login, display_name, must_change_password, disabled_at FROM users WHERE id = ?",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, user_id);
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    if (s == TK_STEP_DONE || !tk_stmt_column_is_null(st, 3)) {
        tk_stmt_reset(st);
        return tk_error_set(err, TK_UNAUTHORIZED, NULL, "Tài khoản không còn hiệu lực");
    }
    out->user_id = user_id;
    snprintf(out->login, sizeof out->login, "%s", tk_stmt_column_text(st, 0));
    snprintf(out->display_name, sizeof out->display_name, "%s", tk_stmt_column_text(st, 1));
    out->must_change_password = tk_stmt_column_int(st, 2) != 0;
    tk_stmt_reset(st);
    st = tk_db_prepare(ctx->db, "SELECT role, org_id FROM grants WHERE user_id = ? AND revoked_at IS NULL ORDER BY id",
                       err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, user_id);
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW && out->grant_count < TK_CALLER_MAX_GRANTS) {
        tk_role role;
        if (!tk_role_from_name(tk_stmt_column_text(st, 0), &role)) continue;
        out->grants[out->grant_count].role = role;
        out->grants[out->grant_count].org_id = tk_stmt_column_int(st, 1);
        out->grant_count++;
    }
    tk_stmt_reset(st);
    return s == TK_STEP_ERROR ? storage(err) : TK_OK;
}

/* Seconds to wait after the n-th failure in a row: none for the first few, then doubling up to
 * a minute, then a lock of a quarter of an hour. `free_tries` is larger per client address than
 * per account, since one office may share an address. */
static long failure_delay(int64_t n, int64_t free_tries)
{
    if (n < free_tries) return 0;
    if (n >= free_tries + 7) return LOCK_SECONDS;
    long d = 1L << (n - free_tries);
    return d > 60 ? 60 : d;
}

static tk_code note_failure(tk_ctx *ctx, int64_t user_id, const char *login, tk_error *err)
{
    time_t now = time(NULL);
    char until[32], stamp[32];
    iso_time(now, stamp);
    tk_code rc = tk_db_begin(ctx->db, err);
    if (rc) return rc;
    if (user_id) {
        tk_stmt *st = tk_db_prepare(ctx->db, "SELECT failed_count FROM users WHERE id = ?", err);
        if (!st) rc = storage(err);
        int64_t n = 0;
        if (!rc) tk_stmt_bind_int(st, 1, user_id);
        if (!rc && tk_stmt_step(st, err) == TK_STEP_ROW) n = tk_stmt_column_int(st, 0) + 1;
        if (st) tk_stmt_reset(st);
        iso_time(now + failure_delay(n, 3), until);
        if (!rc) st = tk_db_prepare(ctx->db, "UPDATE users SET failed_count = ?, locked_until = ? WHERE id = ?", err);
        if (!rc && !st) rc = storage(err);
        if (!rc) {
            tk_stmt_bind_int(st, 1, n);
            tk_stmt_bind_text(st, 2, until);
            tk_stmt_bind_int(st, 3, user_id);
            rc = tk_stmt_exec(st, err);
        }
    }
    if (!rc && ctx->client_addr) {
        tk_stmt *st = tk_db_prepare(ctx->db, "SELECT count FROM signin_failures WHERE client_addr = ?", err);
        int64_t n = 1;
        if (!st) rc = storage(err);
        if (!rc) {
            tk_stmt_bind_text(st, 1, ctx->client_addr);
            if (tk_stmt_step(st, err) == TK_STEP_ROW) n = tk_stmt_column_int(st, 0) + 1;
            tk_stmt_reset(st);
        }
        iso_time(now + failure_delay(n, 10), until);
        if (!rc)
            st = tk_db_prepare(ctx->db,
                               "INSERT INTO signin_failures(client_addr, count, last_at, locked_until) VALUES (?, ?, ?, ?) "
                               "ON CONFLICT(client_addr) DO UPDATE SET count = excluded.count, last_at = excluded.last_at, "
                               "locked_until = excluded.locked_until",
                               err);
        if (!rc && !st) rc = storage(err);
        if (!rc) {
            tk_stmt_bind_text(st, 1, ctx->client_addr);
            tk_stmt_bind_int(st, 2, n);
            tk_stmt_bind_text(st, 3, stamp);
            tk_stmt_bind_text(st, 4, until);
            rc = tk_stmt_exec(st, err);
        }
    }
    if (!rc) {
        json_t *detail = json_pack("{s:s}", "login", login ? login : "");
        rc = tk_audit_append(ctx, "sign_in_failed", "user", user_id, NULL, detail, err);
        json_decref(detail);
    }
    return tk_db_end(ctx->db, rc, err);
}

/* Refuses a sign-in that comes too soon after failures, before any password is checked. */
static tk_code check_throttle(tk_ctx *ctx, int64_t user_id, tk_error *err)
{
    time_t now = time(NULL), until = 0;
    tk_stmt *st;
    if (user_id) {
        st = tk_db_prepare(ctx->db, "SELECT locked_until FROM users WHERE id = ?", err);
        if (!st) return storage(err);
        tk_stmt_bind_int(st, 1, user_id);
        if (tk_stmt_step(st, err) == TK_STEP_ROW) until = parse_time(tk_stmt_column_text(st, 0));
        tk_stmt_reset(st);
    }
    if (ctx->client_addr) {
        st = tk_db_prepare(ctx->db, "SELECT locked_until FROM signin_failures WHERE client_addr = ?", err);
        if (!st) return storage(err);
        tk_stmt_bind_text(st, 1, ctx->client_addr);
        if (tk_stmt_step(st, err) == TK_STEP_ROW) {
            time_t t = parse_time(tk_stmt_column_text(st, 0));
            if (t > until) until = t;
        }
        tk_stmt_reset(st);
    }
    if (until > now)
        return tk_error_set(err, TK_RATE_LIMITED, NULL,
                            "Đăng nhập sai nhiều lần. Vui lòng thử lại sau %ld giây", (long)(until - now));
    return TK_OK;
}

static tk_code open_session(tk_ctx *ctx, int64_t user_id, char token[TK_TOKEN_HEX], tk_error *err)
{
    char csrf[TK_TOKEN_HEX], hash[TK_AUDIT_HASH_HEX], now[32];
    tk_code rc = tk_random_token(token, err);
    if (!rc) rc = tk_random_token(csrf, err);
    if (rc) return rc;
    tk_sha256_hex(token, strlen(token), hash);
    iso_time(time(NULL), now);
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "INSERT INTO sessions(user_id, token_hash, csrf_token, client_addr, created_at, last_seen_at) "
                                "VALUES (?, ?, ?, ?, ?, ?)",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, user_id);
    tk_stmt_bind_text(st, 2, hash);
    tk_stmt_bind_text(st, 3, csrf);
    tk_stmt_bind_text(st, 4, ctx->client_addr);
    tk_stmt_bind_text(st, 5, now);
    tk_stmt_bind_text(st, 6, now);
    return tk_stmt_exec(st, err);
}

tk_code tk_auth_sign_in(tk_ctx *ctx, const char *login, const char *password, char token[TK_TOKEN_HEX],
                        tk_error *err)
{
    int64_t user_id = 0;
    char stored[ARGON_ENCODED * 2] = "";
    bool disabled = false;
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT id, password_hash, disabled_at FROM users WHERE login = ?", err);
    if (!st) return storage(err);
    tk_stmt_bind_text(st, 1, login ? login : "");
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    if (s == TK_STEP_ROW) {
        user_id = tk_stmt_column_int(st, 0);
        snprintf(stored, sizeof stored, "%s", tk_stmt_column_text(st, 1));
        disabled = !tk_stmt_column_is_null(st, 2);
    }
    tk_stmt_reset(st);
    tk_code rc = check_throttle(ctx, user_id, err);
    if (rc) return rc;
    const char *pw = password ? password : "";
    bool ok = argon2id_verify(user_id ? stored : dummy_hash(), pw, strlen(pw)) == ARGON2_OK;
    if (!ok || !user_id || disabled) {
        tk_error saved = *err;
        if (note_failure(ctx, user_id, login, err)) return err->code;
        *err = saved;
        return tk_error_set(err, TK_UNAUTHORIZED, "password", "Tên đăng nhập hoặc mật khẩu không đúng");
    }
    if ((rc = tk_db_begin(ctx->db, err))) return rc;
    st = tk_db_prepare(ctx->db, "UPDATE users SET failed_count = 0, locked_until = NULL WHERE id = ?", err);
    if (!st) rc = storage(err);
    if (!rc) {
        tk_stmt_bind_int(st, 1, user_id);
        rc = tk_stmt_exec(st, err);
    }
    if (!rc && ctx->client_addr) {
        st = tk_db_prepare(ctx->db, "DELETE FROM signin_failures WHERE client_addr = ?", err);
        if (!st) rc = storage(err);
        if (!rc) {
            tk_stmt_bind_text(st, 1, ctx->client_addr);
            rc = tk_stmt_exec(st, err);
        }
    }
    if (!rc && strncmp(stored, argon_prefix, sizeof argon_prefix - 1) != 0) {
        /* Made with other parameters: hashed again now that the password is at hand. */
        char encoded[ARGON_ENCODED];
        rc = hash_password(pw, encoded, err);
        if (!rc) st = tk_db_prepare(ctx->db, "UPDATE users SET password_hash = ? WHERE id = ?", err);
        if (!rc && !st) rc = storage(err);
        if (!rc) {
            tk_stmt_bind_text(st, 1, encoded);
            tk_stmt_bind_int(st, 2, user_id);
            rc = tk_stmt_exec(st, err);
        }
    }
    if (!rc) rc = open_session(ctx, user_id, token, err);
    if (!rc) {
        tk_caller who = {.user_id = user_id};
        snprintf(who.login, sizeof who.login, "%s", login);
        const tk_caller *saved = ctx->caller;
        ctx->caller = &who;
        rc = tk_audit_append(ctx, "sign_in", "user", user_id, NULL, NULL, err);
        ctx->caller = saved;
    }
    return tk_db_end(ctx->db, rc, err);
}

/* Finds an active session or token by the hash of what the client sent. */
tk_code tk_auth_session(tk_ctx *ctx, const char *token, tk_caller *out, tk_error *err)
{
    char hash[TK_AUDIT_HASH_HEX];
    if (!token || strlen(token) != 64) return tk_error_set(err, TK_UNAUTHORIZED, NULL, "Cần đăng nhập");
    tk_sha256_hex(token, 64, hash);
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT id, user_id, csrf_token, created_at, last_seen_at FROM sessions "
                                "WHERE token_hash = ? AND ended_at IS NULL",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_text(st, 1, hash);
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    if (s == TK_STEP_DONE) return tk_error_set(err, TK_UNAUTHORIZED, NULL, "Phiên làm việc đã hết hạn, vui lòng đăng nhập lại");
    int64_t session_id = tk_stmt_column_int(st, 0), user_id = tk_stmt_column_int(st, 1);
    char csrf[TK_TOKEN_HEX];
    snprintf(csrf, sizeof csrf, "%s", tk_stmt_column_text(st, 2));
    time_t created = parse_time(tk_stmt_column_text(st, 3)), seen = parse_time(tk_stmt_column_text(st, 4));
    tk_stmt_reset(st);
    time_t now = time(NULL);
    if (now - seen > IDLE_SECONDS || now - created > ABSOLUTE_SECONDS) {
        tk_auth_sign_out(ctx, session_id, err);
        return tk_error_set(err, TK_UNAUTHORIZED, NULL, "Phiên làm việc đã hết hạn, vui lòng đăng nhập lại");
    }
    tk_code rc = load_caller(ctx, user_id, out, err);
    if (rc) return rc;
    out->session_id = session_id;
    snprintf(out->csrf, sizeof out->csrf, "%s", csrf);
    if (now - seen > TOUCH_SECONDS) {
        /* Touched at most once a minute: a page view should not cost a disk write. */
        char stamp[32];
        iso_time(now, stamp);
        st = tk_db_prepare(ctx->db, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", err);
        if (!st) return storage(err);
        tk_stmt_bind_text(st, 1, stamp);
        tk_stmt_bind_int(st, 2, session_id);
        return tk_stmt_exec(st, err);
    }
    return TK_OK;
}

tk_code tk_auth_sign_out(tk_ctx *ctx, int64_t session_id, tk_error *err)
{
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "UPDATE sessions SET ended_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') "
                                "WHERE id = ? AND ended_at IS NULL",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, session_id);
    return tk_stmt_exec(st, err);
}

tk_code tk_auth_change_password(tk_ctx *ctx, const char *old_password, const char *new_password, tk_error *err)
{
    if (!ctx->caller) return tk_error_set(err, TK_UNAUTHORIZED, NULL, "Cần đăng nhập");
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT password_hash FROM users WHERE id = ?", err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, ctx->caller->user_id);
    if (tk_stmt_step(st, err) != TK_STEP_ROW) return storage(err);
    char stored[ARGON_ENCODED * 2];
    snprintf(stored, sizeof stored, "%s", tk_stmt_column_text(st, 0));
    tk_stmt_reset(st);
    const char *old = old_password ? old_password : "";
    if (argon2id_verify(stored, old, strlen(old)) != ARGON2_OK)
        return tk_error_set(err, TK_INVALID_INPUT, "old_password", "Mật khẩu hiện tại không đúng");
    tk_code rc = check_password_rules(new_password, "new_password", err);
    if (!rc && strcmp(old, new_password) == 0)
        rc = tk_error_set(err, TK_INVALID_INPUT, "new_password", "Mật khẩu mới phải khác mật khẩu hiện tại");
    char encoded[ARGON_ENCODED];
    if (!rc) rc = hash_password(new_password, encoded, err);
    if (rc) return rc;
    rc = change_user(ctx, ctx->caller->user_id,
                     "UPDATE users SET password_hash = ?, must_change_password = 0, "
                     "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
                     encoded, -1, "change_password", err);
    if (rc) return rc;
    st = tk_db_prepare(ctx->db,
                       "UPDATE sessions SET ended_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') "
                       "WHERE user_id = ? AND id <> ? AND ended_at IS NULL",
                       err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, ctx->caller->user_id);
    tk_stmt_bind_int(st, 2, ctx->caller->session_id);
    return tk_stmt_exec(st, err);
}

tk_code tk_token_create(tk_ctx *ctx, int64_t user_id, const char *name, char token[TK_TOKEN_HEX], int64_t *id,
                        tk_error *err)
{
    tk_code rc = need_admin(ctx, err);
    if (rc) return rc;
    if (!name || !*name || strlen(name) > 200 || !tk_text_valid_utf8(name, strlen(name)))
        return tk_error_set(err, TK_INVALID_INPUT, "name", "Cần đặt tên cho khóa API (tối đa 200 byte)");
    if ((rc = tk_random_token(token, err))) return rc;
    char hash[TK_AUDIT_HASH_HEX];
    tk_sha256_hex(token, 64, hash);
    if ((rc = tk_db_begin(ctx->db, err))) return rc;
    tk_stmt *st = tk_db_prepare(ctx->db, "INSERT INTO api_tokens(user_id, name, token_hash) VALUES (?, ?, ?)", err);
    if (!st) rc = storage(err);
    if (!rc) {
        tk_stmt_bind_int(st, 1, user_id);
        tk_stmt_bind_text(st, 2, name);
        tk_stmt_bind_text(st, 3, hash);
        rc = tk_stmt_exec(st, err);
        if (rc == TK_CONFLICT) rc = tk_error_set(err, TK_NOT_FOUND, NULL, "Không có tài khoản mã số %lld", (long long)user_id);
    }
    int64_t new_id = rc ? 0 : tk_db_last_id(ctx->db);
    if (!rc) {
        json_t *after = json_pack("{s:I, s:I, s:s}", "id", (json_int_t)new_id, "user_id", (json_int_t)user_id, "name", name);
        rc = tk_audit_append(ctx, "create", "api_token", new_id, NULL, after, err);
        json_decref(after);
    }
    rc = tk_db_end(ctx->db, rc, err);
    if (!rc && id) *id = new_id;
    return rc;
}

tk_code tk_token_revoke(tk_ctx *ctx, int64_t token_id, tk_error *err)
{
    tk_code rc = need_admin(ctx, err);
    if (rc) return rc;
    if ((rc = tk_db_begin(ctx->db, err))) return rc;
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "UPDATE api_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') "
                                "WHERE id = ? AND revoked_at IS NULL",
                                err);
    if (!st) rc = storage(err);
    if (!rc) {
        tk_stmt_bind_int(st, 1, token_id);
        rc = tk_stmt_exec(st, err);
    }
    if (!rc && tk_db_changes(ctx->db) == 0)
        rc = tk_error_set(err, TK_NOT_FOUND, NULL, "Không có khóa API đang hiệu lực mã số %lld", (long long)token_id);
    if (!rc) rc = tk_audit_append(ctx, "revoke", "api_token", token_id, NULL, NULL, err);
    return tk_db_end(ctx->db, rc, err);
}

tk_code tk_auth_bearer(tk_ctx *ctx, const char *token, tk_caller *out, tk_error *err)
{
    char hash[TK_AUDIT_HASH_HEX];
    if (!token || strlen(token) != 64) return tk_error_set(err, TK_UNAUTHORIZED, NULL, "Khóa API không hợp lệ");
    tk_sha256_hex(token, 64, hash);
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT user_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_text(st, 1, hash);
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    if (s == TK_STEP_DONE) return tk_error_set(err, TK_UNAUTHORIZED, NULL, "Khóa API không hợp lệ hoặc đã bị thu hồi");
    int64_t user_id = tk_stmt_column_int(st, 0);
    tk_stmt_reset(st);
    return load_caller(ctx, user_id, out, err);
}

bool tk_auth_token_equal(const char *a, const char *b)
{
    size_t n = a ? strlen(a) : 0;
    if (!b || n == 0 || strlen(b) != n) return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++) diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

bool tk_auth_csrf_ok(const tk_caller *caller, const char *sent)
{
    if (!caller) return false;
    return caller->session_id == 0 || tk_auth_token_equal(caller->csrf, sent);
}

tk_code tk_auth_whoami(tk_ctx *ctx, json_t **out, tk_error *err)
{
    const tk_caller *c = ctx->caller;
    if (!c) return tk_error_set(err, TK_UNAUTHORIZED, NULL, "Cần đăng nhập");
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT name FROM organizations WHERE id = ?", err);
    if (!st) return storage(err);
    json_t *grants = json_array();
    for (size_t i = 0; i < c->grant_count; i++) {
        json_t *g = json_pack("{s:s}", "role", tk_role_name(c->grants[i].role));
        if (c->grants[i].org_id) {
            tk_stmt_bind_int(st, 1, c->grants[i].org_id);
            tk_step s = tk_stmt_step(st, err);
            json_object_set_new(g, "org_id", json_integer(c->grants[i].org_id));
            json_object_set_new(g, "org_name", s == TK_STEP_ROW ? json_string(tk_stmt_column_text(st, 0)) : json_null());
            tk_stmt_reset(st);
        } else {
            json_object_set_new(g, "org_id", json_null());
            json_object_set_new(g, "org_name", json_null());
        }
        json_array_append_new(grants, g);
    }
    *out = json_pack("{s:I, s:s, s:s, s:b, s:b, s:o}", "user_id", (json_int_t)c->user_id, "login", c->login,
                     "display_name", c->display_name, "must_change_password", c->must_change_password, "is_admin",
                     tk_auth_is_admin(ctx), "grants", grants);
    return TK_OK;
}
