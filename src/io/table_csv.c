/* io/table: the table itself (shared by both readers) and the CSV reader. */
#include "io/table.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"

/* ---- the table ---- */

typedef struct table_row {
    uint32_t line;
    uint32_t first; /* index of its first cell in cells[] */
    uint32_t count;
} table_row;

/* All cell text lives in one buffer and cells are offsets into it: a table of 100.000 rows by
 * 200 columns is 20 million cells, and a pointer and an allocation each would cost several
 * times the text. Offset 0 is the empty string every empty cell shares. */
struct tk_table {
    char *text;
    size_t text_len, text_cap;
    uint32_t *cells;
    uint8_t *kinds; /* tk_table_kind of each cell, beside cells[] */
    size_t cell_count, cell_cap;
    table_row *rows;
    size_t row_count, row_cap;
};

tk_table *tk_table_new(void)
{
    tk_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->text_cap = 4096;
    t->text = malloc(t->text_cap);
    if (!t->text) {
        free(t);
        return NULL;
    }
    t->text[0] = '\0';
    t->text_len = 1;
    return t;
}

void tk_table_free(tk_table *table)
{
    if (!table) return;
    free(table->text);
    free(table->cells);
    free(table->kinds);
    free(table->rows);
    free(table);
}

/* Printable ASCII, tab and line breaks: text that is its own NFC and has no control
 * characters, so it needs no trip through ICU. Most cells (numbers, dates, codes) are. */
static bool plain_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c > 0x7E) return false;
    }
    return true;
}

tk_code tk_table_add_text(tk_table *table, const char *s, size_t len, uint32_t *text,
                          tk_error *err)
{
    *text = 0;
    if (len == 0) return TK_OK;
    char *normal = NULL;
    if (!plain_ascii(s, len)) {
        tk_code rc = tk_text_normalize(s, len, "file", &normal, err);
        if (rc) return rc;
        s = normal;
        len = strlen(normal);
    }
    tk_code rc = TK_OK;
    if (len + 1 > TK_TABLE_TEXT_MAX - table->text_len) {
        rc = tk_error_set(err, TK_TOO_LARGE, "file",
                          "Bảng quá lớn: chữ trong các ô vượt quá %d MiB",
                          TK_TABLE_TEXT_MAX / (1024 * 1024));
        goto out;
    }
    if (table->text_len + len + 1 > table->text_cap) {
        size_t cap = table->text_cap;
        while (cap < table->text_len + len + 1) cap *= 2;
        if (cap > TK_TABLE_TEXT_MAX) cap = TK_TABLE_TEXT_MAX;
        char *grown = realloc(table->text, cap);
        if (!grown) {
            rc = tk_error_set(err, TK_NO_MEMORY, "file", "Không đủ bộ nhớ");
            goto out;
        }
        table->text = grown;
        table->text_cap = cap;
    }
    /* CRLF (Windows) and CR (old Mac, and Excel's "_x000D_") inside a cell are one line break. */
    *text = (uint32_t)table->text_len;
    char *o = table->text + table->text_len;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\r') {
            *o++ = '\n';
            if (i + 1 < len && s[i + 1] == '\n') i++;
        } else {
            *o++ = s[i];
        }
    }
    *o++ = '\0';
    table->text_len = (size_t)(o - table->text);
out:
    free(normal);
    return rc;
}

static bool blank_text(const char *s)
{
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n') continue;
        if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) { /* no-break space */
            s++;
            continue;
        }
        return false;
    }
    return true;
}

bool tk_table_blank(const tk_table *table, const uint32_t *texts, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (texts[i] && !blank_text(table->text + texts[i])) return false;
    return true;
}

tk_code tk_table_add_row(tk_table *table, uint32_t line, const uint32_t *texts,
                         const uint8_t *kinds, size_t count, tk_error *err)
{
    if (table->row_count == TK_TABLE_ROWS_MAX)
        return tk_error_set(err, TK_TOO_LARGE, "file",
                            "Bảng có hơn 100.000 dòng (dòng %u là dòng thứ 100.001): hãy chia "
                            "tệp để nhập từng phần",
                            (unsigned)line);
    if (count > TK_TABLE_COLUMNS_MAX)
        return tk_error_set(err, TK_TOO_LARGE, "file", "Dòng %u có hơn %d cột", (unsigned)line,
                            TK_TABLE_COLUMNS_MAX);
    if (table->row_count == table->row_cap) {
        size_t cap = table->row_cap ? table->row_cap * 2 : 256;
        table_row *grown = realloc(table->rows, cap * sizeof *grown);
        if (!grown) return tk_error_set(err, TK_NO_MEMORY, "file", "Không đủ bộ nhớ");
        table->rows = grown;
        table->row_cap = cap;
    }
    if (table->cell_count + count > table->cell_cap) {
        size_t cap = table->cell_cap ? table->cell_cap : 1024;
        while (cap < table->cell_count + count) cap *= 2;
        uint32_t *cells = realloc(table->cells, cap * sizeof *cells);
        if (!cells) return tk_error_set(err, TK_NO_MEMORY, "file", "Không đủ bộ nhớ");
        table->cells = cells;
        uint8_t *grown = realloc(table->kinds, cap);
        if (!grown) return tk_error_set(err, TK_NO_MEMORY, "file", "Không đủ bộ nhớ");
        table->kinds = grown;
        table->cell_cap = cap;
    }
    table_row *r = &table->rows[table->row_count++];
    r->line = line;
    r->first = (uint32_t)table->cell_count;
    r->count = (uint32_t)count;
    if (count) {
        memcpy(table->cells + table->cell_count, texts, count * sizeof *texts);
        if (kinds) memcpy(table->kinds + table->cell_count, kinds, count);
        else memset(table->kinds + table->cell_count, TK_TABLE_TEXT, count);
    }
    table->cell_count += count;
    return TK_OK;
}

size_t tk_table_row_count(const tk_table *table)
{
    return table ? table->row_count : 0;
}

size_t tk_table_cell_count(const tk_table *table, size_t row)
{
    return table && row < table->row_count ? table->rows[row].count : 0;
}

const char *tk_table_cell(const tk_table *table, size_t row, size_t col)
{
    if (!table || row >= table->row_count || col >= table->rows[row].count) return "";
    return table->text + table->cells[table->rows[row].first + col];
}

tk_table_kind tk_table_cell_kind(const tk_table *table, size_t row, size_t col)
{
    if (!table || row >= table->row_count || col >= table->rows[row].count) return TK_TABLE_TEXT;
    return (tk_table_kind)table->kinds[table->rows[row].first + col];
}

uint32_t tk_table_line(const tk_table *table, size_t row)
{
    return table && row < table->row_count ? table->rows[row].line : 0;
}

/* ---- CSV ---- */

typedef struct csv {
    const char *p, *end;
    char delim;
    uint32_t line; /* of p */
    tk_table *table;
    tk_error *err;
    char *cell; /* a quoted cell without its quotes, TK_TABLE_CELL_MAX bytes */
    uint32_t texts[TK_TABLE_COLUMNS_MAX];
} csv;

/* Puts "Dòng N, cột M: " before the message tk_table_add_text() left in err. */
static tk_code locate(tk_error *err, tk_code rc, uint32_t line, size_t col)
{
    if (!err) return rc;
    char message[TK_ERROR_MESSAGE_MAX];
    memcpy(message, err->message, sizeof message);
    return tk_error_set(err, rc, "file", "Dòng %u, cột %zu: %s", (unsigned)line, col, message);
}

/* Names the first line with bytes that are not UTF-8. Line breaks are ASCII and never inside
 * a multi-byte sequence, so each line can be checked alone. */
static tk_code check_utf8(const char *p, const char *end, tk_error *err)
{
    uint32_t line = 1;
    while (p < end) {
        const char *eol = p;
        while (eol < end && *eol != '\r' && *eol != '\n') eol++;
        if (!tk_text_valid_utf8(p, (size_t)(eol - p)))
            return tk_error_set(
                err, TK_INVALID_UTF8, "file",
                "Dòng %u có chữ không phải UTF-8: tệp có lẽ được lưu bằng bảng mã Windows-1258 "
                "hoặc CP1252. Hãy mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu \"CSV UTF-8 "
                "(Comma delimited) (*.csv)\" rồi nhập lại",
                (unsigned)line);
        if (eol < end && *eol == '\r' && eol + 1 < end && eol[1] == '\n') eol++;
        p = eol + 1;
        line++;
    }
    return TK_OK;
}

/* The delimiter that occurs most often outside quotes in the first line that has one. */
static char detect_delimiter(const char *p, const char *end)
{
    static const char candidates[] = {';', '\t', ','}; /* in the order that wins a tie */
    while (p < end) {
        size_t count[3] = {0, 0, 0};
        bool quoted = false;
        for (; p < end; p++) {
            if (*p == '"') quoted = !quoted;
            else if (!quoted && (*p == '\r' || *p == '\n')) break;
            else if (!quoted)
                for (int k = 0; k < 3; k++) count[k] += *p == candidates[k];
        }
        int best = 0;
        for (int k = 1; k < 3; k++)
            if (count[k] > count[best]) best = k;
        if (count[best]) return candidates[best];
        if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n') p++;
        p++;
    }
    return ',';
}

/* Reads one field at c->p into *text; leaves c->p on the delimiter, line break or end. */
static tk_code read_field(csv *c, size_t col, uint32_t *text)
{
    if (c->p < c->end && *c->p == '"') {
        uint32_t open_line = c->line;
        size_t n = 0;
        c->p++;
        for (;;) {
            if (c->p == c->end)
                return tk_error_set(c->err, TK_INVALID_INPUT, "file",
                                    "Dòng %u, cột %zu: dấu ngoặc kép mở ô không được đóng "
                                    "(dấu ngoặc kép trong ô phải viết đôi: \"\")",
                                    (unsigned)open_line, col);
            if (*c->p == '"') {
                if (c->p + 1 < c->end && c->p[1] == '"') c->p++;
                else break;
            } else if (*c->p == '\r' || (*c->p == '\n' && c->p[-1] != '\r')) {
                c->line++; /* CR, LF and CRLF each end one line; p[-1] is at least the quote */
            }
            if (n == TK_TABLE_CELL_MAX)
                return tk_error_set(c->err, TK_TOO_LARGE, "file",
                                    "Dòng %u, cột %zu: ô dài hơn %d KiB", (unsigned)open_line,
                                    col, TK_TABLE_CELL_MAX / 1024);
            c->cell[n++] = *c->p++;
        }
        c->p++;
        /* Spaces after the closing quote are harmless ("a" ;"b"); anything else means a quote
         * inside the cell was not doubled, and guessing would shift every later column. */
        while (c->p < c->end && (*c->p == ' ' || (*c->p == '\t' && c->delim != '\t'))) c->p++;
        if (c->p < c->end && *c->p != c->delim && *c->p != '\r' && *c->p != '\n')
            return tk_error_set(c->err, TK_INVALID_INPUT, "file",
                                "Dòng %u, cột %zu: sau dấu ngoặc kép đóng ô chỉ được có dấu "
                                "phân cách hoặc xuống dòng (dấu ngoặc kép trong ô phải viết "
                                "đôi: \"\")",
                                (unsigned)c->line, col);
        tk_code rc = tk_table_add_text(c->table, c->cell, n, text, c->err);
        return rc ? locate(c->err, rc, open_line, col) : TK_OK;
    }
    const char *start = c->p;
    while (c->p < c->end && *c->p != c->delim && *c->p != '\r' && *c->p != '\n') c->p++;
    size_t n = (size_t)(c->p - start);
    if (n > TK_TABLE_CELL_MAX)
        return tk_error_set(c->err, TK_TOO_LARGE, "file", "Dòng %u, cột %zu: ô dài hơn %d KiB",
                            (unsigned)c->line, col, TK_TABLE_CELL_MAX / 1024);
    tk_code rc = tk_table_add_text(c->table, start, n, text, c->err);
    return rc ? locate(c->err, rc, c->line, col) : TK_OK;
}

/* Reads one record (a row, possibly over several lines) and keeps it unless it is blank. */
static tk_code read_record(csv *c)
{
    uint32_t line = c->line;
    size_t count = 0;
    for (;;) {
        if (count == TK_TABLE_COLUMNS_MAX)
            return tk_error_set(c->err, TK_TOO_LARGE, "file", "Dòng %u có hơn %d cột",
                                (unsigned)line, TK_TABLE_COLUMNS_MAX);
        tk_code rc = read_field(c, count + 1, &c->texts[count]);
        if (rc) return rc;
        count++;
        if (c->p < c->end && *c->p == c->delim) {
            c->p++;
            continue;
        }
        if (c->p < c->end) { /* a line break */
            if (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n') c->p++;
            c->p++;
            c->line++;
        }
        break;
    }
    if (tk_table_blank(c->table, c->texts, count)) return TK_OK;
    return tk_table_add_row(c->table, line, c->texts, NULL, count, c->err);
}

tk_code tk_table_read_csv(const char *data, size_t size, tk_table **out, tk_error *err)
{
    *out = NULL;
    if (!data && size) return tk_error_set(err, TK_INVALID_INPUT, "file", "Thiếu tệp");
    if (size > TK_TABLE_TEXT_MAX)
        return tk_error_set(err, TK_TOO_LARGE, "file", "Tệp CSV lớn hơn %d MiB",
                            TK_TABLE_TEXT_MAX / (1024 * 1024));
    const char *p = data, *end = data + size;
    if (size >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    size_t left = (size_t)(end - p);
    if (left >= 2 && (memcmp(p, "\xFF\xFE", 2) == 0 || memcmp(p, "\xFE\xFF", 2) == 0))
        return tk_error_set(err, TK_INVALID_UTF8, "file",
                            "Tệp được lưu bằng UTF-16 (\"Unicode Text\"): hãy mở tệp bằng Excel, "
                            "chọn Lưu thành (Save As) kiểu \"CSV UTF-8 (Comma delimited) "
                            "(*.csv)\" rồi nhập lại");
    if (left >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
        return tk_error_set(err, TK_INVALID_INPUT, "file",
                            "Tệp này là tệp Excel (.xlsx), không phải CSV: hãy nhập nó như tệp "
                            ".xlsx");
    tk_code rc = check_utf8(p, end, err);
    if (rc) return rc;

    csv c = {.p = p, .end = end, .line = 1, .err = err};
    /* "sep=;" on the first line is Excel's own way to name the delimiter (it reads and writes
     * it); the line is not a row. */
    if (left >= 5 && memcmp(p, "sep=", 4) == 0 && p[4] && strchr(",;\t|", p[4]) &&
        (left == 5 || p[5] == '\r' || p[5] == '\n')) {
        c.delim = p[4];
        c.p = p + 5;
        if (c.p < end && *c.p == '\r') c.p++;
        if (c.p < end && *c.p == '\n') c.p++;
        c.line = 2;
    } else {
        c.delim = detect_delimiter(p, end);
    }
    c.table = tk_table_new();
    c.cell = malloc(TK_TABLE_CELL_MAX);
    if (!c.table || !c.cell) {
        rc = tk_error_set(err, TK_NO_MEMORY, "file", "Không đủ bộ nhớ");
        goto out;
    }
    while (c.p < c.end)
        if ((rc = read_record(&c))) goto out;
    *out = c.table;
    c.table = NULL;
out:
    free(c.cell);
    tk_table_free(c.table);
    return rc;
}
