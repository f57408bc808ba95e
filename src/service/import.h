/* Import of tasks, organizations and indicator values from the tables people keep (CSV or XLSX
 * read by io/table.h): Vietnamese (or English) column headers, dd/mm/yyyy dates, deadlines as
 * period text ("Quý II/2021"), numbers with a decimal comma.
 *
 * Each row goes through the ordinary create of its resource (service/resource.h), as the
 * caller, so an import finds exactly the errors the API would, and leaves the same audit
 * entries. All rows run inside one batch transaction (store.h: tk_db_begin_batch), each row a
 * savepoint; a bad row is collected with its line and reason and the next row goes on. At the
 * end a dry run, or a run with any bad row, is rolled back: all rows or none.
 *
 * Columns are found by their header (core/cell.h: tk_cell_match_header ignores case,
 * diacritics and punctuation); the header is the row among the first ten that names the most
 * known columns, so title rows above it are skipped. References are written as people know
 * them: a unit by its code, name or short name, a program by its number or title, an indicator
 * by its code or name, among what the caller may see (and, for organizations, rows earlier in
 * the same file). A name shared by several objects is an error on that row that asks for the
 * code; units closed before today give way to active ones of the same name.
 *
 *   tasks:            Nhiệm vụ | Nội dung | Tên nhiệm vụ (required), Cơ quan chủ trì |
 *                     Đơn vị chủ trì (required), Thời hạn | Thời gian hoàn thành (required:
 *                     period text or a date), Cơ quan phối hợp (several, separated by ";", ","
 *                     or line breaks), Người chịu trách nhiệm, Sản phẩm, Chương trình,
 *                     Văn bản, Nội dung chi tiết, Trọng số
 *   organizations:    Tên (required), Tên viết tắt, Mã, Cấp trên | Trực thuộc, Loại (a kind
 *                     such as "Đảng bộ", "Sở, ban, ngành", "Chi bộ" or its API word;
 *                     "Khác"/other when empty), Ngày thành lập
 *   indicator values: Chỉ tiêu (required), Kỳ | Năm | Ngày (required: a date, or a period
 *                     whose last day is the value's date), Giá trị (required), Đơn vị,
 *                     Ghi chú, Ước tính ("x", "có")
 *
 * The report (a new JSON object):
 *   {"kind", "dry_run", "rows": data rows read, "created": objects written (0 unless a real
 *    run succeeded), "created_ids": [...] (real run), "would_create": [{"line", "object"}]
 *    (dry run: each object as it would be stored), "errors": [{"line", "column" (the header
 *    as written, or null), "code" (tk_code_name), "message": "Dòng 7, cột Thời hạn: ..."}],
 *    "error_count", "ignored_columns": [headers not used], "truncated": lists cut at
 *    TK_IMPORT_LIST_MAX}. */
#ifndef TK_SERVICE_IMPORT_H
#define TK_SERVICE_IMPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "core/error.h"
#include "io/table.h"
#include "service/context.h"

enum { TK_IMPORT_LIST_MAX = 10000 };

/* Imports table as kind ("tasks", "organizations", "indicator_values"; "indicator-values" too).
 *   TK_OK: a dry run (with or without bad rows), or a real run that wrote every row; *report set.
 *   TK_INVALID_INPUT with *report set: bad rows or a missing column; nothing was written and err
 *     says how many rows were bad (field "file").
 *   TK_FORBIDDEN: the caller may create no object of this kind anywhere (an editor importing
 *     organizations); other errors (unknown kind, an empty table, the database): *report NULL. */
tk_code tk_import(tk_ctx *ctx, const char *kind, const tk_table *table, bool dry_run, json_t **report,
                  tk_error *err);

/* Reads data as a table in the format its name or media type says: ".csv"/"text/csv" or
 * ".xlsx"/"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" (a trailing
 * "; charset=..." is ignored); an .xlsx archive is recognized by its first bytes whatever its
 * name says. TK_UNSUPPORTED for another format. On success *out is a new table. */
tk_code tk_import_read_table(const char *name_or_type, const void *data, size_t size, tk_table **out,
                             tk_error *err);

#endif
