/* Task lists taken out as files: /tasks.csv and /tasks.xlsx with the list's filters, whole,
 * within the caller's scope. The CSV is read back with the project's reader, the XLSX with
 * openpyxl (python3-openpyxl), a reader that is not ours. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/harness.h"
#include "io/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct fixture {
    tk_test_server *server;
    int64_t root, a, b;
    char editor_a[80];
} fixture;

static int64_t org(tk_test_server *s, const char *name, int64_t parent)
{
    json_t *body = json_pack("{s:s, s:s}", "name", name, "kind", "district");
    if (parent) json_object_set_new(body, "parent_id", json_integer(parent));
    return tk_create_id(s, "/api/v1/organizations", body);
}

static int64_t task(tk_test_server *s, const char *title, int64_t lead, const char *due)
{
    return tk_create_id(s, "/api/v1/tasks", json_pack("{s:s, s:I, s:s}", "title", title, "lead_org_id", (json_int_t)lead,
                                                      "due", due));
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->server = tk_test_server_start();
    f->root = org(f->server, "Thành ủy Thử", 0);
    f->a = org(f->server, "Quận ủy Đống Đa", f->root);
    f->b = org(f->server, "Quận ủy Ba Đình", f->root);
    /* Overdue (a past deadline, not completed), in progress, and one that a spreadsheet would
     * take for a formula. */
    task(f->server, "Rà soát quy chế, \"quy định\" của quận", f->a, "Quý I/2021");
    task(f->server, "Xây dựng đề án chuyển đổi số", f->a, "Năm 2099");
    task(f->server, "=1+1 không phải công thức", f->a, "Năm 2099");
    task(f->server, "Nhiệm vụ của Ba Đình", f->b, "Quý I/2021");
    tk_test_user(f->server, "bientap", "editor", f->a, f->editor_a);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tk_test_server_stop(f->server);
    free(f);
    return 0;
}

/* GETs path (a download), requires 200 with the content type, and a Content-Disposition that
 * names a file with the extension. Returns the result (free with tk_http_result_free). */
static void download(fixture *f, const char *path, const char *type, const char *ext, tk_http_result *r)
{
    tk_http_full(f->server, "GET", path, NULL, 0, false, r);
    if (r->status != 200) fail_msg("GET %s answered %ld: %.300s", path, r->status, r->raw ? r->raw : "");
    if (strncmp(r->content_type, type, strlen(type)) != 0)
        fail_msg("GET %s: Content-Type %s, want %s", path, r->content_type, type);
    char want[64];
    tk_fmt(want, sizeof want, ".%s\"", ext);
    const char *disposition = strstr(r->headers, "Content-Disposition: attachment; filename=\"nhiem-vu-");
    if (!disposition || !strstr(disposition, want)) fail_msg("GET %s: no attachment .%s in\n%s", path, ext, r->headers);
}

static tk_table *csv_of(fixture *f, const char *path)
{
    tk_http_result r;
    download(f, path, "text/csv", "csv", &r);
    if (r.raw_len < 3 || memcmp(r.raw, "\xEF\xBB\xBF", 3) != 0) fail_msg("GET %s: no UTF-8 byte order mark", path);
    tk_table *t = NULL;
    tk_error err;
    tk_error_clear(&err);
    if (tk_table_read_csv(r.raw, r.raw_len, &t, &err)) fail_msg("GET %s: not CSV: %s", path, err.message);
    tk_http_result_free(&r);
    return t;
}

/* The number of the row whose task column (1) is title, or -1. */
static int row_of(const tk_table *t, const char *title)
{
    for (size_t r = 0; r < tk_table_row_count(t); r++)
        if (strcmp(tk_table_cell(t, r, 1), title) == 0) return (int)r;
    return -1;
}

static void test_csv_holds_the_filtered_list(void **state)
{
    fixture *f = *state;
    char path[128];
    tk_table *t = csv_of(f, tk_fmt(path, sizeof path, "/tasks.csv?org=%lld", (long long)f->a));
    /* Header, the three tasks of A, the total. */
    assert_int_equal(tk_table_row_count(t), 5);
    assert_string_equal(tk_table_cell(t, 0, 1), "Nhiệm vụ");
    assert_string_equal(tk_table_cell(t, 0, 2), "Cơ quan chủ trì");
    int overdue = row_of(t, "Rà soát quy chế, \"quy định\" của quận");
    assert_true(overdue > 0);
    assert_string_equal(tk_table_cell(t, (size_t)overdue, 2), "Quận ủy Đống Đa");
    assert_string_equal(tk_table_cell(t, (size_t)overdue, 5), "Quý I/2021");
    assert_string_equal(tk_table_cell(t, (size_t)overdue, 6), "31/03/2021");
    assert_string_equal(tk_table_cell(t, (size_t)overdue, 8), "Quá hạn chưa hoàn thành");
    assert_true(atoi(tk_table_cell(t, (size_t)overdue, 10)) > 365);
    assert_int_equal(row_of(t, "Nhiệm vụ của Ba Đình"), -1);
    /* A title a spreadsheet would run as a formula is shown as text. */
    assert_true(row_of(t, "'=1+1 không phải công thức") > 0);
    assert_string_equal(tk_table_cell(t, 4, 1), "Cộng: 3 nhiệm vụ");
    tk_table_free(t);

    t = csv_of(f, tk_fmt(path, sizeof path, "/tasks.csv?org=%lld&status=overdue&page=3", (long long)f->root));
    /* The page is ignored: a download is the whole list. Both overdue tasks, in A and in B. */
    assert_int_equal(tk_table_row_count(t), 4);
    assert_true(row_of(t, "Nhiệm vụ của Ba Đình") > 0);
    assert_int_equal(row_of(t, "Xây dựng đề án chuyển đổi số"), -1);
    tk_table_free(t);
}

/* The editor of A takes out A's tasks, never B's, whatever the filter asks for. */
static void test_download_is_scoped(void **state)
{
    fixture *f = *state;
    tk_test_as(f->server, f->editor_a);
    char path[128];
    tk_table *t = csv_of(f, "/tasks.csv");
    assert_int_equal(tk_table_row_count(t), 5);
    assert_int_equal(row_of(t, "Nhiệm vụ của Ba Đình"), -1);
    tk_table_free(t);
    t = csv_of(f, tk_fmt(path, sizeof path, "/tasks.csv?org=%lld", (long long)f->b));
    assert_int_equal(tk_table_row_count(t), 2); /* header and total */
    tk_table_free(t);
    tk_test_as(f->server, tk_test_admin_token(f->server));
}

/* The XLSX as openpyxl reads it (Debian's, for /usr/bin/python3, which need not be the python3 on
 * PATH): the table's sheet with the same rows, progress as a number. */
static void test_xlsx_reads_back_in_another_reader(void **state)
{
    fixture *f = *state;
    char path[128];
    tk_http_result r;
    download(f, tk_fmt(path, sizeof path, "/tasks.xlsx?org=%lld", (long long)f->a),
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", &r);
    char file[] = "/tmp/tk-export-XXXXXX.xlsx"; /* openpyxl goes by the extension */
    int fd = mkstemps(file, 5);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, r.raw, r.raw_len), (ssize_t)r.raw_len);
    close(fd);
    tk_http_result_free(&r);
    char cmd[512], out[4096] = "";
    tk_fmt(cmd, sizeof cmd,
           "/usr/bin/python3 -c 'import sys, openpyxl\n"
           "ws = openpyxl.load_workbook(sys.argv[1]).worksheets[1]\n"
           "for row in ws.iter_rows(values_only=True): print(\"|\".join(\"\" if v is None else repr(v) for v in row))' %s",
           file);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    unlink(file);
    if (status != 0) fail_msg("openpyxl could not read the file: %s", out);
    if (!strstr(out, "'Nhiệm vụ'|'Cơ quan chủ trì'")) fail_msg("no header row in:\n%s", out);
    /* Progress is a number a spreadsheet can sum, and the deadline text as written. */
    if (!strstr(out, "'Xây dựng đề án chuyển đổi số'|'Quận ủy Đống Đa'|||'Năm 2099'|'31/12/2099'|0|"))
        fail_msg("the in-progress task is not as expected in:\n%s", out);
    if (!strstr(out, "'Cộng: 3 nhiệm vụ'")) fail_msg("no total in:\n%s", out);
}

/* A bad filter is a page saying what is wrong, not a file. */
static void test_bad_filter_is_an_error_page(void **state)
{
    fixture *f = *state;
    tk_http_result r;
    tk_http_full(f->server, "GET", "/tasks.csv?status=unknown", NULL, 0, false, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.content_type, "text/html"));
    assert_null(strstr(r.headers, "Content-Disposition"));
    tk_http_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_holds_the_filtered_list),
        cmocka_unit_test(test_download_is_scoped),
        cmocka_unit_test(test_xlsx_reads_back_in_another_reader),
        cmocka_unit_test(test_bad_filter_is_an_error_page),
    };
    return tk_test_exit(cmocka_run_group_tests(tests, setup, teardown));
}
