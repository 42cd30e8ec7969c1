/*
 * The map's pool of small blocks: items, their ids, attribute slots,
 * strings, lists and KPIs. A journey of a hundred thousand touchpoints
 * holds well over a million of these; taking each from the allocator
 * costs a call, a header and rounding for every one. The pool takes
 * chunks from the map's allocator instead and hands out blocks of 8-byte
 * size classes from them; a freed block goes on its class's free list and
 * is used again, so a map that is edited for a long time does not grow
 * without end. Everything is given back when the map is freed.
 *
 * Blocks larger than CJM__POOL_MAX go to the allocator directly. Callers
 * say the size of what they free, as they know it (a string's length, an
 * array's capacity), so blocks carry no header.
 *
 * Under AddressSanitizer, free blocks and unused chunk space are poisoned,
 * so that a use after free inside the pool is still caught.
 */
#include <string.h>

#include "model_internal.h"

#if defined(__SANITIZE_ADDRESS__)
#  define POOL_ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define POOL_ASAN 1
#  endif
#endif
#ifdef POOL_ASAN
#  include <sanitizer/asan_interface.h>
#  define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#  define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#  define POISON(p, n) ((void)(p), (void)(n))
#  define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define FIRST_CHUNK ((size_t)2048)
#define LAST_CHUNK ((size_t)64 << 10)
/* A chunk starts with the link to the previous one and its size. */
#define CHUNK_HEAD ((size_t)16)

static size_t rounded(size_t size)
{
    return (size + CJM__POOL_GRAIN - 1) & ~(size_t)(CJM__POOL_GRAIN - 1);
}

void cjm__pool_init(cjm__pool *p, const cjm_allocator *a)
{
    memset(p, 0, sizeof *p);
    p->alloc = a;
    p->chunk_size = FIRST_CHUNK;
}

/* Takes a new chunk; the rest of the current one is left unused. */
static int new_chunk(cjm__pool *p, size_t need)
{
    size_t size = p->chunk_size;
    char *c;
    if (p->one_per_block)
        size = CHUNK_HEAD + need;
    while (size - CHUNK_HEAD < need)
        size *= 2;
    c = cjm__malloc(p->alloc, size);
    if (!c)
        return CJM_ENOMEM;
    ((void **)c)[0] = p->chunks;
    ((size_t *)c)[1] = size;
    p->chunks = c;
    p->next = c + CHUNK_HEAD;
    p->end = c + size;
    cjm__prefault(c, size);
    POISON(p->next, size - CHUNK_HEAD);
    if (p->chunk_size < LAST_CHUNK)
        p->chunk_size *= 2;
    return 0;
}

void cjm__pool_adopt(cjm__pool *p, void *block, size_t size)
{
    char *c = block;
    if (!c)
        return;
    /* worth it only when it offers more room than the current chunk has left */
    if (p->one_per_block || p->closing || size < CHUNK_HEAD + CJM__POOL_MAX ||
        size - CHUNK_HEAD <= (size_t)(p->end - p->next)) {
        cjm__free(p->alloc, block);
        return;
    }
    ((void **)c)[0] = p->chunks;
    ((size_t *)c)[1] = size;
    p->chunks = c;
    p->next = c + CHUNK_HEAD;
    p->end = c + size;
    POISON(p->next, size - CHUNK_HEAD);
}

void cjm__pool_one_per_block(cjm__pool *p)
{
    p->one_per_block = 1;
    p->next = p->end = NULL;
}

void *cjm__pool_alloc(cjm__pool *p, size_t size)
{
    size_t n = rounded(size ? size : 1), cls;
    void *b;
    if (n > CJM__POOL_MAX)
        return cjm__malloc(p->alloc, size);
    cls = n / CJM__POOL_GRAIN - 1;
    b = p->free[cls];
    if (b) {
        UNPOISON(b, n);
        p->free[cls] = *(void **)b;
        return b;
    }
    if ((size_t)(p->end - p->next) < n && new_chunk(p, n) < 0)
        return NULL;
    b = p->next;
    p->next += n;
    UNPOISON(b, n);
    return b;
}

void cjm__pool_free(cjm__pool *p, void *ptr, size_t size)
{
    size_t n = rounded(size ? size : 1), cls;
    if (!ptr)
        return;
    if (n > CJM__POOL_MAX) {
        cjm__free(p->alloc, ptr);
        return;
    }
    if (p->closing)
        return; /* the chunks are about to go */
    cls = n / CJM__POOL_GRAIN - 1;
    *(void **)ptr = p->free[cls];
    p->free[cls] = ptr;
    POISON(ptr, n);
}

void *cjm__pool_resize(cjm__pool *p, void *ptr, size_t old, size_t size)
{
    void *b;
    if (ptr && rounded(old ? old : 1) > CJM__POOL_MAX && rounded(size) > CJM__POOL_MAX)
        return cjm__realloc(p->alloc, ptr, size);
    b = cjm__pool_alloc(p, size);
    if (!b)
        return NULL;
    if (ptr) {
        memcpy(b, ptr, old < size ? old : size);
        cjm__pool_free(p, ptr, old);
    }
    return b;
}

char *cjm__pool_strndup(cjm__pool *p, const char *s, size_t len)
{
    char *d = cjm__pool_alloc(p, len + 1);
    if (!d)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *cjm__pool_strdup(cjm__pool *p, const char *s)
{
    return cjm__pool_strndup(p, s, strlen(s));
}

void cjm__pool_free_str(cjm__pool *p, char *s)
{
    if (s)
        cjm__pool_free(p, s, strlen(s) + 1);
}

void cjm__pool_destroy(cjm__pool *p)
{
    /* Oldest first: the order they were taken in, which is the order a
     * heap allocator lays them out; freed so, they merge into one free
     * area that the next map can use again. */
    void *c = p->chunks, *older = NULL;
    while (c) {
        void *prev;
        UNPOISON(c, CHUNK_HEAD);
        prev = ((void **)c)[0];
        ((void **)c)[0] = older;
        older = c;
        c = prev;
    }
    for (c = older; c;) {
        void *next = ((void **)c)[0];
        UNPOISON(c, ((size_t *)c)[1]);
        cjm__free(p->alloc, c);
        c = next;
    }
    memset(p, 0, sizeof *p);
}
