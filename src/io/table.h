/* A table read from a CSV or XLSX file, as people keep them: rows of cells, each cell UTF-8
 * text in NFC, each row with the line (CSV) or row number (XLSX) a person sees, for messages
 * such as "Dòng 7: ...". The import maps its columns to fields; core/cell.h reads the cells.
 *
 * Both readers:
 *   - skip blank rows (every cell empty or spaces: Excel writes ";;;;" for an empty row, and
 *     keeps <row> elements for rows that only have formatting);
 *   - keep cell text as written (spaces included), except that line breaks inside a cell
 *     become "\n";
 *   - refuse text with control characters, and more than TK_TABLE_ROWS_MAX rows,
 *     TK_TABLE_COLUMNS_MAX columns or TK_TABLE_CELL_MAX bytes in a cell, with a message that
 *     names the line and column; every error has field "file".
 * A row has as many cells as the file gives it (CSV) or up to its last non-empty cell
 * (XLSX); asking for a cell past the end gives "", so ragged rows need no care. */
#ifndef TK_IO_TABLE_H
#define TK_IO_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

enum {
    TK_TABLE_ROWS_MAX = 100000,           /* rows kept (blank rows do not count) */
    TK_TABLE_COLUMNS_MAX = 200,
    TK_TABLE_CELL_MAX = 64 * 1024,        /* bytes of one cell's text */
    TK_TABLE_TEXT_MAX = 256 * 1024 * 1024, /* bytes of all the text of a table */
    /* Bytes read out of an .xlsx archive in all: a zip bomb of a few KiB can expand to
     * gigabytes, and a sheet of 100.000 rows by 20 columns is about 20 MiB of XML. */
    TK_TABLE_XLSX_UNCOMPRESSED_MAX = 50 * 1024 * 1024,
};

/* What an XLSX cell held. CSV cells are all TK_TABLE_TEXT. */
typedef enum tk_table_kind {
    TK_TABLE_TEXT = 0,
    TK_TABLE_NUMBER,  /* written as the shortest C notation that reads back the same:
                         "1234", "85.5", "-0.125", "1e+21"; read it with
                         tk_cell_parse_number(..., TK_CELL_DECIMAL_POINT, ...) */
    TK_TABLE_DATE,    /* a number cell with a date format, written "dd/mm/yyyy" */
    TK_TABLE_BOOLEAN, /* "TRUE" or "FALSE", as Excel shows them */
    TK_TABLE_ERROR,   /* a formula's error as Excel shows it: "#N/A", "#DIV/0!" */
} tk_table_kind;

/* Owns its rows and text; free with tk_table_free(). */
typedef struct tk_table tk_table;

/* Reads a CSV file: RFC 4180 quoting (delimiters, doubled quotes and line breaks inside
 * quotes), a UTF-8 byte order mark skipped, CRLF, LF or CR line ends. The delimiter is ',',
 * ';' (Excel in the Vietnamese locale) or tab: the one that occurs most often outside quotes in
 * the header (the first line that has any of them), ';' before tab before ',' on a tie, ','
 * when no line has any; or the one named by a first line "sep=;" (Excel's own convention).
 * Refuses bytes that are not UTF-8 (TK_INVALID_UTF8, naming the line and telling to save as
 * "CSV UTF-8"), UTF-16 and .xlsx files given as CSV, a quote left open, and text after a
 * closing quote. Row numbers are the line where the row starts, counted in the file as a text
 * editor shows it (a cell with line breaks makes them differ from Excel's row numbers). On
 * success *out is a new table. */
tk_code tk_table_read_csv(const char *data, size_t size, tk_table **out, tk_error *err);

/* Reads the first worksheet of an .xlsx file (in workbook order) from memory: text from
 * shared strings (rich text runs joined, phonetic runs left out) or inline strings, numbers,
 * booleans, formula results, and numbers with a date format (built-in 14-17, 22, the East
 * Asian 27-36 and 50-58, or a custom format with d or y, or m without h or s) as "dd/mm/yyyy".
 * Time-only formats (18-21, 45-47) are numbers: they name no day. Cells go in the column of
 * their reference ("C7"), so omitted empty cells leave gaps; row numbers are the sheet's.
 * Refuses .xls files, archives that are not .xlsx, and more than
 * TK_TABLE_XLSX_UNCOMPRESSED_MAX bytes of uncompressed XML. On success *out is a new table. */
tk_code tk_table_read_xlsx(const unsigned char *data, size_t size, tk_table **out, tk_error *err);

void tk_table_free(tk_table *table);

size_t tk_table_row_count(const tk_table *table);
/* Cells of row (0-based); 0 past the last row. */
size_t tk_table_cell_count(const tk_table *table, size_t row);
/* The text of a cell (row and col 0-based). Borrowed from the table; "" past the end. */
const char *tk_table_cell(const tk_table *table, size_t row, size_t col);
/* What the cell held; TK_TABLE_TEXT past the end. */
tk_table_kind tk_table_cell_kind(const tk_table *table, size_t row, size_t col);
/* The 1-based line (CSV) or row number (XLSX) of row; 0 past the last row. */
uint32_t tk_table_line(const tk_table *table, size_t row);

/* ---- for the readers (io/table_csv.c defines these beside the CSV reader) ---- */

/* A new empty table, or NULL when memory runs out. */
tk_table *tk_table_new(void);
/* Stores len bytes of cell text: control characters refused, NFC, line breaks as "\n".
 * *text is its handle for tk_table_add_row(). Errors carry no location: the reader adds it. */
tk_code tk_table_add_text(tk_table *table, const char *s, size_t len, uint32_t *text,
                          tk_error *err);
/* Appends a row of count cells (handles from tk_table_add_text(), 0 for an empty cell; kinds
 * may be NULL for all text). Refuses the row after TK_TABLE_ROWS_MAX. */
tk_code tk_table_add_row(tk_table *table, uint32_t line, const uint32_t *texts,
                         const uint8_t *kinds, size_t count, tk_error *err);
/* True when every cell of the handles is empty or spaces. */
bool tk_table_blank(const tk_table *table, const uint32_t *texts, size_t count);

#endif
