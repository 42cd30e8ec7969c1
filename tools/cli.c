/* Helpers shared by the subcommands of the cjm command. */
#include <ctype.h>
#include <math.h>
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

int cli_option_value(int argc, char **argv, int *i, const char *name, const char **out)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *out = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0')
        return 0;
    *out = *i + 1 < argc ? argv[++*i] : NULL;
    return 1;
}

int cli_load_map(const char *sub, const char *path, cjm_map **map)
{
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    int rc;
    if (strcmp(path, "-") == 0) {
        o.name = "(stdin)";
        rc = cjm_xml_read_fd(map, 0, &o);
    } else {
        rc = cjm_xml_read_file(map, path, &o);
    }
    return rc < 0 ? cli_fail(sub) : CLI_OK;
}

int cli_output_format(const char *name)
{
    if (!name)
        return -1;
    if (strcmp(name, "text") == 0)
        return CLI_TEXT;
    if (strcmp(name, "json") == 0)
        return CLI_JSON;
    if (strcmp(name, "tsv") == 0)
        return CLI_TSV;
    return -1;
}

void cli_json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20 || *p == 0x7F)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

void cli_json_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.10g", v);
    else
        fputs("null", f);
}

void cli_tsv_str(FILE *f, const char *s)
{
    for (; s && *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}
