/* The reader of time as Vietnamese documents write it ("Quý I/2021", "trước ngày 30/6/2021",
 * "giai đoạn 2021-2025", "Thường xuyên", ...). The rules are in shared DOMAIN.md, "How trienkhai
 * reads a period"; `trienkhai period TEXT`, the API and import all use this one reader. */
#ifndef TK_CORE_PERIOD_H
#define TK_CORE_PERIOD_H

#include "core/date.h"
#include "core/error.h"

typedef enum tk_period_kind {
    TK_PERIOD_SPAN = 0,          /* a first and a last day (a date is a span of one day) */
    TK_PERIOD_CONTINUOUS,        /* "Thường xuyên": no deadline, never overdue */
    TK_PERIOD_RECURRING_YEAR,    /* "Hằng năm" / "Hàng năm" */
    TK_PERIOD_RECURRING_QUARTER, /* "Hằng quý" */
    TK_PERIOD_RECURRING_MONTH,   /* "Hằng tháng" */
} tk_period_kind;

typedef struct tk_period {
    tk_period_kind kind;
    tk_date first; /* meaningful for TK_PERIOD_SPAN only */
    tk_date last;  /* the deadline when the period is used as one */
} tk_period;

/* Reads text (UTF-8, any case, NFC or NFD). On success fills *out and returns TK_OK.
 * Otherwise returns TK_INVALID_PERIOD (TK_INVALID_UTF8 for bad bytes) with a Vietnamese
 * message that quotes the text, and field set to `field` (may be NULL). */
tk_code tk_period_parse(const char *text, const char *field, tk_period *out, tk_error *err);

/* The stable word of a kind: "span", "continuous", "recurring year", "recurring quarter",
 * "recurring month". Borrowed, static. */
const char *tk_period_kind_name(tk_period_kind kind);

/* The kind named by tk_period_kind_name(); false when the name is unknown. */
bool tk_period_kind_from_name(const char *name, tk_period_kind *out);

/* The recurring period (year, quarter or month, by kind) that contains day: its first and
 * last day. For TK_PERIOD_SPAN and TK_PERIOD_CONTINUOUS, returns false. */
bool tk_period_occurrence(tk_period_kind kind, tk_date day, tk_date *first, tk_date *last);

#endif
