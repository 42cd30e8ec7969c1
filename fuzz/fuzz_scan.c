/*
 * Fuzz target: the hardened parser's raw-byte scanner, differentially. The
 * same bytes go through the byte-by-byte scanner, the fast path without
 * AVX2, the fast path that walks a window's tags one by one and the
 * default fast path, pushed in pieces of a size taken from the input,
 * under limits also taken from it. All four must agree on the
 * outcome: the error code, message, line and column, and on what reached
 * the callbacks (elements, ends, text bytes).
 *
 * The first two bytes choose the piece size and the limits; the rest is
 * the document.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "xml/xmlsafe.h"

typedef struct outcome {
    int rc, line, column;
    char message[400];
    unsigned long elements, ends, text;
} outcome;

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    cjm__xml *x = ctx;
    outcome *o = x->user;
    (void)localname, (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces;
    (void)nb_defaulted, (void)attributes;
    if (cjm__xml_enter(x, nb_attributes))
        return;
    o->elements++;
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri)
{
    cjm__xml *x = ctx;
    (void)localname, (void)prefix, (void)uri;
    ((outcome *)x->user)->ends++;
    cjm__xml_leave(x);
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    cjm__xml *x = ctx;
    (void)ch;
    ((outcome *)x->user)->text += (unsigned long)len;
}

static void run(const uint8_t *doc, size_t len, const cjm__xml_limits *limits, size_t piece,
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
    cjm__xml_init(&x, "scan.xml", limits, o);
    x.scan.bytewise = path == 1;
    x.scan.plain_simd = path == 2;
    x.scan.tag_by_tag = path == 3;
    o->rc = cjm__xml_begin(&x, &sax);
    while (o->rc == 0) {
        size_t n = len - done > piece ? piece : len - done;
        o->rc = cjm__xml_push(&x, (const char *)doc + done, n, done + n == len);
        done += n;
        if (done == len)
            break;
    }
    cjm__xml_end(&x);
    if (o->rc) {
        const cjm_error *e = cjm_error_last();
        snprintf(o->message, sizeof o->message, "%s", e->message);
        o->line = e->line;
        o->column = e->column;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t pieces[8] = {1, 2, 3, 7, 64, 4096, 65536, (size_t)1 << 30};
    cjm__xml_limits limits = {0, 0, 0, 0};
    outcome slow, fast;
    if (size < 2)
        return 0;
    /* small limits half of the time, so that each limit is met at every place */
    if (data[1] & 1) {
        limits.max_depth = 1 + (data[1] >> 1 & 7);
        limits.max_attrs = 1 + (data[1] >> 4 & 7);
        limits.max_value = 1 + (size_t)data[0];
    }
    run(data + 2, size - 2, &limits, pieces[data[0] & 7], 1, &slow);
    for (int path = 0; path <= 3; path += path ? 1 : 2) {
        run(data + 2, size - 2, &limits, pieces[data[0] & 7], path, &fast);
        if (fast.rc != slow.rc || fast.line != slow.line || fast.column != slow.column ||
            strcmp(fast.message, slow.message) != 0 || fast.elements != slow.elements ||
            fast.ends != slow.ends || fast.text != slow.text) {
            fprintf(stderr,
                    "fuzz_scan: the %s path disagrees with the byte-by-byte scanner:\n"
                    "  byte by byte: %d %d:%d %s (%lu elements, %lu ends, %lu text bytes)\n"
                    "  fast:         %d %d:%d %s (%lu elements, %lu ends, %lu text bytes)\n",
                    path == 3   ? "fast (tag by tag)"
                    : path == 2 ? "fast (without AVX2)"
                                : "fast",
                    slow.rc, slow.line, slow.column,
                    slow.message, slow.elements, slow.ends, slow.text, fast.rc, fast.line,
                    fast.column, fast.message, fast.elements, fast.ends, fast.text);
            abort();
        }
    }
    return 0;
}
