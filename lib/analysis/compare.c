/* Planned against actual journeys, and structural diffs of two journeys. */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "graph.h"

/* Owned strings of a result. */
typedef struct strings {
    cjm__vec v;
} strings;

static char *fmt(const cjm_allocator *a, strings *s, const char *f, ...) CJM__PRINTF(3, 4);

static char *fmt(const cjm_allocator *a, strings *s, const char *f, ...)
{
    va_list ap;
    char *out;
    int n;
    va_start(ap, f);
    n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    if (n < 0) {
        cjm__error(CJM_ERROR, "formatting failed");
        return NULL;
    }
    out = cjm__malloc(a, (size_t)n + 1);
    if (!out)
        return NULL;
    va_start(ap, f);
    vsnprintf(out, (size_t)n + 1, f, ap);
    va_end(ap);
    if (cjm__vec_push(a, &s->v, out) < 0) {
        cjm__free(a, out);
        return NULL;
    }
    return out;
}

static void strings_free(const cjm_allocator *a, strings *s)
{
    for (size_t i = 0; i < s->v.len; i++)
        cjm__free(a, s->v.items[i]);
    cjm__vec_free(a, &s->v);
}

/* Whether the graph has a transition from touchpoint id `s` to `d`. */
static int has_link(const cjm__graph *g, uint32_t s, uint32_t d)
{
    for (uint32_t k = g->out_off[s]; k < g->out_off[s + 1]; k++)
        if (g->dst[g->out_e[k]] == d)
            return 1;
    return 0;
}

/* ---- planned against actual ---------------------------------------------- */

struct cjm_comparison {
    cjm_allocator alloc;
    cjm__arr found[4]; /* per kind, journey order */
    cjm__arr all;      /* concatenated */
    strings s;
    size_t totals[4];
};

void cjm_comparison_free(cjm_comparison *c)
{
    if (!c)
        return;
    for (int k = 0; k < 4; k++)
        cjm__arr_free(&c->alloc, &c->found[k]);
    cjm__arr_free(&c->alloc, &c->all);
    strings_free(&c->alloc, &c->s);
    cjm__free(&c->alloc, c);
}

static cjm_deviation_found *found(cjm_comparison *c, cjm_deviation kind, const char *tp,
                                  const char *tr, double volume, const char *msg)
{
    cjm_deviation_found *d;
    if (!msg)
        return NULL;
    d = cjm__arr_push(&c->alloc, &c->found[kind]);
    if (!d)
        return NULL;
    d->kind = kind;
    d->touchpoint = tp;
    d->transition = tr;
    d->volume = volume;
    d->message = msg;
    return d;
}

typedef struct compare_state {
    cjm_comparison *c;
    cjm__graph p, a;
    uint32_t *a2p;      /* actual touchpoint -> planned, or NONE */
    uint32_t *comp;     /* SCC of the actual graph */
    uint32_t *pcomp;    /* SCC of the planned graph: no path leads to a higher number */
    uint32_t *parent, *queue;
    uint64_t *visit;
    uint64_t stamp;
    const cjm_reach *reach;
} compare_state;

/* Shortest planned path from s to d: fills parent[], returns 1 when d is reached. */
static int planned_path(compare_state *st, uint32_t s, uint32_t d)
{
    const cjm__graph *g = &st->p;
    uint32_t head = 0, tail = 0;
    uint64_t mark = ++st->stamp;
    st->visit[s] = mark;
    st->queue[tail++] = s;
    while (head < tail) {
        uint32_t v = st->queue[head++];
        if (v == d)
            return 1;
        for (uint32_t k = g->out_off[v]; k < g->out_off[v + 1]; k++) {
            uint32_t w = g->dst[g->out_e[k]];
            if (st->visit[w] != mark) {
                st->visit[w] = mark;
                st->parent[w] = v;
                st->queue[tail++] = w;
            }
        }
    }
    return 0;
}

static int compare(compare_state *st, const cjm_journey *planned, const cjm_journey *actual)
{
    cjm_comparison *c = st->c;
    const cjm_allocator *al = &c->alloc;
    const cjm__graph *p = &st->p, *a = &st->a;
    uint32_t nc;
    int rc;
    for (uint32_t v = 0; v < a->n; v++)
        st->a2p[v] = cjm__graph_tp(p, cjm_item_id(a->tp[v]));
    for (uint32_t v = 0; v < p->n; v++) {
        const char *id = cjm_item_id(p->tp[v]);
        if (cjm__graph_tp(a, id) == CJM__NONE &&
            !found(c, CJM_DEVIATION_MISSING, id, NULL, NAN,
                   fmt(al, &c->s, "planned touchpoint '%s' does not occur in journey '%s'", id,
                       cjm_journey_id(actual))))
            return CJM_ENOMEM;
    }
    rc = cjm__graph_scc(a, st->comp, &nc);
    if (rc == 0)
        rc = cjm__graph_scc(p, st->pcomp, &nc);
    if (rc < 0)
        return rc;
    for (uint32_t e = 0; e < a->m; e++) {
        uint32_t s = st->a2p[a->src[e]], d = st->a2p[a->dst[e]];
        const char *tid = cjm_item_id(a->tr[e]), *did;
        double vol = st->reach ? cjm_reach_transition(st->reach, cjm_item_index(a->tr[e])) : NAN;
        if (s == CJM__NONE || d == CJM__NONE || has_link(p, s, d))
            continue;
        did = cjm_item_id(p->tp[d]);
        if (st->comp[a->src[e]] == st->comp[a->dst[e]]) {
            if (!found(c, CJM_DEVIATION_FAILING, did, tid, vol,
                       fmt(al, &c->s, "unplanned transition '%s' leads back to '%s': a repeat "
                           "contact", tid, did)))
                return CJM_ENOMEM;
        } else if (s != d && st->pcomp[d] <= st->pcomp[s] && planned_path(st, s, d)) {
            for (uint32_t v = st->parent[d]; v != s; v = st->parent[v]) {
                const char *vid = cjm_item_id(p->tp[v]);
                if (cjm__graph_tp(a, vid) == CJM__NONE)
                    continue; /* missing altogether: reported once above */
                if (!found(c, CJM_DEVIATION_MISSING, vid, tid, vol,
                           fmt(al, &c->s, "transition '%s' skips planned touchpoint '%s'", tid,
                               vid)))
                    return CJM_ENOMEM;
            }
        } else if (!found(c, CJM_DEVIATION_IRREGULAR, did, tid, vol,
                          fmt(al, &c->s, "transition '%s' reaches '%s' out of the planned "
                              "order", tid, did))) {
            return CJM_ENOMEM;
        }
    }
    for (size_t i = 0; i < cjm_journey_count(actual, CJM_GAP); i++) {
        const cjm_item *gap = cjm_journey_at(actual, CJM_GAP, i);
        const char *target = cjm_item_text(gap, CJM_ATTR_TARGET);
        if (cjm__int(gap, CJM_ATTR_GAP_KIND, -1) != CJM_GAP_DEVIATION ||
            cjm__int(gap, CJM_ATTR_DEVIATION, -1) != CJM_DEVIATION_FAILING || !target)
            continue;
        if (!found(c, CJM_DEVIATION_FAILING, target, NULL,
                   st->reach ? cjm_reach_of(st->reach, target) : NAN,
                   fmt(al, &c->s, "gap '%s' records that '%s' failed", cjm_item_id(gap), target)))
            return CJM_ENOMEM;
    }
    for (uint32_t v = 0; v < a->n; v++) {
        const char *id = cjm_item_id(a->tp[v]);
        if (st->a2p[v] == CJM__NONE &&
            !found(c, CJM_DEVIATION_ADHOC, id, NULL,
                   st->reach ? cjm_reach_touchpoint(st->reach, v) : NAN,
                   fmt(al, &c->s, "touchpoint '%s' is not in planned journey '%s'", id,
                       cjm_journey_id(planned))))
            return CJM_ENOMEM;
    }
    for (int k = 0; k < 4; k++) {
        c->totals[k] = c->found[k].len;
        for (size_t i = 0; i < c->found[k].len; i++) {
            cjm_deviation_found *d = cjm__arr_push(al, &c->all);
            if (!d)
                return CJM_ENOMEM;
            *d = *CJM__ARR_AT(&c->found[k], cjm_deviation_found, i);
        }
    }
    return 0;
}

int cjm_compare_journeys(cjm_comparison **out, const cjm_journey *planned,
                         const cjm_journey *actual, const cjm_compare_options *opts)
{
    const cjm_allocator *al;
    compare_state st;
    cjm_reach *reach = NULL;
    cjm_reach_options ro = CJM_REACH_OPTIONS_INIT;
    int rc;
    if (!out || !planned || !actual)
        return cjm__error(CJM_EINVAL, "cjm_compare_journeys: NULL argument");
    *out = NULL;
    if (opts && opts->version != CJM_COMPARE_OPTIONS_VERSION)
        return cjm__error(CJM_EINVAL, "cjm_compare_journeys: unknown options version %u",
                          opts->version);
    memset(&st, 0, sizeof st);
    al = cjm__journey_alloc(planned, opts ? opts->allocator : NULL);
    st.c = cjm__calloc(al, 1, sizeof *st.c);
    if (!st.c)
        return CJM_ENOMEM;
    st.c->alloc = *al;
    al = &st.c->alloc;
    for (int k = 0; k < 4; k++)
        cjm__arr_init(&st.c->found[k], sizeof(cjm_deviation_found));
    cjm__arr_init(&st.c->all, sizeof(cjm_deviation_found));
    ro.allocator = al;
    rc = cjm_reach_compute(&reach, actual, &ro);
    if (rc == CJM_ENOMEM)
        goto done;
    st.reach = reach;
    rc = cjm__graph_build(&st.p, planned, al);
    if (rc == 0)
        rc = cjm__graph_build(&st.a, actual, al);
    if (rc < 0)
        goto done;
    st.a2p = cjm__malloc(al, ((size_t)st.a.n + 1) * sizeof *st.a2p);
    st.comp = cjm__malloc(al, ((size_t)st.a.n + 1) * sizeof *st.comp);
    st.pcomp = cjm__malloc(al, ((size_t)st.p.n + 1) * sizeof *st.pcomp);
    st.parent = cjm__malloc(al, ((size_t)st.p.n + 1) * sizeof *st.parent);
    st.queue = cjm__malloc(al, ((size_t)st.p.n + 1) * sizeof *st.queue);
    st.visit = cjm__calloc(al, (size_t)st.p.n + 1, sizeof *st.visit);
    rc = (!st.a2p || !st.comp || !st.pcomp || !st.parent || !st.queue || !st.visit) ? CJM_ENOMEM
                                                                      : compare(&st, planned, actual);
done:
    cjm__free(al, st.a2p);
    cjm__free(al, st.comp);
    cjm__free(al, st.pcomp);
    cjm__free(al, st.parent);
    cjm__free(al, st.queue);
    cjm__free(al, st.visit);
    cjm__graph_free(&st.p);
    cjm__graph_free(&st.a);
    cjm_reach_free(reach);
    if (rc < 0) {
        cjm_comparison_free(st.c);
        return rc;
    }
    cjm_error_clear();
    *out = st.c;
    return 0;
}

size_t cjm_comparison_count(const cjm_comparison *c)
{
    return c ? c->all.len : 0;
}

const cjm_deviation_found *cjm_comparison_at(const cjm_comparison *c, size_t index)
{
    return c && index < c->all.len ? CJM__ARR_AT(&c->all, cjm_deviation_found, index) : NULL;
}

size_t cjm_comparison_total(const cjm_comparison *c, cjm_deviation kind)
{
    return c && (unsigned)kind < 4 ? c->totals[kind] : 0;
}

/* ---- structural diff ------------------------------------------------------ */

static const char *const change_names[CJM_CHANGE_KIND_COUNT] = {
    "added", "removed", "re-channelled", "re-staged", "reordered", "link-added",
    "link-removed",
};

const char *cjm_change_kind_name(cjm_change_kind kind)
{
    return (unsigned)kind < CJM_CHANGE_KIND_COUNT ? change_names[kind] : NULL;
}

struct cjm_diff {
    cjm_allocator alloc;
    cjm__arr kinds[CJM_CHANGE_KIND_COUNT];
    cjm__arr all;
    strings s;
};

void cjm_diff_free(cjm_diff *d)
{
    if (!d)
        return;
    for (int k = 0; k < CJM_CHANGE_KIND_COUNT; k++)
        cjm__arr_free(&d->alloc, &d->kinds[k]);
    cjm__arr_free(&d->alloc, &d->all);
    strings_free(&d->alloc, &d->s);
    cjm__free(&d->alloc, d);
}

static int change(cjm_diff *d, cjm_change_kind kind, const char *id, const char *before,
                  const char *after, const char *msg)
{
    cjm_change *c;
    if (!msg)
        return CJM_ENOMEM;
    c = cjm__arr_push(&d->alloc, &d->kinds[kind]);
    if (!c)
        return CJM_ENOMEM;
    c->kind = kind;
    c->id = id;
    c->before = before;
    c->after = after;
    c->message = msg;
    return 0;
}

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Per touchpoint an ordering key: stage position, BFS depth from the entries, index. */
static int order_keys(const cjm__graph *g, uint64_t *key)
{
    const cjm_allocator *a = g->a;
    uint8_t *entry = cjm__calloc(a, (size_t)g->n + 1, 1);
    uint32_t *depth = cjm__malloc(a, ((size_t)g->n + 1) * sizeof *depth);
    uint32_t *queue = cjm__malloc(a, ((size_t)g->n + 1) * sizeof *queue);
    uint32_t head = 0, tail = 0;
    if (!entry || !depth || !queue) {
        cjm__free(a, entry);
        cjm__free(a, depth);
        cjm__free(a, queue);
        return CJM_ENOMEM;
    }
    cjm__graph_entries(g, entry);
    for (uint32_t v = 0; v < g->n; v++) {
        depth[v] = entry[v] ? 0 : CJM__NONE;
        if (entry[v])
            queue[tail++] = v;
    }
    while (head < tail) {
        uint32_t v = queue[head++];
        for (uint32_t k = g->out_off[v]; k < g->out_off[v + 1]; k++) {
            uint32_t w = g->dst[g->out_e[k]];
            if (depth[w] == CJM__NONE) {
                depth[w] = depth[v] + 1;
                queue[tail++] = w;
            }
        }
    }
    for (uint32_t v = 0; v < g->n; v++) {
        /* 16 bits of stage, 24 of depth, 24 of index: ample for journeys people draw;
         * larger values saturate, which only coarsens the order. */
        uint64_t st = (uint64_t)(g->stage[v] + 1), dp = depth[v], ix = v;
        if (st > 0xffff)
            st = 0xffff;
        if (dp > 0xffffff)
            dp = 0xffffff;
        if (ix > 0xffffff)
            ix = 0xffffff;
        key[v] = st << 48 | dp << 24 | ix;
    }
    cjm__free(a, entry);
    cjm__free(a, depth);
    cjm__free(a, queue);
    return 0;
}

/* Sorts touchpoint numbers by key (stable merge sort; `tmp` is scratch of the same size). */
static void sort_by_key(uint32_t *v, uint32_t *tmp, size_t n, const uint64_t *key)
{
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = key[v[j]] < key[v[i]] ? v[j++] : v[i++];
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        memcpy(v, tmp, n * sizeof *v);
    }
}

static int diff(cjm_diff *d, const cjm__graph *a, const cjm__graph *b)
{
    const cjm_allocator *al = &d->alloc;
    const cjm_journey *ja = a->j, *jb = b->j;
    uint64_t *ka = cjm__malloc(al, ((size_t)a->n + 1) * sizeof *ka);
    uint64_t *kb = cjm__malloc(al, ((size_t)b->n + 1) * sizeof *kb);
    uint32_t *seq = cjm__malloc(al, ((size_t)a->n + 1) * sizeof *seq);
    uint32_t *tmp = cjm__malloc(al, ((size_t)a->n + 1) * sizeof *tmp);
    uint32_t *rank = cjm__malloc(al, ((size_t)b->n + 1) * sizeof *rank);
    uint32_t *tails = cjm__malloc(al, ((size_t)a->n + 1) * sizeof *tails);
    uint32_t *prev = cjm__malloc(al, ((size_t)a->n + 1) * sizeof *prev);
    uint8_t *keep = cjm__calloc(al, (size_t)a->n + 1, 1);
    uint32_t *bseq = cjm__malloc(al, ((size_t)b->n + 1) * sizeof *bseq);
    uint32_t *btmp = cjm__malloc(al, ((size_t)b->n + 1) * sizeof *btmp);
    size_t common = 0, len = 0;
    int rc = CJM_ENOMEM;
    if (!ka || !kb || !seq || !tmp || !rank || !tails || !prev || !keep || !bseq || !btmp)
        goto done;
    if (order_keys(a, ka) < 0 || order_keys(b, kb) < 0)
        goto done;
    for (uint32_t v = 0; v < a->n; v++) {
        const char *id = cjm_item_id(a->tp[v]);
        uint32_t w = cjm__graph_tp(b, id);
        const char *ca, *cb, *sa, *sb;
        if (w == CJM__NONE) {
            if (change(d, CJM_CHANGE_REMOVED, id, NULL, NULL,
                       fmt(al, &d->s, "touchpoint '%s' was removed", id)) < 0)
                goto done;
            continue;
        }
        seq[common++] = v;
        ca = cjm_item_text(a->tp[v], CJM_ATTR_CHANNEL);
        cb = cjm_item_text(b->tp[w], CJM_ATTR_CHANNEL);
        if (!same(ca, cb) &&
            change(d, CJM_CHANGE_RECHANNELLED, id, ca, cb,
                   fmt(al, &d->s, "touchpoint '%s' moved from channel '%s' to '%s'", id,
                       ca ? ca : "(none)", cb ? cb : "(none)")) < 0)
            goto done;
        sa = cjm_item_text(a->tp[v], CJM_ATTR_STAGE);
        sb = cjm_item_text(b->tp[w], CJM_ATTR_STAGE);
        if (!same(sa, sb) &&
            change(d, CJM_CHANGE_RESTAGED, id, sa, sb,
                   fmt(al, &d->s, "touchpoint '%s' moved from stage '%s' to '%s'", id,
                       sa ? sa : "(none)", sb ? sb : "(none)")) < 0)
            goto done;
    }
    for (uint32_t w = 0; w < b->n; w++) {
        const char *id = cjm_item_id(b->tp[w]);
        if (cjm__graph_tp(a, id) == CJM__NONE &&
            change(d, CJM_CHANGE_ADDED, id, NULL, NULL,
                   fmt(al, &d->s, "touchpoint '%s' was added", id)) < 0)
            goto done;
    }
    /* Rank of each touchpoint of b in b's order, then the common ones in a's order. */
    for (uint32_t w = 0; w < b->n; w++)
        bseq[w] = w;
    sort_by_key(bseq, btmp, b->n, kb);
    for (uint32_t i = 0; i < b->n; i++)
        rank[bseq[i]] = i;
    sort_by_key(seq, tmp, common, ka);
    for (size_t i = 0; i < common; i++)
        tmp[i] = rank[cjm__graph_tp(b, cjm_item_id(a->tp[seq[i]]))];
    /* Longest increasing subsequence of tmp (patience sorting with back links). */
    for (size_t i = 0; i < common; i++) {
        size_t lo = 0, hi = len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (tmp[tails[mid]] < tmp[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        prev[i] = lo > 0 ? tails[lo - 1] : CJM__NONE;
        tails[lo] = (uint32_t)i;
        if (lo == len)
            len++;
    }
    if (len > 0)
        for (uint32_t i = tails[len - 1]; i != CJM__NONE; i = prev[i])
            keep[seq[i]] = 1;
    for (uint32_t v = 0; v < a->n; v++) {
        const char *id = cjm_item_id(a->tp[v]);
        if (cjm__graph_tp(b, id) != CJM__NONE && !keep[v] &&
            change(d, CJM_CHANGE_REORDERED, id, NULL, NULL,
                   fmt(al, &d->s, "touchpoint '%s' moved in the order of the journey", id)) < 0)
            goto done;
    }
    for (uint32_t e = 0; e < b->m; e++) {
        uint32_t s = cjm__graph_tp(a, cjm_item_id(b->tp[b->src[e]]));
        uint32_t t = cjm__graph_tp(a, cjm_item_id(b->tp[b->dst[e]]));
        if ((s == CJM__NONE || t == CJM__NONE || !has_link(a, s, t)) &&
            change(d, CJM_CHANGE_LINK_ADDED, cjm_item_id(b->tr[e]), NULL, NULL,
                   fmt(al, &d->s, "a transition from '%s' to '%s' was added",
                       cjm_item_id(b->tp[b->src[e]]), cjm_item_id(b->tp[b->dst[e]]))) < 0)
            goto done;
    }
    for (uint32_t e = 0; e < a->m; e++) {
        uint32_t s = cjm__graph_tp(b, cjm_item_id(a->tp[a->src[e]]));
        uint32_t t = cjm__graph_tp(b, cjm_item_id(a->tp[a->dst[e]]));
        if ((s == CJM__NONE || t == CJM__NONE || !has_link(b, s, t)) &&
            change(d, CJM_CHANGE_LINK_REMOVED, cjm_item_id(a->tr[e]), NULL, NULL,
                   fmt(al, &d->s, "the transition from '%s' to '%s' was removed",
                       cjm_item_id(a->tp[a->src[e]]), cjm_item_id(a->tp[a->dst[e]]))) < 0)
            goto done;
    }
    (void)ja;
    (void)jb;
    for (int k = 0; k < CJM_CHANGE_KIND_COUNT; k++)
        for (size_t i = 0; i < d->kinds[k].len; i++) {
            cjm_change *c = cjm__arr_push(al, &d->all);
            if (!c)
                goto done;
            *c = *CJM__ARR_AT(&d->kinds[k], cjm_change, i);
        }
    rc = 0;
done:
    cjm__free(al, ka);
    cjm__free(al, kb);
    cjm__free(al, seq);
    cjm__free(al, tmp);
    cjm__free(al, rank);
    cjm__free(al, tails);
    cjm__free(al, prev);
    cjm__free(al, keep);
    cjm__free(al, bseq);
    cjm__free(al, btmp);
    return rc;
}

int cjm_diff_journeys(cjm_diff **out, const cjm_journey *before, const cjm_journey *after,
                      const cjm_compare_options *opts)
{
    const cjm_allocator *al;
    cjm__graph a, b;
    cjm_diff *d;
    int rc;
    if (!out || !before || !after)
        return cjm__error(CJM_EINVAL, "cjm_diff_journeys: NULL argument");
    *out = NULL;
    if (opts && opts->version != CJM_COMPARE_OPTIONS_VERSION)
        return cjm__error(CJM_EINVAL, "cjm_diff_journeys: unknown options version %u",
                          opts->version);
    al = cjm__journey_alloc(before, opts ? opts->allocator : NULL);
    d = cjm__calloc(al, 1, sizeof *d);
    if (!d)
        return CJM_ENOMEM;
    d->alloc = *al;
    al = &d->alloc;
    for (int k = 0; k < CJM_CHANGE_KIND_COUNT; k++)
        cjm__arr_init(&d->kinds[k], sizeof(cjm_change));
    cjm__arr_init(&d->all, sizeof(cjm_change));
    memset(&b, 0, sizeof b);
    rc = cjm__graph_build(&a, before, al);
    if (rc == 0) {
        rc = cjm__graph_build(&b, after, al);
        if (rc == 0)
            rc = diff(d, &a, &b);
        cjm__graph_free(&a);
        cjm__graph_free(&b);
    }
    if (rc < 0) {
        cjm_diff_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

size_t cjm_diff_count(const cjm_diff *d)
{
    return d ? d->all.len : 0;
}

const cjm_change *cjm_diff_at(const cjm_diff *d, size_t index)
{
    return d && index < d->all.len ? CJM__ARR_AT(&d->all, cjm_change, index) : NULL;
}

size_t cjm_diff_total(const cjm_diff *d, cjm_change_kind kind)
{
    return d && (unsigned)kind < CJM_CHANGE_KIND_COUNT ? d->kinds[kind].len : 0;
}
