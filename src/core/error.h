/* Error codes and the error record every layer fills.
 *
 * One enum for the whole program (as curl's CURLcode): values are never renumbered, and
 * tk_code_name() gives each a stable string that programs match on ("invalid_input", ...).
 * The layer that knows what went wrong fills a tk_error: the code, the field it is about
 * (a JSON field name such as "due", or "" when it is about the whole request) and a message
 * for a person, in Vietnamese. */
#ifndef TK_CORE_ERROR_H
#define TK_CORE_ERROR_H

#include <stddef.h>

typedef enum tk_code {
    TK_OK = 0,
    TK_INVALID_INPUT = 1,   /* a value is missing, of the wrong type or out of range */
    TK_INVALID_UTF8 = 2,    /* text that is not valid UTF-8 */
    TK_INVALID_JSON = 3,    /* a body that is not JSON, or not an object */
    TK_INVALID_PERIOD = 4,  /* a period or date text the reader does not accept */
    TK_NOT_FOUND = 5,       /* no object with that id (or a referenced id does not exist) */
    TK_CONFLICT = 6,        /* the change contradicts stored data (duplicate, still referenced) */
    TK_TOO_LARGE = 7,       /* a body or a value over its limit */
    TK_UNSUPPORTED = 8,     /* a method, media type or operation that is not offered */
    TK_STORAGE = 9,         /* the database failed */
    TK_NO_MEMORY = 10,
    TK_IO = 11,             /* a file or socket failed */
    TK_INTERNAL = 12,       /* a bug: should never reach a person */
    TK_UNAUTHORIZED = 13,   /* not signed in, or the session or token is no longer valid */
    TK_FORBIDDEN = 14,      /* signed in, and the object is visible, but this change is not allowed */
    TK_RATE_LIMITED = 15,   /* too many failed sign-ins: wait before trying again */
    TK_CODE_COUNT
} tk_code;

enum { TK_ERROR_FIELD_MAX = 64, TK_ERROR_MESSAGE_MAX = 512 };

typedef struct tk_error {
    tk_code code;
    char field[TK_ERROR_FIELD_MAX];
    char message[TK_ERROR_MESSAGE_MAX];
} tk_error;

/* The stable name of a code, e.g. "not_found". Borrowed, static. */
const char *tk_code_name(tk_code code);

/* The HTTP status the edge answers for a code (400, 404, 409, 413, 500, ...). */
int tk_code_http_status(tk_code code);

/* Fills err (when err is not NULL) and returns code, so a caller can write
 * `return tk_error_set(err, TK_INVALID_INPUT, "title", "Thiếu tên nhiệm vụ");`.
 * field may be NULL. The message is a printf format. */
tk_code tk_error_set(tk_error *err, tk_code code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Resets err to TK_OK with empty field and message. */
void tk_error_clear(tk_error *err);

#endif
