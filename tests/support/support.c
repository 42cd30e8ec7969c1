#include "support.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct header {
    size_t size;
    size_t pad;
} header;

static void *test_fn(void *ud, void *ptr, size_t size)
{
    test_alloc *t = ud;
    header *h;
    if (size == 0) {
        if (ptr) {
            t->live--;
            free((header *)ptr - 1);
        }
        return NULL;
    }
    t->calls++;
    if (t->fail_at > 0 && (t->calls == t->fail_at || (t->persistent && t->calls > t->fail_at))) {
        t->failures++;
        return NULL;
    }
    if (ptr) {
        h = realloc((header *)ptr - 1, sizeof *h + size);
        if (!h)
            return NULL;
    } else {
        h = malloc(sizeof *h + size);
        if (!h)
            return NULL;
        t->live++;
    }
    h->size = size;
    return h + 1;
}

void test_alloc_init(test_alloc *t, long fail_at, int persistent)
{
    memset(t, 0, sizeof *t);
    t->base.fn = test_fn;
    t->base.ud = t;
    t->fail_at = fail_at;
    t->persistent = persistent;
}

long test_oom_loop(oom_step step, void *ctx, int persistent)
{
    for (long n = 1;; n++) {
        test_alloc t;
        int rc;
        test_alloc_init(&t, n, persistent);
        rc = step(&t.base, ctx);
        if (t.live != 0)
            fail_msg("allocation %ld failed: %ld block(s) leaked (rc %d)", n, t.live, rc);
        if (t.failures == 0) {
            if (rc != 0)
                fail_msg("run %ld with no failure returned %d: %s", n, rc,
                         cjm_error_last()->message);
            return n;
        }
        if (rc != 0 && rc != CJM_ENOMEM)
            fail_msg("allocation %ld failed: expected CJM_ENOMEM, got %d (%s)", n, rc,
                     cjm_error_last()->message);
        if (rc == CJM_ENOMEM && cjm_error_last()->code != CJM_ENOMEM)
            fail_msg("allocation %ld failed: returned CJM_ENOMEM but the error says %d", n,
                     cjm_error_last()->code);
        if (n > 10000000)
            fail_msg("the step never completes");
    }
}

const char *test_src_path(int slot, const char *rel)
{
    static char buf[4][4096];
    snprintf(buf[slot & 3], sizeof buf[0], "%s/%s", CJM_SOURCE_DIR, rel);
    return buf[slot & 3];
}

const char *test_scratch_dir(const char *name)
{
    static char buf[2048];
    char cmd[4200];
    snprintf(buf, sizeof buf, "%s/tests/scratch-%s", CJM_BINARY_DIR, name);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", buf, buf);
    if (system(cmd) != 0)
        fail_msg("cannot make %s", buf);
    return buf;
}

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    size_t n = 0, cap = 0, got;
    if (!f)
        return NULL;
    do {
        if (n + 65536 + 1 > cap) {
            cap = (n + 65536 + 1) * 2;
            data = realloc(data, cap);
            if (!data) {
                fclose(f);
                return NULL;
            }
        }
        got = fread(data + n, 1, 65536, f);
        n += got;
    } while (got > 0);
    fclose(f);
    data[n] = '\0';
    if (len)
        *len = n;
    return data;
}

void test_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        fail_msg("cannot write %s: %s", path, strerror(errno));
}
