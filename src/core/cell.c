#include "core/cell.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "core/text.h"

/* Bytes of the text quoted in a message: a cell is at most TK_CELL_TEXT_MAX bytes when it is
 * read at all, so only the "too long" message cuts it. */
enum { QUOTE_MAX = TK_CELL_TEXT_MAX, TOO_LONG_QUOTE = 40 };
/* A number is at most TK_CELL_TEXT_MAX bytes, so it has at most this many digit runs. */
enum { RUNS_MAX = TK_CELL_TEXT_MAX / 2 + 1 };

/* Copies at most max bytes of valid UTF-8 s into out (max + 4 bytes), never cutting a
 * character, and marks a cut with "…". */
static void quote(const char *s, size_t max, char *out)
{
    size_t len = strlen(s);
    bool cut = len > max;
    if (cut) {
        len = max;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80) len--;
    }
    memcpy(out, s, len);
    if (cut) memcpy(out + len, "\xE2\x80\xA6", 3), len += 3;
    out[len] = '\0';
}

/* Width in bytes of the white space at s[i], or 0. Spreadsheets and word processors put
 * no-break spaces (U+00A0), figure spaces (U+2007), thin spaces (U+2009) and narrow no-break
 * spaces (U+202F) between groups of digits; tab and line breaks only surround a value. */
static size_t space_at(const char *s, size_t i, size_t len, bool between_digits)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ') return 1;
    if (!between_digits && (c == '\t' || c == '\n' || c == '\r')) return 1;
    if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) return 2;
    if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80) {
        unsigned char d = (unsigned char)s[i + 2];
        if (d == 0x87 || d == 0x89 || d == 0xAF) return 3;
    }
    return 0;
}

/* Trims white space from both ends of s[*begin, *end). */
static void trim(const char *s, size_t *begin, size_t *end)
{
    size_t w;
    while (*begin < *end && (w = space_at(s, *begin, *end, false))) *begin += w;
    for (;;) {
        size_t back = 0;
        for (size_t k = 1; k <= 3 && k <= *end - *begin; k++)
            if (space_at(s, *end - k, *end, false) == k) back = k;
        if (!back) break;
        *end -= back;
    }
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* ---- dates ---- */

static tk_code date_error(tk_error *err, const char *field, const char *text, const char *reason)
{
    char q[QUOTE_MAX + 4];
    quote(text, QUOTE_MAX, q);
    return tk_error_set(err, TK_INVALID_PERIOD, field, "Không hiểu ngày \"%s\": %s", q, reason);
}

static const char general_date[] = "hãy viết ngày/tháng/năm, ví dụ 15/03/2021";

tk_code tk_cell_parse_date(const char *text, const char *field, tk_date *out, tk_error *err)
{
    if (!text) return tk_error_set(err, TK_INVALID_PERIOD, field, "Thiếu ngày");
    size_t len = strlen(text);
    if (!tk_text_valid_utf8(text, len))
        return tk_error_set(err, TK_INVALID_UTF8, field, "Ngày không phải văn bản UTF-8 hợp lệ");
    if (len > TK_CELL_TEXT_MAX) {
        char q[TOO_LONG_QUOTE + 4];
        quote(text, TOO_LONG_QUOTE, q);
        return tk_error_set(err, TK_INVALID_PERIOD, field, "Không hiểu ngày \"%s\": quá dài", q);
    }
    size_t i = 0, end = len;
    trim(text, &i, &end);
    if (i == end) return tk_error_set(err, TK_INVALID_PERIOD, field, "Thiếu ngày");

    /* Runs of digits joined by one kind of separator, with spaces allowed around it. */
    int value[3] = {0, 0, 0}, ndigits[3] = {0, 0, 0}, nruns = 0;
    char sep = 0;
    for (;;) {
        if (nruns == 3 || !is_digit(text[i])) return date_error(err, field, text, general_date);
        while (i < end && is_digit(text[i])) {
            if (ndigits[nruns] < 5) value[nruns] = value[nruns] * 10 + (text[i] - '0');
            ndigits[nruns]++;
            i++;
        }
        nruns++;
        if (i == end) break;
        while (i < end && text[i] == ' ') i++;
        char c = i < end ? text[i] : 0;
        if ((c != '/' && c != '-' && c != '.') || (sep && c != sep))
            return date_error(err, field, text, general_date);
        sep = c;
        i++;
        while (i < end && text[i] == ' ') i++;
        if (i == end) return date_error(err, field, text, general_date);
    }
    if (nruns == 1 && ndigits[0] == 5)
        return date_error(err, field, text,
                          "đây có vẻ là số ngày của Excel; hãy định dạng cột là ngày (dd/mm/yyyy)");
    if (nruns != 3) return date_error(err, field, text, general_date);

    bool year_first = ndigits[0] == 4;
    int y = year_first ? value[0] : value[2], m = value[1], d = year_first ? value[2] : value[0];
    int ny = year_first ? ndigits[0] : ndigits[2], nd = year_first ? ndigits[2] : ndigits[0];
    if (nd > 2 || ndigits[1] > 2) return date_error(err, field, text, general_date);
    if (ny == 2)
        return date_error(err, field, text,
                          "năm phải viết đủ 4 chữ số (15/03/2021, không phải 15/03/21)");
    if (ny != 4) return date_error(err, field, text, general_date);

    char reason[128];
    if (m < 1 || m > 12) {
        snprintf(reason, sizeof reason, "không có tháng %d (ngày viết theo thứ tự ngày/tháng/năm)", m);
        return date_error(err, field, text, reason);
    }
    if (y < TK_DATE_YEAR_MIN || y > TK_DATE_YEAR_MAX) {
        snprintf(reason, sizeof reason, "năm phải từ %d đến %d", TK_DATE_YEAR_MIN, TK_DATE_YEAR_MAX);
        return date_error(err, field, text, reason);
    }
    int days = tk_date_days_in_month(y, m);
    if (d < 1) return date_error(err, field, text, "không có ngày 0");
    if (d > days) {
        snprintf(reason, sizeof reason, "tháng %d/%d chỉ có %d ngày", m, y, days);
        return date_error(err, field, text, reason);
    }
    *out = tk_date_from_ymd(y, m, d);
    return TK_OK;
}

/* ---- numbers ---- */

static tk_code number_error(tk_error *err, const char *field, const char *text, const char *reason)
{
    char q[QUOTE_MAX + 4];
    quote(text, QUOTE_MAX, q);
    return tk_error_set(err, TK_INVALID_INPUT, field, "Không hiểu số \"%s\": %s", q, reason);
}

/* C notation, as programs write numbers: [sign] digits [. digits] [e [sign] digits]. */
static bool plain_number(const char *s, size_t len)
{
    size_t i = 0, n = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) i++;
    while (i < len && is_digit(s[i])) i++, n++;
    if (n == 0) return false;
    if (i < len && s[i] == '.') {
        i++, n = 0;
        while (i < len && is_digit(s[i])) i++, n++;
        if (n == 0) return false;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++, n = 0;
        if (i < len && (s[i] == '-' || s[i] == '+')) i++;
        while (i < len && is_digit(s[i])) i++, n++;
        if (n == 0) return false;
    }
    return i == len;
}

typedef struct run {
    size_t start, len;
    char sep; /* the separator before this run: '.', ',', ' ' (any space) or 0 */
} run;

static const char bad_character[] =
    "chỉ được có chữ số, dấu chấm, dấu phẩy, dấu cách và dấu % ở cuối";

/* Reads the digits and separators of s[0, len) (no sign, no '%') by the rules in cell.h into
 * buf as C notation. Returns NULL on success, else the reason for the message. */
static const char *people_number(const char *s, size_t len, char *buf)
{
    run runs[RUNS_MAX];
    int n = 0;
    char lead = 0;
    size_t i = 0;
    while (i < len) {
        char sep = 0;
        size_t w = 0;
        if (s[i] == '.' || s[i] == ',') sep = s[i], w = 1;
        else if ((w = space_at(s, i, len, true))) sep = ' ';
        /* Runs take every digit, so after one only a separator may come. */
        if (!sep && (n > 0 || !is_digit(s[i]))) return bad_character;
        i += w;
        if (sep && (i == len || (n == 0 && sep == ' ')))
            return "dấu phân cách phải nằm giữa hai chữ số";
        if (sep && !is_digit(s[i]))
            return s[i] == '.' || s[i] == ',' || space_at(s, i, len, true)
                       ? "dấu phân cách phải nằm giữa hai chữ số"
                       : bad_character;
        if (n == RUNS_MAX) return "quá nhiều nhóm chữ số";
        if (n == 0) lead = sep;
        runs[n].start = i;
        runs[n].sep = sep;
        while (i < len && is_digit(s[i])) i++;
        runs[n].len = i - runs[n].start;
        n++;
    }
    if (n == 0) return "thiếu chữ số";

    int dots = 0, commas = 0, spaces = 0;
    for (int k = 1; k < n; k++) {
        if (runs[k].sep == '.') dots++;
        else if (runs[k].sep == ',') commas++;
        else spaces++;
    }
    char dec = 0, group = 0;
    if (lead) {
        /* ",5" or ".5": a fraction with nothing before the separator. */
        if (n > 1) return "dấu thập phân chỉ được có một";
        dec = lead;
    } else if (dots && commas) {
        dec = runs[n - 1].sep;
        if (dec == ' ') return "dấu thập phân phải đứng sau các nhóm hàng nghìn";
        group = dec == '.' ? ',' : '.';
        if ((dec == '.' ? dots : commas) > 1) return "dấu thập phân chỉ được có một";
        if (spaces) return "chỉ được dùng một kiểu phân cách hàng nghìn";
    } else if (commas) {
        if (commas == 1) dec = ',', group = spaces ? ' ' : 0;
        else if (spaces) return "chỉ được dùng một kiểu phân cách hàng nghìn";
        else group = ',';
    } else if (dots) {
        bool grouping = dots > 1 || (n == 2 && runs[0].len <= 3 && s[runs[0].start] != '0' &&
                                     runs[1].len == 3);
        if (grouping && spaces) return "chỉ được dùng một kiểu phân cách hàng nghìn";
        if (grouping) group = '.';
        else dec = '.', group = spaces ? ' ' : 0;
    } else if (spaces) {
        group = ' ';
    }
    if (dec && !lead && runs[n - 1].sep != dec) return "dấu thập phân phải đứng sau các nhóm hàng nghìn";

    int int_runs = dec && !lead ? n - 1 : lead ? 0 : n;
    if (int_runs > 1) {
        if (runs[0].len > 3) return "các nhóm hàng nghìn phải có đúng 3 chữ số";
        for (int k = 1; k < int_runs; k++)
            if (runs[k].sep != group || runs[k].len != 3)
                return "các nhóm hàng nghìn phải có đúng 3 chữ số";
    }
    size_t o = 0;
    for (int k = 0; k < int_runs; k++) memcpy(buf + o, s + runs[k].start, runs[k].len), o += runs[k].len;
    if (o == 0) buf[o++] = '0';
    if (dec) {
        buf[o++] = '.';
        memcpy(buf + o, s + runs[n - 1].start, runs[n - 1].len);
        o += runs[n - 1].len;
    }
    buf[o] = '\0';
    return NULL;
}

tk_code tk_cell_parse_number(const char *text, unsigned flags, const char *field,
                             tk_cell_number *out, tk_error *err)
{
    if (!text) return tk_error_set(err, TK_INVALID_INPUT, field, "Thiếu số");
    size_t len = strlen(text);
    if (!tk_text_valid_utf8(text, len))
        return tk_error_set(err, TK_INVALID_UTF8, field, "Số không phải văn bản UTF-8 hợp lệ");
    if (len > TK_CELL_TEXT_MAX) {
        char q[TOO_LONG_QUOTE + 4];
        quote(text, TOO_LONG_QUOTE, q);
        return tk_error_set(err, TK_INVALID_INPUT, field, "Không hiểu số \"%s\": quá dài", q);
    }
    size_t i = 0, end = len;
    trim(text, &i, &end);
    if (i == end) return tk_error_set(err, TK_INVALID_INPUT, field, "Thiếu số");

    /* The C form: sign, digits, separator, digits, NUL. */
    char buf[TK_CELL_TEXT_MAX + 4];
    if (flags & TK_CELL_DECIMAL_POINT) {
        if (!plain_number(text + i, end - i)) return number_error(err, field, text, "không phải một số");
        memcpy(buf, text + i, end - i);
        buf[end - i] = '\0';
        double v = strtod(buf, NULL);
        if (!isfinite(v)) return number_error(err, field, text, "số quá lớn");
        out->value = v == 0 ? 0 : v;
        out->percent = false;
        return TK_OK;
    }

    bool percent = false;
    if (text[end - 1] == '%') {
        percent = true;
        end--;
        trim(text, &i, &end);
        if (i == end) return number_error(err, field, text, "thiếu chữ số");
    }
    bool negative = false;
    if (text[i] == '-' || text[i] == '+') {
        negative = text[i] == '-';
        i++;
    } else if (end - i >= 3 && memcmp(text + i, "\xE2\x88\x92", 3) == 0) { /* U+2212 minus */
        negative = true;
        i += 3;
    }
    if (i == end) return number_error(err, field, text, "thiếu chữ số");
    buf[0] = '-';
    const char *why = people_number(text + i, end - i, buf + 1);
    if (why) return number_error(err, field, text, why);
    double v = strtod(negative ? buf : buf + 1, NULL);
    if (!isfinite(v)) return number_error(err, field, text, "số quá lớn");
    out->value = v == 0 ? 0 : v; /* "-0" is 0 */
    out->percent = percent;
    return TK_OK;
}

/* ---- headers ---- */

/* New copy of s folded (tk_text_fold) with everything but letters and digits removed; NULL on
 * invalid UTF-8 or allocation failure. */
static char *header_key(const char *s)
{
    char *folded = tk_text_fold(s);
    if (!folded) return NULL;
    int32_t n = (int32_t)strlen(folded), o = 0;
    for (int32_t i = 0; i < n;) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(folded, i, n, c);
        if (c >= 0 && u_isalnum(c)) {
            memmove(folded + o, folded + at, (size_t)(i - at));
            o += i - at;
        }
    }
    folded[o] = '\0';
    return folded;
}

int tk_cell_match_header(const char *header, const char *const *names)
{
    if (!header || !names) return -1;
    char *key = header_key(header);
    if (!key) return -1;
    int found = -1;
    if (key[0]) {
        for (int k = 0; names[k] && found < 0; k++) {
            char *name = header_key(names[k]);
            if (name && strcmp(name, key) == 0) found = k;
            free(name);
        }
    }
    free(key);
    return found;
}
