/* Structure and channel checks. */
#include <math.h>
#include <string.h>

#include "graph.h"

struct cjm_checks {
    cjm_allocator alloc;
    cjm__arr findings;   /* cjm_finding */
    cjm__vec strings;    /* owned messages and member arrays */
    size_t totals[CJM_CHECK_KIND_COUNT];
    int reach_status;
    double cf_touchpoints, cf_reach;
};

static const char *const kind_names[CJM_CHECK_KIND_COUNT] = {
    "unreachable", "dead-end", "backward", "cycle", "self-service",
    "no-human", "channel-switch", "no-value", "over-capacity",
};

const char *cjm_check_kind_name(cjm_check_kind kind)
{
    return (unsigned)kind < CJM_CHECK_KIND_COUNT ? kind_names[kind] : NULL;
}

void cjm_checks_free(cjm_checks *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->strings.len; i++)
        cjm__free(&c->alloc, c->strings.items[i]);
    cjm__vec_free(&c->alloc, &c->strings);
    cjm__arr_free(&c->alloc, &c->findings);
    cjm__free(&c->alloc, c);
}

static cjm_finding *add(cjm_checks *c, cjm_check_kind kind, const char *item, double volume,
                        double limit, const char *fmt, ...) CJM__PRINTF(6, 7);

static cjm_finding *add(cjm_checks *c, cjm_check_kind kind, const char *item, double volume,
                        double limit, const char *fmt, ...)
{
    cjm__buf b;
    va_list ap;
    char *msg, *tmp;
    cjm_finding *f;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    cjm__buf_init(&b, &c->alloc);
    if (n < 0 || cjm__buf_grow(&b, (size_t)n) < 0) {
        cjm__buf_free(&b);
        return NULL;
    }
    tmp = b.data;
    va_start(ap, fmt);
    vsnprintf(tmp, (size_t)n + 1, fmt, ap);
    va_end(ap);
    msg = tmp;
    if (cjm__vec_push(&c->alloc, &c->strings, msg) < 0) {
        cjm__free(&c->alloc, msg);
        return NULL;
    }
    f = cjm__arr_push(&c->alloc, &c->findings);
    if (!f)
        return NULL;
    f->kind = kind;
    f->item = item;
    f->volume = volume;
    f->limit = limit;
    f->message = msg;
    c->totals[kind]++;
    return f;
}

/* The channel item of a touchpoint, or NULL. */
static cjm_item *channel_of(const cjm_journey *j, const cjm_item *tp)
{
    const char *id = cjm_item_text(tp, CJM_ATTR_CHANNEL);
    cjm_item *ch = id ? cjm_map_find(cjm_journey_map(j), id) : NULL;
    return ch && cjm_item_kind(ch) == CJM_CHANNEL ? ch : NULL;
}

/* Whether the company (an actor other than the customer) starts the touchpoint. */
static int company_initiated(const cjm_journey *j, const cjm_item *tp)
{
    const char *id = cjm_item_text(tp, CJM_ATTR_INITIATOR);
    cjm_item *actor = id ? cjm_map_find(cjm_journey_map(j), id) : NULL;
    int role = actor && cjm_item_kind(actor) == CJM_ACTOR ? cjm__int(actor, CJM_ATTR_ROLE, -1)
                                                          : -1;
    return role >= 0 && role != CJM_ROLE_CUSTOMER;
}

static int is_human(const cjm_item *ch)
{
    int k = ch ? cjm__int(ch, CJM_ATTR_CHANNEL_KIND, -1) : -1;
    return k == CJM_CHANNEL_HUMAN || k == CJM_CHANNEL_ASSISTED;
}

/* Order of touchpoints for cycle returns: stage position, then journey order. */
static int before_or_same(const cjm__graph *g, uint32_t a, uint32_t b)
{
    if (g->stage[a] != g->stage[b])
        return g->stage[a] < g->stage[b];
    return a <= b;
}

static int structure(cjm_checks *c, const cjm__graph *g, const cjm_reach *reach)
{
    const cjm_allocator *a = &c->alloc;
    uint32_t n = g->n, nc = 0, head = 0, tail = 0;
    uint8_t *entry = cjm__calloc(a, (size_t)n + 1, 1);
    uint8_t *seen = cjm__calloc(a, (size_t)n + 1, 1);
    uint32_t *queue = cjm__malloc(a, ((size_t)n + 1) * sizeof *queue);
    uint32_t *comp = cjm__malloc(a, ((size_t)n + 1) * sizeof *comp);
    uint32_t *size = NULL, *first = NULL;
    double *returns = NULL;
    int rc = CJM_ENOMEM;
    if (!entry || !seen || !queue || !comp)
        goto done;
    cjm__graph_entries(g, entry);
    for (uint32_t v = 0; v < n; v++)
        if (entry[v]) {
            seen[v] = 1;
            queue[tail++] = v;
        }
    while (head < tail) {
        uint32_t v = queue[head++];
        for (uint32_t k = g->out_off[v]; k < g->out_off[v + 1]; k++) {
            uint32_t w = g->dst[g->out_e[k]];
            if (!seen[w]) {
                seen[w] = 1;
                queue[tail++] = w;
            }
        }
    }
    for (uint32_t v = 0; v < n; v++)
        if (!seen[v] && !add(c, CJM_CHECK_UNREACHABLE, cjm_item_id(g->tp[v]), NAN, NAN,
                             "touchpoint '%s' cannot be reached from any entry",
                             cjm_item_id(g->tp[v])))
            goto done;
    for (uint32_t v = 0; v < n; v++)
        if (g->out_off[v] == g->out_off[v + 1] && cjm__int(g->tp[v], CJM_ATTR_EXIT, 0) != 1 &&
            !add(c, CJM_CHECK_DEAD_END, cjm_item_id(g->tp[v]),
                 reach ? cjm_reach_touchpoint(reach, v) : NAN, NAN,
                 "touchpoint '%s' leads nowhere but is not an exit", cjm_item_id(g->tp[v])))
            goto done;
    for (uint32_t e = 0; e < g->m; e++) {
        uint32_t s = g->src[e], d = g->dst[e];
        if (g->stage[s] >= 0 && g->stage[d] >= 0 && g->stage[d] < g->stage[s] &&
            !add(c, CJM_CHECK_BACKWARD, cjm_item_id(g->tr[e]),
                 reach ? cjm_reach_transition(reach, cjm_item_index(g->tr[e])) : NAN, NAN,
                 "transition '%s' goes back from stage '%s' of '%s' to stage '%s' of '%s'",
                 cjm_item_id(g->tr[e]), cjm_item_text(g->tp[s], CJM_ATTR_STAGE),
                 cjm_item_id(g->tp[s]), cjm_item_text(g->tp[d], CJM_ATTR_STAGE),
                 cjm_item_id(g->tp[d])))
            goto done;
    }
    rc = cjm__graph_scc(g, comp, &nc);
    if (rc < 0)
        goto done;
    rc = CJM_ENOMEM;
    size = cjm__calloc(a, (size_t)nc + 1, sizeof *size);
    first = cjm__malloc(a, ((size_t)nc + 1) * sizeof *first);
    returns = cjm__calloc(a, (size_t)nc + 1, sizeof *returns);
    if (!size || !first || !returns)
        goto done;
    for (uint32_t k = 0; k < nc; k++)
        first[k] = CJM__NONE;
    for (uint32_t v = 0; v < n; v++) {
        size[comp[v]]++;
        if (first[comp[v]] == CJM__NONE)
            first[comp[v]] = v;
    }
    for (uint32_t e = 0; e < g->m; e++) {
        uint32_t s = g->src[e], d = g->dst[e];
        if (comp[s] != comp[d])
            continue;
        if (size[comp[s]] == 1)
            size[comp[s]] = 0x80000001u; /* a self-loop makes a one-touchpoint cycle */
        if (before_or_same(g, d, s))
            returns[comp[s]] += reach ? cjm_reach_transition(reach, cjm_item_index(g->tr[e])) : 0;
    }
    /* Report cycles in the journey order of their first touchpoint. */
    for (uint32_t v = 0; v < n; v++) {
        uint32_t k = comp[v], count = size[k] & 0x7fffffffu, i = 0;
        const char **members;
        cjm_finding *f;
        if (first[k] != v || (size[k] < 2))
            continue;
        members = cjm__malloc(a, (size_t)count * sizeof *members);
        if (!members)
            goto done;
        if (cjm__vec_push(a, &c->strings, (void *)members) < 0) {
            cjm__free(a, members);
            goto done;
        }
        for (uint32_t w = v; w < n && i < count; w++)
            if (comp[w] == k)
                members[i++] = cjm_item_id(g->tp[w]);
        f = add(c, CJM_CHECK_CYCLE, cjm_item_id(g->tp[v]), reach ? returns[k] : NAN, NAN,
                count == 1 ? "touchpoint '%s' repeats itself (a loop of %u touchpoint)"
                           : "touchpoint '%s' is on a loop of %u touchpoints: repeat contacts",
                cjm_item_id(g->tp[v]), count);
        if (!f)
            goto done;
        f->member_count = count;
        f->members = members;
    }
    rc = 0;
done:
    cjm__free(a, entry);
    cjm__free(a, seen);
    cjm__free(a, queue);
    cjm__free(a, comp);
    cjm__free(a, size);
    cjm__free(a, first);
    cjm__free(a, returns);
    return rc;
}

static int channels(cjm_checks *c, const cjm__graph *g, const cjm_reach *reach, double frequent)
{
    const cjm_journey *j = g->j;
    double n_known = 0, n_free = 0, r_known = 0, r_free = 0;
    for (uint32_t v = 0; v < g->n; v++) {
        const cjm_item *t = g->tp[v];
        const char *id = cjm_item_id(t);
        cjm_item *ch = channel_of(j, t);
        int kind = ch ? cjm__int(ch, CJM_ATTR_CHANNEL_KIND, -1) : -1;
        int cx = cjm__int(t, CJM_ATTR_COMPLEXITY, -1);
        double r = reach ? cjm_reach_touchpoint(reach, v) : NAN;
        double freq = cjm__num(t, CJM_ATTR_FREQUENCY, NAN);
        double how_often = isnan(freq) ? r : freq;
        if (cx == CJM_COMPLEXITY_SIMPLE && (kind == CJM_CHANNEL_HUMAN ||
                                             kind == CJM_CHANNEL_ASSISTED) &&
            !company_initiated(j, t) && !isnan(how_often) && how_often >= frequent &&
            !add(c, CJM_CHECK_SELF_SERVICE, id, r, how_often,
                 "touchpoint '%s' handles a simple, frequent matter on channel '%s', which "
                 "needs staff: a candidate for self-service", id, cjm_item_id(ch)))
            return CJM_ENOMEM;
        if (ch) {
            int cf = cjm__int(ch, CJM_ATTR_CONTACT_FREE, 0) == 1;
            n_known += 1;
            n_free += cf;
            if (!isnan(r)) {
                r_known += r;
                r_free += cf ? r : 0;
            }
        }
    }
    for (uint32_t v = 0; v < g->n; v++) {
        const cjm_item *t = g->tp[v];
        const char *id = cjm_item_id(t);
        cjm_item *ch = channel_of(j, t);
        double r = reach ? cjm_reach_touchpoint(reach, v) : NAN;
        if (cjm__int(t, CJM_ATTR_COMPLEXITY, -1) == CJM_COMPLEXITY_COMPLEX && ch &&
            !is_human(ch)) {
            int next_human = 0;
            for (uint32_t k = g->out_off[v]; k < g->out_off[v + 1] && !next_human; k++)
                next_human = is_human(channel_of(j, g->tp[g->dst[g->out_e[k]]]));
            if (!next_human &&
                !add(c, CJM_CHECK_NO_HUMAN, id, r, NAN,
                     "touchpoint '%s' handles a complex matter on channel '%s' with no way "
                     "on to a person", id, cjm_item_id(ch)))
                return CJM_ENOMEM;
        }
    }
    for (uint32_t e = 0; e < g->m; e++) {
        const char *a = cjm_item_text(g->tp[g->src[e]], CJM_ATTR_CHANNEL);
        const char *b = cjm_item_text(g->tp[g->dst[e]], CJM_ATTR_CHANNEL);
        if (a && b && strcmp(a, b) != 0 && !company_initiated(j, g->tp[g->dst[e]]) &&
            !add(c, CJM_CHECK_CHANNEL_SWITCH, cjm_item_id(g->tr[e]),
                 reach ? cjm_reach_transition(reach, cjm_item_index(g->tr[e])) : NAN, NAN,
                 "transition '%s' takes the customer from channel '%s' to '%s', where they "
                 "may have to repeat themselves", cjm_item_id(g->tr[e]), a, b))
            return CJM_ENOMEM;
    }
    for (uint32_t v = 0; v < g->n; v++)
        if (cjm__int(g->tp[v], CJM_ATTR_VALUE, -1) == CJM_VALUE_NONE &&
            !add(c, CJM_CHECK_NO_VALUE, cjm_item_id(g->tp[v]),
                 reach ? cjm_reach_touchpoint(reach, v) : NAN, NAN,
                 "touchpoint '%s' gives the customer no value: a candidate to remove",
                 cjm_item_id(g->tp[v])))
            return CJM_ENOMEM;
    for (uint32_t v = 0; reach && v < g->n; v++) {
        double cap = cjm__num(g->tp[v], CJM_ATTR_CAPACITY, NAN);
        double r = cjm_reach_touchpoint(reach, v);
        char rs[32], cs[32];
        if (isnan(cap) || !(r > cap))
            continue;
        cjm__fmt_double(rs, r);
        cjm__fmt_double(cs, cap);
        if (!add(c, CJM_CHECK_OVER_CAPACITY, cjm_item_id(g->tp[v]), r, cap,
                 "touchpoint '%s' is reached %s times but can serve %s", cjm_item_id(g->tp[v]),
                 rs, cs))
            return CJM_ENOMEM;
    }
    c->cf_touchpoints = n_known > 0 ? n_free / n_known : NAN;
    c->cf_reach = r_known > 0 ? r_free / r_known : NAN;
    return 0;
}

int cjm_checks_run(cjm_checks **out, const cjm_journey *j, const cjm_checks_options *opts)
{
    static const cjm_checks_options dflt = CJM_CHECKS_OPTIONS_INIT;
    const cjm_allocator *a;
    cjm_reach *own = NULL;
    const cjm_reach *reach;
    cjm_checks *c;
    cjm__graph g;
    int rc;
    if (!out || !j)
        return cjm__error(CJM_EINVAL, "cjm_checks_run: NULL argument");
    *out = NULL;
    if (opts && opts->version != CJM_CHECKS_OPTIONS_VERSION)
        return cjm__error(CJM_EINVAL, "cjm_checks_run: unknown options version %u",
                          opts->version);
    if (!opts)
        opts = &dflt;
    if (opts->reach && cjm_reach_journey(opts->reach) != j)
        return cjm__error(CJM_EINVAL, "cjm_checks_run: the reach is of another journey");
    a = cjm__journey_alloc(j, opts->allocator);
    c = cjm__calloc(a, 1, sizeof *c);
    if (!c)
        return CJM_ENOMEM;
    c->alloc = *a;
    a = &c->alloc;
    cjm__arr_init(&c->findings, sizeof(cjm_finding));
    reach = opts->reach;
    if (!reach) {
        cjm_reach_options ro = CJM_REACH_OPTIONS_INIT;
        ro.allocator = a;
        rc = cjm_reach_compute(&own, j, &ro);
        if (rc == CJM_ENOMEM) {
            cjm_checks_free(c);
            return rc;
        }
        c->reach_status = rc;
        reach = own;
    }
    rc = cjm__graph_build(&g, j, a);
    if (rc < 0) {
        cjm_reach_free(own);
        cjm_checks_free(c);
        return rc;
    }
    rc = structure(c, &g, reach);
    if (rc == 0)
        rc = channels(c, &g, reach, opts->frequent);
    cjm__graph_free(&g);
    cjm_reach_free(own);
    if (rc < 0) {
        cjm_checks_free(c);
        return rc;
    }
    /* Findings were made check by check, which is already kind order. */
    cjm_error_clear();
    *out = c;
    return 0;
}

size_t cjm_checks_count(const cjm_checks *c)
{
    return c ? c->findings.len : 0;
}

const cjm_finding *cjm_checks_at(const cjm_checks *c, size_t index)
{
    return c && index < c->findings.len ? CJM__ARR_AT(&c->findings, cjm_finding, index) : NULL;
}

size_t cjm_checks_total(const cjm_checks *c, cjm_check_kind kind)
{
    return c && (unsigned)kind < CJM_CHECK_KIND_COUNT ? c->totals[kind] : 0;
}

int cjm_checks_reach_status(const cjm_checks *c)
{
    return c ? c->reach_status : CJM_EINVAL;
}

void cjm_checks_contact_free(const cjm_checks *c, double *touchpoints, double *reach)
{
    if (touchpoints)
        *touchpoints = c ? c->cf_touchpoints : NAN;
    if (reach)
        *reach = c ? c->cf_reach : NAN;
}
