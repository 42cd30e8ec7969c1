/*
 * The Journey XML reader's refusals, one branch at a time: malformed
 * numbers, durations and versions, misplaced elements and attributes,
 * declarations, bad bytes, truncations and limits, through memory, files
 * and descriptors, each with its code, place and message, and no map.
 */
#include "support.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define H "<journey-map xmlns='urn:cjm:journey:1' version='1'>"
#define T "</journey-map>"
#define TP(attr) H "<journey id='j'><touchpoint id='a' " attr "/></journey>" T
#define TR(attr) H "<journey id='j'><touchpoint id='a'/><touchpoint id='b'/><transition id='t' from='a' to='b' " attr "/></journey>" T
static const struct xcase { const char *what, *doc;
    size_t max_text;
    int depth;
    int code, line, column;
    const char *message;
} xcases[] = {
    {"a sign without digits", TP("frequency='+'"), 0, 0, CJM_EPARSE, 1, 98, "attribute 'frequency': '+' is not a numb"},
    {"an exponent without digits", TP("frequency='1e'"), 0, 0, CJM_EPARSE, 1, 98, "attribute 'frequency': '1e' is not a num"},
    {"an exponent sign without digits", TP("frequency='1e+'"), 0, 0, CJM_EPARSE, 1, 98, "attribute 'frequency': '1e+' is not a nu"},
    {"a lone point", TP("frequency='.'"), 0, 0, CJM_EPARSE, 1, 98, "attribute 'frequency': '.' is not a numb"},
    {"trailing junk after an exponent", TP("frequency='1.5e3x'"), 0, 0, CJM_EPARSE, 1, 98, "attribute 'frequency': '1.5e3x' is not a"},
    {"a number beyond double", TP("frequency='1e999'"), 0, 0, CJM_EPARSE, 1, 98, "attribute 'frequency': '1e999' is out of"},
    {"a negative number", TP("frequency='-0.5'"), 0, 0, CJM_EPARSE, 1, 68, "touchpoint a: frequency is -0.5, below 0"},
    {"many digits", TP("frequency='12345678901234567890'"), 0, 0, 0, 0, 0, ""},
    {"an exponent with a sign", TP("frequency='2.5E-1'"), 0, 0, 0, 0, 0, ""},
    {"a duration point without digits", TR("duration='PT1.S'"), 0, 0, CJM_EPARSE, 1, 153, "attribute 'duration': 'PT1.S' is not a d"},
    {"a fraction on minutes", TR("duration='PT1.5M'"), 0, 0, CJM_EPARSE, 1, 153, "attribute 'duration': 'PT1.5M' is not a "},
    {"a fraction without unit", TR("duration='PT1.5'"), 0, 0, CJM_EPARSE, 1, 153, "attribute 'duration': 'PT1.5' is not a d"},
    {"a duration number of 16 digits", TR("duration='P1234567890123456D'"), 0, 0, CJM_EPARSE, 1, 153, "attribute 'duration': 'P1234567890123456"},
    {"weeks then time", TR("duration='P1WT1H'"), 0, 0, CJM_EPARSE, 1, 153, "attribute 'duration': 'P1WT1H' is not a "},
    {"T twice", TR("duration='PT1HT1M'"), 0, 0, CJM_EPARSE, 1, 153, "attribute 'duration': 'PT1HT1M' is not a"},
    {"a unit alone", TR("duration='PTH'"), 0, 0, CJM_EPARSE, 1, 153, "attribute 'duration': 'PTH' is not a dur"},
    {"a number without unit", TR("duration='P1'"), 0, 0, CJM_EPARSE, 1, 153, "attribute 'duration': 'P1' is not a dura"},
    {"an unknown unit", TR("duration='P1X'"), 0, 0, CJM_EPARSE, 1, 153, "attribute 'duration': 'P1X' is not a dur"},
    {"days inside T", TR("duration='PT1D'"), 0, 0, CJM_EPARSE, 1, 153, "attribute 'duration': 'PT1D' is not a du"},
    {"a plain negative duration", TR("duration='-5'"), 0, 0, CJM_EPARSE, 1, 108, "transition t: duration is -5, below 0"},
    {"a version with a letter", "<journey-map xmlns='urn:cjm:journey:1' version='x'/>", 0, 0, CJM_EPARSE, 1, 49, "attribute 'version': 'x' is not a versio"},
    {"a version ending in a point", "<journey-map xmlns='urn:cjm:journey:1' version='1.'/>", 0, 0, CJM_EPARSE, 1, 49, "attribute 'version': '1.' is not a versi"},
    {"a version with a long major", "<journey-map xmlns='urn:cjm:journey:1' version='123456789'/>", 0, 0, CJM_EPARSE, 1, 49, "attribute 'version': '123456789' is not "},
    {"a version with junk", "<journey-map xmlns='urn:cjm:journey:1' version='1.0b'/>", 0, 0, CJM_EPARSE, 1, 49, "attribute 'version': '1.0b' is not a ver"},
    {"a bad language", "<journey-map xmlns='urn:cjm:journey:1' version='1' language='n b'/>", 0, 0, CJM_EPARSE, 1, 62, "the language tag 'n b' is not a valid id"},
    {"an unknown root attribute", "<journey-map xmlns='urn:cjm:journey:1' version='1' colour='x'/>", 0, 0, CJM_EPARSE, 1, 60, "unknown attribute 'colour' on <journey-m"},
    {"a foreign attribute on the root", "<journey-map xmlns='urn:cjm:journey:1' xmlns:x='urn:x' x:y='1' version='1'/>", 0, 0, 0, 0, 0, ""},
    {"a root in no namespace", "<journey-map version='1'/>", 0, 0, CJM_EPARSE, 1, 1, "not a Journey XML document: the root ele"},
    {"an item without id", H "<actor role='customer'/>" T, 0, 0, CJM_EPARSE, 1, 52, "<actor> needs an id attribute"},
    {"a list with spaces", H "<situation id='s'/><journey id='j'><touchpoint id='a' situations='  s   s2 '/></journey>" T, 0, 0, CJM_EPARSE, 1, 87, "touchpoint a: situations 's2' does not e"},
    {"a list of spaces only", H "<journey id='j'><touchpoint id='a' situations='   '/></journey>" T, 0, 0, 0, 0, 0, ""},
    {"a bad reference id", TP("channel='a b'"), 0, 0, CJM_EPARSE, 1, 96, "channel of a: 'a b' is not a valid id"},
    {"an attribute on a label", H "<actor id='a'><label lang='en'>A</label></actor>" T, 0, 0, CJM_EPARSE, 1, 79, "unknown attribute 'lang' on <label>"},
    {"a foreign attribute on a label", H "<actor id='a' xmlns:x='urn:x'><label x:y='1'>A</label></actor>" T, 0, 0, 0, 0, 0, ""},
    {"a duplicate journey", H "<journey id='j'/><journey id='j'/>" T, 0, 0, CJM_EPARSE, 1, 82, "duplicate id 'j': already used at line 1"},
    {"a definition after a journey of its id", H "<journey id='j'/><actor id='j'/>" T, 0, 0, CJM_EPARSE, 1, 80, "duplicate id 'j': already used at line 1"},
    {"more attributes than the reader keeps in order", H "<journey id='j' xmlns:x='urn:x'><touchpoint id='a' x:a='1' x:b='1' x:c='1' x:d='1' x:e='1' x:f='1' x:g='1' x:h='1' x:i='1' x:j='1' x:k='1' x:l='1' x:m='1' x:n='1' x:o='1' x:p='1' x:q='1' perceived='2' emotion='1'/><touchpoint id='b' x:a='1' x:b='1' x:c='1' x:d='1' x:e='1' x:f='1' x:g='1' x:h='1' x:i='1' x:j='1' x:k='1' x:l='1' x:m='1' x:n='1' x:o='1' x:p='1' x:q='1' perceived='3' emotion='0'/></journey>" T, 0, 0, 0, 0, 0, ""},
    {"an unknown attribute beyond those kept in order", H "<journey id='j' xmlns:x='urn:x'><touchpoint id='a' x:a='1' x:b='1' x:c='1' x:d='1' x:e='1' x:f='1' x:g='1' x:h='1' x:i='1' x:j='1' x:k='1' x:l='1' x:m='1' x:n='1' x:o='1' x:p='1' x:q='1' colour='2'/></journey>" T, 0, 0, CJM_EPARSE, 1, 247, "unknown attribute 'colour' on <touchpoint>"},
    {"more text children than the room made for them", H "<journey id='j'><touchpoint id='a'><label>A</label><description>B</description><owner>C</owner></touchpoint></journey>" T, 0, 0, 0, 0, 0, ""},
    {"a list of situations after another", H "<situation id='s'/><situation id='u'/><journey id='j'><touchpoint id='a' situations='s u'/><touchpoint id='b' situations='u s u'/></journey>" T, 0, 0, 0, 0, 0, ""},
    {"long ids in a file that holds an ampersand", H "<channel id='a&amp;b-0123456789-0123456789-0123456789'/><channel id='c-0123456789-0123456789-0123456789'/><journey id='j'><touchpoint id='t&amp;1' channel='a&amp;b-0123456789-0123456789-0123456789'/><touchpoint id='t2' channel='c-0123456789-0123456789-0123456789'/></journey>" T, 0, 0, 0, 0, 0, ""},
    {"a kpi on a touchpoint", H "<journey id='j'><touchpoint id='a'><kpi name='CSAT' value='4'/></touchpoint></journey>" T, 0, 0, 0, 0, 0, ""},
    {"a kpi without value", H "<journey id='j'><touchpoint id='a'><kpi name='CSAT'/></touchpoint></journey>" T, 0, 0, CJM_EPARSE, 1, 87, "<kpi> needs a name and a value attribute"},
    {"a kpi on an actor", H "<actor id='a'><kpi name='CSAT' value='1'/></actor>" T, 0, 0, CJM_EPARSE, 1, 66, "unknown element <kpi> in <actor>"},
    {"a text attribute element twice", H "<journey id='j'><touchpoint id='a'><owner>x</owner><owner>y</owner></touchpoint></journey>" T, 0, 0, CJM_EPARSE, 1, 103, "<owner> appears twice in <touchpoint>"},
    {"an owner element", H "<journey id='j'><touchpoint id='a'><owner>Sales</owner><root-cause>x</root-cause></touchpoint></journey>" T, 0, 0, CJM_EPARSE, 1, 107, "unknown element <root-cause> in <touchpo"},
    {"text in the root", H "hello" T, 0, 0, CJM_EPARSE, 1, 52, "text is not allowed in <journey-map>; it"},
    {"text in a journey", H "<journey id='j'>text</journey>" T, 0, 0, CJM_EPARSE, 1, 68, "text is not allowed in <journey>; it bel"},
    {"text on the first line before a line feed", H "<journey id='j'>  text\n</journey>" T, 0, 0, CJM_EPARSE, 1, 70, "text is not allowed in <journey>; it bel"},
    {"text after a byte order mark", "\xEF\xBB\xBF" H "<journey id='j'>text\n</journey>" T, 0, 0, CJM_EPARSE, 1, 68, "text is not allowed in <journey>; it bel"},
    {"a tag on the first line that ends on the next", H "<journey id='j'><touchpoint id='a' stage='zz'\n/></journey>" T, 0, 0, CJM_EPARSE, 1, 68, "touchpoint a: stage 'zz' does not exist"},
    {"an unknown element on the first line, ending on the next", H "<journey id='j'><bogus\n/></journey>" T, 0, 0, CJM_EPARSE, 1, 68, "unknown element <bogus> in <journey>"},
    {"an unknown element in a journey", H "<journey id='j'><actor id='a'/></journey>" T, 0, 0, CJM_EPARSE, 1, 68, "unknown element <actor> in <journey>"},
    {"a journey item at the root", H "<touchpoint id='a'/>" T, 0, 0, CJM_EPARSE, 1, 52, "unknown element <touchpoint> in <journey"},
    {"a comment, PI and CDATA", "<?xml version='1.0'?><!-- c --><?pi x?>" H "<!-- in --><title><![CDATA[T&amp;]]></title>" T, 0, 0, 0, 0, 0, ""},
    {"a DOCTYPE", "<!DOCTYPE journey-map>" H T, 0, 0, CJM_EPARSE, 1, 1, "DTDs are not allowed (a <!DOCTYPE declar"},
    {"an ENTITY", H "<!ENTITY x 'y'>" T, 0, 0, CJM_EPARSE, 1, 52, "DTDs are not allowed (an <!ENTITY or <!E"},
    {"an ATTLIST", H "<!ATTLIST a b CDATA #IMPLIED>" T, 0, 0, CJM_EPARSE, 1, 52, "DTDs are not allowed (an <!ATTLIST decla"},
    {"a NOTATION", H "<!NOTATION n SYSTEM 'x'>" T, 0, 0, CJM_EPARSE, 1, 52, "DTDs are not allowed (a <!NOTATION decla"},
    {"an unknown declaration", H "<!FOO>" T, 0, 0, CJM_EPARSE, 1, 52, "not well-formed: \"<!\" must begin a comment"},
    {"an undefined entity", H "<title>&nope;</title>" T, 0, 0, CJM_EPARSE, 1, 59, "entity reference '&nope;' is not allowed"},
    {"a character reference", H "<title>&#38;&#x41;&lt;</title>" T, 0, 0, 0, 0, 0, ""},
    {"a long attribute value", TP("owner='abcdefghijklmnopqrstuvwxyz'"), 20, 0, CJM_ELIMIT, 1, 114, "an attribute value is longer than the li"},
    {"a long text", H "<title>abcdefghijklmnopqrstuvwxyz</title>" T, 20, 0, CJM_ELIMIT, 1, 85, "the text of <title> is longer than the l"},
    {"deep nesting", H "<journey id='j'><touchpoint id='a'><label>x</label></touchpoint></journey>" T, 0, 2, CJM_ELIMIT, 1, 68, "elements are nested deeper than the limi"},
    {"an overlong UTF-8", H "<title>\xC0\x80</title>" T, 0, 0, CJM_EPARSE, 1, 59, "the input is not valid UTF-8 (byte 0xC0)"},
    {"an overlong 3 bytes", H "<title>\xE0\x80\x80</title>" T, 0, 0, CJM_EPARSE, 1, 59, "the input is not valid UTF-8 (an overlon"},
    {"a surrogate", H "<title>\xED\xB0\x80</title>" T, 0, 0, CJM_EPARSE, 1, 59, "the input is not valid UTF-8 (an overlon"},
    {"beyond U+10FFFF", H "<title>\xF4\x90\x80\x80</title>" T, 0, 0, CJM_EPARSE, 1, 59, "the input is not valid UTF-8 (an overlon"},
    {"a cut sequence at the end", H "<title>x</title>" T "\xE2\x82", 0, 0, CJM_EPARSE, 1, 82, "the input is not valid UTF-8 (a truncate"},
    {"a cut sequence before ASCII", H "<title>\xE2x</title>" T, 0, 0, CJM_EPARSE, 1, 59, "the input is not valid UTF-8 (a truncate"},
    {"a control character", H "<title>\x01</title>" T, 0, 0, CJM_EPARSE, 1, 59, "control character U+0001 is not allowed "},
    {"a NUL byte", H "<title>\0</title>" T, 0, 0, CJM_EPARSE, 1, 59, "a NUL byte is not allowed in XML"},
    {"a gzip-like start", "\x1F\x8B\x08", 0, 0, CJM_EPARSE, 1, 1, "the input is compressed with gzip; decom"},
    {"a 1F not gzip", "\x1F\x20", 0, 0, CJM_EPARSE, 1, 1, "control character U+001F is not allowed "},
    {"a BOM", "\xEF\xBB\xBF" H T, 0, 0, 0, 0, 0, ""},
    {"only white space", "   \n  ", 0, 0, CJM_EPARSE, 2, 3, "the document is empty: it has no element"},
    {"only a comment", "<!-- nothing -->", 0, 0, CJM_EPARSE, 1, 17, "the document is empty: it has no element"},
    {"unclosed root", H, 0, 0, CJM_EPARSE, 1, 52, "the document ends before <journey-map> i"},
    {"unclosed nested", H "<journey id='j'>", 0, 0, CJM_EPARSE, 1, 68, "the document ends before <journey> is cl"},
    {"mismatched tags", H "<title>x</label>" T, 0, 0, CJM_EPARSE, 1, 68, "Opening and ending tag mismatch: title l"},
    {"an unclosed comment", H "<!-- x", 0, 0, CJM_EPARSE, 1, 58, "Comment not terminated"},
    {"an unclosed PI", H "<?pi x", 0, 0, CJM_EPARSE, 1, 58, "ParsePI: PI pi never end ..."},
    {"an unclosed CDATA", H "<title><![CDATA[x", 0, 0, CJM_EPARSE, 1, 69, "the document ends before <title> is clos"},
    {"a tag cut in the middle", H "<title a='", 0, 0, CJM_EPARSE, 1, 62, "AttValue: ' expected"},
    {"junk after the root", H T "<x/>", 0, 0, CJM_EPARSE, 1, 66, "Extra content at the end of the document"},
    {"an attribute without quotes", "<journey-map xmlns='urn:cjm:journey:1' version=1/>", 0, 0, CJM_EPARSE, 1, 48, "AttValue: \" or ' expected"},
    {"an encoding declaration", "<?xml version='1.0' encoding='ISO-8859-1'?>" H T, 0, 0, 0, 0, 0, ""},
    {"a later namespace", "<journey-map xmlns='urn:cjm:journey:11' version='1'/>", 0, 0, CJM_EUNSUPPORTED, 1, 1, "namespace urn:cjm:journey:11 is a versio"},
    {"a duplicate attribute", "<journey-map xmlns='urn:cjm:journey:1' version='1' version='1'/>", 0, 0, CJM_EPARSE, 1, 63, "Attribute version redefined"},
    {"an unbound prefix", H "<x:y/>" T, 0, 0, CJM_EPARSE, 1, 56, "Namespace prefix x on y is not defined"},
    {"a probability out of range", TR("probability='2'"), 0, 0, CJM_EPARSE, 1, 108, "transition t: probability is 2, outside "},
    {"an element inside a kpi", H "<journey id='j'><touchpoint id='a'><kpi name='c' value='1'><x/></kpi></touchpoint></journey>" T, 0, 0, CJM_EPARSE, 1, 111, "<x> is not allowed inside <kpi>"},
    {"an element in no namespace", H "<actor xmlns='' id='a'/>" T, 0, 0, CJM_EPARSE, 1, 52, "element <actor> in <journey-map> is in no namespace; Jo"},
    {"a status", H "<journey id='j' status='actual' follows='k' persona='p'/>" T, 0, 0, CJM_EPARSE, 1, 52, "journey j: persona 'p' does not exist"},
    {"a number with a plus sign", TP("frequency='+2'"), 0, 0, 0, 0, 0, ""},
    {"an exponent followed by a letter", TP("frequency='1ex'"), 0, 0, CJM_EPARSE, 1, 98, "attribute 'frequency': '1ex' is not a num"},
    {"a number between carriage returns", TP("frequency='&#13;2&#13;'"), 0, 0, 0, 0, 0, ""},
    {"a carriage return in a journey", H "<journey id='j'>&#13;</journey>" T, 0, 0, 0, 0, 0, ""},
    {"a duration ending in its point", TR("duration='PT1.'"), 0, 0, CJM_EPARSE, 1, 153, "attribute 'duration': 'PT1.' is not a d"},
    {"an empty version", "<journey-map xmlns='urn:cjm:journey:1' version=''/>", 0, 0, CJM_EPARSE, 1, 49, "attribute 'version': '' is not a version"},
    {"a version with a letter after its point", "<journey-map xmlns='urn:cjm:journey:1' version='1.x'/>", 0, 0, CJM_EPARSE, 1, 49, "attribute 'version': '1.x' is not a vers"},
    /* a value with a character reference is not in the input as libxml2 hands
     * it over, so the model's refusal of it is placed at its element */
    {"a list with a bad id", TP("situations='s b&#127;'"), 0, 0, CJM_EPARSE, 1, 68, "situations of a: 'b\x7F' is not a valid"},
    {"a foreign attribute before the id", H "<actor xmlns:x='urn:x' x:y='1' id='a' role='customer'/>" T, 0, 0, 0, 0, 0, ""},
    {"text in a kpi", H "<journey id='j'><touchpoint id='a'><kpi name='c' value='1'>x</kpi></touchpoint></journey>" T, 0, 0, CJM_EPARSE, 1, 111, "text is not allowed in <kpi>"},
    {"an empty title", H "<title/>" T, 0, 0, 0, 0, 0, ""},
    /* values with an ampersand are read through a copy, and refused from it;
     * they are not in the input as libxml2 hands them over either */
    {"a list with an ampersand and a bad id", TP("situations='a&amp;b c&#127;'"), 0, 0, CJM_EPARSE, 1, 68, "situations of a: 'c\x7F' is not a valid"},
    {"a reference with an ampersand and a space", TP("channel='a&amp;b c'"), 0, 0, CJM_EPARSE, 1, 68, "channel of a: 'a&b c' is not a valid id"},
    {"a value with an ampersand for a flag", TP("exit='t&amp;f'"), 0, 0, CJM_EPARSE, 1, 68, "attribute 'exit': 't&f' is not one of false, true"},
    {"a negative KPI value", H "<journey id='j'><touchpoint id='a'><kpi name='c' value='-1'/></touchpoint></journey>" T, 0, 0, 0, 0, 0, ""},
};

static size_t case_len(const struct xcase *c)
{
    /* the NUL byte case holds a NUL inside: its length is counted by hand */
    if (strcmp(c->what, "a NUL byte") == 0)
        return strlen(H "<title>") + 1 + strlen("</title>" T);
    return strlen(c->doc);
}

static void check_result(const struct xcase *c, int rc, cjm_map *m, const char *file)
{
    const cjm_error *e = cjm_error_last();
    if (rc != c->code)
        fail_msg("%s: expected %d, got %d (%s)", c->what, c->code, rc, e->message);
    if (rc == 0) {
        assert_non_null(m);
        cjm_map_free(m);
        return;
    }
    if (m)
        fail_msg("%s: a map came back with an error", c->what);
    assert_int_equal(e->code, c->code);
    if (strcmp(e->file, file) != 0 || e->line != c->line || e->column != c->column ||
        strncmp(e->message, c->message, strlen(c->message)) != 0)
        fail_msg("%s: got %s:%d:%d: %s", c->what, e->file, e->line, e->column, e->message);
}

static void every_malformed_document_is_refused_with_its_place(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof xcases / sizeof *xcases; i++) {
        const struct xcase *c = &xcases[i];
        cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
        cjm_map *m = NULL;
        o.name = "doc.xml";
        o.max_text = c->max_text;
        o.max_depth = c->depth;
        int rc = cjm_xml_read_memory(&m, c->doc, case_len(c), &o);
        check_result(c, rc, m, "doc.xml");
    }
}

static void the_same_documents_read_from_files_give_the_same_places(void **state)
{
    (void)state;
    const char *dir = test_scratch_dir("cov-xml-files");
    char path[4200];
    snprintf(path, sizeof path, "%s/doc.xml", dir);
    for (size_t i = 0; i < sizeof xcases / sizeof *xcases; i++) {
        const struct xcase *c = &xcases[i];
        cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
        cjm_map *m = NULL;
        o.max_text = c->max_text;
        o.max_depth = c->depth;
        int rc;
        test_write_file(path, c->doc, case_len(c));
        rc = cjm_xml_read_file(&m, path, &o);
        check_result(c, rc, m, path);
    }
}

static void bad_arguments_and_descriptors_are_refused(void **state)
{
    (void)state;
    cjm_map *m = (cjm_map *)&m;
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    int fd;
    assert_cjm_error(cjm_xml_read_memory(NULL, "x", 1, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_xml_read_memory(&m, NULL, 5, NULL), CJM_EINVAL);
    assert_null(m);
    /* no bytes at all is an empty document, not a bad argument */
    assert_cjm_error(cjm_xml_read_memory(&m, NULL, 0, NULL), CJM_EPARSE);
    assert_string_equal(cjm_error_last()->file, "(memory)");
    assert_null(m);
    assert_cjm_error(cjm_xml_read_fd(NULL, 0, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_xml_read_fd(&m, -1, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_xml_read_file(NULL, "x.xml", NULL), CJM_EINVAL);
    assert_cjm_error(cjm_xml_read_file(&m, NULL, NULL), CJM_EINVAL);
    assert_cjm_error(cjm_xml_read_file(&m, "/nonexistent/doc.xml", NULL), CJM_EIO);
    assert_string_equal(cjm_error_last()->file, "/nonexistent/doc.xml");
    assert_cjm_error(cjm_xml_read_file(&m, "/", NULL), CJM_EIO);
    assert_non_null(strstr(cjm_error_last()->message, "is a directory"));
    o.version = 99;
    assert_cjm_error(cjm_xml_read_memory(&m, H T, strlen(H T), &o), CJM_EINVAL);
    assert_null(m);
    /* a descriptor that cannot be read: the failure names the input */
    fd = open("/dev/null", O_WRONLY);
    assert_true(fd >= 0);
    assert_cjm_error(cjm_xml_read_fd(&m, fd, NULL), CJM_EIO);
    assert_string_equal(cjm_error_last()->file, "(fd)");
    assert_non_null(strstr(cjm_error_last()->message, "(fd): read failed"));
    o.version = CJM_XML_READ_OPTIONS_VERSION;
    o.name = NULL; /* options without a name: the same */
    assert_cjm_error(cjm_xml_read_fd(&m, fd, &o), CJM_EIO);
    assert_string_equal(cjm_error_last()->file, "(fd)");
    o.name = "";
    assert_cjm_error(cjm_xml_read_fd(&m, fd, &o), CJM_EIO);
    assert_non_null(strstr(cjm_error_last()->message, "input: read failed"));
    assert_null(m);
    close(fd);
}

static void a_document_through_a_pipe_reads_like_one_in_memory(void **state)
{
    (void)state;
    int p[2];
    cjm_map *m = NULL;
    static const char doc[] = H "<title>Through a pipe</title>" T;
    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], doc, sizeof doc - 1), (ssize_t)(sizeof doc - 1));
    close(p[1]);
    assert_ok(cjm_xml_read_fd(&m, p[0], NULL));
    close(p[0]);
    assert_string_equal(cjm_map_title(m), "Through a pipe");
    cjm_map_free(m);
}

static void text_in_a_kpi_is_refused_without_the_hint_for_journeys(void **state)
{
    (void)state;
    static const char doc[] = H "<journey id='j'><touchpoint id='a'><kpi name='c' value='1'> x"
                                "</kpi></touchpoint></journey>" T;
    cjm_map *m = (cjm_map *)&m;
    assert_cjm_error(cjm_xml_read_memory(&m, doc, sizeof doc - 1, NULL), CJM_EPARSE);
    assert_null(m);
    assert_string_equal(cjm_error_last()->message, "text is not allowed in <kpi>");
    assert_int_equal(cjm_error_last()->line, 1);
    assert_int_equal(cjm_error_last()->column, 112); /* after the leading space */
}

static void an_id_after_more_names_than_the_reader_caches_is_still_found(void **state)
{
    (void)state;
    /* 255 attributes of unknown names before the id: with the element's
     * name that is more names than the cache of names holds, so the last
     * ones, the id among them, are looked up uncached. The id is found all
     * the same: the refusal is of the first unknown name, not of a missing id. */
    char doc[8192];
    size_t n = (size_t)snprintf(doc, sizeof doc, "%s<actor", H);
    cjm_map *m = (cjm_map *)&m;
    const cjm_error *e;
    for (int i = 0; i < 255; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n, " a%d='1'", i);
    n += (size_t)snprintf(doc + n, sizeof doc - n, " id='x'/>%s", T);
    assert_true(n < sizeof doc);
    assert_cjm_error(cjm_xml_read_memory(&m, doc, n, NULL), CJM_EPARSE);
    assert_null(m);
    e = cjm_error_last();
    assert_string_equal(e->message, "unknown attribute 'a0' on <actor>");
    assert_int_equal(e->line, 1);
    assert_int_equal(e->column, 63);
}

static void the_tenth_journey_keeps_its_place(void **state)
{
    (void)state;
    /* the places of journeys are kept in an array that starts with eight */
    char doc[1024];
    size_t n = (size_t)snprintf(doc, sizeof doc, "%s", H);
    cjm_map *m = (cjm_map *)&m;
    for (int i = 0; i < 9; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n, "<journey id='j%d'/>", i);
    n += (size_t)snprintf(doc + n, sizeof doc - n, "\n  <journey id='j9' persona='p'/>%s", T);
    assert_true(n < sizeof doc);
    assert_cjm_error(cjm_xml_read_memory(&m, doc, n, NULL), CJM_EPARSE);
    assert_null(m);
    assert_string_equal(cjm_error_last()->message, "journey j9: persona 'p' does not exist");
    assert_int_equal(cjm_error_last()->line, 2);
    assert_int_equal(cjm_error_last()->column, 3);
    /* and with the persona defined, all ten are read */
    n = (size_t)snprintf(doc, sizeof doc, "%s<persona id='p'/>", H);
    for (int i = 0; i < 10; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n, "<journey id='j%d' persona='p'/>", i);
    n += (size_t)snprintf(doc + n, sizeof doc - n, "%s", T);
    assert_true(n < sizeof doc);
    assert_ok(cjm_xml_read_memory(&m, doc, n, NULL));
    assert_int_equal(cjm_map_journey_count(m), 10);
    assert_string_equal(cjm_journey_persona(cjm_map_journey_at(m, 9)), "p");
    cjm_map_free(m);
}

/*
 * A document whose attribute values each need more room than all before
 * them (white space around them is trimmed), so that the scratch buffer
 * of values grows at every place the reader copies one: the root, a
 * journey's id and attributes, an item's id and attributes, a KPI.
 */
typedef struct grow_doc {
    char text[16384];
    size_t len;
} grow_doc;

static void make_grow_doc(grow_doc *d)
{
    int n = snprintf(d->text, sizeof d->text,
                     "%s<title>%s</title><persona id='p'/><situation id='s'/>"
                     "<journey id='%70sj' persona='p%140s' status='actual'><label>L</label>"
                     "<touchpoint id='%300sa' frequency='%600s2e0' situations='s'>"
                     "<kpi name='CSAT' value='%1100s4'/></touchpoint>",
                     H, "A title of exactly sixty-three bytes, to fill the text buffer.",
                     "", "", "", "", "");
    /* items with many attributes (of another namespace, which the reader
     * leaves alone but reserves room for) take their slots from the map's
     * memory in blocks big enough to need new chunks of it */
    for (int i = 0; i < 8 && n > 0 && (size_t)n < sizeof d->text; i++) {
        n += snprintf(d->text + n, sizeof d->text - (size_t)n, "<touchpoint id='b%d' xmlns:x='urn:x'", i);
        for (int k = 0; k < 40 && (size_t)n < sizeof d->text; k++)
            n += snprintf(d->text + n, sizeof d->text - (size_t)n, " x:f%d=''", k);
        if ((size_t)n < sizeof d->text)
            n += snprintf(d->text + n, sizeof d->text - (size_t)n, "/>");
    }
    if (n > 0 && (size_t)n < sizeof d->text)
        n += snprintf(d->text + n, sizeof d->text - (size_t)n, "</journey>%s", T);
    assert_true(n > 0 && (size_t)n < sizeof d->text);
    d->len = (size_t)n;
}

static int read_grow_doc(const cjm_allocator *alloc, void *ctx)
{
    const grow_doc *d = ctx;
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    cjm_map *m = (cjm_map *)&m;
    const cjm_journey *j;
    const cjm_item *tp;
    double f;
    int rc;
    o.allocator = alloc;
    o.name = "grow.xml";
    rc = cjm_xml_read_memory(&m, d->text, d->len, &o);
    if (rc != 0) {
        /* nothing half-built comes back; a failure in the parse names its place */
        assert_null(m);
        if (cjm_error_last()->line > 0)
            assert_string_equal(cjm_error_last()->file, "grow.xml");
        return rc;
    }
    assert_string_equal(cjm_map_title(m),
                        "A title of exactly sixty-three bytes, to fill the text buffer.");
    j = cjm_map_journey(m, "j");
    assert_non_null(j);
    assert_string_equal(cjm_journey_persona(j), "p");
    assert_string_equal(cjm_journey_label(j), "L");
    tp = cjm_journey_find(j, "a");
    assert_non_null(tp);
    assert_ok(cjm_item_number(tp, CJM_ATTR_FREQUENCY, &f));
    assert_true(f == 2);
    assert_int_equal(cjm_item_kpi_count(tp), 1);
    assert_true(cjm_item_kpi_at(tp, 0)->value == 4);
    assert_int_equal(cjm_item_list_count(tp, CJM_ATTR_SITUATIONS), 1);
    cjm_map_free(m);
    return 0;
}

static void every_allocation_of_a_read_fails_cleanly(void **state)
{
    (void)state;
    grow_doc *d = malloc(sizeof *d);
    assert_non_null(d);
    make_grow_doc(d);
    assert_true(test_oom_loop(read_grow_doc, d, 0) > 10);
    assert_true(test_oom_loop(read_grow_doc, d, 1) > 10);
    free(d);
}

/*
 * Values are read in place when they can be and through a copy when they
 * hold an ampersand or are not plain decimals or names: both ways give
 * the same values, white space around them trimmed.
 */
static void values_read_in_place_and_through_a_copy_agree(void **state)
{
    (void)state;
    static const char doc[] =
        H "<situation id='s&amp;t'/><journey id='j'><stage id='x&amp;y'/>"
        "<touchpoint id='a' stage=' x&amp;y ' channel='&#9;web ' frequency=' 1234567890123456 '"
        " capacity='2.5e1' entry='1.' exit=' true ' emotion='-.5' complexity='&#32;complex'"
        " value='high' situations=' s&amp;t  at-home  '/>"
        "<touchpoint id='b' stage='x&amp;y' channel='web' frequency='0.1234567890123456' situations='s&amp;t'"
        " capacity='+3' entry='12345678901234.5'/>"
        "<transition id='t' from=' a' to='b ' duration='PT1M' volume='7'/></journey>" T;
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    const cjm_journey *j;
    const cjm_item *a, *b, *t;
    cjm_map *m;
    double d;
    int v;
    o.flags = CJM_XML_KEEP_PROBLEMS; /* the channel names nothing */
    assert_ok(cjm_xml_read_memory(&m, doc, sizeof doc - 1, &o));
    j = cjm_map_journey(m, "j");
    a = cjm_journey_find(j, "a");
    b = cjm_journey_find(j, "b");
    t = cjm_journey_find(j, "t");
    assert_string_equal(cjm_item_text(a, CJM_ATTR_STAGE), "x&y");
    assert_ptr_equal(cjm_item_text(a, CJM_ATTR_STAGE), cjm_item_text(b, CJM_ATTR_STAGE));
    assert_string_equal(cjm_item_text(a, CJM_ATTR_CHANNEL), "web");
    assert_ptr_equal(cjm_item_text(a, CJM_ATTR_CHANNEL), cjm_item_text(b, CJM_ATTR_CHANNEL));
    assert_ok(cjm_item_number(a, CJM_ATTR_FREQUENCY, &d));
    assert_true(d == 1234567890123456.0);
    assert_ok(cjm_item_number(a, CJM_ATTR_CAPACITY, &d));
    assert_true(d == 25);
    assert_ok(cjm_item_number(a, CJM_ATTR_ENTRY, &d));
    assert_true(d == 1);
    assert_ok(cjm_item_number(a, CJM_ATTR_EMOTION, &d));
    assert_true(d == -0.5);
    assert_ok(cjm_item_int(a, CJM_ATTR_EXIT, &v));
    assert_int_equal(v, 1);
    assert_ok(cjm_item_int(a, CJM_ATTR_COMPLEXITY, &v));
    assert_int_equal(v, CJM_COMPLEXITY_COMPLEX);
    assert_ok(cjm_item_int(a, CJM_ATTR_VALUE, &v));
    assert_int_equal(v, CJM_VALUE_HIGH);
    assert_int_equal(cjm_item_list_count(a, CJM_ATTR_SITUATIONS), 2);
    assert_string_equal(cjm_item_list_at(a, CJM_ATTR_SITUATIONS, 0), "s&t");
    assert_string_equal(cjm_item_list_at(a, CJM_ATTR_SITUATIONS, 1), "at-home");
    assert_ok(cjm_item_number(b, CJM_ATTR_FREQUENCY, &d));
    assert_true(d == 0.1234567890123456);
    assert_ok(cjm_item_number(b, CJM_ATTR_CAPACITY, &d));
    assert_true(d == 3);
    assert_ok(cjm_item_number(b, CJM_ATTR_ENTRY, &d));
    assert_true(d == 12345678901234.5);
    assert_string_equal(cjm_item_text(t, CJM_ATTR_FROM), "a");
    assert_string_equal(cjm_item_text(t, CJM_ATTR_TO), "b");
    assert_ok(cjm_item_number(t, CJM_ATTR_DURATION, &d));
    assert_true(d == 60);
    assert_ok(cjm_item_number(t, CJM_ATTR_VOLUME, &d));
    assert_true(d == 7);
    cjm_map_free(m);
}

/* One read of a document under a failing allocator: it must give the
 * expected result or run out of memory cleanly. */
typedef struct amp_doc {
    const char *doc;
    int code;            /* expected result */
    const char *message; /* and the start of its message */
} amp_doc;

static int read_amp_doc(const cjm_allocator *alloc, void *vctx)
{
    const amp_doc *d = vctx;
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    cjm_map *m;
    int rc;
    o.allocator = alloc;
    rc = cjm_xml_read_memory(&m, d->doc, strlen(d->doc), &o);
    if (rc == 0)
        cjm_map_free(m);
    if (rc == d->code && rc != 0 &&
        strncmp(cjm_error_last()->message, d->message, strlen(d->message)) == 0)
        return 0;
    return rc;
}

/*
 * Every allocation of reading ids and values that hold an ampersand, and
 * of finding an id used twice before a problem of syntax, fails cleanly.
 */
static void reading_ampersands_and_duplicates_runs_out_of_memory_cleanly(void **state)
{
    (void)state;
    static const amp_doc docs[] = {
        {H "<channel id='a&amp;b'/><journey id='j'><stage id='s&amp;1'><label>S &amp; T</label></stage>"
           "<touchpoint id='t&amp;1' stage='s&amp;1' channel='a&amp;b' situations='x&amp;y'/></journey>"
           "<situation id='x&amp;y'/>" T,
         0, ""},
        {H "<journey id='j'><stage id='"
           "&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;"
           "&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;"
           "&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;"
           "&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;&amp;'/>"
           "</journey>" T,
         0, ""},
        {H "<journey id='j'><stage id='a'/><stage id='b'/><touchpoint id='a'/><stage" T, CJM_EPARSE,
         "duplicate id 'a': already used at line 1, column "},
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        assert_int_equal(read_amp_doc(NULL, (void *)&docs[i]), 0);
        assert_true(test_oom_loop(read_amp_doc, (void *)&docs[i], 0) > 5);
        assert_true(test_oom_loop(read_amp_doc, (void *)&docs[i], 1) > 5);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reading_ampersands_and_duplicates_runs_out_of_memory_cleanly),
        cmocka_unit_test(every_malformed_document_is_refused_with_its_place),
        cmocka_unit_test(the_same_documents_read_from_files_give_the_same_places),
        cmocka_unit_test(bad_arguments_and_descriptors_are_refused),
        cmocka_unit_test(a_document_through_a_pipe_reads_like_one_in_memory),
        cmocka_unit_test(text_in_a_kpi_is_refused_without_the_hint_for_journeys),
        cmocka_unit_test(an_id_after_more_names_than_the_reader_caches_is_still_found),
        cmocka_unit_test(the_tenth_journey_keeps_its_place),
        cmocka_unit_test(every_allocation_of_a_read_fails_cleanly),
        cmocka_unit_test(values_read_in_place_and_through_a_copy_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
