#include "http/form.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/text.h"

enum { MAX_FIELDS = 1000 };

static int hex(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes one name or value of len bytes into a new NUL-terminated string. */
static tk_code decode(const char *s, size_t len, char **out, tk_error *err)
{
    char *buf = malloc(len + 1), *w = buf;
    if (!buf) return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '+') {
            *w++ = ' ';
            continue;
        }
        if (s[i] != '%') {
            *w++ = s[i];
            continue;
        }
        int hi = i + 1 < len ? hex(s[i + 1]) : -1;
        int lo = i + 2 < len ? hex(s[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
            free(buf);
            return tk_error_set(err, TK_INVALID_INPUT, NULL, "Dữ liệu biểu mẫu có mã %% không hợp lệ");
        }
        *w++ = (char)(hi * 16 + lo);
        i += 2;
    }
    size_t n = (size_t)(w - buf);
    *w = '\0';
    if (!tk_text_valid_utf8(buf, n) || memchr(buf, '\0', n)) {
        free(buf);
        return tk_error_set(err, TK_INVALID_UTF8, NULL, "Dữ liệu biểu mẫu không phải UTF-8 hợp lệ");
    }
    *out = buf;
    return TK_OK;
}

tk_code tk_form_parse(const char *data, size_t len, json_t **out, tk_error *err)
{
    json_t *form = json_object();
    size_t start = 0, fields = 0;
    tk_code rc = TK_OK;
    while (start < len && !rc) {
        const char *amp = memchr(data + start, '&', len - start);
        size_t end = amp ? (size_t)(amp - data) : len;
        if (end > start) {
            if (++fields > MAX_FIELDS) {
                rc = tk_error_set(err, TK_TOO_LARGE, NULL, "Biểu mẫu có quá nhiều trường");
                break;
            }
            const char *eq = memchr(data + start, '=', end - start);
            size_t name_end = eq ? (size_t)(eq - data) : end;
            char *name = NULL, *value = NULL;
            rc = decode(data + start, name_end - start, &name, err);
            if (!rc) rc = decode(eq ? eq + 1 : data + end, eq ? end - name_end - 1 : 0, &value, err);
            if (!rc) {
                json_t *old = json_object_get(form, name);
                if (!old) {
                    json_object_set_new(form, name, json_string(value));
                } else if (json_is_array(old)) {
                    json_array_append_new(old, json_string(value));
                } else {
                    json_object_set_new(form, name, json_pack("[O, s]", old, value));
                }
            }
            free(name);
            free(value);
        }
        start = end + 1;
    }
    if (rc) {
        json_decref(form);
        return rc;
    }
    *out = form;
    return TK_OK;
}

/* Form text of one value; arrays (a multi-select) take their last entry. */
static const char *text_of(const json_t *v)
{
    if (json_is_array(v)) v = json_array_get(v, json_array_size(v) - 1);
    return json_string_value(v);
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return false;
    return true;
}

/* True when s is digits grouped by dots in threes: "21.914", "1.234.567". */
static bool dot_grouped(const char *s)
{
    if (*s == '-') s++;
    size_t lead = strspn(s, "0123456789");
    if (lead < 1 || lead > 3 || s[lead] != '.') return false;
    for (s += lead; *s; s += 4)
        if (s[0] != '.' || strspn(s + 1, "0123456789") < 3 || (s[4] != '\0' && s[4] != '.')) return false;
    return true;
}

/* Numbers as people write them ("5,8"; "21.914"; "1.234,5") and as programs do ("5.8"): a comma
 * is the decimal separator and dots group thousands; without a comma, a dot is decimal unless
 * the digits after every dot come in threes. */
static bool parse_number(const char *s, double *out)
{
    char buf[64];
    size_t n = 0;
    bool drop_dots = strchr(s, ',') != NULL || dot_grouped(s);
    for (const char *p = s; *p; p++) {
        if (n + 2 >= sizeof buf) return false;
        if (*p == '.' && drop_dots) continue;
        buf[n++] = *p == ',' ? '.' : *p;
    }
    buf[n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (errno || end == buf || *end || strchr(buf, 'x') || strchr(buf, 'X') || strchr(buf, 'n') || strchr(buf, 'N'))
        return false;
    *out = v;
    return true;
}

static bool parse_vn_date(const char *s, char iso[TK_DATE_TEXT_MAX])
{
    tk_date d;
    if (tk_date_parse_iso(s, &d)) {
        tk_date_format_iso(d, iso);
        return true;
    }
    int day, month, year, used = 0;
    if (sscanf(s, "%2d/%2d/%4d%n", &day, &month, &year, &used) == 3 && s[used] == '\0' &&
        tk_date_valid(year, month, day)) {
        tk_date_format_iso(tk_date_from_ymd(year, month, day), iso);
        return true;
    }
    return false;
}

static tk_code convert(const tk_field *f, const char *text, json_t **out, tk_error *err)
{
    if (f->type == TK_FIELD_BOOL) {
        *out = json_boolean(text != NULL);
        return TK_OK;
    }
    if (!text || blank(text)) {
        *out = json_null();
        return TK_OK;
    }
    switch (f->type) {
    case TK_FIELD_INT:
    case TK_FIELD_REF: {
        char *end;
        errno = 0;
        long long v = strtoll(text, &end, 10);
        if (errno || *end || end == text)
            return tk_error_set(err, TK_INVALID_INPUT, f->name, "%s phải là số nguyên", f->label);
        *out = json_integer(v);
        return TK_OK;
    }
    case TK_FIELD_REAL: {
        double v;
        if (!parse_number(text, &v)) return tk_error_set(err, TK_INVALID_INPUT, f->name, "%s phải là số", f->label);
        *out = json_real(v);
        return TK_OK;
    }
    case TK_FIELD_DATE: {
        char iso[TK_DATE_TEXT_MAX];
        if (!parse_vn_date(text, iso))
            return tk_error_set(err, TK_INVALID_INPUT, f->name, "%s phải là một ngày có thật, viết dd/mm/yyyy",
                                f->label);
        *out = json_string(iso);
        return TK_OK;
    }
    default:
        *out = json_string(text);
        return *out ? TK_OK : tk_error_set(err, TK_INVALID_UTF8, f->name, "%s không phải UTF-8 hợp lệ", f->label);
    }
}

tk_code tk_form_to_body(const tk_resource *res, const json_t *form, bool creating, const char *const *extra,
                        json_t **out, tk_error *err)
{
    json_t *body = json_object();
    for (const tk_field *f = res->fields; f->name; f++) {
        if (f->flags & (TK_FIELD_OUTPUT | TK_FIELD_HIDDEN)) continue;
        if (!creating && (f->flags & TK_FIELD_IMMUTABLE)) continue;
        json_t *v = json_object_get(form, f->name);
        /* An unchecked checkbox sends nothing: on a form that shows it, absence means false. */
        if (!v && f->type == TK_FIELD_BOOL && !json_object_get(form, "_checkboxes")) continue;
        if (!v && f->type != TK_FIELD_BOOL) continue;
        const char *text = text_of(v);
        if (creating && text && blank(text) && !(f->flags & TK_FIELD_REQUIRED)) continue;
        json_t *value;
        tk_code rc = convert(f, text, &value, err);
        if (rc) {
            json_decref(body);
            return rc;
        }
        json_object_set_new(body, f->name, value);
    }
    for (const char *const *e = extra; e && *e; e++) {
        json_t *v = json_object_get(form, *e);
        if (!v) continue;
        json_t *ids = json_array();
        json_t *list = json_is_array(v) ? json_incref(v) : json_pack("[O]", v);
        size_t i;
        json_t *item;
        json_array_foreach(list, i, item) {
            const char *s = json_string_value(item);
            if (!s || blank(s)) continue;
            char *end;
            long long id = strtoll(s, &end, 10);
            if (*end || id <= 0) {
                json_decref(list);
                json_decref(ids);
                json_decref(body);
                return tk_error_set(err, TK_INVALID_INPUT, *e, "Mã số không hợp lệ: \"%s\"", s);
            }
            json_array_append_new(ids, json_integer(id));
        }
        json_decref(list);
        json_object_set_new(body, *e, ids);
    }
    *out = body;
    return TK_OK;
}
