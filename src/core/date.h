/* Calendar dates as day numbers.
 *
 * A tk_date counts days since 1970-01-01 (proleptic Gregorian), so "days overdue" is a
 * subtraction. Dates travel as "YYYY-MM-DD" in the API and the database, and as dd/mm/yyyy
 * on pages and in reports. Years are limited to 1900..2100, the range the period reader
 * accepts. */
#ifndef TK_CORE_DATE_H
#define TK_CORE_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t tk_date;

enum { TK_DATE_YEAR_MIN = 1900, TK_DATE_YEAR_MAX = 2100 };
/* Buffer size for "YYYY-MM-DD" or "dd/mm/yyyy" and the terminating NUL. */
enum { TK_DATE_TEXT_MAX = 11 };

bool tk_date_is_leap(int year);
int tk_date_days_in_month(int year, int month);
/* True when y-m-d names a real day within TK_DATE_YEAR_MIN..MAX. */
bool tk_date_valid(int year, int month, int day);
tk_date tk_date_from_ymd(int year, int month, int day);
void tk_date_to_ymd(tk_date date, int *year, int *month, int *day);

/* Parses exactly "YYYY-MM-DD" (a real day); false otherwise. */
bool tk_date_parse_iso(const char *text, tk_date *out);
/* Writes "YYYY-MM-DD" into buf (TK_DATE_TEXT_MAX bytes). Returns buf. */
char *tk_date_format_iso(tk_date date, char buf[TK_DATE_TEXT_MAX]);
/* Writes "dd/mm/yyyy" into buf (TK_DATE_TEXT_MAX bytes). Returns buf. */
char *tk_date_format_vn(tk_date date, char buf[TK_DATE_TEXT_MAX]);

#endif
