/* Fuzz target for the cell parsers (core/cell). Beyond not crashing: a date read is a real
 * day in 1900..2100 that reads back the same from "dd/mm/yyyy" and ISO; a number read is
 * finite, and a Vietnamese-formatted number (tk_number_format) reads back to itself, as C
 * notation does with TK_CELL_DECIMAL_POINT; refusals carry well-formed messages that quote
 * the text; a header matches itself whenever it has a letter or digit, folded or not. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "core/cell.h"
#include "core/numeral.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_message(tk_code rc, const tk_error *err, const char *prefix, const char *missing)
{
    if (err->code != rc || strcmp(err->field, "f") != 0) abort();
    size_t len = strnlen(err->message, sizeof err->message);
    if (len == 0 || len == sizeof err->message || !tk_text_valid_utf8(err->message, len)) abort();
    if (rc != TK_INVALID_UTF8 && strncmp(err->message, prefix, strlen(prefix)) != 0 &&
        strcmp(err->message, missing) != 0)
        abort();
}

static void check_date(const char *text)
{
    tk_date day;
    tk_error err;
    tk_code rc = tk_cell_parse_date(text, "f", &day, &err);
    if (rc != TK_OK) {
        if (rc != TK_INVALID_PERIOD && rc != TK_INVALID_UTF8) abort();
        check_message(rc, &err, "Không hiểu ngày \"", "Thiếu ngày");
        return;
    }
    int y, m, d;
    tk_date_to_ymd(day, &y, &m, &d);
    if (!tk_date_valid(y, m, d)) abort();
    char buf[TK_DATE_TEXT_MAX];
    tk_date again;
    if (tk_cell_parse_date(tk_date_format_vn(day, buf), "f", &again, &err) != TK_OK || again != day)
        abort();
    if (tk_cell_parse_date(tk_date_format_iso(day, buf), "f", &again, &err) != TK_OK || again != day)
        abort();
}

static void check_number(const char *text, unsigned flags)
{
    tk_cell_number n;
    tk_error err;
    tk_code rc = tk_cell_parse_number(text, flags, "f", &n, &err);
    if (rc != TK_OK) {
        if (rc != TK_INVALID_INPUT && rc != TK_INVALID_UTF8) abort();
        check_message(rc, &err, "Không hiểu số \"", "Thiếu số");
        return;
    }
    if (!isfinite(n.value) || (flags & TK_CELL_DECIMAL_POINT && n.percent)) abort();

    tk_cell_number again;
    char buf[160];
    if (flags & TK_CELL_DECIMAL_POINT) {
        snprintf(buf, sizeof buf, "%.17g", n.value);
        if (tk_cell_parse_number(buf, flags, "f", &again, &err) != TK_OK || again.value != n.value)
            abort();
        return;
    }
    /* As the reports print numbers ("1.234,5"), with the percent sign after a space: it reads
     * back as the same digits, rounded to 6 decimals as the formatter does. */
    if (!tk_number_format(n.value, 6, true, buf, sizeof buf - 4)) return;
    if (n.percent) strcat(buf, " %");
    if (tk_cell_parse_number(buf, 0, "f", &again, &err) != TK_OK) abort();
    char rounded[64];
    snprintf(rounded, sizeof rounded, "%.6f", n.value);
    if (again.value != strtod(rounded, NULL) || again.percent != n.percent) abort();
}

/* True when valid UTF-8 s has a letter or digit: then, and only then, it can match a name. */
static bool has_alnum(const char *s)
{
    int32_t len = (int32_t)strlen(s);
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c >= 0 && u_isalnum(c)) return true;
    }
    return false;
}

static void check_header(const char *text, size_t size)
{
    const char *names[] = {text, NULL};
    int found = tk_cell_match_header(text, names);
    if (!tk_text_valid_utf8(text, size)) {
        if (found != -1) abort();
        return;
    }
    char *folded = tk_text_fold(text);
    if (!folded) return;
    if (found != (has_alnum(folded) ? 0 : -1)) abort();
    if (tk_cell_match_header(folded, names) != found) abort();
    free(folded);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    if (size) memcpy(text, data, size);
    text[size] = '\0';
    size_t len = strlen(text); /* up to an embedded NUL, as a C caller would pass it */

    check_date(text);
    check_number(text, 0);
    check_number(text, TK_CELL_DECIMAL_POINT);
    check_header(text, len);
    free(text);
    return 0;
}
