/*
 * The diagram as a plain record: clusters, nodes, edges and their
 * attribute values, kept in the order they were made, without Graphviz.
 *
 * The record is written as DOT text directly, with no lock and no graph,
 * or made into a cgraph graph for layout and rendering. Both follow
 * cgraph's own rules, so that the DOT is exactly what
 * cjm__diagram_write_dot() prints for the cgraph graph:
 *
 * - a subgraph starts with a copy of the root graph's values at the time
 *   it is made, and setting a value of the root graph changes the default
 *   of every subgraph made later;
 * - a node or edge value equal to the attribute's default is no value;
 * - attributes are listed in the order of their names (cgraph keeps them
 *   in an ordered dictionary);
 * - subgraphs and nodes in the order they were made, every node in the
 *   first subgraph that holds it, or at the top;
 * - edges by tail, then by head in the order nodes were made, then in
 *   the order the edges were made (cgraph's order of out-edges).
 *
 * Every node name is given once: the builder makes names that cannot
 * collide, so no lookup by name is needed.
 */
#include <stdint.h>
#include <string.h>

#include "render/render_internal.h"

/* ---- text ---------------------------------------------------------------- */

struct cjm__dg_chunk {
    struct cjm__dg_chunk *next;
    size_t used, cap;
    char text[];
};

#define CHUNK_BYTES 65536

/* A copy of `s` that lives as long as the record; NULL when out of memory. */
static const char *keep(cjm__dgraph *d, const char *s)
{
    size_t n = strlen(s) + 1;
    cjm__dg_chunk *c = d->text;
    char *p;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > CHUNK_BYTES ? n : CHUNK_BYTES;
        c = cjm__malloc(d->a, sizeof *c + cap);
        if (!c) {
            d->failed = 1;
            return NULL;
        }
        c->cap = cap;
        c->used = 0;
        /* a chunk made for one long text goes behind the current one */
        if (d->text && n > CHUNK_BYTES) {
            c->next = d->text->next;
            d->text->next = c;
        } else {
            c->next = d->text;
            d->text = c;
        }
    }
    p = c->text + c->used;
    memcpy(p, s, n);
    c->used += n;
    return p;
}

/* Makes room for one more of `count` objects of `size` bytes each. */
static int room(cjm__dgraph *d, void **v, size_t count, size_t *cap, size_t size)
{
    size_t ncap;
    void *p;
    if (count < *cap)
        return 0;
    ncap = *cap ? *cap * 2 : 64;
    if (ncap > SIZE_MAX / size) {
        d->failed = 1;
        return cjm__oom();
    }
    p = cjm__realloc(d->a, *v, ncap * size);
    if (!p) {
        d->failed = 1;
        return CJM_ENOMEM;
    }
    *v = p;
    *cap = ncap;
    return 0;
}

/* ---- recording ------------------------------------------------------------- */

int cjm__dg_open(cjm__dgraph *d, const cjm_allocator *a, const char *name,
                 const cjm__dg_attr *const attrs[CJM__DG_KINDS], const size_t count[CJM__DG_KINDS])
{
    memset(d, 0, sizeof *d);
    d->a = a;
    for (int k = 0; k < CJM__DG_KINDS; k++) {
        if (count[k] > CJM__DG_MAX_ATTRS)
            return cjm__error(CJM_ERROR, "too many diagram attributes");
        d->attrs[k] = attrs[k];
        d->nattrs[k] = count[k];
    }
    for (size_t i = 0; i < count[CJM__DG_GRAPH]; i++)
        d->root[i] = attrs[CJM__DG_GRAPH][i].def;
    d->name = keep(d, name);
    return d->failed ? CJM_ENOMEM : 0;
}

void cjm__dg_free(cjm__dgraph *d)
{
    cjm__dg_chunk *c = d->text;
    while (c) {
        cjm__dg_chunk *next = c->next;
        cjm__free(d->a, c);
        c = next;
    }
    cjm__free(d->a, d->sub_name);
    cjm__free(d->a, d->sub_val);
    cjm__free(d->a, d->node_name);
    cjm__free(d->a, d->node_sub);
    cjm__free(d->a, d->node_val);
    cjm__free(d->a, d->edge_end);
    cjm__free(d->a, d->edge_val);
    cjm__free(d->a, d->log);
    memset(d, 0, sizeof *d);
}

static int log_op(cjm__dgraph *d, long sub, int attr, const char *value)
{
    if (room(d, (void **)&d->log, d->nlog, &d->cap_log, sizeof *d->log) < 0)
        return CJM_ENOMEM;
    d->log[d->nlog].sub = sub;
    d->log[d->nlog].attr = attr;
    d->log[d->nlog].value = value;
    d->nlog++;
    return 0;
}

long cjm__dg_subgraph(cjm__dgraph *d, const char *name)
{
    size_t ng = d->nattrs[CJM__DG_GRAPH], cap = d->cap_sub;
    const char *kept;
    if (d->failed)
        return -1;
    if (room(d, (void **)&d->sub_name, d->nsub, &cap, sizeof *d->sub_name) < 0)
        return -1;
    cap = d->cap_sub;
    if (room(d, (void **)&d->sub_val, d->nsub, &cap, ng * sizeof *d->sub_val) < 0)
        return -1;
    d->cap_sub = cap;
    if (!(kept = keep(d, name)))
        return -1;
    d->sub_name[d->nsub] = kept;
    memcpy(d->sub_val + d->nsub * ng, d->root, ng * sizeof *d->root);
    if (log_op(d, (long)d->nsub, -1, NULL) < 0)
        return -1;
    return (long)d->nsub++;
}

long cjm__dg_node(cjm__dgraph *d, long sub, const char *name)
{
    size_t nn = d->nattrs[CJM__DG_NODE], cap;
    const char *kept;
    if (d->failed)
        return -1;
    cap = d->cap_node;
    if (room(d, (void **)&d->node_name, d->nnode, &cap, sizeof *d->node_name) < 0)
        return -1;
    cap = d->cap_node;
    if (room(d, (void **)&d->node_sub, d->nnode, &cap, sizeof *d->node_sub) < 0)
        return -1;
    cap = d->cap_node;
    if (room(d, (void **)&d->node_val, d->nnode, &cap, nn * sizeof *d->node_val) < 0)
        return -1;
    d->cap_node = cap;
    if (!(kept = keep(d, name)))
        return -1;
    d->node_name[d->nnode] = kept;
    d->node_sub[d->nnode] = sub;
    memset(d->node_val + d->nnode * nn, 0, nn * sizeof *d->node_val);
    return (long)d->nnode++;
}

long cjm__dg_edge(cjm__dgraph *d, long tail, long head)
{
    size_t ne = d->nattrs[CJM__DG_EDGE], cap;
    if (d->failed || tail < 0 || head < 0)
        return -1;
    cap = d->cap_edge;
    if (room(d, (void **)&d->edge_end, d->nedge, &cap, 2 * sizeof *d->edge_end) < 0)
        return -1;
    cap = d->cap_edge;
    if (room(d, (void **)&d->edge_val, d->nedge, &cap, ne * sizeof *d->edge_val) < 0)
        return -1;
    d->cap_edge = cap;
    d->edge_end[2 * d->nedge] = (size_t)tail;
    d->edge_end[2 * d->nedge + 1] = (size_t)head;
    memset(d->edge_val + d->nedge * ne, 0, ne * sizeof *d->edge_val);
    return (long)d->nedge++;
}

void cjm__dg_set(cjm__dgraph *d, int kind, long obj, int attr, const char *value)
{
    const char **slot;
    const char *kept;
    size_t n = d->nattrs[kind];
    if (d->failed || attr < 0 || (size_t)attr >= n)
        return;
    if (!value)
        value = "";
    if (kind == CJM__DG_GRAPH) {
        if (obj >= (long)d->nsub)
            return;
        if (!(kept = keep(d, value)) || log_op(d, obj, attr, kept) < 0)
            return;
        if (obj < 0)
            d->root[attr] = kept;
        else
            d->sub_val[(size_t)obj * n + (size_t)attr] = kept;
        return;
    }
    if (obj < 0 || (size_t)obj >= (kind == CJM__DG_NODE ? d->nnode : d->nedge))
        return;
    slot = (kind == CJM__DG_NODE ? d->node_val : d->edge_val) + (size_t)obj * n + (size_t)attr;
    if (strcmp(value, d->attrs[kind][attr].def) == 0)
        *slot = NULL;
    else
        *slot = keep(d, value);
}

/* ---- DOT ------------------------------------------------------------------ */

/* The attributes of `kind` in the order of their names. */
static void by_name(const cjm__dgraph *d, int kind, int *order)
{
    size_t n = d->nattrs[kind];
    for (size_t i = 0; i < n; i++) {
        size_t k = i;
        while (k > 0 && strcmp(d->attrs[kind][order[k - 1]].name, d->attrs[kind][i].name) > 0) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = (int)i;
    }
}

/* Which values attrs_out() prints. */
enum { SET_VALUES, NONEMPTY_VALUES, DIFFERENT_VALUES };

/*
 * " [a=b, c=d]" for the values in `v` that are set (a node's or edge's
 * values differ from the defaults), or are not empty (the root graph), or
 * differ from those in `base` (a subgraph against the root).
 */
static void attrs_out(cjm__buf *b, const cjm__dgraph *d, int kind, const int *order,
                      const char *const *v, int which, const char *const *base)
{
    int first = 1;
    for (size_t i = 0; i < d->nattrs[kind]; i++) {
        int k = order[i];
        if (!v[k] || (which == NONEMPTY_VALUES && !*v[k]) ||
            (which == DIFFERENT_VALUES && (v[k] == base[k] || strcmp(v[k], base[k]) == 0)))
            continue;
        cjm__buf_puts(b, first ? "\t[" : ",\n\t\t");
        first = 0;
        cjm__buf_puts(b, d->attrs[kind][k].name);
        cjm__buf_putc(b, '=');
        cjm__dot_quoted(b, v[k]);
    }
    if (!first)
        cjm__buf_putc(b, ']');
}

static void defaults_out(cjm__buf *b, const cjm__dgraph *d, int kind, const int *order,
                         const char *what)
{
    int first = 1;
    for (size_t i = 0; i < d->nattrs[kind]; i++) {
        const cjm__dg_attr *at = &d->attrs[kind][order[i]];
        if (!*at->def)
            continue;
        if (first) {
            cjm__buf_putc(b, '\t');
            cjm__buf_puts(b, what);
            cjm__buf_puts(b, " [");
        } else {
            cjm__buf_puts(b, ",\n\t\t");
        }
        first = 0;
        cjm__buf_puts(b, at->name);
        cjm__buf_putc(b, '=');
        cjm__dot_quoted(b, at->def);
    }
    if (!first)
        cjm__buf_puts(b, "];\n");
}

/*
 * Stable counting sort of `idx` (n entries) by key(idx) in 0..nkeys-1,
 * into `out`; `count` has room for nkeys + 1.
 */
static void sort_by(const size_t *idx, size_t n, const size_t *key, size_t stride, size_t nkeys,
                    size_t *count, size_t *out)
{
    memset(count, 0, (nkeys + 1) * sizeof *count);
    for (size_t i = 0; i < n; i++)
        count[key[idx[i] * stride] + 1]++;
    for (size_t k = 0; k < nkeys; k++)
        count[k + 1] += count[k];
    for (size_t i = 0; i < n; i++)
        out[count[key[idx[i] * stride]]++] = idx[i];
}

static void node_out(cjm__buf *b, const cjm__dgraph *d, const int *order, size_t n,
                     const char *indent)
{
    cjm__buf_puts(b, indent);
    cjm__dot_quoted(b, d->node_name[n]);
    attrs_out(b, d, CJM__DG_NODE, order, d->node_val + n * d->nattrs[CJM__DG_NODE], SET_VALUES,
              NULL);
    cjm__buf_puts(b, ";\n");
}

int cjm__dg_write_dot(const cjm__dgraph *d, cjm__buf *b)
{
    int order[CJM__DG_KINDS][CJM__DG_MAX_ATTRS];
    size_t ng = d->nattrs[CJM__DG_GRAPH], ne = d->nattrs[CJM__DG_EDGE];
    size_t n = d->nnode > d->nedge ? d->nnode : d->nedge, keys = d->nnode > d->nsub + 1
                                                                     ? d->nnode : d->nsub + 1;
    size_t *idx, *tmp, *count, *sub_key;
    size_t at;

    if (d->failed)
        return cjm__oom();
    for (int k = 0; k < CJM__DG_KINDS; k++)
        by_name(d, k, order[k]);
    idx = cjm__malloc(d->a, (n ? n : 1) * sizeof *idx);
    tmp = cjm__malloc(d->a, (n ? n : 1) * sizeof *tmp);
    count = cjm__malloc(d->a, (keys + 1) * sizeof *count);
    sub_key = cjm__malloc(d->a, (d->nnode ? d->nnode : 1) * sizeof *sub_key);
    if (!idx || !tmp || !count || !sub_key) {
        cjm__free(d->a, idx);
        cjm__free(d->a, tmp);
        cjm__free(d->a, count);
        cjm__free(d->a, sub_key);
        return CJM_ENOMEM;
    }

    cjm__buf_puts(b, "digraph ");
    cjm__dot_quoted(b, d->name);
    cjm__buf_puts(b, " {\n");
    {
        size_t mark;
        cjm__buf_puts(b, "\tgraph");
        mark = b->len;
        attrs_out(b, d, CJM__DG_GRAPH, order[CJM__DG_GRAPH], d->root, NONEMPTY_VALUES, NULL);
        if (b->len == mark && !b->failed) {
            b->len -= 6;
            b->data[b->len] = '\0';
        } else {
            cjm__buf_puts(b, ";\n");
        }
    }
    defaults_out(b, d, CJM__DG_NODE, order[CJM__DG_NODE], "node");
    defaults_out(b, d, CJM__DG_EDGE, order[CJM__DG_EDGE], "edge");

    /* nodes grouped by subgraph, the top's last, each group in the order made */
    for (size_t i = 0; i < d->nnode; i++) {
        idx[i] = i;
        sub_key[i] = d->node_sub[i] < 0 ? d->nsub : (size_t)d->node_sub[i];
    }
    sort_by(idx, d->nnode, sub_key, 1, d->nsub + 1, count, tmp);
    at = 0;
    for (size_t s = 0; s < d->nsub; s++) {
        size_t mark, before;
        cjm__buf_puts(b, "\tsubgraph ");
        cjm__dot_quoted(b, d->sub_name[s]);
        cjm__buf_puts(b, " {\n");
        before = b->len;
        cjm__buf_puts(b, "\t\tgraph");
        mark = b->len;
        attrs_out(b, d, CJM__DG_GRAPH, order[CJM__DG_GRAPH], d->sub_val + s * ng,
                  DIFFERENT_VALUES, d->root);
        if (b->len == mark && !b->failed) {
            b->len = before;
            b->data[before] = '\0';
        } else {
            cjm__buf_puts(b, ";\n");
        }
        for (; at < d->nnode && sub_key[tmp[at]] == s; at++)
            node_out(b, d, order[CJM__DG_NODE], tmp[at], "\t\t");
        cjm__buf_puts(b, "\t}\n");
    }
    for (; at < d->nnode; at++)
        node_out(b, d, order[CJM__DG_NODE], tmp[at], "\t");

    /* edges by tail, then head, then the order made: two stable sorts */
    for (size_t i = 0; i < d->nedge; i++)
        idx[i] = i;
    if (d->nedge) { /* edge_end is NULL without edges */
        sort_by(idx, d->nedge, d->edge_end + 1, 2, d->nnode, count, tmp);
        sort_by(tmp, d->nedge, d->edge_end, 2, d->nnode, count, idx);
    }
    for (size_t i = 0; i < d->nedge; i++) {
        size_t e = idx[i];
        cjm__buf_putc(b, '\t');
        cjm__dot_quoted(b, d->node_name[d->edge_end[2 * e]]);
        cjm__buf_puts(b, " -> ");
        cjm__dot_quoted(b, d->node_name[d->edge_end[2 * e + 1]]);
        attrs_out(b, d, CJM__DG_EDGE, order[CJM__DG_EDGE], d->edge_val + e * ne, SET_VALUES,
                  NULL);
        cjm__buf_puts(b, ";\n");
    }
    cjm__buf_puts(b, "}\n");
    cjm__free(d->a, idx);
    cjm__free(d->a, tmp);
    cjm__free(d->a, count);
    cjm__free(d->a, sub_key);
    if (b->failed)
        return cjm__oom();
    return 0;
}
