/* The document as PDF, on A4, drawn with cairo and laid out with pango (which shapes the
 * Vietnamese stacked diacritics; we never cut strings ourselves).
 *
 * Everything is placed as a list of boxes: each line of a pango layout, a rule, a space. A
 * column of boxes either is drawn where it stands (header and signature blocks, table cells)
 * or flows down the page, starting a new page when the next box does not fit. Every loop that
 * places boxes places at least one per page, so hostile text (a word of thousands of letters,
 * a cell narrower than one letter) costs pages, never a hang. */
#include "io/document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Units are PostScript points, as cairo's PDF surface uses. */
#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
/* NĐ 30/2020 Phụ lục I and HD 36-HD/VPTW: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm. */
#define BODY_X (30 * MM)
#define BODY_W (PAGE_W - BODY_X - 15 * MM)
#define BODY_TOP (20 * MM)
#define BODY_BOTTOM (PAGE_H - 20 * MM)
#define BODY_H (BODY_BOTTOM - BODY_TOP)
#define PAGE_NUMBER_TOP (10 * MM)

#define FONT "Liberation Serif" /* Times New Roman's metrics, with Vietnamese (fonts-liberation2) */
#define BODY_SIZE 14.0
#define TABLE_SIZE 13.0
#define INDENT (10 * MM)         /* first line of a paragraph: 1 cm */
#define PARAGRAPH_AFTER 6.0      /* at least 6 pt between paragraphs */
#define BODY_LINE 17.0           /* about one line of body text, for keeping a heading with what follows */
#define CELL_PAD_X 3.0
#define CELL_PAD_Y 2.0
#define RULE_WIDTH 0.6
#define SIGNATURE_SPACE (22 * MM) /* room for the hand signature and the seal */

/* Caps on what hostile input can make us produce. */
#define MAX_PDF_BYTES ((size_t)256 << 20)
#define MAX_PAGES 5000

enum { PLAIN = 0, BOLD = 1, ITALIC = 2, UNDERLINE = 4 };

typedef struct style {
    double size;
    int flags;
    PangoAlignment align;
    bool justify;
    double indent;
} style;

typedef enum box_kind { BOX_LINE, BOX_RULE, BOX_SPACE } box_kind;

typedef struct box {
    box_kind kind;
    double height;
    double x;              /* from the column's left: a line's origin, a rule's start */
    double baseline;       /* below the box's top: a line's baseline, a rule's stroke */
    double width;          /* a rule's length */
    PangoLayoutLine *line; /* borrowed from a layout of the same column */
} box;

/* A column of boxes and the layouts their lines belong to (owned). */
typedef struct column {
    double width;
    box *boxes;
    size_t n, cap;
    PangoLayout **layouts;
    size_t nlayouts, cap_layouts;
    bool failed; /* an allocation failed: the column is incomplete */
} column;

typedef struct writer {
    cairo_t *cr;
    PangoContext *ctx; /* owned */
    double y;          /* top of the free space on the current page */
    bool at_top;       /* nothing placed on this page yet */
    int page;
    tk_code rc; /* the first failure; drawing stops there */
} writer;

/* The PDF as cairo writes it out, in memory. */
typedef struct membuf {
    unsigned char *data;
    size_t len, cap;
    tk_code failure;
} membuf;

static cairo_status_t membuf_write(void *closure, const unsigned char *data, unsigned int length)
{
    membuf *b = closure;
    if (b->failure) return CAIRO_STATUS_WRITE_ERROR;
    if (length > MAX_PDF_BYTES - b->len) {
        b->failure = TK_TOO_LARGE;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    if (b->len + length > b->cap) {
        size_t cap = b->cap ? b->cap : 64 * 1024;
        while (cap < b->len + length) cap *= 2;
        if (cap > MAX_PDF_BYTES) cap = MAX_PDF_BYTES;
        unsigned char *grown = realloc(b->data, cap);
        if (!grown) {
            b->failure = TK_NO_MEMORY;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, length);
    b->len += length;
    return CAIRO_STATUS_SUCCESS;
}

static int to_pango(double points)
{
    double units = points * PANGO_SCALE;
    if (units < PANGO_SCALE) return PANGO_SCALE;
    if (units > 1e9) return 1000000000;
    return (int)units;
}

static const char *member(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

/* A layout of text in style, wrapped at width points (no wrapping when width <= 0). New. */
static PangoLayout *make_layout(writer *w, const char *text, double width, const style *st)
{
    PangoLayout *layout = pango_layout_new(w->ctx);
    PangoFontDescription *font = pango_font_description_new();
    pango_font_description_set_family_static(font, FONT);
    pango_font_description_set_size(font, (gint)lround(st->size * PANGO_SCALE));
    pango_font_description_set_weight(font, st->flags & BOLD ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(font, st->flags & ITALIC ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    if (width > 0) {
        pango_layout_set_width(layout, to_pango(width));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(layout, st->align);
    pango_layout_set_justify(layout, st->justify);
    if (st->indent > 0) pango_layout_set_indent(layout, to_pango(st->indent));
    PangoAttrList *attrs = pango_attr_list_new();
    /* A word longer than the line is broken between letters; pango would print a hyphen there,
     * which reads as part of a code or a web address that has none. */
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    if (st->flags & UNDERLINE) pango_attr_list_insert(attrs, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE));
    pango_layout_set_attributes(layout, attrs);
    pango_attr_list_unref(attrs);
    pango_layout_set_text(layout, text, -1);
    return layout;
}

/* The width text takes on one line, in points. */
static double natural_width(writer *w, const char *text, const style *st)
{
    PangoLayout *layout = make_layout(w, text, 0, st);
    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    g_object_unref(layout);
    return (double)logical.width / PANGO_SCALE;
}

/* ---- columns of boxes ---- */

static void column_init(column *col, double width)
{
    memset(col, 0, sizeof *col);
    col->width = width;
}

static void column_free(column *col)
{
    for (size_t i = 0; i < col->nlayouts; i++) g_object_unref(col->layouts[i]);
    free(col->layouts);
    free(col->boxes);
    memset(col, 0, sizeof *col);
}

static void column_push(column *col, const box *b)
{
    if (col->failed) return;
    if (col->n == col->cap) {
        size_t cap = col->cap ? col->cap * 2 : 16;
        box *grown = realloc(col->boxes, cap * sizeof *grown);
        if (!grown) {
            col->failed = true;
            return;
        }
        col->boxes = grown;
        col->cap = cap;
    }
    col->boxes[col->n++] = *b;
}

static void column_space(column *col, double height)
{
    column_push(col, &(box){.kind = BOX_SPACE, .height = height});
}

/* A horizontal rule of the given length, centered in the column. */
static void column_rule(column *col, double length, double height)
{
    if (length > col->width) length = col->width;
    column_push(col, &(box){.kind = BOX_RULE, .height = height, .x = (col->width - length) / 2, .baseline = height / 2,
                         .width = length});
}

/* Adds text as one box per line. Returns the layout (borrowed: the column owns it) so the
 * caller can measure it, or NULL when memory ran out. */
static PangoLayout *column_text(writer *w, column *col, const char *text, const style *st)
{
    if (col->failed) return NULL;
    if (col->nlayouts == col->cap_layouts) {
        size_t cap = col->cap_layouts ? col->cap_layouts * 2 : 4;
        PangoLayout **grown = realloc(col->layouts, cap * sizeof *grown);
        if (!grown) {
            col->failed = true;
            return NULL;
        }
        col->layouts = grown;
        col->cap_layouts = cap;
    }
    PangoLayout *layout = make_layout(w, text, col->width, st);
    col->layouts[col->nlayouts++] = layout;
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        int baseline = pango_layout_iter_get_baseline(it);
        column_push(col, &(box){.kind = BOX_LINE,
                             .height = (double)logical.height / PANGO_SCALE,
                             .x = (double)logical.x / PANGO_SCALE,
                             .baseline = (double)(baseline - logical.y) / PANGO_SCALE,
                             .line = pango_layout_iter_get_line_readonly(it)});
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return layout;
}

static double column_height(const column *col, size_t from, size_t to)
{
    double h = 0;
    for (size_t i = from; i < to; i++) h += col->boxes[i].height;
    return h;
}

static void draw_box(writer *w, const box *b, double x, double top)
{
    switch (b->kind) {
    case BOX_LINE:
        cairo_move_to(w->cr, x + b->x, top + b->baseline);
        pango_cairo_show_layout_line(w->cr, b->line);
        break;
    case BOX_RULE:
        cairo_set_line_width(w->cr, RULE_WIDTH);
        cairo_move_to(w->cr, x + b->x, top + b->baseline);
        cairo_rel_line_to(w->cr, b->width, 0);
        cairo_stroke(w->cr);
        break;
    case BOX_SPACE:
        break;
    }
}

/* Draws boxes [from, to) of col from top down, without page breaks. */
static void column_draw(writer *w, const column *col, size_t from, size_t to, double x, double top)
{
    for (size_t i = from; i < to; i++) {
        draw_box(w, &col->boxes[i], x, top);
        top += col->boxes[i].height;
    }
}

/* ---- pages ---- */

static void page_number(writer *w)
{
    char text[16];
    snprintf(text, sizeof text, "%d", w->page);
    style st = {.size = BODY_SIZE, .align = PANGO_ALIGN_CENTER};
    PangoLayout *layout = make_layout(w, text, BODY_W, &st);
    cairo_move_to(w->cr, BODY_X, PAGE_NUMBER_TOP);
    pango_cairo_show_layout(w->cr, layout);
    g_object_unref(layout);
}

static void new_page(writer *w)
{
    if (w->rc) return;
    if (w->page >= MAX_PAGES) {
        w->rc = TK_TOO_LARGE;
        return;
    }
    cairo_show_page(w->cr);
    w->page++;
    w->y = BODY_TOP;
    w->at_top = true;
    /* HD 36 and NĐ 30: the page number at the top center, from the second page. */
    page_number(w);
}

static void check_column(writer *w, const column *col)
{
    if (col->failed && !w->rc) w->rc = TK_NO_MEMORY;
}

/* Flows col down the pages at x; spaces at the top of a page are dropped. */
static void flow(writer *w, const column *col, double x)
{
    check_column(w, col);
    for (size_t i = 0; i < col->n && !w->rc; i++) {
        const box *b = &col->boxes[i];
        if (w->y + b->height > BODY_BOTTOM && !w->at_top) new_page(w);
        if (w->rc) return;
        if (b->kind == BOX_SPACE && w->at_top) continue;
        draw_box(w, b, x, w->y);
        w->y += b->height;
        w->at_top = false;
    }
}

/* Starts a new page unless height more fits on this one (or it would not fit on any). */
static void keep(writer *w, double height)
{
    if (height > BODY_H) height = BODY_H;
    if (w->y + height > BODY_BOTTOM && !w->at_top) new_page(w);
}

/* Two columns side by side, kept together on one page; only when they are taller than a
 * page (hostile text) do they flow, one after the other. */
static void side_by_side(writer *w, const column *left, double left_x, const column *right, double right_x)
{
    check_column(w, left);
    check_column(w, right);
    double lh = column_height(left, 0, left->n), rh = column_height(right, 0, right->n);
    double h = lh > rh ? lh : rh;
    keep(w, h);
    if (w->rc) return;
    if (w->y + h <= BODY_BOTTOM) {
        column_draw(w, left, 0, left->n, left_x, w->y);
        column_draw(w, right, 0, right->n, right_x, w->y);
        w->y += h;
        w->at_top = false;
        return;
    }
    flow(w, left, left_x);
    flow(w, right, right_x);
}

/* ---- the header: issuer on the left, motto on the right, then kind and title ---- */

static void draw_header(writer *w, const json_t *doc)
{
    bool party = strcmp(member(doc, "layout"), "party") == 0;
    const json_t *issuer = json_object_get(doc, "issuer");
    char date_line[TK_DOCUMENT_DATE_LINE_MAX];
    tk_document_date_line(doc, date_line);

    /* HD 36: issuer and number 14 pt, "ĐẢNG CỘNG SẢN VIỆT NAM" 15 pt. NĐ 30: issuer, number 13
     * pt, the national name 12-13 pt (12 keeps it on one line), the motto 13-14 pt. */
    double issuer_size = party ? 14 : 13;
    style parent_st = {.size = issuer_size, .align = PANGO_ALIGN_CENTER};
    style name_st = {.size = issuer_size, .flags = BOLD, .align = PANGO_ALIGN_CENTER};
    style number_st = {.size = issuer_size, .align = PANGO_ALIGN_CENTER};
    style date_st = {.size = 14, .flags = ITALIC, .align = PANGO_ALIGN_CENTER};
    style nation_st = {.size = party ? 15 : 12, .flags = party ? BOLD | UNDERLINE : BOLD, .align = PANGO_ALIGN_CENTER};
    style motto_st = {.size = 13, .flags = BOLD | UNDERLINE, .align = PANGO_ALIGN_CENTER};
    const char *nation = party ? "ĐẢNG CỘNG SẢN VIỆT NAM" : "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
    const char *motto = "Độc lập - Tự do - Hạnh phúc";

    /* The motto's column is as wide as its longest line needs, within reason. */
    double right_w = natural_width(w, nation, &nation_st);
    if (!party) {
        double m = natural_width(w, motto, &motto_st);
        if (m > right_w) right_w = m;
    }
    right_w += 12;
    if (right_w < 0.5 * BODY_W) right_w = 0.5 * BODY_W;
    if (right_w > 0.62 * BODY_W) right_w = 0.62 * BODY_W;
    double left_w = BODY_W - right_w;

    column left, right;
    column_init(&left, left_w);
    column_init(&right, right_w);
    const char *parent = member(issuer, "parent");
    if (parent[0]) column_text(w, &left, parent, &parent_st);
    PangoLayout *name = column_text(w, &left, member(issuer, "name"), &name_st);
    if (party) {
        column_text(w, &left, "*", &number_st);
    } else if (name) {
        /* NĐ 30: under the body's name a solid rule a third to a half as long as the name. */
        PangoRectangle logical;
        pango_layout_get_extents(name, NULL, &logical);
        double length = 0.4 * logical.width / PANGO_SCALE;
        column_rule(&left, length < 30 ? 30 : length, 8);
    }
    double before_number = column_height(&left, 0, left.n);
    column_text(w, &left, member(doc, "number"), &number_st);

    column_text(w, &right, nation, &nation_st);
    if (!party) column_text(w, &right, motto, &motto_st);
    /* The place-and-date line stands level with the number, as both rules draw it. */
    double gap = before_number - column_height(&right, 0, right.n);
    column_space(&right, gap > 4 ? gap : 4);
    column_text(w, &right, date_line, &date_st);
    side_by_side(w, &left, BODY_X, &right, BODY_X + left_w);
    column_free(&left);
    column_free(&right);

    column heading;
    column_init(&heading, BODY_W);
    column_space(&heading, 24);
    style kind_st = {.size = party ? 16 : 14, .flags = BOLD, .align = PANGO_ALIGN_CENTER};
    style title_st = {.size = 14, .flags = BOLD, .align = PANGO_ALIGN_CENTER};
    column_text(w, &heading, member(doc, "kind"), &kind_st);
    const char *title = member(doc, "title");
    if (title[0]) {
        PangoLayout *layout = column_text(w, &heading, title, &title_st);
        if (layout) {
            /* A short rule under the title (NĐ 30: a third to a half of its line; HD 36: a dashed line). */
            PangoRectangle logical;
            pango_layout_get_extents(layout, NULL, &logical);
            double length = 0.4 * logical.width / PANGO_SCALE;
            column_rule(&heading, length < 40 ? 40 : length, 10);
        }
    }
    column_space(&heading, 14);
    flow(w, &heading, BODY_X);
    column_free(&heading);
}

/* ---- body text ---- */

static void draw_text_block(writer *w, const char *text, const style *st, double before, double keep_after)
{
    column col;
    column_init(&col, BODY_W);
    if (before > 0) column_space(&col, before);
    column_text(w, &col, text, st);
    column_space(&col, PARAGRAPH_AFTER);
    if (keep_after > 0) keep(w, column_height(&col, 0, col.n) + keep_after);
    flow(w, &col, BODY_X);
    column_free(&col);
}

/* ---- tables ---- */

typedef struct table {
    size_t ncols;
    double *x, *w;          /* each column's left edge and width on the page */
    PangoAlignment *align;  /* of the body cells */
    column *header;         /* one column per table column */
    double header_h;
    bool repeat_header;     /* false when the header is too tall to repeat (hostile text) */
    bool rows_on_page;      /* a row (beyond the header) stands on this page */
} table;

/* The cells of one row; fills heights. Returns false when memory ran out. */
static bool make_row(writer *w, const table *t, const json_t *cells, const char *const *texts, bool header, bool bold,
    column *row, double *height)
{
    double content = 0;
    bool ok = true;
    for (size_t c = 0; c < t->ncols; c++) {
        double text_w = t->w[c] - 2 * CELL_PAD_X;
        column_init(&row[c], text_w < 1 ? 1 : text_w);
        style st = {.size = TABLE_SIZE, .flags = bold ? BOLD : PLAIN, .align = header ? PANGO_ALIGN_CENTER : t->align[c]};
        const char *text = texts ? texts[c] : json_string_value(json_array_get(cells, c));
        column_text(w, &row[c], text ? text : "", &st);
        ok = ok && !row[c].failed;
        double h = column_height(&row[c], 0, row[c].n);
        if (h > content) content = h;
    }
    *height = content + 2 * CELL_PAD_Y;
    return ok;
}

static void free_row(column *row, size_t n)
{
    for (size_t c = 0; c < n; c++) column_free(&row[c]);
}

static void cell_border(writer *w, double x, double y, double width, double height)
{
    cairo_set_line_width(w->cr, RULE_WIDTH);
    cairo_rectangle(w->cr, x, y, width, height);
    cairo_stroke(w->cr);
}

/* Draws a whole row at the current position; the header's cells are centered vertically. */
static void draw_row(writer *w, const table *t, const column *row, double height, bool middle)
{
    for (size_t c = 0; c < t->ncols; c++) {
        double h = column_height(&row[c], 0, row[c].n);
        double top = w->y + CELL_PAD_Y + (middle ? (height - 2 * CELL_PAD_Y - h) / 2 : 0);
        column_draw(w, &row[c], 0, row[c].n, t->x[c] + CELL_PAD_X, top);
        cell_border(w, t->x[c], w->y, t->w[c], height);
    }
    w->y += height;
    w->at_top = false;
}

static void table_new_page(writer *w, table *t)
{
    new_page(w);
    if (w->rc) return;
    if (t->repeat_header) draw_row(w, t, t->header, t->header_h, true);
    t->rows_on_page = false;
}

/* A row taller than a page: as many lines of each cell as fit, then the rest on the next
 * pages under the repeated header. Each pass draws at least one line, so it ends. */
static void split_row(writer *w, table *t, column *row)
{
    size_t *next = calloc(t->ncols, sizeof *next);
    size_t *upto = calloc(t->ncols, sizeof *upto);
    if (!next || !upto) {
        w->rc = TK_NO_MEMORY;
        goto out;
    }
    if (BODY_BOTTOM - w->y < 3 * BODY_LINE && t->rows_on_page) table_new_page(w, t);
    while (!w->rc) {
        double room = BODY_BOTTOM - w->y - 2 * CELL_PAD_Y, slice = 0;
        bool any = false, left = false;
        for (size_t c = 0; c < t->ncols; c++) {
            double h = 0;
            upto[c] = next[c];
            while (upto[c] < row[c].n && h + row[c].boxes[upto[c]].height <= room) h += row[c].boxes[upto[c]++].height;
            any = any || upto[c] > next[c];
            left = left || upto[c] < row[c].n;
        }
        if (!any) {
            if (t->rows_on_page) {
                table_new_page(w, t);
                continue;
            }
            /* Not even one line fits on a page of its own: place one line per cell anyway. */
            left = false;
            for (size_t c = 0; c < t->ncols; c++) {
                if (upto[c] < row[c].n) upto[c]++;
                left = left || upto[c] < row[c].n;
            }
        }
        for (size_t c = 0; c < t->ncols; c++) {
            double h = column_height(&row[c], next[c], upto[c]);
            if (h > slice) slice = h;
        }
        slice += 2 * CELL_PAD_Y;
        for (size_t c = 0; c < t->ncols; c++) {
            column_draw(w, &row[c], next[c], upto[c], t->x[c] + CELL_PAD_X, w->y + CELL_PAD_Y);
            cell_border(w, t->x[c], w->y, t->w[c], slice);
            next[c] = upto[c];
        }
        w->y += slice;
        w->at_top = false;
        t->rows_on_page = true;
        if (!left) break;
        table_new_page(w, t);
    }
out:
    free(next);
    free(upto);
}

/* A row kept whole: on this page if it fits, else on the next under the repeated header;
 * split only when it is taller than a page. */
static void place_row(writer *w, table *t, column *row, double height)
{
    double fresh = BODY_H - (t->repeat_header ? t->header_h : 0);
    if (w->y + height > BODY_BOTTOM && height <= fresh) table_new_page(w, t);
    if (w->rc) return;
    if (w->y + height <= BODY_BOTTOM) {
        draw_row(w, t, row, height, false);
        t->rows_on_page = true;
        return;
    }
    split_row(w, t, row);
}

static void place_cells(writer *w, table *t, const json_t *cells, bool bold)
{
    column *row = calloc(t->ncols, sizeof *row);
    if (!row) {
        w->rc = TK_NO_MEMORY;
        return;
    }
    double height;
    if (make_row(w, t, cells, NULL, false, bold, row, &height)) place_row(w, t, row, height);
    else w->rc = TK_NO_MEMORY;
    free_row(row, t->ncols);
    free(row);
}

static PangoAlignment alignment(const char *align)
{
    if (strcmp(align, "center") == 0) return PANGO_ALIGN_CENTER;
    if (strcmp(align, "right") == 0) return PANGO_ALIGN_RIGHT;
    return PANGO_ALIGN_LEFT;
}

static void draw_table(writer *w, const json_t *block)
{
    const json_t *columns = json_object_get(block, "columns");
    const json_t *rows = json_object_get(block, "rows");
    const json_t *total = json_object_get(block, "total");
    table t = {.ncols = json_array_size(columns)};
    const char **texts = NULL;
    t.x = calloc(t.ncols, sizeof *t.x);
    t.w = calloc(t.ncols, sizeof *t.w);
    t.align = calloc(t.ncols, sizeof *t.align);
    t.header = calloc(t.ncols, sizeof *t.header);
    texts = calloc(t.ncols, sizeof *texts);
    if (!t.x || !t.w || !t.align || !t.header || !texts) {
        w->rc = TK_NO_MEMORY;
        goto out;
    }

    /* Widths are relative weights; scaling by the largest first keeps any weights finite. */
    double largest = 0, sum = 0;
    for (size_t c = 0; c < t.ncols; c++) {
        double weight = json_number_value(json_object_get(json_array_get(columns, c), "width"));
        if (weight > largest) largest = weight;
    }
    for (size_t c = 0; c < t.ncols; c++) sum += json_number_value(json_object_get(json_array_get(columns, c), "width")) / largest;
    double x = BODY_X;
    for (size_t c = 0; c < t.ncols; c++) {
        const json_t *col = json_array_get(columns, c);
        t.x[c] = x;
        t.w[c] = BODY_W * (json_number_value(json_object_get(col, "width")) / largest) / sum;
        x += t.w[c];
        t.align[c] = alignment(member(col, "align"));
        texts[c] = member(col, "text");
    }

    if (!make_row(w, &t, NULL, texts, true, true, t.header, &t.header_h)) {
        w->rc = TK_NO_MEMORY;
        goto out;
    }
    /* A header that would fill most of every page is shown once, as an ordinary row. */
    t.repeat_header = t.header_h <= BODY_H / 3;

    const char *title = json_string_value(json_object_get(block, "title"));
    column caption;
    column_init(&caption, BODY_W);
    column_space(&caption, PARAGRAPH_AFTER);
    if (title && title[0]) {
        style st = {.size = BODY_SIZE, .flags = BOLD, .align = PANGO_ALIGN_CENTER};
        column_text(w, &caption, title, &st);
        column_space(&caption, 4);
    }
    /* The caption and the header stay with the first row. */
    double first = 3 * BODY_LINE;
    keep(w, column_height(&caption, 0, caption.n) + (t.repeat_header ? t.header_h + first : first));
    flow(w, &caption, BODY_X);
    column_free(&caption);
    if (w->rc) goto out;

    if (t.repeat_header) {
        keep(w, t.header_h + first);
        if (w->rc) goto out;
        draw_row(w, &t, t.header, t.header_h, true);
        t.rows_on_page = false;
    } else {
        place_row(w, &t, t.header, t.header_h);
    }
    for (size_t r = 0; r < json_array_size(rows) && !w->rc; r++) place_cells(w, &t, json_array_get(rows, r), false);
    if (json_is_array(total) && !w->rc) place_cells(w, &t, total, true);
    if (!w->rc) {
        w->y += PARAGRAPH_AFTER;
        if (w->y > BODY_BOTTOM) w->y = BODY_BOTTOM;
    }

out:
    if (t.header) free_row(t.header, t.ncols);
    free(t.header);
    free(t.x);
    free(t.w);
    free(t.align);
    free(texts);
}

/* ---- recipients and signature ---- */

static void draw_signature(writer *w, const json_t *doc)
{
    const json_t *recipients = json_object_get(doc, "recipients");
    const json_t *signature = json_object_get(doc, "signature");
    double left_w = 0.45 * BODY_W, right_w = BODY_W - left_w;
    column left, right;
    column_init(&left, left_w);
    column_init(&right, right_w);

    /* NĐ 30: "Nơi nhận:" 12 pt bold italic, the list 11 pt, each item after a dash. */
    if (json_array_size(recipients) > 0) {
        style label = {.size = 12, .flags = BOLD | ITALIC, .align = PANGO_ALIGN_LEFT};
        style item = {.size = 11, .align = PANGO_ALIGN_LEFT};
        column_text(w, &left, "Nơi nhận:", &label);
        for (size_t i = 0; i < json_array_size(recipients); i++) {
            char *text = g_strconcat("- ", json_string_value(json_array_get(recipients, i)), NULL);
            column_text(w, &left, text, &item);
            g_free(text);
        }
    }

    style bold = {.size = BODY_SIZE, .flags = BOLD, .align = PANGO_ALIGN_CENTER};
    const char *authority = member(signature, "authority");
    if (authority[0]) column_text(w, &right, authority, &bold);
    column_text(w, &right, member(signature, "position"), &bold);
    column_space(&right, SIGNATURE_SPACE);
    column_text(w, &right, member(signature, "name"), &bold);

    if (!w->at_top) w->y += 12;
    side_by_side(w, &left, BODY_X, &right, BODY_X + left_w);
    column_free(&left);
    column_free(&right);
}

static void draw_document(writer *w, const json_t *doc)
{
    draw_header(w, doc);
    const json_t *blocks = json_object_get(doc, "blocks");
    for (size_t i = 0; i < json_array_size(blocks) && !w->rc; i++) {
        const json_t *block = json_array_get(blocks, i);
        const char *type = member(block, "type");
        if (strcmp(type, "heading") == 0) {
            style st = {.size = BODY_SIZE, .flags = BOLD, .align = PANGO_ALIGN_LEFT, .indent = INDENT};
            /* A heading never ends a page: it keeps two lines of what follows with it. */
            draw_text_block(w, member(block, "text"), &st, PARAGRAPH_AFTER, 2 * BODY_LINE);
        } else if (strcmp(type, "paragraph") == 0) {
            style st = {.size = BODY_SIZE, .align = PANGO_ALIGN_LEFT, .justify = true, .indent = INDENT};
            draw_text_block(w, member(block, "text"), &st, 0, 0);
        } else {
            draw_table(w, block);
        }
    }
    if (!w->rc) draw_signature(w, doc);
}

tk_code tk_pdf_render(const json_t *doc, unsigned char **out, size_t *size, tk_error *err)
{
    *out = NULL;
    *size = 0;
    tk_code rc = tk_document_check(doc, err);
    if (rc) return rc;

    membuf buf = {0};
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(membuf_write, &buf, PAGE_W, PAGE_H);
    const char *title = member(doc, "title");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title[0] ? title : member(doc, "kind"));
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "trienkhai");
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 0, 0, 0);

    /* The thread's default font map: pango keeps one per thread, as font maps are not
     * thread-safe, and frees it when the thread ends. Fonts are then found once per server
     * thread rather than once per document (a new font map costs tens of milliseconds).
     * Resolution 72 makes pango's points the PDF's points. */
    PangoContext *ctx = pango_cairo_create_context(cr);
    pango_cairo_context_set_resolution(ctx, 72);
    writer w = {.cr = cr, .ctx = ctx, .y = BODY_TOP, .at_top = true, .page = 1};
    draw_document(&w, doc);
    cairo_status_t drawn = cairo_status(cr);
    g_object_unref(ctx);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);

    if (w.rc == TK_TOO_LARGE || buf.failure == TK_TOO_LARGE)
        rc = tk_error_set(err, TK_TOO_LARGE, NULL, "Văn bản quá dài để xuất PDF (tối đa %d trang, %zu MiB)", MAX_PAGES,
            MAX_PDF_BYTES >> 20);
    else if (w.rc == TK_NO_MEMORY || buf.failure == TK_NO_MEMORY || drawn == CAIRO_STATUS_NO_MEMORY ||
             status == CAIRO_STATUS_NO_MEMORY)
        rc = tk_error_set(err, TK_NO_MEMORY, NULL, "Không đủ bộ nhớ để xuất PDF");
    else if (w.rc || drawn || status)
        rc = tk_error_set(err, TK_INTERNAL, NULL, "Không xuất được PDF: %s",
            cairo_status_to_string(drawn ? drawn : status));
    if (rc) {
        free(buf.data);
        return rc;
    }
    *out = buf.data;
    *size = buf.len;
    return TK_OK;
}
