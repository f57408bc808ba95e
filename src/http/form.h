/* application/x-www-form-urlencoded bodies (HTML forms) and their conversion into the JSON
 * bodies the service takes, using the field types of the resource being written. */
#ifndef TK_HTTP_FORM_H
#define TK_HTTP_FORM_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "service/resource.h"

/* Parses "a=1&b=x+y&c=%C4%90" into {"a":"1","b":"x y","c":"Đ"}; a name given more than once
 * becomes an array of its values. Refuses bad percent escapes (TK_INVALID_INPUT) and text that
 * is not UTF-8 after decoding (TK_INVALID_UTF8). *out is a new reference. */
tk_code tk_form_parse(const char *data, size_t len, json_t **out, tk_error *err);

/* The JSON body for res from form values, by each field's type: empty text is null (or left
 * out when creating), numbers accept a decimal comma ("5,8"), dates accept dd/mm/yyyy as well as
 * YYYY-MM-DD, a checkbox is true when present. Members that are not input fields of res are
 * left out, except the names in `extra` (copied as they are, arrays of ids converted to
 * integers). */
tk_code tk_form_to_body(const tk_resource *res, const json_t *form, bool creating, const char *const *extra,
                        json_t **out, tk_error *err);

#endif
