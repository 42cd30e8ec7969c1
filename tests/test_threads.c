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

typedef struct worker {
    pthread_t thread;
    int index;
    int rounds_done;
    char failure[512]; /* empty when all went well */
    unsigned long long checksum;
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

static void *run_worker(void *arg)
{
    worker *w = arg;
    for (int r = 0; r < ROUNDS && !w->failure[0]; r++)
        one_round(w, r);
    return NULL;
}

static void run_all(worker *ws, int threads)
{
    for (int i = 0; i < threads; i++) {
        memset(&ws[i], 0, sizeof ws[i]);
        ws[i].index = i;
        ws[i].checksum = 14695981039346656037ULL;
    }
    for (int i = 0; i < threads; i++)
        assert_int_equal(pthread_create(&ws[i].thread, NULL, run_worker, &ws[i]), 0);
    for (int i = 0; i < threads; i++)
        assert_int_equal(pthread_join(ws[i].thread, NULL), 0);
}

static void threads_building_and_checking_their_own_maps_agree_with_one_thread(void **state)
{
    (void)state;
    worker alone[THREADS], together[THREADS];
    /* each thread's work done alone, one after the other */
    for (int i = 0; i < THREADS; i++) {
        worker w;
        memset(&w, 0, sizeof w);
        w.index = i;
        w.checksum = 14695981039346656037ULL;
        run_worker(&w);
        alone[i] = w;
    }
    run_all(together, THREADS);
    for (int i = 0; i < THREADS; i++) {
        if (together[i].failure[0])
            fail_msg("%s", together[i].failure);
        if (alone[i].failure[0])
            fail_msg("%s", alone[i].failure);
        assert_int_equal(together[i].rounds_done, ROUNDS);
        assert_true(together[i].checksum == alone[i].checksum);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threads_building_and_checking_their_own_maps_agree_with_one_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
