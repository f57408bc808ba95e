/* Forms that create and edit organizations, documents, programs and indicators. */
#include "http/pages.h"

const tk_page_route tk_form_routes[] = {
    {NULL, NULL, NULL},
};
