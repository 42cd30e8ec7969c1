/* The model's internal structures, shared by the model's own files only. */
#ifndef CJM_MODEL_INTERNAL_H
#define CJM_MODEL_INTERNAL_H

#include <stdint.h>

#include "../core/core.h"
#include "cjm/model.h"

/* What the model knows of each attribute. */
typedef struct cjm__attr_info {
    const char *name;
    cjm_type type;
    uint32_t kinds;             /* bit (1 << kind) for each kind that has it */
    const char *const *values;  /* names of enum values, NULL-terminated; NULL otherwise */
    double min, max;            /* valid range of numbers (validation) */
} cjm__attr_info;

extern const cjm__attr_info cjm__attrs[CJM_ATTR_COUNT];
extern const char *const cjm__kind_names[CJM_KIND_COUNT];

/* ---- the map's pool of small blocks (pool.c) ---------------------------- */

#define CJM__POOL_GRAIN 8  /* block sizes are multiples of this */
#define CJM__POOL_MAX 256  /* larger blocks come from the allocator directly */

typedef struct cjm__pool {
    const cjm_allocator *alloc;
    void *free[CJM__POOL_MAX / CJM__POOL_GRAIN]; /* free blocks, one list per size */
    char *next, *end;  /* the unused part of the newest chunk */
    void *chunks;      /* newest first, linked through their first word */
    size_t chunk_size; /* of the next chunk */
    int closing;       /* the map is being freed: small blocks need not be listed */
    int one_per_block; /* tests: a chunk per new block, so that each can fail */
} cjm__pool;

void cjm__pool_init(cjm__pool *p, const cjm_allocator *a);
/* A block of `size` bytes, aligned for any member of the model; NULL (recorded) when out of memory. */
void *cjm__pool_alloc(cjm__pool *p, size_t size);
/* Gives back a block of `size` bytes (the size it was asked with). NULL does nothing. */
void cjm__pool_free(cjm__pool *p, void *ptr, size_t size);
/* Moves a block of `old` bytes (NULL: none) to one of `size`; on failure the old one stays. */
void *cjm__pool_resize(cjm__pool *p, void *ptr, size_t old, size_t size);
char *cjm__pool_strdup(cjm__pool *p, const char *s);
char *cjm__pool_strndup(cjm__pool *p, const char *s, size_t len);
/* Gives back a string from cjm__pool_strdup(); NULL does nothing. */
void cjm__pool_free_str(cjm__pool *p, char *s);
/*
 * Takes over `block`, `size` bytes the map's allocator gave and the caller
 * no longer needs (an id table that has grown out of it), as the chunk the
 * next blocks come from: its pages are already in memory, and a process
 * pays for the first touch of every page. Gives it back to the allocator
 * instead when it is too small to be worth it.
 */
void cjm__pool_adopt(cjm__pool *p, void *block, size_t size);
/*
 * For tests: from now on every block not taken from a free list is a chunk
 * of its own, one allocation, so that failing allocations in turn reaches
 * every path of the model that can run out of memory.
 */
void cjm__pool_one_per_block(cjm__pool *p);
/* Gives every chunk back to the allocator. */
void cjm__pool_destroy(cjm__pool *p);

/* ---- id tables (ids.c): id -> item or journey, the id borrowed from it -- */

typedef struct cjm__id_slot {
    void *obj;     /* a cjm_item or cjm_journey; NULL when empty */
    uint32_t hash;
} cjm__id_slot;

typedef struct cjm__ids {
    cjm__id_slot *slots; /* one block with the tags, which follow the entries */
    uint8_t *tags;       /* one per slot: empty, tombstone, or part of the hash */
    size_t cap, len, tombs; /* cap: a power of two, or 0 */
} cjm__ids;

/* Where an absent id goes, from cjm__ids_find_free(). */
typedef struct cjm__ids_pos {
    size_t index;
    uint32_t hash;
} cjm__ids_pos;

/* The item or journey with this id; NULL when none (or `id` is NULL). */
void *cjm__ids_get(const cjm__ids *t, const char *id);
/*
 * Makes room for one more id and looks up the id of `len` bytes at `id`
 * (no NUL among them): *existing is what has it,
 * or NULL and *pos where it goes. A table that grows hands its old slots
 * to the pool `p`. Until cjm__ids_put_at() the table must
 * not change. Returns 0 or CJM_ENOMEM (the table unchanged).
 */
int cjm__ids_find_free(cjm__pool *p, cjm__ids *t, const char *id, size_t len, void **existing,
                       cjm__ids_pos *pos);
/* Stores `obj`, whose id was looked up for `pos`. */
void cjm__ids_put_at(cjm__ids *t, const cjm__ids_pos *pos, void *obj);
void cjm__ids_del(cjm__ids *t, const char *id);
/* Makes room for `more` ids, so that adding them moves nothing. Returns 0 or CJM_ENOMEM (recorded). */
int cjm__ids_reserve(cjm__pool *p, cjm__ids *t, size_t more);
/* The hash the table gives the id of `len` bytes at `id`. */
uint32_t cjm__ids_hash(const char *id, size_t len);
/*
 * Adds the `n` items (not journeys) at `objs`, whose ids have the hashes at `hashes`
 * (from cjm__ids_hash()) and for which cjm__ids_reserve() made room,
 * asking for the memory of several ahead of the one it adds instead of
 * waiting on the caches for each: for a reader that makes many items in a
 * row and adds them at once. Returns 0, or CJM_EEXISTS (nothing recorded)
 * when an id is used twice, among them or with the table: the table then
 * holds the first use of each id, `before(a, b)` saying which of two
 * objects comes first, and *again is the first of the other uses, *first
 * the use it repeats, unless the caller's *again (NULL or from an earlier
 * call) comes before it.
 */
int cjm__ids_add_all(cjm__ids *t, void *const *objs, const uint32_t *hashes, size_t n,
                     int (*before)(const void *, const void *), void **first, void **again);

/*
 * A hint for a lookup of `id` a little later, which changes nothing: asks
 * the processor to bring in the entry where `id` probably is (`step` 0),
 * or, once that is in, the item or journey it holds (`step` 1). A loop of
 * lookups calls both some iterations ahead, so that their memory arrives
 * while it does other work.
 */
void cjm__ids_prefetch(const cjm__ids *t, const char *id, int step);
void cjm__ids_free(const cjm_allocator *a, cjm__ids *t);

/* ---- shared copies of often named ids (strs.c) ------------------------- */

/* How many copies each attribute remembers (see cjm__strs). */
#define CJM__STRS_RECENT 4

typedef struct cjm__strs {
    struct shared **slots;
    size_t cap, len, tombs; /* cap: a power of two, or 0 */
    /* the last few copies each attribute was given: a journey names the
     * same stage or actor many times in a row, or takes turns among a
     * handful of channels, and comparing with those copies costs less
     * than hashing and probing; recent_next[a] is the one replaced next */
    struct shared *recent[CJM_ATTR_COUNT][CJM__STRS_RECENT];
    unsigned char recent_next[CJM_ATTR_COUNT];
} cjm__strs;

/* The attributes whose values are shared copies (strs.c says why). */
#define CJM__SHARED_ATTRS                                                          \
    ((1ull << CJM_ATTR_STAGE) | (1ull << CJM_ATTR_CHANNEL) | (1ull << CJM_ATTR_INITIATOR) | \
     (1ull << CJM_ATTR_RECEIVER) | (1ull << CJM_ATTR_SITUATIONS))

/* Whether the values of `attr` (a valid attribute) are shared copies. */
static inline int cjm__attr_shared(cjm_attr attr)
{
    return (int)((CJM__SHARED_ATTRS >> attr) & 1u);
}

/* A list attribute's ids, in one pool block. */
typedef struct cjm__list {
    uint32_t len, cap;
    char *items[];
} cjm__list;

#define CJM__LIST_SIZE(cap) (sizeof(cjm__list) + (size_t)(cap) * sizeof(char *))

/* The value of one set attribute of an item. */
typedef union cjm__value {
    char *s;          /* TEXT, REF */
    double n;         /* NUMBER */
    int i;            /* INT */
    cjm__list *list;  /* LIST */
} cjm__value;

typedef struct cjm__kpis {
    cjm_kpi *v;
    size_t len, cap;
} cjm__kpis;

/* The kind is the first member of both cjm_item and cjm_journey (a byte),
 * so that one id table can hold both. */
#define CJM__JOURNEY_TAG CJM_KIND_COUNT

struct cjm_item {
    uint8_t kind;         /* a cjm_kind */
    uint8_t nslots, capslots;
    uint8_t islots;       /* slots made with the item, in its own block (see below) */
    int line, column;
    uint32_t index;       /* new_item() keeps it in range */
    cjm_map *map;
    cjm_journey *journey; /* NULL for definitions */
    /* capslots values, then the capslots attribute numbers they belong to
     * (9 bytes a slot rather than 16 for a padded pair): a pool block of
     * their own, or the islots made with the item after its id, in the
     * item's block (CJM__ITEM_INLINE), until they outgrow it; that room
     * goes with the item */
    cjm__value *values;
    cjm__kpis *kpis;      /* touchpoints only; NULL when none */
    char id[];            /* item and id are one pool block */
};

/* The size of a slot block of `cap` slots. */
#define CJM__SLOTS_SIZE(cap) ((size_t)(cap) * (sizeof(cjm__value) + 1))
/* Where the slots made with an item whose id is `idlen` bytes long begin in its block. */
#define CJM__ITEM_HEAD(idlen) ((sizeof(cjm_item) + (idlen) + 1 + 7) & ~(size_t)7)
/* The size of the pool block of an item whose id is `idlen` bytes long, made with `islots` slots. */
#define CJM__ITEM_BLOCK(idlen, islots) \
    ((islots) ? CJM__ITEM_HEAD(idlen) + CJM__SLOTS_SIZE(islots) : sizeof(cjm_item) + (idlen) + 1)
/* The slots made with the item, whose id is `idlen` bytes long. */
#define CJM__ITEM_INLINE(item, idlen) ((cjm__value *)(void *)((char *)(item) + CJM__ITEM_HEAD(idlen)))
/* The attribute numbers of an item's slots. */
#define CJM__ITEM_ATTRS(item) ((uint8_t *)((item)->values + (item)->capslots))

struct cjm_journey {
    uint8_t kind; /* CJM__JOURNEY_TAG */
    cjm_map *map;
    size_t index;
    char *id, *label, *description, *follows, *persona;
    cjm_status status;
    cjm__ids ids;
    cjm__vec items[CJM_KIND_COUNT]; /* only journey kinds are used */
    /* the last unindexed[k] items of kind k are not in `ids` yet (see
     * cjm__item_new() and cjm__journey_index()); their ids' hashes, taken
     * while the ids were at hand, are in hashes[k], of room caphashes[k] */
    size_t unindexed[CJM_KIND_COUNT];
    uint32_t *hashes[CJM_KIND_COUNT];
    size_t caphashes[CJM_KIND_COUNT];
    unsigned long next_auto;
};

struct cjm_map {
    cjm_allocator alloc;
    cjm__pool pool;  /* items and everything they hold */
    cjm__strs strs;  /* the shared copies of ids, in the pool */
    char *title, *description, *language;
    cjm__ids ids;
    cjm__vec items[CJM_KIND_COUNT]; /* only map kinds are used */
    cjm__vec journeys;
    unsigned long next_auto;
};

/*
 * A shared copy of the `len` bytes at `s` (no NUL among them), given to
 * attribute `attr`, counted; NULL (recorded) when out of memory.
 */
char *cjm__strs_get(cjm_map *map, cjm_attr attr, const char *s, size_t len);
/*
 * One of the last copies attribute `attr` was given by cjm__strs_get(),
 * counted once more, when it holds the `len` bytes at `s`; NULL otherwise.
 */
char *cjm__strs_recent(cjm_map *map, cjm_attr attr, const char *s, size_t len);
/* Gives back one count of a shared copy; NULL does nothing. */
void cjm__strs_put(cjm_map *map, char *s);
/* Gives back every shared copy and the table; for cjm_map_free(), after the items. */
void cjm__strs_free(cjm_map *map);

#define CJM__MAP_ALLOC(m) (&(m)->alloc)
#define CJM__MAP_POOL(m) (&(m)->pool)

/* Looks a value up; NULL when the attribute is unset. */
const cjm__value *cjm__item_value(const cjm_item *item, cjm_attr attr);

#endif
