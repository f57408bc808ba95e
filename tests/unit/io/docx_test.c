/* DOCX writer (src/io/docx.c): the file opens in LibreOffice and reads as the document says, in
 * both layouts; every XML part is well-formed; the page, the font, the table's repeated header
 * row, its column widths and alignments are what io/document.h describes; text is escaped and
 * characters XML cannot carry are dropped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "io/document.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A party report with every kind of block, a hostile string and a control character. */
static const char party_doc[] =
    "{\"layout\": \"party\","
    " \"issuer\": {\"parent\": \"ĐẢNG BỘ THÀNH PHỐ HÀ NỘI\", \"name\": \"THÀNH ỦY\"},"
    " \"number\": \"Số 12-BC/TU\", \"place\": \"Hà Nội\", \"date\": \"2021-03-15\","
    " \"kind\": \"BÁO CÁO\", \"title\": \"Kết quả thực hiện Chương trình số 01-CTr/TU năm 2020\","
    " \"blocks\": ["
    "  {\"type\": \"heading\", \"level\": 1, \"text\": \"I. KẾT QUẢ ĐẠT ĐƯỢC\"},"
    "  {\"type\": \"paragraph\", \"text\": \"Chương trình <A&B> \\\"mới\\\" đã triển khai.\\nDòng thứ hai\\u0001 có ký tự lạ.\"},"
    "  {\"type\": \"heading\", \"level\": 2, \"text\": \"1. Về nhiệm vụ\"},"
    "  {\"type\": \"table\", \"title\": \"Bảng 1. Tiến độ nhiệm vụ theo đơn vị\","
    "   \"columns\": [{\"text\": \"Đơn vị\", \"width\": 4, \"align\": \"left\"},"
    "               {\"text\": \"Giao\", \"width\": 1, \"align\": \"right\"},"
    "               {\"text\": \"Tỷ lệ\", \"width\": 1.5, \"align\": \"center\"}],"
    "   \"rows\": [[\"Sở Nội vụ\", \"1.234\", \"85,5 %\"], [\"Sở Tài chính\", \"12\", \"100 %\"]],"
    "   \"total\": [\"Cộng\", \"1.246\", \"86,0 %\"]}"
    " ],"
    " \"recipients\": [\"Như trên,\", \"Lưu Văn phòng Thành ủy.\"],"
    " \"signature\": {\"authority\": \"T/M BAN THƯỜNG VỤ\", \"position\": \"PHÓ BÍ THƯ THƯỜNG TRỰC\","
    "               \"name\": \"Nguyễn Văn A\"}}";

/* A People's Committee department's report, as small as the contract allows beside a table. */
static const char state_doc[] =
    "{\"layout\": \"state\","
    " \"issuer\": {\"parent\": \"UBND TỈNH THANH HÓA\", \"name\": \"SỞ NỘI VỤ\"},"
    " \"number\": \"Số: 123/BC-SNV\", \"place\": \"Thanh Hóa\", \"date\": \"2022-01-05\","
    " \"kind\": \"BÁO CÁO\", \"title\": \"Tình hình thực hiện nhiệm vụ quý IV năm 2021\","
    " \"blocks\": ["
    "  {\"type\": \"paragraph\", \"text\": \"Sở Nội vụ báo cáo như sau:\"},"
    "  {\"type\": \"table\","
    "   \"columns\": [{\"text\": \"STT\", \"width\": 1, \"align\": \"center\"},"
    "               {\"text\": \"Nhiệm vụ\", \"width\": 6, \"align\": \"left\"}],"
    "   \"rows\": [[\"1\", \"Rà soát tổ chức bộ máy\"], [\"2\", \"Tuyển dụng công chức\"]]}"
    " ],"
    " \"recipients\": [\"UBND tỉnh (để b/c);\", \"Lưu: VT.\"],"
    " \"signature\": {\"authority\": \"\", \"position\": \"GIÁM ĐỐC\", \"name\": \"Lê Văn B\"}}";

static json_t *load(const char *text)
{
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    if (!doc) fail_msg("bad JSON in test (line %d): %s", jerr.line, jerr.text);
    return doc;
}

static unsigned char *render(const char *text, size_t *size)
{
    json_t *doc = load(text);
    unsigned char *data = NULL;
    tk_error err = {0};
    tk_code rc = tk_docx_render(doc, &data, size, &err);
    json_decref(doc);
    if (rc) fail_msg("tk_docx_render: %d %s: %s", rc, err.field, err.message);
    assert_non_null(data);
    assert_true(*size > 0);
    return data;
}

/* ---- The archive and its XML ------------------------------------------------------------- */

/* The part named name of the archive, NUL-terminated (new), or NULL when it is not there. */
static char *part(const unsigned char *data, size_t size, const char *name)
{
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(data, size, 0, &zerr);
    assert_non_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!za) fail_msg("not a zip archive: %s", zip_error_strerror(&zerr));
    char *text = NULL;
    zip_stat_t st;
    if (zip_stat(za, name, 0, &st) == 0) {
        zip_file_t *f = zip_fopen(za, name, 0);
        assert_non_null(f);
        text = malloc(st.size + 1);
        assert_non_null(text);
        assert_int_equal(zip_fread(f, text, st.size), (zip_int64_t)st.size);
        text[st.size] = '\0';
        zip_fclose(f);
    }
    zip_discard(za); /* frees src */
    zip_error_fini(&zerr);
    return text;
}

static xmlDocPtr parse(const char *xml, const char *what)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), what, "UTF-8", XML_PARSE_NONET);
    if (!doc) fail_msg("%s is not well-formed XML", what);
    return doc;
}

static xmlXPathObjectPtr eval(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    assert_non_null(ctx);
    xmlXPathRegisterNs(ctx, BAD_CAST "w", BAD_CAST "http://schemas.openxmlformats.org/wordprocessingml/2006/main");
    xmlXPathRegisterNs(ctx, BAD_CAST "dc", BAD_CAST "http://purl.org/dc/elements/1.1/");
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    xmlXPathFreeContext(ctx);
    if (!r) fail_msg("bad XPath in test: %s", expr);
    return r;
}

static int count(xmlDocPtr doc, const char *expr)
{
    xmlXPathObjectPtr r = eval(doc, expr);
    int n = r->type == XPATH_NODESET && r->nodesetval ? r->nodesetval->nodeNr : -1;
    xmlXPathFreeObject(r);
    return n;
}

/* The XPath string() of expr, compared with expected. */
static void expect_value_of(xmlDocPtr doc, const char *expr, const char *expected)
{
    char query[512];
    snprintf(query, sizeof query, "string(%s)", expr);
    xmlXPathObjectPtr r = eval(doc, query);
    if (strcmp((const char *)r->stringval, expected) != 0)
        fail_msg("%s is \"%s\", expected \"%s\"", expr, (const char *)r->stringval, expected);
    xmlXPathFreeObject(r);
}

static long number_of(xmlDocPtr doc, const char *expr)
{
    char query[512];
    snprintf(query, sizeof query, "number(%s)", expr);
    xmlXPathObjectPtr r = eval(doc, query);
    long n = (long)r->floatval;
    xmlXPathFreeObject(r);
    return n;
}

static const char *const parts[] = {
    "[Content_Types].xml", "_rels/.rels",      "word/document.xml", "word/_rels/document.xml.rels",
    "word/styles.xml",     "word/settings.xml", "word/header1.xml",  "word/header2.xml",
    "docProps/core.xml",
};

static void every_part_is_well_formed_xml(void **state)
{
    (void)state;
    const char *docs[] = {party_doc, state_doc};
    for (size_t d = 0; d < COUNT(docs); d++) {
        size_t size;
        unsigned char *data = render(docs[d], &size);
        for (size_t i = 0; i < COUNT(parts); i++) {
            char *xml = part(data, size, parts[i]);
            if (!xml) fail_msg("the archive has no %s", parts[i]);
            xmlFreeDoc(parse(xml, parts[i]));
            free(xml);
        }
        free(data);
    }
}

static void the_page_font_and_header_row_follow_the_contract(void **state)
{
    (void)state;
    size_t size;
    unsigned char *data = render(party_doc, &size);
    char *document_xml = part(data, size, "word/document.xml");
    char *styles_xml = part(data, size, "word/styles.xml");
    char *header_xml = part(data, size, "word/header1.xml");
    char *first_header_xml = part(data, size, "word/header2.xml");
    char *core_xml = part(data, size, "docProps/core.xml");
    xmlDocPtr doc = parse(document_xml, "document.xml");
    xmlDocPtr styles = parse(styles_xml, "styles.xml");
    xmlDocPtr header = parse(header_xml, "header1.xml");
    xmlDocPtr first_header = parse(first_header_xml, "header2.xml");
    xmlDocPtr core = parse(core_xml, "core.xml");

    /* A4, margins 20/20/30/15 mm in twips. */
    static const struct {
        const char *attr;
        long twips;
    } page[] = {
        {"//w:sectPr/w:pgSz/@w:w", 11906},     {"//w:sectPr/w:pgSz/@w:h", 16838},
        {"//w:sectPr/w:pgMar/@w:top", 1134},   {"//w:sectPr/w:pgMar/@w:bottom", 1134},
        {"//w:sectPr/w:pgMar/@w:left", 1701},  {"//w:sectPr/w:pgMar/@w:right", 850},
    };
    for (size_t i = 0; i < COUNT(page); i++)
        if (number_of(doc, page[i].attr) != page[i].twips)
            fail_msg("%s is %ld, expected %ld", page[i].attr, number_of(doc, page[i].attr), page[i].twips);

    /* Times New Roman 14 pt for every script. */
    expect_value_of(styles, "//w:docDefaults//w:rFonts/@w:ascii", "Times New Roman");
    expect_value_of(styles, "//w:docDefaults//w:rFonts/@w:hAnsi", "Times New Roman");
    expect_value_of(styles, "//w:docDefaults//w:rFonts/@w:cs", "Times New Roman");
    expect_value_of(styles, "//w:docDefaults//w:sz/@w:val", "28");

    /* The page number: a PAGE field in the header of every page but the first. */
    expect_value_of(header, "//w:instrText", " PAGE ");
    assert_int_equal(count(first_header, "//w:instrText"), 0);
    assert_int_equal(count(doc, "//w:sectPr/w:titlePg"), 1);

    /* Only the data table has a header row, and it holds the columns' names. */
    assert_int_equal(count(doc, "//w:tr[w:trPr/w:tblHeader]"), 1);
    expect_value_of(doc, "//w:tr[w:trPr/w:tblHeader]/w:tc[1]", "Đơn vị");
    expect_value_of(doc, "//w:tr[w:trPr/w:tblHeader]/w:tc[2]", "Giao");
    expect_value_of(doc, "//w:tr[w:trPr/w:tblHeader]/w:tc[3]", "Tỷ lệ");
    assert_int_equal(count(doc, "//w:tr[w:trPr/w:tblHeader]/w:tc//w:r[w:rPr/w:b]"), 3);

    /* Column widths share the text width (9355 twips) by the weights 4 : 1 : 1.5. */
    const char *grid = "//w:tbl[w:tr/w:trPr/w:tblHeader]/w:tblGrid/w:gridCol";
    char q[256];
    long widths[3], sum = 0;
    for (int i = 0; i < 3; i++) {
        snprintf(q, sizeof q, "%s[%d]/@w:w", grid, i + 1);
        widths[i] = number_of(doc, q);
        sum += widths[i];
    }
    assert_int_equal(sum, 9355);
    assert_in_range(widths[0], 5756, 5758);
    assert_in_range(widths[1], 1438, 1440);
    assert_in_range(widths[2], 2158, 2160);

    /* Cells align as their column says; the total row is bold. */
    expect_value_of(doc, "//w:tc[.//w:t='Sở Nội vụ']/w:p/w:pPr/w:jc/@w:val", "left");
    expect_value_of(doc, "//w:tc[.//w:t='1.234']/w:p/w:pPr/w:jc/@w:val", "right");
    expect_value_of(doc, "//w:tc[.//w:t='85,5 %']/w:p/w:pPr/w:jc/@w:val", "center");
    assert_int_equal(count(doc, "//w:tr[w:tc//w:t='Cộng']/w:tc//w:r[w:rPr/w:b]"), 3);
    assert_int_equal(count(doc, "//w:tr[w:tc//w:t='Sở Nội vụ']/w:tc//w:r[w:rPr/w:b]"), 0);
    /* The data table has borders; the layout tables do not. */
    expect_value_of(doc, "//w:tbl[w:tr/w:trPr/w:tblHeader]/w:tblPr/w:tblBorders/w:insideV/@w:val", "single");
    expect_value_of(doc, "//w:tbl[.//w:t='THÀNH ỦY']/w:tblPr/w:tblBorders/w:insideV/@w:val", "nil");

    /* A paragraph is justified with a first-line indent; "\n" is a line break within it; the
     * escaped characters come back as they were and the control character is gone. */
    const char *para = "//w:p[w:r/w:t='Chương trình <A&B> \"mới\" đã triển khai.']";
    assert_int_equal(count(doc, para), 1);
    snprintf(q, sizeof q, "%s/w:r[w:br and w:t[2]='Dòng thứ hai có ký tự lạ.']", para);
    assert_int_equal(count(doc, q), 1);
    snprintf(q, sizeof q, "%s/w:pPr/w:pStyle/@w:val", para);
    expect_value_of(doc, q, "BodyText");
    expect_value_of(styles, "//w:style[@w:styleId='BodyText']/w:pPr/w:jc/@w:val", "both");
    assert_true(number_of(styles, "//w:style[@w:styleId='BodyText']/w:pPr/w:ind/@w:firstLine") > 0);
    assert_non_null(strstr(document_xml, "&lt;A&amp;B&gt; &quot;mới&quot;"));
    assert_null(strchr(document_xml, '\x01'));

    /* Header block: the issuer's name and the party's name bold, the latter underlined; the
     * date line in italics; headings and the kind bold. */
    assert_int_equal(count(doc, "//w:r[w:t='THÀNH ỦY']/w:rPr/w:b"), 1);
    assert_int_equal(count(doc, "//w:r[w:t='ĐẢNG CỘNG SẢN VIỆT NAM']/w:rPr[w:b and w:u/@w:val='single']"), 1);
    assert_int_equal(count(doc, "//w:r[w:t='Hà Nội, ngày 15 tháng 3 năm 2021']/w:rPr/w:i"), 1);
    expect_value_of(doc, "//w:p[w:r/w:t='I. KẾT QUẢ ĐẠT ĐƯỢC']/w:pPr/w:pStyle/@w:val", "Heading1");
    expect_value_of(doc, "//w:p[w:r/w:t='1. Về nhiệm vụ']/w:pPr/w:pStyle/@w:val", "Heading2");
    assert_int_equal(count(styles, "//w:style[@w:styleId='Heading1' or @w:styleId='Heading2' or @w:styleId='Title']/w:rPr/w:b"),
                     3);
    expect_value_of(styles, "//w:style[@w:styleId='Title']/w:pPr/w:jc/@w:val", "center");
    /* "Nơi nhận:" bold italic in 12 pt, beside the signature. */
    assert_int_equal(count(doc, "//w:r[w:t='Nơi nhận:']/w:rPr[w:b and w:i and w:sz/@w:val='24']"), 1);
    assert_int_equal(count(doc, "//w:tr[w:tc//w:t='Nơi nhận:' and w:tc//w:t='Nguyễn Văn A']"), 1);

    expect_value_of(core, "//dc:title", "BÁO CÁO Kết quả thực hiện Chương trình số 01-CTr/TU năm 2020");

    xmlFreeDoc(doc);
    xmlFreeDoc(styles);
    xmlFreeDoc(header);
    xmlFreeDoc(first_header);
    xmlFreeDoc(core);
    free(document_xml);
    free(styles_xml);
    free(header_xml);
    free(first_header_xml);
    free(core_xml);
    free(data);
}

/* ---- LibreOffice --------------------------------------------------------------------------- */

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t n;
    while ((n = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            cap *= 2;
            text = realloc(text, cap);
            assert_non_null(text);
        }
    }
    text[len] = '\0';
    fclose(f);
    return text;
}

static void write_all(const char *path, const unsigned char *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) fail_msg("cannot write %s", path);
    assert_int_equal(fwrite(data, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
}

/* True when text has a line that is exactly line (LibreOffice writes each paragraph and each
 * table cell on a line of its own). */
static bool has_line(const char *text, const char *line)
{
    size_t len = strlen(line);
    for (const char *p = text; p; p = strchr(p, '\n')) {
        if (*p == '\n') p++;
        if (strncmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
        if (strncmp(p, line, len) == 0 && (p[len] == '\n' || p[len] == '\r' || p[len] == '\0')) return true;
    }
    return false;
}

static void expect_lines(const char *text, const char *const *lines, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (!has_line(text, lines[i])) fail_msg("%s: no line \"%s\" in LibreOffice's text:\n%s", what, lines[i], text);
}

static void both_layouts_read_back_in_libreoffice(void **state)
{
    (void)state;
    if (system("command -v soffice >/dev/null 2>&1") != 0)
        fail_msg("soffice is not installed: `make test` installs it (libreoffice-writer-nogui)");
    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/tk-docx-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) fail_msg("mkdtemp failed");

    char path[600];
    size_t size;
    unsigned char *data = render(party_doc, &size);
    snprintf(path, sizeof path, "%s/party.docx", dir);
    write_all(path, data, size);
    free(data);
    data = render(state_doc, &size);
    snprintf(path, sizeof path, "%s/state.docx", dir);
    write_all(path, data, size);
    free(data);

    /* One conversion for both files (LibreOffice takes seconds to start), with a profile of
     * its own so it neither touches nor waits for the user's. The encoded filter writes UTF-8
     * whatever the locale the tests run in. */
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && soffice --headless --norestore -env:UserInstallation=file://%s/profile "
             "--convert-to 'txt:Text (encoded):UTF8' --outdir '%s' party.docx state.docx >soffice.log 2>&1",
             dir, dir, dir);
    int status = system(cmd);
    snprintf(path, sizeof path, "%s/party.txt", dir);
    char *party = read_all(path);
    snprintf(path, sizeof path, "%s/state.txt", dir);
    char *state_text = read_all(path);
    if (!party || !state_text) {
        snprintf(path, sizeof path, "%s/soffice.log", dir);
        char *log = read_all(path);
        fail_msg("LibreOffice did not convert the files (status %d):\n%s", status, log ? log : "");
    }

    static const char *const party_lines[] = {
        "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "THÀNH ỦY", "*", "Số 12-BC/TU", "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Hà Nội, ngày 15 tháng 3 năm 2021", "BÁO CÁO", "Kết quả thực hiện Chương trình số 01-CTr/TU năm 2020",
        "I. KẾT QUẢ ĐẠT ĐƯỢC", "Chương trình <A&B> \"mới\" đã triển khai.", "Dòng thứ hai có ký tự lạ.",
        "1. Về nhiệm vụ", "Bảng 1. Tiến độ nhiệm vụ theo đơn vị", "Đơn vị", "Giao", "Tỷ lệ", "Sở Nội vụ", "1.234",
        "85,5 %", "Sở Tài chính", "Cộng", "1.246", "Nơi nhận:", "- Như trên,", "- Lưu Văn phòng Thành ủy.",
        "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Nguyễn Văn A",
    };
    static const char *const state_lines[] = {
        "UBND TỈNH THANH HÓA", "SỞ NỘI VỤ", "Số: 123/BC-SNV", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Thanh Hóa, ngày 05 tháng 01 năm 2022", "BÁO CÁO",
        "Tình hình thực hiện nhiệm vụ quý IV năm 2021", "Sở Nội vụ báo cáo như sau:", "STT", "Nhiệm vụ",
        "Rà soát tổ chức bộ máy", "Tuyển dụng công chức", "Nơi nhận:", "- UBND tỉnh (để b/c);", "- Lưu: VT.",
        "GIÁM ĐỐC", "Lê Văn B",
    };
    expect_lines(party, party_lines, COUNT(party_lines), "party");
    expect_lines(state_text, state_lines, COUNT(state_lines), "state");
    /* Each layout has its own header and not the other's. */
    assert_false(has_line(party, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert_false(has_line(state_text, "ĐẢNG CỘNG SẢN VIỆT NAM"));
    assert_false(has_line(state_text, "*"));
    free(party);
    free(state_text);

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* ---- Refusals and the smallest document ------------------------------------------------------ */

static void a_malformed_document_is_refused_with_its_field(void **state)
{
    (void)state;
    json_t *doc = load(party_doc);
    json_t *rows = json_object_get(json_array_get(json_object_get(doc, "blocks"), 3), "rows");
    json_array_remove(json_array_get(rows, 1), 2);
    unsigned char *data = (unsigned char *)"unchanged";
    size_t size = 7;
    tk_error err = {0};
    assert_int_equal(tk_docx_render(doc, &data, &size, &err), TK_INVALID_INPUT);
    assert_string_equal(err.field, "blocks[3].rows[1]");
    assert_null(data);
    assert_int_equal(size, 0);
    json_decref(doc);
}

static void a_document_with_nothing_optional_renders(void **state)
{
    (void)state;
    static const char bare[] =
        "{\"layout\": \"state\", \"issuer\": {\"parent\": \"\", \"name\": \"UBND TỈNH THANH HÓA\"},"
        " \"number\": \"Số: 1/BC-UBND\", \"place\": \"Thanh Hóa\", \"date\": \"2024-12-31\","
        " \"kind\": \"BÁO CÁO\", \"title\": \"\", \"blocks\": [], \"recipients\": [],"
        " \"signature\": {\"authority\": \"\", \"position\": \"CHỦ TỊCH\", \"name\": \"Trần C\"}}";
    size_t size;
    unsigned char *data = render(bare, &size);
    char *xml = part(data, size, "word/document.xml");
    xmlDocPtr doc = parse(xml, "document.xml");
    assert_int_equal(count(doc, "//w:t[.='Nơi nhận:']"), 0);
    assert_int_equal(count(doc, "//w:tblHeader"), 0);
    assert_int_equal(count(doc, "//w:t[.='Thanh Hóa, ngày 31 tháng 12 năm 2024']"), 1);
    assert_int_equal(count(doc, "//w:t[.='CHỦ TỊCH']"), 1);
    xmlFreeDoc(doc);
    free(xml);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_part_is_well_formed_xml),
        cmocka_unit_test(the_page_font_and_header_row_follow_the_contract),
        cmocka_unit_test(both_layouts_read_back_in_libreoffice),
        cmocka_unit_test(a_malformed_document_is_refused_with_its_field),
        cmocka_unit_test(a_document_with_nothing_optional_renders),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return failed;
}
