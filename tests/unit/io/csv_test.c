/* io/csv: the tables of a document as CSV that Excel and LibreOffice open as written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "io/document.h"
#include "io/table.h"

/* A document with the given blocks (stolen) and every other member present. */
static json_t *doc_with(json_t *blocks)
{
    return json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:s, s:s, s:s, s:o, s:[], s:{s:s, s:s, s:s}}", "layout", "party",
                     "issuer", "parent", "", "name", "THÀNH ỦY", "number", "", "place", "Hà Nội", "date", "2026-11-23",
                     "kind", "DANH SÁCH", "title", "", "blocks", blocks, "recipients", "signature", "authority", "",
                     "position", "", "name", "");
}

static json_t *table(json_t *columns, json_t *rows, json_t *total)
{
    json_t *t = json_pack("{s:s, s:o, s:o}", "type", "table", "columns", columns, "rows", rows);
    if (total) json_object_set_new(t, "total", total);
    return t;
}

static json_t *col(const char *text)
{
    return json_pack("{s:s, s:i, s:s}", "text", text, "width", 1, "align", "left");
}

static char *render(json_t *doc, size_t *size)
{
    unsigned char *out = NULL;
    tk_error err;
    tk_error_clear(&err);
    if (tk_csv_render(doc, &out, size, &err) != TK_OK) fail_msg("tk_csv_render: %s (%s)", err.message, err.field);
    json_decref(doc);
    return (char *)out;
}

static void test_bytes_of_a_small_table(void **state)
{
    (void)state;
    json_t *doc = doc_with(json_pack("[{s:s, s:s}, o]", "type", "paragraph", "text", "không vào CSV",
                                     table(json_pack("[o, o]", col("Đơn vị"), col("Số")),
                                           json_pack("[[s, s], [s, s]]", "Sở Nội vụ", "12", "Ban \"Tổ chức\", Thành ủy",
                                                     "3"),
                                           json_pack("[s, s]", "Cộng", "15"))));
    size_t size;
    char *csv = render(doc, &size);
    static const char want[] = "\xEF\xBB\xBF"
                               "Đơn vị,Số\r\n"
                               "Sở Nội vụ,12\r\n"
                               "\"Ban \"\"Tổ chức\"\", Thành ủy\",3\r\n"
                               "Cộng,15\r\n";
    assert_int_equal(size, strlen(want));
    assert_memory_equal(csv, want, size);
    free(csv);
}

/* What a person typed must not become a formula when the export is opened; a point of a
 * document ("- Nội dung") and a negative number stay as they are. */
static void test_formulas_are_shown_as_text(void **state)
{
    (void)state;
    json_t *doc = doc_with(json_pack("[o]", table(json_pack("[o]", col("Nhiệm vụ")),
                                                  json_pack("[[s], [s], [s], [s], [s], [s]]", "=HYPERLINK(\"x\")", "+1",
                                                            "@SUM(A1)", "-A1", "- Nội dung", "-12,5"),
                                                  NULL)));
    size_t size;
    char *csv = render(doc, &size);
    static const char want[] = "\xEF\xBB\xBF"
                               "Nhiệm vụ\r\n"
                               "\"'=HYPERLINK(\"\"x\"\")\"\r\n"
                               "\"'+1\"\r\n"
                               "\"'@SUM(A1)\"\r\n"
                               "\"'-A1\"\r\n"
                               "- Nội dung\r\n"
                               "\"-12,5\"\r\n";
    assert_int_equal(size, strlen(want));
    assert_memory_equal(csv, want, size);
    free(csv);
}

/* Line breaks, leading spaces and several tables come back cell for cell through a CSV reader. */
static void test_reads_back(void **state)
{
    (void)state;
    json_t *doc = doc_with(json_pack("[o, o]",
                                     table(json_pack("[o, o]", col("A"), col("B")),
                                           json_pack("[[s, s]]", "dòng 1\ndòng 2", "  lề trái"), NULL),
                                     table(json_pack("[o]", col("C")), json_pack("[[s]]", "bảng hai"), NULL)));
    size_t size;
    char *csv = render(doc, &size);
    tk_table *t = NULL;
    tk_error err;
    tk_error_clear(&err);
    if (tk_table_read_csv(csv, size, &t, &err)) fail_msg("read back: %s", err.message);
    /* The empty line between the tables is skipped by the reader. */
    assert_int_equal(tk_table_row_count(t), 4);
    assert_string_equal(tk_table_cell(t, 1, 0), "dòng 1\ndòng 2");
    assert_string_equal(tk_table_cell(t, 1, 1), "  lề trái");
    assert_string_equal(tk_table_cell(t, 2, 0), "C");
    assert_string_equal(tk_table_cell(t, 3, 0), "bảng hai");
    tk_table_free(t);
    free(csv);
}

static void test_refuses_a_bad_document(void **state)
{
    (void)state;
    json_t *doc = doc_with(json_pack("[o]", table(json_pack("[o, o]", col("A"), col("B")), json_pack("[[s]]", "x"),
                                                  NULL)));
    unsigned char *out = NULL;
    size_t size = 0;
    tk_error err;
    tk_error_clear(&err);
    assert_int_equal(tk_csv_render(doc, &out, &size, &err), TK_INVALID_INPUT);
    assert_null(out);
    assert_string_equal(err.field, "blocks[0].rows[0]");
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes_of_a_small_table),
        cmocka_unit_test(test_formulas_are_shown_as_text),
        cmocka_unit_test(test_reads_back),
        cmocka_unit_test(test_refuses_a_bad_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
