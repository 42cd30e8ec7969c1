/* Journey XML: reading, canonical writing, errors with their locations, failures. */
#include "support.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"

#define HEAD "<journey-map xmlns='urn:cjm:journey:1' version='1'>"
#define TAIL "</journey-map>"

static cjm_map *read_fixture(const char *name)
{
    char rel[256];
    cjm_map *map = NULL;
    snprintf(rel, sizeof rel, "tests/fixtures/xml/%s", name);
    assert_ok(cjm_xml_read_file(&map, test_src_path(0, rel), NULL));
    assert_non_null(map);
    return map;
}

static int read_string(cjm_map **map, const char *doc, unsigned flags)
{
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    o.flags = flags;
    o.name = "doc.xml";
    return cjm_xml_read_memory(map, doc, strlen(doc), &o);
}

static int read_string_n(cjm_map **map, const char *doc, size_t len)
{
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    o.name = "doc.xml";
    return cjm_xml_read_memory(map, doc, len, &o);
}

static char *write_string(const cjm_map *map, size_t *len)
{
    cjm_buffer b = CJM_BUFFER_INIT;
    char *copy;
    assert_ok(cjm_xml_write_buffer(&b, map, NULL));
    copy = malloc(b.size + 1);
    memcpy(copy, b.data, b.size + 1);
    *len = b.size;
    cjm_buffer_free(&b);
    return copy;
}

static double number(const cjm_item *item, cjm_attr attr)
{
    double d = NAN;
    assert_ok(cjm_item_number(item, attr, &d));
    return d;
}

static int enum_value(const cjm_item *item, cjm_attr attr)
{
    int v = -1;
    assert_ok(cjm_item_int(item, attr, &v));
    return v;
}

/* ---- reading ------------------------------------------------------------- */

static void the_rich_fixture_carries_every_concept(void **state)
{
    (void)state;
    cjm_map *m = read_fixture("rich.xml");
    cjm_journey *plan = cjm_map_journey(m, "planned"), *act = cjm_map_journey(m, "actual");
    cjm_item *tp, *tr, *g, *o, *pp;
    const cjm_kpi *k;
    int line, column;

    assert_string_equal(cjm_map_title(m), "Cykelverkstad: service med hämtning");
    assert_string_equal(cjm_map_language(m), "sv");
    assert_non_null(strstr(cjm_map_description(m), "door,\nservices"));
    assert_int_equal(cjm_map_count(m, CJM_ACTOR), 5);
    assert_int_equal(cjm_map_count(m, CJM_CHANNEL), 4);
    assert_int_equal(cjm_map_count(m, CJM_PERSONA), 1);
    assert_int_equal(cjm_map_count(m, CJM_SITUATION), 2);
    assert_int_equal(cjm_map_journey_count(m), 2);
    assert_int_equal(enum_value(cjm_map_find(m, "courier"), CJM_ATTR_ROLE), CJM_ROLE_PARTNER);
    assert_int_equal(enum_value(cjm_map_find(m, "chat"), CJM_ATTR_CHANNEL_KIND),
                     CJM_CHANNEL_ASSISTED);
    assert_int_equal(enum_value(cjm_map_find(m, "doorstep"), CJM_ATTR_CONTACT_FREE), 0);

    assert_non_null(plan);
    assert_int_equal(cjm_journey_status(plan), CJM_STATUS_PLANNED);
    assert_string_equal(cjm_journey_persona(plan), "commuter");
    assert_int_equal(cjm_journey_status(act), CJM_STATUS_ACTUAL);
    assert_string_equal(cjm_journey_follows(act), "planned");
    assert_int_equal(cjm_journey_count(plan, CJM_STAGE), 4);
    assert_string_equal(cjm_item_id(cjm_journey_at(plan, CJM_STAGE, 3)), "return");

    tp = cjm_journey_find(plan, "book-web");
    assert_string_equal(cjm_item_text(tp, CJM_ATTR_STAGE), "book");
    assert_string_equal(cjm_item_text(tp, CJM_ATTR_RECEIVER), "booking-system");
    assert_string_equal(cjm_item_text(tp, CJM_ATTR_OWNER), "Digital");
    assert_true(number(tp, CJM_ATTR_PERCEIVED) == 4.5);
    assert_true(number(tp, CJM_ATTR_CAPACITY) == 1000);
    assert_int_equal(enum_value(tp, CJM_ATTR_VALUE), CJM_VALUE_HIGH);
    assert_int_equal(enum_value(tp, CJM_ATTR_NEED), CJM_NEED_CERTAINTY);
    assert_int_equal(cjm_item_list_count(tp, CJM_ATTR_SITUATIONS), 1);
    assert_int_equal(cjm_item_kpi_count(tp), 3);
    k = cjm_item_kpi_at(tp, 1);
    assert_string_equal(k->name, "CSAT");
    assert_true(k->value == 4.1 && k->target == 4.5);
    assert_string_equal(k->date, "2020-04-01");
    k = cjm_item_kpi_at(tp, 2);
    assert_true(isnan(k->target));
    assert_null(k->date);
    cjm_item_location(tp, &line, &column);
    assert_int_equal(line, 58);
    assert_int_equal(column, 5);
    assert_int_equal(enum_value(cjm_journey_find(plan, "pickup"), CJM_ATTR_MOMENT_OF_TRUTH), 1);
    assert_true(number(cjm_journey_find(plan, "book-phone"), CJM_ATTR_EMOTION) == -1);

    tr = cjm_journey_find(plan, "tr2");
    assert_true(number(tr, CJM_ATTR_PROBABILITY) == 0.9);
    assert_true(number(tr, CJM_ATTR_DURATION) == 172800);
    assert_true(cjm_item_list_contains(tr, CJM_ATTR_SITUATIONS, "stressed"));
    pp = cjm_journey_find(plan, "pp-queue");
    assert_non_null(strstr(cjm_item_text(pp, CJM_ATTR_ROOT_CAUSE), "season peak"));
    assert_true(number(pp, CJM_ATTR_AFFECTED) == 100);
    g = cjm_journey_find(plan, "g-phone");
    assert_int_equal(enum_value(g, CJM_ATTR_GAP_KIND), CJM_GAP_EXPERIENCE);
    assert_int_equal(enum_value(g, CJM_ATTR_DIMENSION), CJM_DIMENSION_SPEED);
    o = cjm_journey_find(plan, "o-callback");
    assert_int_equal(enum_value(o, CJM_ATTR_FACTOR), CJM_FACTOR_TIMING);
    assert_int_equal(cjm_item_list_count(o, CJM_ATTR_LINKS), 2);
    assert_string_equal(cjm_item_list_at(o, CJM_ATTR_LINKS, 1), "g-phone");

    /* ISO 8601 durations and exponents are converted to seconds */
    assert_true(number(cjm_journey_find(act, "a1"), CJM_ATTR_DURATION) == 1800);
    assert_true(number(cjm_journey_find(act, "a2"), CJM_ATTR_DURATION) == 93600);
    assert_true(number(cjm_journey_find(act, "a3"), CJM_ATTR_DURATION) == 150000);
    g = cjm_journey_find(act, "d-chase");
    assert_int_equal(enum_value(g, CJM_ATTR_DEVIATION), CJM_DEVIATION_ADHOC);
    assert_string_equal(cjm_item_text(cjm_journey_find(act, "d-missing"), CJM_ATTR_DESCRIPTION),
                        "No confirmation e-mail was sent & nobody noticed <for a week>.");
    cjm_map_free(m);
}

static void iso_durations_are_read_as_seconds_and_bad_ones_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double seconds;
    } good[] = {{"P2W", 1209600}, {"PT1.5S", 1.5}, {"P1DT2H3M4S", 93784}, {"PT90M", 5400},
                {"P0D", 0},       {" 12.5 ", 12.5}, {"1e3", 1000}};
    static const char *const bad[] = {"P", "PT", "P1Y", "P1M", "P1W2D", "PT1.5M", "P1H",
                                      "PT1D", "-P1D", "1 day", "P1DT", "PT2S3M"};
    char doc[512];
    cjm_map *m;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        snprintf(doc, sizeof doc,
                 HEAD "<journey id='j'><touchpoint id='a'/><touchpoint id='b'/>"
                      "<transition id='t' from='a' to='b' duration='%s'/></journey>" TAIL,
                 good[i].text);
        assert_ok(read_string(&m, doc, 0));
        assert_true(number(cjm_journey_find(cjm_map_journey(m, "j"), "t"), CJM_ATTR_DURATION) ==
                    good[i].seconds);
        cjm_map_free(m);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(doc, sizeof doc,
                 HEAD "<journey id='j'><transition id='t' duration='%s'/></journey>" TAIL,
                 bad[i]);
        assert_cjm_error(read_string(&m, doc, 0), CJM_EPARSE);
        assert_null(m);
        if (cjm_error_last()->column != 97)
            fail_msg("%s: %s at %d", bad[i], cjm_error_last()->message, cjm_error_last()->column);
    }
}

static void foreign_namespaces_are_skipped_wherever_they_appear(void **state)
{
    (void)state;
    cjm_map *m;
    assert_ok(read_string(
        &m,
        "<journey-map xmlns='urn:cjm:journey:1' xmlns:x='urn:example:later' version='1.4' "
        "x:generator='next'>\n"
        "  <x:settings><actor/><x:deep><touchpoint bogus='1'/></x:deep>text</x:settings>\n"
        "  <actor id='a' x:colour='red'><x:note>hi</x:note><label>A</label><x:more/></actor>\n"
        "  <journey id='j' x:flag='1'>\n"
        "    <touchpoint id='t' x:weight='3'><x:series/><kpi name='NPS' value='10' x:src='s'/>"
        "</touchpoint>\n"
        "    <xi:include xmlns:xi='http://www.w3.org/2001/XInclude' href='/etc/passwd' "
        "parse='text'/>\n"
        "  </journey>\n" TAIL,
        0));
    assert_int_equal(cjm_map_count(m, CJM_ACTOR), 1);
    assert_string_equal(cjm_item_text(cjm_map_find(m, "a"), CJM_ATTR_LABEL), "A");
    assert_int_equal(cjm_item_kpi_count(cjm_journey_find(cjm_map_journey(m, "j"), "t")), 1);
    cjm_map_free(m);
}

static void problems_of_meaning_can_be_kept_for_validation(void **state)
{
    (void)state;
    static const char doc[] =
        HEAD "\n<journey id='j' status='actual' follows='ghost'>\n"
             "  <touchpoint id='t' expected='9' stage='nowhere'/>\n"
             "  <transition id='x' from='t' to='missing'/>\n"
             "</journey>" TAIL;
    cjm_map *m;
    cjm_problems *p;
    assert_cjm_error(read_string(&m, doc, 0), CJM_EPARSE);
    assert_null(m);
    assert_ok(read_string(&m, doc, CJM_XML_KEEP_PROBLEMS));
    assert_ok(cjm_map_validate(m, &p));
    assert_true(cjm_problems_errors(p) >= 4);
    for (size_t i = 0; i < cjm_problems_count(p); i++) {
        const cjm_problem *q = cjm_problems_at(p, i);
        if (q->item && strcmp(q->item, "x") == 0) {
            assert_int_equal(q->line, 4);
            assert_int_equal(q->column, 3);
        }
    }
    cjm_problems_free(p);
    cjm_map_free(m);
}

/* ---- errors and their locations ------------------------------------------ */

typedef struct bad_case {
    const char *what;
    const char *doc;
    int code, line, column;
    const char *needle;
} bad_case;

static const bad_case bad_cases[] = {
    {"a mismatched tag", HEAD "\n<actor id='a'>\n</channel>" TAIL, CJM_EPARSE, 3, 11,
     "mismatch"},
    {"a truncated file", HEAD "\n<actor id='a'>\n  <label>Kun", CJM_EPARSE, 3, 13, "ends before <label> is closed"},
    {"an empty file", "", CJM_EPARSE, 1, 1, "empty"},
    {"only white space", "  \n ", CJM_EPARSE, 2, 2, "empty"},
    {"an unknown element", HEAD "\n  <actress id='a'/>" TAIL, CJM_EPARSE, 2, 3,
     "unknown element <actress> in <journey-map>"},
    {"an element in the wrong place", HEAD "\n<touchpoint id='t'/>" TAIL, CJM_EPARSE, 2, 1,
     "unknown element <touchpoint> in <journey-map>"},
    {"an unknown attribute", HEAD "\n<actor id='a' colour='red'/>" TAIL, CJM_EPARSE, 2, 23,
     "unknown attribute 'colour' on <actor>"},
    {"an attribute of another kind", HEAD "<journey id='j'>\n <touchpoint id='t' role='x'/>"
                                     "</journey>" TAIL,
     CJM_EPARSE, 2, 27, "attribute 'role' does not belong on <touchpoint>"},
    {"text as an attribute", HEAD "\n<actor id='a' label='A'/>" TAIL, CJM_EPARSE, 2, 22,
     "'label' is written as a child element of <actor>"},
    {"a missing id", HEAD "<journey id='j'>\n  <touchpoint stage='s'/></journey>" TAIL,
     CJM_EPARSE, 2, 3, "<touchpoint> needs an id attribute"},
    {"an invalid id", HEAD "\n<actor id=' '/>" TAIL, CJM_EPARSE, 2, 12, "not a valid id"},
    {"a number that is not a number",
     HEAD "<journey id='j'>\n<touchpoint id='t'\n   expected='four'/></journey>" TAIL, CJM_EPARSE,
     3, 14, "attribute 'expected': 'four' is not a number"},
    {"an infinite number", HEAD "<journey id='j'><touchpoint id='t' frequency='INF'/></journey>" TAIL,
     CJM_EPARSE, 1, 98, "'INF' is not a number"},
    {"a number too large", HEAD "<journey id='j'><touchpoint id='t' frequency='1e999'/></journey>" TAIL,
     CJM_EPARSE, 1, 98, "out of the range"},
    {"a bad enumeration value", HEAD "\n<channel id='c' kind='pigeon'/>" TAIL, CJM_EPARSE, 2, 23,
     "'pigeon' is not one of self-service, assisted, human, physical"},
    {"a bad flag", HEAD "\n<channel id='c' contact-free='yes'/>" TAIL, CJM_EPARSE, 2, 31,
     "'yes' is not one of false, true"},
    {"a bad status", HEAD "\n<journey id='j' status='dreamt'/>" TAIL, CJM_EPARSE, 2, 25,
     "not one of planned, actual"},
    {"text where none belongs", HEAD "<journey id='j'>\n<touchpoint id='t'>Hello</touchpoint>"
                                "</journey>" TAIL,
     CJM_EPARSE, 2, 20, "text is not allowed in <touchpoint>"},
    {"stray text over several lines",
     HEAD "<journey id='j'><touchpoint id='t'>\n   Hello\nthere</touchpoint></journey>" TAIL,
     CJM_EPARSE, 2, 4, "text is not allowed in <touchpoint>"},
    {"markup inside a text", HEAD "<actor id='a'>\n<label>A <b>bold</b></label></actor>" TAIL,
     CJM_EPARSE, 2, 10, "<b> is not allowed inside <label>"},
    {"a label given twice", HEAD "<actor id='a'><label>A</label>\n<label>B</label></actor>" TAIL,
     CJM_EPARSE, 2, 1, "<label> appears twice in <actor>"},
    {"an element in no namespace",
     HEAD "<journey id='j'>\n<touchpoint id='t' xmlns=''/></journey>" TAIL, CJM_EPARSE, 2, 1,
     "in no namespace"},
    {"a foreign root", "<?xml version='1.0'?>\n<map version='1'/>", CJM_EPARSE, 2, 1,
     "not a Journey XML document"},
    {"a later version", "<journey-map xmlns='urn:cjm:journey:1' version='2.0'/>",
     CJM_EUNSUPPORTED, 1, 49, "version 2.0 of Journey XML is not supported"},
    {"a later namespace", "<journey-map xmlns='urn:cjm:journey:2' version='2'/>",
     CJM_EUNSUPPORTED, 1, 1, "urn:cjm:journey:2"},
    {"a missing version", "<journey-map xmlns='urn:cjm:journey:1'/>", CJM_EPARSE, 1, 1,
     "needs a version"},
    {"a duplicate id", HEAD "\n<actor id='a'/>\n<channel id='a'/>" TAIL, CJM_EPARSE, 3, 14,
     "duplicate id 'a': already used at line 2, column 1"},
    {"a journey id taken by a definition", HEAD "\n<actor id='a'/>\n<journey id='a'/>" TAIL,
     CJM_EPARSE, 3, 14, "duplicate id 'a'"},
    {"a duplicate id in a journey",
     HEAD "<journey id='j'><stage id='s'/>\n<touchpoint id='s'/></journey>" TAIL, CJM_EPARSE, 2,
     1, "duplicate id 's': already used at line 1, column 68"},
    {"a duplicate id before another problem of the journey",
     HEAD "<journey id='j'><touchpoint id='a'/>\n<touchpoint id='a'/>\n<touchpoint id='b' "
          "perceived='x'/></journey>" TAIL,
     CJM_EPARSE, 2, 1, "duplicate id 'a': already used at line 1, column 68"},
    {"a duplicate id on an element with another problem",
     HEAD "<journey id='j'><touchpoint id='a'/>\n<touchpoint id='a' perceived='x'/></journey>" TAIL,
     CJM_EPARSE, 2, 1, "duplicate id 'a': already used at line 1, column 68"},
    {"a problem before a duplicate id",
     HEAD "<journey id='j'><touchpoint id='a' perceived='x'/>\n<touchpoint id='a'/></journey>" TAIL,
     CJM_EPARSE, 1, 98, "attribute 'perceived': 'x' is not a number"},
    {"an id used three times in a journey",
     HEAD "<journey id='j'><stage id='x'/>\n<touchpoint id='y'/><transition id='y'/>\n"
          "<gap id='x'/></journey>" TAIL,
     CJM_EPARSE, 2, 21, "duplicate id 'y': already used at line 2, column 1"},
    {"a duplicate id in a journey that does not end",
     HEAD "<journey id='j'><stage id='x'/>\n<stage id='x'/>\n<stage" TAIL,
     CJM_EPARSE, 2, 1, "duplicate id 'x': already used at line 1, column 68"},
    {"a transition to an unknown touchpoint",
     HEAD "<journey id='j'><touchpoint id='t'/>\n  <transition id='x' from='t' to='nowhere'/>"
          "</journey>" TAIL,
     CJM_EPARSE, 2, 3, "'nowhere' does not exist"},
    {"a score out of range", HEAD "<journey id='j'>\n <touchpoint id='t' perceived='6'/></journey>" TAIL,
     CJM_EPARSE, 2, 2, "outside 1..5"},
    {"a reference of the wrong kind",
     HEAD "<situation id='s'/><journey id='j'>\n <touchpoint id='t' channel='s'/></journey>" TAIL,
     CJM_EPARSE, 2, 2, "not a channel"},
    {"a journey following nothing",
     HEAD "\n  <journey id='j' status='actual' follows='ghost'/>" TAIL, CJM_EPARSE, 2, 3,
     "ghost"},
    {"a KPI without a value",
     HEAD "<journey id='j'><touchpoint id='t'>\n  <kpi name='CSAT'/></touchpoint></journey>" TAIL,
     CJM_EPARSE, 2, 3, "<kpi> needs a name and a value"},
    {"a KPI with a bad date",
     HEAD "<journey id='j'><touchpoint id='t'>\n<kpi name='NPS' value='3' date='2020-02-30'/>"
          "</touchpoint></journey>" TAIL,
     CJM_EPARSE, 2, 1, "not an ISO 8601 date"},
    {"a KPI with an unknown attribute",
     HEAD "<journey id='j'><touchpoint id='t'>\n<kpi name='NPS' value='3' unit='%'/>"
          "</touchpoint></journey>" TAIL,
     CJM_EPARSE, 2, 33, "unknown attribute 'unit' on <kpi>"},
    {"a control character in a text", HEAD "<actor id='a'><label>A&#1;</label></actor>" TAIL,
     CJM_EPARSE, 1, 78, "xmlParseCharRef"},
    {"an entity", HEAD "<actor id='a'><label>&nbsp;</label></actor>" TAIL, CJM_EPARSE, 1, 73,
     "'&nbsp;' is not allowed"},
};

static void every_error_class_has_its_message_and_location(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const bad_case *c = &bad_cases[i];
        cjm_map *m = (cjm_map *)1;
        int rc = read_string(&m, c->doc, 0);
        const cjm_error *e = cjm_error_last();
        if (rc != c->code || e->code != c->code || !strstr(e->message, c->needle) ||
            e->line != c->line || e->column != c->column || strcmp(e->file, "doc.xml") != 0)
            fail_msg("%s: expected %d '%s' at %d:%d; got %d '%s' at %s:%d:%d", c->what, c->code,
                     c->needle, c->line, c->column, rc, e->message, e->file, e->line,
                     e->column);
        assert_null(m);
    }
}

static void the_reader_refuses_what_the_schema_refuses(void **state)
{
    (void)state;
    static const char *const names[] = {"score-out-of-range.xml", "bad-enum.xml",
                                        "duplicate-id.xml", "no-version.xml",
                                        "unknown-element.xml"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char rel[256];
        cjm_map *m;
        snprintf(rel, sizeof rel, "tests/fixtures/xml/invalid/%s", names[i]);
        if (cjm_xml_read_file(&m, test_src_path(0, rel), NULL) != CJM_EPARSE)
            fail_msg("%s was not refused", names[i]);
        assert_true(cjm_error_last()->line > 1);
        assert_true(cjm_error_last()->column > 0);
        assert_null(m);
    }
}

static void files_and_descriptors_name_themselves_in_errors(void **state)
{
    (void)state;
    const char *dir = test_scratch_dir("xml-names");
    char path[2300];
    cjm_map *m;
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    int fd;

    snprintf(path, sizeof path, "%s/broken.xml", dir);
    test_write_file(path, HEAD "\n<actor/>" TAIL, strlen(HEAD "\n<actor/>" TAIL));
    assert_cjm_error(cjm_xml_read_file(&m, path, NULL), CJM_EPARSE);
    assert_string_equal(cjm_error_last()->file, path);
    assert_int_equal(cjm_error_last()->line, 2);

    fd = open(path, O_RDONLY);
    assert_cjm_error(cjm_xml_read_fd(&m, fd, NULL), CJM_EPARSE);
    assert_string_equal(cjm_error_last()->file, "(fd)");
    assert_int_equal(lseek(fd, 0, SEEK_CUR) > 0, 1);
    close(fd);
    fd = open(path, O_RDONLY);
    o.name = "stdin";
    assert_cjm_error(cjm_xml_read_fd(&m, fd, &o), CJM_EPARSE);
    assert_string_equal(cjm_error_last()->file, "stdin");
    close(fd);
    assert_cjm_error(cjm_xml_read_memory(&m, "<a", 2, NULL), CJM_EPARSE);
    assert_string_equal(cjm_error_last()->file, "(memory)");

    snprintf(path, sizeof path, "%s/absent.xml", dir);
    assert_cjm_error(cjm_xml_read_file(&m, path, NULL), CJM_EIO);
    assert_non_null(strstr(cjm_error_last()->message, "cannot open"));
    assert_cjm_error(cjm_xml_read_file(&m, dir, NULL), CJM_EIO);
    assert_non_null(strstr(cjm_error_last()->message, "directory"));
}

static void bad_arguments_are_refused(void **state)
{
    (void)state;
    cjm_map *m;
    cjm_buffer b = CJM_BUFFER_INIT;
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    cjm_xml_write_options w = CJM_XML_WRITE_OPTIONS_INIT;
    assert_cjm_error(cjm_xml_read_file(NULL, "x", NULL), CJM_EINVAL);
    assert_cjm_error(cjm_xml_read_file(&m, NULL, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_xml_read_memory(&m, NULL, 3, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_xml_read_fd(&m, -1, NULL), CJM_EINVAL);
    o.version = 99;
    assert_cjm_error(cjm_xml_read_memory(&m, "x", 1, &o), CJM_EINVAL);
    assert_cjm_error(cjm_xml_write_buffer(NULL, NULL, NULL), CJM_EINVAL);
    assert_ok(cjm_map_new(&m, NULL));
    w.version = 0;
    assert_cjm_error(cjm_xml_write_buffer(&b, m, &w), CJM_EINVAL);
    assert_cjm_error(cjm_xml_write_file(m, NULL, NULL), CJM_EINVAL);
    cjm_map_free(m);
}

/* ---- writing ---------------------------------------------------------------- */

static void the_canonical_fixture_is_written_back_byte_for_byte(void **state)
{
    (void)state;
    size_t len, flen;
    char *expected = test_read_file(test_src_path(1, "tests/fixtures/xml/canonical.xml"), &flen);
    cjm_map *m = read_fixture("canonical.xml");
    char *out = write_string(m, &len);
    assert_non_null(expected);
    assert_int_equal(len, flen);
    assert_memory_equal(out, expected, len);
    free(out);
    free(expected);
    cjm_map_free(m);
}

static void read_write_read_write_is_byte_identical(void **state)
{
    (void)state;
    size_t len1, len2;
    cjm_map *m = read_fixture("rich.xml"), *m2;
    char *first = write_string(m, &len1), *second;
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    assert_ok(cjm_xml_read_memory(&m2, first, len1, &o));
    second = write_string(m2, &len2);
    assert_int_equal(len1, len2);
    assert_memory_equal(first, second, len1);
    free(first);
    free(second);
    cjm_map_free(m);
    cjm_map_free(m2);
}

static void awkward_text_and_numbers_survive_a_round_trip(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "tab\there", "line\nbreak", "cr\r\nlf", "quotes \"double\" and 'single'",
        "a & b < c > d ]]> e", "  leading and trailing  ", "ünïcödé – 日本 – 😀", "",
    };
    static const double numbers[] = {0.1, 1e-7, 123456789012345678e3, 4.35, 1.0 / 3, 0, 2.5e-300};
    cjm_map *m, *back;
    cjm_journey *j;
    cjm_item *tp, *tr, *a;
    size_t len, len2;
    char *doc, *doc2;
    cjm_kpi kpi = {"CSAT \"x\"", 4.25, NAN, "2021-06-01T10:15:30+02:00"};

    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_set_title(m, "Title\twith\r\ncontrols & <markup>"));
    assert_ok(cjm_map_add(m, CJM_ACTOR, "a&b\"c<d>", &a));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "t", &tp));
    assert_ok(cjm_journey_add(j, CJM_TRANSITION, "tr", &tr));
    assert_ok(cjm_item_set_text(tp, CJM_ATTR_INITIATOR, "a&b\"c<d>"));
    assert_ok(cjm_item_kpi_add(tp, &kpi));
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        cjm_item *s;
        char id[16];
        snprintf(id, sizeof id, "s%zu", i);
        assert_ok(cjm_map_add(m, CJM_SITUATION, id, &s));
        assert_ok(cjm_item_set_text(s, CJM_ATTR_LABEL, texts[i]));
        assert_ok(cjm_item_set_text(s, CJM_ATTR_DESCRIPTION, texts[i]));
        assert_ok(cjm_item_list_add(tr, CJM_ATTR_SITUATIONS, id));
    }
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
        cjm_item *t;
        char id[16];
        snprintf(id, sizeof id, "n%zu", i);
        assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, id, &t));
        assert_ok(cjm_item_set_number(t, CJM_ATTR_FREQUENCY, numbers[i]));
        assert_ok(cjm_item_set_number(t, CJM_ATTR_EMOTION, -numbers[i]));
    }

    doc = write_string(m, &len);
    assert_ok(read_string(&back, doc, CJM_XML_KEEP_PROBLEMS));
    assert_string_equal(cjm_map_title(back), cjm_map_title(m));
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%zu", i);
        assert_string_equal(cjm_item_text(cjm_map_find(back, id), CJM_ATTR_LABEL), texts[i]);
        assert_string_equal(cjm_item_text(cjm_map_find(back, id), CJM_ATTR_DESCRIPTION),
                            texts[i]);
    }
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
        char id[16];
        snprintf(id, sizeof id, "n%zu", i);
        cjm_item *t = cjm_journey_find(cjm_map_journey(back, "j"), id);
        assert_true(number(t, CJM_ATTR_FREQUENCY) == numbers[i]);
        assert_true(number(t, CJM_ATTR_EMOTION) == -numbers[i]);
    }
    tp = cjm_journey_find(cjm_map_journey(back, "j"), "t");
    assert_string_equal(cjm_item_text(tp, CJM_ATTR_INITIATOR), "a&b\"c<d>");
    assert_string_equal(cjm_item_kpi_at(tp, 0)->name, "CSAT \"x\"");
    assert_string_equal(cjm_item_kpi_at(tp, 0)->date, "2021-06-01T10:15:30+02:00");
    assert_non_null(cjm_map_find(back, "a&b\"c<d>"));
    assert_int_equal(
        cjm_item_list_count(cjm_journey_find(cjm_map_journey(back, "j"), "tr"), CJM_ATTR_SITUATIONS),
        sizeof texts / sizeof *texts);
    doc2 = write_string(back, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(doc, doc2, len);
    free(doc);
    free(doc2);
    cjm_map_free(m);
    cjm_map_free(back);
}

static void the_written_form_is_exactly_as_documented(void **state)
{
    (void)state;
    cjm_map *m;
    cjm_journey *j;
    cjm_item *a, *t;
    size_t len;
    char *doc;
    assert_ok(cjm_map_new(&m, NULL));
    assert_ok(cjm_map_set_language(m, "nl"));
    assert_ok(cjm_map_add(m, CJM_ACTOR, "klant", &a));
    assert_ok(cjm_item_set_int(a, CJM_ATTR_ROLE, CJM_ROLE_CUSTOMER));
    assert_ok(cjm_map_add_journey(m, "j", &j));
    assert_ok(cjm_journey_add(j, CJM_TOUCHPOINT, "t", &t));
    assert_ok(cjm_item_set_text(t, CJM_ATTR_LABEL, "Bel"));
    assert_ok(cjm_item_set_number(t, CJM_ATTR_PERCEIVED, 2.5));
    assert_ok(cjm_item_set_text(t, CJM_ATTR_STAGE, "s"));
    assert_ok(cjm_map_add_journey(m, "empty", NULL));
    doc = write_string(m, &len);
    assert_string_equal(doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<journey-map xmlns=\"urn:cjm:journey:1\" version=\"1\" "
                             "language=\"nl\">\n"
                             "  <actor id=\"klant\" role=\"customer\"/>\n"
                             "  <journey id=\"j\" status=\"planned\">\n"
                             "    <touchpoint id=\"t\" stage=\"s\" perceived=\"2.5\">\n"
                             "      <label>Bel</label>\n"
                             "    </touchpoint>\n"
                             "  </journey>\n"
                             "  <journey id=\"empty\" status=\"planned\"/>\n"
                             "</journey-map>\n");
    free(doc);
    cjm_map_free(m);
}

static void a_written_file_replaces_the_old_one_whole(void **state)
{
    (void)state;
    const char *dir = test_scratch_dir("xml-write");
    char path[2300], *got;
    size_t len;
    cjm_map *m = read_fixture("canonical.xml");
    cjm_buffer b = CJM_BUFFER_INIT;

    snprintf(path, sizeof path, "%s/map.xml", dir);
    assert_ok(cjm_xml_write_file(m, path, NULL));
    assert_ok(cjm_xml_write_buffer(&b, m, NULL));
    got = test_read_file(path, &len);
    assert_int_equal(len, b.size);
    assert_memory_equal(got, b.data, len);
    free(got);
    cjm_buffer_free(&b);
    cjm_map_free(m);
}

static int count_entries(const char *dir)
{
    char cmd[2400];
    FILE *p;
    int n = -1;
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    p = popen(cmd, "r");
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n;
}

static void a_failed_write_leaves_the_old_file_and_no_temporary(void **state)
{
    (void)state;
    const char *dir = test_scratch_dir("xml-fail");
    char path[2400], sub[2300], *got;
    size_t len;
    cjm_map *m = read_fixture("rich.xml");

    snprintf(path, sizeof path, "%s/map.xml", dir);
    test_write_file(path, "old", 3);
    for (int step = 0; step < CJM__IO_STEP_COUNT; step++) {
        cjm__io_fail((cjm__io_step)step, 1);
        assert_cjm_error(cjm_xml_write_file(m, path, NULL), CJM_EIO);
        cjm__io_fail((cjm__io_step)step, 0);
        got = test_read_file(path, &len);
        assert_int_equal(len, 3);
        assert_memory_equal(got, "old", 3);
        free(got);
        assert_int_equal(count_entries(dir), 1);
    }

    /* a directory that cannot be written (root ignores modes, so only when not root) */
    snprintf(sub, sizeof sub, "%s/locked", dir);
    assert_int_equal(mkdir(sub, 0500), 0);
    if (geteuid() != 0) {
        snprintf(path, sizeof path, "%s/map.xml", sub);
        assert_cjm_error(cjm_xml_write_file(m, path, NULL), CJM_EIO);
        assert_non_null(strstr(cjm_error_last()->message, path));
        assert_int_equal(count_entries(sub), 0);
    }
    chmod(sub, 0700);
    /* a directory in the way is not replaced */
    assert_cjm_error(cjm_xml_write_file(m, sub, NULL), CJM_EIO);
    assert_non_null(strstr(cjm_error_last()->message, "not a regular file"));
    assert_int_equal(count_entries(dir), 2);
    snprintf(path, sizeof path, "%s/no/such/dir/map.xml", dir);
    assert_cjm_error(cjm_xml_write_file(m, path, NULL), CJM_EIO);
    cjm_map_free(m);
}

/* Keeps a written document for the schema check of tests/xml.cmake. */
static void keep_output(const char *name, const char *data, size_t len)
{
    char dir[2048], path[2400];
    snprintf(dir, sizeof dir, "%s/tests/xml-out", CJM_BINARY_DIR);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    test_write_file(path, data, len);
}

static void every_example_is_canonical_and_round_trips(void **state)
{
    (void)state;
    const char *dir = test_src_path(2, "examples");
    DIR *d = opendir(dir);
    struct dirent *e;
    int seen = 0;
    size_t len;
    cjm_map *m = read_fixture("rich.xml");
    char *out = write_string(m, &len);

    keep_output("rich.xml", out, len);
    free(out);
    cjm_map_free(m);
    if (!d) {
        print_message("no examples directory: skipping the examples\n");
        return;
    }
    while ((e = readdir(d)) != NULL) {
        char path[2400], *orig, *first, *second;
        size_t olen, len1, len2;
        cjm_map *m1, *m2;
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".xml") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        orig = test_read_file(path, &olen);
        assert_non_null(orig);
        if (cjm_xml_read_file(&m1, path, NULL) != 0)
            fail_msg("%s: %s:%d:%d: %s", e->d_name, cjm_error_last()->file,
                     cjm_error_last()->line, cjm_error_last()->column,
                     cjm_error_last()->message);
        first = write_string(m1, &len1);
        assert_ok(cjm_xml_read_memory(&m2, first, len1, NULL));
        second = write_string(m2, &len2);
        if (len1 != len2 || memcmp(first, second, len1) != 0)
            fail_msg("%s: writing what was read back does not give the same bytes", e->d_name);
        if (olen != len1 || memcmp(orig, first, len1) != 0)
            fail_msg("%s is not in canonical form: run it through the writer", e->d_name);
        keep_output(e->d_name, first, len1);
        free(orig);
        free(first);
        free(second);
        cjm_map_free(m1);
        cjm_map_free(m2);
        seen++;
    }
    closedir(d);
    print_message("%d example(s) checked\n", seen);
}

/* ---- mutations ------------------------------------------------------------------ */

static void mutated_documents_load_or_fail_with_a_location(void **state)
{
    (void)state;
    static const char noise[] = "<>&;\"'=/ \n\t\r!?-[]#x\xC3\xA4\xFF\x00";
    size_t len;
    char *orig = test_read_file(test_src_path(0, "tests/fixtures/xml/canonical.xml"), &len);
    char *doc = malloc(len + 64);
    uint32_t seed = 12345;
    int loaded = 0;
    assert_non_null(orig);
    for (int round = 0; round < 3000; round++) {
        size_t n = len, at;
        cjm_map *m;
        int rc, edits;
        memcpy(doc, orig, len);
        seed = seed * 1103515245u + 12345u;
        edits = 1 + (int)(seed >> 28) % 3;
        for (int e = 0; e < edits; e++) {
            seed = seed * 1103515245u + 12345u;
            at = (seed >> 8) % n;
            switch ((seed >> 4) % 4) {
            case 0: /* replace a byte with noise */
                doc[at] = noise[(seed >> 16) % (sizeof noise - 1)];
                break;
            case 1: /* delete a byte */
                memmove(doc + at, doc + at + 1, n - at - 1);
                n--;
                break;
            case 2: /* duplicate a byte */
                memmove(doc + at + 1, doc + at, n - at);
                n++;
                break;
            default: /* cut the end off */
                n = at;
                break;
            }
            if (n == 0)
                break;
        }
        rc = read_string_n(&m, doc, n);
        if (rc == 0) {
            loaded++;
            cjm_map_free(m);
            continue;
        }
        assert_null(m);
        if (rc != CJM_EPARSE && rc != CJM_ELIMIT && rc != CJM_EUNSUPPORTED)
            fail_msg("round %d: unexpected code %d: %s", round, rc, cjm_error_last()->message);
        if (cjm_error_last()->line < 1)
            fail_msg("round %d: '%s' has no line", round, cjm_error_last()->message);
    }
    print_message("%d of 3000 mutated documents still loaded\n", loaded);
    free(doc);
    free(orig);
}

/* ---- out of memory ------------------------------------------------------------ */

typedef struct doc_ctx {
    char *data;
    size_t len;
    cjm_map *map;
} doc_ctx;

static int read_step(const cjm_allocator *alloc, void *ctx)
{
    doc_ctx *d = ctx;
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    cjm_map *m = (cjm_map *)1;
    int rc;
    o.allocator = alloc;
    rc = cjm_xml_read_memory(&m, d->data, d->len, &o);
    if (rc == 0)
        cjm_map_free(m);
    else if (m != NULL)
        fail_msg("a failed read left a map behind");
    return rc;
}

static int write_step(const cjm_allocator *alloc, void *ctx)
{
    doc_ctx *d = ctx;
    cjm_xml_write_options o = CJM_XML_WRITE_OPTIONS_INIT;
    cjm_buffer b = CJM_BUFFER_INIT;
    int rc;
    o.allocator = alloc;
    rc = cjm_xml_write_buffer(&b, d->map, &o);
    if (rc == 0) {
        if (b.size != d->len || memcmp(b.data, d->data, d->len) != 0)
            fail_msg("the output differs after recovering from failures");
        cjm_buffer_free(&b);
    } else if (b.data) {
        fail_msg("a failed write left bytes behind");
    }
    return rc;
}

static void running_out_of_memory_fails_cleanly_while_reading_and_writing(void **state)
{
    (void)state;
    doc_ctx d;
    long runs;
    d.data = test_read_file(test_src_path(0, "tests/fixtures/xml/canonical.xml"), &d.len);
    assert_non_null(d.data);
    /* The map takes its items from a pool in chunks, so a read makes some
     * fifty allocations; test_model fails the model's blocks one by one. */
    runs = test_oom_loop(read_step, &d, 0);
    assert_true(runs > 40);
    runs = test_oom_loop(read_step, &d, 1);
    assert_true(runs > 40);
    d.map = read_fixture("canonical.xml");
    runs = test_oom_loop(write_step, &d, 1);
    assert_true(runs > 1);
    test_oom_loop(write_step, &d, 0);
    cjm_map_free(d.map);
    free(d.data);
}

/*
 * Every item knows where its start tag began, in characters: tags at every
 * alignment, after multibyte text, with '=' and '>' in their values, and
 * split over lines. The expected places are counted here the plain way.
 */
static void items_know_where_their_tags_begin(void **state)
{
    static const char *const fills[] = {"", " ", "\n", "  \n\t", "<!-- \u00e9\u65e5 -->",
                                        "\n\n   "};
    static const char *const tags[] = {
        "<touchpoint id='t%d' stage='s'/>",
        "<touchpoint id='t%d' stage='s'><label>caf\u00e9 &lt;=&gt; \u65e5\u672c</label></touchpoint>",
        "<touchpoint\n  id='t%d'\n  stage='s'/>",
        "<touchpoint id=\"t%d\" stage=\"s\"><description>a=b > c</description></touchpoint>",
    };
    char *doc = malloc(1 << 16);
    int want_line[200], want_col[200], n = 0;
    size_t len = 0;
    cjm_map *map = NULL;
    (void)state;

    assert_non_null(doc);
    len += (size_t)sprintf(doc + len, "<journey-map xmlns='urn:cjm:journey:1' version='1'>"
                                      "<journey id='j'>\n<stage id='s'/>");
    for (int k = 0; k < 120; k++) {
        int line = 1, col = 1;
        len += (size_t)sprintf(doc + len, "%s%.*s", fills[k % 6], k % 11, "           ");
        for (size_t i = 0; i < len; i++) {
            if (doc[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)doc[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        want_line[n] = line;
        want_col[n] = col;
        len += (size_t)sprintf(doc + len, tags[(k / 3) % 4], n);
        n++;
    }
    len += (size_t)sprintf(doc + len, "</journey></journey-map>\n");

    assert_int_equal(cjm_xml_read_memory(&map, doc, len, NULL), 0);
    for (int k = 0; k < n; k++) {
        char id[16];
        int line, column;
        cjm_item *it;
        snprintf(id, sizeof id, "t%d", k);
        it = cjm_journey_find(cjm_map_journey(map, "j"), id);
        assert_non_null(it);
        cjm_item_location(it, &line, &column);
        assert_int_equal(line, want_line[k]);
        assert_int_equal(column, want_col[k]);
    }
    cjm_map_free(map);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_rich_fixture_carries_every_concept),
        cmocka_unit_test(iso_durations_are_read_as_seconds_and_bad_ones_refused),
        cmocka_unit_test(foreign_namespaces_are_skipped_wherever_they_appear),
        cmocka_unit_test(problems_of_meaning_can_be_kept_for_validation),
        cmocka_unit_test(every_error_class_has_its_message_and_location),
        cmocka_unit_test(items_know_where_their_tags_begin),
        cmocka_unit_test(the_reader_refuses_what_the_schema_refuses),
        cmocka_unit_test(files_and_descriptors_name_themselves_in_errors),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(the_canonical_fixture_is_written_back_byte_for_byte),
        cmocka_unit_test(read_write_read_write_is_byte_identical),
        cmocka_unit_test(awkward_text_and_numbers_survive_a_round_trip),
        cmocka_unit_test(the_written_form_is_exactly_as_documented),
        cmocka_unit_test(every_example_is_canonical_and_round_trips),
        cmocka_unit_test(a_written_file_replaces_the_old_one_whole),
        cmocka_unit_test(a_failed_write_leaves_the_old_file_and_no_temporary),
        cmocka_unit_test(mutated_documents_load_or_fail_with_a_location),
        cmocka_unit_test(running_out_of_memory_fails_cleanly_while_reading_and_writing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
