/* cjm mine: not built yet. */
#include <stdio.h>

#include "cli.h"

int cmd_mine(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "cjm mine: not available in this build\n");
    return CLI_USAGE;
}

int cli_diff_log(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "cjm diff: event logs are not supported in this build\n");
    return CLI_USAGE;
}
