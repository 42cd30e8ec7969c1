/*
 * Fault injection, in the manner of SQLite's tests: every allocation of a
 * whole load → analyse → render → save cycle is failed in turn, once and
 * then from that point on, and every step of an atomic file replacement is
 * failed in turn; full disks are made with /dev/full and a tiny tmpfs.
 * Each run must give exactly the normal result or a clean error, leak
 * nothing and leave the previous output file as it was.
 */
#include "support.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"

static int entries(const char *dir);

/* ---- a canonical dump of a map, made with malloc (not the test allocator) */

typedef struct dump {
    char *data;
    size_t len, cap;
} dump;

static void dump_put(dump *d, const char *s)
{
    size_t n = strlen(s);
    if (d->len + n + 1 > d->cap) {
        d->cap = (d->len + n + 1) * 2;
        d->data = realloc(d->data, d->cap);
        assert_non_null(d->data);
    }
    memcpy(d->data + d->len, s, n + 1);
    d->len += n;
}

static void dump_item(dump *d, const cjm_item *it)
{
    char line[512];
    snprintf(line, sizeof line, " %s:%s", cjm_kind_name(cjm_item_kind(it)), cjm_item_id(it));
    dump_put(d, line);
    for (int a = 0; a < CJM_ATTR_COUNT; a++) {
        double num;
        int iv;
        if (!cjm_item_has(it, (cjm_attr)a))
            continue;
        dump_put(d, " ");
        dump_put(d, cjm_attr_name((cjm_attr)a));
        dump_put(d, "=");
        switch (cjm_attr_type((cjm_attr)a)) {
        case CJM_TYPE_TEXT:
        case CJM_TYPE_REF:
            dump_put(d, cjm_item_text(it, (cjm_attr)a));
            break;
        case CJM_TYPE_NUMBER:
            assert_ok(cjm_item_number(it, (cjm_attr)a, &num));
            snprintf(line, sizeof line, "%.17g", num);
            dump_put(d, line);
            break;
        case CJM_TYPE_INT:
            assert_ok(cjm_item_int(it, (cjm_attr)a, &iv));
            snprintf(line, sizeof line, "%d", iv);
            dump_put(d, line);
            break;
        case CJM_TYPE_LIST:
            for (size_t i = 0; i < cjm_item_list_count(it, (cjm_attr)a); i++) {
                dump_put(d, i ? "," : "");
                dump_put(d, cjm_item_list_at(it, (cjm_attr)a, i));
            }
            break;
        }
    }
    for (size_t k = 0; k < cjm_item_kpi_count(it); k++) {
        const cjm_kpi *kpi = cjm_item_kpi_at(it, k);
        snprintf(line, sizeof line, " kpi(%s,%.17g,%.17g,%s)", kpi->name, kpi->value,
                 kpi->target, kpi->date ? kpi->date : "-");
        dump_put(d, line);
    }
    dump_put(d, "\n");
}

static char *dump_map(const cjm_map *map)
{
    dump d = {NULL, 0, 0};
    dump_put(&d, "title=");
    dump_put(&d, cjm_map_title(map) ? cjm_map_title(map) : "-");
    dump_put(&d, "\n");
    for (int k = 0; k < CJM_KIND_COUNT; k++)
        for (size_t i = 0; i < cjm_map_count(map, (cjm_kind)k); i++)
            dump_item(&d, cjm_map_at(map, (cjm_kind)k, i));
    for (size_t j = 0; j < cjm_map_journey_count(map); j++) {
        const cjm_journey *jy = cjm_map_journey_at(map, j);
        dump_put(&d, "journey ");
        dump_put(&d, cjm_journey_id(jy));
        dump_put(&d, cjm_journey_status(jy) == CJM_STATUS_ACTUAL ? " actual\n" : " planned\n");
        for (int k = 0; k < CJM_KIND_COUNT; k++)
            for (size_t i = 0; i < cjm_journey_count(jy, (cjm_kind)k); i++)
                dump_item(&d, cjm_journey_at(jy, (cjm_kind)k, i));
    }
    return d.data;
}

static char *dump_map_and(const char *text)
{
    char *copy = malloc(strlen(text) + 1);
    assert_non_null(copy);
    strcpy(copy, text);
    return copy;
}

/* ---- a journey built through the API ------------------------------------- */

#define TRY(expr)                 \
    do {                          \
        int rc_ = (expr);         \
        if (rc_ != 0)             \
            return rc_;           \
    } while (0)

static int build_journey(cjm_map *map)
{
    cjm_journey *j;
    cjm_item *it;
    cjm_kpi kpi = {"CSAT", 3.5, 4.0, "2020-03-27"};
    TRY(cjm_map_set_title(map, "Take-away during the lockdown"));
    TRY(cjm_map_add(map, CJM_ACTOR, "customer", &it));
    TRY(cjm_item_set_int(it, CJM_ATTR_ROLE, CJM_ROLE_CUSTOMER));
    TRY(cjm_map_add(map, CJM_ACTOR, "kitchen", &it));
    TRY(cjm_item_set_int(it, CJM_ATTR_ROLE, CJM_ROLE_BACKSTAGE));
    TRY(cjm_map_add(map, CJM_CHANNEL, "app", &it));
    TRY(cjm_item_set_int(it, CJM_ATTR_CHANNEL_KIND, CJM_CHANNEL_SELF_SERVICE));
    TRY(cjm_map_add(map, CJM_CHANNEL, "phone", &it));
    TRY(cjm_item_set_int(it, CJM_ATTR_CHANNEL_KIND, CJM_CHANNEL_HUMAN));
    TRY(cjm_map_add(map, CJM_SITUATION, "stressed", NULL));
    TRY(cjm_map_add_journey(map, "order", &j));
    TRY(cjm_journey_set_label(j, "Order \"food\" \\ pay"));
    TRY(cjm_journey_add(j, CJM_STAGE, "discover", NULL));
    TRY(cjm_journey_add(j, CJM_STAGE, "buy", NULL));
    TRY(cjm_journey_add(j, CJM_STAGE, "receive", NULL));
    {
        static const char *const tps[][4] = {
            {"find", "discover", "app", "Find <the> menu"},
            {"order", "buy", "app", "Order & pay"},
            {"call", "buy", "phone", "Call: where is it?"},
            {"deliver", "receive", "phone", "Delivery\nat the door"},
        };
        for (size_t i = 0; i < sizeof tps / sizeof *tps; i++) {
            TRY(cjm_journey_add(j, CJM_TOUCHPOINT, tps[i][0], &it));
            TRY(cjm_item_set_text(it, CJM_ATTR_STAGE, tps[i][1]));
            TRY(cjm_item_set_text(it, CJM_ATTR_CHANNEL, tps[i][2]));
            TRY(cjm_item_set_text(it, CJM_ATTR_LABEL, tps[i][3]));
            TRY(cjm_item_set_text(it, CJM_ATTR_INITIATOR, "customer"));
            TRY(cjm_item_set_number(it, CJM_ATTR_EXPECTED, 4));
            TRY(cjm_item_set_number(it, CJM_ATTR_PERCEIVED, 1.0 + (double)i));
            TRY(cjm_item_set_number(it, CJM_ATTR_EMOTION, (double)i - 2.0));
            TRY(cjm_item_kpi_add(it, &kpi));
        }
        TRY(cjm_item_set_number(cjm_journey_find(j, "find"), CJM_ATTR_ENTRY, 1000));
        TRY(cjm_item_set_int(cjm_journey_find(j, "deliver"), CJM_ATTR_EXIT, 1));
        TRY(cjm_item_set_int(cjm_journey_find(j, "order"), CJM_ATTR_MOMENT_OF_TRUTH, 1));
        TRY(cjm_item_list_add(cjm_journey_find(j, "call"), CJM_ATTR_SITUATIONS, "stressed"));
    }
    {
        static const char *const trs[][3] = {
            {"t1", "find", "order"}, {"t2", "order", "deliver"},
            {"t3", "order", "call"}, {"t4", "call", "deliver"}, {"t5", "call", "call"},
        };
        for (size_t i = 0; i < sizeof trs / sizeof *trs; i++) {
            TRY(cjm_journey_add(j, CJM_TRANSITION, trs[i][0], &it));
            TRY(cjm_item_set_text(it, CJM_ATTR_FROM, trs[i][1]));
            TRY(cjm_item_set_text(it, CJM_ATTR_TO, trs[i][2]));
            TRY(cjm_item_set_number(it, CJM_ATTR_PROBABILITY, i == 4 ? 0.2 : 0.5));
            TRY(cjm_item_set_number(it, CJM_ATTR_DURATION, 60.0 * (double)(i + 1)));
        }
    }
    TRY(cjm_journey_add(j, CJM_PAINPOINT, "p1", &it));
    TRY(cjm_item_set_text(it, CJM_ATTR_TARGET, "call"));
    TRY(cjm_item_set_number(it, CJM_ATTR_SEVERITY, 4));
    TRY(cjm_item_set_text(it, CJM_ATTR_DESCRIPTION, "No one knows where the order is"));
    TRY(cjm_journey_add(j, CJM_GAP, "g1", &it));
    TRY(cjm_item_set_text(it, CJM_ATTR_TARGET, "deliver"));
    TRY(cjm_item_set_int(it, CJM_ATTR_GAP_KIND, CJM_GAP_EXPERIENCE));
    TRY(cjm_item_set_int(it, CJM_ATTR_DIMENSION, CJM_DIMENSION_SPEED));
    TRY(cjm_item_set_number(it, CJM_ATTR_SEVERITY, 3));
    TRY(cjm_journey_add(j, CJM_OPPORTUNITY, "o1", &it));
    TRY(cjm_item_list_add(it, CJM_ATTR_LINKS, "p1"));
    TRY(cjm_item_list_add(it, CJM_ATTR_LINKS, "g1"));
    TRY(cjm_item_set_int(it, CJM_ATTR_FACTOR, CJM_FACTOR_TIMING));
    return 0;
}

/* ---- the cycle ------------------------------------------------------------ */

typedef struct cycle_ctx {
    char *reference;   /* the dump of a run without failures */
    char *out_path;    /* where the cycle saves */
    long runs_ok;      /* runs that completed in spite of a failure */
} cycle_ctx;

/*
 * One whole cycle with `alloc`: build (or load) a map, validate it, and
 * save it. Returns 0 or the first error; on success the result must equal
 * the reference exactly.
 */
static int cycle(const cjm_allocator *alloc, void *vctx)
{
    cycle_ctx *ctx = vctx;
    cjm_map *map = NULL;
    cjm_problems *problems = NULL;
    char *got = NULL;
    int rc;

    rc = cjm_map_new(&map, alloc);
    if (rc == 0)
        rc = build_journey(map);
    if (rc == 0)
        rc = cjm_map_validate(map, &problems);
    if (rc == 0) {
        got = dump_map(map);
        if (ctx->reference && strcmp(got, ctx->reference) != 0)
            fail_msg("a run that succeeded gave a different result:\n%s\nexpected:\n%s", got,
                     ctx->reference);
        if (problems && cjm_problems_errors(problems) != 0)
            fail_msg("the journey has %zu validation error(s); first: %s",
                     cjm_problems_errors(problems), cjm_problems_at(problems, 0)->message);
    }
    cjm_problems_free(problems);
    cjm_map_free(map);
    if (rc == 0 && !ctx->reference)
        ctx->reference = got;
    else
        free(got);
    return rc;
}

/*
 * The whole cycle on a real document: load Journey XML, validate, run every
 * analysis on every journey, mine an event log into the map, draw DOT and
 * Mermaid, and save the map. Everything that comes out is summed up in a
 * text (made with malloc) that must equal the reference run's exactly, and
 * the saved file must hold either the reference bytes or, after a failed
 * run, what it held before.
 */
typedef struct full_ctx {
    const char *doc;
    size_t doc_len;
    const char *log;
    char *reference;
    char *path;
} full_ctx;

static void dump_num(dump *d, double v)
{
    char t[64];
    snprintf(t, sizeof t, " %.17g", v);
    dump_put(d, t);
}

/* Order-blind sum of the lines of a DOT text (Graphviz may reorder subgraphs). */
static void dump_dot(dump *d, const cjm_buffer *b)
{
    unsigned long long total = 0, h = 1469598103934665603ULL;
    char t[64];
    for (size_t i = 0; i < b->size; i++) {
        if (b->data[i] == '\n') {
            total += h;
            h = 1469598103934665603ULL;
        } else {
            h = (h ^ (unsigned char)b->data[i]) * 1099511628211ULL;
        }
    }
    snprintf(t, sizeof t, "dot %zu %llx\n", b->size, total + h);
    dump_put(d, t);
}

static int analyse_into(dump *d, cjm_journey *j)
{
    cjm_reach *reach = NULL;
    cjm_checks *checks = NULL;
    cjm_ranking *ranking = NULL;
    cjm_curve *curve = NULL;
    int rc;

    dump_put(d, "analysis ");
    dump_put(d, cjm_journey_id(j));
    rc = cjm_reach_compute(&reach, j, NULL);
    if (rc == 0) {
        for (size_t i = 0; i < cjm_journey_count(j, CJM_TOUCHPOINT); i++)
            dump_num(d, cjm_reach_touchpoint(reach, i));
    } else if (rc != CJM_ENOTFOUND) {
        goto done;
    }
    if ((rc = cjm_checks_run(&checks, j, NULL)) != 0)
        goto done;
    for (size_t i = 0; i < cjm_checks_count(checks); i++) {
        dump_put(d, "\n  check ");
        dump_put(d, cjm_checks_at(checks, i)->message);
    }
    if ((rc = cjm_rank_compute(&ranking, j, NULL)) != 0)
        goto done;
    for (size_t i = 0; i < cjm_ranking_count(ranking); i++) {
        dump_put(d, "\n  rank ");
        dump_put(d, cjm_ranking_at(ranking, i)->id);
        dump_num(d, cjm_ranking_at(ranking, i)->score);
    }
    if ((rc = cjm_curve_compute(&curve, j, NULL, 0, NULL)) != 0)
        goto done;
    dump_num(d, (double)cjm_curve_count(curve));
    dump_put(d, "\n");
done:
    cjm_curve_free(curve);
    cjm_ranking_free(ranking);
    cjm_checks_free(checks);
    cjm_reach_free(reach);
    return rc;
}

static int full_cycle(const cjm_allocator *alloc, void *vctx)
{
    full_ctx *ctx = vctx;
    cjm_xml_read_options ro = CJM_XML_READ_OPTIONS_INIT;
    cjm_xml_write_options wo = CJM_XML_WRITE_OPTIONS_INIT;
    cjm_render_options rend = CJM_RENDER_OPTIONS_INIT;
    cjm_map *map = NULL;
    cjm_problems *problems = NULL;
    cjm_mine_result *mined = NULL;
    cjm_buffer buf = CJM_BUFFER_INIT;
    dump d = {NULL, 0, 0};
    size_t before_len = 0;
    char *before = test_read_file(ctx->path, &before_len);
    int rc;

    dump_put(&d, "");
    ro.allocator = alloc;
    ro.name = "rich.xml";
    wo.allocator = alloc;
    rend.allocator = alloc;
    if ((rc = cjm_xml_read_memory(&map, ctx->doc, ctx->doc_len, &ro)) != 0)
        goto done;
    if ((rc = cjm_map_validate(map, &problems)) != 0)
        goto done;
    for (size_t i = 0; i < cjm_problems_count(problems); i++) {
        dump_put(&d, cjm_problems_at(problems, i)->message);
        dump_put(&d, "\n");
    }
    for (size_t i = 0; i < cjm_map_journey_count(map); i++)
        if ((rc = analyse_into(&d, cjm_map_journey_at(map, i))) != 0)
            goto done;
    if ((rc = cjm_mine_memory(&mined, ctx->log, strlen(ctx->log), "log.xes", NULL, alloc)) != 0)
        goto done;
    if ((rc = cjm_mine_to_journey(mined, map, "mined", NULL)) != 0)
        goto done;
    if ((rc = cjm_render(map, CJM_RENDER_DOT, &rend, &buf)) != 0)
        goto done;
    dump_dot(&d, &buf);
    cjm_buffer_free(&buf);
    rend.journey = "mined";
    if ((rc = cjm_render_mermaid(map, &rend, &buf)) != 0)
        goto done;
    dump_put(&d, buf.data);
    cjm_buffer_free(&buf);
    if ((rc = cjm_xml_write_buffer(&buf, map, &wo)) != 0)
        goto done;
    dump_put(&d, buf.data);
    cjm_buffer_free(&buf);
    rc = cjm_xml_write_file(map, ctx->path, &wo);
done:
    cjm_buffer_free(&buf);
    cjm_mine_result_free(mined);
    cjm_problems_free(problems);
    cjm_map_free(map);
    if (rc == 0) {
        char *got = dump_map_and(d.data);
        if (ctx->reference && strcmp(got, ctx->reference) != 0) {
            /* show the first line that differs */
            const char *a = got, *b = ctx->reference, *line = got;
            for (; *a && *a == *b; a++, b++)
                if (*a == '\n')
                    line = a + 1;
            fail_msg("a run that succeeded gave a different result from:\n%.200s", line);
        }
        if (!ctx->reference)
            ctx->reference = got;
        else
            free(got);
    } else {
        /* a failed run leaves the saved file as it was */
        size_t now_len = 0;
        char *now = test_read_file(ctx->path, &now_len);
        if ((before == NULL) != (now == NULL) ||
            (before && (before_len != now_len || memcmp(before, now, now_len) != 0)))
            fail_msg("a failed run (%d) changed %s", rc, ctx->path);
        free(now);
    }
    free(d.data);
    free(before);
    return rc;
}

static void every_allocation_of_load_analyse_mine_render_save_fails_cleanly(void **state)
{
    (void)state;
    full_ctx ctx;
    char path[4200];
    long runs;
    const char *dir = test_scratch_dir("faults-full");
    snprintf(path, sizeof path, "%s/saved.xml", dir);
    memset(&ctx, 0, sizeof ctx);
    ctx.doc = test_read_file(test_src_path(0, "tests/fixtures/xml/rich.xml"), &ctx.doc_len);
    assert_non_null(ctx.doc);
    ctx.log = "<?xml version=\"1.0\"?><log xes.version=\"1.0\">"
              "<trace><event><string key=\"concept:name\" value=\"order\"/>"
              "<date key=\"time:timestamp\" value=\"2020-03-27T10:00:00Z\"/></event>"
              "<event><string key=\"concept:name\" value=\"pay\"/>"
              "<date key=\"time:timestamp\" value=\"2020-03-27T10:02:00Z\"/></event></trace>"
              "<trace><event><string key=\"concept:name\" value=\"order\"/></event>"
              "<event><string key=\"concept:name\" value=\"call\"/></event>"
              "<event><string key=\"concept:name\" value=\"pay\"/></event></trace></log>";
    ctx.path = path;
    assert_ok(full_cycle(NULL, &ctx));
    runs = test_oom_loop(full_cycle, &ctx, 0);
    print_message("load-analyse-mine-render-save: %ld allocation(s) failed one at a time\n",
                  runs - 1);
    runs = test_oom_loop(full_cycle, &ctx, 1);
    print_message("load-analyse-mine-render-save: exhaustion from allocation 1 to %ld\n",
                  runs - 1);
    assert_true(runs > 100);
    /* no temporary file was left beside the saved one */
    assert_int_equal(entries(dir), 1);
    free(ctx.reference);
    free((char *)ctx.doc);
}

static void every_allocation_of_the_cycle_fails_once_cleanly(void **state)
{
    (void)state;
    cycle_ctx ctx = {NULL, NULL, 0};
    assert_ok(cycle(NULL, &ctx));
    long runs = test_oom_loop(cycle, &ctx, 0);
    print_message("cycle: %ld allocation(s) failed one at a time\n", runs - 1);
    assert_true(runs > 10);
    free(ctx.reference);
}

static void every_allocation_of_the_cycle_fails_from_then_on_cleanly(void **state)
{
    (void)state;
    cycle_ctx ctx = {NULL, NULL, 0};
    assert_ok(cycle(NULL, &ctx));
    long runs = test_oom_loop(cycle, &ctx, 1);
    print_message("cycle: exhaustion from allocation 1 to %ld\n", runs - 1);
    assert_true(runs > 10);
    free(ctx.reference);
}

/* ---- files ------------------------------------------------------------------ */

/* The number of directory entries other than "." and "..", or -1. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void assert_file_is(const char *path, const char *content)
{
    size_t len;
    char *got = test_read_file(path, &len);
    assert_non_null(got);
    assert_int_equal(len, strlen(content));
    assert_memory_equal(got, content, len);
    free(got);
}

typedef int (*save_fn)(const char *path, const char *content);

static int save_raw(const char *path, const char *content)
{
    return cjm__write_file_atomic(path, content, strlen(content));
}

static const char *const step_names[] = {"open", "write", "flush", "fsync", "close", "rename"};

/* A map whose title is `content`, saved as Journey XML. */
static int save_xml(const char *path, const char *content)
{
    cjm_map *map = NULL;
    int rc = cjm_map_new(&map, NULL);
    if (rc == 0)
        rc = cjm_map_set_title(map, content);
    if (rc == 0)
        rc = cjm_map_add_journey(map, "j", NULL);
    if (rc == 0)
        rc = cjm_xml_write_file(map, path, NULL);
    cjm_map_free(map);
    return rc;
}

/* A journey whose map title is `content`, drawn as DOT or Mermaid into a file. */
static int save_drawing(const char *path, const char *content, int mermaid)
{
    cjm_map *map = NULL;
    cjm_journey *j;
    int rc = cjm_map_new(&map, NULL);
    if (rc == 0)
        rc = cjm_map_set_title(map, content);
    if (rc == 0)
        rc = cjm_map_add_journey(map, "j", &j);
    if (rc == 0)
        rc = cjm_journey_add(j, CJM_TOUCHPOINT, "t", NULL);
    if (rc == 0)
        rc = mermaid ? cjm_render_mermaid_file(map, NULL, path)
                     : cjm_render_file(map, CJM_RENDER_DOT, NULL, path);
    cjm_map_free(map);
    return rc;
}

static int save_dot(const char *path, const char *content)
{
    return save_drawing(path, content, 0);
}

static int save_mermaid(const char *path, const char *content)
{
    return save_drawing(path, content, 1);
}

/*
 * For every step and n = 1..4: four saves in a row with the nth run of the
 * step failing. The saves before it succeed, the failing one reports
 * CJM_EIO and leaves the previous version byte for byte, the ones after
 * succeed again; no temporary file is ever left behind.
 */
static void nth_step_failure_keeps_previous_file(save_fn save, const char *tag)
{
    const char *dir = test_scratch_dir(tag);
    char path[4200], version[64];
    size_t prev_len;
    char *previous;
    snprintf(path, sizeof path, "%s/out", dir);
    for (int step = 0; step < CJM__IO_STEP_COUNT; step++) {
        for (int nth = 1; nth <= 4; nth++) {
            snprintf(version, sizeof version, "the original before %s %d", step_names[step], nth);
            assert_ok(save(path, version));
            previous = test_read_file(path, &prev_len);
            assert_non_null(previous);
            assert_non_null(strstr(previous, version));
            cjm__io_fail((cjm__io_step)step, nth);
            for (int k = 1; k <= 4; k++) {
                int rc;
                snprintf(version, sizeof version, "version %d of %s %d", k, step_names[step],
                         nth);
                rc = save(path, version);
                if (k == nth) {
                    size_t len;
                    char *now;
                    if (rc != CJM_EIO)
                        fail_msg("%s: %s %d: the failing save returned %d", tag,
                                 step_names[step], nth, rc);
                    assert_int_equal(cjm_error_last()->code, CJM_EIO);
                    assert_non_null(strstr(cjm_error_last()->message, "out"));
                    now = test_read_file(path, &len);
                    assert_non_null(now);
                    if (len != prev_len || memcmp(now, previous, len) != 0)
                        fail_msg("%s: %s %d: the failed save changed the file", tag,
                                 step_names[step], nth);
                    free(now);
                } else {
                    assert_ok(rc);
                    free(previous);
                    previous = test_read_file(path, &prev_len);
                    assert_non_null(previous);
                    assert_non_null(strstr(previous, version));
                }
                assert_int_equal(entries(dir), 1);
            }
            free(previous);
            cjm__io_fail((cjm__io_step)step, 0);
        }
    }
}

static void nth_write_flush_fsync_close_or_rename_failure_keeps_the_old_file(void **state)
{
    (void)state;
    nth_step_failure_keeps_previous_file(save_raw, "faults-atomic");
}

static void a_failed_journey_xml_save_keeps_the_old_file(void **state)
{
    (void)state;
    nth_step_failure_keeps_previous_file(save_xml, "faults-xml");
}

static void a_failed_diagram_save_keeps_the_old_file(void **state)
{
    (void)state;
    nth_step_failure_keeps_previous_file(save_dot, "faults-dot");
    nth_step_failure_keeps_previous_file(save_mermaid, "faults-mermaid");
}

static void dev_full_is_refused_and_left_a_device(void **state)
{
    (void)state;
    const char *dir = test_scratch_dir("faults-devfull");
    char link[4200];
    struct stat st;
    if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode))
        skip();
    assert_cjm_error(save_raw("/dev/full", "data"), CJM_EIO);
    assert_non_null(strstr(cjm_error_last()->message, "/dev/full"));
    assert_cjm_error(save_xml("/dev/full", "data"), CJM_EIO);
    assert_cjm_error(save_dot("/dev/full", "data"), CJM_EIO);
    assert_cjm_error(save_mermaid("/dev/full", "data"), CJM_EIO);
    /* through a symbolic link too: the link is not replaced by a file */
    snprintf(link, sizeof link, "%s/full-link", dir);
    assert_int_equal(symlink("/dev/full", link), 0);
    assert_cjm_error(save_raw(link, "data"), CJM_EIO);
    assert_cjm_error(save_xml(link, "data"), CJM_EIO);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(stat("/dev/full", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(entries(dir), 1);
    /* nothing was created in /dev either */
    assert_int_equal(system("ls /dev | grep -q 'full.tmp-' && exit 1 || exit 0"), 0);
}

static void a_directory_or_a_missing_directory_is_refused(void **state)
{
    (void)state;
    const char *dir = test_scratch_dir("faults-dir");
    char path[4200];
    assert_cjm_error(save_raw(dir, "data"), CJM_EIO);
    snprintf(path, sizeof path, "%s/no/such/dir/out.txt", dir);
    assert_cjm_error(save_raw(path, "data"), CJM_EIO);
    assert_int_equal(entries(dir), 0);
}

/* A 64 KiB tmpfs: a save that does not fit fails and keeps the old file. */
static void a_full_file_system_keeps_the_old_file(void **state)
{
    (void)state;
    const char *top;
    char dir[4200], path[4300], *big;
    size_t big_len = 256 * 1024;
    if (geteuid() != 0) {
        print_message("skipped: mounting a tmpfs needs root\n");
        skip();
    }
    /* a mount left by an interrupted run would keep the scratch directory busy */
    umount2(CJM_BINARY_DIR "/tests/scratch-faults-tmpfs/mnt", MNT_DETACH);
    top = test_scratch_dir("faults-tmpfs");
    snprintf(dir, sizeof dir, "%s/mnt", top);
    assert_int_equal(mkdir(dir, 0755), 0);
    if (mount("tmpfs", dir, "tmpfs", 0, "size=64k") != 0) {
        print_message("skipped: cannot mount a tmpfs here: %s\n", strerror(errno));
        skip();
    }
    snprintf(path, sizeof path, "%s/out.txt", dir);
    big = malloc(big_len + 1);
    assert_non_null(big);
    memset(big, 'x', big_len);
    big[big_len] = '\0';
    assert_ok(save_raw(path, "small and safe\n"));
    assert_cjm_error(save_raw(path, big), CJM_EIO);
    assert_non_null(strstr(cjm_error_last()->message, "out.txt"));
    assert_file_is(path, "small and safe\n");
    assert_int_equal(entries(dir), 1);
    /* the same through the Journey XML writer: a title too large for the disk */
    assert_cjm_error(save_xml(path, big), CJM_EIO);
    assert_file_is(path, "small and safe\n");
    assert_int_equal(entries(dir), 1);
    /* once there is room again, saving works */
    assert_ok(save_raw(path, "second\n"));
    assert_file_is(path, "second\n");
    assert_int_equal(entries(dir), 1);
    free(big);
    assert_int_equal(umount(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_allocation_of_the_cycle_fails_once_cleanly),
        cmocka_unit_test(every_allocation_of_the_cycle_fails_from_then_on_cleanly),
        cmocka_unit_test(every_allocation_of_load_analyse_mine_render_save_fails_cleanly),
        cmocka_unit_test(nth_write_flush_fsync_close_or_rename_failure_keeps_the_old_file),
        cmocka_unit_test(a_failed_journey_xml_save_keeps_the_old_file),
        cmocka_unit_test(a_failed_diagram_save_keeps_the_old_file),
        cmocka_unit_test(dev_full_is_refused_and_left_a_device),
        cmocka_unit_test(a_directory_or_a_missing_directory_is_refused),
        cmocka_unit_test(a_full_file_system_keeps_the_old_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
