/* Mining event logs: counts, durations, merging shards, serialised results, limits, errors. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include <lzma.h>
#include <zlib.h>

#include "xes/xes.h"

static const char *fixture(int slot, const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/fixtures/xes/%s", name);
    return test_src_path(slot, rel);
}

static cjm_mine_result *mine_fixture(const char *name, const cjm_mine_options *o)
{
    cjm_mine_result *r = NULL;
    assert_ok(cjm_mine_file(&r, fixture(0, name), o, NULL));
    return r;
}

static size_t act(const cjm_mine_result *r, const char *name)
{
    size_t i = 0;
    assert_ok(cjm_mine_activity_find(r, name, &i));
    return i;
}

static const cjm_mine_transition *find_trans(const cjm_mine_result *r, const char *from,
                                             const char *to)
{
    static cjm_mine_transition t;
    size_t f = act(r, from), k = act(r, to);
    for (size_t i = 0; i < cjm_mine_transition_count(r); i++) {
        assert_ok(cjm_mine_transition_at(r, i, &t));
        if (t.from == f && t.to == k)
            return &t;
    }
    return NULL;
}

/* ---- what is counted ------------------------------------------------------ */

static void activities_come_from_concept_name_in_name_order(void **state)
{
    (void)state;
    cjm_mine_result *r = mine_fixture("small.xes", NULL);
    cjm_mine_activity a;
    assert_int_equal(cjm_mine_count(r, CJM_MINE_TRACES), 3);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS), 10);
    assert_int_equal(cjm_mine_activity_count(r), 4);
    assert_ok(cjm_mine_activity_at(r, 0, &a));
    assert_string_equal(a.name, "Call support");
    assert_ok(cjm_mine_activity_at(r, 3, &a));
    assert_string_equal(a.name, "Order online");
    assert_int_equal(a.events, 3);
    assert_int_equal(a.starts, 3);
    assert_int_equal(a.ends, 0);
    assert_null(a.channel);
    assert_ok(cjm_mine_activity_at(r, act(r, "Deliver"), &a));
    assert_int_equal(a.ends, 3);
    assert_cjm_error(cjm_mine_activity_at(r, 4, &a), CJM_ENOTFOUND);
    assert_cjm_error(cjm_mine_activity_find(r, "Nothing", &(size_t){0}), CJM_ENOTFOUND);
    assert_int_equal(cjm_mine_key_count(r), 1);
    assert_string_equal(cjm_mine_key_at(r, 0), "concept:name");
    assert_null(cjm_mine_key_at(r, 1));
    assert_null(cjm_mine_channel_key(r));
    cjm_mine_result_free(r);
}

static void transitions_are_directly_follows_pairs_with_volumes(void **state)
{
    (void)state;
    cjm_mine_result *r = mine_fixture("small.xes", NULL);
    const cjm_mine_transition *t;
    assert_int_equal(cjm_mine_transition_count(r), 4);
    t = find_trans(r, "Order online", "Confirm by mail");
    assert_non_null(t);
    assert_int_equal(t->volume, 3);
    t = find_trans(r, "Confirm by mail", "Deliver");
    assert_int_equal(t->volume, 2);
    t = find_trans(r, "Confirm by mail", "Call support");
    assert_int_equal(t->volume, 1);
    assert_null(find_trans(r, "Order online", "Deliver"));
    cjm_mine_result_free(r);
}

static void durations_are_exact_at_the_ends_and_close_in_the_middle(void **state)
{
    (void)state;
    cjm_mine_result *r = mine_fixture("small.xes", NULL);
    const cjm_mine_transition *t = find_trans(r, "Order online", "Confirm by mail");
    /* 5 s, 10 s and 20 s */
    assert_int_equal(t->durations.count, 3);
    assert_int_equal(t->durations.min, 5000);
    assert_int_equal(t->durations.max, 20000);
    assert_true(t->durations.mean > 11666.6 && t->durations.mean < 11666.7);
    assert_true(labs(t->durations.median - 10000) <= 10000 * 32 / 1000);
    assert_true(labs(t->durations.p90 - 20000) <= 20000 * 32 / 1000);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_PAIRS_TIMED), 7);
    cjm_mine_result_free(r);
}

static void histogram_bins_cover_every_value_within_their_error(void **state)
{
    (void)state;
    uint64_t v = 0;
    for (int i = 0; i < 4000; i++) {
        unsigned b = xes_bin_of(v);
        uint64_t mid = xes_bin_value(b);
        assert_true(b < XES_BINS);
        assert_int_equal(xes_bin_of(mid), b);
        if (v < 16)
            assert_true(mid == v);
        else
            assert_true((double)(mid > v ? mid - v : v - mid) <= (double)v / 32.0);
        v = v < 100 ? v + 1 : v + v / 7 + 1;
        if (v > (uint64_t)INT64_MAX / 2)
            break;
    }
    assert_true(xes_bin_of((uint64_t)INT64_MAX) < XES_BINS);
}

static void variants_are_sorted_by_count(void **state)
{
    (void)state;
    cjm_mine_result *r = mine_fixture("small.xes", NULL);
    cjm_mine_variant v;
    assert_int_equal(cjm_mine_variant_count(r), 2);
    assert_ok(cjm_mine_variant_at(r, 0, &v));
    assert_int_equal(v.traces, 2);
    assert_int_equal(v.length, 3);
    assert_int_equal(v.activities[0], act(r, "Order online"));
    assert_int_equal(v.activities[2], act(r, "Deliver"));
    assert_ok(cjm_mine_variant_at(r, 1, &v));
    assert_int_equal(v.traces, 1);
    assert_int_equal(v.length, 4);
    assert_cjm_error(cjm_mine_variant_at(r, 2, &v), CJM_ENOTFOUND);
    cjm_mine_result_free(r);
}

static void a_channel_key_gives_the_most_frequent_channel(void **state)
{
    (void)state;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r;
    cjm_mine_activity a;
    o.channel_key = "channel";
    r = mine_fixture("small.xes", &o);
    assert_ok(cjm_mine_activity_at(r, act(r, "Order online"), &a));
    assert_string_equal(a.channel, "web"); /* web twice, app once */
    assert_ok(cjm_mine_activity_at(r, act(r, "Call support"), &a));
    assert_string_equal(a.channel, "phone");
    assert_string_equal(cjm_mine_channel_key(r), "channel");
    cjm_mine_result_free(r);
}

static void a_classifier_or_keys_join_values_with_plus(void **state)
{
    (void)state;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    const char *keys[] = {"concept:name", "channel"};
    cjm_mine_result *r;
    size_t i;
    o.classifier = "Activity and channel";
    r = mine_fixture("small.xes", &o);
    assert_int_equal(cjm_mine_key_count(r), 2);
    assert_ok(cjm_mine_activity_find(r, "Order online+app", &i));
    assert_ok(cjm_mine_activity_find(r, "Order online+web", &i));
    assert_int_equal(cjm_mine_activity_count(r), 5);
    cjm_mine_result_free(r);

    o.classifier = NULL;
    o.keys = keys;
    o.key_count = 2;
    r = mine_fixture("small.xes", &o);
    assert_int_equal(cjm_mine_activity_count(r), 5);
    cjm_mine_result_free(r);
}

static void messy_logs_are_mined_and_every_fault_counted(void **state)
{
    (void)state;
    cjm_mine_result *r = mine_fixture("messy.xes", NULL);
    size_t i;
    cjm_mine_activity a;
    assert_int_equal(cjm_mine_count(r, CJM_MINE_TRACES), 3);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS), 7);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_TRACES_EMPTY), 1);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS_OUTSIDE_TRACE), 1);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_DATES_NO_TIMEZONE), 2);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_VALUES_INVALID), 6);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_ATTRIBUTES_NO_KEY), 1);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_ELEMENTS_UNKNOWN), 2);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EXTENSIONS_ODD), 2);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_PAIRS_OUT_OF_ORDER), 3);
    /* the event without a name takes the global default */
    assert_ok(cjm_mine_activity_find(r, "UNKNOWN", &i));
    /* "&amp;" is read as "&"; non-ASCII names survive */
    assert_ok(cjm_mine_activity_find(r, "Ask & wait", &i));
    assert_ok(cjm_mine_activity_find(r, "Tack för hjälpen – ærlig talt", &i));
    assert_ok(cjm_mine_activity_at(r, i, &a));
    assert_int_equal(a.ends, 1);
    assert_string_equal(cjm_mine_counter_name(CJM_MINE_EVENTS_UNCLASSIFIED),
                        "events-unclassified");
    assert_null(cjm_mine_counter_name(CJM_MINE_COUNTER_COUNT));
    assert_int_equal(cjm_mine_count(r, CJM_MINE_COUNTER_COUNT), 0);
    assert_int_equal(cjm_mine_count(NULL, CJM_MINE_TRACES), 0);
    cjm_mine_result_free(r);
}

static void events_without_a_name_and_no_default_are_skipped(void **state)
{
    (void)state;
    static const char log[] =
        "<log><trace>"
        "<event><string key='concept:name' value='A'/></event>"
        "<event><string key='org:resource' value='Ann'/></event>"
        "<event><string key='concept:name' value='B'/></event>"
        "</trace></log>";
    cjm_mine_result *r;
    assert_ok(cjm_mine_memory(&r, log, sizeof log - 1, "inline", NULL, NULL));
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS), 2);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS_UNCLASSIFIED), 1);
    /* the pair links the neighbours of the skipped event */
    assert_int_equal(find_trans(r, "A", "B")->volume, 1);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_PAIRS_UNTIMED), 1);
    cjm_mine_result_free(r);
}

static void dates_are_read_with_their_time_zones(void **state)
{
    (void)state;
    int64_t ms;
    int nz;
    assert_int_equal(xes_parse_date("1970-01-01T00:00:00Z", 20, &ms, &nz), 0);
    assert_int_equal(ms, 0);
    assert_int_equal(nz, 0);
    assert_int_equal(xes_parse_date("1970-01-01T01:00:00.5+01:00", 27, &ms, &nz), 0);
    assert_int_equal(ms, 500);
    assert_int_equal(xes_parse_date("2020-02-29T12:00:00", 19, &ms, &nz), 0);
    assert_int_equal(nz, 1);
    assert_int_equal(ms, 1582977600000LL);
    assert_int_equal(xes_parse_date("1969-12-31T23:59:59.999-0000", 28, &ms, &nz), 0);
    assert_int_equal(ms, -1);
    assert_int_equal(xes_parse_date("2021-02-29T00:00:00Z", 20, &ms, &nz), -1);
    assert_int_equal(xes_parse_date("2021-13-01T00:00:00Z", 20, &ms, &nz), -1);
    assert_int_equal(xes_parse_date("2021-01-01 00:00:00Z", 20, &ms, &nz), -1);
    assert_int_equal(xes_parse_date("2021-01-01T00:00:00.Z", 21, &ms, &nz), -1);
    assert_int_equal(xes_parse_date("2021-01-01T00:00:00+15:00", 25, &ms, &nz), -1);
    assert_int_equal(xes_parse_date("yesterday", 9, &ms, &nz), -1);
}

/* The plain reading of an xs:dateTime, one byte at a time, to hold the word-wise one to. */
static int plain_date(const char *s, size_t len, int64_t *ms, int *no_zone)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int f[6], frac = 0, tzh = 0, tzm = 0, sign = 0, dim, y, m;
    static const int at[6] = {0, 5, 8, 11, 14, 17}, width[6] = {4, 2, 2, 2, 2, 2};
    size_t p = 19;
    int64_t era, yoe, doy, days;
    if (len < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return -1;
    for (int k = 0; k < 6; k++) {
        f[k] = 0;
        for (int i = 0; i < width[k]; i++) {
            char c = s[at[k] + i];
            if (c < '0' || c > '9')
                return -1;
            f[k] = f[k] * 10 + (c - '0');
        }
    }
    if (p < len && s[p] == '.') {
        int nd = 0;
        for (p++; p < len && s[p] >= '0' && s[p] <= '9'; p++, nd++)
            if (nd < 3)
                frac = frac * 10 + (s[p] - '0');
        if (nd == 0)
            return -1;
        for (; nd < 3; nd++)
            frac *= 10;
    }
    *no_zone = p == len;
    if (p < len && !(s[p] == 'Z' && p + 1 == len)) {
        const char *z = s + p + 1;
        size_t n = len - p - 1;
        if (s[p] != '+' && s[p] != '-')
            return -1;
        sign = s[p] == '-' ? -1 : 1;
        if (!(n == 5 && z[2] == ':') && n != 4)
            return -1;
        for (int i = 0; i < 2; i++) {
            char c1 = z[i], c2 = z[n - 2 + i];
            if (c1 < '0' || c1 > '9' || c2 < '0' || c2 > '9')
                return -1;
        }
        tzh = (z[0] - '0') * 10 + (z[1] - '0');
        tzm = (z[n - 2] - '0') * 10 + (z[n - 1] - '0');
        if (tzh > 14 || tzm > 59)
            return -1;
    }
    if (f[1] < 1 || f[1] > 12 || f[3] > 23 || f[4] > 59 || f[5] > 59)
        return -1;
    y = f[0];
    m = f[1];
    dim = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (f[2] < 1 || f[2] > dim)
        return -1;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + f[2] - 1;
    days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    *ms = ((days * 86400 + f[3] * 3600 + f[4] * 60 + f[5]) -
           (int64_t)sign * (tzh * 3600 + tzm * 60)) * 1000 + frac;
    return 0;
}

static void dates_are_read_as_the_plain_reading_does(void **state)
{
    static const char *const seeds[] = {
        "2021-01-14T01:04:29.271+01:00", "1970-01-01T00:00:00Z", "2020-02-29T12:00:00",
        "1969-12-31T23:59:59.999-0000",  "0000-03-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z",
        "2000-02-29T23:59:59+14:00",     "1900-02-28T00:00:00-14:59"};
    static const char bytes[] = "0123456789-T:.Z+/ \xc3\x7f\x01;`j";
    unsigned seed = 12345;
    xes_date_memo memo;
    memset(&memo, 0, sizeof memo);
    (void)state;
    for (int round = 0; round < 200000; round++) {
        char buf[40];
        /* each seed a few rounds in a row, so that the remembered day is met */
        const char *src = seeds[round / 3 % (int)(sizeof seeds / sizeof *seeds)];
        size_t len = strlen(src);
        int64_t ms1 = 0, ms2 = 0;
        int nz1 = -1, nz2 = -1, r1, r2, edits;
        memcpy(buf, src, len);
        seed = seed * 1103515245u + 12345u;
        edits = (int)(seed >> 16) % 3;
        for (int e = 0; e < edits; e++) {
            seed = seed * 1103515245u + 12345u;
            buf[(seed >> 8) % len] = bytes[(seed >> 20) % (sizeof bytes - 1)];
        }
        seed = seed * 1103515245u + 12345u;
        if ((seed >> 16) % 8 == 0)
            len = (seed >> 4) % (len + 1);
        r1 = xes_parse_date(buf, len, &ms1, &nz1);
        r2 = plain_date(buf, len, &ms2, &nz2);
        assert_int_equal(r1, r2);
        if (r1 == 0) {
            assert_int_equal(ms1, ms2);
            assert_int_equal(nz1, nz2);
        }
        /* with the day of the dates before remembered */
        r1 = xes_parse_date_memo(&memo, buf, len, &ms1, &nz1);
        assert_int_equal(r1, r2);
        if (r1 == 0) {
            assert_int_equal(ms1, ms2);
            assert_int_equal(nz1, nz2);
        }
    }
}

/* ---- the journey ------------------------------------------------------------- */

static void the_result_becomes_an_actual_journey(void **state)
{
    (void)state;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r;
    cjm_map *map;
    cjm_journey *j;
    cjm_item *tp, *tr, *ch;
    double v;
    int flag;
    cjm_problems *problems;

    o.channel_key = "channel";
    r = mine_fixture("small.xes", &o);
    assert_ok(cjm_map_new(&map, NULL));
    assert_ok(cjm_mine_to_journey(r, map, "mined", &j));
    assert_int_equal(cjm_journey_status(j), CJM_STATUS_ACTUAL);
    assert_int_equal(cjm_journey_count(j, CJM_TOUCHPOINT), 4);
    assert_int_equal(cjm_journey_count(j, CJM_TRANSITION), 4);
    assert_int_equal(cjm_journey_count(j, CJM_STAGE), 1);
    tp = cjm_journey_find(j, "Order-online");
    assert_non_null(tp);
    assert_string_equal(cjm_item_text(tp, CJM_ATTR_LABEL), "Order online");
    assert_ok(cjm_item_number(tp, CJM_ATTR_ENTRY, &v));
    assert_true(v == 3.0);
    assert_cjm_error(cjm_item_int(tp, CJM_ATTR_EXIT, &flag), CJM_ENOTFOUND);
    ch = cjm_map_find(map, cjm_item_text(tp, CJM_ATTR_CHANNEL));
    assert_non_null(ch);
    assert_string_equal(cjm_item_text(ch, CJM_ATTR_LABEL), "web");
    tp = cjm_journey_find(j, "Deliver");
    assert_ok(cjm_item_int(tp, CJM_ATTR_EXIT, &flag));
    assert_int_equal(flag, 1);
    for (size_t i = 0; i < 4; i++) {
        tr = cjm_journey_at(j, CJM_TRANSITION, i);
        if (strcmp(cjm_item_text(tr, CJM_ATTR_FROM), "Order-online") == 0) {
            assert_string_equal(cjm_item_text(tr, CJM_ATTR_TO), "Confirm-by-mail");
            assert_ok(cjm_item_number(tr, CJM_ATTR_VOLUME, &v));
            assert_true(v == 3.0);
            assert_ok(cjm_item_number(tr, CJM_ATTR_DURATION, &v));
            assert_true(v > 9.6 && v < 10.4);
        }
    }
    assert_ok(cjm_map_validate(map, &problems));
    assert_int_equal(cjm_problems_errors(problems), 0);
    cjm_problems_free(problems);

    /* a second journey reuses the channels and needs its own id */
    assert_cjm_error(cjm_mine_to_journey(r, map, "mined", NULL), CJM_EEXISTS);
    assert_ok(cjm_mine_to_journey(r, map, "again", NULL));
    assert_int_equal(cjm_map_count(map, CJM_CHANNEL), 4);
    cjm_map_free(map);
    cjm_mine_result_free(r);
}

/* ---- merging ------------------------------------------------------------------- */

/* Splits an XES text into header, traces and footer at its <trace> elements. */
typedef struct split {
    const char *text;
    size_t header_end, footer_start;
    size_t *starts, *ends;
    size_t n;
} split;

static void split_log(split *s, const char *text)
{
    const char *p = text, *q;
    size_t cap = 0;
    memset(s, 0, sizeof *s);
    s->text = text;
    while ((q = strstr(p, "<trace")) && (q[6] == '>' || q[6] == ' ' || q[6] == '\n' ||
                                         q[6] == '\t' || q[6] == '\r')) {
        const char *e = strstr(q, "</trace>");
        assert_non_null(e);
        if (s->n == cap) {
            cap = cap ? cap * 2 : 64;
            s->starts = realloc(s->starts, cap * sizeof *s->starts);
            s->ends = realloc(s->ends, cap * sizeof *s->ends);
        }
        if (s->n == 0)
            s->header_end = (size_t)(q - text);
        s->starts[s->n] = (size_t)(q - text);
        s->ends[s->n] = (size_t)(e + 8 - text);
        s->n++;
        p = e + 8;
    }
    assert_true(s->n > 0);
    s->footer_start = s->ends[s->n - 1];
}

/* The shard made of traces i with i % nshards == k. */
static char *shard(const split *s, size_t k, size_t nshards, size_t *len)
{
    size_t total = strlen(s->text), n = 0;
    char *out = malloc(total + 1);
    memcpy(out, s->text, s->header_end);
    n = s->header_end;
    for (size_t i = k; i < s->n; i += nshards) {
        memcpy(out + n, s->text + s->starts[i], s->ends[i] - s->starts[i]);
        n += s->ends[i] - s->starts[i];
    }
    memcpy(out + n, s->text + s->footer_start, total - s->footer_start);
    n += total - s->footer_start;
    out[n] = '\0';
    *len = n;
    return out;
}

static void assert_same_result(const cjm_mine_result *a, const cjm_mine_result *b)
{
    cjm_buffer x = CJM_BUFFER_INIT, y = CJM_BUFFER_INIT;
    assert_ok(cjm_mine_serialize(a, &x));
    assert_ok(cjm_mine_serialize(b, &y));
    assert_int_equal(x.size, y.size);
    assert_memory_equal(x.data, y.data, x.size);
    cjm_buffer_free(&x);
    cjm_buffer_free(&y);
}

static void check_shards_merge_to_the_whole(const char *text, const cjm_mine_options *o,
                                            size_t nshards)
{
    split s;
    cjm_mine_result *whole, *merged = NULL, *reverse = NULL;
    split_log(&s, text);
    assert_ok(cjm_mine_memory(&whole, text, strlen(text), "whole", o, NULL));
    for (size_t k = 0; k < nshards; k++) {
        size_t len;
        char *part = shard(&s, k, nshards, &len);
        cjm_mine_result *r, *copy;
        cjm_buffer bytes = CJM_BUFFER_INIT;
        assert_ok(cjm_mine_memory(&r, part, len, "shard", o, NULL));
        /* through bytes, as another process would hand it over */
        assert_ok(cjm_mine_serialize(r, &bytes));
        assert_ok(cjm_mine_deserialize(&copy, bytes.data, bytes.size, NULL));
        assert_same_result(r, copy);
        cjm_buffer_free(&bytes);
        if (!merged) {
            merged = copy;
        } else {
            assert_ok(cjm_mine_merge(merged, copy));
            cjm_mine_result_free(copy);
        }
        /* and in the other order */
        if (!reverse) {
            reverse = r;
        } else {
            assert_ok(cjm_mine_merge(r, reverse));
            cjm_mine_result_free(reverse);
            reverse = r;
        }
        free(part);
    }
    assert_same_result(whole, merged);
    assert_same_result(whole, reverse);
    cjm_mine_result_free(whole);
    cjm_mine_result_free(merged);
    cjm_mine_result_free(reverse);
    free(s.starts);
    free(s.ends);
}

static void shards_of_a_log_merge_to_the_result_of_the_whole(void **state)
{
    (void)state;
    char *text = test_read_file(fixture(0, "small.xes"), NULL);
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    o.channel_key = "channel";
    assert_non_null(text);
    check_shards_merge_to_the_whole(text, NULL, 2);
    check_shards_merge_to_the_whole(text, &o, 3);
    free(text);
    text = test_read_file(fixture(0, "messy.xes"), NULL);
    check_shards_merge_to_the_whole(text, NULL, 2);
    free(text);
}

static void shards_of_the_public_logs_merge_to_the_whole(void **state)
{
    (void)state;
    static const char *logs[] = {"running-example.xes", "roadtraffic50traces.xes"};
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    const char *keys[] = {"concept:name", "lifecycle:transition"};
    o.keys = keys;
    o.key_count = 2;
    o.channel_key = "org:resource";
    for (size_t i = 0; i < sizeof logs / sizeof *logs; i++) {
        char path[4096];
        char *text;
        snprintf(path, sizeof path, "%s/xes/%s", CJM_SHARED_DATA, logs[i]);
        text = test_read_file(path, NULL);
        if (!text) {
            print_message("skipped: %s is absent\n", path);
            skip();
        }
        check_shards_merge_to_the_whole(text, NULL, 4);
        check_shards_merge_to_the_whole(text, &o, 3);
        free(text);
    }
}

static void results_mined_with_other_keys_do_not_merge(void **state)
{
    (void)state;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *a = mine_fixture("small.xes", NULL), *b;
    o.channel_key = "channel";
    b = mine_fixture("small.xes", &o);
    assert_cjm_error(cjm_mine_merge(a, b), CJM_EINVAL);
    assert_cjm_error(cjm_mine_merge(a, a), CJM_EINVAL);
    assert_cjm_error(cjm_mine_merge(NULL, a), CJM_EINVAL);
    assert_int_equal(cjm_mine_count(a, CJM_MINE_EVENTS), 10);
    cjm_mine_result_free(a);
    cjm_mine_result_free(b);
}

static void damaged_serialised_results_are_rejected(void **state)
{
    (void)state;
    cjm_mine_result *r = mine_fixture("messy.xes", NULL), *back;
    cjm_buffer b = CJM_BUFFER_INIT;
    char *copy;
    assert_ok(cjm_mine_serialize(r, &b));
    assert_cjm_error(cjm_mine_deserialize(&back, "nonsense", 8, NULL), CJM_EPARSE);
    assert_cjm_error(cjm_mine_deserialize(&back, NULL, 0, NULL), CJM_EPARSE);
    assert_cjm_error(cjm_mine_deserialize(NULL, b.data, b.size, NULL), CJM_EINVAL);
    /* every truncation fails cleanly */
    for (size_t n = 0; n < b.size; n++) {
        int rc = cjm_mine_deserialize(&back, b.data, n, NULL);
        assert_int_equal(rc, CJM_EPARSE);
    }
    /* and every single-byte change either fails or gives some valid result */
    copy = malloc(b.size);
    for (size_t n = 0; n < b.size; n++) {
        for (int flip = 1; flip < 256; flip <<= 2) {
            memcpy(copy, b.data, b.size);
            copy[n] = (char)(copy[n] ^ flip);
            if (cjm_mine_deserialize(&back, copy, b.size, NULL) == 0)
                cjm_mine_result_free(back);
            else
                assert_int_equal(cjm_error_last()->code, CJM_EPARSE);
        }
    }
    /* extra bytes at the end */
    copy = realloc(copy, b.size + 1);
    memcpy(copy, b.data, b.size);
    copy[b.size] = 0;
    assert_cjm_error(cjm_mine_deserialize(&back, copy, b.size + 1, NULL), CJM_EPARSE);
    free(copy);
    cjm_buffer_free(&b);
    cjm_mine_result_free(r);
}

/* ---- bad input and limits ---------------------------------------------------- */

static void malformed_logs_fail_with_file_line_and_column(void **state)
{
    (void)state;
    cjm_mine_result *r = NULL;
    assert_cjm_error(cjm_mine_file(&r, fixture(0, "malformed.xes"), NULL, NULL), CJM_EPARSE);
    assert_null(r);
    assert_string_equal(cjm_error_last()->file, fixture(0, "malformed.xes"));
    assert_int_equal(cjm_error_last()->line, 7);
    assert_true(cjm_error_last()->column > 0);

    assert_cjm_error(cjm_mine_file(&r, fixture(0, "not-a-log.xes"), NULL, NULL), CJM_EPARSE);
    assert_int_equal(cjm_error_last()->line, 2);
    assert_non_null(strstr(cjm_error_last()->message, "<log>"));

    assert_cjm_error(cjm_mine_file(&r, fixture(0, "doctype.xes"), NULL, NULL), CJM_EPARSE);
    assert_non_null(strstr(cjm_error_last()->message, "DTD"));

    assert_cjm_error(cjm_mine_memory(&r, "", 0, "empty", NULL, NULL), CJM_EPARSE);
    assert_cjm_error(cjm_mine_memory(&r, "<log><trace>", 12, "cut", NULL, NULL), CJM_EPARSE);
    assert_string_equal(cjm_error_last()->file, "cut");
    assert_null(r);
}

static void files_that_cannot_be_read_fail_with_eio(void **state)
{
    (void)state;
    cjm_mine_result *r = NULL;
    const char *dir = test_scratch_dir("mine-io");
    assert_cjm_error(cjm_mine_file(&r, "/nonexistent/log.xes", NULL, NULL), CJM_EIO);
    assert_cjm_error(cjm_mine_file(&r, dir, NULL, NULL), CJM_EIO);
    assert_cjm_error(cjm_mine_file(&r, "http://example.com/log.xes", NULL, NULL), CJM_EIO);
    assert_non_null(strstr(cjm_error_last()->message, "URL"));
    assert_null(r);
}

static void bad_arguments_and_options_are_refused(void **state)
{
    (void)state;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    const char *empty[] = {""};
    cjm_mine_result *r = NULL;
    const char *path = fixture(0, "small.xes");
    assert_cjm_error(cjm_mine_file(NULL, path, NULL, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_mine_file(&r, NULL, NULL, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_mine_memory(&r, NULL, 5, NULL, NULL, NULL), CJM_EINVAL);
    o.version = 99;
    assert_cjm_error(cjm_mine_file(&r, path, &o, NULL), CJM_EINVAL);
    o.version = CJM_MINE_OPTIONS_VERSION;
    o.key_count = 1;
    assert_cjm_error(cjm_mine_file(&r, path, &o, NULL), CJM_EINVAL);
    o.keys = empty;
    assert_cjm_error(cjm_mine_file(&r, path, &o, NULL), CJM_EINVAL);
    o.key_count = 0;
    o.channel_key = "";
    assert_cjm_error(cjm_mine_file(&r, path, &o, NULL), CJM_EINVAL);
    o.channel_key = NULL;
    o.classifier = "Nope";
    assert_cjm_error(cjm_mine_file(&r, path, &o, NULL), CJM_ENOTFOUND);
    assert_string_equal(cjm_error_last()->file, path);
    assert_null(r);
    assert_cjm_error(cjm_mine_activity_at(NULL, 0, &(cjm_mine_activity){0}), CJM_EINVAL);
    assert_cjm_error(cjm_mine_transition_at(NULL, 0, &(cjm_mine_transition){0}), CJM_EINVAL);
    assert_cjm_error(cjm_mine_variant_at(NULL, 0, &(cjm_mine_variant){0}), CJM_EINVAL);
    assert_cjm_error(cjm_mine_serialize(NULL, &(cjm_buffer)CJM_BUFFER_INIT), CJM_EINVAL);
    assert_cjm_error(cjm_mine_to_journey(NULL, NULL, NULL, NULL), CJM_EINVAL);
    cjm_mine_result_free(NULL);
}

static void limits_on_activities_depth_and_attributes_hold(void **state)
{
    (void)state;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;
    char deep[2000], *p = deep;
    o.max_activities = 3;
    assert_cjm_error(cjm_mine_file(&r, fixture(0, "small.xes"), &o, NULL), CJM_ELIMIT);
    assert_true(cjm_error_last()->line > 0);
    o.max_activities = 0;

    p += sprintf(p, "<log><trace><event><container key='c'>");
    for (int i = 0; i < 100; i++)
        p += sprintf(p, "<container key='c'>");
    assert_cjm_error(cjm_mine_memory(&r, deep, strlen(deep), "deep", &o, NULL), CJM_ELIMIT);
    o.max_depth = 8;
    assert_cjm_error(cjm_mine_memory(&r, deep, strlen(deep), "deep", &o, NULL), CJM_ELIMIT);
    assert_int_equal(cjm_error_last()->line, 1);

    p = deep;
    p += sprintf(p, "<log><trace a0='0'");
    for (int i = 1; i < 40; i++)
        p += sprintf(p, " a%d='%d'", i, i);
    p += sprintf(p, "/></log>");
    o.max_attributes = 16;
    assert_cjm_error(cjm_mine_memory(&r, deep, strlen(deep), "attrs", &o, NULL), CJM_ELIMIT);
    assert_null(r);
}

/* A value with U+007F, which XML allows, is invalid: no activity or channel gets that name. */
static void a_delete_character_does_not_make_a_name(void **state)
{
    (void)state;
    static const char log[] =
        "<log><trace>"
        "<event><string key='concept:name' value='A'/></event>"
        "<event><string key='concept:name' value='\x7F'/></event>"
        "<event><string key='concept:name' value='B'/><string key='ch' value='w\177b'/></event>"
        "</trace></log>";
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r, *back;
    cjm_buffer buf = CJM_BUFFER_INIT;
    o.channel_key = "ch";
    assert_ok(cjm_mine_memory(&r, log, sizeof log - 1, "del.xes", &o, NULL));
    assert_int_equal(cjm_mine_count(r, CJM_MINE_VALUES_INVALID), 2);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS_UNCLASSIFIED), 1);
    assert_int_equal(cjm_mine_activity_count(r), 2);
    assert_int_equal(find_trans(r, "A", "B")->volume, 1);
    assert_ok(cjm_mine_serialize(r, &buf));
    assert_ok(cjm_mine_deserialize(&back, buf.data, buf.size, NULL));
    assert_int_equal(cjm_mine_activity_count(back), 2);
    cjm_mine_result_free(back);
    cjm_buffer_free(&buf);
    cjm_mine_result_free(r);
}

static void long_traces_and_many_variants_are_counted_not_kept(void **state)
{
    (void)state;
    static const char log[] =
        "<log>"
        "<trace><event><string key='concept:name' value='A'/></event>"
        "<event><string key='concept:name' value='B'/></event>"
        "<event><string key='concept:name' value='C'/></event></trace>"
        "<trace><event><string key='concept:name' value='A'/></event></trace>"
        "<trace><event><string key='concept:name' value='B'/></event></trace>"
        "<trace><event><string key='concept:name' value='A'/></event></trace>"
        "</log>";
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r;
    o.max_variant_length = 2;
    o.max_variants = 1;
    assert_ok(cjm_mine_memory(&r, log, sizeof log - 1, NULL, &o, NULL));
    assert_int_equal(cjm_mine_count(r, CJM_MINE_VARIANTS_TOO_LONG), 1);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_VARIANTS_DROPPED), 1);
    assert_int_equal(cjm_mine_variant_count(r), 1);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS), 6);
    assert_int_equal(find_trans(r, "B", "C")->volume, 1);
    cjm_mine_result_free(r);
}

/* A gzip member of fixed-Huffman deflate: "<log>" and then `copies` runs of 258 'a's. */
static unsigned char *gzip_bomb(size_t copies, int honest, size_t *len)
{
    size_t cap = 64 + copies * 2, n = 0;
    unsigned char *out = calloc(1, cap);
    uint64_t bits = 0;
    int nbits = 0;
    static const unsigned char head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
#define PUT(v, k)                                              \
    do {                                                       \
        bits |= (uint64_t)(v) << nbits;                        \
        nbits += (k);                                          \
        while (nbits >= 8) {                                   \
            out[n++] = (unsigned char)bits;                    \
            bits >>= 8;                                        \
            nbits -= 8;                                        \
        }                                                      \
    } while (0)
    /* Huffman codes go most significant bit first. */
#define CODE(c, k)                                             \
    do {                                                       \
        unsigned rev_ = 0;                                     \
        for (int b_ = 0; b_ < (k); b_++)                       \
            rev_ |= (((c) >> b_) & 1u) << ((k) - 1 - b_);      \
        PUT(rev_, k);                                          \
    } while (0)
    memcpy(out, head, sizeof head);
    n = sizeof head;
    PUT(1, 1); /* last block */
    PUT(1, 2); /* fixed Huffman */
    for (const char *s = "<log>a"; *s; s++)
        CODE(0x30u + (unsigned char)*s, 8);
    for (size_t i = 0; i < copies; i++) {
        CODE(0xC5u, 8); /* length 258 */
        CODE(0u, 5);    /* distance 1 */
    }
    CODE(0u, 7); /* end of block */
    if (nbits)
        out[n++] = (unsigned char)bits;
    memset(out + n, 0, 8); /* CRC (never checked: reading stops before) and size */
    if (honest) {
        uint64_t size = 6 + (uint64_t)copies * 258;
        for (int i = 0; i < 4; i++)
            out[n + 4 + i] = (unsigned char)(size >> (8 * i));
    }
    n += 8;
    *len = n;
#undef PUT
#undef CODE
    return out;
}

static void gzip_bombs_stop_at_the_inflation_limits(void **state)
{
    (void)state;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL;
    size_t len;
    unsigned char *gz = gzip_bomb(300000, 0, &len); /* ~77 MB from ~500 KB */
    char path[2048], honest[2048];
    const char *dir = test_scratch_dir("mine-bomb");
    snprintf(path, sizeof path, "%s/bomb.xes.gz", dir);
    test_write_file(path, gz, len);
    free(gz);
    /* a true size in its trailer changes nothing: the running ratio stops it */
    gz = gzip_bomb(300000, 1, &len);
    snprintf(honest, sizeof honest, "%s/honest-bomb.xes.gz", dir);
    test_write_file(honest, gz, len);
    free(gz);
    o.max_ratio = 100; /* this encoding reaches about 158 to 1 */
    assert_cjm_error(cjm_mine_file(&r, honest, &o, NULL), CJM_ELIMIT);
    assert_non_null(strstr(cjm_error_last()->message, "times its size"));
    o.max_ratio = 0;

    o.max_inflated = 4 << 20;
    assert_cjm_error(cjm_mine_file(&r, path, &o, NULL), CJM_ELIMIT);
    assert_non_null(strstr(cjm_error_last()->message, "decompression"));
    o.max_inflated = 0;
    o.max_ratio = 20;
    assert_cjm_error(cjm_mine_file(&r, path, &o, NULL), CJM_ELIMIT);
    assert_non_null(strstr(cjm_error_last()->message, "times its size"));
    assert_null(r);
}

static void gzip_logs_are_read_like_plain_ones(void **state)
{
    (void)state;
    char path[4096];
    cjm_mine_result *r;
    char *bytes;
    snprintf(path, sizeof path, "%s/xes/helpdesk.xes.gz", CJM_SHARED_DATA);
    bytes = test_read_file(path, NULL);
    if (!bytes) {
        print_message("skipped: %s is absent\n", path);
        skip();
    }
    free(bytes);
    assert_ok(cjm_mine_file(&r, path, NULL, NULL));
    assert_int_equal(cjm_mine_count(r, CJM_MINE_TRACES), 4580);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS), 21348);
    assert_int_equal(cjm_mine_activity_count(r), 14);
    cjm_mine_result_free(r);
}

/* `len` bytes of `text` as one gzip member, appended to `out` at `*n`. */
static void gzip_append(unsigned char *out, size_t cap, size_t *n, const char *text, size_t len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)text;
    z.avail_in = (uInt)len;
    z.next_out = out + *n;
    z.avail_out = (uInt)(cap - *n);
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *n = cap - z.avail_out;
    deflateEnd(&z);
}

/* Mines `len` bytes written to `name` in the scratch directory. */
static int mine_bytes_as_file(cjm_mine_result **r, const char *name, const void *data,
                              size_t len, const cjm_mine_options *o)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", test_scratch_dir("mine-compressed"), name);
    test_write_file(path, data, len);
    *r = NULL;
    return cjm_mine_file(r, path, o, NULL);
}

static void assert_same_counts(const cjm_mine_result *a, const cjm_mine_result *b)
{
    assert_int_equal(cjm_mine_count(a, CJM_MINE_TRACES), cjm_mine_count(b, CJM_MINE_TRACES));
    assert_int_equal(cjm_mine_count(a, CJM_MINE_EVENTS), cjm_mine_count(b, CJM_MINE_EVENTS));
    assert_int_equal(cjm_mine_activity_count(a), cjm_mine_activity_count(b));
    assert_int_equal(cjm_mine_transition_count(a), cjm_mine_transition_count(b));
}

/*
 * gzip (one member or several, with zero padding) and xz give what the
 * plain file gives; truncated or damaged data, or bytes after the end,
 * are errors that name the file.
 */
static void compressed_logs_are_inflated_and_checked(void **state)
{
    (void)state;
    size_t len, cap, n = 0, half;
    char *text = test_read_file(fixture(0, "small.xes"), &len);
    cjm_mine_result *plain = mine_fixture("small.xes", NULL), *r;
    unsigned char *gz, *xz;

    assert_non_null(text);
    cap = len + 1024;
    gz = calloc(1, cap);
    xz = calloc(1, cap);
    assert_non_null(gz);
    assert_non_null(xz);

    gzip_append(gz, cap, &n, text, len);
    assert_ok(mine_bytes_as_file(&r, "one.xes.gz", gz, n, NULL));
    assert_same_counts(plain, r);
    cjm_mine_result_free(r);

    /* a trailer whose CRC does not match */
    gz[n - 8] ^= 0x55;
    assert_cjm_error(mine_bytes_as_file(&r, "crc.xes.gz", gz, n, NULL), CJM_EPARSE);
    assert_non_null(strstr(cjm_error_last()->message, "damaged gzip data"));
    assert_non_null(strstr(cjm_error_last()->message, "crc.xes.gz"));
    gz[n - 8] ^= 0x55;

    assert_cjm_error(mine_bytes_as_file(&r, "cut.xes.gz", gz, n - 12, NULL), CJM_EPARSE);
    assert_non_null(strstr(cjm_error_last()->message, "ends early"));
    assert_null(r);

    memcpy(gz + n, "junk", 4);
    assert_cjm_error(mine_bytes_as_file(&r, "junk.xes.gz", gz, n + 4, NULL), CJM_EPARSE);
    assert_non_null(strstr(cjm_error_last()->message, "after the end"));
    memset(gz + n, 0, 512);
    assert_ok(mine_bytes_as_file(&r, "padded.xes.gz", gz, n + 512, NULL));
    assert_same_counts(plain, r);
    cjm_mine_result_free(r);

    /* two members, as `cat a.gz b.gz` makes */
    n = 0;
    half = len / 2;
    gzip_append(gz, cap, &n, text, half);
    gzip_append(gz, cap, &n, text + half, len - half);
    assert_ok(mine_bytes_as_file(&r, "two.xes.gz", gz, n, NULL));
    assert_same_counts(plain, r);
    cjm_mine_result_free(r);

    n = 0;
    assert_int_equal(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, NULL, (uint8_t *)text, len, xz,
                                             &n, cap),
                     LZMA_OK);
    assert_ok(mine_bytes_as_file(&r, "log.xes.xz", xz, n, NULL));
    assert_same_counts(plain, r);
    cjm_mine_result_free(r);
    assert_cjm_error(mine_bytes_as_file(&r, "cut.xes.xz", xz, n - 20, NULL), CJM_EPARSE);
    assert_non_null(strstr(cjm_error_last()->message, "xz data"));
    xz[n / 2] ^= 0xFF;
    assert_cjm_error(mine_bytes_as_file(&r, "bad.xes.xz", xz, n, NULL), CJM_EPARSE);
    assert_non_null(strstr(cjm_error_last()->message, "xz data"));
    assert_null(r);

    free(gz);
    free(xz);
    free(text);
    cjm_mine_result_free(plain);
}

/* An xz bomb is stopped by the running ratio of bytes out to compressed bytes in. */
static void xz_bombs_stop_at_the_ratio_limit(void **state)
{
    (void)state;
    size_t len = 24u << 20, n = 0, cap = 1u << 20;
    char *text = malloc(len);
    uint8_t *xz = malloc(cap);
    cjm_mine_result *r;
    assert_non_null(text);
    assert_non_null(xz);
    memset(text, ' ', len);
    memcpy(text, "<log>", 5);
    memcpy(text + len - 6, "</log>", 6);
    assert_int_equal(lzma_easy_buffer_encode(0, LZMA_CHECK_CRC32, NULL, (uint8_t *)text, len, xz,
                                             &n, cap),
                     LZMA_OK);
    free(text);
    assert_cjm_error(mine_bytes_as_file(&r, "bomb.xes.xz", xz, n, NULL), CJM_ELIMIT);
    assert_non_null(strstr(cjm_error_last()->message, "times its size"));
    assert_null(r);
    free(xz);
}

/* Neither a directory nor a FIFO is read (a FIFO would wait for a writer). */
static void only_regular_files_are_mined(void **state)
{
    (void)state;
    char path[2048];
    cjm_mine_result *r = NULL;
    const char *dir = test_scratch_dir("mine-special");
    assert_cjm_error(cjm_mine_file(&r, dir, NULL, NULL), CJM_EIO);
    assert_non_null(strstr(cjm_error_last()->message, "not a regular file"));
    snprintf(path, sizeof path, "%s/fifo.xes", dir);
    remove(path);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_cjm_error(cjm_mine_file(&r, path, NULL, NULL), CJM_EIO);
    assert_non_null(strstr(cjm_error_last()->message, "not a regular file"));
    remove(path);
    assert_cjm_error(cjm_mine_file(&r, path, NULL, NULL), CJM_EIO);
    assert_non_null(strstr(cjm_error_last()->message, "cannot open"));
    assert_null(r);
}

typedef struct seen {
    unsigned long long last_done, last_total;
    int calls;
} seen;

static void record_progress(void *ud, unsigned long long done, unsigned long long total)
{
    seen *s = ud;
    assert_true(total == 0 || done <= total);
    s->last_done = done;
    s->last_total = total;
    s->calls++;
}

static void progress_is_reported_up_to_the_end(void **state)
{
    (void)state;
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    seen s = {0, 0, 0};
    cjm_mine_result *r;
    size_t len;
    char *text = test_read_file(fixture(0, "small.xes"), &len);
    free(text);
    o.progress = record_progress;
    o.progress_ud = &s;
    r = mine_fixture("small.xes", &o);
    assert_true(s.calls >= 1);
    assert_int_equal(s.last_done, len);
    assert_int_equal(s.last_total, len);
    cjm_mine_result_free(r);
}

/* ---- conformance ------------------------------------------------------------ */

static cjm_map *planned_map(const cjm_allocator *a)
{
    cjm_map *map = NULL;
    cjm_journey *j;
    cjm_item *tp, *tr;
    /* The planned journey of fixtures/xes/planned.xml, built through the model. */
    static const char *const tps[][2] = {{"order", "Order online"}, {"confirm", "Confirm by mail"},
                                         {"pay", "Pay"}, {"deliver", "Deliver"}};
    if (cjm_map_new(&map, a) < 0)
        return NULL;
    if (cjm_map_add_journey(map, "order", &j) < 0 || cjm_journey_add(j, CJM_STAGE, "buy", NULL) < 0)
        goto fail;
    for (size_t i = 0; i < 4; i++) {
        if (cjm_journey_add(j, CJM_TOUCHPOINT, tps[i][0], &tp) < 0 ||
            cjm_item_set_text(tp, CJM_ATTR_LABEL, tps[i][1]) < 0 ||
            cjm_item_set_text(tp, CJM_ATTR_STAGE, "buy") < 0)
            goto fail;
        if (i == 0 && cjm_item_set_number(tp, CJM_ATTR_ENTRY, 100) < 0)
            goto fail;
        if (i == 3 && cjm_item_set_int(tp, CJM_ATTR_EXIT, 1) < 0)
            goto fail;
        if (i > 0 && (cjm_journey_add(j, CJM_TRANSITION, NULL, &tr) < 0 ||
                      cjm_item_set_text(tr, CJM_ATTR_FROM, tps[i - 1][0]) < 0 ||
                      cjm_item_set_text(tr, CJM_ATTR_TO, tps[i][0]) < 0))
            goto fail;
    }
    return map;
fail:
    cjm_map_free(map);
    return NULL;
}

typedef struct case_log {
    int n;
    char ids[8][32];
    unsigned long long counts[8][4];
} case_log;

static void record_case(void *ud, const char *id, const unsigned long long counts[4])
{
    case_log *l = ud;
    if (l->n < 8) {
        snprintf(l->ids[l->n], sizeof l->ids[0], "%s", id ? id : "");
        memcpy(l->counts[l->n], counts, sizeof l->counts[0]);
    }
    l->n++;
}

static void cases_are_held_against_the_planned_journey(void **state)
{
    (void)state;
    cjm_map *map = planned_map(NULL);
    cjm_journey *j = cjm_map_journey(map, "order");
    cjm_mine_conformance_options o = CJM_MINE_CONFORMANCE_OPTIONS_INIT;
    cjm_mine_conformance *c;
    case_log log;
    const char *name;
    unsigned long long n;

    memset(&log, 0, sizeof log);
    o.on_case = record_case;
    o.case_ud = &log;
    assert_ok(cjm_mine_conform_file(&c, fixture(0, "small.xes"), j, &o, NULL));
    assert_int_equal(cjm_mine_conformance_cases(c), 3);
    assert_int_equal(cjm_mine_conformance_fitting(c), 0);
    /* every case skips the planned payment; case 2 calls support unplanned */
    assert_int_equal(cjm_mine_conformance_total(c, CJM_DEVIATION_MISSING), 3);
    assert_int_equal(cjm_mine_conformance_touchpoint(c, 2, CJM_DEVIATION_MISSING), 3);
    assert_int_equal(cjm_mine_conformance_total(c, CJM_DEVIATION_ADHOC), 1);
    assert_int_equal(cjm_mine_conformance_cases_with(c, CJM_DEVIATION_ADHOC), 1);
    assert_int_equal(cjm_mine_conformance_adhoc_count(c), 1);
    assert_ok(cjm_mine_conformance_adhoc_at(c, 0, &name, &n));
    assert_string_equal(name, "Call support");
    assert_int_equal(n, 1);
    assert_cjm_error(cjm_mine_conformance_adhoc_at(c, 1, &name, &n), CJM_ENOTFOUND);
    assert_int_equal(cjm_mine_conformance_touchpoint(c, 99, CJM_DEVIATION_MISSING), 0);
    assert_int_equal(log.n, 3);
    assert_string_equal(log.ids[1], "case-2");
    assert_int_equal(log.counts[1][CJM_DEVIATION_ADHOC], 1);
    assert_int_equal(log.counts[0][CJM_DEVIATION_ADHOC], 0);
    assert_int_equal(cjm_mine_count(cjm_mine_conformance_result(c), CJM_MINE_EVENTS), 10);
    cjm_mine_conformance_free(c);

    /* a mapping sends an activity to another touchpoint */
    {
        const char *from[] = {"Call support"}, *to[] = {"pay"};
        o.activities = from;
        o.touchpoints = to;
        o.mapping_count = 1;
        o.on_case = NULL;
        assert_ok(cjm_mine_conform_file(&c, fixture(0, "small.xes"), j, &o, NULL));
        assert_int_equal(cjm_mine_conformance_total(c, CJM_DEVIATION_ADHOC), 0);
        assert_int_equal(cjm_mine_conformance_touchpoint(c, 2, CJM_DEVIATION_MISSING), 2);
        cjm_mine_conformance_free(c);
        to[0] = "";
        assert_cjm_error(cjm_mine_conform_file(&c, fixture(0, "small.xes"), j, &o, NULL),
                         CJM_EINVAL);
    }
    o.mapping_count = 0;
    o.version = 7;
    assert_cjm_error(cjm_mine_conform_file(&c, fixture(0, "small.xes"), j, &o, NULL),
                     CJM_EINVAL);
    assert_cjm_error(cjm_mine_conform_file(&c, fixture(0, "small.xes"), NULL, NULL, NULL),
                     CJM_EINVAL);
    assert_cjm_error(cjm_mine_conform_file(&c, fixture(0, "malformed.xes"), j, NULL, NULL),
                     CJM_EPARSE);
    assert_int_equal(cjm_error_last()->line, 7);
    cjm_mine_conformance_free(NULL);
    cjm_map_free(map);
}

static int oom_conform(const cjm_allocator *a, void *ctx)
{
    cjm_map *map = planned_map(a);
    cjm_mine_conformance *c = NULL;
    int rc;
    (void)ctx;
    if (!map)
        return CJM_ENOMEM;
    rc = cjm_mine_conform_file(&c, fixture(1, "small.xes"), cjm_map_journey(map, "order"),
                               NULL, a);
    if (rc == 0 && cjm_mine_conformance_total(c, CJM_DEVIATION_MISSING) != 3)
        rc = CJM_ERROR;
    cjm_mine_conformance_free(c);
    cjm_map_free(map);
    return rc;
}

static void conformance_runs_out_of_memory_cleanly(void **state)
{
    (void)state;
    assert_true(test_oom_loop(oom_conform, NULL, 0) > 20);
}

/* ---- out of memory ------------------------------------------------------------ */

static int oom_mine(const cjm_allocator *a, void *ctx)
{
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r = NULL, *s = NULL, *back = NULL;
    cjm_buffer b = CJM_BUFFER_INIT;
    cjm_map *map = NULL;
    int rc;
    (void)ctx;
    o.channel_key = "channel";
    if ((rc = cjm_mine_file(&r, fixture(1, "messy.xes"), &o, a)) < 0)
        goto done;
    if ((rc = cjm_mine_file(&s, fixture(1, "small.xes"), &o, a)) < 0)
        goto done;
    if ((rc = cjm_mine_merge(r, s)) < 0) {
        /* a failed merge leaves the result as it was */
        if (cjm_mine_count(r, CJM_MINE_EVENTS) != 7)
            rc = CJM_ERROR;
        goto done;
    }
    if ((rc = cjm_mine_serialize(r, &b)) < 0)
        goto done;
    if ((rc = cjm_mine_deserialize(&back, b.data, b.size, a)) < 0)
        goto done;
    if ((rc = cjm_map_new(&map, a)) < 0)
        goto done;
    if ((rc = cjm_mine_to_journey(back, map, "mined", NULL)) < 0) {
        if (cjm_map_journey_count(map) != 0 || cjm_map_count(map, CJM_CHANNEL) != 0)
            rc = CJM_ERROR;
        goto done;
    }
done:
    cjm_map_free(map);
    cjm_buffer_free(&b);
    cjm_mine_result_free(back);
    cjm_mine_result_free(s);
    cjm_mine_result_free(r);
    return rc;
}

static void running_out_of_memory_fails_cleanly_everywhere(void **state)
{
    (void)state;
    long runs = test_oom_loop(oom_mine, NULL, 0);
    assert_true(runs > 50);
    runs = test_oom_loop(oom_mine, NULL, 1);
    assert_true(runs > 50);
}

/*
 * Names the reader's cache cannot tell apart at a glance (same length,
 * same first, middle and last bytes) stay apart, and '&' or U+007F are
 * found anywhere in a long value.
 */
static void ampersands_in_keys_and_values_are_read_decoded(void **state)
{
    (void)state;
    static const char log[] =
        "<log><trace>"
        "<event><string key='a&amp;b' value='X &amp; Y'/><string key='c&amp;d' value='w&amp;a'/>"
        "<int key='n' value='1&amp;2'/><boolean key='b' value='&amp;'/>"
        "<float key='f' value='1.5&amp;'/><string key='s' value='&amp;&#127;'/>"
        "<date key='time:timestamp' value='2021-01-01T00:00:00&amp;Z'/></event>"
        "<event><string key='a&amp;b' value='Z'/><string key='a&#38;b&amp;' value='no'/>"
        "<string key='c&amp;d' value='w&amp;a'/><string key='c&amp;d' value='p'/>"
        "<date key='time:timestamp' value='2021-01-01T00:00:01Z'/></event>"
        "<event><string key='concept:name' value='Q'/><string key='a&amp;' value='R'/></event>"
        "</trace></log>";
    static const char plain[] =
        "<log><trace>"
        "<event><string key='concept:name' value='A&amp;B'/>"
        "<string key='concept&amp;name' value='C'/>"
        "<date key='time:timestamp&amp;' value='2021-01-01T00:00:09Z'/>"
        "<date key='time:timestamp' value='2021-01-01T00:00:00Z'/></event>"
        "<event><string key='concept:name' value='C&#38;D&amp;'/>"
        "<date key='time:timestamp' value='2021-01-01T00:00:02Z'/></event>"
        "<event><string key='concept:name' value='abcd\x7F'/></event>"
        "<event><string key='concept:name' value='\x7F' /></event>"
        "<event><string key='concept:name' value='ab\x7F&amp;cd'/></event>"
        "<event><string key='concept:name' value='a\x7F'/></event>"
        "</trace></log>";
    static const char *const keys[] = {"a&b"};
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r;
    cjm_mine_activity a;
    cjm_mine_transition t;
    size_t i;
    o.keys = keys;
    o.key_count = 1;
    o.channel_key = "c&d";
    assert_ok(cjm_mine_memory(&r, log, sizeof log - 1, "amp.xes", &o, NULL));
    assert_int_equal(cjm_mine_activity_count(r), 2);
    assert_ok(cjm_mine_activity_find(r, "X & Y", &i));
    assert_ok(cjm_mine_activity_at(r, i, &a));
    assert_string_equal(a.channel, "w&a");
    assert_ok(cjm_mine_activity_find(r, "Z", &i));
    assert_ok(cjm_mine_activity_at(r, i, &a));
    assert_string_equal(a.channel, "p");
    /* n, b, f, s (U+007F) and the first date */
    assert_int_equal(cjm_mine_count(r, CJM_MINE_VALUES_INVALID), 5);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS_UNCLASSIFIED), 1);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_PAIRS_UNTIMED), 1);
    cjm_mine_result_free(r);

    assert_ok(cjm_mine_memory(&r, plain, sizeof plain - 1, "amp.xes", NULL, NULL));
    assert_int_equal(cjm_mine_activity_count(r), 2);
    assert_ok(cjm_mine_activity_find(r, "A&B", &i));
    assert_ok(cjm_mine_activity_find(r, "C&D&", &i));
    assert_int_equal(cjm_mine_transition_count(r), 1);
    assert_ok(cjm_mine_transition_at(r, 0, &t));
    assert_int_equal(t.durations.count, 1);
    assert_int_equal(t.durations.min, 2000);
    /* U+007F at either end of short values, and beside '&' */
    assert_int_equal(cjm_mine_count(r, CJM_MINE_VALUES_INVALID), 4);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS_UNCLASSIFIED), 4);
    cjm_mine_result_free(r);
}

static void look_alike_names_and_long_values_are_read_exactly(void **state)
{
    (void)state;
    static const char log[] =
        "<log><trace>"
        "<event><string key='concept:name' value='Pay-1-x'/></event>"
        "<event><string key='concept:name' value='Pay-2-x'/></event>"
        "<event><string key='concept:name' value='Pay-1-x'/></event>"
        "<event><string key='concept:name' value='Pay-3-x'/></event>"
        "<event><string key='concept:name' value='A long name &amp; more'/></event>"
        "<event><string key='concept:name' value='A long name, then&amp;'/></event>"
        "<event><string key='concept:name' value='A long name with \x7F inside'/></event>"
        "<event><string key='concept:name' value='A long name ending in \x7F'/></event>"
        "</trace></log>";
    cjm_mine_result *r;
    cjm_mine_activity a;
    size_t i;
    assert_ok(cjm_mine_memory(&r, log, sizeof log - 1, "alike.xes", NULL, NULL));
    assert_int_equal(cjm_mine_activity_count(r), 5);
    assert_ok(cjm_mine_activity_find(r, "Pay-1-x", &i));
    assert_ok(cjm_mine_activity_at(r, i, &a));
    assert_int_equal(a.events, 2);
    assert_ok(cjm_mine_activity_find(r, "Pay-2-x", &i));
    assert_ok(cjm_mine_activity_at(r, i, &a));
    assert_int_equal(a.events, 1);
    assert_ok(cjm_mine_activity_find(r, "Pay-3-x", &i));
    assert_ok(cjm_mine_activity_find(r, "A long name & more", &i));
    assert_ok(cjm_mine_activity_find(r, "A long name, then&", &i));
    assert_int_equal(cjm_mine_count(r, CJM_MINE_VALUES_INVALID), 2);
    assert_int_equal(cjm_mine_count(r, CJM_MINE_EVENTS_UNCLASSIFIED), 2);
    cjm_mine_result_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(activities_come_from_concept_name_in_name_order),
        cmocka_unit_test(transitions_are_directly_follows_pairs_with_volumes),
        cmocka_unit_test(durations_are_exact_at_the_ends_and_close_in_the_middle),
        cmocka_unit_test(histogram_bins_cover_every_value_within_their_error),
        cmocka_unit_test(variants_are_sorted_by_count),
        cmocka_unit_test(a_channel_key_gives_the_most_frequent_channel),
        cmocka_unit_test(a_classifier_or_keys_join_values_with_plus),
        cmocka_unit_test(messy_logs_are_mined_and_every_fault_counted),
        cmocka_unit_test(events_without_a_name_and_no_default_are_skipped),
        cmocka_unit_test(dates_are_read_with_their_time_zones),
        cmocka_unit_test(dates_are_read_as_the_plain_reading_does),
        cmocka_unit_test(the_result_becomes_an_actual_journey),
        cmocka_unit_test(shards_of_a_log_merge_to_the_result_of_the_whole),
        cmocka_unit_test(shards_of_the_public_logs_merge_to_the_whole),
        cmocka_unit_test(results_mined_with_other_keys_do_not_merge),
        cmocka_unit_test(damaged_serialised_results_are_rejected),
        cmocka_unit_test(malformed_logs_fail_with_file_line_and_column),
        cmocka_unit_test(files_that_cannot_be_read_fail_with_eio),
        cmocka_unit_test(bad_arguments_and_options_are_refused),
        cmocka_unit_test(limits_on_activities_depth_and_attributes_hold),
        cmocka_unit_test(long_traces_and_many_variants_are_counted_not_kept),
        cmocka_unit_test(a_delete_character_does_not_make_a_name),
        cmocka_unit_test(look_alike_names_and_long_values_are_read_exactly),
        cmocka_unit_test(ampersands_in_keys_and_values_are_read_decoded),
        cmocka_unit_test(gzip_bombs_stop_at_the_inflation_limits),
        cmocka_unit_test(gzip_logs_are_read_like_plain_ones),
        cmocka_unit_test(compressed_logs_are_inflated_and_checked),
        cmocka_unit_test(xz_bombs_stop_at_the_ratio_limit),
        cmocka_unit_test(only_regular_files_are_mined),
        cmocka_unit_test(progress_is_reported_up_to_the_end),
        cmocka_unit_test(running_out_of_memory_fails_cleanly_everywhere),
        cmocka_unit_test(cases_are_held_against_the_planned_journey),
        cmocka_unit_test(conformance_runs_out_of_memory_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
