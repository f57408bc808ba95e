/* Signing in and out, changing one's password, and the administrators' pages: accounts with
 * their grants, and the audit log. The rules (throttling, sessions, who may grant what) are in
 * service/auth.c; these pages only carry forms to it and show its answers. */
#include "http/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/audit.h"
#include "service/auth.h"

enum { SIGNIN_NONCE_SECONDS = 3600, NEXT_MAX = 400 };

static const char *field(const tk_page_request *req, const char *name)
{
    const char *v = json_string_value(json_object_get(req->form, name));
    return v ? v : "";
}

static int64_t form_id(const tk_page_request *req, const char *name)
{
    const char *s = field(req, name);
    char *end;
    long long n = strtoll(s, &end, 10);
    return *s && !*end && n > 0 ? n : 0;
}

/* Where to go after signing in: a path of this site only, so a link cannot send a person who
 * just signed in to another site ("//evil.example", "/\evil.example"). */
static const char *safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > NEXT_MAX) return "/";
    for (const unsigned char *c = (const unsigned char *)next; *c; c++)
        if (*c < 0x20 || *c == 0x7f || *c == '\\') return "/";
    return next;
}

/* ---- Đăng nhập: sign in ---- */

/* The form, with a fresh nonce in a cookie and in the form: a sign-in posted from another site
 * carries no such pair. */
static tk_code show_sign_in(tk_page_request *req, tk_page_reply *reply, int status, const char *login,
                            const tk_error *failed, tk_error *err)
{
    char nonce[TK_TOKEN_HEX];
    tk_code rc = tk_random_token(nonce, err);
    if (rc) return rc;
    tk_page_set_cookie(req, reply, TK_SIGNIN_COOKIE, nonce, SIGNIN_NONCE_SECONDS);
    const char *next = req->form ? field(req, "next") : json_string_value(json_object_get(req->query, "next"));
    json_t *context = json_pack("{s:s, s:s, s:s}", "nonce", nonce, "next", safe_next(next), "login", login);
    if (failed)
        json_object_set_new(context, "error", json_pack("{s:s, s:s}", "field", failed->field, "message", failed->message));
    reply->status = status;
    return tk_page_show(reply, "sign_in", context);
}

static tk_code page_sign_in(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    if (req->ctx->caller) return tk_page_redirect(reply, safe_next(json_string_value(json_object_get(req->query, "next"))));
    return show_sign_in(req, reply, 200, "", NULL, err);
}

static tk_code post_sign_in(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    const char *login = field(req, "login");
    tk_error failed;
    tk_error_clear(&failed);
    if (!req->signin_nonce || !tk_auth_token_equal(req->signin_nonce, field(req, "_csrf"))) {
        tk_error_set(&failed, TK_FORBIDDEN, "", "Trang đăng nhập đã hết hạn hoặc được gửi từ nơi khác. Vui lòng đăng nhập lại.");
        return show_sign_in(req, reply, 403, login, &failed, err);
    }
    char token[TK_TOKEN_HEX];
    tk_code rc = tk_auth_sign_in(req->ctx, login, field(req, "password"), token, &failed);
    if (rc == TK_UNAUTHORIZED || rc == TK_RATE_LIMITED || rc == TK_INVALID_INPUT)
        return show_sign_in(req, reply, tk_code_http_status(rc), login, &failed, err);
    if (rc) {
        *err = failed;
        return rc;
    }
    /* A session the browser already had (perhaps one planted in it) ends here: only the new
     * token, made now and unknown to anyone else, opens the account. */
    if (req->ctx->caller && req->ctx->caller->session_id) tk_auth_sign_out(req->ctx, req->ctx->caller->session_id, err);
    tk_page_set_cookie(req, reply, TK_SESSION_COOKIE, token, 0);
    tk_page_set_cookie(req, reply, TK_SIGNIN_COOKIE, "", -1);
    return tk_page_redirect(reply, safe_next(field(req, "next")));
}

static tk_code post_sign_out(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    if (req->ctx->caller->session_id) {
        tk_code rc = tk_auth_sign_out(req->ctx, req->ctx->caller->session_id, err);
        if (rc) return rc;
    }
    tk_page_set_cookie(req, reply, TK_SESSION_COOKIE, "", -1);
    return tk_page_redirect(reply, "/sign-in");
}

/* ---- Đổi mật khẩu: change password ---- */

static tk_code show_password(tk_page_request *req, tk_page_reply *reply, int status, const tk_error *failed)
{
    json_t *context = json_pack("{s:b}", "forced", req->ctx->caller->must_change_password);
    if (failed) {
        json_object_set_new(context, "error", json_pack("{s:s, s:s}", "field", failed->field, "message", failed->message));
        char key[96];
        snprintf(key, sizeof key, "error_%s", failed->field);
        json_object_set_new(context, key, json_string(failed->message));
    }
    reply->status = status;
    return tk_page_show(reply, "account_password", context);
}

static tk_code page_password(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    (void)err;
    return show_password(req, reply, 200, NULL);
}

static tk_code post_password(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    tk_error failed;
    tk_error_clear(&failed);
    if (strcmp(field(req, "new_password"), field(req, "confirm_password")) != 0) {
        tk_error_set(&failed, TK_INVALID_INPUT, "confirm_password", "Hai lần nhập mật khẩu mới không giống nhau");
        return show_password(req, reply, 400, &failed);
    }
    tk_code rc = tk_auth_change_password(req->ctx, field(req, "old_password"), field(req, "new_password"), &failed);
    if (rc == TK_INVALID_INPUT) return show_password(req, reply, 400, &failed);
    if (rc) {
        *err = failed;
        return rc;
    }
    return tk_page_redirect(reply, "/?password_changed=1");
}

/* ---- Quản trị tài khoản: accounts and grants (admins) ---- */

/* The roles for a select, in the catalog's words. New array. */
static json_t *role_choices(const tk_page_request *req)
{
    json_t *list = json_array();
    for (int r = 0; r < TK_ROLE_COUNT; r++) {
        char key[48];
        snprintf(key, sizeof key, "role_%s", tk_role_name((tk_role)r));
        json_array_append_new(list, json_pack("{s:s, s:s}", "name", tk_role_name((tk_role)r), "label", tk_page_msg(req, key)));
    }
    return list;
}

static tk_code show_users(tk_page_request *req, tk_page_reply *reply, int status, const tk_error *failed,
                          tk_error *err)
{
    json_t *users = NULL, *orgs = NULL;
    tk_code rc = tk_user_list(req->ctx, &users, err);
    if (!rc) rc = tk_page_org_choices(req, 0, &orgs, err);
    if (rc) {
        json_decref(users);
        return rc;
    }
    json_t *items = json_object_get(users, "items"), *user;
    size_t i, j;
    json_array_foreach(items, i, user) {
        json_t *grant;
        json_array_foreach(json_object_get(user, "grants"), j, grant) {
            char key[48];
            snprintf(key, sizeof key, "role_%s", json_string_value(json_object_get(grant, "role")));
            json_object_set_new(grant, "role_label", json_string(tk_page_msg(req, key)));
        }
    }
    json_t *context = json_pack("{s:O, s:o, s:o}", "users", items, "org_choices", orgs, "role_choices", role_choices(req));
    json_decref(users);
    if (failed) json_object_set_new(context, "error", json_pack("{s:s, s:s}", "field", failed->field, "message", failed->message));
    reply->status = status;
    return tk_page_show(reply, "admin_users", context);
}

static tk_code page_users(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return show_users(req, reply, 200, NULL, err);
}

/* A refused form shows the list again with the reason; anything else is an error page. */
static tk_code users_after(tk_page_request *req, tk_page_reply *reply, tk_code rc, const tk_error *failed,
                           tk_error *err)
{
    if (rc == TK_INVALID_INPUT || rc == TK_CONFLICT || rc == TK_NOT_FOUND)
        return show_users(req, reply, tk_code_http_status(rc), failed, err);
    if (rc) {
        *err = *failed;
        return rc;
    }
    return tk_page_redirect(reply, "/admin/users");
}

/* A secret shown once: a one-time password or an API token. */
static tk_code show_secret(tk_page_reply *reply, const char *kind, const char *login, const char *secret)
{
    return tk_page_show(reply, "admin_secret", json_pack("{s:s, s:s, s:s}", "kind", kind, "login", login, "secret", secret));
}

static tk_code read_grant(const tk_page_request *req, tk_role *role, int64_t *org, tk_error *err)
{
    if (!tk_role_from_name(field(req, "role"), role))
        return tk_error_set(err, TK_INVALID_INPUT, "role", "Cần chọn vai trò");
    *org = *role == TK_ROLE_ADMIN ? 0 : form_id(req, "org_id");
    if (*role != TK_ROLE_ADMIN && !*org) return tk_error_set(err, TK_INVALID_INPUT, "org_id", "Cần chọn đơn vị cho vai trò này");
    return TK_OK;
}

static tk_code post_user_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    tk_error failed;
    tk_error_clear(&failed);
    tk_role role;
    int64_t org, id = 0;
    char token[TK_TOKEN_HEX], password[17];
    tk_code rc = read_grant(req, &role, &org, &failed);
    if (!rc) rc = tk_random_token(token, &failed);
    if (!rc) {
        snprintf(password, sizeof password, "%.16s", token);
        rc = tk_user_create(req->ctx, field(req, "login"), field(req, "display_name"), password, true,
                            &(tk_grant_spec){role, org}, &id, &failed);
    }
    if (rc) return users_after(req, reply, rc, &failed, err);
    return show_secret(reply, "password", field(req, "login"), password);
}

static tk_code post_user_grant(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    tk_error failed;
    tk_error_clear(&failed);
    tk_role role;
    int64_t org;
    tk_code rc = read_grant(req, &role, &org, &failed);
    if (!rc) rc = tk_user_grant(req->ctx, req->ids[0], role, org, NULL, &failed);
    return users_after(req, reply, rc, &failed, err);
}

static tk_code post_grant_revoke(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    tk_error failed;
    tk_error_clear(&failed);
    tk_code rc = tk_user_revoke(req->ctx, req->ids[0], &failed);
    return users_after(req, reply, rc, &failed, err);
}

static tk_code post_user_disable(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    tk_error failed;
    tk_error_clear(&failed);
    tk_code rc = tk_user_disable(req->ctx, req->ids[0], &failed);
    return users_after(req, reply, rc, &failed, err);
}

static tk_code post_user_password(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    tk_error failed;
    tk_error_clear(&failed);
    char token[TK_TOKEN_HEX], password[17];
    tk_code rc = tk_random_token(token, &failed);
    if (!rc) {
        snprintf(password, sizeof password, "%.16s", token);
        rc = tk_user_set_password(req->ctx, req->ids[0], password, true, &failed);
    }
    if (rc) return users_after(req, reply, rc, &failed, err);
    return show_secret(reply, "password", field(req, "login"), password);
}

static tk_code post_user_token(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    tk_error failed;
    tk_error_clear(&failed);
    char token[TK_TOKEN_HEX];
    tk_code rc = tk_token_create(req->ctx, req->ids[0], field(req, "name"), token, NULL, &failed);
    if (rc) return users_after(req, reply, rc, &failed, err);
    return show_secret(reply, "token", field(req, "login"), token);
}

/* ---- Nhật ký: the audit log (admins; an object's history is on its own page) ---- */

static tk_code page_audit(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *query = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(req->query, key, v) {
        if (json_string_length(v) > 0 && strcmp(key, "lang") != 0) json_object_set(query, key, v);
    }
    json_t *list = NULL;
    tk_error failed;
    tk_error_clear(&failed);
    tk_code rc = tk_audit_list(req->ctx, query, &list, &failed);
    if (rc == TK_INVALID_INPUT) {
        list = json_pack("{s:[], s:i, s:b}", "items", "page", 1, "has_more", 0);
    } else if (rc) {
        json_decref(query);
        *err = failed;
        return rc;
    }
    json_t *context = json_pack("{s:O, s:O}", "entries", json_object_get(list, "items"), "filter", req->query);
    tk_page_history_display(req, json_object_get(context, "entries"));
    if (rc) json_object_set_new(context, "error", json_pack("{s:s, s:s}", "field", failed.field, "message", failed.message));
    int page = (int)json_integer_value(json_object_get(list, "page"));
    if (json_is_true(json_object_get(list, "has_more")) || page > 1) {
        json_object_del(query, "page");
        char *qs = tk_page_query_string(query);
        char link[1024];
        if (json_is_true(json_object_get(list, "has_more"))) {
            snprintf(link, sizeof link, "/admin/audit%s%spage=%d", qs ? qs : "", qs && *qs ? "&" : "?", page + 1);
            json_object_set_new(context, "next_href", json_string(link));
        }
        if (page > 1) {
            snprintf(link, sizeof link, "/admin/audit%s%spage=%d", qs ? qs : "", qs && *qs ? "&" : "?", page - 1);
            json_object_set_new(context, "prev_href", json_string(link));
        }
        free(qs);
    }
    json_decref(list);
    json_decref(query);
    return tk_page_show(reply, "admin_audit", context);
}

const tk_page_route tk_account_routes[] = {
    {"GET", "/sign-in", page_sign_in, TK_PAGE_OPEN},
    {"POST", "/sign-in", post_sign_in, TK_PAGE_OPEN},
    {"POST", "/sign-out", post_sign_out, TK_PAGE_BEFORE_PASSWORD},
    {"GET", "/account/password", page_password, TK_PAGE_BEFORE_PASSWORD},
    {"POST", "/account/password", post_password, TK_PAGE_BEFORE_PASSWORD},
    {"GET", "/admin/users", page_users, TK_PAGE_SIGNED_IN},
    {"POST", "/admin/users", post_user_new, TK_PAGE_SIGNED_IN},
    {"POST", "/admin/users/{id}/grants", post_user_grant, TK_PAGE_SIGNED_IN},
    {"POST", "/admin/users/{id}/disable", post_user_disable, TK_PAGE_SIGNED_IN},
    {"POST", "/admin/users/{id}/password", post_user_password, TK_PAGE_SIGNED_IN},
    {"POST", "/admin/users/{id}/tokens", post_user_token, TK_PAGE_SIGNED_IN},
    {"POST", "/admin/grants/{id}/revoke", post_grant_revoke, TK_PAGE_SIGNED_IN},
    {"GET", "/admin/audit", page_audit, TK_PAGE_SIGNED_IN},
    {NULL, NULL, NULL, TK_PAGE_SIGNED_IN},
};
