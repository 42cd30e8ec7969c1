/*
 * The serialised form of a mining result, for moving partial results
 * between processes. Layout (every integer an unsigned LEB128 varint,
 * signed ones zigzag-encoded first, every string a length and its bytes):
 *
 *   "CJMMINE" 0x00, format version (1)
 *   key count, keys; channel key present (0/1) [, channel key]
 *   max activities, max variants, max variant length
 *   counter count, then per counter: the count inside traces, outside traces
 *   channel count, channel names
 *   activity count, then per activity: name, events, starts, ends,
 *     channel count, then (channel index, events) pairs
 *   transition count, then per transition: from, to, volume, duration
 *     count, sum low, sum high, min, max (zigzag), bin count, then
 *     (bin, values) pairs with strictly increasing bins
 *   variant count, then per variant: traces, length, activity indices
 *
 * A result is serialised in its canonical order, so equal results give
 * equal bytes.
 */
#include <string.h>

#include "xes/xes.h"

static const char magic[8] = {'C', 'J', 'M', 'M', 'I', 'N', 'E', 0};
#define FORMAT 1

static int put_u(cjm__buf *b, uint64_t v)
{
    char tmp[10];
    int n = 0;
    do {
        unsigned char c = v & 0x7F;
        v >>= 7;
        tmp[n++] = (char)(c | (v ? 0x80 : 0));
    } while (v);
    return cjm__buf_put(b, tmp, (size_t)n);
}

static int put_i(cjm__buf *b, int64_t v)
{
    return put_u(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static int put_s(cjm__buf *b, const char *s)
{
    size_t n = strlen(s);
    if (put_u(b, n) < 0)
        return CJM_ENOMEM;
    return cjm__buf_put(b, s, n);
}

int cjm_mine_serialize(const cjm_mine_result *r, cjm_buffer *out)
{
    cjm__buf b;
    if (!r || !out)
        return cjm__error(CJM_EINVAL, "cjm_mine_serialize: NULL argument");
    cjm__buf_init(&b, &r->alloc);
    cjm__buf_put(&b, magic, sizeof magic);
    put_u(&b, FORMAT);
    put_u(&b, r->nkeys);
    for (size_t i = 0; i < r->nkeys; i++)
        put_s(&b, r->keys[i]);
    put_u(&b, r->channel_key != NULL);
    if (r->channel_key)
        put_s(&b, r->channel_key);
    put_u(&b, r->max_activities);
    put_u(&b, r->max_variants);
    put_u(&b, r->max_variant_length);
    put_u(&b, CJM_MINE_COUNTER_COUNT);
    for (int c = 0; c < CJM_MINE_COUNTER_COUNT; c++) {
        put_u(&b, r->counters[c]);
        put_u(&b, r->header[c]);
    }
    put_u(&b, r->nchans);
    for (size_t i = 0; i < r->nchans; i++)
        put_s(&b, r->chans[i]);
    put_u(&b, r->nacts);
    for (size_t i = 0; i < r->nacts; i++) {
        const xes_act *x = r->acts[i];
        put_s(&b, x->name);
        put_u(&b, x->events);
        put_u(&b, x->starts);
        put_u(&b, x->ends);
        put_u(&b, x->nchan);
        for (uint32_t k = 0; k < x->nchan; k++) {
            put_u(&b, x->chan[k]);
            put_u(&b, x->chan_n[k]);
        }
    }
    put_u(&b, r->ntrans);
    for (size_t i = 0; i < r->ntrans; i++) {
        const xes_trans *t = &r->trans[i];
        put_u(&b, t->from);
        put_u(&b, t->to);
        put_u(&b, t->volume);
        put_u(&b, t->d.count);
        put_u(&b, t->d.sum_lo);
        put_u(&b, t->d.sum_hi);
        put_i(&b, t->d.min);
        put_i(&b, t->d.max);
        {
            uint32_t used = 0;
            for (uint32_t k = 0; k < t->d.len; k++)
                used += t->d.n[k] != 0;
            put_u(&b, used);
            for (uint32_t k = 0; k < t->d.len; k++) {
                if (t->d.n[k]) {
                    put_u(&b, t->d.lo + k);
                    put_u(&b, t->d.n[k]);
                }
            }
        }
    }
    put_u(&b, r->nvars);
    for (size_t i = 0; i < r->nvars; i++) {
        const xes_var *v = &r->vars[i];
        put_u(&b, v->count);
        put_u(&b, v->len);
        for (uint32_t k = 0; k < v->len; k++)
            put_u(&b, v->seq[k]);
    }
    if (b.failed) {
        cjm__buf_free(&b);
        return cjm__oom();
    }
    return cjm__buf_to_public(&b, out);
}

/* ---- reading back ------------------------------------------------------------ */

typedef struct rd {
    const unsigned char *p, *end;
    int bad;
} rd;

static uint64_t get_u(rd *s)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        unsigned char c;
        if (s->p >= s->end) {
            s->bad = 1;
            return 0;
        }
        c = *s->p++;
        if (shift == 63 && c > 1) {
            s->bad = 1;
            return 0;
        }
        v |= (uint64_t)(c & 0x7F) << shift;
        if (!(c & 0x80))
            return v;
    }
    s->bad = 1;
    return 0;
}

static int64_t get_i(rd *s)
{
    uint64_t u = get_u(s);
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* A count of items that each take at least one byte: never more than what is left. */
static uint64_t get_n(rd *s)
{
    uint64_t n = get_u(s);
    if (n > (uint64_t)(s->end - s->p))
        s->bad = 1;
    return s->bad ? 0 : n;
}

/* A string: copied NUL-terminated into `tmp` (grown as needed). */
static const char *get_s(rd *s, cjm__buf *tmp)
{
    uint64_t n = get_n(s);
    if (s->bad)
        return NULL;
    tmp->len = 0;
    if (cjm__buf_put(tmp, (const char *)s->p, (size_t)n) < 0)
        return NULL;
    s->p += n;
    if (!cjm__text_ok(tmp->data)) {
        s->bad = 1;
        return NULL;
    }
    return tmp->data;
}

#define BAD(msg)                                                                        \
    do {                                                                                \
        rc = cjm__error(CJM_EPARSE, "not a valid serialised mining result: %s", msg); \
        goto fail;                                                                      \
    } while (0)
#define CHECK(what)                  \
    do {                             \
        if (tmp.failed)              \
            goto oom;                \
        if (s.bad)                   \
            BAD(what);               \
    } while (0)

int cjm_mine_deserialize(cjm_mine_result **out, const void *data, size_t size,
                         const cjm_allocator *allocator)
{
    const cjm_allocator *a = cjm__alloc_or_default(allocator);
    rd s;
    cjm__buf tmp;
    char **keys = NULL;
    char *chkey = NULL;
    size_t nkeys = 0;
    uint64_t max_acts, max_vars, max_len, ncounters, nchans, nacts, ntrans, nvars;
    cjm_mine_result *r = NULL;
    unsigned *seq = NULL;
    int rc;

    if (!out || (!data && size))
        return cjm__error(CJM_EINVAL, "cjm_mine_deserialize: NULL argument");
    cjm__buf_init(&tmp, a);
    s.p = data ? data : (const void *)"";
    s.end = s.p + size;
    s.bad = 0;
    if (size < sizeof magic || memcmp(data, magic, sizeof magic) != 0)
        BAD("the bytes do not begin with the format's signature");
    s.p += sizeof magic;
    if (get_u(&s) != FORMAT)
        BAD("an unknown format version");
    nkeys = (size_t)get_n(&s);
    CHECK("truncated keys");
    if (nkeys == 0)
        BAD("no activity keys");
    if (!(keys = cjm__calloc(a, nkeys, sizeof *keys)))
        goto oom;
    for (size_t i = 0; i < nkeys; i++) {
        const char *k = get_s(&s, &tmp);
        CHECK("a damaged key");
        if (!*k)
            BAD("an empty key");
        if (!(keys[i] = cjm__strdup(a, k)))
            goto oom;
    }
    if (get_u(&s)) {
        const char *k = get_s(&s, &tmp);
        CHECK("a damaged channel key");
        if (!(chkey = cjm__strdup(a, k)))
            goto oom;
    }
    max_acts = get_u(&s);
    max_vars = get_u(&s);
    max_len = get_u(&s);
    CHECK("truncated limits");
    if (max_acts == 0 || max_vars == 0 || max_len == 0 || max_acts > UINT32_MAX ||
        max_vars > UINT32_MAX || max_len > UINT32_MAX)
        BAD("limits out of range");
    if ((rc = xes_result_new(&r, a, (const char *const *)keys, nkeys, chkey, (size_t)max_acts,
                             (size_t)max_vars, (size_t)max_len)) < 0)
        goto fail;
    ncounters = get_u(&s);
    CHECK("truncated counters");
    if (ncounters != CJM_MINE_COUNTER_COUNT)
        BAD("a different number of counters");
    for (int c = 0; c < CJM_MINE_COUNTER_COUNT; c++) {
        r->counters[c] = get_u(&s);
        r->header[c] = get_u(&s);
    }
    nchans = get_n(&s);
    CHECK("truncated counters");
    for (uint64_t i = 0; i < nchans; i++) {
        const char *n = get_s(&s, &tmp);
        uint32_t idx;
        CHECK("a damaged channel name");
        if ((rc = xes_chan_intern(r, n, strlen(n), &idx)) < 0)
            goto fail;
        if (idx != i)
            BAD("a channel named twice");
    }
    nacts = get_n(&s);
    CHECK("truncated activities");
    for (uint64_t i = 0; i < nacts; i++) {
        const char *n = get_s(&s, &tmp);
        uint32_t idx;
        uint64_t nch;
        xes_act *x;
        CHECK("a damaged activity");
        if ((rc = xes_act_intern(r, n, strlen(n), &idx)) < 0) {
            if (rc == CJM_ELIMIT)
                BAD("more activities than its limit");
            goto fail;
        }
        if (idx != i)
            BAD("an activity named twice");
        x = r->acts[idx];
        x->events = get_u(&s);
        x->starts = get_u(&s);
        x->ends = get_u(&s);
        nch = get_n(&s);
        CHECK("a damaged activity");
        for (uint64_t k = 0; k < nch; k++) {
            uint64_t c = get_u(&s), n2 = get_u(&s);
            CHECK("a damaged channel count");
            if (c >= nchans)
                BAD("a channel index out of range");
            for (uint32_t j = 0; j < x->nchan; j++)
                if (x->chan[j] == c)
                    BAD("a channel counted twice");
            if ((rc = xes_act_add_channel(r, x, (uint32_t)c, n2)) < 0)
                goto fail;
        }
    }
    ntrans = get_n(&s);
    CHECK("truncated transitions");
    for (uint64_t i = 0; i < ntrans; i++) {
        uint64_t from = get_u(&s), to = get_u(&s), nb;
        xes_trans *t;
        CHECK("a damaged transition");
        if (from >= nacts || to >= nacts)
            BAD("a transition between unknown activities");
        if ((rc = xes_trans_get(r, (uint32_t)from, (uint32_t)to, &t)) < 0)
            goto fail;
        if (t->volume || t->d.count || t->d.len)
            BAD("a transition listed twice");
        t->volume = get_u(&s);
        t->d.count = get_u(&s);
        t->d.sum_lo = get_u(&s);
        t->d.sum_hi = get_u(&s);
        t->d.min = get_i(&s);
        t->d.max = get_i(&s);
        nb = get_n(&s);
        CHECK("a damaged transition");
        if (t->d.count && (t->d.min < 0 || t->d.max < t->d.min))
            BAD("durations out of range");
        for (uint64_t k = 0, last = 0; k < nb; k++) {
            uint64_t bin = get_u(&s), n2 = get_u(&s);
            CHECK("a damaged histogram");
            if (bin >= XES_BINS || (k > 0 && bin <= last) || n2 == 0)
                BAD("histogram bins out of order or empty");
            last = bin;
            if (xes_dur_add_bin(r, &t->d, (unsigned)bin, n2) < 0)
                goto oom;
        }
    }
    nvars = get_n(&s);
    CHECK("truncated variants");
    for (uint64_t i = 0; i < nvars; i++) {
        uint64_t count = get_u(&s), len = get_n(&s);
        int dropped;
        CHECK("a damaged variant");
        if (len == 0 || len > r->max_variant_length)
            BAD("a variant length out of range");
        cjm__free(a, seq);
        if (!(seq = cjm__malloc(a, (size_t)len * sizeof *seq)))
            goto oom;
        for (uint64_t k = 0; k < len; k++) {
            uint64_t v = get_u(&s);
            CHECK("a damaged variant");
            if (v >= nacts)
                BAD("a variant with an unknown activity");
            seq[k] = (unsigned)v;
        }
        size_t before = r->nvars;
        if ((rc = xes_var_add(r, seq, (uint32_t)len, count, &dropped)) < 0)
            goto fail;
        if (dropped || r->nvars == before)
            BAD("a variant listed twice or beyond its limit");
    }
    if (s.p != s.end)
        BAD("bytes after the end");
    if ((rc = xes_result_canon(r)) < 0)
        goto fail;
    cjm__buf_free(&tmp);
    for (size_t i = 0; i < nkeys; i++)
        cjm__free(a, keys[i]);
    cjm__free(a, keys);
    cjm__free(a, chkey);
    cjm__free(a, seq);
    *out = r;
    return 0;
oom:
    rc = cjm__oom();
fail:
    cjm__buf_free(&tmp);
    if (keys)
        for (size_t i = 0; i < nkeys; i++)
            cjm__free(a, keys[i]);
    cjm__free(a, keys);
    cjm__free(a, chkey);
    cjm__free(a, seq);
    cjm_mine_result_free(r);
    return rc;
}
