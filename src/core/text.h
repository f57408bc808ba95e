/* Vietnamese text: validation, normalization and the folding that search uses.
 *
 * Every text that enters trienkhai goes through tk_text_normalize(): invalid UTF-8 and control
 * characters other than tab/newline are refused, and the result is NFC. Search compares
 * tk_text_fold() forms: lower case, no diacritics, and đ/Đ as d, so "dang bo" finds "Đảng bộ". */
#ifndef TK_CORE_TEXT_H
#define TK_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* True when the len bytes at s are valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool tk_text_valid_utf8(const char *s, size_t len);

/* Validates s (len bytes) and returns a new NUL-terminated NFC copy in *out (caller frees with
 * free()). Refuses invalid UTF-8 (TK_INVALID_UTF8), NUL bytes and C0/C1 control characters other
 * than tab, newline and carriage return (TK_INVALID_INPUT); field names the field in err. */
tk_code tk_text_normalize(const char *s, size_t len, const char *field, char **out, tk_error *err);

/* Returns a new NUL-terminated folded copy of valid UTF-8 s (caller frees): NFD, combining marks
 * removed, lower case, đ -> d, runs of white space as one space, trimmed. NULL on allocation
 * failure or invalid input. */
char *tk_text_fold(const char *s);

/* Number of code points in valid UTF-8 s. */
size_t tk_text_length(const char *s);

#endif
