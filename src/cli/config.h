/* Settings, described once (as redis does): each has a name, a default, an environment
 * variable and a flag. Values come from the defaults, then a config file (--config FILE, lines
 * "name = value"), then the environment (TK_*), then the command line. `trienkhai config`
 * prints the effective values. */
#ifndef TK_CLI_CONFIG_H
#define TK_CLI_CONFIG_H

#include <stdbool.h>

#include "core/error.h"

typedef struct tk_config {
    char db[1024];
    char listen[64];
    int port;
    int threads;
    char port_file[1024];
    char web_dir[1024];
    int secure_cookies;
    /* Reminders (service/remind.h) and the SMTP server they go out through; no smtp_url: in
     * the app only. */
    char smtp_url[512];
    char smtp_user[256];
    char smtp_password[256];
    char smtp_from[256];
    char smtp_from_name[256];
    int smtp_tls;
    int remind_days_before;
} tk_config;

/* Fills config from defaults, file, environment and the flags in argv (which it consumes:
 * recognized flags are removed, argc updated). Unknown flags stay for the command. */
tk_code tk_config_load(tk_config *config, int *argc, char **argv, tk_error *err);

/* Prints every setting with its value and where it came from. */
void tk_config_print(const tk_config *config);

#endif
