/*
 * The compressed inputs of the XES reader, read through cjm_mine_file():
 * gzip members one after another, with zero padding or bytes after them,
 * members that end at the very edge of a read, damaged, truncated and
 * lying streams, xz streams concatenated, padded, damaged, truncated, with
 * options the reader does not support or a dictionary above its memory
 * limit, a file that cannot be read, the size and ratio limits, and every
 * allocation of a compressed read failing in turn. Every refusal has its
 * code, names the file and hands out no result. The source is also driven
 * on its own: files that are not regular, reads of any size, and reads
 * that fail after others succeeded.
 */
#include "support.h"

#include <fcntl.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "xes/source.h"

#define LOG_HEAD "<log xes.version='1.0' xmlns='http://www.xes-standard.org/'>"
#define EVENT(a) "<event><string key='concept:name' value='" a "'/></event>"
#define LOG_DOC LOG_HEAD "<trace>" EVENT("a") EVENT("b") "</trace></log>"

/* The size of the reader's reads from the file. */
#define CHUNK 65536

typedef struct bytes {
    unsigned char *p;
    size_t n, cap;
} bytes;

static void put(bytes *b, const void *data, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
}

static void put_str(bytes *b, const char *s)
{
    put(b, s, strlen(s));
}

static void put_le32(bytes *b, unsigned long v)
{
    unsigned char le[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 24)};
    put(b, le, 4);
}

/* One gzip member of `data`, compressed by zlib at `level`. */
static void put_gzip(bytes *b, const void *data, size_t n, int level)
{
    z_stream z;
    unsigned char out[16384];
    int zr;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                     Z_OK);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)n;
    do {
        z.next_out = out;
        z.avail_out = sizeof out;
        zr = deflate(&z, Z_FINISH);
        assert_true(zr == Z_OK || zr == Z_STREAM_END);
        put(b, out, sizeof out - z.avail_out);
    } while (zr != Z_STREAM_END);
    deflateEnd(&z);
}

/*
 * One gzip member written by hand with a single stored block: exactly
 * 23 + n bytes, so that a test can place the member's end where it wants.
 */
static void put_gzip_stored(bytes *b, const void *data, size_t n)
{
    static const unsigned char head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    unsigned char block[5] = {1, (unsigned char)n, (unsigned char)(n >> 8),
                              (unsigned char)~n, (unsigned char)(~n >> 8)};
    assert_true(n <= 65535);
    put(b, head, sizeof head);
    put(b, block, sizeof block);
    put(b, data, n);
    put_le32(b, crc32(0, data, (uInt)n));
    put_le32(b, (unsigned long)n);
}

/* One xz stream of `data` (preset 0, CRC32 check). */
static void put_xz(bytes *b, const void *data, size_t n)
{
    size_t cap = lzma_stream_buffer_bound(n), pos = 0;
    unsigned char *out = malloc(cap);
    assert_non_null(out);
    assert_int_equal(lzma_easy_buffer_encode(0, LZMA_CHECK_CRC32, NULL, data, n, out, &pos, cap),
                     LZMA_OK);
    put(b, out, pos);
    free(out);
}

/* A log whose text is `len` bytes long, padded with a comment of letters that do not repeat. */
static char *padded_log(size_t len)
{
    static const char head[] = LOG_HEAD "<trace>" EVENT("a") "<!--";
    static const char tail[] = "-->" EVENT("b") "</trace></log>";
    char *s = malloc(len + 1);
    unsigned long x = 12345;
    assert_non_null(s);
    assert_true(len > sizeof head + sizeof tail);
    memcpy(s, head, sizeof head - 1);
    for (size_t i = sizeof head - 1; i < len - (sizeof tail - 1); i++) {
        x = x * 1103515245UL + 12345UL;
        s[i] = (i % 80 == 79) ? '\n' : (char)('a' + (x >> 16) % 26);
    }
    memcpy(s + len - (sizeof tail - 1), tail, sizeof tail);
    return s;
}

static const char *write_case(const char *name, const bytes *b)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/%s", test_scratch_dir("cov-source"), name);
    test_write_file(path, b->p, b->n);
    return path;
}

/* Mines the file and checks that it holds the two events of LOG_DOC (or a padded log). */
static void assert_reads_two_events(const char *path)
{
    cjm_mine_result *r = NULL;
    int rc = cjm_mine_file(&r, path, NULL, NULL);
    if (rc != 0)
        fail_msg("%s: %d %s", path, rc, cjm_error_last()->message);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_TRACES), 1);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS), 2);
    assert_int_equal(cjm_mine_transition_count(r), 1);
    cjm_mine_result_free(r);
}

/* Mines the file with `o` and checks the refusal: code, file, message; no result. */
static void assert_refused(const char *path, const cjm_mine_options *o, int code,
                           const char *words)
{
    cjm_mine_result *r = NULL;
    const cjm_error *e;
    int rc = cjm_mine_file(&r, path, o, NULL);
    e = cjm_error_last();
    if (rc != code || !strstr(e->message, words))
        fail_msg("%s: expected %d '%s', got %d '%s'", path, code, words, rc, e->message);
    assert_int_equal(e->code, code);
    assert_null(r);
    assert_non_null(e->file);
    assert_string_equal(e->file, path);
    assert_true(e->line >= 0 && e->column >= 0);
}

static void gzip_members_one_after_another_make_one_log(void **state)
{
    (void)state;
    static const char part1[] = LOG_HEAD "<trace>" EVENT("a");
    static const char part2[] = EVENT("b") "</trace>";
    static const char part3[] = "</log>";
    static const unsigned char zeros[300] = {0};
    bytes b = {0};

    /* three members, the last one stored, then zero padding */
    put_gzip(&b, part1, sizeof part1 - 1, 9);
    put_gzip(&b, part2, sizeof part2 - 1, 1);
    put_gzip_stored(&b, part3, sizeof part3 - 1);
    put(&b, zeros, sizeof zeros);
    assert_reads_two_events(write_case("members.xes.gz", &b));

    /* a single zero byte after the last member */
    b.n = 0;
    put_gzip(&b, LOG_DOC, sizeof LOG_DOC - 1, 6);
    put(&b, zeros, 1);
    assert_reads_two_events(write_case("one-zero.xes.gz", &b));

    /* an empty member before the log */
    b.n = 0;
    put_gzip(&b, "", 0, 6);
    put_gzip(&b, LOG_DOC, sizeof LOG_DOC - 1, 6);
    assert_reads_two_events(write_case("empty-member.xes.gz", &b));
    free(b.p);
}

/*
 * A first member of exactly CHUNK - 1, CHUNK - 2 or CHUNK bytes: the next
 * member begins with the last byte of the first read, or with both bytes
 * of its magic there, or with the second read.
 */
static void a_member_may_end_at_the_edge_of_a_read(void **state)
{
    (void)state;
    static const char head[] = LOG_HEAD "<trace>" EVENT("a");
    static const char rest[] = EVENT("b") "</trace></log>";
    for (size_t first = CHUNK - 2; first <= CHUNK; first++) {
        size_t n = first - 23;
        char *text = malloc(n);
        bytes b = {0};
        char name[64];
        assert_non_null(text);
        memset(text, ' ', n);
        for (size_t i = 80; i < n; i += 80)
            text[i] = '\n';
        memcpy(text, head, sizeof head - 1);
        put_gzip_stored(&b, text, n);
        assert_int_equal(b.n, first);
        put_gzip(&b, rest, sizeof rest - 1, 6);
        snprintf(name, sizeof name, "edge-%zu.xes.gz", first);
        assert_reads_two_events(write_case(name, &b));

        /* the same first member followed by one byte: zero is padding, else damage */
        b.n = first;
        put(&b, "\0", 1);
        assert_refused(write_case(name, &b), NULL, CJM_EPARSE, "");
        assert_null(strstr(cjm_error_last()->message, "gzip"));
        b.n = first;
        put(&b, "\x1f", 1);
        assert_refused(write_case(name, &b), NULL, CJM_EPARSE,
                       "damaged gzip data (bytes after the end of the compressed stream)");
        free(text);
        free(b.p);
    }
}

/* A log long enough that the compressed file takes several reads. */
static void long_compressed_logs_are_read_to_their_end(void **state)
{
    (void)state;
    size_t len = 5 * CHUNK + 123;
    char *log = padded_log(len);
    bytes b = {0};
    put_gzip(&b, log, len, 1);
    assert_true(b.n > 2 * CHUNK);
    assert_reads_two_events(write_case("long.xes.gz", &b));
    b.n = 0;
    put_xz(&b, log, len);
    assert_true(b.n > 2 * CHUNK);
    assert_reads_two_events(write_case("long.xes.xz", &b));
    b.n = 0;
    put(&b, log, len);
    assert_reads_two_events(write_case("long.xes", &b));
    free(log);
    free(b.p);
}

static void damaged_gzip_is_refused_with_its_reason(void **state)
{
    (void)state;
    bytes good = {0}, b = {0};
    put_gzip(&good, LOG_DOC, sizeof LOG_DOC - 1, 9);

    /* truncated inside the deflate data, and inside the trailer */
    put(&b, good.p, good.n / 2);
    assert_refused(write_case("cut.xes.gz", &b), NULL, CJM_EPARSE,
                   "the gzip data ends early (the file is truncated)");
    b.n = 0;
    put(&b, good.p, good.n - 3);
    assert_refused(write_case("cut-trailer.xes.gz", &b), NULL, CJM_EPARSE,
                   "the gzip data ends early");
    /* only the magic, and a header without data: shorter than any trailer */
    b.n = 0;
    put(&b, "\x1f\x8b", 2);
    assert_refused(write_case("magic.xes.gz", &b), NULL, CJM_EPARSE, "ends early");
    b.n = 0;
    put(&b, good.p, 10);
    assert_refused(write_case("header.xes.gz", &b), NULL, CJM_EPARSE, "ends early");

    /* a wrong CRC, a wrong length, an unknown method, a bad block type */
    b.n = 0;
    put(&b, good.p, good.n);
    b.p[b.n - 8] ^= 0x55;
    assert_refused(write_case("crc.xes.gz", &b), NULL, CJM_EPARSE,
                   "damaged gzip data (incorrect data check)");
    b.p[b.n - 8] ^= 0x55;
    b.p[b.n - 4] ^= 0x01;
    assert_refused(write_case("isize.xes.gz", &b), NULL, CJM_EPARSE,
                   "damaged gzip data (incorrect length check)");
    b.p[b.n - 4] ^= 0x01;
    b.p[2] = 7;
    assert_refused(write_case("method.xes.gz", &b), NULL, CJM_EPARSE,
                   "damaged gzip data (unknown compression method)");
    b.p[2] = 8;
    b.p[10] |= 0x06; /* BTYPE 3 */
    assert_refused(write_case("block.xes.gz", &b), NULL, CJM_EPARSE,
                   "damaged gzip data (invalid block type)");

    /* bytes after the member that are neither padding nor another member */
    b.n = 0;
    put(&b, good.p, good.n);
    put_str(&b, "junk");
    assert_refused(write_case("junk.xes.gz", &b), NULL, CJM_EPARSE,
                   "bytes after the end of the compressed stream");
    b.n = good.n;
    put(&b, "\0\0\x1f\x8c", 4);
    assert_refused(write_case("half-magic.xes.gz", &b), NULL, CJM_EPARSE,
                   "bytes after the end of the compressed stream");
    b.n = good.n;
    put(&b, "\x1f\x8c\x08\x00", 4);
    assert_refused(write_case("other-magic.xes.gz", &b), NULL, CJM_EPARSE,
                   "bytes after the end of the compressed stream");
    b.n = good.n;
    put(&b, "\x1f\x8b", 2);
    assert_refused(write_case("second-magic.xes.gz", &b), NULL, CJM_EPARSE, "ends early");

    free(good.p);
    free(b.p);
}

/* Files that begin almost like a compressed stream are read as XML, and refused as such. */
static void a_wrong_magic_is_read_as_xml(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *bytes;
        size_t len;
    } cases[] = {
        {"one.xes.gz", "\x1f", 1},
        {"other.xes.gz", "\x1f\x8c\x08\x00", 4},
        {"other-long.xes.gz", "\x1f\x8c\x08\x00 a file of more than 18 bytes", 32},
        {"xy.xes.xz", "\xFD" "7zXY\0\0\0", 8},
        {"short.xes.xz", "\xFD" "7zX", 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bytes b = {0};
        put(&b, cases[i].bytes, cases[i].len);
        assert_refused(write_case(cases[i].name, &b), NULL, CJM_EPARSE, "");
        assert_null(strstr(cjm_error_last()->message, "gzip"));
        assert_null(strstr(cjm_error_last()->message, "xz data"));
        assert_int_equal(cjm_error_last()->line, 1);
        free(b.p);
    }
}

/* The LZMA2 dictionary size in the first block header, set and its CRC made right again. */
static void set_xz_dictionary(bytes *b, unsigned char code)
{
    unsigned char *h = b->p + 12;
    size_t size = ((size_t)h[0] + 1) * 4, p = 2;
    uint32_t crc;
    if (h[1] & 0x40)
        while (h[p++] & 0x80)
            ;
    if (h[1] & 0x80)
        while (h[p++] & 0x80)
            ;
    assert_int_equal(h[p], 0x21); /* LZMA2 */
    assert_int_equal(h[p + 1], 1);
    h[p + 2] = code;
    crc = lzma_crc32(h, size - 4, 0);
    for (int i = 0; i < 4; i++)
        h[size - 4 + (size_t)i] = (unsigned char)(crc >> (8 * i));
}

static void xz_streams_concatenated_padded_or_damaged(void **state)
{
    (void)state;
    static const char part1[] = LOG_HEAD "<trace>" EVENT("a");
    static const char part2[] = EVENT("b") "</trace></log>";
    static const unsigned char zeros[8] = {0};
    bytes good = {0}, b = {0};
    uint32_t crc;

    put_xz(&good, LOG_DOC, sizeof LOG_DOC - 1);
    assert_reads_two_events(write_case("good.xes.xz", &good));

    /* two streams with stream padding between and after them */
    put_xz(&b, part1, sizeof part1 - 1);
    put(&b, zeros, 4);
    put_xz(&b, part2, sizeof part2 - 1);
    put(&b, zeros, 8);
    assert_reads_two_events(write_case("two.xes.xz", &b));

    /* padding that is not a multiple of four bytes */
    b.n = 0;
    put(&b, good.p, good.n);
    put(&b, zeros, 3);
    assert_refused(write_case("pad3.xes.xz", &b), NULL, CJM_EPARSE, "damaged xz data");
    /* bytes after the stream: too few to be a stream header, or enough to be a wrong one */
    b.n = good.n;
    put_str(&b, "junk");
    assert_refused(write_case("junk.xes.xz", &b), NULL, CJM_EPARSE, "the xz data ends early");
    put_str(&b, " that is no header");
    assert_refused(write_case("junk.xes.xz", &b), NULL, CJM_EPARSE, "damaged xz data");

    /* truncated: in the data, and just after the stream header */
    b.n = 0;
    put(&b, good.p, good.n - 20);
    assert_refused(write_case("cut.xes.xz", &b), NULL, CJM_EPARSE,
                   "the xz data ends early (the file is truncated)");
    b.n = 0;
    put(&b, good.p, 12);
    assert_refused(write_case("header.xes.xz", &b), NULL, CJM_EPARSE, "the xz data ends early");
    b.n = 0;
    put(&b, good.p, 6);
    assert_refused(write_case("magic.xes.xz", &b), NULL, CJM_EPARSE, "the xz data ends early");

    /* a damaged header CRC, and a damaged check of the data */
    b.n = 0;
    put(&b, good.p, good.n);
    b.p[9] ^= 0x10;
    assert_refused(write_case("header-crc.xes.xz", &b), NULL, CJM_EPARSE, "damaged xz data");
    b.p[9] ^= 0x10;
    b.p[good.n - 12 - 8 - 4 - 1] ^= 0x01; /* inside the block's CRC32, before the index */
    assert_refused(write_case("check.xes.xz", &b), NULL, CJM_EPARSE, "damaged xz data");

    /* stream flags with a reserved bit set, their CRC right: options not supported */
    b.n = 0;
    put(&b, good.p, good.n);
    b.p[6] = 0x01;
    crc = lzma_crc32(b.p + 6, 2, 0);
    for (int i = 0; i < 4; i++)
        b.p[8 + i] = (unsigned char)(crc >> (8 * i));
    assert_refused(write_case("flags.xes.xz", &b), NULL, CJM_EPARSE,
                   "xz data with options this reader does not support");

    /* a block whose dictionary needs 4 GiB: beyond the decoder's memory limit */
    b.n = 0;
    put(&b, good.p, good.n);
    set_xz_dictionary(&b, 40);
    assert_refused(write_case("dict.xes.xz", &b), NULL, CJM_ELIMIT,
                   "the xz data needs more than 128 MiB to decompress");
    free(good.p);
    free(b.p);
}

static void a_file_that_cannot_be_read_is_an_io_error(void **state)
{
    (void)state;
    /* a regular file whose first read fails: this process's memory at address 0 */
    assert_refused("/proc/self/mem", NULL, CJM_EIO, "read failed");
    /* a regular file that not even root may open for reading */
    if (access("/proc/sys/vm/drop_caches", F_OK) == 0)
        assert_refused("/proc/sys/vm/drop_caches", NULL, CJM_EIO, "cannot open");
}

static void size_and_ratio_limits_stop_decompression(void **state)
{
    (void)state;
    size_t len = 3 * CHUNK;
    char *log = padded_log(len);
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    bytes b = {0};
    char words[80];
    const char *path;

    put_gzip(&b, log, len, 6);
    path = write_case("limit.xes.gz", &b);
    o.max_inflated = 1000;
    snprintf(words, sizeof words, "more than %d bytes after decompression", 1000);
    assert_refused(path, &o, CJM_ELIMIT, words);
    o.max_inflated = len;
    assert_reads_two_events(path);
    {
        cjm_mine_result *r = NULL;
        assert_ok(cjm_mine_file(&r, path, &o, NULL));
        cjm_mine_result_free(r);
    }
    b.n = 0;
    put_xz(&b, log, len);
    path = write_case("limit.xes.xz", &b);
    o.max_inflated = 2 * CHUNK;
    snprintf(words, sizeof words, "more than %d bytes after decompression", 2 * CHUNK);
    assert_refused(path, &o, CJM_ELIMIT, words);
    free(log);

    /*
     * Blanks inside the log, 17 MiB of them, compressed about 1000 to 1:
     * stopped by the running ratio the caller chose once 16 MiB came out
     * (the default ratio is the hostile inputs' test).
     */
    if (getenv("CJM_UNDER_VALGRIND")) {
        free(b.p);
        return;
    }
    {
        static char blanks[CHUNK];
        z_stream z;
        unsigned char out[65536];
        int zr;
        memset(blanks, ' ', sizeof blanks);
        memset(&z, 0, sizeof z);
        b.n = 0;
        assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                         Z_OK);
        for (int part = 0; part < 3 + 17 * 16; part++) {
            int last = part == 2 + 17 * 16;
            if (part == 0) {
                z.next_in = (unsigned char *)(LOG_HEAD "<trace>" EVENT("a"));
                z.avail_in = (uInt)strlen((const char *)z.next_in);
            } else if (last) {
                z.next_in = (unsigned char *)(EVENT("b") "</trace></log>");
                z.avail_in = (uInt)strlen((const char *)z.next_in);
            } else {
                z.next_in = (unsigned char *)blanks;
                z.avail_in = sizeof blanks;
            }
            do {
                z.next_out = out;
                z.avail_out = sizeof out;
                zr = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
                put(&b, out, sizeof out - z.avail_out);
            } while (z.avail_out == 0 || (last && zr != Z_STREAM_END));
        }
        deflateEnd(&z);
        path = write_case("bomb.xes.gz", &b);
        o = (cjm_mine_options)CJM_MINE_OPTIONS_INIT;
        o.max_ratio = 300;
        assert_refused(path, &o, CJM_ELIMIT, "decompresses to more than 300 times its size");
    }
    free(b.p);
}

/* Checks the last error: code, file, words. */
static void assert_error(int rc, int code, const char *path, const char *words)
{
    const cjm_error *e = cjm_error_last();
    if (rc != code || !strstr(e->message, words))
        fail_msg("%s: expected %d '%s', got %d '%s'", path, code, words, rc, e->message);
    assert_non_null(e->file);
    assert_string_equal(e->file, path);
}

/*
 * The source refuses what is not a regular file by itself, looking at the
 * file it opened: a FIFO without waiting for a writer, a directory, a
 * device; and a file that does not exist.
 */
static void the_source_opens_regular_files_only(void **state)
{
    (void)state;
    char fifo[4200], missing[4200];
    const char *dir = test_scratch_dir("cov-source-kinds");
    xes_source *src = NULL;
    snprintf(fifo, sizeof fifo, "%s/fifo.xes", dir);
    snprintf(missing, sizeof missing, "%s/missing.xes", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_error(xes_source_open(&src, fifo, NULL), CJM_EIO, fifo, "not a regular file");
    assert_error(xes_source_open(&src, dir, NULL), CJM_EIO, dir, "not a regular file");
    assert_error(xes_source_open(&src, "/dev/null", NULL), CJM_EIO, "/dev/null",
                 "not a regular file");
    assert_error(xes_source_open(&src, missing, NULL), CJM_EIO, missing, "cannot open");
    assert_null(src);
    xes_source_close(NULL); /* ignored */
}

/* Reads the whole source `step` bytes at a time, checking it against `want`. */
static void read_by_steps(const char *path, const char *want, size_t want_len, size_t step,
                          unsigned long long file_len)
{
    xes_source *src = NULL;
    char *got = malloc(want_len + step);
    size_t n = 0;
    long r;
    assert_non_null(got);
    assert_ok(xes_source_open(&src, path, NULL));
    while ((r = xes_source_read(src, got + n, step)) > 0) {
        assert_true((size_t)r <= step);
        n += (size_t)r;
        assert_true(n <= want_len);
    }
    assert_int_equal(r, 0);
    assert_int_equal(xes_source_read(src, got, step), 0); /* and again at the end */
    assert_int_equal(n, want_len);
    assert_memory_equal(got, want, want_len);
    assert_int_equal(xes_source_consumed(src), file_len);
    xes_source_close(src);
    free(got);
}

/* The caller may ask for any number of bytes, fewer than what is at hand or more. */
static void the_source_reads_any_number_of_bytes(void **state)
{
    (void)state;
    static const char part1[] = LOG_HEAD "<trace>" EVENT("a");
    static const char part2[] = EVENT("b") "</trace></log>";
    static const size_t steps[] = {1, 7, 4096, CHUNK + 1, 3 * CHUNK};
    size_t len = 2 * CHUNK + 77;
    char *log = padded_log(len);
    bytes b = {0};
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        b.n = 0;
        put(&b, log, len);
        read_by_steps(write_case("steps.xes", &b), log, len, steps[i], len);
        b.n = 0;
        put_gzip(&b, log, len, 6);
        read_by_steps(write_case("steps.xes.gz", &b), log, len, steps[i], b.n);
        b.n = 0;
        put_xz(&b, log, len);
        read_by_steps(write_case("steps.xes.xz", &b), log, len, steps[i], b.n);
    }
    /* two gzip members and padding, a byte at a time */
    b.n = 0;
    put_gzip(&b, part1, sizeof part1 - 1, 6);
    put_gzip(&b, part2, sizeof part2 - 1, 6);
    put(&b, "\0\0\0", 3);
    read_by_steps(write_case("steps-members.xes.gz", &b), LOG_DOC, sizeof LOG_DOC - 1, 1, b.n);
    free(log);
    free(b.p);
}

/*
 * A read that fails after others succeeded, on a plain file: the kernel's
 * page map of this process reads in whole 8-byte entries, and refuses a
 * count that is not a multiple of 8 with EINVAL.
 */
static void a_plain_read_may_fail_after_others(void **state)
{
    (void)state;
    static const char path[] = "/proc/self/pagemap";
    static char buf[CHUNK];
    xes_source *src = NULL;
    if (access(path, R_OK) != 0) {
        print_message("no %s: skipped\n", path);
        return;
    }
    assert_ok(xes_source_open(&src, path, NULL));
    assert_int_equal(xes_source_read(src, buf, CHUNK), CHUNK); /* read on opening */
    assert_int_equal(xes_source_read(src, buf, 8), 8);
    assert_error((int)xes_source_read(src, buf, 100), CJM_EIO, path, "read failed");
    xes_source_close(src);
}

/*
 * In a child process: the first page of memory maps the first page of the
 * compressed log at `page_file`, the next is not mapped, so that this
 * process's memory, read as a file, gives a page and then fails with EIO.
 * Exits 0 when the source said so, 2 when the page cannot be mapped (not
 * permitted, as for a user without CAP_SYS_RAWIO), 1 on anything else.
 */
static void fail_after_one_page(const char *page_file)
{
    static const char path[] = "/proc/self/mem";
    static char buf[CHUNK];
    long page = sysconf(_SC_PAGESIZE), r;
    xes_source *src = NULL;
    int fd = open(page_file, O_RDONLY);
    if (fd < 0 || mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) ==
                      MAP_FAILED)
        _exit(2);
    close(fd);
    if (xes_source_open(&src, path, NULL) != 0)
        _exit(1);
    while ((r = xes_source_read(src, buf, CHUNK)) > 0)
        ;
    xes_source_close(src);
    /* exit(), not _exit(): a coverage build writes its counts at exit */
    exit(r == CJM_EIO && strstr(cjm_error_last()->message, "read failed") ? 0 : 1);
}

/* A read that fails after others succeeded, in gzip and in xz data. */
static void a_compressed_read_may_fail_after_others(void **state)
{
    (void)state;
    size_t len = 4 * CHUNK;
    char *log = padded_log(len);
    bytes b = {0};
    for (int xz = 0; xz <= 1; xz++) {
        const char *path;
        int status;
        pid_t pid;
        b.n = 0;
        if (xz)
            put_xz(&b, log, len);
        else
            put_gzip(&b, log, len, 1);
        assert_true(b.n > (size_t)sysconf(_SC_PAGESIZE));
        b.n = (size_t)sysconf(_SC_PAGESIZE);
        path = write_case("page.bin", &b);
        fflush(NULL);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            fail_after_one_page(path);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == 2) {
            print_message("the first page cannot be mapped here: skipped\n");
            break;
        }
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    free(log);
    free(b.p);
}

typedef struct read_case {
    const char *path;
    long events;
} read_case;

static int read_step(const cjm_allocator *alloc, void *ctx)
{
    const read_case *c = ctx;
    cjm_mine_result *r = NULL;
    int rc = cjm_mine_file(&r, c->path, NULL, alloc);
    if (rc == 0) {
        if ((long)cjm_mine_count(r, CJM_MINE_EVENTS) != c->events)
            fail_msg("%s: %ld events", c->path, (long)cjm_mine_count(r, CJM_MINE_EVENTS));
        cjm_mine_result_free(r);
    } else if (r) {
        fail_msg("a result was handed out with an error");
    }
    return rc;
}

/* zlib's and liblzma's own allocations go through the caller's allocator too. */
static void each_allocation_of_a_compressed_read_may_fail(void **state)
{
    (void)state;
    bytes b = {0};
    read_case c = {NULL, 2};
    /* longer than one read, so that zlib keeps a window between its calls */
    size_t len = 2 * CHUNK + 100;
    char *log = padded_log(len);
    put_gzip(&b, log, len, 9);
    c.path = write_case("oom.xes.gz", &b);
    assert_true(test_oom_loop(read_step, &c, 0) > 5);
    assert_true(test_oom_loop(read_step, &c, 1) > 5);
    b.n = 0;
    put_xz(&b, log, len);
    c.path = write_case("oom.xes.xz", &b);
    assert_true(test_oom_loop(read_step, &c, 0) > 5);
    assert_true(test_oom_loop(read_step, &c, 1) > 5);
    free(log);
    free(b.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gzip_members_one_after_another_make_one_log),
        cmocka_unit_test(a_member_may_end_at_the_edge_of_a_read),
        cmocka_unit_test(long_compressed_logs_are_read_to_their_end),
        cmocka_unit_test(damaged_gzip_is_refused_with_its_reason),
        cmocka_unit_test(a_wrong_magic_is_read_as_xml),
        cmocka_unit_test(xz_streams_concatenated_padded_or_damaged),
        cmocka_unit_test(a_file_that_cannot_be_read_is_an_io_error),
        cmocka_unit_test(size_and_ratio_limits_stop_decompression),
        cmocka_unit_test(each_allocation_of_a_compressed_read_may_fail),
        cmocka_unit_test(the_source_opens_regular_files_only),
        cmocka_unit_test(the_source_reads_any_number_of_bytes),
        cmocka_unit_test(a_plain_read_may_fail_after_others),
        cmocka_unit_test(a_compressed_read_may_fail_after_others),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
