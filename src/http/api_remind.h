/* The caller's in-app reminders (service/remind.h):
 *   GET  /api/v1/me/notifications?page=&per_page=   newest first, with the unread count
 *   POST /api/v1/me/notifications/{id}/read          marks one read (again: no change) */
#ifndef TK_HTTP_API_REMIND_H
#define TK_HTTP_API_REMIND_H

#include "http/request.h"

tk_code tk_api_notifications(tk_request *req, tk_reply *reply, tk_error *err);
tk_code tk_api_notification_read(tk_request *req, tk_reply *reply, tk_error *err);

#endif
