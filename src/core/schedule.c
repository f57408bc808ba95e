#include "core/schedule.h"

#include <stdio.h>
#include <string.h>

#include "core/numeral.h"

static const char *const kind_names[TK_SCHEDULE_KIND_COUNT] = {"month", "quarter", "half_year", "nine_months",
                                                               "year", "once"};

/* The shape of each periodic kind: how many periods a year, and their length in months. */
static const struct {
    int per_year;
    int months;
} shapes[TK_SCHEDULE_KIND_COUNT] = {
    [TK_SCHEDULE_MONTH] = {12, 1}, [TK_SCHEDULE_QUARTER] = {4, 3}, [TK_SCHEDULE_HALF_YEAR] = {1, 6},
    [TK_SCHEDULE_NINE_MONTHS] = {1, 9}, [TK_SCHEDULE_YEAR] = {1, 12}, [TK_SCHEDULE_ONCE] = {0, 0},
};

/* The year before a period's first month must still be a year tk_date formats (the data
 * window of January starts in December). */
enum { YEAR_FIRST = TK_DATE_YEAR_MIN + 1, YEAR_LAST = TK_DATE_YEAR_MAX };

const char *tk_schedule_kind_name(tk_schedule_kind kind)
{
    return (unsigned)kind < TK_SCHEDULE_KIND_COUNT ? kind_names[kind] : "unknown";
}

bool tk_schedule_kind_from_name(const char *name, tk_schedule_kind *out)
{
    for (int i = 0; name && i < TK_SCHEDULE_KIND_COUNT; i++)
        if (strcmp(kind_names[i], name) == 0) {
            *out = (tk_schedule_kind)i;
            return true;
        }
    return false;
}

tk_schedule tk_schedule_default(tk_schedule_kind kind)
{
    tk_schedule s = {.kind = kind, .cutoff_day = TK_SCHEDULE_CUTOFF_DEFAULT, .due_day = TK_SCHEDULE_DUE_DEFAULT};
    return s;
}

tk_code tk_schedule_validate(const tk_schedule *s, tk_error *err)
{
    if ((unsigned)s->kind >= TK_SCHEDULE_KIND_COUNT)
        return tk_error_set(err, TK_INVALID_INPUT, "period_type", "Loại kỳ báo cáo không hợp lệ");
    if (s->kind == TK_SCHEDULE_ONCE) {
        int y, m, d;
        tk_date_to_ymd(s->once_first, &y, &m, &d);
        if (s->once_first == 0 || !tk_date_valid(y, m, d))
            return tk_error_set(err, TK_INVALID_INPUT, "once_first", "Cần nhập ngày đầu của số liệu báo cáo");
        tk_date_to_ymd(s->once_last, &y, &m, &d);
        if (s->once_last == 0 || !tk_date_valid(y, m, d))
            return tk_error_set(err, TK_INVALID_INPUT, "once_last", "Cần nhập ngày cuối của số liệu báo cáo");
        if (s->once_last < s->once_first)
            return tk_error_set(err, TK_INVALID_INPUT, "once_last", "Ngày cuối của số liệu phải từ ngày đầu trở đi");
        if (s->once_due_days < 0 || s->once_due_days > TK_SCHEDULE_ONCE_DUE_MAX)
            return tk_error_set(err, TK_INVALID_INPUT, "once_due_days", "Hạn nộp phải từ 0 đến %d ngày sau ngày cuối của số liệu",
                                TK_SCHEDULE_ONCE_DUE_MAX);
        tk_date_to_ymd(s->once_last + s->once_due_days, &y, &m, &d);
        if (!tk_date_valid(y, m, d))
            return tk_error_set(err, TK_INVALID_INPUT, "once_due_days", "Hạn nộp vượt quá năm %d", TK_DATE_YEAR_MAX);
        return TK_OK;
    }
    if (s->cutoff_day < 1 || s->cutoff_day > 31)
        return tk_error_set(err, TK_INVALID_INPUT, "cutoff_day", "Ngày chốt số liệu phải từ 1 đến 31");
    if (s->due_day < 1 || s->due_day > 31)
        return tk_error_set(err, TK_INVALID_INPUT, "due_day", "Hạn nộp báo cáo phải là ngày từ 1 đến 31");
    /* Both fall in the period's last month; a report due before its data ends cannot be made. */
    if (s->due_day <= s->cutoff_day)
        return tk_error_set(err, TK_INVALID_INPUT, "due_day", "Hạn nộp báo cáo (ngày %d) phải sau ngày chốt số liệu (ngày %d)",
                            s->due_day, s->cutoff_day);
    return TK_OK;
}

/* Day `day` of a month, or its last day when the month is shorter. */
static tk_date day_of_month(int year, int month, int day)
{
    int last = tk_date_days_in_month(year, month);
    return tk_date_from_ymd(year, month, day < last ? day : last);
}

static void format_once(const tk_schedule *s, tk_report_period *out)
{
    char a[TK_DATE_TEXT_MAX], b[TK_DATE_TEXT_MAX];
    memset(out, 0, sizeof *out);
    int m, d;
    tk_date_to_ymd(s->once_last, &out->year, &m, &d);
    out->index = 1;
    out->first = out->data_first = s->once_first;
    out->last = out->data_last = s->once_last;
    out->due = s->once_last + s->once_due_days;
    snprintf(out->key, sizeof out->key, "once");
    snprintf(out->label, sizeof out->label, "Từ %s đến %s", tk_date_format_vn(s->once_first, a),
             tk_date_format_vn(s->once_last, b));
}

bool tk_schedule_period(const tk_schedule *s, int year, int index, tk_report_period *out)
{
    if ((unsigned)s->kind >= TK_SCHEDULE_KIND_COUNT) return false;
    if (s->kind == TK_SCHEDULE_ONCE) {
        format_once(s, out);
        return true;
    }
    int per_year = shapes[s->kind].per_year, months = shapes[s->kind].months;
    if (year < YEAR_FIRST || year > YEAR_LAST || index < 1 || index > per_year) return false;
    memset(out, 0, sizeof *out);
    out->year = year;
    out->index = index;
    int first_month = (index - 1) * months + 1, last_month = first_month + months - 1;
    out->first = tk_date_from_ymd(year, first_month, 1);
    out->last = tk_date_from_ymd(year, last_month, tk_date_days_in_month(year, last_month));
    int before_year = first_month == 1 ? year - 1 : year, before_month = first_month == 1 ? 12 : first_month - 1;
    out->data_first = day_of_month(before_year, before_month, s->cutoff_day) + 1;
    out->data_last = day_of_month(year, last_month, s->cutoff_day);
    out->due = day_of_month(year, last_month, s->due_day);
    char roman[TK_ROMAN_MAX];
    switch (s->kind) {
    case TK_SCHEDULE_MONTH:
        snprintf(out->key, sizeof out->key, "%04d-%02d", year, index);
        snprintf(out->label, sizeof out->label, "Tháng %d/%d", index, year);
        break;
    case TK_SCHEDULE_QUARTER:
        tk_roman_format(index, roman, sizeof roman);
        snprintf(out->key, sizeof out->key, "%04d-Q%d", year, index);
        snprintf(out->label, sizeof out->label, "Quý %s/%d", roman, year);
        break;
    case TK_SCHEDULE_HALF_YEAR:
        snprintf(out->key, sizeof out->key, "%04d-H1", year);
        snprintf(out->label, sizeof out->label, "6 tháng đầu năm %d", year);
        break;
    case TK_SCHEDULE_NINE_MONTHS:
        snprintf(out->key, sizeof out->key, "%04d-9M", year);
        snprintf(out->label, sizeof out->label, "9 tháng năm %d", year);
        break;
    default:
        snprintf(out->key, sizeof out->key, "%04d", year);
        snprintf(out->label, sizeof out->label, "Năm %d", year);
        break;
    }
    return true;
}

/* Reads exactly n digits at s. */
static bool read_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

tk_code tk_schedule_period_from_key(const tk_schedule *s, const char *key, const char *field,
                                    tk_report_period *out, tk_error *err)
{
    static const char *const examples[TK_SCHEDULE_KIND_COUNT] = {"2021-03", "2021-Q2", "2021-H1", "2021-9M", "2021",
                                                                 "once"};
    bool ok = false;
    int year = 0, index = 1;
    size_t len = key ? strlen(key) : 0;
    if ((unsigned)s->kind >= TK_SCHEDULE_KIND_COUNT) return tk_error_set(err, TK_INVALID_INPUT, field, "Loại kỳ báo cáo không hợp lệ");
    if (s->kind == TK_SCHEDULE_ONCE) {
        ok = key && strcmp(key, "once") == 0;
    } else if (key && len >= 4 && read_digits(key, 4, &year)) {
        const char *rest = key + 4;
        switch (s->kind) {
        case TK_SCHEDULE_MONTH:
            ok = len == 7 && rest[0] == '-' && read_digits(rest + 1, 2, &index);
            break;
        case TK_SCHEDULE_QUARTER:
            ok = len == 7 && rest[0] == '-' && rest[1] == 'Q' && read_digits(rest + 2, 1, &index);
            break;
        case TK_SCHEDULE_HALF_YEAR:
            ok = strcmp(rest, "-H1") == 0;
            break;
        case TK_SCHEDULE_NINE_MONTHS:
            ok = strcmp(rest, "-9M") == 0;
            break;
        default:
            ok = len == 4;
            break;
        }
    }
    if (ok && tk_schedule_period(s, year, index, out)) return TK_OK;
    /* The key is quoted back only when it is short plain ASCII, so the message stays whole
     * UTF-8 whatever the caller sent. */
    bool quotable = len > 0 && len <= 32;
    for (size_t i = 0; quotable && i < len; i++) quotable = key[i] >= 0x20 && key[i] < 0x7f;
    if (quotable)
        return tk_error_set(err, TK_INVALID_INPUT, field, "\"%s\" không phải một kỳ của lịch báo cáo này (viết như \"%s\")",
                            key, examples[s->kind]);
    return tk_error_set(err, TK_INVALID_INPUT, field, "Kỳ báo cáo không đúng dạng của lịch báo cáo này (viết như \"%s\")",
                        examples[s->kind]);
}

/* The period whose calendar span (by_data false) or data window (true) contains day. A data
 * window starts in the month before its calendar span, so it is this month's period or the
 * next one. */
static bool containing(const tk_schedule *s, tk_date day, bool by_data, tk_report_period *out)
{
    if (s->kind == TK_SCHEDULE_ONCE) {
        format_once(s, out);
        return day >= out->first && day <= out->last;
    }
    int y, m, d;
    tk_date_to_ymd(day, &y, &m, &d);
    int months = shapes[s->kind].months;
    /* The 6- and 9-month kinds leave part of the year uncovered: no period there. */
    int index = (m - 1) / months + 1;
    for (int step = 0; step < 2; step++) {
        int cy = y, ci = index + step;
        if (ci > shapes[s->kind].per_year) {
            cy++;
            ci = 1;
        }
        tk_report_period p;
        if (!tk_schedule_period(s, cy, ci, &p)) continue;
        tk_date first = by_data ? p.data_first : p.first, last = by_data ? p.data_last : p.last;
        if (day >= first && day <= last) {
            *out = p;
            return true;
        }
    }
    return false;
}

bool tk_schedule_period_containing(const tk_schedule *s, tk_date day, tk_report_period *out)
{
    return (unsigned)s->kind < TK_SCHEDULE_KIND_COUNT && containing(s, day, false, out);
}

bool tk_schedule_period_for_data(const tk_schedule *s, tk_date day, tk_report_period *out)
{
    return (unsigned)s->kind < TK_SCHEDULE_KIND_COUNT && containing(s, day, true, out);
}

size_t tk_schedule_periods_between(const tk_schedule *s, tk_date from, tk_date to, tk_report_period *out,
                                   size_t cap)
{
    size_t n = 0;
    if ((unsigned)s->kind >= TK_SCHEDULE_KIND_COUNT || to < from) return 0;
    tk_report_period p;
    if (s->kind == TK_SCHEDULE_ONCE) {
        format_once(s, &p);
        if (p.last < from || p.first > to) return 0;
        if (cap) out[0] = p;
        return 1;
    }
    int y0, y1, m, d;
    tk_date_to_ymd(from, &y0, &m, &d);
    tk_date_to_ymd(to, &y1, &m, &d);
    if (y0 < YEAR_FIRST) y0 = YEAR_FIRST;
    if (y1 > YEAR_LAST) y1 = YEAR_LAST;
    for (int y = y0; y <= y1; y++)
        for (int i = 1; i <= shapes[s->kind].per_year; i++) {
            if (!tk_schedule_period(s, y, i, &p) || p.last < from || p.first > to) continue;
            if (n < cap) out[n] = p;
            n++;
        }
    return n;
}
