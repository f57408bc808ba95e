/* core/text: what text is accepted, its stored (NFC) form, and the folded form search uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"

/* A byte string and its length, so rows can hold NUL bytes. */
#define BYTES(s) s, sizeof(s) - 1

static void test_valid_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *bytes;
        size_t len;
        bool valid;
    } rows[] = {
        {"empty", BYTES(""), true},
        {"ASCII", BYTES("Quý I/2021"), true},
        {"Vietnamese NFC", BYTES("Đảng bộ Thành phố"), true},
        {"Vietnamese NFD", BYTES("D\xCC\x9B" "a\xCC\x89"), true},
        {"NUL is well formed", BYTES("a\0b"), true},
        {"largest 2-byte", BYTES("\xDF\xBF"), true},
        {"smallest 3-byte", BYTES("\xE0\xA0\x80"), true},
        {"last before surrogates", BYTES("\xED\x9F\xBF"), true},
        {"first after surrogates", BYTES("\xEE\x80\x80"), true},
        {"U+FFFF", BYTES("\xEF\xBF\xBF"), true},
        {"smallest 4-byte", BYTES("\xF0\x90\x80\x80"), true},
        {"U+10FFFF", BYTES("\xF4\x8F\xBF\xBF"), true},
        {"emoji", BYTES("\xF0\x9F\x8E\x89"), true},
        {"overlong '/' in 2 bytes", BYTES("\xC0\xAF"), false},
        {"overlong C1", BYTES("\xC1\xBF"), false},
        {"overlong '/' in 3 bytes", BYTES("\xE0\x80\xAF"), false},
        {"overlong U+07FF in 3 bytes", BYTES("\xE0\x9F\xBF"), false},
        {"overlong '/' in 4 bytes", BYTES("\xF0\x80\x80\xAF"), false},
        {"overlong U+FFFF in 4 bytes", BYTES("\xF0\x8F\xBF\xBF"), false},
        {"high surrogate U+D800", BYTES("\xED\xA0\x80"), false},
        {"low surrogate U+DFFF", BYTES("\xED\xBF\xBF"), false},
        {"surrogate pair (CESU-8)", BYTES("\xED\xA0\xBD\xED\xB8\x80"), false},
        {"U+110000", BYTES("\xF4\x90\x80\x80"), false},
        {"F5 lead", BYTES("\xF5\x80\x80\x80"), false},
        {"0xFF", BYTES("\xFF"), false},
        {"0xFE", BYTES("\xFE"), false},
        {"0xFF inside text", BYTES("Qu\xFF" "y"), false},
        {"lone continuation", BYTES("\x80"), false},
        {"continuation after ASCII", BYTES("a\xBF"), false},
        {"truncated 2-byte at end", BYTES("\xC4"), false},
        {"truncated 3-byte at end", BYTES("\xE1\xBA"), false},
        {"truncated 4-byte at end", BYTES("\xF0\x9F\x8E"), false},
        {"truncated 3-byte before ASCII", BYTES("\xE1\xBA" "a"), false},
        {"2-byte lead then lead", BYTES("\xC3\xC3\xA1"), false},
        {"Latin-1 'năm'", BYTES("n\xE3m"), false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (tk_text_valid_utf8(rows[i].bytes, rows[i].len) != rows[i].valid)
            fail_msg("%s: tk_text_valid_utf8 should be %d", rows[i].name, rows[i].valid);

    /* A length that stops inside a sequence makes it truncated, whatever follows. */
    assert_false(tk_text_valid_utf8("\xC4\x90", 1));
    assert_true(tk_text_valid_utf8("\xC4\x90", 2));
    assert_true(tk_text_valid_utf8(NULL, 0));
}

static void test_normalize(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *bytes;
        size_t len;
        const char *want; /* NFC result, or NULL when refused */
        tk_code code;
    } rows[] = {
        {"ASCII unchanged", BYTES("Q1/2021"), "Q1/2021", TK_OK},
        {"empty", BYTES(""), "", TK_OK},
        {"NFC unchanged", BYTES("Đảng bộ"), "Đảng bộ", TK_OK},
        {"NFD composed", BYTES("\xC4\x90" "a\xCC\x89ng bo\xCC\xA3\xCC\x82"), "Đảng bộ", TK_OK},
        {"NFD Quý", BYTES("Quy\xCC\x81 I/2021"), "Quý I/2021", TK_OK},
        {"NFD with two marks", BYTES("Thu\xCC\x9Bo\xCC\x9B\xCC\x80ng xuye\xCC\x82n"),
         "Thường xuyên", TK_OK},
        {"marks in the other order", BYTES("o\xCC\x80\xCC\x9B"), "ờ", TK_OK},
        {"tab, newline, CR kept", BYTES("a\tb\nc\r\n"), "a\tb\nc\r\n", TK_OK},
        {"spaces kept", BYTES("  a  "), "  a  ", TK_OK},
        {"NUL", BYTES("a\0b"), NULL, TK_INVALID_INPUT},
        {"SOH", BYTES("\x01"), NULL, TK_INVALID_INPUT},
        {"ESC", BYTES("n\x1b[31m"), NULL, TK_INVALID_INPUT},
        {"DEL", BYTES("a\x7f"), NULL, TK_INVALID_INPUT},
        {"C1 NEL", BYTES("a\xC2\x85"), NULL, TK_INVALID_INPUT},
        {"C1 CSI", BYTES("\xC2\x9B"), NULL, TK_INVALID_INPUT},
        {"vertical tab", BYTES("a\vb"), NULL, TK_INVALID_INPUT},
        {"overlong", BYTES("\xC0\xAF"), NULL, TK_INVALID_UTF8},
        {"surrogate", BYTES("\xED\xA0\x80"), NULL, TK_INVALID_UTF8},
        {"truncated", BYTES("Đả\xE1\xBA"), NULL, TK_INVALID_UTF8},
        {"0xFF", BYTES("\xFF"), NULL, TK_INVALID_UTF8},
        {"above U+10FFFF", BYTES("\xF4\x90\x80\x80"), NULL, TK_INVALID_UTF8},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        static char unset[] = "unset";
        char *out = unset;
        tk_error err;
        tk_error_clear(&err);
        tk_code rc = tk_text_normalize(rows[i].bytes, rows[i].len, "title", &out, &err);
        if (rc != rows[i].code)
            fail_msg("%s: got %s, want %s (%s)", rows[i].name, tk_code_name(rc),
                     tk_code_name(rows[i].code), err.message);
        if (rows[i].want) {
            assert_non_null(out);
            if (strcmp(out, rows[i].want) != 0)
                fail_msg("%s: got \"%s\", want \"%s\"", rows[i].name, out, rows[i].want);
        } else {
            assert_null(out);
            assert_int_equal(err.code, rc);
            assert_string_equal(err.field, "title");
            assert_true(tk_text_valid_utf8(err.message, strlen(err.message)));
        }
        free(out);
    }
}

static void test_normalize_messages(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t len;
        const char *field, *message;
    } rows[] = {
        {BYTES("ab\xFF"), "title", "Văn bản không phải UTF-8 hợp lệ (lỗi ở byte thứ 3)"},
        {BYTES("\xED\xA0\x80"), "note", "Văn bản không phải UTF-8 hợp lệ (lỗi ở byte thứ 1)"},
        {BYTES("a\x1b"), "title",
         "Văn bản chứa ký tự điều khiển không được phép (U+001B ở byte thứ 2)"},
        {BYTES("Đ\0"), "", "Văn bản chứa ký tự điều khiển không được phép (U+0000 ở byte thứ 3)"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *out = NULL;
        tk_error err;
        tk_text_normalize(rows[i].bytes, rows[i].len, rows[i].field, &out, &err);
        assert_null(out);
        assert_string_equal(err.field, rows[i].field);
        assert_string_equal(err.message, rows[i].message);
    }

    /* A NULL field is an error about the whole text. */
    char *out = NULL;
    tk_error err;
    assert_int_equal(tk_text_normalize("\xFF", 1, NULL, &out, &err), TK_INVALID_UTF8);
    assert_string_equal(err.field, "");
    /* The caller need not want the details. */
    assert_int_equal(tk_text_normalize("\xFF", 1, NULL, &out, NULL), TK_INVALID_UTF8);
}

static void test_fold(void **state)
{
    (void)state;
    static const struct {
        const char *text, *folded;
    } rows[] = {
        {"Đảng bộ", "dang bo"},
        {"ĐẢNG BỘ", "dang bo"},
        {"\xC4\x90" "a\xCC\x89ng bo\xCC\xA3\xCC\x82", "dang bo"}, /* NFD */
        {"đ Đ", "d d"},
        {"Thành ủy", "thanh uy"},
        {"Hồ Chí Minh", "ho chi minh"},
        {"Thanh Hóa", "thanh hoa"},
        {"Thanh Hoa\xCC\x81", "thanh hoa"},
        {"Nghị quyết", "nghi quyet"},
        {"Chương trình hành động", "chuong trinh hanh dong"},
        {"Ưu tiên, Ơn, Ăn, Âm, Êm, Ôm", "uu tien, on, an, am, em, om"},
        {"Thường xuyên", "thuong xuyen"},
        {"Quý I/2021", "quy i/2021"},
        {"  Văn   phòng\tThành ủy \n", "van phong thanh uy"},
        {"a\xC2\xA0\xC2\xA0" "b", "a b"},      /* no-break spaces */
        {"a\xE3\x80\x80" "b", "a b"},          /* ideographic space */
        {"\r\n\t ", ""},
        {"", ""},
        {"dang bo", "dang bo"},
        {"5,8%; 21.914", "5,8%; 21.914"},
        {"nhiệm kỳ 2020–2025", "nhiem ky 2020–2025"}, /* en dash is not a mark */
        {"\xC4\xB0stanbul", "istanbul"},                /* İ lower-cases to i and a mark */
        {"Ｑ", "ｑ"},                                    /* full-width letters keep their width */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *got = tk_text_fold(rows[i].text);
        if (!got) fail_msg("tk_text_fold(\"%s\") failed", rows[i].text);
        if (strcmp(got, rows[i].folded) != 0)
            fail_msg("tk_text_fold(\"%s\"): got \"%s\", want \"%s\"", rows[i].text, got,
                     rows[i].folded);
        /* Folding a folded text changes nothing, so stored folds can be compared directly. */
        char *again = tk_text_fold(got);
        assert_non_null(again);
        assert_string_equal(again, got);
        free(again);
        free(got);
    }
}

static void test_fold_refuses(void **state)
{
    (void)state;
    static const char *const rows[] = {
        "\xFF", "Đả\xE1\xBA", "\xC0\xAF", "\xED\xA0\x80", "ok \xF4\x90\x80\x80",
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (tk_text_fold(rows[i]) != NULL) fail_msg("row %zu: invalid UTF-8 folded", i);
    assert_null(tk_text_fold(NULL));
}

static void test_length(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t length;
    } rows[] = {
        {"", 0},
        {"abc", 3},
        {"Đảng bộ", 7},
        {"\xC4\x90" "a\xCC\x89ng", 5}, /* NFD: the mark counts as a code point */
        {"\xF0\x9F\x8E\x89", 1},
        {"2020–2025", 9},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (tk_text_length(rows[i].text) != rows[i].length)
            fail_msg("tk_text_length(\"%s\"): got %zu, want %zu", rows[i].text,
                     tk_text_length(rows[i].text), rows[i].length);
    assert_int_equal(tk_text_length(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_utf8),   cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_normalize_messages), cmocka_unit_test(test_fold),
        cmocka_unit_test(test_fold_refuses), cmocka_unit_test(test_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
