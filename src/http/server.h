/* The HTTP server: libmicrohttpd with a thread pool; every worker thread has its own database
 * connection. Routes are in http/routes.c, the JSON API handlers in http/api.c. */
#ifndef TK_HTTP_SERVER_H
#define TK_HTTP_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

typedef struct tk_server_config {
    const char *db_path;
    const char *listen;   /* an IPv4 address, "127.0.0.1" by default */
    uint16_t port;        /* 0: any free port */
    unsigned threads;
    const char *port_file; /* when set, the bound port is written there once listening */
    const char *web_dir;   /* serve templates and static files from here instead of the built-in copy */
    bool secure_cookies;   /* behind TLS: session cookies carry Secure */
} tk_server_config;

typedef struct tk_server tk_server;

/* Starts serving (in background threads). */
tk_code tk_server_start(const tk_server_config *config, tk_server **out, tk_error *err);
uint16_t tk_server_port(const tk_server *server);
void tk_server_stop(tk_server *server);

/* Serves until SIGINT or SIGTERM. */
tk_code tk_server_run(const tk_server_config *config, tk_error *err);

#endif
