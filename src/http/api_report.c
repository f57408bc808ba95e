#include "http/api_report.h"

#include <stdio.h>

#include "service/report.h"
#include "service/resource.h"

static tk_code answer(tk_reply *reply, tk_code rc, int status, json_t *body)
{
    if (rc) return rc;
    reply->status = status;
    reply->body = body;
    return TK_OK;
}

tk_code tk_api_schedule_list(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_resource_list(req->ctx, &tk_res_report_schedule, req->query, &out, err);
    return answer(reply, rc, 200, out);
}

tk_code tk_api_schedule_create(tk_request *req, tk_reply *reply, tk_error *err)
{
    if (!req->body) return tk_error_set(err, TK_INVALID_JSON, NULL, "Thiếu nội dung JSON trong yêu cầu");
    json_t *created = NULL, *out = NULL;
    tk_code rc = tk_resource_create(req->ctx, &tk_res_report_schedule, req->body, &created, err);
    if (rc) return rc;
    int64_t id = json_integer_value(json_object_get(created, "id"));
    json_decref(created);
    /* Answered as GET answers it, with the periods so far. */
    rc = tk_report_schedule_get(req->ctx, id, &out, err);
    if (!rc) snprintf(reply->location, sizeof reply->location, "/api/v1/report-schedules/%lld", (long long)id);
    return answer(reply, rc, 201, out);
}

tk_code tk_api_schedule_get(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_report_schedule_get(req->ctx, req->ids[0], &out, err);
    return answer(reply, rc, 200, out);
}

tk_code tk_api_report_status(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_report_status(req->ctx, req->ids[0], req->key, req->query, &out, err);
    return answer(reply, rc, 200, out);
}

tk_code tk_api_report_get(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_report_get(req->ctx, req->ids[0], req->key, req->ids[1], &out, err);
    return answer(reply, rc, 200, out);
}

tk_code tk_api_report_save(tk_request *req, tk_reply *reply, tk_error *err)
{
    if (!req->body) return tk_error_set(err, TK_INVALID_JSON, NULL, "Thiếu nội dung JSON trong yêu cầu");
    json_t *out = NULL;
    tk_code rc = tk_report_save(req->ctx, req->ids[0], req->key, req->ids[1], req->body, &out, err);
    return answer(reply, rc, 200, out);
}

static tk_code act(tk_request *req, tk_reply *reply, tk_report_action action, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_report_act(req->ctx, req->ids[0], req->key, req->ids[1], action, req->body, &out, err);
    return answer(reply, rc, 200, out);
}

tk_code tk_api_report_submit(tk_request *req, tk_reply *reply, tk_error *err)
{
    return act(req, reply, TK_REPORT_SUBMIT, err);
}

tk_code tk_api_report_return(tk_request *req, tk_reply *reply, tk_error *err)
{
    return act(req, reply, TK_REPORT_RETURN, err);
}

tk_code tk_api_report_accept(tk_request *req, tk_reply *reply, tk_error *err)
{
    return act(req, reply, TK_REPORT_ACCEPT, err);
}

tk_code tk_api_report_reopen(tk_request *req, tk_reply *reply, tk_error *err)
{
    return act(req, reply, TK_REPORT_REOPEN, err);
}
