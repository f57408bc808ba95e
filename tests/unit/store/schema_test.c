/* The schema's own rules (src/store/migrations/0001_init.sql): the organization closure
 * table, the fixed parent, the task roll-up counts, the program counters and task search. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/store.h"

/* ---- helpers ---- */

typedef struct val {
    char kind; /* 'i' integer, 'd' real, 't' text (NULL text binds NULL) */
    int64_t i;
    double d;
    const char *t;
} val;

#define I(x) ((val){'i', (x), 0, NULL})
#define D(x) ((val){'d', 0, (x), NULL})
#define T(x) ((val){'t', 0, 0, (x)})
#define VALS(...) (val[]){__VA_ARGS__}, sizeof((val[]){__VA_ARGS__}) / sizeof(val)

static tk_stmt *bound(tk_db *db, const char *sql, const val *v, size_t n)
{
    tk_error err = {0};
    tk_stmt *st = tk_db_prepare(db, sql, &err);
    if (!st) fail_msg("prepare %s: %s", sql, err.message);
    for (size_t k = 0; k < n; k++) {
        int index = (int)k + 1;
        switch (v[k].kind) {
        case 'i': tk_stmt_bind_int(st, index, v[k].i); break;
        case 'd': tk_stmt_bind_double(st, index, v[k].d); break;
        default: tk_stmt_bind_text(st, index, v[k].t); break;
        }
    }
    return st;
}

/* Runs one statement with parameters; the tk_code it ends with. */
static tk_code run_vals(tk_db *db, const char *sql, const val *v, size_t n, tk_error *err)
{
    return tk_stmt_exec(bound(db, sql, v, n), err);
}

#define RUN(db, sql, ...) run_ok(db, sql, VALS(__VA_ARGS__))

static void run_ok(tk_db *db, const char *sql, const val *v, size_t n)
{
    tk_error err = {0};
    if (run_vals(db, sql, v, n, &err) != TK_OK) fail_msg("%s: %s", sql, err.message);
}

/* The single integer a query answers. */
#define INT_OF(db, sql, ...) int_of(db, sql, VALS(__VA_ARGS__))

static int64_t int_of(tk_db *db, const char *sql, const val *v, size_t n)
{
    tk_error err = {0};
    tk_stmt *st = bound(db, sql, v, n);
    if (tk_stmt_step(st, &err) != TK_STEP_ROW) fail_msg("%s: no row (%s)", sql, err.message);
    int64_t r = tk_stmt_column_int(st, 0);
    tk_stmt_reset(st);
    return r;
}

/* Every row of a query as "a/b/c" joined by "; ", NULL shown as empty. */
static const char *rows_text(tk_db *db, const char *sql, const val *v, size_t n, char *buf, size_t size)
{
    tk_error err = {0};
    tk_stmt *st = bound(db, sql, v, n);
    size_t used = 0;
    buf[0] = '\0';
    tk_step s;
    while ((s = tk_stmt_step(st, &err)) == TK_STEP_ROW) {
        for (int c = 0; c < tk_stmt_column_count(st); c++) {
            const char *text = tk_stmt_column_text(st, c);
            const char *sep = c ? "/" : (used ? "; " : "");
            int w = snprintf(buf + used, size - used, "%s%s", sep, text ? text : "");
            assert_true(w >= 0 && (size_t)w < size - used);
            used += (size_t)w;
        }
    }
    if (s == TK_STEP_ERROR) fail_msg("%s: %s", sql, err.message);
    return buf;
}

static const char *const rollup_rows =
    "SELECT org_id, scope, due_kind, due_last, completed_on, n FROM task_rollup "
    "ORDER BY org_id, scope, due_kind, due_last, completed_on";

/* What task_rollup must hold, computed from the tasks themselves. */
static const char *const rollup_expected_rows =
    "SELECT a.ancestor_id, 1, t.due_kind, coalesce(t.due_last, ''), coalesce(t.completed_on, ''), count(*) "
    "FROM tasks t JOIN org_ancestors a ON a.org_id = t.lead_org_id "
    "GROUP BY 1, 2, 3, 4, 5 "
    "UNION ALL "
    "SELECT lead_org_id, 0, due_kind, coalesce(due_last, ''), coalesce(completed_on, ''), count(*) "
    "FROM tasks GROUP BY 1, 2, 3, 4, 5 "
    "ORDER BY 1, 2, 3, 4, 5";

static const char *rollup(tk_db *db, char *buf, size_t size)
{
    return rows_text(db, rollup_rows, NULL, 0, buf, size);
}

static void add_org(tk_db *db, int64_t id, int64_t parent_id, const char *name)
{
    static const char *const sql =
        "INSERT INTO organizations(id, parent_id, kind, name, name_folded) VALUES (?, ?, 'party', ?, ?)";
    tk_error err = {0};
    tk_stmt *st = bound(db, sql, VALS(I(id), T(NULL), T(name), T(name)));
    if (parent_id) tk_stmt_bind_int(st, 2, parent_id);
    if (tk_stmt_exec(st, &err) != TK_OK) fail_msg("org %lld: %s", (long long)id, err.message);
}

/* 1 Tỉnh ủy
 * ├── 2 Huyện ủy A
 * │   └── 3 Đảng ủy xã A1
 * │       └── 5 Chi bộ thôn A1a
 * └── 4 Huyện ủy B */
static tk_db *fixture(void)
{
    tk_db *db = NULL;
    tk_error err = {0};
    if (tk_db_open(":memory:", &db, &err) != TK_OK) fail_msg("%s", err.message);
    add_org(db, 1, 0, "Tỉnh ủy");
    add_org(db, 2, 1, "Huyện ủy A");
    add_org(db, 3, 2, "Đảng ủy xã A1");
    add_org(db, 5, 3, "Chi bộ thôn A1a");
    add_org(db, 4, 1, "Huyện ủy B");
    RUN(db, "INSERT INTO documents(id, kind, title, organization_id, title_folded) VALUES (?, ?, ?, ?, ?)",
        I(1), T("program"), T("Chương trình hành động"), I(1), T("chuong trinh hanh dong"));
    for (int64_t p = 1; p <= 2; p++)
        RUN(db, "INSERT INTO programs(id, document_id, title, title_folded) VALUES (?, ?, ?, ?)",
            I(p), I(1), T("Chương trình công tác"), T("chuong trinh cong tac"));
    return db;
}

struct task {
    int64_t lead;
    int64_t program; /* 0: none */
    const char *due_kind; /* NULL: "span" */
    const char *due_last;
    const char *completed_on;
    double weight; /* 0: 1 */
    int progress;
    const char *search; /* NULL: "nhiem vu" */
};

static int64_t add_task(tk_db *db, const struct task *t)
{
    static const char *const sql =
        "INSERT INTO tasks(program_id, title, lead_org_id, due_text, due_kind, due_last, completed_on,"
        " weight, progress, search_folded) VALUES (?, 'Nhiệm vụ', ?, 'Quý I/2021', ?, ?, ?, ?, ?, ?)";
    tk_error err = {0};
    tk_stmt *st = bound(db, sql,
                        VALS(T(NULL), I(t->lead), T(t->due_kind ? t->due_kind : "span"), T(t->due_last),
                             T(t->completed_on), D(t->weight > 0 ? t->weight : 1), I(t->progress),
                             T(t->search ? t->search : "nhiem vu")));
    if (t->program) tk_stmt_bind_int(st, 1, t->program);
    if (tk_stmt_exec(st, &err) != TK_OK) fail_msg("task: %s", err.message);
    return tk_db_last_id(db);
}

static int64_t empty_rollup_rows(tk_db *db)
{
    return INT_OF(db, "SELECT count(*) FROM task_rollup WHERE n <= ?", I(0));
}

/* ---- organizations ---- */

static void ancestors_of_a_tree(void **state)
{
    (void)state;
    static const struct {
        int64_t org;
        const char *ancestors; /* ancestor/depth, nearest first */
    } cases[] = {
        {1, "1/0"},
        {2, "2/0; 1/1"},
        {3, "3/0; 2/1; 1/2"},
        {5, "5/0; 3/1; 2/2; 1/3"},
        {4, "4/0; 1/1"},
    };
    char buf[256];
    tk_db *db = fixture();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rows_text(db, "SELECT ancestor_id, depth FROM org_ancestors WHERE org_id = ? ORDER BY depth",
                  VALS(I(cases[i].org)), buf, sizeof buf);
        assert_string_equal(buf, cases[i].ancestors);
    }
    assert_int_equal(INT_OF(db, "SELECT count(*) FROM org_ancestors WHERE depth >= ?", I(0)), 12);
    /* A subtree is one index range: everything under Huyện ủy A. */
    rows_text(db, "SELECT org_id FROM org_ancestors WHERE ancestor_id = ? ORDER BY org_id",
              VALS(I(2)), buf, sizeof buf);
    assert_string_equal(buf, "2; 3; 5");
    tk_db_close(db);
}

static void parent_cannot_change(void **state)
{
    (void)state;
    static const struct {
        int64_t org;
        val parent;
    } moves[] = {
        {3, {'i', 4, 0, NULL}},    /* to another branch */
        {3, {'t', 0, 0, NULL}},    /* to the top */
        {4, {'i', 2, 0, NULL}},    /* under a sibling */
    };
    char before[512], after[512];
    tk_db *db = fixture();
    rows_text(db, "SELECT ancestor_id, org_id, depth FROM org_ancestors ORDER BY 1, 2", NULL, 0, before,
              sizeof before);
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
        tk_error err = {0};
        assert_int_equal(run_vals(db, "UPDATE organizations SET parent_id = ? WHERE id = ?",
                                  VALS(moves[i].parent, I(moves[i].org)), &err),
                         TK_CONFLICT);
        assert_non_null(strstr(err.message, "parent is fixed"));
    }
    rows_text(db, "SELECT ancestor_id, org_id, depth FROM org_ancestors ORDER BY 1, 2", NULL, 0, after,
              sizeof after);
    assert_string_equal(before, after);
    assert_int_equal(INT_OF(db, "SELECT parent_id FROM organizations WHERE id = ?", I(3)), 2);

    /* Other columns change freely, and writing the same parent again is no move. */
    RUN(db, "UPDATE organizations SET parent_id = ?, name = ? WHERE id = ?", I(2), T("Đảng ủy thị trấn A1"), I(3));
    assert_int_equal(INT_OF(db, "SELECT count(*) FROM organizations WHERE name = ?", T("Đảng ủy thị trấn A1")), 1);
    tk_db_close(db);
}

/* ---- task roll-up ---- */

static void rollup_counts_inserts(void **state)
{
    (void)state;
    char buf[1024];
    tk_db *db = fixture();
    add_task(db, &(struct task){.lead = 5, .due_last = "2021-03-31"});
    assert_string_equal(rollup(db, buf, sizeof buf),
                        "1/1/span/2021-03-31//1; "
                        "2/1/span/2021-03-31//1; "
                        "3/1/span/2021-03-31//1; "
                        "5/0/span/2021-03-31//1; "
                        "5/1/span/2021-03-31//1");

    add_task(db, &(struct task){.lead = 5, .due_last = "2021-03-31"});
    add_task(db, &(struct task){.lead = 3, .due_last = "2021-03-31", .completed_on = "2021-03-20"});
    add_task(db, &(struct task){.lead = 4, .due_kind = "continuous"});
    assert_string_equal(rollup(db, buf, sizeof buf),
                        "1/1/continuous///1; "
                        "1/1/span/2021-03-31//2; "
                        "1/1/span/2021-03-31/2021-03-20/1; "
                        "2/1/span/2021-03-31//2; "
                        "2/1/span/2021-03-31/2021-03-20/1; "
                        "3/0/span/2021-03-31/2021-03-20/1; "
                        "3/1/span/2021-03-31//2; "
                        "3/1/span/2021-03-31/2021-03-20/1; "
                        "4/0/continuous///1; "
                        "4/1/continuous///1; "
                        "5/0/span/2021-03-31//2; "
                        "5/1/span/2021-03-31//2");
    tk_db_close(db);
}

static void rollup_follows_updates(void **state)
{
    (void)state;
    char buf[1024];
    tk_db *db = fixture();
    int64_t a = add_task(db, &(struct task){.lead = 3, .due_last = "2021-03-31"});
    int64_t b = add_task(db, &(struct task){.lead = 3, .due_last = "2021-03-31"});

    RUN(db, "UPDATE tasks SET completed_on = ?, progress = ? WHERE id = ?", T("2021-03-15"), I(100), I(a));
    assert_string_equal(rollup(db, buf, sizeof buf),
                        "1/1/span/2021-03-31//1; "
                        "1/1/span/2021-03-31/2021-03-15/1; "
                        "2/1/span/2021-03-31//1; "
                        "2/1/span/2021-03-31/2021-03-15/1; "
                        "3/0/span/2021-03-31//1; "
                        "3/0/span/2021-03-31/2021-03-15/1; "
                        "3/1/span/2021-03-31//1; "
                        "3/1/span/2021-03-31/2021-03-15/1");

    /* Gia hạn: b's deadline moves to the next quarter. */
    RUN(db, "UPDATE tasks SET due_last = ? WHERE id = ?", T("2021-06-30"), I(b));
    assert_string_equal(rollup(db, buf, sizeof buf),
                        "1/1/span/2021-03-31/2021-03-15/1; "
                        "1/1/span/2021-06-30//1; "
                        "2/1/span/2021-03-31/2021-03-15/1; "
                        "2/1/span/2021-06-30//1; "
                        "3/0/span/2021-03-31/2021-03-15/1; "
                        "3/0/span/2021-06-30//1; "
                        "3/1/span/2021-03-31/2021-03-15/1; "
                        "3/1/span/2021-06-30//1");

    /* a is handed to Huyện ủy B: branch A loses it, branch B gains it, the province keeps it. */
    RUN(db, "UPDATE tasks SET lead_org_id = ? WHERE id = ?", I(4), I(a));
    assert_string_equal(rollup(db, buf, sizeof buf),
                        "1/1/span/2021-03-31/2021-03-15/1; "
                        "1/1/span/2021-06-30//1; "
                        "2/1/span/2021-06-30//1; "
                        "3/0/span/2021-06-30//1; "
                        "3/1/span/2021-06-30//1; "
                        "4/0/span/2021-03-31/2021-03-15/1; "
                        "4/1/span/2021-03-31/2021-03-15/1");

    /* The deadline becomes "Thường xuyên": kind and deadline change together. */
    RUN(db, "UPDATE tasks SET due_kind = ?, due_last = ? WHERE id = ?", T("continuous"), T(NULL), I(b));
    assert_string_equal(rollup(db, buf, sizeof buf),
                        "1/1/continuous///1; "
                        "1/1/span/2021-03-31/2021-03-15/1; "
                        "2/1/continuous///1; "
                        "3/0/continuous///1; "
                        "3/1/continuous///1; "
                        "4/0/span/2021-03-31/2021-03-15/1; "
                        "4/1/span/2021-03-31/2021-03-15/1");

    /* A change to anything else leaves the counts alone. */
    char before[1024];
    rollup(db, before, sizeof before);
    RUN(db, "UPDATE tasks SET title = ?, progress = ? WHERE id = ?", T("Nhiệm vụ mới"), I(40), I(b));
    assert_string_equal(rollup(db, buf, sizeof buf), before);
    assert_int_equal(empty_rollup_rows(db), 0);
    tk_db_close(db);
}

static void rollup_follows_deletes(void **state)
{
    (void)state;
    char buf[1024];
    tk_db *db = fixture();
    int64_t a = add_task(db, &(struct task){.lead = 5, .due_last = "2021-12-31"});
    int64_t b = add_task(db, &(struct task){.lead = 5, .due_last = "2021-12-31"});
    int64_t c = add_task(db, &(struct task){.lead = 2, .due_last = "2021-12-31"});

    RUN(db, "DELETE FROM tasks WHERE id = ?", I(a));
    assert_string_equal(rollup(db, buf, sizeof buf),
                        "1/1/span/2021-12-31//2; "
                        "2/0/span/2021-12-31//1; "
                        "2/1/span/2021-12-31//2; "
                        "3/1/span/2021-12-31//1; "
                        "5/0/span/2021-12-31//1; "
                        "5/1/span/2021-12-31//1");

    RUN(db, "DELETE FROM tasks WHERE id = ?", I(b));
    assert_string_equal(rollup(db, buf, sizeof buf),
                        "1/1/span/2021-12-31//1; "
                        "2/0/span/2021-12-31//1; "
                        "2/1/span/2021-12-31//1");

    RUN(db, "DELETE FROM tasks WHERE id = ?", I(c));
    assert_string_equal(rollup(db, buf, sizeof buf), "");
    tk_db_close(db);
}

/* A fixed sequence of inserts, updates and deletes; after each step the stored counts equal
 * the counts computed from the tasks, and no empty row is left. */
static void rollup_matches_recount(void **state)
{
    (void)state;
    static const char *const dues[] = {NULL, "2021-03-31", "2021-06-30", "2022-12-31"};
    static const char *const dones[] = {NULL, NULL, "2021-03-01", "2021-07-15"};
    char got[8192], want[8192];
    tk_db *db = fixture();
    uint32_t seed = 12345;
    int64_t ids[64];
    size_t count = 0;
    for (int step = 0; step < 400; step++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t r = seed >> 8;
        int64_t lead = 1 + (int64_t)(r % 5);
        const char *due = dues[(r >> 3) % 4];
        const char *done = dones[(r >> 5) % 4];
        switch ((r >> 7) % 5) {
        case 0:
        case 1:
            if (count < sizeof ids / sizeof ids[0])
                ids[count++] = add_task(db, &(struct task){.lead = lead, .due_last = due,
                                                           .completed_on = done,
                                                           .due_kind = due ? "span" : "continuous"});
            break;
        case 2:
            if (count)
                RUN(db, "UPDATE tasks SET lead_org_id = ? WHERE id = ?", I(lead), I(ids[(r >> 9) % count]));
            break;
        case 3:
            if (count)
                RUN(db, "UPDATE tasks SET due_last = ?, completed_on = ? WHERE id = ?", T(due), T(done),
                    I(ids[(r >> 9) % count]));
            break;
        default:
            if (count) {
                size_t k = (r >> 9) % count;
                RUN(db, "DELETE FROM tasks WHERE id = ?", I(ids[k]));
                ids[k] = ids[--count];
            }
            break;
        }
        rollup(db, got, sizeof got);
        rows_text(db, rollup_expected_rows, NULL, 0, want, sizeof want);
        if (strcmp(got, want) != 0) fail_msg("step %d:\n got  %s\n want %s", step, got, want);
        assert_int_equal(empty_rollup_rows(db), 0);
    }
    tk_db_close(db);
}

/* Regression: clearing empty rows scanned the whole table on every task change (20 ms a
 * change at 200.000 tasks). */
static void rollup_cleanup_uses_an_index(void **state)
{
    (void)state;
    char plan[512];
    tk_db *db = fixture();
    rows_text(db, "EXPLAIN QUERY PLAN DELETE FROM task_rollup WHERE n = ?", VALS(I(0)), plan, sizeof plan);
    if (!strstr(plan, "USING") || strstr(plan, "SCAN task_rollup")) fail_msg("plan: %s", plan);
    tk_db_close(db);
}

/* ---- program counters ---- */

static void program_counters(void **state)
{
    (void)state;
    static const char *const programs_sql =
        "SELECT id, task_count, weight_sum, weighted_progress FROM programs ORDER BY id";
    char buf[256];
    tk_db *db = fixture();
    assert_int_equal(add_task(db, &(struct task){.lead = 2, .program = 1, .weight = 2, .progress = 50}), 1);
    assert_int_equal(add_task(db, &(struct task){.lead = 2, .program = 1, .weight = 1, .progress = 0}), 2);
    assert_int_equal(add_task(db, &(struct task){.lead = 3, .program = 2, .weight = 3, .progress = 100}), 3);
    assert_int_equal(add_task(db, &(struct task){.lead = 3, .weight = 5, .progress = 20}), 4); /* no program */
    rows_text(db, programs_sql, NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "1/2/3.0/100.0; 2/1/3.0/300.0");

    /* program id / task_count / weight_sum / weighted_progress after each change */
    const struct {
        const char *sql;
        val value, task;
        const char *programs;
    } steps[] = {
        {"UPDATE tasks SET progress = ? WHERE id = ?", I(80), I(1), "1/2/3.0/160.0; 2/1/3.0/300.0"},
        {"UPDATE tasks SET weight = ? WHERE id = ?", D(1), I(1), "1/2/2.0/80.0; 2/1/3.0/300.0"},
        {"UPDATE tasks SET program_id = ? WHERE id = ?", I(2), I(2), "1/1/1.0/80.0; 2/2/4.0/300.0"},
        {"UPDATE tasks SET title = ? WHERE id = ?", T("Nhiệm vụ đổi tên"), I(2), "1/1/1.0/80.0; 2/2/4.0/300.0"},
        {"UPDATE tasks SET progress = ? WHERE id = ?", I(30), I(4), "1/1/1.0/80.0; 2/2/4.0/300.0"},
        {"UPDATE tasks SET program_id = ? WHERE id = ?", I(1), I(4), "1/2/6.0/230.0; 2/2/4.0/300.0"},
        {"DELETE FROM tasks WHERE id = ? OR id = ?", I(3), I(4), "1/1/1.0/80.0; 2/1/1.0/0.0"},
        {"UPDATE tasks SET program_id = ? WHERE id = ?", T(NULL), I(1), "1/0/0.0/0.0; 2/1/1.0/0.0"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        tk_error err = {0};
        if (run_vals(db, steps[i].sql, VALS(steps[i].value, steps[i].task), &err) != TK_OK)
            fail_msg("step %zu: %s", i, err.message);
        rows_text(db, programs_sql, NULL, 0, buf, sizeof buf);
        if (strcmp(buf, steps[i].programs) != 0)
            fail_msg("step %zu (%s):\n got  %s\n want %s", i, steps[i].sql, buf, steps[i].programs);
    }
    tk_db_close(db);
}

/* ---- search ---- */

static const char *const search_sql = "SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ? ORDER BY rowid";

static void search_finds_substrings(void **state)
{
    (void)state;
    static const struct {
        const char *query;
        const char *ids;
    } cases[] = {
        {"\"dang bo\"", "1"},
        {"\"chi dao\"", "1; 2"},
        {"\"ang b\"", "1"},   /* inside words: trigrams, not whole tokens */
        {"\"uy ban\"", "2"},
        {"\"hoi dong\"", ""},
    };
    char buf[128];
    tk_db *db = fixture();
    assert_int_equal(add_task(db, &(struct task){.lead = 1, .search = "ban chi dao dang bo tinh"}), 1);
    assert_int_equal(add_task(db, &(struct task){.lead = 1, .search = "uy ban nhan dan chi dao"}), 2);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rows_text(db, search_sql, VALS(T(cases[i].query)), buf, sizeof buf);
        if (strcmp(buf, cases[i].ids) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", cases[i].query, buf, cases[i].ids);
    }
    tk_db_close(db);
}

static void search_follows_changes(void **state)
{
    (void)state;
    char buf[128];
    tk_db *db = fixture();
    int64_t a = add_task(db, &(struct task){.lead = 1, .search = "ban chi dao dang bo tinh"});
    int64_t b = add_task(db, &(struct task){.lead = 1, .search = "dang bo huyen"});

    RUN(db, "UPDATE tasks SET search_folded = ? WHERE id = ?", T("hoi dong nhan dan tinh"), I(a));
    rows_text(db, search_sql, VALS(T("\"dang bo\"")), buf, sizeof buf);
    assert_int_equal(strtoll(buf, NULL, 10), b);
    assert_null(strchr(buf, ';'));
    rows_text(db, search_sql, VALS(T("\"hoi dong\"")), buf, sizeof buf);
    assert_int_equal(strtoll(buf, NULL, 10), a);

    RUN(db, "DELETE FROM tasks WHERE id = ?", I(a));
    rows_text(db, search_sql, VALS(T("\"hoi dong\"")), buf, sizeof buf);
    assert_string_equal(buf, "");
    rows_text(db, search_sql, VALS(T("\"dang bo\"")), buf, sizeof buf);
    assert_int_equal(strtoll(buf, NULL, 10), b);

    /* The index agrees with its content table after all of it. */
    RUN(db, "INSERT INTO tasks_fts(tasks_fts, rank) VALUES (?, ?)", T("integrity-check"), I(1));
    tk_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ancestors_of_a_tree),
        cmocka_unit_test(parent_cannot_change),
        cmocka_unit_test(rollup_counts_inserts),
        cmocka_unit_test(rollup_follows_updates),
        cmocka_unit_test(rollup_follows_deletes),
        cmocka_unit_test(rollup_matches_recount),
        cmocka_unit_test(rollup_cleanup_uses_an_index),
        cmocka_unit_test(program_counters),
        cmocka_unit_test(search_finds_substrings),
        cmocka_unit_test(search_follows_changes),
    };
    return cmocka_run_group_tests_name("store/schema", tests, NULL, NULL);
}
