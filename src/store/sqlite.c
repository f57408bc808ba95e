/* The SQLite backend of store.h.
 *
 * Owner: a tk_db owns its connection and every cached statement; tk_db_close() frees them.
 * The statement cache is an open-addressing table keyed by SQL text: callers pass static
 * strings, but the same text may live at several addresses (two translation units, a string
 * built once at start-up), so the key is the text, not the pointer. */
#include "store/store.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/embedded.h"

struct tk_stmt {
    sqlite3_stmt *handle;
    char *sql;      /* the cache key, a copy */
    uint64_t hash;
    int bind_rc;    /* the first failed bind since prepare, reported by the next step */
    int bind_index;
    tk_code failed; /* the code of the last TK_STEP_ERROR, for callers that pass no tk_error */
};

struct tk_db {
    sqlite3 *conn;
    int version;
    bool in_tx;
    bool batch; /* the open transaction came from tk_db_begin_batch(): inner begins nest */
    int nested; /* savepoints open inside a batch */
    tk_stmt **slots; /* open addressing, linear probing; NULL is empty */
    size_t cap;      /* a power of two */
    size_t count;
};

enum { CACHE_INITIAL = 64, BUSY_TIMEOUT_MS = 5000 };

static uint64_t hash_text(const char *s)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211u;
    }
    return h;
}

static bool is_memory_path(const char *path)
{
    return path[0] == '\0' || strcmp(path, ":memory:") == 0;
}

/* Fills err from a SQLite result code and the connection's message. */
static tk_code sqlite_error(tk_error *err, sqlite3 *conn, int rc, const char *what)
{
    const char *msg = conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        return tk_error_set(err, TK_CONFLICT, NULL, "Dữ liệu mâu thuẫn với dữ liệu đã lưu (%s)", msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return tk_error_set(err, TK_STORAGE, NULL,
                            "Cơ sở dữ liệu đang bận, hãy thử lại sau (%s: %s)", what, msg);
    case SQLITE_NOMEM:
        return tk_error_set(err, TK_NO_MEMORY, NULL, "Không đủ bộ nhớ (%s)", what);
    default:
        return tk_error_set(err, TK_STORAGE, NULL, "Lỗi cơ sở dữ liệu khi %s: %s", what, msg);
    }
}

static tk_code exec_sql(tk_db *db, const char *sql, const char *what, tk_error *err)
{
    int rc = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) return sqlite_error(err, db->conn, rc, what);
    return TK_OK;
}

/* ---- statement cache ---- */

static void cache_place(tk_stmt **slots, size_t cap, tk_stmt *st)
{
    size_t i = (size_t)st->hash & (cap - 1);
    while (slots[i]) i = (i + 1) & (cap - 1);
    slots[i] = st;
}

static tk_code cache_grow(tk_db *db, tk_error *err)
{
    size_t cap = db->cap ? db->cap * 2 : CACHE_INITIAL;
    tk_stmt **slots = calloc(cap, sizeof *slots);
    if (!slots) return tk_error_set(err, TK_NO_MEMORY, NULL, "Không đủ bộ nhớ cho bộ đệm câu lệnh");
    for (size_t i = 0; i < db->cap; i++)
        if (db->slots[i]) cache_place(slots, cap, db->slots[i]);
    free(db->slots);
    db->slots = slots;
    db->cap = cap;
    return TK_OK;
}

static tk_stmt *cache_find(tk_db *db, const char *sql, uint64_t hash)
{
    if (!db->cap) return NULL;
    for (size_t i = (size_t)hash & (db->cap - 1); db->slots[i]; i = (i + 1) & (db->cap - 1)) {
        tk_stmt *st = db->slots[i];
        if (st->hash == hash && strcmp(st->sql, sql) == 0) return st;
    }
    return NULL;
}

static void stmt_free(tk_stmt *st)
{
    if (!st) return;
    sqlite3_finalize(st->handle);
    free(st->sql);
    free(st);
}

static bool only_space(const char *s)
{
    while (*s && isspace((unsigned char)*s)) s++;
    return *s == '\0';
}

tk_stmt *tk_db_prepare(tk_db *db, const char *sql, tk_error *err)
{
    uint64_t hash = hash_text(sql);
    tk_stmt *st = cache_find(db, sql, hash);
    if (st) {
        sqlite3_reset(st->handle);
        sqlite3_clear_bindings(st->handle);
        st->bind_rc = SQLITE_OK;
        return st;
    }

    /* Keep the load under 3/4 so probes stay short. */
    if ((db->count + 1) * 4 > db->cap * 3 && cache_grow(db, err)) return NULL;

    st = calloc(1, sizeof *st);
    if (!st) {
        tk_error_set(err, TK_NO_MEMORY, NULL, "Không đủ bộ nhớ cho câu lệnh");
        return NULL;
    }
    st->hash = hash;
    st->sql = strdup(sql);
    if (!st->sql) {
        tk_error_set(err, TK_NO_MEMORY, NULL, "Không đủ bộ nhớ cho câu lệnh");
        goto fail;
    }
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->handle, &tail);
    if (rc != SQLITE_OK) {
        sqlite_error(err, db->conn, rc, "chuẩn bị câu lệnh");
        goto fail;
    }
    /* A second statement in the text would be silently ignored by every later step. */
    if (!st->handle || (tail && !only_space(tail))) {
        tk_error_set(err, TK_INTERNAL, NULL, "Văn bản SQL phải chứa đúng một câu lệnh: %.200s", sql);
        goto fail;
    }
    cache_place(db->slots, db->cap, st);
    db->count++;
    return st;
fail:
    stmt_free(st);
    return NULL;
}

/* ---- binding ---- */

static void note_bind(tk_stmt *st, int index, int rc)
{
    if (rc != SQLITE_OK && st->bind_rc == SQLITE_OK) {
        st->bind_rc = rc;
        st->bind_index = index;
    }
}

void tk_stmt_bind_int(tk_stmt *st, int index, int64_t value)
{
    note_bind(st, index, sqlite3_bind_int64(st->handle, index, value));
}

void tk_stmt_bind_double(tk_stmt *st, int index, double value)
{
    note_bind(st, index, sqlite3_bind_double(st->handle, index, value));
}

void tk_stmt_bind_text(tk_stmt *st, int index, const char *value)
{
    if (!value) {
        tk_stmt_bind_null(st, index);
        return;
    }
    note_bind(st, index, sqlite3_bind_text(st->handle, index, value, -1, SQLITE_TRANSIENT));
}

void tk_stmt_bind_null(tk_stmt *st, int index)
{
    note_bind(st, index, sqlite3_bind_null(st->handle, index));
}

/* ---- stepping ---- */

tk_step tk_stmt_step(tk_stmt *st, tk_error *err)
{
    sqlite3 *conn = sqlite3_db_handle(st->handle);
    if (st->bind_rc != SQLITE_OK) {
        st->failed = tk_error_set(err, TK_INTERNAL, NULL, "Không gắn được tham số %d của câu lệnh: %s",
                                  st->bind_index, sqlite3_errstr(st->bind_rc));
        return TK_STEP_ERROR;
    }
    int rc = sqlite3_step(st->handle);
    if (rc == SQLITE_ROW) return TK_STEP_ROW;
    if (rc == SQLITE_DONE) {
        /* A finished statement is reset at once: in WAL mode a statement left active keeps
         * its read snapshot, and the connection would go on seeing old data. */
        sqlite3_reset(st->handle);
        return TK_STEP_DONE;
    }
    st->failed = sqlite_error(err, conn, rc, "thực hiện câu lệnh");
    sqlite3_reset(st->handle);
    return TK_STEP_ERROR;
}

tk_code tk_stmt_exec(tk_stmt *st, tk_error *err)
{
    for (;;) {
        tk_step s = tk_stmt_step(st, err);
        if (s == TK_STEP_DONE) return TK_OK;
        if (s == TK_STEP_ERROR) return st->failed;
    }
}

void tk_stmt_reset(tk_stmt *st)
{
    sqlite3_reset(st->handle);
}

/* ---- columns ---- */

int tk_stmt_column_count(tk_stmt *st)
{
    return sqlite3_column_count(st->handle);
}

const char *tk_stmt_column_name(tk_stmt *st, int col)
{
    return sqlite3_column_name(st->handle, col);
}

bool tk_stmt_column_is_null(tk_stmt *st, int col)
{
    return sqlite3_column_type(st->handle, col) == SQLITE_NULL;
}

int64_t tk_stmt_column_int(tk_stmt *st, int col)
{
    return sqlite3_column_int64(st->handle, col);
}

double tk_stmt_column_double(tk_stmt *st, int col)
{
    return sqlite3_column_double(st->handle, col);
}

const char *tk_stmt_column_text(tk_stmt *st, int col)
{
    if (sqlite3_column_type(st->handle, col) == SQLITE_NULL) return NULL;
    const unsigned char *text = sqlite3_column_text(st->handle, col);
    /* SQLite answers NULL for an empty blob and when out of memory; a non-NULL value must
     * not read as NULL. */
    return text ? (const char *)text : "";
}

bool tk_stmt_column_is_int(tk_stmt *st, int col)
{
    return sqlite3_column_type(st->handle, col) == SQLITE_INTEGER;
}

bool tk_stmt_column_is_real(tk_stmt *st, int col)
{
    return sqlite3_column_type(st->handle, col) == SQLITE_FLOAT;
}

int64_t tk_db_last_id(tk_db *db)
{
    return sqlite3_last_insert_rowid(db->conn);
}

int tk_db_changes(tk_db *db)
{
    return sqlite3_changes(db->conn);
}

/* ---- transactions ---- */

tk_code tk_db_begin(tk_db *db, tk_error *err)
{
    if (db->in_tx && db->batch) {
        /* SQLite may have rolled the whole transaction back by itself (disk full); writing on
         * would then commit each statement on its own, which a batch promises never to do. */
        if (sqlite3_get_autocommit(db->conn))
            return tk_error_set(err, TK_STORAGE, NULL, "Giao dịch đã bị hủy; không ghi tiếp được");
        tk_code rc = exec_sql(db, "SAVEPOINT tk_nested", "bắt đầu giao dịch con", err);
        if (rc == TK_OK) db->nested++;
        return rc;
    }
    if (db->in_tx || !sqlite3_get_autocommit(db->conn))
        return tk_error_set(err, TK_INTERNAL, NULL, "Đã có một giao dịch đang mở; không hỗ trợ giao dịch lồng nhau");
    /* A read statement left on a row keeps the connection on an old snapshot, and in WAL mode
     * a connection on an old snapshot cannot start writing (SQLITE_BUSY_SNAPSHOT, which the busy
     * timeout does not wait out). Reads made before a write are finished by now, so end them. */
    for (sqlite3_stmt *st = sqlite3_next_stmt(db->conn, NULL); st; st = sqlite3_next_stmt(db->conn, st))
        if (sqlite3_stmt_busy(st)) sqlite3_reset(st);
    tk_code rc = exec_sql(db, "BEGIN IMMEDIATE", "bắt đầu giao dịch", err);
    if (rc == TK_OK) db->in_tx = true;
    return rc;
}

tk_code tk_db_begin_batch(tk_db *db, tk_error *err)
{
    tk_code rc = tk_db_begin(db, err);
    if (rc == TK_OK) {
        db->batch = true;
        db->nested = 0;
    }
    return rc;
}

tk_code tk_db_end(tk_db *db, tk_code rc, tk_error *err)
{
    if (!db->in_tx) {
        if (rc != TK_OK) return rc;
        return tk_error_set(err, TK_INTERNAL, NULL, "Kết thúc một giao dịch chưa được bắt đầu");
    }
    if (db->nested > 0) {
        db->nested--;
        if (sqlite3_get_autocommit(db->conn))
            return rc ? rc : tk_error_set(err, TK_STORAGE, NULL, "Giao dịch đã bị hủy; không ghi tiếp được");
        if (rc == TK_OK) {
            rc = exec_sql(db, "RELEASE tk_nested", "ghi giao dịch con", err);
            if (rc == TK_OK) return TK_OK;
        }
        /* Undoes this savepoint's writes only; the batch around it goes on. */
        sqlite3_exec(db->conn, "ROLLBACK TO tk_nested; RELEASE tk_nested", NULL, NULL, NULL);
        return rc;
    }
    db->in_tx = false;
    db->batch = false;
    if (rc == TK_OK) {
        rc = exec_sql(db, "COMMIT", "ghi giao dịch", err);
        if (rc == TK_OK) return TK_OK;
    }
    /* SQLite may already have rolled back by itself (disk full, RAISE(ROLLBACK)); and a
     * failed COMMIT leaves the transaction open, so it is rolled back here too. The
     * caller's error stays in err: it says why, the rollback only follows from it. */
    if (!sqlite3_get_autocommit(db->conn)) sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

bool tk_db_release(tk_db *db)
{
    for (sqlite3_stmt *st = sqlite3_next_stmt(db->conn, NULL); st; st = sqlite3_next_stmt(db->conn, st))
        if (sqlite3_stmt_busy(st)) sqlite3_reset(st);
    bool open_tx = db->in_tx || !sqlite3_get_autocommit(db->conn);
    if (open_tx && !sqlite3_get_autocommit(db->conn)) sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    db->in_tx = false;
    db->batch = false;
    db->nested = 0;
    return open_tx;
}

tk_code tk_db_exec_script(tk_db *db, const char *sql, tk_error *err)
{
    return exec_sql(db, sql, "chạy tập lệnh SQL", err);
}

/* ---- opening and migrations ---- */

/* "0001_init.sql" -> 1; -1 when the name does not start with a number and '_'. */
static int migration_version(const char *name)
{
    long v = 0;
    const char *p = name;
    for (; isdigit((unsigned char)*p); p++) {
        v = v * 10 + (*p - '0');
        if (v > 1000000) return -1;
    }
    if (p == name || *p != '_') return -1;
    return (int)v;
}

static tk_code read_version(tk_db *db, int *version, tk_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->conn, "SELECT coalesce(max(version), 0) FROM schema_migrations",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *version = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    tk_code code = rc == SQLITE_OK ? TK_OK : sqlite_error(err, db->conn, rc, "đọc phiên bản lược đồ");
    sqlite3_finalize(st);
    return code;
}

static tk_code record_migration(tk_db *db, int version, const char *name, tk_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->conn,
                                "INSERT INTO schema_migrations(version, name, applied_at) "
                                "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int(st, 1, version);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    tk_code code = rc == SQLITE_OK ? TK_OK : sqlite_error(err, db->conn, rc, "ghi phiên bản lược đồ");
    sqlite3_finalize(st);
    return code;
}

/* Applies one migration and its schema_migrations row in one transaction. The version is
 * read again inside the transaction: another process opening the same file at the same
 * moment may have applied it while this one waited for the write lock. */
static tk_code apply_migration(tk_db *db, const tk_embedded_file *m, int version, tk_error *err)
{
    tk_code rc = exec_sql(db, "BEGIN IMMEDIATE", "bắt đầu giao dịch", err);
    if (rc) return rc;
    int current = 0;
    if ((rc = read_version(db, &current, err))) goto out;
    if (current >= version) goto out;
    /* A migration file holds no BEGIN/COMMIT of its own: it runs inside this transaction. */
    int src = sqlite3_exec(db->conn, m->data, NULL, NULL, NULL);
    if (src != SQLITE_OK) {
        rc = tk_error_set(err, TK_STORAGE, NULL, "%s", sqlite3_errmsg(db->conn));
        goto out;
    }
    rc = record_migration(db, version, m->name, err);
out:
    if (rc == TK_OK) {
        rc = exec_sql(db, "COMMIT", "ghi nâng cấp lược đồ", err);
        if (rc == TK_OK) return TK_OK;
    }
    if (!sqlite3_get_autocommit(db->conn)) sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static tk_code migrate(tk_db *db, tk_error *err)
{
    tk_code rc = exec_sql(db,
                          "CREATE TABLE IF NOT EXISTS schema_migrations ("
                          " version INTEGER PRIMARY KEY,"
                          " name TEXT NOT NULL,"
                          " applied_at TEXT NOT NULL)",
                          "tạo bảng phiên bản lược đồ", err);
    if (rc) return rc;

    int known = 0;
    for (const tk_embedded_file *m = tk_migrations; m->name; m++) {
        int v = migration_version(m->name);
        if (v <= known)
            return tk_error_set(err, TK_INTERNAL, NULL,
                                "Tên tệp nâng cấp lược đồ không hợp lệ hoặc sai thứ tự: %s", m->name);
        known = v;
    }

    int current = 0;
    if ((rc = read_version(db, &current, err))) return rc;
    if (current > known)
        return tk_error_set(err, TK_STORAGE, NULL,
                            "Cơ sở dữ liệu có lược đồ phiên bản %d, mới hơn phiên bản %d mà chương "
                            "trình này biết; hãy dùng bản trienkhai mới hơn",
                            current, known);

    for (const tk_embedded_file *m = tk_migrations; m->name; m++) {
        int v = migration_version(m->name);
        if (v <= current) continue;
        if ((rc = apply_migration(db, m, v, err))) {
            if (err) {
                char cause[TK_ERROR_MESSAGE_MAX];
                memcpy(cause, err->message, sizeof cause);
                tk_error_set(err, rc, NULL, "Không áp dụng được tệp nâng cấp lược đồ %s: %s", m->name, cause);
            }
            return rc;
        }
    }
    return read_version(db, &db->version, err);
}

static tk_code configure(tk_db *db, const char *path, tk_error *err)
{
    tk_code rc;
    sqlite3_extended_result_codes(db->conn, 1);
    /* Double-quoted string literals are a SQLite quirk that turns a misspelt column name into
     * a string; refuse them so the mistake fails at prepare. */
    sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
    sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
    int src = sqlite3_busy_timeout(db->conn, BUSY_TIMEOUT_MS);
    if (src != SQLITE_OK) return sqlite_error(err, db->conn, src, "đặt thời gian chờ");

    if (!is_memory_path(path)) {
        sqlite3_stmt *st = NULL;
        src = sqlite3_prepare_v2(db->conn, "PRAGMA journal_mode=WAL", -1, &st, NULL);
        if (src == SQLITE_OK) src = sqlite3_step(st);
        bool wal = src == SQLITE_ROW &&
                   sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
        if (src != SQLITE_ROW) {
            rc = sqlite_error(err, db->conn, src, "bật chế độ WAL");
        } else if (!wal) {
            rc = tk_error_set(err, TK_STORAGE, NULL,
                              "Không bật được chế độ WAL cho cơ sở dữ liệu %s (hệ tệp không hỗ trợ?)",
                              path);
        } else {
            rc = TK_OK;
        }
        sqlite3_finalize(st);
        if (rc) return rc;
    }
    /* 32 MiB of page cache per connection (SQLite's default is 2): at province scale the
     * heavy lists otherwise spend half their time re-reading pages. */
    return exec_sql(db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA cache_size=-32768;",
                    "cấu hình cơ sở dữ liệu", err);
}

tk_code tk_db_open(const char *path, tk_db **out, tk_error *err)
{
    *out = NULL;
    if (!path) return tk_error_set(err, TK_INVALID_INPUT, "db", "Thiếu đường dẫn cơ sở dữ liệu");
    tk_db *db = calloc(1, sizeof *db);
    if (!db) return tk_error_set(err, TK_NO_MEMORY, NULL, "Không đủ bộ nhớ để mở cơ sở dữ liệu");

    tk_code rc;
    int src = sqlite3_open_v2(path, &db->conn,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (src != SQLITE_OK) {
        rc = tk_error_set(err, src == SQLITE_NOMEM ? TK_NO_MEMORY : TK_STORAGE, "db",
                          "Không mở được cơ sở dữ liệu %s: %s", path,
                          db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(src));
        goto out;
    }
    if ((rc = configure(db, path, err))) goto out;
    if ((rc = cache_grow(db, err))) goto out;
    rc = migrate(db, err);
out:
    if (rc) {
        tk_db_close(db);
        return rc;
    }
    *out = db;
    return TK_OK;
}

int tk_db_schema_version(tk_db *db)
{
    return db->version;
}

void tk_db_close(tk_db *db)
{
    if (!db) return;
    for (size_t i = 0; i < db->cap; i++) stmt_free(db->slots[i]);
    free(db->slots);
    /* sqlite3_close (not _v2) so a statement finalized twice or leaked shows up as an error
     * here rather than as a connection kept open in the background. */
    sqlite3_close(db->conn);
    free(db);
}
