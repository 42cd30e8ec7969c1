/* Reach: expected visits and crossings of an absorbing Markov chain. */
#include <math.h>
#include <string.h>

#include "graph.h"

/* A sum of probabilities this close to 1 counts as 1 (no customer leaves). */
#define CLOSED_EPS 1e-12

struct cjm_reach {
    cjm_allocator alloc;
    const cjm_journey *j;
    size_t n, mt;
    double *visits;  /* n */
    double *ended;   /* n */
    double *flow;    /* mt, by transition index; NaN when unresolved */
    double *prob;    /* mt */
    double entered;
    size_t unquantified, normalised;
    unsigned iterations;
};

void cjm_reach_free(cjm_reach *r)
{
    if (!r)
        return;
    cjm__free(&r->alloc, r->visits);
    cjm__free(&r->alloc, r->ended);
    cjm__free(&r->alloc, r->flow);
    cjm__free(&r->alloc, r->prob);
    cjm__free(&r->alloc, r);
}

/* Probabilities per resolved transition (graph order) from the attributes. */
static void probabilities(const cjm__graph *g, double *p, double *entry, size_t *unq,
                          size_t *norm, double *invol)
{
    for (uint32_t v = 0; v < g->n; v++) {
        double e = cjm__num(g->tp[v], CJM_ATTR_ENTRY, 0);
        entry[v] = e > 0 ? e : 0;
        invol[v] = entry[v];
    }
    for (uint32_t e = 0; e < g->m; e++) {
        double vol = cjm__num(g->tr[e], CJM_ATTR_VOLUME, NAN);
        if (!isnan(vol) && vol > 0)
            invol[g->dst[e]] += vol;
    }
    for (uint32_t v = 0; v < g->n; v++) {
        double outvol = 0, through, sum = 0;
        for (uint32_t k = g->out_off[v]; k < g->out_off[v + 1]; k++) {
            double vol = cjm__num(g->tr[g->out_e[k]], CJM_ATTR_VOLUME, NAN);
            if (!isnan(vol) && vol > 0)
                outvol += vol;
        }
        through = outvol > invol[v] ? outvol : invol[v];
        for (uint32_t k = g->out_off[v]; k < g->out_off[v + 1]; k++) {
            uint32_t e = g->out_e[k];
            double pr = cjm__num(g->tr[e], CJM_ATTR_PROBABILITY, NAN);
            double vol = cjm__num(g->tr[e], CJM_ATTR_VOLUME, NAN);
            if (!isnan(pr)) {
                p[e] = pr < 0 ? 0 : pr > 1 ? 1 : pr;
            } else if (!isnan(vol)) {
                p[e] = (vol > 0 && through > 0) ? vol / through : 0;
            } else {
                p[e] = 0;
                (*unq)++;
            }
            sum += p[e];
        }
        if (sum > 1 + 1e-9) {
            for (uint32_t k = g->out_off[v]; k < g->out_off[v + 1]; k++)
                p[g->out_e[k]] /= sum;
            (*norm)++;
        }
    }
}

/* Solves (I - A) x = b densely for one component; A[i][j] = p from member j to member i. */
static int solve_dense(double *A, double *b, size_t k)
{
    /* A holds I - P^T on entry, row-major k x k. Partial pivoting. */
    for (size_t c = 0; c < k; c++) {
        size_t piv = c;
        for (size_t r = c + 1; r < k; r++)
            if (fabs(A[r * k + c]) > fabs(A[piv * k + c]))
                piv = r;
        if (fabs(A[piv * k + c]) < 1e-300)
            return -1;
        if (piv != c) {
            for (size_t j = 0; j < k; j++) {
                double t = A[c * k + j];
                A[c * k + j] = A[piv * k + j];
                A[piv * k + j] = t;
            }
            double t = b[c];
            b[c] = b[piv];
            b[piv] = t;
        }
        for (size_t r = c + 1; r < k; r++) {
            double f = A[r * k + c] / A[c * k + c];
            if (f == 0)
                continue;
            for (size_t j = c; j < k; j++)
                A[r * k + j] -= f * A[c * k + j];
            b[r] -= f * b[c];
        }
    }
    for (size_t c = k; c-- > 0;) {
        double s = b[c];
        for (size_t j = c + 1; j < k; j++)
            s -= A[c * k + j] * b[j];
        b[c] = s / A[c * k + c];
    }
    return 0;
}

static int solve(const cjm__graph *g, const double *p, const double *entry,
                     const cjm_reach_options *o, double *x, unsigned *iterations)
{
    const cjm_allocator *a = g->a;
    uint32_t n = g->n, nc = 0;
    uint32_t *comp = cjm__malloc(a, ((size_t)n + 1) * sizeof *comp);
    uint32_t *start = NULL, *members = NULL, *local = NULL;
    double *A = NULL, *bb = NULL;
    int rc = 0;
    *iterations = 0;
    if (!comp)
        return CJM_ENOMEM;
    rc = cjm__graph_scc(g, comp, &nc);
    if (rc < 0)
        goto done;
    start = cjm__calloc(a, (size_t)nc + 2, sizeof *start);
    members = cjm__malloc(a, ((size_t)n + 1) * sizeof *members);
    local = cjm__malloc(a, ((size_t)n + 1) * sizeof *local);
    if (!start || !members || !local) {
        rc = CJM_ENOMEM;
        goto done;
    }
    for (uint32_t v = 0; v < n; v++)
        start[comp[v] + 1]++;
    for (uint32_t c = 0; c < nc; c++)
        start[c + 1] += start[c];
    {
        uint32_t *fill = local; /* borrowed as a cursor, rewritten below */
        for (uint32_t c = 0; c < nc; c++)
            fill[c] = start[c];
        for (uint32_t v = 0; v < n; v++)
            members[fill[comp[v]]++] = v;
    }
    for (uint32_t i = 0; i < n; i++)
        local[members[i]] = i - start[comp[members[i]]];
    /* Components in topological order: Tarjan numbers sinks first. */
    for (uint32_t c = nc; c-- > 0;) {
        uint32_t k = start[c + 1] - start[c], *mem = members + start[c];
        double inflow = 0;
        int closed = 1, cyclic = k > 1;
        for (uint32_t i = 0; i < k; i++) {
            uint32_t v = mem[i];
            double b = entry[v], inside = 0;
            for (uint32_t q = g->in_off[v]; q < g->in_off[v + 1]; q++) {
                uint32_t e = g->in_e[q];
                if (comp[g->src[e]] != c)
                    b += p[e] * x[g->src[e]];
            }
            for (uint32_t q = g->out_off[v]; q < g->out_off[v + 1]; q++) {
                uint32_t e = g->out_e[q];
                if (comp[g->dst[e]] == c) {
                    inside += p[e];
                    cyclic = 1;
                }
            }
            if (inside < 1 - CLOSED_EPS)
                closed = 0;
            x[v] = b;
            inflow += b;
        }
        if (!cyclic)
            continue; /* one touchpoint without a self-loop: x = b */
        if (closed && inflow > 0) {
            rc = cjm__error(CJM_EINVALID,
                            "journey '%s': customers who reach touchpoint '%s' can never leave "
                            "its loop, so its reach is infinite",
                            cjm_journey_id(g->j), cjm_item_id(g->tp[mem[0]]));
            goto done;
        }
        if (inflow == 0)
            continue; /* nobody arrives: zeros, whatever the loop */
        if (k <= o->exact_limit) {
            cjm__free(a, A);
            cjm__free(a, bb);
            A = cjm__calloc(a, (size_t)k * k, sizeof *A);
            bb = cjm__malloc(a, (size_t)k * sizeof *bb);
            if (!A || !bb) {
                rc = CJM_ENOMEM;
                goto done;
            }
            for (uint32_t i = 0; i < k; i++) {
                uint32_t v = mem[i];
                A[(size_t)i * k + i] = 1;
                bb[i] = x[v];
                for (uint32_t q = g->in_off[v]; q < g->in_off[v + 1]; q++) {
                    uint32_t e = g->in_e[q];
                    if (comp[g->src[e]] == c)
                        A[(size_t)i * k + local[g->src[e]]] -= p[e];
                }
            }
            if (solve_dense(A, bb, k) < 0) {
                rc = cjm__error(CJM_EINVALID, "journey '%s': the loop through touchpoint '%s' "
                                "has no finite reach", cjm_journey_id(g->j),
                                cjm_item_id(g->tp[mem[0]]));
                goto done;
            }
            for (uint32_t i = 0; i < k; i++)
                x[mem[i]] = bb[i] < 0 ? 0 : bb[i];
        } else {
            /* Gauss-Seidel; b is kept in bb, the self-loop is solved in place. */
            unsigned it;
            cjm__free(a, bb);
            bb = cjm__malloc(a, (size_t)k * sizeof *bb);
            if (!bb) {
                rc = CJM_ENOMEM;
                goto done;
            }
            for (uint32_t i = 0; i < k; i++)
                bb[i] = x[mem[i]];
            for (it = 1; it <= o->max_iterations; it++) {
                double worst = 0;
                for (uint32_t i = 0; i < k; i++) {
                    uint32_t v = mem[i];
                    double s = bb[i], self = 0, nx, d;
                    for (uint32_t q = g->in_off[v]; q < g->in_off[v + 1]; q++) {
                        uint32_t e = g->in_e[q], u = g->src[e];
                        if (u == v)
                            self += p[e];
                        else if (comp[u] == c)
                            s += p[e] * x[u];
                    }
                    nx = self < 1 ? s / (1 - self) : s;
                    d = fabs(nx - x[v]) / (1 + fabs(nx));
                    if (d > worst)
                        worst = d;
                    x[v] = nx;
                }
                if (worst <= o->tolerance)
                    break;
            }
            if (it > *iterations)
                *iterations = it > o->max_iterations ? o->max_iterations : it;
            if (it > o->max_iterations) {
                rc = cjm__error(CJM_ELIMIT, "journey '%s': reach did not converge within %u "
                                "sweeps in the loop through touchpoint '%s'",
                                cjm_journey_id(g->j), o->max_iterations,
                                cjm_item_id(g->tp[mem[0]]));
                goto done;
            }
        }
    }
done:
    cjm__free(a, comp);
    cjm__free(a, start);
    cjm__free(a, members);
    cjm__free(a, local);
    cjm__free(a, A);
    cjm__free(a, bb);
    return rc;
}

static int reach_options(const cjm_reach_options *opts, cjm_reach_options *o)
{
    static const cjm_reach_options dflt = CJM_REACH_OPTIONS_INIT;
    if (opts && opts->version != CJM_REACH_OPTIONS_VERSION)
        return cjm__error(CJM_EINVAL, "reach: unknown options version %u", opts->version);
    *o = opts ? *opts : dflt;
    if (!(o->tolerance > 0) || !isfinite(o->tolerance) || o->max_iterations == 0)
        return cjm__error(CJM_EINVAL, "reach: the tolerance must be positive and finite and "
                          "max_iterations above 0");
    return 0;
}

int cjm_reach_compute(cjm_reach **out, const cjm_journey *j, const cjm_reach_options *opts)
{
    cjm_reach_options o = CJM_REACH_OPTIONS_INIT;
    const cjm_allocator *a;
    cjm__graph g;
    cjm_reach *r;
    double *p = NULL, *entry = NULL, *invol = NULL;
    int rc, any_entry = 0;
    if (!out || !j)
        return cjm__error(CJM_EINVAL, "cjm_reach_compute: NULL argument");
    *out = NULL;
    rc = reach_options(opts, &o);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < cjm_journey_count(j, CJM_TOUCHPOINT); i++)
        any_entry |= cjm_item_has(cjm_journey_at(j, CJM_TOUCHPOINT, i), CJM_ATTR_ENTRY);
    if (!any_entry)
        return cjm__error(CJM_ENOTFOUND, "journey '%s' has no entry volumes: set the entry "
                          "attribute on the touchpoints where customers start",
                          cjm_journey_id(j));
    a = cjm__journey_alloc(j, o.allocator);
    r = cjm__calloc(a, 1, sizeof *r);
    if (!r)
        return CJM_ENOMEM;
    r->alloc = *a;
    a = &r->alloc;
    r->j = j;
    rc = cjm__graph_build(&g, j, a);
    if (rc < 0) {
        cjm__free(a, r);
        return rc;
    }
    r->n = g.n;
    r->mt = cjm_journey_count(j, CJM_TRANSITION);
    r->visits = cjm__calloc(a, r->n + 1, sizeof *r->visits);
    r->ended = cjm__calloc(a, r->n + 1, sizeof *r->ended);
    r->flow = cjm__calloc(a, r->mt + 1, sizeof *r->flow);
    r->prob = cjm__calloc(a, r->mt + 1, sizeof *r->prob);
    p = cjm__calloc(a, (size_t)g.m + 1, sizeof *p);
    entry = cjm__calloc(a, r->n + 1, sizeof *entry);
    invol = cjm__calloc(a, r->n + 1, sizeof *invol);
    if (!r->visits || !r->ended || !r->flow || !r->prob || !p || !entry || !invol) {
        rc = CJM_ENOMEM;
        goto fail;
    }
    probabilities(&g, p, entry, &r->unquantified, &r->normalised, invol);
    for (uint32_t v = 0; v < g.n; v++)
        r->entered += entry[v];
    rc = solve(&g, p, entry, &o, r->visits, &r->iterations);
    if (rc < 0)
        goto fail;
    for (size_t i = 0; i < r->mt; i++)
        r->flow[i] = r->prob[i] = NAN;
    for (uint32_t v = 0; v < g.n; v++) {
        double out = 0;
        for (uint32_t k = g.out_off[v]; k < g.out_off[v + 1]; k++)
            out += p[g.out_e[k]];
        /* Shares that add up to 1 but for rounding leave nobody behind. */
        r->ended[v] = r->visits[v] * (out < 1 - CLOSED_EPS ? 1 - out : 0);
    }
    for (uint32_t e = 0; e < g.m; e++) {
        size_t t = cjm_item_index(g.tr[e]);
        r->prob[t] = p[e];
        r->flow[t] = p[e] * r->visits[g.src[e]];
    }
    cjm__free(a, p);
    cjm__free(a, entry);
    cjm__free(a, invol);
    cjm__graph_free(&g);
    *out = r;
    return 0;
fail:
    cjm__free(a, p);
    cjm__free(a, entry);
    cjm__free(a, invol);
    cjm__graph_free(&g);
    cjm_reach_free(r);
    return rc;
}

const cjm_journey *cjm_reach_journey(const cjm_reach *r)
{
    return r ? r->j : NULL;
}

double cjm_reach_touchpoint(const cjm_reach *r, size_t index)
{
    return r && index < r->n ? r->visits[index] : NAN;
}

double cjm_reach_transition(const cjm_reach *r, size_t index)
{
    return r && index < r->mt ? r->flow[index] : NAN;
}

double cjm_reach_probability(const cjm_reach *r, size_t index)
{
    return r && index < r->mt ? r->prob[index] : NAN;
}

double cjm_reach_ended(const cjm_reach *r, size_t index)
{
    return r && index < r->n ? r->ended[index] : NAN;
}

double cjm_reach_of(const cjm_reach *r, const char *id)
{
    cjm_item *it;
    if (!r || !id)
        return NAN;
    it = cjm_journey_find(r->j, id);
    if (!it)
        return NAN;
    if (cjm_item_kind(it) == CJM_TOUCHPOINT)
        return cjm_reach_touchpoint(r, cjm_item_index(it));
    if (cjm_item_kind(it) == CJM_TRANSITION)
        return cjm_reach_transition(r, cjm_item_index(it));
    return NAN;
}

double cjm_reach_entered(const cjm_reach *r)
{
    return r ? r->entered : 0;
}

size_t cjm_reach_unquantified(const cjm_reach *r)
{
    return r ? r->unquantified : 0;
}

size_t cjm_reach_normalised(const cjm_reach *r)
{
    return r ? r->normalised : 0;
}

unsigned cjm_reach_iterations(const cjm_reach *r)
{
    return r ? r->iterations : 0;
}
