#include "core/date.h"


bool tk_date_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int tk_date_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    return month == 2 && tk_date_is_leap(year) ? 29 : days[month - 1];
}

bool tk_date_valid(int year, int month, int day)
{
    return year >= TK_DATE_YEAR_MIN && year <= TK_DATE_YEAR_MAX && month >= 1 && month <= 12 &&
           day >= 1 && day <= tk_date_days_in_month(year, month);
}

/* Howard Hinnant's days_from_civil: exact for every Gregorian date. */
tk_date tk_date_from_ymd(int year, int month, int day)
{
    int y = month <= 2 ? year - 1 : year;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (tk_date)(era * 146097 + doe - 719468);
}

void tk_date_to_ymd(tk_date date, int *year, int *month, int *day)
{
    int z = date + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    *year = yoe + era * 400 + (m <= 2);
    *month = m;
    *day = d;
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool tk_date_parse_iso(const char *text, tk_date *out)
{
    int y, m, d;
    if (!text || !digits(text, 4, &y) || text[4] != '-' || !digits(text + 5, 2, &m) ||
        text[7] != '-' || !digits(text + 8, 2, &d) || text[10] != '\0')
        return false;
    if (!tk_date_valid(y, m, d)) return false;
    *out = tk_date_from_ymd(y, m, d);
    return true;
}

/* Writes n as exactly `width` digits; years outside 0..9999 cannot come from valid dates and
 * are clamped rather than overflowing the buffer. */
static char *put_digits(char *p, int n, int width)
{
    if (n < 0) n = 0;
    for (int i = width - 1; i >= 0; i--, n /= 10) p[i] = (char)('0' + n % 10);
    return p + width;
}

char *tk_date_format_iso(tk_date date, char buf[TK_DATE_TEXT_MAX])
{
    int y, m, d;
    tk_date_to_ymd(date, &y, &m, &d);
    char *p = put_digits(buf, y, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    p = put_digits(p, d, 2);
    *p = '\0';
    return buf;
}

char *tk_date_format_vn(tk_date date, char buf[TK_DATE_TEXT_MAX])
{
    int y, m, d;
    tk_date_to_ymd(date, &y, &m, &d);
    char *p = put_digits(buf, d, 2);
    *p++ = '/';
    p = put_digits(p, m, 2);
    *p++ = '/';
    p = put_digits(p, y, 4);
    *p = '\0';
    return buf;
}
