/* Fuzz target for the CSV reader (io/table_csv.c). Beyond not crashing: a refusal leaves no
 * table and a well-formed message; a table keeps its caps, has increasing line numbers, no
 * blank row, and only NFC text without CR; and writing it back as CSV (every cell quoted, ','
 * and CRLF) reads back to the same cells. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "io/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_refusal(tk_code rc, const tk_table *table, const tk_error *err)
{
    if (table) abort();
    if (rc != TK_INVALID_UTF8 && rc != TK_INVALID_INPUT && rc != TK_TOO_LARGE && rc != TK_NO_MEMORY)
        abort();
    if (err->code != rc || strcmp(err->field, "file") != 0) abort();
    size_t len = strnlen(err->message, sizeof err->message);
    if (len == 0 || len == sizeof err->message || !tk_text_valid_utf8(err->message, len)) abort();
}

static void check_cell(const char *cell)
{
    size_t len = strlen(cell);
    if (!tk_text_valid_utf8(cell, len) || strchr(cell, '\r')) abort();
    char *again = NULL;
    tk_error err;
    if (tk_text_normalize(cell, len, "f", &again, &err) != TK_OK) abort();
    if (strcmp(again, cell) != 0) abort(); /* already NFC, no control characters */
    free(again);
}

/* Spaces, tabs, line breaks and no-break spaces only: what the reader calls blank. */
static bool blank_cell(const char *s)
{
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n') continue;
        if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) {
            s++;
            continue;
        }
        return false;
    }
    return true;
}

/* The table as CSV with every cell quoted; new, with its size in *size. */
static char *write_csv(const tk_table *t, size_t *size)
{
    size_t cap = 16;
    for (size_t r = 0; r < tk_table_row_count(t); r++)
        for (size_t c = 0; c < tk_table_cell_count(t, r); c++)
            cap += 2 * strlen(tk_table_cell(t, r, c)) + 4;
    char *out = malloc(cap), *o = out;
    if (!out) return NULL;
    for (size_t r = 0; r < tk_table_row_count(t); r++) {
        for (size_t c = 0; c < tk_table_cell_count(t, r); c++) {
            if (c) *o++ = ',';
            *o++ = '"';
            for (const char *p = tk_table_cell(t, r, c); *p; p++) {
                if (*p == '"') *o++ = '"';
                *o++ = *p;
            }
            *o++ = '"';
        }
        *o++ = '\r';
        *o++ = '\n';
    }
    *size = (size_t)(o - out);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tk_table *t = NULL;
    tk_error err;
    tk_error_clear(&err);
    tk_code rc = tk_table_read_csv((const char *)data, size, &t, &err);
    if (rc != TK_OK) {
        check_refusal(rc, t, &err);
        return 0;
    }
    if (!t) abort();

    size_t rows = tk_table_row_count(t);
    if (rows > TK_TABLE_ROWS_MAX) abort();
    uint32_t last_line = 0;
    for (size_t r = 0; r < rows; r++) {
        size_t cells = tk_table_cell_count(t, r);
        if (cells == 0 || cells > TK_TABLE_COLUMNS_MAX) abort();
        if (tk_table_line(t, r) <= last_line) abort();
        last_line = tk_table_line(t, r);
        bool blank = true;
        for (size_t c = 0; c < cells; c++) {
            const char *cell = tk_table_cell(t, r, c);
            check_cell(cell);
            if (tk_table_cell_kind(t, r, c) != TK_TABLE_TEXT) abort();
            if (!blank_cell(cell)) blank = false;
        }
        if (blank) abort();
    }

    size_t out_size = 0;
    char *out = write_csv(t, &out_size);
    if (out) {
        tk_table *again = NULL;
        if (tk_table_read_csv(out, out_size, &again, &err) != TK_OK) abort();
        if (tk_table_row_count(again) != rows) abort();
        for (size_t r = 0; r < rows; r++) {
            if (tk_table_cell_count(again, r) != tk_table_cell_count(t, r)) abort();
            for (size_t c = 0; c < tk_table_cell_count(t, r); c++)
                if (strcmp(tk_table_cell(again, r, c), tk_table_cell(t, r, c)) != 0) abort();
        }
        tk_table_free(again);
        free(out);
    }
    tk_table_free(t);
    return 0;
}
