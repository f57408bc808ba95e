/* The status of a task on a given day: the four statuses Vietnamese government task tracking
 * uses (hoàn thành đúng hạn, hoàn thành quá hạn, đang thực hiện trong hạn, quá hạn chưa hoàn thành).
 *
 * A status follows from three facts only: the kind of deadline, the deadline (its last day) and
 * the day the task was completed, so it can be worked out for any day, past or future, and the
 * roll-ups can count tasks by those facts instead of reading every task. */
#ifndef TK_CORE_STATUS_H
#define TK_CORE_STATUS_H

#include <stdbool.h>

#include "core/date.h"
#include "core/period.h"

typedef enum tk_status {
    TK_STATUS_DONE_ON_TIME = 0, /* hoàn thành đúng hạn */
    TK_STATUS_DONE_LATE,        /* hoàn thành quá hạn */
    TK_STATUS_IN_PROGRESS,      /* đang thực hiện trong hạn */
    TK_STATUS_OVERDUE,          /* quá hạn chưa hoàn thành */
    TK_STATUS_COUNT
} tk_status;

typedef struct tk_task_facts {
    tk_period_kind due_kind;
    tk_date due_last;     /* the deadline; used when due_kind is TK_PERIOD_SPAN */
    bool completed;       /* has the task reached 100%? */
    tk_date completed_on; /* the day it did (the latest such day for a recurring task) */
} tk_task_facts;

/* The status on day `on`:
 * - a completion after `on` does not count yet (the status of a past day is what it was then);
 * - a span task completed by its deadline is done on time, after it done late; not completed,
 *   it is in progress through its deadline day and overdue from the day after;
 * - a continuous task ("Thường xuyên") is never overdue: in progress, or done on time;
 * - a recurring task ("Hằng năm", "Hằng quý", "Hằng tháng") is judged on its occurrence that
 *   contains `on`: done on time when completed within it, otherwise in progress (it is due at
 *   the occurrence's end, which `on` has not passed). */
tk_status tk_status_of(const tk_task_facts *task, tk_date on);

/* Stable names: "done_on_time", "done_late", "in_progress", "overdue". */
const char *tk_status_name(tk_status status);
bool tk_status_from_name(const char *name, tk_status *out);
/* The Vietnamese name of a status ("Quá hạn chưa hoàn thành"); "" for a bad value. Static. */
const char *tk_status_label(tk_status status);

/* Days past the deadline on `on` for an overdue span task; 0 otherwise. */
int tk_status_days_overdue(const tk_task_facts *task, tk_date on);

#endif
