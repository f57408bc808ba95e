/* The web pages: each handler calls the same service functions as the API and renders a
 * template over what they return, with display fields (dates as dd/mm/yyyy, labels from the
 * message catalog) added beside the API's own members. */
#ifndef TK_HTTP_PAGES_H
#define TK_HTTP_PAGES_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "http/web.h"
#include "service/context.h"

typedef struct tk_page_request {
    tk_ctx *ctx;
    const tk_web *web;
    const char *lang;      /* "vi" or "en" */
    const json_t *t;       /* the message catalog of lang (borrowed) */
    const char *path;
    json_t *query;         /* borrowed */
    json_t *form;          /* a POST's fields, or NULL (borrowed) */
    int64_t ids[2];
} tk_page_request;

typedef struct tk_page_reply {
    int status;            /* 200 unless set */
    const char *page;      /* the template to render, or NULL for a redirect */
    json_t *context;       /* what the page shows (new reference; the caller adds the common parts) */
    char location[512];    /* where a redirect goes (303 after a POST) */
} tk_page_reply;

typedef tk_code (*tk_page_handler)(tk_page_request *req, tk_page_reply *reply, tk_error *err);

typedef struct tk_page_route {
    const char *method;
    const char *pattern;
    tk_page_handler handler;
} tk_page_route;

extern const tk_page_route tk_page_routes[];

/* Adds the members every page has (lang, t, path, other language) to context. */
void tk_page_common(const tk_page_request *req, json_t *context);

#endif
