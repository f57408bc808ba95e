/* `trienkhai remind`: reminds the units whose report is outstanding (service/remind.h), in the
 * app and by e-mail when an SMTP server is configured. Run it daily (cron, a systemd timer):
 * each reminder goes out once, so running it again, or after a restart, sends nothing twice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "service/remind.h"

static void usage(FILE *out)
{
    fputs("Cách dùng / usage:\n"
          "  trienkhai remind [--dry-run] [--json] [--today YYYY-MM-DD]\n"
          "      --dry-run  chỉ liệt kê, không ghi và không gửi / list what would be sent, change nothing\n"
          "      --today    tính như hôm nay là ngày này / as if today were this day\n"
          "  Thiết lập / settings: smtp_url smtp_user smtp_password smtp_from smtp_from_name smtp_tls\n"
          "  remind_days_before (TK_SMTP_URL ..., --smtp-url ...; `trienkhai config`)\n",
          out);
}

static const char *str(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

static void print_item(const json_t *item)
{
    bool email = strcmp(str(item, "channel"), "email") == 0;
    printf("  %-9s %s%s — %s\n", str(item, "status"), email ? "thư / email " : "ứng dụng / app ",
           email ? str(item, "address") : str(item, "login"), str(item, "message"));
    if (json_object_get(item, "error")) printf("            lỗi / error: %s\n", str(item, "error"));
}

static void print_result(const json_t *result)
{
    const json_t *items = json_object_get(result, "items");
    if (json_is_true(json_object_get(result, "dry_run")))
        printf("Chạy thử ngày %s: sẽ gửi %zu lời nhắc / dry run: %zu reminders would be sent\n", str(result, "on"),
               json_array_size(items), json_array_size(items));
    else
        printf("Ngày %s: ghi %lld lời nhắc, gửi %lld thư, %lld thư lỗi (sẽ gửi lại lần sau) / recorded, sent, failed\n",
               str(result, "on"), (long long)json_integer_value(json_object_get(result, "recorded")),
               (long long)json_integer_value(json_object_get(result, "sent")),
               (long long)json_integer_value(json_object_get(result, "failed")));
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) print_item(item);
}

int tk_cmd_remind(const tk_config *config, int argc, char **argv)
{
    bool dry_run = false, as_json = false;
    const char *today = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0) {
            dry_run = true;
        } else if (strcmp(argv[i], "--json") == 0) {
            as_json = true;
        } else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc) {
            today = argv[++i];
        } else {
            fprintf(stderr, "trienkhai: không hiểu tham số \"%s\"\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    tk_error err;
    tk_error_clear(&err);
    tk_ctx ctx = {0};
    json_t *plan = NULL, *result = NULL;
    int status = 1;
    bool with_email = config->smtp_url[0] != '\0';
    tk_mail_server mail = {.url = config->smtp_url, .user = config->smtp_user, .password = config->smtp_password,
                           .require_tls = config->smtp_tls != 0, .from = config->smtp_from,
                           .from_name = config->smtp_from_name[0] ? config->smtp_from_name : NULL};
    if (with_email && !config->smtp_from[0]) {
        tk_error_set(&err, TK_INVALID_INPUT, "smtp_from", "Cần địa chỉ gửi thư (smtp_from, TK_SMTP_FROM) khi có smtp_url");
        goto done;
    }
    if (tk_cli_open(config, &ctx, &err)) goto done;
    if (today && !tk_date_parse_iso(today, &ctx.today)) {
        tk_error_set(&err, TK_INVALID_INPUT, "today", "Ngày \"%s\" không đúng dạng YYYY-MM-DD", today);
        goto done;
    }
    if (tk_remind_plan(&ctx, config->remind_days_before, with_email, &plan, &err)) goto done;
    if (tk_remind_run(&ctx, plan, with_email ? &mail : NULL, dry_run, &result, &err)) goto done;
    status = 0;
    if (as_json) {
        char *text = json_dumps(result, JSON_INDENT(2));
        if (text) puts(text);
        free(text);
    } else {
        print_result(result);
    }
done:
    if (status) tk_cli_report(&err);
    json_decref(plan);
    json_decref(result);
    tk_db_close(ctx.db);
    return status;
}
