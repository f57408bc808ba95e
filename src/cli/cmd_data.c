/* Commands that work on a database: serve, migrate, demo, task, org, dashboard. Each one calls
 * the same service functions as the API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "core/status.h"
#include "http/server.h"
#include "io/demo.h"
#include "service/resource.h"
#include "service/task.h"

void tk_cli_report(const tk_error *err)
{
    if (err->field[0])
        fprintf(stderr, "trienkhai: %s (trường / field: %s; %s)\n", err->message, err->field, tk_code_name(err->code));
    else fprintf(stderr, "trienkhai: %s (%s)\n", err->message, tk_code_name(err->code));
}

static int fail(const tk_error *err)
{
    tk_cli_report(err);
    return err->code == TK_INVALID_INPUT && strcmp(err->field, "usage") == 0 ? 2 : 1;
}

/* Reads "--name value" pairs into an object of strings, renaming each option to its query
 * member through `names` ({"--per-page", "per_page"}, ...). A bare "--json" sets *as_json. */
static tk_code read_options(int argc, char **argv, const char *const (*names)[2], json_t *out, bool *as_json,
                            tk_error *err)
{
    for (int i = 0; i < argc; i++) {
        if (as_json && strcmp(argv[i], "--json") == 0) {
            *as_json = true;
            continue;
        }
        const char *member = NULL;
        for (int k = 0; names[k][0]; k++)
            if (strcmp(names[k][0], argv[i]) == 0) member = names[k][1];
        if (!member) return tk_error_set(err, TK_INVALID_INPUT, "usage", "Không hiểu tham số \"%s\"", argv[i]);
        if (i + 1 >= argc) return tk_error_set(err, TK_INVALID_INPUT, "usage", "Thiếu giá trị sau %s", argv[i]);
        json_t *v = json_string(argv[++i]);
        if (!v) return tk_error_set(err, TK_INVALID_UTF8, argv[i - 1], "Giá trị không phải UTF-8 hợp lệ");
        json_object_set_new(out, member, v);
    }
    return TK_OK;
}

static tk_code parse_id(const char *text, int64_t *id, tk_error *err)
{
    char *end;
    long long v = text ? strtoll(text, &end, 10) : 0;
    if (!text || !*text || *end || v <= 0)
        return tk_error_set(err, TK_INVALID_INPUT, "usage", "Cần mã số (số nguyên dương), không phải \"%s\"",
                            text ? text : "");
    *id = v;
    return TK_OK;
}

static void print_json(const json_t *obj)
{
    char *text = json_dumps(obj, JSON_INDENT(2));
    if (text) puts(text);
    free(text);
}

int tk_cmd_serve(const tk_config *config, int argc, char **argv)
{
    (void)argv;
    tk_error err;
    tk_error_clear(&err);
    if (argc > 1) {
        tk_error_set(&err, TK_INVALID_INPUT, "usage", "Lệnh serve không nhận tham số \"%s\"", argv[1]);
        return fail(&err);
    }
    tk_server_config sc = {.db_path = config->db, .listen = config->listen, .port = (uint16_t)config->port,
                           .threads = (unsigned)config->threads, .port_file = config->port_file[0] ? config->port_file : NULL,
                           .web_dir = config->web_dir[0] ? config->web_dir : NULL,
                           .secure_cookies = config->secure_cookies != 0};
    if (tk_server_run(&sc, &err)) return fail(&err);
    return 0;
}

int tk_cmd_migrate(const tk_config *config, int argc, char **argv)
{
    (void)argc, (void)argv;
    tk_error err;
    tk_error_clear(&err);
    tk_db *db;
    if (tk_db_open(config->db, &db, &err)) return fail(&err);
    printf("%s: lược đồ phiên bản / schema version %d\n", config->db, tk_db_schema_version(db));
    tk_db_close(db);
    return 0;
}

int tk_cmd_demo(const tk_config *config, int argc, char **argv)
{
    (void)argv;
    tk_error err;
    tk_error_clear(&err);
    if (argc > 1) {
        tk_error_set(&err, TK_INVALID_INPUT, "usage", "Lệnh demo không nhận tham số \"%s\"", argv[1]);
        return fail(&err);
    }
    if (access(config->db, F_OK) == 0) {
        tk_error_set(&err, TK_CONFLICT, "db", "Tệp %s đã có; dữ liệu mẫu chỉ tạo vào một tệp mới", config->db);
        return fail(&err);
    }
    /* Built beside the target and renamed into place, so a failure leaves no half-filled file. */
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.demo-%ld", config->db, (long)getpid());
    json_t *demo = tk_demo_builtin(&err);
    if (!demo) return fail(&err);
    tk_db *db;
    tk_code rc = tk_db_open(tmp, &db, &err);
    if (!rc) {
        tk_ctx ctx = {.db = db, .today = tk_ctx_today()};
        rc = tk_demo_load(&ctx, demo, &err);
        tk_db_close(db);
    }
    json_decref(demo);
    if (!rc && rename(tmp, config->db) != 0) rc = tk_error_set(&err, TK_IO, "db", "Không đổi tên được %s", tmp);
    if (rc) {
        char side[1200];
        unlink(tmp);
        snprintf(side, sizeof side, "%s-wal", tmp);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", tmp);
        unlink(side);
        return fail(&err);
    }
    printf("Đã tạo dữ liệu mẫu / demo database created: %s\n", config->db);
    return 0;
}

int tk_cli_open(const tk_config *config, tk_ctx *ctx, tk_error *err)
{
    if (access(config->db, F_OK) != 0) {
        tk_error_set(err, TK_NOT_FOUND, "db", "Không có cơ sở dữ liệu %s (tạo bằng `trienkhai migrate` hoặc `trienkhai demo`)",
                     config->db);
        return 1;
    }
    ctx->today = tk_ctx_today();
    return tk_db_open(config->db, &ctx->db, err) ? 1 : 0;
}

static const char *status_vi(const char *status)
{
    tk_status st;
    return tk_status_from_name(status, &st) ? tk_status_label(st) : status ? status : "";
}

static void print_task_row(const json_t *t)
{
    const char *due = json_string_value(json_object_get(t, "due_last"));
    printf("%6lld  %-20s  %-10s  %3lld%%  %s — %s\n", (long long)json_integer_value(json_object_get(t, "id")),
           status_vi(json_string_value(json_object_get(t, "status"))), due ? due : "—",
           (long long)json_integer_value(json_object_get(t, "progress")),
           json_string_value(json_object_get(t, "title")),
           json_string_value(json_object_get(t, "lead_org_name")) ? json_string_value(json_object_get(t, "lead_org_name")) : "");
}

static const char *const list_options[][2] = {
    {"--org", "org"},       {"--lead", "lead_org_id"}, {"--program", "program_id"}, {"--document", "document_id"},
    {"--status", "status"}, {"--on", "on"},            {"--from", "due_from"},      {"--to", "due_to"},
    {"--q", "q"},           {"--sort", "sort"},        {"--page", "page"},          {"--per-page", "per_page"},
    {NULL, NULL}};
static const char *const update_options[][2] = {
    {"--progress", "progress"}, {"--narrative", "narrative"}, {"--evidence", "evidence"}, {"--date", "reported_on"},
    {NULL, NULL}};
static const char *const extend_options[][2] = {
    {"--due", "new_due"}, {"--reason", "reason"}, {"--approved-by", "approved_by"}, {"--date", "decided_on"},
    {NULL, NULL}};
static const char *const no_options[][2] = {{NULL, NULL}};

int tk_cmd_task(const tk_config *config, int argc, char **argv)
{
    tk_error err;
    tk_error_clear(&err);
    if (argc < 2) {
        fputs("Cách dùng / usage:\n"
              "  trienkhai task list [--org ID] [--status S] [--on YYYY-MM-DD] [--q TEXT] [--program ID] [--json]\n"
              "  trienkhai task show ID [--json]\n"
              "  trienkhai task update ID --progress N [--narrative TEXT] [--evidence TEXT] [--date YYYY-MM-DD]\n"
              "  trienkhai task extend ID --due TEXT --reason TEXT --approved-by TEXT [--date YYYY-MM-DD]\n",
              stderr);
        return 2;
    }
    const char *sub = argv[1];
    bool as_json = false;
    json_t *opts = json_object(), *out = NULL;
    tk_ctx ctx = {0};
    int status = 1;
    int64_t id = 0;
    bool list = strcmp(sub, "list") == 0;
    bool by_id = !list && (strcmp(sub, "show") == 0 || strcmp(sub, "update") == 0 || strcmp(sub, "extend") == 0);
    if (!list && !by_id) {
        tk_error_set(&err, TK_INVALID_INPUT, "usage", "Không có lệnh \"task %s\"", sub);
        goto done;
    }
    if (by_id && (argc < 3 || parse_id(argv[2], &id, &err))) {
        if (!err.code) tk_error_set(&err, TK_INVALID_INPUT, "usage", "Cần mã số nhiệm vụ");
        goto done;
    }
    const char *const(*names)[2] = list                       ? list_options
                                   : strcmp(sub, "update") == 0 ? update_options
                                   : strcmp(sub, "extend") == 0 ? extend_options
                                                                : no_options;
    if (read_options(argc - (by_id ? 3 : 2), argv + (by_id ? 3 : 2), names, opts, &as_json, &err)) goto done;
    if (tk_cli_open(config, &ctx, &err)) goto done;
    tk_code rc;
    if (list) {
        rc = tk_task_list(&ctx, opts, &out, &err);
    } else if (strcmp(sub, "show") == 0) {
        rc = tk_resource_get(&ctx, &tk_res_task, id, &out, &err);
    } else if (strcmp(sub, "update") == 0) {
        /* Progress is a number in the API; on the command line every value arrives as text. */
        json_t *p = json_object_get(opts, "progress");
        if (p) {
            char *end;
            long v = strtol(json_string_value(p), &end, 10);
            if (*end || !*json_string_value(p)) {
                rc = tk_error_set(&err, TK_INVALID_INPUT, "progress", "Tiến độ phải là số nguyên từ 0 đến 100");
                goto done;
            }
            json_object_set_new(opts, "progress", json_integer(v));
        }
        rc = tk_task_add_update(&ctx, id, opts, &out, &err);
    } else {
        rc = tk_task_extend(&ctx, id, opts, &out, &err);
    }
    if (rc) goto done;
    status = 0;
    if (as_json || !list) {
        if (!as_json && strcmp(sub, "show") == 0) {
            print_task_row(out);
            printf("        Thời hạn / due: %s\n", json_string_value(json_object_get(out, "due")));
        } else if (!as_json) {
            printf("Đã ghi / saved (id %lld)\n", (long long)json_integer_value(json_object_get(out, "id")));
        } else {
            print_json(out);
        }
    } else {
        size_t i;
        json_t *t;
        json_array_foreach(json_object_get(out, "items"), i, t) print_task_row(t);
        if (json_is_true(json_object_get(out, "has_more"))) puts("… (còn nữa / more: --page N)");
    }
done:
    if (status) fail(&err);
    if (status && strcmp(err.field, "usage") == 0) status = 2;
    json_decref(opts);
    json_decref(out);
    tk_db_close(ctx.db);
    return status;
}

static const char *const org_list_options[][2] = {
    {"--q", "q"}, {"--parent", "parent_id"}, {"--kind", "kind"}, {"--page", "page"}, {"--per-page", "per_page"},
    {NULL, NULL}};

int tk_cmd_org(const tk_config *config, int argc, char **argv)
{
    tk_error err;
    tk_error_clear(&err);
    if (argc < 2 || (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "show") != 0)) {
        fputs("Cách dùng / usage:\n  trienkhai org list [--q TEXT] [--parent ID|null] [--kind KIND] [--json]\n"
              "  trienkhai org show ID [--json]\n",
              stderr);
        return 2;
    }
    bool show = strcmp(argv[1], "show") == 0, as_json = false;
    json_t *opts = json_object(), *out = NULL;
    tk_ctx ctx = {0};
    int status = 1;
    int64_t id = 0;
    if (show && (argc < 3 || parse_id(argv[2], &id, &err))) {
        if (!err.code) tk_error_set(&err, TK_INVALID_INPUT, "usage", "Cần mã số đơn vị");
        goto done;
    }
    if (read_options(argc - (show ? 3 : 2), argv + (show ? 3 : 2), show ? no_options : org_list_options, opts,
                     &as_json, &err))
        goto done;
    if (tk_cli_open(config, &ctx, &err)) goto done;
    if (show ? tk_resource_get(&ctx, &tk_res_organization, id, &out, &err)
             : tk_resource_list(&ctx, &tk_res_organization, opts, &out, &err))
        goto done;
    status = 0;
    if (as_json) {
        print_json(out);
    } else {
        json_t *items = show ? json_pack("[O]", out) : json_incref(json_object_get(out, "items"));
        size_t i;
        json_t *o;
        json_array_foreach(items, i, o) {
            json_t *parent = json_object_get(o, "parent_id");
            char parent_text[24] = "—";
            if (json_is_integer(parent)) snprintf(parent_text, sizeof parent_text, "%lld", (long long)json_integer_value(parent));
            printf("%6lld  %-18s  cấp trên/parent %-6s  %s%s\n", (long long)json_integer_value(json_object_get(o, "id")),
                   json_string_value(json_object_get(o, "kind")), parent_text,
                   json_string_value(json_object_get(o, "name")),
                   json_is_true(json_object_get(o, "active")) ? "" : " (đã giải thể / dissolved)");
        }
        json_decref(items);
    }
done:
    if (status) status = fail(&err);
    json_decref(opts);
    json_decref(out);
    tk_db_close(ctx.db);
    return status;
}

static const char *const dashboard_options[][2] = {{"--org", "org"}, {"--on", "on"}, {NULL, NULL}};

int tk_cmd_dashboard(const tk_config *config, int argc, char **argv)
{
    tk_error err;
    tk_error_clear(&err);
    bool as_json = false;
    json_t *opts = json_object(), *out = NULL;
    tk_ctx ctx = {0};
    int status = 1;
    if (read_options(argc - 1, argv + 1, dashboard_options, opts, &as_json, &err)) goto done;
    if (tk_cli_open(config, &ctx, &err)) goto done;
    if (tk_dashboard(&ctx, opts, &out, &err)) goto done;
    status = 0;
    if (as_json) {
        print_json(out);
        goto done;
    }
    json_t *counts = json_object_get(out, "counts");
    printf("%s — ngày / on %s\n", json_string_value(json_object_get(json_object_get(out, "organization"), "name")),
           json_string_value(json_object_get(out, "on")));
    static const char *const order[] = {"done_on_time", "done_late", "in_progress", "overdue"};
    for (size_t i = 0; i < 4; i++)
        printf("  %-22s %lld\n", status_vi(order[i]), (long long)json_integer_value(json_object_get(counts, order[i])));
    printf("  %-22s %lld\n", "Tổng / total", (long long)json_integer_value(json_object_get(counts, "total")));
    size_t i;
    json_t *t;
    if (json_array_size(json_object_get(out, "overdue"))) puts("\nQuá hạn / overdue:");
    json_array_foreach(json_object_get(out, "overdue"), i, t) print_task_row(t);
done:
    if (status) status = fail(&err);
    json_decref(opts);
    json_decref(out);
    tk_db_close(ctx.db);
    return status;
}
