/*
 * How the analyses grow with the size of a journey. Builds journeys of
 * 10k, 100k and 1M transitions (ten per touchpoint) through the model API
 * and times each analysis on each; prints the times and the ratios between
 * consecutive sizes. Linear growth shows as ratios near 10.
 *
 * usage: bench_analysis [MAX_TRANSITIONS]   (default 1000000)
 *
 * The journey: touchpoints in a row over 10 stages; from each, nine
 * transitions forward (to the next nine) with probability 0.095 each and
 * one back five places with probability 0.05, so the whole journey is one
 * big loop of repeat contacts, solved iteratively; 100 customers enter at
 * each of the first ten touchpoints; every twentieth touchpoint may end the
 * journey; a pain point on every hundredth.
 * The conformance checker is timed apart from the 20k cases it then checks,
 * whose cost should stay the same whatever the journey's size (ratio 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjm.h>

/* Processor time of this process: steadier than wall time on a busy machine. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void check(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "bench_analysis: %s: %s\n", what, cjm_error_last()->message);
        exit(1);
    }
}

static cjm_journey *build(cjm_map *map, const char *id, size_t n)
{
    cjm_journey *j;
    char a[32], b[32], s[32];
    check(cjm_map_add_journey(map, id, &j), "journey");
    for (int k = 0; k < 10; k++) {
        snprintf(s, sizeof s, "s%d", k);
        check(cjm_journey_add(j, CJM_STAGE, s, NULL), "stage");
    }
    for (size_t i = 0; i < n; i++) {
        cjm_item *t;
        snprintf(a, sizeof a, "v%zu", i);
        snprintf(s, sizeof s, "s%zu", i * 10 / n);
        check(cjm_journey_add(j, CJM_TOUCHPOINT, a, &t), "touchpoint");
        check(cjm_item_set_text(t, CJM_ATTR_STAGE, s), "stage ref");
        check(cjm_item_set_number(t, CJM_ATTR_EMOTION, (double)(i % 5) - 2), "emotion");
        if (i < 10)
            check(cjm_item_set_number(t, CJM_ATTR_ENTRY, 100), "entry");
        if (i % 20 == 19 || i + 1 == n)
            check(cjm_item_set_int(t, CJM_ATTR_EXIT, 1), "exit");
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(a, sizeof a, "v%zu", i);
        for (size_t k = 1; k <= 10; k++) {
            size_t to = k < 10 ? i + k : (i >= 5 ? i - 5 : 0);
            cjm_item *t;
            if (to >= n)
                continue;
            snprintf(b, sizeof b, "v%zu", to);
            check(cjm_journey_add(j, CJM_TRANSITION, NULL, &t), "transition");
            check(cjm_item_set_text(t, CJM_ATTR_FROM, a), "from");
            check(cjm_item_set_text(t, CJM_ATTR_TO, b), "to");
            check(cjm_item_set_number(t, CJM_ATTR_PROBABILITY, k < 10 ? 0.095 : 0.05), "p");
        }
        if (i % 100 == 0) {
            cjm_item *p;
            check(cjm_journey_add(j, CJM_PAINPOINT, NULL, &p), "pain point");
            check(cjm_item_set_text(p, CJM_ATTR_TARGET, a), "target");
            check(cjm_item_set_number(p, CJM_ATTR_SEVERITY, (double)(i % 5 + 1)), "severity");
        }
    }
    return j;
}

enum { REACH, CHECKS, RANK, CURVE, COMPARE, DIFF, CHECKER, CASES, NTASK };
static const char *const names[NTASK] = {
    "reach", "checks", "ranking", "curve", "compare", "diff", "checker", "20k cases",
};

/* The checker of CHECKER, used by CASES. */
static cjm_conformance *checker;

static double run(int task, cjm_journey *j, cjm_journey *other, cjm_reach *reach)
{
    double t0 = now();
    switch (task) {
    case REACH: {
        cjm_reach *r;
        check(cjm_reach_compute(&r, j, NULL), "reach");
        cjm_reach_free(r);
        break;
    }
    case CHECKS: {
        cjm_checks_options o = CJM_CHECKS_OPTIONS_INIT;
        cjm_checks *c;
        o.reach = reach;
        check(cjm_checks_run(&c, j, &o), "checks");
        cjm_checks_free(c);
        break;
    }
    case RANK: {
        cjm_rank_options o = CJM_RANK_OPTIONS_INIT;
        cjm_ranking *r;
        o.reach = reach;
        check(cjm_rank_compute(&r, j, &o), "ranking");
        cjm_ranking_free(r);
        break;
    }
    case CURVE: {
        cjm_curve_options o = CJM_CURVE_OPTIONS_INIT;
        cjm_curve *c;
        o.reach = reach;
        check(cjm_curve_compute(&c, j, NULL, 0, &o), "curve");
        cjm_curve_free(c);
        break;
    }
    case COMPARE: {
        cjm_comparison *c;
        check(cjm_compare_journeys(&c, j, other, NULL), "compare");
        cjm_comparison_free(c);
        break;
    }
    case DIFF: {
        cjm_diff *d;
        check(cjm_diff_journeys(&d, j, other, NULL), "diff");
        cjm_diff_free(d);
        break;
    }
    case CHECKER:
        check(cjm_conformance_new(&checker, j, NULL), "conformance");
        break;
    case CASES: {
        /* 20k cases of 20 events from an entry, skipping one touchpoint in seven: the
         * cost per case should not depend on the size of the journey. */
        const char *ids[20];
        char buf[20][32];
        size_t n = cjm_journey_count(j, CJM_TOUCHPOINT);
        (void)n;
        for (int k = 0; k < 20000; k++) {
            size_t at = (size_t)k % 10;
            for (int e = 0; e < 20; e++) {
                snprintf(buf[e], sizeof buf[e], "v%zu", at + (size_t)e + (e % 7 == 3));
                ids[e] = buf[e];
            }
            check(cjm_conformance_check(checker, ids, 20), "case");
        }
        break;
    }
    }
    return now() - t0;
}

int main(int argc, char **argv)
{
    size_t max = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    double times[3][NTASK], build_t[3];
    size_t sizes[3] = {10000, 100000, 1000000};
    int nsizes = 0;
    for (int s = 0; s < 3 && sizes[s] <= max; s++, nsizes++) {
        size_t n = sizes[s] / 10;
        cjm_map *map;
        cjm_journey *j, *other;
        cjm_reach *reach;
        double t0;
        check(cjm_map_new(&map, NULL), "map");
        t0 = now();
        j = build(map, "plan", n);
        build_t[s] = now() - t0;
        /* The other journey: the same, but one touchpoint in a hundred renamed. */
        other = build(map, "other", n);
        for (size_t i = 50; i < n; i += 100) {
            cjm_item *t = cjm_journey_at(other, CJM_TOUCHPOINT, i);
            check(cjm_item_set_text(t, CJM_ATTR_CHANNEL, "moved"), "channel");
        }
        check(cjm_reach_compute(&reach, j, NULL), "reach");
        printf("%8zu transitions, %7zu touchpoints: built in %.3f s, reach in %u sweeps\n",
               cjm_journey_count(j, CJM_TRANSITION), n, build_t[s], cjm_reach_iterations(reach));
        for (int t = 0; t < NTASK; t++) {
            /* The best of three runs. */
            times[s][t] = run(t, j, other, reach);
            for (int rep = 0; rep < 2; rep++) {
                double x;
                if (t == CHECKER) {
                    cjm_conformance_free(checker);
                    checker = NULL;
                }
                x = run(t, j, other, reach);
                if (x < times[s][t])
                    times[s][t] = x;
            }
            printf("  %-10s %9.4f s\n", names[t], times[s][t]);
        }
        cjm_conformance_free(checker);
        checker = NULL;
        cjm_reach_free(reach);
        cjm_map_free(map);
        fflush(stdout);
    }
    printf("\nratios between sizes (linear growth gives about 10):\n  %-10s", "");
    for (int s = 1; s < nsizes; s++)
        printf(" %7zuk/%zuk", sizes[s] / 1000, sizes[s - 1] / 1000);
    printf("\n  %-10s", "build");
    for (int s = 1; s < nsizes; s++)
        printf(" %12.2f", build_t[s] / build_t[s - 1]);
    for (int t = 0; t < NTASK; t++) {
        printf("\n  %-10s", names[t]);
        for (int s = 1; s < nsizes; s++)
            printf(" %12.2f", times[s][t] / times[s - 1][t]);
    }
    printf("\n");
    return 0;
}
