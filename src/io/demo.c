#include "io/demo.h"

#include <stdio.h>
#include <string.h>

#include "service/auth.h"
#include "service/report.h"
#include "service/resource.h"
#include "service/task.h"
#include "store/embedded.h"

extern const tk_embedded_file tk_demo_files[];

json_t *tk_demo_builtin(tk_error *err)
{
    json_error_t jerr;
    json_t *demo = json_loadb(tk_demo_files[0].data, tk_demo_files[0].size, JSON_REJECT_DUPLICATES, &jerr);
    if (!demo)
        tk_error_set(err, TK_INTERNAL, NULL, "Dữ liệu mẫu hỏng (dòng %d): %s", jerr.line, jerr.text);
    return demo;
}

static bool has_ref_field(const tk_resource *res, const char *name)
{
    for (const tk_field *f = res->fields; f->name; f++)
        if (f->type == TK_FIELD_REF && strcmp(f->name, name) == 0) return true;
    return false;
}

/* Turns a demo object into an API body: keys become ids, nested lists are left out. */
static tk_code to_body(const tk_resource *res, const json_t *obj, const json_t *keys, json_t **out, tk_error *err)
{
    json_t *body = json_object();
    const char *name;
    json_t *v;
    json_object_foreach((json_t *)obj, name, v) {
        if (strcmp(name, "key") == 0 || json_is_array(v)) {
            if (strcmp(name, "coordinators") != 0) continue;
        }
        char ref[80];
        snprintf(ref, sizeof ref, "%s_id", name);
        if (strcmp(name, "coordinators") == 0) {
            json_t *ids = json_array();
            size_t i;
            json_t *k;
            json_array_foreach(v, i, k) {
                json_t *id = json_object_get(keys, json_string_value(k) ? json_string_value(k) : "");
                if (!id) {
                    json_decref(ids);
                    json_decref(body);
                    return tk_error_set(err, TK_INVALID_INPUT, name, "Dữ liệu mẫu: không có khóa \"%s\"",
                                        json_string_value(k) ? json_string_value(k) : "?");
                }
                json_array_append(ids, id);
            }
            json_object_set_new(body, "coordinator_ids", ids);
        } else if (has_ref_field(res, ref)) {
            if (json_is_null(v)) continue;
            json_t *id = json_object_get(keys, json_string_value(v) ? json_string_value(v) : "");
            if (!id) {
                json_decref(body);
                return tk_error_set(err, TK_INVALID_INPUT, name, "Dữ liệu mẫu: không có khóa \"%s\" (%s)",
                                    json_string_value(v) ? json_string_value(v) : "?", res->name);
            }
            json_object_set(body, ref, id);
        } else {
            json_object_set(body, name, v);
        }
    }
    *out = body;
    return TK_OK;
}

typedef tk_code (*child_fn)(tk_ctx *ctx, int64_t parent, json_t *body, json_t **out, tk_error *err);

static tk_code create_one(tk_ctx *ctx, const tk_resource *res, const json_t *obj, json_t *keys, int64_t *id,
                          tk_error *err)
{
    json_t *body, *created = NULL;
    tk_code rc = to_body(res, obj, keys, &body, err);
    if (rc) return rc;
    rc = tk_resource_create(ctx, res, body, &created, err);
    json_decref(body);
    if (rc) return rc;
    *id = json_integer_value(json_object_get(created, "id"));
    json_decref(created);
    const char *key = json_string_value(json_object_get(obj, "key"));
    if (key) json_object_set_new(keys, key, json_integer(*id));
    return TK_OK;
}

/* Creates the objects of a nested list, each with `parent_field` set to the parent's id. */
static tk_code create_children(tk_ctx *ctx, const tk_resource *res, const json_t *list, const char *parent_field,
                               int64_t parent, json_t *keys, tk_error *err)
{
    size_t i;
    json_t *obj;
    json_array_foreach(list, i, obj) {
        json_t *copy = json_copy(obj);
        json_object_set_new(copy, parent_field, json_integer(parent));
        json_t *body, *created = NULL;
        tk_code rc = to_body(res, copy, keys, &body, err);
        json_decref(copy);
        if (rc) return rc;
        json_object_set_new(body, parent_field, json_integer(parent));
        rc = tk_resource_create(ctx, res, body, &created, err);
        json_decref(body);
        json_decref(created);
        if (rc) return rc;
    }
    return TK_OK;
}

static tk_code create_task_history(tk_ctx *ctx, const json_t *list, child_fn add, int64_t task, tk_error *err)
{
    size_t i;
    json_t *obj;
    json_array_foreach(list, i, obj) {
        json_t *created = NULL;
        tk_code rc = add(ctx, task, (json_t *)obj, &created, err);
        json_decref(created);
        if (rc) return rc;
    }
    return TK_OK;
}

static const struct {
    const char *section;
    const tk_resource *res;
} sections[] = {
    {"organizations", &tk_res_organization}, {"terms", &tk_res_term},       {"documents", &tk_res_document},
    {"document_items", &tk_res_document_item}, {"programs", &tk_res_program}, {"indicators", &tk_res_indicator},
    {"tasks", &tk_res_task}, {"report_schedules", &tk_res_report_schedule},
};

/* Units' reports of a period: the prefilled draft with the demo's text sections, saved; then
 * submitted on the day given (as the office that received it) and accepted when asked. */
static tk_code create_reports(tk_ctx *ctx, const json_t *list, const json_t *keys, tk_error *err)
{
    size_t i;
    json_t *r;
    json_array_foreach(list, i, r) {
        int64_t schedule = json_integer_value(json_object_get(keys, json_string_value(json_object_get(r, "schedule"))));
        int64_t org = json_integer_value(json_object_get(keys, json_string_value(json_object_get(r, "org"))));
        const char *period = json_string_value(json_object_get(r, "period"));
        if (!schedule || !org || !period)
            return tk_error_set(err, TK_INVALID_INPUT, "unit_reports", "Dữ liệu mẫu, báo cáo số %zu: thiếu lịch, kỳ hoặc đơn vị",
                                i + 1);
        json_t *draft = NULL, *out = NULL;
        tk_code rc = tk_report_get(ctx, schedule, period, org, &draft, err);
        if (rc) return rc;
        json_t *body = json_copy(json_object_get(draft, "content"));
        json_decref(draft);
        static const char *const texts[] = {"results", "limitations", "causes", "proposals"};
        for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
            json_object_set(body, texts[t], json_object_get(r, texts[t]));
        rc = tk_report_save(ctx, schedule, period, org, body, &out, err);
        json_decref(body);
        json_decref(out);
        out = NULL;
        const char *submitted_on = json_string_value(json_object_get(r, "submitted_on"));
        if (!rc && submitted_on) {
            json_t *when = json_pack("{s:s}", "submitted_on", submitted_on);
            rc = tk_report_act(ctx, schedule, period, org, TK_REPORT_SUBMIT, when, &out, err);
            json_decref(when);
            json_decref(out);
            out = NULL;
        }
        if (!rc && json_is_true(json_object_get(r, "accept")))
            rc = tk_report_act(ctx, schedule, period, org, TK_REPORT_ACCEPT, NULL, &out, err);
        json_decref(out);
        if (rc) return rc;
    }
    return TK_OK;
}

/* Demo accounts, one per role, with the password the README gives: for trying the demo only. */
static tk_code create_users(tk_ctx *ctx, const json_t *list, const json_t *keys, tk_error *err)
{
    size_t i;
    json_t *u;
    json_array_foreach(list, i, u) {
        tk_grant_spec grant = {.org_id = 0};
        if (!tk_role_from_name(json_string_value(json_object_get(u, "role")), &grant.role))
            return tk_error_set(err, TK_INVALID_INPUT, "role", "Dữ liệu mẫu, tài khoản số %zu: vai trò không có", i + 1);
        const char *org = json_string_value(json_object_get(u, "org"));
        if (org) grant.org_id = json_integer_value(json_object_get(keys, org));
        int64_t id;
        tk_code rc = tk_user_create(ctx, json_string_value(json_object_get(u, "login")),
                                    json_string_value(json_object_get(u, "display_name")),
                                    json_string_value(json_object_get(u, "password")), false, &grant, &id, err);
        if (rc) return rc;
    }
    return TK_OK;
}

tk_code tk_demo_load(tk_ctx *ctx, const json_t *demo, tk_error *err)
{
    json_t *keys = json_object();
    tk_code rc = TK_OK;
    for (size_t s = 0; s < sizeof sections / sizeof sections[0] && !rc; s++) {
        size_t i;
        json_t *obj;
        json_array_foreach(json_object_get(demo, sections[s].section), i, obj) {
            int64_t id;
            if ((rc = create_one(ctx, sections[s].res, obj, keys, &id, err))) break;
            if (sections[s].res == &tk_res_indicator) {
                if ((rc = create_children(ctx, &tk_res_indicator_target, json_object_get(obj, "targets"),
                                          "indicator_id", id, keys, err)))
                    break;
                if ((rc = create_children(ctx, &tk_res_indicator_value, json_object_get(obj, "values"),
                                          "indicator_id", id, keys, err)))
                    break;
            } else if (sections[s].res == &tk_res_task) {
                /* Extensions first: a completed task can no longer be extended. */
                if ((rc = create_task_history(ctx, json_object_get(obj, "extensions"), tk_task_extend, id, err)))
                    break;
                if ((rc = create_task_history(ctx, json_object_get(obj, "updates"), tk_task_add_update, id, err)))
                    break;
            }
        }
        if (rc && err->message[0]) {
            char where[TK_ERROR_MESSAGE_MAX];
            snprintf(where, sizeof where, "%s", err->message);
            tk_error_set(err, rc, err->field, "Dữ liệu mẫu, mục %s số %zu: %s", sections[s].section, i + 1, where);
        }
    }
    if (!rc) rc = create_reports(ctx, json_object_get(demo, "unit_reports"), keys, err);
    if (!rc) rc = create_users(ctx, json_object_get(demo, "users"), keys, err);
    json_decref(keys);
    return rc;
}
