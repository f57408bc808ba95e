/* The HTTP test harness: a real `trienkhai serve` on a free 127.0.0.1 port with a fresh
 * database, and libcurl to talk to it.
 *
 * Every test program includes <cmocka.h> (after <setjmp.h>, <stdarg.h>, <stddef.h>, <stdint.h>)
 * before this header; the helpers fail the running test through cmocka when the server does not
 * answer as they require. The environment gives TK_BIN (the trienkhai binary) and TK_TEST_TMP (a
 * scratch directory, created when missing).
 *
 * tk_http() and the helpers built on it keep one keep-alive connection per server, as a browser
 * tab does, and must be called from the test's own thread only. tk_http_full() with
 * fresh_connection set opens a connection of its own and may be called from any thread. */
#ifndef TK_TESTS_HTTP_HARNESS_H
#define TK_TESTS_HTTP_HARNESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tk_test_server tk_test_server;

/* Starts the server (its default worker threads) on a new database under TK_TEST_TMP and waits
 * up to 10 s for it to write its port file. Fails the test when it does not come up. New. */
tk_test_server *tk_test_server_start(void);

/* The same with `threads` worker threads. */
tk_test_server *tk_test_server_start_threads(unsigned threads);

/* Sends SIGTERM, waits for the process, removes its files, and fails the test unless the server
 * exited with status 0 (under AddressSanitizer a leak makes the status non-zero). The server's
 * own output is printed when it did not. Frees server. */
void tk_test_server_stop(tk_test_server *server);

/* "http://127.0.0.1:PORT". Borrowed. */
const char *tk_test_server_base(const tk_test_server *server);

/* One request. path starts with "/" ("/api/v1/tasks?org=1"): it is sent as written, so the
 * caller percent-encodes query values (tk_query_escape). body may be NULL (no body); when it is
 * not, it is sent as given with Content-Type: application/json. Returns the HTTP status; when
 * out_json is not NULL it receives the parsed answer (new reference) or NULL when the answer had
 * no body. An answer body that is not JSON fails the test. */
long tk_http(tk_test_server *server, const char *method, const char *path, const char *body, size_t body_len,
             json_t **out_json);

typedef struct tk_http_result {
    long status;         /* 0 when no answer came (transport error: see error) */
    json_t *json;        /* the parsed body (new reference), or NULL when empty or not JSON */
    char *raw;           /* the body as received, NUL-terminated (new, malloc) */
    size_t raw_len;
    char location[512];  /* the Location header, or "" */
    char content_type[128];
    char set_cookie[1024]; /* every Set-Cookie value, one per line */
    char headers[4096];    /* the answer's header lines as received (cut when longer) */
    char error[256];     /* curl's message on a transport error, or "" */
} tk_http_result;

/* The same as tk_http() with everything the answer carried; it does not fail the test on a
 * transport error or a body that is not JSON (status 0, json NULL): callers check. With
 * fresh_connection the request goes over a connection of its own (thread-safe). */
void tk_http_full(tk_test_server *server, const char *method, const char *path, const char *body,
                  size_t body_len, bool fresh_connection, tk_http_result *out);
void tk_http_result_free(tk_http_result *result);

/* Every request carries a caller: by default the bearer token of an administrator the harness
 * made with the command line before starting the server ("tester"). */
typedef struct tk_http_options {
    bool fresh_connection;
    bool anonymous;             /* send no Authorization header */
    const char *token;          /* this bearer token instead of the current one */
    const char *content_type;   /* of the body; application/json when NULL */
    const char *const *headers; /* more header lines ("Cookie: a=b"), NULL-terminated, or NULL */
} tk_http_options;
void tk_http_with(tk_test_server *server, const char *method, const char *path, const char *body, size_t body_len,
                  const tk_http_options *options, tk_http_result *out);

/* Runs `trienkhai --db <the server's database> <args>` (args as shell words) and fails the test
 * unless it succeeds; its output (stdout and stderr) goes to out when out is not NULL. */
void tk_test_cli(const tk_test_server *server, const char *args, char *out, size_t cap);
/* A new API token of login, made with `trienkhai token add`. */
void tk_test_cli_token(const tk_test_server *server, const char *login, char token[80]);
/* Creates login with one grant (role on org_id; 0 for admin) and password "<login>-password-1",
 * and returns an API token of it. */
void tk_test_user(tk_test_server *server, const char *login, const char *role, int64_t org_id, char token[80]);
/* The bearer token tk_http() and the helpers send from now on (NULL: none). */
void tk_test_as(tk_test_server *server, const char *token);
const char *tk_test_admin_token(const tk_test_server *server);
const char *tk_test_server_db(const tk_test_server *server);

/* Percent-encodes s for a query value into buf (always NUL-terminated); returns buf. */
char *tk_query_escape(const char *s, char *buf, size_t cap);

/* printf into a fixed buffer; the test fails when it does not fit. Returns buf. */
char *tk_fmt(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- helpers for the common shapes of a test ---- */

/* Sends body (stolen: freed here; built with json_pack) as JSON and fails the test unless the
 * status is `expect`. Returns the answer (new reference, may be NULL). */
json_t *tk_send_json(tk_test_server *server, const char *method, const char *path, json_t *body, long expect);

/* POSTs body (stolen) to path, requires 201, a Location header "<path>/<id>" and an answer that
 * equals what GET Location then answers. Returns the created object (new reference). */
json_t *tk_create(tk_test_server *server, const char *path, json_t *body);

/* tk_create() that returns only the new id (freeing the object). */
int64_t tk_create_id(tk_test_server *server, const char *path, json_t *body);

/* GETs the formatted path and fails the test unless the status is 200. Returns the answer
 * (new reference). */
json_t *tk_get(tk_test_server *server, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Requires answer to be {"error":{"code":code,"message":non-empty text,"field":...}} with field
 * equal to `field` unless field is NULL. `what` names the request in failure messages. */
void tk_assert_error(const json_t *answer, const char *code, const char *field, const char *what);

/* Member access that fails the test when the member is missing or of another type. */
int64_t tk_int(const json_t *obj, const char *key);
double tk_real(const json_t *obj, const char *key); /* an integer or a real */
const char *tk_str(const json_t *obj, const char *key);
bool tk_bool(const json_t *obj, const char *key);
bool tk_is_null(const json_t *obj, const char *key); /* present and null */
json_t *tk_arr(const json_t *obj, const char *key);  /* borrowed */
json_t *tk_obj(const json_t *obj, const char *key);  /* borrowed */

/* ---- files the server answers, read back by other programs ---- */

/* GETs path as the current caller, requires 200, a Content-Type starting with type and, when
 * attachment is not NULL, that text in the answer's headers; saves the body as file. */
void tk_test_download(tk_test_server *server, const char *path, const char *type, const char *attachment,
                      const char *file);
/* The output of a shell command with its runs of white space made one space (tables and wrapped
 * lines then read as their words in order). New string (free()); the test fails when the
 * command fails. */
char *tk_test_command_text(const char *cmd);
/* Today's place-and-date line as an official document writes it, worked out here rather than
 * taken from the code under test: "Hà Nội, ngày 05 tháng 01 năm 2027" (a day below 10 and the
 * months 1 and 2 take a leading zero). Returns buf. */
char *tk_test_date_line(const char *place, char *buf, size_t cap);
/* Fails the test unless text holds want; what names the text in the message. */
void tk_test_require_text(const char *text, const char *what, const char *want);

/* Today's date in local time, "YYYY-MM-DD" (what the server takes as today). */
const char *tk_today(char buf[11]);

/* The end of main: `return tk_test_exit(cmocka_run_group_tests(...));`. When a test failed, cmocka
 * left it midway and what it held was never freed; the process then ends with status 1 without
 * the exit handlers, so LeakSanitizer does not bury the failure under that leftover. When all
 * passed it returns 0 and the leak check runs as usual. */
int tk_test_exit(int failed);

#endif
