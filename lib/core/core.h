/*
 * Internal services shared by every part of the library: allocation through
 * one place, error recording, UTF-8 checks, growable buffers and arrays, an
 * id hash table and atomic file replacement. Nothing here is exported.
 */
#ifndef CJM_CORE_H
#define CJM_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cjm/common.h"
#include "cjm/error.h"

#if defined(__GNUC__)
#  define CJM__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define CJM__PRINTF(f, a)
#endif

/* ---- allocation: the one place every allocation goes through ---------- */

/* The allocator in force when none is given. */
extern const cjm_allocator cjm__default_allocator;

/* Returns `a` or the default when NULL. */
const cjm_allocator *cjm__alloc_or_default(const cjm_allocator *a);

/* Each records CJM_ENOMEM on failure. cjm__malloc(a, 0) returns NULL. */
void *cjm__malloc(const cjm_allocator *a, size_t size);
void *cjm__calloc(const cjm_allocator *a, size_t count, size_t size);
void *cjm__realloc(const cjm_allocator *a, void *ptr, size_t size);
void cjm__free(const cjm_allocator *a, void *ptr);
char *cjm__strdup(const cjm_allocator *a, const char *s);
char *cjm__strndup(const cjm_allocator *a, const char *s, size_t n);

/*
 * Asks the system to map every whole page of a block of `size` bytes that is
 * about to be written through, in one call, rather than one page fault per
 * page on first touch; some virtual machines pay tens of microseconds a
 * fault. Advice only: where the system does not support it (or `size` is
 * under CJM__PREFAULT_MIN) it does nothing, and it never fails. cjm__calloc()
 * does it for its blocks.
 */
void cjm__prefault(void *ptr, size_t size);
#define CJM__PREFAULT_MIN ((size_t)32 << 10)

/* ---- errors ------------------------------------------------------------ */

/* Records an error on this thread and returns `code`. */
int cjm__error(int code, const char *fmt, ...) CJM__PRINTF(2, 3);
int cjm__verror(int code, const char *fmt, va_list ap);
/* Records an error with a location in an input. `file` may be NULL. */
int cjm__error_at(int code, const char *file, int line, int column, const char *fmt, ...)
    CJM__PRINTF(5, 6);
/* Records CJM_ENOMEM with the standard message. */
int cjm__oom(void);
/* Copy of the last error so a caller can restore it after cleanup that may overwrite it. */
typedef struct cjm__saved_error {
    int code, line, column;
    char message[512];
    char file[256];
} cjm__saved_error;
void cjm__error_save(cjm__saved_error *s);
void cjm__error_restore(const cjm__saved_error *s);

/* ---- text --------------------------------------------------------------- */

/* 1 when `s` (length n) is valid UTF-8 without overlongs or surrogates. */
int cjm__utf8_valid(const char *s, size_t n);
/* 1 when `s` is valid UTF-8 with no control characters but \t \n \r. */
int cjm__text_ok(const char *s);
/* cjm__text_ok() of the `n` bytes at `s`, which need no terminator (a NUL among them is refused). */
int cjm__text_bytes_ok(const char *s, size_t n);
/* 1 when `s` is a usable id: non-empty, valid UTF-8, no whitespace or controls, at most 256 bytes. */
int cjm__id_ok(const char *s);
/* cjm__id_ok() of the `n` bytes at `s`, which need no terminator. */
int cjm__id_bytes_ok(const char *s, size_t n);
/* 1 when `s` is an ISO 8601 date (YYYY-MM-DD) optionally followed by a time. */
int cjm__date_ok(const char *s);
/* FNV-1a of a NUL-terminated string, and of `n` bytes (the same for the same bytes). */
uint64_t cjm__hash(const char *s);
uint64_t cjm__hash_bytes(const char *s, size_t n);

/* ---- words of eight bytes ---------------------------------------------- */

/* Eight bytes tested at once, in a word loaded with memcpy(). */
#define CJM__ONES 0x0101010101010101ULL
#define CJM__HIGH 0x8080808080808080ULL
#define CJM__LOW7 0x7F7F7F7F7F7F7F7FULL

/* The high bit of each byte of `w` that equals `c` (exact: no byte carries into the next). */
static inline uint64_t cjm__word_eq(uint64_t w, unsigned char c)
{
    uint64_t y = w ^ (CJM__ONES * c);
    return ~(((y & CJM__LOW7) + CJM__LOW7) | y) & CJM__HIGH;
}

/* The high bit of each byte of `w` below `n`, for n <= 0x80 (exact). */
static inline uint64_t cjm__word_below(uint64_t w, unsigned n)
{
    return ~((w & CJM__LOW7) + CJM__ONES * (0x80 - n)) & ~w & CJM__HIGH;
}

/* ---- growable byte buffer --------------------------------------------- */

typedef struct cjm__buf {
    const cjm_allocator *alloc;
    char *data;   /* always NUL-terminated once anything is added */
    size_t len;
    size_t cap;
    int failed;   /* a previous append ran out of memory */
} cjm__buf;

void cjm__buf_init(cjm__buf *b, const cjm_allocator *a);
int cjm__buf_grow(cjm__buf *b, size_t extra);
int cjm__buf_put(cjm__buf *b, const char *data, size_t n);
int cjm__buf_puts(cjm__buf *b, const char *s);
int cjm__buf_putc(cjm__buf *b, char c);
int cjm__buf_printf(cjm__buf *b, const char *fmt, ...) CJM__PRINTF(2, 3);
/* Hands the buffer's memory to the caller (NUL-terminated; never NULL unless failed). */
char *cjm__buf_detach(cjm__buf *b, size_t *len);
void cjm__buf_free(cjm__buf *b);

/* Moves a buffer's bytes into a public cjm_buffer (the buffer is left empty). */
int cjm__buf_to_public(cjm__buf *b, cjm_buffer *out);

/*
 * Formats a double canonically: shortest text that reads back to the same
 * value, with a '.' whatever the program's locale.
 */
void cjm__fmt_double(char out[32], double v);
/* strtod() and snprintf() in the C locale, whatever the program's locale. */
double cjm__strtod(const char *s, char **end);
int cjm__snprintf_c(char *out, size_t size, const char *fmt, ...) CJM__PRINTF(3, 4);

/* ---- growable pointer array ------------------------------------------- */

typedef struct cjm__vec {
    void **items;
    size_t len;
    size_t cap;
} cjm__vec;

int cjm__vec_push(const cjm_allocator *a, cjm__vec *v, void *item);
int cjm__vec_insert(const cjm_allocator *a, cjm__vec *v, size_t index, void *item);
void *cjm__vec_remove(cjm__vec *v, size_t index);
void cjm__vec_free(const cjm_allocator *a, cjm__vec *v);

/* ---- hash table: NUL-terminated key (borrowed) -> pointer ------------- */

typedef struct cjm__map_entry {
    const char *key;
    void *value;
    uint64_t hash;
} cjm__map_entry;

typedef struct cjm__hmap {
    cjm__map_entry *slots;
    size_t cap;   /* a power of two, or 0 */
    size_t len;
    size_t tombs;
} cjm__hmap;

void *cjm__hmap_get(const cjm__hmap *m, const char *key);
/* Inserts or replaces. The key is borrowed and must outlive the entry. */
int cjm__hmap_put(const cjm_allocator *a, cjm__hmap *m, const char *key, void *value);
/* Removes; returns the old value or NULL. */
void *cjm__hmap_del(cjm__hmap *m, const char *key);
void cjm__hmap_free(const cjm_allocator *a, cjm__hmap *m);

/* ---- files ------------------------------------------------------------- */

/*
 * Replaces `path` atomically with `len` bytes: a temporary file in the same
 * directory is written, flushed, synced, closed and renamed over `path`,
 * and the directory is synced. On any failure the temporary is removed,
 * `path` is left as it was and CJM_EIO is recorded with the reason.
 */
int cjm__write_file_atomic(const char *path, const void *data, size_t len);

/*
 * Fault points for tests: when set (tests only; see cjm_test_io in the
 * test helpers), cjm__write_file_atomic fails the named step. The hook is
 * per thread, so it is not shared state between users.
 */
typedef enum cjm__io_step {
    CJM__IO_OPEN = 0, CJM__IO_WRITE, CJM__IO_FLUSH, CJM__IO_FSYNC, CJM__IO_CLOSE,
    CJM__IO_RENAME, CJM__IO_STEP_COUNT
} cjm__io_step;
/* Fails the `nth` (1-based) time `step` runs on this thread; 0 disables. */
void cjm__io_fail(cjm__io_step step, int nth);
/* The same, with the failure reporting `err` (0: the step's usual errno). */
void cjm__io_fail_errno(cjm__io_step step, int nth, int err);

/* Reads a whole file, refusing anything larger than `limit` bytes. */
int cjm__read_file(const cjm_allocator *a, const char *path, size_t limit, char **data,
                   size_t *len);

#endif
