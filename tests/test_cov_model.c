/*
 * The model's argument checks, accessors and setters on their bad paths:
 * NULL handles, kinds and attributes out of range, attributes a kind lacks
 * or of another type, values a setter refuses, items of another map or
 * journey, and the validation findings that need an odd model to appear.
 * Every refusal returns its documented code, records it as the last error
 * and leaves the model as it was.
 */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_access.h"
#include "model/model_internal.h"

#define BAD_KIND ((cjm_kind)-1)
#define BAD_ATTR ((cjm_attr)-1)

static void assert_message_has(const char *needle)
{
    const char *m = cjm_error_last()->message;
    if (!strstr(m, needle))
        fail_msg("expected '%s' in the message '%s'", needle, m);
}

static void kinds_attributes_and_enumerations_answer_values_out_of_range(void **state)
{
    (void)state;
    cjm_kind k = CJM_STAGE;
    cjm_attr a = CJM_ATTR_LABEL;
    int v = -7;

    assert_null(cjm_kind_name(BAD_KIND));
    assert_null(cjm_kind_name(CJM_KIND_COUNT));
    assert_string_equal(cjm_kind_name(CJM_GAP), "gap");
    assert_cjm_error(cjm_kind_lookup(NULL, &k), CJM_ENOTFOUND);
    assert_message_has("'(null)'");
    assert_cjm_error(cjm_kind_lookup("journey", &k), CJM_ENOTFOUND);
    assert_message_has("'journey'");
    assert_int_equal(k, CJM_STAGE);
    assert_ok(cjm_kind_lookup("touchpoint", NULL));
    assert_ok(cjm_kind_lookup("touchpoint", &k));
    assert_int_equal(k, CJM_TOUCHPOINT);

    assert_false(cjm_kind_in_journey(BAD_KIND));
    assert_false(cjm_kind_in_journey(CJM_KIND_COUNT));
    assert_false(cjm_kind_in_journey(CJM_SITUATION));
    assert_true(cjm_kind_in_journey(CJM_OPPORTUNITY));

    assert_false(cjm_kind_has_attr(BAD_KIND, CJM_ATTR_LABEL));
    assert_false(cjm_kind_has_attr(CJM_KIND_COUNT, CJM_ATTR_LABEL));
    assert_false(cjm_kind_has_attr(CJM_ACTOR, BAD_ATTR));
    assert_false(cjm_kind_has_attr(CJM_ACTOR, CJM_ATTR_COUNT));
    assert_false(cjm_kind_has_attr(CJM_ACTOR, CJM_ATTR_STAGE));
    assert_true(cjm_kind_has_attr(CJM_ACTOR, CJM_ATTR_ROLE));

    assert_null(cjm_attr_name(BAD_ATTR));
    assert_null(cjm_attr_name(CJM_ATTR_COUNT));
    assert_string_equal(cjm_attr_name(CJM_ATTR_LINKS), "links");
    assert_cjm_error(cjm_attr_lookup(NULL, &a), CJM_ENOTFOUND);
    assert_message_has("'(null)'");
    assert_cjm_error(cjm_attr_lookup("colour", &a), CJM_ENOTFOUND);
    assert_int_equal(a, CJM_ATTR_LABEL);
    assert_ok(cjm_attr_lookup("severity", NULL));
    assert_ok(cjm_attr_lookup("severity", &a));
    assert_int_equal(a, CJM_ATTR_SEVERITY);
    assert_int_equal(cjm_attr_type(BAD_ATTR), -1);
    assert_int_equal(cjm_attr_type(CJM_ATTR_COUNT), -1);
    assert_int_equal(cjm_attr_type(CJM_ATTR_LINKS), CJM_TYPE_LIST);

    assert_int_equal(cjm_enum_count(BAD_ATTR), 0);
    assert_int_equal(cjm_enum_count(CJM_ATTR_COUNT), 0);
    assert_int_equal(cjm_enum_count(CJM_ATTR_LABEL), 0);
    assert_int_equal(cjm_enum_count(CJM_ATTR_ROLE), 5);
    assert_null(cjm_enum_name(CJM_ATTR_ROLE, -1));
    assert_null(cjm_enum_name(CJM_ATTR_ROLE, 5));
    assert_null(cjm_enum_name(BAD_ATTR, 0));
    assert_string_equal(cjm_enum_name(CJM_ATTR_ROLE, CJM_ROLE_SYSTEM), "system");
    assert_cjm_error(cjm_enum_lookup(CJM_ATTR_ROLE, NULL, &v), CJM_ENOTFOUND);
    assert_message_has("'(null)' is not a value of role");
    assert_cjm_error(cjm_enum_lookup(CJM_ATTR_LABEL, "x", &v), CJM_ENOTFOUND);
    assert_message_has("has no named values");
    assert_cjm_error(cjm_enum_lookup(BAD_ATTR, "x", &v), CJM_ENOTFOUND);
    assert_int_equal(v, -7);
    assert_ok(cjm_enum_lookup(CJM_ATTR_ROLE, "partner", NULL));
    assert_ok(cjm_enum_lookup(CJM_ATTR_ROLE, "partner", &v));
    assert_int_equal(v, CJM_ROLE_PARTNER);
}

static void map_functions_refuse_null_and_what_is_not_theirs(void **state)
{
    (void)state;
    cjm_map *m = NULL, *other = NULL;
    cjm_journey *j = NULL, *jo = NULL;
    cjm_item *actor = NULL, *foreign = NULL, *tp = NULL, *out = NULL;

    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_new(&other, NULL));
    assert_ok(cjm_map_add(m, CJM_ACTOR, "customer", &actor));
    assert_ok(cjm_map_add(other, CJM_ACTOR, "customer", &foreign));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    assert_ok(cjm_map_add_journey(other, "j", &jo));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "tp", &tp));

    assert_null(cjm_map_title(NULL));
    assert_null(cjm_map_description(NULL));
    assert_null(cjm_map_language(NULL));
    assert_cjm_error(cjm_map_set_title(NULL, "t"), CJM_EINVAL);
    assert_message_has("map is NULL");
    assert_cjm_error(cjm_map_set_description(NULL, "d"), CJM_EINVAL);
    assert_cjm_error(cjm_map_set_language(NULL, "sv"), CJM_EINVAL);
    assert_cjm_error(cjm_map_set_language(m, "en GB"), CJM_EINVAL);
    assert_message_has("the language tag 'en GB' is not a valid id");
    assert_null(cjm_map_language(m));
    assert_ok(cjm_map_set_language(m, "nl-NL"));
    assert_ok(cjm_map_set_language(m, NULL));
    assert_null(cjm_map_language(m));

    assert_cjm_error(cjm_map_add(NULL, CJM_ACTOR, "a", &out), CJM_EINVAL);
    assert_cjm_error(cjm_map_add(m, BAD_KIND, "a", &out), CJM_EINVAL);
    assert_message_has("is not a kind");
    assert_cjm_error(cjm_map_add(m, CJM_KIND_COUNT, "a", &out), CJM_EINVAL);
    assert_cjm_error(cjm_map_add(m, CJM_STAGE, "a", &out), CJM_EINVAL);
    assert_message_has("an item of kind stage belongs to a journey");
    assert_null(out);
    assert_int_equal(cjm_map_count(m, CJM_ACTOR), 1);

    assert_null(cjm_map_find(NULL, "customer"));
    assert_null(cjm_map_find(m, NULL));
    assert_null(cjm_map_find(m, "j")); /* a journey shares the namespace but is no definition */
    assert_ptr_equal(cjm_map_find(m, "customer"), actor);
    assert_int_equal(cjm_map_count(NULL, CJM_ACTOR), 0);
    assert_int_equal(cjm_map_count(m, BAD_KIND), 0);
    assert_int_equal(cjm_map_count(m, CJM_TOUCHPOINT), 0);
    assert_null(cjm_map_at(NULL, CJM_ACTOR, 0));
    assert_null(cjm_map_at(m, BAD_KIND, 0));
    assert_null(cjm_map_at(m, CJM_STAGE, 0));
    assert_null(cjm_map_at(m, CJM_ACTOR, 1));
    assert_ptr_equal(cjm_map_at(m, CJM_ACTOR, 0), actor);

    assert_cjm_error(cjm_map_remove(NULL, actor), CJM_EINVAL);
    assert_cjm_error(cjm_map_remove(m, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_map_remove(m, foreign), CJM_EINVAL);
    assert_message_has("not a definition of this map");
    assert_cjm_error(cjm_map_remove(m, tp), CJM_EINVAL);
    assert_ptr_equal(cjm_journey_find(j, "tp"), tp);
    assert_int_equal(cjm_map_count(m, CJM_ACTOR), 1);

    assert_cjm_error(cjm_map_add_journey(NULL, "k", NULL), CJM_EINVAL);
    assert_cjm_error(cjm_map_add_journey(m, "", NULL), CJM_EINVAL);
    assert_message_has("is not a valid journey id");
    assert_cjm_error(cjm_map_add_journey(m, "customer", NULL), CJM_EEXISTS);
    assert_int_equal(cjm_map_journey_count(m), 1);
    assert_null(cjm_map_journey(NULL, "j"));
    assert_null(cjm_map_journey(m, NULL));
    assert_null(cjm_map_journey(m, "customer")); /* a definition is no journey */
    assert_null(cjm_map_journey(m, "nowhere"));
    assert_int_equal(cjm_map_journey_count(NULL), 0);
    assert_null(cjm_map_journey_at(NULL, 0));
    assert_null(cjm_map_journey_at(m, 1));
    assert_cjm_error(cjm_map_remove_journey(NULL, j), CJM_EINVAL);
    assert_cjm_error(cjm_map_remove_journey(m, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_map_remove_journey(m, jo), CJM_EINVAL);
    assert_message_has("not part of this map");
    assert_int_equal(cjm_map_journey_count(m), 1);
    assert_int_equal(cjm_map_journey_count(other), 1);

    cjm_map_free(m);
    cjm_map_free(other);
}

static void journey_functions_refuse_null_and_what_is_not_theirs(void **state)
{
    (void)state;
    cjm_map *m = NULL;
    cjm_journey *j = NULL, *k = NULL;
    cjm_item *a = NULL, *b = NULL, *elsewhere = NULL, *actor = NULL, *out = NULL;

    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add(m, CJM_ACTOR, "customer", &actor));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    assert_ok(cjm_map_add_journey(m, "k", &k));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "a", &a));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "b", &b));
    assert_ok(cjm_journey_add(k, CJM_TOUCHPOINT, "a", &elsewhere));

    assert_null(cjm_journey_map(NULL));
    assert_string_equal(cjm_journey_id(NULL), "");
    assert_null(cjm_journey_label(NULL));
    assert_null(cjm_journey_description(NULL));
    assert_null(cjm_journey_follows(NULL));
    assert_null(cjm_journey_persona(NULL));
    assert_int_equal(cjm_journey_status(NULL), CJM_STATUS_PLANNED);
    assert_cjm_error(cjm_journey_set_label(NULL, "x"), CJM_EINVAL);
    assert_message_has("journey is NULL");
    assert_cjm_error(cjm_journey_set_description(NULL, "x"), CJM_EINVAL);
    assert_cjm_error(cjm_journey_set_follows(NULL, "k"), CJM_EINVAL);
    assert_cjm_error(cjm_journey_set_persona(NULL, "p"), CJM_EINVAL);
    assert_cjm_error(cjm_journey_set_status(NULL, CJM_STATUS_ACTUAL), CJM_EINVAL);
    assert_cjm_error(cjm_journey_set_status(j, (cjm_status)7), CJM_EINVAL);
    assert_message_has("7 is not a journey status");
    assert_int_equal(cjm_journey_status(j), CJM_STATUS_PLANNED);

    assert_cjm_error(cjm_journey_add(NULL, CJM_STAGE, "s", &out), CJM_EINVAL);
    assert_cjm_error(cjm_journey_add(j, CJM_ACTOR, "s", &out), CJM_EINVAL);
    assert_message_has("an item of kind actor belongs to the map, not to a journey");
    assert_cjm_error(cjm_journey_add(j, BAD_KIND, "s", &out), CJM_EINVAL);
    assert_message_has("is not a kind");
    assert_cjm_error(cjm_journey_add(j, CJM_KIND_COUNT, "s", &out), CJM_EINVAL);
    assert_null(out);

    assert_null(cjm_journey_find(NULL, "a"));
    assert_null(cjm_journey_find(j, NULL));
    assert_int_equal(cjm_journey_count(NULL, CJM_TOUCHPOINT), 0);
    assert_int_equal(cjm_journey_count(j, CJM_ACTOR), 0);
    assert_int_equal(cjm_journey_count(j, BAD_KIND), 0);
    assert_null(cjm_journey_at(NULL, CJM_TOUCHPOINT, 0));
    assert_null(cjm_journey_at(j, CJM_CHANNEL, 0));
    assert_null(cjm_journey_at(j, CJM_TOUCHPOINT, 2));

    assert_cjm_error(cjm_journey_move(NULL, a, 0), CJM_EINVAL);
    assert_cjm_error(cjm_journey_move(j, NULL, 0), CJM_EINVAL);
    assert_cjm_error(cjm_journey_move(j, elsewhere, 0), CJM_EINVAL);
    assert_message_has("not part of journey j");
    assert_cjm_error(cjm_journey_move(j, actor, 0), CJM_EINVAL);
    assert_ptr_equal(cjm_journey_at(j, CJM_TOUCHPOINT, 0), a);
    assert_cjm_error(cjm_journey_remove(NULL, a), CJM_EINVAL);
    assert_cjm_error(cjm_journey_remove(j, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_journey_remove(j, elsewhere), CJM_EINVAL);
    assert_cjm_error(cjm_journey_remove(j, actor), CJM_EINVAL);
    assert_int_equal(cjm_journey_count(j, CJM_TOUCHPOINT), 2);
    assert_int_equal(cjm_journey_count(k, CJM_TOUCHPOINT), 1);
    assert_int_equal(cjm_map_count(m, CJM_ACTOR), 1);

    cjm_map_free(m);
}

static void item_accessors_and_setters_refuse_the_wrong_attribute(void **state)
{
    (void)state;
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_item *tp = NULL, *stage = NULL;
    double d = 42.0;
    int i = 42, line = -1, column = -1;

    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "tp", &tp));
    assert_ok(cjm_journey_add(j, CJM_STAGE, "s", &stage));

    assert_int_equal(cjm_item_kind(NULL), CJM_KIND_COUNT);
    assert_string_equal(cjm_item_id(NULL), "");
    assert_null(cjm_item_journey(NULL));
    assert_int_equal(cjm_item_index(NULL), 0);
    assert_int_equal(cjm_item_index(stage), 0);

    assert_false(cjm_item_has(NULL, CJM_ATTR_LABEL));
    assert_false(cjm_item_has(tp, CJM_ATTR_ROLE));
    assert_false(cjm_item_has(tp, BAD_ATTR));
    assert_cjm_error(cjm_item_unset(NULL, CJM_ATTR_LABEL), CJM_EINVAL);
    assert_message_has("item is NULL");
    assert_cjm_error(cjm_item_unset(tp, CJM_ATTR_ROLE), CJM_EINVAL);
    assert_message_has("a touchpoint has no attribute role");
    assert_cjm_error(cjm_item_unset(tp, BAD_ATTR), CJM_EINVAL);
    assert_message_has("(unknown)");
    assert_ok(cjm_item_unset(tp, CJM_ATTR_LABEL)); /* nothing to unset */

    /* text */
    assert_null(cjm_item_text(NULL, CJM_ATTR_LABEL));
    assert_null(cjm_item_text(tp, CJM_ATTR_ROLE));
    assert_ok(cjm_item_set_number(tp, CJM_ATTR_FREQUENCY, 3.5));
    assert_null(cjm_item_text(tp, CJM_ATTR_FREQUENCY));
    assert_cjm_error(cjm_item_set_text(NULL, CJM_ATTR_LABEL, "x"), CJM_EINVAL);
    assert_cjm_error(cjm_item_set_text(tp, CJM_ATTR_FREQUENCY, "x"), CJM_EINVAL);
    assert_message_has("attribute frequency has another type");
    assert_cjm_error(cjm_item_set_text(tp, CJM_ATTR_SITUATIONS, "x"), CJM_EINVAL);

    /* numbers */
    assert_cjm_error(cjm_item_number(NULL, CJM_ATTR_FREQUENCY, &d), CJM_EINVAL);
    assert_cjm_error(cjm_item_number(tp, CJM_ATTR_LABEL, &d), CJM_EINVAL);
    assert_cjm_error(cjm_item_number(tp, CJM_ATTR_SEVERITY, &d), CJM_EINVAL);
    assert_cjm_error(cjm_item_number(tp, CJM_ATTR_CAPACITY, &d), CJM_ENOTFOUND);
    assert_message_has("tp has no capacity");
    assert_true(d == 42.0);
    assert_ok(cjm_item_number(tp, CJM_ATTR_FREQUENCY, NULL));
    assert_cjm_error(cjm_item_set_number(NULL, CJM_ATTR_FREQUENCY, 1), CJM_EINVAL);
    assert_cjm_error(cjm_item_set_number(tp, CJM_ATTR_MOMENT_OF_TRUTH, 1), CJM_EINVAL);
    assert_cjm_error(cjm_item_set_number(tp, CJM_ATTR_FREQUENCY, NAN), CJM_EINVAL);
    assert_message_has("must be a finite number");
    assert_cjm_error(cjm_item_set_number(tp, CJM_ATTR_FREQUENCY, -INFINITY), CJM_EINVAL);
    assert_ok(cjm_item_number(tp, CJM_ATTR_FREQUENCY, &d));
    assert_true(d == 3.5);

    /* the internal quiet readers the analyses use */
    assert_int_equal(cjm__item_number(NULL, CJM_ATTR_FREQUENCY, &d), 0);
    assert_int_equal(cjm__item_number(tp, BAD_ATTR, &d), 0);
    assert_int_equal(cjm__item_number(tp, CJM_ATTR_COUNT, &d), 0);
    assert_int_equal(cjm__item_number(tp, CJM_ATTR_LABEL, &d), 0);
    assert_int_equal(cjm__item_number(tp, CJM_ATTR_CAPACITY, &d), 0);
    assert_int_equal(cjm__item_int(NULL, CJM_ATTR_VALUE, &i), 0);
    assert_int_equal(cjm__item_int(tp, BAD_ATTR, &i), 0);
    assert_int_equal(cjm__item_int(tp, CJM_ATTR_COUNT, &i), 0);
    assert_int_equal(cjm__item_int(tp, CJM_ATTR_LABEL, &i), 0);
    assert_int_equal(cjm__item_int(tp, CJM_ATTR_VALUE, &i), 0);
    assert_int_equal(i, 42);

    /* flags and enumerations */
    assert_cjm_error(cjm_item_int(NULL, CJM_ATTR_VALUE, &i), CJM_EINVAL);
    assert_cjm_error(cjm_item_int(tp, CJM_ATTR_FREQUENCY, &i), CJM_EINVAL);
    assert_cjm_error(cjm_item_int(tp, CJM_ATTR_VALUE, &i), CJM_ENOTFOUND);
    assert_int_equal(i, 42);
    assert_cjm_error(cjm_item_set_int(NULL, CJM_ATTR_VALUE, 1), CJM_EINVAL);
    assert_cjm_error(cjm_item_set_int(tp, CJM_ATTR_ROLE, 1), CJM_EINVAL);
    assert_cjm_error(cjm_item_set_int(tp, CJM_ATTR_VALUE, -1), CJM_EINVAL);
    assert_message_has("-1 is not a value of value");
    assert_cjm_error(cjm_item_set_int(tp, CJM_ATTR_COMPLEXITY, 2), CJM_EINVAL);
    assert_cjm_error(cjm_item_int(tp, CJM_ATTR_COMPLEXITY, &i), CJM_ENOTFOUND);
    assert_ok(cjm_item_set_int(tp, CJM_ATTR_MOMENT_OF_TRUTH, 1));
    assert_ok(cjm_item_int(tp, CJM_ATTR_MOMENT_OF_TRUTH, NULL));
    assert_ok(cjm_item_int(tp, CJM_ATTR_MOMENT_OF_TRUTH, &i));
    assert_int_equal(i, 1);
    assert_int_equal(cjm__item_int(tp, CJM_ATTR_MOMENT_OF_TRUTH, &i), 1);

    /* locations */
    cjm_item_location(NULL, &line, &column);
    assert_int_equal(line, 0);
    assert_int_equal(column, 0);
    cjm_item_location(tp, NULL, NULL);
    cjm_item_set_location(NULL, 3, 4);
    cjm_item_set_location(tp, -3, -4);
    cjm_item_location(tp, &line, &column);
    assert_int_equal(line, 0);
    assert_int_equal(column, 0);
    cjm_item_set_location(tp, 3, 4);
    cjm_item_location(tp, &line, NULL);
    cjm_item_location(tp, NULL, &column);
    assert_int_equal(line, 3);
    assert_int_equal(column, 4);

    cjm_map_free(m);
}

static void list_attributes_refuse_bad_ids_and_report_what_they_lack(void **state)
{
    (void)state;
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_item *tp = NULL;

    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "tp", &tp));

    assert_int_equal(cjm_item_list_count(NULL, CJM_ATTR_SITUATIONS), 0);
    assert_int_equal(cjm_item_list_count(tp, CJM_ATTR_LINKS), 0);
    assert_int_equal(cjm_item_list_count(tp, CJM_ATTR_LABEL), 0);
    assert_int_equal(cjm_item_list_count(tp, CJM_ATTR_SITUATIONS), 0);
    assert_null(cjm_item_list_at(tp, CJM_ATTR_SITUATIONS, 0));
    assert_false(cjm_item_list_contains(tp, CJM_ATTR_SITUATIONS, "home"));

    assert_cjm_error(cjm_item_list_add(NULL, CJM_ATTR_SITUATIONS, "home"), CJM_EINVAL);
    assert_cjm_error(cjm_item_list_add(tp, CJM_ATTR_LABEL, "home"), CJM_EINVAL);
    assert_cjm_error(cjm_item_list_add(tp, CJM_ATTR_LINKS, "home"), CJM_EINVAL);
    assert_cjm_error(cjm_item_list_add(tp, CJM_ATTR_SITUATIONS, NULL), CJM_EINVAL);
    assert_message_has("'(null)' is not a valid id");
    assert_cjm_error(cjm_item_list_add(tp, CJM_ATTR_SITUATIONS, "at home"), CJM_EINVAL);
    assert_false(cjm_item_has(tp, CJM_ATTR_SITUATIONS));

    assert_cjm_error(cjm_item_list_remove(NULL, CJM_ATTR_SITUATIONS, "home"), CJM_EINVAL);
    assert_cjm_error(cjm_item_list_remove(tp, CJM_ATTR_LABEL, "home"), CJM_EINVAL);
    assert_cjm_error(cjm_item_list_remove(tp, CJM_ATTR_SITUATIONS, "home"), CJM_ENOTFOUND);
    assert_message_has("situations of tp does not hold 'home'");

    assert_ok(cjm_item_list_add(tp, CJM_ATTR_SITUATIONS, "home"));
    assert_ok(cjm_item_list_add(tp, CJM_ATTR_SITUATIONS, "work"));
    assert_ok(cjm_item_list_add(tp, CJM_ATTR_SITUATIONS, "home")); /* already there */
    assert_int_equal(cjm_item_list_count(tp, CJM_ATTR_SITUATIONS), 2);
    assert_null(cjm_item_list_at(tp, CJM_ATTR_SITUATIONS, 2));
    assert_null(cjm_item_list_at(tp, CJM_ATTR_LABEL, 0));
    assert_string_equal(cjm_item_list_at(tp, CJM_ATTR_SITUATIONS, 1), "work");
    assert_false(cjm_item_list_contains(tp, CJM_ATTR_SITUATIONS, NULL));
    assert_false(cjm_item_list_contains(tp, CJM_ATTR_SITUATIONS, "away"));
    assert_cjm_error(cjm_item_list_remove(tp, CJM_ATTR_SITUATIONS, NULL), CJM_ENOTFOUND);
    assert_message_has("'(null)'");
    assert_cjm_error(cjm_item_list_remove(tp, CJM_ATTR_SITUATIONS, "away"), CJM_ENOTFOUND);
    assert_int_equal(cjm_item_list_count(tp, CJM_ATTR_SITUATIONS), 2);
    assert_ok(cjm_item_list_remove(tp, CJM_ATTR_SITUATIONS, "home"));
    assert_ok(cjm_item_list_remove(tp, CJM_ATTR_SITUATIONS, "work"));
    assert_false(cjm_item_has(tp, CJM_ATTR_SITUATIONS));
    assert_int_equal(cjm_item_list_count(tp, CJM_ATTR_SITUATIONS), 0);

    cjm_map_free(m);
}

static void a_long_list_and_long_text_outgrow_the_pool_blocks(void **state)
{
    (void)state;
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_item *tp = NULL;
    char id[32], *text;
    size_t n = 6000;

    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "tp", &tp));
    for (size_t i = 0; i < 400; i++) {
        snprintf(id, sizeof id, "situation-%zu", i);
        assert_ok(cjm_item_list_add(tp, CJM_ATTR_SITUATIONS, id));
    }
    assert_int_equal(cjm_item_list_count(tp, CJM_ATTR_SITUATIONS), 400);
    assert_string_equal(cjm_item_list_at(tp, CJM_ATTR_SITUATIONS, 399), "situation-399");
    assert_true(cjm_item_list_contains(tp, CJM_ATTR_SITUATIONS, "situation-0"));

    /* a text bigger than a pool chunk */
    text = test_malloc(n + 1);
    memset(text, 'x', n);
    text[n] = '\0';
    assert_ok(cjm_item_set_text(tp, CJM_ATTR_DESCRIPTION, text));
    assert_int_equal(strlen(cjm_item_text(tp, CJM_ATTR_DESCRIPTION)), n);
    test_free(text);
    cjm_map_free(m);
}

static void kpis_are_refused_unless_complete_and_valid(void **state)
{
    (void)state;
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_item *tp = NULL, *stage = NULL;
    cjm_kpi k;

    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "tp", &tp));
    assert_ok(cjm_journey_add(j, CJM_STAGE, "s", &stage));

    memset(&k, 0, sizeof k);
    k.name = "nps";
    k.value = 31;
    k.target = NAN;
    assert_int_equal(cjm_item_kpi_count(NULL), 0);
    assert_int_equal(cjm_item_kpi_count(tp), 0);
    assert_null(cjm_item_kpi_at(NULL, 0));
    assert_null(cjm_item_kpi_at(tp, 0));
    assert_cjm_error(cjm_item_kpi_add(NULL, &k), CJM_EINVAL);
    assert_cjm_error(cjm_item_kpi_add(stage, &k), CJM_EINVAL);
    assert_message_has("KPIs belong to touchpoints");
    assert_cjm_error(cjm_item_kpi_add(tp, NULL), CJM_EINVAL);
    k.name = NULL;
    assert_cjm_error(cjm_item_kpi_add(tp, &k), CJM_EINVAL);
    k.name = "";
    assert_cjm_error(cjm_item_kpi_add(tp, &k), CJM_EINVAL);
    k.name = "n\xffps";
    assert_cjm_error(cjm_item_kpi_add(tp, &k), CJM_EINVAL);
    assert_message_has("needs a name in UTF-8");
    k.name = "nps";
    k.value = INFINITY;
    assert_cjm_error(cjm_item_kpi_add(tp, &k), CJM_EINVAL);
    assert_message_has("the value must be a finite number");
    k.value = 31;
    k.target = -INFINITY;
    assert_cjm_error(cjm_item_kpi_add(tp, &k), CJM_EINVAL);
    assert_message_has("the target must be finite or NaN");
    k.target = 40;
    k.date = "2024-13-01";
    assert_cjm_error(cjm_item_kpi_add(tp, &k), CJM_EINVAL);
    assert_message_has("'2024-13-01' is not an ISO 8601 date");
    assert_int_equal(cjm_item_kpi_count(tp), 0);

    k.date = "2024-12-01";
    assert_ok(cjm_item_kpi_add(tp, &k));
    k.date = NULL;
    k.name = "ces";
    assert_ok(cjm_item_kpi_add(tp, &k));
    assert_int_equal(cjm_item_kpi_count(tp), 2);
    assert_null(cjm_item_kpi_at(tp, 2));
    assert_string_equal(cjm_item_kpi_at(tp, 0)->date, "2024-12-01");
    assert_null(cjm_item_kpi_at(tp, 1)->date);
    assert_cjm_error(cjm_item_kpi_remove(NULL, 0), CJM_ENOTFOUND);
    assert_cjm_error(cjm_item_kpi_remove(stage, 0), CJM_ENOTFOUND);
    assert_cjm_error(cjm_item_kpi_remove(tp, 2), CJM_ENOTFOUND);
    assert_message_has("no KPI at index 2");
    assert_ok(cjm_item_kpi_remove(tp, 0));
    assert_int_equal(cjm_item_kpi_count(tp), 1);
    assert_string_equal(cjm_item_kpi_at(tp, 0)->name, "ces");

    cjm_map_free(m);
}

static int has_problem(const cjm_problems *p, const char *code, const char *item)
{
    for (size_t i = 0; i < cjm_problems_count(p); i++) {
        const cjm_problem *q = cjm_problems_at(p, i);
        if (strcmp(q->code, code) == 0 && (!item || (q->item && strcmp(q->item, item) == 0)))
            return 1;
    }
    return 0;
}

static void validation_names_the_odd_cases_and_its_list_answers_null(void **state)
{
    (void)state;
    cjm_map *m = NULL;
    cjm_journey *plan = NULL, *other = NULL;
    cjm_item *t = NULL, *a = NULL;
    cjm_problems *p = NULL;

    assert_int_equal(cjm_problems_count(NULL), 0);
    assert_int_equal(cjm_problems_errors(NULL), 0);
    assert_null(cjm_problems_at(NULL, 0));
    cjm_problems_free(NULL);

    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add(m, CJM_ACTOR, "clerk", NULL));
    assert_ok(cjm_map_add_journey(m, "plan", &plan));
    assert_ok(cjm_map_add_journey(m, "other", &other));
    /* a persona that names an actor, a planned journey that follows another */
    assert_ok(cjm_journey_set_persona(plan, "clerk"));
    assert_ok(cjm_journey_set_follows(other, "plan"));
    assert_ok(cjm_journey_add(plan, CJM_TOUCHPOINT, "a", &a));
    /* a transition with a start and no end */
    assert_ok(cjm_journey_add(plan, CJM_TRANSITION, "t", &t));
    assert_ok(cjm_item_set_text(t, CJM_ATTR_FROM, "a"));

    assert_ok(cjm_map_validate(m, &p));
    assert_true(has_problem(p, "dangling-ref", NULL));
    assert_true(has_problem(p, "follows-on-planned", NULL));
    assert_true(has_problem(p, "missing-endpoint", "t"));
    assert_true(cjm_problems_errors(p) >= 2);
    assert_null(cjm_problems_at(p, cjm_problems_count(p)));
    cjm_problems_free(p);
    cjm_map_free(m);
}

/*
 * Items made for a reader: ids as bytes, checked as the public functions
 * check them; room for attributes made with the item, which they may
 * outgrow; items of a journey entered in its table of ids only when it is
 * indexed, and an id used twice then reported by where the items are.
 */
static void items_made_for_a_reader_are_indexed_together(void **state)
{
    (void)state;
    cjm_map *m;
    cjm_journey *j;
    cjm_item *a, *b, *c, *first, *again, *gone, *tp_y, *gap_y, *t1_again;
    double d;
    char id[16];
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));

    /* kinds where they belong; ids as the public functions take them */
    assert_cjm_error(cjm__item_new(m, j, CJM_ACTOR, "a", 1, 2, 1, &a), CJM_EINVAL);
    assert_cjm_error(cjm__item_new(m, NULL, CJM_TOUCHPOINT, "a", 1, 2, 0, &a), CJM_EINVAL);
    assert_cjm_error(cjm__item_new(m, NULL, BAD_KIND, "a", 1, 2, 0, &a), CJM_EINVAL);
    assert_cjm_error(cjm__item_new(m, j, BAD_KIND, "a", 1, 2, 0, &a), CJM_EINVAL);
    assert_cjm_error(cjm__item_new(m, j, CJM_TOUCHPOINT, "a b", 3, 2, 1, &a), CJM_EINVAL);
    assert_non_null(strstr(cjm_error_last()->message, "'a b' is not a valid id"));
    assert_cjm_error(cjm__item_new(m, j, CJM_TOUCHPOINT, "", 0, 2, 1, &a), CJM_EINVAL);

    /* an item of the map is entered at once, even when asked to wait */
    assert_ok(cjm__item_new(m, NULL, CJM_ACTOR, "ab", 1, 3, 1, &a));
    assert_string_equal(cjm_item_id(a), "a");
    assert_ptr_equal(cjm_map_find(m, "a"), a);
    assert_cjm_error(cjm__item_new(m, NULL, CJM_CHANNEL, "a", 1, 0, 0, NULL), CJM_EEXISTS);

    /* more attributes than the room made with the item: they move out */
    assert_ok(cjm__item_new(m, j, CJM_TOUCHPOINT, "t1", 2, 2, 0, &b));
    assert_ptr_equal(cjm_journey_find(j, "t1"), b);
    assert_ok(cjm__item_put_number(b, CJM_ATTR_EXPECTED, 4));
    assert_ok(cjm__item_put_number(b, CJM_ATTR_PERCEIVED, 3));
    assert_ok(cjm__item_put_number(b, CJM_ATTR_EMOTION, 1));
    assert_ok(cjm__item_put_text(b, CJM_ATTR_LABEL, "Two\nlines!", 9));
    assert_ok(cjm_item_number(b, CJM_ATTR_EXPECTED, &d));
    assert_true(d == 4);
    assert_ok(cjm_item_number(b, CJM_ATTR_EMOTION, &d));
    assert_true(d == 1);
    assert_string_equal(cjm_item_text(b, CJM_ATTR_LABEL), "Two\nlines");
    assert_cjm_error(cjm__item_put_text(b, CJM_ATTR_DESCRIPTION, "bad\x01", 4), CJM_EINVAL);
    assert_false(cjm_item_has(b, CJM_ATTR_DESCRIPTION));
    assert_ok(cjm_item_set_text(b, CJM_ATTR_LABEL, NULL));
    assert_ok(cjm__item_put_text(b, CJM_ATTR_LABEL, "Again", 5));
    assert_string_equal(cjm_item_text(b, CJM_ATTR_LABEL), "Again");
    /* an item made without room, and one whose room is never outgrown */
    assert_ok(cjm__item_new(m, j, CJM_STAGE, "s", 1, 0, 0, &c));
    assert_ok(cjm__item_put_text(c, CJM_ATTR_LABEL, "Stage", 5));
    assert_ok(cjm_journey_add(j, CJM_STAGE, "gone", &gone));
    assert_ok(cjm_journey_remove(j, gone)); /* leaves a tombstone in the table */

    /* items that wait: found only once the journey is indexed */
    for (int i = 0; i < 200; i++) {
        snprintf(id, sizeof id, "d%d", i);
        assert_ok(cjm__item_new(m, j, i % 2 ? CJM_TOUCHPOINT : CJM_TRANSITION, id, strlen(id),
                                4, 1, &c));
        cjm_item_set_location(c, i + 10, 1);
    }
    assert_null(cjm_journey_find(j, "d0"));
    assert_ok(cjm__journey_index(j, &first, &again));
    assert_null(first);
    assert_null(again);
    for (int i = 0; i < 200; i++) {
        snprintf(id, sizeof id, "d%d", i);
        assert_non_null(cjm_journey_find(j, id));
    }
    assert_ptr_equal(cjm_journey_find(j, "t1"), b);
    assert_null(cjm_journey_find(j, "gone"));
    assert_ok(cjm__journey_index(j, &first, &again)); /* nothing waits */
    /* the journey is usual again */
    assert_ok(cjm_journey_add(j, CJM_STAGE, "gone", NULL));
    assert_cjm_error(cjm_journey_add(j, CJM_STAGE, "d7", NULL), CJM_EEXISTS);

    /* waiting items whose places in the table were freed by removals */
    for (int i = 0; i < 60; i++) {
        snprintf(id, sizeof id, "r%d", i);
        assert_ok(cjm_journey_add(j, CJM_GAP, id, &c));
    }
    for (int i = 0; i < 60; i++) {
        snprintf(id, sizeof id, "r%d", i);
        assert_ok(cjm_journey_remove(j, cjm_journey_find(j, id)));
    }
    assert_ok(cjm__item_new(m, j, CJM_GAP, "r7", 2, 0, 1, &c));
    assert_ok(cjm__item_new(m, j, CJM_GAP, "r42", 3, 0, 1, &c));
    assert_ok(cjm__journey_index(j, &first, &again));
    assert_ptr_equal(cjm_journey_find(j, "r42"), c);
    assert_non_null(cjm_journey_find(j, "r7"));
    assert_null(cjm_journey_find(j, "r8"));

    /* ids used twice: the first use, and the first use after it, by place
     * in the file, whatever order the items were made in */
    assert_ok(cjm__item_new(m, j, CJM_GAP, "y", 1, 0, 1, &gap_y));
    cjm_item_set_location(gap_y, 4, 1);
    assert_ok(cjm__item_new(m, j, CJM_STAGE, "y", 1, 0, 1, &c));
    cjm_item_set_location(c, 5, 1);
    assert_ok(cjm__item_new(m, j, CJM_TOUCHPOINT, "y", 1, 0, 1, &tp_y));
    cjm_item_set_location(tp_y, 3, 7);
    assert_ok(cjm__item_new(m, j, CJM_TOUCHPOINT, "t1", 2, 0, 1, &t1_again));
    cjm_item_set_location(t1_again, 20, 1);
    assert_cjm_error(cjm__journey_index(j, &first, &again), CJM_EEXISTS);
    assert_ptr_equal(first, tp_y);
    assert_ptr_equal(again, gap_y);
    assert_non_null(strstr(cjm_error_last()->message, "'y' is already in use in journey j"));
    cjm_map_free(m);
}

/*
 * The setters a reader uses, which take bytes and a length: a reference is
 * checked as cjm_item_set_text() checks it, with its message; the bytes
 * need no terminator; a shared copy given last is used again, and one
 * freed meanwhile is made anew.
 */
static void references_put_as_bytes_are_checked_like_text(void **state)
{
    (void)state;
    cjm_map *m;
    cjm_journey *j;
    cjm_item *a, *b, *t;
    char text_msg[512], long_id[258];
    int v;
    double d;
    memset(long_id, 'x', sizeof long_id);
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "a", &a));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "b", &b));
    assert_ok(cjm_journey_add(j, CJM_TRANSITION, "t", &t));

    assert_cjm_error(cjm_item_set_text(a, CJM_ATTR_STAGE, "s 1"), CJM_EINVAL);
    strcpy(text_msg, cjm_error_last()->message);
    assert_cjm_error(cjm__item_put_ref(a, CJM_ATTR_STAGE, "s 1+", 3), CJM_EINVAL);
    assert_string_equal(cjm_error_last()->message, text_msg);
    assert_cjm_error(cjm__item_put_ref(a, CJM_ATTR_STAGE, "s", 0), CJM_EINVAL);
    assert_cjm_error(cjm__item_put_ref(a, CJM_ATTR_STAGE, long_id, 257), CJM_EINVAL);
    assert_cjm_error(cjm__item_put_ref(a, CJM_ATTR_STAGE, "s\x7f", 2), CJM_EINVAL);
    assert_cjm_error(cjm__item_put_ref(a, CJM_ATTR_STAGE, "s\xc3", 2), CJM_EINVAL);
    assert_false(cjm_item_has(a, CJM_ATTR_STAGE));
    assert_ok(cjm__item_put_ref(a, CJM_ATTR_STAGE, long_id, 256));
    assert_int_equal(strlen(cjm_item_text(a, CJM_ATTR_STAGE)), 256);
    /* these setters are for attributes an item does not have yet */
    assert_ok(cjm_item_set_text(a, CJM_ATTR_STAGE, NULL));
    assert_ok(cjm__item_put_ref(a, CJM_ATTR_STAGE, "s\xc3\xa9-and-more", 3));
    assert_string_equal(cjm_item_text(a, CJM_ATTR_STAGE), "s\xc3\xa9");

    /* the same bytes as last time share a copy; others, even a prefix, do not */
    assert_ok(cjm__item_put_ref(a, CJM_ATTR_CHANNEL, "web", 3));
    assert_ok(cjm__item_put_ref(b, CJM_ATTR_CHANNEL, "web!", 3));
    assert_ptr_equal(cjm_item_text(a, CJM_ATTR_CHANNEL), cjm_item_text(b, CJM_ATTR_CHANNEL));
    assert_ok(cjm_item_set_text(b, CJM_ATTR_CHANNEL, NULL));
    assert_ok(cjm__item_put_ref(b, CJM_ATTR_CHANNEL, "we", 2));
    assert_string_equal(cjm_item_text(b, CJM_ATTR_CHANNEL), "we");
    assert_ok(cjm_item_set_text(b, CJM_ATTR_CHANNEL, NULL));
    assert_ok(cjm__item_put_ref(b, CJM_ATTR_CHANNEL, "webs", 4));
    assert_string_equal(cjm_item_text(b, CJM_ATTR_CHANNEL), "webs");
    assert_string_equal(cjm_item_text(a, CJM_ATTR_CHANNEL), "web");
    /* "webs", given last, goes when b lets it go; the next "webs" is a new copy */
    assert_ok(cjm_item_set_text(b, CJM_ATTR_CHANNEL, NULL));
    assert_ok(cjm_item_set_text(a, CJM_ATTR_CHANNEL, NULL));
    assert_ok(cjm__item_put_ref(a, CJM_ATTR_CHANNEL, "webs", 4));
    assert_string_equal(cjm_item_text(a, CJM_ATTR_CHANNEL), "webs");
    assert_ok(cjm__item_put_ref(b, CJM_ATTR_CHANNEL, "webs", 4));
    assert_ptr_equal(cjm_item_text(a, CJM_ATTR_CHANNEL), cjm_item_text(b, CJM_ATTR_CHANNEL));

    /* references of transitions are copies of their own */
    assert_ok(cjm__item_put_ref(t, CJM_ATTR_FROM, "a", 1));
    assert_ok(cjm_item_set_text(t, CJM_ATTR_FROM, NULL));
    assert_ok(cjm__item_put_ref(t, CJM_ATTR_FROM, "b-c", 1));
    assert_string_equal(cjm_item_text(t, CJM_ATTR_FROM), "b");

    assert_ok(cjm__item_put_number(a, CJM_ATTR_EMOTION, -1.5));
    assert_ok(cjm_item_number(a, CJM_ATTR_EMOTION, &d));
    assert_true(d == -1.5);
    assert_ok(cjm__item_put_int(a, CJM_ATTR_NEED, CJM_NEED_TRUST));
    assert_ok(cjm_item_int(a, CJM_ATTR_NEED, &v));
    assert_int_equal(v, CJM_NEED_TRUST);

    /* a refused value is quoted as cjm_item_set_text() quotes it, however long */
    {
        char *big = malloc(600);
        assert_non_null(big);
        memset(big, 'y', 600);
        big[300] = ' ';
        assert_cjm_error(cjm__item_put_ref(t, CJM_ATTR_TO, big, 600), CJM_EINVAL);
        assert_cjm_error(cjm__item_list_put(t, CJM_ATTR_SITUATIONS, big, 600), CJM_EINVAL);
        assert_message_has("situations of t: 'yyy");
        free(big);
    }
    /* a list holds an id, not ids it begins */
    assert_ok(cjm__item_list_put(t, CJM_ATTR_SITUATIONS, "calm", 4));
    assert_ok(cjm__item_list_put(t, CJM_ATTR_SITUATIONS, "cal", 3));
    assert_ok(cjm__item_list_put(t, CJM_ATTR_SITUATIONS, "calm", 4));
    assert_int_equal(cjm_item_list_count(t, CJM_ATTR_SITUATIONS), 2);
    assert_cjm_error(cjm__item_list_put(t, CJM_ATTR_SITUATIONS, "c m", 3), CJM_EINVAL);
    assert_string_equal(cjm_error_last()->message, "situations of t: 'c m' is not a valid id");

    /* enumeration values by their bytes: whole names only */
    assert_int_equal(cjm__enum_find(CJM_ATTR_CHANNEL_KIND, "human-", 5), CJM_CHANNEL_HUMAN);
    assert_int_equal(cjm__enum_find(CJM_ATTR_CHANNEL_KIND, "self", 4), -1);
    assert_int_equal(cjm__enum_find(CJM_ATTR_CHANNEL_KIND, "humane", 6), -1);

    /* a transition that comes from nowhere misses an endpoint */
    {
        cjm_problems *p;
        int found = 0;
        assert_ok(cjm_journey_add(j, CJM_TRANSITION, "u", &t));
        assert_ok(cjm__item_put_ref(t, CJM_ATTR_TO, "a", 1));
        assert_ok(cjm_map_validate(m, &p));
        for (size_t i = 0; i < cjm_problems_count(p); i++)
            found += strcmp(cjm_problems_at(p, i)->code, "missing-endpoint") == 0 &&
                     strcmp(cjm_problems_at(p, i)->item, "u") == 0;
        assert_int_equal(found, 1);
        cjm_problems_free(p);
    }
    cjm_map_free(m);
}

/* A touchpoint's many attributes are each found, and removed ones are not. */
static void many_attributes_are_found_and_removed_ones_are_not(void **state)
{
    (void)state;
    static const cjm_attr numbers[] = {
        CJM_ATTR_FREQUENCY, CJM_ATTR_CAPACITY, CJM_ATTR_ENTRY,  CJM_ATTR_EXPECTED,
        CJM_ATTR_PERCEIVED, CJM_ATTR_EMOTION,  CJM_ATTR_VOLUME, CJM_ATTR_DURATION,
    };
    cjm_map *m;
    cjm_journey *j;
    cjm_item *tp;
    double d;
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "t", &tp));
    for (int i = 0; i < 6; i++)
        assert_ok(cjm_item_set_number(tp, numbers[i], i + 1));
    assert_ok(cjm_item_set_text(tp, CJM_ATTR_STAGE, "s"));
    assert_ok(cjm_item_set_text(tp, CJM_ATTR_CHANNEL, "c"));
    assert_ok(cjm_item_set_text(tp, CJM_ATTR_INITIATOR, "a"));
    assert_ok(cjm_item_set_text(tp, CJM_ATTR_RECEIVER, "b"));
    for (int i = 0; i < 6; i++) {
        assert_ok(cjm_item_number(tp, numbers[i], &d));
        assert_true(d == i + 1);
    }
    assert_string_equal(cjm_item_text(tp, CJM_ATTR_RECEIVER), "b");
    assert_false(cjm_item_has(tp, CJM_ATTR_OWNER));
    assert_ok(cjm_item_unset(tp, CJM_ATTR_RECEIVER));
    assert_false(cjm_item_has(tp, CJM_ATTR_RECEIVER));
    assert_ok(cjm_item_unset(tp, CJM_ATTR_FREQUENCY));
    assert_false(cjm_item_has(tp, CJM_ATTR_FREQUENCY));
    assert_string_equal(cjm_item_text(tp, CJM_ATTR_INITIATOR), "a");
    cjm_map_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kinds_attributes_and_enumerations_answer_values_out_of_range),
        cmocka_unit_test(map_functions_refuse_null_and_what_is_not_theirs),
        cmocka_unit_test(journey_functions_refuse_null_and_what_is_not_theirs),
        cmocka_unit_test(item_accessors_and_setters_refuse_the_wrong_attribute),
        cmocka_unit_test(list_attributes_refuse_bad_ids_and_report_what_they_lack),
        cmocka_unit_test(a_long_list_and_long_text_outgrow_the_pool_blocks),
        cmocka_unit_test(kpis_are_refused_unless_complete_and_valid),
        cmocka_unit_test(validation_names_the_odd_cases_and_its_list_answers_null),
        cmocka_unit_test(items_made_for_a_reader_are_indexed_together),
        cmocka_unit_test(references_put_as_bytes_are_checked_like_text),
        cmocka_unit_test(many_attributes_are_found_and_removed_ones_are_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
