/* The pages of the reporting cycle (service/report.h, service/consolidation.h):
 *   /reports                          the schedules (a new one: /reports/new, pages_forms.c)
 *   /reports/{id}                     a schedule and its periods
 *   /reports/{id}/{key}?org=          a period's completeness over a subtree, who is outstanding
 *   /reports/{id}/{key}/{org}         a unit's report: the form its editors fill in from the
 *                                     prefilled draft and submit; the office above accepts it,
 *                                     returns it with a reason, or reopens it
 *   /reports/{id}/{key}/consolidated.pdf|.docx|.xlsx   the consolidated report as files
 *   /notifications                    the caller's reminders of reports to send
 * {id} is the schedule, {key} the period ("2021-Q2"); the consolidated report's query takes
 * org, layout, number, place, signer_authority, signer_position and signer_name. */
#include "http/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cell.h"
#include "core/date.h"
#include "io/document.h"
#include "service/consolidation.h"
#include "service/remind.h"
#include "service/report.h"
#include "service/resource.h"

typedef enum format { FORMAT_PDF = 0, FORMAT_DOCX, FORMAT_XLSX } format;

static const struct {
    const char *extension, *type;
    tk_code (*render)(const json_t *doc, unsigned char **out, size_t *size, tk_error *err);
} formats[] = {
    [FORMAT_PDF] = {"pdf", "application/pdf", tk_pdf_render},
    [FORMAT_DOCX] = {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", tk_docx_render},
    [FORMAT_XLSX] = {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", tk_xlsx_render},
};

static tk_code consolidated(tk_page_request *req, tk_page_reply *reply, format f, tk_error *err)
{
    json_t *query = tk_page_filled(req->query), *doc = NULL;
    tk_code rc = tk_report_consolidate(req->ctx, req->ids[0], req->key, query, &doc, err);
    json_decref(query);
    if (rc) return rc;
    unsigned char *file = NULL;
    size_t size = 0;
    rc = formats[f].render(doc, &file, &size, err);
    json_decref(doc);
    if (rc) return rc;
    /* The key is letters, digits and "-" (the router's {key}), so the name stays ASCII. */
    char name[96];
    snprintf(name, sizeof name, "bao-cao-tong-hop-%lld-%s.%s", (long long)req->ids[0], req->key, formats[f].extension);
    return tk_page_download(reply, file, size, formats[f].type, name);
}

static tk_code page_pdf(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return consolidated(req, reply, FORMAT_PDF, err);
}

static tk_code page_docx(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return consolidated(req, reply, FORMAT_DOCX, err);
}

static tk_code page_xlsx(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return consolidated(req, reply, FORMAT_XLSX, err);
}

/* ---- the reporting cycle: schedules, a period's completeness, a unit's report ---- */

/* The four text sections of a unit report, as the report's content names them. */
static const char *const sections[] = {"results", "limitations", "causes", "proposals"};

/* "status_label" of a report's state ("draft", "submitted", ...) from the catalog. */
static void report_status_label(tk_page_request *req, json_t *obj)
{
    char key[64];
    snprintf(key, sizeof key, "report_status_%s", json_string_value(json_object_get(obj, "status")));
    json_object_set_new(obj, "status_label", json_string(tk_page_msg(req, key)));
}

static void period_type_label(tk_page_request *req, json_t *obj)
{
    char key[64];
    snprintf(key, sizeof key, "period_type_%s", json_string_value(json_object_get(obj, "period_type")));
    json_object_set_new(obj, "period_type_label", json_string(tk_page_msg(req, key)));
}

static tk_code page_reports(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *query = json_pack("{s:s}", "per_page", "200"), *list = NULL;
    tk_code rc = tk_resource_list(req->ctx, &tk_res_report_schedule, query, &list, err);
    json_decref(query);
    if (rc) return rc;
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(list, "items"), i, item) period_type_label(req, item);
    tk_page_display(list, req);
    return tk_page_show(reply, "reports", list);
}

static tk_code page_schedule(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *schedule = NULL;
    tk_code rc = tk_report_schedule_get(req->ctx, req->ids[0], &schedule, err);
    if (rc) return rc;
    period_type_label(req, schedule);
    size_t i;
    json_t *period;
    json_array_foreach(json_object_get(schedule, "periods"), i, period) {
        char href[96];
        snprintf(href, sizeof href, "/reports/%lld/%s", (long long)req->ids[0],
                 json_string_value(json_object_get(period, "key")));
        json_object_set_new(period, "href", json_string(href));
    }
    tk_page_display(schedule, req);
    return tk_page_show(reply, "report_schedule", json_pack("{s:o}", "schedule", schedule));
}

static tk_code page_period(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *query = tk_page_filled(req->query), *status = NULL;
    tk_code rc = tk_report_status(req->ctx, req->ids[0], req->key, query, &status, err);
    json_decref(query);
    if (rc) return rc;
    long long schedule = (long long)req->ids[0];
    int64_t org = json_integer_value(json_object_get(json_object_get(status, "org"), "id"));
    char href[128];
    const char *lists[] = {"units", "outstanding"};
    for (size_t l = 0; l < 2; l++) {
        size_t i;
        json_t *unit;
        json_array_foreach(json_object_get(status, lists[l]), i, unit) {
            snprintf(href, sizeof href, "/reports/%lld/%s/%lld", schedule, req->key,
                     (long long)json_integer_value(json_object_get(unit, "org_id")));
            json_object_set_new(unit, "href", json_string(href));
            json_object_set_new(unit, "late", json_boolean(json_is_false(json_object_get(unit, "on_time"))));
        }
    }
    snprintf(href, sizeof href, "/reports/%lld/%s", schedule, req->key);
    json_object_set_new(status, "self_href", json_string(href));
    snprintf(href, sizeof href, "/reports/%lld/%s/consolidated", schedule, req->key);
    json_object_set_new(status, "consolidated_href", json_string(href));
    snprintf(href, sizeof href, "?org=%lld", (long long)org);
    json_object_set_new(status, "org_query", json_string(href));
    json_t *choices = NULL;
    if ((rc = tk_page_org_choices(req, org, &choices, err))) {
        json_decref(status);
        return rc;
    }
    json_object_set_new(status, "org_choices", choices);
    tk_page_display(status, req);
    size_t i;
    json_t *unit;
    json_array_foreach(json_object_get(status, "units"), i, unit) report_status_label(req, unit);
    return tk_page_show(reply, "report_period", status);
}

/* A number for an input a person edits: "12,5" in Vietnamese, "12.5" in English. */
static void number_text(double v, bool vietnamese, char *buf, size_t size)
{
    snprintf(buf, size, "%.10g", v);
    char *dot = strchr(buf, '.');
    if (dot && vietnamese) *dot = ',';
}

/* The unit's report page. When a post was refused, `refused` says why and `entered` (the form)
 * is shown instead of what is stored, so nothing typed is lost. */
static tk_code show_report(tk_page_request *req, tk_page_reply *reply, const tk_error *refused, const json_t *entered,
                           tk_error *err)
{
    json_t *report = NULL;
    tk_code rc = tk_report_get(req->ctx, req->ids[0], req->key, req->ids[1], &report, err);
    if (rc) return rc;
    char href[128], field[96];
    snprintf(href, sizeof href, "/reports/%lld/%s/%lld", (long long)req->ids[0], req->key, (long long)req->ids[1]);
    json_object_set_new(report, "self_href", json_string(href));
    snprintf(href, sizeof href, "/reports/%lld/%s", (long long)req->ids[0], req->key);
    json_object_set_new(report, "period_href", json_string(href));
    const char *status = json_string_value(json_object_get(report, "status"));
    json_object_set_new(report, "is_submitted", json_boolean(status && strcmp(status, "submitted") == 0));
    json_object_set_new(report, "late", json_boolean(json_is_false(json_object_get(report, "on_time"))));

    json_t *content = json_object_get(report, "content");
    size_t i;
    json_t *line;
    json_array_foreach(json_object_get(content, "tasks"), i, line) {
        long long id = (long long)json_integer_value(json_object_get(line, "task_id"));
        snprintf(field, sizeof field, "task_%lld_progress", id);
        const char *typed = json_string_value(json_object_get(entered, field));
        if (typed) json_object_set_new(line, "progress", json_string(typed));
        snprintf(field, sizeof field, "task_%lld_narrative", id);
        if ((typed = json_string_value(json_object_get(entered, field)))) json_object_set_new(line, "narrative", json_string(typed));
    }
    json_array_foreach(json_object_get(content, "indicators"), i, line) {
        long long id = (long long)json_integer_value(json_object_get(line, "indicator_id"));
        char value[64] = "";
        if (json_is_number(json_object_get(line, "value")))
            number_text(json_number_value(json_object_get(line, "value")), strcmp(req->lang, "vi") == 0, value, sizeof value);
        snprintf(field, sizeof field, "indicator_%lld_value", id);
        const char *typed = json_string_value(json_object_get(entered, field));
        json_object_set_new(line, "value_text", json_string(typed ? typed : value));
        snprintf(field, sizeof field, "indicator_%lld_note", id);
        if ((typed = json_string_value(json_object_get(entered, field)))) json_object_set_new(line, "note", json_string(typed));
    }
    json_object_set_new(report, "has_indicators", json_boolean(json_array_size(json_object_get(content, "indicators")) > 0));
    json_t *list = json_array();
    for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
        char key[64];
        snprintf(key, sizeof key, "report_section_%s", sections[s]);
        const char *typed = json_string_value(json_object_get(entered, sections[s]));
        const char *stored = json_string_value(json_object_get(content, sections[s]));
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "name", sections[s], "label", tk_page_msg(req, key),
                                              "text", typed ? typed : stored ? stored : ""));
    }
    json_object_set_new(report, "sections", list);
    tk_page_display(report, req);
    report_status_label(req, report);
    json_t *context = json_pack("{s:o}", "report", report);
    if (refused) {
        json_object_set_new(context, "error", json_pack("{s:s}", "message", refused->message));
        reply->status = 422;
    }
    return tk_page_show(reply, "report_unit", context);
}

static tk_code page_report(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return show_report(req, reply, NULL, NULL, err);
}

/* The JSON body of tk_report_save() from the report form: task lines and indicator lines by
 * their field names ("task_12_progress"), and the four sections. */
static tk_code report_body(const json_t *form, json_t **out, tk_error *err)
{
    json_t *tasks = json_array(), *indicators = json_array();
    *out = json_pack("{s:o, s:o}", "tasks", tasks, "indicators", indicators);
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)form, key, v) {
        long long id;
        int used = 0;
        char field[96];
        const char *text = json_string_value(v);
        if (sscanf(key, "task_%lld_progress%n", &id, &used) == 1 && !key[used] && id > 0) {
            char *end;
            long progress = strtol(text, &end, 10);
            if (!*text || *end)
                return tk_error_set(err, TK_INVALID_INPUT, key, "Tiến độ phải là số nguyên từ 0 đến 100 (%%)");
            snprintf(field, sizeof field, "task_%lld_narrative", id);
            const char *narrative = json_string_value(json_object_get(form, field));
            json_array_append_new(tasks, json_pack("{s:I, s:i, s:s}", "task_id", (json_int_t)id, "progress", (int)progress,
                                                   "narrative", narrative ? narrative : ""));
        } else if (sscanf(key, "indicator_%lld_value%n", &id, &used) == 1 && !key[used] && id > 0) {
            json_t *value = json_null();
            if (*text) {
                tk_cell_number n;
                tk_code rc = tk_cell_parse_number(text, 0, key, &n, err);
                if (rc) return rc;
                value = json_real(n.value);
            }
            snprintf(field, sizeof field, "indicator_%lld_note", id);
            const char *note = json_string_value(json_object_get(form, field));
            json_array_append_new(indicators, json_pack("{s:I, s:o, s:s}", "indicator_id", (json_int_t)id, "value", value,
                                                        "note", note ? note : ""));
        }
    }
    for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
        const char *text = json_string_value(json_object_get(form, sections[s]));
        json_object_set_new(*out, sections[s], json_string(text ? text : ""));
    }
    return TK_OK;
}

/* Back to the report after a change, or the report again with the refusal beside the form. */
static tk_code after_post(tk_page_request *req, tk_page_reply *reply, tk_code rc, tk_error *refused, tk_error *err)
{
    if (!rc) {
        char href[128];
        snprintf(href, sizeof href, "/reports/%lld/%s/%lld", (long long)req->ids[0], req->key, (long long)req->ids[1]);
        return tk_page_redirect(reply, href);
    }
    if (!tk_page_shown_on_form(refused)) {
        *err = *refused;
        return rc;
    }
    return show_report(req, reply, refused, req->form, err);
}

static tk_code post_report(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    tk_error refused;
    tk_error_clear(&refused);
    json_t *body = NULL, *out = NULL;
    tk_code rc = report_body(req->form, &body, &refused);
    if (!rc) rc = tk_report_save(req->ctx, req->ids[0], req->key, req->ids[1], body, &out, &refused);
    json_decref(body);
    json_decref(out);
    out = NULL;
    const char *action = json_string_value(json_object_get(req->form, "action"));
    if (!rc && action && strcmp(action, "submit") == 0)
        rc = tk_report_act(req->ctx, req->ids[0], req->key, req->ids[1], TK_REPORT_SUBMIT, NULL, &out, &refused);
    json_decref(out);
    return after_post(req, reply, rc, &refused, err);
}

static tk_code review(tk_page_request *req, tk_page_reply *reply, tk_report_action action, tk_error *err)
{
    tk_error refused;
    tk_error_clear(&refused);
    const char *reason = json_string_value(json_object_get(req->form, "reason"));
    json_t *body = reason ? json_pack("{s:s}", "reason", reason) : NULL, *out = NULL;
    tk_code rc = tk_report_act(req->ctx, req->ids[0], req->key, req->ids[1], action, body, &out, &refused);
    json_decref(body);
    json_decref(out);
    return after_post(req, reply, rc, &refused, err);
}

static tk_code post_accept(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return review(req, reply, TK_REPORT_ACCEPT, err);
}

static tk_code post_return(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return review(req, reply, TK_REPORT_RETURN, err);
}

static tk_code post_reopen(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return review(req, reply, TK_REPORT_REOPEN, err);
}

/* The caller's reminders (service/remind.h), newest first, each marked read from here. */
static tk_code page_notifications(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *query = tk_page_filled(req->query), *list = NULL;
    tk_code rc = tk_remind_notifications(req->ctx, query, &list, err);
    json_decref(query);
    if (rc) return rc;
    tk_page_display(list, req);
    return tk_page_show(reply, "notifications", list);
}

static tk_code post_notification_read(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *out = NULL;
    tk_code rc = tk_remind_mark_read(req->ctx, req->ids[0], &out, err);
    json_decref(out);
    return rc ? rc : tk_page_redirect(reply, "/notifications");
}

const tk_page_route tk_report_page_routes[] = {
    {"GET", "/reports", page_reports, TK_PAGE_SIGNED_IN},
    {"GET", "/notifications", page_notifications, TK_PAGE_SIGNED_IN},
    {"POST", "/notifications/{id}/read", post_notification_read, TK_PAGE_SIGNED_IN},
    {"GET", "/reports/{id}", page_schedule, TK_PAGE_SIGNED_IN},
    {"GET", "/reports/{id}/{key}", page_period, TK_PAGE_SIGNED_IN},
    {"GET", "/reports/{id}/{key}/{id}", page_report, TK_PAGE_SIGNED_IN},
    {"POST", "/reports/{id}/{key}/{id}", post_report, TK_PAGE_SIGNED_IN},
    {"POST", "/reports/{id}/{key}/{id}/accept", post_accept, TK_PAGE_SIGNED_IN},
    {"POST", "/reports/{id}/{key}/{id}/return", post_return, TK_PAGE_SIGNED_IN},
    {"POST", "/reports/{id}/{key}/{id}/reopen", post_reopen, TK_PAGE_SIGNED_IN},
    {"GET", "/reports/{id}/{key}/consolidated.pdf", page_pdf, TK_PAGE_SIGNED_IN},
    {"GET", "/reports/{id}/{key}/consolidated.docx", page_docx, TK_PAGE_SIGNED_IN},
    {"GET", "/reports/{id}/{key}/consolidated.xlsx", page_xlsx, TK_PAGE_SIGNED_IN},
    {NULL, NULL, NULL, TK_PAGE_SIGNED_IN},
};
