/* Validation of a journey map into a list of problems. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model_access.h"
#include "model_internal.h"

struct cjm_problems {
    cjm_allocator alloc;
    cjm_problem *v;
    size_t len, cap, errors;
};

/* How many found ids validation remembers for each shared attribute. */
#define RECENT 8

typedef struct vctx {
    const cjm_map *map;
    cjm_problems *out;
    int rc;
    /* The last few ids each shared attribute was found by, and what they
     * named: shared ids are one copy per map, so the same pointer is the
     * same id, and a hundred thousand touchpoints in ten stages find each
     * stage once. A few rather than one, since touchpoints listed in a row
     * often take turns among a handful of channels or actors. */
    struct {
        const char *id;
        const cjm_item *target;
    } last[CJM_ATTR_COUNT][RECENT];
    unsigned char next[CJM_ATTR_COUNT]; /* the entry of last[] replaced next */
} vctx;

/* How many transitions ahead validation asks for the touchpoints they name. */
#define AHEAD 8

/* The item `id` names, for a reference of `attr` of an item of journey `j`. */
static const cjm_item *find(vctx *c, const cjm_journey *j, cjm_attr attr, uint32_t kinds,
                            const char *id)
{
    const cjm_item *target;
    for (int k = 0; k < RECENT; k++)
        if (c->last[attr][k].id == id)
            return c->last[attr][k].target;
    target = (kinds & ((1u << CJM_STAGE) - 1)) ? cjm_map_find(c->map, id)
                                               : cjm_journey_find(j, id);
    if (cjm__attr_shared(attr)) {
        int k = c->next[attr];
        c->last[attr][k].id = id;
        c->last[attr][k].target = target;
        c->next[attr] = (unsigned char)((k + 1) % RECENT);
    }
    return target;
}

/* The value of text or reference attribute `attr`, which the item's kind
 * has; NULL when unset. Validation asks only what each kind has, so it
 * need not pass the public getters' checks. */
static const char *text_of(const cjm_item *item, cjm_attr attr)
{
    const cjm__value *v = cjm__item_value(item, attr);
    return v ? v->s : NULL;
}

/* The list of list attribute `attr`, which the item's kind has; NULL when unset. */
static const cjm__list *list_of(const cjm_item *item, cjm_attr attr)
{
    const cjm__value *v = cjm__item_value(item, attr);
    return v ? v->list : NULL;
}

static void add(vctx *c, cjm_severity sev, const char *code, const cjm_journey *j,
                const cjm_item *item, const char *fmt, ...) CJM__PRINTF(6, 7);

static void add(vctx *c, cjm_severity sev, const char *code, const cjm_journey *j,
                const cjm_item *item, const char *fmt, ...)
{
    const cjm_allocator *a = &c->out->alloc;
    cjm_problem p;
    char msg[1024];
    va_list ap;
    if (c->rc < 0)
        return;
    if (c->out->len == c->out->cap) {
        size_t cap = c->out->cap ? c->out->cap * 2 : 16;
        cjm_problem *v = cjm__realloc(a, c->out->v, cap * sizeof *v);
        if (!v) {
            c->rc = CJM_ENOMEM;
            return;
        }
        c->out->v = v;
        c->out->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    memset(&p, 0, sizeof p);
    p.severity = sev;
    p.code = code; /* static */
    p.message = cjm__strdup(a, msg);
    p.journey = j ? cjm__strdup(a, j->id) : NULL;
    p.item = item ? cjm__strdup(a, item->id) : NULL;
    if (item)
        cjm_item_location(item, &p.line, &p.column);
    if (!p.message || (j && !p.journey) || (item && !p.item)) {
        cjm__free(a, (char *)p.message);
        cjm__free(a, (char *)p.journey);
        cjm__free(a, (char *)p.item);
        c->rc = CJM_ENOMEM;
        return;
    }
    c->out->v[c->out->len++] = p;
    if (sev == CJM_SEVERITY_ERROR)
        c->out->errors++;
}

static const char *what(const cjm_item *item)
{
    return cjm_kind_name(item->kind);
}

/* Whether `guess` (NULL: none), an item of the journey being checked, has
 * the id `id`: ids are unique in a journey, so it is then the very item a
 * lookup would find, and comparing a few bytes of an item already in the
 * caches costs less than hashing the id and probing the table. */
static int is(const cjm_item *guess, const char *id)
{
    return guess && strcmp(guess->id, id) == 0;
}

/* Checks reference attribute `attr` of `item`, whose value is `id` (NULL:
 * unset; the caller has it already), against the kinds it may point to;
 * returns the item it names when that is of one of those kinds, else NULL.
 * `guess`, when not NULL, is an item of one of those kinds in journey `j`
 * that the reference probably names; it is tried before the table. */
static const cjm_item *check_ref(vctx *c, const cjm_journey *j, const cjm_item *item,
                                 cjm_attr attr, const char *id, uint32_t kinds,
                                 const char *kinds_text, const cjm_item *guess)
{
    const cjm_item *target;
    if (!id)
        return NULL;
    if (is(guess, id))
        return guess;
    target = find(c, j, attr, kinds, id);
    if (!target) {
        add(c, CJM_SEVERITY_ERROR, "dangling-ref", j, item, "%s %s: %s '%s' does not exist",
            what(item), item->id, cjm__attrs[attr].name, id);
        return NULL;
    }
    if (!((kinds >> target->kind) & 1u)) {
        add(c, CJM_SEVERITY_ERROR, "wrong-kind", j, item, "%s %s: %s '%s' is a %s, not a %s",
            what(item), item->id, cjm__attrs[attr].name, id, what(target), kinds_text);
        return NULL;
    }
    return target;
}

static void check_list(vctx *c, const cjm_journey *j, const cjm_item *item, cjm_attr attr,
                       const cjm__list *l, uint32_t kinds, const char *kinds_text)
{
    for (size_t i = 0; l && i < l->len; i++) {
        const char *id = l->items[i];
        const cjm_item *target = find(c, j, attr, kinds, id);
        if (!target)
            add(c, CJM_SEVERITY_ERROR, "dangling-ref", j, item, "%s %s: %s '%s' does not exist",
                what(item), item->id, cjm__attrs[attr].name, id);
        else if (!((kinds >> target->kind) & 1u))
            add(c, CJM_SEVERITY_ERROR, "wrong-kind", j, item,
                "%s %s: %s '%s' is a %s, not a %s", what(item), item->id,
                cjm__attrs[attr].name, id, what(target), kinds_text);
    }
}

/* Reports number `value` of attribute `info` of `item`, outside the attribute's range. */
static void out_of_range(vctx *c, const cjm_journey *j, const cjm_item *item,
                         const cjm__attr_info *info, double value)
{
    char lo[32], hi[32], v[32];
    cjm__fmt_double(lo, info->min);
    cjm__fmt_double(v, value);
    if (isinf(info->max)) {
        add(c, CJM_SEVERITY_ERROR, "out-of-range", j, item, "%s %s: %s is %s, below %s",
            what(item), item->id, info->name, v, lo);
    } else {
        cjm__fmt_double(hi, info->max);
        add(c, CJM_SEVERITY_ERROR, "out-of-range", j, item, "%s %s: %s is %s, outside %s..%s",
            what(item), item->id, info->name, v, lo, hi);
    }
}

/*
 * One walk over the item's slots: checks the ranges of its numbers and
 * puts in out[k] the value of the attribute whose want[] is k (NULL when
 * unset; want[] is -1 for attributes not asked for, and `nwant` counts
 * those asked for).
 */
static void walk(vctx *c, const cjm_journey *j, const cjm_item *item, const signed char *want,
                 int nwant, const cjm__value **out)
{
    const uint8_t *attrs;
    for (int k = 0; k < nwant; k++)
        out[k] = NULL;
    if (!item->nslots)
        return;
    attrs = CJM__ITEM_ATTRS(item);
    for (size_t i = 0; i < item->nslots; i++) {
        const cjm__value *s = &item->values[i];
        const cjm__attr_info *info = &cjm__attrs[attrs[i]];
        if (want && want[attrs[i]] >= 0)
            out[want[attrs[i]]] = s;
        if (info->type == CJM_TYPE_NUMBER && (s->n < info->min || s->n > info->max))
            out_of_range(c, j, item, info, s->n);
    }
}

/* Checks the ranges of the item's numbers. */
static void check_ranges(vctx *c, const cjm_journey *j, const cjm_item *item)
{
    walk(c, j, item, NULL, 0, NULL);
}

/* want[] for walk(): the `n` attributes of `attrs` numbered in turn. */
static void wanted(signed char *want, const cjm_attr *attrs, int n)
{
    memset(want, -1, CJM_ATTR_COUNT);
    for (int k = 0; k < n; k++)
        want[attrs[k]] = (signed char)k;
}

#define B(k) (1u << (k))

static void check_journey(vctx *c, const cjm_journey *j)
{
    /* what the walks over touchpoints and transitions pick out, in v[] */
    static const cjm_attr tp_attrs[] = {CJM_ATTR_STAGE, CJM_ATTR_CHANNEL, CJM_ATTR_INITIATOR,
                                        CJM_ATTR_RECEIVER, CJM_ATTR_SITUATIONS};
    static const cjm_attr tr_attrs[] = {CJM_ATTR_FROM, CJM_ATTR_TO, CJM_ATTR_SITUATIONS,
                                        CJM_ATTR_PROBABILITY};
    signed char want[CJM_ATTR_COUNT];
    const cjm__value *v[5];
    const cjm_allocator *a = &c->out->alloc;
    size_t ntp = j->items[CJM_TOUCHPOINT].len, ntr = j->items[CJM_TRANSITION].len;

    memset(c->last, 0, sizeof c->last); /* journey items are found in the journey */
    memset(c->next, 0, sizeof c->next);

    if (j->persona) {
        const cjm_item *p = cjm_map_find(c->map, j->persona);
        if (!p || p->kind != CJM_PERSONA)
            add(c, CJM_SEVERITY_ERROR, "dangling-ref", j, NULL,
                "journey %s: persona '%s' does not exist", j->id, j->persona);
    }
    if (j->status == CJM_STATUS_ACTUAL) {
        const cjm_journey *p = j->follows ? cjm_map_journey(c->map, j->follows) : NULL;
        if (!j->follows)
            add(c, CJM_SEVERITY_WARNING, "no-plan", j, NULL,
                "actual journey %s does not say which planned journey it follows", j->id);
        else if (!p)
            add(c, CJM_SEVERITY_ERROR, "dangling-ref", j, NULL,
                "journey %s follows '%s', which does not exist", j->id, j->follows);
        else if (p->status != CJM_STATUS_PLANNED)
            add(c, CJM_SEVERITY_ERROR, "wrong-kind", j, NULL,
                "journey %s follows '%s', which is not a planned journey", j->id, j->follows);
    } else if (j->follows) {
        add(c, CJM_SEVERITY_WARNING, "follows-on-planned", j, NULL,
            "planned journey %s says it follows '%s'; only actual journeys follow a plan",
            j->id, j->follows);
    }

    /* touchpoints and transitions have theirs checked with their references */
    for (int k = CJM_STAGE; k < CJM_KIND_COUNT; k++) {
        if (k == CJM_TOUCHPOINT || k == CJM_TRANSITION)
            continue;
        for (size_t i = 0; i < j->items[k].len; i++)
            check_ranges(c, j, j->items[k].items[i]);
    }

    /* stage_of[i]: 1 + the index of touchpoint i's stage, 0 when it has none */
    uint32_t *stage_of = ntp ? cjm__calloc(a, ntp, sizeof *stage_of) : NULL;
    double *sum = ntp ? cjm__calloc(a, ntp, sizeof *sum) : NULL;
    if (ntp && (!stage_of || !sum)) {
        cjm__free(a, stage_of);
        cjm__free(a, sum);
        c->rc = CJM_ENOMEM;
        return;
    }
    wanted(want, tp_attrs, 5);
    for (size_t i = 0; i < ntp; i++) {
        const cjm_item *tp = j->items[CJM_TOUCHPOINT].items[i], *stage;
        const char *stage_id;
        walk(c, j, tp, want, 5, v);
        stage_id = v[0] ? v[0]->s : NULL;
        if (!stage_id)
            add(c, CJM_SEVERITY_WARNING, "no-stage", j, tp, "touchpoint %s belongs to no stage",
                tp->id);
        stage = check_ref(c, j, tp, CJM_ATTR_STAGE, stage_id, B(CJM_STAGE), "stage", NULL);
        if (stage)
            stage_of[i] = stage->index + 1; /* item indexes are below 2^32 - 1 */
        check_ref(c, j, tp, CJM_ATTR_CHANNEL, v[1] ? v[1]->s : NULL, B(CJM_CHANNEL), "channel",
                  NULL);
        check_ref(c, j, tp, CJM_ATTR_INITIATOR, v[2] ? v[2]->s : NULL, B(CJM_ACTOR), "actor",
                  NULL);
        check_ref(c, j, tp, CJM_ATTR_RECEIVER, v[3] ? v[3]->s : NULL, B(CJM_ACTOR), "actor",
                  NULL);
        check_list(c, j, tp, CJM_ATTR_SITUATIONS, v[4] ? v[4]->list : NULL, B(CJM_SITUATION),
                   "situation");
        for (size_t q = 0; q < cjm_item_kpi_count(tp); q++) {
            const cjm_kpi *kpi = cjm_item_kpi_at(tp, q);
            if (kpi->date && !cjm__date_ok(kpi->date))
                add(c, CJM_SEVERITY_ERROR, "bad-date", j, tp,
                    "touchpoint %s: KPI %s has a malformed date '%s'", tp->id, kpi->name,
                    kpi->date);
        }
    }

    /* probabilities leaving each touchpoint, summed by the touchpoint's index */
    const cjm_item *const *tps = (const cjm_item *const *)j->items[CJM_TOUCHPOINT].items;
    const cjm_item *prev_to = NULL;
    size_t chained = 0; /* transitions in a row whose touchpoints were both guessed */
    wanted(want, tr_attrs, 4);
    for (size_t i = 0; i < ntr; i++) {
        const cjm_item *t = j->items[CJM_TRANSITION].items[i], *f, *g, *guess_from, *guess_to;
        const char *from, *to;
        walk(c, j, t, want, 4, v);
        from = v[0] ? v[0]->s : NULL;
        to = v[1] ? v[1]->s : NULL;
        /* the touchpoints named some transitions ahead, brought in meanwhile;
         * not while the guesses below keep finding them without the table,
         * since hashing ids for nothing costs more than it saves */
        for (int step = 0; chained < AHEAD && step < 2; step++) {
            size_t ahead = i + (step ? AHEAD / 2 : AHEAD);
            if (ahead < ntr) {
                const cjm_item *u = j->items[CJM_TRANSITION].items[ahead];
                cjm__ids_prefetch(&j->ids, text_of(u, CJM_ATTR_FROM), step);
                cjm__ids_prefetch(&j->ids, text_of(u, CJM_ATTR_TO), step);
            }
        }
        if (!from || !to)
            add(c, CJM_SEVERITY_ERROR, "missing-endpoint", j, t,
                "transition %s needs both a from and a to touchpoint", t->id);
        /* Journeys list their transitions mostly as a chain, each leaving the
         * touchpoint the one before entered, and mostly toward the touchpoint
         * listed next: those are tried before the table. */
        guess_from = prev_to;
        f = check_ref(c, j, t, CJM_ATTR_FROM, from, B(CJM_TOUCHPOINT), "touchpoint",
                      guess_from);
        guess_to = f && f->index + 1 < ntp ? tps[f->index + 1] : NULL;
        g = check_ref(c, j, t, CJM_ATTR_TO, to, B(CJM_TOUCHPOINT), "touchpoint", guess_to);
        prev_to = g;
        chained = f == guess_from && g == guess_to ? chained + 1 : 0;
        check_list(c, j, t, CJM_ATTR_SITUATIONS, v[2] ? v[2]->list : NULL, B(CJM_SITUATION),
                   "situation");
        if (f && v[3])
            sum[f->index] += v[3]->n;
        if (f && g && stage_of[f->index] && stage_of[g->index] &&
            stage_of[g->index] < stage_of[f->index]) {
            const cjm__vec *stages = &j->items[CJM_STAGE];
            add(c, CJM_SEVERITY_WARNING, "against-stage-order", j, t,
                "transition %s goes back from stage %s to stage %s", t->id,
                ((const cjm_item *)stages->items[stage_of[f->index] - 1])->id,
                ((const cjm_item *)stages->items[stage_of[g->index] - 1])->id);
        }
    }
    for (size_t i = 0; i < ntp; i++) {
        if (sum[i] > 1.0 + 1e-9) {
            const cjm_item *tp = j->items[CJM_TOUCHPOINT].items[i];
            char v[32];
            cjm__fmt_double(v, sum[i]);
            add(c, CJM_SEVERITY_ERROR, "probability-sum", j, tp,
                "the probabilities of the transitions leaving %s add up to %s, above 1",
                tp->id, v);
        }
    }
    cjm__free(a, stage_of);
    cjm__free(a, sum);

    for (int k = CJM_PAINPOINT; k <= CJM_GAP; k++) {
        for (size_t i = 0; i < j->items[k].len; i++) {
            const cjm_item *an = j->items[k].items[i];
            const char *target = text_of(an, CJM_ATTR_TARGET);
            if (!target)
                add(c, CJM_SEVERITY_WARNING, "no-target", j, an,
                    "%s %s is attached to no touchpoint or transition", what(an), an->id);
            check_ref(c, j, an, CJM_ATTR_TARGET, target, B(CJM_TOUCHPOINT) | B(CJM_TRANSITION),
                      "touchpoint or transition", NULL);
        }
    }
    for (size_t i = 0; i < j->items[CJM_GAP].len; i++) {
        const cjm_item *g = j->items[CJM_GAP].items[i];
        int kind;
        if (cjm_item_int(g, CJM_ATTR_GAP_KIND, &kind) < 0) {
            add(c, CJM_SEVERITY_ERROR, "gap-kind", j, g,
                "gap %s does not say whether it is an experience gap or a deviation", g->id);
        } else if (kind == CJM_GAP_DEVIATION && !cjm_item_has(g, CJM_ATTR_DEVIATION)) {
            add(c, CJM_SEVERITY_ERROR, "gap-kind", j, g,
                "deviation %s does not say whether it is missing, failing, ad hoc or irregular",
                g->id);
        }
    }
    for (size_t i = 0; i < j->items[CJM_OPPORTUNITY].len; i++)
        check_list(c, j, j->items[CJM_OPPORTUNITY].items[i], CJM_ATTR_LINKS,
                   list_of(j->items[CJM_OPPORTUNITY].items[i], CJM_ATTR_LINKS),
                   B(CJM_PAINPOINT) | B(CJM_GAP), "pain point or gap");
}

int cjm_map_validate(const cjm_map *map, cjm_problems **out)
{
    vctx c;
    if (!out)
        return cjm__error(CJM_EINVAL, "cjm_map_validate: out is NULL");
    *out = NULL;
    if (!map)
        return cjm__error(CJM_EINVAL, "cjm_map_validate: map is NULL");
    memset(&c, 0, sizeof c);
    c.map = map;
    c.out = cjm__calloc(&map->alloc, 1, sizeof *c.out);
    if (!c.out)
        return CJM_ENOMEM;
    c.out->alloc = map->alloc;
    for (int k = 0; k < CJM_STAGE; k++)
        for (size_t i = 0; i < map->items[k].len; i++)
            check_ranges(&c, NULL, map->items[k].items[i]);
    for (size_t i = 0; i < map->journeys.len && c.rc == 0; i++)
        check_journey(&c, map->journeys.items[i]);
    if (c.rc < 0) {
        cjm_problems_free(c.out);
        /* later look-ups may have overwritten the record of the failure */
        return cjm__oom();
    }
    *out = c.out;
    return 0;
}

size_t cjm_problems_count(const cjm_problems *p) { return p ? p->len : 0; }
size_t cjm_problems_errors(const cjm_problems *p) { return p ? p->errors : 0; }

const cjm_problem *cjm_problems_at(const cjm_problems *p, size_t index)
{
    return (p && index < p->len) ? &p->v[index] : NULL;
}

void cjm_problems_free(cjm_problems *p)
{
    cjm_allocator a;
    if (!p)
        return;
    a = p->alloc;
    for (size_t i = 0; i < p->len; i++) {
        cjm__free(&a, (char *)p->v[i].message);
        cjm__free(&a, (char *)p->v[i].journey);
        cjm__free(&a, (char *)p->v[i].item);
    }
    cjm__free(&a, p->v);
    cjm__free(&a, p);
}
