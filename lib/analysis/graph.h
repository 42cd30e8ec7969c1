/*
 * The analyses' view of a journey: touchpoints numbered 0..n-1 in journey
 * order, the transitions whose both ends are touchpoints numbered 0..m-1,
 * and compressed adjacency in both directions. Built once per analysis in
 * time linear in the journey's size; nothing here is exported.
 */
#ifndef CJM_ANALYSIS_GRAPH_H
#define CJM_ANALYSIS_GRAPH_H

#include <stdint.h>

#include "../core/core.h"
#include "cjm/analysis.h"

#define CJM__NONE UINT32_MAX

typedef struct cjm__graph {
    const cjm_allocator *a;
    const cjm_journey *j;
    uint32_t n, m;
    cjm_item **tp;        /* n touchpoints */
    cjm_item **tr;        /* m transitions with both ends resolved */
    uint32_t *src, *dst;  /* m */
    uint32_t *out_off;    /* n + 1: out_e[out_off[v] .. out_off[v+1]) */
    uint32_t *out_e;      /* m transition numbers, in journey order per source */
    uint32_t *in_off;     /* n + 1 */
    uint32_t *in_e;       /* m */
    int32_t *stage;       /* n: position of the touchpoint's stage, or -1 */
    size_t unresolved;    /* transitions left out: an end is not a touchpoint */
} cjm__graph;

/* The allocator of the journey's map, or `override` when not NULL. */
const cjm_allocator *cjm__journey_alloc(const cjm_journey *j, const cjm_allocator *override);

int cjm__graph_build(cjm__graph *g, const cjm_journey *j, const cjm_allocator *a);
void cjm__graph_free(cjm__graph *g);

/* The touchpoint number of an item of the journey, or CJM__NONE. */
uint32_t cjm__graph_tp(const cjm__graph *g, const char *id);

/*
 * Strongly connected components (iterative Tarjan). comp[v] receives the
 * component of v; components are numbered in reverse topological order
 * (every transition goes from a higher or equal number to a lower or equal
 * one). `*ncomp` receives their number.
 */
int cjm__graph_scc(const cjm__graph *g, uint32_t *comp, uint32_t *ncomp);

/*
 * Where journeys start and end, as the analyses read them: entries are the
 * touchpoints with an entry volume above 0, or when there are none, those
 * with no incoming transition; exits are the touchpoints flagged as exits,
 * or when there are none, those with no outgoing transition.
 */
int cjm__graph_entries(const cjm__graph *g, uint8_t *is_entry);
int cjm__graph_exits(const cjm__graph *g, uint8_t *is_exit);

/* A number attribute, or `dflt` when unset. */
double cjm__num(const cjm_item *item, cjm_attr attr, double dflt);
/* An int attribute, or `dflt` when unset. */
int cjm__int(const cjm_item *item, cjm_attr attr, int dflt);

/* Growable array of fixed-size records. */
typedef struct cjm__arr {
    void *v;
    size_t len, cap, size;
} cjm__arr;
void cjm__arr_init(cjm__arr *r, size_t size);
/* Appends a zeroed record and returns it, or NULL (CJM_ENOMEM recorded). */
void *cjm__arr_push(const cjm_allocator *a, cjm__arr *r);
void cjm__arr_free(const cjm_allocator *a, cjm__arr *r);
#define CJM__ARR_AT(r, T, i) (&((T *)(r)->v)[i])

#endif
