/* Times the service calls behind the pages, on a database made by generate.c.
 *
 *   tk-bench [--db PATH] [--reps N] [--past YYYY-MM-DD] [--plans]
 *   tk-bench [--db PATH] --check-schema
 *
 * Each case runs once traced (its "first" time: statements are prepared then, and the page
 * cache may be cold), then --reps times with nothing but the clock around them; the table
 * gives min, median and max of those. The traced run records every statement the service stepped,
 * with the time spent in sqlite3_step and SQLite's own counters, and prints the EXPLAIN QUERY
 * PLAN of each one that scans the tasks table. The rule is that no page or API call may read
 * every task, and a plan can break it without saying SCAN (a range over tasks_due that holds
 * most tasks), so statements are also shown when they make FULLSCAN_NOTE or more full-scan
 * steps anywhere, or as many VM steps as half the tasks: work that grows with the whole table
 * rather than with the page. --plans prints the plan of every statement.
 *
 * The machine may be shared, so beside wall-clock times the table gives the median CPU time
 * of the process (user + system): waiting for a core shows in the one and not the other.
 *
 * The two tk_task_add_update cases write to the database; the tasks they touch are put back as
 * they were at the end (their new updates deleted, progress and completion day restored, which
 * the triggers carry into the roll-ups), so runs after the first measure the same data.
 *
 * --check-schema compares the database's schema with the one this build's migrations make
 * (exit 0 when equal, 3 when not): migrations are still edited in place, so a database made
 * last week can be of another schema with the same version number, and run.sh remakes it. */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "service/context.h"
#include "service/resource.h"
#include "service/task.h"
#include "store/store.h"

enum { MAX_TRACED = 64, MAX_REPS = 10000, FULLSCAN_NOTE = 10000, NAME_WIDTH = 40 };

/* ---- what the service steps, seen through the linker's --wrap ---- */

int __real_sqlite3_step(sqlite3_stmt *st);
int __wrap_sqlite3_step(sqlite3_stmt *st);

typedef struct traced {
    sqlite3_stmt *st;
    double seconds; /* inside sqlite3_step */
    int64_t rows;
} traced;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static bool tracing;
static traced trace[MAX_TRACED];
static int traced_count;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int __wrap_sqlite3_step(sqlite3_stmt *st)
{
    if (!tracing) return __real_sqlite3_step(st);
    traced *t = NULL;
    for (int i = 0; i < traced_count && !t; i++)
        if (trace[i].st == st) t = &trace[i];
    if (!t && traced_count < MAX_TRACED) {
        t = &trace[traced_count++];
        *t = (traced){.st = st};
        /* Cached statements carry counts from earlier cases; start this case's from zero. */
        sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
        sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 1);
        sqlite3_stmt_status(st, SQLITE_STMTSTATUS_SORT, 1);
        sqlite3_stmt_status(st, SQLITE_STMTSTATUS_AUTOINDEX, 1);
    }
    double t0 = now_s();
    int rc = __real_sqlite3_step(st);
    if (t) {
        t->seconds += now_s() - t0;
        t->rows += rc == SQLITE_ROW;
    }
    return rc;
}

/* ---- query plans ---- */

static bool word_is(const char *w, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(w, word, n) == 0;
}

/* The names a plan may give the tasks table in sql: "tasks" and its aliases. Written into
 * names (NUL-separated, empty string last). */
static void task_names(const char *sql, char *names, size_t size)
{
    static const char *const not_alias[] = {"WHERE", "JOIN", "ON", "SET", "ORDER", "GROUP", "LIMIT", "LEFT",
                                            "INNER", "CROSS", "NATURAL", "USING", "INDEXED", "NOT", "UNION",
                                            "WINDOW", "HAVING", "OFFSET", "VALUES", "AS", NULL};
    const char *words[512];
    size_t lens[512], n = 0;
    for (const char *s = sql; *s && n < 512;) {
        if (*s == '\'') { /* string literals hold no names */
            for (s++; *s && !(*s == '\'' && s[1] != '\''); s += *s == '\'' ? 2 : 1) {}
            if (*s) s++;
        } else if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_') {
            const char *w = s;
            while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_') s++;
            words[n] = w;
            lens[n++] = (size_t)(s - w);
        } else {
            s++;
        }
    }
    size_t at = 0;
    int written = snprintf(names, size, "tasks");
    at = written > 0 ? (size_t)written + 1 : 0;
    for (size_t i = 1; i + 1 < n; i++) {
        if (!word_is(words[i], lens[i], "tasks")) continue;
        if (!word_is(words[i - 1], lens[i - 1], "FROM") && !word_is(words[i - 1], lens[i - 1], "JOIN") &&
            !word_is(words[i - 1], lens[i - 1], "UPDATE"))
            continue;
        size_t j = word_is(words[i + 1], lens[i + 1], "AS") ? i + 2 : i + 1;
        if (j >= n) continue;
        bool keyword = false;
        for (const char *const *k = not_alias; *k && !keyword; k++) keyword = word_is(words[j], lens[j], *k);
        if (keyword || at + lens[j] + 2 > size) continue;
        memcpy(names + at, words[j], lens[j]);
        names[at + lens[j]] = '\0';
        at += lens[j] + 1;
    }
    if (at < size) names[at] = '\0';
}

/* True when a plan step "SCAN x ..." reads the tasks table (or one of its indexes) whole. */
static bool scans_tasks(const char *detail, const char *names)
{
    if (strncmp(detail, "SCAN ", 5) != 0) return false;
    const char *name = detail + 5;
    size_t len = strcspn(name, " ");
    for (const char *n = names; *n; n += strlen(n) + 1)
        if (strlen(n) == len && strncmp(n, name, len) == 0) return true;
    return false;
}

typedef struct plan_line {
    int id, parent;
    char detail[256];
} plan_line;

/* True when the plan of st's SQL scans tasks; drawn into out (when not NULL) as the sqlite3
 * shell draws it, with the scans of tasks marked. */
static bool explain(FILE *out, sqlite3_stmt *st)
{
    const char *sql = sqlite3_sql(st);
    if (!sql) return false;
    size_t n = strlen(sql) + 32;
    char *eqp = malloc(n);
    if (!eqp) return false;
    snprintf(eqp, n, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *q = NULL;
    plan_line lines[128];
    int count = 0;
    if (sqlite3_prepare_v2(sqlite3_db_handle(st), eqp, -1, &q, NULL) == SQLITE_OK) {
        while (count < 128 && __real_sqlite3_step(q) == SQLITE_ROW) {
            lines[count].id = sqlite3_column_int(q, 0);
            lines[count].parent = sqlite3_column_int(q, 1);
            snprintf(lines[count].detail, sizeof lines[count].detail, "%s", (const char *)sqlite3_column_text(q, 3));
            count++;
        }
    }
    sqlite3_finalize(q);
    free(eqp);

    char names[512];
    task_names(sql, names, sizeof names);
    bool scan = false;
    for (int i = 0; i < count; i++) scan = scan || scans_tasks(lines[i].detail, names);
    for (int i = 0; out && i < count; i++) {
        int depth = 0;
        for (int p = lines[i].parent, guard = 0; p && guard < 64; guard++) {
            int k = 0;
            while (k < count && lines[k].id != p) k++;
            if (k == count) break;
            depth++;
            p = lines[k].parent;
        }
        /* Walking an index in ORDER BY order can stop at the LIMIT, but only when enough
         * rows match early; the counters above the plan tell which happened. */
        const char *mark = !scans_tasks(lines[i].detail, names) ? ""
                           : strstr(lines[i].detail, " INDEX ") ? "   <-- walks a whole index of tasks unless LIMIT stops it"
                                                                : "   <-- reads every task";
        fprintf(out, "        %*s%s%s\n", 2 * depth, "", lines[i].detail, mark);
    }
    return scan;
}

/* ---- the cases ---- */

typedef tk_code (*call_fn)(tk_ctx *ctx, const void *arg, int rep, json_t **out, tk_error *err);

static tk_code call_dashboard(tk_ctx *ctx, const void *arg, int rep, json_t **out, tk_error *err)
{
    (void)rep;
    return tk_dashboard(ctx, arg, out, err);
}

static tk_code call_list(tk_ctx *ctx, const void *arg, int rep, json_t **out, tk_error *err)
{
    (void)rep;
    return tk_task_list(ctx, arg, out, err);
}

typedef struct id_list {
    int64_t *ids;
    int count;
    int progress; /* for add_update */
} id_list;

static tk_code call_get(tk_ctx *ctx, const void *arg, int rep, json_t **out, tk_error *err)
{
    const id_list *l = arg;
    return tk_resource_get(ctx, &tk_res_task, l->ids[rep % l->count], out, err);
}

static tk_code call_update(tk_ctx *ctx, const void *arg, int rep, json_t **out, tk_error *err)
{
    const id_list *l = arg;
    json_t *body = json_pack("{s:i, s:s}", "progress", l->progress, "narrative",
                             "Đã tổ chức hội nghị sơ kết; tiếp tục triển khai theo kế hoạch.");
    tk_code rc = tk_task_add_update(ctx, l->ids[rep % l->count], body, out, err);
    json_decref(body);
    return rc;
}

static size_t array_size(const json_t *obj, const char *key)
{
    return json_array_size(json_object_get(obj, key));
}

/* Rows the page shows, and a few figures to see the data is what it should be. */
static size_t describe(const json_t *out, char *info, size_t size)
{
    info[0] = '\0';
    const json_t *counts = json_object_get(out, "counts");
    if (counts) {
        snprintf(info, size, "total %" JSON_INTEGER_FORMAT ", overdue %" JSON_INTEGER_FORMAT
                             ", in progress %" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(counts, "total")),
                 json_integer_value(json_object_get(counts, "overdue")),
                 json_integer_value(json_object_get(counts, "in_progress")));
        return array_size(out, "programs") + array_size(out, "overdue") + array_size(out, "due_soon") +
               array_size(out, "units_by_overdue");
    }
    if (json_object_get(out, "items")) {
        if (json_is_true(json_object_get(out, "has_more"))) snprintf(info, size, "has more");
        return array_size(out, "items");
    }
    return 1;
}

typedef struct result {
    char name[64];
    double first, min, median, max, cpu_median;
    size_t rows;
    char info[96];
} result;

/* printf pads by bytes; names hold Vietnamese letters of two and three bytes. */
static void print_padded(const char *s, int width)
{
    int chars = 0;
    for (const char *p = s; *p; p++) chars += ((unsigned char)*p & 0xc0) != 0x80;
    printf("%s%*s", s, width > chars ? width - chars : 0, "");
}

typedef struct options {
    int reps;
    bool plans;
} options;

static FILE *notes;   /* the plans section, printed after the table */
static int64_t task_count;
static bool any_scan; /* some case read every task */

static void run(tk_ctx *ctx, const options *opt, const char *name, call_fn fn, const void *arg)
{
    result res = {0}, *r = &res;
    snprintf(r->name, sizeof r->name, "%s", name);
    double *times = malloc((size_t)opt->reps * sizeof *times);
    double *cpu = malloc((size_t)opt->reps * sizeof *cpu);
    if (!times || !cpu) exit(1);
    tk_error err = {0};
    json_t *out = NULL;

    traced_count = 0;
    tracing = true;
    double t0 = now_s();
    tk_code rc = fn(ctx, arg, opt->reps, &out, &err);
    tk_db_release(ctx->db);
    r->first = (now_s() - t0) * 1e3;
    tracing = false;
    if (rc) {
        fprintf(stderr, "bench: %s: %s (%s)\n", name, err.message, tk_code_name(rc));
        exit(1);
    }
    r->rows = describe(out, r->info, sizeof r->info);
    json_decref(out);

    bool header = false;
    for (int i = 0; i < traced_count; i++) {
        traced *t = &trace[i];
        int64_t fullscan = sqlite3_stmt_status(t->st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
        int64_t vm = sqlite3_stmt_status(t->st, SQLITE_STMTSTATUS_VM_STEP, 0);
        int64_t sorts = sqlite3_stmt_status(t->st, SQLITE_STMTSTATUS_SORT, 0);
        int64_t autoindex = sqlite3_stmt_status(t->st, SQLITE_STMTSTATUS_AUTOINDEX, 0);
        bool scan = explain(NULL, t->st);
        bool heavy = fullscan >= FULLSCAN_NOTE || autoindex > 0 || (task_count > 0 && vm >= task_count / 2);
        if (!scan && !heavy && !opt->plans) continue;
        any_scan = any_scan || scan;
        if (!header) {
            fprintf(notes, "\n%s\n", name);
            header = true;
        }
        fprintf(notes, "    %.2f ms in sqlite3_step, %" PRId64 " rows, %" PRId64 " full-scan steps, %" PRId64
                       " VM steps, %" PRId64 " sorts, %" PRId64 " automatic indexes%s\n",
                t->seconds * 1e3, t->rows, fullscan, vm, sorts, autoindex,
                scan ? "  ** SCANS TASKS **" : heavy ? "  ** work grows with the table **" : "");
        fprintf(notes, "      %s\n", sqlite3_sql(t->st));
        explain(notes, t->st);
    }

    for (int i = 0; i < opt->reps; i++) {
        double c0 = cpu_s();
        t0 = now_s();
        rc = fn(ctx, arg, i, &out, &err);
        tk_db_release(ctx->db);
        times[i] = (now_s() - t0) * 1e3;
        cpu[i] = (cpu_s() - c0) * 1e3;
        if (rc) {
            fprintf(stderr, "bench: %s: %s (%s)\n", name, err.message, tk_code_name(rc));
            exit(1);
        }
        json_decref(out);
    }
    r->median = median(times, opt->reps);
    r->min = times[0];
    r->max = times[opt->reps - 1];
    r->cpu_median = median(cpu, opt->reps);
    free(times);
    free(cpu);
    print_padded(r->name, NAME_WIDTH);
    printf(" %5zu %8.2f %8.2f %8.2f %8.2f %8.2f  %s\n", r->rows, r->first, r->min, r->median, r->max, r->cpu_median,
           r->info);
    fflush(stdout);
}

/* ---- set-up reads (not timed) ---- */

typedef struct saved_task {
    int64_t id, progress;
    char completed_on[TK_DATE_TEXT_MAX];
    char updated_at[32];
} saved_task;

static saved_task *save_tasks(tk_db *db, const id_list *l)
{
    saved_task *saved = calloc((size_t)l->count, sizeof *saved);
    tk_error err = {0};
    for (int i = 0; saved && i < l->count; i++) {
        tk_stmt *st = tk_db_prepare(db, "SELECT progress, completed_on, updated_at FROM tasks WHERE id = ?", &err);
        if (!st) break;
        tk_stmt_bind_int(st, 1, l->ids[i]);
        if (tk_stmt_step(st, &err) != TK_STEP_ROW) continue;
        saved[i].id = l->ids[i];
        saved[i].progress = tk_stmt_column_int(st, 0);
        snprintf(saved[i].completed_on, sizeof saved[i].completed_on, "%s",
                 tk_stmt_column_is_null(st, 1) ? "" : tk_stmt_column_text(st, 1));
        snprintf(saved[i].updated_at, sizeof saved[i].updated_at, "%s", tk_stmt_column_text(st, 2));
        tk_stmt_reset(st);
    }
    return saved;
}

static void restore_tasks(tk_db *db, const saved_task *saved, int count, int64_t last_update)
{
    tk_error err = {0};
    tk_code rc = tk_db_begin(db, &err);
    tk_stmt *st = rc ? NULL : tk_db_prepare(db, "DELETE FROM task_updates WHERE id > ?", &err);
    if (st) {
        tk_stmt_bind_int(st, 1, last_update);
        rc = tk_stmt_exec(st, &err);
    }
    for (int i = 0; !rc && i < count; i++) {
        if (!saved[i].id) continue;
        st = tk_db_prepare(db, "UPDATE tasks SET progress = ?, completed_on = ?, updated_at = ? WHERE id = ?", &err);
        if (!st) break;
        tk_stmt_bind_int(st, 1, saved[i].progress);
        tk_stmt_bind_text(st, 2, saved[i].completed_on[0] ? saved[i].completed_on : NULL);
        tk_stmt_bind_text(st, 3, saved[i].updated_at);
        tk_stmt_bind_int(st, 4, saved[i].id);
        rc = tk_stmt_exec(st, &err);
    }
    if (!st && !rc) rc = err.code ? err.code : TK_STORAGE;
    if (tk_db_end(db, rc, &err)) fprintf(stderr, "bench: could not undo the writes: %s\n", err.message);
}

/* The first column of the first row of sql, which has one parameter when bind is not NULL. */
static int64_t query_int(tk_db *db, const char *sql, const int64_t *bind, int64_t fallback)
{
    tk_error err = {0};
    tk_stmt *st = tk_db_prepare(db, sql, &err);
    if (!st) return fallback;
    if (bind) tk_stmt_bind_int(st, 1, *bind);
    int64_t v = tk_stmt_step(st, &err) == TK_STEP_ROW && !tk_stmt_column_is_null(st, 0) ? tk_stmt_column_int(st, 0)
                                                                                      : fallback;
    tk_stmt_reset(st);
    return v;
}

static void query_ids(tk_db *db, const char *sql, id_list *l, int want)
{
    tk_error err = {0};
    l->ids = calloc((size_t)want, sizeof *l->ids);
    l->count = 0;
    tk_stmt *st = tk_db_prepare(db, sql, &err);
    if (!st || !l->ids) return;
    tk_stmt_bind_int(st, 1, want);
    while (l->count < want && tk_stmt_step(st, &err) == TK_STEP_ROW) l->ids[l->count++] = tk_stmt_column_int(st, 0);
    tk_stmt_reset(st);
}

static json_t *query_of(const char *key, const char *value, ...)
{
    json_t *obj = json_object();
    va_list ap;
    va_start(ap, value);
    for (; key; key = va_arg(ap, const char *), value = key ? va_arg(ap, const char *) : NULL)
        json_object_set_new(obj, key, json_string(value));
    va_end(ap);
    return obj;
}

static int parse_int(const char *flag, const char *text, int min, int max)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || v < min || v > max) {
        fprintf(stderr, "bench: %s: expected an integer in %d..%d\n", flag, min, max);
        exit(2);
    }
    return (int)v;
}

static void usage(void)
{
    fputs("usage: tk-bench [--db PATH] [--reps N] [--past YYYY-MM-DD] [--plans]\n"
          "       tk-bench [--db PATH] --check-schema\n",
          stderr);
    exit(2);
}

/* The schema as text, one line per object; new string. */
static char *schema_text(tk_db *db)
{
    tk_error err = {0};
    tk_stmt *st = tk_db_prepare(db,
                                "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master "
                                "WHERE name NOT LIKE 'sqlite_%' AND name <> 'bench_info' ORDER BY type, name",
                                &err);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out) return NULL;
    while (st && tk_stmt_step(st, &err) == TK_STEP_ROW) fprintf(out, "%s\n", tk_stmt_column_text(st, 0));
    fclose(out);
    return text;
}

/* 0 when the database at db has the schema of a fresh one, 3 when not. */
static int check_schema(tk_db *db)
{
    tk_db *fresh = NULL;
    tk_error err = {0};
    if (tk_db_open(":memory:", &fresh, &err)) {
        fprintf(stderr, "bench: %s\n", err.message);
        return 1;
    }
    char *want = schema_text(fresh), *have = schema_text(db);
    int rc = want && have && strcmp(want, have) == 0 ? 0 : 3;
    if (rc) printf("the database's schema differs from the one this build makes\n");
    free(want);
    free(have);
    tk_db_close(fresh);
    return rc;
}

int main(int argc, char **argv)
{
    const char *path = "bench.db";
    options opt = {.reps = 20};
    const char *past_text = NULL;
    bool schema_only = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--plans") == 0) opt.plans = true;
        else if (strcmp(a, "--check-schema") == 0) schema_only = true;
        else if (i + 1 >= argc) usage();
        else if (strcmp(a, "--db") == 0) path = argv[++i];
        else if (strcmp(a, "--reps") == 0) opt.reps = parse_int(a, argv[++i], 1, MAX_REPS);
        else if (strcmp(a, "--past") == 0) past_text = argv[++i];
        else usage();
    }
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "bench: %s: no such database (make one with tk-bench-generate)\n", path);
        return 1;
    }

    tk_db *db = NULL;
    tk_error err = {0};
    if (tk_db_open(path, &db, &err)) {
        fprintf(stderr, "bench: %s\n", err.message);
        return 1;
    }
    if (schema_only) {
        int rc = check_schema(db);
        tk_db_close(db);
        return rc;
    }
    tk_ctx ctx = {.db = db, .today = tk_ctx_today()};
    tk_stmt *st = tk_db_prepare(db, "SELECT value FROM bench_info WHERE key = 'today'", &err);
    /* A database from generate.c is judged on the day it was generated for. */
    if (st && tk_stmt_step(st, &err) == TK_STEP_ROW) tk_date_parse_iso(tk_stmt_column_text(st, 0), &ctx.today);
    if (st) tk_stmt_reset(st);
    tk_error_clear(&err);
    tk_date past = ctx.today - 730;
    if (past_text && !tk_date_parse_iso(past_text, &past)) usage();

    int64_t root = query_int(db, "SELECT min(id) FROM organizations WHERE parent_id IS NULL", NULL, 1);
    /* The busiest unit directly under the root, and the busiest unit with no units under it:
     * the pages of the people with the most to look at. */
    int64_t mid = query_int(db,
                            "SELECT a.org_id FROM org_ancestors a JOIN task_rollup t ON t.org_id = a.org_id "
                            "AND t.scope = 1 WHERE a.ancestor_id = ? AND a.depth = 1 "
                            "GROUP BY a.org_id ORDER BY sum(t.n) DESC LIMIT 1",
                            &root, root);
    int64_t leaf = query_int(db,
                             "SELECT t.org_id FROM task_rollup t WHERE t.scope = 0 AND t.org_id <> ? "
                             "AND NOT EXISTS (SELECT 1 FROM organizations c WHERE c.parent_id = t.org_id) "
                             "GROUP BY t.org_id ORDER BY sum(t.n) DESC LIMIT 1",
                             &root, root);
    int64_t tasks = task_count = query_int(db, "SELECT count(*) FROM tasks", NULL, 0);
    int64_t updates = query_int(db, "SELECT max(id) FROM task_updates", NULL, 0);
    int64_t orgs = query_int(db, "SELECT count(*) FROM organizations", NULL, 0);

    /* Tasks spread over the id range; open ones for the writes, so they move the roll-ups. */
    id_list some = {0}, open_a = {0}, open_b = {0};
    int want = opt.reps + 1;
    query_ids(db, "SELECT id FROM tasks WHERE id % 997 = 13 ORDER BY id LIMIT ?", &some, want);
    query_ids(db, "SELECT id FROM tasks WHERE completed_on IS NULL AND due_kind = 'span' AND id % 2 = 0 "
                  "ORDER BY id DESC LIMIT ?", &open_a, want);
    query_ids(db, "SELECT id FROM tasks WHERE completed_on IS NULL AND due_kind = 'span' AND id % 2 = 1 "
                  "ORDER BY id DESC LIMIT ?", &open_b, want);
    if (!some.count || !open_a.count || !open_b.count) {
        fprintf(stderr, "bench: %s has no tasks to work on\n", path);
        return 1;
    }
    open_a.progress = 60;
    open_b.progress = 100;

    char today_text[TK_DATE_TEXT_MAX], past_buf[TK_DATE_TEXT_MAX], root_s[24], mid_s[24], leaf_s[24];
    tk_date_format_iso(ctx.today, today_text);
    tk_date_format_iso(past, past_buf);
    snprintf(root_s, sizeof root_s, "%" PRId64, root);
    snprintf(mid_s, sizeof mid_s, "%" PRId64, mid);
    snprintf(leaf_s, sizeof leaf_s, "%" PRId64, leaf);

    printf("trienkhai bench: %s, %.1f MB, SQLite %s\n", path, (double)sb.st_size / 1e6, sqlite3_libversion());
    printf("  %" PRId64 " organizations, %" PRId64 " tasks, ~%" PRId64 " updates; today %s, past day %s\n", orgs,
           tasks, updates, today_text, past_buf);
    printf("  root org %s, mid org %s (depth 1), leaf org %s; %d repetitions\n\n", root_s, mid_s, leaf_s, opt.reps);
    print_padded("case", NAME_WIDTH);
    printf(" %5s %8s %8s %8s %8s %8s  (ms; cpu = median CPU time)\n", "rows", "first", "min", "median", "max", "cpu");

    char *notes_text = NULL;
    size_t notes_len = 0;
    notes = open_memstream(&notes_text, &notes_len);
    if (!notes) return 1;

    json_t *queries[32];
    int nq = 0;
#define CASE(name, fn, query)                     \
    do {                                          \
        json_t *query_ = (query);                 \
        queries[nq++] = query_;                   \
        run(&ctx, &opt, name, fn, query_);        \
    } while (0)
    CASE("dashboard root, today", call_dashboard, query_of("org", root_s, NULL));
    CASE("dashboard root, past day", call_dashboard, query_of("org", root_s, "on", past_buf, NULL));
    CASE("dashboard mid, today", call_dashboard, query_of("org", mid_s, NULL));
    CASE("dashboard mid, past day", call_dashboard, query_of("org", mid_s, "on", past_buf, NULL));
    CASE("dashboard leaf, today", call_dashboard, query_of("org", leaf_s, NULL));
    CASE("dashboard leaf, past day", call_dashboard, query_of("org", leaf_s, "on", past_buf, NULL));
    CASE("list, no filter", call_list, query_of(NULL, NULL));
    CASE("list, no filter, page 100", call_list, query_of("page", "100", NULL));
    CASE("list, org=mid subtree", call_list, query_of("org", mid_s, NULL));
    CASE("list, org=leaf subtree", call_list, query_of("org", leaf_s, NULL));
    CASE("list, org=mid, page 100", call_list, query_of("org", mid_s, "page", "100", NULL));
    CASE("list, status=overdue", call_list, query_of("status", "overdue", NULL));
    CASE("list, status=overdue, past day", call_list, query_of("status", "overdue", "on", past_buf, NULL));
    CASE("list, org=mid, status=overdue", call_list, query_of("org", mid_s, "status", "overdue", NULL));
    CASE("list, status=in_progress", call_list, query_of("status", "in_progress", NULL));
    CASE("list, q=common word (thực hiện)", call_list, query_of("q", "thực hiện", NULL));
    CASE("list, q=rare word (tích năng)", call_list, query_of("q", "tích năng", NULL));
    CASE("list, q=2 letters (số)", call_list, query_of("q", "số", NULL));
    CASE("list, due in Q1/2024", call_list, query_of("due_from", "2024-01-01", "due_to", "2024-03-31", NULL));
#undef CASE
    run(&ctx, &opt, "resource_get task", call_get, &some);
    int64_t last_update = query_int(db, "SELECT max(id) FROM task_updates", NULL, 0);
    saved_task *saved_a = save_tasks(db, &open_a), *saved_b = save_tasks(db, &open_b);
    run(&ctx, &opt, "add_update 60% (write)", call_update, &open_a);
    run(&ctx, &opt, "add_update 100%, completes (write)", call_update, &open_b);
    if (saved_a && saved_b) {
        restore_tasks(db, saved_a, open_a.count, last_update);
        restore_tasks(db, saved_b, open_b.count, last_update);
    }
    free(saved_a);
    free(saved_b);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("\npeak RSS %.1f MB\n", (double)ru.ru_maxrss / 1024.0);

    fclose(notes);
    if (notes_len) {
        printf("\nStatements that scan tasks, or whose work grows with the table%s:\n",
               opt.plans ? " (with --plans, every statement)" : "");
        fwrite(notes_text, 1, notes_len, stdout);
    }
    if (!any_scan) printf("\nNo statement scanned the tasks table.\n");
    free(notes_text);
    for (int i = 0; i < nq; i++) json_decref(queries[i]);
    free(some.ids);
    free(open_a.ids);
    free(open_b.ids);
    tk_db_close(db);
    return 0;
}
