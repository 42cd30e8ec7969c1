/* Helpers shared by the subcommands of the cjm command. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_fail(const char *sub)
{
    const cjm_error *e = cjm_error_last();
    if (e->file[0] && e->line > 0)
        fprintf(stderr, "cjm %s: %s:%d:%d: %s\n", sub, e->file, e->line, e->column, e->message);
    else
        fprintf(stderr, "cjm %s: %s\n", sub, e->message);
    switch (e->code) {
    case CJM_EIO:
        return CLI_IO;
    case CJM_EINVAL:
    case CJM_EUNSUPPORTED:
        return CLI_USAGE;
    default:
        return CLI_REJECTED;
    }
}

int cli_usage_error(const char *sub, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "cjm %s: ", sub);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'cjm %s --help')\n", sub);
    return CLI_USAGE;
}

int cli_is_help(const char *arg)
{
    return arg && (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0);
}

const char *cli_extension(const char *path, char *buf, unsigned size)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    unsigned i = 0;
    if (!dot || (slash && dot < slash) || size == 0) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    for (dot++; *dot && i + 1 < size; dot++)
        buf[i++] = (char)tolower((unsigned char)*dot);
    buf[i] = '\0';
    return buf;
}
