/* The demo database: the action programs of Hà Nội (XVII), Hồ Chí Minh City (XI) and Thanh Hóa
 * city (XX) from the source articles, with sample tasks and updates marked as samples. The data
 * is src/io/demo/demo.json, built into the binary; it is loaded through the service layer, so it
 * passes the same checks as anything a person enters. */
#ifndef TK_IO_DEMO_H
#define TK_IO_DEMO_H

#include <jansson.h>

#include "core/error.h"
#include "service/context.h"

/* Loads a demo document (the format of src/io/demo/demo.json: objects refer to each other by
 * "key"; a member "x" holding a key fills the field "x_id"). */
tk_code tk_demo_load(tk_ctx *ctx, const json_t *demo, tk_error *err);

/* The built-in demo document (new reference). */
json_t *tk_demo_builtin(tk_error *err);

#endif
