/* A growing buffer for SVG text, shared by the charts: printf-style appends, escaped text, and
 * one failure flag checked at the end instead of after every append. */
#ifndef TK_IO_SVG_H
#define TK_IO_SVG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct tk_svg {
    char *data;
    size_t len, cap;
    bool failed; /* an allocation failed: finish() answers NULL */
} tk_svg;

void tk_svg_start(tk_svg *b);
void tk_svg_put(tk_svg *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text from the database, escaped for XML text and attributes; the C0 controls XML cannot
 * carry at all are dropped. */
void tk_svg_text(tk_svg *b, const char *s);
/* The text (new, free()), or NULL when an append failed. */
char *tk_svg_finish(tk_svg *b);

#endif
