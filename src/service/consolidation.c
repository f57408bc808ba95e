#include "service/consolidation.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>

#include "core/date.h"
#include "core/numeral.h"
#include "core/period.h"
#include "core/status.h"
#include "core/text.h"
#include "service/indicator.h"
#include "service/report.h"

enum {
    MISSING_NAMED = 20, /* units the completeness paragraph names before "và N đơn vị khác" */
    INITIALS_MAX = 10,
};

static tk_code storage(tk_error *err)
{
    return err->code ? err->code : tk_error_set(err, TK_STORAGE, NULL, "Lỗi cơ sở dữ liệu");
}

static tk_code no_memory(tk_error *err)
{
    return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
}

/* printf into a new string; NULL when out of memory. */
static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *out = n < 0 ? NULL : malloc((size_t)n + 1);
    if (!out) return NULL;
    va_start(ap, fmt);
    vsnprintf(out, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return out;
}

static const char *text_of(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* s in upper case by Vietnamese rules (ICU: "Đảng bộ thành phố Hà Nội" -> "ĐẢNG BỘ THÀNH PHỐ HÀ
 * NỘI"; toupper() knows nothing of "ả" or "ộ"). New string; NULL when out of memory. */
static char *upper(const char *s)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t n16 = 0, n_up = 0, n8 = 0;
    u_strFromUTF8(NULL, 0, &n16, s, -1, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e)) return strdup(s);
    e = U_ZERO_ERROR;
    /* Upper case can lengthen a string (ß -> SS); three times is more than any mapping needs. */
    UChar *src = malloc(((size_t)n16 + 1) * sizeof *src), *dst = malloc(((size_t)n16 * 3 + 1) * sizeof *dst);
    char *out = NULL;
    if (!src || !dst) goto done;
    u_strFromUTF8(src, n16 + 1, NULL, s, -1, &e);
    if (!U_FAILURE(e)) n_up = u_strToUpper(dst, n16 * 3 + 1, src, n16, "vi", &e);
    if (!U_FAILURE(e)) u_strToUTF8(NULL, 0, &n8, dst, n_up, &e);
    if (e == U_BUFFER_OVERFLOW_ERROR || !U_FAILURE(e)) {
        e = U_ZERO_ERROR;
        out = malloc((size_t)n8 + 1);
        if (out) u_strToUTF8(out, n8 + 1, NULL, dst, n_up, &e);
        if (out && U_FAILURE(e)) {
            free(out);
            out = strdup(s);
        }
    } else {
        out = strdup(s);
    }
done:
    free(src);
    free(dst);
    return out;
}

/* "Văn phòng Thành ủy Hà Nội" -> "VPTUHN": the first letters of the folded words, for the
 * blank document number of a unit without a customary abbreviation. */
static void initials(const char *name, char out[INITIALS_MAX + 1])
{
    char *folded = tk_text_fold(name);
    size_t n = 0;
    bool start = true;
    for (const char *p = folded ? folded : ""; *p && n < INITIALS_MAX; p++) {
        if (*p == ' ' || *p == '-') {
            start = true;
        } else {
            if (start && *p >= 'a' && *p <= 'z') out[n++] = (char)(*p - 'a' + 'A');
            start = false;
        }
    }
    out[n] = '\0';
    free(folded);
}

/* The locality a unit's name carries, for the place of the date line: the words after the
 * first of "thành phố", "tỉnh", "quận", ... up to the next such word ("Ủy ban nhân dân quận Hoàn
 * Kiếm thành phố Hà Nội" -> "Hoàn Kiếm"). New string, NULL when the name has none. */
static char *locality(const char *name)
{
    static const char *const markers[] = {" thành phố ", " tỉnh ",   " thị xã ", " quận ",    " huyện ",
                                          " thị trấn ",  " phường ", " xã ",     " đặc khu ", NULL};
    const char *best = NULL;
    size_t best_len = 0;
    for (const char *const *m = markers; *m; m++) {
        const char *p = strstr(name, *m);
        if (p && (!best || p < best)) {
            best = p;
            best_len = strlen(*m);
        }
    }
    if (!best) return NULL;
    const char *start = best + best_len, *end = start + strlen(start);
    for (const char *const *m = markers; *m; m++) {
        const char *p = strstr(start, *m);
        if (p && p < end) end = p;
    }
    while (end > start && end[-1] == ' ') end--;
    return end > start ? strndup(start, (size_t)(end - start)) : NULL;
}

/* ---- the issuing unit ---- */

typedef struct issuer {
    char *kind, *name, *parent_kind, *parent_name; /* new strings; parent's NULL for a root */
} issuer;

static void issuer_free(issuer *u)
{
    free(u->kind);
    free(u->name);
    free(u->parent_kind);
    free(u->parent_name);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static tk_code read_issuer(tk_ctx *ctx, int64_t org, issuer *u, tk_error *err)
{
    memset(u, 0, sizeof *u);
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT o.kind, o.name, p.kind, p.name FROM organizations o "
                                "LEFT JOIN organizations p ON p.id = o.parent_id WHERE o.id = ?",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, org);
    tk_step s = tk_stmt_step(st, err);
    if (s == TK_STEP_ERROR) return storage(err);
    if (s == TK_STEP_DONE) return tk_error_set(err, TK_NOT_FOUND, "org", "Không có đơn vị mã số %lld", (long long)org);
    u->kind = strdup(tk_stmt_column_text(st, 0));
    u->name = strdup(tk_stmt_column_text(st, 1));
    u->parent_kind = dup_or_null(tk_stmt_column_text(st, 2));
    u->parent_name = dup_or_null(tk_stmt_column_text(st, 3));
    tk_stmt_reset(st);
    if (!u->kind || !u->name || (!u->parent_name) != (!u->parent_kind)) {
        issuer_free(u);
        return no_memory(err);
    }
    return TK_OK;
}

static bool is_peoples_committee(const char *kind)
{
    return kind && strcmp(kind, "peoples_committee") == 0;
}

/* A party organization's committee, by the level the name says (Hướng dẫn 36-HD/VPTW):
 * "Đảng bộ thành phố Hà Nội" issues as "THÀNH ỦY", abbreviated "TU" in document numbers. */
static const struct {
    const char *after; /* the words after "Đảng bộ " */
    const char *committee, *abbr, *authority;
} committees[] = {
    {"thành phố ", "THÀNH ỦY", "TU", "T/M BAN THƯỜNG VỤ"}, {"tỉnh ", "TỈNH ỦY", "TU", "T/M BAN THƯỜNG VỤ"},
    {"quận ", "QUẬN ỦY", "QU", "T/M BAN THƯỜNG VỤ"},       {"huyện ", "HUYỆN ỦY", "HU", "T/M BAN THƯỜNG VỤ"},
    {"thị xã ", "THỊ ỦY", "TU", "T/M BAN THƯỜNG VỤ"},      {"", "ĐẢNG ỦY", "ĐU", "T/M ĐẢNG ỦY"},
};

static const char party_prefix[] = "Đảng bộ ";

/* A committee named for itself ("Tỉnh ủy Thanh Hóa"): the party organization it leads, as
 * "Đảng bộ tỉnh Thanh Hóa" would be written. */
static const struct {
    const char *prefix, *level;
} committee_names[] = {
    {"Thành ủy ", "thành phố "}, {"Tỉnh ủy ", "tỉnh "},  {"Quận ủy ", "quận "},
    {"Huyện ủy ", "huyện "},     {"Thị ủy ", "thị xã "},
};

/* "Đảng bộ tỉnh Thanh Hóa" for "Tỉnh ủy Thanh Hóa"; NULL for any other name. New string. */
static char *party_of_committee(const char *name)
{
    for (size_t i = 0; i < sizeof committee_names / sizeof committee_names[0]; i++)
        if (starts_with(name, committee_names[i].prefix))
            return format("%s%s%s", party_prefix, committee_names[i].level, name + strlen(committee_names[i].prefix));
    return NULL;
}

typedef struct heading {
    json_t *issuer; /* {"parent", "name"} */
    char number[256];
    char *place;
    const char *authority, *position;
} heading;

static void make_heading(const issuer *u, bool state, heading *h)
{
    char *party = state ? NULL : party_of_committee(u->name);
    const char *own = party ? party : u->name;
    /* Hướng dẫn 36-HD/VPTW names the party organization above, not its committee. */
    char *parent_party = state || !u->parent_name ? NULL : party_of_committee(u->parent_name);
    char *name = upper(own),
         *parent = u->parent_name ? upper(parent_party ? parent_party : u->parent_name) : strdup("");
    free(parent_party);
    char abbr[INITIALS_MAX + 1];
    h->authority = h->position = "";
    if (state) {
        if (is_peoples_committee(u->kind)) {
            /* A People's Committee is its own heading; a unit under a body is named below it. */
            if (parent) parent[0] = '\0';
            snprintf(abbr, sizeof abbr, "UBND");
            h->authority = "TM. ỦY BAN NHÂN DÂN";
            h->position = "CHỦ TỊCH";
        } else {
            initials(u->name, abbr);
            static const char ubnd[] = "ỦY BAN NHÂN DÂN ";
            if (parent && starts_with(parent, ubnd)) {
                char *short_name = format("UBND %s", parent + strlen(ubnd));
                if (short_name) {
                    free(parent);
                    parent = short_name;
                }
            }
        }
        snprintf(h->number, sizeof h->number, "Số:      /BC-%s", abbr);
    } else if (starts_with(own, party_prefix)) {
        const char *rest = own + strlen(party_prefix);
        size_t i = 0;
        while (!starts_with(rest, committees[i].after)) i++; /* the last entry matches anything */
        free(parent);
        parent = name;
        name = strdup(committees[i].committee);
        snprintf(h->number, sizeof h->number, "Số    -BC/%s", committees[i].abbr);
        h->authority = committees[i].authority;
    } else {
        if (starts_with(u->name, "Đảng ủy "))
            snprintf(abbr, sizeof abbr, "ĐU");
        else
            initials(u->name, abbr);
        snprintf(h->number, sizeof h->number, "Số    -BC/%s", abbr);
    }
    h->issuer = json_pack("{s:s, s:s}", "parent", parent ? parent : "", "name", name ? name : "");
    free(name);
    free(parent);
    h->place = locality(own);
    if (!h->place && u->parent_name) {
        char *above = party_of_committee(u->parent_name);
        h->place = locality(above ? above : u->parent_name);
        free(above);
    }
    if (!h->place) h->place = strdup(u->name);
    free(party);
}

/* ---- the query ---- */

typedef struct options {
    const char *layout, *number, *place, *authority, *position, *signer;
} options;

static tk_code text_option(const json_t *query, const char *key, const char **out, tk_error *err)
{
    *out = NULL;
    json_t *v = json_object_get(query, key);
    if (!v || json_is_null(v)) return TK_OK;
    const char *s = json_string_value(v);
    if (!s) return tk_error_set(err, TK_INVALID_INPUT, key, "\"%s\" phải là văn bản", key);
    if (!tk_text_valid_utf8(s, strlen(s)))
        return tk_error_set(err, TK_INVALID_UTF8, key, "\"%s\" không phải UTF-8 hợp lệ", key);
    if (tk_text_length(s) > TK_CONSOLIDATION_TEXT_MAX)
        return tk_error_set(err, TK_INVALID_INPUT, key, "\"%s\" dài quá %d ký tự", key, TK_CONSOLIDATION_TEXT_MAX);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20) return tk_error_set(err, TK_INVALID_INPUT, key, "\"%s\" có ký tự điều khiển", key);
    if (*s) *out = s;
    return TK_OK;
}

static tk_code read_options(const json_t *query, options *o, tk_error *err)
{
    memset(o, 0, sizeof *o);
    tk_code rc;
    if ((rc = text_option(query, "layout", &o->layout, err))) return rc;
    if (o->layout && strcmp(o->layout, "party") != 0 && strcmp(o->layout, "state") != 0)
        return tk_error_set(err, TK_INVALID_INPUT, "layout",
                            "Thể thức phải là \"party\" (văn bản của Đảng) hoặc \"state\" (văn bản hành chính)");
    if ((rc = text_option(query, "number", &o->number, err))) return rc;
    if ((rc = text_option(query, "place", &o->place, err))) return rc;
    if ((rc = text_option(query, "signer_authority", &o->authority, err))) return rc;
    if ((rc = text_option(query, "signer_position", &o->position, err))) return rc;
    return text_option(query, "signer_name", &o->signer, err);
}

/* ---- task counts ---- */

typedef struct tally {
    int64_t assigned, due, status[TK_STATUS_COUNT];
} tally;

static void tally_add(tally *t, const char *due_kind, const char *due_last, const char *completed_on, int64_t n,
                      tk_date on)
{
    tk_task_facts facts = {0};
    if (!tk_period_kind_from_name(due_kind, &facts.due_kind)) facts.due_kind = TK_PERIOD_CONTINUOUS;
    bool has_deadline = due_last && tk_date_parse_iso(due_last, &facts.due_last); /* '' in task_rollup: none */
    facts.completed = completed_on && tk_date_parse_iso(completed_on, &facts.completed_on);
    t->assigned += n;
    if (facts.due_kind == TK_PERIOD_SPAN && has_deadline && facts.due_last <= on) t->due += n;
    t->status[tk_status_of(&facts, on)] += n;
}

static void tally_merge(tally *into, const tally *t)
{
    into->assigned += t->assigned;
    into->due += t->due;
    for (int s = 0; s < TK_STATUS_COUNT; s++) into->status[s] += t->status[s];
}

static json_t *count_text(int64_t n)
{
    char buf[32];
    if (!tk_number_format((double)n, 0, true, buf, sizeof buf)) snprintf(buf, sizeof buf, "%lld", (long long)n);
    return json_string(buf);
}

/* [number, label, assigned, due, on time, late, in progress, overdue]; number "" for a total. */
static json_t *tally_row(const char *number, const char *label, const tally *t)
{
    json_t *row = json_pack("[s, s]", number, label);
    json_array_append_new(row, count_text(t->assigned));
    json_array_append_new(row, count_text(t->due));
    json_array_append_new(row, count_text(t->status[TK_STATUS_DONE_ON_TIME]));
    json_array_append_new(row, count_text(t->status[TK_STATUS_DONE_LATE]));
    json_array_append_new(row, count_text(t->status[TK_STATUS_IN_PROGRESS]));
    json_array_append_new(row, count_text(t->status[TK_STATUS_OVERDUE]));
    return row;
}

static json_t *column(const char *text, double width, const char *align)
{
    return json_pack("{s:s, s:f, s:s}", "text", text, "width", width, "align", align);
}

static json_t *tally_columns(const char *what)
{
    return json_pack("[o, o, o, o, o, o, o, o]", column("STT", 0.9, "center"), column(what, 5.2, "left"),
                     column("Được giao", 1.15, "right"), column("Đã đến hạn", 1.15, "right"),
                     column("Hoàn thành đúng hạn", 1.15, "right"), column("Hoàn thành quá hạn", 1.15, "right"),
                     column("Đang thực hiện trong hạn", 1.15, "right"),
                     column("Quá hạn chưa hoàn thành", 1.15, "right"));
}

static json_t *table(const char *title, json_t *columns, json_t *rows, json_t *total)
{
    json_t *block =
        json_pack("{s:s, s:s, s:o, s:o}", "type", "table", "title", title, "columns", columns, "rows", rows);
    if (total) json_object_set_new(block, "total", total);
    return block;
}

static void add_heading(json_t *blocks, const char *text)
{
    json_array_append_new(blocks, json_pack("{s:s, s:i, s:s}", "type", "heading", "level", 1, "text", text));
}

static void add_paragraph(json_t *blocks, const char *text)
{
    json_array_append_new(blocks, json_pack("{s:s, s:s}", "type", "paragraph", "text", text));
}

/* Tasks per direct child of org (its subtree: task_rollup scope 1), org's own tasks first in a
 * row of their own (scope 0), and the total. Children closed before the cut-off day are left
 * out unless tasks remain with them. Two statements, each reading a few rows per unit. */
static tk_code units_table(tk_ctx *ctx, int64_t org, const char *org_name, tk_date on, const char *title, json_t **out,
                           tk_error *err)
{
    char day[TK_DATE_TEXT_MAX];
    tk_date_format_iso(on, day);
    json_t *rows = json_array();
    tally total = {0}, own = {0};
    size_t number = 0;
    char n[24];

    tk_stmt *st = tk_db_prepare(
        ctx->db, "SELECT due_kind, due_last, completed_on, n FROM task_rollup WHERE org_id = ? AND scope = 0", err);
    if (!st) goto fail;
    tk_stmt_bind_int(st, 1, org);
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW)
        tally_add(&own, tk_stmt_column_text(st, 0), tk_stmt_column_text(st, 1), tk_stmt_column_text(st, 2),
                  tk_stmt_column_int(st, 3), on);
    if (s == TK_STEP_ERROR) goto fail;
    if (own.assigned) {
        char *label = format("%s (trực tiếp chủ trì)", org_name);
        if (!label) {
            json_decref(rows);
            return no_memory(err);
        }
        snprintf(n, sizeof n, "%zu", ++number);
        json_array_append_new(rows, tally_row(n, label, &own));
        free(label);
        tally_merge(&total, &own);
    }

    st = tk_db_prepare(ctx->db,
                       "SELECT o.id, o.name, t.due_kind, t.due_last, t.completed_on, t.n FROM organizations o "
                       "LEFT JOIN task_rollup t ON t.org_id = o.id AND t.scope = 1 "
                       "WHERE o.parent_id = ?1 AND (t.n IS NOT NULL OR ((o.valid_from IS NULL OR o.valid_from <= ?2) "
                       "AND (o.valid_to IS NULL OR o.valid_to >= ?2))) "
                       "ORDER BY o.name, o.id",
                       err);
    if (!st) goto fail;
    tk_stmt_bind_int(st, 1, org);
    tk_stmt_bind_text(st, 2, day);
    int64_t current = 0;
    char *name = NULL;
    tally unit = {0};
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        int64_t id = tk_stmt_column_int(st, 0);
        if (id != current) {
            if (name) {
                snprintf(n, sizeof n, "%zu", ++number);
                json_array_append_new(rows, tally_row(n, name, &unit));
                tally_merge(&total, &unit);
                free(name);
            }
            current = id;
            name = strdup(tk_stmt_column_text(st, 1));
            memset(&unit, 0, sizeof unit);
            if (!name) break;
        }
        if (!tk_stmt_column_is_null(st, 5))
            tally_add(&unit, tk_stmt_column_text(st, 2), tk_stmt_column_text(st, 3), tk_stmt_column_text(st, 4),
                      tk_stmt_column_int(st, 5), on);
    }
    if (s == TK_STEP_ROW) { /* out of memory for a name */
        tk_stmt_reset(st);
        json_decref(rows);
        return no_memory(err);
    }
    if (name) {
        snprintf(n, sizeof n, "%zu", ++number);
        json_array_append_new(rows, tally_row(n, name, &unit));
        tally_merge(&total, &unit);
        free(name);
    }
    if (s == TK_STEP_ERROR) goto fail;
    *out = table(title, tally_columns("Đơn vị"), rows, tally_row("", "Tổng cộng", &total));
    return TK_OK;
fail:
    json_decref(rows);
    return storage(err);
}

/* Tasks of the subtree per program, programs in their documents' order, tasks outside any
 * program last. One grouped statement over the subtree's tasks. */
static tk_code programs_table(tk_ctx *ctx, int64_t org, tk_date on, const char *title, json_t **out, tk_error *err)
{
    tk_stmt *st =
        tk_db_prepare(ctx->db,
                      "SELECT t.program_id, p.number, p.title, t.due_kind, t.due_last, t.completed_on, count(*) "
                      "FROM org_ancestors a JOIN tasks t ON t.lead_org_id = a.org_id "
                      "LEFT JOIN programs p ON p.id = t.program_id "
                      "WHERE a.ancestor_id = ? "
                      "GROUP BY t.program_id, t.due_kind, t.due_last, t.completed_on "
                      "ORDER BY t.program_id IS NULL, p.document_id, p.number, t.program_id",
                      err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, org);
    json_t *rows = json_array();
    tally total = {0}, program = {0};
    size_t number = 0;
    int64_t current = -1;
    char *label = NULL, n[24];
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        int64_t id = tk_stmt_column_is_null(st, 0) ? 0 : tk_stmt_column_int(st, 0);
        if (id != current) {
            if (label) {
                snprintf(n, sizeof n, "%zu", ++number);
                json_array_append_new(rows, tally_row(n, label, &program));
                tally_merge(&total, &program);
                free(label);
                label = NULL;
            }
            current = id;
            memset(&program, 0, sizeof program);
            const char *pnum = tk_stmt_column_text(st, 1), *ptitle = tk_stmt_column_text(st, 2);
            label = !id             ? strdup("Nhiệm vụ không thuộc chương trình")
                    : pnum && *pnum ? format("Chương trình số %s: %s", pnum, ptitle ? ptitle : "")
                                    : strdup(ptitle ? ptitle : "");
            if (!label) break;
        }
        tally_add(&program, tk_stmt_column_text(st, 3), tk_stmt_column_text(st, 4), tk_stmt_column_text(st, 5),
                  tk_stmt_column_int(st, 6), on);
    }
    if (s == TK_STEP_ROW) {
        tk_stmt_reset(st);
        json_decref(rows);
        return no_memory(err);
    }
    if (label) {
        snprintf(n, sizeof n, "%zu", ++number);
        json_array_append_new(rows, tally_row(n, label, &program));
        tally_merge(&total, &program);
        free(label);
    }
    if (s == TK_STEP_ERROR) {
        json_decref(rows);
        return storage(err);
    }
    *out = table(title, tally_columns("Chương trình"), rows, tally_row("", "Tổng cộng", &total));
    return TK_OK;
}

/* ---- indicators ---- */

static void number_text(const json_t *v, char *buf, size_t cap)
{
    if (!json_is_number(v) || !tk_number_format(json_number_value(v), 2, true, buf, cap)) buf[0] = '\0';
}

static const char *assessment_label(const char *a)
{
    if (strcmp(a, "achieved") == 0) return "Đã đạt";
    if (strcmp(a, "on_track") == 0) return "Có khả năng đạt";
    if (strcmp(a, "off_track") == 0) return "Khó đạt";
    return "Chưa đủ số liệu";
}

static tk_code indicators_table(tk_ctx *ctx, int64_t org, tk_date on, const char *title, json_t *blocks, tk_error *err)
{
    json_t *summary = NULL;
    tk_code rc = tk_indicator_summaries(ctx, org, on, &summary, err);
    if (rc) return rc;
    json_t *items = json_object_get(summary, "items");
    if (json_array_size(items) == 0) {
        add_paragraph(blocks, "Chưa có chỉ tiêu nào của các đơn vị trong phạm vi báo cáo.");
        json_decref(summary);
        return TK_OK;
    }
    json_t *rows = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        json_t *latest = json_object_get(item, "latest"), *next = json_object_get(item, "next_milestone");
        json_t *projection = json_object_get(item, "projection");
        char n[24], value[64] = "", on_date[TK_DATE_TEXT_MAX] = "", year[16] = "", target[320] = "", trend[64] = "";
        snprintf(n, sizeof n, "%zu", i + 1);
        if (json_is_object(latest)) {
            number_text(json_object_get(latest, "value"), value, sizeof value);
            tk_date d;
            if (tk_date_parse_iso(text_of(latest, "on_date"), &d)) tk_date_format_vn(d, on_date);
            if (json_is_true(json_object_get(latest, "is_estimate")) && value[0])
                strncat(value, " (ước)", sizeof value - strlen(value) - 1);
        }
        if (json_is_object(next)) {
            snprintf(year, sizeof year, "%lld", (long long)json_integer_value(json_object_get(next, "year")));
            number_text(json_object_get(next, "value"), target, sizeof target);
            if (!target[0]) snprintf(target, sizeof target, "%s", text_of(next, "text"));
        }
        if (json_is_object(projection)) number_text(json_object_get(projection, "value"), trend, sizeof trend);
        json_t *row = json_pack("[s, s, s, s, s, s, s, s, s]", n, text_of(item, "name"), text_of(item, "unit"), value,
                                on_date, year, target, trend, assessment_label(text_of(item, "assessment")));
        json_array_append_new(rows, row);
    }
    json_t *columns =
        json_pack("[o, o, o, o, o, o, o, o, o]", column("STT", 1, "center"), column("Chỉ tiêu", 3, "left"),
                  column("Đơn vị tính", 1.3, "left"), column("Kết quả", 1.2, "right"),
                  column("Ngày số liệu", 2.2, "center"), column("Mốc", 1.1, "center"), column("Mục tiêu", 1.2, "right"),
                  column("Dự báo đến mốc", 1.2, "right"), column("Đánh giá", 1.5, "left"));
    json_array_append_new(blocks, table(title, columns, rows, NULL));
    if (json_is_true(json_object_get(summary, "has_more"))) {
        char *more = format("Bảng chỉ nêu %d chỉ tiêu đầu tiên.", TK_INDICATOR_SUMMARY_MAX);
        if (more) add_paragraph(blocks, more);
        free(more);
    }
    json_decref(summary);
    return TK_OK;
}

/* ---- the units' reports ---- */

/* The content of every submitted or accepted report of the period under org, by org id ("12"). */
static tk_code read_contents(tk_ctx *ctx, int64_t schedule_id, const char *key, int64_t org, json_t **out,
                             tk_error *err)
{
    tk_stmt *st =
        tk_db_prepare(ctx->db,
                      "SELECT r.org_id, v.content FROM unit_reports r "
                      "JOIN org_ancestors a ON a.org_id = r.org_id AND a.ancestor_id = ?3 "
                      "JOIN unit_report_revisions v ON v.id = r.current_revision_id "
                      "WHERE r.schedule_id = ?1 AND r.period_key = ?2 AND r.status IN ('submitted', 'accepted')",
                      err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, schedule_id);
    tk_stmt_bind_text(st, 2, key);
    tk_stmt_bind_int(st, 3, org);
    json_t *map = json_object();
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)tk_stmt_column_int(st, 0));
        json_t *content = json_loads(tk_stmt_column_text(st, 1), 0, NULL);
        if (content) json_object_set_new(map, id, content);
    }
    if (s == TK_STEP_ERROR) {
        json_decref(map);
        return storage(err);
    }
    *out = map;
    return TK_OK;
}

/* One section (results, limitations, ...) of every report, in the order of the status' units
 * (child by child), each paragraph led by the unit's name. */
static void add_section(json_t *blocks, const char *heading_text, const char *section, const json_t *units,
                        const json_t *contents)
{
    add_heading(blocks, heading_text);
    size_t i, found = 0;
    json_t *unit;
    json_array_foreach(units, i, unit)
    {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(unit, "org_id")));
        const char *text = text_of(json_object_get(contents, id), section);
        bool blank = true;
        for (const char *p = text; *p && blank; p++) blank = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
        if (blank) continue;
        char *para = format("%s: %s", text_of(unit, "name"), text);
        if (para) add_paragraph(blocks, para);
        free(para);
        found++;
    }
    if (!found) add_paragraph(blocks, "Các báo cáo đã gửi chưa nêu nội dung này.");
}

/* "Đến ngày 20/07/2021, 4/5 đơn vị đã gửi báo cáo Quý II/2021 (3 đúng hạn, 1 sau hạn 25/06/2021);
 * 1 đơn vị chưa gửi: Phường B1." New string. */
static char *completeness_text(const json_t *status, tk_date today)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return NULL;
    char day[TK_DATE_TEXT_MAX], due[TK_DATE_TEXT_MAX];
    tk_date d = 0;
    json_t *period = json_object_get(status, "period");
    tk_date_parse_iso(text_of(period, "due"), &d);
    tk_date_format_vn(d, due);
    long long expected = json_integer_value(json_object_get(status, "expected"));
    long long submitted = json_integer_value(json_object_get(status, "submitted"));
    long long on_time = json_integer_value(json_object_get(status, "on_time"));
    long long late = json_integer_value(json_object_get(status, "late"));
    long long missing = json_integer_value(json_object_get(status, "missing"));
    fprintf(f, "Đến ngày %s, %lld/%lld đơn vị phải báo cáo đã gửi báo cáo %s (%lld đúng hạn, %lld sau hạn %s)",
            tk_date_format_vn(today, day), submitted, expected, text_of(period, "label"), on_time, late, due);
    if (missing) {
        fprintf(f, "; %lld đơn vị chưa gửi: ", missing);
        size_t i, named = 0;
        json_t *unit;
        json_array_foreach(json_object_get(status, "outstanding"), i, unit)
        {
            if (named == MISSING_NAMED) break;
            fprintf(f, "%s%s", named ? ", " : "", text_of(unit, "name"));
            named++;
        }
        if ((long long)named < missing) fprintf(f, " và %lld đơn vị khác", missing - (long long)named);
        fputc('.', f);
    } else if (expected) {
        fputs("; tất cả các đơn vị đã gửi báo cáo.", f);
    } else {
        fputs(".", f);
    }
    fclose(f);
    return text;
}

/* A row of the completeness table: the first two cells, then the counts in `counts` (a unit's or
 * the period's: tk_report_status gives both the same members). */
static json_t *completeness_row(const char *first, const char *name, const json_t *counts)
{
    static const char *const keys[] = {"expected", "submitted", "on_time", "late", "missing"};
    json_t *row = json_pack("[s, s]", first, name);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        json_array_append_new(row, count_text(json_integer_value(json_object_get(counts, keys[k]))));
    return row;
}

static json_t *completeness_table(const json_t *status, const char *title)
{
    json_t *rows = json_array();
    size_t i;
    json_t *child;
    json_array_foreach(json_object_get(status, "children"), i, child)
    {
        char n[24];
        snprintf(n, sizeof n, "%zu", i + 1);
        json_array_append_new(rows, completeness_row(n, text_of(child, "name"), child));
    }
    json_t *total = completeness_row("", "Tổng cộng", status);
    json_t *columns =
        json_pack("[o, o, o, o, o, o, o]", column("STT", 0.9, "center"), column("Đơn vị", 6, "left"),
                  column("Phải báo cáo", 1.2, "right"), column("Đã gửi", 1.1, "right"),
                  column("Đúng hạn", 1.1, "right"), column("Sau hạn", 1.1, "right"), column("Chưa gửi", 1.1, "right"));
    return table(title, columns, rows, total);
}

/* ---- the document ---- */

tk_code tk_report_consolidate(tk_ctx *ctx, int64_t schedule_id, const char *period_key, const json_t *query,
                              json_t **doc, tk_error *err)
{
    *doc = NULL;
    json_t *status = NULL, *contents = NULL, *result = NULL, *blocks = NULL, *block = NULL;
    issuer u = {0};
    heading h = {0};
    char *text = NULL;
    /* The schedule, the period, org and the caller's right to see org's subtree, checked once. */
    tk_code rc = tk_report_status(ctx, schedule_id, period_key, query, &status, err);
    if (rc) return rc;
    options o;
    if ((rc = read_options(query, &o, err))) goto out;
    json_t *period = json_object_get(status, "period");
    int64_t org = json_integer_value(json_object_get(json_object_get(status, "org"), "id"));
    const char *org_name = text_of(json_object_get(status, "org"), "name");
    tk_date cutoff = 0, last = 0;
    tk_date_parse_iso(text_of(period, "data_last"), &cutoff);
    tk_date_parse_iso(text_of(period, "last"), &last);
    if ((rc = read_issuer(ctx, org, &u, err))) goto out;
    bool state =
        o.layout ? strcmp(o.layout, "state") == 0 : is_peoples_committee(u.kind) || is_peoples_committee(u.parent_kind);
    make_heading(&u, state, &h);

    blocks = json_array();
    char day[TK_DATE_TEXT_MAX], cut[TK_DATE_TEXT_MAX];
    tk_date_format_vn(cutoff, cut);
    if (!(text = completeness_text(status, ctx->today))) {
        rc = no_memory(err);
        goto out;
    }
    add_paragraph(blocks, text);
    free(text);
    text = NULL;
    json_array_append_new(blocks, completeness_table(status, "Bảng 1. Tình hình gửi báo cáo của các đơn vị"));

    add_heading(blocks, "I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ");
    if (!(text = format("Số liệu tính đến ngày %s, ngày chốt số liệu của kỳ báo cáo %s.", cut,
                        text_of(period, "label")))) {
        rc = no_memory(err);
        goto out;
    }
    add_paragraph(blocks, text);
    free(text);
    text = NULL;
    if ((rc = units_table(ctx, org, org_name, cutoff, "Bảng 2. Nhiệm vụ theo đơn vị", &block, err))) goto out;
    json_array_append_new(blocks, block);
    if ((rc = programs_table(ctx, org, cutoff, "Bảng 3. Nhiệm vụ theo chương trình", &block, err))) goto out;
    json_array_append_new(blocks, block);
    block = NULL;

    add_heading(blocks, "II. CHỈ TIÊU");
    if ((rc = indicators_table(ctx, org, last, "Bảng 4. Chỉ tiêu so với mục tiêu của mốc gần nhất", blocks, err)))
        goto out;

    if ((rc = read_contents(ctx, schedule_id, text_of(period, "key"), org, &contents, err))) goto out;
    json_t *units = json_object_get(status, "units");
    add_section(blocks, "III. KẾT QUẢ ĐẠT ĐƯỢC", "results", units, contents);
    add_section(blocks, "IV. HẠN CHẾ", "limitations", units, contents);
    add_section(blocks, "V. NGUYÊN NHÂN", "causes", units, contents);
    add_section(blocks, "VI. ĐỀ XUẤT, KIẾN NGHỊ", "proposals", units, contents);

    json_t *recipients = json_array();
    if (u.parent_name) {
        text = format("%s (để báo cáo),", u.parent_name);
        if (text) json_array_append_new(recipients, json_string(text));
        free(text);
        text = NULL;
    }
    json_array_append_new(recipients, json_string("Các đơn vị trực thuộc,"));
    json_array_append_new(recipients, json_string("Lưu Văn phòng."));

    char *title = format("Kết quả thực hiện %s %s", text_of(status, "title"), text_of(period, "label"));
    if (!title) {
        json_decref(recipients);
        rc = no_memory(err);
        goto out;
    }
    result = json_pack("{s:s, s:O, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:{s:s, s:s, s:s}}", "layout",
                       state ? "state" : "party", "issuer", h.issuer, "number", o.number ? o.number : h.number, "place",
                       o.place ? o.place : h.place, "date", tk_date_format_iso(ctx->today, day), "kind", "BÁO CÁO",
                       "title", title, "blocks", blocks, "recipients", recipients, "signature", "authority",
                       o.authority ? o.authority : h.authority, "position", o.position ? o.position : h.position,
                       "name", o.signer ? o.signer : "");
    free(title);
    blocks = NULL; /* stolen by json_pack's "o", even when it fails */
    if (!result) {
        rc = tk_error_set(err, TK_INTERNAL, NULL, "Không dựng được báo cáo tổng hợp");
        goto out;
    }
    *doc = result;
    result = NULL;
out:
    free(text);
    json_decref(result);
    json_decref(blocks);
    json_decref(contents);
    json_decref(status);
    json_decref(h.issuer);
    free(h.place);
    issuer_free(&u);
    return rc;
}
