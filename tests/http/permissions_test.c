/* The permission matrix: every endpoint and page × every role × an object inside and one outside
 * the caller's grants, with the answer each must get. The callers are made with the command line
 * (`trienkhai user add ... --grant ROLE:ORG`, `token add`) and come with their API tokens; the
 * pages take the same tokens, so the same table walks both.
 *
 * The tree: a city committee R with two districts A and B under it, and a ward A1 under A. Every
 * role is granted on A. "In" objects belong to A's subtree, "out" objects to B. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ADMIN, OFFICE, EDITOR, LEADER, INSPECTOR, VIEWER, ANON, ROLES };

static const char *const role_names[ROLES] = {"admin", "office", "editor", "leader", "inspector", "viewer", "anonymous"};

typedef struct fixture {
    tk_test_server *server;
    char tokens[ROLES][80];
    int64_t root, a, a1, b;
    int64_t doc_a, doc_b, program_a, program_b;
    int64_t task_a, task_b, task_coordinated;
    int64_t indicator_a, indicator_b;
    int64_t schedule_a, schedule_b; /* quarterly reporting of each district's units */
    int counter; /* makes each write's body different (names, logins) */
    int year;    /* each extension moves the deadline a year later */
} fixture;

/* Which objects a row's path and body name. */
typedef enum { NONE, ORG, DOC, PROGRAM, TASK, TASK_COORDINATED, INDICATOR, SCHEDULE } object;

typedef struct row {
    const char *method;
    const char *path; /* "{id}" stands for the object's id */
    object obj;
    /* The body, or NULL: "{id}" stands for the object's id, "{n}" for a number that differs on
     * every request and "{y}" for a later year each time. Bodies of pages are forms, of the API
     * JSON. */
    const char *body;
    int in[ROLES];  /* the answer inside A's subtree */
    int out[ROLES]; /* the answer for B's object (the same as in when obj is NONE) */
} row;

#define READ_IN(anon) {200, 200, 200, 200, 200, 200, anon}
#define READ_OUT(anon) {200, 404, 404, 404, 404, 404, anon}

static const row rows[] = {
    /* ---- the API ---- */
    {"GET", "/api/v1/health", NONE, NULL, {200, 200, 200, 200, 200, 200, 200}, {200, 200, 200, 200, 200, 200, 200}},
    {"GET", "/api/v1/me", NONE, NULL, READ_IN(401), READ_IN(401)},
    {"GET", "/api/v1/tasks/{id}", TASK, NULL, READ_IN(401), READ_OUT(401)},
    {"PATCH", "/api/v1/tasks/{id}", TASK, "{\"responsible_person\": \"Đồng chí {n}\"}",
     {200, 200, 403, 403, 403, 403, 401}, READ_OUT(401)},
    {"POST", "/api/v1/tasks/{id}/updates", TASK, "{\"progress\": 10}", {201, 201, 201, 403, 403, 403, 401},
     {201, 404, 404, 404, 404, 404, 401}},
    /* A unit that coordinates a task reports on it too (the task is led by B). */
    {"POST", "/api/v1/tasks/{id}/updates", TASK_COORDINATED, "{\"progress\": 20}", {201, 201, 201, 403, 403, 403, 401},
     {201, 404, 404, 404, 404, 404, 401}},
    {"POST", "/api/v1/tasks/{id}/extensions", TASK,
     "{\"new_due\": \"Quý I/{y}\", \"reason\": \"Chờ hướng dẫn\", \"approved_by\": \"Thường trực\", "
     "\"decided_on\": \"2025-06-01\"}",
     {201, 201, 403, 201, 403, 403, 401}, {201, 404, 404, 404, 404, 404, 401}},
    {"POST", "/api/v1/tasks", ORG, "{\"title\": \"Nhiệm vụ {n}\", \"lead_org_id\": {id}, \"due\": \"Quý IV/2099\"}",
     {201, 201, 403, 403, 403, 403, 401}, {201, 403, 403, 403, 403, 403, 401}},
    /* A list filtered by a unit outside the grants answers what the caller may see of it (here
     * the task B leads and A coordinates), not 404: lists never fail for scope. */
    {"GET", "/api/v1/tasks?org={id}", ORG, NULL, READ_IN(401), READ_IN(401)},
    {"GET", "/api/v1/documents/{id}", DOC, NULL, READ_IN(401), READ_OUT(401)},
    {"GET", "/api/v1/report-schedules", NONE, NULL, READ_IN(401), READ_IN(401)},
    {"GET", "/api/v1/report-schedules/{id}", SCHEDULE, NULL, READ_IN(401), READ_OUT(401)},
    {"GET", "/api/v1/report-schedules/{id}/periods/2021-Q2/status", SCHEDULE, NULL, READ_IN(401), READ_OUT(401)},
    {"GET", "/api/v1/me/notifications", NONE, NULL, READ_IN(401), READ_IN(401)},
    {"PATCH", "/api/v1/documents/{id}", DOC, "{\"summary\": \"Tóm tắt {n}\"}", {200, 200, 403, 403, 403, 403, 401},
     READ_OUT(401)},
    {"GET", "/api/v1/programs/{id}", PROGRAM, NULL, READ_IN(401), READ_OUT(401)},
    {"PATCH", "/api/v1/programs/{id}", PROGRAM, "{\"title\": \"Chương trình {n}\"}",
     {200, 200, 403, 403, 403, 403, 401}, READ_OUT(401)},
    {"GET", "/api/v1/organizations/{id}", ORG, NULL, READ_IN(401), READ_OUT(401)},
    {"PATCH", "/api/v1/organizations/{id}", ORG, "{\"short_name\": \"Đơn vị {n}\"}",
     {200, 200, 403, 403, 403, 403, 401}, READ_OUT(401)},
    {"GET", "/api/v1/organizations/{id}/scorecard", ORG, NULL, READ_IN(401), READ_OUT(401)},
    {"GET", "/api/v1/dashboard?org={id}", ORG, NULL, READ_IN(401), READ_OUT(401)},
    {"GET", "/api/v1/indicators/{id}", INDICATOR, NULL, READ_IN(401), READ_OUT(401)},
    {"PATCH", "/api/v1/indicators/{id}", INDICATOR, "{\"unit\": \"% ({n})\"}", {200, 200, 403, 403, 403, 403, 401},
     READ_OUT(401)},
    {"POST", "/api/v1/indicator-values", INDICATOR,
     "{\"indicator_id\": {id}, \"on_date\": \"2024-12-31\", \"value\": {n}}", {201, 201, 201, 403, 403, 403, 401},
     {201, 403, 403, 403, 403, 403, 401}},
    {"GET", "/api/v1/audit?object_type=task&object_id={id}", TASK, NULL, READ_IN(401), READ_OUT(401)},
    {"GET", "/api/v1/audit", NONE, NULL, {200, 403, 403, 403, 403, 403, 401}, {200, 403, 403, 403, 403, 403, 401}},

    /* ---- the pages (303: to the sign-in page) ---- */
    {"GET", "/", NONE, NULL, READ_IN(303), READ_IN(303)},
    /* A download of a list is a list: never refused for scope (its content is checked in
     * export_test.c). */
    {"GET", "/tasks.xlsx?org={id}", ORG, NULL, READ_IN(303), READ_IN(303)},
    {"GET", "/tasks.csv?org={id}", ORG, NULL, READ_IN(303), READ_IN(303)},
    {"GET", "/tasks/{id}", TASK, NULL, READ_IN(303), READ_OUT(303)},
    {"GET", "/tasks/{id}/edit", TASK, NULL, {200, 200, 403, 403, 403, 403, 303}, READ_OUT(303)},
    {"POST", "/tasks/{id}/updates", TASK, "progress=30", {303, 303, 303, 403, 403, 403, 303},
     {303, 404, 404, 404, 404, 404, 303}},
    {"GET", "/organizations/{id}", ORG, NULL, READ_IN(303), READ_OUT(303)},
    {"GET", "/organizations/{id}/edit", ORG, NULL, {200, 200, 403, 403, 403, 403, 303}, READ_OUT(303)},
    {"GET", "/documents/{id}", DOC, NULL, READ_IN(303), READ_OUT(303)},
    {"GET", "/documents/{id}/edit", DOC, NULL, {200, 200, 403, 403, 403, 403, 303}, READ_OUT(303)},
    {"GET", "/programs/{id}", PROGRAM, NULL, READ_IN(303), READ_OUT(303)},
    {"GET", "/indicators/{id}", INDICATOR, NULL, READ_IN(303), READ_OUT(303)},
    {"GET", "/indicators/{id}/edit", INDICATOR, NULL, {200, 200, 403, 403, 403, 403, 303}, READ_OUT(303)},
    /* The reporting cycle: schedules are seen like their document, a period's completeness by
     * anyone with a role on the schedule's body. */
    {"GET", "/reports", NONE, NULL, READ_IN(303), READ_IN(303)},
    {"GET", "/reports/{id}", SCHEDULE, NULL, READ_IN(303), READ_OUT(303)},
    {"GET", "/reports/{id}/2021-Q2", SCHEDULE, NULL, READ_IN(303), READ_OUT(303)},
    {"GET", "/reports/{id}/2021-Q2/consolidated.xlsx", SCHEDULE, NULL, READ_IN(303), READ_OUT(303)},
    {"GET", "/account/password", NONE, NULL, READ_IN(303), READ_IN(303)},
    {"GET", "/admin/users", NONE, NULL, {200, 403, 403, 403, 403, 403, 303}, {200, 403, 403, 403, 403, 403, 303}},
    {"GET", "/admin/audit", NONE, NULL, {200, 403, 403, 403, 403, 403, 303}, {200, 403, 403, 403, 403, 403, 303}},
    {"POST", "/admin/users", ORG, "login=nguoidung{n}&display_name=Ng%C6%B0%E1%BB%9Di&role=viewer&org_id={id}",
     {200, 403, 403, 403, 403, 403, 303}, {200, 403, 403, 403, 403, 403, 303}},
    {"GET", "/sign-in", NONE, NULL, {303, 303, 303, 303, 303, 303, 200}, {303, 303, 303, 303, 303, 303, 200}},
};

/* tmpl with "{id}" and "{n}" replaced. */
static char *expand(const char *tmpl, int64_t id, int n, int *year, char *out, size_t cap)
{
    size_t len = 0;
    for (const char *p = tmpl; *p;) {
        char piece[32];
        const char *add = NULL;
        if (strncmp(p, "{id}", 4) == 0) add = tk_fmt(piece, sizeof piece, "%lld", (long long)id), p += 4;
        else if (strncmp(p, "{n}", 3) == 0) add = tk_fmt(piece, sizeof piece, "%d", n), p += 3;
        else if (strncmp(p, "{y}", 3) == 0) add = tk_fmt(piece, sizeof piece, "%d", (*year)++), p += 3;
        else piece[0] = *p++, piece[1] = '\0', add = piece;
        size_t k = strlen(add);
        if (len + k >= cap) fail_msg("expanded %s does not fit", tmpl);
        memcpy(out + len, add, k + 1);
        len += k;
    }
    return out;
}

static int64_t create(fixture *f, const char *path, json_t *body)
{
    return tk_create_id(f->server, path, body);
}

static int setup(void **state)
{
    fixture *f = test_calloc(1, sizeof *f);
    f->server = tk_test_server_start();
    f->root = create(f, "/api/v1/organizations",
                     json_pack("{s:s, s:s}", "kind", "party_committee", "name", "Đảng bộ thành phố Thử nghiệm"));
    f->a = create(f, "/api/v1/organizations",
                  json_pack("{s:I, s:s, s:s}", "parent_id", (json_int_t)f->root, "kind", "party_organization", "name",
                            "Đảng bộ quận A"));
    f->a1 = create(f, "/api/v1/organizations",
                   json_pack("{s:I, s:s, s:s}", "parent_id", (json_int_t)f->a, "kind", "base_organization", "name",
                             "Đảng bộ phường A1"));
    f->b = create(f, "/api/v1/organizations",
                  json_pack("{s:I, s:s, s:s}", "parent_id", (json_int_t)f->root, "kind", "party_organization", "name",
                            "Đảng bộ quận B"));
    int64_t units[2] = {f->a, f->b};
    int64_t *docs[2] = {&f->doc_a, &f->doc_b}, *programs[2] = {&f->program_a, &f->program_b},
            *indicators[2] = {&f->indicator_a, &f->indicator_b};
    for (int i = 0; i < 2; i++) {
        *docs[i] = create(f, "/api/v1/documents",
                          json_pack("{s:s, s:s, s:s, s:I, s:s}", "kind", "plan", "number", i ? "02-KH/QU" : "01-KH/QU",
                                    "title", "Kế hoạch thực hiện Nghị quyết", "organization_id", (json_int_t)units[i],
                                    "issued_on", "2021-01-15"));
        *programs[i] = create(f, "/api/v1/programs",
                              json_pack("{s:I, s:s, s:s}", "document_id", (json_int_t)*docs[i], "number", "01", "title",
                                        "Chương trình phát triển đô thị"));
        *indicators[i] = create(f, "/api/v1/indicators",
                                json_pack("{s:I, s:I, s:s, s:s}", "document_id", (json_int_t)*docs[i], "organization_id",
                                          (json_int_t)units[i], "name", "Tỷ lệ hộ dân được cấp nước sạch", "unit", "%"));
    }
    int64_t *schedules[2] = {&f->schedule_a, &f->schedule_b};
    for (int i = 0; i < 2; i++)
        *schedules[i] = create(f, "/api/v1/report-schedules",
                               json_pack("{s:s, s:I, s:s, s:s, s:I, s:s}", "title", "Báo cáo quý", "document_id",
                                         (json_int_t)*docs[i], "period_type", "quarter", "reporters", "subtree",
                                         "reporter_root_id", (json_int_t)units[i], "starts_on", "2021-01-01"));
    f->task_a = create(f, "/api/v1/tasks",
                       json_pack("{s:I, s:s, s:I, s:s}", "program_id", (json_int_t)f->program_a, "title",
                                 "Chỉnh trang vỉa hè các tuyến phố", "lead_org_id", (json_int_t)f->a1, "due",
                                 "Năm 2031"));
    f->task_b = create(f, "/api/v1/tasks",
                       json_pack("{s:I, s:s, s:I, s:s}", "program_id", (json_int_t)f->program_b, "title",
                                 "Cải tạo chợ dân sinh", "lead_org_id", (json_int_t)f->b, "due", "Năm 2031"));
    f->task_coordinated = create(f, "/api/v1/tasks",
                                 json_pack("{s:I, s:s, s:I, s:s, s:[I]}", "program_id", (json_int_t)f->program_b,
                                           "title", "Phối hợp giải phóng mặt bằng", "lead_org_id", (json_int_t)f->b,
                                           "due", "Năm 2031", "coordinator_ids", (json_int_t)f->a1));
    memcpy(f->tokens[ADMIN], tk_test_admin_token(f->server), 65);
    for (int r = OFFICE; r <= VIEWER; r++) {
        char login[32];
        tk_fmt(login, sizeof login, "%s_a", role_names[r]);
        tk_test_user(f->server, login, role_names[r], f->a, f->tokens[r]);
    }
    f->counter = 1;
    f->year = 2032;
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

static int64_t object_id(const fixture *f, object obj, bool inside)
{
    switch (obj) {
    case ORG: return inside ? f->a1 : f->b;
    case DOC: return inside ? f->doc_a : f->doc_b;
    case PROGRAM: return inside ? f->program_a : f->program_b;
    case TASK: return inside ? f->task_a : f->task_b;
    case TASK_COORDINATED: return inside ? f->task_coordinated : f->task_b;
    case INDICATOR: return inside ? f->indicator_a : f->indicator_b;
    case SCHEDULE: return inside ? f->schedule_a : f->schedule_b;
    case NONE: break;
    }
    return 0;
}

static void test_matrix(void **state)
{
    fixture *f = *state;
    int failures = 0, requests = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *w = &rows[i];
        for (int scope = 0; scope < (w->obj == NONE ? 1 : 2); scope++) {
            bool inside = scope == 0;
            int64_t id = object_id(f, w->obj, inside);
            for (int r = 0; r < ROLES; r++) {
                char path[512], body[1024];
                expand(w->path, id, 0, &f->year, path, sizeof path);
                if (w->body) expand(w->body, id, f->counter++, &f->year, body, sizeof body);
                bool page = strncmp(path, "/api/", 5) != 0;
                tk_http_options options = {.anonymous = r == ANON, .token = r == ANON ? NULL : f->tokens[r],
                                           .content_type = page ? "application/x-www-form-urlencoded" : NULL};
                tk_http_result res;
                tk_http_with(f->server, w->method, path, w->body ? body : NULL, w->body ? strlen(body) : 0, &options,
                             &res);
                int want = inside ? w->in[r] : w->out[r];
                requests++;
                if (res.status != want) {
                    fprintf(stderr, "%s %s as %s (%s): %ld, want %d: %.300s\n", w->method, path, role_names[r],
                            inside ? "in scope" : "out of scope", res.status, want, res.raw ? res.raw : "");
                    failures++;
                }
                if (!page && want >= 400 && (!res.json || !json_is_object(json_object_get(res.json, "error")))) {
                    fprintf(stderr, "%s %s as %s: a refusal without the JSON error shape\n", w->method, path,
                            role_names[r]);
                    failures++;
                }
                if (page && want == 303 && r == ANON && strncmp(res.location, "/sign-in?next=", 14) != 0) {
                    fprintf(stderr, "%s %s: redirected to \"%s\", want the sign-in page\n", w->method, path,
                            res.location);
                    failures++;
                }
                tk_http_result_free(&res);
            }
        }
    }
    fprintf(stderr, "permission matrix: %d requests, %d unexpected answers\n", requests, failures);
    assert_int_equal(failures, 0);
}

/* Lists hold only what the caller may see: the editor of A sees A's tasks and the task A
 * coordinates, never B's own. */
static void test_lists_are_scoped(void **state)
{
    fixture *f = *state;
    tk_test_as(f->server, f->tokens[EDITOR]);
    json_t *list = tk_get(f->server, "/api/v1/tasks?per_page=200");
    bool saw_a = false, saw_coordinated = false;
    size_t i;
    json_t *task;
    json_array_foreach(tk_arr(list, "items"), i, task) {
        int64_t id = tk_int(task, "id");
        if (id == f->task_b) fail_msg("the editor of A sees B's task %lld in the list", (long long)id);
        saw_a |= id == f->task_a;
        saw_coordinated |= id == f->task_coordinated;
    }
    assert_true(saw_a);
    assert_true(saw_coordinated);
    json_decref(list);
    /* Organizations: A's subtree and the units above it, never the sibling B. */
    list = tk_get(f->server, "/api/v1/organizations?per_page=200");
    json_array_foreach(tk_arr(list, "items"), i, task) {
        if (tk_int(task, "id") == f->b) fail_msg("the editor of A sees organization B in the list");
    }
    json_decref(list);
    /* The search page does not name B's task either. */
    tk_http_result r;
    tk_http_full(f->server, "GET", "/search?q=cho+dan+sinh", NULL, 0, false, &r);
    assert_int_equal(r.status, 200);
    if (strstr(r.raw, "Cải tạo chợ dân sinh")) fail_msg("the search page shows B's task to the editor of A");
    tk_http_result_free(&r);
    tk_test_as(f->server, f->tokens[ADMIN]);
}

/* A refused write changes nothing and leaves a trace in the audit log. */
static void test_refusals_change_nothing_and_are_logged(void **state)
{
    fixture *f = *state;
    json_t *before = tk_get(f->server, "/api/v1/tasks/%lld", (long long)f->task_a);
    char path[128];
    tk_test_as(f->server, f->tokens[VIEWER]);
    json_decref(tk_send_json(f->server, "PATCH", tk_fmt(path, sizeof path, "/api/v1/tasks/%lld", (long long)f->task_a),
                             json_pack("{s:s}", "title", "Đổi tên trái phép"), 403));
    tk_test_as(f->server, f->tokens[ADMIN]);
    json_t *after = tk_get(f->server, "/api/v1/tasks/%lld", (long long)f->task_a);
    assert_true(json_equal(before, after));
    json_t *log = tk_get(f->server, "/api/v1/audit?action=denied&object_type=task&object_id=%lld", (long long)f->task_a);
    json_t *entry = json_array_get(tk_arr(log, "items"), 0);
    assert_non_null(entry);
    assert_string_equal(tk_str(entry, "login"), "viewer_a");
    assert_string_equal(tk_str(entry, "client_addr"), "127.0.0.1");
    assert_int_equal(strlen(tk_str(entry, "request_id")), 16);
    json_decref(log);
    json_decref(before);
    json_decref(after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_lists_are_scoped),
        cmocka_unit_test(test_refusals_change_nothing_and_are_logged),
    };
    return tk_test_exit(cmocka_run_group_tests(tests, setup, teardown));
}
