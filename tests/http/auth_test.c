/* Sign-in and the protections around it, as a browser and a script meet them on a real server:
 * the sign-in form's nonce against login CSRF, the session cookie's attributes, planted session
 * cookies, the CSRF token on every form and on cookie-authenticated API writes, sign-out,
 * throttling of repeated failures (and their audit entries), the one-time password that must be
 * changed, the security headers on every kind of answer, disabled accounts and revoked tokens, and
 * the scope of an editor's grant.
 *
 * A "browser" here sends no Authorization header, only the cookies it was given: the harness's
 * default bearer token would otherwise name the caller and hide what the cookie does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum { HEX = 65 };

typedef struct fixture {
    tk_test_server *server;
    int64_t root, a, b, task_a, task_b;
    char editor_a[80]; /* API token of an editor granted on district A */
} fixture;

/* What a browser holds: its session cookie and the CSRF token its pages carry. */
typedef struct browser {
    char session[HEX];
    char csrf[HEX];
} browser;

static int setup(void **state)
{
    fixture *f = test_calloc(1, sizeof *f);
    f->server = tk_test_server_start();
    f->root = tk_create_id(f->server, "/api/v1/organizations",
                           json_pack("{s:s, s:s}", "kind", "party_committee", "name", "Đảng bộ thành phố Thử nghiệm"));
    int64_t *units[2] = {&f->a, &f->b}, *tasks[2] = {&f->task_a, &f->task_b};
    static const char *const names[2] = {"Đảng bộ quận A", "Đảng bộ quận B"};
    for (int i = 0; i < 2; i++) {
        *units[i] = tk_create_id(f->server, "/api/v1/organizations",
                                 json_pack("{s:I, s:s, s:s}", "parent_id", (json_int_t)f->root, "kind",
                                           "party_organization", "name", names[i]));
        int64_t doc = tk_create_id(f->server, "/api/v1/documents",
                                   json_pack("{s:s, s:s, s:s, s:I, s:s}", "kind", "plan", "number",
                                             i ? "02-KH/QU" : "01-KH/QU", "title", "Kế hoạch thực hiện Nghị quyết",
                                             "organization_id", (json_int_t)*units[i], "issued_on", "2021-01-15"));
        int64_t program = tk_create_id(f->server, "/api/v1/programs",
                                       json_pack("{s:I, s:s, s:s}", "document_id", (json_int_t)doc, "number", "01",
                                                 "title", "Chương trình phát triển đô thị"));
        *tasks[i] = tk_create_id(f->server, "/api/v1/tasks",
                                 json_pack("{s:I, s:s, s:I, s:s}", "program_id", (json_int_t)program, "title",
                                           i ? "Cải tạo chợ dân sinh" : "Chỉnh trang vỉa hè các tuyến phố",
                                           "lead_org_id", (json_int_t)*units[i], "due", "Năm 2031"));
    }
    tk_test_user(f->server, "editor_a", "editor", f->a, f->editor_a);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tk_test_server_stop(f->server);
    test_free(f);
    return 0;
}

/* ---- helpers ---- */

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static bool is_hex64(const char *s)
{
    return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* The Set-Cookie line r carried for cookie `name` (up to its '\n'), copied into out. A browser
 * applies them in order, so with several for one name the last is what it keeps. */
static bool set_cookie_line(const tk_http_result *r, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    bool found = false;
    for (const char *line = r->set_cookie; *line;) {
        size_t len = strcspn(line, "\n");
        if (len > n && strncmp(line, name, n) == 0 && line[n] == '=') {
            snprintf(out, cap, "%.*s", (int)len, line);
            found = true;
        }
        line += len;
        if (*line) line++;
    }
    return found;
}

/* The value r set for cookie `name` ("" when it clears it); false when r did not set it. */
static bool set_cookie_value(const tk_http_result *r, const char *name, char *out, size_t cap)
{
    char line[600];
    if (!set_cookie_line(r, name, line, sizeof line)) return false;
    const char *v = line + strlen(name) + 1;
    snprintf(out, cap, "%.*s", (int)strcspn(v, ";"), v);
    return true;
}

/* True when r opened a session: a non-empty tk_session cookie. */
static bool sets_session(const tk_http_result *r)
{
    char value[128];
    return set_cookie_value(r, "tk_session", value, sizeof value) && value[0];
}

/* True when r tells the browser to drop cookie `name`: empty and expired at once. */
static bool clears_cookie(const tk_http_result *r, const char *name)
{
    char line[600], value[128];
    return set_cookie_line(r, name, line, sizeof line) && set_cookie_value(r, name, value, sizeof value) &&
           !value[0] && strstr(line, "; Max-Age=0");
}

/* The value of header `name` in r (the first one), or false. */
static bool header(const tk_http_result *r, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    for (const char *line = r->headers; *line;) {
        size_t len = strcspn(line, "\r\n");
        if (len > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ') v++;
            snprintf(out, cap, "%.*s", (int)(len - (size_t)(v - line)), v);
            return true;
        }
        line += len;
        while (*line == '\r' || *line == '\n') line++;
    }
    return false;
}

/* The value of the first hidden _csrf field of a page. */
static bool hidden_csrf(const tk_http_result *r, char out[HEX])
{
    static const char marker[] = "name=\"_csrf\" value=\"";
    const char *p = r->raw ? strstr(r->raw, marker) : NULL;
    if (!p) return false;
    p += sizeof marker - 1;
    size_t n = strcspn(p, "\"");
    if (n != 64) return false;
    memcpy(out, p, 64);
    out[64] = '\0';
    return true;
}

/* A request as a browser sends it: no Authorization header, the cookies given ("a=b; c=d", or
 * NULL), a form body (urlencoded) or none, and one more header line or NULL. */
static void browse(fixture *f, const char *method, const char *path, const char *cookies, const char *form,
                   const char *extra, tk_http_result *r)
{
    char cookie_header[512];
    const char *headers[3] = {NULL, NULL, NULL};
    int n = 0;
    if (cookies && *cookies) headers[n++] = tk_fmt(cookie_header, sizeof cookie_header, "Cookie: %s", cookies);
    if (extra) headers[n++] = extra;
    tk_http_options options = {.anonymous = true, .content_type = "application/x-www-form-urlencoded",
                               .headers = headers};
    tk_http_with(f->server, method, path, form, form ? strlen(form) : 0, &options, r);
    if (r->status == 0) fail_msg("%s %s: no answer (%s)", method, path, r->error);
}

/* The API as a page's script calls it: the session cookie, a JSON body or none, and the
 * X-CSRF-Token header unless csrf is NULL. */
static void cookie_api(fixture *f, const char *method, const char *path, const char *session, const char *csrf,
                       const char *json, tk_http_result *r)
{
    char cookie_header[128], csrf_header[128];
    const char *headers[3] = {tk_fmt(cookie_header, sizeof cookie_header, "Cookie: tk_session=%s", session), NULL,
                              NULL};
    if (csrf) headers[1] = tk_fmt(csrf_header, sizeof csrf_header, "X-CSRF-Token: %s", csrf);
    tk_http_options options = {.anonymous = true, .headers = headers};
    tk_http_with(f->server, method, path, json, json ? strlen(json) : 0, &options, r);
    if (r->status == 0) fail_msg("%s %s: no answer (%s)", method, path, r->error);
}

static char *session_cookie(const char *session, char *buf, size_t cap)
{
    return tk_fmt(buf, cap, "tk_session=%s", session);
}

/* The status of GET path with only the session cookie; the answer's Location in location. */
static long page_status(fixture *f, const char *session, const char *path, char *location, size_t cap)
{
    char cookies[128];
    tk_http_result r;
    browse(f, "GET", path, session_cookie(session, cookies, sizeof cookies), NULL, NULL, &r);
    long status = r.status;
    if (location) snprintf(location, cap, "%s", r.location);
    tk_http_result_free(&r);
    return status;
}

static long api_status(fixture *f, const char *session, const char *path)
{
    tk_http_result r;
    cookie_api(f, "GET", path, session, NULL, NULL, &r);
    long status = r.status;
    tk_http_result_free(&r);
    return status;
}

/* A session no longer opens anything: the API answers 401 and a page sends to sign-in. */
static void session_is_dead(fixture *f, const char *session, const char *what)
{
    long api = api_status(f, session, "/api/v1/me");
    if (api != 401) fail_msg("%s: GET /api/v1/me with the session answered %ld, want 401", what, api);
    char location[512];
    long page = page_status(f, session, "/", location, sizeof location);
    if (page != 303 || strncmp(location, "/sign-in?next=", 14) != 0)
        fail_msg("%s: GET / with the session answered %ld to \"%s\", want 303 to the sign-in page", what, page,
                 location);
}

/* The session opens the API as login, and pages. */
static void session_is_alive(fixture *f, const char *session, const char *login, const char *what)
{
    tk_http_result r;
    cookie_api(f, "GET", "/api/v1/me", session, NULL, NULL, &r);
    if (r.status != 200 || !r.json) fail_msg("%s: GET /api/v1/me -> %ld %.300s", what, r.status, r.raw);
    assert_string_equal(tk_str(r.json, "login"), login);
    tk_http_result_free(&r);
    long page = page_status(f, session, "/", NULL, 0);
    if (page != 200) fail_msg("%s: GET / with the session answered %ld, want 200", what, page);
}

/* The sign-in form's nonce: the tk_signin cookie, which must equal the form's hidden field. */
static void sign_in_nonce(fixture *f, char nonce[HEX])
{
    tk_http_result r;
    browse(f, "GET", "/sign-in", NULL, NULL, NULL, &r);
    if (r.status != 200) fail_msg("GET /sign-in -> %ld", r.status);
    char cookie[128], field[HEX];
    if (!set_cookie_value(&r, "tk_signin", cookie, sizeof cookie) || !is_hex64(cookie))
        fail_msg("GET /sign-in set no nonce cookie: %s", r.set_cookie);
    if (!hidden_csrf(&r, field)) fail_msg("GET /sign-in: no hidden _csrf field");
    assert_string_equal(cookie, field);
    memcpy(nonce, cookie, HEX);
    tk_http_result_free(&r);
}

/* POSTs the sign-in form. nonce_cookie and nonce_field may differ (or be NULL: not sent) to
 * play a forged form; the browser's session cookie goes along when it has one. */
static void post_sign_in(fixture *f, const browser *b, const char *nonce_cookie, const char *nonce_field,
                         const char *login, const char *password, const char *next, tk_http_result *r)
{
    char body[1024], e_login[256], e_password[512], e_next[512], cookies[256] = "";
    tk_fmt(body, sizeof body, "%s%s%slogin=%s&password=%s&next=%s", nonce_field ? "_csrf=" : "",
           nonce_field ? nonce_field : "", nonce_field ? "&" : "", tk_query_escape(login, e_login, sizeof e_login),
           tk_query_escape(password, e_password, sizeof e_password), tk_query_escape(next, e_next, sizeof e_next));
    size_t used = 0;
    if (nonce_cookie) used = strlen(tk_fmt(cookies, sizeof cookies, "tk_signin=%s", nonce_cookie));
    if (b && b->session[0])
        tk_fmt(cookies + used, sizeof cookies - used, "%stk_session=%s", used ? "; " : "", b->session);
    browse(f, "POST", "/sign-in", cookies, body, NULL, r);
}

/* The CSRF token the browser's pages carry (the password page: open even before a one-time
 * password is changed). */
static void load_csrf(fixture *f, browser *b)
{
    char cookies[128];
    tk_http_result r;
    browse(f, "GET", "/account/password", session_cookie(b->session, cookies, sizeof cookies), NULL, NULL, &r);
    if (r.status != 200 || !hidden_csrf(&r, b->csrf)) fail_msg("GET /account/password -> %ld without a _csrf field", r.status);
    tk_http_result_free(&r);
}

/* Signs login in as a browser does and requires it to work: b then holds the new session. */
static void sign_in(fixture *f, browser *b, const char *login, const char *password)
{
    char nonce[HEX], token[128];
    sign_in_nonce(f, nonce);
    tk_http_result r;
    post_sign_in(f, b, nonce, nonce, login, password, "/", &r);
    if (r.status != 303) fail_msg("sign-in of %s -> %ld, want 303: %.500s", login, r.status, r.raw);
    if (!set_cookie_value(&r, "tk_session", token, sizeof token) || !is_hex64(token))
        fail_msg("sign-in of %s set no session cookie: %s", login, r.set_cookie);
    /* One Set-Cookie per name (RFC 6265), also when a stale session cookie was cleared. */
    const char *first = strstr(r.set_cookie, "tk_session=");
    if (first && strstr(first + 1, "tk_session="))
        fail_msg("sign-in of %s set tk_session twice: %s", login, r.set_cookie);
    tk_http_result_free(&r);
    memcpy(b->session, token, HEX);
    load_csrf(f, b);
}

/* Posts a form with the browser's session cookie; csrf NULL leaves the _csrf field out. */
static void post_form(fixture *f, const browser *b, const char *path, const char *csrf, const char *fields,
                      tk_http_result *r)
{
    char body[1024], cookies[128];
    if (csrf) tk_fmt(body, sizeof body, "_csrf=%s&%s", csrf, fields);
    else tk_fmt(body, sizeof body, "%s", fields);
    browse(f, "POST", path, session_cookie(b->session, cookies, sizeof cookies), body, NULL, r);
}

static size_t update_count(fixture *f, int64_t task)
{
    json_t *list = tk_get(f->server, "/api/v1/tasks/%lld/updates?per_page=200", (long long)task);
    size_t n = json_array_size(tk_arr(list, "items"));
    json_decref(list);
    return n;
}

/* Audit entries with `action` whose "after" has member key equal to value (admin's view). */
static int audit_count(fixture *f, const char *action, const char *key, const char *value)
{
    json_t *log = tk_get(f->server, "/api/v1/audit?action=%s&per_page=200", action);
    int n = 0;
    size_t i;
    json_t *entry;
    json_array_foreach(tk_arr(log, "items"), i, entry) {
        const char *v = json_string_value(json_object_get(json_object_get(entry, "after"), key));
        if (v && strcmp(v, value) == 0) {
            assert_string_equal(tk_str(entry, "client_addr"), "127.0.0.1");
            n++;
        }
    }
    json_decref(log);
    return n;
}

/* ---- security headers ---- */

/* Every answer, whatever made it, forbids framing and sniffing and keeps the referrer on this site:
 * a page missed by the list would be the one clickjacked. Only static files may be cached. */
static void every_kind_of_answer_carries_the_security_headers(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *method, *path;
        long status;
        bool cacheable, signed_in;
    } answers[] = {
        {"GET", "/api/v1/health", 200, false, false},        /* an API answer */
        {"GET", "/api/v1/me", 200, false, true},             /* an API answer to a caller */
        {"GET", "/api/v1/me", 401, false, false},            /* the API without a caller */
        {"GET", "/api/v1/no-such-thing", 404, false, false}, /* an API 404 */
        {"GET", "/sign-in", 200, false, false},              /* a page */
        {"GET", "/", 200, false, true},                      /* a page for a caller */
        {"GET", "/", 303, false, false},                     /* the redirect to sign-in */
        {"GET", "/no-such-page", 404, false, false},         /* a page 404 */
        {"GET", "/tasks/999999", 404, false, true},          /* a page 404 of a missing object */
        {"GET", "/static/app.css", 200, true, false},        /* a static file */
        {"GET", "/static/no-such-file.css", 404, false, false},
        {"POST", "/sign-in", 403, false, false}, /* a refused form */
    };
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        tk_http_result r;
        const char *body = answers[i].method[0] == 'P' ? "login=x" : NULL;
        if (answers[i].signed_in) tk_http_full(f->server, answers[i].method, answers[i].path, NULL, 0, false, &r);
        else browse(f, answers[i].method, answers[i].path, NULL, body, NULL, &r);
        char what[128], v[512] = "";
        tk_fmt(what, sizeof what, "%s %s", answers[i].method, answers[i].path);
        if (r.status != answers[i].status) fail_msg("%s -> %ld, want %ld", what, r.status, answers[i].status);
        if (!header(&r, "Content-Security-Policy", v, sizeof v) || !strstr(v, "frame-ancestors 'none'"))
            fail_msg("%s: Content-Security-Policy without frame-ancestors 'none': \"%s\"", what, v);
        if (!strstr(v, "default-src 'none'")) fail_msg("%s: the policy lacks default-src 'none': %s", what, v);
        if (!header(&r, "X-Content-Type-Options", v, sizeof v) || strcasecmp(v, "nosniff") != 0)
            fail_msg("%s: no X-Content-Type-Options: nosniff", what);
        if (!header(&r, "Referrer-Policy", v, sizeof v) || strcmp(v, "same-origin") != 0)
            fail_msg("%s: Referrer-Policy is not same-origin", what);
        if (!header(&r, "X-Frame-Options", v, sizeof v) || strcasecmp(v, "DENY") != 0)
            fail_msg("%s: no X-Frame-Options: DENY", what);
        bool no_store = header(&r, "Cache-Control", v, sizeof v) && strstr(v, "no-store");
        if (!answers[i].cacheable && !no_store) fail_msg("%s: may be stored by a cache (no Cache-Control: no-store)", what);
        if (r.status == 401 && (!header(&r, "WWW-Authenticate", v, sizeof v) || strncmp(v, "Bearer", 6) != 0))
            fail_msg("%s: a 401 without WWW-Authenticate: Bearer", what);
        tk_http_result_free(&r);
    }
}

/* ---- signing in ---- */

/* The form carries a fresh nonce twice (cookie and hidden field); the right password with it
 * opens a session whose cookie scripts cannot read and other sites' requests do not carry. */
static void signing_in_with_the_form_opens_a_session_in_an_http_only_lax_cookie(void **state)
{
    fixture *f = *state;
    char first[HEX], nonce[HEX], line[600], token[128], path[64];
    sign_in_nonce(f, first);
    sign_in_nonce(f, nonce);
    assert_string_not_equal(first, nonce); /* one per form, not one per server */

    tk_http_result r;
    browse(f, "GET", "/sign-in", NULL, NULL, NULL, &r);
    assert_true(set_cookie_line(&r, "tk_signin", line, sizeof line));
    if (!strstr(line, "; HttpOnly") || !strstr(line, "; SameSite=Lax") || !strstr(line, "; Path=/"))
        fail_msg("the nonce cookie lacks HttpOnly, SameSite=Lax or Path=/: %s", line);
    tk_http_result_free(&r);

    tk_fmt(path, sizeof path, "/tasks/%lld", (long long)f->task_a);
    post_sign_in(f, NULL, nonce, nonce, "tester", "tester-password-1", path, &r);
    if (r.status != 303) fail_msg("sign-in -> %ld: %.500s", r.status, r.raw);
    assert_string_equal(r.location, path); /* back to the page that asked for it */
    if (!set_cookie_line(&r, "tk_session", line, sizeof line)) fail_msg("no session cookie: %s", r.set_cookie);
    set_cookie_value(&r, "tk_session", token, sizeof token);
    if (!is_hex64(token)) fail_msg("the session token is not 256 random bits in hex: %s", token);
    if (!strstr(line, "; HttpOnly") || !strstr(line, "; SameSite=Lax") || !strstr(line, "; Path=/"))
        fail_msg("the session cookie lacks HttpOnly, SameSite=Lax or Path=/: %s", line);
    /* No Max-Age: the cookie ends with the browser; the server ends the session sooner. */
    if (strstr(line, "Max-Age") || strstr(line, "Expires")) fail_msg("the session cookie outlives the browser: %s", line);
    if (!clears_cookie(&r, "tk_signin")) fail_msg("the used nonce is not cleared: %s", r.set_cookie);
    tk_http_result_free(&r);

    session_is_alive(f, token, "tester", "the new session");
    assert_int_equal(page_status(f, token, path, NULL, 0), 200);
    /* Signed in, the sign-in page sends on instead of asking again. */
    assert_int_equal(page_status(f, token, "/sign-in", NULL, 0), 303);

    /* A "next" that leaves the site is replaced by the home page. */
    sign_in_nonce(f, nonce);
    post_sign_in(f, NULL, nonce, nonce, "tester", "tester-password-1", "//evil.example/phish", &r);
    assert_int_equal(r.status, 303);
    assert_string_equal(r.location, "/");
    tk_http_result_free(&r);
}

/* Login CSRF: another site's form can make a browser post a sign-in (to the attacker's account,
 * to watch what the victim then types), but cannot read this site's nonce cookie to put it in the
 * form; without the matching pair nothing is opened. */
static void a_sign_in_without_the_forms_nonce_opens_no_session(void **state)
{
    fixture *f = *state;
    char nonce[HEX], other[HEX];
    sign_in_nonce(f, nonce);
    sign_in_nonce(f, other);
    static const char *const cases[] = {"no cookie", "no field", "neither", "a cookie of another form"};
    for (int i = 0; i < 4; i++) {
        const char *cookie = i == 0 || i == 2 ? NULL : i == 3 ? other : nonce;
        const char *field = i == 1 || i == 2 ? NULL : nonce;
        tk_http_result r;
        post_sign_in(f, NULL, cookie, field, "tester", "tester-password-1", "/", &r);
        if (r.status != 403) fail_msg("sign-in with %s -> %ld, want 403", cases[i], r.status);
        if (sets_session(&r)) fail_msg("sign-in with %s opened a session: %s", cases[i], r.set_cookie);
        if (r.location[0]) fail_msg("sign-in with %s redirected to %s", cases[i], r.location);
        /* The form comes back with a new nonce to try again with. */
        char again[HEX];
        if (!hidden_csrf(&r, again)) fail_msg("sign-in with %s: the form is not shown again", cases[i]);
        tk_http_result_free(&r);
    }
}

/* Session fixation: a session id chosen by someone else (a cookie planted in the browser) is
 * never taken up, and signing in always makes a new token; the browser's previous session ends. */
static void a_planted_session_cookie_is_refused_and_signing_in_makes_a_new_one(void **state)
{
    fixture *f = *state;
    static const char planted[] = "5f2b8c0e9d7a6f4e3b2a1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f";
    static const char *const forged[] = {planted, "1", "../../etc/passwd",
                                         "5F2B8C0E9D7A6F4E3B2A1C0D9E8F7A6B5C4D3E2F1A0B9C8D7E6F5A4B3C2D1E0F"};
    for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        session_is_dead(f, forged[i], forged[i]);
        char cookies[160];
        tk_http_result r;
        browse(f, "GET", "/", session_cookie(forged[i], cookies, sizeof cookies), NULL, NULL, &r);
        if (!clears_cookie(&r, "tk_session")) fail_msg("a stale session cookie is not cleared: %s", r.set_cookie);
        tk_http_result_free(&r);
        cookie_api(f, "GET", "/api/v1/me", forged[i], NULL, NULL, &r);
        tk_assert_error(r.json, "unauthorized", NULL, "GET /api/v1/me with a planted cookie");
        tk_http_result_free(&r);
    }

    /* Signing in with the planted cookie still in the browser. */
    browser b = {0};
    memcpy(b.session, planted, HEX);
    sign_in(f, &b, "tester", "tester-password-1");
    assert_string_not_equal(b.session, planted);
    session_is_alive(f, b.session, "tester", "the session made at sign-in");
    session_is_dead(f, planted, "the planted cookie after sign-in");

    /* Signing in again in the same browser ends the session it had. */
    browser again = b;
    sign_in(f, &again, "tester", "tester-password-1");
    assert_string_not_equal(again.session, b.session);
    assert_string_not_equal(again.csrf, b.csrf);
    session_is_dead(f, b.session, "the session the browser had before signing in again");
    session_is_alive(f, again.session, "tester", "the session of the second sign-in");
}

/* ---- CSRF ---- */

/* A form posted from another site carries the session cookie but not this session's token: it is
 * refused, changes nothing and is logged; the page's own form goes through. */
static void a_form_without_this_sessions_csrf_token_is_refused(void **state)
{
    fixture *f = *state;
    browser b = {0}, other = {0};
    sign_in(f, &b, "tester", "tester-password-1");
    sign_in(f, &other, "tester", "tester-password-1");
    assert_string_not_equal(b.csrf, other.csrf);
    char path[64];
    tk_fmt(path, sizeof path, "/tasks/%lld/updates", (long long)f->task_a);
    json_t *before = tk_get(f->server, "/api/v1/tasks/%lld", (long long)f->task_a);
    size_t updates = update_count(f, f->task_a);
    int logged = audit_count(f, "csrf_refused", "path", path);

    static const char *const cases[] = {"no _csrf", "an empty _csrf", "a made-up _csrf", "another session's _csrf"};
    const char *sent[] = {NULL, "", "0000000000000000000000000000000000000000000000000000000000000000", other.csrf};
    for (int i = 0; i < 4; i++) {
        tk_http_result r;
        post_form(f, &b, path, sent[i], "progress=40&narrative=Gi%E1%BA%A3+m%E1%BA%A1o", &r);
        if (r.status != 403) fail_msg("POST %s with %s -> %ld, want 403", path, cases[i], r.status);
        if (!strstr(r.content_type, "text/html")) fail_msg("the refusal is not a page: %s", r.content_type);
        tk_http_result_free(&r);
    }
    json_t *after = tk_get(f->server, "/api/v1/tasks/%lld", (long long)f->task_a);
    if (!json_equal(before, after)) fail_msg("a refused form changed the task");
    assert_int_equal(update_count(f, f->task_a), updates);
    assert_int_equal(audit_count(f, "csrf_refused", "path", path), logged + 4);
    json_decref(after);

    tk_http_result r;
    post_form(f, &b, path, b.csrf, "progress=40&narrative=B%C3%A1o+c%C3%A1o+th%E1%BA%ADt", &r);
    if (r.status != 303) fail_msg("POST %s with the page's _csrf -> %ld: %.500s", path, r.status, r.raw);
    tk_http_result_free(&r);
    assert_int_equal(update_count(f, f->task_a), updates + 1);
    after = tk_get(f->server, "/api/v1/tasks/%lld", (long long)f->task_a);
    assert_int_equal(tk_int(after, "progress"), 40);
    json_decref(after);
    json_decref(before);
}

/* The API takes the session cookie too (for the pages' scripts), so a write with it needs the
 * X-CSRF-Token header; a script's bearer token cannot be sent by another site and needs none. */
static void a_cookie_api_write_needs_the_csrf_header_and_a_bearer_write_does_not(void **state)
{
    fixture *f = *state;
    browser b = {0};
    sign_in(f, &b, "tester", "tester-password-1");
    char path[64], updates_path[80];
    tk_fmt(path, sizeof path, "/api/v1/tasks/%lld", (long long)f->task_b);
    tk_fmt(updates_path, sizeof updates_path, "%s/updates", path);
    json_t *before = tk_get(f->server, "%s", path);
    size_t updates = update_count(f, f->task_b);

    /* Reading needs no token. */
    assert_int_equal(api_status(f, b.session, path), 200);

    static const char patch[] = "{\"responsible_person\": \"Đồng chí Giả Mạo\"}";
    const char *sent[] = {NULL, "", "0000000000000000000000000000000000000000000000000000000000000000"};
    for (int i = 0; i < 3; i++) {
        tk_http_result r;
        cookie_api(f, "PATCH", path, b.session, sent[i], patch, &r);
        if (r.status != 403) fail_msg("PATCH %s with the cookie and X-CSRF-Token \"%s\" -> %ld, want 403", path,
                                      sent[i] ? sent[i] : "(none)", r.status);
        tk_assert_error(r.json, "forbidden", NULL, "a cookie PATCH without the CSRF header");
        tk_http_result_free(&r);
        cookie_api(f, "POST", updates_path, b.session, sent[i], "{\"progress\": 90}", &r);
        if (r.status != 403) fail_msg("POST %s with the cookie without the CSRF token -> %ld, want 403", updates_path,
                                      r.status);
        tk_http_result_free(&r);
    }
    json_t *after = tk_get(f->server, "%s", path);
    if (!json_equal(before, after)) fail_msg("a refused cookie write changed the task");
    json_decref(after);
    assert_int_equal(update_count(f, f->task_b), updates);

    tk_http_result r;
    cookie_api(f, "PATCH", path, b.session, b.csrf, "{\"responsible_person\": \"Đồng chí Trưởng ban\"}", &r);
    if (r.status != 200) fail_msg("PATCH with the cookie and its CSRF token -> %ld: %.300s", r.status, r.raw);
    tk_http_result_free(&r);
    cookie_api(f, "POST", updates_path, b.session, b.csrf, "{\"progress\": 25}", &r);
    assert_int_equal(r.status, 201);
    tk_http_result_free(&r);
    after = tk_get(f->server, "%s", path);
    assert_string_equal(tk_str(after, "responsible_person"), "Đồng chí Trưởng ban");
    assert_int_equal(tk_int(after, "progress"), 25);
    json_decref(after);

    /* The harness's requests carry the admin's bearer token and no CSRF header. */
    json_decref(tk_send_json(f->server, "PATCH", path, json_pack("{s:s}", "responsible_person", "Đồng chí Kịch bản"),
                             200));
    after = tk_get(f->server, "%s", path);
    assert_string_equal(tk_str(after, "responsible_person"), "Đồng chí Kịch bản");
    json_decref(after);
    json_decref(before);
}

/* ---- signing out ---- */

/* Signing out ends the session on the server, not only in the browser: a copy of the cookie
 * replayed afterwards opens nothing. Another site cannot sign a person out (it lacks the token). */
static void signing_out_ends_the_session_for_good(void **state)
{
    fixture *f = *state;
    browser b = {0};
    sign_in(f, &b, "tester", "tester-password-1");
    tk_http_result r;
    post_form(f, &b, "/sign-out", NULL, "x=1", &r);
    assert_int_equal(r.status, 403);
    tk_http_result_free(&r);
    session_is_alive(f, b.session, "tester", "after a forged sign-out");

    post_form(f, &b, "/sign-out", b.csrf, "x=1", &r);
    assert_int_equal(r.status, 303);
    assert_string_equal(r.location, "/sign-in");
    if (!clears_cookie(&r, "tk_session")) fail_msg("sign-out does not clear the cookie: %s", r.set_cookie);
    tk_http_result_free(&r);
    for (int replay = 0; replay < 2; replay++) {
        session_is_dead(f, b.session, "the session after sign-out");
        /* Nor does posting with it do anything. */
        post_form(f, &b, "/sign-out", b.csrf, "x=1", &r);
        if (r.status != 303 || strncmp(r.location, "/sign-in?next=", 14) != 0)
            fail_msg("a form posted with the ended session -> %ld to \"%s\"", r.status, r.location);
        tk_http_result_free(&r);
    }
}

/* ---- one-time passwords ---- */

/* An account made with a one-time password (known to whoever made it) opens nothing but the
 * password form until its owner picks a password; then the one-time password is dead. */
static void a_one_time_password_must_be_changed_before_any_page(void **state)
{
    fixture *f = *state;
    char args[256], out[1024], once[17];
    tk_fmt(args, sizeof args, "user add newcomer --name 'Người mới' --grant viewer:%lld", (long long)f->a);
    tk_test_cli(f->server, args, out, sizeof out);
    const char *p = strstr(out, "one-time password: ");
    if (!p) fail_msg("user add printed no one-time password: %s", out);
    snprintf(once, sizeof once, "%s", p + strlen("one-time password: "));
    assert_int_equal(strspn(once, "0123456789abcdef"), 16);

    browser b = {0};
    sign_in(f, &b, "newcomer", once);
    char task_page[64], location[512];
    tk_fmt(task_page, sizeof task_page, "/tasks/%lld", (long long)f->task_a);
    const char *pages[] = {"/", task_page, "/tasks", "/admin/users"};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        long status = page_status(f, b.session, pages[i], location, sizeof location);
        if (status != 303 || strcmp(location, "/account/password") != 0)
            fail_msg("GET %s before the password is changed -> %ld to \"%s\", want /account/password", pages[i],
                     status, location);
    }
    tk_http_result r;
    char cookies[128];
    browse(f, "GET", "/account/password", session_cookie(b.session, cookies, sizeof cookies), NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    if (!strstr(r.raw, "class=\"notice\"")) fail_msg("the password form does not say why it is shown");
    tk_http_result_free(&r);

    /* The form itself is protected like any other. */
    char fields[512];
    tk_fmt(fields, sizeof fields, "old_password=%s&new_password=newcomer-own-pw-2&confirm_password=newcomer-own-pw-2", once);
    post_form(f, &b, "/account/password", NULL, fields, &r);
    assert_int_equal(r.status, 403);
    tk_http_result_free(&r);
    assert_int_equal(page_status(f, b.session, "/", NULL, 0), 303);

    post_form(f, &b, "/account/password", b.csrf, fields, &r);
    if (r.status != 303) fail_msg("changing the password -> %ld: %.500s", r.status, r.raw);
    tk_http_result_free(&r);
    for (size_t i = 0; i < 3; i++) {
        long status = page_status(f, b.session, pages[i], NULL, 0);
        if (status != 200) fail_msg("GET %s after the password was changed -> %ld", pages[i], status);
    }

    char nonce[HEX];
    sign_in_nonce(f, nonce);
    post_sign_in(f, NULL, nonce, nonce, "newcomer", once, "/", &r);
    if (r.status != 401 || sets_session(&r)) fail_msg("the one-time password still signs in (%ld)", r.status);
    tk_http_result_free(&r);
    browser fresh = {0};
    sign_in(f, &fresh, "newcomer", "newcomer-own-pw-2");
    assert_int_equal(page_status(f, fresh.session, "/", NULL, 0), 200);
}

/* ---- accounts and tokens that stop working ---- */

/* Disabling an account ends its sessions and stops its API tokens at once; it cannot sign in
 * again. Revoking a token stops that token only. */
static void a_disabled_account_and_a_revoked_token_open_nothing(void **state)
{
    fixture *f = *state;
    char token[80];
    tk_test_user(f->server, "leaving", "viewer", f->a, token);
    browser b = {0};
    sign_in(f, &b, "leaving", "leaving-password-1");
    tk_http_result r;
    tk_http_options as_leaving = {.token = token};
    tk_http_with(f->server, "GET", "/api/v1/me", NULL, 0, &as_leaving, &r);
    assert_int_equal(r.status, 200);
    tk_http_result_free(&r);
    session_is_alive(f, b.session, "leaving", "before the account is disabled");

    tk_test_cli(f->server, "user disable leaving", NULL, 0);
    tk_http_with(f->server, "GET", "/api/v1/me", NULL, 0, &as_leaving, &r);
    if (r.status != 401) fail_msg("a disabled account's token -> %ld, want 401", r.status);
    tk_assert_error(r.json, "unauthorized", NULL, "a disabled account's token");
    tk_http_result_free(&r);
    session_is_dead(f, b.session, "a disabled account's session");
    char nonce[HEX];
    sign_in_nonce(f, nonce);
    post_sign_in(f, NULL, nonce, nonce, "leaving", "leaving-password-1", "/", &r);
    if (r.status != 401 || sets_session(&r)) fail_msg("a disabled account signed in (%ld)", r.status);
    tk_http_result_free(&r);

    /* Two tokens of one user: the revoked one stops, the other goes on. */
    char out[1024], kept[80], revoked[80];
    tk_test_cli_token(f->server, "editor_a", kept);
    tk_test_cli(f->server, "token add editor_a to-revoke", out, sizeof out);
    const char *p = strstr(out, "Khóa API ");
    long long id = p ? strtoll(p + strlen("Khóa API "), NULL, 10) : 0;
    revoked[0] = '\0';
    for (const char *line = out; *line; line += strcspn(line, "\n"), line += *line ? 1 : 0)
        if (strcspn(line, "\n") == 64) snprintf(revoked, sizeof revoked, "%.64s", line);
    if (id <= 0 || !is_hex64(revoked)) fail_msg("token add printed %s", out);
    tk_http_options as_revoked = {.token = revoked}, as_kept = {.token = kept};
    tk_http_with(f->server, "GET", "/api/v1/me", NULL, 0, &as_revoked, &r);
    assert_int_equal(r.status, 200);
    tk_http_result_free(&r);
    char args[64];
    tk_test_cli(f->server, tk_fmt(args, sizeof args, "token revoke %lld", id), NULL, 0);
    tk_http_with(f->server, "GET", "/api/v1/me", NULL, 0, &as_revoked, &r);
    if (r.status != 401) fail_msg("a revoked token -> %ld, want 401", r.status);
    tk_assert_error(r.json, "unauthorized", NULL, "a revoked token");
    tk_http_result_free(&r);
    char task_path[64];
    tk_fmt(task_path, sizeof task_path, "/api/v1/tasks/%lld/updates", (long long)f->task_a);
    tk_http_with(f->server, "POST", task_path, "{\"progress\": 5}", 15, &as_revoked, &r);
    assert_int_equal(r.status, 401);
    tk_http_result_free(&r);
    tk_http_with(f->server, "GET", "/api/v1/me", NULL, 0, &as_kept, &r);
    assert_int_equal(r.status, 200);
    tk_http_result_free(&r);
}

/* ---- scope ---- */

/* An editor of district A does not see district B's task (404, as if it did not exist) and
 * cannot change it, through the API or the page; its own district's task it reports on. */
static void an_editor_reaches_only_its_own_districts_tasks(void **state)
{
    fixture *f = *state;
    json_t *before = tk_get(f->server, "/api/v1/tasks/%lld", (long long)f->task_b);
    size_t updates_b = update_count(f, f->task_b), updates_a = update_count(f, f->task_a);
    tk_test_as(f->server, f->editor_a);
    char path[80];
    json_t *answer = NULL;
    assert_int_equal(tk_http(f->server, "GET", tk_fmt(path, sizeof path, "/api/v1/tasks/%lld", (long long)f->task_b),
                             NULL, 0, &answer),
                     404);
    tk_assert_error(answer, "not_found", NULL, "the editor of A reading B's task");
    json_decref(answer);
    static const char patch[] = "{\"responsible_person\": \"Đồng chí Ngoài phạm vi\"}";
    assert_int_equal(tk_http(f->server, "PATCH", path, patch, strlen(patch), NULL), 404);
    tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)f->task_b);
    assert_int_equal(tk_http(f->server, "POST", path, "{\"progress\": 99}", 16, NULL), 404);
    tk_http_result r;
    tk_fmt(path, sizeof path, "/tasks/%lld", (long long)f->task_b);
    tk_http_full(f->server, "GET", path, NULL, 0, false, &r);
    assert_int_equal(r.status, 404);
    if (strstr(r.raw, "Cải tạo chợ dân sinh")) fail_msg("the 404 page names B's task");
    tk_http_result_free(&r);

    json_decref(tk_send_json(f->server, "POST",
                             tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)f->task_a),
                             json_pack("{s:i}", "progress", 60), 201));
    tk_test_as(f->server, tk_test_admin_token(f->server));

    json_t *after = tk_get(f->server, "/api/v1/tasks/%lld", (long long)f->task_b);
    if (!json_equal(before, after)) fail_msg("the editor of A changed B's task");
    assert_int_equal(update_count(f, f->task_b), updates_b);
    assert_int_equal(update_count(f, f->task_a), updates_a + 1);
    json_decref(after);
    json_decref(before);
}

/* ---- throttling ---- */

/* Guessing passwords gets slower after a few failures, then stops for a while: once throttled,
 * even the right password is refused (a guesser cannot tell a hit). Every failure is logged. */
static void repeated_failures_lock_the_account_even_for_the_right_password(void **state)
{
    fixture *f = *state;
    char token[80], nonce[HEX];
    tk_test_user(f->server, "guessed", "viewer", f->a, token);
    enum { FAILURES = 5 };
    int failures = 0, tries = 0;
    while (failures < FAILURES) {
        /* After the first free tries the account waits 1, 2, 4... s between attempts. */
        if (++tries > 60) fail_msg("%d failures in %d tries: the waits never ended", failures, tries);
        sign_in_nonce(f, nonce);
        tk_http_result r;
        post_sign_in(f, NULL, nonce, nonce, "guessed", "not-the-password", "/", &r);
        if (sets_session(&r)) fail_msg("a wrong password opened a session");
        long status = r.status;
        tk_http_result_free(&r);
        if (status == 401) failures++;
        else if (status == 429) sleep_ms(250);
        else fail_msg("a wrong password -> %ld, want 401 or 429", status);
        if (failures < 3 && status != 401) fail_msg("throttled after only %d failures", failures);
    }
    /* The fifth failure locks the account for 4 s; this try comes at once. */
    sign_in_nonce(f, nonce);
    tk_http_result r;
    post_sign_in(f, NULL, nonce, nonce, "guessed", "guessed-password-1", "/", &r);
    if (r.status != 429) fail_msg("the right password while throttled -> %ld, want 429", r.status);
    if (sets_session(&r)) fail_msg("the right password while throttled opened a session");
    if (!strstr(r.raw, "Đăng nhập sai nhiều lần")) fail_msg("the page does not say why: %.500s", r.raw);
    tk_http_result_free(&r);
    assert_int_equal(audit_count(f, "sign_in_failed", "login", "guessed"), FAILURES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_of_answer_carries_the_security_headers),
        cmocka_unit_test(signing_in_with_the_form_opens_a_session_in_an_http_only_lax_cookie),
        cmocka_unit_test(a_sign_in_without_the_forms_nonce_opens_no_session),
        cmocka_unit_test(a_planted_session_cookie_is_refused_and_signing_in_makes_a_new_one),
        cmocka_unit_test(a_form_without_this_sessions_csrf_token_is_refused),
        cmocka_unit_test(a_cookie_api_write_needs_the_csrf_header_and_a_bearer_write_does_not),
        cmocka_unit_test(signing_out_ends_the_session_for_good),
        cmocka_unit_test(a_one_time_password_must_be_changed_before_any_page),
        cmocka_unit_test(a_disabled_account_and_a_revoked_token_open_nothing),
        cmocka_unit_test(an_editor_reaches_only_its_own_districts_tasks),
        cmocka_unit_test(repeated_failures_lock_the_account_even_for_the_right_password),
    };
    return tk_test_exit(cmocka_run_group_tests(tests, setup, teardown));
}
