/* The JSON API as a client sees it, through one realistic scenario: a city party organization
 * with its boards, districts and wards; a congress term; the congress resolution, the action
 * program that implements it and a district plan that concretizes that; work programs with
 * their tasks, coordinators, deadlines written in Vietnamese, progress reports and an extended
 * deadline; an indicator with targets and values. Each test states one part of the behaviour
 * (DOMAIN.md "Rules", the API description) and checks every output that part defines.
 *
 * The scenario is built once by the first test; the others read it, and those at the end add to it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/harness.h"

enum { NTASKS = 7 };

typedef struct scenario {
    tk_test_server *srv;
    bool built;
    /* organizations: three levels (city -> district -> ward) */
    int64_t city, board, office, d1, ward1, d3, ward3, d2, thu_duc;
    int64_t term, resolution, action, plan, goal_item, breakthrough_item;
    int64_t p1, p2, indicator, indicator2;
    int64_t t[NTASKS + 1]; /* T1..T7 */
    int64_t lead[NTASKS + 1];
    char today[11];
} scenario;

/* The days the statuses are judged on. */
static const char *const D1 = "2021-03-01", *const D2 = "2021-06-30", *const D3 = "2021-07-10",
                  *const D4 = "2021-10-01", *const D5 = "2022-01-10";

enum { ON_TIME, LATE, IN_PROGRESS, OVERDUE, NSTATUS };
static const char *const status_names[NSTATUS] = {"done_on_time", "done_late", "in_progress", "overdue"};

/* One row per (day, task): the status that day and the days overdue.
 * T1 Quý I/2021, done 20/3/2021 (on time); T2 30/6/2021, done 15/7/2021 (late);
 * T3 tháng 9/2021 extended to Quý IV/2021, 30% and never done; T4 6 tháng đầu năm 2021, never
 * started; T5 Thường xuyên (never overdue); T6 trước ngày 15/5/2021, done 10/5/2021;
 * T7 năm 2022. A completion after the day judged does not count on that day. */
static const struct {
    const char *on;
    int task;
    int status;
    int days_overdue;
} statuses[] = {
    {"2021-03-01", 1, IN_PROGRESS, 0}, {"2021-03-01", 2, IN_PROGRESS, 0}, {"2021-03-01", 3, IN_PROGRESS, 0},
    {"2021-03-01", 4, IN_PROGRESS, 0}, {"2021-03-01", 5, IN_PROGRESS, 0}, {"2021-03-01", 6, IN_PROGRESS, 0},
    {"2021-03-01", 7, IN_PROGRESS, 0},

    {"2021-06-30", 1, ON_TIME, 0},     {"2021-06-30", 2, IN_PROGRESS, 0}, {"2021-06-30", 3, IN_PROGRESS, 0},
    {"2021-06-30", 4, IN_PROGRESS, 0}, {"2021-06-30", 5, IN_PROGRESS, 0}, {"2021-06-30", 6, ON_TIME, 0},
    {"2021-06-30", 7, IN_PROGRESS, 0},

    {"2021-07-10", 1, ON_TIME, 0},     {"2021-07-10", 2, OVERDUE, 10},    {"2021-07-10", 3, IN_PROGRESS, 0},
    {"2021-07-10", 4, OVERDUE, 10},    {"2021-07-10", 5, IN_PROGRESS, 0}, {"2021-07-10", 6, ON_TIME, 0},
    {"2021-07-10", 7, IN_PROGRESS, 0},

    {"2021-10-01", 1, ON_TIME, 0},     {"2021-10-01", 2, LATE, 0},        {"2021-10-01", 3, IN_PROGRESS, 0},
    {"2021-10-01", 4, OVERDUE, 93},    {"2021-10-01", 5, IN_PROGRESS, 0}, {"2021-10-01", 6, ON_TIME, 0},
    {"2021-10-01", 7, IN_PROGRESS, 0},

    {"2022-01-10", 1, ON_TIME, 0},     {"2022-01-10", 2, LATE, 0},        {"2022-01-10", 3, OVERDUE, 10},
    {"2022-01-10", 4, OVERDUE, 194},   {"2022-01-10", 5, IN_PROGRESS, 0}, {"2022-01-10", 6, ON_TIME, 0},
    {"2022-01-10", 7, IN_PROGRESS, 0},

    /* Today (after 2022) and a day in the future: the SQL takes another branch from today on
     * (no completion can be dated later). -1: days overdue not checked, they grow with today. */
    {"today", 1, ON_TIME, 0},          {"today", 2, LATE, 0},             {"today", 3, OVERDUE, -1},
    {"today", 4, OVERDUE, -1},         {"today", 5, IN_PROGRESS, 0},      {"today", 6, ON_TIME, 0},
    {"today", 7, OVERDUE, -1},

    {"2030-01-01", 1, ON_TIME, 0},     {"2030-01-01", 2, LATE, 0},        {"2030-01-01", 3, OVERDUE, 2923},
    {"2030-01-01", 4, OVERDUE, 3107},  {"2030-01-01", 5, IN_PROGRESS, 0}, {"2030-01-01", 6, ON_TIME, 0},
    {"2030-01-01", 7, OVERDUE, 2558},
};

static const char *const days[] = {"2021-03-01", "2021-06-30", "2021-07-10", "2021-10-01",
                                   "2022-01-10", "today",      "2030-01-01"};

/* A day of the tables as the API writes it ("today" is the server's today). */
static const char *day_text(const struct scenario *s, const char *day)
{
    return strcmp(day, "today") == 0 ? s->today : day;
}

static scenario *need(void **state)
{
    scenario *s = *state;
    if (!s->built) fail_msg("the scenario was not built (see the first test's failure)");
    return s;
}

/* ---- small assertions ---- */

static void assert_str(const json_t *obj, const char *key, const char *expected)
{
    const char *got = tk_str(obj, key);
    if (strcmp(got, expected) != 0) fail_msg("\"%s\" is \"%s\", expected \"%s\"", key, got, expected);
}

static void assert_int_member(const json_t *obj, const char *key, int64_t expected)
{
    int64_t got = tk_int(obj, key);
    if (got != expected) fail_msg("\"%s\" is %lld, expected %lld", key, (long long)got, (long long)expected);
}

static void assert_real_member(const json_t *obj, const char *key, double expected)
{
    double got = tk_real(obj, key);
    if (fabs(got - expected) > 1e-9) fail_msg("\"%s\" is %.10g, expected %.10g", key, got, expected);
}

static void assert_null_member(const json_t *obj, const char *key)
{
    if (!tk_is_null(obj, key)) fail_msg("\"%s\" should be null", key);
}

/* The ids of answer["items"], in order, equal expected[0..n). */
static void assert_ids(const json_t *answer, const int64_t *expected, size_t n, const char *what)
{
    json_t *items = tk_arr(answer, "items");
    bool same = json_array_size(items) == n;
    for (size_t i = 0; same && i < n; i++) same = tk_int(json_array_get(items, i), "id") == expected[i];
    if (!same) {
        fprintf(stderr, "%s: ids [", what);
        for (size_t i = 0; i < json_array_size(items); i++)
            fprintf(stderr, "%s%lld", i ? ", " : "", (long long)tk_int(json_array_get(items, i), "id"));
        fprintf(stderr, "], expected [");
        for (size_t i = 0; i < n; i++) fprintf(stderr, "%s%lld", i ? ", " : "", (long long)expected[i]);
        fprintf(stderr, "]\n");
        fail_msg("%s: the list holds other objects than expected", what);
    }
}

/* The same, in any order. */
static void assert_id_set(const json_t *answer, const int64_t *expected, size_t n, const char *what)
{
    json_t *items = tk_arr(answer, "items");
    bool same = json_array_size(items) == n;
    for (size_t i = 0; same && i < n; i++) {
        bool found = false;
        for (size_t k = 0; k < json_array_size(items); k++)
            found = found || tk_int(json_array_get(items, k), "id") == expected[i];
        same = found;
    }
    if (!same) {
        fprintf(stderr, "%s: ids {", what);
        for (size_t i = 0; i < json_array_size(items); i++)
            fprintf(stderr, "%s%lld", i ? ", " : "", (long long)tk_int(json_array_get(items, i), "id"));
        fprintf(stderr, "}, expected {");
        for (size_t i = 0; i < n; i++) fprintf(stderr, "%s%lld", i ? ", " : "", (long long)expected[i]);
        fprintf(stderr, "}\n");
        fail_msg("%s: the list holds other objects than expected", what);
    }
}

/* The task ids T<a>, T<b>, ... named by their numbers in the scenario. */
static size_t task_ids(const scenario *s, int64_t *out, const int *numbers, size_t n)
{
    for (size_t i = 0; i < n; i++) out[i] = s->t[numbers[i]];
    return n;
}

/* The tasks T<n> of the scenario, as the (numbers, count) arguments of assert_tasks() and search(). */
#define TASKS(...)                                                                                        \
    (const int[]){__VA_ARGS__}, sizeof((const int[]){__VA_ARGS__}) / sizeof(int)

static void assert_tasks(const scenario *s, const json_t *answer, bool ordered, const char *what, const int *numbers,
                         size_t n)
{
    int64_t ids[NTASKS + 1];
    task_ids(s, ids, numbers, n);
    if (ordered) assert_ids(answer, ids, n, what);
    else assert_id_set(answer, ids, n, what);
}

static json_t *find_item(const json_t *items, int64_t id)
{
    size_t i;
    json_t *v;
    json_array_foreach(items, i, v) if (json_integer_value(json_object_get(v, "id")) == id) return v;
    return NULL;
}

/* ---- building the scenario ---- */

static int64_t org(scenario *s, json_t *body, const char *kind, const char *name)
{
    json_t *created = tk_create(s->srv, "/api/v1/organizations", body);
    assert_str(created, "kind", kind);
    assert_str(created, "name", name);
    int64_t id = tk_int(created, "id");
    json_decref(created);
    return id;
}

static json_t *add_update(scenario *s, int task, const char *reported_on, int progress, const char *narrative)
{
    char path[128];
    json_t *body = reported_on ? json_pack("{s:s, s:i}", "reported_on", reported_on, "progress", progress)
                               : json_pack("{s:i}", "progress", progress);
    if (narrative) json_object_set_new(body, "narrative", json_string(narrative));
    return tk_send_json(s->srv, "POST", tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)s->t[task]),
                        body, 201);
}

static void test_scenario_is_recorded_as_sent(void **state)
{
    scenario *s = *state;
    tk_test_server *srv = s->srv;
    tk_today(s->today);

    json_t *health = tk_get(srv, "/api/v1/health");
    assert_str(health, "status", "ok");
    assert_true(tk_int(health, "schema_version") >= 1);
    json_decref(health);

    /* Three levels: the city party organization, its boards and districts, their wards. */
    s->city = org(s,
                  json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", "party_committee", "name",
                            "Đảng bộ Thành phố Hồ Chí Minh", "short_name", "Thành ủy", "code", "000.00.00.H29",
                            "valid_from", "1930-02-03"),
                  "party_committee", "Đảng bộ Thành phố Hồ Chí Minh");
    s->board = org(s, json_pack("{s:I, s:s, s:s}", "parent_id", (json_int_t)s->city, "kind", "party_board", "name",
                                "Ban Tuyên giáo Thành ủy"),
                   "party_board", "Ban Tuyên giáo Thành ủy");
    s->office = org(s, json_pack("{s:I, s:s, s:s}", "parent_id", (json_int_t)s->city, "kind", "office", "name",
                                 "Văn phòng Thành ủy"),
                    "office", "Văn phòng Thành ủy");
    s->d1 = org(s, json_pack("{s:I, s:s, s:s}", "parent_id", (json_int_t)s->city, "kind", "party_organization",
                             "name", "Đảng bộ Quận 1"),
                "party_organization", "Đảng bộ Quận 1");
    s->ward1 = org(s, json_pack("{s:I, s:s, s:s}", "parent_id", (json_int_t)s->d1, "kind", "base_organization",
                                "name", "Đảng bộ Phường Bến Nghé"),
                   "base_organization", "Đảng bộ Phường Bến Nghé");
    s->d3 = org(s, json_pack("{s:I, s:s, s:s}", "parent_id", (json_int_t)s->city, "kind", "party_organization",
                             "name", "Đảng bộ Quận 3"),
                "party_organization", "Đảng bộ Quận 3");
    s->ward3 = org(s, json_pack("{s:I, s:s, s:s}", "parent_id", (json_int_t)s->d3, "kind", "base_organization",
                                "name", "Đảng bộ Phường Võ Thị Sáu"),
                   "base_organization", "Đảng bộ Phường Võ Thị Sáu");
    /* A unit that was closed (Quận 2 merged into Thủ Đức city on 1/1/2021) and its successor. */
    s->d2 = org(s, json_pack("{s:I, s:s, s:s, s:s, s:s}", "parent_id", (json_int_t)s->city, "kind",
                             "party_organization", "name", "Đảng bộ Quận 2", "valid_from", "1997-01-01", "valid_to",
                             "2020-12-31"),
                "party_organization", "Đảng bộ Quận 2");
    s->thu_duc = org(s, json_pack("{s:I, s:s, s:s, s:s}", "parent_id", (json_int_t)s->city, "kind",
                                  "party_organization", "name", "Đảng bộ thành phố Thủ Đức", "valid_from",
                                  "2021-01-01"),
                     "party_organization", "Đảng bộ thành phố Thủ Đức");
    char path[256];
    json_t *patched = tk_send_json(srv, "PATCH", tk_fmt(path, sizeof path, "/api/v1/organizations/%lld", (long long)s->d2),
                                   json_pack("{s:I}", "successor_id", (json_int_t)s->thu_duc), 200);
    assert_int_member(patched, "successor_id", s->thu_duc);
    json_decref(patched);

    json_t *term = tk_create(srv, "/api/v1/terms",
                             json_pack("{s:I, s:i, s:i, s:i, s:s}", "organization_id", (json_int_t)s->city, "ordinal",
                                       11, "year_from", 2020, "year_to", 2025, "name", "Nhiệm kỳ 2020 - 2025"));
    s->term = tk_int(term, "id");
    assert_str(term, "roman", "XI");
    assert_int_member(term, "ordinal", 11);
    assert_int_member(term, "year_from", 2020);
    assert_int_member(term, "year_to", 2025);
    assert_int_member(term, "organization_id", s->city);
    json_decref(term);

    json_t *doc = tk_create(srv, "/api/v1/documents",
                            json_pack("{s:s, s:s, s:s, s:I, s:s, s:I, s:s}", "kind", "resolution", "number",
                                      "01-NQ/ĐH", "title",
                                      "Nghị quyết Đại hội đại biểu Đảng bộ Thành phố lần thứ XI, nhiệm kỳ 2020 - 2025",
                                      "organization_id", (json_int_t)s->city, "issued_on", "2020-10-17", "term_id",
                                      (json_int_t)s->term, "summary", "20 chỉ tiêu theo 4 nhóm"));
    s->resolution = tk_int(doc, "id");
    assert_null_member(doc, "implements_id");
    assert_null_member(doc, "continues_id");
    assert_int_member(doc, "term_id", s->term);
    assert_str(doc, "issued_on", "2020-10-17");
    json_decref(doc);

    doc = tk_create(srv, "/api/v1/documents",
                    json_pack("{s:s, s:s, s:s, s:I, s:s, s:I, s:I}", "kind", "action_program", "number", "01-CTr/TU",
                              "title", "Chương trình hành động thực hiện Nghị quyết Đại hội XI", "organization_id",
                              (json_int_t)s->city, "issued_on", "2020-11-02", "term_id", (json_int_t)s->term,
                              "implements_id", (json_int_t)s->resolution));
    s->action = tk_int(doc, "id");
    assert_int_member(doc, "implements_id", s->resolution);
    assert_str(doc, "kind", "action_program");
    json_decref(doc);

    doc = tk_create(srv, "/api/v1/documents",
                    json_pack("{s:s, s:s, s:s, s:I, s:s, s:I}", "kind", "plan", "number", "15-KH/QU", "title",
                              "Kế hoạch của Ban Thường vụ Quận ủy Quận 1 triển khai thực hiện", "organization_id",
                              (json_int_t)s->d1, "issued_on", "2020-12-15", "implements_id", (json_int_t)s->action));
    s->plan = tk_int(doc, "id");
    json_decref(doc);

    json_t *item = tk_create(srv, "/api/v1/document-items",
                             json_pack("{s:I, s:s, s:s, s:i}", "document_id", (json_int_t)s->resolution, "kind", "goal",
                                       "text", "Phát triển Thành phố trở thành trung tâm kinh tế, tài chính",
                                       "milestone_year", 2030));
    s->goal_item = tk_int(item, "id");
    assert_int_member(item, "position", 0); /* the default */
    assert_int_member(item, "milestone_year", 2030);
    json_decref(item);
    item = tk_create(srv, "/api/v1/document-items",
                     json_pack("{s:I, s:s, s:i, s:s}", "document_id", (json_int_t)s->resolution, "kind",
                               "breakthrough", "position", 1, "text", "Nâng cao chất lượng nguồn nhân lực"));
    s->breakthrough_item = tk_int(item, "id");
    assert_null_member(item, "milestone_year");
    json_decref(item);

    json_t *program = tk_create(srv, "/api/v1/programs",
                                json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}", "document_id", (json_int_t)s->action,
                                          "number", "01", "title",
                                          "Chương trình nâng cao chất lượng công tác tuyên truyền, học tập Nghị quyết",
                                          "period_text", "giai đoạn 2021 - 2025", "lead_org_id", (json_int_t)s->board,
                                          "steering_committee", "Ban Chỉ đạo do Phó Bí thư Thường trực làm Trưởng ban"));
    s->p1 = tk_int(program, "id");
    assert_str(program, "period_text", "giai đoạn 2021 - 2025");
    assert_str(program, "period_first", "2021-01-01");
    assert_str(program, "period_last", "2025-12-31");
    assert_int_member(program, "task_count", 0);
    assert_real_member(program, "progress", 0.0);
    json_decref(program);
    program = tk_create(srv, "/api/v1/programs",
                        json_pack("{s:I, s:s, s:s, s:s}", "document_id", (json_int_t)s->action, "number", "02",
                                  "title", "Chương trình cải cách hành chính", "period_text", "2021-2025"));
    s->p2 = tk_int(program, "id");
    assert_null_member(program, "lead_org_id");
    json_decref(program);

    /* The tasks: a lead unit, coordinators under other units, Vietnamese deadlines. */
    json_t *task = tk_create(
        srv, "/api/v1/tasks",
        json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:f, s:[I,I]}", "program_id", (json_int_t)s->p1, "document_id",
                  (json_int_t)s->action, "title", "Quán triệt, học tập Nghị quyết Đại hội XI đến toàn thể đảng viên",
                  "lead_org_id", (json_int_t)s->board, "responsible_person", "Trưởng Ban Tuyên giáo Thành ủy", "due",
                  "Quý I/2021", "output", "Báo cáo kết quả học tập, quán triệt", "weight", 2.0, "coordinator_ids",
                  (json_int_t)s->office, (json_int_t)s->d1));
    s->t[1] = tk_int(task, "id");
    s->lead[1] = s->board;
    assert_str(task, "due", "Quý I/2021");
    assert_str(task, "due_kind", "span");
    assert_str(task, "due_first", "2021-01-01");
    assert_str(task, "due_last", "2021-03-31");
    assert_int_member(task, "progress", 0);
    assert_null_member(task, "completed_on");
    assert_real_member(task, "weight", 2.0);
    assert_false(tk_bool(task, "is_sample"));
    assert_str(task, "lead_org_name", "Ban Tuyên giáo Thành ủy");
    assert_str(task, "status", "overdue"); /* judged today: Quý I/2021 has passed, nothing reported */
    assert_true(tk_int(task, "days_overdue") > 0);
    {
        json_t *ids = tk_arr(task, "coordinator_ids"), *names = tk_arr(task, "coordinator_names");
        assert_int_equal(json_array_size(ids), 2);
        assert_int_equal(json_array_size(names), 2);
        /* Listed by organization id, names beside their ids. */
        assert_int_equal(json_integer_value(json_array_get(ids, 0)), s->office);
        assert_int_equal(json_integer_value(json_array_get(ids, 1)), s->d1);
        assert_string_equal(json_string_value(json_array_get(names, 0)), "Văn phòng Thành ủy");
        assert_string_equal(json_string_value(json_array_get(names, 1)), "Đảng bộ Quận 1");
    }
    json_decref(task);

    task = tk_create(srv, "/api/v1/tasks",
                     json_pack("{s:I, s:s, s:I, s:s, s:f, s:[I]}", "program_id", (json_int_t)s->p1, "title",
                               "Xây dựng kế hoạch cụ thể hóa Chương trình hành động của Đảng bộ Quận 1", "lead_org_id",
                               (json_int_t)s->d1, "due", "30/6/2021", "weight", 3.0, "coordinator_ids",
                               (json_int_t)s->board));
    s->t[2] = tk_int(task, "id");
    s->lead[2] = s->d1;
    assert_str(task, "due_first", "2021-06-30");
    assert_str(task, "due_last", "2021-06-30");
    json_decref(task);

    task = tk_create(srv, "/api/v1/tasks",
                     json_pack("{s:I, s:s, s:I, s:s, s:[I,I]}", "program_id", (json_int_t)s->p1, "title",
                               "Tổ chức đối thoại giữa người đứng đầu cấp ủy với nhân dân", "lead_org_id",
                               (json_int_t)s->ward1, "due", "tháng 9/2021", "coordinator_ids", (json_int_t)s->office,
                               (json_int_t)s->d1));
    s->t[3] = tk_int(task, "id");
    s->lead[3] = s->ward1;
    assert_str(task, "due_first", "2021-09-01");
    assert_str(task, "due_last", "2021-09-30");
    assert_real_member(task, "weight", 1.0); /* the default */
    json_decref(task);

    task = tk_create(srv, "/api/v1/tasks",
                     json_pack("{s:I, s:s, s:I, s:s, s:[I]}", "program_id", (json_int_t)s->p1, "title",
                               "Rà soát, kiện toàn tổ chức cơ sở đảng", "lead_org_id", (json_int_t)s->ward3, "due",
                               "6 tháng đầu năm 2021", "coordinator_ids", (json_int_t)s->d3));
    s->t[4] = tk_int(task, "id");
    s->lead[4] = s->ward3;
    assert_str(task, "due_first", "2021-01-01");
    assert_str(task, "due_last", "2021-06-30");
    json_decref(task);

    task = tk_create(srv, "/api/v1/tasks",
                     json_pack("{s:I, s:s, s:I, s:s, s:f}", "program_id", (json_int_t)s->p1, "title",
                               "Theo dõi, tổng hợp, định kỳ báo cáo kết quả thực hiện", "lead_org_id",
                               (json_int_t)s->office, "due", "Thường xuyên", "weight", 0.5));
    s->t[5] = tk_int(task, "id");
    s->lead[5] = s->office;
    assert_str(task, "due_kind", "continuous");
    assert_null_member(task, "due_first");
    assert_null_member(task, "due_last");
    assert_str(task, "status", "in_progress"); /* "Thường xuyên" is never overdue */
    assert_int_member(task, "days_overdue", 0);
    assert_int_equal(json_array_size(tk_arr(task, "coordinator_ids")), 0);
    assert_int_equal(json_array_size(tk_arr(task, "coordinator_names")), 0);
    json_decref(task);

    task = tk_create(srv, "/api/v1/tasks",
                     json_pack("{s:I, s:I, s:s, s:I, s:s}", "program_id", (json_int_t)s->p1, "parent_id",
                               (json_int_t)s->t[4], "title", "Kiểm tra việc học tập Nghị quyết ở các chi bộ trực thuộc",
                               "lead_org_id", (json_int_t)s->d3, "due", "trước ngày 15/5/2021"));
    s->t[6] = tk_int(task, "id");
    s->lead[6] = s->d3;
    assert_int_member(task, "parent_id", s->t[4]);
    assert_str(task, "due_first", "2021-05-15");
    assert_str(task, "due_last", "2021-05-15");
    json_decref(task);

    task = tk_create(srv, "/api/v1/tasks",
                     json_pack("{s:I, s:s, s:I, s:s, s:s}", "document_id", (json_int_t)s->plan, "title",
                               "Tuyên truyền Nghị quyết trên hệ thống truyền thanh phường", "lead_org_id",
                               (json_int_t)s->ward1, "due", "năm 2022", "description",
                               "Phát trên loa truyền thanh của 5 khu phố"));
    s->t[7] = tk_int(task, "id");
    s->lead[7] = s->ward1;
    assert_null_member(task, "program_id");
    assert_int_member(task, "document_id", s->plan);
    assert_str(task, "due_first", "2022-01-01");
    assert_str(task, "due_last", "2022-12-31");
    json_decref(task);

    /* Progress reports. */
    json_t *u = add_update(s, 1, "2021-02-01", 40, "Đã tổ chức hội nghị cán bộ chủ chốt tại 43 điểm cầu");
    assert_int_member(u, "task_id", s->t[1]);
    assert_str(u, "reported_on", "2021-02-01");
    assert_int_member(u, "progress", 40);
    assert_str(u, "narrative", "Đã tổ chức hội nghị cán bộ chủ chốt tại 43 điểm cầu");
    assert_null_member(u, "evidence");
    json_decref(u);
    json_decref(add_update(s, 1, "2021-03-20", 100, NULL));
    json_decref(add_update(s, 2, "2021-05-01", 60, NULL));
    json_decref(add_update(s, 2, "2021-07-15", 100, "Hoàn thành muộn"));
    json_decref(add_update(s, 5, "2021-06-30", 50, NULL));
    json_decref(add_update(s, 6, "2021-05-10", 100, NULL));
    u = add_update(s, 7, NULL, 10, NULL); /* reported_on defaults to today */
    assert_str(u, "reported_on", s->today);
    json_decref(u);

    /* The deadline of T3 is extended before it passes. */
    json_t *ext = tk_send_json(srv, "POST",
                               tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/extensions", (long long)s->t[3]),
                               json_pack("{s:s, s:s, s:s, s:s}", "new_due", "Quý IV/2021", "reason",
                                         "Chờ hướng dẫn của Ban Dân vận Thành ủy", "approved_by",
                                         "Thường trực Quận ủy Quận 1", "decided_on", "2021-09-20"),
                               201);
    assert_int_member(ext, "task_id", s->t[3]);
    assert_str(ext, "old_due_text", "tháng 9/2021");
    assert_str(ext, "old_due_last", "2021-09-30");
    assert_str(ext, "new_due", "Quý IV/2021");
    assert_str(ext, "new_due_last", "2021-12-31");
    assert_str(ext, "reason", "Chờ hướng dẫn của Ban Dân vận Thành ủy");
    assert_str(ext, "approved_by", "Thường trực Quận ủy Quận 1");
    assert_str(ext, "decided_on", "2021-09-20");
    json_t *exts = tk_get(srv, "/api/v1/tasks/%lld/extensions", (long long)s->t[3]);
    assert_int_equal(json_array_size(tk_arr(exts, "items")), 1);
    assert_true(json_equal(json_array_get(tk_arr(exts, "items"), 0), ext));
    json_decref(exts);
    json_decref(ext);
    json_decref(add_update(s, 3, "2021-10-05", 30, NULL));

    /* An indicator of the resolution, its targets at milestone years and its values. */
    json_t *ind = tk_create(srv, "/api/v1/indicators",
                            json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "document_id", (json_int_t)s->resolution,
                                      "organization_id", (json_int_t)s->city, "group_name", "Nhóm chỉ tiêu về kinh tế",
                                      "code", "KT-01", "name", "Tốc độ tăng trưởng GRDP bình quân", "unit", "%",
                                      "aggregation", "none"));
    s->indicator = tk_int(ind, "id");
    assert_str(ind, "aggregation", "none");
    assert_str(ind, "direction", "increase");
    assert_int_equal(json_array_size(tk_arr(ind, "targets")), 0);
    assert_null_member(ind, "latest_value");
    json_decref(ind);
    ind = tk_create(srv, "/api/v1/indicators",
                    json_pack("{s:I, s:s, s:s}", "document_id", (json_int_t)s->resolution, "name",
                              "Tỷ lệ lao động qua đào tạo có bằng cấp, chứng chỉ", "unit", "%"));
    s->indicator2 = tk_int(ind, "id");
    assert_str(ind, "aggregation", "last"); /* the default */
    json_decref(ind);
    json_t *target = tk_create(srv, "/api/v1/indicator-targets",
                               json_pack("{s:I, s:i, s:f, s:s}", "indicator_id", (json_int_t)s->indicator, "year", 2030,
                                         "value", 8.5, "text", "khoảng 8,5%"));
    assert_int_member(target, "year", 2030);
    assert_real_member(target, "value", 8.5);
    json_decref(target);
    json_decref(tk_create(srv, "/api/v1/indicator-targets",
                          json_pack("{s:I, s:i, s:f, s:s}", "indicator_id", (json_int_t)s->indicator, "year", 2025,
                                    "value", 8.0, "text", "8 - 8,5%")));
    json_t *value = tk_create(srv, "/api/v1/indicator-values",
                              json_pack("{s:I, s:I, s:s, s:f, s:b, s:s}", "indicator_id", (json_int_t)s->indicator,
                                        "organization_id", (json_int_t)s->city, "on_date", "2021-12-31", "value", 5.8,
                                        "is_estimate", 1, "note", "ước tăng 5,8%"));
    assert_true(tk_bool(value, "is_estimate"));
    assert_real_member(value, "value", 5.8);
    json_decref(value);
    value = tk_create(srv, "/api/v1/indicator-values",
                      json_pack("{s:I, s:s, s:f}", "indicator_id", (json_int_t)s->indicator, "on_date", "2022-12-31",
                                "value", 9.03));
    assert_false(tk_bool(value, "is_estimate")); /* the default */
    json_decref(value);

    s->built = true;
}

/* ---- reading it back ---- */

static void test_organizations_keep_history(void **state)
{
    scenario *s = need(state);
    json_t *o = tk_get(s->srv, "/api/v1/organizations/%lld", (long long)s->city);
    assert_null_member(o, "parent_id");
    assert_str(o, "short_name", "Thành ủy");
    assert_str(o, "code", "000.00.00.H29");
    assert_str(o, "valid_from", "1930-02-03");
    assert_null_member(o, "valid_to");
    assert_null_member(o, "successor_id");
    assert_true(tk_bool(o, "active"));
    json_decref(o);

    o = tk_get(s->srv, "/api/v1/organizations/%lld", (long long)s->ward1);
    assert_int_member(o, "parent_id", s->d1);
    assert_true(tk_bool(o, "active"));
    json_decref(o);

    /* A unit closed in the past is kept, inactive, pointing at its successor. */
    o = tk_get(s->srv, "/api/v1/organizations/%lld", (long long)s->d2);
    assert_str(o, "valid_to", "2020-12-31");
    assert_false(tk_bool(o, "active"));
    assert_int_member(o, "successor_id", s->thu_duc);
    json_decref(o);

    json_t *list = tk_get(s->srv, "/api/v1/organizations?parent_id=null");
    int64_t roots[] = {s->city};
    assert_ids(list, roots, 1, "organizations?parent_id=null");
    json_decref(list);

    list = tk_get(s->srv, "/api/v1/organizations?parent_id=%lld", (long long)s->city);
    int64_t children[] = {s->board, s->office, s->d1, s->d3, s->d2, s->thu_duc};
    assert_ids(list, children, 6, "organizations?parent_id=city");
    json_decref(list);

    list = tk_get(s->srv, "/api/v1/organizations?kind=base_organization");
    int64_t wards[] = {s->ward1, s->ward3};
    assert_ids(list, wards, 2, "organizations?kind=base_organization");
    json_decref(list);

    list = tk_get(s->srv, "/api/v1/organizations?kind=party_organization&parent_id=%lld", (long long)s->city);
    int64_t districts[] = {s->d1, s->d3, s->d2, s->thu_duc};
    assert_ids(list, districts, 4, "organizations?kind=party_organization&parent_id=city");
    json_decref(list);

    list = tk_get(s->srv, "/api/v1/organizations?parent_id=%lld", (long long)s->ward1);
    assert_ids(list, NULL, 0, "organizations?parent_id=ward");
    json_decref(list);
}

static void test_terms_documents_and_items(void **state)
{
    scenario *s = need(state);
    json_t *term = tk_get(s->srv, "/api/v1/terms/%lld", (long long)s->term);
    assert_str(term, "roman", "XI");
    assert_str(term, "name", "Nhiệm kỳ 2020 - 2025");
    json_decref(term);
    json_t *list = tk_get(s->srv, "/api/v1/terms?organization_id=%lld", (long long)s->city);
    int64_t terms[] = {s->term};
    assert_ids(list, terms, 1, "terms?organization_id=city");
    json_decref(list);

    /* cụ thể hóa: resolution <- action program <- district plan */
    list = tk_get(s->srv, "/api/v1/documents?implements_id=%lld", (long long)s->resolution);
    int64_t implementing[] = {s->action};
    assert_ids(list, implementing, 1, "documents?implements_id=resolution");
    json_decref(list);
    list = tk_get(s->srv, "/api/v1/documents?implements_id=%lld", (long long)s->action);
    int64_t plans[] = {s->plan};
    assert_ids(list, plans, 1, "documents?implements_id=action program");
    json_decref(list);
    list = tk_get(s->srv, "/api/v1/documents?implements_id=null");
    int64_t tops[] = {s->resolution};
    assert_ids(list, tops, 1, "documents?implements_id=null");
    json_decref(list);
    list = tk_get(s->srv, "/api/v1/documents?kind=plan");
    assert_ids(list, plans, 1, "documents?kind=plan");
    json_decref(list);
    list = tk_get(s->srv, "/api/v1/documents?term_id=%lld", (long long)s->term);
    int64_t of_term[] = {s->resolution, s->action};
    assert_ids(list, of_term, 2, "documents?term_id=term");
    json_decref(list);
    /* Search covers the number and the title, without diacritics or case. */
    list = tk_get(s->srv, "/api/v1/documents?q=01-ctr%%2Ftu");
    assert_ids(list, implementing, 1, "documents?q=01-ctr/tu");
    json_decref(list);
    list = tk_get(s->srv, "/api/v1/documents?q=KE%%20HOACH%%20CUA%%20BAN%%20THUONG%%20VU");
    assert_ids(list, plans, 1, "documents?q=KE HOACH CUA BAN THUONG VU");
    json_decref(list);

    list = tk_get(s->srv, "/api/v1/document-items?document_id=%lld", (long long)s->resolution);
    int64_t items[] = {s->goal_item, s->breakthrough_item};
    assert_ids(list, items, 2, "document-items?document_id=resolution");
    json_decref(list);
    list = tk_get(s->srv, "/api/v1/document-items?kind=breakthrough");
    int64_t breakthroughs[] = {s->breakthrough_item};
    assert_ids(list, breakthroughs, 1, "document-items?kind=breakthrough");
    json_decref(list);
}

static void test_program_progress_is_the_weighted_mean_of_its_tasks(void **state)
{
    scenario *s = need(state);
    /* T1 w2 100%, T2 w3 100%, T3 w1 30%, T4 w1 0%, T5 w0.5 50%, T6 w1 100%:
     * (200 + 300 + 30 + 0 + 25 + 100) / 8.5 = 77.06 -> 77.1 (the plain mean would be 80). */
    json_t *p = tk_get(s->srv, "/api/v1/programs/%lld", (long long)s->p1);
    assert_int_member(p, "task_count", 6);
    assert_real_member(p, "progress", 77.1);
    assert_str(p, "number", "01");
    assert_int_member(p, "lead_org_id", s->board);
    assert_str(p, "steering_committee", "Ban Chỉ đạo do Phó Bí thư Thường trực làm Trưởng ban");
    assert_null_member(p, "continues_id");
    /* The sums behind the mean are the service's own, not part of the object. */
    assert_null(json_object_get(p, "weight_sum"));
    assert_null(json_object_get(p, "weighted_progress"));
    json_decref(p);

    p = tk_get(s->srv, "/api/v1/programs/%lld", (long long)s->p2);
    assert_int_member(p, "task_count", 0);
    assert_real_member(p, "progress", 0.0);
    assert_str(p, "period_first", "2021-01-01");
    assert_str(p, "period_last", "2025-12-31");
    json_decref(p);

    json_t *list = tk_get(s->srv, "/api/v1/programs?document_id=%lld", (long long)s->action);
    int64_t programs[] = {s->p1, s->p2};
    assert_ids(list, programs, 2, "programs?document_id=action program");
    json_decref(list);
}

static void test_indicator_shows_targets_and_latest_value(void **state)
{
    scenario *s = need(state);
    json_t *ind = tk_get(s->srv, "/api/v1/indicators/%lld", (long long)s->indicator);
    json_t *targets = tk_arr(ind, "targets");
    assert_int_equal(json_array_size(targets), 2);
    /* By milestone year. */
    assert_int_member(json_array_get(targets, 0), "year", 2025);
    assert_real_member(json_array_get(targets, 0), "value", 8.0);
    assert_str(json_array_get(targets, 0), "text", "8 - 8,5%");
    assert_int_member(json_array_get(targets, 1), "year", 2030);
    assert_real_member(json_array_get(targets, 1), "value", 8.5);
    json_t *latest = tk_obj(ind, "latest_value");
    assert_str(latest, "on_date", "2022-12-31");
    assert_real_member(latest, "value", 9.03);
    assert_false(tk_bool(latest, "is_estimate"));
    assert_str(ind, "group_name", "Nhóm chỉ tiêu về kinh tế");
    assert_str(ind, "code", "KT-01");
    assert_str(ind, "unit", "%");
    json_decref(ind);

    json_t *list = tk_get(s->srv, "/api/v1/indicators?document_id=%lld", (long long)s->resolution);
    int64_t ids[] = {s->indicator, s->indicator2};
    assert_ids(list, ids, 2, "indicators?document_id=resolution");
    json_decref(list);
    list = tk_get(s->srv, "/api/v1/indicators?aggregation=none");
    assert_ids(list, ids, 1, "indicators?aggregation=none");
    json_decref(list);
    list = tk_get(s->srv, "/api/v1/indicator-values?indicator_id=%lld", (long long)s->indicator);
    assert_int_equal(json_array_size(tk_arr(list, "items")), 2);
    json_decref(list);
}

static void test_task_progress_follows_its_updates(void **state)
{
    scenario *s = need(state);
    /* The updates, oldest first. */
    json_t *list = tk_get(s->srv, "/api/v1/tasks/%lld/updates", (long long)s->t[1]);
    json_t *items = tk_arr(list, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_str(json_array_get(items, 0), "reported_on", "2021-02-01");
    assert_int_member(json_array_get(items, 0), "progress", 40);
    assert_str(json_array_get(items, 1), "reported_on", "2021-03-20");
    assert_int_member(json_array_get(items, 1), "progress", 100);
    json_decref(list);

    /* Reaching 100% sets the completion day; the progress is the latest update's. */
    static const struct {
        int task;
        int progress;
        const char *completed_on; /* NULL: not completed */
    } expected[] = {
        {1, 100, "2021-03-20"}, {2, 100, "2021-07-15"}, {3, 30, NULL}, {4, 0, NULL},
        {5, 50, NULL},          {6, 100, "2021-05-10"}, {7, 10, NULL},
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        json_t *t = tk_get(s->srv, "/api/v1/tasks/%lld", (long long)s->t[expected[i].task]);
        assert_int_member(t, "progress", expected[i].progress);
        if (expected[i].completed_on) assert_str(t, "completed_on", expected[i].completed_on);
        else assert_null_member(t, "completed_on");
        assert_int_member(t, "lead_org_id", s->lead[expected[i].task]);
        json_decref(t);
    }

    list = tk_get(s->srv, "/api/v1/tasks/%lld/updates", (long long)s->t[4]);
    assert_int_equal(json_array_size(tk_arr(list, "items")), 0);
    json_decref(list);
}

static void test_extension_moves_the_deadline_and_keeps_the_old_one(void **state)
{
    scenario *s = need(state);
    json_t *t = tk_get(s->srv, "/api/v1/tasks/%lld", (long long)s->t[3]);
    assert_str(t, "due", "Quý IV/2021");
    assert_str(t, "due_kind", "span");
    assert_str(t, "due_first", "2021-10-01");
    assert_str(t, "due_last", "2021-12-31");
    json_decref(t);
    json_t *list = tk_get(s->srv, "/api/v1/tasks/%lld/extensions", (long long)s->t[3]);
    json_t *e = json_array_get(tk_arr(list, "items"), 0);
    assert_non_null(e);
    assert_str(e, "old_due_text", "tháng 9/2021");
    assert_str(e, "old_due_last", "2021-09-30");
    json_decref(list);
    list = tk_get(s->srv, "/api/v1/tasks/%lld/extensions", (long long)s->t[1]);
    assert_int_equal(json_array_size(tk_arr(list, "items")), 0);
    json_decref(list);
}

/* Every task's status and days overdue, as the list shows them on each day of the table. */
static void test_status_on_several_days(void **state)
{
    scenario *s = need(state);
    for (size_t d = 0; d < sizeof days / sizeof days[0]; d++) {
        json_t *list = tk_get(s->srv, "/api/v1/tasks?org=%lld&on=%s&per_page=200", (long long)s->city,
                              day_text(s, days[d]));
        assert_str(list, "on", day_text(s, days[d]));
        assert_false(tk_bool(list, "has_more"));
        json_t *items = tk_arr(list, "items");
        assert_int_equal(json_array_size(items), NTASKS);
        for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
            if (strcmp(statuses[i].on, days[d]) != 0) continue;
            json_t *t = find_item(items, s->t[statuses[i].task]);
            if (!t) fail_msg("T%d is missing from the list on %s", statuses[i].task, days[d]);
            const char *got = tk_str(t, "status");
            if (strcmp(got, status_names[statuses[i].status]) != 0)
                fail_msg("T%d on %s: status %s, expected %s", statuses[i].task, days[d], got,
                         status_names[statuses[i].status]);
            if (statuses[i].days_overdue >= 0 && tk_int(t, "days_overdue") != statuses[i].days_overdue)
                fail_msg("T%d on %s: days_overdue %lld, expected %d", statuses[i].task, days[d],
                         (long long)tk_int(t, "days_overdue"), statuses[i].days_overdue);
        }
        json_decref(list);
    }

    /* Without ?on the day is today: the list says so, and a single task shows the same. */
    json_t *list = tk_get(s->srv, "/api/v1/tasks?org=%lld&per_page=200", (long long)s->city);
    assert_str(list, "on", s->today);
    json_t *t = tk_get(s->srv, "/api/v1/tasks/%lld", (long long)s->t[7]);
    json_t *in_list = find_item(tk_arr(list, "items"), s->t[7]);
    assert_non_null(in_list);
    assert_true(json_equal(t, in_list));
    assert_str(t, "status", "overdue"); /* năm 2022 has passed at 10% */
    json_decref(t);
    json_decref(list);
}

/* The organizations whose subtrees are checked, and which leads each subtree holds. */
static bool in_subtree(const scenario *s, int64_t root, int64_t lead)
{
    if (root == s->city || root == lead) return true;
    if (root == s->d1) return lead == s->ward1;
    if (root == s->d3) return lead == s->ward3;
    return false;
}

static int expected_status(const char *on, int task)
{
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (strcmp(statuses[i].on, on) == 0 && statuses[i].task == task) return statuses[i].status;
    fail_msg("no expected status for T%d on %s", task, on);
    return -1;
}

/* The dashboard counts from the roll-up tables; the list filters tasks in SQL; the scorecard
 * reads the roll-ups again. All three must agree with each other and with the table above. */
static void test_dashboard_counts_equal_the_filtered_lists(void **state)
{
    scenario *s = need(state);
    const int64_t roots[] = {s->city, s->d1, s->d3, s->ward1, s->board, s->office, s->thu_duc};
    for (size_t r = 0; r < sizeof roots / sizeof roots[0]; r++) {
        for (size_t d = 0; d < sizeof days / sizeof days[0]; d++) {
            int expected[NSTATUS] = {0}, own[NSTATUS] = {0};
            int expected_total = 0, own_total = 0;
            for (int k = 1; k <= NTASKS; k++) {
                if (!in_subtree(s, roots[r], s->lead[k])) continue;
                expected[expected_status(days[d], k)]++;
                expected_total++;
                if (s->lead[k] == roots[r]) {
                    own[expected_status(days[d], k)]++;
                    own_total++;
                }
            }
            const char *on = day_text(s, days[d]);
            json_t *dash = tk_get(s->srv, "/api/v1/dashboard?org=%lld&on=%s", (long long)roots[r], on);
            json_t *card = tk_get(s->srv, "/api/v1/organizations/%lld/scorecard?on=%s", (long long)roots[r], on);
            json_t *counts = tk_obj(dash, "counts");
            assert_str(dash, "on", on);
            assert_int_member(card, "org_id", roots[r]);
            assert_str(card, "on", on);
            int listed_total = 0;
            for (int st = 0; st < NSTATUS; st++) {
                json_t *list = tk_get(s->srv, "/api/v1/tasks?org=%lld&status=%s&on=%s&per_page=200",
                                      (long long)roots[r], status_names[st], on);
                json_t *items = tk_arr(list, "items");
                int listed = (int)json_array_size(items);
                size_t i;
                json_t *v;
                json_array_foreach(items, i, v) {
                    if (strcmp(tk_str(v, "status"), status_names[st]) != 0)
                        fail_msg("org %lld on %s: ?status=%s lists task %lld whose status is %s", (long long)roots[r],
                                 on, status_names[st], (long long)tk_int(v, "id"), tk_str(v, "status"));
                }
                int64_t dashboard = tk_int(counts, status_names[st]);
                int64_t subtree = tk_int(tk_obj(card, "subtree"), status_names[st]);
                int64_t mine = tk_int(tk_obj(card, "own"), status_names[st]);
                if (dashboard != listed || dashboard != expected[st] || subtree != expected[st])
                    fail_msg("org %lld on %s, %s: dashboard %lld, list %d, scorecard subtree %lld, expected %d",
                             (long long)roots[r], on, status_names[st], (long long)dashboard, listed,
                             (long long)subtree, expected[st]);
                if (mine != own[st])
                    fail_msg("org %lld on %s, %s: scorecard own %lld, expected %d", (long long)roots[r], on,
                             status_names[st], (long long)mine, own[st]);
                listed_total += listed;
                json_decref(list);
            }
            assert_int_equal(tk_int(counts, "total"), expected_total);
            assert_int_equal(listed_total, expected_total);
            assert_int_equal(tk_int(tk_obj(card, "subtree"), "total"), expected_total);
            assert_int_equal(tk_int(tk_obj(card, "own"), "total"), own_total);
            json_decref(dash);
            json_decref(card);
        }
    }
}

static void test_dashboard_lists_overdue_and_due_soon(void **state)
{
    scenario *s = need(state);
    tk_test_server *srv = s->srv;

    /* On 30/6/2021 T2 and T4 fall due that very day: due soon, nothing overdue yet. */
    json_t *dash = tk_get(srv, "/api/v1/dashboard?org=%lld&on=%s", (long long)s->city, D2);
    json_t *org_obj = tk_get(srv, "/api/v1/organizations/%lld", (long long)s->city);
    assert_true(json_equal(tk_obj(dash, "organization"), org_obj));
    json_decref(org_obj);
    json_t *wrap = json_pack("{s:O}", "items", tk_arr(dash, "due_soon"));
    assert_tasks(s, wrap, true, "due_soon on 30/6/2021", TASKS(2, 4));
    json_decref(wrap);
    assert_int_equal(json_array_size(tk_arr(dash, "overdue")), 0);
    assert_int_equal(json_array_size(tk_arr(dash, "units_by_overdue")), 0);
    /* The programs of the subtree's documents, as GET /programs/{id} shows them. */
    json_t *programs = tk_arr(dash, "programs");
    assert_int_equal(json_array_size(programs), 2);
    for (size_t i = 0; i < json_array_size(programs); i++) {
        json_t *p = json_array_get(programs, i);
        json_t *alone = tk_get(srv, "/api/v1/programs/%lld", (long long)tk_int(p, "id"));
        assert_true(json_equal(p, alone));
        json_decref(alone);
    }
    json_decref(dash);

    /* On 10/7/2021 both are overdue by 10 days, each unit one task. */
    dash = tk_get(srv, "/api/v1/dashboard?org=%lld&on=%s", (long long)s->city, D3);
    wrap = json_pack("{s:O}", "items", tk_arr(dash, "overdue"));
    assert_tasks(s, wrap, true, "overdue on 10/7/2021", TASKS(2, 4));
    json_decref(wrap);
    for (size_t i = 0; i < json_array_size(tk_arr(dash, "overdue")); i++) {
        json_t *t = json_array_get(tk_arr(dash, "overdue"), i);
        assert_str(t, "status", "overdue");
        assert_int_member(t, "days_overdue", 10);
    }
    assert_int_equal(json_array_size(tk_arr(dash, "due_soon")), 0);
    json_t *units = tk_arr(dash, "units_by_overdue");
    assert_int_equal(json_array_size(units), 2);
    for (size_t i = 0; i < json_array_size(units); i++) {
        json_t *u = json_array_get(units, i);
        int64_t id = tk_int(u, "org_id");
        assert_true(id == s->d1 || id == s->ward3);
        assert_str(u, "name", id == s->d1 ? "Đảng bộ Quận 1" : "Đảng bộ Phường Võ Thị Sáu");
        assert_int_member(u, "overdue", 1);
    }
    assert_true(tk_int(json_array_get(units, 0), "org_id") != tk_int(json_array_get(units, 1), "org_id"));
    json_decref(dash);

    /* On 10/1/2022 in the subtree of Quận 1 only T3 (extended to Quý IV/2021) is overdue. */
    dash = tk_get(srv, "/api/v1/dashboard?org=%lld&on=%s", (long long)s->d1, D5);
    wrap = json_pack("{s:O}", "items", tk_arr(dash, "overdue"));
    assert_tasks(s, wrap, true, "overdue in Quận 1 on 10/1/2022", TASKS(3));
    json_decref(wrap);
    units = tk_arr(dash, "units_by_overdue");
    assert_int_equal(json_array_size(units), 1);
    assert_int_member(json_array_get(units, 0), "org_id", s->ward1);
    assert_int_member(json_array_get(units, 0), "overdue", 1);
    assert_int_equal(json_array_size(tk_arr(dash, "programs")), 0); /* Quận 1 issued no program */
    json_decref(dash);

    /* Without ?on the day is today: T4, T3 and T7 are overdue, by deadline; nothing falls due. */
    dash = tk_get(srv, "/api/v1/dashboard?org=%lld", (long long)s->city);
    assert_str(dash, "on", s->today);
    wrap = json_pack("{s:O}", "items", tk_arr(dash, "overdue"));
    assert_tasks(s, wrap, true, "overdue today", TASKS(4, 3, 7));
    json_decref(wrap);
    assert_int_equal(json_array_size(tk_arr(dash, "due_soon")), 0);
    assert_int_member(tk_obj(dash, "counts"), "overdue", 3);
    json_decref(dash);

    /* Units ranked by overdue tasks: on 10/1/2022 the whole city has T3 (ward 1) and T4 (ward 3). */
    dash = tk_get(srv, "/api/v1/dashboard?org=%lld&on=%s", (long long)s->city, D5);
    units = tk_arr(dash, "units_by_overdue");
    assert_int_equal(json_array_size(units), 2);
    for (size_t i = 0; i < json_array_size(units); i++) {
        int64_t id = tk_int(json_array_get(units, i), "org_id");
        assert_true(id == s->ward1 || id == s->ward3);
    }
    wrap = json_pack("{s:O}", "items", tk_arr(dash, "overdue"));
    assert_tasks(s, wrap, true, "overdue in the city on 10/1/2022 (by deadline)", TASKS(4, 3));
    json_decref(wrap);
    json_decref(dash);
}

static void test_subtree_filter_excludes_sibling_units(void **state)
{
    scenario *s = need(state);
    json_t *list = tk_get(s->srv, "/api/v1/tasks?org=%lld&per_page=200", (long long)s->d1);
    assert_tasks(s, list, false, "tasks?org=Quận 1", TASKS(2, 3, 7));
    json_decref(list);
    list = tk_get(s->srv, "/api/v1/tasks?org=%lld&per_page=200", (long long)s->d3);
    assert_tasks(s, list, false, "tasks?org=Quận 3", TASKS(4, 6));
    json_decref(list);
    list = tk_get(s->srv, "/api/v1/tasks?org=%lld&per_page=200", (long long)s->ward1);
    assert_tasks(s, list, false, "tasks?org=Phường Bến Nghé", TASKS(3, 7));
    json_decref(list);
    list = tk_get(s->srv, "/api/v1/tasks?org=%lld&per_page=200", (long long)s->thu_duc);
    assert_ids(list, NULL, 0, "tasks?org=Thủ Đức");
    json_decref(list);
    /* Coordinating is not leading: Văn phòng coordinates T1 and T3 but leads only T5. */
    list = tk_get(s->srv, "/api/v1/tasks?org=%lld&per_page=200", (long long)s->office);
    assert_tasks(s, list, false, "tasks?org=Văn phòng", TASKS(5));
    json_decref(list);
}

static void test_exact_filters(void **state)
{
    scenario *s = need(state);
    tk_test_server *srv = s->srv;
    json_t *list = tk_get(srv, "/api/v1/tasks?lead_org_id=%lld", (long long)s->d1);
    assert_tasks(s, list, false, "tasks?lead_org_id=Quận 1", TASKS(2));
    json_decref(list);
    list = tk_get(srv, "/api/v1/tasks?lead_org_id=%lld", (long long)s->ward1);
    assert_tasks(s, list, false, "tasks?lead_org_id=Bến Nghé", TASKS(3, 7));
    json_decref(list);
    list = tk_get(srv, "/api/v1/tasks?program_id=%lld", (long long)s->p1);
    assert_tasks(s, list, false, "tasks?program_id=P1", TASKS(1, 2, 3, 4, 5, 6));
    json_decref(list);
    list = tk_get(srv, "/api/v1/tasks?program_id=%lld", (long long)s->p2);
    assert_ids(list, NULL, 0, "tasks?program_id=P2");
    json_decref(list);
    list = tk_get(srv, "/api/v1/tasks?document_id=%lld", (long long)s->plan);
    assert_tasks(s, list, false, "tasks?document_id=plan", TASKS(7));
    json_decref(list);
    list = tk_get(srv, "/api/v1/tasks?parent_id=%lld", (long long)s->t[4]);
    assert_tasks(s, list, false, "tasks?parent_id=T4", TASKS(6));
    json_decref(list);
    list = tk_get(srv, "/api/v1/tasks?due_from=2021-06-01&due_to=2021-06-30");
    assert_tasks(s, list, false, "tasks?due_from=2021-06-01&due_to=2021-06-30", TASKS(2, 4));
    json_decref(list);
    list = tk_get(srv, "/api/v1/tasks?due_from=2021-12-31");
    assert_tasks(s, list, false, "tasks?due_from=2021-12-31 (continuous tasks have no deadline)", TASKS(3, 7));
    json_decref(list);
    list = tk_get(srv, "/api/v1/tasks?org=%lld&status=overdue&on=%s", (long long)s->d1, D5);
    assert_tasks(s, list, false, "tasks?org=Quận 1&status=overdue on 10/1/2022", TASKS(3));
    json_decref(list);
    list = tk_get(srv, "/api/v1/tasks?program_id=%lld&lead_org_id=%lld&status=done_on_time&on=%s", (long long)s->p1,
                  (long long)s->board, D4);
    assert_tasks(s, list, false, "tasks?program_id&lead_org_id&status", TASKS(1));
    json_decref(list);
}

/* Every collection filters on its reference fields with "null" for "none" (as
 * ?parent_id=null does for organizations): top-level tasks are those without a parent. */
static void test_parent_id_null_lists_top_level_tasks(void **state)
{
    scenario *s = need(state);
    json_t *list = NULL;
    long status = tk_http(s->srv, "GET", "/api/v1/tasks?parent_id=null&per_page=200", NULL, 0, &list);
    if (status != 200) {
        char *text = list ? json_dumps(list, JSON_COMPACT) : NULL;
        fprintf(stderr, "GET /api/v1/tasks?parent_id=null -> %ld %s\n", status, text ? text : "");
        free(text);
        json_decref(list);
        fail_msg("GET /tasks?parent_id=null should list the tasks without a parent");
    }
    assert_tasks(s, list, false, "tasks?parent_id=null", TASKS(1, 2, 3, 4, 5, 7));
    json_decref(list);
    status = tk_http(s->srv, "GET", "/api/v1/tasks?program_id=null", NULL, 0, &list);
    assert_int_equal(status, 200);
    assert_tasks(s, list, false, "tasks?program_id=null", TASKS(7));
    json_decref(list);
}

static void search(const scenario *s, const char *path_prefix, const char *q, const char *what, const int *numbers,
                   size_t n)
{
    char escaped[512], path[1024];
    tk_query_escape(q, escaped, sizeof escaped);
    /* path_prefix ends with "q="; the text is percent-encoded after it. */
    json_t *list = tk_get(s->srv, "%s", tk_fmt(path, sizeof path, "%s%s", path_prefix, escaped));
    assert_tasks(s, list, false, what, numbers, n);
    json_decref(list);
}

static void test_search_ignores_case_and_diacritics(void **state)
{
    scenario *s = need(state);
    const char *tasks = "/api/v1/tasks?per_page=200&q=";
    search(s, tasks, "Đảng viên", "q=Đảng viên", TASKS(1));
    search(s, tasks, "dang vien", "q=dang vien (no diacritics)", TASKS(1));
    search(s, tasks, "ĐẢNG VIÊN", "q=ĐẢNG VIÊN (capitals)", TASKS(1));
    search(s, tasks, "DANG VIEN", "q=DANG VIEN", TASKS(1));
    /* "Đảng viên" typed with combining marks (NFD): a + U+0309, e + U+0302. */
    search(s, tasks, "\xC4\x90" "a\xCC\x89" "ng vie\xCC\x82" "n", "q=Đảng viên in NFD", TASKS(1));
    search(s, tasks, "doi thoai", "q=doi thoai", TASKS(3));
    search(s, tasks, "ĐỐI THOẠI", "q=ĐỐI THOẠI", TASKS(3));
    search(s, tasks, "nghi quyet", "q=nghi quyet", TASKS(1, 6, 7));
    search(s, tasks, "  Nghị   Quyết ", "q with runs of spaces", TASKS(1, 6, 7));
    /* Responsible person and expected output are searched too. */
    search(s, tasks, "truong ban tuyen giao", "q=responsible person", TASKS(1));
    search(s, tasks, "bao cao ket qua hoc tap", "q=output", TASKS(1));
    /* Words shorter than three letters. */
    search(s, tasks, "XI", "q=XI", TASKS(1));
    search(s, tasks, "xi", "q=xi", TASKS(1));
    search(s, tasks, "khong co nhiem vu nay", "q that matches nothing", NULL, 0);
    /* Combined with the subtree filter. */
    char path[128];
    search(s, tk_fmt(path, sizeof path, "/api/v1/tasks?org=%lld&q=", (long long)s->d3), "nghị quyết",
           "q=nghị quyết within Quận 3", TASKS(6));

    /* The same for organizations (name and short name). */
    char escaped[256];
    json_t *list = tk_get(s->srv, "/api/v1/organizations?q=%s", tk_query_escape("dang bo quan", escaped, sizeof escaped));
    int64_t districts[] = {s->d1, s->d3, s->d2};
    assert_id_set(list, districts, 3, "organizations?q=dang bo quan");
    json_decref(list);
    list = tk_get(s->srv, "/api/v1/organizations?q=%s", tk_query_escape("ĐẢNG BỘ THÀNH PHỐ", escaped, sizeof escaped));
    int64_t cities[] = {s->city, s->thu_duc};
    assert_id_set(list, cities, 2, "organizations?q=ĐẢNG BỘ THÀNH PHỐ");
    json_decref(list);
    list = tk_get(s->srv, "/api/v1/organizations?q=%s", tk_query_escape("thanh uy", escaped, sizeof escaped));
    int64_t named[] = {s->city, s->board, s->office}; /* short name "Thành ủy", names "... Thành ủy" */
    assert_id_set(list, named, 3, "organizations?q=thanh uy");
    json_decref(list);
}

static void test_pagination_has_more(void **state)
{
    scenario *s = need(state);
    tk_test_server *srv = s->srv;
    json_t *page = tk_get(srv, "/api/v1/tasks?org=%lld&sort=id&per_page=3&page=1", (long long)s->city);
    assert_tasks(s, page, true, "page 1 of 3", TASKS(1, 2, 3));
    assert_true(tk_bool(page, "has_more"));
    assert_int_member(page, "page", 1);
    assert_int_member(page, "per_page", 3);
    json_decref(page);
    page = tk_get(srv, "/api/v1/tasks?org=%lld&sort=id&per_page=3&page=2", (long long)s->city);
    assert_tasks(s, page, true, "page 2 of 3", TASKS(4, 5, 6));
    assert_true(tk_bool(page, "has_more"));
    assert_int_member(page, "page", 2);
    json_decref(page);
    page = tk_get(srv, "/api/v1/tasks?org=%lld&sort=id&per_page=3&page=3", (long long)s->city);
    assert_tasks(s, page, true, "page 3 of 3", TASKS(7));
    assert_false(tk_bool(page, "has_more"));
    json_decref(page);
    page = tk_get(srv, "/api/v1/tasks?org=%lld&sort=id&per_page=3&page=4", (long long)s->city);
    assert_ids(page, NULL, 0, "page 4 of 3");
    assert_false(tk_bool(page, "has_more"));
    json_decref(page);
    /* Exactly as many as a page holds: no more. */
    page = tk_get(srv, "/api/v1/tasks?org=%lld&sort=id&per_page=7", (long long)s->city);
    assert_int_equal(json_array_size(tk_arr(page, "items")), 7);
    assert_false(tk_bool(page, "has_more"));
    json_decref(page);
    page = tk_get(srv, "/api/v1/tasks?org=%lld&sort=id&per_page=6", (long long)s->city);
    assert_true(tk_bool(page, "has_more"));
    json_decref(page);
    /* The default page size is 50. */
    page = tk_get(srv, "/api/v1/tasks");
    assert_int_member(page, "page", 1);
    assert_int_member(page, "per_page", 50);
    assert_false(tk_bool(page, "has_more"));
    json_decref(page);

    /* The plain collections page the same way (9 organizations, by id). */
    page = tk_get(srv, "/api/v1/organizations?per_page=4&page=1");
    int64_t first[] = {s->city, s->board, s->office, s->d1};
    assert_ids(page, first, 4, "organizations page 1");
    assert_true(tk_bool(page, "has_more"));
    json_decref(page);
    page = tk_get(srv, "/api/v1/organizations?per_page=4&page=2");
    int64_t second[] = {s->ward1, s->d3, s->ward3, s->d2};
    assert_ids(page, second, 4, "organizations page 2");
    assert_true(tk_bool(page, "has_more"));
    json_decref(page);
    page = tk_get(srv, "/api/v1/organizations?per_page=4&page=3");
    int64_t third[] = {s->thu_duc};
    assert_ids(page, third, 1, "organizations page 3");
    assert_false(tk_bool(page, "has_more"));
    json_decref(page);
    page = tk_get(srv, "/api/v1/organizations?per_page=9");
    assert_false(tk_bool(page, "has_more"));
    json_decref(page);
    page = tk_get(srv, "/api/v1/organizations?per_page=200");
    assert_int_member(page, "per_page", 200);
    json_decref(page);
}

static void test_sorting(void **state)
{
    scenario *s = need(state);
    tk_test_server *srv = s->srv;
    /* By deadline (the default), tasks without one ("Thường xuyên") last, ties by id. */
    json_t *list = tk_get(srv, "/api/v1/tasks?org=%lld&sort=due", (long long)s->city);
    assert_tasks(s, list, true, "sort=due", TASKS(1, 6, 2, 4, 3, 7, 5));
    json_decref(list);
    list = tk_get(srv, "/api/v1/tasks?org=%lld", (long long)s->city);
    assert_tasks(s, list, true, "default sort", TASKS(1, 6, 2, 4, 3, 7, 5));
    json_decref(list);
    list = tk_get(srv, "/api/v1/tasks?org=%lld&sort=-due", (long long)s->city);
    assert_tasks(s, list, true, "sort=-due", TASKS(5, 7, 3, 4, 2, 6, 1));
    json_decref(list);
    list = tk_get(srv, "/api/v1/tasks?org=%lld&sort=id", (long long)s->city);
    assert_tasks(s, list, true, "sort=id", TASKS(1, 2, 3, 4, 5, 6, 7));
    json_decref(list);
    list = tk_get(srv, "/api/v1/tasks?org=%lld&sort=-id", (long long)s->city);
    assert_tasks(s, list, true, "sort=-id", TASKS(7, 6, 5, 4, 3, 2, 1));
    json_decref(list);
    /* By title as a person reads it (diacritics ignored): Kiểm, Quán, Rà, Theo, Tổ, Tuyên, Xây. */
    list = tk_get(srv, "/api/v1/tasks?org=%lld&sort=title", (long long)s->city);
    assert_tasks(s, list, true, "sort=title", TASKS(6, 1, 4, 5, 3, 7, 2));
    json_decref(list);
    /* Sorting and paging together. */
    list = tk_get(srv, "/api/v1/tasks?org=%lld&sort=-due&per_page=2&page=2", (long long)s->city);
    assert_tasks(s, list, true, "sort=-due page 2", TASKS(3, 4));
    assert_true(tk_bool(list, "has_more"));
    json_decref(list);
}

static void test_period_reader(void **state)
{
    scenario *s = need(state);
    static const struct {
        const char *text, *kind, *first, *last;
    } rows[] = {
        {"Quý I/2021", "span", "2021-01-01", "2021-03-31"},
        {"6 tháng đầu năm 2021", "span", "2021-01-01", "2021-06-30"},
        {"trước ngày 30/6/2021", "span", "2021-06-30", "2021-06-30"},
        {"giai đoạn 2021 - 2025", "span", "2021-01-01", "2025-12-31"},
        {"Qu\x79\xCC\x81 II/2022", "span", "2022-04-01", "2022-06-30"}, /* "Quý" in NFD */
        {"Thường xuyên", "continuous", NULL, NULL},
        {"Hằng năm", "recurring year", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char escaped[256];
        json_t *p = tk_get(s->srv, "/api/v1/period?text=%s", tk_query_escape(rows[i].text, escaped, sizeof escaped));
        assert_str(p, "text", rows[i].text);
        assert_str(p, "kind", rows[i].kind);
        if (rows[i].first) {
            assert_str(p, "first", rows[i].first);
            assert_str(p, "last", rows[i].last);
        }
        json_decref(p);
    }
}

/* Runs after the tests that read the scenario: it changes it. */
static void test_patch_changes_only_what_is_sent(void **state)
{
    scenario *s = need(state);
    tk_test_server *srv = s->srv;
    char path[128];
    tk_fmt(path, sizeof path, "/api/v1/tasks/%lld", (long long)s->t[7]);
    json_t *before = tk_get(srv, "%s", path);

    json_t *after = tk_send_json(srv, "PATCH", path,
                                 json_pack("{s:s}", "responsible_person", "Bí thư Đảng ủy phường Bến Nghé"), 200);
    assert_str(after, "responsible_person", "Bí thư Đảng ủy phường Bến Nghé");
    const char *key;
    json_t *v;
    json_object_foreach(before, key, v) {
        if (strcmp(key, "responsible_person") == 0 || strcmp(key, "updated_at") == 0) continue;
        if (!json_equal(v, json_object_get(after, key))) fail_msg("PATCH responsible_person changed \"%s\"", key);
    }
    assert_int_equal(json_object_size(after), json_object_size(before));
    json_t *again = tk_get(srv, "%s", path);
    assert_true(json_equal(after, again));
    json_decref(again);
    json_decref(after);
    json_decref(before);
    /* Search follows the change. */
    search(s, "/api/v1/tasks?q=", "bi thu dang uy phuong", "q=new responsible person", TASKS(7));

    /* Coordinators are replaced as a whole, and listed by id with their names. */
    after = tk_send_json(srv, "PATCH", path,
                         json_pack("{s:[I,I]}", "coordinator_ids", (json_int_t)s->d1, (json_int_t)s->board), 200);
    json_t *ids = tk_arr(after, "coordinator_ids"), *names = tk_arr(after, "coordinator_names");
    assert_int_equal(json_array_size(ids), 2);
    assert_int_equal(json_integer_value(json_array_get(ids, 0)), s->board);
    assert_int_equal(json_integer_value(json_array_get(ids, 1)), s->d1);
    assert_string_equal(json_string_value(json_array_get(names, 0)), "Ban Tuyên giáo Thành ủy");
    assert_string_equal(json_string_value(json_array_get(names, 1)), "Đảng bộ Quận 1");
    json_decref(after);
    /* A coordinator that becomes the lead unit stops being a coordinator. */
    after = tk_send_json(srv, "PATCH", path, json_pack("{s:I}", "lead_org_id", (json_int_t)s->d1), 200);
    assert_int_member(after, "lead_org_id", s->d1);
    assert_str(after, "lead_org_name", "Đảng bộ Quận 1");
    ids = tk_arr(after, "coordinator_ids");
    assert_int_equal(json_array_size(ids), 1);
    assert_int_equal(json_integer_value(json_array_get(ids, 0)), s->board);
    json_decref(after);
    /* The subtree counts follow the lead unit: T7 left Bến Nghé for Quận 1 (both under Quận 1). */
    json_t *card = tk_get(srv, "/api/v1/organizations/%lld/scorecard?on=%s", (long long)s->ward1, D1);
    assert_int_equal(tk_int(tk_obj(card, "own"), "total"), 1);
    assert_int_equal(tk_int(tk_obj(card, "subtree"), "total"), 1);
    json_decref(card);
    card = tk_get(srv, "/api/v1/organizations/%lld/scorecard?on=%s", (long long)s->d1, D1);
    assert_int_equal(tk_int(tk_obj(card, "own"), "total"), 2);
    assert_int_equal(tk_int(tk_obj(card, "subtree"), "total"), 3);
    json_decref(card);
    after = tk_send_json(srv, "PATCH", path, json_pack("{s:[]}", "coordinator_ids"), 200);
    assert_int_equal(json_array_size(tk_arr(after, "coordinator_ids")), 0);
    assert_int_equal(json_array_size(tk_arr(after, "coordinator_names")), 0);
    json_decref(after);

    /* A task's weight moves its program's progress. T5 0.5 -> 8.5 (T5 at 50%):
     * (200 + 300 + 30 + 0 + 425 + 100) / 16.5 = 63.94 -> 63.9. */
    after = tk_send_json(srv, "PATCH", tk_fmt(path, sizeof path, "/api/v1/tasks/%lld", (long long)s->t[5]),
                         json_pack("{s:f}", "weight", 8.5), 200);
    assert_real_member(after, "weight", 8.5);
    json_decref(after);
    json_t *p = tk_get(srv, "/api/v1/programs/%lld", (long long)s->p1);
    assert_real_member(p, "progress", 63.9);
    assert_int_member(p, "task_count", 6);
    json_decref(p);

    /* A program's period is read again when its text changes. */
    p = tk_send_json(srv, "PATCH", tk_fmt(path, sizeof path, "/api/v1/programs/%lld", (long long)s->p2),
                     json_pack("{s:s}", "period_text", "giai đoạn 2021 – 2030"), 200);
    assert_str(p, "period_first", "2021-01-01");
    assert_str(p, "period_last", "2030-12-31");
    assert_str(p, "title", "Chương trình cải cách hành chính");
    json_decref(p);

    /* Renaming a unit shows in the tasks it leads and in searches. */
    json_t *o = tk_send_json(srv, "PATCH", tk_fmt(path, sizeof path, "/api/v1/organizations/%lld", (long long)s->ward3),
                             json_pack("{s:s}", "name", "Đảng bộ Phường Xuân Hòa"), 200);
    assert_str(o, "name", "Đảng bộ Phường Xuân Hòa");
    assert_int_member(o, "parent_id", s->d3);
    json_decref(o);
    json_t *t = tk_get(srv, "/api/v1/tasks/%lld", (long long)s->t[4]);
    assert_str(t, "lead_org_name", "Đảng bộ Phường Xuân Hòa");
    json_decref(t);
    char escaped[128];
    json_t *list = tk_get(srv, "/api/v1/organizations?q=%s", tk_query_escape("xuan hoa", escaped, sizeof escaped));
    int64_t renamed[] = {s->ward3};
    assert_ids(list, renamed, 1, "organizations?q=xuan hoa");
    json_decref(list);
}

/* Recurring ("Hằng năm", "Hằng quý", "Hằng tháng") and continuous tasks: judged on the occurrence
 * that holds the day, never overdue. The roll-ups and the SQL filter restate that rule apart, so
 * they are compared day by day. Added under Thủ Đức, whose subtree had no task. */
static void test_recurring_tasks_agree_on_every_day(void **state)
{
    scenario *s = need(state);
    tk_test_server *srv = s->srv;
    static const struct {
        const char *due, *kind, *done_on;
    } tasks[] = {
        {"Hằng năm", "recurring year", "2021-06-10"},
        {"Hằng quý", "recurring quarter", "2021-05-20"},
        {"Hằng tháng", "recurring month", "2021-05-31"},
        {"Thường xuyên", "continuous", "2021-03-01"},
    };
    int64_t ids[4];
    for (int i = 0; i < 4; i++) {
        char title[64], path[128];
        json_t *t = tk_create(srv, "/api/v1/tasks",
                              json_pack("{s:s, s:I, s:s}", "title", tk_fmt(title, sizeof title, "Báo cáo định kỳ %d", i + 1),
                                        "lead_org_id", (json_int_t)s->thu_duc, "due", tasks[i].due));
        assert_str(t, "due_kind", tasks[i].kind);
        assert_null_member(t, "due_first");
        assert_null_member(t, "due_last");
        ids[i] = tk_int(t, "id");
        json_decref(t);
        t = tk_send_json(srv, "POST", tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)ids[i]),
                         json_pack("{s:s, s:i}", "reported_on", tasks[i].done_on, "progress", 100), 201);
        json_decref(t);
        t = tk_get(srv, "/api/v1/tasks/%lld", (long long)ids[i]);
        assert_str(t, "completed_on", tasks[i].done_on);
        json_decref(t);
    }
    /* The status of each (year, quarter, month, continuous) on each day. */
    static const struct {
        const char *on;
        int status[4];
    } rows[] = {
        {"2021-02-01", {IN_PROGRESS, IN_PROGRESS, IN_PROGRESS, IN_PROGRESS}},
        {"2021-03-01", {IN_PROGRESS, IN_PROGRESS, IN_PROGRESS, ON_TIME}},
        {"2021-05-25", {IN_PROGRESS, ON_TIME, IN_PROGRESS, ON_TIME}},
        {"2021-05-31", {IN_PROGRESS, ON_TIME, ON_TIME, ON_TIME}},
        {"2021-06-15", {ON_TIME, ON_TIME, IN_PROGRESS, ON_TIME}},
        {"2021-07-01", {ON_TIME, IN_PROGRESS, IN_PROGRESS, ON_TIME}},
        {"2021-12-31", {ON_TIME, IN_PROGRESS, IN_PROGRESS, ON_TIME}},
        {"2022-01-01", {IN_PROGRESS, IN_PROGRESS, IN_PROGRESS, ON_TIME}},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        int expected[NSTATUS] = {0};
        json_t *all = tk_get(srv, "/api/v1/tasks?org=%lld&on=%s", (long long)s->thu_duc, rows[r].on);
        for (int i = 0; i < 4; i++) {
            expected[rows[r].status[i]]++;
            json_t *t = find_item(tk_arr(all, "items"), ids[i]);
            assert_non_null(t);
            if (strcmp(tk_str(t, "status"), status_names[rows[r].status[i]]) != 0)
                fail_msg("\"%s\" on %s: status %s, expected %s", tasks[i].due, rows[r].on, tk_str(t, "status"),
                         status_names[rows[r].status[i]]);
            assert_int_member(t, "days_overdue", 0);
        }
        json_decref(all);
        /* Thủ Đức's own counts, and the whole city's: dashboard, list and scorecard agree. */
        const int64_t roots[] = {s->thu_duc, s->city};
        for (int k = 0; k < 2; k++) {
            json_t *dash = tk_get(srv, "/api/v1/dashboard?org=%lld&on=%s", (long long)roots[k], rows[r].on);
            json_t *card = tk_get(srv, "/api/v1/organizations/%lld/scorecard?on=%s", (long long)roots[k], rows[r].on);
            for (int st = 0; st < NSTATUS; st++) {
                json_t *list = tk_get(srv, "/api/v1/tasks?org=%lld&status=%s&on=%s&per_page=200", (long long)roots[k],
                                      status_names[st], rows[r].on);
                int64_t listed = (int64_t)json_array_size(tk_arr(list, "items"));
                int64_t counted = tk_int(tk_obj(dash, "counts"), status_names[st]);
                int64_t carded = tk_int(tk_obj(card, "subtree"), status_names[st]);
                json_decref(list);
                if (counted != listed || carded != listed || (k == 0 && listed != expected[st]))
                    fail_msg("org %lld on %s, %s: dashboard %lld, list %lld, scorecard %lld, expected %d",
                             (long long)roots[k], rows[r].on, status_names[st], (long long)counted, (long long)listed,
                             (long long)carded, k == 0 ? expected[st] : -1);
            }
            json_decref(dash);
            json_decref(card);
        }
    }
}

/* sort=title orders by the title as a person reads it; the person responsible and the expected
 * output (searched beside the title) have no say in the order. */
static void test_sort_by_title_compares_titles_only(void **state)
{
    scenario *s = need(state);
    tk_test_server *srv = s->srv;
    int64_t unit = tk_create_id(srv, "/api/v1/organizations",
                                json_pack("{s:s, s:s}", "kind", "office", "name", "Văn phòng Tỉnh ủy Thanh Hóa"));
    /* Created in an order that is not the answer's. */
    int64_t report_results = tk_create_id(
        srv, "/api/v1/tasks",
        json_pack("{s:s, s:I, s:s}", "title", "Báo cáo kết quả", "lead_org_id", (json_int_t)unit, "due", "năm 2021"));
    int64_t report_by_office = tk_create_id(
        srv, "/api/v1/tasks",
        json_pack("{s:s, s:s, s:I, s:s}", "title", "Báo cáo", "responsible_person", "Văn phòng", "lead_org_id",
                  (json_int_t)unit, "due", "năm 2021"));
    int64_t report_with_photos = tk_create_id(
        srv, "/api/v1/tasks",
        json_pack("{s:s, s:s, s:I, s:s}", "title", "Báo cáo", "output", "Ảnh tư liệu", "lead_org_id", (json_int_t)unit,
                  "due", "năm 2021"));
    int64_t plan = tk_create_id(
        srv, "/api/v1/tasks",
        json_pack("{s:s, s:I, s:s}", "title", "Ba chương trình đột phá", "lead_org_id", (json_int_t)unit, "due",
                  "năm 2021"));
    json_t *list = tk_get(srv, "/api/v1/tasks?org=%lld&sort=title", (long long)unit);
    /* "Ba ..." < "Báo cáo" (tie: by id) < "Báo cáo kết quả" */
    int64_t expected[] = {plan, report_by_office, report_with_photos, report_results};
    assert_ids(list, expected, 4, "sort=title");
    json_decref(list);
}

/* Each extension keeps the deadline it replaced; the task is judged by the latest one; a task
 * done cannot be extended. */
static void test_extensions_keep_every_old_deadline(void **state)
{
    scenario *s = need(state);
    tk_test_server *srv = s->srv;
    char path[128];
    int64_t unit = tk_create_id(srv, "/api/v1/organizations",
                                json_pack("{s:s, s:s}", "kind", "department", "name", "Sở Kế hoạch và Đầu tư"));
    int64_t task = tk_create_id(srv, "/api/v1/tasks",
                                json_pack("{s:s, s:I, s:s}", "title", "Xây dựng đề án thu hút đầu tư", "lead_org_id",
                                          (json_int_t)unit, "due", "30/6/2021"));
    tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/extensions", (long long)task);
    json_decref(tk_send_json(srv, "POST", path,
                             json_pack("{s:s, s:s, s:s, s:s}", "new_due", "30/9/2021", "reason", "Chờ ý kiến các sở",
                                       "approved_by", "Chủ tịch UBND", "decided_on", "2021-06-25"),
                             201));
    json_decref(tk_send_json(srv, "POST", path,
                             json_pack("{s:s, s:s, s:s, s:s}", "new_due", "Quý IV/2021", "reason", "Bổ sung số liệu",
                                       "approved_by", "Chủ tịch UBND", "decided_on", "2021-09-28"),
                             201));
    /* Not later than the current deadline (31/12/2021), though later than the first one. */
    json_t *answer = tk_send_json(srv, "POST", path,
                                  json_pack("{s:s, s:s, s:s, s:s}", "new_due", "tháng 11/2021", "reason", "r",
                                            "approved_by", "a", "decided_on", "2021-10-01"),
                                  422);
    tk_assert_error(answer, "invalid_input", "new_due", "an extension to an earlier deadline");
    json_decref(answer);

    json_t *list = tk_get(srv, "%s", path);
    json_t *items = tk_arr(list, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_str(json_array_get(items, 0), "old_due_text", "30/6/2021");
    assert_str(json_array_get(items, 0), "old_due_last", "2021-06-30");
    assert_str(json_array_get(items, 0), "new_due_last", "2021-09-30");
    assert_str(json_array_get(items, 1), "old_due_text", "30/9/2021");
    assert_str(json_array_get(items, 1), "old_due_last", "2021-09-30");
    assert_str(json_array_get(items, 1), "new_due", "Quý IV/2021");
    assert_str(json_array_get(items, 1), "new_due_last", "2021-12-31");
    json_decref(list);

    /* Done on 20/12/2021: on time against the extended deadline. */
    json_decref(tk_send_json(srv, "POST", tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task),
                             json_pack("{s:s, s:i}", "reported_on", "2021-12-20", "progress", 100), 201));
    list = tk_get(srv, "/api/v1/tasks?org=%lld&on=2022-01-10", (long long)unit);
    json_t *t = find_item(tk_arr(list, "items"), task);
    assert_non_null(t);
    assert_str(t, "due", "Quý IV/2021");
    assert_str(t, "due_last", "2021-12-31");
    assert_str(t, "completed_on", "2021-12-20");
    assert_str(t, "status", "done_on_time");
    json_decref(list);
    answer = tk_send_json(srv, "POST", tk_fmt(path, sizeof path, "/api/v1/tasks/%lld/extensions", (long long)task),
                          json_pack("{s:s, s:s, s:s, s:s}", "new_due", "năm 2022", "reason", "r", "approved_by", "a",
                                    "decided_on", "2021-12-25"),
                          409);
    tk_assert_error(answer, "conflict", NULL, "extending a completed task");
    json_decref(answer);
}

/* A day `delta` days from today, YYYY-MM-DD. */
static const char *day_from_today(int delta, char buf[11])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    tm.tm_mday += delta;
    tm.tm_hour = 12; /* away from a daylight-saving change at midnight */
    tm.tm_isdst = -1;
    mktime(&tm);
    if (strftime(buf, 11, "%Y-%m-%d", &tm) != 10) fail_msg("strftime");
    return buf;
}

/* "active": the unit exists today, from its valid_from through its valid_to (both inclusive).
 * A unit set up ahead of its founding day (as the communes of 1/7/2025 were) is not active yet. */
static void test_active_means_in_existence_today(void **state)
{
    scenario *s = need(state);
    static const struct {
        const char *name;
        int from, to; /* days from today; 99: not given */
        bool active;
    } rows[] = {
        {"Đảng bộ xã không ghi ngày", 99, 99, true},
        {"Đảng bộ xã thành lập hôm nay", 0, 99, true},
        {"Đảng bộ xã thành lập hôm qua", -1, 99, true},
        {"Đảng bộ xã giải thể hôm nay", -1000, 0, true},
        {"Đảng bộ xã giải thể hôm qua", -1000, -1, false},
        {"Đảng bộ xã thành lập ngày mai", 1, 99, false},
        {"Đảng bộ xã thành lập năm sau", 365, 99, false},
        {"Đảng bộ xã tồn tại từ ngày mai đến năm sau", 1, 365, false},
    };
    int failures = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        json_t *body = json_pack("{s:s, s:s}", "kind", "commune", "name", rows[i].name);
        char from[11], to[11];
        if (rows[i].from != 99) json_object_set_new(body, "valid_from", json_string(day_from_today(rows[i].from, from)));
        if (rows[i].to != 99) json_object_set_new(body, "valid_to", json_string(day_from_today(rows[i].to, to)));
        json_t *o = tk_create(s->srv, "/api/v1/organizations", body);
        if (tk_bool(o, "active") != rows[i].active) {
            fprintf(stderr, "%s (valid_from %s, valid_to %s): active is %s\n", rows[i].name,
                    json_is_string(json_object_get(o, "valid_from")) ? tk_str(o, "valid_from") : "null",
                    json_is_string(json_object_get(o, "valid_to")) ? tk_str(o, "valid_to") : "null",
                    tk_bool(o, "active") ? "true" : "false");
            failures++;
        }
        json_decref(o);
    }
    if (failures) fail_msg("%d organizations show the wrong \"active\" (listed above)", failures);
}

static int setup(void **state)
{
    scenario *s = calloc(1, sizeof *s);
    if (!s) return -1;
    *state = s; /* before the server starts, so that teardown frees it if the start fails */
    s->srv = tk_test_server_start();
    return 0;
}

static int teardown(void **state)
{
    scenario *s = *state;
    if (!s) return 0;
    *state = NULL;
    tk_test_server *server = s->srv;
    free(s);
    if (server) tk_test_server_stop(server);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_is_recorded_as_sent),
        cmocka_unit_test(test_organizations_keep_history),
        cmocka_unit_test(test_terms_documents_and_items),
        cmocka_unit_test(test_program_progress_is_the_weighted_mean_of_its_tasks),
        cmocka_unit_test(test_indicator_shows_targets_and_latest_value),
        cmocka_unit_test(test_task_progress_follows_its_updates),
        cmocka_unit_test(test_extension_moves_the_deadline_and_keeps_the_old_one),
        cmocka_unit_test(test_status_on_several_days),
        cmocka_unit_test(test_dashboard_counts_equal_the_filtered_lists),
        cmocka_unit_test(test_dashboard_lists_overdue_and_due_soon),
        cmocka_unit_test(test_subtree_filter_excludes_sibling_units),
        cmocka_unit_test(test_exact_filters),
        cmocka_unit_test(test_parent_id_null_lists_top_level_tasks),
        cmocka_unit_test(test_search_ignores_case_and_diacritics),
        cmocka_unit_test(test_pagination_has_more),
        cmocka_unit_test(test_sorting),
        cmocka_unit_test(test_period_reader),
        cmocka_unit_test(test_patch_changes_only_what_is_sent),
        cmocka_unit_test(test_recurring_tasks_agree_on_every_day),
        cmocka_unit_test(test_extensions_keep_every_old_deadline),
        cmocka_unit_test(test_sort_by_title_compares_titles_only),
        cmocka_unit_test(test_active_means_in_existence_today),
    };
    return tk_test_exit(cmocka_run_group_tests(tests, setup, teardown));
}
