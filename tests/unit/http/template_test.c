/* http/template: the Mustache renderer pages are drawn with. Each row is a template, the JSON
 * it is rendered over and the expected page; the partials the rows use are in `partials`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "http/template.h"

static const struct {
    const char *name, *text;
} partial_sources[] = {
    {"greeting", "Xin chào {{name}}!"},
    {"row", "<li>{{title}}</li>\n"},
    {"tree", "{{name}}{{#children}}({{>tree}}){{/children}}"},
    {"loop", "x{{>loop}}"},
    {"down", "{{#d}}{{>down}}{{/d}}."},
    {"box", "|\n{{{content}}}\n|\n"},
    {"lines", "a\n{{#t}}\nb\n{{/t}}\n"},
    {"outer", "<\n  {{>box}}\n>\n"},
};
enum { PARTIAL_COUNT = sizeof partial_sources / sizeof partial_sources[0] };
static tk_template *partials[PARTIAL_COUNT];

static const tk_template *find_partial(void *data, const char *name)
{
    (void)data;
    for (size_t i = 0; i < PARTIAL_COUNT; i++)
        if (strcmp(partial_sources[i].name, name) == 0) return partials[i];
    return NULL;
}

static const struct {
    const char *template, *context, *expected;
} renders[] = {
    /* escaping: every character HTML or an attribute value could take for markup */
    {"{{s}}", "{\"s\":\"a & b\"}", "a &amp; b"},
    {"{{s}}", "{\"s\":\"<b>\"}", "&lt;b&gt;"},
    {"{{s}}", "{\"s\":\"\\\"q\\\"\"}", "&quot;q&quot;"},
    {"{{s}}", "{\"s\":\"it's\"}", "it&#39;s"},
    {"{{s}}", "{\"s\":\"`cmd`\"}", "&#96;cmd&#96;"},
    {"{{s}}", "{\"s\":\"a=b\"}", "a&#61;b"},
    {"{{s}}", "{\"s\":\"&<>\\\"'`=\"}", "&amp;&lt;&gt;&quot;&#39;&#96;&#61;"},
    {"{{s}}", "{\"s\":\"/ \\\\ # % ; :\"}", "/ \\ # % ; :"},
    {"<a title=\"{{s}}\">", "{\"s\":\"x\\\" onclick=\\\"y\"}",
     "<a title=\"x&quot; onclick&#61;&quot;y\">"},
    /* raw, both forms, and padding inside tags */
    {"{{{s}}}", "{\"s\":\"<b>&amp;</b>\"}", "<b>&amp;</b>"},
    {"{{&s}}", "{\"s\":\"<b>'`=</b>\"}", "<b>'`=</b>"},
    {"{{& s }}", "{\"s\":\"<i>\"}", "<i>"},
    {"{{{ s }}}", "{\"s\":\"<i>\"}", "<i>"},
    {"{{ s }}|{{\ts\t}}|{{\ns\n}}", "{\"s\":\"<\"}", "&lt;|&lt;|&lt;"},
    /* values of every JSON type */
    {"{{n}}", "{\"n\":42}", "42"},
    {"{{n}}", "{\"n\":-7}", "-7"},
    {"{{n}}", "{\"n\":9007199254740993}", "9007199254740993"},
    {"{{n}}", "{\"n\":1.5}", "1.5"},
    {"{{n}}", "{\"n\":2.0}", "2"},
    {"{{n}}", "{\"n\":0.1}", "0.1"},
    {"{{n}}", "{\"n\":0.30000000000000004}", "0.3"},
    {"{{n}}", "{\"n\":1234567.891}", "1234567.891"},
    {"{{n}}", "{\"n\":-0.25}", "-0.25"},
    {"{{b}}|{{c}}", "{\"b\":true,\"c\":false}", "true|false"},
    {"[{{z}}]", "{\"z\":null}", "[]"},
    {"[{{o}}][{{a}}]", "{\"o\":{\"x\":1},\"a\":[1,2]}", "[][]"},
    {"[{{missing}}][{{{missing}}}][{{&missing}}]", "{}", "[][][]"},
    {"[{{s}}]", "{\"s\":\"\"}", "[]"},
    /* Vietnamese text, in the template and in the data, passes through as it is */
    {"Kế hoạch số {{so}} – triển khai Nghị quyết", "{\"so\":\"12-KH/TU\"}",
     "Kế hoạch số 12-KH/TU – triển khai Nghị quyết"},
    {"{{don_vi}}", "{\"don_vi\":\"Đảng ủy & Ủy ban nhân dân tỉnh Quảng Trị\"}",
     "Đảng ủy &amp; Ủy ban nhân dân tỉnh Quảng Trị"},
    {"{{#việc}}<li>{{tên}}</li>{{/việc}}", "{\"việc\":[{\"tên\":\"Tổng kết\"},{\"tên\":\"Sơ kết\"}]}",
     "<li>Tổng kết</li><li>Sơ kết</li>"},
    /* dotted names */
    {"{{a.b.c}}", "{\"a\":{\"b\":{\"c\":\"x\"}}}", "x"},
    {"{{{a.b.c}}}", "{\"a\":{\"b\":{\"c\":\"<\"}}}", "<"},
    {"[{{a.x.c}}]", "{\"a\":{\"b\":{\"c\":\"x\"}}}", "[]"},
    {"[{{a.b.c}}]", "{\"a\":{\"b\":5}}", "[]"},
    {"[{{a.b.c}}]", "{\"a\":null}", "[]"},
    {"[{{x.y}}]", "{}", "[]"},
    {"{{#a.b}}yes{{/a.b}}{{^a.c}}no{{/a.c}}", "{\"a\":{\"b\":true}}", "yesno"},
    {"{{#a}}{{b.c}}{{/a}}", "{\"a\":{},\"b\":{\"c\":\"outer\"}}", "outer"},
    /* once the first part is found, the rest is looked up there only (spec: context precedence) */
    {"[{{#a}}{{b.c}}{{/a}}]", "{\"a\":{\"b\":{}},\"b\":{\"c\":\"ERROR\"}}", "[]"},
    /* the context stack, from the inner section outwards */
    {"{{#a}}{{#b}}{{x}}-{{y}}-{{z}}{{/b}}{{/a}}", "{\"x\":1,\"a\":{\"y\":2,\"b\":{\"z\":3}}}",
     "1-2-3"},
    {"{{#a}}{{x}}{{/a}}", "{\"x\":\"outer\",\"a\":{\"x\":\"inner\"}}", "inner"},
    {"[{{#a}}{{x}}{{/a}}]", "{\"x\":\"outer\",\"a\":{\"x\":null}}", "[]"},
    {"{{#tasks}}{{title}} ({{unit}}); {{/tasks}}",
     "{\"unit\":\"Sở Nội vụ\",\"tasks\":[{\"title\":\"A\"},{\"title\":\"B\",\"unit\":\"UBND\"}]}",
     "A (Sở Nội vụ); B (UBND); "},
    /* sections: what is skipped, what is rendered once, what is repeated */
    {"[{{#v}}x{{/v}}]", "{\"v\":false}", "[]"},
    {"[{{#v}}x{{/v}}]", "{\"v\":null}", "[]"},
    {"[{{#v}}x{{/v}}]", "{}", "[]"},
    {"[{{#v}}x{{/v}}]", "{\"v\":[]}", "[]"},
    {"[{{#v}}x{{/v}}]", "{\"v\":\"\"}", "[]"},
    {"[{{#v}}x{{/v}}]", "{\"v\":true}", "[x]"},
    {"[{{#v}}x{{/v}}]", "{\"v\":0}", "[x]"},
    {"[{{#v}}x{{/v}}]", "{\"v\":{}}", "[x]"},
    {"[{{#v}}{{.}}{{/v}}]", "{\"v\":\"văn bản\"}", "[văn bản]"},
    {"[{{#v}}{{.}}{{/v}}]", "{\"v\":3.25}", "[3.25]"},
    {"{{#v}}{{name}}{{/v}}", "{\"name\":\"outer\",\"v\":true}", "outer"},
    {"{{#org}}{{name}} – {{level}}{{/org}}", "{\"org\":{\"name\":\"Huyện ủy\",\"level\":2}}",
     "Huyện ủy – 2"},
    {"<ul>{{#tasks}}<li>{{title}}</li>{{/tasks}}</ul>",
     "{\"tasks\":[{\"title\":\"Một\"},{\"title\":\"<Hai>\"},{}]}",
     "<ul><li>Một</li><li>&lt;Hai&gt;</li><li></li></ul>"},
    {"{{#l}}{{.}},{{/l}}", "{\"l\":[1,\"a<\",true,1.5,null,false]}", "1,a&lt;,true,1.5,,false,"},
    {"{{#l}}{{{.}}},{{/l}}", "{\"l\":[\"<\",\"&\"]}", "<,&,"},
    {"{{#l}}[{{#.}}{{.}}{{/.}}]{{/l}}", "{\"l\":[[1,2],[],[3]]}", "[12][][3]"},
    {"{{#a}}{{#b}}{{#c}}deep{{/c}}{{/b}}{{/a}}", "{\"a\":{\"b\":{\"c\":true}}}", "deep"},
    {"{{#a}}{{#b}}{{#c}}deep{{/c}}{{/b}}{{/a}}", "{\"a\":{\"b\":{\"c\":false}}}", ""},
    {"{{#o}}{{#items}}{{o_name}}:{{n}} {{/items}}{{/o}}",
     "{\"o\":{\"o_name\":\"X\",\"items\":[{\"n\":1},{\"n\":2}]}}", "X:1 X:2 "},
    {"{{#a}}1{{/a}}{{#a}}2{{/a}}", "{\"a\":true}", "12"},
    /* inverted sections */
    {"[{{^v}}none{{/v}}]", "{\"v\":[]}", "[none]"},
    {"[{{^v}}none{{/v}}]", "{\"v\":false}", "[none]"},
    {"[{{^v}}none{{/v}}]", "{}", "[none]"},
    {"[{{^v}}none{{/v}}]", "{\"v\":null}", "[none]"},
    {"[{{^v}}none{{/v}}]", "{\"v\":\"\"}", "[none]"},
    {"[{{^v}}none{{/v}}]", "{\"v\":[1]}", "[]"},
    {"[{{^v}}none{{/v}}]", "{\"v\":true}", "[]"},
    {"[{{^v}}none{{/v}}]", "{\"v\":0}", "[]"},
    {"[{{^v}}{{name}}{{/v}}]", "{\"name\":\"ctx\"}", "[ctx]"},
    {"{{#l}}{{.}}{{/l}}{{^l}}Chưa có nhiệm vụ{{/l}}", "{\"l\":[]}", "Chưa có nhiệm vụ"},
    /* the current element */
    {"{{.}}", "\"a<b\"", "a&lt;b"},
    {"[{{.}}]", "{\"a\":1}", "[]"},
    /* comments */
    {"a{{! bình luận }}b", "{}", "ab"},
    {"a{{!}}b", "{}", "ab"},
    {"a{{! {{x }}b", "{\"x\":1}", "ab"},
    {"a{{! {{x}} }}b", "{\"x\":1}", "a }}b"}, /* a comment ends at the first "}}" */
    {"a{{!\nnhiều\ndòng\n}}b", "{}", "ab"},
    {"Begin.\n{{! comment }}\nEnd.\n", "{}", "Begin.\nEnd.\n"},
    {"Begin.\n  {{!\n  multi\n  }}  \nEnd.\n", "{}", "Begin.\nEnd.\n"},
    {"  12 {{! 34 }}\n", "{}", "  12 \n"},
    /* standalone lines: a section, inverted, closing, comment or partial tag alone on its
     * line takes the line with it; anything else on the line keeps it */
    {"a\n{{#t}}\nb\n{{/t}}\nc\n", "{\"t\":true}", "a\nb\nc\n"},
    {"a\n  {{#t}}\n  b\n  {{/t}}\nc\n", "{\"t\":true}", "a\n  b\nc\n"},
    {"a\n\t{{^t}}  \nb\n {{/t}}\t\nc\n", "{\"t\":false}", "a\nb\nc\n"},
    {"a\r\n{{#t}}\r\nb\r\n{{/t}}\r\nc", "{\"t\":true}", "a\r\nb\r\nc"},
    {"{{#t}}\nfirst\n{{/t}}\n", "{\"t\":true}", "first\n"},
    {"a\n{{#t}}\nb\n{{/t}}", "{\"t\":true}", "a\nb\n"},
    {"  {{#t}}x{{/t}}\n", "{\"t\":true}", "  x\n"},
    {"{{#t}}{{/t}}\n", "{\"t\":true}", "\n"},
    {"a {{#t}}\nb\n{{/t}}", "{\"t\":true}", "a \nb\n"},
    {"{{#t}}\n{{/t}} x\n", "{\"t\":true}", " x\n"},
    {"  {{x}}\n", "{\"x\":\"X\"}", "  X\n"},
    {"  {{{x}}}\n", "{\"x\":\"X\"}", "  X\n"},
    {"<ul>\n{{#l}}\n  <li>{{.}}</li>\n{{/l}}\n</ul>\n", "{\"l\":[1,2]}",
     "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n"},
    {"{{#a}}\n{{#b}}\nx\n{{/b}}\n{{/a}}\n", "{\"a\":true,\"b\":true}", "x\n"},
    {"a\n{{! c }}\n{{#t}}\nb\n{{/t}}\n", "{\"t\":true}", "a\nb\n"},
    {"\r\n{{! c }}\r\n", "{}", "\r\n"},
    {"{{! c }}\r", "{}", "\r"},
    /* partials */
    {"{{>greeting}}", "{\"name\":\"An\"}", "Xin chào An!"},
    {"{{> greeting }}", "{\"name\":\"<An>\"}", "Xin chào &lt;An&gt;!"},
    {"[{{>nowhere}}]", "{}", "[]"},
    {"{{#a}}{{>greeting}}{{/a}}", "{\"name\":\"An\",\"a\":{\"name\":\"Bình\"}}", "Xin chào Bình!"},
    {"<ul>\n{{#tasks}}\n{{>row}}\n{{/tasks}}\n</ul>\n",
     "{\"tasks\":[{\"title\":\"A\"},{\"title\":\"B\"}]}", "<ul>\n<li>A</li>\n<li>B</li>\n</ul>\n"},
    {"{{>tree}}",
     "{\"name\":\"a\",\"children\":[{\"name\":\"b\",\"children\":[{\"name\":\"c\",\"children\":[]}]},"
     "{\"name\":\"d\",\"children\":null}]}",
     "a(b(c))(d)"},
    {"a\n{{>greeting}}\nb", "{\"name\":\"An\"}", "a\nXin chào An!b"},
    {"x {{>greeting}}\n", "{\"name\":\"An\"}", "x Xin chào An!\n"},
    /* a standalone partial's lines are indented as its tag, but not the lines of values */
    {"\\\n {{>box}}\n/\n", "{\"content\":\"<\\n->\"}", "\\\n |\n <\n->\n |\n/\n"},
    {"  {{>lines}}", "{\"t\":true}", "  a\n  b\n"},
    {"{{>outer}}", "{\"content\":\"c\"}", "<\n  |\n  c\n  |\n>\n"},
    {"  {{>outer}}", "{\"content\":\"c\"}", "  <\n    |\n    c\n    |\n  >\n"},
    /* trivial templates */
    {"", "{}", ""},
    {"chỉ có chữ", "{}", "chỉ có chữ"},
    {"{ {x} } {x}} }}", "{\"x\":1}", "{ {x} } {x}} }}"},
};

static json_t *load(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!v) fail_msg("context %s: %s", text, jerr.text);
    return v;
}

/* Parses and renders, failing the test on any error. Returns a new string. */
static char *render(const char *template, const json_t *context)
{
    tk_template *t = NULL;
    tk_error err;
    tk_code rc = tk_template_parse(template, strlen(template), "t", &t, &err);
    if (rc) fail_msg("parse %s: %s", template, err.message);
    char *out = NULL;
    size_t len = 0;
    rc = tk_template_render(t, context, find_partial, NULL, &out, &len, &err);
    if (rc) fail_msg("render %s: %s", template, err.message);
    assert_int_equal(len, strlen(out));
    tk_template_free(t);
    return out;
}

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < PARTIAL_COUNT; i++) {
        tk_error err;
        const char *text = partial_sources[i].text;
        if (tk_template_parse(text, strlen(text), partial_sources[i].name, &partials[i], &err))
            return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < PARTIAL_COUNT; i++) tk_template_free(partials[i]);
    return 0;
}

static void test_renders(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof renders / sizeof renders[0]; i++) {
        json_t *context = load(renders[i].context);
        char *out = render(renders[i].template, context);
        if (strcmp(out, renders[i].expected) != 0)
            fail_msg("row %zu: %s over %s\n  expected [%s]\n  got      [%s]", i, renders[i].template,
                     renders[i].context, renders[i].expected, out);
        free(out);
        json_decref(context);
    }
}

/* Each refusal names the template and the line of the tag at fault, then says what is wrong. */
#define BAD_NAME " không hợp lệ (có khoảng trắng, ký tự điều khiển hoặc dấu ngoặc nhọn)"
static const struct {
    const char *template;
    int line;
    const char *what;
} parse_errors[] = {
    {"{{x", 1, "thẻ \"{{\" chưa đóng bằng \"}}\""},
    {"a\n{{", 2, "thẻ \"{{\" chưa đóng bằng \"}}\""},
    {"a\nb {{x\n{{y}}", 2, "thẻ \"{{\" chưa đóng bằng \"}}\""},
    {"{{! comment", 1, "thẻ \"{{\" chưa đóng bằng \"}}\""},
    {"{{x}", 1, "thẻ \"{{\" chưa đóng bằng \"}}\""},
    {"\n\n{{{a}}", 3, "thẻ \"{{{\" phải đóng bằng \"}}}\""},
    {"{{{a}} }", 1, "thẻ \"{{{\" phải đóng bằng \"}}}\""},
    {"a\n\n{{#s}}\nb", 3, "thẻ {{#s}} chưa đóng"},
    {"{{^s}}", 1, "thẻ {{^s}} chưa đóng"},
    {"{{#a}}\n{{#b}}\n{{/b}}", 1, "thẻ {{#a}} chưa đóng"},
    {"{{#a}}\n{{#b}}\n{{/a}}", 3, "thẻ {{/a}} không khớp với thẻ mở {{#b}} ở dòng 2"},
    {"{{#a}}\n{{/b}}", 2, "thẻ {{/b}} không khớp với thẻ mở {{#a}} ở dòng 1"},
    {"{{^a}}{{/a.b}}", 1, "thẻ {{/a.b}} không khớp với thẻ mở {{^a}} ở dòng 1"},
    {"x\n{{/a}}", 2, "thẻ {{/a}} không có thẻ mở {{#a}}"},
    {"{{#a}}{{/a}}{{/a}}", 1, "thẻ {{/a}} không có thẻ mở {{#a}}"},
    {"{{}}", 1, "thẻ không có tên"},
    {"a\n{{ }}", 2, "thẻ không có tên"},
    {"{{#}}{{/}}", 1, "thẻ không có tên"},
    {"{{#a}}\n{{/ }}", 2, "thẻ không có tên"},
    {"{{^}}", 1, "thẻ không có tên"},
    {"{{>}}", 1, "thẻ không có tên"},
    {"{{{ }}}", 1, "thẻ không có tên"},
    {"{{&}}", 1, "thẻ không có tên"},
    {"\n{{a b}}", 2, "tên \"a b\"" BAD_NAME},
    {"{{#a b}}{{/a b}}", 1, "tên \"a b\"" BAD_NAME},
    {"{{a{b}}", 1, "tên \"a{b\"" BAD_NAME},
    {"{{a\001b}}", 1, "tên \"a\001b\"" BAD_NAME},
    {"{{a..b}}", 1, "tên \"a..b\" có phần rỗng giữa các dấu chấm"},
    {"{{.a}}", 1, "tên \".a\" có phần rỗng giữa các dấu chấm"},
    {"{{#a.}}{{/a.}}", 1, "tên \"a.\" có phần rỗng giữa các dấu chấm"},
    {"{{..}}", 1, "tên \"..\" có phần rỗng giữa các dấu chấm"},
    {"a\n{{=<% %>=}}", 2, "không hỗ trợ thẻ đổi dấu phân cách {{=...=}}"},
};

static void test_parse_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_errors / sizeof parse_errors[0]; i++) {
        const char *text = parse_errors[i].template;
        tk_template *t = (tk_template *)&t; /* must be reset to NULL */
        tk_error err;
        tk_code rc = tk_template_parse(text, strlen(text), "t", &t, &err);
        if (rc != TK_INVALID_INPUT) fail_msg("row %zu: %s parsed (%d)", i, text, rc);
        assert_null(t);
        assert_int_equal(err.code, TK_INVALID_INPUT);
        char expected[TK_ERROR_MESSAGE_MAX];
        snprintf(expected, sizeof expected, "Mẫu trang \"t\", dòng %d: %s", parse_errors[i].line,
                 parse_errors[i].what);
        if (strcmp(err.message, expected) != 0)
            fail_msg("row %zu: %s\n  expected %s\n  got      %s", i, text, expected, err.message);
    }
}

/* Builds depth sections named "a" nested one per line, around body. */
static char *nested_sections(int depth, const char *body)
{
    size_t cap = (size_t)depth * 16 + strlen(body) + 1;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t len = 0;
    for (int i = 0; i < depth; i++) len += (size_t)snprintf(s + len, cap - len, "{{#a}}\n");
    len += (size_t)snprintf(s + len, cap - len, "%s", body);
    for (int i = 0; i < depth; i++) len += (size_t)snprintf(s + len, cap - len, "{{/a}}\n");
    return s;
}

static void test_nesting_limit(void **state)
{
    (void)state;
    char *deepest = nested_sections(TK_TEMPLATE_DEPTH_MAX, "x\n");
    json_t *context = load("{\"a\":true}");
    char *out = render(deepest, context);
    assert_string_equal(out, "x\n");
    free(out);
    free(deepest);

    char *too_deep = nested_sections(TK_TEMPLATE_DEPTH_MAX + 1, "x\n");
    tk_template *t = NULL;
    tk_error err;
    assert_int_equal(tk_template_parse(too_deep, strlen(too_deep), "t", &t, &err), TK_INVALID_INPUT);
    assert_null(t);
    assert_string_equal(err.message, "Mẫu trang \"t\", dòng 65: các mục {{#...}} lồng nhau quá 64 tầng");
    free(too_deep);
    json_decref(context);
}

static void test_message_names_template(void **state)
{
    (void)state;
    tk_template *t = NULL;
    tk_error err;
    assert_int_equal(tk_template_parse("{{#a}}", 6, "trang_chu.mustache", &t, &err), TK_INVALID_INPUT);
    assert_string_equal(err.message, "Mẫu trang \"trang_chu.mustache\", dòng 1: thẻ {{#a}} chưa đóng");

    /* a long name is cut at a character boundary, so the message stays valid UTF-8 */
    char name[400] = "";
    for (int i = 0; i < 100; i++) strcat(name, "ệ");
    assert_int_equal(tk_template_parse("{{}}", 4, name, &t, &err), TK_INVALID_INPUT);
    const char *quoted = strchr(err.message, '"') + 1;
    size_t shown = (size_t)(strchr(quoted, '"') - quoted);
    assert_true(shown > 0 && shown <= 80 && shown % 3 == 0);
}

/* Parsing reads only the len bytes it is given: a template cut inside a tag is a tag not
 * closed, never a read past the end. */
static void test_length_is_respected(void **state)
{
    (void)state;
    const char *text = "ab{{x}}cd";
    tk_template *t = NULL;
    tk_error err;
    assert_int_equal(tk_template_parse(text, 5, "t", &t, &err), TK_INVALID_INPUT);
    assert_int_equal(tk_template_parse(text, 2, "t", &t, &err), TK_OK);
    char *out = NULL;
    size_t len = 99;
    assert_int_equal(tk_template_render(t, NULL, NULL, NULL, &out, &len, &err), TK_OK);
    assert_string_equal(out, "ab");
    assert_int_equal(len, 2);
    free(out);
    tk_template_free(t);

    assert_int_equal(tk_template_parse(NULL, 0, NULL, &t, &err), TK_OK);
    assert_string_equal(tk_template_name(t), "");
    assert_int_equal(tk_template_render(t, NULL, NULL, NULL, &out, NULL, &err), TK_OK);
    assert_string_equal(out, "");
    free(out);
    tk_template_free(t);
    tk_template_free(NULL);
}

static void test_without_context_or_partials(void **state)
{
    (void)state;
    const char *text = "{{a}}{{.}}{{#a}}x{{/a}}{{^a}}y{{/a}}[{{>greeting}}]";
    tk_template *t = NULL;
    tk_error err;
    assert_int_equal(tk_template_parse(text, strlen(text), "t", &t, &err), TK_OK);
    char *out = NULL;
    assert_int_equal(tk_template_render(t, NULL, NULL, NULL, &out, NULL, &err), TK_OK);
    assert_string_equal(out, "y[]");
    free(out);
    tk_template_free(t);
}

static tk_code render_error(const char *text, const json_t *context, tk_error *err)
{
    tk_template *t = NULL;
    assert_int_equal(tk_template_parse(text, strlen(text), "t", &t, err), TK_OK);
    char *out = (char *)&out; /* must be reset to NULL */
    size_t len = 99;
    tk_code rc = tk_template_render(t, context, find_partial, NULL, &out, &len, err);
    if (rc == TK_OK) free(out);
    else assert_null(out);
    tk_template_free(t);
    return rc;
}

static void test_partial_depth(void **state)
{
    (void)state;
    tk_error err;
    assert_int_equal(render_error("{{>loop}}", NULL, &err), TK_INVALID_INPUT);
    assert_string_equal(err.message, "Mẫu trang \"t\": mẫu con \"loop\" lồng nhau quá 16 tầng");

    /* A leaf without the key the recursion follows finds its parent's value up the context
     * stack and recurses until the limit: the data must end the recursion with null or []. */
    json_t *context = load("{\"d\":{}}");
    assert_int_equal(render_error("{{>down}}", context, &err), TK_INVALID_INPUT);
    json_decref(context);

    /* "down" includes itself once for each level of "d": the template itself plus 16 partials
     * inside one another is the most allowed. */
    context = json_pack("{s:n}", "d");
    json_t *inner = context;
    for (int level = 1; level <= TK_TEMPLATE_PARTIAL_DEPTH_MAX; level++) {
        json_t *d = json_pack("{s:n}", "d");
        json_object_set_new(inner, "d", d);
        inner = d;
        tk_code rc = render_error("{{>down}}", context, &err);
        if (level < TK_TEMPLATE_PARTIAL_DEPTH_MAX) assert_int_equal(rc, TK_OK);
        else assert_int_equal(rc, TK_INVALID_INPUT);
    }
    char *out = render("{{#d}}{{>down}}{{/d}}", context);
    assert_int_equal(strlen(out), TK_TEMPLATE_PARTIAL_DEPTH_MAX);
    free(out);
    json_decref(context);
}

static void test_output_limit(void **state)
{
    (void)state;
    size_t mib = (size_t)1 << 20;
    char *big = malloc(mib + 1);
    assert_non_null(big);
    memset(big, 'a', mib);
    big[mib] = '\0';
    json_t *context = json_pack("{s:s, s:[]}", "s", big, "l");
    free(big);
    json_t *list = json_object_get(context, "l");
    for (int i = 0; i < 16; i++) json_array_append_new(list, json_true());

    tk_error err;
    assert_int_equal(render_error("{{#l}}{{s}}{{/l}}", context, &err), TK_OK); /* exactly 16 MiB */
    json_array_append_new(list, json_true());
    assert_int_equal(render_error("{{#l}}{{s}}{{/l}}", context, &err), TK_TOO_LARGE);
    assert_string_equal(err.message, "Mẫu trang \"t\": trang dựng ra vượt quá 16 MiB");
    /* escaping grows the text too, and is counted */
    json_object_set_new(context, "s", json_string("<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"));
    json_array_clear(list);
    for (int i = 0; i < 140000; i++) json_array_append_new(list, json_true());
    assert_int_equal(render_error("{{#l}}{{{s}}}{{/l}}", context, &err), TK_OK);
    assert_int_equal(render_error("{{#l}}{{s}}{{/l}}", context, &err), TK_TOO_LARGE);
    json_decref(context);
}

static void test_work_limit(void **state)
{
    (void)state;
    json_t *context = load("{\"l\":[1,2]}");
    /* 2^30 passes that print nothing */
    char *text = nested_sections(30, "");
    char *p;
    while ((p = strstr(text, "{{#a}}"))) p[3] = 'l';
    while ((p = strstr(text, "{{/a}}"))) p[3] = 'l';
    tk_error err;
    assert_int_equal(render_error(text, context, &err), TK_TOO_LARGE);
    assert_non_null(strstr(err.message, "bước"));
    free(text);
    json_decref(context);
}

/* One parsed template, many threads: rendering must not write to the template. */
typedef struct job {
    const tk_template *t;
    const json_t *context;
    char *out;
} job;

static void *render_job(void *arg)
{
    job *j = arg;
    tk_error err;
    for (int i = 0; i < 200; i++) {
        free(j->out);
        j->out = NULL;
        if (tk_template_render(j->t, j->context, find_partial, NULL, &j->out, NULL, &err)) break;
    }
    return NULL;
}

static void test_shared_between_threads(void **state)
{
    (void)state;
    const char *text = "{{#tasks}}\n  {{>row}}\n{{/tasks}}\n";
    tk_template *t = NULL;
    tk_error err;
    assert_int_equal(tk_template_parse(text, strlen(text), "t", &t, &err), TK_OK);
    json_t *context = load("{\"tasks\":[{\"title\":\"A\"},{\"title\":\"B&\"}]}");
    job jobs[4];
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (job){t, context, NULL};
        assert_int_equal(pthread_create(&threads[i], NULL, render_job, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        assert_non_null(jobs[i].out);
        assert_string_equal(jobs[i].out, "  <li>A</li>\n  <li>B&amp;</li>\n");
        free(jobs[i].out);
    }
    json_decref(context);
    tk_template_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_renders),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_message_names_template),
        cmocka_unit_test(test_length_is_respected),
        cmocka_unit_test(test_without_context_or_partials),
        cmocka_unit_test(test_partial_depth),
        cmocka_unit_test(test_output_limit),
        cmocka_unit_test(test_work_limit),
        cmocka_unit_test(test_shared_between_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
