/* POST /api/v1/import/{tasks,organizations,indicator-values}[?dry_run=1]: the body is the file
 * itself (Content-Type text/csv or
 * application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; an .xlsx is also
 * recognized by its first bytes; ?format=csv|xlsx overrides the header), up to 32 MiB.
 * Answers service/import.h's report: 200 for a dry run (bad rows listed in it) and for an import
 * that wrote every row; 422 {"error":{"code":"invalid_input","message","field":"file",
 * "report":{...}}} when any row was bad or a column is missing, and then nothing was written. */
#ifndef TK_HTTP_API_IMPORT_H
#define TK_HTTP_API_IMPORT_H

#include "http/request.h"

tk_code tk_api_import_tasks(tk_request *req, tk_reply *reply, tk_error *err);
tk_code tk_api_import_organizations(tk_request *req, tk_reply *reply, tk_error *err);
tk_code tk_api_import_indicator_values(tk_request *req, tk_reply *reply, tk_error *err);

#endif
