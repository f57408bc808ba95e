/* Accounts from the command line: the server's administrator runs these on the machine, as the
 * system (every action is still in the audit log, as done by "system"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "service/audit.h"
#include "service/auth.h"

static int report(const tk_error *err, int status)
{
    tk_cli_report(err);
    return status;
}

/* A one-time password: 16 hex digits (64 random bits), to be changed at first sign-in. */
static tk_code one_time_password(char out[17], tk_error *err)
{
    char token[TK_TOKEN_HEX];
    tk_code rc = tk_random_token(token, err);
    if (!rc) snprintf(out, 17, "%.16s", token);
    return rc;
}

/* The value after `flag` in argv, or NULL. */
static const char *option(int argc, char **argv, const char *flag)
{
    for (int i = 0; i + 1 < argc; i++)
        if (strcmp(argv[i], flag) == 0) return argv[i + 1];
    return NULL;
}

static int parse_positive(const char *text, int64_t *out)
{
    char *end;
    long long v = text ? strtoll(text, &end, 10) : 0;
    if (!text || !*text || *end || v <= 0) return 0;
    *out = v;
    return 1;
}

int tk_cmd_init(const tk_config *config, int argc, char **argv)
{
    (void)argc, (void)argv;
    tk_error err = {0};
    tk_ctx ctx = {0};
    /* init may create the database itself: it is the first thing run on a new server. */
    if (tk_db_open(config->db, &ctx.db, &err)) return report(&err, 1);
    ctx.today = tk_ctx_today();
    tk_stmt *st = tk_db_prepare(ctx.db, "SELECT count(*) FROM grants WHERE role = 'admin' AND revoked_at IS NULL", &err);
    int status = 1;
    if (!st || tk_stmt_step(st, &err) != TK_STEP_ROW) {
        report(&err, 1);
        goto out;
    }
    if (tk_stmt_column_int(st, 0) > 0) {
        tk_stmt_reset(st);
        tk_error_set(&err, TK_CONFLICT, NULL,
                     "Đã có quản trị viên; dùng `trienkhai user add` để thêm tài khoản / an administrator exists");
        report(&err, 1);
        goto out;
    }
    tk_stmt_reset(st);
    char password[17];
    int64_t id;
    if (one_time_password(password, &err) ||
        tk_user_create(&ctx, "admin", "Quản trị hệ thống", password, true, &(tk_grant_spec){TK_ROLE_ADMIN, 0}, &id,
                       &err)) {
        report(&err, 1);
        goto out;
    }
    printf("Tài khoản quản trị / administrator: admin\n"
           "Mật khẩu dùng một lần / one-time password: %s\n"
           "(phải đổi ở lần đăng nhập đầu tiên / must be changed at first sign-in)\n",
           password);
    status = 0;
out:
    tk_db_close(ctx.db);
    return status;
}

static int user_usage(void)
{
    fputs("Cách dùng / usage:\n"
          "  trienkhai user add LOGIN --name \"Họ tên\" [--password P] [--grant ROLE:ORG_ID|admin] [--email ĐỊA_CHỈ]\n"
          "  trienkhai user email LOGIN [ĐỊA_CHỈ]          (nhận lời nhắc qua thư; không có địa chỉ: bỏ)\n"
          "  trienkhai user passwd LOGIN [--password P]   (không có --password: mật khẩu dùng một lần)\n"
          "  trienkhai user disable LOGIN\n"
          "  trienkhai user grant LOGIN ROLE [ORG_ID]     (ROLE: admin office editor leader inspector viewer)\n"
          "  trienkhai user revoke GRANT_ID\n"
          "  trienkhai user list\n",
          stderr);
    return 2;
}

/* Parses "office:12" or "admin" into a role and an organization (0 for admin). */
static tk_code parse_grant(const char *role_text, const char *org_text, tk_role *role, int64_t *org, tk_error *err)
{
    if (!tk_role_from_name(role_text, role))
        return tk_error_set(err, TK_INVALID_INPUT, "role",
                            "Vai trò \"%s\" không có (admin, office, editor, leader, inspector, viewer)", role_text);
    *org = 0;
    if (*role == TK_ROLE_ADMIN) return TK_OK;
    if (!parse_positive(org_text, org))
        return tk_error_set(err, TK_INVALID_INPUT, "org_id", "Cần mã số đơn vị cho vai trò %s", role_text);
    return TK_OK;
}

int tk_cmd_user(const tk_config *config, int argc, char **argv)
{
    if (argc < 2) return user_usage();
    const char *sub = argv[1];
    tk_error err = {0};
    tk_ctx ctx = {0};
    if (tk_cli_open(config, &ctx, &err)) return report(&err, 1);
    int status = 1;
    int64_t id = 0;
    if (strcmp(sub, "list") == 0) {
        json_t *out = NULL;
        if (tk_user_list(&ctx, &out, &err)) goto fail;
        size_t i, j;
        json_t *u, *g;
        json_array_foreach(json_object_get(out, "items"), i, u) {
            printf("%6lld  %-20s %s%s\n", (long long)json_integer_value(json_object_get(u, "id")),
                   json_string_value(json_object_get(u, "login")), json_string_value(json_object_get(u, "display_name")),
                   json_is_true(json_object_get(u, "disabled")) ? " (đã khóa / disabled)" : "");
            json_array_foreach(json_object_get(u, "grants"), j, g) {
                const char *org = json_string_value(json_object_get(g, "org_name"));
                printf("        quyền / grant %lld: %s%s%s\n", (long long)json_integer_value(json_object_get(g, "id")),
                       json_string_value(json_object_get(g, "role")), org ? " — " : "", org ? org : "");
            }
        }
        json_decref(out);
        status = 0;
    } else if (strcmp(sub, "revoke") == 0) {
        if (argc < 3 || !parse_positive(argv[2], &id)) {
            status = user_usage();
            goto out;
        }
        if (tk_user_revoke(&ctx, id, &err)) goto fail;
        printf("Đã thu hồi quyền / grant revoked: %lld\n", (long long)id);
        status = 0;
    } else if (argc >= 3 && (strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0 || strcmp(sub, "disable") == 0 ||
                             strcmp(sub, "grant") == 0 || strcmp(sub, "email") == 0)) {
        const char *login = argv[2];
        const char *given = option(argc, argv, "--password");
        char password[17] = "";
        if (strcmp(sub, "add") == 0) {
            const char *name = option(argc, argv, "--name");
            if (!given && one_time_password(password, &err)) goto fail;
            const char *grant = option(argc, argv, "--grant");
            tk_grant_spec spec;
            if (grant) {
                char role_text[32];
                snprintf(role_text, sizeof role_text, "%.*s", (int)strcspn(grant, ":"), grant);
                const char *colon = strchr(grant, ':');
                if (parse_grant(role_text, colon ? colon + 1 : NULL, &spec.role, &spec.org_id, &err)) goto fail;
            }
            /* The account and its address are written together or not at all. */
            const char *email = option(argc, argv, "--email");
            if (email && tk_db_begin_batch(ctx.db, &err)) goto fail;
            tk_code rc = tk_user_create(&ctx, login, name ? name : "", given ? given : password, !given,
                                        grant ? &spec : NULL, &id, &err);
            if (!rc && email) rc = tk_user_set_email(&ctx, id, email, &err);
            if (email) rc = tk_db_end(ctx.db, rc, &err);
            if (rc) goto fail;
            printf("Đã tạo tài khoản / account created: %s (id %lld)\n", login, (long long)id);
        } else {
            if (tk_user_find(&ctx, login, &id, &err)) goto fail;
            if (strcmp(sub, "passwd") == 0) {
                if (!given && one_time_password(password, &err)) goto fail;
                if (tk_user_set_password(&ctx, id, given ? given : password, !given, &err)) goto fail;
                printf("Đã đặt mật khẩu / password set: %s\n", login);
            } else if (strcmp(sub, "email") == 0) {
                if (tk_user_set_email(&ctx, id, argc > 3 ? argv[3] : NULL, &err)) goto fail;
                printf("Đã đặt địa chỉ thư / email set: %s\n", login);
            } else if (strcmp(sub, "disable") == 0) {
                if (tk_user_disable(&ctx, id, &err)) goto fail;
                printf("Đã khóa tài khoản / account disabled: %s\n", login);
            } else {
                tk_role role;
                int64_t org, grant;
                if (argc < 4) {
                    status = user_usage();
                    goto out;
                }
                if (parse_grant(argv[3], argc > 4 ? argv[4] : NULL, &role, &org, &err) ||
                    tk_user_grant(&ctx, id, role, org, &grant, &err))
                    goto fail;
                printf("Đã cấp quyền / granted: %lld\n", (long long)grant);
            }
        }
        if (password[0])
            printf("Mật khẩu dùng một lần / one-time password: %s\n"
                   "(phải đổi ở lần đăng nhập đầu tiên / must be changed at first sign-in)\n",
                   password);
        status = 0;
    } else {
        status = user_usage();
    }
    goto out;
fail:
    status = report(&err, 1);
out:
    tk_db_close(ctx.db);
    return status;
}

int tk_cmd_token(const tk_config *config, int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "add") == 0 && argc < 4) ||
        (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "revoke") != 0)) {
        fputs("Cách dùng / usage:\n  trienkhai token add LOGIN NAME    (in khóa một lần / prints the token once)\n"
              "  trienkhai token revoke TOKEN_ID\n",
              stderr);
        return 2;
    }
    tk_error err = {0};
    tk_ctx ctx = {0};
    if (tk_cli_open(config, &ctx, &err)) return report(&err, 1);
    int status = 1;
    int64_t id;
    if (strcmp(argv[1], "add") == 0) {
        int64_t user;
        char token[TK_TOKEN_HEX];
        if (tk_user_find(&ctx, argv[2], &user, &err) || tk_token_create(&ctx, user, argv[3], token, &id, &err)) {
            status = report(&err, 1);
        } else {
            /* The token alone on stdout, so scripts can capture it; the rest goes to stderr. */
            fprintf(stderr, "Khóa API %lld cho %s (chỉ hiện một lần / shown once):\n", (long long)id, argv[2]);
            printf("%s\n", token);
            status = 0;
        }
    } else if (!parse_positive(argv[2], &id)) {
        tk_error_set(&err, TK_INVALID_INPUT, "usage", "Cần mã số khóa API");
        status = report(&err, 2);
    } else if (tk_token_revoke(&ctx, id, &err)) {
        status = report(&err, 1);
    } else {
        printf("Đã thu hồi khóa API / token revoked: %lld\n", (long long)id);
        status = 0;
    }
    tk_db_close(ctx.db);
    return status;
}

int tk_cmd_audit(const tk_config *config, int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "list") != 0)) {
        fputs("Cách dùng / usage:\n  trienkhai audit verify\n"
              "  trienkhai audit list [--type task] [--id 12] [--page N]\n",
              stderr);
        return 2;
    }
    tk_error err = {0};
    tk_ctx ctx = {0};
    if (tk_cli_open(config, &ctx, &err)) return report(&err, 1);
    int status = 1;
    if (strcmp(argv[1], "verify") == 0) {
        tk_audit_report rep;
        if (tk_audit_verify(&ctx, &rep, &err)) {
            status = report(&err, 1);
        } else if (rep.first_bad) {
            printf("Nhật ký bị sửa / the audit log was tampered with: mục / entry %lld — %s\n",
                   (long long)rep.first_bad, rep.reason);
            status = 1;
        } else {
            printf("Nhật ký nguyên vẹn / the audit log is intact: %lld mục / entries\n", (long long)rep.entries);
            status = 0;
        }
    } else {
        json_t *query = json_object(), *out = NULL;
        const char *type = option(argc, argv, "--type"), *id = option(argc, argv, "--id"), *page = option(argc, argv, "--page");
        if (type) json_object_set_new(query, "object_type", json_string(type));
        if (id) json_object_set_new(query, "object_id", json_string(id));
        if (page) json_object_set_new(query, "page", json_string(page));
        if (tk_audit_list(&ctx, query, &out, &err)) {
            status = report(&err, 1);
        } else {
            size_t i;
            json_t *e;
            json_array_foreach(json_object_get(out, "items"), i, e) {
                printf("%6lld  %s  %-10s %-16s %s %lld\n", (long long)json_integer_value(json_object_get(e, "id")),
                       json_string_value(json_object_get(e, "at")),
                       json_string_value(json_object_get(e, "login")) ? json_string_value(json_object_get(e, "login")) : "",
                       json_string_value(json_object_get(e, "action")), json_string_value(json_object_get(e, "object_type")),
                       (long long)json_integer_value(json_object_get(e, "object_id")));
            }
            status = 0;
        }
        json_decref(query);
        json_decref(out);
    }
    tk_db_close(ctx.db);
    return status;
}
