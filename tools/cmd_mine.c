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
    /* short logs are read before a bar would be seen */
    if (!p->active || total == 0 || (total < (16ULL << 20) && !p->shown))
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

static void print_json(FILE *out, const cjm_mine_result *r)
{
    size_t na = cjm_mine_activity_count(r);
    cjm_mine_activity a;
    fputs("{\n \"keys\": [", out);
    for (size_t i = 0; i < cjm_mine_key_count(r); i++) {
        fputs(i ? ", " : "", out);
        cli_json_str(out, cjm_mine_key_at(r, i));
    }
    fputs("],\n \"channel_key\": ", out);
    cli_json_str(out, cjm_mine_channel_key(r));
    fputs(",\n \"counters\": {", out);
    for (int c = 0; c < CJM_MINE_COUNTER_COUNT; c++)
        fprintf(out, "%s\n  \"%s\": %llu", c ? "," : "",
                cjm_mine_counter_name((cjm_mine_counter)c),
                cjm_mine_count(r, (cjm_mine_counter)c));
    fputs("\n },\n \"activities\": [", out);
    for (size_t i = 0; i < na; i++) {
        cjm_mine_activity_at(r, i, &a);
        fputs(i ? ",\n  {\"name\": " : "\n  {\"name\": ", out);
        cli_json_str(out, a.name);
        fprintf(out, ", \"events\": %llu, \"starts\": %llu, \"ends\": %llu, \"channel\": ",
                a.events, a.starts, a.ends);
        cli_json_str(out, a.channel);
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
        cli_json_str(out, from.name);
        fputs(", \"to\": ", out);
        cli_json_str(out, to.name);
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
            cli_json_str(out, a.name);
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

static void diff_usage(FILE *out)
{
    fprintf(out,
            "usage: cjm diff PLANNED.xml LOG.xes [options]\n"
            "\n"
            "Holds every case of an event log against a planned journey and counts the\n"
            "deviations: missing, failing, ad hoc and irregular, per touchpoint and in all.\n"
            "\n"
            "  --planned ID         the planned journey (default: the map's first planned one)\n"
            "  --map FILE           activity-to-touchpoint mapping: lines 'activity<TAB>id'\n"
            "                       (default: an activity matches a touchpoint's id or label)\n"
            "  --classifier NAME    use a classifier declared in the log\n"
            "  --keys K1,K2         join the values of these event attributes\n"
            "  --cases              also print one line per case\n"
            "  --format text|json   text for people (default) or JSON\n"
            "exit codes: 0 ok, 1 input rejected, 2 usage, 3 input/output error\n");
}

typedef struct mapping {
    char *text;
    const char **from, **to;
    size_t n;
} mapping;

static int read_mapping(const char *path, mapping *m)
{
    FILE *f = fopen(path, "rb");
    size_t len = 0, cap = 0, lines = 0;
    char *p;
    if (!f)
        return -1;
    m->text = NULL;
    for (;;) {
        size_t got;
        if (len + 1 >= cap) {
            char *q;
            cap = cap ? cap * 2 : 4096;
            if (!(q = realloc(m->text, cap))) {
                fclose(f);
                return -1;
            }
            m->text = q;
        }
        got = fread(m->text + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    m->text[len] = '\0';
    for (p = m->text; *p; p++)
        lines += *p == '\n';
    m->from = calloc(lines + 1, sizeof *m->from);
    m->to = calloc(lines + 1, sizeof *m->to);
    if (!m->from || !m->to)
        return -1;
    m->n = 0;
    for (p = m->text; p && *p;) {
        char *nl = strchr(p, '\n'), *tab;
        if (nl)
            *nl = '\0';
        if (nl && nl > p && nl[-1] == '\r')
            nl[-1] = '\0';
        tab = strchr(p, '\t');
        if (tab && *p != '#') {
            *tab = '\0';
            m->from[m->n] = p;
            m->to[m->n++] = tab + 1;
        }
        p = nl ? nl + 1 : NULL;
    }
    return 0;
}

static void print_case(void *ud, const char *case_id, const unsigned long long counts[4])
{
    (void)ud;
    printf("case %s: missing %llu, failing %llu, ad hoc %llu, irregular %llu\n",
           case_id ? case_id : "(no id)", counts[CJM_DEVIATION_MISSING],
           counts[CJM_DEVIATION_FAILING], counts[CJM_DEVIATION_ADHOC],
           counts[CJM_DEVIATION_IRREGULAR]);
}

static const cjm_deviation kinds[4] = {CJM_DEVIATION_MISSING, CJM_DEVIATION_FAILING,
                                        CJM_DEVIATION_ADHOC, CJM_DEVIATION_IRREGULAR};

static void print_conformance_json(FILE *out, const cjm_mine_conformance *c,
                                   const cjm_journey *planned)
{
    fprintf(out, "{\n \"journey\": ");
    cli_json_str(out, cjm_journey_id(planned));
    fprintf(out, ",\n \"cases\": %llu, \"fitting\": %llu, \"skipped\": %llu,\n",
            cjm_mine_conformance_cases(c), cjm_mine_conformance_fitting(c),
            cjm_mine_conformance_skipped(c));
    fprintf(out, " \"deviations\": {");
    for (int k = 0; k < 4; k++)
        fprintf(out, "%s\"%s\": %llu", k ? ", " : "", cjm_enum_name(CJM_ATTR_DEVIATION, kinds[k]),
                cjm_mine_conformance_total(c, kinds[k]));
    fprintf(out, "},\n \"cases_with\": {");
    for (int k = 0; k < 4; k++)
        fprintf(out, "%s\"%s\": %llu", k ? ", " : "", cjm_enum_name(CJM_ATTR_DEVIATION, kinds[k]),
                cjm_mine_conformance_cases_with(c, kinds[k]));
    fprintf(out, "},\n \"touchpoints\": [");
    for (size_t i = 0; i < cjm_journey_count(planned, CJM_TOUCHPOINT); i++) {
        fprintf(out, "%s\n  {\"id\": ", i ? "," : "");
        cli_json_str(out, cjm_item_id(cjm_journey_at(planned, CJM_TOUCHPOINT, i)));
        for (int k = 0; k < 4; k++)
            if (kinds[k] != CJM_DEVIATION_ADHOC)
                fprintf(out, ", \"%s\": %llu", cjm_enum_name(CJM_ATTR_DEVIATION, kinds[k]),
                        cjm_mine_conformance_touchpoint(c, i, kinds[k]));
        fputc('}', out);
    }
    fprintf(out, "\n ],\n \"adhoc\": [");
    for (size_t i = 0; i < cjm_mine_conformance_adhoc_count(c); i++) {
        const char *name;
        unsigned long long n;
        cjm_mine_conformance_adhoc_at(c, i, &name, &n);
        fprintf(out, "%s\n  {\"activity\": ", i ? "," : "");
        cli_json_str(out, name);
        fprintf(out, ", \"count\": %llu}", n);
    }
    fprintf(out, "\n ]\n}\n");
}

static void print_conformance_text(FILE *out, const cjm_mine_conformance *c,
                                   const cjm_journey *planned, const char *log_path,
                                   const char *planned_path)
{
    fprintf(out, "%s against %s (journey %s): %llu cases, %llu without deviation, %llu too long to "
           "check\n",
           log_path, planned_path, cjm_journey_id(planned), cjm_mine_conformance_cases(c),
           cjm_mine_conformance_fitting(c), cjm_mine_conformance_skipped(c));
    fprintf(out, "%-28s %10s %10s %10s %10s\n", "", "missing", "failing", "ad hoc", "irregular");
    fprintf(out, "%-28s %10llu %10llu %10llu %10llu\n", "deviations",
           cjm_mine_conformance_total(c, CJM_DEVIATION_MISSING),
           cjm_mine_conformance_total(c, CJM_DEVIATION_FAILING),
           cjm_mine_conformance_total(c, CJM_DEVIATION_ADHOC),
           cjm_mine_conformance_total(c, CJM_DEVIATION_IRREGULAR));
    fprintf(out, "%-28s %10llu %10llu %10llu %10llu\n", "cases with them",
           cjm_mine_conformance_cases_with(c, CJM_DEVIATION_MISSING),
           cjm_mine_conformance_cases_with(c, CJM_DEVIATION_FAILING),
           cjm_mine_conformance_cases_with(c, CJM_DEVIATION_ADHOC),
           cjm_mine_conformance_cases_with(c, CJM_DEVIATION_IRREGULAR));
    fprintf(out, "per planned touchpoint:\n");
    for (size_t i = 0; i < cjm_journey_count(planned, CJM_TOUCHPOINT); i++) {
        cjm_item *tp = cjm_journey_at(planned, CJM_TOUCHPOINT, i);
        fprintf(out, "  %-26s %10llu %10llu %10s %10llu\n", cjm_item_id(tp),
               cjm_mine_conformance_touchpoint(c, i, CJM_DEVIATION_MISSING),
               cjm_mine_conformance_touchpoint(c, i, CJM_DEVIATION_FAILING), "-",
               cjm_mine_conformance_touchpoint(c, i, CJM_DEVIATION_IRREGULAR));
    }
    if (cjm_mine_conformance_adhoc_count(c)) {
        fprintf(out, "unplanned activities (ad hoc):\n");
        for (size_t i = 0; i < cjm_mine_conformance_adhoc_count(c); i++) {
            const char *name;
            unsigned long long n;
            cjm_mine_conformance_adhoc_at(c, i, &name, &n);
            fprintf(out, "  %-26s %10s %10s %10llu\n", name, "", "", n);
        }
    }
}

int cli_diff_log(int argc, char **argv)
{
    cjm_mine_options mo = CJM_MINE_OPTIONS_INIT;
    cjm_mine_conformance_options co = CJM_MINE_CONFORMANCE_OPTIONS_INIT;
    const char *planned_path = NULL, *log_path = NULL, *journey_id = NULL, *map_path = NULL;
    const char **keys = NULL;
    char *keys_arg = NULL;
    size_t nkeys = 0;
    int cases = 0, json = 0, code = CLI_OK;
    mapping m = {NULL, NULL, NULL, 0};
    cjm_map *map = NULL;
    cjm_journey *planned = NULL;
    cjm_mine_conformance *c = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (cli_is_help(a)) {
            diff_usage(stdout);
            return CLI_OK;
        } else if ((strcmp(a, "--journey") == 0 || strcmp(a, "--planned") == 0) && more) {
            journey_id = argv[++i];
        } else if (strcmp(a, "--format") == 0 && more) {
            const char *f = argv[++i];
            if (strcmp(f, "json") == 0)
                json = 1;
            else if (strcmp(f, "text") != 0)
                return cli_usage_error("diff", "--format for event logs is text or json");
        } else if (strcmp(a, "--map") == 0 && more) {
            map_path = argv[++i];
        } else if (strcmp(a, "--classifier") == 0 && more) {
            mo.classifier = argv[++i];
        } else if (strcmp(a, "--keys") == 0 && more) {
            keys_arg = argv[++i];
        } else if (strcmp(a, "--cases") == 0) {
            cases = 1;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("diff", "unknown option or missing value: %s", a);
        } else if (!planned_path) {
            planned_path = a;
        } else if (!log_path) {
            log_path = a;
        } else {
            return cli_usage_error("diff", "too many arguments: %s", a);
        }
    }
    if (!planned_path || !log_path) {
        diff_usage(stderr);
        return CLI_USAGE;
    }
    if (keys_arg) {
        if (!(keys = split_commas(keys_arg, &nkeys)))
            return CLI_IO;
        mo.keys = keys;
        mo.key_count = nkeys;
    }
    if (map_path && read_mapping(map_path, &m) < 0) {
        fprintf(stderr, "cjm diff: %s: cannot read the mapping\n", map_path);
        code = CLI_IO;
        goto done;
    }
    if (cjm_xml_read_file(&map, planned_path, NULL) < 0) {
        code = cli_fail("diff");
        goto done;
    }
    if (journey_id) {
        planned = cjm_map_journey(map, journey_id);
    } else {
        for (size_t i = 0; i < cjm_map_journey_count(map) && !planned; i++)
            if (cjm_journey_status(cjm_map_journey_at(map, i)) == CJM_STATUS_PLANNED)
                planned = cjm_map_journey_at(map, i);
    }
    if (!planned) {
        fprintf(stderr, "cjm diff: %s: no %s journey%s%s\n", planned_path,
                journey_id ? "such" : "planned", journey_id ? " " : "",
                journey_id ? journey_id : "");
        code = CLI_REJECTED;
        goto done;
    }
    co.mine = &mo;
    co.activities = m.from;
    co.touchpoints = m.to;
    co.mapping_count = m.n;
    if (cases && !json)
        co.on_case = print_case;
    if (cjm_mine_conform_file(&c, log_path, planned, &co, NULL) < 0) {
        code = cli_fail("diff");
        goto done;
    }
    if (json)
        print_conformance_json(stdout, c, planned);
    else
        print_conformance_text(stdout, c, planned, log_path, planned_path);
done:
    cjm_mine_conformance_free(c);
    cjm_map_free(map);
    free(m.text);
    free(m.from);
    free(m.to);
    free(keys);
    return code;
}
