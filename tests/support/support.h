/* Helpers shared by the C tests: a counting allocator that can fail, paths. */
#ifndef CJM_TEST_SUPPORT_H
#define CJM_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjm.h>

/*
 * An allocator that counts calls and live blocks, and fails the `fail_at`th
 * allocation (1-based; 0 never fails). With `persistent` set, every
 * allocation from then on fails too.
 */
typedef struct test_alloc {
    cjm_allocator base; /* hand &base to the library */
    long calls;         /* allocations and reallocations attempted */
    long fail_at;
    int persistent;
    long failures;      /* how many were refused */
    long live;          /* blocks not yet freed */
} test_alloc;

void test_alloc_init(test_alloc *t, long fail_at, int persistent);

/*
 * Runs `step` with an allocator failing the 1st, 2nd, ... allocation until a
 * run sees no failure. Each failing run must return CJM_ENOMEM (or, when
 * `also_ok` is set, succeed by working around the failure) and leave no
 * block alive. Returns the number of runs.
 */
typedef int (*oom_step)(const cjm_allocator *alloc, void *ctx);
long test_oom_loop(oom_step step, void *ctx, int persistent);

/* A path under the source tree, in a static buffer per call slot (0..3). */
const char *test_src_path(int slot, const char *rel);
/* A fresh scratch directory under the build tree, for this test binary. */
const char *test_scratch_dir(const char *name);
/* Reads a whole file into a malloc'd, NUL-terminated buffer; NULL on failure. */
char *test_read_file(const char *path, size_t *len);
/* Writes bytes to a file; fails the test on error. */
void test_write_file(const char *path, const void *data, size_t len);

/* Asserts rc == expected and that the last error has that code. */
#define assert_cjm_error(rc, expected)                               \
    do {                                                             \
        int rc_ = (rc);                                              \
        assert_int_equal(rc_, (expected));                           \
        assert_int_equal(cjm_error_last()->code, (expected));        \
    } while (0)

#define assert_ok(expr)                                                        \
    do {                                                                       \
        int rc_ = (expr);                                                      \
        if (rc_ != 0)                                                          \
            print_error("%s failed: %d %s\n", #expr, rc_, cjm_error_last()->message); \
        assert_int_equal(rc_, 0);                                              \
    } while (0)

#endif
