/* The JSON API under /api/v1: each handler reads the request, calls one service function and
 * hands back what it returns. The route table is at the end. */
#include "http/api.h"

#include <stdio.h>
#include <string.h>

#include "core/period.h"
#include "http/api_import.h"
#include "http/api_remind.h"
#include "http/api_report.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/indicator.h"
#include "service/resource.h"
#include "service/task.h"

static tk_code reply_with(tk_reply *reply, int status, json_t *body)
{
    reply->status = status;
    reply->body = body;
    return TK_OK;
}

static tk_code need_body(tk_request *req, tk_error *err)
{
    if (!req->body) return tk_error_set(err, TK_INVALID_JSON, NULL, "Thiếu nội dung JSON trong yêu cầu");
    return TK_OK;
}

/* Handlers for the plain collections, one set for every resource. */
#define COLLECTION(fn, res, path)                                                                         \
    static tk_code fn##_list(tk_request *req, tk_reply *reply, tk_error *err)                             \
    {                                                                                                     \
        json_t *out = NULL;                                                                               \
        tk_code rc = tk_resource_list(req->ctx, &res, req->query, &out, err);                             \
        return rc ? rc : reply_with(reply, 200, out);                                                     \
    }                                                                                                     \
    static tk_code fn##_get(tk_request *req, tk_reply *reply, tk_error *err)                              \
    {                                                                                                     \
        json_t *out = NULL;                                                                               \
        tk_code rc = tk_resource_get(req->ctx, &res, req->ids[0], &out, err);                             \
        return rc ? rc : reply_with(reply, 200, out);                                                     \
    }                                                                                                     \
    static tk_code fn##_create(tk_request *req, tk_reply *reply, tk_error *err)                           \
    {                                                                                                     \
        json_t *out = NULL;                                                                               \
        tk_code rc = need_body(req, err);                                                                 \
        if (!rc) rc = tk_resource_create(req->ctx, &res, req->body, &out, err);                           \
        if (rc) return rc;                                                                                \
        snprintf(reply->location, sizeof reply->location, "/api/v1/" path "/%lld",                        \
                 (long long)json_integer_value(json_object_get(out, "id")));                              \
        return reply_with(reply, 201, out);                                                               \
    }                                                                                                     \
    static tk_code fn##_update(tk_request *req, tk_reply *reply, tk_error *err)                           \
    {                                                                                                     \
        json_t *out = NULL;                                                                               \
        tk_code rc = need_body(req, err);                                                                 \
        if (!rc) rc = tk_resource_update(req->ctx, &res, req->ids[0], req->body, &out, err);              \
        return rc ? rc : reply_with(reply, 200, out);                                                     \
    }

COLLECTION(org, tk_res_organization, "organizations")
COLLECTION(term, tk_res_term, "terms")
COLLECTION(document, tk_res_document, "documents")
COLLECTION(item, tk_res_document_item, "document-items")
COLLECTION(program, tk_res_program, "programs")
COLLECTION(indicator, tk_res_indicator, "indicators")
COLLECTION(target, tk_res_indicator_target, "indicator-targets")
COLLECTION(value, tk_res_indicator_value, "indicator-values")
COLLECTION(task, tk_res_task, "tasks")

static tk_code health(tk_request *req, tk_reply *reply, tk_error *err)
{
    (void)err;
    return reply_with(reply, 200,
                      json_pack("{s:s, s:i}", "status", "ok", "schema_version", tk_db_schema_version(req->ctx->db)));
}

/* Who the caller is, for scripts checking their token and for the pages' own script. */
static tk_code me(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_auth_whoami(req->ctx, &out, err);
    return rc ? rc : reply_with(reply, 200, out);
}

static tk_code audit_list(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_audit_list(req->ctx, req->query, &out, err);
    return rc ? rc : reply_with(reply, 200, out);
}

static tk_code task_updates_list(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_task_list_updates(req->ctx, req->ids[0], &out, err);
    return rc ? rc : reply_with(reply, 200, out);
}

static tk_code task_updates_add(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = need_body(req, err);
    if (!rc) rc = tk_task_add_update(req->ctx, req->ids[0], req->body, &out, err);
    return rc ? rc : reply_with(reply, 201, out);
}

static tk_code task_extensions_list(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_task_list_extensions(req->ctx, req->ids[0], &out, err);
    return rc ? rc : reply_with(reply, 200, out);
}

static tk_code task_extensions_add(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = need_body(req, err);
    if (!rc) rc = tk_task_extend(req->ctx, req->ids[0], req->body, &out, err);
    return rc ? rc : reply_with(reply, 201, out);
}

static tk_code dashboard(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_dashboard(req->ctx, req->query, &out, err);
    return rc ? rc : reply_with(reply, 200, out);
}

static tk_code org_scorecard(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_org_scorecard(req->ctx, req->ids[0], req->query, &out, err);
    return rc ? rc : reply_with(reply, 200, out);
}

/* GET /api/v1/period?text=Quý I/2021: the same reader as `trienkhai period`, for forms. */
static tk_code period(tk_request *req, tk_reply *reply, tk_error *err)
{
    const char *text = json_string_value(json_object_get(req->query, "text"));
    if (!text) return tk_error_set(err, TK_INVALID_INPUT, "text", "Cần nhập thời hạn cần đọc (text)");
    tk_period p;
    tk_code rc = tk_period_parse(text, "text", &p, err);
    if (rc) return rc;
    json_t *out = json_pack("{s:s, s:s}", "text", text, "kind", tk_period_kind_name(p.kind));
    char buf[TK_DATE_TEXT_MAX];
    if (p.kind == TK_PERIOD_SPAN) {
        json_object_set_new(out, "first", json_string(tk_date_format_iso(p.first, buf)));
        json_object_set_new(out, "last", json_string(tk_date_format_iso(p.last, buf)));
    }
    return reply_with(reply, 200, out);
}

static tk_code indicator_series(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_indicator_series(req->ctx, req->ids[0], req->query, &out, err);
    return rc ? rc : reply_with(reply, 200, out);
}

static tk_code indicator_target(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = need_body(req, err);
    if (!rc) rc = tk_indicator_set_target(req->ctx, req->ids[0], req->body, &out, err);
    return rc ? rc : reply_with(reply, 200, out);
}

/* GET /api/v1/indicator-summaries?org=ID&on=DATE: the dashboard's indicators. */
static tk_code indicator_summaries(tk_request *req, tk_reply *reply, tk_error *err)
{
    int64_t org;
    bool present;
    tk_date on = req->ctx->today;
    tk_code rc = tk_query_id(req->query, "org", &org, &present, err);
    if (!rc) rc = tk_query_date(req->query, "on", &on, &present, err);
    json_t *out = NULL;
    if (!rc) rc = tk_indicator_summaries(req->ctx, org, on, &out, err);
    return rc ? rc : reply_with(reply, 200, out);
}

#define CRUD(path, fn)                                                                                    \
    {"GET", "/api/v1/" path, fn##_list, false}, {"POST", "/api/v1/" path, fn##_create, false},                          \
        {"GET", "/api/v1/" path "/{id}", fn##_get, false},                                                \
        {"PATCH", "/api/v1/" path "/{id}", fn##_update, false}

const tk_route tk_api_routes[] = {
    {"GET", "/api/v1/health", health, true},
    {"GET", "/api/v1/me", me, false},
    {"GET", "/api/v1/me/notifications", tk_api_notifications, false},
    {"POST", "/api/v1/me/notifications/{id}/read", tk_api_notification_read, false},
    {"GET", "/api/v1/audit", audit_list, false},
    {"GET", "/api/v1/period", period, false},
    {"GET", "/api/v1/dashboard", dashboard, false},
    {"GET", "/api/v1/organizations/{id}/scorecard", org_scorecard, false},
    CRUD("organizations", org),
    CRUD("terms", term),
    CRUD("documents", document),
    CRUD("document-items", item),
    CRUD("programs", program),
    CRUD("indicators", indicator),
    {"GET", "/api/v1/indicators/{id}/series", indicator_series, false},
    {"POST", "/api/v1/indicators/{id}/targets", indicator_target, false},
    {"GET", "/api/v1/indicator-summaries", indicator_summaries, false},
    CRUD("indicator-targets", target),
    CRUD("indicator-values", value),
    CRUD("tasks", task),
    {"GET", "/api/v1/tasks/{id}/updates", task_updates_list, false},
    {"POST", "/api/v1/tasks/{id}/updates", task_updates_add, false},
    {"GET", "/api/v1/tasks/{id}/extensions", task_extensions_list, false},
    {"POST", "/api/v1/tasks/{id}/extensions", task_extensions_add, false},
    {"POST", "/api/v1/import/tasks", tk_api_import_tasks, false},
    {"POST", "/api/v1/import/organizations", tk_api_import_organizations, false},
    {"POST", "/api/v1/import/indicator-values", tk_api_import_indicator_values, false},
#define REPORT "/api/v1/report-schedules/{id}/periods/{key}/reports/{id}"
    {"GET", "/api/v1/report-schedules", tk_api_schedule_list, false},
    {"POST", "/api/v1/report-schedules", tk_api_schedule_create, false},
    {"GET", "/api/v1/report-schedules/{id}", tk_api_schedule_get, false},
    {"GET", "/api/v1/report-schedules/{id}/periods/{key}/status", tk_api_report_status, false},
    {"GET", REPORT, tk_api_report_get, false},
    {"PUT", REPORT, tk_api_report_save, false},
    {"POST", REPORT "/submit", tk_api_report_submit, false},
    {"POST", REPORT "/return", tk_api_report_return, false},
    {"POST", REPORT "/accept", tk_api_report_accept, false},
    {"POST", REPORT "/reopen", tk_api_report_reopen, false},
#undef REPORT
    {NULL, NULL, NULL, false},
};
