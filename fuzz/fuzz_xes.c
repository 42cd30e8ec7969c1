/*
 * Fuzz target: the XES reader and miner. Whatever the bytes, mining must
 * fail cleanly or give a result; a result must survive serialisation
 * exactly (serialise, read back, serialise: the same bytes), merge with
 * itself, and turn into a journey that validates.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjm.h>

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_xes: %s (%s)\n", what, cjm_error_last()->message);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cjm_mine_result *res = NULL, *back = NULL;
    cjm_buffer a = CJM_BUFFER_INIT, b = CJM_BUFFER_INIT;
    cjm_mine_options opt = CJM_MINE_OPTIONS_INIT;
    cjm_map *map = NULL;
    cjm_problems *problems = NULL;
    int rc;

    /* a channel key for half of the inputs, so both paths are fuzzed */
    if (size > 0 && (data[size - 1] & 1))
        opt.channel_key = "channel";
    rc = cjm_mine_memory(&res, data, size, "fuzz.xes", &opt, NULL);
    if (rc != 0) {
        check(res == NULL, "a failed read left a result");
        check(rc < 0 && cjm_error_last()->code == rc, "the error record disagrees");
        return 0;
    }
    check(cjm_mine_serialize(res, &a) == 0, "serialising failed");
    check(cjm_mine_deserialize(&back, a.data, a.size, NULL) == 0, "reading back failed");
    check(cjm_mine_serialize(back, &b) == 0, "serialising again failed");
    check(a.size == b.size && memcmp(a.data, b.data, a.size) == 0,
          "serialise-read-serialise is not stable");
    rc = cjm_mine_merge(back, res);
    check(rc == 0 || rc == CJM_ELIMIT, "merging a result with itself failed");
    if (rc == 0)
        check(cjm_mine_count(back, CJM_MINE_EVENTS) == 2 * cjm_mine_count(res, CJM_MINE_EVENTS),
              "merging did not add the events up");
    check(cjm_map_new(&map, NULL) == 0, "map");
    rc = cjm_mine_to_journey(res, map, "mined", NULL);
    check(rc == 0, "no journey from a result");
    check(cjm_map_validate(map, &problems) == 0, "validation failed");
    cjm_problems_free(problems);
    cjm_map_free(map);
    cjm_buffer_free(&a);
    cjm_buffer_free(&b);
    cjm_mine_result_free(back);
    cjm_mine_result_free(res);
    return 0;
}
