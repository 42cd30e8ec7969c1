/*
 * Diagrams, case by case: every escaping of labels, ids, tooltips and
 * Mermaid text, every option and its invalid values, every format, bad
 * arguments, odd journeys, the diagram record and the cgraph writer
 * behind the DOT export, and every allocation of them failing in turn.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static void text(cjm_item *it, cjm_attr attr, const char *value)
{
    assert_ok(cjm_item_set_text(it, attr, value));
}

static void number(cjm_item *it, cjm_attr attr, double value)
{
    assert_ok(cjm_item_set_number(it, attr, value));
}

static void integer(cjm_item *it, cjm_attr attr, int value)
{
    assert_ok(cjm_item_set_int(it, attr, value));
}

static cjm_item *touchpoint(cjm_journey *j, const char *id, const char *label, const char *stage,
                            const char *channel)
{
    cjm_item *tp = add(j, CJM_TOUCHPOINT, id);
    if (label)
        text(tp, CJM_ATTR_LABEL, label);
    if (stage)
        text(tp, CJM_ATTR_STAGE, stage);
    if (channel)
        text(tp, CJM_ATTR_CHANNEL, channel);
    return tp;
}

static cjm_item *transition(cjm_journey *j, const char *id, const char *from, const char *to)
{
    cjm_item *tr = add(j, CJM_TRANSITION, id);
    text(tr, CJM_ATTR_FROM, from);
    text(tr, CJM_ATTR_TO, to);
    return tr;
}

static cjm_item *deviation(cjm_journey *j, const char *id, const char *target, int kind)
{
    cjm_item *g = add(j, CJM_GAP, id);
    if (target)
        text(g, CJM_ATTR_TARGET, target);
    integer(g, CJM_ATTR_GAP_KIND, CJM_GAP_DEVIATION);
    integer(g, CJM_ATTR_DEVIATION, kind);
    return g;
}

static cjm_item *pain(cjm_journey *j, const char *id, const char *target, const char *label)
{
    cjm_item *p = add(j, CJM_PAINPOINT, id);
    if (target)
        text(p, CJM_ATTR_TARGET, target);
    if (label)
        text(p, CJM_ATTR_LABEL, label);
    return p;
}

/* A string of `n` copies of `unit`, malloc'd. */
static char *repeat(const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = malloc(u * n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * u, unit, u);
    s[u * n] = '\0';
    return s;
}

static char *dot_text(const cjm_map *m, const cjm_render_options *o)
{
    cjm_buffer buf = CJM_BUFFER_INIT;
    char *copy;
    assert_ok(cjm_render(m, CJM_RENDER_DOT, o, &buf));
    assert_non_null(buf.data);
    assert_int_equal(strlen(buf.data), buf.size);
    copy = strdup(buf.data);
    cjm_buffer_free(&buf);
    return copy;
}

/* Renders DOT and reads it back with cgraph; the caller agclose()s it. */
static Agraph_t *dot_of(const cjm_map *m, const cjm_render_options *o)
{
    char *dot = dot_text(m, o);
    Agraph_t *g;
    agreseterrors();
    g = agmemread(dot);
    assert_non_null(g);
    assert_int_equal(agerrors(), 0);
    free(dot);
    return g;
}

static char *mermaid_of(const cjm_map *m, const cjm_render_options *o)
{
    cjm_buffer buf = CJM_BUFFER_INIT;
    char *copy;
    assert_ok(cjm_render_mermaid(m, o, &buf));
    copy = strdup(buf.data);
    cjm_buffer_free(&buf);
    return copy;
}

static const char *nattr(Agraph_t *g, const char *node, const char *attr)
{
    Agnode_t *n = agnode(g, (char *)node, 0);
    if (!n)
        fail_msg("no node '%s' in the DOT", node);
    return agget(n, (char *)attr);
}

static Agedge_t *edge_between(Agraph_t *g, const char *t, const char *h)
{
    Agnode_t *a = agnode(g, (char *)t, 0), *b = agnode(g, (char *)h, 0);
    assert_non_null(a);
    assert_non_null(b);
    for (Agedge_t *e = agfstout(g, a); e; e = agnxtout(g, e))
        if (aghead(e) == b && strcmp(agget(e, "style"), "invis") != 0)
            return e;
    fail_msg("no edge %s -> %s", t, h);
    return NULL;
}

static const char *eattr(Agraph_t *g, const char *t, const char *h, const char *attr)
{
    return agget(edge_between(g, t, h), (char *)attr);
}

/* Undoes the label escaping: "\\" -> "\", "\n" -> line feed. */
static char *unescape(const char *s)
{
    char *out = malloc(strlen(s) + 1), *p = out;
    assert_non_null(out);
    for (; *s; s++) {
        if (*s == '\\' && (s[1] == '\\' || s[1] == 'n')) {
            *p++ = s[1] == 'n' ? '\n' : '\\';
            s++;
        } else {
            *p++ = *s;
        }
    }
    *p = '\0';
    return out;
}

static void assert_unescaped(const char *escaped, const char *want)
{
    char *back = unescape(escaped);
    if (strcmp(back, want) != 0)
        fail_msg("read back '%s', wanted '%s'", back, want);
    free(back);
}

/* ---- escaping --------------------------------------------------------------- */

static void labels_ids_and_tooltips_read_back_as_written(void **state)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_item *it;
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    Agraph_t *g;
    char *dot;
    (void)state;
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_set_title(m, "Map \"one\"\\ two\r\nthree\rfour"));
    it = def(m, CJM_CHANNEL, "ch\"1", "Kanal \\ \"x\"\n<b>&amp;</b>");
    integer(it, CJM_ATTR_CHANNEL_KIND, CJM_CHANNEL_ASSISTED);
    def(m, CJM_SITUATION, "s\\1", "Sit \"a\"\\");
    assert_ok(cjm_map_add_journey(m, "j\\x", &j));
    assert_ok(cjm_journey_set_label(j, "Label\\\n\"q\""));
    text(add(j, CJM_STAGE, "st\"a"), CJM_ATTR_LABEL, "Stage \\N \\G\r\n{ x }");
    it = touchpoint(j, "t\"1", "<table>\"&\"</table>\\", "st\"a", "ch\"1");
    text(it, CJM_ATTR_OWNER, "Owner \"o\"\\\nnext");
    number(it, CJM_ATTR_PERCEIVED, 2);
    number(it, CJM_ATTR_EXPECTED, 4.5);
    it = touchpoint(j, "t\\2", "two\\", "st\"a", NULL);
    transition(j, "e1", "t\"1", "t\\2");

    o.situation = "s\\1";
    g = dot_of(m, &o);
    /* a graph whose id holds a backslash is named "journey" */
    assert_string_equal(agnameof(g), "journey");
    assert_unescaped(agget(g, "label"),
                     "Map \"one\"\\ two\nthree\nfour\nLabel\\\n\"q\"\nsituation: Sit \"a\"\\");
    assert_string_equal(agget(g, "tooltip"), agget(g, "label"));
    assert_unescaped(agget(agsubg(g, "cluster_0", 0), "label"), "Stage \\N \\G\n{ x }");
    assert_unescaped(nattr(g, "t\"1", "label"),
                     "<table>\"&\"</table>\\\n[Kanal \\ \"x\"\n<b>&amp;</b>]");
    assert_unescaped(nattr(g, "t\"1", "tooltip"),
                     "<table>\"&\"</table>\\\nchannel: Kanal \\ \"x\"\n<b>&amp;</b> (assisted)\n"
                     "owner: Owner \"o\"\\\nnext\nperceived 2\nexpected 4.5");
    /* an id with a backslash becomes a node name of the library's own */
    assert_null(agnode(g, "t\\2", 0));
    assert_unescaped(nattr(g, "touchpoint 1", "label"), "two\\");
    assert_unescaped(eattr(g, "t\"1", "touchpoint 1", "tooltip"),
                     "<table>\"&\"</table>\\ \xE2\x86\x92 two\\");
    agclose(g);

    /* the text itself: backslashes doubled, quotes escaped once, breaks as \n */
    dot = dot_text(m, NULL);
    assert_non_null(strstr(dot, "digraph \"journey\" {"));
    assert_non_null(strstr(dot, "\"t\\\"1\""));
    assert_non_null(strstr(dot, "label=\"two\\\\\""));
    assert_non_null(strstr(dot, "Map \\\"one\\\"\\\\ two\\nthree\\nfour\\n"));
    assert_null(strchr(dot, '\r'));
    free(dot);

    /*
     * SVG carries the same text, escaped for XML. Graphviz 2.42 reads a byte
     * past the end of an edge tooltip that ends in a backslash when it
     * writes SVG, so that label loses its backslash here.
     */
    text(it, CJM_ATTR_LABEL, "two");
    {
        cjm_buffer buf = CJM_BUFFER_INIT;
        assert_ok(cjm_render(m, CJM_RENDER_SVG, NULL, &buf));
        assert_non_null(strstr(buf.data, "&lt;table&gt;&quot;&amp;&quot;&lt;/table&gt;\\"));
        assert_null(strstr(buf.data, "<table>"));
        cjm_buffer_free(&buf);
    }
    cjm_map_free(m);
}

static void clear(cjm__buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static void escape_cuts_whole_characters_and_counts_a_break_as_one(void **state)
{
    cjm__buf b;
    (void)state;
    cjm__buf_init(&b, NULL);
    /* exactly as long as the limit: nothing cut */
    assert_ok(cjm__gv_escape(&b, "abc", 3));
    assert_string_equal(b.data, "abc");
    clear(&b);
    /* CR LF is one character, cut after it */
    assert_ok(cjm__gv_escape(&b, "a\r\nbc", 2));
    assert_string_equal(b.data, "a\\n\xE2\x80\xA6");
    clear(&b);
    /* cut right after an escape: nothing of the run is pending */
    assert_ok(cjm__gv_escape(&b, "\\\\x", 2));
    assert_string_equal(b.data, "\\\\\\\\\xE2\x80\xA6");
    clear(&b);
    /* four-byte characters are never split */
    assert_ok(cjm__gv_escape(&b, "\xF0\x9F\x98\x80\xF0\x9F\x98\x81\xF0\x9F\x98\x82", 2));
    assert_string_equal(b.data, "\xF0\x9F\x98\x80\xF0\x9F\x98\x81\xE2\x80\xA6");
    clear(&b);
    /* a lone CR at the end, a quote left for the DOT writer */
    assert_ok(cjm__gv_escape(&b, "\"x\"\r", 0));
    assert_string_equal(b.data, "\"x\"\\n");
    clear(&b);
    assert_ok(cjm__gv_escape(&b, "", 5));
    assert_string_equal(b.data, "");
    cjm__buf_free(&b);
}

static void long_annotations_are_cut_in_labels_and_whole_in_tooltips(void **state)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_item *it;
    Agraph_t *g;
    char *longtext = repeat("åb", 60), *want;
    const char *tip;
    (void)state;
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    touchpoint(j, "t", "T", NULL, NULL);
    touchpoint(j, "u", "U", NULL, NULL);
    transition(j, "e", "t", "u");
    it = pain(j, "p1", "t", longtext);
    number(it, CJM_ATTR_SEVERITY, 4);
    text(it, CJM_ATTR_DESCRIPTION, "described");
    text(it, CJM_ATTR_ROOT_CAUSE, "a cause");
    number(it, CJM_ATTR_AFFECTED, 250);
    /* a description only: the label line shows it cut, the tooltip whole */
    it = pain(j, "p2", "t", NULL);
    text(it, CJM_ATTR_DESCRIPTION, longtext);
    /* neither: the id */
    pain(j, "p3", "t", "");
    /* a gap without a kind, and an experience gap with a dimension */
    it = add(j, CJM_GAP, "g1");
    text(it, CJM_ATTR_TARGET, "e");
    text(it, CJM_ATTR_LABEL, "plain gap");
    it = add(j, CJM_GAP, "g2");
    text(it, CJM_ATTR_TARGET, "e");
    integer(it, CJM_ATTR_GAP_KIND, CJM_GAP_EXPERIENCE);
    integer(it, CJM_ATTR_DIMENSION, CJM_DIMENSION_CARE);
    number(it, CJM_ATTR_SEVERITY, 2.5);
    it = deviation(j, "d1", "e", CJM_DEVIATION_FAILING);
    number(it, CJM_ATTR_SEVERITY, 1);
    /* an annotation of a stage, of nothing, of an unknown id: not drawn */
    add(j, CJM_STAGE, "s");
    pain(j, "p4", "s", "on a stage");
    pain(j, "p5", NULL, "on nothing");
    pain(j, "p6", "nowhere", "on an unknown id");

    g = dot_of(m, NULL);
    want = malloc(2 * strlen(longtext) + 256);
    assert_non_null(want);
    snprintf(want, 256, "T\npain 4/5: %.72s\xE2\x80\xA6\npain: %.72s\xE2\x80\xA6\npain: p3", longtext,
             longtext); /* 48 characters are 72 bytes of "åb" */
    assert_unescaped(nattr(g, "t", "label"), want);
    tip = nattr(g, "t", "tooltip");
    sprintf(want, "T\n\npain 4/5: %s \xE2\x80\x94 described\nroot cause: a cause\ncustomers hit: 250"
                  "\n\npain: %s\n\npain: p3",
            longtext, longtext);
    assert_unescaped(tip, want);
    assert_unescaped(eattr(g, "t", "u", "label"),
                     "gap: plain gap\ngap 2.5/5 (care): g2\nfailing 1/5: d1");
    assert_null(strstr(agget(edge_between(g, "t", "u"), "label"), "on "));
    assert_null(strstr(nattr(g, "u", "label"), "on "));
    agclose(g);
    free(want);
    free(longtext);
    cjm_map_free(m);
}

static void very_long_labels_and_ids_are_kept_whole(void **state)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    char id[300], *big = repeat("\xE2\x82\xAC\\\"x\n", 40000); /* 240 KB */
    Agraph_t *g;
    (void)state;
    memset(id, 'i', 256);
    id[256] = '\0';
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, id, &j));
    touchpoint(j, id, big, NULL, NULL);
    touchpoint(j, "small", "s", NULL, NULL);
    touchpoint(j, "second", big, NULL, NULL);
    transition(j, "e", id, "second");
    g = dot_of(m, NULL);
    assert_string_equal(agnameof(g), id);
    assert_unescaped(nattr(g, id, "label"), big);
    assert_unescaped(nattr(g, "second", "label"), big);
    assert_non_null(edge_between(g, id, "second"));
    agclose(g);
    free(big);
    cjm_map_free(m);
}

/* ---- Mermaid ---------------------------------------------------------------- */

static void mermaid_text_escapes_every_case(void **state)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_item *it;
    char *mm, *big = repeat("ab", 3000), *want;
    (void)state;
    assert_ok(cjm_map_new(&m, NULL));
    def(m, CJM_ACTOR, "a1", "%% comment, not");
    def(m, CJM_ACTOR, "blank", " \t\r\n");
    def(m, CJM_CHANNEL, "web", "Web");
    assert_ok(cjm_map_add_journey(m, "jid", &j));
    assert_ok(cjm_journey_set_label(j, ""));
    text(add(j, CJM_STAGE, "s1"), CJM_ATTR_LABEL, "\t accTitle: x");
    add(j, CJM_STAGE, "s2"); /* no label: its id */
    add(j, CJM_STAGE, "s3"); /* no touchpoints: no section */
    it = touchpoint(j, "t1", "\r\njourney\tone, two", "s1", NULL);
    number(it, CJM_ATTR_PERCEIVED, 2.5);
    text(it, CJM_ATTR_INITIATOR, "a1");
    it = touchpoint(j, "t2", "accDescr{x}", "s2", NULL);
    number(it, CJM_ATTR_PERCEIVED, 0.4);
    text(it, CJM_ATTR_RECEIVER, "web"); /* not an actor: its id */
    it = touchpoint(j, "t3", big, "s2", NULL);
    number(it, CJM_ATTR_PERCEIVED, 5.4);
    text(it, CJM_ATTR_INITIATOR, "blank");
    text(it, CJM_ATTR_RECEIVER, "ghost,actor");
    touchpoint(j, "t4", "on a touchpoint", "t1", NULL); /* a stage that is not one */
    touchpoint(j, "t5", "unknown stage", "nowhere", NULL);

    mm = mermaid_of(m, NULL);
    want = malloc(strlen(big) + 512);
    assert_non_null(want);
    sprintf(want,
            "journey\n"
            "    title jid\n"
            "  section #97;ccTitle#58; x\n"
            "    #106;ourney one, two: 3: #37;%% comment#44; not\n"
            "  section s2\n"
            "    #97;ccDescr{x}: 1: web\n"
            "    %s: 5: blank, ghost#44;actor\n"
            "  section Other\n"
            "    on a touchpoint (no score): 3\n"
            "    unknown stage (no score): 3\n",
            big);
    assert_string_equal(mm, want);
    free(mm);
    free(want);
    free(big);
    cjm_map_free(m);
}

static void scores_far_outside_the_scale_are_drawn_at_its_ends(void **state)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    Agraph_t *g;
    char *mm;
    (void)state;
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    number(touchpoint(j, "high", NULL, NULL, NULL), CJM_ATTR_PERCEIVED, 1e30);
    number(touchpoint(j, "low", NULL, NULL, NULL), CJM_ATTR_PERCEIVED, -1e30);
    number(touchpoint(j, "zero", NULL, NULL, NULL), CJM_ATTR_PERCEIVED, 0);
    number(touchpoint(j, "six", NULL, NULL, NULL), CJM_ATTR_PERCEIVED, 6);
    g = dot_of(m, NULL);
    assert_string_equal(nattr(g, "high", "fillcolor"), "#2c7bb6");
    assert_string_equal(nattr(g, "six", "fillcolor"), "#2c7bb6");
    assert_string_equal(nattr(g, "low", "fillcolor"), "#d7191c");
    assert_string_equal(nattr(g, "zero", "fillcolor"), "#d7191c");
    agclose(g);
    mm = mermaid_of(m, NULL);
    assert_string_equal(mm, "journey\n    title j\n  section Other\n"
                            "    high: 5\n    low: 1\n    zero: 1\n    six: 5\n");
    free(mm);
    cjm_map_free(m);
}

/* ---- options, formats and arguments --------------------------------------------- */

static void format_lookup_takes_every_name_and_refuses_others(void **state)
{
    static const struct {
        const char *name;
        cjm_render_format f;
    } names[] = {{"dot", CJM_RENDER_DOT}, {"GV", CJM_RENDER_DOT}, {"Svg", CJM_RENDER_SVG},
                 {"PNG", CJM_RENDER_PNG}, {"pdf", CJM_RENDER_PDF}};
    cjm_render_format f = CJM_RENDER_FORMAT_COUNT;
    (void)state;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        assert_ok(cjm_render_format_lookup(names[i].name, &f));
        assert_int_equal(f, names[i].f);
    }
    assert_cjm_error(cjm_render_format_lookup(NULL, &f), CJM_EINVAL);
    assert_cjm_error(cjm_render_format_lookup("svg", NULL), CJM_EINVAL);
    assert_cjm_error(cjm_render_format_lookup("jpeg", &f), CJM_EUNSUPPORTED);
    assert_non_null(strstr(cjm_error_last()->message, "jpeg"));
    assert_cjm_error(cjm_render_format_lookup("", &f), CJM_EUNSUPPORTED);
    assert_cjm_error(cjm_render_format_lookup("svgz", &f), CJM_EUNSUPPORTED);
    assert_null(cjm_render_format_name((cjm_render_format)99));
}

static cjm_map *small_map(void)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_set_title(m, "Small"));
    def(m, CJM_SITUATION, "s", "S");
    def(m, CJM_ACTOR, "a", "A");
    assert_ok(cjm_map_add_journey(m, "j", &j));
    text(add(j, CJM_STAGE, "st"), CJM_ATTR_LABEL, "Stage");
    touchpoint(j, "t", "T", "st", NULL);
    return m;
}

static void every_invalid_option_is_refused_by_every_writer(void **state)
{
    cjm_map *m = small_map();
    cjm_buffer buf = CJM_BUFFER_INIT;
    (void)state;
    for (int bad = 0; bad < 7; bad++) {
        cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
        int want = CJM_EINVAL;
        switch (bad) {
        case 0: o.version = 0; break;
        case 1: o.version = CJM_RENDER_OPTIONS_VERSION + 1; break;
        case 2: o.annotations = 4; break;
        case 3: o.annotations = ~0u; break;
        case 4: o.direction = (cjm_render_direction)-1; break;
        case 5: o.journey = ""; want = CJM_ENOTFOUND; break;
        default: o.situation = "a"; want = CJM_ENOTFOUND; break; /* an actor */
        }
        for (int f = 0; f < CJM_RENDER_FORMAT_COUNT; f++) {
            assert_cjm_error(cjm_render(m, (cjm_render_format)f, &o, &buf), want);
            assert_null(buf.data);
            assert_int_equal(buf.size, 0);
        }
        assert_cjm_error(cjm_render_mermaid(m, &o, &buf), want);
        assert_null(buf.data);
        assert_cjm_error(cjm_render_file(m, CJM_RENDER_DOT, &o, "unused.dot"), want);
        assert_cjm_error(cjm_render_mermaid_file(m, &o, "unused.mmd"), want);
    }
    {
        cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
        o.situation = "no such id";
        assert_cjm_error(cjm_render(m, CJM_RENDER_DOT, &o, &buf), CJM_ENOTFOUND);
        assert_non_null(strstr(cjm_error_last()->message, "no such id"));
    }
    assert_cjm_error(cjm_render_mermaid(NULL, NULL, &buf), CJM_EINVAL);
    assert_cjm_error(cjm_render_mermaid_file(m, NULL, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_render_mermaid_file(NULL, NULL, "x.mmd"), CJM_EINVAL);
    assert_cjm_error(cjm_render_file(NULL, CJM_RENDER_SVG, NULL, "x.svg"), CJM_EINVAL);
    assert_cjm_error(cjm_render(m, (cjm_render_format)-1, NULL, &buf), CJM_EINVAL);
    {
        Agraph_t *g = (Agraph_t *)1;
        assert_cjm_error(cjm__diagram_build(m, NULL, NULL), CJM_EINVAL);
        cjm__gv_lock();
        assert_int_equal(cjm__diagram_build(NULL, NULL, &g), CJM_EINVAL);
        cjm__gv_unlock();
        assert_null(g);
    }
    cjm_map_free(m);
}

static void every_option_and_format_draws_with_the_callers_allocator(void **state)
{
    cjm_map *m = small_map();
    static const unsigned anns[] = {CJM_ANNOTATE_NONE, CJM_ANNOTATE_PAIN, CJM_ANNOTATE_GAPS,
                                    CJM_ANNOTATE_ALL};
    (void)state;
    for (int f = 0; f < CJM_RENDER_FORMAT_COUNT; f++) {
        cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
        test_alloc t;
        cjm_buffer buf = CJM_BUFFER_INIT;
        test_alloc_init(&t, 0, 0);
        o.allocator = &t.base;
        o.journey = "j";
        o.situation = "s";
        o.annotations = anns[f];
        o.direction = f % 2 ? CJM_DIRECTION_TB : CJM_DIRECTION_LR;
        o.legend = f % 2;
        assert_ok(cjm_render(m, (cjm_render_format)f, &o, &buf));
        assert_true(buf.size > 0);
        assert_true(t.calls > 0);
        assert_int_equal(t.live, 1); /* the bytes handed back */
        cjm_buffer_free(&buf);
        assert_int_equal(t.live, 0);
        if (f == 0) {
            assert_ok(cjm_render_mermaid(m, &o, &buf));
            assert_string_equal(buf.data, "journey\n    title Small \xE2\x80\x94 j (S)\n"
                                          "  section Stage\n    T (no score): 3\n");
            cjm_buffer_free(&buf);
            assert_int_equal(t.live, 0);
        }
    }
    cjm_map_free(m);
}

static void files_are_written_whole_or_not_at_all(void **state)
{
    cjm_map *m = small_map();
    const char *dir = test_scratch_dir("cov_render_files");
    char path[4096], *back;
    size_t len;
    (void)state;
    snprintf(path, sizeof path, "%s/j.mmd", dir);
    assert_ok(cjm_render_mermaid_file(m, NULL, path));
    back = test_read_file(path, &len);
    assert_non_null(back);
    assert_non_null(strstr(back, "section Stage"));
    free(back);
    for (int f = 0; f < CJM_RENDER_FORMAT_COUNT; f++) {
        snprintf(path, sizeof path, "%s/j.%s", dir, cjm_render_format_name(f));
        assert_ok(cjm_render_file(m, (cjm_render_format)f, NULL, path));
        back = test_read_file(path, &len);
        assert_non_null(back);
        assert_true(len > 0);
        free(back);
    }
    /* a folder that does not exist */
    snprintf(path, sizeof path, "%s/no/such/dir/j.dot", dir);
    assert_cjm_error(cjm_render_file(m, CJM_RENDER_DOT, NULL, path), CJM_EIO);
    assert_cjm_error(cjm_render_mermaid_file(m, NULL, path), CJM_EIO);
    /* a path that is a folder */
    assert_cjm_error(cjm_render_file(m, CJM_RENDER_SVG, NULL, dir), CJM_EIO);
    cjm_map_free(m);
}

/* ---- odd journeys ------------------------------------------------------------- */

static void a_journey_without_stages_or_channels_draws_everything_at_the_top(void **state)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_item *it;
    Agraph_t *g;
    char *dot;
    (void)state;
    assert_ok(cjm_map_new(&m, NULL));
    def(m, CJM_ACTOR, "actor", "An actor");
    it = def(m, CJM_CHANNEL, "nokind", "No kind");
    assert_ok(cjm_map_add_journey(m, "j", &j));
    touchpoint(j, "a", NULL, NULL, "actor");     /* a channel that is an actor */
    touchpoint(j, "b", "", NULL, "unknown");     /* an unknown channel, an empty label */
    touchpoint(j, "c", "C", "a", "nokind");      /* a stage that is a touchpoint */
    it = transition(j, "e1", "a", "b");          /* no volume, no probability */
    number(it, CJM_ATTR_DURATION, 45);
    transition(j, "e2", "b", "c");               /* nothing at all */
    transition(j, "e3", "a", "nowhere");         /* an unknown end */
    transition(j, "e4", "e1", "a");              /* an end that is a transition */
    transition(j, "e5", "c", "c");               /* a loop */
    it = add(j, CJM_TRANSITION, "e6");           /* no ends at all */
    (void)it;

    g = dot_of(m, NULL);
    assert_null(agfstsubg(agsubg(g, "cluster_legend", 0)));
    assert_string_equal(nattr(g, "a", "label"), "a");
    assert_string_equal(nattr(g, "a", "shape"), "box");
    assert_string_equal(nattr(g, "b", "label"), "b");
    assert_unescaped(nattr(g, "c", "label"), "C\n[No kind]");
    assert_unescaped(nattr(g, "c", "tooltip"), "C\nchannel: No kind");
    assert_string_equal(eattr(g, "a", "b", "label"), "45 s");
    assert_string_equal(eattr(g, "a", "b", "penwidth"), "1");
    assert_string_equal(eattr(g, "b", "c", "label"), "");
    assert_unescaped(eattr(g, "b", "c", "tooltip"), "b \xE2\x86\x92 C");
    assert_string_equal(eattr(g, "c", "c", "constraint"), "true");
    agclose(g);
    /* no "stage boundary" nodes without two stages that are used */
    dot = dot_text(m, NULL);
    assert_null(strstr(dot, "stage boundary"));
    assert_null(strstr(dot, "nowhere"));
    free(dot);
    cjm_map_free(m);
}

static void transitions_show_volume_probability_and_duration(void **state)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_item *it;
    Agraph_t *g;
    (void)state;
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    add(j, CJM_STAGE, "s1");
    add(j, CJM_STAGE, "s2");
    for (int i = 0; i < 8; i++) {
        char id[8];
        snprintf(id, sizeof id, "t%d", i);
        touchpoint(j, id, NULL, i < 4 ? "s1" : "s2", NULL);
    }
    it = transition(j, "e1", "t0", "t1");
    number(it, CJM_ATTR_PROBABILITY, 2);          /* above 1: the widest */
    number(it, CJM_ATTR_DURATION, 90);
    it = transition(j, "e2", "t1", "t2");
    number(it, CJM_ATTR_PROBABILITY, 0);          /* no width */
    number(it, CJM_ATTR_DURATION, 7200);
    it = transition(j, "e3", "t2", "t3");
    number(it, CJM_ATTR_VOLUME, 0);               /* zero volume: no width */
    number(it, CJM_ATTR_PROBABILITY, 0.5);
    number(it, CJM_ATTR_DURATION, 3 * 86400);
    it = transition(j, "e4", "t3", "t4");
    deviation(j, "d1", "e4", CJM_DEVIATION_IRREGULAR); /* a flag alone */
    pain(j, "p1", "e4", "slow");
    it = transition(j, "e5", "t4", "t5");
    number(it, CJM_ATTR_DURATION, 10);
    deviation(j, "d2", "e5", CJM_DEVIATION_IRREGULAR);
    it = transition(j, "e6", "t5", "t6");
    deviation(j, "d3", "e6", CJM_DEVIATION_MISSING);
    deviation(j, "d4", "e6", CJM_DEVIATION_ADHOC);
    it = transition(j, "e7", "t6", "t7");
    deviation(j, "d5", "e7", CJM_DEVIATION_ADHOC);
    pain(j, "p2", "e7", NULL);
    it = transition(j, "e8", "t7", "t4");         /* back within a stage */
    it = transition(j, "e9", "t5", "t0");         /* back to an earlier stage */

    g = dot_of(m, NULL);
    assert_string_equal(eattr(g, "t0", "t1", "label"), "p 2 \xC2\xB7 1.5 min");
    assert_string_equal(eattr(g, "t0", "t1", "penwidth"), "6.00");
    assert_string_equal(eattr(g, "t1", "t2", "label"), "p 0 \xC2\xB7 2 h");
    assert_string_equal(eattr(g, "t1", "t2", "penwidth"), "1");
    assert_string_equal(eattr(g, "t2", "t3", "label"), "0 \xC2\xB7 3 d");
    assert_unescaped(eattr(g, "t2", "t3", "tooltip"), "t2 \xE2\x86\x92 t3\nvolume 0\nprobability 0.5");
    assert_string_equal(eattr(g, "t2", "t3", "penwidth"), "1");
    assert_unescaped(eattr(g, "t3", "t4", "label"), "\xE2\x86\xAF\npain: slow\nirregular: d1");
    assert_string_equal(eattr(g, "t3", "t4", "color"), "#CC79A7");
    assert_unescaped(eattr(g, "t4", "t5", "label"), "10 s \xE2\x86\xAF\nirregular: d2");
    assert_string_equal(eattr(g, "t5", "t6", "style"), "dashed");
    assert_string_equal(eattr(g, "t5", "t6", "color"), "#0072B2");
    assert_string_equal(eattr(g, "t6", "t7", "fontcolor"), "#0072B2");
    /* a label that would start with a line break starts with the annotation */
    assert_unescaped(eattr(g, "t6", "t7", "label"), "pain: p2\nad hoc: d5");
    assert_string_equal(eattr(g, "t7", "t4", "constraint"), "false");
    assert_string_equal(eattr(g, "t5", "t0", "constraint"), "false");
    agclose(g);
    cjm_map_free(m);
}

static void touchpoint_marks_combine(void **state)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_item *it;
    Agraph_t *g;
    (void)state;
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    it = touchpoint(j, "mot", "M", NULL, NULL);
    integer(it, CJM_ATTR_MOMENT_OF_TRUTH, 1);
    deviation(j, "d1", "mot", CJM_DEVIATION_IRREGULAR);
    touchpoint(j, "adhoc", "A", NULL, NULL);
    deviation(j, "d2", "adhoc", CJM_DEVIATION_ADHOC);
    deviation(j, "d3", "adhoc", CJM_DEVIATION_MISSING);
    touchpoint(j, "irr", "I", NULL, NULL);
    deviation(j, "d4", "irr", CJM_DEVIATION_IRREGULAR);
    g = dot_of(m, NULL);
    assert_unescaped(nattr(g, "mot", "label"), "\xE2\x98\x85 \xE2\x86\xAF M\nirregular: d1");
    assert_string_equal(nattr(g, "mot", "peripheries"), "2");
    assert_string_equal(nattr(g, "mot", "penwidth"), "2.5");
    assert_unescaped(nattr(g, "mot", "tooltip"), "M\nmoment of truth\n\nirregular: d1");
    assert_string_equal(nattr(g, "adhoc", "color"), "#0072B2");
    assert_string_equal(nattr(g, "adhoc", "style"), "filled,dashed");
    assert_string_equal(nattr(g, "irr", "color"), "#CC79A7");
    assert_string_equal(nattr(g, "irr", "penwidth"), "2.5");
    agclose(g);
    cjm_map_free(m);
}

/*
 * An actual journey following a planned one: missing deviations drawn as
 * ghosts in the planned stage, at the top when the stage is not drawn
 * here, not at all when the planned touchpoint is in another situation.
 */
static void an_actual_journey_draws_what_did_not_happen(void **state)
{
    cjm_map *m = NULL;
    cjm_journey *p = NULL, *a = NULL;
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    cjm_item *it;
    Agraph_t *g;
    char *dot;
    (void)state;
    assert_ok(cjm_map_new(&m, NULL));
    def(m, CJM_SITUATION, "home", "Home");
    def(m, CJM_SITUATION, "away", "Away");
    assert_ok(cjm_map_add_journey(m, "plan", &p));
    add(p, CJM_STAGE, "s1");
    add(p, CJM_STAGE, "s2");
    add(p, CJM_STAGE, "s3");
    touchpoint(p, "p1", "Planned one", "s1", NULL);
    touchpoint(p, "p2", "Planned two", "s2", NULL);
    it = touchpoint(p, "p3", "Planned away", "s2", NULL);
    assert_ok(cjm_item_list_add(it, CJM_ATTR_SITUATIONS, "away"));
    touchpoint(p, "p4", "Planned elsewhere", "s3", NULL);
    touchpoint(p, "p5", "Planned stageless", NULL, NULL);

    assert_ok(cjm_map_add_journey(m, "act", &a));
    assert_ok(cjm_journey_set_status(a, CJM_STATUS_ACTUAL));
    assert_ok(cjm_journey_set_follows(a, "plan"));
    text(add(a, CJM_STAGE, "s1"), CJM_ATTR_LABEL, "One");
    text(add(a, CJM_STAGE, "s2"), CJM_ATTR_LABEL, "Two");
    touchpoint(a, "x1", "X1", "s1", NULL);
    touchpoint(a, "x2", "X2", "s2", NULL);
    transition(a, "e1", "x1", "x2");
    it = deviation(a, "m1", "p1", CJM_DEVIATION_MISSING);
    number(it, CJM_ATTR_SEVERITY, 5);
    deviation(a, "m2", "p2", CJM_DEVIATION_MISSING);
    deviation(a, "m3", "p3", CJM_DEVIATION_MISSING);
    deviation(a, "m4", "p4", CJM_DEVIATION_MISSING); /* its stage is not in this journey */
    deviation(a, "m5", "p5", CJM_DEVIATION_MISSING);
    deviation(a, "m6", "s3", CJM_DEVIATION_MISSING); /* a planned stage, not a touchpoint */
    deviation(a, "m7", "zz", CJM_DEVIATION_MISSING); /* planned nowhere */
    deviation(a, "m8", NULL, CJM_DEVIATION_MISSING); /* no target */
    deviation(a, "f1", "zz", CJM_DEVIATION_FAILING); /* not missing: not drawn */

    o.journey = "act";
    o.situation = "home";
    g = dot_of(m, &o);
    assert_unescaped(agget(g, "label"), "act (actual)\nsituation: Home");
    assert_non_null(agnode(agsubg(g, "cluster_0", 0), "missing 0", 0));
    assert_unescaped(nattr(g, "missing 0", "label"), "Planned one\nmissing 5/5: m1");
    assert_unescaped(nattr(g, "missing 0", "tooltip"),
                     "planned, did not happen: Planned one\n\nmissing 5/5: m1");
    assert_string_equal(nattr(g, "missing 0", "style"), "dashed,rounded");
    assert_non_null(agnode(agsubg(g, "cluster_1", 0), "missing 1", 0));
    assert_null(agnode(g, "missing 2", 0)); /* away only */
    assert_null(agnode(agsubg(g, "cluster_1", 0), "missing 3", 0));
    assert_unescaped(nattr(g, "missing 3", "label"), "Planned elsewhere\nmissing: m4");
    assert_unescaped(nattr(g, "missing 4", "label"), "Planned stageless\nmissing: m5");
    assert_unescaped(nattr(g, "missing 5", "label"), "s3\nmissing: m6");
    assert_unescaped(nattr(g, "missing 6", "label"), "zz\nmissing: m7");
    assert_unescaped(nattr(g, "missing 7", "label"), "planned touchpoint\nmissing: m8");
    assert_unescaped(nattr(g, "missing 7", "tooltip"),
                     "planned, did not happen: a planned touchpoint\n\nmissing: m8");
    assert_null(agnode(g, "missing 8", 0));
    agclose(g);

    /* the ghosts keep the stages in order like touchpoints do */
    dot = dot_text(m, &o);
    assert_non_null(strstr(dot, "\"missing 0\" -> \"stage boundary 0\""));
    assert_non_null(strstr(dot, "\"stage boundary 0\" -> \"missing 1\""));
    free(dot);

    /* following a journey the map does not have: every ghost at the top, named by target */
    assert_ok(cjm_journey_set_follows(a, "gone"));
    o.situation = NULL;
    g = dot_of(m, &o);
    assert_unescaped(nattr(g, "missing 0", "label"), "p1\nmissing 5/5: m1");
    assert_non_null(agnode(g, "missing 2", 0));
    assert_null(agnode(agsubg(g, "cluster_0", 0), "missing 0", 0));
    agclose(g);

    /* annotations off: no ghosts */
    o.annotations = CJM_ANNOTATE_PAIN;
    g = dot_of(m, &o);
    assert_null(agnode(g, "missing 0", 0));
    agclose(g);
    cjm_map_free(m);
}

static void only_one_used_stage_needs_no_ordering(void **state)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    char *dot;
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    cjm_item *it;
    (void)state;
    assert_ok(cjm_map_new(&m, NULL));
    def(m, CJM_SITUATION, "s", "S");
    assert_ok(cjm_map_add_journey(m, "j", &j));
    add(j, CJM_STAGE, "a");
    add(j, CJM_STAGE, "b");
    touchpoint(j, "x", NULL, "a", NULL);
    it = touchpoint(j, "y", NULL, "b", NULL);
    assert_ok(cjm_item_list_add(it, CJM_ATTR_SITUATIONS, "other"));
    o.situation = "s";
    dot = dot_text(m, &o);
    assert_null(strstr(dot, "stage boundary"));
    assert_non_null(strstr(dot, "subgraph \"cluster_1\""));
    free(dot);
    dot = dot_text(m, NULL);
    assert_non_null(strstr(dot, "stage boundary 0"));
    free(dot);
    cjm_map_free(m);
}

/* ---- the record -------------------------------------------------------------- */

static const cjm__dg_attr plain_graph[2] = {{"label", ""}, {"color", ""}};
static const cjm__dg_attr plain_node[2] = {{"shape", "box"}, {"label", "\\N"}};
static const cjm__dg_attr plain_edge[1] = {{"style", "solid"}};

static int open_plain(cjm__dgraph *d, const cjm_allocator *a, const char *name)
{
    const cjm__dg_attr *const attrs[CJM__DG_KINDS] = {plain_graph, plain_node, plain_edge};
    static const size_t counts[CJM__DG_KINDS] = {2, 2, 1};
    return cjm__dg_open(d, a, name, attrs, counts);
}

static void the_record_ignores_what_it_does_not_hold(void **state)
{
    cjm__dgraph d;
    cjm__buf b;
    long s, n, e;
    (void)state;
    assert_ok(open_plain(&d, NULL, "g"));
    s = cjm__dg_subgraph(&d, "empty");
    assert_int_equal(s, 0);
    n = cjm__dg_node(&d, -1, "n");
    assert_int_equal(cjm__dg_edge(&d, n, -1), -1);
    assert_int_equal(cjm__dg_edge(&d, -1, n), -1);
    e = cjm__dg_edge(&d, n, n);
    cjm__dg_set(&d, CJM__DG_NODE, n, -1, "x");
    cjm__dg_set(&d, CJM__DG_NODE, n, 2, "x");
    cjm__dg_set(&d, CJM__DG_NODE, 5, 0, "x");
    cjm__dg_set(&d, CJM__DG_NODE, -1, 0, "x");
    cjm__dg_set(&d, CJM__DG_EDGE, e + 1, 0, "x");
    cjm__dg_set(&d, CJM__DG_GRAPH, 3, 0, "x");
    cjm__dg_set(&d, CJM__DG_NODE, n, 0, NULL); /* "": not the default */
    cjm__dg_set(&d, CJM__DG_EDGE, e, 0, "solid"); /* the default: no value */
    cjm__buf_init(&b, NULL);
    assert_ok(cjm__dg_write_dot(&d, &b));
    /* an empty root graph and an unchanged subgraph print no "graph" line */
    assert_string_equal(b.data, "digraph \"g\" {\n"
                                "\tnode [label=\"\\N\",\n\t\tshape=\"box\"];\n"
                                "\tedge [style=\"solid\"];\n"
                                "\tsubgraph \"empty\" {\n\t}\n"
                                "\t\"n\"\t[shape=\"\"];\n"
                                "\t\"n\" -> \"n\";\n"
                                "}\n");
    cjm__buf_free(&b);
    cjm__dg_free(&d);
}

static void the_record_refuses_too_many_attributes_and_a_failed_start(void **state)
{
    cjm__dg_attr many[CJM__DG_MAX_ATTRS + 1];
    const cjm__dg_attr *const attrs[CJM__DG_KINDS] = {many, many, many};
    const size_t counts[CJM__DG_KINDS] = {1, CJM__DG_MAX_ATTRS + 1, 1};
    cjm__dgraph d;
    test_alloc t;
    Agraph_t *g = (Agraph_t *)1;
    cjm__buf b;
    (void)state;
    for (size_t i = 0; i < sizeof many / sizeof *many; i++)
        many[i] = (cjm__dg_attr){"label", ""};
    assert_cjm_error(cjm__dg_open(&d, NULL, "g", attrs, counts), CJM_ERROR);
    cjm__dg_free(&d);

    /* the name cannot be kept: everything after is refused too */
    test_alloc_init(&t, 1, 0);
    assert_int_equal(open_plain(&d, &t.base, "g"), CJM_ENOMEM);
    assert_int_equal(cjm__dg_subgraph(&d, "s"), -1);
    assert_int_equal(cjm__dg_node(&d, -1, "n"), -1);
    cjm__buf_init(&b, NULL);
    assert_cjm_error(cjm__dg_write_dot(&d, &b), CJM_ENOMEM);
    cjm__buf_free(&b);
    cjm__gv_lock();
    assert_int_equal(cjm__dg_to_cgraph(&d, &g), CJM_ENOMEM);
    cjm__gv_unlock();
    assert_null(g);
    cjm__dg_free(&d);
    assert_int_equal(t.live, 0);
}

static void a_record_too_large_to_grow_runs_out_of_memory(void **state)
{
    cjm__dgraph d;
    (void)state;
    assert_ok(open_plain(&d, NULL, "g"));
    /* as if the arrays were full at a size whose double cannot be counted */
    d.nnode = d.cap_node = SIZE_MAX / 2 + 1;
    assert_int_equal(cjm__dg_node(&d, -1, "n"), -1);
    assert_true(d.failed);
    d.nnode = d.cap_node = 0;
    cjm__dg_free(&d);

    assert_ok(open_plain(&d, NULL, "g"));
    d.nedge = d.cap_edge = SIZE_MAX / 16;
    assert_int_equal(cjm__dg_edge(&d, 0, 0), -1);
    assert_true(d.failed);
    d.nedge = d.cap_edge = 0;
    cjm__dg_free(&d);
}

static void a_name_longer_than_a_chunk_is_kept(void **state)
{
    cjm__dgraph d;
    cjm__buf b;
    char *name = repeat("n", 70000), *value = repeat("v", 70000);
    (void)state;
    assert_ok(open_plain(&d, NULL, name));
    cjm__dg_set(&d, CJM__DG_GRAPH, -1, 0, value);
    cjm__dg_set(&d, CJM__DG_GRAPH, -1, 1, "c");
    cjm__buf_init(&b, NULL);
    assert_ok(cjm__dg_write_dot(&d, &b));
    assert_true(b.len > 140000);
    assert_int_equal(memcmp(b.data + 9, name, 70000), 0);
    assert_non_null(strstr(b.data, "color=\"c\",\n\t\tlabel=\"vvv"));
    cjm__buf_free(&b);
    cjm__dg_free(&d);
    free(name);
    free(value);
}

/* ---- the cgraph writer and the subgraph ids ------------------------------------- */

static char *graph_dot(Agraph_t *g)
{
    cjm__buf b;
    char *out;
    cjm__buf_init(&b, NULL);
    assert_ok(cjm__diagram_write_dot(g, &b));
    out = strdup(b.data);
    cjm__buf_free(&b);
    return out;
}

static void the_graph_writer_writes_any_cgraph_graph(void **state)
{
    Agraph_t *g1, *g2, *g3;
    char *dot1, *dot2, *dot3;
    (void)state;
    /* everything with cgraph under the lock, the checks after it */
    cjm__gv_lock();
    agreseterrors();
    /* strict, undirected, no attributes at all */
    g1 = agmemread("strict graph \"u\" { a -- b; }");
    dot1 = g1 ? graph_dot(g1) : NULL;
    /* an HTML-like label, subgraphs nested deeper than the indent goes */
    g2 = agmemread("digraph d { label=<<b>x</b>>; subgraph s1 { subgraph s2 { subgraph s3 {"
                   " subgraph s4 { subgraph s5 { subgraph s6 { subgraph s7 { subgraph s8 {"
                   " subgraph s9 { subgraph s10 { deep; } } } } } } } } } } }");
    dot2 = g2 ? graph_dot(g2) : NULL;
    /* more attributes than the writer keeps: the first 64 are written */
    g3 = agopen("many", Agdirected, NULL);
    for (int i = 0; i < 70; i++) {
        char name[16];
        snprintf(name, sizeof name, "a%02d", i);
        agattr(g3, AGRAPH, name, "v");
        agattr(g3, AGNODE, name, "");
        agattr(g3, AGEDGE, name, "");
    }
    dot3 = graph_dot(g3);
    if (g1)
        agclose(g1);
    if (g2)
        agclose(g2);
    agclose(g3);
    cjm__gv_unlock();

    assert_non_null(dot1);
    assert_non_null(strstr(dot1, "strict graph \"u\" {\n"));
    assert_non_null(strstr(dot1, "\t\"a\" -- \"b\";\n}\n"));
    assert_null(strstr(dot1, "\tgraph"));
    assert_non_null(dot2);
    assert_non_null(strstr(dot2, "\tgraph\t[label=<<b>x</b>>];\n"));
    assert_non_null(strstr(dot2, "\n\t\t\t\t\t\t\t\tsubgraph \"s8\" {\n"));
    assert_non_null(strstr(dot2, "\n\t\t\t\t\t\t\t\tsubgraph \"s10\" {\n"));
    assert_non_null(strstr(dot2, "\n\t\t\t\t\t\t\t\t\t\"deep\";\n"));
    assert_non_null(strstr(dot3, "a63=\"v\""));
    assert_null(strstr(dot3, "a64="));
    free(dot1);
    free(dot2);
    free(dot3);
}

/*
 * The cut mark of a cut label needs the buffer to grow, and the growth
 * fails: the escape reports it and the buffer stays marked failed.
 */
static void a_cut_label_whose_mark_finds_no_memory_fails(void **state)
{
    test_alloc t;
    cjm__buf b;
    char text[80];
    (void)state;
    memset(text, 'a', 62);
    strcpy(text + 62, "bcd");
    test_alloc_init(&t, 2, 0);
    cjm__buf_init(&b, &t.base);
    /* 62 bytes fit the first 64-byte block; the mark's three do not */
    assert_int_equal(cjm__gv_escape(&b, text, 62), CJM_ENOMEM);
    assert_true(b.failed);
    assert_int_equal(t.failures, 1);
    cjm__buf_free(&b);
    assert_int_equal(t.live, 0);
    /* with memory, the same cut */
    test_alloc_init(&t, 0, 0);
    cjm__buf_init(&b, &t.base);
    assert_ok(cjm__gv_escape(&b, text, 62));
    assert_int_equal(b.len, 65);
    assert_memory_equal(b.data + 62, "\xE2\x80\xA6", 3);
    cjm__buf_free(&b);
    assert_int_equal(t.live, 0);
}

/* Names with quotes, at both ends of an edge and on a node, are quoted back as DOT. */
static void the_graph_writer_quotes_quotes_in_names(void **state)
{
    Agraph_t *g;
    char *dot;
    (void)state;
    cjm__gv_lock();
    agreseterrors();
    g = agmemread("digraph \"q\\\"g\" { \"a\\\"b\" -> \"\\\"c\\\"\"; \"\\\"\"; }");
    dot = g ? graph_dot(g) : NULL;
    if (g)
        agclose(g);
    cjm__gv_unlock();
    assert_non_null(dot);
    assert_non_null(strstr(dot, "digraph \"q\\\"g\" {\n"));
    assert_non_null(strstr(dot, "\t\"a\\\"b\" -> \"\\\"c\\\"\";\n"));
    assert_non_null(strstr(dot, "\t\"\\\"\";\n"));
    free(dot);
}

static cjm_map *many_stages_map(int stages)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    char sid[16], tid[16], prev[16], eid[16];
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    for (int s = 0; s < stages; s++) {
        snprintf(sid, sizeof sid, "s%d", s);
        snprintf(tid, sizeof tid, "t%d", s);
        add(j, CJM_STAGE, sid);
        touchpoint(j, tid, NULL, sid, NULL);
        if (s > 0) {
            snprintf(prev, sizeof prev, "t%d", s - 1);
            snprintf(eid, sizeof eid, "e%d", s);
            number(transition(j, eid, prev, tid), CJM_ATTR_VOLUME, s);
        }
    }
    return m;
}

static void many_clusters_write_the_same_as_the_export(void **state)
{
    cjm_map *m = many_stages_map(20);
    cjm_buffer buf = CJM_BUFFER_INIT;
    Agraph_t *g = NULL;
    cjm__buf b;
    int rc;
    (void)state;
    assert_ok(cjm_render(m, CJM_RENDER_DOT, NULL, &buf));
    cjm__buf_init(&b, NULL);
    cjm__gv_lock();
    rc = cjm__diagram_build(m, NULL, &g);
    if (rc == 0) {
        rc = cjm__diagram_write_dot(g, &b);
        agclose(g);
    }
    cjm__gv_unlock();
    assert_ok(rc);
    assert_int_equal(b.len, buf.size);
    assert_memory_equal(b.data, buf.data, b.len);
    cjm__buf_free(&b);
    cjm_buffer_free(&buf);
    cjm_map_free(m);
}

static void built_graphs_find_their_clusters_by_name(void **state)
{
    cjm_map *m = many_stages_map(3);
    Agraph_t *g = NULL, *s = NULL;
    Agnode_t *n = NULL;
    int found_again = 0, unknown = 0, anonymous = 0, by_id = 0, kept = 0;
    char name[32] = "";
    (void)state;
    /* everything with cgraph under the lock, the checks after it */
    cjm__gv_lock();
    if (cjm__diagram_build(m, NULL, &g) == 0) {
        s = agsubg(g, "cluster_1", 0);
        if (s) {
            snprintf(name, sizeof name, "%s", agnameof(s));
            found_again = agsubg(g, "cluster_1", 1) == s;
        }
        unknown = agsubg(g, "cluster_9", 0) == NULL;
        anonymous = agsubg(g, NULL, 1) != NULL; /* cgraph's own id */
        n = agnode(g, "t1", 0);
        by_id = n && agidnode(g, AGID(n), 0) == n;
        if (s)
            agclose(s); /* cgraph's agdelsubg() only unlinks */
        kept = agsubg(g, "cluster_0", 0) != NULL;
        agclose(g);
    }
    cjm__gv_unlock();
    assert_non_null(s);
    assert_string_equal(name, "cluster_1");
    assert_true(found_again);
    assert_true(unknown);
    assert_true(anonymous);
    assert_true(by_id);
    assert_true(kept);
    cjm_map_free(m);
}

static void graphviz_messages_are_captured_last_one_first(void **state)
{
    const char *msg;
    char empty[8], last[64];
    (void)state;
    cjm__gv_lock();
    cjm__gv_capture_begin();
    msg = cjm__gv_capture_end();
    snprintf(empty, sizeof empty, "%s", msg);
    cjm__gv_capture_begin();
    agerr(AGWARN, "first %d\n", 1);
    agerr(AGERR, "second ");
    agerr(AGPREV, "and more \n \n");
    msg = cjm__gv_capture_end();
    snprintf(last, sizeof last, "%s", msg);
    cjm__gv_unlock();
    assert_string_equal(empty, "");
    assert_string_equal(last, "Error: second and more");
}

/*
 * Values the writer leaves out: a node's value set to NULL with agxset()
 * (agwrite() would fail on it), and the root graph's empty values; a
 * subgraph's value is written where it differs from the root's.
 */
static void the_graph_writer_leaves_out_null_and_empty_values(void **state)
{
    Agraph_t *g, *sub, *back;
    Agsym_t *color;
    char *dot = NULL, a_color[16] = "", b_color[16] = "", sub_label[16] = "";
    int errors = -1;
    (void)state;
    cjm__gv_lock();
    cjm__gv_context(); /* which declares the node label "\\N" of every graph */
    g = agopen("v", Agdirected, NULL);
    agattr(g, AGRAPH, "label", "");
    color = agattr(g, AGNODE, "color", "red");
    sub = agsubg(g, "s", 1);
    agset(sub, "label", "S");
    agxset(agnode(g, "a", 1), color, NULL);
    agxset(agnode(sub, "b", 1), color, "blue");
    dot = graph_dot(g);
    agclose(g);
    agreseterrors();
    back = agmemread(dot);
    if (back) {
        errors = agerrors();
        snprintf(a_color, sizeof a_color, "%s", agget(agnode(back, "a", 0), "color"));
        snprintf(b_color, sizeof b_color, "%s", agget(agnode(back, "b", 0), "color"));
        snprintf(sub_label, sizeof sub_label, "%s", agget(agsubg(back, "s", 0), "label"));
        agclose(back);
    }
    cjm__gv_unlock();
    assert_string_equal(dot, "digraph \"v\" {\n"
                             "\tnode [color=\"red\",\n\t\tlabel=\"\\N\"];\n"
                             "\tsubgraph \"s\" {\n"
                             "\t\tgraph\t[label=\"S\"];\n"
                             "\t\t\"b\"\t[color=\"blue\"];\n"
                             "\t}\n"
                             "\t\"a\";\n"
                             "}\n");
    assert_int_equal(errors, 0);
    assert_string_equal(a_color, "red"); /* the default again */
    assert_string_equal(b_color, "blue");
    assert_string_equal(sub_label, "S");
    free(dot);
}

/*
 * cgraph lists subgraphs by id: a named one's is the address of its name,
 * an anonymous one's a small counter. The writer puts them back in the
 * order they were made.
 */
static void subgraphs_are_written_in_the_order_they_were_made(void **state)
{
    Agraph_t *g, *anon;
    char *dot, anon_name[24], name[64], listed[3][32];
    const char *at[3];
    int k = 0;
    (void)state;
    cjm__gv_lock();
    g = agopen("o", Agdirected, NULL);
    agnode(agsubg(g, "first", 1), "x", 1);
    anon = agsubg(g, NULL, 1);
    agnode(anon, "y", 1);
    agnode(agsubg(g, "third", 1), "z", 1);
    snprintf(anon_name, sizeof anon_name, "%s", agnameof(anon));
    snprintf(name, sizeof name, "subgraph \"%s\" {\n\t\t\"y\";\n\t}\n", anon_name);
    for (Agraph_t *s = agfstsubg(g); s && k < 3; s = agnxtsubg(s))
        snprintf(listed[k++], sizeof listed[0], "%s", agnameof(s));
    dot = graph_dot(g);
    agclose(g);
    cjm__gv_unlock();
    /* cgraph's own order is not that: the anonymous one first */
    assert_int_equal(k, 3);
    assert_int_equal(anon_name[0], '%');
    assert_string_equal(listed[0], anon_name);
    at[0] = strstr(dot, "subgraph \"first\" {\n\t\t\"x\";\n\t}\n");
    at[1] = strstr(dot, name);
    at[2] = strstr(dot, "subgraph \"third\" {\n\t\t\"z\";\n\t}\n");
    assert_non_null(at[0]);
    assert_non_null(at[1]);
    assert_non_null(at[2]);
    assert_true(at[0] < at[1]);
    assert_true(at[1] < at[2]);
    free(dot);
}

/*
 * The subgraph table of a built graph has a place for each subgraph the
 * builder made and no more: a subgraph made after them gets its id from
 * cgraph's default, the address of its name. A closed subgraph keeps its name and id, so later
 * names are still found and opening it again gives the same id; ids are
 * not handed out by number.
 */
static void the_subgraph_table_holds_what_the_builder_made(void **state)
{
    cjm_map *m = many_stages_map(3);
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    Agraph_t *g = NULL, *s1, *extra;
    int built = -1, extra_found = 0, later_found = 0, closed_gone = 0, by_id = 0;
    int node_by_id = 0, same_id = 0;
    char again_name[32] = "", extra_name[32] = "";
    IDTYPE id1 = 0, extra_id = 0;
    (void)state;
    o.legend = 0; /* three clusters, no legend */
    cjm__gv_lock();
    built = cjm__diagram_build(m, &o, &g);
    if (built == 0) {
        extra = agsubg(g, "cluster_new", 1);
        if (extra) {
            extra_id = AGID(extra);
            snprintf(extra_name, sizeof extra_name, "%s", agnameof(extra));
            extra_found = agsubg(g, "cluster_new", 0) == extra;
        }
        s1 = agsubg(g, "cluster_1", 0);
        if (s1) {
            Agraph_t *again;
            id1 = AGID(s1);
            agclose(s1);
            later_found = agsubg(g, "cluster_2", 0) != NULL;
            closed_gone = agsubg(g, "cluster_1", 0) == NULL;
            by_id = agidsubg(g, id1, 1) == NULL;
            node_by_id = agidnode(g, 1000, 1) == NULL;
            again = agsubg(g, "cluster_1", 1);
            if (again) {
                same_id = AGID(again) == id1;
                snprintf(again_name, sizeof again_name, "%s", agnameof(again));
            }
        }
        agclose(g);
    }
    cjm__gv_unlock();
    assert_ok(built);
    assert_string_equal(extra_name, "cluster_new");
    assert_true(extra_id > 6); /* not one of the table's 2, 4, 6 */
    assert_true(extra_found);
    assert_int_equal(id1, 4); /* the second made */
    assert_true(later_found);
    assert_true(closed_gone);
    assert_true(by_id);
    assert_true(node_by_id);
    assert_true(same_id);
    assert_string_equal(again_name, "cluster_1");
    cjm_map_free(m);
}

/* Without stages and legend there is no cluster; without touchpoints, no node: both draw. */
static void diagrams_without_clusters_or_nodes_are_drawn(void **state)
{
    cjm_map *m = NULL;
    cjm_journey *j = NULL;
    cjm_render_options o = CJM_RENDER_OPTIONS_INIT;
    cjm_buffer svg = CJM_BUFFER_INIT;
    (void)state;
    o.legend = 0;
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    assert_ok(cjm_journey_set_label(j, "Nothing yet"));
    assert_ok(cjm_render(m, CJM_RENDER_SVG, &o, &svg));
    assert_non_null(strstr(svg.data, "<svg"));
    assert_non_null(strstr(svg.data, ">Nothing yet</text>"));
    assert_null(strstr(svg.data, "class=\"node\""));
    assert_null(strstr(svg.data, "class=\"cluster\""));
    cjm_buffer_free(&svg);
    touchpoint(j, "t1", "One", NULL, NULL);
    touchpoint(j, "t2", "Two", NULL, NULL);
    transition(j, "e", "t1", "t2");
    assert_ok(cjm_render(m, CJM_RENDER_SVG, &o, &svg));
    assert_non_null(strstr(svg.data, ">One</text>"));
    assert_non_null(strstr(svg.data, ">Two</text>"));
    assert_non_null(strstr(svg.data, "class=\"edge\""));
    assert_null(strstr(svg.data, "class=\"cluster\""));
    cjm_buffer_free(&svg);
    cjm_map_free(m);
}

/* ---- the record's own cases ---------------------------------------------------------- */

/* A kind whose defaults are all empty gets no defaults line. */
static void a_kind_without_defaults_has_no_defaults_line(void **state)
{
    static const cjm__dg_attr graph[1] = {{"label", ""}};
    static const cjm__dg_attr node[1] = {{"shape", "box"}};
    static const cjm__dg_attr edge[2] = {{"style", ""}, {"color", ""}};
    const cjm__dg_attr *const attrs[CJM__DG_KINDS] = {graph, node, edge};
    static const size_t counts[CJM__DG_KINDS] = {1, 1, 2};
    cjm__dgraph d;
    cjm__buf b;
    long n, e;
    (void)state;
    assert_ok(cjm__dg_open(&d, NULL, "g", attrs, counts));
    n = cjm__dg_node(&d, -1, "n\"1");
    e = cjm__dg_edge(&d, n, n);
    cjm__dg_set(&d, CJM__DG_EDGE, e, 0, "dashed");
    cjm__buf_init(&b, NULL);
    assert_ok(cjm__dg_write_dot(&d, &b));
    assert_string_equal(b.data, "digraph \"g\" {\n"
                                "\tnode [shape=\"box\"];\n"
                                "\t\"n\\\"1\";\n"
                                "\t\"n\\\"1\" -> \"n\\\"1\"\t[style=\"dashed\"];\n"
                                "}\n");
    cjm__buf_free(&b);
    cjm__dg_free(&d);
}

/*
 * Texts that fill the record's 64 KiB text blocks to the byte, so that the
 * name of a subgraph, the name of a node and a graph value each need a new
 * block, and the first graph value the first step of the log: every one of
 * those allocations failing leaves the record failed and nothing behind.
 */
static int fill_step(const cjm_allocator *alloc, void *ctx)
{
    const size_t block = 65536;
    char *text = ctx;
    cjm__dgraph d;
    cjm__buf b;
    long sub, n, e;
    int rc;
    rc = open_plain(&d, alloc, "g"); /* 2 bytes of the first block */
    if (rc == 0) {
        text[block - 4] = '\0'; /* 65532 bytes and its NUL: 1 byte left */
        cjm__dg_set(&d, CJM__DG_GRAPH, -1, 0, text);
        text[block - 4] = 'v';
        sub = cjm__dg_subgraph(&d, "s"); /* a new block */
        if (sub < 0)
            assert_true(d.failed);
        text[block - 4] = '\0'; /* after "s": 1 byte left again */
        cjm__dg_set(&d, CJM__DG_GRAPH, sub < 0 ? -1 : sub, 1, text);
        text[block - 4] = 'v';
        n = cjm__dg_node(&d, sub, "n"); /* a new block */
        if (n < 0)
            assert_true(d.failed);
        text[block - 2] = '\0'; /* 65534 bytes and its NUL: more than is left */
        cjm__dg_set(&d, CJM__DG_GRAPH, -1, 1, text);
        text[block - 2] = 'v';
        e = cjm__dg_edge(&d, n, n);
        cjm__dg_set(&d, CJM__DG_EDGE, e, 0, "dashed");
        cjm__buf_init(&b, alloc);
        rc = cjm__dg_write_dot(&d, &b);
        if (rc == 0) {
            assert_int_equal(sub, 0);
            assert_int_equal(n, 0);
            assert_true(b.len > 3 * (block - 6));
            assert_non_null(strstr(b.data, "\"n\" -> \"n\"\t[style=\"dashed\"];\n"));
        }
        cjm__buf_free(&b);
    }
    cjm__dg_free(&d);
    return rc;
}

static void every_allocation_of_a_full_record_fails_cleanly(void **state)
{
    char *text = repeat("v", 65536);
    (void)state;
    assert_true(test_oom_loop(fill_step, text, 0) > 8);
    assert_true(test_oom_loop(fill_step, text, 1) > 8);
    free(text);
}

/* ---- out of memory --------------------------------------------------------------- */

typedef struct oom_ctx {
    const cjm_map *map;
    cjm_render_options o;
    int mermaid;
    cjm_render_format format;
} oom_ctx;

static int render_step(const cjm_allocator *alloc, void *ctx)
{
    oom_ctx *c = ctx;
    cjm_render_options o = c->o;
    cjm_buffer buf = CJM_BUFFER_INIT;
    int rc;
    o.allocator = alloc;
    rc = c->mermaid ? cjm_render_mermaid(c->map, &o, &buf) : cjm_render(c->map, c->format, &o, &buf);
    if (rc == 0) {
        if (!buf.data || buf.size == 0)
            fail_msg("an empty result");
        cjm_buffer_free(&buf);
    } else if (buf.data) {
        fail_msg("a failed render handed back bytes");
    }
    return rc;
}

static int write_step(const cjm_allocator *alloc, void *ctx)
{
    oom_ctx *c = ctx;
    cjm__buf b;
    Agraph_t *g = NULL;
    int rc;
    cjm__gv_lock();
    rc = cjm__diagram_build(c->map, NULL, &g);
    if (rc == 0) {
        cjm__buf_init(&b, alloc);
        rc = cjm__diagram_write_dot(g, &b);
        cjm__buf_free(&b);
        agclose(g);
    }
    cjm__gv_unlock();
    return rc;
}

/*
 * A map whose every text grows with `pad`: as `pad` goes up, the place
 * where a buffer must grow moves through every write of a touchpoint, a
 * transition, a ghost, the title and a Mermaid line.
 */
static cjm_map *padded_map(size_t pad, int shape)
{
    cjm_map *m = NULL;
    cjm_journey *p = NULL, *j = NULL;
    cjm_item *it;
    char *pt = repeat("x", pad), *big = repeat("y", 3 * pad + 40);
    assert_ok(cjm_map_new(&m, NULL));
    def(m, CJM_SITUATION, "sit", shape == 0 ? pt : "Sit");
    it = def(m, CJM_CHANNEL, "ch", shape == 1 ? "Channel" : "C");
    integer(it, CJM_ATTR_CHANNEL_KIND, CJM_CHANNEL_PHYSICAL);
    def(m, CJM_ACTOR, "a1", shape == 3 ? pt : "A");
    def(m, CJM_ACTOR, "a2", "B");
    assert_ok(cjm_map_add_journey(m, "plan", &p));
    add(p, CJM_STAGE, "s");
    touchpoint(p, "gone", shape == 2 ? big : "G", "s", NULL);
    assert_ok(cjm_map_add_journey(m, "j", &j));
    assert_ok(cjm_journey_set_follows(j, "plan"));
    assert_ok(cjm_journey_set_status(j, CJM_STATUS_ACTUAL));
    if (shape == 0) {
        assert_ok(cjm_map_set_title(m, pt));
        assert_ok(cjm_journey_set_label(j, "Journey"));
    }
    text(add(j, CJM_STAGE, "s"), CJM_ATTR_LABEL, "S");
    it = touchpoint(j, "t", shape == 1 ? pt : "T", "s", "ch");
    text(it, CJM_ATTR_OWNER, "Owner");
    number(it, CJM_ATTR_PERCEIVED, 2);
    number(it, CJM_ATTR_EXPECTED, 4);
    integer(it, CJM_ATTR_MOMENT_OF_TRUTH, 1);
    text(it, CJM_ATTR_INITIATOR, "a1");
    text(it, CJM_ATTR_RECEIVER, "a2");
    assert_ok(cjm_item_list_add(it, CJM_ATTR_SITUATIONS, "sit"));
    it = pain(j, "p", "t", "Pain");
    text(it, CJM_ATTR_DESCRIPTION, "Desc");
    text(it, CJM_ATTR_ROOT_CAUSE, "Cause");
    number(it, CJM_ATTR_AFFECTED, 3);
    number(it, CJM_ATTR_SEVERITY, 3);
    deviation(j, "d", "t", CJM_DEVIATION_IRREGULAR);
    touchpoint(j, "u", shape == 4 ? big : "U", NULL, NULL);
    it = transition(j, "e", "t", "u");
    number(it, CJM_ATTR_VOLUME, 5);
    number(it, CJM_ATTR_PROBABILITY, 0.5);
    number(it, CJM_ATTR_DURATION, 100);
    pain(j, "pe", "e", "Edge pain");
    deviation(j, "de", "e", CJM_DEVIATION_IRREGULAR);
    it = deviation(j, "m", "gone", CJM_DEVIATION_MISSING);
    text(it, CJM_ATTR_LABEL, "Missed");
    text(it, CJM_ATTR_DESCRIPTION, "Missed desc");
    free(pt);
    free(big);
    return m;
}

static void every_allocation_of_every_writer_fails_cleanly(void **state)
{
    (void)state;
    for (int shape = 0; shape < 5; shape++)
        for (size_t pad = 1; pad < 140; pad += shape == 0 || shape == 3 ? 1 : 3) {
            cjm_map *m = padded_map(pad, shape);
            oom_ctx c = {m, CJM_RENDER_OPTIONS_INIT, 0, CJM_RENDER_DOT};
            c.o.journey = "j";
            c.o.situation = "sit";
            assert_true(test_oom_loop(render_step, &c, 0) > 10);
            c.mermaid = 1;
            assert_true(test_oom_loop(render_step, &c, 0) > 1);
            cjm_map_free(m);
        }
}

static void every_allocation_of_the_graph_writer_fails_cleanly(void **state)
{
    cjm_map *m = many_stages_map(20);
    oom_ctx c = {m, CJM_RENDER_OPTIONS_INIT, 0, CJM_RENDER_DOT};
    (void)state;
    assert_true(test_oom_loop(write_step, &c, 0) > 2);
    assert_true(test_oom_loop(write_step, &c, 1) > 2);
    cjm_map_free(m);
}

static void images_fail_cleanly_when_memory_runs_out(void **state)
{
    cjm_map *m = many_stages_map(2);
    oom_ctx c = {m, CJM_RENDER_OPTIONS_INIT, 0, CJM_RENDER_PNG};
    (void)state;
    assert_true(test_oom_loop(render_step, &c, 1) > 10);
    c.format = CJM_RENDER_PDF;
    assert_true(test_oom_loop(render_step, &c, 1) > 10);
    cjm_map_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(labels_ids_and_tooltips_read_back_as_written),
        cmocka_unit_test(escape_cuts_whole_characters_and_counts_a_break_as_one),
        cmocka_unit_test(long_annotations_are_cut_in_labels_and_whole_in_tooltips),
        cmocka_unit_test(very_long_labels_and_ids_are_kept_whole),
        cmocka_unit_test(mermaid_text_escapes_every_case),
        cmocka_unit_test(scores_far_outside_the_scale_are_drawn_at_its_ends),
        cmocka_unit_test(format_lookup_takes_every_name_and_refuses_others),
        cmocka_unit_test(every_invalid_option_is_refused_by_every_writer),
        cmocka_unit_test(every_option_and_format_draws_with_the_callers_allocator),
        cmocka_unit_test(files_are_written_whole_or_not_at_all),
        cmocka_unit_test(a_journey_without_stages_or_channels_draws_everything_at_the_top),
        cmocka_unit_test(transitions_show_volume_probability_and_duration),
        cmocka_unit_test(touchpoint_marks_combine),
        cmocka_unit_test(an_actual_journey_draws_what_did_not_happen),
        cmocka_unit_test(only_one_used_stage_needs_no_ordering),
        cmocka_unit_test(the_record_ignores_what_it_does_not_hold),
        cmocka_unit_test(the_record_refuses_too_many_attributes_and_a_failed_start),
        cmocka_unit_test(a_record_too_large_to_grow_runs_out_of_memory),
        cmocka_unit_test(a_name_longer_than_a_chunk_is_kept),
        cmocka_unit_test(the_graph_writer_writes_any_cgraph_graph),
        cmocka_unit_test(the_graph_writer_quotes_quotes_in_names),
        cmocka_unit_test(a_cut_label_whose_mark_finds_no_memory_fails),
        cmocka_unit_test(many_clusters_write_the_same_as_the_export),
        cmocka_unit_test(built_graphs_find_their_clusters_by_name),
        cmocka_unit_test(graphviz_messages_are_captured_last_one_first),
        cmocka_unit_test(the_graph_writer_leaves_out_null_and_empty_values),
        cmocka_unit_test(subgraphs_are_written_in_the_order_they_were_made),
        cmocka_unit_test(the_subgraph_table_holds_what_the_builder_made),
        cmocka_unit_test(diagrams_without_clusters_or_nodes_are_drawn),
        cmocka_unit_test(a_kind_without_defaults_has_no_defaults_line),
        cmocka_unit_test(every_allocation_of_a_full_record_fails_cleanly),
        cmocka_unit_test(every_allocation_of_every_writer_fails_cleanly),
        cmocka_unit_test(every_allocation_of_the_graph_writer_fails_cleanly),
        cmocka_unit_test(images_fail_cleanly_when_memory_runs_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
