/* The library's contract: result codes, errors, version, allocation, files. */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"

static void strerror_names_every_code(void **state)
{
    (void)state;
    for (int c = CJM_ERRNO_LAST; c <= 0; c++) {
        assert_non_null(cjm_strerror(c));
        assert_string_not_equal(cjm_strerror(c), "unknown error");
    }
    assert_string_equal(cjm_strerror(CJM_ENOMEM), "out of memory");
    assert_string_equal(cjm_strerror(12345), "unknown error");
    assert_string_equal(cjm_strerror(-999), "unknown error");
}

static void error_last_is_never_null_and_clears(void **state)
{
    (void)state;
    const cjm_error *e = cjm_error_last();
    assert_non_null(e);
    assert_non_null(e->message);
    assert_non_null(e->file);
    cjm__error_at(CJM_EPARSE, "in.xml", 3, 7, "bad %s", "thing");
    e = cjm_error_last();
    assert_int_equal(e->code, CJM_EPARSE);
    assert_string_equal(e->message, "bad thing");
    assert_string_equal(e->file, "in.xml");
    assert_int_equal(e->line, 3);
    assert_int_equal(e->column, 7);
    cjm_error_clear();
    assert_int_equal(cjm_error_last()->code, 0);
    assert_string_equal(cjm_error_last()->message, "no error");
    assert_string_equal(cjm_error_last()->file, "");
}

static void long_error_messages_are_truncated_safely(void **state)
{
    (void)state;
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cjm__error_at(CJM_EIO, big, 1, 1, "%s", big);
    assert_true(strlen(cjm_error_last()->message) < 600);
    assert_true(strlen(cjm_error_last()->file) < 300);
}

static void version_matches_macros(void **state)
{
    (void)state;
    int a, b, c;
    assert_string_equal(cjm_version(), CJM_VERSION);
    assert_int_equal(cjm_version_numbers(&a, &b, &c), 0);
    assert_int_equal(a * 10000 + b * 100 + c, CJM_VERSION_NUMBER);
    assert_int_equal(cjm_version_numbers(NULL, NULL, NULL), 0);
}

static void utf8_checks_reject_malformed_sequences(void **state)
{
    (void)state;
    assert_true(cjm__text_ok("Beställ hämtmat – ærlig, øl, ĳ"));
    assert_true(cjm__text_ok("tab\tnew\nline\r"));
    assert_false(cjm__text_ok("bell\a"));
    assert_false(cjm__text_ok("\xC3"));             /* truncated */
    assert_false(cjm__text_ok("\xC0\xAF"));         /* overlong */
    assert_false(cjm__text_ok("\xED\xA0\x80"));     /* surrogate */
    assert_false(cjm__text_ok("\xF4\x90\x80\x80")); /* above U+10FFFF */
    assert_false(cjm__text_ok("\xEF\xBF\xBF"));     /* U+FFFF */
    assert_false(cjm__text_ok("\xFF"));
    assert_true(cjm__text_ok("\xF0\x9F\x98\x80")); /* emoji */
    assert_true(cjm__id_ok("tp-1"));
    assert_true(cjm__id_ok("kassa_ö"));
    assert_false(cjm__id_ok(""));
    assert_false(cjm__id_ok("a b"));
    assert_false(cjm__id_ok(NULL));
}

static void dates_follow_iso_8601(void **state)
{
    (void)state;
    assert_true(cjm__date_ok("2020-03-27"));
    assert_true(cjm__date_ok("2020-02-29"));
    assert_true(cjm__date_ok("2020-03-27T10:15"));
    assert_true(cjm__date_ok("2020-03-27T10:15:30.250+01:00"));
    assert_true(cjm__date_ok("2020-03-27T10:15:30Z"));
    assert_false(cjm__date_ok("2021-02-29"));
    assert_false(cjm__date_ok("2020-13-01"));
    assert_false(cjm__date_ok("27/03/2020"));
    assert_false(cjm__date_ok("2020-03-27T25:00"));
    assert_false(cjm__date_ok("2020-03-27 10:00"));
    assert_false(cjm__date_ok("2020-03-27T10:15Zjunk"));
}

static void numbers_format_canonically(void **state)
{
    (void)state;
    char b[32];
    cjm__fmt_double(b, 0.1);
    assert_string_equal(b, "0.1");
    cjm__fmt_double(b, 3);
    assert_string_equal(b, "3");
    cjm__fmt_double(b, -0.0);
    assert_string_equal(b, "0");
    cjm__fmt_double(b, 1.0 / 3);
    assert_true(strtod(b, NULL) == 1.0 / 3);
    cjm__fmt_double(b, 1e300);
    assert_true(strtod(b, NULL) == 1e300);
    cjm__fmt_double(b, -2.5);
    assert_string_equal(b, "-2.5");
}

static void hash_table_survives_growth_and_deletion(void **state)
{
    (void)state;
    cjm__hmap m = {0};
    char keys[5000][16];
    for (int i = 0; i < 5000; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        assert_int_equal(cjm__hmap_put(NULL, &m, keys[i], keys[i]), 0);
    }
    for (int i = 0; i < 5000; i += 2)
        assert_ptr_equal(cjm__hmap_del(&m, keys[i]), keys[i]);
    for (int i = 0; i < 5000; i++)
        assert_ptr_equal(cjm__hmap_get(&m, keys[i]), (i % 2) ? keys[i] : NULL);
    assert_int_equal(m.len, 2500);
    assert_null(cjm__hmap_del(&m, "absent"));
    cjm__hmap_free(NULL, &m);
}

static void buffer_reports_exhaustion(void **state)
{
    (void)state;
    test_alloc t;
    cjm__buf b;
    test_alloc_init(&t, 2, 0);
    cjm__buf_init(&b, &t.base);
    assert_int_equal(cjm__buf_puts(&b, "x"), 0);
    assert_int_equal(cjm__buf_grow(&b, 1000), CJM_ENOMEM);
    assert_int_equal(cjm__buf_printf(&b, "%d", 5), CJM_ENOMEM);
    assert_null(cjm__buf_detach(&b, NULL));
    assert_int_equal(t.live, 0);
}

static void atomic_write_replaces_and_failures_keep_the_old_file(void **state)
{
    (void)state;
    const char *dir = test_scratch_dir("core-atomic");
    char path[4200], *got;
    size_t len;
    snprintf(path, sizeof path, "%s/out.txt", dir);
    assert_ok(cjm__write_file_atomic(path, "first", 5));
    for (int step = 0; step < CJM__IO_STEP_COUNT; step++) {
        cjm__io_fail((cjm__io_step)step, 1);
        assert_cjm_error(cjm__write_file_atomic(path, "second", 6), CJM_EIO);
        cjm__io_fail((cjm__io_step)step, 0);
        got = test_read_file(path, &len);
        assert_non_null(got);
        assert_int_equal(len, 5);
        assert_memory_equal(got, "first", 5);
        free(got);
    }
    /* no temporary file is left behind */
    {
        char cmd[4400];
        snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) -eq 1", dir);
        assert_int_equal(system(cmd), 0);
    }
    assert_ok(cjm__write_file_atomic(path, "second", 6));
    got = test_read_file(path, &len);
    assert_int_equal(len, 6);
    free(got);
    assert_cjm_error(cjm__write_file_atomic("/nonexistent-dir/x", "a", 1), CJM_EIO);
    assert_cjm_error(cjm__write_file_atomic("", "a", 1), CJM_EINVAL);
    assert_cjm_error(cjm__write_file_atomic("/dev/full", "a", 1), CJM_EIO);
}

static void read_file_bounds_size_and_reports_errors(void **state)
{
    (void)state;
    const char *dir = test_scratch_dir("core-read");
    char path[4200], *data;
    size_t len;
    snprintf(path, sizeof path, "%s/in.txt", dir);
    test_write_file(path, "0123456789", 10);
    assert_ok(cjm__read_file(NULL, path, 10, &data, &len));
    assert_int_equal(len, 10);
    assert_string_equal(data, "0123456789");
    free(data);
    assert_cjm_error(cjm__read_file(NULL, path, 9, &data, &len), CJM_ELIMIT);
    assert_null(data);
    assert_cjm_error(cjm__read_file(NULL, "/nonexistent/file", 10, &data, &len), CJM_EIO);
    assert_cjm_error(cjm__read_file(NULL, dir, 10, &data, &len), CJM_EIO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strerror_names_every_code),
        cmocka_unit_test(error_last_is_never_null_and_clears),
        cmocka_unit_test(long_error_messages_are_truncated_safely),
        cmocka_unit_test(version_matches_macros),
        cmocka_unit_test(utf8_checks_reject_malformed_sequences),
        cmocka_unit_test(dates_follow_iso_8601),
        cmocka_unit_test(numbers_format_canonically),
        cmocka_unit_test(hash_table_survives_growth_and_deletion),
        cmocka_unit_test(buffer_reports_exhaustion),
        cmocka_unit_test(atomic_write_replaces_and_failures_keep_the_old_file),
        cmocka_unit_test(read_file_bounds_size_and_reports_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
