/* The web pages: each handler calls the same service functions as the API and renders a
 * template over what they return, with display fields (dates as dd/mm/yyyy, labels from the
 * message catalog) added beside the API's own members. */
#ifndef TK_HTTP_PAGES_H
#define TK_HTTP_PAGES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "http/request.h"
#include "http/web.h"
#include "service/context.h"

/* The session cookie, and the one that ties the sign-in form to the browser that asked for it
 * (so another site cannot sign a person in under its own account). */
#define TK_SESSION_COOKIE "tk_session"
#define TK_SIGNIN_COOKIE "tk_signin"

typedef struct tk_page_request {
    tk_ctx *ctx;
    bool secure_cookies;   /* served behind TLS: cookies carry Secure */
    const char *signin_nonce; /* the TK_SIGNIN_COOKIE the browser sent, or NULL */
    const tk_web *web;
    const char *lang;      /* "vi" or "en" */
    const json_t *t;       /* the message catalog of lang (borrowed) */
    const char *path;
    json_t *query;         /* borrowed */
    json_t *form;          /* a POST's fields, or NULL (borrowed) */
    int64_t ids[2];
    char key[TK_ROUTE_KEY_MAX]; /* the {key} segment of the path ("2021-Q2"), or "" */
} tk_page_request;

typedef struct tk_page_reply {
    int status;            /* 200 unless set */
    const char *page;      /* the template to render, or NULL for a redirect */
    json_t *context;       /* what the page shows (new reference; the caller adds the common parts) */
    char location[512];    /* where a redirect goes (303 after a POST) */
    char cookies[3][256];  /* Set-Cookie values (tk_page_set_cookie) */
    int cookie_count;
    /* A download instead of a page (tk_page_download): the bytes (malloc, the server frees
     * them), their type and the file name a browser saves them under. */
    unsigned char *file;
    size_t file_size;
    const char *file_type;
    char file_name[128];
} tk_page_reply;

typedef tk_code (*tk_page_handler)(tk_page_request *req, tk_page_reply *reply, tk_error *err);

/* Who may open a page. Every page needs a signed-in person who has set their own password,
 * except these. */
enum tk_page_access {
    TK_PAGE_SIGNED_IN = 0,
    TK_PAGE_OPEN,            /* the sign-in page */
    TK_PAGE_BEFORE_PASSWORD, /* changing the one-time password, signing out */
};

typedef struct tk_page_route {
    const char *method;
    const char *pattern;
    tk_page_handler handler;
    enum tk_page_access access;
} tk_page_route;

/* The route tables of the pages, each ending with an entry whose method is NULL; the list ends
 * with NULL. pages.c holds the main pages, pages_forms.c the forms that create and edit the
 * domain's objects, pages_indicators.c the indicators, pages_reports.c the files of the
 * consolidated reports. */
extern const tk_page_route *const tk_page_route_tables[];
extern const tk_page_route tk_form_routes[], tk_indicator_routes[], tk_account_routes[];
extern const tk_page_route tk_report_page_routes[];

/* Adds the members every page has (lang, t, path, other language) to context. */
void tk_page_common(const tk_page_request *req, json_t *context);

/* Helpers for page handlers. */

/* The message of key in the page's language (the key itself when missing). Borrowed. */
const char *tk_page_msg(const tk_page_request *req, const char *key);
/* Adds display members beside the API's own through the whole tree: "<date>_vn" (dd/mm/yyyy),
 * "status_label", "kind_label" (from the catalog's status_X and kind_X), "progress_display"
 * (a number in the page's style), "has_<list>" (the list is not empty). */
void tk_page_display(json_t *v, const tk_page_request *req);
/* Sets the reply to render templates/<page>.mustache over context (reference taken). */
tk_code tk_page_show(tk_page_reply *reply, const char *page, json_t *context);
/* Adds a Set-Cookie to the reply: HttpOnly, SameSite=Lax, Path=/, Secure behind TLS; max_age
 * in seconds, 0 for the browser session, -1 to delete the cookie. */
void tk_page_set_cookie(const tk_page_request *req, tk_page_reply *reply, const char *name, const char *value,
                        long max_age);
/* s percent-encoded for a URL query value. New string (free()), NULL when out of memory. */
char *tk_page_escape(const char *s);
/* "?a=1&b=x%20y" from an object of strings ("" for an empty object). New string. */
char *tk_page_query_string(const json_t *query);
/* The query without its empty members and without lang, as a filter form sends them. New. */
json_t *tk_page_filled(const json_t *query);
/* Adds "history" (the object's latest audit entries, shown by templates/history.mustache) and
 * "has_history" to context, when the caller may read them. */
void tk_page_history(tk_page_request *req, const char *object_type, int64_t id, json_t *context);
/* Adds display members to audit entries: at_display, action_label, changes [{field, before,
 * after}]. */
void tk_page_history_display(const tk_page_request *req, json_t *entries);
/* True for a refusal a person can act on by changing the form (shown on the form again); any
 * other error is the error page (a refused permission, a missing object, a failure). */
bool tk_page_shown_on_form(const tk_error *e);
/* Sets the reply to a 303 redirect to location. */
tk_code tk_page_redirect(tk_page_reply *reply, const char *location);
/* Answers with a file to save (file: malloc, stolen) instead of a page; file_name is ASCII. */
tk_code tk_page_download(tk_page_reply *reply, unsigned char *file, size_t size, const char *type,
                         const char *file_name);
/* Active organizations by name [{id, name, selected}], for selects. *out is new. */
tk_code tk_page_org_choices(tk_page_request *req, int64_t selected, json_t **out, tk_error *err);
/* The indicators of an organization's subtree on a day, ready to show: each with its value
 * and target displayed in the page's style, its assessment label and a sparkline. New array. */
tk_code tk_page_indicator_summaries(tk_page_request *req, int64_t org, tk_date on, json_t **out, tk_error *err);
/* Programs [{id, number, title, selected}], for selects. *out is new. */
tk_code tk_page_program_choices(tk_page_request *req, int64_t selected, json_t **out, tk_error *err);

#endif
