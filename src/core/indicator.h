/* Indicators (chỉ tiêu): how their values roll up across organizations, where their trend
 * lands at a milestone year, and how they stand against that milestone's target.
 *
 * Pure rules over plain numbers: the service reads the values and targets, these decide. Nothing
 * here allocates; callers pass the buffers. Values that are not finite (NaN, ±inf) are refused
 * wherever they could enter, so a bad figure never turns into a plausible-looking projection. */
#ifndef TK_CORE_INDICATOR_H
#define TK_CORE_INDICATOR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"

/* How the values of one day roll up across organizations (DOMAIN.md "Roll-ups"). */
typedef enum tk_aggregation {
    TK_AGGREGATION_SUM,  /* counts and amounts: the subtree's total */
    TK_AGGREGATION_MEAN, /* rates where every unit weighs the same */
    TK_AGGREGATION_LAST, /* the figure entered last stands for all */
    TK_AGGREGATION_NONE, /* not at all: a growth rate of the whole is neither the sum nor the mean of its parts */
} tk_aggregation;

/* The way an indicator should move: up (GRDP per head) or down (poor households). */
typedef enum tk_direction {
    TK_DIRECTION_INCREASE,
    TK_DIRECTION_DECREASE,
} tk_direction;

/* An indicator against the target of its next milestone. */
typedef enum tk_assessment {
    TK_ASSESSMENT_UNKNOWN,   /* no numeric target, or too little data to say */
    TK_ASSESSMENT_ACHIEVED,  /* the latest value already meets the target */
    TK_ASSESSMENT_ON_TRACK,  /* not yet, but the trend reaches it by the milestone */
    TK_ASSESSMENT_OFF_TRACK, /* the trend falls short of it */
} tk_assessment;

/* The trend is fitted over the last points only (three years of quarters, twelve of annual
 * figures): where the recent movement leads, not an average over the whole history. A summary
 * that reads only these points therefore judges exactly as the full series does. */
enum { TK_INDICATOR_TREND_POINTS = 12 };

/* Names as stored and sent ("sum", "mean", "last", "none"; "increase", "decrease"; "unknown",
 * "achieved", "on_track", "off_track"). The *_from_name functions return false for other text. */
const char *tk_aggregation_name(tk_aggregation a);
bool tk_aggregation_from_name(const char *name, tk_aggregation *out);
const char *tk_direction_name(tk_direction d);
bool tk_direction_from_name(const char *name, tk_direction *out);
const char *tk_assessment_name(tk_assessment a);

/* One value of an indicator on a day. A value stands for the period that ends on its day (the
 * year's figure on 31/12), so grouping by day is grouping by period. */
typedef struct tk_indicator_point {
    tk_date on;
    double value;
    bool is_estimate; /* "ước": an estimate, not yet the final figure */
} tk_indicator_point;

/* Rolls n values of one period (in the order they were entered) into *out by rule: the sum,
 * the mean, or the last; with TK_AGGREGATION_NONE only a single value, which needs no rolling
 * up. out->on is the latest day among them and out->is_estimate is true when any of them is an
 * estimate (a total that includes an estimate is itself an estimate). False, with *out
 * untouched, when n is 0, when rule is NONE and n > 1, or when a value or the result is not
 * finite. */
bool tk_indicator_aggregate(tk_aggregation rule, const tk_indicator_point *values, size_t n,
                            tk_indicator_point *out);

/* Rolls the points of each day into one: in holds n points ordered by day (within a day, in
 * the order entered); out (room for n points, may not overlap in) receives one point per day
 * that has an aggregate, in day order, and *count how many. Days without an aggregate (rule
 * NONE with several values) are left out. False, with *count 0, when in is not ordered by day
 * or holds a value that is not finite. */
bool tk_indicator_aggregate_by_day(tk_aggregation rule, const tk_indicator_point *in, size_t n,
                                   tk_indicator_point *out, size_t *count);

typedef enum tk_trend_status {
    TK_TREND_OK,
    TK_TREND_TOO_FEW,    /* fewer than two points */
    TK_TREND_ONE_DAY,    /* every point on the same day: no slope can be drawn */
    TK_TREND_NOT_FINITE, /* a value (or a sum of them) is NaN or infinite */
} tk_trend_status;

/* A straight line through a series: value(day) = intercept + slope × (day − origin). */
typedef struct tk_trend {
    tk_date origin;   /* the first point's day; days are counted from it to keep the sums small */
    double intercept; /* the line's value on origin */
    double slope;     /* change per day */
} tk_trend;

/* The least-squares line through n points (any order). *out is set only on TK_TREND_OK. */
tk_trend_status tk_indicator_trend(const tk_indicator_point *points, size_t n, tk_trend *out);

/* Where the line stands on day; false when that is not a finite number. */
bool tk_indicator_trend_at(const tk_trend *trend, tk_date day, double *out);

/* A milestone year is judged on its last day, 31/12 (DOMAIN.md: a period used as a deadline
 * means its last day). year must be within TK_DATE_YEAR_MIN..MAX. */
tk_date tk_indicator_milestone_day(int year);

/* The first milestone not yet past on day `on` (its 31/12 is on or after `on`) among n target
 * years in any order; years outside TK_DATE_YEAR_MIN..MAX are ignored. False when none is left. */
bool tk_indicator_next_milestone(const int *years, size_t n, tk_date on, int *year);

/* True when value meets target in direction: at least it when increasing, at most when
 * decreasing. False when either is not finite. */
bool tk_indicator_meets(tk_direction direction, double value, double target);

/* Judges an indicator against a target: achieved when the latest value meets it already, else
 * on track or off track by where the projection lands. latest and projected may be NULL (no
 * value yet, no trend); a target, latest value or projection that is not finite counts as
 * absent, so the answer is then unknown rather than a guess. */
tk_assessment tk_indicator_assess(tk_direction direction, double target, const double *latest,
                                  const double *projected);

#endif
