/* An official document (a report, mostly) as one JSON value, written out as PDF (io/pdf.c),
 * DOCX (io/docx.c), XLSX (io/xlsx.c) and, its tables only, CSV (io/csv.c). The service layer
 * builds the value; the writers only lay it out, so all the formats say the same thing.
 *
 * {
 *   "layout": "party" | "state",
 *       party: Hướng dẫn 36-HD/VPTW. Top left the issuing body ("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" above
 *              "THÀNH ỦY" in bold), a "*" line and the number ("Số 12-BC/TU"); top right
 *              "ĐẢNG CỘNG SẢN VIỆT NAM" bold and underlined, above the place-and-date line in italics.
 *       state: Nghị định 30/2020 for People's Committees. Top left the parent body ("UBND TỈNH
 *              THANH HÓA") above the body in bold, a short rule, the number ("Số: 123/BC-UBND");
 *              top right "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" bold over "Độc lập - Tự do - Hạnh
 *              phúc" bold and underlined, then the place-and-date line in italics.
 *   "issuer": {"parent": "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "name": "THÀNH ỦY"},  parent may be ""
 *   "number": "Số 12-BC/TU",
 *   "place": "Hà Nội",
 *   "date": "2021-03-15",              shown as "Hà Nội, ngày 15 tháng 3 năm 2021"
 *   "kind": "BÁO CÁO",                 centered, bold, upper case as given
 *   "title": "Kết quả thực hiện ...",  centered, bold, below the kind; may be ""
 *   "blocks": [                        the body, in order
 *     {"type": "heading", "level": 1, "text": "I. KẾT QUẢ ĐẠT ĐƯỢC"},    level 1 or 2
 *     {"type": "paragraph", "text": "..."},                             may hold "\n" line breaks
 *     {"type": "table", "title": "Bảng 1. ...",                          title may be absent
 *      "columns": [{"text": "Đơn vị", "width": 4, "align": "left"},     width: relative weight > 0
 *                  {"text": "Giao", "width": 1, "align": "right"}],     align: left|center|right
 *      "rows": [["Sở Nội vụ", "12"], ...],      strings, already formatted ("1.234", "85,5 %")
 *      "total": ["Cộng", "40"]}                 optional, shown in bold after the rows
 *   ],
 *   "recipients": ["Như trên,", "Lưu Văn phòng Thành ủy."],   under "Nơi nhận:"; may be empty
 *   "signature": {"authority": "T/M BAN THƯỜNG VỤ", "position": "PHÓ BÍ THƯ THƯỜNG TRỰC",
 *                 "name": "Nguyễn Văn A"}       authority may be ""
 * }
 *
 * A table's header row repeats on every page it runs over (PDF, DOCX) and is the first row of
 * its sheet (XLSX). All text is UTF-8; the writers do not change it. */
#ifndef TK_IO_DOCUMENT_H
#define TK_IO_DOCUMENT_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

enum { TK_DOCUMENT_DATE_LINE_MAX = 160 };

/* Checks that doc has the shape above: every member present with its type, layout known,
 * date a real ISO date, every row as long as the columns. TK_INVALID_INPUT names the first
 * member that is wrong (field "blocks[3].rows[7]"). */
tk_code tk_document_check(const json_t *doc, tk_error *err);

/* "Hà Nội, ngày 15 tháng 3 năm 2021" from place and date. As the layout rules write dates, a
 * day below 10 and the months 1 and 2 take a leading zero ("ngày 05 tháng 01 năm 2021"); other
 * months do not. out holds TK_DOCUMENT_DATE_LINE_MAX bytes. */
void tk_document_date_line(const json_t *doc, char out[TK_DOCUMENT_DATE_LINE_MAX]);

/* The three writers. Each returns the whole file in *out (new, free()) and its size. */
tk_code tk_pdf_render(const json_t *doc, unsigned char **out, size_t *size, tk_error *err);
tk_code tk_docx_render(const json_t *doc, unsigned char **out, size_t *size, tk_error *err);
tk_code tk_xlsx_render(const json_t *doc, unsigned char **out, size_t *size, tk_error *err);
/* Only the tables, as CSV (io/csv.c): for the lists people take out to other tools. */
tk_code tk_csv_render(const json_t *doc, unsigned char **out, size_t *size, tk_error *err);

#endif
