/* The forms that create and edit organizations, documents with their items, and programs,
 * against a real server: each new form renders in Vietnamese with a label for every input; a
 * valid form writes the object (dates dd/mm/yyyy read as ISO, kinds, references) and redirects
 * to its page; a refused form answers 422 with the message beside the field it names, what was
 * typed kept, and nothing written; an edit form shows what is stored, saves changes, and cannot
 * change what is fixed once created. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/harness.h"

typedef struct fixture {
    tk_test_server *server;
    int64_t root, term, resolution;
} fixture;

static int setup(void **state)
{
    fixture *f = test_calloc(1, sizeof *f);
    f->server = tk_test_server_start();
    f->root = tk_create_id(f->server, "/api/v1/organizations",
                           json_pack("{s:s, s:s}", "kind", "party_committee", "name", "Đảng bộ tỉnh Bắc Ninh"));
    f->term = tk_create_id(f->server, "/api/v1/terms",
                           json_pack("{s:I, s:i, s:i, s:i, s:s}", "organization_id", (json_int_t)f->root, "ordinal", 20,
                                     "year_from", 2020, "year_to", 2025, "name", "Nhiệm kỳ 2020-2025 (Đại hội XX)"));
    f->resolution = tk_create_id(f->server, "/api/v1/documents",
                                 json_pack("{s:s, s:s, s:I}", "kind", "resolution", "title",
                                           "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX", "organization_id",
                                           (json_int_t)f->root));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tk_test_server_stop(f->server);
    test_free(f);
    return 0;
}

/* ---- helpers ---- */

/* An application/x-www-form-urlencoded body from name, value pairs ending with NULL. */
static char *form(char *buf, size_t cap, ...)
{
    va_list ap;
    va_start(ap, cap);
    size_t len = 0;
    buf[0] = '\0';
    const char *name;
    while ((name = va_arg(ap, const char *))) {
        const char *value = va_arg(ap, const char *);
        char escaped[2048];
        tk_query_escape(value, escaped, sizeof escaped);
        int n = snprintf(buf + len, cap - len, "%s%s=%s", len ? "&" : "", name, escaped);
        if (n < 0 || (size_t)n >= cap - len) fail_msg("form body does not fit in %zu bytes", cap);
        len += (size_t)n;
    }
    va_end(ap);
    return buf;
}

static void post(fixture *f, const char *path, const char *body, tk_http_result *r)
{
    tk_http_full(f->server, "POST", path, body, strlen(body), false, r);
}

/* GETs path, requires `status` and an HTML answer with no template tag left. The caller frees r. */
static void get_page(fixture *f, const char *path, long status, tk_http_result *r)
{
    tk_http_full(f->server, "GET", path, NULL, 0, false, r);
    if (r->status != status) fail_msg("GET %s -> %ld, want %ld", path, r->status, status);
    if (!strstr(r->content_type, "text/html")) fail_msg("GET %s: content type %s", path, r->content_type);
    if (strstr(r->raw, "{{")) fail_msg("GET %s: a template tag was left unrendered", path);
}

static void has(const tk_http_result *r, const char *want, const char *what)
{
    if (!strstr(r->raw, want)) fail_msg("%s: no \"%s\" in the page", what, want);
}

static void has_not(const tk_http_result *r, const char *unwanted, const char *what)
{
    if (strstr(r->raw, unwanted)) fail_msg("%s: \"%s\" should not be in the page", what, unwanted);
}

/* The id at the end of a redirect to "<prefix>/<id>"; fails unless it is one. */
static int64_t redirected_to(const tk_http_result *r, const char *prefix)
{
    if (r->status != 303) fail_msg("want 303 to %s/<id>, got %ld:\n%.2000s", prefix, r->status, r->raw ? r->raw : "");
    size_t n = strlen(prefix);
    char *end = NULL;
    long long id = strncmp(r->location, prefix, n) == 0 && r->location[n] == '/' ? strtoll(r->location + n + 1, &end, 10) : 0;
    if (id <= 0 || *end) fail_msg("redirected to \"%s\", want %s/<id>", r->location, prefix);
    return id;
}

/* How many objects the API lists at path (a list that fits one page). */
static long count(fixture *f, const char *path)
{
    json_t *list = tk_get(f->server, "%s%sper_page=200", path, strchr(path, '?') ? "&" : "?");
    assert_false(tk_bool(list, "has_more"));
    long n = (long)json_array_size(tk_arr(list, "items"));
    json_decref(list);
    return n;
}

/* Every input, select and textarea with an id has a <label for> naming it. */
static void every_input_is_labelled(const tk_http_result *r, const char *what)
{
    static const char *const tags[] = {"<input id=\"", "<select id=\"", "<textarea id=\""};
    for (size_t t = 0; t < 3; t++) {
        for (const char *p = strstr(r->raw, tags[t]); p; p = strstr(p + 1, tags[t])) {
            const char *id = p + strlen(tags[t]);
            char want[128];
            snprintf(want, sizeof want, "<label for=\"%.*s\"", (int)strcspn(id, "\""), id);
            if (!strstr(r->raw, want)) fail_msg("%s: no %s for the input", what, want);
        }
    }
}

/* POSTs a form that must be refused: 422, the message beside `field` (inside its has-error
 * block, in the element its input's aria-describedby names) and linked from the summary, `kept`
 * still in the form, and the count of objects at list_path unchanged. */
static void refused(fixture *f, const char *path, const char *body, const char *field, const char *message,
                    const char *kept, const char *list_path)
{
    long before = count(f, list_path);
    tk_http_result r;
    post(f, path, body, &r);
    char what[600], want[256];
    snprintf(what, sizeof what, "POST %s %s", path, body);
    if (r.status != 422) fail_msg("%s -> %ld, want 422:\n%.3000s", what, r.status, r.raw ? r.raw : "");
    snprintf(want, sizeof want, "<div class=\"field has-error\">\n  <label for=\"f-%s\">", field);
    has(&r, want, what);
    snprintf(want, sizeof want, "<p class=\"field-error\" id=\"f-%s-error\">", field);
    has(&r, want, what);
    const char *beside = strstr(r.raw, want);
    const char *end = strstr(beside, "</p>");
    const char *msg = strstr(beside, message);
    if (!msg || msg > end) fail_msg("%s: the message \"%s\" is not beside %s", what, message, field);
    snprintf(want, sizeof want, "f-%s-error\"", field);
    has(&r, want, what); /* the input is described by it */
    snprintf(want, sizeof want, "<a href=\"#f-%s\">", field);
    has(&r, want, what);
    if (kept) has(&r, kept, what);
    tk_http_result_free(&r);
    if (count(f, list_path) != before) fail_msg("%s: the refused form wrote something", what);
}

/* ---- the new forms ---- */

static void new_forms_render_in_vietnamese_with_a_label_for_every_input(void **state)
{
    fixture *f = *state;
    char path[128];
    static const struct {
        const char *path, *heading, *labels[4];
    } pages[] = {
        {"/organizations/new", "Thêm đơn vị", {"Tên đơn vị", "Loại đơn vị", "Ngày thành lập", "Đơn vị kế tục"}},
        {"/documents/new", "Thêm văn bản", {"Trích yếu", "Cơ quan ban hành", "Văn bản được cụ thể hóa", "Nhiệm kỳ"}},
        {"/programs/new", "Thêm chương trình công tác", {"Tên chương trình", "Thời gian thực hiện", "Cơ quan chủ trì", "Ban chỉ đạo"}},
        {NULL, "Thêm nội dung văn bản", {"Loại nội dung", "Nội dung", "Mốc năm", "Thứ tự"}},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        tk_http_result r;
        if (pages[i].path) tk_fmt(path, sizeof path, "%s", pages[i].path);
        else tk_fmt(path, sizeof path, "/documents/%lld/items/new", (long long)f->resolution);
        get_page(f, path, 200, &r);
        has(&r, "<html lang=\"vi\">", path);
        has(&r, pages[i].heading, path);
        for (size_t k = 0; k < 4; k++) has(&r, pages[i].labels[k], path);
        has(&r, "(bắt buộc)", path);
        has(&r, "<input type=\"hidden\" name=\"_checkboxes\" value=\"1\">", path);
        has(&r, "method=\"post\"", path);
        every_input_is_labelled(&r, path);
        tk_http_result_free(&r);
    }
    /* Kinds are offered by their Vietnamese names. */
    tk_http_result r;
    get_page(f, "/organizations/new", 200, &r);
    has(&r, "<option value=\"district\">Đảng bộ cấp huyện (quận, huyện, thị xã)</option>", "organization kinds");
    has(&r, "Ghi ngày/tháng/năm", "the date hint");
    has(&r, "aria-describedby=\"f-valid_from-hint\"", "the date hint is tied to its input");
    tk_http_result_free(&r);
    get_page(f, "/documents/new", 200, &r);
    has(&r, "<option value=\"action_program\">Chương trình hành động</option>", "document kinds");
    has(&r, "Nhiệm kỳ 2020-2025 (Đại hội XX) — Đảng bộ tỉnh Bắc Ninh", "terms are named with their organization");
    tk_http_result_free(&r);
}

static void the_english_forms_have_an_english_label_for_every_field(void **state)
{
    fixture *f = *state;
    char path[128];
    static const char *const pages[] = {"/organizations/new?lang=en", "/documents/new?lang=en", "/programs/new?lang=en",
                                        NULL};
    for (size_t i = 0; i < 4; i++) {
        tk_http_result r;
        if (pages[i]) tk_fmt(path, sizeof path, "%s", pages[i]);
        else tk_fmt(path, sizeof path, "/documents/%lld/items/new?lang=en", (long long)f->resolution);
        get_page(f, path, 200, &r);
        has(&r, "<html lang=\"en\">", path);
        has(&r, "(required)", path);
        /* English labels are plain ASCII: a Vietnamese label left in would carry diacritics. */
        for (const char *p = strstr(r.raw, "<label for=\"f-"); p; p = strstr(p + 1, "<label for=\"f-")) {
            const char *end = strstr(p, "</label>");
            for (const char *c = p; c < end; c++)
                if ((unsigned char)*c >= 0x80) fail_msg("%s: a label is not in English: %.*s", path, (int)(end - p), p);
        }
        tk_http_result_free(&r);
    }
    tk_http_result r;
    get_page(f, "/organizations/new?lang=en", 200, &r);
    has(&r, "New organization", "English heading");
    has(&r, ">District-level party committee</option>", "English organization kinds");
    tk_http_result_free(&r);
}

/* ---- organizations ---- */

static void an_organization_is_created_through_its_form(void **state)
{
    fixture *f = *state;
    char body[1024], root[24], path[128];
    snprintf(root, sizeof root, "%lld", (long long)f->root);

    /* A "new unit under this one" link selects the parent and cancels back to it. */
    tk_http_result r;
    get_page(f, tk_fmt(path, sizeof path, "/organizations/new?parent_id=%s", root), 200, &r);
    has(&r, tk_fmt(body, sizeof body, "<option value=\"%s\" selected>Đảng bộ tỉnh Bắc Ninh</option>", root), path);
    has(&r, tk_fmt(body, sizeof body, "href=\"/organizations/%s\">Hủy</a>", root), path);
    tk_http_result_free(&r);

    post(f, "/organizations",
         form(body, sizeof body, "_checkboxes", "1", "parent_id", root, "kind", "district", "name",
              "Đảng bộ thị xã Từ Sơn", "short_name", "", "code", "000.00.27.H03", "valid_from", "1/7/2015", "valid_to", "",
              "successor_id", "", NULL),
         &r);
    int64_t id = redirected_to(&r, "/organizations");
    tk_http_result_free(&r);
    json_t *org = tk_get(f->server, "/api/v1/organizations/%lld", (long long)id);
    assert_int_equal(tk_int(org, "parent_id"), f->root);
    assert_string_equal(tk_str(org, "kind"), "district");
    assert_string_equal(tk_str(org, "name"), "Đảng bộ thị xã Từ Sơn");
    assert_string_equal(tk_str(org, "code"), "000.00.27.H03");
    assert_string_equal(tk_str(org, "valid_from"), "2015-07-01");
    assert_true(tk_is_null(org, "valid_to"));
    assert_true(tk_is_null(org, "short_name"));
    assert_true(tk_is_null(org, "successor_id"));
    json_decref(org);
    get_page(f, tk_fmt(path, sizeof path, "/organizations/%lld", (long long)id), 200, &r);
    has(&r, "Đảng bộ thị xã Từ Sơn", path);
    tk_http_result_free(&r);
}

static void refused_organization_forms_write_nothing(void **state)
{
    fixture *f = *state;
    char body[1024], root[24];
    snprintf(root, sizeof root, "%lld", (long long)f->root);
    const char *list = "/api/v1/organizations";
    refused(f, "/organizations",
            form(body, sizeof body, "parent_id", root, "kind", "district", "name", "", "short_name", "Huyện ủy Tiên Du",
                 NULL),
            "name", "Cần nhập Tên đơn vị", "value=\"Huyện ủy Tiên Du\"", list);
    refused(f, "/organizations",
            form(body, sizeof body, "parent_id", root, "kind", "district", "name", "Đảng bộ huyện Tiên Du", "valid_from",
                 "31/4/2021", NULL),
            "valid_from", "Ngày thành lập phải là một ngày có thật", "value=\"31/4/2021\"", list);
    refused(f, "/organizations",
            form(body, sizeof body, "kind", "province", "name", "Đảng bộ huyện Tiên Du", NULL), "kind",
            "Loại đơn vị phải là một trong", "value=\"Đảng bộ huyện Tiên Du\"", list);
    refused(f, "/organizations",
            form(body, sizeof body, "parent_id", "999999", "kind", "district", "name", "Đảng bộ huyện Tiên Du", NULL),
            "parent_id", "Không có đơn vị mã số 999999", "value=\"Đảng bộ huyện Tiên Du\"", list);
    refused(f, "/organizations",
            form(body, sizeof body, "parent_id", root, "kind", "district", "name", "Đảng bộ huyện Tiên Du", "valid_from",
                 "01/01/2020", "valid_to", "31/12/2019", NULL),
            "valid_to", "phải sau ngày thành lập", "value=\"31/12/2019\"", list);
    /* The kind chosen stays chosen. */
    tk_http_result r;
    post(f, "/organizations", form(body, sizeof body, "kind", "commune", "name", "", NULL), &r);
    assert_int_equal(r.status, 422);
    has(&r, "<option value=\"commune\" selected>", "the kind kept");
    tk_http_result_free(&r);
}

static void an_organization_edit_form_shows_and_saves_but_never_moves_it(void **state)
{
    fixture *f = *state;
    char body[1024], path[128];
    int64_t other = tk_create_id(f->server, "/api/v1/organizations",
                                 json_pack("{s:s, s:s}", "kind", "party_committee", "name", "Đảng bộ tỉnh Bắc Giang"));
    int64_t id = tk_create_id(f->server, "/api/v1/organizations",
                              json_pack("{s:s, s:s, s:I, s:s, s:s}", "kind", "district", "name", "Đảng bộ huyện Quế Võ",
                                        "parent_id", (json_int_t)f->root, "valid_from", "2015-07-01", "short_name",
                                        "Huyện ủy Quế Võ"));
    tk_http_result r;
    get_page(f, tk_fmt(path, sizeof path, "/organizations/%lld/edit", (long long)id), 200, &r);
    has(&r, "Sửa thông tin đơn vị: Đảng bộ huyện Quế Võ", path);
    has(&r, "value=\"Đảng bộ huyện Quế Võ\"", path);
    has(&r, "value=\"Huyện ủy Quế Võ\"", path);
    has(&r, "value=\"01/07/2015\"", path); /* stored dates are shown dd/mm/yyyy */
    has(&r, "<option value=\"district\" selected>", path);
    /* The parent is shown, read-only, and not sent back. */
    has(&r, "value=\"Đảng bộ tỉnh Bắc Ninh\" readonly", path);
    has(&r, "Không sửa được sau khi đã tạo", path);
    has_not(&r, "name=\"parent_id\"", path);
    has(&r, tk_fmt(body, sizeof body, "action=\"/organizations/%lld\"", (long long)id), path);
    every_input_is_labelled(&r, path);
    tk_http_result_free(&r);

    /* A parent_id posted anyway is ignored; the rest is saved, and an emptied field cleared. */
    char other_id[24];
    snprintf(other_id, sizeof other_id, "%lld", (long long)other);
    post(f, tk_fmt(path, sizeof path, "/organizations/%lld", (long long)id),
         form(body, sizeof body, "_checkboxes", "1", "parent_id", other_id, "kind", "commune", "name",
              "Đảng bộ thị xã Quế Võ", "short_name", "", "code", "", "valid_from", "2015-07-01", "valid_to",
              "30/06/2025", "successor_id", "", NULL),
         &r);
    assert_int_equal(redirected_to(&r, "/organizations"), id);
    tk_http_result_free(&r);
    json_t *org = tk_get(f->server, "/api/v1/organizations/%lld", (long long)id);
    assert_int_equal(tk_int(org, "parent_id"), f->root);
    assert_string_equal(tk_str(org, "name"), "Đảng bộ thị xã Quế Võ");
    assert_string_equal(tk_str(org, "kind"), "commune");
    assert_string_equal(tk_str(org, "valid_to"), "2025-06-30");
    assert_true(tk_is_null(org, "short_name"));
    json_decref(org);

    /* A closing date before the founding date is refused, beside the field, and nothing changes. */
    post(f, path,
         form(body, sizeof body, "_checkboxes", "1", "kind", "commune", "name", "Tên mới không được lưu", "valid_from",
              "01/07/2015", "valid_to", "01/01/2010", NULL),
         &r);
    assert_int_equal(r.status, 422);
    has(&r, "<p class=\"field-error\" id=\"f-valid_to-error\">", "valid_to refused");
    has(&r, "value=\"Tên mới không được lưu\"", "the name typed is kept");
    has(&r, "Sửa thông tin đơn vị: Đảng bộ thị xã Quế Võ", "the heading names the stored unit");
    has(&r, "value=\"Đảng bộ tỉnh Bắc Ninh\" readonly", "the parent is still shown");
    tk_http_result_free(&r);
    org = tk_get(f->server, "/api/v1/organizations/%lld", (long long)id);
    assert_string_equal(tk_str(org, "name"), "Đảng bộ thị xã Quế Võ");
    assert_string_equal(tk_str(org, "valid_to"), "2025-06-30");
    json_decref(org);
}

static void a_dissolved_successor_stays_selected_on_the_edit_form(void **state)
{
    fixture *f = *state;
    char want[256], path[128];
    /* Dissolved units are not offered in new choices, but a stored one must survive a save. */
    int64_t gone = tk_create_id(f->server, "/api/v1/organizations",
                                json_pack("{s:s, s:s, s:s, s:s}", "kind", "district", "name", "Đảng bộ huyện Yên Phong cũ",
                                          "valid_from", "2000-01-01", "valid_to", "2010-12-31"));
    int64_t id = tk_create_id(f->server, "/api/v1/organizations",
                              json_pack("{s:s, s:s, s:s, s:s, s:I}", "kind", "district", "name", "Đảng bộ huyện Yên Phong",
                                        "valid_from", "2000-01-01", "valid_to", "2010-12-31", "successor_id",
                                        (json_int_t)gone));
    tk_http_result r;
    get_page(f, tk_fmt(path, sizeof path, "/organizations/%lld/edit", (long long)id), 200, &r);
    has(&r, tk_fmt(want, sizeof want, "<option value=\"%lld\" selected>Đảng bộ huyện Yên Phong cũ</option>", (long long)gone),
        path);
    /* A unit is never offered as its own successor. */
    has_not(&r, tk_fmt(want, sizeof want, "<option value=\"%lld\"", (long long)id), path);
    tk_http_result_free(&r);
}

/* ---- documents and their items ---- */

static void a_document_is_created_and_edited_through_its_form(void **state)
{
    fixture *f = *state;
    char body[2048], root[24], term[24], parent[24], path[128];
    snprintf(root, sizeof root, "%lld", (long long)f->root);
    snprintf(term, sizeof term, "%lld", (long long)f->term);
    snprintf(parent, sizeof parent, "%lld", (long long)f->resolution);

    tk_http_result r;
    get_page(f, tk_fmt(path, sizeof path, "/documents/new?implements_id=%s", parent), 200, &r);
    has(&r, tk_fmt(body, sizeof body, "<option value=\"%s\" selected>Nghị quyết: Nghị quyết Đại hội", parent), path);
    tk_http_result_free(&r);

    post(f, "/documents",
         form(body, sizeof body, "_checkboxes", "1", "kind", "action_program", "number", "01-CTr/TU", "title",
              "Chương trình hành động thực hiện Nghị quyết Đại hội XX", "organization_id", root, "issued_on", "2/11/2020",
              "term_id", term, "implements_id", parent, "continues_id", "", "summary", "Gồm 10 chương trình công tác.",
              NULL),
         &r);
    int64_t id = redirected_to(&r, "/documents");
    tk_http_result_free(&r);
    json_t *doc = tk_get(f->server, "/api/v1/documents/%lld", (long long)id);
    assert_string_equal(tk_str(doc, "kind"), "action_program");
    assert_string_equal(tk_str(doc, "number"), "01-CTr/TU");
    assert_string_equal(tk_str(doc, "issued_on"), "2020-11-02");
    assert_int_equal(tk_int(doc, "organization_id"), f->root);
    assert_int_equal(tk_int(doc, "term_id"), f->term);
    assert_int_equal(tk_int(doc, "implements_id"), f->resolution);
    assert_true(tk_is_null(doc, "continues_id"));
    json_decref(doc);

    get_page(f, tk_fmt(path, sizeof path, "/documents/%lld/edit", (long long)id), 200, &r);
    has(&r, "Sửa văn bản: Chương trình hành động 01-CTr/TU: Chương trình hành động thực hiện", path);
    has(&r, "value=\"01-CTr/TU\"", path);
    has(&r, "value=\"02/11/2020\"", path);
    has(&r, ">\nChương trình hành động thực hiện Nghị quyết Đại hội XX</textarea>", path);
    has(&r, "<option value=\"action_program\" selected>", path);
    has(&r, tk_fmt(body, sizeof body, "<option value=\"%s\" selected>", term), path);
    has(&r, tk_fmt(body, sizeof body, "<option value=\"%s\" selected>", parent), path);
    every_input_is_labelled(&r, path);
    tk_http_result_free(&r);

    /* Implementing itself is refused beside the field, and nothing changes. */
    char self[24];
    snprintf(self, sizeof self, "%lld", (long long)id);
    char edit[128];
    tk_fmt(edit, sizeof edit, "/documents/%lld", (long long)id);
    refused(f, edit,
            form(body, sizeof body, "kind", "action_program", "title", "Tên sửa không được lưu", "organization_id", root,
                 "implements_id", self, NULL),
            "implements_id", "không thể trỏ về chính nó", "Tên sửa không được lưu</textarea>", "/api/v1/documents");
    refused(f, edit,
            form(body, sizeof body, "kind", "action_program", "title", "Tên sửa không được lưu", "organization_id", root,
                 "issued_on", "31/4/2021", NULL),
            "issued_on", "Ngày ban hành phải là một ngày có thật", "value=\"31/4/2021\"", "/api/v1/documents");
    doc = tk_get(f->server, "/api/v1/documents/%lld", (long long)id);
    assert_string_equal(tk_str(doc, "title"), "Chương trình hành động thực hiện Nghị quyết Đại hội XX");
    assert_int_equal(tk_int(doc, "implements_id"), f->resolution);
    json_decref(doc);

    /* Changes are saved; an emptied field is cleared. */
    post(f, edit,
         form(body, sizeof body, "_checkboxes", "1", "kind", "plan", "number", "", "title", "Kế hoạch thực hiện Nghị quyết",
              "organization_id", root, "issued_on", "15/01/2021", "term_id", "", "implements_id", parent, "continues_id",
              "", "summary", "", NULL),
         &r);
    assert_int_equal(redirected_to(&r, "/documents"), id);
    tk_http_result_free(&r);
    doc = tk_get(f->server, "/api/v1/documents/%lld", (long long)id);
    assert_string_equal(tk_str(doc, "kind"), "plan");
    assert_string_equal(tk_str(doc, "title"), "Kế hoạch thực hiện Nghị quyết");
    assert_string_equal(tk_str(doc, "issued_on"), "2021-01-15");
    assert_true(tk_is_null(doc, "number"));
    assert_true(tk_is_null(doc, "term_id"));
    assert_true(tk_is_null(doc, "summary"));
    json_decref(doc);
}

static void refused_document_forms_write_nothing(void **state)
{
    fixture *f = *state;
    char body[1024], root[24];
    snprintf(root, sizeof root, "%lld", (long long)f->root);
    const char *list = "/api/v1/documents";
    refused(f, "/documents", form(body, sizeof body, "kind", "plan", "number", "05-KH/TU", "title", " ", "organization_id", root, NULL),
            "title", "Cần nhập Trích yếu", "value=\"05-KH/TU\"", list);
    refused(f, "/documents",
            form(body, sizeof body, "kind", "plan", "title", "Kế hoạch số 5", "organization_id", root, "issued_on",
                 "29/02/2021", NULL),
            "issued_on", "Ngày ban hành phải là một ngày có thật", "value=\"29/02/2021\"", list);
    refused(f, "/documents", form(body, sizeof body, "kind", "memo", "title", "Kế hoạch số 5", "organization_id", root, NULL),
            "kind", "Loại văn bản phải là một trong", "Kế hoạch số 5</textarea>", list);
    refused(f, "/documents", form(body, sizeof body, "kind", "plan", "title", "Kế hoạch số 5", NULL), "organization_id",
            "Cần nhập Cơ quan ban hành", "Kế hoạch số 5</textarea>", list);
    refused(f, "/documents",
            form(body, sizeof body, "kind", "plan", "title", "Kế hoạch số 5", "organization_id", root, "term_id", "999999",
                 NULL),
            "term_id", "Không có nhiệm kỳ mã số 999999", "Kế hoạch số 5</textarea>", list);
    refused(f, "/documents",
            form(body, sizeof body, "kind", "plan", "title", "Kế hoạch số 5", "organization_id", root, "implements_id",
                 "12abc", NULL),
            "implements_id", "phải là số nguyên", "Kế hoạch số 5</textarea>", list);
}

static void items_are_added_to_a_document_through_its_form(void **state)
{
    fixture *f = *state;
    char body[1024], path[128], list[128], other[24];
    int64_t doc = tk_create_id(f->server, "/api/v1/documents",
                               json_pack("{s:s, s:s, s:I}", "kind", "action_program", "title", "Chương trình hành động số 01",
                                         "organization_id", (json_int_t)f->root));
    tk_fmt(list, sizeof list, "/api/v1/document-items?document_id=%lld", (long long)doc);
    tk_fmt(path, sizeof path, "/documents/%lld/items", (long long)doc);

    tk_http_result r;
    char page[128];
    get_page(f, tk_fmt(page, sizeof page, "/documents/%lld/items/new", (long long)doc), 200, &r);
    has(&r, "Thêm nội dung văn bản", page);
    has(&r, "value=\"Chương trình hành động: Chương trình hành động số 01\" readonly", page);
    has(&r, tk_fmt(body, sizeof body, "action=\"/documents/%lld/items\"", (long long)doc), page);
    has(&r, "<option value=\"breakthrough\">Khâu đột phá</option>", page);
    has_not(&r, "name=\"document_id\"", page);
    tk_http_result_free(&r);

    /* The document is the one in the address, whatever the form says. */
    snprintf(other, sizeof other, "%lld", (long long)f->resolution);
    post(f, path,
         form(body, sizeof body, "_checkboxes", "1", "document_id", other, "kind", "goal", "position", "2", "text",
              "Phấn đấu đến năm 2030 trở thành thành phố trực thuộc Trung ương.", "milestone_year", "2030", NULL),
         &r);
    assert_int_equal(redirected_to(&r, "/documents"), doc);
    tk_http_result_free(&r);
    json_t *items = tk_get(f->server, "%s", list);
    assert_int_equal(json_array_size(tk_arr(items, "items")), 1);
    json_t *item = json_array_get(tk_arr(items, "items"), 0);
    assert_string_equal(tk_str(item, "kind"), "goal");
    assert_int_equal(tk_int(item, "position"), 2);
    assert_int_equal(tk_int(item, "milestone_year"), 2030);
    assert_string_equal(tk_str(item, "text"), "Phấn đấu đến năm 2030 trở thành thành phố trực thuộc Trung ương.");
    json_decref(items);
    assert_int_equal(count(f, tk_fmt(page, sizeof page, "/api/v1/document-items?document_id=%lld", (long long)f->resolution)),
                     0);

    refused(f, path, form(body, sizeof body, "kind", "goal", "text", "", "milestone_year", "2045", NULL), "text",
            "Cần nhập Nội dung", "value=\"2045\"", list);
    refused(f, path, form(body, sizeof body, "kind", "wish", "text", "Tăng trưởng bình quân 8%/năm", NULL), "kind",
            "Loại nội dung phải là một trong", "Tăng trưởng bình quân 8%/năm</textarea>", list);
    refused(f, path, form(body, sizeof body, "kind", "goal", "text", "Tăng trưởng", "milestone_year", "năm 2030", NULL),
            "milestone_year", "Mốc năm phải là số nguyên", "value=\"năm 2030\"", list);
    refused(f, path, form(body, sizeof body, "kind", "goal", "text", "Tăng trưởng", "milestone_year", "3000", NULL),
            "milestone_year", "Mốc năm phải từ", "value=\"3000\"", list);
}

/* ---- programs ---- */

static void a_program_is_created_and_edited_through_its_form(void **state)
{
    fixture *f = *state;
    char body[2048], root[24], doc_id[24], path[128];
    int64_t doc = tk_create_id(f->server, "/api/v1/documents",
                               json_pack("{s:s, s:s, s:s, s:I}", "kind", "action_program", "number", "02-CTr/TU", "title",
                                         "Chương trình hành động số 02", "organization_id", (json_int_t)f->root));
    snprintf(root, sizeof root, "%lld", (long long)f->root);
    snprintf(doc_id, sizeof doc_id, "%lld", (long long)doc);

    tk_http_result r;
    get_page(f, tk_fmt(path, sizeof path, "/programs/new?document_id=%s", doc_id), 200, &r);
    has(&r, tk_fmt(body, sizeof body, "<option value=\"%s\" selected>Chương trình hành động 02-CTr/TU: ", doc_id), path);
    has(&r, tk_fmt(body, sizeof body, "href=\"/documents/%s\">Hủy</a>", doc_id), path);
    tk_http_result_free(&r);

    post(f, "/programs",
         form(body, sizeof body, "_checkboxes", "1", "document_id", doc_id, "number", "03", "title",
              "Chương trình phát triển đô thị", "period_text", "giai đoạn 2021 - 2025", "lead_org_id", root,
              "steering_committee", "Đồng chí Bí thư Tỉnh ủy làm Trưởng ban", "continues_id", "", NULL),
         &r);
    int64_t id = redirected_to(&r, "/programs");
    tk_http_result_free(&r);
    json_t *program = tk_get(f->server, "/api/v1/programs/%lld", (long long)id);
    assert_int_equal(tk_int(program, "document_id"), doc);
    assert_int_equal(tk_int(program, "lead_org_id"), f->root);
    assert_string_equal(tk_str(program, "number"), "03");
    assert_string_equal(tk_str(program, "period_first"), "2021-01-01");
    assert_string_equal(tk_str(program, "period_last"), "2025-12-31");
    json_decref(program);

    tk_fmt(path, sizeof path, "/programs/%lld/edit", (long long)id);
    get_page(f, path, 200, &r);
    has(&r, "Sửa chương trình công tác: 03. Chương trình phát triển đô thị", path);
    has(&r, "value=\"giai đoạn 2021 - 2025\"", path);
    has(&r, tk_fmt(body, sizeof body, "<option value=\"%s\" selected>", doc_id), path);
    has(&r, "\nĐồng chí Bí thư Tỉnh ủy làm Trưởng ban</textarea>", path);
    every_input_is_labelled(&r, path);
    tk_http_result_free(&r);

    char edit[128];
    tk_fmt(edit, sizeof edit, "/programs/%lld", (long long)id);
    refused(f, edit,
            form(body, sizeof body, "document_id", doc_id, "title", "Tên không được lưu", "period_text", "Thường xuyên", NULL),
            "period_text", "phải là một khoảng thời gian", "value=\"Thường xuyên\"", "/api/v1/programs");
    program = tk_get(f->server, "/api/v1/programs/%lld", (long long)id);
    assert_string_equal(tk_str(program, "title"), "Chương trình phát triển đô thị");
    json_decref(program);
    post(f, edit,
         form(body, sizeof body, "_checkboxes", "1", "document_id", doc_id, "number", "03", "title",
              "Chương trình phát triển đô thị thông minh", "period_text", "2021-2030", "lead_org_id", "",
              "steering_committee", "", "continues_id", "", NULL),
         &r);
    assert_int_equal(redirected_to(&r, "/programs"), id);
    tk_http_result_free(&r);
    program = tk_get(f->server, "/api/v1/programs/%lld", (long long)id);
    assert_string_equal(tk_str(program, "title"), "Chương trình phát triển đô thị thông minh");
    assert_string_equal(tk_str(program, "period_last"), "2030-12-31");
    assert_true(tk_is_null(program, "lead_org_id"));
    json_decref(program);
}

static void refused_program_forms_write_nothing(void **state)
{
    fixture *f = *state;
    char body[1024], doc[24];
    snprintf(doc, sizeof doc, "%lld", (long long)f->resolution);
    const char *list = "/api/v1/programs";
    refused(f, "/programs", form(body, sizeof body, "title", "Chương trình chuyển đổi số", NULL), "document_id",
            "Cần nhập Chương trình hành động", "Chương trình chuyển đổi số</textarea>", list);
    refused(f, "/programs", form(body, sizeof body, "document_id", doc, "number", "04", "title", "", NULL), "title",
            "Cần nhập Tên chương trình", "value=\"04\"", list);
    refused(f, "/programs",
            form(body, sizeof body, "document_id", doc, "title", "Chương trình chuyển đổi số", "period_text",
                 "đầu tháng 7/2021", NULL),
            "period_text", "đầu tháng 7/2021", "value=\"đầu tháng 7/2021\"", list);
    refused(f, "/programs",
            form(body, sizeof body, "document_id", doc, "title", "Chương trình chuyển đổi số", "lead_org_id", "999999", NULL),
            "lead_org_id", "Không có đơn vị mã số 999999", "Chương trình chuyển đổi số</textarea>", list);
    refused(f, "/programs",
            form(body, sizeof body, "document_id", "999999", "title", "Chương trình chuyển đổi số", NULL), "document_id",
            "Không có văn bản mã số 999999", "Chương trình chuyển đổi số</textarea>", list);
}

/* ---- what every form shares ---- */

static void unknown_objects_are_missing_pages(void **state)
{
    fixture *f = *state;
    static const char *const gets[] = {"/organizations/999999/edit", "/documents/999999/edit", "/programs/999999/edit",
                                       "/documents/999999/items/new"};
    for (size_t i = 0; i < 4; i++) {
        tk_http_result r;
        get_page(f, gets[i], 404, &r);
        has(&r, "Không tìm thấy trang", gets[i]);
        tk_http_result_free(&r);
    }
    static const char *const posts[] = {"/organizations/999999", "/documents/999999", "/programs/999999",
                                        "/documents/999999/items"};
    const char *body = "kind=goal&name=X&title=X&text=X";
    for (size_t i = 0; i < 4; i++) {
        tk_http_result r;
        post(f, posts[i], body, &r);
        if (r.status != 404) fail_msg("POST %s -> %ld, want 404", posts[i], r.status);
        tk_http_result_free(&r);
    }
    assert_int_equal(count(f, "/api/v1/document-items?document_id=999999"), 0);
}

static void hostile_text_is_escaped_in_every_form(void **state)
{
    fixture *f = *state;
    static const char hostile[] = "<script>alert(\"x\")</script> & 'q'";
    static const char escaped[] = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;";
    char body[1024], root[24], path[128];
    snprintf(root, sizeof root, "%lld", (long long)f->root);

    /* Stored through the form, shown in the edit form's value attribute. */
    tk_http_result r;
    post(f, "/organizations", form(body, sizeof body, "kind", "other", "name", hostile, "parent_id", root, NULL), &r);
    int64_t org = redirected_to(&r, "/organizations");
    tk_http_result_free(&r);
    get_page(f, tk_fmt(path, sizeof path, "/organizations/%lld/edit", (long long)org), 200, &r);
    has_not(&r, "<script>alert", path);
    has(&r, tk_fmt(body, sizeof body, "value=\"%s\"", escaped), path);
    tk_http_result_free(&r);

    /* Kept in a refused form: a textarea and the summary. */
    post(f, "/documents", form(body, sizeof body, "kind", "plan", "title", hostile, "number", hostile, NULL), &r);
    assert_int_equal(r.status, 422);
    has_not(&r, "<script>alert", "refused document");
    has(&r, tk_fmt(body, sizeof body, "\n%s</textarea>", escaped), "refused document");
    has(&r, tk_fmt(body, sizeof body, "value=\"%s\"", escaped), "refused document");
    tk_http_result_free(&r);

    /* In the choices of another form: the hostile unit is a choice of lead unit. */
    get_page(f, "/programs/new", 200, &r);
    has_not(&r, "<script>alert", "/programs/new");
    has(&r, tk_fmt(body, sizeof body, ">%s</option>", escaped), "/programs/new");
    tk_http_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_forms_render_in_vietnamese_with_a_label_for_every_input),
        cmocka_unit_test(the_english_forms_have_an_english_label_for_every_field),
        cmocka_unit_test(an_organization_is_created_through_its_form),
        cmocka_unit_test(refused_organization_forms_write_nothing),
        cmocka_unit_test(an_organization_edit_form_shows_and_saves_but_never_moves_it),
        cmocka_unit_test(a_dissolved_successor_stays_selected_on_the_edit_form),
        cmocka_unit_test(a_document_is_created_and_edited_through_its_form),
        cmocka_unit_test(refused_document_forms_write_nothing),
        cmocka_unit_test(items_are_added_to_a_document_through_its_form),
        cmocka_unit_test(a_program_is_created_and_edited_through_its_form),
        cmocka_unit_test(refused_program_forms_write_nothing),
        cmocka_unit_test(unknown_objects_are_missing_pages),
        cmocka_unit_test(hostile_text_is_escaped_in_every_form),
    };
    return tk_test_exit(cmocka_run_group_tests(tests, setup, teardown));
}
