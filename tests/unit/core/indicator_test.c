/* Indicators (src/core/indicator.c): values roll up by the indicator's own rule, a least-squares
 * trend is projected to the milestone's last day, and the projection (or the latest value) is
 * judged against the target in the indicator's direction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/indicator.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define END {NULL, 0, false}

static tk_date day(const char *iso)
{
    tk_date d = 0;
    if (!tk_date_parse_iso(iso, &d)) fail_msg("bad date in test table: %s", iso);
    return d;
}

static void expect_near(double got, double want, double tolerance, const char *what)
{
    if (!(fabs(got - want) <= tolerance)) fail_msg("%s: got %.12g, want %.12g", what, got, want);
}

/* A point as the tables write it; a NULL day ends a list. */
typedef struct row {
    const char *on;
    double value;
    bool is_estimate;
} row;

static size_t load(const row *rows, tk_indicator_point *out, size_t cap)
{
    size_t n = 0;
    for (; rows[n].on; n++) {
        if (n >= cap) fail_msg("test table longer than %zu", cap);
        out[n] = (tk_indicator_point){day(rows[n].on), rows[n].value, rows[n].is_estimate};
    }
    return n;
}

/* ---- names ---- */

static void names_round_trip(void **state)
{
    (void)state;
    static const char *const aggregations[] = {"sum", "mean", "last", "none"};
    for (size_t i = 0; i < COUNT(aggregations); i++) {
        tk_aggregation a;
        assert_true(tk_aggregation_from_name(aggregations[i], &a));
        assert_string_equal(tk_aggregation_name(a), aggregations[i]);
    }
    tk_aggregation a;
    assert_false(tk_aggregation_from_name("median", &a));
    assert_false(tk_aggregation_from_name(NULL, &a));
    tk_direction d;
    assert_true(tk_direction_from_name("decrease", &d));
    assert_int_equal(d, TK_DIRECTION_DECREASE);
    assert_string_equal(tk_direction_name(TK_DIRECTION_INCREASE), "increase");
    assert_false(tk_direction_from_name("Increase", &d));
    assert_string_equal(tk_assessment_name(TK_ASSESSMENT_UNKNOWN), "unknown");
    assert_string_equal(tk_assessment_name(TK_ASSESSMENT_ACHIEVED), "achieved");
    assert_string_equal(tk_assessment_name(TK_ASSESSMENT_ON_TRACK), "on_track");
    assert_string_equal(tk_assessment_name(TK_ASSESSMENT_OFF_TRACK), "off_track");
}

/* ---- rolling up the values of one period ---- */

static const struct {
    const char *what;
    tk_aggregation rule;
    row values[5];
    bool ok;
    double want;
    const char *want_on;
    bool want_estimate;
} aggregate_cases[] = {
    {"sum of two districts", TK_AGGREGATION_SUM, {{"2021-12-31", 120, false}, {"2021-12-31", 80, false}, END},
     true, 200, "2021-12-31", false},
    {"mean of two rates", TK_AGGREGATION_MEAN, {{"2021-12-31", 5.8, false}, {"2021-12-31", 6.2, false}, END},
     true, 6.0, "2021-12-31", false},
    {"last entered stands", TK_AGGREGATION_LAST, {{"2021-12-31", 5.8, true}, {"2021-12-31", 6.1, false}, END},
     true, 6.1, "2021-12-31", true},
    {"none with one value", TK_AGGREGATION_NONE, {{"2021-12-31", 5.8, true}, END}, true, 5.8, "2021-12-31", true},
    {"none with two values has no aggregate", TK_AGGREGATION_NONE,
     {{"2021-12-31", 5.8, false}, {"2021-12-31", 6.0, false}, END}, false, 0, NULL, false},
    {"an estimate makes the total an estimate", TK_AGGREGATION_SUM,
     {{"2021-12-31", 1, false}, {"2021-12-31", 2, true}, {"2021-12-31", 3, false}, END}, true, 6, "2021-12-31", true},
    {"the latest day of the period", TK_AGGREGATION_SUM, {{"2021-06-30", 1, false}, {"2021-12-31", 2, false}, END},
     true, 3, "2021-12-31", false},
    {"negative values", TK_AGGREGATION_MEAN, {{"2021-12-31", -1.5, false}, {"2021-12-31", -2.5, false}, END}, true,
     -2, "2021-12-31", false},
    {"nothing to roll up", TK_AGGREGATION_SUM, {END}, false, 0, NULL, false},
    {"NaN refused", TK_AGGREGATION_SUM, {{"2021-12-31", 1, false}, {"2021-12-31", NAN, false}, END}, false, 0, NULL,
     false},
    {"infinity refused", TK_AGGREGATION_LAST, {{"2021-12-31", INFINITY, false}, {"2021-12-31", 1, false}, END}, false,
     0, NULL, false},
    {"a sum past the largest double refused", TK_AGGREGATION_SUM,
     {{"2021-12-31", 1.5e308, false}, {"2021-12-31", 1.5e308, false}, END}, false, 0, NULL, false},
};

static void aggregates_by_rule(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(aggregate_cases); i++) {
        tk_indicator_point in[8], out = {.on = -1, .value = -1};
        size_t n = load(aggregate_cases[i].values, in, COUNT(in));
        bool ok = tk_indicator_aggregate(aggregate_cases[i].rule, in, n, &out);
        if (ok != aggregate_cases[i].ok) fail_msg("%s: got %d, want %d", aggregate_cases[i].what, ok, aggregate_cases[i].ok);
        if (!ok) {
            assert_int_equal(out.on, -1); /* untouched */
            continue;
        }
        expect_near(out.value, aggregate_cases[i].want, 1e-12, aggregate_cases[i].what);
        assert_int_equal(out.on, day(aggregate_cases[i].want_on));
        assert_int_equal(out.is_estimate, aggregate_cases[i].want_estimate);
    }
}

static const struct {
    const char *what;
    tk_aggregation rule;
    row in[8];
    bool ok;
    row want[5];
} by_day_cases[] = {
    {"sum per day",
     TK_AGGREGATION_SUM,
     {{"2021-12-31", 10, false}, {"2021-12-31", 20, false}, {"2022-12-31", 15, true}, {"2022-12-31", 25, false}, END},
     true,
     {{"2021-12-31", 30, false}, {"2022-12-31", 40, true}, END}},
    {"mean per day",
     TK_AGGREGATION_MEAN,
     {{"2021-12-31", 4, false}, {"2021-12-31", 6, false}, {"2022-12-31", 7, false}, END},
     true,
     {{"2021-12-31", 5, false}, {"2022-12-31", 7, false}, END}},
    {"last per day",
     TK_AGGREGATION_LAST,
     {{"2021-12-31", 4, false}, {"2021-12-31", 6, false}, {"2022-12-31", 7, false}, END},
     true,
     {{"2021-12-31", 6, false}, {"2022-12-31", 7, false}, END}},
    {"none keeps the days with a single value",
     TK_AGGREGATION_NONE,
     {{"2021-12-31", 4, false}, {"2021-12-31", 6, false}, {"2022-12-31", 7, false}, END},
     true,
     {{"2022-12-31", 7, false}, END}},
    {"empty", TK_AGGREGATION_SUM, {END}, true, {END}},
    {"out of order refused", TK_AGGREGATION_SUM, {{"2022-12-31", 1, false}, {"2021-12-31", 2, false}, END}, false,
     {END}},
    {"NaN refused", TK_AGGREGATION_NONE, {{"2021-12-31", 1, false}, {"2022-12-31", NAN, false}, END}, false, {END}},
    {"-inf refused", TK_AGGREGATION_MEAN, {{"2021-12-31", -INFINITY, false}, END}, false, {END}},
};

static void aggregates_each_day(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(by_day_cases); i++) {
        tk_indicator_point in[8], out[8], want[8];
        size_t n = load(by_day_cases[i].in, in, COUNT(in));
        size_t want_n = load(by_day_cases[i].want, want, COUNT(want)), count = 99;
        bool ok = tk_indicator_aggregate_by_day(by_day_cases[i].rule, in, n, out, &count);
        if (ok != by_day_cases[i].ok) fail_msg("%s: got %d, want %d", by_day_cases[i].what, ok, by_day_cases[i].ok);
        if (!ok) {
            assert_int_equal(count, 0);
            continue;
        }
        if (count != want_n) fail_msg("%s: %zu points, want %zu", by_day_cases[i].what, count, want_n);
        for (size_t k = 0; k < count; k++) {
            assert_int_equal(out[k].on, want[k].on);
            expect_near(out[k].value, want[k].value, 1e-12, by_day_cases[i].what);
            assert_int_equal(out[k].is_estimate, want[k].is_estimate);
        }
    }
}

/* ---- trend and projection ---- */

static const struct {
    const char *what;
    row points[8];
    tk_trend_status status;
    const char *at;   /* the day to project to */
    double want;      /* the line's value there */
    double tolerance;
} trend_cases[] = {
    /* +1 per day exactly: 10 days after the first point the line stands at 10 more. */
    {"a straight line", {{"2021-01-01", 100, false}, {"2021-01-02", 101, false}, {"2021-01-03", 102, false}, END},
     TK_TREND_OK, "2021-01-11", 110, 1e-9},
    /* Order does not matter. */
    {"points in any order", {{"2021-01-03", 102, false}, {"2021-01-01", 100, false}, {"2021-01-02", 101, false}, END},
     TK_TREND_OK, "2021-01-11", 110, 1e-9},
    /* Two points define the line; halfway between them is their mean. */
    {"two points", {{"2021-01-01", 0, false}, {"2021-01-21", 10, false}, END}, TK_TREND_OK, "2021-01-11", 5, 1e-12},
    /* A falling series of poor households (%), year ends 2021..2024: -0,5 each year (365 or 366
     * days), projected to 31/12/2025. */
    {"a falling rate",
     {{"2021-12-31", 3.0, false}, {"2022-12-31", 2.5, false}, {"2023-12-31", 2.0, false}, {"2024-12-31", 1.5, false}, END},
     TK_TREND_OK, "2025-12-31", 1.0, 2e-3},
    /* Scatter around a line: least squares through (0,1), (1,3), (2,2), (3,4) is 1.3 + 0.8x. */
    {"least squares of scattered points",
     {{"2021-01-01", 1, false}, {"2021-01-02", 3, false}, {"2021-01-03", 2, false}, {"2021-01-04", 4, false}, END},
     TK_TREND_OK, "2021-01-11", 1.3 + 0.8 * 10, 1e-9},
    /* Values far from zero, close together: the centred sums keep the answer exact enough. */
    {"large close values", {{"2021-01-01", 1e9 + 1, false}, {"2021-01-02", 1e9 + 2, false}, {"2021-01-03", 1e9 + 3, false}, END},
     TK_TREND_OK, "2021-01-04", 1e9 + 4, 1e-5},
    {"flat", {{"2021-12-31", 7, false}, {"2022-12-31", 7, false}, END}, TK_TREND_OK, "2030-12-31", 7, 1e-12},
    {"no points", {END}, TK_TREND_TOO_FEW, NULL, 0, 0},
    {"one point", {{"2021-12-31", 5.8, true}, END}, TK_TREND_TOO_FEW, NULL, 0, 0},
    {"every point on one day", {{"2021-12-31", 5.8, false}, {"2021-12-31", 6.0, false}, {"2021-12-31", 6.2, false}, END},
     TK_TREND_ONE_DAY, NULL, 0, 0},
    {"NaN refused", {{"2021-12-31", 5.8, false}, {"2022-12-31", NAN, false}, END}, TK_TREND_NOT_FINITE, NULL, 0, 0},
    {"a lone NaN is refused, not too few", {{"2021-12-31", NAN, false}, END}, TK_TREND_NOT_FINITE, NULL, 0, 0},
    {"infinity refused", {{"2021-12-31", INFINITY, false}, {"2022-12-31", 1, false}, END}, TK_TREND_NOT_FINITE, NULL, 0, 0},
    {"sums past the largest double refused", {{"2021-12-31", -1.7e308, false}, {"2022-12-31", 1.7e308, false}, END},
     TK_TREND_NOT_FINITE, NULL, 0, 0},
};

static void fits_and_projects_a_trend(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(trend_cases); i++) {
        tk_indicator_point points[8];
        size_t n = load(trend_cases[i].points, points, COUNT(points));
        tk_trend trend = {.origin = -7, .intercept = -7, .slope = -7};
        tk_trend_status status = tk_indicator_trend(points, n, &trend);
        if (status != trend_cases[i].status)
            fail_msg("%s: status %d, want %d", trend_cases[i].what, status, trend_cases[i].status);
        if (status != TK_TREND_OK) {
            assert_int_equal(trend.origin, -7); /* untouched */
            continue;
        }
        double v = NAN;
        assert_true(tk_indicator_trend_at(&trend, day(trend_cases[i].at), &v));
        expect_near(v, trend_cases[i].want, trend_cases[i].tolerance, trend_cases[i].what);
    }
}

static void a_projection_that_overflows_is_refused(void **state)
{
    (void)state;
    tk_trend steep = {.origin = 0, .intercept = 0, .slope = 1e307};
    double v = 42;
    assert_false(tk_indicator_trend_at(&steep, 100, &v));
    assert_true(v == 42);
    assert_true(tk_indicator_trend_at(&steep, 0, &v));
    assert_true(v == 0);
}

/* ---- milestones ---- */

static void a_milestone_is_the_last_day_of_its_year(void **state)
{
    (void)state;
    assert_int_equal(tk_indicator_milestone_day(2025), day("2025-12-31"));
    assert_int_equal(tk_indicator_milestone_day(2045), day("2045-12-31"));
}

static const struct {
    const char *what;
    int years[5];
    size_t n;
    const char *on;
    bool found;
    int want;
} milestone_cases[] = {
    {"the first of 2025, 2030, 2045", {2025, 2030, 2045}, 3, "2023-06-30", true, 2025},
    {"years in any order", {2045, 2030, 2025}, 3, "2023-06-30", true, 2025},
    {"on its last day a milestone is still ahead", {2025, 2030}, 2, "2025-12-31", true, 2025},
    {"the day after, the next one", {2025, 2030}, 2, "2026-01-01", true, 2030},
    {"every milestone past", {2020, 2025}, 2, "2026-01-01", false, 0},
    {"no targets", {0}, 0, "2026-01-01", false, 0},
    {"years out of range ignored", {0, -5, 99999, 2030}, 4, "2021-01-01", true, 2030},
    {"only out of range", {1850, 2200}, 2, "2021-01-01", false, 0},
    {"duplicates", {2030, 2030, 2045}, 3, "2026-01-01", true, 2030},
};

static void finds_the_next_milestone(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(milestone_cases); i++) {
        int year = -1;
        bool found = tk_indicator_next_milestone(milestone_cases[i].years, milestone_cases[i].n,
                                                 day(milestone_cases[i].on), &year);
        if (found != milestone_cases[i].found) fail_msg("%s: found %d", milestone_cases[i].what, found);
        if (found) assert_int_equal(year, milestone_cases[i].want);
        else assert_int_equal(year, -1);
    }
}

/* ---- judging against the target ---- */

static const double v_5_8 = 5.8, v_6_5 = 6.5, v_7 = 7.0, v_7_5 = 7.5, v_1 = 1.0, v_1_5 = 1.5, v_nan = NAN,
                    v_inf = INFINITY;

static const struct {
    const char *what;
    tk_direction direction;
    double target;
    const double *latest, *projected;
    tk_assessment want;
} assess_cases[] = {
    {"growth already at the target", TK_DIRECTION_INCREASE, 7.0, &v_7, &v_5_8, TK_ASSESSMENT_ACHIEVED},
    {"growth above the target", TK_DIRECTION_INCREASE, 7.0, &v_7_5, NULL, TK_ASSESSMENT_ACHIEVED},
    {"growth projected to reach it", TK_DIRECTION_INCREASE, 7.0, &v_5_8, &v_7_5, TK_ASSESSMENT_ON_TRACK},
    {"growth projected exactly at it", TK_DIRECTION_INCREASE, 7.0, &v_5_8, &v_7, TK_ASSESSMENT_ON_TRACK},
    {"growth projected short", TK_DIRECTION_INCREASE, 7.0, &v_5_8, &v_6_5, TK_ASSESSMENT_OFF_TRACK},
    {"poverty already down to it", TK_DIRECTION_DECREASE, 1.5, &v_1_5, &v_7, TK_ASSESSMENT_ACHIEVED},
    {"poverty projected below it", TK_DIRECTION_DECREASE, 1.5, &v_5_8, &v_1, TK_ASSESSMENT_ON_TRACK},
    {"poverty projected above it", TK_DIRECTION_DECREASE, 1.5, &v_5_8, &v_6_5, TK_ASSESSMENT_OFF_TRACK},
    {"no trend, not yet met", TK_DIRECTION_INCREASE, 7.0, &v_5_8, NULL, TK_ASSESSMENT_UNKNOWN},
    {"no values at all", TK_DIRECTION_INCREASE, 7.0, NULL, NULL, TK_ASSESSMENT_UNKNOWN},
    {"a projection without a latest value", TK_DIRECTION_INCREASE, 7.0, NULL, &v_7_5, TK_ASSESSMENT_ON_TRACK},
    {"a target that is not a number", TK_DIRECTION_INCREASE, NAN, &v_7_5, &v_7_5, TK_ASSESSMENT_UNKNOWN},
    {"an infinite target", TK_DIRECTION_DECREASE, -INFINITY, &v_1, &v_1, TK_ASSESSMENT_UNKNOWN},
    {"a NaN latest value counts as none", TK_DIRECTION_INCREASE, 7.0, &v_nan, &v_6_5, TK_ASSESSMENT_OFF_TRACK},
    {"an infinite projection counts as none", TK_DIRECTION_INCREASE, 7.0, &v_5_8, &v_inf, TK_ASSESSMENT_UNKNOWN},
};

static void judges_against_the_target(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(assess_cases); i++) {
        tk_assessment got = tk_indicator_assess(assess_cases[i].direction, assess_cases[i].target,
                                                assess_cases[i].latest, assess_cases[i].projected);
        if (got != assess_cases[i].want)
            fail_msg("%s: %s, want %s", assess_cases[i].what, tk_assessment_name(got), tk_assessment_name(assess_cases[i].want));
    }
    assert_true(tk_indicator_meets(TK_DIRECTION_INCREASE, 7, 7));
    assert_true(tk_indicator_meets(TK_DIRECTION_DECREASE, 7, 7));
    assert_false(tk_indicator_meets(TK_DIRECTION_DECREASE, NAN, 7));
}

/* The whole path the service takes, on figures like those of a city's annual report: two units'
 * growth figures averaged per year, the trend projected to 31/12/2025 and judged against 7 %. */
static void from_values_to_an_assessment(void **state)
{
    (void)state;
    static const row values[] = {
        {"2021-12-31", 5.0, false}, {"2021-12-31", 6.0, false}, {"2022-12-31", 5.5, false}, {"2022-12-31", 6.5, false},
        {"2023-12-31", 6.0, false}, {"2023-12-31", 7.0, true},  END,
    };
    tk_indicator_point in[8], points[8];
    size_t n = load(values, in, COUNT(in)), count;
    assert_true(tk_indicator_aggregate_by_day(TK_AGGREGATION_MEAN, in, n, points, &count));
    assert_int_equal(count, 3); /* 5,5  6,0  6,5 (ước) */
    assert_true(points[2].is_estimate);
    tk_trend trend;
    assert_int_equal(tk_indicator_trend(points, count, &trend), TK_TREND_OK);
    int years[] = {2025, 2030};
    int year;
    assert_true(tk_indicator_next_milestone(years, 2, day("2024-03-01"), &year));
    assert_int_equal(year, 2025);
    double projected;
    assert_true(tk_indicator_trend_at(&trend, tk_indicator_milestone_day(year), &projected));
    expect_near(projected, 7.5, 2e-3, "2025 projection"); /* +0,5 a year: 7,0 in 2024, 7,5 in 2025 */
    assert_int_equal(tk_indicator_assess(TK_DIRECTION_INCREASE, 7.0, &points[2].value, &projected), TK_ASSESSMENT_ON_TRACK);
    assert_int_equal(tk_indicator_assess(TK_DIRECTION_INCREASE, 8.0, &points[2].value, &projected), TK_ASSESSMENT_OFF_TRACK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_round_trip),
        cmocka_unit_test(aggregates_by_rule),
        cmocka_unit_test(aggregates_each_day),
        cmocka_unit_test(fits_and_projects_a_trend),
        cmocka_unit_test(a_projection_that_overflows_is_refused),
        cmocka_unit_test(a_milestone_is_the_last_day_of_its_year),
        cmocka_unit_test(finds_the_next_milestone),
        cmocka_unit_test(judges_against_the_target),
        cmocka_unit_test(from_values_to_an_assessment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
