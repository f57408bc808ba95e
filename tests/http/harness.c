#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { PATH_CAP = 1024, START_WAIT_MS = 10000, STOP_WAIT_MS = 60000, POLL_MS = 10 };

struct tk_test_server {
    pid_t pid;
    unsigned port;
    char base[64];
    char db[PATH_CAP];
    char port_file[PATH_CAP];
    char log[PATH_CAP];
    CURL *curl; /* the keep-alive connection of tk_http() */
    char admin_token[80];
    char caller_token[80]; /* sent as the bearer token by tk_http(); "" for none */
};

static unsigned started; /* servers started by this process, for unique file names */

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

char *tk_fmt(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap) fail_msg("tk_fmt: %d bytes do not fit in %zu", n, cap);
    return buf;
}

/* mkdir -p */
static void make_dirs(const char *path)
{
    char buf[PATH_CAP];
    tk_fmt(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) fail_msg("cannot create %s: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) fail_msg("cannot create %s: %s", buf, strerror(errno));
}

/* Prints the server's output (its log file) to stderr, for a failure's context. */
static void print_log(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return;
    fprintf(stderr, "---- server output (%s) ----\n", path);
    char line[1024];
    while (fgets(line, sizeof line, f)) fputs(line, stderr);
    fprintf(stderr, "---- end of server output ----\n");
    fclose(f);
}

static void remove_files(const tk_test_server *s)
{
    char buf[PATH_CAP + 8];
    unlink(s->db);
    snprintf(buf, sizeof buf, "%s-wal", s->db);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", s->db);
    unlink(buf);
    unlink(s->port_file);
    snprintf(buf, sizeof buf, "%s.tmp", s->port_file);
    unlink(buf);
    unlink(s->log);
}

static bool read_port(const char *path, unsigned *port)
{
    FILE *f = fopen(path, "r");
    if (!f) return false;
    bool ok = fscanf(f, "%u", port) == 1 && *port > 0 && *port < 65536;
    fclose(f);
    return ok;
}

tk_test_server *tk_test_server_start_threads(unsigned threads)
{
    const char *bin = getenv("TK_BIN");
    const char *tmp = getenv("TK_TEST_TMP");
    if (!bin || !*bin) fail_msg("TK_BIN is not set (the path of the trienkhai binary)");
    if (!tmp || !*tmp) fail_msg("TK_TEST_TMP is not set (a scratch directory)");
    make_dirs(tmp);
    /* Once, from the test's main thread before any other thread runs, as libcurl asks. */
    static bool curl_ready;
    if (!curl_ready && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) fail_msg("curl_global_init failed");
    curl_ready = true;

    tk_test_server *s = calloc(1, sizeof *s);
    assert_non_null(s);
    unsigned n = ++started;
    tk_fmt(s->db, sizeof s->db, "%s/http-%ld-%u.db", tmp, (long)getpid(), n);
    tk_fmt(s->port_file, sizeof s->port_file, "%s/http-%ld-%u.port", tmp, (long)getpid(), n);
    tk_fmt(s->log, sizeof s->log, "%s/http-%ld-%u.log", tmp, (long)getpid(), n);
    remove_files(s);

    /* Every request needs a caller: an administrator with an API token, made with the command
     * line as a server's administrator would, before the server starts. */
    char cmd[4 * PATH_CAP];
    tk_fmt(cmd, sizeof cmd, "'%s' --db '%s' migrate >/dev/null && '%s' --db '%s' user add tester --name 'Người kiểm thử' "
           "--password 'tester-password-1' --grant admin >/dev/null",
           bin, s->db, bin, s->db);
    if (system(cmd) != 0) fail_msg("could not create the test administrator: %s", cmd);
    tk_test_cli_token(s, "tester", s->admin_token);
    memcpy(s->caller_token, s->admin_token, sizeof s->caller_token);

    char threads_text[16];
    tk_fmt(threads_text, sizeof threads_text, "%u", threads);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) fail_msg("fork: %s", strerror(errno));
    if (pid == 0) {
        int out = open(s->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        if (out >= 0) {
            dup2(out, STDOUT_FILENO);
            dup2(out, STDERR_FILENO);
        }
        if (in >= 0) dup2(in, STDIN_FILENO);
        if (threads)
            execl(bin, bin, "serve", "--db", s->db, "--listen", "127.0.0.1", "--port", "0", "--port-file",
                  s->port_file, "--threads", threads_text, (char *)NULL);
        else
            execl(bin, bin, "serve", "--db", s->db, "--listen", "127.0.0.1", "--port", "0", "--port-file",
                  s->port_file, (char *)NULL);
        fprintf(stderr, "exec %s: %s\n", bin, strerror(errno));
        _exit(127);
    }
    s->pid = pid;

    for (long waited = 0;; waited += POLL_MS) {
        if (read_port(s->port_file, &s->port)) break;
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            print_log(s->log);
            remove_files(s);
            free(s);
            fail_msg("the server exited before listening (status 0x%x)", status);
        }
        if (waited >= START_WAIT_MS) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            print_log(s->log);
            remove_files(s);
            free(s);
            fail_msg("the server did not write its port file within %d ms", START_WAIT_MS);
        }
        sleep_ms(POLL_MS);
    }
    tk_fmt(s->base, sizeof s->base, "http://127.0.0.1:%u", s->port);
    s->curl = curl_easy_init();
    assert_non_null(s->curl);
    return s;
}

void tk_test_cli(const tk_test_server *server, const char *args, char *out, size_t cap)
{
    const char *bin = getenv("TK_BIN");
    char cmd[4 * PATH_CAP];
    tk_fmt(cmd, sizeof cmd, "'%s' --db '%s' %s 2>&1", bin, server->db, args);
    FILE *p = popen(cmd, "r");
    if (!p) fail_msg("popen %s: %s", cmd, strerror(errno));
    size_t n = out ? fread(out, 1, cap - 1, p) : 0;
    char sink[256];
    while (fread(sink, 1, sizeof sink, p) > 0) {}
    if (out) out[n] = '\0';
    int status = pclose(p);
    if (status != 0) fail_msg("%s failed (status 0x%x): %s", cmd, status, out ? out : "");
}

void tk_test_cli_token(const tk_test_server *server, const char *login, char token[80])
{
    char args[256], out[1024];
    tk_fmt(args, sizeof args, "token add %s test", login);
    tk_test_cli(server, args, out, sizeof out);
    /* The token is the line of 64 hex digits; the line before it says what it is. */
    for (char *line = out; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] ? 1 : 0)) {
        size_t n = strcspn(line, "\n");
        if (n == 64 && strspn(line, "0123456789abcdef") == 64) {
            memcpy(token, line, 64);
            token[64] = '\0';
            return;
        }
    }
    fail_msg("token add %s printed %s", login, out);
}

void tk_test_user(tk_test_server *server, const char *login, const char *role, int64_t org_id, char token[80])
{
    char args[512];
    if (org_id)
        tk_fmt(args, sizeof args, "user add %s --name 'Người dùng %s' --password '%s-password-1' --grant %s:%lld", login,
               login, login, role, (long long)org_id);
    else
        tk_fmt(args, sizeof args, "user add %s --name 'Người dùng %s' --password '%s-password-1' --grant %s", login,
               login, login, role);
    tk_test_cli(server, args, NULL, 0);
    tk_test_cli_token(server, login, token);
}

void tk_test_as(tk_test_server *server, const char *token)
{
    snprintf(server->caller_token, sizeof server->caller_token, "%s", token ? token : "");
}

const char *tk_test_admin_token(const tk_test_server *server)
{
    return server->admin_token;
}

const char *tk_test_server_db(const tk_test_server *server)
{
    return server->db;
}

tk_test_server *tk_test_server_start(void)
{
    return tk_test_server_start_threads(0);
}

const char *tk_test_server_base(const tk_test_server *server)
{
    return server->base;
}

void tk_test_server_stop(tk_test_server *s)
{
    if (!s) return;
    curl_easy_cleanup(s->curl); /* closes the keep-alive connection first */
    kill(s->pid, SIGTERM);
    int status = 0;
    bool exited = false;
    for (long waited = 0; waited < STOP_WAIT_MS; waited += POLL_MS) {
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            exited = true;
            break;
        }
        sleep_ms(POLL_MS);
    }
    if (!exited) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, &status, 0);
    }
    bool clean = exited && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!clean) print_log(s->log);
    remove_files(s);
    free(s);
    if (!exited) fail_msg("the server did not stop within %d ms of SIGTERM", STOP_WAIT_MS);
    if (WIFSIGNALED(status)) fail_msg("the server was killed by signal %d", WTERMSIG(status));
    if (!clean) fail_msg("the server exited with status %d (a sanitizer report is printed above)", WEXITSTATUS(status));
}

/* ---- requests ---- */

typedef struct answer_buf {
    char *data;
    size_t len, cap;
    bool failed;
} answer_buf;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    answer_buf *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1) cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = true;
            return 0;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

/* Copies the value of header `name` from a header line into dst when the line is that header. */
static void header_value(const char *line, size_t len, const char *name, char *dst, size_t cap)
{
    size_t nlen = strlen(name);
    if (len <= nlen || strncasecmp(line, name, nlen) != 0 || line[nlen] != ':') return;
    const char *v = line + nlen + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t')) v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ')) end--;
    size_t n = (size_t)(end - v);
    if (n >= cap) n = cap - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

static size_t on_header(char *buffer, size_t size, size_t nitems, void *userdata)
{
    tk_http_result *r = userdata;
    size_t n = size * nitems;
    /* A new status line (after "100 Continue") starts the headers over. */
    if (n >= 5 && strncmp(buffer, "HTTP/", 5) == 0) {
        r->location[0] = '\0';
        r->content_type[0] = '\0';
        r->set_cookie[0] = '\0';
        r->headers[0] = '\0';
    }
    header_value(buffer, n, "Location", r->location, sizeof r->location);
    header_value(buffer, n, "Content-Type", r->content_type, sizeof r->content_type);
    size_t used_h = strlen(r->headers);
    if (used_h + n < sizeof r->headers) {
        memcpy(r->headers + used_h, buffer, n);
        r->headers[used_h + n] = '\0';
    }
    char cookie[512] = "";
    header_value(buffer, n, "Set-Cookie", cookie, sizeof cookie);
    if (cookie[0]) {
        size_t used = strlen(r->set_cookie);
        snprintf(r->set_cookie + used, sizeof r->set_cookie - used, "%s%s", used ? "\n" : "", cookie);
    }
    return n;
}

void tk_http_full(tk_test_server *server, const char *method, const char *path, const char *body, size_t body_len,
                  bool fresh_connection, tk_http_result *out)
{
    tk_http_options options = {.fresh_connection = fresh_connection};
    tk_http_with(server, method, path, body, body_len, &options, out);
}

void tk_http_with(tk_test_server *server, const char *method, const char *path, const char *body, size_t body_len,
                  const tk_http_options *options, tk_http_result *out)
{
    bool fresh_connection = options->fresh_connection;
    memset(out, 0, sizeof *out);
    char url[8192];
    int un = snprintf(url, sizeof url, "%s%s", server->base, path);
    if (un < 0 || (size_t)un >= sizeof url) {
        snprintf(out->error, sizeof out->error, "path too long");
        return;
    }
    CURL *c = fresh_connection ? curl_easy_init() : server->curl;
    if (!c) {
        snprintf(out->error, sizeof out->error, "curl_easy_init failed");
        return;
    }
    if (!fresh_connection) curl_easy_reset(c); /* keeps the open connection */
    answer_buf buf = {0};
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, "Expect:");
    char line[256];
    if (body) {
        tk_fmt(line, sizeof line, "Content-Type: %s", options->content_type ? options->content_type : "application/json");
        headers = curl_slist_append(headers, line);
    }
    const char *token = options->token ? options->token : server->caller_token;
    if (!options->anonymous && token[0]) {
        tk_fmt(line, sizeof line, "Authorization: Bearer %s", token);
        headers = curl_slist_append(headers, line);
    }
    for (const char *const *h = options->headers; h && *h; h++) headers = curl_slist_append(headers, *h);
    char errbuf[CURL_ERROR_SIZE] = "";

    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(c, CURLOPT_PROXY, "");
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &buf);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
    if (fresh_connection) curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
    if (strcmp(method, "GET") == 0 && !body) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
        if (body) {
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        } else if (strcmp(method, "POST") == 0 || strcmp(method, "PATCH") == 0) {
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
        }
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    } else {
        snprintf(out->error, sizeof out->error, "%.60s: %.180s", curl_easy_strerror(rc), errbuf);
        out->status = 0;
    }
    curl_slist_free_all(headers);
    if (fresh_connection) curl_easy_cleanup(c);
    else curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);

    if (buf.failed) snprintf(out->error, sizeof out->error, "out of memory reading the answer");
    out->raw = buf.data ? buf.data : calloc(1, 1);
    out->raw_len = buf.len;
    if (out->raw_len > 0) out->json = json_loadb(out->raw, out->raw_len, 0, NULL);
}

void tk_http_result_free(tk_http_result *result)
{
    json_decref(result->json);
    free(result->raw);
    result->json = NULL;
    result->raw = NULL;
}

/* The answer's text for a failure message (callers bound it with %.Ns). */
static const char *excerpt(const tk_http_result *r)
{
    return r->raw ? r->raw : "";
}

long tk_http(tk_test_server *server, const char *method, const char *path, const char *body, size_t body_len,
             json_t **out_json)
{
    tk_http_result r;
    tk_http_full(server, method, path, body, body_len, false, &r);
    if (r.status == 0) {
        char msg[sizeof r.error];
        memcpy(msg, r.error, sizeof msg);
        tk_http_result_free(&r);
        fail_msg("%s %s: no answer (%s)", method, path, msg);
    }
    if (r.raw_len > 0 && !r.json) {
        fprintf(stderr, "%s %s: answer %ld is not JSON: %.500s\n", method, path, r.status, excerpt(&r));
        tk_http_result_free(&r);
        fail_msg("the answer is not JSON");
    }
    long status = r.status;
    if (out_json) {
        *out_json = r.json;
        r.json = NULL;
    }
    tk_http_result_free(&r);
    return status;
}

char *tk_query_escape(const char *s, char *buf, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
                     *p == '_' || *p == '.' || *p == '~';
        if (o + (plain ? 1 : 3) >= cap) fail_msg("tk_query_escape: \"%s\" does not fit in %zu bytes", s, cap);
        if (plain) {
            buf[o++] = (char)*p;
        } else {
            buf[o++] = '%';
            buf[o++] = hex[*p >> 4];
            buf[o++] = hex[*p & 15];
        }
    }
    buf[o] = '\0';
    return buf;
}

/* ---- helpers ---- */

json_t *tk_send_json(tk_test_server *server, const char *method, const char *path, json_t *body, long expect)
{
    if (!body) fail_msg("%s %s: the body could not be built (json_pack)", method, path);
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    assert_non_null(text);
    tk_http_result r;
    tk_http_full(server, method, path, text, strlen(text), false, &r);
    if (r.status != expect || (r.raw_len > 0 && !r.json)) {
        fprintf(stderr, "%s %s %s\n  -> %ld (expected %ld) %.1000s %s\n", method, path, text, r.status, expect,
                excerpt(&r), r.error);
        free(text);
        tk_http_result_free(&r);
        fail_msg("unexpected answer");
    }
    free(text);
    json_t *answer = r.json;
    r.json = NULL;
    tk_http_result_free(&r);
    return answer;
}

json_t *tk_create(tk_test_server *server, const char *path, json_t *body)
{
    if (!body) fail_msg("POST %s: the body could not be built (json_pack)", path);
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    assert_non_null(text);
    tk_http_result r;
    tk_http_full(server, "POST", path, text, strlen(text), false, &r);
    if (r.status != 201 || !json_is_object(r.json) || !json_is_integer(json_object_get(r.json, "id"))) {
        fprintf(stderr, "POST %s %s\n  -> %ld %.1000s %s\n", path, text, r.status, excerpt(&r), r.error);
        free(text);
        tk_http_result_free(&r);
        fail_msg("POST %s did not create (201 with an id)", path);
    }
    free(text);
    json_t *created = r.json;
    r.json = NULL;
    char location[sizeof r.location];
    memcpy(location, r.location, sizeof location);
    tk_http_result_free(&r);

    /* Location names the new object, and reading it back gives what the POST answered. */
    char expected[600];
    tk_fmt(expected, sizeof expected, "%s/%lld", path, (long long)json_integer_value(json_object_get(created, "id")));
    if (strcmp(location, expected) != 0) {
        json_decref(created);
        fail_msg("POST %s: Location is \"%s\", expected \"%s\"", path, location, expected);
    }
    json_t *fetched = NULL;
    long status = tk_http(server, "GET", location, NULL, 0, &fetched);
    if (status != 200 || !json_equal(created, fetched)) {
        char *a = json_dumps(created, JSON_COMPACT), *b = fetched ? json_dumps(fetched, JSON_COMPACT) : NULL;
        fprintf(stderr, "POST %s answered %s\nGET %s -> %ld %s\n", path, a, location, status, b ? b : "(none)");
        free(a);
        free(b);
        json_decref(created);
        json_decref(fetched);
        fail_msg("the created object read back differs from the POST answer");
    }
    json_decref(fetched);
    return created;
}

int64_t tk_create_id(tk_test_server *server, const char *path, json_t *body)
{
    json_t *created = tk_create(server, path, body);
    int64_t id = json_integer_value(json_object_get(created, "id"));
    json_decref(created);
    return id;
}

json_t *tk_get(tk_test_server *server, const char *fmt, ...)
{
    char path[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof path) fail_msg("tk_get: path too long");
    tk_http_result r;
    tk_http_full(server, "GET", path, NULL, 0, false, &r);
    if (r.status != 200 || !r.json) {
        fprintf(stderr, "GET %s -> %ld %.1000s %s\n", path, r.status, excerpt(&r), r.error);
        tk_http_result_free(&r);
        fail_msg("GET did not answer 200 with JSON");
    }
    json_t *answer = r.json;
    r.json = NULL;
    tk_http_result_free(&r);
    return answer;
}

void tk_assert_error(const json_t *answer, const char *code, const char *field, const char *what)
{
    json_t *error = json_object_get(answer, "error");
    if (!json_is_object(error)) {
        char *text = answer ? json_dumps(answer, JSON_COMPACT) : NULL;
        fprintf(stderr, "%s: answer %s\n", what, text ? text : "(no body)");
        free(text);
        fail_msg("%s: the answer is not {\"error\":{...}}", what);
    }
    const char *got_code = json_string_value(json_object_get(error, "code"));
    const char *message = json_string_value(json_object_get(error, "message"));
    const char *got_field = json_string_value(json_object_get(error, "field"));
    if (!got_code || strcmp(got_code, code) != 0)
        fail_msg("%s: error code \"%s\", expected \"%s\" (message: %s)", what, got_code ? got_code : "(none)", code,
                 message ? message : "(none)");
    if (!message || !*message) fail_msg("%s: the error has no message", what);
    if (!got_field) fail_msg("%s: the error has no \"field\" member", what);
    if (field && strcmp(got_field, field) != 0)
        fail_msg("%s: error field \"%s\", expected \"%s\" (message: %s)", what, got_field, field, message);
}

static json_t *member(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        char *text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
        fprintf(stderr, "object: %.2000s\n", text ? text : "(null)");
        free(text);
        fail_msg("member \"%s\" is missing", key);
    }
    return v;
}

int64_t tk_int(const json_t *obj, const char *key)
{
    json_t *v = member(obj, key);
    if (!json_is_integer(v)) fail_msg("member \"%s\" is not an integer", key);
    return json_integer_value(v);
}

double tk_real(const json_t *obj, const char *key)
{
    json_t *v = member(obj, key);
    if (!json_is_number(v)) fail_msg("member \"%s\" is not a number", key);
    return json_number_value(v);
}

const char *tk_str(const json_t *obj, const char *key)
{
    json_t *v = member(obj, key);
    if (!json_is_string(v)) fail_msg("member \"%s\" is not a string", key);
    return json_string_value(v);
}

bool tk_bool(const json_t *obj, const char *key)
{
    json_t *v = member(obj, key);
    if (!json_is_boolean(v)) fail_msg("member \"%s\" is not true or false", key);
    return json_is_true(v);
}

bool tk_is_null(const json_t *obj, const char *key)
{
    return json_is_null(member(obj, key));
}

json_t *tk_arr(const json_t *obj, const char *key)
{
    json_t *v = member(obj, key);
    if (!json_is_array(v)) fail_msg("member \"%s\" is not an array", key);
    return v;
}

json_t *tk_obj(const json_t *obj, const char *key)
{
    json_t *v = member(obj, key);
    if (!json_is_object(v)) fail_msg("member \"%s\" is not an object", key);
    return v;
}

const char *tk_today(char buf[11])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    if (strftime(buf, 11, "%Y-%m-%d", &tm) != 10) fail_msg("tk_today: strftime failed");
    return buf;
}

int tk_test_exit(int failed)
{
    if (!failed) return 0;
    fflush(stdout);
    fflush(stderr);
    _exit(1);
}

/* ---- files the server answers, read back by other programs ---- */

void tk_test_download(tk_test_server *server, const char *path, const char *type, const char *attachment,
                      const char *file)
{
    tk_http_result r;
    tk_http_full(server, "GET", path, NULL, 0, false, &r);
    if (r.status != 200) fail_msg("GET %s answered %ld: %.300s", path, r.status, r.raw ? r.raw : "");
    if (strncmp(r.content_type, type, strlen(type)) != 0) fail_msg("GET %s: Content-Type %s", path, r.content_type);
    if (attachment && !strstr(r.headers, attachment)) fail_msg("GET %s: no %s in\n%s", path, attachment, r.headers);
    FILE *f = fopen(file, "wb");
    if (!f) fail_msg("cannot write %s", file);
    size_t written = fwrite(r.raw, 1, r.raw_len, f);
    fclose(f);
    if (written != r.raw_len) fail_msg("cannot write %s", file);
    tk_http_result_free(&r);
}

char *tk_test_command_text(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p) fail_msg("cannot run %s", cmd);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    if (!out) fail_msg("out of memory");
    int c;
    bool space = false;
    while ((c = fgetc(p)) != EOF) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
            space = len > 0;
            continue;
        }
        if (len + 3 >= cap) {
            cap *= 2;
            char *bigger = realloc(out, cap);
            if (!bigger) fail_msg("out of memory");
            out = bigger;
        }
        if (space) out[len++] = ' ';
        space = false;
        out[len++] = (char)c;
    }
    out[len] = '\0';
    int status = pclose(p);
    if (status != 0) fail_msg("%s failed (%d): %.2000s", cmd, status, out);
    return out;
}

char *tk_test_date_line(const char *place, char *buf, size_t cap)
{
    char today[11];
    tk_today(today);
    int year = atoi(today), month = atoi(today + 5), day = atoi(today + 8);
    return tk_fmt(buf, cap, "%s, ngày %s%d tháng %s%d năm %d", place, day < 10 ? "0" : "", day, month <= 2 ? "0" : "",
                  month, year);
}

void tk_test_require_text(const char *text, const char *what, const char *want)
{
    if (!strstr(text, want)) fail_msg("%s lacks \"%s\" in:\n%s", what, want, text);
}
