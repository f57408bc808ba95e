#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int http_status;
} codes[TK_CODE_COUNT] = {
    [TK_OK] = {"ok", 200},
    [TK_INVALID_INPUT] = {"invalid_input", 422},
    [TK_INVALID_UTF8] = {"invalid_utf8", 400},
    [TK_INVALID_JSON] = {"invalid_json", 400},
    [TK_INVALID_PERIOD] = {"invalid_period", 422},
    [TK_NOT_FOUND] = {"not_found", 404},
    [TK_CONFLICT] = {"conflict", 409},
    [TK_TOO_LARGE] = {"too_large", 413},
    [TK_UNSUPPORTED] = {"unsupported", 405},
    [TK_STORAGE] = {"storage_error", 500},
    [TK_NO_MEMORY] = {"out_of_memory", 503},
    [TK_IO] = {"io_error", 500},
    [TK_INTERNAL] = {"internal_error", 500},
    [TK_UNAUTHORIZED] = {"unauthorized", 401},
    [TK_FORBIDDEN] = {"forbidden", 403},
    [TK_RATE_LIMITED] = {"rate_limited", 429},
};

const char *tk_code_name(tk_code code)
{
    if ((unsigned)code >= TK_CODE_COUNT) return "internal_error";
    return codes[code].name;
}

int tk_code_http_status(tk_code code)
{
    if ((unsigned)code >= TK_CODE_COUNT) return 500;
    return codes[code].http_status;
}

tk_code tk_error_set(tk_error *err, tk_code code, const char *field, const char *fmt, ...)
{
    if (!err) return code;
    err->code = code;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof err->message) {
        /* Truncated: if the cut fell inside a UTF-8 sequence, drop that partial character, or
         * the message would no longer be valid text for the JSON answer. */
        size_t len = sizeof err->message - 1, lead = len;
        while (lead > 0 && ((unsigned char)err->message[lead - 1] & 0xC0) == 0x80) lead--;
        if (lead > 0) {
            unsigned char c = (unsigned char)err->message[lead - 1];
            size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (lead - 1 + need > len) err->message[lead - 1] = '\0';
        }
    }
    return code;
}

void tk_error_clear(tk_error *err)
{
    if (!err) return;
    err->code = TK_OK;
    err->field[0] = '\0';
    err->message[0] = '\0';
}
