/*
 * The diagram of a journey as a cgraph graph, and its DOT text.
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

/* ---- DOT output ------------------------------------------------------------ */

/*
 * The graph is written by walking it with cgraph rather than with
 * agwrite(): agwrite() prints the root graph's values as the defaults of
 * every subgraph, so a cluster whose look differs only from the root would
 * lose it when the DOT is read back, and it compares every value with
 * strcmp(). Here values are compared by pointer first (cgraph keeps one
 * copy of each string per graph) and every name and value is quoted.
 * Values were escaped when they were set: backslashes come in pairs, so
 * no value can end in a lone one, and only quotes are escaped here.
 */

#define MAX_SYMS 64

typedef struct dot_out {
    cjm__buf *b;
    Agraph_t *root;
    Agsym_t *gsym[MAX_SYMS], *nsym[MAX_SYMS], *esym[MAX_SYMS];
    int ng, nn, ne;
    unsigned char *done; /* per node sequence number: already written */
    size_t ndone;
} dot_out;

/* A name (of a graph, subgraph or node) or a plain value, in quotes. */
static void dot_quoted(cjm__buf *b, const char *s)
{
    const char *run = s;
    cjm__buf_putc(b, '"');
    for (; *s; s++)
        if (*s == '"') {
            cjm__buf_put(b, run, (size_t)(s - run));
            cjm__buf_put(b, "\\\"", 2);
            run = s + 1;
        }
    cjm__buf_put(b, run, (size_t)(s - run));
    cjm__buf_putc(b, '"');
}

/*
 * An attribute value: cgraph's pooled strings carry a flag for HTML-like
 * labels, written in angle brackets. Only values are asked: names of
 * subgraphs live in the id table below, not in cgraph's pool.
 */
static void dot_value(cjm__buf *b, const char *v)
{
    if (aghtmlstr((char *)v)) {
        cjm__buf_putc(b, '<');
        cjm__buf_puts(b, v);
        cjm__buf_putc(b, '>');
        return;
    }
    dot_quoted(b, v);
}

static int differs(const char *v, const char *base)
{
    return v != base && strcmp(v, base) != 0;
}

/* " [a=b, c=d]" for the values of `obj` that differ from `base` (or all). */
static void dot_attrs(dot_out *d, void *obj, Agsym_t **syms, int n, void *base, int all)
{
    int first = 1;
    for (int i = 0; i < n; i++) {
        const char *v = agxget(obj, syms[i]);
        const char *dv = base ? agxget(base, syms[i]) : syms[i]->defval;
        if (!v || (all ? *v == '\0' : !differs(v, dv)))
            continue;
        cjm__buf_puts(d->b, first ? "\t[" : ",\n\t\t");
        first = 0;
        cjm__buf_puts(d->b, syms[i]->name);
        cjm__buf_putc(d->b, '=');
        dot_value(d->b, v);
    }
    if (!first)
        cjm__buf_putc(d->b, ']');
}

static void dot_defaults(dot_out *d, const char *what, Agsym_t **syms, int n)
{
    int first = 1;
    for (int i = 0; i < n; i++) {
        if (!syms[i]->defval || !*syms[i]->defval)
            continue;
        cjm__buf_puts(d->b, first ? "\t" : ",\n\t\t");
        if (first) {
            cjm__buf_puts(d->b, what);
            cjm__buf_puts(d->b, " [");
        }
        first = 0;
        cjm__buf_puts(d->b, syms[i]->name);
        cjm__buf_putc(d->b, '=');
        dot_value(d->b, syms[i]->defval);
    }
    if (!first)
        cjm__buf_puts(d->b, "];\n");
}

static void dot_node(dot_out *d, Agnode_t *n, const char *indent)
{
    size_t seq = (size_t)AGSEQ(n);
    if (seq < d->ndone) {
        if (d->done[seq])
            return;
        d->done[seq] = 1;
    }
    cjm__buf_puts(d->b, indent);
    dot_quoted(d->b, agnameof(n));
    dot_attrs(d, n, d->nsym, d->nn, NULL, 0);
    cjm__buf_puts(d->b, ";\n");
}

static void dot_subgraph(dot_out *d, Agraph_t *sub, int depth);

static int by_seq(const void *a, const void *b)
{
    unsigned long x = (unsigned long)AGSEQ(*(Agraph_t *const *)a);
    unsigned long y = (unsigned long)AGSEQ(*(Agraph_t *const *)b);
    return x < y ? -1 : x > y;
}

/*
 * The subgraphs of `g` in the order they were made. cgraph lists them by
 * id, and the id of a named subgraph is the address of its pooled name,
 * which differs from run to run.
 */
static void dot_subgraphs(dot_out *d, Agraph_t *g, int depth)
{
    Agraph_t *stack[16], **subs = stack;
    size_t n = 0, k = 0;
    for (Agraph_t *s = agfstsubg(g); s; s = agnxtsubg(s))
        n++;
    if (n > sizeof stack / sizeof *stack) {
        subs = cjm__malloc(d->b->alloc, n * sizeof *subs);
        if (!subs) {
            d->b->failed = 1;
            return;
        }
    }
    for (Agraph_t *s = agfstsubg(g); s; s = agnxtsubg(s))
        subs[k++] = s;
    qsort(subs, n, sizeof *subs, by_seq);
    for (k = 0; k < n; k++)
        dot_subgraph(d, subs[k], depth);
    if (subs != stack)
        cjm__free(d->b->alloc, subs);
}

static void dot_subgraph(dot_out *d, Agraph_t *sub, int depth)
{
    char indent[16];
    int k = depth < 8 ? depth : 8;
    memset(indent, '\t', (size_t)k + 1);
    indent[k + 1] = '\0';
    cjm__buf_put(d->b, indent, (size_t)k);
    cjm__buf_puts(d->b, "subgraph ");
    dot_quoted(d->b, agnameof(sub));
    cjm__buf_puts(d->b, " {\n");
    /* A reader starts a subgraph from the root's values: print what differs. */
    {
        size_t before = d->b->len;
        cjm__buf_puts(d->b, indent);
        cjm__buf_puts(d->b, "graph");
        size_t mark = d->b->len;
        dot_attrs(d, sub, d->gsym, d->ng, d->root, 0);
        if (d->b->len == mark && !d->b->failed) {
            d->b->len = before;
            d->b->data[before] = '\0';
        } else {
            cjm__buf_puts(d->b, ";\n");
        }
    }
    dot_subgraphs(d, sub, depth + 1);
    for (Agnode_t *n = agfstnode(sub); n; n = agnxtnode(sub, n))
        dot_node(d, n, indent);
    cjm__buf_put(d->b, indent, (size_t)k);
    cjm__buf_puts(d->b, "}\n");
}

int cjm__diagram_write_dot(Agraph_t *g, cjm__buf *b)
{
    dot_out d;
    size_t maxseq = 0;
    memset(&d, 0, sizeof d);
    d.b = b;
    d.root = g;
    for (Agsym_t *s = agnxtattr(g, AGRAPH, NULL); s && d.ng < MAX_SYMS; s = agnxtattr(g, AGRAPH, s))
        d.gsym[d.ng++] = s;
    for (Agsym_t *s = agnxtattr(g, AGNODE, NULL); s && d.nn < MAX_SYMS; s = agnxtattr(g, AGNODE, s))
        d.nsym[d.nn++] = s;
    for (Agsym_t *s = agnxtattr(g, AGEDGE, NULL); s && d.ne < MAX_SYMS; s = agnxtattr(g, AGEDGE, s))
        d.esym[d.ne++] = s;
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        if ((size_t)AGSEQ(n) + 1 > maxseq)
            maxseq = (size_t)AGSEQ(n) + 1;
    d.done = cjm__calloc(b->alloc, maxseq ? maxseq : 1, 1);
    if (!d.done)
        return CJM_ENOMEM;
    d.ndone = maxseq;

    cjm__buf_puts(b, agisstrict(g) ? "strict " : "");
    cjm__buf_puts(b, agisdirected(g) ? "digraph " : "graph ");
    dot_quoted(b, agnameof(g));
    cjm__buf_puts(b, " {\n");
    {
        size_t mark;
        cjm__buf_puts(b, "\tgraph");
        mark = b->len;
        dot_attrs(&d, g, d.gsym, d.ng, NULL, 1);
        if (b->len == mark && !b->failed) {
            b->len -= 6;
            b->data[b->len] = '\0';
        } else {
            cjm__buf_puts(b, ";\n");
        }
    }
    dot_defaults(&d, "node", d.nsym, d.nn);
    dot_defaults(&d, "edge", d.esym, d.ne);
    dot_subgraphs(&d, g, 1);
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        dot_node(&d, n, "\t");
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e)) {
            cjm__buf_putc(b, '\t');
            dot_quoted(b, agnameof(agtail(e)));
            cjm__buf_puts(b, agisdirected(g) ? " -> " : " -- ");
            dot_quoted(b, agnameof(aghead(e)));
            dot_attrs(&d, e, d.esym, d.ne, NULL, 0);
            cjm__buf_puts(b, ";\n");
        }
    cjm__buf_puts(b, "}\n");
    cjm__free(b->alloc, d.done);
    if (b->failed)
        return cjm__oom();
    return 0;
}

/* ---- subgraph ids ---------------------------------------------------------- */

/*
 * cgraph lists subgraphs, and dot lays clusters out, in the order of their
 * ids, and its default id for a named subgraph is the address of the
 * pooled name: the same map could come out in another order on another
 * call. This id discipline numbers the subgraphs in the order they are
 * made (2, 4, 6... even, like the default's ids, and far below any
 * address) and hands everything else to cgraph's default. Its table is
 * allocated before the graph, sized for every subgraph the builder makes,
 * so nothing is allocated inside cgraph's callbacks; it is freed when the
 * graph is closed.
 */
typedef struct subg_ids {
    Agdisc_t disc;         /* what agopen() gets: mem and io default, id below */
    const cjm_allocator *a;
    Agraph_t *g;           /* the root graph, whose string pool holds the names */
    void *deflt;           /* the default discipline's state */
    int root_seen;         /* the root graph's name went to the default */
    size_t len, cap;
    char **names;          /* pooled by cgraph, so they are cgraph strings */
} subg_ids;

static int is_ours(const subg_ids *t, int objtype, IDTYPE id)
{
    return objtype == AGRAPH && id != 0 && id % 2 == 0 && id / 2 <= t->len;
}

static void *ids_open(Agraph_t *g, Agdisc_t *disc)
{
    subg_ids *t = (subg_ids *)disc;
    t->g = g;
    t->deflt = AgIdDisc.open(g, disc);
    return t;
}

static long ids_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
    subg_ids *t = state;
    if (objtype != AGRAPH || !str || !t->root_seen) {
        if (objtype == AGRAPH && str)
            t->root_seen = 1;
        return AgIdDisc.map(t->deflt, objtype, str, id, createflag);
    }
    for (size_t k = 0; k < t->len; k++)
        if (strcmp(t->names[k], str) == 0) {
            *id = (IDTYPE)(2 * (k + 1));
            return 1;
        }
    if (!createflag || t->len == t->cap)
        return 0;
    /* The pool keeps the name until the graph is closed. */
    t->names[t->len] = agstrdup(t->g, str);
    *id = (IDTYPE)(2 * ++t->len);
    return 1;
}

static long ids_alloc(void *state, int objtype, IDTYPE id)
{
    subg_ids *t = state;
    return is_ours(t, objtype, id) ? 0 : AgIdDisc.alloc(t->deflt, objtype, id);
}

static void ids_free(void *state, int objtype, IDTYPE id)
{
    subg_ids *t = state;
    if (!is_ours(t, objtype, id)) {
        AgIdDisc.free(t->deflt, objtype, id);
    } else if (t->names[id / 2 - 1]) {
        agstrfree(t->g, t->names[id / 2 - 1]);
        t->names[id / 2 - 1] = NULL;
    }
}

static char *ids_print(void *state, int objtype, IDTYPE id)
{
    subg_ids *t = state;
    if (is_ours(t, objtype, id))
        return t->names[id / 2 - 1];
    return AgIdDisc.print(t->deflt, objtype, id);
}

static void ids_close(void *state)
{
    subg_ids *t = state;
    AgIdDisc.close(t->deflt);
    cjm__free(t->a, t->names);
    cjm__free(t->a, t);
}

static void ids_register(void *state, int objtype, void *obj)
{
    subg_ids *t = state;
    AgIdDisc.idregister(t->deflt, objtype, obj);
}

static Agiddisc_t subg_id_disc = {ids_open, ids_map, ids_alloc, ids_free,
                                  ids_print, ids_close, ids_register};

/* A discipline with room for `count` named subgraphs; NULL when out of memory. */
static subg_ids *subg_ids_new(const cjm_allocator *a, size_t count)
{
    subg_ids *t = cjm__calloc(a, 1, sizeof *t);
    if (!t)
        return NULL;
    t->names = cjm__calloc(a, count ? count : 1, sizeof *t->names);
    if (!t->names) {
        cjm__free(a, t);
        return NULL;
    }
    t->a = a;
    t->cap = count;
    t->disc.mem = &AgMemDisc;
    t->disc.id = &subg_id_disc;
    t->disc.io = &AgIoDisc;
    return t;
}

/* ---- building ------------------------------------------------------------ */

typedef struct syms {
    Agsym_t *g_label, *g_style, *g_color, *g_fillcolor, *g_fontsize, *g_labeljust,
        *g_tooltip;
    Agsym_t *n_label, *n_shape, *n_style, *n_fillcolor, *n_fontcolor, *n_color,
        *n_penwidth, *n_peripheries, *n_tooltip, *n_fontsize;
    Agsym_t *e_label, *e_penwidth, *e_style, *e_color, *e_tooltip, *e_constraint,
        *e_fontcolor;
} syms;

typedef struct ctx {
    const cjm_render_options *o;
    const cjm_allocator *a;
    const cjm_map *map;
    const cjm_journey *j;
    Agraph_t *g;
    syms s;
    size_t ntp, ntr, nst;
    cjm__vec *anns;        /* ntp + ntr lists of annotation items */
    unsigned char *dev;    /* ntp + ntr deviation bits */
    Agnode_t **nodes;      /* per touchpoint; NULL when not drawn */
    long *stage_of;        /* per touchpoint: stage index or -1 */
    unsigned char *link;   /* per touchpoint: LINK_IN, LINK_OUT */
    cjm__vec ghosts;       /* "missing" deviations whose touchpoint is not in the journey */
    Agnode_t **ghost_nodes;/* per ghost: its node, or NULL */
    long *ghost_stage;     /* per ghost: stage index or -1 */
    Agraph_t **clusters;   /* per stage */
    cjm__buf lab, tip;     /* scratch text */
    char name[48];
} ctx;

static Agsym_t *decl(Agraph_t *g, int kind, const char *name, const char *def)
{
    return agattr(g, kind, (char *)name, (char *)def);
}

static void put(void *obj, Agsym_t *sym, const char *value)
{
    agxset(obj, sym, (char *)value);
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

/* Appends escaped model text, refusing what Graphviz must not see. */
static int esc(ctx *c, cjm__buf *b, const char *text, size_t max_chars)
{
    if (!text)
        return 0;
    if (!cjm__text_ok(text))
        return cjm__error(CJM_EINVAL,
                          "journey '%s' holds text that is not valid UTF-8 or has control "
                          "characters",
                          cjm_journey_id(c->j));
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
        snprintf(t, sizeof t, "%.3g s", s);
    else if (s < 3600)
        snprintf(t, sizeof t, "%.3g min", s / 60);
    else if (s < 86400)
        snprintf(t, sizeof t, "%.3g h", s / 3600);
    else
        snprintf(t, sizeof t, "%.3g d", s / 86400);
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
static int annotation_text(ctx *c, cjm__buf *b, const cjm_item *ann, int full)
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
        rc = esc(c, b, label, cut);
    else if (desc && *desc && !full)
        rc = esc(c, b, desc, cut);
    else
        rc = esc(c, b, cjm_item_id(ann), cut);
    if (rc < 0 || !full)
        return rc;
    if (label && *label && desc && *desc) {
        if ((rc = lit(b, " \xE2\x80\x94 ")) < 0 || (rc = esc(c, b, desc, 0)) < 0)
            return rc;
    }
    if (cjm_item_kind(ann) == CJM_PAINPOINT) {
        const char *cause = cjm_item_text(ann, CJM_ATTR_ROOT_CAUSE);
        double hit;
        if (cause && *cause &&
            ((rc = lit(b, "\\nroot cause: ")) < 0 || (rc = esc(c, b, cause, 0)) < 0))
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
        if ((rc = lit(&c->lab, "\\n")) < 0 || (rc = annotation_text(c, &c->lab, v->items[i], 0)) < 0)
            return rc;
        if ((rc = lit(&c->tip, "\\n\\n")) < 0 || (rc = annotation_text(c, &c->tip, v->items[i], 1)) < 0)
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
    r = lround(p);
    if (r < 1)
        r = 1;
    if (r > 5)
        r = 5;
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
    Agraph_t *parent = c->g;
    Agnode_t *n;
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

    n = agnode(parent, (char *)node_name(c, tp), 1);
    c->nodes[i] = n;

    /* the label */
    reset(&c->lab);
    reset(&c->tip);
    if (mot)
        rc |= lit(&c->lab, "\xE2\x98\x85 ");
    if (dev & DEV_IRREGULAR)
        rc |= lit(&c->lab, "\xE2\x86\xAF ");
    if (rc < 0 || (rc = esc(c, &c->lab, name_of(tp), 0)) < 0)
        return rc;
    if (ch && ((rc = lit(&c->lab, "\\n[")) < 0 || (rc = esc(c, &c->lab, name_of(ch), 0)) < 0 ||
               (rc = lit(&c->lab, "]")) < 0))
        return rc;

    /* the tooltip */
    if ((rc = esc(c, &c->tip, name_of(tp), 0)) < 0)
        return rc;
    if (ch) {
        if ((rc = lit(&c->tip, "\\nchannel: ")) < 0 || (rc = esc(c, &c->tip, name_of(ch), 0)) < 0)
            return rc;
        if (look < 4 && ((rc = lit(&c->tip, " (")) < 0 ||
                         (rc = lit(&c->tip, cjm_enum_name(CJM_ATTR_CHANNEL_KIND, look))) < 0 ||
                         (rc = lit(&c->tip, ")")) < 0))
            return rc;
    }
    if ((owner = cjm_item_text(tp, CJM_ATTR_OWNER)) && *owner &&
        ((rc = lit(&c->tip, "\\nowner: ")) < 0 || (rc = esc(c, &c->tip, owner, 0)) < 0))
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

    put(n, c->s.n_label, c->lab.data);
    put(n, c->s.n_tooltip, c->tip.data);
    put(n, c->s.n_shape, channel_look[look].shape);
    snprintf(style, sizeof style, "filled%s%s", channel_look[look].rounded ? ",rounded" : "",
             (dev & DEV_MISSING) ? ",dashed" : "");
    put(n, c->s.n_style, style);
    if (cls >= 0) {
        put(n, c->s.n_fillcolor, score_fill[cls]);
        put(n, c->s.n_fontcolor, score_font[cls]);
    }
    if (mot) {
        put(n, c->s.n_peripheries, "2");
        put(n, c->s.n_penwidth, "2");
    }
    pen[0] = '\0';
    if (dev & DEV_FAILING) {
        put(n, c->s.n_color, FAILING_COLOR);
        snprintf(pen, sizeof pen, "3");
    } else if (dev & DEV_ADHOC) {
        put(n, c->s.n_color, ADHOC_COLOR);
        snprintf(pen, sizeof pen, "3");
    } else if (dev & DEV_IRREGULAR) {
        put(n, c->s.n_color, IRREGULAR_COLOR);
        snprintf(pen, sizeof pen, "2.5");
    }
    if (pen[0])
        put(n, c->s.n_penwidth, pen);
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
    Agedge_t *e;
    char tmp[32];

    if (!from || !to || cjm_item_kind(from) != CJM_TOUCHPOINT ||
        cjm_item_kind(to) != CJM_TOUCHPOINT || !c->nodes[cjm_item_index(from)] ||
        !c->nodes[cjm_item_index(to)] || !cjm__render_in_situation(tr, c->o->situation))
        return 0;
    e = agedge(c->g, c->nodes[cjm_item_index(from)], c->nodes[cjm_item_index(to)], NULL, 1);

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
    if ((rc = esc(c, &c->tip, name_of(from), 0)) < 0 || (rc = lit(&c->tip, " \xE2\x86\x92 ")) < 0 ||
        (rc = esc(c, &c->tip, name_of(to), 0)) < 0)
        return rc;
    if (has_vol && ((rc = lit(&c->tip, "\\nvolume ")) < 0 || (rc = num(&c->tip, vol)) < 0))
        return rc;
    if (has_prob && ((rc = lit(&c->tip, "\\nprobability ")) < 0 || (rc = num(&c->tip, prob)) < 0))
        return rc;
    if ((rc = annotations_into(c, t)) < 0)
        return rc;
    /* A label that starts with a line break would leave an empty first line. */
    put(e, c->s.e_label, strncmp(c->lab.data ? c->lab.data : "", "\\n", 2) == 0
                             ? c->lab.data + 2 : (c->lab.data ? c->lab.data : ""));
    put(e, c->s.e_tooltip, c->tip.data);

    if (has_vol && max_volume > 0 && vol > 0)
        w = 1 + 5 * sqrt(vol / max_volume);
    else if (!has_vol && has_prob && prob > 0)
        w = 1 + 5 * sqrt(prob > 1 ? 1 : prob);
    if (w > 0) {
        snprintf(tmp, sizeof tmp, "%.2f", w);
        put(e, c->s.e_penwidth, tmp);
    }
    if (dev & DEV_MISSING)
        put(e, c->s.e_style, "dashed");
    if (dev & DEV_FAILING) {
        put(e, c->s.e_color, FAILING_COLOR);
        put(e, c->s.e_fontcolor, FAILING_COLOR);
    } else if (dev & DEV_ADHOC) {
        put(e, c->s.e_color, ADHOC_COLOR);
        put(e, c->s.e_fontcolor, ADHOC_COLOR);
    } else if (dev & DEV_IRREGULAR) {
        put(e, c->s.e_color, IRREGULAR_COLOR);
        put(e, c->s.e_fontcolor, IRREGULAR_COLOR);
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
            put(e, c->s.e_constraint, "false");
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
        Agraph_t *parent = c->g;
        Agnode_t *n;
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
        n = agnode(parent, name, 1);
        c->ghost_nodes[k] = n;
        reset(&c->lab);
        reset(&c->tip);
        if ((rc = esc(c, &c->lab, ptp ? name_of(ptp) : tid ? tid : "planned touchpoint", 0)) < 0 ||
            (rc = lit(&c->lab, "\\n")) < 0 || (rc = annotation_text(c, &c->lab, gap, 0)) < 0)
            return rc;
        if ((rc = lit(&c->tip, "planned, did not happen: ")) < 0 ||
            (rc = esc(c, &c->tip, ptp ? name_of(ptp) : tid ? tid : "a planned touchpoint", 0)) < 0 ||
            (rc = lit(&c->tip, "\\n\\n")) < 0 || (rc = annotation_text(c, &c->tip, gap, 1)) < 0)
            return rc;
        put(n, c->s.n_label, c->lab.data);
        put(n, c->s.n_tooltip, c->tip.data);
        put(n, c->s.n_style, "dashed,rounded");
        put(n, c->s.n_fillcolor, "white");
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
    Agnode_t **anchor;
    long *prev_of;
    size_t used = 0;
    char name[48];
    unsigned char *has = cjm__calloc(c->a, c->nst ? c->nst : 1, 1);
    if (!has)
        return CJM_ENOMEM;
    for (size_t i = 0; i < c->ntp; i++)
        if (c->nodes[i] && c->stage_of[i] >= 0)
            has[c->stage_of[i]] = 1;
    for (size_t k = 0; k < c->ghosts.len; k++)
        if (c->ghost_nodes[k] && c->ghost_stage[k] >= 0)
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
        if (!has[s])
            continue;
        if (prev >= 0) {
            Agnode_t *n;
            snprintf(name, sizeof name, "stage boundary %ld", prev);
            n = agnode(c->g, name, 1);
            put(n, c->s.n_style, "invis");
            put(n, c->s.n_shape, "point");
            put(n, c->s.n_label, "");
            put(n, c->s.n_tooltip, "");
            anchor[prev] = n;
            prev_of[s] = prev;
        }
        prev = (long)s;
    }
    for (size_t i = 0; i < c->ntp; i++) {
        long s = c->stage_of[i];
        Agedge_t *e;
        if (!c->nodes[i] || s < 0)
            continue;
        if (anchor[s] && !(c->link[i] & LINK_OUT)) {
            e = agedge(c->g, c->nodes[i], anchor[s], NULL, 1);
            put(e, c->s.e_style, "invis");
        }
        if (prev_of[s] >= 0 && !(c->link[i] & LINK_IN)) {
            e = agedge(c->g, anchor[prev_of[s]], c->nodes[i], NULL, 1);
            put(e, c->s.e_style, "invis");
        }
    }
    for (size_t k = 0; k < c->ghosts.len; k++) {
        long s = c->ghost_stage[k];
        Agedge_t *e;
        if (!c->ghost_nodes[k] || s < 0)
            continue;
        if (anchor[s]) {
            e = agedge(c->g, c->ghost_nodes[k], anchor[s], NULL, 1);
            put(e, c->s.e_style, "invis");
        }
        if (prev_of[s] >= 0) {
            e = agedge(c->g, anchor[prev_of[s]], c->ghost_nodes[k], NULL, 1);
            put(e, c->s.e_style, "invis");
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
    Agraph_t *sub = agsubg(c->g, "cluster_legend", 1);
    put(sub, c->s.g_label, "Legend");
    put(sub, c->s.g_tooltip, "Legend");
    put(sub, c->s.g_fillcolor, "white");
    put(sub, c->s.g_fontsize, "12");
    for (int r = 0; r < 3; r++) {
        Agnode_t *prev = NULL;
        for (int k = 0; k < 6 && rows[r][k].name; k++) {
            Agnode_t *n = agnode(sub, (char *)rows[r][k].name, 1);
            put(n, c->s.n_label, rows[r][k].label);
            put(n, c->s.n_tooltip, rows[r][k].label);
            put(n, c->s.n_shape, rows[r][k].shape);
            put(n, c->s.n_fillcolor, rows[r][k].fill);
            put(n, c->s.n_fontsize, "9");
            if (rows[r][k].style)
                put(n, c->s.n_style, rows[r][k].style);
            if (rows[r][k].font)
                put(n, c->s.n_fontcolor, rows[r][k].font);
            if (rows[r][k].color)
                put(n, c->s.n_color, rows[r][k].color);
            if (rows[r][k].pen)
                put(n, c->s.n_penwidth, rows[r][k].pen);
            if (rows[r][k].peri)
                put(n, c->s.n_peripheries, rows[r][k].peri);
            if (prev)
                put(agedge(c->g, prev, n, NULL, 1), c->s.e_style, "invis");
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
        if ((rc = esc(c, &c->lab, title, 0)) < 0 || (rc = lit(&c->lab, "\\n")) < 0)
            return rc;
    }
    if ((rc = esc(c, &c->lab, jl && *jl ? jl : cjm_journey_id(c->j), 0)) < 0)
        return rc;
    if (cjm_journey_status(c->j) == CJM_STATUS_ACTUAL && (rc = lit(&c->lab, " (actual)")) < 0)
        return rc;
    if (c->o->situation) {
        const cjm_item *sit = cjm_map_find(c->map, c->o->situation);
        if ((rc = lit(&c->lab, "\\nsituation: ")) < 0 ||
            (rc = esc(c, &c->lab, sit ? name_of(sit) : c->o->situation, 0)) < 0)
            return rc;
    }
    put(c->g, c->s.g_label, c->lab.data);
    put(c->g, c->s.g_fontsize, "20");
    /* The cluster look is the default; the page itself stays plain. */
    put(c->g, c->s.g_style, "solid");
    put(c->g, c->s.g_fillcolor, "white");
    put(c->g, c->s.g_tooltip, c->lab.data);
    return 0;
}

static void declare(ctx *c)
{
    Agraph_t *g = c->g;
    syms *s = &c->s;
    /* Defaults for the graph and every cluster; the root overrides some. */
    s->g_label = decl(g, AGRAPH, "label", "");
    s->g_fontsize = decl(g, AGRAPH, "fontsize", "14");
    s->g_style = decl(g, AGRAPH, "style", "rounded,filled");
    s->g_color = decl(g, AGRAPH, "color", "#bbbbbb");
    s->g_fillcolor = decl(g, AGRAPH, "fillcolor", "#f7f7f7");
    s->g_labeljust = decl(g, AGRAPH, "labeljust", "l");
    s->g_tooltip = decl(g, AGRAPH, "tooltip", "");
    decl(g, AGRAPH, "fontname", FONT);
    decl(g, AGRAPH, "labelloc", "t");
    decl(g, AGRAPH, "rankdir", c->o->direction == CJM_DIRECTION_TB ? "TB" : "LR");
    decl(g, AGRAPH, "nodesep", "0.3");
    decl(g, AGRAPH, "ranksep", "0.4");

    s->n_label = decl(g, AGNODE, "label", "\\N");
    s->n_shape = decl(g, AGNODE, "shape", "box");
    s->n_style = decl(g, AGNODE, "style", "filled");
    s->n_fillcolor = decl(g, AGNODE, "fillcolor", NO_SCORE_FILL);
    s->n_fontcolor = decl(g, AGNODE, "fontcolor", "black");
    s->n_color = decl(g, AGNODE, "color", NODE_BORDER);
    s->n_penwidth = decl(g, AGNODE, "penwidth", "1");
    s->n_peripheries = decl(g, AGNODE, "peripheries", "1");
    s->n_tooltip = decl(g, AGNODE, "tooltip", "");
    decl(g, AGNODE, "fontname", FONT);
    s->n_fontsize = decl(g, AGNODE, "fontsize", "11");

    s->e_label = decl(g, AGEDGE, "label", "");
    s->e_penwidth = decl(g, AGEDGE, "penwidth", "1");
    s->e_style = decl(g, AGEDGE, "style", "solid");
    s->e_color = decl(g, AGEDGE, "color", EDGE_COLOR);
    s->e_fontcolor = decl(g, AGEDGE, "fontcolor", "#333333");
    s->e_tooltip = decl(g, AGEDGE, "tooltip", "");
    s->e_constraint = decl(g, AGEDGE, "constraint", "true");
    decl(g, AGEDGE, "fontname", FONT);
    decl(g, AGEDGE, "fontsize", "9");
}

static int build(ctx *c)
{
    subg_ids *ids;
    int rc;
    double max_volume = 0;
    const char *gname = cjm_journey_id(c->j);
    if (strchr(gname, '\\'))
        gname = "journey";

    /* the stage clusters and the legend */
    ids = subg_ids_new(c->a, c->nst + 1);
    if (!ids)
        return CJM_ENOMEM;
    c->g = agopen((char *)gname, Agdirected, &ids->disc);
    if (!c->g) {
        cjm__free(c->a, ids->names);
        cjm__free(c->a, ids);
        return cjm__error(CJM_ERROR, "Graphviz could not create a graph");
    }
    declare(c);

    for (size_t s = 0; s < c->nst; s++) {
        const cjm_item *st = cjm_journey_at(c->j, CJM_STAGE, s);
        char name[48];
        snprintf(name, sizeof name, "cluster_%zu", s);
        c->clusters[s] = agsubg(c->g, name, 1);
        reset(&c->lab);
        if ((rc = esc(c, &c->lab, name_of(st), 0)) < 0)
            return rc;
        put(c->clusters[s], c->s.g_label, c->lab.data);
        put(c->clusters[s], c->s.g_tooltip, c->lab.data);
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
    for (size_t i = 0; i < c->ntp; i++) {
        c->nodes[i] = NULL;
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
    return 0;
}

int cjm__diagram_build(const cjm_map *map, const cjm_render_options *o, Agraph_t **out)
{
    const cjm_journey *j;
    cjm_render_options opt;
    ctx c;
    size_t targets;
    int rc;

    if (!out)
        return cjm__error(CJM_EINVAL, "no place for the graph was given");
    *out = NULL;
    memset(&c, 0, sizeof c);
    if ((rc = cjm__render_prepare(map, o, &opt, &j)) < 0)
        return rc;
    c.o = &opt;
    c.a = opt.allocator;
    c.map = map;
    c.j = j;
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
    if (rc < 0) {
        if (c.g)
            agclose(c.g);
        return rc;
    }
    *out = c.g;
    return 0;
}
