/*
 * The Graphviz lock, context and message capture, label escaping, the
 * recorded diagram made into a cgraph graph, and cgraph's graph as DOT.
 *
 * The mutex, the once-flag and the context pointer below are the library's
 * only process-wide state: Graphviz itself is process-wide state that is
 * not thread-safe, so every use of it must take turns.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "render/render_internal.h"

static pthread_mutex_t gv_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t gv_once = PTHREAD_ONCE_INIT;
static GVC_t *gv_context;

void cjm__gv_lock(void)
{
    pthread_mutex_lock(&gv_mutex);
}

void cjm__gv_unlock(void)
{
    pthread_mutex_unlock(&gv_mutex);
}

static void gv_start(void)
{
    /*
     * gvContext() reads the plugin configuration; nothing else is loaded.
     * It does not return NULL: Graphviz aborts when it cannot allocate.
     */
    gv_context = gvContext();
}

GVC_t *cjm__gv_context(void)
{
    pthread_once(&gv_once, gv_start);
    return gv_context;
}

/* ---- messages ------------------------------------------------------------ */

static _Thread_local char gv_message[512];
static _Thread_local agusererrf gv_previous;

/* Graphviz sends a message in pieces, each a string; a new one starts after a newline. */
static int gv_collect(char *text)
{
    size_t n;
    n = strlen(gv_message);
    if (n > 0 && gv_message[n - 1] == '\n')
        n = 0;
    snprintf(gv_message + n, sizeof gv_message - n, "%s", text);
    return 0;
}

void cjm__gv_capture_begin(void)
{
    gv_message[0] = '\0';
    agreseterrors();
    gv_previous = agseterrf(gv_collect);
}

const char *cjm__gv_capture_end(void)
{
    size_t n;
    agseterrf(gv_previous);
    gv_previous = NULL;
    n = strlen(gv_message);
    while (n > 0 && (gv_message[n - 1] == '\n' || gv_message[n - 1] == ' '))
        gv_message[--n] = '\0';
    return gv_message;
}

/* ---- escaping ------------------------------------------------------------ */

/* Length of the UTF-8 sequence that starts with byte `c` (text is valid). */
static size_t utf8_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c < 0xE0)
        return 2;
    if (c < 0xF0)
        return 3;
    return 4;
}

int cjm__gv_escape(cjm__buf *b, const char *text, size_t max_chars)
{
    const char *s = text, *run = text;
    size_t chars = 0;
    int rc = 0;
    while (*s) {
        const char *rep = NULL;
        size_t step = 1;
        if (max_chars > 0 && chars == max_chars) {
            if (s > run)
                rc |= cjm__buf_put(b, run, (size_t)(s - run));
            return (rc | cjm__buf_puts(b, "\xE2\x80\xA6")) < 0 ? CJM_ENOMEM : 0;
        }
        switch (*s) {
        case '\\':
            rep = "\\\\";
            break;
        case '\n':
            rep = "\\n";
            break;
        case '\r':
            rep = "\\n";
            if (s[1] == '\n')
                step = 2;
            break;
        default:
            step = utf8_len((unsigned char)*s);
            break;
        }
        if (rep) {
            if (s > run)
                rc |= cjm__buf_put(b, run, (size_t)(s - run));
            rc |= cjm__buf_puts(b, rep);
            s += step;
            run = s;
        } else {
            s += step;
        }
        chars++;
    }
    if (s > run)
        rc |= cjm__buf_put(b, run, (size_t)(s - run));
    return rc < 0 ? CJM_ENOMEM : 0;
}

/* ---- a cgraph graph as DOT -------------------------------------------------- */

/*
 * The DOT export writes from the record (dgraph.c); this writer of a built
 * cgraph graph is the reference it must match byte for byte, kept for the
 * tests and the benchmark. The graph is written by walking it with cgraph
 * rather than with
 * agwrite(): agwrite() prints the root graph's values as the defaults of
 * every subgraph, so a cluster whose look differs only from the root would
 * lose it when the DOT is read back, and it compares every value with
 * strcmp(). Here values are compared by pointer (cgraph keeps one copy of
 * each string per root graph, so equal values are the same pointer) and
 * every name and value is quoted.
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
} dot_out;

void cjm__dot_quoted(cjm__buf *b, const char *s)
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
    cjm__dot_quoted(b, v);
}

/*
 * " [a=b, c=d]" for the values of `obj` that differ from `base` (or all
 * that are not empty). A value set to NULL with agxset() is not written.
 */
static void dot_attrs(dot_out *d, void *obj, Agsym_t **syms, int n, void *base, int all)
{
    int first = 1;
    for (int i = 0; i < n; i++) {
        const char *v = agxget(obj, syms[i]);
        const char *dv = base ? agxget(base, syms[i]) : syms[i]->defval;
        if (!v || (all ? *v == '\0' : v == dv))
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

/* The node or edge defaults that are not empty (agattr() gives every one a value). */
static void dot_defaults(dot_out *d, const char *what, Agsym_t **syms, int n)
{
    int first = 1;
    for (int i = 0; i < n; i++) {
        if (!*syms[i]->defval)
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

/* A node of any subgraph is a node of the root: its sequence number has a place in `done`. */
static void dot_node(dot_out *d, Agnode_t *n, const char *indent)
{
    size_t seq = (size_t)AGSEQ(n);
    if (d->done[seq])
        return;
    d->done[seq] = 1;
    cjm__buf_puts(d->b, indent);
    cjm__dot_quoted(d->b, agnameof(n));
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
    cjm__dot_quoted(d->b, agnameof(sub));
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
    Agnode_t *last = aglstnode(g); /* nodes are listed by sequence number */
    memset(&d, 0, sizeof d);
    d.b = b;
    d.root = g;
    for (Agsym_t *s = agnxtattr(g, AGRAPH, NULL); s && d.ng < MAX_SYMS; s = agnxtattr(g, AGRAPH, s))
        d.gsym[d.ng++] = s;
    for (Agsym_t *s = agnxtattr(g, AGNODE, NULL); s && d.nn < MAX_SYMS; s = agnxtattr(g, AGNODE, s))
        d.nsym[d.nn++] = s;
    for (Agsym_t *s = agnxtattr(g, AGEDGE, NULL); s && d.ne < MAX_SYMS; s = agnxtattr(g, AGEDGE, s))
        d.esym[d.ne++] = s;
    d.done = cjm__calloc(b->alloc, last ? (size_t)AGSEQ(last) + 1 : 1, 1);
    if (!d.done)
        return CJM_ENOMEM;

    cjm__buf_puts(b, agisstrict(g) ? "strict " : "");
    cjm__buf_puts(b, agisdirected(g) ? "digraph " : "graph ");
    cjm__dot_quoted(b, agnameof(g));
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
    /* n is the tail of its out-edges, and an out-edge's node is its head
     * (what agtail() and aghead() find after asking the edge which it is) */
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e)) {
            cjm__buf_putc(b, '\t');
            cjm__dot_quoted(b, agnameof(n));
            cjm__buf_puts(b, agisdirected(g) ? " -> " : " -- ");
            cjm__dot_quoted(b, agnameof(e->node));
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
 * address) and hands everything else to cgraph's default, subgraphs made
 * once the table is full included. Its table is allocated before the
 * graph, sized for every subgraph the builder makes, so nothing is
 * allocated inside cgraph's callbacks; it is freed when the graph is
 * closed.
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

/* Whether `id` is a subgraph's from the table: even, with id / 2 - 1 a place in it (0 wraps). */
static int is_ours(const subg_ids *t, int objtype, IDTYPE id)
{
    return objtype == AGRAPH && id % 2 == 0 && id / 2 - 1 < t->len;
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
    if (createflag && t->len < t->cap) {
        /* The pool keeps the name until the graph is closed. */
        t->names[t->len] = agstrdup(t->g, str);
        *id = (IDTYPE)(2 * ++t->len);
        return 1;
    }
    /* a name not in the table, or one more subgraph than it has room for */
    return AgIdDisc.map(t->deflt, objtype, str, id, createflag);
}

static long ids_alloc(void *state, int objtype, IDTYPE id)
{
    subg_ids *t = state;
    return is_ours(t, objtype, id) ? 0 : AgIdDisc.alloc(t->deflt, objtype, id);
}

/*
 * A closed subgraph's name stays in the table, and in the graph's pool,
 * until the graph is closed: looking names up still works, and a subgraph
 * opened again under that name gets the same id.
 */
static void ids_free(void *state, int objtype, IDTYPE id)
{
    subg_ids *t = state;
    if (!is_ours(t, objtype, id))
        AgIdDisc.free(t->deflt, objtype, id);
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

/* ---- the record as a cgraph graph ------------------------------------------ */

int cjm__dg_to_cgraph(const cjm__dgraph *d, Agraph_t **out)
{
    Agsym_t *syms[CJM__DG_KINDS][CJM__DG_MAX_ATTRS];
    static const int kinds[CJM__DG_KINDS] = {AGRAPH, AGNODE, AGEDGE};
    size_t nn = d->nattrs[CJM__DG_NODE], ne = d->nattrs[CJM__DG_EDGE];
    Agraph_t *g, **subs;
    Agnode_t **nodes;
    subg_ids *ids;

    *out = NULL;
    if (d->failed)
        return cjm__oom();
    ids = subg_ids_new(d->a, d->nsub);
    if (!ids)
        return CJM_ENOMEM;
    subs = cjm__calloc(d->a, d->nsub ? d->nsub : 1, sizeof *subs);
    nodes = cjm__calloc(d->a, d->nnode ? d->nnode : 1, sizeof *nodes);
    if (!subs || !nodes) {
        cjm__free(d->a, subs);
        cjm__free(d->a, nodes);
        cjm__free(d->a, ids->names);
        cjm__free(d->a, ids);
        return CJM_ENOMEM;
    }
    /* agopen() does not return NULL: cgraph fails on memory it cannot have before. */
    g = agopen((char *)d->name, Agdirected, &ids->disc);
    for (int k = 0; k < CJM__DG_KINDS; k++)
        for (size_t i = 0; i < d->nattrs[k]; i++)
            syms[k][i] = agattr(g, kinds[k], (char *)d->attrs[k][i].name,
                                (char *)d->attrs[k][i].def);
    /* Subgraphs copy the root's values when made: replay their steps in order. */
    for (size_t i = 0; i < d->nlog; i++) {
        const struct cjm__dg_step *st = &d->log[i];
        if (st->attr < 0)
            subs[st->sub] = agsubg(g, (char *)d->sub_name[st->sub], 1);
        else
            agxset(st->sub < 0 ? g : subs[st->sub], syms[CJM__DG_GRAPH][st->attr],
                   (char *)st->value);
    }
    for (size_t i = 0; i < d->nnode; i++) {
        const char *const *v = d->node_val + i * nn;
        long s = d->node_sub[i];
        nodes[i] = agnode(s < 0 ? g : subs[s], (char *)d->node_name[i], 1);
        for (size_t k = 0; k < nn; k++)
            if (v[k])
                agxset(nodes[i], syms[CJM__DG_NODE][k], (char *)v[k]);
    }
    for (size_t i = 0; i < d->nedge; i++) {
        const char *const *v = d->edge_val + i * ne;
        Agedge_t *e = agedge(g, nodes[d->edge_end[2 * i]], nodes[d->edge_end[2 * i + 1]], NULL, 1);
        for (size_t k = 0; k < ne; k++)
            if (v[k])
                agxset(e, syms[CJM__DG_EDGE][k], (char *)v[k]);
    }
    cjm__free(d->a, subs);
    cjm__free(d->a, nodes);
    *out = g;
    return 0;
}
