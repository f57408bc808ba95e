/* Fuzz target for core/text. The validator must agree with ICU's own UTF-8 decoder; accepted
 * text normalizes to valid NFC that normalizes to itself; folding yields valid, trimmed text
 * with single spaces that folds to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>

#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool icu_accepts(const char *s, size_t len)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(NULL, 0, &n, s, (int32_t)len, &status);
    return status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING ||
           U_SUCCESS(status);
}

static void check_normalize(const char *s, size_t len, bool valid)
{
    char *out = NULL;
    tk_error err;
    tk_code rc = tk_text_normalize(s, len, "f", &out, &err);
    if (!valid) {
        if (rc != TK_INVALID_UTF8 || out) abort();
        return;
    }
    if (rc == TK_INVALID_INPUT) {
        if (out || strcmp(err.field, "f") != 0) abort();
        return;
    }
    if (rc != TK_OK || !out) abort();
    size_t out_len = strlen(out);
    if (!tk_text_valid_utf8(out, out_len)) abort();
    char *again = NULL;
    if (tk_text_normalize(out, out_len, "f", &again, &err) != TK_OK || strcmp(again, out) != 0)
        abort();
    free(again);
    free(out);
}

static void check_fold(const char *s)
{
    bool valid = tk_text_valid_utf8(s, strlen(s));
    char *folded = tk_text_fold(s);
    if (!valid) {
        if (folded) abort();
        return;
    }
    if (!folded) abort();
    size_t n = strlen(folded);
    if (!tk_text_valid_utf8(folded, n)) abort();
    if (n && (folded[0] == ' ' || folded[n - 1] == ' ' || strstr(folded, "  "))) abort();
    for (size_t i = 0; i < n; i++)
        if ((folded[i] >= 'A' && folded[i] <= 'Z') || folded[i] == '\t' || folded[i] == '\n')
            abort();
    char *again = tk_text_fold(folded);
    if (!again || strcmp(again, folded) != 0) abort();
    free(again);
    free(folded);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *bytes = (const char *)data;
    bool valid = tk_text_valid_utf8(bytes, size);
    if (valid != icu_accepts(bytes, size)) abort();
    check_normalize(bytes, size, valid);

    char *text = malloc(size + 1);
    if (!text) return 0;
    if (size) memcpy(text, data, size);
    text[size] = '\0';
    check_fold(text);
    (void)tk_text_length(valid ? text : "");
    free(text);
    return 0;
}
