/* Builds a province-scale trienkhai database for the benchmark (DESIGN.md, "Scale").
 *
 *   tk-bench-generate PATH [--orgs N] [--tasks N] [--updates-per-task N] [--seed N]
 *                          [--today YYYY-MM-DD] [--force]
 *
 * The schema comes from tk_db_open(), so the database is the one the program would make; the
 * rows then go in through plain SQLite in one transaction, because the service layer validates
 * and audits each write and would take hours at 4 million updates. The triggers of the schema
 * still run, so task_rollup, the program counters and the FTS index are what the service would
 * have left. Each task's progress and completion day are set from the updates generated for
 * it, by the rule of update_after_write() in service/task.c: progress is that of the latest
 * update, completed_on the day it reached 100 and stayed there.
 *
 * The same seed gives the same database. The day the data was generated for is kept in
 * bench_info, so bench.c judges statuses on that day however long after it runs. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "core/period.h"
#include "core/text.h"
#include "service/context.h"
#include "store/store.h"

/* ---- random numbers: splitmix64, so a seed gives the same data on every libc ---- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]; lo when hi < lo, so callers can clamp ranges that collapse. */
static int64_t rng_range(int64_t lo, int64_t hi)
{
    if (hi <= lo) return lo;
    return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}

static bool rng_chance(double p)
{
    return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0) < p;
}

#define PICK(array) (array[rng_range(0, (int64_t)(sizeof(array) / sizeof(array[0])) - 1)])

/* ---- words ---- */

static const char *const l1_names[] = {
    "Đảng ủy các cơ quan Đảng tỉnh", "Đảng ủy Ủy ban nhân dân tỉnh", "Ban Tổ chức Tỉnh ủy",
    "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy", "Văn phòng Tỉnh ủy",
    "Đảng ủy Công an tỉnh", "Đảng ủy Quân sự tỉnh", "Ban Nội chính Tỉnh ủy", "Ban Chính sách, chiến lược Tỉnh ủy",
    "Đảng ủy Mặt trận Tổ quốc, các đoàn thể tỉnh", "Sở Tài chính", "Sở Xây dựng", "Sở Nông nghiệp và Môi trường",
    "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Khoa học và Công nghệ", "Sở Nội vụ", "Sở Tư pháp", "Sở Công Thương",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Dân tộc và Tôn giáo", "Thanh tra tỉnh", "Đảng ủy Khối doanh nghiệp tỉnh",
    "Đảng ủy Bộ đội Biên phòng tỉnh", "Đảng ủy Trường Chính trị tỉnh", "Đảng ủy Bệnh viện Đa khoa tỉnh",
    "Đảng ủy Đại học Thanh Hà", "Đảng ủy Báo và Phát thanh, Truyền hình tỉnh", "Đảng ủy Ngân hàng Nhà nước khu vực",
};

static const char *const places[] = {
    "Tân Lập", "Hòa Bình", "Phước Thành", "Đông Hưng", "Quảng Phú", "Thạnh Mỹ", "An Nhơn", "Bình Minh",
    "Xuân Lộc", "Hướng Hóa", "Nghĩa Đàn", "Yên Thế", "Ea Kar", "Krông Bông", "Mường Lát", "Sơn Hà",
    "Đức Phổ", "Tam Kỳ", "Vĩnh Thạnh", "Hải Lăng", "Cát Tiên", "Đạ Huoai", "Lộc Ninh", "Gio Linh",
    "Thuận Bắc", "Phú Riềng", "Ngọc Hồi", "Đắk Glei", "Bảo Lâm", "Di Linh", "Tuy Phước", "Hoài Ân",
};

static const char *const verbs[] = {
    "Triển khai thực hiện", "Xây dựng kế hoạch thực hiện", "Tổ chức quán triệt", "Ban hành đề án về",
    "Sơ kết việc thực hiện", "Tổng kết việc thực hiện", "Kiểm tra, giám sát việc thực hiện", "Đẩy mạnh",
    "Nâng cao chất lượng", "Rà soát, bổ sung quy hoạch", "Tuyên truyền, phổ biến", "Đánh giá kết quả thực hiện",
    "Hoàn thiện cơ chế, chính sách về", "Tăng cường sự lãnh đạo của Đảng đối với", "Chỉ đạo thực hiện",
    "Xây dựng báo cáo chuyên đề về", "Tổ chức hội nghị chuyên đề về", "Thí điểm mô hình", "Huy động nguồn lực cho",
    "Đôn đốc tiến độ",
};

static const char *const topics[] = {
    "Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVIII", "chuyển đổi số trong các cơ quan Đảng",
    "phát triển kinh tế tập thể, hợp tác xã", "xây dựng nông thôn mới nâng cao", "cải cách hành chính",
    "phòng, chống tham nhũng, tiêu cực", "công tác cán bộ", "phát triển du lịch bền vững", "bảo vệ môi trường",
    "giảm nghèo bền vững", "công tác dân vận", "quốc phòng, an ninh", "phát triển hạ tầng giao thông",
    "thu hút đầu tư", "đổi mới giáo dục và đào tạo", "y tế cơ sở", "xây dựng và phát triển văn hóa, con người",
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "công tác kiểm tra, giám sát của Đảng",
    "xây dựng tổ chức cơ sở đảng trong sạch, vững mạnh", "phát triển đảng viên", "Chỉ thị số 05-CT/TW",
    "Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ", "quản lý đất đai",
    "phát triển công nghiệp chế biến nông sản", "ứng phó với biến đổi khí hậu", "an sinh xã hội",
    "công tác tuyên giáo", "sắp xếp tổ chức bộ máy tinh gọn", "thực hành tiết kiệm, chống lãng phí",
    "phát triển kinh tế biển", "bảo tồn di sản văn hóa", "nâng cao chỉ số năng lực cạnh tranh cấp tỉnh",
    "chăm sóc sức khỏe nhân dân", "phát triển nguồn nhân lực chất lượng cao", "phòng, chống thiên tai",
};

/* One task in RARE_EVERY carries this topic, so "q = tích năng" finds a handful of tasks. */
static const char rare_topic[] = "dự án thủy điện tích năng Bác Ái";
enum { RARE_EVERY = 10000 };

static const char *const scopes[] = {
    "trên địa bàn tỉnh", "tại các xã vùng sâu, vùng xa", "giai đoạn 2021-2025", "giai đoạn 2026-2030",
    "trong toàn Đảng bộ", "ở cơ sở", "", "", "", "",
};

static const char *const outputs[] = {
    "Báo cáo", "Kế hoạch", "Đề án", "Nghị quyết chuyên đề", "Quyết định", "Chỉ thị", "Hội nghị sơ kết",
    "Hội nghị tổng kết", "Văn bản hướng dẫn", "Tờ trình", "Chương trình phối hợp", "Kết luận",
};

static const char *const people[] = {
    "Đồng chí Nguyễn Văn Hùng, Phó Bí thư Thường trực", "Đồng chí Trần Thị Lan, Trưởng Ban Tổ chức",
    "Đồng chí Lê Minh Tuấn, Phó Chủ tịch Ủy ban nhân dân", "Đồng chí Phạm Quốc Bảo, Chánh Văn phòng",
    "Đồng chí Hoàng Thị Mai, Chủ nhiệm Ủy ban Kiểm tra", "Đồng chí Võ Đức Thắng, Giám đốc Sở",
    "Đồng chí Đặng Thu Hà, Bí thư Đảng ủy", "Đồng chí Bùi Quang Vinh, Trưởng phòng",
};

static const char *const narratives[] = {
    "Đã ban hành kế hoạch triển khai; đang tổ chức thực hiện theo lộ trình.",
    "Đã tổ chức hội nghị quán triệt đến toàn thể cán bộ, đảng viên.",
    "Đang xây dựng dự thảo, lấy ý kiến các cơ quan liên quan.",
    "Đã hoàn thành khảo sát, đánh giá thực trạng; đang tổng hợp kết quả.",
    "Tiến độ chậm do vướng mắc về thủ tục; đã báo cáo Thường trực xin ý kiến chỉ đạo.",
    "Đã kiểm tra tại cơ sở, kết quả đạt yêu cầu đề ra.",
    "Đã trình cấp có thẩm quyền xem xét, phê duyệt.",
    "Phối hợp với các cơ quan liên quan triển khai các nội dung được giao.",
    "Kết quả thực hiện trong kỳ đạt khá; một số chỉ tiêu chưa đạt kế hoạch.",
    "Đã tổ chức sơ kết, rút kinh nghiệm và đề ra giải pháp cho kỳ tiếp theo.",
    "Hoàn thành nhiệm vụ; đã gửi báo cáo kết quả về Văn phòng.",
    "",
};

static const char *const roman[] = {"I", "II", "III", "IV"};

/* ---- the tree ---- */

typedef struct org_info {
    int parent;  /* 0 for the root */
    int depth;   /* 0 root, 1 subordinate committees and departments, 2 communes, 3 base organizations
                  * under a commune, 3 or 4 cells (under a commune or under a base organization) */
    int l1;      /* the depth-1 ancestor (itself at depth 1), 0 for the root */
} org_info;

typedef struct plan {
    int orgs, tasks, updates_per_task;
    uint64_t seed;
    tk_date today;
    const char *path;
    bool force;
} plan;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("generate: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static sqlite3 *conn;

static void exec(const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(conn, sql, NULL, NULL, &msg) != SQLITE_OK) die("%s: %s", sql, msg ? msg : "?");
}

static sqlite3_stmt *prepare(const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(conn, sql, -1, &st, NULL) != SQLITE_OK) die("%s: %s", sql, sqlite3_errmsg(conn));
    return st;
}

static void step_done(sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE) die("%s: %s", sqlite3_sql(st), sqlite3_errmsg(conn));
    sqlite3_reset(st);
}

/* Text bound with SQLITE_STATIC lives in buffers that are rewritten only after the row is
 * stepped; NULL or "" binds NULL, as an absent optional field does in the service. */
static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s) sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

/* Folded search text, exactly as resource.c builds it: the fields joined by one space. */
static char *fold_joined(const char *a, const char *b, const char *c)
{
    char joined[4096];
    size_t len = 0;
    const char *parts[] = {a, b, c};
    joined[0] = '\0';
    for (size_t i = 0; i < 3; i++) {
        if (!parts[i] || !*parts[i]) continue;
        int n = snprintf(joined + len, sizeof joined - len, "%s%s", len ? " " : "", parts[i]);
        if (n < 0 || (size_t)n >= sizeof joined - len) die("text too long");
        len += (size_t)n;
    }
    char *folded = tk_text_fold(joined);
    if (!folded) die("tk_text_fold failed on \"%s\"", joined);
    return folded;
}

static char *iso(tk_date d, char buf[TK_DATE_TEXT_MAX])
{
    return tk_date_format_iso(d, buf);
}

/* ---- organizations ---- */

static org_info *make_orgs(const plan *pl, int *l1_count, int *first_l2, int *first_cell)
{
    int n = pl->orgs;
    org_info *orgs = calloc((size_t)n + 1, sizeof *orgs);
    if (!orgs) die("out of memory");
    /* 1 province committee, about one subordinate per 83 units (30 at 2.500), then about
     * 96% of the rest as communes and base organizations, and cells under some of those. */
    int l1 = n / 83 < 1 ? 1 : n / 83;
    if (l1 > n - 1) l1 = n - 1;
    int l2 = (int)((int64_t)(n - 1 - l1) * 96 / 100);
    if (l1 > 0 && l2 < 1 && n - 1 - l1 > 0) l2 = n - 1 - l1;
    *l1_count = l1;
    *first_l2 = 2 + l1;
    *first_cell = 2 + l1 + l2;

    sqlite3_stmt *st = prepare("INSERT INTO organizations(id, parent_id, kind, name, short_name, code, valid_from, "
                               "name_folded) VALUES (?, ?, ?, ?, ?, ?, '2020-10-15', ?)");
    char name[512], code[64];
    for (int id = 1; id <= n; id++) {
        org_info *o = &orgs[id];
        const char *kind, *short_name = NULL;
        code[0] = '\0';
        if (id == 1) {
            o->depth = 0;
            kind = "party_committee";
            snprintf(name, sizeof name, "%s", "Tỉnh ủy Thanh Hà");
            short_name = "TU";
            snprintf(code, sizeof code, "%s", "H36");
        } else if (id < *first_l2) {
            int i = id - 2;
            o->parent = 1;
            o->depth = 1;
            o->l1 = id;
            if (i < (int)(sizeof l1_names / sizeof l1_names[0])) snprintf(name, sizeof name, "%s", l1_names[i]);
            else snprintf(name, sizeof name, "Đảng ủy khu vực %d", i + 1);
            kind = strncmp(name, "Sở", strlen("Sở")) == 0 ? "department"
                   : strncmp(name, "Ban", strlen("Ban")) == 0 ? "party_board"
                                                              : "party_committee";
            snprintf(code, sizeof code, "H36.%02d", i + 1);
        } else if (id < *first_cell) {
            /* Round robin over the subordinates, about 80 units in each one's subtree; among the
             * units of one subordinate (k counts them), every third is a commune under it and
             * the two after it are base organizations under that commune, so with the cells
             * below the tree is five levels deep: province, subordinate committee, commune, base
             * organization, cell. Arithmetic only, no random numbers: the same seed draws the
             * same numbers as before the tree had its fifth level, so every task, lead unit
             * and subordinate's subtree is what it was. */
            int i = id - *first_l2;
            int k = i / l1;
            o->l1 = 2 + i % l1;
            if (k % 3 == 0) {
                o->parent = o->l1;
                o->depth = 2;
                kind = "commune";
                snprintf(name, sizeof name, "Đảng ủy xã %s %d", places[i % (int)(sizeof places / sizeof places[0])],
                         i / (int)(sizeof places / sizeof places[0]) + 1);
            } else {
                o->parent = id - (k % 3) * l1; /* the commune opening this group of three, same subordinate */
                o->depth = 3;
                kind = "base_organization";
                snprintf(name, sizeof name, "Đảng bộ bộ phận số %d", i + 1);
            }
            snprintf(code, sizeof code, "H36.%02d.%04d", o->l1 - 1, i + 1);
        } else {
            int i = id - *first_cell;
            o->parent = (int)rng_range(*first_l2, *first_cell - 1);
            o->depth = orgs[o->parent].depth + 1;
            o->l1 = orgs[o->parent].l1;
            kind = "cell";
            snprintf(name, sizeof name, "Chi bộ thôn %d", i + 1);
        }
        char *folded = fold_joined(name, short_name, NULL);
        sqlite3_bind_int(st, 1, id);
        if (o->parent) sqlite3_bind_int(st, 2, o->parent);
        else sqlite3_bind_null(st, 2);
        bind_text(st, 3, kind);
        bind_text(st, 4, name);
        bind_text(st, 5, short_name);
        bind_text(st, 6, code);
        bind_text(st, 7, folded);
        step_done(st);
        free(folded);
    }
    sqlite3_finalize(st);
    return orgs;
}

/* ---- documents and programs ---- */

enum { PROGRAMS = 20, ROOT_PROGRAMS = 10 };

typedef struct program_info {
    int id, document_id, lead_l1; /* lead_l1: the subordinate whose plan it belongs to, 0 for the root's */
} program_info;

static void make_programs(int l1_count, program_info *programs)
{
    exec("INSERT INTO terms(id, organization_id, ordinal, year_from, year_to, name) VALUES "
         "(1, 1, 18, 2020, 2025, 'Nhiệm kỳ 2020-2025'), (2, 1, 19, 2025, 2030, 'Nhiệm kỳ 2025-2030')");
    exec("INSERT INTO documents(id, kind, number, title, organization_id, issued_on, term_id, title_folded) VALUES "
         "(1, 'resolution', NULL, 'Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XVIII', 1, '2020-10-17', 1, "
         "'nghi quyet dai hoi dai bieu dang bo tinh lan thu xviii')");
    exec("INSERT INTO documents(id, kind, number, title, organization_id, issued_on, term_id, implements_id, "
         "title_folded) VALUES (2, 'action_program', '01-CTr/TU', 'Chương trình hành động thực hiện Nghị quyết "
         "Đại hội đại biểu Đảng bộ tỉnh lần thứ XVIII', 1, '2021-01-15', 1, 1, '01-ctr/tu chuong trinh hanh dong "
         "thuc hien nghi quyet dai hoi dai bieu dang bo tinh lan thu xviii')");

    sqlite3_stmt *doc = prepare("INSERT INTO documents(id, kind, number, title, organization_id, issued_on, term_id, "
                                "implements_id, title_folded) VALUES (?, 'plan', ?, ?, ?, '2021-03-01', 1, 2, ?)");
    sqlite3_stmt *prog = prepare("INSERT INTO programs(id, document_id, number, title, period_text, period_first, "
                                 "period_last, lead_org_id, title_folded) VALUES (?, ?, ?, ?, '2021-2025', "
                                 "'2021-01-01', '2025-12-31', ?, ?)");
    char number[32], title[512];
    int docs = 2;
    for (int p = 1; p <= PROGRAMS; p++) {
        program_info *pi = &programs[p - 1];
        pi->id = p;
        /* Half the programs are the province's; the rest belong to the plans its first
         * subordinates made to carry the action program out. */
        pi->lead_l1 = p > ROOT_PROGRAMS && l1_count > 0 ? 2 + (p - ROOT_PROGRAMS - 1) % l1_count : 0;
        if (!pi->lead_l1) {
            pi->document_id = 2;
        } else {
            pi->document_id = ++docs;
            snprintf(number, sizeof number, "%02d-KH/ĐU", p - ROOT_PROGRAMS);
            snprintf(title, sizeof title, "Kế hoạch thực hiện Chương trình hành động số 01-CTr/TU (%d)",
                     p - ROOT_PROGRAMS);
            char *folded = fold_joined(number, title, NULL);
            sqlite3_bind_int(doc, 1, pi->document_id);
            bind_text(doc, 2, number);
            bind_text(doc, 3, title);
            sqlite3_bind_int(doc, 4, pi->lead_l1);
            bind_text(doc, 5, folded);
            step_done(doc);
            free(folded);
        }
        snprintf(number, sizeof number, "%d", p);
        snprintf(title, sizeof title, "Chương trình về %s", topics[(p - 1) % (int)(sizeof topics / sizeof topics[0])]);
        char *folded = fold_joined(number, title, NULL);
        sqlite3_bind_int(prog, 1, p);
        sqlite3_bind_int(prog, 2, pi->document_id);
        bind_text(prog, 3, number);
        bind_text(prog, 4, title);
        sqlite3_bind_int(prog, 5, pi->lead_l1 ? pi->lead_l1 : 1);
        bind_text(prog, 6, folded);
        step_done(prog);
        free(folded);
    }
    sqlite3_finalize(doc);
    sqlite3_finalize(prog);
}

/* ---- tasks and their updates ---- */

/* A deadline as action programs write them, 2021-2030; parsed by the real reader so due_kind,
 * due_first and due_last are what the service would store. */
static void make_due(char *text, size_t size, tk_period *p)
{
    int year = (int)rng_range(2021, 2030);
    int r = (int)rng_range(0, 99);
    if (r < 40) snprintf(text, size, "Quý %s/%d", roman[rng_range(0, 3)], year);
    else if (r < 60) snprintf(text, size, "Năm %d", year);
    else if (r < 68) snprintf(text, size, "Tháng %d/%d", (int)rng_range(1, 12), year);
    else if (r < 75) snprintf(text, size, "6 tháng %s năm %d", rng_chance(0.5) ? "đầu" : "cuối", year);
    else if (r < 85) {
        int month = (int)rng_range(1, 12);
        snprintf(text, size, "Trước ngày %d/%d/%d", (int)rng_range(1, tk_date_days_in_month(year, month)), month,
                 year);
    } else if (r < 95) snprintf(text, size, "%s", "Thường xuyên");
    else if (r < 98) snprintf(text, size, "%s", "Hằng năm");
    else snprintf(text, size, "%s", "Hằng quý");
    tk_error err = {0};
    if (tk_period_parse(text, "due", p, &err)) die("period \"%s\": %s", text, err.message);
}

static int cmp_date(const void *a, const void *b)
{
    tk_date x = *(const tk_date *)a, y = *(const tk_date *)b;
    return (x > y) - (x < y);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* A lead unit spread over the tree: a few at the top, most at the communes and base orgs.
 * Levels are [first, last] ranges of ids; an empty level (a tiny --orgs) is skipped. */
static int pick_lead(int n, int first_l2, int first_cell)
{
    const int first[4] = {1, 2, first_l2, first_cell};
    const int last[4] = {1, first_l2 - 1, first_cell - 1, n};
    const int weight[4] = {3, 30, 62, 5};
    int total = 0;
    for (int i = 0; i < 4; i++) total += last[i] >= first[i] ? weight[i] : 0;
    int r = (int)rng_range(0, total - 1);
    for (int i = 0; i < 4; i++) {
        if (last[i] < first[i]) continue;
        if (r < weight[i]) return (int)rng_range(first[i], last[i]);
        r -= weight[i];
    }
    return 1;
}

typedef struct counts {
    int64_t tasks, updates, coordinators, completed, no_updates;
} counts;

static void make_tasks(const plan *pl, const org_info *orgs, int first_l2, int first_cell,
                       const program_info *programs, counts *c)
{
    sqlite3_stmt *task = prepare(
        "INSERT INTO tasks(id, program_id, document_id, title, description, lead_org_id, responsible_person, "
        "due_text, due_kind, due_first, due_last, output, weight, progress, completed_on, search_folded, "
        "title_folded, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *coord = prepare("INSERT OR IGNORE INTO task_coordinators(task_id, org_id) VALUES (?, ?)");
    sqlite3_stmt *update = prepare("INSERT INTO task_updates(task_id, reported_on, progress, narrative, evidence, "
                                   "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");

    const tk_date term_start = tk_date_from_ymd(2021, 1, 11);
    const tk_date today = pl->today;
    /* 10% of tasks have no update, so those that do have upt / 0.9 on average. */
    const int max_updates = pl->updates_per_task > 0 ? (int)(2.0 * pl->updates_per_task / 0.9 + 0.5) - 1 : 0;
    tk_date *days = malloc(((size_t)max_updates + 1) * sizeof *days);
    int *progress = malloc(((size_t)max_updates + 1) * sizeof *progress);
    if (!days || !progress) die("out of memory");

    char title[1024], due_text[64], description[512], evidence[64];
    char first_buf[TK_DATE_TEXT_MAX], last_buf[TK_DATE_TEXT_MAX], done_buf[TK_DATE_TEXT_MAX];
    char created[32], updated[32], day_buf[TK_DATE_TEXT_MAX];
    int l1_count = first_l2 - 2;
    double last_report = now_s();
    for (int id = 1; id <= pl->tasks; id++) {
        int lead = pick_lead(pl->orgs, first_l2, first_cell);
        /* Tasks of a subordinate's plan are led inside its subtree. */
        const program_info *prog = &programs[rng_range(0, ROOT_PROGRAMS - 1)];
        int l1 = orgs[lead].l1;
        if (l1 && l1 - 2 < PROGRAMS - ROOT_PROGRAMS && l1 - 2 < l1_count && rng_chance(0.5))
            prog = &programs[ROOT_PROGRAMS + (l1 - 2)];

        bool rare = id % RARE_EVERY == RARE_EVERY / 2;
        snprintf(title, sizeof title, "%s %s %s", PICK(verbs), rare ? rare_topic : PICK(topics), PICK(scopes));
        size_t tl = strlen(title);
        while (tl && title[tl - 1] == ' ') title[--tl] = '\0';
        const char *person = rng_chance(0.3) ? PICK(people) : NULL;
        const char *output = rng_chance(0.6) ? PICK(outputs) : NULL;
        const char *desc = NULL;
        if (rng_chance(0.2)) {
            snprintf(description, sizeof description, "Chủ trì, phối hợp với các cơ quan liên quan %s %s.",
                     PICK(verbs), PICK(topics));
            desc = description;
        }
        double weight = rng_chance(0.85) ? 1.0 : (double)rng_range(2, 3);

        tk_period due;
        make_due(due_text, sizeof due_text, &due);
        bool span = due.kind == TK_PERIOD_SPAN;

        /* Work starts up to 2,5 years before the deadline, never before the term's action
         * program nor after today (every task of the data has started). */
        tk_date start = span ? due.last - (tk_date)rng_range(60, 900) : (tk_date)rng_range(term_start, today - 30);
        if (start < term_start) start = term_start;
        /* A deadline years away was set by a recent plan, not by one yet to come. */
        if (start > today - 30) start = (tk_date)rng_range(today - 540 > term_start ? today - 540 : term_start, today - 30);

        bool updated_ever = pl->updates_per_task > 0 && !rng_chance(0.1);
        bool completed = false;
        tk_date done = 0, last_day = start;
        int final = 0;
        if (updated_ever) {
            if (span && due.last < today) {
                int r = (int)rng_range(0, 99);
                if (r < 72) {
                    completed = true; /* on time, mostly in the last months before the deadline */
                    done = (tk_date)rng_range(due.last - 120 > start ? due.last - 120 : start, due.last);
                } else if (r < 85) {
                    completed = true; /* late */
                    done = (tk_date)rng_range(due.last + 1, due.last + 200 < today ? due.last + 200 : today);
                }
            } else if (span) {
                completed = rng_chance(0.2);
                if (completed) done = (tk_date)rng_range(start, today);
            } else if (due.kind == TK_PERIOD_CONTINUOUS) {
                completed = rng_chance(0.08);
                if (completed) done = (tk_date)rng_range(start, today);
            } else {
                completed = rng_chance(0.35);
                if (completed) done = (tk_date)rng_range(today - 400 > start ? today - 400 : start, today);
            }
            if (done < start) done = start;
            if (completed) {
                final = 100;
                last_day = done;
            } else {
                final = (int)rng_range(5, 95);
                last_day = (tk_date)rng_range(today - 120 > start ? today - 120 : start, today);
            }
        }

        char *folded = fold_joined(title, person, output);
        char *title_folded = fold_joined(title, NULL, NULL); /* sort=title orders by it */
        snprintf(created, sizeof created, "%sT07:30:00Z", iso(start, day_buf));
        snprintf(updated, sizeof updated, "%sT16:45:00Z", iso(last_day, day_buf));
        sqlite3_bind_int(task, 1, id);
        sqlite3_bind_int(task, 2, prog->id);
        sqlite3_bind_int(task, 3, prog->document_id);
        bind_text(task, 4, title);
        bind_text(task, 5, desc);
        sqlite3_bind_int(task, 6, lead);
        bind_text(task, 7, person);
        bind_text(task, 8, due_text);
        bind_text(task, 9, tk_period_kind_name(due.kind));
        bind_text(task, 10, span ? iso(due.first, first_buf) : NULL);
        bind_text(task, 11, span ? iso(due.last, last_buf) : NULL);
        bind_text(task, 12, output);
        sqlite3_bind_double(task, 13, weight);
        sqlite3_bind_int(task, 14, final);
        bind_text(task, 15, completed ? iso(done, done_buf) : NULL);
        bind_text(task, 16, folded);
        bind_text(task, 17, title_folded);
        bind_text(task, 18, created);
        bind_text(task, 19, updated);
        step_done(task);
        free(folded);
        free(title_folded);
        c->tasks++;
        c->completed += completed;
        c->no_updates += !updated_ever;

        if (rng_chance(0.35)) {
            int k = (int)rng_range(1, 3);
            for (int j = 0; j < k; j++) {
                /* Coordinators are mostly the province's departments and committees. */
                int other = rng_chance(0.7) && first_l2 > 2 ? (int)rng_range(2, first_l2 - 1)
                                                            : (int)rng_range(1, pl->orgs);
                if (other == lead) continue;
                sqlite3_bind_int(coord, 1, id);
                sqlite3_bind_int(coord, 2, other);
                step_done(coord);
                c->coordinators += sqlite3_changes(conn);
            }
        }

        if (updated_ever) {
            /* k reports on days in [start, last_day], the last one on last_day; progress rises
             * to `final`, and only the last report of a completed task says 100. */
            int k = (int)rng_range(1, max_updates);
            for (int j = 0; j < k - 1; j++) {
                days[j] = (tk_date)rng_range(start, last_day);
                progress[j] = (int)rng_range(0, final >= 100 ? 99 : final);
            }
            days[k - 1] = last_day;
            progress[k - 1] = final;
            qsort(days, (size_t)k - 1, sizeof *days, cmp_date);
            qsort(progress, (size_t)k - 1, sizeof *progress, cmp_int);
            for (int j = 0; j < k; j++) {
                const char *text = PICK(narratives);
                const char *ev = NULL;
                if (rng_chance(0.15)) {
                    snprintf(evidence, sizeof evidence, "Báo cáo số %d-BC/ĐU", (int)rng_range(1, 500));
                    ev = evidence;
                }
                snprintf(created, sizeof created, "%sT%02d:%02d:00Z", iso(days[j], day_buf), (int)rng_range(7, 17),
                         (int)rng_range(0, 59));
                sqlite3_bind_int(update, 1, id);
                bind_text(update, 2, day_buf);
                sqlite3_bind_int(update, 3, progress[j]);
                bind_text(update, 4, text);
                bind_text(update, 5, ev);
                bind_text(update, 6, created);
                bind_text(update, 7, created);
                step_done(update);
            }
            c->updates += k;
        }

        if (id % 20000 == 0 && now_s() - last_report > 5) {
            fprintf(stderr, "  %d tasks, %" PRId64 " updates...\n", id, c->updates);
            last_report = now_s();
        }
    }
    free(days);
    free(progress);
    sqlite3_finalize(task);
    sqlite3_finalize(coord);
    sqlite3_finalize(update);
}

/* ---- main ---- */

static int parse_int(const char *flag, const char *text, int min)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || v < min || v > INT_MAX) die("%s: expected an integer >= %d, got \"%s\"", flag, min, text);
    return (int)v;
}

static void usage(void)
{
    fputs("usage: tk-bench-generate PATH [--orgs N] [--tasks N] [--updates-per-task N] [--seed N]\n"
          "                         [--today YYYY-MM-DD] [--force]\n"
          "defaults: 2500 organizations, 200000 tasks, 20 updates per task, seed 1, today from the clock\n",
          stderr);
    exit(2);
}

static int64_t count_rows(const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    sqlite3_stmt *st = prepare(sql);
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

int main(int argc, char **argv)
{
    plan pl = {.orgs = 2500, .tasks = 200000, .updates_per_task = 20, .seed = 1, .today = tk_ctx_today()};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--force") == 0) pl.force = true;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) usage();
        else if (a[0] == '-' && a[1] == '-' && i + 1 >= argc) usage();
        else if (strcmp(a, "--orgs") == 0) pl.orgs = parse_int(a, argv[++i], 1);
        else if (strcmp(a, "--tasks") == 0) pl.tasks = parse_int(a, argv[++i], 0);
        else if (strcmp(a, "--updates-per-task") == 0) pl.updates_per_task = parse_int(a, argv[++i], 0);
        else if (strcmp(a, "--seed") == 0) pl.seed = (uint64_t)parse_int(a, argv[++i], 0);
        else if (strcmp(a, "--today") == 0) {
            if (!tk_date_parse_iso(argv[++i], &pl.today)) die("--today: expected YYYY-MM-DD");
        } else if (a[0] == '-') usage();
        else if (!pl.path) pl.path = a;
        else usage();
    }
    if (!pl.path) usage();
    int y, m, d;
    tk_date_to_ymd(pl.today, &y, &m, &d);
    if (y < 2022 || y > 2030) die("--today must lie within the data's years (2022-2030)");
    rng_state = pl.seed;

    if (access(pl.path, F_OK) == 0) {
        if (!pl.force) die("%s exists; pass --force to replace it", pl.path);
        char side[4096];
        remove(pl.path);
        snprintf(side, sizeof side, "%s-wal", pl.path);
        remove(side);
        snprintf(side, sizeof side, "%s-shm", pl.path);
        remove(side);
    }

    double t0 = now_s();
    tk_db *db = NULL;
    tk_error err = {0};
    if (tk_db_open(pl.path, &db, &err)) die("%s", err.message);
    int version = tk_db_schema_version(db);
    tk_db_close(db);

    if (sqlite3_open_v2(pl.path, &conn, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) die("cannot reopen %s", pl.path);
    /* A half-written benchmark database is thrown away, so the load needs no journal and no
     * fsync; a large cache keeps the indexes of tasks and task_rollup in memory meanwhile. */
    exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY");
    exec("BEGIN");

    int l1_count, first_l2, first_cell;
    double t = now_s();
    org_info *orgs = make_orgs(&pl, &l1_count, &first_l2, &first_cell);
    program_info programs[PROGRAMS];
    make_programs(l1_count, programs);
    double t_orgs = now_s() - t;

    counts c = {0};
    t = now_s();
    make_tasks(&pl, orgs, first_l2, first_cell, programs, &c);
    double t_tasks = now_s() - t;

    char day[TK_DATE_TEXT_MAX], sql[512];
    exec("CREATE TABLE bench_info(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    snprintf(sql, sizeof sql,
             "INSERT INTO bench_info VALUES ('today', '%s'), ('seed', '%" PRIu64 "'), ('orgs', '%d'), "
             "('tasks', '%d'), ('updates_per_task', '%d')",
             iso(pl.today, day), pl.seed, pl.orgs, pl.tasks, pl.updates_per_task);
    exec(sql);

    t = now_s();
    exec("COMMIT");
    /* Back to what tk_db_open() expects of a database file. */
    exec("PRAGMA journal_mode=WAL");
    double t_commit = now_s() - t;

    printf("generated %s (schema version %d) for today = %s, seed %" PRIu64 "\n", pl.path, version, day, pl.seed);
    printf("  organizations, programs: %6.2f s\n", t_orgs);
    printf("  tasks, updates (with triggers): %6.2f s\n", t_tasks);
    printf("  commit: %6.2f s\n", t_commit);
    printf("  total: %6.2f s\n", now_s() - t0);
    static const char *const tables[] = {"organizations", "org_ancestors", "programs", "tasks",
                                         "task_coordinators", "task_updates", "task_rollup"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        printf("  %-18s %10" PRId64 " rows\n", tables[i], count_rows(tables[i]));
    printf("  tasks completed %" PRId64 ", without updates %" PRId64 "\n", c.completed, c.no_updates);
    sqlite3_stmt *st = prepare("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
    if (sqlite3_step(st) == SQLITE_ROW) printf("  file size %.1f MB\n", (double)sqlite3_column_int64(st, 0) / 1e6);
    sqlite3_finalize(st);

    free(orgs);
    sqlite3_close(conn);
    return 0;
}
