/*
 * A hardened libxml2 set-up shared by the library's XML readers.
 *
 * libxml2 has process-wide state (error handlers, the external entity
 * loader, its allocator) that other users in the same process (lxml, for
 * one) rely on, so nothing here touches it: every handler is installed on
 * one parser context only.
 *
 * What a guarded parse refuses, each with the input's name, line and column:
 *  - any DOCTYPE, entity declaration or reference to an entity other than
 *    the five predefined ones ("DTDs are not allowed"): no external file,
 *    parameter entity, remote DTD or entity expansion is ever looked at;
 *  - bytes that are not UTF-8, NUL bytes and other control characters that
 *    XML forbids (checked on the raw bytes, before libxml2 sees them);
 *  - more input than `max_size` bytes, elements nested deeper than
 *    `max_depth`, start tags with more than `max_attrs` attributes (counted
 *    on the raw bytes, before libxml2's quadratic duplicate check runs) and
 *    attribute values longer than `max_value` bytes;
 *  - every error libxml2 reports (warnings are ignored).
 * The first problem wins: it is recorded with cjm__error_at() and the parser
 * is stopped, so callbacks see nothing after it.
 *
 * The parser runs with XML_PARSE_NONET | XML_PARSE_NOCDATA |
 * XML_PARSE_IGNORE_ENC and never with NOENT, DTDLOAD, DTDATTR, DTDVALID,
 * XINCLUDE or HUGE. Documents are UTF-8 (a byte order mark is allowed); an
 * encoding declaration is ignored, since the bytes were checked to be UTF-8.
 *
 * Use, whole document:
 *     cjm__xml x;  xmlSAXHandler sax;
 *     cjm__xml_sax_init(&sax);  sax.startElementNs = on_start; ...
 *     cjm__xml_init(&x, "name.xml", &limits, my_state);
 *     rc = cjm__xml_parse_memory(&x, &sax, data, len);
 * or streaming: cjm__xml_begin(), cjm__xml_push() per chunk (the last with
 * `last` set), cjm__xml_end(). The SAX callbacks receive the cjm__xml as
 * their `ctx`; its `user` member is the caller's state. A start-element
 * callback calls cjm__xml_enter() first and the end-element callback
 * cjm__xml_leave().
 */
#ifndef CJM_XMLSAFE_H
#define CJM_XMLSAFE_H

#include <stddef.h>

#include <libxml/parser.h>

#include "core/core.h"

/* The options every guarded parse uses. */
#define CJM__XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC)

/* Limits; a zero member takes the default below. */
typedef struct cjm__xml_limits {
    size_t max_size;  /* bytes of input */
    int max_depth;    /* element nesting */
    int max_attrs;    /* attributes on one start tag (namespace declarations count) */
    size_t max_value; /* bytes of one attribute value */
} cjm__xml_limits;

#define CJM__XML_DEFAULT_MAX_SIZE ((size_t)256 << 20)
#define CJM__XML_DEFAULT_MAX_DEPTH 64
#define CJM__XML_DEFAULT_MAX_ATTRS 256
#define CJM__XML_DEFAULT_MAX_VALUE ((size_t)1 << 20)

/* The raw-byte scanner's state (internal to xmlsafe.c). */
typedef struct cjm__xml_scan {
    int state;
    int line, column;      /* of the next byte */
    unsigned cp;           /* UTF-8 sequence being decoded */
    int need;              /* continuation bytes still expected */
    unsigned min;          /* smallest code point the sequence may encode */
    int seq_line, seq_col; /* where the sequence started */
    int attrs;             /* attributes seen in the current start tag */
    size_t value;          /* bytes of the current attribute value */
    char quote;
    char look[9];          /* bytes after "<!" */
    int nlook;
    int marks;             /* closing characters seen ("--", "]]", "?") */
    int content;           /* something other than white space was seen */
    /*
     * An accepted byte was '&' or U+007F. Until one is, no text or value
     * the parser hands on holds either: it has only the accepted bytes,
     * and a reference needs an '&'. So a reader may skip looking for them.
     */
    int amp_or_del;
    int bytewise;          /* for tests: no fast path, every byte looked at in turn */
    int plain_simd;        /* for tests: the fast path without AVX2 */
    int tag_by_tag;        /* for tests: the fast path without deciding a window's tags at once */
} cjm__xml_scan;

/*
 * The source of a pull parse: sets *data to the next bytes of the input and
 * returns how many, 0 at its end, or a negative code after recording the
 * failure with cjm__xml_fail_at(). The bytes stay valid until the next call.
 */
typedef long (*cjm__xml_next_fn)(void *ud, const char **data);

/* A problem the scanner found, recorded once the parser has seen the bytes before it. */
typedef struct cjm__xml_pending {
    int code, line, column;
    char message[160];
} cjm__xml_pending;

/* The state of a pull parse (cjm__xml_begin_pull()). */
typedef struct cjm__xml_pull_state {
    cjm__xml_next_fn next; /* the source; NULL until cjm__xml_pull() */
    void *ud;
    const char *data;      /* bytes the scanner accepted, from the source */
    size_t len, at;        /* how many, and how many were handed over */
    int ended;             /* the source has no more */
    int refused;           /* the scanner stopped inside data: p says why */
    cjm__xml_pending p;
} cjm__xml_pull_state;

typedef struct cjm__xml {
    /* set by cjm__xml_init() */
    const char *file;      /* the input's name for messages; "" when none */
    cjm__xml_limits limits;
    void *user;            /* the caller's state, for its callbacks */
    /* state */
    xmlParserCtxtPtr ctxt; /* while a parse runs */
    int depth;
    long elements;         /* start tags seen */
    int failed;            /* the code of the first error, or 0 */
    size_t total;          /* bytes pushed so far */
    int reading;           /* inside the read callback of a pull parse */
    cjm__xml_pull_state pull;
    cjm__xml_scan scan;
    /* where the parser stood at the last cjm__xml_where_start(): one more
     * than its offset in the document (0: nowhere yet), its line and column */
    struct {
        size_t at;
        int line, column;
    } mark;
} cjm__xml;

/* Prepares a guard. `file` is borrowed and may be NULL; `limits` may be NULL. */
void cjm__xml_init(cjm__xml *x, const char *file, const cjm__xml_limits *limits, void *user);

/*
 * Fills a SAX2 handler with the hardened defaults: the structured error
 * handler, and refusals for every DTD, entity and external-resource
 * callback. Every other callback is NULL; set the ones you need.
 */
void cjm__xml_sax_init(xmlSAXHandler *sax);

/* Parses a whole buffer. Returns 0 or the first error's code (recorded). */
int cjm__xml_parse_memory(cjm__xml *x, xmlSAXHandler *sax, const char *data, size_t len);

/*
 * Parses an open file descriptor to its end in chunks (the descriptor is
 * not closed). Nothing but `fd` is read. Returns 0 or the first error's code.
 */
int cjm__xml_parse_fd(cjm__xml *x, xmlSAXHandler *sax, int fd);

/* Streaming: creates the push parser. Returns 0, CJM_ENOMEM. */
int cjm__xml_begin(cjm__xml *x, xmlSAXHandler *sax);
/*
 * Feeds bytes; `last` marks the end of the input (an empty or truncated
 * document is reported then). Returns 0 or the first error's code.
 */
int cjm__xml_push(cjm__xml *x, const char *data, size_t len, int last);
/* Frees the parser; safe to call twice and after a failed begin. */
void cjm__xml_end(cjm__xml *x);


/*
 * Starts a parse that libxml2 pulls, as it needs them, from the source
 * given to cjm__xml_pull(), through the same scanner, limits and checks as
 * cjm__xml_push(), with the handlers of `sax` (from cjm__xml_sax_init(),
 * then the caller's element callbacks). The parser's dictionary exists
 * from here on; cjm__xml_end() frees the parser. Returns 0 or CJM_ENOMEM.
 */
int cjm__xml_begin_pull(cjm__xml *x, xmlSAXHandler *sax);

/*
 * Parses the whole document from `next` (see cjm__xml_next_fn). Returns 0,
 * or the code of the first failure, whose message was recorded.
 */
int cjm__xml_pull(cjm__xml *x, cjm__xml_next_fn next, void *ud);

/* cjm__xml_begin_pull(), cjm__xml_pull() and cjm__xml_end() in one call. */
int cjm__xml_parse_pull(cjm__xml *x, xmlSAXHandler *sax, cjm__xml_next_fn next, void *ud);

/*
 * cjm__xml_enter() for an element past a limit, or after a failure: records
 * CJM_ELIMIT (unless the parse has already failed), stops the parser and
 * returns the code.
 */
int cjm__xml_enter_refused(cjm__xml *x, int nb_attributes);

/*
 * For a start-element callback: counts the depth and checks the limits.
 * Returns 0, or records CJM_ELIMIT, stops the parser and returns it; the
 * callback should then return at once (cjm__xml_leave() is not needed).
 * Inline, since every element passes here.
 */
static inline int cjm__xml_enter(cjm__xml *x, int nb_attributes)
{
    if (x->failed || x->depth >= x->limits.max_depth || nb_attributes > x->limits.max_attrs)
        return cjm__xml_enter_refused(x, nb_attributes);
    x->elements++;
    x->depth++;
    return 0;
}

/* For an end-element callback. */
static inline void cjm__xml_leave(cjm__xml *x)
{
    if (x->depth > 0)
        x->depth--;
}

/* Whether the parse has failed (the callbacks should do nothing more). */
#define cjm__xml_failed(x) ((x)->failed != 0)

/*
 * Records an error at the parser's current position (or at `line`:`column`
 * when those are > 0), stops the parser and returns `code`. Only the first
 * error of a parse is recorded; later calls return the first code.
 */
int cjm__xml_fail(cjm__xml *x, int code, const char *fmt, ...) CJM__PRINTF(3, 4);
int cjm__xml_fail_at(cjm__xml *x, int code, int line, int column, const char *fmt, ...)
    CJM__PRINTF(5, 6);

/* The parser's current position (just after what it last read). */
void cjm__xml_where(const cjm__xml *x, int *line, int *column);
/*
 * In a start-element callback: where the element's '<' is. Falls back on
 * the current position when the tag has left the parser's buffer.
 */
void cjm__xml_where_tag(const cjm__xml *x, int *line, int *column);
/*
 * In a characters callback: where byte `offset` of the text `ch` (of `len`
 * bytes) is. libxml2 has counted lines and columns up to the end of the
 * text when it calls back.
 */
void cjm__xml_where_text(const cjm__xml *x, const xmlChar *ch, int len, int offset, int *line,
                         int *column);
/*
 * In a start-element callback: where attribute value `value` (a pointer
 * from the callback's attribute array) starts, the position of its first
 * character; falls back on cjm__xml_where_tag().
 */
void cjm__xml_where_value(const cjm__xml *x, const xmlChar *value, int *line, int *column);
/*
 * In a start-element callback: where the element's '<' is, as
 * cjm__xml_where_tag() says, for a reader that asks once for each of many
 * tags. `inside` is an attribute value as the callback has it: when it lies
 * in the parser's buffer, the search for the '<' starts there. The place is
 * counted on from where the parser stood at the last call, while that is
 * still in the buffer, rather than back from the end of the tag.
 */
void cjm__xml_where_start(cjm__xml *x, const xmlChar *inside, int *line, int *column);

#endif
