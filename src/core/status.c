#include "core/status.h"

#include <string.h>

static const char *const names[TK_STATUS_COUNT] = {
    [TK_STATUS_DONE_ON_TIME] = "done_on_time",
    [TK_STATUS_DONE_LATE] = "done_late",
    [TK_STATUS_IN_PROGRESS] = "in_progress",
    [TK_STATUS_OVERDUE] = "overdue",
};

/* A completion recorded for a later day had not happened yet on `on`: judging a past day
 * must give the status that day had, not today's. */
static bool completed_by(const tk_task_facts *task, tk_date on)
{
    return task->completed && task->completed_on <= on;
}

static tk_status span_status(const tk_task_facts *task, tk_date on)
{
    if (completed_by(task, on))
        return task->completed_on <= task->due_last ? TK_STATUS_DONE_ON_TIME : TK_STATUS_DONE_LATE;
    return on <= task->due_last ? TK_STATUS_IN_PROGRESS : TK_STATUS_OVERDUE;
}

/* Each occurrence is due at its own last day, and `on` lies inside the occurrence, so the
 * deadline has not passed: the task is never late or overdue, only done or not yet. A
 * completion in an earlier occurrence is last year's (quarter's, month's) work. */
static tk_status recurring_status(const tk_task_facts *task, tk_date on)
{
    tk_date first, last;
    if (!tk_period_occurrence(task->due_kind, on, &first, &last)) return TK_STATUS_IN_PROGRESS;
    if (completed_by(task, on) && task->completed_on >= first && task->completed_on <= last)
        return TK_STATUS_DONE_ON_TIME;
    return TK_STATUS_IN_PROGRESS;
}

tk_status tk_status_of(const tk_task_facts *task, tk_date on)
{
    switch (task->due_kind) {
    case TK_PERIOD_CONTINUOUS:
        /* "Thường xuyên" has no deadline to miss. */
        return completed_by(task, on) ? TK_STATUS_DONE_ON_TIME : TK_STATUS_IN_PROGRESS;
    case TK_PERIOD_RECURRING_YEAR:
    case TK_PERIOD_RECURRING_QUARTER:
    case TK_PERIOD_RECURRING_MONTH:
        return recurring_status(task, on);
    case TK_PERIOD_SPAN:
    default:
        /* A kind this code does not know still carries due_last; judging by it shows an
         * overdue task instead of hiding it as in progress. */
        return span_status(task, on);
    }
}

const char *tk_status_name(tk_status status)
{
    /* Not one of the four names, so a bad value cannot be read back as a real status. */
    if ((unsigned)status >= TK_STATUS_COUNT) return "unknown";
    return names[status];
}

const char *tk_status_label(tk_status status)
{
    /* The four headings of the Government Office's follow-up tables, as the pages show them. */
    static const char *const labels[TK_STATUS_COUNT] = {
        [TK_STATUS_DONE_ON_TIME] = "Hoàn thành đúng hạn",
        [TK_STATUS_DONE_LATE] = "Hoàn thành quá hạn",
        [TK_STATUS_IN_PROGRESS] = "Đang thực hiện trong hạn",
        [TK_STATUS_OVERDUE] = "Quá hạn chưa hoàn thành",
    };
    if ((unsigned)status >= TK_STATUS_COUNT) return "";
    return labels[status];
}

bool tk_status_from_name(const char *name, tk_status *out)
{
    if (!name) return false;
    for (int i = 0; i < TK_STATUS_COUNT; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (tk_status)i;
            return true;
        }
    }
    return false;
}

int tk_status_days_overdue(const tk_task_facts *task, tk_date on)
{
    if (tk_status_of(task, on) != TK_STATUS_OVERDUE) return 0;
    return (int)(on - task->due_last);
}
