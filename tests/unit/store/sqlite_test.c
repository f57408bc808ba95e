/* The SQLite backend: connection settings, migrations, the statement cache, binding and
 * columns, error mapping and transactions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/embedded.h"
#include "store/store.h"

/* ---- helpers ---- */

struct tmpdb {
    char dir[256];
    char path[300];
};

static void tmpdb_make(struct tmpdb *t)
{
    const char *base = getenv("TK_TEST_TMP");
    if (!base || !*base) base = "/tmp";
    snprintf(t->dir, sizeof t->dir, "%s/tk-sqlite-XXXXXX", base);
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/test.db", t->dir);
}

static void tmpdb_remove(struct tmpdb *t)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char p[320];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(p, sizeof p, "%s%s", t->path, suffixes[i]);
        unlink(p);
    }
    rmdir(t->dir);
}

static tk_db *open_ok(const char *path)
{
    tk_db *db = NULL;
    tk_error err = {0};
    tk_code rc = tk_db_open(path, &db, &err);
    if (rc != TK_OK) fail_msg("tk_db_open(%s): %s", path, err.message);
    assert_non_null(db);
    return db;
}

static void exec_ok(tk_db *db, const char *sql)
{
    tk_error err = {0};
    if (tk_db_exec_script(db, sql, &err) != TK_OK) fail_msg("%s: %s", sql, err.message);
}

static tk_stmt *prepare_ok(tk_db *db, const char *sql)
{
    tk_error err = {0};
    tk_stmt *st = tk_db_prepare(db, sql, &err);
    if (!st) fail_msg("prepare %s: %s", sql, err.message);
    return st;
}

/* The one integer a query without parameters answers. */
static int64_t query_int(tk_db *db, const char *sql)
{
    tk_error err = {0};
    tk_stmt *st = prepare_ok(db, sql);
    assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ROW);
    int64_t v = tk_stmt_column_int(st, 0);
    tk_stmt_reset(st);
    return v;
}

/* The text a pragma answers, copied into buf. */
static const char *query_text(tk_db *db, const char *sql, char *buf, size_t size)
{
    tk_error err = {0};
    tk_stmt *st = prepare_ok(db, sql);
    assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ROW);
    snprintf(buf, size, "%s", tk_stmt_column_text(st, 0));
    tk_stmt_reset(st);
    return buf;
}

static int known_version(void)
{
    int v = 0;
    for (const tk_embedded_file *m = tk_migrations; m->name; m++) v = atoi(m->name);
    return v;
}

static int migration_count(void)
{
    int n = 0;
    for (const tk_embedded_file *m = tk_migrations; m->name; m++) n++;
    return n;
}

/* Runs SQL on the file outside trienkhai, as another program (or an older bug) would. */
static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *conn = NULL;
    assert_int_equal(sqlite3_open(path, &conn), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(conn, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) fail_msg("%s: %s", sql, msg ? msg : "?");
    sqlite3_close(conn);
}

static int64_t raw_int(const char *path, const char *sql)
{
    sqlite3 *conn = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(path, &conn), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(conn, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(conn);
    return v;
}

static const char *const create_people =
    "CREATE TABLE units (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " unit_id INTEGER REFERENCES units(id));"
    "INSERT INTO units(id, name) VALUES (1, 'Văn phòng Tỉnh ủy');";

static const char *const insert_person = "INSERT INTO people(name, unit_id) VALUES (?, ?)";

static int64_t count_people(tk_db *db)
{
    return query_int(db, "SELECT count(*) FROM people");
}

/* ---- connection settings ---- */

static void memory_db_settings(void **state)
{
    (void)state;
    char buf[32];
    tk_db *db = open_ok(":memory:");
    assert_int_equal(query_int(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(query_int(db, "PRAGMA synchronous"), 2);
    assert_int_equal(query_int(db, "PRAGMA busy_timeout"), 5000);
    assert_string_equal(query_text(db, "PRAGMA journal_mode", buf, sizeof buf), "memory");
    assert_int_equal(tk_db_schema_version(db), known_version());
    tk_db_close(db);
}

static void file_db_settings(void **state)
{
    (void)state;
    struct tmpdb t;
    char buf[32];
    tmpdb_make(&t);
    tk_db *db = open_ok(t.path);
    assert_string_equal(query_text(db, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    assert_int_equal(query_int(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(query_int(db, "PRAGMA synchronous"), 2);
    assert_int_equal(query_int(db, "PRAGMA busy_timeout"), 5000);
    assert_int_equal(tk_db_schema_version(db), known_version());
    tk_db_close(db);
    tmpdb_remove(&t);
}

static void open_bad_path_fails(void **state)
{
    (void)state;
    tk_db *db = (tk_db *)&db;
    tk_error err = {0};
    assert_int_equal(tk_db_open("/nonexistent-dir-tk/x/y.db", &db, &err), TK_STORAGE);
    assert_null(db);
    assert_non_null(strstr(err.message, "Không mở được"));
}

/* ---- migrations ---- */

static void migrations_applied_once(void **state)
{
    (void)state;
    struct tmpdb t;
    tmpdb_make(&t);
    tk_db *db = open_ok(t.path);
    int first = tk_db_schema_version(db);
    assert_true(first >= 1);
    tk_db_close(db);

    db = open_ok(t.path);
    assert_int_equal(tk_db_schema_version(db), first);
    assert_int_equal(query_int(db, "SELECT count(*) FROM schema_migrations"), migration_count());
    tk_error err = {0};
    tk_stmt *st = prepare_ok(db, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
    assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ROW);
    assert_int_equal(tk_stmt_column_int(st, 0), 1);
    assert_string_equal(tk_stmt_column_text(st, 1), tk_migrations[0].name);
    assert_int_equal(strlen(tk_stmt_column_text(st, 2)), strlen("2024-01-01T00:00:00Z"));
    tk_stmt_reset(st);
    tk_db_close(db);
    tmpdb_remove(&t);
}

static void newer_database_refused(void **state)
{
    (void)state;
    struct tmpdb t;
    tmpdb_make(&t);
    tk_db_close(open_ok(t.path));
    raw_exec(t.path, "INSERT INTO schema_migrations(version, name, applied_at) "
                     "VALUES (9999, '9999_future.sql', '2099-01-01T00:00:00Z')");

    tk_db *db = NULL;
    tk_error err = {0};
    assert_int_equal(tk_db_open(t.path, &db, &err), TK_STORAGE);
    assert_null(db);
    assert_non_null(strstr(err.message, "9999"));
    assert_non_null(strstr(err.message, "mới hơn"));
    tmpdb_remove(&t);
}

/* A table the first migration creates already exists, so the migration fails part way:
 * nothing it did before the failure may remain. */
static void failed_migration_rolls_back(void **state)
{
    (void)state;
    struct tmpdb t;
    tmpdb_make(&t);
    raw_exec(t.path, "CREATE TABLE tasks (x INTEGER)");

    tk_db *db = NULL;
    tk_error err = {0};
    assert_int_equal(tk_db_open(t.path, &db, &err), TK_STORAGE);
    assert_null(db);
    assert_non_null(strstr(err.message, tk_migrations[0].name));
    assert_non_null(strstr(err.message, "tasks"));
    assert_int_equal(raw_int(t.path, "SELECT count(*) FROM sqlite_master WHERE name = 'organizations'"), 0);
    assert_int_equal(raw_int(t.path, "SELECT count(*) FROM schema_migrations"), 0);
    tmpdb_remove(&t);
}

/* ---- statement cache ---- */

static void cache_keyed_by_text(void **state)
{
    (void)state;
    tk_db *db = open_ok(":memory:");
    char copy[64];
    const char *sql = "SELECT 1";
    snprintf(copy, sizeof copy, "%s", sql);
    tk_stmt *a = prepare_ok(db, sql);
    tk_stmt *b = prepare_ok(db, copy);
    assert_ptr_equal(a, b);
    assert_ptr_not_equal(a, prepare_ok(db, "SELECT 2"));
    tk_db_close(db);
}

/* Enough statements to grow the table several times; each text finds its own again. */
static void cache_survives_growth(void **state)
{
    (void)state;
    enum { N = 300 };
    tk_db *db = open_ok(":memory:");
    tk_stmt *seen[N];
    char sql[64];
    for (int i = 0; i < N; i++) {
        snprintf(sql, sizeof sql, "SELECT %d", i);
        seen[i] = prepare_ok(db, sql);
    }
    tk_error err = {0};
    for (int i = 0; i < N; i++) {
        snprintf(sql, sizeof sql, "SELECT %d", i);
        tk_stmt *st = prepare_ok(db, sql);
        assert_ptr_equal(st, seen[i]);
        assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ROW);
        assert_int_equal(tk_stmt_column_int(st, 0), i);
        assert_int_equal(tk_stmt_step(st, &err), TK_STEP_DONE);
    }
    tk_db_close(db);
}

static void prepare_resets_and_clears(void **state)
{
    (void)state;
    tk_db *db = open_ok(":memory:");
    tk_error err = {0};
    const char *sql = "SELECT value, ? FROM nums ORDER BY value";
    exec_ok(db, "CREATE TABLE nums (value INTEGER); INSERT INTO nums VALUES (1), (2), (3)");

    tk_stmt *st = prepare_ok(db, sql);
    tk_stmt_bind_int(st, 1, 42);
    assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ROW);
    assert_int_equal(tk_stmt_column_int(st, 1), 42);
    assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ROW);
    assert_int_equal(tk_stmt_column_int(st, 0), 2);

    /* Abandoned after two rows: the next prepare starts over with no bindings. */
    st = prepare_ok(db, sql);
    assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ROW);
    assert_int_equal(tk_stmt_column_int(st, 0), 1);
    assert_true(tk_stmt_column_is_null(st, 1));
    tk_stmt_reset(st);
    tk_db_close(db);
}

static void prepare_errors(void **state)
{
    (void)state;
    tk_db *db = open_ok(":memory:");
    tk_error err = {0};
    assert_null(tk_db_prepare(db, "SELECT * FROM no_such_table", &err));
    assert_int_equal(err.code, TK_STORAGE);
    assert_non_null(strstr(err.message, "no_such_table"));

    tk_error_clear(&err);
    assert_null(tk_db_prepare(db, "SELECT 1; SELECT 2", &err));
    assert_int_equal(err.code, TK_INTERNAL);

    tk_error_clear(&err);
    assert_null(tk_db_prepare(db, "  ", &err));
    assert_int_equal(err.code, TK_INTERNAL);

    /* A failed prepare leaves nothing behind: a later valid text still works. */
    assert_non_null(prepare_ok(db, "SELECT 1;  "));
    tk_db_close(db);
}

/* ---- binding and columns ---- */

static void bind_and_read_each_type(void **state)
{
    (void)state;
    tk_db *db = open_ok(":memory:");
    tk_error err = {0};
    char text[64];
    snprintf(text, sizeof text, "%s", "Đảng bộ tỉnh");

    tk_stmt *st = prepare_ok(db, "SELECT ? AS big, ? AS neg, ? AS ratio, ? AS name, ? AS missing, ? AS none");
    tk_stmt_bind_int(st, 1, INT64_MAX);
    tk_stmt_bind_int(st, 2, -7);
    tk_stmt_bind_double(st, 3, 0.125);
    tk_stmt_bind_text(st, 4, text);
    tk_stmt_bind_text(st, 5, NULL);
    tk_stmt_bind_null(st, 6);
    /* Text is copied at bind: changing the buffer afterwards does not change the value. */
    memset(text, 'x', sizeof text - 1);

    assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ROW);
    assert_int_equal(tk_stmt_column_count(st), 6);
    static const char *const names[] = {"big", "neg", "ratio", "name", "missing", "none"};
    for (int i = 0; i < 6; i++) assert_string_equal(tk_stmt_column_name(st, i), names[i]);

    assert_true(tk_stmt_column_is_int(st, 0));
    assert_false(tk_stmt_column_is_real(st, 0));
    assert_true(tk_stmt_column_int(st, 0) == INT64_MAX);
    assert_true(tk_stmt_column_int(st, 1) == -7);

    assert_true(tk_stmt_column_is_real(st, 2));
    assert_false(tk_stmt_column_is_int(st, 2));
    assert_true(tk_stmt_column_double(st, 2) == 0.125);

    assert_false(tk_stmt_column_is_int(st, 3));
    assert_false(tk_stmt_column_is_null(st, 3));
    assert_string_equal(tk_stmt_column_text(st, 3), "Đảng bộ tỉnh");

    for (int i = 4; i < 6; i++) {
        assert_true(tk_stmt_column_is_null(st, i));
        assert_false(tk_stmt_column_is_int(st, i));
        assert_false(tk_stmt_column_is_real(st, i));
        assert_null(tk_stmt_column_text(st, i));
    }
    assert_int_equal(tk_stmt_step(st, &err), TK_STEP_DONE);
    tk_db_close(db);
}

static void empty_text_is_not_null(void **state)
{
    (void)state;
    tk_db *db = open_ok(":memory:");
    tk_error err = {0};
    tk_stmt *st = prepare_ok(db, "SELECT ?, x'' ");
    tk_stmt_bind_text(st, 1, "");
    assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ROW);
    assert_false(tk_stmt_column_is_null(st, 0));
    assert_string_equal(tk_stmt_column_text(st, 0), "");
    assert_string_equal(tk_stmt_column_text(st, 1), "");
    tk_stmt_reset(st);
    tk_db_close(db);
}

static void bad_bind_index_reported_at_step(void **state)
{
    (void)state;
    tk_db *db = open_ok(":memory:");
    tk_error err = {0};
    tk_stmt *st = prepare_ok(db, "SELECT ?");
    tk_stmt_bind_int(st, 1, 1);
    tk_stmt_bind_int(st, 2, 2);
    assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ERROR);
    assert_int_equal(err.code, TK_INTERNAL);
    assert_non_null(strstr(err.message, "2"));

    /* The next prepare forgets it. */
    st = prepare_ok(db, "SELECT ?");
    tk_stmt_bind_int(st, 1, 5);
    assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ROW);
    assert_int_equal(tk_stmt_column_int(st, 0), 5);
    tk_stmt_reset(st);
    tk_db_close(db);
}

static void last_id_and_changes(void **state)
{
    (void)state;
    tk_db *db = open_ok(":memory:");
    tk_error err = {0};
    exec_ok(db, create_people);
    tk_stmt *st = prepare_ok(db, insert_person);
    tk_stmt_bind_text(st, 1, "Nguyễn Văn A");
    tk_stmt_bind_int(st, 2, 1);
    assert_int_equal(tk_stmt_exec(st, &err), TK_OK);
    int64_t first = tk_db_last_id(db);
    assert_true(first > 0);

    st = prepare_ok(db, insert_person);
    tk_stmt_bind_text(st, 1, "Trần Thị B");
    tk_stmt_bind_null(st, 2);
    assert_int_equal(tk_stmt_exec(st, &err), TK_OK);
    assert_true(tk_db_last_id(db) == first + 1);
    assert_int_equal(tk_db_changes(db), 1);

    st = prepare_ok(db, "UPDATE people SET unit_id = ?");
    tk_stmt_bind_int(st, 1, 1);
    assert_int_equal(tk_stmt_exec(st, &err), TK_OK);
    assert_int_equal(tk_db_changes(db), 2);
    tk_db_close(db);
}

/* ---- errors ---- */

static void constraint_failures_are_conflicts(void **state)
{
    (void)state;
    static const struct {
        const char *sql;
        const char *name;
        int64_t unit;
    } cases[] = {
        {"INSERT INTO units(id, name) VALUES (?, ?)", "Văn phòng Tỉnh ủy", 2}, /* UNIQUE */
        {"INSERT INTO units(id, name) VALUES (?, ?)", "Ban Tuyên giáo", 1},    /* PRIMARY KEY */
        {"INSERT INTO units(id, name) VALUES (?, ?)", NULL, 3},                /* NOT NULL */
    };
    tk_db *db = open_ok(":memory:");
    exec_ok(db, create_people);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tk_error err = {0};
        tk_stmt *st = prepare_ok(db, cases[i].sql);
        tk_stmt_bind_int(st, 1, cases[i].unit);
        tk_stmt_bind_text(st, 2, cases[i].name);
        assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ERROR);
        assert_int_equal(err.code, TK_CONFLICT);
        assert_non_null(strstr(err.message, "Dữ liệu mâu thuẫn với dữ liệu đã lưu"));
    }

    /* A foreign key to a unit that does not exist, through tk_stmt_exec. */
    tk_error err = {0};
    tk_stmt *st = prepare_ok(db, insert_person);
    tk_stmt_bind_text(st, 1, "Lê Văn C");
    tk_stmt_bind_int(st, 2, 99);
    assert_int_equal(tk_stmt_exec(st, &err), TK_CONFLICT);
    assert_non_null(strstr(err.message, "FOREIGN KEY"));
    assert_int_equal(count_people(db), 0);
    tk_db_close(db);
}

static void runtime_error_is_storage(void **state)
{
    (void)state;
    tk_db *db = open_ok(":memory:");
    tk_error err = {0};
    tk_stmt *st = prepare_ok(db, "SELECT abs(?)");
    tk_stmt_bind_int(st, 1, INT64_MIN);
    assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ERROR);
    assert_int_equal(err.code, TK_STORAGE);
    assert_non_null(strstr(err.message, "integer overflow"));

    tk_error_clear(&err);
    assert_int_equal(tk_db_exec_script(db, "CREATE TABLE a (x); CREATE TABLE a (y)", &err), TK_STORAGE);
    assert_non_null(strstr(err.message, "already exists"));
    tk_db_close(db);
}

/* ---- transactions ---- */

static void add_person(tk_db *db, const char *name)
{
    tk_error err = {0};
    tk_stmt *st = prepare_ok(db, insert_person);
    tk_stmt_bind_text(st, 1, name);
    tk_stmt_bind_int(st, 2, 1);
    if (tk_stmt_exec(st, &err) != TK_OK) fail_msg("%s", err.message);
}

static void rollback_leaves_nothing(void **state)
{
    (void)state;
    tk_db *db = open_ok(":memory:");
    exec_ok(db, create_people);
    tk_error err = {0};
    assert_int_equal(tk_db_begin(db, &err), TK_OK);
    add_person(db, "Phạm Văn D");
    add_person(db, "Hoàng Thị E");
    tk_error_set(&err, TK_INVALID_INPUT, "title", "Thiếu tên nhiệm vụ");
    assert_int_equal(tk_db_end(db, TK_INVALID_INPUT, &err), TK_INVALID_INPUT);
    /* The caller's error is what the person sees, not the rollback. */
    assert_string_equal(err.field, "title");
    assert_string_equal(err.message, "Thiếu tên nhiệm vụ");
    assert_int_equal(count_people(db), 0);
    tk_db_close(db);
}

static void commit_keeps(void **state)
{
    (void)state;
    struct tmpdb t;
    tmpdb_make(&t);
    tk_db *db = open_ok(t.path);
    exec_ok(db, create_people);
    tk_error err = {0};
    assert_int_equal(tk_db_begin(db, &err), TK_OK);
    add_person(db, "Phạm Văn D");
    assert_int_equal(tk_db_end(db, TK_OK, &err), TK_OK);
    assert_int_equal(count_people(db), 1);
    tk_db_close(db);

    db = open_ok(t.path);
    assert_int_equal(count_people(db), 1);
    tk_db_close(db);
    tmpdb_remove(&t);
}

static void nested_begin_is_internal(void **state)
{
    (void)state;
    tk_db *db = open_ok(":memory:");
    exec_ok(db, create_people);
    tk_error err = {0};
    assert_int_equal(tk_db_begin(db, &err), TK_OK);
    add_person(db, "Vũ Văn G");
    assert_int_equal(tk_db_begin(db, &err), TK_INTERNAL);
    /* The outer transaction is untouched and can still commit. */
    assert_int_equal(tk_db_end(db, TK_OK, &err), TK_OK);
    assert_int_equal(count_people(db), 1);

    tk_error_clear(&err);
    assert_int_equal(tk_db_end(db, TK_OK, &err), TK_INTERNAL);
    /* A failure before begin passes through unchanged. */
    assert_int_equal(tk_db_end(db, TK_NOT_FOUND, &err), TK_NOT_FOUND);
    tk_db_close(db);
}

/* Inside a batch each begin/end pair is a savepoint: a failed pair undoes only its own writes,
 * and the batch keeps all that succeeded, or nothing when it ends with an error. */
static void batch_nests_savepoints(void **state)
{
    (void)state;
    tk_db *db = open_ok(":memory:");
    exec_ok(db, create_people);
    tk_error err = {0};
    assert_int_equal(tk_db_begin_batch(db, &err), TK_OK);
    assert_int_equal(tk_db_begin(db, &err), TK_OK);
    add_person(db, "Lê Văn K");
    assert_int_equal(tk_db_end(db, TK_OK, &err), TK_OK);
    assert_int_equal(tk_db_begin(db, &err), TK_OK);
    add_person(db, "Ngô Thị L");
    assert_int_equal(tk_db_end(db, TK_INVALID_INPUT, &err), TK_INVALID_INPUT);
    assert_int_equal(count_people(db), 1);
    assert_int_equal(tk_db_end(db, TK_OK, &err), TK_OK);
    assert_int_equal(count_people(db), 1);

    assert_int_equal(tk_db_begin_batch(db, &err), TK_OK);
    assert_int_equal(tk_db_begin(db, &err), TK_OK);
    add_person(db, "Trịnh Văn M");
    assert_int_equal(tk_db_end(db, TK_OK, &err), TK_OK);
    assert_int_equal(tk_db_end(db, TK_INVALID_INPUT, &err), TK_INVALID_INPUT);
    assert_int_equal(count_people(db), 1);

    /* After a batch, nesting is refused again. */
    assert_int_equal(tk_db_begin(db, &err), TK_OK);
    assert_int_equal(tk_db_begin(db, &err), TK_INTERNAL);
    assert_int_equal(tk_db_end(db, TK_OK, &err), TK_OK);
    tk_db_close(db);
}

/* A deferred foreign key is checked at COMMIT: the failed commit is a conflict and the
 * transaction is rolled back, so the next one can begin. */
static void failed_commit_rolls_back(void **state)
{
    (void)state;
    tk_db *db = open_ok(":memory:");
    exec_ok(db, create_people);
    tk_error err = {0};
    assert_int_equal(tk_db_begin(db, &err), TK_OK);
    exec_ok(db, "PRAGMA defer_foreign_keys = ON");
    tk_stmt *st = prepare_ok(db, insert_person);
    tk_stmt_bind_text(st, 1, "Đỗ Văn H");
    tk_stmt_bind_int(st, 2, 99);
    assert_int_equal(tk_stmt_exec(st, &err), TK_OK);
    assert_int_equal(tk_db_end(db, TK_OK, &err), TK_CONFLICT);
    assert_int_equal(count_people(db), 0);

    assert_int_equal(tk_db_begin(db, &err), TK_OK);
    add_person(db, "Đỗ Văn H");
    assert_int_equal(tk_db_end(db, TK_OK, &err), TK_OK);
    assert_int_equal(count_people(db), 1);
    tk_db_close(db);
}

/* In WAL mode a statement left on a row holds its snapshot; a finished or reset one lets the
 * connection see what another connection committed since. */
static void finished_statements_release_snapshot(void **state)
{
    (void)state;
    struct tmpdb t;
    tmpdb_make(&t);
    tk_db *reader = open_ok(t.path);
    exec_ok(reader, create_people);
    tk_db *writer = open_ok(t.path);
    add_person(writer, "Ngô Thị I");
    add_person(writer, "Bùi Văn K");

    tk_error err = {0};
    tk_stmt *st = prepare_ok(reader, "SELECT name FROM people ORDER BY id");
    assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ROW);
    add_person(writer, "Đặng Văn L");
    tk_stmt *count = prepare_ok(reader, "SELECT count(*) FROM people");
    assert_int_equal(tk_stmt_step(count, &err), TK_STEP_ROW);
    assert_int_equal(tk_stmt_column_int(count, 0), 2);
    assert_int_equal(tk_stmt_step(count, &err), TK_STEP_DONE);

    tk_stmt_reset(st);
    assert_int_equal(count_people(reader), 3);

    /* Run to the end, the statement lets go by itself. */
    st = prepare_ok(reader, "SELECT name FROM people ORDER BY id");
    while (tk_stmt_step(st, &err) == TK_STEP_ROW) {}
    add_person(writer, "Lý Thị M");
    assert_int_equal(count_people(reader), 4);

    /* At the end of a request the server lets go of everything at once. */
    st = prepare_ok(reader, "SELECT name FROM people ORDER BY id");
    assert_int_equal(tk_stmt_step(st, &err), TK_STEP_ROW);
    add_person(writer, "Mai Văn N");
    assert_false(tk_db_release(reader));
    assert_int_equal(count_people(reader), 5);

    tk_db_close(writer);
    tk_db_close(reader);
    tmpdb_remove(&t);
}

static void release_rolls_back_forgotten_transaction(void **state)
{
    (void)state;
    tk_db *db = open_ok(":memory:");
    exec_ok(db, create_people);
    tk_error err = {0};
    assert_false(tk_db_release(db));
    assert_int_equal(tk_db_begin(db, &err), TK_OK);
    add_person(db, "Trịnh Văn O");
    assert_true(tk_db_release(db));
    assert_int_equal(count_people(db), 0);
    /* The connection is usable again. */
    assert_int_equal(tk_db_begin(db, &err), TK_OK);
    add_person(db, "Trịnh Văn O");
    assert_int_equal(tk_db_end(db, TK_OK, &err), TK_OK);
    assert_int_equal(count_people(db), 1);
    tk_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(memory_db_settings),
        cmocka_unit_test(file_db_settings),
        cmocka_unit_test(open_bad_path_fails),
        cmocka_unit_test(migrations_applied_once),
        cmocka_unit_test(newer_database_refused),
        cmocka_unit_test(failed_migration_rolls_back),
        cmocka_unit_test(cache_keyed_by_text),
        cmocka_unit_test(cache_survives_growth),
        cmocka_unit_test(prepare_resets_and_clears),
        cmocka_unit_test(prepare_errors),
        cmocka_unit_test(bind_and_read_each_type),
        cmocka_unit_test(empty_text_is_not_null),
        cmocka_unit_test(bad_bind_index_reported_at_step),
        cmocka_unit_test(last_id_and_changes),
        cmocka_unit_test(constraint_failures_are_conflicts),
        cmocka_unit_test(runtime_error_is_storage),
        cmocka_unit_test(rollback_leaves_nothing),
        cmocka_unit_test(commit_keeps),
        cmocka_unit_test(nested_begin_is_internal),
        cmocka_unit_test(batch_nests_savepoints),
        cmocka_unit_test(failed_commit_rolls_back),
        cmocka_unit_test(finished_statements_release_snapshot),
        cmocka_unit_test(release_rolls_back_forgotten_transaction),
    };
    return cmocka_run_group_tests_name("store/sqlite", tests, NULL, NULL);
}
