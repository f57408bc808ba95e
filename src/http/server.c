#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/text.h"
#include "http/api.h"
#include "http/form.h"
#include "http/pages.h"
#include "http/web.h"
#include "service/audit.h"
#include "service/auth.h"
#include "store/store.h"

/* Bodies are JSON of a few KiB; an imported spreadsheet of thousands of rows is more. */
enum { MAX_BODY = 1024 * 1024, MAX_FILE_BODY = 32 * 1024 * 1024 };

/* Routes whose body is a file (CSV, XLSX) handed to the handler as bytes, not parsed as JSON. */
static bool takes_file(const char *url)
{
    return strncmp(url, "/api/v1/import/", strlen("/api/v1/import/")) == 0;
}

struct tk_server {
    struct MHD_Daemon *daemon;
    bool secure_cookies; /* behind TLS: cookies are sent with Secure */
    char *db_path;
    char *web_dir;  /* when set, the web files are read again for each page (editing) */
    tk_web *web;    /* the built-in web files, shared by all threads */
    uint16_t port;
};

/* One database connection per worker thread, opened on its first request and closed when the
 * thread ends: SQLite connections must not be shared between threads that run at once. */
static pthread_key_t db_key;
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;

static void close_db(void *db)
{
    tk_db_close(db);
}

static void make_db_key(void)
{
    pthread_key_create(&db_key, close_db);
}

static tk_db *thread_db(tk_server *server, tk_error *err)
{
    tk_db *db = pthread_getspecific(db_key);
    if (db) return db;
    if (tk_db_open(server->db_path, &db, err)) return NULL;
    pthread_setspecific(db_key, db);
    return db;
}

/* Who sent a request, found once at the edge: a bearer token (scripts), else the session cookie
 * (browsers). Also where it came from and a request id, for the audit log and the server log. */
typedef struct identity {
    tk_caller caller;
    bool signed_in;
    bool bad_token;     /* an Authorization header with a token that is not (or no longer) valid */
    bool stale_cookie;  /* a session cookie that no longer opens a session: cleared in the answer */
    char client_addr[INET6_ADDRSTRLEN];
    char request_id[17];
} identity;

static tk_code identify(struct MHD_Connection *conn, tk_ctx *ctx, identity *who, tk_error *err)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, who->client_addr,
                  sizeof who->client_addr);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, who->client_addr,
                  sizeof who->client_addr);
    char random[TK_TOKEN_HEX];
    tk_code rc = tk_random_token(random, err);
    if (rc) return rc;
    snprintf(who->request_id, sizeof who->request_id, "%.16s", random);
    ctx->client_addr = who->client_addr[0] ? who->client_addr : NULL;
    ctx->request_id = who->request_id;

    tk_error ignored;
    const char *authorization = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (authorization) {
        if (strncasecmp(authorization, "Bearer ", 7) != 0) {
            who->bad_token = true;
            return TK_OK;
        }
        rc = tk_auth_bearer(ctx, authorization + 7, &who->caller, &ignored);
        if (rc == TK_UNAUTHORIZED) who->bad_token = true;
        else if (rc) return tk_error_set(err, rc, NULL, "%s", ignored.message);
        who->signed_in = !rc;
    } else {
        const char *cookie = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, TK_SESSION_COOKIE);
        if (!cookie) return TK_OK;
        rc = tk_auth_session(ctx, cookie, &who->caller, &ignored);
        if (rc == TK_UNAUTHORIZED) who->stale_cookie = true;
        else if (rc) return tk_error_set(err, rc, NULL, "%s", ignored.message);
        who->signed_in = !rc;
    }
    if (who->signed_in) ctx->caller = &who->caller;
    return TK_OK;
}

/* The state of one request while its body arrives. */
typedef struct upload {
    char *data;
    size_t size, cap;
    size_t limit; /* MAX_BODY, or MAX_FILE_BODY for takes_file() routes */
    bool too_large;
} upload;

/* JSON answers load nothing; pages load only this server's own files, with no inline script. */
static const char api_csp[] = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
static const char page_csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

static void add_security_headers(struct MHD_Response *response, const char *csp, bool cacheable)
{
    MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(response, "Referrer-Policy", "same-origin");
    MHD_add_response_header(response, "Content-Security-Policy", csp);
    MHD_add_response_header(response, "X-Frame-Options", "DENY");
    if (!cacheable) MHD_add_response_header(response, "Cache-Control", "no-store");
}

static enum MHD_Result send_json(struct MHD_Connection *conn, int status, json_t *body, const char *location)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    size_t len = text ? strlen(text) : 0;
    struct MHD_Response *response = MHD_create_response_from_buffer(len, text ? text : (void *)"", text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!response) {
        free(text);
        return MHD_NO;
    }
    if (text) MHD_add_response_header(response, "Content-Type", "application/json; charset=utf-8");
    if (location && *location) MHD_add_response_header(response, "Location", location);
    if (status == 401) MHD_add_response_header(response, "WWW-Authenticate", "Bearer realm=\"trienkhai\"");
    add_security_headers(response, api_csp, false);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, response);
    MHD_destroy_response(response);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *conn, const tk_error *err)
{
    json_t *body = json_pack("{s:{s:s, s:s, s:s}}", "error", "code", tk_code_name(err->code), "message",
                             err->message, "field", err->field);
    if (!body) /* a message that is not valid UTF-8 would be a bug; still answer */
        body = json_pack("{s:{s:s, s:s, s:s}}", "error", "code", tk_code_name(err->code), "message",
                         "Lỗi", "field", "");
    enum MHD_Result ret = send_json(conn, tk_code_http_status(err->code), body, NULL);
    json_decref(body);
    return ret;
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    json_t *query = cls;
    /* A value that is not UTF-8 cannot be a JSON string; it is refused when the request is
     * handled, since only the first invalid one needs naming. */
    json_t *v = value ? json_string(value) : json_string("");
    if (!v || !key || !tk_text_valid_utf8(key, strlen(key))) {
        json_decref(v);
        json_object_set_new(query, "\x01invalid", json_string(key && tk_text_valid_utf8(key, strlen(key)) ? key : "?"));
        return MHD_YES;
    }
    json_object_set_new(query, key, v);
    return MHD_YES;
}

/* Matches path against pattern, filling ids for each {id} segment and key for a {key} one (a
 * name such as the period "2021-Q2"; never matches when key is NULL). */
static bool match(const char *pattern, const char *path, int64_t *ids, char *key)
{
    int n = 0;
    while (*pattern && *path) {
        if (strncmp(pattern, "{key}", 5) == 0) {
            size_t len = 0;
            while ((path[len] >= '0' && path[len] <= '9') || (path[len] >= 'A' && path[len] <= 'Z') ||
                   (path[len] >= 'a' && path[len] <= 'z') || path[len] == '-')
                len++;
            if (!key || len == 0 || len >= TK_ROUTE_KEY_MAX) return false;
            memcpy(key, path, len);
            key[len] = '\0';
            path += len;
            pattern += 5;
            continue;
        }
        if (strncmp(pattern, "{id}", 4) == 0) {
            if (*path < '1' || *path > '9') return false;
            int64_t v = 0;
            int digits = 0;
            while (*path >= '0' && *path <= '9') {
                if (++digits > 15) return false;
                v = v * 10 + (*path++ - '0');
            }
            if (n < TK_ROUTE_MAX_IDS) ids[n++] = v;
            pattern += 4;
            continue;
        }
        if (*pattern++ != *path++) return false;
    }
    if (*path == '/' && path[1] == '\0') path++; /* a trailing slash is the same resource */
    return *pattern == '\0' && *path == '\0';
}

static enum MHD_Result handle_api(tk_server *server, struct MHD_Connection *conn, const char *method, const char *url,
                                  upload *up)
{
    tk_error err;
    tk_error_clear(&err);
    const tk_route *found = NULL;
    bool path_known = false;
    int64_t ids[TK_ROUTE_MAX_IDS] = {0};
    char key[TK_ROUTE_KEY_MAX] = "";
    for (const tk_route *r = tk_api_routes; r->method; r++) {
        int64_t tmp[TK_ROUTE_MAX_IDS] = {0};
        char tmp_key[TK_ROUTE_KEY_MAX] = "";
        if (!match(r->pattern, url, tmp, tmp_key)) continue;
        path_known = true;
        if (strcmp(r->method, method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0)) {
            found = r;
            memcpy(ids, tmp, sizeof ids);
            memcpy(key, tmp_key, sizeof key);
            break;
        }
    }
    if (!found) {
        if (path_known) tk_error_set(&err, TK_UNSUPPORTED, NULL, "Phương thức %s không dùng được ở đây", method);
        else tk_error_set(&err, TK_NOT_FOUND, NULL, "Không có địa chỉ %s", url);
        return send_error(conn, &err);
    }
    if (up->too_large) {
        tk_error_set(&err, TK_TOO_LARGE, NULL, "Nội dung gửi lên vượt quá %zu byte (%zu MiB)", up->limit,
                     up->limit / (1024 * 1024));
        return send_error(conn, &err);
    }

    json_t *query = json_object(), *body = NULL;
    tk_reply reply = {.status = 200};
    enum MHD_Result ret;
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, query);
    if (json_object_get(query, "\x01invalid")) {
        tk_error_set(&err, TK_INVALID_UTF8, NULL, "Tham số trên địa chỉ không phải UTF-8 hợp lệ");
        goto fail;
    }
    bool file = takes_file(url);
    if (up->size > 0 && !file) {
        if (!tk_text_valid_utf8(up->data, up->size)) {
            tk_error_set(&err, TK_INVALID_UTF8, NULL, "Nội dung gửi lên không phải UTF-8 hợp lệ");
            goto fail;
        }
        json_error_t jerr;
        /* NUL inside a string is let through the parser so that the field it is in can be
         * named when the text check refuses it. */
        body = json_loadb(up->data, up->size, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
        if (!body) {
            tk_error_set(&err, TK_INVALID_JSON, NULL, "JSON không hợp lệ (dòng %d, cột %d): %s", jerr.line,
                         jerr.column, jerr.text);
            goto fail;
        }
    }
    tk_db *db = thread_db(server, &err);
    if (!db) goto fail;
    tk_ctx ctx = {.db = db, .today = tk_ctx_today()};
    identity who = {0};
    if (identify(conn, &ctx, &who, &err)) goto fail;
    if (!found->open && !who.signed_in) {
        tk_error_set(&err, TK_UNAUTHORIZED, NULL,
                     who.bad_token ? "Khóa API không hợp lệ hoặc đã bị thu hồi" : "Cần đăng nhập hoặc khóa API (Authorization: Bearer)");
        goto fail;
    }
    /* A browser sends the session cookie by itself, even with a request another site made it
     * send; only this site's pages know the CSRF token to put beside it. */
    bool writes = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
    if (writes && who.signed_in &&
        !tk_auth_csrf_ok(&who.caller, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token"))) {
        tk_error_set(&err, TK_FORBIDDEN, NULL, "Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token)");
        goto fail;
    }
    tk_request req = {.ctx = &ctx, .method = method, .path = url, .query = query, .body = body,
                      .raw_body = file && up->size ? up->data : NULL, .raw_size = file ? up->size : 0,
                      .content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE)};
    memcpy(req.ids, ids, sizeof ids);
    memcpy(req.key, key, sizeof key);
    tk_code rc = found->handler(&req, &reply, &err);
    /* Nothing a request read may hold the connection's snapshot into the next request. */
    if (tk_db_release(db)) fprintf(stderr, "trienkhai: %s %s left a transaction open; rolled back\n", method, url);
    if (rc) goto fail;
    ret = send_json(conn, reply.status, reply.body, reply.location);
    json_decref(reply.body);
    json_decref(query);
    json_decref(body);
    return ret;
fail:
    json_decref(query);
    json_decref(body);
    return send_error(conn, &err);
}

static enum MHD_Result send_static(tk_server *server, struct MHD_Connection *conn, const char *url)
{
    const tk_web_static *file = tk_web_static_get(server->web, url + strlen("/static/"));
    if (!file) {
        struct MHD_Response *response = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        add_security_headers(response, page_csp, false);
        enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_NOT_FOUND, response);
        MHD_destroy_response(response);
        return ret;
    }
    const char *match_etag = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    bool fresh = match_etag && strcmp(match_etag, file->etag) == 0;
    const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    bool gzip = file->gzip && accept && strstr(accept, "gzip");
    struct MHD_Response *response =
        fresh ? MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT)
              : MHD_create_response_from_buffer(gzip ? file->gzip_size : file->size,
                                                (void *)(gzip ? file->gzip : file->data), MHD_RESPMEM_PERSISTENT);
    if (!response) return MHD_NO;
    MHD_add_response_header(response, "Content-Type", file->content_type);
    MHD_add_response_header(response, "ETag", file->etag);
    MHD_add_response_header(response, "Vary", "Accept-Encoding");
    MHD_add_response_header(response, "Cache-Control", "public, max-age=3600, must-revalidate");
    if (gzip && !fresh) MHD_add_response_header(response, "Content-Encoding", "gzip");
    add_security_headers(response, page_csp, true);
    enum MHD_Result ret = MHD_queue_response(conn, fresh ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK, response);
    MHD_destroy_response(response);
    return ret;
}

/* The language of a page: ?lang= (remembered in a cookie), else the cookie, else the browser's
 * first choice when it is English; Vietnamese otherwise. */
static const char *page_lang(struct MHD_Connection *conn, bool *set_cookie)
{
    const char *q = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "lang");
    *set_cookie = q && (strcmp(q, "vi") == 0 || strcmp(q, "en") == 0);
    if (*set_cookie) return strcmp(q, "en") == 0 ? "en" : "vi";
    const char *c = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "lang");
    if (c && (strcmp(c, "vi") == 0 || strcmp(c, "en") == 0)) return strcmp(c, "en") == 0 ? "en" : "vi";
    const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
    if (accept && strncmp(accept + strspn(accept, " "), "en", 2) == 0) return "en";
    return "vi";
}

static enum MHD_Result send_html(struct MHD_Connection *conn, int status, char *html, size_t len, const char *lang,
                                 bool set_cookie, const char *location, const tk_page_reply *reply)
{
    struct MHD_Response *response =
        html ? MHD_create_response_from_buffer(len, html, MHD_RESPMEM_MUST_FREE)
             : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!response) {
        free(html);
        return MHD_NO;
    }
    MHD_add_response_header(response, "Content-Type", "text/html; charset=utf-8");
    MHD_add_response_header(response, "Content-Language", lang);
    if (location && *location) MHD_add_response_header(response, "Location", location);
    if (set_cookie) {
        char cookie[64];
        snprintf(cookie, sizeof cookie, "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax", lang);
        MHD_add_response_header(response, "Set-Cookie", cookie);
    }
    for (int i = 0; i < reply->cookie_count; i++) MHD_add_response_header(response, "Set-Cookie", reply->cookies[i]);
    add_security_headers(response, page_csp, false);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, response);
    MHD_destroy_response(response);
    return ret;
}

/* A download: the file (freed here), saved under its name rather than shown. */
static enum MHD_Result send_file(struct MHD_Connection *conn, tk_page_reply *reply)
{
    struct MHD_Response *response = MHD_create_response_from_buffer(reply->file_size, reply->file, MHD_RESPMEM_MUST_FREE);
    if (!response) {
        free(reply->file);
        reply->file = NULL;
        return MHD_NO;
    }
    reply->file = NULL;
    char disposition[sizeof reply->file_name + 32];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", reply->file_name);
    MHD_add_response_header(response, "Content-Type", reply->file_type);
    MHD_add_response_header(response, "Content-Disposition", disposition);
    for (int i = 0; i < reply->cookie_count; i++) MHD_add_response_header(response, "Set-Cookie", reply->cookies[i]);
    add_security_headers(response, page_csp, false);
    enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_OK, response);
    MHD_destroy_response(response);
    return ret;
}

/* Sends a person who is not signed in to the sign-in page (and back here afterwards), one who
 * must still change a one-time password to that form, and refuses a form posted without this
 * session's CSRF token. True when the request stops here. */
static bool page_gate(tk_page_request *req, const tk_page_route *route, const identity *who, const char *method,
                      tk_page_reply *reply, tk_code *rc, tk_error *err)
{
    if (route->access == TK_PAGE_OPEN) return false;
    if (!who->signed_in) {
        /* Back to the same page and filters after signing in (a GET; a form is posted again by
         * the person, not replayed). */
        char *query = strcmp(method, "GET") == 0 ? tk_page_query_string(req->query) : NULL;
        size_t n = strlen(req->path) + (query ? strlen(query) : 0) + 1;
        char *target = malloc(n), *next = NULL;
        if (target) snprintf(target, n, "%s%s", req->path, query ? query : "");
        if (target) next = tk_page_escape(target);
        char location[sizeof reply->location];
        snprintf(location, sizeof location, "/sign-in?next=%s", next && strlen(next) < 400 ? next : "%2F");
        free(query);
        free(target);
        free(next);
        *rc = tk_page_redirect(reply, location);
        return true;
    }
    if (who->caller.must_change_password && route->access != TK_PAGE_BEFORE_PASSWORD) {
        *rc = tk_page_redirect(reply, "/account/password");
        return true;
    }
    if (strcmp(method, "POST") == 0) {
        const char *sent = json_string_value(json_object_get(req->form, "_csrf"));
        if (!tk_auth_csrf_ok(&who->caller, sent)) {
            json_t *detail = json_pack("{s:s}", "path", req->path);
            tk_error ignored;
            tk_audit_record(req->ctx, "csrf_refused", "page", 0, detail, &ignored);
            json_decref(detail);
            *rc = tk_error_set(err, TK_FORBIDDEN, "_csrf",
                               "Biểu mẫu không mang mã chống giả mạo của phiên này (có thể do trang khác gửi tới)");
            return true;
        }
        json_object_del(req->form, "_csrf");
    }
    return false;
}

static enum MHD_Result handle_page(tk_server *server, struct MHD_Connection *conn, const char *method, const char *url,
                                   upload *up)
{
    tk_error err;
    tk_error_clear(&err);
    tk_web *web = server->web, *edited = NULL;
    if (server->web_dir) {
        if (tk_web_open(server->web_dir, &edited, &err)) {
            fprintf(stderr, "trienkhai: %s\n", err.message);
            return send_error(conn, &err);
        }
        web = edited;
    }
    bool set_cookie;
    const char *lang = page_lang(conn, &set_cookie);
    json_t *query = json_object(), *form = NULL, *context = NULL;
    tk_page_reply reply = {.status = 200};
    tk_page_request req = {.web = web, .lang = lang, .t = tk_web_catalog(web, lang), .path = url, .query = query,
                           .secure_cookies = server->secure_cookies,
                           .signin_nonce = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, TK_SIGNIN_COOKIE)};
    const tk_page_route *found = NULL;
    bool path_known = false;
    tk_code rc = TK_OK;
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, query);
    for (const tk_page_route *const *table = tk_page_route_tables; *table && !found; table++) {
        for (const tk_page_route *r = *table; r->method; r++) {
            int64_t ids[TK_ROUTE_MAX_IDS] = {0};
            char key[TK_ROUTE_KEY_MAX] = "";
            if (!match(r->pattern, url, ids, key)) continue;
            path_known = true;
            if (strcmp(r->method, method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0)) {
                found = r;
                memcpy(req.ids, ids, sizeof req.ids);
                memcpy(req.key, key, sizeof req.key);
                break;
            }
        }
    }
    if (!found) {
        rc = path_known ? tk_error_set(&err, TK_UNSUPPORTED, NULL, "Phương thức không dùng được ở đây")
                        : tk_error_set(&err, TK_NOT_FOUND, NULL, "Không có trang %s", url);
    } else if (json_object_get(query, "\x01invalid")) {
        rc = tk_error_set(&err, TK_INVALID_UTF8, NULL, "Tham số trên địa chỉ không phải UTF-8 hợp lệ");
    } else if (up->too_large) {
        rc = tk_error_set(&err, TK_TOO_LARGE, NULL, "Nội dung gửi lên quá lớn");
    } else if (strcmp(method, "POST") == 0) {
        rc = tk_form_parse(up->data ? up->data : "", up->size, &form, &err);
        req.form = form;
    }
    tk_db *db = NULL;
    tk_ctx ctx;
    identity who = {0};
    if (!rc && !(db = thread_db(server, &err))) rc = err.code;
    if (!rc) {
        ctx = (tk_ctx){.db = db, .today = tk_ctx_today()};
        req.ctx = &ctx;
        rc = identify(conn, &ctx, &who, &err);
        if (who.stale_cookie) tk_page_set_cookie(&req, &reply, TK_SESSION_COOKIE, "", -1);
        if (!rc && !page_gate(&req, found, &who, method, &reply, &rc, &err)) rc = found->handler(&req, &reply, &err);
        if (tk_db_release(db)) fprintf(stderr, "trienkhai: %s %s left a transaction open; rolled back\n", method, url);
    }
    const char *page = reply.page;
    context = reply.context;
    if (rc) {
        /* A person sees a page, never internals: the details go to the log. */
        json_decref(context);
        context = json_object();
        bool missing = rc == TK_NOT_FOUND;
        reply.status = missing ? 404 : rc == TK_INVALID_INPUT || rc == TK_INVALID_UTF8 ? 400 : tk_code_http_status(rc);
        page = missing ? "not_found" : "error";
        if (rc == TK_FORBIDDEN) {
            json_object_set_new(context, "forbidden", json_true());
            json_object_set_new(context, "message", json_string(err.message));
        }
        if (!missing) fprintf(stderr, "trienkhai: %s %s: %s (%s)\n", method, url, err.message, tk_code_name(rc));
    }
    enum MHD_Result ret;
    if (!rc && reply.file) {
        ret = send_file(conn, &reply);
    } else if (!page) {
        ret = send_html(conn, reply.status, NULL, 0, lang, set_cookie, reply.location, &reply);
    } else {
        tk_page_common(&req, context);
        char *html = NULL;
        size_t len = 0;
        if (tk_web_render(web, page, context, &html, &len, &err)) {
            fprintf(stderr, "trienkhai: %s %s: %s\n", method, url, err.message);
            static const char fallback[] = "<!doctype html><title>Lỗi</title><p>Đã có lỗi. / Something went wrong.";
            html = strdup(fallback);
            len = html ? strlen(html) : 0;
            reply.status = 500;
        }
        ret = send_html(conn, reply.status, html, len, lang, set_cookie, NULL, &reply);
    }
    free(reply.file); /* a handler that made a file and then failed */
    json_decref(context);
    json_decref(query);
    json_decref(form);
    tk_web_close(edited);
    return ret;
}

static enum MHD_Result handle(tk_server *server, struct MHD_Connection *conn, const char *method, const char *url,
                              upload *up)
{
    if (strncmp(url, "/api/", 5) == 0) return handle_api(server, conn, method, url, up);
    if (strncmp(url, "/static/", 8) == 0) return send_static(server, conn, url);
    return handle_page(server, conn, method, url, up);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    tk_server *server = cls;
    upload *up = *con_cls;
    if (!up) {
        up = calloc(1, sizeof *up);
        if (!up) return MHD_NO;
        *con_cls = up;
        up->limit = takes_file(url) ? MAX_FILE_BODY : MAX_BODY;
        const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (length && strtoull(length, NULL, 10) > up->limit) up->too_large = true;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!up->too_large && up->size + *upload_data_size <= up->limit) {
            if (up->size + *upload_data_size > up->cap) {
                /* Doubling, so a file that arrives in many small pieces is not copied each time. */
                size_t cap = up->cap ? up->cap : 16 * 1024;
                while (cap < up->size + *upload_data_size) cap *= 2;
                if (cap > up->limit) cap = up->limit;
                char *grown = realloc(up->data, cap);
                if (!grown) return MHD_NO;
                up->data = grown;
                up->cap = cap;
            }
            memcpy(up->data + up->size, upload_data, *upload_data_size);
            up->size += *upload_data_size;
        } else {
            /* Read and drop the rest so the client gets the 413 instead of a reset. */
            up->too_large = true;
            free(up->data);
            up->data = NULL;
            up->size = up->cap = 0;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    return handle(server, conn, method, url, up);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    upload *up = *con_cls;
    if (!up) return;
    free(up->data);
    free(up);
    *con_cls = NULL;
}

tk_code tk_server_start(const tk_server_config *config, tk_server **out, tk_error *err)
{
    pthread_once(&db_key_once, make_db_key);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(config->port)};
    if (inet_pton(AF_INET, config->listen ? config->listen : "127.0.0.1", &addr.sin_addr) != 1)
        return tk_error_set(err, TK_INVALID_INPUT, "listen", "Địa chỉ lắng nghe không hợp lệ: %s", config->listen);

    /* Opening the database once here applies migrations before any request, and reports a
     * database that cannot be opened at start-up rather than on the first page. */
    tk_db *db;
    tk_code rc = tk_db_open(config->db_path, &db, err);
    if (rc) return rc;
    tk_db_close(db);

    tk_server *server = calloc(1, sizeof *server);
    if (!server) return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
    /* The built-in files are always loaded: they serve the static files, and a broken
     * template stops the server here rather than on some page later. */
    tk_web *edited = NULL;
    if ((rc = tk_web_open(NULL, &server->web, err)) ||
        (config->web_dir && (rc = tk_web_open(config->web_dir, &edited, err)))) {
        tk_web_close(server->web);
        free(server);
        return rc;
    }
    tk_web_close(edited);
    server->web_dir = config->web_dir ? strdup(config->web_dir) : NULL;
    server->db_path = strdup(config->db_path);
    server->secure_cookies = config->secure_cookies;
    unsigned threads = config->threads ? config->threads : 4;
    server->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL,
                                      NULL, on_request, server, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                      MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED,
                                      on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
                                      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024), MHD_OPTION_END);
    if (!server->daemon) {
        tk_web_close(server->web);
        free(server->web_dir);
        free(server->db_path);
        free(server);
        return tk_error_set(err, TK_IO, "port", "Không mở được cổng %u trên %s (cổng đang bận?)", config->port,
                            config->listen ? config->listen : "127.0.0.1");
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
    server->port = info ? info->port : config->port;
    if (config->port_file) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", config->port_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%u\n", server->port) < 0 || fclose(f) != 0 || rename(tmp, config->port_file) != 0) {
            tk_server_stop(server);
            return tk_error_set(err, TK_IO, "port_file", "Không ghi được tệp %s", config->port_file);
        }
    }
    *out = server;
    return TK_OK;
}

uint16_t tk_server_port(const tk_server *server)
{
    return server->port;
}

void tk_server_stop(tk_server *server)
{
    if (!server) return;
    MHD_stop_daemon(server->daemon);
    tk_web_close(server->web);
    free(server->web_dir);
    free(server->db_path);
    free(server);
}

tk_code tk_server_run(const tk_server_config *config, tk_error *err)
{
    /* Blocked before the worker threads start, so they inherit the mask and only sigwait()
     * below receives the stop signals. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    tk_server *server;
    tk_code rc = tk_server_start(config, &server, err);
    if (rc) return rc;
    fprintf(stderr, "trienkhai: đang phục vụ tại / serving at http://%s:%u\n",
            config->listen ? config->listen : "127.0.0.1", tk_server_port(server));
    int sig;
    sigwait(&stop, &sig);
    fprintf(stderr, "trienkhai: dừng / stopping\n");
    tk_server_stop(server);
    return TK_OK;
}
