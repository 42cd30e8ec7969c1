/* cjm check: validates a journey map and lists every problem. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: cjm check IN.xml\n"
    "\n"
    "Reads a journey map and checks it: the XML must be well-formed Journey\n"
    "XML, and its meaning sound (references that resolve, values in range,\n"
    "stages in order...). Each problem is printed on standard error as\n"
    "\n"
    "  FILE:LINE:COLUMN: error|warning: message\n"
    "\n"
    "  -q, --quiet      print nothing when there is no problem\n"
    "  -h, --help       show this help\n"
    "\n"
    "IN.xml may be - for standard input.\n"
    "exit codes: 0 no errors (warnings allowed), 1 errors found or input\n"
    "rejected, 2 usage, 3 input/output error\n";

static void location(const char *file, int line, int column)
{
    if (line > 0)
        fprintf(stderr, "%s:%d:%d: ", file, line, column > 0 ? column : 1);
    else
        fprintf(stderr, "%s: ", file);
}

int cmd_check(int argc, char **argv)
{
    cjm_xml_read_options ro = CJM_XML_READ_OPTIONS_INIT;
    const char *in = NULL, *name;
    cjm_map *map = NULL;
    cjm_problems *problems = NULL;
    size_t count, errors;
    int quiet = 0, rc;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(usage, stdout);
            return CLI_OK;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error("check", "unknown option '%s'", a);
        } else if (!in) {
            in = a;
        } else {
            return cli_usage_error("check", "one input only ('%s' is extra)", a);
        }
    }
    if (!in)
        return cli_usage_error("check", "no input file");

    ro.flags = CJM_XML_KEEP_PROBLEMS;
    if (strcmp(in, "-") == 0) {
        ro.name = "(stdin)";
        rc = cjm_xml_read_fd(&map, 0, &ro);
    } else {
        rc = cjm_xml_read_file(&map, in, &ro);
    }
    name = strcmp(in, "-") == 0 ? "(stdin)" : in;
    if (rc < 0) {
        const cjm_error *e = cjm_error_last();
        if (e->code == CJM_EIO || e->code == CJM_EINVAL || e->code == CJM_ENOMEM)
            return cli_fail("check");
        location(e->file[0] ? e->file : name, e->line, e->column);
        fprintf(stderr, "error: %s\n", e->message);
        return CLI_REJECTED;
    }
    if (cjm_map_validate(map, &problems) < 0) {
        rc = cli_fail("check");
        cjm_map_free(map);
        return rc;
    }
    count = cjm_problems_count(problems);
    errors = cjm_problems_errors(problems);
    for (size_t i = 0; i < count; i++) {
        const cjm_problem *p = cjm_problems_at(problems, i);
        location(name, p->line, p->column);
        fprintf(stderr, "%s: %s\n", p->severity == CJM_SEVERITY_ERROR ? "error" : "warning",
                p->message);
    }
    if (count > 0)
        fprintf(stderr, "%s: %zu error%s, %zu warning%s\n", name, errors, errors == 1 ? "" : "s",
                count - errors, count - errors == 1 ? "" : "s");
    else if (!quiet)
        printf("%s: no problems\n", name);
    cjm_problems_free(problems);
    cjm_map_free(map);
    return errors > 0 ? CLI_REJECTED : CLI_OK;
}
