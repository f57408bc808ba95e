/* libFuzzer target for HTML form bodies and query strings (http/form.c). */
#include <stdint.h>
#include <stdlib.h>

#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *form = NULL;
    tk_error err;
    if (tk_form_parse((const char *)data, size, &form, &err) == TK_OK) {
        json_t *body = NULL;
        if (tk_form_to_body(&tk_res_task, form, true, (const char *const[]){"coordinator_ids", NULL}, &body, &err) ==
            TK_OK)
            json_decref(body);
        if (tk_form_to_body(&tk_res_indicator_value, form, false, NULL, &body, &err) == TK_OK) json_decref(body);
        json_decref(form);
    }
    return 0;
}
