#include "core/indicator.h"

#include <math.h>
#include <string.h>

static const char *const aggregation_names[] = {"sum", "mean", "last", "none"};
static const char *const direction_names[] = {"increase", "decrease"};
static const char *const assessment_names[] = {"unknown", "achieved", "on_track", "off_track"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool name_index(const char *const *names, size_t n, const char *name, int *out)
{
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(names[i], name) == 0) {
            *out = (int)i;
            return true;
        }
    return false;
}

const char *tk_aggregation_name(tk_aggregation a)
{
    return (unsigned)a < COUNT(aggregation_names) ? aggregation_names[a] : "none";
}

bool tk_aggregation_from_name(const char *name, tk_aggregation *out)
{
    int i;
    if (!name_index(aggregation_names, COUNT(aggregation_names), name, &i)) return false;
    *out = (tk_aggregation)i;
    return true;
}

const char *tk_direction_name(tk_direction d)
{
    return (unsigned)d < COUNT(direction_names) ? direction_names[d] : "increase";
}

bool tk_direction_from_name(const char *name, tk_direction *out)
{
    int i;
    if (!name_index(direction_names, COUNT(direction_names), name, &i)) return false;
    *out = (tk_direction)i;
    return true;
}

const char *tk_assessment_name(tk_assessment a)
{
    return (unsigned)a < COUNT(assessment_names) ? assessment_names[a] : "unknown";
}

bool tk_indicator_aggregate(tk_aggregation rule, const tk_indicator_point *values, size_t n,
                            tk_indicator_point *out)
{
    if (n == 0 || (rule == TK_AGGREGATION_NONE && n > 1)) return false;
    double sum = 0;
    tk_indicator_point result = values[0];
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i].value)) return false;
        sum += values[i].value;
        if (values[i].on > result.on) result.on = values[i].on;
        result.is_estimate = result.is_estimate || values[i].is_estimate;
    }
    switch (rule) {
    case TK_AGGREGATION_SUM: result.value = sum; break;
    case TK_AGGREGATION_MEAN: result.value = sum / (double)n; break;
    case TK_AGGREGATION_LAST:
    case TK_AGGREGATION_NONE: result.value = values[n - 1].value; break;
    default: return false;
    }
    /* Finite values can still add up past DBL_MAX. */
    if (!isfinite(result.value)) return false;
    *out = result;
    return true;
}

bool tk_indicator_aggregate_by_day(tk_aggregation rule, const tk_indicator_point *in, size_t n,
                                   tk_indicator_point *out, size_t *count)
{
    *count = 0;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(in[i].value) || (i > 0 && in[i].on < in[i - 1].on)) return false;
    size_t written = 0;
    for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        while (end < n && in[end].on == in[start].on) end++;
        if (tk_indicator_aggregate(rule, in + start, end - start, &out[written])) written++;
        else if (rule != TK_AGGREGATION_NONE) return false; /* only a sum past DBL_MAX gets here */
        start = end;
    }
    *count = written;
    return true;
}

tk_trend_status tk_indicator_trend(const tk_indicator_point *points, size_t n, tk_trend *out)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(points[i].value)) return TK_TREND_NOT_FINITE;
    if (n < 2) return TK_TREND_TOO_FEW;
    tk_date origin = points[0].on;
    for (size_t i = 1; i < n; i++)
        if (points[i].on < origin) origin = points[i].on;
    /* Two passes (means first, then centred sums) keep the error small when the values are
     * large and close together, as GRDP figures are. */
    double mean_x = 0, mean_y = 0;
    for (size_t i = 0; i < n; i++) {
        mean_x += (double)(points[i].on - origin);
        mean_y += points[i].value;
    }
    mean_x /= (double)n;
    mean_y /= (double)n;
    double sxx = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        double dx = (double)(points[i].on - origin) - mean_x;
        sxx += dx * dx;
        sxy += dx * (points[i].value - mean_y);
    }
    if (!isfinite(mean_y) || !isfinite(sxy)) return TK_TREND_NOT_FINITE;
    if (sxx == 0) return TK_TREND_ONE_DAY;
    double slope = sxy / sxx;
    double intercept = mean_y - slope * mean_x;
    if (!isfinite(slope) || !isfinite(intercept)) return TK_TREND_NOT_FINITE;
    *out = (tk_trend){.origin = origin, .intercept = intercept, .slope = slope};
    return TK_TREND_OK;
}

bool tk_indicator_trend_at(const tk_trend *trend, tk_date day, double *out)
{
    double v = trend->intercept + trend->slope * (double)(day - trend->origin);
    if (!isfinite(v)) return false;
    *out = v;
    return true;
}

tk_date tk_indicator_milestone_day(int year)
{
    return tk_date_from_ymd(year, 12, 31);
}

bool tk_indicator_next_milestone(const int *years, size_t n, tk_date on, int *year)
{
    bool found = false;
    int best = 0;
    for (size_t i = 0; i < n; i++) {
        int y = years[i];
        if (y < TK_DATE_YEAR_MIN || y > TK_DATE_YEAR_MAX) continue;
        if (tk_indicator_milestone_day(y) < on) continue;
        if (!found || y < best) best = y;
        found = true;
    }
    if (found) *year = best;
    return found;
}

bool tk_indicator_meets(tk_direction direction, double value, double target)
{
    if (!isfinite(value) || !isfinite(target)) return false;
    return direction == TK_DIRECTION_DECREASE ? value <= target : value >= target;
}

tk_assessment tk_indicator_assess(tk_direction direction, double target, const double *latest,
                                  const double *projected)
{
    if (!isfinite(target)) return TK_ASSESSMENT_UNKNOWN;
    if (latest && tk_indicator_meets(direction, *latest, target)) return TK_ASSESSMENT_ACHIEVED;
    if (!projected || !isfinite(*projected)) return TK_ASSESSMENT_UNKNOWN;
    return tk_indicator_meets(direction, *projected, target) ? TK_ASSESSMENT_ON_TRACK : TK_ASSESSMENT_OFF_TRACK;
}
