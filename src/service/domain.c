/* The objects of the domain and their own rules. Field lists here are the API's schema: what a
 * client may send, what it gets back, and the Vietnamese label used in every message. */
#include <string.h>

#include "core/numeral.h"
#include "core/period.h"
#include "core/rollup.h"
#include "service/auth.h"
#include "service/resource.h"
#include "service/task.h"

static const char *const org_kinds[] = {
    "party_committee", "standing_committee", "office", "party_board", "party_delegation", "party_caucus",
    "peoples_council", "peoples_committee", "department", "district", "commune", "front",
    "mass_organization", "party_organization", "base_organization", "cell", "other", NULL};
static const char *const document_kinds[] = {
    "resolution", "action_program", "thematic_resolution", "directive", "plan", "scheme",
    "conclusion", "decision", "regulation", "report", "other", NULL};
static const char *const item_kinds[] = {
    "goal", "target_group", "orientation", "breakthrough", "solution", "key_task", NULL};
/* Who owns what, for the permission checks (service/auth.h): documents and what hangs off them
 * belong to the issuing body; indicators to their unit, else their document's body. */
#define DOCUMENT_OWNER(doc) "(SELECT d.organization_id FROM documents d WHERE d.id = " doc ")"
#define INDICATOR_OWNER(ind)                                                                              \
    "(SELECT coalesce(i.organization_id, (SELECT d.organization_id FROM documents d WHERE d.id = "         \
    "i.document_id)) FROM indicators i WHERE i.id = " ind ")"
#define OFFICE TK_ROLE_BIT(TK_ROLE_OFFICE)

static const char *const aggregations[] = {"sum", "mean", "last", "none", NULL};
static const char *const directions[] = {"increase", "decrease", NULL};

/* Follows `link` (a column naming the same table) up from start; true when it reaches id. Bounded,
 * so a chain broken by hand in the database cannot loop forever. */
static tk_code reaches(tk_ctx *ctx, const char *sql, int64_t start, int64_t id, bool *found, tk_error *err)
{
    *found = false;
    int64_t at = start;
    for (int steps = 0; at > 0 && steps < 10000; steps++) {
        if (at == id) {
            *found = true;
            return TK_OK;
        }
        tk_stmt *st = tk_db_prepare(ctx->db, sql, err);
        if (!st) return err->code;
        tk_stmt_bind_int(st, 1, at);
        tk_step s = tk_stmt_step(st, err);
        if (s == TK_STEP_ERROR) return err->code;
        at = (s == TK_STEP_ROW && !tk_stmt_column_is_null(st, 0)) ? tk_stmt_column_int(st, 0) : 0;
    }
    return TK_OK;
}

/* Refuses a link that would make an object its own ancestor (directly or through others). */
static tk_code check_no_cycle(tk_ctx *ctx, json_t *row, const json_t *old, const char *field, const char *sql,
                              const char *label, tk_error *err)
{
    json_t *v = json_object_get(row, field);
    if (!json_is_integer(v) || !old) return TK_OK;
    int64_t self = json_integer_value(json_object_get(old, "id"));
    bool found;
    tk_code rc = reaches(ctx, sql, json_integer_value(v), self, &found, err);
    if (rc) return rc;
    if (found) return tk_error_set(err, TK_INVALID_INPUT, field, "%s không thể trỏ về chính nó hoặc cấp dưới của nó", label);
    return TK_OK;
}

static const json_t *current(const json_t *row, const json_t *old, const char *field)
{
    const json_t *v = json_object_get(row, field);
    return v ? v : (old ? json_object_get(old, field) : NULL);
}

/* ---- organizations ---- */

static tk_code org_check(tk_ctx *ctx, json_t *row, json_t *input, const json_t *old, tk_error *err)
{
    (void)input;
    const char *from = json_string_value(current(row, old, "valid_from"));
    const char *to = json_string_value(current(row, old, "valid_to"));
    if (from && to && strcmp(to, from) < 0)
        return tk_error_set(err, TK_INVALID_INPUT, "valid_to", "Ngày giải thể/kết thúc phải sau ngày thành lập");
    /* The database refuses a second unit with the same code too, but its message names a
     * constraint, not the field a person typed into. */
    const char *code = json_string_value(json_object_get(row, "code"));
    if (code) {
        tk_stmt *st = tk_db_prepare(ctx->db, "SELECT name FROM organizations WHERE code = ? AND id <> ?", err);
        if (!st) return err->code;
        tk_stmt_bind_text(st, 1, code);
        tk_stmt_bind_int(st, 2, old ? json_integer_value(json_object_get(old, "id")) : 0);
        tk_step step = tk_stmt_step(st, err);
        if (step == TK_STEP_ERROR) return err->code;
        if (step == TK_STEP_ROW) {
            tk_error_set(err, TK_CONFLICT, "code", "Mã định danh \"%s\" đã là mã của %s", code,
                         tk_stmt_column_text(st, 0));
            tk_stmt_reset(st);
            return TK_CONFLICT;
        }
    }
    return check_no_cycle(ctx, row, old, "successor_id", "SELECT successor_id FROM organizations WHERE id = ?",
                          "Đơn vị kế tục", err);
}

static tk_code org_decorate(tk_ctx *ctx, json_t *obj, tk_error *err)
{
    (void)err;
    /* In existence today: founded by now (or date unknown) and not yet closed. */
    const char *from = json_string_value(json_object_get(obj, "valid_from"));
    const char *to = json_string_value(json_object_get(obj, "valid_to"));
    tk_date start, end;
    bool active = (!from || (tk_date_parse_iso(from, &start) && start <= ctx->today)) &&
                  (!to || (tk_date_parse_iso(to, &end) && end >= ctx->today));
    json_object_set_new(obj, "active", json_boolean(active));
    return TK_OK;
}

static const tk_field org_fields[] = {
    {.name = "parent_id", .type = TK_FIELD_REF, .flags = TK_FIELD_IMMUTABLE, .label = "Đơn vị cấp trên",
     .ref = &tk_res_organization},
    {.name = "kind", .type = TK_FIELD_ENUM, .flags = TK_FIELD_REQUIRED, .label = "Loại đơn vị", .values = org_kinds},
    {.name = "name", .type = TK_FIELD_TEXT, .flags = TK_FIELD_REQUIRED, .label = "Tên đơn vị", .max = 300},
    {.name = "short_name", .type = TK_FIELD_TEXT, .label = "Tên viết tắt", .max = 100},
    {.name = "code", .type = TK_FIELD_TEXT, .label = "Mã định danh (QCVN 102:2016/BTTTT)", .max = 64},
    {.name = "valid_from", .type = TK_FIELD_DATE, .label = "Ngày thành lập"},
    {.name = "valid_to", .type = TK_FIELD_DATE, .label = "Ngày giải thể/kết thúc"},
    {.name = "successor_id", .type = TK_FIELD_REF, .label = "Đơn vị kế tục", .ref = &tk_res_organization},
    {0},
};
static const char *const org_folded[] = {"name", "short_name", NULL};

const tk_resource tk_res_organization = {
    .name = "organization", .table = "organizations", .label = "đơn vị", .fields = org_fields,
    .folded_column = "name_folded", .folded_from = org_folded,
    .check = org_check, .decorate = org_decorate,
    .owner_sql = "r.id", .write_roles = OFFICE, .visible_below = true,
};

/* ---- terms ---- */

static tk_code term_check(tk_ctx *ctx, json_t *row, json_t *input, const json_t *old, tk_error *err)
{
    (void)ctx, (void)input;
    const json_t *from = current(row, old, "year_from"), *to = current(row, old, "year_to");
    if (json_integer_value(to) <= json_integer_value(from))
        return tk_error_set(err, TK_INVALID_INPUT, "year_to", "Năm kết thúc nhiệm kỳ phải sau năm bắt đầu");
    return TK_OK;
}

static tk_code term_decorate(tk_ctx *ctx, json_t *obj, tk_error *err)
{
    (void)ctx, (void)err;
    char roman[TK_ROMAN_MAX];
    if (tk_roman_format((int)json_integer_value(json_object_get(obj, "ordinal")), roman, sizeof roman))
        json_object_set_new(obj, "roman", json_string(roman));
    return TK_OK;
}

static const tk_field term_fields[] = {
    {.name = "organization_id", .type = TK_FIELD_REF, .flags = TK_FIELD_REQUIRED | TK_FIELD_IMMUTABLE,
     .label = "Đảng bộ", .ref = &tk_res_organization},
    {.name = "ordinal", .type = TK_FIELD_INT, .flags = TK_FIELD_REQUIRED, .label = "Đại hội lần thứ", .min = 1,
     .max = 100},
    {.name = "year_from", .type = TK_FIELD_INT, .flags = TK_FIELD_REQUIRED, .label = "Năm bắt đầu",
     .min = TK_DATE_YEAR_MIN, .max = TK_DATE_YEAR_MAX},
    {.name = "year_to", .type = TK_FIELD_INT, .flags = TK_FIELD_REQUIRED, .label = "Năm kết thúc",
     .min = TK_DATE_YEAR_MIN, .max = TK_DATE_YEAR_MAX},
    {.name = "name", .type = TK_FIELD_TEXT, .flags = TK_FIELD_REQUIRED, .label = "Tên nhiệm kỳ", .max = 300},
    {0},
};

const tk_resource tk_res_term = {
    .name = "term", .table = "terms", .label = "nhiệm kỳ", .fields = term_fields,
    .check = term_check, .decorate = term_decorate,
    .owner_sql = "r.organization_id", .write_roles = OFFICE, .visible_below = true,
};

/* ---- documents and their items ---- */

static tk_code document_check(tk_ctx *ctx, json_t *row, json_t *input, const json_t *old, tk_error *err)
{
    (void)input;
    tk_code rc = check_no_cycle(ctx, row, old, "implements_id",
                                "SELECT implements_id FROM documents WHERE id = ?", "Văn bản cấp trên", err);
    if (rc) return rc;
    return check_no_cycle(ctx, row, old, "continues_id", "SELECT continues_id FROM documents WHERE id = ?",
                          "Văn bản kế thừa", err);
}

/* The issuing body's name beside its id, so a list of documents reads without a lookup each. */
static tk_code document_decorate(tk_ctx *ctx, json_t *obj, tk_error *err)
{
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT name FROM organizations WHERE id = ?", err);
    if (!st) return err->code;
    tk_stmt_bind_int(st, 1, json_integer_value(json_object_get(obj, "organization_id")));
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return err->code;
    json_object_set_new(obj, "organization_name", s == TK_STEP_ROW ? json_string(tk_stmt_column_text(st, 0)) : json_null());
    tk_stmt_reset(st);
    return TK_OK;
}

static const tk_field document_fields[] = {
    {.name = "kind", .type = TK_FIELD_ENUM, .flags = TK_FIELD_REQUIRED, .label = "Loại văn bản",
     .values = document_kinds},
    {.name = "number", .type = TK_FIELD_TEXT, .label = "Số, ký hiệu", .max = 100},
    {.name = "title", .type = TK_FIELD_TEXT, .flags = TK_FIELD_REQUIRED, .label = "Trích yếu", .max = 1000},
    {.name = "organization_id", .type = TK_FIELD_REF, .flags = TK_FIELD_REQUIRED, .label = "Cơ quan ban hành",
     .ref = &tk_res_organization},
    {.name = "issued_on", .type = TK_FIELD_DATE, .label = "Ngày ban hành"},
    {.name = "term_id", .type = TK_FIELD_REF, .label = "Nhiệm kỳ", .ref = &tk_res_term},
    {.name = "implements_id", .type = TK_FIELD_REF, .label = "Văn bản được cụ thể hóa", .ref = &tk_res_document},
    {.name = "continues_id", .type = TK_FIELD_REF, .label = "Văn bản kế thừa", .ref = &tk_res_document},
    {.name = "summary", .type = TK_FIELD_TEXT, .label = "Tóm tắt", .max = 20000},
    {0},
};
static const char *const document_folded[] = {"number", "title", NULL};

const tk_resource tk_res_document = {
    .name = "document", .table = "documents", .label = "văn bản", .fields = document_fields,
    .folded_column = "title_folded", .folded_from = document_folded, .check = document_check,
    .decorate = document_decorate,
    .owner_sql = "r.organization_id", .write_roles = OFFICE, .visible_below = true,
};

static const tk_field item_fields[] = {
    {.name = "document_id", .type = TK_FIELD_REF, .flags = TK_FIELD_REQUIRED | TK_FIELD_IMMUTABLE,
     .label = "Văn bản", .ref = &tk_res_document},
    {.name = "kind", .type = TK_FIELD_ENUM, .flags = TK_FIELD_REQUIRED, .label = "Loại nội dung", .values = item_kinds},
    {.name = "position", .type = TK_FIELD_INT, .label = "Thứ tự", .min = 0, .max = 100000, .fallback = "0"},
    {.name = "text", .type = TK_FIELD_TEXT, .flags = TK_FIELD_REQUIRED, .label = "Nội dung", .max = 20000},
    {.name = "milestone_year", .type = TK_FIELD_INT, .label = "Mốc năm", .min = TK_DATE_YEAR_MIN,
     .max = TK_DATE_YEAR_MAX},
    {0},
};

const tk_resource tk_res_document_item = {
    .name = "document_item", .table = "document_items", .label = "nội dung văn bản", .fields = item_fields,
    .owner_sql = DOCUMENT_OWNER("r.document_id"), .write_roles = OFFICE, .visible_below = true,
};

/* ---- programs ---- */

static tk_code program_check(tk_ctx *ctx, json_t *row, json_t *input, const json_t *old, tk_error *err)
{
    (void)input;
    json_t *text = json_object_get(row, "period_text");
    if (json_is_string(text)) {
        tk_period p;
        tk_code rc = tk_period_parse(json_string_value(text), "period_text", &p, err);
        if (rc) return rc;
        if (p.kind != TK_PERIOD_SPAN)
            return tk_error_set(err, TK_INVALID_INPUT, "period_text",
                                "Thời gian của chương trình phải là một khoảng thời gian (ví dụ 2021-2025)");
        char first[TK_DATE_TEXT_MAX], last[TK_DATE_TEXT_MAX];
        json_object_set_new(row, "period_first", json_string(tk_date_format_iso(p.first, first)));
        json_object_set_new(row, "period_last", json_string(tk_date_format_iso(p.last, last)));
    } else if (json_is_null(text)) {
        json_object_set_new(row, "period_first", json_null());
        json_object_set_new(row, "period_last", json_null());
    }
    return check_no_cycle(ctx, row, old, "continues_id", "SELECT continues_id FROM programs WHERE id = ?",
                          "Chương trình kế thừa", err);
}

static tk_code program_decorate(tk_ctx *ctx, json_t *obj, tk_error *err)
{
    (void)ctx, (void)err;
    double progress = tk_rollup_progress(json_number_value(json_object_get(obj, "weight_sum")),
                                         json_number_value(json_object_get(obj, "weighted_progress")));
    json_object_set_new(obj, "progress", json_real(progress));
    json_object_del(obj, "weight_sum");
    json_object_del(obj, "weighted_progress");
    return TK_OK;
}

static const tk_field program_fields[] = {
    {.name = "document_id", .type = TK_FIELD_REF, .flags = TK_FIELD_REQUIRED, .label = "Chương trình hành động",
     .ref = &tk_res_document},
    {.name = "number", .type = TK_FIELD_TEXT, .label = "Số chương trình", .max = 20},
    {.name = "title", .type = TK_FIELD_TEXT, .flags = TK_FIELD_REQUIRED, .label = "Tên chương trình", .max = 1000},
    {.name = "period_text", .type = TK_FIELD_TEXT, .label = "Thời gian thực hiện", .max = 100},
    {.name = "period_first", .type = TK_FIELD_DATE, .flags = TK_FIELD_OUTPUT, .label = "Ngày bắt đầu"},
    {.name = "period_last", .type = TK_FIELD_DATE, .flags = TK_FIELD_OUTPUT, .label = "Ngày kết thúc"},
    {.name = "lead_org_id", .type = TK_FIELD_REF, .label = "Cơ quan chủ trì", .ref = &tk_res_organization},
    {.name = "steering_committee", .type = TK_FIELD_TEXT, .label = "Ban chỉ đạo", .max = 2000},
    {.name = "continues_id", .type = TK_FIELD_REF, .label = "Chương trình kế thừa", .ref = &tk_res_program},
    {.name = "task_count", .type = TK_FIELD_INT, .flags = TK_FIELD_OUTPUT, .label = "Số nhiệm vụ"},
    {.name = "weight_sum", .type = TK_FIELD_REAL, .flags = TK_FIELD_OUTPUT, .label = "Tổng trọng số"},
    {.name = "weighted_progress", .type = TK_FIELD_REAL, .flags = TK_FIELD_OUTPUT, .label = "Tiến độ có trọng số"},
    {0},
};
static const char *const program_folded[] = {"number", "title", NULL};

const tk_resource tk_res_program = {
    .name = "program", .table = "programs", .label = "chương trình", .fields = program_fields,
    .folded_column = "title_folded", .folded_from = program_folded,
    .check = program_check, .decorate = program_decorate,
    .owner_sql = DOCUMENT_OWNER("r.document_id"), .write_roles = OFFICE, .visible_below = true,
};

/* ---- indicators ---- */

static tk_code indicator_decorate(tk_ctx *ctx, json_t *obj, tk_error *err)
{
    int64_t id = json_integer_value(json_object_get(obj, "id"));
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT year, value, text FROM indicator_targets WHERE indicator_id = ? ORDER BY year",
                                err);
    if (!st) return err->code;
    tk_stmt_bind_int(st, 1, id);
    json_t *targets = json_array();
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        json_t *t = json_object();
        json_object_set_new(t, "year", json_integer(tk_stmt_column_int(st, 0)));
        json_object_set_new(t, "value", tk_stmt_column_is_null(st, 1) ? json_null() : json_real(tk_stmt_column_double(st, 1)));
        json_object_set_new(t, "text", tk_stmt_column_is_null(st, 2) ? json_null() : json_string(tk_stmt_column_text(st, 2)));
        json_array_append_new(targets, t);
    }
    json_object_set_new(obj, "targets", targets);
    if (s == TK_STEP_ERROR) return err->code;

    st = tk_db_prepare(ctx->db,
                       "SELECT on_date, value, is_estimate FROM indicator_values WHERE indicator_id = ? "
                       "ORDER BY on_date DESC, id DESC LIMIT 1",
                       err);
    if (!st) return err->code;
    tk_stmt_bind_int(st, 1, id);
    s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return err->code;
    if (s == TK_STEP_ROW)
        json_object_set_new(obj, "latest_value",
                            json_pack("{s:s, s:f, s:b}", "on_date", tk_stmt_column_text(st, 0), "value",
                                      tk_stmt_column_double(st, 1), "is_estimate", (int)tk_stmt_column_int(st, 2)));
    else json_object_set_new(obj, "latest_value", json_null());
    return TK_OK;
}

static const tk_field indicator_fields[] = {
    {.name = "document_id", .type = TK_FIELD_REF, .label = "Văn bản", .ref = &tk_res_document},
    {.name = "program_id", .type = TK_FIELD_REF, .label = "Chương trình", .ref = &tk_res_program},
    {.name = "organization_id", .type = TK_FIELD_REF, .label = "Đơn vị", .ref = &tk_res_organization},
    {.name = "group_name", .type = TK_FIELD_TEXT, .label = "Nhóm chỉ tiêu", .max = 300},
    {.name = "code", .type = TK_FIELD_TEXT, .label = "Mã chỉ tiêu", .max = 50},
    {.name = "name", .type = TK_FIELD_TEXT, .flags = TK_FIELD_REQUIRED, .label = "Tên chỉ tiêu", .max = 1000},
    {.name = "unit", .type = TK_FIELD_TEXT, .label = "Đơn vị tính", .max = 50},
    {.name = "aggregation", .type = TK_FIELD_ENUM, .label = "Cách tổng hợp", .values = aggregations,
     .fallback = "\"last\""},
    {.name = "direction", .type = TK_FIELD_ENUM, .label = "Chiều mong muốn", .values = directions,
     .fallback = "\"increase\""},
    {0},
};
static const char *const indicator_folded[] = {"code", "name", NULL};

const tk_resource tk_res_indicator = {
    .name = "indicator", .table = "indicators", .label = "chỉ tiêu", .fields = indicator_fields,
    .folded_column = "name_folded", .folded_from = indicator_folded, .decorate = indicator_decorate,
    .owner_sql = "coalesce(r.organization_id, " DOCUMENT_OWNER("r.document_id") ")", .write_roles = OFFICE,
    .visible_below = true,
};

static const tk_field target_fields[] = {
    {.name = "indicator_id", .type = TK_FIELD_REF, .flags = TK_FIELD_REQUIRED | TK_FIELD_IMMUTABLE,
     .label = "Chỉ tiêu", .ref = &tk_res_indicator},
    {.name = "year", .type = TK_FIELD_INT, .flags = TK_FIELD_REQUIRED, .label = "Mốc năm", .min = TK_DATE_YEAR_MIN,
     .max = TK_DATE_YEAR_MAX},
    {.name = "value", .type = TK_FIELD_REAL, .label = "Giá trị mục tiêu"},
    {.name = "text", .type = TK_FIELD_TEXT, .label = "Mục tiêu (lời văn)", .max = 2000},
    {0},
};

const tk_resource tk_res_indicator_target = {
    .name = "indicator_target", .table = "indicator_targets", .label = "mục tiêu của chỉ tiêu", .fields = target_fields,
    .owner_sql = INDICATOR_OWNER("r.indicator_id"), .write_roles = OFFICE, .visible_below = true,
};

static const tk_field value_fields[] = {
    {.name = "indicator_id", .type = TK_FIELD_REF, .flags = TK_FIELD_REQUIRED | TK_FIELD_IMMUTABLE,
     .label = "Chỉ tiêu", .ref = &tk_res_indicator},
    {.name = "organization_id", .type = TK_FIELD_REF, .label = "Đơn vị", .ref = &tk_res_organization},
    {.name = "on_date", .type = TK_FIELD_DATE, .flags = TK_FIELD_REQUIRED, .label = "Ngày số liệu"},
    {.name = "value", .type = TK_FIELD_REAL, .flags = TK_FIELD_REQUIRED, .label = "Giá trị"},
    {.name = "is_estimate", .type = TK_FIELD_BOOL, .label = "Số ước tính", .fallback = "false"},
    {.name = "note", .type = TK_FIELD_TEXT, .label = "Ghi chú", .max = 2000},
    {0},
};

const tk_resource tk_res_indicator_value = {
    .name = "indicator_value", .table = "indicator_values", .label = "số liệu chỉ tiêu", .fields = value_fields,
    .owner_sql = "coalesce(r.organization_id, " INDICATOR_OWNER("r.indicator_id") ")",
    .write_roles = OFFICE | TK_ROLE_BIT(TK_ROLE_EDITOR), .visible_below = true,
};

/* ---- tasks (their own rules are in service/task.c) ---- */

static const tk_field task_fields[] = {
    {.name = "program_id", .type = TK_FIELD_REF, .label = "Chương trình", .ref = &tk_res_program},
    {.name = "document_id", .type = TK_FIELD_REF, .label = "Văn bản giao nhiệm vụ", .ref = &tk_res_document},
    {.name = "parent_id", .type = TK_FIELD_REF, .label = "Nhiệm vụ cha", .ref = &tk_res_task},
    {.name = "title", .type = TK_FIELD_TEXT, .flags = TK_FIELD_REQUIRED, .label = "Tên nhiệm vụ", .max = 1000},
    {.name = "description", .type = TK_FIELD_TEXT, .label = "Nội dung chi tiết", .max = 20000},
    {.name = "lead_org_id", .type = TK_FIELD_REF, .flags = TK_FIELD_REQUIRED, .label = "Cơ quan chủ trì",
     .ref = &tk_res_organization},
    {.name = "responsible_person", .type = TK_FIELD_TEXT, .label = "Người chịu trách nhiệm", .max = 300},
    {.name = "due", .column = "due_text", .type = TK_FIELD_TEXT, .flags = TK_FIELD_REQUIRED | TK_FIELD_IMMUTABLE,
     .label = "Thời hạn hoàn thành", .max = 100},
    {.name = "due_kind", .type = TK_FIELD_TEXT, .flags = TK_FIELD_OUTPUT, .label = "Loại thời hạn"},
    {.name = "due_first", .type = TK_FIELD_DATE, .flags = TK_FIELD_OUTPUT, .label = "Ngày bắt đầu"},
    {.name = "due_last", .type = TK_FIELD_DATE, .flags = TK_FIELD_OUTPUT, .label = "Hạn chót"},
    {.name = "output", .type = TK_FIELD_TEXT, .label = "Sản phẩm", .max = 2000},
    {.name = "weight", .type = TK_FIELD_REAL, .label = "Trọng số", .fallback = "1.0"},
    {.name = "progress", .type = TK_FIELD_INT, .flags = TK_FIELD_OUTPUT, .label = "Tiến độ"},
    {.name = "completed_on", .type = TK_FIELD_DATE, .flags = TK_FIELD_OUTPUT, .label = "Ngày hoàn thành"},
    {.name = "is_sample", .type = TK_FIELD_BOOL, .label = "Dữ liệu mẫu", .fallback = "false"},
    {.name = "title_folded", .type = TK_FIELD_TEXT, .flags = TK_FIELD_HIDDEN, .label = "Tên (để sắp xếp)"},
    {0},
};
static const char *const task_folded[] = {"title", "responsible_person", "output", NULL};
static const char *const task_extra[] = {"coordinator_ids", NULL};

const tk_resource tk_res_task = {
    .name = "task", .table = "tasks", .label = "nhiệm vụ", .fields = task_fields,
    .folded_column = "search_folded", .folded_from = task_folded, .extra_inputs = task_extra,
    .check = tk_task_check, .after_write = tk_task_after_write, .decorate = tk_task_decorate,
    .list = tk_task_list,
    .owner_sql = "r.lead_org_id", .coowners_sql = "SELECT org_id FROM task_coordinators WHERE task_id = r.id",
    .coowners_by_id = "SELECT org_id FROM task_coordinators WHERE task_id = ?", .write_roles = OFFICE,
};
