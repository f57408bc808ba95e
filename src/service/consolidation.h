/* Consolidation (tổng hợp): the office's report of a reporting period over its subtree, as one
 * io/document.h document that io/ writes as PDF, DOCX or XLSX. The Văn phòng follows, aggregates
 * and reports (DOMAIN.md, part 8); this is the report it signs.
 *
 * What it holds, in order:
 *   - the completeness of the period (expected / on time / late / missing, the missing units
 *     named) as a paragraph, and per direct child as a table;
 *   - I. tasks by the four statuses of the Government Office's table, judged on the period's
 *     data cut-off day (data_last), per direct child of org (its whole subtree; org's own tasks
 *     in a row of their own) with a total, and per program;
 *   - II. the subtree's indicators, each rolled up by its own rule and set against its next
 *     milestone (service/indicator.h), judged on the period's last day, since values are dated
 *     at the period's end as often as at the cut-off;
 *   - III.-VI. the four text sections (results, limitations, causes, proposals) of every
 *     submitted or accepted report of the period, each prefixed by its unit's name;
 *   - recipients and the signature block.
 *
 * Task columns: assigned (every task led in the subtree), due (a deadline on or before the
 * cut-off day), completed on time, completed late, in progress within the deadline (continuous
 * and recurring tasks included), overdue. assigned = the last four added up. The counts come
 * from task_rollup (a few rows per unit, whatever the number of tasks); the per-program table
 * reads the subtree's tasks in one grouped statement.
 *
 * Who: the caller must see org's whole subtree, as for tk_report_status(); otherwise
 * TK_NOT_FOUND. Nothing is written. */
#ifndef TK_SERVICE_CONSOLIDATION_H
#define TK_SERVICE_CONSOLIDATION_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "service/context.h"

enum { TK_CONSOLIDATION_TEXT_MAX = 200 }; /* characters of number, place and signer fields */

/* The consolidated report of period (a key, "2021-Q2") of schedule_id. query (string values,
 * as in a URL; all optional):
 *   org              the subtree (default: the schedule's body, the one that collects)
 *   layout           party | state (default: state for a People's Committee or a unit directly
 *                    under one, party otherwise)
 *   number           the document number as printed (default a blank to fill by hand:
 *                    "Số    -BC/TU", "Số:      /BC-UBND")
 *   place            the place of the date line (default: the locality in org's name, or its
 *                    parent's: "Đảng bộ thành phố Hà Nội" and "Thành ủy Hà Nội" give "Hà Nội";
 *                    else org's name)
 *   signer_authority, signer_position, signer_name   the signature block (defaults: "T/M BAN
 *                    THƯỜNG VỤ" for a party committee, "TM. ỦY BAN NHÂN DÂN" and "CHỦ TỊCH" for a
 *                    People's Committee, blank otherwise)
 * The issuer is derived from org and its parent, upper-cased the Vietnamese way: a party
 * organization "Đảng bộ thành phố Hà Nội" issues as "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" / "THÀNH ỦY"
 * (tỉnh: TỈNH ỦY, quận: QUẬN ỦY, huyện: HUYỆN ỦY, thị xã: THỊ ỦY, others: ĐẢNG ỦY), and so does
 * a committee named for itself ("Tỉnh ủy Thanh Hóa": "ĐẢNG BỘ TỈNH THANH HÓA" / "TỈNH ỦY"); any
 * other unit as its parent's name over its own. The date is today. *doc: new reference. Errors:
 * those of tk_report_status() (schedule, period, org), TK_INVALID_INPUT naming a bad member. */
tk_code tk_report_consolidate(tk_ctx *ctx, int64_t schedule_id, const char *period_key, const json_t *query,
                              json_t **doc, tk_error *err);

#endif
