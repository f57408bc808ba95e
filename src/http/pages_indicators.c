/* Indicators: targets per milestone year, values, the series with its projection. The list and
 * the indicator's page show what service/indicator.c answers, with numbers written in the
 * page's language ("5,8" in Vietnamese), labels from the catalog and the charts as SVG beside
 * the data table they stand for. */
#include "http/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/indicator.h"
#include "core/numeral.h"
#include "http/form.h"
#include "io/chart.h"
#include "service/indicator.h"
#include "service/resource.h"

enum { VALUES_SHOWN = 100, DOCUMENT_CHOICES = 200, NUMBER_DECIMALS = 2 };

static bool vietnamese(const tk_page_request *req)
{
    return strcmp(req->lang, "vi") == 0;
}

/* An id from a form or an object: "12" or 12; 0 when absent or not an id. */
static int64_t id_in(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (json_is_integer(v)) return json_integer_value(v);
    const char *s = json_string_value(v);
    if (!s) return 0;
    char *end;
    long long n = strtoll(s, &end, 10);
    return *s && !*end && n > 0 ? n : 0;
}

/* Beside every "value" a "value_display" in the page's style ("5,8"), and beside every
 * "assessment" its label and the class of its badge, all through the tree. A value that is
 * not a number gets a null display, so a template's lookup stops there instead of finding an
 * outer one. */
static void add_display(json_t *v, const tk_page_request *req)
{
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) add_display(item, req);
        return;
    }
    if (!json_is_object(v)) return;
    const char *key;
    json_t *member;
    json_object_foreach(v, key, member) {
        if (json_is_object(member) || json_is_array(member)) add_display(member, req);
    }
    json_t *value = json_object_get(v, "value");
    if (value) {
        char buf[48];
        bool shown = json_is_number(value) &&
                     tk_number_format(json_number_value(value), NUMBER_DECIMALS, vietnamese(req), buf, sizeof buf);
        json_object_set_new(v, "value_display", shown ? json_string(buf) : json_null());
    }
    const char *assessment = json_string_value(json_object_get(v, "assessment"));
    if (assessment) {
        char label[64];
        snprintf(label, sizeof label, "ind_assessment_%s", assessment);
        json_object_set_new(v, "assessment_label", json_string(tk_page_msg(req, label)));
        /* The badge colours of task statuses carry the same meaning: green met, blue on
         * course, red behind; "unknown" is a plain grey tag, not a verdict. */
        const char *cls = strcmp(assessment, "achieved") == 0    ? "badge done_on_time"
                          : strcmp(assessment, "on_track") == 0  ? "badge in_progress"
                          : strcmp(assessment, "off_track") == 0 ? "badge overdue"
                                                                 : "tag";
        json_object_set_new(v, "assessment_class", json_string(cls));
    }
}

/* Labels from the catalog for a fixed set of values: [{value, label, selected}]. */
static json_t *choices(const tk_page_request *req, const char *prefix, const char *const *values, const char *selected)
{
    json_t *list = json_array();
    for (const char *const *v = values; *v; v++) {
        char key[64];
        snprintf(key, sizeof key, "%s%s", prefix, *v);
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", *v, "label", tk_page_msg(req, key), "selected",
                                              selected && strcmp(selected, *v) == 0));
    }
    return list;
}

static const char *const aggregations[] = {"sum", "mean", "last", "none", NULL};
static const char *const directions[] = {"increase", "decrease", NULL};

/* The form's entered values and its error, for a template: {values, error, error_<field>}. */
static json_t *form_state(const tk_page_request *req, const tk_error *form_err)
{
    json_t *state = json_pack("{s:o, s:{s:s, s:s}}", "values", json_deep_copy(req->form), "error", "field", form_err->field, "message",
                              form_err->message);
    char flag[96];
    snprintf(flag, sizeof flag, "error_%s", form_err->field[0] ? form_err->field : "form");
    json_object_set_new(state, flag, json_string(form_err->message));
    return state;
}

/* ---- Chỉ tiêu: the list ---- */

/* "<label>: <indicator name>" for a chart's title, however long the name (1.000 characters of
 * Vietnamese can be 4.000 bytes; a fixed buffer would cut one in the middle). New string. */
static char *chart_title(const tk_page_request *req, const char *key, const char *name)
{
    const char *label = tk_page_msg(req, key);
    if (!name) name = "";
    size_t n = strlen(label) + strlen(name) + 3;
    char *title = malloc(n);
    if (title) snprintf(title, n, "%s: %s", label, name);
    return title;
}

static void add_sparkline(json_t *item, const tk_page_request *req)
{
    json_t *points = json_object_get(item, "points");
    size_t n = json_array_size(points), i;
    double *values = malloc((n ? n : 1) * sizeof *values);
    if (!values) return;
    json_t *p;
    json_array_foreach(points, i, p) values[i] = json_number_value(json_object_get(p, "value"));
    char *title = chart_title(req, "ind_sparkline_alt", json_string_value(json_object_get(item, "name")));
    char *svg = title ? tk_chart_sparkline(values, n, title) : NULL;
    free(title);
    free(values);
    json_object_set_new(item, "sparkline_svg", json_string(svg ? svg : ""));
    free(svg);
}

/* Items grouped by group_name, in the order each group first appears (a document's order). */
static json_t *group_items(json_t *items, const tk_page_request *req)
{
    json_t *groups = json_array(), *by_name = json_object();
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        const char *name = json_string_value(json_object_get(item, "group_name"));
        /* A key no group name can be: every name is valid UTF-8 text, "\x01" starts none. */
        const char *key = name ? name : "\x01";
        json_t *group = json_object_get(by_name, key);
        if (!group) {
            group = json_pack("{s:s, s:[]}", "name", name ? name : tk_page_msg(req, "ind_no_group"), "items");
            json_array_append_new(groups, group);
            json_object_set(by_name, key, group);
        }
        json_array_append(json_object_get(group, "items"), item);
    }
    json_decref(by_name);
    return groups;
}

tk_code tk_page_indicator_summaries(tk_page_request *req, int64_t org, tk_date on, json_t **out, tk_error *err)
{
    json_t *summary = NULL;
    tk_code rc = tk_indicator_summaries(req->ctx, org, on, &summary, err);
    if (rc) return rc;
    json_t *items = json_object_get(summary, "items");
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) add_sparkline(item, req);
    add_display(items, req);
    *out = json_incref(items);
    json_decref(summary);
    return TK_OK;
}

static tk_code page_indicators(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *query = tk_page_filled(req->query), *summary = NULL, *context = json_object();
    int64_t org = 0;
    tk_date on = req->ctx->today;
    bool present;
    tk_error filter_err;
    tk_error_clear(&filter_err);
    /* A bad filter is shown beside the form and the list shown unfiltered. */
    if (tk_query_id(query, "org", &org, &present, &filter_err) || tk_query_date(query, "on", &on, &present, &filter_err)) {
        json_object_set_new(context, "error", json_pack("{s:s, s:s}", "field", filter_err.field, "message",
                                                        filter_err.message));
        org = 0;
        on = req->ctx->today;
        json_object_clear(query);
    }
    tk_code rc = tk_indicator_summaries(req->ctx, org, on, &summary, err);
    if (rc) goto out;
    json_t *items = json_object_get(summary, "items");
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) add_sparkline(item, req);
    add_display(items, req);
    json_object_set_new(context, "groups", group_items(items, req));
    json_object_set(context, "has_more", json_object_get(summary, "has_more"));
    json_object_set(context, "on", json_object_get(summary, "on"));
    json_object_set(context, "filters", query);
    json_t *orgs;
    if ((rc = tk_page_org_choices(req, org, &orgs, err))) goto out;
    json_object_set_new(context, "org_choices", orgs);
    tk_page_display(context, req);
    rc = tk_page_show(reply, "indicators", json_incref(context));
out:
    json_decref(summary);
    json_decref(query);
    json_decref(context);
    return rc;
}

/* ---- one indicator ---- */

/* The name of a referenced object for the facts list, or nothing when it is not set. */
static tk_code add_ref(tk_page_request *req, json_t *context, const json_t *indicator, const char *field,
                       const tk_resource *res, const char *key, tk_error *err)
{
    json_t *id = json_object_get(indicator, field);
    if (!json_is_integer(id)) return TK_OK;
    json_t *obj = NULL;
    tk_code rc = tk_resource_get(req->ctx, res, json_integer_value(id), &obj, err);
    if (rc) return rc;
    json_object_set_new(context, key, obj);
    return TK_OK;
}

/* The line chart of the series, its projection to the next milestone and that milestone's
 * target. New string or NULL. */
static char *series_chart(const tk_page_request *req, const json_t *series)
{
    const json_t *points = json_object_get(series, "points");
    size_t n = json_array_size(points), i;
    tk_chart_point *chart = malloc((n ? n : 1) * sizeof *chart);
    if (!chart) return NULL;
    const json_t *p;
    json_array_foreach(points, i, p) {
        tk_date d = 0;
        tk_date_parse_iso(json_string_value(json_object_get(p, "on_date")), &d);
        chart[i] = (tk_chart_point){d, json_number_value(json_object_get(p, "value")),
                                    json_is_true(json_object_get(p, "is_estimate"))};
    }
    char projection_label[128], target_label[128];
    tk_chart_mark projection, target;
    bool has_projection = false, has_target = false;
    const json_t *proj = json_object_get(series, "projection"), *next = json_object_get(series, "next_milestone");
    if (json_is_object(proj)) {
        int year = (int)json_integer_value(json_object_get(proj, "year"));
        snprintf(projection_label, sizeof projection_label, "%s %d", tk_page_msg(req, "ind_projection"), year);
        projection = (tk_chart_mark){tk_indicator_milestone_day(year), json_number_value(json_object_get(proj, "value")),
                                     projection_label};
        has_projection = true;
    }
    if (json_is_object(next) && json_is_number(json_object_get(next, "value"))) {
        int year = (int)json_integer_value(json_object_get(next, "year"));
        snprintf(target_label, sizeof target_label, "%s %d", tk_page_msg(req, "ind_target"), year);
        target = (tk_chart_mark){tk_indicator_milestone_day(year), json_number_value(json_object_get(next, "value")),
                                 target_label};
        has_target = true;
    }
    char *title = chart_title(req, "ind_chart_alt", json_string_value(json_object_get(json_object_get(series, "indicator"), "name")));
    char *svg = title ? tk_chart_line(chart, n, has_projection ? &projection : NULL, has_target ? &target : NULL, title,
                                      vietnamese(req))
                      : NULL;
    free(title);
    free(chart);
    return svg;
}

/* The indicator's page; with form_name set, that form comes back with what was entered and the
 * reason it was refused (422). */
static tk_code show_indicator(tk_page_request *req, tk_page_reply *reply, int64_t id, const char *form_name,
                              const tk_error *form_err, tk_error *err)
{
    json_t *query = tk_page_filled(req->query), *series = NULL, *values = NULL, *context = NULL;
    tk_error filter_err;
    tk_error_clear(&filter_err);
    tk_code rc = tk_indicator_series(req->ctx, id, query, &series, &filter_err);
    if (rc == TK_INVALID_INPUT) {
        /* A bad filter: the page unfiltered, the message beside the form. */
        json_object_clear(query);
        rc = tk_indicator_series(req->ctx, id, query, &series, err);
    } else if (rc) {
        *err = filter_err;
    }
    if (rc) goto out;
    context = series;
    series = NULL;
    if (filter_err.code)
        json_object_set_new(context, "error", json_pack("{s:s, s:s}", "field", filter_err.field, "message",
                                                        filter_err.message));
    json_object_set(context, "filters", query);

    char per_page[16];
    snprintf(per_page, sizeof per_page, "%d", VALUES_SHOWN);
    json_t *vq = json_pack("{s:s}", "per_page", per_page);
    if (json_object_get(query, "org")) json_object_set(vq, "org", json_object_get(query, "org"));
    rc = tk_indicator_list_values(req->ctx, id, vq, &values, err);
    json_decref(vq);
    if (rc) goto out;
    json_object_set(context, "values", json_object_get(values, "items"));
    json_object_set(context, "values_more", json_object_get(values, "has_more"));

    json_t *indicator = json_object_get(context, "indicator");
    if ((rc = add_ref(req, context, indicator, "document_id", &tk_res_document, "document", err))) goto out;
    if ((rc = add_ref(req, context, indicator, "program_id", &tk_res_program, "program", err))) goto out;
    if ((rc = add_ref(req, context, indicator, "organization_id", &tk_res_organization, "organization", err))) goto out;
    char key[64];
    snprintf(key, sizeof key, "ind_aggregation_%s", json_string_value(json_object_get(indicator, "aggregation")));
    json_object_set_new(context, "aggregation_label", json_string(tk_page_msg(req, key)));
    snprintf(key, sizeof key, "ind_direction_%s", json_string_value(json_object_get(indicator, "direction")));
    json_object_set_new(context, "direction_label", json_string(tk_page_msg(req, key)));

    char *svg = series_chart(req, context);
    json_object_set_new(context, "chart_svg", json_string(svg ? svg : ""));
    free(svg);

    json_t *orgs;
    if ((rc = tk_page_org_choices(req, id_in(query, "org"), &orgs, err))) goto out;
    json_object_set_new(context, "org_choices", orgs);
    /* The value form offers the units with the indicator's own selected, or the one entered. */
    bool value_refused = form_name && strcmp(form_name, "value_form") == 0;
    int64_t value_org = value_refused ? id_in(req->form, "organization_id") : id_in(indicator, "organization_id");
    if ((rc = tk_page_org_choices(req, value_org, &orgs, err))) goto out;
    json_object_set_new(context, "value_org_choices", orgs);
    if (form_name) {
        json_t *state = form_state(req, form_err);
        json_object_set_new(state, "is_estimate_checked", json_boolean(json_object_get(req->form, "is_estimate") != NULL));
        json_object_set_new(context, form_name, state);
        reply->status = 422;
    }
    char today[TK_DATE_TEXT_MAX];
    json_object_set_new(context, "today_vn", json_string(tk_date_format_vn(req->ctx->today, today)));
    add_display(context, req);
    tk_page_display(context, req);
    tk_page_history(req, "indicator", id, context);
    rc = tk_page_show(reply, "indicator", json_incref(context));
out:
    json_decref(query);
    json_decref(series);
    json_decref(values);
    json_decref(context);
    return rc;
}

static tk_code page_indicator(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return show_indicator(req, reply, req->ids[0], NULL, NULL, err);
}

typedef tk_code (*indicator_write_fn)(tk_ctx *ctx, int64_t indicator_id, json_t *body, json_t **out, tk_error *err);

/* A value or a target posted from the indicator's page: written, then back to the page (303);
 * refused, the page again with the form as it was sent (422), nothing written. */
static tk_code post_child(tk_page_request *req, tk_page_reply *reply, const tk_resource *res, indicator_write_fn write,
                          const char *form_name, const char *anchor, tk_error *err)
{
    json_t *body = NULL, *saved = NULL;
    tk_error form_err;
    tk_error_clear(&form_err);
    tk_code rc = tk_form_to_body(res, req->form, true, NULL, &body, &form_err);
    if (!rc) {
        json_object_del(body, "indicator_id");
        rc = write(req->ctx, req->ids[0], body, &saved, &form_err);
    }
    json_decref(body);
    json_decref(saved);
    /* No such indicator is a missing page, and a change the caller may not make a refusal, not
     * mistakes in the form. */
    if (rc && !tk_page_shown_on_form(&form_err))
        return tk_error_set(err, rc, NULL, "%s", form_err.message);
    if (rc) return show_indicator(req, reply, req->ids[0], form_name, &form_err, err);
    char location[96];
    snprintf(location, sizeof location, "/indicators/%lld#%s", (long long)req->ids[0], anchor);
    return tk_page_redirect(reply, location);
}

static tk_code post_value(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return post_child(req, reply, &tk_res_indicator_value, tk_indicator_add_value, "value_form", "values", err);
}

static tk_code post_target(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return post_child(req, reply, &tk_res_indicator_target, tk_indicator_set_target, "target_form", "targets", err);
}

/* ---- creating and editing an indicator ---- */

/* Documents to choose from: the first ones entered (the resolutions and action programs that
 * carry indicators come first), and always the one already chosen. */
static tk_code document_choices(tk_page_request *req, int64_t selected, json_t **out, tk_error *err)
{
    char per_page[16];
    snprintf(per_page, sizeof per_page, "%d", DOCUMENT_CHOICES);
    json_t *query = json_pack("{s:s}", "per_page", per_page), *list = NULL;
    tk_code rc = tk_resource_list(req->ctx, &tk_res_document, query, &list, err);
    json_decref(query);
    if (rc) return rc;
    json_t *docs = json_incref(json_object_get(list, "items"));
    json_decref(list);
    bool found = false;
    size_t i;
    json_t *d;
    json_array_foreach(docs, i, d) found = found || json_integer_value(json_object_get(d, "id")) == selected;
    if (selected && !found) {
        json_t *doc = NULL;
        if (tk_resource_get(req->ctx, &tk_res_document, selected, &doc, err) == TK_OK) json_array_append_new(docs, doc);
        else tk_error_clear(err);
    }
    json_array_foreach(docs, i, d) {
        json_object_set_new(d, "selected", json_boolean(json_integer_value(json_object_get(d, "id")) == selected));
    }
    *out = docs;
    return TK_OK;
}

static tk_code indicator_form(tk_page_request *req, tk_page_reply *reply, const json_t *values,
                              const tk_error *form_err, int64_t id, tk_error *err)
{
    json_t *orgs = NULL, *programs = NULL, *documents = NULL;
    tk_code rc = tk_page_org_choices(req, id_in(values, "organization_id"), &orgs, err);
    if (!rc) rc = tk_page_program_choices(req, id_in(values, "program_id"), &programs, err);
    if (!rc) rc = document_choices(req, id_in(values, "document_id"), &documents, err);
    if (rc) {
        json_decref(orgs);
        json_decref(programs);
        return rc;
    }
    const char *aggregation = json_string_value(json_object_get(values, "aggregation"));
    const char *direction = json_string_value(json_object_get(values, "direction"));
    json_t *context = json_pack("{s:b, s:o, s:o, s:o, s:o, s:o, s:o}", "editing", 1, "values", json_deep_copy(values), "org_choices",
                                orgs, "program_choices", programs, "document_choices", documents,
                                "aggregation_choices",
                                choices(req, "ind_aggregation_", aggregations, aggregation ? aggregation : "last"),
                                "direction_choices",
                                choices(req, "ind_direction_", directions, direction ? direction : "increase"));
    char action[64];
    if (id) {
        snprintf(action, sizeof action, "/indicators/%lld", (long long)id);
        json_object_set_new(context, "id", json_integer(id));
    } else {
        snprintf(action, sizeof action, "/indicators");
        json_object_set_new(context, "creating", json_true());
    }
    json_object_set_new(context, "action", json_string(action));
    if (form_err) {
        json_object_set_new(context, "form", form_state(req, form_err));
        reply->status = 422;
    }
    tk_page_display(context, req);
    return tk_page_show(reply, "indicator", context);
}

static tk_code page_indicator_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *values = tk_page_filled(req->query);
    tk_code rc = indicator_form(req, reply, values, NULL, 0, err);
    json_decref(values);
    return rc;
}

static tk_code page_indicator_edit(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    json_t *indicator = NULL;
    tk_code rc = tk_resource_read_row(req->ctx, &tk_res_indicator, req->ids[0], &indicator, err);
    /* read_row is the raw row the form needs; visibility is checked as tk_resource_get would. */
    if (!rc) rc = tk_resource_check_visible(req->ctx, &tk_res_indicator, req->ids[0], err);
    if (!rc) rc = tk_resource_check_write(req->ctx, &tk_res_indicator, req->ids[0], err);
    if (rc) {
        json_decref(indicator);
        return rc;
    }
    rc = indicator_form(req, reply, indicator, NULL, req->ids[0], err);
    json_decref(indicator);
    return rc;
}

static tk_code save_indicator(tk_page_request *req, tk_page_reply *reply, int64_t id, tk_error *err)
{
    json_t *body = NULL, *saved = NULL;
    tk_error form_err;
    tk_error_clear(&form_err);
    tk_code rc = tk_form_to_body(&tk_res_indicator, req->form, id == 0, NULL, &body, &form_err);
    if (!rc)
        rc = id ? tk_resource_update(req->ctx, &tk_res_indicator, id, body, &saved, &form_err)
                : tk_resource_create(req->ctx, &tk_res_indicator, body, &saved, &form_err);
    json_decref(body);
    if (rc && !tk_page_shown_on_form(&form_err))
        return tk_error_set(err, rc, NULL, "%s", form_err.message);
    if (rc) return indicator_form(req, reply, req->form, &form_err, id, err);
    char location[64];
    snprintf(location, sizeof location, "/indicators/%lld", (long long)json_integer_value(json_object_get(saved, "id")));
    json_decref(saved);
    return tk_page_redirect(reply, location);
}

static tk_code post_indicator_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return save_indicator(req, reply, 0, err);
}

static tk_code post_indicator_edit(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return save_indicator(req, reply, req->ids[0], err);
}

const tk_page_route tk_indicator_routes[] = {
    {"GET", "/indicators", page_indicators, TK_PAGE_SIGNED_IN},
    {"POST", "/indicators", post_indicator_new, TK_PAGE_SIGNED_IN},
    {"GET", "/indicators/new", page_indicator_new, TK_PAGE_SIGNED_IN},
    {"GET", "/indicators/{id}", page_indicator, TK_PAGE_SIGNED_IN},
    {"POST", "/indicators/{id}", post_indicator_edit, TK_PAGE_SIGNED_IN},
    {"GET", "/indicators/{id}/edit", page_indicator_edit, TK_PAGE_SIGNED_IN},
    {"POST", "/indicators/{id}/values", post_value, TK_PAGE_SIGNED_IN},
    {"POST", "/indicators/{id}/targets", post_target, TK_PAGE_SIGNED_IN},
    {NULL, NULL, NULL, TK_PAGE_SIGNED_IN},
};
