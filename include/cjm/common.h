/**
 * @file cjm/common.h
 * @brief Export macro, result codes, the allocator hook and version queries.
 *
 * Every function of the library returns either a pointer (documented as
 * owned or borrowed) or an `int` that is 0 on success or one of the
 * negative `CJM_E...` codes below. After a failure, cjm_error_last() gives
 * the details of the failure on the calling thread.
 */
#ifndef CJM_COMMON_H
#define CJM_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @cond INTERNAL */
#if defined(_WIN32) && defined(CJM_SHARED_BUILD)
#  define CJM_EXTERN __declspec(dllexport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define CJM_EXTERN __attribute__((visibility("default")))
#else
#  define CJM_EXTERN
#endif
/** @endcond */

/** Major version: changes when the API breaks. */
#define CJM_VERSION_MAJOR 0
/** Minor version: changes when the API grows. */
#define CJM_VERSION_MINOR 1
/** Patch version: changes for fixes only. */
#define CJM_VERSION_PATCH 0
/** The version as a string. */
#define CJM_VERSION "0.1.0"
/** The version as one comparable number: major * 10000 + minor * 100 + patch. */
#define CJM_VERSION_NUMBER \
    (CJM_VERSION_MAJOR * 10000 + CJM_VERSION_MINOR * 100 + CJM_VERSION_PATCH)

/** Result codes; 0 (#CJM_OK) means success, every failure is negative. */
typedef enum cjm_errno {
    CJM_OK = 0,            /**< success */
    CJM_ERROR = -1,        /**< a failure with no better code */
    CJM_ENOMEM = -2,       /**< an allocation failed; nothing was changed */
    CJM_EINVAL = -3,       /**< an argument was invalid (NULL, out of range, wrong kind) */
    CJM_ENOTFOUND = -4,    /**< the thing looked for does not exist or is unset */
    CJM_EEXISTS = -5,      /**< an id is already in use */
    CJM_EPARSE = -6,       /**< input was rejected: syntax, structure or meaning */
    CJM_EINVALID = -7,     /**< the document fails validation */
    CJM_EIO = -8,          /**< reading or writing a file failed */
    CJM_ELIMIT = -9,       /**< a size, depth or count limit was exceeded */
    CJM_EUNSUPPORTED = -10,/**< the request is not supported (format, feature) */
    CJM_ITEROVER = -11,    /**< an iterator has no more elements (not a failure) */
    CJM_ERRNO_LAST = -11   /**< the most negative code in use */
} cjm_errno;

/**
 * A short, static English text for a result code, such as "out of memory".
 * Never returns NULL: unknown codes give "unknown error".
 */
CJM_EXTERN const char *cjm_strerror(int code);

/**
 * An allocation function, in the manner of Lua's lua_Alloc.
 *
 * - `ptr == NULL, size > 0`: allocate `size` bytes (like malloc);
 * - `ptr != NULL, size > 0`: resize (like realloc);
 * - `size == 0`: free `ptr` (which may be NULL) and return NULL.
 *
 * Returning NULL for a non-zero size reports exhaustion; the library then
 * fails the operation with #CJM_ENOMEM and leaves no partial state behind.
 * `ud` is the `ud` member of the cjm_allocator it came with.
 */
typedef void *(*cjm_alloc_fn)(void *ud, void *ptr, size_t size);

/**
 * An allocator: a function and its user data. Every allocation the library
 * makes for an object goes through the allocator the object was created
 * with; the functions that accept one take NULL to mean the C library's
 * malloc, realloc and free.
 *
 * The allocator must stay valid, and must be usable from whichever thread
 * uses the objects it allocated, until the last such object is freed.
 * libxml2 and Graphviz allocate with their own allocators.
 */
typedef struct cjm_allocator {
    cjm_alloc_fn fn; /**< the allocation function */
    void *ud;        /**< passed back to `fn` untouched */
} cjm_allocator;

/**
 * Bytes the library hands to the caller (a rendered diagram, a written
 * document). `data` is NUL-terminated for convenience and `size` does not
 * count the NUL. The caller owns the bytes and releases them with
 * cjm_buffer_free(), which uses the allocator recorded in the buffer.
 */
typedef struct cjm_buffer {
    char *data;              /**< the bytes, or NULL when empty */
    size_t size;             /**< the number of bytes, without the final NUL */
    cjm_allocator allocator; /**< what allocated `data`; the library sets it */
} cjm_buffer;

/** A buffer initialiser: `cjm_buffer buf = CJM_BUFFER_INIT;` */
#define CJM_BUFFER_INIT {NULL, 0, {NULL, NULL}}

/**
 * Frees a buffer's bytes and resets it to empty. NULL, and a buffer that
 * is already empty, are fine.
 */
CJM_EXTERN void cjm_buffer_free(cjm_buffer *buf);

/** The library's version string, such as "0.1.0". Static; never NULL. */
CJM_EXTERN const char *cjm_version(void);

/**
 * The library's version as numbers. Any pointer may be NULL.
 * @return 0 always.
 */
CJM_EXTERN int cjm_version_numbers(int *major, int *minor, int *patch);

#ifdef __cplusplus
}
#endif

#endif
