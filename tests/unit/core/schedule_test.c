/* core/schedule: reporting periods, their data windows and due dates (Nghị định 09/2019/NĐ-CP,
 * Art. 12, and shared DOMAIN.md "Rules: reporting periods"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/schedule.h"
#include "core/text.h"

static tk_date d(const char *iso)
{
    tk_date out = 0;
    if (!tk_date_parse_iso(iso, &out)) fail_msg("bad date in test: %s", iso);
    return out;
}

static void assert_date(tk_date got, const char *want, const char *what)
{
    char buf[TK_DATE_TEXT_MAX];
    if (strcmp(tk_date_format_iso(got, buf), want) != 0) fail_msg("%s: got %s, want %s", what, buf, want);
}

/* ND 09/2019 defaults: data from the 15th of the month before to the 14th of the last month,
 * due on the 25th of the last month. */
static const struct {
    tk_schedule_kind kind;
    int year, index;
    const char *key, *label;
    const char *first, *last, *data_first, *data_last, *due;
} periods[] = {
    {TK_SCHEDULE_MONTH, 2021, 3, "2021-03", "Tháng 3/2021", "2021-03-01", "2021-03-31", "2021-02-15", "2021-03-14", "2021-03-25"},
    {TK_SCHEDULE_MONTH, 2021, 1, "2021-01", "Tháng 1/2021", "2021-01-01", "2021-01-31", "2020-12-15", "2021-01-14", "2021-01-25"},
    {TK_SCHEDULE_MONTH, 2024, 2, "2024-02", "Tháng 2/2024", "2024-02-01", "2024-02-29", "2024-01-15", "2024-02-14", "2024-02-25"},
    {TK_SCHEDULE_MONTH, 2021, 12, "2021-12", "Tháng 12/2021", "2021-12-01", "2021-12-31", "2021-11-15", "2021-12-14", "2021-12-25"},
    {TK_SCHEDULE_QUARTER, 2021, 1, "2021-Q1", "Quý I/2021", "2021-01-01", "2021-03-31", "2020-12-15", "2021-03-14", "2021-03-25"},
    {TK_SCHEDULE_QUARTER, 2021, 2, "2021-Q2", "Quý II/2021", "2021-04-01", "2021-06-30", "2021-03-15", "2021-06-14", "2021-06-25"},
    {TK_SCHEDULE_QUARTER, 2021, 3, "2021-Q3", "Quý III/2021", "2021-07-01", "2021-09-30", "2021-06-15", "2021-09-14", "2021-09-25"},
    {TK_SCHEDULE_QUARTER, 2021, 4, "2021-Q4", "Quý IV/2021", "2021-10-01", "2021-12-31", "2021-09-15", "2021-12-14", "2021-12-25"},
    {TK_SCHEDULE_HALF_YEAR, 2021, 1, "2021-H1", "6 tháng đầu năm 2021", "2021-01-01", "2021-06-30", "2020-12-15", "2021-06-14", "2021-06-25"},
    {TK_SCHEDULE_NINE_MONTHS, 2021, 1, "2021-9M", "9 tháng năm 2021", "2021-01-01", "2021-09-30", "2020-12-15", "2021-09-14", "2021-09-25"},
    {TK_SCHEDULE_YEAR, 2021, 1, "2021", "Năm 2021", "2021-01-01", "2021-12-31", "2020-12-15", "2021-12-14", "2021-12-25"},
    {TK_SCHEDULE_YEAR, 2100, 1, "2100", "Năm 2100", "2100-01-01", "2100-12-31", "2099-12-15", "2100-12-14", "2100-12-25"},
};

static void test_periods_by_decree(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
        tk_schedule s = tk_schedule_default(periods[i].kind);
        tk_error err;
        assert_int_equal(tk_schedule_validate(&s, &err), TK_OK);
        tk_report_period p;
        if (!tk_schedule_period(&s, periods[i].year, periods[i].index, &p)) fail_msg("no period %s", periods[i].key);
        assert_string_equal(p.key, periods[i].key);
        assert_string_equal(p.label, periods[i].label);
        assert_date(p.first, periods[i].first, periods[i].key);
        assert_date(p.last, periods[i].last, periods[i].key);
        assert_date(p.data_first, periods[i].data_first, periods[i].key);
        assert_date(p.data_last, periods[i].data_last, periods[i].key);
        assert_date(p.due, periods[i].due, periods[i].key);

        /* The key reads back to the same period. */
        tk_report_period back;
        assert_int_equal(tk_schedule_period_from_key(&s, p.key, "period", &back, &err), TK_OK);
        assert_string_equal(back.key, p.key);
        assert_int_equal(back.due, p.due);
    }
}

/* Settable days: the last day of data and the due day; days past a month's end mean its end. */
static const struct {
    tk_schedule_kind kind;
    int cutoff, due;
    int year, index;
    const char *data_first, *data_last, *due_on;
} custom[] = {
    {TK_SCHEDULE_QUARTER, 20, 28, 2021, 2, "2021-03-21", "2021-06-20", "2021-06-28"},
    {TK_SCHEDULE_MONTH, 30, 31, 2021, 2, "2021-01-31", "2021-02-28", "2021-02-28"},
    {TK_SCHEDULE_MONTH, 30, 31, 2021, 3, "2021-03-01", "2021-03-30", "2021-03-31"},
    {TK_SCHEDULE_MONTH, 28, 31, 2024, 3, "2024-02-29", "2024-03-28", "2024-03-31"},
    {TK_SCHEDULE_YEAR, 10, 20, 2022, 1, "2021-12-11", "2022-12-10", "2022-12-20"},
};

static void test_custom_days(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof custom / sizeof custom[0]; i++) {
        tk_schedule s = tk_schedule_default(custom[i].kind);
        s.cutoff_day = custom[i].cutoff;
        s.due_day = custom[i].due;
        tk_error err;
        assert_int_equal(tk_schedule_validate(&s, &err), TK_OK);
        tk_report_period p;
        assert_true(tk_schedule_period(&s, custom[i].year, custom[i].index, &p));
        assert_date(p.data_first, custom[i].data_first, p.key);
        assert_date(p.data_last, custom[i].data_last, p.key);
        assert_date(p.due, custom[i].due_on, p.key);
    }
}

/* Consecutive data windows meet without a gap or an overlap, whatever the cut-off day. */
static void test_windows_are_contiguous(void **state)
{
    (void)state;
    for (int cutoff = 1; cutoff <= 30; cutoff++) {
        tk_schedule s = tk_schedule_default(TK_SCHEDULE_MONTH);
        s.cutoff_day = cutoff;
        s.due_day = 31;
        tk_report_period prev, p;
        assert_true(tk_schedule_period(&s, 2023, 12, &prev));
        for (int y = 2024; y <= 2025; y++)
            for (int m = 1; m <= 12; m++) {
                assert_true(tk_schedule_period(&s, y, m, &p));
                assert_int_equal(p.data_first, prev.data_last + 1);
                assert_true(p.data_last >= p.data_first);
                prev = p;
            }
    }
}

static void test_once(void **state)
{
    (void)state;
    tk_schedule s = tk_schedule_default(TK_SCHEDULE_ONCE);
    s.once_first = d("2021-03-01");
    s.once_last = d("2021-05-31");
    s.once_due_days = 10;
    tk_error err;
    assert_int_equal(tk_schedule_validate(&s, &err), TK_OK);
    tk_report_period p;
    assert_int_equal(tk_schedule_period_from_key(&s, "once", "period", &p, &err), TK_OK);
    assert_string_equal(p.key, "once");
    assert_string_equal(p.label, "Từ 01/03/2021 đến 31/05/2021");
    assert_date(p.data_first, "2021-03-01", "once");
    assert_date(p.data_last, "2021-05-31", "once");
    assert_date(p.due, "2021-06-10", "once");
    assert_true(tk_schedule_period_containing(&s, d("2021-04-01"), &p));
    assert_false(tk_schedule_period_containing(&s, d("2021-06-01"), &p));
    assert_int_equal(tk_schedule_periods_between(&s, d("2021-01-01"), d("2021-12-31"), &p, 1), 1);
    assert_int_equal(tk_schedule_periods_between(&s, d("2022-01-01"), d("2022-12-31"), &p, 1), 0);
}

static const struct {
    tk_schedule_kind kind;
    int cutoff, due;
    const char *once_first, *once_last;
    int once_due;
    const char *field;
} invalid[] = {
    {TK_SCHEDULE_QUARTER, 0, 25, NULL, NULL, 0, "cutoff_day"},
    {TK_SCHEDULE_QUARTER, 32, 25, NULL, NULL, 0, "cutoff_day"},
    {TK_SCHEDULE_QUARTER, 14, 0, NULL, NULL, 0, "due_day"},
    {TK_SCHEDULE_QUARTER, 14, 32, NULL, NULL, 0, "due_day"},
    {TK_SCHEDULE_QUARTER, 14, 14, NULL, NULL, 0, "due_day"},
    {TK_SCHEDULE_MONTH, 31, 31, NULL, NULL, 0, "due_day"},
    {TK_SCHEDULE_ONCE, 14, 25, NULL, "2021-03-31", 5, "once_first"},
    {TK_SCHEDULE_ONCE, 14, 25, "2021-03-01", NULL, 5, "once_last"},
    {TK_SCHEDULE_ONCE, 14, 25, "2021-03-31", "2021-03-01", 5, "once_last"},
    {TK_SCHEDULE_ONCE, 14, 25, "2021-03-01", "2021-03-31", -1, "once_due_days"},
    {TK_SCHEDULE_ONCE, 14, 25, "2021-03-01", "2021-03-31", 400, "once_due_days"},
    {TK_SCHEDULE_ONCE, 14, 25, "2100-03-01", "2100-12-31", 5, "once_due_days"},
};

static void test_invalid_schedules(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        tk_schedule s = tk_schedule_default(invalid[i].kind);
        s.cutoff_day = invalid[i].cutoff;
        s.due_day = invalid[i].due;
        if (invalid[i].once_first) s.once_first = d(invalid[i].once_first);
        if (invalid[i].once_last) s.once_last = d(invalid[i].once_last);
        s.once_due_days = invalid[i].once_due;
        tk_error err;
        tk_error_clear(&err);
        if (tk_schedule_validate(&s, &err) != TK_INVALID_INPUT) fail_msg("row %zu accepted", i);
        assert_string_equal(err.field, invalid[i].field);
        assert_true(err.message[0] != '\0');
    }
}

static const struct {
    tk_schedule_kind kind;
    const char *key;
} bad_keys[] = {
    {TK_SCHEDULE_QUARTER, "2021-Q5"}, {TK_SCHEDULE_QUARTER, "2021-Q0"}, {TK_SCHEDULE_QUARTER, "2021-q2"},
    {TK_SCHEDULE_QUARTER, "2021-03"}, {TK_SCHEDULE_QUARTER, "2021-Q2x"}, {TK_SCHEDULE_QUARTER, ""},
    {TK_SCHEDULE_QUARTER, NULL},      {TK_SCHEDULE_MONTH, "2021-13"},   {TK_SCHEDULE_MONTH, "2021-00"},
    {TK_SCHEDULE_MONTH, "2021-3"},    {TK_SCHEDULE_MONTH, "2021-Q1"},   {TK_SCHEDULE_HALF_YEAR, "2021-H2"},
    {TK_SCHEDULE_NINE_MONTHS, "2021"}, {TK_SCHEDULE_YEAR, "21"},        {TK_SCHEDULE_YEAR, "2101"},
    {TK_SCHEDULE_YEAR, "1900"},       {TK_SCHEDULE_YEAR, "abcd"},       {TK_SCHEDULE_ONCE, "2021"},
};

static void test_bad_keys(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_keys / sizeof bad_keys[0]; i++) {
        tk_schedule s = tk_schedule_default(bad_keys[i].kind);
        s.once_first = d("2021-01-01");
        s.once_last = d("2021-01-31");
        tk_report_period p;
        tk_error err;
        tk_error_clear(&err);
        if (tk_schedule_period_from_key(&s, bad_keys[i].key, "period", &p, &err) != TK_INVALID_INPUT)
            fail_msg("key %s accepted", bad_keys[i].key ? bad_keys[i].key : "(null)");
        assert_string_equal(err.field, "period");
    }
}

/* Regression (found by tests/fuzz/schedule_fuzz.c): a key that is not UTF-8 was quoted into the
 * message, cut at a byte count, so the message was not UTF-8 either. */
static void test_refusal_messages_are_whole_utf8(void **state)
{
    (void)state;
    static const char *const keys[] = {"\xe1" "020\xf2\xc7\xbe", "2021-Q2\xc3", "Quý V/2021 và rất nhiều chữ nữa ở đây",
                                       "2021-Q9"};
    tk_schedule s = tk_schedule_default(TK_SCHEDULE_QUARTER);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        tk_report_period p;
        tk_error err;
        assert_int_equal(tk_schedule_period_from_key(&s, keys[i], "period", &p, &err), TK_INVALID_INPUT);
        assert_true(tk_text_valid_utf8(err.message, strlen(err.message)));
        assert_non_null(strstr(err.message, "2021-Q2")); /* the example of the right form */
    }
    tk_report_period p;
    tk_error err;
    tk_schedule_period_from_key(&s, "2021-Q9", "period", &p, &err);
    assert_non_null(strstr(err.message, "\"2021-Q9\""));
}

/* The period containing a day, by the calendar and by the data window. */
static const struct {
    tk_schedule_kind kind;
    const char *day;
    const char *calendar; /* NULL: none */
    const char *data;
} containing[] = {
    {TK_SCHEDULE_QUARTER, "2021-03-20", "2021-Q1", "2021-Q2"},
    {TK_SCHEDULE_QUARTER, "2021-03-14", "2021-Q1", "2021-Q1"},
    {TK_SCHEDULE_QUARTER, "2021-03-15", "2021-Q1", "2021-Q2"},
    {TK_SCHEDULE_QUARTER, "2021-12-20", "2021-Q4", "2022-Q1"},
    {TK_SCHEDULE_QUARTER, "2021-01-01", "2021-Q1", "2021-Q1"},
    {TK_SCHEDULE_MONTH, "2021-02-14", "2021-02", "2021-02"},
    {TK_SCHEDULE_MONTH, "2021-02-15", "2021-02", "2021-03"},
    {TK_SCHEDULE_MONTH, "2021-12-31", "2021-12", "2022-01"},
    {TK_SCHEDULE_HALF_YEAR, "2021-06-20", "2021-H1", NULL},
    {TK_SCHEDULE_HALF_YEAR, "2021-08-01", NULL, NULL},
    {TK_SCHEDULE_HALF_YEAR, "2021-12-16", NULL, "2022-H1"},
    {TK_SCHEDULE_NINE_MONTHS, "2021-09-10", "2021-9M", "2021-9M"},
    {TK_SCHEDULE_NINE_MONTHS, "2021-10-10", NULL, NULL},
    {TK_SCHEDULE_YEAR, "2021-12-15", "2021", "2022"},
    {TK_SCHEDULE_YEAR, "2021-12-14", "2021", "2021"},
};

static void test_containing(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof containing / sizeof containing[0]; i++) {
        tk_schedule s = tk_schedule_default(containing[i].kind);
        tk_report_period p;
        bool found = tk_schedule_period_containing(&s, d(containing[i].day), &p);
        if (found != (containing[i].calendar != NULL))
            fail_msg("calendar period of %s: found %d", containing[i].day, found);
        if (found) assert_string_equal(p.key, containing[i].calendar);
        found = tk_schedule_period_for_data(&s, d(containing[i].day), &p);
        if (found != (containing[i].data != NULL)) fail_msg("data period of %s: found %d", containing[i].day, found);
        if (found) assert_string_equal(p.key, containing[i].data);
    }
}

static void test_periods_between(void **state)
{
    (void)state;
    tk_schedule s = tk_schedule_default(TK_SCHEDULE_QUARTER);
    tk_report_period p[8];
    size_t n = tk_schedule_periods_between(&s, d("2021-05-10"), d("2022-01-01"), p, 8);
    assert_int_equal(n, 4);
    assert_string_equal(p[0].key, "2021-Q2");
    assert_string_equal(p[1].key, "2021-Q3");
    assert_string_equal(p[2].key, "2021-Q4");
    assert_string_equal(p[3].key, "2022-Q1");
    /* The count is the whole number even when fewer fit. */
    assert_int_equal(tk_schedule_periods_between(&s, d("2021-01-01"), d("2025-12-31"), p, 2), 20);
    assert_string_equal(p[1].key, "2021-Q2");
    assert_int_equal(tk_schedule_periods_between(&s, d("2021-01-01"), d("2020-01-01"), NULL, 0), 0);

    s = tk_schedule_default(TK_SCHEDULE_MONTH);
    assert_int_equal(tk_schedule_periods_between(&s, d("2021-01-31"), d("2021-03-01"), p, 8), 3);
    assert_string_equal(p[2].key, "2021-03");
    s = tk_schedule_default(TK_SCHEDULE_HALF_YEAR);
    assert_int_equal(tk_schedule_periods_between(&s, d("2021-07-01"), d("2023-06-30"), p, 8), 2);
    assert_string_equal(p[0].key, "2022-H1");
    s = tk_schedule_default(TK_SCHEDULE_YEAR);
    assert_int_equal(tk_schedule_periods_between(&s, d("2021-12-31"), d("2022-01-01"), p, 8), 2);
}

static void test_kind_names(void **state)
{
    (void)state;
    for (int k = 0; k < TK_SCHEDULE_KIND_COUNT; k++) {
        tk_schedule_kind back;
        assert_true(tk_schedule_kind_from_name(tk_schedule_kind_name((tk_schedule_kind)k), &back));
        assert_int_equal(back, k);
    }
    tk_schedule_kind back;
    assert_false(tk_schedule_kind_from_name("weekly", &back));
    assert_false(tk_schedule_kind_from_name(NULL, &back));
    assert_string_equal(tk_schedule_kind_name(TK_SCHEDULE_HALF_YEAR), "half_year");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_periods_by_decree), cmocka_unit_test(test_custom_days),
        cmocka_unit_test(test_windows_are_contiguous), cmocka_unit_test(test_once),
        cmocka_unit_test(test_invalid_schedules), cmocka_unit_test(test_bad_keys),
        cmocka_unit_test(test_refusal_messages_are_whole_utf8),
        cmocka_unit_test(test_containing), cmocka_unit_test(test_periods_between),
        cmocka_unit_test(test_kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
