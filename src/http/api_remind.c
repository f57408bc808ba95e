#include "http/api_remind.h"

#include "service/remind.h"

tk_code tk_api_notifications(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_remind_notifications(req->ctx, req->query, &out, err);
    if (rc) return rc;
    reply->status = 200;
    reply->body = out;
    return TK_OK;
}

tk_code tk_api_notification_read(tk_request *req, tk_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_remind_mark_read(req->ctx, req->ids[0], &out, err);
    if (rc) return rc;
    reply->status = 200;
    reply->body = out;
    return TK_OK;
}
