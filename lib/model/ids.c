/*
 * The id tables of a map and of its journeys: open addressing with linear
 * probing. Each slot has a tag byte, in an array of its own (empty, a
 * tombstone, or seven bits of the id's hash), and a 16-byte entry with the
 * object and the whole 32-bit hash. The id itself is the object's own (an
 * item's id lives in its block), so the table copies no key.
 *
 * A probe reads tags: a table of 200,000 ids has 256 KiB of them, which
 * stay in the processor's caches, where its 4 MiB of entries do not. Adding
 * an id reads only tags (a new id's tag rarely matches) and writes its
 * entry, a store the processor does not wait for; an entry is read, and an
 * id compared, only when the tags agree. Adding looks the id up and finds
 * the free slot in one probe sequence.
 */
#include <string.h>

#include "model_internal.h"

#define EMPTY 0
#define TOMB 1

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p, write) __builtin_prefetch((p), (write))
#else
#define PREFETCH(p, write) ((void)(p))
#endif
/* The tag of a full slot: the hash's top seven bits (its low bits choose
 * the slot) with the high bit set. */
#define TAG(h) ((uint8_t)(0x80u | ((h) >> 25)))

/* cjm__hash() of the `len` bytes at `s`, folded to 32 bits. */
static uint32_t hash_of(const char *s, size_t len)
{
    uint64_t h = cjm__hash_bytes(s, len);
    return (uint32_t)(h ^ (h >> 32));
}

/* The id of an item or a journey (they share their first member, the kind). */
static const char *id_of(const void *obj)
{
    const cjm_item *it = obj;
    return it->kind == CJM__JOURNEY_TAG ? ((const cjm_journey *)obj)->id : it->id;
}

/* The length given for an id that is NUL-terminated and not yet measured. */
#define WHOLE ((size_t)-1)

/* Whether the object holds the id of `len` bytes at `id` (or the whole id
 * at `id`, for WHOLE); strncmp() stops at the object's id when it is the
 * shorter. */
static int holds(const void *obj, const char *id, size_t len)
{
    const char *own = id_of(obj);
    if (len == WHOLE)
        return strcmp(own, id) == 0;
    return strncmp(own, id, len) == 0 && own[len] == '\0';
}

/* Where the id of `len` bytes at `id` is, or the first free slot (after
 * any tombstone) where it would go. */
static size_t probe(const cjm__ids *t, const char *id, size_t len, uint32_t h, int *found)
{
    size_t mask = t->cap - 1, i = h & mask, free_at = (size_t)-1;
    uint8_t tag = TAG(h);
    for (;;) {
        uint8_t m = t->tags[i];
        if (m == EMPTY) {
            *found = 0;
            return free_at != (size_t)-1 ? free_at : i;
        }
        if (m == TOMB) {
            if (free_at == (size_t)-1)
                free_at = i;
        } else if (m == tag && t->slots[i].hash == h && holds(t->slots[i].obj, id, len)) {
            *found = 1;
            return i;
        }
        i = (i + 1) & mask;
    }
}

void cjm__ids_prefetch(const cjm__ids *t, const char *id, int step)
{
#if defined(__GNUC__) || defined(__clang__)
    size_t mask = t->cap - 1, i;
    uint32_t h;
    uint8_t tag, m;
    if (!t->cap || !id)
        return;
    h = hash_of(id, strlen(id));
    tag = TAG(h);
    /* the first slot whose tag agrees: the tags are in the caches */
    for (i = h & mask; (m = t->tags[i]) != EMPTY && m != tag; i = (i + 1) & mask)
        ;
    if (m == EMPTY)
        return;
    if (step == 0) {
        __builtin_prefetch(&t->slots[i]);
    } else {
        const char *obj = t->slots[i].obj;
        __builtin_prefetch(obj);
        __builtin_prefetch(obj + sizeof(cjm_item));
    }
#else
    (void)t;
    (void)id;
    (void)step;
#endif
}

void *cjm__ids_get(const cjm__ids *t, const char *id)
{
    int found;
    size_t i, len;
    if (!t->cap || !id)
        return NULL;
    len = strlen(id);
    i = probe(t, id, len, hash_of(id, len), &found);
    return found ? t->slots[i].obj : NULL;
}

/* The bytes of the one block that holds a table of `cap` slots: entries, then tags. */
static size_t block_size(size_t cap)
{
    return cap * (sizeof(cjm__id_slot) + 1);
}

/* Moves the table to `cap` slots (a power of two that holds every id). */
static int resize(cjm__pool *p, cjm__ids *t, size_t cap)
{
    cjm__id_slot *slots;
    uint8_t *tags;
    /* calloc: every tag EMPTY */
    slots = cjm__calloc(p->alloc, 1, block_size(cap));
    if (!slots)
        return CJM_ENOMEM;
    tags = (uint8_t *)(slots + cap);
    for (size_t i = 0; i < t->cap; i++) {
        if (t->tags[i] >= 0x80) {
            const cjm__id_slot *s = &t->slots[i];
            size_t j = s->hash & (cap - 1);
            while (tags[j])
                j = (j + 1) & (cap - 1);
            slots[j] = *s;
            tags[j] = t->tags[i];
        }
    }
    if (t->slots)
        cjm__pool_adopt(p, t->slots, block_size(t->cap));
    t->slots = slots;
    t->tags = tags;
    t->cap = cap;
    t->tombs = 0;
    return 0;
}

static int grow(cjm__pool *p, cjm__ids *t)
{
    size_t cap = t->cap ? t->cap : 16;
    while ((t->len + 1) * 2 > cap)
        cap *= 2;
    return resize(p, t, cap);
}

int cjm__ids_find_free(cjm__pool *p, cjm__ids *t, const char *id, size_t len, void **existing,
                       cjm__ids_pos *pos)
{
    int found;
    size_t i;
    /* at most 4/5 full: linear probing stays short, and a table of 2^k
     * slots holds up to 0.8 * 2^k ids before it doubles */
    if ((t->len + t->tombs + 1) * 5 > t->cap * 4 && grow(p, t) < 0)
        return CJM_ENOMEM;
    pos->hash = hash_of(id, len);
    i = probe(t, id, len, pos->hash, &found);
    pos->index = i;
    *existing = found ? t->slots[i].obj : NULL;
    return 0;
}

void cjm__ids_put_at(cjm__ids *t, const cjm__ids_pos *pos, void *obj)
{
    cjm__id_slot *s = &t->slots[pos->index];
    if (t->tags[pos->index] == TOMB)
        t->tombs--;
    s->obj = obj;
    s->hash = pos->hash;
    t->tags[pos->index] = TAG(pos->hash);
    t->len++;
}

void cjm__ids_del(cjm__ids *t, const char *id)
{
    int found;
    size_t i, len;
    if (!t->cap)
        return;
    len = strlen(id);
    i = probe(t, id, len, hash_of(id, len), &found);
    if (!found)
        return;
    t->slots[i].obj = NULL;
    t->tags[i] = TOMB;
    t->len--;
    t->tombs++;
}

int cjm__ids_reserve(cjm__pool *p, cjm__ids *t, size_t more)
{
    size_t need = t->len + t->tombs + more, cap = t->cap ? t->cap : 16;
    /* at most 4/5 full, as cjm__ids_find_free() keeps it */
    while (need * 5 > cap * 4)
        cap *= 2;
    return cap == t->cap ? 0 : resize(p, t, cap);
}

uint32_t cjm__ids_hash(const char *id, size_t len)
{
    return hash_of(id, len);
}

/* How many ids ahead of the one it adds cjm__ids_add_all() asks for the
 * tags and the entry where it will go: that many misses of the caches are
 * then waited for at once rather than one after the other. */
#define AHEAD 16

int cjm__ids_add_all(cjm__ids *t, void *const *objs, const uint32_t *hashes, size_t n,
                     int (*before)(const void *, const void *), void **first, void **again)
{
    size_t mask = t->cap - 1;
    int rc = 0;

    for (size_t k = 0; k < n; k++) {
        cjm__ids_pos pos;
        int found;
        void *other = objs[k];
        if (k + AHEAD < n) {
            PREFETCH(&t->tags[hashes[k + AHEAD] & mask], 1);
            PREFETCH(&t->slots[hashes[k + AHEAD] & mask], 1);
        }
        /* items: the address of the id is known without reading the item,
         * which is read only where a tag and the hash agree */
        pos.hash = hashes[k];
        pos.index = probe(t, ((const cjm_item *)other)->id, WHOLE, pos.hash, &found);
        if (!found) {
            cjm__ids_put_at(t, &pos, other);
            continue;
        }
        /* one more use of an id: the table keeps its first use */
        if (before(other, t->slots[pos.index].obj)) {
            void *had = t->slots[pos.index].obj;
            t->slots[pos.index].obj = other;
            other = had;
        }
        if (!*again || before(other, *again)) {
            *again = other;
            *first = t->slots[pos.index].obj;
        }
        rc = CJM_EEXISTS;
    }
    return rc;
}

void cjm__ids_free(const cjm_allocator *a, cjm__ids *t)
{
    cjm__free(a, t->slots);
    memset(t, 0, sizeof *t);
}
