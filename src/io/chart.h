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

#endif
