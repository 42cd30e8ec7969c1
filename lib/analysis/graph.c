/* The analyses' compact graph of a journey, its components, entries and exits. */
#include <string.h>

#include "graph.h"
#include "../model/model_access.h"

const cjm_allocator *cjm__journey_alloc(const cjm_journey *j, const cjm_allocator *override)
{
    if (override)
        return override;
    return cjm__map_allocator(cjm_journey_map(j));
}

double cjm__num(const cjm_item *item, cjm_attr attr, double dflt)
{
    double v;
    return cjm__item_number(item, attr, &v) ? v : dflt;
}

int cjm__int(const cjm_item *item, cjm_attr attr, int dflt)
{
    int v;
    return cjm__item_int(item, attr, &v) ? v : dflt;
}

void cjm__arr_init(cjm__arr *r, size_t size)
{
    memset(r, 0, sizeof *r);
    r->size = size;
}

void *cjm__arr_push(const cjm_allocator *a, cjm__arr *r)
{
    char *p;
    if (r->len == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        void *v = cjm__realloc(a, r->v, cap * r->size);
        if (!v)
            return NULL;
        r->v = v;
        r->cap = cap;
    }
    p = (char *)r->v + r->len++ * r->size;
    memset(p, 0, r->size);
    return p;
}

void cjm__arr_free(const cjm_allocator *a, cjm__arr *r)
{
    cjm__free(a, r->v);
    r->v = NULL;
    r->len = r->cap = 0;
}

uint32_t cjm__graph_tp(const cjm__graph *g, const char *id)
{
    cjm_item *it;
    if (!id)
        return CJM__NONE;
    it = cjm_journey_find(g->j, id);
    if (!it || cjm_item_kind(it) != CJM_TOUCHPOINT)
        return CJM__NONE;
    return (uint32_t)cjm_item_index(it);
}

void cjm__graph_free(cjm__graph *g)
{
    const cjm_allocator *a = g->a;
    if (!a)
        return;
    cjm__free(a, g->tp);
    cjm__free(a, g->tr);
    cjm__free(a, g->src);
    cjm__free(a, g->dst);
    cjm__free(a, g->out_off);
    cjm__free(a, g->out_e);
    cjm__free(a, g->in_off);
    cjm__free(a, g->in_e);
    cjm__free(a, g->stage);
    memset(g, 0, sizeof *g);
}

int cjm__graph_build(cjm__graph *g, const cjm_journey *j, const cjm_allocator *a)
{
    size_t n = cjm_journey_count(j, CJM_TOUCHPOINT), mt = cjm_journey_count(j, CJM_TRANSITION);
    uint32_t m = 0;
    memset(g, 0, sizeof *g);
    g->a = a;
    g->j = j;
    if (n >= CJM__NONE || mt >= CJM__NONE)
        return cjm__error(CJM_ELIMIT, "journey '%s' is too large to analyse", cjm_journey_id(j));
    g->n = (uint32_t)n;
    g->tp = cjm__calloc(a, n + 1, sizeof *g->tp);
    g->tr = cjm__calloc(a, mt + 1, sizeof *g->tr);
    g->src = cjm__calloc(a, mt + 1, sizeof *g->src);
    g->dst = cjm__calloc(a, mt + 1, sizeof *g->dst);
    g->out_off = cjm__calloc(a, n + 2, sizeof *g->out_off);
    g->in_off = cjm__calloc(a, n + 2, sizeof *g->in_off);
    g->out_e = cjm__calloc(a, mt + 1, sizeof *g->out_e);
    g->in_e = cjm__calloc(a, mt + 1, sizeof *g->in_e);
    g->stage = cjm__calloc(a, n + 1, sizeof *g->stage);
    if (!g->tp || !g->tr || !g->src || !g->dst || !g->out_off || !g->in_off || !g->out_e ||
        !g->in_e || !g->stage) {
        cjm__graph_free(g);
        return CJM_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        cjm_item *st;
        g->tp[i] = cjm_journey_at(j, CJM_TOUCHPOINT, i);
        st = cjm_journey_find(j, cjm_item_text(g->tp[i], CJM_ATTR_STAGE) ?
                                     cjm_item_text(g->tp[i], CJM_ATTR_STAGE) : "");
        g->stage[i] = (st && cjm_item_kind(st) == CJM_STAGE) ? (int32_t)cjm_item_index(st) : -1;
    }
    for (size_t i = 0; i < mt; i++) {
        cjm_item *t = cjm_journey_at(j, CJM_TRANSITION, i);
        uint32_t s = cjm__graph_tp(g, cjm_item_text(t, CJM_ATTR_FROM));
        uint32_t d = cjm__graph_tp(g, cjm_item_text(t, CJM_ATTR_TO));
        if (s == CJM__NONE || d == CJM__NONE) {
            g->unresolved++;
            continue;
        }
        g->tr[m] = t;
        g->src[m] = s;
        g->dst[m] = d;
        g->out_off[s + 1]++;
        g->in_off[d + 1]++;
        m++;
    }
    g->m = m;
    for (uint32_t v = 0; v < g->n; v++) {
        g->out_off[v + 1] += g->out_off[v];
        g->in_off[v + 1] += g->in_off[v];
    }
    {
        /* Fill by counting sort; per vertex the transitions stay in journey order. */
        uint32_t *fo = cjm__malloc(a, (n + 1) * sizeof *fo);
        uint32_t *fi = cjm__malloc(a, (n + 1) * sizeof *fi);
        if (!fo || !fi) {
            cjm__free(a, fo);
            cjm__free(a, fi);
            cjm__graph_free(g);
            return CJM_ENOMEM;
        }
        memcpy(fo, g->out_off, n * sizeof *fo);
        memcpy(fi, g->in_off, n * sizeof *fi);
        for (uint32_t e = 0; e < m; e++) {
            g->out_e[fo[g->src[e]]++] = e;
            g->in_e[fi[g->dst[e]]++] = e;
        }
        cjm__free(a, fo);
        cjm__free(a, fi);
    }
    return 0;
}

int cjm__graph_scc(const cjm__graph *g, uint32_t *comp, uint32_t *ncomp)
{
    const cjm_allocator *a = g->a;
    uint32_t n = g->n, index = 0, nc = 0, sp = 0, cp = 0;
    uint32_t *idx = cjm__malloc(a, ((size_t)n + 1) * sizeof *idx);
    uint32_t *low = cjm__malloc(a, ((size_t)n + 1) * sizeof *low);
    uint32_t *stack = cjm__malloc(a, ((size_t)n + 1) * sizeof *stack);
    uint32_t *call = cjm__malloc(a, ((size_t)n + 1) * sizeof *call); /* DFS path */
    uint32_t *pos = cjm__malloc(a, ((size_t)n + 1) * sizeof *pos);   /* next edge per vertex */
    uint8_t *on = cjm__calloc(a, (size_t)n + 1, 1);
    if (!idx || !low || !stack || !call || !pos || !on) {
        cjm__free(a, idx);
        cjm__free(a, low);
        cjm__free(a, stack);
        cjm__free(a, call);
        cjm__free(a, pos);
        cjm__free(a, on);
        return CJM_ENOMEM;
    }
    for (uint32_t v = 0; v < n; v++)
        idx[v] = CJM__NONE;
    for (uint32_t root = 0; root < n; root++) {
        if (idx[root] != CJM__NONE)
            continue;
        call[cp++] = root;
        idx[root] = low[root] = index++;
        pos[root] = g->out_off[root];
        stack[sp++] = root;
        on[root] = 1;
        while (cp) {
            uint32_t v = call[cp - 1];
            if (pos[v] < g->out_off[v + 1]) {
                uint32_t w = g->dst[g->out_e[pos[v]++]];
                if (idx[w] == CJM__NONE) {
                    idx[w] = low[w] = index++;
                    pos[w] = g->out_off[w];
                    stack[sp++] = w;
                    on[w] = 1;
                    call[cp++] = w;
                } else if (on[w] && idx[w] < low[v]) {
                    low[v] = idx[w];
                }
                continue;
            }
            cp--;
            if (cp && low[v] < low[call[cp - 1]])
                low[call[cp - 1]] = low[v];
            if (low[v] == idx[v]) {
                uint32_t w;
                do {
                    w = stack[--sp];
                    on[w] = 0;
                    comp[w] = nc;
                } while (w != v);
                nc++;
            }
        }
    }
    *ncomp = nc;
    cjm__free(a, idx);
    cjm__free(a, low);
    cjm__free(a, stack);
    cjm__free(a, call);
    cjm__free(a, pos);
    cjm__free(a, on);
    return 0;
}

int cjm__graph_entries(const cjm__graph *g, uint8_t *is_entry)
{
    int any = 0;
    for (uint32_t v = 0; v < g->n; v++) {
        is_entry[v] = cjm__num(g->tp[v], CJM_ATTR_ENTRY, 0) > 0;
        any |= is_entry[v];
    }
    if (!any)
        for (uint32_t v = 0; v < g->n; v++) {
            is_entry[v] = g->in_off[v] == g->in_off[v + 1];
            any |= is_entry[v];
        }
    return any;
}

int cjm__graph_exits(const cjm__graph *g, uint8_t *is_exit)
{
    int any = 0;
    for (uint32_t v = 0; v < g->n; v++) {
        is_exit[v] = cjm__int(g->tp[v], CJM_ATTR_EXIT, 0) == 1;
        any |= is_exit[v];
    }
    if (!any)
        for (uint32_t v = 0; v < g->n; v++) {
            is_exit[v] = g->out_off[v] == g->out_off[v + 1];
            any |= is_exit[v];
        }
    return any;
}
