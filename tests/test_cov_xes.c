/*
 * The XES reader's value checks, classifiers, options and input names, one
 * branch at a time: every typed value is either counted as invalid or
 * accepted, every refusal has its code and names the log.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_HEAD "<log xes.version='1.0' xmlns='http://www.xes-standard.org/'>"
#define LOG_TAIL "</log>"

static int mine_text(cjm_mine_result **out, const char *doc, const cjm_mine_options *o)
{
    return cjm_mine_memory(out, doc, strlen(doc), "log.xes", o, NULL);
}

/* Mines one trace of one event holding `attr`; returns the invalid-value count. */
static long invalid_values(const char *attr)
{
    char doc[1024];
    cjm_mine_result *r = NULL;
    long n;
    snprintf(doc, sizeof doc,
             LOG_HEAD "<trace><event><string key='concept:name' value='a'/>%s</event></trace>"
                      LOG_TAIL,
             attr);
    if (mine_text(&r, doc, NULL) != 0)
        fail_msg("%s: %s", attr, cjm_error_last()->message);
    n = (long)cjm_mine_count(r, CJM_MINE_VALUES_INVALID);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS), 1);
    cjm_mine_result_free(r);
    return n;
}

static void typed_values_are_checked_against_their_type(void **state)
{
    (void)state;
    static const struct {
        const char *attr;
        long invalid;
    } cases[] = {
        {"<int key='n' value='42'/>", 0},
        {"<int key='n' value='+42'/>", 0},
        {"<int key='n' value='-9223372036854775808'/>", 0},
        {"<int key='n' value='9223372036854775807'/>", 0},
        {"<int key='n' value='9223372036854775808'/>", 1},
        {"<int key='n' value='-'/>", 1},
        {"<int key='n' value='+'/>", 1},
        {"<int key='n' value=''/>", 1},
        {"<int key='n' value='4x'/>", 1},
        {"<float key='f' value='1.5'/>", 0},
        {"<float key='f' value='NaN'/>", 0},
        {"<float key='f' value='INF'/>", 0},
        {"<float key='f' value='-INF'/>", 0},
        {"<float key='f' value='+INF'/>", 0},
        {"<float key='f' value='-2.5e+3'/>", 0},
        {"<float key='f' value='2E-3'/>", 0},
        {"<float key='f' value='.5'/>", 0},
        {"<float key='f' value='5.'/>", 0},
        {"<float key='f' value='1e'/>", 1},
        {"<float key='f' value='1e+'/>", 1},
        {"<float key='f' value='.'/>", 1},
        {"<float key='f' value='-'/>", 1},
        {"<float key='f' value='nan'/>", 1},
        {"<float key='f' value='1.5x'/>", 1},
        {"<boolean key='b' value='true'/>", 0},
        {"<boolean key='b' value='false'/>", 0},
        {"<boolean key='b' value='1'/>", 0},
        {"<boolean key='b' value='0'/>", 0},
        {"<boolean key='b' value='2'/>", 1},
        {"<boolean key='b' value='TRUE'/>", 1},
        {"<boolean key='b' value='yes'/>", 1},
        {"<boolean key='b' value='falsy'/>", 1},
        {"<date key='d' value='2020-03-27T10:00:00Z'/>", 0},
        {"<date key='d' value='yesterday'/>", 1},
        {"<id key='i' value='abc'/>", 0},
        {"<string key='s'/>", 1},
        {"<int key='n'/>", 1},
        {"<list key='l'><values><string key='x' value='1'/></values></list>", 0},
        {"<container key='c'><int key='x' value='1'/></container>", 0},
        {"<string key='s' value='a&#127;b'/>", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        long got = invalid_values(cases[i].attr);
        if (got != cases[i].invalid)
            fail_msg("%s: %ld invalid, expected %ld", cases[i].attr, got, cases[i].invalid);
    }
}

static void classifiers_name_their_keys_quoted_or_not(void **state)
{
    (void)state;
    static const char doc[] =
        LOG_HEAD
        "<classifier name='quoted' keys=\"'concept:name' 'org:resource'\"/>"
        "<classifier name='plain' keys='  concept:name\torg:resource  '/>"
        "<classifier name='open' keys=\"'concept:name\"/>"
        "<classifier name='empty' keys='   '/>"
        "<classifier name='nokeys'/>"
        "<trace><event><string key='concept:name' value='a'/>"
        "<string key='org:resource' value='r'/></event></trace>" LOG_TAIL;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;
    size_t idx;
    o.classifier = "quoted";
    assert_ok(mine_text(&r, doc, &o));
    assert_int_equal(cjm_mine_key_count(r), 2);
    assert_string_equal(cjm_mine_key_at(r, 1), "org:resource");
    assert_ok(cjm_mine_activity_find(r, "a+r", &idx));
    cjm_mine_result_free(r);
    o.classifier = "plain";
    assert_ok(mine_text(&r, doc, &o));
    assert_int_equal(cjm_mine_key_count(r), 2);
    cjm_mine_result_free(r);
    o.classifier = "open"; /* a quote left open runs to the end */
    assert_ok(mine_text(&r, doc, &o));
    assert_int_equal(cjm_mine_key_count(r), 1);
    assert_string_equal(cjm_mine_key_at(r, 0), "concept:name");
    cjm_mine_result_free(r);
    /* the result pointer is left untouched on failure */
    o.classifier = "empty";
    r = (cjm_mine_result *)&idx;
    assert_cjm_error(mine_text(&r, doc, &o), CJM_EPARSE);
    assert_ptr_equal(r, &idx);
    assert_non_null(strstr(cjm_error_last()->message, "names no keys"));
    assert_string_equal(cjm_error_last()->file, "log.xes");
    o.classifier = "nokeys";
    assert_int_not_equal(mine_text(&r, doc, &o), 0);
    assert_ptr_equal(r, &idx);
    o.classifier = "absent";
    assert_cjm_error(mine_text(&r, doc, &o), CJM_ENOTFOUND);
    assert_ptr_equal(r, &idx);
    o.classifier = "bad\x01";
    assert_cjm_error(mine_text(&r, doc, &o), CJM_EINVAL);
}

static void options_are_checked_before_reading(void **state)
{
    (void)state;
    static const char doc[] =
        LOG_HEAD "<trace><event><string key='concept:name' value='a'/></event></trace>" LOG_TAIL;
    static const char *const empty_key[] = {""};
    static const char *const null_key[] = {NULL};
    static const char *const bad_key[] = {"k\x01"};
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;
    o.keys = empty_key;
    o.key_count = 1;
    assert_cjm_error(mine_text(&r, doc, &o), CJM_EINVAL);
    o.keys = null_key;
    assert_cjm_error(mine_text(&r, doc, &o), CJM_EINVAL);
    o.keys = bad_key;
    assert_cjm_error(mine_text(&r, doc, &o), CJM_EINVAL);
    o.keys = NULL;
    o.key_count = 0;
    o.channel_key = "";
    assert_cjm_error(mine_text(&r, doc, &o), CJM_EINVAL);
    o.channel_key = "c\x7F";
    assert_cjm_error(mine_text(&r, doc, &o), CJM_EINVAL);
    o.channel_key = NULL;
    o.version = 77;
    assert_cjm_error(mine_text(&r, doc, &o), CJM_EINVAL);
    assert_null(r);
    assert_cjm_error(cjm_mine_memory(&r, NULL, 5, "x", NULL, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_mine_memory(NULL, doc, 5, "x", NULL, NULL), CJM_EINVAL);
    /* a depth beyond the reader's ceiling is lowered to it, not refused */
    o.version = CJM_MINE_OPTIONS_VERSION;
    o.max_depth = 100000;
    assert_ok(mine_text(&r, doc, &o));
    cjm_mine_result_free(r);
}

static void count_progress(void *ud, unsigned long long done, unsigned long long total)
{
    assert_true(done <= total);
    ++*(unsigned long long *)ud;
}

static void progress_is_reported_while_reading_a_file(void **state)
{
    (void)state;
    const char *dir = test_scratch_dir("cov-xes-progress");
    char path[4200];
    unsigned long long calls = 0;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;
    static const char doc[] =
        LOG_HEAD "<trace><event><string key='concept:name' value='a'/></event></trace>" LOG_TAIL;
    snprintf(path, sizeof path, "%s/p.xes", dir);
    test_write_file(path, doc, sizeof doc - 1);
    o.progress = count_progress;
    o.progress_ud = &calls;
    assert_ok(cjm_mine_file(&r, path, &o, NULL));
    cjm_mine_result_free(r);
    assert_true(calls > 0);
}

static void names_that_look_like_addresses_are_refused(void **state)
{
    (void)state;
    static const char *const urls[] = {"http://example.com/log.xes", "https://x/y.xes",
                                       "ftp://x/y.xes", "svn+ssh://host/log.xes",
                                       "a.b-c://x"};
    static const char *const paths[] = {"/nonexistent/1log://x", "/nonexistent/:x",
                                        "/nonexistent/a:/b", "/nonexistent/a:b/c"};
    cjm_mine_result *r = NULL;
    for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
        assert_cjm_error(cjm_mine_file(&r, urls[i], NULL, NULL), CJM_EIO);
        assert_non_null(strstr(cjm_error_last()->message, "URLs are not read"));
        assert_null(r);
    }
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        assert_cjm_error(cjm_mine_file(&r, paths[i], NULL, NULL), CJM_EIO);
        assert_null(strstr(cjm_error_last()->message, "URLs are not read"));
        assert_null(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(typed_values_are_checked_against_their_type),
        cmocka_unit_test(classifiers_name_their_keys_quoted_or_not),
        cmocka_unit_test(options_are_checked_before_reading),
        cmocka_unit_test(progress_is_reported_while_reading_a_file),
        cmocka_unit_test(names_that_look_like_addresses_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
