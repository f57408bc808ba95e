/* The document contract (src/io/document.c) and the PDF writer (src/io/pdf.c). The check names
 * the first wrong member; the PDF is read back with poppler's pdftotext and pdfinfo, tools that
 * are not ours, so what a person copies out of the file is what the document said: the header
 * of both layouts, the body, the table with its header on every page it runs over, rows never
 * cut between pages, page numbers from page 2, and hostile text rendered without loss. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/document.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* fontconfig keeps a pattern's elements as an offset from the pattern, not a pointer
 * (FcPattern.elts_offset, so that patterns can live in its mmapped caches), so LeakSanitizer
 * cannot see that they are in use and reports the elements of every live pattern as lost: the
 * configuration's own (a two-line program calling FcInit() shows 288 bytes) and those of the
 * fonts pango's font map keeps. Only what fontconfig itself allocated is exempt; a layout,
 * buffer or cairo object the writer forgot to free is allocated by glib, pango, cairo or us and
 * is still reported. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static const char party_json[] =
    "{\"layout\": \"party\","
    " \"issuer\": {\"parent\": \"ĐẢNG BỘ THÀNH PHỐ HÀ NỘI\", \"name\": \"THÀNH ỦY\"},"
    " \"number\": \"Số 12-BC/TU\", \"place\": \"Hà Nội\", \"date\": \"2021-03-15\","
    " \"kind\": \"BÁO CÁO\", \"title\": \"Kết quả thực hiện Chương trình số 01-CTr/TU quý I năm 2021\","
    " \"blocks\": ["
    "  {\"type\": \"heading\", \"level\": 1, \"text\": \"I. KẾT QUẢ ĐẠT ĐƯỢC\"},"
    "  {\"type\": \"paragraph\", \"text\": \"Ban Thường vụ Thành ủy đã lãnh đạo, chỉ đạo các cấp ủy, tổ chức đảng"
    " triển khai thực hiện nghiêm túc chương trình; các nhiệm vụ trọng tâm cơ bản hoàn thành đúng tiến độ.\\nMột"
    " số nhiệm vụ còn chậm so với kế hoạch.\"},"
    "  {\"type\": \"heading\", \"level\": 2, \"text\": \"1. Tiến độ các nhiệm vụ\"},"
    "  {\"type\": \"table\", \"title\": \"Bảng 1. Nhiệm vụ theo đơn vị chủ trì\","
    "   \"columns\": [{\"text\": \"Đơn vị\", \"width\": 4, \"align\": \"left\"},"
    "                 {\"text\": \"Giao\", \"width\": 1, \"align\": \"right\"},"
    "                 {\"text\": \"Hoàn thành\", \"width\": 1.5, \"align\": \"center\"}],"
    "   \"rows\": [[\"Sở Nội vụ\", \"12\", \"10\"], [\"Sở Tài chính\", \"8\", \"8\"], [\"Sở Y tế\", \"5\", \"3\"],"
    "            [\"Sở Xây dựng\", \"4\", \"4\"], [\"Sở Công Thương\", \"3\", \"1\"], [\"Sở Tư pháp\", \"2\", \"2\"],"
    "            [\"Sở Giáo dục và Đào tạo\", \"6\", \"5\"], [\"Quận Ba Đình\", \"9\", \"7\"],"
    "            [\"Quận Hoàn Kiếm\", \"7\", \"6\"]],"
    "   \"total\": [\"Cộng\", \"56\", \"46\"]}"
    " ],"
    " \"recipients\": [\"Ban Bí thư Trung ương Đảng,\", \"Lưu Văn phòng Thành ủy.\"],"
    " \"signature\": {\"authority\": \"T/M BAN THƯỜNG VỤ\", \"position\": \"PHÓ BÍ THƯ THƯỜNG TRỰC\","
    "               \"name\": \"Nguyễn Văn A\"}}";

static const char state_json[] =
    "{\"layout\": \"state\","
    " \"issuer\": {\"parent\": \"UBND TỈNH THANH HÓA\", \"name\": \"SỞ KẾ HOẠCH VÀ ĐẦU TƯ\"},"
    " \"number\": \"Số: 123/BC-SKHĐT\", \"place\": \"Thanh Hóa\", \"date\": \"2021-01-05\","
    " \"kind\": \"BÁO CÁO\", \"title\": \"Tình hình thực hiện kế hoạch năm 2020\","
    " \"blocks\": ["
    "  {\"type\": \"paragraph\", \"text\": \"Thực hiện Kế hoạch số 45/KH-UBND, Sở báo cáo như sau.\"},"
    "  {\"type\": \"table\", \"columns\": [{\"text\": \"Chỉ tiêu\", \"width\": 3, \"align\": \"left\"},"
    "                                   {\"text\": \"Kết quả\", \"width\": 1, \"align\": \"right\"}],"
    "   \"rows\": [[\"Tăng trưởng GRDP\", \"7,5 %\"], [\"Thu ngân sách\", \"1.234 tỷ đồng\"]]}"
    " ],"
    " \"recipients\": [],"
    " \"signature\": {\"authority\": \"KT. GIÁM ĐỐC\", \"position\": \"PHÓ GIÁM ĐỐC\", \"name\": \"Lê Thị B\"}}";

static json_t *load(const char *text)
{
    json_error_t jerr;
    json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) fail_msg("bad JSON in test (line %d): %s", jerr.line, jerr.text);
    return doc;
}

/* Replaces (or, with value NULL, removes) the member at path ("blocks[3].rows[7][1]"). */
static void edit(json_t *doc, const char *path, const char *value)
{
    json_t *parent = doc, *target = NULL;
    char key[64];
    size_t index = 0;
    bool by_index = false;
    const char *p = path;
    for (;;) {
        if (*p == '[') {
            char *end;
            index = strtoul(p + 1, &end, 10);
            by_index = true;
            p = end + 1;
        } else {
            size_t len = strcspn(p, ".[");
            snprintf(key, sizeof key, "%.*s", (int)len, p);
            by_index = false;
            p += len;
        }
        target = by_index ? json_array_get(parent, index) : json_object_get(parent, key);
        if (*p == '.') p++;
        if (!*p) break;
        if (!target) fail_msg("no member on the way to %s", path);
        parent = target;
    }
    json_t *v = NULL;
    if (value) {
        json_error_t jerr;
        v = json_loads(value, JSON_DECODE_ANY, &jerr);
        if (!v) fail_msg("bad value in test: %s", value);
    }
    if (by_index) {
        if (v) assert_int_equal(json_array_set_new(parent, index, v), 0);
        else assert_int_equal(json_array_remove(parent, index), 0);
    } else {
        if (v) assert_int_equal(json_object_set_new(parent, key, v), 0);
        else assert_int_equal(json_object_del(parent, key), 0);
    }
}

static void valid_documents_pass_the_check(void **state)
{
    (void)state;
    static const struct {
        const char *path, *value; /* an edit that keeps the document valid; NULL value removes */
    } valid[] = {
        {NULL, NULL},                              /* as it is */
        {"title", "\"\""},                         /* the title may be empty */
        {"issuer.parent", "\"\""},                 /* and the parent body */
        {"signature.authority", "\"\""},           /* and the authority */
        {"recipients", "[]"},                      /* no recipients */
        {"blocks[3].title", NULL},                 /* a table without a title */
        {"blocks[3].total", NULL},                 /* or a total */
        {"blocks[3].rows", "[]"},                  /* or rows */
        {"blocks[3].columns[1].width", "0.25"},    /* any positive weight */
        {"blocks", "[]"},                          /* an empty body */
        {"date", "\"2024-02-29\""},                /* a leap day */
        {"layout", "\"state\""},
    };
    for (size_t i = 0; i < COUNT(valid); i++) {
        json_t *doc = load(party_json);
        if (valid[i].path) edit(doc, valid[i].path, valid[i].value);
        tk_error err;
        tk_code rc = tk_document_check(doc, &err);
        if (rc != TK_OK)
            fail_msg("%s = %s: refused (%s: %s)", valid[i].path ? valid[i].path : "-",
                valid[i].value ? valid[i].value : "(removed)", err.field, err.message);
        json_decref(doc);
    }
    json_t *doc = load(state_json);
    tk_error err;
    assert_int_equal(tk_document_check(doc, &err), TK_OK);
    json_decref(doc);
}

static void the_check_names_the_first_wrong_member(void **state)
{
    (void)state;
    static const struct {
        const char *path, *value, *field;
    } cases[] = {
        {"layout", NULL, "layout"},
        {"layout", "\"legal\"", "layout"},
        {"layout", "1", "layout"},
        {"issuer", "[]", "issuer"},
        {"issuer", NULL, "issuer"},
        {"issuer.parent", "null", "issuer.parent"},
        {"issuer.name", NULL, "issuer.name"},
        {"number", "12", "number"},
        {"place", NULL, "place"},
        {"date", "\"2021-02-30\"", "date"},
        {"date", "\"15/03/2021\"", "date"},
        {"date", "\"2021-3-15\"", "date"},
        {"date", "20210315", "date"},
        {"kind", NULL, "kind"},
        {"title", "false", "title"},
        {"blocks", "{}", "blocks"},
        {"blocks", NULL, "blocks"},
        {"blocks[1]", "\"văn bản\"", "blocks[1]"},
        {"blocks[1].type", "\"list\"", "blocks[1].type"},
        {"blocks[1].type", NULL, "blocks[1].type"},
        {"blocks[1].text", NULL, "blocks[1].text"},
        {"blocks[1].text", "[\"a\"]", "blocks[1].text"},
        {"blocks[0].level", "3", "blocks[0].level"},
        {"blocks[0].level", "0", "blocks[0].level"},
        {"blocks[0].level", "\"1\"", "blocks[0].level"},
        {"blocks[0].level", "1.0", "blocks[0].level"},
        {"blocks[2].level", NULL, "blocks[2].level"},
        {"blocks[3].columns", "[]", "blocks[3].columns"},
        {"blocks[3].columns", NULL, "blocks[3].columns"},
        {"blocks[3].columns[1]", "\"Giao\"", "blocks[3].columns[1]"},
        {"blocks[3].columns[1].width", "0", "blocks[3].columns[1].width"},
        {"blocks[3].columns[1].width", "-2", "blocks[3].columns[1].width"},
        {"blocks[3].columns[1].width", "\"1\"", "blocks[3].columns[1].width"},
        {"blocks[3].columns[1].width", NULL, "blocks[3].columns[1].width"},
        {"blocks[3].columns[2].align", "\"justify\"", "blocks[3].columns[2].align"},
        {"blocks[3].columns[2].align", NULL, "blocks[3].columns[2].align"},
        {"blocks[3].columns[0].text", NULL, "blocks[3].columns[0].text"},
        {"blocks[3].rows", NULL, "blocks[3].rows"},
        {"blocks[3].rows", "{}", "blocks[3].rows"},
        {"blocks[3].rows[7]", "[\"Quận Ba Đình\", \"9\"]", "blocks[3].rows[7]"},
        {"blocks[3].rows[7]", "[\"a\", \"b\", \"c\", \"d\"]", "blocks[3].rows[7]"},
        {"blocks[3].rows[7]", "\"a\"", "blocks[3].rows[7]"},
        {"blocks[3].rows[7][1]", "9", "blocks[3].rows[7][1]"},
        {"blocks[3].rows[8][2]", "null", "blocks[3].rows[8][2]"},
        {"blocks[3].total", "[\"Cộng\"]", "blocks[3].total"},
        {"blocks[3].total[0]", "{}", "blocks[3].total[0]"},
        {"blocks[3].title", "5", "blocks[3].title"},
        {"recipients", NULL, "recipients"},
        {"recipients", "\"Như trên\"", "recipients"},
        {"recipients[1]", "null", "recipients[1]"},
        {"signature", "\"Nguyễn Văn A\"", "signature"},
        {"signature.name", NULL, "signature.name"},
        {"signature.position", "[]", "signature.position"},
        {"signature.authority", NULL, "signature.authority"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        json_t *doc = load(party_json);
        edit(doc, cases[i].path, cases[i].value);
        tk_error err;
        tk_code rc = tk_document_check(doc, &err);
        if (rc != TK_INVALID_INPUT || err.code != TK_INVALID_INPUT || strcmp(err.field, cases[i].field) != 0 ||
            !err.message[0])
            fail_msg("%s = %s: got %d field \"%s\" (%s), want field \"%s\"", cases[i].path,
                cases[i].value ? cases[i].value : "(removed)", rc, err.field, err.message, cases[i].field);
        json_decref(doc);
    }

    /* The first wrong member is named, not a later one. */
    json_t *doc = load(party_json);
    edit(doc, "blocks[3].rows[2][0]", "1");
    edit(doc, "blocks[3].rows[5]", "[]");
    edit(doc, "signature", "0");
    tk_error err;
    assert_int_equal(tk_document_check(doc, &err), TK_INVALID_INPUT);
    assert_string_equal(err.field, "blocks[3].rows[2][0]");
    json_decref(doc);

    static const char *const not_documents[] = {"[]", "\"BÁO CÁO\"", "null", "3"};
    for (size_t i = 0; i < COUNT(not_documents); i++) {
        doc = json_loads(not_documents[i], JSON_DECODE_ANY, NULL);
        assert_int_equal(tk_document_check(doc, &err), TK_INVALID_INPUT);
        assert_string_equal(err.field, "");
        json_decref(doc);
    }
    assert_int_equal(tk_document_check(NULL, &err), TK_INVALID_INPUT);

    /* Strings built without jansson's UTF-8 check are refused too. */
    doc = load(party_json);
    json_object_set_new(doc, "title", json_stringn_nocheck("B\xE1o c\xE1o", 8));
    assert_int_equal(tk_document_check(doc, &err), TK_INVALID_UTF8);
    assert_string_equal(err.field, "title");
    json_decref(doc);
}

static void the_date_line_follows_the_layout_rules(void **state)
{
    (void)state;
    static const struct {
        const char *place, *date, *line;
    } lines[] = {
        {"Hà Nội", "2021-01-05", "Hà Nội, ngày 05 tháng 01 năm 2021"},
        {"Hà Nội", "2021-03-15", "Hà Nội, ngày 15 tháng 3 năm 2021"},
        {"Thanh Hóa", "2020-02-09", "Thanh Hóa, ngày 09 tháng 02 năm 2020"},
        {"TP. Hồ Chí Minh", "2021-12-01", "TP. Hồ Chí Minh, ngày 01 tháng 12 năm 2021"},
        {"Huế", "2021-10-31", "Huế, ngày 31 tháng 10 năm 2021"},
        {"", "2021-11-20", "ngày 20 tháng 11 năm 2021"},
    };
    for (size_t i = 0; i < COUNT(lines); i++) {
        json_t *doc = json_pack("{s:s, s:s}", "place", lines[i].place, "date", lines[i].date);
        char out[TK_DOCUMENT_DATE_LINE_MAX];
        tk_document_date_line(doc, out);
        assert_string_equal(out, lines[i].line);
        json_decref(doc);
    }

    /* A place too long for the line is cut at a character, and the date is kept whole. */
    char place[400] = "";
    for (int i = 0; i < 30; i++) strcat(place, "Hà Nội ");
    json_t *doc = json_pack("{s:s, s:s}", "place", place, "date", "2021-03-15");
    char out[TK_DOCUMENT_DATE_LINE_MAX];
    tk_document_date_line(doc, out);
    assert_true(strlen(out) < sizeof out);
    const char *tail = ", ngày 15 tháng 3 năm 2021";
    assert_string_equal(out + strlen(out) - strlen(tail), tail);
    for (size_t i = 0; out[i]; i++) {
        unsigned char c = (unsigned char)out[i];
        size_t need = c < 0x80 ? 1 : c >= 0xE0 ? 3 : 2;
        for (size_t k = 1; k < need; k++) assert_int_equal((unsigned char)out[i + k] & 0xC0, 0x80);
        i += need - 1;
    }
    json_decref(doc);
}

/* ---- reading the PDF back ---- */

static char *read_command(const char *command)
{
    FILE *f = popen(command, "r");
    if (!f) fail_msg("cannot run %s", command);
    size_t len = 0, cap = 1 << 16;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t n;
    while ((n = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 4096) {
            cap *= 2;
            text = realloc(text, cap);
            assert_non_null(text);
        }
    }
    text[len] = '\0';
    int status = pclose(f);
    if (status != 0) fail_msg("%s failed (%d)", command, status);
    return text;
}

typedef struct pdf_read {
    char *text; /* pdftotext -layout; pages end with '\f' */
    int pages;  /* from pdfinfo */
} pdf_read;

static pdf_read read_pdf(const unsigned char *pdf, size_t size)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/tk-pdf-test-XXXXXX", dir && dir[0] ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) fail_msg("mkstemp %s failed", path);
    assert_int_equal(write(fd, pdf, size), (ssize_t)size);
    close(fd);
    char command[700];
    pdf_read r;
    snprintf(command, sizeof command, "pdftotext -layout -enc UTF-8 '%s' - 2>&1", path);
    r.text = read_command(command);
    snprintf(command, sizeof command, "pdfinfo '%s' 2>&1", path);
    char *info = read_command(command);
    const char *pages = strstr(info, "\nPages:");
    r.pages = pages ? atoi(pages + 7) : 0;
    free(info);
    unlink(path);
    return r;
}

static pdf_read render(const json_t *doc)
{
    unsigned char *pdf = NULL;
    size_t size = 0;
    tk_error err;
    tk_code rc = tk_pdf_render(doc, &pdf, &size, &err);
    if (rc != TK_OK) fail_msg("render refused: %s (%s)", err.message, err.field);
    assert_true(size > 5);
    assert_memory_equal(pdf, "%PDF-", 5);
    pdf_read r = read_pdf(pdf, size);
    free(pdf);
    return r;
}

/* The first occurrence of what in the len bytes at text, or NULL. */
static const char *find(const char *text, size_t len, const char *what)
{
    size_t wl = strlen(what);
    for (size_t i = 0; i + wl <= len; i++)
        if (memcmp(text + i, what, wl) == 0) return text + i;
    return NULL;
}

static size_t occurrences(const char *text, size_t len, const char *what)
{
    size_t n = 0, wl = strlen(what);
    for (const char *p = text; (p = find(p, len - (size_t)(p - text), what)); p += wl) n++;
    return n;
}

static void expect_text(const char *text, const char *const *wanted, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strstr(text, wanted[i])) fail_msg("\"%s\" is not in the PDF's text:\n%s", wanted[i], text);
}

static void a_party_report_reads_back(void **state)
{
    (void)state;
    json_t *doc = load(party_json);
    pdf_read r = render(doc);
    static const char *const wanted[] = {
        "ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "THÀNH ỦY", "Số 12-BC/TU",
        "Hà Nội, ngày 15 tháng 3 năm 2021", "BÁO CÁO", "I. KẾT QUẢ ĐẠT ĐƯỢC", "1. Tiến độ các nhiệm vụ",
        "Bảng 1. Nhiệm vụ theo đơn vị chủ trì", "Đơn vị", "Hoàn thành", "Sở Giáo dục và Đào tạo", "Quận Hoàn Kiếm",
        "Cộng", "56", "46", "Nơi nhận:", "- Ban Bí thư Trung ương Đảng,", "- Lưu Văn phòng Thành ủy.",
        "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Nguyễn Văn A", "Một số nhiệm vụ còn chậm",
    };
    expect_text(r.text, wanted, COUNT(wanted));
    assert_int_equal(r.pages, 1);

    /* The header's two columns stand side by side: the issuer's parent on the motto's line,
     * the number on the date's line. */
    const char *line = strstr(r.text, "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI");
    const char *eol = strchr(line, '\n');
    const char *motto = strstr(r.text, "ĐẢNG CỘNG SẢN VIỆT NAM");
    assert_true(motto > line && motto < eol);
    line = strstr(r.text, "Số 12-BC/TU");
    eol = strchr(line, '\n');
    const char *date = strstr(r.text, "Hà Nội, ngày");
    assert_true(date > line && date < eol);
    /* Kind and title below the header, the body below them, the signature last. */
    assert_true(strstr(r.text, "BÁO CÁO") > date);
    assert_true(strstr(r.text, "I. KẾT QUẢ") > strstr(r.text, "BÁO CÁO"));
    assert_true(strstr(r.text, "Nơi nhận:") > strstr(r.text, "Quận Hoàn Kiếm"));
    /* "Nơi nhận:" on the left beside the signature block on the right. */
    line = strstr(r.text, "Nơi nhận:");
    eol = strchr(line, '\n');
    const char *authority = strstr(r.text, "T/M BAN THƯỜNG VỤ");
    assert_true(authority > line && authority < eol);
    free(r.text);
    json_decref(doc);
}

static void a_state_report_reads_back(void **state)
{
    (void)state;
    json_t *doc = load(state_json);
    pdf_read r = render(doc);
    static const char *const wanted[] = {
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "UBND TỈNH THANH HÓA",
        "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Số: 123/BC-SKHĐT", "Thanh Hóa, ngày 05 tháng 01 năm 2021", "BÁO CÁO",
        "Tình hình thực hiện kế hoạch năm 2020", "Chỉ tiêu", "Kết quả", "Tăng trưởng GRDP", "7,5 %",
        "1.234 tỷ đồng", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Thị B",
    };
    expect_text(r.text, wanted, COUNT(wanted));
    /* No recipients: no "Nơi nhận:" label either. */
    assert_null(strstr(r.text, "Nơi nhận"));
    const char *line = strstr(r.text, "UBND TỈNH THANH HÓA");
    const char *nation = strstr(r.text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert_true(nation > line && nation < strchr(line, '\n'));
    free(r.text);
    json_decref(doc);
}

/* A document with one table of n rows "Đơn vị mã NNNN" | "kết quả NNNN" under the header
 * "Tên đơn vị" | "Số liệu". Row i has i % 4 more lines "ghi chú NNNN" in its last cell, so
 * that some page ends where a row of several lines would be cut. */
static json_t *long_table(size_t n)
{
    json_t *doc = load(party_json);
    json_t *rows = json_array();
    for (size_t i = 1; i <= n; i++) {
        char a[32], b[128];
        snprintf(a, sizeof a, "Đơn vị mã %04zu", i);
        int len = snprintf(b, sizeof b, "kết quả %04zu", i);
        for (size_t k = 0; k < i % 4; k++) len += snprintf(b + len, sizeof b - (size_t)len, "\nghi chú %04zu", i);
        json_array_append_new(rows, json_pack("[s, s]", a, b));
    }
    json_t *table = json_pack("{s:s, s:[{s:s, s:i, s:s}, {s:s, s:i, s:s}], s:o}", "type", "table", "columns", "text",
        "Tên đơn vị", "width", 3, "align", "left", "text", "Số liệu", "width", 2, "align", "right", "rows", rows);
    json_object_set_new(doc, "blocks", json_pack("[o]", table));
    return doc;
}

static void a_long_table_repeats_its_header_on_every_page(void **state)
{
    (void)state;
    json_t *doc = long_table(300);
    pdf_read r = render(doc);
    assert_true(r.pages >= 5);

    int pages_with_rows = 0, page = 0;
    size_t rows_seen = 0;
    for (char *p = r.text; *p; page++) {
        char *end = strchr(p, '\f');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        size_t rows = occurrences(p, len, "Đơn vị mã ");
        size_t results = occurrences(p, len, "kết quả ");
        size_t headers = occurrences(p, len, "Tên đơn vị");
        if (rows > 0) {
            pages_with_rows++;
            /* The header once, above the rows of the page. */
            if (headers != 1) fail_msg("page %d has %zu rows and %zu headers", page + 1, rows, headers);
            assert_true(find(p, len, "Tên đơn vị") < find(p, len, "Đơn vị mã "));
            assert_int_equal(occurrences(p, len, "Số liệu"), 1);
            /* Rows are whole: both cells of each row on the same page. */
            assert_int_equal(rows, results);
            for (size_t i = 1; i <= 300; i++) {
                char a[32], b[32], c[32];
                snprintf(a, sizeof a, "Đơn vị mã %04zu", i);
                snprintf(b, sizeof b, "kết quả %04zu", i);
                snprintf(c, sizeof c, "ghi chú %04zu", i);
                assert_int_equal(occurrences(p, len, a), occurrences(p, len, b));
                if (occurrences(p, len, c) != i % 4 * occurrences(p, len, a))
                    fail_msg("row %zu is cut between page %d and the next", i, page + 1);
            }
        } else {
            assert_int_equal(headers, 0);
        }
        /* From page 2, the page number stands alone at the top. */
        if (page > 0) {
            char number[16];
            size_t k = strspn(p, " \n");
            size_t digits = strspn(p + k, "0123456789");
            snprintf(number, sizeof number, "%.*s", (int)digits, p + k);
            assert_int_equal(atoi(number), page + 1);
        }
        rows_seen += rows;
        p += len + (end ? 1 : 0);
    }
    assert_int_equal(page, r.pages);
    assert_true(pages_with_rows >= 5);
    assert_int_equal(rows_seen, 300);
    assert_non_null(strstr(r.text, "Đơn vị mã 0001"));
    assert_non_null(strstr(r.text, "Đơn vị mã 0300"));
    free(r.text);
    json_decref(doc);
}

static size_t count_char(const char *text, char c)
{
    size_t n = 0;
    for (; *text; text++) n += *text == c;
    return n;
}

static void hostile_text_renders_without_loss(void **state)
{
    (void)state;
    /* A word of 5000 letters, in a paragraph and in a narrow cell, and a table with no rows. */
    char *word = malloc(5001);
    assert_non_null(word);
    memset(word, 'w', 5000);
    word[5000] = '\0';
    json_t *doc = load(party_json);
    json_t *blocks = json_object_get(doc, "blocks");
    json_array_append_new(blocks, json_pack("{s:s, s:s}", "type", "paragraph", "text", word));
    json_array_append_new(blocks, json_pack("{s:s, s:[{s:s, s:i, s:s}, {s:s, s:i, s:s}], s:[[s, s]]}", "type",
                                      "table", "columns", "text", "Cột A", "width", 1, "align", "left", "text",
                                      "Cột B", "width", 9, "align", "center", "rows", word, "x"));
    json_array_append_new(blocks, json_pack("{s:s, s:[{s:s, s:i, s:s}], s:[]}", "type", "table", "columns", "text",
                                      "Bảng trống", "width", 1, "align", "right", "rows"));
    pdf_read r = render(doc);
    assert_int_equal(count_char(r.text, 'w'), 10000);
    assert_non_null(strstr(r.text, "Bảng trống"));
    assert_true(r.pages >= 2);
    free(r.text);
    json_decref(doc);
    free(word);

    /* A row taller than a page is split, and none of its lines is lost. */
    char *tall = malloc(200 * 8 + 1);
    assert_non_null(tall);
    tall[0] = '\0';
    for (int i = 0; i < 200; i++) strcat(tall, "dòng z\n");
    doc = long_table(3);
    json_t *rows = json_object_get(json_array_get(json_object_get(doc, "blocks"), 0), "rows");
    json_array_set_new(rows, 1, json_pack("[s, s]", tall, "giữa"));
    r = render(doc);
    assert_int_equal(count_char(r.text, 'z'), 200);
    assert_true(r.pages >= 3);
    assert_non_null(strstr(r.text, "Đơn vị mã 0003"));
    free(r.text);
    json_decref(doc);
    free(tall);

    /* Every string empty, emoji, a hundred columns, a huge header. */
    doc = load(party_json);
    static const char *const empties[] = {"issuer.parent", "issuer.name", "number", "place", "kind", "title",
        "blocks[1].text", "blocks[0].text", "signature.authority", "signature.position", "signature.name",
        "recipients[0]", "blocks[3].rows[0][0]", "blocks[3].columns[0].text"};
    for (size_t i = 0; i < COUNT(empties); i++) edit(doc, empties[i], "\"\"");
    edit(doc, "blocks[3].rows[1][0]", "\"😀🇻🇳 a\\u0301 \\u202e \\t tab\"");
    r = render(doc);
    assert_true(r.pages >= 1);
    free(r.text);
    json_decref(doc);

    doc = load(party_json);
    json_t *columns = json_array(), *row = json_array();
    for (int i = 0; i < 100; i++) {
        json_array_append_new(columns, json_pack("{s:s, s:f, s:s}", "text", "Cột rất hẹp", "width", i ? 1.0 : 1e-300,
                                           "align", "center"));
        json_array_append_new(row, json_string("123456"));
    }
    char header[3001];
    memset(header, 'j', 3000);
    header[3000] = '\0';
    json_array_set_new(columns, 0, json_pack("{s:s, s:f, s:s}", "text", header, "width", 1e300, "align", "left"));
    json_object_set_new(doc, "blocks",
        json_pack("[{s:s, s:o, s:[o, o], s:o}]", "type", "table", "columns", columns, "rows", json_deep_copy(row),
            json_deep_copy(row), "total", row));
    r = render(doc);
    assert_int_equal(count_char(r.text, 'j'), 3000);
    free(r.text);
    json_decref(doc);
}

static void an_invalid_document_is_not_rendered(void **state)
{
    (void)state;
    json_t *doc = load(party_json);
    edit(doc, "blocks[3].rows[7][1]", "9");
    unsigned char *pdf = (unsigned char *)"untouched";
    size_t size = 99;
    tk_error err;
    assert_int_equal(tk_pdf_render(doc, &pdf, &size, &err), TK_INVALID_INPUT);
    assert_string_equal(err.field, "blocks[3].rows[7][1]");
    assert_null(pdf);
    assert_int_equal(size, 0);
    json_decref(doc);
}

int main(int argc, char **argv)
{
    /* glib 2.74 hands out objects (a pango layout, say) from its slice allocator, whose slabs
     * stay reachable, so LeakSanitizer would not see a layout the writer forgot to free; with
     * G_SLICE=always-malloc it does. glib reads the variable before main() runs, hence the new
     * start (if that fails the tests still run, only blind to such leaks). */
    (void)argc;
    if (!getenv("G_SLICE")) {
        setenv("G_SLICE", "always-malloc", 1);
        execv("/proc/self/exe", argv);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_documents_pass_the_check),
        cmocka_unit_test(the_check_names_the_first_wrong_member),
        cmocka_unit_test(the_date_line_follows_the_layout_rules),
        cmocka_unit_test(a_party_report_reads_back),
        cmocka_unit_test(a_state_report_reads_back),
        cmocka_unit_test(a_long_table_repeats_its_header_on_every_page),
        cmocka_unit_test(hostile_text_renders_without_loss),
        cmocka_unit_test(an_invalid_document_is_not_rendered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
