/* Indicators: the series rolled up over an organization subtree by the indicator's own rule, the
 * projection to the next milestone and the assessment against its target, the summaries a
 * dashboard shows; then the pages over a real server: they render in Vietnamese with Vietnamese
 * numbers, their forms write values and targets (a target replaced by year) and redirect, and a
 * refused form comes back with the message beside the field, the values as typed, and nothing
 * written.
 *
 * The JSON API has no route for the series and the summaries, so their numbers are checked on the
 * service itself, over a database of its own; everything a person does goes through HTTP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "http/harness.h"
#include "service/auth.h"
#include "service/indicator.h"
#include "service/resource.h"

/* ---- the service, over a database of its own ---- */

typedef struct world {
    tk_db *db;
    tk_ctx ctx;
    /* Hà Nội with two districts; Hồ Chí Minh City with one, a sibling subtree. */
    int64_t hanoi, ba_dinh, hoan_kiem, hcm, quan1;
    int64_t program_doc, hcm_doc;
} world;

static tk_date day(const char *iso)
{
    tk_date d = 0;
    if (!tk_date_parse_iso(iso, &d)) fail_msg("bad date in test: %s", iso);
    return d;
}

static int64_t create(world *w, const tk_resource *res, json_t *body)
{
    tk_error err;
    tk_error_clear(&err);
    json_t *out = NULL;
    if (tk_resource_create(&w->ctx, res, body, &out, &err)) fail_msg("creating %s: %s", res->name, err.message);
    json_decref(body);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    return id;
}

static int64_t org(world *w, const char *name, int64_t parent)
{
    json_t *body = json_pack("{s:s, s:s}", "kind", parent ? "district" : "party_committee", "name", name);
    if (parent) json_object_set_new(body, "parent_id", json_integer(parent));
    return create(w, &tk_res_organization, body);
}

/* An indicator of a document, so its owner is the document's issuer. */
static int64_t indicator(world *w, const char *name, const char *aggregation, const char *direction, int64_t document)
{
    return create(w, &tk_res_indicator,
                  json_pack("{s:s, s:s, s:s, s:I, s:s}", "name", name, "aggregation", aggregation, "direction",
                            direction, "document_id", (json_int_t)document, "unit", "%"));
}

static void value(world *w, int64_t ind, int64_t unit, const char *on, double v, bool estimate)
{
    json_t *body = json_pack("{s:I, s:s, s:f, s:b}", "indicator_id", (json_int_t)ind, "on_date", on, "value", v,
                             "is_estimate", estimate);
    if (unit) json_object_set_new(body, "organization_id", json_integer(unit));
    create(w, &tk_res_indicator_value, body);
}

static void target(world *w, int64_t ind, int year, double v)
{
    tk_error err;
    tk_error_clear(&err);
    json_t *out = NULL, *body = json_pack("{s:i, s:f}", "year", year, "value", v);
    if (tk_indicator_set_target(&w->ctx, ind, body, &out, &err)) fail_msg("target: %s", err.message);
    json_decref(body);
    json_decref(out);
}

static int world_setup(void **state)
{
    world *w = test_calloc(1, sizeof *w);
    tk_error err;
    tk_error_clear(&err);
    if (tk_db_open(":memory:", &w->db, &err)) fail_msg("open: %s", err.message);
    w->ctx = (tk_ctx){.db = w->db, .today = day("2024-06-30")};
    w->hanoi = org(w, "Đảng bộ thành phố Hà Nội", 0);
    w->ba_dinh = org(w, "Quận ủy Ba Đình", w->hanoi);
    w->hoan_kiem = org(w, "Quận ủy Hoàn Kiếm", w->hanoi);
    w->hcm = org(w, "Đảng bộ Thành phố Hồ Chí Minh", 0);
    w->quan1 = org(w, "Quận ủy Quận 1", w->hcm);
    w->program_doc = create(w, &tk_res_document,
                            json_pack("{s:s, s:s, s:s, s:I}", "kind", "action_program", "number", "01-CTr/TU", "title",
                                      "Chương trình hành động", "organization_id", (json_int_t)w->hanoi));
    w->hcm_doc = create(w, &tk_res_document,
                        json_pack("{s:s, s:s, s:I}", "kind", "action_program", "title", "Chương trình hành động TP.HCM",
                                  "organization_id", (json_int_t)w->hcm));
    *state = w;
    return 0;
}

static int world_teardown(void **state)
{
    world *w = *state;
    tk_db_close(w->db);
    test_free(w);
    return 0;
}

/* The series of ind as JSON, with the query's org (0 for none) and on. */
static json_t *series(world *w, int64_t ind, int64_t org_id, const char *on)
{
    json_t *query = json_object();
    char buf[24];
    if (org_id) {
        snprintf(buf, sizeof buf, "%lld", (long long)org_id);
        json_object_set_new(query, "org", json_string(buf));
    }
    if (on) json_object_set_new(query, "on", json_string(on));
    tk_error err;
    tk_error_clear(&err);
    json_t *out = NULL;
    if (tk_indicator_series(&w->ctx, ind, query, &out, &err)) fail_msg("series: %s", err.message);
    json_decref(query);
    return out;
}

static void expect_near(double got, double want, const char *what)
{
    if (!(fabs(got - want) < 1e-9)) fail_msg("%s: got %.12g, want %.12g", what, got, want);
}

/* Requires the series' points to be exactly (day, value) pairs, oldest first. */
static void expect_points(const json_t *s, size_t n, const char *const *days, const double *values, const char *what)
{
    json_t *points = tk_arr(s, "points");
    if (json_array_size(points) != n) fail_msg("%s: %zu points, want %zu", what, json_array_size(points), n);
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(points, i);
        assert_string_equal(tk_str(p, "on_date"), days[i]);
        expect_near(tk_real(p, "value"), values[i], what);
    }
}

static const char *const two_years[] = {"2021-12-31", "2022-12-31"};

/* Ba Đình and Hoàn Kiếm (Hà Nội) and Quận 1 (Hồ Chí Minh City) report the same indicator: Hà Nội's
 * series rolls up its own two districts by the indicator's rule and leaves Quận 1 out. */
static void a_subtree_rolls_up_by_the_indicators_rule(void **state)
{
    world *w = *state;
    static const struct {
        const char *aggregation;
        double hanoi[2], ba_dinh[2], all[2];
    } cases[] = {
        /*                  Hà Nội subtree     Ba Đình only     every unit     */
        {"sum", {30, 50}, {10, 20}, {130, 150}},
        {"mean", {15, 25}, {10, 20}, {130.0 / 3, 50}},
        {"last", {20, 30}, {10, 20}, {100, 100}}, /* entered last: Hoàn Kiếm, then Quận 1 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t ind = indicator(w, cases[i].aggregation, cases[i].aggregation, "increase", w->program_doc);
        value(w, ind, w->ba_dinh, "2021-12-31", 10, false);
        value(w, ind, w->hoan_kiem, "2021-12-31", 20, false);
        value(w, ind, w->quan1, "2021-12-31", 100, false);
        value(w, ind, w->ba_dinh, "2022-12-31", 20, false);
        value(w, ind, w->hoan_kiem, "2022-12-31", 30, true);
        value(w, ind, w->quan1, "2022-12-31", 100, false);
        json_t *s = series(w, ind, w->hanoi, NULL);
        expect_points(s, 2, two_years, cases[i].hanoi, cases[i].aggregation);
        assert_true(tk_bool(json_array_get(tk_arr(s, "points"), 1), "is_estimate")); /* Hoàn Kiếm's estimate */
        assert_int_equal(tk_int(s, "org_id"), w->hanoi);
        assert_int_equal(tk_int(tk_obj(s, "indicator"), "id"), ind);
        json_decref(s);
        s = series(w, ind, w->ba_dinh, NULL);
        expect_points(s, 2, two_years, cases[i].ba_dinh, cases[i].aggregation);
        assert_false(tk_bool(json_array_get(tk_arr(s, "points"), 1), "is_estimate"));
        json_decref(s);
        s = series(w, ind, 0, NULL);
        expect_points(s, 2, two_years, cases[i].all, cases[i].aggregation);
        assert_true(tk_is_null(s, "org_id"));
        json_decref(s);
    }
}

/* "ước tăng 5,8%" then the final figure: a unit's later entry for the same day replaces its
 * earlier one instead of being added to it, and the value list says so. */
static void a_later_entry_of_a_unit_replaces_its_estimate(void **state)
{
    world *w = *state;
    int64_t ind = indicator(w, "Tổng vốn đầu tư", "sum", "increase", w->program_doc);
    value(w, ind, w->ba_dinh, "2023-12-31", 5.8, true);
    value(w, ind, w->hoan_kiem, "2023-12-31", 4.0, false);
    value(w, ind, w->ba_dinh, "2023-12-31", 6.1, false);
    json_t *s = series(w, ind, w->hanoi, NULL);
    const char *days[] = {"2023-12-31"};
    const double sums[] = {10.1};
    expect_points(s, 1, days, sums, "corrected sum");
    assert_false(tk_bool(json_array_get(tk_arr(s, "points"), 0), "is_estimate"));
    json_decref(s);

    tk_error err;
    tk_error_clear(&err);
    json_t *list = NULL, *everything = json_object();
    assert_int_equal(tk_indicator_list_values(&w->ctx, ind, everything, &list, &err), TK_OK);
    json_decref(everything);
    json_t *items = tk_arr(list, "items");
    assert_int_equal(json_array_size(items), 3);
    size_t superseded = 0, i;
    json_t *v;
    json_array_foreach(items, i, v) {
        if (tk_bool(v, "superseded")) {
            superseded++;
            expect_near(tk_real(v, "value"), 5.8, "the replaced estimate");
            assert_string_equal(tk_str(v, "organization_name"), "Quận ủy Ba Đình");
        }
    }
    assert_int_equal(superseded, 1);
    json_decref(list);
}

/* A growth rate is not rolled up: the series is the owner's own figure (values entered without a
 * unit belong to the document's issuer), or the figure of the unit asked for. */
static void a_rule_of_none_shows_one_units_own_figures(void **state)
{
    world *w = *state;
    int64_t ind = indicator(w, "Tốc độ tăng trưởng GRDP", "none", "increase", w->program_doc);
    value(w, ind, 0, "2022-12-31", 7.0, false);
    value(w, ind, w->ba_dinh, "2022-12-31", 9.0, false);
    value(w, ind, w->hoan_kiem, "2022-12-31", 5.0, false);
    value(w, ind, w->hanoi, "2023-12-31", 6.5, true);
    value(w, ind, w->ba_dinh, "2023-12-31", 8.0, false);
    const char *days[] = {"2022-12-31", "2023-12-31"};
    const double city[] = {7.0, 6.5}, district[] = {9.0, 8.0};
    json_t *s = series(w, ind, 0, NULL);
    expect_points(s, 2, days, city, "the city's own");
    json_decref(s);
    s = series(w, ind, w->hanoi, NULL);
    expect_points(s, 2, days, city, "the city asked for");
    json_decref(s);
    s = series(w, ind, w->ba_dinh, NULL);
    expect_points(s, 2, days, district, "Ba Đình's own");
    json_decref(s);
}

/* Values exactly linear in days (0,01 a day from 31/12/2022): the least-squares line is that line,
 * and on 31/12/2025 it stands at 10 + 0,01 × 1096 = 20,96. */
static void a_linear_series_projects_to_the_milestone(void **state)
{
    world *w = *state;
    int64_t ind = indicator(w, "Tỷ lệ đô thị hóa", "last", "increase", w->program_doc);
    tk_date origin = day("2022-12-31");
    const char *days[] = {"2022-12-31", "2023-12-31", "2024-12-31"};
    for (int i = 0; i < 3; i++) value(w, ind, w->hanoi, days[i], 10 + 0.01 * (day(days[i]) - origin), false);
    target(w, ind, 2025, 20);
    target(w, ind, 2030, 30);
    json_t *s = series(w, ind, 0, "2025-03-31");
    json_t *next = tk_obj(s, "next_milestone"), *proj = tk_obj(s, "projection"), *latest = tk_obj(s, "latest");
    assert_int_equal(tk_int(next, "year"), 2025);
    assert_string_equal(tk_str(next, "on_date"), "2025-12-31");
    expect_near(tk_real(next, "value"), 20, "target");
    assert_true(tk_is_null(next, "text"));
    assert_int_equal(tk_int(proj, "year"), 2025);
    assert_string_equal(tk_str(proj, "on_date"), "2025-12-31");
    expect_near(tk_real(proj, "value"), 20.96, "projection");
    assert_string_equal(tk_str(latest, "on_date"), "2024-12-31");
    expect_near(tk_real(latest, "value"), 17.31, "latest");
    assert_string_equal(tk_str(s, "assessment"), "on_track"); /* 17,31 now, 20,96 by the end of 2025 */
    assert_int_equal(json_array_size(tk_arr(s, "targets")), 2);
    json_decref(s);

    /* After 2025 the next milestone is 2030: 10 + 0,01 × 2922 = 39,22 ≥ 30. */
    s = series(w, ind, 0, "2026-01-01");
    assert_int_equal(tk_int(tk_obj(s, "next_milestone"), "year"), 2030);
    expect_near(tk_real(tk_obj(s, "projection"), "value"), 39.22, "projection to 2030");
    json_decref(s);

    /* Seen from 30/06/2024, only two points exist: the same line still. */
    s = series(w, ind, 0, "2024-06-30");
    assert_int_equal(json_array_size(tk_arr(s, "points")), 2);
    expect_near(tk_real(tk_obj(s, "projection"), "value"), 20.96, "projection from two points");
    json_decref(s);

    /* Seen from 30/06/2023 there is one point: no trend, no projection, no verdict. */
    s = series(w, ind, 0, "2023-06-30");
    assert_int_equal(json_array_size(tk_arr(s, "points")), 1);
    assert_true(tk_is_null(s, "projection"));
    assert_string_equal(tk_str(s, "assessment"), "unknown");
    json_decref(s);
}

static const char *assessment_with(world *w, const char *direction, double target_value, char *buf, size_t cap)
{
    int64_t ind = indicator(w, "Chỉ tiêu đánh giá", "last", direction, w->program_doc);
    value(w, ind, 0, "2022-12-31", 10, false);
    value(w, ind, 0, "2023-12-31", 12, false);
    value(w, ind, 0, "2024-12-31", 14, false); /* +2 a year: about 16 at the end of 2025 */
    target(w, ind, 2025, target_value);
    json_t *s = series(w, ind, 0, "2025-01-15");
    snprintf(buf, cap, "%s", tk_str(s, "assessment"));
    json_decref(s);
    return buf;
}

static void assessments_follow_the_direction(void **state)
{
    world *w = *state;
    char buf[32];
    assert_string_equal(assessment_with(w, "increase", 13, buf, sizeof buf), "achieved");   /* 14 ≥ 13 already */
    assert_string_equal(assessment_with(w, "increase", 15.5, buf, sizeof buf), "on_track"); /* ~16 ≥ 15,5 */
    assert_string_equal(assessment_with(w, "increase", 17, buf, sizeof buf), "off_track");  /* ~16 < 17 */
    assert_string_equal(assessment_with(w, "decrease", 15, buf, sizeof buf), "achieved");   /* 14 ≤ 15 */
    assert_string_equal(assessment_with(w, "decrease", 12, buf, sizeof buf), "off_track");  /* rising away */

    /* No target at all: nothing to judge against. */
    int64_t ind = indicator(w, "Không mục tiêu", "last", "increase", w->program_doc);
    value(w, ind, 0, "2022-12-31", 1, false);
    value(w, ind, 0, "2023-12-31", 2, false);
    json_t *s = series(w, ind, 0, NULL);
    assert_true(tk_is_null(s, "next_milestone"));
    assert_true(tk_is_null(s, "projection"));
    assert_string_equal(tk_str(s, "assessment"), "unknown");
    json_decref(s);
}

static void summaries_list_the_subtrees_indicators(void **state)
{
    world *w = *state;
    int64_t mine = indicator(w, "Số đảng viên mới", "sum", "increase", w->program_doc);
    int64_t theirs = indicator(w, "Chỉ tiêu của TP.HCM", "sum", "increase", w->hcm_doc);
    int64_t district = create(w, &tk_res_indicator,
                              json_pack("{s:s, s:I}", "name", "Chỉ tiêu riêng của Ba Đình", "organization_id",
                                        (json_int_t)w->ba_dinh));
    for (int y = 2011; y <= 2024; y++) {
        char on[16];
        snprintf(on, sizeof on, "%d-12-31", y);
        value(w, mine, w->ba_dinh, on, y - 2000, false);
        value(w, mine, w->hoan_kiem, on, 1, false);
    }
    target(w, mine, 2025, 20);
    tk_error err;
    tk_error_clear(&err);
    json_t *sum = NULL;
    assert_int_equal(tk_indicator_summaries(&w->ctx, w->hanoi, day("2025-01-15"), &sum, &err), TK_OK);
    assert_int_equal(tk_int(sum, "org_id"), w->hanoi);
    assert_string_equal(tk_str(sum, "on"), "2025-01-15");
    assert_false(tk_bool(sum, "has_more"));
    json_t *found = NULL, *item;
    bool saw_district = false;
    size_t i;
    json_array_foreach(tk_arr(sum, "items"), i, item) {
        if (tk_int(item, "id") == theirs) fail_msg("Hồ Chí Minh City's indicator in Hà Nội's summary");
        if (tk_int(item, "id") == mine) found = item;
        if (tk_int(item, "id") == district) saw_district = true;
    }
    assert_true(saw_district); /* its own organization is in the subtree */
    assert_non_null(found);
    /* The last 12 years, oldest first, each Ba Đình's + Hoàn Kiếm's. */
    json_t *points = tk_arr(found, "points");
    assert_int_equal(json_array_size(points), 12);
    assert_string_equal(tk_str(json_array_get(points, 0), "on_date"), "2013-12-31");
    expect_near(tk_real(json_array_get(points, 11), "value"), 25, "2024: 24 + 1");
    expect_near(tk_real(tk_obj(found, "latest"), "value"), 25, "latest");
    assert_string_equal(tk_str(found, "assessment"), "achieved");
    assert_int_equal(tk_int(tk_obj(found, "next_milestone"), "year"), 2025);
    assert_string_equal(tk_str(found, "aggregation"), "sum");
    assert_true(tk_is_null(found, "code"));
    /* The summary judges exactly as the indicator's own page does. */
    json_t *s = series(w, mine, w->hanoi, "2025-01-15");
    assert_string_equal(tk_str(s, "assessment"), tk_str(found, "assessment"));
    expect_near(tk_real(tk_obj(s, "projection"), "value"), tk_real(tk_obj(found, "projection"), "value"), "projection");
    assert_int_equal(json_array_size(tk_arr(s, "points")), 14);
    json_decref(s);
    json_decref(sum);

    /* Every indicator when no unit is given; an unknown unit is not found. */
    assert_int_equal(tk_indicator_summaries(&w->ctx, 0, day("2025-01-15"), &sum, &err), TK_OK);
    bool saw_theirs = false;
    json_array_foreach(tk_arr(sum, "items"), i, item) saw_theirs = saw_theirs || tk_int(item, "id") == theirs;
    assert_true(saw_theirs);
    assert_true(tk_is_null(sum, "org_id"));
    json_decref(sum);
    assert_int_equal(tk_indicator_summaries(&w->ctx, 999999, day("2025-01-15"), &sum, &err), TK_NOT_FOUND);
}

static void targets_are_replaced_by_year(void **state)
{
    world *w = *state;
    int64_t ind = indicator(w, "Chỉ tiêu có mục tiêu", "last", "increase", w->program_doc);
    tk_error err;
    tk_error_clear(&err);
    json_t *out = NULL, *body = json_pack("{s:i, s:f, s:s}", "year", 2025, "value", 7.0, "text", "7-7,5%");
    assert_int_equal(tk_indicator_set_target(&w->ctx, ind, body, &out, &err), TK_OK);
    int64_t first = tk_int(out, "id");
    json_decref(body);
    json_decref(out);
    body = json_pack("{s:i, s:f}", "year", 2025, "value", 7.5);
    assert_int_equal(tk_indicator_set_target(&w->ctx, ind, body, &out, &err), TK_OK);
    json_decref(body);
    assert_int_equal(tk_int(out, "id"), first);
    expect_near(tk_real(out, "value"), 7.5, "replaced");
    assert_true(tk_is_null(out, "text")); /* replaced, not merged */
    json_decref(out);
    json_t *s = series(w, ind, 0, NULL);
    assert_int_equal(json_array_size(tk_arr(s, "targets")), 1);
    json_decref(s);

    body = json_pack("{s:i}", "year", 1800);
    assert_int_equal(tk_indicator_set_target(&w->ctx, ind, body, &out, &err), TK_INVALID_INPUT);
    assert_string_equal(err.field, "year");
    json_decref(body);
    body = json_pack("{s:i}", "year", 2030);
    assert_int_equal(tk_indicator_set_target(&w->ctx, 999999, body, &out, &err), TK_NOT_FOUND);
    assert_int_equal(tk_indicator_add_value(&w->ctx, 999999, body, &out, &err), TK_NOT_FOUND);
    json_decref(body);
    json_t *query = json_pack("{s:s}", "org", "999999");
    assert_int_equal(tk_indicator_series(&w->ctx, ind, query, &out, &err), TK_NOT_FOUND);
    json_decref(query);
    query = json_pack("{s:s}", "on", "31/12/2025");
    assert_int_equal(tk_indicator_series(&w->ctx, ind, query, &out, &err), TK_INVALID_INPUT);
    assert_string_equal(err.field, "on");
    json_decref(query);
}

/* A person granted Ba Đình sees Hà Nội's indicators (their unit reports on them) but not Hồ Chí
 * Minh City's, the figures of Ba Đình and of the city itself but not Hoàn Kiếm's, cannot roll up
 * a sibling's subtree, and as a viewer cannot enter a figure. */
static void a_caller_sees_only_what_their_grants_cover(void **state)
{
    world *w = *state;
    int64_t mine = indicator(w, "Số tổ chức cơ sở đảng", "sum", "increase", w->program_doc);
    int64_t theirs = indicator(w, "Chỉ tiêu riêng TP.HCM", "sum", "increase", w->hcm_doc);
    value(w, mine, w->ba_dinh, "2024-12-31", 3, false);
    value(w, mine, w->hoan_kiem, "2024-12-31", 4, false);
    value(w, mine, 0, "2024-12-31", 10, true);
    value(w, theirs, w->quan1, "2024-12-31", 1, false);

    tk_caller viewer = {.user_id = 1, .login = "ba-dinh", .grant_count = 1};
    viewer.grants[0].role = TK_ROLE_VIEWER;
    viewer.grants[0].org_id = w->ba_dinh;
    tk_ctx as_viewer = w->ctx;
    as_viewer.caller = &viewer;
    tk_error err;
    tk_error_clear(&err);

    json_t *sum = NULL, *item;
    size_t i;
    bool saw_mine = false;
    assert_int_equal(tk_indicator_summaries(&as_viewer, 0, day("2025-01-15"), &sum, &err), TK_OK);
    json_array_foreach(tk_arr(sum, "items"), i, item) {
        if (tk_int(item, "id") == theirs) fail_msg("an indicator outside the grant was listed");
        saw_mine = saw_mine || tk_int(item, "id") == mine;
    }
    assert_true(saw_mine);
    json_decref(sum);
    assert_int_equal(tk_indicator_summaries(&as_viewer, w->hcm, day("2025-01-15"), &sum, &err), TK_NOT_FOUND);

    json_t *list = NULL, *query = json_object();
    assert_int_equal(tk_indicator_list_values(&as_viewer, mine, query, &list, &err), TK_OK);
    double seen = 0;
    json_array_foreach(tk_arr(list, "items"), i, item) seen += tk_real(item, "value");
    expect_near(seen, 3 + 10, "Ba Đình's figure and the city's own, not Hoàn Kiếm's");
    json_decref(list);
    json_decref(query);

    json_t *out = NULL;
    char sibling[24];
    snprintf(sibling, sizeof sibling, "%lld", (long long)w->hoan_kiem);
    query = json_pack("{s:s}", "org", sibling);
    assert_int_equal(tk_indicator_series(&as_viewer, mine, query, &out, &err), TK_NOT_FOUND);
    json_decref(query);
    assert_int_equal(tk_indicator_series(&as_viewer, theirs, NULL, &out, &err), TK_NOT_FOUND);

    json_t *body = json_pack("{s:s, s:f}", "on_date", "2025-12-31", "value", 1.0);
    assert_int_equal(tk_indicator_add_value(&as_viewer, mine, body, &out, &err), TK_FORBIDDEN);
    assert_int_equal(tk_indicator_add_value(&as_viewer, theirs, body, &out, &err), TK_NOT_FOUND);
    json_decref(body);
}

/* ---- the pages, over a real server ---- */

typedef struct fixture {
    tk_test_server *server;
    int64_t root, district, other, indicator;
} fixture;

static int server_setup(void **state)
{
    fixture *f = test_calloc(1, sizeof *f);
    f->server = tk_test_server_start();
    f->root = tk_create_id(f->server, "/api/v1/organizations",
                           json_pack("{s:s, s:s}", "kind", "party_committee", "name", "Đảng bộ thành phố Hà Nội"));
    f->district = tk_create_id(f->server, "/api/v1/organizations",
                               json_pack("{s:s, s:s, s:I}", "kind", "district", "name", "Quận ủy Ba Đình", "parent_id",
                                         (json_int_t)f->root));
    f->other = tk_create_id(f->server, "/api/v1/organizations",
                            json_pack("{s:s, s:s, s:I}", "kind", "district", "name", "Quận ủy Tây Hồ", "parent_id",
                                      (json_int_t)f->root));
    f->indicator = tk_create_id(f->server, "/api/v1/indicators",
                                json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "name", "Tốc độ tăng trưởng GRDP", "code",
                                          "CT01", "group_name", "Nhóm chỉ tiêu về kinh tế", "unit", "%", "aggregation",
                                          "mean", "organization_id", (json_int_t)f->root));
    const struct {
        const char *on;
        double v;
        bool estimate;
    } values[] = {{"2022-12-31", 5.2, false}, {"2023-12-31", 5.5, false}, {"2024-12-31", 5.8, true}};
    for (size_t i = 0; i < 3; i++)
        json_decref(tk_create(f->server, "/api/v1/indicator-values",
                              json_pack("{s:I, s:I, s:s, s:f, s:b}", "indicator_id", (json_int_t)f->indicator,
                                        "organization_id", (json_int_t)f->district, "on_date", values[i].on, "value",
                                        values[i].v, "is_estimate", values[i].estimate)));
    *state = f;
    return 0;
}

static int server_teardown(void **state)
{
    fixture *f = *state;
    tk_test_server_stop(f->server);
    test_free(f);
    return 0;
}

/* GETs path and requires the status, HTML, every string of `want` (NULL-terminated), and no
 * template tag left unrendered. */
static void page_has(fixture *f, const char *path, long status, const char *const *want)
{
    tk_http_result r;
    tk_http_full(f->server, "GET", path, NULL, 0, false, &r);
    if (r.status != status) fail_msg("GET %s -> %ld, want %ld", path, r.status, status);
    if (!strstr(r.content_type, "text/html")) fail_msg("GET %s: content type %s", path, r.content_type);
    for (; want && *want; want++)
        if (!strstr(r.raw, *want)) fail_msg("GET %s: no \"%s\" in the page", path, *want);
    if (strstr(r.raw, "{{")) fail_msg("GET %s: a template tag was left unrendered", path);
    tk_http_result_free(&r);
}

/* POSTs a form body and returns the answer (the caller frees it). */
static void post(fixture *f, const char *path, const char *body, tk_http_result *r)
{
    tk_http_full(f->server, "POST", path, body, strlen(body), false, r);
}

static size_t count(fixture *f, const char *collection)
{
    json_t *list = tk_get(f->server, "/api/v1/%s?indicator_id=%lld&per_page=200", collection, (long long)f->indicator);
    size_t n = json_array_size(tk_arr(list, "items"));
    json_decref(list);
    return n;
}

static void the_pages_render_in_vietnamese(void **state)
{
    fixture *f = *state;
    char path[128];
    /* As of 30/06/2025: the latest figure is 5,8 (an estimate), the 2025 target not yet set. */
    const char *list[] = {"Chỉ tiêu", "Nhóm chỉ tiêu về kinh tế", "Tốc độ tăng trưởng GRDP", ">5,8 % <",
                          "ước tính", "31/12/2024", "class=\"sparkline\"", "Chưa đủ dữ liệu để đánh giá", NULL};
    page_has(f, "/indicators?on=2025-06-30", 200, list);
    const char *one[] = {"Tốc độ tăng trưởng GRDP", "Bình quân các đơn vị", "<strong>5,8</strong>", "5,2", "5,5",
                         "class=\"linechart\"", "Bảng số liệu của biểu đồ", "Quận ủy Ba Đình", "Nhập số liệu",
                         "Đặt mục tiêu", "/indicators/", NULL};
    page_has(f, tk_fmt(path, sizeof path, "/indicators/%lld?on=2025-06-30", (long long)f->indicator), 200, one);
    const char *edit[] = {"Tốc độ tăng trưởng GRDP", "Cách tổng hợp", "value=\"mean\" selected", NULL};
    page_has(f, tk_fmt(path, sizeof path, "/indicators/%lld/edit", (long long)f->indicator), 200, edit);
    const char *fresh[] = {"Thêm chỉ tiêu", "Tên chỉ tiêu", "Chiều mong muốn", NULL};
    page_has(f, "/indicators/new", 200, fresh);
    /* English pages write numbers the English way. */
    const char *english[] = {"Indicators", ">5.8 % <", "estimate", NULL};
    page_has(f, "/indicators?on=2025-06-30&lang=en", 200, english);
    /* The subtree of Tây Hồ has no figures; a bad filter is named on the page, not an error. */
    const char *other[] = {"Chưa có số liệu", NULL};
    page_has(f, tk_fmt(path, sizeof path, "/indicators/%lld?org=%lld", (long long)f->indicator, (long long)f->other),
             200, other);
    const char *bad[] = {"error-summary", "Tốc độ tăng trưởng GRDP", NULL};
    page_has(f, "/indicators?on=h%C3%B4m+nay", 200, bad);
    page_has(f, tk_fmt(path, sizeof path, "/indicators/%lld?on=30%%2F06%%2F2025", (long long)f->indicator), 200, bad);
    page_has(f, "/indicators/999999", 404, NULL);
}

static void the_value_form_records_a_figure(void **state)
{
    fixture *f = *state;
    char path[128], body[256];
    size_t before = count(f, "indicator-values");
    tk_http_result r;
    post(f, tk_fmt(path, sizeof path, "/indicators/%lld/values", (long long)f->indicator),
         tk_fmt(body, sizeof body, "on_date=31%%2F12%%2F2025&value=6%%2C1&organization_id=%lld&is_estimate=1"
                                   "&note=%%C6%%AF%%E1%%BB%%9Bc+t%%C3%%ADnh",
                (long long)f->other),
         &r);
    assert_int_equal(r.status, 303);
    assert_string_equal(r.location, tk_fmt(body, sizeof body, "/indicators/%lld#values", (long long)f->indicator));
    tk_http_result_free(&r);
    assert_int_equal(count(f, "indicator-values"), before + 1);
    json_t *list = tk_get(f->server, "/api/v1/indicator-values?indicator_id=%lld&organization_id=%lld",
                          (long long)f->indicator, (long long)f->other);
    json_t *v = json_array_get(tk_arr(list, "items"), 0);
    expect_near(tk_real(v, "value"), 6.1, "6,1 as typed");
    assert_string_equal(tk_str(v, "on_date"), "2025-12-31");
    assert_true(tk_bool(v, "is_estimate"));
    assert_string_equal(tk_str(v, "note"), "Ước tính");
    json_decref(list);
    const char *shown[] = {"6,1", "Ước tính", NULL};
    page_has(f, tk_fmt(path, sizeof path, "/indicators/%lld", (long long)f->indicator), 200, shown);
}

static void a_refused_value_keeps_what_was_typed_and_writes_nothing(void **state)
{
    fixture *f = *state;
    char path[128];
    size_t before = count(f, "indicator-values");
    tk_fmt(path, sizeof path, "/indicators/%lld/values", (long long)f->indicator);
    static const struct {
        const char *body, *field, *kept;
    } cases[] = {
        {"on_date=31%2F12%2F2025&value=n%C4%83m+ph%E1%BA%A9y+t%C3%A1m&note=Gi%E1%BB%AF+l%E1%BA%A1i", "value",
         "năm phẩy tám"},
        {"on_date=31%2F02%2F2025&value=5%2C8&note=Gi%E1%BB%AF+l%E1%BA%A1i", "on_date", "31/02/2025"},
        {"value=5%2C8&note=Gi%E1%BB%AF+l%E1%BA%A1i", "on_date", "Giữ lại"},
        {"on_date=31%2F12%2F2025&value=5%2C8&organization_id=999999&note=Gi%E1%BB%AF+l%E1%BA%A1i", "organization_id",
         "Giữ lại"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tk_http_result r;
        post(f, path, cases[i].body, &r);
        if (r.status != 422) fail_msg("%s: status %ld", cases[i].body, r.status);
        char want[96];
        /* The summary links to the field, and the message stands beside it. */
        if (!strstr(r.raw, tk_fmt(want, sizeof want, "href=\"#v-%s\"", cases[i].field)))
            fail_msg("%s: the summary does not name %s", cases[i].body, cases[i].field);
        if (!strstr(r.raw, tk_fmt(want, sizeof want, "id=\"v-%s-error\"", cases[i].field)))
            fail_msg("%s: no message beside %s", cases[i].body, cases[i].field);
        if (!strstr(r.raw, cases[i].kept)) fail_msg("%s: \"%s\" was not kept", cases[i].body, cases[i].kept);
        assert_non_null(strstr(r.raw, "Tốc độ tăng trưởng GRDP")); /* the page itself, not an error page */
        tk_http_result_free(&r);
    }
    assert_int_equal(count(f, "indicator-values"), before);
    /* No such indicator is a missing page. */
    tk_http_result r;
    post(f, "/indicators/999999/values", "on_date=31%2F12%2F2025&value=1", &r);
    assert_int_equal(r.status, 404);
    tk_http_result_free(&r);
}

static void the_target_form_sets_and_replaces_by_year(void **state)
{
    fixture *f = *state;
    char path[128];
    tk_fmt(path, sizeof path, "/indicators/%lld/targets", (long long)f->indicator);
    tk_http_result r;
    post(f, path, "year=2030&value=7%2C5&text=B%C3%ACnh+qu%C3%A2n+7-7%2C5%25%2Fn%C4%83m", &r);
    assert_int_equal(r.status, 303);
    tk_http_result_free(&r);
    assert_int_equal(count(f, "indicator-targets"), 1);
    post(f, path, "year=2030&value=8", &r); /* the same year again: replaced, not refused */
    assert_int_equal(r.status, 303);
    assert_non_null(strstr(r.location, "#targets"));
    tk_http_result_free(&r);
    assert_int_equal(count(f, "indicator-targets"), 1);
    json_t *list = tk_get(f->server, "/api/v1/indicator-targets?indicator_id=%lld", (long long)f->indicator);
    json_t *t = json_array_get(tk_arr(list, "items"), 0);
    assert_int_equal(tk_int(t, "year"), 2030);
    expect_near(tk_real(t, "value"), 8, "replaced target");
    assert_true(tk_is_null(t, "text"));
    json_decref(list);

    post(f, path, "year=n%C4%83m+2030&value=9", &r);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.raw, "id=\"g-year-error\""));
    assert_non_null(strstr(r.raw, "năm 2030"));
    tk_http_result_free(&r);
    post(f, path, "year=2031&value=ch%C3%ADn", &r);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.raw, "id=\"g-value-error\""));
    assert_non_null(strstr(r.raw, "value=\"2031\""));
    tk_http_result_free(&r);
    assert_int_equal(count(f, "indicator-targets"), 1);

    /* The page judges against it: 5,8 is the latest, 2030's target is 8. */
    const char *shown[] = {"Mục tiêu 2030", ">8<", NULL};
    char page[128];
    page_has(f, tk_fmt(page, sizeof page, "/indicators/%lld?on=2026-01-01", (long long)f->indicator), 200, shown);
}

static void the_indicator_form_creates_and_edits(void **state)
{
    fixture *f = *state;
    char body[512];
    tk_http_result r;
    post(f, "/indicators",
         tk_fmt(body, sizeof body,
                "name=T%%E1%%BB%%B7+l%%E1%%BB%%87+h%%E1%%BB%%99+ngh%%C3%%A8o&code=CT09&group_name=X%%C3%%A3+h%%E1%%BB%%99i"
                "&unit=%%25&aggregation=mean&direction=decrease&organization_id=%lld&document_id=&program_id=",
                (long long)f->root),
         &r);
    assert_int_equal(r.status, 303);
    long long id = 0;
    assert_int_equal(sscanf(r.location, "/indicators/%lld", &id), 1);
    tk_http_result_free(&r);
    json_t *ind = tk_get(f->server, "/api/v1/indicators/%lld", id);
    assert_string_equal(tk_str(ind, "name"), "Tỷ lệ hộ nghèo");
    assert_string_equal(tk_str(ind, "direction"), "decrease");
    assert_string_equal(tk_str(ind, "aggregation"), "mean");
    assert_true(tk_is_null(ind, "document_id"));
    json_decref(ind);

    char path[64];
    post(f, tk_fmt(path, sizeof path, "/indicators/%lld", id),
         "name=T%E1%BB%B7+l%E1%BB%87+h%E1%BB%99+ngh%C3%A8o+%28%C4%91a+chi%E1%BB%81u%29&code=&group_name=X%C3%A3+h%E1%BB%99i"
         "&unit=%25&aggregation=none&direction=decrease&organization_id=&document_id=&program_id=",
         &r);
    assert_int_equal(r.status, 303);
    tk_http_result_free(&r);
    ind = tk_get(f->server, "/api/v1/indicators/%lld", id);
    assert_string_equal(tk_str(ind, "name"), "Tỷ lệ hộ nghèo (đa chiều)");
    assert_string_equal(tk_str(ind, "aggregation"), "none");
    assert_true(tk_is_null(ind, "code"));
    assert_true(tk_is_null(ind, "organization_id"));
    json_decref(ind);

    /* Refused: no name, an unknown rule. The form comes back as typed; nothing is written. */
    json_t *all = tk_get(f->server, "/api/v1/indicators?per_page=200");
    size_t before = json_array_size(tk_arr(all, "items"));
    json_decref(all);
    post(f, "/indicators", "name=+&code=CT77&aggregation=sum&direction=increase", &r);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.raw, "id=\"i-name-error\""));
    assert_non_null(strstr(r.raw, "href=\"#i-name\""));
    assert_non_null(strstr(r.raw, "value=\"CT77\""));
    tk_http_result_free(&r);
    post(f, "/indicators", "name=Ch%E1%BB%89+ti%C3%AAu&aggregation=median&direction=increase", &r);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.raw, "id=\"i-aggregation-error\""));
    assert_non_null(strstr(r.raw, "Chỉ tiêu</textarea>"));
    tk_http_result_free(&r);
    all = tk_get(f->server, "/api/v1/indicators?per_page=200");
    assert_int_equal(json_array_size(tk_arr(all, "items")), before);
    json_decref(all);
    post(f, "/indicators/999999", "name=X", &r);
    assert_int_equal(r.status, 404);
    tk_http_result_free(&r);
}

static void text_is_escaped_on_the_indicator_pages(void **state)
{
    fixture *f = *state;
    int64_t id = tk_create_id(f->server, "/api/v1/indicators",
                              json_pack("{s:s, s:s, s:s}", "name", "<script>alert(\"x\")</script> & 'q'", "group_name",
                                        "<b>nhóm</b>", "unit", "<i>%</i>"));
    json_decref(tk_create(f->server, "/api/v1/indicator-values",
                          json_pack("{s:I, s:s, s:f, s:s}", "indicator_id", (json_int_t)id, "on_date", "2024-12-31",
                                    "value", 1.5, "note", "<img src=x onerror=alert(1)>")));
    char path[64];
    const char *const paths[] = {"/indicators", tk_fmt(path, sizeof path, "/indicators/%lld", (long long)id)};
    for (size_t i = 0; i < 2; i++) {
        tk_http_result r;
        tk_http_full(f->server, "GET", paths[i], NULL, 0, false, &r);
        assert_int_equal(r.status, 200);
        assert_null(strstr(r.raw, "<script>alert"));
        assert_null(strstr(r.raw, "<b>nhóm"));
        assert_null(strstr(r.raw, "<i>%"));
        assert_null(strstr(r.raw, "<img src=x"));
        assert_non_null(strstr(r.raw, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"));
        tk_http_result_free(&r);
    }
}

/* A name of the longest length in the widest letters (1.000 characters, 3 bytes each) still
 * gets its charts, titled with the whole name: the title was once cut in a fixed buffer in the
 * middle of a letter, and the chart then vanished from the page. */
static void a_long_name_keeps_its_charts(void **state)
{
    fixture *f = *state;
    char name[3100] = "Tỷ lệ ";
    size_t chars = 6;
    while (chars < 996) {
        strcat(name, "ệ");
        chars++;
    }
    strcat(name, " hết");
    int64_t id = tk_create_id(f->server, "/api/v1/indicators", json_pack("{s:s, s:s}", "name", name, "unit", "%"));
    for (int year = 2021; year <= 2023; year++) {
        char day[16];
        json_decref(tk_create(f->server, "/api/v1/indicator-values",
                              json_pack("{s:I, s:s, s:f}", "indicator_id", (json_int_t)id, "on_date",
                                        tk_fmt(day, sizeof day, "%d-12-31", year), "value", 10.0 * year - 20200)));
    }
    char path[64];
    const char *const paths[] = {"/indicators", tk_fmt(path, sizeof path, "/indicators/%lld", (long long)id)};
    for (size_t i = 0; i < 2; i++) {
        tk_http_result r;
        tk_http_full(f->server, "GET", paths[i], NULL, 0, false, &r);
        assert_int_equal(r.status, 200);
        if (!strstr(r.raw, "ệệệ hết</title>")) fail_msg("GET %s: no chart titled with the whole name", paths[i]);
        tk_http_result_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest service[] = {
        cmocka_unit_test(a_subtree_rolls_up_by_the_indicators_rule),
        cmocka_unit_test(a_later_entry_of_a_unit_replaces_its_estimate),
        cmocka_unit_test(a_rule_of_none_shows_one_units_own_figures),
        cmocka_unit_test(a_linear_series_projects_to_the_milestone),
        cmocka_unit_test(assessments_follow_the_direction),
        cmocka_unit_test(summaries_list_the_subtrees_indicators),
        cmocka_unit_test(targets_are_replaced_by_year),
        cmocka_unit_test(a_caller_sees_only_what_their_grants_cover),
    };
    const struct CMUnitTest pages[] = {
        cmocka_unit_test(the_pages_render_in_vietnamese),
        cmocka_unit_test(the_value_form_records_a_figure),
        cmocka_unit_test(a_refused_value_keeps_what_was_typed_and_writes_nothing),
        cmocka_unit_test(the_target_form_sets_and_replaces_by_year),
        cmocka_unit_test(the_indicator_form_creates_and_edits),
        cmocka_unit_test(text_is_escaped_on_the_indicator_pages),
        cmocka_unit_test(a_long_name_keeps_its_charts),
    };
    int failed = cmocka_run_group_tests_name("indicator service", service, world_setup, world_teardown);
    failed += cmocka_run_group_tests_name("indicator pages", pages, server_setup, server_teardown);
    return tk_test_exit(failed);
}
