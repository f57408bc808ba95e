#include "core/numeral.h"

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
