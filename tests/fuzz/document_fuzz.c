/* libFuzzer target for the document contract and the PDF writer (io/document.c, io/pdf.c).
 * Any JSON is checked; a document the check accepts must render (or be refused as too large)
 * and come out as a PDF, and a refusal must name a field with a readable message. Documents
 * with more than 50 table rows are only checked, to keep each run short. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "io/document.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fontconfig keeps a pattern's elements as an offset, not a pointer, so LeakSanitizer reports
 * them as lost while they are in use. Only what fontconfig itself allocated is exempt (see
 * tests/unit/io/pdf_test.c). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static size_t table_rows(const json_t *doc)
{
    size_t rows = 0;
    const json_t *blocks = json_object_get(doc, "blocks");
    for (size_t i = 0; i < json_array_size(blocks); i++)
        rows += json_array_size(json_object_get(json_array_get(blocks, i), "rows"));
    return rows;
}

static void check_refusal(tk_code rc, const tk_error *err)
{
    if (err->code != rc) abort();
    const char *end = memchr(err->message, '\0', sizeof err->message);
    if (!end || end == err->message || !tk_text_valid_utf8(err->message, (size_t)(end - err->message))) abort();
    if (!memchr(err->field, '\0', sizeof err->field)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!doc) return 0;
    tk_error err;
    tk_code rc = tk_document_check(doc, &err);
    if (rc != TK_OK) {
        if (rc != TK_INVALID_INPUT && rc != TK_INVALID_UTF8) abort();
        check_refusal(rc, &err);
    } else {
        char line[TK_DOCUMENT_DATE_LINE_MAX];
        tk_document_date_line(doc, line);
        if (!tk_text_valid_utf8(line, strlen(line))) abort();
        if (table_rows(doc) <= 50) {
            unsigned char *pdf = NULL;
            size_t pdf_size = 0;
            rc = tk_pdf_render(doc, &pdf, &pdf_size, &err);
            if (rc == TK_OK) {
                if (pdf_size < 5 || memcmp(pdf, "%PDF-", 5) != 0) abort();
            } else {
                if (rc != TK_TOO_LARGE || pdf) abort();
                check_refusal(rc, &err);
            }
            free(pdf);
        }
    }
    json_decref(doc);
    return 0;
}
