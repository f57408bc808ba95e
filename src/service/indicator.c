#include "service/indicator.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/indicator.h"
#include "service/resource.h"
#include "store/sqlbuf.h"

/* A window of days is read whole; past this many rows (a day with values from every unit of a
 * province, times many days) its oldest day is dropped rather than rolled up from a part. */
enum { VALUE_ROWS_MAX = 200000, TARGETS_MAX = TK_DATE_YEAR_MAX - TK_DATE_YEAR_MIN + 1 };

static tk_code storage(tk_error *err)
{
    return err->code ? err->code : tk_error_set(err, TK_STORAGE, NULL, "Lỗi cơ sở dữ liệu");
}

static tk_code no_memory(tk_error *err)
{
    return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
}

/* Binds the values tk_resource_scope() collected (text and integers), from index first. */
static int bind_scope(tk_stmt *st, const json_t *binds, int first)
{
    size_t i;
    json_t *v;
    json_array_foreach(binds, i, v) {
        if (json_is_integer(v)) tk_stmt_bind_int(st, first++, json_integer_value(v));
        else tk_stmt_bind_text(st, first++, json_string_value(v));
    }
    return first;
}

static json_t *date_json(tk_date d)
{
    char buf[TK_DATE_TEXT_MAX];
    return json_string(tk_date_format_iso(d, buf));
}

static json_t *point_json(const tk_indicator_point *p)
{
    return json_pack("{s:o, s:f, s:b}", "on_date", date_json(p->on), "value", p->value, "is_estimate",
                     p->is_estimate);
}

/* ---- reading a series ---- */

/* Whose values a series reads, and up to which day. */
typedef struct scope {
    int64_t indicator_id;
    tk_aggregation rule;
    int64_t org;   /* the subtree asked for; 0 for every unit */
    int64_t owner; /* the unit a value without organization belongs to; 0 when none */
    tk_date on;
} scope;

/* With "none", the one unit whose own figures make the series. */
static int64_t root_of(const scope *s)
{
    return s->org ? s->org : s->owner;
}

static void bind_owner(tk_stmt *st, int index, const scope *s)
{
    if (s->owner) tk_stmt_bind_int(st, index, s->owner);
    else tk_stmt_bind_null(st, index);
}

/* The condition on values v of the scope's units... */
static void add_filter(tk_sqlbuf *sql, const scope *s)
{
    if (s->rule == TK_AGGREGATION_NONE) {
        if (root_of(s)) tk_sqlbuf_add(sql, " AND coalesce(v.organization_id, ?) = ?", NULL);
    } else if (s->org) {
        tk_sqlbuf_add(sql, " AND EXISTS (SELECT 1 FROM org_ancestors a WHERE a.ancestor_id = ?"
                           " AND a.org_id = coalesce(v.organization_id, ?))", NULL);
    }
}

/* ...and its parameters, bound from index i; returns the next index. */
static int bind_filter(tk_stmt *st, int i, const scope *s)
{
    if (s->rule == TK_AGGREGATION_NONE) {
        if (root_of(s)) {
            bind_owner(st, i++, s);
            tk_stmt_bind_int(st, i++, root_of(s));
        }
    } else if (s->org) {
        tk_stmt_bind_int(st, i++, s->org);
        bind_owner(st, i++, s);
    }
    return i;
}

typedef struct value_row {
    tk_date on;
    int64_t org; /* the value's unit, its owner's when it has none; 0 when neither */
    int64_t id;
    double value;
    bool is_estimate;
} value_row;

static int by_day_org_id(const void *a, const void *b)
{
    const value_row *x = a, *y = b;
    if (x->on != y->on) return x->on < y->on ? -1 : 1;
    if (x->org != y->org) return x->org < y->org ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

static int by_day_id(const void *a, const void *b)
{
    const value_row *x = a, *y = b;
    if (x->on != y->on) return x->on < y->on ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* The values of the scope's last `days` days with values, newest first as the index gives
 * them: the reading stops at the first row of an older day, so a window costs the rows it
 * holds and nothing before them. */
static tk_code read_rows(tk_ctx *ctx, const scope *s, int days, value_row **out, size_t *count, tk_error *err)
{
    tk_sqlbuf sql;
    tk_sqlbuf_init(&sql);
    tk_sqlbuf_add(&sql, "SELECT v.on_date, coalesce(v.organization_id, ?), v.id, v.value, v.is_estimate"
                        " FROM indicator_values v WHERE v.indicator_id = ? AND v.on_date <= ?",
                  NULL);
    add_filter(&sql, s);
    tk_sqlbuf_add(&sql, " ORDER BY v.on_date DESC, v.id DESC LIMIT ?", NULL);
    if (sql.overflow) return tk_error_set(err, TK_INTERNAL, NULL, "Câu lệnh SQL quá dài");
    tk_stmt *st = tk_db_prepare(ctx->db, sql.text, err);
    if (!st) return storage(err);
    char on[TK_DATE_TEXT_MAX];
    bind_owner(st, 1, s);
    tk_stmt_bind_int(st, 2, s->indicator_id);
    tk_stmt_bind_text(st, 3, tk_date_format_iso(s->on, on));
    int i = bind_filter(st, 4, s);
    tk_stmt_bind_int(st, i, VALUE_ROWS_MAX + 1);

    value_row *rows = NULL;
    size_t n = 0, cap = 0;
    int seen = 0;
    tk_step step;
    while ((step = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        value_row r = {.id = tk_stmt_column_int(st, 2), .value = tk_stmt_column_double(st, 3),
                       .is_estimate = tk_stmt_column_int(st, 4) != 0};
        /* A figure that is not a number (written past the service) is left out, not allowed to
         * blank the whole series. */
        if (!tk_date_parse_iso(tk_stmt_column_text(st, 0), &r.on) || !isfinite(r.value)) continue;
        if (n == 0 || r.on != rows[n - 1].on) {
            if (seen == days) {
                tk_stmt_reset(st);
                break;
            }
            seen++;
        }
        r.org = tk_stmt_column_is_null(st, 1) ? 0 : tk_stmt_column_int(st, 1);
        if (n == cap) {
            size_t grown = cap ? cap * 2 : 64;
            value_row *more = realloc(rows, grown * sizeof *rows);
            if (!more) {
                tk_stmt_reset(st);
                free(rows);
                return no_memory(err);
            }
            rows = more;
            cap = grown;
        }
        rows[n++] = r;
    }
    if (step == TK_STEP_ERROR) {
        free(rows);
        return storage(err);
    }
    if (n > VALUE_ROWS_MAX) {
        tk_date oldest = rows[n - 1].on;
        while (n > 0 && rows[n - 1].on == oldest) n--;
    }
    *out = rows;
    *count = n;
    return TK_OK;
}

/* The scope's series over its last `days` days with values: one point per day, rolled up by
 * the indicator's rule from the last figure of each unit. *points is new (free()). */
static tk_code read_points(tk_ctx *ctx, const scope *s, int days, tk_indicator_point **points, size_t *count,
                           tk_error *err)
{
    *points = NULL;
    *count = 0;
    value_row *rows;
    size_t n;
    tk_code rc = read_rows(ctx, s, days, &rows, &n, err);
    if (rc) return rc;

    /* One figure per unit and day: the one entered last. */
    if (n > 1) qsort(rows, n, sizeof *rows, by_day_org_id);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && rows[i + 1].on == rows[i].on && rows[i + 1].org == rows[i].org) continue;
        rows[kept++] = rows[i];
    }
    /* "last" means the figure entered last, so each day's values go in the order entered. */
    if (kept > 1) qsort(rows, kept, sizeof *rows, by_day_id);
    tk_indicator_point *in = malloc((kept ? kept : 1) * sizeof *in), *agg = malloc((kept ? kept : 1) * sizeof *agg);
    if (!in || !agg) {
        free(rows);
        free(in);
        free(agg);
        return no_memory(err);
    }
    for (size_t i = 0; i < kept; i++) in[i] = (tk_indicator_point){rows[i].on, rows[i].value, rows[i].is_estimate};
    free(rows);
    size_t m = 0;
    bool ok = tk_indicator_aggregate_by_day(s->rule, in, kept, agg, &m);
    free(in);
    if (!ok) {
        /* Only a total past the largest number gets here: there is no figure to show. */
        free(agg);
        return TK_OK;
    }
    *points = agg;
    *count = m;
    return TK_OK;
}

/* ---- targets and the judgement ---- */

static tk_code read_targets(tk_ctx *ctx, int64_t indicator_id, json_t **out, tk_error *err)
{
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT year, value, text FROM indicator_targets WHERE indicator_id = ? "
                                "ORDER BY year LIMIT ?",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, indicator_id);
    tk_stmt_bind_int(st, 2, TARGETS_MAX);
    json_t *targets = json_array();
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        json_t *t = json_object();
        json_object_set_new(t, "year", json_integer(tk_stmt_column_int(st, 0)));
        json_object_set_new(t, "value", tk_stmt_column_is_null(st, 1) ? json_null() : json_real(tk_stmt_column_double(st, 1)));
        json_object_set_new(t, "text", tk_stmt_column_is_null(st, 2) ? json_null() : json_string(tk_stmt_column_text(st, 2)));
        json_array_append_new(targets, t);
    }
    if (s == TK_STEP_ERROR) {
        json_decref(targets);
        return storage(err);
    }
    *out = targets;
    return TK_OK;
}

static tk_direction direction_of(const char *name)
{
    tk_direction d = TK_DIRECTION_INCREASE;
    tk_direction_from_name(name, &d);
    return d;
}

static tk_aggregation aggregation_of(const char *name)
{
    tk_aggregation a = TK_AGGREGATION_LAST; /* the schema's default */
    tk_aggregation_from_name(name, &a);
    return a;
}

/* Sets latest, next_milestone, projection and assessment in `into` from the scope's last
 * TK_INDICATOR_TREND_POINTS days and the targets; also "points" (those days) when
 * with_points. */
static tk_code judge(tk_ctx *ctx, const scope *s, tk_direction direction, const json_t *targets, json_t *into,
                     bool with_points, tk_error *err)
{
    tk_indicator_point *points;
    size_t n;
    tk_code rc = read_points(ctx, s, TK_INDICATOR_TREND_POINTS, &points, &n, err);
    if (rc) return rc;
    const tk_indicator_point *latest = n ? &points[n - 1] : NULL;
    json_object_set_new(into, "latest", latest ? point_json(latest) : json_null());

    int years[TARGETS_MAX], year;
    size_t ny = 0, i;
    json_t *t, *milestone = NULL;
    json_array_foreach(targets, i, t) {
        if (ny < TARGETS_MAX) years[ny++] = (int)json_integer_value(json_object_get(t, "year"));
    }
    if (tk_indicator_next_milestone(years, ny, s->on, &year)) {
        json_array_foreach(targets, i, t) {
            if (json_integer_value(json_object_get(t, "year")) == year) milestone = t;
        }
    }
    tk_assessment assessment = TK_ASSESSMENT_UNKNOWN;
    if (milestone) {
        tk_date day = tk_indicator_milestone_day(year);
        json_object_set_new(into, "next_milestone",
                            json_pack("{s:i, s:o, s:O, s:O}", "year", year, "on_date", date_json(day), "value",
                                      json_object_get(milestone, "value"), "text", json_object_get(milestone, "text")));
        tk_trend trend;
        double projected = 0;
        bool projects = tk_indicator_trend(points, n, &trend) == TK_TREND_OK &&
                        tk_indicator_trend_at(&trend, day, &projected);
        json_object_set_new(into, "projection",
                            projects ? json_pack("{s:i, s:o, s:f}", "year", year, "on_date", date_json(day), "value",
                                                 projected)
                                     : json_null());
        json_t *target = json_object_get(milestone, "value");
        if (json_is_number(target))
            assessment = tk_indicator_assess(direction, json_number_value(target), latest ? &latest->value : NULL,
                                             projects ? &projected : NULL);
    } else {
        json_object_set_new(into, "next_milestone", json_null());
        json_object_set_new(into, "projection", json_null());
    }
    json_object_set_new(into, "assessment", json_string(tk_assessment_name(assessment)));
    if (with_points) {
        json_t *list = json_array();
        for (size_t k = 0; k < n; k++) json_array_append_new(list, point_json(&points[k]));
        json_object_set_new(into, "points", list);
    }
    free(points);
    return TK_OK;
}

/* The unit a value without organization belongs to: the indicator's own, else its document's
 * issuer (0 when neither). */
static tk_code owner_of(tk_ctx *ctx, const json_t *indicator, int64_t *owner, tk_error *err)
{
    *owner = json_integer_value(json_object_get(indicator, "organization_id"));
    json_t *doc = json_object_get(indicator, "document_id");
    if (*owner || !json_is_integer(doc)) return TK_OK;
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT organization_id FROM documents WHERE id = ?", err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, json_integer_value(doc));
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    if (s == TK_STEP_ROW && !tk_stmt_column_is_null(st, 0)) *owner = tk_stmt_column_int(st, 0);
    tk_stmt_reset(st);
    return TK_OK;
}

/* Reads org and on from a query; checks that org exists. */
static tk_code read_query(tk_ctx *ctx, const json_t *query, int64_t *org, tk_date *on, tk_error *err)
{
    bool present;
    *org = 0;
    *on = ctx->today;
    tk_code rc = tk_query_id(query, "org", org, &present, err);
    if (!rc && present) rc = tk_resource_exists(ctx, &tk_res_organization, *org, "org", err);
    /* A unit the caller may not see is not there for them: its figures are not theirs to roll up. */
    if (!rc && present) rc = tk_resource_check_visible(ctx, &tk_res_organization, *org, err);
    if (!rc) rc = tk_query_date(query, "on", on, &present, err);
    return rc;
}

tk_code tk_indicator_series(tk_ctx *ctx, int64_t indicator_id, const json_t *query, json_t **out, tk_error *err)
{
    int64_t org;
    tk_date on;
    tk_code rc = read_query(ctx, query, &org, &on, err);
    if (rc) return rc;
    json_t *indicator = NULL, *targets = NULL;
    if ((rc = tk_resource_get(ctx, &tk_res_indicator, indicator_id, &indicator, err))) return rc;
    scope s = {.indicator_id = indicator_id, .org = org, .on = on,
               .rule = aggregation_of(json_string_value(json_object_get(indicator, "aggregation")))};
    json_t *series = json_pack("{s:o, s:o, s:o}", "indicator", indicator, "org_id",
                               org ? json_integer(org) : json_null(), "on", date_json(on));
    tk_indicator_point *points = NULL;
    size_t n = 0;
    if ((rc = owner_of(ctx, indicator, &s.owner, err))) goto out;
    if ((rc = read_points(ctx, &s, TK_INDICATOR_SERIES_DAYS, &points, &n, err))) goto out;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(list, point_json(&points[i]));
    json_object_set_new(series, "points", list);
    if ((rc = read_targets(ctx, indicator_id, &targets, err))) goto out;
    json_object_set(series, "targets", targets);
    rc = judge(ctx, &s, direction_of(json_string_value(json_object_get(indicator, "direction"))), targets, series,
               false, err);
out:
    free(points);
    json_decref(targets);
    if (rc) json_decref(series);
    else *out = series;
    return rc;
}

/* ---- summaries ---- */

static json_t *column_or_null(tk_stmt *st, int col, bool integer)
{
    if (tk_stmt_column_is_null(st, col)) return json_null();
    return integer ? json_integer(tk_stmt_column_int(st, col)) : json_string(tk_stmt_column_text(st, col));
}

tk_code tk_indicator_summaries(tk_ctx *ctx, int64_t org_id, tk_date on, json_t **out, tk_error *err)
{
    tk_code rc;
    if (org_id && (rc = tk_resource_exists(ctx, &tk_res_organization, org_id, NULL, err))) return rc;
    if (org_id && (rc = tk_resource_check_visible(ctx, &tk_res_organization, org_id, err))) return rc;
    tk_sqlbuf sql;
    tk_sqlbuf_init(&sql);
    tk_sqlbuf_add(&sql, "SELECT r.id, r.code, r.name, r.group_name, r.unit, r.aggregation, r.direction,"
                        " r.organization_id, r.document_id, r.program_id, coalesce(r.organization_id, d.organization_id)"
                        " FROM indicators r LEFT JOIN documents d ON d.id = r.document_id WHERE 1 = 1",
                  NULL);
    if (org_id)
        tk_sqlbuf_add(&sql, " AND (EXISTS (SELECT 1 FROM org_ancestors a WHERE a.ancestor_id = ? AND a.org_id = r.organization_id)"
                            " OR EXISTS (SELECT 1 FROM org_ancestors a WHERE a.ancestor_id = ? AND a.org_id = d.organization_id))",
                      NULL);
    json_t *binds = json_array();
    tk_resource_scope(ctx, &tk_res_indicator, &sql, binds);
    tk_sqlbuf_add(&sql, " ORDER BY r.id LIMIT ?", NULL);
    tk_stmt *st = sql.overflow ? NULL : tk_db_prepare(ctx->db, sql.text, err);
    if (!st) {
        json_decref(binds);
        return sql.overflow ? tk_error_set(err, TK_INTERNAL, NULL, "Câu lệnh SQL quá dài") : storage(err);
    }
    int i = 1;
    if (org_id) {
        tk_stmt_bind_int(st, i++, org_id);
        tk_stmt_bind_int(st, i++, org_id);
    }
    i = bind_scope(st, binds, i);
    json_decref(binds);
    tk_stmt_bind_int(st, i, TK_INDICATOR_SUMMARY_MAX + 1);

    static const struct {
        const char *name;
        bool integer;
    } columns[] = {{"id", true},          {"code", false},      {"name", false},
                   {"group_name", false}, {"unit", false},      {"aggregation", false},
                   {"direction", false},  {"organization_id", true}, {"document_id", true},
                   {"program_id", true}};
    json_t *items = json_array(), *owners = json_array();
    tk_step step;
    while ((step = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        json_t *item = json_object();
        for (int c = 0; c < (int)(sizeof columns / sizeof columns[0]); c++)
            json_object_set_new(item, columns[c].name, column_or_null(st, c, columns[c].integer));
        json_array_append_new(items, item);
        json_array_append_new(owners, json_integer(tk_stmt_column_is_null(st, 10) ? 0 : tk_stmt_column_int(st, 10)));
    }
    rc = step == TK_STEP_ERROR ? storage(err) : TK_OK;
    bool more = json_array_size(items) > TK_INDICATOR_SUMMARY_MAX;
    if (more) json_array_remove(items, TK_INDICATOR_SUMMARY_MAX);
    size_t k;
    json_t *item;
    json_array_foreach(items, k, item) {
        if (rc) break;
        scope s = {.indicator_id = json_integer_value(json_object_get(item, "id")), .org = org_id,
                   .owner = json_integer_value(json_array_get(owners, k)), .on = on,
                   .rule = aggregation_of(json_string_value(json_object_get(item, "aggregation")))};
        json_t *targets = NULL;
        if ((rc = read_targets(ctx, s.indicator_id, &targets, err))) break;
        rc = judge(ctx, &s, direction_of(json_string_value(json_object_get(item, "direction"))), targets, item, true,
                   err);
        json_decref(targets);
    }
    json_decref(owners);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:o, s:b, s:o}", "org_id", org_id ? json_integer(org_id) : json_null(), "on",
                     date_json(on), "has_more", more, "items", items);
    return TK_OK;
}

/* ---- values as entered ---- */

tk_code tk_indicator_list_values(tk_ctx *ctx, int64_t indicator_id, const json_t *query, json_t **out,
                                 tk_error *err)
{
    tk_page page;
    int64_t org = 0, owner;
    bool present;
    json_t *indicator = NULL;
    tk_code rc = tk_page_from_query(query, &page, err);
    if (!rc) rc = tk_query_id(query, "org", &org, &present, err);
    if (!rc) rc = tk_resource_read_row(ctx, &tk_res_indicator, indicator_id, &indicator, err);
    if (!rc) rc = tk_resource_check_visible(ctx, &tk_res_indicator, indicator_id, err);
    if (!rc) rc = owner_of(ctx, indicator, &owner, err);
    json_decref(indicator);
    if (rc) return rc;

    tk_sqlbuf sql;
    tk_sqlbuf_init(&sql);
    /* superseded: a later entry of the same unit and day replaces this one in every roll-up. */
    tk_sqlbuf_add(&sql, "SELECT r.id, r.organization_id, o.name, r.on_date, r.value, r.is_estimate, r.note,"
                        " EXISTS (SELECT 1 FROM indicator_values w WHERE w.indicator_id = r.indicator_id"
                        " AND w.on_date = r.on_date AND w.id > r.id"
                        " AND coalesce(w.organization_id, ?) IS coalesce(r.organization_id, ?))"
                        " FROM indicator_values r LEFT JOIN organizations o ON o.id = r.organization_id"
                        " WHERE r.indicator_id = ?",
                  NULL);
    if (org)
        tk_sqlbuf_add(&sql, " AND EXISTS (SELECT 1 FROM org_ancestors a WHERE a.ancestor_id = ?"
                            " AND a.org_id = coalesce(r.organization_id, ?))", NULL);
    json_t *binds = json_array();
    tk_resource_scope(ctx, &tk_res_indicator_value, &sql, binds);
    tk_sqlbuf_add(&sql, " ORDER BY r.on_date DESC, r.id DESC LIMIT ? OFFSET ?", NULL);
    tk_stmt *st = sql.overflow ? NULL : tk_db_prepare(ctx->db, sql.text, err);
    if (!st) {
        json_decref(binds);
        return sql.overflow ? tk_error_set(err, TK_INTERNAL, NULL, "Câu lệnh SQL quá dài") : storage(err);
    }
    int i = 1;
    for (int k = 0; k < 2; k++) {
        if (owner) tk_stmt_bind_int(st, i++, owner);
        else tk_stmt_bind_null(st, i++);
    }
    tk_stmt_bind_int(st, i++, indicator_id);
    if (org) {
        tk_stmt_bind_int(st, i++, org);
        if (owner) tk_stmt_bind_int(st, i++, owner);
        else tk_stmt_bind_null(st, i++);
    }
    i = bind_scope(st, binds, i);
    json_decref(binds);
    tk_stmt_bind_int(st, i++, page.per_page + 1);
    tk_stmt_bind_int(st, i, (int64_t)(page.page - 1) * page.per_page);
    json_t *items = json_array();
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        json_t *v = json_object();
        json_object_set_new(v, "id", json_integer(tk_stmt_column_int(st, 0)));
        json_object_set_new(v, "organization_id", column_or_null(st, 1, true));
        json_object_set_new(v, "organization_name", column_or_null(st, 2, false));
        json_object_set_new(v, "on_date", json_string(tk_stmt_column_text(st, 3)));
        json_object_set_new(v, "value", json_real(tk_stmt_column_double(st, 4)));
        json_object_set_new(v, "is_estimate", json_boolean(tk_stmt_column_int(st, 5) != 0));
        json_object_set_new(v, "note", column_or_null(st, 6, false));
        json_object_set_new(v, "superseded", json_boolean(tk_stmt_column_int(st, 7) != 0));
        json_array_append_new(items, v);
    }
    if (s == TK_STEP_ERROR) {
        json_decref(items);
        return storage(err);
    }
    bool more = json_array_size(items) > (size_t)page.per_page;
    if (more) json_array_remove(items, json_array_size(items) - 1);
    *out = json_pack("{s:o, s:i, s:i, s:b}", "items", items, "page", page.page, "per_page", page.per_page, "has_more",
                     more);
    return TK_OK;
}

/* ---- writes ---- */

tk_code tk_indicator_add_value(tk_ctx *ctx, int64_t indicator_id, json_t *body, json_t **out, tk_error *err)
{
    if (!json_is_object(body))
        return tk_error_set(err, TK_INVALID_JSON, NULL, "Nội dung gửi lên phải là một đối tượng JSON");
    tk_code rc = tk_resource_exists(ctx, &tk_res_indicator, indicator_id, NULL, err);
    if (!rc) rc = tk_resource_check_visible(ctx, &tk_res_indicator, indicator_id, err);
    if (rc) return rc;
    json_t *row = json_copy(body);
    json_object_set_new(row, "indicator_id", json_integer(indicator_id));
    rc = tk_resource_create(ctx, &tk_res_indicator_value, row, out, err);
    json_decref(row);
    return rc;
}

static tk_code find_target(tk_ctx *ctx, int64_t indicator_id, int64_t year, int64_t *id, tk_error *err)
{
    *id = 0;
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT id FROM indicator_targets WHERE indicator_id = ? AND year = ?", err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, indicator_id);
    tk_stmt_bind_int(st, 2, year);
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    if (s == TK_STEP_ROW) *id = tk_stmt_column_int(st, 0);
    tk_stmt_reset(st);
    return TK_OK;
}

tk_code tk_indicator_set_target(tk_ctx *ctx, int64_t indicator_id, json_t *body, json_t **out, tk_error *err)
{
    if (!json_is_object(body))
        return tk_error_set(err, TK_INVALID_JSON, NULL, "Nội dung gửi lên phải là một đối tượng JSON");
    tk_code rc = tk_resource_exists(ctx, &tk_res_indicator, indicator_id, NULL, err);
    if (!rc) rc = tk_resource_check_visible(ctx, &tk_res_indicator, indicator_id, err);
    if (rc) return rc;
    json_t *year = json_object_get(body, "year");
    /* Two people setting the same year at once: the second insert meets the first's row
     * (UNIQUE (indicator_id, year)) and is retried as a replacement. */
    for (int attempt = 0; attempt < 2; attempt++) {
        int64_t existing = 0;
        if (json_is_integer(year) && (rc = find_target(ctx, indicator_id, json_integer_value(year), &existing, err)))
            return rc;
        json_t *row = json_copy(body);
        if (existing) {
            json_object_del(row, "indicator_id");
            json_object_del(row, "year");
            if (!json_object_get(row, "value")) json_object_set_new(row, "value", json_null());
            if (!json_object_get(row, "text")) json_object_set_new(row, "text", json_null());
            rc = tk_resource_update(ctx, &tk_res_indicator_target, existing, row, out, err);
        } else {
            json_object_set_new(row, "indicator_id", json_integer(indicator_id));
            rc = tk_resource_create(ctx, &tk_res_indicator_target, row, out, err);
        }
        json_decref(row);
        if (rc != TK_CONFLICT || existing) break;
        tk_error_clear(err);
    }
    return rc;
}
