/* Roll-ups: a program's progress, a unit's scorecard and subtree totals.
 *
 * Inputs are plain numbers the store has already kept up to date (see task_rollup and the
 * program counters in store/migrations), so a roll-up reads a handful of groups, not every task. */
#ifndef TK_CORE_ROLLUP_H
#define TK_CORE_ROLLUP_H

#include <stdint.h>

#include "core/status.h"

/* Counts of tasks by status. */
typedef struct tk_scorecard {
    int64_t count[TK_STATUS_COUNT];
    int64_t total;
} tk_scorecard;

void tk_scorecard_init(tk_scorecard *card);
/* Adds n tasks that share the same facts, judged on day `on`. */
void tk_scorecard_add(tk_scorecard *card, const tk_task_facts *facts, int64_t n, tk_date on);
/* Adds every count of `other` to `card` (subtree totals from unit scorecards). */
void tk_scorecard_merge(tk_scorecard *card, const tk_scorecard *other);
/* Share of tasks with a status, in percent of the total, rounded to one decimal; 0 when empty. */
double tk_scorecard_percent(const tk_scorecard *card, tk_status status);

/* A program's progress: the weighted mean of its tasks' progress (0..100), from the sums
 * Σ weight and Σ weight × progress. 0 when there are no tasks or the weights sum to 0.
 * Rounded to one decimal. */
double tk_rollup_progress(double weight_sum, double weighted_progress_sum);

#endif
