#include "http/web.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "http/template.h"
#include "store/embedded.h"

enum { MAX_FILES = 256, MAX_FILE_SIZE = 4 * 1024 * 1024 };

typedef struct named_template {
    char *name; /* "dashboard" for templates/dashboard.mustache */
    tk_template *tpl;
} named_template;

struct tk_web {
    char *owned[MAX_FILES]; /* file contents read from disk */
    size_t owned_count;
    named_template templates[MAX_FILES];
    size_t template_count;
    tk_web_static statics[MAX_FILES];
    size_t static_count;
    json_t *catalogs; /* {"vi": {...}, "en": {...}} */
};

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},           {".png", "image/png"},
    {".ico", "image/x-icon"},            {".txt", "text/plain; charset=utf-8"},
};

static const char *content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

/* FNV-1a: a cache validator, not a security measure. */
static void make_etag(const char *data, size_t size, char etag[24])
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < size; i++) {
        h ^= (unsigned char)data[i];
        h *= 1099511628211ull;
    }
    snprintf(etag, 24, "\"%016llx\"", (unsigned long long)h);
}

static void compress_static(tk_web_static *s)
{
    uLongf cap = compressBound((uLong)s->size) + 32;
    char *buf = malloc(cap);
    if (!buf) return;
    z_stream z = {0};
    /* windowBits 15 + 16 asks zlib for a gzip wrapper, which is what Content-Encoding: gzip means. */
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(buf);
        return;
    }
    z.next_in = (Bytef *)(uintptr_t)s->data;
    z.avail_in = (uInt)s->size;
    z.next_out = (Bytef *)buf;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t out = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END || out >= s->size) {
        free(buf);
        return;
    }
    s->gzip = buf;
    s->gzip_size = out;
}

static tk_code add_file(tk_web *web, const char *name, const char *data, size_t size, tk_error *err)
{
    if (strncmp(name, "templates/", 10) == 0) {
        const char *base = name + 10;
        const char *dot = strstr(base, ".mustache");
        if (!dot || dot[9] != '\0') return TK_OK;
        if (web->template_count >= MAX_FILES) return tk_error_set(err, TK_TOO_LARGE, NULL, "Quá nhiều mẫu trang");
        named_template *t = &web->templates[web->template_count];
        t->name = strndup(base, (size_t)(dot - base));
        tk_code rc = tk_template_parse(data, size, name, &t->tpl, err);
        if (rc) {
            free(t->name);
            return rc;
        }
        web->template_count++;
    } else if (strncmp(name, "static/", 7) == 0) {
        if (web->static_count >= MAX_FILES) return tk_error_set(err, TK_TOO_LARGE, NULL, "Quá nhiều tệp tĩnh");
        tk_web_static *s = &web->statics[web->static_count++];
        s->name = name + 7;
        s->content_type = content_type(name);
        s->data = data;
        s->size = size;
        make_etag(data, size, s->etag);
        compress_static(s);
    } else if (strncmp(name, "i18n/", 5) == 0) {
        const char *dot = strstr(name + 5, ".json");
        if (!dot || dot[5] != '\0') return TK_OK;
        json_error_t jerr;
        json_t *catalog = json_loadb(data, size, JSON_REJECT_DUPLICATES, &jerr);
        if (!json_is_object(catalog)) {
            json_decref(catalog);
            return tk_error_set(err, TK_INVALID_JSON, NULL, "Danh mục thông điệp %s hỏng (dòng %d): %s", name, jerr.line,
                                jerr.text);
        }
        /* "vi.json" and "vi.<part>.json" all belong to "vi": each part of the interface keeps its
         * messages in a file of its own, and a key given twice is a mistake worth stopping for. */
        char lang[16];
        snprintf(lang, sizeof lang, "%.*s", (int)strcspn(name + 5, "."), name + 5);
        json_t *merged = json_object_get(web->catalogs, lang);
        if (!merged) {
            json_object_set_new(web->catalogs, lang, catalog);
            return TK_OK;
        }
        const char *key;
        json_t *v;
        json_object_foreach(catalog, key, v) {
            if (json_object_get(merged, key)) {
                tk_code rc = tk_error_set(err, TK_INVALID_JSON, NULL, "Thông điệp \"%s\" có hai lần trong i18n/%s", key, lang);
                json_decref(catalog);
                return rc;
            }
        }
        json_object_update(merged, catalog);
        json_decref(catalog);
    }
    return TK_OK;
}

static char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(MAX_FILE_SIZE + 1);
    size_t n = buf ? fread(buf, 1, MAX_FILE_SIZE + 1, f) : 0;
    fclose(f);
    if (!buf || n > MAX_FILE_SIZE) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *size = n;
    return buf;
}

/* Reads dir/sub/ (one level: the web folder is flat inside its three parts). Names are kept
 * in a sorted order so the result does not depend on the file system. */
static tk_code load_dir(tk_web *web, const char *dir, const char *sub, tk_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) return tk_error_set(err, TK_IO, "web_dir", "Không đọc được thư mục %s", path);
    tk_code rc = TK_OK;
    for (int i = 0; i < n; i++) {
        if (!rc && names[i]->d_name[0] != '.') {
            char file[4096 + 256], name[512];
            snprintf(file, sizeof file, "%s/%s", path, names[i]->d_name);
            snprintf(name, sizeof name, "%s/%s", sub, names[i]->d_name);
            size_t size;
            char *data = web->owned_count + 2 <= MAX_FILES ? read_file(file, &size) : NULL;
            if (!data) {
                rc = tk_error_set(err, TK_IO, "web_dir", "Không đọc được tệp %s", file);
            } else {
                /* The name is kept as long as the data: static entries point into it. */
                char *kept = strdup(name);
                web->owned[web->owned_count++] = data;
                web->owned[web->owned_count++] = kept;
                rc = kept ? add_file(web, kept, data, size, err) : tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

tk_code tk_web_open(const char *dir, tk_web **out, tk_error *err)
{
    tk_web *web = calloc(1, sizeof *web);
    if (!web) return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
    web->catalogs = json_object();
    tk_code rc = TK_OK;
    if (dir) {
        static const char *const parts[] = {"templates", "static", "i18n"};
        for (size_t i = 0; i < 3 && !rc; i++) rc = load_dir(web, dir, parts[i], err);
    } else {
        for (const tk_embedded_file *f = tk_web_files; f->name && !rc; f++) rc = add_file(web, f->name, f->data, f->size, err);
    }
    if (!rc && !json_object_get(web->catalogs, "vi"))
        rc = tk_error_set(err, TK_INTERNAL, NULL, "Thiếu danh mục thông điệp tiếng Việt (i18n/vi.json)");
    if (rc) {
        tk_web_close(web);
        return rc;
    }
    *out = web;
    return TK_OK;
}

void tk_web_close(tk_web *web)
{
    if (!web) return;
    for (size_t i = 0; i < web->template_count; i++) {
        free(web->templates[i].name);
        tk_template_free(web->templates[i].tpl);
    }
    for (size_t i = 0; i < web->static_count; i++) free(web->statics[i].gzip);
    for (size_t i = 0; i < web->owned_count; i++) free(web->owned[i]);
    json_decref(web->catalogs);
    free(web);
}

const tk_web_static *tk_web_static_get(const tk_web *web, const char *name)
{
    for (size_t i = 0; i < web->static_count; i++)
        if (strcmp(web->statics[i].name, name) == 0) return &web->statics[i];
    return NULL;
}

const json_t *tk_web_catalog(const tk_web *web, const char *lang)
{
    const json_t *c = lang ? json_object_get(web->catalogs, lang) : NULL;
    return c ? c : json_object_get(web->catalogs, "vi");
}

static const tk_template *find_template(const tk_web *web, const char *name)
{
    for (size_t i = 0; i < web->template_count; i++)
        if (strcmp(web->templates[i].name, name) == 0) return web->templates[i].tpl;
    return NULL;
}

typedef struct partials {
    const tk_web *web;
    const char *page;
} partials;

static const tk_template *lookup_partial(void *data, const char *name)
{
    partials *p = data;
    return find_template(p->web, strcmp(name, "content") == 0 ? p->page : name);
}

tk_code tk_web_render(const tk_web *web, const char *page, const json_t *context, char **out, size_t *len,
                      tk_error *err)
{
    const tk_template *layout = find_template(web, "layout");
    if (!layout || !find_template(web, page))
        return tk_error_set(err, TK_INTERNAL, NULL, "Thiếu mẫu trang \"%s\"", layout ? page : "layout");
    partials p = {web, page};
    return tk_template_render(layout, context, lookup_partial, &p, out, len, err);
}
