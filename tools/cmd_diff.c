/* cjm diff: a planned journey against an actual one (or an event log). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: cjm diff PLANNED.xml [ACTUAL.xml | LOG.xes[.gz]] [options]\n"
    "\n"
    "Holds an actual journey against the planned one and lists every\n"
    "deviation (missing, failing, ad hoc, irregular) with the customers it\n"
    "concerns, then the structural changes between the two (touchpoints\n"
    "added, removed, re-channelled, re-staged or reordered; transitions added\n"
    "or removed).\n"
    "\n"
    "Which journeys: the planned one is --planned ID, else the first planned\n"
    "journey of PLANNED.xml (else its first journey). The actual one is\n"
    "--actual ID, else the first actual journey that follows the planned one,\n"
    "else the first actual journey, else the first journey that is not the\n"
    "planned one; it is looked for in ACTUAL.xml, or in PLANNED.xml when only\n"
    "one file is given. When the second input is an event log (.xes or\n"
    ".xes.gz) every case of the log is checked against the planned journey.\n"
    "\n"
    "  --planned ID             the planned journey\n"
    "  --actual ID              the actual journey\n"
    "  --format text|json|tsv   text for people (default), JSON or TSV for programs\n"
    "  -h, --help               show this help\n"
    "\n"
    "exit codes: 0 ok (whatever was found), 1 input rejected, 2 usage,\n"
    "3 input/output error\n";

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char c = s[n - k + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return 0;
    }
    return 1;
}

static cjm_journey *pick_planned(const cjm_map *map, const char *id)
{
    if (id)
        return cjm_map_journey(map, id);
    for (size_t i = 0; i < cjm_map_journey_count(map); i++)
        if (cjm_journey_status(cjm_map_journey_at(map, i)) == CJM_STATUS_PLANNED)
            return cjm_map_journey_at(map, i);
    return cjm_map_journey_at(map, 0);
}

static cjm_journey *pick_actual(const cjm_map *map, const char *id, const cjm_journey *planned)
{
    size_t n = cjm_map_journey_count(map);
    if (id)
        return cjm_map_journey(map, id);
    for (size_t i = 0; i < n; i++) {
        cjm_journey *j = cjm_map_journey_at(map, i);
        const char *f = cjm_journey_follows(j);
        if (cjm_journey_status(j) == CJM_STATUS_ACTUAL && f &&
            strcmp(f, cjm_journey_id(planned)) == 0)
            return j;
    }
    for (size_t i = 0; i < n; i++)
        if (cjm_journey_status(cjm_map_journey_at(map, i)) == CJM_STATUS_ACTUAL)
            return cjm_map_journey_at(map, i);
    for (size_t i = 0; i < n; i++)
        if (cjm_map_journey_at(map, i) != planned)
            return cjm_map_journey_at(map, i);
    return NULL;
}

static const char *const dev_names[] = {"missing", "failing", "ad-hoc", "irregular"};

static void print(FILE *f, int format, const cjm_journey *p, const cjm_journey *a,
                  const cjm_comparison *c, const cjm_diff *d)
{
    size_t n = cjm_comparison_count(c), m = cjm_diff_count(d);
    if (format == CLI_JSON) {
        fputs("{\n  \"planned\": ", f);
        cli_json_str(f, cjm_journey_id(p));
        fputs(", \"actual\": ", f);
        cli_json_str(f, cjm_journey_id(a));
        fputs(",\n  \"totals\": {", f);
        for (int k = 0; k < 4; k++)
            fprintf(f, "%s\"%s\": %zu", k ? ", " : "", dev_names[k],
                    cjm_comparison_total(c, (cjm_deviation)k));
        fputs("},\n  \"deviations\": [", f);
        for (size_t i = 0; i < n; i++) {
            const cjm_deviation_found *x = cjm_comparison_at(c, i);
            fprintf(f, "%s\n    {\"kind\": \"%s\", \"touchpoint\": ", i ? "," : "",
                    dev_names[x->kind]);
            cli_json_str(f, x->touchpoint);
            fputs(", \"transition\": ", f);
            cli_json_str(f, x->transition);
            fputs(", \"volume\": ", f);
            if (isfinite(x->volume))
                fprintf(f, "%.10g", x->volume);
            else
                fputs("null", f);
            fputs(", \"message\": ", f);
            cli_json_str(f, x->message);
            fputc('}', f);
        }
        fputs("],\n  \"changes\": [", f);
        for (size_t i = 0; i < m; i++) {
            const cjm_change *x = cjm_diff_at(d, i);
            fprintf(f, "%s\n    {\"kind\": \"%s\", \"id\": ", i ? "," : "",
                    cjm_change_kind_name(x->kind));
            cli_json_str(f, x->id);
            fputs(", \"before\": ", f);
            cli_json_str(f, x->before);
            fputs(", \"after\": ", f);
            cli_json_str(f, x->after);
            fputs(", \"message\": ", f);
            cli_json_str(f, x->message);
            fputc('}', f);
        }
        fputs("]\n}\n", f);
    } else if (format == CLI_TSV) {
        fputs("deviation\tkind\ttouchpoint\ttransition\tvolume\tmessage\n", f);
        for (size_t i = 0; i < n; i++) {
            const cjm_deviation_found *x = cjm_comparison_at(c, i);
            fprintf(f, "deviation\t%s\t", dev_names[x->kind]);
            cli_tsv_str(f, x->touchpoint);
            fputc('\t', f);
            cli_tsv_str(f, x->transition);
            fputc('\t', f);
            if (isfinite(x->volume))
                fprintf(f, "%.10g", x->volume);
            fputc('\t', f);
            cli_tsv_str(f, x->message);
            fputc('\n', f);
        }
        fputs("change\tkind\tid\tbefore\tafter\tmessage\n", f);
        for (size_t i = 0; i < m; i++) {
            const cjm_change *x = cjm_diff_at(d, i);
            fprintf(f, "change\t%s\t", cjm_change_kind_name(x->kind));
            cli_tsv_str(f, x->id);
            fputc('\t', f);
            cli_tsv_str(f, x->before);
            fputc('\t', f);
            cli_tsv_str(f, x->after);
            fputc('\t', f);
            cli_tsv_str(f, x->message);
            fputc('\n', f);
        }
    } else {
        fprintf(f, "Planned %s against actual %s\n\n", cjm_journey_id(p), cjm_journey_id(a));
        fprintf(f, "Deviations: %zu missing, %zu failing, %zu ad hoc, %zu irregular\n",
                cjm_comparison_total(c, CJM_DEVIATION_MISSING),
                cjm_comparison_total(c, CJM_DEVIATION_FAILING),
                cjm_comparison_total(c, CJM_DEVIATION_ADHOC),
                cjm_comparison_total(c, CJM_DEVIATION_IRREGULAR));
        for (size_t i = 0; i < n; i++) {
            const cjm_deviation_found *x = cjm_comparison_at(c, i);
            fprintf(f, "  %-10s %s", dev_names[x->kind], x->message);
            if (isfinite(x->volume))
                fprintf(f, " (%.6g customers)", x->volume);
            fputc('\n', f);
        }
        fprintf(f, "\nStructural changes: %zu\n", m);
        for (size_t i = 0; i < m; i++) {
            const cjm_change *x = cjm_diff_at(d, i);
            fprintf(f, "  %-14s %s\n", cjm_change_kind_name(x->kind), x->message);
        }
    }
}

int cmd_diff(int argc, char **argv)
{
    const char *in[2] = {NULL, NULL}, *planned_id = NULL, *actual_id = NULL, *v;
    int format = CLI_TEXT, rc, nin = 0;
    cjm_map *pm = NULL, *am = NULL;
    cjm_journey *p, *a;
    cjm_comparison *c = NULL;
    cjm_diff *d = NULL;

    /* An event log as an input: the log's conformance check takes over, options and all. */
    for (int i = 2; i < argc; i++)
        if (argv[i][0] != '-' && (ends_with(argv[i], ".xes") || ends_with(argv[i], ".xes.gz")))
            return cli_diff_log(argc, argv);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (cli_is_help(arg)) {
            fputs(usage, stdout);
            return CLI_OK;
        } else if (cli_option_value(argc, argv, &i, "--planned", &v)) {
            if (!v)
                return cli_usage_error("diff", "--planned needs an id");
            planned_id = v;
        } else if (cli_option_value(argc, argv, &i, "--actual", &v)) {
            if (!v)
                return cli_usage_error("diff", "--actual needs an id");
            actual_id = v;
        } else if (cli_option_value(argc, argv, &i, "--format", &v)) {
            if ((format = cli_output_format(v)) < 0)
                return cli_usage_error("diff", "--format takes text, json or tsv");
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error("diff", "unknown option '%s'", arg);
        } else if (nin < 2) {
            in[nin++] = arg;
        } else {
            return cli_usage_error("diff", "two inputs at most ('%s' is extra)", arg);
        }
    }
    if (nin == 0)
        return cli_usage_error("diff", "no input file");
    if (nin == 2 && strcmp(in[0], "-") == 0 && strcmp(in[1], "-") == 0)
        return cli_usage_error("diff", "standard input can be read once only");

    if ((rc = cli_load_map("diff", in[0], &pm)) != CLI_OK)
        return rc;
    if (nin == 2 && strcmp(in[0], in[1]) != 0 && (rc = cli_load_map("diff", in[1], &am)) != CLI_OK) {
        cjm_map_free(pm);
        return rc;
    }
    p = pick_planned(pm, planned_id);
    a = p ? pick_actual(am ? am : pm, actual_id, am ? NULL : p) : NULL;
    if (!p || !a || a == p) {
        if (planned_id && !p)
            rc = cli_usage_error("diff", "%s has no journey '%s'", in[0], planned_id);
        else if (actual_id && !a)
            rc = cli_usage_error("diff", "%s has no journey '%s'", am ? in[1] : in[0],
                                 actual_id);
        else {
            fprintf(stderr, "cjm diff: no %s journey to compare\n", p ? "actual" : "planned");
            rc = CLI_REJECTED;
        }
        cjm_map_free(pm);
        cjm_map_free(am);
        return rc;
    }
    rc = CLI_OK;
    if (cjm_compare_journeys(&c, p, a, NULL) < 0 || cjm_diff_journeys(&d, p, a, NULL) < 0) {
        rc = cli_fail("diff");
    } else {
        print(stdout, format, p, a, c, d);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "cjm diff: cannot write to standard output\n");
            rc = CLI_IO;
        }
    }
    cjm_comparison_free(c);
    cjm_diff_free(d);
    cjm_map_free(pm);
    cjm_map_free(am);
    return rc;
}
