#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

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

static const struct {
    double v;
    int decimals;
    const char *vi, *en;
} numbers[] = {
    {0, 1, "0", "0"},
    {5.8, 1, "5,8", "5.8"},
    {21914, 0, "21.914", "21,914"},
    {16051.5, 1, "16.051,5", "16,051.5"},
    {1234567.891, 2, "1.234.567,89", "1,234,567.89"},
    {100, 1, "100", "100"},
    {62.50, 1, "62,5", "62.5"},
    {-0.04, 1, "0", "0"},
    {-1234.5, 1, "-1.234,5", "-1,234.5"},
    {999, 0, "999", "999"},
    {1000, 0, "1.000", "1,000"},
};

static void formats_numbers_as_each_language_writes_them(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        char buf[32];
        assert_true(tk_number_format(numbers[i].v, numbers[i].decimals, true, buf, sizeof buf));
        if (strcmp(buf, numbers[i].vi) != 0) fail_msg("row %zu: vi \"%s\", want \"%s\"", i, buf, numbers[i].vi);
        assert_true(tk_number_format(numbers[i].v, numbers[i].decimals, false, buf, sizeof buf));
        if (strcmp(buf, numbers[i].en) != 0) fail_msg("row %zu: en \"%s\", want \"%s\"", i, buf, numbers[i].en);
    }
    char tiny[4];
    assert_false(tk_number_format(21914, 0, true, tiny, sizeof tiny));
    assert_false(tk_number_format(1.0 / 0.0, 0, true, tiny, sizeof tiny));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formats_congress_ordinals),
        cmocka_unit_test(refuses_out_of_range_and_small_buffers),
        cmocka_unit_test(formats_numbers_as_each_language_writes_them),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
