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
        {"<float key='f' value=''/>", 1},
        {"<float key='f' value='1.e5'/>", 0},
        {"<float key='f' value='1E+07'/>", 0},
        {"<float key='f' value='1e5x'/>", 1},
        {"<float key='f' value='-.5e-5.'/>", 1},
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
                                       "a.b-c://x", "a+b.c-d://x", "HTTP://X", "Zz09.+-://x",
                                       "x://"};
    /* a scheme begins with a letter and holds letters, digits, '+', '-' and '.' only */
    static const char *const paths[] = {"/nonexistent/1log://x", "/nonexistent/:x",
                                        "/nonexistent/a:/b", "/nonexistent/a:b/c",
                                        "1log://x", "C:\\x.xes", "@x://y", "[x://y",
                                        "{x://y", "~x://y", "a@://x", "a[://x", "a{://x",
                                        "a/://x", "a_b://x", "a:", "a:/", "a:\\\\x", ""};
    cjm_mine_result *r = NULL;
    for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
        assert_cjm_error(cjm_mine_file(&r, urls[i], NULL, NULL), CJM_EIO);
        assert_non_null(strstr(cjm_error_last()->message, "URLs are not read"));
        assert_string_equal(cjm_error_last()->file, urls[i]);
        assert_null(r);
    }
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        assert_cjm_error(cjm_mine_file(&r, paths[i], NULL, NULL), CJM_EIO);
        assert_null(strstr(cjm_error_last()->message, "URLs are not read"));
        assert_non_null(strstr(cjm_error_last()->message, "cannot open"));
        assert_string_equal(cjm_error_last()->file, paths[i]);
        assert_null(r);
    }
}

static size_t activity(const cjm_mine_result *r, const char *name)
{
    size_t i = 99;
    if (cjm_mine_activity_find(r, name, &i) != 0)
        fail_msg("no activity '%s': %s", name, cjm_error_last()->message);
    return i;
}

/*
 * Keys separated by every kind of blank, an empty quoted key skipped, more
 * keys and classifiers than the first allocation holds, classifiers
 * without a name or declared after the first trace (ignored), attributes
 * with a prefix or a name that only begins like the one looked for.
 */
static void classifier_declarations_of_every_shape(void **state)
{
    (void)state;
    static const char doc[] =
        LOG_HEAD "<classifier keys='concept:name'/>"
        "<classifier name='c1' keys='a'/><classifier name='c2' keys='a'/>"
        "<classifier name='c3' keys='a'/><classifier name='c4' keys='a'/>"
        "<classifier xmlns:p='urn:p' p:name='wide' nick='x' name='wide' p:keys='k1' "
        "keys=\"k1&#13;&#10;k2\tk3&#10;'' k4 'k5' k6\"/>"
        "<classifier name='a&amp;b' keys='k1'/>"
        "<trace><event><string key='k1' value='1'/><string key='k2' value='2'/>"
        "<string key='k3' value='3'/><string key='k4' value='4'/><string key='k5' value='5'/>"
        "<string key='k6' value='6'/></event>"
        "<event><string key='k1' value='1'/></event></trace>"
        "<classifier name='late' keys='k1'/>" LOG_TAIL;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;

    o.classifier = "wide";
    assert_ok(mine_text(&r, doc, &o));
    assert_int_equal(cjm_mine_key_count(r), 6);
    assert_string_equal(cjm_mine_key_at(r, 1), "k2");
    assert_string_equal(cjm_mine_key_at(r, 3), "k4");
    assert_string_equal(cjm_mine_key_at(r, 5), "k6");
    activity(r, "1+2+3+4+5+6");
    assert_int_equal(cjm_mine_activity_count(r), 1);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS_UNCLASSIFIED), 1);
    cjm_mine_result_free(r);

    o.classifier = "c4";
    assert_ok(mine_text(&r, doc, &o));
    assert_string_equal(cjm_mine_key_at(r, 0), "a");
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS_UNCLASSIFIED), 2);
    cjm_mine_result_free(r);

    o.classifier = "a&b"; /* a name holding '&' is decoded */
    assert_ok(mine_text(&r, doc, &o));
    activity(r, "1");
    cjm_mine_result_free(r);

    o.classifier = "late";
    r = NULL;
    assert_cjm_error(mine_text(&r, doc, &o), CJM_ENOTFOUND);
    assert_non_null(strstr(cjm_error_last()->message, "no classifier named 'late'"));
    assert_null(r);
}

/*
 * Globals of every scope, one declared after the first trace (ignored), a
 * global timestamp of the wrong type, an empty activity name and channel,
 * and timestamps missing on one side of a pair.
 */
static void globals_defaults_and_odd_values(void **state)
{
    (void)state;
    static const char doc[] =
        LOG_HEAD "<extension name='X' prefix='x' uri='https://example.org/x.xesext'/>"
        "<extension name='Y' prefix='y' uri='https:/'/>"
        "<extension name='Z' prefix='z'/>"
        "<global scope='log'><string key='l' value='1'/></global>"
        "<global scope='elsewhere'><string key='m' value='1'/></global>"
        "<global scope='trace'><string key='concept:name' value='case'/></global>"
        "<global><string key='time:timestamp' value='not a date'/>"
        "<string key='ch' value='web'/></global>"
        "<trace><event><string key='concept:name' value=''/><string key='ch' value=''/>"
        "<date key='time:timestamp' value='2020-01-01T00:00:00Z'/></event>"
        "<event><string key='concept:name' value='b'/></event>"
        "<event><string key='concept:name' value='c'/>"
        "<date key='time:timestamp' value='2020-01-01T00:00:05Z'/></event></trace>"
        "<global><string key='concept:name' value='late default'/></global>"
        "<trace><event><string key='ch' value='app'/></event></trace>" LOG_TAIL;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;
    cjm_mine_activity a;

    o.channel_key = "ch";
    assert_ok(mine_text(&r, doc, &o));
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EXTENSIONS_ODD), 2);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_TRACES), 2);
    /* an empty name is an activity like any other */
    assert_ok(cjm_mine_activity_at(r, activity(r, ""), &a));
    assert_int_equal(a.events, 1);
    assert_ok(cjm_mine_activity_at(r, activity(r, "b"), &a));
    assert_string_equal(a.channel, "web"); /* the global default */
    /* no default name: the global after the first trace is ignored */
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS_UNCLASSIFIED), 1);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_TRACES_EMPTY), 1);
    /* b has no timestamp: neither of its pairs is timed */
    assert_int_equal(cjm_mine_count(r, CJM_MINE_PAIRS_UNTIMED), 2);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_PAIRS_TIMED), 0);
    cjm_mine_result_free(r);
}

/*
 * Attributes with a prefix are not XES's, a key of the length of
 * time:timestamp is not it, channels and activities that share a slot of
 * the reader's cache keep their own names, blanks given as character
 * references separate classifier keys, and a global timestamp that is no
 * date gives no default.
 */
static void lookalike_keys_names_and_defaults(void **state)
{
    (void)state;
    static const char doc[] =
        LOG_HEAD "<classifier name='refs' keys='concept:name&#9;k2&#13;k3&#10;k4'/>"
        "<global scope='event'><date key='time:timestamp' value='not a date'/></global>"
        "<trace><event xmlns:p='urn:p'><string p:key='concept:name' key='concept:name' "
        "p:value='no' value='abcd'/><string key='ch' value='abcd'/>"
        "<string key='k2' value='2'/><string key='k3' value='3'/><string key='k4' value='4'/>"
        "<date key='time:timestampX' value='2020-01-01T00:00:00Z'/>"
        "<date key='time:timestamX' value='2020-01-01T00:00:00Z'/><string key='' value='x'/>"
        "</event>"
        "<event><string key='concept:name' value='axcd'/><string key='ch' value='axcd'/>"
        "<string key='k2' value='2'/><string key='k3' value='3'/><string key='k4' value='4'/>"
        "</event>"
        "<event><string key='concept:name' value='abcd'/><string key='ch' value='axcd'/>"
        "</event></trace>" LOG_TAIL;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;
    cjm_mine_activity a;

    o.channel_key = "ch";
    assert_ok(mine_text(&r, doc, &o));
    assert_int_equal(cjm_mine_activity_count(r), 2);
    assert_ok(cjm_mine_activity_at(r, activity(r, "abcd"), &a));
    assert_int_equal(a.events, 2);
    assert_ok(cjm_mine_activity_at(r, activity(r, "axcd"), &a));
    assert_int_equal(a.events, 1);
    assert_string_equal(a.channel, "axcd");
    /* no event has a valid time:timestamp and the global one is no date */
    assert_int_equal(cjm_mine_count(r, CJM_MINE_PAIRS_TIMED), 0);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_PAIRS_UNTIMED), 2);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_ATTRIBUTES_NO_KEY), 1);
    cjm_mine_result_free(r);

    o.channel_key = NULL;
    o.classifier = "refs";
    assert_ok(mine_text(&r, doc, &o));
    assert_int_equal(cjm_mine_key_count(r), 4);
    assert_string_equal(cjm_mine_key_at(r, 3), "k4");
    activity(r, "abcd+2+3+4");
    activity(r, "axcd+2+3+4");
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS_UNCLASSIFIED), 1);
    cjm_mine_result_free(r);
}

static void memory_reading_reports_progress_and_refuses_no_data(void **state)
{
    (void)state;
    static const char doc[] =
        LOG_HEAD "<trace><event><string key='concept:name' value='a'/></event></trace>" LOG_TAIL;
    unsigned long long calls = 0;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;

    o.progress = count_progress;
    o.progress_ud = &calls;
    assert_ok(mine_text(&r, doc, &o));
    assert_true(calls > 0);
    cjm_mine_result_free(r);
    r = NULL;
    assert_cjm_error(cjm_mine_memory(&r, NULL, 0, "none.xes", NULL, NULL), CJM_EPARSE);
    assert_non_null(strstr(cjm_error_last()->message, "empty"));
    assert_string_equal(cjm_error_last()->file, "none.xes");
    assert_cjm_error(cjm_mine_memory(&r, "", 0, NULL, NULL, NULL), CJM_EPARSE);
    assert_string_equal(cjm_error_last()->file, "(memory)");
    assert_null(r);
}

typedef struct mine_case {
    const char *doc;
    const char *classifier;
    const char *channel;
} mine_case;

static int mine_step(const cjm_allocator *alloc, void *ctx)
{
    const mine_case *c = ctx;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;
    int rc;
    o.classifier = c->classifier;
    o.channel_key = c->channel;
    rc = cjm_mine_memory(&r, c->doc, strlen(c->doc), "oom.xes", &o, alloc);
    if (rc == 0) {
        if (c->classifier && cjm_mine_key_count(r) != 3)
            fail_msg("the classifier's keys were not all kept");
        cjm_mine_result_free(r);
    } else if (r) {
        fail_msg("a result was handed out with an error");
    }
    return rc;
}

/* Every allocation of a read with classifiers, globals and channels fails in turn. */
static void each_allocation_of_a_read_may_fail(void **state)
{
    (void)state;
    static const char classified[] =
        LOG_HEAD "<classifier name='c0' keys='a'/><classifier name='c1' keys='a'/>"
        "<classifier name='c2' keys='a'/><classifier name='c3' keys='a'/>"
        "<classifier name='three' keys=\"concept:name 'org:role' lifecycle:transition\"/>"
        "<global><string key='org:role' value='clerk'/><string key='ch' value='web'/></global>"
        "<trace><string key='concept:name' value='case 1'/>"
        "<event><string key='concept:name' value='a&amp;b'/>"
        "<string key='lifecycle:transition' value='complete'/>"
        "<date key='time:timestamp' value='2020-01-01T00:00:00Z'/></event>"
        "<event><string key='concept:name' value='c'/><string key='org:role' value='boss'/>"
        "<string key='lifecycle:transition' value='start'/><string key='ch' value='app'/>"
        "<date key='time:timestamp' value='2020-01-01T01:00:00Z'/></event></trace>" LOG_TAIL;
    static const char no_trace[] = LOG_HEAD "<string key='x' value='y'/>" LOG_TAIL;
    mine_case c = {classified, "three", "ch"};
    assert_true(test_oom_loop(mine_step, &c, 0) > 10);
    assert_true(test_oom_loop(mine_step, &c, 1) > 10);
    c.doc = no_trace;
    c.classifier = NULL;
    assert_true(test_oom_loop(mine_step, &c, 0) > 1);
}

/*
 * Typed attributes of every type directly in the log, in a global and in a
 * trace, valid and not; attributes whose key and value come in any order,
 * with a prefix or next to others; elements XES does not define inside the
 * log, a global, an extension and a classifier.
 */
static void attributes_and_elements_outside_events(void **state)
{
    (void)state;
    static const char doc[] =
        "<log xes.version='1.0' xmlns='http://www.xes-standard.org/' xmlns:p='urn:p'>"
        "<string key='' value='x'/><list key='l'><values/></list><string key='s'/>"
        "<string key='del' value='a&#127;b'/>"
        "<int key='i' value='1'/><int key='i2' value='x'/>"
        "<float key='f' value='1.5'/><float key='f2' value='x'/>"
        "<boolean key='b' value='true'/><boolean key='b2' value='x'/>"
        "<date key='d' value='2020-01-01T00:00:00'/><date key='d2' value='x'/>"
        "<id key='id' value='x'/><foo/>"
        "<extension name='E' prefix='e' uri='http://x/y'><inner/></extension>"
        "<classifier name='c' keys='concept:name'><inner/></classifier>"
        "<global scope='event'><foo/><string key='g1' value='1'/><string key='g2' value='2'/>"
        "<string key='g3' value='3'/><string key='g4' value='4'/><string key='g5' value='5'/>"
        "<string key='g6' value='6'/><string key='g7' value='7'/><string key='g8' value='8'/>"
        "<string key='g9' value='9'/><string key='' value='x'/></global>"
        "<trace><container key='c'><int key='x' value='1'/></container>"
        "<string key='concept:name' value='t&#127;'/><int key='n'/>"
        "<event><string value='a' key='concept:name'/><string key='ch' other='x'/>"
        "<string p:key='ch' value='no'/><string key='g9' p:value='no'/><string key='g9' value='s'/>"
        "<string key='ch' value='web' other='x'/><string value='v'/></event>"
        "<event><string key='concept:name' value='bj'/><string key='ch' value='bj'/>"
        "<string key='g9' value='" 
        "0123456789012345678901234567890123456789012345678901234567890123456789'/></event>"
        "<event><string key='concept:name' value='b'/><string key='ch' value='b'/></event>"
        "<event><string key='concept:name' value='bj'/><string key='ch' value='bj'/></event>"
        "</trace>" LOG_TAIL;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;
    cjm_mine_activity a;
    static const char *const keys[] = {"concept:name", "g9"};

    o.channel_key = "ch";
    assert_ok(mine_text(&r, doc, &o));
    /* s, del, i2, f2, b2 and d2 in the log; t and n in the trace; ch and g9 in the event */
    assert_int_equal(cjm_mine_count(r, CJM_MINE_VALUES_INVALID), 10);
    /* one empty key in the log and in the global; p:key and no key in the event */
    assert_int_equal(cjm_mine_count(r, CJM_MINE_ATTRIBUTES_NO_KEY), 4);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_ELEMENTS_UNKNOWN), 4);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_DATES_NO_TIMEZONE), 1);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EXTENSIONS_ODD), 0);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS), 4);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_PAIRS_UNTIMED), 3);
    /* "b" and "bj" share a slot of the reader's cache: each keeps its own events */
    assert_int_equal(cjm_mine_activity_count(r), 3);
    assert_ok(cjm_mine_activity_at(r, activity(r, "a"), &a));
    assert_string_equal(a.channel, "web");
    assert_ok(cjm_mine_activity_at(r, activity(r, "b"), &a));
    assert_int_equal(a.events, 1);
    assert_string_equal(a.channel, "b");
    assert_ok(cjm_mine_activity_at(r, activity(r, "bj"), &a));
    assert_int_equal(a.events, 2);
    assert_string_equal(a.channel, "bj");
    cjm_mine_result_free(r);

    /* the ninth global is a default; a value longer than the last one is kept whole */
    o.keys = keys;
    o.key_count = 2;
    assert_ok(mine_text(&r, doc, &o));
    assert_int_equal(cjm_mine_activity_count(r), 4);
    activity(r, "a+s");
    activity(r, "b+9");
    activity(r, "bj+9");
    activity(r, "bj+0123456789012345678901234567890123456789012345678901234567890123456789");
    cjm_mine_result_free(r);
}

/*
 * A classifier that is not declared is refused at the first event, even
 * one outside any trace, or at the end of a log without traces, naming
 * the log; a trace longer than the first allocation of its sequence.
 */
static void classifiers_missing_and_long_traces(void **state)
{
    (void)state;
    static const char outside[] =
        LOG_HEAD "\n<event><string key='concept:name' value='a'/></event>" LOG_TAIL;
    static const char no_trace[] = LOG_HEAD "<string key='x' value='y'/>" LOG_TAIL;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;
    char doc[8192];
    size_t n;

    o.classifier = "absent";
    assert_cjm_error(mine_text(&r, outside, &o), CJM_ENOTFOUND);
    assert_non_null(strstr(cjm_error_last()->message, "no classifier named 'absent'"));
    assert_string_equal(cjm_error_last()->file, "log.xes");
    assert_int_equal(cjm_error_last()->line, 2);
    assert_true(cjm_error_last()->column > 0);
    assert_null(r);
    assert_cjm_error(mine_text(&r, no_trace, &o), CJM_ENOTFOUND);
    assert_non_null(strstr(cjm_error_last()->message, "no classifier named 'absent'"));
    assert_string_equal(cjm_error_last()->file, "log.xes");
    assert_null(r);

    n = (size_t)snprintf(doc, sizeof doc, "%s<trace>", LOG_HEAD);
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n,
                              "<event><string key='concept:name' value='e%d'/></event>", i % 7);
    snprintf(doc + n, sizeof doc - n, "</trace>%s", LOG_TAIL);
    assert_ok(mine_text(&r, doc, NULL));
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS), 100);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_VARIANTS_TOO_LONG), 0);
    assert_int_equal(cjm_mine_variant_count(r), 1);
    cjm_mine_result_free(r);
}

static void progress_is_reported_chunk_by_chunk(void **state)
{
    (void)state;
    const char *dir = test_scratch_dir("cov-xes-progress-big");
    char path[4200];
    unsigned long long calls = 0;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;
    static const char ev[] = "<event><string key='concept:name' value='a'/></event>";
    size_t evn = sizeof ev - 1, n = 0, cap = 100 * 1024;
    char *doc = malloc(cap + 256);
    assert_non_null(doc);
    n = (size_t)sprintf(doc, "%s<trace>", LOG_HEAD);
    while (n < cap) {
        memcpy(doc + n, ev, evn);
        n += evn;
    }
    n += (size_t)sprintf(doc + n, "</trace>%s", LOG_TAIL);
    snprintf(path, sizeof path, "%s/big.xes", dir);
    test_write_file(path, doc, n);
    free(doc);
    o.progress = count_progress;
    o.progress_ud = &calls;
    assert_ok(cjm_mine_file(&r, path, &o, NULL));
    assert_int_equal(cjm_mine_count(r, CJM_MINE_TRACES), 1);
    cjm_mine_result_free(r);
    /* once before each of the two reads and once at the end */
    assert_true(calls >= 2);
}

/*
 * Every allocation fails in turn in a read where names and values hold
 * '&' everywhere (classifiers, extensions, attributes of the log and of
 * events, a wanted key) and more timed pairs follow than wait for a bin.
 */
static void each_allocation_of_a_read_with_ampersands_may_fail(void **state)
{
    (void)state;
    char doc[8192];
    size_t n;
    mine_case c = {NULL, "three", "c&d"};
    n = (size_t)snprintf(doc, sizeof doc, "%s",
                         LOG_HEAD "<extension name='E' prefix='e' uri='http://x/?a&amp;b'/>"
                                  "<classifier name='th&amp;ree' keys='x'/>"
                                  "<classifier name='three' keys=\"concept:name 'k&amp;1' k2\"/>"
                                  "<string key='l&amp;g' value='v&amp;w'/>"
                                  "<global><string key='k&amp;1' value='1&amp;2'/>"
                                  "<string key='k2' value='2'/></global><trace>");
    for (int i = 0; i < 24; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n,
                              "<event><string key='concept:name' value='a%d&amp;b'/>"
                              "<string key='c&amp;d' value='c&amp;%d'/>"
                              "<date key='time:timestamp' value='2020-01-01T00:%02d:00Z'/>"
                              "</event>",
                              i % 3, i % 2, i);
    snprintf(doc + n, sizeof doc - n, "</trace>%s", LOG_TAIL);
    c.doc = doc;
    assert_true(test_oom_loop(mine_step, &c, 0) > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(typed_values_are_checked_against_their_type),
        cmocka_unit_test(classifiers_name_their_keys_quoted_or_not),
        cmocka_unit_test(options_are_checked_before_reading),
        cmocka_unit_test(progress_is_reported_while_reading_a_file),
        cmocka_unit_test(names_that_look_like_addresses_are_refused),
        cmocka_unit_test(classifier_declarations_of_every_shape),
        cmocka_unit_test(globals_defaults_and_odd_values),
        cmocka_unit_test(lookalike_keys_names_and_defaults),
        cmocka_unit_test(memory_reading_reports_progress_and_refuses_no_data),
        cmocka_unit_test(each_allocation_of_a_read_may_fail),
        cmocka_unit_test(attributes_and_elements_outside_events),
        cmocka_unit_test(classifiers_missing_and_long_traces),
        cmocka_unit_test(progress_is_reported_chunk_by_chunk),
        cmocka_unit_test(each_allocation_of_a_read_with_ampersands_may_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
