/*
 * Hostile inputs through the library: both readers (journey XML and XES)
 * must reject each input of tests/hostile/ with a clean, located error,
 * quickly and in little memory, without acting on what the input asks for
 * (entities, DTDs, XInclude, URLs), and must then still load a valid
 * document in the same process. The same inputs go through the command
 * line in tests/hostile/cli.sh.
 */
#define _DEFAULT_SOURCE 1 /* wait4() */
#include "support.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"
#include "label_oracle.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#  define SANITIZED 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
      __has_feature(memory_sanitizer)
#    define SANITIZED 1
#  endif
#endif
#ifndef SANITIZED
#  define SANITIZED 0
#endif

#define MEMORY_LIMIT_KB (64L * 1024)

static char dir[4096];

static int setup(void **state)
{
    (void)state;
    char name[256], path[4400];
    snprintf(dir, sizeof dir, "%s", test_scratch_dir("hostile"));
    for (size_t i = 0; i < hostile_count(); i++)
        for (int d = HOSTILE_JOURNEY; d <= HOSTILE_XES; d++) {
            hostile_file_name(hostile_at(i), (hostile_dialect)d, name, sizeof name);
            snprintf(path, sizeof path, "%s/%s", dir, name);
            if (hostile_write(hostile_at(i), (hostile_dialect)d, path) != 0) {
                fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
                return -1;
            }
        }
    return 0;
}

static const char *input_path(const hostile_case *c, hostile_dialect d)
{
    static char path[4400];
    char name[256];
    hostile_file_name(c, d, name, sizeof name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

/* ---- the two readers behind one interface ---------------------------------- */

typedef struct outcome {
    int rc;
    char summary[256]; /* what was loaded, for harmless inputs */
} outcome;

static void read_journey(const char *path, outcome *o)
{
    cjm_map *map = NULL;
    o->rc = cjm_xml_read_file(&map, path, NULL);
    o->summary[0] = '\0';
    if (o->rc == 0) {
        snprintf(o->summary, sizeof o->summary, "%zu journey(s), title %s",
                 cjm_map_journey_count(map), cjm_map_title(map) ? cjm_map_title(map) : "-");
        cjm_map_free(map);
    } else {
        assert_null(map);
    }
}

static void read_xes(const char *path, outcome *o)
{
    cjm_mine_result *res = NULL;
    o->rc = cjm_mine_file(&res, path, NULL, NULL);
    o->summary[0] = '\0';
    if (o->rc == 0) {
        size_t n = cjm_mine_activity_count(res);
        snprintf(o->summary, sizeof o->summary, "%llu trace(s), %zu activit(ies)",
                 cjm_mine_count(res, CJM_MINE_TRACES), n);
        for (size_t i = 0; i < n; i++) {
            cjm_mine_activity a;
            assert_ok(cjm_mine_activity_at(res, i, &a));
            if (strstr(a.name, "root:"))
                fail_msg("%s: an activity holds the secret file's text: %s", path, a.name);
        }
        cjm_mine_result_free(res);
    } else {
        assert_null(res);
    }
}

typedef void (*reader_fn)(const char *path, outcome *o);

/* A valid document of the dialect still loads, from memory, with the expected content. */
static void valid_still_loads(hostile_dialect d)
{
    const char *doc = hostile_valid(d);
    if (d == HOSTILE_JOURNEY) {
        cjm_map *map = NULL;
        cjm_xml_read_options opt = CJM_XML_READ_OPTIONS_INIT;
        opt.name = "valid.xml";
        assert_ok(cjm_xml_read_memory(&map, doc, strlen(doc), &opt));
        assert_int_equal(cjm_map_journey_count(map), 1);
        assert_int_equal(cjm_journey_count(cjm_map_journey_at(map, 0), CJM_TOUCHPOINT), 2);
        cjm_map_free(map);
    } else {
        cjm_mine_result *res = NULL;
        assert_ok(cjm_mine_memory(&res, doc, strlen(doc), "valid.xes", NULL, NULL));
        assert_int_equal(cjm_mine_count(res, CJM_MINE_EVENTS), 2);
        assert_int_equal(cjm_mine_transition_count(res), 1);
        cjm_mine_result_free(res);
    }
}

static int acceptable_rejection(int rc)
{
    return rc == CJM_EPARSE || rc == CJM_ELIMIT || rc == CJM_EUNSUPPORTED;
}

/*
 * Checks one rejection: the code, a message naming the file with a line
 * and column, and none of the secret file's text in the message.
 */
static void check_rejection(const hostile_case *c, const char *path, const outcome *o)
{
    const cjm_error *e = cjm_error_last();
    if (!acceptable_rejection(o->rc))
        fail_msg("%s: returned %d (%s), expected a rejection", path, o->rc, e->message);
    assert_int_equal(e->code, o->rc);
    assert_string_equal(e->file, path);
    if (e->line < 1 || e->column < 1)
        fail_msg("%s: the error has no location (%d:%d): %s", c->name, e->line, e->column,
                 e->message);
    assert_true(strlen(e->message) > 0);
    if (strstr(e->message, "root:"))
        fail_msg("%s: the message shows the secret file: %s", c->name, e->message);
}

/*
 * Inputs that take long enough to matter under valgrind (tens of times
 * slower) are left out there; the other builds run them.
 */
static int too_slow_here(const hostile_case *c)
{
    if (getenv("CJM_UNDER_VALGRIND") && strncmp(c->name, "gzip-bomb", 9) == 0) {
        print_message("%-26s skipped under valgrind\n", c->name);
        return 1;
    }
    return 0;
}

/*
 * The gzip bomb must be stopped early: the error's column counts the
 * inflated bytes of its one long line, which must stay within 64 MiB.
 */
#define BOMB_LIMIT (64 << 20)

static void every_input_through(reader_fn reader, hostile_dialect d)
{
    for (size_t i = 0; i < hostile_count(); i++) {
        const hostile_case *c = hostile_at(i);
        const char *path = input_path(c, d);
        hostile_outcome expect = d == HOSTILE_XES ? c->xes : c->journey;
        outcome o;
        if (too_slow_here(c))
            continue;
        reader(path, &o);
        if (o.rc == 0) {
            if (expect == HOSTILE_REJECT)
                fail_msg("%s: accepted (%s), expected a rejection", c->name, o.summary);
            print_message("%-26s accepted harmlessly: %s\n", c->name, o.summary);
        } else {
            check_rejection(c, path, &o);
            if (strncmp(c->name, "gzip-bomb", 9) == 0 && d == HOSTILE_XES &&
                cjm_error_last()->column > BOMB_LIMIT)
                fail_msg("%s: stopped only after inflating about %d bytes, more than %d: %s",
                         c->name, cjm_error_last()->column, BOMB_LIMIT,
                         cjm_error_last()->message);
            print_message("%-26s %3d %s:%d:%d: %s\n", c->name, o.rc, c->name,
                          cjm_error_last()->line, cjm_error_last()->column,
                          cjm_error_last()->message);
        }
        valid_still_loads(d);
    }
}

static void the_journey_reader_rejects_every_hostile_input_with_its_location(void **state)
{
    (void)state;
    every_input_through(read_journey, HOSTILE_JOURNEY);
}

static void the_xes_reader_rejects_every_hostile_input_with_its_location(void **state)
{
    (void)state;
    every_input_through(read_xes, HOSTILE_XES);
}

/* The same inputs, handed over as bytes in memory instead of a file. */
static void hostile_bytes_in_memory_are_rejected_alike(void **state)
{
    (void)state;
    for (size_t i = 0; i < hostile_count(); i++) {
        const hostile_case *c = hostile_at(i);
        for (int d = HOSTILE_JOURNEY; d <= HOSTILE_XES; d++) {
            size_t len;
            char *data;
            int rc;
            if (strstr(c->suffix, ".gz"))
                continue; /* the memory readers take plain XML only */
            data = test_read_file(input_path(c, (hostile_dialect)d), &len);
            assert_non_null(data);
            if (d == HOSTILE_JOURNEY) {
                cjm_map *map = NULL;
                cjm_xml_read_options opt = CJM_XML_READ_OPTIONS_INIT;
                opt.name = c->name;
                rc = cjm_xml_read_memory(&map, data, len, &opt);
                cjm_map_free(map);
            } else {
                cjm_mine_result *res = NULL;
                rc = cjm_mine_memory(&res, data, len, c->name, NULL, NULL);
                cjm_mine_result_free(res);
            }
            free(data);
            if (rc == 0 && (d == HOSTILE_XES ? c->xes : c->journey) == HOSTILE_HARMLESS)
                continue;
            if (!acceptable_rejection(rc))
                fail_msg("%s (%s, memory): returned %d: %s", c->name,
                         d == HOSTILE_XES ? "xes" : "journey", rc, cjm_error_last()->message);
            assert_string_equal(cjm_error_last()->file, c->name);
            assert_true(cjm_error_last()->line >= 1);
            valid_still_loads((hostile_dialect)d);
        }
    }
}

/*
 * Each input read in a child process whose peak memory and time are
 * measured. The figures are printed; the memory bound is asserted unless a
 * sanitizer or valgrind inflates it. Time is never asserted.
 */
static void each_hostile_input_is_read_in_little_memory(void **state)
{
    (void)state;
    int check_memory = !SANITIZED && !getenv("CJM_UNDER_VALGRIND");
    long worst_kb = 0;
    double worst_s = 0;
    for (size_t i = 0; i < hostile_count(); i++) {
        const hostile_case *c = hostile_at(i);
        for (int d = HOSTILE_JOURNEY; d <= HOSTILE_XES; d++) {
            const char *path = input_path(c, (hostile_dialect)d);
            struct timespec t0, t1;
            struct rusage ru;
            int status;
            pid_t pid;
            double secs;
            if (too_slow_here(c))
                continue;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            pid = fork();
            assert_true(pid >= 0);
            if (pid == 0) {
                outcome o;
                if (d == HOSTILE_JOURNEY)
                    read_journey(path, &o);
                else
                    read_xes(path, &o);
                _exit(o.rc == 0 || acceptable_rejection(o.rc) ? 0 : 1);
            }
            assert_int_equal(wait4(pid, &status, 0, &ru), pid);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                fail_msg("%s (%s): the child ended with status %#x", c->name,
                         d == HOSTILE_XES ? "xes" : "journey", (unsigned)status);
            print_message("%-26s %-7s %7ld KB %6.3f s\n", c->name,
                          d == HOSTILE_XES ? "xes" : "journey", ru.ru_maxrss, secs);
            if (ru.ru_maxrss > worst_kb)
                worst_kb = ru.ru_maxrss;
            if (secs > worst_s)
                worst_s = secs;
            if (check_memory && ru.ru_maxrss > MEMORY_LIMIT_KB)
                fail_msg("%s (%s): peak memory %ld KB is over %ld KB", c->name,
                         d == HOSTILE_XES ? "xes" : "journey", ru.ru_maxrss, MEMORY_LIMIT_KB);
        }
    }
    print_message("worst: %ld KB, %.3f s%s\n", worst_kb, worst_s,
                  check_memory ? "" : " (memory not asserted in this build)");
}

/* A URL given as a file name is a file name: nothing is fetched. */
static void a_url_as_a_file_name_is_not_fetched(void **state)
{
    (void)state;
    cjm_map *map = NULL;
    cjm_mine_result *res = NULL;
    int rc = cjm_xml_read_file(&map, HOSTILE_REMOTE_URL, NULL);
    assert_true(rc < 0);
    assert_null(map);
    rc = cjm_mine_file(&res, HOSTILE_REMOTE_URL, NULL, NULL);
    assert_true(rc < 0);
    assert_null(res);
    valid_still_loads(HOSTILE_JOURNEY);
    valid_still_loads(HOSTILE_XES);
}

/* The readers' limits can be made tighter than the defaults, and hold. */
static void tighter_limits_are_honoured(void **state)
{
    (void)state;
    const char *doc = hostile_valid(HOSTILE_JOURNEY);
    cjm_map *map = NULL;
    cjm_xml_read_options opt = CJM_XML_READ_OPTIONS_INIT;
    opt.name = "small";
    opt.max_depth = 2;
    assert_cjm_error(cjm_xml_read_memory(&map, doc, strlen(doc), &opt), CJM_ELIMIT);
    assert_null(map);
    opt.max_depth = 0;
    opt.max_size = 16;
    assert_cjm_error(cjm_xml_read_memory(&map, doc, strlen(doc), &opt), CJM_ELIMIT);
    opt.max_size = 0;
    opt.max_text = 2;
    assert_cjm_error(cjm_xml_read_memory(&map, doc, strlen(doc), &opt), CJM_ELIMIT);
    {
        cjm_mine_result *res = NULL;
        cjm_mine_options mo = CJM_MINE_OPTIONS_INIT;
        const char *log = hostile_valid(HOSTILE_XES);
        mo.max_depth = 2;
        assert_cjm_error(cjm_mine_memory(&res, log, strlen(log), "small", &mo, NULL),
                         CJM_ELIMIT);
        assert_null(res);
        mo.max_depth = 0;
        mo.max_attributes = 1;
        assert_cjm_error(cjm_mine_memory(&res, log, strlen(log), "small", &mo, NULL),
                         CJM_ELIMIT);
        assert_null(res);
    }
    valid_still_loads(HOSTILE_JOURNEY);
}

/* ---- labels ------------------------------------------------------------------ */

/*
 * Labels a user may type, and some meant to break out of a DOT string or
 * an HTML-like label: each must come back unchanged from the diagram (see
 * fuzz/label_oracle.h), or be refused by the model when it is not text.
 */
static void any_label_is_refused_or_comes_back_unchanged_from_dot(void **state)
{
    (void)state;
    static const char *const labels[] = {
        "plain", "say \"hi\"", "C:\\new\\dir", "trailing\\", "\\", "\\\"", "\"",
        "\\n is not a line break", "\\l\\r\\N\\G\\E\\T\\H", "line one\nline two",
        "crlf\r\nand cr\ronly", "<b>bold</b> &amp; <TABLE>", "<<html>>", "} node [image=x] {",
        "\"; image=\"/etc/passwd", "a -> b; c", "Hämtmat – köp ✓ 🚲", "tab\there", "",
        " ", "#58; #59; #35;", "%s %n %x", "\xef\xbb\xbf bom",
        /* refused: not UTF-8, or control characters */
        "bad \xff", "\xc3\x28", "\xed\xa0\x80 surrogate", "\xc0\xaf overlong", "bell \a",
        "escape \x1b[31m", "del \x7f",
    };
    char why[4096];
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
        if (label_roundtrip(labels[i], strlen(labels[i]), why, sizeof why) != 0)
            fail_msg("label %zu: %s", i, why);
    /* a long label, and one with every ASCII character */
    {
        char all[200], *longer = malloc(100001);
        size_t n = 0;
        assert_non_null(longer);
        for (int c = 1; c < 128; c++)
            all[n++] = (char)c;
        if (label_roundtrip(all, n, why, sizeof why) != 0)
            fail_msg("all of ASCII: %s", why);
        for (n = 0; n < 100000; n++)
            longer[n] = "ab\\\"\n"[n % 5];
        if (label_roundtrip(longer, n, why, sizeof why) != 0)
            fail_msg("100,000 bytes: %s", why);
        free(longer);
    }
}

/*
 * One map drawn twice in one process must give the same DOT. Graphviz's
 * agwrite() orders subgraphs by their internal ids, which for named
 * subgraphs are the addresses of pooled strings, so the order of the stage
 * clusters can change between calls unless the library fixes the ids.
 */
static void rendering_the_same_map_twice_gives_the_same_dot(void **state)
{
    (void)state;
    cjm_map *map = NULL;
    cjm_buffer first = CJM_BUFFER_INIT, again = CJM_BUFFER_INIT;
    size_t len;
    char *doc = test_read_file(test_src_path(0, "tests/fixtures/xml/rich.xml"), &len);
    assert_non_null(doc);
    assert_ok(cjm_xml_read_memory(&map, doc, len, NULL));
    int differs = 0;
    assert_ok(cjm_render(map, CJM_RENDER_DOT, NULL, &first));
    for (int i = 0; i < 8 && !differs; i++) {
        cjm_map *copy = NULL;
        assert_ok(cjm_xml_read_memory(&copy, doc, len, NULL));
        assert_ok(cjm_render(copy, CJM_RENDER_DOT, NULL, &again));
        cjm_map_free(copy);
        if (again.size != first.size || memcmp(again.data, first.data, first.size) != 0)
            differs = i + 2;
        cjm_buffer_free(&again);
    }
    cjm_buffer_free(&first);
    cjm_map_free(map);
    free(doc);
    if (differs)
        fail_msg("drawing %d gave different DOT from the first", differs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_journey_reader_rejects_every_hostile_input_with_its_location),
        cmocka_unit_test(the_xes_reader_rejects_every_hostile_input_with_its_location),
        cmocka_unit_test(hostile_bytes_in_memory_are_rejected_alike),
        cmocka_unit_test(each_hostile_input_is_read_in_little_memory),
        cmocka_unit_test(a_url_as_a_file_name_is_not_fetched),
        cmocka_unit_test(tighter_limits_are_honoured),
        cmocka_unit_test(any_label_is_refused_or_comes_back_unchanged_from_dot),
        cmocka_unit_test(rendering_the_same_map_twice_gives_the_same_dot),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
