/*
 * cjm mine: the actual journey of an event log (XES), as Journey XML, a
 * summary, JSON or a partial result to merge; and "cjm diff PLANNED LOG",
 * the conformance of a log's cases with a planned journey.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void mine_usage(FILE *out)
{
    fprintf(out,
            "usage: cjm mine LOG [-o OUT.xml] [options]\n"
            "       cjm mine --merge PART... [-o OUT.xml] [options]\n"
            "\n"
            "Mines the actual journey from an XES event log (.xes, .xes.gz): touchpoints\n"
            "from the event classifier, transitions from directly-follows pairs with volumes\n"
            "and durations, start and end volumes, variants.\n"
            "\n"
            "  -o, --output OUT.xml   write the journey as Journey XML\n"
            "  --classifier NAME      use a classifier declared in the log\n"
            "  --keys K1,K2           join the values of these event attributes\n"
            "                         (default: concept:name)\n"
            "  --channel-key KEY      the event attribute that names the channel\n"
            "  --journey ID           the id of the mined journey (default: actual)\n"
            "  --top-variants K       how many variants the summary lists (default 10)\n"
            "  --json                 print every count as JSON on standard output\n"
            "  --partial OUT.part     save the result to merge later (cjm mine --merge)\n"
            "  --merge                the arguments are partial results to merge\n"
            "  --quiet                no summary, no progress bar\n"
            "\n"
            "Without -o, --json or --partial a summary is printed. A progress bar goes to\n"
            "standard error when it is a terminal and the log is large.\n"
            "exit codes: 0 ok, 1 input rejected, 2 usage, 3 input/output error\n");
}

/* ---- small helpers ---------------------------------------------------------- */

/* Splits "a,b,c" into a NULL-terminated array of pointers into `s` (modified). */
static const char **split_commas(char *s, size_t *n)
{
    size_t cap = 1;
    const char **v;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    v = calloc(cap + 1, sizeof *v);
    if (!v)
        return NULL;
    *n = 0;
    for (char *tok = s;;) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        v[(*n)++] = tok;
        if (!comma)
            break;
        tok = comma + 1;
    }
    return v;
}

typedef struct progress {
    int active;
    int shown;
} progress;

static void on_progress(void *ud, unsigned long long done, unsigned long long total)
{
    progress *p = ud;
    int width = 40, filled;
    if (!p->active || total == 0)
        return;
    filled = (int)(done * (unsigned long long)width / total);
    fprintf(stderr, "\rcjm mine: [%.*s%*s] %3d%%", filled,
            "########################################", width - filled, "",
            (int)(done * 100 / total));
    p->shown = 1;
}

static void progress_done(progress *p)
{
    if (p->shown)
        fprintf(stderr, "\r%*s\r", 60, "");
}

static void json_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    putc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            putc(*p, out);
    }
    putc('"', out);
}

static void print_json(FILE *out, const cjm_mine_result *r)
{
    size_t na = cjm_mine_activity_count(r);
    cjm_mine_activity a;
    fputs("{\n \"keys\": [", out);
    for (size_t i = 0; i < cjm_mine_key_count(r); i++) {
        fputs(i ? ", " : "", out);
        json_string(out, cjm_mine_key_at(r, i));
    }
    fputs("],\n \"channel_key\": ", out);
    json_string(out, cjm_mine_channel_key(r));
    fputs(",\n \"counters\": {", out);
    for (int c = 0; c < CJM_MINE_COUNTER_COUNT; c++)
        fprintf(out, "%s\n  \"%s\": %llu", c ? "," : "",
                cjm_mine_counter_name((cjm_mine_counter)c),
                cjm_mine_count(r, (cjm_mine_counter)c));
    fputs("\n },\n \"activities\": [", out);
    for (size_t i = 0; i < na; i++) {
        cjm_mine_activity_at(r, i, &a);
        fputs(i ? ",\n  {\"name\": " : "\n  {\"name\": ", out);
        json_string(out, a.name);
        fprintf(out, ", \"events\": %llu, \"starts\": %llu, \"ends\": %llu, \"channel\": ",
                a.events, a.starts, a.ends);
        json_string(out, a.channel);
        fputs("}", out);
    }
    fputs("\n ],\n \"transitions\": [", out);
    for (size_t i = 0; i < cjm_mine_transition_count(r); i++) {
        cjm_mine_transition t;
        cjm_mine_activity from, to;
        cjm_mine_transition_at(r, i, &t);
        cjm_mine_activity_at(r, t.from, &from);
        cjm_mine_activity_at(r, t.to, &to);
        fputs(i ? ",\n  {\"from\": " : "\n  {\"from\": ", out);
        json_string(out, from.name);
        fputs(", \"to\": ", out);
        json_string(out, to.name);
        fprintf(out,
                ", \"volume\": %llu, \"durations\": {\"count\": %llu, \"mean\": %.17g, "
                "\"min\": %lld, \"max\": %lld, \"median\": %lld, \"p90\": %lld}}",
                t.volume, t.durations.count, t.durations.mean, t.durations.min,
                t.durations.max, t.durations.median, t.durations.p90);
    }
    fputs("\n ],\n \"variants\": [", out);
    for (size_t i = 0; i < cjm_mine_variant_count(r); i++) {
        cjm_mine_variant v;
        cjm_mine_variant_at(r, i, &v);
        fprintf(out, "%s\n  {\"traces\": %llu, \"activities\": [", i ? "," : "", v.traces);
        for (size_t k = 0; k < v.length; k++) {
            cjm_mine_activity_at(r, v.activities[k], &a);
            fputs(k ? ", " : "", out);
            json_string(out, a.name);
        }
        fputs("]}", out);
    }
    fputs("\n ]\n}\n", out);
}

static void print_summary(FILE *out, const char *name, const cjm_mine_result *r, size_t top)
{
    size_t na = cjm_mine_activity_count(r), nv = cjm_mine_variant_count(r);
    cjm_mine_activity a;
    fprintf(out, "%s: %llu traces, %llu events, %zu activities, %zu transitions, %zu variants\n",
            name, cjm_mine_count(r, CJM_MINE_TRACES), cjm_mine_count(r, CJM_MINE_EVENTS), na,
            cjm_mine_transition_count(r), nv);
    for (int c = CJM_MINE_TRACES_EMPTY; c < CJM_MINE_COUNTER_COUNT; c++) {
        unsigned long long v = cjm_mine_count(r, (cjm_mine_counter)c);
        if (v && c != CJM_MINE_PAIRS_TIMED)
            fprintf(out, "  %-22s %llu\n", cjm_mine_counter_name((cjm_mine_counter)c), v);
    }
    fprintf(out, "activities (events, starts, ends):\n");
    for (size_t i = 0; i < na; i++) {
        cjm_mine_activity_at(r, i, &a);
        fprintf(out, "  %-40s %8llu %8llu %8llu%s%s\n", a.name, a.events, a.starts, a.ends,
                a.channel ? "  channel " : "", a.channel ? a.channel : "");
    }
    if (top > nv)
        top = nv;
    fprintf(out, "top %zu variants (traces: activities):\n", top);
    for (size_t i = 0; i < top; i++) {
        cjm_mine_variant v;
        cjm_mine_variant_at(r, i, &v);
        fprintf(out, "  %8llu:", v.traces);
        for (size_t k = 0; k < v.length; k++) {
            cjm_mine_activity_at(r, v.activities[k], &a);
            fprintf(out, "%s%s", k ? " > " : " ", a.name);
        }
        fputc('\n', out);
    }
}

static int read_partial(const char *path, cjm_mine_result **out)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    size_t len = 0, cap = 0;
    int rc;
    if (!f) {
        fprintf(stderr, "cjm mine: %s: cannot open\n", path);
        return -1;
    }
    for (;;) {
        size_t n;
        if (len == cap) {
            char *p;
            cap = cap ? cap * 2 : 65536;
            if (!(p = realloc(data, cap))) {
                free(data);
                fclose(f);
                fprintf(stderr, "cjm mine: out of memory\n");
                return -1;
            }
            data = p;
        }
        n = fread(data + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    rc = cjm_mine_deserialize(out, data, len, NULL);
    free(data);
    return rc;
}

static int write_bytes(const char *path, const cjm_buffer *b)
{
    FILE *f = fopen(path, "wb");
    int ok;
    if (!f)
        return -1;
    ok = fwrite(b->data, 1, b->size, f) == b->size;
    ok = fflush(f) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    return ok ? 0 : -1;
}

int cmd_mine(int argc, char **argv)
{
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    const char *output = NULL, *partial = NULL, *journey_id = "actual";
    const char **keys = NULL, **inputs;
    char *keys_arg = NULL;
    size_t nkeys = 0, ninputs = 0, top = 10;
    int json = 0, merge = 0, quiet = 0, code = CLI_OK;
    cjm_mine_result *r = NULL;
    progress prog = {0, 0};

    inputs = calloc((size_t)argc + 1, sizeof *inputs);
    if (!inputs)
        return CLI_IO;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (cli_is_help(a)) {
            mine_usage(stdout);
            free(inputs);
            return CLI_OK;
        } else if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && more) {
            output = argv[++i];
        } else if (strcmp(a, "--classifier") == 0 && more) {
            o.classifier = argv[++i];
        } else if (strcmp(a, "--keys") == 0 && more) {
            keys_arg = argv[++i];
        } else if (strcmp(a, "--channel-key") == 0 && more) {
            o.channel_key = argv[++i];
        } else if (strcmp(a, "--journey") == 0 && more) {
            journey_id = argv[++i];
        } else if (strcmp(a, "--top-variants") == 0 && more) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 0) {
                free(inputs);
                return cli_usage_error("mine", "--top-variants wants a number, not '%s'",
                                       argv[i]);
            }
            top = (size_t)v;
        } else if (strcmp(a, "--partial") == 0 && more) {
            partial = argv[++i];
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--merge") == 0) {
            merge = 1;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            free(inputs);
            return cli_usage_error("mine", "unknown option or missing value: %s", a);
        } else {
            inputs[ninputs++] = a;
        }
    }
    if (ninputs == 0 || (!merge && ninputs > 1)) {
        free(inputs);
        mine_usage(stderr);
        return CLI_USAGE;
    }
    if (keys_arg && o.classifier) {
        free(inputs);
        return cli_usage_error("mine", "--keys and --classifier exclude each other");
    }
    if (keys_arg) {
        if (!(keys = split_commas(keys_arg, &nkeys))) {
            free(inputs);
            return CLI_IO;
        }
        o.keys = keys;
        o.key_count = nkeys;
    }
    prog.active = !quiet && !json && isatty(2);
    o.progress = on_progress;
    o.progress_ud = &prog;

    if (merge) {
        for (size_t i = 0; i < ninputs && code == CLI_OK; i++) {
            cjm_mine_result *part = NULL;
            int rc = read_partial(inputs[i], &part);
            if (rc == -1)
                code = CLI_IO;
            else if (rc < 0)
                code = cli_fail("mine");
            else if (!r)
                r = part;
            else {
                if (cjm_mine_merge(r, part) < 0)
                    code = cli_fail("mine");
                cjm_mine_result_free(part);
            }
        }
    } else if (cjm_mine_file(&r, inputs[0], &o, NULL) < 0) {
        progress_done(&prog);
        code = cli_fail("mine");
    }
    progress_done(&prog);

    if (code == CLI_OK && partial) {
        cjm_buffer b = CJM_BUFFER_INIT;
        if (cjm_mine_serialize(r, &b) < 0) {
            code = cli_fail("mine");
        } else if (write_bytes(partial, &b) < 0) {
            fprintf(stderr, "cjm mine: %s: cannot write\n", partial);
            code = CLI_IO;
        }
        cjm_buffer_free(&b);
    }
    if (code == CLI_OK && output) {
        cjm_map *map = NULL;
        if (cjm_map_new(&map, NULL) < 0 || cjm_mine_to_journey(r, map, journey_id, NULL) < 0 ||
            cjm_xml_write_file(map, output, NULL) < 0)
            code = cli_fail("mine");
        cjm_map_free(map);
    }
    if (code == CLI_OK && json)
        print_json(stdout, r);
    if (code == CLI_OK && !json && !output && !partial && !quiet)
        print_summary(stdout, merge ? "merged" : inputs[0], r, top);
    cjm_mine_result_free(r);
    free(keys);
    free(inputs);
    return code;
}

/* ---- cjm diff PLANNED.xml LOG.xes -------------------------------------------- */

int cli_diff_log(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "cjm diff: event logs are not supported in this build\n");
    return CLI_USAGE;
}
