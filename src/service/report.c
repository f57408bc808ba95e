#include "service/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/schedule.h"
#include "core/status.h"
#include "core/text.h"
#include "service/audit.h"
#include "service/auth.h"

enum {
    MAX_LIST_ORGS = 5000,
    MAX_LINES = 1000,      /* task or indicator lines of one report */
    SECTION_MAX = 50000,   /* characters of each text section */
    LINE_TEXT_MAX = 20000,
    REASON_MAX = 2000,
    MAX_PERIODS = 500,
    MAX_DEPTH = 20,
};

#define OFFICE TK_ROLE_BIT(TK_ROLE_OFFICE)
#define WRITERS (TK_ROLE_BIT(TK_ROLE_OFFICE) | TK_ROLE_BIT(TK_ROLE_EDITOR))

static tk_code storage(tk_error *err)
{
    return err->code ? err->code : tk_error_set(err, TK_STORAGE, NULL, "Lỗi cơ sở dữ liệu");
}

static json_t *date_json(tk_date d)
{
    char buf[TK_DATE_TEXT_MAX];
    return json_string(tk_date_format_iso(d, buf));
}

static json_t *period_json(const tk_report_period *p)
{
    json_t *obj = json_pack("{s:s, s:s}", "key", p->key, "label", p->label);
    json_object_set_new(obj, "first", date_json(p->first));
    json_object_set_new(obj, "last", date_json(p->last));
    json_object_set_new(obj, "data_first", date_json(p->data_first));
    json_object_set_new(obj, "data_last", date_json(p->data_last));
    json_object_set_new(obj, "due", date_json(p->due));
    return obj;
}

static bool json_date(const json_t *obj, const char *key, tk_date *out)
{
    const char *text = json_string_value(json_object_get(obj, key));
    return text && tk_date_parse_iso(text, out);
}

/* The rules of a stored (or about to be stored) schedule row. */
static tk_schedule schedule_of(const json_t *row)
{
    tk_schedule_kind kind = TK_SCHEDULE_QUARTER;
    tk_schedule_kind_from_name(json_string_value(json_object_get(row, "period_type")), &kind);
    tk_schedule s = tk_schedule_default(kind);
    json_t *v;
    if (json_is_integer(v = json_object_get(row, "cutoff_day"))) s.cutoff_day = (int)json_integer_value(v);
    if (json_is_integer(v = json_object_get(row, "due_day"))) s.due_day = (int)json_integer_value(v);
    if (json_is_integer(v = json_object_get(row, "once_due_days"))) s.once_due_days = (int)json_integer_value(v);
    json_date(row, "once_first", &s.once_first);
    json_date(row, "once_last", &s.once_last);
    return s;
}

/* ---- schedules ---- */

static const char *const period_types[] = {"month", "quarter", "half_year", "nine_months", "year", "once", NULL};
static const char *const reporter_modes[] = {"subtree", "kind", "list", NULL};

static bool is_set(const json_t *row, const char *key)
{
    const json_t *v = json_object_get(row, key);
    return v && !json_is_null(v);
}

/* True when org is owner or below it. */
static tk_code under(tk_ctx *ctx, int64_t owner, int64_t org, bool *out, tk_error *err)
{
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT 1 FROM org_ancestors WHERE ancestor_id = ? AND org_id = ?", err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, owner);
    tk_stmt_bind_int(st, 2, org);
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    *out = s == TK_STEP_ROW;
    tk_stmt_reset(st);
    return TK_OK;
}

/* The body that collects: the issuer of the schedule's document, or of its program's document. */
static tk_code owner_of(tk_ctx *ctx, const json_t *row, int64_t *owner, tk_error *err)
{
    bool by_program = is_set(row, "program_id");
    tk_stmt *st = tk_db_prepare(ctx->db,
                                by_program ? "SELECT d.organization_id FROM programs p JOIN documents d ON d.id = p.document_id "
                                             "WHERE p.id = ?"
                                           : "SELECT organization_id FROM documents WHERE id = ?",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, json_integer_value(json_object_get(row, by_program ? "program_id" : "document_id")));
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    if (s == TK_STEP_DONE) return tk_error_set(err, TK_NOT_FOUND, by_program ? "program_id" : "document_id", "Không tìm thấy văn bản của lịch báo cáo");
    *owner = tk_stmt_column_int(st, 0);
    tk_stmt_reset(st);
    return TK_OK;
}

static tk_code check_reporters(tk_ctx *ctx, json_t *row, json_t *input, int64_t owner, tk_error *err)
{
    const char *mode = json_string_value(json_object_get(row, "reporters"));
    json_t *list = json_object_get(input, "reporter_org_ids");
    bool is_list = mode && strcmp(mode, "list") == 0, is_kind = mode && strcmp(mode, "kind") == 0;
    tk_code rc;
    if (is_list) {
        if (is_set(row, "reporter_root_id") || is_set(row, "reporter_kind") || is_set(row, "reporter_depth"))
            return tk_error_set(err, TK_INVALID_INPUT, "reporter_root_id",
                                "Khi nêu danh sách đơn vị báo cáo thì không chọn đơn vị gốc, loại hay số cấp");
        if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > MAX_LIST_ORGS)
            return tk_error_set(err, TK_INVALID_INPUT, "reporter_org_ids",
                                "Cần danh sách mã số đơn vị báo cáo (từ 1 đến %d đơn vị)", MAX_LIST_ORGS);
        size_t i, j;
        json_t *v, *w;
        json_array_foreach(list, i, v) {
            if (!json_is_integer(v) || json_integer_value(v) <= 0)
                return tk_error_set(err, TK_INVALID_INPUT, "reporter_org_ids", "Đơn vị báo cáo phải là mã số (số nguyên dương)");
            json_array_foreach(list, j, w) {
                if (j >= i) break;
                if (json_integer_value(w) == json_integer_value(v))
                    return tk_error_set(err, TK_INVALID_INPUT, "reporter_org_ids", "Đơn vị %lld được nêu hai lần",
                                        (long long)json_integer_value(v));
            }
            if ((rc = tk_resource_exists(ctx, &tk_res_organization, json_integer_value(v), "reporter_org_ids", err)))
                return rc;
            bool ok;
            if ((rc = under(ctx, owner, json_integer_value(v), &ok, err))) return rc;
            if (!ok)
                return tk_error_set(err, TK_INVALID_INPUT, "reporter_org_ids",
                                    "Đơn vị %lld không thuộc đơn vị ban hành văn bản nên không báo cáo theo lịch này",
                                    (long long)json_integer_value(v));
        }
        return TK_OK;
    }
    if (list) return tk_error_set(err, TK_INVALID_INPUT, "reporter_org_ids", "Danh sách đơn vị chỉ dùng khi reporters là \"list\"");
    if (!is_set(row, "reporter_root_id"))
        return tk_error_set(err, TK_INVALID_INPUT, "reporter_root_id", "Cần chọn đơn vị gốc của các đơn vị báo cáo");
    if (is_kind != is_set(row, "reporter_kind"))
        return tk_error_set(err, TK_INVALID_INPUT, "reporter_kind",
                            is_kind ? "Cần chọn loại đơn vị báo cáo" : "Loại đơn vị chỉ dùng khi reporters là \"kind\"");
    bool ok;
    if ((rc = under(ctx, owner, json_integer_value(json_object_get(row, "reporter_root_id")), &ok, err))) return rc;
    if (!ok)
        return tk_error_set(err, TK_INVALID_INPUT, "reporter_root_id",
                            "Đơn vị gốc phải là đơn vị ban hành văn bản hoặc đơn vị trực thuộc");
    return TK_OK;
}

static tk_code schedule_check(tk_ctx *ctx, json_t *row, json_t *input, const json_t *old, tk_error *err)
{
    if (old) return tk_error_set(err, TK_UNSUPPORTED, NULL, "Lịch báo cáo không sửa được sau khi tạo");
    if (is_set(row, "document_id") == is_set(row, "program_id"))
        return tk_error_set(err, TK_INVALID_INPUT, "document_id",
                            "Cần chọn một văn bản (document_id) hoặc một chương trình (program_id), không cả hai");
    int64_t owner = 0;
    tk_code rc = owner_of(ctx, row, &owner, err);
    if (rc) return rc;
    json_object_set_new(row, "organization_id", json_integer(owner));

    tk_schedule s = schedule_of(row);
    bool once = s.kind == TK_SCHEDULE_ONCE;
    static const char *const once_fields[] = {"once_first", "once_last", "once_due_days"};
    for (size_t i = 0; i < sizeof once_fields / sizeof once_fields[0]; i++)
        if (once != is_set(row, once_fields[i]))
            return tk_error_set(err, TK_INVALID_INPUT, once_fields[i],
                                once ? "Báo cáo đột xuất cần ngày đầu, ngày cuối của số liệu và số ngày đến hạn nộp"
                                     : "Ngày của báo cáo đột xuất chỉ dùng khi period_type là \"once\"");
    if ((rc = tk_schedule_validate(&s, err))) return rc;
    tk_date starts, ends;
    bool has_start = json_date(row, "starts_on", &starts), has_end = json_date(row, "ends_on", &ends);
    if (!once && !has_start)
        return tk_error_set(err, TK_INVALID_INPUT, "starts_on", "Cần nhập ngày bắt đầu của lịch báo cáo");
    if (has_start && has_end && ends < starts)
        return tk_error_set(err, TK_INVALID_INPUT, "ends_on", "Ngày kết thúc phải từ ngày bắt đầu trở đi");
    if ((rc = check_reporters(ctx, row, input, owner, err))) return rc;
    json_object_set_new(row, "created_by",
                        ctx->caller ? json_integer(ctx->caller->user_id) : json_null());
    return TK_OK;
}

static tk_code schedule_after_write(tk_ctx *ctx, int64_t id, json_t *input, tk_error *err)
{
    json_t *list = json_object_get(input, "reporter_org_ids");
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        tk_stmt *st = tk_db_prepare(ctx->db, "INSERT INTO report_schedule_orgs(schedule_id, org_id) VALUES (?, ?)", err);
        if (!st) return storage(err);
        tk_stmt_bind_int(st, 1, id);
        tk_stmt_bind_int(st, 2, json_integer_value(v));
        tk_code rc = tk_stmt_exec(st, err);
        if (rc) return rc;
    }
    return TK_OK;
}

static tk_code schedule_decorate(tk_ctx *ctx, json_t *obj, tk_error *err)
{
    json_t *ids = json_array();
    json_object_set_new(obj, "reporter_org_ids", ids);
    const char *mode = json_string_value(json_object_get(obj, "reporters"));
    if (!mode || strcmp(mode, "list") != 0) return TK_OK;
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT org_id FROM report_schedule_orgs WHERE schedule_id = ? ORDER BY org_id", err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, json_integer_value(json_object_get(obj, "id")));
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) json_array_append_new(ids, json_integer(tk_stmt_column_int(st, 0)));
    return s == TK_STEP_ERROR ? storage(err) : TK_OK;
}

static const tk_field schedule_fields[] = {
    {.name = "title", .type = TK_FIELD_TEXT, .flags = TK_FIELD_REQUIRED, .label = "Tên lịch báo cáo", .max = 500},
    {.name = "document_id", .type = TK_FIELD_REF, .flags = TK_FIELD_IMMUTABLE, .label = "Văn bản", .ref = &tk_res_document},
    {.name = "program_id", .type = TK_FIELD_REF, .flags = TK_FIELD_IMMUTABLE, .label = "Chương trình", .ref = &tk_res_program},
    {.name = "organization_id", .type = TK_FIELD_REF, .flags = TK_FIELD_OUTPUT, .label = "Đơn vị tổng hợp",
     .ref = &tk_res_organization},
    {.name = "period_type", .type = TK_FIELD_ENUM, .flags = TK_FIELD_REQUIRED | TK_FIELD_IMMUTABLE, .label = "Loại kỳ báo cáo",
     .values = period_types},
    {.name = "cutoff_day", .type = TK_FIELD_INT, .label = "Ngày chốt số liệu", .min = 1, .max = 31, .fallback = "14"},
    {.name = "due_day", .type = TK_FIELD_INT, .label = "Hạn nộp (ngày trong tháng cuối kỳ)", .min = 1, .max = 31,
     .fallback = "25"},
    {.name = "once_first", .type = TK_FIELD_DATE, .label = "Ngày đầu của số liệu"},
    {.name = "once_last", .type = TK_FIELD_DATE, .label = "Ngày cuối của số liệu"},
    {.name = "once_due_days", .type = TK_FIELD_INT, .label = "Số ngày đến hạn nộp", .min = 0,
     .max = TK_SCHEDULE_ONCE_DUE_MAX},
    {.name = "starts_on", .type = TK_FIELD_DATE, .label = "Ngày bắt đầu"},
    {.name = "ends_on", .type = TK_FIELD_DATE, .label = "Ngày kết thúc"},
    {.name = "reporters", .type = TK_FIELD_ENUM, .flags = TK_FIELD_REQUIRED, .label = "Cách nêu đơn vị báo cáo",
     .values = reporter_modes},
    {.name = "reporter_root_id", .type = TK_FIELD_REF, .label = "Đơn vị gốc của các đơn vị báo cáo",
     .ref = &tk_res_organization},
    {.name = "reporter_depth", .type = TK_FIELD_INT, .label = "Số cấp đơn vị báo cáo", .min = 1, .max = MAX_DEPTH},
    {.name = "reporter_kind", .type = TK_FIELD_TEXT, .label = "Loại đơn vị báo cáo", .max = 64},
    {.name = "created_by", .type = TK_FIELD_INT, .flags = TK_FIELD_OUTPUT, .label = "Người tạo"},
    {0},
};
static const char *const schedule_folded[] = {"title", NULL};
static const char *const schedule_extra[] = {"reporter_org_ids", NULL};

const tk_resource tk_res_report_schedule = {
    .name = "report_schedule", .table = "report_schedules", .label = "lịch báo cáo", .fields = schedule_fields,
    .folded_column = "title_folded", .folded_from = schedule_folded, .extra_inputs = schedule_extra,
    .check = schedule_check, .after_write = schedule_after_write, .decorate = schedule_decorate,
    .owner_sql = "r.organization_id", .write_roles = OFFICE, .visible_below = true,
};

tk_code tk_report_schedule_get(tk_ctx *ctx, int64_t id, json_t **out, tk_error *err)
{
    json_t *obj = NULL;
    tk_code rc = tk_resource_get(ctx, &tk_res_report_schedule, id, &obj, err);
    if (rc) return rc;
    tk_schedule s = schedule_of(obj);
    tk_date from = 0, to = ctx->today;
    tk_date ends;
    if (s.kind == TK_SCHEDULE_ONCE) {
        from = s.once_first;
        to = s.once_last;
    } else {
        json_date(obj, "starts_on", &from);
        if (json_date(obj, "ends_on", &ends) && ends < to) to = ends;
    }
    tk_report_period *periods = calloc(MAX_PERIODS, sizeof *periods);
    if (!periods) {
        json_decref(obj);
        return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
    }
    size_t n = tk_schedule_periods_between(&s, from, to, periods, MAX_PERIODS);
    json_t *list = json_array();
    for (size_t i = 0; i < n && i < MAX_PERIODS; i++) json_array_append_new(list, period_json(&periods[i]));
    json_object_set_new(obj, "periods_more", json_boolean(n > MAX_PERIODS));
    free(periods);
    json_object_set_new(obj, "periods", list);
    *out = obj;
    return TK_OK;
}

/* ---- the period of a schedule, and who reports ---- */

typedef struct report_scope {
    int64_t schedule_id;
    int64_t owner_org_id;
    tk_schedule schedule;
    tk_report_period period;
    json_t *row; /* the schedule (new reference) */
} report_scope;

static void scope_free(report_scope *sc)
{
    json_decref(sc->row);
    sc->row = NULL;
}

/* Loads a schedule the caller may see and reads the period key against it. */
static tk_code open_scope(tk_ctx *ctx, int64_t schedule_id, const char *key, report_scope *sc, tk_error *err)
{
    memset(sc, 0, sizeof *sc);
    sc->schedule_id = schedule_id;
    tk_code rc = tk_resource_read_row(ctx, &tk_res_report_schedule, schedule_id, &sc->row, err);
    if (!rc) rc = tk_resource_check_visible(ctx, &tk_res_report_schedule, schedule_id, err);
    if (rc) {
        scope_free(sc);
        return rc;
    }
    sc->owner_org_id = json_integer_value(json_object_get(sc->row, "organization_id"));
    sc->schedule = schedule_of(sc->row);
    if ((rc = tk_schedule_period_from_key(&sc->schedule, key, "period", &sc->period, err))) {
        scope_free(sc);
        return rc;
    }
    tk_date starts, ends;
    if ((json_date(sc->row, "starts_on", &starts) && sc->period.last < starts) ||
        (json_date(sc->row, "ends_on", &ends) && sc->period.first > ends)) {
        rc = tk_error_set(err, TK_INVALID_INPUT, "period", "%s nằm ngoài thời gian của lịch báo cáo này", sc->period.label);
        scope_free(sc);
        return rc;
    }
    return TK_OK;
}

/* The units expected to report for a period, under ?2 (a subtree root; the root itself counts
 * when it is a reporter), as they were on the due date ?3: (org_id, depth below ?2). ?1 is the
 * schedule. One pass over the subtree, each unit checked by index lookups. */
#define EXPECTED_CTE                                                                                       \
    "WITH expected(org_id, depth) AS ("                                                                    \
    " SELECT o.id, sub.depth FROM report_schedules s"                                                       \
    " JOIN org_ancestors sub ON sub.ancestor_id = ?2"                                                      \
    " JOIN organizations o ON o.id = sub.org_id"                                                           \
    " WHERE s.id = ?1"                                                                                     \
    " AND (o.valid_from IS NULL OR o.valid_from <= ?3) AND (o.valid_to IS NULL OR o.valid_to >= ?3)"        \
    " AND CASE s.reporters"                                                                                \
    "  WHEN 'list' THEN EXISTS (SELECT 1 FROM report_schedule_orgs l WHERE l.schedule_id = s.id AND l.org_id = o.id)" \
    "  ELSE EXISTS (SELECT 1 FROM org_ancestors a WHERE a.ancestor_id = s.reporter_root_id AND a.org_id = o.id" \
    "   AND a.depth >= 1 AND (s.reporter_depth IS NULL OR a.depth <= s.reporter_depth))"                    \
    "   AND (s.reporters <> 'kind' OR o.kind = s.reporter_kind) END) "

static tk_code check_expected(tk_ctx *ctx, const report_scope *sc, int64_t org_id, const char *org_name, tk_error *err)
{
    tk_stmt *st = tk_db_prepare(ctx->db, EXPECTED_CTE "SELECT 1 FROM expected WHERE org_id = ?2", err);
    if (!st) return storage(err);
    char due[TK_DATE_TEXT_MAX];
    tk_stmt_bind_int(st, 1, sc->schedule_id);
    tk_stmt_bind_int(st, 2, org_id);
    tk_stmt_bind_text(st, 3, tk_date_format_iso(sc->period.due, due));
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    tk_stmt_reset(st);
    if (s == TK_STEP_DONE)
        return tk_error_set(err, TK_NOT_FOUND, "org", "%s không phải báo cáo %s theo lịch này", org_name,
                            sc->period.label);
    return TK_OK;
}

/* ---- completeness ---- */

typedef struct counts {
    int64_t expected, submitted, on_time, late, missing, accepted;
} counts;

static void count_add(counts *c, bool submitted, bool on_time, bool accepted)
{
    c->expected++;
    if (submitted) {
        c->submitted++;
        if (on_time) c->on_time++;
        else c->late++;
    } else {
        c->missing++;
    }
    if (accepted) c->accepted++;
}

static void counts_set(json_t *obj, const counts *c)
{
    json_object_set_new(obj, "expected", json_integer(c->expected));
    json_object_set_new(obj, "submitted", json_integer(c->submitted));
    json_object_set_new(obj, "on_time", json_integer(c->on_time));
    json_object_set_new(obj, "late", json_integer(c->late));
    json_object_set_new(obj, "missing", json_integer(c->missing));
    json_object_set_new(obj, "accepted", json_integer(c->accepted));
}

tk_code tk_report_status(tk_ctx *ctx, int64_t schedule_id, const char *period, const json_t *query, json_t **out,
                         tk_error *err)
{
    report_scope sc;
    tk_code rc = open_scope(ctx, schedule_id, period, &sc, err);
    if (rc) return rc;
    int64_t root;
    bool present, allowed;
    json_t *result = NULL, *units = NULL, *children = NULL, *outstanding = NULL;
    if ((rc = tk_query_id(query, "org", &root, &present, err))) goto out;
    if (!present) root = sc.owner_org_id;
    if ((rc = tk_resource_exists(ctx, &tk_res_organization, root, "org", err))) goto out;
    /* Completeness covers a subtree: for callers whose grants cover it, whatever the role. */
    if ((rc = tk_auth_has_role(ctx, ~0u, root, &allowed, err))) goto out;
    if (!allowed) {
        rc = tk_error_set(err, TK_NOT_FOUND, "org", "Không có đơn vị mã số %lld trong phạm vi của bạn", (long long)root);
        goto out;
    }

    /* One statement: every expected unit with its report and the child of root it falls under. */
    tk_stmt *st = tk_db_prepare(ctx->db,
                                EXPECTED_CTE
                                "SELECT e.org_id, o.name, ch.id, ch.name, r.id, r.status, r.submitted_on "
                                "FROM expected e JOIN organizations o ON o.id = e.org_id "
                                "LEFT JOIN org_ancestors c ON c.org_id = e.org_id AND c.depth = e.depth - 1 "
                                "JOIN organizations ch ON ch.id = coalesce(c.ancestor_id, e.org_id) "
                                "LEFT JOIN unit_reports r ON r.schedule_id = ?1 AND r.period_key = ?4 AND r.org_id = e.org_id "
                                "ORDER BY e.depth > 0, ch.name, ch.id, o.name, o.id",
                                err);
    if (!st) {
        rc = storage(err);
        goto out;
    }
    char due[TK_DATE_TEXT_MAX];
    tk_date_format_iso(sc.period.due, due);
    tk_stmt_bind_int(st, 1, schedule_id);
    tk_stmt_bind_int(st, 2, root);
    tk_stmt_bind_text(st, 3, due);
    tk_stmt_bind_text(st, 4, sc.period.key);
    units = json_array();
    children = json_array();
    outstanding = json_array();
    counts total = {0}, child = {0};
    json_t *child_obj = NULL;
    int64_t overdue_days = ctx->today > sc.period.due ? ctx->today - sc.period.due : 0;
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        int64_t org = tk_stmt_column_int(st, 0), child_id = tk_stmt_column_int(st, 2);
        const char *status = tk_stmt_column_text(st, 5), *submitted_on = tk_stmt_column_text(st, 6);
        bool submitted = status && (strcmp(status, "submitted") == 0 || strcmp(status, "accepted") == 0);
        bool accepted = status && strcmp(status, "accepted") == 0;
        bool on_time = submitted && submitted_on && strcmp(submitted_on, due) <= 0;
        if (!child_obj || json_integer_value(json_object_get(child_obj, "org_id")) != child_id) {
            if (child_obj) counts_set(child_obj, &child);
            memset(&child, 0, sizeof child);
            child_obj = json_pack("{s:I, s:s}", "org_id", (json_int_t)child_id, "name", tk_stmt_column_text(st, 3));
            json_array_append_new(children, child_obj);
        }
        count_add(&total, submitted, on_time, accepted);
        count_add(&child, submitted, on_time, accepted);
        json_t *unit = json_pack("{s:I, s:s, s:I, s:s}", "org_id", (json_int_t)org, "name", tk_stmt_column_text(st, 1),
                                 "child_id", (json_int_t)child_id, "status", status ? status : "not_started");
        json_object_set_new(unit, "report_id",
                            tk_stmt_column_is_null(st, 4) ? json_null() : json_integer(tk_stmt_column_int(st, 4)));
        json_object_set_new(unit, "submitted_on", submitted ? json_string(submitted_on) : json_null());
        json_object_set_new(unit, "on_time", submitted ? json_boolean(on_time) : json_null());
        json_array_append_new(units, unit);
        if (!submitted)
            json_array_append_new(outstanding,
                                  json_pack("{s:I, s:s, s:s, s:I}", "org_id", (json_int_t)org, "name",
                                            tk_stmt_column_text(st, 1), "status", status ? status : "not_started",
                                            "days_overdue", (json_int_t)overdue_days));
    }
    if (child_obj) counts_set(child_obj, &child);
    if (s == TK_STEP_ERROR) {
        rc = storage(err);
        goto out;
    }
    json_t *root_obj = NULL;
    if ((rc = tk_resource_read_row(ctx, &tk_res_organization, root, &root_obj, err))) goto out;
    result = json_pack("{s:I, s:s, s:o, s:{s:I, s:o}}", "schedule_id", (json_int_t)schedule_id, "title",
                       json_string_value(json_object_get(sc.row, "title")), "period", period_json(&sc.period), "org",
                       "id", (json_int_t)root, "name", json_incref(json_object_get(root_obj, "name")));
    json_decref(root_obj);
    json_object_set_new(result, "on", date_json(ctx->today));
    counts_set(result, &total);
    json_object_set_new(result, "children", children);
    json_object_set_new(result, "units", units);
    json_object_set_new(result, "outstanding", outstanding);
    children = units = outstanding = NULL;
    *out = result;
out:
    json_decref(children);
    json_decref(units);
    json_decref(outstanding);
    scope_free(&sc);
    return rc;
}

/* ---- a unit's report ---- */

/* What the caller may do with the reports of org. */
typedef struct report_rights {
    bool see, write, review; /* review: return, accept, reopen, record a paper report's date */
} report_rights;

static tk_code rights_of(tk_ctx *ctx, int64_t org_id, report_rights *r, tk_error *err)
{
    memset(r, 0, sizeof *r);
    tk_code rc = tk_auth_has_role(ctx, ~0u, org_id, &r->see, err);
    if (!rc && r->see) rc = tk_auth_has_role(ctx, WRITERS, org_id, &r->write, err);
    if (rc || !r->see) return rc;
    /* The office above the unit reviews it, never the unit's own office. */
    if (tk_auth_is_admin(ctx)) {
        r->review = true;
        return TK_OK;
    }
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT parent_id FROM organizations WHERE id = ?", err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, org_id);
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    int64_t parent = s == TK_STEP_ROW && !tk_stmt_column_is_null(st, 0) ? tk_stmt_column_int(st, 0) : 0;
    tk_stmt_reset(st);
    if (parent) rc = tk_auth_has_role(ctx, OFFICE, parent, &r->review, err);
    return rc;
}

typedef struct report_target {
    report_scope sc;
    int64_t org_id;
    char org_name[320];
    report_rights rights;
} report_target;

/* The schedule, the period and the unit, checked: visible, and expected to report. */
static tk_code open_target(tk_ctx *ctx, int64_t schedule_id, const char *period, int64_t org_id, report_target *t,
                           tk_error *err)
{
    memset(t, 0, sizeof *t);
    t->org_id = org_id;
    tk_code rc = open_scope(ctx, schedule_id, period, &t->sc, err);
    if (rc) return rc;
    json_t *org = NULL;
    if ((rc = tk_resource_read_row(ctx, &tk_res_organization, org_id, &org, err))) goto fail;
    snprintf(t->org_name, sizeof t->org_name, "%s", json_string_value(json_object_get(org, "name")));
    json_decref(org);
    if ((rc = rights_of(ctx, org_id, &t->rights, err))) goto fail;
    if (!t->rights.see) {
        rc = tk_error_set(err, TK_NOT_FOUND, NULL, "Không có đơn vị mã số %lld", (long long)org_id);
        goto fail;
    }
    if ((rc = check_expected(ctx, &t->sc, org_id, t->org_name, err))) goto fail;
    return TK_OK;
fail:
    scope_free(&t->sc);
    return rc;
}

static tk_code denied(tk_ctx *ctx, int64_t report_id, const char *action, tk_error *err, const char *message)
{
    tk_error_set(err, TK_FORBIDDEN, NULL, "%s", message);
    tk_error ignored;
    json_t *detail = json_pack("{s:s, s:s, s:s}", "resource", "unit_report", "action", action, "reason", message);
    tk_audit_record(ctx, "denied", "unit_report", report_id, detail, &ignored);
    json_decref(detail);
    return TK_FORBIDDEN;
}

#define REPORT_COLUMNS                                                                                     \
    "SELECT id, status, due_on, submitted_at, submitted_on, submitted_by, returned_at, return_reason, accepted_at, " \
    "accepted_by, revision_count, current_revision_id, created_at, updated_at FROM unit_reports "

/* The stored report of (schedule, period, org) without its content; *out NULL when none. */
static tk_code read_report(tk_ctx *ctx, const report_target *t, json_t **out, tk_error *err)
{
    *out = NULL;
    tk_stmt *st = tk_db_prepare(ctx->db, REPORT_COLUMNS "WHERE schedule_id = ? AND period_key = ? AND org_id = ?", err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, t->sc.schedule_id);
    tk_stmt_bind_text(st, 2, t->sc.period.key);
    tk_stmt_bind_int(st, 3, t->org_id);
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    if (s == TK_STEP_DONE) return TK_OK;
    static const char *const names[] = {"id", "status", "due_on", "submitted_at", "submitted_on", "submitted_by",
                                        "returned_at", "return_reason", "accepted_at", "accepted_by", "revision",
                                        "current_revision_id", "created_at", "updated_at"};
    json_t *obj = json_object();
    for (int c = 0; c < (int)(sizeof names / sizeof names[0]); c++) {
        json_t *v = tk_stmt_column_is_null(st, c)  ? json_null()
                    : tk_stmt_column_is_int(st, c) ? json_integer(tk_stmt_column_int(st, c))
                                                   : json_string(tk_stmt_column_text(st, c));
        json_object_set_new(obj, names[c], v);
    }
    tk_stmt_reset(st);
    *out = obj;
    return TK_OK;
}

static tk_code read_content(tk_ctx *ctx, int64_t revision_id, json_t **out, tk_error *err)
{
    *out = NULL;
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT content FROM unit_report_revisions WHERE id = ?", err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, revision_id);
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    if (s == TK_STEP_ROW) *out = json_loads(tk_stmt_column_text(st, 0), 0, NULL);
    tk_stmt_reset(st);
    if (!*out) return tk_error_set(err, TK_INTERNAL, NULL, "Không đọc được nội dung báo cáo");
    return TK_OK;
}

/* What the API answers: the report's state, its period and unit, and its latest content. */
static json_t *report_answer(const report_target *t, json_t *row, json_t *content)
{
    json_t *obj = json_object();
    json_object_update(obj, row);
    const char *status = json_string_value(json_object_get(row, "status"));
    const char *submitted_on = json_string_value(json_object_get(row, "submitted_on"));
    char due[TK_DATE_TEXT_MAX];
    tk_date_format_iso(t->sc.period.due, due);
    bool submitted = status && (strcmp(status, "submitted") == 0 || strcmp(status, "accepted") == 0);
    json_object_set_new(obj, "schedule_id", json_integer(t->sc.schedule_id));
    json_object_set_new(obj, "org_id", json_integer(t->org_id));
    json_object_set_new(obj, "org_name", json_string(t->org_name));
    json_object_set_new(obj, "period", period_json(&t->sc.period));
    json_object_set_new(obj, "on_time", submitted && submitted_on ? json_boolean(strcmp(submitted_on, due) <= 0) : json_null());
    json_object_set_new(obj, "locked", json_boolean(status && strcmp(status, "accepted") == 0));
    json_object_set_new(obj, "can_edit",
                        json_boolean(t->rights.write && status && (strcmp(status, "draft") == 0 || strcmp(status, "returned") == 0 ||
                                                                   strcmp(status, "not_started") == 0)));
    json_object_set_new(obj, "can_review", json_boolean(t->rights.review));
    json_object_set_new(obj, "content", content ? json_incref(content) : json_null());
    json_object_del(obj, "current_revision_id");
    return obj;
}

static json_t *empty_sections(void)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "results", "", "limitations", "", "causes", "", "proposals", "");
}

/* The draft a unit starts from: its tasks as they stood at the end of the data window, and its
 * indicator values of the period. Two statements whatever the number of tasks. */
static tk_code prefill(tk_ctx *ctx, const report_target *t, json_t **out, tk_error *err)
{
    char data_first[TK_DATE_TEXT_MAX], data_last[TK_DATE_TEXT_MAX], last[TK_DATE_TEXT_MAX];
    tk_date_format_iso(t->sc.period.data_first, data_first);
    tk_date_format_iso(t->sc.period.data_last, data_last);
    tk_date_format_iso(t->sc.period.last, last);
    /* Tasks finished before the window were reported in an earlier period. */
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT t.id, t.title, t.due_text, t.due_kind, t.due_last, t.completed_on, "
                                "(SELECT u.progress FROM task_updates u WHERE u.task_id = t.id AND u.reported_on <= ?3 "
                                " ORDER BY u.reported_on DESC, u.id DESC LIMIT 1), "
                                "w.reported_on, w.narrative, w.evidence "
                                "FROM tasks t LEFT JOIN task_updates w ON w.id = (SELECT u.id FROM task_updates u "
                                " WHERE u.task_id = t.id AND u.reported_on BETWEEN ?2 AND ?3 "
                                " ORDER BY u.reported_on DESC, u.id DESC LIMIT 1) "
                                "WHERE t.lead_org_id = ?1 AND (t.completed_on IS NULL OR t.completed_on >= ?2) "
                                "ORDER BY coalesce(t.due_last, '9999-12-31'), t.id LIMIT ?4",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, t->org_id);
    tk_stmt_bind_text(st, 2, data_first);
    tk_stmt_bind_text(st, 3, data_last);
    tk_stmt_bind_int(st, 4, MAX_LINES);
    json_t *content = empty_sections(), *tasks = json_array(), *indicators = json_array();
    json_object_set_new(content, "tasks", tasks);
    json_object_set_new(content, "indicators", indicators);
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        tk_task_facts facts = {0};
        if (!tk_period_kind_from_name(tk_stmt_column_text(st, 3), &facts.due_kind)) facts.due_kind = TK_PERIOD_CONTINUOUS;
        if (tk_stmt_column_text(st, 4)) tk_date_parse_iso(tk_stmt_column_text(st, 4), &facts.due_last);
        tk_date done = 0;
        facts.completed = tk_stmt_column_text(st, 5) && tk_date_parse_iso(tk_stmt_column_text(st, 5), &done) &&
                          done <= t->sc.period.data_last;
        facts.completed_on = facts.completed ? done : 0;
        tk_status status = tk_status_of(&facts, t->sc.period.data_last);
        json_t *line = json_pack("{s:I, s:s, s:s, s:s, s:I}", "task_id", (json_int_t)tk_stmt_column_int(st, 0), "title",
                                 tk_stmt_column_text(st, 1), "due_text", tk_stmt_column_text(st, 2), "status",
                                 tk_status_name(status), "progress",
                                 (json_int_t)(tk_stmt_column_is_null(st, 6) ? 0 : tk_stmt_column_int(st, 6)));
        const char *reported = tk_stmt_column_text(st, 7), *narrative = tk_stmt_column_text(st, 8);
        const char *evidence = tk_stmt_column_text(st, 9);
        json_object_set_new(line, "reported_on", reported ? json_string(reported) : json_null());
        json_object_set_new(line, "narrative", json_string(narrative ? narrative : ""));
        json_object_set_new(line, "evidence", evidence ? json_string(evidence) : json_null());
        json_array_append_new(tasks, line);
    }
    if (s == TK_STEP_ERROR) goto fail;

    /* Values are dated at the period's end as often as at the cut-off: the window runs from the
     * data's first day to the calendar period's last. */
    st = tk_db_prepare(ctx->db,
                       "SELECT i.id, i.name, i.unit, v.value, v.on_date, v.is_estimate, v.note "
                       "FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id "
                       "WHERE v.organization_id = ?1 AND v.on_date BETWEEN ?2 AND ?3 "
                       "AND v.id = (SELECT x.id FROM indicator_values x WHERE x.organization_id = ?1 "
                       " AND x.indicator_id = v.indicator_id AND x.on_date BETWEEN ?2 AND ?3 "
                       " ORDER BY x.on_date DESC, x.id DESC LIMIT 1) "
                       "ORDER BY i.id LIMIT ?4",
                       err);
    if (!st) goto fail;
    tk_stmt_bind_int(st, 1, t->org_id);
    tk_stmt_bind_text(st, 2, data_first);
    tk_stmt_bind_text(st, 3, last);
    tk_stmt_bind_int(st, 4, MAX_LINES);
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        json_t *line = json_pack("{s:I, s:s, s:f, s:s, s:b}", "indicator_id", (json_int_t)tk_stmt_column_int(st, 0),
                                 "name", tk_stmt_column_text(st, 1), "value", tk_stmt_column_double(st, 3), "on_date",
                                 tk_stmt_column_text(st, 4), "is_estimate", tk_stmt_column_int(st, 5) != 0);
        const char *unit = tk_stmt_column_text(st, 2), *note = tk_stmt_column_text(st, 6);
        json_object_set_new(line, "unit", unit ? json_string(unit) : json_null());
        json_object_set_new(line, "note", json_string(note ? note : ""));
        json_array_append_new(indicators, line);
    }
    if (s == TK_STEP_ERROR) goto fail;
    *out = content;
    return TK_OK;
fail:
    json_decref(content);
    return storage(err);
}

/* Appends content as the report's next revision. */
static tk_code add_revision(tk_ctx *ctx, int64_t report_id, const json_t *content, tk_error *err)
{
    char *text = json_dumps(content, JSON_COMPACT);
    if (!text) return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "INSERT INTO unit_report_revisions(report_id, number, content, created_by) "
                                "SELECT id, revision_count + 1, ?, ? FROM unit_reports WHERE id = ?",
                                err);
    tk_code rc = st ? TK_OK : storage(err);
    if (!rc) {
        tk_stmt_bind_text(st, 1, text);
        if (ctx->caller) tk_stmt_bind_int(st, 2, ctx->caller->user_id);
        else tk_stmt_bind_null(st, 2);
        tk_stmt_bind_int(st, 3, report_id);
        rc = tk_stmt_exec(st, err);
    }
    free(text);
    if (rc) return rc;
    int64_t revision = tk_db_last_id(ctx->db);
    st = tk_db_prepare(ctx->db,
                       "UPDATE unit_reports SET revision_count = revision_count + 1, current_revision_id = ?, "
                       "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
                       err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, revision);
    tk_stmt_bind_int(st, 2, report_id);
    return tk_stmt_exec(st, err);
}

/* Creates the report as a draft with content as its first revision, inside the caller's
 * transaction. */
static tk_code create_report(tk_ctx *ctx, const report_target *t, const json_t *content, json_t **row, tk_error *err)
{
    char due[TK_DATE_TEXT_MAX];
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "INSERT INTO unit_reports(schedule_id, period_key, org_id, due_on, created_by) "
                                "VALUES (?, ?, ?, ?, ?)",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, t->sc.schedule_id);
    tk_stmt_bind_text(st, 2, t->sc.period.key);
    tk_stmt_bind_int(st, 3, t->org_id);
    tk_stmt_bind_text(st, 4, tk_date_format_iso(t->sc.period.due, due));
    if (ctx->caller) tk_stmt_bind_int(st, 5, ctx->caller->user_id);
    else tk_stmt_bind_null(st, 5);
    tk_code rc = tk_stmt_exec(st, err);
    if (rc) return rc;
    int64_t id = tk_db_last_id(ctx->db);
    if ((rc = add_revision(ctx, id, content, err))) return rc;
    if ((rc = read_report(ctx, t, row, err))) return rc;
    json_t *after = json_pack("{s:I, s:s, s:I, s:s, s:O}", "schedule_id", (json_int_t)t->sc.schedule_id, "period",
                              t->sc.period.key, "org_id", (json_int_t)t->org_id, "status", "draft", "content", content);
    rc = tk_audit_append(ctx, "create", "unit_report", id, NULL, after, err);
    json_decref(after);
    return rc;
}

tk_code tk_report_get(tk_ctx *ctx, int64_t schedule_id, const char *period, int64_t org_id, json_t **out,
                      tk_error *err)
{
    report_target t;
    tk_code rc = open_target(ctx, schedule_id, period, org_id, &t, err);
    if (rc) return rc;
    json_t *row = NULL, *content = NULL;
    if ((rc = read_report(ctx, &t, &row, err))) goto out;
    if (!row && (!t.rights.write || t.rights.review)) {
        /* A reader sees what the draft would hold, and nothing is written for them; nor for the
         * office above, whose looking must not turn a unit that never started into a drafting
         * one (it saves or submits explicitly when it keeps a report for the unit). */
        if ((rc = prefill(ctx, &t, &content, err))) goto out;
        row = json_pack("{s:n, s:s, s:i}", "id", "status", "not_started", "revision", 0);
        json_object_set_new(row, "due_on", date_json(t.sc.period.due));
        *out = report_answer(&t, row, content);
        goto out;
    }
    if (!row) {
        if ((rc = tk_db_begin(ctx->db, err))) goto out;
        /* Another request may have made it since the read: the write lock settles who. */
        rc = read_report(ctx, &t, &row, err);
        if (!rc && !row && !(rc = prefill(ctx, &t, &content, err))) rc = create_report(ctx, &t, content, &row, err);
        if ((rc = tk_db_end(ctx->db, rc, err))) goto out;
        json_decref(content);
        content = NULL;
    }
    if ((rc = read_content(ctx, json_integer_value(json_object_get(row, "current_revision_id")), &content, err))) goto out;
    *out = report_answer(&t, row, content);
out:
    json_decref(row);
    json_decref(content);
    scope_free(&t.sc);
    return rc;
}

/* ---- saving a revision ---- */

static tk_code check_members(const json_t *obj, const char *const *allowed, const char *where, tk_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++) ok = strcmp(*a, key) == 0;
        if (!ok) return tk_error_set(err, TK_INVALID_INPUT, key, "Trường \"%s\" không có ở %s", key, where);
    }
    return TK_OK;
}

/* A text member normalized to NFC, at most max characters; "" when absent or null. */
static tk_code text_member(const json_t *obj, const char *key, const char *field, const char *label, int max,
                           json_t *into, tk_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        json_object_set_new(into, key, json_string(""));
        return TK_OK;
    }
    if (!json_is_string(v)) return tk_error_set(err, TK_INVALID_INPUT, field, "%s phải là văn bản", label);
    if (strlen(json_string_value(v)) != json_string_length(v))
        return tk_error_set(err, TK_INVALID_INPUT, field, "%s chứa ký tự NUL không hợp lệ", label);
    char *norm = NULL;
    tk_code rc = tk_text_normalize(json_string_value(v), json_string_length(v), field, &norm, err);
    if (rc) return rc;
    if ((int64_t)tk_text_length(norm) > max) {
        free(norm);
        return tk_error_set(err, TK_INVALID_INPUT, field, "%s dài quá %d ký tự", label, max);
    }
    json_object_set_new(into, key, json_string(norm));
    free(norm);
    return TK_OK;
}

/* The ids of lines[*][key] as a JSON array text for json_each(); new string. */
static char *ids_of(const json_t *lines, const char *key)
{
    json_t *ids = json_array();
    size_t i;
    json_t *line;
    json_array_foreach(lines, i, line) json_array_append(ids, json_object_get(line, key));
    char *text = json_dumps(ids, JSON_COMPACT);
    json_decref(ids);
    return text;
}

static json_t *line_by(json_t *lines, const char *key, int64_t id)
{
    size_t i;
    json_t *line;
    json_array_foreach(lines, i, line) if (json_integer_value(json_object_get(line, key)) == id) return line;
    return NULL;
}

static tk_code validate_tasks(tk_ctx *ctx, const report_target *t, const json_t *given, json_t *content, tk_error *err)
{
    static const char *const members[] = {"task_id", "title", "due_text", "status", "progress", "reported_on",
                                          "narrative", "evidence", NULL};
    json_t *lines = json_array();
    json_object_set_new(content, "tasks", lines);
    if (!given || json_is_null(given)) return TK_OK;
    if (!json_is_array(given) || json_array_size(given) > MAX_LINES)
        return tk_error_set(err, TK_INVALID_INPUT, "tasks", "Danh sách nhiệm vụ phải là mảng (tối đa %d dòng)", MAX_LINES);
    size_t i;
    json_t *g;
    tk_code rc;
    json_array_foreach(given, i, g) {
        if (!json_is_object(g)) return tk_error_set(err, TK_INVALID_INPUT, "tasks", "Mỗi dòng nhiệm vụ phải là một đối tượng");
        if ((rc = check_members(g, members, "dòng nhiệm vụ", err))) return rc;
        json_t *id = json_object_get(g, "task_id"), *progress = json_object_get(g, "progress");
        if (!json_is_integer(id) || json_integer_value(id) <= 0)
            return tk_error_set(err, TK_INVALID_INPUT, "tasks", "Dòng %zu: cần mã số nhiệm vụ (task_id)", i + 1);
        if (line_by(lines, "task_id", json_integer_value(id)))
            return tk_error_set(err, TK_INVALID_INPUT, "tasks", "Nhiệm vụ %lld được nêu hai lần", (long long)json_integer_value(id));
        if (!json_is_integer(progress) || json_integer_value(progress) < 0 || json_integer_value(progress) > 100)
            return tk_error_set(err, TK_INVALID_INPUT, "tasks", "Dòng %zu: tiến độ (progress) phải là số nguyên từ 0 đến 100", i + 1);
        json_t *line = json_pack("{s:O, s:O}", "task_id", id, "progress", progress);
        json_array_append_new(lines, line);
        const char *status = json_string_value(json_object_get(g, "status"));
        tk_status parsed;
        if (json_object_get(g, "status") && !json_is_null(json_object_get(g, "status")) &&
            (!status || !tk_status_from_name(status, &parsed)))
            return tk_error_set(err, TK_INVALID_INPUT, "tasks",
                                "Dòng %zu: trạng thái phải là một trong: done_on_time, done_late, in_progress, overdue", i + 1);
        json_object_set_new(line, "status", status ? json_string(status) : json_null());
        if ((rc = text_member(g, "narrative", "tasks", "Kết quả thực hiện", LINE_TEXT_MAX, line, err))) return rc;
    }
    if (!json_array_size(lines)) return TK_OK;
    /* Every line names a task this unit leads; titles come from the tasks, not the client. */
    char *ids = ids_of(lines, "task_id");
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT id, title, due_text FROM tasks WHERE id IN (SELECT value FROM json_each(?)) "
                                "AND lead_org_id = ?",
                                err);
    if (!st) {
        free(ids);
        return storage(err);
    }
    tk_stmt_bind_text(st, 1, ids);
    tk_stmt_bind_int(st, 2, t->org_id);
    free(ids);
    size_t found = 0;
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        json_t *line = line_by(lines, "task_id", tk_stmt_column_int(st, 0));
        if (!line) continue;
        json_object_set_new(line, "title", json_string(tk_stmt_column_text(st, 1)));
        json_object_set_new(line, "due_text", json_string(tk_stmt_column_text(st, 2)));
        found++;
    }
    if (s == TK_STEP_ERROR) return storage(err);
    if (found != json_array_size(lines)) {
        json_array_foreach(lines, i, g) if (!json_object_get(g, "title"))
            return tk_error_set(err, TK_INVALID_INPUT, "tasks", "Nhiệm vụ %lld không do %s chủ trì",
                                (long long)json_integer_value(json_object_get(g, "task_id")), t->org_name);
    }
    return TK_OK;
}

static tk_code validate_indicators(tk_ctx *ctx, const json_t *given, json_t *content, tk_error *err)
{
    static const char *const members[] = {"indicator_id", "name", "unit", "value", "on_date", "is_estimate", "note", NULL};
    json_t *lines = json_array();
    json_object_set_new(content, "indicators", lines);
    if (!given || json_is_null(given)) return TK_OK;
    if (!json_is_array(given) || json_array_size(given) > MAX_LINES)
        return tk_error_set(err, TK_INVALID_INPUT, "indicators", "Danh sách chỉ tiêu phải là mảng (tối đa %d dòng)", MAX_LINES);
    size_t i;
    json_t *g;
    tk_code rc;
    json_array_foreach(given, i, g) {
        if (!json_is_object(g)) return tk_error_set(err, TK_INVALID_INPUT, "indicators", "Mỗi dòng chỉ tiêu phải là một đối tượng");
        if ((rc = check_members(g, members, "dòng chỉ tiêu", err))) return rc;
        json_t *id = json_object_get(g, "indicator_id"), *value = json_object_get(g, "value");
        if (!json_is_integer(id) || json_integer_value(id) <= 0)
            return tk_error_set(err, TK_INVALID_INPUT, "indicators", "Dòng %zu: cần mã số chỉ tiêu (indicator_id)", i + 1);
        if (line_by(lines, "indicator_id", json_integer_value(id)))
            return tk_error_set(err, TK_INVALID_INPUT, "indicators", "Chỉ tiêu %lld được nêu hai lần",
                                (long long)json_integer_value(id));
        if (value && !json_is_null(value) && (!json_is_number(value) || !isfinite(json_number_value(value))))
            return tk_error_set(err, TK_INVALID_INPUT, "indicators", "Dòng %zu: giá trị (value) phải là số", i + 1);
        json_t *line = json_pack("{s:O}", "indicator_id", id);
        json_object_set_new(line, "value", value && !json_is_null(value) ? json_real(json_number_value(value)) : json_null());
        json_array_append_new(lines, line);
        if ((rc = text_member(g, "note", "indicators", "Ghi chú", LINE_TEXT_MAX, line, err))) return rc;
    }
    if (!json_array_size(lines)) return TK_OK;
    char *ids = ids_of(lines, "indicator_id");
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT id, name, unit FROM indicators WHERE id IN (SELECT value FROM json_each(?))", err);
    if (!st) {
        free(ids);
        return storage(err);
    }
    tk_stmt_bind_text(st, 1, ids);
    free(ids);
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        json_t *line = line_by(lines, "indicator_id", tk_stmt_column_int(st, 0));
        if (!line) continue;
        json_object_set_new(line, "name", json_string(tk_stmt_column_text(st, 1)));
        const char *unit = tk_stmt_column_text(st, 2);
        json_object_set_new(line, "unit", unit ? json_string(unit) : json_null());
    }
    if (s == TK_STEP_ERROR) return storage(err);
    json_array_foreach(lines, i, g) if (!json_object_get(g, "name"))
        return tk_error_set(err, TK_NOT_FOUND, "indicators", "Không có chỉ tiêu mã số %lld",
                            (long long)json_integer_value(json_object_get(g, "indicator_id")));
    return TK_OK;
}

static tk_code validate_content(tk_ctx *ctx, const report_target *t, const json_t *body, json_t **out, tk_error *err)
{
    static const char *const members[] = {"tasks", "indicators", "results", "limitations", "causes", "proposals", NULL};
    static const struct {
        const char *key, *label;
    } sections[] = {
        {"results", "Kết quả đạt được"},
        {"limitations", "Hạn chế"},
        {"causes", "Nguyên nhân"},
        {"proposals", "Đề xuất, kiến nghị"},
    };
    if (!json_is_object(body)) return tk_error_set(err, TK_INVALID_JSON, NULL, "Nội dung gửi lên phải là một đối tượng JSON");
    tk_code rc = check_members(body, members, "báo cáo", err);
    if (rc) return rc;
    json_t *content = json_object();
    for (size_t i = 0; i < sizeof sections / sizeof sections[0] && !rc; i++)
        rc = text_member(body, sections[i].key, sections[i].key, sections[i].label, SECTION_MAX, content, err);
    if (!rc) rc = validate_tasks(ctx, t, json_object_get(body, "tasks"), content, err);
    if (!rc) rc = validate_indicators(ctx, json_object_get(body, "indicators"), content, err);
    if (rc) {
        json_decref(content);
        return rc;
    }
    *out = content;
    return TK_OK;
}

static tk_code refuse_locked(const char *status, tk_error *err)
{
    if (strcmp(status, "accepted") == 0)
        return tk_error_set(err, TK_CONFLICT, NULL,
                            "Báo cáo đã được tiếp nhận nên đã khóa, không sửa được; văn phòng cần mở lại báo cáo trước");
    if (strcmp(status, "submitted") == 0)
        return tk_error_set(err, TK_CONFLICT, NULL, "Báo cáo đã gửi và đang chờ tiếp nhận; chỉ sửa được khi bị trả lại");
    return TK_OK;
}

tk_code tk_report_save(tk_ctx *ctx, int64_t schedule_id, const char *period, int64_t org_id, json_t *body,
                       json_t **out, tk_error *err)
{
    report_target t;
    tk_code rc = open_target(ctx, schedule_id, period, org_id, &t, err);
    if (rc) return rc;
    json_t *row = NULL, *content = NULL, *after = NULL;
    if (!t.rights.write) {
        rc = denied(ctx, 0, "save", err, "Chỉ biên tập viên hoặc văn phòng của đơn vị được soạn báo cáo của đơn vị");
        goto done;
    }
    if ((rc = validate_content(ctx, &t, body, &content, err))) goto done;
    if ((rc = tk_db_begin(ctx->db, err))) goto done;
    if ((rc = read_report(ctx, &t, &row, err))) goto out;
    if (!row) {
        rc = create_report(ctx, &t, content, &row, err);
    } else {
        int64_t id = json_integer_value(json_object_get(row, "id"));
        if ((rc = refuse_locked(json_string_value(json_object_get(row, "status")), err))) goto out;
        if ((rc = add_revision(ctx, id, content, err))) goto out;
        json_t *before = row;
        if ((rc = read_report(ctx, &t, &row, err))) {
            row = before;
            goto out;
        }
        after = json_deep_copy(row);
        json_object_set(after, "content", content);
        rc = tk_audit_append(ctx, "save", "unit_report", id, before, after, err);
        json_decref(before);
    }
out:
    rc = tk_db_end(ctx->db, rc, err);
    if (!rc) *out = report_answer(&t, row, content);
done:
    json_decref(row);
    json_decref(content);
    json_decref(after);
    scope_free(&t.sc);
    return rc;
}

/* ---- the workflow ---- */

static const char *const action_names[] = {"submit", "return", "accept", "reopen"};

static tk_code read_reason(const json_t *body, char **reason, tk_error *err)
{
    json_t *holder = json_object();
    tk_code rc = text_member(body, "reason", "reason", "Lý do", REASON_MAX, holder, err);
    if (!rc) {
        const char *text = json_string_value(json_object_get(holder, "reason"));
        bool blank = true;
        for (const char *p = text; *p; p++)
            if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') blank = false;
        if (blank) rc = tk_error_set(err, TK_INVALID_INPUT, "reason", "Cần nêu lý do");
        else *reason = strdup(text);
    }
    json_decref(holder);
    return rc;
}

tk_code tk_report_act(tk_ctx *ctx, int64_t schedule_id, const char *period, int64_t org_id, tk_report_action action,
                      const json_t *body, json_t **out, tk_error *err)
{
    if ((unsigned)action > TK_REPORT_REOPEN) return tk_error_set(err, TK_INTERNAL, NULL, "Thao tác không hợp lệ");
    report_target t;
    tk_code rc = open_target(ctx, schedule_id, period, org_id, &t, err);
    if (rc) return rc;
    static const char *const submit_members[] = {"submitted_on", NULL};
    static const char *const reason_members[] = {"reason", NULL};
    static const char *const no_members[] = {NULL};
    const char *const *members = action == TK_REPORT_SUBMIT                                   ? submit_members
                                 : action == TK_REPORT_RETURN || action == TK_REPORT_REOPEN ? reason_members
                                                                                            : no_members;
    const char *name = action_names[action];
    json_t *row = NULL, *content = NULL;
    char *reason = NULL;
    tk_date submitted_on = ctx->today;
    bool reviewing = action != TK_REPORT_SUBMIT;
    bool has_date = body && json_object_get(body, "submitted_on") && !json_is_null(json_object_get(body, "submitted_on"));

    if (reviewing ? !t.rights.review : !t.rights.write) {
        rc = denied(ctx, 0, name, err,
                    reviewing ? "Chỉ văn phòng cấp trên của đơn vị được trả lại, tiếp nhận hay mở lại báo cáo"
                              : "Chỉ biên tập viên hoặc văn phòng của đơn vị được gửi báo cáo của đơn vị");
        goto done;
    }
    if (body && !json_is_object(body)) {
        rc = tk_error_set(err, TK_INVALID_JSON, NULL, "Nội dung gửi lên phải là một đối tượng JSON");
        goto done;
    }
    if (body && (rc = check_members(body, members, "yêu cầu này", err))) goto done;
    if (has_date) {
        /* A report that came on paper or through the document system counts from the day the
         * office received it; only that office may say so. */
        if (!t.rights.review) {
            rc = denied(ctx, 0, name, err, "Chỉ văn phòng cấp trên được ghi ngày nhận báo cáo (submitted_on)");
            goto done;
        }
        if (!json_date(body, "submitted_on", &submitted_on)) {
            rc = tk_error_set(err, TK_INVALID_INPUT, "submitted_on", "Ngày nhận báo cáo phải là một ngày có thật, viết YYYY-MM-DD");
            goto done;
        }
        if (submitted_on > ctx->today) {
            rc = tk_error_set(err, TK_INVALID_INPUT, "submitted_on", "Ngày nhận báo cáo không thể sau ngày hôm nay");
            goto done;
        }
        if (submitted_on < t.sc.period.data_first) {
            rc = tk_error_set(err, TK_INVALID_INPUT, "submitted_on", "Ngày nhận báo cáo không thể trước kỳ báo cáo");
            goto done;
        }
    }
    if ((action == TK_REPORT_RETURN || action == TK_REPORT_REOPEN) && (rc = read_reason(body, &reason, err))) goto done;

    if ((rc = tk_db_begin(ctx->db, err))) goto done;
    if ((rc = read_report(ctx, &t, &row, err))) goto out;
    if (!row && action == TK_REPORT_SUBMIT) {
        /* A report that came on paper is submitted without a draft: it starts from the prefill. */
        if (!(rc = prefill(ctx, &t, &content, err))) rc = create_report(ctx, &t, content, &row, err);
        json_decref(content);
        content = NULL;
        if (rc) goto out;
    }
    if (!row) {
        rc = tk_error_set(err, TK_CONFLICT, NULL, "%s chưa có báo cáo %s", t.org_name, t.sc.period.label);
        goto out;
    }
    const char *status = json_string_value(json_object_get(row, "status"));
    static const struct {
        const char *from[2];
        const char *refusal;
    } rules[] = {
        [TK_REPORT_SUBMIT] = {{"draft", "returned"}, "Chỉ gửi được báo cáo nháp hoặc bị trả lại"},
        [TK_REPORT_RETURN] = {{"submitted", NULL}, "Chỉ trả lại được báo cáo đã gửi"},
        [TK_REPORT_ACCEPT] = {{"submitted", NULL}, "Chỉ tiếp nhận được báo cáo đã gửi"},
        [TK_REPORT_REOPEN] = {{"accepted", NULL}, "Chỉ mở lại được báo cáo đã tiếp nhận"},
    };
    bool ok = false;
    for (int i = 0; i < 2; i++) ok = ok || (rules[action].from[i] && strcmp(rules[action].from[i], status) == 0);
    if (!ok) {
        rc = tk_error_set(err, TK_CONFLICT, NULL, "%s (báo cáo đang ở trạng thái \"%s\")", rules[action].refusal, status);
        goto out;
    }
    static const char *const updates[] = {
        [TK_REPORT_SUBMIT] = "UPDATE unit_reports SET status = 'submitted', submitted_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
                             "submitted_on = ?2, submitted_by = ?3, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1",
        [TK_REPORT_RETURN] = "UPDATE unit_reports SET status = 'returned', returned_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
                             "return_reason = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1",
        [TK_REPORT_ACCEPT] = "UPDATE unit_reports SET status = 'accepted', accepted_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
                             "accepted_by = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1",
        [TK_REPORT_REOPEN] = "UPDATE unit_reports SET status = 'returned', returned_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
                             "return_reason = ?2, accepted_at = NULL, accepted_by = NULL, "
                             "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1",
    };
    tk_stmt *st = tk_db_prepare(ctx->db, updates[action], err);
    if (!st) {
        rc = storage(err);
        goto out;
    }
    int64_t id = json_integer_value(json_object_get(row, "id"));
    char day[TK_DATE_TEXT_MAX];
    /* ?2 (and ?3) are what each statement records: a day and who, who, or a reason. */
    int who = action == TK_REPORT_SUBMIT ? 3 : 2;
    tk_stmt_bind_int(st, 1, id);
    if (action == TK_REPORT_SUBMIT) tk_stmt_bind_text(st, 2, tk_date_format_iso(submitted_on, day));
    if (action == TK_REPORT_RETURN || action == TK_REPORT_REOPEN) tk_stmt_bind_text(st, 2, reason);
    else if (ctx->caller) tk_stmt_bind_int(st, who, ctx->caller->user_id);
    else tk_stmt_bind_null(st, who);
    if ((rc = tk_stmt_exec(st, err))) goto out;
    json_t *before = row;
    row = NULL;
    rc = read_report(ctx, &t, &row, err);
    if (!rc) rc = tk_audit_append(ctx, name, "unit_report", id, before, row, err);
    json_decref(before);
out:
    rc = tk_db_end(ctx->db, rc, err);
    if (!rc) rc = read_content(ctx, json_integer_value(json_object_get(row, "current_revision_id")), &content, err);
    if (!rc) *out = report_answer(&t, row, content);
done:
    free(reason);
    json_decref(row);
    json_decref(content);
    scope_free(&t.sc);
    return rc;
}
