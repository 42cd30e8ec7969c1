/* cjm diff: not built yet. */
#include <stdio.h>

#include "cli.h"

int cmd_diff(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "cjm diff: not available in this build\n");
    return CLI_USAGE;
}
