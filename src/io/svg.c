#include "io/svg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void tk_svg_start(tk_svg *b)
{
    b->cap = 2048;
    b->len = 0;
    b->failed = false;
    b->data = malloc(b->cap);
    if (!b->data) b->failed = true;
    else b->data[0] = '\0';
}

void tk_svg_put(tk_svg *b, const char *fmt, ...)
{
    if (b->failed) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = true;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap + (size_t)n + 1) * 2;
        char *grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = true;
            return;
        }
        b->data = grown;
        b->cap = cap;
    }
}

void tk_svg_text(tk_svg *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': tk_svg_put(b, "&amp;"); break;
        case '<': tk_svg_put(b, "&lt;"); break;
        case '>': tk_svg_put(b, "&gt;"); break;
        case '"': tk_svg_put(b, "&quot;"); break;
        case '\'': tk_svg_put(b, "&#39;"); break;
        default:
            if (c >= 0x20 || c == '\t' || c == '\n') tk_svg_put(b, "%c", *s);
        }
    }
}

char *tk_svg_finish(tk_svg *b)
{
    if (b->failed) {
        free(b->data);
        b->data = NULL;
        return NULL;
    }
    return b->data;
}
