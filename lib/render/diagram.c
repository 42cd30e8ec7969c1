/*
 * The diagram of a journey: what is drawn and how it looks, recorded as a
 * cjm__dgraph (dgraph.c), which is written as DOT straight away or made
 * into a cgraph graph for layout. One record serves both, so what is
 * exported and what is laid out are the same graph.
 *
 * Every attribute name and every constant value below is the library's
 * own; text from the model reaches the graph only as escaped labels and
 * tooltips, so no input can name a file or inject DOT.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render_internal.h"

/* ---- the look ------------------------------------------------------------ */

#define FONT "Helvetica,Arial,sans-serif"
/* ColorBrewer RdYlBu, five classes: perceived score 1 (red) .. 5 (blue). */
static const char *const score_fill[5] = {"#d7191c", "#fdae61", "#ffffbf", "#abd9e9",
                                          "#2c7bb6"};
static const char *const score_font[5] = {"white", "black", "black", "black", "white"};
#define NO_SCORE_FILL "#e0e0e0"
/* Okabe-Ito colours for deviations. */
#define FAILING_COLOR "#D55E00"
#define ADHOC_COLOR "#0072B2"
#define IRREGULAR_COLOR "#CC79A7"
#define EDGE_COLOR "#555555"
#define NODE_BORDER "#333333"

/* Shape and rounding by channel kind; the last entry is "no known channel". */
static const struct {
    const char *shape;
    int rounded;
} channel_look[5] = {
    {"box", 1},     /* self-service digital */
    {"ellipse", 0}, /* assisted digital */
    {"hexagon", 0}, /* a person */
    {"box3d", 0},   /* physical */
    {"box", 0},     /* unknown */
};

/* Longest annotation text put into a label; tooltips get it whole. */
#define LABEL_ANN_CHARS 48

/* Forward transitions within a stage, per touchpoint. */
enum { LINK_IN = 1, LINK_OUT = 2 };

/* Deviation bits per touchpoint or transition. */
enum { DEV_MISSING = 1, DEV_FAILING = 2, DEV_ADHOC = 4, DEV_IRREGULAR = 8 };

/* ---- building ------------------------------------------------------------ */

/* The attributes of the graph and its clusters, of nodes and of edges, as declared. */
enum { G_LABEL, G_FONTSIZE, G_STYLE, G_COLOR, G_FILLCOLOR, G_LABELJUST, G_TOOLTIP,
       G_FONTNAME, G_LABELLOC, G_RANKDIR, G_NODESEP, G_RANKSEP, G_COUNT };
enum { N_LABEL, N_SHAPE, N_STYLE, N_FILLCOLOR, N_FONTCOLOR, N_COLOR, N_PENWIDTH,
       N_PERIPHERIES, N_TOOLTIP, N_FONTNAME, N_FONTSIZE, N_COUNT };
enum { E_LABEL, E_PENWIDTH, E_STYLE, E_COLOR, E_FONTCOLOR, E_TOOLTIP, E_CONSTRAINT,
       E_FONTNAME, E_FONTSIZE, E_COUNT };

/* Defaults for the graph and every cluster; the root overrides some. */
#define GRAPH_ATTRS(rankdir)                                                        \
    {{"label", ""},         {"fontsize", "14"},  {"style", "rounded,filled"},        \
     {"color", "#bbbbbb"},  {"fillcolor", "#f7f7f7"}, {"labeljust", "l"},           \
     {"tooltip", ""},       {"fontname", FONT},  {"labelloc", "t"},                 \
     {"rankdir", rankdir},  {"nodesep", "0.3"},  {"ranksep", "0.4"}}
static const cjm__dg_attr graph_lr[G_COUNT] = GRAPH_ATTRS("LR");
static const cjm__dg_attr graph_tb[G_COUNT] = GRAPH_ATTRS("TB");

static const cjm__dg_attr node_attrs[N_COUNT] = {
    {"label", "\\N"},        {"shape", "box"},      {"style", "filled"},
    {"fillcolor", NO_SCORE_FILL}, {"fontcolor", "black"}, {"color", NODE_BORDER},
    {"penwidth", "1"},        {"peripheries", "1"},  {"tooltip", ""},
    {"fontname", FONT},       {"fontsize", "11"},
};

static const cjm__dg_attr edge_attrs[E_COUNT] = {
    {"label", ""},           {"penwidth", "1"},      {"style", "solid"},
    {"color", EDGE_COLOR},   {"fontcolor", "#333333"}, {"tooltip", ""},
    {"constraint", "true"},  {"fontname", FONT},     {"fontsize", "9"},
};

typedef struct ctx {
    const cjm_render_options *o;
    const cjm_allocator *a;
    const cjm_map *map;
    const cjm_journey *j;
    cjm__dgraph *d;
    size_t ntp, ntr, nst;
    cjm__vec *anns;        /* ntp + ntr lists of annotation items */
    unsigned char *dev;    /* ntp + ntr deviation bits */
    long *nodes;           /* per touchpoint: its node, or -1 when not drawn */
    long *stage_of;        /* per touchpoint: stage index or -1 */
    unsigned char *link;   /* per touchpoint: LINK_IN, LINK_OUT */
    cjm__vec ghosts;       /* "missing" deviations whose touchpoint is not in the journey */
    long *ghost_nodes;     /* per ghost: its node, or -1 */
    long *ghost_stage;     /* per ghost: stage index or -1 */
    long *clusters;        /* per stage: its subgraph */
    cjm__buf lab, tip;     /* scratch text */
    char name[48];
} ctx;

static void put_graph(ctx *c, long sub, int attr, const char *value)
{
    cjm__dg_set(c->d, CJM__DG_GRAPH, sub, attr, value);
}

static void put_node(ctx *c, long n, int attr, const char *value)
{
    cjm__dg_set(c->d, CJM__DG_NODE, n, attr, value);
}

static void put_edge(ctx *c, long e, int attr, const char *value)
{
    cjm__dg_set(c->d, CJM__DG_EDGE, e, attr, value);
}

static void reset(cjm__buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* A display name: the label when set, else the id. */
static const char *name_of(const cjm_item *item)
{
    const char *l = cjm_item_text(item, CJM_ATTR_LABEL);
    return l && *l ? l : cjm_item_id(item);
}

/*
 * Appends escaped model text. The model's setters refuse text that is not
 * valid UTF-8 or holds control characters other than line breaks and tabs,
 * and ids are checked more strictly still, so what reaches this point needs
 * only escaping (cjm__gv_escape()).
 */
static int esc(cjm__buf *b, const char *text, size_t max_chars)
{
    return cjm__gv_escape(b, text, max_chars);
}

static int lit(cjm__buf *b, const char *s)
{
    return cjm__buf_puts(b, s) < 0 ? CJM_ENOMEM : 0;
}

static int num(cjm__buf *b, double v)
{
    char t[32];
    cjm__fmt_double(t, v);
    return lit(b, t);
}

/* "45 s", "12 min", "3.5 h", "2 d". */
static int duration(cjm__buf *b, double s)
{
    char t[48];
    if (s < 60)
        cjm__snprintf_c(t, sizeof t, "%.3g s", s);
    else if (s < 3600)
        cjm__snprintf_c(t, sizeof t, "%.3g min", s / 60);
    else if (s < 86400)
        cjm__snprintf_c(t, sizeof t, "%.3g h", s / 3600);
    else
        cjm__snprintf_c(t, sizeof t, "%.3g d", s / 86400);
    return lit(b, t);
}

static const char *dimension_name(int d)
{
    const char *n = cjm_enum_name(CJM_ATTR_DIMENSION, d);
    return n ? n : "?";
}

static const char *deviation_name(int d)
{
    static const char *const names[] = {"missing", "failing", "ad hoc", "irregular"};
    return d >= 0 && d < 4 ? names[d] : "deviation";
}

/* The index of a touchpoint or transition in the per-target arrays, or -1. */
static long target_index(const ctx *c, const cjm_item *t)
{
    if (!t)
        return -1;
    if (cjm_item_kind(t) == CJM_TOUCHPOINT)
        return (long)cjm_item_index(t);
    if (cjm_item_kind(t) == CJM_TRANSITION)
        return (long)(c->ntp + cjm_item_index(t));
    return -1;
}

static int collect_annotations(ctx *c)
{
    static const struct {
        cjm_kind kind;
        unsigned bit;
    } kinds[] = {{CJM_PAINPOINT, CJM_ANNOTATE_PAIN}, {CJM_GAP, CJM_ANNOTATE_GAPS}};
    for (size_t k = 0; k < 2; k++) {
        size_t n;
        if (!(c->o->annotations & kinds[k].bit))
            continue;
        n = cjm_journey_count(c->j, kinds[k].kind);
        for (size_t i = 0; i < n; i++) {
            cjm_item *ann = cjm_journey_at(c->j, kinds[k].kind, i);
            const char *tid = cjm_item_text(ann, CJM_ATTR_TARGET);
            const cjm_item *target = tid ? cjm_journey_find(c->j, tid) : NULL;
            long t = target_index(c, target);
            int gk, dv;
            if (t < 0) {
                /* A planned touchpoint that did not happen: drawn as a ghost. */
                if (!target && kinds[k].kind == CJM_GAP &&
                    cjm_item_int(ann, CJM_ATTR_DEVIATION, &dv) == 0 &&
                    dv == CJM_DEVIATION_MISSING && cjm__vec_push(c->a, &c->ghosts, ann) < 0)
                    return CJM_ENOMEM;
                continue;
            }
            if (cjm__vec_push(c->a, &c->anns[t], ann) < 0)
                return CJM_ENOMEM;
            if (kinds[k].kind == CJM_GAP && cjm_item_int(ann, CJM_ATTR_GAP_KIND, &gk) == 0 &&
                gk == CJM_GAP_DEVIATION && cjm_item_int(ann, CJM_ATTR_DEVIATION, &dv) == 0 &&
                dv >= 0 && dv < 4)
                c->dev[t] |= (unsigned char)(1u << dv);
        }
    }
    return 0;
}

/*
 * One annotation as a label line ("pain 4/5: text") when `full` is 0, or
 * as a tooltip line with description and root cause when `full` is 1.
 */
static int annotation_text(cjm__buf *b, const cjm_item *ann, int full)
{
    double sev;
    int gk = -1, v, rc = 0;
    const char *label = cjm_item_text(ann, CJM_ATTR_LABEL);
    const char *desc = cjm_item_text(ann, CJM_ATTR_DESCRIPTION);
    size_t cut = full ? 0 : LABEL_ANN_CHARS;
    if (cjm_item_kind(ann) == CJM_PAINPOINT) {
        rc |= lit(b, "pain");
    } else {
        cjm_item_int(ann, CJM_ATTR_GAP_KIND, &gk);
        if (gk == CJM_GAP_DEVIATION && cjm_item_int(ann, CJM_ATTR_DEVIATION, &v) == 0)
            rc |= lit(b, deviation_name(v));
        else
            rc |= lit(b, "gap");
    }
    if (cjm_item_number(ann, CJM_ATTR_SEVERITY, &sev) == 0) {
        rc |= lit(b, " ");
        rc |= num(b, sev);
        rc |= lit(b, "/5");
    }
    if (gk == CJM_GAP_EXPERIENCE && cjm_item_int(ann, CJM_ATTR_DIMENSION, &v) == 0) {
        rc |= lit(b, " (");
        rc |= lit(b, dimension_name(v));
        rc |= lit(b, ")");
    }
    rc |= lit(b, ": ");
    if (rc < 0)
        return CJM_ENOMEM;
    if (label && *label)
        rc = esc(b, label, cut);
    else if (desc && *desc)
        rc = esc(b, desc, cut);
    else
        rc = esc(b, cjm_item_id(ann), cut);
    if (rc < 0 || !full)
        return rc;
    if (label && *label && desc && *desc) {
        if ((rc = lit(b, " \xE2\x80\x94 ")) < 0 || (rc = esc(b, desc, 0)) < 0)
            return rc;
    }
    if (cjm_item_kind(ann) == CJM_PAINPOINT) {
        const char *cause = cjm_item_text(ann, CJM_ATTR_ROOT_CAUSE);
        double hit;
        if (cause && *cause &&
            ((rc = lit(b, "\\nroot cause: ")) < 0 || (rc = esc(b, cause, 0)) < 0))
            return rc;
        if (cjm_item_number(ann, CJM_ATTR_AFFECTED, &hit) == 0 &&
            ((rc = lit(b, "\\ncustomers hit: ")) < 0 || (rc = num(b, hit)) < 0))
            return rc;
    }
    return 0;
}

/* Label lines and tooltip lines for the annotations of target `t`. */
static int annotations_into(ctx *c, long t)
{
    int rc;
    const cjm__vec *v = &c->anns[t];
    for (size_t i = 0; i < v->len; i++) {
        if ((rc = lit(&c->lab, "\\n")) < 0 || (rc = annotation_text(&c->lab, v->items[i], 0)) < 0)
            return rc;
        if ((rc = lit(&c->tip, "\\n\\n")) < 0 || (rc = annotation_text(&c->tip, v->items[i], 1)) < 0)
            return rc;
    }
    return 0;
}

/* Colour-scale class of a perceived score: 0..4, or -1 without a score. */
static int score_class(const cjm_item *tp)
{
    double p;
    long r;
    if (cjm_item_number(tp, CJM_ATTR_PERCEIVED, &p) != 0)
        return -1;
    /* clamped before rounding: lround() of a number beyond a long is unspecified */
    r = lround(p < 1 ? 1 : p > 5 ? 5 : p);
    return (int)r - 1;
}

/* The node name of a touchpoint: its id, unless the id holds a backslash. */
static const char *node_name(ctx *c, const cjm_item *tp)
{
    const char *id = cjm_item_id(tp);
    if (!strchr(id, '\\'))
        return id;
    /* The space keeps these names apart from every id. */
    snprintf(c->name, sizeof c->name, "touchpoint %zu", cjm_item_index(tp));
    return c->name;
}

static int add_touchpoint(ctx *c, size_t i)
{
    const cjm_item *tp = cjm_journey_at(c->j, CJM_TOUCHPOINT, i);
    const cjm_item *ch = NULL, *st;
    const char *ref, *owner;
    long parent = -1;
    long n;
    int look = 4, kind, mot = 0, cls, rc = 0;
    unsigned dev = c->dev[i];
    double p, e;
    char style[48], pen[8];

    c->stage_of[i] = -1;
    if ((ref = cjm_item_text(tp, CJM_ATTR_STAGE)) && (st = cjm_journey_find(c->j, ref)) &&
        cjm_item_kind(st) == CJM_STAGE) {
        c->stage_of[i] = (long)cjm_item_index(st);
        parent = c->clusters[cjm_item_index(st)];
    }
    if ((ref = cjm_item_text(tp, CJM_ATTR_CHANNEL)) && (ch = cjm_map_find(c->map, ref)) &&
        cjm_item_kind(ch) == CJM_CHANNEL) {
        if (cjm_item_int(ch, CJM_ATTR_CHANNEL_KIND, &kind) == 0 && kind >= 0 && kind < 4)
            look = kind;
    } else {
        ch = NULL;
    }
    cjm_item_int(tp, CJM_ATTR_MOMENT_OF_TRUTH, &mot);
    cls = score_class(tp);

    n = cjm__dg_node(c->d, parent, node_name(c, tp));
    c->nodes[i] = n;

    /* the label */
    reset(&c->lab);
    reset(&c->tip);
    if (mot)
        rc |= lit(&c->lab, "\xE2\x98\x85 ");
    if (dev & DEV_IRREGULAR)
        rc |= lit(&c->lab, "\xE2\x86\xAF ");
    if (rc < 0 || (rc = esc(&c->lab, name_of(tp), 0)) < 0)
        return rc;
    if (ch && ((rc = lit(&c->lab, "\\n[")) < 0 || (rc = esc(&c->lab, name_of(ch), 0)) < 0 ||
               (rc = lit(&c->lab, "]")) < 0))
        return rc;

    /* the tooltip */
    if ((rc = esc(&c->tip, name_of(tp), 0)) < 0)
        return rc;
    if (ch) {
        if ((rc = lit(&c->tip, "\\nchannel: ")) < 0 || (rc = esc(&c->tip, name_of(ch), 0)) < 0)
            return rc;
        if (look < 4 && ((rc = lit(&c->tip, " (")) < 0 ||
                         (rc = lit(&c->tip, cjm_enum_name(CJM_ATTR_CHANNEL_KIND, look))) < 0 ||
                         (rc = lit(&c->tip, ")")) < 0))
            return rc;
    }
    if ((owner = cjm_item_text(tp, CJM_ATTR_OWNER)) && *owner &&
        ((rc = lit(&c->tip, "\\nowner: ")) < 0 || (rc = esc(&c->tip, owner, 0)) < 0))
        return rc;
    if (cjm_item_number(tp, CJM_ATTR_PERCEIVED, &p) == 0 &&
        ((rc = lit(&c->tip, "\\nperceived ")) < 0 || (rc = num(&c->tip, p)) < 0))
        return rc;
    if (cjm_item_number(tp, CJM_ATTR_EXPECTED, &e) == 0 &&
        ((rc = lit(&c->tip, "\\nexpected ")) < 0 || (rc = num(&c->tip, e)) < 0))
        return rc;
    if (mot && (rc = lit(&c->tip, "\\nmoment of truth")) < 0)
        return rc;
    if ((rc = annotations_into(c, (long)i)) < 0)
        return rc;

    put_node(c, n, N_LABEL, c->lab.data);
    put_node(c, n, N_TOOLTIP, c->tip.data);
    put_node(c, n, N_SHAPE, channel_look[look].shape);
    snprintf(style, sizeof style, "filled%s%s", channel_look[look].rounded ? ",rounded" : "",
             (dev & DEV_MISSING) ? ",dashed" : "");
    put_node(c, n, N_STYLE, style);
    if (cls >= 0) {
        put_node(c, n, N_FILLCOLOR, score_fill[cls]);
        put_node(c, n, N_FONTCOLOR, score_font[cls]);
    }
    if (mot) {
        put_node(c, n, N_PERIPHERIES, "2");
        put_node(c, n, N_PENWIDTH, "2");
    }
    pen[0] = '\0';
    if (dev & DEV_FAILING) {
        put_node(c, n, N_COLOR, FAILING_COLOR);
        snprintf(pen, sizeof pen, "3");
    } else if (dev & DEV_ADHOC) {
        put_node(c, n, N_COLOR, ADHOC_COLOR);
        snprintf(pen, sizeof pen, "3");
    } else if (dev & DEV_IRREGULAR) {
        put_node(c, n, N_COLOR, IRREGULAR_COLOR);
        snprintf(pen, sizeof pen, "2.5");
    }
    if (pen[0])
        put_node(c, n, N_PENWIDTH, pen);
    return 0;
}

static int add_transition(ctx *c, size_t i, double max_volume)
{
    const cjm_item *tr = cjm_journey_at(c->j, CJM_TRANSITION, i);
    const char *fid = cjm_item_text(tr, CJM_ATTR_FROM), *tid = cjm_item_text(tr, CJM_ATTR_TO);
    const cjm_item *from = fid ? cjm_journey_find(c->j, fid) : NULL;
    const cjm_item *to = tid ? cjm_journey_find(c->j, tid) : NULL;
    long t = (long)(c->ntp + i);
    unsigned dev = c->dev[t];
    double vol, prob, dur, w = 0;
    int has_vol, has_prob, rc = 0, parts = 0;
    long e;
    char tmp[32];

    if (!from || !to || cjm_item_kind(from) != CJM_TOUCHPOINT ||
        cjm_item_kind(to) != CJM_TOUCHPOINT || c->nodes[cjm_item_index(from)] < 0 ||
        c->nodes[cjm_item_index(to)] < 0 || !cjm__render_in_situation(tr, c->o->situation))
        return 0;
    e = cjm__dg_edge(c->d, c->nodes[cjm_item_index(from)], c->nodes[cjm_item_index(to)]);

    reset(&c->lab);
    reset(&c->tip);
    has_vol = cjm_item_number(tr, CJM_ATTR_VOLUME, &vol) == 0;
    has_prob = cjm_item_number(tr, CJM_ATTR_PROBABILITY, &prob) == 0;
    if (has_vol) {
        rc |= num(&c->lab, vol);
        parts++;
    } else if (has_prob) {
        rc |= lit(&c->lab, "p ");
        rc |= num(&c->lab, prob);
        parts++;
    }
    if (cjm_item_number(tr, CJM_ATTR_DURATION, &dur) == 0) {
        if (parts)
            rc |= lit(&c->lab, " \xC2\xB7 ");
        rc |= duration(&c->lab, dur);
        parts++;
    }
    if (dev & DEV_IRREGULAR)
        rc |= lit(&c->lab, parts ? " \xE2\x86\xAF" : "\xE2\x86\xAF");
    if (rc < 0)
        return CJM_ENOMEM;
    if ((rc = esc(&c->tip, name_of(from), 0)) < 0 || (rc = lit(&c->tip, " \xE2\x86\x92 ")) < 0 ||
        (rc = esc(&c->tip, name_of(to), 0)) < 0)
        return rc;
    if (has_vol && ((rc = lit(&c->tip, "\\nvolume ")) < 0 || (rc = num(&c->tip, vol)) < 0))
        return rc;
    if (has_prob && ((rc = lit(&c->tip, "\\nprobability ")) < 0 || (rc = num(&c->tip, prob)) < 0))
        return rc;
    if ((rc = annotations_into(c, t)) < 0)
        return rc;
    /* A label that starts with a line break would leave an empty first line. */
    put_edge(c, e, E_LABEL, strncmp(c->lab.data ? c->lab.data : "", "\\n", 2) == 0
                             ? c->lab.data + 2 : (c->lab.data ? c->lab.data : ""));
    put_edge(c, e, E_TOOLTIP, c->tip.data);

    if (has_vol && max_volume > 0 && vol > 0)
        w = 1 + 5 * sqrt(vol / max_volume);
    else if (!has_vol && has_prob && prob > 0)
        w = 1 + 5 * sqrt(prob > 1 ? 1 : prob);
    if (w > 0) {
        cjm__snprintf_c(tmp, sizeof tmp, "%.2f", w);
        put_edge(c, e, E_PENWIDTH, tmp);
    }
    if (dev & DEV_MISSING)
        put_edge(c, e, E_STYLE, "dashed");
    if (dev & DEV_FAILING) {
        put_edge(c, e, E_COLOR, FAILING_COLOR);
        put_edge(c, e, E_FONTCOLOR, FAILING_COLOR);
    } else if (dev & DEV_ADHOC) {
        put_edge(c, e, E_COLOR, ADHOC_COLOR);
        put_edge(c, e, E_FONTCOLOR, ADHOC_COLOR);
    } else if (dev & DEV_IRREGULAR) {
        put_edge(c, e, E_COLOR, IRREGULAR_COLOR);
        put_edge(c, e, E_FONTCOLOR, IRREGULAR_COLOR);
    }
    /*
     * Going back must not pull stages out of order: a transition to an
     * earlier stage, or within a stage to an earlier touchpoint (a loop),
     * does not constrain the layout. Forward transitions within a stage
     * are noted, so that only a stage's first and last touchpoints need
     * tying to the stage boundaries (see order_stages()).
     */
    {
        size_t fi = cjm_item_index(from), ti = cjm_item_index(to);
        long fs = c->stage_of[fi], ts = c->stage_of[ti];
        if (ts >= 0 && (ts < fs || (ts == fs && ti < fi))) {
            put_edge(c, e, E_CONSTRAINT, "false");
        } else if (ts >= 0 && ts == fs && ti > fi) {
            c->link[fi] |= LINK_OUT;
            c->link[ti] |= LINK_IN;
        }
    }
    return 0;
}

/*
 * A "missing" deviation whose target is not in the journey names a planned
 * touchpoint that did not happen. It is drawn as a dashed, unfilled node:
 * in the stage of that touchpoint in the planned journey this one follows,
 * when the stage exists here too, and labelled with the planned label.
 */
static int add_ghosts(ctx *c)
{
    const char *follows = cjm_journey_follows(c->j);
    const cjm_journey *planned = follows ? cjm_map_journey(c->map, follows) : NULL;
    int rc;
    for (size_t k = 0; k < c->ghosts.len; k++) {
        const cjm_item *gap = c->ghosts.items[k];
        const char *tid = cjm_item_text(gap, CJM_ATTR_TARGET), *ref;
        const cjm_item *ptp = planned && tid ? cjm_journey_find(planned, tid) : NULL;
        const cjm_item *st;
        long parent = -1;
        long n;
        char name[48];
        c->ghost_stage[k] = -1;
        if (ptp && cjm_item_kind(ptp) != CJM_TOUCHPOINT)
            ptp = NULL;
        if (ptp && !cjm__render_in_situation(ptp, c->o->situation))
            continue;
        if (ptp && (ref = cjm_item_text(ptp, CJM_ATTR_STAGE)) &&
            (st = cjm_journey_find(c->j, ref)) && cjm_item_kind(st) == CJM_STAGE) {
            c->ghost_stage[k] = (long)cjm_item_index(st);
            parent = c->clusters[cjm_item_index(st)];
        }
        snprintf(name, sizeof name, "missing %zu", k);
        n = cjm__dg_node(c->d, parent, name);
        c->ghost_nodes[k] = n;
        reset(&c->lab);
        reset(&c->tip);
        if ((rc = esc(&c->lab, ptp ? name_of(ptp) : tid ? tid : "planned touchpoint", 0)) < 0 ||
            (rc = lit(&c->lab, "\\n")) < 0 || (rc = annotation_text(&c->lab, gap, 0)) < 0)
            return rc;
        if ((rc = lit(&c->tip, "planned, did not happen: ")) < 0 ||
            (rc = esc(&c->tip, ptp ? name_of(ptp) : tid ? tid : "a planned touchpoint", 0)) < 0 ||
            (rc = lit(&c->tip, "\\n\\n")) < 0 || (rc = annotation_text(&c->tip, gap, 1)) < 0)
            return rc;
        put_node(c, n, N_LABEL, c->lab.data);
        put_node(c, n, N_TOOLTIP, c->tip.data);
        put_node(c, n, N_STYLE, "dashed,rounded");
        put_node(c, n, N_FILLCOLOR, "white");
    }
    return 0;
}

/*
 * Keeps stages in order along the rank direction: between two stages that
 * have touchpoints, an invisible node that every touchpoint of the earlier
 * stage precedes and every touchpoint of the later stage follows. Only the
 * touchpoints without a forward transition from (or to) their own stage
 * are tied to it: forward transitions within a stage go to higher
 * touchpoint indexes, so every other touchpoint follows (precedes) a tied
 * one along them, and the layout keeps the order with far fewer edges.
 */
static int order_stages(ctx *c)
{
    long prev = -1;
    long *anchor;
    long *prev_of;
    size_t used = 0;
    char name[48];
    unsigned char *has = cjm__calloc(c->a, c->nst ? c->nst : 1, 1);
    if (!has)
        return CJM_ENOMEM;
    for (size_t i = 0; i < c->ntp; i++)
        if (c->nodes[i] >= 0 && c->stage_of[i] >= 0)
            has[c->stage_of[i]] = 1;
    for (size_t k = 0; k < c->ghosts.len; k++)
        if (c->ghost_nodes[k] >= 0 && c->ghost_stage[k] >= 0)
            has[c->ghost_stage[k]] = 1;
    for (size_t s = 0; s < c->nst; s++)
        used += has[s];
    if (used < 2) {
        cjm__free(c->a, has);
        return 0;
    }
    anchor = cjm__calloc(c->a, c->nst, sizeof *anchor);
    prev_of = cjm__calloc(c->a, c->nst, sizeof *prev_of);
    if (!anchor || !prev_of) {
        cjm__free(c->a, has);
        cjm__free(c->a, anchor);
        cjm__free(c->a, prev_of);
        return CJM_ENOMEM;
    }
    for (size_t s = 0; s < c->nst; s++) {
        prev_of[s] = -1;
        anchor[s] = -1;
        if (!has[s])
            continue;
        if (prev >= 0) {
            long n;
            snprintf(name, sizeof name, "stage boundary %ld", prev);
            n = cjm__dg_node(c->d, -1, name);
            put_node(c, n, N_STYLE, "invis");
            put_node(c, n, N_SHAPE, "point");
            put_node(c, n, N_LABEL, "");
            put_node(c, n, N_TOOLTIP, "");
            anchor[prev] = n;
            prev_of[s] = prev;
        }
        prev = (long)s;
    }
    for (size_t i = 0; i < c->ntp; i++) {
        long s = c->stage_of[i];
        long e;
        if (c->nodes[i] < 0 || s < 0)
            continue;
        if (anchor[s] >= 0 && !(c->link[i] & LINK_OUT)) {
            e = cjm__dg_edge(c->d, c->nodes[i], anchor[s]);
            put_edge(c, e, E_STYLE, "invis");
        }
        if (prev_of[s] >= 0 && !(c->link[i] & LINK_IN)) {
            e = cjm__dg_edge(c->d, anchor[prev_of[s]], c->nodes[i]);
            put_edge(c, e, E_STYLE, "invis");
        }
    }
    for (size_t k = 0; k < c->ghosts.len; k++) {
        long s = c->ghost_stage[k];
        long e;
        if (c->ghost_nodes[k] < 0 || s < 0)
            continue;
        if (anchor[s] >= 0) {
            e = cjm__dg_edge(c->d, c->ghost_nodes[k], anchor[s]);
            put_edge(c, e, E_STYLE, "invis");
        }
        if (prev_of[s] >= 0) {
            e = cjm__dg_edge(c->d, anchor[prev_of[s]], c->ghost_nodes[k]);
            put_edge(c, e, E_STYLE, "invis");
        }
    }
    cjm__free(c->a, has);
    cjm__free(c->a, anchor);
    cjm__free(c->a, prev_of);
    return 0;
}

/*
 * The legend: a cluster of sample nodes drawn like the diagram's own, in
 * three rows (scores, channel kinds, marks), from the library's text only.
 * Plain labels, not an HTML-like table: Graphviz 2.42 loses the parsed
 * table of an HTML-like label in every layout.
 */
static void add_legend(ctx *c)
{
    static const struct {
        const char *name, *label, *shape, *style, *fill, *font, *color, *pen, *peri;
    } rows[3][6] = {
        {{"legend score 1", "1", "box", "filled", "#d7191c", "white", NULL, NULL, NULL},
         {"legend score 2", "2", "box", "filled", "#fdae61", NULL, NULL, NULL, NULL},
         {"legend score 3", "3", "box", "filled", "#ffffbf", NULL, NULL, NULL, NULL},
         {"legend score 4", "4", "box", "filled", "#abd9e9", NULL, NULL, NULL, NULL},
         {"legend score 5", "5", "box", "filled", "#2c7bb6", "white", NULL, NULL, NULL},
         {"legend no score", "no score", "box", "filled", NO_SCORE_FILL, NULL, NULL, NULL, NULL}},
        {{"legend self-service", "self-service\\ndigital", "box", "filled,rounded", "white", NULL,
          NULL, NULL, NULL},
         {"legend assisted", "assisted\\ndigital", "ellipse", NULL, "white", NULL, NULL, NULL, NULL},
         {"legend person", "a person", "hexagon", NULL, "white", NULL, NULL, NULL, NULL},
         {"legend physical", "physical", "box3d", NULL, "white", NULL, NULL, NULL, NULL},
         {"legend unknown", "channel\\nunknown", "box", NULL, "white", NULL, NULL, NULL, NULL},
         {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}},
        {{"legend moment of truth", "\xE2\x98\x85 moment\\nof truth", "box", NULL, "white", NULL,
          NULL, "2", "2"},
         {"legend missing", "missing", "box", "filled,dashed", "white", NULL, NULL, NULL, NULL},
         {"legend failing", "failing", "box", NULL, "white", FAILING_COLOR, FAILING_COLOR, "3",
          NULL},
         {"legend ad hoc", "ad hoc", "box", NULL, "white", ADHOC_COLOR, ADHOC_COLOR, "3", NULL},
         {"legend irregular", "\xE2\x86\xAF irregular", "box", NULL, "white", IRREGULAR_COLOR,
          IRREGULAR_COLOR, "2.5", NULL},
         {"legend arrows", "arrow width: volume\\nlabel: volume \xC2\xB7 duration", "plain", NULL,
          "white", NULL, NULL, NULL, "0"}},
    };
    long sub = cjm__dg_subgraph(c->d, "cluster_legend");
    put_graph(c, sub, G_LABEL, "Legend");
    put_graph(c, sub, G_TOOLTIP, "Legend");
    put_graph(c, sub, G_FILLCOLOR, "white");
    put_graph(c, sub, G_FONTSIZE, "12");
    for (int r = 0; r < 3; r++) {
        long prev = -1;
        for (int k = 0; k < 6 && rows[r][k].name; k++) {
            long n = cjm__dg_node(c->d, sub, rows[r][k].name);
            put_node(c, n, N_LABEL, rows[r][k].label);
            put_node(c, n, N_TOOLTIP, rows[r][k].label);
            put_node(c, n, N_SHAPE, rows[r][k].shape);
            put_node(c, n, N_FILLCOLOR, rows[r][k].fill);
            put_node(c, n, N_FONTSIZE, "9");
            if (rows[r][k].style)
                put_node(c, n, N_STYLE, rows[r][k].style);
            if (rows[r][k].font)
                put_node(c, n, N_FONTCOLOR, rows[r][k].font);
            if (rows[r][k].color)
                put_node(c, n, N_COLOR, rows[r][k].color);
            if (rows[r][k].pen)
                put_node(c, n, N_PENWIDTH, rows[r][k].pen);
            if (rows[r][k].peri)
                put_node(c, n, N_PERIPHERIES, rows[r][k].peri);
            if (prev >= 0)
                put_edge(c, cjm__dg_edge(c->d, prev, n), E_STYLE, "invis");
            prev = n;
        }
    }
}

static int set_title(ctx *c)
{
    const char *title = cjm_map_title(c->map);
    const char *jl = cjm_journey_label(c->j);
    int rc;
    reset(&c->lab);
    if (title && *title) {
        if ((rc = esc(&c->lab, title, 0)) < 0 || (rc = lit(&c->lab, "\\n")) < 0)
            return rc;
    }
    if ((rc = esc(&c->lab, jl && *jl ? jl : cjm_journey_id(c->j), 0)) < 0)
        return rc;
    if (cjm_journey_status(c->j) == CJM_STATUS_ACTUAL && (rc = lit(&c->lab, " (actual)")) < 0)
        return rc;
    if (c->o->situation) {
        /* cjm__render_prepare() made sure the map has it */
        const cjm_item *sit = cjm_map_find(c->map, c->o->situation);
        if ((rc = lit(&c->lab, "\\nsituation: ")) < 0 ||
            (rc = esc(&c->lab, name_of(sit), 0)) < 0)
            return rc;
    }
    put_graph(c, -1, G_LABEL, c->lab.data);
    put_graph(c, -1, G_FONTSIZE, "20");
    /* The cluster look is the default; the page itself stays plain. */
    put_graph(c, -1, G_STYLE, "solid");
    put_graph(c, -1, G_FILLCOLOR, "white");
    put_graph(c, -1, G_TOOLTIP, c->lab.data);
    return 0;
}

static int build(ctx *c)
{
    const cjm__dg_attr *const attrs[CJM__DG_KINDS] = {
        c->o->direction == CJM_DIRECTION_TB ? graph_tb : graph_lr, node_attrs, edge_attrs};
    static const size_t counts[CJM__DG_KINDS] = {G_COUNT, N_COUNT, E_COUNT};
    int rc;
    double max_volume = 0;
    const char *gname = cjm_journey_id(c->j);
    if (strchr(gname, '\\'))
        gname = "journey";

    if ((rc = cjm__dg_open(c->d, c->a, gname, attrs, counts)) < 0)
        return rc;

    /* the stage clusters */
    for (size_t s = 0; s < c->nst; s++) {
        const cjm_item *st = cjm_journey_at(c->j, CJM_STAGE, s);
        char name[48];
        snprintf(name, sizeof name, "cluster_%zu", s);
        c->clusters[s] = cjm__dg_subgraph(c->d, name);
        reset(&c->lab);
        if ((rc = esc(&c->lab, name_of(st), 0)) < 0)
            return rc;
        put_graph(c, c->clusters[s], G_LABEL, c->lab.data);
        put_graph(c, c->clusters[s], G_TOOLTIP, c->lab.data);
    }
    /* Subgraphs copy the root's values when made: the title comes after them. */
    if ((rc = set_title(c)) < 0)
        return rc;
    if ((rc = collect_annotations(c)) < 0)
        return rc;
    c->ghost_nodes = cjm__calloc(c->a, c->ghosts.len ? c->ghosts.len : 1, sizeof *c->ghost_nodes);
    c->ghost_stage = cjm__calloc(c->a, c->ghosts.len ? c->ghosts.len : 1, sizeof *c->ghost_stage);
    if (!c->ghost_nodes || !c->ghost_stage)
        return CJM_ENOMEM;
    for (size_t k = 0; k < c->ghosts.len; k++)
        c->ghost_nodes[k] = -1;
    for (size_t i = 0; i < c->ntp; i++) {
        c->nodes[i] = -1;
        c->stage_of[i] = -1;
        if (!cjm__render_in_situation(cjm_journey_at(c->j, CJM_TOUCHPOINT, i), c->o->situation))
            continue;
        if ((rc = add_touchpoint(c, i)) < 0)
            return rc;
    }
    if ((rc = add_ghosts(c)) < 0)
        return rc;
    for (size_t i = 0; i < c->ntr; i++) {
        double v;
        if (cjm_item_number(cjm_journey_at(c->j, CJM_TRANSITION, i), CJM_ATTR_VOLUME, &v) == 0 &&
            v > max_volume)
            max_volume = v;
    }
    for (size_t i = 0; i < c->ntr; i++)
        if ((rc = add_transition(c, i, max_volume)) < 0)
            return rc;
    if ((rc = order_stages(c)) < 0)
        return rc;
    if (c->o->legend)
        add_legend(c);
    /* Recording went on after a failed allocation: say so again, last. */
    return c->d->failed ? cjm__oom() : 0;
}

int cjm__diagram_record(const cjm_map *map, const cjm_render_options *o, cjm__dgraph *out)
{
    const cjm_journey *j;
    cjm_render_options opt;
    ctx c;
    size_t targets;
    int rc;

    memset(out, 0, sizeof *out);
    memset(&c, 0, sizeof c);
    if ((rc = cjm__render_prepare(map, o, &opt, &j)) < 0)
        return rc;
    c.o = &opt;
    c.a = opt.allocator;
    c.map = map;
    c.j = j;
    c.d = out;
    c.ntp = cjm_journey_count(j, CJM_TOUCHPOINT);
    c.ntr = cjm_journey_count(j, CJM_TRANSITION);
    c.nst = cjm_journey_count(j, CJM_STAGE);
    targets = c.ntp + c.ntr;
    cjm__buf_init(&c.lab, c.a);
    cjm__buf_init(&c.tip, c.a);
    c.anns = cjm__calloc(c.a, targets ? targets : 1, sizeof *c.anns);
    c.dev = cjm__calloc(c.a, targets ? targets : 1, 1);
    c.nodes = cjm__calloc(c.a, c.ntp ? c.ntp : 1, sizeof *c.nodes);
    c.stage_of = cjm__calloc(c.a, c.ntp ? c.ntp : 1, sizeof *c.stage_of);
    c.link = cjm__calloc(c.a, c.ntp ? c.ntp : 1, 1);
    c.clusters = cjm__calloc(c.a, c.nst ? c.nst : 1, sizeof *c.clusters);
    if (!c.anns || !c.dev || !c.nodes || !c.stage_of || !c.link || !c.clusters)
        rc = CJM_ENOMEM;
    else
        rc = build(&c);

    if (c.anns)
        for (size_t t = 0; t < targets; t++)
            cjm__vec_free(c.a, &c.anns[t]);
    cjm__free(c.a, c.anns);
    cjm__free(c.a, c.dev);
    cjm__free(c.a, c.nodes);
    cjm__free(c.a, c.stage_of);
    cjm__free(c.a, c.link);
    cjm__vec_free(c.a, &c.ghosts);
    cjm__free(c.a, c.ghost_nodes);
    cjm__free(c.a, c.ghost_stage);
    cjm__free(c.a, c.clusters);
    cjm__buf_free(&c.lab);
    cjm__buf_free(&c.tip);
    return rc;
}

int cjm__diagram_dot(const cjm_map *map, const cjm_render_options *o, cjm__buf *b)
{
    cjm__dgraph d;
    int rc = cjm__diagram_record(map, o, &d);
    if (rc == 0)
        rc = cjm__dg_write_dot(&d, b);
    cjm__dg_free(&d);
    return rc;
}

int cjm__diagram_build(const cjm_map *map, const cjm_render_options *o, Agraph_t **out)
{
    cjm__dgraph d;
    int rc;
    if (!out)
        return cjm__error(CJM_EINVAL, "no place for the graph was given");
    *out = NULL;
    rc = cjm__diagram_record(map, o, &d);
    if (rc == 0)
        rc = cjm__dg_to_cgraph(&d, out);
    cjm__dg_free(&d);
    return rc;
}
