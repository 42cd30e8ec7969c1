/*
 * DOT export of a large journey, as a ratio to cgraph's own writer.
 *
 * A journey of N touchpoints (default 10,000) in 20 stages, with a chain
 * of transitions, branches, loops back, pain points and deviations, is
 * exported with cjm_render(..., CJM_RENDER_DOT): record the diagram and
 * write it as DOT, without Graphviz, and hand back a buffer. The baseline
 * is agwrite() of the cgraph graph cjm builds of the same diagram (the one
 * that is laid out for SVG, PNG and PDF), built once beforehand, writing
 * into memory (open_memstream). Also timed: the export's two parts on
 * their own, and the way through cgraph the export took before (build the
 * graph, write it with cjm's graph writer, close it). All run in turn in
 * this process, R rounds each; the medians and their ratios to the
 * baseline are printed. The export is first checked to be, byte for byte,
 * the built graph written out.
 *
 * usage: bench_render [touchpoints] [rounds]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "render/render_internal.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "bench_render: %s: %s\n", what, cjm_error_last()->message);
        exit(1);
    }
}

static cjm_map *big_journey(int n)
{
    static const char *const labels[] = {"Söker på webben", "Ringer kundtjänst",
                                         "Får ett \"brev\"", "Chattar med en agent",
                                         "Hämtar i butiken"};
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_item *it;
    char id[32], ref[32];
    const int stages = 20;
    check(cjm_map_new(&m, NULL), "map");
    check(cjm_map_set_title(m, "A large journey"), "title");
    for (int k = 0; k < 4; k++) {
        snprintf(id, sizeof id, "ch%d", k);
        check(cjm_map_add(m, CJM_CHANNEL, id, &it), "channel");
        check(cjm_item_set_int(it, CJM_ATTR_CHANNEL_KIND, k), "kind");
    }
    check(cjm_map_add_journey(m, "big", &j), "journey");
    for (int s = 0; s < stages; s++) {
        snprintf(id, sizeof id, "s%d", s);
        check(cjm_journey_add(j, CJM_STAGE, id, &it), "stage");
        check(cjm_item_set_text(it, CJM_ATTR_LABEL, id), "stage label");
    }
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "t%d", i);
        check(cjm_journey_add(j, CJM_TOUCHPOINT, id, &it), "touchpoint");
        check(cjm_item_set_text(it, CJM_ATTR_LABEL, labels[i % 5]), "label");
        snprintf(ref, sizeof ref, "s%d", (int)((long)i * stages / n));
        check(cjm_item_set_text(it, CJM_ATTR_STAGE, ref), "stage ref");
        snprintf(ref, sizeof ref, "ch%d", i % 4);
        check(cjm_item_set_text(it, CJM_ATTR_CHANNEL, ref), "channel ref");
        if (i % 3)
            check(cjm_item_set_number(it, CJM_ATTR_PERCEIVED, 1 + i % 5), "perceived");
        if (i % 50 == 0)
            check(cjm_item_set_int(it, CJM_ATTR_MOMENT_OF_TRUTH, 1), "mot");
    }
    for (int i = 0; i + 1 < n; i++) {
        char from[32], to[32];
        snprintf(id, sizeof id, "e%d", i);
        snprintf(from, sizeof from, "t%d", i);
        snprintf(to, sizeof to, "t%d", i + 1);
        check(cjm_journey_add(j, CJM_TRANSITION, id, &it), "transition");
        check(cjm_item_set_text(it, CJM_ATTR_FROM, from), "from");
        check(cjm_item_set_text(it, CJM_ATTR_TO, to), "to");
        check(cjm_item_set_number(it, CJM_ATTR_VOLUME, 100 + i % 900), "volume");
        check(cjm_item_set_number(it, CJM_ATTR_DURATION, 60.0 * (i % 300)), "duration");
        if (i % 10 == 0 && i + 7 < n) {
            snprintf(id, sizeof id, "b%d", i);
            snprintf(to, sizeof to, "t%d", i % 20 == 0 && i > 7 ? i - 7 : i + 7);
            check(cjm_journey_add(j, CJM_TRANSITION, id, &it), "branch");
            check(cjm_item_set_text(it, CJM_ATTR_FROM, from), "from");
            check(cjm_item_set_text(it, CJM_ATTR_TO, to), "to");
            check(cjm_item_set_number(it, CJM_ATTR_PROBABILITY, 0.1), "probability");
        }
    }
    for (int i = 0; i < n; i += 25) {
        snprintf(id, sizeof id, "p%d", i);
        snprintf(ref, sizeof ref, "t%d", i);
        check(cjm_journey_add(j, CJM_PAINPOINT, id, &it), "pain point");
        check(cjm_item_set_text(it, CJM_ATTR_TARGET, ref), "target");
        check(cjm_item_set_text(it, CJM_ATTR_LABEL, "Väntar för länge"), "pain label");
        check(cjm_item_set_number(it, CJM_ATTR_SEVERITY, 1 + i % 5), "severity");
        snprintf(id, sizeof id, "d%d", i);
        check(cjm_journey_add(j, CJM_GAP, id, &it), "gap");
        check(cjm_item_set_text(it, CJM_ATTR_TARGET, ref), "target");
        check(cjm_item_set_int(it, CJM_ATTR_GAP_KIND, CJM_GAP_DEVIATION), "gap kind");
        check(cjm_item_set_int(it, CJM_ATTR_DEVIATION, (i / 25) % 4), "deviation");
    }
    return m;
}

enum { BASE, EXPORT, RECORD, WRITE, CGRAPH_BUILD, VIA_CGRAPH, TIMES };

int main(int argc, char **argv)
{
    static const char *const what[TIMES] = {
        "baseline  agwrite of the built graph  ",
        "cjm       DOT export (record + write) ",
        "            record the diagram        ",
        "            write the record as DOT   ",
        "the cgraph graph for layout (build)   ",
        "DOT export the former way, via cgraph ",
    };
    int n = argc > 1 ? atoi(argv[1]) : 10000;
    int rounds = argc > 2 ? atoi(argv[2]) : 15;
    double *t[TIMES];
    cjm_map *m;
    Agraph_t *g = NULL;
    size_t base_size = 0, our_size = 0;

    if (n < 2 || rounds < 1) {
        fprintf(stderr, "usage: bench_render [touchpoints >= 2] [rounds >= 1]\n");
        return 2;
    }
    for (int k = 0; k < TIMES; k++)
        if (!(t[k] = calloc((size_t)rounds, sizeof *t[k])))
            return 1;
    m = big_journey(n);

    /* The baseline's graph: the one cjm builds for layout, made once. */
    cjm__gv_lock();
    check(cjm__diagram_build(m, NULL, &g), "build");
    cjm__gv_unlock();

    /* The export must be that graph written out. */
    {
        cjm_buffer out = CJM_BUFFER_INIT;
        cjm__buf b;
        cjm__buf_init(&b, NULL);
        check(cjm_render(m, CJM_RENDER_DOT, NULL, &out), "render");
        cjm__gv_lock();
        check(cjm__diagram_write_dot(g, &b), "write the graph");
        cjm__gv_unlock();
        if (out.size != b.len || memcmp(out.data, b.data, b.len) != 0) {
            fprintf(stderr, "bench_render: the DOT export differs from the built graph's\n");
            return 1;
        }
        cjm__buf_free(&b);
        cjm_buffer_free(&out);
    }

    for (int r = -1; r < rounds; r++) { /* round -1 warms caches up */
        double s[TIMES + 1];
        {
            char *mem = NULL;
            size_t len = 0;
            FILE *f;
            s[0] = now();
            f = open_memstream(&mem, &len);
            if (!f)
                return 1;
            cjm__gv_lock();
            agwrite(g, f);
            cjm__gv_unlock();
            fclose(f);
            s[1] = now();
            base_size = len;
            free(mem);
        }
        {
            cjm_buffer out = CJM_BUFFER_INIT;
            check(cjm_render(m, CJM_RENDER_DOT, NULL, &out), "render");
            s[2] = now();
            our_size = out.size;
            cjm_buffer_free(&out);
        }
        /* the export's two parts on their own */
        {
            cjm__dgraph d;
            cjm__buf b;
            double u0, u1, u2;
            cjm__buf_init(&b, NULL);
            u0 = now();
            check(cjm__diagram_record(m, NULL, &d), "record");
            u1 = now();
            check(cjm__dg_write_dot(&d, &b), "write");
            u2 = now();
            cjm__dg_free(&d);
            cjm__buf_free(&b);
            if (r >= 0) {
                t[RECORD][r] = u1 - u0;
                t[WRITE][r] = u2 - u1;
            }
        }
        /* through a cgraph graph: build, write with cjm's graph writer, close */
        {
            Agraph_t *h = NULL;
            cjm__buf b;
            double u0, u1, u2;
            cjm__buf_init(&b, NULL);
            u0 = now();
            cjm__gv_lock();
            check(cjm__diagram_build(m, NULL, &h), "build");
            u1 = now();
            check(cjm__diagram_write_dot(h, &b), "write the graph");
            agclose(h);
            cjm__gv_unlock();
            cjm__buf_free(&b);
            u2 = now();
            if (r >= 0) {
                t[CGRAPH_BUILD][r] = u1 - u0;
                t[VIA_CGRAPH][r] = u2 - u0;
            }
        }
        if (r >= 0) {
            t[BASE][r] = s[1] - s[0];
            t[EXPORT][r] = s[2] - s[1];
        }
    }
    cjm__gv_lock();
    agclose(g);
    cjm__gv_unlock();

    {
        double med[TIMES];
        for (int k = 0; k < TIMES; k++)
            med[k] = median(t[k], rounds);
        printf("journey: %d touchpoints, %zu transitions, %d rounds\n", n,
               cjm_journey_count(cjm_map_journey_at(m, 0), CJM_TRANSITION), rounds);
        printf("the export is the built graph written out: same %zu bytes\n", our_size);
        printf("%-40s %10s %8s\n", "median", "ms", "ratio");
        for (int k = 0; k < TIMES; k++)
            printf("%s %10.2f %8.2f\n", what[k], med[k] * 1e3, med[k] / med[BASE]);
        printf("(agwrite writes %zu bytes of DOT, cjm %zu)\n", base_size, our_size);
        printf("ratio export / agwrite                 %8.2f\n", med[EXPORT] / med[BASE]);
    }
    cjm_map_free(m);
    for (int k = 0; k < TIMES; k++)
        free(t[k]);
    return 0;
}
