/* Whole-file reads with a size bound, and atomic file replacement. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"

/* Test-only fault points, per thread: fail the nth run of a step. */
static _Thread_local int fail_at[CJM__IO_STEP_COUNT];
static _Thread_local int seen[CJM__IO_STEP_COUNT];
static _Thread_local int fail_errno[CJM__IO_STEP_COUNT];

void cjm__io_fail_errno(cjm__io_step step, int nth, int err)
{
    if ((int)step < 0 || step >= CJM__IO_STEP_COUNT)
        return;
    fail_at[step] = nth;
    seen[step] = 0;
    fail_errno[step] = err;
}

void cjm__io_fail(cjm__io_step step, int nth)
{
    cjm__io_fail_errno(step, nth, 0);
}

static int injected(cjm__io_step step, int err)
{
    if (fail_at[step] > 0 && ++seen[step] == fail_at[step]) {
        errno = fail_errno[step] ? fail_errno[step] : err;
        return 1;
    }
    return 0;
}

static int dir_of(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    size_t n;
    if (!slash) {
        snprintf(dir, size, ".");
        return 0;
    }
    n = (size_t)(slash - path);
    if (n == 0)
        n = 1; /* "/file" lives in "/" */
    if (n >= size)
        return -1;
    memcpy(dir, path, n);
    dir[n] = '\0';
    return 0;
}

int cjm__write_file_atomic(const char *path, const void *data, size_t len)
{
    char dir[4096], tmp[4200];
    const char *p = data;
    int fd, saved;
    size_t done = 0;
    const char *what = NULL;

    if (!path || !*path)
        return cjm__error(CJM_EINVAL, "no output path given");
    if (strlen(path) >= sizeof dir || dir_of(path, dir, sizeof dir) < 0)
        return cjm__error(CJM_EIO, "the output path is too long (%zu bytes, at most %zu): %.200s...",
                          strlen(path), sizeof dir - 1, path);
    {
        /* Replacing a device, pipe or directory by renaming over it would
         * destroy it: only regular files (or new names) are written. */
        struct stat st;
        if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
            return cjm__error(CJM_EIO, "%s: not a regular file; refusing to replace it", path);
    }
    snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);

    fd = injected(CJM__IO_OPEN, EACCES) ? -1 : mkstemp(tmp);
    if (fd < 0)
        return cjm__error(CJM_EIO, "%s: cannot create a temporary file in %s: %s", path, dir,
                          strerror(errno));
    fchmod(fd, 0644);
    while (done < len) {
        ssize_t n = injected(CJM__IO_WRITE, ENOSPC) ? -1 : write(fd, p + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            what = "write";
            goto fail;
        }
        done += (size_t)n;
    }
    /* nothing is buffered in user space; "flush" is the point of no return check */
    if (injected(CJM__IO_FLUSH, ENOSPC)) {
        what = "flush";
        goto fail;
    }
    if (injected(CJM__IO_FSYNC, EIO) || fsync(fd) < 0) {
        if (errno != EINVAL && errno != EROFS) { /* not supported by the file system */
            what = "sync";
            goto fail;
        }
    }
    if (injected(CJM__IO_CLOSE, EIO)) {
        close(fd);
        fd = -1;
        what = "close";
        goto fail;
    }
    if (close(fd) < 0) {
        fd = -1;
        what = "close";
        goto fail;
    }
    fd = -1;
    if (injected(CJM__IO_RENAME, EXDEV) || rename(tmp, path) < 0) {
        what = "rename";
        goto fail;
    }
    fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd); /* best effort: the data is already in place */
        close(fd);
    }
    return 0;

fail:
    saved = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return cjm__error(CJM_EIO, "%s: %s failed: %s", path, what, strerror(saved));
}

int cjm__read_file(const cjm_allocator *a, const char *path, size_t limit, char **data,
                   size_t *len)
{
    FILE *f;
    cjm__buf b;
    char chunk[65536];
    size_t n;
    struct stat st;

    *data = NULL;
    *len = 0;
    f = fopen(path, "rb");
    if (!f)
        return cjm__error_at(CJM_EIO, path, 0, 0, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return cjm__error_at(CJM_EIO, path, 0, 0, "%s: is a directory", path);
    }
    cjm__buf_init(&b, a);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > limit) {
            fclose(f);
            cjm__buf_free(&b);
            return cjm__error_at(CJM_ELIMIT, path, 0, 0,
                                 "%s: larger than the limit of %zu bytes", path, limit);
        }
        if (cjm__buf_put(&b, chunk, n) < 0) {
            fclose(f);
            cjm__buf_free(&b);
            return CJM_ENOMEM;
        }
    }
    if (ferror(f)) {
        int e = errno;
        fclose(f);
        cjm__buf_free(&b);
        return cjm__error_at(CJM_EIO, path, 0, 0, "%s: read failed: %s", path, strerror(e));
    }
    fclose(f);
    *data = cjm__buf_detach(&b, len);
    return *data ? 0 : CJM_ENOMEM;
}
