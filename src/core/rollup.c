#include "core/rollup.h"

#include <math.h>

/* Callers scale to tenths before dividing, one floating rounding fewer before the half is
 * judged. Half away from zero, as people round by hand: 12,25% reads 12,3%. */
static double round_tenths(double tenths)
{
    return round(tenths) / 10.0;
}

void tk_scorecard_init(tk_scorecard *card)
{
    for (int i = 0; i < TK_STATUS_COUNT; i++) card->count[i] = 0;
    card->total = 0;
}

void tk_scorecard_add(tk_scorecard *card, const tk_task_facts *facts, int64_t n, tk_date on)
{
    /* Counts of tasks never go below zero; a group with no tasks adds nothing. */
    if (n <= 0) return;
    card->count[tk_status_of(facts, on)] += n;
    card->total += n;
}

void tk_scorecard_merge(tk_scorecard *card, const tk_scorecard *other)
{
    for (int i = 0; i < TK_STATUS_COUNT; i++) card->count[i] += other->count[i];
    card->total += other->total;
}

double tk_scorecard_percent(const tk_scorecard *card, tk_status status)
{
    if ((unsigned)status >= TK_STATUS_COUNT || card->total <= 0) return 0.0;
    return round_tenths(1000.0 * (double)card->count[status] / (double)card->total);
}

double tk_rollup_progress(double weight_sum, double weighted_progress_sum)
{
    /* `!(x > 0)` also turns away NaN. */
    if (!(weight_sum > 0.0)) return 0.0;
    double mean = weighted_progress_sum / weight_sum;
    /* The store keeps both sums by adding and subtracting as tasks change, so floating
     * error can push the mean a hair outside 0..100 (and would print "-0,0"). */
    if (!(mean > 0.0)) return 0.0;
    if (mean > 100.0) return 100.0;
    return round_tenths(10.0 * weighted_progress_sum / weight_sum);
}
