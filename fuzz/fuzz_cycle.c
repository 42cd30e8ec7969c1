/*
 * Fuzz target: a whole read → analyse → write cycle on a Journey XML
 * document. Every analysis runs on every journey the document holds (with
 * problems of meaning kept, so half-broken journeys reach the analyses);
 * each must succeed or fail with one of its documented codes. Then the map
 * is drawn as DOT and Mermaid and written back as XML, which must read
 * again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjm.h>

static void expect(int rc, const char *what, int ok1, int ok2, int ok3)
{
    if (rc == 0 || rc == ok1 || rc == ok2 || rc == ok3)
        return;
    fprintf(stderr, "fuzz_cycle: %s returned %d: %s\n", what, rc, cjm_error_last()->message);
    abort();
}

static void analyse(cjm_map *map, cjm_journey *j)
{
    cjm_reach *reach = NULL;
    cjm_checks *checks = NULL;
    cjm_ranking *ranking = NULL;
    cjm_curve *curve = NULL;
    int rc;

    rc = cjm_reach_compute(&reach, j, NULL);
    expect(rc, "reach", CJM_ENOTFOUND, CJM_EINVALID, CJM_ELIMIT);
    if (rc == 0) {
        for (size_t i = 0; i < cjm_journey_count(j, CJM_TOUCHPOINT); i++) {
            double r = cjm_reach_touchpoint(reach, i);
            if (!(r >= 0)) {
                fprintf(stderr, "fuzz_cycle: reach of touchpoint %zu is %g\n", i, r);
                abort();
            }
        }
    }
    expect(cjm_checks_run(&checks, j, NULL), "checks", 0, 0, 0);
    expect(cjm_rank_compute(&ranking, j, NULL), "ranking", 0, 0, 0);
    expect(cjm_curve_compute(&curve, j, NULL, 0, NULL), "curve", 0, 0, 0);
    cjm_curve_free(curve);
    cjm_ranking_free(ranking);
    cjm_checks_free(checks);
    cjm_reach_free(reach);

    /* the journey as seen in each situation of the map */
    for (size_t s = 0; s < cjm_map_count(map, CJM_SITUATION) && s < 4; s++) {
        cjm_journey *view = NULL;
        const char *sit = cjm_item_id(cjm_map_at(map, CJM_SITUATION, s));
        rc = cjm_situation_view(&view, j, sit, NULL);
        expect(rc, "situation view", 0, 0, 0);
        cjm_map_remove_journey(map, view);
    }
    /* an actual journey against the planned one it follows */
    if (cjm_journey_follows(j)) {
        cjm_journey *planned = cjm_map_journey(map, cjm_journey_follows(j));
        if (planned && planned != j) {
            cjm_comparison *cmp = NULL;
            expect(cjm_compare_journeys(&cmp, planned, j, NULL), "comparison", 0, 0, 0);
            cjm_comparison_free(cmp);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cjm_xml_read_options opt = CJM_XML_READ_OPTIONS_INIT;
    cjm_render_options ro = CJM_RENDER_OPTIONS_INIT;
    cjm_map *map = NULL, *again = NULL;
    cjm_buffer buf = CJM_BUFFER_INIT;
    size_t n;
    int rc;

    opt.name = "cycle.xml";
    opt.flags = CJM_XML_KEEP_PROBLEMS;
    if (cjm_xml_read_memory(&map, data, size, &opt) != 0)
        return 0;
    n = cjm_map_journey_count(map);
    for (size_t i = 0; i < n && i < 4; i++)
        analyse(map, cjm_map_journey_at(map, i));

    for (size_t i = 0; i < n && i < 4; i++) {
        ro.journey = cjm_journey_id(cjm_map_journey_at(map, i));
        ro.legend = (int)(i & 1);
        rc = cjm_render(map, CJM_RENDER_DOT, &ro, &buf);
        expect(rc, "DOT", CJM_EINVAL, 0, 0);
        cjm_buffer_free(&buf);
        rc = cjm_render_mermaid(map, &ro, &buf);
        expect(rc, "Mermaid", CJM_EINVAL, 0, 0);
        cjm_buffer_free(&buf);
    }

    expect(cjm_xml_write_buffer(&buf, map, NULL), "writing", 0, 0, 0);
    opt.name = "written.xml";
    rc = cjm_xml_read_memory(&again, buf.data, buf.size, &opt);
    if (rc != 0) {
        fprintf(stderr, "fuzz_cycle: the written map is refused: %s:%d:%d: %s\n",
                cjm_error_last()->file, cjm_error_last()->line, cjm_error_last()->column,
                cjm_error_last()->message);
        abort();
    }
    cjm_map_free(again);
    cjm_buffer_free(&buf);
    cjm_map_free(map);
    return 0;
}
