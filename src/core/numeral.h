/* Roman numerals, as congress ordinals are written (Đại hội XVII). */
#ifndef TK_CORE_NUMERAL_H
#define TK_CORE_NUMERAL_H

#include <stdbool.h>
#include <stddef.h>

enum { TK_ROMAN_MAX = 16 };

/* Writes n (1..3999) in Roman numerals into buf; false when n is out of range. */
bool tk_roman_format(int n, char *buf, size_t size);

#endif
