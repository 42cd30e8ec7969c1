/*
 * The XES reader's value checks, classifiers, options and input names, one
 * branch at a time: every typed value is either counted as invalid or
 * accepted, every refusal has its code and names the log.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <zlib.h>

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

/* Where the failing runs of an out-of-memory loop were located. */
typedef struct oom_where {
    int line;     /* the line looked at */
    long runs;    /* failing runs */
    long at_line; /* of them, those that failed on `line` */
    int column;   /* the column of the first of those */
} oom_where;

/*
 * Mines `doc` (named "oom.xes") with each allocation failing in turn: every
 * failing run returns CJM_ENOMEM, says "out of memory", hands out nothing
 * and frees everything; the run without a failure succeeds. Counts the
 * failures located on line `w->line`.
 */
static void oom_runs(const char *doc, const cjm_mine_options *o, oom_where *w)
{
    for (long n = 1;; n++) {
        test_alloc t;
        cjm_mine_result *r = NULL;
        int rc;
        test_alloc_init(&t, n, 0);
        rc = cjm_mine_memory(&r, doc, strlen(doc), "oom.xes", o, &t.base);
        if (t.failures == 0) {
            assert_ok(rc);
            cjm_mine_result_free(r);
            assert_int_equal(t.live, 0);
            return;
        }
        assert_cjm_error(rc, CJM_ENOMEM);
        assert_null(r);
        assert_int_equal(t.live, 0);
        assert_string_equal(cjm_error_last()->message, "out of memory");
        w->runs++;
        if (cjm_error_last()->line == w->line) {
            assert_string_equal(cjm_error_last()->file, "oom.xes");
            if (w->at_line++ == 0)
                w->column = cjm_error_last()->column;
        }
        if (n > 100000)
            fail_msg("the read never completes");
    }
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

/*
 * A key or a value holding '&', directly in the log, is decoded into a
 * buffer of its own: when that buffer cannot grow, the read stops at the
 * attribute with "out of memory". The same log without '&' needs no such
 * buffer.
 */
static void ampersands_in_log_attributes_may_run_out_of_memory(void **state)
{
    (void)state;
    static const char amp[] =
        LOG_HEAD "\n<string key='k&amp;1' value='v'/>\n<string key='k2' value='v&amp;w'/>\n"
        "<trace><event><string key='concept:name' value='a'/></event></trace>" LOG_TAIL;
    static const char plain[] =
        LOG_HEAD "\n<string key='k1' value='v'/>\n<string key='k2' value='vw'/>\n"
        "<trace><event><string key='concept:name' value='a'/></event></trace>" LOG_TAIL;
    oom_where key = {2, 0, 0, 0}, val = {3, 0, 0, 0}, pkey = {2, 0, 0, 0}, pval = {3, 0, 0, 0};
    oom_runs(amp, NULL, &key);
    oom_runs(amp, NULL, &val);
    oom_runs(plain, NULL, &pkey);
    oom_runs(plain, NULL, &pval);
    /* the position is the parser's, after the last attribute */
    assert_int_equal(key.at_line, 1);
    assert_int_equal(key.column, 32);
    assert_int_equal(val.at_line, 1);
    assert_int_equal(val.column, 33);
    assert_int_equal(pkey.at_line, 0);
    assert_int_equal(pval.at_line, 0);
    assert_int_equal(key.runs, pkey.runs + 2);
}

/*
 * In an event, a key holding '&' is decoded when a wanted key holds one,
 * and a channel's value holding '&' before it is kept: each needs a
 * buffer, whose failure stops the read at the attribute.
 */
static void ampersands_in_event_attributes_may_run_out_of_memory(void **state)
{
    (void)state;
    static const char doc[] =
        LOG_HEAD "<trace><event>\n<string key='x&amp;y' value='1'/>\n"
        "<string key='c&amp;d' value='w&amp;b'/>\n"
        "<string key='concept:name' value='a'/></event></trace>" LOG_TAIL;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    oom_where key = {2, 0, 0, 0}, val = {3, 0, 0, 0};
    cjm_mine_result *r = NULL;
    cjm_mine_activity a;
    o.channel_key = "c&d";
    oom_runs(doc, &o, &key);
    oom_runs(doc, &o, &val);
    /* the key's decoding; then the value's and the channel's copy */
    assert_int_equal(key.at_line, 1);
    assert_int_equal(key.column, 32);
    assert_int_equal(val.at_line, 2);
    assert_int_equal(val.column, 38);
    assert_ok(mine_text(&r, doc, &o));
    assert_ok(cjm_mine_activity_at(r, activity(r, "a"), &a));
    assert_string_equal(a.channel, "w&b");
    cjm_mine_result_free(r);
}

/* A classifier's name holding '&' is decoded before it is kept. */
static void ampersands_in_classifier_names_may_run_out_of_memory(void **state)
{
    (void)state;
    static const char amp[] =
        LOG_HEAD "\n<classifier name='n&amp;1' keys='concept:name'/>\n"
        "<trace><event><string key='concept:name' value='a'/></event></trace>" LOG_TAIL;
    static const char plain[] =
        LOG_HEAD "\n<classifier name='n1' keys='concept:name'/>\n"
        "<trace><event><string key='concept:name' value='a'/></event></trace>" LOG_TAIL;
    oom_where w = {2, 0, 0, 0}, pw = {2, 0, 0, 0};
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;
    oom_runs(amp, NULL, &w);
    oom_runs(plain, NULL, &pw);
    /* the name's decoding, then the table, the name and the keys kept */
    assert_int_equal(w.at_line, 4);
    assert_int_equal(w.column, 47);
    assert_int_equal(pw.at_line, 3);
    assert_int_equal(pw.column, 42);
    o.classifier = "n&1";
    assert_ok(mine_text(&r, amp, &o));
    assert_string_equal(cjm_mine_key_at(r, 0), "concept:name");
    activity(r, "a");
    cjm_mine_result_free(r);
}

/*
 * An activity named by two keys: when the first value fills the name's
 * buffer exactly, the '+' between the values needs an allocation of its
 * own, and its failure stops the read at the end of the event.
 */
static void a_name_buffer_exactly_full_may_run_out_of_memory(void **state)
{
    (void)state;
    static const char *const keys[] = {"concept:name", "k"};
    char full[1024], short_[1024];
    const char *fmt = LOG_HEAD "<trace><event><string key='concept:name' value='%s'/>"
                               "<string key='k' value=''/>\n</event></trace>" LOG_TAIL;
    char v63[64], v62[63];
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    oom_where w = {2, 0, 0, 0}, sw = {2, 0, 0, 0};
    memset(v63, 'a', 63);
    v63[63] = '\0';
    memset(v62, 'a', 62);
    v62[62] = '\0';
    snprintf(full, sizeof full, fmt, v63);
    snprintf(short_, sizeof short_, fmt, v62);
    o.keys = keys;
    o.key_count = 2;
    oom_runs(full, &o, &w);
    oom_runs(short_, &o, &sw);
    /* at the end tag: one allocation more when the separator does not fit */
    assert_int_equal(w.at_line, sw.at_line + 1);
    assert_int_equal(w.column, 9);
    assert_int_equal(sw.column, 9);
    assert_int_equal(w.runs, sw.runs + 1);
}

static void record_case_id(void *ud, const char *case_id, const unsigned long long counts[4])
{
    char *ids = ud;
    (void)counts;
    strcat(ids, case_id ? case_id : "(none)");
    strcat(ids, ";");
}

/* A trace without a concept:name is a case like any other, handed on without an id. */
static void cases_without_an_id_are_checked(void **state)
{
    (void)state;
    static const char doc[] =
        LOG_HEAD "<trace><string key='concept:name' value='c1'/>"
        "<event><string key='concept:name' value='order'/></event>"
        "<event><string key='concept:name' value='pay'/></event></trace>"
        "<trace><event><string key='concept:name' value='order'/></event>"
        "<event><string key='concept:name' value='pay'/></event></trace>"
        "<trace/>" LOG_TAIL;
    cjm_map *map = NULL;
    cjm_journey *j;
    cjm_item *tp;
    cjm_mine_conformance_options o = CJM_MINE_CONFORMANCE_OPTIONS_INIT;
    cjm_mine_conformance *c = NULL;
    char ids[64] = "";

    assert_ok(cjm_map_new(&map, NULL));
    assert_ok(cjm_map_add_journey(map, "j", &j));
    assert_ok(cjm_journey_add(j, CJM_STAGE, "s", NULL));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "order", &tp));
    assert_ok(cjm_item_set_text(tp, CJM_ATTR_STAGE, "s"));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "pay", &tp));
    assert_ok(cjm_item_set_text(tp, CJM_ATTR_STAGE, "s"));
    o.on_case = record_case_id;
    o.case_ud = ids;
    assert_ok(cjm_mine_conform_memory(&c, doc, sizeof doc - 1, "cases.xes", j, &o, NULL));
    assert_string_equal(ids, "c1;(none);(none);");
    assert_int_equal(cjm_mine_conformance_cases(c), 3);
    assert_int_equal(cjm_mine_count(cjm_mine_conformance_result(c), CJM_MINE_TRACES_EMPTY), 1);
    cjm_mine_conformance_free(c);
    cjm_map_free(map);
}

static void silent(void *ctx, const char *fmt, ...)
{
    (void)ctx, (void)fmt;
}

static void *no_malloc(size_t n)
{
    (void)n;
    return NULL;
}

static void *no_realloc(void *p, size_t n)
{
    (void)p, (void)n;
    return NULL;
}

static char *no_strdup(const char *s)
{
    (void)s;
    return NULL;
}

/*
 * libxml2 allocates its parser with an allocator of its own: when it
 * cannot, the read fails with "out of memory" and leaves nothing behind.
 */
static void a_parser_libxml2_cannot_allocate(void **state)
{
    (void)state;
    static const char doc[] =
        LOG_HEAD "<trace><event><string key='concept:name' value='a'/></event></trace>" LOG_TAIL;
    xmlFreeFunc fr;
    xmlMallocFunc ma;
    xmlReallocFunc re;
    xmlStrdupFunc du;
    xmlGenericErrorFunc said;
    void *said_ctx;
    test_alloc t;
    cjm_mine_result *r = NULL;
    int rc;

    /* a first read sets libxml2 up */
    assert_ok(mine_text(&r, doc, NULL));
    cjm_mine_result_free(r);
    r = NULL;
    assert_int_equal(xmlMemGet(&fr, &ma, &re, &du), 0);
    test_alloc_init(&t, 0, 0);
    /* libxml2 would say so on the standard error too */
    said = xmlGenericError;
    said_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, silent);
    xmlMemSetup(fr, no_malloc, no_realloc, no_strdup);
    rc = cjm_mine_memory(&r, doc, sizeof doc - 1, "log.xes", NULL, &t.base);
    xmlMemSetup(fr, ma, re, du);
    xmlSetGenericErrorFunc(said_ctx, said);
    assert_cjm_error(rc, CJM_ENOMEM);
    assert_string_equal(cjm_error_last()->message, "out of memory");
    assert_null(r);
    assert_int_equal(t.live, 0);
    /* and reads again once it can */
    assert_ok(mine_text(&r, doc, NULL));
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS), 1);
    cjm_mine_result_free(r);
}

/*
 * Bytes out against bytes in: the limit is a strict one. A plain log of
 * more than 16 MiB comes out at exactly once its size and passes a limit
 * of 1; the same log in gzip, far smaller, is refused at the first read
 * past 16 MiB with figures above the limit.
 */
static void the_decompression_ratio_is_a_strict_limit(void **state)
{
    (void)state;
    static const char head[] =
        LOG_HEAD "<trace><event><string key='concept:name' value='a'/></event></trace>";
    const char *dir = test_scratch_dir("cov-xes-ratio");
    char path[4200], *gz;
    size_t len = (17u << 20) + 100, glen;
    char *text = malloc(len);
    uLongf zlen;
    z_stream z;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;
    unsigned long long out = 0, in = 0;
    const char *figures;

    if (getenv("CJM_UNDER_VALGRIND")) {
        /* over 33 MiB read: long under valgrind, through the code other tests run */
        free(text);
        skip();
    }
    assert_non_null(text);
    memset(text, '\n', len);
    memcpy(text, head, sizeof head - 1);
    memcpy(text + len - strlen(LOG_TAIL), LOG_TAIL, strlen(LOG_TAIL));
    snprintf(path, sizeof path, "%s/plain.xes", dir);
    test_write_file(path, text, len);
    o.max_ratio = 1;
    assert_ok(cjm_mine_file(&r, path, &o, NULL));
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS), 1);
    cjm_mine_result_free(r);
    r = NULL;

    zlen = compressBound((uLong)len) + 32;
    gz = malloc(zlen);
    assert_non_null(gz);
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)text;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)gz;
    z.avail_out = (uInt)zlen;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    glen = (size_t)z.total_out;
    deflateEnd(&z);
    free(text);
    snprintf(path, sizeof path, "%s/packed.xes.gz", dir);
    test_write_file(path, gz, glen);
    free(gz);
    assert_cjm_error(cjm_mine_file(&r, path, NULL, NULL), CJM_ELIMIT);
    assert_null(r);
    assert_string_equal(cjm_error_last()->file, path);
    assert_non_null(strstr(cjm_error_last()->message, "decompresses to more than 200 times its size"));
    figures = strstr(cjm_error_last()->message, "(");
    assert_non_null(figures);
    assert_int_equal(sscanf(figures, "(%llu bytes from the first %llu)", &out, &in), 2);
    assert_true(in > 0 && out / in > 200);
    assert_true(out > (16u << 20) && out <= (16u << 20) + (64u << 10));
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
        cmocka_unit_test(ampersands_in_log_attributes_may_run_out_of_memory),
        cmocka_unit_test(ampersands_in_event_attributes_may_run_out_of_memory),
        cmocka_unit_test(ampersands_in_classifier_names_may_run_out_of_memory),
        cmocka_unit_test(a_name_buffer_exactly_full_may_run_out_of_memory),
        cmocka_unit_test(cases_without_an_id_are_checked),
        cmocka_unit_test(a_parser_libxml2_cannot_allocate),
        cmocka_unit_test(the_decompression_ratio_is_a_strict_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
