/* cjm report: not built yet. */
#include <stdio.h>

#include "cli.h"

int cmd_report(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "cjm report: not available in this build\n");
    return CLI_USAGE;
}
