/* Conformance of single cases against a planned journey. */
#include <string.h>

#include "graph.h"

/* Sources whose shortest-path rows are cached when the journey is this small. */
#define ROW_CACHE_LIMIT 1024u

typedef struct cand {
    uint32_t tp;
    size_t position;
} cand;

struct cjm_conformance {
    cjm_allocator alloc;
    cjm__graph g;
    uint8_t *is_entry, *is_exit;
    uint32_t *from_entry; /* parent on a shortest path from the entries; NONE for entries */
    uint32_t *to_exit;    /* next hop on a shortest path to an exit; NONE for exits */
    uint8_t *entry_reached, *exit_reachable;
    uint32_t *empty_path; /* entry ... exit for a case without planned events */
    uint32_t empty_len;
    uint32_t *comp;       /* strongly connected component; a move to a higher number is
                             never possible, which answers most irregular moves at once */
    uint32_t **rows;      /* cached BFS parents per source, or NULL */
    uint32_t *parent, *queue;
    uint64_t *visit;      /* BFS stamps */
    uint64_t bfs_stamp;
    uint64_t *seen, *candidate; /* case stamps */
    uint64_t stamp;
    size_t (*counts)[4];
    cjm__arr touched;     /* uint32_t touchpoints whose counts are set */
    cjm__arr events;      /* cjm_case_deviation, not missing, in order */
    cjm__arr cands;       /* cand */
    cjm__arr out;         /* cjm_case_deviation, merged */
    size_t totals[4];
    int touched_lost;     /* a touched entry could not be recorded: reset all counts */
};

void cjm_conformance_free(cjm_conformance *c)
{
    const cjm_allocator *a;
    if (!c)
        return;
    a = &c->alloc;
    if (c->rows) {
        for (uint32_t i = 0; i < c->g.n; i++)
            cjm__free(a, c->rows[i]);
        cjm__free(a, c->rows);
    }
    cjm__free(a, c->comp);
    cjm__free(a, c->is_entry);
    cjm__free(a, c->is_exit);
    cjm__free(a, c->from_entry);
    cjm__free(a, c->to_exit);
    cjm__free(a, c->entry_reached);
    cjm__free(a, c->exit_reachable);
    cjm__free(a, c->empty_path);
    cjm__free(a, c->parent);
    cjm__free(a, c->queue);
    cjm__free(a, c->visit);
    cjm__free(a, c->seen);
    cjm__free(a, c->candidate);
    cjm__free(a, c->counts);
    cjm__arr_free(a, &c->touched);
    cjm__arr_free(a, &c->events);
    cjm__arr_free(a, &c->cands);
    cjm__arr_free(a, &c->out);
    c->g.a = a;
    cjm__graph_free(&c->g);
    cjm__free(a, c);
}

/* Multi-source BFS from the entries along transitions, and from the exits against them. */
static void precompute(cjm_conformance *c)
{
    const cjm__graph *g = &c->g;
    uint32_t head = 0, tail = 0, best = CJM__NONE;
    for (uint32_t v = 0; v < g->n; v++) {
        c->from_entry[v] = CJM__NONE;
        c->entry_reached[v] = c->is_entry[v];
        if (c->is_entry[v])
            c->queue[tail++] = v;
    }
    while (head < tail) {
        uint32_t v = c->queue[head++];
        if (best == CJM__NONE && c->is_exit[v])
            best = v; /* the first exit met is a nearest one */
        for (uint32_t k = g->out_off[v]; k < g->out_off[v + 1]; k++) {
            uint32_t w = g->dst[g->out_e[k]];
            if (!c->entry_reached[w]) {
                c->entry_reached[w] = 1;
                c->from_entry[w] = v;
                c->queue[tail++] = w;
            }
        }
    }
    c->empty_len = 0;
    if (best != CJM__NONE) {
        uint32_t len = 0;
        for (uint32_t v = best; v != CJM__NONE; v = c->from_entry[v])
            len++;
        c->empty_len = len;
        for (uint32_t v = best; v != CJM__NONE; v = c->from_entry[v])
            c->empty_path[--len] = v;
    }
    head = tail = 0;
    for (uint32_t v = 0; v < g->n; v++) {
        c->to_exit[v] = CJM__NONE;
        c->exit_reachable[v] = c->is_exit[v];
        if (c->is_exit[v])
            c->queue[tail++] = v;
    }
    while (head < tail) {
        uint32_t v = c->queue[head++];
        for (uint32_t k = g->in_off[v]; k < g->in_off[v + 1]; k++) {
            uint32_t w = g->src[g->in_e[k]];
            if (!c->exit_reachable[w]) {
                c->exit_reachable[w] = 1;
                c->to_exit[w] = v;
                c->queue[tail++] = w;
            }
        }
    }
}

int cjm_conformance_new(cjm_conformance **out, const cjm_journey *planned,
                        const cjm_conformance_options *opts)
{
    const cjm_allocator *a;
    cjm_conformance *c;
    size_t n;
    int rc;
    if (!out || !planned)
        return cjm__error(CJM_EINVAL, "cjm_conformance_new: NULL argument");
    *out = NULL;
    if (opts && opts->version != CJM_CONFORMANCE_OPTIONS_VERSION)
        return cjm__error(CJM_EINVAL, "cjm_conformance_new: unknown options version %u",
                          opts->version);
    a = cjm__journey_alloc(planned, opts ? opts->allocator : NULL);
    c = cjm__calloc(a, 1, sizeof *c);
    if (!c)
        return CJM_ENOMEM;
    c->alloc = *a;
    a = &c->alloc;
    cjm__arr_init(&c->touched, sizeof(uint32_t));
    cjm__arr_init(&c->events, sizeof(cjm_case_deviation));
    cjm__arr_init(&c->cands, sizeof(cand));
    cjm__arr_init(&c->out, sizeof(cjm_case_deviation));
    rc = cjm__graph_build(&c->g, planned, a);
    if (rc < 0) {
        cjm__free(a, c);
        return rc;
    }
    n = (size_t)c->g.n + 1;
    c->is_entry = cjm__calloc(a, n, 1);
    c->is_exit = cjm__calloc(a, n, 1);
    c->entry_reached = cjm__calloc(a, n, 1);
    c->exit_reachable = cjm__calloc(a, n, 1);
    c->from_entry = cjm__calloc(a, n, sizeof *c->from_entry);
    c->to_exit = cjm__calloc(a, n, sizeof *c->to_exit);
    c->empty_path = cjm__calloc(a, n, sizeof *c->empty_path);
    c->parent = cjm__calloc(a, n, sizeof *c->parent);
    c->queue = cjm__calloc(a, n, sizeof *c->queue);
    c->visit = cjm__calloc(a, n, sizeof *c->visit);
    c->seen = cjm__calloc(a, n, sizeof *c->seen);
    c->candidate = cjm__calloc(a, n, sizeof *c->candidate);
    c->counts = cjm__calloc(a, n, sizeof *c->counts);
    c->comp = cjm__calloc(a, n, sizeof *c->comp);
    if (c->g.n <= ROW_CACHE_LIMIT)
        c->rows = cjm__calloc(a, n, sizeof *c->rows);
    if (!c->is_entry || !c->is_exit || !c->entry_reached || !c->exit_reachable ||
        !c->from_entry || !c->to_exit || !c->empty_path || !c->parent || !c->queue ||
        !c->visit || !c->seen || !c->candidate || !c->counts || !c->comp ||
        (c->g.n <= ROW_CACHE_LIMIT && !c->rows)) {
        cjm_conformance_free(c);
        return CJM_ENOMEM;
    }
    {
        uint32_t nc;
        if (cjm__graph_scc(&c->g, c->comp, &nc) < 0) {
            cjm_conformance_free(c);
            return CJM_ENOMEM;
        }
    }
    cjm__graph_entries(&c->g, c->is_entry);
    cjm__graph_exits(&c->g, c->is_exit);
    precompute(c);
    *out = c;
    return 0;
}

static int has_transition(const cjm__graph *g, uint32_t from, uint32_t to)
{
    for (uint32_t k = g->out_off[from]; k < g->out_off[from + 1]; k++)
        if (g->dst[g->out_e[k]] == to)
            return 1;
    return 0;
}

/*
 * Parents of a BFS from `from`. Returns the parent array (valid until the
 * next call) or NULL on allocation failure; *found says whether `to` was
 * reached. With a cached row every target is answered; otherwise the BFS
 * stops at `to` and only the visited entries are meaningful.
 */
static const uint32_t *bfs(cjm_conformance *c, uint32_t from, uint32_t to, int *found)
{
    const cjm__graph *g = &c->g;
    uint32_t *parent = c->parent, head = 0, tail = 0;
    uint64_t s = ++c->bfs_stamp;
    int cache = c->rows != NULL;
    if (cache && c->rows[from]) {
        *found = c->rows[from][to] != CJM__NONE || to == from;
        return c->rows[from];
    }
    if (cache) {
        parent = cjm__malloc(&c->alloc, (size_t)g->n * sizeof *parent);
        if (!parent)
            return NULL;
        for (uint32_t v = 0; v < g->n; v++)
            parent[v] = CJM__NONE;
    }
    *found = 0;
    c->visit[from] = s;
    c->queue[tail++] = from;
    while (head < tail) {
        uint32_t v = c->queue[head++];
        if (v == to && v != from && !cache) {
            *found = 1;
            break;
        }
        for (uint32_t k = g->out_off[v]; k < g->out_off[v + 1]; k++) {
            uint32_t w = g->dst[g->out_e[k]];
            if (c->visit[w] != s) {
                c->visit[w] = s;
                parent[w] = v;
                c->queue[tail++] = w;
            }
        }
    }
    if (cache) {
        c->rows[from] = parent;
        *found = parent[to] != CJM__NONE;
    }
    return parent;
}

static int add_event(cjm_conformance *c, cjm_deviation kind, uint32_t tp, const char *id,
                     size_t position)
{
    cjm_case_deviation *d = cjm__arr_push(&c->alloc, &c->events);
    if (!d)
        return CJM_ENOMEM;
    d->kind = kind;
    d->touchpoint = tp == CJM__NONE ? id : cjm_item_id(c->g.tp[tp]);
    d->index = tp == CJM__NONE ? SIZE_MAX : tp;
    d->position = position;
    return 0;
}

static int add_cand(cjm_conformance *c, uint32_t tp, size_t position)
{
    cand *k;
    if (c->candidate[tp] == c->stamp)
        return 0;
    c->candidate[tp] = c->stamp;
    k = cjm__arr_push(&c->alloc, &c->cands);
    if (!k)
        return CJM_ENOMEM;
    k->tp = tp;
    k->position = position;
    return 0;
}

/* Adds the touchpoints strictly between `from` and `to` on a shortest path (parents). */
static int add_path(cjm_conformance *c, const uint32_t *parent, uint32_t from, uint32_t to,
                    size_t position)
{
    /* Walk back from `to`; candidates are collected in reverse, then flipped. */
    size_t start = c->cands.len;
    for (uint32_t v = parent[to]; v != from && v != CJM__NONE; v = parent[v])
        if (add_cand(c, v, position) < 0)
            return CJM_ENOMEM;
    for (size_t i = start, k = c->cands.len; i + 1 < k; i++, k--) {
        cand t = *CJM__ARR_AT(&c->cands, cand, i);
        *CJM__ARR_AT(&c->cands, cand, i) = *CJM__ARR_AT(&c->cands, cand, k - 1);
        *CJM__ARR_AT(&c->cands, cand, k - 1) = t;
    }
    return 0;
}

static int count(cjm_conformance *c, const cjm_case_deviation *d)
{
    c->totals[d->kind]++;
    if (d->index != SIZE_MAX) {
        uint32_t tp = (uint32_t)d->index;
        int fresh = 1;
        for (int k = 0; k < 4; k++)
            fresh &= c->counts[tp][k] == 0;
        if (fresh) {
            uint32_t *t = cjm__arr_push(&c->alloc, &c->touched);
            if (!t) {
                c->touched_lost = 1;
                return CJM_ENOMEM;
            }
            *t = tp;
        }
        c->counts[tp][d->kind]++;
    }
    return 0;
}

static void reset(cjm_conformance *c)
{
    if (c->touched_lost) {
        memset(c->counts, 0, (size_t)c->g.n * sizeof *c->counts);
        c->touched_lost = 0;
    } else {
        for (size_t i = 0; i < c->touched.len; i++)
            memset(c->counts[*CJM__ARR_AT(&c->touched, uint32_t, i)], 0, sizeof *c->counts);
    }
    c->touched.len = 0;
    c->events.len = c->cands.len = c->out.len = 0;
    memset(c->totals, 0, sizeof c->totals);
    c->stamp++;
}

static int run(cjm_conformance *c, const char *const *ids, size_t n)
{
    const cjm__graph *g = &c->g;
    uint32_t prev = CJM__NONE;
    for (size_t pos = 0; pos < n; pos++) {
        uint32_t t = cjm__graph_tp(g, ids[pos]);
        int rc = 0;
        if (t == CJM__NONE) {
            if (add_event(c, CJM_DEVIATION_ADHOC, t, ids[pos], pos) < 0)
                return CJM_ENOMEM;
            continue;
        }
        if (prev == CJM__NONE) {
            if (!c->is_entry[t]) {
                if (c->entry_reached[t]) {
                    uint32_t v = c->from_entry[t];
                    size_t start = c->cands.len;
                    for (; v != CJM__NONE; v = c->from_entry[v])
                        if (add_cand(c, v, pos) < 0)
                            return CJM_ENOMEM;
                    for (size_t i = start, k = c->cands.len; i + 1 < k; i++, k--) {
                        cand x = *CJM__ARR_AT(&c->cands, cand, i);
                        *CJM__ARR_AT(&c->cands, cand, i) = *CJM__ARR_AT(&c->cands, cand, k - 1);
                        *CJM__ARR_AT(&c->cands, cand, k - 1) = x;
                    }
                } else {
                    rc = add_event(c, CJM_DEVIATION_IRREGULAR, t, NULL, pos);
                }
            }
        } else if (has_transition(g, prev, t)) {
            /* a planned move, repeated or not */
        } else if (c->seen[t] == c->stamp) {
            rc = add_event(c, CJM_DEVIATION_FAILING, t, NULL, pos);
        } else if (c->comp[t] > c->comp[prev]) {
            /* Components are numbered sinks first: no planned path leads back up. */
            rc = add_event(c, CJM_DEVIATION_IRREGULAR, t, NULL, pos);
        } else {
            int found = 0;
            const uint32_t *parent = bfs(c, prev, t, &found);
            if (!parent)
                return CJM_ENOMEM;
            if (found && t != prev)
                rc = add_path(c, parent, prev, t, pos);
            else
                rc = add_event(c, CJM_DEVIATION_IRREGULAR, t, NULL, pos);
        }
        if (rc < 0)
            return CJM_ENOMEM;
        c->seen[t] = c->stamp;
        prev = t;
    }
    if (prev == CJM__NONE) {
        for (uint32_t i = 0; i < c->empty_len; i++)
            if (add_cand(c, c->empty_path[i], n) < 0)
                return CJM_ENOMEM;
    } else if (!c->is_exit[prev]) {
        for (uint32_t v = c->to_exit[prev]; v != CJM__NONE; v = c->to_exit[v])
            if (add_cand(c, v, n) < 0)
                return CJM_ENOMEM;
    }
    /* Merge: missing touchpoints that never happened, before the event at their position. */
    {
        size_t i = 0, k = 0;
        while (i < c->events.len || k < c->cands.len) {
            const cand *m = k < c->cands.len ? CJM__ARR_AT(&c->cands, cand, k) : NULL;
            const cjm_case_deviation *e =
                i < c->events.len ? CJM__ARR_AT(&c->events, cjm_case_deviation, i) : NULL;
            cjm_case_deviation *d;
            if (m && c->seen[m->tp] == c->stamp) {
                k++;
                continue;
            }
            d = cjm__arr_push(&c->alloc, &c->out);
            if (!d)
                return CJM_ENOMEM;
            if (m && (!e || m->position <= e->position)) {
                d->kind = CJM_DEVIATION_MISSING;
                d->touchpoint = cjm_item_id(g->tp[m->tp]);
                d->index = m->tp;
                d->position = m->position;
                k++;
            } else {
                *d = *e;
                i++;
            }
            if (count(c, d) < 0)
                return CJM_ENOMEM;
        }
    }
    return 0;
}

int cjm_conformance_check(cjm_conformance *c, const char *const *ids, size_t n)
{
    int rc;
    if (!c || (!ids && n > 0))
        return cjm__error(CJM_EINVAL, "cjm_conformance_check: NULL argument");
    for (size_t i = 0; i < n; i++)
        if (!ids[i])
            return cjm__error(CJM_EINVAL, "cjm_conformance_check: id %zu is NULL", i);
    reset(c);
    rc = run(c, ids, n);
    if (rc < 0) {
        reset(c);
        return rc;
    }
    return 0;
}

size_t cjm_conformance_count(const cjm_conformance *c)
{
    return c ? c->out.len : 0;
}

const cjm_case_deviation *cjm_conformance_at(const cjm_conformance *c, size_t index)
{
    if (!c || index >= c->out.len)
        return NULL;
    return CJM__ARR_AT(&c->out, cjm_case_deviation, index);
}

size_t cjm_conformance_total(const cjm_conformance *c, cjm_deviation kind)
{
    if (!c || (unsigned)kind > CJM_DEVIATION_IRREGULAR)
        return 0;
    return c->totals[kind];
}

size_t cjm_conformance_touchpoint_total(const cjm_conformance *c, size_t touchpoint,
                                        cjm_deviation kind)
{
    if (!c || touchpoint >= c->g.n || (unsigned)kind > CJM_DEVIATION_IRREGULAR)
        return 0;
    return c->counts[touchpoint][kind];
}
