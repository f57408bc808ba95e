/* The reporting cycle: schedules (who reports on what, for which periods, by when), the report
 * of a unit for one period, and how complete a period's reporting is over a subtree.
 *
 * A unit's report moves draft -> submitted -> accepted; the office over the unit may return a
 * submitted report with a reason (returned -> submitted again after edits) and reopen an
 * accepted one. Every save is a new revision; an accepted report is locked. Periods are named
 * by their key ("2021-Q2", core/schedule.h). A report is on time when its latest submission
 * (a returned report's resubmission included) is on or before the period's due date.
 *
 * Who may do what (service/auth.h): a schedule is created by the office (or an admin) of the
 * body that issued its document or program, and seen like that document. A unit's report is
 * seen by anyone with a role on the unit (or above it), written and submitted by its editors and
 * office, and returned, accepted or reopened by an office above the unit. Outside the caller's
 * reach: TK_NOT_FOUND; visible but not allowed: TK_FORBIDDEN. */
#ifndef TK_SERVICE_REPORT_H
#define TK_SERVICE_REPORT_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "service/context.h"
#include "service/resource.h"

/* Schedules as a resource (create, get, list through service/resource.h):
 *   title, document_id | program_id (one of them), period_type (month, quarter, half_year,
 *   nine_months, year, once), cutoff_day (14), due_day (25), once_first, once_last,
 *   once_due_days, starts_on (required but for once), ends_on, reporters (subtree, kind, list),
 *   reporter_root_id, reporter_depth, reporter_kind, reporter_org_ids (list);
 *   organization_id and created_by are kept by the service. */
extern const tk_resource tk_res_report_schedule;

/* A schedule with its periods so far ("periods": [{key, label, first, last, data_first,
 * data_last, due}], those begun by today within starts_on..ends_on; the first 500, with
 * "periods_more" true when there are more). */
tk_code tk_report_schedule_get(tk_ctx *ctx, int64_t id, json_t **out, tk_error *err);

/* Completeness of a period over the subtree of query's "org" (default: the schedule's body):
 * totals {expected, submitted, on_time, late, missing, accepted}, every expected unit with its
 * report's state ("units"), the same counts per direct child of org ("children", the org itself
 * when it reports too), and who is outstanding today ("outstanding", with days_overdue).
 * Expected units follow from the schedule and the tree as it was on the period's due date. */
tk_code tk_report_status(tk_ctx *ctx, int64_t schedule_id, const char *period, const json_t *query, json_t **out,
                         tk_error *err);

/* The report of org for the period. When there is none yet and the caller is one of the unit's
 * writers (not the office above it, which only looks), a draft is created, prefilled from the tasks org leads (progress and status at the end of the
 * data window, the narrative of the latest update inside it) and org's indicator values of the
 * period; a reader who may not write gets that prefill unsaved (id null, status
 * "not_started"). */
tk_code tk_report_get(tk_ctx *ctx, int64_t schedule_id, const char *period, int64_t org_id, json_t **out,
                      tk_error *err);

/* Saves body as a new revision of the report (created when missing): {tasks: [{task_id,
 * progress, status, narrative}], indicators: [{indicator_id, value, note}], results,
 * limitations, causes, proposals}. Refused (TK_CONFLICT) while submitted or accepted. */
tk_code tk_report_save(tk_ctx *ctx, int64_t schedule_id, const char *period, int64_t org_id, json_t *body,
                       json_t **out, tk_error *err);

typedef enum tk_report_action {
    TK_REPORT_SUBMIT = 0, /* body may hold submitted_on: the office above records a report received on
                           * paper (made from the prefill when the unit has no draft) */
    TK_REPORT_RETURN,     /* body: {reason} */
    TK_REPORT_ACCEPT,
    TK_REPORT_REOPEN,     /* body: {reason}; the accepted report goes back to returned */
} tk_report_action;

/* Moves the report through its workflow; body may be NULL when the action takes nothing. */
tk_code tk_report_act(tk_ctx *ctx, int64_t schedule_id, const char *period, int64_t org_id, tk_report_action action,
                      const json_t *body, json_t **out, tk_error *err);

#endif
