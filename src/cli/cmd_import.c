/* `trienkhai import tasks|organizations|indicator-values FILE [--dry-run] [--json]`: the same
 * import as POST /api/v1/import/..., run as the system (the server's administrator). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "service/import.h"

/* Larger than any table the readers accept (io/table.h), so they are the ones that refuse. */
enum { FILE_MAX = 300 * 1024 * 1024 };

static int usage_error(const char *message)
{
    fprintf(stderr, "trienkhai: %s\n", message);
    fputs("Cách dùng / usage: trienkhai import tasks|organizations|indicator-values TỆP.csv|TỆP.xlsx "
          "[--dry-run] [--json]\n",
          stderr);
    return 2;
}

static tk_code read_file(const char *path, char **data, size_t *size, tk_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return tk_error_set(err, TK_IO, "file", "Không mở được tệp %s", path);
    size_t cap = 64 * 1024, len = 0;
    char *buf = malloc(cap);
    tk_code rc = buf ? TK_OK : tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
    while (!rc) {
        if (len == cap) {
            if (cap >= FILE_MAX) {
                rc = tk_error_set(err, TK_TOO_LARGE, "file", "Tệp %s lớn quá %d MiB", path, FILE_MAX / (1024 * 1024));
                break;
            }
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                rc = tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
                break;
            }
            buf = grown;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f)) rc = tk_error_set(err, TK_IO, "file", "Không đọc được tệp %s", path);
            break;
        }
    }
    fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    *data = buf;
    *size = len;
    return TK_OK;
}

static const char *str(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

/* One line for an object a dry run would create. */
static void print_would_create(const char *kind, const json_t *entry)
{
    const json_t *obj = json_object_get(entry, "object");
    printf("  Dòng %lld: ", (long long)json_integer_value(json_object_get(entry, "line")));
    if (strcmp(kind, "tasks") == 0) {
        printf("%s — chủ trì: %s; thời hạn: %s (%s)\n", str(obj, "title"), str(obj, "lead_org_name"), str(obj, "due"),
               *str(obj, "due_last") ? str(obj, "due_last") : "không có hạn chót");
    } else if (strcmp(kind, "organizations") == 0) {
        printf("%s%s%s%s\n", str(obj, "name"), *str(obj, "code") ? " (mã " : "", str(obj, "code"),
               *str(obj, "code") ? ")" : "");
    } else {
        printf("chỉ tiêu %lld, ngày %s: %g\n", (long long)json_integer_value(json_object_get(obj, "indicator_id")),
               str(obj, "on_date"), json_number_value(json_object_get(obj, "value")));
    }
}

static void print_report(const char *kind, const json_t *report)
{
    static const struct {
        const char *kind, *label;
    } labels[] = {{"tasks", "nhiệm vụ"}, {"organizations", "đơn vị"}, {"indicator_values", "số liệu chỉ tiêu"}};
    const char *label = "";
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].kind, kind) == 0) label = labels[i].label;
    bool dry = json_is_true(json_object_get(report, "dry_run"));
    long long rows = json_integer_value(json_object_get(report, "rows"));
    long long bad = json_integer_value(json_object_get(report, "error_count"));
    const json_t *ignored = json_object_get(report, "ignored_columns");
    if (json_array_size(ignored)) {
        printf("Bỏ qua các cột không dùng: ");
        size_t i;
        json_t *v;
        json_array_foreach(ignored, i, v) printf("%s%s", i ? ", " : "", json_string_value(v));
        printf("\n");
    }
    if (dry) {
        const json_t *would = json_object_get(report, "would_create");
        printf("Chạy thử (không ghi gì): đọc %lld dòng, sẽ tạo %zu %s, %lld lỗi.\n", rows, json_array_size(would), label,
               bad);
        size_t i;
        json_t *v;
        json_array_foreach(would, i, v) print_would_create(kind, v);
    } else if (!bad) {
        printf("Đã nhập %lld %s từ %lld dòng.\n", (long long)json_integer_value(json_object_get(report, "created")),
               label, rows);
    } else {
        printf("Có %lld lỗi trong %lld dòng; chưa ghi dòng nào.\n", bad, rows);
    }
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(report, "errors"), i, v) fprintf(stderr, "%s\n", str(v, "message"));
    if (json_is_true(json_object_get(report, "truncated")))
        fprintf(stderr, "(chỉ liệt kê %d mục đầu)\n", TK_IMPORT_LIST_MAX);
}

int tk_cmd_import(const tk_config *config, int argc, char **argv)
{
    const char *kind = NULL, *path = NULL;
    bool dry_run = false, as_json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0) dry_run = true;
        else if (strcmp(argv[i], "--json") == 0) as_json = true;
        else if (argv[i][0] == '-' && argv[i][1]) {
            char message[300];
            snprintf(message, sizeof message, "Không hiểu tham số \"%.200s\"", argv[i]);
            return usage_error(message);
        } else if (!kind) kind = argv[i];
        else if (!path) path = argv[i];
        else return usage_error("Thừa tham số");
    }
    if (!kind || !path) return usage_error("Cần nêu loại dữ liệu và tệp cần nhập");
    if (strcmp(kind, "indicator-values") == 0) kind = "indicator_values";
    if (strcmp(kind, "tasks") != 0 && strcmp(kind, "organizations") != 0 && strcmp(kind, "indicator_values") != 0)
        return usage_error("Loại dữ liệu phải là tasks, organizations hoặc indicator-values");

    tk_error err;
    tk_error_clear(&err);
    char *data = NULL;
    size_t size = 0;
    tk_table *table = NULL;
    json_t *report = NULL;
    tk_ctx ctx = {0};
    int status = 1;
    if (read_file(path, &data, &size, &err) || tk_import_read_table(path, data, size, &table, &err)) goto done;
    if (tk_cli_open(config, &ctx, &err)) goto done;
    tk_code rc = tk_import(&ctx, kind, table, dry_run, &report, &err);
    if (report) {
        if (as_json) {
            char *text = json_dumps(report, JSON_INDENT(2));
            if (text) puts(text);
            free(text);
            size_t i;
            json_t *v;
            json_array_foreach(json_object_get(report, "errors"), i, v) fprintf(stderr, "%s\n", str(v, "message"));
        } else {
            print_report(kind, report);
        }
        status = rc == TK_OK && json_integer_value(json_object_get(report, "error_count")) == 0 ? 0 : 1;
        tk_error_clear(&err);
    }
done:
    if (err.code) tk_cli_report(&err);
    json_decref(report);
    tk_table_free(table);
    free(data);
    if (ctx.db) tk_db_close(ctx.db);
    return status;
}
