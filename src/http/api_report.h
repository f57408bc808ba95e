/* The reporting cycle's API (service/report.h):
 *   GET, POST /api/v1/report-schedules, GET /api/v1/report-schedules/{id}
 *   GET  /api/v1/report-schedules/{id}/periods/{period}/status?org=ID      completeness
 *   GET  /api/v1/report-schedules/{id}/periods/{period}/reports/{org}      the report (a draft
 *        is made on first read by someone who may write it)
 *   PUT  the same path: saves a revision
 *   POST the same path + /submit, /return {reason}, /accept, /reopen {reason}
 * {period} is a period key: "2021-Q2", "2021-03", "2021-H1", "2021-9M", "2021", "once". */
#ifndef TK_HTTP_API_REPORT_H
#define TK_HTTP_API_REPORT_H

#include "http/request.h"

tk_code tk_api_schedule_list(tk_request *req, tk_reply *reply, tk_error *err);
tk_code tk_api_schedule_create(tk_request *req, tk_reply *reply, tk_error *err);
tk_code tk_api_schedule_get(tk_request *req, tk_reply *reply, tk_error *err);
tk_code tk_api_report_status(tk_request *req, tk_reply *reply, tk_error *err);
tk_code tk_api_report_get(tk_request *req, tk_reply *reply, tk_error *err);
tk_code tk_api_report_save(tk_request *req, tk_reply *reply, tk_error *err);
tk_code tk_api_report_submit(tk_request *req, tk_reply *reply, tk_error *err);
tk_code tk_api_report_return(tk_request *req, tk_reply *reply, tk_error *err);
tk_code tk_api_report_accept(tk_request *req, tk_reply *reply, tk_error *err);
tk_code tk_api_report_reopen(tk_request *req, tk_reply *reply, tk_error *err);

#endif
