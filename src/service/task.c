#include "service/task.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/period.h"
#include "core/rollup.h"
#include "core/status.h"
#include "core/text.h"
#include "service/auth.h"
#include "service/resource.h"
#include "store/sqlbuf.h"

enum { MAX_COORDINATORS = 200, DUE_SOON_DAYS = 30, DASHBOARD_LIST = 10, MAX_WEIGHT = 1000 };

static tk_code storage(tk_error *err)
{
    return err->code ? err->code : tk_error_set(err, TK_STORAGE, NULL, "Lỗi cơ sở dữ liệu");
}

static void set_date(json_t *obj, const char *key, bool present, tk_date d)
{
    char buf[TK_DATE_TEXT_MAX];
    json_object_set_new(obj, key, present ? json_string(tk_date_format_iso(d, buf)) : json_null());
}

/* Sets due_kind, due_first and due_last in row from the period text in row[text_key]. */
static tk_code resolve_due(json_t *row, const char *text_key, const char *kind_key, const char *first_key,
                           const char *last_key, tk_period *p, tk_error *err)
{
    tk_code rc = tk_period_parse(json_string_value(json_object_get(row, text_key)), text_key, p, err);
    if (rc) return rc;
    if (kind_key) json_object_set_new(row, kind_key, json_string(tk_period_kind_name(p->kind)));
    if (first_key) set_date(row, first_key, p->kind == TK_PERIOD_SPAN, p->first);
    set_date(row, last_key, p->kind == TK_PERIOD_SPAN, p->last);
    return TK_OK;
}

tk_code tk_task_check(tk_ctx *ctx, json_t *row, json_t *input, const json_t *old, tk_error *err)
{
    tk_code rc;
    const char *title = json_string_value(json_object_get(row, "title"));
    if (title) {
        /* Sorting by title ignores case and diacritics, as search does. */
        char *folded = tk_text_fold(title);
        if (!folded) return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
        json_object_set_new(row, "title_folded", json_string(folded));
        free(folded);
    }
    if (json_is_string(json_object_get(row, "due"))) {
        tk_period p;
        if ((rc = resolve_due(row, "due", "due_kind", "due_first", "due_last", &p, err))) return rc;
    }
    json_t *weight = json_object_get(row, "weight");
    if (weight && !json_is_null(weight) && (json_number_value(weight) <= 0 || json_number_value(weight) > MAX_WEIGHT))
        return tk_error_set(err, TK_INVALID_INPUT, "weight", "Trọng số phải lớn hơn 0 và không quá %d", MAX_WEIGHT);
    if (weight && json_is_null(weight))
        return tk_error_set(err, TK_INVALID_INPUT, "weight", "Cần nhập trọng số");

    json_t *parent = json_object_get(row, "parent_id");
    if (old && json_is_integer(parent)) {
        int64_t self = json_integer_value(json_object_get(old, "id"));
        for (int64_t at = json_integer_value(parent), steps = 0; at > 0 && steps < 10000; steps++) {
            if (at == self)
                return tk_error_set(err, TK_INVALID_INPUT, "parent_id",
                                    "Nhiệm vụ cha không thể là chính nhiệm vụ này hoặc nhiệm vụ con của nó");
            tk_stmt *st = tk_db_prepare(ctx->db, "SELECT parent_id FROM tasks WHERE id = ?", err);
            if (!st) return storage(err);
            tk_stmt_bind_int(st, 1, at);
            tk_step s = tk_stmt_step(st, err);
            if (s == TK_STEP_ERROR) return storage(err);
            at = s == TK_STEP_ROW && !tk_stmt_column_is_null(st, 0) ? tk_stmt_column_int(st, 0) : 0;
        }
    }

    json_t *coordinators = json_object_get(input, "coordinator_ids");
    if (coordinators) {
        if (!json_is_array(coordinators) || json_array_size(coordinators) > MAX_COORDINATORS)
            return tk_error_set(err, TK_INVALID_INPUT, "coordinator_ids",
                                "Cơ quan phối hợp phải là danh sách mã số đơn vị (tối đa %d)", MAX_COORDINATORS);
        const json_t *lead = json_object_get(row, "lead_org_id");
        if (!lead && old) lead = json_object_get(old, "lead_org_id");
        size_t i, j;
        json_t *v, *w;
        json_array_foreach(coordinators, i, v) {
            if (!json_is_integer(v) || json_integer_value(v) <= 0)
                return tk_error_set(err, TK_INVALID_INPUT, "coordinator_ids",
                                    "Cơ quan phối hợp phải là mã số đơn vị (số nguyên dương)");
            if (json_integer_value(v) == json_integer_value(lead))
                return tk_error_set(err, TK_INVALID_INPUT, "coordinator_ids",
                                    "Cơ quan chủ trì không đồng thời là cơ quan phối hợp");
            json_array_foreach(coordinators, j, w) {
                if (j < i && json_integer_value(w) == json_integer_value(v))
                    return tk_error_set(err, TK_INVALID_INPUT, "coordinator_ids",
                                        "Cơ quan phối hợp %lld được nêu hai lần", (long long)json_integer_value(v));
            }
            if ((rc = tk_resource_exists(ctx, &tk_res_organization, json_integer_value(v), "coordinator_ids", err)))
                return rc;
        }
    } else if (old && json_is_integer(json_object_get(row, "lead_org_id"))) {
        /* A new lead unit that was a coordinator stops being one. */
        tk_stmt *st = tk_db_prepare(ctx->db, "DELETE FROM task_coordinators WHERE task_id = ? AND org_id = ?", err);
        if (!st) return storage(err);
        tk_stmt_bind_int(st, 1, json_integer_value(json_object_get(old, "id")));
        tk_stmt_bind_int(st, 2, json_integer_value(json_object_get(row, "lead_org_id")));
        if ((rc = tk_stmt_exec(st, err))) return rc;
    }
    return TK_OK;
}

tk_code tk_task_after_write(tk_ctx *ctx, int64_t id, json_t *input, tk_error *err)
{
    json_t *coordinators = json_object_get(input, "coordinator_ids");
    if (!coordinators) return TK_OK;
    tk_stmt *st = tk_db_prepare(ctx->db, "DELETE FROM task_coordinators WHERE task_id = ?", err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, id);
    tk_code rc = tk_stmt_exec(st, err);
    size_t i;
    json_t *v;
    json_array_foreach(coordinators, i, v) {
        if (rc) break;
        st = tk_db_prepare(ctx->db, "INSERT INTO task_coordinators(task_id, org_id) VALUES (?, ?)", err);
        if (!st) return storage(err);
        tk_stmt_bind_int(st, 1, id);
        tk_stmt_bind_int(st, 2, json_integer_value(v));
        rc = tk_stmt_exec(st, err);
    }
    return rc;
}

/* The facts core/status.c judges a task by, from a task object. */
static void task_facts(const json_t *obj, tk_task_facts *facts)
{
    memset(facts, 0, sizeof *facts);
    const char *kind = json_string_value(json_object_get(obj, "due_kind"));
    if (!kind || !tk_period_kind_from_name(kind, &facts->due_kind)) facts->due_kind = TK_PERIOD_CONTINUOUS;
    const char *last = json_string_value(json_object_get(obj, "due_last"));
    if (!last || !tk_date_parse_iso(last, &facts->due_last)) facts->due_last = 0;
    const char *done = json_string_value(json_object_get(obj, "completed_on"));
    facts->completed = done && tk_date_parse_iso(done, &facts->completed_on);
}

/* The ids of the tasks in list, and of their lead units, as JSON arrays for json_each(). */
static void collect_ids(const json_t *list, char **task_ids, char **lead_ids)
{
    json_t *tasks = json_array(), *leads = json_array();
    size_t i;
    json_t *obj;
    json_array_foreach(list, i, obj) {
        json_array_append(tasks, json_object_get(obj, "id"));
        if (json_is_integer(json_object_get(obj, "lead_org_id"))) json_array_append(leads, json_object_get(obj, "lead_org_id"));
    }
    *task_ids = json_dumps(tasks, JSON_COMPACT);
    *lead_ids = json_dumps(leads, JSON_COMPACT);
    json_decref(tasks);
    json_decref(leads);
}

/* A task of the list by its id: exports decorate up to tens of thousands of tasks, so the
 * coordinators' rows find theirs by binary search instead of a walk. */
typedef struct task_slot {
    int64_t id;
    json_t *obj;
} task_slot;

static int by_slot_id(const void *a, const void *b)
{
    int64_t x = ((const task_slot *)a)->id, y = ((const task_slot *)b)->id;
    return (x > y) - (x < y);
}

static json_t *task_by_id(const task_slot *slots, size_t n, int64_t id)
{
    task_slot key = {.id = id};
    const task_slot *found = bsearch(&key, slots, n, sizeof *slots, by_slot_id);
    return found ? found->obj : NULL;
}

/* Status, days overdue, coordinators and the lead unit's name for every task of list, with
 * two statements whatever the list's length: a page of 200 tasks must not cost 400 queries. */
static tk_code decorate_list(tk_ctx *ctx, json_t *list, tk_error *err)
{
    size_t n = json_array_size(list);
    if (!n) return TK_OK;
    task_slot *slots = calloc(n, sizeof *slots);
    if (!slots) return tk_error_set(err, TK_INTERNAL, NULL, "Hết bộ nhớ");
    size_t i;
    json_t *obj;
    json_array_foreach(list, i, obj) {
        tk_task_facts facts;
        task_facts(obj, &facts);
        tk_status status = tk_status_of(&facts, ctx->today);
        json_object_set_new(obj, "status", json_string(tk_status_name(status)));
        json_object_set_new(obj, "days_overdue", json_integer(tk_status_days_overdue(&facts, ctx->today)));
        json_object_set_new(obj, "coordinator_ids", json_array());
        json_object_set_new(obj, "coordinator_names", json_array());
        json_object_set_new(obj, "lead_org_name", json_null());
        slots[i] = (task_slot){.id = json_integer_value(json_object_get(obj, "id")), .obj = obj};
    }
    qsort(slots, n, sizeof *slots, by_slot_id);

    char *task_ids, *lead_ids;
    collect_ids(list, &task_ids, &lead_ids);
    json_t *names = json_object(); /* lead unit id (as text) -> name */
    tk_code rc = TK_OK;
    tk_step s = TK_STEP_DONE;
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT c.task_id, o.id, o.name FROM task_coordinators c "
                                "JOIN organizations o ON o.id = c.org_id "
                                "WHERE c.task_id IN (SELECT value FROM json_each(?)) ORDER BY c.task_id, o.id",
                                err);
    if (!st) {
        rc = storage(err);
        goto out;
    }
    tk_stmt_bind_text(st, 1, task_ids);
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        json_t *task = task_by_id(slots, n, tk_stmt_column_int(st, 0));
        if (!task) continue;
        json_array_append_new(json_object_get(task, "coordinator_ids"), json_integer(tk_stmt_column_int(st, 1)));
        json_array_append_new(json_object_get(task, "coordinator_names"), json_string(tk_stmt_column_text(st, 2)));
    }
    if (s == TK_STEP_ERROR) {
        rc = storage(err);
        goto out;
    }

    st = tk_db_prepare(ctx->db, "SELECT id, name FROM organizations WHERE id IN (SELECT value FROM json_each(?))", err);
    if (!st) {
        rc = storage(err);
        goto out;
    }
    tk_stmt_bind_text(st, 1, lead_ids);
    char key[24];
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        snprintf(key, sizeof key, "%" PRId64, tk_stmt_column_int(st, 0));
        json_object_set_new(names, key, json_string(tk_stmt_column_text(st, 1)));
    }
    if (s == TK_STEP_ERROR) {
        rc = storage(err);
        goto out;
    }
    json_array_foreach(list, i, obj) {
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(obj, "lead_org_id")));
        json_t *name = json_object_get(names, key);
        if (name) json_object_set(obj, "lead_org_name", name);
    }
out:
    json_decref(names);
    free(slots);
    free(task_ids);
    free(lead_ids);
    return rc;
}

tk_code tk_task_decorate(tk_ctx *ctx, json_t *obj, tk_error *err)
{
    json_t *one = json_array();
    json_array_append(one, obj);
    tk_code rc = decorate_list(ctx, one, err);
    json_decref(one);
    return rc;
}

/* ---- progress updates ---- */

static tk_code check_not_future(tk_ctx *ctx, json_t *row, const char *field, const char *label, tk_error *err)
{
    tk_date d;
    const char *text = json_string_value(json_object_get(row, field));
    if (text && tk_date_parse_iso(text, &d) && d > ctx->today)
        return tk_error_set(err, TK_INVALID_INPUT, field, "%s không thể sau ngày hôm nay", label);
    return TK_OK;
}

static tk_code update_check(tk_ctx *ctx, json_t *row, json_t *input, const json_t *old, tk_error *err)
{
    (void)input, (void)old;
    if (!json_object_get(row, "reported_on") || json_is_null(json_object_get(row, "reported_on")))
        set_date(row, "reported_on", true, ctx->today);
    return check_not_future(ctx, row, "reported_on", "Ngày báo cáo", err);
}

/* A task's progress is that of its latest update. It is completed on the day it reached 100%
 * and stayed there; a recurring task, on the latest day it reached 100%. */
static tk_code update_after_write(tk_ctx *ctx, int64_t id, json_t *input, tk_error *err)
{
    (void)input;
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT task_id FROM task_updates WHERE id = ?", err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, id);
    if (tk_stmt_step(st, err) != TK_STEP_ROW) return storage(err);
    int64_t task_id = tk_stmt_column_int(st, 0);

    st = tk_db_prepare(ctx->db,
                       "UPDATE tasks SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
                       "progress = (SELECT progress FROM task_updates WHERE task_id = tasks.id "
                       "            ORDER BY reported_on DESC, id DESC LIMIT 1), "
                       "completed_on = CASE "
                       "  WHEN (SELECT progress FROM task_updates WHERE task_id = tasks.id "
                       "        ORDER BY reported_on DESC, id DESC LIMIT 1) < 100 THEN NULL "
                       "  WHEN due_kind LIKE 'recurring%' THEN "
                       "       (SELECT max(reported_on) FROM task_updates WHERE task_id = tasks.id AND progress = 100) "
                       "  ELSE (SELECT min(u.reported_on) FROM task_updates u WHERE u.task_id = tasks.id "
                       "        AND u.progress = 100 AND NOT EXISTS (SELECT 1 FROM task_updates l "
                       "            WHERE l.task_id = tasks.id AND l.progress < 100 "
                       "            AND (l.reported_on > u.reported_on OR (l.reported_on = u.reported_on AND l.id > u.id)))) "
                       "END WHERE id = ?",
                       err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, task_id);
    return tk_stmt_exec(st, err);
}

static const tk_field update_fields[] = {
    {.name = "task_id", .type = TK_FIELD_REF, .flags = TK_FIELD_REQUIRED | TK_FIELD_IMMUTABLE, .label = "Nhiệm vụ",
     .ref = &tk_res_task},
    {.name = "reported_on", .type = TK_FIELD_DATE, .label = "Ngày báo cáo"},
    {.name = "progress", .type = TK_FIELD_INT, .flags = TK_FIELD_REQUIRED, .label = "Tiến độ (%)", .min = 0,
     .max = 100},
    {.name = "narrative", .type = TK_FIELD_TEXT, .label = "Kết quả thực hiện", .max = 20000},
    {.name = "evidence", .type = TK_FIELD_TEXT, .label = "Minh chứng", .max = 2000},
    {.name = "is_sample", .type = TK_FIELD_BOOL, .label = "Dữ liệu mẫu", .fallback = "false"},
    {0},
};

const tk_resource tk_res_task_update = {
    .name = "task_update", .table = "task_updates", .label = "báo cáo tiến độ", .fields = update_fields,
    .order_by = "r.reported_on, r.id", .check = update_check, .after_write = update_after_write,
    .owner_sql = "(SELECT t.lead_org_id FROM tasks t WHERE t.id = r.task_id)",
    .coowners_sql = "SELECT org_id FROM task_coordinators WHERE task_id = r.task_id",
    .coowners_by_id = "SELECT org_id FROM task_coordinators WHERE task_id = (SELECT task_id FROM task_updates WHERE id = ?)",
    .write_roles = TK_ROLE_BIT(TK_ROLE_OFFICE) | TK_ROLE_BIT(TK_ROLE_EDITOR),
};

/* ---- deadline extensions ---- */

static tk_code extension_check(tk_ctx *ctx, json_t *row, json_t *input, const json_t *old, tk_error *err)
{
    (void)input, (void)old;
    tk_period p;
    tk_code rc = resolve_due(row, "new_due", NULL, NULL, "new_due_last", &p, err);
    if (rc) return rc;
    if (p.kind != TK_PERIOD_SPAN)
        return tk_error_set(err, TK_INVALID_INPUT, "new_due", "Thời hạn mới phải là một ngày hoặc một kỳ cụ thể");
    if ((rc = check_not_future(ctx, row, "decided_on", "Ngày quyết định gia hạn", err))) return rc;

    json_t *task = NULL;
    rc = tk_resource_read_row(ctx, &tk_res_task, json_integer_value(json_object_get(row, "task_id")), &task, err);
    if (rc) return rc;
    json_object_set(row, "old_due_text", json_object_get(task, "due"));
    json_object_set(row, "old_due_last", json_object_get(task, "due_last"));
    tk_date old_last;
    const char *old_text = json_string_value(json_object_get(task, "due_last"));
    bool later = !old_text || !tk_date_parse_iso(old_text, &old_last) || p.last > old_last;
    bool done = !json_is_null(json_object_get(task, "completed_on"));
    json_decref(task);
    if (done)
        return tk_error_set(err, TK_CONFLICT, "task_id", "Nhiệm vụ đã hoàn thành, không gia hạn được");
    if (!later)
        return tk_error_set(err, TK_INVALID_INPUT, "new_due", "Thời hạn mới phải sau thời hạn hiện tại");
    return TK_OK;
}

static tk_code extension_after_write(tk_ctx *ctx, int64_t id, json_t *input, tk_error *err)
{
    (void)input;
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT task_id, new_due_text FROM task_extensions WHERE id = ?", err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, id);
    if (tk_stmt_step(st, err) != TK_STEP_ROW) return storage(err);
    int64_t task_id = tk_stmt_column_int(st, 0);
    json_t *row = json_pack("{s:s}", "due", tk_stmt_column_text(st, 1));
    tk_period p;
    tk_code rc = resolve_due(row, "due", "due_kind", "due_first", "due_last", &p, err);
    if (!rc) {
        st = tk_db_prepare(ctx->db,
                           "UPDATE tasks SET due_text = ?, due_kind = ?, due_first = ?, due_last = ?, "
                           "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
                           err);
        if (!st) rc = storage(err);
    }
    if (!rc) {
        tk_stmt_bind_text(st, 1, json_string_value(json_object_get(row, "due")));
        tk_stmt_bind_text(st, 2, json_string_value(json_object_get(row, "due_kind")));
        tk_stmt_bind_text(st, 3, json_string_value(json_object_get(row, "due_first")));
        tk_stmt_bind_text(st, 4, json_string_value(json_object_get(row, "due_last")));
        tk_stmt_bind_int(st, 5, task_id);
        rc = tk_stmt_exec(st, err);
    }
    json_decref(row);
    return rc;
}

static const tk_field extension_fields[] = {
    {.name = "task_id", .type = TK_FIELD_REF, .flags = TK_FIELD_REQUIRED | TK_FIELD_IMMUTABLE, .label = "Nhiệm vụ",
     .ref = &tk_res_task},
    {.name = "old_due_text", .type = TK_FIELD_TEXT, .flags = TK_FIELD_OUTPUT, .label = "Thời hạn cũ"},
    {.name = "old_due_last", .type = TK_FIELD_DATE, .flags = TK_FIELD_OUTPUT, .label = "Hạn chót cũ"},
    {.name = "new_due", .column = "new_due_text", .type = TK_FIELD_TEXT, .flags = TK_FIELD_REQUIRED | TK_FIELD_IMMUTABLE,
     .label = "Thời hạn mới", .max = 100},
    {.name = "new_due_last", .type = TK_FIELD_DATE, .flags = TK_FIELD_OUTPUT, .label = "Hạn chót mới"},
    {.name = "reason", .type = TK_FIELD_TEXT, .flags = TK_FIELD_REQUIRED | TK_FIELD_IMMUTABLE, .label = "Lý do gia hạn",
     .max = 5000},
    {.name = "approved_by", .type = TK_FIELD_TEXT, .flags = TK_FIELD_REQUIRED | TK_FIELD_IMMUTABLE,
     .label = "Người/cơ quan đồng ý gia hạn", .max = 300},
    {.name = "decided_on", .type = TK_FIELD_DATE, .flags = TK_FIELD_REQUIRED | TK_FIELD_IMMUTABLE,
     .label = "Ngày quyết định gia hạn"},
    {0},
};

const tk_resource tk_res_task_extension = {
    .name = "task_extension", .table = "task_extensions", .label = "gia hạn", .fields = extension_fields,
    .check = extension_check, .after_write = extension_after_write,
    .owner_sql = "(SELECT t.lead_org_id FROM tasks t WHERE t.id = r.task_id)",
    .coowners_sql = "SELECT org_id FROM task_coordinators WHERE task_id = r.task_id",
    .write_roles = TK_ROLE_BIT(TK_ROLE_OFFICE) | TK_ROLE_BIT(TK_ROLE_LEADER),
};

/* Both kinds of history hang off a task: the path gives the task, the body the rest. */
static tk_code add_to_task(tk_ctx *ctx, const tk_resource *res, int64_t task_id, json_t *body, json_t **out,
                           tk_error *err)
{
    if (!json_is_object(body))
        return tk_error_set(err, TK_INVALID_JSON, NULL, "Nội dung gửi lên phải là một đối tượng JSON");
    tk_code rc = tk_resource_exists(ctx, &tk_res_task, task_id, NULL, err);
    if (!rc) rc = tk_resource_check_visible(ctx, &tk_res_task, task_id, err);
    if (rc) return rc;
    json_t *copy = json_copy(body);
    json_object_set_new(copy, "task_id", json_integer(task_id));
    rc = tk_resource_create(ctx, res, copy, out, err);
    json_decref(copy);
    return rc;
}

static tk_code list_of_task(tk_ctx *ctx, const tk_resource *res, int64_t task_id, json_t **out, tk_error *err)
{
    tk_code rc = tk_resource_exists(ctx, &tk_res_task, task_id, NULL, err);
    if (!rc) rc = tk_resource_check_visible(ctx, &tk_res_task, task_id, err);
    if (rc) return rc;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)task_id);
    json_t *query = json_pack("{s:s, s:s}", "task_id", id, "per_page", "200");
    rc = tk_resource_list(ctx, res, query, out, err);
    json_decref(query);
    return rc;
}

tk_code tk_task_add_update(tk_ctx *ctx, int64_t task_id, json_t *body, json_t **out, tk_error *err)
{
    return add_to_task(ctx, &tk_res_task_update, task_id, body, out, err);
}

tk_code tk_task_list_updates(tk_ctx *ctx, int64_t task_id, json_t **out, tk_error *err)
{
    return list_of_task(ctx, &tk_res_task_update, task_id, out, err);
}

tk_code tk_task_extend(tk_ctx *ctx, int64_t task_id, json_t *body, json_t **out, tk_error *err)
{
    return add_to_task(ctx, &tk_res_task_extension, task_id, body, out, err);
}

tk_code tk_task_list_extensions(tk_ctx *ctx, int64_t task_id, json_t **out, tk_error *err)
{
    return list_of_task(ctx, &tk_res_task_extension, task_id, out, err);
}

/* ---- the task list ---- */

/* The SQL condition that a task has a status on a day, with its bindings appended to binds.
 * It restates tk_status_of() for the database, so lists filter where the data lives; the
 * status tests and the HTTP tests check that the two agree. */
static void status_condition(tk_sqlbuf *sql, json_t *binds, tk_status status, tk_date on, bool on_or_after_today)
{
    char day[TK_DATE_TEXT_MAX], year[TK_DATE_TEXT_MAX], quarter[TK_DATE_TEXT_MAX], month[TK_DATE_TEXT_MAX];
    tk_date first, last;
    tk_date_format_iso(on, day);
    tk_period_occurrence(TK_PERIOD_RECURRING_YEAR, on, &first, &last);
    tk_date_format_iso(first, year);
    tk_period_occurrence(TK_PERIOD_RECURRING_QUARTER, on, &first, &last);
    tk_date_format_iso(first, quarter);
    tk_period_occurrence(TK_PERIOD_RECURRING_MONTH, on, &first, &last);
    tk_date_format_iso(first, month);

    static const char done_on_time[] =
        "(coalesce(r.completed_on, '9999-12-31') <= ? AND ((r.due_kind = 'span' AND r.completed_on <= r.due_last) "
        "OR r.due_kind = 'continuous' OR (r.due_kind = 'recurring year' AND r.completed_on >= ?) "
        "OR (r.due_kind = 'recurring quarter' AND r.completed_on >= ?) "
        "OR (r.due_kind = 'recurring month' AND r.completed_on >= ?)))";
    static const char done_late[] =
        "(r.due_kind = 'span' AND coalesce(r.completed_on, '9999-12-31') <= ? AND r.completed_on > r.due_last)";
    /* Completions are never dated after today, so on or after today an open task is simply one
     * with no completion day, and the partial index of open tasks answers. */
    /* Deadlines are compared through the expression of the index tasks_due_order, so a list
     * filtered by status walks that index in its own order and stops at the page's end. */
    static const char overdue_now[] =
        "(r.due_kind = 'span' AND coalesce(r.due_last, '9999-12-31') < ? AND r.completed_on IS NULL)";
    static const char overdue_then[] = "(r.due_kind = 'span' AND coalesce(r.due_last, '9999-12-31') < ? "
                                       "AND coalesce(r.completed_on, '9999-12-31') > ?)";
    /* Implied by in_progress (its deadline, if any, is not past), stated for the index. */
    static const char not_past[] = "coalesce(r.due_last, '9999-12-31') >= ?";

    switch (status) {
    case TK_STATUS_DONE_ON_TIME:
        tk_sqlbuf_add(sql, " AND ", done_on_time, NULL);
        json_array_append_new(binds, json_string(day));
        json_array_append_new(binds, json_string(year));
        json_array_append_new(binds, json_string(quarter));
        json_array_append_new(binds, json_string(month));
        break;
    case TK_STATUS_DONE_LATE:
        tk_sqlbuf_add(sql, " AND ", done_late, NULL);
        json_array_append_new(binds, json_string(day));
        break;
    case TK_STATUS_OVERDUE:
        tk_sqlbuf_add(sql, " AND ", on_or_after_today ? overdue_now : overdue_then, NULL);
        json_array_append_new(binds, json_string(day));
        if (!on_or_after_today) json_array_append_new(binds, json_string(day));
        break;
    case TK_STATUS_IN_PROGRESS:
    default:
        tk_sqlbuf_add(sql, " AND ", not_past, " AND NOT (", done_on_time, " OR ", done_late, " OR ", overdue_then, ")",
                      NULL);
        json_array_append_new(binds, json_string(day));
        json_array_append_new(binds, json_string(day));
        json_array_append_new(binds, json_string(year));
        json_array_append_new(binds, json_string(quarter));
        json_array_append_new(binds, json_string(month));
        json_array_append_new(binds, json_string(day));
        json_array_append_new(binds, json_string(day));
        json_array_append_new(binds, json_string(day));
        break;
    }
}

/* Binds an array of JSON values (strings, integers) to positions 1..n. */
static void bind_all(tk_stmt *st, const json_t *binds)
{
    size_t i;
    json_t *v;
    json_array_foreach(binds, i, v) {
        if (json_is_integer(v)) tk_stmt_bind_int(st, (int)i + 1, json_integer_value(v));
        else tk_stmt_bind_text(st, (int)i + 1, json_string_value(v));
    }
}

/* Runs a task query and collects decorated tasks; one more row than `limit` sets *more. */
static tk_code collect_tasks(tk_ctx *ctx, const char *sql, const json_t *binds, int limit, json_t **items,
                             bool *more, tk_error *err)
{
    tk_stmt *st = tk_db_prepare(ctx->db, sql, err);
    if (!st) return storage(err);
    bind_all(st, binds);
    json_t *list = json_array();
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) json_array_append_new(list, tk_resource_row_json(st, &tk_res_task));
    if (s == TK_STEP_ERROR) {
        json_decref(list);
        return storage(err);
    }
    if (more) *more = json_array_size(list) > (size_t)limit;
    if (json_array_size(list) > (size_t)limit) json_array_remove(list, json_array_size(list) - 1);
    tk_code rc = decorate_list(ctx, list, err);
    if (rc) {
        json_decref(list);
        return rc;
    }
    *items = list;
    return TK_OK;
}

static const struct {
    const char *name;
    const char *order;
} sorts[] = {
    {"due", "coalesce(r.due_last, '9999-12-31'), r.id"},
    {"-due", "coalesce(r.due_last, '9999-12-31') DESC, r.id DESC"},
    {"id", "r.id"},
    {"-id", "r.id DESC"},
    {"title", "r.title_folded, r.id"},
};

static const char *const exact_filters[] = {"lead_org_id", "program_id", "document_id", "parent_id"};

/* Text search: trigram FTS finds substrings of three characters or more through its index;
 * shorter words fall back to LIKE over the rows the other filters leave. */
static tk_code add_text_filter(tk_sqlbuf *sql, json_t *binds, const char *q, tk_error *err)
{
    char *folded = tk_text_fold(q);
    if (!folded) return tk_error_set(err, TK_INVALID_INPUT, "q", "Từ khóa tìm kiếm không phải UTF-8 hợp lệ");
    if (!*folded) {
        free(folded);
        return TK_OK;
    }
    size_t n = strlen(folded);
    char *pattern = malloc(2 * n + 3);
    if (!pattern) {
        free(folded);
        return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
    }
    char *w = pattern;
    if (tk_text_length(folded) >= 3) {
        /* An FTS5 string: the words as one phrase, inner quotes doubled. */
        *w++ = '"';
        for (const char *s = folded; *s; s++) {
            if (*s == '"') *w++ = '"';
            *w++ = *s;
        }
        *w++ = '"';
        *w = '\0';
        tk_sqlbuf_add(sql, " AND r.id IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ?)", NULL);
    } else {
        *w++ = '%';
        for (const char *s = folded; *s; s++) {
            if (*s == '%' || *s == '_' || *s == '\\') *w++ = '\\';
            *w++ = *s;
        }
        *w++ = '%';
        *w = '\0';
        tk_sqlbuf_add(sql, " AND r.search_folded LIKE ? ESCAPE '\\'", NULL);
    }
    json_array_append_new(binds, json_string(pattern));
    free(pattern);
    free(folded);
    return TK_OK;
}

/* Below this many led tasks under a caller's grants, its list is driven from those tasks;
 * above it, walking the list's order index finds a page's worth of visible tasks soon enough. */
enum { NARROW_SCOPE_TASKS = 2000 };

/* Whether the tasks led under the granted organizations of scope (a JSON array) are fewer than
 * NARROW_SCOPE_TASKS. The roll-up rows hold at least one task each, so reading at most that
 * many rows answers it whatever the size of the tree. */
static bool scope_is_narrow(tk_ctx *ctx, const char *scope)
{
    tk_error ignored = {0};
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT coalesce(sum(n), 0) FROM (SELECT n FROM task_rollup "
                                "WHERE scope = 1 AND org_id IN (SELECT value FROM json_each(?)) LIMIT ?)",
                                &ignored);
    if (!st) return false; /* the list is right either way; only its speed depends on this */
    tk_stmt_bind_text(st, 1, scope);
    tk_stmt_bind_int(st, 2, NARROW_SCOPE_TASKS);
    bool narrow = tk_stmt_step(st, &ignored) == TK_STEP_ROW && tk_stmt_column_int(st, 0) < NARROW_SCOPE_TASKS;
    tk_stmt_reset(st);
    return narrow;
}

/* For a caller who sees few tasks (an editor of one commune), the visible tasks as a set the
 * query can start from. tk_resource_scope() stays the check; this condition selects the same
 * tasks (led in a granted subtree, or coordinated by a unit in one) and only changes the plan:
 * without it SQLite walks the list's order index over every task of the province to find the
 * few that pass the check. */
static void narrow_scope(tk_ctx *ctx, tk_sqlbuf *sql, json_t *binds)
{
    char *scope = tk_auth_scope_json(ctx);
    if (scope && scope_is_narrow(ctx, scope)) {
        tk_sqlbuf_add(sql,
                      " AND r.id IN (SELECT t.id FROM org_ancestors a JOIN tasks t ON t.lead_org_id = a.org_id "
                      "WHERE a.ancestor_id IN (SELECT value FROM json_each(?)) UNION SELECT c.task_id "
                      "FROM org_ancestors a JOIN task_coordinators c ON c.org_id = a.org_id "
                      "WHERE a.ancestor_id IN (SELECT value FROM json_each(?)))",
                      NULL);
        json_array_append_new(binds, json_string(scope));
        json_array_append_new(binds, json_string(scope));
    }
    free(scope);
}

/* The list behind tk_task_list() and tk_task_list_all(): a page of the query's page and
 * per_page, or, when all_limit is not 0, every task from the first up to all_limit. */
static tk_code list_tasks(tk_ctx *ctx, const json_t *query, int all_limit, json_t **out, tk_error *err)
{
    static const char *const known[] = {"org", "lead_org_id", "coordinator_org_id", "program_id", "document_id",
                                        "parent_id", "status",
                                        "on", "due_from", "due_to", "q", "sort", "page", "per_page", NULL};
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)query, key, v) {
        bool ok = false;
        for (const char *const *k = known; *k; k++) ok = ok || strcmp(*k, key) == 0;
        if (!ok) return tk_error_set(err, TK_INVALID_INPUT, key, "Không lọc được theo \"%s\"", key);
        if (!json_is_string(v)) return tk_error_set(err, TK_INVALID_INPUT, key, "Giá trị lọc phải là văn bản");
    }
    tk_page page;
    tk_code rc = tk_page_from_query(query, &page, err);
    if (rc) return rc;
    if (all_limit) page = (tk_page){.page = 1, .per_page = all_limit};
    tk_date on = ctx->today, due_from = 0, due_to = 0;
    bool has_on, has_from, has_to, present;
    if ((rc = tk_query_date(query, "on", &on, &has_on, err))) return rc;
    if ((rc = tk_query_date(query, "due_from", &due_from, &has_from, err))) return rc;
    if ((rc = tk_query_date(query, "due_to", &due_to, &has_to, err))) return rc;

    tk_sqlbuf sql;
    tk_sqlbuf_init(&sql);
    json_t *binds = json_array();
    tk_resource_select(&sql, &tk_res_task, "r");
    int64_t org;
    if ((rc = tk_query_id(query, "org", &org, &present, err))) goto out;
    bool org_filter = present;
    if (present) {
        if ((rc = tk_resource_exists(ctx, &tk_res_organization, org, "org", err))) goto out;
        tk_sqlbuf_add(&sql, " JOIN org_ancestors a ON a.org_id = r.lead_org_id AND a.ancestor_id = ?", NULL);
        json_array_append_new(binds, json_integer(org));
    }
    tk_sqlbuf_add(&sql, " WHERE 1 = 1", NULL);
    for (size_t i = 0; i < sizeof exact_filters / sizeof exact_filters[0]; i++) {
        int64_t id;
        const char *text = json_string_value(json_object_get(query, exact_filters[i]));
        if (text && strcmp(text, "null") == 0) { /* as in the generic lists: "has none" */
            tk_sqlbuf_add(&sql, " AND r.", exact_filters[i], " IS NULL", NULL);
            continue;
        }
        if ((rc = tk_query_id(query, exact_filters[i], &id, &present, err))) goto out;
        if (!present) continue;
        tk_sqlbuf_add(&sql, " AND r.", exact_filters[i], " = ?", NULL);
        json_array_append_new(binds, json_integer(id));
    }
    int64_t coordinator;
    if ((rc = tk_query_id(query, "coordinator_org_id", &coordinator, &present, err))) goto out;
    if (present) {
        tk_sqlbuf_add(&sql, " AND r.id IN (SELECT task_id FROM task_coordinators WHERE org_id = ?)", NULL);
        json_array_append_new(binds, json_integer(coordinator));
    }
    const char *status_text = json_string_value(json_object_get(query, "status"));
    if (status_text) {
        tk_status status;
        if (!tk_status_from_name(status_text, &status)) {
            rc = tk_error_set(err, TK_INVALID_INPUT, "status",
                              "Trạng thái phải là một trong: done_on_time, done_late, in_progress, overdue");
            goto out;
        }
        status_condition(&sql, binds, status, on, on >= ctx->today);
    }
    char day[TK_DATE_TEXT_MAX];
    if (has_from) {
        tk_sqlbuf_add(&sql, " AND r.due_last >= ?", NULL);
        json_array_append_new(binds, json_string(tk_date_format_iso(due_from, day)));
    }
    if (has_to) {
        tk_sqlbuf_add(&sql, " AND r.due_last <= ?", NULL);
        json_array_append_new(binds, json_string(tk_date_format_iso(due_to, day)));
    }
    const char *q = json_string_value(json_object_get(query, "q"));
    if (q && (rc = add_text_filter(&sql, binds, q, err))) goto out;

    /* An organization filter already starts from that unit's tasks. */
    if (!org_filter) narrow_scope(ctx, &sql, binds);
    tk_resource_scope(ctx, &tk_res_task, &sql, binds);

    const char *sort = json_string_value(json_object_get(query, "sort"));
    const char *order = NULL;
    for (size_t i = 0; i < sizeof sorts / sizeof sorts[0]; i++)
        if (!sort || strcmp(sort, sorts[i].name) == 0) {
            order = sorts[i].order;
            break;
        }
    if (!order) {
        rc = tk_error_set(err, TK_INVALID_INPUT, "sort", "Cách sắp xếp phải là một trong: due, -due, id, -id, title");
        goto out;
    }
    tk_sqlbuf_add(&sql, " ORDER BY ", order, " LIMIT ? OFFSET ?", NULL);
    json_array_append_new(binds, json_integer(page.per_page + 1));
    json_array_append_new(binds, json_integer((int64_t)(page.page - 1) * page.per_page));
    if (sql.overflow) {
        rc = tk_error_set(err, TK_INTERNAL, NULL, "Câu lệnh SQL quá dài");
        goto out;
    }

    tk_ctx judged = *ctx;
    judged.today = on; /* statuses in the answer are those of the day asked about */
    json_t *items;
    bool more;
    if ((rc = collect_tasks(&judged, sql.text, binds, page.per_page, &items, &more, err))) goto out;
    *out = json_pack("{s:o, s:i, s:i, s:b, s:s}", "items", items, "page", page.page, "per_page", page.per_page,
                     "has_more", more, "on", tk_date_format_iso(on, day));
out:
    json_decref(binds);
    return rc;
}

tk_code tk_task_list(tk_ctx *ctx, const json_t *query, json_t **out, tk_error *err)
{
    return list_tasks(ctx, query, 0, out, err);
}

tk_code tk_task_list_all(tk_ctx *ctx, const json_t *query, int limit, json_t **out, tk_error *err)
{
    json_t *rest = json_copy((json_t *)query);
    json_object_del(rest, "page");
    json_object_del(rest, "per_page");
    tk_code rc = list_tasks(ctx, rest, limit, out, err);
    json_decref(rest);
    if (rc) return rc;
    json_object_del(*out, "page");
    json_object_del(*out, "per_page");
    return TK_OK;
}

/* ---- roll-ups ---- */

/* Adds the task_rollup groups of (org, scope) to card, judged on `on`. */
static tk_code read_rollup(tk_ctx *ctx, int64_t org, int scope, tk_date on, tk_scorecard *card, tk_error *err)
{
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT due_kind, due_last, completed_on, n FROM task_rollup "
                                "WHERE org_id = ? AND scope = ?",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, org);
    tk_stmt_bind_int(st, 2, scope);
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        tk_task_facts facts = {0};
        if (!tk_period_kind_from_name(tk_stmt_column_text(st, 0), &facts.due_kind)) continue;
        tk_date_parse_iso(tk_stmt_column_text(st, 1), &facts.due_last);
        facts.completed = tk_date_parse_iso(tk_stmt_column_text(st, 2), &facts.completed_on);
        tk_scorecard_add(card, &facts, tk_stmt_column_int(st, 3), on);
    }
    return s == TK_STEP_ERROR ? storage(err) : TK_OK;
}

static json_t *scorecard_json(const tk_scorecard *card)
{
    json_t *obj = json_object();
    for (int s = 0; s < TK_STATUS_COUNT; s++)
        json_object_set_new(obj, tk_status_name((tk_status)s), json_integer(card->count[s]));
    json_object_set_new(obj, "total", json_integer(card->total));
    return obj;
}

/* Roll-ups cover a whole subtree, so they are for callers whose grants cover it, whatever the
 * role; a unit above one's grants is not theirs to count. */
static tk_code check_subtree(tk_ctx *ctx, int64_t org, tk_error *err)
{
    bool allowed;
    tk_code rc = tk_auth_has_role(ctx, ~0u, org, &allowed, err);
    if (rc) return rc;
    if (!allowed) return tk_error_set(err, TK_NOT_FOUND, "org", "Không có đơn vị mã số %lld trong phạm vi của bạn", (long long)org);
    return TK_OK;
}

static tk_code query_on(tk_ctx *ctx, const json_t *query, tk_date *on, tk_error *err)
{
    bool present;
    *on = ctx->today;
    return tk_query_date(query, "on", on, &present, err);
}

tk_code tk_org_scorecard(tk_ctx *ctx, int64_t org_id, const json_t *query, json_t **out, tk_error *err)
{
    tk_date on;
    tk_code rc = query_on(ctx, query, &on, err);
    if (rc) return rc;
    if ((rc = tk_resource_exists(ctx, &tk_res_organization, org_id, NULL, err))) return rc;
    if ((rc = check_subtree(ctx, org_id, err))) return rc;
    tk_scorecard self, tree;
    tk_scorecard_init(&self);
    tk_scorecard_init(&tree);
    if ((rc = read_rollup(ctx, org_id, 0, on, &self, err))) return rc;
    if ((rc = read_rollup(ctx, org_id, 1, on, &tree, err))) return rc;
    char day[TK_DATE_TEXT_MAX];
    *out = json_pack("{s:I, s:s, s:o, s:o}", "org_id", (json_int_t)org_id, "on", tk_date_format_iso(on, day),
                     "own", scorecard_json(&self), "subtree", scorecard_json(&tree));
    return TK_OK;
}

/* Open tasks of the subtree whose deadline falls in [from, to], soonest first. */
static tk_code open_tasks_between(tk_ctx *ctx, int64_t org, const char *from, const char *to, bool on_or_after_today,
                                  const char *on, json_t **items, tk_error *err)
{
    tk_sqlbuf sql;
    tk_sqlbuf_init(&sql);
    tk_resource_select(&sql, &tk_res_task, "r");
    tk_sqlbuf_add(&sql, " JOIN org_ancestors a ON a.org_id = r.lead_org_id AND a.ancestor_id = ?"
                        " WHERE r.due_kind = 'span' AND r.due_last >= ? AND r.due_last <= ?",
                  on_or_after_today ? " AND r.completed_on IS NULL"
                                    : " AND coalesce(r.completed_on, '9999-12-31') > ?",
                  " ORDER BY r.due_last, r.id LIMIT ?", NULL);
    json_t *binds = json_pack("[I, s, s]", (json_int_t)org, from, to);
    if (!on_or_after_today) json_array_append_new(binds, json_string(on));
    json_array_append_new(binds, json_integer(DASHBOARD_LIST));
    tk_code rc = collect_tasks(ctx, sql.text, binds, DASHBOARD_LIST, items, NULL, err);
    json_decref(binds);
    return rc;
}

static tk_code dashboard_programs(tk_ctx *ctx, int64_t org, json_t *out, tk_error *err)
{
    tk_sqlbuf sql;
    tk_sqlbuf_init(&sql);
    tk_resource_select(&sql, &tk_res_program, "r");
    tk_sqlbuf_add(&sql, " JOIN documents d ON d.id = r.document_id"
                        " JOIN org_ancestors a ON a.org_id = d.organization_id AND a.ancestor_id = ?"
                        " ORDER BY d.issued_on DESC, d.id, r.number, r.id LIMIT 100", NULL);
    tk_stmt *st = tk_db_prepare(ctx->db, sql.text, err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, org);
    json_t *items = json_array();
    json_object_set_new(out, "programs", items);
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) json_array_append_new(items, tk_resource_row_json(st, &tk_res_program));
    if (s == TK_STEP_ERROR) return storage(err);
    size_t i;
    json_t *v;
    json_array_foreach(items, i, v) {
        tk_code rc = tk_res_program.decorate(ctx, v, err);
        if (rc) return rc;
    }
    return TK_OK;
}

/* Units of the subtree ranked by the tasks they lead that are overdue on `on`, read from the
 * roll-up groups rather than from the tasks. */
static tk_code dashboard_units(tk_ctx *ctx, int64_t org, const char *on, json_t *out, tk_error *err)
{
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT t.org_id, o.name, sum(t.n) AS overdue FROM org_ancestors a "
                                "JOIN task_rollup t ON t.org_id = a.org_id AND t.scope = 0 "
                                "JOIN organizations o ON o.id = t.org_id "
                                "WHERE a.ancestor_id = ? AND t.due_kind = 'span' AND t.due_last < ? "
                                "AND (t.completed_on = '' OR t.completed_on > ?) "
                                "GROUP BY t.org_id ORDER BY overdue DESC, o.name LIMIT ?",
                                err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, org);
    tk_stmt_bind_text(st, 2, on);
    tk_stmt_bind_text(st, 3, on);
    tk_stmt_bind_int(st, 4, DASHBOARD_LIST);
    json_t *units = json_array();
    json_object_set_new(out, "units_by_overdue", units);
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW)
        json_array_append_new(units, json_pack("{s:I, s:s, s:I}", "org_id", (json_int_t)tk_stmt_column_int(st, 0),
                                               "name", tk_stmt_column_text(st, 1), "overdue",
                                               (json_int_t)tk_stmt_column_int(st, 2)));
    return s == TK_STEP_ERROR ? storage(err) : TK_OK;
}

tk_code tk_dashboard(tk_ctx *ctx, const json_t *query, json_t **out, tk_error *err)
{
    int64_t org;
    bool present;
    tk_code rc = tk_query_id(query, "org", &org, &present, err);
    if (rc) return rc;
    if (!present) return tk_error_set(err, TK_INVALID_INPUT, "org", "Cần chọn đơn vị (org)");
    tk_date on;
    if ((rc = query_on(ctx, query, &on, err))) return rc;
    json_t *organization = NULL;
    if ((rc = tk_resource_get(ctx, &tk_res_organization, org, &organization, err))) return rc;
    if ((rc = check_subtree(ctx, org, err))) {
        json_decref(organization);
        return rc;
    }

    tk_scorecard card;
    tk_scorecard_init(&card);
    json_t *dash = json_object();
    json_object_set_new(dash, "organization", organization);
    char day[TK_DATE_TEXT_MAX], yesterday[TK_DATE_TEXT_MAX], soon[TK_DATE_TEXT_MAX];
    tk_date_format_iso(on, day);
    tk_date_format_iso(on - 1, yesterday);
    tk_date_format_iso(on + DUE_SOON_DAYS, soon);
    json_object_set_new(dash, "on", json_string(day));
    bool now = on >= ctx->today;
    tk_ctx judged = *ctx;
    judged.today = on;
    json_t *list = NULL;
    if ((rc = read_rollup(ctx, org, 1, on, &card, err))) goto out;
    json_object_set_new(dash, "counts", scorecard_json(&card));
    if ((rc = dashboard_programs(ctx, org, dash, err))) goto out;
    if ((rc = open_tasks_between(&judged, org, "0000-00-00", yesterday, now, day, &list, err))) goto out;
    json_object_set_new(dash, "overdue", list);
    if ((rc = open_tasks_between(&judged, org, day, soon, now, day, &list, err))) goto out;
    json_object_set_new(dash, "due_soon", list);
    rc = dashboard_units(ctx, org, day, dash, err);
out:
    if (rc) json_decref(dash);
    else *out = dash;
    return rc;
}
