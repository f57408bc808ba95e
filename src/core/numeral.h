/* Roman numerals, as congress ordinals are written (Đại hội XVII). */
#ifndef TK_CORE_NUMERAL_H
#define TK_CORE_NUMERAL_H

#include <stdbool.h>
#include <stddef.h>

enum { TK_ROMAN_MAX = 16 };

/* Writes n (1..3999) in Roman numerals into buf; false when n is out of range. */
bool tk_roman_format(int n, char *buf, size_t size);

/* Formats v with `decimals` digits after the separator, dropping trailing zeros, with
 * thousands grouped: Vietnamese style "21.914" and "5,8" when vietnamese, else "21,914" and
 * "5.8". Writes at most size bytes; false when the result does not fit or v is not finite. */
bool tk_number_format(double v, int decimals, bool vietnamese, char *buf, size_t size);

#endif
