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

#include "service/auth.h"
#include "service/context.h"
#include "service/resource.h"
#include "service/task.h"
#include "store/store.h"

enum { MAX_TRACED = 64, MAX_REPS = 10000, FULLSCAN_NOTE = 10000, NAME_WIDTH = 46 };

/* ---- what the service steps, seen through the linker's --wrap ---- */

int __real_sqlite3_step(sqlite3_stmt *st);
int __wrap_sqlite3_step(sqlite3_stmt *st);

typedef struct traced {
    sqlite3_stmt *st;
    double seconds; /* inside sqlite3_step */
    int64_t rows;
    int64_t runs;   /* executions: steps that started the statement afresh */
} traced;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static bool tracing;
static traced trace[MAX_TRACED];
static int traced_count;
/* Statement executions during the traced call, all statements together (also those beyond
 * MAX_TRACED): a step on a statement that is not busy (never stepped since its last reset, or
 * run to SQLITE_DONE) starts an execution. */
static int64_t executions;

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
    if (!sqlite3_stmt_busy(st)) {
        executions++;
        if (t) t->runs++;
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

/* One object as a caller reads it (tk_resource_get) or asks to change it
 * (tk_resource_check_write). The answer is part of the case: a refusal (not_found outside the
 * caller's grants, forbidden for a role that may not write) is what some cases measure, and any
 * other answer stops the benchmark. */
typedef struct object_case {
    const tk_resource *res;
    id_list ids;
    bool write;
    tk_code expect;
} object_case;

static tk_code call_object(tk_ctx *ctx, const void *arg, int rep, json_t **out, tk_error *err)
{
    const object_case *c = arg;
    int64_t id = c->ids.ids[rep % c->ids.count];
    json_t *obj = NULL;
    tk_code rc = c->write ? tk_resource_check_write(ctx, c->res, id, err) : tk_resource_get(ctx, c->res, id, &obj, err);
    json_decref(obj);
    if (rc != c->expect)
        return rc ? rc
                  : tk_error_set(err, TK_INTERNAL, NULL, "%s %" PRId64 ": expected %s, got ok", c->res->name, id,
                                 tk_code_name(c->expect));
    tk_error_clear(err);
    *out = json_pack("{s:s, s:i}", "answer", rc ? tk_code_name(rc) : "ok", "rows", !rc && !c->write);
    return TK_OK;
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
    if (json_object_get(out, "answer")) {
        snprintf(info, size, "answers %s", json_string_value(json_object_get(out, "answer")));
        return (size_t)json_integer_value(json_object_get(out, "rows"));
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
    int64_t stmts; /* statement executions in one call */
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
static FILE *breakdowns; /* statements of chosen cases with their executions, printed after the table */
static bool breakdown;   /* the next run() writes its statements to breakdowns */
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
    executions = 0;
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
    r->stmts = executions;
    json_decref(out);

    if (breakdown) {
        fprintf(breakdowns, "\n%s: %zu rows, %" PRId64 " statement executions, %d distinct statements\n", name,
                r->rows, r->stmts, traced_count);
        for (int i = 0; i < traced_count; i++) {
            const char *sql = sqlite3_sql(trace[i].st);
            fprintf(breakdowns, "  %5" PRId64 " x  %.*s%s\n", trace[i].runs, 150, sql ? sql : "?",
                    sql && strlen(sql) > 150 ? " ..." : "");
        }
        breakdown = false;
    }
    /* A caller built in memory has no users row; a read path that looked for one (users,
     * grants, sessions) would measure a lookup that fails here and succeeds in the server. */
    for (int i = 0; ctx->caller && i < traced_count; i++) {
        const char *sql = sqlite3_sql(trace[i].st);
        if (sql && (strstr(sql, "users") || strstr(sql, "grants") || strstr(sql, "sessions")))
            fprintf(stderr, "bench: %s reads the accounts tables: %s\n", name, sql);
    }

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
    printf(" %5zu %8.2f %8.2f %8.2f %8.2f %8.2f %6" PRId64 "  %s\n", r->rows, r->first, r->min, r->median, r->max,
           r->cpu_median, r->stmts, r->info);
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

/* The first column of the first row of sql, whose parameters ?1..?n are binds[0..n-1]. */
static int64_t query_int_n(tk_db *db, const char *sql, const int64_t *binds, int n, int64_t fallback)
{
    tk_error err = {0};
    tk_stmt *st = tk_db_prepare(db, sql, &err);
    if (!st) {
        fprintf(stderr, "bench: %s: %s\n", sql, err.message);
        return fallback;
    }
    for (int i = 0; i < n; i++) tk_stmt_bind_int(st, i + 1, binds[i]);
    int64_t v = tk_stmt_step(st, &err) == TK_STEP_ROW && !tk_stmt_column_is_null(st, 0) ? tk_stmt_column_int(st, 0)
                                                                                      : fallback;
    tk_stmt_reset(st);
    return v;
}

/* The same with one parameter when bind is not NULL. */
static int64_t query_int(tk_db *db, const char *sql, const int64_t *bind, int64_t fallback)
{
    return query_int_n(db, sql, bind, bind ? 1 : 0, fallback);
}

/* The first column of the first row of sql, whose parameter ?1 is the text arg, into buf. */
static void query_text(tk_db *db, const char *sql, const char *arg, char *buf, size_t size)
{
    tk_error err = {0};
    tk_stmt *st = tk_db_prepare(db, sql, &err);
    buf[0] = '\0';
    if (!st) return;
    tk_stmt_bind_text(st, 1, arg);
    if (tk_stmt_step(st, &err) == TK_STEP_ROW && !tk_stmt_column_is_null(st, 0))
        snprintf(buf, size, "%s", tk_stmt_column_text(st, 0));
    tk_stmt_reset(st);
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

/* Ids from sql whose ?1 is scope (a JSON array of organization ids, as tk_auth_scope_json
 * makes it) and ?2 the number wanted. */
static void query_ids_scope(tk_db *db, const char *sql, const char *scope, id_list *l, int want)
{
    tk_error err = {0};
    l->ids = calloc((size_t)want, sizeof *l->ids);
    l->count = 0;
    tk_stmt *st = tk_db_prepare(db, sql, &err);
    if (!st || !l->ids) {
        fprintf(stderr, "bench: %s: %s\n", sql, err.message);
        return;
    }
    tk_stmt_bind_text(st, 1, scope);
    tk_stmt_bind_int(st, 2, want);
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

static void print_header(void)
{
    print_padded("case", NAME_WIDTH);
    printf(" %5s %8s %8s %8s %8s %8s %6s  (ms; cpu = median CPU time; stmts = statements executed per call)\n",
           "rows", "first", "min", "median", "max", "cpu", "stmts");
}

/* ---- permission checks ---- */

/* The tasks a scope (JSON array of granted organizations) sees: led or coordinated in one of the
 * subtrees. Set-up only; the service's own condition is in tk_resource_scope(). */
static const char visible_sql[] =
    "SELECT count(*) FROM (SELECT t.id FROM org_ancestors a JOIN tasks t ON t.lead_org_id = a.org_id "
    "WHERE a.ancestor_id IN (SELECT value FROM json_each(?1)) UNION SELECT c.task_id FROM org_ancestors a "
    "JOIN task_coordinators c ON c.org_id = a.org_id WHERE a.ancestor_id IN (SELECT value FROM json_each(?1)))";

typedef struct perm_caller {
    const char *label;
    tk_caller caller;
    bool system;   /* no caller at all */
    int64_t home;  /* the unit of its lists and dashboard */
} perm_caller;

static void add_grant(perm_caller *p, tk_role role, int64_t org)
{
    p->caller.grants[p->caller.grant_count].role = role;
    p->caller.grants[p->caller.grant_count].org_id = org;
    p->caller.grant_count++;
}

/* The same list and dashboard calls as the system, an admin, the office on the root, an editor
 * on a subordinate committee, an editor on a cell at the bottom of the tree and a viewer with
 * three grants; then single objects in and out of the editor's scope. Callers are built in
 * memory, as tk_auth_session() would fill them: the read paths consult only caller->grants. */
static void permission_cases(const tk_ctx *base, const options *opt, int64_t root, int64_t mid)
{
    tk_db *db = base->db;
    /* The most loaded unit on the deepest level that has no units under it. */
    int64_t deep = query_int(db,
                             "SELECT t.org_id FROM task_rollup t JOIN org_ancestors a ON a.org_id = t.org_id "
                             "AND a.ancestor_id = ?1 WHERE t.scope = 0 "
                             "AND a.depth = (SELECT max(depth) FROM org_ancestors WHERE ancestor_id = ?1) "
                             "AND NOT EXISTS (SELECT 1 FROM organizations c WHERE c.parent_id = t.org_id) "
                             "GROUP BY t.org_id ORDER BY sum(t.n) DESC, t.org_id LIMIT 1",
                             &root, root);
    /* Three unrelated subtrees, none of them mid's: a subordinate committee, a unit on level 2
     * and one on level 3, each under another subordinate. */
    int64_t b1[2] = {root, mid};
    int64_t v1 = query_int_n(db,
                             "SELECT a.org_id FROM org_ancestors a JOIN task_rollup t ON t.org_id = a.org_id "
                             "AND t.scope = 1 WHERE a.ancestor_id = ?1 AND a.depth = 1 AND a.org_id <> ?2 "
                             "GROUP BY a.org_id ORDER BY sum(t.n) DESC, a.org_id LIMIT 1",
                             b1, 2, 0);
    int64_t b2[3] = {root, mid, v1};
    int64_t v2 = query_int_n(db,
                             "SELECT a.org_id FROM org_ancestors a JOIN task_rollup t ON t.org_id = a.org_id "
                             "AND t.scope = 1 WHERE a.ancestor_id = ?1 AND a.depth = 2 AND NOT EXISTS "
                             "(SELECT 1 FROM org_ancestors x WHERE x.org_id = a.org_id AND x.ancestor_id IN (?2, ?3)) "
                             "GROUP BY a.org_id ORDER BY sum(t.n) DESC, a.org_id LIMIT 1",
                             b2, 3, 0);
    int64_t b3[4] = {root, mid, v1, v2};
    int64_t v3 = query_int_n(db,
                             "SELECT a.org_id FROM org_ancestors a JOIN task_rollup t ON t.org_id = a.org_id "
                             "AND t.scope = 1 WHERE a.ancestor_id = ?1 AND a.depth = 3 AND NOT EXISTS "
                             "(SELECT 1 FROM org_ancestors x WHERE x.org_id = a.org_id AND x.ancestor_id IN "
                             "(?2, ?3, (SELECT ancestor_id FROM org_ancestors WHERE org_id = ?4 AND depth = 1))) "
                             "GROUP BY a.org_id ORDER BY sum(t.n) DESC, a.org_id LIMIT 1",
                             b3, 4, 0);

    enum { CALLERS = 6 };
    static perm_caller pc[CALLERS];
    memset(pc, 0, sizeof pc);
    pc[0] = (perm_caller){.label = "system", .system = true, .home = root};
    pc[1] = (perm_caller){.label = "admin", .home = root};
    add_grant(&pc[1], TK_ROLE_ADMIN, 0);
    pc[2] = (perm_caller){.label = "office@root", .home = root};
    add_grant(&pc[2], TK_ROLE_OFFICE, root);
    pc[3] = (perm_caller){.label = "editor@mid", .home = mid};
    add_grant(&pc[3], TK_ROLE_EDITOR, mid);
    pc[4] = (perm_caller){.label = "editor@leaf", .home = deep};
    add_grant(&pc[4], TK_ROLE_EDITOR, deep);
    /* A small tree may have no unit of some level outside mid: the viewer then has fewer grants
     * (never the root's, which would make it see everything). */
    pc[5] = (perm_caller){.label = "viewer x3", .home = v1 ? v1 : mid};
    if (v1) add_grant(&pc[5], TK_ROLE_VIEWER, v1);
    if (v2) add_grant(&pc[5], TK_ROLE_VIEWER, v2);
    if (v3) add_grant(&pc[5], TK_ROLE_VIEWER, v3);
    if (!pc[5].caller.grant_count) add_grant(&pc[5], TK_ROLE_VIEWER, mid);
    for (int i = 1; i < CALLERS; i++) {
        pc[i].caller.user_id = 1000 + i;
        snprintf(pc[i].caller.login, sizeof pc[i].caller.login, "bench-%d", i);
        snprintf(pc[i].caller.display_name, sizeof pc[i].caller.display_name, "%s", pc[i].label);
    }

    printf("\nPermission checks: the same calls as six callers (tk_caller built in memory), then single objects\n");
    for (int i = 0; i < CALLERS; i++) {
        tk_ctx ctx = *base;
        ctx.caller = pc[i].system ? NULL : &pc[i].caller;
        char *scope = tk_auth_scope_json(&ctx);
        printf("  %-12s ", pc[i].label);
        if (pc[i].system) printf("no caller: no filter");
        else if (!scope) printf("admin: no filter");
        for (size_t g = 0; scope && g < pc[i].caller.grant_count; g++) {
            char path[256];
            char id[24];
            snprintf(id, sizeof id, "%" PRId64, pc[i].caller.grants[g].org_id);
            query_text(db,
                       "SELECT group_concat(ancestor_id, ' > ') FROM (SELECT ancestor_id FROM org_ancestors "
                       "WHERE org_id = ?1 ORDER BY depth DESC)",
                       id, path, sizeof path);
            int64_t level = query_int(db, "SELECT max(depth) FROM org_ancestors WHERE org_id = ?",
                                      &pc[i].caller.grants[g].org_id, -1);
            printf("%s%s on %s (level %" PRId64 ": %s)", g ? ", " : "", tk_role_name(pc[i].caller.grants[g].role), id,
                   level, path);
        }
        if (scope) {
            tk_error err = {0};
            tk_stmt *st = tk_db_prepare(db, visible_sql, &err);
            int64_t n = -1;
            if (st) {
                tk_stmt_bind_text(st, 1, scope);
                if (tk_stmt_step(st, &err) == TK_STEP_ROW) n = tk_stmt_column_int(st, 0);
                tk_stmt_reset(st);
            }
            printf("; sees %" PRId64 " tasks", n);
        }
        printf("\n");
        free(scope);
    }
    printf("\n");
    print_header();

    json_t *queries[CALLERS * 8];
    int nq = 0;
    for (int i = 0; i < CALLERS; i++) {
        tk_ctx ctx = *base;
        ctx.caller = pc[i].system ? NULL : &pc[i].caller;
        char home[24], name[64];
        snprintf(home, sizeof home, "%" PRId64, pc[i].home);
        const struct {
            const char *what;
            call_fn fn;
            json_t *query;
            bool breakdown;
        } cases[] = {
            {"list, per_page=50", call_list, query_of("per_page", "50", NULL), i == 0 || i == 3},
            {"list, per_page=200", call_list, query_of("per_page", "200", NULL), i == 3},
            {"list, org=home", call_list, query_of("org", home, NULL), false},
            {"list, status=overdue", call_list, query_of("status", "overdue", NULL), false},
            {"list, q=thực hiện", call_list, query_of("q", "thực hiện", NULL), false},
            {"dashboard home", call_dashboard, query_of("org", home, NULL), i == 3},
        };
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            queries[nq++] = cases[c].query;
            snprintf(name, sizeof name, "%s: %s", pc[i].label, cases[c].what);
            breakdown = cases[c].breakdown;
            run(&ctx, opt, name, cases[c].fn, cases[c].query);
        }
    }

    /* Single objects, for the editor on mid (and a few for the others). */
    int want = opt->reps + 1;
    static const char led_sql[] =
        "SELECT t.id FROM org_ancestors a JOIN tasks t ON t.lead_org_id = a.org_id "
        "WHERE a.ancestor_id IN (SELECT value FROM json_each(?1)) ORDER BY t.id % 101, t.id LIMIT ?2";
    static const char coordinated_sql[] =
        "SELECT DISTINCT c.task_id FROM org_ancestors a JOIN task_coordinators c ON c.org_id = a.org_id "
        "JOIN tasks t ON t.id = c.task_id WHERE a.ancestor_id IN (SELECT value FROM json_each(?1)) "
        "AND t.lead_org_id NOT IN (SELECT org_id FROM org_ancestors WHERE ancestor_id IN "
        "(SELECT value FROM json_each(?1))) ORDER BY c.task_id % 101, c.task_id LIMIT ?2";
    static const char outside_sql[] =
        "SELECT t.id FROM tasks t WHERE t.id % 997 = 13 AND t.lead_org_id NOT IN (SELECT org_id FROM org_ancestors "
        "WHERE ancestor_id IN (SELECT value FROM json_each(?1))) AND NOT EXISTS (SELECT 1 FROM task_coordinators c "
        "JOIN org_ancestors a ON a.org_id = c.org_id WHERE c.task_id = t.id AND a.ancestor_id IN "
        "(SELECT value FROM json_each(?1))) ORDER BY t.id LIMIT ?2";
    /* The first update of such tasks: what an editor changes. */
    static const char led_update_sql[] =
        "SELECT u.id FROM org_ancestors a JOIN tasks t ON t.lead_org_id = a.org_id "
        "JOIN task_updates u ON u.task_id = t.id AND u.id = (SELECT min(id) FROM task_updates WHERE task_id = t.id) "
        "WHERE a.ancestor_id IN (SELECT value FROM json_each(?1)) ORDER BY t.id % 101, t.id LIMIT ?2";
    static const char outside_update_sql[] =
        "SELECT u.id FROM tasks t JOIN task_updates u ON u.task_id = t.id "
        "AND u.id = (SELECT min(id) FROM task_updates WHERE task_id = t.id) WHERE t.id % 997 = 13 "
        "AND t.lead_org_id NOT IN (SELECT org_id FROM org_ancestors WHERE ancestor_id IN "
        "(SELECT value FROM json_each(?1))) AND NOT EXISTS (SELECT 1 FROM task_coordinators c "
        "JOIN org_ancestors a ON a.org_id = c.org_id WHERE c.task_id = t.id AND a.ancestor_id IN "
        "(SELECT value FROM json_each(?1))) ORDER BY t.id LIMIT ?2";
    const struct {
        int caller;
        const char *what;
        const char *sql;
        const tk_resource *res;
        bool write;
        tk_code expect;
    } objects[] = {
        {3, "get task, led in scope", led_sql, &tk_res_task, false, TK_OK},
        {3, "get task, coordinated in scope", coordinated_sql, &tk_res_task, false, TK_OK},
        {3, "get task, out of scope (404)", outside_sql, &tk_res_task, false, TK_NOT_FOUND},
        {3, "check_write task (403: not office)", led_sql, &tk_res_task, true, TK_FORBIDDEN},
        {3, "check_write update, in scope", led_update_sql, &tk_res_task_update, true, TK_OK},
        {3, "check_write update, out of scope", outside_update_sql, &tk_res_task_update, true, TK_FORBIDDEN},
        {2, "get task", led_sql, &tk_res_task, false, TK_OK},
        {2, "check_write task", led_sql, &tk_res_task, true, TK_OK},
        {4, "get task, led in scope", led_sql, &tk_res_task, false, TK_OK},
        {4, "get task, out of scope (404)", outside_sql, &tk_res_task, false, TK_NOT_FOUND},
        {5, "get task, led in scope", led_sql, &tk_res_task, false, TK_OK},
        {5, "get task, out of scope (404)", outside_sql, &tk_res_task, false, TK_NOT_FOUND},
    };
    printf("\n");
    for (size_t o = 0; o < sizeof objects / sizeof objects[0]; o++) {
        perm_caller *p = &pc[objects[o].caller];
        tk_ctx ctx = *base;
        ctx.caller = &p->caller;
        char *scope = tk_auth_scope_json(&ctx);
        object_case oc = {.res = objects[o].res, .write = objects[o].write, .expect = objects[o].expect};
        query_ids_scope(db, objects[o].sql, scope ? scope : "[]", &oc.ids, want);
        free(scope);
        char name[64];
        snprintf(name, sizeof name, "%s: %s", p->label, objects[o].what);
        if (!oc.ids.count) {
            printf("%s: no such objects in this database\n", name);
        } else {
            run(&ctx, opt, name, call_object, &oc);
        }
        free(oc.ids.ids);
    }
    for (int i = 0; i < nq; i++) json_decref(queries[i]);
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
    print_header();

    char *notes_text = NULL, *breakdowns_text = NULL;
    size_t notes_len = 0, breakdowns_len = 0;
    notes = open_memstream(&notes_text, &notes_len);
    breakdowns = open_memstream(&breakdowns_text, &breakdowns_len);
    if (!notes || !breakdowns) return 1;

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

    permission_cases(&ctx, &opt, root, mid);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("\npeak RSS %.1f MB\n", (double)ru.ru_maxrss / 1024.0);

    fclose(breakdowns);
    if (breakdowns_len) {
        printf("\nStatements executed per call, by statement (the permission condition is part of the list's one "
               "query;\nthe statements run once per row come from decorating the rows):\n");
        fwrite(breakdowns_text, 1, breakdowns_len, stdout);
    }
    free(breakdowns_text);

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
