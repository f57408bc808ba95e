#include "core/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

/* ICU counts in int32_t and NFC may grow a UTF-16 string up to three times, so anything
 * beyond this cannot be normalized in one call; no text field comes near it. */
enum { TEXT_MAX_BYTES = INT32_MAX / 4 };

/* Offset of the first byte that does not start a well-formed sequence, or len when all are
 * well formed. The ranges are those of Unicode Table 3-7: they exclude overlong forms
 * (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF
 * (F4 90.., F5..FF). */
static size_t first_invalid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char b = s[i];
        size_t need;
        unsigned char lo = 0x80, hi = 0xBF;
        if (b < 0x80) {
            i++;
            continue;
        } else if (b >= 0xC2 && b <= 0xDF) {
            need = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            need = 2;
            if (b == 0xE0) lo = 0xA0;
            if (b == 0xED) hi = 0x9F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            need = 3;
            if (b == 0xF0) lo = 0x90;
            if (b == 0xF4) hi = 0x8F;
        } else {
            return i;
        }
        if (len - i <= need) return i;
        if (s[i + 1] < lo || s[i + 1] > hi) return i;
        for (size_t k = 2; k <= need; k++)
            if ((s[i + k] & 0xC0) != 0x80) return i;
        i += need + 1;
    }
    return len;
}

bool tk_text_valid_utf8(const char *s, size_t len)
{
    if (!s) return len == 0;
    return first_invalid((const unsigned char *)s, len) == len;
}

/* C0 controls, DEL and C1 controls: invisible, and some of them (ESC, BEL) act on the terminal
 * of whoever prints the text later. */
static bool is_control(UChar32 c)
{
    if (c == '\t' || c == '\n' || c == '\r') return false;
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

/* New UTF-16 copy of len bytes of valid UTF-8; *out_len gets its length in code units. */
static UChar *to_utf16(const char *s, int32_t len, int32_t *out_len)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(NULL, 0, &n, s, len, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) return NULL;
    UChar *buf = malloc(((size_t)n + 1) * sizeof *buf);
    if (!buf) return NULL;
    status = U_ZERO_ERROR;
    u_strFromUTF8(buf, n + 1, out_len, s, len, &status);
    if (U_FAILURE(status)) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* New string: src normalized by norm (NFC or NFD instance). */
static UChar *normalize16(const UNormalizer2 *norm, const UChar *src, int32_t len, int32_t *out_len)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = unorm2_normalize(norm, src, len, NULL, 0, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) return NULL;
    UChar *buf = malloc(((size_t)n + 1) * sizeof *buf);
    if (!buf) return NULL;
    status = U_ZERO_ERROR;
    *out_len = unorm2_normalize(norm, src, len, buf, n + 1, &status);
    if (U_FAILURE(status)) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* New NUL-terminated UTF-8 copy of a UTF-16 string. */
static char *to_utf8(const UChar *src, int32_t len)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = 0;
    u_strToUTF8(NULL, 0, &n, src, len, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) return NULL;
    char *buf = malloc((size_t)n + 1);
    if (!buf) return NULL;
    status = U_ZERO_ERROR;
    u_strToUTF8(buf, n + 1, NULL, src, len, &status);
    if (U_FAILURE(status)) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static char *copy_bytes(const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy) return NULL;
    if (len) memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

tk_code tk_text_normalize(const char *s, size_t len, const char *field, char **out, tk_error *err)
{
    *out = NULL;
    if (!s && len) return tk_error_set(err, TK_INVALID_INPUT, field, "Thiếu văn bản");
    if (len > TEXT_MAX_BYTES)
        return tk_error_set(err, TK_TOO_LARGE, field, "Văn bản quá dài (%zu byte)", len);
    size_t bad = first_invalid((const unsigned char *)s, len);
    if (bad < len)
        return tk_error_set(err, TK_INVALID_UTF8, field,
                            "Văn bản không phải UTF-8 hợp lệ (lỗi ở byte thứ %zu)", bad + 1);

    bool ascii = true;
    for (int32_t i = 0; i < (int32_t)len;) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT_UNSAFE((const uint8_t *)s, i, c);
        if (c >= 0x80) ascii = false;
        if (is_control(c))
            return tk_error_set(
                err, TK_INVALID_INPUT, field,
                "Văn bản chứa ký tự điều khiển không được phép (U+%04X ở byte thứ %d)",
                (unsigned)c, (int)at + 1);
    }

    /* ASCII is its own NFC, and most stored text (numbers, codes, dates) is ASCII. */
    if (ascii) {
        *out = copy_bytes(s, len);
        return *out ? TK_OK : tk_error_set(err, TK_NO_MEMORY, field, "Không đủ bộ nhớ");
    }

    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);
    if (U_FAILURE(status))
        return tk_error_set(err, TK_INTERNAL, field, "Không tải được dữ liệu Unicode (%s)",
                            u_errorName(status));
    int32_t n16 = 0, nfc_len = 0;
    UChar *u16 = to_utf16(s, (int32_t)len, &n16);
    UChar *norm = u16 ? normalize16(nfc, u16, n16, &nfc_len) : NULL;
    *out = norm ? to_utf8(norm, nfc_len) : NULL;
    free(norm);
    free(u16);
    return *out ? TK_OK : tk_error_set(err, TK_NO_MEMORY, field, "Không đủ bộ nhớ");
}

/* Folds an NFD UTF-16 string into UTF-8 at out, which has room for 3 bytes per code unit
 * plus the NUL. */
static void fold_into(const UChar *src, int32_t len, char *out)
{
    size_t o = 0;
    bool space_pending = false;
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U16_NEXT(src, i, len, c);
        if (u_isUWhiteSpace(c)) {
            space_pending = o > 0;
            continue;
        }
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        /* đ is a letter of its own, not d with a mark, so NFD leaves it whole. */
        if (c == 0x0111 || c == 0x0110) c = 'd';
        if (space_pending) {
            out[o++] = ' ';
            space_pending = false;
        }
        U8_APPEND_UNSAFE((uint8_t *)out, o, c);
    }
    out[o] = '\0';
}

char *tk_text_fold(const char *s)
{
    if (!s) return NULL;
    size_t len = strlen(s);
    if (len > TEXT_MAX_BYTES || !tk_text_valid_utf8(s, len)) return NULL;

    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&status);
    if (U_FAILURE(status)) return NULL;

    char *result = NULL;
    int32_t n16 = 0, lower_len = 0, nfd_len = 0;
    UChar *u16 = to_utf16(s, (int32_t)len, &n16);
    UChar *lower = NULL, *decomposed = NULL;
    if (!u16) goto out;

    /* Lower-case before decomposing: a few capitals (İ) lower-case to a letter plus a mark,
     * which the decomposition then exposes for removal. */
    status = U_ZERO_ERROR;
    int32_t need = u_strToLower(NULL, 0, u16, n16, "", &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) goto out;
    lower = malloc(((size_t)need + 1) * sizeof *lower);
    if (!lower) goto out;
    status = U_ZERO_ERROR;
    lower_len = u_strToLower(lower, need + 1, u16, n16, "", &status);
    if (U_FAILURE(status)) goto out;

    decomposed = normalize16(nfd, lower, lower_len, &nfd_len);
    if (!decomposed) goto out;
    result = malloc((size_t)nfd_len * 3 + 1);
    if (result) fold_into(decomposed, nfd_len, result);
out:
    free(decomposed);
    free(lower);
    free(u16);
    return result;
}

size_t tk_text_length(const char *s)
{
    size_t n = 0;
    if (!s) return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) n++;
    return n;
}
