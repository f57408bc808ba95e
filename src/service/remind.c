#include "service/remind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/schedule.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/resource.h"

enum {
    WINDOW_PERIODS_MAX = 16, /* periods of one schedule in the window: a few months at most */
    TEXT_MAX = 8192, /* a title of 500 characters, a unit's name, the words around them */
};

static tk_code storage(tk_error *err)
{
    return err->code ? err->code : tk_error_set(err, TK_STORAGE, NULL, "Lỗi cơ sở dữ liệu");
}

static tk_code need_admin(tk_ctx *ctx, tk_error *err)
{
    if (tk_auth_is_admin(ctx)) return TK_OK;
    return tk_error_set(err, TK_FORBIDDEN, NULL, "Chỉ quản trị viên gửi được lời nhắc báo cáo");
}

static bool text_date(const char *text, tk_date *out)
{
    return text && tk_date_parse_iso(text, out);
}

/* ---- the plan ---- */

/* The schedule of a report_schedules row read by SCHEDULES_SQL (columns 2..7). */
static tk_schedule schedule_of(tk_stmt *st)
{
    tk_schedule_kind kind = TK_SCHEDULE_QUARTER;
    tk_schedule_kind_from_name(tk_stmt_column_text(st, 2), &kind);
    tk_schedule s = tk_schedule_default(kind);
    if (!tk_stmt_column_is_null(st, 3)) s.cutoff_day = (int)tk_stmt_column_int(st, 3);
    if (!tk_stmt_column_is_null(st, 4)) s.due_day = (int)tk_stmt_column_int(st, 4);
    text_date(tk_stmt_column_text(st, 5), &s.once_first);
    text_date(tk_stmt_column_text(st, 6), &s.once_last);
    if (!tk_stmt_column_is_null(st, 7)) s.once_due_days = (int)tk_stmt_column_int(st, 7);
    return s;
}

/* Adds to pairs every period of the schedule on st's row whose due date falls in the window:
 * {s: schedule, k: key, l: label, d: due date, kind, days: due - today}. */
static void add_periods(tk_ctx *ctx, tk_stmt *st, int days_before, json_t *pairs)
{
    tk_schedule s = schedule_of(st);
    if (tk_schedule_validate(&s, &(tk_error){0})) return;
    tk_date starts = 0, ends = 0;
    bool has_start = text_date(tk_stmt_column_text(st, 8), &starts), has_end = text_date(tk_stmt_column_text(st, 9), &ends);
    tk_report_period periods[WINDOW_PERIODS_MAX];
    size_t n;
    if (s.kind == TK_SCHEDULE_ONCE) {
        n = tk_schedule_period(&s, 0, 1, &periods[0]) ? 1 : 0;
    } else {
        /* A periodic report falls due inside its period's last month, so the periods that hold
         * a due date of the window are those overlapping it. */
        n = tk_schedule_periods_between(&s, ctx->today - TK_REMIND_OVERDUE_WINDOW, ctx->today + days_before, periods,
                                        WINDOW_PERIODS_MAX);
        if (n > WINDOW_PERIODS_MAX) n = WINDOW_PERIODS_MAX;
    }
    for (size_t i = 0; i < n; i++) {
        const tk_report_period *p = &periods[i];
        if ((has_start && p->last < starts) || (has_end && p->first > ends)) continue;
        int days = p->due - ctx->today;
        if (days > days_before || days < -TK_REMIND_OVERDUE_WINDOW) continue;
        char due[TK_DATE_TEXT_MAX];
        json_array_append_new(pairs, json_pack("{s:I, s:s, s:s, s:s, s:s, s:i}", "s", (json_int_t)tk_stmt_column_int(st, 0),
                                               "k", p->key, "l", p->label, "d", tk_date_format_iso(p->due, due), "kind",
                                               days >= 0 ? "before_due" : "overdue", "days", days < 0 ? -days : days));
    }
}

/* The units expected to report for each period of ?1 (as they were on its due date, the rules
 * of service/report.c), the outstanding ones, their editors and offices, and what was recorded
 * for them already: one statement over every unit of the window, each looked up by index. */
static const char PLAN_SQL[] =
    "WITH p AS ("
    " SELECT json_extract(value, '$.s') AS schedule_id, json_extract(value, '$.k') AS period_key,"
    "  json_extract(value, '$.l') AS label, json_extract(value, '$.d') AS due_on,"
    "  json_extract(value, '$.kind') AS kind, json_extract(value, '$.days') AS days FROM json_each(?1)),"
    " expected AS ("
    " SELECT p.*, a.org_id FROM p JOIN report_schedules s ON s.id = p.schedule_id AND s.reporters <> 'list'"
    "  JOIN org_ancestors a ON a.ancestor_id = s.reporter_root_id AND a.depth >= 1"
    "   AND (s.reporter_depth IS NULL OR a.depth <= s.reporter_depth)"
    "  JOIN organizations o ON o.id = a.org_id AND (s.reporters <> 'kind' OR o.kind = s.reporter_kind)"
    "  WHERE (o.valid_from IS NULL OR o.valid_from <= p.due_on) AND (o.valid_to IS NULL OR o.valid_to >= p.due_on)"
    " UNION ALL"
    " SELECT p.*, l.org_id FROM p JOIN report_schedules s ON s.id = p.schedule_id AND s.reporters = 'list'"
    "  JOIN report_schedule_orgs l ON l.schedule_id = s.id JOIN organizations o ON o.id = l.org_id"
    "  WHERE (o.valid_from IS NULL OR o.valid_from <= p.due_on) AND (o.valid_to IS NULL OR o.valid_to >= p.due_on))"
    " SELECT e.schedule_id, s.title, e.period_key, e.label, e.due_on, e.kind, e.days, e.org_id, o.name,"
    "  u.id, u.login, u.display_name, u.email,"
    "  (SELECT ra.id FROM reminders ra WHERE ra.schedule_id = e.schedule_id AND ra.period_key = e.period_key"
    "   AND ra.org_id = e.org_id AND ra.kind = e.kind AND ra.user_id = u.id AND ra.channel = 'app'),"
    "  re.id, re.sent_at"
    " FROM expected e JOIN report_schedules s ON s.id = e.schedule_id JOIN organizations o ON o.id = e.org_id"
    " LEFT JOIN unit_reports r ON r.schedule_id = e.schedule_id AND r.period_key = e.period_key AND r.org_id = e.org_id"
    " JOIN grants g ON g.org_id = e.org_id AND g.revoked_at IS NULL AND g.role IN ('editor', 'office')"
    " JOIN users u ON u.id = g.user_id AND u.disabled_at IS NULL"
    " LEFT JOIN reminders re ON re.schedule_id = e.schedule_id AND re.period_key = e.period_key"
    "  AND re.org_id = e.org_id AND re.kind = e.kind AND re.user_id = u.id AND re.channel = 'email'"
    " WHERE r.status IS NULL OR r.status NOT IN ('submitted', 'accepted')"
    " GROUP BY e.schedule_id, e.period_key, e.org_id, u.id"
    " ORDER BY e.schedule_id, e.due_on, e.period_key, o.name, e.org_id, u.login";

/* "2021-06-25" as "25/06/2021". */
static const char *vn_date(const char *iso, char buf[TK_DATE_TEXT_MAX])
{
    tk_date d;
    return text_date(iso, &d) ? tk_date_format_vn(d, buf) : iso ? iso : "";
}

/* The words of a reminder, from the plan statement's row. */
static void describe(tk_stmt *st, json_t *item)
{
    char due[TK_DATE_TEXT_MAX], when[64], text[TEXT_MAX];
    const char *title = tk_stmt_column_text(st, 1), *label = tk_stmt_column_text(st, 3),
               *org = tk_stmt_column_text(st, 8), *kind = tk_stmt_column_text(st, 5);
    int days = (int)tk_stmt_column_int(st, 6);
    bool overdue = strcmp(kind, "overdue") == 0;
    if (overdue) snprintf(when, sizeof when, "đã quá %d ngày", days);
    else if (days == 0) snprintf(when, sizeof when, "hôm nay là hạn cuối");
    else snprintf(when, sizeof when, "còn %d ngày", days);
    snprintf(text, sizeof text, "Đơn vị %s chưa nộp báo cáo %s %s; hạn nộp ngày %s (%s).", org, title, label,
             vn_date(tk_stmt_column_text(st, 4), due), when);
    json_object_set_new(item, "message", json_string(text));
    snprintf(text, sizeof text, "%s: báo cáo %s %s — %s", overdue ? "Quá hạn nộp" : "Nhắc nộp", title, label, org);
    json_object_set_new(item, "subject", json_string(text));
    snprintf(text, sizeof text, "/reports/%lld/%s/%lld", (long long)tk_stmt_column_int(st, 0),
             tk_stmt_column_text(st, 2), (long long)tk_stmt_column_int(st, 7));
    json_object_set_new(item, "link", json_string(text));
}

static json_t *plan_item(tk_stmt *st, const char *channel, json_t *reminder_id)
{
    json_t *item = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:s, s:I, s:s, s:s, s:s}", "schedule_id",
                             (json_int_t)tk_stmt_column_int(st, 0), "schedule_title", tk_stmt_column_text(st, 1),
                             "period_key", tk_stmt_column_text(st, 2), "period_label", tk_stmt_column_text(st, 3),
                             "due_on", tk_stmt_column_text(st, 4), "kind", tk_stmt_column_text(st, 5), "days",
                             (int)tk_stmt_column_int(st, 6), "org_id", (json_int_t)tk_stmt_column_int(st, 7), "org_name",
                             tk_stmt_column_text(st, 8), "user_id", (json_int_t)tk_stmt_column_int(st, 9), "login",
                             tk_stmt_column_text(st, 10), "display_name", tk_stmt_column_text(st, 11), "channel", channel);
    bool email = strcmp(channel, "email") == 0;
    json_object_set_new(item, "address", email ? json_string(tk_stmt_column_text(st, 12)) : json_null());
    json_object_set_new(item, "reminder_id", reminder_id);
    describe(st, item);
    return item;
}

tk_code tk_remind_plan(tk_ctx *ctx, int days_before, bool with_email, json_t **plan, tk_error *err)
{
    tk_code rc = need_admin(ctx, err);
    if (rc) return rc;
    if (days_before < 0 || days_before > TK_REMIND_DAYS_BEFORE_MAX)
        return tk_error_set(err, TK_INVALID_INPUT, "remind_days_before", "Số ngày nhắc trước hạn phải từ 0 đến %d",
                            TK_REMIND_DAYS_BEFORE_MAX);
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "SELECT id, title, period_type, cutoff_day, due_day, once_first, once_last, once_due_days, "
                                "starts_on, ends_on FROM report_schedules ORDER BY id",
                                err);
    if (!st) return storage(err);
    json_t *pairs = json_array(), *items = json_array();
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) add_periods(ctx, st, days_before, pairs);
    if (s == TK_STEP_ERROR) {
        rc = storage(err);
        goto out;
    }
    char *pairs_text = json_dumps(pairs, JSON_COMPACT);
    if (!pairs_text) {
        rc = tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
        goto out;
    }
    st = tk_db_prepare(ctx->db, PLAN_SQL, err);
    if (!st) {
        free(pairs_text);
        rc = storage(err);
        goto out;
    }
    tk_stmt_bind_text(st, 1, pairs_text);
    free(pairs_text);
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        if (tk_stmt_column_is_null(st, 13)) json_array_append_new(items, plan_item(st, "app", json_null()));
        const char *email = tk_stmt_column_text(st, 12);
        bool recorded = !tk_stmt_column_is_null(st, 14), sent = !tk_stmt_column_is_null(st, 15);
        if (with_email && email && *email && !sent)
            json_array_append_new(items, plan_item(st, "email",
                                                   recorded ? json_integer(tk_stmt_column_int(st, 14)) : json_null()));
    }
    if (s == TK_STEP_ERROR) {
        rc = storage(err);
        goto out;
    }
    char on[TK_DATE_TEXT_MAX];
    *plan = json_pack("{s:s, s:i, s:o}", "on", tk_date_format_iso(ctx->today, on), "days_before", days_before, "items",
                      items);
    items = NULL;
out:
    json_decref(pairs);
    json_decref(items);
    return rc;
}

/* ---- carrying it out ---- */

static const char *str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static int64_t num(const json_t *obj, const char *key)
{
    return (int64_t)json_integer_value(json_object_get(obj, key));
}

/* Writes item's reminder with its audit entry in one transaction. TK_CONFLICT when it exists
 * already (another run got there first). */
static tk_code record(tk_ctx *ctx, const json_t *item, int64_t *id, tk_error *err)
{
    tk_code rc = tk_db_begin(ctx->db, err);
    if (rc) return rc;
    bool app = strcmp(str(item, "channel"), "app") == 0;
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "INSERT INTO reminders(schedule_id, period_key, org_id, kind, user_id, channel, due_on, "
                                "address, subject, message, link, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                "CASE WHEN ?12 THEN strftime('%Y-%m-%dT%H:%M:%SZ','now') END)",
                                err);
    if (!st) rc = storage(err);
    if (!rc) {
        tk_stmt_bind_int(st, 1, num(item, "schedule_id"));
        tk_stmt_bind_text(st, 2, str(item, "period_key"));
        tk_stmt_bind_int(st, 3, num(item, "org_id"));
        tk_stmt_bind_text(st, 4, str(item, "kind"));
        tk_stmt_bind_int(st, 5, num(item, "user_id"));
        tk_stmt_bind_text(st, 6, str(item, "channel"));
        tk_stmt_bind_text(st, 7, str(item, "due_on"));
        tk_stmt_bind_text(st, 8, str(item, "address"));
        tk_stmt_bind_text(st, 9, str(item, "subject"));
        tk_stmt_bind_text(st, 10, str(item, "message"));
        tk_stmt_bind_text(st, 11, str(item, "link"));
        tk_stmt_bind_int(st, 12, app);
        rc = tk_stmt_exec(st, err);
    }
    if (!rc) {
        *id = tk_db_last_id(ctx->db);
        json_t *after = json_pack("{s:I, s:s, s:I, s:s, s:I, s:s, s:O}", "schedule_id", (json_int_t)num(item, "schedule_id"),
                                  "period_key", str(item, "period_key"), "org_id", (json_int_t)num(item, "org_id"), "kind",
                                  str(item, "kind"), "user_id", (json_int_t)num(item, "user_id"), "channel",
                                  str(item, "channel"), "address", json_object_get(item, "address"));
        rc = tk_audit_append(ctx, "create", "reminder", *id, NULL, after, err);
        json_decref(after);
    }
    return tk_db_end(ctx->db, rc, err);
}

/* Records how the sending of e-mail reminder id went, with its audit entry. A reminder already
 * marked sent stays as it is. */
static tk_code record_outcome(tk_ctx *ctx, int64_t id, const char *error, tk_error *err)
{
    tk_code rc = tk_db_begin(ctx->db, err);
    if (rc) return rc;
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "UPDATE reminders SET attempts = attempts + 1, error = ?1, "
                                "sent_at = CASE WHEN ?1 IS NULL THEN strftime('%Y-%m-%dT%H:%M:%SZ','now') END "
                                "WHERE id = ?2 AND sent_at IS NULL",
                                err);
    if (!st) rc = storage(err);
    if (!rc) {
        tk_stmt_bind_text(st, 1, error);
        tk_stmt_bind_int(st, 2, id);
        rc = tk_stmt_exec(st, err);
    }
    if (!rc && tk_db_changes(ctx->db) == 1) {
        json_t *after = error ? json_pack("{s:s}", "error", error) : json_pack("{s:b}", "sent", 1);
        rc = tk_audit_append(ctx, error ? "send_failed" : "sent", "reminder", id, NULL, after, err);
        json_decref(after);
    }
    return tk_db_end(ctx->db, rc, err);
}

static tk_code send_one(tk_ctx *ctx, const tk_mail_server *mail, json_t *item, int64_t id, int *sent, int *failed,
                        tk_error *err)
{
    char body[TEXT_MAX * 2];
    snprintf(body, sizeof body,
             "Kính gửi đồng chí %s,\n\n%s\n\nXem và nộp báo cáo tại: %s\n\n"
             "Thư này do trienkhai gửi tự động; mỗi lời nhắc chỉ gửi một lần.\n",
             str(item, "display_name"), str(item, "message"), str(item, "link"));
    tk_mail m = {.to = str(item, "address"), .to_name = str(item, "display_name"), .subject = str(item, "subject"),
                 .body = body};
    tk_error send_err;
    tk_error_clear(&send_err);
    tk_code send_rc = tk_mail_send(mail, &m, &send_err);
    const char *error = send_rc ? (send_err.message[0] ? send_err.message : "Không gửi được thư") : NULL;
    tk_code rc = record_outcome(ctx, id, error, err);
    if (rc) return rc;
    json_object_set_new(item, "status", json_string(error ? "failed" : "sent"));
    if (error) {
        json_object_set_new(item, "error", json_string(error));
        (*failed)++;
    } else {
        (*sent)++;
    }
    return TK_OK;
}

tk_code tk_remind_run(tk_ctx *ctx, const json_t *plan, const tk_mail_server *mail, bool dry_run, json_t **result,
                      tk_error *err)
{
    tk_code rc = need_admin(ctx, err);
    if (rc) return rc;
    json_t *items = json_deep_copy(json_object_get(plan, "items"));
    if (!json_is_array(items)) {
        json_decref(items);
        return tk_error_set(err, TK_INVALID_INPUT, "plan", "Kế hoạch nhắc không có danh sách (items)");
    }
    int recorded = 0, sent = 0, failed = 0;
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        if (dry_run) {
            json_object_set_new(item, "status", json_string("planned"));
            continue;
        }
        int64_t id = num(item, "reminder_id");
        if (!id) {
            rc = record(ctx, item, &id, err);
            if (rc == TK_CONFLICT) {
                tk_error_clear(err);
                rc = TK_OK;
                json_object_set_new(item, "status", json_string("skipped"));
                continue;
            }
            if (rc) goto out;
            recorded++;
            json_object_set_new(item, "reminder_id", json_integer(id));
        }
        bool app = strcmp(str(item, "channel"), "app") == 0;
        json_object_set_new(item, "status", json_string(app ? "delivered" : "recorded"));
    }
    /* E-mail goes out once everything is recorded, outside any transaction: a slow server does
     * not hold the database's write lock. */
    json_array_foreach(items, i, item) {
        if (dry_run || !mail || strcmp(str(item, "status"), "recorded") != 0) continue;
        if ((rc = send_one(ctx, mail, item, num(item, "reminder_id"), &sent, &failed, err))) goto out;
    }
    *result = json_pack("{s:b, s:s?, s:i, s:i, s:i, s:O}", "dry_run", dry_run, "on", str(plan, "on"), "recorded",
                        recorded, "sent", sent, "failed", failed, "items", items);
out:
    json_decref(items);
    return rc;
}

/* ---- in the app ---- */

static const char NOTIFICATIONS_SQL[] =
    "SELECT n.id, n.schedule_id, n.period_key, n.org_id, o.name, n.kind, n.due_on, n.subject, n.message, n.link, "
    "n.created_at, n.read_at FROM notifications n JOIN organizations o ON o.id = n.org_id "
    "WHERE n.user_id = ?1 AND (?2 IS NULL OR n.id = ?2) ORDER BY n.id DESC LIMIT ?3 OFFSET ?4";

static json_t *notification_json(tk_stmt *st)
{
    json_t *n = json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                          (json_int_t)tk_stmt_column_int(st, 0), "schedule_id", (json_int_t)tk_stmt_column_int(st, 1),
                          "period_key", tk_stmt_column_text(st, 2), "org_id", (json_int_t)tk_stmt_column_int(st, 3),
                          "org_name", tk_stmt_column_text(st, 4), "kind", tk_stmt_column_text(st, 5), "due_on",
                          tk_stmt_column_text(st, 6), "subject", tk_stmt_column_text(st, 7), "message",
                          tk_stmt_column_text(st, 8), "link", tk_stmt_column_text(st, 9), "created_at",
                          tk_stmt_column_text(st, 10));
    const char *read_at = tk_stmt_column_text(st, 11);
    json_object_set_new(n, "read_at", read_at ? json_string(read_at) : json_null());
    return n;
}

static tk_code need_caller(tk_ctx *ctx, tk_error *err)
{
    if (ctx->caller) return TK_OK;
    return tk_error_set(err, TK_UNAUTHORIZED, NULL, "Cần đăng nhập để xem thông báo");
}

/* The caller's notifications (one when id is not 0) into items. */
static tk_code read_notifications(tk_ctx *ctx, int64_t id, tk_page page, json_t *items, tk_error *err)
{
    tk_stmt *st = tk_db_prepare(ctx->db, NOTIFICATIONS_SQL, err);
    if (!st) return storage(err);
    tk_stmt_bind_int(st, 1, ctx->caller->user_id);
    if (id) tk_stmt_bind_int(st, 2, id);
    tk_stmt_bind_int(st, 3, page.per_page + 1);
    tk_stmt_bind_int(st, 4, (int64_t)(page.page - 1) * page.per_page);
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) json_array_append_new(items, notification_json(st));
    return s == TK_STEP_ERROR ? storage(err) : TK_OK;
}

tk_code tk_remind_notifications(tk_ctx *ctx, const json_t *query, json_t **out, tk_error *err)
{
    tk_page page;
    tk_code rc = need_caller(ctx, err);
    if (!rc) rc = tk_page_from_query(query, &page, err);
    if (rc) return rc;
    json_t *items = json_array();
    if ((rc = read_notifications(ctx, 0, page, items, err))) {
        json_decref(items);
        return rc;
    }
    tk_stmt *st = tk_db_prepare(ctx->db, "SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", err);
    if (!st || (tk_stmt_bind_int(st, 1, ctx->caller->user_id), tk_stmt_step(st, err)) != TK_STEP_ROW) {
        json_decref(items);
        return storage(err);
    }
    int64_t unread = tk_stmt_column_int(st, 0);
    tk_stmt_reset(st);
    bool more = json_array_size(items) > (size_t)page.per_page;
    if (more) json_array_remove(items, json_array_size(items) - 1);
    *out = json_pack("{s:o, s:I, s:i, s:i, s:b}", "items", items, "unread", (json_int_t)unread, "page", page.page,
                     "per_page", page.per_page, "has_more", more);
    return TK_OK;
}

tk_code tk_remind_mark_read(tk_ctx *ctx, int64_t id, json_t **out, tk_error *err)
{
    tk_code rc = need_caller(ctx, err);
    if (rc) return rc;
    if ((rc = tk_db_begin(ctx->db, err))) return rc;
    tk_stmt *st = tk_db_prepare(ctx->db,
                                "UPDATE reminders SET read_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') "
                                "WHERE id = ? AND user_id = ? AND channel = 'app' AND read_at IS NULL",
                                err);
    if (!st) rc = storage(err);
    if (!rc) {
        tk_stmt_bind_int(st, 1, id);
        tk_stmt_bind_int(st, 2, ctx->caller->user_id);
        rc = tk_stmt_exec(st, err);
    }
    if (!rc && tk_db_changes(ctx->db) == 1) rc = tk_audit_append(ctx, "read", "reminder", id, NULL, NULL, err);
    json_t *items = json_array();
    if (!rc) rc = read_notifications(ctx, id, (tk_page){.page = 1, .per_page = 1}, items, err);
    if (!rc && json_array_size(items) == 0)
        rc = tk_error_set(err, TK_NOT_FOUND, NULL, "Không có thông báo mã số %lld", (long long)id);
    rc = tk_db_end(ctx->db, rc, err);
    if (!rc) *out = json_incref(json_array_get(items, 0));
    json_decref(items);
    return rc;
}
