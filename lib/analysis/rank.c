/* Priority ranking of gaps and pain points, and the emotion curve. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

/* Reach of the journey from the options, or computed; *own is freed by the caller. */
static int get_reach(const cjm_journey *j, const cjm_reach *given, const cjm_allocator *a,
                     cjm_reach **own, const cjm_reach **out)
{
    cjm_reach_options ro = CJM_REACH_OPTIONS_INIT;
    int rc;
    *own = NULL;
    *out = given;
    if (given) {
        if (cjm_reach_journey(given) != j)
            return cjm__error(CJM_EINVAL, "the reach given is of another journey");
        return 0;
    }
    ro.allocator = a;
    rc = cjm_reach_compute(own, j, &ro);
    if (rc == CJM_ENOMEM)
        return rc;
    *out = *own;
    cjm_error_clear();
    return 0;
}

/* ---- ranking ----------------------------------------------------------- */

struct cjm_ranking {
    cjm_allocator alloc;
    cjm_ranked *v;
    size_t n;
};

void cjm_ranking_free(cjm_ranking *r)
{
    if (!r)
        return;
    cjm__free(&r->alloc, r->v);
    cjm__free(&r->alloc, r);
}

static int by_score(const void *pa, const void *pb)
{
    const cjm_ranked *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return strcmp(a->id, b->id);
}

/* The touchpoint a pain point or gap sits at: its target, or a transition's destination. */
static const cjm_item *target_touchpoint(const cjm_journey *j, const cjm_item *target)
{
    if (!target)
        return NULL;
    if (cjm_item_kind(target) == CJM_TOUCHPOINT)
        return target;
    if (cjm_item_kind(target) == CJM_TRANSITION) {
        const char *to = cjm_item_text(target, CJM_ATTR_TO);
        cjm_item *t = to ? cjm_journey_find(j, to) : NULL;
        return t && cjm_item_kind(t) == CJM_TOUCHPOINT ? t : NULL;
    }
    return NULL;
}

static void score(const cjm_journey *j, const cjm_item *it, const cjm_reach *reach,
                  const cjm_rank_options *o, cjm_ranked *r)
{
    const char *tid = cjm_item_text(it, CJM_ATTR_TARGET);
    cjm_item *target = tid ? cjm_journey_find(j, tid) : NULL;
    const cjm_item *at;
    double sev = cjm__num(it, CJM_ATTR_SEVERITY, NAN), affected = NAN;
    int need = cjm__int(it, CJM_ATTR_NEED, -1);
    if (target && cjm_item_kind(target) != CJM_TOUCHPOINT &&
        cjm_item_kind(target) != CJM_TRANSITION)
        target = NULL;
    at = target_touchpoint(j, target);
    r->item = it;
    r->id = cjm_item_id(it);
    r->target = target ? cjm_item_id(target) : NULL;
    if (isnan(sev) && cjm_item_kind(it) == CJM_GAP) {
        double e = cjm__num(it, CJM_ATTR_EXPECTED, NAN), p = cjm__num(it, CJM_ATTR_PERCEIVED, NAN);
        if ((isnan(e) || isnan(p)) && at) {
            e = cjm__num(at, CJM_ATTR_EXPECTED, NAN);
            p = cjm__num(at, CJM_ATTR_PERCEIVED, NAN);
        }
        if (!isnan(e) && !isnan(p) && e - p > 0)
            sev = e - p;
    }
    r->severity = isnan(sev) ? o->default_severity : sev;
    if (cjm_item_kind(it) == CJM_PAINPOINT)
        affected = cjm__num(it, CJM_ATTR_AFFECTED, NAN);
    r->reach = 1;
    r->reach_source = CJM_REACH_UNKNOWN;
    if (!isnan(affected)) {
        r->reach = affected;
        r->reach_source = CJM_REACH_AFFECTED;
    } else if (reach && target) {
        double x = cjm_reach_of(reach, r->target);
        if (!isnan(x)) {
            r->reach = x;
            r->reach_source = CJM_REACH_TARGET;
        }
    }
    r->moment_of_truth = at && cjm__int(at, CJM_ATTR_MOMENT_OF_TRUTH, 0) == 1;
    r->moment_factor = r->moment_of_truth ? o->moment_of_truth : 1;
    if (need < 0 && at)
        need = cjm__int(at, CJM_ATTR_NEED, -1);
    r->need = need >= 0 && need < 4 ? need : -1;
    r->need_factor = r->need >= 0 ? 1 + o->need[r->need] : 1;
    r->score = r->severity * r->reach * r->moment_factor * r->need_factor;
}

int cjm_rank_compute(cjm_ranking **out, const cjm_journey *j, const cjm_rank_options *opts)
{
    static const cjm_rank_options dflt = CJM_RANK_OPTIONS_INIT;
    const cjm_allocator *a;
    const cjm_reach *reach;
    cjm_reach *own = NULL;
    cjm_ranking *r;
    size_t np, ng;
    int rc;
    if (!out || !j)
        return cjm__error(CJM_EINVAL, "cjm_rank_compute: NULL argument");
    *out = NULL;
    if (opts && opts->version != CJM_RANK_OPTIONS_VERSION)
        return cjm__error(CJM_EINVAL, "cjm_rank_compute: unknown options version %u",
                          opts->version);
    if (!opts)
        opts = &dflt;
    {
        double w[6] = {opts->moment_of_truth, opts->need[0], opts->need[1], opts->need[2],
                       opts->need[3], opts->default_severity};
        for (int i = 0; i < 6; i++)
            if (!isfinite(w[i]) || w[i] < 0)
                return cjm__error(CJM_EINVAL, "cjm_rank_compute: weights must be finite and "
                                  "not negative");
    }
    a = cjm__journey_alloc(j, opts->allocator);
    rc = get_reach(j, opts->reach, a, &own, &reach);
    if (rc < 0)
        return rc;
    np = cjm_journey_count(j, CJM_PAINPOINT);
    ng = cjm_journey_count(j, CJM_GAP);
    r = cjm__calloc(a, 1, sizeof *r);
    if (!r) {
        cjm_reach_free(own);
        return CJM_ENOMEM;
    }
    r->alloc = *a;
    r->v = cjm__calloc(a, np + ng + 1, sizeof *r->v);
    if (!r->v) {
        cjm_reach_free(own);
        cjm_ranking_free(r);
        return CJM_ENOMEM;
    }
    for (size_t i = 0; i < np; i++)
        score(j, cjm_journey_at(j, CJM_PAINPOINT, i), reach, opts, &r->v[r->n++]);
    for (size_t i = 0; i < ng; i++)
        score(j, cjm_journey_at(j, CJM_GAP, i), reach, opts, &r->v[r->n++]);
    qsort(r->v, r->n, sizeof *r->v, by_score);
    cjm_reach_free(own);
    *out = r;
    return 0;
}

size_t cjm_ranking_count(const cjm_ranking *r)
{
    return r ? r->n : 0;
}

const cjm_ranked *cjm_ranking_at(const cjm_ranking *r, size_t index)
{
    return r && index < r->n ? &r->v[index] : NULL;
}

/* ---- emotion curve ------------------------------------------------------ */

struct cjm_curve {
    cjm_allocator alloc;
    cjm_curve_point *v;
    size_t n;
};

void cjm_curve_free(cjm_curve *c)
{
    if (!c)
        return;
    cjm__free(&c->alloc, c->v);
    cjm__free(&c->alloc, c);
}

/* The weight of a step along a transition, for choosing the most travelled path. */
static double step_weight(const cjm_reach *reach, const cjm_item *t)
{
    double w;
    if (reach)
        return cjm_reach_transition(reach, cjm_item_index(t));
    w = cjm__num(t, CJM_ATTR_PROBABILITY, NAN);
    if (isnan(w))
        w = cjm__num(t, CJM_ATTR_VOLUME, 0);
    return w;
}

/* Fills `path` (capacity g->n) with the most travelled path; returns its length. */
static uint32_t travelled(const cjm__graph *g, const cjm_reach *reach, uint8_t *on,
                          uint32_t *path)
{
    uint32_t len = 0, v = CJM__NONE;
    double best = -1;
    for (uint32_t u = 0; u < g->n; u++) {
        double w;
        if (!on[u]) /* `on` holds the entry flags on the way in */
            continue;
        w = reach ? cjm_reach_touchpoint(reach, u) : cjm__num(g->tp[u], CJM_ATTR_ENTRY, 0);
        if (w > best) {
            best = w;
            v = u;
        }
    }
    memset(on, 0, g->n);
    while (v != CJM__NONE) {
        uint32_t next = CJM__NONE;
        double bw = -1;
        path[len++] = v;
        on[v] = 1;
        for (uint32_t k = g->out_off[v]; k < g->out_off[v + 1]; k++) {
            uint32_t e = g->out_e[k], w = g->dst[e];
            double x = step_weight(reach, g->tr[e]);
            if (!on[w] && x > bw) {
                bw = x;
                next = w;
            }
        }
        if (next != CJM__NONE && reach && cjm_reach_ended(reach, v) > bw)
            next = CJM__NONE;
        v = next;
    }
    return len;
}

int cjm_curve_compute(cjm_curve **out, const cjm_journey *j, const char *const *path, size_t n,
                      const cjm_curve_options *opts)
{
    static const cjm_curve_options dflt = CJM_CURVE_OPTIONS_INIT;
    const cjm_allocator *a;
    const cjm_reach *reach;
    cjm_reach *own = NULL;
    cjm_curve *c = NULL;
    cjm__graph g;
    uint32_t *idx = NULL;
    uint8_t *on = NULL;
    int rc;
    if (!out || !j || (!path && n > 0))
        return cjm__error(CJM_EINVAL, "cjm_curve_compute: NULL argument");
    *out = NULL;
    if (opts && opts->version != CJM_CURVE_OPTIONS_VERSION)
        return cjm__error(CJM_EINVAL, "cjm_curve_compute: unknown options version %u",
                          opts->version);
    if (!opts)
        opts = &dflt;
    a = cjm__journey_alloc(j, opts->allocator);
    for (size_t i = 0; path && i < n; i++) {
        cjm_item *t = path[i] ? cjm_journey_find(j, path[i]) : NULL;
        if (!t || cjm_item_kind(t) != CJM_TOUCHPOINT)
            return cjm__error(CJM_ENOTFOUND, "journey '%s' has no touchpoint '%s'",
                              cjm_journey_id(j), path[i] ? path[i] : "(null)");
    }
    rc = get_reach(j, opts->reach, a, &own, &reach);
    if (rc < 0)
        return rc;
    rc = cjm__graph_build(&g, j, a);
    if (rc < 0) {
        cjm_reach_free(own);
        return rc;
    }
    rc = CJM_ENOMEM;
    if (!path) {
        idx = cjm__malloc(a, ((size_t)g.n + 1) * sizeof *idx);
        on = cjm__calloc(a, (size_t)g.n + 1, 1);
        if (!idx || !on)
            goto done;
        cjm__graph_entries(&g, on);
        n = travelled(&g, reach, on, idx);
    }
    c = cjm__calloc(a, 1, sizeof *c);
    if (!c)
        goto done;
    c->alloc = *a;
    c->v = cjm__calloc(a, n + 1, sizeof *c->v);
    if (!c->v)
        goto done;
    c->n = n;
    for (size_t i = 0; i < n; i++) {
        cjm_curve_point *p = &c->v[i];
        const cjm_item *t = path ? cjm_journey_find(j, path[i]) : g.tp[idx[i]];
        p->touchpoint = t;
        p->id = cjm_item_id(t);
        p->stage = cjm_item_text(t, CJM_ATTR_STAGE);
        p->emotion = cjm__num(t, CJM_ATTR_EMOTION, NAN);
        p->expected = cjm__num(t, CJM_ATTR_EXPECTED, NAN);
        p->perceived = cjm__num(t, CJM_ATTR_PERCEIVED, NAN);
        p->reach = reach ? cjm_reach_touchpoint(reach, cjm_item_index(t)) : NAN;
    }
    for (size_t i = 0; i < n; i++) {
        double e = c->v[i].emotion, before = NAN, after = NAN;
        if (isnan(e) || !(e < opts->low_below))
            continue;
        for (size_t k = i; k-- > 0 && isnan(before);)
            before = c->v[k].emotion;
        for (size_t k = i + 1; k < n && isnan(after); k++)
            after = c->v[k].emotion;
        c->v[i].low = (isnan(before) || e <= before) && (isnan(after) || e <= after);
    }
    rc = 0;
done:
    cjm__free(a, idx);
    cjm__free(a, on);
    cjm__graph_free(&g);
    cjm_reach_free(own);
    if (rc < 0)
        cjm_curve_free(c);
    else
        *out = c;
    return rc;
}

size_t cjm_curve_count(const cjm_curve *c)
{
    return c ? c->n : 0;
}

const cjm_curve_point *cjm_curve_at(const cjm_curve *c, size_t index)
{
    return c && index < c->n ? &c->v[index] : NULL;
}
