/* `trienkhai period TEXT...`: the period reader from the command line, so a person can check
 * how a deadline written in a document will be read before importing it. */
#include "cli/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/period.h"

static const char usage[] =
    "Cách dùng: trienkhai period THỜI_HẠN...\n"
    "In ngày đầu và ngày cuối (YYYY-MM-DD YYYY-MM-DD), hoặc \"continuous\",\n"
    "\"recurring year|quarter|month\". Ví dụ: trienkhai period \"Quý I/2021\"\n";

/* New string: the arguments joined by single spaces, so the text need not be quoted. */
static char *join_args(int argc, char **argv)
{
    size_t size = 1;
    for (int i = 0; i < argc; i++) size += strlen(argv[i]) + 1;
    char *text = malloc(size);
    if (!text) return NULL;
    size_t o = 0;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (i > 0) text[o++] = ' ';
        memcpy(text + o, argv[i], n);
        o += n;
    }
    text[o] = '\0';
    return text;
}

int tk_cmd_period(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        fputs(usage, stdout);
        return 0;
    }
    char *text = join_args(argc - 1, argv + 1);
    if (!text) {
        fputs("Không đủ bộ nhớ\n", stderr);
        return 1;
    }
    tk_period period;
    tk_error err;
    tk_code rc = tk_period_parse(text, NULL, &period, &err);
    free(text);
    if (rc) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    if (period.kind == TK_PERIOD_SPAN) {
        char first[TK_DATE_TEXT_MAX], last[TK_DATE_TEXT_MAX];
        printf("%s %s\n", tk_date_format_iso(period.first, first),
               tk_date_format_iso(period.last, last));
    } else {
        printf("%s\n", tk_period_kind_name(period.kind));
    }
    /* A full disk or a closed pipe must not look like an answer. */
    return fflush(stdout) == 0 ? 0 : 1;
}
