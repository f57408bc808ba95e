/* Roll-ups (src/core/rollup.c): a unit's scorecard counts its tasks by status, subtree totals
 * merge scorecards, and a program's progress is the weighted mean of its tasks'. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "core/rollup.h"

static tk_date day(const char *iso)
{
    tk_date d = 0;
    if (!tk_date_parse_iso(iso, &d)) fail_msg("bad date in test table: %s", iso);
    return d;
}

static tk_task_facts facts(tk_period_kind kind, const char *due_last, const char *completed_on)
{
    tk_task_facts f = {
        .due_kind = kind,
        .due_last = day(due_last),
        .completed = completed_on != NULL,
        .completed_on = completed_on ? day(completed_on) : 0,
    };
    return f;
}

static void expect_card(const tk_scorecard *card, int64_t on_time, int64_t late,
                        int64_t in_progress, int64_t overdue)
{
    assert_int_equal(card->count[TK_STATUS_DONE_ON_TIME], on_time);
    assert_int_equal(card->count[TK_STATUS_DONE_LATE], late);
    assert_int_equal(card->count[TK_STATUS_IN_PROGRESS], in_progress);
    assert_int_equal(card->count[TK_STATUS_OVERDUE], overdue);
    assert_int_equal(card->total, on_time + late + in_progress + overdue);
}

static void expect_tenths(double got, double want, const char *what)
{
    if (fabs(got - want) > 1e-9) fail_msg("%s: got %.10g, want %.10g", what, got, want);
}

/* Groups of tasks as the store keeps them (one row per set of facts, with a count); the
 * Government office's 2017 figures from DOMAIN.md "Scale", judged on 31/12/2017. */
static const struct {
    tk_period_kind kind;
    const char *due_last;
    const char *completed_on;
    int64_t n;
} office_2017[] = {
    {TK_PERIOD_SPAN, "2017-06-30", "2017-06-01", 14068}, /* hoàn thành đúng hạn */
    {TK_PERIOD_SPAN, "2017-06-30", "2017-08-01", 1983},  /* hoàn thành quá hạn */
    {TK_PERIOD_SPAN, "2018-03-31", NULL,         5640},  /* đang thực hiện trong hạn */
    {TK_PERIOD_SPAN, "2017-09-30", NULL,         223},   /* quá hạn chưa hoàn thành */
};

static void test_init_is_empty(void **state)
{
    (void)state;
    tk_scorecard card;
    card.total = 7;
    for (int i = 0; i < TK_STATUS_COUNT; i++) card.count[i] = 7;
    tk_scorecard_init(&card);
    expect_card(&card, 0, 0, 0, 0);
}

static void test_add_counts_by_status(void **state)
{
    (void)state;
    tk_scorecard card;
    tk_scorecard_init(&card);
    for (size_t i = 0; i < sizeof office_2017 / sizeof office_2017[0]; i++) {
        tk_task_facts f = facts(office_2017[i].kind, office_2017[i].due_last, office_2017[i].completed_on);
        tk_scorecard_add(&card, &f, office_2017[i].n, day("2017-12-31"));
    }
    expect_card(&card, 14068, 1983, 5640, 223);
    assert_int_equal(card.total, 21914);
}

/* The same group lands in a different column depending on the day it is judged on. */
static void test_add_judges_on_the_day(void **state)
{
    (void)state;
    static const struct {
        tk_period_kind kind;
        const char *due_last;
        const char *completed_on;
        const char *on;
        tk_status status;
    } rows[] = {
        {TK_PERIOD_SPAN,              "2021-03-31", "2021-04-20", "2021-03-31", TK_STATUS_IN_PROGRESS},
        {TK_PERIOD_SPAN,              "2021-03-31", "2021-04-20", "2021-04-01", TK_STATUS_OVERDUE},
        {TK_PERIOD_SPAN,              "2021-03-31", "2021-04-20", "2021-04-20", TK_STATUS_DONE_LATE},
        {TK_PERIOD_SPAN,              "2021-03-31", "2021-03-31", "2021-03-31", TK_STATUS_DONE_ON_TIME},
        {TK_PERIOD_CONTINUOUS,        "2021-03-31", NULL,         "2030-01-01", TK_STATUS_IN_PROGRESS},
        {TK_PERIOD_RECURRING_QUARTER, "2021-03-31", "2021-05-10", "2021-06-30", TK_STATUS_DONE_ON_TIME},
        {TK_PERIOD_RECURRING_QUARTER, "2021-03-31", "2021-05-10", "2021-07-01", TK_STATUS_IN_PROGRESS},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        tk_scorecard card;
        tk_scorecard_init(&card);
        tk_task_facts f = facts(rows[i].kind, rows[i].due_last, rows[i].completed_on);
        tk_scorecard_add(&card, &f, 3, day(rows[i].on));
        for (int s = 0; s < TK_STATUS_COUNT; s++) {
            int64_t want = s == (int)rows[i].status ? 3 : 0;
            if (card.count[s] != want)
                fail_msg("row %zu: %s counts %lld, want %lld", i, tk_status_name((tk_status)s),
                         (long long)card.count[s], (long long)want);
        }
        assert_int_equal(card.total, 3);
    }
}

static void test_add_nothing(void **state)
{
    (void)state;
    tk_scorecard card;
    tk_scorecard_init(&card);
    tk_task_facts f = facts(TK_PERIOD_SPAN, "2021-03-31", NULL);
    tk_scorecard_add(&card, &f, 2, day("2021-04-01"));
    tk_scorecard_add(&card, &f, 0, day("2021-04-01"));
    tk_scorecard_add(&card, &f, -5, day("2021-04-01"));
    expect_card(&card, 0, 0, 0, 2);
}

/* Subtree totals: two units' cards merged give the card of all their tasks. */
static void test_merge(void **state)
{
    (void)state;
    tk_scorecard unit_a, unit_b, whole, subtree;
    tk_scorecard_init(&unit_a);
    tk_scorecard_init(&unit_b);
    tk_scorecard_init(&whole);
    tk_scorecard_init(&subtree);
    for (size_t i = 0; i < sizeof office_2017 / sizeof office_2017[0]; i++) {
        tk_task_facts f = facts(office_2017[i].kind, office_2017[i].due_last, office_2017[i].completed_on);
        int64_t to_a = office_2017[i].n / 3;
        tk_scorecard_add(&unit_a, &f, to_a, day("2017-12-31"));
        tk_scorecard_add(&unit_b, &f, office_2017[i].n - to_a, day("2017-12-31"));
        tk_scorecard_add(&whole, &f, office_2017[i].n, day("2017-12-31"));
    }
    tk_scorecard_merge(&subtree, &unit_a);
    tk_scorecard_merge(&subtree, &unit_b);
    for (int s = 0; s < TK_STATUS_COUNT; s++) assert_int_equal(subtree.count[s], whole.count[s]);
    assert_int_equal(subtree.total, whole.total);

    tk_scorecard empty;
    tk_scorecard_init(&empty);
    tk_scorecard_merge(&subtree, &empty);
    expect_card(&subtree, 14068, 1983, 5640, 223);
    tk_scorecard_merge(&empty, &subtree);
    expect_card(&empty, 14068, 1983, 5640, 223);
}

static tk_scorecard card_of(int64_t on_time, int64_t late, int64_t in_progress, int64_t overdue)
{
    tk_scorecard card = {
        .count = {[TK_STATUS_DONE_ON_TIME] = on_time, [TK_STATUS_DONE_LATE] = late,
                  [TK_STATUS_IN_PROGRESS] = in_progress, [TK_STATUS_OVERDUE] = overdue},
        .total = on_time + late + in_progress + overdue,
    };
    return card;
}

static void test_percent(void **state)
{
    (void)state;
    static const struct {
        int64_t on_time, late, in_progress, overdue;
        tk_status status;
        double percent;
    } rows[] = {
        {14068, 1983, 5640, 223, TK_STATUS_DONE_ON_TIME, 64.2},
        {14068, 1983, 5640, 223, TK_STATUS_DONE_LATE,    9.0},
        {14068, 1983, 5640, 223, TK_STATUS_IN_PROGRESS,  25.7},
        {14068, 1983, 5640, 223, TK_STATUS_OVERDUE,      1.0},
        {1, 2, 0, 0,             TK_STATUS_DONE_ON_TIME, 33.3},
        {1, 2, 0, 0,             TK_STATUS_DONE_LATE,    66.7},
        {1, 7, 0, 0,             TK_STATUS_DONE_ON_TIME, 12.5},
        {49, 351, 0, 0,          TK_STATUS_DONE_ON_TIME, 12.3}, /* 12,25: the half goes up */
        {1, 1999, 0, 0,          TK_STATUS_DONE_ON_TIME, 0.1},  /* 0,05 */
        {1, 2000, 0, 0,          TK_STATUS_DONE_ON_TIME, 0.0},  /* 0,049975 */
        {5, 0, 0, 0,             TK_STATUS_DONE_ON_TIME, 100.0},
        {5, 0, 0, 0,             TK_STATUS_OVERDUE,      0.0},
        /* An empty unit is 0%, not a division by zero. */
        {0, 0, 0, 0,             TK_STATUS_DONE_ON_TIME, 0.0},
        {0, 0, 0, 0,             TK_STATUS_OVERDUE,      0.0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        tk_scorecard card = card_of(rows[i].on_time, rows[i].late, rows[i].in_progress, rows[i].overdue);
        char what[64];
        snprintf(what, sizeof what, "row %zu (%s)", i, tk_status_name(rows[i].status));
        expect_tenths(tk_scorecard_percent(&card, rows[i].status), rows[i].percent, what);
    }

    tk_scorecard card = card_of(1, 1, 1, 1);
    expect_tenths(tk_scorecard_percent(&card, TK_STATUS_COUNT), 0.0, "a status out of range");
}

static void test_progress(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        double weight_sum;
        double weighted_progress_sum;
        double progress;
    } rows[] = {
        {"no tasks, or weights all zero",         0.0, 0.0,      0.0},
        {"weights zero, progress left over",      0.0, 50.0,     0.0},
        {"one task at 100%",                      1.0, 100.0,    100.0},
        {"one task at 0%",                        1.0, 0.0,      0.0},
        {"weight 2 at 100%, weight 1 at 40%",     3.0, 240.0,    80.0},
        {"equal weights at 100, 0, 0",            3.0, 100.0,    33.3},
        {"equal weights at 100, 100, 0",          3.0, 200.0,    66.7},
        {"four tasks, 12,25%: the half goes up",  4.0, 49.0,     12.3},
        {"eight tasks, 0,0625%",                  8.0, 0.5,      0.1},
        {"a mean under a twentieth",              10.0, 0.4,     0.0},
        {"fractional weights 0,5 and 1,5",        2.0, 0.5 * 20.0 + 1.5 * 60.0, 50.0},
        /* The store's running sums drift by floating error; the mean stays in 0..100. */
        {"sum drifted below zero",                2.0, -1e-12,   0.0},
        {"sum drifted above 100%",                2.0, 200.0000001, 100.0},
        {"weight sum drifted below zero",         -1e-15, 0.0,   0.0},
        {"weight sum not a number",               NAN, 50.0,     0.0},
        {"progress sum not a number",             2.0, NAN,      0.0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        expect_tenths(tk_rollup_progress(rows[i].weight_sum, rows[i].weighted_progress_sum),
                      rows[i].progress, rows[i].name);

    /* Never "-0,0" on a page. */
    assert_false(signbit(tk_rollup_progress(2.0, -1e-12)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_is_empty),
        cmocka_unit_test(test_add_counts_by_status),
        cmocka_unit_test(test_add_judges_on_the_day),
        cmocka_unit_test(test_add_nothing),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_progress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
