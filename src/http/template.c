#include "http/template.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The parsed form is a flat array of nodes in template order. A section's body is the nodes
 * after it up to its `end`, so the tree needs no pointers between nodes and no recursive free.
 * Texts, names and indents live in one pool that nodes refer to by offset, since it moves
 * while it grows. */
typedef enum node_kind {
    NODE_TEXT,
    NODE_ESCAPED,
    NODE_RAW,
    NODE_SECTION,
    NODE_INVERTED,
    NODE_PARTIAL,
} node_kind;

typedef struct node {
    node_kind kind;
    bool standalone;  /* a partial alone on its line: its lines get the line's indent */
    size_t segments;  /* parts of a dotted name, each NUL-terminated in the pool; 0 for "." */
    size_t off, len;  /* text, or first name part, or partial name */
    size_t indent_off, indent_len;
    size_t end;       /* sections: index of the first node after the body */
} node;

struct tk_template {
    char *name;
    node *nodes;
    size_t count;
    char *pool;
};

/* ---- messages ---------------------------------------------------------------------------- */

/* Longest prefix of s, at most max bytes, that does not end inside a UTF-8 sequence: names are
 * quoted in messages that end up in JSON answers, which must stay valid text. */
static int clip(const char *s, size_t len, size_t max)
{
    if (len <= max) return (int)len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return (int)n;
}

enum { QUOTE_MAX = 80 };

static int line_of(const char *src, size_t pos)
{
    int line = 1;
    for (size_t i = 0; i < pos; i++)
        if (src[i] == '\n') line++;
    return line;
}

/* ---- parsing ----------------------------------------------------------------------------- */

typedef struct open_section {
    size_t node;
    size_t tag;  /* offset of its "{{" in the source, for messages */
    size_t name_off, name_len;
    char sigil;
} open_section;

typedef struct parser {
    const char *src;
    size_t len;
    const char *name;
    tk_template *t;
    size_t nodes_cap, pool_len, pool_cap;
    open_section open[TK_TEMPLATE_DEPTH_MAX];
    size_t depth;
    tk_error *err;
} parser;

static tk_code no_memory(tk_error *err)
{
    return tk_error_set(err, TK_NO_MEMORY, NULL, "Không đủ bộ nhớ để xử lý mẫu trang");
}

static tk_code __attribute__((format(printf, 3, 4)))
syntax_error(parser *p, size_t pos, const char *fmt, ...)
{
    char what[TK_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return tk_error_set(p->err, TK_INVALID_INPUT, NULL, "Mẫu trang \"%.*s\", dòng %d: %s",
                        clip(p->name, strlen(p->name), QUOTE_MAX), p->name, line_of(p->src, pos),
                        what);
}

static bool pool_add(parser *p, const char *s, size_t n, size_t *off)
{
    if (n + 1 > p->pool_cap - p->pool_len) {
        size_t cap = p->pool_cap ? p->pool_cap : 256;
        while (n + 1 > cap - p->pool_len) cap *= 2;
        char *grown = realloc(p->t->pool, cap);
        if (!grown) return false;
        p->t->pool = grown;
        p->pool_cap = cap;
    }
    *off = p->pool_len;
    if (n) memcpy(p->t->pool + p->pool_len, s, n);
    p->t->pool[p->pool_len + n] = '\0';
    p->pool_len += n + 1;
    return true;
}

static node *node_add(parser *p, node_kind kind)
{
    if (p->t->count == p->nodes_cap) {
        size_t cap = p->nodes_cap ? p->nodes_cap * 2 : 32;
        node *grown = realloc(p->t->nodes, cap * sizeof *grown);
        if (!grown) return NULL;
        p->t->nodes = grown;
        p->nodes_cap = cap;
    }
    node *n = &p->t->nodes[p->t->count++];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    return n;
}

static tk_code add_text(parser *p, size_t from, size_t to)
{
    if (from >= to) return TK_OK;
    node *n = node_add(p, NODE_TEXT);
    if (!n || !pool_add(p, p->src + from, to - from, &n->off)) return no_memory(p->err);
    n->len = to - from;
    return TK_OK;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Checks a name and stores it in the pool with its dotted parts split at NULs. The spec asks
 * for a non-empty name without white space; control characters (a NUL would cut the name) and
 * braces (a tag typed inside a tag) are refused too, and so are empty parts ("a..b", "a."),
 * which would always miss: they are typing mistakes. */
static tk_code add_name(parser *p, node *n, size_t at, size_t off, size_t len, bool dotted)
{
    const char *s = p->src + off;
    if (len == 0) return syntax_error(p, at, "thẻ không có tên");
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] <= ' ' || s[i] == '{' || s[i] == '}' || s[i] == 0x7F)
            return syntax_error(p, at,
                                "tên \"%.*s\" không hợp lệ (có khoảng trắng, ký tự điều khiển "
                                "hoặc dấu ngoặc nhọn)",
                                clip(s, len, QUOTE_MAX), s);
    }
    if (dotted && len == 1 && s[0] == '.') {
        n->segments = 0;
        return TK_OK;
    }
    n->segments = 1;
    if (dotted) {
        for (size_t i = 0; i < len; i++) {
            if (s[i] != '.') continue;
            if (i == 0 || i == len - 1 || s[i + 1] == '.')
                return syntax_error(p, at, "tên \"%.*s\" có phần rỗng giữa các dấu chấm",
                                    clip(s, len, QUOTE_MAX), s);
            n->segments++;
        }
    }
    if (!pool_add(p, s, len, &n->off)) return no_memory(p->err);
    n->len = len;
    if (dotted) {
        char *stored = p->t->pool + n->off;
        for (size_t i = 0; i < len; i++)
            if (stored[i] == '.') stored[i] = '\0';
    }
    return TK_OK;
}

/* Offset of the next "{{" at or after from, or len. */
static size_t find_open(const char *s, size_t from, size_t len)
{
    while (from + 1 < len) {
        const char *brace = memchr(s + from, '{', len - from - 1);
        if (!brace) break;
        size_t i = (size_t)(brace - s);
        if (s[i + 1] == '{') return i;
        from = i + 1;
    }
    return len;
}

/* Offset of the next "}}" at or after from, or len. */
static size_t find_close(const char *s, size_t from, size_t len)
{
    while (from + 1 < len) {
        const char *brace = memchr(s + from, '}', len - from - 1);
        if (!brace) break;
        size_t i = (size_t)(brace - s);
        if (s[i + 1] == '}') return i;
        from = i + 1;
    }
    return len;
}

typedef struct tag {
    char sigil;      /* '#', '^', '/', '!', '>', '&', '{' or 0 for a plain variable */
    size_t start;    /* offset of "{{" */
    size_t end;      /* offset after the closing braces */
    size_t name_off, name_len;
} tag;

static tk_code read_tag(parser *p, size_t start, tag *out)
{
    const char *s = p->src;
    size_t len = p->len;
    size_t body = start + 2;
    char sigil = body < len ? s[body] : 0;
    if (sigil == '=')
        return syntax_error(p, start, "không hỗ trợ thẻ đổi dấu phân cách {{=...=}}");
    if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!' || sigil == '>' ||
        sigil == '&' || sigil == '{')
        body++;
    else
        sigil = 0;

    size_t close = find_close(s, body, len);
    if (close == len) return syntax_error(p, start, "thẻ \"{{\" chưa đóng bằng \"}}\"");
    if (sigil != '!') {
        /* A "{{" before the closing braces means this tag was left open and the braces
         * belong to the next one; naming this line is more useful than a name with "{{". */
        size_t next = find_open(s, body, close);
        if (next < close) return syntax_error(p, start, "thẻ \"{{\" chưa đóng bằng \"}}\"");
    }
    size_t end = close + 2;
    if (sigil == '{') {
        if (end >= len || s[end] != '}')
            return syntax_error(p, start, "thẻ \"{{{\" phải đóng bằng \"}}}\"");
        end++;
    }

    size_t a = body, b = close;
    while (a < b && is_space(s[a])) a++;
    while (b > a && is_space(s[b - 1])) b--;
    *out = (tag){.sigil = sigil, .start = start, .end = end, .name_off = a, .name_len = b - a};
    return TK_OK;
}

/* A section, inverted, closing, comment or partial tag with only spaces or tabs between it and
 * the ends of its line is "standalone": the spec removes that whole line, newline included.
 * The text run since the previous tag must reach back to the line start: a previous tag on
 * the same line makes this one inline. On success *line_start is where the leading white space
 * begins and *after is where the next line starts. */
static bool standalone(const parser *p, size_t run, const tag *tg, size_t *line_start,
                       size_t *after)
{
    const char *s = p->src;
    size_t a = tg->start;
    while (a > run && (s[a - 1] == ' ' || s[a - 1] == '\t')) a--;
    if (a > 0 && s[a - 1] != '\n') return false;
    size_t b = tg->end;
    while (b < p->len && (s[b] == ' ' || s[b] == '\t')) b++;
    if (b < p->len) {
        if (s[b] == '\n') b++;
        else if (s[b] == '\r' && b + 1 < p->len && s[b + 1] == '\n') b += 2;
        else return false;
    }
    *line_start = a;
    *after = b;
    return true;
}

static tk_code open_section_tag(parser *p, const tag *tg)
{
    if (p->depth == TK_TEMPLATE_DEPTH_MAX)
        return syntax_error(p, tg->start, "các mục {{#...}} lồng nhau quá %d tầng",
                            TK_TEMPLATE_DEPTH_MAX);
    node *n = node_add(p, tg->sigil == '#' ? NODE_SECTION : NODE_INVERTED);
    if (!n) return no_memory(p->err);
    tk_code rc = add_name(p, n, tg->start, tg->name_off, tg->name_len, true);
    if (rc) return rc;
    p->open[p->depth++] = (open_section){.node = p->t->count - 1,
                                         .tag = tg->start,
                                         .name_off = tg->name_off,
                                         .name_len = tg->name_len,
                                         .sigil = tg->sigil};
    return TK_OK;
}

static tk_code close_section_tag(parser *p, const tag *tg)
{
    const char *s = p->src;
    const char *name = s + tg->name_off;
    int shown = clip(name, tg->name_len, QUOTE_MAX);
    if (tg->name_len == 0) return syntax_error(p, tg->start, "thẻ không có tên");
    if (p->depth == 0)
        return syntax_error(p, tg->start, "thẻ {{/%.*s}} không có thẻ mở {{#%.*s}}", shown, name,
                            shown, name);
    const open_section *o = &p->open[p->depth - 1];
    if (o->name_len != tg->name_len || memcmp(s + o->name_off, name, o->name_len) != 0) {
        const char *open_name = s + o->name_off;
        return syntax_error(p, tg->start,
                            "thẻ {{/%.*s}} không khớp với thẻ mở {{%c%.*s}} ở dòng %d", shown,
                            name, o->sigil, clip(open_name, o->name_len, QUOTE_MAX), open_name,
                            line_of(s, o->tag));
    }
    p->t->nodes[o->node].end = p->t->count;
    p->depth--;
    return TK_OK;
}

static tk_code partial_tag(parser *p, const tag *tg, bool alone, size_t line_start)
{
    node *n = node_add(p, NODE_PARTIAL);
    if (!n) return no_memory(p->err);
    tk_code rc = add_name(p, n, tg->start, tg->name_off, tg->name_len, false);
    if (rc) return rc;
    if (alone) {
        n->standalone = true;
        n->indent_len = tg->start - line_start;
        if (!pool_add(p, p->src + line_start, n->indent_len, &n->indent_off))
            return no_memory(p->err);
    }
    return TK_OK;
}

static tk_code parse(parser *p)
{
    size_t run = 0; /* start of the text not yet stored */
    size_t pos = 0;
    for (;;) {
        size_t start = find_open(p->src, pos, p->len);
        if (start == p->len) break;
        tag tg = {0};
        tk_code rc = read_tag(p, start, &tg);
        if (rc) return rc;

        size_t text_end = tg.start, next = tg.end;
        bool alone = false;
        if (tg.sigil == '#' || tg.sigil == '^' || tg.sigil == '/' || tg.sigil == '!' ||
            tg.sigil == '>')
            alone = standalone(p, run, &tg, &text_end, &next);
        if (!alone) text_end = tg.start;
        if ((rc = add_text(p, run, text_end))) return rc;

        switch (tg.sigil) {
        case '#':
        case '^': rc = open_section_tag(p, &tg); break;
        case '/': rc = close_section_tag(p, &tg); break;
        case '>': rc = partial_tag(p, &tg, alone, text_end); break;
        case '!': break;
        default: {
            node *n = node_add(p, tg.sigil ? NODE_RAW : NODE_ESCAPED);
            rc = n ? add_name(p, n, tg.start, tg.name_off, tg.name_len, true) : no_memory(p->err);
        }
        }
        if (rc) return rc;
        run = pos = next;
    }
    tk_code rc = add_text(p, run, p->len);
    if (rc) return rc;
    if (p->depth > 0) {
        const open_section *o = &p->open[p->depth - 1];
        const char *name = p->src + o->name_off;
        return syntax_error(p, o->tag, "thẻ {{%c%.*s}} chưa đóng", o->sigil,
                            clip(name, o->name_len, QUOTE_MAX), name);
    }
    return TK_OK;
}

tk_code tk_template_parse(const char *text, size_t len, const char *name, tk_template **out,
                          tk_error *err)
{
    *out = NULL;
    if (!text) len = 0;
    if (!name) name = "";
    size_t name_len = strlen(name);
    tk_template *t = calloc(1, sizeof *t);
    if (!t || !(t->name = malloc(name_len + 1))) {
        free(t);
        return no_memory(err);
    }
    memcpy(t->name, name, name_len + 1);
    parser p = {.src = text, .len = len, .name = name, .t = t, .err = err};
    tk_code rc = parse(&p);
    if (rc) {
        tk_template_free(t);
        return rc;
    }
    *out = t;
    return TK_OK;
}

void tk_template_free(tk_template *t)
{
    if (!t) return;
    free(t->name);
    free(t->nodes);
    free(t->pool);
    free(t);
}

const char *tk_template_name(const tk_template *t)
{
    return t->name;
}

/* ---- rendering --------------------------------------------------------------------------- */

/* The context stack lives on the C stack: each section pushes a frame in its own call. */
typedef struct frame {
    const json_t *value;
    const struct frame *up;
} frame;

typedef struct renderer {
    const tk_template *root;
    tk_partial_fn partials;
    void *data;
    tk_error *err;
    char *out;
    size_t len, cap;
    size_t steps;
    int partial_depth;
    /* Indent of the standalone partials being rendered, outermost first. It is written before
     * each line of template text (not of interpolated values), as the spec asks. */
    char *indent;
    size_t indent_len, indent_cap;
    bool line_start;
} renderer;

static tk_code too_large(renderer *r)
{
    return tk_error_set(r->err, TK_TOO_LARGE, NULL,
                        "Mẫu trang \"%.*s\": trang dựng ra vượt quá %d MiB",
                        clip(r->root->name, strlen(r->root->name), QUOTE_MAX), r->root->name,
                        TK_TEMPLATE_OUTPUT_MAX >> 20);
}

static tk_code put(renderer *r, const char *s, size_t n)
{
    if (n > (size_t)TK_TEMPLATE_OUTPUT_MAX - r->len) return too_large(r);
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 1024;
        while (r->len + n + 1 > cap) cap *= 2;
        char *grown = realloc(r->out, cap);
        if (!grown) return no_memory(r->err);
        r->out = grown;
        r->cap = cap;
    }
    if (n) memcpy(r->out + r->len, s, n);
    r->len += n;
    return TK_OK;
}

static tk_code put_indent(renderer *r)
{
    if (!r->line_start || r->indent_len == 0) return TK_OK;
    r->line_start = false;
    return put(r, r->indent, r->indent_len);
}

static tk_code put_escaped(renderer *r, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const char *entity;
        switch (s[i]) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        case '`': entity = "&#96;"; break;
        case '=': entity = "&#61;"; break;
        default: continue;
        }
        tk_code rc = put(r, s + from, i - from);
        if (!rc) rc = put(r, entity, strlen(entity));
        if (rc) return rc;
        from = i + 1;
    }
    return put(r, s + from, n - from);
}

static tk_code put_text(renderer *r, const char *s, size_t n)
{
    if (r->indent_len == 0) return put(r, s, n);
    while (n > 0) {
        const char *nl = memchr(s, '\n', n);
        size_t line = nl ? (size_t)(nl - s) + 1 : n;
        tk_code rc = put_indent(r);
        if (!rc) rc = put(r, s, line);
        if (rc) return rc;
        r->line_start = nl != NULL;
        s += line;
        n -= line;
    }
    return TK_OK;
}

static tk_code put_value(renderer *r, const json_t *v, bool escape)
{
    char number[64];
    const char *s;
    size_t n;
    switch (json_typeof(v)) {
    case JSON_STRING:
        s = json_string_value(v);
        n = json_string_length(v);
        break;
    case JSON_INTEGER:
        n = (size_t)snprintf(number, sizeof number, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = number;
        break;
    case JSON_REAL:
        n = (size_t)snprintf(number, sizeof number, "%.15g", json_real_value(v));
        s = number;
        break;
    case JSON_TRUE: s = "true", n = 4; break;
    case JSON_FALSE: s = "false", n = 5; break;
    default: return TK_OK;
    }
    return escape ? put_escaped(r, s, n) : put(r, s, n);
}

/* Mustache name resolution: "." is the top of the stack; otherwise the first part is looked
 * up in the nearest object that has it as a key (even with a null value, which stops the
 * search), and each further part only inside the previous result. */
static const json_t *lookup(const tk_template *t, const node *n, const frame *ctx)
{
    if (n->segments == 0) return ctx->value;
    const char *part = t->pool + n->off;
    const json_t *v = NULL;
    for (const frame *f = ctx; f && !v; f = f->up)
        if (json_is_object(f->value)) v = json_object_get(f->value, part);
    for (size_t i = 1; v && i < n->segments; i++) {
        part += strlen(part) + 1;
        v = json_is_object(v) ? json_object_get(v, part) : NULL;
    }
    return v;
}

static bool truthy(const json_t *v)
{
    if (!v) return false;
    switch (json_typeof(v)) {
    case JSON_NULL:
    case JSON_FALSE: return false;
    case JSON_ARRAY: return json_array_size(v) > 0;
    case JSON_STRING: return json_string_length(v) > 0;
    default: return true;
    }
}

static tk_code step(renderer *r)
{
    if (++r->steps <= TK_TEMPLATE_STEPS_MAX) return TK_OK;
    return tk_error_set(r->err, TK_TOO_LARGE, NULL,
                        "Mẫu trang \"%.*s\": dựng trang cần quá nhiều bước (các mục lồng nhau "
                        "lặp quá nhiều lần)",
                        clip(r->root->name, strlen(r->root->name), QUOTE_MAX), r->root->name);
}

static tk_code render_nodes(renderer *r, const tk_template *t, size_t from, size_t to,
                            const frame *ctx);

static tk_code render_partial(renderer *r, const tk_template *t, const node *n, const frame *ctx)
{
    const char *name = t->pool + n->off;
    const tk_template *partial = r->partials ? r->partials(r->data, name) : NULL;
    if (!partial) return TK_OK;
    if (r->partial_depth == TK_TEMPLATE_PARTIAL_DEPTH_MAX)
        return tk_error_set(r->err, TK_INVALID_INPUT, NULL,
                            "Mẫu trang \"%.*s\": mẫu con \"%.*s\" lồng nhau quá %d tầng",
                            clip(r->root->name, strlen(r->root->name), QUOTE_MAX), r->root->name,
                            clip(name, n->len, QUOTE_MAX), name, TK_TEMPLATE_PARTIAL_DEPTH_MAX);

    size_t outer_indent = r->indent_len;
    if (n->standalone) {
        size_t need = r->indent_len + n->indent_len;
        if (need > r->indent_cap) {
            size_t cap = r->indent_cap ? r->indent_cap : 64;
            while (need > cap) cap *= 2;
            char *grown = realloc(r->indent, cap);
            if (!grown) return no_memory(r->err);
            r->indent = grown;
            r->indent_cap = cap;
        }
        if (n->indent_len)
            memcpy(r->indent + r->indent_len, t->pool + n->indent_off, n->indent_len);
        r->indent_len = need;
        r->line_start = true;
    }
    r->partial_depth++;
    tk_code rc = render_nodes(r, partial, 0, partial->count, ctx);
    r->partial_depth--;
    r->indent_len = outer_indent;
    return rc;
}

static tk_code render_nodes(renderer *r, const tk_template *t, size_t from, size_t to,
                            const frame *ctx)
{
    tk_code rc = TK_OK;
    size_t i = from;
    while (i < to && !rc) {
        const node *n = &t->nodes[i];
        if ((rc = step(r))) break;
        switch (n->kind) {
        case NODE_TEXT:
            rc = put_text(r, t->pool + n->off, n->len);
            break;
        case NODE_ESCAPED:
        case NODE_RAW: {
            const json_t *v = lookup(t, n, ctx);
            rc = put_indent(r);
            if (!rc && v) rc = put_value(r, v, n->kind == NODE_ESCAPED);
            break;
        }
        case NODE_SECTION: {
            const json_t *v = lookup(t, n, ctx);
            if (json_is_array(v)) {
                for (size_t k = 0; k < json_array_size(v) && !rc; k++) {
                    frame inner = {json_array_get(v, k), ctx};
                    rc = step(r);
                    if (!rc) rc = render_nodes(r, t, i + 1, n->end, &inner);
                }
            } else if (truthy(v)) {
                frame inner = {v, ctx};
                rc = render_nodes(r, t, i + 1, n->end, &inner);
            }
            i = n->end;
            continue;
        }
        case NODE_INVERTED:
            if (!truthy(lookup(t, n, ctx))) rc = render_nodes(r, t, i + 1, n->end, ctx);
            i = n->end;
            continue;
        case NODE_PARTIAL:
            rc = render_partial(r, t, n, ctx);
            break;
        }
        i++;
    }
    return rc;
}

tk_code tk_template_render(const tk_template *t, const json_t *context, tk_partial_fn partials,
                           void *data, char **out, size_t *out_len, tk_error *err)
{
    *out = NULL;
    if (out_len) *out_len = 0;
    renderer r = {.root = t, .partials = partials, .data = data, .err = err, .line_start = true};
    frame root = {context, NULL};
    tk_code rc = render_nodes(&r, t, 0, t->count, &root);
    if (!rc) rc = put(&r, "", 0); /* makes room for the NUL when nothing was written */
    free(r.indent);
    if (rc) {
        free(r.out);
        return rc;
    }
    r.out[r.len] = '\0';
    *out = r.out;
    if (out_len) *out_len = r.len;
    return TK_OK;
}
