/* The reporting cycle over HTTP: a quarterly schedule of a city committee, its units' reports
 * prefilled from their tasks, saved, submitted, returned, accepted and reopened, and the
 * completeness of a period counted exactly; who may do what.
 *
 * The tree: city R with districts A and B; wards A1, A2 under A and B1 under B; C under R was
 * closed before the period's due date and D under R was founded after it, so neither reports.
 * Quý II/2021 (data 15/3 to 14/6, due 25/6): A, A2 and B submit on time (the office records
 * the day it received them), A1 submits late (its editor, today), B1 never does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct world {
    tk_test_server *server;
    int64_t r, a, b, a1, a2, b1, c, d;
    int64_t doc, schedule, once_schedule;
    int64_t t1, t2, t3, t4, indicator;
    char office_r[80], office_a[80], editor_a[80], editor_a1[80], editor_a2[80], editor_b[80], viewer_r[80];
    char today[11];
} world;

static world w;

static int64_t org(const char *kind, const char *name, int64_t parent, const char *from, const char *to)
{
    json_t *body = json_pack("{s:s, s:s}", "kind", kind, "name", name);
    if (parent) json_object_set_new(body, "parent_id", json_integer(parent));
    if (from) json_object_set_new(body, "valid_from", json_string(from));
    if (to) json_object_set_new(body, "valid_to", json_string(to));
    return tk_create_id(w.server, "/api/v1/organizations", body);
}

static int64_t task(const char *title, int64_t lead, const char *due)
{
    return tk_create_id(w.server, "/api/v1/tasks", json_pack("{s:s, s:I, s:s}", "title", title, "lead_org_id",
                                                               (json_int_t)lead, "due", due));
}

static void update(int64_t task_id, const char *on, int progress, const char *narrative)
{
    char path[128];
    json_decref(tk_send_json(w.server, "POST", tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task_id),
                             json_pack("{s:s, s:i, s:s}", "reported_on", on, "progress", progress, "narrative", narrative),
                             201));
}

/* The path of a unit's report, with an optional action ("/submit"). */
static const char *report_path(char *buf, size_t cap, int64_t schedule, const char *period, int64_t unit, const char *action)
{
    return tk_fmt(buf, cap, "/api/v1/report-schedules/%lld/periods/%s/reports/%lld%s", (long long)schedule, period,
                  (long long)unit, action ? action : "");
}

/* One request as the caller of token (the admin's again afterwards); body (stolen) may be NULL. */
static json_t *as(const char *token, const char *method, const char *path, json_t *body, long expect)
{
    tk_test_as(w.server, token);
    json_t *out = NULL;
    if (body) {
        out = tk_send_json(w.server, method, path, body, expect);
    } else {
        long status = tk_http(w.server, method, path, NULL, 0, &out);
        if (status != expect) {
            char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
            tk_test_as(w.server, tk_test_admin_token(w.server));
            fprintf(stderr, "%s %s -> %ld (expected %ld) %s\n", method, path, status, expect, text ? text : "");
            free(text);
            json_decref(out);
            fail_msg("%s %s: %ld, want %ld", method, path, status, expect);
        }
    }
    tk_test_as(w.server, tk_test_admin_token(w.server));
    return out;
}

static const char *admin(void)
{
    return tk_test_admin_token(w.server);
}

/* tmpl with every "{id}" replaced by id. */
static const char *subst(char *out, size_t cap, const char *tmpl, long long id)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", id);
    size_t n = 0;
    for (const char *p = tmpl; *p;) {
        const char *piece = strncmp(p, "{id}", 4) == 0 ? num : NULL;
        size_t len = piece ? strlen(piece) : 1;
        if (n + len + 1 > cap) fail_msg("subst: %s does not fit", tmpl);
        memcpy(out + n, piece ? piece : p, len);
        n += len;
        p += piece ? 4 : 1;
    }
    out[n] = '\0';
    return out;
}

static int setup(void **state)
{
    (void)state;
    w.server = tk_test_server_start();
    tk_today(w.today);
    w.r = org("party_committee", "Thành ủy R", 0, NULL, NULL);
    w.a = org("district", "Quận A", w.r, NULL, NULL);
    w.b = org("district", "Quận B", w.r, "2010-01-01", NULL);
    w.a1 = org("commune", "Phường A1", w.a, NULL, NULL);
    w.a2 = org("commune", "Phường A2", w.a, NULL, NULL);
    w.b1 = org("commune", "Phường B1", w.b, NULL, NULL);
    w.c = org("district", "Quận C (đã giải thể)", w.r, "2000-01-01", "2021-04-30");
    w.d = org("district", "Quận D (thành lập sau)", w.r, "2021-07-01", NULL);
    w.doc = tk_create_id(w.server, "/api/v1/documents",
                         json_pack("{s:s, s:s, s:s, s:I}", "kind", "action_program", "number", "01-CTr/TU", "title",
                                   "Chương trình hành động thực hiện Nghị quyết Đại hội", "organization_id", (json_int_t)w.r));

    /* A1's tasks: T1 with updates before, inside and after Quý II's window; T2 updated only
     * before it; T3 finished before it. A2 leads T4. */
    w.t1 = task("Rà soát quy hoạch", w.a1, "Quý IV/2021");
    update(w.t1, "2021-03-01", 20, "Trước kỳ");
    update(w.t1, "2021-05-10", 50, "Đã lấy ý kiến các ngành");
    update(w.t1, "2021-06-20", 70, "Sau ngày chốt số liệu");
    w.t2 = task("Sắp xếp bộ máy", w.a1, "Quý I/2021");
    update(w.t2, "2021-02-01", 30, "Mới bắt đầu");
    w.t3 = task("Tổng kết năm 2020", w.a1, "Quý I/2021");
    update(w.t3, "2021-01-10", 100, "Xong");
    w.t4 = task("Nhiệm vụ của A2", w.a2, "Quý III/2021");

    w.indicator = tk_create_id(w.server, "/api/v1/indicators",
                               json_pack("{s:s, s:s, s:I}", "name", "Tỷ lệ hộ nghèo", "unit", "%", "document_id",
                                         (json_int_t)w.doc));
    json_decref(tk_create(w.server, "/api/v1/indicator-values",
                          json_pack("{s:I, s:I, s:s, s:f}", "indicator_id", (json_int_t)w.indicator, "organization_id",
                                    (json_int_t)w.a1, "on_date", "2021-01-31", "value", 3.0)));
    json_decref(tk_create(w.server, "/api/v1/indicator-values",
                          json_pack("{s:I, s:I, s:s, s:f}", "indicator_id", (json_int_t)w.indicator, "organization_id",
                                    (json_int_t)w.a1, "on_date", "2021-06-30", "value", 12.5)));

    tk_test_user(w.server, "vanphong.r", "office", w.r, w.office_r);
    tk_test_user(w.server, "vanphong.a", "office", w.a, w.office_a);
    tk_test_user(w.server, "bientap.a", "editor", w.a, w.editor_a);
    tk_test_user(w.server, "bientap.a1", "editor", w.a1, w.editor_a1);
    tk_test_user(w.server, "bientap.a2", "editor", w.a2, w.editor_a2);
    tk_test_user(w.server, "bientap.b", "editor", w.b, w.editor_b);
    tk_test_user(w.server, "xem.r", "viewer", w.r, w.viewer_r);
    tk_test_as(w.server, tk_test_admin_token(w.server));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tk_test_server_stop(w.server);
    return 0;
}

static void schedules_are_made_by_the_office(void **state)
{
    (void)state;
    char path[160];
    json_t *body = json_pack("{s:s, s:I, s:s, s:s, s:s, s:I}", "title", "Báo cáo quý kết quả thực hiện Chương trình",
                             "document_id", (json_int_t)w.doc, "period_type", "quarter", "starts_on", "2021-01-01",
                             "reporters", "subtree", "reporter_root_id", (json_int_t)w.r);
    /* An editor may not; nothing is made. */
    json_t *refused = as(w.editor_a, "POST", "/api/v1/report-schedules", json_deep_copy(body), 403);
    tk_assert_error(refused, "forbidden", NULL, "editor creates a schedule");
    json_decref(refused);

    tk_test_as(w.server, w.office_r);
    json_t *made = tk_create(w.server, "/api/v1/report-schedules", body);
    tk_test_as(w.server, tk_test_admin_token(w.server));
    w.schedule = tk_int(made, "id");
    assert_int_equal(tk_int(made, "organization_id"), w.r);
    assert_int_equal(tk_int(made, "cutoff_day"), 14);
    assert_int_equal(tk_int(made, "due_day"), 25);
    json_t *periods = tk_arr(made, "periods");
    assert_true(json_array_size(periods) >= 20);
    json_t *q2 = json_array_get(periods, 1);
    assert_string_equal(tk_str(q2, "key"), "2021-Q2");
    assert_string_equal(tk_str(q2, "label"), "Quý II/2021");
    assert_string_equal(tk_str(q2, "data_first"), "2021-03-15");
    assert_string_equal(tk_str(q2, "data_last"), "2021-06-14");
    assert_string_equal(tk_str(q2, "due"), "2021-06-25");
    json_decref(made);

    /* Every reporting unit sees it; the list is filtered like any other. */
    json_t *one = as(w.editor_b, "GET", tk_fmt(path, sizeof path, "/api/v1/report-schedules/%lld", (long long)w.schedule),
                     NULL, 200);
    json_decref(one);
    json_t *list = tk_get(w.server, "/api/v1/report-schedules?q=bao%%20cao%%20quy");
    assert_int_equal(json_array_size(tk_arr(list, "items")), 1);
    json_decref(list);

    /* A one-off report due in nine days, to see an editor's own submission on time. */
    char first[11], last[11];
    time_t now = time(NULL);
    struct tm tm;
    time_t t = now - 30 * 86400;
    localtime_r(&t, &tm);
    strftime(first, sizeof first, "%Y-%m-%d", &tm);
    t = now - 86400;
    localtime_r(&t, &tm);
    strftime(last, sizeof last, "%Y-%m-%d", &tm);
    tk_test_as(w.server, w.office_r);
    w.once_schedule = tk_create_id(w.server, "/api/v1/report-schedules",
                                   json_pack("{s:s, s:I, s:s, s:s, s:s, s:i, s:s, s:[I, I]}", "title", "Báo cáo đột xuất",
                                             "document_id", (json_int_t)w.doc, "period_type", "once", "once_first", first,
                                             "once_last", last, "once_due_days", 10, "reporters", "list",
                                             "reporter_org_ids", (json_int_t)w.a1, (json_int_t)w.b));
    tk_test_as(w.server, tk_test_admin_token(w.server));
}

static void bad_schedules_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        const char *field;
    } rows[] = {
        {"{\"title\":\"x\",\"period_type\":\"quarter\",\"starts_on\":\"2021-01-01\",\"reporters\":\"subtree\",\"reporter_root_id\":{id}}", "document_id"},
        {"{\"title\":\"x\",\"document_id\":{id},\"period_type\":\"weekly\",\"starts_on\":\"2021-01-01\",\"reporters\":\"subtree\"}", "period_type"},
        {"{\"title\":\"x\",\"document_id\":{id},\"period_type\":\"quarter\",\"reporters\":\"subtree\",\"reporter_root_id\":1}", "starts_on"},
        {"{\"title\":\"x\",\"document_id\":{id},\"period_type\":\"quarter\",\"starts_on\":\"2021-01-01\",\"due_day\":10,\"reporters\":\"subtree\",\"reporter_root_id\":1}", "due_day"},
        {"{\"title\":\"x\",\"document_id\":{id},\"period_type\":\"quarter\",\"starts_on\":\"2021-01-01\",\"reporters\":\"subtree\"}", "reporter_root_id"},
        {"{\"title\":\"x\",\"document_id\":{id},\"period_type\":\"quarter\",\"starts_on\":\"2021-01-01\",\"reporters\":\"kind\",\"reporter_root_id\":1}", "reporter_kind"},
        {"{\"title\":\"x\",\"document_id\":{id},\"period_type\":\"quarter\",\"starts_on\":\"2021-01-01\",\"reporters\":\"list\",\"reporter_org_ids\":[]}", "reporter_org_ids"},
        {"{\"title\":\"x\",\"document_id\":{id},\"period_type\":\"once\",\"once_first\":\"2021-01-01\",\"reporters\":\"subtree\",\"reporter_root_id\":1}", "once_last"},
        {"{\"title\":\"x\",\"document_id\":{id},\"period_type\":\"quarter\",\"starts_on\":\"2021-01-01\",\"reporters\":\"subtree\",\"reporter_root_id\":1,\"colour\":1}", "colour"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char body[1024];
        /* The first row has no document: the placeholder names the root instead. */
        subst(body, sizeof body, rows[i].body, (long long)(i == 0 ? w.r : w.doc));
        json_t *out = NULL;
        long status = tk_http(w.server, "POST", "/api/v1/report-schedules", body, strlen(body), &out);
        if (status != 422) fail_msg("row %zu: %ld", i, status);
        tk_assert_error(out, "invalid_input", rows[i].field, body);
        json_decref(out);
    }
    json_t *list = tk_get(w.server, "/api/v1/report-schedules");
    assert_int_equal(json_array_size(tk_arr(list, "items")), 2);
    json_decref(list);
}

static void a_draft_starts_from_the_units_tasks(void **state)
{
    (void)state;
    char path[200];
    report_path(path, sizeof path, w.schedule, "2021-Q2", w.a1, NULL);
    json_t *draft = as(w.editor_a1, "GET", path, NULL, 200);
    assert_string_equal(tk_str(draft, "status"), "draft");
    assert_int_equal(tk_int(draft, "revision"), 1);
    assert_false(tk_bool(draft, "locked"));
    assert_true(tk_bool(draft, "can_edit"));
    assert_false(tk_bool(draft, "can_review"));
    assert_string_equal(tk_str(tk_obj(draft, "period"), "due"), "2021-06-25");
    json_t *content = tk_obj(draft, "content");
    json_t *tasks = tk_arr(content, "tasks");
    /* T3 was finished before the window; T1 and T2 remain, by deadline. */
    assert_int_equal(json_array_size(tasks), 2);
    json_t *t2 = json_array_get(tasks, 0), *t1 = json_array_get(tasks, 1);
    assert_int_equal(tk_int(t1, "task_id"), w.t1);
    assert_int_equal(tk_int(t1, "progress"), 50); /* the update of 20/6 is after the cut-off */
    assert_string_equal(tk_str(t1, "narrative"), "Đã lấy ý kiến các ngành");
    assert_string_equal(tk_str(t1, "reported_on"), "2021-05-10");
    assert_string_equal(tk_str(t1, "status"), "in_progress");
    assert_int_equal(tk_int(t2, "task_id"), w.t2);
    assert_int_equal(tk_int(t2, "progress"), 30);
    assert_string_equal(tk_str(t2, "narrative"), "");
    assert_true(tk_is_null(t2, "reported_on"));
    assert_string_equal(tk_str(t2, "status"), "overdue"); /* due 31/3, not done by 14/6 */
    json_t *indicators = tk_arr(content, "indicators");
    assert_int_equal(json_array_size(indicators), 1);
    assert_true(tk_real(json_array_get(indicators, 0), "value") == 12.5);
    assert_string_equal(tk_str(content, "results"), "");
    int64_t id = tk_int(draft, "id");
    json_decref(draft);

    /* Reading again makes nothing new. */
    draft = as(w.editor_a1, "GET", path, NULL, 200);
    assert_int_equal(tk_int(draft, "id"), id);
    assert_int_equal(tk_int(draft, "revision"), 1);
    json_decref(draft);

    /* A reader sees the prefill of a unit that has not started, and nothing is written. */
    json_t *preview = as(w.viewer_r, "GET", report_path(path, sizeof path, w.schedule, "2021-Q2", w.b1, NULL), NULL, 200);
    assert_true(tk_is_null(preview, "id"));
    assert_string_equal(tk_str(preview, "status"), "not_started");
    assert_false(tk_bool(preview, "can_edit"));
    json_decref(preview);
    /* Nor does the office above when it only looks. */
    preview = as(w.office_r, "GET", report_path(path, sizeof path, w.schedule, "2021-Q2", w.b1, NULL), NULL, 200);
    assert_true(tk_is_null(preview, "id"));
    assert_true(tk_bool(preview, "can_review"));
    json_decref(preview);
    json_t *again = tk_get(w.server, "/api/v1/report-schedules/%lld/periods/2021-Q2/status", (long long)w.schedule);
    json_t *units = tk_arr(again, "units");
    size_t i;
    json_t *unit;
    json_array_foreach(units, i, unit) {
        int64_t id_of = tk_int(unit, "org_id");
        assert_string_equal(tk_str(unit, "status"), id_of == w.a1 ? "draft" : "not_started");
    }
    json_decref(again);
}

static void saving_makes_revisions(void **state)
{
    (void)state;
    char path[200];
    report_path(path, sizeof path, w.schedule, "2021-Q2", w.a1, NULL);
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:[{s:I, s:i, s:s, s:s}], s:[{s:I, s:f, s:s}]}", "results",
                             "Hoàn thành 2 nhiệm vụ", "limitations", "Còn chậm", "causes", "Thiếu cán bộ", "proposals",
                             "Bổ sung biên chế", "tasks", "task_id", (json_int_t)w.t1, "progress", 55, "status",
                             "in_progress", "narrative", "Đã trình dự thảo", "indicators", "indicator_id",
                             (json_int_t)w.indicator, "value", 12.0, "note", "Ước tính");
    json_t *saved = as(w.editor_a1, "PUT", path, body, 200);
    assert_int_equal(tk_int(saved, "revision"), 2);
    json_t *content = tk_obj(saved, "content");
    assert_string_equal(tk_str(content, "limitations"), "Còn chậm");
    json_t *line = json_array_get(tk_arr(content, "tasks"), 0);
    assert_string_equal(tk_str(line, "title"), "Rà soát quy hoạch"); /* from the task, not the client */
    assert_int_equal(tk_int(line, "progress"), 55);
    assert_string_equal(tk_str(json_array_get(tk_arr(content, "indicators"), 0), "name"), "Tỷ lệ hộ nghèo");
    json_decref(saved);

    /* Bad content changes nothing. */
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"colour\": 1}", "colour"},
        {"{\"results\": 5}", "results"},
        {"{\"tasks\": [{\"task_id\": {id}, \"progress\": 101}]}", "tasks"},
        {"{\"tasks\": [{\"task_id\": {id}, \"progress\": 10}, {\"task_id\": {id}, \"progress\": 10}]}", "tasks"},
        {"{\"tasks\": [{\"task_id\": {id}, \"progress\": 10, \"status\": \"late\"}]}", "tasks"},
        {"{\"indicators\": [{\"indicator_id\": {id}, \"value\": \"nhiều\"}]}", "indicators"},
    };
    tk_test_as(w.server, w.editor_a1);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[512];
        subst(text, sizeof text, bad[i].body, (long long)w.t1);
        json_t *out = NULL;
        long status = tk_http(w.server, "PUT", path, text, strlen(text), &out);
        if (status != 422) fail_msg("%s: %ld", text, status);
        tk_assert_error(out, "invalid_input", bad[i].field, text);
        json_decref(out);
    }
    /* A task another unit leads is not A1's to report. */
    char text[256];
    tk_fmt(text, sizeof text, "{\"tasks\": [{\"task_id\": %lld, \"progress\": 10}]}", (long long)w.t4);
    json_t *out = NULL;
    assert_int_equal(tk_http(w.server, "PUT", path, text, strlen(text), &out), 422);
    tk_assert_error(out, "invalid_input", "tasks", "another unit's task");
    json_decref(out);
    tk_test_as(w.server, tk_test_admin_token(w.server));
    json_t *now = as(w.editor_a1, "GET", path, NULL, 200);
    assert_int_equal(tk_int(now, "revision"), 2);
    json_decref(now);
}

static void the_cycle_of_a_period(void **state)
{
    (void)state;
    char path[200];
    /* A1's editor submits today: late for Quý II/2021. */
    json_t *r = as(w.editor_a1, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a1, "/submit"), NULL, 200);
    assert_string_equal(tk_str(r, "status"), "submitted");
    assert_string_equal(tk_str(r, "submitted_on"), w.today);
    assert_false(tk_bool(r, "on_time"));
    json_decref(r);
    /* Submitted: the unit waits for the office; a second submit is refused. */
    r = as(w.editor_a1, "PUT", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a1, NULL), json_object(), 409);
    tk_assert_error(r, "conflict", NULL, "edit a submitted report");
    json_decref(r);
    r = as(w.editor_a1, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a1, "/submit"), NULL, 409);
    json_decref(r);

    /* A reports on itself; its draft is made, and the city office records the day a paper copy
     * came. An editor may not set that day. */
    json_decref(as(w.editor_a, "GET", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a, NULL), NULL, 200));
    r = as(w.editor_a, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a, "/submit"),
           json_pack("{s:s}", "submitted_on", "2021-06-20"), 403);
    tk_assert_error(r, "forbidden", NULL, "editor sets submitted_on");
    json_decref(r);
    r = as(w.office_r, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a, "/submit"),
           json_pack("{s:s}", "submitted_on", "2099-01-01"), 422);
    tk_assert_error(r, "invalid_input", "submitted_on", "future submitted_on");
    json_decref(r);
    r = as(w.office_r, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a, "/submit"),
           json_pack("{s:s}", "submitted_on", "2021-06-20"), 200);
    assert_true(tk_bool(r, "on_time"));
    json_decref(r);

    /* A2: submitted on time, returned with a reason by the office above it (A's), corrected and
     * submitted again by the due day. A's office may not review A's own report. */
    json_decref(as(w.editor_a2, "GET", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a2, NULL), NULL, 200));
    json_decref(as(w.office_r, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a2, "/submit"),
                   json_pack("{s:s}", "submitted_on", "2021-06-22"), 200));
    r = as(w.office_a, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a, "/return"),
           json_pack("{s:s}", "reason", "Tự trả lại"), 403);
    tk_assert_error(r, "forbidden", NULL, "a unit's own office reviews it");
    json_decref(r);
    r = as(w.office_a, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a2, "/return"), json_object(), 422);
    tk_assert_error(r, "invalid_input", "reason", "return without a reason");
    json_decref(r);
    r = as(w.office_a, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a2, "/return"),
           json_pack("{s:s}", "reason", "Thiếu số liệu chỉ tiêu"), 200);
    assert_string_equal(tk_str(r, "status"), "returned");
    assert_string_equal(tk_str(r, "return_reason"), "Thiếu số liệu chỉ tiêu");
    json_decref(r);
    r = as(w.editor_a2, "PUT", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a2, NULL),
           json_pack("{s:s}", "results", "Đã bổ sung số liệu"), 200);
    assert_int_equal(tk_int(r, "revision"), 2);
    assert_string_equal(tk_str(r, "status"), "returned");
    json_decref(r);
    r = as(w.office_r, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a2, "/submit"),
           json_pack("{s:s}", "submitted_on", "2021-06-25"), 200);
    assert_string_equal(tk_str(r, "status"), "submitted");
    assert_true(tk_bool(r, "on_time")); /* the due day itself counts */
    json_decref(r);

    /* B: on time, accepted, and then locked until the office reopens it. */
    json_decref(as(w.editor_b, "GET", report_path(path, sizeof path, w.schedule, "2021-Q2", w.b, NULL), NULL, 200));
    json_decref(as(w.office_r, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.b, "/submit"),
                   json_pack("{s:s}", "submitted_on", "2021-06-24"), 200));
    r = as(w.editor_b, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.b, "/accept"), NULL, 403);
    tk_assert_error(r, "forbidden", NULL, "an editor accepts");
    json_decref(r);
    r = as(w.office_r, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.b, "/accept"), NULL, 200);
    assert_string_equal(tk_str(r, "status"), "accepted");
    assert_true(tk_bool(r, "locked"));
    json_decref(r);
    r = as(w.editor_b, "PUT", report_path(path, sizeof path, w.schedule, "2021-Q2", w.b, NULL),
           json_pack("{s:s}", "results", "Sửa sau khi đã tiếp nhận"), 409);
    tk_assert_error(r, "conflict", NULL, "edit an accepted report");
    assert_non_null(strstr(tk_str(tk_obj(r, "error"), "message"), "khóa"));
    json_decref(r);
    r = as(w.office_r, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.b, "/return"),
           json_pack("{s:s}", "reason", "x"), 409);
    json_decref(r);
    r = as(w.office_r, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.b, "/reopen"),
           json_pack("{s:s}", "reason", "Cập nhật số liệu chính thức"), 200);
    assert_string_equal(tk_str(r, "status"), "returned");
    assert_false(tk_bool(r, "locked"));
    json_decref(r);
    json_decref(as(w.editor_b, "PUT", report_path(path, sizeof path, w.schedule, "2021-Q2", w.b, NULL),
                   json_pack("{s:s}", "results", "Số liệu chính thức"), 200));
    json_decref(as(w.office_r, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.b, "/submit"),
                   json_pack("{s:s}", "submitted_on", "2021-06-24"), 200));
    json_decref(as(w.office_r, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.b, "/accept"), NULL, 200));

    /* Every step is in the audit log of the report. */
    json_t *report = tk_get(w.server, "%s", report_path(path, sizeof path, w.schedule, "2021-Q2", w.b, NULL));
    json_t *log = tk_get(w.server, "/api/v1/audit?object_type=unit_report&object_id=%lld&per_page=50",
                         (long long)tk_int(report, "id"));
    json_decref(report);
    const char *want[] = {"accept", "submit", "save", "reopen", "accept", "submit", "create"};
    json_t *items = tk_arr(log, "items");
    assert_int_equal(json_array_size(items), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_string_equal(tk_str(json_array_get(items, i), "action"), want[i]);
    json_decref(log);
}

static void completeness_counts_exactly(void **state)
{
    (void)state;
    json_t *s = tk_get(w.server, "/api/v1/report-schedules/%lld/periods/2021-Q2/status", (long long)w.schedule);
    assert_int_equal(tk_int(tk_obj(s, "org"), "id"), w.r);
    assert_string_equal(tk_str(tk_obj(s, "period"), "label"), "Quý II/2021");
    /* A, A1, A2, B, B1: C had closed and D did not exist yet on 25/6/2021. */
    assert_int_equal(tk_int(s, "expected"), 5);
    assert_int_equal(tk_int(s, "submitted"), 4);
    assert_int_equal(tk_int(s, "on_time"), 3);
    assert_int_equal(tk_int(s, "late"), 1);
    assert_int_equal(tk_int(s, "missing"), 1);
    assert_int_equal(tk_int(s, "accepted"), 1);
    json_t *children = tk_arr(s, "children");
    assert_int_equal(json_array_size(children), 2);
    json_t *a = json_array_get(children, 0), *b = json_array_get(children, 1);
    assert_int_equal(tk_int(a, "org_id"), w.a);
    assert_int_equal(tk_int(a, "expected"), 3);
    assert_int_equal(tk_int(a, "submitted"), 3);
    assert_int_equal(tk_int(a, "on_time"), 2);
    assert_int_equal(tk_int(a, "late"), 1);
    assert_int_equal(tk_int(a, "missing"), 0);
    assert_int_equal(tk_int(b, "org_id"), w.b);
    assert_int_equal(tk_int(b, "expected"), 2);
    assert_int_equal(tk_int(b, "on_time"), 1);
    assert_int_equal(tk_int(b, "missing"), 1);
    json_t *outstanding = tk_arr(s, "outstanding");
    assert_int_equal(json_array_size(outstanding), 1);
    assert_int_equal(tk_int(json_array_get(outstanding, 0), "org_id"), w.b1);
    assert_string_equal(tk_str(json_array_get(outstanding, 0), "status"), "not_started");
    assert_true(tk_int(json_array_get(outstanding, 0), "days_overdue") > 1900);
    assert_int_equal(json_array_size(tk_arr(s, "units")), 5);
    json_decref(s);

    /* Under A: A itself reports, so it is a row of its own beside its wards. */
    s = tk_get(w.server, "/api/v1/report-schedules/%lld/periods/2021-Q2/status?org=%lld", (long long)w.schedule,
               (long long)w.a);
    assert_int_equal(tk_int(s, "expected"), 3);
    assert_int_equal(tk_int(s, "late"), 1);
    children = tk_arr(s, "children");
    assert_int_equal(json_array_size(children), 3);
    assert_int_equal(tk_int(json_array_get(children, 0), "org_id"), w.a);
    json_decref(s);

    /* Another quarter: nobody has reported. Units that did not exist then are not expected. */
    s = tk_get(w.server, "/api/v1/report-schedules/%lld/periods/2021-Q1/status", (long long)w.schedule);
    assert_int_equal(tk_int(s, "expected"), 6); /* C still existed on 25/3/2021 */
    assert_int_equal(tk_int(s, "missing"), 6);
    json_decref(s);
    s = tk_get(w.server, "/api/v1/report-schedules/%lld/periods/2021-Q3/status", (long long)w.schedule);
    assert_int_equal(tk_int(s, "expected"), 6); /* D from 1/7/2021, C closed */
    json_decref(s);

    /* The one-off schedule: A1's editor submits today, before the due day. */
    char path[200];
    json_decref(as(w.editor_a1, "GET", report_path(path, sizeof path, w.once_schedule, "once", w.a1, NULL), NULL, 200));
    json_t *r = as(w.editor_a1, "POST", report_path(path, sizeof path, w.once_schedule, "once", w.a1, "/submit"), NULL, 200);
    assert_true(tk_bool(r, "on_time"));
    json_decref(r);
    s = tk_get(w.server, "/api/v1/report-schedules/%lld/periods/once/status", (long long)w.once_schedule);
    assert_int_equal(tk_int(s, "expected"), 2);
    assert_int_equal(tk_int(s, "on_time"), 1);
    json_t *waiting = json_array_get(tk_arr(s, "outstanding"), 0);
    assert_int_equal(tk_int(waiting, "org_id"), w.b);
    assert_int_equal(tk_int(waiting, "days_overdue"), 0); /* not due yet */
    json_decref(s);
    /* B sent it on paper yesterday: the office submits it without a draft, from the prefill. */
    char yesterday[11];
    time_t t = time(NULL) - 86400;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(yesterday, sizeof yesterday, "%Y-%m-%d", &tm);
    r = as(w.office_r, "POST", report_path(path, sizeof path, w.once_schedule, "once", w.b, "/submit"),
           json_pack("{s:s}", "submitted_on", yesterday), 200);
    assert_string_equal(tk_str(r, "submitted_on"), yesterday);
    assert_int_equal(tk_int(r, "revision"), 1);
    json_decref(r);
    s = tk_get(w.server, "/api/v1/report-schedules/%lld/periods/once/status", (long long)w.once_schedule);
    assert_int_equal(tk_int(s, "on_time"), 2);
    assert_int_equal(tk_int(s, "missing"), 0);
    assert_int_equal(json_array_size(tk_arr(s, "outstanding")), 0);
    json_decref(s);
}

static void outside_the_scope_is_not_found(void **state)
{
    (void)state;
    char path[200];
    /* B's editor cannot see A1's report, nor count A's subtree. */
    json_t *r = as(w.editor_b, "GET", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a1, NULL), NULL, 404);
    tk_assert_error(r, "not_found", NULL, "another unit's report");
    json_decref(r);
    json_decref(as(w.editor_b, "PUT", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a1, NULL), json_object(), 404));
    json_decref(as(w.editor_b, "POST", report_path(path, sizeof path, w.schedule, "2021-Q2", w.a1, "/submit"), NULL, 404));
    r = as(w.editor_b, "GET",
           tk_fmt(path, sizeof path, "/api/v1/report-schedules/%lld/periods/2021-Q2/status?org=%lld", (long long)w.schedule,
                  (long long)w.a),
           NULL, 404);
    json_decref(r);
    /* The viewer sees, and may not write: 403. */
    r = as(w.viewer_r, "PUT", report_path(path, sizeof path, w.schedule, "2021-Q2", w.b1, NULL), json_object(), 403);
    tk_assert_error(r, "forbidden", NULL, "viewer saves");
    json_decref(r);
    /* Units that are not expected, periods that do not exist. */
    r = as(admin(), "GET", report_path(path, sizeof path, w.schedule, "2021-Q2", w.c, NULL), NULL, 404);
    json_decref(r);
    r = as(admin(), "GET", report_path(path, sizeof path, w.schedule, "2021-Q2", w.d, NULL), NULL, 404);
    json_decref(r);
    r = as(admin(), "GET", report_path(path, sizeof path, w.schedule, "2021-Q5", w.a1, NULL), NULL, 422);
    tk_assert_error(r, "invalid_input", "period", "Q5");
    json_decref(r);
    r = as(admin(), "GET", report_path(path, sizeof path, w.schedule, "2020-Q4", w.a1, NULL), NULL, 422);
    tk_assert_error(r, "invalid_input", "period", "before the schedule starts");
    json_decref(r);
    r = as(admin(), "GET", report_path(path, sizeof path, w.schedule + 100, "2021-Q2", w.a1, NULL), NULL, 404);
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schedules_are_made_by_the_office),
        cmocka_unit_test(bad_schedules_are_refused),
        cmocka_unit_test(a_draft_starts_from_the_units_tasks),
        cmocka_unit_test(saving_makes_revisions),
        cmocka_unit_test(the_cycle_of_a_period),
        cmocka_unit_test(completeness_counts_exactly),
        cmocka_unit_test(outside_the_scope_is_not_found),
    };
    return tk_test_exit(cmocka_run_group_tests(tests, setup, teardown));
}
