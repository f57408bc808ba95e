/* The web pages against a real server: every page type renders, in Vietnamese by default; forms
 * write through the same service as the API, redirect after a POST, and come back with the
 * message beside the field and nothing written when the input is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "http/harness.h"

typedef struct fixture {
    tk_test_server *server;
    int64_t root, district, task;
} fixture;

static int setup(void **state)
{
    fixture *f = test_calloc(1, sizeof *f);
    f->server = tk_test_server_start();
    f->root = tk_create_id(f->server, "/api/v1/organizations",
                           json_pack("{s:s, s:s}", "kind", "party_committee", "name", "Đảng bộ thành phố Hà Nội"));
    f->district = tk_create_id(f->server, "/api/v1/organizations",
                               json_pack("{s:s, s:s, s:I}", "kind", "district", "name", "Quận ủy Ba Đình", "parent_id",
                                         (json_int_t)f->root));
    f->task = tk_create_id(f->server, "/api/v1/tasks",
                           json_pack("{s:s, s:I, s:s}", "title", "Ban hành kế hoạch thực hiện", "lead_org_id",
                                     (json_int_t)f->district, "due", "Quý I/2021"));
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

/* GETs path and checks the status, that the answer is HTML, and that it contains `want`. */
static void page_has(fixture *f, const char *path, long status, const char *want)
{
    tk_http_result r;
    tk_http_full(f->server, "GET", path, NULL, 0, false, &r);
    if (r.status != status) fail_msg("GET %s -> %ld, want %ld", path, r.status, status);
    if (!strstr(r.content_type, "text/html")) fail_msg("GET %s: content type %s", path, r.content_type);
    if (want && !strstr(r.raw, want)) fail_msg("GET %s: no \"%s\" in the page", path, want);
    if (strstr(r.raw, "{{")) fail_msg("GET %s: a template tag was left unrendered", path);
    tk_http_result_free(&r);
}

static void every_page_type_renders_in_vietnamese(void **state)
{
    fixture *f = *state;
    char path[128];
    page_has(f, "/", 200, "Tổng quan");
    page_has(f, "/", 200, "Quá hạn chưa hoàn thành");
    page_has(f, "/tasks", 200, "Ban hành kế hoạch thực hiện");
    page_has(f, tk_fmt(path, sizeof path, "/tasks/%lld", (long long)f->task), 200, "Quý I/2021");
    page_has(f, tk_fmt(path, sizeof path, "/tasks/%lld", (long long)f->task), 200, "31/03/2021");
    page_has(f, tk_fmt(path, sizeof path, "/tasks/%lld/edit", (long long)f->task), 200, "Ban hành kế hoạch thực hiện");
    page_has(f, "/tasks/new", 200, "Cơ quan chủ trì");
    page_has(f, "/programs", 200, "Chương trình công tác");
    page_has(f, "/organizations", 200, "Quận ủy Ba Đình");
    page_has(f, tk_fmt(path, sizeof path, "/organizations/%lld", (long long)f->root), 200, "Quận ủy Ba Đình");
    page_has(f, "/documents", 200, "Văn bản");
    page_has(f, "/search?q=ke+hoach", 200, "Ban hành kế hoạch thực hiện");
    page_has(f, "/?lang=en", 200, "Dashboard");
}

static void a_dashboard_number_links_to_the_list_behind_it(void **state)
{
    fixture *f = *state;
    char path[128], link[160];
    /* On 1/6/2021 the task due in Quý I/2021 is overdue: the count links to that list (the
     * template escapes "=" and "&" in attributes, as mustache does). */
    page_has(f, tk_fmt(path, sizeof path, "/?org=%lld&on=2021-06-01", (long long)f->root), 200,
             tk_fmt(link, sizeof link, "/tasks?org&#61;%lld&amp;status&#61;overdue&amp;on&#61;2021-06-01\">1<",
                    (long long)f->root));
    page_has(f, tk_fmt(path, sizeof path, "/tasks?org=%lld&status=overdue&on=2021-06-01", (long long)f->root), 200,
             "Ban hành kế hoạch thực hiện");
    page_has(f, tk_fmt(path, sizeof path, "/tasks?org=%lld&status=done_on_time&on=2021-06-01", (long long)f->root), 200,
             "Không có nhiệm vụ nào");
}

static void the_dashboard_shows_indicators_against_their_next_milestone(void **state)
{
    fixture *f = *state;
    int64_t ind = tk_create_id(f->server, "/api/v1/indicators",
                               json_pack("{s:s, s:I, s:s, s:s}", "name", "Tốc độ tăng trưởng GRDP", "organization_id",
                                         (json_int_t)f->root, "unit", "%", "aggregation", "last"));
    json_decref(tk_create(f->server, "/api/v1/indicator-values",
                          json_pack("{s:I, s:s, s:f}", "indicator_id", (json_int_t)ind, "on_date", "2023-12-31", "value", 5.8)));
    json_decref(tk_create(f->server, "/api/v1/indicator-targets",
                          json_pack("{s:I, s:i, s:f}", "indicator_id", (json_int_t)ind, "year", 2030, "value", 7.5)));
    char path[64];
    page_has(f, tk_fmt(path, sizeof path, "/?org=%lld", (long long)f->root), 200, "Tốc độ tăng trưởng GRDP");
    page_has(f, tk_fmt(path, sizeof path, "/?org=%lld", (long long)f->root), 200, "5,8 %");
    page_has(f, tk_fmt(path, sizeof path, "/?org=%lld", (long long)f->root), 200, "7,5 % (2030)");
}

static long count_tasks(fixture *f)
{
    json_t *list = tk_get(f->server, "/api/v1/tasks?per_page=200");
    long n = (long)json_array_size(tk_arr(list, "items"));
    json_decref(list);
    return n;
}

static void the_new_task_form_creates_a_task_and_redirects(void **state)
{
    fixture *f = *state;
    char body[512];
    tk_fmt(body, sizeof body,
           "title=T%%E1%%BB%%95+ch%%E1%%BB%%A9c+h%%E1%%BB%%99i+ngh%%E1%%BB%%8B&lead_org_id=%lld&due=Qu%%C3%%BD+IV%%2F2027"
           "&coordinator_ids=%lld&weight=2%%2C5",
           (long long)f->district, (long long)f->root);
    tk_http_result r;
    tk_http_full(f->server, "POST", "/tasks", body, strlen(body), false, &r);
    assert_int_equal(r.status, 303);
    int64_t id = 0;
    assert_int_equal(sscanf(r.location, "/tasks/%ld", &id), 1);
    tk_http_result_free(&r);
    json_t *task = tk_get(f->server, "/api/v1/tasks/%lld", (long long)id);
    assert_string_equal(tk_str(task, "title"), "Tổ chức hội nghị");
    assert_string_equal(tk_str(task, "due_last"), "2027-12-31");
    assert_true(tk_real(task, "weight") == 2.5);
    assert_int_equal(json_integer_value(json_array_get(tk_arr(task, "coordinator_ids"), 0)), f->root);
    json_decref(task);
}

static void a_refused_form_keeps_the_values_shows_the_error_and_writes_nothing(void **state)
{
    fixture *f = *state;
    long before = count_tasks(f);
    char body[256];
    tk_fmt(body, sizeof body, "title=Vi%%E1%%BB%%87c+c%%E1%%BA%%A7n+l%%C3%%A0m&lead_org_id=%lld&due=%%C4%%91%%E1%%BA%%A7u+th%%C3%%A1ng+7%%2F2021",
           (long long)f->district);
    tk_http_result r;
    tk_http_full(f->server, "POST", "/tasks", body, strlen(body), false, &r);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.raw, "field-error"));
    assert_non_null(strstr(r.raw, "đầu tháng 7/2021")); /* the message quotes the text */
    assert_non_null(strstr(r.raw, "Việc cần làm"));     /* the title typed stays in the form */
    tk_http_result_free(&r);
    assert_int_equal(count_tasks(f), before);
}

static void progress_and_extension_forms_change_the_task(void **state)
{
    fixture *f = *state;
    char path[128];
    /* A fresh task, so the order of the tests does not matter. */
    int64_t id = tk_create_id(f->server, "/api/v1/tasks",
                              json_pack("{s:s, s:I, s:s}", "title", "Cải tạo chung cư cũ", "lead_org_id",
                                        (json_int_t)f->district, "due", "31/12/2030"));
    const char *update = "progress=60&reported_on=02%2F01%2F2026&narrative=%C4%90%C3%A3+ph%C3%AA+duy%E1%BB%87t";
    tk_http_result r;
    tk_http_full(f->server, "POST", tk_fmt(path, sizeof path, "/tasks/%lld/updates", (long long)id), update,
                 strlen(update), false, &r);
    assert_int_equal(r.status, 303);
    tk_http_result_free(&r);
    json_t *task = tk_get(f->server, "/api/v1/tasks/%lld", (long long)id);
    assert_int_equal(tk_int(task, "progress"), 60);
    json_decref(task);
    page_has(f, tk_fmt(path, sizeof path, "/tasks/%lld", (long long)id), 200, "Đã phê duyệt");

    const char *bad = "progress=140";
    tk_http_full(f->server, "POST", tk_fmt(path, sizeof path, "/tasks/%lld/updates", (long long)id), bad, strlen(bad),
                 false, &r);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.raw, "#u-progress"));
    tk_http_result_free(&r);

    const char *extend = "new_due=Qu%C3%BD+II%2F2031&reason=Ch%E1%BB%9D+v%E1%BB%91n&approved_by=Th%C6%B0%E1%BB%9Dng+tr%E1%BB%B1c"
                         "&decided_on=03%2F01%2F2026";
    tk_http_full(f->server, "POST", tk_fmt(path, sizeof path, "/tasks/%lld/extensions", (long long)id), extend,
                 strlen(extend), false, &r);
    assert_int_equal(r.status, 303);
    tk_http_result_free(&r);
    task = tk_get(f->server, "/api/v1/tasks/%lld", (long long)id);
    assert_string_equal(tk_str(task, "due"), "Quý II/2031");
    assert_string_equal(tk_str(task, "due_last"), "2031-06-30");
    json_decref(task);
    page_has(f, tk_fmt(path, sizeof path, "/tasks/%lld", (long long)id), 200, "31/12/2030");
}

static void text_is_escaped_on_every_page(void **state)
{
    fixture *f = *state;
    char path[128];
    int64_t id = tk_create_id(f->server, "/api/v1/tasks",
                              json_pack("{s:s, s:I, s:s}", "title", "<script>alert(\"x\")</script> & 'q'", "lead_org_id",
                                        (json_int_t)f->district, "due", "2030"));
    tk_http_result r;
    tk_http_full(f->server, "GET", tk_fmt(path, sizeof path, "/tasks/%lld", (long long)id), NULL, 0, false, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.raw, "<script>alert"));
    assert_non_null(strstr(r.raw, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"));
    tk_http_result_free(&r);
    tk_http_full(f->server, "GET", "/tasks?q=script", NULL, 0, false, &r);
    assert_null(strstr(r.raw, "<script>alert"));
    tk_http_result_free(&r);
}

static void missing_pages_answer_404_without_internals(void **state)
{
    fixture *f = *state;
    page_has(f, "/no-such-page", 404, "Không tìm thấy trang");
    page_has(f, "/tasks/999999", 404, "Không tìm thấy trang");
    tk_http_result r;
    tk_http_full(f->server, "GET", "/tasks/999999", NULL, 0, false, &r);
    assert_null(strstr(r.raw, "SELECT"));
    assert_null(strstr(r.raw, "mã số 999999")); /* the service's message is for the log, not the page */
    tk_http_result_free(&r);
}

static void static_files_are_served_with_their_type(void **state)
{
    fixture *f = *state;
    tk_http_result r;
    tk_http_full(f->server, "GET", "/static/app.css", NULL, 0, false, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.content_type, "text/css"));
    assert_non_null(strstr(r.raw, "@media print"));
    tk_http_result_free(&r);
    tk_http_full(f->server, "GET", "/static/nothing.css", NULL, 0, false, &r);
    assert_int_equal(r.status, 404);
    tk_http_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_page_type_renders_in_vietnamese),
        cmocka_unit_test(a_dashboard_number_links_to_the_list_behind_it),
        cmocka_unit_test(the_dashboard_shows_indicators_against_their_next_milestone),
        cmocka_unit_test(the_new_task_form_creates_a_task_and_redirects),
        cmocka_unit_test(a_refused_form_keeps_the_values_shows_the_error_and_writes_nothing),
        cmocka_unit_test(progress_and_extension_forms_change_the_task),
        cmocka_unit_test(text_is_escaped_on_every_page),
        cmocka_unit_test(missing_pages_answer_404_without_internals),
        cmocka_unit_test(static_files_are_served_with_their_type),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
