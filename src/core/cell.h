/* Cell text as people type it in spreadsheets: dates, numbers and column headers.
 *
 * The import reads CSV and XLSX files kept by hand (io/table.h gives their cells as text);
 * these parsers turn one cell's text into a value, with a Vietnamese message that quotes the
 * text when they cannot. They are pure: no I/O, no locale (a Vietnamese decimal comma is read
 * the same on every machine).
 *
 * Dates are day/month/year, as Vietnamese write them; a year is always four digits:
 *     "15/03/2021", "15/3/2021", "15-03-2021", "15.03.2021"     day, month, year
 *     "2021-03-15", "2021/3/15"                                 year first (ISO 8601)
 *
 * Numbers follow Vietnamese writing first: ',' is the decimal separator and '.' groups
 * thousands ("1.234,5"); spaces and no-break spaces also group thousands ("1 234 567");
 * English writing is read where it cannot be mistaken ("1,234.5", "1234.5"). The rules:
 *   1. a number with both '.' and ',': the one written last is the decimal separator and
 *      appears once; the other groups thousands ("1.234,5" and "1,234.5" are both 1234.5);
 *   2. one ',' alone is the decimal separator ("1234,5", and "1,234" is 1.234);
 *      several are thousands ("1,234,567");
 *   3. several '.' are thousands ("1.234.567");
 *   4. one '.' alone groups thousands when exactly three digits follow it and one to three
 *      digits, not starting with 0, precede it ("1.234" and "12.500" are 1234 and 12500, as a
 *      Vietnamese reader sees them); any other single '.' is the decimal point ("1.5",
 *      "85.25", "0.125", "1234.567");
 *   5. grouped digits come in threes after the first group (1 to 3 digits), and only one kind
 *      of grouping is used in a number;
 *   6. a '%' at the end, with or without a space before it, sets the percent flag and leaves
 *      the value as written ("85,5 %" is 85.5, percent).
 * Rule 4 reads "2.500" meaning two and a half as 2500: in files kept in Vietnamese the
 * grouping reading is the common one. Text that a program wrote (the XLSX reader's number
 * cells, "1.234" meaning 1.234) is read with TK_CELL_DECIMAL_POINT instead. */
#ifndef TK_CORE_CELL_H
#define TK_CORE_CELL_H

#include <stdbool.h>

#include "core/date.h"
#include "core/error.h"

/* Longest cell text the date and number parsers read; beyond it they refuse without reading. */
enum { TK_CELL_TEXT_MAX = 100 };

/* Reads a date written as above, with white space (also no-break space) around it ignored.
 * On success *out is the day and TK_OK is returned. Otherwise TK_INVALID_PERIOD
 * (TK_INVALID_UTF8 for bad bytes) with a message that quotes the text and says what is wrong:
 * a two-digit year, a day the month does not have (31/02/2021), a month above 12, a year
 * outside 1900..2100. field (may be NULL) goes into err. */
tk_code tk_cell_parse_date(const char *text, const char *field, tk_date *out, tk_error *err);

typedef struct tk_cell_number {
    double value;
    bool percent; /* the text ended with '%'; value is as written (85.5 for "85,5 %") */
} tk_cell_number;

enum tk_cell_number_flags {
    /* The text was written by a program in C notation: '.' is always the decimal point, no
     * grouping, optional exponent ("1234.567", "-0.5", "1e+21"). This is how the XLSX reader
     * writes number cells (tk_table_cell_kind() == TK_TABLE_NUMBER). */
    TK_CELL_DECIMAL_POINT = 1,
};

/* Reads a number written as above (flags 0), or in C notation (TK_CELL_DECIMAL_POINT). White
 * space around it is ignored; a leading '-', '+' or '−' (U+2212) is the sign. On success fills
 * *out and returns TK_OK; otherwise TK_INVALID_INPUT (TK_INVALID_UTF8 for bad bytes) with a
 * message that quotes the text. field (may be NULL) goes into err. */
tk_code tk_cell_parse_number(const char *text, unsigned flags, const char *field,
                             tk_cell_number *out, tk_error *err);

/* Compares a column header with the accepted names, ignoring case, diacritics (đ as d), white
 * space (also line breaks inside a header cell) and every character that is not a letter or
 * digit: "Đơn vị chủ trì", "ĐƠN VỊ\nCHỦ TRÌ", "Đơn vị chủ trì (*)" and "don vi chu tri:" all
 * match "Đơn vị chủ trì". So names in one list must differ in their letters or digits.
 * names is a NULL-terminated list; returns the index of the first name that matches, or -1
 * (also when header or a name is not valid UTF-8, or memory runs out). */
int tk_cell_match_header(const char *header, const char *const *names);

#endif
