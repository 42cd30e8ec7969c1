/*
 * The hardened libxml2 set-up: a raw-byte scanner that runs ahead of the
 * parser (UTF-8, NUL and control bytes, DOCTYPE, attribute count and value
 * length, all with a location), per-context refusals of every DTD and
 * entity callback, and a per-context structured error handler.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parserInternals.h>

#if defined(__SSE2__) && !defined(CJM__XML_NO_SIMD)
#include <emmintrin.h>
#define CJM__XML_SSE2 1
/* AVX2, where the processor has it, chosen at run time */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CJM__XML_AVX2 1
#endif
#endif

#include "xml/xmlsafe.h"

/* Bytes handed to libxml2 at a time, so that a big buffer never sits in
 * the parser whole. */
#define CHUNK 65536

enum {
    S_TEXT = 0, /* character data */
    S_LT,       /* after '<' */
    S_BANG,     /* after "<!" */
    S_COMMENT,  /* inside "<!--" */
    S_CDATA,    /* inside "<![CDATA[" */
    S_PI,       /* inside "<?" */
    S_STAG,     /* inside a start tag */
    S_QUOTE,    /* inside an attribute value */
    S_ETAG      /* inside an end tag */
};

typedef cjm__xml_pending pending;

void cjm__xml_init(cjm__xml *x, const char *file, const cjm__xml_limits *limits, void *user)
{
    memset(x, 0, sizeof *x);
    x->file = file ? file : "";
    if (limits)
        x->limits = *limits;
    if (x->limits.max_size == 0)
        x->limits.max_size = CJM__XML_DEFAULT_MAX_SIZE;
    if (x->limits.max_depth <= 0)
        x->limits.max_depth = CJM__XML_DEFAULT_MAX_DEPTH;
    if (x->limits.max_attrs <= 0)
        x->limits.max_attrs = CJM__XML_DEFAULT_MAX_ATTRS;
    if (x->limits.max_value == 0)
        x->limits.max_value = CJM__XML_DEFAULT_MAX_VALUE;
    x->user = user;
    x->scan.line = 1;
    x->scan.column = 1;
}

/* ---- words of eight bytes (with cjm__word_eq() of core.h) ---------------- */

static int lowest(uint64_t v)
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_ctzll(v);
#else
    int n = 0;
    while (!(v & 1))
        v >>= 1, n++;
    return n;
#endif
}

/* Set bits (without a library call where the CPU lacks an instruction for it). */
static int ones(uint64_t v)
{
    v = v - ((v >> 1) & 0x5555555555555555ULL);
    v = (v & 0x3333333333333333ULL) + ((v >> 2) & 0x3333333333333333ULL);
    v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (int)((v * CJM__ONES) >> 56);
}

/* Whether an odd number of bits is set. */
static int parity(uint64_t v)
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_parityll(v);
#else
    return ones(v) & 1;
#endif
}

static int highest(uint64_t v)
{
#if defined(__GNUC__) || defined(__clang__)
    return 63 - __builtin_clzll(v);
#else
    int n = 63;
    while (!(v >> 63))
        v <<= 1, n--;
    return n;
#endif
}

/* ---- locations and errors ---------------------------------------------- */

/*
 * The parser's input, NULL when no parse runs. A push parser's context has
 * one from its creation to its end, with its buffer's `base` and `cur` set
 * (a stopped parser points both at an empty string).
 */
static xmlParserInputPtr input_of(const cjm__xml *x)
{
    return x->ctxt ? x->ctxt->input : NULL;
}

void cjm__xml_where(const cjm__xml *x, int *line, int *column)
{
    xmlParserInputPtr in = input_of(x);
    *line = *column = 0;
    if (in) {
        *line = in->line;
        *column = in->col;
    }
}

/* The line feeds from `from` to `to`, usually a few in a hundred bytes or
 * so, where a loop the compiler can widen costs less than a call to
 * memchr() for each. */
static int newlines(const xmlChar *from, const xmlChar *to)
{
    int n = 0;
    for (; from < to; from++)
        n += *from == '\n';
    return n;
}

/* The characters of [from, to): its bytes but UTF-8 continuation bytes
 * (10xxxxxx), counted eight at a time: bit 7 set and bit 6 clear. */
static int utf8_chars(const xmlChar *from, const xmlChar *to)
{
    size_t n = (size_t)(to - from), i = 0, cont = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, from + i, 8);
        w = (w & ~(w << 1) & CJM__HIGH) >> 7;
        cont += (size_t)((w * CJM__ONES) >> 56); /* the sum of the bytes */
    }
    for (; i < n; i++)
        cont += (from[i] & 0xC0) == 0x80;
    return (int)(n - cont);
}

/*
 * The column of `p`, where a search back from it for a line feed stopped at
 * `q` in the parser's buffer: a line feed before `q`, or the buffer's base.
 * A base that is still the document's first byte starts line 1 (after a
 * byte order mark, which libxml2 does not count); otherwise the line began
 * in bytes the buffer has let go of, and the column is unknown (0).
 */
static int column_after(xmlParserInputPtr in, const xmlChar *q, const xmlChar *p)
{
    if (q == in->base) {
        if (in->consumed != 0)
            return 0;
        /* `p` is at or after the root's '<', so three bytes are there to compare */
        if (memcmp(q, "\xEF\xBB\xBF", 3) == 0)
            q += 3;
    }
    return utf8_chars(q, p) + 1;
}

/*
 * Where `p`, a pointer into the parser's current buffer before its cursor,
 * lies; -1 when it is not there (or NULL). libxml2 counts the characters of
 * a line as utf8_chars() does, so a column found from the cursor's is at
 * least 1.
 */
static int locate(const cjm__xml *x, const xmlChar *p, int *line, int *column)
{
    xmlParserInputPtr in = input_of(x);
    const xmlChar *q;
    int feeds;

    if (!in || !p || p < in->base || p > in->cur)
        return -1;
    feeds = newlines(p, in->cur);
    *line = in->line - feeds;
    if (feeds == 0) {
        *column = in->col - utf8_chars(p, in->cur);
        return 0;
    }
    for (q = p; q > in->base && q[-1] != '\n'; q--)
        ;
    *column = column_after(in, q, p);
    return 0;
}

/* The last '<' in [base, end), NULL when none: eight bytes at a time where
 * words are little-endian, the highest byte marked by cjm__word_eq() being the last. */
static const xmlChar *last_lt(const xmlChar *base, const xmlChar *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (end - base >= 8) {
        uint64_t w, z;
        memcpy(&w, end - 8, 8);
        z = cjm__word_eq(w, '<');
        if (z)
            return end - 8 + highest(z) / 8;
        end -= 8;
    }
#endif
    for (; end > base; end--)
        if (end[-1] == '<')
            return end - 1;
    return NULL;
}

void cjm__xml_where_tag(const cjm__xml *x, int *line, int *column)
{
    xmlParserInputPtr in = input_of(x);

    cjm__xml_where(x, line, column);
    /* A start tag holds no raw '<' (values need "&lt;"), so the last one
     * before the cursor opens the tag; with none left in the buffer,
     * locate() is given NULL and the parser's position stays. */
    if (in)
        locate(x, last_lt(in->base, in->cur), line, column);
}

/* Moves a place (line, column) at `from` on to `to`: tags are close to
 * each other, so its last line feed is looked for from the end. */
static void advance(const xmlChar *from, const xmlChar *to, int *line, int *column)
{
    const xmlChar *q = to;
    while (q > from && q[-1] != '\n')
        q--;
    if (q == from) {
        *column += utf8_chars(from, to);
        return;
    }
    *column = utf8_chars(q, to) + 1;
    *line += newlines(from, q);
}

void cjm__xml_where_start(cjm__xml *x, const xmlChar *inside, int *line, int *column)
{
    xmlParserInputPtr in = x->ctxt->input;
    size_t done = (size_t)in->consumed; /* the bytes before the buffer's base */
    uintptr_t base = (uintptr_t)in->base;
    const xmlChar *from = in->cur, *at = NULL, *p = NULL;

    /* a start tag holds no '<', so the last one before any byte of it opens it */
    if ((uintptr_t)inside - base <= (uintptr_t)in->cur - base)
        from = inside;
    /* the mark is an offset in the document, so it stays right when the
     * buffer moves; it is of use while its byte is still in the buffer */
    if (x->mark.at > done) {
        at = in->base + (x->mark.at - 1 - done);
        p = last_lt(at, from);
    }
    if (p) {
        *line = x->mark.line;
        *column = x->mark.column;
        advance(at, p, line, column);
    } else {
        /* the first call, a mark the buffer has let go of, a second call for one tag */
        cjm__xml_where_tag(x, line, column);
    }
    x->mark.at = done + (size_t)(in->cur - in->base) + 1;
    x->mark.line = in->line;
    x->mark.column = in->col;
}

void cjm__xml_where_text(const cjm__xml *x, const xmlChar *ch, int len, int offset, int *line,
                         int *column)
{
    xmlParserInputPtr in = input_of(x);
    const xmlChar *p = ch + offset, *end = ch + len, *q;
    int feeds;

    cjm__xml_where(x, line, column);
    if (!in || offset < 0 || offset > len)
        return;
    /* libxml2 has already counted the text when it hands it over */
    feeds = newlines(p, end);
    *line = in->line - feeds;
    if (feeds == 0) {
        *column = in->col - utf8_chars(p, end);
        return;
    }
    for (q = p; q > ch && q[-1] != '\n'; q--)
        ;
    if (q > ch) {
        *column = utf8_chars(q, p) + 1;
        return;
    }
    *column = 0;
    if (ch >= in->base && ch <= in->cur) {
        for (; q > in->base && q[-1] != '\n'; q--)
            ;
        *column = column_after(in, q, p);
    }
}

void cjm__xml_where_value(const cjm__xml *x, const xmlChar *value, int *line, int *column)
{
    if (locate(x, value, line, column) < 0)
        cjm__xml_where_tag(x, line, column);
}

static int vfail_at(cjm__xml *x, int code, int line, int column, const char *fmt, va_list ap)
{
    char message[400];
    if (x->failed)
        return x->failed;
    if (line <= 0)
        cjm__xml_where(x, &line, &column);
    vsnprintf(message, sizeof message, fmt, ap);
    cjm__error_at(code, x->file, line, column, "%s", message);
    x->failed = code;
    /* Inside the read callback the parser is not stopped, which frees the
     * buffer libxml2 is filling: it is told to make no more callbacks and
     * to end, and the callback's -1 ends the parse. */
    if (x->ctxt && x->reading) {
        x->ctxt->disableSAX = 1;
        x->ctxt->instate = XML_PARSER_EOF;
    } else if (x->ctxt) {
        xmlStopParser(x->ctxt);
    }
    return code;
}

int cjm__xml_fail_at(cjm__xml *x, int code, int line, int column, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = vfail_at(x, code, line, column, fmt, ap);
    va_end(ap);
    return rc;
}

int cjm__xml_fail(cjm__xml *x, int code, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = vfail_at(x, code, 0, 0, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- depth and attributes ----------------------------------------------- */

int cjm__xml_enter_refused(cjm__xml *x, int nb_attributes)
{
    int line, column;
    if (x->failed)
        return x->failed;
    /* counted as before the inline check took the usual case */
    x->elements++;
    cjm__xml_where_tag(x, &line, &column);
    if (++x->depth > x->limits.max_depth)
        return cjm__xml_fail_at(x, CJM_ELIMIT, line, column,
                                "elements are nested deeper than the limit of %d",
                                x->limits.max_depth);
    /* not too deep: the inline check saw more attributes than the limit */
    (void)nb_attributes;
    return cjm__xml_fail_at(x, CJM_ELIMIT, line, column, "an element has more than %d attributes",
                            x->limits.max_attrs);
}

/* ---- SAX callbacks: refusals and the error handler ---------------------- */

/* Whether the parser has used up its input (comments and white space only
 * before it, when it looks for the root element). */
static int at_end(const cjm__xml *x)
{
    xmlParserInputPtr in = input_of(x);
    return in && in->cur >= in->end;
}

static void on_error(void *ctx, xmlErrorPtr e)
{
    cjm__xml *x = ctx;
    char text[300];
    size_t n;

    if (!x || !e || x->failed || e->level < XML_ERR_ERROR)
        return; /* warnings (a relative namespace URI, ...) are not failures */
    snprintf(text, sizeof text, "%s", e->message ? e->message : "malformed XML");
    n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
        text[--n] = '\0';
    if (e->code == XML_ERR_DOCUMENT_EMPTY && x->scan.content && !at_end(x))
        snprintf(text, sizeof text, "not an XML document: it does not begin with an element");
    else if (e->code == XML_ERR_DOCUMENT_EMPTY)
        snprintf(text, sizeof text, "the document is empty: it has no element");
    else if (e->code == XML_ERR_DOCUMENT_END && !x->elements)
        snprintf(text, sizeof text, "the document is empty: it has no element");
    /* the end of the input inside an element (libxml2 names the innermost
     * open one, the parser's current name, in a premature end of a tag) */
    else if ((e->code == XML_ERR_DOCUMENT_END || e->code == XML_ERR_CDATA_NOT_FINISHED ||
              e->code == XML_ERR_TAG_NOT_FINISHED) &&
             x->ctxt && x->ctxt->nameNr > 0)
        snprintf(text, sizeof text,
                 "the document ends before <%.60s> is closed: it is truncated",
                 (const char *)x->ctxt->name);
    else if (strncmp(text, "Unregistered error message", 26) == 0)
        snprintf(text, sizeof text, "the XML is not well-formed (libxml2 error %d)", e->code);
    cjm__xml_fail_at(x, CJM_EPARSE, e->line > 0 ? e->line : 1, e->int2 > 0 ? e->int2 : 1,
                     "%s", text);
}

static int refuse_dtd(void *ctx, const char *what)
{
    return cjm__xml_fail(ctx, CJM_EPARSE, "DTDs are not allowed (%s)", what);
}

static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *ext,
                               const xmlChar *sys)
{
    (void)name, (void)ext, (void)sys;
    refuse_dtd(ctx, "a document type declaration");
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *pub,
                           const xmlChar *sys, xmlChar *content)
{
    (void)name, (void)type, (void)pub, (void)sys, (void)content;
    refuse_dtd(ctx, "an entity declaration");
}

static void on_notation_decl(void *ctx, const xmlChar *name, const xmlChar *pub,
                             const xmlChar *sys)
{
    (void)name, (void)pub, (void)sys;
    refuse_dtd(ctx, "a notation declaration");
}

static void on_attribute_decl(void *ctx, const xmlChar *elem, const xmlChar *name, int type,
                              int def, const xmlChar *value, xmlEnumerationPtr tree)
{
    (void)elem, (void)name, (void)type, (void)def, (void)value;
    xmlFreeEnumeration(tree); /* the callback owns it */
    refuse_dtd(ctx, "an attribute declaration");
}

static void on_element_decl(void *ctx, const xmlChar *name, int type,
                            xmlElementContentPtr content)
{
    (void)name, (void)type, (void)content;
    refuse_dtd(ctx, "an element declaration");
}

static void on_unparsed_entity_decl(void *ctx, const xmlChar *name, const xmlChar *pub,
                                    const xmlChar *sys, const xmlChar *notation)
{
    (void)name, (void)pub, (void)sys, (void)notation;
    refuse_dtd(ctx, "an entity declaration");
}

static xmlEntityPtr on_get_entity(void *ctx, const xmlChar *name)
{
    cjm__xml *x = ctx;
    xmlParserInputPtr in = input_of(x);
    xmlEntityPtr e = xmlGetPredefinedEntity(name);
    int line = 0, column = 0;
    if (e)
        return e;
    if (in && name) {
        /* the parser stands just after "&name;": point at the '&' */
        size_t n = strlen((const char *)name) + 2;
        if ((size_t)(in->cur - in->base) >= n && in->cur[-(ptrdiff_t)n] == '&')
            locate(x, in->cur - n, &line, &column);
    }
    cjm__xml_fail_at(x, CJM_EPARSE, line, column,
                  "entity reference '&%.60s;' is not allowed: DTDs and entities are not "
                  "accepted",
                  name ? (const char *)name : "");
    return NULL;
}

static xmlEntityPtr on_get_parameter_entity(void *ctx, const xmlChar *name)
{
    (void)name;
    refuse_dtd(ctx, "a parameter entity");
    return NULL;
}

static xmlParserInputPtr on_resolve_entity(void *ctx, const xmlChar *pub, const xmlChar *sys)
{
    (void)pub, (void)sys;
    refuse_dtd(ctx, "an external entity");
    return NULL;
}

static void on_reference(void *ctx, const xmlChar *name)
{
    on_get_entity(ctx, name);
}

void cjm__xml_sax_init(xmlSAXHandler *sax)
{
    memset(sax, 0, sizeof *sax);
    sax->initialized = XML_SAX2_MAGIC;
    sax->serror = on_error;
    sax->internalSubset = on_internal_subset;
    sax->externalSubset = on_internal_subset;
    sax->entityDecl = on_entity_decl;
    sax->notationDecl = on_notation_decl;
    sax->attributeDecl = on_attribute_decl;
    sax->elementDecl = on_element_decl;
    sax->unparsedEntityDecl = on_unparsed_entity_decl;
    sax->getEntity = on_get_entity;
    sax->getParameterEntity = on_get_parameter_entity;
    sax->resolveEntity = on_resolve_entity;
    sax->reference = on_reference;
}

/* ---- the raw-byte scanner ------------------------------------------------ */

static int scan_fail(pending *p, int code, int line, int column, const char *fmt, ...)
    CJM__PRINTF(5, 6);

static int scan_fail(pending *p, int code, int line, int column, const char *fmt, ...)
{
    va_list ap;
    p->code = code;
    p->line = line;
    p->column = column;
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof p->message, fmt, ap);
    va_end(ap);
    return -1;
}

static int is_blank(unsigned char b)
{
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
}

/* Moves the lexical state on by one ASCII or non-ASCII byte. */
static int lex(cjm__xml *x, unsigned char b, int line, int column, pending *p)
{
    cjm__xml_scan *s = &x->scan;
    switch (s->state) {
    case S_TEXT:
        if (b == '<')
            s->state = S_LT;
        break;
    case S_LT:
        if (b == '!') {
            s->state = S_BANG;
            s->nlook = 0;
        } else if (b == '?') {
            s->state = S_PI;
            s->marks = 0;
        } else if (b == '/') {
            s->state = S_ETAG;
        } else if (b == '>') {
            s->state = S_TEXT;
        } else {
            s->state = S_STAG;
            s->attrs = 0;
        }
        break;
    case S_BANG:
        s->look[s->nlook++] = (char)b;
        if (s->nlook == 1 && (b == 'D' || b == 'E' || b == 'A' || b == 'N'))
            return scan_fail(p, CJM_EPARSE, line, column - 2, "DTDs are not allowed (%s)",
                             b == 'D'   ? "a <!DOCTYPE declaration"
                             : b == 'E' ? "an <!ENTITY or <!ELEMENT declaration"
                             : b == 'A' ? "an <!ATTLIST declaration"
                                        : "a <!NOTATION declaration");
        if (s->nlook == 2 && memcmp(s->look, "--", 2) == 0) {
            s->state = S_COMMENT;
            s->marks = 0;
        } else if (memcmp(s->look, "[CDATA[", (size_t)s->nlook) == 0) {
            if (s->nlook == 7) {
                s->state = S_CDATA;
                s->marks = 0;
            }
        } else if (!(s->nlook == 1 && b == '-')) {
            /* libxml2 would say "internal error" here: a plain reason instead */
            return scan_fail(p, CJM_EPARSE, line, column - 1 - s->nlook,
                             "not well-formed: \"<!\" must begin a comment (<!--) or a "
                             "CDATA section (<![CDATA[)");
        }
        break;
    case S_COMMENT:
        if (b == '>' && s->marks >= 2)
            s->state = S_TEXT;
        else
            s->marks = b == '-' ? s->marks + 1 : 0;
        break;
    case S_CDATA:
        if (b == '>' && s->marks >= 2)
            s->state = S_TEXT;
        else
            s->marks = b == ']' ? s->marks + 1 : 0;
        break;
    case S_PI:
        if (b == '>' && s->marks)
            s->state = S_TEXT;
        else
            s->marks = b == '?';
        break;
    case S_STAG:
        if (b == '"' || b == '\'') {
            s->state = S_QUOTE;
            s->quote = (char)b;
            s->value = 0;
        } else if (b == '=') {
            if (++s->attrs > x->limits.max_attrs)
                return scan_fail(p, CJM_ELIMIT, line, column,
                                 "an element has more than %d attributes",
                                 x->limits.max_attrs);
        } else if (b == '>') {
            s->state = S_TEXT;
        }
        break;
    case S_QUOTE:
        if (b == (unsigned char)s->quote)
            s->state = S_STAG;
        else if (++s->value > x->limits.max_value)
            return scan_fail(p, CJM_ELIMIT, line, column,
                             "an attribute value is longer than the limit of %zu bytes",
                             x->limits.max_value);
        break;
    default: /* S_ETAG, the last state */
        if (b == '>')
            s->state = S_TEXT;
        break;
    }
    return 0;
}

/* ---- the fast path ------------------------------------------------------------ */

/*
 * Most of a document is character data and tags made of printable ASCII.
 * The fast path takes such stretches a window at a time: it marks in
 * bitmaps the bytes that matter (< > = " ' line feeds, and every byte that
 * needs a closer look: controls but tab, line feed and carriage return, and
 * bytes >= 0x80), then steps from tag to tag instead of from byte to byte.
 *
 * It runs only in character data with no UTF-8 sequence open, and hands
 * over to the byte-by-byte scanner, at the '<' of a tag or at the byte,
 * whatever it cannot prove fine at once: comments, CDATA sections,
 * processing instructions and declarations, a single quote or an odd number
 * of double quotes before a start tag's first '>', more '=' in a start tag
 * than the attribute limit, a start tag longer than the value limit or than
 * a window, a tag that runs past the bytes at hand, control bytes and bytes
 * >= 0x80. What it accepts, the byte-by-byte scanner accepts too, ending in
 * the same state on the same line and column: every check keeps its message
 * and location because the byte-by-byte scanner is the one that reports.
 */
#define WIN_WORDS 64            /* bitmap words in a window */
#define WIN (WIN_WORDS * 64)    /* bytes in a window */

typedef struct win {
    uint64_t lt[WIN_WORDS], gt[WIN_WORDS], eq[WIN_WORDS], dq[WIN_WORDS], sq[WIN_WORDS],
        nl[WIN_WORDS], bad[WIN_WORDS], bq[WIN_WORDS]; /* bq: '!' and '?' */
} win;

#ifdef CJM__XML_SSE2
/*
 * Marks the `count` blocks of 64 bytes at `b` in the bitmaps' words `k` on.
 * A whole window at a time, so that the compared characters are set up
 * once, not once a block.
 */
static void classify(const unsigned char *b, win *w, size_t k, size_t count)
{
    const __m128i c_nl = _mm_set1_epi8('\n'), c_lt = _mm_set1_epi8('<'), c_gt = _mm_set1_epi8('>');
    const __m128i c_eq = _mm_set1_epi8('='), c_dq = _mm_set1_epi8('"'), c_sq = _mm_set1_epi8('\'');
    const __m128i c_bang = _mm_set1_epi8('!'), c_qm = _mm_set1_epi8('?');
    const __m128i c_space = _mm_set1_epi8(0x20), c_tab = _mm_set1_epi8('\t');
    const __m128i c_cr = _mm_set1_epi8('\r');
    for (size_t e = k + count; k < e; k++, b += 64) {
        uint64_t lt = 0, gt = 0, eq = 0, dq = 0, sq = 0, nl = 0, bad = 0, bq = 0;
        for (int q = 0; q < 4; q++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + 16 * q));
            unsigned n = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c_nl));
            /* signed: below 0x20, or 0x80 and above; tab and carriage return
             * are looked for only where such a byte is */
            unsigned low = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, c_space)) & ~n;
            if (low)
                low &= ~(unsigned)_mm_movemask_epi8(
                    _mm_or_si128(_mm_cmpeq_epi8(v, c_tab), _mm_cmpeq_epi8(v, c_cr)));
            lt |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c_lt)) << (16 * q);
            gt |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c_gt)) << (16 * q);
            eq |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c_eq)) << (16 * q);
            dq |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c_dq)) << (16 * q);
            sq |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c_sq)) << (16 * q);
            nl |= (uint64_t)n << (16 * q);
            bad |= (uint64_t)low << (16 * q);
            bq |= (uint64_t)(unsigned)_mm_movemask_epi8(
                      _mm_or_si128(_mm_cmpeq_epi8(v, c_bang), _mm_cmpeq_epi8(v, c_qm)))
                  << (16 * q);
        }
        w->lt[k] = lt, w->gt[k] = gt, w->eq[k] = eq, w->dq[k] = dq, w->sq[k] = sq;
        w->nl[k] = nl, w->bad[k] = bad, w->bq[k] = bq;
    }
}

#ifdef CJM__XML_AVX2
__attribute__((target("avx2"))) static uint64_t mask32(__m256i m)
{
    return (uint32_t)_mm256_movemask_epi8(m);
}

/* classify(), 32 bytes at a time. */
__attribute__((target("avx2"))) static void classify_avx2(const unsigned char *b, win *w,
                                                           size_t k, size_t count)
{
    const __m256i c_nl = _mm256_set1_epi8('\n'), c_lt = _mm256_set1_epi8('<');
    const __m256i c_gt = _mm256_set1_epi8('>'), c_eq = _mm256_set1_epi8('=');
    const __m256i c_dq = _mm256_set1_epi8('"'), c_sq = _mm256_set1_epi8('\'');
    const __m256i c_bang = _mm256_set1_epi8('!'), c_qm = _mm256_set1_epi8('?');
    const __m256i c_space = _mm256_set1_epi8(0x20), c_tab = _mm256_set1_epi8('\t');
    const __m256i c_cr = _mm256_set1_epi8('\r');
    for (size_t e = k + count; k < e; k++, b += 64) {
        uint64_t lt = 0, gt = 0, eq = 0, dq = 0, sq = 0, nl = 0, bad = 0, bq = 0;
        for (int q = 0; q < 2; q++) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(b + 32 * q));
            uint64_t n = mask32(_mm256_cmpeq_epi8(v, c_nl));
            uint64_t low = mask32(_mm256_cmpgt_epi8(c_space, v)) & ~n;
            if (low)
                low &= ~mask32(_mm256_or_si256(_mm256_cmpeq_epi8(v, c_tab),
                                               _mm256_cmpeq_epi8(v, c_cr)));
            lt |= mask32(_mm256_cmpeq_epi8(v, c_lt)) << (32 * q);
            gt |= mask32(_mm256_cmpeq_epi8(v, c_gt)) << (32 * q);
            eq |= mask32(_mm256_cmpeq_epi8(v, c_eq)) << (32 * q);
            dq |= mask32(_mm256_cmpeq_epi8(v, c_dq)) << (32 * q);
            sq |= mask32(_mm256_cmpeq_epi8(v, c_sq)) << (32 * q);
            nl |= n << (32 * q);
            bad |= low << (32 * q);
            bq |= mask32(_mm256_or_si256(_mm256_cmpeq_epi8(v, c_bang),
                                         _mm256_cmpeq_epi8(v, c_qm)))
                  << (32 * q);
        }
        w->lt[k] = lt, w->gt[k] = gt, w->eq[k] = eq, w->dq[k] = dq, w->sq[k] = sq;
        w->nl[k] = nl, w->bad[k] = bad, w->bq[k] = bq;
    }
}

/* AVX2, and the carry-less multiplication and popcnt that come with it. */
static int have_avx2(const cjm__xml_scan *s)
{
    return !s->plain_simd && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") &&
           __builtin_cpu_supports("popcnt");
}
#else
#define classify_avx2 classify
#define have_avx2(s) ((void)(s), 0)
#endif
#else

/* One bit per byte of the word whose high bits `m` marks, byte i giving bit i. */
static unsigned squeeze(uint64_t m)
{
    return (unsigned)((((m >> 7) & CJM__ONES) * 0x0102040810204080ULL) >> 56);
}

static void classify(const unsigned char *b, win *w, size_t k, size_t count)
{
    for (size_t e = k + count; k < e; k++, b += 64) {
        uint64_t lt = 0, gt = 0, eq = 0, dq = 0, sq = 0, nl = 0, bad = 0, bq = 0;
        for (int q = 0; q < 8; q++) {
            uint64_t v = 0, n, low;
            for (int i = 7; i >= 0; i--)
                v = v << 8 | b[8 * q + i];
            n = cjm__word_eq(v, '\n');
            /* below 0x20, or 0x80 and above */
            low = (~((v & CJM__LOW7) + CJM__ONES * 0x60) | v) & CJM__HIGH;
            low &= ~(n | cjm__word_eq(v, '\t') | cjm__word_eq(v, '\r'));
            lt |= (uint64_t)squeeze(cjm__word_eq(v, '<')) << (8 * q);
            gt |= (uint64_t)squeeze(cjm__word_eq(v, '>')) << (8 * q);
            eq |= (uint64_t)squeeze(cjm__word_eq(v, '=')) << (8 * q);
            dq |= (uint64_t)squeeze(cjm__word_eq(v, '"')) << (8 * q);
            sq |= (uint64_t)squeeze(cjm__word_eq(v, '\'')) << (8 * q);
            nl |= (uint64_t)squeeze(n) << (8 * q);
            bad |= (uint64_t)squeeze(low) << (8 * q);
            bq |= (uint64_t)squeeze(cjm__word_eq(v, '!') | cjm__word_eq(v, '?')) << (8 * q);
        }
        w->lt[k] = lt, w->gt[k] = gt, w->eq[k] = eq, w->dq[k] = dq, w->sq[k] = sq;
        w->nl[k] = nl, w->bad[k] = bad, w->bq[k] = bq;
    }
}
#define classify_avx2 classify
#define have_avx2(s) ((void)(s), 0)
#endif

/* The bits of a word at positions `from` (0..63) and above. */
static uint64_t from_bit(int from)
{
    return ~(uint64_t)0 << from;
}

/* The first marked position in [from, to), or `to`; `from` < `to`. */
static inline size_t next_mark(const uint64_t *map, size_t from, size_t to)
{
    size_t k = from / 64;
    uint64_t v = map[k] & from_bit((int)(from % 64));
    while (!v) {
        if (++k * 64 >= to)
            return to;
        v = map[k];
    }
    from = k * 64 + (size_t)lowest(v);
    return from < to ? from : to;
}

/* How many positions in [from, to) are marked; `from` < `to`. */
static size_t count_marks(const uint64_t *map, size_t from, size_t to)
{
    size_t k = from / 64, end = to / 64, n;
    uint64_t v = map[k] & from_bit((int)(from % 64));
    if (k == end)
        return (size_t)ones(v & ~from_bit((int)(to % 64)));
    n = (size_t)ones(v);
    while (++k < end)
        n += (size_t)ones(map[k]);
    if (to % 64)
        n += (size_t)ones(map[end] & ~from_bit((int)(to % 64)));
    return n;
}

/* The last marked position in [0, to), where one is. */
static size_t last_mark(const uint64_t *map, size_t to)
{
    size_t k = to / 64;
    uint64_t v = to % 64 ? map[k] & ~from_bit((int)(to % 64)) : 0;
    while (!v)
        v = map[--k];
    return k * 64 + (size_t)highest(v);
}

/* The `n` (1..64) bits of `map` from position `from`. */
static inline uint64_t bits_at(const uint64_t *map, size_t from, size_t n)
{
    size_t k = from / 64;
    int off = (int)(from % 64);
    uint64_t v = map[k] >> off;
    if (off && (size_t)(64 - off) < n)
        v |= map[k + 1] << (64 - off);
    return n == 64 ? v : v & ~from_bit((int)n);
}

/*
 * Whether the inside of a start tag, [from, to) before its first '>', is
 * one the byte-by-byte scanner would leave in character data at that '>'
 * without complaint: no single quote, double quotes in pairs (so the '>'
 * is outside a value), no more '=' than the attribute limit, and too short
 * to hold a value above the value limit.
 */
static int tag_ok(const win *w, size_t from, size_t to, size_t max_value, size_t max_attrs)
{
    size_t n = to - from;
    if (to <= from)
        return 1;
    if (n + 2 > max_value)
        return 0;
    if (n <= 64)
        return !bits_at(w->sq, from, n) && !parity(bits_at(w->dq, from, n)) &&
               (n <= max_attrs || (size_t)ones(bits_at(w->eq, from, n)) <= max_attrs);
    return next_mark(w->sq, from, to) == to && !(count_marks(w->dq, from, to) & 1) &&
           count_marks(w->eq, from, to) <= max_attrs;
}

/* Each bit set where an odd number of bits of `v` are set at or below it. */
static uint64_t prefix_xor(uint64_t v)
{
    v ^= v << 1;
    v ^= v << 2;
    v ^= v << 4;
    v ^= v << 8;
    v ^= v << 16;
    v ^= v << 32;
    return v;
}

#ifdef CJM__XML_AVX2
/* prefix_xor() in one carry-less multiplication, where the processor has it. */
__attribute__((target("pclmul,popcnt"))) static uint64_t prefix_xor_clmul(uint64_t v)
{
    __m128i r = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)v), _mm_set1_epi8((char)0xFF), 0);
    return (uint64_t)_mm_cvtsi128_si64(r);
}

__attribute__((target("pclmul,popcnt"))) static int ones_hw(uint64_t v)
{
    return (int)_mm_popcnt_u64(v);
}
#define PREFIX_XOR(hw, v) ((hw) ? prefix_xor_clmul(v) : prefix_xor(v))
#define POPCOUNT(hw, v) ((hw) ? ones_hw(v) : ones(v))
#else
#define PREFIX_XOR(hw, v) ((void)(hw), prefix_xor(v))
#define POPCOUNT(hw, v) ((void)(hw), ones(v))
#endif

/*
 * All the tags before `lim` at once, for the usual window: what the walk
 * from tag to tag below decides one tag at a time, decided with a few
 * operations a word. It vouches only where every '<' and '>' alternates,
 * none of them inside a pair of double quotes, every double quote lies in
 * a tag (not counting the byte right after '<', which only opens the tag),
 * no '<' is followed by '!' or '?', there is no single quote, no more '='
 * than the attribute limit in all, and no tag could be longer than the
 * value limit. Then each '>' closes the tag of the '<' before it outside
 * any value, with an even number of quotes in between: the walk would
 * accept every tag, and stop where this stops, at the '<' of a tag still
 * open at `lim` (*held, at *at), or at `lim`. Returns 1 when it vouches,
 * 0 when the walk must look.
 */
/* With `hw` a constant: whether to use carry-less multiplication and popcnt. */
#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif
/* The state tags_at_once_body() carries from word to word. */
typedef struct tag_run {
    uint64_t carry, in_quote, in_tag, wrong;
    size_t eqs;
} tag_run;

/* One word of tags_at_once_body(), with `valid` marking the bytes before its limit. */
static inline void tags_word(const win *w, size_t k, uint64_t valid, size_t max_attrs,
                                    tag_run *r, const int hw)
{
    uint64_t lt = w->lt[k] & valid, gt = w->gt[k] & valid, tags = lt | gt;
    uint64_t after_lt = lt << 1 | r->carry; /* the bytes right after a '<' */
    uint64_t dq = w->dq[k] & valid & ~after_lt;
    uint64_t q = PREFIX_XOR(hw, dq) ^ r->in_quote, t = PREFIX_XOR(hw, tags) ^ r->in_tag;
    r->carry = lt >> 63;
    r->in_quote = (uint64_t)0 - (q >> 63);
    r->in_tag = (uint64_t)0 - (t >> 63);
    /* t is set from a '<' up to its '>', q from a quote up to the next */
    r->wrong |= (tags & q) | (lt & ~t) | (gt & t) | (dq & ~t) | (after_lt & w->bq[k] & valid) |
                (w->sq[k] & valid);
    if (max_attrs < WIN)
        r->eqs += (size_t)POPCOUNT(hw, w->eq[k] & valid);
}

static ALWAYS_INLINE int tags_at_once_body(const win *w, size_t lim, size_t max_value,
                                           size_t max_attrs, int *held, size_t *at, const int hw)
{
    tag_run r = {0, 0, 0, 0, 0};
    size_t last;
    if (lim == 0 || max_value < WIN + 2)
        return 0;
    /* whole words need no mask: only the last, which the limit may cut, does */
    last = (lim - 1) / 64;
    for (size_t k = 0; k < last; k++)
        tags_word(w, k, ~(uint64_t)0, max_attrs, &r, hw);
    tags_word(w, last, ~(uint64_t)0 >> (64 - lim % 64) % 64, max_attrs, &r, hw);
    if (r.wrong || r.eqs > max_attrs)
        return 0;
    *held = r.in_tag != 0;
    if (*held)
        *at = last_mark(w->lt, lim);
    return 1;
}

static int tags_at_once(const win *w, size_t lim, size_t max_value, size_t max_attrs,
                        int *held, size_t *at)
{
    return tags_at_once_body(w, lim, max_value, max_attrs, held, at, 0);
}

#ifdef CJM__XML_AVX2
__attribute__((target("pclmul,popcnt"))) static int tags_at_once_hw(const win *w, size_t lim,
                                                                     size_t max_value,
                                                                     size_t max_attrs,
                                                                     int *held, size_t *at)
{
    return tags_at_once_body(w, lim, max_value, max_attrs, held, at, 1);
}

/* count_marks() from 0, with popcnt. */
__attribute__((target("pclmul,popcnt"))) static size_t count_marks_hw(const uint64_t *map,
                                                                       size_t to)
{
    size_t n = 0, k;
    for (k = 0; k < to / 64; k++)
        n += (size_t)ones_hw(map[k]);
    if (to % 64)
        n += (size_t)ones_hw(map[k] & ~from_bit((int)(to % 64)));
    return n;
}
#else
#define tags_at_once_hw tags_at_once
#define count_marks_hw(map, to) count_marks(map, 0, to)
#endif

/*
 * Scans from `i`, in character data, as far as it can vouch for: returns
 * where the byte-by-byte scanner must take over (a '<' or a byte that needs
 * a closer look), or `len`. The line, column and content flag follow.
 */
static size_t scan_fast(cjm__xml *x, const unsigned char *data, size_t i, size_t len,
                        size_t *resume)
{
    cjm__xml_scan *s = &x->scan;
    const size_t max_value = x->limits.max_value;
    const size_t max_attrs = (size_t)x->limits.max_attrs;
    const int avx2 = have_avx2(s);
    win w;

    while (i < len) {
        size_t n = len - i < WIN ? len - i : WIN, pos = 0, lim, a = 0, g, nl;
        size_t start = i;
        int stop = 0, held = 0; /* held: a tag at `a` is left to the next look */
        int lim_done = 0;       /* every tag before `lim` decided at once */
        unsigned char c;

        if (avx2)
            classify_avx2(data + i, &w, 0, n / 64);
        else
            classify(data + i, &w, 0, n / 64);
        if (n % 64) {
            unsigned char tail[64];
            memset(tail, ' ', sizeof tail);
            memcpy(tail, data + i + n / 64 * 64, n % 64);
            classify(tail, &w, n / 64, 1);
        }
        lim = next_mark(w.bad, 0, n);
        /*
         * The '<' marks in order, so that finding the next tag waits on
         * nothing: each one at or after `pos` opens a tag, and one before
         * `pos` lies in a value of the tag just passed.
         */
        if (!s->tag_by_tag &&
            (avx2 ? tags_at_once_hw(&w, lim, max_value, max_attrs, &held, &a)
                  : tags_at_once(&w, lim, max_value, max_attrs, &held, &a)))
            lim_done = 1;
        for (size_t k = 0; !lim_done && !held && k * 64 < lim; k++) {
            uint64_t m = w.lt[k];
            while (m) {
                a = k * 64 + (size_t)lowest(m);
                m &= m - 1;
                if (a < pos)
                    continue;
                if (a + 1 >= lim) {
                    held = a < lim;
                    break;
                }
                c = data[i + a + 1];
                if (c == '!' || c == '?') {
                    held = stop = 1;
                    break;
                }
                g = next_mark(w.gt, a + 1, lim);
                if (g == lim) {
                    held = 1;
                    break;
                }
                /* A start tag: the byte after '<' only opens it, so counting
                 * starts one further, as the byte-by-byte scanner does. */
                if (c != '/' && c != '>' && !tag_ok(&w, a + 2, g, max_value, max_attrs)) {
                    held = stop = 1;
                    break;
                }
                pos = g + 1;
            }
            if (a >= lim)
                break;
        }
        pos = held ? a : lim;
        if (pos > 0) {
            if (!s->content)
                for (size_t k = 0; !s->content && k < pos; k++)
                    s->content = !is_blank(data[i + k]);
            nl = avx2 ? count_marks_hw(w.nl, pos) : count_marks(w.nl, 0, pos);
            if (nl) {
                s->line += (int)nl;
                s->column = (int)(pos - last_mark(w.nl, pos));
            } else {
                s->column += (int)pos;
            }
        }
        i += pos;
        /* on to the next window, unless something needs a closer look here */
        if (stop || lim < n || pos == 0 || (pos < n && n < WIN)) {
            /* bytes it cannot take (above 0x7F, say) seldom come alone: up
             * to the window's last, the byte-by-byte scanner goes on alone */
            if (lim < n)
                *resume = start + last_mark(w.bad, n) + 1;
            break;
        }
    }
    return i;
}

/*
 * Scans bytes ahead of the parser. Returns how many bytes are fine; when
 * that is less than `len`, `p` says what is wrong with the next one.
 */
/*
 * Byte classes for the fast path: bit 0 marks bytes that need no UTF-8 or
 * line bookkeeping (printable ASCII, tab, CR); the other bits mark the
 * characters that move some lexical state: < > " ' = - ] ?
 */
#define B_QUIET 0x001
#define B_LT 0x002
#define B_GT 0x004
#define B_DQ 0x008
#define B_SQ 0x010
#define B_EQ 0x020
#define B_DASH 0x040
#define B_RSQB 0x080
#define B_QM 0x100

static const unsigned short byte_class[256] = {
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x001, 0x000, 0x000, 0x000, 0x001, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x001, 0x001, 0x009, 0x001, 0x001, 0x001, 0x001, 0x011, 0x001, 0x001, 0x001, 0x001, 0x001, 0x041, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x003, 0x021, 0x005, 0x101,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x081, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
};

/* The characters each state must look at; every other quiet byte only moves the column. */
static unsigned short triggers(const cjm__xml_scan *s)
{
    switch (s->state) {
    case S_TEXT: return B_LT;
    case S_STAG: return B_DQ | B_SQ | B_EQ | B_GT;
    case S_QUOTE: return s->quote == '"' ? B_DQ : B_SQ;
    case S_COMMENT: return B_DASH | B_GT;
    case S_CDATA: return B_RSQB | B_GT;
    case S_PI: return B_QM | B_GT;
    case S_ETAG: return B_GT;
    default: return 0xFFFF; /* "<" and "<!" look at every byte */
    }
}

/*
 * The length of the valid UTF-8 sequence of two bytes or more that starts
 * `p` and ends within `n` bytes; 0 for anything else (a bad or cut
 * sequence), which the byte-by-byte scanner then reports.
 */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char b = p[0];
    unsigned cp, min;
    size_t need;
    if (b >= 0xC2 && b <= 0xDF)
        need = 1, cp = b & 0x1Fu, min = 0x80;
    else if ((b & 0xF0) == 0xE0)
        need = 2, cp = b & 0x0Fu, min = 0x800;
    else if (b >= 0xF0 && b <= 0xF4)
        need = 3, cp = b & 0x07u, min = 0x10000;
    else
        return 0;
    if (n <= need)
        return 0;
    for (size_t k = 1; k <= need; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need + 1;
}

/*
 * Skips a run of quiet bytes, whole valid UTF-8 sequences and line feeds
 * that change no lexical state (none after "<" and "<!"). Returns the index
 * of the next byte to look at closely. In a value it stops at the byte that
 * would make the value too long, for the byte-by-byte scanner to report.
 */
static size_t skip_quiet(cjm__xml *x, const unsigned char *data, size_t i, size_t len)
{
    cjm__xml_scan *s = &x->scan;
    unsigned short stop = triggers(s);
    size_t j = i, start, seq;
    int column = s->column, line = s->line;

    if (stop == 0xFFFF)
        return i;
    if (s->state == S_QUOTE && len - i > x->limits.max_value - s->value)
        len = i + (x->limits.max_value - s->value);
    stop |= B_QUIET;
    while (j < len) {
        start = j;
        while (j < len && (byte_class[data[j]] & stop) == B_QUIET)
            j++;
        column += (int)(j - start);
        /* (in the tests' byte-by-byte mode, every byte above 0x7F is looked at alone) */
        if (j < len && data[j] >= 0x80 && !s->bytewise &&
            (seq = utf8_seq(data + j, len - j)) != 0) {
            j += seq;
            column++;
            continue;
        }
        if (j < len && data[j] == '\n' && s->state != S_QUOTE) {
            line++;
            column = 1;
            j++;
            continue;
        }
        break;
    }
    if (j == i)
        return i;
    if (s->state == S_QUOTE)
        s->value += j - i;
    for (size_t k = i; !s->content && k < j; k++)
        s->content = !is_blank(data[k]);
    s->line = line;
    s->column = column;
    s->marks = 0;
    return j;
}

static size_t scan_bytes(cjm__xml *x, const unsigned char *data, size_t len, pending *p)
{
    cjm__xml_scan *s = &x->scan;
    size_t resume = 0; /* where the fast path may be tried again */
    for (size_t i = 0; i < len; i++) {
        unsigned char b;
        int line, column;

        /*
         * The byte the fast path stops at is looked at below, in this turn.
         * After it stopped at bytes it cannot take, it is not tried again
         * before the last of them in its window: classifying the window
         * anew at every tag in between cost more than it saved.
         */
        if (s->state == S_TEXT && !s->need && !s->bytewise && i >= resume) {
            i = scan_fast(x, data, i, len, &resume);
            if (i == len)
                return len;
        }
        if (!s->need) {
            i = skip_quiet(x, data, i, len);
            if (i == len)
                return len;
        }
        b = data[i];
        line = s->line;
        column = s->column;

        if (!is_blank(b))
            s->content = 1;
        if (b == '\n') {
            s->line++;
            s->column = 1;
        } else if ((b & 0xC0) != 0x80) {
            s->column++;
        }
        if (s->need) {
            if ((b & 0xC0) != 0x80) {
                scan_fail(p, CJM_EPARSE, s->seq_line, s->seq_col,
                          "the input is not valid UTF-8 (a truncated sequence)");
                return i;
            }
            s->cp = (s->cp << 6) | (b & 0x3F);
            if (--s->need == 0 &&
                (s->cp < s->min || s->cp > 0x10FFFF || (s->cp >= 0xD800 && s->cp <= 0xDFFF))) {
                scan_fail(p, CJM_EPARSE, s->seq_line, s->seq_col,
                          "the input is not valid UTF-8 (an overlong form, a surrogate or a "
                          "code point above U+10FFFF)");
                return i;
            }
            /* a value made too long by this byte: at its character, which began
             * a column before (a continuation byte does not move the column) */
            if (lex(x, b, line, column - 1, p) < 0)
                return i;
            continue;
        }
        if (b == 0) {
            scan_fail(p, CJM_EPARSE, line, column, "a NUL byte is not allowed in XML");
            return i;
        }
        if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
            scan_fail(p, CJM_EPARSE, line, column,
                      "control character U+%04X is not allowed in XML", b);
            return i;
        }
        if (b >= 0x80) {
            s->seq_line = line;
            s->seq_col = column;
            if (b >= 0xC2 && b <= 0xDF) {
                s->need = 1, s->cp = b & 0x1F, s->min = 0x80;
            } else if ((b & 0xF0) == 0xE0) {
                s->need = 2, s->cp = b & 0x0F, s->min = 0x800;
            } else if (b >= 0xF0 && b <= 0xF4) {
                s->need = 3, s->cp = b & 0x07, s->min = 0x10000;
            } else {
                scan_fail(p, CJM_EPARSE, line, column,
                          "the input is not valid UTF-8 (byte 0x%02X)", b);
                return i;
            }
        }
        if (lex(x, b, line, column, p) < 0)
            return i;
    }
    return len;
}

/* scan_bytes(), noting whether the accepted bytes hold '&' or U+007F. */
static size_t scan(cjm__xml *x, const unsigned char *data, size_t len, pending *p)
{
    size_t ok = scan_bytes(x, data, len, p);
    /* one pass each, done with once either is seen */
    if (!x->scan.amp_or_del)
        x->scan.amp_or_del = (memchr(data, '&', ok) != NULL) | (memchr(data, 0x7F, ok) != NULL);
    return ok;
}

/* ---- driving the parser --------------------------------------------------- */

/* Sets up a parser context just made, or fails when libxml2 could not make it. */
static int ctxt_ready(cjm__xml *x)
{
    if (!x->ctxt) {
        x->failed = CJM_ENOMEM;
        return cjm__oom();
    }
    xmlCtxtUseOptions(x->ctxt, CJM__XML_OPTIONS);
    /* Belt and braces: these are what the options above already imply. */
    x->ctxt->replaceEntities = 0;
    x->ctxt->loadsubset = 0;
    x->ctxt->validate = 0;
    return 0;
}

int cjm__xml_begin(cjm__xml *x, xmlSAXHandler *sax)
{
    xmlInitParser(); /* idempotent and thread-safe; never undone here */
    memset(&x->mark, 0, sizeof x->mark);
    x->ctxt = xmlCreatePushParserCtxt(sax, x, NULL, 0, NULL);
    return ctxt_ready(x);
}

void cjm__xml_end(cjm__xml *x)
{
    if (x->ctxt) {
        xmlFreeParserCtxt(x->ctxt);
        x->ctxt = NULL;
    }
}

/*
 * Hands libxml2 `len` bytes (at most CHUNK) the scanner accepted, or the
 * end of the input. An error libxml2 returns without having reported it
 * fails the parse too (one it reported, or the stop after a failure,
 * leaves x->failed set).
 */
static int feed(cjm__xml *x, const char *data, size_t len, int end)
{
    int rc = xmlParseChunk(x->ctxt, data, (int)len, end);
    if (!x->failed && rc != 0)
        cjm__xml_fail(x, CJM_EPARSE, "the XML is not well-formed (libxml2 error %d)", rc);
    return x->failed;
}

int cjm__xml_push(cjm__xml *x, const char *data, size_t len, int last)
{
    pending p;
    size_t room, ok;
    int over = 0;

    if (x->failed)
        return x->failed;
    if (!x->ctxt)
        return cjm__error(CJM_EINVAL, "the XML parser was not started");
    if (x->total == 0 && len >= 2 && (unsigned char)data[0] == 0x1F &&
        (unsigned char)data[1] == 0x8B)
        return cjm__xml_fail_at(x, CJM_EPARSE, 1, 1,
                                "the input is compressed with gzip; decompress it first");
    room = x->limits.max_size - x->total;
    if (len > room) {
        len = room;
        over = 1;
    }
    /*
     * A piece at a time, scanned and then parsed at once, while its bytes
     * are still in the nearest caches; the parser gets the same pieces as
     * if everything had been scanned first.
     */
    while (len > 0) {
        size_t n = len < CHUNK ? len : CHUNK;
        ok = scan(x, (const unsigned char *)data, n, &p);
        x->total += ok;
        /* Before a problem, the parser may have a complaint about what came before it. */
        if (ok > 0 && feed(x, data, ok, 0))
            return x->failed;
        if (ok < n)
            return cjm__xml_fail_at(x, p.code, p.line, p.column, "%s", p.message);
        data += n;
        len -= n;
    }
    if (over)
        return cjm__xml_fail_at(x, CJM_ELIMIT, x->scan.line, x->scan.column,
                                "the input is larger than the limit of %zu bytes",
                                x->limits.max_size);
    if (last) {
        if (x->total == 0)
            return cjm__xml_fail_at(x, CJM_EPARSE, 1, 1, "the document is empty");
        if (x->scan.need)
            return cjm__xml_fail_at(x, CJM_EPARSE, x->scan.seq_line, x->scan.seq_col,
                                    "the input is not valid UTF-8 (a truncated sequence)");
        if (feed(x, NULL, 0, 1))
            return x->failed;
        if (!x->ctxt->wellFormed)
            return cjm__xml_fail(x, CJM_EPARSE, "the XML is not well-formed");
    }
    return 0;
}

/*
 * A pull parse: libxml2 asks for bytes as it needs them, a few kilobytes at
 * a time, and gets them from the caller's source through the scanner. The
 * parser then runs its own loop over its buffer, which costs less than
 * being pushed pieces: a push parser first looks for the end of every tag
 * and every text in what it was given.
 */

/* Takes the source's next bytes through the scanner; 0, or the failure recorded. */
static int pull_fill(cjm__xml *x)
{
    cjm__xml_pull_state *q = &x->pull;
    size_t room = x->limits.max_size - x->total, ok;
    const char *data = NULL;
    long n;
    if (q->refused) {
        if (q->p.line == 0) {
            q->p.line = x->scan.line;
            q->p.column = x->scan.column;
        }
        return cjm__xml_fail_at(x, q->p.code, q->p.line, q->p.column, "%s", q->p.message);
    }
    n = q->next(q->ud, &data);
    if (n < 0) /* the source's own failure stays, when it recorded one */
        return cjm__xml_fail(x, (int)n, "the input could not be read");
    if (n == 0) {
        q->ended = 1;
        if (x->total == 0)
            return cjm__xml_fail_at(x, CJM_EPARSE, 1, 1, "the document is empty");
        if (x->scan.need)
            return cjm__xml_fail_at(x, CJM_EPARSE, x->scan.seq_line, x->scan.seq_col,
                                    "the input is not valid UTF-8 (a truncated sequence)");
        return 0;
    }
    if (x->total == 0 && n >= 2 && (unsigned char)data[0] == 0x1F &&
        (unsigned char)data[1] == 0x8B)
        return cjm__xml_fail_at(x, CJM_EPARSE, 1, 1,
                                "the input is compressed with gzip; decompress it first");
    if ((size_t)n > room) {
        /* what fits is parsed first: the parser may have a complaint about it */
        n = (long)room;
        q->refused = 1;
        q->p.code = CJM_ELIMIT;
        q->p.line = q->p.column = 0;
        snprintf(q->p.message, sizeof q->p.message,
                 "the input is larger than the limit of %zu bytes", x->limits.max_size);
    }
    ok = scan(x, (const unsigned char *)data, (size_t)n, &q->p);
    x->total += ok;
    if (ok < (size_t)n)
        q->refused = 1;
    q->data = data;
    q->len = ok;
    q->at = 0;
    return 0;
}

/* libxml2's read callback: up to `size` accepted bytes, 0 at the end, -1 on failure. */
static int pull_read(void *ctx, char *out, int size)
{
    cjm__xml *x = ctx;
    cjm__xml_pull_state *q = &x->pull;
    size_t n;
    /*
     * libxml2 reads only while it parses, in cjm__xml_pull() once `next` is
     * set, and never after a failure: a read that failed (-1) ends its
     * reading, and stopping the parser frees the buffer it reads into.
     */
    while (q->at == q->len) {
        int rc;
        if (q->ended)
            return 0;
        x->reading = 1;
        rc = pull_fill(x);
        x->reading = 0;
        if (rc)
            return -1;
    }
    n = q->len - q->at < (size_t)size ? q->len - q->at : (size_t)size;
    memcpy(out, q->data + q->at, n);
    q->at += n;
    return (int)n;
}

int cjm__xml_begin_pull(cjm__xml *x, xmlSAXHandler *sax)
{
    xmlInitParser(); /* idempotent and thread-safe; never undone here */
    memset(&x->pull, 0, sizeof x->pull);
    memset(&x->mark, 0, sizeof x->mark);
    x->ctxt = xmlCreateIOParserCtxt(sax, x, pull_read, NULL, x, XML_CHAR_ENCODING_NONE);
    return ctxt_ready(x);
}

int cjm__xml_pull(cjm__xml *x, cjm__xml_next_fn next, void *ud)
{
    if (x->failed)
        return x->failed;
    if (!x->ctxt)
        return cjm__error(CJM_EINVAL, "the XML parser was not started");
    x->pull.next = next;
    x->pull.ud = ud;
    xmlParseDocument(x->ctxt);
    /* a refusal the parser stopped before reaching */
    if (!x->failed && x->pull.refused)
        pull_fill(x);
    /* an error libxml2 flagged without reporting it through the handler (the
     * stop after a failure leaves x->failed set) */
    if (!x->failed && x->ctxt->errNo != 0)
        cjm__xml_fail(x, CJM_EPARSE, "the XML is not well-formed (libxml2 error %d)",
                      x->ctxt->errNo);
    if (!x->failed && !x->ctxt->wellFormed)
        cjm__xml_fail(x, CJM_EPARSE, "the XML is not well-formed");
    return x->failed;
}

int cjm__xml_parse_pull(cjm__xml *x, xmlSAXHandler *sax, cjm__xml_next_fn next, void *ud)
{
    int rc = cjm__xml_begin_pull(x, sax);
    if (rc == 0)
        rc = cjm__xml_pull(x, next, ud);
    cjm__xml_end(x);
    return rc;
}

/* A document in memory, a scanner's piece at a time. */
typedef struct mem_source {
    const char *data;
    size_t len, at;
} mem_source;

static long next_mem(void *ud, const char **data)
{
    mem_source *m = ud;
    size_t n = m->len - m->at < CHUNK ? m->len - m->at : CHUNK;
    *data = m->data + m->at;
    m->at += n;
    return (long)n;
}

int cjm__xml_parse_memory(cjm__xml *x, xmlSAXHandler *sax, const char *data, size_t len)
{
    mem_source m = {data, len, 0};
    return cjm__xml_parse_pull(x, sax, next_mem, &m);
}

/* A document read from a descriptor into a buffer. */
typedef struct fd_source {
    cjm__xml *x;
    int fd;
    char buf[CHUNK];
} fd_source;

static long next_fd(void *ud, const char **data)
{
    fd_source *f = ud;
    ssize_t n;
    do
        n = read(f->fd, f->buf, sizeof f->buf);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        int e = errno;
        return cjm__xml_fail_at(f->x, CJM_EIO, 0, 0, "%s: read failed: %s",
                                *f->x->file ? f->x->file : "input", strerror(e));
    }
    *data = f->buf;
    return (long)n;
}

int cjm__xml_parse_fd(cjm__xml *x, xmlSAXHandler *sax, int fd)
{
    fd_source f;
    f.x = x;
    f.fd = fd;
    return cjm__xml_parse_pull(x, sax, next_fd, &f);
}
