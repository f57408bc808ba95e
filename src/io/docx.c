/* The document of io/document.h as WordprocessingML (.docx): a zip of XML parts built in memory
 * with libzip. The page follows the layout rules both layouts share (Hướng dẫn 36-HD/VPTW and
 * Nghị định 30/2020): A4, margins 20 mm top and bottom, 30 mm left, 15 mm right, Times New
 * Roman 14 pt, the page number centered at the top from the second page on.
 *
 * Text goes into the XML escaped. Characters XML 1.0 cannot carry at all (C0 controls other
 * than tab and newline, U+FFFE, U+FFFF, and bytes that are not UTF-8) are dropped rather than
 * refused: the service layer already refuses them on input, so only a damaged value could hold
 * one, and a report with a character missing is better than no report. Carriage returns are
 * dropped too, so "\r\n" is one line break. */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "io/document.h"
#include "io/svg.h" /* the charts' growing text buffer serves any XML */

/* Twentieths of a point. A4 is 210 x 297 mm; 1 mm = 1440 / 25.4 twips. */
enum {
    PAGE_W = 11906,
    PAGE_H = 16838,
    MARGIN_TOP = 1134,   /* 20 mm */
    MARGIN_BOTTOM = 1134,
    MARGIN_LEFT = 1701,  /* 30 mm */
    MARGIN_RIGHT = 850,  /* 15 mm */
    HEADER_DISTANCE = 567,
    TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT,
};

/* Run sizes in half-points, as w:sz counts them. */
enum { SIZE_BODY = 28, SIZE_HEADER = 26, SIZE_STATE_NAME = 24, SIZE_PARTY_NAME = 30, SIZE_RECIPIENTS = 24 };

enum { BOLD = 1, ITALIC = 2, UNDERLINE = 4 };

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define R_NS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

static const char *member(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

/* Length of the UTF-8 sequence at s that encodes one code point XML 1.0 allows, with the code
 * point in *cp; 0 when the bytes there are not UTF-8. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) len = 2, v = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, v = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, v = c & 0x07;
    else return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

static bool xml_allowed(uint32_t cp)
{
    return cp == '\t' || cp == '\n' || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
}

/* Escaped text. Inside a run (in_run), a newline becomes a line break and a tab a tab stop, as
 * Word wants them; elsewhere both stay characters. */
static void text(tk_svg *b, const char *s, bool in_run)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        const unsigned char *start = p;
        while (*p && *p != '&' && *p != '<' && *p != '>' && *p != '"' && *p >= 0x20 && *p < 0x80) p++;
        if (p > start) tk_svg_put(b, "%.*s", (int)(p - start), (const char *)start);
        if (!*p) break;
        uint32_t cp;
        size_t len = decode(p, &cp);
        if (len == 0 || !xml_allowed(cp)) {
            p += len ? len : 1;
            continue;
        }
        switch (cp) {
        case '&': tk_svg_put(b, "&amp;"); break;
        case '<': tk_svg_put(b, "&lt;"); break;
        case '>': tk_svg_put(b, "&gt;"); break;
        case '"': tk_svg_put(b, "&quot;"); break;
        case '\n': tk_svg_put(b, in_run ? "</w:t><w:br/><w:t xml:space=\"preserve\">" : "\n"); break;
        case '\t': tk_svg_put(b, in_run ? "</w:t><w:tab/><w:t xml:space=\"preserve\">" : "\t"); break;
        default: tk_svg_put(b, "%.*s", (int)len, (const char *)p);
        }
        p += len;
    }
}

/* One run; size 0 keeps the paragraph style's size. */
static void run(tk_svg *b, const char *s, unsigned style, int size)
{
    tk_svg_put(b, "<w:r><w:rPr>%s%s", style & BOLD ? "<w:b/><w:bCs/>" : "", style & ITALIC ? "<w:i/><w:iCs/>" : "");
    if (size) tk_svg_put(b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", size, size);
    tk_svg_put(b, "%s</w:rPr><w:t xml:space=\"preserve\">", style & UNDERLINE ? "<w:u w:val=\"single\"/>" : "");
    text(b, s, true);
    tk_svg_put(b, "</w:t></w:r>");
}

/* A paragraph of one run. ppr is the content of w:pPr, its elements in schema order. */
static void para(tk_svg *b, const char *ppr, const char *s, unsigned style, int size)
{
    tk_svg_put(b, "<w:p><w:pPr>%s</w:pPr>", ppr);
    if (s && *s) run(b, s, style, size);
    tk_svg_put(b, "</w:p>");
}

static void table_start(tk_svg *b, const int *widths, size_t n, bool borders)
{
    int total = 0;
    for (size_t i = 0; i < n; i++) total += widths[i];
    tk_svg_put(b, "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:tblBorders>", total);
    static const char *const sides[] = {"top", "left", "bottom", "right", "insideH", "insideV"};
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        if (borders) tk_svg_put(b, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>", sides[i]);
        else tk_svg_put(b, "<w:%s w:val=\"nil\"/>", sides[i]);
    }
    tk_svg_put(b, "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>");
    /* The layout blocks sit flush with the text edges; data tables keep Word's usual padding. */
    int pad = borders ? 85 : 0;
    tk_svg_put(b,
        "<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"%d\" w:type=\"dxa\"/>"
        "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"%d\" w:type=\"dxa\"/></w:tblCellMar>"
        "<w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" "
        "w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
        pad, pad);
    for (size_t i = 0; i < n; i++) tk_svg_put(b, "<w:gridCol w:w=\"%d\"/>", widths[i]);
    tk_svg_put(b, "</w:tblGrid>");
}

static void cell_start(tk_svg *b, int width, const char *valign)
{
    tk_svg_put(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/><w:vAlign w:val=\"%s\"/></w:tcPr>", width, valign);
}

/* The block above the kind: issuer and number on the left, the party's name or the national
 * title and motto on the right, the date line level with the number. */
static void header_block(tk_svg *b, const json_t *doc, bool party)
{
    const json_t *issuer = json_object_get(doc, "issuer");
    const char *parent = member(issuer, "parent");
    char date_line[TK_DOCUMENT_DATE_LINE_MAX];
    tk_document_date_line(doc, date_line);
    /* "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" needs about 9 cm in 12 pt bold; the party's name is
     * shorter, so its layout gives the issuer more room. */
    const int widths[2] = {party ? 4536 : 3685, party ? TEXT_W - 4536 : TEXT_W - 3685};
    static const char center[] = "<w:jc w:val=\"center\"/>";

    table_start(b, widths, 2, false);
    tk_svg_put(b, "<w:tr>");
    cell_start(b, widths[0], "top");
    if (*parent) para(b, center, parent, 0, SIZE_HEADER);
    para(b, center, member(issuer, "name"), BOLD, SIZE_HEADER);
    if (party) {
        para(b, center, "*", 0, SIZE_HEADER);
    } else {
        /* The short rule under the body's name: a bottom border on an empty paragraph whose
         * indents leave only the middle third of the column. */
        tk_svg_put(b,
            "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>"
            "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"120\" w:lineRule=\"exact\"/>"
            "<w:ind w:left=\"%d\" w:right=\"%d\"/><w:rPr><w:sz w:val=\"4\"/><w:szCs w:val=\"4\"/></w:rPr></w:pPr></w:p>",
            widths[0] / 3, widths[0] / 3);
    }
    tk_svg_put(b, "</w:tc>");
    cell_start(b, widths[1], "top");
    if (party) {
        para(b, center, "ĐẢNG CỘNG SẢN VIỆT NAM", BOLD | UNDERLINE, SIZE_PARTY_NAME);
    } else {
        para(b, center, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", BOLD, SIZE_STATE_NAME);
        para(b, center, "Độc lập - Tự do - Hạnh phúc", BOLD | UNDERLINE, SIZE_HEADER);
    }
    tk_svg_put(b, "</w:tc></w:tr><w:tr>");
    cell_start(b, widths[0], "top");
    para(b, "<w:spacing w:before=\"120\" w:after=\"0\"/><w:jc w:val=\"center\"/>", member(doc, "number"), 0, SIZE_HEADER);
    tk_svg_put(b, "</w:tc>");
    cell_start(b, widths[1], "top");
    para(b, "<w:spacing w:before=\"120\" w:after=\"0\"/><w:jc w:val=\"center\"/>", date_line, ITALIC, SIZE_BODY);
    tk_svg_put(b, "</w:tc></w:tr></w:tbl>");
}

static const char *jc_of(const char *align)
{
    if (strcmp(align, "right") == 0) return "right";
    if (strcmp(align, "center") == 0) return "center";
    return "left";
}

static void table_row(tk_svg *b, const json_t *cells, const json_t *columns, const int *widths, bool header, bool bold)
{
    tk_svg_put(b, "<w:tr><w:trPr><w:cantSplit/>%s</w:trPr>", header ? "<w:tblHeader/>" : "");
    for (size_t i = 0; i < json_array_size(columns); i++) {
        const json_t *cell = json_array_get(cells, i);
        const char *s = header ? member(json_array_get(columns, i), "text") : json_string_value(cell);
        const char *jc = header ? "center" : jc_of(member(json_array_get(columns, i), "align"));
        cell_start(b, widths[i], header ? "center" : "top");
        tk_svg_put(b, "<w:p><w:pPr><w:pStyle w:val=\"TableText\"/><w:jc w:val=\"%s\"/></w:pPr>", jc);
        if (s && *s) run(b, s, bold ? BOLD : 0, 0);
        tk_svg_put(b, "</w:p></w:tc>");
    }
    tk_svg_put(b, "</w:tr>");
}

static tk_code table_block(tk_svg *b, const json_t *block, tk_error *err)
{
    const json_t *columns = json_object_get(block, "columns");
    size_t n = json_array_size(columns);
    const char *title = member(block, "title");
    if (*title) para(b, "<w:pStyle w:val=\"TableTitle\"/>", title, 0, 0);
    int *widths = calloc(n ? n : 1, sizeof *widths);
    if (!widths) return tk_error_set(err, TK_NO_MEMORY, NULL, "Không đủ bộ nhớ để tạo tệp DOCX");
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += json_number_value(json_object_get(json_array_get(columns, i), "width"));
    /* The weights share the text width; the last column takes what rounding leaves. */
    int used = 0;
    for (size_t i = 0; i < n; i++) {
        double w = json_number_value(json_object_get(json_array_get(columns, i), "width"));
        widths[i] = i + 1 < n ? (int)(TEXT_W * (sum > 0 ? w / sum : 1.0 / (double)n) + 0.5) : TEXT_W - used;
        if (widths[i] < 1) widths[i] = 1;
        used += widths[i];
    }
    table_start(b, widths, n, true);
    table_row(b, NULL, columns, widths, true, true);
    const json_t *rows = json_object_get(block, "rows");
    for (size_t r = 0; r < json_array_size(rows); r++) table_row(b, json_array_get(rows, r), columns, widths, false, false);
    const json_t *total = json_object_get(block, "total");
    if (json_is_array(total)) table_row(b, total, columns, widths, false, true);
    tk_svg_put(b, "</w:tbl>");
    /* Keeps the next table from joining this one and leaves a gap before the text. */
    para(b, "<w:spacing w:before=\"0\" w:after=\"120\"/>", NULL, 0, 0);
    free(widths);
    return TK_OK;
}

/* Recipients on the left, the signature on the right, as one borderless table. */
static void closing_block(tk_svg *b, const json_t *doc)
{
    const int widths[2] = {4253, TEXT_W - 4253};
    static const char center[] = "<w:jc w:val=\"center\"/>";
    const json_t *recipients = json_object_get(doc, "recipients");
    const json_t *signature = json_object_get(doc, "signature");

    table_start(b, widths, 2, false);
    tk_svg_put(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
    cell_start(b, widths[0], "top");
    if (json_array_size(recipients) > 0) {
        para(b, "<w:spacing w:before=\"240\" w:after=\"0\"/>", "Nơi nhận:", BOLD | ITALIC, SIZE_RECIPIENTS);
        for (size_t i = 0; i < json_array_size(recipients); i++) {
            tk_svg_put(b, "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\"/></w:pPr>");
            run(b, "- ", 0, SIZE_RECIPIENTS);
            run(b, json_string_value(json_array_get(recipients, i)), 0, SIZE_RECIPIENTS);
            tk_svg_put(b, "</w:p>");
        }
    } else {
        para(b, "", NULL, 0, 0);
    }
    tk_svg_put(b, "</w:tc>");
    cell_start(b, widths[1], "top");
    const char *authority = member(signature, "authority");
    if (*authority) para(b, "<w:spacing w:before=\"240\" w:after=\"0\"/><w:jc w:val=\"center\"/>", authority, BOLD, 0);
    para(b, *authority ? center : "<w:spacing w:before=\"240\" w:after=\"0\"/><w:jc w:val=\"center\"/>",
         member(signature, "position"), BOLD, 0);
    /* Room for the hand signature and the seal. */
    for (int i = 0; i < 4; i++) para(b, "", NULL, 0, 0);
    para(b, center, member(signature, "name"), BOLD, 0);
    tk_svg_put(b, "</w:tc></w:tr></w:tbl>");
}

static tk_code document_xml(const json_t *doc, char **out, tk_error *err)
{
    tk_svg b;
    tk_svg_start(&b);
    bool party = strcmp(member(doc, "layout"), "party") == 0;
    tk_svg_put(&b, XML_DECL "<w:document " W_NS " " R_NS "><w:body>");
    header_block(&b, doc, party);
    para(&b, "<w:pStyle w:val=\"Title\"/><w:spacing w:before=\"360\" w:after=\"0\"/>", member(doc, "kind"), 0, 0);
    const char *title = member(doc, "title");
    if (*title) para(&b, "<w:pStyle w:val=\"Title\"/>", title, 0, 0);
    para(&b, "<w:spacing w:before=\"0\" w:after=\"120\"/>", NULL, 0, 0);

    tk_code rc = TK_OK;
    const json_t *blocks = json_object_get(doc, "blocks");
    for (size_t i = 0; i < json_array_size(blocks) && rc == TK_OK; i++) {
        const json_t *block = json_array_get(blocks, i);
        const char *type = member(block, "type");
        if (strcmp(type, "heading") == 0) {
            json_int_t level = json_integer_value(json_object_get(block, "level"));
            const char *style = level == 2 ? "<w:pStyle w:val=\"Heading2\"/>" : "<w:pStyle w:val=\"Heading1\"/>";
            para(&b, style, member(block, "text"), 0, 0);
        } else if (strcmp(type, "paragraph") == 0) {
            para(&b, "<w:pStyle w:val=\"BodyText\"/>", member(block, "text"), 0, 0);
        } else if (strcmp(type, "table") == 0) {
            rc = table_block(&b, block, err);
        }
    }
    closing_block(&b, doc);
    tk_svg_put(&b,
        "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\"/><w:rPr><w:sz w:val=\"2\"/></w:rPr></w:pPr></w:p>"
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"
        "<w:headerReference w:type=\"first\" r:id=\"rIdHeaderFirst\"/>"
        "<w:pgSz w:w=\"%d\" w:h=\"%d\"/>"
        "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\" w:header=\"%d\" w:footer=\"%d\" "
        "w:gutter=\"0\"/>"
        "<w:cols w:space=\"720\"/><w:titlePg/><w:docGrid w:linePitch=\"360\"/></w:sectPr></w:body></w:document>",
        PAGE_W, PAGE_H, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT, HEADER_DISTANCE, HEADER_DISTANCE);
    *out = tk_svg_finish(&b);
    if (rc) {
        free(*out);
        *out = NULL;
        return rc;
    }
    if (!*out) return tk_error_set(err, TK_NO_MEMORY, NULL, "Không đủ bộ nhớ để tạo tệp DOCX");
    return TK_OK;
}

static const char content_types_xml[] = XML_DECL
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/word/settings.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
    "<Override PartName=\"/word/header1.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
    "<Override PartName=\"/word/header2.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    "</Types>";

static const char package_rels_xml[] = XML_DECL
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" "
    "Target=\"docProps/core.xml\"/>"
    "</Relationships>";

static const char document_rels_xml[] = XML_DECL
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
    "Target=\"styles.xml\"/>"
    "<Relationship Id=\"rIdSettings\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>"
    "<Relationship Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" "
    "Target=\"header1.xml\"/>"
    "<Relationship Id=\"rIdHeaderFirst\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header2.xml\"/>"
    "</Relationships>";

#define STYLE_PARA(id, name) "<w:style w:type=\"paragraph\" w:styleId=\"" id "\"><w:name w:val=\"" name "\"/>"

static const char styles_xml[] = XML_DECL
    "<w:styles " W_NS "><w:docDefaults><w:rPrDefault><w:rPr>"
    "<w:rFonts w:ascii=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:hAnsi=\"Times New Roman\" "
    "w:cs=\"Times New Roman\"/>"
    "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\"/>"
    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
    "</w:pPr></w:pPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
    "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
    "<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>"
    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>"
    "<w:semiHidden/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>"
    "<w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"
    "</w:tblCellMar></w:tblPr></w:style>"
    STYLE_PARA("BodyText", "Body Text") "<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>"
    "<w:spacing w:before=\"0\" w:after=\"120\" w:line=\"288\" w:lineRule=\"auto\"/><w:ind w:firstLine=\"567\"/>"
    "<w:jc w:val=\"both\"/></w:pPr></w:style>"
    STYLE_PARA("Heading1", "heading 1") "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/><w:pPr>"
    "<w:keepNext/><w:keepLines/><w:spacing w:before=\"120\" w:after=\"120\" w:line=\"288\" w:lineRule=\"auto\"/>"
    "<w:ind w:firstLine=\"567\"/><w:jc w:val=\"both\"/><w:outlineLvl w:val=\"0\"/></w:pPr>"
    "<w:rPr><w:b/><w:bCs/></w:rPr></w:style>"
    STYLE_PARA("Heading2", "heading 2") "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/><w:pPr>"
    "<w:keepNext/><w:keepLines/><w:spacing w:before=\"60\" w:after=\"120\" w:line=\"288\" w:lineRule=\"auto\"/>"
    "<w:ind w:firstLine=\"567\"/><w:jc w:val=\"both\"/><w:outlineLvl w:val=\"1\"/></w:pPr>"
    "<w:rPr><w:b/><w:bCs/></w:rPr></w:style>"
    STYLE_PARA("Title", "Title") "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/><w:pPr>"
    "<w:keepNext/><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>"
    STYLE_PARA("TableTitle", "Table Title") "<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/>"
    "<w:spacing w:before=\"120\" w:after=\"120\"/><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>"
    STYLE_PARA("TableText", "Table Text") "<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>"
    "<w:spacing w:before=\"40\" w:after=\"40\"/></w:pPr><w:rPr><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr></w:style>"
    STYLE_PARA("Header", "header") "<w:basedOn w:val=\"Normal\"/><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
    "<w:rPr><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr></w:style>"
    "</w:styles>";

static const char settings_xml[] = XML_DECL
    "<w:settings " W_NS "><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/>"
    "<w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat>"
    /* A line ended by "\n" inside a justified paragraph is not stretched to the margin. */
    "<w:doNotExpandShiftReturn/>"
    "<w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/>"
    "</w:compat></w:settings>";

/* Pages 2 onwards carry their number at the top center; the first page carries none. */
static const char header_xml[] = XML_DECL
    "<w:hdr " W_NS "><w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr>"
    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
    "</w:p></w:hdr>";

static const char first_header_xml[] =
    XML_DECL "<w:hdr " W_NS "><w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr></w:p></w:hdr>";

static char *core_xml(const json_t *doc)
{
    tk_svg b;
    tk_svg_start(&b);
    tk_svg_put(&b, XML_DECL
        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
    text(&b, member(doc, "kind"), false);
    if (*member(doc, "title")) {
        tk_svg_put(&b, " ");
        text(&b, member(doc, "title"), false);
    }
    tk_svg_put(&b, "</dc:title><dc:creator>");
    text(&b, member(json_object_get(doc, "issuer"), "name"), false);
    tk_svg_put(&b, "</dc:creator><dc:identifier>");
    text(&b, member(doc, "number"), false);
    tk_svg_put(&b, "</dc:identifier><dc:language>vi-VN</dc:language></cp:coreProperties>");
    return tk_svg_finish(&b);
}

/* Copies the archive libzip wrote into src out as one malloc'd block. */
static tk_code read_source(zip_source_t *src, unsigned char **out, size_t *size, tk_error *err)
{
    if (zip_source_open(src) < 0)
        return tk_error_set(err, TK_INTERNAL, NULL, "Không đọc lại được tệp DOCX vừa tạo: %s",
                            zip_error_strerror(zip_source_error(src)));
    tk_code rc = TK_OK;
    zip_int64_t len = -1;
    if (zip_source_seek(src, 0, SEEK_END) == 0) len = zip_source_tell(src);
    if (len < 0 || zip_source_seek(src, 0, SEEK_SET) < 0) {
        rc = tk_error_set(err, TK_INTERNAL, NULL, "Không đọc lại được tệp DOCX vừa tạo: %s",
                          zip_error_strerror(zip_source_error(src)));
        goto out;
    }
    unsigned char *data = malloc(len > 0 ? (size_t)len : 1);
    if (!data) {
        rc = tk_error_set(err, TK_NO_MEMORY, NULL, "Không đủ bộ nhớ để tạo tệp DOCX");
        goto out;
    }
    if (zip_source_read(src, data, (zip_uint64_t)len) != len) {
        free(data);
        rc = tk_error_set(err, TK_INTERNAL, NULL, "Không đọc lại được tệp DOCX vừa tạo: %s",
                          zip_error_strerror(zip_source_error(src)));
        goto out;
    }
    *out = data;
    *size = (size_t)len;
out:
    zip_source_close(src);
    return rc;
}

tk_code tk_docx_render(const json_t *doc, unsigned char **out, size_t *size, tk_error *err)
{
    *out = NULL;
    *size = 0;
    tk_code rc = tk_document_check(doc, err);
    if (rc) return rc;

    char *document = NULL, *core = NULL;
    zip_t *za = NULL;
    zip_source_t *archive = NULL;
    zip_error_t zerr;
    zip_error_init(&zerr);
    if ((rc = document_xml(doc, &document, err))) goto out;
    if (!(core = core_xml(doc))) {
        rc = tk_error_set(err, TK_NO_MEMORY, NULL, "Không đủ bộ nhớ để tạo tệp DOCX");
        goto out;
    }
    const struct {
        const char *name;
        const char *data;
    } parts[] = {
        {"[Content_Types].xml", content_types_xml}, {"_rels/.rels", package_rels_xml},
        {"word/document.xml", document},            {"word/_rels/document.xml.rels", document_rels_xml},
        {"word/styles.xml", styles_xml},            {"word/settings.xml", settings_xml},
        {"word/header1.xml", header_xml},           {"word/header2.xml", first_header_xml},
        {"docProps/core.xml", core},
    };

    archive = zip_source_buffer_create(NULL, 0, 0, &zerr);
    if (!archive || !(za = zip_open_from_source(archive, ZIP_TRUNCATE, &zerr))) {
        rc = tk_error_set(err, TK_INTERNAL, NULL, "Không tạo được tệp DOCX: %s", zip_error_strerror(&zerr));
        goto out;
    }
    /* zip_close() would free the source with the archive; it is kept to read the result. */
    zip_source_keep(archive);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        zip_source_t *part = zip_source_buffer(za, parts[i].data, strlen(parts[i].data), 0);
        if (!part || zip_file_add(za, parts[i].name, part, ZIP_FL_ENC_UTF_8) < 0) {
            zip_source_free(part);
            rc = tk_error_set(err, TK_INTERNAL, NULL, "Không tạo được tệp DOCX: %s", zip_strerror(za));
            goto out;
        }
    }
    if (zip_close(za) < 0) {
        rc = tk_error_set(err, TK_INTERNAL, NULL, "Không tạo được tệp DOCX: %s", zip_strerror(za));
        goto out;
    }
    za = NULL;
    rc = read_source(archive, out, size, err);
out:
    if (za) zip_discard(za);
    zip_source_free(archive);
    zip_error_fini(&zerr);
    free(document);
    free(core);
    return rc;
}
