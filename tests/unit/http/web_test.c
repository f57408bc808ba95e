#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "http/web.h"

/* Every message has both languages: a key missing from one catalog would show its raw name. */
static void the_catalogs_have_the_same_keys(void **state)
{
    (void)state;
    tk_web *web = NULL;
    tk_error err = {0};
    assert_int_equal(tk_web_open(NULL, &web, &err), TK_OK);
    const json_t *vi = tk_web_catalog(web, "vi"), *en = tk_web_catalog(web, "en");
    assert_ptr_not_equal(vi, en);
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)vi, key, v) {
        if (!json_is_string(json_object_get(en, key))) fail_msg("en has no \"%s\"", key);
        if (json_string_length(v) == 0) fail_msg("vi \"%s\" is empty", key);
    }
    json_object_foreach((json_t *)en, key, v) {
        if (!json_object_get(vi, key)) fail_msg("vi has no \"%s\"", key);
    }
    assert_ptr_equal(tk_web_catalog(web, "fr"), vi); /* an unknown language falls back to Vietnamese */
    tk_web_close(web);
}

static void static_files_carry_a_type_an_etag_and_a_smaller_gzip(void **state)
{
    (void)state;
    tk_web *web = NULL;
    tk_error err = {0};
    assert_int_equal(tk_web_open(NULL, &web, &err), TK_OK);
    const tk_web_static *css = tk_web_static_get(web, "app.css");
    assert_non_null(css);
    assert_string_equal(css->content_type, "text/css; charset=utf-8");
    assert_int_equal(strlen(css->etag), 18);
    assert_non_null(css->gzip);
    assert_true(css->gzip_size < css->size);
    assert_non_null(tk_web_static_get(web, "app.js"));
    assert_null(tk_web_static_get(web, "../templates/layout.mustache"));
    tk_web_close(web);
}

static void a_page_renders_inside_the_layout_and_escapes(void **state)
{
    (void)state;
    tk_web *web = NULL;
    tk_error err = {0};
    assert_int_equal(tk_web_open(NULL, &web, &err), TK_OK);
    json_t *context = json_pack("{s:s, s:O, s:s}", "lang", "vi", "t", tk_web_catalog(web, "vi"), "q", "<b>\"x\"");
    char *html = NULL;
    size_t len = 0;
    assert_int_equal(tk_web_render(web, "search", context, &html, &len, &err), TK_OK);
    assert_non_null(strstr(html, "<html lang=\"vi\">"));
    assert_non_null(strstr(html, "Kết quả tìm kiếm"));
    assert_non_null(strstr(html, "&lt;b&gt;&quot;x&quot;"));
    assert_null(strstr(html, "<b>\"x\""));
    free(html);
    assert_int_equal(tk_web_render(web, "no_such_page", context, &html, &len, &err), TK_INTERNAL);
    json_decref(context);
    tk_web_close(web);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_catalogs_have_the_same_keys),
        cmocka_unit_test(static_files_carry_a_type_an_etag_and_a_smaller_gzip),
        cmocka_unit_test(a_page_renders_inside_the_layout_and_escapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
