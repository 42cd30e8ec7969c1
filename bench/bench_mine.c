/*
 * Mining benchmark: one measurement per run, so that each has its own peak
 * RSS. bench/run_mine.sh runs the modes one after the other on the same
 * file and prints ratios against the baselines measured in the same run.
 *
 *     bench_mine MODE FILE [REPEAT]
 *
 * MODE is one of
 *   sax     a no-op libxml2 SAX2 parse, pulling from the file (the floor)
 *   push    a no-op SAX2 push parse fed 256 KiB chunks read as the miner reads
 *   safe    a no-op parse through the hardened set-up (xml/xmlsafe.h) the miner
 *           uses, which pulls what libxml2's input layer reads
 *   reader  a no-op xmlTextReader walk over every node
 *   mine    cjm_mine_file() with the default classifier and a channel key
 *
 * Prints "MODE seconds=S cpu=C sys=Y faults=F rss_kb=K count=N": the best
 * wall-clock time, processor time (user and system), system time and page
 * faults of REPEAT runs (default 3), the peak resident set size of the
 * process, and the elements (or events) seen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include <cjm.h>

#include "xml/xmlsafe.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Processor time of this process (user and system): less disturbed than
 * the wall clock when other work shares the machine. */
static double sys_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Page faults of this process, minor and major. */
static long faults_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt + ru.ru_majflt;
}

static unsigned long long elements;

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    (void)ctx, (void)localname, (void)prefix, (void)uri, (void)nb_namespaces;
    (void)namespaces, (void)nb_attributes, (void)nb_defaulted, (void)attributes;
    elements++;
}

static int run_sax(const char *path)
{
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    return xmlSAXUserParseFile(&sax, NULL, path) == 0 ? 0 : -1;
}

#define CHUNK (256 * 1024)

/* Reads the file through libxml2's input layer (which inflates), as the miner does. */
static int feed_chunks(const char *path, int (*push)(void *ud, const char *buf, int n, int last),
                       void *ud)
{
    xmlParserInputBufferPtr in = xmlParserInputBufferCreateFilename(path, XML_CHAR_ENCODING_NONE);
    static char buf[CHUNK];
    int rc = 0;
    if (!in)
        return -1;
    for (;;) {
        int n = in->readcallback(in->context, buf, CHUNK);
        if (n < 0 || (rc = push(ud, buf, n, n == 0)) != 0 || n == 0)
            break;
    }
    xmlFreeParserInputBuffer(in);
    return rc;
}

static int push_plain(void *ud, const char *buf, int n, int last)
{
    return xmlParseChunk(ud, buf, n, last) == 0 ? 0 : -1;
}

static int run_push(const char *path)
{
    xmlSAXHandler sax;
    xmlParserCtxtPtr ctxt;
    int rc;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, path);
    if (!ctxt)
        return -1;
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
    rc = feed_chunks(path, push_plain, ctxt);
    xmlFreeParserCtxt(ctxt);
    return rc;
}

static void on_start_safe(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                          const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                          int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    if (cjm__xml_enter(ctx, nb_attributes) == 0)
        on_start(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                 nb_defaulted, attributes);
}

static void on_end_safe(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                        const xmlChar *uri)
{
    (void)localname, (void)prefix, (void)uri;
    cjm__xml_leave(ctx);
}

/* The hardened parse's source: libxml2's input layer (which inflates), as feed_chunks() reads. */
static long next_safe(void *ud, const char **data)
{
    static char buf[CHUNK];
    xmlParserInputBufferPtr in = ud;
    int n = in->readcallback(in->context, buf, CHUNK);
    *data = buf;
    return n < 0 ? -1 : n;
}

static int run_safe(const char *path)
{
    xmlSAXHandler sax;
    cjm__xml x;
    cjm__xml_limits limits = {(size_t)1 << 40, 0, 0, 0};
    xmlParserInputBufferPtr in = xmlParserInputBufferCreateFilename(path, XML_CHAR_ENCODING_NONE);
    int rc;
    if (!in)
        return -1;
    cjm__xml_init(&x, path, &limits, NULL);
    cjm__xml_sax_init(&sax);
    sax.startElementNs = on_start_safe;
    sax.endElementNs = on_end_safe;
    rc = cjm__xml_parse_pull(&x, &sax, next_safe, in);
    xmlFreeParserInputBuffer(in);
    return rc;
}

static int run_reader(const char *path)
{
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET);
    int rc;
    if (!r)
        return -1;
    while ((rc = xmlTextReaderRead(r)) == 1)
        if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT)
            elements++;
    xmlFreeTextReader(r);
    return rc == 0 ? 0 : -1;
}

static int run_mine(const char *path)
{
    cjm_mine_options o = CJM_MINE_OPTIONS_INIT;
    cjm_mine_result *r;
    o.channel_key = "channel";
    if (cjm_mine_file(&r, path, &o, NULL) < 0) {
        fprintf(stderr, "bench_mine: %s\n", cjm_error_last()->message);
        return -1;
    }
    elements = cjm_mine_count(r, CJM_MINE_EVENTS);
    cjm_mine_result_free(r);
    return 0;
}

int main(int argc, char **argv)
{
    int (*fn)(const char *);
    int repeat = argc > 3 ? atoi(argv[3]) : 3;
    double best = 1e300, best_cpu = 1e300, best_sys = 1e300;
    long best_faults = -1;
    struct rusage ru;

    if (argc < 3) {
        fprintf(stderr, "usage: bench_mine sax|push|safe|reader|mine FILE [REPEAT]\n");
        return 2;
    }
    if (strcmp(argv[1], "sax") == 0)
        fn = run_sax;
    else if (strcmp(argv[1], "push") == 0)
        fn = run_push;
    else if (strcmp(argv[1], "safe") == 0)
        fn = run_safe;
    else if (strcmp(argv[1], "reader") == 0)
        fn = run_reader;
    else if (strcmp(argv[1], "mine") == 0)
        fn = run_mine;
    else {
        fprintf(stderr, "bench_mine: unknown mode %s\n", argv[1]);
        return 2;
    }
    for (int i = 0; i < (repeat > 0 ? repeat : 1); i++) {
        double t0 = now(), c0 = cpu_now(), s0 = sys_now(), t, c, sy;
        long f0 = faults_now(), f;
        elements = 0;
        if (fn(argv[2]) < 0) {
            fprintf(stderr, "bench_mine: %s failed on %s\n", argv[1], argv[2]);
            return 1;
        }
        t = now() - t0;
        c = cpu_now() - c0;
        sy = sys_now() - s0;
        f = faults_now() - f0;
        if (t < best)
            best = t;
        if (c < best_cpu)
            best_cpu = c;
        if (sy < best_sys)
            best_sys = sy;
        if (best_faults < 0 || f < best_faults)
            best_faults = f;
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("%s seconds=%.4f cpu=%.4f sys=%.4f faults=%ld rss_kb=%ld count=%llu\n", argv[1], best,
           best_cpu, best_sys, best_faults, ru.ru_maxrss, elements);
    return 0;
}
