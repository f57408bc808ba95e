/* The route table of the JSON API. */
#ifndef TK_HTTP_API_H
#define TK_HTTP_API_H

#include <stdbool.h>

#include "http/request.h"

typedef struct tk_route {
    const char *method;
    const char *pattern; /* "/api/v1/tasks/{id}/updates": {id} matches a positive integer */
    tk_handler handler;
    bool open; /* answers without a session or token (health checks) */
} tk_route;

/* Ends with an entry whose method is NULL. */
extern const tk_route tk_api_routes[];

#endif
