#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/numeral.h"

static const struct {
    int n;
    const char *roman;
} cases[] = {
    {1, "I"}, {4, "IV"}, {9, "IX"}, {11, "XI"}, {13, "XIII"}, {14, "XIV"}, {17, "XVII"},
    {20, "XX"}, {40, "XL"}, {90, "XC"}, {1999, "MCMXCIX"}, {2045, "MMXLV"}, {3999, "MMMCMXCIX"},
};

static void formats_congress_ordinals(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[TK_ROMAN_MAX];
        assert_true(tk_roman_format(cases[i].n, buf, sizeof buf));
        assert_string_equal(buf, cases[i].roman);
    }
}

static void refuses_out_of_range_and_small_buffers(void **state)
{
    (void)state;
    char buf[TK_ROMAN_MAX];
    assert_false(tk_roman_format(0, buf, sizeof buf));
    assert_false(tk_roman_format(-3, buf, sizeof buf));
    assert_false(tk_roman_format(4000, buf, sizeof buf));
    char tiny[3];
    assert_false(tk_roman_format(17, tiny, sizeof tiny)); /* "XVII" needs 5 bytes */
    assert_true(tk_roman_format(11, tiny, sizeof tiny));
    assert_string_equal(tiny, "XI");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formats_congress_ordinals),
        cmocka_unit_test(refuses_out_of_range_and_small_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
