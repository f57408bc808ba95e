/* The storage interface: a thin layer over the database so the rest of trienkhai never calls
 * SQLite (or, later, libpq) directly. SQL text uses `?` parameters only; values are bound,
 * never formatted into the text.
 *
 * A tk_db is owned by one thread at a time (the HTTP server keeps one per worker thread).
 * Statements are prepared once per connection and cached by their SQL text, so callers pass
 * the same static string each time and do not finalize. */
#ifndef TK_STORE_STORE_H
#define TK_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

typedef struct tk_db tk_db;
typedef struct tk_stmt tk_stmt;

typedef enum tk_step {
    TK_STEP_ROW = 1,
    TK_STEP_DONE = 2,
    TK_STEP_ERROR = 3,
} tk_step;

/* Opens (creating when missing) the SQLite database at path, sets WAL, foreign keys,
 * synchronous=FULL and a busy timeout, and applies pending migrations. ":memory:" works. */
tk_code tk_db_open(const char *path, tk_db **out, tk_error *err);
void tk_db_close(tk_db *db);

/* The schema version after migrations (the highest applied migration number). */
int tk_db_schema_version(tk_db *db);

/* A cached prepared statement for sql, reset and with bindings cleared. Borrowed: valid until
 * tk_db_close(). NULL on error (err filled). */
tk_stmt *tk_db_prepare(tk_db *db, const char *sql, tk_error *err);

/* Bind by 1-based index. Text is copied. */
void tk_stmt_bind_int(tk_stmt *st, int index, int64_t value);
void tk_stmt_bind_double(tk_stmt *st, int index, double value);
void tk_stmt_bind_text(tk_stmt *st, int index, const char *value); /* NULL binds NULL */
void tk_stmt_bind_null(tk_stmt *st, int index);

/* Next row. On TK_STEP_ERROR err is filled (TK_CONFLICT for constraint failures,
 * TK_STORAGE otherwise). */
tk_step tk_stmt_step(tk_stmt *st, tk_error *err);
/* Steps a statement that returns no rows; TK_OK or the error. */
tk_code tk_stmt_exec(tk_stmt *st, tk_error *err);
/* Ends a statement before TK_STEP_DONE (after reading the one row wanted). A statement is
 * reset by itself when it reaches TK_STEP_DONE or TK_STEP_ERROR; one left on a row keeps its
 * read snapshot in WAL mode, so this connection would go on seeing old data. Bindings stay. */
void tk_stmt_reset(tk_stmt *st);

/* Columns by 0-based index of the current row. Text is borrowed until the next step. */
int tk_stmt_column_count(tk_stmt *st);
const char *tk_stmt_column_name(tk_stmt *st, int col);
bool tk_stmt_column_is_null(tk_stmt *st, int col);
int64_t tk_stmt_column_int(tk_stmt *st, int col);
double tk_stmt_column_double(tk_stmt *st, int col);
const char *tk_stmt_column_text(tk_stmt *st, int col); /* NULL when the value is NULL */
/* True when the column holds an integer (as opposed to text, real or NULL). */
bool tk_stmt_column_is_int(tk_stmt *st, int col);
bool tk_stmt_column_is_real(tk_stmt *st, int col);

/* The rowid of the last INSERT on this connection, and the rows changed by the last statement. */
int64_t tk_db_last_id(tk_db *db);
int tk_db_changes(tk_db *db);

/* Transactions. tk_db_begin() starts a write transaction (BEGIN IMMEDIATE, so two writers
 * wait for each other instead of failing at commit). tk_db_end() commits when rc is TK_OK and
 * rolls back otherwise; it returns rc, or the commit's error. */
tk_code tk_db_begin(tk_db *db, tk_error *err);
tk_code tk_db_end(tk_db *db, tk_code rc, tk_error *err);

/* A write transaction like tk_db_begin()'s, inside which each tk_db_begin()/tk_db_end() pair
 * is a savepoint: an inner end with an error undoes that pair's writes only and the batch goes
 * on. An import runs each row through its ordinary use case this way and keeps all rows or
 * none. Outside a batch, a begin inside a transaction stays an error (a forgotten end). End it
 * with tk_db_end(). */
tk_code tk_db_begin_batch(tk_db *db, tk_error *err);

/* Ends what a request left open on this connection: statements still on a row are reset
 * (releasing their read snapshot) and a transaction never ended is rolled back. The server
 * calls it after each request. True when a transaction had to be rolled back: a bug to log. */
bool tk_db_release(tk_db *db);

/* Runs SQL text with no parameters and no rows (used by migrations and tests). */
tk_code tk_db_exec_script(tk_db *db, const char *sql, tk_error *err);

#endif
