/*
 * How fast Journey XML is read, against the floor set by libxml2 itself.
 *
 * Builds a journey of N touchpoints (default 100,000) through the model
 * API, writes it with cjm_xml_write_file(), then times, alternately and
 * several times each in this one process:
 *   - baseline: a libxml2 SAX2 parse of the file with callbacks that do
 *     nothing, which pulls the file read 64 KiB at a time, as the reader does;
 *   - cjm_xml_read_file() of the same file (hardening, model building and
 *     the final validation included; freeing the map is not timed), and
 *     the same without the validation (CJM_XML_KEEP_PROBLEMS);
 * and prints the best time of each and their ratio (target: <= 2). It also
 * times building the same map through the model API, the floor under any
 * reader, and prints what the XML layer adds above that floor.
 *
 * Then, ROUNDS times each, alternately, it runs the baseline and the reader
 * in a fresh process per parse and prints the medians and the minima: what
 * a command that reads one file pays, the first touch of every page of the
 * map included (on a shared machine the minimum is the steadiest figure:
 * other work only ever adds time). In one
 * process the figures depend on what the C library kept from the maps
 * freed before (glibc keeps freed small blocks in its caches but gives
 * large free areas back to the system, to be faulted in again). Peak
 * memory is that of those fresh processes (getrusage of the child), so
 * that what this process built beforehand does not count.
 *
 * usage: bench_xml [TOUCHPOINTS] [FILE]   (default 100000, a file in /tmp)
 *
 * The journey: 10 stages; each touchpoint with stage, channel, initiator,
 * receiver, scores, emotion, need, a label and a situation; a KPI on every
 * tenth; a transition from each touchpoint to the next with volume,
 * probability and duration; a pain point and a gap on every hundredth.
 */
#define _DEFAULT_SOURCE /* wait4: the rusage of one child */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include <cjm.h>

#define ROUNDS 9

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void check(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "bench_xml: %s: %s\n", what, cjm_error_last()->message);
        exit(1);
    }
}

static void build(cjm_map *map, size_t n)
{
    static const char *const channels[] = {"web", "app", "phone", "store"};
    static const int kinds[] = {CJM_CHANNEL_SELF_SERVICE, CJM_CHANNEL_SELF_SERVICE,
                                CJM_CHANNEL_HUMAN, CJM_CHANNEL_PHYSICAL};
    cjm_journey *j;
    cjm_item *it;
    char id[32], to[32], label[64];

    check(cjm_map_set_title(map, "Generated journey"), "title");
    check(cjm_map_add(map, CJM_ACTOR, "customer", &it), "actor");
    check(cjm_item_set_int(it, CJM_ATTR_ROLE, CJM_ROLE_CUSTOMER), "role");
    check(cjm_map_add(map, CJM_ACTOR, "service", &it), "actor");
    check(cjm_item_set_int(it, CJM_ATTR_ROLE, CJM_ROLE_FRONTSTAGE), "role");
    for (int c = 0; c < 4; c++) {
        check(cjm_map_add(map, CJM_CHANNEL, channels[c], &it), "channel");
        check(cjm_item_set_int(it, CJM_ATTR_CHANNEL_KIND, kinds[c]), "kind");
    }
    check(cjm_map_add(map, CJM_SITUATION, "at-home", NULL), "situation");
    check(cjm_map_add_journey(map, "big", &j), "journey");
    for (int s = 0; s < 10; s++) {
        snprintf(id, sizeof id, "s%d", s);
        check(cjm_journey_add(j, CJM_STAGE, id, NULL), "stage");
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(id, sizeof id, "t%zu", i);
        check(cjm_journey_add(j, CJM_TOUCHPOINT, id, &it), "touchpoint");
        snprintf(label, sizeof label, "Contact number %zu", i);
        check(cjm_item_set_text(it, CJM_ATTR_LABEL, label), "label");
        snprintf(id, sizeof id, "s%zu", i * 10 / n);
        check(cjm_item_set_text(it, CJM_ATTR_STAGE, id), "stage ref");
        check(cjm_item_set_text(it, CJM_ATTR_CHANNEL, channels[i % 4]), "channel ref");
        check(cjm_item_set_text(it, CJM_ATTR_INITIATOR, "customer"), "initiator");
        check(cjm_item_set_text(it, CJM_ATTR_RECEIVER, "service"), "receiver");
        check(cjm_item_set_number(it, CJM_ATTR_EXPECTED, 4), "expected");
        check(cjm_item_set_number(it, CJM_ATTR_PERCEIVED, 1 + (double)(i % 9) / 2), "perceived");
        check(cjm_item_set_number(it, CJM_ATTR_EMOTION, (double)(i % 5) - 2), "emotion");
        check(cjm_item_set_int(it, CJM_ATTR_NEED, (int)(i % 4)), "need");
        check(cjm_item_list_add(it, CJM_ATTR_SITUATIONS, "at-home"), "situations");
        if (i == 0)
            check(cjm_item_set_number(it, CJM_ATTR_ENTRY, 1000), "entry");
        if (i + 1 == n)
            check(cjm_item_set_int(it, CJM_ATTR_EXIT, 1), "exit");
        if (i % 10 == 0) {
            cjm_kpi kpi = {"CSAT", 3.5 + (double)(i % 7) / 4, 4.5, "2020-04-01"};
            check(cjm_item_kpi_add(it, &kpi), "kpi");
        }
    }
    for (size_t i = 0; i + 1 < n; i++) {
        snprintf(id, sizeof id, "r%zu", i);
        check(cjm_journey_add(j, CJM_TRANSITION, id, &it), "transition");
        snprintf(id, sizeof id, "t%zu", i);
        snprintf(to, sizeof to, "t%zu", i + 1);
        check(cjm_item_set_text(it, CJM_ATTR_FROM, id), "from");
        check(cjm_item_set_text(it, CJM_ATTR_TO, to), "to");
        check(cjm_item_set_number(it, CJM_ATTR_VOLUME, 1000 - (double)(i % 100)), "volume");
        check(cjm_item_set_number(it, CJM_ATTR_PROBABILITY, 0.95), "probability");
        check(cjm_item_set_number(it, CJM_ATTR_DURATION, 60 * (double)(i % 50)), "duration");
    }
    for (size_t i = 0; i < n; i += 100) {
        snprintf(id, sizeof id, "p%zu", i);
        check(cjm_journey_add(j, CJM_PAINPOINT, id, &it), "pain point");
        snprintf(to, sizeof to, "t%zu", i);
        check(cjm_item_set_text(it, CJM_ATTR_TARGET, to), "target");
        check(cjm_item_set_number(it, CJM_ATTR_SEVERITY, 3), "severity");
        snprintf(id, sizeof id, "g%zu", i);
        check(cjm_journey_add(j, CJM_GAP, id, &it), "gap");
        check(cjm_item_set_text(it, CJM_ATTR_TARGET, to), "target");
        check(cjm_item_set_int(it, CJM_ATTR_GAP_KIND, CJM_GAP_EXPERIENCE), "gap kind");
        check(cjm_item_set_int(it, CJM_ATTR_DIMENSION, CJM_DIMENSION_SPEED), "dimension");
    }
}

/* ---- the baseline: libxml2 doing nothing but parsing ------------------------------ */

static void noop_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                       const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                       int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    (void)ctx, (void)localname, (void)prefix, (void)uri, (void)nb_namespaces,
        (void)namespaces, (void)nb_attributes, (void)nb_defaulted, (void)attributes;
}

static void noop_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri)
{
    (void)ctx, (void)localname, (void)prefix, (void)uri;
}

static void noop_text(void *ctx, const xmlChar *ch, int len)
{
    (void)ctx, (void)ch, (void)len;
}

/* The baseline's source: the file read 64 KiB at a time, handed to libxml2
 * as it asks, as the reader gets it. */
typedef struct base_src {
    int fd;
    size_t len, at;
    char buf[65536];
} base_src;

static int base_read(void *ctx, char *out, int size)
{
    base_src *b = ctx;
    size_t n;
    if (b->at == b->len) {
        ssize_t got = read(b->fd, b->buf, sizeof b->buf);
        if (got <= 0)
            return (int)got;
        b->len = (size_t)got;
        b->at = 0;
    }
    n = b->len - b->at < (size_t)size ? b->len - b->at : (size_t)size;
    memcpy(out, b->buf + b->at, n);
    b->at += n;
    return (int)n;
}

/* A libxml2 SAX2 parse whose callbacks do nothing, pulling the file as the reader does. */
static void baseline(const char *path)
{
    static base_src src;
    xmlSAXHandler sax;
    xmlParserCtxtPtr ctxt;
    src.fd = open(path, O_RDONLY);
    src.len = src.at = 0;
    if (src.fd < 0) {
        perror(path);
        exit(1);
    }
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = noop_start;
    sax.endElementNs = noop_end;
    sax.characters = noop_text;
    ctxt = xmlCreateIOParserCtxt(&sax, NULL, base_read, NULL, &src, XML_CHAR_ENCODING_NONE);
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
    xmlParseDocument(ctxt);
    if (!ctxt->wellFormed) {
        fprintf(stderr, "bench_xml: the baseline parse failed\n");
        exit(1);
    }
    xmlFreeParserCtxt(ctxt);
    close(src.fd);
}

/* Reads the file; returns the processor time of the read alone (not of freeing the map). */
static double reader(const char *path, size_t n, unsigned flags)
{
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    cjm_map *map;
    double t;
    o.flags = flags;
    t = now();
    check(cjm_xml_read_file(&map, path, &o), "read");
    t = now() - t;
    if (cjm_journey_count(cjm_map_journey(map, "big"), CJM_TOUCHPOINT) != n) {
        fprintf(stderr, "bench_xml: the journey read back is incomplete\n");
        exit(1);
    }
    cjm_map_free(map);
    return t;
}

/* Peak resident memory, in KiB, of a fresh process (this program run
 * again) that does one parse and nothing else; *seconds gets the
 * processor time of that parse, which the child writes to a pipe. */
static long child_run(const char *which, const char *path, size_t n, double *seconds)
{
    struct rusage ru;
    char count[32], text[64];
    int status, fds[2];
    ssize_t got;
    pid_t pid;
    snprintf(count, sizeof count, "%zu", n);
    if (pipe(fds) != 0) {
        perror("pipe");
        exit(1);
    }
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        if (dup2(fds[1], STDOUT_FILENO) < 0)
            _exit(127);
        execl("/proc/self/exe", "bench_xml", "--child", which, path, count, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    got = pid > 0 ? read(fds[0], text, sizeof text - 1) : -1;
    close(fds[0]);
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0 || got <= 0) {
        fprintf(stderr, "bench_xml: the measuring child failed\n");
        exit(1);
    }
    text[got] = '\0';
    *seconds = strtod(text, NULL);
    return ru.ru_maxrss;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    size_t n;

    if (argc == 5 && strcmp(argv[1], "--child") == 0) {
        double t = 0;
        n = (size_t)strtoul(argv[4], NULL, 10);
        if (strcmp(argv[2], "sax") == 0) {
            t = now();
            baseline(argv[3]);
            t = now() - t;
        } else if (strcmp(argv[2], "cjm") == 0) {
            t = reader(argv[3], n, 0);
        }
        printf("%.6f\n", t);
        return 0;
    }
    n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 100000;
    char path[256];
    cjm_map *map;
    double t, best_base = 1e30, best_read = 1e30, best_build = 1e30, best_keep = 1e30,
           write_time = 0;
    struct stat st;
    long rss_base = 0, rss_read = 0, rss_idle;
    double fresh_base[ROUNDS], fresh_read[ROUNDS], fresh_idle;

    if (argc > 2)
        snprintf(path, sizeof path, "%s", argv[2]);
    else
        snprintf(path, sizeof path, "/tmp/cjm-bench-%ld.xml", (long)getpid());
    if (n < 10) {
        fprintf(stderr, "usage: bench_xml [TOUCHPOINTS >= 10] [FILE]\n");
        return 2;
    }
    /* The file is made in a child, so that this process stays small and
     * the processes it starts for the memory measurements do too. */
    {
        int status;
        pid_t pid = fork();
        if (pid == 0) {
            check(cjm_map_new(&map, NULL), "map");
            build(map, n);
            check(cjm_xml_write_file(map, path, NULL), "write");
            cjm_map_free(map);
            _exit(0);
        }
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            fprintf(stderr, "bench_xml: making the file failed\n");
            return 1;
        }
    }
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    rss_idle = child_run("idle", path, n, &fresh_idle);
    for (int r = 0; r < ROUNDS; r++) {
        long rss = child_run("sax", path, n, &fresh_base[r]);
        rss_base = rss > rss_base ? rss : rss_base;
        rss = child_run("cjm", path, n, &fresh_read[r]);
        rss_read = rss > rss_read ? rss : rss_read;
    }

    /* The floor under any reader: building the same map through the API. */
    for (int r = 0; r < ROUNDS; r++) {
        check(cjm_map_new(&map, NULL), "map");
        t = now();
        build(map, n);
        t = now() - t;
        if (t < best_build)
            best_build = t;
        if (r == 0) {
            t = now();
            check(cjm_xml_write_file(map, path, NULL), "write");
            write_time = now() - t;
        }
        cjm_map_free(map);
    }
    xmlInitParser();

    for (int r = 0; r < ROUNDS; r++) {
        t = now();
        baseline(path);
        t = now() - t;
        if (t < best_base)
            best_base = t;
        t = reader(path, n, 0);
        if (t < best_read)
            best_read = t;
        t = reader(path, n, CJM_XML_KEEP_PROBLEMS);
        if (t < best_keep)
            best_keep = t;
    }
    printf("touchpoints          %zu (and %zu transitions, %zu pain points, %zu gaps)\n", n,
           n - 1, (n + 99) / 100, (n + 99) / 100);
    printf("file                 %.1f MB\n", (double)st.st_size / 1e6);
    printf("write                %.3f s\n", write_time);
    printf("libxml2 no-op SAX    %.3f s  (best of %d)\n", best_base, ROUNDS);
    printf("cjm_xml_read_file    %.3f s  (best of %d)\n", best_read, ROUNDS);
    printf("ratio read/baseline  %.2f  (target <= 2)\n", best_read / best_base);
    printf("read, no validation  %.3f s  (CJM_XML_KEEP_PROBLEMS), ratio %.2f\n", best_keep,
           best_keep / best_base);
    printf("model API build      %.3f s  (best of %d): the same map built with setters\n",
           best_build, ROUNDS);
    printf("ratio (read - build)/baseline  %.2f  (what the XML layer adds, in baselines)\n",
           (best_read - best_build) / best_base);
    {
        double b = median(fresh_base, ROUNDS), r = median(fresh_read, ROUNDS);
        double bmin = fresh_base[0], rmin = fresh_read[0]; /* sorted by median() */
        printf("fresh process        no-op SAX %.3f s, cjm_xml_read_file %.3f s, ratio %.2f  "
               "(median of %d, one parse per process)\n",
               b, r, r / b, ROUNDS);
        printf("fresh process        no-op SAX %.3f s, cjm_xml_read_file %.3f s, ratio %.2f  "
               "(minimum of %d)\n",
               bmin, rmin, rmin / bmin, ROUNDS);
    }
    printf("peak RSS             idle process %ld KiB, no-op SAX %ld KiB, "
           "cjm_xml_read_file %ld KiB\n",
           rss_idle, rss_base, rss_read);
    printf("reader above SAX     %.0f bytes per touchpoint (the map, with its transition)\n",
           (double)(rss_read - rss_base) * 1024 / (double)n);
    if (argc <= 2)
        unlink(path);
    return 0;
}
