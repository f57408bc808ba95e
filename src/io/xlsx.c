/* The document of io/document.h as a workbook (.xlsx), written with libxlsxwriter: a first sheet
 * "Thông tin" with what identifies the document, then one sheet per table, its header row
 * first and frozen. The layout blocks of the paper forms have no place in a spreadsheet; the
 * tables are what people take the file for, to sum and sort, so figures in right-aligned
 * columns become numbers Excel can compute with.
 *
 * Text cells hold the document's text as given. libxlsxwriter writes the control characters XML
 * cannot carry in Excel's own _xHHHH_ form, which Excel reads back as the character.
 *
 * libxlsxwriter writes only to a named file, so the workbook goes to a private temporary file
 * (mkstemp) that is read back and removed. */
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/text.h"
#include "io/document.h"

/* 31 UTF-16 units, each at most 4 bytes of UTF-8 (a pair takes 4 bytes for 2 units). */
enum { SHEET_NAME_UNITS = 31, SHEET_NAME_BYTES = SHEET_NAME_UNITS * 4 + 1 };
/* Significant digits a double carries exactly; longer figures (codes, ids) stay text. */
enum { NUMBER_DIGITS_MAX = 15, DECIMALS_MAX = 10 };

static const char info_sheet[] = "Thông tin";

typedef struct sheet_name {
    char text[SHEET_NAME_BYTES];
} sheet_name;

static const char *member(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

/* ---- Numbers as Vietnamese documents write them ------------------------------------------ */

typedef struct number {
    double value;
    int decimals;  /* digits after the comma, as written */
    bool percent;  /* value is already divided by 100 */
    bool grouped;  /* shown with thousands separators: "1.234" was, "2025" (a year, often) was not */
} number;

/* Reads "1.234", "-1.234.567,89", "85,5", "85,5 %", "12%" ('.' groups thousands, ',' starts
 * the decimals). Anything else is text: "1.5" (a group of one digit), "007" (a code), "1,2,3",
 * " 12", "12 người". */
static bool parse_number(const char *s, number *out)
{
    char digits[NUMBER_DIGITS_MAX * 2 + 8];
    size_t n = 0, significant = 0;
    const char *p = s;
    bool negative = *p == '-';
    if (negative) p++;

    size_t group = 0, groups = 0;
    const char *int_start = p;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n + 1 >= sizeof digits) return false;
            if (significant || *p != '0') significant++;
            digits[n++] = *p;
            group++;
        } else if (*p == '.') {
            /* The first group holds 1 to 3 digits, every later one exactly 3. */
            if (groups == 0 ? (group < 1 || group > 3) : group != 3) return false;
            groups++;
            group = 0;
        } else {
            break;
        }
    }
    if (group == 0 || (groups > 0 && group != 3)) return false;
    if (int_start[0] == '0' && n > 1) return false;
    size_t int_digits = n;

    int decimals = 0;
    if (*p == ',') {
        p++;
        while (*p >= '0' && *p <= '9') {
            if (n + 1 >= sizeof digits) return false;
            if (significant || *p != '0') significant++;
            digits[n++] = *p++;
            decimals++;
        }
        if (decimals == 0 || decimals > DECIMALS_MAX) return false;
    }
    if (significant > NUMBER_DIGITS_MAX) return false;

    bool percent = false;
    const char *q = p;
    /* A space, a no-break space or a narrow no-break space may stand before the sign. */
    for (;;) {
        if (*q == ' ') q++;
        else if (strncmp(q, "\xC2\xA0", 2) == 0) q += 2;
        else if (strncmp(q, "\xE2\x80\xAF", 3) == 0) q += 3;
        else break;
    }
    if (*q == '%' && q[1] == '\0') {
        percent = true;
        p = q + 1;
    }
    if (*p != '\0') return false;

    /* The digits with an exponent, so strtod rounds once and no locale's decimal point is
     * involved: "85,5 %" is 855e-3. */
    digits[n] = '\0';
    char text[sizeof digits + 16];
    snprintf(text, sizeof text, "%s%se-%d", negative ? "-" : "", digits, decimals + (percent ? 2 : 0));
    double value = strtod(text, NULL);
    out->value = value == 0 ? 0 : value; /* no "-0" */
    out->decimals = decimals;
    out->percent = percent;
    out->grouped = groups > 0 || (!percent && int_digits <= 3);
    return true;
}

/* ---- Formats ------------------------------------------------------------------------------- */

enum cell_kind { CELL_TEXT, CELL_INTEGER, CELL_DECIMAL, CELL_PERCENT };

typedef struct format_key {
    bool header, bold;
    uint8_t align; /* LXW_ALIGN_LEFT, _CENTER, _RIGHT */
    uint8_t kind;  /* enum cell_kind */
    uint8_t decimals;
    bool grouped;
} format_key;

enum { FORMAT_CACHE = 64 };

/* Formats belong to the workbook; the cache only avoids making the same one for every cell. */
typedef struct formats {
    lxw_workbook *wb;
    struct {
        format_key key;
        lxw_format *format;
    } cache[FORMAT_CACHE];
    size_t n;
} formats;

static lxw_format *format_for(formats *fs, format_key key)
{
    for (size_t i = 0; i < fs->n; i++)
        if (memcmp(&fs->cache[i].key, &key, sizeof key) == 0) return fs->cache[i].format;
    lxw_format *f = workbook_add_format(fs->wb);
    if (!f) return NULL;
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, key.align);
    format_set_align(f, key.header ? LXW_ALIGN_VERTICAL_CENTER : LXW_ALIGN_VERTICAL_TOP);
    if (key.bold) format_set_bold(f);
    if (key.header) {
        format_set_bg_color(f, 0xE7E6E6);
        format_set_pattern(f, LXW_PATTERN_SOLID);
    }
    if (key.kind == CELL_TEXT) {
        format_set_text_wrap(f);
    } else {
        char code[32];
        const char *base = key.grouped ? "#,##0" : "0";
        snprintf(code, sizeof code, "%s%s%.*s%s", base, key.decimals ? "." : "", (int)key.decimals, "0000000000",
                 key.kind == CELL_PERCENT ? "%" : "");
        format_set_num_format(f, code);
    }
    if (fs->n < FORMAT_CACHE) {
        fs->cache[fs->n].key = key;
        fs->cache[fs->n].format = f;
        fs->n++;
    }
    return f;
}

/* ---- Sheet names --------------------------------------------------------------------------- */

/* Excel compares sheet names ignoring case; folding also ignores diacritics, which is stricter
 * than Excel and so always safe. */
static bool same_name(const char *a, const char *b)
{
    char *fa = tk_text_fold(a), *fb = tk_text_fold(b);
    bool same = fa && fb ? strcmp(fa, fb) == 0 : strcasecmp(a, b) == 0;
    free(fa);
    free(fb);
    return same;
}

static bool name_taken(const char *name, const sheet_name *used, size_t n_used)
{
    for (size_t i = 0; i < n_used; i++)
        if (same_name(name, used[i].text)) return true;
    /* Excel keeps "History" for itself. */
    return same_name(name, "History");
}

static size_t utf8_length(unsigned char c)
{
    return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
}

static void trim_end(char *s)
{
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\'')) s[--len] = '\0';
}

/* name cut to at most units UTF-16 units without trailing blanks: after the last whole word
 * that fits, or inside a word when that would leave less than half. */
static void cut_to_units(char *name, size_t units)
{
    size_t used = 0;
    char *last_space = NULL;
    for (char *p = name; *p;) {
        size_t len = utf8_length((unsigned char)*p);
        size_t u = len == 4 ? 2 : 1;
        if (used + u > units) {
            if (*p != ' ' && last_space && last_space - name >= (ptrdiff_t)(p - name) / 2) p = last_space;
            *p = '\0';
            break;
        }
        if (*p == ' ') last_space = p;
        used += u;
        p += len;
    }
    trim_end(name);
}

/* A legal sheet name from a table title: no []:*?/\ and no control characters, blanks run
 * together, no apostrophe at either end, at most 31 UTF-16 units as Excel counts them. */
static void legal_name(const char *title, char out[SHEET_NAME_BYTES])
{
    size_t o = 0;
    bool blank = true; /* drops leading blanks and collapses runs */
    for (const unsigned char *p = (const unsigned char *)title; *p && o + 5 < SHEET_NAME_BYTES;) {
        size_t len = utf8_length(*p);
        bool space = strchr("[]:*?/\\", *p) || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
        if (space) {
            if (!blank) out[o++] = ' ';
            blank = true;
            p++;
            continue;
        }
        if (*p < 0x20 || *p == 0x7F || (p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0)) {
            p += len; /* C0 and C1 controls */
            continue;
        }
        if (o == 0 && *p == '\'') {
            p++;
            continue;
        }
        memcpy(out + o, p, len);
        o += len;
        p += len;
        blank = false;
    }
    out[o] = '\0';
    cut_to_units(out, SHEET_NAME_UNITS);
}

/* The name for the index-th table (from 1): its title made legal and unique, else "Bảng N". */
static void table_sheet_name(const char *title, size_t index, const sheet_name *used, size_t n_used, sheet_name *out)
{
    char base[SHEET_NAME_BYTES];
    legal_name(title, base);
    if (!base[0]) snprintf(base, sizeof base, "Bảng %zu", index);
    if (!name_taken(base, used, n_used)) {
        snprintf(out->text, sizeof out->text, "%s", base);
        return;
    }
    for (unsigned k = 2;; k++) {
        char suffix[16];
        int suffix_len = snprintf(suffix, sizeof suffix, " (%u)", k);
        snprintf(out->text, sizeof out->text, "%s", base);
        cut_to_units(out->text, SHEET_NAME_UNITS - (size_t)suffix_len);
        /* The cut name has at most 31 - suffix_len units, so the suffix fits. */
        size_t len = strlen(out->text);
        memcpy(out->text + len, suffix, (size_t)suffix_len + 1);
        if (!name_taken(out->text, used, n_used)) return;
    }
}

/* ---- Writing ------------------------------------------------------------------------------- */

typedef struct writer {
    lxw_workbook *wb;
    formats formats;
    tk_error *err;
} writer;

static tk_code lxw_failed(writer *w, lxw_error e, const char *field)
{
    if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
        return tk_error_set(w->err, TK_TOO_LARGE, field, "Ô %s dài quá 32.767 ký tự, giới hạn của Excel", field);
    if (e == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
        return tk_error_set(w->err, TK_TOO_LARGE, field, "Bảng %s vượt quá số dòng hoặc số cột Excel cho phép", field);
    if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
        return tk_error_set(w->err, TK_NO_MEMORY, field, "Không đủ bộ nhớ để tạo tệp XLSX");
    return tk_error_set(w->err, TK_INTERNAL, field, "Không tạo được tệp XLSX: %s", lxw_strerror(e));
}

static tk_code write_cell(writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s, format_key key,
                          const char *field)
{
    number num;
    lxw_error e;
    if (key.align == LXW_ALIGN_RIGHT && !key.header && parse_number(s, &num)) {
        key.kind = num.percent ? CELL_PERCENT : num.decimals ? CELL_DECIMAL : CELL_INTEGER;
        key.decimals = (uint8_t)num.decimals;
        key.grouped = num.grouped;
        lxw_format *f = format_for(&w->formats, key);
        if (!f) return lxw_failed(w, LXW_ERROR_MEMORY_MALLOC_FAILED, field);
        e = worksheet_write_number(ws, row, col, num.value, f);
    } else {
        key.kind = CELL_TEXT;
        lxw_format *f = format_for(&w->formats, key);
        if (!f) return lxw_failed(w, LXW_ERROR_MEMORY_MALLOC_FAILED, field);
        e = worksheet_write_string(ws, row, col, s, f);
    }
    return e == LXW_NO_ERROR ? TK_OK : lxw_failed(w, e, field);
}

static uint8_t align_of(const char *align)
{
    if (strcmp(align, "right") == 0) return LXW_ALIGN_RIGHT;
    if (strcmp(align, "center") == 0) return LXW_ALIGN_CENTER;
    return LXW_ALIGN_LEFT;
}

static tk_code write_table(writer *w, const json_t *block, size_t block_index, const char *name)
{
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, name);
    char field[128]; /* room for any three indexes; tk_error keeps the first TK_ERROR_FIELD_MAX bytes */
    snprintf(field, sizeof field, "blocks[%zu]", block_index);
    if (!ws) return tk_error_set(w->err, TK_INTERNAL, field, "Không tạo được trang tính \"%s\"", name);

    const json_t *columns = json_object_get(block, "columns");
    size_t ncols = json_array_size(columns);
    double sum = 0;
    for (size_t c = 0; c < ncols; c++) sum += json_number_value(json_object_get(json_array_get(columns, c), "width"));
    /* The weights share about a screen's width of characters; no column narrower than 8. */
    double total_chars = ncols * 10.0 > 100 ? ncols * 10.0 : 100;
    tk_code rc = TK_OK;
    for (size_t c = 0; c < ncols && rc == TK_OK; c++) {
        const json_t *col = json_array_get(columns, c);
        double width = total_chars * json_number_value(json_object_get(col, "width")) / (sum > 0 ? sum : 1);
        lxw_error e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width < 8 ? 8 : width, NULL);
        if (e) return lxw_failed(w, e, field);
        format_key key = {.header = true, .bold = true, .align = LXW_ALIGN_CENTER};
        snprintf(field, sizeof field, "blocks[%zu].columns[%zu]", block_index, c);
        rc = write_cell(w, ws, 0, (lxw_col_t)c, member(col, "text"), key, field);
    }
    worksheet_freeze_panes(ws, 1, 0);
    /* The header row also repeats on every printed page. */
    worksheet_repeat_rows(ws, 0, 0);

    const json_t *rows = json_object_get(block, "rows");
    const json_t *total = json_object_get(block, "total");
    size_t nrows = json_array_size(rows);
    for (size_t r = 0; r <= nrows && rc == TK_OK; r++) {
        const json_t *cells = r < nrows ? json_array_get(rows, r) : total;
        if (!json_is_array(cells)) break;
        for (size_t c = 0; c < ncols && rc == TK_OK; c++) {
            const json_t *col = json_array_get(columns, c);
            format_key key = {.bold = r == nrows, .align = align_of(member(col, "align"))};
            if (r < nrows) snprintf(field, sizeof field, "blocks[%zu].rows[%zu][%zu]", block_index, r, c);
            else snprintf(field, sizeof field, "blocks[%zu].total[%zu]", block_index, c);
            rc = write_cell(w, ws, (lxw_row_t)(r + 1), (lxw_col_t)c, json_string_value(json_array_get(cells, c)), key,
                            field);
        }
    }
    return rc;
}

static tk_code write_info(writer *w, const json_t *doc, const json_t *blocks, const sheet_name *names)
{
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, info_sheet);
    if (!ws) return tk_error_set(w->err, TK_INTERNAL, NULL, "Không tạo được trang tính \"%s\"", info_sheet);
    char date_line[TK_DOCUMENT_DATE_LINE_MAX];
    tk_document_date_line(doc, date_line);
    const json_t *issuer = json_object_get(doc, "issuer");
    const char *rows[][3] = {
        {"Số", member(doc, "number"), "number"},
        {"Địa danh, ngày", date_line, "date"},
        {"Loại văn bản", member(doc, "kind"), "kind"},
        {"Trích yếu", member(doc, "title"), "title"},
        {"Cơ quan ban hành", member(issuer, "name"), "issuer.name"},
        {"Cơ quan cấp trên", member(issuer, "parent"), "issuer.parent"},
    };
    const size_t n = sizeof rows / sizeof rows[0];
    lxw_error e = worksheet_set_column(ws, 0, 0, 22, NULL);
    if (!e) e = worksheet_set_column(ws, 1, 1, 90, NULL);
    if (e) return lxw_failed(w, e, "");
    tk_code rc = TK_OK;
    for (size_t r = 0; r < n && rc == TK_OK; r++) {
        rc = write_cell(w, ws, (lxw_row_t)r, 0, rows[r][0], (format_key){.bold = true, .align = LXW_ALIGN_LEFT}, "");
        if (!rc) rc = write_cell(w, ws, (lxw_row_t)r, 1, rows[r][1], (format_key){.align = LXW_ALIGN_LEFT}, rows[r][2]);
    }

    /* Sheet names are at most 31 characters, so the full titles are listed here. */
    size_t tables = 0;
    lxw_row_t row = (lxw_row_t)n + 1;
    for (size_t i = 0; i < json_array_size(blocks) && rc == TK_OK; i++) {
        const json_t *block = json_array_get(blocks, i);
        if (strcmp(member(block, "type"), "table") != 0) continue;
        if (tables == 0) {
            format_key head = {.header = true, .bold = true, .align = LXW_ALIGN_CENTER};
            rc = write_cell(w, ws, row, 0, "Trang tính", head, "");
            if (!rc) rc = write_cell(w, ws, row, 1, "Tên bảng", head, "");
            row++;
        }
        char field[TK_ERROR_FIELD_MAX];
        snprintf(field, sizeof field, "blocks[%zu].title", i);
        if (!rc) rc = write_cell(w, ws, row, 0, names[tables].text, (format_key){.align = LXW_ALIGN_LEFT}, "");
        if (!rc) rc = write_cell(w, ws, row, 1, member(block, "title"), (format_key){.align = LXW_ALIGN_LEFT}, field);
        row++;
        tables++;
    }
    return rc;
}

/* The file at path, whole, in *out (new). */
static tk_code read_file(const char *path, unsigned char **out, size_t *size, tk_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return tk_error_set(err, TK_IO, NULL, "Không đọc lại được tệp XLSX vừa tạo: %s", strerror(errno));
    tk_code rc = TK_OK;
    unsigned char *data = NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size < 0) {
        rc = tk_error_set(err, TK_IO, NULL, "Không đọc lại được tệp XLSX vừa tạo: %s", strerror(errno));
        goto out;
    }
    size_t len = (size_t)st.st_size;
    if (!(data = malloc(len ? len : 1))) {
        rc = tk_error_set(err, TK_NO_MEMORY, NULL, "Không đủ bộ nhớ để tạo tệp XLSX");
        goto out;
    }
    if (fread(data, 1, len, f) != len) {
        free(data);
        rc = tk_error_set(err, TK_IO, NULL, "Không đọc lại được tệp XLSX vừa tạo");
        goto out;
    }
    *out = data;
    *size = len;
out:
    fclose(f);
    return rc;
}

tk_code tk_xlsx_render(const json_t *doc, unsigned char **out, size_t *size, tk_error *err)
{
    *out = NULL;
    *size = 0;
    tk_code rc = tk_document_check(doc, err);
    if (rc) return rc;

    const json_t *blocks = json_object_get(doc, "blocks");
    size_t tables = 0;
    for (size_t i = 0; i < json_array_size(blocks); i++)
        if (strcmp(member(json_array_get(blocks, i), "type"), "table") == 0) tables++;

    /* names[0] is the information sheet; names[1..] the tables, in order. */
    sheet_name *names = calloc(tables + 1, sizeof *names);
    if (!names) return tk_error_set(err, TK_NO_MEMORY, NULL, "Không đủ bộ nhớ để tạo tệp XLSX");
    snprintf(names[0].text, sizeof names[0].text, "%s", info_sheet);
    for (size_t i = 0, t = 0; i < json_array_size(blocks); i++) {
        const json_t *block = json_array_get(blocks, i);
        if (strcmp(member(block, "type"), "table") != 0) continue;
        t++;
        table_sheet_name(member(block, "title"), t, names, t, &names[t]);
    }

    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/trienkhai-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        rc = tk_error_set(err, TK_IO, NULL, "Không tạo được tệp tạm cho XLSX: %s", strerror(errno));
        free(names);
        return rc;
    }
    close(fd);

    writer w = {.err = err};
    w.wb = w.formats.wb = workbook_new(path);
    if (!w.wb) {
        rc = tk_error_set(err, TK_IO, NULL, "Không tạo được tệp XLSX");
        goto out;
    }
    lxw_doc_properties props = {
        .title = (char *)(*member(doc, "title") ? member(doc, "title") : member(doc, "kind")),
        .subject = (char *)member(doc, "kind"),
        .author = (char *)member(json_object_get(doc, "issuer"), "name"),
    };
    lxw_error e = workbook_set_properties(w.wb, &props);
    if (e) rc = lxw_failed(&w, e, "");
    if (!rc) rc = write_info(&w, doc, blocks, names + 1);
    for (size_t i = 0, t = 0; i < json_array_size(blocks) && rc == TK_OK; i++) {
        const json_t *block = json_array_get(blocks, i);
        if (strcmp(member(block, "type"), "table") != 0) continue;
        t++;
        rc = write_table(&w, block, i, names[t].text);
    }
    /* workbook_close() frees the workbook whatever happens; after a failure its file is only
     * removed. */
    e = workbook_close(w.wb);
    if (!rc && e) rc = lxw_failed(&w, e, "");
    if (!rc) rc = read_file(path, out, size, err);
out:
    unlink(path);
    free(names);
    return rc;
}
