/* tk-bench-report: one quarter of a province's reporting, on the benchmark's database
 * (tk-bench-generate): a quarterly schedule of the root committee for every unit under it, four
 * in five units' reports submitted with their four text sections, then the office's calls timed
 * one by one with the peak memory after each: completeness over the province, the consolidated
 * report as a document, and that document as PDF, DOCX and XLSX.
 *
 *   tk-bench-report --db PATH [--period 2026-Q3]
 *
 * The schedule and reports are written once and kept (a second run reuses them), so the timed
 * calls read the same data every time. The period defaults to the last quarter whose due date is
 * before the day the data was made for. */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/date.h"
#include "io/document.h"
#include "service/consolidation.h"
#include "service/context.h"
#include "service/report.h"
#include "service/resource.h"
#include "store/store.h"

static const char schedule_title[] = "Báo cáo quý thực hiện chương trình hành động (đo tốc độ)";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static _Noreturn void die(const char *what, const tk_error *err)
{
    fprintf(stderr, "tk-bench-report: %s: %s (%s)\n", what, err->message, err->field);
    exit(1);
}

static int64_t query_int(tk_db *db, const char *sql, const char *text)
{
    tk_error err = {0};
    tk_stmt *st = tk_db_prepare(db, sql, &err);
    if (!st) die(sql, &err);
    if (text) tk_stmt_bind_text(st, 1, text);
    int64_t v = tk_stmt_step(st, &err) == TK_STEP_ROW ? tk_stmt_column_int(st, 0) : 0;
    tk_stmt_reset(st);
    return v;
}

/* The schedule of an earlier run, or a new one over every unit under the root. */
static int64_t schedule_of(tk_ctx *ctx, int64_t root)
{
    int64_t id = query_int(ctx->db, "SELECT id FROM report_schedules WHERE title = ?", schedule_title);
    if (id) return id;
    tk_error err = {0};
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT min(id) FROM documents WHERE organization_id = %" PRId64, root);
    int64_t doc = query_int(ctx->db, sql, NULL);
    json_t *body = json_pack("{s:s, s:I, s:s, s:s, s:I, s:s}", "title", schedule_title, "document_id", (json_int_t)doc,
                             "period_type", "quarter", "reporters", "subtree", "reporter_root_id", (json_int_t)root,
                             "starts_on", "2021-01-01"),
           *created = NULL;
    if (tk_resource_create(ctx, &tk_res_report_schedule, body, &created, &err)) die("creating the schedule", &err);
    id = json_integer_value(json_object_get(created, "id"));
    json_decref(body);
    json_decref(created);
    return id;
}

/* Four in five expected units submit a report with text in every section; the rest stay out. */
static void fill_reports(tk_ctx *ctx, int64_t schedule, const char *period, int64_t root)
{
    tk_error err = {0};
    json_t *query = json_pack("{s:s}", "org", ""), *status = NULL;
    char org[24];
    snprintf(org, sizeof org, "%" PRId64, root);
    json_object_set_new(query, "org", json_string(org));
    if (tk_report_status(ctx, schedule, period, query, &status, &err)) die("status", &err);
    json_decref(query);
    size_t i, made = 0;
    json_t *unit;
    double t0 = now_s();
    json_array_foreach(json_object_get(status, "units"), i, unit) {
        if (i % 5 == 4 || strcmp(json_string_value(json_object_get(unit, "status")), "not_started") != 0) continue;
        int64_t id = json_integer_value(json_object_get(unit, "org_id"));
        const char *name = json_string_value(json_object_get(unit, "name"));
        char text[4][400];
        snprintf(text[0], sizeof text[0], "%s đã triển khai đầy đủ các nhiệm vụ được giao trong kỳ, tổ chức quán "
                                          "triệt nghị quyết đến toàn thể cán bộ, đảng viên.", name);
        snprintf(text[1], sizeof text[1], "Một số nhiệm vụ chậm so với kế hoạch; việc cập nhật tiến độ chưa kịp thời.");
        snprintf(text[2], sizeof text[2], "Nguồn lực còn hạn chế; phối hợp giữa các cơ quan có lúc chưa chặt chẽ.");
        snprintf(text[3], sizeof text[3], "Đề nghị cấp trên hướng dẫn thống nhất biểu mẫu báo cáo.");
        json_t *body = json_pack("{s:[], s:[], s:s, s:s, s:s, s:s}", "tasks", "indicators", "results", text[0],
                                 "limitations", text[1], "causes", text[2], "proposals", text[3]),
               *out = NULL;
        if (tk_report_save(ctx, schedule, period, id, body, &out, &err)) die("saving a report", &err);
        json_decref(out);
        json_decref(body);
        out = NULL;
        if (tk_report_act(ctx, schedule, period, id, TK_REPORT_SUBMIT, NULL, &out, &err)) die("submitting", &err);
        json_decref(out);
        made++;
    }
    if (made) printf("  wrote %zu reports in %.1f s (once; kept for the next run)\n", made, now_s() - t0);
    json_decref(status);
}

typedef tk_code (*render_fn)(const json_t *doc, unsigned char **out, size_t *size, tk_error *err);

int main(int argc, char **argv)
{
    const char *path = NULL, *period_arg = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--db") == 0) path = argv[i + 1];
        else if (strcmp(argv[i], "--period") == 0) period_arg = argv[i + 1];
    }
    if (!path) {
        fputs("usage: tk-bench-report --db PATH [--period 2026-Q3]\n", stderr);
        return 2;
    }
    tk_error err = {0};
    tk_db *db = NULL;
    if (tk_db_open(path, &db, &err)) die(path, &err);
    tk_ctx ctx = {.db = db, .today = tk_ctx_today()};
    tk_stmt *st = tk_db_prepare(db, "SELECT value FROM bench_info WHERE key = 'today'", &err);
    if (st && tk_stmt_step(st, &err) == TK_STEP_ROW) tk_date_parse_iso(tk_stmt_column_text(st, 0), &ctx.today);
    if (st) tk_stmt_reset(st);

    /* The last quarter due before today. */
    char period[16];
    if (period_arg) {
        snprintf(period, sizeof period, "%s", period_arg);
    } else {
        int y, m, d;
        tk_date_to_ymd(ctx.today, &y, &m, &d);
        int q = (m - 1) / 3 + 1; /* this quarter is due on the 25th of its last month */
        if (!(m % 3 == 0 && d > 25)) q--;
        if (q == 0) {
            q = 4;
            y--;
        }
        snprintf(period, sizeof period, "%d-Q%d", y, q);
    }
    int64_t root = query_int(db, "SELECT id FROM organizations WHERE parent_id IS NULL ORDER BY id LIMIT 1", NULL);
    int64_t units = query_int(db, "SELECT count(*) FROM organizations", NULL);
    int64_t tasks = query_int(db, "SELECT count(*) FROM tasks", NULL);
    printf("tk-bench-report: %s, %" PRId64 " organizations, %" PRId64 " tasks, period %s, as the system\n", path, units,
           tasks, period);
    int64_t schedule = schedule_of(&ctx, root);
    fill_reports(&ctx, schedule, period, root);

    char org[24];
    snprintf(org, sizeof org, "%" PRId64, root);
    json_t *query = json_pack("{s:s}", "org", org), *status = NULL, *doc = NULL;
    printf("\n%-34s %10s %10s  %s\n", "step", "ms", "peak MB", "what");
    double t0 = now_s();
    if (tk_report_status(&ctx, schedule, period, query, &status, &err)) die("status", &err);
    const json_t *total = status;
    printf("%-34s %10.1f %10.1f  expected %lld, submitted %lld, missing %lld\n", "completeness (province)",
           (now_s() - t0) * 1000, peak_mb(), (long long)json_integer_value(json_object_get(total, "expected")),
           (long long)json_integer_value(json_object_get(total, "submitted")),
           (long long)json_integer_value(json_object_get(total, "missing")));
    json_decref(status);

    t0 = now_s();
    if (tk_report_consolidate(&ctx, schedule, period, query, &doc, &err)) die("consolidating", &err);
    size_t rows = 0, i;
    json_t *block;
    json_array_foreach(json_object_get(doc, "blocks"), i, block) rows += json_array_size(json_object_get(block, "rows"));
    printf("%-34s %10.1f %10.1f  %zu blocks, %zu table rows\n", "consolidated document", (now_s() - t0) * 1000,
           peak_mb(), json_array_size(json_object_get(doc, "blocks")), rows);

    static const struct {
        const char *name;
        render_fn fn;
    } writers[] = {{"PDF (cairo + pango)", tk_pdf_render}, {"DOCX", tk_docx_render}, {"XLSX (libxlsxwriter)", tk_xlsx_render}};
    for (size_t w = 0; w < sizeof writers / sizeof writers[0]; w++) {
        unsigned char *file = NULL;
        size_t size = 0;
        t0 = now_s();
        if (writers[w].fn(doc, &file, &size, &err)) die(writers[w].name, &err);
        printf("%-34s %10.1f %10.1f  %.1f KB\n", writers[w].name, (now_s() - t0) * 1000, peak_mb(), (double)size / 1024);
        free(file);
    }
    json_decref(doc);
    json_decref(query);
    tk_db_close(db);
    return 0;
}
