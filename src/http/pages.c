#include "http/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/numeral.h"
#include "core/status.h"
#include "http/form.h"
#include "store/sqlbuf.h"
#include "io/chart.h"
#include "io/document.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/remind.h"
#include "service/resource.h"
#include "service/task.h"
#include "service/task_export.h"

static const char *const status_order[] = {"done_on_time", "done_late", "in_progress", "overdue"};
static const char *const status_colors[] = {"#00703c", "#b58105", "#1d70b8", "#d4351c"};

const char *tk_page_msg(const tk_page_request *req, const char *key)
{
    const char *s = json_string_value(json_object_get(req->t, key));
    return s ? s : key;
}

static bool is_iso_date(const char *s)
{
    tk_date d;
    return s && strlen(s) == 10 && tk_date_parse_iso(s, &d);
}

/* Adds display members beside the API's own, all through the tree: "<date>_vn" (dd/mm/yyyy),
 * "status_label", "kind_label", "progress_display" and "has_<list>" (a list is not empty). The API members stay as they are, so
 * a page shows exactly what the API answers. */
void tk_page_display(json_t *v, const tk_page_request *req)
{
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) tk_page_display(item, req);
        return;
    }
    if (!json_is_object(v)) return;
    json_t *extra = json_object();
    const char *key;
    json_t *member;
    json_object_foreach(v, key, member) {
        char name[96];
        if (json_is_string(member) && is_iso_date(json_string_value(member))) {
            tk_date d;
            char buf[TK_DATE_TEXT_MAX];
            tk_date_parse_iso(json_string_value(member), &d);
            snprintf(name, sizeof name, "%s_vn", key);
            json_object_set_new(extra, name, json_string(tk_date_format_vn(d, buf)));
        } else if ((strcmp(key, "status") == 0 || strcmp(key, "kind") == 0) && json_is_string(member)) {
            char label[96];
            snprintf(label, sizeof label, "%s_%s", strcmp(key, "status") == 0 ? "status" : "kind",
                     json_string_value(member));
            const char *text = json_string_value(json_object_get(req->t, label));
            snprintf(name, sizeof name, "%s_label", key);
            json_object_set_new(extra, name, json_string(text ? text : json_string_value(member)));
        } else if (strcmp(key, "progress") == 0 && json_is_number(member)) {
            char buf[32];
            if (tk_number_format(json_number_value(member), 1, strcmp(req->lang, "vi") == 0, buf, sizeof buf))
                json_object_set_new(extra, "progress_display", json_string(buf));
        } else {
            if (json_is_array(member)) {
                snprintf(name, sizeof name, "has_%s", key);
                json_object_set_new(extra, name, json_boolean(json_array_size(member) > 0));
            }
            tk_page_display(member, req);
        }
    }
    json_object_update(v, extra);
    json_decref(extra);
}

void tk_page_set_cookie(const tk_page_request *req, tk_page_reply *reply, const char *name, const char *value,
                        long max_age)
{
    /* A later value of the same cookie replaces the earlier one (a stale session cleared, then
     * a new one set): RFC 6265 asks for one Set-Cookie per name in an answer. */
    size_t len = strlen(name);
    int slot = reply->cookie_count;
    for (int i = 0; i < reply->cookie_count; i++)
        if (strncmp(reply->cookies[i], name, len) == 0 && reply->cookies[i][len] == '=') slot = i;
    if (slot >= (int)(sizeof reply->cookies / sizeof reply->cookies[0])) return;
    if (slot == reply->cookie_count) reply->cookie_count++;
    char age[48] = "";
    if (max_age) snprintf(age, sizeof age, "; Max-Age=%ld", max_age < 0 ? 0 : max_age);
    snprintf(reply->cookies[slot], sizeof reply->cookies[0], "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name, value,
             age, req->secure_cookies ? "; Secure" : "");
}

void tk_page_common(const tk_page_request *req, json_t *context)
{
    const tk_caller *caller = req->ctx ? req->ctx->caller : NULL;
    if (caller) {
        /* Every form of the page posts the session's CSRF token back; the header shows who is
         * signed in, and the administration links to admins. */
        json_object_set_new(context, "csrf", json_string(caller->csrf));
        json_object_set_new(context, "me",
                            json_pack("{s:s, s:s, s:b}", "login", caller->login, "display_name", caller->display_name,
                                      "is_admin", tk_auth_is_admin(req->ctx)));
        /* The header's count of unread reminders (an index lookup); a page still shows without it. */
        json_t *one = json_pack("{s:s}", "per_page", "1"), *reminders = NULL;
        tk_error ignored;
        if (tk_remind_notifications(req->ctx, one, &reminders, &ignored) == TK_OK) {
            json_t *me = json_object_get(context, "me"), *unread = json_object_get(reminders, "unread");
            json_object_set(me, "unread", unread);
            json_object_set_new(me, "has_unread", json_boolean(json_integer_value(unread) > 0));
        }
        json_decref(reminders);
        json_decref(one);
    }
    json_object_set_new(context, "lang", json_string(req->lang));
    json_object_set(context, "t", (json_t *)req->t);
    json_object_set_new(context, "other_lang", json_string(strcmp(req->lang, "vi") == 0 ? "en" : "vi"));
    json_object_set_new(context, "path", json_string(req->path));
}

tk_code tk_page_show(tk_page_reply *reply, const char *page, json_t *context)
{
    reply->page = page;
    reply->context = context;
    return TK_OK;
}

tk_code tk_page_download(tk_page_reply *reply, unsigned char *file, size_t size, const char *type,
                         const char *file_name)
{
    reply->page = NULL;
    reply->file = file;
    reply->file_size = size;
    reply->file_type = type;
    snprintf(reply->file_name, sizeof reply->file_name, "%s", file_name);
    return TK_OK;
}

tk_code tk_page_redirect(tk_page_reply *reply, const char *location)
{
    reply->status = 303;
    snprintf(reply->location, sizeof reply->location, "%s", location);
    return TK_OK;
}

/* Organizations to choose from in a form or a filter: the active ones, by name. */
/* Binds the scope's values (strings) from position first on. */
static void bind_scope(tk_stmt *st, const json_t *binds, int first)
{
    for (size_t i = 0; i < json_array_size(binds); i++)
        tk_stmt_bind_text(st, first + (int)i, json_string_value(json_array_get(binds, i)));
}

/* Choices for a select: only what the caller may see, so a form never names an organization or
 * program outside the caller's grants. */
static tk_code choices(tk_page_request *req, const tk_resource *res, const char *columns, const char *where,
                       const char *order, const char *today, int64_t selected, json_t **out, tk_error *err)
{
    tk_sqlbuf sql;
    tk_sqlbuf_init(&sql);
    json_t *binds = json_array();
    tk_sqlbuf_add(&sql, "SELECT r.id, ", columns, " FROM ", res->table, " r WHERE ", where, NULL);
    tk_resource_scope(req->ctx, res, &sql, binds);
    tk_sqlbuf_add(&sql, " ORDER BY ", order, NULL);
    tk_stmt *st = sql.overflow ? NULL : tk_db_prepare(req->ctx->db, sql.text, err);
    if (!st) {
        json_decref(binds);
        return sql.overflow ? tk_error_set(err, TK_INTERNAL, NULL, "Câu lệnh SQL quá dài") : err->code;
    }
    int first = 1;
    if (today) tk_stmt_bind_text(st, first++, today);
    bind_scope(st, binds, first);
    json_decref(binds);
    json_t *list = json_array();
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        int64_t id = tk_stmt_column_int(st, 0);
        json_t *item = json_pack("{s:I, s:b}", "id", (json_int_t)id, "selected", id == selected);
        if (res == &tk_res_program) {
            json_object_set_new(item, "number", tk_stmt_column_is_null(st, 1) ? json_null() : json_string(tk_stmt_column_text(st, 1)));
            json_object_set_new(item, "title", json_string(tk_stmt_column_text(st, 2)));
        } else {
            json_object_set_new(item, "name", json_string(tk_stmt_column_text(st, 1)));
        }
        json_array_append_new(list, item);
    }
    if (s == TK_STEP_ERROR) {
        json_decref(list);
        return err->code;
    }
    *out = list;
    return TK_OK;
}

tk_code tk_page_org_choices(tk_page_request *req, int64_t selected, json_t **out, tk_error *err)
{
    char today[TK_DATE_TEXT_MAX];
    return choices(req, &tk_res_organization, "r.name", "(r.valid_to IS NULL OR r.valid_to >= ?)", "r.name_folded, r.id",
                   tk_date_format_iso(req->ctx->today, today), selected, out, err);
}

tk_code tk_page_program_choices(tk_page_request *req, int64_t selected, json_t **out, tk_error *err)
{
    return choices(req, &tk_res_program, "r.number, r.title", "1", "r.document_id, r.number, r.id", NULL, selected,
                   out, err);
}

/* The query without its empty members: a filter form sends every field, filled or not. */
json_t *tk_page_filled(const json_t *query)
{
    json_t *out = json_object();
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)query, key, v) {
        if (json_is_string(v) && json_string_length(v) > 0 && strcmp(key, "lang") != 0) json_object_set(out, key, v);
    }
    return out;
}

/* Percent-encodes s at w (which has room for 3 bytes per byte of s); returns the end. */
static char *escape_into(char *w, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; c && *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
            *c == '_' || *c == '.')
            *w++ = (char)*c;
        else w += sprintf(w, "%%%02X", *c);
    }
    *w = '\0';
    return w;
}

char *tk_page_escape(const char *s)
{
    char *out = malloc(3 * strlen(s) + 1);
    if (out) escape_into(out, s);
    return out;
}

char *tk_page_query_string(const json_t *query)
{
    size_t cap = 16;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)query, key, v) cap += 3 * (strlen(key) + json_string_length(v)) + 2;
    char *out = malloc(cap), *w = out;
    if (!out) return NULL;
    *w = '\0';
    bool first = true;
    json_object_foreach((json_t *)query, key, v) {
        *w++ = first ? '?' : '&';
        first = false;
        w = escape_into(w, key);
        *w++ = '=';
        w = escape_into(w, json_string_value(v));
    }
    return out;
}

/* ---- history (the audit log of one object) ---- */

enum { HISTORY_SHOWN = 20, CHANGE_TEXT_MAX = 200 };

/* A member's value as a person reads it: text as is, anything else as compact JSON; cut at a
 * character boundary after CHANGE_TEXT_MAX bytes. New reference. */
static json_t *change_text(const json_t *v)
{
    if (!v || json_is_null(v)) return json_string("");
    char *text = json_is_string(v) ? strdup(json_string_value(v)) : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text) return json_string("");
    size_t n = strlen(text);
    if (n > CHANGE_TEXT_MAX) {
        n = CHANGE_TEXT_MAX;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) n--;
        strcpy(text + n, "…");
    }
    json_t *out = json_string(text);
    free(text);
    return out ? out : json_string("");
}

void tk_page_history_display(const tk_page_request *req, json_t *entries)
{
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e) {
        const char *at = json_string_value(json_object_get(e, "at"));
        struct tm tm = {0};
        char shown[32] = "";
        if (at && sscanf(at, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                         &tm.tm_sec) == 6) {
            tm.tm_year -= 1900;
            tm.tm_mon -= 1;
            time_t t = timegm(&tm);
            struct tm local;
            localtime_r(&t, &local);
            strftime(shown, sizeof shown, "%d/%m/%Y %H:%M", &local);
        }
        json_object_set_new(e, "at_display", json_string(shown));
        char key[96];
        snprintf(key, sizeof key, "audit_action_%s", json_string_value(json_object_get(e, "action")));
        json_object_set_new(e, "action_label", json_string(tk_page_msg(req, key)));
        if (!json_is_string(json_object_get(e, "login")))
            json_object_set_new(e, "login", json_string(tk_page_msg(req, "audit_system")));
        /* What changed, member by member: the before and after of an update differ in few. */
        json_t *before = json_object_get(e, "before"), *after = json_object_get(e, "after"), *changes = json_array();
        const char *name;
        json_t *v;
        json_object_foreach(after, name, v) {
            if (strcmp(name, "updated_at") == 0 || strcmp(name, "created_at") == 0) continue;
            json_t *old = json_object_get(before, name);
            if (old && json_equal(old, v)) continue;
            json_array_append_new(changes, json_pack("{s:s, s:o, s:o}", "field", name, "before", change_text(old),
                                                     "after", change_text(v)));
        }
        json_object_set_new(e, "changes", changes);
        json_object_set_new(e, "has_changes", json_boolean(json_array_size(changes) > 0));
    }
}

void tk_page_history(tk_page_request *req, const char *object_type, int64_t id, json_t *context)
{
    char id_text[24], per_page[8];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    snprintf(per_page, sizeof per_page, "%d", HISTORY_SHOWN);
    json_t *query = json_pack("{s:s, s:s, s:s}", "object_type", object_type, "object_id", id_text, "per_page", per_page);
    json_t *list = NULL;
    tk_error ignored;
    /* The page itself is already shown to this caller; a history that cannot be read leaves
     * its section out rather than failing the page. */
    if (tk_audit_list(req->ctx, query, &list, &ignored) == TK_OK) {
        json_t *entries = json_object_get(list, "items");
        tk_page_history_display(req, entries);
        json_object_set(context, "history", entries);
        json_object_set_new(context, "has_history", json_boolean(json_array_size(entries) > 0));
        if (tk_auth_is_admin(req->ctx)) {
            char href[128];
            snprintf(href, sizeof href, "/admin/audit?object_type=%s&object_id=%s", object_type, id_text);
            json_object_set_new(context, "history_href", json_string(href));
        }
    }
    json_decref(list);
    json_decref(query);
}

/* ---- Tổng quan: the dashboard ---- */

static tk_code default_org(tk_page_request *req, char *buf, size_t size, tk_error *err)
{
    int64_t home = tk_auth_home_org(req->ctx);
    if (home) {
        snprintf(buf, size, "%lld", (long long)home);
        return TK_OK;
    }
    tk_stmt *st = tk_db_prepare(req->ctx->db, "SELECT id FROM organizations WHERE parent_id IS NULL ORDER BY id LIMIT 1",
                                err);
    if (!st) return err->code;
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return err->code;
    snprintf(buf, size, "%lld", s == TK_STEP_ROW ? (long long)tk_stmt_column_int(st, 0) : 0LL);
    tk_stmt_reset(st);
    return TK_OK;
}

static tk_code page_dashboard(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *query = tk_page_filled(req->query);
    char org[24];
    tk_code rc = TK_OK;
    if (!json_object_get(query, "org")) {
        if ((rc = default_org(req, org, sizeof org, err))) goto out;
        if (strcmp(org, "0") == 0) {
            json_decref(query);
            return tk_page_show(reply, "empty", json_object());
        }
        json_object_set_new(query, "org", json_string(org));
    }
    json_t *dash = NULL;
    if ((rc = tk_dashboard(req->ctx, query, &dash, err))) goto out;
    const char *on = json_string_value(json_object_get(dash, "on"));
    int64_t org_id = json_integer_value(json_object_get(json_object_get(dash, "organization"), "id"));

    /* Each count links to the list behind it. */
    json_t *rows = json_array();
    tk_chart_slice slices[4];
    json_t *counts = json_object_get(dash, "counts");
    for (int i = 0; i < 4; i++) {
        char key[40], href[160];
        snprintf(key, sizeof key, "status_%s", status_order[i]);
        snprintf(href, sizeof href, "/tasks?org=%lld&status=%s&on=%s", (long long)org_id, status_order[i], on);
        int64_t n = json_integer_value(json_object_get(counts, status_order[i]));
        json_array_append_new(rows, json_pack("{s:s, s:s, s:I, s:s, s:s}", "status", status_order[i], "label",
                                              tk_page_msg(req, key), "count", (json_int_t)n, "href", href, "color",
                                              status_colors[i]));
        slices[i] = (tk_chart_slice){tk_page_msg(req, key), n, status_colors[i]};
    }
    json_object_set_new(dash, "status_rows", rows);
    char *donut = tk_chart_donut(slices, 4, tk_page_msg(req, "chart_status_alt"), tk_page_msg(req, "total"));
    json_object_set_new(dash, "donut_svg", json_string(donut ? donut : ""));
    free(donut);

    json_t *programs = json_object_get(dash, "programs");
    size_t n = json_array_size(programs);
    tk_chart_bar *bars = calloc(n ? n : 1, sizeof *bars);
    size_t i;
    json_t *p;
    json_array_foreach(programs, i, p) {
        const char *number = json_string_value(json_object_get(p, "number"));
        bars[i].label = number ? number : json_string_value(json_object_get(p, "title"));
        bars[i].percent = json_number_value(json_object_get(p, "progress"));
    }
    char *svg = bars ? tk_chart_bars(bars, n, tk_page_msg(req, "chart_programs_alt")) : NULL;
    free(bars);
    json_object_set_new(dash, "bars_svg", json_string(svg ? svg : ""));
    free(svg);
    char href[160];
    snprintf(href, sizeof href, "/tasks?org=%lld&status=overdue&on=%s", (long long)org_id, on);
    json_object_set_new(dash, "overdue_href", json_string(href));

    json_t *choices, *indicators;
    tk_date on_day;
    tk_date_parse_iso(on, &on_day);
    if ((rc = tk_page_indicator_summaries(req, org_id, on_day, &indicators, err))) {
        json_decref(dash);
        goto out;
    }
    json_object_set_new(dash, "indicators", indicators);
    if ((rc = tk_page_org_choices(req, org_id, &choices, err))) {
        json_decref(dash);
        goto out;
    }
    json_object_set_new(dash, "org_choices", choices);
    tk_page_display(dash, req);
    rc = tk_page_show(reply, "dashboard", dash);
out:
    json_decref(query);
    return rc;
}

/* ---- Nhiệm vụ: the task list ---- */

static tk_code page_tasks(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *query = tk_page_filled(req->query), *list = NULL;
    tk_code rc = tk_task_list(req->ctx, query, &list, err);
    if (rc) {
        /* A bad filter is shown on the page beside the form, not as an error page. */
        json_t *context = json_pack("{s:{s:s, s:s}, s:[]}", "error", "field", err->field, "message", err->message,
                                    "items");
        tk_error_clear(err);
        list = context;
        rc = TK_OK;
    }
    json_object_set(list, "filters", query);
    const char *status = json_string_value(json_object_get(query, "status"));
    json_t *statuses = json_array();
    for (int i = 0; i < 4; i++) {
        char key[40];
        snprintf(key, sizeof key, "status_%s", status_order[i]);
        json_array_append_new(statuses, json_pack("{s:s, s:s, s:b}", "value", status_order[i], "label", tk_page_msg(req, key),
                                                  "selected", status && strcmp(status, status_order[i]) == 0));
    }
    json_object_set_new(list, "statuses", statuses);
    static const char *const sorts[] = {"due", "-due", "id", "-id", "title"};
    const char *sort = json_string_value(json_object_get(query, "sort"));
    json_t *sort_list = json_array();
    for (size_t i = 0; i < 5; i++) {
        char key[40];
        snprintf(key, sizeof key, "sort_%s", sorts[i]);
        json_array_append_new(sort_list, json_pack("{s:s, s:s, s:b}", "value", sorts[i], "label", tk_page_msg(req, key),
                                                   "selected", sort && strcmp(sort, sorts[i]) == 0));
    }
    json_object_set_new(list, "sorts", sort_list);
    int64_t org = 0;
    const char *org_text = json_string_value(json_object_get(query, "org"));
    if (org_text) org = strtoll(org_text, NULL, 10);
    json_t *choices;
    if ((rc = tk_page_org_choices(req, org, &choices, err))) goto out;
    json_object_set_new(list, "org_choices", choices);

    /* Links to the neighbouring pages keep every filter. */
    int page = (int)json_integer_value(json_object_get(list, "page"));
    json_t *nav = json_copy(query);
    char num[24];
    if (page > 1) {
        snprintf(num, sizeof num, "%d", page - 1);
        json_object_set_new(nav, "page", json_string(num));
        char *qs = tk_page_query_string(nav);
        json_object_set_new(list, "prev_href", json_pack("s+", "/tasks", qs ? qs : ""));
        free(qs);
    }
    if (json_is_true(json_object_get(list, "has_more"))) {
        snprintf(num, sizeof num, "%d", page + 1);
        json_object_set_new(nav, "page", json_string(num));
        char *qs = tk_page_query_string(nav);
        json_object_set_new(list, "next_href", json_pack("s+", "/tasks", qs ? qs : ""));
        free(qs);
    }
    json_decref(nav);
    /* The downloads take the same filters, without the page. */
    json_t *whole = json_copy(query);
    json_object_del(whole, "page");
    json_object_del(whole, "per_page");
    char *qs = tk_page_query_string(whole);
    json_object_set_new(list, "xlsx_href", json_pack("s+", "/tasks.xlsx", qs ? qs : ""));
    json_object_set_new(list, "csv_href", json_pack("s+", "/tasks.csv", qs ? qs : ""));
    free(qs);
    json_decref(whole);
    tk_page_display(list, req);
    rc = tk_page_show(reply, "tasks", json_incref(list));
out:
    json_decref(list);
    json_decref(query);
    return rc;
}

/* The list of the same filters, whole, as a file (service/task_export.h). */
static tk_code export_tasks(tk_page_request *req, tk_page_reply *reply, bool xlsx, tk_error *err)
{
    json_t *query = tk_page_filled(req->query), *doc = NULL;
    tk_code rc = tk_task_list_document(req->ctx, query, &doc, err);
    json_decref(query);
    if (rc) return rc;
    unsigned char *file = NULL;
    size_t size = 0;
    rc = xlsx ? tk_xlsx_render(doc, &file, &size, err) : tk_csv_render(doc, &file, &size, err);
    json_decref(doc);
    if (rc) return rc;
    char name[64], day[TK_DATE_TEXT_MAX];
    snprintf(name, sizeof name, "nhiem-vu-%s.%s", tk_date_format_iso(req->ctx->today, day), xlsx ? "xlsx" : "csv");
    return tk_page_download(reply, file, size,
                            xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                                 : "text/csv; charset=utf-8",
                            name);
}

static tk_code page_tasks_xlsx(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return export_tasks(req, reply, true, err);
}

static tk_code page_tasks_csv(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return export_tasks(req, reply, false, err);
}

/* ---- one task ---- */

/* A refused form's error for its template: in "error" for the summary, and in "error_<field>"
 * so the message stands beside the field it is about. */
bool tk_page_shown_on_form(const tk_error *e)
{
    switch (e->code) {
    case TK_INVALID_INPUT:
    case TK_INVALID_UTF8:
    case TK_INVALID_PERIOD:
    case TK_CONFLICT:
    case TK_TOO_LARGE:
        return true;
    case TK_NOT_FOUND:
        return e->field[0] != '\0'; /* a reference the form named, not the object edited */
    default:
        return false;
    }
}

static void form_error(json_t *target, const tk_error *form_err)
{
    json_object_set_new(target, "error", json_pack("{s:s, s:s}", "field", form_err->field, "message", form_err->message));
    char flag[96];
    snprintf(flag, sizeof flag, "error_%s", form_err->field);
    json_object_set_new(target, flag, json_string(form_err->message));
}

static int by_date(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c = strcmp(json_string_value(json_object_get(x, "date")), json_string_value(json_object_get(y, "date")));
    if (c) return c;
    return (int)(json_integer_value(json_object_get(x, "order")) - json_integer_value(json_object_get(y, "order")));
}

/* Updates and extensions in one history, oldest first. New array. */
static json_t *timeline(const json_t *updates, const json_t *extensions)
{
    size_t n = json_array_size(updates) + json_array_size(extensions), k = 0;
    json_t **entries = calloc(n ? n : 1, sizeof *entries);
    json_t *out = json_array();
    if (!entries) return out;
    size_t i;
    json_t *v;
    json_array_foreach(updates, i, v) {
        entries[k] = json_pack("{s:O, s:O, s:I}", "date", json_object_get(v, "reported_on"), "update", v, "order",
                               (json_int_t)k);
        k++;
    }
    json_array_foreach(extensions, i, v) {
        entries[k] = json_pack("{s:O, s:O, s:I}", "date", json_object_get(v, "decided_on"), "extension", v, "order",
                               (json_int_t)k);
        k++;
    }
    qsort(entries, k, sizeof *entries, by_date);
    for (i = 0; i < k; i++) json_array_append_new(out, entries[i]);
    free(entries);
    return out;
}

/* The task page, with the forms' entered values and errors when a POST was refused. */
static tk_code show_task(tk_page_request *req, tk_page_reply *reply, int64_t id, const char *form_name,
                         const tk_error *form_err, tk_error *err)
{
    json_t *task = NULL, *updates = NULL, *extensions = NULL;
    tk_code rc = tk_resource_get(req->ctx, &tk_res_task, id, &task, err);
    if (!rc) rc = tk_task_list_updates(req->ctx, id, &updates, err);
    if (!rc) rc = tk_task_list_extensions(req->ctx, id, &extensions, err);
    if (rc) {
        json_decref(task);
        json_decref(updates);
        json_decref(extensions);
        return rc;
    }
    json_t *context = json_pack("{s:o, s:o}", "task", task, "timeline",
                                timeline(json_object_get(updates, "items"), json_object_get(extensions, "items")));
    json_decref(updates);
    json_decref(extensions);
    const char *kind = json_string_value(json_object_get(task, "due_kind"));
    json_object_set_new(context, "is_span", json_boolean(kind && strcmp(kind, "span") == 0));
    json_object_set_new(context, "is_continuous", json_boolean(kind && strcmp(kind, "continuous") == 0));
    json_object_set_new(context, "is_done", json_boolean(!json_is_null(json_object_get(task, "completed_on"))));
    const char *status = json_string_value(json_object_get(task, "status"));
    json_object_set_new(context, "is_overdue", json_boolean(status && strcmp(status, "overdue") == 0));
    char today[TK_DATE_TEXT_MAX];
    tk_date_format_vn(req->ctx->today, today);
    json_object_set_new(context, "today_vn", json_string(today));
    /* The program and document the task belongs to, by name. */
    static const struct {
        const char *field;
        const tk_resource *res;
    } parents[] = {{"program_id", &tk_res_program}, {"document_id", &tk_res_document}};
    for (size_t i = 0; i < sizeof parents / sizeof parents[0]; i++) {
        json_t *ref = json_object_get(task, parents[i].field), *obj = NULL;
        if (!json_is_integer(ref)) continue;
        if ((rc = tk_resource_get(req->ctx, parents[i].res, json_integer_value(ref), &obj, err))) {
            json_decref(context);
            return rc;
        }
        json_object_set_new(context, parents[i].res->name, obj);
    }
    if (form_name) {
        /* The refused form: its values, its error in the summary and beside the field. */
        json_t *form = json_pack("{s:O}", "values", req->form);
        form_error(form, form_err);
        json_object_set_new(context, form_name, form);
        reply->status = 422;
    }
    tk_page_display(context, req);
    tk_page_history(req, "task", id, context);
    return tk_page_show(reply, "task", context);
}

static tk_code page_task(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return show_task(req, reply, req->ids[0], NULL, NULL, err);
}

typedef tk_code (*task_child_fn)(tk_ctx *ctx, int64_t task_id, json_t *body, json_t **out, tk_error *err);

static tk_code post_task_child(tk_page_request *req, tk_page_reply *reply, const tk_resource *res, task_child_fn add,
                               const char *form_name, const char *anchor, tk_error *err)
{
    json_t *body = NULL, *created = NULL;
    tk_error form_err;
    tk_error_clear(&form_err);
    tk_code rc = tk_form_to_body(res, req->form, true, NULL, &body, &form_err);
    if (!rc) {
        json_object_del(body, "task_id");
        rc = add(req->ctx, req->ids[0], body, &created, &form_err);
    }
    json_decref(body);
    json_decref(created);
    if (rc && !tk_page_shown_on_form(&form_err)) {
        *err = form_err;
        return rc;
    }
    if (rc) return show_task(req, reply, req->ids[0], form_name, &form_err, err);
    char location[64];
    snprintf(location, sizeof location, "/tasks/%lld#%s", (long long)req->ids[0], anchor);
    return tk_page_redirect(reply, location);
}

static tk_code post_update(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return post_task_child(req, reply, &tk_res_task_update, tk_task_add_update, "update_form", "updates", err);
}

static tk_code post_extension(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return post_task_child(req, reply, &tk_res_task_extension, tk_task_extend, "extension_form", "extensions", err);
}

/* ---- creating and editing a task ---- */

static tk_code task_form(tk_page_request *req, tk_page_reply *reply, json_t *values, const tk_error *form_err,
                         int64_t id, tk_error *err)
{
    int64_t lead = 0, program = 0;
    const char *s = json_string_value(json_object_get(values, "lead_org_id"));
    if (s) lead = strtoll(s, NULL, 10);
    else if (json_is_integer(json_object_get(values, "lead_org_id"))) lead = json_integer_value(json_object_get(values, "lead_org_id"));
    s = json_string_value(json_object_get(values, "program_id"));
    if (s) program = strtoll(s, NULL, 10);
    else if (json_is_integer(json_object_get(values, "program_id"))) program = json_integer_value(json_object_get(values, "program_id"));
    json_t *orgs, *programs;
    tk_code rc = tk_page_org_choices(req, lead, &orgs, err);
    if (rc) return rc;
    if ((rc = tk_page_program_choices(req, program, &programs, err))) {
        json_decref(orgs);
        return rc;
    }
    json_t *context = json_pack("{s:O, s:o, s:o}", "values", values, "org_choices", orgs, "program_choices", programs);
    /* Coordinators are a multiple choice: mark each chosen unit. */
    json_t *chosen = json_object_get(values, "coordinator_ids");
    json_t *coordinators = json_deep_copy(orgs);
    size_t i, j;
    json_t *o, *c;
    json_array_foreach(coordinators, i, o) {
        bool on = false;
        json_t *list = json_is_array(chosen) ? chosen : NULL;
        json_array_foreach(list, j, c) {
            int64_t cid = json_is_integer(c) ? json_integer_value(c) : strtoll(json_string_value(c) ? json_string_value(c) : "0", NULL, 10);
            on = on || cid == json_integer_value(json_object_get(o, "id"));
        }
        if (json_is_string(chosen)) on = strtoll(json_string_value(chosen), NULL, 10) == json_integer_value(json_object_get(o, "id"));
        json_object_set_new(o, "selected", json_boolean(on));
    }
    json_object_set_new(context, "coordinator_choices", coordinators);
    if (id) {
        json_object_set_new(context, "id", json_integer(id));
        char action[64];
        snprintf(action, sizeof action, "/tasks/%lld", (long long)id);
        json_object_set_new(context, "action", json_string(action));
    } else {
        json_object_set_new(context, "action", json_string("/tasks"));
        json_object_set_new(context, "creating", json_true());
    }
    if (form_err) {
        form_error(context, form_err);
        reply->status = 422;
    }
    tk_page_display(context, req);
    return tk_page_show(reply, "task_form", context);
}

static tk_code page_task_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *values = json_copy(req->query);
    tk_code rc = task_form(req, reply, values, NULL, 0, err);
    json_decref(values);
    return rc;
}

static tk_code page_task_edit(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *task = NULL;
    /* An edit form is offered only to those who may save it. */
    tk_code rc = tk_resource_get(req->ctx, &tk_res_task, req->ids[0], &task, err);
    if (!rc) rc = tk_resource_check_write(req->ctx, &tk_res_task, req->ids[0], err);
    if (rc) {
        json_decref(task);
        return rc;
    }
    rc = task_form(req, reply, task, NULL, req->ids[0], err);
    json_decref(task);
    return rc;
}

static tk_code save_task(tk_page_request *req, tk_page_reply *reply, int64_t id, tk_error *err)
{
    static const char *const extra[] = {"coordinator_ids", NULL};
    json_t *body = NULL, *saved = NULL;
    tk_error form_err;
    tk_error_clear(&form_err);
    tk_code rc = tk_form_to_body(&tk_res_task, req->form, id == 0, extra, &body, &form_err);
    if (!rc && !json_object_get(req->form, "coordinator_ids")) json_object_set_new(body, "coordinator_ids", json_array());
    if (!rc) {
        rc = id ? tk_resource_update(req->ctx, &tk_res_task, id, body, &saved, &form_err)
                : tk_resource_create(req->ctx, &tk_res_task, body, &saved, &form_err);
    }
    json_decref(body);
    if (rc && !tk_page_shown_on_form(&form_err)) {
        json_decref(saved);
        *err = form_err;
        return rc;
    }
    if (rc) {
        return task_form(req, reply, req->form, &form_err, id, err);
    }
    char location[64];
    snprintf(location, sizeof location, "/tasks/%lld", (long long)json_integer_value(json_object_get(saved, "id")));
    json_decref(saved);
    return tk_page_redirect(reply, location);
}

static tk_code post_task_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return save_task(req, reply, 0, err);
}

static tk_code post_task_edit(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return save_task(req, reply, req->ids[0], err);
}

/* ---- Chương trình ---- */

static tk_code page_programs(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *query = json_pack("{s:s}", "per_page", "200"), *list = NULL;
    const char *q = json_string_value(json_object_get(req->query, "q"));
    if (q && *q) json_object_set_new(query, "q", json_string(q));
    tk_code rc = tk_resource_list(req->ctx, &tk_res_program, query, &list, err);
    json_decref(query);
    if (rc) return rc;
    /* Programs are shown under their action program. */
    json_t *groups = json_array(), *group = NULL;
    int64_t current = -1;
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(list, "items"), i, p) {
        int64_t doc = json_integer_value(json_object_get(p, "document_id"));
        if (doc != current) {
            json_t *document = NULL;
            if ((rc = tk_resource_get(req->ctx, &tk_res_document, doc, &document, err))) break;
            group = json_pack("{s:o, s:[]}", "document", document, "programs");
            json_array_append_new(groups, group);
            current = doc;
        }
        json_array_append(json_object_get(group, "programs"), p);
    }
    json_decref(list);
    if (rc) {
        json_decref(groups);
        return rc;
    }
    json_t *context = json_pack("{s:o}", "groups", groups);
    tk_page_display(context, req);
    return tk_page_show(reply, "programs", context);
}

static tk_code page_program(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *program = NULL, *document = NULL, *tasks = NULL, *previous = NULL, *goals = NULL, *indicators = NULL;
    tk_code rc = tk_resource_get(req->ctx, &tk_res_program, req->ids[0], &program, err);
    if (rc) return rc;
    char id[24], doc_id[24];
    snprintf(id, sizeof id, "%lld", (long long)req->ids[0]);
    snprintf(doc_id, sizeof doc_id, "%lld", (long long)json_integer_value(json_object_get(program, "document_id")));
    rc = tk_resource_get(req->ctx, &tk_res_document, json_integer_value(json_object_get(program, "document_id")),
                         &document, err);
    if (!rc && json_is_integer(json_object_get(program, "continues_id")))
        rc = tk_resource_get(req->ctx, &tk_res_program, json_integer_value(json_object_get(program, "continues_id")),
                             &previous, err);
    if (!rc) {
        json_t *query = json_pack("{s:s, s:s}", "program_id", id, "per_page", "200");
        rc = tk_task_list(req->ctx, query, &tasks, err);
        if (!rc) rc = tk_resource_list(req->ctx, &tk_res_indicator, query, &indicators, err);
        json_decref(query);
    }
    if (!rc) {
        /* The goals the program serves are those of the document it belongs to. */
        json_t *query = json_pack("{s:s, s:s, s:s}", "document_id", doc_id, "kind", "goal", "per_page", "200");
        rc = tk_resource_list(req->ctx, &tk_res_document_item, query, &goals, err);
        json_decref(query);
    }
    if (rc) {
        json_decref(program);
        json_decref(document);
        json_decref(previous);
        json_decref(tasks);
        json_decref(indicators);
        json_decref(goals);
        return rc;
    }
    json_t *context = json_pack("{s:o, s:o, s:o?, s:O, s:O, s:O}", "program", program, "document", document, "previous",
                                previous, "tasks", json_object_get(tasks, "items"), "goals",
                                json_object_get(goals, "items"), "indicators", json_object_get(indicators, "items"));
    json_object_set_new(context, "tasks_more", json_boolean(json_is_true(json_object_get(tasks, "has_more"))));
    json_decref(tasks);
    json_decref(goals);
    json_decref(indicators);
    tk_page_display(context, req);
    tk_page_history(req, "program", req->ids[0], context);
    return tk_page_show(reply, "program", context);
}

/* ---- Đơn vị: the organization tree and a unit ---- */

/* Builds a nested tree from rows ordered so that parents come before children (by id: a unit
 * is created after its parent). */
static json_t *build_tree(json_t *rows, const char *parent_key)
{
    json_t *by_id = json_object(), *roots = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        char key[24];
        json_object_set_new(row, "children", json_array());
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(row, "id")));
        json_object_set(by_id, key, row);
    }
    json_array_foreach(rows, i, row) {
        json_t *parent = json_object_get(row, parent_key);
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(parent));
        json_t *p = json_is_integer(parent) ? json_object_get(by_id, key) : NULL;
        json_array_append(p ? json_object_get(p, "children") : roots, row);
    }
    json_decref(by_id);
    /* A node refers to its children; the children never refer back, so no cycle is made. */
    json_array_foreach(rows, i, row) json_object_set_new(row, "has_children", json_boolean(json_array_size(json_object_get(row, "children")) > 0));
    return roots;
}

static tk_code all_rows(tk_page_request *req, const tk_resource *res, json_t **out, tk_error *err)
{
    /* The whole tree, page by page: trees are shown whole (a few thousand units at most). */
    json_t *rows = json_array();
    for (int page = 1;; page++) {
        char num[16];
        snprintf(num, sizeof num, "%d", page);
        json_t *query = json_pack("{s:s, s:s}", "per_page", "200", "page", num), *list = NULL;
        tk_code rc = tk_resource_list(req->ctx, res, query, &list, err);
        json_decref(query);
        if (rc) {
            json_decref(rows);
            return rc;
        }
        json_array_extend(rows, json_object_get(list, "items"));
        bool more = json_is_true(json_object_get(list, "has_more"));
        json_decref(list);
        if (!more) break;
    }
    *out = rows;
    return TK_OK;
}

/* A page showing every object of res as a tree along parent_key. */
static tk_code tree_page(tk_page_request *req, tk_page_reply *reply, const tk_resource *res, const char *parent_key,
                         const char *page, tk_error *err)
{
    json_t *rows;
    tk_code rc = all_rows(req, res, &rows, err);
    if (rc) return rc;
    json_t *tree = build_tree(rows, parent_key);
    json_decref(rows);
    json_t *context = json_pack("{s:o}", "roots", tree);
    tk_page_display(context, req);
    return tk_page_show(reply, page, context);
}

static tk_code page_organizations(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return tree_page(req, reply, &tk_res_organization, "parent_id", "organizations", err);
}

static tk_code page_organization(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *org = NULL, *card = NULL, *lead = NULL, *coordinated = NULL, *children = NULL, *parent = NULL;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)req->ids[0]);
    tk_code rc = tk_resource_get(req->ctx, &tk_res_organization, req->ids[0], &org, err);
    if (!rc) rc = tk_org_scorecard(req->ctx, req->ids[0], req->query, &card, err);
    if (!rc) {
        json_t *q = json_pack("{s:s, s:s}", "lead_org_id", id, "per_page", "100");
        rc = tk_task_list(req->ctx, q, &lead, err);
        json_decref(q);
    }
    if (!rc) {
        json_t *q = json_pack("{s:s, s:s}", "coordinator_org_id", id, "per_page", "100");
        rc = tk_task_list(req->ctx, q, &coordinated, err);
        json_decref(q);
    }
    if (!rc) {
        json_t *q = json_pack("{s:s, s:s}", "parent_id", id, "per_page", "200");
        rc = tk_resource_list(req->ctx, &tk_res_organization, q, &children, err);
        json_decref(q);
    }
    if (!rc && json_is_integer(json_object_get(org, "parent_id")))
        rc = tk_resource_get(req->ctx, &tk_res_organization, json_integer_value(json_object_get(org, "parent_id")),
                             &parent, err);
    if (rc) {
        json_decref(org);
        json_decref(card);
        json_decref(lead);
        json_decref(coordinated);
        json_decref(children);
        json_decref(parent);
        return rc;
    }
    json_t *rows = json_array();
    for (int i = 0; i < 4; i++) {
        char key[40], own_href[160], tree_href[160];
        snprintf(key, sizeof key, "status_%s", status_order[i]);
        snprintf(own_href, sizeof own_href, "/tasks?lead_org_id=%s&status=%s", id, status_order[i]);
        snprintf(tree_href, sizeof tree_href, "/tasks?org=%s&status=%s", id, status_order[i]);
        json_array_append_new(
            rows, json_pack("{s:s, s:s, s:I, s:I, s:s, s:s}", "status", status_order[i], "label", tk_page_msg(req, key), "own",
                            (json_int_t)json_integer_value(json_object_get(json_object_get(card, "own"), status_order[i])),
                            "subtree",
                            (json_int_t)json_integer_value(json_object_get(json_object_get(card, "subtree"), status_order[i])),
                            "own_href", own_href, "tree_href", tree_href));
    }
    json_t *context = json_pack("{s:o, s:o, s:o, s:O, s:O, s:O, s:o?}", "org", org, "scorecard", card, "status_rows",
                                rows, "lead_tasks", json_object_get(lead, "items"), "coordinated_tasks",
                                json_object_get(coordinated, "items"), "children", json_object_get(children, "items"),
                                "parent", parent);
    json_decref(lead);
    json_decref(coordinated);
    json_decref(children);
    tk_page_display(context, req);
    tk_page_history(req, "organization", req->ids[0], context);
    return tk_page_show(reply, "organization", context);
}

/* ---- Văn bản: the cascade of documents ---- */

static tk_code page_documents(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return tree_page(req, reply, &tk_res_document, "implements_id", "documents", err);
}

static tk_code page_document(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)req->ids[0]);
    json_t *doc = NULL, *items = NULL, *programs = NULL, *children = NULL, *parent = NULL;
    tk_code rc = tk_resource_get(req->ctx, &tk_res_document, req->ids[0], &doc, err);
    json_t *q = json_pack("{s:s, s:s}", "document_id", id, "per_page", "200");
    if (!rc) rc = tk_resource_list(req->ctx, &tk_res_document_item, q, &items, err);
    if (!rc) rc = tk_resource_list(req->ctx, &tk_res_program, q, &programs, err);
    json_decref(q);
    if (!rc) {
        q = json_pack("{s:s, s:s}", "implements_id", id, "per_page", "200");
        rc = tk_resource_list(req->ctx, &tk_res_document, q, &children, err);
        json_decref(q);
    }
    if (!rc && json_is_integer(json_object_get(doc, "implements_id")))
        rc = tk_resource_get(req->ctx, &tk_res_document, json_integer_value(json_object_get(doc, "implements_id")),
                             &parent, err);
    if (rc) {
        json_decref(doc);
        json_decref(items);
        json_decref(programs);
        json_decref(children);
        json_decref(parent);
        return rc;
    }
    json_t *context = json_pack("{s:o, s:O, s:O, s:O, s:o?}", "document", doc, "items",
                                json_object_get(items, "items"), "programs", json_object_get(programs, "items"),
                                "children", json_object_get(children, "items"), "parent", parent);
    json_decref(items);
    json_decref(programs);
    json_decref(children);
    tk_page_display(context, req);
    tk_page_history(req, "document", req->ids[0], context);
    return tk_page_show(reply, "document", context);
}

/* ---- Tìm kiếm ---- */

static tk_code page_search(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    const char *q = json_string_value(json_object_get(req->query, "q"));
    json_t *context = json_pack("{s:s}", "q", q ? q : "");
    if (q && *q) {
        json_t *query = json_pack("{s:s, s:s}", "q", q, "per_page", "20");
        static const struct {
            const char *key;
            const tk_resource *res;
        } kinds[] = {{"tasks", &tk_res_task},
                     {"programs", &tk_res_program},
                     {"documents", &tk_res_document},
                     {"organizations", &tk_res_organization}};
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
            json_t *list = NULL;
            tk_code rc = tk_resource_list(req->ctx, kinds[i].res, query, &list, err);
            if (rc) {
                json_decref(query);
                json_decref(context);
                return rc;
            }
            json_object_set(context, kinds[i].key, json_object_get(list, "items"));
            json_decref(list);
        }
        json_decref(query);
    }
    tk_page_display(context, req);
    return tk_page_show(reply, "search", context);
}

static const tk_page_route routes[] = {
    {"GET", "/", page_dashboard, TK_PAGE_SIGNED_IN},
    {"GET", "/tasks", page_tasks, TK_PAGE_SIGNED_IN},
    {"GET", "/tasks.xlsx", page_tasks_xlsx, TK_PAGE_SIGNED_IN},
    {"GET", "/tasks.csv", page_tasks_csv, TK_PAGE_SIGNED_IN},
    {"POST", "/tasks", post_task_new, TK_PAGE_SIGNED_IN},
    {"GET", "/tasks/new", page_task_new, TK_PAGE_SIGNED_IN},
    {"GET", "/tasks/{id}", page_task, TK_PAGE_SIGNED_IN},
    {"POST", "/tasks/{id}", post_task_edit, TK_PAGE_SIGNED_IN},
    {"GET", "/tasks/{id}/edit", page_task_edit, TK_PAGE_SIGNED_IN},
    {"POST", "/tasks/{id}/updates", post_update, TK_PAGE_SIGNED_IN},
    {"POST", "/tasks/{id}/extensions", post_extension, TK_PAGE_SIGNED_IN},
    {"GET", "/programs", page_programs, TK_PAGE_SIGNED_IN},
    {"GET", "/programs/{id}", page_program, TK_PAGE_SIGNED_IN},
    {"GET", "/organizations", page_organizations, TK_PAGE_SIGNED_IN},
    {"GET", "/organizations/{id}", page_organization, TK_PAGE_SIGNED_IN},
    {"GET", "/documents", page_documents, TK_PAGE_SIGNED_IN},
    {"GET", "/documents/{id}", page_document, TK_PAGE_SIGNED_IN},
    {"GET", "/search", page_search, TK_PAGE_SIGNED_IN},
    {NULL, NULL, NULL, TK_PAGE_SIGNED_IN},
};

const tk_page_route *const tk_page_route_tables[] = {routes, tk_form_routes, tk_indicator_routes, tk_account_routes,
                                                     tk_report_page_routes, NULL};
