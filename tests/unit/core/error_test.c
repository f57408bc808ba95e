#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/error.h"
#include "core/text.h"

static void every_code_has_a_stable_name_and_a_status(void **state)
{
    (void)state;
    static const struct {
        tk_code code;
        const char *name;
        int status;
    } codes[] = {
        {TK_OK, "ok", 200},
        {TK_INVALID_INPUT, "invalid_input", 422},
        {TK_INVALID_UTF8, "invalid_utf8", 400},
        {TK_INVALID_JSON, "invalid_json", 400},
        {TK_INVALID_PERIOD, "invalid_period", 422},
        {TK_NOT_FOUND, "not_found", 404},
        {TK_CONFLICT, "conflict", 409},
        {TK_TOO_LARGE, "too_large", 413},
        {TK_UNSUPPORTED, "unsupported", 405},
        {TK_STORAGE, "storage_error", 500},
        {TK_NO_MEMORY, "out_of_memory", 503},
        {TK_IO, "io_error", 500},
        {TK_INTERNAL, "internal_error", 500},
        {TK_UNAUTHORIZED, "unauthorized", 401},
        {TK_FORBIDDEN, "forbidden", 403},
        {TK_RATE_LIMITED, "rate_limited", 429},
    };
    assert_int_equal(sizeof codes / sizeof codes[0], TK_CODE_COUNT);
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_string_equal(tk_code_name(codes[i].code), codes[i].name);
        assert_int_equal(tk_code_http_status(codes[i].code), codes[i].status);
    }
    assert_string_equal(tk_code_name((tk_code)999), "internal_error");
    assert_int_equal(tk_code_http_status((tk_code)-1), 500);
}

static void set_fills_and_returns_the_code(void **state)
{
    (void)state;
    tk_error err;
    assert_int_equal(tk_error_set(&err, TK_NOT_FOUND, "lead_org_id", "Không có đơn vị mã số %d", 7), TK_NOT_FOUND);
    assert_int_equal(err.code, TK_NOT_FOUND);
    assert_string_equal(err.field, "lead_org_id");
    assert_string_equal(err.message, "Không có đơn vị mã số 7");
    assert_int_equal(tk_error_set(NULL, TK_CONFLICT, NULL, "x"), TK_CONFLICT);
    tk_error_set(&err, TK_CONFLICT, NULL, "x");
    assert_string_equal(err.field, "");
    tk_error_clear(&err);
    assert_int_equal(err.code, TK_OK);
    assert_string_equal(err.message, "");
}

/* Regression: a message cut at the buffer's end inside a Vietnamese character was left with half
 * of it, which is not valid UTF-8 and cannot be sent as JSON. Every cut position is tried. */
static void a_long_message_is_cut_at_a_character_boundary(void **state)
{
    (void)state;
    char text[2 * TK_ERROR_MESSAGE_MAX];
    for (size_t pad = 0; pad < 4; pad++) {
        size_t len = 0;
        for (; len < pad; len++) text[len] = 'a';
        while (len + 4 < sizeof text) {
            memcpy(text + len, "ệ", 3); /* three bytes */
            len += 3;
            memcpy(text + len, "đ", 2); /* two bytes */
            len += 2;
        }
        text[len] = '\0';
        tk_error err;
        tk_error_set(&err, TK_INVALID_INPUT, NULL, "%s", text);
        size_t got = strlen(err.message);
        assert_true(got > TK_ERROR_MESSAGE_MAX - 5);
        assert_true(tk_text_valid_utf8(err.message, got));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_has_a_stable_name_and_a_status),
        cmocka_unit_test(set_fills_and_returns_the_code),
        cmocka_unit_test(a_long_message_is_cut_at_a_character_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
