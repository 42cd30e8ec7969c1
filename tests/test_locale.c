/*
 * Numbers are written and read the same whatever locale the program has
 * set: a program (or a Python interpreter) that calls setlocale() with a
 * locale whose decimal point is a comma still gets "0.25" in its files and
 * reads "1.5e3" as 1500.
 *
 * The test makes such a locale itself (fixtures/locale/comma.src, compiled
 * by localedef into the build tree, found through LOCPATH) and skips, with
 * a message, where localedef or its character map is missing.
 */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *const examples[] = {"takeaway-lockdown.xml", "airline-trust.xml",
                                       "bank-payment-trouble.xml"};

/* Makes the comma locale; returns 0 when LC_NUMERIC can be switched to it. */
static int comma_locale_ready(void)
{
    char cmd[2048];
    const char *dir = test_scratch_dir("locale");
    snprintf(cmd, sizeof cmd, "localedef -c -i '%s' '%s/xx_COMMA' >/dev/null 2>&1",
             test_src_path(0, "tests/fixtures/locale/comma.src"), dir);
    if (system(cmd) == -1)
        return -1;
    setenv("LOCPATH", dir, 1);
    if (!setlocale(LC_NUMERIC, "xx_COMMA"))
        return -1;
    return strcmp(localeconv()->decimal_point, ",") == 0 ? 0 : -1;
}

static void c_numbers(void)
{
    assert_non_null(setlocale(LC_NUMERIC, "C"));
}

static cjm_map *read_example(const char *name)
{
    cjm_map *map = NULL;
    assert_int_equal(cjm_xml_read_file(&map, test_src_path(0, name), NULL), 0);
    return map;
}

/* What the library writes of `map`: Journey XML, DOT, and SVG laid out by Graphviz. */
static void outputs(const cjm_map *map, cjm_buffer out[3])
{
    assert_int_equal(cjm_xml_write_buffer(&out[0], map, NULL), 0);
    assert_int_equal(cjm_render(map, CJM_RENDER_DOT, NULL, &out[1]), 0);
    assert_int_equal(cjm_render(map, CJM_RENDER_SVG, NULL, &out[2]), 0);
}

static void free_outputs(cjm_buffer out[3])
{
    for (int k = 0; k < 3; k++)
        cjm_buffer_free(&out[k]);
}

static void same_bytes(const cjm_buffer *a, const cjm_buffer *b)
{
    assert_int_equal(a->size, b->size);
    assert_memory_equal(a->data, b->data, a->size);
}

static void files_do_not_follow_the_locale(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof examples / sizeof *examples; i++) {
        char rel[256];
        cjm_buffer c[3] = {CJM_BUFFER_INIT, CJM_BUFFER_INIT, CJM_BUFFER_INIT};
        cjm_buffer comma[3] = {CJM_BUFFER_INIT, CJM_BUFFER_INIT, CJM_BUFFER_INIT};
        cjm_map *map;

        snprintf(rel, sizeof rel, "examples/%s", examples[i]);
        c_numbers();
        map = read_example(rel);
        outputs(map, c);
        cjm_map_free(map);

        if (comma_locale_ready() < 0) {
            c_numbers();
            free_outputs(c);
            skip();
        }
        map = read_example(rel);
        outputs(map, comma);
        cjm_map_free(map);
        c_numbers();

        for (int k = 0; k < 3; k++)
            same_bytes(&c[k], &comma[k]);
        free_outputs(c);
        free_outputs(comma);
    }
}

static void numbers_read_and_written_with_a_point(void **state)
{
    static const char doc[] =
        "<journey-map xmlns='urn:cjm:journey:1' version='1'>"
        "<journey id='j'><stage id='s'/>"
        "<touchpoint id='t' stage='s' frequency='1.5e3' expected='3.25' emotion='-0.000125'/>"
        "<touchpoint id='u' stage='s'/>"
        "<transition id='r' from='t' to='u' probability='0.25' volume='12345678901234567'/>"
        "</journey></journey-map>";
    cjm_map *map = NULL;
    cjm_buffer xml = CJM_BUFFER_INIT;
    cjm_item *it;
    double v;
    (void)state;

    if (comma_locale_ready() < 0) {
        c_numbers();
        skip();
    }
    assert_int_equal(cjm_xml_read_memory(&map, doc, sizeof doc - 1, NULL), 0);
    it = cjm_journey_find(cjm_map_journey(map, "j"), "t");
    assert_non_null(it);
    assert_int_equal(cjm_item_number(it, CJM_ATTR_FREQUENCY, &v), 0);
    assert_true(v == 1500);
    assert_int_equal(cjm_item_number(it, CJM_ATTR_EXPECTED, &v), 0);
    assert_true(v == 3.25);
    assert_int_equal(cjm_item_number(it, CJM_ATTR_EMOTION, &v), 0);
    assert_true(v == -0.000125);
    it = cjm_journey_find(cjm_map_journey(map, "j"), "r");
    assert_int_equal(cjm_item_number(it, CJM_ATTR_VOLUME, &v), 0);
    assert_true(v == 12345678901234567.0);

    assert_int_equal(cjm_xml_write_buffer(&xml, map, NULL), 0);
    c_numbers();
    assert_non_null(strstr(xml.data, "frequency=\"1500\""));
    assert_non_null(strstr(xml.data, "expected=\"3.25\""));
    assert_non_null(strstr(xml.data, "emotion=\"-0.000125\""));
    assert_non_null(strstr(xml.data, "probability=\"0.25\""));
    assert_null(strstr(xml.data, ",25"));
    cjm_buffer_free(&xml);
    cjm_map_free(map);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(files_do_not_follow_the_locale),
        cmocka_unit_test(numbers_read_and_written_with_a_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
