/* A program outside the project that uses the installed library. */
#include <cjm.h>
#include <stdio.h>

int main(void)
{
    cjm_map *map;
    cjm_journey *j;
    cjm_item *tp;
    if (cjm_map_new(&map, NULL) != 0)
        return 1;
    if (cjm_map_add_journey(map, "order", &j) != 0 ||
        cjm_journey_add(j, CJM_TOUCHPOINT, "browse", &tp) != 0) {
        fprintf(stderr, "%s\n", cjm_error_last()->message);
        cjm_map_free(map);
        return 1;
    }
    printf("cjm %s: journey %s has %zu touchpoint(s)\n", cjm_version(), cjm_journey_id(j),
           cjm_journey_count(j, CJM_TOUCHPOINT));
    cjm_map_free(map);
    return 0;
}
