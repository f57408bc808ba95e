/* Indicators: targets per milestone year, values, the series with its projection. */
#include "http/pages.h"

const tk_page_route tk_indicator_routes[] = {
    {NULL, NULL, NULL},
};
