/*
 * Shared copies of the ids that many items name: stages, channels, actors
 * and situations. A journey of a hundred thousand touchpoints names its
 * ten stages and four channels a hundred thousand times each; with one
 * counted copy per distinct id in the map, each of those is a pointer.
 * (Transitions and annotations name items that few others name, so their
 * references keep copies of their own: a shared copy would cost a table
 * entry to save a few bytes.)
 */
#include <stddef.h>
#include <string.h>

#include "model_internal.h"

typedef struct shared {
    uint32_t refs, hash;
    uint32_t len; /* of s, without its NUL; ids are at most 256 bytes */
    char s[];
} shared;

#define TOMB ((shared *)&cjm__strs_tomb)
static const shared cjm__strs_tomb = {0, 0, 0};

static shared *of(const char *s)
{
    return (shared *)(void *)(s - offsetof(shared, s));
}

/* cjm__hash() of `len` bytes, folded to 32 bits. */
static uint32_t hash_of(const char *s, size_t len)
{
    uint64_t h = cjm__hash_bytes(s, len);
    return (uint32_t)(h ^ (h >> 32));
}

/* Whether shared copy `p` holds the `len` bytes at `s`. The ids compared
 * are short and mostly equal: a loop here costs less than calling memcmp(). */
static int holds(const shared *p, const char *s, size_t len)
{
    if (p->len != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (p->s[i] != s[i])
            return 0;
    return 1;
}

char *cjm__strs_recent(cjm_map *map, cjm_attr attr, const char *s, size_t len)
{
    for (int k = 0; k < CJM__STRS_RECENT; k++) {
        shared *p = map->strs.recent[attr][k];
        if (p && holds(p, s, len)) {
            p->refs++;
            return p->s;
        }
    }
    return NULL;
}

/* Remembers `p` as a copy attribute `attr` was given; it is not one of
 * those remembered, which cjm__strs_recent() would have found. */
static void remember(cjm__strs *t, cjm_attr attr, shared *p)
{
    t->recent[attr][t->recent_next[attr]] = p;
    t->recent_next[attr] = (unsigned char)((t->recent_next[attr] + 1) % CJM__STRS_RECENT);
}

static int grow(const cjm_allocator *a, cjm__strs *t)
{
    size_t cap = t->cap ? t->cap : 16;
    shared **slots;
    while ((t->len + 1) * 2 > cap)
        cap *= 2;
    slots = cjm__calloc(a, cap, sizeof *slots);
    if (!slots)
        return CJM_ENOMEM;
    for (size_t i = 0; i < t->cap; i++) {
        shared *p = t->slots[i];
        if (p && p != TOMB) {
            size_t j = p->hash & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = p;
        }
    }
    cjm__free(a, t->slots);
    t->slots = slots;
    t->cap = cap;
    t->tombs = 0;
    return 0;
}

char *cjm__strs_get(cjm_map *map, cjm_attr attr, const char *s, size_t len)
{
    cjm__strs *t = &map->strs;
    char *hit = cjm__strs_recent(map, attr, s, len);
    uint32_t h;
    size_t i, free_at = (size_t)-1;
    shared *p;
    if (hit)
        return hit;
    h = hash_of(s, len);
    if ((t->len + t->tombs + 1) * 4 > t->cap * 3 && grow(&map->alloc, t) < 0)
        return NULL;
    for (i = h & (t->cap - 1); (p = t->slots[i]) != NULL; i = (i + 1) & (t->cap - 1)) {
        if (p == TOMB) {
            if (free_at == (size_t)-1)
                free_at = i;
        } else if (p->hash == h && holds(p, s, len)) {
            p->refs++;
            remember(t, attr, p);
            return p->s;
        }
    }
    p = cjm__pool_alloc(&map->pool, sizeof(shared) + len + 1);
    if (!p)
        return NULL;
    if (free_at != (size_t)-1) {
        i = free_at;
        t->tombs--;
    }
    p->refs = 1;
    p->hash = h;
    p->len = (uint32_t)len;
    memcpy(p->s, s, len);
    p->s[len] = '\0';
    t->slots[i] = p;
    t->len++;
    remember(t, attr, p);
    return p->s;
}

void cjm__strs_put(cjm_map *map, char *s)
{
    cjm__strs *t = &map->strs;
    shared *p;
    size_t i;
    if (!s || map->pool.closing)
        return; /* cjm__strs_free() gives back what is left */
    p = of(s);
    if (--p->refs)
        return;
    for (i = p->hash & (t->cap - 1); t->slots[i] != p; i = (i + 1) & (t->cap - 1))
        ;
    t->slots[i] = TOMB;
    t->len--;
    t->tombs++;
    for (int a = 0; a < CJM_ATTR_COUNT; a++)
        for (int k = 0; k < CJM__STRS_RECENT; k++)
            if (t->recent[a][k] == p)
                t->recent[a][k] = NULL;
    cjm__pool_free(&map->pool, p, sizeof(shared) + p->len + 1);
}

void cjm__strs_free(cjm_map *map)
{
    cjm__strs *t = &map->strs;
    /* the pool gives back the small copies with its chunks; long ids are
     * blocks of their own */
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i] && t->slots[i] != TOMB)
            cjm__pool_free(&map->pool, t->slots[i], sizeof(shared) + t->slots[i]->len + 1);
    cjm__free(&map->alloc, t->slots);
    memset(t, 0, sizeof *t);
}
