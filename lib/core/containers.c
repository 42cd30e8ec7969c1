/* Growable buffers, pointer arrays and an open-addressing hash table. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

/* ---- buffer ------------------------------------------------------------ */

void cjm__buf_init(cjm__buf *b, const cjm_allocator *a)
{
    memset(b, 0, sizeof *b);
    b->alloc = a;
}

int cjm__buf_grow(cjm__buf *b, size_t extra)
{
    size_t need, cap;
    char *d;
    if (b->failed)
        return CJM_ENOMEM;
    if (extra > SIZE_MAX - b->len - 1) {
        b->failed = 1;
        return cjm__oom();
    }
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    d = cjm__realloc(b->alloc, b->data, cap);
    if (!d) {
        b->failed = 1;
        return CJM_ENOMEM;
    }
    b->data = d;
    b->cap = cap;
    return 0;
}

int cjm__buf_put(cjm__buf *b, const char *data, size_t n)
{
    if (cjm__buf_grow(b, n) < 0)
        return CJM_ENOMEM;
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int cjm__buf_puts(cjm__buf *b, const char *s)
{
    return cjm__buf_put(b, s, strlen(s));
}

int cjm__buf_putc(cjm__buf *b, char c)
{
    return cjm__buf_put(b, &c, 1);
}

int cjm__buf_printf(cjm__buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    int n;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || cjm__buf_grow(b, (size_t)n) < 0) {
        va_end(ap2);
        return n < 0 ? cjm__error(CJM_ERROR, "formatting failed") : CJM_ENOMEM;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
    return 0;
}

char *cjm__buf_detach(cjm__buf *b, size_t *len)
{
    char *d;
    if (b->failed) {
        cjm__buf_free(b);
        return NULL;
    }
    if (!b->data && cjm__buf_grow(b, 0) < 0)
        return NULL;
    b->data[b->len] = '\0';
    d = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void cjm__buf_free(cjm__buf *b)
{
    cjm__free(b->alloc, b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

int cjm__buf_to_public(cjm__buf *b, cjm_buffer *out)
{
    const cjm_allocator *a = cjm__alloc_or_default(b->alloc);
    size_t len;
    char *data = cjm__buf_detach(b, &len);
    if (!data)
        return CJM_ENOMEM;
    out->data = data;
    out->size = len;
    out->allocator = *a;
    return 0;
}

void cjm_buffer_free(cjm_buffer *buf)
{
    if (!buf)
        return;
    if (buf->data) {
        cjm__free(&buf->allocator, buf->data);
    }
    buf->data = NULL;
    buf->size = 0;
}

/* ---- pointer array ------------------------------------------------------ */

static int vec_reserve(const cjm_allocator *a, cjm__vec *v, size_t need)
{
    size_t cap;
    void **items;
    if (need <= v->cap)
        return 0;
    cap = v->cap ? v->cap * 2 : 8;
    if (cap < need)
        cap = need;
    if (cap > SIZE_MAX / sizeof *items)
        return cjm__oom();
    items = cjm__realloc(a, v->items, cap * sizeof *items);
    if (!items)
        return CJM_ENOMEM;
    v->items = items;
    v->cap = cap;
    return 0;
}

int cjm__vec_push(const cjm_allocator *a, cjm__vec *v, void *item)
{
    if (vec_reserve(a, v, v->len + 1) < 0)
        return CJM_ENOMEM;
    v->items[v->len++] = item;
    return 0;
}

int cjm__vec_insert(const cjm_allocator *a, cjm__vec *v, size_t index, void *item)
{
    if (index > v->len)
        index = v->len;
    if (vec_reserve(a, v, v->len + 1) < 0)
        return CJM_ENOMEM;
    memmove(v->items + index + 1, v->items + index, (v->len - index) * sizeof *v->items);
    v->items[index] = item;
    v->len++;
    return 0;
}

void *cjm__vec_remove(cjm__vec *v, size_t index)
{
    void *item;
    if (index >= v->len)
        return NULL;
    item = v->items[index];
    memmove(v->items + index, v->items + index + 1, (v->len - index - 1) * sizeof *v->items);
    v->len--;
    return item;
}

void cjm__vec_free(const cjm_allocator *a, cjm__vec *v)
{
    cjm__free(a, v->items);
    v->items = NULL;
    v->len = v->cap = 0;
}

/* ---- hash table -------------------------------------------------------- */

#define TOMB ((const char *)&tomb_marker)
static const char tomb_marker = 0;

static size_t find_slot(const cjm__hmap *m, const char *key, uint64_t h)
{
    size_t mask = m->cap - 1, i = (size_t)h & mask;
    for (;;) {
        const cjm__map_entry *e = &m->slots[i];
        if (!e->key)
            return i;
        if (e->key != TOMB && e->hash == h && strcmp(e->key, key) == 0)
            return i;
        i = (i + 1) & mask;
    }
}

void *cjm__hmap_get(const cjm__hmap *m, const char *key)
{
    size_t i;
    if (!m->cap || !key)
        return NULL;
    i = find_slot(m, key, cjm__hash(key));
    return m->slots[i].key ? m->slots[i].value : NULL;
}

static int rehash(const cjm_allocator *a, cjm__hmap *m, size_t cap)
{
    cjm__map_entry *old = m->slots, *slots;
    size_t oldcap = m->cap;
    slots = cjm__calloc(a, cap, sizeof *slots);
    if (!slots)
        return CJM_ENOMEM;
    m->slots = slots;
    m->cap = cap;
    m->tombs = 0;
    for (size_t i = 0; i < oldcap; i++) {
        if (old[i].key && old[i].key != TOMB) {
            size_t mask = cap - 1, j = (size_t)old[i].hash & mask;
            while (slots[j].key)
                j = (j + 1) & mask;
            slots[j] = old[i];
        }
    }
    cjm__free(a, old);
    return 0;
}

int cjm__hmap_put(const cjm_allocator *a, cjm__hmap *m, const char *key, void *value)
{
    uint64_t h = cjm__hash(key);
    size_t i;
    if ((m->len + m->tombs + 1) * 4 >= m->cap * 3) {
        size_t cap = m->cap ? m->cap : 16;
        while ((m->len + 1) * 2 >= cap)
            cap *= 2;
        if (rehash(a, m, cap) < 0)
            return CJM_ENOMEM;
    }
    i = find_slot(m, key, h);
    if (!m->slots[i].key)
        m->len++;
    m->slots[i].key = key;
    m->slots[i].value = value;
    m->slots[i].hash = h;
    return 0;
}

void *cjm__hmap_del(cjm__hmap *m, const char *key)
{
    size_t i;
    void *v;
    if (!m->cap)
        return NULL;
    i = find_slot(m, key, cjm__hash(key));
    if (!m->slots[i].key)
        return NULL;
    v = m->slots[i].value;
    m->slots[i].key = TOMB;
    m->slots[i].value = NULL;
    m->len--;
    m->tombs++;
    return v;
}

void cjm__hmap_free(const cjm_allocator *a, cjm__hmap *m)
{
    cjm__free(a, m->slots);
    memset(m, 0, sizeof *m);
}
