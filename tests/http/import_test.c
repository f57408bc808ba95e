/* Import from the spreadsheets people keep: POST /api/v1/import/{kind} with a CSV or XLSX file
 * as the body. A dry run lists what would be created and every bad row with its line and
 * reason and changes nothing; a real run writes every row or none; what was written reads
 * back through the API as if made by hand.
 *
 * The tree: a city committee (code H26) with the district Hoàn Kiếm (HK), two departments (STC,
 * SXD) and two boards both named "Ban Tuyên giáo" (one under the city, one under the district),
 * a program numbered "01" and an indicator CT01. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const char csv_type[] = "text/csv; charset=utf-8";
static const char xlsx_type[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

typedef struct world {
    tk_test_server *srv;
    int64_t city, district, finance, construction, program, indicator;
    char editor[80], office[80];
} world;

static int64_t make_org(world *w, const char *name, const char *code, const char *kind, int64_t parent)
{
    json_t *body = json_pack("{s:s, s:s, s:s}", "name", name, "kind", kind, "code", code);
    if (parent) json_object_set_new(body, "parent_id", json_integer(parent));
    return tk_create_id(w->srv, "/api/v1/organizations", body);
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    w->srv = tk_test_server_start();
    w->city = make_org(w, "Thành ủy Hà Nội", "H26", "party_committee", 0);
    w->district = make_org(w, "Đảng bộ quận Hoàn Kiếm", "HK", "district", w->city);
    w->finance = make_org(w, "Sở Tài chính", "STC", "department", w->city);
    w->construction = make_org(w, "Sở Xây dựng", "SXD", "department", w->city);
    make_org(w, "Ban Tuyên giáo", "BTG-TU", "party_board", w->city);
    make_org(w, "Ban Tuyên giáo", "BTG-HK", "party_board", w->district);
    int64_t doc = tk_create_id(w->srv, "/api/v1/documents",
                               json_pack("{s:s, s:s, s:s, s:I}", "kind", "action_program", "number", "01-CTr/TU",
                                         "title", "Chương trình hành động", "organization_id", (json_int_t)w->city));
    w->program = tk_create_id(w->srv, "/api/v1/programs",
                              json_pack("{s:I, s:s, s:s}", "document_id", (json_int_t)doc, "number", "01", "title",
                                        "Phát triển kinh tế"));
    w->indicator = tk_create_id(w->srv, "/api/v1/indicators",
                                json_pack("{s:s, s:s, s:s, s:I}", "code", "CT01", "name", "Tỷ lệ hộ nghèo", "unit", "%",
                                          "organization_id", (json_int_t)w->city));
    tk_test_user(w->srv, "bientap", "editor", w->district, w->editor);
    tk_test_user(w->srv, "vanphong", "office", w->district, w->office);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    tk_test_server_stop(w->srv);
    free(w);
    return 0;
}

/* POSTs a file to /api/v1/import/<kind>[?dry_run=1] as the current caller (token NULL) or
 * another one. */
static void post_file(world *w, const char *kind, bool dry_run, const char *type, const void *data, size_t size,
                      const char *token, tk_http_result *r)
{
    char path[128];
    tk_fmt(path, sizeof path, "/api/v1/import/%s%s", kind, dry_run ? "?dry_run=1" : "");
    tk_http_options options = {.content_type = type, .token = token};
    tk_http_with(w->srv, "POST", path, data, size, &options, r);
    if (r->status == 0) fail_msg("POST %s: %s", path, r->error);
}

static size_t count(world *w, const char *path)
{
    json_t *list = tk_get(w->srv, "%s", path);
    if (tk_bool(list, "has_more")) fail_msg("%s: more than a page", path);
    size_t n = json_array_size(tk_arr(list, "items"));
    json_decref(list);
    return n;
}

static size_t task_count(world *w)
{
    return count(w, "/api/v1/tasks?per_page=200");
}

/* Requires the report's errors to be exactly these lines, columns and codes, in order, each
 * message starting with "Dòng <line>". */
typedef struct expected_error {
    int line;
    const char *column; /* NULL: about the whole row */
    const char *code;
    const char *says;   /* a part of the message */
} expected_error;

static void assert_errors(const json_t *report, const expected_error *want, size_t n)
{
    json_t *errors = tk_arr(report, "errors");
    if (json_array_size(errors) != n) {
        char *text = json_dumps(errors, JSON_INDENT(1));
        fail_msg("%zu errors, want %zu: %s", json_array_size(errors), n, text);
    }
    assert_int_equal(tk_int(report, "error_count"), (int64_t)n);
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(errors, i);
        char prefix[32];
        snprintf(prefix, sizeof prefix, "Dòng %d", want[i].line);
        assert_int_equal(tk_int(e, "line"), want[i].line);
        if (want[i].column) assert_string_equal(tk_str(e, "column"), want[i].column);
        else assert_true(tk_is_null(e, "column"));
        assert_string_equal(tk_str(e, "code"), want[i].code);
        const char *message = tk_str(e, "message");
        if (strncmp(message, prefix, strlen(prefix)) != 0 || !strstr(message, want[i].says))
            fail_msg("error %zu: \"%s\" should start with \"%s\" and say \"%s\"", i, message, prefix, want[i].says);
    }
}

/* A task list as kept in Excel and saved as CSV in the Vietnamese locale: a title row above the
 * header, ';' between cells, coordinators in one quoted cell, dd/mm/yyyy, "Quý II/2021", a
 * decimal comma, a program by its number without the leading zero. Lines 5 to 8 are bad. */
static const char tasks_csv[] =
    "DANH MỤC NHIỆM VỤ TRIỂN KHAI NGHỊ QUYẾT;;;;;;;;\r\n"
    "STT;Nội dung nhiệm vụ;CƠ QUAN CHỦ TRÌ (*);Cơ quan phối hợp;Thời hạn;Người chịu trách nhiệm;Chương trình;"
    "Trọng số;Ghi chú\r\n"
    "1;Xây dựng đề án phát triển đô thị;dang bo quan hoan kiem;\"Sở Tài chính; SXD\";Quý II/2021;"
    "Đồng chí Nguyễn Văn A;1;1,5;\r\n"
    "2;Rà soát quy hoạch;SỞ TÀI CHÍNH;;15/03/2022;;;;ưu tiên\r\n"
    "3;Tổng kết;Sở Tài chính;;Quý V/2021;;;;\r\n"
    "4;Kiểm tra;Sở Không Tồn Tại;;Quý I/2022;;;;\r\n"
    "5;Tuyên truyền;Ban Tuyên giáo;;Quý I/2022;;;;\r\n"
    "6;;Sở Tài chính;;Quý I/2022;;;;\r\n";

/* The first two rows of tasks_csv alone. */
static char *good_tasks_csv(void)
{
    const char *cut = strstr(tasks_csv, "3;Tổng kết");
    return strndup(tasks_csv, (size_t)(cut - tasks_csv));
}

static const expected_error tasks_errors[] = {
    {5, "Thời hạn", "invalid_period", "Quý V/2021"},
    {6, "CƠ QUAN CHỦ TRÌ (*)", "not_found", "Sở Không Tồn Tại"},
    {7, "CƠ QUAN CHỦ TRÌ (*)", "invalid_input", "Ban Tuyên giáo"},
    {8, "Nội dung nhiệm vụ", "invalid_input", "Cần nhập"},
};

static void dry_run_lists_rows_and_errors_and_changes_nothing(void **state)
{
    world *w = *state;
    size_t before = task_count(w);
    tk_http_result r;
    post_file(w, "tasks", true, csv_type, tasks_csv, strlen(tasks_csv), NULL, &r);
    assert_int_equal(r.status, 200);
    const json_t *report = r.json;
    assert_string_equal(tk_str(report, "kind"), "tasks");
    assert_true(tk_bool(report, "dry_run"));
    assert_int_equal(tk_int(report, "rows"), 6);
    assert_int_equal(tk_int(report, "created"), 0);
    json_t *would = tk_arr(report, "would_create");
    assert_int_equal(json_array_size(would), 2);
    const json_t *first = json_array_get(would, 0), *second = json_array_get(would, 1);
    assert_int_equal(tk_int(first, "line"), 3);
    const json_t *task = tk_obj(first, "object");
    assert_string_equal(tk_str(task, "title"), "Xây dựng đề án phát triển đô thị");
    assert_int_equal(tk_int(task, "lead_org_id"), w->district);
    assert_string_equal(tk_str(task, "due"), "Quý II/2021");
    assert_string_equal(tk_str(task, "due_last"), "2021-06-30");
    assert_null(json_object_get(task, "id"));
    assert_int_equal(tk_int(second, "line"), 4);
    assert_string_equal(tk_str(tk_obj(second, "object"), "due_last"), "2022-03-15");
    assert_errors(report, tasks_errors, sizeof tasks_errors / sizeof tasks_errors[0]);
    json_t *ignored = tk_arr(report, "ignored_columns");
    assert_int_equal(json_array_size(ignored), 2);
    assert_string_equal(json_string_value(json_array_get(ignored, 0)), "STT");
    assert_string_equal(json_string_value(json_array_get(ignored, 1)), "Ghi chú");
    tk_http_result_free(&r);
    assert_int_equal(task_count(w), before);
}

static void real_run_with_a_bad_row_writes_nothing(void **state)
{
    world *w = *state;
    size_t before = task_count(w);
    tk_http_result r;
    post_file(w, "tasks", false, csv_type, tasks_csv, strlen(tasks_csv), NULL, &r);
    assert_int_equal(r.status, 422);
    tk_assert_error(r.json, "invalid_input", "file", "import with bad rows");
    const json_t *report = tk_obj(tk_obj(r.json, "error"), "report");
    assert_false(tk_bool(report, "dry_run"));
    assert_int_equal(tk_int(report, "created"), 0);
    assert_errors(report, tasks_errors, sizeof tasks_errors / sizeof tasks_errors[0]);
    assert_non_null(strstr(tk_str(tk_obj(r.json, "error"), "message"), "4 dòng lỗi"));
    tk_http_result_free(&r);
    assert_int_equal(task_count(w), before);
}

/* Checks the two good rows of the task files as stored. */
static void assert_imported_tasks(world *w, const json_t *report)
{
    assert_int_equal(tk_int(report, "created"), 2);
    json_t *ids = tk_arr(report, "created_ids");
    assert_int_equal(json_array_size(ids), 2);
    json_t *t = tk_get(w->srv, "/api/v1/tasks/%lld", (long long)json_integer_value(json_array_get(ids, 0)));
    assert_string_equal(tk_str(t, "title"), "Xây dựng đề án phát triển đô thị");
    assert_int_equal(tk_int(t, "lead_org_id"), w->district);
    assert_string_equal(tk_str(t, "due"), "Quý II/2021");
    assert_string_equal(tk_str(t, "due_first"), "2021-04-01");
    assert_string_equal(tk_str(t, "due_last"), "2021-06-30");
    assert_string_equal(tk_str(t, "responsible_person"), "Đồng chí Nguyễn Văn A");
    assert_int_equal(tk_int(t, "program_id"), w->program);
    assert_true(tk_real(t, "weight") == 1.5);
    json_t *coordinators = tk_arr(t, "coordinator_ids");
    assert_int_equal(json_array_size(coordinators), 2);
    assert_int_equal(json_integer_value(json_array_get(coordinators, 0)), w->finance);
    assert_int_equal(json_integer_value(json_array_get(coordinators, 1)), w->construction);
    json_decref(t);
    t = tk_get(w->srv, "/api/v1/tasks/%lld", (long long)json_integer_value(json_array_get(ids, 1)));
    assert_string_equal(tk_str(t, "title"), "Rà soát quy hoạch");
    assert_int_equal(tk_int(t, "lead_org_id"), w->finance);
    assert_string_equal(tk_str(t, "due"), "15/03/2022");
    assert_string_equal(tk_str(t, "due_last"), "2022-03-15");
    assert_true(tk_is_null(t, "program_id"));
    json_decref(t);
}

static void clean_real_run_writes_every_row(void **state)
{
    world *w = *state;
    size_t before = task_count(w);
    char *csv = good_tasks_csv();
    tk_http_result r;
    post_file(w, "tasks", false, csv_type, csv, strlen(csv), NULL, &r);
    free(csv);
    assert_int_equal(r.status, 200);
    assert_false(tk_bool(r.json, "dry_run"));
    assert_int_equal(tk_int(r.json, "rows"), 2);
    assert_int_equal(json_array_size(tk_arr(r.json, "errors")), 0);
    assert_imported_tasks(w, r.json);
    tk_http_result_free(&r);
    assert_int_equal(task_count(w), before + 2);
}

/* Writes an xlsx workbook through fill() and returns its bytes (new). */
static unsigned char *workbook(void (*fill)(lxw_workbook *, lxw_worksheet *), size_t *size)
{
    const char *tmp = getenv("TK_TEST_TMP");
    char path[512];
    tk_fmt(path, sizeof path, "%s/import-%ld.xlsx", tmp ? tmp : "/tmp", (long)getpid());
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    fill(wb, workbook_add_worksheet(wb, "Nhiệm vụ"));
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)n);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    unlink(path);
    *size = (size_t)n;
    return data;
}

/* The good rows of tasks_csv as Excel keeps them: a real date cell, numbers as numbers. */
static void fill_tasks(lxw_workbook *wb, lxw_worksheet *ws)
{
    lxw_format *dmy = workbook_add_format(wb);
    format_set_num_format(dmy, "dd/mm/yyyy");
    static const char *const headers[] = {"STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
                                          "Thời hạn", "Người chịu trách nhiệm", "Chương trình", "Trọng số"};
    for (lxw_col_t c = 0; c < 8; c++) worksheet_write_string(ws, 0, c, headers[c], NULL);
    worksheet_write_number(ws, 1, 0, 1, NULL);
    worksheet_write_string(ws, 1, 1, "Xây dựng đề án phát triển đô thị", NULL);
    worksheet_write_string(ws, 1, 2, "Đảng bộ quận Hoàn Kiếm", NULL);
    worksheet_write_string(ws, 1, 3, "Sở Tài chính,\nSở Xây dựng", NULL);
    worksheet_write_string(ws, 1, 4, "Quý II/2021", NULL);
    worksheet_write_string(ws, 1, 5, "Đồng chí Nguyễn Văn A", NULL);
    worksheet_write_number(ws, 1, 6, 1, NULL);
    worksheet_write_number(ws, 1, 7, 1.5, NULL);
    worksheet_write_number(ws, 2, 0, 2, NULL);
    worksheet_write_string(ws, 2, 1, "Rà soát quy hoạch", NULL);
    worksheet_write_string(ws, 2, 2, "STC", NULL);
    lxw_datetime due = {2022, 3, 15, 0, 0, 0};
    worksheet_write_datetime(ws, 2, 4, &due, dmy);
}

static void xlsx_imports_the_same(void **state)
{
    world *w = *state;
    size_t before = task_count(w), size;
    unsigned char *data = workbook(fill_tasks, &size);
    tk_http_result r;
    post_file(w, "tasks", true, xlsx_type, data, size, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_array_size(tk_arr(r.json, "would_create")), 2);
    assert_int_equal(json_array_size(tk_arr(r.json, "errors")), 0);
    tk_http_result_free(&r);
    assert_int_equal(task_count(w), before);

    post_file(w, "tasks", false, xlsx_type, data, size, NULL, &r);
    free(data);
    assert_int_equal(r.status, 200);
    assert_imported_tasks(w, r.json);
    tk_http_result_free(&r);
    assert_int_equal(task_count(w), before + 2);
}

static void indicator_values_read_periods_and_decimal_commas(void **state)
{
    world *w = *state;
    char path[96];
    tk_fmt(path, sizeof path, "/api/v1/indicator-values?indicator_id=%lld&per_page=200", (long long)w->indicator);
    size_t before = count(w, path);
    static const char bad[] = "Chỉ tiêu;Đơn vị;Kỳ;Giá trị;Ghi chú;Đơn vị tính\n"
                              "CT01;Thành ủy Hà Nội;Quý II/2021;2,5;Số liệu quý;%\n"
                              "tỷ lệ hộ nghèo;;2022;1,75;;%\n"
                              "Tỷ lệ hộ nghèo;;31/12/2023;1.234,5;;%\n"
                              "Tỷ lệ hộ nghèo;;Thường xuyên;1;;%\n"
                              "CT99;;2023;1;;%\n"
                              "CT01;;2023;một phẩy năm;;%\n";
    tk_http_result r;
    post_file(w, "indicator-values", true, csv_type, bad, strlen(bad), NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(tk_str(r.json, "kind"), "indicator_values");
    assert_int_equal(json_array_size(tk_arr(r.json, "would_create")), 3);
    static const expected_error errors[] = {
        {5, "Kỳ", "invalid_period", "Thường xuyên"},
        {6, "Chỉ tiêu", "not_found", "CT99"},
        {7, "Giá trị", "invalid_input", "một phẩy năm"},
    };
    assert_errors(r.json, errors, 3);
    assert_string_equal(json_string_value(json_array_get(tk_arr(r.json, "ignored_columns"), 0)), "Đơn vị tính");
    tk_http_result_free(&r);
    assert_int_equal(count(w, path), before);

    const char *cut = strstr(bad, "Tỷ lệ hộ nghèo;;Thường xuyên");
    char *good = strndup(bad, (size_t)(cut - bad));
    post_file(w, "indicator-values", false, csv_type, good, strlen(good), NULL, &r);
    free(good);
    assert_int_equal(r.status, 200);
    assert_int_equal(tk_int(r.json, "created"), 3);
    tk_http_result_free(&r);
    json_t *list = tk_get(w->srv, "%s", path);
    json_t *items = tk_arr(list, "items");
    assert_int_equal(json_array_size(items), before + 3);
    static const struct {
        const char *on;
        double value;
        bool with_org;
    } want[] = {{"2021-06-30", 2.5, true}, {"2022-12-31", 1.75, false}, {"2023-12-31", 1234.5, false}};
    for (size_t i = 0; i < 3; i++) {
        const json_t *v = json_array_get(items, before + i);
        assert_string_equal(tk_str(v, "on_date"), want[i].on);
        assert_true(tk_real(v, "value") == want[i].value);
        if (want[i].with_org) assert_int_equal(tk_int(v, "organization_id"), w->city);
        else assert_true(tk_is_null(v, "organization_id"));
    }
    assert_string_equal(tk_str(json_array_get(items, before), "note"), "Số liệu quý");
    json_decref(list);
}

/* An XLSX number cell is written with a decimal point ("12.75"), never read as thousands. */
static void fill_values(lxw_workbook *wb, lxw_worksheet *ws)
{
    (void)wb;
    worksheet_write_string(ws, 0, 0, "Mã chỉ tiêu", NULL);
    worksheet_write_string(ws, 0, 1, "Năm", NULL);
    worksheet_write_string(ws, 0, 2, "Giá trị", NULL);
    worksheet_write_string(ws, 1, 0, "CT01", NULL);
    worksheet_write_number(ws, 1, 1, 2024, NULL);
    worksheet_write_number(ws, 1, 2, 1.234, NULL);
}

static void xlsx_number_cells_keep_their_decimal_point(void **state)
{
    world *w = *state;
    size_t size;
    unsigned char *data = workbook(fill_values, &size);
    tk_http_result r;
    post_file(w, "indicator-values", true, xlsx_type, data, size, NULL, &r);
    free(data);
    assert_int_equal(r.status, 200);
    json_t *would = tk_arr(r.json, "would_create");
    assert_int_equal(json_array_size(would), 1);
    const json_t *v = tk_obj(json_array_get(would, 0), "object");
    assert_string_equal(tk_str(v, "on_date"), "2024-12-31");
    assert_true(tk_real(v, "value") == 1.234);
    tk_http_result_free(&r);
}

static void organizations_name_parents_from_earlier_rows(void **state)
{
    world *w = *state;
    size_t before = count(w, "/api/v1/organizations?per_page=200");
    static const char csv[] = "Tên,Tên viết tắt,Mã,Cấp trên,Loại\n"
                              "Đảng bộ huyện Gia Lâm,ĐB Gia Lâm,GL,H26,Huyện\n"
                              "Đảng bộ xã Bát Tràng,,GL-BT,GL,Xã\n"
                              "Chi bộ thôn Giang Cao,,,dang bo xa bat trang,Chi bộ\n"
                              "Hội Nông dân huyện,,,ĐB GIA LÂM,\n";
    tk_http_result r;
    post_file(w, "organizations", true, csv_type, csv, strlen(csv), NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_array_size(tk_arr(r.json, "would_create")), 4);
    assert_int_equal(json_array_size(tk_arr(r.json, "errors")), 0);
    tk_http_result_free(&r);
    assert_int_equal(count(w, "/api/v1/organizations?per_page=200"), before);

    post_file(w, "organizations", false, csv_type, csv, strlen(csv), NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *ids = tk_arr(r.json, "created_ids");
    assert_int_equal(json_array_size(ids), 4);
    int64_t id[4];
    for (size_t i = 0; i < 4; i++) id[i] = json_integer_value(json_array_get(ids, i));
    tk_http_result_free(&r);
    static const char *const kinds[] = {"district", "commune", "cell", "other"};
    int64_t parents[] = {w->city, id[0], id[1], id[0]};
    for (size_t i = 0; i < 4; i++) {
        json_t *o = tk_get(w->srv, "/api/v1/organizations/%lld", (long long)id[i]);
        assert_string_equal(tk_str(o, "kind"), kinds[i]);
        assert_int_equal(tk_int(o, "parent_id"), parents[i]);
        json_decref(o);
    }
    assert_int_equal(count(w, "/api/v1/organizations?per_page=200"), before + 4);
}

static void an_editor_cannot_import_organizations(void **state)
{
    world *w = *state;
    size_t before = count(w, "/api/v1/organizations?per_page=200");
    static const char csv[] = "Tên;Cấp trên\nChi bộ mới;HK\n";
    tk_http_result r;
    post_file(w, "organizations", false, csv_type, csv, strlen(csv), w->editor, &r);
    assert_int_equal(r.status, 403);
    tk_assert_error(r.json, "forbidden", NULL, "editor importing organizations");
    tk_http_result_free(&r);
    post_file(w, "organizations", true, csv_type, csv, strlen(csv), w->editor, &r);
    assert_int_equal(r.status, 403);
    tk_http_result_free(&r);
    assert_int_equal(count(w, "/api/v1/organizations?per_page=200"), before);
}

/* The office of the district creates tasks in its subtree only: a task led by the city (which it
 * sees, above it) is refused on its row, a department it does not see is not found. */
static void rows_outside_the_callers_scope_are_refused_one_by_one(void **state)
{
    world *w = *state;
    size_t before = task_count(w);
    static const char csv[] = "Nhiệm vụ;Đơn vị chủ trì;Thời gian hoàn thành\n"
                              "Việc của quận;HK;Quý III/2026\n"
                              "Việc của thành phố;Thành ủy Hà Nội;Quý III/2026\n"
                              "Việc của sở;STC;Quý III/2026\n";
    tk_http_result r;
    post_file(w, "tasks", false, csv_type, csv, strlen(csv), w->office, &r);
    assert_int_equal(r.status, 422);
    static const expected_error errors[] = {
        {3, NULL, "forbidden", "quyền"},
        {4, "Đơn vị chủ trì", "not_found", "STC"},
    };
    assert_errors(tk_obj(tk_obj(r.json, "error"), "report"), errors, 2);
    tk_http_result_free(&r);
    assert_int_equal(task_count(w), before);
}

static void a_missing_column_is_one_error_naming_it(void **state)
{
    world *w = *state;
    static const char csv[] = "Nhiệm vụ;Cơ quan chủ trì;Cơ quan phối hợp\nViệc A;HK;\nViệc B;HK;\n";
    tk_http_result r;
    post_file(w, "tasks", false, csv_type, csv, strlen(csv), NULL, &r);
    assert_int_equal(r.status, 422);
    static const expected_error errors[] = {{1, "Thời hạn", "invalid_input", "Thiếu cột \"Thời hạn\""}};
    assert_errors(tk_obj(tk_obj(r.json, "error"), "report"), errors, 1);
    tk_http_result_free(&r);
}

static void bodies_that_are_not_tables_are_refused(void **state)
{
    world *w = *state;
    tk_http_result r;
    post_file(w, "tasks", true, csv_type, "", 0, NULL, &r);
    assert_int_equal(r.status, 422);
    tk_assert_error(r.json, "invalid_input", "file", "empty body");
    tk_http_result_free(&r);
    post_file(w, "tasks", true, "application/json", "{}", 2, NULL, &r);
    assert_int_equal(r.status, 405);
    tk_assert_error(r.json, "unsupported", "file", "JSON body");
    tk_http_result_free(&r);
    post_file(w, "tasks", true, csv_type, "\xff\xfe" "a;b\n", 6, NULL, &r);
    assert_int_equal(r.status / 100, 4);
    tk_http_result_free(&r);
    post_file(w, "tasks", true, "application/octet-stream", "PK\x03\x04 not a zip", 15, NULL, &r);
    assert_int_equal(r.status / 100, 4);
    tk_http_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dry_run_lists_rows_and_errors_and_changes_nothing),
        cmocka_unit_test(real_run_with_a_bad_row_writes_nothing),
        cmocka_unit_test(clean_real_run_writes_every_row),
        cmocka_unit_test(xlsx_imports_the_same),
        cmocka_unit_test(indicator_values_read_periods_and_decimal_commas),
        cmocka_unit_test(xlsx_number_cells_keep_their_decimal_point),
        cmocka_unit_test(organizations_name_parents_from_earlier_rows),
        cmocka_unit_test(an_editor_cannot_import_organizations),
        cmocka_unit_test(rows_outside_the_callers_scope_are_refused_one_by_one),
        cmocka_unit_test(a_missing_column_is_one_error_naming_it),
        cmocka_unit_test(bodies_that_are_not_tables_are_refused),
    };
    return tk_test_exit(cmocka_run_group_tests(tests, setup, teardown));
}
