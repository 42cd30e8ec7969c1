/* The hardened libxml2 set-up shared by the XML readers. */
#include "support.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml/xmlsafe.h"

typedef struct counts {
    int elements, ends;
    size_t text;
    int tag_line, tag_column, value_line, value_column;
} counts;

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    cjm__xml *x = ctx;
    counts *c = x->user;
    (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
    if (cjm__xml_enter(x, nb_attributes))
        return;
    c->elements++;
    if (strcmp((const char *)localname, "here") == 0) {
        cjm__xml_where_tag(x, &c->tag_line, &c->tag_column);
        if (nb_attributes > 0)
            cjm__xml_where_value(x, attributes[3], &c->value_line, &c->value_column);
    }
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri)
{
    cjm__xml *x = ctx;
    (void)localname, (void)prefix, (void)uri;
    ((counts *)x->user)->ends++;
    cjm__xml_leave(x);
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    cjm__xml *x = ctx;
    (void)ch;
    ((counts *)x->user)->text += (size_t)len;
}

static int parse(const char *doc, size_t len, const cjm__xml_limits *limits, counts *c)
{
    cjm__xml x;
    xmlSAXHandler sax;
    memset(c, 0, sizeof *c);
    cjm__xml_sax_init(&sax);
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    cjm__xml_init(&x, "t.xml", limits, c);
    return cjm__xml_parse_memory(&x, &sax, doc, len);
}

static int parse_s(const char *doc, counts *c)
{
    return parse(doc, strlen(doc), NULL, c);
}

static void assert_error_at(int line, int column, const char *needle)
{
    const cjm_error *e = cjm_error_last();
    if (!strstr(e->message, needle) || e->line != line || e->column != column)
        fail_msg("expected '%s' at %d:%d, got '%s' at %d:%d", needle, line, column, e->message,
                 e->line, e->column);
    assert_string_equal(e->file, "t.xml");
}

/* Locates every start tag both ways, the second way twice for <twice>. */
static void on_start_located(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                             const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                             int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    cjm__xml *x = ctx;
    counts *c = x->user;
    int line, column, l, k;
    (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
    if (cjm__xml_enter(x, nb_attributes))
        return;
    c->elements++;
    cjm__xml_where_tag(x, &line, &column);
    cjm__xml_where_start(x, nb_attributes > 0 ? attributes[3] : NULL, &l, &k);
    c->text += l != line || k != column;
    if (strcmp((const char *)localname, "twice") == 0) {
        cjm__xml_where_start(x, nb_attributes > 0 ? attributes[3] : NULL, &l, &k);
        c->text += l != line || k != column;
    }
}

/* A start tag is found where it begins however it is asked for: from an
 * attribute value in the parser's buffer or in a copy, from where the last
 * tag was, and again after the buffer has moved on or been refilled. */
static void start_tags_counted_on_from_the_last_are_where_they_begin(void **state)
{
    (void)state;
    cjm__buf doc;
    cjm__xml x;
    xmlSAXHandler sax;
    counts c;
    cjm__buf_init(&doc, NULL);
    assert_ok(cjm__buf_put(&doc, "<a>", 3));
    for (int i = 0; i < 6000; i++) {
        char e[200];
        int n = snprintf(e, sizeof e,
                         i % 4 == 0   ? "\n  <e id='n%d' k='v'>t\xc3\xa4xt</e>"
                         : i % 4 == 1 ? "<twice\n   id='s&#49;%d'/><e/>"
                         : i % 4 == 2 ? "\xc3\xa9<e\tid='x%d'\n\n k='\xe2\x82\xac'/>"
                                      : "<twice id='y%d'/>",
                         i);
        assert_ok(cjm__buf_put(&doc, e, (size_t)n));
    }
    assert_ok(cjm__buf_put(&doc, "</a>", 4));
    memset(&c, 0, sizeof c);
    cjm__xml_sax_init(&sax);
    sax.startElementNs = on_start_located;
    sax.endElementNs = on_end;
    cjm__xml_init(&x, "t.xml", NULL, &c);
    assert_ok(cjm__xml_parse_memory(&x, &sax, doc.data, doc.len));
    assert_int_equal(c.elements, 1 + 6000 + 1500);
    assert_int_equal(c.text, 0); /* no disagreement */
    cjm__buf_free(&doc);
}

static void a_plain_document_reaches_the_callbacks(void **state)
{
    (void)state;
    counts c;
    assert_ok(parse_s("<?xml version='1.0' encoding='UTF-8'?>\n<a x='1'>\n  <b>t&amp;x</b>"
                      "<![CDATA[<raw>]]><!-- c --><?pi x?></a>\n",
                      &c));
    assert_int_equal(c.elements, 2);
    assert_int_equal(c.ends, 2);
    assert_true(c.text >= 3 + 5);
}

static void locations_of_tags_and_values_are_exact(void **state)
{
    (void)state;
    counts c;
    assert_ok(parse_s("<a>\n  <b/>\n    <here k='v' z='värde'/></a>", &c));
    assert_int_equal(c.tag_line, 3);
    assert_int_equal(c.tag_column, 5);
    assert_int_equal(c.value_line, 3);
    assert_int_equal(c.value_column, 14);
    assert_ok(parse_s("<a>\n<here\n   k='v'\n\n  z='x'\n></here></a>", &c));
    assert_int_equal(c.tag_line, 2);
    assert_int_equal(c.tag_column, 1);
    assert_int_equal(c.value_line, 3);
    assert_int_equal(c.value_column, 7);
}

static void a_doctype_is_refused_before_the_parser_sees_it(void **state)
{
    (void)state;
    counts c;
    assert_cjm_error(parse_s("<?xml version='1.0'?>\n<!DOCTYPE lolz [\n<!ENTITY lol 'lol'>\n]>"
                             "<lolz>&lol;</lolz>",
                             &c),
                     CJM_EPARSE);
    assert_error_at(2, 1, "DTDs are not allowed");
    assert_int_equal(c.elements, 0);
}

/* "<!" that begins neither a comment nor CDATA is refused with a plain reason and its place. */
static void other_markup_declarations_are_refused_plainly(void **state)
{
    (void)state;
    counts c;
    static const char *const docs[] = {"<a>\n  <!FOO></a>", "<a>\n  <![INCLUDE[x]]></a>",
                                       "<a>\n  <!-x--></a>", "<a>\n  <!></a>",
                                       "<a>\n  <![CDATA x]]></a>"};
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        assert_cjm_error(parse_s(docs[i], &c), CJM_EPARSE);
        assert_error_at(2, 3, "must begin a comment (<!--) or a CDATA section");
    }
}

static void an_undeclared_entity_is_refused(void **state)
{
    (void)state;
    counts c;
    assert_cjm_error(parse_s("<a>\n x &ext; y</a>", &c), CJM_EPARSE);
    assert_int_equal(cjm_error_last()->line, 2);
    assert_non_null(strstr(cjm_error_last()->message, "ext"));
}

static void bad_bytes_are_refused_with_their_location(void **state)
{
    (void)state;
    counts c;
    static const char nul[] = "<a>\nab\0c</a>";
    assert_cjm_error(parse(nul, sizeof nul - 1, NULL, &c), CJM_EPARSE);
    assert_error_at(2, 3, "NUL byte");
    assert_cjm_error(parse_s("<a>\n\n  h\xC3\xA4j \xFF</a>", &c), CJM_EPARSE);
    assert_error_at(3, 7, "not valid UTF-8");
    assert_cjm_error(parse_s("<a>\xC0\xAF</a>", &c), CJM_EPARSE);
    assert_error_at(1, 4, "not valid UTF-8");
    assert_cjm_error(parse_s("<a>x\x01</a>", &c), CJM_EPARSE);
    assert_error_at(1, 5, "U+0001");
    assert_cjm_error(parse_s("<a>\xE2\x82", &c), CJM_EPARSE);
    assert_error_at(1, 4, "not valid UTF-8");
}

static void limits_are_enforced_with_clear_messages(void **state)
{
    (void)state;
    counts c;
    cjm__xml_limits lim = {100, 3, 4, 10};
    assert_ok(parse_s("<a><b><c><d/></c></b></a>", &c));
    assert_cjm_error(parse("<a><b><c><d/></c></b></a>", 25, &lim, &c), CJM_ELIMIT);
    assert_error_at(1, 10, "nested deeper than the limit of 3");
    assert_ok(parse_s("<a>\n<b p='1' q='2' r='3' s='4' t='5'/></a>", &c));
    assert_cjm_error(parse("<a>\n<b p='1' q='2' r='3' s='4' t='5'/></a>", 40, &lim, &c),
                     CJM_ELIMIT);
    assert_error_at(2, 29, "more than 4 attributes");
    assert_cjm_error(parse("<a v='0123456789x'/>", 20, &lim, &c), CJM_ELIMIT);
    assert_error_at(1, 17, "longer than the limit of 10 bytes");
    {
        char big[200];
        memset(big, ' ', sizeof big);
        memcpy(big, "<a>", 3);
        assert_cjm_error(parse(big, sizeof big, &lim, &c), CJM_ELIMIT);
        assert_non_null(strstr(cjm_error_last()->message, "larger than the limit of 100"));
    }
}

static void syntax_errors_come_from_libxml2_with_a_location(void **state)
{
    (void)state;
    counts c;
    assert_cjm_error(parse_s("<a>\n  <b></c>\n</a>", &c), CJM_EPARSE);
    assert_int_equal(cjm_error_last()->line, 2);
    assert_non_null(strstr(cjm_error_last()->message, "mismatch"));
    assert_cjm_error(parse_s("<a>\n  <b>", &c), CJM_EPARSE);
    assert_true(cjm_error_last()->line >= 2);
    assert_cjm_error(parse_s("", &c), CJM_EPARSE);
    assert_error_at(1, 1, "empty");
    assert_cjm_error(parse_s("{\"a\": 1}", &c), CJM_EPARSE);
    assert_int_equal(cjm_error_last()->line, 1);
}

/* ---- the fast path against the byte-by-byte scanner ------------------------ */

typedef struct outcome {
    int rc, line, column;
    char message[400];
    counts c;
    cjm__xml_scan scan;
} outcome;

/* Parses `doc` pushed in pieces of `piece` bytes (all at once when 0). */
static void run(const char *doc, size_t len, const cjm__xml_limits *limits, size_t piece,
                int path, outcome *o)
{
    cjm__xml x;
    xmlSAXHandler sax;
    size_t done = 0;
    memset(o, 0, sizeof *o);
    cjm__xml_sax_init(&sax);
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    cjm__xml_init(&x, "t.xml", limits, &o->c);
    x.scan.bytewise = path == 1;
    x.scan.plain_simd = path == 2;
    x.scan.tag_by_tag = path == 3;
    o->rc = cjm__xml_begin(&x, &sax);
    while (o->rc == 0) {
        size_t n = piece && len - done > piece ? piece : len - done;
        o->rc = cjm__xml_push(&x, doc + done, n, done + n == len);
        done += n;
        if (done == len)
            break;
    }
    cjm__xml_end(&x);
    o->scan = x.scan;
    if (o->rc) {
        const cjm_error *e = cjm_error_last();
        snprintf(o->message, sizeof o->message, "%s", e->message);
        o->line = e->line;
        o->column = e->column;
    }
}

static uint64_t next_random(uint64_t *r)
{
    *r ^= *r << 13;
    *r ^= *r >> 7;
    *r ^= *r << 17;
    return *r;
}

static void same_outcome(const char *doc, size_t len, const cjm__xml_limits *limits,
                         size_t piece)
{
    outcome fast, slow;
    run(doc, len, limits, piece, 1, &slow);
    /* 0: the default, 2: without AVX2, 3: each window's tags walked one by one */
    for (int path = 0; path <= 3; path += path ? 1 : 2) {
        run(doc, len, limits, piece, path, &fast);
        if (fast.rc != slow.rc || strcmp(fast.message, slow.message) != 0 ||
            fast.line != slow.line || fast.column != slow.column ||
            fast.c.elements != slow.c.elements || fast.c.text != slow.c.text ||
            (!fast.rc &&
             (fast.scan.line != slow.scan.line || fast.scan.column != slow.scan.column ||
              fast.scan.state != slow.scan.state)))
            fail_msg("fast path %d differs on a %zu-byte document (pieces of %zu): "
                     "'%s' at %d:%d against '%s' at %d:%d\n%.*s",
                     path, len, piece, fast.message, fast.line, fast.column, slow.message,
                     slow.line, slow.column, (int)(len < 2000 ? len : 2000), doc);
    }
}

static void the_fast_path_agrees_with_the_byte_by_byte_scanner(void **state)
{
    /* element content, put inside a root element many times over */
    static const char *const seeds[] = {
        "\n <trace>\n  <string key=\"concept:name\" value=\"A &amp; b\"/>\n </trace>\r\n",
        "<!-- <b x='1'> - -> --><![CDATA[ <c> ]] ]]]]><?pi <d> ?>",
        "<a x='>' y=\"'\" z=\"a>b\"><b\n k = \"v\"\n/></a>",
        "h\xC3\xA4j <b v=\"\xE2\x82\xAC\xF0\x9F\x98\x80\">\xE2\x82\xAC</b>\t\r\n",
        ("<b c=\"1\" d=\"2\" e=\"3\" f=\"4\" g=\"5\"/><c v=\"0123456789abc\"/>\n"
         "<c v=\"0123456789\"/><c v=\"0123456789a\"/><c v=\"0123456789ab\"/>"),
        "<b c=\"1\" d=\"2\" e=\"3\" f=\"4\" h=\"a value long enough for a tag past 64 bytes\"/>\n",
        "<event><string key=\"k\" value=\"v=w\"/><date key=\"t\" value=\"2020\"/></event>\n",
        /* broken on purpose */
        "<!DOCTYPE a><a/>",
        "<a><<b>></a>< a/><a/ ><>",
        "<a b=\"<\" c=\"x\"/>",
        "<c\"0123456789a\"><c\"0123456789\">",
    };
    const int valid = 7, nseeds = (int)(sizeof seeds / sizeof *seeds);
    static const char alphabet[] = "<>=\"'!?/-[]\n\r\t \x01\x80\xC3\xA4\xE2\x82\xAC"
                                   "axDC";
    uint64_t r = 0x9E3779B97F4A7C15ULL;
    char doc[30000];
    (void)state;
    for (int round = 0; round < 6000; round++) {
        int big = round % 5 == 0, repeat = big ? 250 : 1 + round % 3;
        const char *seed = seeds[round % (big ? valid : nseeds)];
        size_t len = 0, piece;
        int edits = (int)(next_random(&r) % (big ? 2 : 4));
        cjm__xml_limits small = {0, 5, 4, 10}, few = {0, 64, 4, 0}, roomy = {0, 5, 8, 60};
        const cjm__xml_limits *limits = round % 3 == 0   ? (big ? &roomy : &small)
                                        : round % 3 == 1 ? &few
                                                         : NULL;
        /* long documents cross the fast path's windows */
        static const char head[] = "<?xml version='1.0'?>\n<r>";
        memcpy(doc, head, sizeof head - 1);
        len = sizeof head - 1;
        for (int k = 0; k < repeat; k++) {
            const char *part = k % 7 == 6 ? seeds[(round + k) % valid] : seed;
            size_t n = strlen(part);
            memcpy(doc + len, part, n);
            len += n;
        }
        memcpy(doc + len, "</r>\n", 5);
        len += 5;
        for (int e = 0; e < edits; e++) {
            size_t at = (size_t)(next_random(&r) % (len + 1));
            char ch = alphabet[next_random(&r) % (sizeof alphabet - 1)];
            switch (next_random(&r) % 3) {
            case 0: /* replace */
                if (at < len)
                    doc[at] = ch;
                break;
            case 1: /* insert */
                memmove(doc + at + 1, doc + at, len - at);
                doc[at] = ch;
                len++;
                break;
            default: /* delete */
                if (at < len) {
                    memmove(doc + at, doc + at + 1, len - at - 1);
                    len--;
                }
                break;
            }
        }
        piece = round % 4 == 0 ? 0 : (size_t)(next_random(&r) % 97 + 1);
        if (round % 7 == 0)
            piece = 4093;
        same_outcome(doc, len, limits, piece);
    }
    /* start tags past 64 bytes that the fast path must hand over: a single
     * quote, and a '>' inside a value (an odd number of quotes before it) */
    static const char *const long_tags[] = {
        "<r><b c=\"1\" h=\"a value long enough for a tag past sixty-four bytes\" q='x'/></r>",
        "<r><b c=\"1\" h=\"a value long enough for a tag past sixty-four bytes > still\"/></r>",
    };
    for (size_t k = 0; k < sizeof long_tags / sizeof *long_tags; k++)
        same_outcome(long_tags[k], strlen(long_tags[k]), NULL, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_plain_document_reaches_the_callbacks),
        cmocka_unit_test(locations_of_tags_and_values_are_exact),
        cmocka_unit_test(start_tags_counted_on_from_the_last_are_where_they_begin),
        cmocka_unit_test(a_doctype_is_refused_before_the_parser_sees_it),
        cmocka_unit_test(an_undeclared_entity_is_refused),
        cmocka_unit_test(other_markup_declarations_are_refused_plainly),
        cmocka_unit_test(bad_bytes_are_refused_with_their_location),
        cmocka_unit_test(limits_are_enforced_with_clear_messages),
        cmocka_unit_test(syntax_errors_come_from_libxml2_with_a_location),
        cmocka_unit_test(the_fast_path_agrees_with_the_byte_by_byte_scanner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
