/*
 * The id tables of a map and of its journeys: open addressing with linear
 * probing over 16-byte slots that hold the object and a 32-bit hash of its
 * id. The id itself is the object's own (an item's id lives in its block),
 * so the table copies no key and a probe reads a string only when the
 * hashes agree. Adding looks the id up and finds the free slot in one
 * probe sequence.
 */
#include <string.h>

#include "model_internal.h"

#define TOMB ((void *)&cjm__ids_tomb)
static const char cjm__ids_tomb = 0;

static uint32_t hash_of(const char *s)
{
    uint64_t h = cjm__hash(s);
    return (uint32_t)(h ^ (h >> 32));
}

/* The id of an item or a journey (they share their first member, the kind). */
static const char *id_of(const void *obj)
{
    const cjm_item *it = obj;
    return it->kind == CJM__JOURNEY_TAG ? ((const cjm_journey *)obj)->id : it->id;
}

/* Where `id` is, or the first free slot (after any tombstone) where it would go. */
static size_t probe(const cjm__ids *t, const char *id, uint32_t h, int *found)
{
    size_t mask = t->cap - 1, i = h & mask, free_at = (size_t)-1;
    for (;;) {
        const cjm__id_slot *s = &t->slots[i];
        if (!s->obj) {
            *found = 0;
            return free_at != (size_t)-1 ? free_at : i;
        }
        if (s->obj == TOMB) {
            if (free_at == (size_t)-1)
                free_at = i;
        } else if (s->hash == h && strcmp(id_of(s->obj), id) == 0) {
            *found = 1;
            return i;
        }
        i = (i + 1) & mask;
    }
}

void *cjm__ids_get(const cjm__ids *t, const char *id)
{
    int found;
    size_t i;
    if (!t->cap || !id)
        return NULL;
    i = probe(t, id, hash_of(id), &found);
    return found ? t->slots[i].obj : NULL;
}

static int grow(cjm__pool *p, cjm__ids *t)
{
    size_t cap = t->cap ? t->cap : 16;
    cjm__id_slot *slots;
    while ((t->len + 1) * 2 > cap)
        cap *= 2;
    slots = cjm__calloc(p->alloc, cap, sizeof *slots);
    if (!slots)
        return CJM_ENOMEM;
    for (size_t i = 0; i < t->cap; i++) {
        const cjm__id_slot *s = &t->slots[i];
        if (s->obj && s->obj != TOMB) {
            size_t j = s->hash & (cap - 1);
            while (slots[j].obj)
                j = (j + 1) & (cap - 1);
            slots[j] = *s;
        }
    }
    cjm__pool_adopt(p, t->slots, t->cap * sizeof *t->slots);
    t->slots = slots;
    t->cap = cap;
    t->tombs = 0;
    return 0;
}

int cjm__ids_find_free(cjm__pool *p, cjm__ids *t, const char *id, void **existing,
                       cjm__ids_pos *pos)
{
    int found;
    size_t i;
    /* at most 4/5 full: linear probing stays short, and a table of 2^k
     * slots holds up to 0.8 * 2^k ids before it doubles */
    if ((t->len + t->tombs + 1) * 5 > t->cap * 4 && grow(p, t) < 0)
        return CJM_ENOMEM;
    pos->hash = hash_of(id);
    i = probe(t, id, pos->hash, &found);
    pos->index = i;
    *existing = found ? t->slots[i].obj : NULL;
    return 0;
}

void cjm__ids_put_at(cjm__ids *t, const cjm__ids_pos *pos, void *obj)
{
    cjm__id_slot *s = &t->slots[pos->index];
    if (s->obj == TOMB)
        t->tombs--;
    s->obj = obj;
    s->hash = pos->hash;
    t->len++;
}

void cjm__ids_del(cjm__ids *t, const char *id)
{
    int found;
    size_t i;
    if (!t->cap)
        return;
    i = probe(t, id, hash_of(id), &found);
    if (!found)
        return;
    t->slots[i].obj = TOMB;
    t->len--;
    t->tombs++;
}

void cjm__ids_free(const cjm_allocator *a, cjm__ids *t)
{
    cjm__free(a, t->slots);
    memset(t, 0, sizeof *t);
}
