/* core/date: day numbers, the Gregorian calendar within 1900..2100, and the two text forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"

static void test_leap_years(void **state)
{
    (void)state;
    static const struct {
        int year;
        bool leap;
    } rows[] = {
        {1900, false}, /* divisible by 100, not by 400 */
        {1904, true},  {1999, false}, {2000, true}, /* divisible by 400 */
        {2020, true},  {2021, false}, {2024, true}, {2100, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (tk_date_is_leap(rows[i].year) != rows[i].leap)
            fail_msg("tk_date_is_leap(%d) should be %d", rows[i].year, rows[i].leap);
}

static void test_days_in_month(void **state)
{
    (void)state;
    static const struct {
        int year, month, days;
    } rows[] = {
        {2021, 1, 31},  {2021, 2, 28}, {2024, 2, 29}, {2000, 2, 29}, {1900, 2, 28},
        {2100, 2, 28},  {2021, 3, 31}, {2021, 4, 30}, {2021, 5, 31}, {2021, 6, 30},
        {2021, 7, 31},  {2021, 8, 31}, {2021, 9, 30}, {2021, 10, 31}, {2021, 11, 30},
        {2021, 12, 31}, {2021, 0, 0},  {2021, 13, 0}, {2021, -1, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int got = tk_date_days_in_month(rows[i].year, rows[i].month);
        if (got != rows[i].days)
            fail_msg("days in %d/%d: got %d, want %d", rows[i].month, rows[i].year, got,
                     rows[i].days);
    }
}

static void test_valid(void **state)
{
    (void)state;
    static const struct {
        int year, month, day;
        bool valid;
    } rows[] = {
        {2021, 6, 30, true},   {2021, 4, 31, false}, {2021, 2, 29, false}, {2024, 2, 29, true},
        {2100, 2, 29, false},  {2000, 2, 29, true},  {1900, 1, 1, true},   {1899, 12, 31, false},
        {2100, 12, 31, true},  {2101, 1, 1, false},  {2021, 0, 1, false},  {2021, 13, 1, false},
        {2021, 1, 0, false},   {2021, 1, 32, false}, {2021, 12, 31, true}, {0, 1, 1, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (tk_date_valid(rows[i].year, rows[i].month, rows[i].day) != rows[i].valid)
            fail_msg("tk_date_valid(%d, %d, %d) should be %d", rows[i].year, rows[i].month,
                     rows[i].day, rows[i].valid);
}

static void test_day_numbers(void **state)
{
    (void)state;
    static const struct {
        int year, month, day;
        tk_date number;
    } rows[] = {
        {1970, 1, 1, 0},       {1969, 12, 31, -1},    {1900, 1, 1, -25567}, {1900, 2, 28, -25509},
        {1900, 3, 1, -25508},  {2000, 2, 29, 11016},  {2000, 3, 1, 11017},  {2020, 11, 2, 18568},
        {2021, 6, 30, 18808},  {2100, 12, 31, 47846},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        tk_date got = tk_date_from_ymd(rows[i].year, rows[i].month, rows[i].day);
        if (got != rows[i].number)
            fail_msg("%04d-%02d-%02d: got day %d, want %d", rows[i].year, rows[i].month,
                     rows[i].day, (int)got, (int)rows[i].number);
        int y, m, d;
        tk_date_to_ymd(rows[i].number, &y, &m, &d);
        if (y != rows[i].year || m != rows[i].month || d != rows[i].day)
            fail_msg("day %d: got %04d-%02d-%02d", (int)rows[i].number, y, m, d);
    }
}

/* Walks every day of the supported range, checking that day numbers are consecutive and that
 * each text form reads back to the same day. */
static void test_every_day_round_trips(void **state)
{
    (void)state;
    tk_date first = tk_date_from_ymd(TK_DATE_YEAR_MIN, 1, 1);
    tk_date last = tk_date_from_ymd(TK_DATE_YEAR_MAX, 12, 31);
    int year = TK_DATE_YEAR_MIN, month = 1, day = 1;
    for (tk_date date = first; date <= last; date++) {
        int y, m, d;
        tk_date_to_ymd(date, &y, &m, &d);
        if (y != year || m != month || d != day)
            fail_msg("day %d: got %04d-%02d-%02d, want %04d-%02d-%02d", (int)date, y, m, d, year,
                     month, day);
        assert_int_equal(tk_date_from_ymd(y, m, d), date);

        char iso[TK_DATE_TEXT_MAX], vn[TK_DATE_TEXT_MAX], want_vn[40];
        tk_date_format_iso(date, iso);
        tk_date parsed = 0;
        if (!tk_date_parse_iso(iso, &parsed) || parsed != date)
            fail_msg("\"%s\" does not read back as day %d", iso, (int)date);
        snprintf(want_vn, sizeof want_vn, "%02d/%02d/%04d", day, month, year);
        assert_string_equal(tk_date_format_vn(date, vn), want_vn);

        if (++day > tk_date_days_in_month(year, month)) {
            day = 1;
            if (++month > 12) {
                month = 1;
                year++;
            }
        }
    }
    assert_int_equal(year, TK_DATE_YEAR_MAX + 1);
}

static void test_parse_iso(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool ok;
        int year, month, day;
    } rows[] = {
        {"2021-06-30", true, 2021, 6, 30},
        {"1900-01-01", true, 1900, 1, 1},
        {"2100-12-31", true, 2100, 12, 31},
        {"2024-02-29", true, 2024, 2, 29},
        {"2021-02-29", false, 0, 0, 0},
        {"2021-04-31", false, 0, 0, 0},
        {"1899-12-31", false, 0, 0, 0},
        {"2101-01-01", false, 0, 0, 0},
        {"2021-6-30", false, 0, 0, 0},
        {"2021-06-3", false, 0, 0, 0},
        {"21-06-30", false, 0, 0, 0},
        {"2021/06/30", false, 0, 0, 0},
        {"30/06/2021", false, 0, 0, 0},
        {"2021-06-30 ", false, 0, 0, 0},
        {" 2021-06-30", false, 0, 0, 0},
        {"2021-06-30T00:00", false, 0, 0, 0},
        {"2021-13-01", false, 0, 0, 0},
        {"2021-00-10", false, 0, 0, 0},
        {"2021-06-00", false, 0, 0, 0},
        {"", false, 0, 0, 0},
        {"2021", false, 0, 0, 0},
        {"abcd-ef-gh", false, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        tk_date got = -123456;
        bool ok = tk_date_parse_iso(rows[i].text, &got);
        if (ok != rows[i].ok)
            fail_msg("tk_date_parse_iso(\"%s\") should be %d", rows[i].text, rows[i].ok);
        if (ok) assert_int_equal(got, tk_date_from_ymd(rows[i].year, rows[i].month, rows[i].day));
        else assert_int_equal(got, -123456);
    }
    tk_date unused;
    assert_false(tk_date_parse_iso(NULL, &unused));
}

static void test_format(void **state)
{
    (void)state;
    static const struct {
        int year, month, day;
        const char *iso, *vn;
    } rows[] = {
        {2021, 6, 30, "2021-06-30", "30/06/2021"},
        {1900, 1, 1, "1900-01-01", "01/01/1900"},
        {2100, 12, 31, "2100-12-31", "31/12/2100"},
        {2024, 2, 29, "2024-02-29", "29/02/2024"},
        {2020, 11, 2, "2020-11-02", "02/11/2020"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char buf[TK_DATE_TEXT_MAX];
        tk_date date = tk_date_from_ymd(rows[i].year, rows[i].month, rows[i].day);
        assert_string_equal(tk_date_format_iso(date, buf), rows[i].iso);
        assert_string_equal(tk_date_format_vn(date, buf), rows[i].vn);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_days_in_month),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_day_numbers),
        cmocka_unit_test(test_every_day_round_trips),
        cmocka_unit_test(test_parse_iso),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
