#include "core/numeral.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

bool tk_roman_format(int n, char *buf, size_t size)
{
    static const struct {
        int value;
        const char *text;
    } steps[] = {{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
                 {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"}};
    if (n < 1 || n > 3999 || size == 0) return false;
    size_t len = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        while (n >= steps[i].value) {
            size_t k = strlen(steps[i].text);
            if (len + k + 1 > size) return false;
            memcpy(buf + len, steps[i].text, k);
            len += k;
            n -= steps[i].value;
        }
    }
    buf[len] = '\0';
    return true;
}

bool tk_number_format(double v, int decimals, bool vietnamese, char *buf, size_t size)
{
    if (!isfinite(v) || decimals < 0 || decimals > 9 || fabs(v) >= 1e15) return false;
    char plain[64];
    snprintf(plain, sizeof plain, "%.*f", decimals, v);
    char *dot = strchr(plain, '.');
    if (dot) {
        char *end = plain + strlen(plain);
        while (end > dot + 1 && end[-1] == '0') *--end = '\0';
        if (end == dot + 1) *dot = '\0';
    }
    if (strcmp(plain, "-0") == 0) strcpy(plain, "0"); /* a small negative rounded to nothing */
    const char group = vietnamese ? '.' : ',', decimal = vietnamese ? ',' : '.';
    const char *digits = plain[0] == '-' ? plain + 1 : plain;
    size_t int_len = strcspn(digits, "."), len = 0;
    char out[96];
    if (digits != plain) out[len++] = '-';
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0) out[len++] = group;
        out[len++] = digits[i];
    }
    if (digits[int_len] == '.') {
        out[len++] = decimal;
        for (const char *p = digits + int_len + 1; *p; p++) out[len++] = *p;
    }
    out[len] = '\0';
    if (len + 1 > size) return false;
    memcpy(buf, out, len + 1);
    return true;
}
