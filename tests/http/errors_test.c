/* How the API refuses what it cannot accept, and that a refused write changes nothing.
 *
 * Each table row is one bad request: method, path, body, and the status, error code and field
 * the answer must carry ({"error":{"code","message","field"}}). Paths and bodies name the
 * objects of a small fixture with $NAME placeholders ($TASK, $UNIT, ...). After every bad write
 * the whole stored state (every collection, a task's updates and extensions) must read back
 * exactly as before. A table reports every row that fails, then fails once.
 *
 * Then what must be accepted at the edges (1 MiB bodies, 1000-character titles, NFD text stored
 * as NFC), and requests from several connections and threads at once: every worker thread has
 * its own database connection, and each must see what the others committed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

enum { MIB = 1024 * 1024 };

typedef struct fixture {
    tk_test_server *srv;
    bool built;
    int64_t org, unit, old, term, doc, action, plan, item, prog, ind, target, value, task, child, done;
} fixture;

/* ---- placeholders ---- */

typedef struct text_buf {
    char *data;
    size_t len, cap;
} text_buf;

static void put(text_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *grown = realloc(b->data, cap);
        assert_non_null(grown);
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void put_repeat(text_buf *b, const char *s, size_t times)
{
    for (size_t i = 0; i < times; i++) put(b, s, strlen(s));
}

/* A body of exactly `total` bytes: {"title":"aaa...a"}. */
static void put_title_body(text_buf *b, size_t total)
{
    put(b, "{\"title\":\"", 10);
    put_repeat(b, "a", total - 12);
    put(b, "\"}", 2);
}

/* Expands $NAME placeholders into a new string (caller frees); *len gets its length.
 *   $ORG $UNIT $OLD $TERM $DOC $ACTION $PLAN $ITEM $PROG $IND $TARGET $VALUE $TASK $CHILD $DONE:
 *   fixture ids
 *   $MISSING: an id nothing has
 *   $LONG1001: 1001 times "ệ" (one character over a 1000-character limit)
 *   $LONG301: 301 times "a"
 *   $HUGE, $MIB (the whole body): {"title":"aaa..."} of 1 MiB + 1 and of exactly 1 MiB bytes
 *   $DEEP (the whole body): 100000 nested arrays */
static char *expand(const fixture *f, const char *tmpl, size_t *len)
{
    text_buf b = {0};
    put(&b, "", 0);
    if (strcmp(tmpl, "$HUGE") == 0) {
        put_title_body(&b, (size_t)MIB + 1);
    } else if (strcmp(tmpl, "$MIB") == 0) {
        put_title_body(&b, (size_t)MIB);
    } else if (strcmp(tmpl, "$DEEP") == 0) {
        put_repeat(&b, "[", 100000);
    } else {
        for (const char *p = tmpl; *p;) {
            if (*p != '$') {
                put(&b, p++, 1);
                continue;
            }
            const char *end = p + 1;
            while ((*end >= 'A' && *end <= 'Z') || (*end >= '0' && *end <= '9')) end++;
            size_t n = (size_t)(end - p - 1);
            const char *name = p + 1;
            static const struct {
                const char *name;
                size_t offset;
            } ids[] = {
                {"ORG", offsetof(fixture, org)},       {"UNIT", offsetof(fixture, unit)},
                {"TERM", offsetof(fixture, term)},     {"DOC", offsetof(fixture, doc)},
                {"ACTION", offsetof(fixture, action)}, {"PLAN", offsetof(fixture, plan)},
                {"ITEM", offsetof(fixture, item)},     {"PROG", offsetof(fixture, prog)},
                {"IND", offsetof(fixture, ind)},       {"TARGET", offsetof(fixture, target)},
                {"VALUE", offsetof(fixture, value)},   {"TASK", offsetof(fixture, task)},
                {"DONE", offsetof(fixture, done)},     {"OLD", offsetof(fixture, old)},
                {"CHILD", offsetof(fixture, child)},
            };
            char number[32];
            bool known = false;
            for (size_t i = 0; i < sizeof ids / sizeof ids[0] && !known; i++) {
                if (strlen(ids[i].name) != n || strncmp(ids[i].name, name, n) != 0) continue;
                int64_t id;
                memcpy(&id, (const char *)f + ids[i].offset, sizeof id);
                snprintf(number, sizeof number, "%lld", (long long)id);
                put(&b, number, strlen(number));
                known = true;
            }
            if (!known && n == 7 && strncmp(name, "MISSING", n) == 0) {
                put(&b, "999999", 6);
                known = true;
            }
            if (!known && n == 8 && strncmp(name, "LONG1001", n) == 0) {
                put_repeat(&b, "ệ", 1001);
                known = true;
            }
            if (!known && n == 7 && strncmp(name, "LONG301", n) == 0) {
                put_repeat(&b, "a", 301);
                known = true;
            }
            if (!known) {
                free(b.data);
                fail_msg("unknown placeholder in \"%s\"", tmpl);
            }
            p = end;
        }
    }
    *len = b.len;
    return b.data;
}

/* ---- the fixture ---- */

static fixture *need(void **state)
{
    fixture *f = *state;
    if (f->built) return f;
    tk_test_server *srv = f->srv;
    f->org = tk_create_id(srv, "/api/v1/organizations",
                          json_pack("{s:s, s:s, s:s}", "kind", "party_committee", "name", "Đảng bộ Thành phố Hà Nội",
                                    "short_name", "Thành ủy Hà Nội"));
    f->unit = tk_create_id(srv, "/api/v1/organizations",
                           json_pack("{s:I, s:s, s:s, s:s, s:s}", "parent_id", (json_int_t)f->org, "kind",
                                     "department", "name", "Sở Nội vụ", "code", "H26.01", "valid_from", "2008-08-01"));
    /* A unit closed in 2008 whose work Sở Nội vụ carries on. */
    f->old = tk_create_id(srv, "/api/v1/organizations",
                          json_pack("{s:I, s:s, s:s, s:s, s:I}", "parent_id", (json_int_t)f->org, "kind", "department",
                                    "name", "Sở Nội vụ tỉnh Hà Tây", "valid_to", "2008-07-31", "successor_id",
                                    (json_int_t)f->unit));
    f->term = tk_create_id(srv, "/api/v1/terms",
                           json_pack("{s:I, s:i, s:i, s:i, s:s}", "organization_id", (json_int_t)f->org, "ordinal", 17,
                                     "year_from", 2020, "year_to", 2025, "name", "Nhiệm kỳ 2020 - 2025"));
    f->doc = tk_create_id(srv, "/api/v1/documents",
                          json_pack("{s:s, s:s, s:I, s:I}", "kind", "resolution", "title",
                                    "Nghị quyết Đại hội đại biểu Đảng bộ Thành phố lần thứ XVII", "organization_id",
                                    (json_int_t)f->org, "term_id", (json_int_t)f->term));
    f->action = tk_create_id(srv, "/api/v1/documents",
                             json_pack("{s:s, s:s, s:s, s:I, s:I}", "kind", "action_program", "number", "01-CTr/TU",
                                       "title", "Chương trình hành động", "organization_id", (json_int_t)f->org,
                                       "implements_id", (json_int_t)f->doc));
    f->plan = tk_create_id(srv, "/api/v1/documents",
                           json_pack("{s:s, s:s, s:I, s:I}", "kind", "plan", "title", "Kế hoạch của Sở Nội vụ",
                                     "organization_id", (json_int_t)f->unit, "implements_id", (json_int_t)f->action));
    f->item = tk_create_id(srv, "/api/v1/document-items",
                           json_pack("{s:I, s:s, s:s, s:i}", "document_id", (json_int_t)f->doc, "kind", "goal", "text",
                                     "Xây dựng Thủ đô văn hiến, văn minh, hiện đại", "milestone_year", 2045));
    f->prog = tk_create_id(srv, "/api/v1/programs",
                           json_pack("{s:I, s:s, s:s, s:s}", "document_id", (json_int_t)f->action, "number", "01",
                                     "title", "Chương trình cải cách hành chính", "period_text", "2021-2025"));
    f->ind = tk_create_id(srv, "/api/v1/indicators",
                          json_pack("{s:I, s:s, s:s}", "document_id", (json_int_t)f->doc, "name",
                                    "Tốc độ tăng trưởng GRDP", "aggregation", "none"));
    f->target = tk_create_id(srv, "/api/v1/indicator-targets",
                             json_pack("{s:I, s:i, s:f}", "indicator_id", (json_int_t)f->ind, "year", 2025, "value", 7.5));
    f->value = tk_create_id(srv, "/api/v1/indicator-values",
                            json_pack("{s:I, s:s, s:f, s:b}", "indicator_id", (json_int_t)f->ind, "on_date",
                                      "2022-12-31", "value", 8.89, "is_estimate", 1));
    f->task = tk_create_id(srv, "/api/v1/tasks",
                           json_pack("{s:I, s:s, s:I, s:s, s:[I]}", "program_id", (json_int_t)f->prog, "title",
                                     "Sắp xếp tổ chức bộ máy các sở, ngành", "lead_org_id", (json_int_t)f->unit, "due",
                                     "Quý II/2021", "coordinator_ids", (json_int_t)f->org));
    f->child = tk_create_id(srv, "/api/v1/tasks",
                            json_pack("{s:I, s:s, s:I, s:s}", "parent_id", (json_int_t)f->task, "title",
                                      "Sắp xếp các phòng chuyên môn", "lead_org_id", (json_int_t)f->unit, "due",
                                      "tháng 5/2021"));
    f->done = tk_create_id(srv, "/api/v1/tasks",
                           json_pack("{s:I, s:s, s:I, s:s}", "program_id", (json_int_t)f->prog, "title",
                                     "Đánh giá, xếp loại chất lượng tổ chức đảng", "lead_org_id", (json_int_t)f->unit,
                                     "due", "năm 2021"));
    char path[128];
    json_decref(tk_send_json(srv, "POST", tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)f->done),
                             json_pack("{s:s, s:i}", "reported_on", "2021-05-01", "progress", 100), 201));
    f->built = true;
    return f;
}

/* Everything stored, as the API shows it. New. */
static json_t *snapshot(fixture *f)
{
    static const char *const lists[] = {
        "/api/v1/organizations?per_page=200", "/api/v1/terms?per_page=200",
        "/api/v1/documents?per_page=200",     "/api/v1/document-items?per_page=200",
        "/api/v1/programs?per_page=200",      "/api/v1/indicators?per_page=200",
        "/api/v1/indicator-targets?per_page=200", "/api/v1/indicator-values?per_page=200",
        "/api/v1/tasks?per_page=200&sort=id",
    };
    json_t *snap = json_object();
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) json_object_set_new(snap, lists[i], tk_get(f->srv, "%s", lists[i]));
    const int64_t tasks[] = {f->task, f->done};
    for (size_t i = 0; i < 2; i++) {
        char path[128];
        tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)tasks[i]);
        json_object_set_new(snap, path, tk_get(f->srv, "%s", path));
        tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/extensions", (long long)tasks[i]);
        json_object_set_new(snap, path, tk_get(f->srv, "%s", path));
    }
    return snap;
}

/* ---- running a table ---- */

typedef struct bad_request {
    const char *method;
    const char *path;
    const char *body; /* NULL: no body */
    long status;
    const char *code;  /* NULL: any code */
    const char *field; /* NULL: not checked; "" the error is about the whole request */
} bad_request;

/* Why answer r is not the one row expects, into why; false when it is. */
static bool wrong_answer(const bad_request *row, const tk_http_result *r, char *why, size_t cap)
{
    if (r->status != row->status) {
        snprintf(why, cap, "status %ld, expected %ld", r->status, row->status);
        return true;
    }
    if (strncmp(r->content_type, "application/json", 16) != 0) {
        snprintf(why, cap, "Content-Type \"%s\", expected application/json", r->content_type);
        return true;
    }
    json_t *error = json_object_get(r->json, "error");
    const char *code = json_string_value(json_object_get(error, "code"));
    const char *message = json_string_value(json_object_get(error, "message"));
    const char *field = json_string_value(json_object_get(error, "field"));
    if (!json_is_object(error) || !code || !message || !field) {
        snprintf(why, cap, "the answer is not {\"error\":{\"code\",\"message\",\"field\"}}");
        return true;
    }
    if (!*code || !*message) {
        snprintf(why, cap, "empty code or message");
        return true;
    }
    if (row->code && strcmp(code, row->code) != 0) {
        snprintf(why, cap, "code \"%s\", expected \"%s\"", code, row->code);
        return true;
    }
    if (row->field && strcmp(field, row->field) != 0) {
        snprintf(why, cap, "field \"%s\", expected \"%s\"", field, row->field);
        return true;
    }
    return false;
}

static void run_table(void **state, const bad_request *rows, size_t n)
{
    fixture *f = need(state);
    json_t *before = snapshot(f);
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        const bad_request *row = &rows[i];
        size_t path_len, body_len = 0;
        char *path = expand(f, row->path, &path_len);
        char *body = row->body ? expand(f, row->body, &body_len) : NULL;
        tk_http_result r;
        tk_http_full(f->srv, row->method, path, body, body_len, false, &r);
        char why[256];
        if (wrong_answer(row, &r, why, sizeof why)) {
            fprintf(stderr, "row %zu: %s %s %.200s%s\n  -> %s\n  answer: %.600s%s%s\n", i, row->method, row->path,
                    row->body ? row->body : "", row->body && strlen(row->body) > 200 ? "..." : "", why,
                    r.raw ? r.raw : "", r.error[0] ? " " : "", r.error);
            failures++;
        }
        tk_http_result_free(&r);
        if (strcmp(row->method, "GET") != 0) {
            /* Nothing changed: every collection and history reads back as before. */
            json_t *after = snapshot(f);
            if (!json_equal(before, after)) {
                const char *key;
                json_t *v;
                json_object_foreach(before, key, v) {
                    if (!json_equal(v, json_object_get(after, key)))
                        fprintf(stderr, "row %zu: %s %s changed %s\n", i, row->method, row->path, key);
                }
                failures++;
                json_decref(before);
                before = after; /* so one bad row is reported once */
            } else {
                json_decref(after);
            }
        }
        free(path);
        free(body);
    }
    json_decref(before);
    if (failures) fail_msg("%d of %zu rows did not answer as the table says (listed above)", failures, n);
}

#define RUN(rows) run_table(state, rows, sizeof rows / sizeof rows[0])

#define TASK_OK "\"lead_org_id\":$UNIT,\"due\":\"Quý III/2021\""

/* Bodies that are not a JSON object in UTF-8 within 1 MiB: 400 or 413, about the whole request. */
static void test_bad_bodies(void **state)
{
    static const bad_request rows[] = {
        {"POST", "/api/v1/tasks", "$HUGE", 413, "too_large", ""},
        {"PATCH", "/api/v1/tasks/$TASK", "$HUGE", 413, "too_large", ""},
        {"POST", "/api/v1/tasks/$TASK/updates", "$HUGE", 413, "too_large", ""},
        {"POST", "/api/v1/organizations", "$HUGE", 413, "too_large", ""},
        /* Not UTF-8: a lead byte with no continuation, a cut sequence, an overlong "/", a surrogate. */
        {"POST", "/api/v1/tasks", "{\"title\":\"\xC3\x28\"," TASK_OK "}", 400, "invalid_utf8", ""},
        {"PATCH", "/api/v1/organizations/$UNIT", "{\"name\":\"S\xE1\xBB\"}", 400, "invalid_utf8", ""},
        {"POST", "/api/v1/organizations", "{\"kind\":\"other\",\"name\":\"a\xC0\xAF\"}", 400, "invalid_utf8", ""},
        {"POST", "/api/v1/organizations", "{\"kind\":\"other\",\"name\":\"\xED\xA0\x80\"}", 400, "invalid_utf8", ""},
        {"POST", "/api/v1/organizations", "\xC3\x28", 400, "invalid_utf8", ""},
        /* Not JSON, or JSON that is not one object. */
        {"POST", "/api/v1/tasks", "", 400, "invalid_json", ""},
        {"PATCH", "/api/v1/tasks/$TASK", "", 400, "invalid_json", ""},
        {"POST", "/api/v1/tasks/$TASK/updates", "", 400, "invalid_json", ""},
        {"POST", "/api/v1/tasks", "{\"title\":", 400, "invalid_json", ""},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",}", 400, "invalid_json", ""},
        {"POST", "/api/v1/tasks", "{'title':'a'}", 400, "invalid_json", ""},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\"," TASK_OK "} {}", 400, "invalid_json", ""},
        {"POST", "/api/v1/tasks", "$DEEP", 400, "invalid_json", ""},
        {"POST", "/api/v1/organizations", "[{\"kind\":\"other\",\"name\":\"Sở Tư pháp\"}]", 400, "invalid_json", ""},
        {"POST", "/api/v1/tasks", "\"Quý I/2021\"", 400, "invalid_json", ""},
        {"POST", "/api/v1/tasks", "42", 400, "invalid_json", ""},
        {"POST", "/api/v1/tasks", "null", 400, "invalid_json", ""},
        {"PATCH", "/api/v1/tasks/$TASK", "[]", 400, "invalid_json", ""},
        {"POST", "/api/v1/tasks/$TASK/updates", "[{\"progress\":50}]", 400, "invalid_json", ""},
        {"POST", "/api/v1/tasks/$TASK/extensions", "[]", 400, "invalid_json", ""},
        {"POST", "/api/v1/indicator-targets", "[{\"indicator_id\":$IND,\"year\":2030}]", 400, "invalid_json", ""},
        /* Duplicate keys: which one would count is not for the server to guess. */
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"title\":\"b\"," TASK_OK "}", 400, "invalid_json", ""},
        {"PATCH", "/api/v1/tasks/$TASK", "{\"title\":\"a\",\"title\":\"a\"}", 400, "invalid_json", ""},
        {"POST", "/api/v1/tasks/$TASK/updates", "{\"progress\":10,\"progress\":20}", 400, "invalid_json", ""},
    };
    RUN(rows);
}

/* Text values: control characters refused, lengths counted in characters after NFC. */
static void test_bad_text(void **state)
{
    static const bad_request rows[] = {
        {"POST", "/api/v1/tasks", "{\"title\":\"Họp\\u0007bàn\"," TASK_OK "}", 422, "invalid_input", "title"},
        {"POST", "/api/v1/tasks", "{\"title\":\"Họp\\u009bbàn\"," TASK_OK "}", 422, "invalid_input", "title"},
        {"POST", "/api/v1/tasks", "{\"title\":\"Họp\\u001b[31m\"," TASK_OK "}", 422, "invalid_input", "title"},
        {"POST", "/api/v1/tasks", "{\"title\":\"$LONG1001\"," TASK_OK "}", 422, "invalid_input", "title"},
        {"PATCH", "/api/v1/tasks/$TASK", "{\"title\":\"$LONG1001\"}", 422, "invalid_input", "title"},
        {"POST", "/api/v1/organizations", "{\"kind\":\"department\",\"name\":\"$LONG301\"}", 422, "invalid_input", "name"},
        /* Exactly 1 MiB is not too large: it is read, and its title is over its own limit. */
        {"POST", "/api/v1/tasks", "$MIB", 422, "invalid_input", "title"},
        {"POST", "/api/v1/tasks", "{\"title\":\"   \"," TASK_OK "}", 422, "invalid_input", "title"},
        {"POST", "/api/v1/tasks", "{\"title\":\"\"," TASK_OK "}", 422, "invalid_input", "title"},
    };
    RUN(rows);
}

/* U+0000 is valid JSON ("\u0000") but not text: like the other control characters it is refused
 * as invalid input naming the field (core/text.h: "Refuses ... NUL bytes and C0/C1 control
 * characters ... (TK_INVALID_INPUT); field names the field"). */
static void test_nul_in_text_is_refused_naming_the_field(void **state)
{
    static const bad_request rows[] = {
        {"POST", "/api/v1/tasks", "{\"title\":\"Họp\\u0000bàn\"," TASK_OK "}", 422, "invalid_input", "title"},
        {"PATCH", "/api/v1/organizations/$UNIT", "{\"name\":\"Sở\\u0000\"}", 422, "invalid_input", "name"},
        {"POST", "/api/v1/tasks/$TASK/updates", "{\"progress\":10,\"narrative\":\"\\u0000\"}", 422, "invalid_input",
         "narrative"},
    };
    RUN(rows);
}

/* Wrong types, missing required members, values out of range or not in the enumeration:
 * 422 invalid_input naming the field. */
static void test_bad_values(void **state)
{
    static const bad_request rows[] = {
        /* tasks */
        {"POST", "/api/v1/tasks", "{" TASK_OK "}", 422, "invalid_input", "title"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"due\":\"2021\"}", 422, "invalid_input", "lead_org_id"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT}", 422, "invalid_input", "due"},
        {"POST", "/api/v1/tasks", "{}", 422, "invalid_input", NULL},
        {"POST", "/api/v1/tasks", "{\"title\":5," TASK_OK "}", 422, "invalid_input", "title"},
        {"POST", "/api/v1/tasks", "{\"title\":null," TASK_OK "}", 422, "invalid_input", "title"},
        {"POST", "/api/v1/tasks", "{\"title\":[\"a\"]," TASK_OK "}", 422, "invalid_input", "title"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":\"$UNIT\",\"due\":\"2021\"}", 422, "invalid_input",
         "lead_org_id"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":0,\"due\":\"2021\"}", 422, "invalid_input",
         "lead_org_id"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":-$UNIT,\"due\":\"2021\"}", 422, "invalid_input",
         "lead_org_id"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT.0,\"due\":\"2021\"}", 422, "invalid_input",
         "lead_org_id"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":true,\"due\":\"2021\"}", 422, "invalid_input",
         "lead_org_id"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":{\"id\":$UNIT},\"due\":\"2021\"}", 422,
         "invalid_input", "lead_org_id"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"program_id\":\"$PROG\"," TASK_OK "}", 422, "invalid_input",
         "program_id"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"parent_id\":0," TASK_OK "}", 422, "invalid_input", "parent_id"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT,\"due\":2021}", 422, "invalid_input", "due"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT,\"due\":null}", 422, "invalid_input", "due"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT,\"due\":\"\"}", 422, "invalid_input", "due"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"weight\":0," TASK_OK "}", 422, "invalid_input", "weight"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"weight\":-1.5," TASK_OK "}", 422, "invalid_input", "weight"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"weight\":\"2\"," TASK_OK "}", 422, "invalid_input", "weight"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"weight\":null," TASK_OK "}", 422, "invalid_input", "weight"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"is_sample\":\"yes\"," TASK_OK "}", 422, "invalid_input",
         "is_sample"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"priority\":1," TASK_OK "}", 422, "invalid_input", "priority"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"coordinator_ids\":$ORG," TASK_OK "}", 422, "invalid_input",
         "coordinator_ids"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"coordinator_ids\":[\"$ORG\"]," TASK_OK "}", 422, "invalid_input",
         "coordinator_ids"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"coordinator_ids\":[0]," TASK_OK "}", 422, "invalid_input",
         "coordinator_ids"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"coordinator_ids\":[-$ORG]," TASK_OK "}", 422, "invalid_input",
         "coordinator_ids"},
        /* The lead unit is not also a coordinator; a coordinator is named once. */
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"coordinator_ids\":[$UNIT]," TASK_OK "}", 422, "invalid_input",
         "coordinator_ids"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"coordinator_ids\":[$ORG,$ORG]," TASK_OK "}", 422, "invalid_input",
         "coordinator_ids"},
        {"PATCH", "/api/v1/tasks/$TASK", "{\"weight\":0}", 422, "invalid_input", "weight"},
        {"PATCH", "/api/v1/tasks/$TASK", "{\"title\":null}", 422, "invalid_input", "title"},
        {"PATCH", "/api/v1/tasks/$TASK", "{\"lead_org_id\":null}", 422, "invalid_input", "lead_org_id"},
        {"PATCH", "/api/v1/tasks/$TASK", "{\"lead_org_id\":\"$ORG\"}", 422, "invalid_input", "lead_org_id"},
        {"PATCH", "/api/v1/tasks/$TASK", "{\"coordinator_ids\":[$UNIT]}", 422, "invalid_input", "coordinator_ids"},
        /* A task is not its own parent, nor its descendant's child. */
        {"PATCH", "/api/v1/tasks/$TASK", "{\"parent_id\":$TASK}", 422, "invalid_input", "parent_id"},
        {"PATCH", "/api/v1/tasks/$TASK", "{\"parent_id\":$CHILD}", 422, "invalid_input", "parent_id"},
        /* organizations */
        {"POST", "/api/v1/organizations", "{\"kind\":\"ministry\",\"name\":\"Bộ Nội vụ\"}", 422, "invalid_input", "kind"},
        {"POST", "/api/v1/organizations", "{\"kind\":\"Department\",\"name\":\"Sở\"}", 422, "invalid_input", "kind"},
        {"POST", "/api/v1/organizations", "{\"name\":\"Sở Tư pháp\"}", 422, "invalid_input", "kind"},
        {"POST", "/api/v1/organizations", "{\"kind\":\"department\"}", 422, "invalid_input", "name"},
        {"POST", "/api/v1/organizations",
         "{\"kind\":\"department\",\"name\":\"Sở\",\"valid_from\":\"2021-01-01\",\"valid_to\":\"2020-12-31\"}", 422,
         "invalid_input", "valid_to"},
        {"POST", "/api/v1/organizations", "{\"kind\":\"department\",\"name\":\"Sở\",\"valid_from\":\"2021-02-30\"}", 422,
         "invalid_input", "valid_from"},
        {"POST", "/api/v1/organizations", "{\"kind\":\"department\",\"name\":\"Sở\",\"valid_from\":\"30/6/2021\"}", 422,
         "invalid_input", "valid_from"},
        {"POST", "/api/v1/organizations", "{\"kind\":\"department\",\"name\":\"Sở\",\"parent_id\":-1}", 422,
         "invalid_input", "parent_id"},
        {"PATCH", "/api/v1/organizations/$UNIT", "{\"valid_to\":\"2008-07-31\"}", 422, "invalid_input", "valid_to"},
        /* Succession does not loop: Hà Tây's office went to Sở Nội vụ, which cannot go back to it. */
        {"PATCH", "/api/v1/organizations/$ORG", "{\"successor_id\":$ORG}", 422, "invalid_input", "successor_id"},
        {"PATCH", "/api/v1/organizations/$UNIT", "{\"successor_id\":$OLD}", 422, "invalid_input", "successor_id"},
        /* terms */
        {"POST", "/api/v1/terms", "{\"organization_id\":$ORG,\"ordinal\":0,\"year_from\":2025,\"year_to\":2030,\"name\":\"x\"}",
         422, "invalid_input", "ordinal"},
        {"POST", "/api/v1/terms", "{\"organization_id\":$ORG,\"ordinal\":101,\"year_from\":2025,\"year_to\":2030,\"name\":\"x\"}",
         422, "invalid_input", "ordinal"},
        {"POST", "/api/v1/terms", "{\"organization_id\":$ORG,\"ordinal\":\"18\",\"year_from\":2025,\"year_to\":2030,\"name\":\"x\"}",
         422, "invalid_input", "ordinal"},
        {"POST", "/api/v1/terms", "{\"organization_id\":$ORG,\"ordinal\":18,\"year_from\":2025,\"year_to\":2025,\"name\":\"x\"}",
         422, "invalid_input", "year_to"},
        {"POST", "/api/v1/terms", "{\"organization_id\":$ORG,\"ordinal\":18,\"year_from\":2025,\"year_to\":2030}", 422,
         "invalid_input", "name"},
        {"PATCH", "/api/v1/terms/$TERM", "{\"year_to\":2019}", 422, "invalid_input", "year_to"},
        /* documents and items */
        {"POST", "/api/v1/documents", "{\"kind\":\"law\",\"title\":\"Luật\",\"organization_id\":$ORG}", 422,
         "invalid_input", "kind"},
        {"POST", "/api/v1/documents", "{\"kind\":\"plan\",\"organization_id\":$ORG}", 422, "invalid_input", "title"},
        {"POST", "/api/v1/documents", "{\"kind\":\"plan\",\"title\":\"Kế hoạch\"}", 422, "invalid_input",
         "organization_id"},
        {"POST", "/api/v1/documents",
         "{\"kind\":\"plan\",\"title\":\"Kế hoạch\",\"organization_id\":$ORG,\"issued_on\":\"2020-13-01\"}", 422,
         "invalid_input", "issued_on"},
        /* cụ thể hóa cannot loop: the resolution cannot implement the plan that implements it */
        {"PATCH", "/api/v1/documents/$DOC", "{\"implements_id\":$PLAN}", 422, "invalid_input", "implements_id"},
        {"PATCH", "/api/v1/documents/$DOC", "{\"implements_id\":$DOC}", 422, "invalid_input", "implements_id"},
        {"PATCH", "/api/v1/documents/$ACTION", "{\"implements_id\":$PLAN}", 422, "invalid_input", "implements_id"},
        {"PATCH", "/api/v1/documents/$DOC", "{\"continues_id\":$DOC}", 422, "invalid_input", "continues_id"},
        {"PATCH", "/api/v1/programs/$PROG", "{\"continues_id\":$PROG}", 422, "invalid_input", "continues_id"},
        {"POST", "/api/v1/document-items", "{\"document_id\":$DOC,\"kind\":\"wish\",\"text\":\"x\"}", 422,
         "invalid_input", "kind"},
        {"POST", "/api/v1/document-items", "{\"document_id\":$DOC,\"kind\":\"goal\",\"text\":\"x\",\"milestone_year\":3000}",
         422, "invalid_input", "milestone_year"},
        {"POST", "/api/v1/document-items", "{\"document_id\":$DOC,\"kind\":\"goal\",\"text\":\"x\",\"position\":-1}", 422,
         "invalid_input", "position"},
        /* programs */
        {"POST", "/api/v1/programs", "{\"document_id\":$ACTION}", 422, "invalid_input", "title"},
        {"POST", "/api/v1/programs", "{\"title\":\"Chương trình\"}", 422, "invalid_input", "document_id"},
        {"POST", "/api/v1/programs", "{\"document_id\":$ACTION,\"title\":\"x\",\"period_text\":\"giai đoạn 2025-2021\"}",
         422, "invalid_period", "period_text"},
        {"POST", "/api/v1/programs", "{\"document_id\":$ACTION,\"title\":\"x\",\"period_text\":\"Thường xuyên\"}", 422,
         "invalid_input", "period_text"},
        {"PATCH", "/api/v1/programs/$PROG", "{\"period_text\":\"đầu năm 2021\"}", 422, "invalid_period", "period_text"},
        /* indicators, targets, values */
        {"POST", "/api/v1/indicators", "{\"name\":\"GRDP\",\"aggregation\":\"median\"}", 422, "invalid_input",
         "aggregation"},
        {"POST", "/api/v1/indicators", "{\"name\":\"GRDP\",\"direction\":\"up\"}", 422, "invalid_input", "direction"},
        {"POST", "/api/v1/indicators", "{\"unit\":\"%\"}", 422, "invalid_input", "name"},
        {"POST", "/api/v1/indicator-targets", "{\"indicator_id\":$IND,\"year\":\"2030\"}", 422, "invalid_input", "year"},
        {"POST", "/api/v1/indicator-targets", "{\"indicator_id\":$IND,\"value\":8}", 422, "invalid_input", "year"},
        {"POST", "/api/v1/indicator-values", "{\"indicator_id\":$IND,\"on_date\":\"2023-12-31\"}", 422, "invalid_input",
         "value"},
        {"POST", "/api/v1/indicator-values", "{\"indicator_id\":$IND,\"on_date\":\"2023-12-31\",\"value\":\"5,8\"}", 422,
         "invalid_input", "value"},
        {"POST", "/api/v1/indicator-values", "{\"indicator_id\":$IND,\"on_date\":\"2023\",\"value\":5.8}", 422,
         "invalid_input", "on_date"},
        {"POST", "/api/v1/indicator-values",
         "{\"indicator_id\":$IND,\"on_date\":\"2023-12-31\",\"value\":5.8,\"is_estimate\":1}", 422, "invalid_input",
         "is_estimate"},
        /* progress updates */
        {"POST", "/api/v1/tasks/$TASK/updates", "{\"progress\":101}", 422, "invalid_input", "progress"},
        {"POST", "/api/v1/tasks/$TASK/updates", "{\"progress\":-1}", 422, "invalid_input", "progress"},
        {"POST", "/api/v1/tasks/$TASK/updates", "{\"progress\":\"50\"}", 422, "invalid_input", "progress"},
        {"POST", "/api/v1/tasks/$TASK/updates", "{\"progress\":50.5}", 422, "invalid_input", "progress"},
        {"POST", "/api/v1/tasks/$TASK/updates", "{\"narrative\":\"Đã xong\"}", 422, "invalid_input", "progress"},
        {"POST", "/api/v1/tasks/$TASK/updates", "{}", 422, "invalid_input", "progress"},
        {"POST", "/api/v1/tasks/$TASK/updates", "{\"progress\":50,\"reported_on\":\"2099-12-31\"}", 422, "invalid_input",
         "reported_on"},
        {"POST", "/api/v1/tasks/$TASK/updates", "{\"progress\":50,\"reported_on\":\"2021-02-29\"}", 422, "invalid_input",
         "reported_on"},
        {"POST", "/api/v1/tasks/$TASK/updates", "{\"progress\":50,\"reported_on\":\"1/3/2021\"}", 422, "invalid_input",
         "reported_on"},
        {"POST", "/api/v1/tasks/$TASK/updates", "{\"progress\":50,\"narrative\":5}", 422, "invalid_input", "narrative"},
        /* deadline extensions */
        {"POST", "/api/v1/tasks/$TASK/extensions",
         "{\"reason\":\"r\",\"approved_by\":\"Thường trực Thành ủy\",\"decided_on\":\"2021-06-01\"}", 422,
         "invalid_input", "new_due"},
        {"POST", "/api/v1/tasks/$TASK/extensions",
         "{\"new_due\":\"Quý IV/2021\",\"approved_by\":\"Thường trực Thành ủy\",\"decided_on\":\"2021-06-01\"}", 422,
         "invalid_input", "reason"},
        {"POST", "/api/v1/tasks/$TASK/extensions",
         "{\"new_due\":\"Quý IV/2021\",\"reason\":\"r\",\"decided_on\":\"2021-06-01\"}", 422, "invalid_input",
         "approved_by"},
        {"POST", "/api/v1/tasks/$TASK/extensions",
         "{\"new_due\":\"Quý IV/2021\",\"reason\":\"r\",\"approved_by\":\"Thường trực Thành ủy\"}", 422,
         "invalid_input", "decided_on"},
        /* The new deadline must be later than the current one (Quý II/2021). */
        {"POST", "/api/v1/tasks/$TASK/extensions",
         "{\"new_due\":\"Quý I/2021\",\"reason\":\"r\",\"approved_by\":\"a\",\"decided_on\":\"2021-06-01\"}", 422,
         "invalid_input", "new_due"},
        {"POST", "/api/v1/tasks/$TASK/extensions",
         "{\"new_due\":\"30/6/2021\",\"reason\":\"r\",\"approved_by\":\"a\",\"decided_on\":\"2021-06-01\"}", 422,
         "invalid_input", "new_due"},
        {"POST", "/api/v1/tasks/$TASK/extensions",
         "{\"new_due\":\"Thường xuyên\",\"reason\":\"r\",\"approved_by\":\"a\",\"decided_on\":\"2021-06-01\"}", 422,
         "invalid_input", "new_due"},
    };
    RUN(rows);
}

/* Deadlines the period reader does not accept: 422 invalid_period naming the field. */
static void test_bad_periods(void **state)
{
    static const bad_request rows[] = {
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT,\"due\":\"đầu tháng 7/2021\"}", 422,
         "invalid_period", "due"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT,\"due\":\"31/4/2021\"}", 422, "invalid_period",
         "due"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT,\"due\":\"quý I\"}", 422, "invalid_period",
         "due"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT,\"due\":\"29/2/2021\"}", 422, "invalid_period",
         "due"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT,\"due\":\"cuối năm 2021\"}", 422,
         "invalid_period", "due"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT,\"due\":\"sau ngày 30/6/2021\"}", 422,
         "invalid_period", "due"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT,\"due\":\"6 tháng đầu năm\"}", 422,
         "invalid_period", "due"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT,\"due\":\"Quý I/2021 và Quý II/2021\"}", 422,
         "invalid_period", "due"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT,\"due\":\"năm 21\"}", 422, "invalid_period",
         "due"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT,\"due\":\"năm 2101\"}", 422, "invalid_period",
         "due"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$UNIT,\"due\":\"Quý V/2021\"}", 422, "invalid_period",
         "due"},
        {"POST", "/api/v1/tasks/$TASK/extensions",
         "{\"new_due\":\"đầu tháng 7/2021\",\"reason\":\"r\",\"approved_by\":\"a\",\"decided_on\":\"2021-06-01\"}", 422,
         "invalid_period", "new_due"},
        {"GET", "/api/v1/period?text=qu%C3%BD%20I", NULL, 422, "invalid_period", "text"},
        {"GET", "/api/v1/period?text=31%2F4%2F2021", NULL, 422, "invalid_period", "text"},
    };
    RUN(rows);
}

/* Immutable members: set on create, refused by PATCH. */
static void test_patch_of_immutable_fields(void **state)
{
    static const bad_request rows[] = {
        {"PATCH", "/api/v1/tasks/$TASK", "{\"due\":\"Quý IV/2021\"}", 422, "invalid_input", "due"},
        {"PATCH", "/api/v1/tasks/$TASK", "{\"title\":\"Tên mới\",\"due\":\"năm 2022\"}", 422, "invalid_input", "due"},
        {"PATCH", "/api/v1/organizations/$UNIT", "{\"parent_id\":null}", 422, "invalid_input", "parent_id"},
        {"PATCH", "/api/v1/organizations/$UNIT", "{\"parent_id\":$UNIT}", 422, "invalid_input", "parent_id"},
        {"PATCH", "/api/v1/organizations/$ORG", "{\"parent_id\":$UNIT}", 422, "invalid_input", "parent_id"},
        {"PATCH", "/api/v1/terms/$TERM", "{\"organization_id\":$UNIT}", 422, "invalid_input", "organization_id"},
        {"PATCH", "/api/v1/document-items/$ITEM", "{\"document_id\":$ACTION}", 422, "invalid_input", "document_id"},
        {"PATCH", "/api/v1/indicator-targets/$TARGET", "{\"indicator_id\":$IND}", 422, "invalid_input", "indicator_id"},
        {"PATCH", "/api/v1/indicator-values/$VALUE", "{\"indicator_id\":$IND}", 422, "invalid_input", "indicator_id"},
    };
    RUN(rows);
}

/* A reference in a body to an id that does not exist: 404 naming the field. */
static void test_missing_references(void **state)
{
    static const bad_request rows[] = {
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"lead_org_id\":$MISSING,\"due\":\"2021\"}", 404, "not_found",
         "lead_org_id"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"program_id\":$MISSING," TASK_OK "}", 404, "not_found",
         "program_id"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"document_id\":$MISSING," TASK_OK "}", 404, "not_found",
         "document_id"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"parent_id\":$MISSING," TASK_OK "}", 404, "not_found", "parent_id"},
        {"POST", "/api/v1/tasks", "{\"title\":\"a\",\"coordinator_ids\":[$ORG,$MISSING]," TASK_OK "}", 404, "not_found",
         "coordinator_ids"},
        {"PATCH", "/api/v1/tasks/$TASK", "{\"lead_org_id\":$MISSING}", 404, "not_found", "lead_org_id"},
        {"PATCH", "/api/v1/tasks/$TASK", "{\"coordinator_ids\":[$MISSING]}", 404, "not_found", "coordinator_ids"},
        {"POST", "/api/v1/organizations", "{\"kind\":\"department\",\"name\":\"Sở\",\"parent_id\":$MISSING}", 404,
         "not_found", "parent_id"},
        {"PATCH", "/api/v1/organizations/$UNIT", "{\"successor_id\":$MISSING}", 404, "not_found", "successor_id"},
        {"POST", "/api/v1/terms",
         "{\"organization_id\":$MISSING,\"ordinal\":18,\"year_from\":2025,\"year_to\":2030,\"name\":\"x\"}", 404,
         "not_found", "organization_id"},
        {"POST", "/api/v1/documents", "{\"kind\":\"plan\",\"title\":\"Kế hoạch\",\"organization_id\":$MISSING}", 404,
         "not_found", "organization_id"},
        {"POST", "/api/v1/documents",
         "{\"kind\":\"plan\",\"title\":\"Kế hoạch\",\"organization_id\":$ORG,\"term_id\":$MISSING}", 404, "not_found",
         "term_id"},
        {"POST", "/api/v1/documents",
         "{\"kind\":\"plan\",\"title\":\"Kế hoạch\",\"organization_id\":$ORG,\"implements_id\":$MISSING}", 404,
         "not_found", "implements_id"},
        {"POST", "/api/v1/document-items", "{\"document_id\":$MISSING,\"kind\":\"goal\",\"text\":\"x\"}", 404,
         "not_found", "document_id"},
        {"POST", "/api/v1/programs", "{\"document_id\":$MISSING,\"title\":\"x\"}", 404, "not_found", "document_id"},
        {"POST", "/api/v1/programs", "{\"document_id\":$ACTION,\"title\":\"x\",\"continues_id\":$MISSING}", 404,
         "not_found", "continues_id"},
        {"POST", "/api/v1/indicators", "{\"name\":\"GRDP\",\"program_id\":$MISSING}", 404, "not_found", "program_id"},
        {"POST", "/api/v1/indicator-targets", "{\"indicator_id\":$MISSING,\"year\":2030}", 404, "not_found",
         "indicator_id"},
        {"POST", "/api/v1/indicator-values", "{\"indicator_id\":$MISSING,\"on_date\":\"2023-12-31\",\"value\":1}", 404,
         "not_found", "indicator_id"},
    };
    RUN(rows);
}

/* Ids in the path that name nothing, paths that do not exist, methods a path does not offer. */
static void test_bad_paths_and_methods(void **state)
{
    static const bad_request rows[] = {
        {"GET", "/api/v1/tasks/$MISSING", NULL, 404, "not_found", ""},
        {"PATCH", "/api/v1/tasks/$MISSING", "{\"title\":\"x\"}", 404, "not_found", ""},
        {"GET", "/api/v1/organizations/$MISSING", NULL, 404, "not_found", ""},
        {"PATCH", "/api/v1/organizations/$MISSING", "{\"name\":\"x\"}", 404, "not_found", ""},
        {"GET", "/api/v1/indicator-values/$MISSING", NULL, 404, "not_found", ""},
        {"GET", "/api/v1/tasks/$MISSING/updates", NULL, 404, "not_found", ""},
        {"POST", "/api/v1/tasks/$MISSING/updates", "{\"progress\":10}", 404, "not_found", ""},
        {"GET", "/api/v1/tasks/$MISSING/extensions", NULL, 404, "not_found", ""},
        {"POST", "/api/v1/tasks/$MISSING/extensions",
         "{\"new_due\":\"Quý IV/2021\",\"reason\":\"r\",\"approved_by\":\"a\",\"decided_on\":\"2021-06-01\"}", 404,
         "not_found", ""},
        {"GET", "/api/v1/organizations/$MISSING/scorecard", NULL, 404, "not_found", ""},
        /* Ids are positive integers written plainly: anything else names no resource. */
        {"GET", "/api/v1/tasks/0", NULL, 404, "not_found", ""},
        {"GET", "/api/v1/tasks/-$TASK", NULL, 404, "not_found", ""},
        {"PATCH", "/api/v1/tasks/0", "{\"title\":\"x\"}", 404, "not_found", ""},
        {"PATCH", "/api/v1/tasks/-$TASK", "{\"title\":\"x\"}", 404, "not_found", ""},
        {"POST", "/api/v1/tasks/-$TASK/updates", "{\"progress\":10}", 404, "not_found", ""},
        {"GET", "/api/v1/tasks/%22$TASK%22", NULL, 404, "not_found", ""},
        {"GET", "/api/v1/tasks/abc", NULL, 404, "not_found", ""},
        {"GET", "/api/v1/tasks/$TASK.0", NULL, 404, "not_found", ""},
        {"GET", "/api/v1/tasks/0$TASK", NULL, 404, "not_found", ""},
        {"GET", "/api/v1/tasks/99999999999999999999", NULL, 404, "not_found", ""},
        {"GET", "/api/v1/nothing", NULL, 404, "not_found", ""},
        {"GET", "/api/v2/tasks", NULL, 404, "not_found", ""},
        {"GET", "/api/v1", NULL, 404, "not_found", ""},
        {"GET", "/api/v1/tasks/$TASK/comments", NULL, 404, "not_found", ""},
        {"POST", "/api/v1/task", "{\"title\":\"a\"," TASK_OK "}", 404, "not_found", ""},
        /* Known paths, other methods. */
        {"DELETE", "/api/v1/tasks/$TASK", NULL, 405, NULL, ""},
        {"PUT", "/api/v1/tasks/$TASK", "{\"title\":\"x\"}", 405, NULL, ""},
        {"PATCH", "/api/v1/tasks", "{\"title\":\"x\"}", 405, NULL, ""},
        {"DELETE", "/api/v1/organizations", NULL, 405, NULL, ""},
        {"PUT", "/api/v1/organizations/$UNIT", "{\"kind\":\"other\",\"name\":\"x\"}", 405, NULL, ""},
        {"POST", "/api/v1/health", "{}", 405, NULL, ""},
        {"POST", "/api/v1/dashboard", "{}", 405, NULL, ""},
        {"POST", "/api/v1/period", "{}", 405, NULL, ""},
        {"POST", "/api/v1/organizations/$ORG/scorecard", "{}", 405, NULL, ""},
        {"PATCH", "/api/v1/tasks/$TASK/updates", "{\"progress\":10}", 405, NULL, ""},
        {"DELETE", "/api/v1/tasks/$TASK/extensions", NULL, 405, NULL, ""},
        {"DELETE", "/api/v1/indicator-targets/$TARGET", NULL, 405, NULL, ""},
    };
    RUN(rows);
}

/* Query strings: unknown filters, bad pages, dates, statuses, sorts, ids. */
static void test_bad_queries(void **state)
{
    static const bad_request rows[] = {
        {"GET", "/api/v1/tasks?foo=1", NULL, 422, "invalid_input", "foo"},
        {"GET", "/api/v1/tasks?title=a", NULL, 422, "invalid_input", "title"},
        {"GET", "/api/v1/tasks?per_page=201", NULL, 422, "invalid_input", "per_page"},
        {"GET", "/api/v1/tasks?per_page=0", NULL, 422, "invalid_input", "per_page"},
        {"GET", "/api/v1/tasks?per_page=-5", NULL, 422, "invalid_input", "per_page"},
        {"GET", "/api/v1/tasks?per_page=ten", NULL, 422, "invalid_input", "per_page"},
        {"GET", "/api/v1/tasks?page=0", NULL, 422, "invalid_input", "page"},
        {"GET", "/api/v1/tasks?page=2x", NULL, 422, "invalid_input", "page"},
        {"GET", "/api/v1/tasks?status=late", NULL, 422, "invalid_input", "status"},
        {"GET", "/api/v1/tasks?status=Overdue", NULL, 422, "invalid_input", "status"},
        {"GET", "/api/v1/tasks?sort=priority", NULL, 422, "invalid_input", "sort"},
        {"GET", "/api/v1/tasks?on=2021-02-30", NULL, 422, "invalid_input", "on"},
        {"GET", "/api/v1/tasks?on=30%2F6%2F2021", NULL, 422, "invalid_input", "on"},
        {"GET", "/api/v1/tasks?due_from=2021-13-01", NULL, 422, "invalid_input", "due_from"},
        {"GET", "/api/v1/tasks?due_to=soon", NULL, 422, "invalid_input", "due_to"},
        {"GET", "/api/v1/tasks?org=$MISSING", NULL, 404, "not_found", "org"},
        {"GET", "/api/v1/tasks?org=abc", NULL, 422, "invalid_input", "org"},
        {"GET", "/api/v1/tasks?org=0", NULL, 422, "invalid_input", "org"},
        {"GET", "/api/v1/tasks?lead_org_id=-1", NULL, 422, "invalid_input", "lead_org_id"},
        {"GET", "/api/v1/tasks?program_id=1.5", NULL, 422, "invalid_input", "program_id"},
        {"GET", "/api/v1/tasks?q=%C3%28", NULL, 400, "invalid_utf8", ""},
        {"GET", "/api/v1/organizations?name=x", NULL, 422, "invalid_input", "name"},
        {"GET", "/api/v1/organizations?foo=1", NULL, 422, "invalid_input", "foo"},
        {"GET", "/api/v1/organizations?per_page=201", NULL, 422, "invalid_input", "per_page"},
        {"GET", "/api/v1/organizations?parent_id=abc", NULL, 422, "invalid_input", "parent_id"},
        {"GET", "/api/v1/organizations?q=%FF", NULL, 400, "invalid_utf8", ""},
        {"GET", "/api/v1/dashboard", NULL, 422, "invalid_input", "org"},
        {"GET", "/api/v1/dashboard?org=abc", NULL, 422, "invalid_input", "org"},
        {"GET", "/api/v1/dashboard?org=$MISSING", NULL, 404, "not_found", NULL},
        {"GET", "/api/v1/dashboard?org=$ORG&on=2021-02-30", NULL, 422, "invalid_input", "on"},
        {"GET", "/api/v1/organizations/$ORG/scorecard?on=yesterday", NULL, 422, "invalid_input", "on"},
        {"GET", "/api/v1/period", NULL, 422, "invalid_input", "text"},
    };
    RUN(rows);
}

/* A bad value in an enumeration filter is refused as it is in a body ("bad enum -> 422"),
 * rather than answered with an empty list that looks like "no such organizations". */
static void test_bad_enum_in_a_filter(void **state)
{
    static const bad_request rows[] = {
        {"GET", "/api/v1/organizations?kind=ministry", NULL, 422, "invalid_input", "kind"},
        {"GET", "/api/v1/documents?kind=law", NULL, 422, "invalid_input", "kind"},
        {"GET", "/api/v1/indicators?aggregation=median", NULL, 422, "invalid_input", "aggregation"},
    };
    RUN(rows);
}

/* Writes that contradict what is stored: 409. */
static void test_conflicts(void **state)
{
    static const bad_request rows[] = {
        /* one target per milestone year */
        {"POST", "/api/v1/indicator-targets", "{\"indicator_id\":$IND,\"year\":2025,\"value\":9}", 409, "conflict", NULL},
        /* a completed task keeps its deadline */
        {"POST", "/api/v1/tasks/$DONE/extensions",
         "{\"new_due\":\"năm 2022\",\"reason\":\"r\",\"approved_by\":\"a\",\"decided_on\":\"2021-06-01\"}", 409,
         "conflict", NULL},
        /* one congress of each ordinal per organization; one organization per agency code */
        {"POST", "/api/v1/terms",
         "{\"organization_id\":$ORG,\"ordinal\":17,\"year_from\":2020,\"year_to\":2025,\"name\":\"Trùng\"}", 409,
         "conflict", NULL},
        /* the field is named, as for any refusal a person can correct */
        {"POST", "/api/v1/organizations", "{\"kind\":\"department\",\"name\":\"Sở khác\",\"code\":\"H26.01\"}", 409,
         "conflict", "code"},
    };
    RUN(rows);
}

/* ---- what must be accepted at the edges ---- */

static void test_nfd_text_is_stored_as_nfc(void **state)
{
    fixture *f = need(state);
    /* "Đảng bộ" typed with combining marks: a + U+0309, o + U+0323 + U+0302; and the marks of ộ
     * in the other order (o + U+0302 + U+0323), which is canonically the same. */
    const char *nfd = "\xC4\x90" "a\xCC\x89" "ng bo\xCC\xA3\xCC\x82 Ph\xC6\xB0o\xCC\x9B\xCC\x80" "ng Tra\xCC\x80ng Ti\xC3\xAA\xCC\x80n";
    const char *odd = "\xC4\x90" "a\xCC\x89" "ng bo\xCC\x82\xCC\xA3";
    const char *nfc = "Đảng bộ Phường Tràng Tiền";
    json_t *o = tk_create(f->srv, "/api/v1/organizations",
                          json_pack("{s:I, s:s, s:s, s:s}", "parent_id", (json_int_t)f->org, "kind", "base_organization",
                                    "name", nfd, "short_name", odd));
    assert_string_equal(tk_str(o, "name"), nfc);
    assert_string_equal(tk_str(o, "short_name"), "Đảng bộ");
    int64_t id = tk_int(o, "id");
    json_decref(o);
    o = tk_get(f->srv, "/api/v1/organizations/%lld", (long long)id);
    assert_string_equal(tk_str(o, "name"), nfc);
    json_decref(o);

    /* PATCH normalizes too, and a task's text as well. */
    char path[128];
    o = tk_send_json(f->srv, "PATCH", tk_fmt(path, sizeof path, "/api/v1/organizations/%lld", (long long)id),
                     json_pack("{s:s}", "short_name", "Pho\xCC\x9B\xCC\x80\xC6\xA1\xCC\x80"), 200);
    assert_string_equal(tk_str(o, "short_name"), "Phờờ");
    json_decref(o);
    json_t *t = tk_create(f->srv, "/api/v1/tasks",
                          json_pack("{s:s, s:I, s:s, s:s}", "title", "Qua\xCC\x81n trie\xCC\xA3\xCC\x82t Nghi\xCC\xA3 quye\xCC\x82\xCC\x81t",
                                    "lead_org_id", (json_int_t)id, "due", "Qu\x79\xCC\x81 III/2021", "responsible_person",
                                    nfd));
    assert_string_equal(tk_str(t, "title"), "Quán triệt Nghị quyết");
    assert_string_equal(tk_str(t, "due"), "Quý III/2021");
    assert_string_equal(tk_str(t, "due_last"), "2021-09-30");
    assert_string_equal(tk_str(t, "responsible_person"), nfc);
    assert_string_equal(tk_str(t, "lead_org_name"), nfc);
    json_decref(t);

    /* Either form finds it. */
    char escaped[256];
    json_t *list = tk_get(f->srv, "/api/v1/organizations?q=%s", tk_query_escape(nfc, escaped, sizeof escaped));
    assert_int_equal(json_array_size(tk_arr(list, "items")), 1);
    json_decref(list);
    list = tk_get(f->srv, "/api/v1/organizations?q=%s", tk_query_escape(nfd, escaped, sizeof escaped));
    assert_int_equal(json_array_size(tk_arr(list, "items")), 1);
    json_decref(list);
}

static void test_limits_count_characters(void **state)
{
    fixture *f = need(state);
    /* 1000 characters of three bytes each is at the limit, not over it. */
    text_buf title = {0};
    put_repeat(&title, "ệ", 1000);
    json_t *t = tk_create(f->srv, "/api/v1/tasks",
                          json_pack("{s:s, s:I, s:s}", "title", title.data, "lead_org_id", (json_int_t)f->unit, "due",
                                    "năm 2022"));
    assert_string_equal(tk_str(t, "title"), title.data);
    json_decref(t);
    /* The same written in NFD is 3000 code points; stored as NFC it is 1000 characters. */
    text_buf nfd = {0};
    put_repeat(&nfd, "e\xCC\xA3\xCC\x82", 1000);
    t = tk_create(f->srv, "/api/v1/tasks",
                  json_pack("{s:s, s:I, s:s}", "title", nfd.data, "lead_org_id", (json_int_t)f->unit, "due", "năm 2022"));
    assert_string_equal(tk_str(t, "title"), title.data);
    json_decref(t);
    free(title.data);
    free(nfd.data);
    /* A body of exactly 1 MiB is read (and here refused for its title, not its size). */
    size_t len;
    char *body = expand(f, "$MIB", &len);
    assert_int_equal(len, MIB);
    json_t *answer = NULL;
    long status = tk_http(f->srv, "POST", "/api/v1/tasks", body, len, &answer);
    free(body);
    assert_int_equal(status, 422);
    tk_assert_error(answer, "invalid_input", "title", "POST /tasks with a 1 MiB body");
    json_decref(answer);
}

/* ---- several connections and threads ---- */

enum { THREADS = 4, PER_THREAD = 25 };

typedef struct worker {
    tk_test_server *srv;
    int index;
    int64_t org, program;
    long status[PER_THREAD];
    int64_t id[PER_THREAD];
    char first_error[512];
} worker;

static void *create_tasks(void *arg)
{
    worker *w = arg;
    static const char *const quarters[] = {"I", "II", "III", "IV"};
    for (int i = 0; i < PER_THREAD; i++) {
        char body[512];
        snprintf(body, sizeof body,
                 "{\"title\":\"Nhiệm vụ %d.%d của đơn vị\",\"lead_org_id\":%lld,\"program_id\":%lld,"
                 "\"due\":\"Quý %s/2022\",\"coordinator_ids\":[]}",
                 w->index, i, (long long)w->org, (long long)w->program, quarters[i % 4]);
        tk_http_result r;
        tk_http_full(w->srv, "POST", "/api/v1/tasks", body, strlen(body), true, &r);
        w->status[i] = r.status;
        w->id[i] = json_integer_value(json_object_get(r.json, "id"));
        if (r.status != 201 && !w->first_error[0])
            snprintf(w->first_error, sizeof w->first_error, "%ld %.300s%.100s", r.status, r.raw ? r.raw : "", r.error);
        tk_http_result_free(&r);
    }
    return NULL;
}

/* Counts the tasks the list shows for org over connection `fresh` (or the keep-alive one). */
static long count_tasks(tk_test_server *srv, int64_t org, bool fresh, char *error, size_t cap)
{
    char path[128];
    tk_fmt(path, sizeof path, "/api/v1/tasks?org=%lld&per_page=200", (long long)org);
    tk_http_result r;
    tk_http_full(srv, "GET", path, NULL, 0, fresh, &r);
    long n = -1;
    if (r.status == 200 && json_is_array(json_object_get(r.json, "items")) &&
        json_is_false(json_object_get(r.json, "has_more")))
        n = (long)json_array_size(json_object_get(r.json, "items"));
    else snprintf(error, cap, "%ld %.300s", r.status, r.raw ? r.raw : "");
    tk_http_result_free(&r);
    return n;
}

static void test_concurrent_creates_all_succeed(void **state)
{
    (void)state;
    tk_test_server *srv = tk_test_server_start();
    int64_t org = tk_create_id(srv, "/api/v1/organizations",
                               json_pack("{s:s, s:s}", "kind", "party_committee", "name", "Tỉnh ủy Thanh Hóa"));
    int64_t doc = tk_create_id(srv, "/api/v1/documents",
                               json_pack("{s:s, s:s, s:I}", "kind", "action_program", "title", "Chương trình hành động",
                                         "organization_id", (json_int_t)org));
    int64_t program = tk_create_id(srv, "/api/v1/programs",
                                   json_pack("{s:I, s:s}", "document_id", (json_int_t)doc, "title", "Chương trình 01"));
    worker workers[THREADS];
    pthread_t threads[THREADS];
    memset(workers, 0, sizeof workers);
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker){.srv = srv, .index = i + 1, .org = org, .program = program};
        assert_int_equal(pthread_create(&threads[i], NULL, create_tasks, &workers[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);

    int failed = 0;
    for (int i = 0; i < THREADS; i++) {
        for (int k = 0; k < PER_THREAD; k++) failed += workers[i].status[k] != 201;
        if (workers[i].first_error[0]) fprintf(stderr, "thread %d, first failure: %s\n", i + 1, workers[i].first_error);
    }
    /* Every id is new. */
    int duplicates = 0;
    for (int a = 0; a < THREADS * PER_THREAD; a++)
        for (int b = a + 1; b < THREADS * PER_THREAD; b++) {
            int64_t x = workers[a / PER_THREAD].id[a % PER_THREAD], y = workers[b / PER_THREAD].id[b % PER_THREAD];
            duplicates += x && x == y;
        }
    char error[400] = "";
    long listed = count_tasks(srv, org, false, error, sizeof error);
    long listed_fresh = count_tasks(srv, org, true, error, sizeof error);
    json_t *p = NULL;
    char path[128];
    long pstatus = tk_http(srv, "GET", tk_fmt(path, sizeof path, "/api/v1/programs/%lld", (long long)program), NULL, 0, &p);
    int64_t task_count = json_integer_value(json_object_get(p, "task_count"));
    json_decref(p);
    tk_test_server_stop(srv);

    if (failed) fail_msg("%d of %d concurrent POST /tasks did not answer 201 (first failures above)", failed,
                         THREADS * PER_THREAD);
    assert_int_equal(duplicates, 0);
    if (listed != THREADS * PER_THREAD || listed_fresh != THREADS * PER_THREAD)
        fail_msg("the list shows %ld tasks (keep-alive connection) and %ld (new connection), expected %d %s", listed,
                 listed_fresh, THREADS * PER_THREAD, error);
    assert_int_equal(pstatus, 200);
    assert_int_equal(task_count, THREADS * PER_THREAD);
}

/* One client, one request at a time, each over a new connection (as a browser's several
 * connections, or a script calling curl, do): each answer must reflect every write committed
 * before it was sent, whichever worker thread serves it. */
static void test_each_connection_sees_committed_writes(void **state)
{
    (void)state;
    tk_test_server *srv = tk_test_server_start();
    enum { ROUNDS = 24 };
    int failures = 0;
    int64_t org = 0;
    char path[128], body[256];
    tk_http_result r;
    const char *org_body = "{\"kind\":\"party_committee\",\"name\":\"Thành ủy Hà Nội\"}";
    tk_http_full(srv, "POST", "/api/v1/organizations", org_body, strlen(org_body), true, &r);
    if (r.status == 201) org = json_integer_value(json_object_get(r.json, "id"));
    tk_http_result_free(&r);
    for (int i = 0; org && i < ROUNDS; i++) {
        snprintf(body, sizeof body, "{\"title\":\"Nhiệm vụ số %d\",\"lead_org_id\":%lld,\"due\":\"năm 2022\"}", i + 1,
                 (long long)org);
        tk_http_full(srv, "POST", "/api/v1/tasks", body, strlen(body), true, &r);
        int64_t id = json_integer_value(json_object_get(r.json, "id"));
        if (r.status != 201) {
            if (failures++ < 5) fprintf(stderr, "round %d: POST /tasks -> %ld %.300s\n", i + 1, r.status, r.raw);
            tk_http_result_free(&r);
            continue;
        }
        tk_http_result_free(&r);
        tk_http_full(srv, "GET", tk_fmt(path, sizeof path, "/api/v1/tasks/%lld", (long long)id), NULL, 0, true, &r);
        if (r.status != 200 && failures++ < 5)
            fprintf(stderr, "round %d: GET %s right after it was created -> %ld %.300s\n", i + 1, path, r.status, r.raw);
        tk_http_result_free(&r);
        char error[400] = "";
        long n = count_tasks(srv, org, true, error, sizeof error);
        if (n != i + 1 && failures++ < 5)
            fprintf(stderr, "round %d: the list shows %ld tasks, expected %d %s\n", i + 1, n, i + 1, error);
    }
    tk_test_server_stop(srv);
    if (!org) fail_msg("POST /organizations over a new connection failed");
    if (failures) fail_msg("%d requests over new connections did not see earlier writes (first ones above)", failures);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    *state = f; /* before the server starts, so that teardown frees it if the start fails */
    f->srv = tk_test_server_start();
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (!f) return 0;
    *state = NULL;
    tk_test_server *server = f->srv;
    free(f);
    if (server) tk_test_server_stop(server);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_bodies),
        cmocka_unit_test(test_bad_text),
        cmocka_unit_test(test_nul_in_text_is_refused_naming_the_field),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_bad_periods),
        cmocka_unit_test(test_patch_of_immutable_fields),
        cmocka_unit_test(test_missing_references),
        cmocka_unit_test(test_bad_paths_and_methods),
        cmocka_unit_test(test_bad_queries),
        cmocka_unit_test(test_bad_enum_in_a_filter),
        cmocka_unit_test(test_conflicts),
        cmocka_unit_test(test_nfd_text_is_stored_as_nfc),
        cmocka_unit_test(test_limits_count_characters),
        cmocka_unit_test(test_concurrent_creates_all_succeed),
        cmocka_unit_test(test_each_connection_sees_committed_writes),
    };
    return tk_test_exit(cmocka_run_group_tests(tests, setup, teardown));
}
