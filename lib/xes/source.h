/*
 * The bytes of a log file, inflated when the file is compressed with gzip
 * or xz (told apart by their first bytes, not by the name). The source
 * counts the bytes it took from the file as well as those it gives, so
 * that a caller can bound the ratio between the two while reading, not
 * only against the size of the whole file.
 */
#ifndef CJM_XES_SOURCE_H
#define CJM_XES_SOURCE_H

#include <stddef.h>

#include "core/core.h"

/* The most one read may ask for: its count must fit zlib's counters and a long. */
#define XES_SOURCE_READ_MAX ((size_t)1 << 30)

typedef struct xes_source xes_source;

/*
 * Opens `path` for reading. Fails with CJM_EIO (and a message naming the
 * path) when it cannot be opened or is not a regular file (a FIFO is
 * refused without waiting for a writer), CJM_ENOMEM when
 * memory runs out. `*out` is set on success only.
 */
int xes_source_open(xes_source **out, const char *path, const cjm_allocator *a);

/*
 * Reads up to `len` bytes (after decompression) into `buf`, `len` from 1
 * to XES_SOURCE_READ_MAX. Returns how many, 0 at the end of the data, or
 * a negative error code with a message naming the path: CJM_EIO for a
 * read error, CJM_EPARSE for damaged or truncated compressed data,
 * CJM_ELIMIT when xz asks for more memory than it is allowed, CJM_ENOMEM.
 */
long xes_source_read(xes_source *s, char *buf, size_t len);

/* The bytes taken from the file so far: compressed bytes for gzip and xz. */
unsigned long long xes_source_consumed(const xes_source *s);

/* Closes the file and frees everything; NULL is ignored. */
void xes_source_close(xes_source *s);

#endif
