#include "service/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cell.h"
#include "core/period.h"
#include "core/text.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/resource.h"
#include "store/sqlbuf.h"

enum { HEADER_SEARCH_ROWS = 10, QUOTE_MAX = 120, MAX_COLUMNS_OF_KIND = 16 };

/* ---- what each kind reads ---- */

/* How a column's cells become the body's member. */
typedef enum column_use {
    USE_TEXT,         /* trimmed text, omitted when empty */
    USE_ORG,          /* a unit, by code or name */
    USE_ORGS,         /* several units */
    USE_DUE,          /* a task's deadline: period text or a date */
    USE_PROGRAM,
    USE_DOCUMENT,
    USE_NUMBER,
    USE_DATE,         /* "YYYY-MM-DD" */
    USE_ORG_KIND,
    USE_INDICATOR,
    USE_ON_DATE,      /* a date, or a period's last day */
    USE_BOOL,
} column_use;

typedef struct column_spec {
    const char *field;        /* the member of the create body (and the service's error field) */
    column_use use;
    bool required;
    const char *const *names; /* the headers accepted; the first is named in messages */
} column_spec;

#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

static const column_spec task_columns[] = {
    {"title", USE_TEXT, true,
     NAMES("Nhiệm vụ", "Nội dung", "Tên nhiệm vụ", "Nội dung nhiệm vụ", "Nội dung công việc", "Task", "Title")},
    {"lead_org_id", USE_ORG, true,
     NAMES("Cơ quan chủ trì", "Đơn vị chủ trì", "Chủ trì", "Cơ quan, đơn vị chủ trì", "Lead unit", "Lead")},
    {"due", USE_DUE, true,
     NAMES("Thời hạn", "Thời gian hoàn thành", "Thời hạn hoàn thành", "Thời gian thực hiện", "Deadline", "Due")},
    {"coordinator_ids", USE_ORGS, false,
     NAMES("Cơ quan phối hợp", "Đơn vị phối hợp", "Phối hợp", "Cơ quan, đơn vị phối hợp", "Coordinating units",
           "Coordinators")},
    {"responsible_person", USE_TEXT, false,
     NAMES("Người chịu trách nhiệm", "Lãnh đạo phụ trách", "Người phụ trách", "Responsible person", "Responsible")},
    {"output", USE_TEXT, false, NAMES("Sản phẩm", "Sản phẩm đầu ra", "Hình thức sản phẩm", "Output")},
    {"program_id", USE_PROGRAM, false, NAMES("Chương trình", "Chương trình công tác", "Program")},
    {"document_id", USE_DOCUMENT, false, NAMES("Văn bản", "Văn bản giao", "Số văn bản", "Document")},
    {"description", USE_TEXT, false, NAMES("Nội dung chi tiết", "Mô tả", "Description")},
    {"weight", USE_NUMBER, false, NAMES("Trọng số", "Weight")},
    {0},
};

static const column_spec org_columns[] = {
    {"name", USE_TEXT, true, NAMES("Tên", "Tên đơn vị", "Tên tổ chức", "Tên cơ quan", "Đơn vị", "Name")},
    {"short_name", USE_TEXT, false, NAMES("Tên viết tắt", "Viết tắt", "Short name")},
    {"code", USE_TEXT, false, NAMES("Mã", "Mã đơn vị", "Mã định danh", "Code")},
    {"parent_id", USE_ORG, false, NAMES("Cấp trên", "Trực thuộc", "Đơn vị cấp trên", "Parent")},
    {"kind", USE_ORG_KIND, false, NAMES("Loại", "Loại đơn vị", "Kind", "Type")},
    {"valid_from", USE_DATE, false, NAMES("Ngày thành lập", "Founded")},
    {0},
};

static const column_spec value_columns[] = {
    {"indicator_id", USE_INDICATOR, true, NAMES("Chỉ tiêu", "Tên chỉ tiêu", "Mã chỉ tiêu", "Indicator")},
    {"on_date", USE_ON_DATE, true,
     NAMES("Kỳ", "Kỳ báo cáo", "Năm", "Ngày", "Thời điểm", "Ngày số liệu", "Period", "Date", "Year")},
    {"value", USE_NUMBER, true, NAMES("Giá trị", "Số liệu", "Kết quả", "Kết quả thực hiện", "Value")},
    {"organization_id", USE_ORG, false, NAMES("Đơn vị", "Đơn vị báo cáo", "Organization")},
    {"note", USE_TEXT, false, NAMES("Ghi chú", "Note")},
    {"is_estimate", USE_BOOL, false, NAMES("Ước tính", "Số ước tính", "Estimate")},
    {0},
};

typedef struct import_kind {
    const char *name;
    const char *alias;
    const tk_resource *res;
    const column_spec *columns;
    const char *label; /* "nhiệm vụ": "Bạn không có quyền nhập nhiệm vụ" */
} import_kind;

static const import_kind kinds[] = {
    {"tasks", NULL, &tk_res_task, task_columns, "nhiệm vụ"},
    {"organizations", NULL, &tk_res_organization, org_columns, "đơn vị"},
    {"indicator_values", "indicator-values", &tk_res_indicator_value, value_columns, "số liệu chỉ tiêu"},
};

/* Organization kinds as people write them; the first name of each is the form's label. */
static const struct {
    const char *value;
    const char *const *names;
} org_kinds[] = {
    {"party_committee", NAMES("Đảng bộ, cấp ủy", "Đảng bộ", "Cấp ủy", "Đảng ủy", "Thành ủy", "Tỉnh ủy")},
    {"standing_committee", NAMES("Ban Thường vụ", "Thường trực", "Thường trực cấp ủy")},
    {"office", NAMES("Văn phòng cấp ủy", "Văn phòng")},
    {"party_board", NAMES("Ban, cơ quan tham mưu của cấp ủy", "Ban", "Ban đảng", "Cơ quan tham mưu")},
    {"party_delegation", NAMES("Đảng đoàn")},
    {"party_caucus", NAMES("Ban cán sự đảng", "Ban cán sự")},
    {"peoples_council", NAMES("Hội đồng nhân dân", "HĐND")},
    {"peoples_committee", NAMES("Ủy ban nhân dân", "UBND")},
    {"department", NAMES("Sở, ban, ngành", "Sở", "Ngành", "Sở ngành")},
    {"district", NAMES("Đảng bộ cấp huyện (quận, huyện, thị xã)", "Cấp huyện", "Quận", "Huyện", "Thị xã")},
    {"commune", NAMES("Đảng bộ cấp xã (phường, xã, thị trấn)", "Cấp xã", "Phường", "Xã", "Thị trấn")},
    {"front", NAMES("Mặt trận Tổ quốc", "MTTQ", "Ủy ban MTTQ")},
    {"mass_organization", NAMES("Tổ chức chính trị - xã hội", "Đoàn thể", "Đoàn thể chính trị - xã hội")},
    {"party_organization", NAMES("Tổ chức đảng")},
    {"base_organization", NAMES("Tổ chức cơ sở đảng", "Tổ chức cơ sở", "TCCS đảng")},
    {"cell", NAMES("Chi bộ")},
    {"other", NAMES("Khác")},
};

/* ---- small text helpers ---- */

static bool is_space_at(const char *s, size_t *len)
{
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') return *len = 1, true;
    if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) return *len = 2, true; /* no-break space */
    return false;
}

/* s without white space around it. New string, or NULL when memory runs out. */
static char *trimmed(const char *s)
{
    size_t n;
    while (*s && is_space_at(s, &n)) s += n;
    size_t end = 0;
    for (size_t i = 0; s[i];) {
        if (is_space_at(s + i, &n)) {
            i += n;
        } else {
            i++;
            end = i;
        }
    }
    char *out = malloc(end + 1);
    if (!out) return NULL;
    memcpy(out, s, end);
    out[end] = '\0';
    return out;
}

/* Text for a message: line breaks as spaces, cut at a character boundary after QUOTE_MAX bytes. */
static const char *quote(const char *s, char buf[QUOTE_MAX + 8])
{
    size_t n = strlen(s);
    bool cut = n > QUOTE_MAX;
    if (cut) {
        n = QUOTE_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    }
    for (size_t i = 0; i < n; i++) buf[i] = s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i];
    if (cut) {
        memcpy(buf + n, "…", strlen("…"));
        n += strlen("…");
    }
    buf[n] = '\0';
    return buf;
}

/* The key a reference is matched by: folded (case, diacritics, đ, spaces), and a number
 * written with leading zeros ("01", as Excel drops them) the same as without. New or NULL. */
static char *match_key(const char *text)
{
    if (!text) return NULL;
    char *key = tk_text_fold(text);
    if (!key || !*key) {
        free(key);
        return NULL;
    }
    if (strspn(key, "0123456789") == strlen(key)) {
        size_t zeros = strspn(key, "0");
        if (zeros == strlen(key)) zeros--;
        memmove(key, key + zeros, strlen(key + zeros) + 1);
    }
    return key;
}

/* ---- references: the objects the caller may see, found by code or name ---- */

typedef struct candidate {
    int64_t id;
    int64_t org_id; /* indicators: their unit, to tell same-named ones apart */
    bool active;
    char *keys[3];  /* match keys: code or number, name or title, short name (NULL: none) */
} candidate;

typedef struct lookup {
    const char *label; /* "đơn vị" */
    candidate *items;
    size_t count, cap;
    bool loaded;
} lookup;

static void lookup_free(lookup *lk)
{
    for (size_t i = 0; i < lk->count; i++)
        for (int k = 0; k < 3; k++) free(lk->items[i].keys[k]);
    free(lk->items);
    lk->items = NULL;
    lk->count = lk->cap = 0;
}

static tk_code lookup_add(lookup *lk, int64_t id, int64_t org_id, bool active, const char *const keys[3], tk_error *err)
{
    if (lk->count == lk->cap) {
        size_t cap = lk->cap ? lk->cap * 2 : 64;
        candidate *grown = realloc(lk->items, cap * sizeof *grown);
        if (!grown) return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
        lk->items = grown;
        lk->cap = cap;
    }
    candidate *c = &lk->items[lk->count++];
    *c = (candidate){.id = id, .org_id = org_id, .active = active};
    for (int k = 0; k < 3; k++) c->keys[k] = match_key(keys[k]);
    return TK_OK;
}

/* Loads the objects of res the caller may see. select: "SELECT r.id, <key 0>, <key 1>,
 * <key 2>, <valid_to>, <org_id> FROM <table> r WHERE 1 = 1". */
static tk_code lookup_load(tk_ctx *ctx, lookup *lk, const tk_resource *res, const char *select, tk_error *err)
{
    if (lk->loaded) return TK_OK;
    lk->loaded = true;
    tk_sqlbuf sql;
    tk_sqlbuf_init(&sql);
    tk_sqlbuf_add(&sql, select, NULL);
    json_t *binds = json_array();
    tk_resource_scope(ctx, res, &sql, binds);
    if (sql.overflow) {
        json_decref(binds);
        return tk_error_set(err, TK_INTERNAL, NULL, "Câu lệnh SQL quá dài");
    }
    tk_stmt *st = tk_db_prepare(ctx->db, sql.text, err);
    tk_code rc = st ? TK_OK : err->code ? err->code : TK_STORAGE;
    if (st) {
        size_t i;
        json_t *v;
        json_array_foreach(binds, i, v) tk_stmt_bind_text(st, (int)i + 1, json_string_value(v));
        char today[TK_DATE_TEXT_MAX];
        tk_date_format_iso(ctx->today, today);
        tk_step s;
        while (!rc && (s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
            const char *keys[3] = {tk_stmt_column_text(st, 1), tk_stmt_column_text(st, 2), tk_stmt_column_text(st, 3)};
            const char *valid_to = tk_stmt_column_text(st, 4);
            rc = lookup_add(lk, tk_stmt_column_int(st, 0), tk_stmt_column_int(st, 5),
                            !valid_to || strcmp(valid_to, today) >= 0, keys, err);
        }
        if (!rc && s == TK_STEP_ERROR) rc = err->code ? err->code : TK_STORAGE;
        tk_stmt_reset(st);
    }
    json_decref(binds);
    return rc;
}

static const char org_select[] =
    "SELECT r.id, r.code, r.name, r.short_name, r.valid_to, NULL FROM organizations r WHERE 1 = 1";
static const char program_select[] = "SELECT r.id, r.number, r.title, NULL, NULL, NULL FROM programs r WHERE 1 = 1";
static const char document_select[] = "SELECT r.id, r.number, r.title, NULL, NULL, NULL FROM documents r WHERE 1 = 1";
static const char indicator_select[] =
    "SELECT r.id, r.code, r.name, NULL, NULL, r.organization_id FROM indicators r WHERE 1 = 1";

/* Finds text among the candidates: by code (or number), else by name, else by short name. When
 * several match: those active today, then (org > 0) those of unit org. Errors name field. */
static tk_code lookup_find(const lookup *lk, const char *text, int64_t org, const char *field, int64_t *out,
                           tk_error *err)
{
    char q[QUOTE_MAX + 8];
    char *key = match_key(text);
    if (!key) return tk_error_set(err, TK_INVALID_INPUT, field, "Không đọc được tên %s \"%s\"", lk->label, quote(text, q));
    size_t found = 0, first = 0;
    for (int k = 0; k < 3 && !found; k++) {
        for (size_t i = 0; i < lk->count; i++) {
            if (!lk->items[i].keys[k] || strcmp(lk->items[i].keys[k], key) != 0) continue;
            if (!found) first = i;
            found++;
        }
        if (found <= 1) continue;
        /* Narrow down: active units, then the row's own unit. Each step keeps the matches of
         * the same key only, so a name never wins over a code. */
        for (int narrow = 0; narrow < 2 && found > 1; narrow++) {
            if (narrow == 1 && org <= 0) break;
            size_t kept = 0, kept_first = 0;
            for (size_t i = 0; i < lk->count; i++) {
                const candidate *c = &lk->items[i];
                if (!c->keys[k] || strcmp(c->keys[k], key) != 0) continue;
                if (narrow == 0 ? !c->active : c->org_id != org) continue;
                if (!kept) kept_first = i;
                kept++;
            }
            if (kept == 1) {
                found = 1;
                first = kept_first;
            }
        }
        if (found > 1) {
            char ids[160] = "";
            size_t len = 0, listed = 0;
            for (size_t i = 0; i < lk->count && listed < 5; i++) {
                if (!lk->items[i].keys[k] || strcmp(lk->items[i].keys[k], key) != 0) continue;
                int n = snprintf(ids + len, sizeof ids - len, "%s%lld", listed ? ", " : "", (long long)lk->items[i].id);
                if (n < 0 || (size_t)n >= sizeof ids - len) break;
                len += (size_t)n;
                listed++;
            }
            free(key);
            return tk_error_set(err, TK_INVALID_INPUT, field,
                                "Có %zu %s cùng tên \"%s\" (mã số %s%s); hãy ghi mã để phân biệt", found, lk->label,
                                quote(text, q), ids, found > listed ? ", …" : "");
        }
    }
    free(key);
    if (!found)
        return tk_error_set(err, TK_NOT_FOUND, field, "Không tìm thấy %s \"%s\" trong những %s bạn được xem", lk->label,
                            quote(text, q), lk->label);
    *out = lk->items[first].id;
    return TK_OK;
}

/* ---- one import ---- */

typedef struct mapped {
    const column_spec *spec;
    size_t col;
    char *header; /* as written, line breaks as spaces */
} mapped;

typedef struct importer {
    tk_ctx *ctx;
    const import_kind *kind;
    const tk_table *table;
    mapped columns[MAX_COLUMNS_OF_KIND];
    size_t column_count;
    lookup orgs, programs, documents, indicators;
    json_t *errors, *would_create, *created_ids;
    size_t error_count, bad_rows;
    bool truncated, forbidden;
} importer;

static const mapped *column_of(const importer *im, const char *field)
{
    for (size_t i = 0; i < im->column_count; i++)
        if (strcmp(im->columns[i].spec->field, field) == 0) return &im->columns[i];
    return NULL;
}

/* Adds an error to the report: line 0 for the file, column NULL for the whole row. */
static void add_error(importer *im, uint32_t line, const char *column, tk_code code, const char *message)
{
    im->error_count++;
    if (code == TK_FORBIDDEN) im->forbidden = true;
    if (json_array_size(im->errors) >= TK_IMPORT_LIST_MAX) {
        im->truncated = true;
        return;
    }
    char text[TK_ERROR_MESSAGE_MAX + 200];
    if (column) snprintf(text, sizeof text, "Dòng %u, cột %s: %s", (unsigned)line, column, message);
    else snprintf(text, sizeof text, "Dòng %u: %s", (unsigned)line, message);
    json_t *entry = json_pack("{s:I, s:s?, s:s, s:s}", "line", (json_int_t)line, "column", column, "code",
                              tk_code_name(code), "message", text);
    if (!entry) /* a message cut inside a character: keep the error, say it plainly */
        entry = json_pack("{s:I, s:s?, s:s, s:s}", "line", (json_int_t)line, "column", column, "code",
                          tk_code_name(code), "message", "Dòng có lỗi");
    json_array_append_new(im->errors, entry);
}

/* An error of the service or a cell reader on a row: the column is the one of its field. */
static void add_row_error(importer *im, uint32_t line, const tk_error *e)
{
    const mapped *m = e->field[0] ? column_of(im, e->field) : NULL;
    add_error(im, line, m ? m->header : NULL, e->code, e->message);
}

static char *clean_header(const char *text)
{
    char *t = trimmed(text);
    if (t)
        for (char *p = t; *p; p++)
            if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
    return t;
}

/* Finds the header row and maps its columns. False with errors added when a required column
 * is missing or named twice. */
static bool map_columns(importer *im, size_t *header_row, json_t *ignored, tk_error *err)
{
    const tk_table *t = im->table;
    size_t rows = tk_table_row_count(t), best = 0, best_count = 0;
    for (size_t r = 0; r < rows && r < HEADER_SEARCH_ROWS; r++) {
        size_t count = 0;
        for (size_t c = 0; c < tk_table_cell_count(t, r); c++)
            for (const column_spec *s = im->kind->columns; s->field; s++)
                if (tk_cell_match_header(tk_table_cell(t, r, c), s->names) >= 0) count++;
        if (count > best_count) {
            best = r;
            best_count = count;
        }
    }
    *header_row = best;
    uint32_t line = tk_table_line(t, best);
    bool ok = true;
    for (size_t c = 0; c < tk_table_cell_count(t, best); c++) {
        const char *cell = tk_table_cell(t, best, c);
        char *header = clean_header(cell);
        if (!header) {
            tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
            return false;
        }
        if (!*header) {
            free(header);
            continue;
        }
        const column_spec *spec = NULL;
        for (const column_spec *s = im->kind->columns; s->field && !spec; s++)
            if (tk_cell_match_header(cell, s->names) >= 0) spec = s;
        if (!spec) {
            json_array_append_new(ignored, json_string(header));
            free(header);
            continue;
        }
        const mapped *twice = column_of(im, spec->field);
        if (twice) {
            char message[TK_ERROR_MESSAGE_MAX];
            snprintf(message, sizeof message, "Cột \"%s\" và cột \"%s\" cùng là cột %s; hãy bỏ một cột", twice->header,
                     header, spec->names[0]);
            add_error(im, line, header, TK_INVALID_INPUT, message);
            free(header);
            ok = false;
            continue;
        }
        im->columns[im->column_count++] = (mapped){.spec = spec, .col = c, .header = header};
    }
    for (const column_spec *s = im->kind->columns; s->field; s++) {
        if (!s->required || column_of(im, s->field)) continue;
        char message[TK_ERROR_MESSAGE_MAX], others[256] = "";
        size_t len = 0;
        for (const char *const *n = s->names + 1; *n; n++) {
            int w = snprintf(others + len, sizeof others - len, "%s\"%s\"", len ? ", " : "", *n);
            if (w < 0 || (size_t)w >= sizeof others - len) {
                others[len] = '\0';
                break;
            }
            len += (size_t)w;
        }
        snprintf(message, sizeof message, "Thiếu cột \"%s\" (hoặc tên khác: %s)", s->names[0], others);
        add_error(im, line, s->names[0], TK_INVALID_INPUT, message);
        ok = false;
    }
    return ok;
}

static tk_code need_orgs(importer *im, tk_error *err)
{
    return lookup_load(im->ctx, &im->orgs, &tk_res_organization, org_select, err);
}

/* Reads a task's deadline: period text as the service reads it, or a date in another
 * spreadsheet form (2021-06-30, 30.06.2021), written back as dd/mm/yyyy. */
static tk_code read_due(const char *text, json_t **out, tk_error *err)
{
    tk_period p;
    tk_error period_err;
    tk_error_clear(&period_err);
    if (tk_period_parse(text, "due", &p, &period_err) == TK_OK) {
        *out = json_string(text);
        return TK_OK;
    }
    tk_date d;
    tk_error ignored;
    if (tk_cell_parse_date(text, "due", &d, &ignored) == TK_OK) {
        char buf[TK_DATE_TEXT_MAX];
        *out = json_string(tk_date_format_vn(d, buf));
        return TK_OK;
    }
    *err = period_err;
    return err->code;
}

/* An indicator value's day: a date, or the last day of a period ("Quý II/2021", "2021"). */
static tk_code read_on_date(const char *text, json_t **out, tk_error *err)
{
    tk_date d;
    tk_error ignored;
    char buf[TK_DATE_TEXT_MAX];
    tk_period p;
    if (tk_cell_parse_date(text, "on_date", &d, &ignored) == TK_OK) {
        *out = json_string(tk_date_format_iso(d, buf));
        return TK_OK;
    }
    tk_code rc = tk_period_parse(text, "on_date", &p, err);
    if (rc) return rc;
    char q[QUOTE_MAX + 8];
    if (p.kind != TK_PERIOD_SPAN)
        return tk_error_set(err, TK_INVALID_PERIOD, "on_date",
                            "\"%s\" không phải một ngày hay một kỳ cụ thể; số liệu cần ngày hoặc kỳ như "
                            "Quý II/2021, năm 2021, 31/12/2021",
                            quote(text, q));
    *out = json_string(tk_date_format_iso(p.last, buf));
    return TK_OK;
}

static tk_code read_bool(const char *text, const char *field, json_t **out, tk_error *err)
{
    static const char *const yes[] = {"x", "có", "co", "đúng", "TRUE", "1", "ước", "ước tính", "yes", NULL};
    static const char *const no[] = {"không", "sai", "FALSE", "0", "no", NULL};
    if (tk_cell_match_header(text, yes) >= 0) *out = json_true();
    else if (tk_cell_match_header(text, no) >= 0) *out = json_false();
    else {
        char q[QUOTE_MAX + 8];
        return tk_error_set(err, TK_INVALID_INPUT, field, "Không hiểu \"%s\": ghi \"x\" hoặc \"có\" khi là số ước tính",
                            quote(text, q));
    }
    return TK_OK;
}

static tk_code read_org_kind(const char *text, json_t **out, tk_error *err)
{
    for (size_t i = 0; i < sizeof org_kinds / sizeof org_kinds[0]; i++) {
        const char *value[] = {org_kinds[i].value, NULL};
        if (strcmp(text, org_kinds[i].value) == 0 || tk_cell_match_header(text, org_kinds[i].names) >= 0 ||
            tk_cell_match_header(text, value) >= 0) {
            *out = json_string(org_kinds[i].value);
            return TK_OK;
        }
    }
    char q[QUOTE_MAX + 8];
    return tk_error_set(err, TK_INVALID_INPUT, "kind",
                        "Không hiểu loại đơn vị \"%s\" (ví dụ: Đảng bộ, Ban Thường vụ, Văn phòng cấp ủy, Sở, "
                        "Quận, Phường, Chi bộ, Khác)",
                        quote(text, q));
}

/* A program by its number ("01", "1", "Chương trình số 01") or its title. */
static tk_code find_program(importer *im, const char *text, int64_t *out, tk_error *err)
{
    tk_code rc = lookup_load(im->ctx, &im->programs, &tk_res_program, program_select, err);
    if (rc) return rc;
    rc = lookup_find(&im->programs, text, 0, "program_id", out, err);
    if (rc != TK_NOT_FOUND) return rc;
    char *folded = tk_text_fold(text);
    if (!folded) return rc;
    const char *rest = folded;
    static const char *const prefixes[] = {"chuong trinh so ", "chuong trinh ", "ctr so ", "ctr ", NULL};
    for (const char *const *p = prefixes; *p; p++)
        if (strncmp(rest, *p, strlen(*p)) == 0) {
            rest += strlen(*p);
            break;
        }
    tk_error second;
    if (rest != folded && lookup_find(&im->programs, rest, 0, "program_id", out, &second) == TK_OK) rc = TK_OK;
    free(folded);
    return rc;
}

/* Builds the create body of one row. Every cell is read, so a row with several bad cells
 * reports them all; returns false when any was bad. */
static bool row_body(importer *im, size_t row, json_t *body, bool *empty, tk_error *err, bool *fatal)
{
    *empty = true;
    uint32_t line = tk_table_line(im->table, row);
    bool ok = true;
    int64_t row_org = 0;
    const mapped *unit = column_of(im, "organization_id");
    for (size_t i = 0; i < im->column_count; i++) {
        const mapped *m = &im->columns[i];
        char *text = trimmed(tk_table_cell(im->table, row, m->col));
        if (!text) {
            *fatal = true;
            tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
            return false;
        }
        if (!*text) {
            free(text);
            continue;
        }
        *empty = false;
        tk_table_kind kind = tk_table_cell_kind(im->table, row, m->col);
        tk_error e;
        tk_error_clear(&e);
        json_t *value = NULL;
        int64_t id = 0;
        tk_code rc = TK_OK;
        const char *field = m->spec->field;
        switch (m->spec->use) {
        case USE_TEXT:
            value = json_string(text);
            break;
        case USE_ORG:
            if (!(rc = need_orgs(im, &e)) && !(rc = lookup_find(&im->orgs, text, 0, field, &id, &e)))
                value = json_integer(id);
            if (m == unit && !rc) row_org = id;
            break;
        case USE_ORGS: {
            if ((rc = need_orgs(im, &e))) break;
            value = json_array();
            bool bad = false;
            /* Each unit is read, so every unknown one is named. */
            char *save = NULL;
            for (char *part = strtok_r(text, ";,\n", &save); part && !rc; part = strtok_r(NULL, ";,\n", &save)) {
                char *name = trimmed(part);
                if (!name) {
                    rc = tk_error_set(&e, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
                    break;
                }
                if (!*name) {
                    free(name);
                    continue;
                }
                tk_error one;
                tk_error_clear(&one);
                if (lookup_find(&im->orgs, name, 0, field, &id, &one)) {
                    add_row_error(im, line, &one);
                    bad = true;
                } else {
                    json_array_append_new(value, json_integer(id));
                }
                free(name);
            }
            if (bad && !rc) {
                ok = false;
                json_decref(value);
                value = NULL;
            }
            break;
        }
        case USE_DUE:
            rc = read_due(text, &value, &e);
            break;
        case USE_PROGRAM:
            if (!(rc = find_program(im, text, &id, &e))) value = json_integer(id);
            break;
        case USE_DOCUMENT:
            if (!(rc = lookup_load(im->ctx, &im->documents, &tk_res_document, document_select, &e)) &&
                !(rc = lookup_find(&im->documents, text, 0, field, &id, &e)))
                value = json_integer(id);
            break;
        case USE_NUMBER: {
            tk_cell_number n;
            if (!(rc = tk_cell_parse_number(text, kind == TK_TABLE_NUMBER ? TK_CELL_DECIMAL_POINT : 0, field, &n, &e)))
                value = json_real(n.value);
            break;
        }
        case USE_DATE: {
            tk_date d;
            char buf[TK_DATE_TEXT_MAX];
            if (!(rc = tk_cell_parse_date(text, field, &d, &e))) value = json_string(tk_date_format_iso(d, buf));
            break;
        }
        case USE_ORG_KIND:
            rc = read_org_kind(text, &value, &e);
            break;
        case USE_INDICATOR:
            /* Resolved after the row's unit is known (below). */
            value = json_string(text);
            break;
        case USE_ON_DATE:
            rc = read_on_date(text, &value, &e);
            break;
        case USE_BOOL:
            rc = read_bool(text, field, &value, &e);
            break;
        }
        free(text);
        if (rc == TK_NO_MEMORY || rc == TK_STORAGE || rc == TK_INTERNAL) {
            *err = e;
            *fatal = true;
            json_decref(value);
            return false;
        }
        if (rc) {
            if (!e.field[0]) snprintf(e.field, sizeof e.field, "%s", field);
            add_row_error(im, line, &e);
            ok = false;
            json_decref(value);
            continue;
        }
        if (value) json_object_set_new(body, field, value);
    }
    /* An indicator's name may be shared by units (each district's own "Tỷ lệ ..."): the row's
     * unit tells them apart. */
    json_t *indicator = json_object_get(body, "indicator_id");
    if (json_is_string(indicator)) {
        tk_error e;
        tk_error_clear(&e);
        int64_t id;
        tk_code rc = lookup_load(im->ctx, &im->indicators, &tk_res_indicator, indicator_select, &e);
        if (!rc) rc = lookup_find(&im->indicators, json_string_value(indicator), row_org, "indicator_id", &id, &e);
        if (rc == TK_NO_MEMORY || rc == TK_STORAGE || rc == TK_INTERNAL) {
            *err = e;
            *fatal = true;
            return false;
        }
        if (rc) {
            add_row_error(im, line, &e);
            ok = false;
            json_object_del(body, "indicator_id");
        } else {
            json_object_set_new(body, "indicator_id", json_integer(id));
        }
    }
    if (im->kind->res == &tk_res_organization && !json_object_get(body, "kind"))
        json_object_set_new(body, "kind", json_string("other"));
    return ok;
}

/* Remembers a unit made by an earlier row, so later rows can name it as their parent. */
static tk_code remember_org(importer *im, const json_t *obj, tk_error *err)
{
    tk_code rc = need_orgs(im, err);
    if (rc) return rc;
    const char *keys[3] = {json_string_value(json_object_get(obj, "code")), json_string_value(json_object_get(obj, "name")),
                           json_string_value(json_object_get(obj, "short_name"))};
    return lookup_add(&im->orgs, json_integer_value(json_object_get(obj, "id")), 0, true, keys, err);
}

/* True when the caller holds, somewhere, a role that may create objects of res. */
static bool may_create_any(const tk_ctx *ctx, const tk_resource *res)
{
    if (tk_auth_is_admin(ctx)) return true;
    for (size_t i = 0; i < ctx->caller->grant_count; i++)
        if (res->write_roles & TK_ROLE_BIT(ctx->caller->grants[i].role)) return true;
    return false;
}

static const import_kind *find_kind(const char *name)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (name && (strcmp(kinds[i].name, name) == 0 || (kinds[i].alias && strcmp(kinds[i].alias, name) == 0)))
            return &kinds[i];
    return NULL;
}

static void importer_free(importer *im)
{
    for (size_t i = 0; i < im->column_count; i++) free(im->columns[i].header);
    lookup_free(&im->orgs);
    lookup_free(&im->programs);
    lookup_free(&im->documents);
    lookup_free(&im->indicators);
    json_decref(im->errors);
    json_decref(im->would_create);
    json_decref(im->created_ids);
}

tk_code tk_import(tk_ctx *ctx, const char *kind_name, const tk_table *table, bool dry_run, json_t **report,
                  tk_error *err)
{
    *report = NULL;
    const import_kind *kind = find_kind(kind_name);
    if (!kind)
        return tk_error_set(err, TK_NOT_FOUND, "kind",
                            "Không nhập được \"%s\": chọn tasks, organizations hoặc indicator_values",
                            kind_name ? kind_name : "");
    if (!may_create_any(ctx, kind->res)) {
        tk_error_set(err, TK_FORBIDDEN, NULL, "Bạn không có quyền nhập %s", kind->label);
        json_t *detail = json_pack("{s:s, s:s}", "import", kind->name, "reason", err->message);
        tk_error ignored;
        tk_audit_record(ctx, "denied", kind->res->name, 0, detail, &ignored);
        json_decref(detail);
        return TK_FORBIDDEN;
    }
    if (tk_table_row_count(table) == 0)
        return tk_error_set(err, TK_INVALID_INPUT, "file", "Tệp không có dòng nào");

    importer im = {.ctx = ctx, .kind = kind, .table = table, .errors = json_array(), .would_create = json_array(),
                   .created_ids = json_array(), .orgs = {.label = "đơn vị"}, .programs = {.label = "chương trình"},
                   .documents = {.label = "văn bản"}, .indicators = {.label = "chỉ tiêu"}};
    json_t *ignored_columns = json_array();
    size_t header_row = 0, rows = 0;
    tk_code rc = tk_db_begin_batch(ctx->db, err);
    if (rc) goto done;
    /* Units made by earlier rows are added as they come, so the list is read before any. */
    if (kind->res == &tk_res_organization && (rc = need_orgs(&im, err))) goto out;
    bool columns_ok = map_columns(&im, &header_row, ignored_columns, err);
    if (err->code) {
        rc = err->code;
        goto out;
    }
    rows = tk_table_row_count(table) - header_row - 1;
    for (size_t r = header_row + 1; columns_ok && r < tk_table_row_count(table); r++) {
        uint32_t line = tk_table_line(table, r);
        json_t *body = json_object();
        bool fatal = false, empty;
        bool good = row_body(&im, r, body, &empty, err, &fatal);
        if (fatal) {
            json_decref(body);
            rc = err->code;
            goto out;
        }
        if (empty) {
            /* Only columns this import does not read were filled (a row number, a remark). */
            json_decref(body);
            rows--;
            continue;
        }
        if (!good) {
            im.bad_rows++;
            json_decref(body);
            continue;
        }
        json_t *obj = NULL;
        tk_error e;
        tk_error_clear(&e);
        tk_code row_rc = tk_resource_create(ctx, kind->res, body, &obj, &e);
        json_decref(body);
        if (row_rc == TK_NO_MEMORY || row_rc == TK_STORAGE || row_rc == TK_INTERNAL) {
            json_decref(obj);
            *err = e;
            rc = row_rc;
            goto out;
        }
        if (row_rc) {
            add_row_error(&im, line, &e);
            im.bad_rows++;
            continue;
        }
        if (kind->res == &tk_res_organization && (rc = remember_org(&im, obj, err))) {
            json_decref(obj);
            goto out;
        }
        json_array_append(im.created_ids, json_object_get(obj, "id"));
        if (dry_run) {
            if (json_array_size(im.would_create) < TK_IMPORT_LIST_MAX) {
                /* Its id, like its times, would only be known when written. */
                json_object_del(obj, "id");
                json_object_del(obj, "created_at");
                json_object_del(obj, "updated_at");
                json_array_append_new(im.would_create, json_pack("{s:I, s:O}", "line", (json_int_t)line, "object", obj));
            } else {
                im.truncated = true;
            }
        }
        json_decref(obj);
    }
    if (!dry_run && im.error_count == 0) {
        json_t *detail = json_pack("{s:s, s:I, s:I}", "kind", kind->name, "rows", (json_int_t)rows, "created",
                                   (json_int_t)json_array_size(im.created_ids));
        rc = tk_audit_append(ctx, "import", kind->res->name, 0, NULL, detail, err);
        json_decref(detail);
    }
out: {
    bool keep = rc == TK_OK && !dry_run && im.error_count == 0;
    tk_code end = tk_db_end(ctx->db, keep ? TK_OK : rc ? rc : TK_INVALID_INPUT, err);
    if (keep || rc) rc = end;
}
done:
    if (rc == TK_OK) {
        bool written = !dry_run && im.error_count == 0;
        json_t *out = json_pack("{s:s, s:b, s:I, s:I, s:O, s:I, s:O, s:b}", "kind", kind->name, "dry_run", dry_run,
                                "rows", (json_int_t)rows, "created",
                                (json_int_t)(written ? json_array_size(im.created_ids) : 0), "errors", im.errors,
                                "error_count", (json_int_t)im.error_count, "ignored_columns", ignored_columns,
                                "truncated", im.truncated);
        if (dry_run) json_object_set(out, "would_create", im.would_create);
        if (written) json_object_set(out, "created_ids", im.created_ids);
        *report = out;
        if (!dry_run && im.error_count) {
            if (im.forbidden) {
                /* The refusals recorded row by row went with the rollback; one stays. */
                json_t *detail = json_pack("{s:s, s:O}", "import", kind->name, "errors", im.errors);
                tk_error ignored;
                tk_audit_record(ctx, "denied", kind->res->name, 0, detail, &ignored);
                json_decref(detail);
            }
            if (im.bad_rows)
                rc = tk_error_set(err, TK_INVALID_INPUT, "file", "Có %zu dòng lỗi trong %zu dòng; chưa ghi dòng nào",
                                  im.bad_rows, rows);
            else
                rc = tk_error_set(err, TK_INVALID_INPUT, "file", "Tệp thiếu cột cần có; chưa ghi dòng nào");
        }
    }
    json_decref(ignored_columns);
    importer_free(&im);
    return rc;
}

/* ---- reading the file ---- */

static bool is_media(const char *type, const char *want)
{
    size_t n = strlen(want);
    return strncasecmp(type, want, n) == 0 && (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

static bool has_extension(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n > e && strcasecmp(name + n - e, ext) == 0;
}

tk_code tk_import_read_table(const char *name_or_type, const void *data, size_t size, tk_table **out, tk_error *err)
{
    const char *what = name_or_type ? name_or_type : "";
    /* An .xlsx file is a zip archive, whatever the name or header says about it. */
    if (size >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) return tk_table_read_xlsx(data, size, out, err);
    if (is_media(what, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") ||
        has_extension(what, ".xlsx"))
        return tk_table_read_xlsx(data, size, out, err);
    if (is_media(what, "text/csv") || is_media(what, "text/plain") || has_extension(what, ".csv") ||
        has_extension(what, ".txt"))
        return tk_table_read_csv(data, size, out, err);
    if (!*what)
        return tk_error_set(err, TK_UNSUPPORTED, "file",
                            "Không rõ loại tệp: chỉ nhập được tệp CSV (.csv, text/csv) hoặc Excel (.xlsx)");
    return tk_error_set(err, TK_UNSUPPORTED, "file",
                        "Chỉ nhập được tệp CSV (.csv, text/csv) hoặc Excel (.xlsx), không phải \"%.200s\"", what);
}
