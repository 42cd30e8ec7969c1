/*
 * The hardened libxml2 set-up's second line and its own checks: the DTD,
 * entity and external-resource refusals and the error handler, called
 * straight from the handler table that cjm__xml_sax_init() fills (the
 * raw-byte scanner refuses a DOCTYPE before libxml2 would ever call them),
 * both on a guard that has no parser and from inside a running parse; the
 * location helpers on pointers that are not in the parser's buffer, on
 * text the parser copied and on the first line; the guard's refusals of
 * misuse (a push before begin, a read that fails); limits met inside a
 * character or above what the fast path counts; and what libxml2 may do
 * to the guard: fail to allocate its parser, flag an error it did not
 * report, and a read interrupted by a signal.
 */
#define _GNU_SOURCE /* syscall(SYS_gettid) */
#include "support.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>

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
    cjm__xml_init(&x, "h.xml", NULL, NULL);
    x.elements = 1;
    e.code = XML_ERR_TAG_NOT_FINISHED;
    e.message = "Premature end of data in tag a line 1\n";
    sax.serror(&x, &e);
    assert_error(CJM_EPARSE, 3, 9, "h.xml", "Premature end of data in tag a line 1");

    /* a code libxml2 has no words for: its number */
    cjm__xml_init(&x, "h.xml", NULL, NULL);
    e.code = XML_ERR_INVALID_ENCODING;
    e.message = "Unregistered error message\n";
    sax.serror(&x, &e);
    assert_error(CJM_EPARSE, 3, 9, "h.xml", "the XML is not well-formed (libxml2 error 81)");
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

/* ---- locations the parser cannot give exactly ------------------------------------ */

/* What the location helpers say from the characters callback of one text. */
typedef struct spot {
    const char *lead;           /* the text looked at: the first one that starts so */
    int offset;                 /* the byte of it asked about */
    int text_line, text_column; /* cjm__xml_where_text() */
    int tag_line, tag_column;   /* cjm__xml_where_tag() */
    int line, column;           /* cjm__xml_where() */
    int seen;
} spot;

static void spot_text(void *ctx, const xmlChar *ch, int len)
{
    cjm__xml *x = ctx;
    spot *s = x->user;
    size_t n = strlen(s->lead);
    if (s->seen || (size_t)len < n || memcmp(ch, s->lead, n) != 0)
        return;
    s->seen = 1;
    cjm__xml_where_text(x, ch, len, s->offset, &s->text_line, &s->text_column);
    cjm__xml_where_tag(x, &s->tag_line, &s->tag_column);
    cjm__xml_where(x, &s->line, &s->column);
}

static void spot_in(spot *s, const char *doc, const char *lead, int offset)
{
    xmlSAXHandler sax;
    cjm__xml x;
    memset(s, 0, sizeof *s);
    s->lead = lead;
    s->offset = offset;
    cjm__xml_sax_init(&sax);
    sax.characters = spot_text;
    cjm__xml_init(&x, "s.xml", NULL, s);
    assert_ok(cjm__xml_parse_memory(&x, &sax, doc, strlen(doc)));
    assert_true(s->seen);
}

static const char map_root[] = "<journey-map xmlns=\"urn:cjm:journey:1\" version=\"1\"";

/* Reads `root` `rest` as a Journey XML named "t.xml"; returns the code, and checks
 * that a failed read hands back no map. */
static int read_map(const char *rest, size_t max_text)
{
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    cjm_map *m = (cjm_map *)&o;
    char doc[600];
    int rc;
    snprintf(doc, sizeof doc, "%s%s", map_root, rest);
    o.max_text = max_text;
    o.name = "t.xml";
    rc = cjm_xml_read_memory(&m, doc, strlen(doc), &o);
    if (rc < 0)
        assert_null(m);
    cjm_map_free(m);
    return rc;
}

/*
 * A text holding a line feed after the byte asked about has its column
 * counted back to the line feed before it, or to the start of the document
 * on the first line (after a byte order mark, which has no column). When
 * the line began in bytes the parser's buffer has let go of, or the text is
 * a copy the parser made (text with characters above ASCII), the line is
 * known and the column is not: 0.
 */
static void text_whose_line_began_out_of_sight_has_no_column(void **state)
{
    spot s;
    size_t n = 3 + 50000 * 4;
    char *big = malloc(n + 16);
    (void)state;
    spot_in(&s, "<a>xy\nz</a>", "xy", 1);
    assert_int_equal(s.text_line, 1);
    assert_int_equal(s.text_column, 5);
    spot_in(&s, "\xEF\xBB\xBF<a>xy\nz</a>", "xy", 1);
    assert_int_equal(s.text_line, 1);
    assert_int_equal(s.text_column, 5);
    /* a first line of 200,000 bytes: the buffer has let go of its start */
    assert_non_null(big);
    memcpy(big, "<a>", 3);
    for (size_t i = 3; i < n; i += 4)
        memcpy(big + i, "<b/>", 4);
    memcpy(big + n, "xy\nz</a>", 9);
    spot_in(&s, big, "xy", 1);
    free(big);
    assert_int_equal(s.text_line, 1);
    assert_int_equal(s.text_column, 0);
    spot_in(&s, "<a>\n<b/>xy\nz</a>", "xy", 1);
    assert_int_equal(s.text_line, 2);
    assert_int_equal(s.text_column, 6);
    spot_in(&s, "<a>\n\xC3\xA9y\nz</a>", "\xC3\xA9", 2);
    assert_int_equal(s.text_line, 2);
    assert_int_equal(s.text_column, 0);

    /* the same through the reader, which refuses text outside <label> and <description> */
    assert_cjm_error(read_map(">oops\n</journey-map>", 0), CJM_EPARSE);
    assert_error(CJM_EPARSE, 1, 52, "t.xml", "text is not allowed in <journey-map>");
    assert_cjm_error(read_map(">\n  \xC3\xA9t\xC3\xA9\n</journey-map>", 0), CJM_EPARSE);
    assert_error(CJM_EPARSE, 2, 0, "t.xml", "text is not allowed in <journey-map>");
    assert_cjm_error(read_map(">\n  oops\n</journey-map>", 0), CJM_EPARSE);
    assert_error(CJM_EPARSE, 2, 3, "t.xml", "text is not allowed in <journey-map>");
}

/* Where the tag and its value are, asked before and after the parse is stopped. */
typedef struct stopped {
    int tag[2], value[2], where[2];            /* before */
    int tag_after[2], value_after[2], where_after[2];
} stopped;

static void stop_in_tag(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                        const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                        int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    cjm__xml *x = ctx;
    stopped *st = x->user;
    (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
    if (cjm__xml_enter(x, nb_attributes) || strcmp((const char *)localname, "here") != 0)
        return;
    cjm__xml_where_tag(x, &st->tag[0], &st->tag[1]);
    cjm__xml_where_value(x, attributes[3], &st->value[0], &st->value[1]);
    cjm__xml_where(x, &st->where[0], &st->where[1]);
    cjm__xml_fail(x, CJM_ERROR, "stopped");
    cjm__xml_where_tag(x, &st->tag_after[0], &st->tag_after[1]);
    cjm__xml_where_value(x, attributes[3], &st->value_after[0], &st->value_after[1]);
    cjm__xml_where(x, &st->where_after[0], &st->where_after[1]);
}

/*
 * A stopped parser has emptied its buffer: asked from the same callback
 * after a failure, the location helpers find neither the tag nor the
 * value there and answer the parser's position.
 */
static void locations_after_a_stop_are_the_parsers_position(void **state)
{
    static const char doc[] = "<a>\n  <here k='v'/>\n</a>";
    xmlSAXHandler sax;
    cjm__xml x;
    stopped st;
    (void)state;
    memset(&st, 0, sizeof st);
    cjm__xml_sax_init(&sax);
    sax.startElementNs = stop_in_tag;
    cjm__xml_init(&x, "s.xml", NULL, &st);
    assert_cjm_error(cjm__xml_parse_memory(&x, &sax, doc, strlen(doc)), CJM_ERROR);
    /* the parser stands before the "/>" */
    assert_error(CJM_ERROR, 2, 14, "s.xml", "stopped");
    assert_int_equal(st.tag[0], 2);
    assert_int_equal(st.tag[1], 3);
    assert_int_equal(st.value[0], 2);
    assert_int_equal(st.value[1], 12);
    assert_int_equal(st.where[0], 2);
    assert_int_equal(st.where[1], 14);
    assert_memory_equal(st.where_after, st.where, sizeof st.where);
    assert_memory_equal(st.tag_after, st.where, sizeof st.where);
    assert_memory_equal(st.value_after, st.where, sizeof st.where);
}

/* ---- limits ------------------------------------------------------------------------ */

static int parse_limited(const char *doc, size_t len, const cjm__xml_limits *limits, int path,
                         probe *p)
{
    xmlSAXHandler sax;
    cjm__xml x;
    cjm__xml_sax_init(&sax);
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    p->sax = &sax;
    p->which = -1;
    cjm__xml_init(&x, "p.xml", limits, p);
    x.scan.bytewise = path == 1;
    x.scan.plain_simd = path == 2;
    return cjm__xml_parse_memory(&x, &sax, doc, len);
}

/* The byte past the limit is in the middle of a character: the error is at the character. */
static void a_value_made_too_long_inside_a_character_is_refused_at_it(void **state)
{
    static const struct {
        const char *doc;
        int column;
    } cases[] = {
        {"<a k='abc\xC3\xA9'/>", 10},        /* at its second byte */
        {"<a k='ab\xE2\x80\xA6'/>", 9},      /* at its third */
        {"<a k='a\xF0\x9F\x98\x80'/>", 8},   /* at its fourth */
        {"<a k='abcd\xC3\xA9'/>", 11},       /* at its first */
        {"<a k='abcde'/>", 11},              /* ASCII */
    };
    cjm__xml_limits four = {0, 0, 0, 4};
    probe p;
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (int path = 0; path <= 2; path++) {
            memset(&p, 0, sizeof p);
            assert_cjm_error(parse_limited(cases[i].doc, strlen(cases[i].doc), &four, path, &p),
                             CJM_ELIMIT);
            assert_error(CJM_ELIMIT, 1, cases[i].column, "p.xml",
                         "an attribute value is longer than the limit of 4 bytes");
        }
    /* through the reader: the namespace's 17 bytes fit in 19; the language's value starts
     * at column 62 */
    assert_cjm_error(read_map(" language=\"abcdefghijklmnopqr\xC3\xA9\"/>", 19), CJM_ELIMIT);
    assert_error(CJM_ELIMIT, 1, 80, "t.xml", "longer than the limit of 19 bytes");
    assert_cjm_error(read_map(" language=\"abcdefghijklmnopq\xE2\x80\xA6\"/>", 19), CJM_ELIMIT);
    assert_error(CJM_ELIMIT, 1, 79, "t.xml", "longer than the limit of 19 bytes");
    assert_cjm_error(read_map(" language=\"abcdefghijklmnopqrst\"/>", 19), CJM_ELIMIT);
    assert_error(CJM_ELIMIT, 1, 81, "t.xml", "longer than the limit of 19 bytes");
}

static int most_attributes;

static void count_attributes(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                             const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                             int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    (void)localname, (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces;
    (void)nb_defaulted, (void)attributes;
    if (cjm__xml_enter(ctx, nb_attributes) == 0 && nb_attributes > most_attributes)
        most_attributes = nb_attributes;
}

/*
 * A limit of attributes above what a window of the fast path can hold (4096
 * bytes): the window's '=' are not counted, and the byte-by-byte count still
 * stops the tag with one attribute too many, at its '='.
 */
static void an_attribute_limit_above_a_window_is_kept(void **state)
{
    const int limit = 4100;
    cjm__xml_limits lim = {0, 0, limit, 0};
    size_t cap = 300 * 12 + (size_t)(limit + 1) * 10 + 64, len;
    char *doc = malloc(cap);
    (void)state;
    assert_non_null(doc);
    for (int n = limit; n <= limit + 1; n++) {
        len = (size_t)sprintf(doc, "<r>\n");
        for (int i = 0; i < 300; i++)
            len += (size_t)sprintf(doc + len, "<e a=\"1\"/>\n"); /* lines 2 to 301 */
        len += (size_t)sprintf(doc + len, "<big");
        for (int i = 0; i < n; i++)
            len += (size_t)sprintf(doc + len, " a%04d=\"v\"", i);
        len += (size_t)sprintf(doc + len, "/>\n</r>\n");
        for (int path = 0; path <= 2; path += 2) {
            xmlSAXHandler sax;
            cjm__xml x;
            int rc;
            cjm__xml_sax_init(&sax);
            sax.startElementNs = count_attributes;
            sax.endElementNs = on_end;
            cjm__xml_init(&x, "w.xml", &lim, NULL);
            x.scan.plain_simd = path == 2;
            most_attributes = 0;
            rc = cjm__xml_parse_memory(&x, &sax, doc, len);
            if (n == limit) {
                assert_ok(rc);
                assert_int_equal(x.elements, 302);
                assert_int_equal(most_attributes, limit);
            } else {
                assert_cjm_error(rc, CJM_ELIMIT);
                /* "<big" then ten bytes an attribute, its '=' the seventh */
                assert_error(CJM_ELIMIT, 302, 4 + limit * 10 + 7, "w.xml",
                             "an element has more than 4100 attributes");
            }
        }
    }
    free(doc);
}

/* ---- what libxml2 may do ------------------------------------------------------------ */

static xmlFreeFunc real_free;
static xmlMallocFunc real_malloc;
static xmlReallocFunc real_realloc;
static xmlStrdupFunc real_strdup;
static long xml_calls, xml_fail_at;
static int xml_persistent;

/* Whether this allocation of libxml2's fails: the `xml_fail_at`th (and on, when persistent). */
static int xml_refused(void)
{
    if (xml_fail_at <= 0)
        return 0;
    xml_calls++;
    return xml_calls == xml_fail_at || (xml_persistent && xml_calls > xml_fail_at);
}

static void *xml_malloc(size_t n)
{
    return xml_refused() ? NULL : real_malloc(n);
}

static void *xml_realloc(void *p, size_t n)
{
    return xml_refused() ? NULL : real_realloc(p, n);
}

static char *xml_strdup(const char *s)
{
    return xml_refused() ? NULL : real_strdup(s);
}

static void xml_quiet(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

/* libxml2's own allocator: what its parser is made with, failing on demand. */
static void xml_allocator_install(void)
{
    xmlInitParser();
    assert_int_equal(xmlMemGet(&real_free, &real_malloc, &real_realloc, &real_strdup), 0);
    assert_int_equal(xmlMemSetup(real_free, xml_malloc, xml_realloc, xml_strdup), 0);
    xmlSetGenericErrorFunc(NULL, xml_quiet); /* its complaints without a parser */
    xml_fail_at = 0;
}

static void xml_allocator_remove(void)
{
    xml_fail_at = 0;
    assert_int_equal(xmlMemSetup(real_free, real_malloc, real_realloc, real_strdup), 0);
    xmlSetGenericErrorFunc(NULL, NULL);
}

static void a_parser_libxml2_cannot_allocate_is_out_of_memory(void **state)
{
    static const char rest[] = "><title>T</title></journey-map>";
    char doc[200];
    xmlSAXHandler sax;
    cjm__xml x;
    test_alloc t;
    cjm_map *m;
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    long runs[2] = {0, 0};
    (void)state;
    cjm__xml_sax_init(&sax);
    xml_allocator_install();
    /* each allocation of the parser failing in turn, once and from then on */
    for (xml_persistent = 0; xml_persistent <= 1; xml_persistent++) {
        for (long n = 1;; n++) {
            int rc;
            cjm__xml_init(&x, "n.xml", NULL, NULL);
            xml_calls = 0;
            xml_fail_at = n;
            rc = cjm__xml_begin(&x, &sax);
            xml_fail_at = 0;
            if (xml_calls < n) { /* nothing failed: made */
                assert_ok(rc);
                assert_non_null(x.ctxt);
                assert_ok(cjm__xml_push(&x, "<a/>", 4, 1));
                cjm__xml_end(&x);
                runs[xml_persistent] = n;
                break;
            }
            if (rc == 0) { /* libxml2 did without the block */
                cjm__xml_end(&x);
                continue;
            }
            assert_cjm_error(rc, CJM_ENOMEM);
            assert_string_equal(cjm_error_last()->message, "out of memory");
            assert_int_equal(x.failed, CJM_ENOMEM);
            assert_null(x.ctxt);
            /* every later push answers the same */
            assert_int_equal(cjm__xml_push(&x, "<a/>", 4, 1), CJM_ENOMEM);
            cjm__xml_end(&x);
        }
    }
    /* through the reader, with nothing of its own left behind */
    snprintf(doc, sizeof doc, "%s%s", map_root, rest);
    test_alloc_init(&t, 0, 0);
    o.allocator = &t.base;
    m = (cjm_map *)&o;
    xml_persistent = 1;
    xml_calls = 0;
    xml_fail_at = 1;
    assert_cjm_error(cjm_xml_read_memory(&m, doc, strlen(doc), &o), CJM_ENOMEM);
    xml_allocator_remove();
    assert_null(m);
    assert_int_equal(t.live, 0);
    assert_true(runs[0] > 1);
    assert_true(runs[1] > 1);
    /* and it reads once libxml2 has memory again */
    assert_ok(cjm_xml_read_memory(&m, doc, strlen(doc), &o));
    assert_string_equal(cjm_map_title(m), "T");
    cjm_map_free(m);
    assert_int_equal(t.live, 0);
}

/* 1: an error recorded and the callbacks stopped; 2: only not well-formed; 3: halted */
static int flag_mode;
static int after_flag;

static void flag_unreported(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                            const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                            int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    cjm__xml *x = ctx;
    (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
    (void)attributes;
    if (cjm__xml_enter(x, nb_attributes))
        return;
    if (strcmp((const char *)localname, "here") != 0) {
        after_flag += x->ctxt->wellFormed == 0;
        return;
    }
    /* what libxml2 does on an error, or when it halts, without calling the error handler */
    if (flag_mode == 3) {
        xmlStopParser(x->ctxt);
        return;
    }
    x->ctxt->wellFormed = 0;
    if (flag_mode == 1) {
        x->ctxt->errNo = XML_ERR_INTERNAL_ERROR;
        x->ctxt->disableSAX = 1;
    }
}

/* Pushes `len` bytes of `doc`, `piece` at a time (all at once when 0), through begin, push, end. */
static int push_doc(cjm__xml *x, xmlSAXHandler *sax, const char *doc, size_t len, size_t piece)
{
    size_t done = 0;
    int rc = cjm__xml_begin(x, sax);
    while (rc == 0) {
        size_t n = piece && len - done > piece ? piece : len - done;
        rc = cjm__xml_push(x, doc + done, n, done + n == len);
        done += n;
        if (done == len)
            break;
    }
    cjm__xml_end(x);
    return rc;
}

/*
 * An error libxml2 flags in its context but does not report through the
 * handler still fails the parse: the code it returns, or, when it returns
 * none, the document not marked well-formed at the end.
 */
static void an_error_libxml2_did_not_report_fails_the_parse(void **state)
{
    static const char doc[] = "<a>\n  <here/>\n  <b/>\n</a>";
    xmlSAXHandler sax;
    cjm__xml x;
    (void)state;
    cjm__xml_sax_init(&sax);
    sax.startElementNs = flag_unreported;
    sax.endElementNs = on_end;

    /* pulled (the readers), then pushed */
    for (int push = 0; push <= 1; push++) {
        int rc;
        flag_mode = 1;
        after_flag = 0;
        cjm__xml_init(&x, "u.xml", NULL, NULL);
        rc = push ? push_doc(&x, &sax, doc, strlen(doc), 0)
                  : cjm__xml_parse_memory(&x, &sax, doc, strlen(doc));
        assert_cjm_error(rc, CJM_EPARSE);
        assert_string_equal(cjm_error_last()->message,
                            "the XML is not well-formed (libxml2 error 1)");
        assert_string_equal(cjm_error_last()->file, "u.xml");
        assert_true(cjm_error_last()->line >= 2);
        assert_int_equal(after_flag, 0);

        flag_mode = 2;
        after_flag = 0;
        cjm__xml_init(&x, "u.xml", NULL, NULL);
        rc = push ? push_doc(&x, &sax, doc, strlen(doc), 0)
                  : cjm__xml_parse_memory(&x, &sax, doc, strlen(doc));
        assert_cjm_error(rc, CJM_EPARSE);
        assert_string_equal(cjm_error_last()->message, "the XML is not well-formed");
        /* where the parser stands at the end: after "</a>" */
        assert_int_equal(cjm_error_last()->line, 4);
        assert_int_equal(cjm_error_last()->column, 5);
        assert_int_equal(after_flag, 1); /* the callbacks went on */
    }
}

/*
 * A pull parse that libxml2 ends early without a word, before it asked for
 * the bytes the scanner refused (libxml2 reads a few kilobytes ahead; the
 * scanner took the whole document at once), still reports the refusal.
 */
static void a_refusal_past_a_silent_stop_is_reported(void **state)
{
    static const char head[] = "<a>\n  <here/>\n", line[] = "  <b/>\n", tail[] = "</a>\x01";
    char *doc = malloc(sizeof head + 3000 * (sizeof line - 1) + sizeof tail);
    size_t len = 0;
    xmlSAXHandler sax;
    cjm__xml x;
    (void)state;
    assert_non_null(doc);
    memcpy(doc, head, sizeof head - 1);
    len = sizeof head - 1;
    for (int i = 0; i < 3000; i++, len += sizeof line - 1) /* lines 3 to 3002 */
        memcpy(doc + len, line, sizeof line - 1);
    memcpy(doc + len, tail, sizeof tail);
    len += sizeof tail - 1;
    cjm__xml_sax_init(&sax);
    sax.startElementNs = flag_unreported;
    sax.endElementNs = on_end;
    flag_mode = 3;
    cjm__xml_init(&x, "h.xml", NULL, NULL);
    assert_cjm_error(cjm__xml_parse_memory(&x, &sax, doc, len), CJM_EPARSE);
    assert_error(CJM_EPARSE, 3003, 5, "h.xml", "control character U+0001 is not allowed in XML");
    assert_int_equal(x.elements, 2); /* nothing after <here> */
    free(doc);
}

/* ---- the push and pull interfaces on their own ------------------------------------ */

static void pushed_input_is_checked_as_pulled_input_is(void **state)
{
    xmlSAXHandler sax;
    cjm__xml x;
    cjm__xml_limits small = {20, 0, 0, 0};
    (void)state;
    cjm__xml_sax_init(&sax);
    sax.startElementNs = count_attributes;
    sax.endElementNs = on_end;

    cjm__xml_init(&x, "g.xml", NULL, NULL);
    assert_cjm_error(push_doc(&x, &sax, "\x1F\x8B\x08\x00", 4, 0), CJM_EPARSE);
    assert_error(CJM_EPARSE, 1, 1, "g.xml", "the input is compressed with gzip; decompress it first");
    /* the magic only counts at the start */
    cjm__xml_init(&x, "g.xml", NULL, NULL);
    assert_cjm_error(push_doc(&x, &sax, "\x1F", 1, 0), CJM_EPARSE);
    assert_error(CJM_EPARSE, 1, 1, "g.xml", "control character U+001F is not allowed in XML");
    cjm__xml_init(&x, "g.xml", NULL, NULL);
    assert_cjm_error(push_doc(&x, &sax, "\x1Fx", 2, 0), CJM_EPARSE);
    assert_error(CJM_EPARSE, 1, 1, "g.xml", "control character U+001F");
    cjm__xml_init(&x, "g.xml", NULL, NULL);
    assert_cjm_error(push_doc(&x, &sax, "<a>\x1F\x8B</a>", 7, 3), CJM_EPARSE);
    assert_error(CJM_EPARSE, 1, 4, "g.xml", "control character U+001F");

    /* nothing at all, and a sequence cut by the end */
    cjm__xml_init(&x, "g.xml", NULL, NULL);
    assert_cjm_error(push_doc(&x, &sax, "", 0, 0), CJM_EPARSE);
    assert_error(CJM_EPARSE, 1, 1, "g.xml", "the document is empty");
    cjm__xml_init(&x, "g.xml", NULL, NULL);
    assert_cjm_error(push_doc(&x, &sax, "<a>\n \xC3", 6, 2), CJM_EPARSE);
    assert_error(CJM_EPARSE, 2, 2, "g.xml", "the input is not valid UTF-8 (a truncated sequence)");

    /* more than the size limit: what fits is parsed, then the limit is reported where the
     * scanner stands */
    cjm__xml_init(&x, "g.xml", &small, NULL);
    assert_cjm_error(push_doc(&x, &sax, "<a>\n  <b/><b/><b/><b/></a>", 27, 0), CJM_ELIMIT);
    assert_error(CJM_ELIMIT, 2, 17, "g.xml", "the input is larger than the limit of 20 bytes");
    assert_int_equal(x.elements, 4);
    cjm__xml_init(&x, "g.xml", &small, NULL);
    assert_cjm_error(push_doc(&x, &sax, "<a>\n  <b/>  <\n  <b/></a>", 25, 0), CJM_EPARSE);
    assert_int_equal(cjm_error_last()->line, 2); /* libxml2's complaint about what fitted */

    /* and a document that passes */
    cjm__xml_init(&x, "g.xml", &small, NULL);
    assert_ok(push_doc(&x, &sax, "<a>\n  <b/></a>", 14, 5));
    assert_int_equal(x.elements, 2);
}

static long fail_silently(void *ud, const char **data)
{
    (void)ud, (void)data;
    return CJM_EIO;
}

static long one_piece(void *ud, const char **data)
{
    const char **doc = ud;
    long n = (long)strlen(*doc);
    *data = *doc;
    *doc += n;
    return n;
}

static void misuse_of_a_pull_parse_is_refused(void **state)
{
    xmlSAXHandler sax;
    cjm__xml x;
    const char *doc = "<a/>";
    (void)state;
    cjm__xml_sax_init(&sax);

    /* a pull before begin */
    cjm__xml_init(&x, "q.xml", NULL, NULL);
    assert_cjm_error(cjm__xml_pull(&x, one_piece, &doc), CJM_EINVAL);
    assert_non_null(strstr(cjm_error_last()->message, "not started"));
    assert_int_equal(x.failed, 0);

    /* a source that fails without saying why: its code, and a reason */
    assert_ok(cjm__xml_begin_pull(&x, &sax));
    assert_cjm_error(cjm__xml_pull(&x, fail_silently, NULL), CJM_EIO);
    assert_error(CJM_EIO, 1, 1, "q.xml", "the input could not be read");
    /* after it, a pull answers the first error */
    assert_int_equal(cjm__xml_pull(&x, one_piece, &doc), CJM_EIO);
    assert_string_equal(doc, "<a/>");
    cjm__xml_end(&x);

    /* the same source, fine */
    cjm__xml_init(&x, "q.xml", NULL, NULL);
    assert_ok(cjm__xml_parse_pull(&x, &sax, one_piece, &doc));
    assert_string_equal(doc, "");
}


/* ---- a read interrupted by a signal ---------------------------------------------------- */

static volatile sig_atomic_t signals_caught;

static void catch_signal(int sig)
{
    (void)sig;
    signals_caught++;
}

typedef struct interrupter {
    pthread_t reader;
    pid_t reader_tid;
    int read_fd, write_fd;
    const char *doc;
    int blocked_before, blocked_after; /* the reader seen waiting in read() */
} interrupter;

/* Whether thread `tid` is waiting in read() on `fd`. */
static int waits_in_read(pid_t tid, int fd)
{
    char path[64], line[256];
    long nr = -1;
    unsigned long arg = 0;
    FILE *f;
    snprintf(path, sizeof path, "/proc/self/task/%ld/syscall", (long)tid);
    f = fopen(path, "r");
    if (!f)
        return 0;
    if (!fgets(line, sizeof line, f))
        line[0] = '\0';
    fclose(f);
    return sscanf(line, "%ld %lx", &nr, &arg) == 2 && nr == SYS_read && arg == (unsigned long)fd;
}

static int wait_for_read(const interrupter *it)
{
    struct timespec ms = {0, 1000000};
    for (int i = 0; i < 10000; i++) {
        if (waits_in_read(it->reader_tid, it->read_fd))
            return 1;
        nanosleep(&ms, NULL);
    }
    return 0;
}

static void *interrupt_then_write(void *arg)
{
    interrupter *it = arg;
    struct timespec ms = {0, 1000000};
    size_t len = strlen(it->doc);
    it->blocked_before = wait_for_read(it);
    pthread_kill(it->reader, SIGUSR1);
    for (int i = 0; i < 10000 && signals_caught == 0; i++)
        nanosleep(&ms, NULL);
    /* read() again, not a failure */
    it->blocked_after = wait_for_read(it);
    if (write(it->write_fd, it->doc, len) != (ssize_t)len)
        it->blocked_after = -1;
    close(it->write_fd);
    return NULL;
}

/* A signal that interrupts the wait for input (no SA_RESTART) makes the reader read again. */
static void a_read_interrupted_by_a_signal_is_retried(void **state)
{
    static const char rest[] = ">\n  <title>Interrupted</title>\n</journey-map>\n";
    char doc[200];
    int fds[2];
    struct sigaction sa, old;
    pthread_t writer;
    interrupter it;
    cjm_map *m = NULL;
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    (void)state;
    snprintf(doc, sizeof doc, "%s%s", map_root, rest);
    assert_int_equal(pipe(fds), 0);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = catch_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);
    signals_caught = 0;
    memset(&it, 0, sizeof it);
    it.reader = pthread_self();
    it.reader_tid = (pid_t)syscall(SYS_gettid);
    it.read_fd = fds[0];
    it.write_fd = fds[1];
    it.doc = doc;
    assert_int_equal(pthread_create(&writer, NULL, interrupt_then_write, &it), 0);
    o.name = "pipe";
    assert_ok(cjm_xml_read_fd(&m, fds[0], &o));
    assert_int_equal(pthread_join(writer, NULL), 0);
    sigaction(SIGUSR1, &old, NULL);
    close(fds[0]);
    assert_int_equal(signals_caught, 1);
    assert_int_equal(it.blocked_before, 1);
    assert_int_equal(it.blocked_after, 1);
    assert_string_equal(cjm_map_title(m), "Interrupted");
    cjm_map_free(m);
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
        cmocka_unit_test(text_whose_line_began_out_of_sight_has_no_column),
        cmocka_unit_test(locations_after_a_stop_are_the_parsers_position),
        cmocka_unit_test(a_value_made_too_long_inside_a_character_is_refused_at_it),
        cmocka_unit_test(an_attribute_limit_above_a_window_is_kept),
        cmocka_unit_test(a_parser_libxml2_cannot_allocate_is_out_of_memory),
        cmocka_unit_test(an_error_libxml2_did_not_report_fails_the_parse),
        cmocka_unit_test(a_refusal_past_a_silent_stop_is_reported),
        cmocka_unit_test(pushed_input_is_checked_as_pulled_input_is),
        cmocka_unit_test(misuse_of_a_pull_parse_is_refused),
        cmocka_unit_test(a_read_interrupted_by_a_signal_is_retried),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
