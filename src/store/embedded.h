/* Files built into the binary by cmake/embed.cmake (migrations, templates, static files). */
#ifndef TK_STORE_EMBEDDED_H
#define TK_STORE_EMBEDDED_H

#include <stddef.h>

typedef struct tk_embedded_file {
    const char *name; /* path relative to its folder, e.g. "0001_init.sql" */
    const char *data; /* NUL-terminated for convenience; size excludes the NUL */
    size_t size;
} tk_embedded_file;

/* Sorted by name; ends with an entry whose name is NULL. */
extern const tk_embedded_file tk_migrations[];
/* web/: templates/, static/ and i18n/. */
extern const tk_embedded_file tk_web_files[];

#endif
