#include "io/document.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/text.h"

/* The path of the member being checked ("blocks[3].rows[7]"), built up as the check descends
 * so a refusal can name exactly what is wrong. */
typedef struct path {
    char text[TK_ERROR_FIELD_MAX];
} path;

static void path_of(path *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void path_of(path *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->text, sizeof out->text, fmt, ap);
    va_end(ap);
}

/* Strings reach pango and the XML writers as they are, so they must be UTF-8 (jansson checks
 * what it parses, but not what a caller built with json_stringn_nocheck). */
static tk_code check_string_value(const json_t *value, const char *field, tk_error *err)
{
    if (!json_is_string(value)) return tk_error_set(err, TK_INVALID_INPUT, field, "Mục %s phải là một chuỗi", field);
    if (!tk_text_valid_utf8(json_string_value(value), json_string_length(value)))
        return tk_error_set(err, TK_INVALID_UTF8, field, "Mục %s không phải UTF-8 hợp lệ", field);
    return TK_OK;
}

static tk_code need_string(const json_t *obj, const char *key, const char *field, tk_error *err)
{
    const json_t *value = json_object_get(obj, key);
    if (!value) return tk_error_set(err, TK_INVALID_INPUT, field, "Thiếu mục %s", field);
    return check_string_value(value, field, err);
}

static tk_code need_object(const json_t *obj, const char *key, const char *field, const json_t **out, tk_error *err)
{
    *out = json_object_get(obj, key);
    if (!*out) return tk_error_set(err, TK_INVALID_INPUT, field, "Thiếu mục %s", field);
    if (!json_is_object(*out)) return tk_error_set(err, TK_INVALID_INPUT, field, "Mục %s phải là một đối tượng", field);
    return TK_OK;
}

static tk_code need_array(const json_t *obj, const char *key, const char *field, const json_t **out, tk_error *err)
{
    *out = json_object_get(obj, key);
    if (!*out) return tk_error_set(err, TK_INVALID_INPUT, field, "Thiếu mục %s", field);
    if (!json_is_array(*out)) return tk_error_set(err, TK_INVALID_INPUT, field, "Mục %s phải là một mảng", field);
    return TK_OK;
}

static bool is_one_of(const json_t *value, const char *const *names)
{
    const char *s = json_string_value(value);
    for (; *names; names++)
        if (strcmp(s, *names) == 0) return true;
    return false;
}

/* A row or the total: exactly one string per column. */
static tk_code check_cells(const json_t *cells, size_t columns, const char *field, tk_error *err)
{
    if (!json_is_array(cells)) return tk_error_set(err, TK_INVALID_INPUT, field, "Mục %s phải là một mảng các ô", field);
    if (json_array_size(cells) != columns)
        return tk_error_set(err, TK_INVALID_INPUT, field, "Mục %s có %zu ô, trong khi bảng có %zu cột", field,
            json_array_size(cells), columns);
    for (size_t i = 0; i < columns; i++) {
        path p;
        path_of(&p, "%s[%zu]", field, i);
        tk_code rc = check_string_value(json_array_get(cells, i), p.text, err);
        if (rc) return rc;
    }
    return TK_OK;
}

static tk_code check_table(const json_t *block, const char *at, tk_error *err)
{
    static const char *const aligns[] = {"left", "center", "right", NULL};
    path p;
    tk_code rc;
    const json_t *title = json_object_get(block, "title");
    if (title && !json_is_null(title)) {
        path_of(&p, "%s.title", at);
        if ((rc = check_string_value(title, p.text, err))) return rc;
    }

    const json_t *columns;
    path_of(&p, "%s.columns", at);
    if ((rc = need_array(block, "columns", p.text, &columns, err))) return rc;
    size_t ncols = json_array_size(columns);
    if (ncols == 0) return tk_error_set(err, TK_INVALID_INPUT, p.text, "Bảng phải có ít nhất một cột");
    for (size_t i = 0; i < ncols; i++) {
        const json_t *col = json_array_get(columns, i);
        path c;
        path_of(&c, "%s.columns[%zu]", at, i);
        if (!json_is_object(col)) return tk_error_set(err, TK_INVALID_INPUT, c.text, "Mục %s phải là một đối tượng", c.text);
        path_of(&p, "%s.text", c.text);
        if ((rc = need_string(col, "text", p.text, err))) return rc;

        path_of(&p, "%s.width", c.text);
        const json_t *width = json_object_get(col, "width");
        if (!width) return tk_error_set(err, TK_INVALID_INPUT, p.text, "Thiếu mục %s", p.text);
        if (!json_is_number(width) || !isfinite(json_number_value(width)) || !(json_number_value(width) > 0))
            return tk_error_set(err, TK_INVALID_INPUT, p.text, "Độ rộng cột (%s) phải là một số dương", p.text);

        path_of(&p, "%s.align", c.text);
        if ((rc = need_string(col, "align", p.text, err))) return rc;
        if (!is_one_of(json_object_get(col, "align"), aligns))
            return tk_error_set(err, TK_INVALID_INPUT, p.text, "Căn lề cột (%s) phải là left, center hoặc right", p.text);
    }

    const json_t *rows;
    path_of(&p, "%s.rows", at);
    if ((rc = need_array(block, "rows", p.text, &rows, err))) return rc;
    for (size_t r = 0; r < json_array_size(rows); r++) {
        path_of(&p, "%s.rows[%zu]", at, r);
        if ((rc = check_cells(json_array_get(rows, r), ncols, p.text, err))) return rc;
    }

    const json_t *total = json_object_get(block, "total");
    if (total && !json_is_null(total)) {
        path_of(&p, "%s.total", at);
        if ((rc = check_cells(total, ncols, p.text, err))) return rc;
    }
    return TK_OK;
}

static tk_code check_block(const json_t *block, size_t index, tk_error *err)
{
    static const char *const types[] = {"heading", "paragraph", "table", NULL};
    path at, p;
    tk_code rc;
    path_of(&at, "blocks[%zu]", index);
    if (!json_is_object(block)) return tk_error_set(err, TK_INVALID_INPUT, at.text, "Mục %s phải là một đối tượng", at.text);
    path_of(&p, "%s.type", at.text);
    if ((rc = need_string(block, "type", p.text, err))) return rc;
    const json_t *type = json_object_get(block, "type");
    if (!is_one_of(type, types))
        return tk_error_set(err, TK_INVALID_INPUT, p.text, "Loại khối (%s) phải là heading, paragraph hoặc table", p.text);

    const char *t = json_string_value(type);
    if (strcmp(t, "table") == 0) return check_table(block, at.text, err);
    if (strcmp(t, "heading") == 0) {
        path_of(&p, "%s.level", at.text);
        const json_t *level = json_object_get(block, "level");
        if (!level) return tk_error_set(err, TK_INVALID_INPUT, p.text, "Thiếu mục %s", p.text);
        if (!json_is_integer(level) || (json_integer_value(level) != 1 && json_integer_value(level) != 2))
            return tk_error_set(err, TK_INVALID_INPUT, p.text, "Cấp đề mục (%s) phải là 1 hoặc 2", p.text);
    }
    path_of(&p, "%s.text", at.text);
    return need_string(block, "text", p.text, err);
}

tk_code tk_document_check(const json_t *doc, tk_error *err)
{
    static const char *const layouts[] = {"party", "state", NULL};
    tk_code rc;
    if (!json_is_object(doc)) return tk_error_set(err, TK_INVALID_INPUT, "", "Văn bản phải là một đối tượng JSON");

    if ((rc = need_string(doc, "layout", "layout", err))) return rc;
    if (!is_one_of(json_object_get(doc, "layout"), layouts))
        return tk_error_set(err, TK_INVALID_INPUT, "layout", "Thể thức văn bản (layout) phải là party hoặc state");

    const json_t *issuer;
    if ((rc = need_object(doc, "issuer", "issuer", &issuer, err))) return rc;
    if ((rc = need_string(issuer, "parent", "issuer.parent", err))) return rc;
    if ((rc = need_string(issuer, "name", "issuer.name", err))) return rc;

    if ((rc = need_string(doc, "number", "number", err))) return rc;
    if ((rc = need_string(doc, "place", "place", err))) return rc;
    if ((rc = need_string(doc, "date", "date", err))) return rc;
    tk_date date;
    if (!tk_date_parse_iso(json_string_value(json_object_get(doc, "date")), &date))
        return tk_error_set(err, TK_INVALID_INPUT, "date", "Ngày ban hành phải là một ngày có thật, dạng YYYY-MM-DD");
    if ((rc = need_string(doc, "kind", "kind", err))) return rc;
    if ((rc = need_string(doc, "title", "title", err))) return rc;

    const json_t *blocks;
    if ((rc = need_array(doc, "blocks", "blocks", &blocks, err))) return rc;
    for (size_t i = 0; i < json_array_size(blocks); i++)
        if ((rc = check_block(json_array_get(blocks, i), i, err))) return rc;

    const json_t *recipients;
    if ((rc = need_array(doc, "recipients", "recipients", &recipients, err))) return rc;
    for (size_t i = 0; i < json_array_size(recipients); i++) {
        path p;
        path_of(&p, "recipients[%zu]", i);
        if ((rc = check_string_value(json_array_get(recipients, i), p.text, err))) return rc;
    }

    const json_t *signature;
    if ((rc = need_object(doc, "signature", "signature", &signature, err))) return rc;
    if ((rc = need_string(signature, "authority", "signature.authority", err))) return rc;
    if ((rc = need_string(signature, "position", "signature.position", err))) return rc;
    if ((rc = need_string(signature, "name", "signature.name", err))) return rc;
    return TK_OK;
}

/* The length of the longest prefix of s (valid UTF-8) within max bytes that does not cut a
 * character. */
static size_t utf8_prefix(const char *s, size_t max)
{
    size_t len = strlen(s);
    if (len <= max) return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
    return max;
}

void tk_document_date_line(const json_t *doc, char out[TK_DOCUMENT_DATE_LINE_MAX])
{
    const char *place = json_string_value(json_object_get(doc, "place"));
    const char *iso = json_string_value(json_object_get(doc, "date"));
    if (!place) place = "";
    char date[64] = "";
    tk_date d;
    if (iso && tk_date_parse_iso(iso, &d)) {
        int year, month, day;
        tk_date_to_ymd(d, &year, &month, &day);
        /* NĐ 30/2020 Phụ lục I: days below 10 and the months 1 and 2 are written with a leading
         * zero, so "tháng 1" cannot later be made into "tháng 11" or "tháng 12". */
        snprintf(date, sizeof date, "ngày %02d tháng %s%d năm %d", day, month <= 2 ? "0" : "", month, year);
    }
    const char *sep = place[0] && date[0] ? ", " : "";
    size_t room = TK_DOCUMENT_DATE_LINE_MAX - 1 - strlen(sep) - strlen(date);
    snprintf(out, TK_DOCUMENT_DATE_LINE_MAX, "%.*s%s%s", (int)utf8_prefix(place, room), place, sep, date);
}
