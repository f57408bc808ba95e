/* Tasks: their deadlines read from Vietnamese text, coordinators, progress updates, deadline
 * extensions, the filtered list, and the roll-ups shown on a dashboard. */
#ifndef TK_SERVICE_TASK_H
#define TK_SERVICE_TASK_H

#include <jansson.h>

#include "core/error.h"
#include "service/context.h"

/* Hooks of tk_res_task (see service/resource.h). */
tk_code tk_task_check(tk_ctx *ctx, json_t *row, json_t *input, const json_t *old, tk_error *err);
tk_code tk_task_after_write(tk_ctx *ctx, int64_t id, json_t *input, tk_error *err);
tk_code tk_task_decorate(tk_ctx *ctx, json_t *obj, tk_error *err);

/* Records a progress update {reported_on, progress, narrative, evidence, is_sample} on task id,
 * and moves the task's progress and completion day with it. *out: the stored update. */
tk_code tk_task_add_update(tk_ctx *ctx, int64_t task_id, json_t *body, json_t **out, tk_error *err);
/* The task's updates, oldest first: {"items":[...]}. */
tk_code tk_task_list_updates(tk_ctx *ctx, int64_t task_id, json_t **out, tk_error *err);

/* Moves a task's deadline {new_due, reason, approved_by, decided_on}; the old deadline is kept
 * in the extension record. *out: the stored extension. */
tk_code tk_task_extend(tk_ctx *ctx, int64_t task_id, json_t *body, json_t **out, tk_error *err);
tk_code tk_task_list_extensions(tk_ctx *ctx, int64_t task_id, json_t **out, tk_error *err);

/* Tasks filtered by the query's members (all optional, string values as in a URL):
 *   org        lead unit in this organization's subtree
 *   lead_org_id, program_id, document_id, parent_id   exact ("null": has none)
 *   coordinator_org_id   tasks this organization coordinates
 *   status     done_on_time | done_late | in_progress | overdue, judged on `on`
 *   on         YYYY-MM-DD (default today): the day statuses are judged on
 *   due_from, due_to   deadline range (YYYY-MM-DD, inclusive)
 *   q          text, case and diacritics ignored
 *   sort       due (default), -due, id, -id, title
 *   page, per_page
 * Answers {"items":[...], "page", "per_page", "has_more", "on"}. */
tk_code tk_task_list(tk_ctx *ctx, const json_t *query, json_t **out, tk_error *err);

/* The same filters without paging (page and per_page are ignored): the first `limit` tasks in
 * the list's order, and has_more when there were more. For exports, which take the whole list.
 * Answers {"items":[...], "has_more", "on"}. */
tk_code tk_task_list_all(tk_ctx *ctx, const json_t *query, int limit, json_t **out, tk_error *err);

/* The dashboard of an organization's subtree on a day (query: org (required), on):
 * counts by status, programs' progress, overdue tasks, tasks due in the next 30 days,
 * and units ranked by overdue tasks. */
tk_code tk_dashboard(tk_ctx *ctx, const json_t *query, json_t **out, tk_error *err);

/* A unit's scorecard on a day (query: on): its own tasks and its subtree's, by status. */
tk_code tk_org_scorecard(tk_ctx *ctx, int64_t org_id, const json_t *query, json_t **out, tk_error *err);

#endif
