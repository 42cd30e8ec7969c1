/* cjm report and cjm diff, run as a user runs them: output, formats, exit codes. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static const char *tool(void)
{
    const char *t = getenv("CJM_TOOL");
    if (!t || !*t)
        fail_msg("CJM_TOOL is not set (ctest sets it to the cjm command)");
    return t;
}

/* Runs a shell command; returns its exit status and its output (stdout and stderr). */
static int run(char **out, const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    FILE *p;
    size_t len = 0, cap = 65536, got;
    char *buf = malloc(cap);
    int status;
    assert_non_null(buf);
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    p = popen(cmd, "r");
    assert_non_null(p);
    while ((got = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += got;
        if (cap - len < 4096) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    buf[len] = '\0';
    status = pclose(p);
    if (out)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *example(const char *name)
{
    return test_src_path(0, name);
}

/* A small map written through the API: A (100 enter) -> B 0.5, B -> B 0.2 ... */
static const char *fixture(void)
{
    static char path[4096];
    const char *dir = test_scratch_dir("analysis-cli");
    cjm_map *map;
    cjm_journey *p, *a;
    cjm_item *it;
    assert_ok(cjm_map_new(&map, NULL));
    assert_ok(cjm_map_add(map, CJM_SITUATION, "home", NULL));
    assert_ok(cjm_map_add_journey(map, "plan", &p));
    assert_ok(cjm_journey_add(p, CJM_STAGE, "s1", NULL));
    const char *tps[] = {"A", "B", "C"};
    for (int i = 0; i < 3; i++) {
        assert_ok(cjm_journey_add(p, CJM_TOUCHPOINT, tps[i], &it));
        assert_ok(cjm_item_set_text(it, CJM_ATTR_STAGE, "s1"));
        assert_ok(cjm_item_set_number(it, CJM_ATTR_EMOTION, i == 1 ? -2 : 1));
    }
    assert_ok(cjm_item_set_number(cjm_journey_find(p, "A"), CJM_ATTR_ENTRY, 100));
    assert_ok(cjm_item_set_int(cjm_journey_find(p, "C"), CJM_ATTR_EXIT, 1));
    const char *trs[][2] = {{"A", "B"}, {"B", "B"}, {"B", "C"}};
    const double prob[] = {1, 0.2, 0.8};
    for (int i = 0; i < 3; i++) {
        assert_ok(cjm_journey_add(p, CJM_TRANSITION, NULL, &it));
        assert_ok(cjm_item_set_text(it, CJM_ATTR_FROM, trs[i][0]));
        assert_ok(cjm_item_set_text(it, CJM_ATTR_TO, trs[i][1]));
        assert_ok(cjm_item_set_number(it, CJM_ATTR_PROBABILITY, prob[i]));
    }
    assert_ok(cjm_journey_add(p, CJM_PAINPOINT, "slow", &it));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TARGET, "B"));
    assert_ok(cjm_item_set_number(it, CJM_ATTR_SEVERITY, 4));
    /* The actual journey skips B. */
    assert_ok(cjm_map_add_journey(map, "seen", &a));
    assert_ok(cjm_journey_set_status(a, CJM_STATUS_ACTUAL));
    assert_ok(cjm_journey_set_follows(a, "plan"));
    assert_ok(cjm_journey_add(a, CJM_TOUCHPOINT, "A", &it));
    assert_ok(cjm_item_set_number(it, CJM_ATTR_ENTRY, 10));
    assert_ok(cjm_journey_add(a, CJM_TOUCHPOINT, "C", NULL));
    assert_ok(cjm_journey_add(a, CJM_TRANSITION, "ac", &it));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_FROM, "A"));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TO, "C"));
    assert_ok(cjm_item_set_number(it, CJM_ATTR_PROBABILITY, 1));
    snprintf(path, sizeof path, "%s/fixture.xml", dir);
    assert_ok(cjm_xml_write_file(map, path, NULL));
    cjm_map_free(map);
    return path;
}

static void report_help_and_usage_errors_have_their_exit_codes(void **state)
{
    (void)state;
    char *out;
    assert_int_equal(run(&out, "'%s' report --help", tool()), 0);
    assert_non_null(strstr(out, "usage: cjm report"));
    free(out);
    assert_int_equal(run(NULL, "'%s' report 2>/dev/null", tool()), 2);
    assert_int_equal(run(NULL, "'%s' report '%s' --format xml 2>/dev/null", tool(), fixture()), 2);
    assert_int_equal(run(NULL, "'%s' report '%s' --bogus 2>/dev/null", tool(), fixture()), 2);
    assert_int_equal(run(NULL, "'%s' report '%s' --journey nope 2>/dev/null", tool(), fixture()),
                     2);
    assert_int_equal(run(NULL, "'%s' report '%s' --situation nope 2>/dev/null", tool(),
                         fixture()), 2);
    assert_int_equal(run(NULL, "'%s' report '%s' --path A,Z 2>/dev/null", tool(), fixture()), 2);
    assert_int_equal(run(NULL, "'%s' report /nonexistent/x.xml 2>/dev/null", tool()), 3);
    assert_int_equal(run(NULL, "'%s' report '%s' >/dev/full 2>/dev/null", tool(), fixture()), 3);
    assert_int_equal(run(&out, "echo '<nonsense' | '%s' report - 2>&1", tool()), 1);
    assert_non_null(strstr(out, "(stdin)"));
    free(out);
}

static void report_prints_reach_priorities_checks_and_curve(void **state)
{
    (void)state;
    char *out;
    /* reach(B) = 100 / (1 - 0.2) = 125; the pain point scores 4 * 125 = 500. */
    assert_int_equal(run(&out, "'%s' report '%s'", tool(), fixture()), 0);
    assert_non_null(strstr(out, "Reach: 100 customers enter"));
    assert_non_null(strstr(out, "125"));
    assert_non_null(strstr(out, "500"));
    assert_non_null(strstr(out, "cycle"));
    assert_non_null(strstr(out, " ! B"));
    free(out);
    assert_int_equal(run(&out, "'%s' report '%s' --format tsv", tool(), fixture()), 0);
    assert_non_null(strstr(out, "ranking\t1\tslow\t"));
    assert_non_null(strstr(out, "\t500\t"));
    assert_non_null(strstr(out, "reach\tB\t125\t0\n"));
    free(out);
    /* Every TSV row has as many fields as its table's header row. */
    for (int k = 0; k < 2; k++) {
        assert_int_equal(run(&out, "'%s' %s '%s' --format tsv | /usr/bin/python3 -c "
                             "'import sys\nhead = {}\nfor line in sys.stdin:\n"
                             "    f = line.rstrip(\"\\n\").split(\"\\t\")\n"
                             "    n = head.setdefault(f[0], len(f))\n"
                             "    assert n == len(f), line\nprint(len(head))'",
                             tool(), k ? "diff" : "report",
                             example("examples/bank-payment-trouble.xml")), 0);
        assert_string_equal(out, k ? "2\n" : "5\n");
        free(out);
    }
    assert_int_equal(run(&out, "'%s' report '%s' --path C,B --format tsv", tool(), fixture()), 0);
    assert_non_null(strstr(out, "curve\t1\tC\t"));
    free(out);
    assert_int_equal(run(&out, "'%s' report '%s' --situation home", tool(), fixture()), 0);
    assert_non_null(strstr(out, "Journey plan"));
    assert_non_null(strstr(out, "seen in situation home"));
    free(out);
    /* the journey is named by its own id, not by the view's */
    assert_int_equal(
        run(&out, "'%s' report '%s' --situation home --format json", tool(), fixture()), 0);
    assert_non_null(strstr(out, "{\"id\": \"plan\""));
    free(out);
}

static void report_json_is_valid_for_every_example(void **state)
{
    (void)state;
    const char *names[] = {"examples/airline-trust.xml", "examples/b2b-stockout-price.xml",
                           "examples/bank-payment-trouble.xml",
                           "examples/car-workshop-pickup.xml",
                           "examples/phone-shopping-seniors.xml",
                           "examples/takeaway-lockdown.xml"};
    char *out;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        FILE *f = fopen(example(names[i]), "r");
        if (!f)
            continue; /* the examples are optional here */
        fclose(f);
        assert_int_equal(run(NULL, "'%s' report '%s' --format json | /usr/bin/python3 -m "
                             "json.tool >/dev/null", tool(), example(names[i])), 0);
        assert_int_equal(run(NULL, "'%s' diff '%s' --format json | /usr/bin/python3 -m "
                             "json.tool >/dev/null", tool(), example(names[i])), 0);
    }
    assert_int_equal(run(&out, "'%s' report '%s' --format json | /usr/bin/python3 -c "
                         "'import json,sys; d=json.load(sys.stdin); "
                         "print(d[\"ranking\"][0][\"score\"], d[\"reach\"][\"status\"])'",
                         tool(), fixture()), 0);
    assert_string_equal(out, "500 ok\n");
    free(out);
}

static void report_without_volumes_says_so(void **state)
{
    (void)state;
    char *out;
    /* The actual journey "seen" has an entry; strip it with sed to get none. */
    assert_int_equal(run(&out, "sed 's/ entry=\"[^\"]*\"//g' '%s' | '%s' report - --format json "
                         "| /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); "
                         "print(d[\"reach\"][\"status\"], d[\"ranking\"][0][\"reach_source\"])'",
                         fixture(), tool()), 0);
    assert_string_equal(out, "no-volumes unknown\n");
    free(out);
    assert_int_equal(run(&out, "sed 's/ entry=\"[^\"]*\"//g' '%s' | '%s' report -", fixture(),
                         tool()), 0);
    assert_non_null(strstr(out, "Reach: not computed: journey 'plan' has no entry volumes"));
    free(out);
}

static void diff_compares_planned_and_actual_journeys(void **state)
{
    (void)state;
    char *out;
    const char *f = fixture();
    assert_int_equal(run(&out, "'%s' diff --help", tool()), 0);
    assert_non_null(strstr(out, "usage: cjm diff"));
    free(out);
    assert_int_equal(run(&out, "'%s' diff '%s'", tool(), f), 0);
    assert_non_null(strstr(out, "Planned plan against actual seen"));
    assert_non_null(strstr(out, "Deviations: 1 missing, 0 failing, 0 ad hoc, 0 irregular"));
    assert_non_null(strstr(out, "planned touchpoint 'B' does not occur in journey 'seen'"));
    assert_non_null(strstr(out, "removed        touchpoint 'B' was removed"));
    free(out);
    /* Two files: the actual journey is looked for in the second. */
    assert_int_equal(run(&out, "'%s' diff '%s' '%s' --actual seen --format tsv", tool(), f, f),
                     0);
    assert_non_null(strstr(out, "deviation\tmissing\tB\t\t\t"));
    free(out);
    assert_int_equal(run(NULL, "'%s' diff '%s' --actual nope 2>/dev/null", tool(), f), 2);
    assert_int_equal(run(NULL, "'%s' diff '%s' --planned nope 2>/dev/null", tool(), f), 2);
    assert_int_equal(run(NULL, "'%s' diff 2>/dev/null", tool()), 2);
    assert_int_equal(run(NULL, "'%s' diff '%s' '%s' '%s' 2>/dev/null", tool(), f, f, f), 2);
    assert_int_equal(run(NULL, "'%s' diff /nonexistent.xml 2>/dev/null", tool()), 3);
    /* A map with one journey has nothing to compare it with. */
    assert_int_equal(run(&out, "sed '/<journey id=\"seen\"/,/<\\/journey>/d' '%s' | '%s' diff - "
                         "2>&1", f, tool()), 1);
    assert_non_null(strstr(out, "no actual journey"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(report_help_and_usage_errors_have_their_exit_codes),
        cmocka_unit_test(report_prints_reach_priorities_checks_and_curve),
        cmocka_unit_test(report_json_is_valid_for_every_example),
        cmocka_unit_test(report_without_volumes_says_so),
        cmocka_unit_test(diff_compares_planned_and_actual_journeys),
    };
    if (!getenv("CJM_TOOL")) {
        printf("test_analysis_cli: skipped: CJM_TOOL is not set (run it through ctest)\n");
        return 0;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
