/* Reminders of outstanding reports: `trienkhai remind` run as cron would run it, each run a new
 * process, against a real server's database, with an SMTP sink this test runs on 127.0.0.1
 * (tests/support/smtp_sink.h: a thread speaking just enough SMTP to take messages, or to refuse
 * their recipient).
 *
 * The tree: city R with districts A, B and C, which report quarterly to R (reporter_depth 1);
 * Quý II/2021 is due 25/06/2021. C submits before any reminder; B submits between the
 * before-due reminders (22/06, three days ahead) and the overdue ones (28/06); A never does.
 * People: A's editor (with an address) and office (without one), B's and C's editors (with
 * addresses), R's office (granted above the units: not reminded). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/smtp_sink.h"

/* ---- the SMTP sink (tests/support/smtp_sink.h) ---- */

static tk_smtp_sink *sink_start(bool refuse_recipients)
{
    tk_smtp_sink *s = tk_smtp_sink_start(refuse_recipients);
    assert_non_null(s);
    return s;
}

static char *subject_of(const char *message)
{
    char *subject = tk_smtp_subject(message);
    assert_non_null(subject);
    return subject;
}

static char *body_of(const char *message)
{
    char *body = tk_smtp_body(message);
    assert_non_null(body);
    return body;
}

/* ---- the world ---- */

#define TITLE "Báo cáo quý thực hiện Chương trình hành động"

typedef struct world {
    tk_test_server *server;
    int64_t r, a, b, c, doc, schedule;
    char editor_a[80], office_a[80], editor_b[80], editor_c[80], office_r[80];
} world;

static world w;

static int64_t org(const char *kind, const char *name, int64_t parent)
{
    json_t *body = json_pack("{s:s, s:s}", "kind", kind, "name", name);
    if (parent) json_object_set_new(body, "parent_id", json_integer(parent));
    return tk_create_id(w.server, "/api/v1/organizations", body);
}

/* A user with one grant and, when email is not NULL, an address. */
static void user(const char *login, const char *role, int64_t org_id, const char *email, char token[80])
{
    tk_test_user(w.server, login, role, org_id, token);
    if (email) {
        char args[256];
        tk_test_cli(w.server, tk_fmt(args, sizeof args, "user email %s %s", login, email), NULL, 0);
    }
}

static void submit(int64_t unit)
{
    char path[160];
    json_decref(tk_send_json(w.server, "POST",
                             tk_fmt(path, sizeof path, "/api/v1/report-schedules/%lld/periods/2021-Q2/reports/%lld/submit",
                                    (long long)w.schedule, (long long)unit),
                             json_object(), 200));
}

/* Runs `trienkhai remind --json --today today [extra]` (with the sink's SMTP settings when port
 * is not 0) and returns what it printed, parsed. */
static json_t *remind(const char *today, int port, const char *extra)
{
    char args[512], smtp[256] = "";
    static char out[1 << 18];
    if (port)
        tk_fmt(smtp, sizeof smtp,
               "--smtp-url smtp://127.0.0.1:%d --smtp-tls 0 --smtp-from vanphong@thanhuy.vn "
               "--smtp-from-name 'Văn phòng Thành ủy'",
               port);
    tk_test_cli(w.server, tk_fmt(args, sizeof args, "remind --json --today %s %s %s", today, smtp, extra ? extra : ""), out,
                sizeof out);
    json_error_t jerr;
    json_t *result = json_loads(out, 0, &jerr);
    if (!result) fail_msg("remind printed no JSON: %s", out);
    return result;
}

/* The items of a result as "channel login-or-address kind org" lines, sorted by the plan. */
static void expect_items(const json_t *result, const char *const *want, size_t n)
{
    json_t *items = tk_arr(result, "items");
    size_t i;
    json_t *item;
    if (json_array_size(items) != n) {
        char *text = json_dumps(result, JSON_INDENT(1));
        fprintf(stderr, "%s\n", text);
        free(text);
        fail_msg("%zu items, want %zu", json_array_size(items), n);
    }
    json_array_foreach(items, i, item) {
        char line[256];
        bool email = strcmp(tk_str(item, "channel"), "email") == 0;
        snprintf(line, sizeof line, "%s %s %s %s", tk_str(item, "channel"),
                 email ? tk_str(item, "address") : tk_str(item, "login"), tk_str(item, "kind"), tk_str(item, "org_name"));
        assert_string_equal(line, want[i]);
    }
}

static json_t *notifications(const char *token)
{
    tk_test_as(w.server, token);
    json_t *out = tk_get(w.server, "/api/v1/me/notifications");
    tk_test_as(w.server, tk_test_admin_token(w.server));
    return out;
}

static int setup(void **state)
{
    (void)state;
    w.server = tk_test_server_start();
    w.r = org("party_committee", "Thành ủy R", 0);
    w.a = org("district", "Quận A", w.r);
    w.b = org("district", "Quận B", w.r);
    w.c = org("district", "Quận C", w.r);
    w.doc = tk_create_id(w.server, "/api/v1/documents",
                         json_pack("{s:s, s:s, s:s, s:I}", "kind", "action_program", "number", "01-CTr/TU", "title",
                                   "Chương trình hành động thực hiện Nghị quyết Đại hội", "organization_id", (json_int_t)w.r));
    w.schedule = tk_create_id(w.server, "/api/v1/report-schedules",
                              json_pack("{s:s, s:I, s:s, s:s, s:s, s:I, s:i}", "title", TITLE, "document_id",
                                        (json_int_t)w.doc, "period_type", "quarter", "starts_on", "2021-01-01",
                                        "reporters", "subtree", "reporter_root_id", (json_int_t)w.r, "reporter_depth", 1));
    user("bientap.a", "editor", w.a, "bientap.a@quan-a.vn", w.editor_a);
    user("vanphong.a", "office", w.a, NULL, w.office_a);
    user("bientap.b", "editor", w.b, "bientap.b@quan-b.vn", w.editor_b);
    user("bientap.c", "editor", w.c, "bientap.c@quan-c.vn", w.editor_c);
    user("vanphong.r", "office", w.r, "vanphong.r@thanhuy.vn", w.office_r);
    submit(w.c);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tk_test_server_stop(w.server);
    return 0;
}

/* ---- tests ---- */

static const char *const before_due[] = {
    "app bientap.a before_due Quận A",
    "email bientap.a@quan-a.vn before_due Quận A",
    "app vanphong.a before_due Quận A",
    "app bientap.b before_due Quận B",
    "email bientap.b@quan-b.vn before_due Quận B",
};

static void a_dry_run_lists_and_records_nothing(void **state)
{
    (void)state;
    /* Too early: 25/06 is more than five days away; Quý I's reports are long overdue, past the
     * window of reminders. */
    json_t *early = remind("2021-06-19", 1, "--dry-run");
    expect_items(early, NULL, 0);
    json_decref(early);

    json_t *plan = remind("2021-06-22", 1, "--dry-run");
    assert_true(tk_bool(plan, "dry_run"));
    expect_items(plan, before_due, 5);
    json_t *first = json_array_get(tk_arr(plan, "items"), 0);
    assert_string_equal(tk_str(first, "status"), "planned");
    assert_string_equal(tk_str(first, "message"),
                        "Đơn vị Quận A chưa nộp báo cáo " TITLE " Quý II/2021; hạn nộp ngày 25/06/2021 (còn 3 ngày).");
    char link[128];
    assert_string_equal(tk_str(first, "link"), tk_fmt(link, sizeof link, "/reports/%lld/2021-Q2/%lld",
                                                      (long long)w.schedule, (long long)w.a));
    assert_int_equal(tk_int(plan, "recorded"), 0);
    json_decref(plan);

    /* Without an SMTP server, reminders are in the app only. */
    json_t *app_only = remind("2021-06-22", 0, "--dry-run");
    assert_int_equal(json_array_size(tk_arr(app_only, "items")), 3);
    json_decref(app_only);

    json_t *none = notifications(w.editor_a);
    assert_int_equal(json_array_size(tk_arr(none, "items")), 0);
    assert_int_equal(tk_int(none, "unread"), 0);
    json_decref(none);
}

static void a_run_sends_once_per_user_and_a_rerun_nothing(void **state)
{
    (void)state;
    tk_smtp_sink *s = sink_start(false);
    json_t *result = remind("2021-06-22", s->port, NULL);
    tk_smtp_sink_stop(s);
    expect_items(result, before_due, 5);
    assert_int_equal(tk_int(result, "recorded"), 5);
    assert_int_equal(tk_int(result, "sent"), 2);
    assert_int_equal(tk_int(result, "failed"), 0);
    json_decref(result);

    assert_int_equal(s->count, 2);
    assert_string_equal(s->messages[0].to, "bientap.a@quan-a.vn");
    assert_string_equal(s->messages[1].to, "bientap.b@quan-b.vn");
    char *subject = subject_of(s->messages[0].data), *body = body_of(s->messages[0].data);
    assert_string_equal(subject, "Nhắc nộp: báo cáo " TITLE " Quý II/2021 — Quận A");
    assert_non_null(strstr(body, "Kính gửi đồng chí Người dùng bientap.a,"));
    assert_non_null(strstr(body, "Đơn vị Quận A chưa nộp báo cáo " TITLE " Quý II/2021; hạn nộp ngày 25/06/2021 (còn 3 ngày)."));
    free(subject);
    free(body);
    tk_smtp_sink_free(s);

    /* A restart: a new process on the same day, or the next, sends nothing again. */
    s = sink_start(false);
    json_t *again = remind("2021-06-22", s->port, NULL);
    json_t *next_day = remind("2021-06-23", s->port, NULL);
    tk_smtp_sink_stop(s);
    expect_items(again, NULL, 0);
    expect_items(next_day, NULL, 0);
    assert_int_equal(s->connections, 0);
    json_decref(again);
    json_decref(next_day);
    tk_smtp_sink_free(s);
}

static const char *const overdue[] = {
    "app bientap.a overdue Quận A",
    "email bientap.a@quan-a.vn overdue Quận A",
    "app vanphong.a overdue Quận A",
};

static void a_unit_that_submits_gets_no_overdue_reminder_and_failures_are_retried(void **state)
{
    (void)state;
    submit(w.b);
    /* The server refuses the recipient: the reminder is kept with its error. */
    tk_smtp_sink *s = sink_start(true);
    json_t *result = remind("2021-06-28", s->port, NULL);
    tk_smtp_sink_stop(s);
    tk_smtp_sink_free(s);
    expect_items(result, overdue, 3);
    assert_int_equal(tk_int(result, "recorded"), 3);
    assert_int_equal(tk_int(result, "sent"), 0);
    assert_int_equal(tk_int(result, "failed"), 1);
    json_t *failed = json_array_get(tk_arr(result, "items"), 1);
    assert_string_equal(tk_str(failed, "status"), "failed");
    assert_non_null(strstr(tk_str(failed, "error"), "550"));
    assert_string_equal(tk_str(failed, "message"),
                        "Đơn vị Quận A chưa nộp báo cáo " TITLE " Quý II/2021; hạn nộp ngày 25/06/2021 (đã quá 3 ngày).");
    int64_t failed_id = tk_int(failed, "reminder_id");
    json_decref(result);

    /* The next run tries that e-mail again, and only it. */
    s = sink_start(false);
    json_t *retry = remind("2021-06-29", s->port, NULL);
    tk_smtp_sink_stop(s);
    expect_items(retry, overdue + 1, 1);
    assert_int_equal(tk_int(json_array_get(tk_arr(retry, "items"), 0), "reminder_id"), failed_id);
    assert_int_equal(tk_int(retry, "recorded"), 0);
    assert_int_equal(tk_int(retry, "sent"), 1);
    assert_int_equal(s->count, 1);
    char *subject = subject_of(s->messages[0].data);
    assert_string_equal(subject, "Quá hạn nộp: báo cáo " TITLE " Quý II/2021 — Quận A");
    free(subject);
    tk_smtp_sink_free(s);
    json_decref(retry);

    json_t *done = remind("2021-06-30", 1, "--dry-run");
    expect_items(done, NULL, 0);
    json_decref(done);
}

static void the_app_shows_each_user_their_own(void **state)
{
    (void)state;
    json_t *mine = notifications(w.editor_a);
    json_t *items = tk_arr(mine, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_int_equal(tk_int(mine, "unread"), 2);
    json_t *newest = json_array_get(items, 0);
    assert_string_equal(tk_str(newest, "kind"), "overdue");
    assert_string_equal(tk_str(json_array_get(items, 1), "kind"), "before_due");
    assert_int_equal(tk_int(newest, "org_id"), w.a);
    assert_string_equal(tk_str(newest, "org_name"), "Quận A");
    assert_true(tk_is_null(newest, "read_at"));
    int64_t id = tk_int(newest, "id");

    /* B's editor sees B's reminder only; R's office, granted above the units, none. */
    json_t *theirs = notifications(w.editor_b);
    assert_int_equal(json_array_size(tk_arr(theirs, "items")), 1);
    assert_int_equal(tk_int(json_array_get(tk_arr(theirs, "items"), 0), "org_id"), w.b);
    json_decref(theirs);
    json_t *office = notifications(w.office_r);
    assert_int_equal(json_array_size(tk_arr(office, "items")), 0);
    json_decref(office);
    json_t *c = notifications(w.editor_c);
    assert_int_equal(json_array_size(tk_arr(c, "items")), 0);
    json_decref(c);

    /* Someone else's notification is not there to mark. */
    char path[128];
    tk_fmt(path, sizeof path, "/api/v1/me/notifications/%lld/read", (long long)id);
    tk_test_as(w.server, w.editor_b);
    json_t *refused = tk_send_json(w.server, "POST", path, json_object(), 404);
    tk_assert_error(refused, "not_found", NULL, "another user's notification");
    json_decref(refused);

    tk_test_as(w.server, w.editor_a);
    json_t *read = tk_send_json(w.server, "POST", path, json_object(), 200);
    assert_int_equal(tk_int(read, "id"), id);
    char read_at[32];
    snprintf(read_at, sizeof read_at, "%s", tk_str(read, "read_at"));
    json_decref(read);
    json_t *twice = tk_send_json(w.server, "POST", path, json_object(), 200);
    assert_string_equal(tk_str(twice, "read_at"), read_at);
    json_decref(twice);
    tk_test_as(w.server, tk_test_admin_token(w.server));
    json_decref(mine);
    mine = notifications(w.editor_a);
    assert_int_equal(tk_int(mine, "unread"), 1);
    json_decref(mine);

    /* Without a caller there is nothing to show. */
    tk_http_result anon;
    tk_http_with(w.server, "GET", "/api/v1/me/notifications", NULL, 0, &(tk_http_options){.anonymous = true}, &anon);
    assert_int_equal(anon.status, 401);
    tk_http_result_free(&anon);
}

static void every_reminder_is_in_the_audit_log(void **state)
{
    (void)state;
    json_t *log = tk_get(w.server, "/api/v1/audit?object_type=reminder&per_page=200");
    size_t created = 0, sent = 0, failed = 0, read = 0, i;
    json_t *e;
    json_array_foreach(tk_arr(log, "items"), i, e) {
        const char *action = tk_str(e, "action");
        created += strcmp(action, "create") == 0;
        sent += strcmp(action, "sent") == 0;
        failed += strcmp(action, "send_failed") == 0;
        read += strcmp(action, "read") == 0;
    }
    assert_int_equal(created, 8);
    assert_int_equal(sent, 3);
    assert_int_equal(failed, 1);
    assert_int_equal(read, 1);
    json_decref(log);
    char out[4096];
    tk_test_cli(w.server, "audit verify", out, sizeof out);
}

static void a_bad_address_is_refused(void **state)
{
    (void)state;
    char cmd[512], out[4096];
    tk_fmt(cmd, sizeof cmd, "'%s' --db '%s' user add hong --name 'Hỏng' --password hong-password-1 --email 'a b@c.vn' 2>&1",
           getenv("TK_BIN"), tk_test_server_db(w.server));
    FILE *p = popen(cmd, "r");
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    assert_int_not_equal(pclose(p), 0);
    assert_non_null(strstr(out, "email"));
    /* The account was not made either: the two are one write. */
    tk_fmt(cmd, sizeof cmd, "user add hong --name 'Hỏng' --password hong-password-1 --email hong@c.vn");
    tk_test_cli(w.server, cmd, NULL, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_dry_run_lists_and_records_nothing),
        cmocka_unit_test(a_run_sends_once_per_user_and_a_rerun_nothing),
        cmocka_unit_test(a_unit_that_submits_gets_no_overdue_reminder_and_failures_are_retried),
        cmocka_unit_test(the_app_shows_each_user_their_own),
        cmocka_unit_test(every_reminder_is_in_the_audit_log),
        cmocka_unit_test(a_bad_address_is_refused),
    };
    return tk_test_exit(cmocka_run_group_tests(tests, setup, teardown));
}
