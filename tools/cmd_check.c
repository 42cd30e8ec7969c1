/* cjm check: not built yet. */
#include <stdio.h>

#include "cli.h"

int cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "cjm check: not available in this build\n");
    return CLI_USAGE;
}
