/* cjm convert: a journey map as canonical XML, DOT or Mermaid. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: cjm convert IN.xml -o OUT.{xml,dot,mmd} [options]\n"
    "\n"
    "Writes a journey map in another form; the extension of OUT decides:\n"
    "  xml   the whole map as canonical Journey XML\n"
    "  dot   one journey as a Graphviz graph (also gv)\n"
    "  mmd   one journey as a Mermaid journey diagram (also mermaid)\n"
    "\n"
    "  -o, --output FILE        the file to write (replaced atomically)\n"
    "  --journey ID             for dot and mmd: the journey (default: the first)\n"
    "  --situation ID           for dot and mmd: only what a customer in this\n"
    "                           situation meets\n"
    "  -h, --help               show this help\n"
    "\n"
    "IN.xml may be - for standard input.\n"
    "exit codes: 0 ok, 1 input rejected, 2 usage, 3 input/output error\n";

enum { TO_XML, TO_DOT, TO_MERMAID };

int cmd_convert(int argc, char **argv)
{
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    cjm_xml_read_options ro = CJM_XML_READ_OPTIONS_INIT;
    const char *in = NULL, *out = NULL, *v;
    char ext[16];
    cjm_map *map = NULL;
    int to, rc;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(usage, stdout);
            return CLI_OK;
        } else if (cli_option_value(argc, argv, &i, "-o", &v) ||
                   cli_option_value(argc, argv, &i, "--output", &v)) {
            if (!v)
                return cli_usage_error("convert", "%s needs a file name", a);
            out = v;
        } else if (cli_option_value(argc, argv, &i, "--journey", &v)) {
            if (!v)
                return cli_usage_error("convert", "--journey needs an id");
            o.journey = v;
        } else if (cli_option_value(argc, argv, &i, "--situation", &v)) {
            if (!v)
                return cli_usage_error("convert", "--situation needs an id");
            o.situation = v;
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error("convert", "unknown option '%s'", a);
        } else if (!in) {
            in = a;
        } else {
            return cli_usage_error("convert", "one input only ('%s' is extra)", a);
        }
    }
    if (!in)
        return cli_usage_error("convert", "no input file");
    if (!out)
        return cli_usage_error("convert", "no output file (-o OUT.xml, OUT.dot or OUT.mmd)");
    cli_extension(out, ext, sizeof ext);
    if (strcmp(ext, "xml") == 0)
        to = TO_XML;
    else if (strcmp(ext, "dot") == 0 || strcmp(ext, "gv") == 0)
        to = TO_DOT;
    else if (strcmp(ext, "mmd") == 0 || strcmp(ext, "mermaid") == 0)
        to = TO_MERMAID;
    else
        return cli_usage_error("convert", "unknown format '%s' for %s: use xml, dot or mmd", ext,
                               out);
    if (to == TO_XML && (o.journey || o.situation))
        return cli_usage_error("convert", "--journey and --situation apply to dot and mmd only");

    if (strcmp(in, "-") == 0) {
        ro.name = "(stdin)";
        rc = cjm_xml_read_fd(&map, 0, &ro);
    } else {
        rc = cjm_xml_read_file(&map, in, &ro);
    }
    if (rc < 0)
        return cli_fail("convert");
    if (to == TO_XML)
        rc = cjm_xml_write_file(map, out, NULL);
    else if (to == TO_DOT)
        rc = cjm_render_file(map, CJM_RENDER_DOT, &o, out);
    else
        rc = cjm_render_mermaid_file(map, &o, out);
    if (rc < 0) {
        rc = cjm_error_last()->code == CJM_ENOTFOUND && (o.journey || o.situation)
                 ? (cli_fail("convert"), CLI_USAGE)
                 : cli_fail("convert");
    }
    cjm_map_free(map);
    return rc;
}
