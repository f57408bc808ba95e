/* Fuzz target for the reader of reporting-period keys (core/schedule). The first byte chooses
 * the kind of schedule, the second and third its cut-off and due days; the rest is the key.
 * Beyond not crashing: a key that reads names exactly the period it reads as (it writes back
 * the same), whose data window ends no later than its due date and whose days contain the
 * window's last; a refusal names the field and carries a whole UTF-8 message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/schedule.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3) return 0;
    tk_schedule s = tk_schedule_default((tk_schedule_kind)(data[0] % TK_SCHEDULE_KIND_COUNT));
    s.cutoff_day = 1 + data[1] % 31;
    s.due_day = 1 + data[2] % 31;
    s.once_first = tk_date_from_ymd(2021, 1, 1) + data[1];
    s.once_last = s.once_first + data[2];
    s.once_due_days = data[1] % 40;
    tk_error err;
    if (tk_schedule_validate(&s, &err) != TK_OK) return 0;
    char *key = malloc(size - 2);
    if (!key) return 0;
    memcpy(key, data + 3, size - 3);
    key[size - 3] = '\0';

    tk_report_period p;
    tk_error_clear(&err);
    tk_code rc = tk_schedule_period_from_key(&s, key, "period", &p, &err);
    if (rc == TK_OK) {
        if (strcmp(p.key, key) != 0) abort();
        if (p.first > p.last || p.data_first > p.data_last || p.data_last > p.due) abort();
        tk_report_period again;
        if (!tk_schedule_period_for_data(&s, p.data_last, &again) || strcmp(again.key, p.key) != 0) abort();
        if (!tk_schedule_period_containing(&s, p.last, &again) || strcmp(again.key, p.key) != 0) abort();
        if (!tk_text_valid_utf8(p.label, strlen(p.label))) abort();
    } else {
        size_t len = strnlen(err.message, sizeof err.message);
        if (rc != TK_INVALID_INPUT || err.code != rc || strcmp(err.field, "period") != 0) abort();
        if (len == 0 || len == sizeof err.message || !tk_text_valid_utf8(err.message, len)) abort();
    }
    free(key);
    return 0;
}
