/* Logic-less page templates: the Mustache language (https://mustache.github.io/mustache.5.html)
 * rendered over a jansson value, so a page shows the same JSON the API returns for it.
 *
 *   {{name}}   {{a.b.c}}   {{.}}     the value, HTML-escaped (& < > " ' ` =)
 *   {{{name}}} {{& name}}            the value as it is
 *   {{#name}}...{{/name}}            for each element of a non-empty array; once for any other
 *                                    value except false, null, "" and a missing name; the value
 *                                    (or element) is pushed on the context stack
 *   {{^name}}...{{/name}}            once when {{#name}} would render nothing
 *   {{! comment}}   {{> partial}}
 *
 * Names resolve as the Mustache spec says: the first part of a dotted name is looked up from
 * the innermost context outwards, the other parts only inside what it found. Strings render as
 * they are, integers in decimal, reals with up to 15 significant digits ("%.15g"; callers that
 * want Vietnamese number formats put a formatted string in the context), true and false as
 * "true" and "false"; null, a missing name, arrays and objects render as nothing.
 *
 * A section, inverted, closing, comment or partial tag alone on its line takes the line with
 * it; a standalone partial's lines are indented as the tag was. Set-delimiter tags ({{=<% %>=}})
 * and lambdas are not offered. */
#ifndef TK_HTTP_TEMPLATE_H
#define TK_HTTP_TEMPLATE_H

#include <stddef.h>

#include <jansson.h>

#include "core/error.h"

enum {
    TK_TEMPLATE_DEPTH_MAX = 64,         /* sections nested inside one template */
    TK_TEMPLATE_PARTIAL_DEPTH_MAX = 16, /* partials rendered inside partials */
    TK_TEMPLATE_OUTPUT_MAX = 16 << 20,  /* bytes one render may produce */
    /* Nodes one render may visit. Sections that print nothing can still multiply work
     * (a section over a two-element list nested 40 times), so output alone is no bound. */
    TK_TEMPLATE_STEPS_MAX = 16 << 20,
};

/* A parsed template. Immutable once parsed, so one copy may be rendered by many threads at
 * once; its owner (usually the page table built at start-up) frees it after the last render. */
typedef struct tk_template tk_template;

/* Parses len bytes of text into a new template (*out, free with tk_template_free()). name is
 * copied and used in messages. A malformed template gives TK_INVALID_INPUT with a message that
 * names the template and the line: a tag that is not closed, a section that is not closed,
 * a closing tag that does not match, a tag without a name or with a name that is not valid,
 * sections nested deeper than TK_TEMPLATE_DEPTH_MAX, a set-delimiter tag. */
tk_code tk_template_parse(const char *text, size_t len, const char *name, tk_template **out,
                          tk_error *err);

/* Accepts NULL. */
void tk_template_free(tk_template *t);

/* The template's name as given to tk_template_parse(). Borrowed. */
const char *tk_template_name(const tk_template *t);

/* Finds the partial called name (as written after "{{>", trimmed). Returns a borrowed template
 * that must stay alive for the render, or NULL when there is none; a missing partial renders
 * as nothing. A partial that includes itself to draw a tree ({{#children}}{{>node}}...) needs
 * every leaf to carry the key, as [] or null: a leaf without it finds its parent's children up
 * the context stack and the recursion runs into TK_TEMPLATE_PARTIAL_DEPTH_MAX. */
typedef const tk_template *(*tk_partial_fn)(void *data, const char *name);

/* Renders t over context (which may be NULL: every name is then missing) into a new
 * NUL-terminated string (*out, caller frees with free()) of *out_len bytes (out_len may be
 * NULL). partials may be NULL. On error *out is NULL: TK_TOO_LARGE when the output would pass
 * TK_TEMPLATE_OUTPUT_MAX or the work TK_TEMPLATE_STEPS_MAX, TK_INVALID_INPUT when partials
 * nest deeper than TK_TEMPLATE_PARTIAL_DEPTH_MAX (a partial that includes itself without data
 * to end the recursion), TK_NO_MEMORY. */
tk_code tk_template_render(const tk_template *t, const json_t *context, tk_partial_fn partials,
                           void *data, char **out, size_t *out_len, tk_error *err);

#endif
