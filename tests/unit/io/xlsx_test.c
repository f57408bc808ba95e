/* XLSX writer (src/io/xlsx.c), read back with openpyxl as another program would: the sheets and
 * their legal, unique names; the header row bold and frozen; figures in right-aligned columns
 * stored as numbers with a matching format, everything else as the same bytes it was given;
 * the information sheet; no temporary file left behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/document.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Dumps every sheet of the workbook as JSON: name, frozen cell, column widths and each cell's
 * value, type ("n" number, "s" string), number format and boldness. Debian's python3-openpyxl
 * belongs to /usr/bin/python3, which need not be the python3 on PATH. */
static const char dump_py[] =
    "import json, sys, openpyxl\n"
    "wb = openpyxl.load_workbook(sys.argv[1])\n"
    "sheets = []\n"
    "for ws in wb.worksheets:\n"
    "    rows = [[{'v': c.value, 't': c.data_type, 'f': c.number_format, 'b': bool(c.font.b)} for c in row]\n"
    "            for row in ws.iter_rows()]\n"
    "    widths = {k: v.width for k, v in ws.column_dimensions.items()}\n"
    "    sheets.append({'name': ws.title, 'freeze': ws.freeze_panes, 'widths': widths, 'rows': rows})\n"
    "json.dump(sheets, sys.stdout, ensure_ascii=False)\n";

/* A private directory per test: the workbook, the script, and TMPDIR for the writer, so the
 * test can see that the writer removes its temporary file. */
typedef struct scratch {
    char dir[512];
    char tmp[600];
} scratch;

static void scratch_open(scratch *s)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s/tk-xlsx-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(s->dir)) fail_msg("mkdtemp failed");
    snprintf(s->tmp, sizeof s->tmp, "%s/tmp", s->dir);
    assert_int_equal(mkdir(s->tmp, 0700), 0);
    assert_int_equal(setenv("TMPDIR", s->tmp, 1), 0);
}

static void scratch_close(scratch *s)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
    assert_int_equal(system(cmd), 0);
    unsetenv("TMPDIR");
}

static size_t files_in(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(d);
    return n;
}

static json_t *load(const char *text)
{
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    if (!doc) fail_msg("bad JSON in test (line %d): %s", jerr.line, jerr.text);
    return doc;
}

/* Renders doc, then reads it back through openpyxl; the sheets as dump_py writes them. */
static json_t *render_and_read(scratch *s, const json_t *doc)
{
    unsigned char *data = NULL;
    size_t size = 0;
    tk_error err = {0};
    tk_code rc = tk_xlsx_render(doc, &data, &size, &err);
    if (rc) fail_msg("tk_xlsx_render: %d %s: %s", rc, err.field, err.message);
    assert_int_equal(files_in(s->tmp), 0);

    char path[700], script[700], out[700], cmd[2400];
    snprintf(path, sizeof path, "%s/doc.xlsx", s->dir);
    snprintf(script, sizeof script, "%s/dump.py", s->dir);
    snprintf(out, sizeof out, "%s/dump.json", s->dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
    free(data);
    f = fopen(script, "w");
    assert_non_null(f);
    fputs(dump_py, f);
    assert_int_equal(fclose(f), 0);

    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s' >'%s'", script, path, out);
    int status = system(cmd);
    if (status != 0) fail_msg("openpyxl could not read the workbook (status %d)", status);
    json_error_t jerr;
    json_t *sheets = json_load_file(out, 0, &jerr);
    if (!sheets) fail_msg("openpyxl's dump is not JSON: %s", jerr.text);
    return sheets;
}

static const json_t *sheet(const json_t *sheets, size_t i)
{
    const json_t *s = json_array_get(sheets, i);
    if (!s) fail_msg("no sheet %zu", i);
    return s;
}

static const json_t *cell(const json_t *sheets, size_t s, size_t row, size_t col)
{
    const json_t *c = json_array_get(json_array_get(json_object_get(sheet(sheets, s), "rows"), row), col);
    if (!c) fail_msg("sheet %zu has no cell at row %zu, column %zu", s, row, col);
    return c;
}

static void expect_text(const json_t *sheets, size_t s, size_t row, size_t col, const char *text)
{
    const json_t *c = cell(sheets, s, row, col);
    const char *v = json_string_value(json_object_get(c, "v"));
    if (!v || strcmp(json_string_value(json_object_get(c, "t")), "s") != 0 || strcmp(v, text) != 0)
        fail_msg("sheet %zu row %zu column %zu: expected the text \"%s\", found %s", s, row, col, text,
                 json_dumps(c, JSON_ENCODE_ANY));
}

static bool bold(const json_t *sheets, size_t s, size_t row, size_t col)
{
    return json_is_true(json_object_get(cell(sheets, s, row, col), "b"));
}

static const char *sheet_name(const json_t *sheets, size_t i)
{
    return json_string_value(json_object_get(sheet(sheets, i), "name"));
}

/* The figures of a right-aligned column: which are numbers, with what value and format. */
static const struct {
    const char *name; /* the unit in the first column, stored as text */
    const char *text;
    bool number;
    double value;
    const char *format;
} figures[] = {
    {"Sở Nội vụ", "1.234", true, 1234, "#,##0"},
    {"Sở Tài chính", "85,5", true, 85.5, "#,##0.0"},
    {"Sở Giáo dục và Đào tạo", "85,5 %", true, 0.855, "0.0%"},
    {"Kế hoạch <A&B> \"mới\" & 'x'", "12%", true, 0.12, "0%"},
    {"Ủy ban MTTQ tỉnh", "-1.234.567,89", true, -1234567.89, "#,##0.00"},
    {"Đoàn Thanh niên", "0", true, 0, "#,##0"},
    {"Hội Nông dân", "100 %", true, 1, "0%"},
    {"Hội Cựu chiến binh", "2025", true, 2025, "0"},      /* written without a separator: shown so */
    {"Hội Liên hiệp Phụ nữ", "1.234,5 %", true, 12.345, "#,##0.0%"},
    /* Not Vietnamese numbers, or too long to be one: kept as written. */
    {"Sở Y tế", "1.5", false, 0, NULL},
    {"Sở Xây dựng", "007", false, 0, NULL},
    {"Sở Công Thương", "12 người", false, 0, NULL},
    {"Sở Tư pháp", "1.2345", false, 0, NULL},
    {"Sở Ngoại vụ", " 12", false, 0, NULL},
    {"Sở Du lịch", "1,2,3", false, 0, NULL},
    {"Sở Khoa học", "1234567890123456", false, 0, NULL},
    {"Sở Nội vụ (2)", "Không", false, 0, NULL},
    {"Thanh tra tỉnh", "%", false, 0, NULL},
};

static json_t *two_table_document(void)
{
    json_t *doc = load(
        "{\"layout\": \"party\","
        " \"issuer\": {\"parent\": \"ĐẢNG BỘ THÀNH PHỐ HÀ NỘI\", \"name\": \"THÀNH ỦY\"},"
        " \"number\": \"Số 12-BC/TU\", \"place\": \"Hà Nội\", \"date\": \"2021-03-15\","
        " \"kind\": \"BÁO CÁO\", \"title\": \"Kết quả thực hiện Chương trình số 01-CTr/TU năm 2020\","
        " \"blocks\": ["
        "  {\"type\": \"heading\", \"level\": 1, \"text\": \"I. KẾT QUẢ\"},"
        "  {\"type\": \"table\", \"title\": \"Bảng 1. Tiến độ nhiệm vụ theo đơn vị năm 2021\","
        "   \"columns\": [{\"text\": \"Đơn vị\", \"width\": 4, \"align\": \"left\"},"
        "               {\"text\": \"Giao\", \"width\": 1, \"align\": \"right\"},"
        "               {\"text\": \"Mã\", \"width\": 1, \"align\": \"center\"}],"
        "   \"rows\": [], \"total\": [\"Cộng\", \"1.246\", \"1.246\"]},"
        "  {\"type\": \"paragraph\", \"text\": \"Giữa hai bảng.\"},"
        "  {\"type\": \"table\", \"title\": \"Bảng 2: Chỉ tiêu/2025 [dự kiến]\","
        "   \"columns\": [{\"text\": \"Chỉ tiêu\", \"width\": 3, \"align\": \"left\"},"
        "               {\"text\": \"Năm 2025\", \"width\": 1, \"align\": \"right\"}],"
        "   \"rows\": [[\"Tỷ lệ đô thị hóa\", \"40,5 %\"]]}"
        " ],"
        " \"recipients\": [], \"signature\": {\"authority\": \"\", \"position\": \"BÍ THƯ\", \"name\": \"Nguyễn Văn A\"}}");
    json_t *rows = json_object_get(json_array_get(json_object_get(doc, "blocks"), 1), "rows");
    for (size_t i = 0; i < COUNT(figures); i++)
        json_array_append_new(rows, json_pack("[s, s, s]", figures[i].name, figures[i].text, figures[i].text));
    return doc;
}

static void two_tables_read_back_in_openpyxl(void **state)
{
    (void)state;
    scratch s;
    scratch_open(&s);
    json_t *doc = two_table_document();
    json_t *sheets = render_and_read(&s, doc);

    /* The information sheet first, then one sheet per table, named from its title. */
    assert_int_equal(json_array_size(sheets), 3);
    assert_string_equal(sheet_name(sheets, 0), "Thông tin");
    assert_string_equal(sheet_name(sheets, 1), "Bảng 1. Tiến độ nhiệm vụ theo");
    assert_string_equal(sheet_name(sheets, 2), "Bảng 2 Chỉ tiêu 2025 dự kiến");

    expect_text(sheets, 0, 0, 1, "Số 12-BC/TU");
    expect_text(sheets, 0, 1, 1, "Hà Nội, ngày 15 tháng 3 năm 2021");
    expect_text(sheets, 0, 2, 1, "BÁO CÁO");
    expect_text(sheets, 0, 3, 1, "Kết quả thực hiện Chương trình số 01-CTr/TU năm 2020");
    /* The full titles the sheet names had to shorten. */
    expect_text(sheets, 0, 8, 1, "Bảng 1. Tiến độ nhiệm vụ theo đơn vị năm 2021");
    expect_text(sheets, 0, 9, 0, "Bảng 2 Chỉ tiêu 2025 dự kiến");

    /* The header row: the columns' names, bold, frozen above the data. */
    expect_text(sheets, 1, 0, 0, "Đơn vị");
    expect_text(sheets, 1, 0, 1, "Giao");
    expect_text(sheets, 1, 0, 2, "Mã");
    for (size_t c = 0; c < 3; c++) assert_true(bold(sheets, 1, 0, c));
    assert_string_equal(json_string_value(json_object_get(sheet(sheets, 1), "freeze")), "A2");
    assert_string_equal(json_string_value(json_object_get(sheet(sheets, 2), "freeze")), "A2");
    /* Widths follow the weights 4 : 1 : 1. */
    const json_t *widths = json_object_get(sheet(sheets, 1), "widths");
    double a = json_number_value(json_object_get(widths, "A")), b = json_number_value(json_object_get(widths, "B"));
    assert_true(a > 3.5 * b && a < 4.5 * b);

    for (size_t i = 0; i < COUNT(figures); i++) {
        size_t row = i + 1;
        expect_text(sheets, 1, row, 0, figures[i].name);
        /* The centered column keeps the text even when it reads as a number. */
        expect_text(sheets, 1, row, 2, figures[i].text);
        assert_false(bold(sheets, 1, row, 1));
        if (!figures[i].number) {
            expect_text(sheets, 1, row, 1, figures[i].text);
            continue;
        }
        const json_t *c = cell(sheets, 1, row, 1);
        const json_t *v = json_object_get(c, "v");
        if (!json_is_number(v) || fabs(json_number_value(v) - figures[i].value) > 1e-9 * fmax(1, fabs(figures[i].value)))
            fail_msg("\"%s\" should be the number %g, found %s", figures[i].text, figures[i].value,
                     json_dumps(c, JSON_ENCODE_ANY));
        assert_string_equal(json_string_value(json_object_get(c, "f")), figures[i].format);
    }
    /* "1.234" is the integer 1234 and "85,5 %" exactly the double 0.855. */
    assert_true(json_is_integer(json_object_get(cell(sheets, 1, 1, 1), "v")));
    assert_true(json_real_value(json_object_get(cell(sheets, 1, 3, 1), "v")) == 0.855);

    /* The total row, bold, its figure a number too. */
    size_t total = COUNT(figures) + 1;
    expect_text(sheets, 1, total, 0, "Cộng");
    assert_true(json_number_value(json_object_get(cell(sheets, 1, total, 1), "v")) == 1246);
    expect_text(sheets, 1, total, 2, "1.246");
    for (size_t c = 0; c < 3; c++) assert_true(bold(sheets, 1, total, c));
    assert_int_equal(json_array_size(json_object_get(sheet(sheets, 1), "rows")), total + 1);

    expect_text(sheets, 2, 1, 0, "Tỷ lệ đô thị hóa");
    assert_true(json_real_value(json_object_get(cell(sheets, 2, 1, 1), "v")) == 0.405);

    json_decref(sheets);
    json_decref(doc);
    scratch_close(&s);
}

static void sheet_names_are_legal_and_unique(void **state)
{
    (void)state;
    static const struct {
        const char *title; /* NULL: the table has no title */
        const char *name;
    } tables[] = {
        {"Tổng hợp", "Tổng hợp"},
        {"tổng hợp", "tổng hợp (2)"},          /* Excel ignores case */
        {NULL, "Bảng 3"},
        {"Thông tin", "Thông tin (2)"},        /* the information sheet's name */
        {"'''", "Bảng 5"},                     /* nothing left once the apostrophes go */
        {"History", "History (2)"},            /* Excel keeps it for itself */
        {"Bảng 7. Kết quả thực hiện các chỉ tiêu chủ yếu", "Bảng 7. Kết quả thực hiện các"},
        {"Bảng 7. Kết quả thực hiện các chỉ tiêu chủ yếu", "Bảng 7. Kết quả thực hiện (2)"},
        {"a*b?c:d/e\\f[g]h", "a b c d e f g h"},
        {"Dòng\tmột\x01 hai", "Dòng một hai"},
        {"Nhiệmvụ1234567890123456789012345", "Nhiệmvụ123456789012345678901234"}, /* one word: cut inside */
    };
    json_t *doc = load(
        "{\"layout\": \"state\", \"issuer\": {\"parent\": \"UBND TỈNH THANH HÓA\", \"name\": \"SỞ NỘI VỤ\"},"
        " \"number\": \"Số: 123/BC-SNV\", \"place\": \"Thanh Hóa\", \"date\": \"2022-01-05\","
        " \"kind\": \"BÁO CÁO\", \"title\": \"\", \"blocks\": [], \"recipients\": [],"
        " \"signature\": {\"authority\": \"\", \"position\": \"GIÁM ĐỐC\", \"name\": \"Lê Văn B\"}}");
    json_t *blocks = json_object_get(doc, "blocks");
    for (size_t i = 0; i < COUNT(tables); i++) {
        json_t *t = json_pack("{s:s, s:[{s:s, s:i, s:s}], s:[[s]]}", "type", "table", "columns", "text", "Cột", "width", 1,
                              "align", "left", "rows", "x");
        if (tables[i].title) json_object_set_new(t, "title", json_string(tables[i].title));
        json_array_append_new(blocks, t);
    }
    scratch s;
    scratch_open(&s);
    json_t *sheets = render_and_read(&s, doc);
    assert_int_equal(json_array_size(sheets), COUNT(tables) + 1);
    assert_string_equal(sheet_name(sheets, 0), "Thông tin");
    for (size_t i = 0; i < COUNT(tables); i++)
        if (strcmp(sheet_name(sheets, i + 1), tables[i].name) != 0)
            fail_msg("table %zu is on sheet \"%s\", expected \"%s\"", i + 1, sheet_name(sheets, i + 1), tables[i].name);
    json_decref(sheets);
    json_decref(doc);
    scratch_close(&s);
}

static void a_document_without_tables_has_only_the_info_sheet(void **state)
{
    (void)state;
    json_t *doc = load(
        "{\"layout\": \"party\", \"issuer\": {\"parent\": \"\", \"name\": \"ĐẢNG ỦY KHỐI\"},"
        " \"number\": \"Số 3-BC/ĐU\", \"place\": \"Hà Nội\", \"date\": \"2023-02-01\","
        " \"kind\": \"BÁO CÁO\", \"title\": \"Sơ kết\","
        " \"blocks\": [{\"type\": \"paragraph\", \"text\": \"Không có bảng.\"}], \"recipients\": [],"
        " \"signature\": {\"authority\": \"\", \"position\": \"BÍ THƯ\", \"name\": \"Phạm D\"}}");
    scratch s;
    scratch_open(&s);
    json_t *sheets = render_and_read(&s, doc);
    assert_int_equal(json_array_size(sheets), 1);
    assert_string_equal(sheet_name(sheets, 0), "Thông tin");
    expect_text(sheets, 0, 0, 1, "Số 3-BC/ĐU");
    expect_text(sheets, 0, 1, 1, "Hà Nội, ngày 01 tháng 02 năm 2023");
    json_decref(sheets);
    json_decref(doc);
    scratch_close(&s);
}

static void a_malformed_document_is_refused_with_its_field(void **state)
{
    (void)state;
    json_t *doc = two_table_document();
    json_object_set_new(json_array_get(json_object_get(doc, "blocks"), 3), "total", json_pack("[s]", "Cộng"));
    unsigned char *data = (unsigned char *)"unchanged";
    size_t size = 7;
    tk_error err = {0};
    assert_int_equal(tk_xlsx_render(doc, &data, &size, &err), TK_INVALID_INPUT);
    assert_string_equal(err.field, "blocks[3].total");
    assert_null(data);
    assert_int_equal(size, 0);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_tables_read_back_in_openpyxl),
        cmocka_unit_test(sheet_names_are_legal_and_unique),
        cmocka_unit_test(a_document_without_tables_has_only_the_info_sheet),
        cmocka_unit_test(a_malformed_document_is_refused_with_its_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
