/* io/table: CSV and XLSX files as people keep them. The XLSX files are written here, with
 * libxlsxwriter (as Excel would write them: shared strings, styles, dates) and by hand with
 * libzip (inline strings, odd but valid layouts, and broken or hostile files). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <zip.h>

#include "io/table.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One expected row: its line and its cells, NULL after the last. */
typedef struct row_want {
    uint32_t line;
    const char *cells[16];
} row_want;

/* Checks the first n rows of t. */
static void expect_first_rows(const tk_table *t, const row_want *rows, size_t n, const char *what)
{
    if (tk_table_row_count(t) < n)
        fail_msg("%s: %zu rows, want at least %zu", what, tk_table_row_count(t), n);
    for (size_t r = 0; r < n; r++) {
        size_t cells = 0;
        while (rows[r].cells[cells]) cells++;
        if (tk_table_line(t, r) != rows[r].line)
            fail_msg("%s: row %zu on line %u, want %u", what, r, tk_table_line(t, r), rows[r].line);
        if (tk_table_cell_count(t, r) != cells)
            fail_msg("%s: row %zu has %zu cells, want %zu", what, r, tk_table_cell_count(t, r), cells);
        for (size_t c = 0; c < cells; c++)
            if (strcmp(tk_table_cell(t, r, c), rows[r].cells[c]) != 0)
                fail_msg("%s: row %zu cell %zu is \"%s\", want \"%s\"", what, r, c,
                         tk_table_cell(t, r, c), rows[r].cells[c]);
    }
}

/* Checks that t has exactly these rows. */
static void expect_rows(const tk_table *t, const row_want *rows, size_t n, const char *what)
{
    if (tk_table_row_count(t) != n)
        fail_msg("%s: %zu rows, want %zu", what, tk_table_row_count(t), n);
    expect_first_rows(t, rows, n, what);
}

static tk_table *csv_ok(const char *data, size_t size)
{
    tk_table *t = NULL;
    tk_error err;
    tk_error_clear(&err);
    tk_code rc = tk_table_read_csv(data, size, &t, &err);
    if (rc != TK_OK) fail_msg("CSV refused: %s", err.message);
    assert_non_null(t);
    return t;
}

/* Reads a CSV file that must be refused with code and a message containing each of parts. */
static void csv_refused(const char *data, size_t size, tk_code code, const char *const *parts)
{
    tk_table *t = (tk_table *)1;
    tk_error err;
    tk_error_clear(&err);
    tk_code rc = tk_table_read_csv(data, size, &t, &err);
    if (rc != code || err.code != code)
        fail_msg("got %d (%s), want %d", rc, err.message, code);
    assert_null(t);
    assert_string_equal(err.field, "file");
    for (; *parts; parts++)
        if (!strstr(err.message, *parts)) fail_msg("\"%s\" does not say \"%s\"", err.message, *parts);
}

/* ---- CSV ---- */

static void test_csv_semicolons_from_excel(void **state)
{
    (void)state;
    /* Excel in the Vietnamese locale: BOM, ';', CRLF, ";;" for an empty row. */
    static const char data[] =
        "\xEF\xBB\xBFTên nhiệm vụ;Đơn vị chủ trì;Thời hạn;Tỷ lệ\r\n"
        "Xây dựng đề án;Sở Nội vụ;Quý II/2021;85,5\r\n"
        ";;;\r\n"
        "Báo cáo;\"Sở Tài chính; Sở KH&ĐT\";30/06/2021;1.234,5\r\n";
    tk_table *t = csv_ok(data, sizeof data - 1);
    static const row_want rows[] = {
        {1, {"Tên nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tỷ lệ"}},
        {2, {"Xây dựng đề án", "Sở Nội vụ", "Quý II/2021", "85,5"}},
        {4, {"Báo cáo", "Sở Tài chính; Sở KH&ĐT", "30/06/2021", "1.234,5"}},
    };
    expect_rows(t, rows, COUNT(rows), "excel csv");
    assert_int_equal(tk_table_cell_kind(t, 1, 3), TK_TABLE_TEXT);
    tk_table_free(t);
}

static void test_csv_quotes(void **state)
{
    (void)state;
    static const char data[] = "a,b\n"
                               "\"x, y\",\"He said \"\"hi\"\"\"\n"
                               "\"multi\r\nline\",z\n"
                               "\"two\nlines\nmore\",\"\"\n"
                               "last,\"\"\"\"\n"
                               "\"a\"  ,b\n"
                               "mid\"quote,\"\"\n";
    tk_table *t = csv_ok(data, sizeof data - 1);
    static const row_want rows[] = {
        {1, {"a", "b"}},
        {2, {"x, y", "He said \"hi\""}},
        {3, {"multi\nline", "z"}}, /* CRLF inside a cell is one "\n" */
        {5, {"two\nlines\nmore", ""}},
        {8, {"last", "\""}},
        {9, {"a", "b"}},          /* spaces after a closing quote are dropped */
        {10, {"mid\"quote", ""}}, /* a quote inside an unquoted cell is a character */
    };
    expect_rows(t, rows, COUNT(rows), "quotes");
    tk_table_free(t);
}

static void test_csv_line_ends(void **state)
{
    (void)state;
    static const struct {
        const char *data;
        const char *what;
    } files[] = {
        {"a;b\nc;d\n", "LF"},
        {"a;b\r\nc;d\r\n", "CRLF"},
        {"a;b\rc;d\r", "CR"},
        {"a;b\nc;d", "no final line end"},
        {"a;b\r\nc;d", "CRLF, no final line end"},
    };
    static const row_want rows[] = {{1, {"a", "b"}}, {2, {"c", "d"}}};
    for (size_t i = 0; i < COUNT(files); i++) {
        tk_table *t = csv_ok(files[i].data, strlen(files[i].data));
        expect_rows(t, rows, COUNT(rows), files[i].what);
        tk_table_free(t);
    }
    /* Mixed line ends count one line each: CR LF is one, LF CR is two. */
    static const char mixed[] = "a\r\n\n\rb\n\rc";
    tk_table *t = csv_ok(mixed, sizeof mixed - 1);
    static const row_want mixed_rows[] = {{1, {"a"}}, {4, {"b"}}, {6, {"c"}}};
    expect_rows(t, mixed_rows, COUNT(mixed_rows), "mixed");
    tk_table_free(t);
}

static void test_csv_blank_rows(void **state)
{
    (void)state;
    static const char data[] = "\n\n"
                               "a,b\n"
                               "   \n"
                               ",\n"
                               "\"\",\"\"\n"
                               " , \t\n"
                               "\xC2\xA0,\n"
                               "c,d\n"
                               "\n";
    tk_table *t = csv_ok(data, sizeof data - 1);
    static const row_want rows[] = {{3, {"a", "b"}}, {9, {"c", "d"}}};
    expect_rows(t, rows, COUNT(rows), "blank rows");
    tk_table_free(t);

    t = csv_ok("", 0);
    assert_int_equal(tk_table_row_count(t), 0);
    tk_table_free(t);
    t = csv_ok("\xEF\xBB\xBF\r\n\r\n", 7);
    assert_int_equal(tk_table_row_count(t), 0);
    tk_table_free(t);
}

static void test_csv_cells_as_written(void **state)
{
    (void)state;
    /* Trailing empty cells are kept, spaces inside cells are kept, rows may be ragged. */
    static const char data[] = "a,b,\n 1 ,,\nonly\nx,y,z,w\n";
    tk_table *t = csv_ok(data, sizeof data - 1);
    static const row_want rows[] = {
        {1, {"a", "b", ""}},
        {2, {" 1 ", "", ""}},
        {3, {"only"}},
        {4, {"x", "y", "z", "w"}},
    };
    expect_rows(t, rows, COUNT(rows), "as written");
    /* Past the end of a row or of the table: "" and 0, never a crash. */
    assert_string_equal(tk_table_cell(t, 2, 1), "");
    assert_string_equal(tk_table_cell(t, 2, 1000), "");
    assert_string_equal(tk_table_cell(t, 99, 0), "");
    assert_int_equal(tk_table_cell_count(t, 99), 0);
    assert_int_equal(tk_table_line(t, 99), 0);
    assert_int_equal(tk_table_cell_kind(t, 99, 0), TK_TABLE_TEXT);
    assert_string_equal(tk_table_cell(NULL, 0, 0), "");
    assert_int_equal(tk_table_row_count(NULL), 0);
    tk_table_free(t);
    tk_table_free(NULL);
}

static void test_csv_delimiter(void **state)
{
    (void)state;
    static const struct {
        const char *data;
        row_want first;
    } files[] = {
        {"a,b,c\n", {1, {"a", "b", "c"}}},
        {"a;b;c\n", {1, {"a", "b", "c"}}},
        {"a\tb\tc\n", {1, {"a", "b", "c"}}},
        /* the most frequent wins: commas inside ';' headers stay text */
        {"Tên, họ;Năm;Ghi chú\n", {1, {"Tên, họ", "Năm", "Ghi chú"}}},
        {"Số 1,5;Số 2,5;c,d,e\n", {1, {"Số 1", "5;Số 2", "5;c", "d", "e"}}},
        /* ties: ';' before tab before ',' */
        {"a;b,c\n", {1, {"a", "b,c"}}},
        {"a\tb,c\n", {1, {"a", "b,c"}}},
        {"a;b\tc\n", {1, {"a", "b\tc"}}},
        /* quoted delimiters do not count */
        {"\"a;b;c\",d\n", {1, {"a;b;c", "d"}}},
        {"\"x\ny;z;w\",q\n", {1, {"x\ny;z;w", "q"}}},
        /* a title line without delimiters: the first line that has one decides */
        {"DANH SÁCH NHIỆM VỤ\nTên;Năm\n", {1, {"DANH SÁCH NHIỆM VỤ"}}},
        /* no delimiter anywhere: one column */
        {"Tên nhiệm vụ\n", {1, {"Tên nhiệm vụ"}}},
    };
    tk_table *t;
    for (size_t i = 0; i < COUNT(files); i++) {
        t = csv_ok(files[i].data, strlen(files[i].data));
        expect_first_rows(t, &files[i].first, 1, files[i].data);
        tk_table_free(t);
    }
    /* Excel's "sep=" line names the delimiter and is not a row. */
    static const char sep[] = "sep=,\r\nTên;họ,Năm\r\nA;B,2021\r\n";
    t = csv_ok(sep, sizeof sep - 1);
    static const row_want sep_rows[] = {{2, {"Tên;họ", "Năm"}}, {3, {"A;B", "2021"}}};
    expect_rows(t, sep_rows, COUNT(sep_rows), "sep= line");
    tk_table_free(t);
    static const char sep_tab[] = "sep=\t\na;b\tc\n";
    t = csv_ok(sep_tab, sizeof sep_tab - 1);
    static const row_want tab_rows[] = {{2, {"a;b", "c"}}};
    expect_rows(t, tab_rows, COUNT(tab_rows), "sep=tab");
    tk_table_free(t);
    /* Not a "sep=" line: an ordinary header. */
    static const char not_sep[] = "sep=;x\n1;2\n";
    t = csv_ok(not_sep, sizeof not_sep - 1);
    static const row_want not_sep_rows[] = {{1, {"sep=", "x"}}, {2, {"1", "2"}}};
    expect_rows(t, not_sep_rows, COUNT(not_sep_rows), "not sep=");
    tk_table_free(t);

    static const char titled[] = "DANH SÁCH\nTên;Năm\nA;2021\n";
    t = csv_ok(titled, sizeof titled - 1);
    static const row_want rows[] = {{1, {"DANH SÁCH"}}, {2, {"Tên", "Năm"}}, {3, {"A", "2021"}}};
    expect_rows(t, rows, COUNT(rows), "title line");
    tk_table_free(t);
}

static void test_csv_nfc(void **state)
{
    (void)state;
    /* "Đơn vị" typed on a Mac: decomposed. The table holds NFC. */
    static const char data[] = "\xC4\x90o\xCC\x9B\xCC\x81n vi\xCC\xA3,x\n";
    tk_table *t = csv_ok(data, sizeof data - 1);
    assert_string_equal(tk_table_cell(t, 0, 0), "Đớn vị");
    tk_table_free(t);
}

static void test_csv_not_utf8(void **state)
{
    (void)state;
    /* "Sở Nội vụ" in Windows-1258 on line 3. */
    static const char cp1258[] = "Tên;Năm\r\nA;2021\r\nS\xD5 N\xD4i v\xF2;2021\r\n";
    static const char *const line3[] = {"Dòng 3", "UTF-8", "Windows-1258", "CSV UTF-8", NULL};
    csv_refused(cp1258, sizeof cp1258 - 1, TK_INVALID_UTF8, line3);

    /* "Hà Nội" in CP1252 inside a quoted cell that started on line 1: the line of the byte. */
    static const char quoted[] = "\"a\nb\nH\xE0 N\xF4i\",c\n";
    static const char *const in_quotes[] = {"Dòng 3", "CSV UTF-8", NULL};
    csv_refused(quoted, sizeof quoted - 1, TK_INVALID_UTF8, in_quotes);

    static const char utf16[] = "\xFF\xFE" "a\0;\0b\0";
    static const char *const says_utf16[] = {"UTF-16", "CSV UTF-8", NULL};
    csv_refused(utf16, sizeof utf16 - 1, TK_INVALID_UTF8, says_utf16);

    static const char xlsx[] = "PK\x03\x04\x14\0\0\0";
    static const char *const says_xlsx[] = {"tệp Excel (.xlsx)", NULL};
    csv_refused(xlsx, sizeof xlsx - 1, TK_INVALID_INPUT, says_xlsx);

    /* A lone continuation byte, an overlong form and a surrogate are not UTF-8 either. */
    static const char *const bad[] = {"a\x80", "a\xC0\xAF", "a\xED\xA0\x80", "a\xF4\x90\x80\x80"};
    static const char *const line1[] = {"Dòng 1", NULL};
    for (size_t i = 0; i < COUNT(bad); i++) csv_refused(bad[i], strlen(bad[i]), TK_INVALID_UTF8, line1);
}

static void test_csv_quote_errors(void **state)
{
    (void)state;
    static const char open[] = "a,b\nc,\"open\nmore\n";
    static const char *const says_open[] = {"Dòng 2, cột 2", "không được đóng", NULL};
    csv_refused(open, sizeof open - 1, TK_INVALID_INPUT, says_open);

    static const char after[] = "a;b\n\"x\"y;z\n";
    static const char *const says_after[] = {"Dòng 2, cột 1", "sau dấu ngoặc kép đóng", "\"\"",
                                             NULL};
    csv_refused(after, sizeof after - 1, TK_INVALID_INPUT, says_after);

    /* The line of the closing quote, not of the opening one. */
    static const char later[] = "a;b\n\"x\n\n\"y;z\n";
    static const char *const says_later[] = {"Dòng 4, cột 1", NULL};
    csv_refused(later, sizeof later - 1, TK_INVALID_INPUT, says_later);

    static const char control[] = "a,b\nc,d\x01" "e\n";
    static const char *const says_control[] = {"Dòng 2, cột 2: ", "điều khiển", NULL};
    csv_refused(control, sizeof control - 1, TK_INVALID_INPUT, says_control);

    static const char nul[] = "a,b\nc\0d,e\n";
    static const char *const says_nul[] = {"Dòng 2, cột 1: ", NULL};
    csv_refused(nul, sizeof nul - 1, TK_INVALID_INPUT, says_nul);

    tk_table *t = (tk_table *)1;
    tk_error err;
    assert_int_equal(tk_table_read_csv(NULL, 5, &t, &err), TK_INVALID_INPUT);
    assert_null(t);
}

/* A CSV file of rows lines, each of cols cells of cell_len 'x's (quoted when quote). */
static char *make_csv(size_t rows, size_t cols, size_t cell_len, bool quote, size_t *size)
{
    size_t row_len = cols * (cell_len + 3) + 1;
    char *data = malloc(rows * row_len + 1), *p = data;
    assert_non_null(data);
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++) {
            if (c) *p++ = ';';
            if (quote) *p++ = '"';
            memset(p, 'x', cell_len);
            p += cell_len;
            if (quote) *p++ = '"';
        }
        *p++ = '\n';
    }
    *size = (size_t)(p - data);
    return data;
}

static void test_csv_caps(void **state)
{
    (void)state;
    size_t size;
    char *data;
    tk_table *t;

    data = make_csv(2, TK_TABLE_COLUMNS_MAX, 1, false, &size);
    t = csv_ok(data, size);
    assert_int_equal(tk_table_cell_count(t, 1), TK_TABLE_COLUMNS_MAX);
    tk_table_free(t);
    free(data);
    data = make_csv(2, TK_TABLE_COLUMNS_MAX + 1, 1, false, &size);
    static const char *const columns[] = {"Dòng 1 có hơn 200 cột", NULL};
    csv_refused(data, size, TK_TOO_LARGE, columns);
    free(data);

    for (int quote = 0; quote <= 1; quote++) {
        data = make_csv(2, 1, TK_TABLE_CELL_MAX, quote, &size);
        t = csv_ok(data, size);
        assert_int_equal(strlen(tk_table_cell(t, 1, 0)), TK_TABLE_CELL_MAX);
        tk_table_free(t);
        free(data);
        data = make_csv(2, 1, TK_TABLE_CELL_MAX + 1, quote, &size);
        static const char *const cell[] = {"Dòng 1, cột 1: ô dài hơn 64 KiB", NULL};
        csv_refused(data, size, TK_TOO_LARGE, cell);
        free(data);
    }

    data = make_csv(TK_TABLE_ROWS_MAX, 1, 1, false, &size);
    t = csv_ok(data, size);
    assert_int_equal(tk_table_row_count(t), TK_TABLE_ROWS_MAX);
    assert_int_equal(tk_table_line(t, TK_TABLE_ROWS_MAX - 1), TK_TABLE_ROWS_MAX);
    tk_table_free(t);
    free(data);
    /* Blank lines do not count against the cap. */
    data = make_csv(TK_TABLE_ROWS_MAX + 1, 1, 1, false, &size);
    data[0] = ' ';
    t = csv_ok(data, size);
    assert_int_equal(tk_table_row_count(t), TK_TABLE_ROWS_MAX);
    tk_table_free(t);
    data[0] = 'x';
    static const char *const rows[] = {"hơn 100.000 dòng", "dòng 100001", NULL};
    csv_refused(data, size, TK_TOO_LARGE, rows);
    free(data);
}

/* ---- XLSX ---- */

static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)n + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return data;
}

static void temp_path(char path[256])
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, 256, "%s/tk-table-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) fail_msg("mkstemp %s", path);
    close(fd);
}

static tk_table *xlsx_ok(const unsigned char *data, size_t size)
{
    tk_table *t = NULL;
    tk_error err;
    tk_error_clear(&err);
    tk_code rc = tk_table_read_xlsx(data, size, &t, &err);
    if (rc != TK_OK) fail_msg("XLSX refused: %s", err.message);
    assert_non_null(t);
    return t;
}

static void xlsx_refused(const unsigned char *data, size_t size, tk_code code,
                         const char *const *parts)
{
    tk_table *t = (tk_table *)1;
    tk_error err;
    tk_error_clear(&err);
    tk_code rc = tk_table_read_xlsx(data, size, &t, &err);
    if (rc != code || err.code != code) fail_msg("got %d (%s), want %d", rc, err.message, code);
    assert_null(t);
    assert_string_equal(err.field, "file");
    for (; *parts; parts++)
        if (!strstr(err.message, *parts)) fail_msg("\"%s\" does not say \"%s\"", err.message, *parts);
}

/* A workbook as Excel users make them, written by libxlsxwriter. */
static unsigned char *excel_workbook(size_t *size)
{
    char path[256];
    temp_path(path);
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Nhiệm vụ");
    lxw_worksheet *other = workbook_add_worksheet(wb, "Trang 2");
    worksheet_write_string(other, 0, 0, "not the first sheet", NULL);

    lxw_format *dmy = workbook_add_format(wb);
    format_set_num_format(dmy, "dd/mm/yyyy");
    lxw_format *builtin = workbook_add_format(wb);
    format_set_num_format_index(builtin, 14);
    lxw_format *long_date = workbook_add_format(wb);
    format_set_num_format(long_date, "[$-42A]d mmmm yyyy");
    lxw_format *time = workbook_add_format(wb);
    format_set_num_format(time, "hh:mm");
    lxw_format *percent = workbook_add_format(wb);
    format_set_num_format(percent, "0.0%");
    lxw_format *days = workbook_add_format(wb);
    format_set_num_format(days, "0 \"days\"");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);

    /* row 1: headers */
    static const char *const headers[] = {"Tên nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tỷ lệ",
                                          "Hoàn thành"};
    for (int c = 0; c < 5; c++) worksheet_write_string(ws, 0, (lxw_col_t)c, headers[c], bold);
    /* row 2 */
    lxw_datetime march15 = {2021, 3, 15, 0, 0, 0};
    worksheet_write_string(ws, 1, 0, "Xây dựng đề án", NULL);
    worksheet_write_string(ws, 1, 1, "Sở Nội vụ", NULL);
    worksheet_write_datetime(ws, 1, 2, &march15, dmy);
    worksheet_write_number(ws, 1, 3, 85.5, NULL);
    worksheet_write_boolean(ws, 1, 4, 1, NULL);
    /* row 3: B3 left empty, C3 a date-time in the built-in date format */
    lxw_datetime leap = {2024, 2, 29, 18, 30, 0};
    worksheet_write_string(ws, 2, 0, "Báo cáo", NULL);
    worksheet_write_datetime(ws, 2, 2, &leap, builtin);
    worksheet_write_number(ws, 2, 3, 1234, NULL);
    worksheet_write_boolean(ws, 2, 4, 0, NULL);
    /* row 4: only formatting, skipped */
    worksheet_write_blank(ws, 3, 0, bold);
    worksheet_write_string(ws, 3, 2, "   ", NULL);
    /* row 5: the same text again (one shared string), numbers that are not dates, a gap */
    worksheet_write_string(ws, 4, 0, "Sở Nội vụ", NULL);
    worksheet_write_number(ws, 4, 1, 45000, NULL);
    worksheet_write_number(ws, 4, 2, 0.1, NULL);
    worksheet_write_number(ws, 4, 3, 0.855, percent);
    worksheet_write_number(ws, 4, 4, 12, days);
    worksheet_write_string(ws, 4, 6, "Ghi chú", NULL);
    /* row 6: rich text, a time, a long date, extreme numbers */
    lxw_rich_string_tuple part1 = {.format = bold, .string = "Đảng bộ "};
    lxw_rich_string_tuple part2 = {.format = NULL, .string = "Thành phố"};
    lxw_rich_string_tuple *rich[] = {&part1, &part2, NULL};
    worksheet_write_rich_string(ws, 5, 0, rich, NULL);
    worksheet_write_number(ws, 5, 1, 0.5, time);
    lxw_datetime vn_day = {1975, 4, 30, 0, 0, 0};
    worksheet_write_datetime(ws, 5, 2, &vn_day, long_date);
    worksheet_write_number(ws, 5, 3, 1e21, NULL);
    worksheet_write_number(ws, 5, 4, -0.125, NULL);
    worksheet_write_number(ws, 5, 5, 1.0 / 3, NULL);
    worksheet_write_number(ws, 5, 6, 1.234, NULL);
    /* row 7: decomposed Vietnamese, a line break in a cell, a formula with its result */
    worksheet_write_string(ws, 6, 0, "Ha\xCC\x80 No\xCC\xA3\xCC\x82i", NULL);
    worksheet_write_string(ws, 6, 1, "Dòng 1\nDòng 2", NULL);
    worksheet_write_formula_num(ws, 6, 2, "=D3*2", NULL, 2468);
    worksheet_write_number(ws, 6, 3, 123456789012, NULL);
    worksheet_write_number(ws, 6, 4, 0.000001, NULL);
    worksheet_write_number(ws, 6, 5, 1e-7, NULL);
    worksheet_write_datetime(ws, 6, 6, &(lxw_datetime){1900, 1, 1, 0, 0, 0}, dmy);

    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    unsigned char *data = read_file(path, size);
    unlink(path);
    return data;
}

static void test_xlsx_from_excel_writer(void **state)
{
    (void)state;
    size_t size;
    unsigned char *data = excel_workbook(&size);
    tk_table *t = xlsx_ok(data, size);
    static const row_want rows[] = {
        {1, {"Tên nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tỷ lệ", "Hoàn thành"}},
        {2, {"Xây dựng đề án", "Sở Nội vụ", "15/03/2021", "85.5", "TRUE"}},
        {3, {"Báo cáo", "", "29/02/2024", "1234", "FALSE"}},
        {5, {"Sở Nội vụ", "45000", "0.1", "0.855", "12", "", "Ghi chú"}},
        {6, {"Đảng bộ Thành phố", "0.5", "30/04/1975", "1e+21", "-0.125", "0.3333333333333333",
             "1.234"}},
        {7, {"Hà Nội", "Dòng 1\nDòng 2", "2468", "123456789012", "0.000001", "1e-7",
             "01/01/1900"}},
    };
    expect_rows(t, rows, COUNT(rows), "libxlsxwriter workbook");
    static const struct {
        size_t row, col;
        tk_table_kind kind;
    } kinds[] = {
        {0, 0, TK_TABLE_TEXT},    {1, 2, TK_TABLE_DATE},    {1, 3, TK_TABLE_NUMBER},
        {1, 4, TK_TABLE_BOOLEAN}, {2, 1, TK_TABLE_TEXT},    {2, 2, TK_TABLE_DATE},
        {2, 4, TK_TABLE_BOOLEAN}, {3, 1, TK_TABLE_NUMBER},  {3, 3, TK_TABLE_NUMBER},
        {3, 4, TK_TABLE_NUMBER},  {4, 1, TK_TABLE_NUMBER},  {4, 2, TK_TABLE_DATE},
        {5, 2, TK_TABLE_NUMBER},  {5, 6, TK_TABLE_DATE},
    };
    for (size_t i = 0; i < COUNT(kinds); i++)
        if (tk_table_cell_kind(t, kinds[i].row, kinds[i].col) != kinds[i].kind)
            fail_msg("cell %zu,%zu is kind %d, want %d", kinds[i].row, kinds[i].col,
                     tk_table_cell_kind(t, kinds[i].row, kinds[i].col), kinds[i].kind);
    tk_table_free(t);
    free(data);
}

typedef struct part {
    const char *name;
    const char *text;
} part;

/* An .xlsx archive holding the given parts, built with libzip; NULL text ends the list. */
static unsigned char *make_zip(const part *parts, size_t *size)
{
    char path[256];
    temp_path(path);
    int zerr = 0;
    zip_t *zip = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!zip) fail_msg("zip_open %s: %d", path, zerr);
    for (; parts->name; parts++) {
        zip_source_t *src = zip_source_buffer(zip, parts->text, strlen(parts->text), 0);
        assert_non_null(src);
        assert_true(zip_file_add(zip, parts->name, src, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(zip), 0);
    unsigned char *data = read_file(path, size);
    unlink(path);
    return data;
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define REL_NS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define RELS_OPEN "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
#define REL(id, type, target)                                                                      \
    "<Relationship Id=\"" id "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"    \
    "relationships/" type "\" Target=\"" target "\"/>"

static const char basic_workbook[] =
    "<workbook " NS " " REL_NS "><sheets><sheet name=\"A\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
    "</workbook>";
static const char basic_rels[] = RELS_OPEN REL("rId1", "worksheet", "worksheets/sheet1.xml")
    "</Relationships>";

/* A workbook of one sheet whose sheetData is rows. */
static unsigned char *one_sheet(const char *rows, const char *styles, size_t *size)
{
    size_t n = strlen(rows) + 200;
    char *sheet = malloc(n);
    assert_non_null(sheet);
    snprintf(sheet, n, "<worksheet " NS "><sheetData>%s</sheetData></worksheet>", rows);
    part parts[] = {
        {"xl/workbook.xml", basic_workbook},
        {"xl/_rels/workbook.xml.rels", basic_rels},
        {"xl/worksheets/sheet1.xml", sheet},
        {styles ? "xl/styles.xml" : NULL, styles},
        {NULL, NULL},
    };
    unsigned char *data = make_zip(parts, size);
    free(sheet);
    return data;
}

static void test_xlsx_inline_strings_by_hand(void **state)
{
    (void)state;
    /* Prefixed elements, a chartsheet listed first, a sheet at a path of its own, inline
     * strings with runs and phonetic text, cells and rows without references, escapes. */
    static const char workbook[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        "<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " REL_NS
        "><x:sheets><x:sheet name=\"Biểu đồ\" sheetId=\"2\" r:id=\"rId7\"/>"
        "<x:sheet name=\"Dữ liệu\" sheetId=\"1\" r:id=\"rId3\"/></x:sheets></x:workbook>";
    static const char rels[] = RELS_OPEN
        REL("rId7", "chartsheet", "chartsheets/sheet1.xml")
        REL("rId3", "worksheet", "/xl/worksheets/data.xml") "</Relationships>";
    static const char sheet[] =
        "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<x:sheetData>"
        "<x:row r=\"2\"><x:c r=\"A2\" t=\"inlineStr\"><x:is><x:t>Mã</x:t></x:is></x:c>"
        "<x:c r=\"C2\" t=\"inlineStr\"><x:is><x:r><x:t xml:space=\"preserve\">Tên </x:t></x:r>"
        "<x:r><x:rPr><x:b/></x:rPr><x:t>đơn vị</x:t></x:r>"
        "<x:rPh sb=\"0\" eb=\"1\"><x:t>phonetic</x:t></x:rPh></x:is></x:c></x:row>"
        "<x:row r=\"4\"><x:c r=\"A4\"><x:v>7</x:v></x:c>"
        "<x:c r=\"B4\" t=\"str\"><x:f>A4&amp;\"x\"</x:f><x:v>công_x000D__x000A_thức_x005F_x0041_</x:v></x:c>"
        "<x:c r=\"C4\" t=\"inlineStr\"><x:is><x:t xml:space=\"preserve\">  Sở Nội vụ &amp; "
        "&#x110;oàn  </x:t></x:is></x:c>"
        "<x:c r=\"D4\" t=\"e\"><x:v>#N/A</x:v></x:c>"
        "<x:c r=\"E4\" t=\"d\"><x:v>2021-03-15T00:00:00</x:v></x:c>"
        "<x:c r=\"F4\" t=\"inlineStr\"><x:is><x:t><![CDATA[a<b]]></x:t></x:is></x:c></x:row>"
        "<x:row><x:c t=\"inlineStr\"><x:is><x:t>x</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c>"
        "<x:c r=\"E5\"/><x:c><x:v>3</x:v></x:c></x:row>"
        "<x:row r=\"9\" spans=\"1:3\"><x:c r=\"A9\" s=\"0\"/><x:c r=\"B9\" t=\"inlineStr\"><x:is/></x:c></x:row>"
        "<x:row r=\"10\"/>"
        "</x:sheetData></x:worksheet>";
    part parts[] = {
        {"[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
        {"xl/workbook.xml", workbook},
        {"xl/_rels/workbook.xml.rels", rels},
        {"xl/worksheets/sheet1.xml", "<worksheet " NS "><sheetData><row r=\"1\"><c t=\"inlineStr\">"
                                     "<is><t>wrong sheet</t></is></c></row></sheetData></worksheet>"},
        {"xl/worksheets/data.xml", sheet},
        {NULL, NULL},
    };
    size_t size;
    unsigned char *data = make_zip(parts, &size);
    tk_table *t = xlsx_ok(data, size);
    static const row_want rows[] = {
        {2, {"Mã", "", "Tên đơn vị"}},
        {4, {"7", "công\nthức_x0041_", "  Sở Nội vụ & Đoàn  ", "#N/A", "15/03/2021", "a<b"}},
        {5, {"x", "2", "", "", "", "3"}},
    };
    expect_rows(t, rows, COUNT(rows), "inline strings");
    assert_int_equal(tk_table_cell_kind(t, 1, 0), TK_TABLE_NUMBER);
    assert_int_equal(tk_table_cell_kind(t, 1, 1), TK_TABLE_TEXT);
    assert_int_equal(tk_table_cell_kind(t, 1, 3), TK_TABLE_ERROR);
    assert_int_equal(tk_table_cell_kind(t, 1, 4), TK_TABLE_DATE);
    tk_table_free(t);
    free(data);
}

static void test_xlsx_styles_and_1904(void **state)
{
    (void)state;
    /* cellXfs: 0 General, 1 built-in 14, 2 custom date, 3 custom time, 4 built-in time 20,
     * 5 custom with a quoted "d", 6 built-in date-time 22, 7 escaped letters, 8 a year alone
     * (defined after the cell styles that use it). cellStyleXfs holds xf elements too, which
     * must not count, before cellXfs or after. */
    static const char styles[] =
        "<styleSheet " NS "><numFmts count=\"4\">"
        "<numFmt numFmtId=\"164\" formatCode=\"d/m/yyyy;@\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"[h]:mm:ss\"/>"
        "<numFmt numFmtId=\"166\" formatCode=\"#,##0 &quot;đ&quot;;[Red]\\-#,##0 &quot;dd&quot;\"/>"
        "<numFmt numFmtId=\"167\" formatCode=\"0\\d\\y\"/></numFmts>"
        "<cellStyleXfs count=\"2\"><xf numFmtId=\"14\"/><xf numFmtId=\"14\"/></cellStyleXfs>"
        "<cellXfs count=\"8\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/>"
        "<xf numFmtId=\"164\"><alignment wrapText=\"1\"/></xf><xf numFmtId=\"165\"/>"
        "<xf numFmtId=\"20\"/><xf numFmtId=\"166\"/><xf numFmtId=\"22\"/><xf numFmtId=\"167\"/>"
        "<xf numFmtId=\"168\"/></cellXfs>"
        "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
        "<numFmts count=\"1\"><numFmt numFmtId=\"168\" formatCode=\"yyyy\"/></numFmts></styleSheet>";
    static const char rows[] =
        "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>44270</v></c><c r=\"B1\" s=\"2\"><v>44270.75</v></c>"
        "<c r=\"C1\" s=\"3\"><v>1.5</v></c><c r=\"D1\" s=\"4\"><v>0.25</v></c>"
        "<c r=\"E1\" s=\"5\"><v>1500</v></c><c r=\"F1\" s=\"6\"><v>44270.5</v></c>"
        "<c r=\"G1\" s=\"7\"><v>3</v></c><c r=\"H1\" s=\"0\"><v>44270</v></c>"
        "<c r=\"I1\" s=\"99\"><v>44270</v></c><c r=\"J1\" s=\"8\"><v>44270</v></c>"
        "<c r=\"K1\" s=\"9\"><v>44270</v></c></row>"
        /* serials around the 1900 leap-year bug, and out of the reader's range */
        "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>59</v></c><c r=\"B2\" s=\"1\"><v>60</v></c>"
        "<c r=\"C2\" s=\"1\"><v>61</v></c><c r=\"D2\" s=\"1\"><v>0</v></c>"
        "<c r=\"E2\" s=\"1\"><v>-5</v></c><c r=\"F2\" s=\"1\"><v>73415</v></c>"
        "<c r=\"G2\" s=\"1\"><v>73416</v></c><c r=\"H2\" s=\"1\"><v>1</v></c></row>";
    size_t size;
    unsigned char *data = one_sheet(rows, styles, &size);
    tk_table *t = xlsx_ok(data, size);
    static const row_want want[] = {
        {1, {"15/03/2021", "15/03/2021", "1.5", "0.25", "1500", "15/03/2021", "3", "44270",
             "44270", "15/03/2021", "44270"}},
        {2, {"28/02/1900", "60", "01/03/1900", "0", "-5", "31/12/2100", "73416", "01/01/1900"}},
    };
    expect_rows(t, want, COUNT(want), "styles");
    tk_table_free(t);
    free(data);

    /* The 1904 date system: serial 0 is 1 January 1904. */
    static const char workbook1904[] =
        "<workbook " NS " " REL_NS "><workbookPr date1904=\"1\"/><sheets>"
        "<sheet name=\"A\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    static const char sheet[] = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" s=\"1\">"
                                "<v>0</v></c><c r=\"B1\" s=\"1\"><v>42808</v></c></row>"
                                "</sheetData></worksheet>";
    part parts[] = {
        {"xl/workbook.xml", workbook1904}, {"xl/_rels/workbook.xml.rels", basic_rels},
        {"xl/worksheets/sheet1.xml", sheet}, {"xl/styles.xml", styles}, {NULL, NULL},
    };
    data = make_zip(parts, &size);
    t = xlsx_ok(data, size);
    static const row_want want1904[] = {{1, {"01/01/1904", "15/03/2021"}}};
    expect_rows(t, want1904, COUNT(want1904), "1904");
    tk_table_free(t);
    free(data);
}

static void test_xlsx_shared_strings(void **state)
{
    (void)state;
    /* Rich runs joined, phonetic runs left out, an empty <si/>, escapes, NFD to NFC; the
     * relationship names the part (not the usual path). */
    static const char strings[] =
        "<sst " NS " count=\"5\" uniqueCount=\"4\">"
        "<si><t>Tên</t></si>"
        "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">Đảng </t></r><r><t>bộ</t></r>"
        "<rPh><t>X</t></rPh></si>"
        "<si/>"
        "<si><t>Ha\xCC\x80_x000D_\n_x0009_x</t></si>"
        "</sst>";
    static const char rels[] = RELS_OPEN REL("rId1", "worksheet", "worksheets/sheet1.xml")
        REL("rId2", "sharedStrings", "strings/table.xml") "</Relationships>";
    static const char sheet[] =
        "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
        "<c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c>"
        "<c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" t=\"s\"><v>1</v></c></row>"
        "</sheetData></worksheet>";
    part parts[] = {
        {"xl/workbook.xml", basic_workbook}, {"xl/_rels/workbook.xml.rels", rels},
        {"xl/worksheets/sheet1.xml", sheet}, {"xl/strings/table.xml", strings}, {NULL, NULL},
    };
    size_t size;
    unsigned char *data = make_zip(parts, &size);
    tk_table *t = xlsx_ok(data, size);
    static const row_want want[] = {{1, {"Tên", "Đảng bộ", "", "Hà\n\tx", "Đảng bộ"}}};
    expect_rows(t, want, COUNT(want), "shared strings");
    tk_table_free(t);
    free(data);
}

static void test_xlsx_refused(void **state)
{
    (void)state;
    static const struct {
        const char *rows;
        tk_code code;
        const char *says[3];
    } sheets[] = {
        {"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", TK_INVALID_INPUT,
         {"Ô A1: ", "chuỗi không có"}},
        {"<row r=\"3\"><c r=\"B3\" t=\"s\"><v>x</v></c></row>", TK_INVALID_INPUT, {"Ô B3: "}},
        {"<row r=\"4294967297\"/>", TK_INVALID_INPUT, {"bị hỏng"}}, /* not row 1 wrapped */
        {"<row r=\"1\"><c r=\"C1\"><v>abc</v></c></row>", TK_INVALID_INPUT,
         {"Ô C1: ", "giá trị số"}},
        {"<row r=\"1\"><c r=\"A1\" t=\"b\"><v>2</v></c></row>", TK_INVALID_INPUT, {"Ô A1: "}},
        {"<row r=\"7\"><c r=\"A7\" t=\"inlineStr\"><is><t>a_x0001_b</t></is></c></row>",
         TK_INVALID_INPUT, {"Ô A7: ", "điều khiển"}},
        {"<row r=\"1\"><c r=\"GR1\"><v>1</v></c></row>", TK_OK, {NULL}}, /* column 200 */
        {"<row r=\"1\"><c r=\"GS1\"><v>1</v></c></row>", TK_TOO_LARGE, {"Ô GS1: ", "200 cột"}},
        {"<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"XFD1\" s=\"1\"/></row>", TK_OK, {NULL}},
        {"<row r=\"5\"/><row r=\"3\"/>", TK_INVALID_INPUT, {"bị hỏng", "sau dòng 5"}},
        {"<row r=\"1048577\"/>", TK_INVALID_INPUT, {"bị hỏng"}},
        {"<row r=\"1\"><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>1</v></c></row>", TK_INVALID_INPUT,
         {"bị hỏng", "thứ tự"}},
        {"<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>", TK_INVALID_INPUT, {"bị hỏng", "1A"}},
        {"<row r=\"1\"><c r=\"A1\"><v>1</v></row>", TK_INVALID_INPUT, {"bị hỏng"}},
    };
    for (size_t i = 0; i < COUNT(sheets); i++) {
        size_t size;
        unsigned char *data = one_sheet(sheets[i].rows, NULL, &size);
        if (sheets[i].code == TK_OK) {
            tk_table_free(xlsx_ok(data, size));
        } else {
            const char *says[4] = {sheets[i].says[0], sheets[i].says[1], sheets[i].says[2], NULL};
            xlsx_refused(data, size, sheets[i].code, says);
        }
        free(data);
    }
}

static void test_xlsx_not_xlsx(void **state)
{
    (void)state;
    static const unsigned char xls[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of an OLE file";
    static const char *const says_xls[] = {".xls", "Excel Workbook (*.xlsx)", NULL};
    xlsx_refused(xls, sizeof xls - 1, TK_UNSUPPORTED, says_xls);
    static const unsigned char text[] = "Tên;Năm\n";
    static const char *const says_not[] = {"không phải tệp Excel .xlsx", NULL};
    xlsx_refused(text, sizeof text - 1, TK_INVALID_INPUT, says_not);
    static const unsigned char broken_zip[] = "PK\x03\x04 not really a zip archive";
    xlsx_refused(broken_zip, sizeof broken_zip - 1, TK_INVALID_INPUT, says_not);
    xlsx_refused(NULL, 0, TK_INVALID_INPUT, says_not);

    size_t size;
    part no_workbook[] = {{"word/document.xml", "<w/>"}, {NULL, NULL}};
    unsigned char *data = make_zip(no_workbook, &size);
    static const char *const says_missing[] = {"xl/workbook.xml", NULL};
    xlsx_refused(data, size, TK_INVALID_INPUT, says_missing);
    free(data);

    part no_sheet[] = {{"xl/workbook.xml", "<workbook " NS "><sheets/></workbook>"},
                       {"xl/_rels/workbook.xml.rels", basic_rels},
                       {NULL, NULL}};
    data = make_zip(no_sheet, &size);
    static const char *const says_no_sheet[] = {"không có trang tính", NULL};
    xlsx_refused(data, size, TK_INVALID_INPUT, says_no_sheet);
    free(data);

    part bad_xml[] = {{"xl/workbook.xml", basic_workbook},
                      {"xl/_rels/workbook.xml.rels", basic_rels},
                      {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row"},
                      {NULL, NULL}};
    data = make_zip(bad_xml, &size);
    static const char *const says_bad[] = {"bị hỏng", "xl/worksheets/sheet1.xml", NULL};
    xlsx_refused(data, size, TK_INVALID_INPUT, says_bad);
    free(data);
}

static void test_xlsx_hostile_xml(void **state)
{
    (void)state;
    /* Billion laughs: refused for its DOCTYPE before anything is expanded. */
    static const char laughs[] =
        "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
        "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
        "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\"><!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">]>"
        "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&i;</t></is>"
        "</c></row></sheetData></worksheet>";
    /* An external entity naming a local file: never read. */
    static const char external[] =
        "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&x;</t></is>"
        "</c></row></sheetData></worksheet>";
    /* Even a harmless DOCTYPE: no part of an .xlsx has one. */
    static const char plain[] = "<?xml version=\"1.0\"?><!DOCTYPE worksheet><worksheet " NS ">"
                                "<sheetData/></worksheet>";
    const char *sheets[] = {laughs, external, plain};
    for (size_t i = 0; i < COUNT(sheets); i++) {
        part parts[] = {{"xl/workbook.xml", basic_workbook},
                        {"xl/_rels/workbook.xml.rels", basic_rels},
                        {"xl/worksheets/sheet1.xml", sheets[i]},
                        {NULL, NULL}};
        size_t size;
        unsigned char *data = make_zip(parts, &size);
        static const char *const says[] = {"bị hỏng", NULL};
        xlsx_refused(data, size, TK_INVALID_INPUT, says);
        free(data);
    }
}

static void test_xlsx_caps(void **state)
{
    (void)state;
    size_t size;
    unsigned char *data;

    /* A zip bomb: 51 MiB of spaces compress to about 50 KiB. */
    size_t big = (size_t)TK_TABLE_XLSX_UNCOMPRESSED_MAX + 1024 * 1024;
    char *spaces = malloc(big + 1);
    assert_non_null(spaces);
    memset(spaces, ' ', big);
    spaces[big] = '\0';
    part bomb[] = {{"xl/workbook.xml", basic_workbook},
                   {"xl/_rels/workbook.xml.rels", basic_rels},
                   {"xl/worksheets/sheet1.xml", spaces},
                   {NULL, NULL}};
    data = make_zip(bomb, &size);
    free(spaces);
    assert_true(size < 1024 * 1024);
    static const char *const says_bomb[] = {"giải nén ra hơn 50 MiB", NULL};
    xlsx_refused(data, size, TK_TOO_LARGE, says_bomb);
    free(data);

    /* A cell of 64 KiB is read; one byte more is refused, naming the cell. */
    for (size_t extra = 0; extra <= 1; extra++) {
        size_t n = TK_TABLE_CELL_MAX + extra;
        char *rows = malloc(n + 200);
        assert_non_null(rows);
        int head = sprintf(rows, "<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>");
        memset(rows + head, 'x', n);
        strcpy(rows + head + n, "</t></is></c></row>");
        data = one_sheet(rows, NULL, &size);
        free(rows);
        if (extra == 0) {
            tk_table *t = xlsx_ok(data, size);
            assert_int_equal(strlen(tk_table_cell(t, 0, 1)), TK_TABLE_CELL_MAX);
            tk_table_free(t);
        } else {
            static const char *const says_cell[] = {"Ô B3: ô dài hơn 64 KiB", NULL};
            xlsx_refused(data, size, TK_TOO_LARGE, says_cell);
        }
        free(data);
    }

    /* 100.000 rows are read; one more is refused. Rows that only have styles do not count. */
    for (size_t extra = 0; extra <= 1; extra++) {
        size_t n = TK_TABLE_ROWS_MAX + extra;
        char *rows = malloc(n * 32 + 64), *p = rows;
        assert_non_null(rows);
        p += sprintf(p, "<row r=\"1\"><c r=\"A1\" s=\"1\"/></row>");
        for (size_t r = 0; r < n; r++) p += sprintf(p, "<row><c><v>%zu</v></c></row>", r);
        data = one_sheet(rows, NULL, &size);
        free(rows);
        if (extra == 0) {
            tk_table *t = xlsx_ok(data, size);
            assert_int_equal(tk_table_row_count(t), TK_TABLE_ROWS_MAX);
            assert_int_equal(tk_table_line(t, TK_TABLE_ROWS_MAX - 1), TK_TABLE_ROWS_MAX + 1);
            assert_string_equal(tk_table_cell(t, TK_TABLE_ROWS_MAX - 1, 0), "99999");
            tk_table_free(t);
        } else {
            static const char *const says_rows[] = {"hơn 100.000 dòng", NULL};
            xlsx_refused(data, size, TK_TOO_LARGE, says_rows);
        }
        free(data);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_semicolons_from_excel),
        cmocka_unit_test(test_csv_quotes),
        cmocka_unit_test(test_csv_line_ends),
        cmocka_unit_test(test_csv_blank_rows),
        cmocka_unit_test(test_csv_cells_as_written),
        cmocka_unit_test(test_csv_delimiter),
        cmocka_unit_test(test_csv_nfc),
        cmocka_unit_test(test_csv_not_utf8),
        cmocka_unit_test(test_csv_quote_errors),
        cmocka_unit_test(test_csv_caps),
        cmocka_unit_test(test_xlsx_from_excel_writer),
        cmocka_unit_test(test_xlsx_inline_strings_by_hand),
        cmocka_unit_test(test_xlsx_styles_and_1904),
        cmocka_unit_test(test_xlsx_shared_strings),
        cmocka_unit_test(test_xlsx_refused),
        cmocka_unit_test(test_xlsx_not_xlsx),
        cmocka_unit_test(test_xlsx_hostile_xml),
        cmocka_unit_test(test_xlsx_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
