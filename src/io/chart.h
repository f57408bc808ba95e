/* Charts drawn on the server as SVG: visible with JavaScript off, printable, and each with a
 * text alternative (<title>) beside the data table the page shows. Colours are SVG attributes,
 * not style, so the Content-Security-Policy needs no inline styles. */
#ifndef TK_IO_CHART_H
#define TK_IO_CHART_H

#include <stddef.h>
#include <stdint.h>

typedef struct tk_chart_slice {
    const char *label; /* shown in the <title> of the slice */
    int64_t value;
    const char *color; /* "#1b7f3b" */
} tk_chart_slice;

/* A donut of the slices with the total in the middle. New string (free()), or NULL on
 * allocation failure. title is the chart's text alternative. */
char *tk_chart_donut(const tk_chart_slice *slices, size_t n, const char *title, const char *center_label);

typedef struct tk_chart_bar {
    const char *label;
    double percent; /* 0..100 */
} tk_chart_bar;

/* Horizontal bars from 0 to 100 %, one per item, labelled. New string (free()). */
char *tk_chart_bars(const tk_chart_bar *bars, size_t n, const char *title);

/* ---- line charts of an indicator (io/chart_line.c) ---- */

#include <stdbool.h>

typedef struct tk_chart_point {
    int32_t day;      /* a tk_date: days since 1970-01-01 */
    double value;     /* points whose value is not finite are left out */
    bool is_estimate; /* drawn as a hollow dot */
} tk_chart_point;

typedef struct tk_chart_mark {
    int32_t day;       /* a tk_date: where the projection ends (the milestone's 31/12) */
    double value;
    const char *label; /* "Dự báo 2025", "Mục tiêu 2025": shown and in the mark's <title> */
} tk_chart_mark;

/* A line chart of points (ordered by day): axes with a few labelled ticks (years when every day
 * on the chart is a 31/12, else dd/mm/yyyy), the series as a polyline with a dot per point, the
 * projection (optional, NULL for none) as a dashed segment from the last point to its day, and
 * the target (optional) as a horizontal line at its value. Numbers are written "5,8" when
 * vietnamese_numbers, else "5.8". title is the chart's text alternative; the page shows the
 * data table beside it. New string (free()), or NULL on allocation failure. */
char *tk_chart_line(const tk_chart_point *points, size_t n, const tk_chart_mark *projection,
                    const tk_chart_mark *target, const char *title, bool vietnamese_numbers);

/* A small line (120 × 30) of values in order, the last one marked, for a row of a table.
 * Values that are not finite are left out. New string (free()), or NULL on allocation failure. */
char *tk_chart_sparkline(const double *values, size_t n, const char *title);

#endif
