#include "service/task_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/status.h"
#include "service/resource.h"
#include "service/task.h"

/* "2026-03-31" as "31/03/2026"; "" for no day. */
static void iso_to_vn(const char *iso, char out[TK_DATE_TEXT_MAX])
{
    tk_date d;
    if (iso && tk_date_parse_iso(iso, &d)) tk_date_format_vn(d, out);
    else out[0] = '\0';
}

static const char *text_of(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

/* The name of an object the filter names, or NULL when the caller cannot see it (the list
 * itself then answers the error). New string. */
static char *name_of(tk_ctx *ctx, const tk_resource *res, const char *id_text, const char *key)
{
    char *end;
    long long id = id_text ? strtoll(id_text, &end, 10) : 0;
    if (!id_text || *end || id <= 0) return NULL;
    json_t *obj = NULL;
    tk_error ignored = {0};
    char *name = NULL;
    if (tk_resource_get(ctx, res, id, &obj, &ignored) == TK_OK) name = strdup(text_of(obj, key));
    json_decref(obj);
    return name;
}

/* What the filters asked for, in words: "Đơn vị chủ trì: Đảng bộ quận Hoàn Kiếm và các đơn vị
 * trực thuộc; trạng thái: Quá hạn chưa hoàn thành; ngày xét 23/11/2026". */
static char *describe_filters(tk_ctx *ctx, const json_t *query, const json_t *list)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return strdup("");
    const char *sep = "";
    char *org = name_of(ctx, &tk_res_organization, json_string_value(json_object_get(query, "org")), "name");
    if (org) {
        fprintf(f, "Đơn vị chủ trì: %s và các đơn vị trực thuộc", org);
        sep = "; ";
    }
    free(org);
    char *program = name_of(ctx, &tk_res_program, json_string_value(json_object_get(query, "program_id")), "name");
    if (program) {
        fprintf(f, "%schương trình: %s", sep, program);
        sep = "; ";
    }
    free(program);
    tk_status status;
    if (tk_status_from_name(json_string_value(json_object_get(query, "status")), &status)) {
        fprintf(f, "%strạng thái: %s", sep, tk_status_label(status));
        sep = "; ";
    }
    char from[TK_DATE_TEXT_MAX], to[TK_DATE_TEXT_MAX];
    iso_to_vn(json_string_value(json_object_get(query, "due_from")), from);
    iso_to_vn(json_string_value(json_object_get(query, "due_to")), to);
    if (from[0] || to[0]) {
        fprintf(f, "%sthời hạn%s%s%s%s", sep, from[0] ? " từ " : "", from, to[0] ? " đến " : "", to);
        sep = "; ";
    }
    const char *q = json_string_value(json_object_get(query, "q"));
    if (q && *q) {
        fprintf(f, "%scó chữ \"%s\"", sep, q);
        sep = "; ";
    }
    char on[TK_DATE_TEXT_MAX];
    iso_to_vn(json_string_value(json_object_get(list, "on")), on);
    fprintf(f, "%strạng thái xét tại ngày %s", sep, on);
    fclose(f);
    if (text && text[0] >= 'a' && text[0] <= 'z') text[0] = (char)(text[0] - 'a' + 'A');
    return text;
}

static json_t *column(const char *text, double width, const char *align)
{
    return json_pack("{s:s, s:f, s:s}", "text", text, "width", width, "align", align);
}

/* One row of the table, every cell text as the writers take it. */
static json_t *task_row(const json_t *task, size_t number)
{
    char n[24], progress[24], overdue[24], due_day[TK_DATE_TEXT_MAX], done_day[TK_DATE_TEXT_MAX];
    snprintf(n, sizeof n, "%zu", number);
    snprintf(progress, sizeof progress, "%lld", (long long)json_integer_value(json_object_get(task, "progress")));
    long long days = json_integer_value(json_object_get(task, "days_overdue"));
    if (days > 0) snprintf(overdue, sizeof overdue, "%lld", days);
    else overdue[0] = '\0';
    iso_to_vn(json_string_value(json_object_get(task, "due_last")), due_day);
    iso_to_vn(json_string_value(json_object_get(task, "completed_on")), done_day);
    tk_status status;
    const char *status_text = tk_status_from_name(text_of(task, "status"), &status) ? tk_status_label(status) : "";

    char *coordinators = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&coordinators, &len);
    size_t i;
    json_t *name;
    json_array_foreach(json_object_get(task, "coordinator_names"), i, name) {
        if (f) fprintf(f, "%s%s", i ? "; " : "", json_string_value(name));
    }
    if (f) fclose(f);
    json_t *row = json_pack("[s, s, s, s, s, s, s, s, s, s, s]", n, text_of(task, "title"), text_of(task, "lead_org_name"),
                            coordinators ? coordinators : "", text_of(task, "responsible_person"),
                            text_of(task, "due"), due_day, progress, status_text, done_day, overdue);
    free(coordinators);
    return row;
}

tk_code tk_task_list_document(tk_ctx *ctx, const json_t *query, json_t **doc, tk_error *err)
{
    json_t *list = NULL;
    tk_code rc = tk_task_list_all(ctx, query, TK_TASK_EXPORT_MAX, &list, err);
    if (rc) return rc;
    if (json_is_true(json_object_get(list, "has_more"))) {
        json_decref(list);
        return tk_error_set(err, TK_TOO_LARGE, NULL,
                            "Danh sách có hơn %d nhiệm vụ, quá dài để xuất một lần; hãy lọc theo đơn vị, chương "
                            "trình, trạng thái hoặc thời hạn rồi xuất lại",
                            TK_TASK_EXPORT_MAX);
    }
    json_t *rows = json_array();
    size_t i;
    json_t *task;
    json_array_foreach(json_object_get(list, "items"), i, task) json_array_append_new(rows, task_row(task, i + 1));
    char total[64];
    snprintf(total, sizeof total, "Cộng: %zu nhiệm vụ", json_array_size(rows));
    json_t *columns = json_pack("[o, o, o, o, o, o, o, o, o, o, o]", column("STT", 0.6, "right"),
                                column("Nhiệm vụ", 6, "left"), column("Cơ quan chủ trì", 3, "left"),
                                column("Cơ quan phối hợp", 3, "left"), column("Người chịu trách nhiệm", 2, "left"),
                                column("Thời hạn", 1.6, "left"), column("Hạn cuối", 1.3, "center"),
                                column("Tiến độ (%)", 1, "right"), column("Trạng thái", 1.8, "left"),
                                column("Ngày hoàn thành", 1.3, "center"), column("Số ngày quá hạn", 1, "right"));
    char *title = describe_filters(ctx, query, list);
    json_t *total_row = json_pack("[s, s, s, s, s, s, s, s, s, s, s]", "", total, "", "", "", "", "", "", "", "", "");
    *doc = json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:O, s:s, s:s, s:[{s:s, s:s, s:o, s:o, s:o}], s:[], s:{s:s, s:s, "
                     "s:s}}",
                     "layout", "party", "issuer", "parent", "", "name", "", "number", "", "place", "", "date",
                     json_object_get(list, "on"), "kind", "DANH SÁCH NHIỆM VỤ", "title", title ? title : "", "blocks",
                     "type", "table", "title", "Danh sách nhiệm vụ", "columns", columns, "rows", rows, "total",
                     total_row, "recipients", "signature", "authority", "", "position", "", "name", "");
    free(title);
    json_decref(list);
    if (!*doc) return tk_error_set(err, TK_INTERNAL, NULL, "Không dựng được bảng để xuất");
    return TK_OK;
}
