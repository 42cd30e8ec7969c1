/*
 * The streaming XES reader and miner. A SAX2 push parser (through the
 * hardened set-up of xml/xmlsafe.h) calls back for each element; the
 * reader keeps only the current event, the current trace's last activity
 * and its variant, and adds to the result's tables as it goes, so memory
 * follows the size of the graph, not of the log.
 *
 * Files are read through xes/source.h, which inflates gzip and xz, in
 * chunks whose decompressed size is counted and bounded, both in total and
 * per compressed byte consumed.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>

#include "xes/reader.h"
#include "xes/source.h"
#include "xml/xmlsafe.h"

/* Bytes read at a time: small enough to stay in the nearest caches from the
 * read through the byte scanner to the parser (256 KiB measured slower). */
#define READ_CHUNK (64 * 1024)

enum role {
    R_NONE = 0,
    R_LOG,
    R_EXTENSION,
    R_GLOBAL,
    R_CLASSIFIER,
    R_TRACE,
    R_EVENT,
    R_ATTR,   /* a typed attribute whose content is not looked at */
    R_SKIP    /* ignored with everything inside */
};

enum atype { T_NONE = 0, T_STRING, T_DATE, T_INT, T_FLOAT, T_BOOLEAN, T_ID, T_LIST, T_CONTAINER };

enum scope { SCOPE_LOG = 0, SCOPE_GLOBAL_EVENT, SCOPE_GLOBAL_TRACE, SCOPE_TRACE };

typedef struct gdef {
    char *key;
    char *value;
    int type;
    int64_t ms; /* of a date */
} gdef;

typedef struct cdecl {
    char *name;
    char *keys;
} cdecl;

/*
 * A direct-mapped cache in front of the result's name tables: the few
 * activities and channels of a log come back event after event, and a
 * slot found by a glance at the name (its length and three bytes) saves
 * hashing the whole name and probing the table. A slot is checked against
 * the stored name before it is trusted; it points at the table's own copy,
 * which stays where it is while the log is read.
 */
#define HOT_SLOTS 256

/* Slots of the table of interned type names: twice as many as the names. */
#define TYPE_SLOTS_LOG2 4
#define TYPE_SLOTS (1u << TYPE_SLOTS_LOG2)

typedef struct hot {
    const char *name;
    size_t len;
    uint32_t id; /* index + 1; 0 when empty */
} hot;

/* What an event knows of its channel (or, with one activity key, its activity). */
enum { V_NONE = 0, V_BUFFERED, V_FOUND };

#if defined(__GNUC__) || defined(__clang__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/*
 * Bins of measured durations waiting to be counted. The histograms of a
 * log's transitions together outgrow the nearest caches, so the bin a
 * duration falls into is fetched ahead and counted a few events later,
 * when its line has arrived, instead of stalling the event that measured
 * it. Everything else about the duration is counted at once.
 */
#define BIN_QUEUE 16

typedef struct bin_wait {
    uint32_t trans, bin;
} bin_wait;

typedef struct reader {
    cjm__xml x;
    xmlSAXHandler sax;
    const cjm_allocator *a;
    const cjm_mine_options *o;
    const xes_read_hooks *hooks;
    cjm_mine_result *r;
    unsigned char *roles;
    unsigned char global_scope; /* of the <global> being read */
    int started;                /* the first trace or event was seen */
    uint64_t pending[CJM_MINE_COUNTER_COUNT]; /* header counts before the result exists */
    uint64_t *hdr;              /* pending, then the result's header counts */

    /* declarations before the first trace */
    gdef *globals;
    size_t nglobals, capglobals;
    cdecl *classifiers;
    size_t nclassifiers, capclassifiers;

    /* the current event */
    cjm__buf *vals;
    size_t nvals;
    unsigned char *has;  /* V_NONE, V_BUFFERED, or V_FOUND with one key and `act` */
    uint32_t act, chan_id; /* found in the caches as the attribute was read */
    cjm__buf chan;
    int has_chan;        /* V_NONE, V_BUFFERED, or V_FOUND and `chan_id` */
    int64_t t;
    int has_t;
    cjm__buf name;

    /* event defaults, resolved with the keys */
    const char **defval;
    const char *defchan;
    int64_t deft;
    int has_deft;

    /* the current trace */
    uint32_t prev, first;
    int has_prev, prev_has_t;
    int64_t prev_t;
    unsigned *seq;
    size_t seqlen, seqcap;
    int too_long;
    cjm__buf case_id;
    int has_case_id;
    cjm__buf scratch[2]; /* decoded attribute values */

    /*
     * Names as interned in the parser's dictionary, where SAX2 takes
     * element and attribute names from: comparing pointers is enough.
     */
    struct {
        const xmlChar *name; /* NULL when free */
        int type;
    } type_tab[TYPE_SLOTS]; /* type names by address, open addressing */
    const xmlChar *nm_key, *nm_value;
    const xmlChar *nm_event, *nm_trace;
    size_t *klen;          /* lengths of the activity keys */
    size_t chan_len;
    int wanted_amp;        /* an activity or channel key holds '&' */
    hot hot_act[HOT_SLOTS], hot_chan[HOT_SLOTS];
    xes_date_memo day;         /* of the last event date read */
    bin_wait bins[BIN_QUEUE];
    unsigned nbins, bin_next; /* waiting; the slot of the oldest */
} reader;

/* ---- failures ------------------------------------------------------------ */

/* Records `rc` (an error already described by cjm_error_last()) with the parser's position. */
static int fail_rc(reader *rd, int rc)
{
    char msg[400];
    if (rc == CJM_ENOMEM)
        return cjm__xml_fail(&rd->x, CJM_ENOMEM, "out of memory");
    snprintf(msg, sizeof msg, "%s", cjm_error_last()->message);
    return cjm__xml_fail(&rd->x, rc, "%s", msg);
}

/* ---- values ----------------------------------------------------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int check_int(const char *s, size_t n)
{
    size_t i = 0;
    uint64_t v = 0, limit = (uint64_t)INT64_MAX;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        if (s[i] == '-')
            limit++;
        i++;
    }
    if (i == n)
        return -1;
    for (; i < n; i++) {
        if (!is_digit(s[i]))
            return -1;
        if (v > (limit - (uint64_t)(s[i] - '0')) / 10)
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    return 0;
}

static int check_float(const char *s, size_t n)
{
    size_t i = 0, d = 0;
    if (n == 3 && memcmp(s, "NaN", 3) == 0)
        return 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (n - i == 3 && memcmp(s + i, "INF", 3) == 0)
        return 0;
    while (i < n && is_digit(s[i]))
        i++, d++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && is_digit(s[i]))
            i++, d++;
    }
    if (d == 0)
        return -1;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t e = 0;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        while (i < n && is_digit(s[i]))
            i++, e++;
        if (e == 0)
            return -1;
    }
    return i == n ? 0 : -1;
}

static int check_bool(const char *s, size_t n)
{
    if ((n == 4 && memcmp(s, "true", 4) == 0) || (n == 5 && memcmp(s, "false", 5) == 0) ||
        (n == 1 && (s[0] == '0' || s[0] == '1')))
        return 0;
    return -1;
}

/* An int, float or boolean value: 0 when well formed, -1 when not; 0 for other types. */
static int check_scalar(int type, const char *v, size_t n)
{
    switch (type) {
    case T_INT:
        return check_int(v, n);
    case T_FLOAT:
        return check_float(v, n);
    case T_BOOLEAN:
        return check_bool(v, n);
    default:
        return 0;
    }
}

/* The slot of interned name `p` in the type table. */
static unsigned type_slot(const xmlChar *p)
{
    return (unsigned)(((uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL) >> (64 - TYPE_SLOTS_LOG2));
}

static int type_of(const reader *rd, const xmlChar *name)
{
    /* every element's name is looked up: a glance at a table, not eight compares */
    for (unsigned j = type_slot(name);; j = (j + 1) & (TYPE_SLOTS - 1)) {
        if (rd->type_tab[j].name == name)
            return rd->type_tab[j].type;
        if (!rd->type_tab[j].name)
            return T_NONE;
    }
}

/*
 * Starts the parser, with the state its callbacks need: the roles of the
 * open elements, and the names they compare, looked up in the parser's
 * dictionary. Returns 0 or CJM_ENOMEM.
 */
static int begin_parse(reader *rd, size_t max_depth)
{
    /* the types at their enum values, then the names kept apart */
    enum { N_EVENT = T_CONTAINER + 1, N_TRACE, N_KEY, N_VALUE, N_COUNT };
    static const char *const names[N_COUNT] = {
        NULL,  "string", "date",  "int", "float", "boolean", "id",
        "list", "container", "event", "trace", "key", "value"};
    const xmlChar *nm[N_COUNT];
    int missing = 0, rc;

    if (!(rd->roles = cjm__calloc(rd->a, max_depth + 2, 1)))
        return CJM_ENOMEM;
    if ((rc = cjm__xml_begin_pull(&rd->x, &rd->sax)) < 0)
        return rc;
    for (int i = T_STRING; i < N_COUNT; i++) {
        nm[i] = xmlDictLookup(rd->x.ctxt->dict, (const xmlChar *)names[i], -1);
        missing |= nm[i] == NULL;
    }
    /* a lookup fails only when libxml2's own allocation does */
    if (missing)
        return cjm__oom();
    for (int t = T_STRING; t <= T_CONTAINER; t++) {
        unsigned j = type_slot(nm[t]);
        while (rd->type_tab[j].name)
            j = (j + 1) & (TYPE_SLOTS - 1);
        rd->type_tab[j].name = nm[t];
        rd->type_tab[j].type = t;
    }
    rd->nm_event = nm[N_EVENT];
    rd->nm_trace = nm[N_TRACE];
    rd->nm_key = nm[N_KEY];
    rd->nm_value = nm[N_VALUE];
    return 0;
}

/* Whether the eight bytes at `p` hold byte `c` (exactly: no carries between bytes). */
static int word_holds(const char *p, unsigned char c)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return cjm__word_eq(v, c) != 0;
}

/* Whether [p, end) holds byte `c`: eight bytes at a time, the last eight overlapping. */
static int holds(const char *p, const char *end, unsigned char c)
{
    if (end - p >= 8) {
        for (; end - p > 8; p += 8)
            if (word_holds(p, c))
                return 1;
        return word_holds(end - 8, c);
    }
    for (; p < end; p++)
        if ((unsigned char)*p == c)
            return 1;
    return 0;
}

static int decode_amp(const char *p, const char *end, const char **v, size_t *len,
                      cjm__buf *scratch);

#define HAS_AMP 1 /* '&', handed on by libxml2 as "&#38;" */
#define HAS_DEL 2 /* U+007F */

static uint64_t load8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint32_t load4(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Which of '&' and U+007F [p, end) holds, in one pass. */
static int specials(const char *p, const char *end)
{
    int f = 0;
    if (end - p >= 8) {
        for (; end - p > 8; p += 8)
            f |= word_holds(p, '&') | word_holds(p, 0x7F) << 1;
        return f | word_holds(end - 8, '&') | word_holds(end - 8, 0x7F) << 1;
    }
    if (end - p >= 4) {
        /* two overlapping words of four: exact, as word_holds() */
        uint32_t a = load4(p), b = load4(end - 4);
        const uint32_t ones = 0x01010101u, low7 = 0x7F7F7F7Fu;
        uint32_t y1 = a ^ (ones * '&'), y2 = b ^ (ones * '&');
        uint32_t d1 = a ^ (ones * 0x7F), d2 = b ^ (ones * 0x7F);
        f |= ((~(((y1 & low7) + low7) | y1) | ~(((y2 & low7) + low7) | y2)) & ~low7) != 0;
        f |= (((~(((d1 & low7) + low7) | d1) | ~(((d2 & low7) + low7) | d2)) & ~low7) != 0) << 1;
        return f;
    }
    for (; p < end; p++)
        f |= (*p == '&') | (*p == 0x7F) << 1;
    return f;
}


/*
 * Whether the `n` bytes at `a` and `b` are equal: short names (the usual
 * keys and activities) in two overlapping loads of each, without a call.
 */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
    if (n >= 8 && n <= 16)
        return load8(a) == load8(b) && load8(a + n - 8) == load8(b + n - 8);
    if (n >= 4 && n < 8)
        return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
    if (n < 4) {
        for (size_t i = 0; i < n; i++)
            if (a[i] != b[i])
                return 0;
        return 1;
    }
    return memcmp(a, b, n) == 0;
}

/*
 * An unprefixed attribute of a start tag, as a pointer and a length.
 * Without entity replacement libxml2 hands '&' on as "&#38;" (so that a
 * tree builder can keep it); values holding one are decoded into
 * `scratch`. Returns 1, 0 when absent, or CJM_ENOMEM.
 */
static int find_attr(const xmlChar **attrs, int n, const char *name, const char **v, size_t *len,
                     cjm__buf *scratch)
{
    for (int i = 0; i < n; i++) {
        const xmlChar **at = attrs + 5 * i;
        if (!at[1] && at[0][0] == (xmlChar)name[0] && strcmp((const char *)at[0], name) == 0) {
            const char *p = (const char *)at[3], *end = (const char *)at[4];
            *v = p;
            *len = (size_t)(end - p);
            if (!holds(p, end, '&'))
                return 1;
            return decode_amp(p, end, v, len, scratch);
        }
    }
    return 0;
}

/* A value holding '&' (handed on as "&#38;"), decoded into `scratch`. Returns 1 or CJM_ENOMEM. */
static int decode_amp(const char *p, const char *end, const char **v, size_t *len,
                      cjm__buf *scratch)
{
    scratch->len = 0;
    scratch->failed = 0;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        /* the text up to the next '&', and the '&' itself */
        size_t chunk = amp ? (size_t)(amp - p) + 1 : (size_t)(end - p);
        if (cjm__buf_put(scratch, p, chunk) < 0)
            return CJM_ENOMEM;
        p += chunk;
        if (amp && (size_t)(end - p) >= 4 && memcmp(p, "#38;", 4) == 0)
            p += 4;
    }
    *v = scratch->data;
    *len = scratch->len;
    return 1;
}

/*
 * Where the raw key and value of a typed attribute are, found in one pass
 * by their interned names (as find_attr() would find them, undecoded).
 */
static inline void key_and_value(const reader *rd, const xmlChar **attrs, int n,
                                 const xmlChar **kv)
{
    if (n == 2 && attrs[0] == rd->nm_key && attrs[5] == rd->nm_value && !attrs[1] && !attrs[6]) {
        /* the usual attribute: key, then value, unprefixed */
        kv[0] = attrs[3], kv[1] = attrs[4], kv[2] = attrs[8], kv[3] = attrs[9];
        return;
    }
    /* libxml2 refuses a second unprefixed key or value as a duplicate attribute */
    kv[0] = kv[1] = kv[2] = kv[3] = NULL;
    for (int i = 0; i < n; i++) {
        const xmlChar **at = attrs + 5 * i;
        if (at[1])
            continue;
        if (at[0] == rd->nm_key)
            kv[0] = at[3], kv[1] = at[4];
        else if (at[0] == rd->nm_value)
            kv[2] = at[3], kv[3] = at[4];
    }
}

/* A raw value from key_and_value(), decoded as find_attr() does. Returns 1, 0 or CJM_ENOMEM. */
static int raw_value(const xmlChar *p, const xmlChar *end, const char **v, size_t *len,
                     cjm__buf *scratch)
{
    if (!p)
        return 0;
    *v = (const char *)p;
    *len = (size_t)(end - p);
    if (!holds((const char *)p, (const char *)end, '&'))
        return 1;
    return decode_amp((const char *)p, (const char *)end, v, len, scratch);
}

static int same(const char *s, size_t n, const char *z)
{
    return strlen(z) == n && memcmp(s, z, n) == 0;
}

static int set_buf(cjm__buf *b, const char *s, size_t n)
{
    b->len = 0;
    b->failed = 0;
    if (b->data && n < b->cap) {
        /* the usual case once the buffer has grown: no call but the copy */
        memcpy(b->data, s, n);
        b->data[n] = '\0';
        b->len = n;
        return 0;
    }
    return cjm__buf_put(b, s, n);
}

/* ---- classifier keys ------------------------------------------------------- */

/* Splits an XES classifier's keys: separated by spaces, or quoted with '. */
static int split_keys(const cjm_allocator *a, const char *s, char ***out, size_t *count)
{
    char **keys = NULL;
    size_t n = 0, cap = 0;
    while (*s) {
        const char *b, *e;
        char *k;
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            s++;
            continue;
        }
        if (*s == '\'') {
            b = ++s;
            while (*s && *s != '\'')
                s++;
            e = s;
            if (*s)
                s++;
        } else {
            b = s;
            while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
                s++;
            e = s;
        }
        if (e == b)
            continue;
        if (n == cap) {
            size_t c = cap ? cap * 2 : 4;
            char **p = cjm__realloc(a, keys, c * sizeof *p);
            if (!p)
                goto oom;
            keys = p;
            cap = c;
        }
        if (!(k = cjm__strndup(a, b, (size_t)(e - b))))
            goto oom;
        keys[n++] = k;
    }
    *out = keys;
    *count = n;
    return 0;
oom:
    for (size_t i = 0; i < n; i++)
        cjm__free(a, keys[i]);
    cjm__free(a, keys);
    return CJM_ENOMEM;
}

static const gdef *global_find(const reader *rd, const char *key, int type)
{
    for (size_t i = 0; i < rd->nglobals; i++)
        if (strcmp(rd->globals[i].key, key) == 0 && (type == T_NONE || rd->globals[i].type == type))
            return &rd->globals[i];
    return NULL;
}

static const char *global_value(const reader *rd, const char *key)
{
    const gdef *g = global_find(rd, key, T_NONE);
    return g ? g->value : NULL;
}

/*
 * Fixes the activity keys (from the options, a declared classifier or the
 * default), creates the result and resolves event defaults.
 */
static int resolve(reader *rd)
{
    const cjm_mine_options *o = rd->o;
    char **owned = NULL;
    size_t nowned = 0;
    const char *const *keys;
    size_t nkeys;
    static const char *const default_keys[] = {"concept:name"};
    int rc;

    rd->started = 1;
    if (o->key_count > 0) {
        keys = o->keys;
        nkeys = o->key_count;
    } else if (o->classifier) {
        const cdecl *c = NULL;
        for (size_t i = 0; i < rd->nclassifiers && !c; i++)
            if (strcmp(rd->classifiers[i].name, o->classifier) == 0)
                c = &rd->classifiers[i];
        if (!c)
            return cjm__error(CJM_ENOTFOUND, "the log declares no classifier named '%.200s'",
                              o->classifier);
        if ((rc = split_keys(rd->a, c->keys, &owned, &nowned)) < 0)
            return rc;
        if (nowned == 0) {
            cjm__free(rd->a, owned);
            return cjm__error(CJM_EPARSE, "classifier '%.200s' names no keys", o->classifier);
        }
        keys = (const char *const *)owned;
        nkeys = nowned;
    } else {
        keys = default_keys;
        nkeys = 1;
    }
    rc = xes_result_new(&rd->r, rd->a, keys, nkeys, o->channel_key, o->max_activities,
                        o->max_variants, o->max_variant_length);
    for (size_t i = 0; i < nowned; i++)
        cjm__free(rd->a, owned[i]);
    cjm__free(rd->a, owned);
    if (rc < 0)
        return rc;
    for (int c = 0; c < CJM_MINE_COUNTER_COUNT; c++)
        rd->r->header[c] += rd->pending[c];
    rd->hdr = rd->r->header;
    rd->vals = cjm__calloc(rd->a, nkeys, sizeof *rd->vals);
    rd->has = cjm__calloc(rd->a, nkeys, sizeof *rd->has);
    rd->defval = cjm__calloc(rd->a, nkeys, sizeof *rd->defval);
    rd->klen = cjm__calloc(rd->a, nkeys, sizeof *rd->klen);
    if (!rd->vals || !rd->has || !rd->defval || !rd->klen)
        return CJM_ENOMEM;
    for (size_t i = 0; i < nkeys; i++) {
        rd->klen[i] = strlen(rd->r->keys[i]);
        rd->wanted_amp |= strchr(rd->r->keys[i], '&') != NULL;
    }
    if (o->channel_key) {
        rd->chan_len = strlen(o->channel_key);
        rd->wanted_amp |= strchr(o->channel_key, '&') != NULL;
    }
    rd->nvals = nkeys;
    for (size_t i = 0; i < nkeys; i++) {
        cjm__buf_init(&rd->vals[i], rd->a);
        rd->defval[i] = global_value(rd, rd->r->keys[i]);
    }
    if (o->channel_key)
        rd->defchan = global_value(rd, o->channel_key);
    {
        /* a date is kept only once it was read */
        const gdef *t = global_find(rd, "time:timestamp", T_DATE);
        if (t) {
            rd->deft = t->ms;
            rd->has_deft = 1;
        }
    }
    return 0;
}

/* ---- elements ------------------------------------------------------------------ */

static hot *hot_slot(hot *cache, const char *s, size_t n)
{
    uint32_t h = (uint32_t)n * 0x9E3779B1u;
    if (n)
        h ^= (unsigned char)s[0] * 31u + (unsigned char)s[n / 2] * 131u +
             (unsigned char)s[n - 1] * 8191u;
    return &cache[(h ^ (h >> 13)) & (HOT_SLOTS - 1)];
}

/* Whether the cache holds name `s` (`n` bytes): then its index is in *id. */
static inline int hot_find(hot *cache, const char *s, size_t n, uint32_t *id)
{
    const hot *h = hot_slot(cache, s, n);
    if (h->id && h->len == n && same_bytes(h->name, s, n)) {
        *id = h->id - 1;
        return 1;
    }
    return 0;
}

/* The index of activity `s` (`n` bytes, NUL-terminated), interned when new. */
static int act_of(reader *rd, const char *s, size_t n, uint32_t *act)
{
    hot *h;
    int rc;
    if (hot_find(rd->hot_act, s, n, act))
        return 0;
    if ((rc = xes_act_intern(rd->r, s, n, act)) < 0)
        return rc;
    h = hot_slot(rd->hot_act, s, n);
    h->name = rd->r->acts[*act]->name;
    h->id = *act + 1;
    h->len = n;
    return 0;
}

/* The same for channel `s`. */
static int chan_of(reader *rd, const char *s, size_t n, uint32_t *chan)
{
    hot *h;
    int rc;
    if (hot_find(rd->hot_chan, s, n, chan))
        return 0;
    if ((rc = xes_chan_intern(rd->r, s, n, chan)) < 0)
        return rc;
    h = hot_slot(rd->hot_chan, s, n);
    h->name = rd->r->chans[*chan];
    h->id = *chan + 1;
    h->len = n;
    return 0;
}

/* Counts the oldest waiting bin. */
static int bin_count_oldest(reader *rd)
{
    const bin_wait *b = &rd->bins[rd->bin_next];
    cjm_mine_result *r = rd->r;
    if (xes_dur_add_bin(r, &r->trans[b->trans].d, b->bin, 1) < 0)
        return CJM_ENOMEM;
    rd->bin_next = (rd->bin_next + 1) % BIN_QUEUE;
    rd->nbins--;
    return 0;
}

/* Counts every waiting bin: before the result is read. */
static int bins_flush(reader *rd)
{
    while (rd->nbins)
        if (bin_count_oldest(rd) < 0)
            return CJM_ENOMEM;
    return 0;
}

/* Measures a duration of transition `tr`: counted at once, its bin a few events later. */
static int add_duration(reader *rd, xes_trans *tr, uint64_t ms)
{
    unsigned bin = xes_bin_of(ms);
    bin_wait *b;
    xes_dur_note(&tr->d, ms);
    if (rd->nbins == BIN_QUEUE && bin_count_oldest(rd) < 0)
        return CJM_ENOMEM;
#if defined(__GNUC__) || defined(__clang__)
    if (tr->d.len && bin >= tr->d.lo && bin - tr->d.lo < tr->d.len)
        __builtin_prefetch(&tr->d.n[bin - tr->d.lo], 1);
#endif
    b = &rd->bins[(rd->bin_next + rd->nbins) % BIN_QUEUE];
    b->trans = (uint32_t)(tr - rd->r->trans);
    b->bin = bin;
    rd->nbins++;
    return 0;
}

static void begin_trace(reader *rd)
{
    rd->has_prev = 0;
    rd->seqlen = 0;
    rd->too_long = 0;
    rd->has_case_id = 0;
}

static void begin_event(reader *rd)
{
    for (size_t i = 0; i < rd->r->nkeys; i++)
        rd->has[i] = 0;
    rd->has_chan = 0;
    rd->has_t = 0;
}

/* Out of line: most elements that end are attributes, whose end needs no registers saved. */
static NOINLINE int end_event(reader *rd)
{
    cjm_mine_result *r = rd->r;
    uint32_t act;
    xes_act *x;
    int64_t t = 0;
    int has_t;
    int rc;

    /* a value set has its buffer, even when empty */
    if (r->nkeys == 1 && rd->has[0]) {
        /* one key, the usual case: its value is the name, no copy needed */
        act = rd->act;
        if (rd->has[0] == V_BUFFERED &&
            (rc = act_of(rd, rd->vals[0].data, rd->vals[0].len, &act)) < 0)
            return rc;
        goto named;
    }
    rd->name.len = 0;
    rd->name.failed = 0;
    for (size_t i = 0; i < r->nkeys; i++) {
        if (i && cjm__buf_putc(&rd->name, '+') < 0)
            return CJM_ENOMEM;
        if (rd->has[i]) {
            rc = cjm__buf_put(&rd->name, rd->vals[i].data, rd->vals[i].len);
        } else if (rd->defval[i]) {
            rc = cjm__buf_puts(&rd->name, rd->defval[i]);
        } else {
            r->counters[CJM_MINE_EVENTS_UNCLASSIFIED]++;
            return 0;
        }
        if (rc < 0)
            return CJM_ENOMEM;
    }
    if ((rc = act_of(rd, rd->name.data, rd->name.len, &act)) < 0)
        return rc;
named:
    x = r->acts[act];
    x->events++;
    r->counters[CJM_MINE_EVENTS]++;
    if (r->channel_key && (rd->has_chan || rd->defchan)) {
        uint32_t ci = rd->chan_id;
        rc = 0;
        if (rd->has_chan == V_BUFFERED)
            rc = chan_of(rd, rd->chan.data, rd->chan.len, &ci);
        else if (rd->has_chan == V_NONE)
            rc = chan_of(rd, rd->defchan, strlen(rd->defchan), &ci);
        if (rc < 0 || (rc = xes_act_add_channel(r, x, ci, 1)) < 0)
            return rc;
    }
    has_t = rd->has_t || rd->has_deft;
    if (has_t)
        t = rd->has_t ? rd->t : rd->deft;
    if (rd->has_prev) {
        xes_trans *tr;
        if ((rc = xes_trans_get(r, rd->prev, act, &tr)) < 0)
            return rc;
        tr->volume++;
        if (!has_t || !rd->prev_has_t) {
            r->counters[CJM_MINE_PAIRS_UNTIMED]++;
        } else if (t < rd->prev_t) {
            r->counters[CJM_MINE_PAIRS_OUT_OF_ORDER]++;
        } else {
            if (add_duration(rd, tr, (uint64_t)(t - rd->prev_t)) < 0)
                return CJM_ENOMEM;
            r->counters[CJM_MINE_PAIRS_TIMED]++;
        }
    } else {
        rd->first = act;
    }
    rd->prev = act;
    rd->has_prev = 1;
    rd->prev_t = t;
    rd->prev_has_t = has_t;
    if (rd->seqlen < r->max_variant_length) {
        if (rd->seqlen == rd->seqcap) {
            size_t cap = rd->seqcap ? rd->seqcap * 2 : 64;
            unsigned *s;
            if (cap > r->max_variant_length)
                cap = r->max_variant_length;
            s = cjm__realloc(rd->a, rd->seq, cap * sizeof *s);
            if (!s)
                return CJM_ENOMEM;
            rd->seq = s;
            rd->seqcap = cap;
        }
        rd->seq[rd->seqlen++] = act;
    } else {
        rd->too_long = 1;
    }
    return 0;
}

static NOINLINE int end_trace(reader *rd)
{
    cjm_mine_result *r = rd->r;
    int rc, dropped;
    r->counters[CJM_MINE_TRACES]++;
    if (rd->hooks) {
        rc = rd->hooks->trace(rd->hooks->ud, r, rd->has_case_id ? rd->case_id.data : NULL,
                              rd->seq, rd->has_prev ? rd->seqlen : 0, rd->too_long);
        if (rc < 0)
            return rc;
    }
    if (!rd->has_prev) {
        r->counters[CJM_MINE_TRACES_EMPTY]++;
        return 0;
    }
    r->acts[rd->first]->starts++;
    r->acts[rd->prev]->ends++;
    if (rd->too_long) {
        r->counters[CJM_MINE_VARIANTS_TOO_LONG]++;
        return 0;
    }
    if ((rc = xes_var_add(r, rd->seq, (uint32_t)rd->seqlen, 1, &dropped)) < 0)
        return rc;
    if (dropped)
        r->counters[CJM_MINE_VARIANTS_DROPPED]++;
    return 0;
}

/* A typed attribute directly in the log, a global or a trace (events': event_attribute()). */
static int top_attribute(reader *rd, int type, int scope, const xmlChar **attrs, int nattrs)
{
    uint64_t *cnt = scope == SCOPE_TRACE ? rd->r->counters : rd->hdr;
    const char *key, *val;
    size_t klen, vlen;
    int64_t ms = 0;
    int nz = 0, found;
    const xmlChar *kv[4];

    key_and_value(rd, attrs, nattrs, kv);
    found = raw_value(kv[0], kv[1], &key, &klen, &rd->scratch[0]);
    if (found < 0)
        return found;
    if (!found || klen == 0) {
        cnt[CJM_MINE_ATTRIBUTES_NO_KEY]++;
        return 0;
    }
    if (type == T_LIST || type == T_CONTAINER)
        return 0;
    found = raw_value(kv[2], kv[3], &val, &vlen, &rd->scratch[1]);
    if (found < 0)
        return found;
    if (!found) {
        cnt[CJM_MINE_VALUES_INVALID]++;
        return 0;
    }
    /*
     * XML allows U+007F, but no name in cjm holds a control character: an
     * activity so named could be mined but neither serialised nor turned
     * into a journey. The parser has already refused the other controls.
     */
    if (holds(val, val + vlen, 0x7F))
        goto invalid;
    if (check_scalar(type, val, vlen) < 0)
        goto invalid;
    if (type == T_DATE) {
        if (xes_parse_date(val, vlen, &ms, &nz) < 0)
            goto invalid;
        if (nz)
            cnt[CJM_MINE_DATES_NO_TIMEZONE]++;
    }
    if (scope == SCOPE_TRACE) {
        if (same(key, klen, "concept:name")) {
            if (set_buf(&rd->case_id, val, vlen) < 0)
                return CJM_ENOMEM;
            rd->has_case_id = 1;
        }
    } else if (scope == SCOPE_GLOBAL_EVENT && !rd->started) {
        gdef *g;
        if (rd->nglobals == rd->capglobals) {
            size_t cap = rd->capglobals ? rd->capglobals * 2 : 8;
            gdef *p = cjm__realloc(rd->a, rd->globals, cap * sizeof *p);
            if (!p)
                return CJM_ENOMEM;
            rd->globals = p;
            rd->capglobals = cap;
        }
        g = &rd->globals[rd->nglobals];
        g->type = type;
        g->ms = ms;
        if (!(g->key = cjm__strndup(rd->a, key, klen)))
            return CJM_ENOMEM;
        if (!(g->value = cjm__strndup(rd->a, val, vlen))) {
            cjm__free(rd->a, g->key);
            return CJM_ENOMEM;
        }
        rd->nglobals++;
    }
    return 0;
invalid:
    cnt[CJM_MINE_VALUES_INVALID]++;
    return 0;
}

/*
 * A typed attribute of an event: counted as top_attribute() counts, with
 * less work for the attributes nobody asked for. The key is matched as libxml2 hands it on: without an '&' in the
 * wanted keys, a key holding one ("&#38;" as handed on, '&' decoded)
 * matches none either way. A value holding '&' is decoded only when it is
 * kept: a value of type int, float, boolean or date holding '&' is
 * invalid whether decoded or not, and decoding adds or removes no U+007F.
 */
static int event_attribute(reader *rd, int type, const xmlChar **attrs, int nattrs)
{
    cjm_mine_result *r = rd->r;
    uint64_t *cnt = r->counters;
    const xmlChar *kv[4];
    const char *key, *val;
    size_t klen, vlen;
    int64_t ms = 0;
    int nz = 0, f, rc;

    key_and_value(rd, attrs, nattrs, kv);
    if (!kv[0] || kv[1] == kv[0]) {
        cnt[CJM_MINE_ATTRIBUTES_NO_KEY]++;
        return 0;
    }
    if (type == T_LIST || type == T_CONTAINER)
        return 0;
    key = (const char *)kv[0];
    klen = (size_t)(kv[1] - kv[0]);
    if (rd->wanted_amp && (rc = raw_value(kv[0], kv[1], &key, &klen, &rd->scratch[0])) < 0)
        return rc;
    if (!kv[2]) {
        cnt[CJM_MINE_VALUES_INVALID]++;
        return 0;
    }
    val = (const char *)kv[2];
    vlen = (size_t)(kv[3] - kv[2]);
    /*
     * The checks of int, float, boolean and date accept neither '&' nor
     * U+007F: only strings and ids need looking at for them.
     */
    f = 0;
    switch (type) {
    case T_STRING:
    case T_ID:
        /* no '&' nor U+007F in the log so far: none in this value either */
        if (!rd->x.scan.amp_or_del)
            break;
        f = specials(val, val + vlen);
        if (f & HAS_DEL)
            goto invalid;
        break;
    case T_DATE:
        if (xes_parse_date_memo(&rd->day, val, vlen, &ms, &nz) < 0)
            goto invalid;
        if (nz)
            cnt[CJM_MINE_DATES_NO_TIMEZONE]++;
        if (klen == 14 && same_bytes(key, "time:timestamp", 14)) {
            rd->t = ms;
            rd->has_t = 1;
        }
        break;
    default:
        if (check_scalar(type, val, vlen) < 0)
            goto invalid;
        break;
    }
    for (size_t i = 0; i < r->nkeys; i++) {
        if (klen == rd->klen[i] && same_bytes(key, r->keys[i], klen)) {
            if ((f & HAS_AMP) && decode_amp(val, val + vlen, &val, &vlen, &rd->scratch[1]) < 0)
                return CJM_ENOMEM;
            f = 0; /* decoded */
            /* one key: the activity the value names, when the cache knows it, spares a copy */
            rd->has[i] = V_FOUND;
            if (r->nkeys == 1 && hot_find(rd->hot_act, val, vlen, &rd->act))
                continue;
            if (set_buf(&rd->vals[i], val, vlen) < 0)
                return CJM_ENOMEM;
            rd->has[i] = V_BUFFERED;
        }
    }
    if (r->channel_key && klen == rd->chan_len && same_bytes(key, r->channel_key, klen)) {
        if ((f & HAS_AMP) && decode_amp(val, val + vlen, &val, &vlen, &rd->scratch[1]) < 0)
            return CJM_ENOMEM;
        rd->has_chan = V_FOUND;
        if (hot_find(rd->hot_chan, val, vlen, &rd->chan_id))
            return 0;
        if (set_buf(&rd->chan, val, vlen) < 0)
            return CJM_ENOMEM;
        rd->has_chan = V_BUFFERED;
    }
    return 0;
invalid:
    cnt[CJM_MINE_VALUES_INVALID]++;
    return 0;
}

static int add_classifier(reader *rd, const xmlChar **attrs, int nattrs)
{
    const char *name, *keys;
    size_t nlen, klen;
    cdecl *c;
    int f1, f2;
    if (rd->started)
        return 0;
    f1 = find_attr(attrs, nattrs, "name", &name, &nlen, &rd->scratch[0]);
    f2 = find_attr(attrs, nattrs, "keys", &keys, &klen, &rd->scratch[1]);
    if (f1 < 0 || f2 < 0)
        return CJM_ENOMEM;
    if (!f1 || !f2)
        return 0;
    if (rd->nclassifiers == rd->capclassifiers) {
        size_t cap = rd->capclassifiers ? rd->capclassifiers * 2 : 4;
        cdecl *p = cjm__realloc(rd->a, rd->classifiers, cap * sizeof *p);
        if (!p)
            return CJM_ENOMEM;
        rd->classifiers = p;
        rd->capclassifiers = cap;
    }
    c = &rd->classifiers[rd->nclassifiers];
    if (!(c->name = cjm__strndup(rd->a, name, nlen)))
        return CJM_ENOMEM;
    if (!(c->keys = cjm__strndup(rd->a, keys, klen))) {
        cjm__free(rd->a, c->name);
        return CJM_ENOMEM;
    }
    rd->nclassifiers++;
    return 0;
}

static int odd_uri(reader *rd, const xmlChar **attrs, int nattrs)
{
    const char *u;
    size_t n;
    int found = find_attr(attrs, nattrs, "uri", &u, &n, &rd->scratch[0]);
    if (found < 0)
        return found;
    if (!found)
        return 1;
    return !((n > 7 && memcmp(u, "http://", 7) == 0) || (n > 8 && memcmp(u, "https://", 8) == 0));
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attrs)
{
    cjm__xml *x = ctx;
    reader *rd = x->user;
    const char *name = (const char *)localname;
    int parent, role = R_SKIP, type, rc = 0;
    (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;

    if (cjm__xml_enter(x, nb_attributes) < 0)
        return;
    parent = rd->roles[x->depth - 1];
    type = type_of(rd, localname);
    switch (parent) {
    case R_NONE:
        if (strcmp(name, "log") != 0) {
            int line, col;
            cjm__xml_where_tag(x, &line, &col);
            cjm__xml_fail_at(x, CJM_EPARSE, line, col,
                             "not an XES event log: the root element is <%.100s>, not <log>",
                             name);
            return;
        }
        role = R_LOG;
        break;
    case R_LOG:
        if (type != T_NONE) {
            role = R_ATTR;
            rc = top_attribute(rd, type, SCOPE_LOG, attrs, nb_attributes);
        } else if (localname == rd->nm_trace) {
            if (!rd->started && (rc = resolve(rd)) < 0)
                break;
            role = R_TRACE;
            begin_trace(rd);
        } else if (localname == rd->nm_event) {
            if (!rd->started && (rc = resolve(rd)) < 0)
                break;
            rd->hdr[CJM_MINE_EVENTS_OUTSIDE_TRACE]++;
        } else if (strcmp(name, "extension") == 0) {
            role = R_EXTENSION;
            if ((rc = odd_uri(rd, attrs, nb_attributes)) > 0)
                rd->hdr[CJM_MINE_EXTENSIONS_ODD]++;
        } else if (strcmp(name, "global") == 0) {
            const char *s;
            size_t n;
            role = R_GLOBAL;
            rd->global_scope = SCOPE_GLOBAL_EVENT;
            rc = find_attr(attrs, nb_attributes, "scope", &s, &n, &rd->scratch[0]);
            if (rc > 0 && !same(s, n, "event"))
                rd->global_scope = same(s, n, "trace") ? SCOPE_GLOBAL_TRACE : SCOPE_LOG;
        } else if (strcmp(name, "classifier") == 0) {
            role = R_CLASSIFIER;
            rc = add_classifier(rd, attrs, nb_attributes);
        } else {
            rd->hdr[CJM_MINE_ELEMENTS_UNKNOWN]++;
        }
        break;
    case R_GLOBAL:
        if (type != T_NONE) {
            role = R_ATTR;
            rc = top_attribute(rd, type, rd->global_scope, attrs, nb_attributes);
        } else {
            rd->hdr[CJM_MINE_ELEMENTS_UNKNOWN]++;
        }
        break;
    case R_TRACE:
        if (type != T_NONE) {
            role = R_ATTR;
            rc = top_attribute(rd, type, SCOPE_TRACE, attrs, nb_attributes);
        } else if (localname == rd->nm_event) {
            role = R_EVENT;
            begin_event(rd);
        } else {
            rd->r->counters[CJM_MINE_ELEMENTS_UNKNOWN]++;
        }
        break;
    case R_EVENT:
        if (type != T_NONE) {
            role = R_ATTR;
            rc = event_attribute(rd, type, attrs, nb_attributes);
        } else {
            rd->r->counters[CJM_MINE_ELEMENTS_UNKNOWN]++;
        }
        break;
    case R_EXTENSION:
    case R_CLASSIFIER:
        rd->hdr[CJM_MINE_ELEMENTS_UNKNOWN]++;
        break;
    default: /* inside an attribute or an ignored element */
        break;
    }
    rd->roles[x->depth] = (unsigned char)role;
    if (rc < 0)
        fail_rc(rd, rc);
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri)
{
    cjm__xml *x = ctx;
    reader *rd = x->user;
    int rc = 0;
    (void)localname, (void)prefix, (void)uri;
    /* none comes after a failure: it stops the parser */
    switch (rd->roles[x->depth]) {
    case R_EVENT:
        rc = end_event(rd);
        break;
    case R_TRACE:
        rc = end_trace(rd);
        break;
    default:
        break;
    }
    rd->roles[x->depth] = R_NONE;
    cjm__xml_leave(x);
    if (rc < 0)
        fail_rc(rd, rc);
}

/* ---- driving ---------------------------------------------------------------------- */

static void reader_free(reader *rd)
{
    const cjm_allocator *a = rd->a;
    for (size_t i = 0; i < rd->nglobals; i++) {
        cjm__free(a, rd->globals[i].key);
        cjm__free(a, rd->globals[i].value);
    }
    cjm__free(a, rd->globals);
    for (size_t i = 0; i < rd->nclassifiers; i++) {
        cjm__free(a, rd->classifiers[i].name);
        cjm__free(a, rd->classifiers[i].keys);
    }
    cjm__free(a, rd->classifiers);
    if (rd->vals)
        for (size_t i = 0; i < rd->nvals; i++)
            cjm__buf_free(&rd->vals[i]);
    cjm__free(a, rd->vals);
    cjm__free(a, rd->has);
    cjm__free(a, rd->defval);
    cjm__free(a, rd->klen);
    cjm__buf_free(&rd->chan);
    cjm__buf_free(&rd->name);
    cjm__buf_free(&rd->case_id);
    cjm__buf_free(&rd->scratch[0]);
    cjm__buf_free(&rd->scratch[1]);
    cjm__free(a, rd->seq);
    cjm__free(a, rd->roles);
    cjm_mine_result_free(rd->r);
}

static int check_options(const cjm_mine_options *o)
{
    if (o->version != CJM_MINE_OPTIONS_VERSION)
        return cjm__error(CJM_EINVAL, "unknown cjm_mine_options version %u", o->version);
    if (o->key_count > 0) {
        if (!o->keys)
            return cjm__error(CJM_EINVAL, "key_count is %zu but keys is NULL", o->key_count);
        for (size_t i = 0; i < o->key_count; i++)
            if (!o->keys[i] || !o->keys[i][0] || !cjm__text_ok(o->keys[i]))
                return cjm__error(CJM_EINVAL, "activity key %zu is empty or not text", i);
    }
    if (o->channel_key && (!o->channel_key[0] || !cjm__text_ok(o->channel_key)))
        return cjm__error(CJM_EINVAL, "the channel key is empty or not text");
    if (o->classifier && !cjm__text_ok(o->classifier))
        return cjm__error(CJM_EINVAL, "the classifier name is not text");
    return 0;
}

static int is_url(const char *p)
{
    const char *s = p;
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return 0;
    while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
           *s == '+' || *s == '-' || *s == '.')
        s++;
    return s[0] == ':' && s[1] == '/' && s[2] == '/';
}

/*
 * The size a gzip trailer declares (mod 2^32), or 0 when not gzip: an
 * estimate of `size` bytes. Bytes a read does not deliver (the file was
 * cut since its size was taken) stay zero: no gzip, or no estimate.
 */
static unsigned long long gzip_isize(const char *path, unsigned long long size)
{
    unsigned char b[4] = {0, 0, 0, 0};
    unsigned long long v = 0;
    ssize_t got;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    if (size >= 18) {
        got = pread(fd, b, 2, 0);
        if (b[0] == 0x1f && b[1] == 0x8b) {
            b[0] = b[1] = 0;
            got = pread(fd, b, 4, (off_t)(size - 4));
            v = b[0] | (unsigned long long)b[1] << 8 | (unsigned long long)b[2] << 16 |
                (unsigned long long)b[3] << 24;
        }
        (void)got;
    }
    close(fd);
    return v;
}

typedef struct file_src {
    reader *rd;
    xes_source *src;
    char *buf;
    const char *path;
    unsigned long long max_inflated, ratio, expect, inflated, next_report;
} file_src;

/* The parser's source: the file's next bytes, inflated, checked against the limits. */
static long file_next(void *ud, const char **data)
{
    file_src *f = ud;
    reader *rd = f->rd;
    const cjm_mine_options *o = rd->o;
    long n = xes_source_read(f->src, f->buf, READ_CHUNK);
    unsigned long long in = xes_source_consumed(f->src);
    if (n < 0)
        return cjm__xml_fail_at(&rd->x, (int)n, 0, 0, "%s", cjm_error_last()->message);
    f->inflated += (unsigned long long)n;
    if (f->inflated > f->max_inflated)
        return cjm__xml_fail_at(&rd->x, CJM_ELIMIT, 0, 0,
                                "%s: more than %llu bytes after decompression", f->path,
                                f->max_inflated);
    /*
     * inflated / in > ratio, that is inflated >= (ratio + 1) * in, without
     * a division by the bytes consumed (ratio fits in 32 bits)
     */
    if (f->inflated > XES_RATIO_FLOOR && f->inflated / (f->ratio + 1) >= in)
        return cjm__xml_fail_at(&rd->x, CJM_ELIMIT, 0, 0,
                                "%s: decompresses to more than %llu times its size "
                                "(%llu bytes from the first %llu)",
                                f->path, f->ratio, f->inflated, in);
    if (n > 0 && o->progress && f->inflated >= f->next_report) {
        o->progress(o->progress_ud, f->inflated <= f->expect ? f->inflated : f->expect,
                    f->inflated <= f->expect ? f->expect : 0);
        f->next_report = f->inflated + READ_CHUNK;
    }
    *data = f->buf;
    return n;
}

static int stream_file(reader *rd, const char *path)
{
    const cjm_mine_options *o = rd->o;
    unsigned long long max_inflated = o->max_inflated ? o->max_inflated : XES_DEFAULT_MAX_INFLATED;
    unsigned long long ratio = o->max_ratio ? o->max_ratio : XES_DEFAULT_MAX_RATIO;
    unsigned long long size, expect;
    xes_source *src;
    struct stat st;
    char *buf;
    int rc = 0;

    if (is_url(path))
        return cjm__error_at(CJM_EIO, path, 0, 0, "%s: URLs are not read, only local files",
                             path);
    if (stat(path, &st) != 0)
        return cjm__error_at(CJM_EIO, path, 0, 0, "%s: cannot open: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return cjm__error_at(CJM_EIO, path, 0, 0, "%s: not a regular file", path);
    size = (unsigned long long)st.st_size;
    /*
     * The size in a gzip trailer is used for progress only: it may lie, and
     * in a truncated file it is no trailer at all. Bombs are caught by the
     * running check below, which compares what came out with the
     * compressed bytes that went in.
     */
    expect = gzip_isize(path, size);
    if (expect == 0)
        expect = size;
    if ((rc = xes_source_open(&src, path, rd->a)) < 0)
        return rc;
    buf = cjm__malloc(rd->a, READ_CHUNK);
    if (!buf) {
        xes_source_close(src);
        return CJM_ENOMEM;
    }
    /* its pages brought in at once: a fault each as the first read fills it costs more */
    cjm__prefault(buf, READ_CHUNK);
    {
        file_src fs = {rd, src, buf, path, max_inflated, ratio, expect, 0, 0};
        rc = cjm__xml_pull(&rd->x, file_next, &fs);
        if (rc == 0 && o->progress)
            o->progress(o->progress_ud, fs.inflated, fs.inflated);
    }
    xes_source_close(src);
    cjm__free(rd->a, buf);
    return rc;
}

/* A log in memory, a read's worth at a time, with progress. */
typedef struct mem_src {
    reader *rd;
    const char *data;
    size_t size, done;
} mem_src;

static long mem_next(void *ud, const char **data)
{
    mem_src *m = ud;
    const cjm_mine_options *o = m->rd->o;
    size_t n = m->size - m->done < READ_CHUNK ? m->size - m->done : READ_CHUNK;
    *data = m->data + m->done;
    m->done += n;
    if (n > 0 && o->progress)
        o->progress(o->progress_ud, m->done, m->size);
    return (long)n;
}

static int stream_memory(reader *rd, const void *data, size_t size)
{
    mem_src m = {rd, data, size, 0};
    return cjm__xml_pull(&rd->x, mem_next, &m);
}

int xes_read(cjm_mine_result **out, const char *path, const void *data, size_t size,
             const char *name, const cjm_mine_options *options, const cjm_allocator *allocator,
             const xes_read_hooks *hooks)
{
    cjm_mine_options defaults = CJM_MINE_OPTIONS_INIT;
    cjm__xml_limits limits;
    reader rd;
    int rc;

    if (!out)
        return cjm__error(CJM_EINVAL, "cjm_mine: out is NULL");
    if (!options)
        options = &defaults;
    if ((rc = check_options(options)) < 0)
        return rc;
    memset(&rd, 0, sizeof rd);
    rd.a = cjm__alloc_or_default(allocator);
    rd.o = options;
    rd.hooks = hooks;
    rd.hdr = rd.pending;
    cjm__buf_init(&rd.chan, rd.a);
    cjm__buf_init(&rd.name, rd.a);
    cjm__buf_init(&rd.case_id, rd.a);
    cjm__buf_init(&rd.scratch[0], rd.a);
    cjm__buf_init(&rd.scratch[1], rd.a);
    memset(&limits, 0, sizeof limits);
    limits.max_size = (size_t)(options->max_inflated ? options->max_inflated
                                                     : XES_DEFAULT_MAX_INFLATED);
    limits.max_depth = (int)(options->max_depth ? options->max_depth : XES_DEFAULT_MAX_DEPTH);
    limits.max_attrs =
        (int)(options->max_attributes ? options->max_attributes : XES_DEFAULT_MAX_ATTRS);
    if (limits.max_depth > 1000)
        limits.max_depth = 1000;
    cjm__xml_init(&rd.x, path ? path : name ? name : "(memory)", &limits, &rd);
    cjm__xml_sax_init(&rd.sax);
    rd.sax.startElementNs = on_start;
    rd.sax.endElementNs = on_end;

    rc = begin_parse(&rd, (size_t)limits.max_depth);
    if (rc == 0)
        rc = path ? stream_file(&rd, path) : stream_memory(&rd, data, size);
    cjm__xml_end(&rd.x);
    if (rc == 0 && rd.r && (rc = bins_flush(&rd)) < 0)
        cjm__oom();
    if (rc == 0 && !rd.started && (rc = resolve(&rd)) < 0 && rc != CJM_ENOMEM)
        cjm__error_at(rc, rd.x.file, 0, 0, "%s", cjm_error_last()->message);
    if (rc == 0 && (rc = xes_result_canon(rd.r)) == 0) {
        *out = rd.r;
        rd.r = NULL;
    }
    reader_free(&rd);
    return rc;
}

int cjm_mine_file(cjm_mine_result **out, const char *path, const cjm_mine_options *options,
                  const cjm_allocator *allocator)
{
    if (!path)
        return cjm__error(CJM_EINVAL, "cjm_mine_file: path is NULL");
    return xes_read(out, path, NULL, 0, NULL, options, allocator, NULL);
}

int cjm_mine_memory(cjm_mine_result **out, const void *data, size_t size, const char *name,
                    const cjm_mine_options *options, const cjm_allocator *allocator)
{
    if (!data && size)
        return cjm__error(CJM_EINVAL, "cjm_mine_memory: data is NULL");
    return xes_read(out, NULL, data ? data : "", size, name, options, allocator, NULL);
}
