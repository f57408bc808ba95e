/* The consolidated report of a period (service/consolidation.h) as the office downloads it: PDF,
 * DOCX and XLSX read back with readers that are not ours (pdftotext, LibreOffice, openpyxl), each
 * holding the header, the exact counts and the units' text; who may not take it.
 *
 * The tree: R "Đảng bộ thành phố Hà Nội" with A "Đảng bộ quận Ba Đình" (and A1 "Đảng bộ phường
 * Ngọc Hà" under it), B "Đảng bộ quận Hoàn Kiếm" and U "Ủy ban nhân dân thành phố Hà Nội".
 * Quý II/2021 of a quarterly schedule: data cut-off 14/6/2021, due 25/6/2021. A submits on
 * 20/6 (on time, then accepted), B on 2/7 (late); A1 only keeps a draft, U writes nothing.
 *
 * The tasks and their status on 14/6/2021, counted by hand ("due": a deadline on or before it):
 *   R   r1  Quý I/2021  open                      overdue       due   P1
 *   A   a1  Quý I/2021  done 20/3                 on time       due   P1
 *       a2  Quý I/2021  done 10/4                 late          due   P1
 *       a3  Quý I/2021  open                      overdue       due   P2
 *       a4  Quý IV/2021 open                      in progress         P2
 *       a5  Quý I/2021  done 20/6, after the cut-off: overdue  due   -
 *   A1  n1  30/6/2021   done 5/5                  on time             P1
 *       n2  Thường xuyên                          in progress         P1
 *   B   b1  tháng 5/2021 done 1/6                 late          due   P2
 *       b2  Quý II/2021 open                      in progress         -
 * By unit (assigned, due, on time, late, in progress, overdue):
 *   R itself 1 1 0 0 0 1; Ba Đình (A and A1) 7 4 2 1 2 2; Hoàn Kiếm 2 1 0 1 1 0; UBND 0 0 0 0 0 0;
 *   total 10 6 2 2 3 3.
 * By program: P1 5 3 2 1 1 1; P2 3 2 0 1 1 1; no program 2 1 0 0 1 1.
 * Completeness: 4 expected (A, A1, B, U), 2 submitted (1 on time, 1 late), 2 missing (Ngọc Hà,
 * UBND). The indicator (sum) is 120 + 80 = 200 on 30/6/2021 against 5.000 in 2025. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct world {
    tk_test_server *server;
    int64_t r, a, a1, b, u, doc, p1, p2, schedule, indicator;
    char editor_b[80];
    char date_line[80]; /* "Hà Nội, ngày 23 tháng 11 năm 2026" for today */
    char dir[512];      /* scratch directory for the files */
} world;

static world w;

static int64_t org(const char *kind, const char *name, int64_t parent)
{
    json_t *body = json_pack("{s:s, s:s}", "kind", kind, "name", name);
    if (parent) json_object_set_new(body, "parent_id", json_integer(parent));
    return tk_create_id(w.server, "/api/v1/organizations", body);
}

static int64_t task(const char *title, int64_t lead, const char *due, int64_t program)
{
    json_t *body = json_pack("{s:s, s:I, s:s}", "title", title, "lead_org_id", (json_int_t)lead, "due", due);
    if (program) json_object_set_new(body, "program_id", json_integer(program));
    return tk_create_id(w.server, "/api/v1/tasks", body);
}

static void done_on(int64_t task_id, const char *on)
{
    char path[128];
    json_decref(
        tk_send_json(w.server, "POST", tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task_id),
                     json_pack("{s:s, s:i, s:s}", "reported_on", on, "progress", 100, "narrative", "Hoàn thành"), 201));
}

static const char *report_path(char *buf, size_t cap, int64_t unit, const char *action)
{
    return tk_fmt(buf, cap, "/api/v1/report-schedules/%lld/periods/2021-Q2/reports/%lld%s", (long long)w.schedule,
                  (long long)unit, action);
}

static int setup(void **state)
{
    (void)state;
    w.server = tk_test_server_start();
    const char *tmp = getenv("TK_TEST_TMP");
    tk_fmt(w.dir, sizeof w.dir, "%s/consolidation-%ld", tmp ? tmp : "/tmp", (long)getpid());
    char cmd[1100];
    if (system(tk_fmt(cmd, sizeof cmd, "mkdir -p '%s'", w.dir)) != 0) fail_msg("cannot make %s", w.dir);

    w.r = org("party_committee", "Đảng bộ thành phố Hà Nội", 0);
    w.a = org("district", "Đảng bộ quận Ba Đình", w.r);
    w.a1 = org("commune", "Đảng bộ phường Ngọc Hà", w.a);
    w.b = org("district", "Đảng bộ quận Hoàn Kiếm", w.r);
    w.u = org("peoples_committee", "Ủy ban nhân dân thành phố Hà Nội", w.r);
    w.doc = tk_create_id(w.server, "/api/v1/documents",
                         json_pack("{s:s, s:s, s:s, s:I}", "kind", "action_program", "number", "01-CTr/TU", "title",
                                   "Chương trình hành động thực hiện Nghị quyết Đại hội", "organization_id",
                                   (json_int_t)w.r));
    w.p1 = tk_create_id(
        w.server, "/api/v1/programs",
        json_pack("{s:I, s:s, s:s}", "document_id", (json_int_t)w.doc, "number", "01", "title", "Xây dựng Đảng"));
    w.p2 = tk_create_id(
        w.server, "/api/v1/programs",
        json_pack("{s:I, s:s, s:s}", "document_id", (json_int_t)w.doc, "number", "02", "title", "Phát triển kinh tế"));

    task("Nhiệm vụ r1", w.r, "Quý I/2021", w.p1);
    done_on(task("Nhiệm vụ a1", w.a, "Quý I/2021", w.p1), "2021-03-20");
    done_on(task("Nhiệm vụ a2", w.a, "Quý I/2021", w.p1), "2021-04-10");
    task("Nhiệm vụ a3", w.a, "Quý I/2021", w.p2);
    task("Nhiệm vụ a4", w.a, "Quý IV/2021", w.p2);
    done_on(task("Nhiệm vụ a5", w.a, "Quý I/2021", 0), "2021-06-20");
    done_on(task("Nhiệm vụ n1", w.a1, "30/6/2021", w.p1), "2021-05-05");
    task("Nhiệm vụ n2", w.a1, "Thường xuyên", w.p1);
    done_on(task("Nhiệm vụ b1", w.b, "tháng 5/2021", w.p2), "2021-06-01");
    task("Nhiệm vụ b2", w.b, "Quý II/2021", 0);

    w.indicator = tk_create_id(w.server, "/api/v1/indicators",
                               json_pack("{s:s, s:s, s:s, s:I}", "name", "Số đảng viên mới kết nạp", "unit", "người",
                                         "aggregation", "sum", "document_id", (json_int_t)w.doc));
    char path[256];
    json_decref(tk_send_json(w.server, "POST",
                             tk_fmt(path, sizeof path, "/api/v1/indicators/%lld/targets", (long long)w.indicator),
                             json_pack("{s:i, s:f}", "year", 2025, "value", 5000.0), 200));
    const int64_t units[] = {w.a, w.b};
    const double values[] = {120, 80};
    for (int i = 0; i < 2; i++)
        json_decref(
            tk_create(w.server, "/api/v1/indicator-values",
                      json_pack("{s:I, s:I, s:s, s:f}", "indicator_id", (json_int_t)w.indicator, "organization_id",
                                (json_int_t)units[i], "on_date", "2021-06-30", "value", values[i])));

    w.schedule =
        tk_create_id(w.server, "/api/v1/report-schedules",
                     json_pack("{s:s, s:I, s:s, s:s, s:s, s:I}", "title", "Chương trình hành động số 01-CTr/TU",
                               "document_id", (json_int_t)w.doc, "period_type", "quarter", "starts_on", "2021-01-01",
                               "reporters", "subtree", "reporter_root_id", (json_int_t)w.r));
    json_decref(tk_send_json(w.server, "PUT", report_path(path, sizeof path, w.a, ""),
                             json_pack("{s:s, s:s, s:s, s:s}", "results", "Kết nạp 120 đảng viên mới", "limitations",
                                       "Số hóa hồ sơ đảng viên còn chậm", "causes", "Thiếu cán bộ chuyên trách",
                                       "proposals", "Đề nghị bổ sung biên chế cho Văn phòng"),
                             200));
    json_decref(tk_send_json(w.server, "POST", report_path(path, sizeof path, w.a, "/submit"),
                             json_pack("{s:s}", "submitted_on", "2021-06-20"), 200));
    json_decref(tk_send_json(w.server, "POST", report_path(path, sizeof path, w.a, "/accept"), json_object(), 200));
    json_decref(tk_send_json(w.server, "PUT", report_path(path, sizeof path, w.b, ""),
                             json_pack("{s:s, s:s}", "results", "Hoàn thành chỉnh trang phố cổ", "proposals",
                                       "Đề nghị hỗ trợ kinh phí bảo tồn"),
                             200));
    json_decref(tk_send_json(w.server, "POST", report_path(path, sizeof path, w.b, "/submit"),
                             json_pack("{s:s}", "submitted_on", "2021-07-02"), 200));
    /* A draft is not a report yet: its text must not appear. */
    json_decref(tk_send_json(w.server, "PUT", report_path(path, sizeof path, w.a1, ""),
                             json_pack("{s:s}", "results", "Bản nháp chưa gửi"), 200));

    tk_test_user(w.server, "bientap.hk", "editor", w.b, w.editor_b);
    tk_test_as(w.server, tk_test_admin_token(w.server));

    tk_test_date_line("Hà Nội", w.date_line, sizeof w.date_line);
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

/* GETs the consolidated file of ext with the query (may be ""), requires 200, the type and an
 * attachment, and saves it as <dir>/<name>. */
static void download(const char *ext, const char *query, const char *type, const char *name, char *file, size_t cap)
{
    char path[512], want[96];
    tk_fmt(path, sizeof path, "/reports/%lld/2021-Q2/consolidated.%s%s", (long long)w.schedule, ext, query);
    tk_fmt(want, sizeof want, "filename=\"bao-cao-tong-hop-%lld-2021-Q2.%s\"", (long long)w.schedule, ext);
    tk_test_download(w.server, path, type, want, tk_fmt(file, cap, "%s/%s", w.dir, name));
}

/* What every format says in words: the header of a party report, the counts, the units' text. */
static void require_report(const char *text, const char *what)
{
    tk_test_require_text(text, what, "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI");
    tk_test_require_text(text, what, "THÀNH ỦY");
    tk_test_require_text(text, what, "Số -BC/TU");
    tk_test_require_text(text, what, "ĐẢNG CỘNG SẢN VIỆT NAM");
    tk_test_require_text(text, what, w.date_line);
    tk_test_require_text(text, what, "BÁO CÁO");
    tk_test_require_text(text, what, "Kết quả thực hiện Chương trình hành động số 01-CTr/TU Quý II/2021");
    tk_test_require_text(text, what, "2/4 đơn vị phải báo cáo đã gửi báo cáo Quý II/2021 (1 đúng hạn, 1 sau hạn 25/06/2021)");
    tk_test_require_text(text, what, "2 đơn vị chưa gửi: Đảng bộ phường Ngọc Hà, Ủy ban nhân dân thành phố Hà Nội.");
    tk_test_require_text(text, what, "Số liệu tính đến ngày 14/06/2021");
    tk_test_require_text(text, what, "I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ");
    tk_test_require_text(text, what, "II. CHỈ TIÊU");
    tk_test_require_text(text, what, "III. KẾT QUẢ ĐẠT ĐƯỢC");
    tk_test_require_text(text, what, "Đảng bộ quận Ba Đình: Kết nạp 120 đảng viên mới");
    tk_test_require_text(text, what, "Đảng bộ quận Hoàn Kiếm: Hoàn thành chỉnh trang phố cổ");
    tk_test_require_text(text, what, "IV. HẠN CHẾ");
    tk_test_require_text(text, what, "Đảng bộ quận Ba Đình: Số hóa hồ sơ đảng viên còn chậm");
    tk_test_require_text(text, what, "V. NGUYÊN NHÂN");
    tk_test_require_text(text, what, "Đảng bộ quận Ba Đình: Thiếu cán bộ chuyên trách");
    tk_test_require_text(text, what, "VI. ĐỀ XUẤT, KIẾN NGHỊ");
    tk_test_require_text(text, what, "Đảng bộ quận Hoàn Kiếm: Đề nghị hỗ trợ kinh phí bảo tồn");
    tk_test_require_text(text, what, "T/M BAN THƯỜNG VỤ");
    if (strstr(text, "Bản nháp chưa gửi")) fail_msg("%s shows a draft's text", what);
}

/* The rows of the task table by unit: each name followed by its six counts. */
static void require_unit_counts(const char *text, const char *what)
{
    tk_test_require_text(text, what, "Đảng bộ quận Ba Đình 7 4 2 1 2 2");
    tk_test_require_text(text, what, "Đảng bộ quận Hoàn Kiếm 2 1 0 1 1 0");
    tk_test_require_text(text, what, "Tổng cộng 10 6 2 2 3 3");
}

/* The rows by program, where the names do not wrap (DOCX as text, XLSX). */
static void require_program_counts(const char *text, const char *what)
{
    tk_test_require_text(text, what, "Chương trình số 01: Xây dựng Đảng 5 3 2 1 1 1");
    tk_test_require_text(text, what, "Chương trình số 02: Phát triển kinh tế 3 2 0 1 1 1");
    tk_test_require_text(text, what, "Nhiệm vụ không thuộc chương trình 2 1 0 0 1 1");
}

static void pdf_has_the_header_and_the_exact_counts(void **state)
{
    (void)state;
    char file[700], cmd[1600];
    download("pdf", "", "application/pdf", "report.pdf", file, sizeof file);
    char *text = tk_test_command_text(tk_fmt(cmd, sizeof cmd, "pdftotext -layout '%s' -", file));
    require_report(text, "the PDF");
    require_unit_counts(text, "the PDF");
    /* R's own task in a row of its own, and the programs: their names wrap in the table's
     * column, so the counts come after the name's first line. */
    tk_test_require_text(text, "the PDF", "Đảng bộ thành phố Hà Nội (trực");
    tk_test_require_text(text, "the PDF", "1 1 0 0 0 1");
    tk_test_require_text(text, "the PDF", "Ủy ban nhân dân thành phố Hà");
    tk_test_require_text(text, "the PDF", "0 0 0 0 0 0");
    tk_test_require_text(text, "the PDF", "Chương trình số 01: Xây dựng");
    tk_test_require_text(text, "the PDF", "5 3 2 1 1 1");
    tk_test_require_text(text, "the PDF", "Chương trình số 02: Phát triển");
    tk_test_require_text(text, "the PDF", "3 2 0 1 1 1");
    tk_test_require_text(text, "the PDF", "Nhiệm vụ không thuộc chương");
    tk_test_require_text(text, "the PDF", "2 1 0 0 1 1");
    tk_test_require_text(text, "the PDF", "Số đảng viên mới");
    tk_test_require_text(text, "the PDF", "200 30/06/2021 2025 5.000");
    free(text);
}

static void state_layout_for_a_peoples_committee(void **state)
{
    (void)state;
    char file[700], cmd[1600], query[64];
    /* The People's Committee's own report is in the state layout by default. */
    download("pdf", tk_fmt(query, sizeof query, "?org=%lld", (long long)w.u), "application/pdf", "ubnd.pdf", file,
             sizeof file);
    char *text = tk_test_command_text(tk_fmt(cmd, sizeof cmd, "pdftotext -layout '%s' -", file));
    tk_test_require_text(text, "the state PDF", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    tk_test_require_text(text, "the state PDF", "Độc lập - Tự do - Hạnh phúc");
    /* The body's name runs over two lines of the narrow left column. */
    tk_test_require_text(text, "the state PDF", "ỦY BAN NHÂN DÂN THÀNH PHỐ");
    tk_test_require_text(text, "the state PDF", "HÀ NỘI");
    tk_test_require_text(text, "the state PDF", "Số: /BC-UBND");
    tk_test_require_text(text, "the state PDF", "0/1 đơn vị phải báo cáo");
    if (strstr(text, "ĐẢNG CỘNG SẢN VIỆT NAM")) fail_msg("the state PDF has the party heading:\n%s", text);
    free(text);
    /* Asked for, the city's report takes it too, with the number and signer given. */
    download("pdf", "?layout=state&number=S%E1%BB%91%3A%2012%2FBC-TU&signer_name=Nguy%E1%BB%85n%20V%C4%83n%20A",
             "application/pdf", "state.pdf", file, sizeof file);
    text = tk_test_command_text(tk_fmt(cmd, sizeof cmd, "pdftotext -layout '%s' -", file));
    tk_test_require_text(text, "the PDF in state layout", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    tk_test_require_text(text, "the PDF in state layout", "Số: 12/BC-TU");
    tk_test_require_text(text, "the PDF in state layout", "Nguyễn Văn A");
    free(text);
}

static void docx_says_the_same(void **state)
{
    (void)state;
    char file[700], cmd[2400];
    download("docx", "", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "report.docx", file,
             sizeof file);
    /* A profile of its own, so a LibreOffice the machine runs elsewhere is not disturbed. */
    char *text =
        tk_test_command_text(tk_fmt(cmd, sizeof cmd,
                   "HOME='%s' libreoffice -env:UserInstallation=file://%s/lo-profile --headless "
                   "--convert-to 'txt:Text (encoded):UTF8' --outdir '%s' '%s' >/dev/null 2>&1 && cat '%s/report.txt'",
                   w.dir, w.dir, w.dir, file, w.dir));
    require_report(text, "the DOCX");
    require_unit_counts(text, "the DOCX");
    require_program_counts(text, "the DOCX");
    tk_test_require_text(text, "the DOCX", "Đảng bộ thành phố Hà Nội (trực tiếp chủ trì) 1 1 0 0 0 1");
    tk_test_require_text(text, "the DOCX", "Ủy ban nhân dân thành phố Hà Nội 0 0 0 0 0 0");
    tk_test_require_text(text, "the DOCX", "Số đảng viên mới kết nạp người 200 30/06/2021 2025 5.000");
    free(text);
}

static void xlsx_holds_every_table(void **state)
{
    (void)state;
    char file[700], cmd[2000];
    download("xlsx", "", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "report.xlsx", file,
             sizeof file);
    /* Every row of every sheet, cells separated by " | "; numbers as integers when they are. */
    char *text = tk_test_command_text(tk_fmt(cmd, sizeof cmd,
                            "/usr/bin/python3 -c 'import sys, openpyxl\n"
                            "for ws in openpyxl.load_workbook(sys.argv[1]).worksheets:\n"
                            "  print(\"== \" + ws.title)\n"
                            "  for row in ws.iter_rows(values_only=True):\n"
                            "    print(\" | \".join(\"\" if v is None else str(int(v)) if isinstance(v, (int, float)) "
                            "and v == int(v) else str(v) for v in row))' '%s'",
                            file));
    /* Counts are numbers a spreadsheet can sum, not text. */
    tk_test_require_text(text, "the XLSX", "Đảng bộ quận Ba Đình | 7 | 4 | 2 | 1 | 2 | 2");
    tk_test_require_text(text, "the XLSX", "Đảng bộ quận Hoàn Kiếm | 2 | 1 | 0 | 1 | 1 | 0");
    tk_test_require_text(text, "the XLSX", "Ủy ban nhân dân thành phố Hà Nội | 0 | 0 | 0 | 0 | 0 | 0");
    tk_test_require_text(text, "the XLSX", "Tổng cộng | 10 | 6 | 2 | 2 | 3 | 3");
    tk_test_require_text(text, "the XLSX", "Chương trình số 01: Xây dựng Đảng | 5 | 3 | 2 | 1 | 1 | 1");
    tk_test_require_text(text, "the XLSX", "Chương trình số 02: Phát triển kinh tế | 3 | 2 | 0 | 1 | 1 | 1");
    tk_test_require_text(text, "the XLSX", "Nhiệm vụ không thuộc chương trình | 2 | 1 | 0 | 0 | 1 | 1");
    /* Completeness per child: expected, submitted, on time, late, missing. */
    tk_test_require_text(text, "the XLSX", "Đảng bộ quận Ba Đình | 2 | 1 | 1 | 0 | 1");
    tk_test_require_text(text, "the XLSX", "Đảng bộ quận Hoàn Kiếm | 1 | 1 | 0 | 1 | 0");
    tk_test_require_text(text, "the XLSX", "Tổng cộng | 4 | 2 | 1 | 1 | 2");
    tk_test_require_text(text, "the XLSX", "Số đảng viên mới kết nạp | người | 200 | 30/06/2021 | 2025 | 5000");
    tk_test_require_text(text, "the XLSX", "Kết quả thực hiện Chương trình hành động số 01-CTr/TU Quý II/2021");
    free(text);
}

/* An editor of Hoàn Kiếm takes Hoàn Kiếm's report, never the city's nor Ba Đình's. */
static void outside_the_scope_is_not_found(void **state)
{
    (void)state;
    char path[2][256];
    tk_fmt(path[0], sizeof path[0], "/reports/%lld/2021-Q2/consolidated.pdf", (long long)w.schedule);
    tk_fmt(path[1], sizeof path[1], "/reports/%lld/2021-Q2/consolidated.pdf?org=%lld", (long long)w.schedule,
           (long long)w.a);
    for (size_t i = 0; i < 2; i++) {
        tk_http_result r;
        tk_http_options o = {.token = w.editor_b};
        tk_http_with(w.server, "GET", path[i], NULL, 0, &o, &r);
        if (r.status != 404) fail_msg("GET %s as B's editor answered %ld", path[i], r.status);
        assert_null(strstr(r.headers, "Content-Disposition"));
        tk_http_result_free(&r);
    }
    char own[256];
    tk_fmt(own, sizeof own, "/reports/%lld/2021-Q2/consolidated.xlsx?org=%lld", (long long)w.schedule, (long long)w.b);
    tk_http_result r;
    tk_http_options o = {.token = w.editor_b};
    tk_http_with(w.server, "GET", own, NULL, 0, &o, &r);
    assert_int_equal(r.status, 200);
    tk_http_result_free(&r);
}

static void bad_requests_are_error_pages(void **state)
{
    (void)state;
    static const struct {
        bool other_schedule; /* a schedule that does not exist instead of the fixture's */
        const char *tail;
        long status;
    } cases[] = {
        {false, "2021-Q2/consolidated.pdf?layout=landscape", 400},
        {false, "2021-Q7/consolidated.pdf", 400},
        {false, "2021-Q2/consolidated.odt", 404},
        {true, "2021-Q2/consolidated.pdf", 404},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256];
        tk_fmt(path, sizeof path, "/reports/%lld/%s", cases[i].other_schedule ? 999999LL : (long long)w.schedule,
               cases[i].tail);
        tk_http_result r;
        tk_http_full(w.server, "GET", path, NULL, 0, false, &r);
        if (r.status != cases[i].status) fail_msg("GET %s answered %ld, want %ld", path, r.status, cases[i].status);
        assert_null(strstr(r.headers, "Content-Disposition"));
        tk_http_result_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pdf_has_the_header_and_the_exact_counts),
        cmocka_unit_test(state_layout_for_a_peoples_committee),
        cmocka_unit_test(docx_says_the_same),
        cmocka_unit_test(xlsx_holds_every_table),
        cmocka_unit_test(outside_the_scope_is_not_found),
        cmocka_unit_test(bad_requests_are_error_pages),
    };
    return tk_test_exit(cmocka_run_group_tests(tests, setup, teardown));
}
