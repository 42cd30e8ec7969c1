/*
 * Threads: several threads at once, each loading, analysing, mining and
 * rendering journeys of its own, must get the same results as one thread
 * alone. Run under ThreadSanitizer in CI (scripts/test.sh, stage 4).
 *
 * cmocka's assertions are not thread-safe, so the workers only record what
 * went wrong; the main thread asserts.
 */
#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { THREADS = 6, ROUNDS = 8 };

/*
 * ThreadSanitizer suppressions for this program only, each naming a known
 * report outside cjm. Drawing SVG loads Graphviz's cairo plugin; Pango then
 * starts its own "[pango] FcInit" thread, which maps fontconfig's cache
 * while the drawing thread waits for it inside GLib. GLib's locks are not
 * instrumented, so the map and the later read of the cache look like a race.
 */
const char *__tsan_default_suppressions(void);
const char *__tsan_default_suppressions(void)
{
    return "race:libfontconfig.so.1\n";
}

typedef struct worker {
    pthread_t thread;
    int index;
    int rounds_done;
    char failure[512]; /* empty when all went well */
    unsigned long long checksum;
    int full;          /* the whole load-analyse-mine-render cycle, or the model only */
} worker;

static void fail_worker(worker *w, const char *what, int rc)
{
    if (!w->failure[0])
        snprintf(w->failure, sizeof w->failure, "thread %d: %s: %d (%s)", w->index, what, rc,
                 cjm_error_last()->message);
}

#define WTRY(w, what, expr)           \
    do {                              \
        int rc_ = (expr);             \
        if (rc_ != 0) {               \
            fail_worker((w), (what), rc_); \
            goto done;                \
        }                             \
    } while (0)

static unsigned long long mix(unsigned long long h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Builds a journey whose size depends on the thread, then checks it. */
static void one_round(worker *w, int round)
{
    cjm_map *map = NULL;
    cjm_journey *j;
    cjm_problems *problems = NULL;
    cjm_item *it;
    char id[64], prev[64];
    int n = 20 + w->index * 5 + round;

    WTRY(w, "map_new", cjm_map_new(&map, NULL));
    WTRY(w, "title", cjm_map_set_title(map, "Threads"));
    WTRY(w, "journey", cjm_map_add_journey(map, "j", &j));
    WTRY(w, "stage", cjm_journey_add(j, CJM_STAGE, "s", NULL));
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "t%d", i);
        WTRY(w, "touchpoint", cjm_journey_add(j, CJM_TOUCHPOINT, id, &it));
        WTRY(w, "stage ref", cjm_item_set_text(it, CJM_ATTR_STAGE, "s"));
        WTRY(w, "perceived", cjm_item_set_number(it, CJM_ATTR_PERCEIVED, 1 + i % 5));
        if (i > 0) {
            char tid[160];
            snprintf(tid, sizeof tid, "%s-%s", prev, id);
            WTRY(w, "transition", cjm_journey_add(j, CJM_TRANSITION, tid, &it));
            WTRY(w, "from", cjm_item_set_text(it, CJM_ATTR_FROM, prev));
            WTRY(w, "to", cjm_item_set_text(it, CJM_ATTR_TO, id));
        }
        strcpy(prev, id);
    }
    /* an error on this thread must not show on the others */
    if (cjm_map_add_journey(map, "j", NULL) != CJM_EEXISTS ||
        cjm_error_last()->code != CJM_EEXISTS) {
        fail_worker(w, "duplicate id not refused", cjm_error_last()->code);
        goto done;
    }
    WTRY(w, "validate", cjm_map_validate(map, &problems));
    if (cjm_problems_errors(problems) != 0) {
        fail_worker(w, "validation errors", (int)cjm_problems_errors(problems));
        goto done;
    }
    if (cjm_journey_count(j, CJM_TOUCHPOINT) != (size_t)n ||
        cjm_journey_count(j, CJM_TRANSITION) != (size_t)(n - 1)) {
        fail_worker(w, "wrong counts", n);
        goto done;
    }
    for (size_t i = 0; i < cjm_journey_count(j, CJM_TOUCHPOINT); i++)
        w->checksum = mix(w->checksum, cjm_item_id(cjm_journey_at(j, CJM_TOUCHPOINT, i)));
    w->rounds_done++;
done:
    cjm_problems_free(problems);
    cjm_map_free(map);
}

/* The journey fixture, read once by the main thread and shared read-only. */
static char *fixture;
static size_t fixture_len;

/* An event log whose traces depend on the thread and the round. */
static void make_log(char *buf, size_t size, int thread, int round)
{
    size_t n = (size_t)snprintf(buf, size, "<?xml version=\"1.0\"?>\n<log xes.version=\"1.0\">\n");
    for (int t = 0; t < 3 + thread + round; t++) {
        n += (size_t)snprintf(buf + n, size - n, "<trace><string key=\"concept:name\" value=\"c%d\"/>", t);
        for (int e = 0; e < 2 + (t + thread) % 4; e++)
            n += (size_t)snprintf(buf + n, size - n,
                                  "<event><string key=\"concept:name\" value=\"step %d\"/>"
                                  "<date key=\"time:timestamp\" value=\"2020-03-27T10:%02d:00Z\"/>"
                                  "</event>", (e * (thread + 1)) % 5, 10 + e);
        n += (size_t)snprintf(buf + n, size - n, "</trace>\n");
    }
    snprintf(buf + n, size - n, "</log>\n");
}

static void sum_buffer(worker *w, const cjm_buffer *b)
{
    for (size_t i = 0; i < b->size; i++)
        w->checksum = (w->checksum ^ (unsigned char)b->data[i]) * 1099511628211ULL;
}

/*
 * The same for DOT, line by line and blind to the order of the lines: the
 * check is about each thread getting the right content; that the order is
 * the same every time is checked in test_render and test_hostile.
 */
static void sum_lines(worker *w, const cjm_buffer *b)
{
    unsigned long long total = 0, h = 14695981039346656037ULL;
    for (size_t i = 0; i < b->size; i++) {
        if (b->data[i] == '\n') {
            total += h;
            h = 14695981039346656037ULL;
        } else {
            h = (h ^ (unsigned char)b->data[i]) * 1099511628211ULL;
        }
    }
    w->checksum = (w->checksum ^ (total + h)) * 1099511628211ULL;
}

/* Load, analyse, mine, render and write, all on this thread's own objects. */
static void cycle_round(worker *w, int round)
{
    cjm_xml_read_options ro = CJM_XML_READ_OPTIONS_INIT;
    cjm_render_options rend = CJM_RENDER_OPTIONS_INIT;
    cjm_map *map = NULL;
    cjm_mine_result *res = NULL;
    cjm_buffer buf = CJM_BUFFER_INIT;
    char log[16384];
    int rc;

    ro.name = "rich.xml";
    WTRY(w, "load", cjm_xml_read_memory(&map, fixture, fixture_len, &ro));
    for (size_t i = 0; i < cjm_map_journey_count(map); i++) {
        cjm_journey *j = cjm_map_journey_at(map, i);
        cjm_reach *reach = NULL;
        cjm_checks *checks = NULL;
        cjm_ranking *ranking = NULL;
        rc = cjm_reach_compute(&reach, j, NULL);
        if (rc != 0 && rc != CJM_ENOTFOUND) {
            fail_worker(w, "reach", rc);
            goto done;
        }
        if (reach)
            for (size_t k = 0; k < cjm_journey_count(j, CJM_TOUCHPOINT); k++)
                w->checksum = mix(w->checksum, cjm_item_id(cjm_journey_at(j, CJM_TOUCHPOINT, k))) +
                              (unsigned long long)(cjm_reach_touchpoint(reach, k) * 1000.0);
        cjm_reach_free(reach);
        WTRY(w, "checks", cjm_checks_run(&checks, j, NULL));
        w->checksum += cjm_checks_count(checks);
        cjm_checks_free(checks);
        WTRY(w, "ranking", cjm_rank_compute(&ranking, j, NULL));
        for (size_t k = 0; k < cjm_ranking_count(ranking); k++)
            w->checksum = mix(w->checksum, cjm_ranking_at(ranking, k)->id);
        cjm_ranking_free(ranking);
    }
    make_log(log, sizeof log, w->index, round);
    WTRY(w, "mine", cjm_mine_memory(&res, log, strlen(log), "threads.xes", NULL, NULL));
    WTRY(w, "mined journey", cjm_mine_to_journey(res, map, "mined", NULL));
    WTRY(w, "DOT", cjm_render(map, CJM_RENDER_DOT, NULL, &buf));
    sum_lines(w, &buf);
    cjm_buffer_free(&buf);
    rend.journey = "mined";
    /* without the legend: Graphviz loses part of every HTML-like label it
       lays out, which LeakSanitizer would report on every round */
    rend.legend = 0;
    WTRY(w, "SVG", cjm_render(map, CJM_RENDER_SVG, &rend, &buf));
    if (buf.size < 100 || !strstr(buf.data, "<svg")) {
        fail_worker(w, "SVG output", (int)buf.size);
        goto done;
    }
    cjm_buffer_free(&buf);
    WTRY(w, "Mermaid", cjm_render_mermaid(map, &rend, &buf));
    sum_buffer(w, &buf);
    cjm_buffer_free(&buf);
    WTRY(w, "write", cjm_xml_write_buffer(&buf, map, NULL));
    sum_buffer(w, &buf);
    w->rounds_done++;
done:
    cjm_buffer_free(&buf);
    cjm_mine_result_free(res);
    cjm_map_free(map);
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    for (int r = 0; r < ROUNDS && !w->failure[0]; r++) {
        if (w->full)
            cycle_round(w, r);
        else
            one_round(w, r);
    }
    return NULL;
}

static void run_all(worker *ws, int threads, int full)
{
    for (int i = 0; i < threads; i++) {
        memset(&ws[i], 0, sizeof ws[i]);
        ws[i].index = i;
        ws[i].full = full;
        ws[i].checksum = 14695981039346656037ULL;
    }
    for (int i = 0; i < threads; i++)
        assert_int_equal(pthread_create(&ws[i].thread, NULL, run_worker, &ws[i]), 0);
    for (int i = 0; i < threads; i++)
        assert_int_equal(pthread_join(ws[i].thread, NULL), 0);
}

static void compare_with_one_thread(int full)
{
    worker alone[THREADS], together[THREADS];
    /* each thread's work done alone, one after the other */
    for (int i = 0; i < THREADS; i++) {
        worker w;
        memset(&w, 0, sizeof w);
        w.index = i;
        w.full = full;
        w.checksum = 14695981039346656037ULL;
        run_worker(&w);
        alone[i] = w;
    }
    run_all(together, THREADS, full);
    for (int i = 0; i < THREADS; i++) {
        if (together[i].failure[0])
            fail_msg("%s", together[i].failure);
        if (alone[i].failure[0])
            fail_msg("%s", alone[i].failure);
        assert_int_equal(together[i].rounds_done, ROUNDS);
        assert_true(together[i].checksum == alone[i].checksum);
    }
}

static void threads_building_and_checking_their_own_maps_agree_with_one_thread(void **state)
{
    (void)state;
    compare_with_one_thread(0);
}

static void threads_loading_analysing_mining_and_rendering_agree_with_one_thread(void **state)
{
    (void)state;
    fixture = test_read_file(test_src_path(0, "tests/fixtures/xml/rich.xml"), &fixture_len);
    assert_non_null(fixture);
    compare_with_one_thread(1);
    free(fixture);
    fixture = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threads_building_and_checking_their_own_maps_agree_with_one_thread),
        cmocka_unit_test(threads_loading_analysing_mining_and_rendering_agree_with_one_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
