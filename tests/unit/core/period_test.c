/* core/period: the reader of time as Vietnamese documents write it. The rows follow shared
 * DOMAIN.md, "How trienkhai reads a period". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "core/period.h"
#include "core/text.h"

static const struct {
    const char *text;
    const char *first, *last;
} spans[] = {
    /* quarters */
    {"Quý I/2021", "2021-01-01", "2021-03-31"},
    {"Quý II/2022", "2022-04-01", "2022-06-30"},
    {"Quý III/2020", "2020-07-01", "2020-09-30"},
    {"Quý IV/2021", "2021-10-01", "2021-12-31"},
    {"quý 1 năm 2021", "2021-01-01", "2021-03-31"},
    {"quý 2 năm 2021", "2021-04-01", "2021-06-30"},
    {"quý 3/2021", "2021-07-01", "2021-09-30"},
    {"quý 4-2021", "2021-10-01", "2021-12-31"},
    {"Quý IV năm 2021", "2021-10-01", "2021-12-31"},
    {"quý ii - 2022", "2022-04-01", "2022-06-30"},
    {"Q1/2021", "2021-01-01", "2021-03-31"},
    {"q4/2021", "2021-10-01", "2021-12-31"},
    {"Q2 năm 2023", "2023-04-01", "2023-06-30"},
    {"Q3-2024", "2024-07-01", "2024-09-30"},
    {"Q 1/2021", "2021-01-01", "2021-03-31"},
    {"QUÝ I/2024", "2024-01-01", "2024-03-31"},
    /* halves and nine months */
    {"6 tháng đầu năm 2021", "2021-01-01", "2021-06-30"},
    {"6 tháng cuối năm 2021", "2021-07-01", "2021-12-31"},
    {"sáu tháng đầu năm 2022", "2022-01-01", "2022-06-30"},
    {"Sáu tháng cuối năm 2022", "2022-07-01", "2022-12-31"},
    {"9 tháng đầu năm 2021", "2021-01-01", "2021-09-30"},
    {"chín tháng đầu năm 2023", "2023-01-01", "2023-09-30"},
    /* months */
    {"tháng 7/2020", "2020-07-01", "2020-07-31"},
    {"tháng 7 năm 2020", "2020-07-01", "2020-07-31"},
    {"tháng 7-2020", "2020-07-01", "2020-07-31"},
    {"tháng 07/2020", "2020-07-01", "2020-07-31"},
    {"tháng 2/2024", "2024-02-01", "2024-02-29"},
    {"tháng 2/2023", "2023-02-01", "2023-02-28"},
    {"tháng 2/2000", "2000-02-01", "2000-02-29"},
    {"tháng 2/1900", "1900-02-01", "1900-02-28"},
    {"tháng 12/2100", "2100-12-01", "2100-12-31"},
    {"Tháng 11 năm 2020", "2020-11-01", "2020-11-30"},
    /* years */
    {"năm 2021", "2021-01-01", "2021-12-31"},
    {"2021", "2021-01-01", "2021-12-31"},
    {"Năm 2025", "2025-01-01", "2025-12-31"},
    {"1900", "1900-01-01", "1900-12-31"},
    {"2100", "2100-01-01", "2100-12-31"},
    /* ranges */
    {"2021-2025", "2021-01-01", "2025-12-31"},
    {"2021 - 2025", "2021-01-01", "2025-12-31"},
    {"2021–2025", "2021-01-01", "2025-12-31"},
    {"2021 – 2025", "2021-01-01", "2025-12-31"},
    {"giai đoạn 2021-2025", "2021-01-01", "2025-12-31"},
    {"giai đoạn 2021 - 2025", "2021-01-01", "2025-12-31"},
    {"Giai đoạn 2021–2030", "2021-01-01", "2030-12-31"},
    {"nhiệm kỳ 2020–2025", "2020-01-01", "2025-12-31"},
    {"nhiệm kỳ 2020-2025", "2020-01-01", "2025-12-31"},
    {"nhiệm kì 2015-2020", "2015-01-01", "2020-12-31"},
    {"2024-2025", "2024-01-01", "2025-12-31"},
    /* dates */
    {"30/6/2021", "2021-06-30", "2021-06-30"},
    {"30/06/2021", "2021-06-30", "2021-06-30"},
    {"30-6-2021", "2021-06-30", "2021-06-30"},
    {"2/11/2020", "2020-11-02", "2020-11-02"},
    {"01/7/2025", "2025-07-01", "2025-07-01"},
    {"ngày 30/6/2021", "2021-06-30", "2021-06-30"},
    {"ngày 30-6-2021", "2021-06-30", "2021-06-30"},
    {"ngày 30 tháng 6 năm 2021", "2021-06-30", "2021-06-30"},
    {"Ngày 2 tháng 11 năm 2020", "2020-11-02", "2020-11-02"},
    {"30 tháng 6 năm 2021", "2021-06-30", "2021-06-30"},
    {"6 tháng 7 năm 2021", "2021-07-06", "2021-07-06"}, /* 6 July, not six months */
    {"29/2/2024", "2024-02-29", "2024-02-29"},
    {"29/2/2000", "2000-02-29", "2000-02-29"},
    {"31/12/2100", "2100-12-31", "2100-12-31"},
    {"1/1/1900", "1900-01-01", "1900-01-01"},
    /* deadline words keep the date as first and last day */
    {"trước 30/6/2021", "2021-06-30", "2021-06-30"},
    {"trước ngày 30/6/2021", "2021-06-30", "2021-06-30"},
    {"Trước ngày 31/7/2021", "2021-07-31", "2021-07-31"},
    {"chậm nhất 30/6/2021", "2021-06-30", "2021-06-30"},
    {"chậm nhất ngày 30/6/2021", "2021-06-30", "2021-06-30"},
    {"Chậm nhất ngày 15 tháng 3 năm 2021", "2021-03-15", "2021-03-15"},
    {"trước ngày 30-6-2021", "2021-06-30", "2021-06-30"},
    /* "trong" before a period means that period */
    {"trong quý II/2022", "2022-04-01", "2022-06-30"},
    {"trong năm 2021", "2021-01-01", "2021-12-31"},
    {"trong tháng 7/2021", "2021-07-01", "2021-07-31"},
    {"Trong 6 tháng đầu năm 2021", "2021-01-01", "2021-06-30"},
    {"trong giai đoạn 2021-2025", "2021-01-01", "2025-12-31"},
    {"trong ngày 30/6/2021", "2021-06-30", "2021-06-30"},
    /* spacing: runs of white space count as one; spaces around "/" and "-" are allowed */
    {"  Quý   I/2021  ", "2021-01-01", "2021-03-31"},
    {"Quý I / 2021", "2021-01-01", "2021-03-31"},
    {"Quý\tI\n/2021", "2021-01-01", "2021-03-31"},
    {"30 / 6 / 2021", "2021-06-30", "2021-06-30"},
    {"30 - 6 - 2021", "2021-06-30", "2021-06-30"},
    {"tháng 7 /2020", "2020-07-01", "2020-07-31"},
    {"Quý\xC2\xA0I/2021", "2021-01-01", "2021-03-31"}, /* no-break space */
    {"trước   ngày  30/6/2021", "2021-06-30", "2021-06-30"},
    /* typed without diacritics */
    {"quy I/2021", "2021-01-01", "2021-03-31"},
    {"quy 2 nam 2021", "2021-04-01", "2021-06-30"},
    {"6 thang dau nam 2021", "2021-01-01", "2021-06-30"},
    {"sau thang cuoi nam 2021", "2021-07-01", "2021-12-31"},
    {"chin thang dau nam 2021", "2021-01-01", "2021-09-30"},
    {"thang 7/2020", "2020-07-01", "2020-07-31"},
    {"nam 2021", "2021-01-01", "2021-12-31"},
    {"giai doan 2021-2025", "2021-01-01", "2025-12-31"},
    {"nhiem ky 2020-2025", "2020-01-01", "2025-12-31"},
    {"ngay 30 thang 6 nam 2021", "2021-06-30", "2021-06-30"},
    {"truoc ngay 30/6/2021", "2021-06-30", "2021-06-30"},
    {"cham nhat ngay 30/6/2021", "2021-06-30", "2021-06-30"},
};
enum { SPAN_COUNT = sizeof spans / sizeof spans[0] };

static const struct {
    const char *text;
    tk_period_kind kind;
} kinds[] = {
    {"Thường xuyên", TK_PERIOD_CONTINUOUS},
    {"thường xuyên", TK_PERIOD_CONTINUOUS},
    {"THƯỜNG XUYÊN", TK_PERIOD_CONTINUOUS},
    {"thuong xuyen", TK_PERIOD_CONTINUOUS},
    {"  Thường   xuyên ", TK_PERIOD_CONTINUOUS},
    {"Hằng năm", TK_PERIOD_RECURRING_YEAR},
    {"Hàng năm", TK_PERIOD_RECURRING_YEAR},
    {"hang nam", TK_PERIOD_RECURRING_YEAR},
    {"Hằng quý", TK_PERIOD_RECURRING_QUARTER},
    {"hàng quý", TK_PERIOD_RECURRING_QUARTER},
    {"hang quy", TK_PERIOD_RECURRING_QUARTER},
    {"Hằng tháng", TK_PERIOD_RECURRING_MONTH},
    {"Hàng tháng", TK_PERIOD_RECURRING_MONTH},
    {"hang thang", TK_PERIOD_RECURRING_MONTH},
};

static const struct {
    const char *text;
    tk_code code;
    const char *reason; /* what the message says after the quoted text */
} errors[] = {
    /* vague */
    {"đầu tháng 7/2021", TK_INVALID_PERIOD, "\"đầu\" không chỉ rõ ngày nào"},
    {"cuối năm 2021", TK_INVALID_PERIOD, "\"cuối\" không chỉ rõ ngày nào"},
    {"giữa năm 2021", TK_INVALID_PERIOD, "\"giữa\" không chỉ rõ ngày nào"},
    {"khoảng tháng 7/2021", TK_INVALID_PERIOD, "\"khoảng\" không chỉ rõ ngày nào"},
    {"sau ngày 30/6/2021", TK_INVALID_PERIOD, "\"sau\" không chỉ rõ ngày nào"},
    {"sau ngay 30/6/2021", TK_INVALID_PERIOD, "\"sau\" không chỉ rõ ngày nào"},
    {"Sau tháng đầu năm 2021", TK_INVALID_PERIOD, "\"Sau\" không chỉ rõ ngày nào"},
    {"sau 30/6/2021", TK_INVALID_PERIOD, "\"sau\" không chỉ rõ ngày nào"},
    {"Cuối tháng 12/2021", TK_INVALID_PERIOD, "\"Cuối\" không chỉ rõ ngày nào"},
    /* impossible dates */
    {"31/4/2021", TK_INVALID_PERIOD, "không có ngày 31/4/2021 (tháng 4/2021 chỉ có 30 ngày)"},
    {"29/2/2021", TK_INVALID_PERIOD, "không có ngày 29/2/2021 (tháng 2/2021 chỉ có 28 ngày)"},
    {"29/2/2100", TK_INVALID_PERIOD, "không có ngày 29/2/2100 (tháng 2/2100 chỉ có 28 ngày)"},
    {"29/2/1900", TK_INVALID_PERIOD, "không có ngày 29/2/1900"},
    {"30/2/2024", TK_INVALID_PERIOD, "không có ngày 30/2/2024"},
    {"31/6/2021", TK_INVALID_PERIOD, "không có ngày 31/6/2021"},
    {"trước ngày 31/9/2021", TK_INVALID_PERIOD, "không có ngày 31/9/2021"},
    {"ngày 31 tháng 11 năm 2021", TK_INVALID_PERIOD, "không có ngày 31/11/2021"},
    {"0/6/2021", TK_INVALID_PERIOD, "ngày phải từ 1 đến 31"},
    {"32/1/2021", TK_INVALID_PERIOD, "ngày phải từ 1 đến 31"},
    {"30/13/2021", TK_INVALID_PERIOD, "tháng phải từ 1 đến 12"},
    {"30/0/2021", TK_INVALID_PERIOD, "tháng phải từ 1 đến 12"},
    {"tháng 13/2021", TK_INVALID_PERIOD, "tháng phải từ 1 đến 12"},
    {"tháng 0/2021", TK_INVALID_PERIOD, "tháng phải từ 1 đến 12"},
    {"quý V/2021", TK_INVALID_PERIOD, "quý phải là I, II, III, IV hoặc 1 đến 4"},
    {"quý 5/2021", TK_INVALID_PERIOD, "quý phải là I, II, III, IV hoặc 1 đến 4"},
    {"quý 0/2021", TK_INVALID_PERIOD, "quý phải là I, II, III, IV hoặc 1 đến 4"},
    {"Q5/2021", TK_INVALID_PERIOD, "quý phải là I, II, III, IV hoặc 1 đến 4"},
    /* parts missing */
    {"quý I", TK_INVALID_PERIOD, "thiếu năm"},
    {"Q1", TK_INVALID_PERIOD, "thiếu năm"},
    {"quý", TK_INVALID_PERIOD, "thiếu số quý"},
    {"quý I/", TK_INVALID_PERIOD, "thiếu năm"},
    {"6 tháng đầu năm", TK_INVALID_PERIOD, "thiếu năm"},
    {"6 tháng đầu", TK_INVALID_PERIOD, "thiếu \"năm\""},
    {"6 tháng", TK_INVALID_PERIOD, "thiếu \"đầu\" hoặc \"cuối\""},
    {"9 tháng cuối năm 2021", TK_INVALID_PERIOD, "chỉ có \"6 tháng cuối năm\""},
    {"tháng 7", TK_INVALID_PERIOD, "thiếu năm"},
    {"tháng", TK_INVALID_PERIOD, "thiếu số tháng"},
    {"năm", TK_INVALID_PERIOD, "thiếu năm"},
    {"30/6", TK_INVALID_PERIOD, "thiếu năm"},
    {"ngày 30", TK_INVALID_PERIOD, "thiếu tháng và năm"},
    {"ngày 30 tháng 6", TK_INVALID_PERIOD, "thiếu \"năm\""},
    {"trước", TK_INVALID_PERIOD, "thiếu ngày sau \"trước\""},
    {"trước ngày", TK_INVALID_PERIOD, "thiếu ngày sau \"trước\""},
    {"chậm nhất", TK_INVALID_PERIOD, "thiếu ngày sau \"chậm nhất\""},
    {"giai đoạn 2021", TK_INVALID_PERIOD, "thiếu \"-\" giữa năm đầu và năm cuối"},
    {"2021-", TK_INVALID_PERIOD, "thiếu năm"},
    {"giai đoạn", TK_INVALID_PERIOD, "thiếu năm"},
    {"thường", TK_INVALID_PERIOD, "thiếu \"xuyên\""},
    {"hằng", TK_INVALID_PERIOD, "thiếu \"năm\", \"quý\" hoặc \"tháng\""},
    {"trong", TK_INVALID_PERIOD, "thiếu thời hạn"},
    {"", TK_INVALID_PERIOD, "thời hạn trống"},
    {"   \t ", TK_INVALID_PERIOD, "thời hạn trống"},
    /* trailing words */
    {"năm 2021 abc", TK_INVALID_PERIOD, "thừa \"abc\" ở cuối"},
    {"Quý I/2021 và Quý II/2021", TK_INVALID_PERIOD, "thừa \"và Quý II/2021\" ở cuối"},
    {"30/6/2021.", TK_INVALID_PERIOD, "thừa \".\" ở cuối"},
    {"Thường xuyên hằng năm", TK_INVALID_PERIOD, "thừa \"hằng năm\" ở cuối"},
    {"hằng năm 2021", TK_INVALID_PERIOD, "thừa \"2021\" ở cuối"},
    {"năm 2021-2025", TK_INVALID_PERIOD, "thừa \"-2025\" ở cuối"},
    {"2021-2025-2030", TK_INVALID_PERIOD, "thừa \"-2030\" ở cuối"},
    {"tháng 7/2020/1", TK_INVALID_PERIOD, "thừa \"/1\" ở cuối"},
    {"2021 2022", TK_INVALID_PERIOD, "thừa \"2022\" ở cuối"},
    /* years */
    {"năm 21", TK_INVALID_PERIOD, "năm \"21\" phải viết đủ 4 chữ số, từ 1900 đến 2100"},
    {"30/6/21", TK_INVALID_PERIOD, "năm \"21\" phải viết đủ 4 chữ số"},
    {"quý I/21", TK_INVALID_PERIOD, "năm \"21\" phải viết đủ 4 chữ số"},
    {"năm 1899", TK_INVALID_PERIOD, "năm \"1899\" phải viết đủ 4 chữ số, từ 1900 đến 2100"},
    {"2101", TK_INVALID_PERIOD, "năm \"2101\" phải viết đủ 4 chữ số"},
    {"02021", TK_INVALID_PERIOD, "năm \"02021\" phải viết đủ 4 chữ số"},
    {"20210", TK_INVALID_PERIOD, "năm \"20210\" phải viết đủ 4 chữ số"},
    {"năm 99999999999999999999", TK_INVALID_PERIOD, "phải viết đủ 4 chữ số"},
    {"1/1/1899", TK_INVALID_PERIOD, "năm \"1899\""},
    {"2021-25", TK_INVALID_PERIOD, "năm \"25\" phải viết đủ 4 chữ số"},
    {"1899-1905", TK_INVALID_PERIOD, "năm \"1899\""},
    {"2095-2105", TK_INVALID_PERIOD, "năm \"2105\""},
    /* ranges */
    {"2025-2021", TK_INVALID_PERIOD, "năm đầu (2025) phải nhỏ hơn năm cuối (2021)"},
    {"2021-2021", TK_INVALID_PERIOD, "năm đầu (2021) phải nhỏ hơn năm cuối (2021)"},
    {"giai đoạn 2025 – 2020", TK_INVALID_PERIOD, "năm đầu (2025) phải nhỏ hơn năm cuối (2020)"},
    /* other forms and mixtures */
    {"30/6-2021", TK_INVALID_PERIOD, "cần \"/\" rồi năm ở chỗ \"-\""},
    {"30-6/2021", TK_INVALID_PERIOD, "cần \"-\" rồi năm ở chỗ \"/\""},
    {"6/2021", TK_INVALID_PERIOD, "ghi tháng là \"tháng 6/2021\""},
    {"ngày 6/2021", TK_INVALID_PERIOD, "ghi tháng là \"tháng 6/2021\""},
    {"2021-06-30", TK_INVALID_PERIOD, "năm \"06\""},
    {"trước quý II/2021", TK_INVALID_PERIOD, "sau \"trước\" phải là một ngày"},
    {"chậm nhất tháng 7/2021", TK_INVALID_PERIOD, "sau \"chậm nhất\" phải là một ngày"},
    {"chậm 30/6/2021", TK_INVALID_PERIOD, "cần \"nhất\" ở chỗ \"30\""},
    {"trong thường xuyên", TK_INVALID_PERIOD, "không nhận ra \"thường\""},
    {"hằng ngày", TK_INVALID_PERIOD, "cần \"năm\", \"quý\" hoặc \"tháng\" ở chỗ \"ngày\""},
    {"qùy I/2021", TK_INVALID_PERIOD, "không nhận ra \"qùy\""}, /* wrong mark is not no mark */
    {"abc", TK_INVALID_PERIOD, "không nhận ra \"abc\""},
    {"Quý I—2021", TK_INVALID_PERIOD, "không phải \"I—\""}, /* em dash */
    {"quý I 2021", TK_INVALID_PERIOD, "cần \"/\", \"-\" hoặc \"năm\" trước năm ở chỗ \"2021\""},
    {"２０２１", TK_INVALID_PERIOD, "không nhận ra \"２０２１\""}, /* full-width digits */
    /* words and numbers written apart, except in "Q1" */
    {"tháng7/2020", TK_INVALID_PERIOD, "thiếu dấu cách giữa \"tháng\" và \"7\""},
    {"năm2021", TK_INVALID_PERIOD, "thiếu dấu cách giữa \"năm\" và \"2021\""},
    {"Quý I năm2021", TK_INVALID_PERIOD, "thiếu dấu cách giữa \"năm\" và \"2021\""},
    {"ngày30/6/2021", TK_INVALID_PERIOD, "thiếu dấu cách giữa \"ngày\" và \"30\""},
    {"9tháng7năm2020", TK_INVALID_PERIOD, "thiếu dấu cách giữa \"9\" và \"tháng\""},
    {"quý1/2021", TK_INVALID_PERIOD, "thiếu dấu cách giữa \"quý\" và \"1\""},
    {"2021abc", TK_INVALID_PERIOD, "thiếu dấu cách giữa \"2021\" và \"abc\""},
    /* bytes that are not text */
    {"n\xE3m 2021", TK_INVALID_UTF8, "văn bản không phải UTF-8 hợp lệ"},
    {"năm 2021\xFF", TK_INVALID_UTF8, "văn bản không phải UTF-8 hợp lệ"},
    {"\xC0\xAF", TK_INVALID_UTF8, "văn bản không phải UTF-8 hợp lệ"},
    {"năm\x1b[0m 2021", TK_INVALID_PERIOD, "có ký tự điều khiển"},
    {"năm 2021\x7f", TK_INVALID_PERIOD, "có ký tự điều khiển"},
};

/* The message quotes the text as given, with bytes that cannot be shown replaced by U+FFFD. */
static const struct {
    const char *text, *message;
} messages[] = {
    {"đầu tháng 7/2021",
     "Không hiểu thời hạn \"đầu tháng 7/2021\": \"đầu\" không chỉ rõ ngày nào; hãy ghi một ngày, "
     "tháng, quý hoặc năm"},
    {"Quý I", "Không hiểu thời hạn \"Quý I\": thiếu năm"},
    {"31/4/2021",
     "Không hiểu thời hạn \"31/4/2021\": không có ngày 31/4/2021 (tháng 4/2021 chỉ có 30 ngày)"},
    {"n\xE3m 2021", "Không hiểu thời hạn \"n\xEF\xBF\xBDm 2021\": văn bản không phải UTF-8 hợp lệ"},
    {"a\x1b[2Jb", "Không hiểu thời hạn \"a\xEF\xBF\xBD[2Jb\": có ký tự điều khiển"},
};

typedef enum { AS_WRITTEN, AS_NFD, AS_UPPER_NFD } transform;

/* New copy of text in NFD, optionally upper-cased first, to show that neither form nor case
 * changes the reading. */
static char *transformed(const char *text, transform how)
{
    UErrorCode status = U_ZERO_ERROR;
    UChar src[512], upper[512], nfd[1024];
    int32_t len = 0;
    u_strFromUTF8(src, 512, &len, text, -1, &status);
    assert_true(U_SUCCESS(status));
    const UChar *from = src;
    if (how == AS_UPPER_NFD) {
        len = u_strToUpper(upper, 512, src, len, "", &status);
        assert_true(U_SUCCESS(status));
        from = upper;
    }
    const UNormalizer2 *norm = unorm2_getNFDInstance(&status);
    len = unorm2_normalize(norm, from, len, nfd, 1024, &status);
    assert_true(U_SUCCESS(status));
    char *out = malloc(4096);
    assert_non_null(out);
    u_strToUTF8(out, 4096, NULL, nfd, len, &status);
    assert_true(U_SUCCESS(status));
    return out;
}

static void check_span(const char *text, const char *first, const char *last)
{
    tk_period period;
    tk_error err;
    tk_code rc = tk_period_parse(text, "due", &period, &err);
    if (rc != TK_OK) fail_msg("\"%s\": %s", text, err.message);
    char got_first[TK_DATE_TEXT_MAX], got_last[TK_DATE_TEXT_MAX];
    tk_date_format_iso(period.first, got_first);
    tk_date_format_iso(period.last, got_last);
    if (period.kind != TK_PERIOD_SPAN || strcmp(got_first, first) || strcmp(got_last, last))
        fail_msg("\"%s\": got %s %s %s, want %s %s", text, tk_period_kind_name(period.kind),
                 got_first, got_last, first, last);
}

static void test_spans(void **state)
{
    (void)state;
    for (size_t i = 0; i < SPAN_COUNT; i++)
        check_span(spans[i].text, spans[i].first, spans[i].last);
}

static void test_spans_in_nfd_and_capitals(void **state)
{
    (void)state;
    for (size_t i = 0; i < SPAN_COUNT; i++) {
        for (transform how = AS_NFD; how <= AS_UPPER_NFD; how++) {
            char *text = transformed(spans[i].text, how);
            check_span(text, spans[i].first, spans[i].last);
            free(text);
        }
    }
}

static void test_kinds(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        for (transform how = AS_WRITTEN; how <= AS_UPPER_NFD; how++) {
            char *text =
                how == AS_WRITTEN ? strdup(kinds[i].text) : transformed(kinds[i].text, how);
            tk_period period;
            tk_error err;
            tk_code rc = tk_period_parse(text, NULL, &period, &err);
            if (rc != TK_OK) fail_msg("\"%s\": %s", text, err.message);
            if (period.kind != kinds[i].kind)
                fail_msg("\"%s\": got %s, want %s", text, tk_period_kind_name(period.kind),
                         tk_period_kind_name(kinds[i].kind));
            free(text);
        }
    }
}

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        tk_period period = {TK_PERIOD_CONTINUOUS, 7, 7};
        tk_error err;
        tk_code rc = tk_period_parse(errors[i].text, "due", &period, &err);
        if (rc != errors[i].code)
            fail_msg("\"%s\": got %s (%s), want %s", errors[i].text, tk_code_name(rc),
                     rc ? err.message : "", tk_code_name(errors[i].code));
        assert_int_equal(err.code, rc);
        assert_string_equal(err.field, "due");
        if (!tk_text_valid_utf8(err.message, strlen(err.message)))
            fail_msg("\"%s\": message is not UTF-8", errors[i].text);
        if (strncmp(err.message, "Không hiểu thời hạn \"", strlen("Không hiểu thời hạn \"")) != 0)
            fail_msg("\"%s\": message does not name the text: %s", errors[i].text, err.message);
        if (!strstr(err.message, errors[i].reason))
            fail_msg("\"%s\": message \"%s\" does not say \"%s\"", errors[i].text, err.message,
                     errors[i].reason);
        /* A refused text leaves the result alone. */
        assert_int_equal(period.kind, TK_PERIOD_CONTINUOUS);
        assert_int_equal(period.first, 7);
        assert_int_equal(period.last, 7);
    }
}

static void test_error_messages(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++) {
        tk_period period;
        tk_error err;
        assert_int_not_equal(tk_period_parse(messages[i].text, NULL, &period, &err), TK_OK);
        assert_string_equal(err.message, messages[i].message);
        assert_string_equal(err.field, "");
    }
}

static void test_error_edges(void **state)
{
    (void)state;
    tk_period period;
    tk_error err;
    assert_int_equal(tk_period_parse(NULL, "due", &period, &err), TK_INVALID_PERIOD);
    assert_string_equal(err.field, "due");
    assert_int_equal(tk_period_parse("đầu năm", "due", &period, NULL), TK_INVALID_PERIOD);

    /* A long text is quoted in part, and the message stays well-formed UTF-8. */
    static const char piece[] = "Đảng bộ ";
    char long_text[2048];
    size_t n = 0;
    while (n + sizeof piece < sizeof long_text) {
        memcpy(long_text + n, piece, sizeof piece - 1);
        n += sizeof piece - 1;
    }
    long_text[n] = '\0';
    assert_int_equal(tk_period_parse(long_text, "due", &period, &err), TK_INVALID_PERIOD);
    assert_true(tk_text_valid_utf8(err.message, strlen(err.message)));
    assert_non_null(strstr(err.message, "…"));
    assert_true(strlen(err.message) < TK_ERROR_MESSAGE_MAX);
    long_text[600] = '\0';
    assert_int_equal(tk_period_parse(long_text, "due", &period, &err), TK_INVALID_PERIOD);
    assert_true(tk_text_valid_utf8(err.message, strlen(err.message)));
    assert_non_null(strstr(err.message, "không nhận ra \"Đảng\""));

    /* Many words: the rest after the period is quoted as trailing. */
    assert_int_equal(tk_period_parse("năm 2021 a b c d e f g h i j k l m n o p q r s t", NULL,
                                     &period, &err),
                     TK_INVALID_PERIOD);
    assert_non_null(strstr(err.message, "thừa \"a b c d e f g h i j k l m n o p q r s t\" ở cuối"));
}

/* Found by libFuzzer: two long quoted words made the message longer than tk_error holds, and
 * it was cut inside a UTF-8 sequence. */
static void test_regression_message_cut_inside_character(void **state)
{
    (void)state;
    char text[1000] = "trước ";
    size_t n = strlen(text);
    for (int i = 0; i < 140; i++) text[n++] = '7';
    text[n++] = 's';
    for (int i = 0; i < 200; i++) {
        memcpy(text + n, "á", 2);
        n += 2;
    }
    text[n] = '\0';
    tk_period period;
    tk_error err;
    assert_int_equal(tk_period_parse(text, "due", &period, &err), TK_INVALID_PERIOD);
    assert_true(tk_text_valid_utf8(err.message, strlen(err.message)));
    assert_non_null(strstr(err.message, "thiếu dấu cách giữa"));
}

static void test_leap_days(void **state)
{
    (void)state;
    static const struct {
        int year;
        bool leap;
    } rows[] = {{1900, false}, {1904, true}, {2000, true}, {2020, true}, {2021, false},
                {2023, false}, {2024, true}, {2096, true}, {2100, false}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char text[32], want[16];
        tk_period period;
        tk_error err;
        snprintf(text, sizeof text, "29/2/%d", rows[i].year);
        tk_code rc = tk_period_parse(text, NULL, &period, &err);
        if ((rc == TK_OK) != rows[i].leap) fail_msg("\"%s\": got %s", text, tk_code_name(rc));
        snprintf(text, sizeof text, "tháng 2/%d", rows[i].year);
        assert_int_equal(tk_period_parse(text, NULL, &period, &err), TK_OK);
        snprintf(want, sizeof want, "%d-02-%d", rows[i].year, rows[i].leap ? 29 : 28);
        char last[TK_DATE_TEXT_MAX];
        assert_string_equal(tk_date_format_iso(period.last, last), want);
    }
}

/* Every day from 1900 to 2100 written dd/mm/yyyy reads back as that day, and every month and
 * quarter spans its calendar days. */
static void test_every_day_month_and_quarter(void **state)
{
    (void)state;
    tk_date first = tk_date_from_ymd(TK_DATE_YEAR_MIN, 1, 1);
    tk_date last = tk_date_from_ymd(TK_DATE_YEAR_MAX, 12, 31);
    for (tk_date day = first; day <= last; day++) {
        char text[TK_DATE_TEXT_MAX];
        tk_period period;
        tk_error err;
        if (tk_period_parse(tk_date_format_vn(day, text), NULL, &period, &err) != TK_OK)
            fail_msg("\"%s\": %s", text, err.message);
        if (period.first != day || period.last != day) fail_msg("\"%s\": wrong day", text);
    }
    for (int year = TK_DATE_YEAR_MIN; year <= TK_DATE_YEAR_MAX; year++) {
        for (int month = 1; month <= 12; month++) {
            char text[32];
            tk_period period;
            tk_error err;
            snprintf(text, sizeof text, "tháng %d/%d", month, year);
            assert_int_equal(tk_period_parse(text, NULL, &period, &err), TK_OK);
            assert_int_equal(period.first, tk_date_from_ymd(year, month, 1));
            assert_int_equal(period.last,
                             tk_date_from_ymd(year, month, tk_date_days_in_month(year, month)));
        }
        for (int quarter = 1; quarter <= 4; quarter++) {
            char text[32];
            tk_period period;
            tk_error err;
            snprintf(text, sizeof text, "Q%d/%d", quarter, year);
            assert_int_equal(tk_period_parse(text, NULL, &period, &err), TK_OK);
            assert_int_equal(period.first, tk_date_from_ymd(year, quarter * 3 - 2, 1));
            int last_month = quarter * 3;
            int last_day = tk_date_days_in_month(year, last_month);
            assert_int_equal(period.last, tk_date_from_ymd(year, last_month, last_day));
        }
    }
}

static void test_kind_names(void **state)
{
    (void)state;
    static const struct {
        tk_period_kind kind;
        const char *name;
    } rows[] = {
        {TK_PERIOD_SPAN, "span"},
        {TK_PERIOD_CONTINUOUS, "continuous"},
        {TK_PERIOD_RECURRING_YEAR, "recurring year"},
        {TK_PERIOD_RECURRING_QUARTER, "recurring quarter"},
        {TK_PERIOD_RECURRING_MONTH, "recurring month"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_string_equal(tk_period_kind_name(rows[i].kind), rows[i].name);
        tk_period_kind kind;
        assert_true(tk_period_kind_from_name(rows[i].name, &kind));
        assert_int_equal(kind, rows[i].kind);
    }
    static const char *const unknown[] = {"", "Span", "recurring", "recurring  year", "yearly"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        tk_period_kind kind = TK_PERIOD_CONTINUOUS;
        assert_false(tk_period_kind_from_name(unknown[i], &kind));
        assert_int_equal(kind, TK_PERIOD_CONTINUOUS);
    }
    tk_period_kind kind;
    assert_false(tk_period_kind_from_name(NULL, &kind));
    assert_string_equal(tk_period_kind_name((tk_period_kind)99), "unknown");
}

static void test_occurrence(void **state)
{
    (void)state;
    static const struct {
        tk_period_kind kind;
        const char *day;
        bool ok;
        const char *first, *last;
    } rows[] = {
        {TK_PERIOD_RECURRING_YEAR, "2021-06-30", true, "2021-01-01", "2021-12-31"},
        {TK_PERIOD_RECURRING_YEAR, "2024-01-01", true, "2024-01-01", "2024-12-31"},
        {TK_PERIOD_RECURRING_QUARTER, "2021-01-01", true, "2021-01-01", "2021-03-31"},
        {TK_PERIOD_RECURRING_QUARTER, "2021-03-31", true, "2021-01-01", "2021-03-31"},
        {TK_PERIOD_RECURRING_QUARTER, "2021-04-01", true, "2021-04-01", "2021-06-30"},
        {TK_PERIOD_RECURRING_QUARTER, "2021-08-15", true, "2021-07-01", "2021-09-30"},
        {TK_PERIOD_RECURRING_QUARTER, "2021-12-31", true, "2021-10-01", "2021-12-31"},
        {TK_PERIOD_RECURRING_MONTH, "2024-02-10", true, "2024-02-01", "2024-02-29"},
        {TK_PERIOD_RECURRING_MONTH, "2023-02-28", true, "2023-02-01", "2023-02-28"},
        {TK_PERIOD_RECURRING_MONTH, "2021-12-01", true, "2021-12-01", "2021-12-31"},
        {TK_PERIOD_SPAN, "2021-06-30", false, NULL, NULL},
        {TK_PERIOD_CONTINUOUS, "2021-06-30", false, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        tk_date day, first = -1, last = -1;
        assert_true(tk_date_parse_iso(rows[i].day, &day));
        bool ok = tk_period_occurrence(rows[i].kind, day, &first, &last);
        if (ok != rows[i].ok)
            fail_msg("%s on %s: got %d", tk_period_kind_name(rows[i].kind), rows[i].day, ok);
        if (!ok) continue;
        char a[TK_DATE_TEXT_MAX], b[TK_DATE_TEXT_MAX];
        assert_string_equal(tk_date_format_iso(first, a), rows[i].first);
        assert_string_equal(tk_date_format_iso(last, b), rows[i].last);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_spans_in_nfd_and_capitals),
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_messages),
        cmocka_unit_test(test_error_edges),
        cmocka_unit_test(test_regression_message_cut_inside_character),
        cmocka_unit_test(test_leap_days),
        cmocka_unit_test(test_every_day_month_and_quarter),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_occurrence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
