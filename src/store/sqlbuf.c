#include "store/sqlbuf.h"

#include <stdarg.h>
#include <string.h>

void tk_sqlbuf_init(tk_sqlbuf *b)
{
    b->text[0] = '\0';
    b->len = 0;
    b->overflow = false;
}

void tk_sqlbuf_add(tk_sqlbuf *b, ...)
{
    va_list ap;
    va_start(ap, b);
    const char *s;
    while ((s = va_arg(ap, const char *))) {
        size_t n = strlen(s);
        if (b->len + n + 1 > sizeof b->text) {
            b->overflow = true;
            break;
        }
        memcpy(b->text + b->len, s, n + 1);
        b->len += n;
    }
    va_end(ap);
}
