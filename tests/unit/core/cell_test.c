/* core/cell: dates, numbers and headers as people type them in spreadsheets. Each table row
 * is one rule of src/core/cell.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cell.h"
#include "core/text.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *text;
    const char *iso;
} dates[] = {
    {"15/03/2021", "2021-03-15"},
    {"15/3/2021", "2021-03-15"},
    {"5/3/2021", "2021-03-05"},
    {"05/03/2021", "2021-03-05"},
    {"02/03/2021", "2021-03-02"}, /* day first: 2 March, never February 3 */
    {"15-03-2021", "2021-03-15"},
    {"15-3-2021", "2021-03-15"},
    {"15.03.2021", "2021-03-15"},
    {"2021-03-15", "2021-03-15"},
    {"2021-3-5", "2021-03-05"},
    {"2021/03/15", "2021-03-15"},
    {"  15/03/2021  ", "2021-03-15"},
    {"\xC2\xA0" "15/03/2021\t\r\n", "2021-03-15"},
    {"15 / 03 / 2021", "2021-03-15"},
    {"29/02/2024", "2024-02-29"},
    {"29/2/2000", "2000-02-29"},
    {"01/01/1900", "1900-01-01"},
    {"31/12/2100", "2100-12-31"},
    {"31/01/2021", "2021-01-31"},
    {"30/4/1975", "1975-04-30"},
};

static const struct {
    const char *text;
    const char *reason; /* what the message says after "Không hiểu ngày \"text\": " */
} date_errors[] = {
    {"31/02/2021", "tháng 2/2021 chỉ có 28 ngày"},
    {"29/02/2023", "tháng 2/2023 chỉ có 28 ngày"},
    {"29/02/1900", "tháng 2/1900 chỉ có 28 ngày"},
    {"30/02/2024", "tháng 2/2024 chỉ có 29 ngày"},
    {"31/04/2021", "tháng 4/2021 chỉ có 30 ngày"},
    {"32/01/2021", "tháng 1/2021 chỉ có 31 ngày"},
    {"0/3/2021", "không có ngày 0"},
    {"15/03/21", "năm phải viết đủ 4 chữ số (15/03/2021, không phải 15/03/21)"},
    {"15-3-21", "năm phải viết đủ 4 chữ số (15/03/2021, không phải 15/03/21)"},
    {"1.1.99", "năm phải viết đủ 4 chữ số (15/03/2021, không phải 15/03/21)"},
    {"03/15/2021", "không có tháng 15 (ngày viết theo thứ tự ngày/tháng/năm)"},
    {"15/13/2021", "không có tháng 13 (ngày viết theo thứ tự ngày/tháng/năm)"},
    {"15/0/2021", "không có tháng 0 (ngày viết theo thứ tự ngày/tháng/năm)"},
    {"2021-13-01", "không có tháng 13 (ngày viết theo thứ tự ngày/tháng/năm)"},
    {"15/03/1899", "năm phải từ 1900 đến 2100"},
    {"15/03/2101", "năm phải từ 1900 đến 2100"},
    {"44270", "đây có vẻ là số ngày của Excel; hãy định dạng cột là ngày (dd/mm/yyyy)"},
    {"15/03-2021", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
    {"15/03", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
    {"15/03/", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
    {"/03/2021", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
    {"15//03/2021", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
    {"15/03/2021/1", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
    {"ngày 15/03/2021", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
    {"15/03/2021 10:30", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
    {"115/03/2021", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
    {"15/003/2021", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
    {"15/03/20211", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
    {"15/03/202", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
    {"15 03 2021", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
    {"15032021", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
    {"Quý II/2021", "hãy viết ngày/tháng/năm, ví dụ 15/03/2021"},
};

static void test_dates(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(dates); i++) {
        tk_error err;
        tk_error_clear(&err);
        tk_date day = -1;
        tk_code rc = tk_cell_parse_date(dates[i].text, "due", &day, &err);
        if (rc != TK_OK) fail_msg("\"%s\": %s", dates[i].text, err.message);
        char iso[TK_DATE_TEXT_MAX];
        if (strcmp(tk_date_format_iso(day, iso), dates[i].iso) != 0)
            fail_msg("\"%s\": got %s, want %s", dates[i].text, iso, dates[i].iso);
    }
}

static void test_date_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(date_errors); i++) {
        tk_error err;
        tk_error_clear(&err);
        tk_date day = 12345;
        tk_code rc = tk_cell_parse_date(date_errors[i].text, "due", &day, &err);
        char want[TK_ERROR_MESSAGE_MAX];
        snprintf(want, sizeof want, "Không hiểu ngày \"%s\": %s", date_errors[i].text,
                 date_errors[i].reason);
        if (rc != TK_INVALID_PERIOD || err.code != rc || strcmp(err.message, want) != 0)
            fail_msg("\"%s\": got %d \"%s\", want \"%s\"", date_errors[i].text, rc, err.message, want);
        assert_string_equal(err.field, "due");
        assert_int_equal(day, 12345); /* untouched on failure */
    }
}

static void test_date_edges(void **state)
{
    (void)state;
    tk_error err;
    tk_date day;
    assert_int_equal(tk_cell_parse_date("", "due", &day, &err), TK_INVALID_PERIOD);
    assert_string_equal(err.message, "Thiếu ngày");
    assert_int_equal(tk_cell_parse_date(" \t ", NULL, &day, &err), TK_INVALID_PERIOD);
    assert_string_equal(err.message, "Thiếu ngày");
    assert_string_equal(err.field, "");
    assert_int_equal(tk_cell_parse_date(NULL, "due", &day, &err), TK_INVALID_PERIOD);
    assert_int_equal(tk_cell_parse_date("15/03/2021\xFF", "due", &day, &err), TK_INVALID_UTF8);
    assert_int_equal(tk_cell_parse_date("15/03/2021", "due", &day, NULL), TK_OK);
    assert_int_equal(tk_cell_parse_date("31/02/2021", "due", &day, NULL), TK_INVALID_PERIOD);

    /* A long text is quoted cut at a character boundary, and the message stays UTF-8. */
    char long_text[400] = "";
    for (int i = 0; i < 100; i++) strcat(long_text, "Đ");
    assert_int_equal(tk_cell_parse_date(long_text, "due", &day, &err), TK_INVALID_PERIOD);
    assert_true(tk_text_valid_utf8(err.message, strlen(err.message)));
    assert_non_null(strstr(err.message, "\": quá dài"));
    assert_non_null(strstr(err.message, "\xE2\x80\xA6")); /* … marks the cut */
}

static const struct {
    const char *text;
    unsigned flags;
    double value;
    bool percent;
} numbers[] = {
    /* Vietnamese: ',' decimal, '.' thousands */
    {"1234", 0, 1234, false},
    {"1.234", 0, 1234, false}, /* rule 4: one '.' before exactly three digits groups */
    {"12.500", 0, 12500, false},
    {"123.456", 0, 123456, false},
    {"1.234.567", 0, 1234567, false},
    {"1.234,5", 0, 1234.5, false},
    {"1.234.567,891", 0, 1234567.891, false},
    {"1234,5", 0, 1234.5, false},
    {"1,5", 0, 1.5, false},
    {"1,234", 0, 1.234, false}, /* rule 2: one ',' is always the decimal separator */
    {"0,5", 0, 0.5, false},
    {",5", 0, 0.5, false},
    /* a single '.' that cannot be grouping is the decimal point */
    {"1.5", 0, 1.5, false},
    {"85.25", 0, 85.25, false},
    {"12.34", 0, 12.34, false},
    {"0.125", 0, 0.125, false},
    {"0.500", 0, 0.5, false},
    {"1234.5", 0, 1234.5, false},
    {"1234.567", 0, 1234.567, false},
    {"1.2345", 0, 1.2345, false},
    {".5", 0, 0.5, false},
    /* English grouping where it cannot be mistaken */
    {"1,234.5", 0, 1234.5, false},
    {"1,234,567", 0, 1234567, false},
    {"1,234,567.25", 0, 1234567.25, false},
    /* spaces group thousands */
    {"1 234 567", 0, 1234567, false},
    {"1 234,5", 0, 1234.5, false},
    {"1 234.5", 0, 1234.5, false},
    {"1\xC2\xA0" "234\xC2\xA0" "567,5", 0, 1234567.5, false}, /* no-break space */
    {"1\xE2\x80\xAF" "234", 0, 1234, false},                   /* narrow no-break space */
    {"1\xE2\x80\x89" "234", 0, 1234, false},                   /* thin space */
    /* percent */
    {"85,5 %", 0, 85.5, true},
    {"85,5%", 0, 85.5, true},
    {"85.5 %", 0, 85.5, true},
    {"100%", 0, 100, true},
    {"0 %", 0, 0, true},
    {"-2,5 %", 0, -2.5, true},
    /* signs and surroundings */
    {"-1.234,5", 0, -1234.5, false},
    {"+7", 0, 7, false},
    {"\xE2\x88\x92" "5", 0, -5, false}, /* U+2212 minus */
    {"-0", 0, 0, false},
    {"0", 0, 0, false},
    {"007", 0, 7, false},
    {"  42\t", 0, 42, false},
    {"\xC2\xA0" "42\xC2\xA0", 0, 42, false},
    /* C notation, as the XLSX reader writes number cells */
    {"1.234", TK_CELL_DECIMAL_POINT, 1.234, false},
    {"85.5", TK_CELL_DECIMAL_POINT, 85.5, false},
    {"-0.125", TK_CELL_DECIMAL_POINT, -0.125, false},
    {"1234", TK_CELL_DECIMAL_POINT, 1234, false},
    {"1e+21", TK_CELL_DECIMAL_POINT, 1e21, false},
    {"1E-2", TK_CELL_DECIMAL_POINT, 0.01, false},
    {"1.5e-8", TK_CELL_DECIMAL_POINT, 1.5e-8, false},
    {" 12.5 ", TK_CELL_DECIMAL_POINT, 12.5, false},
};

static const struct {
    const char *text;
    unsigned flags;
    const char *reason; /* after "Không hiểu số \"text\": " */
} number_errors[] = {
    {"abc", 0, "chỉ được có chữ số, dấu chấm, dấu phẩy, dấu cách và dấu % ở cuối"},
    {"12abc", 0, "chỉ được có chữ số, dấu chấm, dấu phẩy, dấu cách và dấu % ở cuối"},
    {"1e5", 0, "chỉ được có chữ số, dấu chấm, dấu phẩy, dấu cách và dấu % ở cuối"},
    {"5-", 0, "chỉ được có chữ số, dấu chấm, dấu phẩy, dấu cách và dấu % ở cuối"},
    {"(5)", 0, "chỉ được có chữ số, dấu chấm, dấu phẩy, dấu cách và dấu % ở cuối"},
    {"5 %%", 0, "chỉ được có chữ số, dấu chấm, dấu phẩy, dấu cách và dấu % ở cuối"},
    {"1.000 đ", 0, "chỉ được có chữ số, dấu chấm, dấu phẩy, dấu cách và dấu % ở cuối"},
    {"1.23.4", 0, "các nhóm hàng nghìn phải có đúng 3 chữ số"},
    {"1.234.5", 0, "các nhóm hàng nghìn phải có đúng 3 chữ số"},
    {"1234.567.890", 0, "các nhóm hàng nghìn phải có đúng 3 chữ số"},
    {"1,2,3", 0, "các nhóm hàng nghìn phải có đúng 3 chữ số"},
    {"12 34", 0, "các nhóm hàng nghìn phải có đúng 3 chữ số"},
    {"1.2345,5", 0, "các nhóm hàng nghìn phải có đúng 3 chữ số"},
    {"1.234,5,6", 0, "dấu thập phân chỉ được có một"},
    {"1,234.5.6", 0, "dấu thập phân chỉ được có một"},
    {",5,5", 0, "dấu thập phân chỉ được có một"},
    {"1,5 000", 0, "dấu thập phân phải đứng sau các nhóm hàng nghìn"},
    {"1,5.000 000", 0, "dấu thập phân phải đứng sau các nhóm hàng nghìn"},
    {"1 234.567.890", 0, "chỉ được dùng một kiểu phân cách hàng nghìn"},
    {"1 234,567.5", 0, "chỉ được dùng một kiểu phân cách hàng nghìn"},
    {"1,234 567", 0, "dấu thập phân phải đứng sau các nhóm hàng nghìn"},
    {"1..5", 0, "dấu phân cách phải nằm giữa hai chữ số"},
    {"1.", 0, "dấu phân cách phải nằm giữa hai chữ số"},
    {"1,", 0, "dấu phân cách phải nằm giữa hai chữ số"},
    {"- 5", 0, "dấu phân cách phải nằm giữa hai chữ số"},
    {"%", 0, "thiếu chữ số"},
    {"-", 0, "thiếu chữ số"},
    {"- %", 0, "thiếu chữ số"},
    {"1,5", TK_CELL_DECIMAL_POINT, "không phải một số"},
    {"1 234", TK_CELL_DECIMAL_POINT, "không phải một số"},
    {"85%", TK_CELL_DECIMAL_POINT, "không phải một số"},
    {"1e", TK_CELL_DECIMAL_POINT, "không phải một số"},
    {".5", TK_CELL_DECIMAL_POINT, "không phải một số"},
    {"inf", TK_CELL_DECIMAL_POINT, "không phải một số"},
    {"nan", TK_CELL_DECIMAL_POINT, "không phải một số"},
    {"0x10", TK_CELL_DECIMAL_POINT, "không phải một số"},
    {"1e999", TK_CELL_DECIMAL_POINT, "số quá lớn"},
};

static void test_numbers(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(numbers); i++) {
        tk_error err;
        tk_error_clear(&err);
        tk_cell_number n = {.value = -999, .percent = !numbers[i].percent};
        tk_code rc = tk_cell_parse_number(numbers[i].text, numbers[i].flags, "value", &n, &err);
        if (rc != TK_OK) fail_msg("\"%s\": %s", numbers[i].text, err.message);
        if (n.value != numbers[i].value || n.percent != numbers[i].percent)
            fail_msg("\"%s\": got %.17g%s, want %.17g%s", numbers[i].text, n.value,
                     n.percent ? " %" : "", numbers[i].value, numbers[i].percent ? " %" : "");
        assert_false(signbit(n.value) && n.value == 0); /* "-0" reads as 0 */
    }
}

static void test_number_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(number_errors); i++) {
        tk_error err;
        tk_error_clear(&err);
        tk_cell_number n = {.value = 77, .percent = false};
        tk_code rc = tk_cell_parse_number(number_errors[i].text, number_errors[i].flags, "value",
                                          &n, &err);
        char want[TK_ERROR_MESSAGE_MAX];
        snprintf(want, sizeof want, "Không hiểu số \"%s\": %s", number_errors[i].text,
                 number_errors[i].reason);
        if (rc != TK_INVALID_INPUT || err.code != rc || strcmp(err.message, want) != 0)
            fail_msg("\"%s\": got %d \"%s\", want \"%s\"", number_errors[i].text, rc, err.message,
                     want);
        assert_string_equal(err.field, "value");
        assert_true(n.value == 77);
    }
}

static void test_number_edges(void **state)
{
    (void)state;
    tk_error err;
    tk_cell_number n;
    assert_int_equal(tk_cell_parse_number("", 0, "value", &n, &err), TK_INVALID_INPUT);
    assert_string_equal(err.message, "Thiếu số");
    assert_int_equal(tk_cell_parse_number("   ", 0, "value", &n, &err), TK_INVALID_INPUT);
    assert_string_equal(err.message, "Thiếu số");
    assert_int_equal(tk_cell_parse_number(NULL, 0, "value", &n, &err), TK_INVALID_INPUT);
    assert_int_equal(tk_cell_parse_number("1\xC3", 0, "value", &n, &err), TK_INVALID_UTF8);
    assert_int_equal(tk_cell_parse_number("12", 0, "value", &n, NULL), TK_OK);

    /* At the length limit a number is still read; one byte more is refused unread. */
    char digits[TK_CELL_TEXT_MAX + 2];
    memset(digits, '1', TK_CELL_TEXT_MAX);
    digits[TK_CELL_TEXT_MAX] = '\0';
    assert_int_equal(tk_cell_parse_number(digits, 0, "value", &n, &err), TK_OK);
    assert_true(n.value > 1e99);
    strcat(digits, "1");
    assert_int_equal(tk_cell_parse_number(digits, 0, "value", &n, &err), TK_INVALID_INPUT);
    assert_non_null(strstr(err.message, "quá dài"));

    /* The most digit groups that fit in the limit. */
    char groups[TK_CELL_TEXT_MAX + 1] = "1";
    while (strlen(groups) + 4 <= TK_CELL_TEXT_MAX) strcat(groups, ".000");
    assert_int_equal(tk_cell_parse_number(groups, 0, "value", &n, &err), TK_OK);
    assert_true(n.value > 1e70);
}

static void test_headers(void **state)
{
    (void)state;
    static const char *const lead[] = {"Đơn vị chủ trì", "Cơ quan chủ trì", NULL};
    static const struct {
        const char *header;
        int index;
    } rows[] = {
        {"Đơn vị chủ trì", 0},
        {"don vi chu tri", 0},
        {"ĐƠN VỊ CHỦ TRÌ", 0},
        {"Don Vi Chu Tri", 0},
        {"  Đơn   vị\nchủ trì ", 0},          /* a header cell wrapped with Alt+Enter */
        {"Đơn\xC2\xA0vị chủ trì", 0},          /* no-break space */
        {"donvichutri", 0},
        {"Đơn vị chủ trì (*)", 0},             /* required-column marker */
        {"đơn vị chủ trì:", 0},
        {"D\xCC\x9B\xCC\x81" "o", -1},          /* not a name at all */
        {"\xC4\x90o\xCC\x9Bn vi\xCC\xA3 chu\xCC\x89 tri\xCC\x80", 0}, /* NFD */
        {"Cơ quan chủ trì", 1},
        {"co quan chu tri", 1},
        {"Đơn vị phối hợp", -1},
        {"Đơn vị", -1},
        {"Đơn vị chủ trì chính", -1},
        {"", -1},
        {"   ", -1},
        {"(*)", -1},
        {"\xFF" "don vi chu tri", -1},
    };
    for (size_t i = 0; i < COUNT(rows); i++) {
        int got = tk_cell_match_header(rows[i].header, lead);
        if (got != rows[i].index)
            fail_msg("\"%s\": got %d, want %d", rows[i].header, got, rows[i].index);
    }
    assert_int_equal(tk_cell_match_header(NULL, lead), -1);
    assert_int_equal(tk_cell_match_header("x", NULL), -1);
    /* Text without letters or digits matches nothing, not even itself. */
    static const char *const marks[] = {"(*)", "-", NULL};
    assert_int_equal(tk_cell_match_header("(*)", marks), -1);
    assert_int_equal(tk_cell_match_header("", marks), -1);
    static const char *const none[] = {NULL};
    assert_int_equal(tk_cell_match_header("Đơn vị chủ trì", none), -1);
    /* The first name that matches wins; a bad name is skipped, not fatal. */
    static const char *const twice[] = {"\xFF", "Thời hạn", "thoi han", NULL};
    assert_int_equal(tk_cell_match_header("THỜI HẠN", twice), 1);
    /* Diacritics are ignored as a whole: two words that differ only in their marks match. */
    static const char *const due[] = {"Thời hạn", NULL};
    assert_int_equal(tk_cell_match_header("Thoi han", due), 0);
    assert_int_equal(tk_cell_match_header("Thời hàn", due), 0);
    assert_int_equal(tk_cell_match_header("Thời hạn (dd/mm/yyyy)", due), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_date_errors),
        cmocka_unit_test(test_date_edges),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_number_errors),
        cmocka_unit_test(test_number_edges),
        cmocka_unit_test(test_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
