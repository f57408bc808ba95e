/* Forms that create and edit organizations, documents with their items, and programs.
 *
 * One mechanism serves them all: the form is read off the resource's field descriptors
 * (service/domain.c), so a field added there appears on its form with the right input, and
 * one template (form_resource.mustache, each field through form_field.mustache) draws any of
 * them. The values go through tk_form_to_body() and the same service calls as the API; a
 * refusal comes back as the form again (422) with what was typed and the message beside the
 * field it names. */
#include "http/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "http/form.h"
#include "service/report.h"
#include "service/resource.h"

enum {
    LONG_TEXT = 300,   /* longer limits get a textarea: a name fits a line, a summary does not */
    LABEL_CHARS = 100, /* titles in a choice list are cut here, so a select stays usable */
    DEFAULT_TEXT_MAX = 2000,
};

typedef struct form_kind {
    const tk_resource *res;
    const char *path;  /* "/organizations": the list; an object's page is <path>/<id> */
    const char *fixed; /* a field set by the address instead of the form (an item's document) */
} form_kind;

static const form_kind org_form = {&tk_res_organization, "/organizations", NULL};
static const form_kind document_form = {&tk_res_document, "/documents", NULL};
static const form_kind program_form = {&tk_res_program, "/programs", NULL};
static const form_kind schedule_form = {&tk_res_report_schedule, "/reports", NULL};
/* Items are written and shown on their document's page. */
static const form_kind item_form = {&tk_res_document_item, "/documents", "document_id"};

/* The form being drawn. */
typedef struct form_state {
    const form_kind *kind;
    int64_t id;              /* the object edited, 0 when creating */
    int64_t fixed_id;        /* the value of kind->fixed, from the address */
    const json_t *stored;    /* the object as stored when editing (borrowed) */
    const json_t *entered;   /* what was sent, or what a "new" link presets (borrowed) */
    const tk_error *refused; /* why the service refused what was sent, or NULL */
    json_t *choices;         /* choice lists already read, by resource name */
} form_state;

/* The page of an object of res, when it has one. */
static const char *page_path(const tk_resource *res)
{
    if (res == &tk_res_organization) return "/organizations";
    if (res == &tk_res_document) return "/documents";
    if (res == &tk_res_program) return "/programs";
    if (res == &tk_res_task) return "/tasks";
    return NULL;
}

/* ---- names of objects, for choice lists and read-only fields ---- */

/* s cut to LABEL_CHARS characters, with an ellipsis when something was cut, into buf. */
static const char *shorten(const char *s, char *buf, size_t size)
{
    size_t chars = 0, i = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > LABEL_CHARS) break;
    }
    if (!s[i]) return s;
    /* i is on the first byte of a character, so the cut never splits one. */
    snprintf(buf, size, "%.*s…", (int)i, s);
    return buf;
}

static json_t *document_label(const tk_page_request *req, const char *kind, const char *number, const char *title)
{
    char key[64], cut[LABEL_CHARS * 4 + 8], text[1024];
    snprintf(key, sizeof key, "kind_%s", kind ? kind : "");
    snprintf(text, sizeof text, "%s%s%s: %s", tk_page_msg(req, key), number ? " " : "", number ? number : "",
             shorten(title ? title : "", cut, sizeof cut));
    return json_string(text);
}

static json_t *program_label(const char *number, const char *title)
{
    char cut[LABEL_CHARS * 4 + 8], text[1024];
    snprintf(text, sizeof text, "%s%s%s", number ? number : "", number ? ". " : "",
             shorten(title ? title : "", cut, sizeof cut));
    return json_string(text);
}

/* How an object is named to a person. New string. */
static json_t *object_label(const tk_page_request *req, const tk_resource *res, const json_t *obj)
{
    const char *number = json_string_value(json_object_get(obj, "number"));
    const char *title = json_string_value(json_object_get(obj, "title"));
    if (res == &tk_res_document)
        return document_label(req, json_string_value(json_object_get(obj, "kind")), number, title);
    if (res == &tk_res_program) return program_label(number, title);
    const char *name = json_string_value(json_object_get(obj, "name"));
    if (name) return json_string(name);
    if (title) return json_string(title);
    char text[64];
    snprintf(text, sizeof text, "%s %lld", tk_page_msg(req, "form_id"),
             (long long)json_integer_value(json_object_get(obj, "id")));
    return json_string(text);
}

/* The name of object id of res; TK_NOT_FOUND when there is none. *out is new. */
static tk_code label_of_id(tk_page_request *req, const tk_resource *res, int64_t id, json_t **out, tk_error *err)
{
    json_t *obj = NULL;
    tk_code rc = tk_resource_get(req->ctx, res, id, &obj, err);
    if (rc) return rc;
    *out = object_label(req, res, obj);
    json_decref(obj);
    return TK_OK;
}

/* ---- choice lists: [{value, label}] ---- */

static json_t *choice(int64_t id, json_t *label)
{
    char value[24];
    snprintf(value, sizeof value, "%lld", (long long)id);
    return json_pack("{s:s, s:o, s:b}", "value", value, "label", label, "selected", 0);
}

static tk_code document_choices(tk_page_request *req, json_t *list, tk_error *err)
{
    /* In the order they were entered, which follows the cascade: a plan after what it implements. */
    tk_stmt *st = tk_db_prepare(req->ctx->db, "SELECT id, kind, number, title FROM documents ORDER BY id", err);
    if (!st) return err->code;
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW)
        json_array_append_new(list, choice(tk_stmt_column_int(st, 0),
                                           document_label(req, tk_stmt_column_text(st, 1), tk_stmt_column_text(st, 2),
                                                          tk_stmt_column_text(st, 3))));
    return s == TK_STEP_ERROR ? err->code : TK_OK;
}

static tk_code term_choices(tk_page_request *req, json_t *list, tk_error *err)
{
    /* Terms are named after their congress only ("Nhiệm kỳ 2020-2025 (Đại hội XVII)"), so the
     * party organization is said beside the name. */
    tk_stmt *st = tk_db_prepare(req->ctx->db,
                                "SELECT t.id, t.name, o.name FROM terms t JOIN organizations o ON o.id = t.organization_id "
                                "ORDER BY o.name_folded, t.year_from, t.id",
                                err);
    if (!st) return err->code;
    tk_step s;
    while ((s = tk_stmt_step(st, err)) == TK_STEP_ROW) {
        char term[LABEL_CHARS * 4 + 8], org[LABEL_CHARS * 4 + 8];
        json_array_append_new(list, choice(tk_stmt_column_int(st, 0),
                                           json_pack("s++", shorten(tk_stmt_column_text(st, 1), term, sizeof term),
                                                     " — ", shorten(tk_stmt_column_text(st, 2), org, sizeof org))));
    }
    return s == TK_STEP_ERROR ? err->code : TK_OK;
}

/* The objects of ref to choose from, or NULL in *out when ref has no list here (its id is then
 * typed). Read once per form: a document form offers the documents twice. *out is borrowed
 * from the form's cache. */
static tk_code ref_choices(tk_page_request *req, form_state *s, const tk_resource *ref, json_t **out, tk_error *err)
{
    *out = json_object_get(s->choices, ref->name);
    if (*out) return TK_OK;
    json_t *list = json_array(), *found = NULL;
    tk_code rc = TK_OK;
    size_t i;
    json_t *item;
    if (ref == &tk_res_organization) {
        rc = tk_page_org_choices(req, 0, &found, err);
        json_array_foreach(found, i, item)
            json_array_append_new(list, choice(json_integer_value(json_object_get(item, "id")),
                                               json_incref(json_object_get(item, "name"))));
    } else if (ref == &tk_res_program) {
        rc = tk_page_program_choices(req, 0, &found, err);
        json_array_foreach(found, i, item)
            json_array_append_new(list, choice(json_integer_value(json_object_get(item, "id")),
                                               program_label(json_string_value(json_object_get(item, "number")),
                                                             json_string_value(json_object_get(item, "title")))));
    } else if (ref == &tk_res_document) {
        rc = document_choices(req, list, err);
    } else if (ref == &tk_res_term) {
        rc = term_choices(req, list, err);
    } else {
        json_decref(list);
        return TK_OK;
    }
    json_decref(found);
    if (rc) {
        json_decref(list);
        return rc;
    }
    json_object_set_new(s->choices, ref->name, list);
    *out = list;
    return TK_OK;
}

/* ---- one field ---- */

/* The catalog's text for key, or NULL. */
static const char *msg_or_null(const tk_page_request *req, const char *key)
{
    return json_string_value(json_object_get(req->t, key));
}

/* The value of f as the form shows it: what was typed, else what is stored, else the field's
 * default on a new form. Borrowed; NULL when there is none. */
static const json_t *field_value(const form_state *s, const tk_field *f, bool locked)
{
    const json_t *v = locked ? NULL : json_object_get(s->entered, f->name);
    if (!v && s->stored) v = json_object_get(s->stored, f->name);
    return v;
}

/* Text of a value for an input: stored dates as dd/mm/yyyy, numbers with a decimal comma
 * (the form reads a dot followed by three digits as a thousands separator). Written into buf. */
static const char *value_text(const tk_field *f, const json_t *v, char *buf, size_t size)
{
    buf[0] = '\0';
    if (json_is_array(v)) v = json_array_get(v, json_array_size(v) - 1);
    if (json_is_string(v)) {
        tk_date d;
        if (f->type == TK_FIELD_DATE && tk_date_parse_iso(json_string_value(v), &d)) {
            char vn[TK_DATE_TEXT_MAX];
            snprintf(buf, size, "%s", tk_date_format_vn(d, vn));
            return buf;
        }
        return json_string_value(v);
    }
    if (json_is_integer(v)) {
        snprintf(buf, size, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        snprintf(buf, size, "%.15g", json_real_value(v));
        char *dot = strchr(buf, '.');
        if (dot) *dot = ',';
    }
    return buf;
}

static char *option_key(const form_state *s, const tk_field *f, const char *value, char *buf, size_t size)
{
    /* Document and item kinds share the catalog's kind_<value>; organization kinds have words
     * of their own ("district" is a party committee there). */
    if (s->kind->res == &tk_res_organization && strcmp(f->name, "kind") == 0)
        snprintf(buf, size, "orgkind_%s", value);
    else snprintf(buf, size, "%s_%s", f->name, value);
    return buf;
}

/* Options for a select from the field's choices, the current one marked. A stored reference
 * missing from the list (a unit since dissolved) is added, so saving the form keeps it. */
static tk_code select_options(tk_page_request *req, form_state *s, const tk_field *f, const char *current,
                              json_t **out, tk_error *err)
{
    json_t *options = json_array();
    if (f->type == TK_FIELD_ENUM) {
        for (const char *const *e = f->values; *e; e++) {
            char key[96];
            const char *label = msg_or_null(req, option_key(s, f, *e, key, sizeof key));
            json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "value", *e, "label", label ? label : *e,
                                                     "selected", strcmp(*e, current) == 0));
        }
        *out = options;
        return TK_OK;
    }
    json_t *list;
    tk_code rc = ref_choices(req, s, f->ref, &list, err);
    if (rc || !list) {
        json_decref(options);
        *out = NULL;
        return rc;
    }
    bool found = false;
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        const char *value = json_string_value(json_object_get(item, "value"));
        /* An object cannot be its own parent or successor: it is not offered. */
        if (s->id && f->ref == s->kind->res && strtoll(value, NULL, 10) == s->id && strcmp(value, current) != 0)
            continue;
        bool on = strcmp(value, current) == 0;
        found = found || on;
        json_t *option = json_copy(item);
        json_object_set_new(option, "selected", json_boolean(on));
        json_array_append_new(options, option);
    }
    char *end;
    long long id = strtoll(current, &end, 10);
    if (!found && *current && !*end && id > 0) {
        json_t *label = NULL;
        tk_error missing;
        tk_error_clear(&missing);
        /* An id that names nothing is left unselected: the message beside the field says so. */
        if (label_of_id(req, f->ref, id, &label, &missing) == TK_OK)
            json_array_insert_new(options, 0, json_pack("{s:s, s:o, s:b}", "value", current, "label", label, "selected", 1));
        else if (missing.code != TK_NOT_FOUND) {
            json_decref(options);
            *err = missing;
            return missing.code;
        }
    }
    *out = options;
    return TK_OK;
}

/* The context of one field for form_field.mustache. Every member is set, so a name missing
 * here is never found further up the context stack (the form's own "error", "id"). */
static tk_code field_context(tk_page_request *req, form_state *s, const tk_field *f, json_t **out, tk_error *err)
{
    char key[128], id[96], buf[64];
    bool fixed = s->kind->fixed && strcmp(f->name, s->kind->fixed) == 0;
    bool locked = fixed || (s->id && (f->flags & TK_FIELD_IMMUTABLE));
    snprintf(key, sizeof key, "field_%s_%s", s->kind->res->name, f->name);
    const char *label = msg_or_null(req, key);
    snprintf(id, sizeof id, "f-%s", f->name);
    json_t *c = json_pack("{s:s, s:s, s:s, s:b, s:s}", "name", f->name, "id", id, "label", label ? label : f->label,
                          "required", (f->flags & TK_FIELD_REQUIRED) && !locked, "value", "");
    static const char *const unset[] = {"is_text", "is_textarea", "is_select", "is_checkbox", "is_readonly", "checked",
                                        "options", "none_label", "maxlength", "rows", "inputmode", "hint", "field_error",
                                        "described_by"};
    for (size_t i = 0; i < sizeof unset / sizeof unset[0]; i++) json_object_set_new(c, unset[i], json_false());

    /* Hints: the catalog's hint_<resource>_<field>, then how to write a date. */
    char hint[1024] = "";
    snprintf(key, sizeof key, "hint_%s_%s", s->kind->res->name, f->name);
    const char *own = msg_or_null(req, key);
    if (locked && !fixed) own = tk_page_msg(req, "form_immutable_hint");
    if (own) snprintf(hint, sizeof hint, "%s", own);
    if (f->type == TK_FIELD_DATE && !locked)
        snprintf(hint + strlen(hint), sizeof hint - strlen(hint), "%s%s", *hint ? " " : "",
                 tk_page_msg(req, "form_date_hint"));
    if (*hint) json_object_set_new(c, "hint", json_string(hint));

    bool has_error = s->refused && strcmp(s->refused->field, f->name) == 0 && !locked;
    if (has_error) json_object_set_new(c, "field_error", json_string(s->refused->message));
    char described[256] = "";
    if (*hint) snprintf(described, sizeof described, "%s-hint", id);
    if (has_error)
        snprintf(described + strlen(described), sizeof described - strlen(described), "%s%s-error", *described ? " " : "",
                 id);
    if (*described) json_object_set_new(c, "described_by", json_string(described));

    json_t *preset = NULL;
    const json_t *v = fixed ? (preset = json_integer(s->fixed_id)) : field_value(s, f, locked);
    if (!v && !s->id && !s->refused && f->fallback) v = preset = json_loads(f->fallback, JSON_DECODE_ANY, NULL);
    const char *current = value_text(f, v, buf, sizeof buf);
    tk_code rc = TK_OK;

    if (locked) {
        json_object_set_new(c, "is_readonly", json_true());
        json_t *shown = NULL;
        if (f->type == TK_FIELD_REF && json_is_integer(v)) {
            rc = label_of_id(req, f->ref, json_integer_value(v), &shown, err);
        } else if (f->type == TK_FIELD_ENUM && *current) {
            char option[96];
            const char *text = msg_or_null(req, option_key(s, f, current, option, sizeof option));
            shown = json_string(text ? text : current);
        }
        json_object_set_new(c, "value", shown ? shown : json_string(*current ? current : tk_page_msg(req, "none")));
    } else if (f->type == TK_FIELD_BOOL) {
        bool on = s->entered && json_object_get(s->entered, "_checkboxes") ? json_object_get(s->entered, f->name) != NULL
                                                                           : json_is_true(v);
        json_object_set_new(c, "is_checkbox", json_true());
        json_object_set_new(c, "checked", json_boolean(on));
    } else {
        json_t *options = NULL;
        if (f->type == TK_FIELD_ENUM || f->type == TK_FIELD_REF) rc = select_options(req, s, f, current, &options, err);
        if (options) {
            json_object_set_new(c, "is_select", json_true());
            json_object_set_new(c, "options", options);
            json_object_set_new(c, "none_label",
                                json_string(tk_page_msg(req, (f->flags & TK_FIELD_REQUIRED) ? "choose" : "form_none")));
        } else if (f->type == TK_FIELD_TEXT && (f->max ? f->max : DEFAULT_TEXT_MAX) > LONG_TEXT) {
            int64_t max = f->max ? f->max : DEFAULT_TEXT_MAX;
            json_object_set_new(c, "is_textarea", json_true());
            json_object_set_new(c, "rows", json_integer(max > DEFAULT_TEXT_MAX ? 8 : 3));
            json_object_set_new(c, "maxlength", json_integer(max));
        } else {
            json_object_set_new(c, "is_text", json_true());
            if (f->type == TK_FIELD_TEXT) json_object_set_new(c, "maxlength", json_integer(f->max ? f->max : DEFAULT_TEXT_MAX));
            /* Numbers and dates are typed as text: a person's "5,8" and "2/11/2020" are read
             * by the server, which a type="number" or type="date" input would refuse. */
            if (f->type == TK_FIELD_INT || f->type == TK_FIELD_REF) json_object_set_new(c, "inputmode", json_string("numeric"));
            if (f->type == TK_FIELD_REAL) json_object_set_new(c, "inputmode", json_string("decimal"));
        }
        if (!json_is_true(json_object_get(c, "is_select"))) json_object_set_new(c, "value", json_string(current));
    }
    json_decref(preset);
    if (rc) {
        json_decref(c);
        return rc;
    }
    *out = c;
    return TK_OK;
}

/* ---- the form page ---- */

static tk_code show_form(tk_page_request *req, tk_page_reply *reply, form_state *s, tk_error *err)
{
    const tk_resource *res = s->kind->res;
    json_t *fields = json_array();
    tk_code rc = TK_OK;
    bool error_shown = false;
    s->choices = json_object();
    for (const tk_field *f = res->fields; f->name && !rc; f++) {
        if (f->flags & (TK_FIELD_OUTPUT | TK_FIELD_HIDDEN)) continue;
        json_t *c = NULL;
        if ((rc = field_context(req, s, f, &c, err))) break;
        error_shown = error_shown || json_is_string(json_object_get(c, "field_error"));
        json_array_append_new(fields, c);
    }
    json_decref(s->choices);
    s->choices = NULL;
    if (rc) {
        json_decref(fields);
        return rc;
    }

    char key[96], action[96], cancel[96];
    snprintf(key, sizeof key, "form_%s_%s", s->id ? "edit" : "new", res->name);
    json_t *heading;
    if (s->id) {
        json_t *name = object_label(req, res, s->stored);
        heading = json_pack("s++", tk_page_msg(req, key), ": ", json_string_value(name));
        json_decref(name);
        snprintf(action, sizeof action, "%s/%lld", s->kind->path, (long long)s->id);
        snprintf(cancel, sizeof cancel, "%s/%lld", s->kind->path, (long long)s->id);
    } else if (s->kind->fixed) {
        heading = json_string(tk_page_msg(req, key));
        snprintf(action, sizeof action, "%s/%lld/items", s->kind->path, (long long)s->fixed_id);
        snprintf(cancel, sizeof cancel, "%s/%lld", s->kind->path, (long long)s->fixed_id);
    } else {
        heading = json_string(tk_page_msg(req, key));
        snprintf(action, sizeof action, "%s", s->kind->path);
        snprintf(cancel, sizeof cancel, "%s", s->kind->path);
        /* Reached from an object's page ("add a unit under this one"): cancelling goes back there. */
        for (const tk_field *f = res->fields; f->name; f++) {
            const char *value = json_string_value(json_object_get(req->query, f->name));
            const char *page = f->type == TK_FIELD_REF ? page_path(f->ref) : NULL;
            long long id = value ? strtoll(value, NULL, 10) : 0;
            if (page && id > 0) {
                snprintf(cancel, sizeof cancel, "%s/%lld", page, id);
                break;
            }
        }
    }
    json_t *context = json_pack("{s:o, s:s, s:s, s:o, s:b}", "heading", heading, "action", action, "cancel_href", cancel,
                                "fields", fields, "creating", s->id == 0);
    if (s->refused) {
        char href[96];
        snprintf(href, sizeof href, "#f-%s", s->refused->field);
        json_object_set_new(context, "error", json_pack("{s:s, s:s}", "message", s->refused->message, "href",
                                                        error_shown ? href : ""));
        reply->status = 422;
    }
    return tk_page_show(reply, "form_resource", context);
}

static tk_code new_form(tk_page_request *req, tk_page_reply *reply, const form_kind *kind, tk_error *err)
{
    form_state s = {.kind = kind, .entered = req->query};
    return show_form(req, reply, &s, err);
}

static tk_code edit_form(tk_page_request *req, tk_page_reply *reply, const form_kind *kind, tk_error *err)
{
    json_t *stored = NULL;
    /* An edit form is offered only to those who may save it. */
    tk_code rc = tk_resource_get(req->ctx, kind->res, req->ids[0], &stored, err);
    if (!rc) rc = tk_resource_check_write(req->ctx, kind->res, req->ids[0], err);
    if (rc) {
        json_decref(stored);
        return rc;
    }
    form_state s = {.kind = kind, .id = req->ids[0], .stored = stored};
    rc = show_form(req, reply, &s, err);
    json_decref(stored);
    return rc;
}

/* Creates (id 0) or changes an object from the posted form: 303 to its page, or the form again. */
static tk_code save_form(tk_page_request *req, tk_page_reply *reply, const form_kind *kind, int64_t id,
                         int64_t fixed_id, tk_error *err)
{
    json_t *body = NULL, *saved = NULL;
    tk_error refused;
    tk_error_clear(&refused);
    tk_code rc = tk_form_to_body(kind->res, req->form, id == 0, NULL, &body, &refused);
    if (!rc && kind->fixed) json_object_set_new(body, kind->fixed, json_integer(fixed_id));
    if (!rc)
        rc = id ? tk_resource_update(req->ctx, kind->res, id, body, &saved, &refused)
                : tk_resource_create(req->ctx, kind->res, body, &saved, &refused);
    json_decref(body);
    if (!rc) {
        char location[96];
        snprintf(location, sizeof location, "%s/%lld", kind->path,
                 kind->fixed ? (long long)fixed_id : (long long)json_integer_value(json_object_get(saved, "id")));
        json_decref(saved);
        return tk_page_redirect(reply, location);
    }
    if (!tk_page_shown_on_form(&refused)) {
        *err = refused;
        return rc;
    }
    json_t *stored = NULL;
    if (id && (rc = tk_resource_get(req->ctx, kind->res, id, &stored, err))) return rc;
    form_state s = {.kind = kind, .id = id, .fixed_id = fixed_id, .stored = stored, .entered = req->form,
                    .refused = &refused};
    rc = show_form(req, reply, &s, err);
    json_decref(stored);
    return rc;
}

/* ---- routes ---- */

static tk_code page_schedule_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return new_form(req, reply, &schedule_form, err);
}

static tk_code post_schedule_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return save_form(req, reply, &schedule_form, 0, 0, err);
}

static tk_code page_org_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return new_form(req, reply, &org_form, err);
}

static tk_code page_org_edit(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return edit_form(req, reply, &org_form, err);
}

static tk_code post_org_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return save_form(req, reply, &org_form, 0, 0, err);
}

static tk_code post_org_edit(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return save_form(req, reply, &org_form, req->ids[0], 0, err);
}

static tk_code page_document_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return new_form(req, reply, &document_form, err);
}

static tk_code page_document_edit(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return edit_form(req, reply, &document_form, err);
}

static tk_code post_document_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return save_form(req, reply, &document_form, 0, 0, err);
}

static tk_code post_document_edit(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return save_form(req, reply, &document_form, req->ids[0], 0, err);
}

static tk_code page_item_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    tk_code rc = tk_resource_exists(req->ctx, &tk_res_document, req->ids[0], NULL, err);
    if (rc) return rc;
    form_state s = {.kind = &item_form, .fixed_id = req->ids[0], .entered = req->query};
    return show_form(req, reply, &s, err);
}

static tk_code post_item_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    /* An address naming no document is a missing page, not a field to correct. */
    tk_code rc = tk_resource_exists(req->ctx, &tk_res_document, req->ids[0], NULL, err);
    if (rc) return rc;
    return save_form(req, reply, &item_form, 0, req->ids[0], err);
}

static tk_code page_program_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return new_form(req, reply, &program_form, err);
}

static tk_code page_program_edit(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return edit_form(req, reply, &program_form, err);
}

static tk_code post_program_new(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return save_form(req, reply, &program_form, 0, 0, err);
}

static tk_code post_program_edit(tk_page_request *req, tk_page_reply *reply, tk_error *err)
{
    return save_form(req, reply, &program_form, req->ids[0], 0, err);
}

const tk_page_route tk_form_routes[] = {
    {"GET", "/organizations/new", page_org_new, TK_PAGE_SIGNED_IN},
    {"POST", "/organizations", post_org_new, TK_PAGE_SIGNED_IN},
    {"GET", "/organizations/{id}/edit", page_org_edit, TK_PAGE_SIGNED_IN},
    {"POST", "/organizations/{id}", post_org_edit, TK_PAGE_SIGNED_IN},
    {"GET", "/documents/new", page_document_new, TK_PAGE_SIGNED_IN},
    {"POST", "/documents", post_document_new, TK_PAGE_SIGNED_IN},
    {"GET", "/documents/{id}/edit", page_document_edit, TK_PAGE_SIGNED_IN},
    {"POST", "/documents/{id}", post_document_edit, TK_PAGE_SIGNED_IN},
    {"GET", "/documents/{id}/items/new", page_item_new, TK_PAGE_SIGNED_IN},
    {"POST", "/documents/{id}/items", post_item_new, TK_PAGE_SIGNED_IN},
    {"GET", "/programs/new", page_program_new, TK_PAGE_SIGNED_IN},
    {"POST", "/programs", post_program_new, TK_PAGE_SIGNED_IN},
    {"GET", "/programs/{id}/edit", page_program_edit, TK_PAGE_SIGNED_IN},
    {"POST", "/programs/{id}", post_program_edit, TK_PAGE_SIGNED_IN},
    {"GET", "/reports/new", page_schedule_new, TK_PAGE_SIGNED_IN},
    {"POST", "/reports", post_schedule_new, TK_PAGE_SIGNED_IN},
    {NULL, NULL, NULL, TK_PAGE_SIGNED_IN},
};
