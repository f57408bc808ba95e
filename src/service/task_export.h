/* A task list taken out of trienkhai: the tasks of a list's filters as a table document of
 * io/document.h, which io/ writes as XLSX or CSV, so what people download is what the list
 * showed them, whole, within their scope. */
#ifndef TK_SERVICE_TASK_EXPORT_H
#define TK_SERVICE_TASK_EXPORT_H

#include <jansson.h>

#include "core/error.h"
#include "service/context.h"

/* More tasks than this in one export is refused with a request to filter: a province's whole
 * list is hundreds of thousands of rows no one reads in a spreadsheet, and would hold the
 * server's memory for seconds. */
enum { TK_TASK_EXPORT_MAX = 20000 };

/* The tasks of query (the filters of tk_task_list; page and per_page ignored) as a document
 * with one table: number, task, lead unit, coordinators, responsible person, deadline as written
 * and as a day, progress, status on the list's day, completion day, days overdue, and a total.
 * The title says which filters made it. TK_TOO_LARGE beyond TK_TASK_EXPORT_MAX tasks; the
 * list's own errors otherwise. *doc: new reference. */
tk_code tk_task_list_document(tk_ctx *ctx, const json_t *query, json_t **doc, tk_error *err);

#endif
