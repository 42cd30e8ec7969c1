/* cjm convert: not built yet. */
#include <stdio.h>

#include "cli.h"

int cmd_convert(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "cjm convert: not available in this build\n");
    return CLI_USAGE;
}
