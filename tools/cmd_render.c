/* cjm render: draws a journey as SVG, PNG, PDF or DOT. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: cjm render IN.xml -o OUT.{svg,png,pdf,dot} [options]\n"
    "\n"
    "Draws one journey of a journey map with Graphviz. The format follows\n"
    "the extension of OUT (svg, png, pdf, dot or gv).\n"
    "\n"
    "  -o, --output FILE        the diagram to write (replaced atomically)\n"
    "  --journey ID             the journey to draw (default: the first)\n"
    "  --situation ID           only what a customer in this situation meets\n"
    "  --annotations WHICH      all (default), none, pain or gaps\n"
    "  --direction LR|TB        stages left to right (default) or top to bottom\n"
    "  --no-legend              leave the legend out\n"
    "  -h, --help               show this help\n"
    "\n"
    "IN.xml may be - for standard input.\n"
    "exit codes: 0 ok, 1 input rejected, 2 usage, 3 input/output error\n";

int cmd_render(int argc, char **argv)
{
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    const char *in = NULL, *out = NULL, *v;
    char ext[16];
    cjm_render_format format;
    cjm_map *map = NULL;
    int rc;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(usage, stdout);
            return CLI_OK;
        } else if (cli_option_value(argc, argv, &i, "-o", &v) ||
                   cli_option_value(argc, argv, &i, "--output", &v)) {
            if (!v)
                return cli_usage_error("render", "%s needs a file name", a);
            out = v;
        } else if (cli_option_value(argc, argv, &i, "--journey", &v)) {
            if (!v)
                return cli_usage_error("render", "--journey needs an id");
            o.journey = v;
        } else if (cli_option_value(argc, argv, &i, "--situation", &v)) {
            if (!v)
                return cli_usage_error("render", "--situation needs an id");
            o.situation = v;
        } else if (cli_option_value(argc, argv, &i, "--annotations", &v)) {
            if (v && strcmp(v, "all") == 0)
                o.annotations = CJM_ANNOTATE_ALL;
            else if (v && strcmp(v, "none") == 0)
                o.annotations = CJM_ANNOTATE_NONE;
            else if (v && strcmp(v, "pain") == 0)
                o.annotations = CJM_ANNOTATE_PAIN;
            else if (v && strcmp(v, "gaps") == 0)
                o.annotations = CJM_ANNOTATE_GAPS;
            else
                return cli_usage_error("render", "--annotations takes all, none, pain or gaps");
        } else if (cli_option_value(argc, argv, &i, "--direction", &v)) {
            if (v && (strcmp(v, "LR") == 0 || strcmp(v, "lr") == 0))
                o.direction = CJM_DIRECTION_LR;
            else if (v && (strcmp(v, "TB") == 0 || strcmp(v, "tb") == 0))
                o.direction = CJM_DIRECTION_TB;
            else
                return cli_usage_error("render", "--direction takes LR or TB");
        } else if (strcmp(a, "--no-legend") == 0) {
            o.legend = 0;
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error("render", "unknown option '%s'", a);
        } else if (!in) {
            in = a;
        } else {
            return cli_usage_error("render", "one input only ('%s' is extra)", a);
        }
    }
    if (!in)
        return cli_usage_error("render", "no input file");
    if (!out)
        return cli_usage_error("render", "no output file (-o OUT.svg)");
    if (cjm_render_format_lookup(cli_extension(out, ext, sizeof ext), &format) < 0)
        return cli_usage_error("render", "unknown format '%s' for %s: use svg, png, pdf or dot",
                               ext, out);
    if ((rc = cli_load_map("render", in, &map)) != CLI_OK)
        return rc;
    if (cjm_render_file(map, format, &o, out) < 0) {
        /* An unknown journey or situation is a mistake on the command line. */
        rc = cjm_error_last()->code == CJM_ENOTFOUND && (o.journey || o.situation)
                 ? (cli_fail("render"), CLI_USAGE)
                 : cli_fail("render");
    }
    cjm_map_free(map);
    return rc;
}
