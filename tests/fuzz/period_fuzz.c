/* Fuzz target for the period reader (core/period). Beyond not crashing, it checks what every
 * answer must satisfy: a span lies within 1900..2100 with first <= last; a refusal carries a
 * well-formed message that names the text; and the text typed without diacritics reads the
 * same, as people type it both ways. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/period.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_answer(tk_code rc, const tk_period *period, const tk_error *err)
{
    static const char prefix[] = "Không hiểu thời hạn \"";
    if (rc == TK_OK) {
        tk_date min = tk_date_from_ymd(TK_DATE_YEAR_MIN, 1, 1);
        tk_date max = tk_date_from_ymd(TK_DATE_YEAR_MAX, 12, 31);
        if (period->kind == TK_PERIOD_SPAN) {
            if (period->first < min || period->last > max || period->first > period->last) abort();
        } else if ((unsigned)period->kind > TK_PERIOD_RECURRING_MONTH) {
            abort();
        }
        return;
    }
    if (rc != TK_INVALID_PERIOD && rc != TK_INVALID_UTF8 && rc != TK_NO_MEMORY) abort();
    if (err->code != rc || strcmp(err->field, "due") != 0) abort();
    size_t len = strnlen(err->message, sizeof err->message);
    if (len == sizeof err->message || !tk_text_valid_utf8(err->message, len)) abort();
    if (rc != TK_NO_MEMORY && strncmp(err->message, prefix, sizeof prefix - 1) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    if (size) memcpy(text, data, size);
    text[size] = '\0';

    tk_period period;
    tk_error err;
    tk_code rc = tk_period_parse(text, "due", &period, &err);
    check_answer(rc, &period, &err);

    if (rc == TK_OK) {
        char *folded = tk_text_fold(text);
        if (folded) {
            tk_period again;
            tk_code rc2 = tk_period_parse(folded, "due", &again, &err);
            if (rc2 != TK_OK || again.kind != period.kind ||
                (period.kind == TK_PERIOD_SPAN &&
                 (again.first != period.first || again.last != period.last)))
                abort();
            free(folded);
        }
    }
    free(text);
    return 0;
}
