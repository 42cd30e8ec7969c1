/*
 * Builds a small take-away journey through the API, validates it and prints
 * a summary: the shortest tour of the model.
 */
#include <cjm.h>
#include <stdio.h>

#define CHECK(expr)                                                             \
    do {                                                                        \
        if ((expr) != 0) {                                                      \
            fprintf(stderr, "build_journey: %s\n", cjm_error_last()->message);  \
            cjm_map_free(map);                                                  \
            return 1;                                                           \
        }                                                                       \
    } while (0)

int main(void)
{
    cjm_map *map = NULL;
    cjm_journey *j;
    cjm_item *it, *web, *phone, *order, *call, *pickup;
    cjm_problems *problems;
    cjm_kpi csat = {"CSAT", 3.9, 4.2, "2020-04-01"};

    CHECK(cjm_map_new(&map, NULL));
    CHECK(cjm_map_set_title(map, "Take-away under lockdown"));
    CHECK(cjm_map_add(map, CJM_ACTOR, "guest", &it));
    CHECK(cjm_item_set_int(it, CJM_ATTR_ROLE, CJM_ROLE_CUSTOMER));
    CHECK(cjm_map_add(map, CJM_ACTOR, "kitchen", &it));
    CHECK(cjm_item_set_int(it, CJM_ATTR_ROLE, CJM_ROLE_BACKSTAGE));
    CHECK(cjm_map_add(map, CJM_CHANNEL, "web", &web));
    CHECK(cjm_item_set_int(web, CJM_ATTR_CHANNEL_KIND, CJM_CHANNEL_SELF_SERVICE));
    CHECK(cjm_item_set_int(web, CJM_ATTR_CONTACT_FREE, 1));
    CHECK(cjm_map_add(map, CJM_CHANNEL, "phone", &phone));
    CHECK(cjm_item_set_int(phone, CJM_ATTR_CHANNEL_KIND, CJM_CHANNEL_HUMAN));

    CHECK(cjm_map_add_journey(map, "takeaway", &j));
    CHECK(cjm_journey_set_label(j, "Order a take-away meal"));
    CHECK(cjm_journey_add(j, CJM_STAGE, "order", NULL));
    CHECK(cjm_journey_add(j, CJM_STAGE, "collect", NULL));

    CHECK(cjm_journey_add(j, CJM_TOUCHPOINT, "web-order", &order));
    CHECK(cjm_item_set_text(order, CJM_ATTR_LABEL, "Order on the web site"));
    CHECK(cjm_item_set_text(order, CJM_ATTR_STAGE, "order"));
    CHECK(cjm_item_set_text(order, CJM_ATTR_CHANNEL, "web"));
    CHECK(cjm_item_set_number(order, CJM_ATTR_ENTRY, 800));
    CHECK(cjm_item_set_number(order, CJM_ATTR_EXPECTED, 4));
    CHECK(cjm_item_set_number(order, CJM_ATTR_PERCEIVED, 3));
    CHECK(cjm_item_kpi_add(order, &csat));

    CHECK(cjm_journey_add(j, CJM_TOUCHPOINT, "call", &call));
    CHECK(cjm_item_set_text(call, CJM_ATTR_LABEL, "Call to ask when the food is ready"));
    CHECK(cjm_item_set_text(call, CJM_ATTR_STAGE, "order"));
    CHECK(cjm_item_set_text(call, CJM_ATTR_CHANNEL, "phone"));

    CHECK(cjm_journey_add(j, CJM_TOUCHPOINT, "pickup", &pickup));
    CHECK(cjm_item_set_text(pickup, CJM_ATTR_LABEL, "Contact-free pick-up"));
    CHECK(cjm_item_set_text(pickup, CJM_ATTR_STAGE, "collect"));
    CHECK(cjm_item_set_int(pickup, CJM_ATTR_MOMENT_OF_TRUTH, 1));
    CHECK(cjm_item_set_int(pickup, CJM_ATTR_EXIT, 1));

    CHECK(cjm_journey_add(j, CJM_TRANSITION, NULL, &it));
    CHECK(cjm_item_set_text(it, CJM_ATTR_FROM, "web-order"));
    CHECK(cjm_item_set_text(it, CJM_ATTR_TO, "pickup"));
    CHECK(cjm_item_set_number(it, CJM_ATTR_PROBABILITY, 0.7));
    CHECK(cjm_journey_add(j, CJM_TRANSITION, NULL, &it));
    CHECK(cjm_item_set_text(it, CJM_ATTR_FROM, "web-order"));
    CHECK(cjm_item_set_text(it, CJM_ATTR_TO, "call"));
    CHECK(cjm_item_set_number(it, CJM_ATTR_PROBABILITY, 0.3));

    CHECK(cjm_journey_add(j, CJM_PAINPOINT, "no-eta", &it));
    CHECK(cjm_item_set_text(it, CJM_ATTR_TARGET, "web-order"));
    CHECK(cjm_item_set_text(it, CJM_ATTR_DESCRIPTION, "No pick-up time is shown"));
    CHECK(cjm_item_set_number(it, CJM_ATTR_SEVERITY, 4));
    CHECK(cjm_item_set_int(it, CJM_ATTR_NEED, CJM_NEED_CERTAINTY));

    CHECK(cjm_map_validate(map, &problems));
    printf("%s (cjm %s)\n", cjm_map_title(map), cjm_version());
    for (size_t i = 0; i < cjm_map_journey_count(map); i++) {
        cjm_journey *jj = cjm_map_journey_at(map, i);
        printf("journey %s: %zu stages, %zu touchpoints, %zu transitions, %zu pain points\n",
               cjm_journey_id(jj), cjm_journey_count(jj, CJM_STAGE),
               cjm_journey_count(jj, CJM_TOUCHPOINT), cjm_journey_count(jj, CJM_TRANSITION),
               cjm_journey_count(jj, CJM_PAINPOINT));
        for (size_t t = 0; t < cjm_journey_count(jj, CJM_TOUCHPOINT); t++) {
            cjm_item *tp = cjm_journey_at(jj, CJM_TOUCHPOINT, t);
            printf("  %-10s %-8s %s\n", cjm_item_id(tp),
                   cjm_item_text(tp, CJM_ATTR_STAGE), cjm_item_text(tp, CJM_ATTR_LABEL));
        }
    }
    printf("validation: %zu problem(s), %zu error(s)\n", cjm_problems_count(problems),
           cjm_problems_errors(problems));
    for (size_t i = 0; i < cjm_problems_count(problems); i++)
        printf("  %s: %s\n", cjm_problems_at(problems, i)->code,
               cjm_problems_at(problems, i)->message);
    cjm_problems_free(problems);
    cjm_map_free(map);
    return 0;
}
