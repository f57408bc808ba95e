/* The status of a task on a day (src/core/status.c): the four statuses, and the rules that
 * decide them, as DOMAIN.md "Rules" and core/status.h state them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/status.h"

static tk_date day(const char *iso)
{
    tk_date d = 0;
    if (!tk_date_parse_iso(iso, &d)) fail_msg("bad date in test table: %s", iso);
    return d;
}

enum { SPAN = TK_PERIOD_SPAN, CONT = TK_PERIOD_CONTINUOUS, YEAR = TK_PERIOD_RECURRING_YEAR,
       QUARTER = TK_PERIOD_RECURRING_QUARTER, MONTH = TK_PERIOD_RECURRING_MONTH };
enum { ON_TIME = TK_STATUS_DONE_ON_TIME, LATE = TK_STATUS_DONE_LATE,
       IN_PROGRESS = TK_STATUS_IN_PROGRESS, OVERDUE = TK_STATUS_OVERDUE };

/* One row per case: the facts (kind, deadline, completion day or NULL), the day it is judged
 * on, the status and the days overdue expected. */
static const struct {
    const char *name;
    int kind;
    const char *due_last;
    const char *completed_on;
    const char *on;
    int status;
    int days_overdue;
} cases[] = {
    /* A span deadline: "Quý I/2021" is due 31/3/2021. */
    {"done before the deadline",             SPAN, "2021-03-31", "2021-03-15", "2021-04-10", ON_TIME, 0},
    {"done on the deadline day",             SPAN, "2021-03-31", "2021-03-31", "2021-03-31", ON_TIME, 0},
    {"done on the deadline, judged later",   SPAN, "2021-03-31", "2021-03-31", "2025-12-31", ON_TIME, 0},
    {"done the day after the deadline",      SPAN, "2021-03-31", "2021-04-01", "2021-04-01", LATE, 0},
    {"done after the deadline, judged later",SPAN, "2021-03-31", "2021-04-20", "2021-05-01", LATE, 0},
    {"open before the deadline",             SPAN, "2021-03-31", NULL,         "2021-03-01", IN_PROGRESS, 0},
    {"open on the deadline day",             SPAN, "2021-03-31", NULL,         "2021-03-31", IN_PROGRESS, 0},
    {"open the day after the deadline",      SPAN, "2021-03-31", NULL,         "2021-04-01", OVERDUE, 1},
    {"open at the end of the year",          SPAN, "2021-03-31", NULL,         "2021-12-31", OVERDUE, 275},
    {"open across 29/2 of a leap year",      SPAN, "2024-02-28", NULL,         "2024-03-01", OVERDUE, 2},
    {"a one-day deadline, done that day",    SPAN, "2021-06-30", "2021-06-30", "2021-06-30", ON_TIME, 0},
    /* A completion after `on` had not happened yet on that day. */
    {"done on time, judged before it",       SPAN, "2021-03-31", "2021-03-20", "2021-03-10", IN_PROGRESS, 0},
    {"done on time, judged the day before",  SPAN, "2021-03-31", "2021-03-31", "2021-03-30", IN_PROGRESS, 0},
    {"done late, judged before it",          SPAN, "2021-03-31", "2021-04-20", "2021-04-10", OVERDUE, 10},
    {"done late, judged the day before",     SPAN, "2021-03-31", "2021-04-20", "2021-04-19", OVERDUE, 19},
    {"done late, judged on the deadline",    SPAN, "2021-03-31", "2021-04-20", "2021-03-31", IN_PROGRESS, 0},
    /* "Thường xuyên": no deadline, never overdue; due_last, whatever it holds, is not read. */
    {"continuous, open",                     CONT, "2021-01-01", NULL,         "2030-01-01", IN_PROGRESS, 0},
    {"continuous, done",                     CONT, "2021-01-01", "2021-05-01", "2021-06-01", ON_TIME, 0},
    {"continuous, done on the day",          CONT, "2021-01-01", "2021-05-01", "2021-05-01", ON_TIME, 0},
    {"continuous, done after the day",       CONT, "2021-01-01", "2021-05-01", "2021-04-01", IN_PROGRESS, 0},
    /* "Hằng năm": judged on the year that contains `on`. */
    {"yearly, done this year",               YEAR, "2021-01-01", "2021-06-15", "2021-12-31", ON_TIME, 0},
    {"yearly, done on the year's first day", YEAR, "2021-01-01", "2021-01-01", "2021-01-01", ON_TIME, 0},
    {"yearly, done last year",               YEAR, "2021-01-01", "2020-12-31", "2021-01-01", IN_PROGRESS, 0},
    {"yearly, open on the year's last day",  YEAR, "2021-01-01", NULL,         "2021-12-31", IN_PROGRESS, 0},
    {"yearly, done later this year",         YEAR, "2021-01-01", "2021-06-15", "2021-06-14", IN_PROGRESS, 0},
    {"yearly, open years after due_last",    YEAR, "2021-01-01", NULL,         "2025-07-01", IN_PROGRESS, 0},
    /* "Hằng quý": judged on the quarter that contains `on`. */
    {"quarterly, done on Q2's first day",    QUARTER, "2021-01-01", "2021-04-01", "2021-06-30", ON_TIME, 0},
    {"quarterly, done in Q4",                QUARTER, "2021-01-01", "2021-11-15", "2021-12-31", ON_TIME, 0},
    {"quarterly, done last quarter",         QUARTER, "2021-01-01", "2021-03-31", "2021-04-01", IN_PROGRESS, 0},
    {"quarterly, done next quarter",         QUARTER, "2021-01-01", "2021-07-01", "2021-06-30", IN_PROGRESS, 0},
    {"quarterly, open on Q1's last day",     QUARTER, "2021-01-01", NULL,         "2021-03-31", IN_PROGRESS, 0},
    /* "Hằng tháng": judged on the month that contains `on`. */
    {"monthly, done on 29/2",                MONTH, "2021-01-01", "2024-02-29", "2024-02-29", ON_TIME, 0},
    {"monthly, done mid-month",              MONTH, "2021-01-01", "2024-02-10", "2024-02-20", ON_TIME, 0},
    {"monthly, done last month",             MONTH, "2021-01-01", "2024-01-31", "2024-02-01", IN_PROGRESS, 0},
    {"monthly, done later this month",       MONTH, "2021-01-01", "2024-02-20", "2024-02-10", IN_PROGRESS, 0},
    {"monthly, open on the month's last day",MONTH, "2021-01-01", NULL,         "2021-02-28", IN_PROGRESS, 0},
    /* A kind this build does not know is judged by its deadline. */
    {"unknown kind, open after due_last",    99,   "2021-03-31", NULL,         "2021-04-03", OVERDUE, 3},
};

static tk_task_facts facts_of(size_t i)
{
    tk_task_facts f = {
        .due_kind = (tk_period_kind)cases[i].kind,
        .due_last = day(cases[i].due_last),
        .completed = cases[i].completed_on != NULL,
        .completed_on = cases[i].completed_on ? day(cases[i].completed_on) : 0,
    };
    return f;
}

static void test_status_of(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tk_task_facts f = facts_of(i);
        tk_status got = tk_status_of(&f, day(cases[i].on));
        if ((int)got != cases[i].status)
            fail_msg("%s: got %s, want %s", cases[i].name, tk_status_name(got),
                     tk_status_name((tk_status)cases[i].status));
    }
}

static void test_days_overdue(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tk_task_facts f = facts_of(i);
        int got = tk_status_days_overdue(&f, day(cases[i].on));
        if (got != cases[i].days_overdue)
            fail_msg("%s: got %d days overdue, want %d", cases[i].name, got, cases[i].days_overdue);
    }
}

/* `completed` is what says the task reached 100%; a day left in completed_on without it
 * (progress taken back below 100%) is not a completion. */
static void test_not_completed_ignores_completed_on(void **state)
{
    (void)state;
    static const struct {
        int kind;
        const char *on;
        int status;
    } rows[] = {
        {SPAN,    "2021-04-01", OVERDUE},
        {CONT,    "2021-04-01", IN_PROGRESS},
        {YEAR,    "2021-04-01", IN_PROGRESS},
        {QUARTER, "2021-03-31", IN_PROGRESS},
        {MONTH,   "2021-03-31", IN_PROGRESS},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        tk_task_facts f = {.due_kind = (tk_period_kind)rows[i].kind, .due_last = day("2021-03-31"),
                           .completed = false, .completed_on = day("2021-03-15")};
        tk_status got = tk_status_of(&f, day(rows[i].on));
        if ((int)got != rows[i].status)
            fail_msg("kind %d: got %s, want %s", rows[i].kind, tk_status_name(got),
                     tk_status_name((tk_status)rows[i].status));
    }
}

static void test_names(void **state)
{
    (void)state;
    static const struct {
        tk_status status;
        const char *name;
    } rows[] = {
        {TK_STATUS_DONE_ON_TIME, "done_on_time"},
        {TK_STATUS_DONE_LATE,    "done_late"},
        {TK_STATUS_IN_PROGRESS,  "in_progress"},
        {TK_STATUS_OVERDUE,      "overdue"},
    };
    _Static_assert(sizeof rows / sizeof rows[0] == TK_STATUS_COUNT, "every status has a row");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_string_equal(tk_status_name(rows[i].status), rows[i].name);
        tk_status back = TK_STATUS_COUNT;
        assert_true(tk_status_from_name(rows[i].name, &back));
        assert_int_equal(back, rows[i].status);
    }
}

static void test_unknown_names(void **state)
{
    (void)state;
    static const char *const unknown[] = {
        "", "Overdue", "overdue ", "done", "on_time", "late", "unknown", "quá hạn",
    };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        tk_status out = TK_STATUS_OVERDUE;
        if (tk_status_from_name(unknown[i], &out)) fail_msg("accepted \"%s\"", unknown[i]);
        assert_int_equal(out, TK_STATUS_OVERDUE);
    }
    tk_status out = TK_STATUS_OVERDUE;
    assert_false(tk_status_from_name(NULL, &out));
    assert_string_equal(tk_status_name(TK_STATUS_COUNT), "unknown");
    assert_string_equal(tk_status_name((tk_status)-1), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_of),
        cmocka_unit_test(test_days_overdue),
        cmocka_unit_test(test_not_completed_ignores_completed_on),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_unknown_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
