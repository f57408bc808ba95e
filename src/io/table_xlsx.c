/* io/table: the XLSX reader. An .xlsx file is a zip archive of XML parts (ECMA-376 part 1):
 * xl/workbook.xml lists the sheets, xl/_rels/workbook.xml.rels says which part holds each,
 * xl/sharedStrings.xml holds the text most cells point to, xl/styles.xml the number format of
 * each cell style, and each worksheet its rows of cells. */
#include "io/table.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include "core/cell.h"
#include "core/date.h"

/* The files come from users, so the XML parser fetches nothing and expands nothing: no
 * network (NONET), no external DTD (DTDLOAD/DTDATTR not set), no entity substitution (NOENT
 * not set: "billion laughs" entities stay unexpanded references), no XInclude, and libxml2's
 * default limits on node size and depth (HUGE not set). Parts of an .xlsx never have a
 * DOCTYPE, so one is refused outright (walk_xml()). */
enum { XML_OPTIONS = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING };

enum {
    PATH_MAX_LEN = 256,  /* a part's name in the archive; Excel's are under 40 bytes */
    RELS_MAX = 4096,     /* relationships of the workbook read; a workbook has one per sheet */
    ROW_NUMBER_MAX = 1048576, /* Excel's last row */
};

typedef enum rel_kind { REL_OTHER, REL_WORKSHEET, REL_SHARED_STRINGS, REL_STYLES } rel_kind;

typedef struct rel {
    char id[64];
    char path[PATH_MAX_LEN];
    rel_kind kind;
} rel;

typedef struct xlsx {
    zip_t *zip;
    size_t budget; /* uncompressed bytes still allowed */
    tk_table *table;
    tk_error *err;
    rel *rels;
    size_t rel_count;
    char sheet_path[PATH_MAX_LEN];
    bool sheet_found;
    bool date1904; /* serial 0 is 1904-01-01 (workbooks from old Excel for Mac) */
    uint32_t *shared; /* handles of the shared strings, in order */
    size_t shared_count, shared_cap;
    uint8_t *date_style; /* per cell style (cellXfs index): 1 when its number format is a date */
    size_t style_count;
} xlsx;

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2 2.9 wants its first initialization done once, not raced by server threads. */
static void init_xml(void)
{
    xmlInitParser();
}

/* libxml2 prints some errors (bad encodings in a part) to stderr whatever the parser options;
 * a user's broken file is reported in the answer, not in the server's log. */
static void quiet(void *context, const char *message, ...)
{
    (void)context;
    (void)message;
}

static tk_code corrupt(xlsx *x, const char *part)
{
    return tk_error_set(x->err, TK_INVALID_INPUT, "file",
                        "Tệp .xlsx bị hỏng: không đọc được phần %s. Hãy mở tệp bằng Excel và "
                        "lưu lại",
                        part);
}

static tk_code no_memory(xlsx *x)
{
    return tk_error_set(x->err, TK_NO_MEMORY, "file", "Không đủ bộ nhớ");
}

/* Reads a part of the archive into *buf (new, NUL-terminated), counting it against the
 * budget. A missing optional part gives *buf NULL and TK_OK. */
static tk_code read_part(xlsx *x, const char *name, bool optional, char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    zip_int64_t index = zip_name_locate(x->zip, name, ZIP_FL_NOCASE);
    if (index < 0) {
        if (optional) return TK_OK;
        return tk_error_set(x->err, TK_INVALID_INPUT, "file",
                            "Tệp không phải tệp Excel .xlsx hợp lệ (thiếu phần %s)", name);
    }
    zip_file_t *file = zip_fopen_index(x->zip, (zip_uint64_t)index, 0);
    if (!file) return corrupt(x, name);
    /* The sizes in the archive's directory are the sender's word: read until the end, and
     * stop at the budget whatever they say. */
    tk_code rc = TK_OK;
    size_t cap = 0, n = 0;
    char *data = NULL;
    for (;;) {
        if (n == cap) {
            if (n > x->budget) {
                rc = tk_error_set(x->err, TK_TOO_LARGE, "file",
                                  "Tệp .xlsx giải nén ra hơn %d MiB: hãy chia tệp để nhập "
                                  "từng phần",
                                  TK_TABLE_XLSX_UNCOMPRESSED_MAX / (1024 * 1024));
                goto out;
            }
            size_t grown_cap = cap ? cap * 2 : 64 * 1024;
            if (grown_cap > x->budget + 1) grown_cap = x->budget + 1;
            char *grown = realloc(data, grown_cap + 1);
            if (!grown) {
                rc = no_memory(x);
                goto out;
            }
            data = grown;
            cap = grown_cap;
        }
        zip_int64_t got = zip_fread(file, data + n, cap - n);
        if (got < 0) {
            rc = corrupt(x, name);
            goto out;
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    data[n] = '\0';
    x->budget -= n;
    *buf = data;
    *len = n;
    data = NULL;
out:
    free(data);
    zip_fclose(file);
    return rc;
}

/* Called for every node; name is the local name (prefixes vary between writers). */
typedef tk_code (*node_fn)(xlsx *x, xmlTextReaderPtr reader, int type, const char *name,
                           void *state);

static tk_code walk_xml(xlsx *x, const char *part, const char *buf, size_t len, node_fn fn,
                        void *state)
{
    xmlTextReaderPtr reader = xmlReaderForMemory(buf, (int)len, part, NULL, XML_OPTIONS);
    if (!reader) return no_memory(x);
    tk_code rc = TK_OK;
    int more = 0;
    while (rc == TK_OK && (more = xmlTextReaderRead(reader)) == 1) {
        int type = xmlTextReaderNodeType(reader);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
            rc = corrupt(x, part);
            break;
        }
        const char *name = (const char *)xmlTextReaderConstLocalName(reader);
        rc = fn(x, reader, type, name ? name : "", state);
    }
    if (rc == TK_OK && more < 0) rc = corrupt(x, part);
    xmlFreeTextReader(reader);
    return rc;
}

/* Copies attribute name of the current element into out; false when absent or too long. */
static bool attr(xmlTextReaderPtr reader, const char *name, char *out, size_t size)
{
    xmlChar *value = xmlTextReaderGetAttribute(reader, (const xmlChar *)name);
    if (!value) return false;
    size_t len = strlen((const char *)value);
    bool fits = len < size;
    if (fits) memcpy(out, value, len + 1);
    xmlFree(value);
    return fits;
}

static bool is_text(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* Parses a whole unsigned decimal number of at most 9 digits. */
static bool parse_uint(const char *s, uint32_t *out)
{
    uint32_t v = 0;
    int n = 0;
    for (; *s >= '0' && *s <= '9'; s++, n++) {
        if (n == 9) return false;
        v = v * 10 + (uint32_t)(*s - '0');
    }
    if (n == 0 || *s) return false;
    *out = v;
    return true;
}

/* ---- workbook and relationships ---- */

/* A relationship's target is relative to xl/, or absolute from the archive's root. */
static bool resolve(const char *target, char out[PATH_MAX_LEN])
{
    int n = target[0] == '/' ? snprintf(out, PATH_MAX_LEN, "%s", target + 1)
                             : snprintf(out, PATH_MAX_LEN, "xl/%s", target);
    return n > 0 && n < PATH_MAX_LEN;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static tk_code on_rels(xlsx *x, xmlTextReaderPtr reader, int type, const char *name, void *state)
{
    (void)state;
    if (type != XML_READER_TYPE_ELEMENT || strcmp(name, "Relationship") != 0) return TK_OK;
    if (x->rel_count == RELS_MAX) return TK_OK;
    rel *r = &x->rels[x->rel_count];
    char target[PATH_MAX_LEN], kind[256];
    if (!attr(reader, "Id", r->id, sizeof r->id) || !attr(reader, "Target", target, sizeof target) ||
        !attr(reader, "Type", kind, sizeof kind) || !resolve(target, r->path))
        return TK_OK;
    r->kind = ends_with(kind, "/worksheet")       ? REL_WORKSHEET
              : ends_with(kind, "/sharedStrings") ? REL_SHARED_STRINGS
              : ends_with(kind, "/styles")        ? REL_STYLES
                                                  : REL_OTHER;
    x->rel_count++;
    return TK_OK;
}

static const rel *find_rel(const xlsx *x, const char *id)
{
    for (size_t i = 0; i < x->rel_count; i++)
        if (strcmp(x->rels[i].id, id) == 0) return &x->rels[i];
    return NULL;
}

static tk_code on_workbook(xlsx *x, xmlTextReaderPtr reader, int type, const char *name,
                           void *state)
{
    bool *any_sheet = state;
    if (type != XML_READER_TYPE_ELEMENT) return TK_OK;
    if (strcmp(name, "workbookPr") == 0) {
        char v[8];
        if (attr(reader, "date1904", v, sizeof v)) x->date1904 = !strcmp(v, "1") || !strcmp(v, "true");
        return TK_OK;
    }
    if (strcmp(name, "sheet") != 0 || x->sheet_found) return TK_OK;
    *any_sheet = true;
    /* r:id, whatever the prefix: the relationships namespace differs between transitional
     * and strict files. */
    char id[64] = "";
    while (xmlTextReaderMoveToNextAttribute(reader) == 1) {
        const char *local = (const char *)xmlTextReaderConstLocalName(reader);
        const char *value = (const char *)xmlTextReaderConstValue(reader);
        if (local && value && strcmp(local, "id") == 0 && xmlTextReaderConstNamespaceUri(reader) &&
            strlen(value) < sizeof id)
            strcpy(id, value);
    }
    xmlTextReaderMoveToElement(reader);
    const rel *r = find_rel(x, id);
    if (r && r->kind == REL_WORKSHEET) {
        memcpy(x->sheet_path, r->path, sizeof x->sheet_path);
        x->sheet_found = true;
    }
    return TK_OK;
}

/* ---- styles ---- */

/* True when an Excel format code shows a date: it has d or y, or m without h or s (then m is
 * minutes), outside quoted text ("..."), escaped characters (\x), fill and padding (*x, _x)
 * and brackets ([Red], [$-42A], [h]). */
static bool date_format_code(const char *code)
{
    bool day_or_year = false, month = false, time = false;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (c == '"') {
            while (p[1] && p[1] != '"') p++;
            if (p[1]) p++;
        } else if (c == '\\' || c == '_' || c == '*') {
            if (p[1]) p++;
        } else if (c == '[') {
            while (p[1] && p[1] != ']') p++;
            if (p[1]) p++;
        } else {
            if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
            if (c == 'd' || c == 'y') day_or_year = true;
            else if (c == 'm') month = true;
            else if (c == 'h' || c == 's') time = true;
        }
    }
    return day_or_year || (month && !time);
}

/* Built-in formats that show a date (ECMA-376 18.8.30, with the East Asian ones). 18-21 and
 * 45-47 show only a time of day. */
static bool date_format_id(uint32_t id)
{
    return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

typedef struct styles {
    struct custom {
        uint32_t id;
        bool date;
    } *custom;
    size_t custom_count, custom_cap;
    uint32_t *xf_format; /* numFmtId of each cellXfs entry */
    size_t xf_count, xf_cap;
    bool in_cell_xfs;
} styles;

/* Makes room for one more element in an array of count; NULL (items kept) without memory. */
static void *grow(void *items, size_t *cap, size_t count, size_t size)
{
    if (count < *cap) return items;
    size_t n = *cap ? *cap * 2 : 64;
    void *grown = realloc(items, n * size);
    if (grown) *cap = n;
    return grown;
}

static tk_code on_styles(xlsx *x, xmlTextReaderPtr reader, int type, const char *name, void *state)
{
    styles *s = state;
    if (type == XML_READER_TYPE_END_ELEMENT && strcmp(name, "cellXfs") == 0) s->in_cell_xfs = false;
    if (type != XML_READER_TYPE_ELEMENT) return TK_OK;
    char v[1024];
    uint32_t id = 0;
    if (strcmp(name, "cellXfs") == 0) {
        s->in_cell_xfs = !xmlTextReaderIsEmptyElement(reader);
    } else if (strcmp(name, "numFmt") == 0) {
        if (!attr(reader, "numFmtId", v, sizeof v) || !parse_uint(v, &id)) return TK_OK;
        bool date = attr(reader, "formatCode", v, sizeof v) && date_format_code(v);
        struct custom *grown = grow(s->custom, &s->custom_cap, s->custom_count, sizeof *grown);
        if (!grown) return no_memory(x);
        s->custom = grown;
        s->custom[s->custom_count].id = id;
        s->custom[s->custom_count++].date = date;
    } else if (strcmp(name, "xf") == 0 && s->in_cell_xfs) {
        if (!attr(reader, "numFmtId", v, sizeof v) || !parse_uint(v, &id)) id = 0;
        uint32_t *grown = grow(s->xf_format, &s->xf_cap, s->xf_count, sizeof *grown);
        if (!grown) return no_memory(x);
        s->xf_format = grown;
        s->xf_format[s->xf_count++] = id;
    }
    return TK_OK;
}

static tk_code read_styles(xlsx *x, const char *path)
{
    char *buf;
    size_t len;
    tk_code rc = read_part(x, path, true, &buf, &len);
    if (rc || !buf) return rc;
    styles s = {0};
    rc = walk_xml(x, path, buf, len, on_styles, &s);
    if (!rc && s.xf_count) {
        x->date_style = calloc(s.xf_count, 1);
        if (!x->date_style) rc = no_memory(x);
    }
    if (!rc) {
        x->style_count = s.xf_count;
        for (size_t i = 0; i < s.xf_count; i++) {
            /* A custom format may reuse a built-in id; the workbook's own definition wins. */
            bool date = date_format_id(s.xf_format[i]), custom = false;
            for (size_t k = 0; k < s.custom_count && !custom; k++)
                if (s.custom[k].id == s.xf_format[i]) date = s.custom[k].date, custom = true;
            x->date_style[i] = date;
        }
    }
    free(s.custom);
    free(s.xf_format);
    free(buf);
    return rc;
}

/* ---- text ---- */

/* Collects the text of a cell or shared string, up to TK_TABLE_CELL_MAX bytes. */
typedef struct text_buf {
    char *s; /* TK_TABLE_CELL_MAX + 1 bytes */
    size_t len;
    bool over;
} text_buf;

static void text_append(text_buf *t, const char *s)
{
    size_t n = strlen(s);
    if (n > TK_TABLE_CELL_MAX - t->len) {
        t->over = true;
        return;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Excel writes characters XML cannot hold (and CR, and "_x" itself as "_x005F_x") as
 * _xHHHH_ (ECMA-376 22.9.2.19, ST_Xstring); this turns them back, in place. */
static void decode_escapes(text_buf *t)
{
    size_t o = 0;
    for (size_t i = 0; i < t->len;) {
        if (t->len - i >= 7 && t->s[i] == '_' && t->s[i + 1] == 'x' && t->s[i + 6] == '_') {
            int h[4] = {hex_value(t->s[i + 2]), hex_value(t->s[i + 3]), hex_value(t->s[i + 4]),
                        hex_value(t->s[i + 5])};
            if (h[0] >= 0 && h[1] >= 0 && h[2] >= 0 && h[3] >= 0) {
                unsigned cp = (unsigned)(h[0] << 12 | h[1] << 8 | h[2] << 4 | h[3]);
                if (cp < 0xD800 || cp > 0xDFFF) {
                    if (cp < 0x80) {
                        t->s[o++] = (char)cp;
                    } else if (cp < 0x800) {
                        t->s[o++] = (char)(0xC0 | cp >> 6);
                        t->s[o++] = (char)(0x80 | (cp & 0x3F));
                    } else {
                        t->s[o++] = (char)(0xE0 | cp >> 12);
                        t->s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                        t->s[o++] = (char)(0x80 | (cp & 0x3F));
                    }
                    i += 7;
                    continue;
                }
            }
        }
        t->s[o++] = t->s[i++];
    }
    t->len = o;
}

/* ---- shared strings ---- */

typedef struct strings {
    text_buf text;
    bool in_si, in_t, in_rph;
} strings;

static tk_code add_shared(xlsx *x, strings *s)
{
    if (s->text.over)
        return tk_error_set(x->err, TK_TOO_LARGE, "file", "Chuỗi thứ %zu của tệp dài hơn %d KiB",
                            x->shared_count + 1, TK_TABLE_CELL_MAX / 1024);
    decode_escapes(&s->text);
    uint32_t *grown = grow(x->shared, &x->shared_cap, x->shared_count, sizeof *grown);
    if (!grown) return no_memory(x);
    x->shared = grown;
    uint32_t handle;
    tk_code rc = tk_table_add_text(x->table, s->text.s, s->text.len, &handle, x->err);
    if (rc) {
        char message[TK_ERROR_MESSAGE_MAX];
        memcpy(message, x->err->message, sizeof message);
        return tk_error_set(x->err, rc, "file", "Chuỗi thứ %zu của tệp: %s", x->shared_count + 1,
                            message);
    }
    x->shared[x->shared_count++] = handle;
    s->text.len = 0;
    return TK_OK;
}

static tk_code on_strings(xlsx *x, xmlTextReaderPtr reader, int type, const char *name,
                          void *state)
{
    strings *s = state;
    if (type == XML_READER_TYPE_ELEMENT) {
        bool empty = xmlTextReaderIsEmptyElement(reader) == 1;
        if (strcmp(name, "si") == 0) {
            s->text.len = 0;
            s->text.over = false;
            s->in_si = !empty;
            if (empty) return add_shared(x, s);
        } else if (strcmp(name, "t") == 0) {
            s->in_t = !empty;
        } else if (strcmp(name, "rPh") == 0) {
            /* Phonetic guides (furigana) are not part of the text. */
            s->in_rph = !empty;
        }
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
        if (strcmp(name, "t") == 0) s->in_t = false;
        else if (strcmp(name, "rPh") == 0) s->in_rph = false;
        else if (strcmp(name, "si") == 0 && s->in_si) {
            s->in_si = false;
            return add_shared(x, s);
        }
    } else if (is_text(type) && s->in_si && s->in_t && !s->in_rph) {
        const char *value = (const char *)xmlTextReaderConstValue(reader);
        if (value) text_append(&s->text, value);
    }
    return TK_OK;
}

static tk_code read_strings(xlsx *x, const char *path, char *cell_buf)
{
    char *buf;
    size_t len;
    tk_code rc = read_part(x, path, true, &buf, &len);
    if (rc || !buf) return rc;
    strings s = {.text = {.s = cell_buf}};
    rc = walk_xml(x, path, buf, len, on_strings, &s);
    free(buf);
    return rc;
}

/* ---- the worksheet ---- */

typedef struct sheet {
    bool in_data; /* inside <sheetData> */
    bool in_row;
    uint32_t row;    /* number of the current (or last) row */
    size_t next_col; /* column of a <c> without a reference */
    size_t width;    /* 1 + the last non-empty column of the row */
    bool in_cell, in_v, in_is, in_t, in_rph;
    size_t col;
    char type[16]; /* the cell's t attribute */
    uint32_t style;
    bool styled;
    text_buf text; /* <v>, or the text of <is> */
    uint32_t texts[TK_TABLE_COLUMNS_MAX];
    uint8_t kinds[TK_TABLE_COLUMNS_MAX];
} sheet;

/* "C7" from a 0-based column and a row number. */
static void cell_name(size_t col, uint32_t row, char out[24])
{
    char letters[8];
    int n = 0;
    for (size_t c = col + 1; c > 0 && n < 7; c = (c - 1) / 26) letters[n++] = (char)('A' + (c - 1) % 26);
    int o = 0;
    while (n > 0) out[o++] = letters[--n];
    snprintf(out + o, (size_t)(24 - o), "%u", (unsigned)row);
}

/* The 0-based column of a reference such as "C7" (the row part is the <row>'s business). */
static bool ref_column(const char *ref, size_t *col)
{
    size_t c = 0;
    int letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++) {
        if (++letters > 3) return false;
        c = c * 26 + (size_t)(*ref - 'A' + 1);
    }
    uint32_t row;
    if (!letters || !parse_uint(ref, &row)) return false;
    *col = c - 1;
    return true;
}

/* "dd/mm/yyyy" of an Excel date serial (days since 1899-12-31, or since 1904-01-01), or false
 * when it names no day in 1900..2100. Serial 60 is 29/02/1900, a day that did not exist:
 * Lotus 1-2-3 counted 1900 as a leap year and Excel kept it, so serials from 61 on are one
 * day ahead. */
static bool serial_date(const xlsx *x, double serial, char out[TK_DATE_TEXT_MAX])
{
    if (!(serial >= 0 && serial < 100000)) return false;
    long day = (long)floor(serial);
    tk_date date;
    if (x->date1904) {
        date = tk_date_from_ymd(1904, 1, 1) + (tk_date)day;
    } else {
        if (day < 1 || day == 60) return false;
        date = tk_date_from_ymd(1899, 12, 31) + (tk_date)(day < 60 ? day : day - 1);
    }
    int y, m, d;
    tk_date_to_ymd(date, &y, &m, &d);
    if (!tk_date_valid(y, m, d)) return false;
    tk_date_format_vn(date, out);
    return true;
}

/* The shortest text that reads back as v, without an exponent from 1e-6 up to 1e21, as
 * JavaScript writes numbers: "1234", "85.5", "0.000001", "1e-7", "1e+21". */
static void format_number(double v, char out[40])
{
    if (v == 0) {
        strcpy(out, "0"); /* and -0 */
        return;
    }
    char e[40];
    for (int precision = 1; precision <= 17; precision++) {
        snprintf(e, sizeof e, "%.*e", precision - 1, v);
        if (strtod(e, NULL) == v) break;
    }
    /* e is "-d.ddde+XX": split it into sign, digits and exponent. */
    char digits[24];
    int n = 0, exponent;
    const char *p = e;
    bool negative = *p == '-';
    if (negative) p++;
    for (; *p && *p != 'e'; p++)
        if (*p != '.') digits[n++] = *p;
    exponent = atoi(p + 1);
    while (n > 1 && digits[n - 1] == '0') n--;
    digits[n] = '\0';

    char *o = out;
    if (negative) *o++ = '-';
    if (exponent >= 21 || exponent < -6) {
        *o++ = digits[0];
        if (n > 1) {
            *o++ = '.';
            memcpy(o, digits + 1, (size_t)n - 1);
            o += n - 1;
        }
        snprintf(o, (size_t)(out + 40 - o), "e%c%d", exponent < 0 ? '-' : '+', abs(exponent));
        return;
    }
    if (exponent < 0) {
        *o++ = '0';
        *o++ = '.';
        for (int k = -1; k > exponent; k--) *o++ = '0';
        memcpy(o, digits, (size_t)n);
        o += n;
    } else {
        for (int k = 0; k <= exponent || k < n; k++) {
            if (k == exponent + 1) *o++ = '.';
            *o++ = k < n ? digits[k] : '0';
        }
    }
    *o = '\0';
}

static tk_code cell_error(xlsx *x, sheet *s, tk_code rc, const char *what)
{
    char name[24];
    cell_name(s->col, s->row, name);
    return tk_error_set(x->err, rc, "file", "Ô %s: %s", name, what);
}

/* Puts "Ô C7: " before the message tk_table_add_text() left in err. */
static tk_code cell_add_text(xlsx *x, sheet *s, uint32_t *handle)
{
    tk_code rc = tk_table_add_text(x->table, s->text.s, s->text.len, handle, x->err);
    if (!rc) return TK_OK;
    char message[TK_ERROR_MESSAGE_MAX];
    memcpy(message, x->err->message, sizeof message);
    return cell_error(x, s, rc, message);
}

static tk_code finish_cell(xlsx *x, sheet *s)
{
    s->in_cell = s->in_v = s->in_is = s->in_t = s->in_rph = false;
    if (s->text.over) {
        char what[64];
        snprintf(what, sizeof what, "ô dài hơn %d KiB", TK_TABLE_CELL_MAX / 1024);
        return cell_error(x, s, TK_TOO_LARGE, what);
    }
    s->text.s[s->text.len] = '\0';
    const char *t = s->type, *v = s->text.s;
    uint32_t handle = 0;
    tk_table_kind kind = TK_TABLE_TEXT;
    tk_code rc = TK_OK;
    if (s->text.len == 0) {
        /* no value: an empty cell that only has a style */
    } else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) {
        decode_escapes(&s->text);
        rc = cell_add_text(x, s, &handle);
    } else if (strcmp(t, "s") == 0) {
        uint32_t index;
        if (!parse_uint(v, &index) || index >= x->shared_count)
            return cell_error(x, s, TK_INVALID_INPUT, "trỏ tới một chuỗi không có trong tệp (tệp bị hỏng)");
        handle = x->shared[index];
    } else if (strcmp(t, "b") == 0) {
        bool truth = strcmp(v, "1") == 0;
        if (!truth && strcmp(v, "0") != 0)
            return cell_error(x, s, TK_INVALID_INPUT, "giá trị đúng/sai không hợp lệ (tệp bị hỏng)");
        rc = tk_table_add_text(x->table, truth ? "TRUE" : "FALSE", truth ? 4 : 5, &handle, x->err);
        kind = TK_TABLE_BOOLEAN;
    } else if (strcmp(t, "e") == 0) {
        rc = cell_add_text(x, s, &handle);
        kind = TK_TABLE_ERROR;
    } else if (strcmp(t, "d") == 0) {
        /* ISO 8601 ("2021-03-15" or "2021-03-15T00:00:00"), as strict files write dates. */
        char iso[TK_DATE_TEXT_MAX], vn[TK_DATE_TEXT_MAX];
        tk_date date;
        snprintf(iso, sizeof iso, "%s", v);
        if (s->text.len >= 10 && (v[10] == '\0' || v[10] == 'T') && tk_date_parse_iso(iso, &date)) {
            rc = tk_table_add_text(x->table, tk_date_format_vn(date, vn), 10, &handle, x->err);
            kind = TK_TABLE_DATE;
        } else {
            rc = cell_add_text(x, s, &handle);
        }
    } else {
        tk_cell_number number;
        if (tk_cell_parse_number(v, TK_CELL_DECIMAL_POINT, "file", &number, NULL) != TK_OK)
            return cell_error(x, s, TK_INVALID_INPUT, "giá trị số không hợp lệ (tệp bị hỏng)");
        char text[40];
        bool date = s->styled && s->style < x->style_count && x->date_style[s->style];
        if (date && serial_date(x, number.value, text)) {
            kind = TK_TABLE_DATE;
        } else {
            format_number(number.value, text);
            kind = TK_TABLE_NUMBER;
        }
        rc = tk_table_add_text(x->table, text, strlen(text), &handle, x->err);
    }
    if (rc) return rc;
    if (!handle) return TK_OK;
    if (s->col >= TK_TABLE_COLUMNS_MAX) {
        char what[80];
        snprintf(what, sizeof what, "bảng có hơn %d cột", TK_TABLE_COLUMNS_MAX);
        return cell_error(x, s, TK_TOO_LARGE, what);
    }
    s->texts[s->col] = handle;
    s->kinds[s->col] = (uint8_t)kind;
    s->width = s->col + 1;
    return TK_OK;
}

static tk_code finish_row(xlsx *x, sheet *s)
{
    s->in_row = false;
    tk_code rc = TK_OK;
    if (s->width && !tk_table_blank(x->table, s->texts, s->width))
        rc = tk_table_add_row(x->table, s->row, s->texts, s->kinds, s->width, x->err);
    memset(s->texts, 0, s->width * sizeof s->texts[0]);
    memset(s->kinds, 0, s->width);
    s->width = 0;
    return rc;
}

static tk_code start_row(xlsx *x, xmlTextReaderPtr reader, sheet *s)
{
    char v[16] = "";
    uint32_t number = s->row + 1;
    if (attr(reader, "r", v, sizeof v) && !parse_uint(v, &number)) number = 0;
    if (number <= s->row || number > ROW_NUMBER_MAX)
        return tk_error_set(x->err, TK_INVALID_INPUT, "file",
                            "Tệp .xlsx bị hỏng: sau dòng %u là dòng \"%s\"", (unsigned)s->row, v);
    s->row = number;
    s->in_row = true;
    s->next_col = 0;
    if (xmlTextReaderIsEmptyElement(reader) == 1) return finish_row(x, s);
    return TK_OK;
}

static tk_code start_cell(xlsx *x, xmlTextReaderPtr reader, sheet *s)
{
    char v[32];
    size_t col = s->next_col;
    if (attr(reader, "r", v, sizeof v) && !ref_column(v, &col))
        return tk_error_set(x->err, TK_INVALID_INPUT, "file",
                            "Tệp .xlsx bị hỏng: dòng %u có ô tên \"%s\"", (unsigned)s->row, v);
    if (col < s->next_col)
        return tk_error_set(x->err, TK_INVALID_INPUT, "file",
                            "Tệp .xlsx bị hỏng: các ô của dòng %u không theo thứ tự",
                            (unsigned)s->row);
    s->col = col;
    s->next_col = col + 1;
    if (!attr(reader, "t", s->type, sizeof s->type)) strcpy(s->type, "n");
    s->styled = attr(reader, "s", v, sizeof v) && parse_uint(v, &s->style);
    s->text.len = 0;
    s->text.over = false;
    s->in_cell = true;
    if (xmlTextReaderIsEmptyElement(reader) == 1) return finish_cell(x, s);
    return TK_OK;
}

static tk_code on_sheet(xlsx *x, xmlTextReaderPtr reader, int type, const char *name, void *state)
{
    sheet *s = state;
    if (type == XML_READER_TYPE_ELEMENT) {
        bool empty = xmlTextReaderIsEmptyElement(reader) == 1;
        if (strcmp(name, "sheetData") == 0) s->in_data = !empty;
        else if (!s->in_data) return TK_OK;
        else if (strcmp(name, "row") == 0) return start_row(x, reader, s);
        else if (strcmp(name, "c") == 0 && s->in_row) return start_cell(x, reader, s);
        else if (!s->in_cell) return TK_OK;
        else if (strcmp(name, "v") == 0) s->in_v = !empty;
        else if (strcmp(name, "is") == 0) s->in_is = !empty;
        else if (strcmp(name, "t") == 0) s->in_t = !empty;
        else if (strcmp(name, "rPh") == 0) s->in_rph = !empty;
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
        if (strcmp(name, "sheetData") == 0) s->in_data = false;
        else if (strcmp(name, "row") == 0 && s->in_row) return finish_row(x, s);
        else if (strcmp(name, "c") == 0 && s->in_cell) return finish_cell(x, s);
        else if (strcmp(name, "v") == 0) s->in_v = false;
        else if (strcmp(name, "is") == 0) s->in_is = false;
        else if (strcmp(name, "t") == 0) s->in_t = false;
        else if (strcmp(name, "rPh") == 0) s->in_rph = false;
    } else if (is_text(type) && s->in_cell &&
               (s->in_v || (s->in_is && s->in_t && !s->in_rph))) {
        const char *value = (const char *)xmlTextReaderConstValue(reader);
        if (value) text_append(&s->text, value);
    }
    return TK_OK;
}

/* ---- the reader ---- */

tk_code tk_table_read_xlsx(const unsigned char *data, size_t size, tk_table **out, tk_error *err)
{
    *out = NULL;
    if (!data || size < 4) return tk_error_set(err, TK_INVALID_INPUT, "file", "Tệp trống, không phải tệp Excel .xlsx");
    if (memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0)
        return tk_error_set(err, TK_UNSUPPORTED, "file",
                            "Tệp là tệp Excel 97-2003 (.xls) hoặc có đặt mật khẩu: hãy mở bằng "
                            "Excel, bỏ mật khẩu nếu có và lưu lại dạng \"Excel Workbook (*.xlsx)\"");
    if (memcmp(data, "PK", 2) != 0)
        return tk_error_set(err, TK_INVALID_INPUT, "file", "Tệp không phải tệp Excel .xlsx");
    pthread_once(&xml_once, init_xml);
    /* The handler is per thread in libxml2; it is put back as it was before returning. */
    xmlGenericErrorFunc saved_handler = xmlGenericError;
    void *saved_context = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet);

    xlsx x = {.budget = TK_TABLE_XLSX_UNCOMPRESSED_MAX, .err = err};
    tk_code rc = TK_OK;
    char *buf = NULL, *cell_buf = NULL;
    size_t len = 0;
    sheet *s = NULL;
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *source = zip_source_buffer_create(data, size, 0, &zerr);
    if (source) {
        x.zip = zip_open_from_source(source, ZIP_RDONLY, &zerr);
        if (!x.zip) zip_source_free(source);
    }
    zip_error_fini(&zerr);
    if (!x.zip) {
        rc = tk_error_set(err, TK_INVALID_INPUT, "file",
                          "Tệp không phải tệp Excel .xlsx hợp lệ (không mở được dạng nén zip)");
        goto out;
    }
    x.table = tk_table_new();
    x.rels = calloc(RELS_MAX, sizeof *x.rels);
    cell_buf = malloc(TK_TABLE_CELL_MAX + 1);
    s = calloc(1, sizeof *s);
    if (!x.table || !x.rels || !cell_buf || !s) {
        rc = no_memory(&x);
        goto out;
    }

    if ((rc = read_part(&x, "xl/_rels/workbook.xml.rels", true, &buf, &len))) goto out;
    if (buf && (rc = walk_xml(&x, "xl/_rels/workbook.xml.rels", buf, len, on_rels, NULL))) goto out;
    free(buf);
    buf = NULL;
    bool any_sheet = false;
    if ((rc = read_part(&x, "xl/workbook.xml", false, &buf, &len))) goto out;
    if ((rc = walk_xml(&x, "xl/workbook.xml", buf, len, on_workbook, &any_sheet))) goto out;
    free(buf);
    buf = NULL;
    if (!x.sheet_found && x.rel_count == 0 && any_sheet) {
        /* No relationships to follow: where every writer puts the first sheet. */
        strcpy(x.sheet_path, "xl/worksheets/sheet1.xml");
        x.sheet_found = true;
    }
    if (!x.sheet_found) {
        rc = tk_error_set(err, TK_INVALID_INPUT, "file", "Tệp .xlsx không có trang tính nào");
        goto out;
    }

    const char *styles_path = "xl/styles.xml", *strings_path = "xl/sharedStrings.xml";
    for (size_t i = 0; i < x.rel_count; i++) {
        if (x.rels[i].kind == REL_STYLES) styles_path = x.rels[i].path;
        if (x.rels[i].kind == REL_SHARED_STRINGS) strings_path = x.rels[i].path;
    }
    if ((rc = read_styles(&x, styles_path))) goto out;
    if ((rc = read_strings(&x, strings_path, cell_buf))) goto out;

    if ((rc = read_part(&x, x.sheet_path, false, &buf, &len))) goto out;
    s->text.s = cell_buf;
    if ((rc = walk_xml(&x, x.sheet_path, buf, len, on_sheet, s))) goto out;
    if (s->in_row) rc = finish_row(&x, s);
    if (!rc) {
        *out = x.table;
        x.table = NULL;
    }
out:
    free(buf);
    free(s);
    free(cell_buf);
    free(x.rels);
    free(x.shared);
    free(x.date_style);
    tk_table_free(x.table);
    if (x.zip) zip_discard(x.zip);
    xmlSetGenericErrorFunc(saved_context, saved_handler);
    return rc;
}
