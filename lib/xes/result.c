/*
 * The mining result: its tables, the additive primitives, merging, the
 * canonical order and the public accessors.
 */
#include <stdlib.h>
#include <string.h>

#include "xes/xes.h"

static const char *const counter_names[CJM_MINE_COUNTER_COUNT] = {
    [CJM_MINE_TRACES] = "traces",
    [CJM_MINE_EVENTS] = "events",
    [CJM_MINE_TRACES_EMPTY] = "traces-empty",
    [CJM_MINE_EVENTS_UNCLASSIFIED] = "events-unclassified",
    [CJM_MINE_EVENTS_OUTSIDE_TRACE] = "events-outside-trace",
    [CJM_MINE_DATES_NO_TIMEZONE] = "dates-no-timezone",
    [CJM_MINE_VALUES_INVALID] = "values-invalid",
    [CJM_MINE_ATTRIBUTES_NO_KEY] = "attributes-no-key",
    [CJM_MINE_ELEMENTS_UNKNOWN] = "elements-unknown",
    [CJM_MINE_EXTENSIONS_ODD] = "extensions-odd",
    [CJM_MINE_PAIRS_TIMED] = "pairs-timed",
    [CJM_MINE_PAIRS_UNTIMED] = "pairs-untimed",
    [CJM_MINE_PAIRS_OUT_OF_ORDER] = "pairs-out-of-order",
    [CJM_MINE_VARIANTS_TOO_LONG] = "variants-too-long",
    [CJM_MINE_VARIANTS_DROPPED] = "variants-dropped",
};

const char *cjm_mine_counter_name(cjm_mine_counter counter)
{
    if ((unsigned)counter >= CJM_MINE_COUNTER_COUNT)
        return NULL;
    return counter_names[counter];
}

/* ---- the duration histogram --------------------------------------------- */

unsigned xes_bin_of(uint64_t ms)
{
    unsigned e = 63;
    if (ms < XES_SUB)
        return (unsigned)ms;
#if defined(__GNUC__) || defined(__clang__)
    e = 63u - (unsigned)__builtin_clzll(ms); /* the highest bit set: one instruction */
#else
    while (!(ms >> e))
        e--;
#endif
    return XES_SUB + (e - XES_SUB_BITS) * XES_SUB +
           (unsigned)((ms >> (e - XES_SUB_BITS)) & (XES_SUB - 1));
}

uint64_t xes_bin_value(unsigned bin)
{
    unsigned k, m;
    uint64_t lo, width;
    if (bin < XES_SUB)
        return bin;
    k = (bin - XES_SUB) / XES_SUB;
    m = (bin - XES_SUB) % XES_SUB;
    lo = (uint64_t)(XES_SUB + m) << k;
    width = (uint64_t)1 << k;
    return lo + (width - 1) / 2;
}

/* ---- the store of bins ---------------------------------------------------- */

/* A zeroed window of `k` octaves, NULL when no memory is left. */
static uint64_t *store_take(cjm_mine_result *r, uint32_t k)
{
    xes_store *s = &r->store;
    uint64_t *p = s->spare[k];
    if (p) {
        memcpy(&s->spare[k], p, sizeof s->spare[k]);
        p[0] = 0;
        return p;
    }
    if (s->left < k) {
        void **b = cjm__calloc(&r->alloc, 1, XES_STORE_BLOCK);
        char *at;
        if (!b)
            return NULL;
        if (s->left) {
            /* the end of the older block, kept for a window that fits */
            memcpy(s->next, &s->spare[s->left], sizeof s->spare[s->left]);
            s->spare[s->left] = s->next;
        }
        *b = s->blocks;
        s->blocks = b;
        /* windows begin on a cache line */
        at = (char *)(b + 1);
        at += (64 - (uintptr_t)at % 64) % 64;
        s->next = (uint64_t *)(void *)at;
        s->left = (size_t)((char *)b + XES_STORE_BLOCK - at) / (XES_SUB * sizeof *p);
    }
    p = s->next;
    s->next += (size_t)k * XES_SUB;
    s->left -= k;
    return p;
}

/* Gives up window `p` of `k` octaves: zeroed now, while it is in the caches. */
static void store_give(cjm_mine_result *r, uint64_t *p, uint32_t k)
{
    xes_store *s = &r->store;
    memset(p, 0, (size_t)k * XES_SUB * sizeof *p);
    memcpy(p, &s->spare[k], sizeof s->spare[k]);
    s->spare[k] = p;
}

static void store_free(cjm_mine_result *r)
{
    void *b = r->store.blocks;
    while (b) {
        void *older = *(void **)b;
        cjm__free(&r->alloc, b);
        b = older;
    }
}

int xes_dur_add_bin(cjm_mine_result *r, xes_dur *d, unsigned bin, uint64_t n)
{
    uint32_t o = bin / XES_SUB, lo, hi, olo, ohi, slack;
    uint64_t *p;
    if (d->len && bin >= d->lo && bin - d->lo < d->len) {
        d->n[bin - d->lo] += n;
        return 0;
    }
    /* Widen the window to take `bin`, with room to spare on that side. */
    olo = d->lo / XES_SUB;
    ohi = (d->lo + d->len) / XES_SUB;
    slack = (ohi - olo) / 2 > 1 ? (ohi - olo) / 2 : 1;
    if (!d->len) {
        lo = o;
        hi = o + 1;
    } else if (o < olo) {
        lo = o > slack ? o - slack : 0;
        hi = ohi;
    } else {
        lo = olo;
        hi = o + 1 + slack;
    }
    if (hi > XES_OCTAVES)
        hi = XES_OCTAVES;
    if (!(p = store_take(r, hi - lo)))
        return CJM_ENOMEM;
    if (d->len) {
        memcpy(p + (d->lo - lo * XES_SUB), d->n, d->len * sizeof *p);
        store_give(r, d->n, ohi - olo);
    }
    d->n = p;
    d->lo = lo * XES_SUB;
    d->len = (hi - lo) * XES_SUB;
    d->n[bin - d->lo] += n;
    return 0;
}

static void sum_add(xes_dur *d, uint64_t lo, uint64_t hi)
{
    d->sum_lo += lo;
    d->sum_hi += hi + (d->sum_lo < lo);
}

void xes_dur_note(xes_dur *d, uint64_t ms)
{
    if (d->count == 0 || (int64_t)ms < d->min)
        d->min = (int64_t)ms;
    if (d->count == 0 || (int64_t)ms > d->max)
        d->max = (int64_t)ms;
    d->count++;
    sum_add(d, ms, 0);
}

int xes_dur_add(cjm_mine_result *r, xes_dur *d, uint64_t ms)
{
    if (xes_dur_add_bin(r, d, xes_bin_of(ms), 1) < 0)
        return CJM_ENOMEM;
    xes_dur_note(d, ms);
    return 0;
}

int xes_dur_merge(cjm_mine_result *r, xes_dur *dst, const xes_dur *src)
{
    if (src->count == 0)
        return 0;
    for (uint32_t i = 0; i < src->len; i++)
        if (src->n[i] && xes_dur_add_bin(r, dst, src->lo + i, src->n[i]) < 0)
            return CJM_ENOMEM;
    if (dst->count == 0 || src->min < dst->min)
        dst->min = src->min;
    if (dst->count == 0 || src->max > dst->max)
        dst->max = src->max;
    dst->count += src->count;
    sum_add(dst, src->sum_lo, src->sum_hi);
    return 0;
}

/* The nearest-rank quantile `pct`/100 from the histogram, clamped to [min, max]. */
static long long dur_quantile(const xes_dur *d, unsigned pct)
{
    uint64_t rank, seen = 0;
    if (d->count == 0)
        return 0;
    /* ceil(pct * count / 100) without overflow for any count */
    rank = d->count / 100 * pct + (d->count % 100 * pct + 99) / 100;
    if (rank < 1)
        rank = 1;
    for (uint32_t i = 0; i < d->len; i++) {
        seen += d->n[i];
        if (seen >= rank) {
            int64_t v = (int64_t)xes_bin_value(d->lo + i);
            if (v < d->min)
                v = d->min;
            if (v > d->max)
                v = d->max;
            return v;
        }
    }
    return d->max;
}

/* ---- the result ------------------------------------------------------------ */

int xes_result_new(cjm_mine_result **out, const cjm_allocator *alloc, const char *const *keys,
                   size_t nkeys, const char *channel_key, size_t max_activities,
                   size_t max_variants, size_t max_variant_length)
{
    const cjm_allocator *a = cjm__alloc_or_default(alloc);
    cjm_mine_result *r = cjm__calloc(a, 1, sizeof *r);
    if (!r)
        return CJM_ENOMEM;
    r->alloc = *a;
    r->max_activities = max_activities ? max_activities : XES_DEFAULT_MAX_ACTIVITIES;
    r->max_variants = max_variants ? max_variants : XES_DEFAULT_MAX_VARIANTS;
    r->max_variant_length =
        max_variant_length ? max_variant_length : XES_DEFAULT_MAX_VARIANT_LENGTH;
    if (nkeys) {
        r->keys = cjm__calloc(&r->alloc, nkeys, sizeof *r->keys);
        if (!r->keys)
            goto oom;
        r->nkeys = nkeys;
        for (size_t i = 0; i < nkeys; i++)
            if (!(r->keys[i] = cjm__strdup(&r->alloc, keys[i])))
                goto oom;
    }
    if (channel_key && !(r->channel_key = cjm__strdup(&r->alloc, channel_key)))
        goto oom;
    *out = r;
    return 0;
oom:
    cjm_mine_result_free(r);
    return CJM_ENOMEM;
}

void cjm_mine_result_free(cjm_mine_result *r)
{
    const cjm_allocator *a;
    if (!r)
        return;
    a = &r->alloc;
    for (size_t i = 0; i < r->nkeys; i++)
        cjm__free(a, r->keys[i]);
    cjm__free(a, r->keys);
    cjm__free(a, r->channel_key);
    for (size_t i = 0; i < r->nacts; i++) {
        xes_act *x = r->acts[i];
        cjm__free(a, x->name);
        cjm__free(a, x->chan);
        cjm__free(a, x->chan_n);
        cjm__free(a, x);
    }
    cjm__free(a, r->acts);
    cjm__hmap_free(a, &r->act_index);
    for (size_t i = 0; i < r->nchans; i++)
        cjm__free(a, r->chans[i]);
    cjm__free(a, r->chans);
    cjm__hmap_free(a, &r->chan_index);
    store_free(r);
    cjm__free(a, r->trans);
    cjm__free(a, r->tslots);
    for (size_t i = 0; i < r->nvars; i++)
        cjm__free(a, r->vars[i].seq);
    cjm__free(a, r->vars);
    cjm__free(a, r->vslots);
    cjm__free(a, r);
}

static int grow(const cjm_allocator *a, void **items, size_t *cap, size_t need, size_t size)
{
    size_t n;
    void *p;
    if (need <= *cap)
        return 0;
    n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    p = cjm__realloc(a, *items, n * size);
    if (!p)
        return CJM_ENOMEM;
    *items = p;
    *cap = n;
    return 0;
}

int xes_act_intern(cjm_mine_result *r, const char *name, size_t len, uint32_t *index)
{
    void *v = cjm__hmap_get(&r->act_index, name);
    xes_act *x;
    (void)len;
    if (v) {
        *index = (uint32_t)((uintptr_t)v - 1);
        return 0;
    }
    if (r->nacts >= r->max_activities)
        return cjm__error(CJM_ELIMIT, "the log has more than %zu distinct activities",
                          r->max_activities);
    if (grow(&r->alloc, (void **)&r->acts, &r->capacts, r->nacts + 1, sizeof *r->acts) < 0)
        return CJM_ENOMEM;
    x = cjm__calloc(&r->alloc, 1, sizeof *x);
    if (!x)
        return CJM_ENOMEM;
    if (!(x->name = cjm__strdup(&r->alloc, name))) {
        cjm__free(&r->alloc, x);
        return CJM_ENOMEM;
    }
    if (cjm__hmap_put(&r->alloc, &r->act_index, x->name, (void *)(uintptr_t)(r->nacts + 1)) < 0) {
        cjm__free(&r->alloc, x->name);
        cjm__free(&r->alloc, x);
        return CJM_ENOMEM;
    }
    r->acts[r->nacts] = x;
    *index = (uint32_t)r->nacts++;
    return 0;
}

int xes_chan_intern(cjm_mine_result *r, const char *name, size_t len, uint32_t *index)
{
    void *v = cjm__hmap_get(&r->chan_index, name);
    char *s;
    (void)len;
    if (v) {
        *index = (uint32_t)((uintptr_t)v - 1);
        return 0;
    }
    if (r->nchans >= r->max_activities)
        return cjm__error(CJM_ELIMIT, "the log has more than %zu distinct channels",
                          r->max_activities);
    if (grow(&r->alloc, (void **)&r->chans, &r->capchans, r->nchans + 1, sizeof *r->chans) < 0)
        return CJM_ENOMEM;
    if (!(s = cjm__strdup(&r->alloc, name)))
        return CJM_ENOMEM;
    if (cjm__hmap_put(&r->alloc, &r->chan_index, s, (void *)(uintptr_t)(r->nchans + 1)) < 0) {
        cjm__free(&r->alloc, s);
        return CJM_ENOMEM;
    }
    r->chans[r->nchans] = s;
    *index = (uint32_t)r->nchans++;
    return 0;
}

int xes_act_add_channel(cjm_mine_result *r, xes_act *x, uint32_t chan, uint64_t n)
{
    for (uint32_t i = 0; i < x->nchan; i++) {
        if (x->chan[i] == chan) {
            x->chan_n[i] += n;
            return 0;
        }
    }
    if (x->nchan == x->capchan) {
        uint32_t cap = x->capchan ? x->capchan * 2 : 2;
        uint32_t *c = cjm__realloc(&r->alloc, x->chan, cap * sizeof *c);
        uint64_t *m;
        if (!c)
            return CJM_ENOMEM;
        x->chan = c;
        m = cjm__realloc(&r->alloc, x->chan_n, cap * sizeof *m);
        if (!m)
            return CJM_ENOMEM;
        x->chan_n = m;
        x->capchan = cap;
    }
    x->chan[x->nchan] = chan;
    x->chan_n[x->nchan++] = n;
    return 0;
}

static uint64_t mix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static uint64_t trans_hash(uint32_t from, uint32_t to)
{
    return mix64(((uint64_t)from << 32) | to);
}

/* Rebuilds a slot table of `cap` (a power of two) for `n` entries. */
static void tslots_fill(cjm_mine_result *r)
{
    size_t mask = r->tcap - 1;
    memset(r->tslots, 0, r->tcap * sizeof *r->tslots);
    for (size_t i = 0; i < r->ntrans; i++) {
        size_t j = (size_t)trans_hash(r->trans[i].from, r->trans[i].to) & mask;
        while (r->tslots[j])
            j = (j + 1) & mask;
        r->tslots[j] = (uint32_t)(i + 1);
    }
}

int xes_trans_get(cjm_mine_result *r, uint32_t from, uint32_t to, xes_trans **out)
{
    size_t mask, j;
    xes_trans *t;
    if (r->tcap) {
        mask = r->tcap - 1;
        for (j = (size_t)trans_hash(from, to) & mask; r->tslots[j]; j = (j + 1) & mask) {
            t = &r->trans[r->tslots[j] - 1];
            if (t->from == from && t->to == to) {
                *out = t;
                return 0;
            }
        }
    }
    if ((r->ntrans + 1) * 2 > r->tcap) {
        size_t cap = r->tcap ? r->tcap * 2 : 64;
        uint32_t *s = cjm__calloc(&r->alloc, cap, sizeof *s);
        if (!s)
            return CJM_ENOMEM;
        cjm__free(&r->alloc, r->tslots);
        r->tslots = s;
        r->tcap = cap;
        tslots_fill(r);
    }
    if (grow(&r->alloc, (void **)&r->trans, &r->captrans, r->ntrans + 1, sizeof *r->trans) < 0)
        return CJM_ENOMEM;
    t = &r->trans[r->ntrans];
    memset(t, 0, sizeof *t);
    t->from = from;
    t->to = to;
    mask = r->tcap - 1;
    for (j = (size_t)trans_hash(from, to) & mask; r->tslots[j]; j = (j + 1) & mask)
        ;
    r->tslots[j] = (uint32_t)(++r->ntrans);
    *out = t;
    return 0;
}

static uint64_t seq_hash(const unsigned *seq, uint32_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ len;
    for (uint32_t i = 0; i < len; i++)
        h = mix64(h ^ seq[i]) + i;
    return h;
}

static void vslots_fill(cjm_mine_result *r)
{
    size_t mask = r->vcap - 1;
    memset(r->vslots, 0, r->vcap * sizeof *r->vslots);
    for (size_t i = 0; i < r->nvars; i++) {
        size_t j = (size_t)r->vars[i].hash & mask;
        while (r->vslots[j])
            j = (j + 1) & mask;
        r->vslots[j] = (uint32_t)(i + 1);
    }
}

int xes_var_add(cjm_mine_result *r, const unsigned *seq, uint32_t len, uint64_t count,
                int *dropped)
{
    uint64_t h = seq_hash(seq, len);
    size_t mask, j;
    xes_var *v;
    *dropped = 0;
    if (r->vcap) {
        mask = r->vcap - 1;
        for (j = (size_t)h & mask; r->vslots[j]; j = (j + 1) & mask) {
            v = &r->vars[r->vslots[j] - 1];
            if (v->hash == h && v->len == len &&
                (len == 0 || memcmp(v->seq, seq, len * sizeof *seq) == 0)) {
                v->count += count;
                return 0;
            }
        }
    }
    if (r->nvars >= r->max_variants) {
        *dropped = 1;
        return 0;
    }
    if ((r->nvars + 1) * 2 > r->vcap) {
        size_t cap = r->vcap ? r->vcap * 2 : 64;
        uint32_t *s = cjm__calloc(&r->alloc, cap, sizeof *s);
        if (!s)
            return CJM_ENOMEM;
        cjm__free(&r->alloc, r->vslots);
        r->vslots = s;
        r->vcap = cap;
        vslots_fill(r);
    }
    if (grow(&r->alloc, (void **)&r->vars, &r->capvars, r->nvars + 1, sizeof *r->vars) < 0)
        return CJM_ENOMEM;
    v = &r->vars[r->nvars];
    memset(v, 0, sizeof *v);
    if (len) {
        v->seq = cjm__malloc(&r->alloc, len * sizeof *seq);
        if (!v->seq)
            return CJM_ENOMEM;
        memcpy(v->seq, seq, len * sizeof *seq);
    }
    v->len = len;
    v->count = count;
    v->hash = h;
    mask = r->vcap - 1;
    for (j = (size_t)h & mask; r->vslots[j]; j = (j + 1) & mask)
        ;
    r->vslots[j] = (uint32_t)(++r->nvars);
    return 0;
}

int xes_same_keys(const cjm_mine_result *a, const cjm_mine_result *b)
{
    if (a->nkeys != b->nkeys)
        return 0;
    for (size_t i = 0; i < a->nkeys; i++)
        if (strcmp(a->keys[i], b->keys[i]) != 0)
            return 0;
    if (!a->channel_key != !b->channel_key)
        return 0;
    return !a->channel_key || strcmp(a->channel_key, b->channel_key) == 0;
}

int xes_result_add(cjm_mine_result *dst, const cjm_mine_result *src)
{
    const cjm_allocator *a = &dst->alloc;
    uint32_t *amap = NULL, *cmap = NULL;
    unsigned *seq = NULL;
    size_t seqcap = 0;
    int rc = CJM_ENOMEM;

    if (src->nacts && !(amap = cjm__malloc(a, src->nacts * sizeof *amap)))
        goto done;
    if (src->nchans && !(cmap = cjm__malloc(a, src->nchans * sizeof *cmap)))
        goto done;
    for (size_t i = 0; i < src->nchans; i++)
        if ((rc = xes_chan_intern(dst, src->chans[i], strlen(src->chans[i]), &cmap[i])) < 0)
            goto done;
    for (size_t i = 0; i < src->nacts; i++) {
        const xes_act *s = src->acts[i];
        xes_act *d;
        if ((rc = xes_act_intern(dst, s->name, strlen(s->name), &amap[i])) < 0)
            goto done;
        d = dst->acts[amap[i]];
        d->events += s->events;
        d->starts += s->starts;
        d->ends += s->ends;
        for (uint32_t k = 0; k < s->nchan; k++)
            if ((rc = xes_act_add_channel(dst, d, cmap[s->chan[k]], s->chan_n[k])) < 0)
                goto done;
    }
    for (size_t i = 0; i < src->ntrans; i++) {
        const xes_trans *s = &src->trans[i];
        xes_trans *d;
        if ((rc = xes_trans_get(dst, amap[s->from], amap[s->to], &d)) < 0)
            goto done;
        d->volume += s->volume;
        if ((rc = xes_dur_merge(dst, &d->d, &s->d)) < 0)
            goto done;
    }
    for (size_t i = 0; i < src->nvars; i++) {
        const xes_var *s = &src->vars[i];
        int dropped;
        if (s->len > seqcap) {
            cjm__free(a, seq);
            seqcap = s->len;
            if (!(seq = cjm__malloc(a, seqcap * sizeof *seq))) {
                rc = CJM_ENOMEM;
                goto done;
            }
        }
        for (uint32_t k = 0; k < s->len; k++)
            seq[k] = amap[s->seq[k]];
        if ((rc = xes_var_add(dst, seq, s->len, s->count, &dropped)) < 0)
            goto done;
        if (dropped)
            dst->counters[CJM_MINE_VARIANTS_DROPPED] += s->count;
    }
    for (int c = 0; c < CJM_MINE_COUNTER_COUNT; c++) {
        dst->counters[c] += src->counters[c];
        if (src->header[c] > dst->header[c])
            dst->header[c] = src->header[c];
    }
    rc = 0;
done:
    cjm__free(a, amap);
    cjm__free(a, cmap);
    cjm__free(a, seq);
    return rc;
}

/* ---- canonical order --------------------------------------------------------- */

static int cmp_act(const void *a, const void *b)
{
    return strcmp((*(xes_act *const *)a)->name, (*(xes_act *const *)b)->name);
}

typedef struct named {
    char *name;
    uint32_t old;
} named;

static int cmp_named(const void *a, const void *b)
{
    return strcmp(((const named *)a)->name, ((const named *)b)->name);
}

static int cmp_trans(const void *a, const void *b)
{
    const xes_trans *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return 0;
}

static int cmp_var(const void *a, const void *b)
{
    const xes_var *x = a, *y = b;
    uint32_t n = x->len < y->len ? x->len : y->len;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    for (uint32_t i = 0; i < n; i++)
        if (x->seq[i] != y->seq[i])
            return x->seq[i] < y->seq[i] ? -1 : 1;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return 0;
}

/* Points every entry of a name index at its new position. */
static void reindex(cjm__hmap *m, const uint32_t *remap)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key && m->slots[i].value)
            m->slots[i].value =
                (void *)(uintptr_t)(remap[(uintptr_t)m->slots[i].value - 1] + 1);
}

int xes_result_canon(cjm_mine_result *r)
{
    const cjm_allocator *a = &r->alloc;
    uint32_t *amap = NULL, *cmap = NULL;
    named *ch = NULL;
    xes_act **order = NULL;

    if (r->nacts && (!(amap = cjm__malloc(a, r->nacts * sizeof *amap)) ||
                     !(order = cjm__malloc(a, r->nacts * sizeof *order))))
        goto oom;
    if (r->nchans && (!(cmap = cjm__malloc(a, r->nchans * sizeof *cmap)) ||
                      !(ch = cjm__malloc(a, r->nchans * sizeof *ch))))
        goto oom;

    /* Nothing below allocates. Activities by name, with old -> new. */
    if (r->nacts) {
        memcpy(order, r->acts, r->nacts * sizeof *order);
        qsort(order, r->nacts, sizeof *order, cmp_act);
        for (size_t i = 0; i < r->nacts; i++) {
            uint32_t old = (uint32_t)((uintptr_t)cjm__hmap_get(&r->act_index, order[i]->name) - 1);
            amap[old] = (uint32_t)i;
        }
        memcpy(r->acts, order, r->nacts * sizeof *order);
        reindex(&r->act_index, amap);
    }
    for (size_t i = 0; i < r->nchans; i++) {
        ch[i].name = r->chans[i];
        ch[i].old = (uint32_t)i;
    }
    if (r->nchans) {
        qsort(ch, r->nchans, sizeof *ch, cmp_named);
        for (size_t i = 0; i < r->nchans; i++) {
            cmap[ch[i].old] = (uint32_t)i;
            r->chans[i] = ch[i].name;
        }
        reindex(&r->chan_index, cmap);
    }
    for (size_t i = 0; i < r->nacts; i++) {
        xes_act *x = r->acts[i];
        for (uint32_t k = 0; k < x->nchan; k++)
            x->chan[k] = cmap[x->chan[k]];
        /* insertion sort: an activity has few channels */
        for (uint32_t k = 1; k < x->nchan; k++) {
            uint32_t c = x->chan[k], j = k;
            uint64_t n = x->chan_n[k];
            while (j > 0 && x->chan[j - 1] > c) {
                x->chan[j] = x->chan[j - 1];
                x->chan_n[j] = x->chan_n[j - 1];
                j--;
            }
            x->chan[j] = c;
            x->chan_n[j] = n;
        }
    }
    for (size_t i = 0; i < r->ntrans; i++) {
        r->trans[i].from = amap[r->trans[i].from];
        r->trans[i].to = amap[r->trans[i].to];
    }
    if (r->ntrans) {
        qsort(r->trans, r->ntrans, sizeof *r->trans, cmp_trans);
        tslots_fill(r);
    }
    for (size_t i = 0; i < r->nvars; i++) {
        xes_var *v = &r->vars[i];
        for (uint32_t k = 0; k < v->len; k++)
            v->seq[k] = amap[v->seq[k]];
        v->hash = seq_hash(v->seq, v->len);
    }
    if (r->nvars) {
        qsort(r->vars, r->nvars, sizeof *r->vars, cmp_var);
        vslots_fill(r);
    }
    cjm__free(a, amap);
    cjm__free(a, cmap);
    cjm__free(a, ch);
    cjm__free(a, order);
    return 0;
oom:
    cjm__free(a, amap);
    cjm__free(a, cmap);
    cjm__free(a, ch);
    cjm__free(a, order);
    return CJM_ENOMEM;
}

/* ---- merging ------------------------------------------------------------------ */

int cjm_mine_merge(cjm_mine_result *into, const cjm_mine_result *from)
{
    cjm_mine_result *r, tmp;
    int rc;
    if (!into || !from)
        return cjm__error(CJM_EINVAL, "cjm_mine_merge: NULL argument");
    if (into == from)
        return cjm__error(CJM_EINVAL, "cjm_mine_merge: a result cannot be merged into itself");
    if (!xes_same_keys(into, from))
        return cjm__error(CJM_EINVAL,
                          "the results were mined with different activity or channel keys");
    rc = xes_result_new(&r, &into->alloc, (const char *const *)into->keys, into->nkeys,
                        into->channel_key, into->max_activities, into->max_variants,
                        into->max_variant_length);
    if (rc < 0)
        return rc;
    if ((rc = xes_result_add(r, into)) < 0 || (rc = xes_result_add(r, from)) < 0 ||
        (rc = xes_result_canon(r)) < 0) {
        cjm_mine_result_free(r);
        return rc;
    }
    tmp = *into;
    *into = *r;
    *r = tmp;
    cjm_mine_result_free(r);
    return 0;
}

/* ---- accessors ------------------------------------------------------------------ */

unsigned long long cjm_mine_count(const cjm_mine_result *r, cjm_mine_counter c)
{
    if (!r || (unsigned)c >= CJM_MINE_COUNTER_COUNT)
        return 0;
    return r->counters[c] + r->header[c];
}

size_t cjm_mine_key_count(const cjm_mine_result *r)
{
    return r ? r->nkeys : 0;
}

const char *cjm_mine_key_at(const cjm_mine_result *r, size_t index)
{
    return r && index < r->nkeys ? r->keys[index] : NULL;
}

const char *cjm_mine_channel_key(const cjm_mine_result *r)
{
    return r ? r->channel_key : NULL;
}

size_t cjm_mine_activity_count(const cjm_mine_result *r)
{
    return r ? r->nacts : 0;
}

int cjm_mine_activity_at(const cjm_mine_result *r, size_t index, cjm_mine_activity *out)
{
    const xes_act *x;
    uint64_t best = 0;
    if (!r || !out)
        return cjm__error(CJM_EINVAL, "cjm_mine_activity_at: NULL argument");
    if (index >= r->nacts)
        return cjm__error(CJM_ENOTFOUND, "no activity %zu: the result has %zu", index,
                          r->nacts);
    x = r->acts[index];
    out->name = x->name;
    out->events = x->events;
    out->starts = x->starts;
    out->ends = x->ends;
    out->channel = NULL;
    /* channels are sorted by name, so the first maximum is the smallest name */
    for (uint32_t k = 0; k < x->nchan; k++) {
        if (x->chan_n[k] > best) {
            best = x->chan_n[k];
            out->channel = r->chans[x->chan[k]];
        }
    }
    return 0;
}

int cjm_mine_activity_find(const cjm_mine_result *r, const char *name, size_t *index)
{
    void *v;
    if (!r || !name || !index)
        return cjm__error(CJM_EINVAL, "cjm_mine_activity_find: NULL argument");
    v = cjm__hmap_get(&r->act_index, name);
    if (!v)
        return cjm__error(CJM_ENOTFOUND, "no activity named '%.200s'", name);
    *index = (size_t)((uintptr_t)v - 1);
    return 0;
}

size_t cjm_mine_transition_count(const cjm_mine_result *r)
{
    return r ? r->ntrans : 0;
}

int cjm_mine_transition_at(const cjm_mine_result *r, size_t index, cjm_mine_transition *out)
{
    const xes_trans *t;
    if (!r || !out)
        return cjm__error(CJM_EINVAL, "cjm_mine_transition_at: NULL argument");
    if (index >= r->ntrans)
        return cjm__error(CJM_ENOTFOUND, "no transition %zu: the result has %zu", index,
                          r->ntrans);
    t = &r->trans[index];
    memset(out, 0, sizeof *out);
    out->from = t->from;
    out->to = t->to;
    out->volume = t->volume;
    out->durations.count = t->d.count;
    if (t->d.count) {
        double sum = (double)t->d.sum_hi * 18446744073709551616.0 + (double)t->d.sum_lo;
        out->durations.mean = sum / (double)t->d.count;
        out->durations.min = t->d.min;
        out->durations.max = t->d.max;
        out->durations.median = dur_quantile(&t->d, 50);
        out->durations.p90 = dur_quantile(&t->d, 90);
    }
    return 0;
}

size_t cjm_mine_variant_count(const cjm_mine_result *r)
{
    return r ? r->nvars : 0;
}

int cjm_mine_variant_at(const cjm_mine_result *r, size_t index, cjm_mine_variant *out)
{
    if (!r || !out)
        return cjm__error(CJM_EINVAL, "cjm_mine_variant_at: NULL argument");
    if (index >= r->nvars)
        return cjm__error(CJM_ENOTFOUND, "no variant %zu: the result has %zu", index, r->nvars);
    out->traces = r->vars[index].count;
    out->length = r->vars[index].len;
    out->activities = r->vars[index].seq;
    return 0;
}
