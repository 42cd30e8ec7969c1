/*
 * The event-log miner's internals: the mining result's tables, the
 * additive primitives shared by the reader, the merge and the
 * deserialiser, and the canonical ordering every public view relies on.
 */
#ifndef CJM_XES_H
#define CJM_XES_H

#include <stdint.h>

#include "cjm/mine.h"
#include "core/core.h"

/* Defaults of the options. */
#define XES_DEFAULT_MAX_INFLATED (4ULL << 30)
#define XES_DEFAULT_MAX_RATIO 200u
#define XES_RATIO_FLOOR ((unsigned long long)16 << 20)
#define XES_DEFAULT_MAX_DEPTH 64
#define XES_DEFAULT_MAX_ATTRS 256
#define XES_DEFAULT_MAX_ACTIVITIES 100000
#define XES_DEFAULT_MAX_VARIANTS 20000
#define XES_DEFAULT_MAX_VARIANT_LENGTH 256

/*
 * Duration histogram: values below 16 ms have a bin each; above, every
 * power of two is cut into 16 equal bins. 16 + 60 * 16 bins cover every
 * non-negative int64.
 */
#define XES_SUB_BITS 4
#define XES_SUB (1u << XES_SUB_BITS)
#define XES_BINS (XES_SUB + (64 - XES_SUB_BITS) * XES_SUB)

unsigned xes_bin_of(uint64_t ms);
/* The value that stands for a bin: the middle of its range, rounded down. */
uint64_t xes_bin_value(unsigned bin);

typedef struct xes_dur {
    uint64_t count;
    uint64_t sum_lo, sum_hi; /* 128-bit sum of milliseconds */
    int64_t min, max;
    uint64_t *n;             /* n[i] values in bin lo + i, for i < len; in the result's store */
    uint32_t lo, len;        /* whole octaves: multiples of XES_SUB */
} xes_dur;

/*
 * Where the histograms' bins live. A histogram covers whole octaves (16
 * bins, 128 bytes); its windows are cut from blocks of XES_STORE_BLOCK
 * bytes, each allocated, zeroed and brought into memory at once, and a
 * window given up when its histogram widens is kept for the next window of
 * its size. The histograms are most of the memory a mining touches, and
 * first touching it a page at a time, as small allocations do, costs a
 * fault per page, several times what a block brought in at once costs.
 */
#define XES_OCTAVES (XES_BINS / XES_SUB)
#define XES_STORE_BLOCK (64 * 1024)

typedef struct xes_store {
    void *blocks;                      /* the newest block; each begins with the previous one */
    uint64_t *next;                    /* what is left of the newest block */
    size_t left;                       /* in octaves */
    uint64_t *spare[XES_OCTAVES + 1];  /* given-up windows by octaves, chained by their first bin */
} xes_store;

typedef struct xes_act {
    char *name;
    uint64_t events, starts, ends;
    uint32_t *chan;  /* channel indices, sorted once canonical */
    uint64_t *chan_n;
    uint32_t nchan, capchan;
} xes_act;

typedef struct xes_trans {
    uint32_t from, to;
    uint64_t volume;
    xes_dur d;
} xes_trans;

typedef struct xes_var {
    unsigned *seq;
    uint32_t len;
    uint64_t count;
    uint64_t hash;
} xes_var;

struct cjm_mine_result {
    cjm_allocator alloc;
    char **keys;
    size_t nkeys;
    char *channel_key;
    size_t max_activities, max_variants, max_variant_length;
    /* Counts made inside traces, which add up when results merge. */
    uint64_t counters[CJM_MINE_COUNTER_COUNT];
    /*
     * Counts made outside traces (extensions, globals, log attributes,
     * stray events): the header every shard of a log repeats, so merging
     * keeps the larger count instead of adding.
     */
    uint64_t header[CJM_MINE_COUNTER_COUNT];

    xes_act **acts;
    size_t nacts, capacts;
    cjm__hmap act_index; /* name -> index + 1 */

    char **chans;
    size_t nchans, capchans;
    cjm__hmap chan_index; /* name -> index + 1 */

    xes_trans *trans;
    size_t ntrans, captrans;
    xes_store store; /* the bins of the transitions' histograms */
    uint32_t *tslots; /* open addressing: index + 1, or 0 */
    size_t tcap;

    xes_var *vars;
    size_t nvars, capvars;
    uint32_t *vslots;
    size_t vcap;
};

/* A new, empty result mined with `keys` and `channel_key` (copied). */
int xes_result_new(cjm_mine_result **out, const cjm_allocator *alloc, const char *const *keys,
                   size_t nkeys, const char *channel_key, size_t max_activities,
                   size_t max_variants, size_t max_variant_length);

/* Finds or adds an activity; CJM_ELIMIT past max_activities. */
int xes_act_intern(cjm_mine_result *r, const char *name, size_t len, uint32_t *index);
/* Finds or adds a channel name. */
int xes_chan_intern(cjm_mine_result *r, const char *name, size_t len, uint32_t *index);
/* Adds `n` events on channel `chan` to an activity. */
int xes_act_add_channel(cjm_mine_result *r, xes_act *a, uint32_t chan, uint64_t n);
/* Finds or adds a transition. */
int xes_trans_get(cjm_mine_result *r, uint32_t from, uint32_t to, xes_trans **out);
/* Adds one measured duration (>= 0 ms) to a histogram of `r`. */
int xes_dur_add(cjm_mine_result *r, xes_dur *d, uint64_t ms);
/*
 * Adds one measured duration to the count, sum, min and max only: its bin
 * is left to the caller, who adds it with xes_dur_add_bin() (later, but
 * before the result is read).
 */
void xes_dur_note(xes_dur *d, uint64_t ms);
/* Adds `n` values to bin `bin` of a histogram of `r`. */
int xes_dur_add_bin(cjm_mine_result *r, xes_dur *d, unsigned bin, uint64_t n);
/* Adds every value of `src` to `dst`, a histogram of `r` (count, sum, min, max, bins). */
int xes_dur_merge(cjm_mine_result *r, xes_dur *dst, const xes_dur *src);
/*
 * Adds `count` traces of a variant. When the variant is new and the table
 * is full, *dropped is set and nothing is added.
 */
int xes_var_add(cjm_mine_result *r, const unsigned *seq, uint32_t len, uint64_t count,
                int *dropped);

/* Adds everything in `src` into `dst` (same keys). No canonical order afterwards. */
int xes_result_add(cjm_mine_result *dst, const cjm_mine_result *src);
/* Sorts activities, channels, transitions and variants and rebuilds the indexes. */
int xes_result_canon(cjm_mine_result *r);
/* Whether two results were mined with the same keys. */
int xes_same_keys(const cjm_mine_result *a, const cjm_mine_result *b);

/*
 * Parses an xs:dateTime: YYYY-MM-DDThh:mm:ss[.fraction][Z|(+|-)hh[:]mm].
 * Returns 0 and the milliseconds since 1970 (UTC; a missing zone reads
 * as UTC and sets *no_zone), or -1.
 */
int xes_parse_date(const char *s, size_t len, int64_t *ms, int *no_zone);

/*
 * The day and the time zone of the last date read, kept by a reader: the
 * next date is often on the same day, and nearly always in the same zone.
 */
typedef struct xes_date_memo {
    uint64_t w0;          /* "YYYY-MM-" as read */
    uint64_t dd;          /* "DDT" as read */
    int64_t days;         /* since 1970-01-01 */
    int known;
    uint64_t zone;        /* the bytes after the seconds and fraction, as a date's last word */
    size_t zone_len;      /* at most 8 */
    int64_t zone_offset;  /* seconds east of UTC */
    int no_zone, zone_known;
} xes_date_memo;

/*
 * xes_parse_date(), skipping the checks of a day or a zone equal to the
 * one in `memo` (which may be NULL), and remembering the new ones.
 */
int xes_parse_date_memo(xes_date_memo *memo, const char *s, size_t len, int64_t *ms,
                        int *no_zone);

#endif
