/* The reporting cycle in the web pages, as the office and a unit go through a quarter: the
 * office makes a schedule with the form, a district's editor fills in the prefilled report and
 * submits it, the office returns it with a reason, the editor resubmits, the office accepts it;
 * the period's page counts who reported and links the consolidated report. Forms post as a
 * browser does (form-urlencoded); the API reads back what they did.
 *
 * The tree: city R with districts A and B. A leads one task, updated inside Quý II/2021's data
 * window (15/3 to 14/6/2021). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/harness.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct world {
    tk_test_server *server;
    int64_t r, a, b, doc, task, schedule;
    char office_r[80], editor_a[80], editor_b[80];
} world;

static world w;

static int64_t org(const char *kind, const char *name, int64_t parent)
{
    json_t *body = json_pack("{s:s, s:s}", "kind", kind, "name", name);
    if (parent) json_object_set_new(body, "parent_id", json_integer(parent));
    return tk_create_id(w.server, "/api/v1/organizations", body);
}

/* A form post as the caller of token; returns the answer (free with tk_http_result_free). */
static void post_form(const char *token, const char *path, const char *fields, tk_http_result *r)
{
    tk_http_options o = {.token = token, .content_type = "application/x-www-form-urlencoded"};
    tk_http_with(w.server, "POST", path, fields, strlen(fields), &o, r);
}

static void get_page(const char *token, const char *path, tk_http_result *r)
{
    tk_http_options o = {.token = token};
    tk_http_with(w.server, "GET", path, NULL, 0, &o, r);
}

/* The page answers `status` and holds every one of the texts (NULL-terminated). */
static void page_has(const char *token, const char *path, long status, const char *const *texts)
{
    tk_http_result r;
    get_page(token, path, &r);
    if (r.status != status) fail_msg("GET %s -> %ld, want %ld", path, r.status, status);
    for (const char *const *t = texts; *t; t++)
        if (!r.raw || !strstr(r.raw, *t)) fail_msg("GET %s does not show \"%s\"", path, *t);
    tk_http_result_free(&r);
}

static int setup(void **state)
{
    (void)state;
    w.server = tk_test_server_start();
    w.r = org("party_committee", "Thành ủy R", 0);
    w.a = org("district", "Quận A", w.r);
    w.b = org("district", "Quận B", w.r);
    w.doc = tk_create_id(w.server, "/api/v1/documents",
                         json_pack("{s:s, s:s, s:s, s:I}", "kind", "action_program", "number", "01-CTr/TU", "title",
                                   "Chương trình hành động", "organization_id", (json_int_t)w.r));
    w.task = tk_create_id(w.server, "/api/v1/tasks",
                          json_pack("{s:s, s:I, s:s}", "title", "Chuyển đổi số quận", "lead_org_id", (json_int_t)w.a,
                                    "due", "Quý IV/2021"));
    char path[96];
    json_decref(tk_send_json(w.server, "POST", tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)w.task),
                             json_pack("{s:s, s:i, s:s}", "reported_on", "2021-05-10", "progress", 40, "narrative",
                                       "Đã lắp đặt phần mềm"),
                             201));
    tk_test_user(w.server, "vanphong", "office", w.r, w.office_r);
    tk_test_user(w.server, "bientapa", "editor", w.a, w.editor_a);
    tk_test_user(w.server, "bientapb", "editor", w.b, w.editor_b);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tk_test_server_stop(w.server);
    return 0;
}

/* The office makes a quarterly schedule with the form; a refused form keeps what was typed. */
static void test_office_makes_a_schedule(void **state)
{
    (void)state;
    char fields[512];
    tk_http_result r;
    /* No reporting units named: refused beside the form, the title kept. */
    post_form(w.office_r, "/reports",
              tk_fmt(fields, sizeof fields, "title=B%%C3%%A1o+c%%C3%%A1o+qu%%C3%%BD&document_id=%lld&period_type=quarter"
                                            "&reporters=subtree&starts_on=2021-01-01",
                     (long long)w.doc),
              &r);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.raw, "Báo cáo quý</textarea>"));
    tk_http_result_free(&r);

    post_form(w.office_r, "/reports",
              tk_fmt(fields, sizeof fields, "title=B%%C3%%A1o+c%%C3%%A1o+qu%%C3%%BD&document_id=%lld&period_type=quarter"
                                            "&reporters=subtree&reporter_root_id=%lld&reporter_depth=1&starts_on=2021-01-01",
                     (long long)w.doc, (long long)w.r),
              &r);
    if (r.status != 303) fail_msg("creating a schedule -> %ld: %.400s", r.status, r.raw);
    assert_int_equal(sscanf(r.location, "/reports/%" SCNd64, &w.schedule), 1);
    tk_http_result_free(&r);

    /* An editor may not: the service refuses, nothing is made. */
    post_form(w.editor_a, "/reports",
              tk_fmt(fields, sizeof fields, "title=X&document_id=%lld&period_type=quarter&reporters=subtree"
                                            "&reporter_root_id=%lld&starts_on=2021-01-01",
                     (long long)w.doc, (long long)w.r),
              &r);
    assert_int_equal(r.status, 403);
    tk_http_result_free(&r);

    char path[64];
    page_has(w.office_r, "/reports", 200, (const char *const[]){"Báo cáo quý", "Hằng quý", NULL});
    page_has(w.office_r, tk_fmt(path, sizeof path, "/reports/%lld", (long long)w.schedule), 200,
             (const char *const[]){"Quý II/2021", "25/06/2021", NULL});
}

/* Three days before the due date the reminders run (as cron would): A's editor finds one in the
 * app, counted in the header, linking to the report; marking it read clears the count. */
static void test_reminders_in_the_app(void **state)
{
    (void)state;
    tk_test_cli(w.server, "remind --today 2021-06-22", NULL, 0);
    char link[96], path[64];
    tk_fmt(link, sizeof link, "href=\"/reports/%lld/2021-Q2/%lld\"", (long long)w.schedule, (long long)w.a);
    page_has(w.editor_a, "/notifications", 200,
             (const char *const[]){"Nhắc nộp: báo cáo", "hạn nộp ngày 25/06/2021", link, "<span class=\"badge overdue\">1</span>",
                                   NULL});
    tk_test_as(w.server, w.editor_a);
    json_t *mine = tk_get(w.server, "/api/v1/me/notifications");
    tk_test_as(w.server, tk_test_admin_token(w.server));
    assert_int_equal(json_array_size(tk_arr(mine, "items")), 1);
    int64_t id = tk_int(json_array_get(tk_arr(mine, "items"), 0), "id");
    json_decref(mine);
    tk_http_result r;
    post_form(w.editor_a, tk_fmt(path, sizeof path, "/notifications/%lld/read", (long long)id), "", &r);
    assert_int_equal(r.status, 303);
    tk_http_result_free(&r);
    get_page(w.editor_a, "/notifications", &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.raw, "<span class=\"badge overdue\">"));
    tk_http_result_free(&r);
    /* Another unit's reminder is not A's to mark. */
    tk_test_as(w.server, w.editor_b);
    mine = tk_get(w.server, "/api/v1/me/notifications");
    tk_test_as(w.server, tk_test_admin_token(w.server));
    int64_t b_id = tk_int(json_array_get(tk_arr(mine, "items"), 0), "id");
    json_decref(mine);
    post_form(w.editor_a, tk_fmt(path, sizeof path, "/notifications/%lld/read", (long long)b_id), "", &r);
    assert_int_equal(r.status, 404);
    tk_http_result_free(&r);
}

/* A's editor opens the report: the task comes prefilled from its update inside the window. */
static void test_unit_fills_in_and_submits(void **state)
{
    (void)state;
    char path[96], fields[1024];
    tk_fmt(path, sizeof path, "/reports/%lld/2021-Q2/%lld", (long long)w.schedule, (long long)w.a);
    page_has(w.editor_a, path, 200,
             (const char *const[]){"Chuyển đổi số quận", "Đã lắp đặt phần mềm", "value=\"40\"", "Gửi báo cáo", NULL});
    /* B's editor does not see A's report. */
    page_has(w.editor_b, path, 404, (const char *const[]){NULL});

    tk_http_result r;
    /* A progress that is not a number: refused, what was typed stays on the form. */
    post_form(w.editor_a, path,
              tk_fmt(fields, sizeof fields, "task_%lld_progress=nhi%%E1%%BB%%81u&task_%lld_narrative=Ghi+d%%E1%%BB%%9F"
                                            "&results=K%%E1%%BA%%BFt+qu%%E1%%BA%%A3+A&action=save",
                     (long long)w.task, (long long)w.task),
              &r);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.raw, "Ghi dở"));
    assert_non_null(strstr(r.raw, "Kết quả A"));
    tk_http_result_free(&r);

    post_form(w.editor_a, path,
              tk_fmt(fields, sizeof fields, "task_%lld_progress=60&task_%lld_narrative=%%C4%%90%%C3%%A3+v%%E1%%BA%%ADn"
                                            "+h%%C3%%A0nh&results=K%%E1%%BA%%BFt+qu%%E1%%BA%%A3+A&limitations=Thi%%E1%%BA%%BFu"
                                            "+ng%%C6%%B0%%E1%%BB%%9Di&causes=&proposals=&action=submit",
                     (long long)w.task, (long long)w.task),
              &r);
    if (r.status != 303) fail_msg("submitting -> %ld: %.400s", r.status, r.raw);
    assert_string_equal(r.location, path);
    tk_http_result_free(&r);

    char api[128];
    json_t *report = tk_get(w.server, "/api/v1/report-schedules/%lld/periods/2021-Q2/reports/%lld", (long long)w.schedule,
                            (long long)w.a);
    assert_string_equal(tk_str(report, "status"), "submitted");
    json_t *content = tk_obj(report, "content");
    assert_string_equal(tk_str(content, "results"), "Kết quả A");
    assert_string_equal(tk_str(content, "limitations"), "Thiếu người");
    json_t *line = json_array_get(tk_arr(content, "tasks"), 0);
    assert_int_equal(tk_int(line, "progress"), 60);
    assert_string_equal(tk_str(line, "narrative"), "Đã vận hành");
    json_decref(report);
    (void)api;

    /* Submitted: the editor sees it read-only. */
    tk_http_result page;
    get_page(w.editor_a, path, &page);
    assert_int_equal(page.status, 200);
    assert_null(strstr(page.raw, "Gửi báo cáo"));
    tk_http_result_free(&page);
}

/* The office returns it with a reason, the editor resubmits, the office accepts it: locked. */
static void test_office_returns_and_accepts(void **state)
{
    (void)state;
    char path[96], action[128];
    tk_fmt(path, sizeof path, "/reports/%lld/2021-Q2/%lld", (long long)w.schedule, (long long)w.a);
    tk_http_result r;
    /* An editor cannot accept its own report. */
    post_form(w.editor_a, tk_fmt(action, sizeof action, "%s/accept", path), "", &r);
    assert_int_equal(r.status, 403);
    tk_http_result_free(&r);

    post_form(w.office_r, tk_fmt(action, sizeof action, "%s/return", path),
              "reason=B%C3%B4%CC%89+sung+s%E1%BB%91+li%E1%BB%87u", &r);
    assert_int_equal(r.status, 303);
    tk_http_result_free(&r);
    page_has(w.editor_a, path, 200, (const char *const[]){"Bị trả lại", "Bổ sung số liệu", "Gửi báo cáo", NULL});

    char fields[256];
    post_form(w.editor_a, path,
              tk_fmt(fields, sizeof fields, "task_%lld_progress=65&task_%lld_narrative=B%%E1%%BB%%95+sung&action=submit",
                     (long long)w.task, (long long)w.task),
              &r);
    assert_int_equal(r.status, 303);
    tk_http_result_free(&r);

    post_form(w.office_r, tk_fmt(action, sizeof action, "%s/accept", path), "", &r);
    assert_int_equal(r.status, 303);
    tk_http_result_free(&r);
    page_has(w.office_r, path, 200, (const char *const[]){"Đã chấp nhận", "Mở lại báo cáo", NULL});

    /* Locked: a save is refused and shown on the page, nothing changes. */
    post_form(w.editor_a, path,
              tk_fmt(fields, sizeof fields, "task_%lld_progress=90&action=save", (long long)w.task), &r);
    assert_true(r.status == 409 || r.status == 422 || r.status == 403);
    tk_http_result_free(&r);
    json_t *report = tk_get(w.server, "/api/v1/report-schedules/%lld/periods/2021-Q2/reports/%lld", (long long)w.schedule,
                            (long long)w.a);
    assert_string_equal(tk_str(report, "status"), "accepted");
    assert_int_equal(tk_int(json_array_get(tk_arr(tk_obj(report, "content"), "tasks"), 0), "progress"), 65);
    json_decref(report);
}

/* The period's page: A reported (late: today is years after 25/6/2021), B is outstanding; the
 * consolidated report is linked in its three formats. */
static void test_period_page_counts(void **state)
{
    (void)state;
    char path[96];
    tk_fmt(path, sizeof path, "/reports/%lld/2021-Q2", (long long)w.schedule);
    tk_http_result r;
    get_page(w.office_r, path, &r);
    assert_int_equal(r.status, 200);
    /* Expected 2, submitted 1, on time 0, late 1, missing 1, accepted 1. */
    if (!strstr(r.raw, "<td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">0</td>"
                       "<td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">1</td>"))
        fail_msg("the period's counts are not 2/1/0/1/1/1:\n%s", r.raw);
    char href[128];
    tk_fmt(href, sizeof href, "href=\"/reports/%lld/2021-Q2/%lld\">Quận B</a>", (long long)w.schedule, (long long)w.b);
    assert_non_null(strstr(r.raw, href));
    /* The template escapes "=" in attributes as &#61;, which a browser reads back as "=". */
    tk_fmt(href, sizeof href, "/reports/%lld/2021-Q2/consolidated.pdf?org&#61;%lld", (long long)w.schedule, (long long)w.r);
    assert_non_null(strstr(r.raw, href));
    tk_http_result_free(&r);
    /* B's editor sees its own unit's completeness, not the city's. */
    get_page(w.editor_b, path, &r);
    assert_int_equal(r.status, 404);
    tk_http_result_free(&r);
    char own[128];
    page_has(w.editor_b, tk_fmt(own, sizeof own, "%s?org=%lld", path, (long long)w.b), 200,
             (const char *const[]){"Quận B", NULL});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_office_makes_a_schedule),
        cmocka_unit_test(test_reminders_in_the_app),
        cmocka_unit_test(test_unit_fills_in_and_submits),
        cmocka_unit_test(test_office_returns_and_accepts),
        cmocka_unit_test(test_period_page_counts),
    };
    return tk_test_exit(cmocka_run_group_tests(tests, setup, teardown));
}
