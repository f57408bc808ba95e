/* `trienkhai report status`: how complete a period's reporting is, as the office reads it — per
 * unit under the chosen one, then who has not reported. The same service call as
 * GET /api/v1/report-schedules/{id}/periods/{period}/status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "core/text.h"
#include "service/report.h"

enum { NAME_WIDTH_MAX = 48 };

static void usage(FILE *out)
{
    fputs("Cách dùng / usage:\n"
          "  trienkhai report status --schedule ID --period KỲ [--org ID] [--json]\n"
          "      KỲ / period: 2021-Q2, 2021-03, 2021-H1, 2021-9M, 2021, once\n",
          out);
}

static int64_t int_of(const json_t *obj, const char *key)
{
    return (int64_t)json_integer_value(json_object_get(obj, key));
}

/* Prints text padded with spaces to width characters (not bytes: names are Vietnamese). */
static void print_padded(const char *text, size_t width)
{
    size_t len = tk_text_length(text);
    fputs(text, stdout);
    for (size_t i = len; i < width; i++) putchar(' ');
}

static void print_counts(const char *name, size_t width, const json_t *c)
{
    print_padded(name, width);
    printf("  %8lld  %6lld  %8lld  %4lld  %8lld  %12lld\n", (long long)int_of(c, "expected"),
           (long long)int_of(c, "submitted"), (long long)int_of(c, "on_time"), (long long)int_of(c, "late"),
           (long long)int_of(c, "missing"), (long long)int_of(c, "accepted"));
}

static const char *state_vi(const char *status)
{
    if (status && strcmp(status, "draft") == 0) return "đang soạn";
    if (status && strcmp(status, "returned") == 0) return "bị trả lại";
    return "chưa làm";
}

/* "2021-06-25" as "25/06/2021"; text itself when it is not a date. */
static const char *vn_date(const char *iso, char buf[TK_DATE_TEXT_MAX])
{
    tk_date d;
    return iso && tk_date_parse_iso(iso, &d) ? tk_date_format_vn(d, buf) : iso ? iso : "";
}

static void print_status(const json_t *out)
{
    const json_t *period = json_object_get(out, "period");
    char a[TK_DATE_TEXT_MAX], b[TK_DATE_TEXT_MAX], c[TK_DATE_TEXT_MAX], d[TK_DATE_TEXT_MAX];
    printf("%s — %s\n", json_string_value(json_object_get(out, "title")),
           json_string_value(json_object_get(period, "label")));
    printf("Số liệu từ %s đến %s, hạn nộp %s; tình hình đến ngày %s\n",
           vn_date(json_string_value(json_object_get(period, "data_first")), a),
           vn_date(json_string_value(json_object_get(period, "data_last")), b),
           vn_date(json_string_value(json_object_get(period, "due")), c),
           vn_date(json_string_value(json_object_get(out, "on")), d));
    printf("Phạm vi: %s và các đơn vị trực thuộc\n\n", json_string_value(json_object_get(json_object_get(out, "org"), "name")));

    const json_t *children = json_object_get(out, "children");
    size_t width = tk_text_length("Đơn vị"), i;
    json_t *child;
    json_array_foreach(children, i, child) {
        size_t len = tk_text_length(json_string_value(json_object_get(child, "name")));
        if (len > width) width = len;
    }
    if (width > NAME_WIDTH_MAX) width = NAME_WIDTH_MAX;
    print_padded("Đơn vị", width);
    printf("  Phải nộp  Đã nộp  Đúng hạn  Muộn  Chưa nộp  Đã tiếp nhận\n");
    json_array_foreach(children, i, child) print_counts(json_string_value(json_object_get(child, "name")), width, child);
    print_counts("Cộng", width, out);

    const json_t *outstanding = json_object_get(out, "outstanding");
    if (!json_array_size(outstanding)) {
        puts("\nMọi đơn vị đã nộp báo cáo.");
        return;
    }
    printf("\nChưa nộp (%zu):\n", json_array_size(outstanding));
    json_t *unit;
    json_array_foreach(outstanding, i, unit) {
        long long late = (long long)int_of(unit, "days_overdue");
        printf("  %s — %s", json_string_value(json_object_get(unit, "name")),
               state_vi(json_string_value(json_object_get(unit, "status"))));
        if (late > 0) printf(", quá hạn %lld ngày", late);
        putchar('\n');
    }
}

int tk_cmd_report(const tk_config *config, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "status") != 0) {
        if (argc >= 2) fprintf(stderr, "trienkhai: không có lệnh \"report %s\" / unknown command\n", argv[1]);
        usage(stderr);
        return 2;
    }
    const char *schedule_text = NULL, *period = NULL, *org = NULL;
    bool as_json = false;
    for (int i = 2; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--schedule") == 0 ? &schedule_text
                            : strcmp(argv[i], "--period") == 0 ? &period
                            : strcmp(argv[i], "--org") == 0    ? &org
                                                               : NULL;
        if (strcmp(argv[i], "--json") == 0) {
            as_json = true;
        } else if (!slot || i + 1 >= argc) {
            fprintf(stderr, "trienkhai: %s \"%s\"\n", slot ? "thiếu giá trị sau" : "không hiểu tham số", argv[i]);
            usage(stderr);
            return 2;
        } else {
            *slot = argv[++i];
        }
    }
    char *end = NULL;
    long long schedule = schedule_text ? strtoll(schedule_text, &end, 10) : 0;
    if (!schedule_text || !*schedule_text || *end || schedule <= 0 || !period) {
        fputs("trienkhai: cần --schedule (mã số lịch báo cáo) và --period (kỳ báo cáo)\n", stderr);
        usage(stderr);
        return 2;
    }

    tk_error err;
    tk_error_clear(&err);
    tk_ctx ctx = {0};
    json_t *query = json_object(), *out = NULL;
    int status = 1;
    if (org) json_object_set_new(query, "org", json_string(org));
    if (tk_cli_open(config, &ctx, &err)) goto done;
    if (tk_report_status(&ctx, schedule, period, query, &out, &err)) goto done;
    status = 0;
    if (as_json) {
        char *text = json_dumps(out, JSON_INDENT(2));
        if (text) puts(text);
        free(text);
    } else {
        print_status(out);
    }
done:
    if (status) tk_cli_report(&err);
    json_decref(query);
    json_decref(out);
    tk_db_close(ctx.db);
    return status;
}
