/* The web interface's files: templates (web/templates/NAME.mustache), static files (web/static/)
 * and message catalogs (web/i18n/<lang>.json, plus <lang>.<part>.json files merged into it). They are built into the binary; a directory can
 * be given instead so they can be edited without rebuilding. */
#ifndef TK_HTTP_WEB_H
#define TK_HTTP_WEB_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

typedef struct tk_web tk_web; /* immutable once opened; shared by all threads */

typedef struct tk_web_static {
    const char *name;         /* "app.css" */
    const char *content_type;
    const char *data;
    size_t size;
    char *gzip;               /* the same, gzip-compressed, or NULL when that saves nothing */
    size_t gzip_size;
    char etag[24];            /* a quoted hash of the content */
} tk_web_static;

/* Loads everything from dir, or from the built-in copy when dir is NULL. Every template is
 * parsed here, so a broken template stops the server at start-up. */
tk_code tk_web_open(const char *dir, tk_web **out, tk_error *err);
void tk_web_close(tk_web *web);

/* A static file by its name under static/, or NULL. Borrowed. */
const tk_web_static *tk_web_static_get(const tk_web *web, const char *name);

/* The catalog for lang ("vi", "en"); Vietnamese when lang is unknown. Borrowed. */
const json_t *tk_web_catalog(const tk_web *web, const char *lang);

/* Renders templates/layout.mustache over context, with the partial "content" standing for
 * templates/<page>.mustache. *out is new (free()). */
tk_code tk_web_render(const tk_web *web, const char *page, const json_t *context, char **out, size_t *len,
                      tk_error *err);

#endif
