/* Shared pieces of the cjm command's subcommands. */
#ifndef CJM_CLI_H
#define CJM_CLI_H

#include <stdio.h>

#include <cjm.h>

/* Exit codes of every subcommand. */
enum {
    CLI_OK = 0,       /* success */
    CLI_REJECTED = 1, /* the input was rejected, or a check found errors */
    CLI_USAGE = 2,    /* bad command line */
    CLI_IO = 3        /* a file could not be read or written */
};

/* One subcommand: argv[0] is the subcommand's name. Returns an exit code. */
typedef int (*cli_command_fn)(int argc, char **argv);

/*
 * Prints the calling thread's last cjm error to stderr as
 * "cjm SUB: file:line:col: message" (or without the location when it has
 * none) and returns the exit code that fits its code: CLI_IO for CJM_EIO,
 * CLI_USAGE for CJM_EINVAL and CJM_EUNSUPPORTED, CLI_REJECTED otherwise.
 */
int cli_fail(const char *sub);

/* Prints "cjm SUB: message" to stderr and returns CLI_USAGE. */
int cli_usage_error(const char *sub, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* 1 when `arg` is "-h" or "--help". */
int cli_is_help(const char *arg);

/* The lower-case extension of a path without the dot ("svg"), or "" when none. */
const char *cli_extension(const char *path, char *buf, unsigned size);

/*
 * The value of option `name` at argv[*i], given as "NAME VALUE" (the value
 * is consumed) or "NAME=VALUE". Returns 1 when argv[*i] is that option,
 * with *out NULL when the value is missing; 0 otherwise.
 */
int cli_option_value(int argc, char **argv, int *i, const char *name, const char **out);

/*
 * Reads a journey map from `path` ("-" for standard input) into *map. On
 * failure prints the error as cli_fail(sub) does and returns its exit code.
 */
int cli_load_map(const char *sub, const char *path, cjm_map **map);

/* The output formats of the subcommands that report. */
enum { CLI_TEXT, CLI_JSON, CLI_TSV };

/* The format named by `name` ("text", "json" or "tsv"), or -1 for NULL or any other name. */
int cli_output_format(const char *name);

/* Writes `s` as a JSON string, or null when NULL. */
void cli_json_str(FILE *f, const char *s);
/* Writes `v` as a JSON number, or null when it is not finite. */
void cli_json_num(FILE *f, double v);
/* Writes `s` as a TSV field: tabs and line breaks become spaces; nothing for NULL. */
void cli_tsv_str(FILE *f, const char *s);

/* The subcommands, each in tools/cmd_<name>.c. */
int cmd_check(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_mine(int argc, char **argv);

/*
 * Conformance of an event log against a planned journey, for "cjm diff
 * PLANNED.xml LOG.xes": cmd_diff calls it when the second input is an
 * event log (.xes or .xes.gz). Lives with the miner in tools/cmd_mine.c.
 */
int cli_diff_log(int argc, char **argv);

#endif
