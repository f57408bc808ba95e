/* The subcommands of `trienkhai`. Each takes the arguments from the subcommand's name on
 * (argv[0] is "period" for `trienkhai period ...`), with the settings of cli/config.h already
 * read, and returns the process exit status: 0 done, 1 refused or failed, 2 misused. */
#ifndef TK_CLI_COMMANDS_H
#define TK_CLI_COMMANDS_H

#include "cli/config.h"
#include "service/context.h"

/* `trienkhai period TEXT...`: prints how the period reader reads TEXT. */
int tk_cmd_period(int argc, char **argv);

/* `trienkhai serve`: serves the web interface and the API. */
int tk_cmd_serve(const tk_config *config, int argc, char **argv);
/* `trienkhai migrate`: creates the database or brings its schema up to date. */
int tk_cmd_migrate(const tk_config *config, int argc, char **argv);
/* `trienkhai demo`: creates a new database filled with the demo data. */
int tk_cmd_demo(const tk_config *config, int argc, char **argv);
/* `trienkhai task list|show|update|extend ...` */
int tk_cmd_task(const tk_config *config, int argc, char **argv);
/* `trienkhai org list|show ...` */
int tk_cmd_org(const tk_config *config, int argc, char **argv);
/* `trienkhai dashboard --org ID [--on DATE]` */
int tk_cmd_dashboard(const tk_config *config, int argc, char **argv);
/* `trienkhai report status --schedule ID --period KEY [--org ID] [--json]` */
int tk_cmd_report(const tk_config *config, int argc, char **argv);
/* `trienkhai remind [--dry-run] [--json] [--today DATE]` */
int tk_cmd_remind(const tk_config *config, int argc, char **argv);
/* `trienkhai import tasks|organizations|indicator-values FILE [--dry-run] [--json]` */
int tk_cmd_import(const tk_config *config, int argc, char **argv);

/* `trienkhai init`: the first administrator, with a one-time password. */
int tk_cmd_init(const tk_config *config, int argc, char **argv);
/* `trienkhai user add|passwd|disable|grant|revoke|list ...` */
int tk_cmd_user(const tk_config *config, int argc, char **argv);
/* `trienkhai token add|revoke ...` */
int tk_cmd_token(const tk_config *config, int argc, char **argv);
/* `trienkhai audit verify|list ...` */
int tk_cmd_audit(const tk_config *config, int argc, char **argv);

/* Opens the configured database (which must exist) into ctx as the system; 0 or 1. */
int tk_cli_open(const tk_config *config, tk_ctx *ctx, tk_error *err);

/* Prints err to stderr as "trienkhai: message (field: f; code)". */
void tk_cli_report(const tk_error *err);

#endif
