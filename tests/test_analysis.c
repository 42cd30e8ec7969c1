/* Analyses, checked against answers worked out by hand in the comments. */
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building journeys ------------------------------------------------ */

static cjm_journey *journey(cjm_map **map, const cjm_allocator *a)
{
    cjm_journey *j = NULL;
    assert_ok(cjm_map_new(map, a));
    assert_ok(cjm_map_add_journey(*map, "j", &j));
    return j;
}

static cjm_item *tp(cjm_journey *j, const char *id)
{
    cjm_item *it = NULL;
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, id, &it));
    return it;
}

static void num(cjm_item *it, cjm_attr attr, double v)
{
    assert_ok(cjm_item_set_number(it, attr, v));
}

static void flag(cjm_item *it, cjm_attr attr, int v)
{
    assert_ok(cjm_item_set_int(it, attr, v));
}

/* Transition "t<n>" `from` -> `to` with probability `p` (p < 0: none), n counting from 1. */
static cjm_item *tr(cjm_journey *j, const char *from, const char *to, double p)
{
    cjm_item *it = NULL;
    char id[32];
    snprintf(id, sizeof id, "t%zu", cjm_journey_count(j, CJM_TRANSITION) + 1);
    assert_ok(cjm_journey_add(j, CJM_TRANSITION, id, &it));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_FROM, from));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TO, to));
    if (p >= 0)
        num(it, CJM_ATTR_PROBABILITY, p);
    return it;
}

/* A -> B -> C -> D, 100 customers enter at A, D is the exit. */
static cjm_journey *line_abcd(cjm_map **map)
{
    cjm_journey *j = journey(map, NULL);
    num(tp(j, "A"), CJM_ATTR_ENTRY, 100);
    tp(j, "B");
    tp(j, "C");
    flag(tp(j, "D"), CJM_ATTR_EXIT, 1);
    tr(j, "A", "B", 1);
    tr(j, "B", "C", 1);
    tr(j, "C", "D", 1);
    return j;
}

/* ---- conformance of cases --------------------------------------------- */

/* Renders a checker's deviations as "kind:id@pos ..." for compact assertions. */
static const char *deviations(const cjm_conformance *c)
{
    static char buf[65536];
    static const char *names[] = {"missing", "failing", "adhoc", "irregular"};
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < cjm_conformance_count(c); i++) {
        const cjm_case_deviation *d = cjm_conformance_at(c, i);
        if (len + 64 > sizeof buf)
            break;
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s:%s@%zu", i ? " " : "",
                                names[d->kind], d->touchpoint, d->position);
    }
    return buf;
}

static const char *check_case(cjm_conformance *c, const char *const *ids, size_t n)
{
    assert_ok(cjm_conformance_check(c, ids, n));
    return deviations(c);
}

#define CASE(c, ...)                                                                  \
    check_case((c), (const char *const[]){__VA_ARGS__},                             \
               sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static void conformance_labels_each_kind_of_deviation(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = line_abcd(&map);
    cjm_conformance *c = NULL;
    assert_ok(cjm_conformance_new(&c, j, NULL));

    assert_string_equal(CASE(c, "A", "B", "C", "D"), "");
    /* B skipped between A and C. */
    assert_string_equal(CASE(c, "A", "C", "D"), "missing:B@1");
    assert_int_equal(cjm_conformance_total(c, CJM_DEVIATION_MISSING), 1);
    assert_int_equal(cjm_conformance_touchpoint_total(c, 1, CJM_DEVIATION_MISSING), 1);
    /* X is not planned. */
    assert_string_equal(CASE(c, "A", "B", "X", "C", "D"), "adhoc:X@2");
    assert_int_equal(cjm_conformance_total(c, CJM_DEVIATION_ADHOC), 1);
    assert_int_equal(cjm_conformance_touchpoint_total(c, 1, CJM_DEVIATION_MISSING), 0);
    /* C -> B is no planned move and B was already met: a repeat contact. */
    assert_string_equal(CASE(c, "A", "B", "C", "B", "C", "D"), "failing:B@3");
    assert_int_equal(cjm_conformance_total(c, CJM_DEVIATION_FAILING), 1);
    assert_int_equal(cjm_conformance_touchpoint_total(c, 1, CJM_DEVIATION_FAILING), 1);
    /* B and C swapped: B comes after C, which the plan never allows; nothing is missing. */
    assert_string_equal(CASE(c, "A", "C", "B", "D"), "irregular:B@2");
    /* Starting late and stopping early. */
    assert_string_equal(CASE(c, "B", "C", "D"), "missing:A@0");
    assert_string_equal(CASE(c, "A", "B"), "missing:C@2 missing:D@2");
    /* An empty case misses the whole shortest path from entry to exit. */
    assert_string_equal(check_case(c, NULL, 0), "missing:A@0 missing:B@0 missing:C@0 missing:D@0");
    /* Only unplanned events: every planned touchpoint is missing, at the end. */
    assert_string_equal(CASE(c, "Y"), "adhoc:Y@0 missing:A@1 missing:B@1 missing:C@1 missing:D@1");
    assert_int_equal(cjm_conformance_total(c, CJM_DEVIATION_MISSING), 4);
    /* The results of the previous case are gone. */
    assert_string_equal(CASE(c, "A", "B", "C", "D"), "");
    assert_int_equal(cjm_conformance_total(c, CJM_DEVIATION_MISSING), 0);
    assert_int_equal(cjm_conformance_touchpoint_total(c, 0, CJM_DEVIATION_MISSING), 0);
    assert_null(cjm_conformance_at(c, 0));

    cjm_conformance_free(c);
    cjm_map_free(map);
}

static void conformance_accepts_planned_loops_and_branches(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = line_abcd(&map);
    cjm_conformance *c = NULL;
    tp(j, "E");
    tr(j, "C", "B", 0.2); /* a planned retry */
    tr(j, "A", "E", 0.5);
    tr(j, "E", "D", 1);
    assert_ok(cjm_conformance_new(&c, j, NULL));
    assert_string_equal(CASE(c, "A", "B", "C", "B", "C", "D"), "");
    assert_string_equal(CASE(c, "A", "E", "D"), "");
    /* D -> A is not planned, and A was met before. */
    assert_string_equal(CASE(c, "A", "E", "D", "A", "E", "D"), "failing:A@3");
    /* Shortest planned path from A to D is A E D: skipping to D misses E only. */
    assert_string_equal(CASE(c, "A", "D"), "missing:E@1");
    cjm_conformance_free(c);
    cjm_map_free(map);
}

static void conformance_rejects_bad_arguments(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = line_abcd(&map);
    cjm_conformance *c = NULL;
    cjm_conformance_options o = CJM_CONFORMANCE_OPTIONS_INIT;
    const char *ids[] = {"A", NULL};
    assert_cjm_error(cjm_conformance_new(NULL, j, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_conformance_new(&c, NULL, NULL), CJM_EINVAL);
    o.version = 99;
    assert_cjm_error(cjm_conformance_new(&c, j, &o), CJM_EINVAL);
    assert_null(c);
    assert_ok(cjm_conformance_new(&c, j, NULL));
    assert_cjm_error(cjm_conformance_check(c, ids, 2), CJM_EINVAL);
    assert_cjm_error(cjm_conformance_check(c, NULL, 1), CJM_EINVAL);
    assert_cjm_error(cjm_conformance_check(NULL, ids, 1), CJM_EINVAL);
    assert_int_equal(cjm_conformance_total(c, (cjm_deviation)9), 0);
    assert_int_equal(cjm_conformance_touchpoint_total(c, 99, CJM_DEVIATION_MISSING), 0);
    cjm_conformance_free(c);
    cjm_conformance_free(NULL);
    cjm_map_free(map);
}

static void conformance_of_an_empty_journey_marks_everything_ad_hoc(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_conformance *c = NULL;
    assert_ok(cjm_conformance_new(&c, j, NULL));
    assert_string_equal(CASE(c, "A", "B"), "adhoc:A@0 adhoc:B@1");
    assert_string_equal(check_case(c, NULL, 0), "");
    cjm_conformance_free(c);
    cjm_map_free(map);
}

static void conformance_of_a_large_journey_searches_without_the_cache(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_conformance *c = NULL;
    char a[16], b[16];
    /* v0 -> v1 -> ... -> v1199, and a side branch v0 -> w; too many to cache paths. */
    for (int i = 0; i < 1200; i++) {
        snprintf(a, sizeof a, "v%d", i);
        tp(j, a);
    }
    num(cjm_journey_find(j, "v0"), CJM_ATTR_ENTRY, 1);
    tp(j, "w");
    for (int i = 0; i + 1 < 1200; i++) {
        snprintf(a, sizeof a, "v%d", i);
        snprintf(b, sizeof b, "v%d", i + 1);
        tr(j, a, b, 1);
    }
    tr(j, "v0", "w", 0);
    assert_ok(cjm_conformance_new(&c, j, NULL));
    /* Without exit flags the sinks are the exits: v1199 and w. Skipping v1 and then
     * v3 .. v1196, and stopping two short of the end, misses 1 + 1194 + 2. */
    assert_int_equal(strncmp(CASE(c, "v0", "v2", "v1197"), "missing:v1@1 missing:v3@2 ", 26), 0);
    assert_int_equal(cjm_conformance_total(c, CJM_DEVIATION_MISSING), 1197);
    assert_int_equal(cjm_conformance_touchpoint_total(c, 1198, CJM_DEVIATION_MISSING), 1);
    /* Back from v5 to v3 is against the order: known without a search. */
    assert_int_equal(strncmp(CASE(c, "v0", "v5", "v3"),
                             "missing:v1@1 missing:v2@1 missing:v4@1 irregular:v3@2 "
                             "missing:v6@3", 65), 0);
    assert_int_equal(cjm_conformance_total(c, CJM_DEVIATION_IRREGULAR), 1);
    assert_int_equal(cjm_conformance_total(c, CJM_DEVIATION_MISSING), 3 + 1194);
    /* From the side branch w nothing leads on: a search finds no way to v5. */
    assert_int_equal(strncmp(CASE(c, "v0", "w", "v5"), "irregular:v5@2 missing:v6@3", 27), 0);
    assert_int_equal(cjm_conformance_total(c, CJM_DEVIATION_MISSING), 1194);
    assert_string_equal(CASE(c, "v0", "w"), "");
    cjm_conformance_free(c);
    cjm_map_free(map);
}

static void conformance_totals_agree_with_the_list_on_random_cases(void **state)
{
    (void)state;
    unsigned seed = 777;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_conformance *c = NULL;
    char names[40][8], a[8], b[8];
    const char *ids[40];
    for (int i = 0; i < 30; i++) {
        snprintf(a, sizeof a, "v%d", i);
        tp(j, a);
    }
    num(cjm_journey_find(j, "v0"), CJM_ATTR_ENTRY, 1);
    for (int i = 0; i < 60; i++) {
        seed = seed * 1103515245u + 12345u;
        snprintf(a, sizeof a, "v%u", (seed >> 16) % 30);
        seed = seed * 1103515245u + 12345u;
        snprintf(b, sizeof b, "v%u", (seed >> 16) % 30);
        tr(j, a, b, -1);
    }
    assert_ok(cjm_conformance_new(&c, j, NULL));
    for (int round = 0; round < 500; round++) {
        size_t n, sum[4] = {0, 0, 0, 0}, per[4] = {0, 0, 0, 0};
        seed = seed * 1103515245u + 12345u;
        n = (seed >> 16) % 40;
        for (size_t e = 0; e < n; e++) {
            seed = seed * 1103515245u + 12345u;
            snprintf(names[e], sizeof names[e], "%c%u", (seed >> 8) % 9 ? 'v' : 'x',
                     (seed >> 16) % 32);
            ids[e] = names[e];
        }
        assert_ok(cjm_conformance_check(c, ids, n));
        for (size_t i = 0; i < cjm_conformance_count(c); i++) {
            const cjm_case_deviation *d = cjm_conformance_at(c, i);
            sum[d->kind]++;
            if (i > 0)
                assert_true(cjm_conformance_at(c, i - 1)->position <= d->position);
            if (d->kind == CJM_DEVIATION_ADHOC)
                assert_int_equal(d->index, SIZE_MAX);
            else
                assert_string_equal(d->touchpoint,
                                    cjm_item_id(cjm_journey_at(j, CJM_TOUCHPOINT, d->index)));
        }
        for (size_t t = 0; t < 30; t++)
            for (int k = 0; k < 4; k++)
                per[k] += cjm_conformance_touchpoint_total(c, t, (cjm_deviation)k);
        for (int k = 0; k < 4; k++) {
            assert_int_equal(sum[k], cjm_conformance_total(c, (cjm_deviation)k));
            if (k != CJM_DEVIATION_ADHOC)
                assert_int_equal(per[k], sum[k]);
        }
        assert_int_equal(per[CJM_DEVIATION_ADHOC], 0);
        /* A missing touchpoint never happened in the case. */
        for (size_t i = 0; i < cjm_conformance_count(c); i++) {
            const cjm_case_deviation *d = cjm_conformance_at(c, i);
            for (size_t e = 0; d->kind == CJM_DEVIATION_MISSING && e < n; e++)
                assert_string_not_equal(ids[e], d->touchpoint);
        }
    }
    cjm_conformance_free(c);
    cjm_map_free(map);
}

static int oom_conformance(const cjm_allocator *a, void *ctx)
{
    cjm_conformance *c = NULL;
    cjm_conformance_options o = CJM_CONFORMANCE_OPTIONS_INIT;
    const char *ids[] = {"A", "X", "C", "B", "C", "B", "Y"};
    int rc;
    o.allocator = a;
    rc = cjm_conformance_new(&c, ctx, &o);
    if (rc < 0)
        return rc;
    for (int k = 0; k < 3 && rc == 0; k++)
        rc = cjm_conformance_check(c, ids, 7 - (size_t)k);
    cjm_conformance_free(c);
    return rc;
}

static void conformance_survives_every_allocation_failure(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = line_abcd(&map);
    test_oom_loop(oom_conformance, j, 0);
    test_oom_loop(oom_conformance, j, 1);
    cjm_map_free(map);
}

/* ---- reach --------------------------------------------------------------- */

static void near(double a, double b, int line)
{
    if (!(fabs(a - b) <= 1e-9 * (1 + fabs(b))))
        fail_msg("line %d: %.17g is not %.17g", line, a, b);
}
#define NEAR(a, b) near((a), (b), __LINE__)

static double reach_of(const cjm_reach *r, const char *id)
{
    return cjm_reach_of(r, id);
}

static void reach_of_a_self_loop_has_the_closed_form(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_reach *r = NULL;
    cjm_reach_options o = CJM_REACH_OPTIONS_INIT;
    num(tp(j, "A"), CJM_ATTR_ENTRY, 100);
    tp(j, "B");
    flag(tp(j, "C"), CJM_ATTR_EXIT, 1);
    tr(j, "A", "B", 1);
    tr(j, "B", "B", 0.25);
    tr(j, "B", "C", 0.75);
    /* reach(B) = 100 / (1 - 0.25); the loop is crossed 0.25 * reach(B) times. */
    for (int exact = 0; exact < 2; exact++) {
        o.exact_limit = exact ? 256 : 0;
        assert_ok(cjm_reach_compute(&r, j, &o));
        NEAR(reach_of(r, "A"), 100);
        NEAR(reach_of(r, "B"), 100 / 0.75);
        NEAR(reach_of(r, "C"), 100);
        NEAR(reach_of(r, "t2"), 0.25 * 100 / 0.75);
        NEAR(cjm_reach_ended(r, 2), 100);
        NEAR(cjm_reach_ended(r, 1), 0);
        NEAR(cjm_reach_entered(r), 100);
        assert_ptr_equal(cjm_reach_journey(r), j);
        cjm_reach_free(r);
    }
    cjm_map_free(map);
}

static void reach_of_a_two_touchpoint_loop_is_exact_and_iterative_alike(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_reach *r = NULL;
    cjm_reach_options o = CJM_REACH_OPTIONS_INIT;
    num(tp(j, "A"), CJM_ATTR_ENTRY, 100);
    tp(j, "B");
    tp(j, "C");
    tr(j, "A", "B", 1);
    tr(j, "B", "A", 0.5);
    tr(j, "B", "C", 0.5);
    /* x_A = 100 + 0.5 x_B, x_B = x_A: both 200; C gets the 100 who leave. */
    for (int exact = 0; exact < 2; exact++) {
        o.exact_limit = exact ? 256 : 0;
        assert_ok(cjm_reach_compute(&r, j, &o));
        NEAR(reach_of(r, "A"), 200);
        NEAR(reach_of(r, "B"), 200);
        NEAR(reach_of(r, "C"), 100);
        NEAR(reach_of(r, "t2"), 100);
        if (exact)
            assert_int_equal(cjm_reach_iterations(r), 0);
        else
            assert_true(cjm_reach_iterations(r) > 1);
        cjm_reach_free(r);
    }
    /* Too few sweeps allowed: a clear refusal, not a half-converged answer. */
    o.exact_limit = 0;
    o.max_iterations = 3;
    assert_cjm_error(cjm_reach_compute(&r, j, &o), CJM_ELIMIT);
    assert_non_null(strstr(cjm_error_last()->message, "did not converge within 3 sweeps"));
    assert_null(r);
    cjm_map_free(map);
}

static void reach_of_a_long_loop_agrees_between_solvers(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_reach *r = NULL;
    cjm_reach_options o = CJM_REACH_OPTIONS_INIT;
    char a[16], b[16];
    /* 300 touchpoints in a ring; half of those at the last go round again: every one is
     * visited 1 / (1 - 0.5) = 2 times per customer. */
    for (int i = 0; i < 300; i++) {
        snprintf(a, sizeof a, "v%d", i);
        tp(j, a);
    }
    num(cjm_journey_find(j, "v0"), CJM_ATTR_ENTRY, 1);
    for (int i = 0; i < 300; i++) {
        snprintf(a, sizeof a, "v%d", i);
        snprintf(b, sizeof b, "v%d", (i + 1) % 300);
        tr(j, a, b, i == 299 ? 0.5 : 1);
    }
    for (int exact = 0; exact < 2; exact++) {
        o.exact_limit = exact ? 1000 : 256;
        assert_ok(cjm_reach_compute(&r, j, &o));
        for (size_t i = 0; i < 300; i++)
            assert_true(fabs(cjm_reach_touchpoint(r, i) - 2) < 1e-9);
        cjm_reach_free(r);
    }
    cjm_map_free(map);
}

static void reach_conserves_customers_on_random_journeys(void **state)
{
    (void)state;
    unsigned seed = 12345;
    /* Everyone who enters ends somewhere: the entries add up to the ends, and both
     * solvers agree, on 40 random journeys of 30 touchpoints with loops. */
    for (int round = 0; round < 40; round++) {
        cjm_map *map;
        cjm_journey *j = journey(&map, NULL);
        cjm_reach *exact = NULL, *iter = NULL;
        cjm_reach_options o = CJM_REACH_OPTIONS_INIT;
        char a[16], b[16];
        double ended = 0;
        for (int i = 0; i < 30; i++) {
            snprintf(a, sizeof a, "v%d", i);
            tp(j, a);
            seed = seed * 1103515245u + 12345u;
            if (i < 3)
                num(cjm_journey_find(j, a), CJM_ATTR_ENTRY, (double)(seed >> 16 & 0xff));
        }
        for (int i = 0; i < 30; i++) {
            for (int k = 0; k < 3; k++) {
                seed = seed * 1103515245u + 12345u;
                snprintf(a, sizeof a, "v%d", i);
                snprintf(b, sizeof b, "v%u", (seed >> 16) % 30);
                /* three transitions of at most 0.3 each: at least 10% leave */
                tr(j, a, b, (double)((seed >> 8) & 0xff) / 255.0 * 0.3);
            }
        }
        assert_ok(cjm_reach_compute(&exact, j, &o));
        o.exact_limit = 0;
        assert_ok(cjm_reach_compute(&iter, j, &o));
        for (size_t i = 0; i < 30; i++) {
            double x = cjm_reach_touchpoint(exact, i), y = cjm_reach_touchpoint(iter, i);
            assert_true(fabs(x - y) <= 1e-8 * (1 + fabs(x)));
            ended += cjm_reach_ended(exact, i);
        }
        assert_true(fabs(ended - cjm_reach_entered(exact)) <= 1e-8 * (1 + ended));
        cjm_reach_free(exact);
        cjm_reach_free(iter);
        cjm_map_free(map);
    }
}

static void reach_derives_probabilities_from_volume_shares(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_reach *r = NULL;
    num(tp(j, "A"), CJM_ATTR_ENTRY, 100);
    tp(j, "B");
    tp(j, "C");
    tp(j, "D");
    num(tr(j, "A", "B", -1), CJM_ATTR_VOLUME, 60);
    num(tr(j, "A", "C", -1), CJM_ATTR_VOLUME, 30);
    num(tr(j, "B", "D", -1), CJM_ATTR_VOLUME, 60);
    /* Throughput of A is max(60 + 30, 100) = 100: 10 customers end at A. */
    assert_ok(cjm_reach_compute(&r, j, NULL));
    NEAR(cjm_reach_probability(r, 0), 0.6);
    NEAR(cjm_reach_probability(r, 1), 0.3);
    NEAR(cjm_reach_probability(r, 2), 1);
    NEAR(reach_of(r, "B"), 60);
    NEAR(reach_of(r, "C"), 30);
    NEAR(reach_of(r, "D"), 60);
    NEAR(cjm_reach_ended(r, 0), 10);
    assert_int_equal(cjm_reach_unquantified(r), 0);
    cjm_reach_free(r);

    /* More volume leaves A than arrives: the outgoing volume is the throughput. */
    num(cjm_journey_find(j, "A"), CJM_ATTR_ENTRY, 10);
    num(cjm_journey_find(j, "t2"), CJM_ATTR_VOLUME, 30);
    num(cjm_journey_find(j, "t1"), CJM_ATTR_VOLUME, 90);
    assert_ok(cjm_reach_compute(&r, j, NULL));
    NEAR(reach_of(r, "B"), 7.5);
    NEAR(reach_of(r, "C"), 2.5);
    cjm_reach_free(r);
    cjm_map_free(map);
}

static void reach_without_volumes_is_an_error_not_zeros(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_reach *r = NULL;
    assert_cjm_error(cjm_reach_compute(&r, j, NULL), CJM_ENOTFOUND); /* empty journey */
    tp(j, "A");
    tp(j, "B");
    tr(j, "A", "B", 1);
    assert_cjm_error(cjm_reach_compute(&r, j, NULL), CJM_ENOTFOUND);
    assert_non_null(strstr(cjm_error_last()->message, "no entry volumes"));
    assert_null(r);
    cjm_map_free(map);
}

static void reach_of_zero_volumes_is_zero(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_reach *r = NULL;
    num(tp(j, "A"), CJM_ATTR_ENTRY, 0);
    tp(j, "B");
    num(tr(j, "A", "B", -1), CJM_ATTR_VOLUME, 0);
    tr(j, "B", "A", 1);
    assert_ok(cjm_reach_compute(&r, j, NULL));
    assert_true(reach_of(r, "A") == 0);
    assert_true(reach_of(r, "B") == 0);
    assert_true(reach_of(r, "t1") == 0);
    cjm_reach_free(r);
    cjm_map_free(map);
}

static void reach_of_a_loop_nobody_leaves_is_refused(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_reach *r = NULL;
    cjm_reach_options o = CJM_REACH_OPTIONS_INIT;
    num(tp(j, "A"), CJM_ATTR_ENTRY, 1);
    tp(j, "B");
    tr(j, "A", "B", 1);
    tr(j, "B", "A", 1);
    assert_cjm_error(cjm_reach_compute(&r, j, NULL), CJM_EINVALID);
    o.exact_limit = 0;
    assert_cjm_error(cjm_reach_compute(&r, j, &o), CJM_EINVALID);
    assert_non_null(strstr(cjm_error_last()->message, "never leave"));
    cjm_map_free(map);
}

static void reach_of_a_disconnected_graph_adds_up_per_part(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_reach *r = NULL;
    num(tp(j, "A"), CJM_ATTR_ENTRY, 10);
    tp(j, "B");
    num(tp(j, "C"), CJM_ATTR_ENTRY, 20);
    tp(j, "D");
    tp(j, "E");
    tr(j, "A", "B", 0.5);
    tr(j, "C", "D", 1);
    tr(j, "E", "E", 1); /* nobody arrives: a closed loop with no inflow is fine */
    tr(j, "A", "ghost", 1); /* an end that is no touchpoint: left out */
    assert_ok(cjm_reach_compute(&r, j, NULL));
    NEAR(reach_of(r, "B"), 5);
    NEAR(reach_of(r, "D"), 20);
    NEAR(reach_of(r, "E"), 0);
    NEAR(cjm_reach_entered(r), 30);
    assert_true(isnan(reach_of(r, "t4")));
    assert_true(isnan(reach_of(r, "nothing")));
    assert_true(isnan(cjm_reach_touchpoint(r, 99)));
    cjm_reach_free(r);
    cjm_map_free(map);
}

static void reach_scales_down_probabilities_above_one_and_counts_gaps_in_data(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_reach *r = NULL;
    cjm_reach_options o = CJM_REACH_OPTIONS_INIT;
    num(tp(j, "A"), CJM_ATTR_ENTRY, 10);
    tp(j, "B");
    tp(j, "C");
    tp(j, "D");
    tr(j, "A", "B", 0.8);
    tr(j, "A", "C", 0.8);
    tr(j, "B", "D", -1);
    assert_ok(cjm_reach_compute(&r, j, NULL));
    NEAR(reach_of(r, "B"), 5);
    NEAR(reach_of(r, "C"), 5);
    NEAR(reach_of(r, "D"), 0);
    assert_int_equal(cjm_reach_normalised(r), 1);
    assert_int_equal(cjm_reach_unquantified(r), 1);
    cjm_reach_free(r);
    o.version = 7;
    assert_cjm_error(cjm_reach_compute(&r, j, &o), CJM_EINVAL);
    o.version = CJM_REACH_OPTIONS_VERSION;
    o.tolerance = 0;
    assert_cjm_error(cjm_reach_compute(&r, j, &o), CJM_EINVAL);
    assert_cjm_error(cjm_reach_compute(NULL, j, NULL), CJM_EINVAL);
    cjm_reach_free(NULL);
    cjm_map_free(map);
}

/* ---- checks ---------------------------------------------------------------- */

static cjm_item *channel(cjm_map *map, const char *id, int kind, int contact_free)
{
    cjm_item *c = NULL;
    assert_ok(cjm_map_add(map, CJM_CHANNEL, id, &c));
    flag(c, CJM_ATTR_CHANNEL_KIND, kind);
    flag(c, CJM_ATTR_CONTACT_FREE, contact_free);
    return c;
}

static cjm_item *tp_at(cjm_journey *j, const char *id, const char *stage, const char *ch)
{
    cjm_item *t = tp(j, id);
    if (stage)
        assert_ok(cjm_item_set_text(t, CJM_ATTR_STAGE, stage));
    if (ch)
        assert_ok(cjm_item_set_text(t, CJM_ATTR_CHANNEL, ch));
    return t;
}

/*
 * Stages s1 < s2. A (web) -> B (phone) 0.9, A -> F (web) 0.1; B -> C (web) 0.5 goes back
 * to s1; C -> B 0.2. D stands alone. Reach: A 100, x_B = 90 + 0.2 x_C, x_C = 0.5 x_B, so
 * B = 100, C = 50, F = 10.
 */
static cjm_journey *checked_journey(cjm_map **map)
{
    cjm_journey *j = journey(map, NULL);
    cjm_item *t;
    channel(*map, "web", CJM_CHANNEL_SELF_SERVICE, 1);
    channel(*map, "phone", CJM_CHANNEL_HUMAN, 0);
    assert_ok(cjm_journey_add(j, CJM_STAGE, "s1", NULL));
    assert_ok(cjm_journey_add(j, CJM_STAGE, "s2", NULL));
    num(tp_at(j, "A", "s1", "web"), CJM_ATTR_ENTRY, 100);
    t = tp_at(j, "B", "s2", "phone");
    flag(t, CJM_ATTR_COMPLEXITY, CJM_COMPLEXITY_SIMPLE);
    num(t, CJM_ATTR_FREQUENCY, 500);
    num(t, CJM_ATTR_CAPACITY, 80);
    t = tp_at(j, "C", "s1", "web");
    flag(t, CJM_ATTR_COMPLEXITY, CJM_COMPLEXITY_COMPLEX); /* a person is one step away */
    tp_at(j, "D", "s2", NULL);
    t = tp_at(j, "F", "s2", "web");
    flag(t, CJM_ATTR_COMPLEXITY, CJM_COMPLEXITY_COMPLEX);
    flag(t, CJM_ATTR_EXIT, 1);
    flag(t, CJM_ATTR_VALUE, CJM_VALUE_NONE);
    tr(j, "A", "B", 0.9);
    tr(j, "A", "F", 0.1);
    tr(j, "B", "C", 0.5);
    tr(j, "C", "B", 0.2);
    return j;
}

static void checks_find_each_structure_and_channel_problem(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = checked_journey(&map);
    cjm_checks *c = NULL;
    const cjm_finding *f;
    double share_tp, share_reach;
    static const char *expect[][2] = {
        {"unreachable", "D"}, {"dead-end", "D"}, {"backward", "t3"}, {"cycle", "B"},
        {"self-service", "B"}, {"no-human", "F"}, {"channel-switch", "t1"},
        {"channel-switch", "t3"}, {"channel-switch", "t4"}, {"no-value", "F"},
        {"over-capacity", "B"},
    };
    assert_ok(cjm_checks_run(&c, j, NULL));
    assert_int_equal(cjm_checks_reach_status(c), 0);
    assert_int_equal(cjm_checks_count(c), 11);
    for (size_t i = 0; i < 11; i++) {
        f = cjm_checks_at(c, i);
        assert_string_equal(cjm_check_kind_name(f->kind), expect[i][0]);
        assert_string_equal(f->item, expect[i][1]);
        assert_non_null(f->message);
    }
    assert_null(cjm_checks_at(c, 11));
    f = cjm_checks_at(c, 3);
    assert_int_equal(f->member_count, 2);
    assert_string_equal(f->members[0], "B");
    assert_string_equal(f->members[1], "C");
    NEAR(f->volume, 50); /* B -> C goes back to s1: 0.5 * 100 returns */
    f = cjm_checks_at(c, 10);
    NEAR(f->volume, 100);
    NEAR(f->limit, 80);
    NEAR(cjm_checks_at(c, 6)->volume, 90);
    assert_int_equal(cjm_checks_total(c, CJM_CHECK_CHANNEL_SWITCH), 3);
    /* Contact-free: A, C, F of the four with a channel; by reach 160 of 260. */
    cjm_checks_contact_free(c, &share_tp, &share_reach);
    NEAR(share_tp, 0.75);
    NEAR(share_reach, 160.0 / 260.0);
    cjm_checks_free(c);

    /* When the company starts C (it calls back), moving there is no switch the customer
     * makes, and B started by the company is no matter the customer brings. */
    {
        cjm_item *shop = NULL;
        assert_ok(cjm_map_add(map, CJM_ACTOR, "shop", &shop));
        flag(shop, CJM_ATTR_ROLE, CJM_ROLE_FRONTSTAGE);
        assert_ok(cjm_item_set_text(cjm_journey_find(j, "C"), CJM_ATTR_INITIATOR, "shop"));
        assert_ok(cjm_item_set_text(cjm_journey_find(j, "B"), CJM_ATTR_INITIATOR, "shop"));
    }
    assert_ok(cjm_checks_run(&c, j, NULL));
    assert_int_equal(cjm_checks_total(c, CJM_CHECK_CHANNEL_SWITCH), 0);
    assert_int_equal(cjm_checks_total(c, CJM_CHECK_SELF_SERVICE), 0);
    cjm_checks_free(c);
    cjm_map_free(map);
}

static void checks_without_volumes_skip_what_needs_reach(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = checked_journey(&map);
    cjm_checks *c = NULL;
    double share_reach;
    assert_ok(cjm_item_unset(cjm_journey_find(j, "A"), CJM_ATTR_ENTRY));
    assert_ok(cjm_checks_run(&c, j, NULL));
    assert_int_equal(cjm_checks_reach_status(c), CJM_ENOTFOUND);
    assert_int_equal(cjm_checks_total(c, CJM_CHECK_OVER_CAPACITY), 0);
    assert_int_equal(cjm_checks_total(c, CJM_CHECK_SELF_SERVICE), 1); /* frequency is given */
    /* Without entry volumes the entries are the touchpoints nobody comes to: A and D. */
    assert_int_equal(cjm_checks_total(c, CJM_CHECK_UNREACHABLE), 0);
    assert_true(isnan(cjm_checks_at(c, 0)->volume));
    cjm_checks_contact_free(c, NULL, &share_reach);
    assert_true(isnan(share_reach));
    cjm_checks_free(c);
    cjm_map_free(map);
}

static void checks_of_an_empty_journey_find_nothing(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_checks *c = NULL;
    cjm_checks_options o = CJM_CHECKS_OPTIONS_INIT;
    double share;
    assert_ok(cjm_checks_run(&c, j, NULL));
    assert_int_equal(cjm_checks_count(c), 0);
    cjm_checks_contact_free(c, &share, NULL);
    assert_true(isnan(share));
    cjm_checks_free(c);
    o.version = 0;
    assert_cjm_error(cjm_checks_run(&c, j, &o), CJM_EINVAL);
    assert_null(cjm_check_kind_name(CJM_CHECK_KIND_COUNT));
    cjm_checks_free(NULL);
    cjm_map_free(map);
}

static void checks_report_a_self_loop_as_a_cycle_of_one(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_checks *c = NULL;
    num(tp(j, "A"), CJM_ATTR_ENTRY, 10);
    flag(tp(j, "B"), CJM_ATTR_EXIT, 1);
    tr(j, "A", "A", 0.5);
    tr(j, "A", "B", 0.5);
    assert_ok(cjm_checks_run(&c, j, NULL));
    assert_int_equal(cjm_checks_count(c), 1);
    assert_int_equal(cjm_checks_at(c, 0)->kind, CJM_CHECK_CYCLE);
    assert_int_equal(cjm_checks_at(c, 0)->member_count, 1);
    NEAR(cjm_checks_at(c, 0)->volume, 10); /* reach(A) = 20; half of the visits go round */
    cjm_checks_free(c);
    cjm_map_free(map);
}

/* ---- ranking ----------------------------------------------------------------- */

static cjm_item *annot(cjm_journey *j, cjm_kind kind, const char *id, const char *target,
                       double severity)
{
    cjm_item *it = NULL;
    assert_ok(cjm_journey_add(j, kind, id, &it));
    if (target)
        assert_ok(cjm_item_set_text(it, CJM_ATTR_TARGET, target));
    if (severity > 0)
        num(it, CJM_ATTR_SEVERITY, severity);
    return it;
}

/*
 * A (entry 100, moment of truth) -> B (need: security) 0.5. Scores:
 * p1 at A, severity 3:                     3 * 100 * 2 * 1    = 600
 * p2 at B, severity 4, need trust:         4 * 50  * 1 * 1.5  = 300
 * p3 at B, severity 2, 200 affected:       2 * 200 * 1 * 1.75 = 700
 * g1 at B, expected 4, perceived 2 at B:   2 * 50  * 1 * 1.75 = 175
 * g2 at B, severity 4, need trust:         4 * 50  * 1 * 1.5  = 300 (ties with p2)
 */
static cjm_journey *ranked_journey(cjm_map **map)
{
    cjm_journey *j = journey(map, NULL);
    cjm_item *a = tp(j, "A"), *b = tp(j, "B");
    num(a, CJM_ATTR_ENTRY, 100);
    flag(a, CJM_ATTR_MOMENT_OF_TRUTH, 1);
    flag(b, CJM_ATTR_NEED, CJM_NEED_SECURITY);
    num(b, CJM_ATTR_EXPECTED, 4);
    num(b, CJM_ATTR_PERCEIVED, 2);
    tr(j, "A", "B", 0.5);
    annot(j, CJM_PAINPOINT, "p1", "A", 3);
    flag(annot(j, CJM_PAINPOINT, "p2", "B", 4), CJM_ATTR_NEED, CJM_NEED_TRUST);
    num(annot(j, CJM_PAINPOINT, "p3", "B", 2), CJM_ATTR_AFFECTED, 200);
    annot(j, CJM_GAP, "g1", "B", 0);
    flag(annot(j, CJM_GAP, "g2", "B", 4), CJM_ATTR_NEED, CJM_NEED_TRUST);
    return j;
}

static const char *ranking_ids(const cjm_ranking *r)
{
    static char buf[256];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < cjm_ranking_count(r); i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? " " : "",
                                cjm_ranking_at(r, i)->id);
    return buf;
}

static void ranking_orders_by_score_and_breaks_ties_by_id(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = ranked_journey(&map);
    cjm_ranking *r = NULL;
    cjm_rank_options o = CJM_RANK_OPTIONS_INIT;
    const cjm_ranked *x;
    assert_ok(cjm_rank_compute(&r, j, NULL));
    assert_string_equal(ranking_ids(r), "p3 p1 g2 p2 g1");
    x = cjm_ranking_at(r, 0);
    NEAR(x->score, 700);
    assert_int_equal(x->reach_source, CJM_REACH_AFFECTED);
    assert_int_equal(x->need, CJM_NEED_SECURITY);
    NEAR(x->need_factor, 1.75);
    x = cjm_ranking_at(r, 1);
    NEAR(x->score, 600);
    assert_int_equal(x->moment_of_truth, 1);
    NEAR(x->moment_factor, 2);
    NEAR(x->reach, 100);
    assert_int_equal(x->reach_source, CJM_REACH_TARGET);
    assert_string_equal(x->target, "A");
    NEAR(cjm_ranking_at(r, 2)->score, 300);
    NEAR(cjm_ranking_at(r, 3)->score, 300);
    x = cjm_ranking_at(r, 4);
    NEAR(x->severity, 2);
    NEAR(x->score, 175);
    assert_null(cjm_ranking_at(r, 5));
    cjm_ranking_free(r);

    /* Without the moment-of-truth bonus p1 ties at 300 too: g2, p1, p2 by id. */
    o.moment_of_truth = 1;
    assert_ok(cjm_rank_compute(&r, j, &o));
    assert_string_equal(ranking_ids(r), "p3 g2 p1 p2 g1");
    cjm_ranking_free(r);
    o.need[2] = -1;
    assert_cjm_error(cjm_rank_compute(&r, j, &o), CJM_EINVAL);

    /* A reach belongs to its journey: handing it to an analysis of another is refused. */
    {
        cjm_journey *other = NULL;
        cjm_reach *reach = NULL;
        cjm_rank_options ro = CJM_RANK_OPTIONS_INIT;
        cjm_checks_options co = CJM_CHECKS_OPTIONS_INIT;
        cjm_curve_options vo = CJM_CURVE_OPTIONS_INIT;
        cjm_checks *c = NULL;
        cjm_curve *v = NULL;
        assert_ok(cjm_map_add_journey(map, "other", &other));
        assert_ok(cjm_reach_compute(&reach, j, NULL));
        ro.reach = co.reach = vo.reach = reach;
        assert_cjm_error(cjm_rank_compute(&r, other, &ro), CJM_EINVAL);
        assert_cjm_error(cjm_checks_run(&c, other, &co), CJM_EINVAL);
        assert_cjm_error(cjm_curve_compute(&v, other, NULL, 0, &vo), CJM_EINVAL);
        assert_ok(cjm_rank_compute(&r, j, &ro));
        assert_string_equal(ranking_ids(r), "p3 p1 g2 p2 g1");
        cjm_ranking_free(r);
        cjm_reach_free(reach);
    }
    cjm_map_free(map);
}

static void ranking_without_volumes_counts_one_customer(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = ranked_journey(&map);
    cjm_ranking *r = NULL;
    assert_ok(cjm_item_unset(cjm_journey_find(j, "A"), CJM_ATTR_ENTRY));
    assert_ok(cjm_rank_compute(&r, j, NULL));
    /* p3 400*1.75... no: p3 keeps its 200 affected: 700; p1 3*2 = 6; g2, p2 4*1.5 = 6;
     * g1 2 * 1.75 = 3.5. Ties at 6 go by id. */
    assert_string_equal(ranking_ids(r), "p3 g2 p1 p2 g1");
    assert_int_equal(cjm_ranking_at(r, 1)->reach_source, CJM_REACH_UNKNOWN);
    NEAR(cjm_ranking_at(r, 1)->reach, 1);
    cjm_ranking_free(r);
    cjm_map_free(map);
}

static void ranking_of_an_empty_journey_is_empty(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_ranking *r = NULL;
    assert_ok(cjm_rank_compute(&r, j, NULL));
    assert_int_equal(cjm_ranking_count(r), 0);
    assert_null(cjm_ranking_at(r, 0));
    cjm_ranking_free(r);
    cjm_ranking_free(NULL);
    cjm_map_free(map);
}

/* ---- emotion curve --------------------------------------------------------- */

/* A (+1) -> B (-1) 0.7, A -> C (-2) 0.3, B -> D (+0.5), D -> E (-1.5). */
static cjm_journey *curve_journey(cjm_map **map)
{
    cjm_journey *j = journey(map, NULL);
    num(tp(j, "A"), CJM_ATTR_ENTRY, 100);
    num(cjm_journey_find(j, "A"), CJM_ATTR_EMOTION, 1);
    num(tp(j, "B"), CJM_ATTR_EMOTION, -1);
    num(tp(j, "C"), CJM_ATTR_EMOTION, -2);
    num(tp(j, "D"), CJM_ATTR_EMOTION, 0.5);
    num(tp(j, "E"), CJM_ATTR_EMOTION, -1.5);
    tr(j, "A", "B", 0.7);
    tr(j, "A", "C", 0.3);
    tr(j, "B", "D", 1);
    tr(j, "D", "E", 1);
    return j;
}

static const char *curve_text(const cjm_curve *c)
{
    static char buf[256];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < cjm_curve_count(c); i++) {
        const cjm_curve_point *p = cjm_curve_at(c, i);
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s%s", i ? " " : "", p->id,
                                p->low ? "!" : "");
    }
    return buf;
}

static void curve_follows_the_most_travelled_path_and_marks_low_points(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = curve_journey(&map);
    cjm_curve *c = NULL;
    const char *path[] = {"A", "C"};
    const char *bad[] = {"A", "Z"};
    assert_ok(cjm_curve_compute(&c, j, NULL, 0, NULL));
    assert_string_equal(curve_text(c), "A B! D E!");
    NEAR(cjm_curve_at(c, 1)->reach, 70);
    NEAR(cjm_curve_at(c, 3)->emotion, -1.5);
    cjm_curve_free(c);
    assert_ok(cjm_curve_compute(&c, j, path, 2, NULL));
    assert_string_equal(curve_text(c), "A C!");
    cjm_curve_free(c);
    assert_cjm_error(cjm_curve_compute(&c, j, bad, 2, NULL), CJM_ENOTFOUND);
    /* Without volumes the probabilities choose the way. */
    assert_ok(cjm_item_unset(cjm_journey_find(j, "A"), CJM_ATTR_ENTRY));
    assert_ok(cjm_curve_compute(&c, j, NULL, 0, NULL));
    assert_string_equal(curve_text(c), "A B! D E!");
    assert_true(isnan(cjm_curve_at(c, 0)->reach));
    cjm_curve_free(c);
    cjm_map_free(map);
}

static void curve_stops_where_more_customers_end_than_go_on(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = curve_journey(&map);
    cjm_curve *c = NULL;
    /* At B 70 arrive and only 0.4 of them go on to D: 42 end there, 28 go on. */
    num(cjm_journey_find(j, "t3"), CJM_ATTR_PROBABILITY, 0.4);
    assert_ok(cjm_curve_compute(&c, j, NULL, 0, NULL));
    assert_string_equal(curve_text(c), "A B!");
    cjm_curve_free(c);
    cjm_map_free(map);
}

static void curve_of_an_empty_journey_is_empty(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j = journey(&map, NULL);
    cjm_curve *c = NULL;
    assert_ok(cjm_curve_compute(&c, j, NULL, 0, NULL));
    assert_int_equal(cjm_curve_count(c), 0);
    cjm_curve_free(c);
    cjm_curve_free(NULL);
    cjm_map_free(map);
}

/* ---- planned against actual ------------------------------------------------- */

/*
 * Planned: A -> B -> C -> D -> E -> F. Actual: A -> B, A -> C (skips B), B -> C,
 * C -> C (an unplanned loop), C -> E (skips D), E -> D (against the plan, closing no
 * loop), C -> X -> D (X unplanned); F never happens; a gap says B failed.
 */
static void compared_journeys(cjm_map **map, cjm_journey **planned, cjm_journey **actual)
{
    cjm_journey *p = line_abcd(map), *a = NULL;
    cjm_item *g = NULL;
    tp(p, "E");
    tp(p, "F");
    tr(p, "D", "E", 1);
    tr(p, "E", "F", 1);
    assert_ok(cjm_map_add_journey(*map, "actual", &a));
    assert_ok(cjm_journey_set_status(a, CJM_STATUS_ACTUAL));
    num(tp(a, "A"), CJM_ATTR_ENTRY, 100);
    tp(a, "B");
    tp(a, "C");
    tp(a, "D");
    tp(a, "E");
    tp(a, "X");
    tr(a, "A", "B", 0.6);
    tr(a, "A", "C", 0.4);
    tr(a, "B", "C", 1);
    tr(a, "C", "C", 0.5);
    tr(a, "C", "E", 0.25);
    tr(a, "E", "D", 1);
    tr(a, "C", "X", 0.25);
    tr(a, "X", "D", 1);
    assert_ok(cjm_journey_add(a, CJM_GAP, "g1", &g));
    flag(g, CJM_ATTR_GAP_KIND, CJM_GAP_DEVIATION);
    flag(g, CJM_ATTR_DEVIATION, CJM_DEVIATION_FAILING);
    assert_ok(cjm_item_set_text(g, CJM_ATTR_TARGET, "B"));
    *planned = p;
    *actual = a;
}

static void comparison_labels_every_deviation_of_an_actual_journey(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *p, *a;
    cjm_comparison *c = NULL;
    static const char *expect[][3] = {
        {"missing", "F", NULL}, {"missing", "B", "t2"}, {"missing", "D", "t5"},
        {"failing", "C", "t4"}, {"failing", "B", NULL}, {"adhoc", "X", NULL},
        {"irregular", "D", "t6"},
    };
    static const char *names[] = {"missing", "failing", "adhoc", "irregular"};
    compared_journeys(&map, &p, &a);
    assert_ok(cjm_compare_journeys(&c, p, a, NULL));
    assert_int_equal(cjm_comparison_count(c), 7);
    for (size_t i = 0; i < 7; i++) {
        const cjm_deviation_found *d = cjm_comparison_at(c, i);
        assert_string_equal(names[d->kind], expect[i][0]);
        assert_string_equal(d->touchpoint, expect[i][1]);
        if (expect[i][2])
            assert_string_equal(d->transition, expect[i][2]);
        else
            assert_null(d->transition);
    }
    assert_int_equal(cjm_comparison_total(c, CJM_DEVIATION_MISSING), 3);
    assert_int_equal(cjm_comparison_total(c, CJM_DEVIATION_FAILING), 2);
    assert_int_equal(cjm_comparison_total(c, CJM_DEVIATION_ADHOC), 1);
    assert_int_equal(cjm_comparison_total(c, CJM_DEVIATION_IRREGULAR), 1);
    /* Volumes from the actual reach: 40 skip B; C is visited 2 * (60 + 40) = 200 times
     * and loops back 100 times; X gets 50. */
    NEAR(cjm_comparison_at(c, 1)->volume, 40);
    NEAR(cjm_comparison_at(c, 3)->volume, 100);
    NEAR(cjm_comparison_at(c, 5)->volume, 50);
    assert_true(isnan(cjm_comparison_at(c, 0)->volume));
    cjm_comparison_free(c);

    /* A journey compared with itself has no deviations. */
    assert_ok(cjm_compare_journeys(&c, p, p, NULL));
    assert_int_equal(cjm_comparison_count(c), 0);
    cjm_comparison_free(c);
    cjm_comparison_free(NULL);
    cjm_map_free(map);
}

/*
 * Before: A (s1, web), B (s1, phone), C (s2, web), D (s2); A -> B -> C -> D.
 * After:  A (s1, web), C (s1, web), B (s2, chat), E (s2); A -> C -> B -> E.
 */
static void diff_lists_added_removed_rechannelled_and_reordered_touchpoints(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *a = journey(&map, NULL), *b = NULL;
    cjm_diff *d = NULL;
    static const char *expect[][2] = {
        {"added", "E"},        {"removed", "D"},      {"re-channelled", "B"},
        {"re-staged", "B"},    {"re-staged", "C"},    {"reordered", "B"},
        {"link-added", "t1"},  {"link-added", "t2"},  {"link-added", "t3"},
        {"link-removed", "t1"}, {"link-removed", "t2"}, {"link-removed", "t3"},
    };
    assert_ok(cjm_journey_add(a, CJM_STAGE, "s1", NULL));
    assert_ok(cjm_journey_add(a, CJM_STAGE, "s2", NULL));
    num(tp_at(a, "A", "s1", "web"), CJM_ATTR_ENTRY, 1);
    tp_at(a, "B", "s1", "phone");
    tp_at(a, "C", "s2", "web");
    tp_at(a, "D", "s2", NULL);
    tr(a, "A", "B", 1);
    tr(a, "B", "C", 1);
    tr(a, "C", "D", 1);
    assert_ok(cjm_map_add_journey(map, "after", &b));
    assert_ok(cjm_journey_add(b, CJM_STAGE, "s1", NULL));
    assert_ok(cjm_journey_add(b, CJM_STAGE, "s2", NULL));
    num(tp_at(b, "A", "s1", "web"), CJM_ATTR_ENTRY, 1);
    tp_at(b, "C", "s1", "web");
    tp_at(b, "B", "s2", "chat");
    tp_at(b, "E", "s2", NULL);
    tr(b, "A", "C", 1);
    tr(b, "C", "B", 1);
    tr(b, "B", "E", 1);
    assert_ok(cjm_diff_journeys(&d, a, b, NULL));
    assert_int_equal(cjm_diff_count(d), 12);
    for (size_t i = 0; i < 12; i++) {
        const cjm_change *c = cjm_diff_at(d, i);
        assert_string_equal(cjm_change_kind_name(c->kind), expect[i][0]);
        assert_string_equal(c->id, expect[i][1]);
    }
    assert_string_equal(cjm_diff_at(d, 2)->before, "phone");
    assert_string_equal(cjm_diff_at(d, 2)->after, "chat");
    assert_int_equal(cjm_diff_total(d, CJM_CHANGE_RESTAGED), 2);
    cjm_diff_free(d);
    assert_ok(cjm_diff_journeys(&d, a, a, NULL));
    assert_int_equal(cjm_diff_count(d), 0);
    cjm_diff_free(d);
    cjm_diff_free(NULL);
    cjm_map_free(map);
}

/* ---- situation view -------------------------------------------------------- */

static int build_situated(const cjm_allocator *alloc, cjm_map **out, cjm_journey **jout)
{
    cjm_map *map = NULL;
    cjm_journey *j = NULL;
    cjm_item *it = NULL;
    int rc;
#define TRY(x)            \
    do {                  \
        if ((rc = (x)) < 0) \
            goto fail;    \
    } while (0)
    TRY(cjm_map_new(&map, alloc));
    TRY(cjm_map_add(map, CJM_SITUATION, "home", NULL));
    TRY(cjm_map_add(map, CJM_SITUATION, "move", NULL));
    TRY(cjm_map_add_journey(map, "j", &j));
    TRY(cjm_journey_add(j, CJM_STAGE, "s1", NULL));
    TRY(cjm_journey_add(j, CJM_TOUCHPOINT, "A", &it));
    TRY(cjm_item_set_number(it, CJM_ATTR_ENTRY, 10));
    TRY(cjm_item_set_text(it, CJM_ATTR_STAGE, "s1"));
    TRY(cjm_journey_add(j, CJM_TOUCHPOINT, "B", &it));
    TRY(cjm_item_list_add(it, CJM_ATTR_SITUATIONS, "home"));
    TRY(cjm_journey_add(j, CJM_TOUCHPOINT, "C", &it));
    TRY(cjm_item_list_add(it, CJM_ATTR_SITUATIONS, "move"));
    TRY(cjm_journey_add(j, CJM_TOUCHPOINT, "D", &it));
    TRY(cjm_journey_add(j, CJM_TRANSITION, "ab", &it));
    TRY(cjm_item_set_text(it, CJM_ATTR_FROM, "A"));
    TRY(cjm_item_set_text(it, CJM_ATTR_TO, "B"));
    TRY(cjm_journey_add(j, CJM_TRANSITION, "ac", &it));
    TRY(cjm_item_set_text(it, CJM_ATTR_FROM, "A"));
    TRY(cjm_item_set_text(it, CJM_ATTR_TO, "C"));
    TRY(cjm_journey_add(j, CJM_TRANSITION, "bd", &it));
    TRY(cjm_item_set_text(it, CJM_ATTR_FROM, "B"));
    TRY(cjm_item_set_text(it, CJM_ATTR_TO, "D"));
    TRY(cjm_item_list_add(it, CJM_ATTR_SITUATIONS, "move"));
    TRY(cjm_journey_add(j, CJM_PAINPOINT, "pa", &it));
    TRY(cjm_item_set_text(it, CJM_ATTR_TARGET, "A"));
    TRY(cjm_journey_add(j, CJM_PAINPOINT, "pc", &it));
    TRY(cjm_item_set_text(it, CJM_ATTR_TARGET, "C"));
    TRY(cjm_journey_add(j, CJM_OPPORTUNITY, "o1", &it));
    TRY(cjm_item_list_add(it, CJM_ATTR_LINKS, "pc"));
    TRY(cjm_journey_add(j, CJM_OPPORTUNITY, "o2", &it));
    TRY(cjm_item_list_add(it, CJM_ATTR_LINKS, "pa"));
    TRY(cjm_item_list_add(it, CJM_ATTR_LINKS, "pc"));
    {
        cjm_kpi k = {"CSAT", 4.5, NAN, "2020-03-27"};
        TRY(cjm_item_kpi_add(cjm_journey_find(j, "A"), &k));
    }
#undef TRY
    *out = map;
    *jout = j;
    return 0;
fail:
    cjm_map_free(map);
    return rc;
}

static const char *ids_of(const cjm_journey *j, cjm_kind kind)
{
    static char buf[256];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < cjm_journey_count(j, kind); i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? " " : "",
                                cjm_item_id(cjm_journey_at(j, kind, i)));
    return buf;
}

static void situation_view_keeps_what_the_situation_meets(void **state)
{
    (void)state;
    cjm_map *map;
    cjm_journey *j, *v = NULL;
    assert_ok(build_situated(NULL, &map, &j));
    assert_ok(cjm_situation_view(&v, j, "home", "j-home"));
    assert_string_equal(cjm_journey_id(v), "j-home");
    assert_string_equal(ids_of(v, CJM_STAGE), "s1");
    assert_string_equal(ids_of(v, CJM_TOUCHPOINT), "A B D");
    assert_string_equal(ids_of(v, CJM_TRANSITION), "ab");
    assert_string_equal(ids_of(v, CJM_PAINPOINT), "pa");
    assert_string_equal(ids_of(v, CJM_OPPORTUNITY), "o2");
    assert_int_equal(cjm_item_list_count(cjm_journey_find(v, "o2"), CJM_ATTR_LINKS), 1);
    assert_int_equal(cjm_item_kpi_count(cjm_journey_find(v, "A")), 1);
    assert_string_equal(cjm_item_text(cjm_journey_find(v, "A"), CJM_ATTR_STAGE), "s1");
    assert_int_equal(cjm_map_journey_count(map), 2);
    /* Failures add nothing. */
    assert_cjm_error(cjm_situation_view(&v, j, "nowhere", NULL), CJM_ENOTFOUND);
    assert_cjm_error(cjm_situation_view(&v, j, "move", "j-home"), CJM_EEXISTS);
    assert_cjm_error(cjm_situation_view(&v, NULL, "move", NULL), CJM_EINVAL);
    assert_int_equal(cjm_map_journey_count(map), 2);
    cjm_map_free(map);
}

/* ---- out of memory ---------------------------------------------------------- */

typedef int (*analysis_fn)(const cjm_allocator *a, cjm_journey *j);

static int oom_reach(const cjm_allocator *a, cjm_journey *j)
{
    cjm_reach_options o = CJM_REACH_OPTIONS_INIT;
    cjm_reach *r = NULL;
    int rc;
    o.allocator = a;
    rc = cjm_reach_compute(&r, j, &o);
    cjm_reach_free(r);
    if (rc == 0) { /* and the iterative solver */
        o.exact_limit = 0;
        rc = cjm_reach_compute(&r, j, &o);
        cjm_reach_free(r);
    }
    return rc;
}

static int oom_checks(const cjm_allocator *a, cjm_journey *j)
{
    cjm_checks_options o = CJM_CHECKS_OPTIONS_INIT;
    cjm_checks *c = NULL;
    int rc;
    o.allocator = a;
    rc = cjm_checks_run(&c, j, &o);
    cjm_checks_free(c);
    return rc;
}

static int oom_rank(const cjm_allocator *a, cjm_journey *j)
{
    cjm_rank_options o = CJM_RANK_OPTIONS_INIT;
    cjm_ranking *r = NULL;
    int rc;
    o.allocator = a;
    rc = cjm_rank_compute(&r, j, &o);
    cjm_ranking_free(r);
    return rc;
}

static int oom_curve(const cjm_allocator *a, cjm_journey *j)
{
    cjm_curve_options o = CJM_CURVE_OPTIONS_INIT;
    cjm_curve *c = NULL;
    int rc;
    o.allocator = a;
    rc = cjm_curve_compute(&c, j, NULL, 0, &o);
    cjm_curve_free(c);
    return rc;
}

static int oom_compare(const cjm_allocator *a, cjm_journey *j)
{
    cjm_compare_options o = CJM_COMPARE_OPTIONS_INIT;
    cjm_comparison *c = NULL;
    cjm_diff *d = NULL;
    cjm_journey *actual = cjm_map_journey(cjm_journey_map(j), "actual");
    int rc;
    o.allocator = a;
    rc = cjm_compare_journeys(&c, j, actual, &o);
    cjm_comparison_free(c);
    if (rc == 0)
        rc = cjm_diff_journeys(&d, j, actual, &o);
    cjm_diff_free(d);
    return rc;
}

static int oom_step_journey(const cjm_allocator *a, void *ctx)
{
    analysis_fn *fn = ctx;
    cjm_map *map = NULL;
    cjm_journey *p = NULL, *act = NULL;
    int rc;
    (void)act;
    /* The journeys are built with malloc; only the analysis uses the failing allocator. */
    if (*fn == oom_compare) {
        compared_journeys(&map, &p, &act);
    } else if (*fn == oom_checks) {
        p = checked_journey(&map);
    } else if (*fn == oom_rank) {
        p = ranked_journey(&map);
    } else if (*fn == oom_curve) {
        p = curve_journey(&map);
    } else {
        p = journey(&map, NULL);
        num(tp(p, "A"), CJM_ATTR_ENTRY, 100);
        tp(p, "B");
        tr(p, "A", "B", 1);
        tr(p, "B", "A", 0.5);
        tr(p, "B", "B", 0.25);
    }
    rc = (*fn)(a, p);
    cjm_map_free(map);
    return rc;
}

static int oom_view(const cjm_allocator *a, void *ctx)
{
    cjm_map *map = NULL;
    cjm_journey *j = NULL, *v = NULL;
    size_t before;
    int rc;
    (void)ctx;
    rc = build_situated(a, &map, &j);
    if (rc < 0)
        return rc;
    before = cjm_map_journey_count(map);
    rc = cjm_situation_view(&v, j, "home", NULL);
    if (rc < 0 && cjm_map_journey_count(map) != before)
        fail_msg("a failed view left a journey behind");
    cjm_map_free(map);
    return rc;
}

static void every_analysis_survives_every_allocation_failure(void **state)
{
    (void)state;
    analysis_fn fns[] = {oom_reach, oom_checks, oom_rank, oom_curve, oom_compare};
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
        test_oom_loop(oom_step_journey, &fns[i], 0);
        test_oom_loop(oom_step_journey, &fns[i], 1);
    }
    test_oom_loop(oom_view, NULL, 0);
    test_oom_loop(oom_view, NULL, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conformance_labels_each_kind_of_deviation),
        cmocka_unit_test(conformance_accepts_planned_loops_and_branches),
        cmocka_unit_test(conformance_rejects_bad_arguments),
        cmocka_unit_test(conformance_of_an_empty_journey_marks_everything_ad_hoc),
        cmocka_unit_test(conformance_of_a_large_journey_searches_without_the_cache),
        cmocka_unit_test(conformance_totals_agree_with_the_list_on_random_cases),
        cmocka_unit_test(conformance_survives_every_allocation_failure),
        cmocka_unit_test(reach_of_a_self_loop_has_the_closed_form),
        cmocka_unit_test(reach_of_a_two_touchpoint_loop_is_exact_and_iterative_alike),
        cmocka_unit_test(reach_of_a_long_loop_agrees_between_solvers),
        cmocka_unit_test(reach_conserves_customers_on_random_journeys),
        cmocka_unit_test(reach_derives_probabilities_from_volume_shares),
        cmocka_unit_test(reach_without_volumes_is_an_error_not_zeros),
        cmocka_unit_test(reach_of_zero_volumes_is_zero),
        cmocka_unit_test(reach_of_a_loop_nobody_leaves_is_refused),
        cmocka_unit_test(reach_of_a_disconnected_graph_adds_up_per_part),
        cmocka_unit_test(reach_scales_down_probabilities_above_one_and_counts_gaps_in_data),
        cmocka_unit_test(checks_find_each_structure_and_channel_problem),
        cmocka_unit_test(checks_without_volumes_skip_what_needs_reach),
        cmocka_unit_test(checks_of_an_empty_journey_find_nothing),
        cmocka_unit_test(checks_report_a_self_loop_as_a_cycle_of_one),
        cmocka_unit_test(ranking_orders_by_score_and_breaks_ties_by_id),
        cmocka_unit_test(ranking_without_volumes_counts_one_customer),
        cmocka_unit_test(ranking_of_an_empty_journey_is_empty),
        cmocka_unit_test(curve_follows_the_most_travelled_path_and_marks_low_points),
        cmocka_unit_test(curve_stops_where_more_customers_end_than_go_on),
        cmocka_unit_test(curve_of_an_empty_journey_is_empty),
        cmocka_unit_test(comparison_labels_every_deviation_of_an_actual_journey),
        cmocka_unit_test(diff_lists_added_removed_rechannelled_and_reordered_touchpoints),
        cmocka_unit_test(situation_view_keeps_what_the_situation_meets),
        cmocka_unit_test(every_analysis_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
