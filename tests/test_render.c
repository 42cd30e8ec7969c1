/* Diagrams: the DOT export, the graph built with cgraph, SVG, PNG and PDF, and Mermaid. */
#include "support.h"

#include <glob.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "render/render_internal.h"

/* ---- fixtures ------------------------------------------------------------ */

static cjm_item *add(cjm_journey *j, cjm_kind kind, const char *id)
{
    cjm_item *it = NULL;
    assert_ok(cjm_journey_add(j, kind, id, &it));
    return it;
}

static cjm_item *def(cjm_map *m, cjm_kind kind, const char *id, const char *label)
{
    cjm_item *it = NULL;
    assert_ok(cjm_map_add(m, kind, id, &it));
    if (label)
        assert_ok(cjm_item_set_text(it, CJM_ATTR_LABEL, label));
    return it;
}

static cjm_item *touchpoint(cjm_journey *j, const char *id, const char *label, const char *stage,
                            const char *channel, double perceived)
{
    cjm_item *tp = add(j, CJM_TOUCHPOINT, id);
    if (label)
        assert_ok(cjm_item_set_text(tp, CJM_ATTR_LABEL, label));
    if (stage)
        assert_ok(cjm_item_set_text(tp, CJM_ATTR_STAGE, stage));
    if (channel)
        assert_ok(cjm_item_set_text(tp, CJM_ATTR_CHANNEL, channel));
    if (perceived > 0)
        assert_ok(cjm_item_set_number(tp, CJM_ATTR_PERCEIVED, perceived));
    return tp;
}

static cjm_item *transition(cjm_journey *j, const char *id, const char *from, const char *to,
                            double volume, double duration)
{
    cjm_item *tr = add(j, CJM_TRANSITION, id);
    assert_ok(cjm_item_set_text(tr, CJM_ATTR_FROM, from));
    assert_ok(cjm_item_set_text(tr, CJM_ATTR_TO, to));
    if (volume >= 0)
        assert_ok(cjm_item_set_number(tr, CJM_ATTR_VOLUME, volume));
    if (duration >= 0)
        assert_ok(cjm_item_set_number(tr, CJM_ATTR_DURATION, duration));
    return tr;
}

static cjm_item *deviation(cjm_journey *j, const char *id, const char *target, int kind)
{
    cjm_item *g = add(j, CJM_GAP, id);
    assert_ok(cjm_item_set_text(g, CJM_ATTR_TARGET, target));
    assert_ok(cjm_item_set_int(g, CJM_ATTR_GAP_KIND, CJM_GAP_DEVIATION));
    assert_ok(cjm_item_set_int(g, CJM_ATTR_DEVIATION, kind));
    return g;
}

/*
 * A complaint journey with three stages, a channel of every kind, scores,
 * a moment of truth, pain points, an experience gap, a deviation of every
 * kind, a loop back to an earlier stage, a touchpoint without a stage and
 * touchpoints limited to situations.
 */
static cjm_map *sample_map(const cjm_allocator *a)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_item *it;
    assert_ok(cjm_map_new(&m, a));
    assert_ok(cjm_map_set_title(m, "Klagomål på leverans"));
    it = def(m, CJM_CHANNEL, "web", "Webb");
    assert_ok(cjm_item_set_int(it, CJM_ATTR_CHANNEL_KIND, CJM_CHANNEL_SELF_SERVICE));
    it = def(m, CJM_CHANNEL, "chat", "Chat");
    assert_ok(cjm_item_set_int(it, CJM_ATTR_CHANNEL_KIND, CJM_CHANNEL_ASSISTED));
    it = def(m, CJM_CHANNEL, "phone", "Telefon");
    assert_ok(cjm_item_set_int(it, CJM_ATTR_CHANNEL_KIND, CJM_CHANNEL_HUMAN));
    it = def(m, CJM_CHANNEL, "store", "Butik");
    assert_ok(cjm_item_set_int(it, CJM_ATTR_CHANNEL_KIND, CJM_CHANNEL_PHYSICAL));
    def(m, CJM_ACTOR, "customer", "Kund");
    def(m, CJM_ACTOR, "service", "Kundservice, Malmö");
    def(m, CJM_SITUATION, "home", "At home");
    def(m, CJM_SITUATION, "moving", "On the move");

    assert_ok(cjm_map_add_journey(m, "complaint", &j));
    assert_ok(cjm_journey_set_label(j, "Reklamation"));
    assert_ok(cjm_item_set_text(add(j, CJM_STAGE, "notice"), CJM_ATTR_LABEL, "Upptäcka"));
    assert_ok(cjm_item_set_text(add(j, CJM_STAGE, "contact"), CJM_ATTR_LABEL, "Kontakta"));
    assert_ok(cjm_item_set_text(add(j, CJM_STAGE, "resolve"), CJM_ATTR_LABEL, "Lösa"));

    it = touchpoint(j, "track", "Spåra paketet", "notice", "web", 2);
    assert_ok(cjm_item_set_text(it, CJM_ATTR_INITIATOR, "customer"));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_RECEIVER, "service"));
    assert_ok(cjm_item_set_number(it, CJM_ATTR_ENTRY, 1000));
    it = touchpoint(j, "chat", "Chatta: var är paketet?", "contact", "chat", 3.4);
    assert_ok(cjm_item_list_add(it, CJM_ATTR_SITUATIONS, "moving"));
    it = touchpoint(j, "call", "Ringa kundtjänst", "contact", "phone", 1);
    assert_ok(cjm_item_set_int(it, CJM_ATTR_MOMENT_OF_TRUTH, 1));
    assert_ok(cjm_item_list_add(it, CJM_ATTR_SITUATIONS, "home"));
    touchpoint(j, "refund", "Återbetalning", "resolve", "web", 4.6);
    touchpoint(j, "visit", "Besöka butiken", "resolve", "store", 0);
    touchpoint(j, "letter", "Brev", NULL, NULL, 0);

    transition(j, "e1", "track", "chat", 400, 120);
    transition(j, "e2", "track", "call", 600, 5400);
    it = transition(j, "e3", "call", "refund", 500, 3 * 86400);
    transition(j, "e4", "chat", "refund", 100, -1);
    it = transition(j, "e5", "call", "track", 100, 600); /* back to an earlier stage */
    it = transition(j, "e6", "refund", "visit", -1, -1);
    assert_ok(cjm_item_set_number(it, CJM_ATTR_PROBABILITY, 0.25));
    it = transition(j, "e7", "chat", "call", 50, 30);
    assert_ok(cjm_item_list_add(it, CJM_ATTR_SITUATIONS, "home"));

    it = add(j, CJM_PAINPOINT, "p1");
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TARGET, "call"));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_LABEL, "Lång kö"));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_DESCRIPTION, "45 minuter i telefonkö"));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_ROOT_CAUSE, "för få handläggare"));
    assert_ok(cjm_item_set_number(it, CJM_ATTR_SEVERITY, 4));
    it = add(j, CJM_PAINPOINT, "p2");
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TARGET, "e2"));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_LABEL, "Upprepa ärendet"));
    assert_ok(cjm_item_set_number(it, CJM_ATTR_SEVERITY, 3));
    it = add(j, CJM_GAP, "g1");
    assert_ok(cjm_item_set_text(it, CJM_ATTR_TARGET, "track"));
    assert_ok(cjm_item_set_int(it, CJM_ATTR_GAP_KIND, CJM_GAP_EXPERIENCE));
    assert_ok(cjm_item_set_int(it, CJM_ATTR_DIMENSION, CJM_DIMENSION_RELIABILITY));
    assert_ok(cjm_item_set_number(it, CJM_ATTR_SEVERITY, 3));
    assert_ok(cjm_item_set_text(it, CJM_ATTR_LABEL, "Ingen proaktiv information"));
    deviation(j, "d1", "visit", CJM_DEVIATION_MISSING);
    deviation(j, "d2", "call", CJM_DEVIATION_FAILING);
    deviation(j, "d3", "letter", CJM_DEVIATION_ADHOC);
    deviation(j, "d4", "e5", CJM_DEVIATION_IRREGULAR);
    return m;
}

/* Renders DOT and reads it back with cgraph; the caller agclose()s it. */
static Agraph_t *dot_of(const cjm_map *m, const cjm_render_options *o)
{
    cjm_buffer buf = CJM_BUFFER_INIT;
    Agraph_t *g;
    assert_ok(cjm_render(m, CJM_RENDER_DOT, o, &buf));
    assert_non_null(buf.data);
    assert_int_equal(strlen(buf.data), buf.size);
    agreseterrors();
    g = agmemread(buf.data);
    assert_non_null(g);
    assert_int_equal(agerrors(), 0);
    cjm_buffer_free(&buf);
    return g;
}

static const char *nattr(Agraph_t *g, const char *node, const char *attr)
{
    Agnode_t *n = agnode(g, (char *)node, 0);
    if (!n)
        fail_msg("no node '%s' in the DOT", node);
    return agget(n, (char *)attr);
}

/* The one visible edge from `t` to `h`. */
static Agedge_t *edge_between(Agraph_t *g, const char *t, const char *h)
{
    Agnode_t *a = agnode(g, (char *)t, 0), *b = agnode(g, (char *)h, 0);
    Agedge_t *e;
    assert_non_null(a);
    assert_non_null(b);
    for (e = agfstout(g, a); e; e = agnxtout(g, e))
        if (aghead(e) == b && strcmp(agget(e, "style"), "invis") != 0)
            return e;
    fail_msg("no edge %s -> %s", t, h);
    return NULL;
}

/* Undoes the label escaping: "\\" -> "\", "\n" -> line feed. */
static char *unescape(const char *s)
{
    char *out = malloc(strlen(s) + 1), *p = out;
    assert_non_null(out);
    for (; *s; s++) {
        if (*s == '\\' && s[1] == '\\') {
            *p++ = '\\';
            s++;
        } else if (*s == '\\' && s[1] == 'n') {
            *p++ = '\n';
            s++;
        } else {
            *p++ = *s;
        }
    }
    *p = '\0';
    return out;
}

static int count_visible_nodes(Agraph_t *g)
{
    int k = 0;
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        if (strcmp(agget(n, "style"), "invis") != 0 && strncmp(agnameof(n), "legend ", 7) != 0 &&
            strncmp(agnameof(n), "missing ", 8) != 0)
            k++;
    return k;
}

static int count_visible_edges(Agraph_t *g)
{
    int k = 0;
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e))
            if (strcmp(agget(e, "style"), "invis") != 0)
                k++;
    return k;
}

/* ---- formats -------------------------------------------------------------- */

static void formats_have_names_and_are_found_by_extension(void **state)
{
    cjm_render_format f;
    (void)state;
    assert_string_equal(cjm_render_format_name(CJM_RENDER_DOT), "dot");
    assert_string_equal(cjm_render_format_name(CJM_RENDER_SVG), "svg");
    assert_string_equal(cjm_render_format_name(CJM_RENDER_PNG), "png");
    assert_string_equal(cjm_render_format_name(CJM_RENDER_PDF), "pdf");
    assert_null(cjm_render_format_name(CJM_RENDER_FORMAT_COUNT));
    assert_null(cjm_render_format_name((cjm_render_format)-1));
    assert_ok(cjm_render_format_lookup("SVG", &f));
    assert_int_equal(f, CJM_RENDER_SVG);
    assert_ok(cjm_render_format_lookup("gv", &f));
    assert_int_equal(f, CJM_RENDER_DOT);
    assert_cjm_error(cjm_render_format_lookup("jpeg", &f), CJM_EUNSUPPORTED);
    assert_cjm_error(cjm_render_format_lookup(NULL, &f), CJM_EINVAL);
}

static void every_format_renders_to_memory_with_its_signature(void **state)
{
    static const struct {
        cjm_render_format f;
        const char *magic;
    } cases[] = {{CJM_RENDER_DOT, "digraph"},
                 {CJM_RENDER_SVG, "<?xml"},
                 {CJM_RENDER_PNG, "\x89PNG"},
                 {CJM_RENDER_PDF, "%PDF"}};
    cjm_map *m = sample_map(NULL);
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cjm_buffer buf = CJM_BUFFER_INIT;
        assert_ok(cjm_render(m, cases[i].f, NULL, &buf));
        assert_true(buf.size > 100);
        assert_memory_equal(buf.data, cases[i].magic, strlen(cases[i].magic));
        cjm_buffer_free(&buf);
        assert_null(buf.data);
    }
    cjm_map_free(m);
}

static void every_format_renders_to_a_file_that_replaces_the_old_one(void **state)
{
    const char *dir = test_scratch_dir("render-files");
    cjm_map *m = sample_map(NULL);
    char path[4096];
    (void)state;
    for (int f = 0; f < CJM_RENDER_FORMAT_COUNT; f++) {
        size_t len = 0;
        char *data;
        snprintf(path, sizeof path, "%s/out.%s", dir, cjm_render_format_name(f));
        test_write_file(path, "old", 3);
        assert_ok(cjm_render_file(m, f, NULL, path));
        data = test_read_file(path, &len);
        assert_non_null(data);
        assert_true(len > 100);
        free(data);
    }
    snprintf(path, sizeof path, "%s/out.mmd", dir);
    assert_ok(cjm_render_mermaid_file(m, NULL, path));
    cjm_map_free(m);
}

static void a_failed_write_keeps_the_old_file_and_reports_io(void **state)
{
    const char *dir = test_scratch_dir("render-fail");
    cjm_map *m = sample_map(NULL);
    char path[4096];
    char *data;
    (void)state;
    snprintf(path, sizeof path, "%s/keep.svg", dir);
    test_write_file(path, "old", 3);
    cjm__io_fail(CJM__IO_FSYNC, 1);
    assert_cjm_error(cjm_render_file(m, CJM_RENDER_SVG, NULL, path), CJM_EIO);
    cjm__io_fail(CJM__IO_FSYNC, 0);
    data = test_read_file(path, NULL);
    assert_string_equal(data, "old");
    free(data);
    cjm__io_fail(CJM__IO_WRITE, 1);
    assert_cjm_error(cjm_render_mermaid_file(m, NULL, path), CJM_EIO);
    cjm__io_fail(CJM__IO_WRITE, 0);
    snprintf(path, sizeof path, "%s/no/such/dir/out.svg", dir);
    assert_cjm_error(cjm_render_file(m, CJM_RENDER_SVG, NULL, path), CJM_EIO);
    assert_cjm_error(cjm_render_mermaid_file(m, NULL, path), CJM_EIO);
    cjm_map_free(m);
}

/* ---- the DOT's structure ----------------------------------------------------- */

static void dot_has_a_cluster_per_stage_in_order(void **state)
{
    cjm_map *m = sample_map(NULL);
    Agraph_t *g = dot_of(m, NULL);
    static const char *const labels[] = {"Upptäcka", "Kontakta", "Lösa"};
    static const char *const members[][2] = {{"track", NULL}, {"chat", "call"}, {"refund", "visit"}};
    (void)state;
    assert_string_equal(agget(g, "rankdir"), "LR");
    assert_string_equal(agget(g, "fontsize"), "20");
    assert_string_equal(agget(g, "style"), "solid");
    for (int s = 0; s < 3; s++) {
        char name[32];
        Agraph_t *sub;
        snprintf(name, sizeof name, "cluster_%d", s);
        sub = agsubg(g, name, 0);
        assert_non_null(sub);
        assert_string_equal(agget(sub, "label"), labels[s]);
        /* the cluster's look survives, though it differs from the root's */
        assert_string_equal(agget(sub, "style"), "rounded,filled");
        assert_string_equal(agget(sub, "fontsize"), "14");
        assert_string_equal(agget(sub, "fillcolor"), "#f7f7f7");
        for (int k = 0; k < 2; k++)
            if (members[s][k])
                assert_non_null(agnode(sub, (char *)members[s][k], 0));
    }
    assert_null(agsubg(g, "cluster_3", 0));
    /* the touchpoint without a stage is in no cluster */
    for (int s = 0; s < 3; s++) {
        char name[32];
        snprintf(name, sizeof name, "cluster_%d", s);
        assert_null(agnode(agsubg(g, name, 0), "letter", 0));
    }
    assert_non_null(agnode(g, "letter", 0));
    /* stage order: invisible boundaries between consecutive stages */
    assert_non_null(agnode(g, "stage boundary 0", 0));
    assert_non_null(agnode(g, "stage boundary 1", 0));
    assert_string_equal(nattr(g, "stage boundary 0", "style"), "invis");
    agclose(g);
    cjm_map_free(m);
}

static void dot_nodes_carry_shape_colour_and_marks(void **state)
{
    cjm_map *m = sample_map(NULL);
    Agraph_t *g = dot_of(m, NULL);
    (void)state;
    assert_int_equal(count_visible_nodes(g), 6);
    /* shape by channel kind */
    assert_string_equal(nattr(g, "track", "shape"), "box");
    assert_non_null(strstr(nattr(g, "track", "style"), "rounded"));
    assert_string_equal(nattr(g, "chat", "shape"), "ellipse");
    assert_string_equal(nattr(g, "call", "shape"), "hexagon");
    assert_string_equal(nattr(g, "visit", "shape"), "box3d");
    assert_string_equal(nattr(g, "letter", "shape"), "box");
    assert_null(strstr(nattr(g, "letter", "style"), "rounded"));
    /* fill by rounded perceived score */
    assert_string_equal(nattr(g, "call", "fillcolor"), "#d7191c");
    assert_string_equal(nattr(g, "track", "fillcolor"), "#fdae61");
    assert_string_equal(nattr(g, "chat", "fillcolor"), "#ffffbf");
    assert_string_equal(nattr(g, "refund", "fillcolor"), "#2c7bb6");
    assert_string_equal(nattr(g, "visit", "fillcolor"), "#e0e0e0");
    /* the moment of truth stands out */
    assert_string_equal(nattr(g, "call", "peripheries"), "2");
    assert_string_equal(nattr(g, "track", "peripheries"), "1");
    assert_non_null(strstr(nattr(g, "call", "label"), "\xE2\x98\x85"));
    /* pain points and gaps with their severity, in labels and tooltips */
    assert_non_null(strstr(nattr(g, "call", "label"), "pain 4/5: Lång kö"));
    assert_non_null(strstr(nattr(g, "call", "tooltip"), "root cause: för få handläggare"));
    assert_non_null(strstr(nattr(g, "track", "label"), "gap 3/5 (reliability)"));
    /* deviations by kind */
    assert_non_null(strstr(nattr(g, "visit", "style"), "dashed"));
    assert_string_equal(nattr(g, "call", "color"), "#D55E00");
    assert_string_equal(nattr(g, "letter", "color"), "#0072B2");
    assert_non_null(strstr(nattr(g, "letter", "label"), "ad hoc"));
    /* the title */
    assert_string_equal(agget(g, "label"), "Klagomål på leverans\\nReklamation");
    {
        Agraph_t *legend = agsubg(g, "cluster_legend", 0);
        assert_non_null(legend);
        assert_string_equal(agget(legend, "label"), "Legend");
        assert_string_equal(nattr(g, "legend score 1", "fillcolor"), "#d7191c");
        assert_string_equal(nattr(g, "legend person", "shape"), "hexagon");
        assert_string_equal(nattr(g, "legend failing", "color"), "#D55E00");
        /* no HTML-like label anywhere: Graphviz leaks their parse */
        for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
            assert_false(aghtmlstr(agget(n, "label")));
    }
    agclose(g);
    cjm_map_free(m);
}

static void dot_edges_carry_volume_duration_and_deviations(void **state)
{
    cjm_map *m = sample_map(NULL);
    Agraph_t *g = dot_of(m, NULL);
    Agedge_t *e;
    (void)state;
    assert_int_equal(count_visible_edges(g), 7);
    e = edge_between(g, "track", "call");
    assert_string_equal(agget(e, "penwidth"), "6.00"); /* the largest volume */
    assert_non_null(strstr(agget(e, "label"), "600 \xC2\xB7 1.5 h"));
    assert_non_null(strstr(agget(e, "label"), "pain 3/5: Upprepa ärendet"));
    e = edge_between(g, "track", "chat");
    assert_true(atof(agget(e, "penwidth")) < 6 && atof(agget(e, "penwidth")) > 1);
    assert_non_null(strstr(agget(e, "label"), "400 \xC2\xB7 2 min"));
    e = edge_between(g, "call", "refund");
    assert_non_null(strstr(agget(e, "label"), "3 d"));
    e = edge_between(g, "refund", "visit");
    assert_string_equal(agget(e, "label"), "p 0.25");
    /* the loop back is irregular and does not pull the stages around */
    e = edge_between(g, "call", "track");
    assert_string_equal(agget(e, "constraint"), "false");
    assert_string_equal(agget(e, "color"), "#CC79A7");
    assert_non_null(strstr(agget(e, "tooltip"), "irregular"));
    agclose(g);
    cjm_map_free(m);
}

static void a_planned_touchpoint_that_did_not_happen_is_a_dashed_ghost(void **state)
{
    cjm_map *m = sample_map(NULL);
    cjm_journey *a = NULL;
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    Agraph_t *g, *cluster;
    (void)state;
    assert_ok(cjm_map_add_journey(m, "actual", &a));
    assert_ok(cjm_journey_set_status(a, CJM_STATUS_ACTUAL));
    assert_ok(cjm_journey_set_follows(a, "complaint"));
    add(a, CJM_STAGE, "notice");
    add(a, CJM_STAGE, "contact");
    touchpoint(a, "track", "Spåra", "notice", "web", 2);
    deviation(a, "gone", "call", CJM_DEVIATION_MISSING);   /* planned, not here */
    deviation(a, "nowhere", "ghost", CJM_DEVIATION_MISSING); /* planned nowhere */
    o.journey = "actual";
    g = dot_of(m, &o);
    cluster = agsubg(g, "cluster_1", 0);
    assert_non_null(cluster);
    assert_non_null(agnode(cluster, "missing 0", 0));
    assert_string_equal(nattr(g, "missing 0", "style"), "dashed,rounded");
    assert_non_null(strstr(nattr(g, "missing 0", "label"), "Ringa kundtjänst\\nmissing: gone"));
    assert_non_null(strstr(nattr(g, "missing 0", "tooltip"), "did not happen"));
    assert_non_null(strstr(nattr(g, "missing 1", "label"), "ghost"));
    agclose(g);
    /* the ghost follows the situation of its planned touchpoint */
    o.situation = "moving";
    g = dot_of(m, &o);
    assert_null(agnode(g, "missing 0", 0));
    agclose(g);
    o.situation = NULL;
    o.annotations = CJM_ANNOTATE_PAIN;
    g = dot_of(m, &o);
    assert_null(agnode(g, "missing 0", 0));
    agclose(g);
    cjm_map_free(m);
}

/* cgraph orders named subgraphs by id; the same map must still draw the same. */
static void the_same_map_draws_the_same_every_time(void **state)
{
    cjm_buffer first[2] = {CJM_BUFFER_INIT, CJM_BUFFER_INIT};
    static const cjm_render_format formats[2] = {CJM_RENDER_DOT, CJM_RENDER_SVG};
    (void)state;
    for (int f = 0; f < 2; f++) {
        cjm_map *m = sample_map(NULL);
        assert_ok(cjm_render(m, formats[f], NULL, &first[f]));
        cjm_map_free(m);
    }
    for (int round = 0; round < 6; round++) {
        /* maps made at other addresses, with other strings pooled before */
        cjm_map *spacer = sample_map(NULL), *m = sample_map(NULL);
        for (int f = 0; f < 2; f++) {
            cjm_buffer again = CJM_BUFFER_INIT;
            assert_ok(cjm_render(m, formats[f], NULL, &again));
            if (again.size != first[f].size || memcmp(again.data, first[f].data, again.size) != 0)
                fail_msg("round %d: the %s differs", round, cjm_render_format_name(formats[f]));
            cjm_buffer_free(&again);
        }
        cjm_map_free(m);
        cjm_map_free(spacer);
    }
    cjm_buffer_free(&first[0]);
    cjm_buffer_free(&first[1]);
}

static void the_dot_program_accepts_the_dot(void **state)
{
    const char *dir = test_scratch_dir("render-dotprog");
    cjm_map *m = sample_map(NULL);
    char path[2048], cmd[8400];
    (void)state;
    if (system("command -v dot >/dev/null 2>&1") != 0)
        skip();
    snprintf(path, sizeof path, "%s/sample.dot", dir);
    assert_ok(cjm_render_file(m, CJM_RENDER_DOT, NULL, path));
    snprintf(cmd, sizeof cmd, "dot -Tsvg '%s' -o '%s.svg' 2>'%s.err' && test ! -s '%s.err'", path,
             path, path, path);
    assert_int_equal(system(cmd), 0);
    cjm_map_free(m);
}

/* ---- text ------------------------------------------------------------------- */

static void svg_holds_nordic_and_dutch_letters(void **state)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_buffer buf = CJM_BUFFER_INIT;
    static const char *const words[] = {"Blåbär", "Kärlek", "Smörgås", "Blæst", "Søknad",
                                        "Café", "Ĳsselmeer", "ĳs"};
    (void)state;
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        char id[8];
        snprintf(id, sizeof id, "t%zu", i);
        touchpoint(j, id, words[i], NULL, NULL, 3);
    }
    assert_ok(cjm_render(m, CJM_RENDER_SVG, NULL, &buf));
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!strstr(buf.data, words[i]))
            fail_msg("the SVG lacks '%s'", words[i]);
    cjm_buffer_free(&buf);
    assert_ok(cjm_render(m, CJM_RENDER_DOT, NULL, &buf));
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        assert_non_null(strstr(buf.data, words[i]));
    cjm_buffer_free(&buf);
    cjm_map_free(m);
}

static void hostile_labels_survive_dot_write_and_cgraph_read(void **state)
{
    static const char *const labels[] = {
        "say \"hi\"",         "trailing\\",         "C:\\new\\dir",   "\\\\",
        "a\\\"b",             "<b>bold</b> & <i>",  "{ x = 1; }",     "two\nlines",
        "tab\there",          "-> [label=x]",       "\\N \\G \\L \\l", "\"\\\"",
        "];node[shape=box", "<<TABLE>>",          "#&amp;",         "é\\"};
    static const char *const ids[] = {"node", "edge", "graph", "subgraph", "say\"q",
                                      "back\\slash", "<x>", "a->b"};
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    Agraph_t *g;
    char id[16];
    size_t big_n = 100 * 1024;
    char *big = malloc(big_n + 1);
    const char *pat = "lång \"text\" \\ {}<>&\t\n";
    (void)state;
    for (size_t i = 0; i < big_n; i++)
        big[i] = pat[i % strlen(pat)];
    big[big_n] = '\0';
    while (big_n > 0 && (unsigned char)big[big_n - 1] >= 0x80) /* end on a whole character */
        big[--big_n] = '\0';
    big[big_n - 1] = '\\';

    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
        snprintf(id, sizeof id, "t%zu", i);
        touchpoint(j, id, labels[i], NULL, NULL, 0);
    }
    touchpoint(j, "big", big, NULL, NULL, 0);
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        touchpoint(j, ids[i], ids[i], NULL, NULL, 0);

    g = dot_of(m, NULL);
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
        char *back;
        snprintf(id, sizeof id, "t%zu", i);
        back = unescape(nattr(g, id, "label"));
        assert_string_equal(back, labels[i]);
        free(back);
    }
    {
        char *back = unescape(nattr(g, "big", "label"));
        assert_int_equal(strlen(back), strlen(big));
        assert_string_equal(back, big);
        free(back);
    }
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        char name[32];
        char *back;
        snprintf(name, sizeof name, "touchpoint %zu", sizeof labels / sizeof *labels + 1 + i);
        back = unescape(nattr(g, strchr(ids[i], '\\') ? name : ids[i], "label"));
        assert_string_equal(back, ids[i]);
        free(back);
    }
    assert_int_equal(count_visible_nodes(g), (int)(sizeof labels / sizeof *labels) + 1 +
                                                 (int)(sizeof ids / sizeof *ids));
    agclose(g);

    /* the same text reaches SVG, escaped for XML */
    {
        cjm_buffer buf = CJM_BUFFER_INIT;
        assert_ok(cjm_render(m, CJM_RENDER_SVG, NULL, &buf));
        assert_non_null(strstr(buf.data, "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;"));
        assert_non_null(strstr(buf.data, "C:\\new\\dir"));
        assert_null(strstr(buf.data, "<b>bold"));
        cjm_buffer_free(&buf);
    }
    free(big);
    cjm_map_free(m);
}

static void escaping_doubles_backslashes_and_breaks_lines(void **state)
{
    cjm__buf b;
    (void)state;
    cjm__buf_init(&b, NULL);
    assert_ok(cjm__gv_escape(&b, "a\\b\nc\r\nd\re\"", 0));
    assert_string_equal(b.data, "a\\\\b\\nc\\nd\\ne\"");
    b.len = 0;
    assert_ok(cjm__gv_escape(&b, "åäöåäö", 3));
    assert_string_equal(b.data, "åäö\xE2\x80\xA6");
    cjm__buf_free(&b);
}

/* ---- SVG ------------------------------------------------------------------- */

static void svg_tooltips_carry_the_annotations(void **state)
{
    cjm_map *m = sample_map(NULL);
    cjm_buffer buf = CJM_BUFFER_INIT;
    (void)state;
    assert_ok(cjm_render(m, CJM_RENDER_SVG, NULL, &buf));
    assert_non_null(strstr(buf.data, "xlink:title=\"Ringa kundtjänst"));
    assert_non_null(strstr(buf.data, "root cause: för få handläggare"));
    assert_non_null(strstr(buf.data, "45 minuter i telefonkö"));
    assert_non_null(strstr(buf.data, "Legend"));
    cjm_buffer_free(&buf);
    cjm_map_free(m);
}

/* ---- options ------------------------------------------------------------------ */

static void a_situation_view_keeps_what_that_customer_meets(void **state)
{
    cjm_map *m = sample_map(NULL);
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    Agraph_t *g;
    (void)state;
    o.situation = "home";
    g = dot_of(m, &o);
    assert_null(agnode(g, "chat", 0));
    assert_non_null(agnode(g, "call", 0));
    assert_non_null(agnode(g, "track", 0));
    assert_int_equal(count_visible_nodes(g), 5);
    /* e1, e4 and e7 touch the chat */
    assert_int_equal(count_visible_edges(g), 4);
    assert_non_null(strstr(agget(g, "label"), "situation: At home"));
    agclose(g);

    o.situation = "moving";
    g = dot_of(m, &o);
    assert_null(agnode(g, "call", 0));
    assert_non_null(agnode(g, "chat", 0));
    agclose(g);
    cjm_map_free(m);
}

static void annotations_legend_and_direction_can_be_switched(void **state)
{
    cjm_map *m = sample_map(NULL);
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    Agraph_t *g;
    (void)state;
    o.annotations = CJM_ANNOTATE_NONE;
    o.legend = 0;
    o.direction = CJM_DIRECTION_TB;
    g = dot_of(m, &o);
    assert_string_equal(agget(g, "rankdir"), "TB");
    assert_null(agsubg(g, "cluster_legend", 0));
    assert_null(agnode(g, "legend score 1", 0));
    assert_null(strstr(nattr(g, "call", "label"), "pain"));
    assert_string_equal(nattr(g, "call", "color"), "#333333");
    assert_null(strstr(nattr(g, "visit", "style"), "dashed"));
    agclose(g);

    o.annotations = CJM_ANNOTATE_PAIN;
    g = dot_of(m, &o);
    assert_non_null(strstr(nattr(g, "call", "label"), "pain 4/5"));
    assert_null(strstr(nattr(g, "track", "label"), "gap"));
    agclose(g);

    o.annotations = CJM_ANNOTATE_GAPS;
    g = dot_of(m, &o);
    assert_null(strstr(nattr(g, "call", "label"), "pain"));
    assert_non_null(strstr(nattr(g, "track", "label"), "gap 3/5"));
    assert_string_equal(nattr(g, "call", "color"), "#D55E00");
    agclose(g);
    cjm_map_free(m);
}

static void a_journey_is_chosen_by_id(void **state)
{
    cjm_map *m = sample_map(NULL);
    cjm_journey *j = NULL;
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    Agraph_t *g;
    (void)state;
    assert_ok(cjm_map_add_journey(m, "second", &j));
    touchpoint(j, "only", "Den andra", NULL, NULL, 5);
    o.journey = "second";
    g = dot_of(m, &o);
    assert_int_equal(count_visible_nodes(g), 1);
    assert_non_null(agnode(g, "only", 0));
    agclose(g);
    cjm_map_free(m);
}

static void bad_arguments_are_refused_with_a_reason(void **state)
{
    cjm_map *m = sample_map(NULL), *empty = NULL;
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    cjm_buffer buf = CJM_BUFFER_INIT;
    (void)state;
    assert_cjm_error(cjm_render(NULL, CJM_RENDER_DOT, NULL, &buf), CJM_EINVAL);
    assert_cjm_error(cjm_render(m, CJM_RENDER_DOT, NULL, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_render(m, CJM_RENDER_FORMAT_COUNT, NULL, &buf), CJM_EINVAL);
    assert_cjm_error(cjm_render(m, (cjm_render_format)-2, NULL, &buf), CJM_EINVAL);
    assert_cjm_error(cjm_render_file(m, CJM_RENDER_DOT, NULL, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_render_mermaid(m, NULL, NULL), CJM_EINVAL);
    o.version = 99;
    assert_cjm_error(cjm_render(m, CJM_RENDER_DOT, &o, &buf), CJM_EINVAL);
    o.version = CJM_RENDER_OPTIONS_VERSION;
    o.annotations = 8;
    assert_cjm_error(cjm_render(m, CJM_RENDER_DOT, &o, &buf), CJM_EINVAL);
    o.annotations = CJM_ANNOTATE_ALL;
    o.direction = (cjm_render_direction)7;
    assert_cjm_error(cjm_render(m, CJM_RENDER_DOT, &o, &buf), CJM_EINVAL);
    o.direction = CJM_DIRECTION_LR;
    o.journey = "nope";
    assert_cjm_error(cjm_render(m, CJM_RENDER_SVG, &o, &buf), CJM_ENOTFOUND);
    assert_non_null(strstr(cjm_error_last()->message, "nope"));
    assert_cjm_error(cjm_render_mermaid(m, &o, &buf), CJM_ENOTFOUND);
    o.journey = NULL;
    o.situation = "web"; /* a channel, not a situation */
    assert_cjm_error(cjm_render(m, CJM_RENDER_DOT, &o, &buf), CJM_ENOTFOUND);
    assert_null(buf.data);
    assert_ok(cjm_map_new(&empty, NULL));
    assert_cjm_error(cjm_render(empty, CJM_RENDER_PNG, NULL, &buf), CJM_ENOTFOUND);
    assert_cjm_error(cjm_render_mermaid(empty, NULL, &buf), CJM_ENOTFOUND);
    cjm_map_free(empty);
    cjm_map_free(m);
}

static void an_empty_journey_still_draws(void **state)
{
    cjm_map *m = NULL;
    cjm_buffer buf = CJM_BUFFER_INIT;
    (void)state;
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "empty", NULL));
    for (int f = 0; f < CJM_RENDER_FORMAT_COUNT; f++) {
        assert_ok(cjm_render(m, f, NULL, &buf));
        cjm_buffer_free(&buf);
    }
    cjm_map_free(m);
}

/* ---- Mermaid ---------------------------------------------------------------- */

static void mermaid_has_sections_tasks_scores_and_actors(void **state)
{
    cjm_map *m = sample_map(NULL);
    cjm_buffer buf = CJM_BUFFER_INIT;
    (void)state;
    assert_ok(cjm_render_mermaid(m, NULL, &buf));
    assert_string_equal(buf.data,
                        "journey\n"
                        "    title Klagomål på leverans \xE2\x80\x94 Reklamation\n"
                        "  section Upptäcka\n"
                        "    Spåra paketet: 2: Kund, Kundservice#44; Malmö\n"
                        "  section Kontakta\n"
                        "    Chatta#58; var är paketet?: 3\n"
                        "    Ringa kundtjänst: 1\n"
                        "  section Lösa\n"
                        "    Återbetalning: 5\n"
                        "    Besöka butiken (no score): 3\n"
                        "  section Other\n"
                        "    Brev (no score): 3\n");
    cjm_buffer_free(&buf);
    cjm_map_free(m);
}

static void mermaid_escapes_what_it_cannot_take(void **state)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_buffer buf = CJM_BUFFER_INIT;
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    cjm_item *tp;
    (void)state;
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_set_title(m, "A: b; #c\nd"));
    def(m, CJM_ACTOR, "x", "Anna, Bo: #1");
    def(m, CJM_SITUATION, "s", "Stressed");
    assert_ok(cjm_map_add_journey(m, "j", &j));
    assert_ok(cjm_item_set_text(add(j, CJM_STAGE, "st"), CJM_ATTR_LABEL, "title: x"));
    tp = touchpoint(j, "t", "section two; three\n#four", "st", NULL, 0.2);
    assert_ok(cjm_item_set_text(tp, CJM_ATTR_INITIATOR, "x"));
    assert_ok(cjm_item_set_text(tp, CJM_ATTR_RECEIVER, "x"));
    touchpoint(j, "blank", " \n ", "st", NULL, 4);
    tp = touchpoint(j, "u", "hidden", "st", NULL, 9);
    assert_ok(cjm_item_list_add(tp, CJM_ATTR_SITUATIONS, "other"));
    o.situation = "s";
    assert_ok(cjm_render_mermaid(m, &o, &buf));
    assert_string_equal(buf.data,
                        "journey\n"
                        "    title A#58; b#59; #35;c d \xE2\x80\x94 j (Stressed)\n"
                        "  section #116;itle#58; x\n"
                        "    #115;ection two#59; three #35;four: 1: Anna#44; Bo#58; #35;1\n"
                        "    blank: 4\n");
    cjm_buffer_free(&buf);
    cjm_map_free(m);
}

/* ---- out of memory ------------------------------------------------------------- */

typedef struct oom_ctx {
    const cjm_map *map;
    cjm_render_format format;
    int mermaid;
} oom_ctx;

static int render_step(const cjm_allocator *alloc, void *ctx)
{
    oom_ctx *c = ctx;
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    cjm_buffer buf = CJM_BUFFER_INIT;
    int rc;
    o.allocator = alloc;
    rc = c->mermaid ? cjm_render_mermaid(c->map, &o, &buf)
                    : cjm_render(c->map, c->format, &o, &buf);
    if (rc == 0) {
        if (!buf.data || buf.size == 0)
            fail_msg("an empty result");
        cjm_buffer_free(&buf);
    } else if (buf.data) {
        fail_msg("a failed render handed back bytes");
    }
    return rc;
}

static int build_step(const cjm_allocator *alloc, void *ctx)
{
    oom_ctx *c = ctx;
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    Agraph_t *g = NULL;
    int rc;
    o.allocator = alloc;
    cjm__gv_lock();
    rc = cjm__diagram_build(c->map, &o, &g);
    if (rc == 0)
        agclose(g);
    else if (g)
        fail_msg("a failed build handed back a graph");
    cjm__gv_unlock();
    return rc;
}

static void running_out_of_memory_fails_cleanly(void **state)
{
    cjm_map *m = sample_map(NULL);
    oom_ctx c = {m, CJM_RENDER_DOT, 0};
    (void)state;
    assert_true(test_oom_loop(build_step, &c, 0) > 10);
    assert_true(test_oom_loop(build_step, &c, 1) > 10);
    assert_true(test_oom_loop(render_step, &c, 0) > 10);
    assert_true(test_oom_loop(render_step, &c, 1) > 10);
    c.format = CJM_RENDER_SVG;
    assert_true(test_oom_loop(render_step, &c, 1) > 10);
    c.mermaid = 1;
    assert_true(test_oom_loop(render_step, &c, 0) > 1);
    cjm_map_free(m);
}

/* ---- threads ------------------------------------------------------------------ */

static void *render_in_thread(void *arg)
{
    const cjm_map *m = arg;
    for (int i = 0; i < 5; i++) {
        cjm_buffer buf = CJM_BUFFER_INIT;
        int rc = cjm_render(m, i % 2 ? CJM_RENDER_SVG : CJM_RENDER_DOT, NULL, &buf);
        cjm_buffer_free(&buf);
        if (rc != 0)
            return (void *)1;
    }
    return NULL;
}

static void maps_on_separate_threads_render_at_once(void **state)
{
    cjm_map *maps[4];
    pthread_t th[4];
    (void)state;
    for (int i = 0; i < 4; i++)
        maps[i] = sample_map(NULL);
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, render_in_thread, maps[i]), 0);
    for (int i = 0; i < 4; i++) {
        void *res;
        assert_int_equal(pthread_join(th[i], &res), 0);
        assert_null(res);
    }
    for (int i = 0; i < 4; i++)
        cjm_map_free(maps[i]);
}

/* ---- the DOT export and the graph that is laid out ----------------------------- */

/*
 * The DOT export is written from the diagram's record, without Graphviz;
 * layout uses the cgraph graph made from the same record. Writing that
 * graph out with cgraph must give the export's bytes exactly.
 */
static void assert_dot_is_the_graph(const cjm_map *m, const cjm_render_options *o)
{
    cjm_buffer buf = CJM_BUFFER_INIT;
    cjm__buf b;
    Agraph_t *g = NULL;
    int built, written = -1;
    assert_ok(cjm_render(m, CJM_RENDER_DOT, o, &buf));
    cjm__buf_init(&b, NULL);
    cjm__gv_lock();
    built = cjm__diagram_build(m, o, &g);
    if (built == 0) {
        written = cjm__diagram_write_dot(g, &b);
        agclose(g);
    }
    cjm__gv_unlock();
    assert_ok(built);
    assert_ok(written);
    if (buf.size != b.len || memcmp(buf.data, b.data, b.len) != 0) {
        size_t k = 0;
        while (k < buf.size && k < b.len && buf.data[k] == b.data[k])
            k++;
        fail_msg("journey %s: the DOT export differs from the graph's DOT at byte %zu:\n"
                 "export: %.80s\ngraph:  %.80s",
                 o && o->journey ? o->journey : "(first)", k, buf.data + k, b.data + k);
    }
    cjm__buf_free(&b);
    cjm_buffer_free(&buf);
}

/* Every situation (and none), with and without annotations, legend, both directions. */
static void assert_dot_is_the_graph_every_way(const cjm_map *m, const char *journey)
{
    size_t ns = cjm_map_count(m, CJM_SITUATION);
    for (size_t s = 0; s <= ns; s++)
        for (int v = 0; v < 8; v++) {
            cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
            o.journey = journey;
            o.situation = s < ns ? cjm_item_id(cjm_map_at(m, CJM_SITUATION, s)) : NULL;
            o.annotations = v & 1 ? CJM_ANNOTATE_ALL : CJM_ANNOTATE_NONE;
            o.direction = v & 2 ? CJM_DIRECTION_TB : CJM_DIRECTION_LR;
            o.legend = !(v & 4);
            assert_dot_is_the_graph(m, &o);
        }
}

/*
 * What could set the two apart: out-edges made in another order than
 * their heads, parallel edges and a loop, names and labels with quotes
 * and backslashes, a stage whose label is the title, and a title that
 * reads "Legend" like the legend's cluster.
 */
static cjm_map *ordering_map(void)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL, *k = NULL;
    cjm_item *it;
    assert_ok(cjm_map_new(&m, NULL));
    it = def(m, CJM_CHANNEL, "w\"eb", "W\\eb \"quoted\"");
    assert_ok(cjm_item_set_int(it, CJM_ATTR_CHANNEL_KIND, CJM_CHANNEL_SELF_SERVICE));
    assert_ok(cjm_map_add_journey(m, "j\"1", &j));
    assert_ok(cjm_journey_set_label(j, "Same"));
    assert_ok(cjm_item_set_text(add(j, CJM_STAGE, "a"), CJM_ATTR_LABEL, "Same"));
    assert_ok(cjm_item_set_text(add(j, CJM_STAGE, "b"), CJM_ATTR_LABEL, "B \\ \"b\"\nline"));
    add(j, CJM_STAGE, "empty");
    touchpoint(j, "t\"0", "Zero\\", "a", "w\"eb", 1);
    touchpoint(j, "t\\1", "One", "a", NULL, 2.5);
    touchpoint(j, "t2", NULL, "b", "w\"eb", 0);
    touchpoint(j, "t3", "Three \"3\"", "b", NULL, 5);
    touchpoint(j, "t4", "Four", NULL, NULL, 0);
    transition(j, "e1", "t3", "t4", 10, 60);
    transition(j, "e2", "t3", "t\"0", 5, -1);
    transition(j, "e3", "t3", "t2", -1, 7200);
    transition(j, "e4", "t3", "t\\1", 1, 1);
    transition(j, "e5", "t3", "t\\1", 2, 2);
    transition(j, "e6", "t3", "t3", -1, -1);
    transition(j, "e7", "t\"0", "t\\1", 3, -1);
    transition(j, "e8", "t\\1", "t2", 3, -1);
    transition(j, "e9", "t4", "t\"0", -1, -1);
    deviation(j, "d1", "t2", CJM_DEVIATION_MISSING);
    deviation(j, "d2", "e4", CJM_DEVIATION_FAILING);
    assert_ok(cjm_map_add_journey(m, "k", &k));
    assert_ok(cjm_journey_set_label(k, "Legend"));
    add(k, CJM_STAGE, "a");
    add(k, CJM_STAGE, "b");
    touchpoint(k, "x", NULL, "b", NULL, 0);
    touchpoint(k, "y", NULL, "a", NULL, 0);
    transition(k, "f1", "x", "y", -1, -1);
    return m;
}

static void the_dot_export_is_the_laid_out_graph_written_out(void **state)
{
    cjm_map *m = sample_map(NULL);
    (void)state;
    assert_dot_is_the_graph(m, NULL);
    assert_dot_is_the_graph_every_way(m, NULL);
    cjm_map_free(m);
    m = ordering_map();
    assert_dot_is_the_graph_every_way(m, "j\"1");
    assert_dot_is_the_graph_every_way(m, "k");
    cjm_map_free(m);
}

static void every_example_dot_export_is_the_laid_out_graph_written_out(void **state)
{
    glob_t gl;
    char pattern[4096];
    (void)state;
    snprintf(pattern, sizeof pattern, "%s/examples/*.xml", CJM_SOURCE_DIR);
    if (glob(pattern, 0, NULL, &gl) != 0) {
        print_message("no examples/*.xml to draw yet\n");
        skip();
    }
    for (size_t f = 0; f < gl.gl_pathc; f++) {
        cjm_map *m = NULL;
        if (cjm_xml_read_file(&m, gl.gl_pathv[f], NULL) != 0)
            fail_msg("%s: %s", gl.gl_pathv[f], cjm_error_last()->message);
        for (size_t k = 0; k < cjm_map_journey_count(m); k++)
            assert_dot_is_the_graph_every_way(m, cjm_journey_id(cjm_map_journey_at(m, k)));
        cjm_map_free(m);
    }
    globfree(&gl);
}

/* ---- the examples ------------------------------------------------------------ */

static void every_example_journey_renders_to_every_format(void **state)
{
    glob_t gl;
    char pattern[4096];
    size_t drawn = 0;
    (void)state;
    snprintf(pattern, sizeof pattern, "%s/examples/*.xml", CJM_SOURCE_DIR);
    if (glob(pattern, 0, NULL, &gl) != 0) {
        print_message("no examples/*.xml to draw yet\n");
        skip();
    }
    for (size_t f = 0; f < gl.gl_pathc; f++) {
        cjm_map *m = NULL;
        if (cjm_xml_read_file(&m, gl.gl_pathv[f], NULL) != 0)
            fail_msg("%s: %s", gl.gl_pathv[f], cjm_error_last()->message);
        for (size_t k = 0; k < cjm_map_journey_count(m); k++) {
            const cjm_journey *j = cjm_map_journey_at(m, k);
            cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
            Agraph_t *g;
            size_t nst = cjm_journey_count(j, CJM_STAGE);
            o.journey = cjm_journey_id(j);
            for (int fmt = 0; fmt < CJM_RENDER_FORMAT_COUNT; fmt++) {
                cjm_buffer buf = CJM_BUFFER_INIT;
                if (cjm_render(m, fmt, &o, &buf) != 0)
                    fail_msg("%s, journey %s, %s: %s", gl.gl_pathv[f], o.journey,
                             cjm_render_format_name(fmt), cjm_error_last()->message);
                assert_true(buf.size > 100);
                cjm_buffer_free(&buf);
            }
            /* the DOT has one node per touchpoint and one cluster per stage */
            g = dot_of(m, &o);
            assert_int_equal(count_visible_nodes(g), (int)cjm_journey_count(j, CJM_TOUCHPOINT));
            for (size_t s = 0; s < nst; s++) {
                char name[32];
                snprintf(name, sizeof name, "cluster_%zu", s);
                assert_non_null(agsubg(g, name, 0));
            }
            assert_true(count_visible_edges(g) <= (int)cjm_journey_count(j, CJM_TRANSITION));
            agclose(g);
            drawn++;
        }
        cjm_map_free(m);
    }
    globfree(&gl);
    assert_true(drawn > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formats_have_names_and_are_found_by_extension),
        cmocka_unit_test(every_format_renders_to_memory_with_its_signature),
        cmocka_unit_test(every_format_renders_to_a_file_that_replaces_the_old_one),
        cmocka_unit_test(a_failed_write_keeps_the_old_file_and_reports_io),
        cmocka_unit_test(dot_has_a_cluster_per_stage_in_order),
        cmocka_unit_test(dot_nodes_carry_shape_colour_and_marks),
        cmocka_unit_test(dot_edges_carry_volume_duration_and_deviations),
        cmocka_unit_test(a_planned_touchpoint_that_did_not_happen_is_a_dashed_ghost),
        cmocka_unit_test(the_same_map_draws_the_same_every_time),
        cmocka_unit_test(the_dot_program_accepts_the_dot),
        cmocka_unit_test(svg_holds_nordic_and_dutch_letters),
        cmocka_unit_test(hostile_labels_survive_dot_write_and_cgraph_read),
        cmocka_unit_test(escaping_doubles_backslashes_and_breaks_lines),
        cmocka_unit_test(svg_tooltips_carry_the_annotations),
        cmocka_unit_test(a_situation_view_keeps_what_that_customer_meets),
        cmocka_unit_test(annotations_legend_and_direction_can_be_switched),
        cmocka_unit_test(a_journey_is_chosen_by_id),
        cmocka_unit_test(bad_arguments_are_refused_with_a_reason),
        cmocka_unit_test(an_empty_journey_still_draws),
        cmocka_unit_test(mermaid_has_sections_tasks_scores_and_actors),
        cmocka_unit_test(mermaid_escapes_what_it_cannot_take),
        cmocka_unit_test(running_out_of_memory_fails_cleanly),
        cmocka_unit_test(maps_on_separate_threads_render_at_once),
        cmocka_unit_test(every_example_journey_renders_to_every_format),
        cmocka_unit_test(the_dot_export_is_the_laid_out_graph_written_out),
        cmocka_unit_test(every_example_dot_export_is_the_laid_out_graph_written_out),
    };
    /* CJM_TEST_SKIP=pattern leaves out the matching tests (cmocka's skip filter). */
    if (getenv("CJM_TEST_SKIP"))
        cmocka_set_skip_filter(getenv("CJM_TEST_SKIP"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
