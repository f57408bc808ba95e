#include "io/chart.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct buf {
    char *data;
    size_t len, cap;
    int failed;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(buf *b, const char *fmt, ...)
{
    if (b->failed) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap + (size_t)n + 1) * 2;
        char *grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->data = grown;
        b->cap = cap;
    }
}

/* Labels come from the database: escaped for XML text and attributes. */
static void put_text(buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': put(b, "&amp;"); break;
        case '<': put(b, "&lt;"); break;
        case '>': put(b, "&gt;"); break;
        case '"': put(b, "&quot;"); break;
        case '\'': put(b, "&#39;"); break;
        default: put(b, "%c", *s);
        }
    }
}

static char *finish(buf *b)
{
    if (b->failed) {
        free(b->data);
        return NULL;
    }
    return b->data;
}

static void start(buf *b)
{
    b->cap = 1024;
    b->len = 0;
    b->failed = 0;
    b->data = malloc(b->cap);
    if (!b->data) b->failed = 1;
    else b->data[0] = '\0';
}

char *tk_chart_donut(const tk_chart_slice *slices, size_t n, const char *title, const char *center_label)
{
    buf b;
    start(&b);
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) total += slices[i].value > 0 ? slices[i].value : 0;
    const double r = 70, cx = 100, cy = 100, width = 34;
    const double circumference = 2 * M_PI * r;
    put(&b, "<svg class=\"chart donut\" viewBox=\"0 0 200 200\" role=\"img\" aria-labelledby=\"donut-title\" "
            "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"donut-title\">");
    put_text(&b, title);
    put(&b, "</title>");
    put(&b, "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"%.0f\" fill=\"none\" stroke=\"#e6e6e6\" stroke-width=\"%.0f\"/>", cx, cy,
        r, width);
    /* Each slice is a dashed circle: the dash is its share of the circumference, and the offset
     * starts it where the previous one ended, from twelve o'clock. */
    double done = 0;
    for (size_t i = 0; total > 0 && i < n; i++) {
        if (slices[i].value <= 0) continue;
        double len = circumference * (double)slices[i].value / (double)total;
        put(&b,
            "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"%.0f\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.0f\" "
            "stroke-dasharray=\"%.3f %.3f\" stroke-dashoffset=\"%.3f\" transform=\"rotate(-90 %.0f %.0f)\"><title>",
            cx, cy, r, slices[i].color, width, len, circumference - len, -done, cx, cy);
        put_text(&b, slices[i].label);
        put(&b, ": %lld</title></circle>", (long long)slices[i].value);
        done += len;
    }
    put(&b, "<text x=\"100\" y=\"100\" text-anchor=\"middle\" font-size=\"30\" font-weight=\"bold\" fill=\"#1a1a1a\">%lld</text>",
        (long long)total);
    put(&b, "<text x=\"100\" y=\"124\" text-anchor=\"middle\" font-size=\"13\" fill=\"#505050\">");
    put_text(&b, center_label);
    put(&b, "</text></svg>");
    return finish(&b);
}

char *tk_chart_bars(const tk_chart_bar *bars, size_t n, const char *title)
{
    buf b;
    start(&b);
    const int row = 28, label_w = 60, bar_w = 230;
    put(&b,
        "<svg class=\"chart bars\" viewBox=\"0 0 340 %zu\" role=\"img\" aria-labelledby=\"bars-title\" "
        "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"bars-title\">",
        n * (size_t)row + 4);
    put_text(&b, title);
    put(&b, "</title>");
    for (size_t i = 0; i < n; i++) {
        double p = bars[i].percent;
        if (!(p >= 0)) p = 0;
        if (p > 100) p = 100;
        size_t y = i * (size_t)row + 4;
        put(&b, "<g><title>");
        put_text(&b, bars[i].label);
        put(&b, ": %.1f%%</title>", p);
        put(&b, "<text x=\"0\" y=\"%zu\" font-size=\"13\" fill=\"#1a1a1a\">", y + 15);
        put_text(&b, bars[i].label);
        put(&b, "</text><rect x=\"%d\" y=\"%zu\" width=\"%d\" height=\"18\" fill=\"#e6e6e6\"/>", label_w, y, bar_w);
        put(&b, "<rect x=\"%d\" y=\"%zu\" width=\"%.1f\" height=\"18\" fill=\"#1d70b8\"/>", label_w, y, bar_w * p / 100);
        put(&b, "<text x=\"%d\" y=\"%zu\" font-size=\"12\" fill=\"#1a1a1a\">%.0f%%</text></g>", label_w + bar_w + 6, y + 14,
            p);
    }
    put(&b, "</svg>");
    return finish(&b);
}
