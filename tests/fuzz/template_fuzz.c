/* Fuzz target for page templates (http/template). The input is parsed as a template and, when
 * it parses, rendered over a fixed context that holds every JSON type, with partials that
 * include the input itself (so recursion and its limit are exercised). Beyond not crashing, it
 * checks: a refusal names the template and a line that exists; a render ends in a NUL at the
 * length it reports, or fails with no output; and escaping is never bypassed: an input
 * without '<', '&' (so no "{{&") and "{{{" renders no '<', though the context is full of them. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char context_text[] =
    "{\"name\": \"Đảng bộ <tỉnh> & \\\"Ủy ban\\\" 'x' `y` =z\","
    " \"n\": 42, \"r\": 1.5, \"neg\": -0.001, \"big\": 1e300, \"t\": true, \"f\": false,"
    " \"z\": null, \"e\": \"\", \"el\": [],"
    " \"o\": {\"name\": \"<inner>\", \"o\": {\"name\": \"<deep>\"}, \"z\": 0},"
    " \"l\": [1, \"<two>\", {\"name\": \"<three>\", \"l\": []}, [4, \"<5>\"], null, false],"
    " \"tasks\": [{\"title\": \"A<\", \"done\": true}, {\"title\": \"B&\", \"done\": false, \"tasks\": []}],"
    " \"tree\": {\"name\": \"<root>\", \"children\": [{\"name\": \"<leaf>\", \"children\": []}]}}";

static const char *const partial_sources[][2] = {
    {"row", "- {{name}}\n"},
    {"box", "|\n{{name}}\n  {{#l}}\n{{.}}\n  {{/l}}\n|\n"},
    {"tree", "{{name}}{{#children}}({{>tree}}){{/children}}"},
};
enum { PARTIAL_COUNT = sizeof partial_sources / sizeof partial_sources[0] };

static json_t *context;
static tk_template *partials[PARTIAL_COUNT];

static void setup(void)
{
    json_error_t jerr;
    context = json_loads(context_text, 0, &jerr);
    if (!context) abort();
    for (size_t i = 0; i < PARTIAL_COUNT; i++) {
        tk_error err;
        const char *text = partial_sources[i][1];
        if (tk_template_parse(text, strlen(text), partial_sources[i][0], &partials[i], &err))
            abort();
    }
}

static const tk_template *find_partial(void *data, const char *name)
{
    if (strcmp(name, "self") == 0) return data;
    for (size_t i = 0; i < PARTIAL_COUNT; i++)
        if (strcmp(partial_sources[i][0], name) == 0) return partials[i];
    return NULL;
}

static bool contains(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(s + i, needle, n) == 0) return true;
    return false;
}

static void check_refusal(const char *text, size_t size, const tk_error *err)
{
    static const char prefix[] = "Mẫu trang \"fuzz\", dòng ";
    if (err->code != TK_INVALID_INPUT) abort();
    if (!memchr(err->message, '\0', sizeof err->message)) abort();
    if (strncmp(err->message, prefix, sizeof prefix - 1) != 0) abort();
    long line = strtol(err->message + sizeof prefix - 1, NULL, 10);
    long lines = 1;
    for (size_t i = 0; i < size; i++)
        if (text[i] == '\n') lines++;
    if (line < 1 || line > lines) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!context) setup();
    const char *text = (const char *)data;
    tk_template *t = NULL;
    tk_error err;
    tk_code rc = tk_template_parse(text, size, "fuzz", &t, &err);
    if (rc == TK_NO_MEMORY) return 0;
    if (rc) {
        if (t) abort();
        check_refusal(text, size, &err);
        return 0;
    }
    if (!t) abort();

    char *out = NULL;
    size_t len = 0;
    rc = tk_template_render(t, context, find_partial, t, &out, &len, &err);
    if (rc == TK_OK) {
        if (!out || out[len] != '\0' || len > TK_TEMPLATE_OUTPUT_MAX) abort();
        bool escaped_only = !contains(text, size, "<") && !contains(text, size, "&") &&
                            !contains(text, size, "{{{");
        if (escaped_only && contains(out, len, "<")) abort();
        free(out);
    } else {
        if (out || err.code != rc) abort();
        if (rc != TK_TOO_LARGE && rc != TK_INVALID_INPUT && rc != TK_NO_MEMORY) abort();
    }
    tk_template_free(t);
    return 0;
}
