#include "http/api_import.h"

#include <stdio.h>
#include <string.h>

#include "service/import.h"

static tk_code import(tk_request *req, tk_reply *reply, const char *kind, tk_error *err)
{
    bool dry_run = false;
    json_t *flag = json_object_get(req->query, "dry_run");
    if (flag) {
        const char *v = json_string_value(flag);
        if (v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "") == 0)) dry_run = true;
        else if (!v || (strcmp(v, "0") != 0 && strcmp(v, "false") != 0))
            return tk_error_set(err, TK_INVALID_INPUT, "dry_run", "\"dry_run\" phải là 1 hoặc 0");
    }
    char name[16] = "";
    const char *format = json_string_value(json_object_get(req->query, "format"));
    if (format) {
        if (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
            return tk_error_set(err, TK_INVALID_INPUT, "format", "\"format\" phải là csv hoặc xlsx");
        snprintf(name, sizeof name, "tệp.%s", format);
    }
    if (!req->raw_body || req->raw_size == 0)
        return tk_error_set(err, TK_INVALID_INPUT, "file",
                            "Cần gửi tệp CSV hoặc XLSX làm nội dung yêu cầu (Content-Type: text/csv hoặc "
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)");
    tk_table *table = NULL;
    tk_code rc = tk_import_read_table(format ? name : req->content_type, req->raw_body, req->raw_size, &table, err);
    if (rc) return rc;
    json_t *report = NULL;
    rc = tk_import(req->ctx, kind, table, dry_run, &report, err);
    tk_table_free(table);
    if (rc == TK_INVALID_INPUT && report) {
        /* The usual error object, so clients that read error.code need nothing new, with the
         * report beside its message. */
        reply->status = 422;
        reply->body = json_pack("{s:{s:s, s:s, s:s, s:o}}", "error", "code", tk_code_name(rc), "message", err->message,
                                "field", err->field, "report", report);
        return TK_OK;
    }
    if (rc) {
        json_decref(report);
        return rc;
    }
    reply->status = 200;
    reply->body = report;
    return TK_OK;
}

tk_code tk_api_import_tasks(tk_request *req, tk_reply *reply, tk_error *err)
{
    return import(req, reply, "tasks", err);
}

tk_code tk_api_import_organizations(tk_request *req, tk_reply *reply, tk_error *err)
{
    return import(req, reply, "organizations", err);
}

tk_code tk_api_import_indicator_values(tk_request *req, tk_reply *reply, tk_error *err)
{
    return import(req, reply, "indicator_values", err);
}
