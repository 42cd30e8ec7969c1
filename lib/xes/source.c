/*
 * Plain, gzip and xz files read through one interface. zlib and liblzma
 * are driven directly, rather than through libxml2's input layer, for two
 * reasons: the number of compressed bytes consumed is known at every step
 * (so that a bomb is caught by its running ratio even when its gzip
 * trailer lies), and their allocations go through cjm's allocator.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lzma.h>
#include <zlib.h>

#include "xes/source.h"

#define IN_CHUNK (64 * 1024)
/* The most memory the xz decoder may use: xz -9 needs 65 MiB. */
#define XZ_MEMLIMIT ((uint64_t)128 << 20)

typedef enum source_kind { SOURCE_PLAIN = 0, SOURCE_GZIP, SOURCE_XZ } source_kind;

struct xes_source {
    const cjm_allocator *a;
    const char *path;
    source_kind kind;
    int fd;
    int eof;         /* a read found no more bytes */
    int between;     /* gzip: a member ended, another one or padding follows */
    int finished;    /* the compressed stream ended */
    unsigned long long consumed;
    unsigned char *in; /* compressed bytes read but not yet used */
    size_t in_len;
    z_stream z;
    int z_live;
    lzma_stream xz;
    lzma_allocator xz_alloc;
    int xz_live;
};

static void *z_alloc(void *opaque, unsigned items, unsigned size)
{
    return cjm__calloc(opaque, items, size);
}

static void z_free(void *opaque, void *p)
{
    cjm__free(opaque, p);
}

static void *xz_alloc(void *opaque, size_t nmemb, size_t size)
{
    return cjm__calloc(opaque, nmemb, size);
}

static void xz_free(void *opaque, void *p)
{
    cjm__free(opaque, p);
}

/*
 * Reads up to `len` bytes of the file into `buf`: how many, 0 at its end
 * (s->eof is then set), or CJM_EIO. A signal that interrupts the read is
 * not an error; a regular file on a local disk is never interrupted.
 */
static long read_file(xes_source *s, void *buf, size_t len)
{
    ssize_t n;
    do
        n = read(s->fd, buf, len);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return cjm__error_at(CJM_EIO, s->path, 0, 0, "%s: read failed: %s", s->path,
                             strerror(errno));
    s->eof = n == 0;
    return (long)n;
}

/*
 * Refills s->in: the `kept` bytes at `unused` not yet used (there are at
 * most IN_CHUNK - 1) moved to its start, then as much of the file as fits.
 */
static int fill(xes_source *s, const unsigned char *unused, size_t kept)
{
    long n;
    memmove(s->in, unused, kept);
    if ((n = read_file(s, s->in + kept, IN_CHUNK - kept)) < 0)
        return (int)n;
    s->in_len = kept + (size_t)n;
    return 0;
}

int xes_source_open(xes_source **out, const char *path, const cjm_allocator *a)
{
    struct stat st;
    xes_source *s;
    int fd, rc;

    /*
     * Opened before it is looked at, so that what is checked is what is
     * read. O_NONBLOCK: opening a FIFO must not wait for a writer (it is
     * then refused); it is of no use on a regular file, and cleared.
     */
    do
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return cjm__error_at(CJM_EIO, path, 0, 0, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return cjm__error_at(CJM_EIO, path, 0, 0, "%s: not a regular file", path);
    }
    (void)fcntl(fd, F_SETFL, 0); /* should it fail, O_NONBLOCK does nothing to a regular file */
    s = cjm__calloc(a, 1, sizeof *s);
    if (!s || !(s->in = cjm__malloc(a, IN_CHUNK))) {
        cjm__free(a, s);
        close(fd);
        return CJM_ENOMEM;
    }
    s->a = a;
    s->path = path;
    s->fd = fd;
    if ((rc = fill(s, s->in, 0)) < 0) {
        xes_source_close(s);
        return rc;
    }
    if (s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b) {
        s->kind = SOURCE_GZIP;
        s->z.zalloc = z_alloc;
        s->z.zfree = z_free;
        s->z.opaque = (void *)a;
        if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK) {
            xes_source_close(s);
            return cjm__error(CJM_ENOMEM, "out of memory");
        }
        s->z_live = 1;
        s->z.next_in = s->in;
        s->z.avail_in = (uInt)s->in_len;
    } else if (s->in_len >= 6 && memcmp(s->in, "\xFD" "7zXZ\0", 6) == 0) {
        lzma_ret r;
        s->kind = SOURCE_XZ;
        s->xz_alloc.alloc = xz_alloc;
        s->xz_alloc.free = xz_free;
        s->xz_alloc.opaque = (void *)a;
        s->xz = (lzma_stream)LZMA_STREAM_INIT;
        s->xz.allocator = &s->xz_alloc;
        r = lzma_stream_decoder(&s->xz, XZ_MEMLIMIT, LZMA_CONCATENATED);
        if (r != LZMA_OK) {
            xes_source_close(s);
            return cjm__error(CJM_ENOMEM, "out of memory");
        }
        s->xz_live = 1;
        s->xz.next_in = s->in;
        s->xz.avail_in = s->in_len;
    }
    *out = s;
    return 0;
}

static long read_plain(xes_source *s, char *buf, size_t len)
{
    long n;
    if (s->in_len == 0) {
        /* nothing left over from opening: straight into the caller's buffer, no copy */
        if ((n = read_file(s, buf, len)) > 0)
            s->consumed += (unsigned long)n;
        return n;
    }
    n = (long)(s->in_len < len ? s->in_len : len);
    memcpy(buf, s->in, (size_t)n);
    s->consumed += (unsigned long)n;
    s->in_len -= (size_t)n;
    memmove(s->in, s->in + n, s->in_len);
    return n;
}

/* After the end of a gzip member: another member, zero padding, or an error. */
static int after_gzip_member(xes_source *s)
{
    if (s->z.avail_in >= 2 && s->z.next_in[0] == 0x1f && s->z.next_in[1] == 0x8b) {
        inflateReset(&s->z);
        s->between = 0;
        return 0;
    }
    for (size_t i = 0; i < s->z.avail_in; i++)
        if (s->z.next_in[i] != 0)
            return cjm__error_at(CJM_EPARSE, s->path, 0, 0,
                                 "%s: damaged gzip data (bytes after the end of the "
                                 "compressed stream)",
                                 s->path);
    s->consumed += s->z.avail_in;
    s->z.avail_in = 0;
    s->finished = s->eof;
    return 0;
}

static long read_gzip(xes_source *s, char *buf, size_t len)
{
    s->z.next_out = (unsigned char *)buf;
    s->z.avail_out = (uInt)len;
    while (s->z.avail_out == len && !s->finished) {
        uInt before;
        int zr, rc;
        /* two bytes at least, so that a member's magic is seen whole (at the end
           of the file, reading again finds nothing again) */
        if (s->z.avail_in < 2) {
            if ((rc = fill(s, s->z.next_in, s->z.avail_in)) < 0)
                return rc;
            s->z.next_in = s->in;
            s->z.avail_in = (uInt)s->in_len;
        }
        if (s->between) {
            if ((rc = after_gzip_member(s)) < 0)
                return rc;
            continue;
        }
        if (s->z.avail_in == 0) /* and so at the end of the file */
            return cjm__error_at(CJM_EPARSE, s->path, 0, 0,
                                 "%s: the gzip data ends early (the file is truncated)",
                                 s->path);
        before = s->z.avail_in;
        zr = inflate(&s->z, Z_NO_FLUSH);
        s->consumed += before - s->z.avail_in;
        if (zr == Z_STREAM_END)
            s->between = 1;
        else if (zr == Z_MEM_ERROR)
            return cjm__error(CJM_ENOMEM, "out of memory");
        else if (zr != Z_OK)
            /* Z_DATA_ERROR, which comes with its reason; with input and room to write
               to, and no dictionary in gzip, zlib returns no other code */
            return cjm__error_at(CJM_EPARSE, s->path, 0, 0, "%s: damaged gzip data (%s)",
                                 s->path, s->z.msg ? s->z.msg : "invalid stream");
    }
    return (long)(len - s->z.avail_out);
}

static long read_xz(xes_source *s, char *buf, size_t len)
{
    s->xz.next_out = (uint8_t *)buf;
    s->xz.avail_out = len;
    while (s->xz.avail_out == len && !s->finished) {
        size_t before;
        lzma_ret r;
        int rc;
        if (s->xz.avail_in == 0 && !s->eof) {
            if ((rc = fill(s, s->xz.next_in, 0)) < 0)
                return rc;
            s->xz.next_in = s->in;
            s->xz.avail_in = s->in_len;
        }
        before = s->xz.avail_in;
        /* at the end of the file all of it was handed over */
        r = lzma_code(&s->xz, s->eof ? LZMA_FINISH : LZMA_RUN);
        s->consumed += before - s->xz.avail_in;
        switch (r) {
        case LZMA_OK:
            break;
        case LZMA_STREAM_END:
            s->finished = 1;
            break;
        case LZMA_MEM_ERROR:
            return cjm__error(CJM_ENOMEM, "out of memory");
        case LZMA_MEMLIMIT_ERROR:
            return cjm__error_at(CJM_ELIMIT, s->path, 0, 0,
                                 "%s: the xz data needs more than %llu MiB to decompress",
                                 s->path, (unsigned long long)(XZ_MEMLIMIT >> 20));
        case LZMA_BUF_ERROR:
            return cjm__error_at(CJM_EPARSE, s->path, 0, 0,
                                 "%s: the xz data ends early (the file is truncated)", s->path);
        case LZMA_OPTIONS_ERROR:
            return cjm__error_at(CJM_EPARSE, s->path, 0, 0,
                                 "%s: xz data with options this reader does not support",
                                 s->path);
        default:
            return cjm__error_at(CJM_EPARSE, s->path, 0, 0, "%s: damaged xz data", s->path);
        }
    }
    return (long)(len - s->xz.avail_out);
}

long xes_source_read(xes_source *s, char *buf, size_t len)
{
    switch (s->kind) {
    case SOURCE_GZIP:
        return read_gzip(s, buf, len);
    case SOURCE_XZ:
        return read_xz(s, buf, len);
    default:
        return read_plain(s, buf, len);
    }
}

unsigned long long xes_source_consumed(const xes_source *s)
{
    return s->consumed;
}

void xes_source_close(xes_source *s)
{
    if (!s)
        return;
    if (s->z_live)
        inflateEnd(&s->z);
    if (s->xz_live)
        lzma_end(&s->xz);
    close(s->fd);
    cjm__free(s->a, s->in);
    cjm__free(s->a, s);
}
