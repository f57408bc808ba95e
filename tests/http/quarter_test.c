/* One quarter of reporting played end to end on a fresh database: the office schedules it, the
 * units write from their prefilled drafts, `trienkhai remind` (a separate process, as cron runs
 * it) mails those still outstanding to an SMTP sink this test runs on 127.0.0.1, one report is
 * returned and resubmitted, completeness is counted, and the consolidated report is read back
 * by readers that are not ours (pdftotext, LibreOffice, openpyxl).
 *
 * The tree: R "Thành ủy Thử nghiệm" (it issues 01-CTr/TU) with five districts that report
 * quarterly to it (reporter_depth 1), each with an editor who has an address; R's office (also
 * with an address) records the day it received each report. Quý II/2021: data 15/3 to 14/6,
 * due 25/6. In the order things happen:
 *   18/6  An Hòa submitted (accepted later)
 *   20/6  Bình Minh submitted; 21/6 returned with a reason
 *   22/6  remind: before due (3 days) to Bình Minh (returned is outstanding), Cẩm Lệ, Hải Châu,
 *         Kim Liên; not An Hòa, not R's office (granted above the units)
 *   24/6  Bình Minh resubmitted, corrected
 *   25/6  Cẩm Lệ submitted (the due day itself is on time)
 *   27/6  Hải Châu submitted (late)
 *   28/6  remind: overdue (3 days) to Kim Liên only
 * Counted by hand (service/report.c: a report counts once submitted or accepted, and is on time
 * when the day recorded at its last submission is on or before the due day; Bình Minh's last is
 * 24/6): expected 5, submitted 4 (An Hòa, Bình Minh, Cẩm Lệ, Hải Châu), on time 3 (18/6, 24/6,
 * 25/6), late 1 (27/6), missing 1 (Kim Liên), accepted 1 (An Hòa).
 * The tasks: one per district, due Quý IV/2021, with an update inside the window: on 14/6/2021
 * each is assigned, not due, in progress: by unit 1 0 0 0 1 0, total 5 0 0 0 5 0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/harness.h"
#include "support/smtp_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TITLE "Chương trình hành động số 01-CTr/TU"

enum { AN_HOA, BINH_MINH, CAM_LE, HAI_CHAU, KIM_LIEN, UNITS };

/* The districts, in the order their names sort (the order of every list below). */
static const struct {
    const char *name, *login, *email;
    int progress;
    const char *updated_on, *narrative;
} units[UNITS] = {
    {"Đảng bộ quận An Hòa", "bientap.anhoa", "bientap@anhoa.thunghiem.vn", 40, "2021-05-10", "Đã rà soát 12 chi bộ"},
    {"Đảng bộ quận Bình Minh", "bientap.binhminh", "bientap@binhminh.thunghiem.vn", 50, "2021-04-20",
     "Đã tổ chức hội nghị quán triệt"},
    {"Đảng bộ quận Cẩm Lệ", "bientap.camle", "bientap@camle.thunghiem.vn", 30, "2021-06-01", "Đang lấy ý kiến"},
    {"Đảng bộ quận Hải Châu", "bientap.haichau", "bientap@haichau.thunghiem.vn", 60, "2021-03-20",
     "Hoàn thành giai đoạn 1"},
    {"Đảng bộ quận Kim Liên", "bientap.kimlien", "bientap@kimlien.thunghiem.vn", 20, "2021-06-14", "Mới triển khai"},
};

typedef struct world {
    tk_test_server *server;
    int64_t r, unit[UNITS], doc, schedule;
    char editor[UNITS][80], office_r[80];
    char date_line[80]; /* "Thử nghiệm, ngày 05 tháng 11 năm 2026" for today */
    char dir[512];      /* scratch directory for the downloaded files */
} world;

static world w;

static int64_t org(const char *kind, const char *name, int64_t parent)
{
    json_t *body = json_pack("{s:s, s:s}", "kind", kind, "name", name);
    if (parent) json_object_set_new(body, "parent_id", json_integer(parent));
    return tk_create_id(w.server, "/api/v1/organizations", body);
}

static const char *report_path(char *buf, size_t cap, int u, const char *action)
{
    return tk_fmt(buf, cap, "/api/v1/report-schedules/%lld/periods/2021-Q2/reports/%lld%s", (long long)w.schedule,
                  (long long)w.unit[u], action);
}

/* One request as the caller of token (the admin's again afterwards); body is stolen. */
static json_t *as(const char *token, const char *method, const char *path, json_t *body, long expect)
{
    tk_test_as(w.server, token);
    json_t *out = tk_send_json(w.server, method, path, body, expect);
    tk_test_as(w.server, tk_test_admin_token(w.server));
    return out;
}

/* R's office records that unit u's report came on `on`; the answer is checked for the day. */
static void submitted_on(int u, const char *on, bool on_time)
{
    char path[200];
    json_t *r = as(w.office_r, "POST", report_path(path, sizeof path, u, "/submit"), json_pack("{s:s}", "submitted_on", on),
                   200);
    assert_string_equal(tk_str(r, "status"), "submitted");
    assert_string_equal(tk_str(r, "submitted_on"), on);
    if (tk_bool(r, "on_time") != on_time) fail_msg("%s submitted on %s: on_time is not %d", units[u].name, on, on_time);
    json_decref(r);
}

static void save_results(int u, const char *results)
{
    char path[200];
    json_decref(as(w.editor[u], "PUT", report_path(path, sizeof path, u, ""), json_pack("{s:s}", "results", results), 200));
}

static int setup(void **state)
{
    (void)state;
    w.server = tk_test_server_start();
    const char *tmp = getenv("TK_TEST_TMP");
    tk_fmt(w.dir, sizeof w.dir, "%s/quarter-%ld", tmp ? tmp : "/tmp", (long)getpid());
    char cmd[1100];
    if (system(tk_fmt(cmd, sizeof cmd, "mkdir -p '%s'", w.dir)) != 0) fail_msg("cannot make %s", w.dir);

    w.r = org("party_committee", "Thành ủy Thử nghiệm", 0);
    w.doc = tk_create_id(w.server, "/api/v1/documents",
                         json_pack("{s:s, s:s, s:s, s:I}", "kind", "action_program", "number", "01-CTr/TU", "title",
                                   "Chương trình hành động thực hiện Nghị quyết Đại hội", "organization_id",
                                   (json_int_t)w.r));
    for (int u = 0; u < UNITS; u++) {
        w.unit[u] = org("district", units[u].name, w.r);
        char path[128], title[128];
        int64_t task = tk_create_id(w.server, "/api/v1/tasks",
                                    json_pack("{s:s, s:I, s:s}", "title",
                                              tk_fmt(title, sizeof title, "Kiện toàn tổ chức cơ sở đảng (%d)", u + 1),
                                              "lead_org_id", (json_int_t)w.unit[u], "due", "Quý IV/2021"));
        json_decref(tk_send_json(w.server, "POST", tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task),
                                 json_pack("{s:s, s:i, s:s}", "reported_on", units[u].updated_on, "progress",
                                           units[u].progress, "narrative", units[u].narrative),
                                 201));
        tk_test_user(w.server, units[u].login, "editor", w.unit[u], w.editor[u]);
        char args[256];
        tk_test_cli(w.server, tk_fmt(args, sizeof args, "user email %s %s", units[u].login, units[u].email), NULL, 0);
    }
    tk_test_user(w.server, "vanphong.thunghiem", "office", w.r, w.office_r);
    tk_test_cli(w.server, "user email vanphong.thunghiem vanphong@thunghiem.vn", NULL, 0);
    tk_test_as(w.server, tk_test_admin_token(w.server));

    tk_test_date_line("Thử nghiệm", w.date_line, sizeof w.date_line);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tk_test_server_stop(w.server);
    char cmd[1100];
    /* TK_KEEP=1 keeps the downloaded files (and LibreOffice's text) to look at. */
    if (getenv("TK_KEEP") == NULL && system(tk_fmt(cmd, sizeof cmd, "rm -rf '%s'", w.dir)) != 0)
        fprintf(stderr, "could not remove %s\n", w.dir);
    return 0;
}

/* ---- reminders ---- */

/* Runs `trienkhai remind --json --today today` with the sink at port as its SMTP server and
 * returns what it printed, parsed. */
static json_t *remind(const char *today, int port)
{
    char args[512];
    static char out[1 << 18];
    tk_test_cli(w.server,
                tk_fmt(args, sizeof args,
                       "remind --json --today %s --smtp-url smtp://127.0.0.1:%d --smtp-tls 0 "
                       "--smtp-from vanphong@thunghiem.vn --smtp-from-name 'Văn phòng Thành ủy'",
                       today, port),
                out, sizeof out);
    json_error_t jerr;
    json_t *result = json_loads(out, 0, &jerr);
    if (!result) fail_msg("remind printed no JSON: %s", out);
    return result;
}

/* A run on `today` with a sink of its own: the plan's items must be, per unit of `want` in
 * order, one in the app and one e-mail to its editor, all recorded and sent; the sink must have
 * taken exactly those e-mails, each with the subject of `kind`. A second run on the same day
 * must then send nothing and not even connect. */
static void remind_exactly(const char *today, const char *kind, const int *want, size_t n)
{
    tk_smtp_sink *s = tk_smtp_sink_start(false);
    assert_non_null(s);
    json_t *result = remind(today, s->port);
    tk_smtp_sink_stop(s);

    json_t *items = tk_arr(result, "items");
    if (json_array_size(items) != 2 * n) {
        char *text = json_dumps(result, JSON_INDENT(1));
        fprintf(stderr, "%s\n", text);
        free(text);
        fail_msg("remind --today %s: %zu items, want %zu", today, json_array_size(items), 2 * n);
    }
    assert_int_equal(tk_int(result, "recorded"), 2 * n);
    assert_int_equal(tk_int(result, "sent"), n);
    assert_int_equal(tk_int(result, "failed"), 0);
    for (size_t i = 0; i < n; i++) {
        json_t *app = json_array_get(items, 2 * i), *mail = json_array_get(items, 2 * i + 1);
        const int u = want[i];
        assert_string_equal(tk_str(app, "channel"), "app");
        assert_string_equal(tk_str(app, "login"), units[u].login);
        assert_string_equal(tk_str(mail, "channel"), "email");
        assert_string_equal(tk_str(mail, "address"), units[u].email);
        assert_string_equal(tk_str(mail, "status"), "sent");
        assert_string_equal(tk_str(mail, "kind"), kind);
        assert_string_equal(tk_str(mail, "org_name"), units[u].name);
    }
    json_decref(result);

    assert_int_equal(s->taken, n);
    for (size_t i = 0; i < n; i++) {
        const int u = want[i];
        assert_string_equal(s->messages[i].from, "vanphong@thunghiem.vn");
        assert_string_equal(s->messages[i].to, units[u].email);
        char *subject = tk_smtp_subject(s->messages[i].data), *body = tk_smtp_body(s->messages[i].data), want_subject[256];
        assert_non_null(subject);
        assert_non_null(body);
        tk_fmt(want_subject, sizeof want_subject, "%s: báo cáo " TITLE " Quý II/2021 — %s",
               strcmp(kind, "overdue") == 0 ? "Quá hạn nộp" : "Nhắc nộp", units[u].name);
        assert_string_equal(subject, want_subject);
        char line[512];
        tk_fmt(line, sizeof line, "Đơn vị %s chưa nộp báo cáo " TITLE " Quý II/2021; hạn nộp ngày 25/06/2021 (%s 3 ngày).",
               units[u].name, strcmp(kind, "overdue") == 0 ? "đã quá" : "còn");
        if (!strstr(body, line)) fail_msg("the mail to %s lacks \"%s\":\n%s", units[u].email, line, body);
        free(subject);
        free(body);
    }
    tk_smtp_sink_free(s);

    /* Run again (cron retried, the machine restarted): nothing more goes out. */
    s = tk_smtp_sink_start(false);
    assert_non_null(s);
    json_t *again = remind(today, s->port);
    tk_smtp_sink_stop(s);
    assert_int_equal(json_array_size(tk_arr(again, "items")), 0);
    assert_int_equal(tk_int(again, "sent"), 0);
    assert_int_equal(s->connections, 0);
    json_decref(again);
    tk_smtp_sink_free(s);
}

/* ---- the quarter ---- */

static void the_office_schedules_the_quarter(void **state)
{
    (void)state;
    tk_test_as(w.server, w.office_r);
    json_t *made = tk_create(w.server, "/api/v1/report-schedules",
                             json_pack("{s:s, s:I, s:s, s:s, s:s, s:I, s:i}", "title", TITLE, "document_id",
                                       (json_int_t)w.doc, "period_type", "quarter", "starts_on", "2021-01-01",
                                       "reporters", "subtree", "reporter_root_id", (json_int_t)w.r, "reporter_depth", 1));
    tk_test_as(w.server, tk_test_admin_token(w.server));
    w.schedule = tk_int(made, "id");
    assert_int_equal(tk_int(made, "organization_id"), w.r);
    json_t *q2 = json_array_get(tk_arr(made, "periods"), 1);
    assert_string_equal(tk_str(q2, "key"), "2021-Q2");
    assert_string_equal(tk_str(q2, "label"), "Quý II/2021");
    assert_string_equal(tk_str(q2, "data_first"), "2021-03-15");
    assert_string_equal(tk_str(q2, "data_last"), "2021-06-14");
    assert_string_equal(tk_str(q2, "due"), "2021-06-25");
    json_decref(made);
}

/* Every unit's draft opens with its task's update of the window; An Hòa is received on 18/6 and
 * Bình Minh on 20/6, which the office sends back on 21/6. */
static void units_write_from_their_drafts(void **state)
{
    (void)state;
    char path[200];
    for (int u = 0; u < UNITS; u++) {
        tk_test_as(w.server, w.editor[u]);
        json_t *draft = tk_get(w.server, "%s", report_path(path, sizeof path, u, ""));
        tk_test_as(w.server, tk_test_admin_token(w.server));
        assert_string_equal(tk_str(draft, "status"), "draft");
        json_t *tasks = tk_arr(tk_obj(draft, "content"), "tasks");
        assert_int_equal(json_array_size(tasks), 1);
        json_t *t = json_array_get(tasks, 0);
        assert_int_equal(tk_int(t, "progress"), units[u].progress);
        assert_string_equal(tk_str(t, "narrative"), units[u].narrative);
        assert_string_equal(tk_str(t, "reported_on"), units[u].updated_on);
        assert_string_equal(tk_str(t, "status"), "in_progress");
        json_decref(draft);
    }
    save_results(AN_HOA, "Kiện toàn 12 chi bộ trực thuộc");
    submitted_on(AN_HOA, "2021-06-18", true);
    save_results(BINH_MINH, "Bản đầu thiếu số liệu");
    submitted_on(BINH_MINH, "2021-06-20", true);
    json_t *r = as(w.office_r, "POST", report_path(path, sizeof path, BINH_MINH, "/return"),
                   json_pack("{s:s}", "reason", "Thiếu số liệu đảng viên mới"), 200);
    assert_string_equal(tk_str(r, "status"), "returned");
    assert_string_equal(tk_str(r, "return_reason"), "Thiếu số liệu đảng viên mới");
    json_decref(r);
}

static void reminders_before_the_due_day(void **state)
{
    (void)state;
    static const int want[] = {BINH_MINH, CAM_LE, HAI_CHAU, KIM_LIEN};
    remind_exactly("2021-06-22", "before_due", want, sizeof want / sizeof want[0]);
}

static void the_rest_report_but_one(void **state)
{
    (void)state;
    char path[200];
    save_results(BINH_MINH, "Kết nạp 35 đảng viên mới");
    submitted_on(BINH_MINH, "2021-06-24", true);
    save_results(CAM_LE, "Hoàn thành đại hội chi bộ");
    submitted_on(CAM_LE, "2021-06-25", true); /* the due day itself */
    save_results(HAI_CHAU, "Sắp xếp lại 4 đảng bộ phường");
    submitted_on(HAI_CHAU, "2021-06-27", false);
    json_t *r = as(w.office_r, "POST", report_path(path, sizeof path, AN_HOA, "/accept"), json_object(), 200);
    assert_string_equal(tk_str(r, "status"), "accepted");
    json_decref(r);
    /* Kim Liên keeps a draft: not a report, and its text must appear nowhere. */
    save_results(KIM_LIEN, "Bản nháp chưa gửi");
}

static void reminders_when_overdue(void **state)
{
    (void)state;
    static const int want[] = {KIM_LIEN};
    remind_exactly("2021-06-28", "overdue", want, 1);
}

static void completeness_is_exact(void **state)
{
    (void)state;
    json_t *s = tk_get(w.server, "/api/v1/report-schedules/%lld/periods/2021-Q2/status", (long long)w.schedule);
    assert_int_equal(tk_int(tk_obj(s, "org"), "id"), w.r);
    assert_int_equal(tk_int(s, "expected"), 5);
    assert_int_equal(tk_int(s, "submitted"), 4);
    assert_int_equal(tk_int(s, "on_time"), 3);
    assert_int_equal(tk_int(s, "late"), 1);
    assert_int_equal(tk_int(s, "missing"), 1);
    assert_int_equal(tk_int(s, "accepted"), 1);
    static const struct {
        const char *status, *submitted_on; /* NULL: not submitted */
        bool on_time;
    } want[UNITS] = {
        {"accepted", "2021-06-18", true},  {"submitted", "2021-06-24", true}, {"submitted", "2021-06-25", true},
        {"submitted", "2021-06-27", false}, {"draft", NULL, false},
    };
    json_t *list = tk_arr(s, "units"), *children = tk_arr(s, "children");
    assert_int_equal(json_array_size(list), UNITS);
    assert_int_equal(json_array_size(children), UNITS);
    for (int u = 0; u < UNITS; u++) {
        json_t *unit = json_array_get(list, (size_t)u), *child = json_array_get(children, (size_t)u);
        assert_int_equal(tk_int(unit, "org_id"), w.unit[u]);
        assert_string_equal(tk_str(unit, "status"), want[u].status);
        if (want[u].submitted_on) {
            assert_string_equal(tk_str(unit, "submitted_on"), want[u].submitted_on);
            assert_int_equal(tk_bool(unit, "on_time"), want[u].on_time);
        } else {
            assert_true(tk_is_null(unit, "submitted_on"));
            assert_true(tk_is_null(unit, "on_time"));
        }
        assert_int_equal(tk_int(child, "org_id"), w.unit[u]);
        assert_int_equal(tk_int(child, "expected"), 1);
        assert_int_equal(tk_int(child, "missing"), want[u].submitted_on ? 0 : 1);
    }
    json_t *outstanding = tk_arr(s, "outstanding");
    assert_int_equal(json_array_size(outstanding), 1);
    assert_int_equal(tk_int(json_array_get(outstanding, 0), "org_id"), w.unit[KIM_LIEN]);
    assert_string_equal(tk_str(json_array_get(outstanding, 0), "status"), "draft");
    json_decref(s);
}

/* ---- the consolidated report ---- */

/* GETs the consolidated file of ext, requires 200 and the type, and saves it as <dir>/<name>. */
static void download(const char *ext, const char *type, const char *name, char *file, size_t cap)
{
    char path[256];
    tk_fmt(path, sizeof path, "/reports/%lld/2021-Q2/consolidated.%s", (long long)w.schedule, ext);
    tk_test_download(w.server, path, type, NULL, tk_fmt(file, cap, "%s/%s", w.dir, name));
}

/* What every format says: the heading of a party report, the counts, the final texts. The
 * issuer's name, upper-cased, is checked by the caller (the PDF wraps it in its column). */
static void require_report(const char *text, const char *what)
{
    tk_test_require_text(text, what, "ĐẢNG CỘNG SẢN VIỆT NAM");
    tk_test_require_text(text, what, w.date_line);
    tk_test_require_text(text, what, "BÁO CÁO");
    tk_test_require_text(text, what, "Kết quả thực hiện " TITLE " Quý II/2021");
    tk_test_require_text(text, what, "4/5 đơn vị phải báo cáo đã gửi báo cáo Quý II/2021 (3 đúng hạn, 1 sau hạn 25/06/2021)");
    tk_test_require_text(text, what, "1 đơn vị chưa gửi: Đảng bộ quận Kim Liên.");
    tk_test_require_text(text, what, "Đảng bộ quận An Hòa: Kiện toàn 12 chi bộ trực thuộc");
    tk_test_require_text(text, what, "Đảng bộ quận Bình Minh: Kết nạp 35 đảng viên mới");
    tk_test_require_text(text, what, "Đảng bộ quận Cẩm Lệ: Hoàn thành đại hội chi bộ");
    tk_test_require_text(text, what, "Đảng bộ quận Hải Châu: Sắp xếp lại 4 đảng bộ phường");
    if (strstr(text, "Bản đầu thiếu số liệu")) fail_msg("%s shows the returned version:\n%s", what, text);
    if (strstr(text, "Bản nháp chưa gửi")) fail_msg("%s shows a draft:\n%s", what, text);
}

/* The two tables by unit as rows of words: completeness (expected, submitted, on time, late,
 * missing) and tasks (assigned, due, done on time, done late, in progress, overdue on
 * 14/6/2021), each name followed by its counts, sep between cells and end after the last. */
static const int submitted_counts[UNITS][5] = {
    {1, 1, 1, 0, 0}, {1, 1, 1, 0, 0}, {1, 1, 1, 0, 0}, {1, 1, 0, 1, 0}, {1, 0, 0, 0, 1},
};

static void require_tables(const char *text, const char *what, const char *sep, const char *end)
{
    char row[256];
    for (int u = 0; u < UNITS; u++) {
        const int *c = submitted_counts[u];
        tk_test_require_text(text, what,
                tk_fmt(row, sizeof row, "%s%s%d%s%d%s%d%s%d%s%d%s", units[u].name, sep, c[0], sep, c[1], sep, c[2], sep,
                       c[3], sep, c[4], end));
        tk_test_require_text(text, what, tk_fmt(row, sizeof row, "%s%s1%s0%s0%s0%s1%s0%s", units[u].name, sep, sep, sep, sep, sep, sep, end));
    }
    tk_test_require_text(text, what, tk_fmt(row, sizeof row, "Tổng cộng%s5%s4%s3%s1%s1%s", sep, sep, sep, sep, sep, end));
    tk_test_require_text(text, what, tk_fmt(row, sizeof row, "Tổng cộng%s5%s0%s0%s0%s5%s0%s", sep, sep, sep, sep, sep, sep, end));
}

static void the_pdf_says_it(void **state)
{
    (void)state;
    char file[700], cmd[1600];
    download("pdf", "application/pdf", "quy-2.pdf", file, sizeof file);
    char *text = tk_test_command_text(tk_fmt(cmd, sizeof cmd, "pdftotext -layout '%s' -", file));
    /* The party organization's name runs over two lines of the heading's narrow left column,
     * beside the right column's first line; the committee follows below it. */
    tk_test_require_text(text, "the PDF", "ĐẢNG BỘ THÀNH PHỐ THỬ ĐẢNG CỘNG SẢN VIỆT NAM NGHIỆM THÀNH ỦY");
    require_report(text, "the PDF");
    require_tables(text, "the PDF", " ", " ");
    free(text);
}

static void the_docx_says_it(void **state)
{
    (void)state;
    char file[700], cmd[2400];
    download("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "quy-2.docx", file,
             sizeof file);
    /* A profile of its own, so a LibreOffice the machine runs elsewhere is not disturbed. */
    char *text =
        tk_test_command_text(tk_fmt(cmd, sizeof cmd,
                   "HOME='%s' libreoffice -env:UserInstallation=file://%s/lo-profile --headless "
                   "--convert-to 'txt:Text (encoded):UTF8' --outdir '%s' '%s' >/dev/null 2>&1 && cat '%s/quy-2.txt'",
                   w.dir, w.dir, w.dir, file, w.dir));
    tk_test_require_text(text, "the DOCX", "ĐẢNG BỘ THÀNH PHỐ THỬ NGHIỆM");
    tk_test_require_text(text, "the DOCX", "THÀNH ỦY");
    require_report(text, "the DOCX");
    require_tables(text, "the DOCX", " ", " ");
    free(text);
}

static void the_xlsx_holds_the_same_numbers(void **state)
{
    (void)state;
    char file[700], cmd[2000];
    download("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "quy-2.xlsx", file,
             sizeof file);
    /* Every row of every sheet, cells separated by " | " and ended by " ;" (so a row is matched
     * whole); numbers as integers when they are. Debian's openpyxl belongs to /usr/bin/python3. */
    char *text = tk_test_command_text(tk_fmt(cmd, sizeof cmd,
                            "/usr/bin/python3 -c 'import sys, openpyxl\n"
                            "for ws in openpyxl.load_workbook(sys.argv[1]).worksheets:\n"
                            "  print(\"== \" + ws.title)\n"
                            "  for row in ws.iter_rows(values_only=True):\n"
                            "    print(\" | \".join(\"\" if v is None else str(int(v)) if isinstance(v, (int, float)) "
                            "and v == int(v) else str(v) for v in row) + \" ;\")' '%s'",
                            file));
    /* The heading's fields, and the counts as numbers a spreadsheet can sum, not text. */
    char row[128];
    tk_test_require_text(text, "the XLSX", "Cơ quan cấp trên | ĐẢNG BỘ THÀNH PHỐ THỬ NGHIỆM ;");
    tk_test_require_text(text, "the XLSX", "Cơ quan ban hành | THÀNH ỦY ;");
    tk_test_require_text(text, "the XLSX", "Loại văn bản | BÁO CÁO ;");
    tk_test_require_text(text, "the XLSX", tk_fmt(row, sizeof row, "Địa danh, ngày | %s ;", w.date_line));
    tk_test_require_text(text, "the XLSX", "Trích yếu | Kết quả thực hiện " TITLE " Quý II/2021 ;");
    require_tables(text, "the XLSX", " | ", " ;");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_office_schedules_the_quarter),
        cmocka_unit_test(units_write_from_their_drafts),
        cmocka_unit_test(reminders_before_the_due_day),
        cmocka_unit_test(the_rest_report_but_one),
        cmocka_unit_test(reminders_when_overdue),
        cmocka_unit_test(completeness_is_exact),
        cmocka_unit_test(the_pdf_says_it),
        cmocka_unit_test(the_docx_says_it),
        cmocka_unit_test(the_xlsx_holds_the_same_numbers),
    };
    return tk_test_exit(cmocka_run_group_tests(tests, setup, teardown));
}
