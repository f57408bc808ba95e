#include "io/chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/svg.h"

char *tk_chart_donut(const tk_chart_slice *slices, size_t n, const char *title, const char *center_label)
{
    tk_svg b;
    tk_svg_start(&b);
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) total += slices[i].value > 0 ? slices[i].value : 0;
    const double r = 70, cx = 100, cy = 100, width = 34;
    const double circumference = 2 * M_PI * r;
    tk_svg_put(&b, "<svg class=\"chart donut\" viewBox=\"0 0 200 200\" role=\"img\" aria-labelledby=\"donut-title\" "
            "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"donut-title\">");
    tk_svg_text(&b, title);
    tk_svg_put(&b, "</title>");
    tk_svg_put(&b, "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"%.0f\" fill=\"none\" stroke=\"#e6e6e6\" stroke-width=\"%.0f\"/>", cx, cy,
        r, width);
    /* Each slice is a dashed circle: the dash is its share of the circumference, and the offset
     * starts it where the previous one ended, from twelve o'clock. */
    double done = 0;
    for (size_t i = 0; total > 0 && i < n; i++) {
        if (slices[i].value <= 0) continue;
        double len = circumference * (double)slices[i].value / (double)total;
        tk_svg_put(&b,
            "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"%.0f\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.0f\" "
            "stroke-dasharray=\"%.3f %.3f\" stroke-dashoffset=\"%.3f\" transform=\"rotate(-90 %.0f %.0f)\"><title>",
            cx, cy, r, slices[i].color, width, len, circumference - len, -done, cx, cy);
        tk_svg_text(&b, slices[i].label);
        tk_svg_put(&b, ": %lld</title></circle>", (long long)slices[i].value);
        done += len;
    }
    tk_svg_put(&b, "<text x=\"100\" y=\"100\" text-anchor=\"middle\" font-size=\"30\" font-weight=\"bold\" fill=\"#1a1a1a\">%lld</text>",
        (long long)total);
    tk_svg_put(&b, "<text x=\"100\" y=\"124\" text-anchor=\"middle\" font-size=\"13\" fill=\"#505050\">");
    tk_svg_text(&b, center_label);
    tk_svg_put(&b, "</text></svg>");
    return tk_svg_finish(&b);
}

char *tk_chart_bars(const tk_chart_bar *bars, size_t n, const char *title)
{
    tk_svg b;
    tk_svg_start(&b);
    const int row = 28, label_w = 60, bar_w = 230;
    tk_svg_put(&b,
        "<svg class=\"chart bars\" viewBox=\"0 0 340 %zu\" role=\"img\" aria-labelledby=\"bars-title\" "
        "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"bars-title\">",
        n * (size_t)row + 4);
    tk_svg_text(&b, title);
    tk_svg_put(&b, "</title>");
    for (size_t i = 0; i < n; i++) {
        double p = bars[i].percent;
        if (!(p >= 0)) p = 0;
        if (p > 100) p = 100;
        size_t y = i * (size_t)row + 4;
        tk_svg_put(&b, "<g><title>");
        tk_svg_text(&b, bars[i].label);
        tk_svg_put(&b, ": %.1f%%</title>", p);
        tk_svg_put(&b, "<text x=\"0\" y=\"%zu\" font-size=\"13\" fill=\"#1a1a1a\">", y + 15);
        tk_svg_text(&b, bars[i].label);
        tk_svg_put(&b, "</text><rect x=\"%d\" y=\"%zu\" width=\"%d\" height=\"18\" fill=\"#e6e6e6\"/>", label_w, y, bar_w);
        tk_svg_put(&b, "<rect x=\"%d\" y=\"%zu\" width=\"%.1f\" height=\"18\" fill=\"#1d70b8\"/>", label_w, y, bar_w * p / 100);
        tk_svg_put(&b, "<text x=\"%d\" y=\"%zu\" font-size=\"12\" fill=\"#1a1a1a\">%.0f%%</text></g>", label_w + bar_w + 6, y + 14,
            p);
    }
    tk_svg_put(&b, "</svg>");
    return tk_svg_finish(&b);
}
