/* The tables of a document (io/document.h) as CSV: RFC 4180 (commas, double quotes, CRLF),
 * UTF-8 with a byte order mark so that Excel reads Vietnamese as UTF-8 and not in the ANSI code
 * page. Each table is its header row, its rows and its total; tables are separated by an empty
 * line. The layout parts of the document (issuer, signature) have no place in a CSV file.
 *
 * A cell that a spreadsheet would take for a formula ("=HYPERLINK(...)", "+1", "@SUM") gets a
 * leading apostrophe, which spreadsheets show as text: a task's title is whatever a person
 * typed, and opening an export must not run it. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/document.h"

/* "-12", "-12,5", "-0.25": a negative figure, with either decimal mark. strtod would also take
 * "-1e5" or "-inf", and Excel reads "-1+1" as a formula. */
static bool negative_number(const char *s)
{
    if (*s++ != '-' || !isdigit((unsigned char)*s)) return false;
    while (isdigit((unsigned char)*s)) s++;
    if (*s == ',' || *s == '.') {
        s++;
        if (!isdigit((unsigned char)*s)) return false;
        while (isdigit((unsigned char)*s)) s++;
    }
    return *s == '\0';
}

static bool formula_like(const char *s)
{
    switch (s[0]) {
    case '=':
    case '+':
    case '@':
    case '\t':
    case '\r':
        return true;
    case '-':
        /* "- Nội dung" is how documents start a point; "-12" is a number. */
        return s[1] != ' ' && s[1] != '\0' && !negative_number(s);
    default:
        return false;
    }
}

static void write_cell(FILE *f, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL || (s[0] == ' ') || (s[0] && s[strlen(s) - 1] == ' ');
    bool guard = formula_like(s);
    if (!quote && !guard) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (guard) fputc('\'', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"') fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

static void write_row(FILE *f, const json_t *cells)
{
    size_t i;
    json_t *cell;
    json_array_foreach(cells, i, cell) {
        if (i) fputc(',', f);
        const char *s = json_is_string(cell) ? json_string_value(cell) : json_string_value(json_object_get(cell, "text"));
        write_cell(f, s ? s : "");
    }
    fputs("\r\n", f);
}

tk_code tk_csv_render(const json_t *doc, unsigned char **out, size_t *size, tk_error *err)
{
    *out = NULL;
    *size = 0;
    tk_code rc = tk_document_check(doc, err);
    if (rc) return rc;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return tk_error_set(err, TK_INTERNAL, NULL, "Hết bộ nhớ");
    fputs("\xEF\xBB\xBF", f);
    bool first = true;
    size_t i, r;
    json_t *block, *row;
    json_array_foreach(json_object_get(doc, "blocks"), i, block) {
        if (strcmp(json_string_value(json_object_get(block, "type")), "table") != 0) continue;
        if (!first) fputs("\r\n", f);
        first = false;
        write_row(f, json_object_get(block, "columns"));
        json_array_foreach(json_object_get(block, "rows"), r, row) write_row(f, row);
        const json_t *total = json_object_get(block, "total");
        if (json_is_array(total)) write_row(f, total);
    }
    if (fclose(f) != 0 || !text) {
        free(text);
        return tk_error_set(err, TK_INTERNAL, NULL, "Hết bộ nhớ");
    }
    *out = (unsigned char *)text;
    *size = len;
    return TK_OK;
}
