/* The library's contract: result codes, errors, version, allocation, files. */
#include "support.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
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
    /* a message made from the last one, as when an error is moved to a file */
    cjm__error_at(CJM_ENOTFOUND, "log.xes", 0, 0, "%s (again: %s)", e->message, e->message);
    assert_string_equal(cjm_error_last()->message, "bad thing (again: bad thing)");
    assert_string_equal(cjm_error_last()->file, "log.xes");
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
    /* text is checked a word of eight bytes at a time: every byte of a word counts */
    for (size_t at = 0; at < 20; at++) {
        char t[21];
        memset(t, 'a', 20);
        t[20] = '\0';
        assert_true(cjm__text_bytes_ok(t, 20));
        t[at] = '\t';
        assert_true(cjm__text_bytes_ok(t, 20));
        t[at] = '\n';
        assert_true(cjm__text_bytes_ok(t, 20));
        t[at] = '\r';
        assert_true(cjm__text_bytes_ok(t, 20));
        t[at] = 0x01;
        assert_false(cjm__text_bytes_ok(t, 20));
        t[at] = 0x1F;
        assert_false(cjm__text_bytes_ok(t, 20));
        t[at] = 0x7F;
        assert_false(cjm__text_bytes_ok(t, 20));
        t[at] = '\0';
        assert_false(cjm__text_bytes_ok(t, 20));
        t[at] = (char)0xFF;
        assert_false(cjm__text_bytes_ok(t, 20));
        t[at] = ' ';
        assert_true(cjm__text_bytes_ok(t, 20));
        assert_true(cjm__text_ok(t));
    }
    assert_true(cjm__text_bytes_ok("Beställ hämtmat – ærlig", strlen("Beställ hämtmat – ærlig")));
    assert_false(cjm__text_bytes_ok("12345678\xC3", 9)); /* truncated after a word */
    assert_true(cjm__text_bytes_ok("", 0));
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

static void allocation_helpers_handle_zero_sizes_overflow_and_null(void **state)
{
    (void)state;
    test_alloc t;
    cjm_allocator no_fn = {NULL, NULL};
    test_alloc_init(&t, 0, 0);
    /* an allocator without a function means the default one */
    assert_ptr_equal(cjm__alloc_or_default(&no_fn), &cjm__default_allocator);
    assert_ptr_equal(cjm__alloc_or_default(NULL), &cjm__default_allocator);
    assert_ptr_equal(cjm__alloc_or_default(&t.base), &t.base);
    assert_null(cjm__malloc(&t.base, 0));
    assert_null(cjm__calloc(&t.base, 0, 8));
    assert_null(cjm__calloc(&t.base, 8, 0));
    assert_int_equal(t.calls, 0);
    cjm_error_clear();
    assert_null(cjm__calloc(&t.base, SIZE_MAX / 2, 4));
    assert_int_equal(cjm_error_last()->code, CJM_ENOMEM);
    assert_int_equal(t.calls, 0); /* refused before asking the allocator */
    {
        char *p = cjm__realloc(&t.base, NULL, 16);
        assert_non_null(p);
        assert_int_equal(t.live, 1);
        assert_null(cjm__realloc(&t.base, p, 0)); /* frees */
        assert_int_equal(t.live, 0);
    }
    assert_null(cjm__strdup(&t.base, NULL));
    {
        char *s = cjm__strdup(&t.base, "abc");
        assert_string_equal(s, "abc");
        cjm__free(&t.base, s);
    }
    cjm__free(&t.base, NULL);
    assert_int_equal(t.live, 0);
    test_alloc_init(&t, 1, 0);
    cjm_error_clear();
    assert_null(cjm__strdup(&t.base, "abc"));
    assert_int_equal(cjm_error_last()->code, CJM_ENOMEM);
}

static void errors_without_a_format_take_the_code_text(void **state)
{
    (void)state;
    assert_int_equal(cjm__error(CJM_ELIMIT, NULL), CJM_ELIMIT);
    assert_string_equal(cjm_error_last()->message, "limit exceeded");
    assert_int_equal(cjm__error_at(CJM_EPARSE, NULL, -4, -2, NULL), CJM_EPARSE);
    assert_string_equal(cjm_error_last()->message, "input rejected");
    assert_string_equal(cjm_error_last()->file, "");
    assert_int_equal(cjm_error_last()->line, 0); /* negative places read as unknown */
    assert_int_equal(cjm_error_last()->column, 0);
}

static int verror_through(int code, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = cjm__verror(code, fmt, ap);
    va_end(ap);
    return rc;
}

static void saved_errors_come_back_unchanged(void **state)
{
    (void)state;
    cjm__saved_error sv;
    assert_int_equal(verror_through(CJM_EIO, "%s: %d", "disk", 5), CJM_EIO);
    assert_string_equal(cjm_error_last()->message, "disk: 5");
    cjm__error_at(CJM_EPARSE, "a.xml", 2, 3, "first");
    cjm__error_save(&sv);
    cjm__oom();
    assert_int_equal(cjm_error_last()->code, CJM_ENOMEM);
    cjm__error_restore(&sv);
    assert_int_equal(cjm_error_last()->code, CJM_EPARSE);
    assert_string_equal(cjm_error_last()->message, "first");
    assert_string_equal(cjm_error_last()->file, "a.xml");
    assert_int_equal(cjm_error_last()->line, 2);
    assert_int_equal(cjm_error_last()->column, 3);
}

static void utf8_checks_cover_every_lead_and_limit(void **state)
{
    (void)state;
    assert_true(cjm__utf8_valid("\xDF\xBF", 2));           /* U+07FF */
    assert_true(cjm__utf8_valid("\xE0\xA0\x80", 3));       /* U+0800 */
    assert_false(cjm__utf8_valid("\xE0\x9F\xBF", 3));      /* overlong 3 bytes */
    assert_false(cjm__utf8_valid("\xF0\x8F\xBF\xBF", 4));  /* overlong 4 bytes */
    assert_true(cjm__utf8_valid("\xF4\x8F\xBF\xBF", 4));   /* U+10FFFF */
    assert_false(cjm__utf8_valid("\xEF\xBF\xBE", 3));      /* U+FFFE */
    assert_false(cjm__utf8_valid("\xC1\xBF", 2));          /* C1 is never a lead */
    assert_false(cjm__utf8_valid("\xF5\x80\x80\x80", 4));  /* F5 is never a lead */
    assert_false(cjm__utf8_valid("\x80", 1));              /* a lone continuation */
    assert_false(cjm__utf8_valid("\xE2\x82", 2));          /* cut short */
    assert_false(cjm__utf8_valid("\xE2\x28\xA1", 3));      /* bad continuation */
    assert_true(cjm__utf8_valid("", 0));
    assert_false(cjm__text_ok("del\x7F"));
    {
        char id[300];
        memset(id, 'a', sizeof id);
        id[256] = '\0';
        assert_true(cjm__id_ok(id)); /* 256 bytes is the most */
        id[256] = 'a';
        id[257] = '\0';
        assert_false(cjm__id_ok(id));
    }
    assert_false(cjm__id_ok("del\x7F"));
    assert_false(cjm__id_ok("tab\there"));
    assert_false(cjm__id_ok("\xC3"));
}

static void dates_refuse_every_malformed_part(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2020-03-2",         "202a-03-27",       "2020/03-27",        "2020-0a-27",
        "2020-03/27",        "2020-03-2a",       "2020-00-10",        "2020-04-31",
        "2020-03-00",        "1900-02-29",       "2020-03-27T1a:00",  "2020-03-27T10-00",
        "2020-03-27T10:0a",  "2020-03-27T10:60", "2020-03-27T10:15:6a", "2020-03-27T10:15:61",
        "2020-03-27T10:15:30.", "2020-03-27T10:15:30.x", "2020-03-27T10:15+1:00",
        "2020-03-27T10:15+01-00", "2020-03-27T10:15+01:0a", "2020-03-27T10:15+01:00x",
        "2020-03-27T10:15Z1", "2020-03-27T10:15x",
    };
    static const char *const good[] = {
        "2000-02-29", "2020-03-27T23:59:60", "2020-03-27T10:15:30", "2020-03-27T10:15-05:00",
        "2020-03-27T00:00:00.123456789Z", "2020-03-27T10:15:30.5",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (cjm__date_ok(bad[i]))
            fail_msg("accepted %s", bad[i]);
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!cjm__date_ok(good[i]))
            fail_msg("refused %s", good[i]);
    assert_false(cjm__date_ok(NULL));
}

static void numbers_that_never_read_back_still_format(void **state)
{
    (void)state;
    char b[32];
    cjm__fmt_double(b, NAN); /* no text reads back as NaN: the last attempt stays */
    assert_non_null(strstr(b, "nan"));
    cjm__fmt_double(b, INFINITY);
    assert_string_equal(b, "inf");
    cjm__fmt_double(b, 1e15);
    assert_true(strtod(b, NULL) == 1e15);
}

static void buffers_refuse_sizes_beyond_memory(void **state)
{
    (void)state;
    test_alloc t;
    cjm__buf b;
    size_t len = 99;
    char *d;
    test_alloc_init(&t, 0, 0);
    cjm__buf_init(&b, &t.base);
    assert_int_equal(cjm__buf_puts(&b, "abc"), 0);
    /* a request whose total would wrap around */
    assert_cjm_error(cjm__buf_grow(&b, SIZE_MAX - 2), CJM_ENOMEM);
    /* once failed, the buffer stays failed and gives nothing */
    assert_int_equal(cjm__buf_putc(&b, 'x'), CJM_ENOMEM);
    assert_null(cjm__buf_detach(&b, &len));
    assert_int_equal(t.live, 0);

    /* a request so large that doubling stops: the allocator is asked for it and refuses */
    test_alloc_init(&t, 2, 0);
    cjm__buf_init(&b, &t.base);
    assert_int_equal(cjm__buf_puts(&b, "abc"), 0);
    assert_cjm_error(cjm__buf_grow(&b, SIZE_MAX / 2 + 10), CJM_ENOMEM);
    cjm__buf_free(&b);
    assert_int_equal(t.live, 0);

    /* an empty buffer detaches as an empty string, without a length asked for */
    test_alloc_init(&t, 0, 0);
    cjm__buf_init(&b, &t.base);
    d = cjm__buf_detach(&b, NULL);
    assert_non_null(d);
    assert_string_equal(d, "");
    cjm__free(&t.base, d);
    /* ... and reports exhaustion when even that cannot be allocated */
    test_alloc_init(&t, 1, 0);
    cjm__buf_init(&b, &t.base);
    assert_null(cjm__buf_detach(&b, &len));
    assert_int_equal(t.live, 0);
    {
        cjm_buffer pub = CJM_BUFFER_INIT;
        test_alloc_init(&t, 1, 0);
        cjm__buf_init(&b, &t.base);
        assert_int_equal(cjm__buf_to_public(&b, &pub), CJM_ENOMEM);
        assert_null(pub.data);
        test_alloc_init(&t, 0, 0);
        cjm__buf_init(&b, &t.base);
        assert_int_equal(cjm__buf_puts(&b, "xy"), 0);
        assert_int_equal(cjm__buf_to_public(&b, &pub), 0);
        assert_int_equal(pub.size, 2);
        assert_string_equal(pub.data, "xy");
        cjm_buffer_free(&pub);
        assert_null(pub.data);
        cjm_buffer_free(&pub); /* an empty buffer is fine */
        cjm_buffer_free(NULL);
        assert_int_equal(t.live, 0);
    }
}

static void a_format_that_cannot_be_converted_is_an_error(void **state)
{
    (void)state;
    cjm__buf b;
    static const wchar_t wide[] = {0x4E2D, 0};
    cjm__buf_init(&b, NULL);
    /* in the C locale a wide character beyond ASCII cannot be converted */
    assert_int_equal(cjm__buf_printf(&b, "%ls", wide), CJM_ERROR);
    assert_int_equal(cjm_error_last()->code, CJM_ERROR);
    assert_int_equal(cjm__buf_printf(&b, "%d-%s", 7, "ok"), 0);
    assert_string_equal(b.data, "7-ok");
    cjm__buf_free(&b);
}

static void pointer_arrays_insert_remove_and_fail(void **state)
{
    (void)state;
    test_alloc t;
    cjm__vec v = {0};
    int a = 1, b = 2, c = 3, d = 4;
    test_alloc_init(&t, 0, 0);
    assert_int_equal(cjm__vec_insert(&t.base, &v, 0, &b), 0);
    assert_int_equal(cjm__vec_insert(&t.base, &v, 0, &a), 0);
    assert_int_equal(cjm__vec_insert(&t.base, &v, 99, &d), 0); /* past the end appends */
    assert_int_equal(cjm__vec_insert(&t.base, &v, 2, &c), 0);
    assert_int_equal(v.len, 4);
    assert_ptr_equal(v.items[0], &a);
    assert_ptr_equal(v.items[1], &b);
    assert_ptr_equal(v.items[2], &c);
    assert_ptr_equal(v.items[3], &d);
    assert_null(cjm__vec_remove(&v, 4));
    assert_ptr_equal(cjm__vec_remove(&v, 1), &b);
    assert_ptr_equal(cjm__vec_remove(&v, 2), &d);
    assert_int_equal(v.len, 2);
    cjm__vec_free(&t.base, &v);
    assert_int_equal(t.live, 0);
    test_alloc_init(&t, 1, 1);
    assert_cjm_error(cjm__vec_insert(&t.base, &v, 0, &a), CJM_ENOMEM);
    assert_cjm_error(cjm__vec_push(&t.base, &v, &a), CJM_ENOMEM);
    assert_int_equal(v.len, 0);
    assert_int_equal(t.live, 0);
}

static void hash_tables_replace_and_answer_when_empty(void **state)
{
    (void)state;
    test_alloc t;
    cjm__hmap m = {0};
    int one = 1, two = 2;
    assert_null(cjm__hmap_get(&m, "k"));
    assert_null(cjm__hmap_del(&m, "k"));
    test_alloc_init(&t, 0, 0);
    assert_int_equal(cjm__hmap_put(&t.base, &m, "k", &one), 0);
    assert_null(cjm__hmap_get(&m, NULL));
    assert_int_equal(cjm__hmap_put(&t.base, &m, "k", &two), 0);
    assert_int_equal(m.len, 1);
    assert_ptr_equal(cjm__hmap_get(&m, "k"), &two);
    assert_ptr_equal(cjm__hmap_del(&m, "k"), &two);
    /* a deleted key's slot is reused and stays findable */
    assert_int_equal(cjm__hmap_put(&t.base, &m, "k", &one), 0);
    assert_ptr_equal(cjm__hmap_get(&m, "k"), &one);
    cjm__hmap_free(&t.base, &m);
    assert_int_equal(t.live, 0);
    test_alloc_init(&t, 1, 0);
    assert_cjm_error(cjm__hmap_put(&t.base, &m, "k", &one), CJM_ENOMEM);
    assert_null(cjm__hmap_get(&m, "k"));
    assert_int_equal(t.live, 0);
}

static void atomic_write_handles_odd_paths_and_file_systems_without_sync(void **state)
{
    (void)state;
    const char *dir = test_scratch_dir("core-atomic-paths");
    char path[4200], cwd[4096], *got, *longpath;
    size_t len;
    /* a bare file name is written in the current directory */
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    assert_ok(cjm__write_file_atomic("bare.txt", "bare", 4));
    assert_int_equal(chdir(cwd), 0);
    snprintf(path, sizeof path, "%s/bare.txt", dir);
    got = test_read_file(path, &len);
    assert_non_null(got);
    assert_int_equal(len, 4);
    free(got);
    /* a name right under the root: its directory is "/"; a directory is never replaced */
    assert_cjm_error(cjm__write_file_atomic("/proc", "x", 1), CJM_EIO);
    assert_non_null(strstr(cjm_error_last()->message, "not a regular file"));
    assert_cjm_error(cjm__write_file_atomic(NULL, "x", 1), CJM_EINVAL);
    /* a path longer than any directory name */
    longpath = malloc(5000);
    memset(longpath, 'a', 4999);
    longpath[0] = '/';
    longpath[4999] = '\0';
    assert_cjm_error(cjm__write_file_atomic(longpath, "x", 1), CJM_EIO);
    assert_non_null(strstr(cjm_error_last()->message, "too long (4999 bytes, at most 4095)"));
    assert_non_null(strstr(cjm_error_last()->message, "/aaaa"));
    free(longpath);
    /* fsync refused because the file system does not support it is not a failure */
    snprintf(path, sizeof path, "%s/nosync.txt", dir);
    cjm__io_fail_errno(CJM__IO_FSYNC, 1, EINVAL);
    assert_ok(cjm__write_file_atomic(path, "a", 1));
    cjm__io_fail_errno(CJM__IO_FSYNC, 1, EROFS);
    assert_ok(cjm__write_file_atomic(path, "bb", 2));
    cjm__io_fail(CJM__IO_FSYNC, 0);
    got = test_read_file(path, &len);
    assert_int_equal(len, 2);
    free(got);
    /* ... but any other fsync failure is */
    cjm__io_fail_errno(CJM__IO_FSYNC, 1, ENOSPC);
    assert_cjm_error(cjm__write_file_atomic(path, "ccc", 3), CJM_EIO);
    assert_non_null(strstr(cjm_error_last()->message, "sync failed"));
    cjm__io_fail(CJM__IO_FSYNC, 0);
    got = test_read_file(path, &len);
    assert_int_equal(len, 2);
    free(got);
    /* steps out of range are ignored */
    cjm__io_fail((cjm__io_step)-1, 1);
    cjm__io_fail(CJM__IO_STEP_COUNT, 1);
    assert_ok(cjm__write_file_atomic(path, "d", 1));
}

static void read_file_reports_exhaustion_and_read_errors(void **state)
{
    (void)state;
    const char *dir = test_scratch_dir("core-read-faults");
    char path[4200], *data;
    size_t len;
    test_alloc t;
    snprintf(path, sizeof path, "%s/in.txt", dir);
    test_write_file(path, "0123456789", 10);
    test_alloc_init(&t, 1, 0);
    assert_cjm_error(cjm__read_file(&t.base, path, 100, &data, &len), CJM_ENOMEM);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_int_equal(t.live, 0);
    /* an empty file is an empty string, unless even that cannot be allocated */
    snprintf(path, sizeof path, "%s/empty.txt", dir);
    test_write_file(path, "", 0);
    test_alloc_init(&t, 0, 0);
    assert_ok(cjm__read_file(&t.base, path, 100, &data, &len));
    assert_int_equal(len, 0);
    assert_string_equal(data, "");
    cjm__free(&t.base, data);
    test_alloc_init(&t, 1, 0);
    assert_cjm_error(cjm__read_file(&t.base, path, 100, &data, &len), CJM_ENOMEM);
    assert_null(data);
    assert_int_equal(t.live, 0);
    /* a read that fails after opening: offset 0 of a process's memory is never mapped */
    assert_cjm_error(cjm__read_file(NULL, "/proc/self/mem", 100, &data, &len), CJM_EIO);
    assert_null(data);
    assert_non_null(strstr(cjm_error_last()->message, "read failed"));
    assert_string_equal(cjm_error_last()->file, "/proc/self/mem");
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
        cmocka_unit_test(allocation_helpers_handle_zero_sizes_overflow_and_null),
        cmocka_unit_test(errors_without_a_format_take_the_code_text),
        cmocka_unit_test(saved_errors_come_back_unchanged),
        cmocka_unit_test(utf8_checks_cover_every_lead_and_limit),
        cmocka_unit_test(dates_refuse_every_malformed_part),
        cmocka_unit_test(numbers_that_never_read_back_still_format),
        cmocka_unit_test(buffers_refuse_sizes_beyond_memory),
        cmocka_unit_test(a_format_that_cannot_be_converted_is_an_error),
        cmocka_unit_test(pointer_arrays_insert_remove_and_fail),
        cmocka_unit_test(hash_tables_replace_and_answer_when_empty),
        cmocka_unit_test(atomic_write_handles_odd_paths_and_file_systems_without_sync),
        cmocka_unit_test(read_file_reports_exhaustion_and_read_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
