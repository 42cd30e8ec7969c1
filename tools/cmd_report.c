/* cjm report: priorities, checks, reach and the emotion curve of one journey. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: cjm report IN.xml [options]\n"
    "\n"
    "Analyses one journey of a journey map: the expected reach of every\n"
    "touchpoint, the gaps and pain points ranked by priority (each score with\n"
    "its parts), the structure and channel checks, and the emotion curve\n"
    "along the most travelled path with its low points.\n"
    "\n"
    "  --journey ID             the journey (default: the first planned one,\n"
    "                           else the first)\n"
    "  --situation ID           analyse what a customer in this situation meets\n"
    "  --path ID,ID,...         the emotion curve along these touchpoints\n"
    "  --format text|json|tsv   text for people (default), JSON or TSV for programs\n"
    "  -h, --help               show this help\n"
    "\n"
    "IN.xml may be - for standard input. The definitions of every figure are in\n"
    "the manual page \"Analyses\".\n"
    "exit codes: 0 ok, 1 input rejected, 2 usage, 3 input/output error\n";

/* ---- output helpers ------------------------------------------------------ */

static void tsv_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.10g", v);
}

static void text_num(FILE *f, int width, double v)
{
    if (isfinite(v))
        fprintf(f, "%*.6g", width, v);
    else
        fprintf(f, "%*s", width, "-");
}

static const char *need_name(int need)
{
    return need >= 0 ? cjm_enum_name(CJM_ATTR_NEED, need) : NULL;
}

static const char *source_name(cjm_reach_source s)
{
    return s == CJM_REACH_AFFECTED ? "affected" : s == CJM_REACH_TARGET ? "target" : "unknown";
}

static const char *reach_status(int rc)
{
    switch (rc) {
    case 0: return "ok";
    case CJM_ENOTFOUND: return "no-volumes";
    case CJM_EINVALID: return "infinite";
    case CJM_ELIMIT: return "not-converged";
    default: return "error";
    }
}

/* ---- the report ---------------------------------------------------------- */

typedef struct report {
    const cjm_journey *j;
    const char *journey_id; /* of the journey asked for, not of a situation view */
    const char *situation;
    int path_given;
    cjm_reach *reach;
    int reach_rc;
    char reach_msg[512];
    cjm_ranking *ranking;
    cjm_checks *checks;
    cjm_curve *curve;
} report;

static void print_text(FILE *f, const report *r)
{
    const cjm_journey *j = r->j;
    double cf_t, cf_r;
    fprintf(f, "Journey %s", r->journey_id);
    if (cjm_journey_label(j))
        fprintf(f, ": %s", cjm_journey_label(j));
    fprintf(f, " (%s)", cjm_journey_status(j) == CJM_STATUS_ACTUAL ? "actual" : "planned");
    if (r->situation)
        fprintf(f, ", seen in situation %s", r->situation);
    fputs("\n\n", f);

    if (r->reach) {
        fprintf(f, "Reach: %.6g customers enter", cjm_reach_entered(r->reach));
        if (cjm_reach_unquantified(r->reach))
            fprintf(f, "; %zu transitions without probability or volume count as 0",
                    cjm_reach_unquantified(r->reach));
        fputs("\n", f);
        fprintf(f, "  %-24s %12s %12s\n", "touchpoint", "visits", "end here");
        for (size_t i = 0; i < cjm_journey_count(j, CJM_TOUCHPOINT); i++) {
            fprintf(f, "  %-24s ", cjm_item_id(cjm_journey_at(j, CJM_TOUCHPOINT, i)));
            text_num(f, 12, cjm_reach_touchpoint(r->reach, i));
            fputc(' ', f);
            text_num(f, 12, cjm_reach_ended(r->reach, i));
            fputc('\n', f);
        }
    } else {
        fprintf(f, "Reach: not computed: %s\n", r->reach_msg);
    }

    fputs("\nPriorities (score = severity x reach x moment of truth x need)\n", f);
    if (cjm_ranking_count(r->ranking) == 0)
        fputs("  no gaps or pain points\n", f);
    else
        fprintf(f, "  %3s %12s  %-20s %-16s %8s %12s %-9s %6s %-10s %6s\n", "#", "score", "item",
                "at", "severity", "reach", "(source)", "moment", "need", "factor");
    for (size_t i = 0; i < cjm_ranking_count(r->ranking); i++) {
        const cjm_ranked *x = cjm_ranking_at(r->ranking, i);
        fprintf(f, "  %3zu ", i + 1);
        text_num(f, 12, x->score);
        fprintf(f, "  %-20s %-16s ", x->id, x->target ? x->target : "-");
        text_num(f, 8, x->severity);
        fputc(' ', f);
        text_num(f, 12, x->reach);
        fprintf(f, " %-9s ", source_name(x->reach_source));
        text_num(f, 6, x->moment_factor);
        fprintf(f, " %-10s ", need_name(x->need) ? need_name(x->need) : "-");
        text_num(f, 6, x->need_factor);
        fputc('\n', f);
    }

    fputs("\nChecks\n", f);
    if (cjm_checks_count(r->checks) == 0)
        fputs("  nothing found\n", f);
    for (size_t i = 0; i < cjm_checks_count(r->checks); i++) {
        const cjm_finding *x = cjm_checks_at(r->checks, i);
        fprintf(f, "  %-15s %s", cjm_check_kind_name(x->kind), x->message);
        if (x->member_count > 1) {
            fputs(" (", f);
            for (size_t k = 0; k < x->member_count; k++)
                fprintf(f, "%s%s", k ? ", " : "", x->members[k]);
            fputc(')', f);
        }
        if (isfinite(x->volume) && x->kind == CJM_CHECK_CYCLE)
            fprintf(f, "; %.6g returns", x->volume);
        else if (isfinite(x->volume))
            fprintf(f, "; reach %.6g", x->volume);
        fputc('\n', f);
    }
    cjm_checks_contact_free(r->checks, &cf_t, &cf_r);
    fputs("  contact-free    ", f);
    if (isfinite(cf_t))
        fprintf(f, "%.1f%% of the touchpoints with a channel", 100 * cf_t);
    else
        fputs("no touchpoint has a channel", f);
    if (isfinite(cf_r))
        fprintf(f, ", %.1f%% of their reach", 100 * cf_r);
    fputc('\n', f);

    fprintf(f, "\nEmotion curve (%s; ! marks a low point)\n",
            r->path_given ? "along the path given" : "along the most travelled path");
    if (cjm_curve_count(r->curve) == 0)
        fputs("  no touchpoints\n", f);
    else
        fprintf(f, "  %-24s %-14s %8s %9s %9s %12s\n", "touchpoint", "stage", "emotion",
                "expected", "perceived", "reach");
    for (size_t i = 0; i < cjm_curve_count(r->curve); i++) {
        const cjm_curve_point *p = cjm_curve_at(r->curve, i);
        fprintf(f, "%s %-24s %-14s ", p->low ? " !" : "  ", p->id, p->stage ? p->stage : "-");
        text_num(f, 8, p->emotion);
        fputc(' ', f);
        text_num(f, 9, p->expected);
        fputc(' ', f);
        text_num(f, 9, p->perceived);
        fputc(' ', f);
        text_num(f, 12, p->reach);
        fputc('\n', f);
    }
}

static void print_json(FILE *f, const report *r)
{
    const cjm_journey *j = r->j;
    double cf_t, cf_r;
    fputs("{\n  \"journey\": {\"id\": ", f);
    cli_json_str(f, r->journey_id);
    fputs(", \"label\": ", f);
    cli_json_str(f, cjm_journey_label(j));
    fprintf(f, ", \"status\": \"%s\"},\n  \"situation\": ",
            cjm_journey_status(j) == CJM_STATUS_ACTUAL ? "actual" : "planned");
    cli_json_str(f, r->situation);
    fprintf(f, ",\n  \"reach\": {\"status\": \"%s\", \"message\": ", reach_status(r->reach_rc));
    cli_json_str(f, r->reach ? NULL : r->reach_msg);
    fputs(", \"entered\": ", f);
    cli_json_num(f, r->reach ? cjm_reach_entered(r->reach) : NAN);
    fprintf(f, ", \"unquantified\": %zu, \"normalised\": %zu,\n    \"touchpoints\": [",
            cjm_reach_unquantified(r->reach), cjm_reach_normalised(r->reach));
    for (size_t i = 0; r->reach && i < cjm_journey_count(j, CJM_TOUCHPOINT); i++) {
        fputs(i ? ",\n      {\"id\": " : "\n      {\"id\": ", f);
        cli_json_str(f, cjm_item_id(cjm_journey_at(j, CJM_TOUCHPOINT, i)));
        fputs(", \"visits\": ", f);
        cli_json_num(f, cjm_reach_touchpoint(r->reach, i));
        fputs(", \"ended\": ", f);
        cli_json_num(f, cjm_reach_ended(r->reach, i));
        fputc('}', f);
    }
    fputs("],\n    \"transitions\": [", f);
    for (size_t i = 0; r->reach && i < cjm_journey_count(j, CJM_TRANSITION); i++) {
        const cjm_item *t = cjm_journey_at(j, CJM_TRANSITION, i);
        fputs(i ? ",\n      {\"id\": " : "\n      {\"id\": ", f);
        cli_json_str(f, cjm_item_id(t));
        fputs(", \"from\": ", f);
        cli_json_str(f, cjm_item_text(t, CJM_ATTR_FROM));
        fputs(", \"to\": ", f);
        cli_json_str(f, cjm_item_text(t, CJM_ATTR_TO));
        fputs(", \"probability\": ", f);
        cli_json_num(f, cjm_reach_probability(r->reach, i));
        fputs(", \"crossings\": ", f);
        cli_json_num(f, cjm_reach_transition(r->reach, i));
        fputc('}', f);
    }
    fputs("]},\n  \"ranking\": [", f);
    for (size_t i = 0; i < cjm_ranking_count(r->ranking); i++) {
        const cjm_ranked *x = cjm_ranking_at(r->ranking, i);
        fprintf(f, "%s\n    {\"rank\": %zu, \"id\": ", i ? "," : "", i + 1);
        cli_json_str(f, x->id);
        fputs(", \"kind\": ", f);
        cli_json_str(f, cjm_kind_name(cjm_item_kind(x->item)));
        fputs(", \"target\": ", f);
        cli_json_str(f, x->target);
        fputs(", \"score\": ", f);
        cli_json_num(f, x->score);
        fputs(", \"severity\": ", f);
        cli_json_num(f, x->severity);
        fputs(", \"reach\": ", f);
        cli_json_num(f, x->reach);
        fprintf(f, ", \"reach_source\": \"%s\", \"moment_of_truth\": %s, \"moment_factor\": ",
                source_name(x->reach_source), x->moment_of_truth ? "true" : "false");
        cli_json_num(f, x->moment_factor);
        fputs(", \"need\": ", f);
        cli_json_str(f, need_name(x->need));
        fputs(", \"need_factor\": ", f);
        cli_json_num(f, x->need_factor);
        fputc('}', f);
    }
    fputs("],\n  \"checks\": [", f);
    for (size_t i = 0; i < cjm_checks_count(r->checks); i++) {
        const cjm_finding *x = cjm_checks_at(r->checks, i);
        fprintf(f, "%s\n    {\"check\": \"%s\", \"item\": ", i ? "," : "",
                cjm_check_kind_name(x->kind));
        cli_json_str(f, x->item);
        fputs(", \"volume\": ", f);
        cli_json_num(f, x->volume);
        fputs(", \"limit\": ", f);
        cli_json_num(f, x->limit);
        fputs(", \"members\": [", f);
        for (size_t k = 0; k < x->member_count; k++) {
            if (k)
                fputs(", ", f);
            cli_json_str(f, x->members[k]);
        }
        fputs("], \"message\": ", f);
        cli_json_str(f, x->message);
        fputc('}', f);
    }
    cjm_checks_contact_free(r->checks, &cf_t, &cf_r);
    fputs("],\n  \"contact_free\": {\"touchpoints\": ", f);
    cli_json_num(f, cf_t);
    fputs(", \"reach\": ", f);
    cli_json_num(f, cf_r);
    fprintf(f, "},\n  \"curve\": {\"path\": \"%s\", \"points\": [",
            r->path_given ? "given" : "most-travelled");
    for (size_t i = 0; i < cjm_curve_count(r->curve); i++) {
        const cjm_curve_point *p = cjm_curve_at(r->curve, i);
        fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
        cli_json_str(f, p->id);
        fputs(", \"stage\": ", f);
        cli_json_str(f, p->stage);
        fputs(", \"emotion\": ", f);
        cli_json_num(f, p->emotion);
        fputs(", \"expected\": ", f);
        cli_json_num(f, p->expected);
        fputs(", \"perceived\": ", f);
        cli_json_num(f, p->perceived);
        fputs(", \"reach\": ", f);
        cli_json_num(f, p->reach);
        fprintf(f, ", \"low\": %s}", p->low ? "true" : "false");
    }
    fputs("]}\n}\n", f);
}

/* TSV: every row starts with its table's name; each table has one header row first. */
static void print_tsv(FILE *f, const report *r)
{
    const cjm_journey *j = r->j;
    double cf_t, cf_r;
    fputs("reach\ttouchpoint\tvisits\tended\n", f);
    for (size_t i = 0; r->reach && i < cjm_journey_count(j, CJM_TOUCHPOINT); i++) {
        fputs("reach\t", f);
        cli_tsv_str(f, cjm_item_id(cjm_journey_at(j, CJM_TOUCHPOINT, i)));
        fputc('\t', f);
        tsv_num(f, cjm_reach_touchpoint(r->reach, i));
        fputc('\t', f);
        tsv_num(f, cjm_reach_ended(r->reach, i));
        fputc('\n', f);
    }
    fputs("ranking\trank\tid\tkind\ttarget\tscore\tseverity\treach\treach_source\t"
          "moment_of_truth\tmoment_factor\tneed\tneed_factor\n", f);
    for (size_t i = 0; i < cjm_ranking_count(r->ranking); i++) {
        const cjm_ranked *x = cjm_ranking_at(r->ranking, i);
        fprintf(f, "ranking\t%zu\t", i + 1);
        cli_tsv_str(f, x->id);
        fputc('\t', f);
        cli_tsv_str(f, cjm_kind_name(cjm_item_kind(x->item)));
        fputc('\t', f);
        cli_tsv_str(f, x->target);
        fputc('\t', f);
        tsv_num(f, x->score);
        fputc('\t', f);
        tsv_num(f, x->severity);
        fputc('\t', f);
        tsv_num(f, x->reach);
        fprintf(f, "\t%s\t%d\t", source_name(x->reach_source), x->moment_of_truth);
        tsv_num(f, x->moment_factor);
        fputc('\t', f);
        cli_tsv_str(f, need_name(x->need));
        fputc('\t', f);
        tsv_num(f, x->need_factor);
        fputc('\n', f);
    }
    fputs("check\tkind\titem\tvolume\tlimit\tmembers\tmessage\n", f);
    for (size_t i = 0; i < cjm_checks_count(r->checks); i++) {
        const cjm_finding *x = cjm_checks_at(r->checks, i);
        fprintf(f, "check\t%s\t", cjm_check_kind_name(x->kind));
        cli_tsv_str(f, x->item);
        fputc('\t', f);
        tsv_num(f, x->volume);
        fputc('\t', f);
        tsv_num(f, x->limit);
        fputc('\t', f);
        for (size_t k = 0; k < x->member_count; k++) {
            if (k)
                fputc(',', f);
            cli_tsv_str(f, x->members[k]);
        }
        fputc('\t', f);
        cli_tsv_str(f, x->message);
        fputc('\n', f);
    }
    cjm_checks_contact_free(r->checks, &cf_t, &cf_r);
    fputs("contact_free\ttouchpoints\treach\ncontact_free\t", f);
    tsv_num(f, cf_t);
    fputc('\t', f);
    tsv_num(f, cf_r);
    fputs("\ncurve\tposition\ttouchpoint\tstage\temotion\texpected\tperceived\treach\tlow\n", f);
    for (size_t i = 0; i < cjm_curve_count(r->curve); i++) {
        const cjm_curve_point *p = cjm_curve_at(r->curve, i);
        fprintf(f, "curve\t%zu\t", i + 1);
        cli_tsv_str(f, p->id);
        fputc('\t', f);
        cli_tsv_str(f, p->stage);
        fputc('\t', f);
        tsv_num(f, p->emotion);
        fputc('\t', f);
        tsv_num(f, p->expected);
        fputc('\t', f);
        tsv_num(f, p->perceived);
        fputc('\t', f);
        tsv_num(f, p->reach);
        fprintf(f, "\t%d\n", p->low);
    }
}

/* The journey asked for, or the first planned one, or the first. */
static cjm_journey *pick(const cjm_map *map, const char *id)
{
    if (id)
        return cjm_map_journey(map, id);
    for (size_t i = 0; i < cjm_map_journey_count(map); i++)
        if (cjm_journey_status(cjm_map_journey_at(map, i)) == CJM_STATUS_PLANNED)
            return cjm_map_journey_at(map, i);
    return cjm_map_journey_at(map, 0);
}

/* Splits "a,b,c" in place into `ids`; returns the count. */
static size_t split_path(char *s, const char ***ids)
{
    size_t n = 1, k = 0;
    for (char *p = s; *p; p++)
        n += *p == ',';
    *ids = malloc(n * sizeof **ids);
    if (!*ids)
        return 0;
    (*ids)[k++] = s;
    for (char *p = s; *p; p++)
        if (*p == ',') {
            *p = '\0';
            (*ids)[k++] = p + 1;
        }
    return n;
}

int cmd_report(int argc, char **argv)
{
    const char *in = NULL, *journey = NULL, *v;
    char *path_arg = NULL;
    const char **path = NULL;
    size_t npath = 0;
    int format = CLI_TEXT, rc;
    cjm_map *map = NULL;
    cjm_journey *j;
    report r;

    memset(&r, 0, sizeof r);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(usage, stdout);
            return CLI_OK;
        } else if (cli_option_value(argc, argv, &i, "--journey", &v)) {
            if (!v)
                return cli_usage_error("report", "--journey needs an id");
            journey = v;
        } else if (cli_option_value(argc, argv, &i, "--situation", &v)) {
            if (!v)
                return cli_usage_error("report", "--situation needs an id");
            r.situation = v;
        } else if (cli_option_value(argc, argv, &i, "--path", &v)) {
            if (!v || !*v)
                return cli_usage_error("report", "--path needs touchpoint ids, as A,B,C");
            path_arg = (char *)v;
        } else if (cli_option_value(argc, argv, &i, "--format", &v)) {
            if ((format = cli_output_format(v)) < 0)
                return cli_usage_error("report", "--format takes text, json or tsv");
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error("report", "unknown option '%s'", a);
        } else if (!in) {
            in = a;
        } else {
            return cli_usage_error("report", "one input only ('%s' is extra)", a);
        }
    }
    if (!in)
        return cli_usage_error("report", "no input file");

    if ((rc = cli_load_map("report", in, &map)) != CLI_OK)
        return rc;
    j = pick(map, journey);
    if (!j) {
        cjm_map_free(map);
        if (journey)
            return cli_usage_error("report", "the map has no journey '%s'", journey);
        fprintf(stderr, "cjm report: %s holds no journey\n", in);
        return CLI_REJECTED;
    }
    r.journey_id = cjm_journey_id(j);
    if (r.situation) {
        cjm_journey *view = NULL;
        if (cjm_situation_view(&view, j, r.situation, NULL) < 0) {
            rc = cjm_error_last()->code == CJM_ENOTFOUND ? (cli_fail("report"), CLI_USAGE)
                                                         : cli_fail("report");
            cjm_map_free(map);
            return rc;
        }
        j = view;
    }
    r.j = j;
    if (path_arg) {
        char *copy = malloc(strlen(path_arg) + 1);
        if (copy) {
            strcpy(copy, path_arg);
            npath = split_path(copy, &path);
        }
        if (!copy || !path) {
            free(copy);
            cjm_map_free(map);
            fprintf(stderr, "cjm report: out of memory\n");
            return CLI_REJECTED;
        }
        path_arg = copy;
        r.path_given = 1;
    }

    rc = CLI_OK;
    r.reach_rc = cjm_reach_compute(&r.reach, j, NULL);
    if (r.reach_rc == CJM_ENOMEM) {
        rc = cli_fail("report");
        goto done;
    }
    if (r.reach_rc < 0)
        snprintf(r.reach_msg, sizeof r.reach_msg, "%s", cjm_error_last()->message);
    {
        cjm_rank_options o = CJM_RANK_OPTIONS_INIT;
        o.reach = r.reach;
        if (cjm_rank_compute(&r.ranking, j, &o) < 0) {
            rc = cli_fail("report");
            goto done;
        }
    }
    {
        cjm_checks_options o = CJM_CHECKS_OPTIONS_INIT;
        o.reach = r.reach;
        if (cjm_checks_run(&r.checks, j, &o) < 0) {
            rc = cli_fail("report");
            goto done;
        }
        /* Without a reach the checks would compute it again and fail the same way. */
    }
    {
        cjm_curve_options o = CJM_CURVE_OPTIONS_INIT;
        o.reach = r.reach;
        if (cjm_curve_compute(&r.curve, j, path, npath, &o) < 0) {
            rc = cjm_error_last()->code == CJM_ENOTFOUND ? (cli_fail("report"), CLI_USAGE)
                                                         : cli_fail("report");
            goto done;
        }
    }
    if (format == CLI_JSON)
        print_json(stdout, &r);
    else if (format == CLI_TSV)
        print_tsv(stdout, &r);
    else
        print_text(stdout, &r);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "cjm report: cannot write the report to standard output\n");
        rc = CLI_IO;
    }
done:
    cjm_curve_free(r.curve);
    cjm_checks_free(r.checks);
    cjm_ranking_free(r.ranking);
    cjm_reach_free(r.reach);
    free(path);
    free(path_arg);
    cjm_map_free(map);
    return rc;
}
