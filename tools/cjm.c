/* The cjm command: turns journey files into diagrams, reports and checks. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    cli_command_fn fn;
    const char *summary;
} commands[] = {
    {"check", cmd_check, "validate a journey map; problems as file:line:col: message"},
    {"convert", cmd_convert, "convert a journey map to canonical XML, DOT or Mermaid"},
    {"render", cmd_render, "draw a journey as SVG, PNG, PDF or DOT"},
    {"report", cmd_report, "rank gaps and pain points; channel and structure checks"},
    {"diff", cmd_diff, "planned against actual: a journey or an event log"},
    {"mine", cmd_mine, "mine the actual journey from an event log (XES)"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: cjm <command> [options]   (cjm <command> --help for more)\n\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n  --version  print the library's version\n"
                 "\nexit codes: 0 ok, 1 input rejected, 2 usage, 3 input/output error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1])) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("cjm %s\n", cjm_version());
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "cjm: '%s' is not a command\n", argv[1]);
    usage(stderr);
    return CLI_USAGE;
}
