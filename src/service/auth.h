/* Accounts, role grants on organization subtrees, sign-in, sessions, API tokens, and the
 * permission checks every use case makes. A grant is a role on an organization and everything
 * below it:
 *   admin      everything
 *   office     the committee office: follows its subtree, creates documents, programs, tasks,
 *              approves deadline extensions
 *   editor     reports progress on the tasks its units lead or coordinate, keeps indicator values
 *   leader     reads its subtree, approves deadline extensions
 *   inspector  reads its subtree (and records inspection findings)
 *   viewer     reads its subtree
 * Objects outside every grant are invisible (TK_NOT_FOUND); a visible object the caller may not
 * change answers TK_FORBIDDEN. */
#ifndef TK_SERVICE_AUTH_H
#define TK_SERVICE_AUTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "service/context.h"

typedef enum tk_role {
    TK_ROLE_ADMIN = 0,
    TK_ROLE_OFFICE,
    TK_ROLE_EDITOR,
    TK_ROLE_LEADER,
    TK_ROLE_INSPECTOR,
    TK_ROLE_VIEWER,
    TK_ROLE_COUNT
} tk_role;

#define TK_ROLE_BIT(r) (1u << (r))

enum { TK_CALLER_MAX_GRANTS = 64, TK_TOKEN_HEX = 65 };

/* Who is asking, as the edge found out from a session cookie or a bearer token. */
struct tk_caller {
    int64_t user_id;
    char login[64];
    char display_name[128];
    bool must_change_password;
    int64_t session_id;       /* 0 when the caller came with an API token */
    char csrf[TK_TOKEN_HEX];  /* the session's CSRF token ("" for API tokens) */
    size_t grant_count;
    struct {
        tk_role role;
        int64_t org_id;
    } grants[TK_CALLER_MAX_GRANTS];
};

const char *tk_role_name(tk_role role);
bool tk_role_from_name(const char *name, tk_role *out);

/* True when the caller holds one of `roles` (a set of TK_ROLE_BIT) on org_id or one of its
 * ancestors; admin holds every role everywhere. The system (caller NULL) may do everything. */
tk_code tk_auth_has_role(tk_ctx *ctx, unsigned roles, int64_t org_id, bool *out, tk_error *err);
/* True when the caller is an admin (or the system). */
bool tk_auth_is_admin(const tk_ctx *ctx);

/* Where the caller's pages start (the dashboard's default unit): the organization of their first
 * grant; 0 for admins and the system, who start at the top of the tree. */
int64_t tk_auth_home_org(const tk_ctx *ctx);

/* The organizations at the top of the caller's grants as a JSON array text "[3,17]" for SQL's
 * json_each(?); NULL for the system and admins (no restriction). New string (free()). */
char *tk_auth_scope_json(const tk_ctx *ctx);

/* ---- accounts (admin only, or the system) ---- */

typedef struct tk_grant_spec {
    tk_role role;
    int64_t org_id; /* 0 for admin */
} tk_grant_spec;

/* Creates an account, with its first grant when grant is not NULL, in one transaction. */
tk_code tk_user_create(tk_ctx *ctx, const char *login, const char *display_name, const char *password,
                       bool must_change, const tk_grant_spec *grant, int64_t *id, tk_error *err);
tk_code tk_user_set_password(tk_ctx *ctx, int64_t user_id, const char *password, bool must_change, tk_error *err);
tk_code tk_user_disable(tk_ctx *ctx, int64_t user_id, tk_error *err);
/* The address reminders are e-mailed to (service/remind.h); NULL or "" removes it. */
tk_code tk_user_set_email(tk_ctx *ctx, int64_t user_id, const char *email, tk_error *err);
tk_code tk_user_find(tk_ctx *ctx, const char *login, int64_t *id, tk_error *err);
/* org_id is 0 for admin (over everything) and names the subtree for every other role. */
tk_code tk_user_grant(tk_ctx *ctx, int64_t user_id, tk_role role, int64_t org_id, int64_t *grant_id, tk_error *err);
tk_code tk_user_revoke(tk_ctx *ctx, int64_t grant_id, tk_error *err);
/* Users with their active grants: {"items":[{id, login, display_name, disabled, grants:[...]}]}. */
tk_code tk_user_list(tk_ctx *ctx, json_t **out, tk_error *err);

/* Fills *out with 256 random bits as 64 hex digits. */
tk_code tk_random_token(char out[TK_TOKEN_HEX], tk_error *err);

/* ---- sign-in, sessions and tokens ---- */

/* Checks login and password (throttled per account and per client address: a slow-down, then a
 * temporary lock) and opens a session. token receives the cookie value. Refusals say only that
 * the login or password is wrong, and are written to the audit log. */
tk_code tk_auth_sign_in(tk_ctx *ctx, const char *login, const char *password, char token[TK_TOKEN_HEX],
                        tk_error *err);
/* The caller of a session cookie; TK_UNAUTHORIZED when it is unknown, ended or timed out
 * (idle 8 hours, absolute 7 days). Touches its last-seen time. */
tk_code tk_auth_session(tk_ctx *ctx, const char *token, tk_caller *out, tk_error *err);
tk_code tk_auth_sign_out(tk_ctx *ctx, int64_t session_id, tk_error *err);
/* Changes the caller's own password (the old one is checked) and ends their other sessions. */
tk_code tk_auth_change_password(tk_ctx *ctx, const char *old_password, const char *new_password, tk_error *err);

/* True when a state-changing request carries the session's CSRF token (compared in constant
 * time). Callers that came with an API token need none: a browser never sends one by itself. */
bool tk_auth_csrf_ok(const tk_caller *caller, const char *sent);
/* Two secrets compared in time that does not depend on where they differ; false when either is
 * empty. */
bool tk_auth_token_equal(const char *a, const char *b);

/* The caller: {user_id, login, display_name, must_change_password, is_admin,
 * grants:[{role, org_id, org_name}]}. TK_UNAUTHORIZED for no caller. */
tk_code tk_auth_whoami(tk_ctx *ctx, json_t **out, tk_error *err);

/* A bearer token for scripts, acting as its user; shown once (token), stored as a hash. */
tk_code tk_token_create(tk_ctx *ctx, int64_t user_id, const char *name, char token[TK_TOKEN_HEX], int64_t *id,
                        tk_error *err);
tk_code tk_token_revoke(tk_ctx *ctx, int64_t token_id, tk_error *err);
tk_code tk_auth_bearer(tk_ctx *ctx, const char *token, tk_caller *out, tk_error *err);

#endif
