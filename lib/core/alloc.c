/* The single place through which the library allocates. */
#undef _POSIX_C_SOURCE
#define _DEFAULT_SOURCE /* madvise */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core.h"

static void *default_fn(void *ud, void *ptr, size_t size)
{
    (void)ud;
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, size);
}

const cjm_allocator cjm__default_allocator = {default_fn, NULL};

const cjm_allocator *cjm__alloc_or_default(const cjm_allocator *a)
{
    return (a && a->fn) ? a : &cjm__default_allocator;
}

void *cjm__malloc(const cjm_allocator *a, size_t size)
{
    void *p;
    if (size == 0)
        return NULL;
    a = cjm__alloc_or_default(a);
    p = a->fn(a->ud, NULL, size);
    if (!p)
        cjm__oom();
    return p;
}

void *cjm__calloc(const cjm_allocator *a, size_t count, size_t size)
{
    void *p;
    if (count == 0 || size == 0)
        return NULL;
    if (count > SIZE_MAX / size) {
        cjm__oom();
        return NULL;
    }
    p = cjm__malloc(a, count * size);
    if (p) {
        cjm__prefault(p, count * size);
        memset(p, 0, count * size);
    }
    return p;
}

void cjm__prefault(void *ptr, size_t size)
{
#ifdef MADV_POPULATE_WRITE
    long ps = sysconf(_SC_PAGESIZE);
    uintptr_t page = ps > 0 ? (uintptr_t)ps : 4096;
    uintptr_t lo = ((uintptr_t)ptr + page - 1) & ~(page - 1);
    uintptr_t hi = ((uintptr_t)ptr + size) & ~(page - 1);
    if (size >= CJM__PREFAULT_MIN && hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
#else
    (void)ptr;
    (void)size;
#endif
}

void *cjm__realloc(const cjm_allocator *a, void *ptr, size_t size)
{
    void *p;
    a = cjm__alloc_or_default(a);
    if (size == 0) {
        a->fn(a->ud, ptr, 0);
        return NULL;
    }
    p = a->fn(a->ud, ptr, size);
    if (!p)
        cjm__oom();
    return p;
}

void cjm__free(const cjm_allocator *a, void *ptr)
{
    if (!ptr)
        return;
    a = cjm__alloc_or_default(a);
    a->fn(a->ud, ptr, 0);
}

char *cjm__strndup(const cjm_allocator *a, const char *s, size_t n)
{
    char *d = cjm__malloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *cjm__strdup(const cjm_allocator *a, const char *s)
{
    return s ? cjm__strndup(a, s, strlen(s)) : NULL;
}
