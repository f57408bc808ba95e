/* Reporting schedules: the periods a unit reports on, each with its data window and due date.
 *
 * Nghị định 09/2019/NĐ-CP, Art. 12: a periodic report's data runs from the 15th of the month
 * before the period to the 14th of the period's last month (a month: 15/2 to 14/3; Quý I: 15/12
 * of the year before to 14/3; a year: 15/12 to 14/12). Reports are due by the 25th of the
 * period's last month (shared DOMAIN.md). Both days can be set per schedule.
 *
 * A period is named by a stable key, the one the API and the database use: "2021-03" (month),
 * "2021-Q2" (quarter), "2021-H1" (6 months), "2021-9M" (9 months), "2021" (year), "once"
 * (a one-off report with its own dates). */
#ifndef TK_CORE_SCHEDULE_H
#define TK_CORE_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/error.h"

typedef enum tk_schedule_kind {
    TK_SCHEDULE_MONTH = 0,
    TK_SCHEDULE_QUARTER,
    TK_SCHEDULE_HALF_YEAR,   /* "6 tháng đầu năm": January to June; the year report covers the rest */
    TK_SCHEDULE_NINE_MONTHS, /* "9 tháng": January to September */
    TK_SCHEDULE_YEAR,
    TK_SCHEDULE_ONCE,        /* đột xuất: one report, its dates set by whoever asks for it */
    TK_SCHEDULE_KIND_COUNT
} tk_schedule_kind;

enum {
    TK_SCHEDULE_CUTOFF_DEFAULT = 14, /* the last day of a period's data (ND 09/2019 Art. 12) */
    TK_SCHEDULE_DUE_DEFAULT = 25,
    TK_SCHEDULE_KEY_MAX = 32,
    TK_SCHEDULE_LABEL_MAX = 64,
    TK_SCHEDULE_ONCE_DUE_MAX = 366, /* days after a one-off report's last day */
};

typedef struct tk_schedule {
    tk_schedule_kind kind;
    /* Periodic kinds. Days beyond a month's length mean its last day, so 31 makes the data
     * window the calendar period itself. */
    int cutoff_day; /* 1..31: the last day of data in the period's last month */
    int due_day;    /* 1..31, in the period's last month; after cutoff_day */
    /* TK_SCHEDULE_ONCE: the data window and the due date, once_due_days after once_last. */
    tk_date once_first, once_last;
    int once_due_days;
} tk_schedule;

typedef struct tk_report_period {
    int year;
    int index;                 /* month 1..12, quarter 1..4; 1 for the other kinds */
    tk_date first, last;       /* the calendar period ("Quý II/2021": 1/4 to 30/6) */
    tk_date data_first, data_last; /* the data window (15/3 to 14/6) */
    tk_date due;
    char key[TK_SCHEDULE_KEY_MAX];     /* "2021-Q2" */
    char label[TK_SCHEDULE_LABEL_MAX]; /* "Quý II/2021" */
} tk_report_period;

/* Stable names: "month", "quarter", "half_year", "nine_months", "year", "once". Static. */
const char *tk_schedule_kind_name(tk_schedule_kind kind);
bool tk_schedule_kind_from_name(const char *name, tk_schedule_kind *out);

/* A schedule of kind with ND 09/2019's days (once: dates left 0, to be set). */
tk_schedule tk_schedule_default(tk_schedule_kind kind);

/* Checks the days (and a one-off's dates): TK_INVALID_INPUT naming "cutoff_day", "due_day",
 * "once_first", "once_last" or "once_due_days", with a Vietnamese message. */
tk_code tk_schedule_validate(const tk_schedule *s, tk_error *err);

/* The period (year, index) of a valid schedule; false when it does not exist (index out of
 * range, or a year outside what tk_date holds). A one-off schedule has one period, whatever
 * year and index say. */
bool tk_schedule_period(const tk_schedule *s, int year, int index, tk_report_period *out);

/* The period named by key (exactly as tk_report_period.key writes it). TK_INVALID_INPUT naming
 * `field` when the key does not name a period of this kind of schedule. */
tk_code tk_schedule_period_from_key(const tk_schedule *s, const char *key, const char *field,
                                    tk_report_period *out, tk_error *err);

/* The period whose calendar span contains day; false for a one-off schedule whose dates do not
 * contain it. */
bool tk_schedule_period_containing(const tk_schedule *s, tk_date day, tk_report_period *out);

/* The period whose data window contains day (a task update of 20/3 belongs to Quý II's
 * report); same rules. */
bool tk_schedule_period_for_data(const tk_schedule *s, tk_date day, tk_report_period *out);

/* The periods whose calendar span overlaps [from, to], in order: up to cap of them into out
 * (out may be NULL when cap is 0). Returns how many there are in all. */
size_t tk_schedule_periods_between(const tk_schedule *s, tk_date from, tk_date to, tk_report_period *out,
                                   size_t cap);

#endif
