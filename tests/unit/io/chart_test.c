/* SVG charts (src/io/chart.c, src/io/chart_line.c): well-formed XML whatever the data, text
 * escaped, a <title> as the text alternative, and every coordinate a finite number inside the
 * picture, even with no points, one point, or every point on one day or at one value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "io/chart.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int32_t day(const char *iso)
{
    tk_date d = 0;
    if (!tk_date_parse_iso(iso, &d)) fail_msg("bad date in test: %s", iso);
    return d;
}

/* Requires svg to be one well-formed <svg> element: tags nest and close, attribute values are
 * quoted and free of '<', and every '&' starts one of the entities the charts write. */
static void expect_well_formed(const char *svg, const char *what)
{
    char stack[64][32];
    int depth = 0;
    bool opened = false;
    const char *p = svg;
    if (strncmp(p, "<svg ", 5) != 0) fail_msg("%s: does not start with <svg", what);
    while (*p) {
        if (*p == '&') {
            static const char *const entities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
            bool known = false;
            for (size_t i = 0; i < COUNT(entities); i++) known = known || strncmp(p, entities[i], strlen(entities[i])) == 0;
            if (!known) fail_msg("%s: a bare '&' at \"%.20s\"", what, p);
            p++;
            continue;
        }
        if (*p == '>') fail_msg("%s: a bare '>' in text at \"%.20s\"", what, p);
        if (*p != '<') {
            p++;
            continue;
        }
        if (depth == 0 && opened) fail_msg("%s: content after the closing </svg>", what);
        bool closing = p[1] == '/';
        const char *name = p + (closing ? 2 : 1);
        size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyz");
        if (len == 0 || len >= 32) fail_msg("%s: a tag without a name at \"%.20s\"", what, p);
        const char *q = name + len;
        bool self_closing = false;
        while (*q && *q != '>') {
            if (*q == '"') {
                const char *end = strchr(q + 1, '"');
                if (!end) fail_msg("%s: an attribute value not closed", what);
                if (memchr(q + 1, '<', (size_t)(end - q - 1))) fail_msg("%s: '<' inside an attribute", what);
                q = end + 1;
                continue;
            }
            if (*q == '<') fail_msg("%s: '<' inside a tag", what);
            if (*q == '/' && q[1] == '>') self_closing = true;
            q++;
        }
        if (!*q) fail_msg("%s: a tag not closed", what);
        if (closing) {
            if (depth == 0 || strlen(stack[depth - 1]) != len || strncmp(stack[depth - 1], name, len) != 0)
                fail_msg("%s: </%.*s> closes %s", what, (int)len, name, depth ? stack[depth - 1] : "nothing");
            depth--;
        } else if (!self_closing) {
            if (depth == 64) fail_msg("%s: nested too deep", what);
            memcpy(stack[depth], name, len);
            stack[depth][len] = '\0';
            depth++;
            opened = true;
        }
        p = q + 1;
    }
    if (depth != 0) fail_msg("%s: %d element(s) left open, the last <%s>", what, depth, stack[depth - 1]);
}

/* Every coordinate attribute (x, y, cx, cy, x1..y2, width, height of shapes, points) holds finite
 * numbers within the viewBox of width w and height h (with a little slack for strokes). */
static void expect_coordinates_inside(const char *svg, double w, double h, const char *what)
{
    static const struct {
        const char *attr;
        bool horizontal;
    } attrs[] = {{" x=\"", true},   {" y=\"", false},  {" cx=\"", true},  {" cy=\"", false}, {" x1=\"", true},
                 {" y1=\"", false}, {" x2=\"", true},  {" y2=\"", false}};
    for (size_t a = 0; a < COUNT(attrs); a++) {
        for (const char *p = strstr(svg, attrs[a].attr); p; p = strstr(p + 1, attrs[a].attr)) {
            const char *s = p + strlen(attrs[a].attr);
            char *end;
            double v = strtod(s, &end);
            double limit = attrs[a].horizontal ? w : h;
            if (end == s || *end != '"' || !isfinite(v) || v < -10 || v > limit + 10)
                fail_msg("%s: %s%.12s is not a coordinate inside %gx%g", what, attrs[a].attr, s, w, h);
        }
    }
    for (const char *p = strstr(svg, " points=\""); p; p = strstr(p + 1, " points=\"")) {
        const char *s = p + 9;
        while (*s != '"') {
            char *end;
            double x = strtod(s, &end);
            if (end == s || *end != ',') fail_msg("%s: bad points list at \"%.20s\"", what, s);
            s = end + 1;
            double y = strtod(s, &end);
            if (end == s || !isfinite(x) || !isfinite(y) || x < 0 || x > w || y < 0 || y > h)
                fail_msg("%s: point %g,%g outside %gx%g", what, x, y, w, h);
            s = end;
            while (*s == ' ') s++;
        }
    }
    char lower[1 << 16];
    size_t n = strlen(svg) < sizeof lower - 1 ? strlen(svg) : sizeof lower - 1;
    for (size_t i = 0; i < n; i++) lower[i] = (char)tolower((unsigned char)svg[i]);
    lower[n] = '\0';
    if (strstr(lower, "nan") || strstr(lower, "inf")) fail_msg("%s: NaN or infinity written out", what);
}

static size_t occurrences(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

/* ---- line charts ---- */

typedef struct series {
    const char *what;
    struct {
        const char *on;
        double value;
        bool is_estimate;
    } points[6];
    size_t n;
    bool projection, target;
} series;

static const series shapes[] = {
    {"no points, nothing else", {{NULL, 0, false}}, 0, false, false},
    {"no points, a target and a projection", {{NULL, 0, false}}, 0, true, true},
    {"one point", {{"2021-12-31", 5.8, true}}, 1, false, false},
    {"one point and a target", {{"2021-12-31", 5.8, false}}, 1, false, true},
    {"every point on one day", {{"2021-12-31", 5.8, false}, {"2021-12-31", 6.0, false}}, 2, true, true},
    {"every point at one value", {{"2021-12-31", 7, false}, {"2022-12-31", 7, false}, {"2023-12-31", 7, false}}, 3,
     true, false},
    {"zero everywhere", {{"2021-12-31", 0, false}, {"2022-12-31", 0, false}}, 2, false, false},
    {"a NaN and an infinity among the points",
     {{"2021-12-31", 5.8, false}, {"2022-12-31", NAN, false}, {"2023-12-31", INFINITY, false}, {"2024-12-31", 6.4, true}},
     4, true, true},
    {"huge values of both signs", {{"2021-12-31", -1.7e308, false}, {"2022-12-31", 1.7e308, false}}, 2, true, true},
    {"tiny differences", {{"2021-03-31", 1e-9, false}, {"2021-06-30", 2e-9, false}, {"2021-09-30", 3e-9, false}}, 3,
     false, false},
    {"a typical quarterly series",
     {{"2021-03-31", 1.2, false}, {"2021-06-30", 2.9, false}, {"2021-09-30", 4.1, false}, {"2021-12-31", 5.8, true}}, 4,
     true, true},
};

static char *draw(const series *s, const char *title, bool vietnamese)
{
    tk_chart_point points[6];
    for (size_t i = 0; i < s->n; i++)
        points[i] = (tk_chart_point){day(s->points[i].on), s->points[i].value, s->points[i].is_estimate};
    tk_chart_mark projection = {day("2025-12-31"), 7.5, "Dự báo 2025"};
    tk_chart_mark target = {day("2025-12-31"), 7.0, "Mục tiêu 2025"};
    return tk_chart_line(points, s->n, s->projection ? &projection : NULL, s->target ? &target : NULL, title,
                         vietnamese);
}

static void every_shape_of_series_draws_a_clean_picture(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(shapes); i++) {
        char *svg = draw(&shapes[i], "Tốc độ tăng trưởng GRDP", true);
        assert_non_null(svg);
        expect_well_formed(svg, shapes[i].what);
        expect_coordinates_inside(svg, 480, 260, shapes[i].what);
        if (!strstr(svg, "<title>Tốc độ tăng trưởng GRDP</title>")) fail_msg("%s: no <title>", shapes[i].what);
        if (!strstr(svg, "role=\"img\"")) fail_msg("%s: not marked as an image", shapes[i].what);
        /* Colours are attributes: the Content-Security-Policy allows no inline style. */
        if (strstr(svg, "style=")) fail_msg("%s: inline style", shapes[i].what);
        free(svg);
    }
}

static void a_hostile_title_and_labels_are_escaped(void **state)
{
    (void)state;
    const char *hostile = "</title><script>alert(\"x\")</script>&nbsp;'\x01";
    tk_chart_point points[] = {{day("2021-12-31"), 1, false}, {day("2022-12-31"), 2, false}};
    tk_chart_mark projection = {day("2025-12-31"), 5, "<b>dự báo</b>"};
    tk_chart_mark target = {day("2025-12-31"), 4, "\"><script>"};
    char *svg = tk_chart_line(points, 2, &projection, &target, hostile, true);
    assert_non_null(svg);
    expect_well_formed(svg, "hostile line chart");
    assert_null(strstr(svg, "<script"));
    assert_null(strstr(svg, "<b>"));
    assert_null(strstr(svg, "\x01"));
    assert_non_null(strstr(svg, "&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;nbsp;&#39;"));
    assert_non_null(strstr(svg, "&lt;b&gt;dự báo&lt;/b&gt;"));
    free(svg);

    double values[] = {1, 2, 3};
    svg = tk_chart_sparkline(values, 3, hostile);
    assert_non_null(svg);
    expect_well_formed(svg, "hostile sparkline");
    assert_null(strstr(svg, "<script"));
    assert_non_null(strstr(svg, "aria-label=\"&lt;/title&gt;"));
    free(svg);
}

static void the_parts_of_the_chart_are_drawn(void **state)
{
    (void)state;
    char *svg = draw(&shapes[COUNT(shapes) - 1], "Chỉ tiêu", true);
    assert_non_null(svg);
    /* Four dots, one hollow for the estimate; a line through them; the projection dashed to the
     * milestone; the target as a horizontal line with its label. */
    assert_int_equal(occurrences(svg, "<circle "), 4);
    assert_int_equal(occurrences(svg, "fill=\"#ffffff\" stroke=\"#1d70b8\""), 2); /* the estimate, the diamond */
    assert_int_equal(occurrences(svg, "<polyline "), 1);
    assert_non_null(strstr(svg, "stroke-dasharray=\"6 4\""));
    assert_non_null(strstr(svg, "Mục tiêu 2025: 7</text>"));
    assert_non_null(strstr(svg, "<title>Dự báo 2025: 7,5</title>"));
    /* A point's title in the Vietnamese style of dates and numbers. */
    assert_non_null(strstr(svg, "<title>31/12/2021: 5,8</title>"));
    /* Quarter ends are not year ends: the axis says dd/mm/yyyy. */
    assert_non_null(strstr(svg, ">31/03/2021</text>"));
    free(svg);

    svg = draw(&shapes[COUNT(shapes) - 1], "Indicator", false);
    assert_non_null(strstr(svg, "<title>31/12/2021: 5.8</title>"));
    assert_non_null(strstr(svg, "<title>Dự báo 2025: 7.5</title>"));
    free(svg);
}

static void year_end_series_are_labelled_by_year(void **state)
{
    (void)state;
    tk_chart_point points[] = {{day("2021-12-31"), 5.0, false},
                               {day("2022-12-31"), 5.5, false},
                               {day("2023-12-31"), 6.0, false},
                               {day("2024-12-31"), 6.5, true}};
    tk_chart_mark projection = {day("2025-12-31"), 7.0, "Dự báo 2025"};
    char *svg = tk_chart_line(points, 4, &projection, NULL, "GRDP", true);
    assert_non_null(svg);
    expect_well_formed(svg, "annual");
    assert_non_null(strstr(svg, ">2021</text>"));
    assert_non_null(strstr(svg, ">2025</text>"));
    assert_null(strstr(svg, ">31/12/2021</text>"));
    /* The axis runs in nice steps, written the Vietnamese way: 5 ... 7 by 0,5. */
    assert_non_null(strstr(svg, ">5,5</text>"));
    free(svg);
}

static void labels_do_not_pile_up_on_a_long_series(void **state)
{
    (void)state;
    tk_chart_point points[80];
    for (int i = 0; i < 80; i++) points[i] = (tk_chart_point){day("2001-03-31") + i * 91, i * 1.5, false};
    char *svg = tk_chart_line(points, 80, NULL, NULL, "Dài", true);
    assert_non_null(svg);
    expect_well_formed(svg, "long series");
    expect_coordinates_inside(svg, 480, 260, "long series");
    /* dd/mm/yyyy labels need ~76 px each on a plot under 400 px wide. */
    size_t labels = occurrences(svg, "text-anchor=\"middle\"");
    if (labels < 2 || labels > 6) fail_msg("%zu date labels", labels);
    free(svg);
}

/* ---- sparklines ---- */

static void sparklines_of_every_shape(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        double values[5];
        size_t n;
        size_t want_polylines, want_dots;
    } cases[] = {
        {"none", {0}, 0, 0, 0},
        {"one", {5.8}, 1, 0, 1},
        {"equal", {3, 3, 3}, 3, 1, 1},
        {"rising", {1, 2, 3, 4, 5}, 5, 1, 1},
        {"only NaN", {NAN, NAN}, 2, 0, 0},
        {"NaN among them", {1, NAN, 3, INFINITY, 2}, 5, 1, 1},
        {"huge", {-1.7e308, 1.7e308}, 2, 1, 1},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        char *svg = tk_chart_sparkline(cases[i].values, cases[i].n, "Xu hướng");
        assert_non_null(svg);
        expect_well_formed(svg, cases[i].what);
        expect_coordinates_inside(svg, 120, 30, cases[i].what);
        assert_non_null(strstr(svg, "width=\"120\" height=\"30\""));
        assert_non_null(strstr(svg, "<title>Xu hướng</title>"));
        if (occurrences(svg, "<polyline ") != cases[i].want_polylines) fail_msg("%s: polylines", cases[i].what);
        if (occurrences(svg, "<circle ") != cases[i].want_dots) fail_msg("%s: dots", cases[i].what);
        free(svg);
    }
}

/* ---- the older charts keep the same promises ---- */

static void donut_and_bars_escape_their_labels(void **state)
{
    (void)state;
    tk_chart_slice slices[] = {{"<i>a</i>", 3, "#00703c"}, {"b&c", 0, "#d4351c"}};
    char *svg = tk_chart_donut(slices, 2, "\"donut\"", "Tổng <số>");
    assert_non_null(svg);
    expect_well_formed(svg, "donut");
    assert_null(strstr(svg, "<i>"));
    free(svg);
    tk_chart_bar bars[] = {{"01 <x>", 40}, {"02", NAN}, {"03", 250}};
    svg = tk_chart_bars(bars, 3, "bars & more");
    assert_non_null(svg);
    expect_well_formed(svg, "bars");
    expect_coordinates_inside(svg, 340, 3 * 28 + 4, "bars");
    free(svg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_shape_of_series_draws_a_clean_picture),
        cmocka_unit_test(a_hostile_title_and_labels_are_escaped),
        cmocka_unit_test(the_parts_of_the_chart_are_drawn),
        cmocka_unit_test(year_end_series_are_labelled_by_year),
        cmocka_unit_test(labels_do_not_pile_up_on_a_long_series),
        cmocka_unit_test(sparklines_of_every_shape),
        cmocka_unit_test(donut_and_bars_escape_their_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
