/* A small builder for SQL text made of fixed identifiers and `?` placeholders. Values never go
 * into the text: callers append names from their static descriptions and bind every value. */
#ifndef TK_STORE_SQLBUF_H
#define TK_STORE_SQLBUF_H

#include <stdbool.h>
#include <stddef.h>

enum { TK_SQLBUF_MAX = 4096 };

typedef struct tk_sqlbuf {
    char text[TK_SQLBUF_MAX];
    size_t len;
    bool overflow; /* set when an append did not fit; the text must not be used */
} tk_sqlbuf;

void tk_sqlbuf_init(tk_sqlbuf *b);
/* Appends each string argument up to a NULL. */
void tk_sqlbuf_add(tk_sqlbuf *b, ...) __attribute__((sentinel));

#endif
