/* Line charts of an indicator's series and the sparklines of the indicator list. Every number
 * written into a coordinate goes through px(), so a degenerate series (no points, one point,
 * every point on one day or at one value) still gives a well-formed picture with no NaN in it. */
#include "io/chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/numeral.h"
#include "io/svg.h"


/* The last guard before a number becomes a coordinate. */
static double px(double v)
{
    return isfinite(v) ? v : 0;
}

/* A linear map from [lo, hi] onto [a, b]. Halves are taken first so that hi − lo cannot
 * overflow even for values near ±DBL_MAX; an empty range maps to the middle. */
typedef struct scale {
    double lo, hi, a, b;
} scale;

static double map(const scale *s, double v)
{
    double span = s->hi / 2 - s->lo / 2;
    if (!(span > 0)) return px((s->a + s->b) / 2);
    return px(s->a + (s->b - s->a) * ((v / 2 - s->lo / 2) / span));
}

static void put_number(tk_svg *b, double v, int decimals, bool vietnamese)
{
    char text[64];
    if (!tk_number_format(v, decimals, vietnamese, text, sizeof text)) snprintf(text, sizeof text, "%.3g", v);
    tk_svg_put(b, "%s", text);
}

/* ---- the line chart ---- */

enum { WIDTH = 480, HEIGHT = 260, LEFT = 64, RIGHT = 24, TOP = 18, BOTTOM = 36, MAX_Y_TICKS = 12 };
static const char series_color[] = "#1d70b8", target_color[] = "#00703c", grid_color[] = "#e6e6e6",
                  ink_color[] = "#0b0c0c", muted_color[] = "#505a5f";

static bool valid_day(int32_t day)
{
    return day >= tk_date_from_ymd(TK_DATE_YEAR_MIN, 1, 1) && day <= tk_date_from_ymd(TK_DATE_YEAR_MAX, 12, 31);
}

static bool year_end(int32_t day)
{
    int y, m, d;
    tk_date_to_ymd(day, &y, &m, &d);
    return m == 12 && d == 31;
}

static void put_day(tk_svg *b, int32_t day, bool years_only)
{
    if (years_only) {
        int y, m, d;
        tk_date_to_ymd(day, &y, &m, &d);
        tk_svg_put(b, "%d", y);
        return;
    }
    char text[TK_DATE_TEXT_MAX];
    tk_svg_put(b, "%s", tk_date_format_vn(day, text));
}

static int by_day(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* A step of 1, 2 or 5 times a power of ten near raw, and the decimals its labels need. */
static double nice_step(double raw, int *decimals)
{
    *decimals = 0;
    if (!(raw > 0) || !isfinite(raw)) return 0;
    double power = pow(10, floor(log10(raw)));
    double f = raw / power;
    double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
    int d = (int)-floor(log10(step) + 1e-9);
    *decimals = d < 0 ? 0 : d > 6 ? 6 : d;
    return step;
}

static void y_axis(tk_svg *b, const scale *ys, double step, int decimals, bool vietnamese)
{
    double values[MAX_Y_TICKS + 1];
    int n = 0;
    if (step > 0) {
        for (int k = 0; k <= MAX_Y_TICKS; k++) {
            double v = ys->lo + k * step;
            if (!isfinite(v) || v > ys->hi + step * 1e-6) break;
            values[n++] = v;
        }
    }
    if (n < 2) { /* no sensible step: the ends of the range */
        values[0] = ys->lo;
        values[1] = ys->hi;
        n = ys->hi > ys->lo ? 2 : 1;
        decimals = 2;
    }
    for (int k = 0; k < n; k++) {
        double y = map(ys, values[k]);
        tk_svg_put(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>", LEFT, y,
            WIDTH - RIGHT, y, grid_color);
        tk_svg_put(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"12\" fill=\"%s\">", LEFT - 6, y + 4,
            muted_color);
        put_number(b, values[k], decimals, vietnamese);
        tk_svg_put(b, "</text>");
    }
}

/* Labels at the days that carry data, as many as fit without overlapping. */
static void x_axis(tk_svg *b, const scale *xs, int32_t *days, size_t n, bool years_only)
{
    tk_svg_put(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1\"/>", LEFT, HEIGHT - BOTTOM,
        WIDTH - RIGHT, HEIGHT - BOTTOM, ink_color);
    qsort(days, n, sizeof *days, by_day);
    const double gap = years_only ? 40 : 76; /* a label's width at font size 12, and a little air */
    double last = -1e9;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && days[i] == days[i - 1]) continue;
        double x = map(xs, days[i]);
        if (x - last < gap) continue;
        last = x;
        tk_svg_put(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1\"/>", x, HEIGHT - BOTTOM,
            x, HEIGHT - BOTTOM + 5, ink_color);
        tk_svg_put(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"%s\">", x, HEIGHT - BOTTOM + 19,
            muted_color);
        put_day(b, days[i], years_only);
        tk_svg_put(b, "</text>");
    }
}

static void point_title(tk_svg *b, int32_t day, double value, int decimals, bool vietnamese)
{
    tk_svg_put(b, "<title>");
    put_day(b, day, false);
    tk_svg_put(b, ": ");
    put_number(b, value, decimals, vietnamese);
    tk_svg_put(b, "</title>");
}

char *tk_chart_line(const tk_chart_point *points, size_t n, const tk_chart_mark *projection,
                    const tk_chart_mark *target, const char *title, bool vietnamese_numbers)
{
    const bool vn = vietnamese_numbers;
    bool has_projection = projection && isfinite(projection->value) && valid_day(projection->day);
    bool has_target = target && isfinite(target->value);
    /* The days on the x axis: the points', and where the projection ends. */
    int32_t *days = malloc((n + 2) * sizeof *days);
    if (!days) return NULL;
    size_t ndays = 0, shown = 0;
    double lo_v = INFINITY, hi_v = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(points[i].value) || !valid_day(points[i].day)) continue;
        days[ndays++] = points[i].day;
        lo_v = fmin(lo_v, points[i].value);
        hi_v = fmax(hi_v, points[i].value);
        shown++;
    }
    if (has_projection) {
        days[ndays++] = projection->day;
        lo_v = fmin(lo_v, projection->value);
        hi_v = fmax(hi_v, projection->value);
    }
    if (has_target) {
        lo_v = fmin(lo_v, target->value);
        hi_v = fmax(hi_v, target->value);
        if (valid_day(target->day)) days[ndays++] = target->day;
    }
    bool years_only = ndays > 0;
    int32_t lo_d = 0, hi_d = 0;
    for (size_t i = 0; i < ndays; i++) {
        years_only = years_only && year_end(days[i]);
        lo_d = i == 0 || days[i] < lo_d ? days[i] : lo_d;
        hi_d = i == 0 || days[i] > hi_d ? days[i] : hi_d;
    }
    /* One day alone sits in the middle; a flat series gets room above and below. */
    scale xs = {.lo = lo_d, .hi = hi_d, .a = LEFT + 12, .b = WIDTH - RIGHT - 12};
    if (!(lo_v <= hi_v)) lo_v = 0, hi_v = 1;
    if (lo_v == hi_v) {
        double pad = fabs(lo_v) > 0 ? fabs(lo_v) / 10 : 1;
        lo_v -= pad;
        hi_v += pad;
    }
    int decimals;
    double step = nice_step(hi_v / 4 - lo_v / 4, &decimals);
    scale ys = {.lo = lo_v, .hi = hi_v, .a = HEIGHT - BOTTOM - 8, .b = TOP};
    if (step > 0) {
        double lo = floor(lo_v / step) * step, hi = ceil(hi_v / step) * step;
        if (isfinite(lo) && isfinite(hi) && lo < hi) ys.lo = lo, ys.hi = hi;
    }
    /* Point labels get one more decimal than the axis, and at least two (5,85 %). */
    int value_decimals = decimals + 1 < 2 ? 2 : decimals + 1;

    tk_svg b;
    tk_svg_start(&b);
    tk_svg_put(&b, "<svg class=\"linechart\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" aria-label=\"", WIDTH, HEIGHT);
    tk_svg_text(&b, title);
    tk_svg_put(&b, "\" xmlns=\"http://www.w3.org/2000/svg\"><title>");
    tk_svg_text(&b, title);
    tk_svg_put(&b, "</title>");
    y_axis(&b, &ys, step, decimals, vn);
    x_axis(&b, &xs, days, ndays, years_only);
    free(days);

    if (has_target) {
        double y = map(&ys, target->value);
        tk_svg_put(&b, "<g><title>");
        tk_svg_text(&b, target->label);
        tk_svg_put(&b, ": ");
        put_number(&b, target->value, value_decimals, vn);
        tk_svg_put(&b, "</title><line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\" "
                "stroke-dasharray=\"2 3\"/>",
            LEFT, y, WIDTH - RIGHT, y, target_color);
        tk_svg_put(&b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"12\" fill=\"%s\">", WIDTH - RIGHT,
            y - 5 < TOP ? y + 15 : y - 5, target_color);
        tk_svg_text(&b, target->label);
        tk_svg_put(&b, ": ");
        put_number(&b, target->value, value_decimals, vn);
        tk_svg_put(&b, "</text></g>");
    }

    /* The series, then the projection from its last point. */
    const tk_chart_point *last = NULL;
    if (shown > 1) tk_svg_put(&b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", series_color);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(points[i].value) || !valid_day(points[i].day)) continue;
        if (shown > 1) tk_svg_put(&b, "%s%.1f,%.1f", last ? " " : "", map(&xs, points[i].day), map(&ys, points[i].value));
        if (!last || points[i].day >= last->day) last = &points[i];
    }
    if (shown > 1) tk_svg_put(&b, "\"/>");
    if (has_projection) {
        double x2 = map(&xs, projection->day), y2 = map(&ys, projection->value);
        tk_svg_put(&b, "<g><title>");
        tk_svg_text(&b, projection->label);
        tk_svg_put(&b, ": ");
        put_number(&b, projection->value, value_decimals, vn);
        tk_svg_put(&b, "</title>");
        if (last)
            tk_svg_put(&b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\" "
                    "stroke-dasharray=\"6 4\"/>",
                map(&xs, last->day), map(&ys, last->value), x2, y2, series_color);
        tk_svg_put(&b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"2\" "
                "transform=\"rotate(45 %.1f %.1f)\"/></g>",
            x2 - 4, y2 - 4, series_color, x2, y2);
    }
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(points[i].value) || !valid_day(points[i].day)) continue;
        tk_svg_put(&b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" stroke=\"%s\" stroke-width=\"2\">",
            map(&xs, points[i].day), map(&ys, points[i].value), points[i].is_estimate ? "#ffffff" : series_color,
            series_color);
        point_title(&b, points[i].day, points[i].value, value_decimals, vn);
        tk_svg_put(&b, "</circle>");
    }
    tk_svg_put(&b, "</svg>");
    return tk_svg_finish(&b);
}

/* ---- sparklines ---- */

enum { SPARK_W = 120, SPARK_H = 30, SPARK_PAD = 3 };

char *tk_chart_sparkline(const double *values, size_t n, const char *title)
{
    size_t shown = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i])) continue;
        lo = fmin(lo, values[i]);
        hi = fmax(hi, values[i]);
        shown++;
    }
    scale xs = {.lo = 0, .hi = shown > 1 ? (double)(shown - 1) : 0, .a = SPARK_PAD, .b = SPARK_W - SPARK_PAD};
    scale ys = {.lo = lo, .hi = hi, .a = SPARK_H - SPARK_PAD, .b = SPARK_PAD};
    tk_svg b;
    tk_svg_start(&b);
    tk_svg_put(&b, "<svg class=\"sparkline\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"", SPARK_W,
        SPARK_H, SPARK_W, SPARK_H);
    tk_svg_text(&b, title);
    tk_svg_put(&b, "\" xmlns=\"http://www.w3.org/2000/svg\"><title>");
    tk_svg_text(&b, title);
    tk_svg_put(&b, "</title>");
    double x = 0, y = 0;
    size_t k = 0;
    if (shown > 1) tk_svg_put(&b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", series_color);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i])) continue;
        x = map(&xs, (double)k);
        y = map(&ys, values[i]);
        if (shown > 1) tk_svg_put(&b, "%s%.1f,%.1f", k ? " " : "", x, y);
        k++;
    }
    if (shown > 1) tk_svg_put(&b, "\"/>");
    if (shown > 0) tk_svg_put(&b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>", x, y, series_color);
    tk_svg_put(&b, "</svg>");
    return tk_svg_finish(&b);
}
