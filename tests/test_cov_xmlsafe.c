/*
 * The hardened libxml2 set-up's second line and its own checks: the DTD,
 * entity and external-resource refusals and the error handler, called
 * straight from the handler table that cjm__xml_sax_init() fills (the
 * raw-byte scanner refuses a DOCTYPE before libxml2 would ever call them),
 * both on a guard that has no parser and from inside a running parse; the
 * location helpers on pointers that are not in the parser's buffer; and
 * the guard's refusals of misuse (a push before begin, a read that fails).
 */
#include "support.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlerror.h>

#include "xml/xmlsafe.h"

static void assert_error(int code, int line, int column, const char *file, const char *needle)
{
    const cjm_error *e = cjm_error_last();
    if (e->code != code || !strstr(e->message, needle) || e->line != line ||
        e->column != column || strcmp(e->file, file) != 0)
        fail_msg("expected %d '%s' at %s:%d:%d, got %d '%s' at %s:%d:%d", code, needle, file,
                 line, column, e->code, e->message, e->file, e->line, e->column);
}

/* Every refusal in the table, each on a fresh guard with no parser. */
static void each_dtd_callback_refuses_with_its_reason(void **state)
{
    (void)state;
    xmlSAXHandler sax;
    cjm__xml x;
    static const char *const reasons[] = {
        "a document type declaration", "a document type declaration", "an entity declaration",
        "a notation declaration",      "an attribute declaration",    "an element declaration",
        "an entity declaration",       "a parameter entity",          "an external entity"};
    const xmlChar *n = (const xmlChar *)"n", *s = (const xmlChar *)"s.dtd";

    cjm__xml_sax_init(&sax);
    assert_int_equal(sax.initialized, XML_SAX2_MAGIC);
    assert_null(sax.startElementNs);
    assert_null(sax.characters);
    for (size_t i = 0; i < sizeof reasons / sizeof *reasons; i++) {
        char want[80];
        cjm__xml_init(&x, "d.xml", NULL, NULL);
        switch (i) {
        case 0: sax.internalSubset(&x, n, NULL, s); break;
        case 1: sax.externalSubset(&x, n, NULL, s); break;
        case 2: sax.entityDecl(&x, n, XML_INTERNAL_GENERAL_ENTITY, NULL, NULL, (xmlChar *)"v"); break;
        case 3: sax.notationDecl(&x, n, NULL, s); break;
        case 4: /* the callback owns the enumeration and frees it */
            sax.attributeDecl(&x, n, n, XML_ATTRIBUTE_ENUMERATION, XML_ATTRIBUTE_NONE, NULL,
                              xmlCreateEnumeration((const xmlChar *)"yes"));
            break;
        case 5: sax.elementDecl(&x, n, XML_ELEMENT_TYPE_ANY, NULL); break;
        case 6: sax.unparsedEntityDecl(&x, n, NULL, s, n); break;
        case 7: assert_null(sax.getParameterEntity(&x, n)); break;
        default: assert_null(sax.resolveEntity(&x, NULL, s)); break;
        }
        snprintf(want, sizeof want, "DTDs are not allowed (%s)", reasons[i]);
        assert_int_equal(x.failed, CJM_EPARSE);
        assert_error(CJM_EPARSE, 0, 0, "d.xml", want);
    }

    /* only the first problem is recorded */
    cjm__xml_init(&x, NULL, NULL, NULL);
    assert_string_equal(x.file, "");
    sax.notationDecl(&x, n, NULL, s);
    sax.elementDecl(&x, n, XML_ELEMENT_TYPE_ANY, NULL);
    assert_error(CJM_EPARSE, 0, 0, "", "(a notation declaration)");
    assert_int_equal(cjm__xml_fail(&x, CJM_ELIMIT, "later"), CJM_EPARSE);
    assert_int_equal(cjm__xml_enter(&x, 0), CJM_EPARSE);
    assert_int_equal(x.depth, 0);
    assert_error(CJM_EPARSE, 0, 0, "", "(a notation declaration)");
}

static void entity_lookups_pass_the_predefined_five_only(void **state)
{
    (void)state;
    xmlSAXHandler sax;
    cjm__xml x;
    static const char *const ok[] = {"amp", "lt", "gt", "quot", "apos"};
    xmlEntityPtr e;

    cjm__xml_sax_init(&sax);
    cjm__xml_init(&x, "e.xml", NULL, NULL);
    for (size_t i = 0; i < 5; i++) {
        e = sax.getEntity(&x, (const xmlChar *)ok[i]);
        assert_non_null(e);
        assert_int_equal(e->etype, XML_INTERNAL_PREDEFINED_ENTITY);
    }
    assert_int_equal(x.failed, 0);
    assert_null(sax.getEntity(&x, (const xmlChar *)"ext"));
    assert_error(CJM_EPARSE, 0, 0, "e.xml", "entity reference '&ext;' is not allowed");

    cjm__xml_init(&x, "e.xml", NULL, NULL);
    sax.reference(&x, (const xmlChar *)"copy");
    assert_error(CJM_EPARSE, 0, 0, "e.xml", "'&copy;'");
    cjm__xml_init(&x, "e.xml", NULL, NULL);
    sax.reference(&x, (const xmlChar *)"amp");
    assert_int_equal(x.failed, 0);
}

static void the_error_handler_keeps_errors_and_ignores_warnings(void **state)
{
    (void)state;
    xmlSAXHandler sax;
    cjm__xml x;
    xmlError e;

    cjm__xml_sax_init(&sax);
    cjm__xml_init(&x, "h.xml", NULL, NULL);
    memset(&e, 0, sizeof e);

    /* nothing to record */
    sax.serror(NULL, &e);
    sax.serror(&x, NULL);
    e.level = XML_ERR_WARNING;
    e.message = "xmlns: URI x is not absolute\n";
    sax.serror(&x, &e);
    assert_int_equal(x.failed, 0);

    /* no message, no position: a plain reason at 1:1 */
    e.level = XML_ERR_ERROR;
    e.message = NULL;
    sax.serror(&x, &e);
    assert_error(CJM_EPARSE, 1, 1, "h.xml", "malformed XML");

    /* the message's trailing line feed and spaces are dropped; the position is kept */
    cjm__xml_init(&x, "h.xml", NULL, NULL);
    e.level = XML_ERR_FATAL;
    e.code = XML_ERR_NAME_REQUIRED;
    e.message = "StartTag: invalid element name\n  ";
    e.line = 3;
    e.int2 = 9;
    sax.serror(&x, &e);
    assert_error(CJM_EPARSE, 3, 9, "h.xml", "StartTag: invalid element name");
    assert_int_equal(strlen(cjm_error_last()->message), strlen("StartTag: invalid element name"));
    /* the first error stays */
    e.message = "another";
    sax.serror(&x, &e);
    assert_error(CJM_EPARSE, 3, 9, "h.xml", "invalid element name");

    /* a message of blanks only is trimmed to nothing; the error still counts */
    cjm__xml_init(&x, "h.xml", NULL, NULL);
    e.message = "\n \n";
    sax.serror(&x, &e);
    assert_int_equal(x.failed, CJM_EPARSE);
    assert_int_equal(cjm_error_last()->line, 3);
    assert_int_equal(cjm_error_last()->column, 9);

    /* the plain reasons for an empty or truncated document */
    cjm__xml_init(&x, "h.xml", NULL, NULL);
    e.code = XML_ERR_DOCUMENT_EMPTY;
    e.message = "Document is empty\n";
    sax.serror(&x, &e);
    assert_error(CJM_EPARSE, 3, 9, "h.xml", "the document is empty");
    cjm__xml_init(&x, "h.xml", NULL, NULL);
    x.scan.content = 1;
    sax.serror(&x, &e);
    assert_error(CJM_EPARSE, 3, 9, "h.xml", "not an XML document");
    cjm__xml_init(&x, "h.xml", NULL, NULL);
    e.code = XML_ERR_DOCUMENT_END;
    e.message = "Extra content at the end of the document\n";
    sax.serror(&x, &e);
    assert_error(CJM_EPARSE, 3, 9, "h.xml", "the document is empty: it has no element");
    /* elements seen, but no parser to name the open one: libxml2's words */
    cjm__xml_init(&x, "h.xml", NULL, NULL);
    x.elements = 2;
    sax.serror(&x, &e);
    assert_error(CJM_EPARSE, 3, 9, "h.xml", "Extra content at the end of the document");
}

static void locations_without_a_parser_are_zero(void **state)
{
    (void)state;
    cjm__xml x;
    int line = 7, column = 7;
    const xmlChar text[] = "ab\ncd";

    cjm__xml_init(&x, "w.xml", NULL, NULL);
    cjm__xml_where(&x, &line, &column);
    assert_int_equal(line, 0);
    assert_int_equal(column, 0);
    line = column = 7;
    cjm__xml_where_tag(&x, &line, &column);
    assert_int_equal(line + column, 0);
    line = column = 7;
    cjm__xml_where_text(&x, text, 5, 1, &line, &column);
    assert_int_equal(line + column, 0);
    line = column = 7;
    cjm__xml_where_value(&x, text, &line, &column);
    assert_int_equal(line + column, 0);
    assert_int_equal(cjm__xml_fail_at(&x, CJM_ELIMIT, 0, 0, "no place"), CJM_ELIMIT);
    assert_error(CJM_ELIMIT, 0, 0, "w.xml", "no place");

    /* the limits, checked by a start-element callback, with no parser to say where */
    cjm__xml_init(&x, "w.xml", NULL, NULL);
    assert_int_equal(cjm__xml_enter(&x, CJM__XML_DEFAULT_MAX_ATTRS), 0);
    assert_int_equal(cjm__xml_enter(&x, CJM__XML_DEFAULT_MAX_ATTRS + 1), CJM_ELIMIT);
    assert_error(CJM_ELIMIT, 0, 0, "w.xml", "an element has more than 256 attributes");
    cjm__xml_init(&x, "w.xml", NULL, NULL);
    x.depth = CJM__XML_DEFAULT_MAX_DEPTH;
    assert_int_equal(cjm__xml_enter(&x, 0), CJM_ELIMIT);
    assert_error(CJM_ELIMIT, 0, 0, "w.xml", "nested deeper than the limit of 64");
}

/* ---- from inside a parse ------------------------------------------------------ */

typedef struct probe {
    xmlSAXHandler *sax;
    int which; /* what the start-element callback does when it meets <here> */
    int line, column, line2, column2;
    int wline, wcolumn; /* the parser's position when it met <here> */
    int after; /* start tags seen after it */
} probe;

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    cjm__xml *x = ctx;
    probe *p = x->user;
    static const xmlChar outside[] = "x\ny=\"v\"";
    (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
    (void)attributes;
    if (cjm__xml_enter(x, nb_attributes))
        return;
    if (strcmp((const char *)localname, "here") != 0) {
        p->after += p->which >= 0 && p->line > 0;
        return;
    }
    cjm__xml_where(x, &p->wline, &p->wcolumn);
    switch (p->which) {
    case 0: p->sax->internalSubset(x, localname, NULL, NULL); break;
    case 1: p->sax->getEntity(x, (const xmlChar *)"nbsp"); break;
    case 2: p->sax->getParameterEntity(x, (const xmlChar *)"pe"); break;
    case 3:
        /* a value and a text that are not in the parser's buffer */
        cjm__xml_where_value(x, outside + 2, &p->line, &p->column);
        cjm__xml_where_text(x, outside, 7, 1, &p->line2, &p->column2);
        return;
    case 4:
        cjm__xml_where_text(x, outside, 7, -1, &p->line, &p->column);
        cjm__xml_where_text(x, outside, 7, 8, &p->line2, &p->column2);
        return;
    case 5:
        /* no value, and a pointer past the parser's cursor */
        cjm__xml_where_value(x, NULL, &p->line, &p->column);
        cjm__xml_where_value(x, x->ctxt->input->cur + 1, &p->line2, &p->column2);
        return;
    case 6: p->sax->getEntity(x, NULL); break;
    case 7:
        /* a name longer than what the parser has read */
        p->sax->getEntity(x, (const xmlChar *)"a-name-longer-than-the-document-so-far");
        break;
    default: return;
    }
    p->line = cjm_error_last()->line;
    p->column = cjm_error_last()->column;
}

/* Where the 'y' of a text "xy..." is. */
static void on_text(void *ctx, const xmlChar *ch, int len)
{
    cjm__xml *x = ctx;
    probe *p = x->user;
    if (len >= 2 && ch[0] == 'x' && ch[1] == 'y')
        cjm__xml_where_text(x, ch, len, 1, &p->line, &p->column);
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri)
{
    (void)localname, (void)prefix, (void)uri;
    cjm__xml_leave(ctx);
}

static int parse_with(probe *p, const char *doc)
{
    xmlSAXHandler sax;
    cjm__xml x;
    cjm__xml_sax_init(&sax);
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    p->sax = &sax;
    p->line = p->column = p->line2 = p->column2 = p->after = 0;
    cjm__xml_init(&x, "p.xml", NULL, p);
    return cjm__xml_parse_memory(&x, &sax, doc, strlen(doc));
}

/* The error is recorded where the parser stands, in the tag on line 2, columns 3 to 10. */
static void assert_in_the_tag(const probe *p, const char *needle)
{
    assert_int_equal(p->wline, 2);
    assert_in_range(p->wcolumn, 3, 10);
    assert_error(CJM_EPARSE, p->wline, p->wcolumn, "p.xml", needle);
    assert_int_equal(p->after, 0); /* nothing after the refusal reached the callbacks */
}

static void a_refusal_inside_a_parse_stops_it_where_the_parser_stands(void **state)
{
    (void)state;
    static const char doc[] = "<a>\n  <here/>\n  <b/><c/>\n</a>";
    probe p;

    memset(&p, 0, sizeof p);
    p.which = 0;
    assert_cjm_error(parse_with(&p, doc), CJM_EPARSE);
    assert_in_the_tag(&p, "DTDs are not allowed (a document type declaration)");

    /* the parser does not stand just after "&nbsp;": its own position */
    p.which = 1;
    assert_cjm_error(parse_with(&p, doc), CJM_EPARSE);
    assert_in_the_tag(&p, "entity reference '&nbsp;' is not allowed");

    p.which = 2;
    assert_cjm_error(parse_with(&p, doc), CJM_EPARSE);
    assert_in_the_tag(&p, "(a parameter entity)");

    p.which = 6;
    assert_cjm_error(parse_with(&p, doc), CJM_EPARSE);
    assert_in_the_tag(&p, "entity reference '&;' is not allowed");

    p.which = 7;
    assert_cjm_error(parse_with(&p, doc), CJM_EPARSE);
    assert_in_the_tag(&p, "'&a-name-longer-than-the-document-so-far;'");
}

static void locations_of_pointers_outside_the_buffer_fall_back(void **state)
{
    (void)state;
    static const char doc[] = "<a>\n  <here k='v'/>\n</a>";
    probe p;

    memset(&p, 0, sizeof p);
    p.which = 3;
    assert_ok(parse_with(&p, doc));
    /* a value not in the buffer: where its tag is */
    assert_int_equal(p.line, 2);
    assert_int_equal(p.column, 3);
    /* a text not in the buffer, with a line feed after the offset: its line, no column */
    assert_int_equal(p.line2, 1);
    assert_int_equal(p.column2, 0);

    /* no value, or one past the cursor: where the tag is */
    p.which = 5;
    assert_ok(parse_with(&p, doc));
    assert_int_equal(p.line, 2);
    assert_int_equal(p.column, 3);
    assert_int_equal(p.line2, 2);
    assert_int_equal(p.column2, 3);

    /* a text whose line began before it, in the parser's buffer */
    p.which = -1;
    assert_ok(parse_with(&p, "<a>\n<i/>xy\nz</a>"));
    assert_int_equal(p.line, 2);
    assert_int_equal(p.column, 6);

    /* an offset outside the text: the parser's position */
    p.which = 4;
    assert_ok(parse_with(&p, doc));
    assert_int_equal(p.wline, 2);
    assert_int_equal(p.line, p.wline);
    assert_int_equal(p.column, p.wcolumn);
    assert_int_equal(p.line2, p.wline);
    assert_int_equal(p.column2, p.wcolumn);
}

static void misuse_of_the_guard_is_refused(void **state)
{
    (void)state;
    xmlSAXHandler sax;
    cjm__xml x;
    cjm__xml_limits odd = {0, -1, -5, 0};
    int fd;

    cjm__xml_init(&x, "m.xml", &odd, NULL);
    assert_int_equal(x.limits.max_size, CJM__XML_DEFAULT_MAX_SIZE);
    assert_int_equal(x.limits.max_depth, CJM__XML_DEFAULT_MAX_DEPTH);
    assert_int_equal(x.limits.max_attrs, CJM__XML_DEFAULT_MAX_ATTRS);
    assert_int_equal(x.limits.max_value, CJM__XML_DEFAULT_MAX_VALUE);
    cjm__xml_leave(&x);
    assert_int_equal(x.depth, 0);

    /* a push before begin */
    assert_cjm_error(cjm__xml_push(&x, "<a/>", 4, 1), CJM_EINVAL);
    assert_non_null(strstr(cjm_error_last()->message, "not started"));
    assert_int_equal(x.failed, 0);

    /* after a failure, pushes answer the first error and end can be called twice */
    cjm__xml_sax_init(&sax);
    assert_ok(cjm__xml_begin(&x, &sax));
    assert_cjm_error(cjm__xml_push(&x, "<a>\x01", 4, 0), CJM_EPARSE);
    assert_int_equal(cjm__xml_push(&x, "</a>", 4, 1), CJM_EPARSE);
    assert_error(CJM_EPARSE, 1, 4, "m.xml", "U+0001");
    cjm__xml_end(&x);
    cjm__xml_end(&x);
    assert_null(x.ctxt);

    /* a descriptor that cannot be read: the input's name, or "input" without one, and
     * the parser's position, the start */
    cjm__xml_init(&x, "m.xml", NULL, NULL);
    fd = open("/", O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    assert_cjm_error(cjm__xml_parse_fd(&x, &sax, fd), CJM_EIO);
    assert_error(CJM_EIO, 1, 1, "m.xml", "m.xml: read failed: Is a directory");
    cjm__xml_init(&x, NULL, NULL, NULL);
    assert_cjm_error(cjm__xml_parse_fd(&x, &sax, fd), CJM_EIO);
    assert_error(CJM_EIO, 1, 1, "", "input: read failed");
    close(fd);
    assert_null(x.ctxt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_dtd_callback_refuses_with_its_reason),
        cmocka_unit_test(entity_lookups_pass_the_predefined_five_only),
        cmocka_unit_test(the_error_handler_keeps_errors_and_ignores_warnings),
        cmocka_unit_test(locations_without_a_parser_are_zero),
        cmocka_unit_test(a_refusal_inside_a_parse_stops_it_where_the_parser_stands),
        cmocka_unit_test(locations_of_pointers_outside_the_buffer_fall_back),
        cmocka_unit_test(misuse_of_the_guard_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
