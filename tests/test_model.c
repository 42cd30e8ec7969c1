/* The journey model: maps, journeys, items, attributes, KPIs, removal, validation. */
#include "support.h"

#include "model/model_access.h"
#include "model/model_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static cjm_map *new_map(void)
{
    cjm_map *map = NULL;
    assert_ok(cjm_map_new(&map, NULL));
    assert_non_null(map);
    return map;
}

/* A small planned journey used by several tests. */
static cjm_journey *small_journey(cjm_map *map)
{
    cjm_journey *j;
    cjm_item *it;
    assert_ok(cjm_map_add(map, CJM_ACTOR, "customer", &it));
    assert_ok(cjm_item_set_int(it, CJM_ATTR_ROLE, CJM_ROLE_CUSTOMER));
    assert_ok(cjm_map_add(map, CJM_CHANNEL, "web", &it));
    assert_ok(cjm_item_set_int(it, CJM_ATTR_CHANNEL_KIND, CJM_CHANNEL_SELF_SERVICE));
    assert_ok(cjm_map_add(map, CJM_SITUATION, "stressed", NULL));
    assert_ok(cjm_map_add_journey(map, "order", &j));
    assert_ok(cjm_journey_add(j, CJM_STAGE, "discover", NULL));
    assert_ok(cjm_journey_add(j, CJM_STAGE, "buy", NULL));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "a", &it));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_STAGE, "discover"));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_CHANNEL, "web"));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "b", &it));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_STAGE, "buy"));
    assert_ok(cjm_journey_add(j, CJM_TRANSITION, "a-b", &it));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_FROM, "a"));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TO, "b"));
    return j;
}

static void map_new_rejects_null_and_free_null_is_a_no_op(void **state)
{
    (void)state;
    assert_cjm_error(cjm_map_new(NULL, NULL), CJM_EINVAL);
    cjm_map_free(NULL);
    cjm_problems_free(NULL);
    cjm_buffer_free(NULL);
}

static void map_metadata_is_set_read_and_cleared(void **state)
{
    (void)state;
    cjm_map *map = new_map();
    assert_null(cjm_map_title(map));
    assert_ok(cjm_map_set_title(map, "Hämtmat under nedstängning"));
    assert_string_equal(cjm_map_title(map), "Hämtmat under nedstängning");
    assert_ok(cjm_map_set_description(map, "line one\nline two"));
    assert_ok(cjm_map_set_language(map, "sv"));
    assert_string_equal(cjm_map_language(map), "sv");
    assert_cjm_error(cjm_map_set_language(map, "not a tag"), CJM_EINVAL);
    assert_cjm_error(cjm_map_set_title(map, "bad \xff"), CJM_EINVAL);
    assert_string_equal(cjm_map_title(map), "Hämtmat under nedstängning");
    assert_ok(cjm_map_set_title(map, NULL));
    assert_null(cjm_map_title(map));
    assert_cjm_error(cjm_map_set_title(NULL, "x"), CJM_EINVAL);
    cjm_map_free(map);
}

static void definitions_are_found_by_id_and_kept_in_order(void **state)
{
    (void)state;
    cjm_map *map = new_map();
    cjm_item *a, *b, *c;
    assert_ok(cjm_map_add(map, CJM_CHANNEL, "web", &a));
    assert_ok(cjm_map_add(map, CJM_CHANNEL, "phone", &b));
    assert_ok(cjm_map_add(map, CJM_ACTOR, "bank", &c));
    assert_int_equal(cjm_map_count(map, CJM_CHANNEL), 2);
    assert_int_equal(cjm_map_count(map, CJM_ACTOR), 1);
    assert_int_equal(cjm_map_count(map, CJM_TOUCHPOINT), 0);
    assert_ptr_equal(cjm_map_at(map, CJM_CHANNEL, 0), a);
    assert_ptr_equal(cjm_map_at(map, CJM_CHANNEL, 1), b);
    assert_null(cjm_map_at(map, CJM_CHANNEL, 2));
    assert_null(cjm_map_at(map, CJM_TOUCHPOINT, 0));
    assert_ptr_equal(cjm_map_find(map, "phone"), b);
    assert_null(cjm_map_find(map, "fax"));
    assert_null(cjm_map_find(map, NULL));
    assert_int_equal(cjm_item_kind(c), CJM_ACTOR);
    assert_null(cjm_item_journey(c));
    assert_int_equal(cjm_item_index(b), 1);
    assert_ok(cjm_map_remove(map, a));
    assert_int_equal(cjm_item_index(b), 0);
    assert_null(cjm_map_find(map, "web"));
    cjm_map_free(map);
}

static void ids_are_unique_and_checked(void **state)
{
    (void)state;
    cjm_map *map = new_map();
    cjm_journey *j;
    cjm_item *it;
    assert_ok(cjm_map_add(map, CJM_ACTOR, "x", NULL));
    assert_cjm_error(cjm_map_add(map, CJM_CHANNEL, "x", NULL), CJM_EEXISTS);
    assert_cjm_error(cjm_map_add_journey(map, "x", NULL), CJM_EEXISTS);
    assert_cjm_error(cjm_map_add(map, CJM_ACTOR, "", NULL), CJM_EINVAL);
    assert_cjm_error(cjm_map_add(map, CJM_ACTOR, "has space", NULL), CJM_EINVAL);
    assert_cjm_error(cjm_map_add(map, CJM_ACTOR, "bad\xc3", NULL), CJM_EINVAL);
    assert_cjm_error(cjm_map_add(map, CJM_TOUCHPOINT, "t", NULL), CJM_EINVAL);
    assert_cjm_error(cjm_map_add(map, (cjm_kind)99, "t", NULL), CJM_EINVAL);
    assert_ok(cjm_map_add_journey(map, "j", &j));
    /* a journey has its own namespace */
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "x", NULL));
    assert_cjm_error(cjm_journey_add(j, CJM_STAGE, "x", NULL), CJM_EEXISTS);
    assert_cjm_error(cjm_journey_add(j, CJM_ACTOR, "y", NULL), CJM_EINVAL);
    /* made-up ids never collide with given ones */
    assert_ok(cjm_journey_add(j, CJM_TRANSITION, "transition-1", NULL));
    assert_ok(cjm_journey_add(j, CJM_TRANSITION, NULL, &it));
    assert_string_equal(cjm_item_id(it), "transition-2");
    assert_ok(cjm_map_add(map, CJM_PERSONA, NULL, &it));
    assert_non_null(cjm_map_find(map, cjm_item_id(it)));
    cjm_map_free(map);
}

static void journeys_carry_their_own_attributes(void **state)
{
    (void)state;
    cjm_map *map = new_map();
    cjm_journey *p, *a, *j2;
    assert_ok(cjm_map_add_journey(map, "planned", &p));
    assert_ok(cjm_map_add_journey(map, "actual", &a));
    assert_int_equal(cjm_journey_status(a), CJM_STATUS_PLANNED);
    assert_ok(cjm_journey_set_status(a, CJM_STATUS_ACTUAL));
    assert_int_equal(cjm_journey_status(a), CJM_STATUS_ACTUAL);
    assert_cjm_error(cjm_journey_set_status(a, (cjm_status)7), CJM_EINVAL);
    assert_ok(cjm_journey_set_follows(a, "planned"));
    assert_string_equal(cjm_journey_follows(a), "planned");
    assert_ok(cjm_journey_set_label(a, "Wat er echt gebeurde"));
    assert_string_equal(cjm_journey_label(a), "Wat er echt gebeurde");
    assert_ok(cjm_journey_set_description(a, "desc"));
    assert_string_equal(cjm_journey_description(a), "desc");
    assert_ok(cjm_journey_set_persona(a, "senior"));
    assert_string_equal(cjm_journey_persona(a), "senior");
    assert_cjm_error(cjm_journey_set_persona(a, "two words"), CJM_EINVAL);
    assert_ptr_equal(cjm_journey_map(a), map);
    assert_string_equal(cjm_journey_id(a), "actual");
    assert_ptr_equal(cjm_map_journey(map, "actual"), a);
    assert_null(cjm_map_journey(map, "nope"));
    assert_null(cjm_map_find(map, "actual")); /* journeys are not definitions */
    assert_int_equal(cjm_map_journey_count(map), 2);
    assert_ptr_equal(cjm_map_journey_at(map, 1), a);
    assert_null(cjm_map_journey_at(map, 2));
    assert_ok(cjm_map_remove_journey(map, p));
    assert_ptr_equal(cjm_map_journey_at(map, 0), a);
    assert_ok(cjm_map_add_journey(map, NULL, &j2));
    assert_ptr_equal(cjm_map_journey(map, cjm_journey_id(j2)), j2);
    assert_cjm_error(cjm_map_remove_journey(map, NULL), CJM_EINVAL);
    cjm_map_free(map);
}

static void attributes_are_typed_and_belong_to_kinds(void **state)
{
    (void)state;
    cjm_map *map = new_map();
    cjm_journey *j = small_journey(map);
    cjm_item *tp = cjm_journey_find(j, "a");
    double d;
    int i;

    assert_ok(cjm_item_set_number(tp, CJM_ATTR_PERCEIVED, 2.5));
    assert_ok(cjm_item_number(tp, CJM_ATTR_PERCEIVED, &d));
    assert_true(d == 2.5);
    assert_cjm_error(cjm_item_number(tp, CJM_ATTR_EXPECTED, &d), CJM_ENOTFOUND);
    assert_cjm_error(cjm_item_set_number(tp, CJM_ATTR_EXPECTED, NAN), CJM_EINVAL);
    assert_cjm_error(cjm_item_set_number(tp, CJM_ATTR_EXPECTED, INFINITY), CJM_EINVAL);
    /* a kind without the attribute */
    assert_cjm_error(cjm_item_set_number(tp, CJM_ATTR_VOLUME, 1), CJM_EINVAL);
    /* the wrong type */
    assert_cjm_error(cjm_item_set_number(tp, CJM_ATTR_LABEL, 1), CJM_EINVAL);
    assert_cjm_error(cjm_item_set_text(tp, CJM_ATTR_EMOTION, "x"), CJM_EINVAL);
    assert_cjm_error(cjm_item_set_int(tp, CJM_ATTR_LABEL, 1), CJM_EINVAL);
    assert_cjm_error(cjm_item_set_number((cjm_item *)NULL, CJM_ATTR_EMOTION, 1), CJM_EINVAL);
    assert_cjm_error(cjm_item_set_text(tp, (cjm_attr)200, "x"), CJM_EINVAL);

    assert_ok(cjm_item_set_int(tp, CJM_ATTR_MOMENT_OF_TRUTH, 1));
    assert_ok(cjm_item_int(tp, CJM_ATTR_MOMENT_OF_TRUTH, &i));
    assert_int_equal(i, 1);
    assert_cjm_error(cjm_item_set_int(tp, CJM_ATTR_MOMENT_OF_TRUTH, 2), CJM_EINVAL);
    assert_cjm_error(cjm_item_set_int(tp, CJM_ATTR_COMPLEXITY, -1), CJM_EINVAL);
    assert_cjm_error(cjm_item_int(tp, CJM_ATTR_COMPLEXITY, &i), CJM_ENOTFOUND);

    assert_ok(cjm_item_set_text(tp, CJM_ATTR_LABEL, "Sök restaurang"));
    assert_string_equal(cjm_item_text(tp, CJM_ATTR_LABEL), "Sök restaurang");
    assert_ok(cjm_item_set_text(tp, CJM_ATTR_LABEL, "Hitta"));
    assert_string_equal(cjm_item_text(tp, CJM_ATTR_LABEL), "Hitta");
    assert_cjm_error(cjm_item_set_text(tp, CJM_ATTR_LABEL, "nul\x01"), CJM_EINVAL);
    assert_cjm_error(cjm_item_set_text(tp, CJM_ATTR_STAGE, "two words"), CJM_EINVAL);
    assert_string_equal(cjm_item_text(tp, CJM_ATTR_STAGE), "discover");
    assert_null(cjm_item_text(tp, CJM_ATTR_EMOTION));
    assert_null(cjm_item_text(tp, CJM_ATTR_VOLUME));

    assert_true(cjm_item_has(tp, CJM_ATTR_LABEL));
    assert_ok(cjm_item_set_text(tp, CJM_ATTR_LABEL, NULL));
    assert_false(cjm_item_has(tp, CJM_ATTR_LABEL));
    assert_ok(cjm_item_unset(tp, CJM_ATTR_PERCEIVED));
    assert_false(cjm_item_has(tp, CJM_ATTR_PERCEIVED));
    assert_ok(cjm_item_unset(tp, CJM_ATTR_PERCEIVED)); /* unsetting twice is fine */
    assert_cjm_error(cjm_item_unset(tp, CJM_ATTR_VOLUME), CJM_EINVAL);
    assert_false(cjm_item_has(tp, CJM_ATTR_VOLUME));
    assert_false(cjm_item_has(NULL, CJM_ATTR_LABEL));

    /* many attributes on one item, set and read back */
    for (int a = 0; a < CJM_ATTR_COUNT; a++) {
        if (!cjm_kind_has_attr(CJM_TOUCHPOINT, (cjm_attr)a))
            continue;
        switch (cjm_attr_type((cjm_attr)a)) {
        case CJM_TYPE_NUMBER:
            assert_ok(cjm_item_set_number(tp, (cjm_attr)a, a));
            break;
        case CJM_TYPE_INT:
            assert_ok(cjm_item_set_int(tp, (cjm_attr)a, 1));
            break;
        case CJM_TYPE_LIST:
            assert_ok(cjm_item_list_add(tp, (cjm_attr)a, "stressed"));
            break;
        default:
            assert_ok(cjm_item_set_text(tp, (cjm_attr)a, "v"));
            break;
        }
    }
    for (int a = 0; a < CJM_ATTR_COUNT; a++)
        assert_int_equal(cjm_item_has(tp, (cjm_attr)a),
                         cjm_kind_has_attr(CJM_TOUCHPOINT, (cjm_attr)a));
    assert_ok(cjm_item_number(tp, CJM_ATTR_CAPACITY, &d));
    assert_true(d == CJM_ATTR_CAPACITY);
    cjm_map_free(map);
}

static void lists_hold_ids_once(void **state)
{
    (void)state;
    cjm_map *map = new_map();
    cjm_journey *j = small_journey(map);
    cjm_item *tr = cjm_journey_find(j, "a-b"), *op;
    assert_int_equal(cjm_item_list_count(tr, CJM_ATTR_SITUATIONS), 0);
    assert_ok(cjm_item_list_add(tr, CJM_ATTR_SITUATIONS, "stressed"));
    assert_ok(cjm_item_list_add(tr, CJM_ATTR_SITUATIONS, "calm"));
    assert_ok(cjm_item_list_add(tr, CJM_ATTR_SITUATIONS, "stressed"));
    assert_int_equal(cjm_item_list_count(tr, CJM_ATTR_SITUATIONS), 2);
    assert_string_equal(cjm_item_list_at(tr, CJM_ATTR_SITUATIONS, 1), "calm");
    assert_null(cjm_item_list_at(tr, CJM_ATTR_SITUATIONS, 2));
    assert_true(cjm_item_list_contains(tr, CJM_ATTR_SITUATIONS, "calm"));
    assert_false(cjm_item_list_contains(tr, CJM_ATTR_SITUATIONS, "home"));
    assert_cjm_error(cjm_item_list_add(tr, CJM_ATTR_SITUATIONS, "a b"), CJM_EINVAL);
    assert_cjm_error(cjm_item_list_add(tr, CJM_ATTR_SITUATIONS, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_item_list_add(tr, CJM_ATTR_LINKS, "x"), CJM_EINVAL);
    assert_cjm_error(cjm_item_list_remove(tr, CJM_ATTR_SITUATIONS, "home"), CJM_ENOTFOUND);
    assert_ok(cjm_item_list_remove(tr, CJM_ATTR_SITUATIONS, "stressed"));
    assert_ok(cjm_item_list_remove(tr, CJM_ATTR_SITUATIONS, "calm"));
    assert_false(cjm_item_has(tr, CJM_ATTR_SITUATIONS));
    assert_ok(cjm_journey_add(j, CJM_OPPORTUNITY, "op", &op));
    assert_ok(cjm_item_list_add(op, CJM_ATTR_LINKS, "p1"));
    assert_true(cjm_item_has(op, CJM_ATTR_LINKS));
    assert_ok(cjm_item_unset(op, CJM_ATTR_LINKS));
    assert_int_equal(cjm_item_list_count(op, CJM_ATTR_LINKS), 0);
    cjm_map_free(map);
}

static void kpis_form_a_series_and_are_checked(void **state)
{
    (void)state;
    cjm_map *map = new_map();
    cjm_journey *j = small_journey(map);
    cjm_item *tp = cjm_journey_find(j, "a");
    cjm_kpi k = {"CSAT", 4.1, 4.5, "2020-03-01"};
    const cjm_kpi *got;
    assert_ok(cjm_item_kpi_add(tp, &k));
    k.value = 3.6;
    k.date = "2020-04-01";
    assert_ok(cjm_item_kpi_add(tp, &k));
    k.name = "NPS";
    k.target = NAN;
    k.date = NULL;
    k.value = -12;
    assert_ok(cjm_item_kpi_add(tp, &k));
    assert_int_equal(cjm_item_kpi_count(tp), 3);
    got = cjm_item_kpi_at(tp, 1);
    assert_string_equal(got->name, "CSAT");
    assert_true(got->value == 3.6);
    assert_string_equal(got->date, "2020-04-01");
    got = cjm_item_kpi_at(tp, 2);
    assert_true(isnan(got->target));
    assert_null(got->date);
    assert_null(cjm_item_kpi_at(tp, 3));

    k.date = "01/04/2020";
    assert_cjm_error(cjm_item_kpi_add(tp, &k), CJM_EINVAL);
    k.date = NULL;
    k.value = NAN;
    assert_cjm_error(cjm_item_kpi_add(tp, &k), CJM_EINVAL);
    k.value = 1;
    k.target = INFINITY;
    assert_cjm_error(cjm_item_kpi_add(tp, &k), CJM_EINVAL);
    k.target = NAN;
    k.name = "";
    assert_cjm_error(cjm_item_kpi_add(tp, &k), CJM_EINVAL);
    assert_cjm_error(cjm_item_kpi_add(tp, NULL), CJM_EINVAL);
    k.name = "CES";
    assert_cjm_error(cjm_item_kpi_add(cjm_journey_find(j, "a-b"), &k), CJM_EINVAL);
    assert_int_equal(cjm_item_kpi_count(cjm_journey_find(j, "a-b")), 0);

    assert_ok(cjm_item_kpi_remove(tp, 0));
    assert_int_equal(cjm_item_kpi_count(tp), 2);
    assert_true(cjm_item_kpi_at(tp, 0)->value == 3.6);
    assert_cjm_error(cjm_item_kpi_remove(tp, 5), CJM_ENOTFOUND);
    cjm_map_free(map);
}

static void names_of_kinds_attributes_and_values_round_trip(void **state)
{
    (void)state;
    for (int k = 0; k < CJM_KIND_COUNT; k++) {
        cjm_kind back;
        assert_non_null(cjm_kind_name((cjm_kind)k));
        assert_ok(cjm_kind_lookup(cjm_kind_name((cjm_kind)k), &back));
        assert_int_equal(back, k);
        assert_true(cjm_kind_has_attr((cjm_kind)k, CJM_ATTR_LABEL));
    }
    assert_null(cjm_kind_name(CJM_KIND_COUNT));
    assert_cjm_error(cjm_kind_lookup("customer", NULL), CJM_ENOTFOUND);
    assert_false(cjm_kind_in_journey(CJM_ACTOR));
    assert_true(cjm_kind_in_journey(CJM_GAP));
    for (int a = 0; a < CJM_ATTR_COUNT; a++) {
        cjm_attr back;
        const char *name = cjm_attr_name((cjm_attr)a);
        assert_non_null(name);
        assert_ok(cjm_attr_lookup(name, &back));
        assert_int_equal(back, a);
        if (cjm_attr_type((cjm_attr)a) == CJM_TYPE_INT) {
            int n = cjm_enum_count((cjm_attr)a);
            assert_true(n >= 2);
            for (int v = 0; v < n; v++) {
                int got;
                assert_ok(cjm_enum_lookup((cjm_attr)a, cjm_enum_name((cjm_attr)a, v), &got));
                assert_int_equal(got, v);
            }
            assert_null(cjm_enum_name((cjm_attr)a, n));
        } else {
            assert_int_equal(cjm_enum_count((cjm_attr)a), 0);
        }
    }
    assert_string_equal(cjm_enum_name(CJM_ATTR_CHANNEL_KIND, CJM_CHANNEL_HUMAN), "human");
    assert_string_equal(cjm_enum_name(CJM_ATTR_DEVIATION, CJM_DEVIATION_ADHOC), "ad-hoc");
    assert_cjm_error(cjm_enum_lookup(CJM_ATTR_NEED, "love", NULL), CJM_ENOTFOUND);
    assert_cjm_error(cjm_enum_lookup(CJM_ATTR_LABEL, "x", NULL), CJM_ENOTFOUND);
    assert_cjm_error(cjm_attr_lookup("colour", NULL), CJM_ENOTFOUND);
    assert_int_equal(cjm_attr_type(CJM_ATTR_COUNT), -1);
    assert_null(cjm_attr_name(CJM_ATTR_COUNT));
    assert_false(cjm_kind_has_attr(CJM_KIND_COUNT, CJM_ATTR_LABEL));
}

static void moving_reorders_stages(void **state)
{
    (void)state;
    cjm_map *map = new_map();
    cjm_journey *j = small_journey(map), *other;
    cjm_item *pay;
    assert_ok(cjm_journey_add(j, CJM_STAGE, "pay", &pay));
    assert_ok(cjm_journey_move(j, pay, 0));
    assert_string_equal(cjm_item_id(cjm_journey_at(j, CJM_STAGE, 0)), "pay");
    assert_string_equal(cjm_item_id(cjm_journey_at(j, CJM_STAGE, 1)), "discover");
    assert_int_equal(cjm_item_index(cjm_journey_find(j, "buy")), 2);
    assert_ok(cjm_journey_move(j, pay, 99));
    assert_string_equal(cjm_item_id(cjm_journey_at(j, CJM_STAGE, 2)), "pay");
    assert_int_equal(cjm_item_index(pay), 2);
    assert_int_equal(cjm_item_index(cjm_journey_find(j, "discover")), 0);
    assert_ok(cjm_map_add_journey(map, "other", &other));
    assert_cjm_error(cjm_journey_move(other, pay, 0), CJM_EINVAL);
    cjm_map_free(map);
}

static void removing_a_touchpoint_takes_its_transitions_and_annotations(void **state)
{
    (void)state;
    cjm_map *map = new_map();
    cjm_journey *j = small_journey(map);
    cjm_item *it, *op;
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "c", NULL));
    assert_ok(cjm_journey_add(j, CJM_TRANSITION, "b-c", &it));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_FROM, "b"));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TO, "c"));
    assert_ok(cjm_journey_add(j, CJM_PAINPOINT, "slow", &it));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TARGET, "b"));
    assert_ok(cjm_journey_add(j, CJM_GAP, "late", &it));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TARGET, "a-b"));
    assert_ok(cjm_journey_add(j, CJM_GAP, "elsewhere", &it));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TARGET, "a"));
    assert_ok(cjm_journey_add(j, CJM_OPPORTUNITY, "fix", &op));
    assert_ok(cjm_item_list_add(op, CJM_ATTR_LINKS, "slow"));
    assert_ok(cjm_item_list_add(op, CJM_ATTR_LINKS, "late"));
    assert_ok(cjm_item_list_add(op, CJM_ATTR_LINKS, "elsewhere"));

    assert_ok(cjm_journey_remove(j, cjm_journey_find(j, "b")));
    assert_null(cjm_journey_find(j, "b"));
    assert_null(cjm_journey_find(j, "a-b"));
    assert_null(cjm_journey_find(j, "b-c"));
    assert_null(cjm_journey_find(j, "slow"));
    assert_null(cjm_journey_find(j, "late"));
    assert_non_null(cjm_journey_find(j, "elsewhere"));
    assert_int_equal(cjm_journey_count(j, CJM_TRANSITION), 0);
    assert_int_equal(cjm_journey_count(j, CJM_TOUCHPOINT), 2);
    assert_int_equal(cjm_item_index(cjm_journey_find(j, "c")), 1);
    assert_int_equal(cjm_item_list_count(op, CJM_ATTR_LINKS), 1);
    assert_string_equal(cjm_item_list_at(op, CJM_ATTR_LINKS, 0), "elsewhere");

    /* removing the last linked gap leaves the opportunity, without links */
    assert_ok(cjm_journey_remove(j, cjm_journey_find(j, "elsewhere")));
    assert_non_null(cjm_journey_find(j, "fix"));
    assert_false(cjm_item_has(op, CJM_ATTR_LINKS));
    /* removing a stage leaves its touchpoints */
    assert_ok(cjm_journey_remove(j, cjm_journey_find(j, "discover")));
    assert_string_equal(cjm_item_text(cjm_journey_find(j, "a"), CJM_ATTR_STAGE), "discover");
    assert_cjm_error(cjm_journey_remove(j, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_map_remove(map, op), CJM_EINVAL);
    assert_cjm_error(cjm_journey_remove(NULL, op), CJM_EINVAL);
    cjm_map_free(map);
}

static const cjm_problem *find_problem(const cjm_problems *p, const char *code,
                                       const char *item)
{
    for (size_t i = 0; i < cjm_problems_count(p); i++) {
        const cjm_problem *q = cjm_problems_at(p, i);
        if (strcmp(q->code, code) == 0 && (!item || (q->item && strcmp(q->item, item) == 0)))
            return q;
    }
    return NULL;
}

static void a_sound_map_validates_without_problems(void **state)
{
    (void)state;
    cjm_map *map = new_map();
    cjm_problems *p;
    small_journey(map);
    assert_ok(cjm_map_validate(map, &p));
    for (size_t i = 0; i < cjm_problems_count(p); i++)
        print_message("unexpected: %s\n", cjm_problems_at(p, i)->message);
    assert_int_equal(cjm_problems_count(p), 0);
    assert_null(cjm_problems_at(p, 0));
    cjm_problems_free(p);
    assert_cjm_error(cjm_map_validate(map, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_map_validate(NULL, &p), CJM_EINVAL);
    assert_null(p);
    cjm_map_free(map);
}

static void validation_reports_every_kind_of_problem(void **state)
{
    (void)state;
    cjm_map *map = new_map();
    cjm_journey *j = small_journey(map), *act;
    cjm_item *it;
    cjm_problems *p;
    const cjm_problem *q;

    it = cjm_journey_find(j, "a");
    assert_ok(cjm_item_set_text(it, CJM_ATTR_CHANNEL, "fax"));        /* dangling */
    assert_ok(cjm_item_set_text(it, CJM_ATTR_INITIATOR, "web"));      /* wrong kind */
    assert_ok(cjm_item_set_number(it, CJM_ATTR_PERCEIVED, 7));        /* out of range */
    assert_ok(cjm_item_set_number(it, CJM_ATTR_EMOTION, -3));         /* out of range */
    assert_ok(cjm_item_list_add(it, CJM_ATTR_SITUATIONS, "sunny"));   /* dangling */
    cjm_item_set_location(it, 12, 5);
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "floating", NULL)); /* no stage */
    assert_ok(cjm_journey_add(j, CJM_TRANSITION, "back", &it));       /* against order */
    assert_ok(cjm_item_set_text(it, CJM_ATTR_FROM, "b"));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TO, "a"));
    assert_ok(cjm_item_set_number(it, CJM_ATTR_PROBABILITY, 0.6));
    assert_ok(cjm_journey_add(j, CJM_TRANSITION, "loop", &it));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_FROM, "b"));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TO, "b"));
    assert_ok(cjm_item_set_number(it, CJM_ATTR_PROBABILITY, 0.6)); /* sum 1.2 at b */
    assert_ok(cjm_journey_add(j, CJM_TRANSITION, "half", &it));    /* no endpoint */
    assert_ok(cjm_item_set_text(it, CJM_ATTR_FROM, "a"));
    assert_ok(cjm_journey_add(j, CJM_PAINPOINT, "pp", &it));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TARGET, "discover"));  /* a stage */
    assert_ok(cjm_item_set_number(it, CJM_ATTR_SEVERITY, 0));
    assert_ok(cjm_journey_add(j, CJM_PAINPOINT, "loose", NULL));    /* no target */
    assert_ok(cjm_journey_add(j, CJM_GAP, "g", &it));               /* no gap kind */
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TARGET, "a"));
    assert_ok(cjm_journey_add(j, CJM_GAP, "dev", &it));             /* deviation without kind */
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TARGET, "a"));
    assert_ok(cjm_item_set_int(it, CJM_ATTR_GAP_KIND, CJM_GAP_DEVIATION));
    assert_ok(cjm_journey_add(j, CJM_OPPORTUNITY, "op", &it));
    assert_ok(cjm_item_list_add(it, CJM_ATTR_LINKS, "a"));          /* not an annotation */
    assert_ok(cjm_item_list_add(it, CJM_ATTR_LINKS, "ghost"));
    assert_ok(cjm_journey_set_persona(j, "nobody"));
    assert_ok(cjm_map_add(map, CJM_CHANNEL, "odd", &it));
    assert_ok(cjm_map_add_journey(map, "act", &act));
    assert_ok(cjm_journey_set_status(act, CJM_STATUS_ACTUAL));

    assert_ok(cjm_map_validate(map, &p));
    q = find_problem(p, "dangling-ref", "a");
    assert_non_null(q);
    assert_int_equal(q->severity, CJM_SEVERITY_ERROR);
    assert_string_equal(q->journey, "order");
    assert_int_equal(q->line, 12);
    assert_int_equal(q->column, 5);
    assert_non_null(strstr(q->message, "fax"));
    assert_non_null(find_problem(p, "wrong-kind", "a"));
    q = find_problem(p, "out-of-range", "a");
    assert_non_null(q);
    assert_non_null(strstr(q->message, "perceived"));
    assert_non_null(find_problem(p, "no-stage", "floating"));
    q = find_problem(p, "against-stage-order", "back");
    assert_non_null(q);
    assert_int_equal(q->severity, CJM_SEVERITY_WARNING);
    assert_non_null(find_problem(p, "probability-sum", "b"));
    assert_non_null(find_problem(p, "missing-endpoint", "half"));
    assert_non_null(find_problem(p, "wrong-kind", "pp"));
    assert_non_null(find_problem(p, "out-of-range", "pp"));
    assert_non_null(find_problem(p, "no-target", "loose"));
    assert_non_null(find_problem(p, "gap-kind", "g"));
    assert_non_null(find_problem(p, "gap-kind", "dev"));
    assert_non_null(find_problem(p, "wrong-kind", "op"));
    assert_non_null(find_problem(p, "dangling-ref", "op"));
    assert_non_null(find_problem(p, "no-plan", NULL));
    q = find_problem(p, "dangling-ref", NULL);
    assert_non_null(q);
    assert_true(cjm_problems_errors(p) > 0);
    assert_true(cjm_problems_errors(p) < cjm_problems_count(p));
    cjm_problems_free(p);

    /* an actual journey that follows another actual journey, and a dangling plan */
    assert_ok(cjm_journey_set_follows(act, "act"));
    assert_ok(cjm_map_validate(map, &p));
    assert_non_null(find_problem(p, "wrong-kind", NULL));
    cjm_problems_free(p);
    assert_ok(cjm_journey_set_follows(act, "gone"));
    assert_ok(cjm_map_validate(map, &p));
    q = find_problem(p, "dangling-ref", NULL);
    assert_non_null(q);
    cjm_problems_free(p);
    cjm_map_free(map);
}

/* The number of problems with `code` about item `item`. */
static size_t count_problems(const cjm_problems *p, const char *code, const char *item)
{
    size_t n = 0;
    for (size_t i = 0; i < cjm_problems_count(p); i++) {
        const cjm_problem *q = cjm_problems_at(p, i);
        n += strcmp(q->code, code) == 0 && q->item && strcmp(q->item, item) == 0;
    }
    return n;
}

/*
 * Validation finds the touchpoints of transitions listed as a chain, and the
 * channels of touchpoints that take turns among many, without always asking
 * the tables: what it reports must not depend on that, whether the chain
 * holds, breaks, names ids that begin alike or follows touchpoints moved.
 */
static void chains_and_recurring_ids_validate_like_any_other(void **state)
{
    (void)state;
    cjm_map *map = new_map();
    cjm_journey *j;
    cjm_item *it;
    cjm_problems *p;
    const cjm_problem *q;
    char id[32], from[32], to[32];
    for (int i = 0; i < 10; i++) {
        snprintf(id, sizeof id, "c%d", i);
        assert_ok(cjm_map_add(map, CJM_CHANNEL, id, NULL));
    }
    assert_ok(cjm_map_add(map, CJM_ACTOR, "c10", NULL)); /* an actor named like a channel */
    assert_ok(cjm_map_add_journey(map, "chain", &j));
    assert_ok(cjm_journey_add(j, CJM_STAGE, "early", NULL));
    assert_ok(cjm_journey_add(j, CJM_STAGE, "late", NULL));
    for (int i = 0; i < 24; i++) {
        snprintf(id, sizeof id, "t%d", i);
        assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, id, &it));
        assert_ok(cjm_item_set_text(it, CJM_ATTR_STAGE, i < 12 ? "early" : "late"));
        /* eleven channels in turn, the last an actor and then a channel no more */
        snprintf(id, sizeof id, "c%d", i % 11);
        assert_ok(cjm_item_set_text(it, CJM_ATTR_CHANNEL, id));
    }
    /* t0 -> t1 -> ... -> t23, with t5 -> t50 (no such touchpoint) in the middle
     * and t2 -> t20 (an id beginning like the guess t3) and t13 -> t1 (back
     * to the early stage) leaving the chain */
    for (int i = 0; i < 23; i++) {
        snprintf(id, sizeof id, "r%d", i);
        snprintf(from, sizeof from, "t%d", i);
        snprintf(to, sizeof to, "t%d", i == 5 ? 50 : i == 2 ? 20 : i == 13 ? 1 : i + 1);
        assert_ok(cjm_journey_add(j, CJM_TRANSITION, id, &it));
        assert_ok(cjm_item_set_text(it, CJM_ATTR_FROM, from));
        assert_ok(cjm_item_set_text(it, CJM_ATTR_TO, to));
        assert_ok(cjm_item_set_number(it, CJM_ATTR_PROBABILITY, 0.6));
    }
    /* a second transition leaving t20, right after the one that entered it */
    assert_ok(cjm_journey_add(j, CJM_TRANSITION, "again", &it));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_FROM, "t20"));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TO, "t21"));
    assert_ok(cjm_item_set_number(it, CJM_ATTR_PROBABILITY, 0.6));

    assert_ok(cjm_map_validate(map, &p));
    q = find_problem(p, "dangling-ref", "r5");
    assert_non_null(q);
    assert_string_equal(q->message, "transition r5: to 't50' does not exist");
    q = find_problem(p, "against-stage-order", "r13");
    assert_non_null(q);
    assert_string_equal(q->message, "transition r13 goes back from stage late to stage early");
    assert_int_equal(count_problems(p, "against-stage-order", "r2"), 0);
    q = find_problem(p, "probability-sum", "t20");
    assert_non_null(q);
    assert_string_equal(q->message,
                        "the probabilities of the transitions leaving t20 add up to 1.2, above 1");
    assert_int_equal(count_problems(p, "probability-sum", "t21"), 0);
    /* the actor is a wrong channel each of the two times it is named */
    assert_int_equal(count_problems(p, "wrong-kind", "t10"), 1);
    assert_int_equal(count_problems(p, "wrong-kind", "t21"), 1);
    assert_int_equal(cjm_problems_count(p), 5);
    cjm_problems_free(p);

    /* the touchpoint listed after t3 is no longer t4, and the actor is gone */
    assert_ok(cjm_journey_move(j, cjm_journey_find(j, "t4"), 0));
    assert_ok(cjm_map_remove(map, cjm_map_find(map, "c10")));
    assert_ok(cjm_map_validate(map, &p));
    assert_int_equal(count_problems(p, "dangling-ref", "t10"), 1);
    assert_int_equal(count_problems(p, "dangling-ref", "t21"), 1);
    assert_int_equal(count_problems(p, "dangling-ref", "r5"), 1);
    assert_int_equal(count_problems(p, "against-stage-order", "r13"), 1);
    assert_int_equal(count_problems(p, "probability-sum", "t20"), 1);
    assert_int_equal(cjm_problems_count(p), 5);
    cjm_problems_free(p);
    cjm_map_free(map);
}

static void many_items_stay_findable(void **state)
{
    (void)state;
    cjm_map *map = new_map();
    cjm_journey *j;
    char id[32];
    assert_ok(cjm_map_add_journey(map, "big", &j));
    for (int i = 0; i < 20000; i++) {
        snprintf(id, sizeof id, "tp%d", i);
        assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, id, NULL));
    }
    for (int i = 0; i < 20000; i += 3) {
        snprintf(id, sizeof id, "tp%d", i);
        assert_ok(cjm_journey_remove(j, cjm_journey_find(j, id)));
    }
    for (int i = 0; i < 20000; i++) {
        cjm_item *it;
        snprintf(id, sizeof id, "tp%d", i);
        it = cjm_journey_find(j, id);
        if (i % 3 == 0)
            assert_null(it);
        else {
            assert_non_null(it);
            assert_ptr_equal(cjm_journey_at(j, CJM_TOUCHPOINT, cjm_item_index(it)), it);
        }
    }
    cjm_map_free(map);
}

/* Build → validate → free with a failing allocator: a clean error, no leak. */
static int build_validate_cycle(const cjm_allocator *alloc, void *ctx)
{
    cjm_map *map = NULL;
    cjm_journey *j;
    cjm_item *it;
    cjm_problems *p = NULL;
    cjm_kpi k = {"CSAT", 4, 4.5, "2020-03-01"};
    int rc;
#define TRY(x)              \
    if ((rc = (x)) != 0) \
        goto out
    TRY(cjm_map_new(&map, alloc));
    if (ctx)
        cjm__pool_one_per_block(&map->pool);
    TRY(cjm_map_set_title(map, "title"));
    TRY(cjm_map_add(map, CJM_CHANNEL, "web", &it));
    TRY(cjm_item_set_int(it, CJM_ATTR_CHANNEL_KIND, CJM_CHANNEL_SELF_SERVICE));
    TRY(cjm_map_add_journey(map, "j", &j));
    TRY(cjm_journey_set_label(j, "label"));
    TRY(cjm_journey_add(j, CJM_STAGE, "s1", NULL));
    TRY(cjm_journey_add(j, CJM_STAGE, "s2", NULL));
    for (int i = 0; i < 12; i++) {
        char id[16];
        snprintf(id, sizeof id, "t%d", i);
        TRY(cjm_journey_add(j, CJM_TOUCHPOINT, id, &it));
        TRY(cjm_item_set_text(it, CJM_ATTR_STAGE, i < 6 ? "s1" : "s2"));
        TRY(cjm_item_set_text(it, CJM_ATTR_CHANNEL, i % 2 ? "web" : "phone"));
        TRY(cjm_item_set_number(it, CJM_ATTR_PERCEIVED, 1 + i % 5));
        TRY(cjm_item_list_add(it, CJM_ATTR_SITUATIONS, "calm"));
        TRY(cjm_item_kpi_add(it, &k));
        if (i > 0) {
            char from[16];
            snprintf(from, sizeof from, "t%d", i - 1);
            TRY(cjm_journey_add(j, CJM_TRANSITION, NULL, &it));
            TRY(cjm_item_set_text(it, CJM_ATTR_FROM, from));
            TRY(cjm_item_set_text(it, CJM_ATTR_TO, id));
        }
    }
    /* the setters a reader uses, shared and own copies */
    TRY(cjm_journey_add(j, CJM_TOUCHPOINT, "tb", &it));
    TRY(cjm__item_put_ref(it, CJM_ATTR_STAGE, "s2", 2));
    TRY(cjm__item_put_ref(it, CJM_ATTR_RECEIVER, "web", 3));
    TRY(cjm__item_list_put(it, CJM_ATTR_SITUATIONS, "calm", 4));
    TRY(cjm_journey_add(j, CJM_TOUCHPOINT, "tc", &it));
    TRY(cjm__item_put_number(it, CJM_ATTR_EMOTION, 1));
    TRY(cjm_journey_add(j, CJM_TOUCHPOINT, "td", &it));
    TRY(cjm__item_put_int(it, CJM_ATTR_NEED, CJM_NEED_TRUST));
    TRY(cjm_journey_add(j, CJM_PAINPOINT, "pp", &it));
    TRY(cjm__item_put_ref(it, CJM_ATTR_TARGET, "t3", 2));
    TRY(cjm_journey_add(j, CJM_OPPORTUNITY, "op", &it));
    TRY(cjm_item_list_add(it, CJM_ATTR_LINKS, "pp"));
    TRY(cjm_journey_remove(j, cjm_journey_find(j, "t3")));
    TRY(cjm_map_validate(map, &p));
    rc = cjm_problems_count(p) > 0 ? 0 : -100; /* dangling channel "phone" is expected */
out:
#undef TRY
    cjm_problems_free(p);
    cjm_map_free(map);
    return rc;
}

static void every_failed_allocation_gives_a_clean_error_and_no_leak(void **state)
{
    (void)state;
    long runs = test_oom_loop(build_validate_cycle, NULL, 0);
    long runs_persistent = test_oom_loop(build_validate_cycle, NULL, 1);
    print_message("build-validate-free: %ld allocations failed in turn (%ld persistent)\n",
                  runs - 1, runs_persistent - 1);
    assert_true(runs > 10);
}

/*
 * The map takes its small blocks from a pool that asks the allocator for a
 * chunk now and then, so the cycle above fails few allocations. With a
 * chunk per block, each item, slot array, string, list and KPI is an
 * allocation of its own again, and each can fail.
 */
static void every_failed_block_gives_a_clean_error_and_no_leak(void **state)
{
    (void)state;
    int one_per_block = 1;
    long runs = test_oom_loop(build_validate_cycle, &one_per_block, 0);
    long runs_persistent = test_oom_loop(build_validate_cycle, &one_per_block, 1);
    print_message("build-validate-free, a chunk per block: %ld allocations failed in turn "
                  "(%ld persistent)\n",
                  runs - 1, runs_persistent - 1);
    assert_true(runs > 200);
}

/* Blocks given back are used again: a map edited for long does not grow. */
static void freed_blocks_are_used_again(void **state)
{
    (void)state;
    test_alloc t;
    cjm_map *map;
    cjm_journey *j;
    cjm_item *it;
    char big[600];
    long calls, live = 0;
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    test_alloc_init(&t, 0, 0);
    assert_ok(cjm_map_new(&map, &t.base));
    assert_ok(cjm_map_add_journey(map, "j", &j));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "t", &it));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_LABEL, "first"));
    assert_ok(cjm_item_list_add(it, CJM_ATTR_SITUATIONS, "a"));
    calls = t.calls;
    for (int i = 0; i < 10000; i++) {
        char id[32];
        snprintf(id, sizeof id, "t%d", i % 7);
        assert_ok(cjm_item_set_text(it, CJM_ATTR_LABEL, i % 2 ? "a longer label" : "short"));
        assert_ok(cjm_item_set_text(it, CJM_ATTR_DESCRIPTION, big));
        assert_ok(cjm_item_list_add(it, CJM_ATTR_SITUATIONS, "b"));
        assert_ok(cjm_item_list_remove(it, CJM_ATTR_SITUATIONS, "b"));
        assert_ok(cjm_journey_add(j, CJM_STAGE, id, NULL));
        assert_ok(cjm_journey_remove(j, cjm_journey_find(j, id)));
        if (i == 0)
            live = t.live;
    }
    /* only the description, too big for the pool, is an allocation each time */
    assert_true(t.calls - calls <= 10000 * 2 + 16);
    assert_int_equal(t.live, live);
    assert_string_equal(cjm_item_text(it, CJM_ATTR_DESCRIPTION), big);
    assert_string_equal(cjm_item_text(it, CJM_ATTR_LABEL), "a longer label");
    assert_int_equal(cjm_item_list_count(it, CJM_ATTR_SITUATIONS), 1);
    cjm_map_free(map);
    assert_int_equal(t.live, 0);
}

static void the_allocator_given_is_the_one_used(void **state)
{
    (void)state;
    test_alloc t;
    cjm_map *map;
    test_alloc_init(&t, 0, 0);
    assert_ok(cjm_map_new(&map, &t.base));
    assert_ok(cjm_map_add(map, CJM_ACTOR, "a", NULL));
    assert_true(t.calls >= 3);
    assert_true(t.live >= 3);
    cjm_map_free(map);
    assert_int_equal(t.live, 0);
}

/* Stages, channels, actors and situations named by many items are shared
 * copies: each stays right while others that name it come and go. */
static void often_named_ids_stay_right_as_items_come_and_go(void **state)
{
    (void)state;
    test_alloc t;
    cjm_map *map;
    cjm_journey *j;
    cjm_item *tp[20];
    char long_id[257];
    memset(long_id, 'c', 256);
    long_id[256] = '\0';
    test_alloc_init(&t, 0, 0);
    assert_ok(cjm_map_new(&map, &t.base));
    assert_ok(cjm_map_add_journey(map, "j", &j));
    for (int i = 0; i < 20; i++) {
        char id[16];
        snprintf(id, sizeof id, "t%d", i);
        assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, id, &tp[i]));
        assert_ok(cjm_item_set_text(tp[i], CJM_ATTR_CHANNEL, i % 2 ? "web" : long_id));
        assert_ok(cjm_item_set_text(tp[i], CJM_ATTR_STAGE, "s"));
        assert_ok(cjm_item_list_add(tp[i], CJM_ATTR_SITUATIONS, "busy"));
        assert_ok(cjm_item_list_add(tp[i], CJM_ATTR_SITUATIONS, i % 3 ? "calm" : long_id));
    }
    for (int i = 0; i < 20; i += 2)
        assert_ok(cjm_journey_remove(j, tp[i]));
    assert_ok(cjm_item_set_text(tp[1], CJM_ATTR_CHANNEL, "app"));
    assert_ok(cjm_item_list_remove(tp[3], CJM_ATTR_SITUATIONS, "busy"));
    assert_ok(cjm_item_set_text(tp[5], CJM_ATTR_CHANNEL, long_id));
    for (int i = 1; i < 20; i += 2) {
        assert_string_equal(cjm_item_text(tp[i], CJM_ATTR_CHANNEL),
                            i == 1 ? "app" : i == 5 ? long_id : "web");
        assert_string_equal(cjm_item_text(tp[i], CJM_ATTR_STAGE), "s");
        assert_int_equal(cjm_item_list_count(tp[i], CJM_ATTR_SITUATIONS), i == 3 ? 1 : 2);
        assert_true(cjm_item_list_contains(tp[i], CJM_ATTR_SITUATIONS, i % 3 ? "calm" : long_id));
    }
    assert_ok(cjm_item_set_text(tp[5], CJM_ATTR_CHANNEL, NULL));
    assert_null(cjm_item_text(tp[5], CJM_ATTR_CHANNEL));
    assert_string_equal(cjm_item_text(tp[7], CJM_ATTR_CHANNEL), "web");
    cjm_map_free(map);
    assert_int_equal(t.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(map_new_rejects_null_and_free_null_is_a_no_op),
        cmocka_unit_test(map_metadata_is_set_read_and_cleared),
        cmocka_unit_test(definitions_are_found_by_id_and_kept_in_order),
        cmocka_unit_test(ids_are_unique_and_checked),
        cmocka_unit_test(journeys_carry_their_own_attributes),
        cmocka_unit_test(attributes_are_typed_and_belong_to_kinds),
        cmocka_unit_test(lists_hold_ids_once),
        cmocka_unit_test(kpis_form_a_series_and_are_checked),
        cmocka_unit_test(names_of_kinds_attributes_and_values_round_trip),
        cmocka_unit_test(moving_reorders_stages),
        cmocka_unit_test(removing_a_touchpoint_takes_its_transitions_and_annotations),
        cmocka_unit_test(a_sound_map_validates_without_problems),
        cmocka_unit_test(validation_reports_every_kind_of_problem),
        cmocka_unit_test(chains_and_recurring_ids_validate_like_any_other),
        cmocka_unit_test(many_items_stay_findable),
        cmocka_unit_test(every_failed_allocation_gives_a_clean_error_and_no_leak),
        cmocka_unit_test(every_failed_block_gives_a_clean_error_and_no_leak),
        cmocka_unit_test(freed_blocks_are_used_again),
        cmocka_unit_test(often_named_ids_stay_right_as_items_come_and_go),
        cmocka_unit_test(the_allocator_given_is_the_one_used),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
