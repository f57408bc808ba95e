/* What a route handler receives and returns. */
#ifndef TK_HTTP_REQUEST_H
#define TK_HTTP_REQUEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "service/context.h"

enum { TK_ROUTE_MAX_IDS = 2, TK_ROUTE_KEY_MAX = 16 };

typedef struct tk_request {
    tk_ctx *ctx;
    const char *method;
    const char *path;
    json_t *query; /* the query string as an object of strings (borrowed) */
    json_t *body;  /* the parsed JSON body, or NULL when there was none (borrowed) */
    /* The body as received, for the routes that take a file rather than JSON (server.c:
     * takes_file): body is then NULL. Borrowed; NULL and 0 when there was none. */
    const char *raw_body;
    size_t raw_size;
    const char *content_type; /* the Content-Type header, or NULL */
    int64_t ids[TK_ROUTE_MAX_IDS]; /* the {id} segments of the path, in order */
    char key[TK_ROUTE_KEY_MAX];    /* the {key} segment of the path ("2021-Q2"), or "" */
} tk_request;

typedef struct tk_reply {
    int status;   /* 200 unless the handler sets another */
    json_t *body; /* new reference, or NULL for no body */
    char location[128]; /* Location header for 201 answers, or "" */
} tk_reply;

typedef tk_code (*tk_handler)(tk_request *req, tk_reply *reply, tk_error *err);

#endif
