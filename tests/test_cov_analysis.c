/*
 * The analyses' argument checks and their accessors on NULL and out of
 * range: every entry point refuses NULL and unknown option versions with
 * CJM_EINVAL, and every accessor answers a NULL result or a bad index
 * without touching memory.
 */
#include "support.h"

#include <math.h>
#include <string.h>

#define HEAD "<journey-map xmlns='urn:cjm:journey:1' version='1'>"
#define TAIL "</journey-map>"

static cjm_map *small_map(void)
{
    static const char doc[] =
        HEAD "<journey id='j'><touchpoint id='a' entry='10'/><touchpoint id='b' exit='true'/>"
             "<transition id='t' from='a' to='b' probability='1'/></journey>" TAIL;
    cjm_map *m = NULL;
    assert_ok(cjm_xml_read_memory(&m, doc, strlen(doc), NULL));
    return m;
}

static void entry_points_refuse_null_and_unknown_versions(void **state)
{
    (void)state;
    cjm_map *m = small_map();
    cjm_journey *j = cjm_map_journey(m, "j");
    const char *path[] = {"a", "b"};
    cjm_reach *reach = NULL;
    cjm_checks *checks = NULL;
    cjm_ranking *rank = NULL;
    cjm_curve *curve = NULL;
    cjm_comparison *cmp = NULL;
    cjm_diff *diff = NULL;
    cjm_conformance *conf = NULL;
    cjm_rank_options ro = CJM_RANK_OPTIONS_INIT;
    cjm_curve_options co = CJM_CURVE_OPTIONS_INIT;
    cjm_compare_options cmo = CJM_COMPARE_OPTIONS_INIT;
    cjm_reach_options rea = CJM_REACH_OPTIONS_INIT;

    assert_cjm_error(cjm_reach_compute(NULL, j, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_reach_compute(&reach, NULL, NULL), CJM_EINVAL);
    rea.tolerance = NAN;
    assert_cjm_error(cjm_reach_compute(&reach, j, &rea), CJM_EINVAL);
    rea.tolerance = INFINITY;
    assert_cjm_error(cjm_reach_compute(&reach, j, &rea), CJM_EINVAL);
    assert_null(reach);
    assert_cjm_error(cjm_checks_run(NULL, j, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_checks_run(&checks, NULL, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_rank_compute(NULL, j, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_rank_compute(&rank, NULL, NULL), CJM_EINVAL);
    ro.version = 99;
    assert_cjm_error(cjm_rank_compute(&rank, j, &ro), CJM_EINVAL);
    assert_cjm_error(cjm_curve_compute(NULL, j, path, 2, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_curve_compute(&curve, NULL, path, 2, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_curve_compute(&curve, j, NULL, 2, NULL), CJM_EINVAL);
    co.version = 99;
    assert_cjm_error(cjm_curve_compute(&curve, j, path, 2, &co), CJM_EINVAL);
    {
        const char *holes[] = {"a", NULL};
        assert_int_not_equal(cjm_curve_compute(&curve, j, holes, 2, NULL), 0);
        assert_non_null(strstr(cjm_error_last()->message, "(null)"));
        assert_null(curve);
    }
    assert_ok(cjm_curve_compute(&curve, j, NULL, 0, NULL));
    assert_int_equal(cjm_curve_count(curve), 2); /* no path given: the journey's own */
    cjm_curve_free(curve);
    assert_cjm_error(cjm_compare_journeys(NULL, j, j, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_compare_journeys(&cmp, NULL, j, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_compare_journeys(&cmp, j, NULL, NULL), CJM_EINVAL);
    cmo.version = 99;
    assert_cjm_error(cjm_compare_journeys(&cmp, j, j, &cmo), CJM_EINVAL);
    assert_cjm_error(cjm_diff_journeys(NULL, j, j, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_diff_journeys(&diff, NULL, j, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_diff_journeys(&diff, j, NULL, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_diff_journeys(&diff, j, j, &cmo), CJM_EINVAL);
    assert_cjm_error(cjm_conformance_new(NULL, j, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_conformance_new(&conf, NULL, NULL), CJM_EINVAL);
    assert_null(rank);
    assert_null(cmp);
    assert_null(diff);
    assert_null(conf);
    assert_null(checks);
    cjm_map_free(m);
}

static void accessors_answer_null_results_and_bad_indexes(void **state)
{
    (void)state;
    cjm_map *m = small_map();
    cjm_journey *j = cjm_map_journey(m, "j");
    cjm_reach *reach = NULL;
    cjm_checks *checks = NULL;
    cjm_ranking *rank = NULL;
    cjm_comparison *cmp = NULL;
    cjm_diff *diff = NULL;
    cjm_conformance *conf = NULL;
    double a = 0, b = 0;

    assert_int_equal(cjm_checks_count(NULL), 0);
    assert_null(cjm_checks_at(NULL, 0));
    assert_int_equal(cjm_checks_total(NULL, 0), 0);
    assert_int_equal(cjm_checks_reach_status(NULL), CJM_EINVAL);
    cjm_checks_contact_free(NULL, &a, &b);
    assert_true(isnan(a) && isnan(b));
    assert_int_equal(cjm_comparison_count(NULL), 0);
    assert_null(cjm_comparison_at(NULL, 0));
    assert_int_equal(cjm_comparison_total(NULL, CJM_DEVIATION_MISSING), 0);
    assert_int_equal(cjm_diff_count(NULL), 0);
    assert_null(cjm_diff_at(NULL, 0));
    assert_int_equal(cjm_diff_total(NULL, 0), 0);
    assert_int_equal(cjm_ranking_count(NULL), 0);
    assert_null(cjm_ranking_at(NULL, 0));
    assert_int_equal(cjm_curve_count(NULL), 0);
    assert_null(cjm_curve_at(NULL, 0));
    assert_null(cjm_reach_journey(NULL));
    assert_true(isnan(cjm_reach_touchpoint(NULL, 0)));
    assert_true(isnan(cjm_reach_transition(NULL, 0)));
    assert_true(isnan(cjm_reach_probability(NULL, 0)));
    assert_true(isnan(cjm_reach_ended(NULL, 0)));
    assert_true(isnan(cjm_reach_of(NULL, "a")));
    assert_true(cjm_reach_entered(NULL) == 0);
    assert_int_equal(cjm_reach_iterations(NULL), 0);
    assert_int_equal(cjm_conformance_count(NULL), 0);
    assert_null(cjm_conformance_at(NULL, 0));
    assert_int_equal(cjm_conformance_total(NULL, CJM_DEVIATION_MISSING), 0);
    assert_int_equal(cjm_conformance_touchpoint_total(NULL, 0, CJM_DEVIATION_MISSING), 0);

    assert_ok(cjm_reach_compute(&reach, j, NULL));
    assert_ptr_equal(cjm_reach_journey(reach), j);
    assert_true(isnan(cjm_reach_touchpoint(reach, 99)));
    assert_true(isnan(cjm_reach_transition(reach, 99)));
    assert_true(isnan(cjm_reach_probability(reach, 99)));
    assert_true(isnan(cjm_reach_ended(reach, 99)));
    assert_true(isnan(cjm_reach_of(reach, NULL)));
    assert_true(isnan(cjm_reach_of(reach, "nothing")));
    assert_true(cjm_reach_of(reach, "t") == cjm_reach_transition(reach, 0));
    assert_true(cjm_reach_of(reach, "b") == 10);
    assert_ok(cjm_checks_run(&checks, j, NULL));
    assert_null(cjm_checks_at(checks, 9999));
    assert_int_equal(cjm_checks_total(checks, (cjm_check_kind)999), 0);
    assert_ok(cjm_rank_compute(&rank, j, NULL));
    assert_null(cjm_ranking_at(rank, 9999));
    assert_ok(cjm_compare_journeys(&cmp, j, j, NULL));
    assert_int_equal(cjm_comparison_count(cmp), 0);
    assert_null(cjm_comparison_at(cmp, 0));
    assert_int_equal(cjm_comparison_total(cmp, (cjm_deviation)7), 0);
    assert_ok(cjm_diff_journeys(&diff, j, j, NULL));
    assert_int_equal(cjm_diff_count(diff), 0);
    assert_null(cjm_diff_at(diff, 0));
    assert_int_equal(cjm_diff_total(diff, (cjm_change_kind)999), 0);
    assert_ok(cjm_conformance_new(&conf, j, NULL));
    assert_null(cjm_conformance_at(conf, 0));
    assert_int_equal(cjm_conformance_total(conf, (cjm_deviation)7), 0);
    assert_int_equal(cjm_conformance_touchpoint_total(conf, 99, CJM_DEVIATION_MISSING), 0);
    assert_int_equal(cjm_conformance_touchpoint_total(conf, 0, (cjm_deviation)7), 0);
    cjm_conformance_free(conf);
    cjm_diff_free(diff);
    cjm_comparison_free(cmp);
    cjm_ranking_free(rank);
    cjm_checks_free(checks);
    cjm_reach_free(reach);
    cjm_map_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entry_points_refuse_null_and_unknown_versions),
        cmocka_unit_test(accessors_answer_null_results_and_bad_indexes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
