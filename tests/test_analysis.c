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

/* A transition `from` -> `to` with probability `p` (p < 0: none). */
static cjm_item *tr(cjm_journey *j, const char *from, const char *to, double p)
{
    cjm_item *it = NULL;
    assert_ok(cjm_journey_add(j, CJM_TRANSITION, NULL, &it));
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
    static char buf[1024];
    static const char *names[] = {"missing", "failing", "adhoc", "irregular"};
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < cjm_conformance_count(c); i++) {
        const cjm_case_deviation *d = cjm_conformance_at(c, i);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conformance_labels_each_kind_of_deviation),
        cmocka_unit_test(conformance_accepts_planned_loops_and_branches),
        cmocka_unit_test(conformance_rejects_bad_arguments),
        cmocka_unit_test(conformance_of_an_empty_journey_marks_everything_ad_hoc),
        cmocka_unit_test(conformance_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
