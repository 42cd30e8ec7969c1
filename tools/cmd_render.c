/* cjm render: not built yet. */
#include <stdio.h>

#include "cli.h"

int cmd_render(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "cjm render: not available in this build\n");
    return CLI_USAGE;
}
