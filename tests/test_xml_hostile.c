/*
 * Hostile Journey XML: each input is refused cleanly, with a location, in
 * bounded time and memory, and nothing is read from disk or network.
 * Big inputs are generated here, never stored.
 */
#include "support.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ROOT "<journey-map xmlns='urn:cjm:journey:1' version='1'>"

static int read_bytes(const char *data, size_t len)
{
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    cjm_map *m = (cjm_map *)1;
    int rc;
    o.name = "hostile.xml";
    rc = cjm_xml_read_memory(&m, data, len, &o);
    if (rc == 0)
        cjm_map_free(m);
    else
        assert_null(m);
    return rc;
}

static int read_text(const char *doc)
{
    return read_bytes(doc, strlen(doc));
}

static void expect(int code, int line, int column, const char *needle)
{
    const cjm_error *e = cjm_error_last();
    if (e->code != code || !strstr(e->message, needle) || e->line != line ||
        (column > 0 && e->column != column) || strcmp(e->file, "hostile.xml") != 0)
        fail_msg("expected %d '%s' at %d:%d; got %d '%s' at %s:%d:%d", code, needle, line,
                 column, e->code, e->message, e->file, e->line, e->column);
}

/* A local TCP port that records whether anyone connected. */
typedef struct listener {
    int fd;
    int port;
} listener;

static void listen_local(listener *l)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    l->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(l->fd >= 0);
    assert_int_equal(bind(l->fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(l->fd, 4), 0);
    assert_int_equal(getsockname(l->fd, (struct sockaddr *)&a, &len), 0);
    l->port = ntohs(a.sin_port);
    fcntl(l->fd, F_SETFL, O_NONBLOCK);
}

static int connections(listener *l)
{
    int n = 0, c;
    while ((c = accept(l->fd, NULL, NULL)) >= 0) {
        close(c);
        n++;
    }
    return n;
}

static void billion_laughs_is_refused_at_the_doctype(void **state)
{
    (void)state;
    assert_cjm_error(
        read_text("<?xml version='1.0'?>\n"
                  "<!DOCTYPE lolz [\n <!ENTITY lol 'lol'>\n"
                  " <!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>\n"
                  " <!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>\n"
                  " <!ENTITY lol9 '&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;'>\n"
                  "]>\n" ROOT "<title>&lol9;</title></journey-map>"),
        CJM_EPARSE);
    expect(CJM_EPARSE, 2, 1, "DTDs are not allowed");
}

static void quadratic_blowup_is_refused_at_the_doctype(void **state)
{
    (void)state;
    size_t n = 50000, cap = n * 2 + n * 4 + 4096, len = 0;
    char *doc = malloc(cap);
    len += (size_t)sprintf(doc + len, "<?xml version='1.0'?>\n<!DOCTYPE m [<!ENTITY a '");
    memset(doc + len, 'a', n);
    len += n;
    len += (size_t)sprintf(doc + len, "'>]>\n" ROOT "<title>");
    for (size_t i = 0; i < n; i++, len += 3)
        memcpy(doc + len, "&a;", 3);
    len += (size_t)sprintf(doc + len, "</title></journey-map>");
    assert_cjm_error(read_bytes(doc, len), CJM_EPARSE);
    expect(CJM_EPARSE, 2, 1, "DTDs are not allowed");
    free(doc);
}

static void external_and_parameter_entities_are_never_loaded(void **state)
{
    (void)state;
    const char *dir = test_scratch_dir("xml-hostile");
    char secret[2300], doc[6000];
    snprintf(secret, sizeof secret, "%s/secret.txt", dir);
    test_write_file(secret, "TOP-SECRET", 10);

    snprintf(doc, sizeof doc,
             "<!DOCTYPE m [<!ENTITY x SYSTEM 'file://%s'>]>\n" ROOT "<title>&x;</title>"
             "</journey-map>",
             secret);
    assert_cjm_error(read_text(doc), CJM_EPARSE);
    expect(CJM_EPARSE, 1, 1, "DTDs are not allowed");
    assert_null(strstr(cjm_error_last()->message, "TOP-SECRET"));

    snprintf(doc, sizeof doc,
             "<?xml version='1.0'?><!DOCTYPE m [<!ENTITY %% p SYSTEM 'file://%s'> %%p;]>\n" ROOT
             "</journey-map>",
             secret);
    assert_cjm_error(read_text(doc), CJM_EPARSE);
    expect(CJM_EPARSE, 1, 22, "DTDs are not allowed");

    /* an entity reference with no declaration at all */
    assert_cjm_error(read_text(ROOT "\n<title>&passwd;</title></journey-map>"), CJM_EPARSE);
    expect(CJM_EPARSE, 2, 8, "'&passwd;' is not allowed");
    assert_cjm_error(read_text(ROOT "\n<actor id='&passwd;'/></journey-map>"), CJM_EPARSE);
    expect(CJM_EPARSE, 2, 0, "'&passwd;' is not allowed");
}

static void a_remote_dtd_or_url_makes_no_connection(void **state)
{
    (void)state;
    listener l;
    char doc[512], url[128];
    cjm_map *m;
    listen_local(&l);
    snprintf(doc, sizeof doc,
             "<?xml version='1.0'?>\n<!DOCTYPE journey-map SYSTEM "
             "'http://127.0.0.1:%d/evil.dtd'>\n" ROOT "</journey-map>",
             l.port);
    assert_cjm_error(read_text(doc), CJM_EPARSE);
    expect(CJM_EPARSE, 2, 1, "DTDs are not allowed");
    snprintf(doc, sizeof doc,
             "<!DOCTYPE journey-map PUBLIC '-//x//y' 'http://127.0.0.1:%d/evil.dtd'>" ROOT
             "</journey-map>",
             l.port);
    assert_cjm_error(read_text(doc), CJM_EPARSE);
    /* a URL as a file name is a file name */
    snprintf(url, sizeof url, "http://127.0.0.1:%d/map.xml", l.port);
    assert_cjm_error(cjm_xml_read_file(&m, url, NULL), CJM_EIO);
    {
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(connections(&l), 0);
    close(l.fd);
}

static void bad_encodings_are_refused_with_their_location(void **state)
{
    (void)state;
    static const char nul[] = ROOT "\n<title>a\0b</title></journey-map>";
    static const char utf16[] = "\xFF\xFE<\0j\0";
    static const char gzip[] = "\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03";
    assert_cjm_error(read_text(ROOT "\n<title>caf\xE9</title></journey-map>"), CJM_EPARSE);
    expect(CJM_EPARSE, 2, 11, "not valid UTF-8");
    assert_cjm_error(read_text("<?xml version='1.0' encoding='ISO-8859-1'?>" ROOT
                               "<title>\xE5\xE4\xF6</title></journey-map>"),
                     CJM_EPARSE);
    expect(CJM_EPARSE, 1, 102, "not valid UTF-8");
    assert_cjm_error(read_bytes(nul, sizeof nul - 1), CJM_EPARSE);
    expect(CJM_EPARSE, 2, 9, "NUL byte");
    assert_cjm_error(read_bytes(utf16, sizeof utf16 - 1), CJM_EPARSE);
    expect(CJM_EPARSE, 1, 1, "not valid UTF-8");
    assert_cjm_error(read_bytes(gzip, sizeof gzip - 1), CJM_EPARSE);
    expect(CJM_EPARSE, 1, 1, "compressed with gzip");
    assert_cjm_error(read_text(ROOT "<title>\xED\xA0\x80</title></journey-map>"), CJM_EPARSE);
    expect(CJM_EPARSE, 1, 59, "surrogate");
}

static void truncated_empty_json_and_html_are_refused(void **state)
{
    (void)state;
    size_t len;
    char *doc = test_read_file(test_src_path(0, "tests/fixtures/xml/canonical.xml"), &len);
    assert_non_null(doc);
    for (size_t cut = 0; cut < len; cut += len / 7 + 1) {
        assert_int_not_equal(read_bytes(doc, cut), 0);
        assert_true(cjm_error_last()->line >= 1);
    }
    free(doc);
    assert_cjm_error(read_text(""), CJM_EPARSE);
    expect(CJM_EPARSE, 1, 1, "empty");
    assert_cjm_error(read_text("{\"journey\": {\"id\": \"j\", \"touchpoints\": []}}\n"),
                     CJM_EPARSE);
    expect(CJM_EPARSE, 1, 1, "not an XML document");
    assert_cjm_error(read_text("<!DOCTYPE html>\n<html><head><title>x</title></head>"
                               "<body><p>Hello<br></body></html>"),
                     CJM_EPARSE);
    expect(CJM_EPARSE, 1, 1, "DTDs are not allowed");
    assert_cjm_error(read_text("<html>\n<body><p>Hello<br></p></body></html>"), CJM_EPARSE);
    expect(CJM_EPARSE, 1, 1, "not a Journey XML document");
}

static void a_20_mb_attribute_is_refused_early(void **state)
{
    (void)state;
    size_t n = 20u << 20, len = 0;
    char *doc = malloc(n + 256);
    len += (size_t)sprintf(doc, ROOT "<actor id='");
    memset(doc + len, 'x', n);
    len += n;
    len += (size_t)sprintf(doc + len, "'/></journey-map>");
    assert_cjm_error(read_bytes(doc, len), CJM_ELIMIT);
    expect(CJM_ELIMIT, 1, 0, "longer than the limit of 1048576 bytes");
    /* and a 20 MB text */
    len = (size_t)sprintf(doc, ROOT "<title>");
    memset(doc + len, 'y', n);
    len += n;
    len += (size_t)sprintf(doc + len, "</title></journey-map>");
    assert_cjm_error(read_bytes(doc, len), CJM_ELIMIT);
    expect(CJM_ELIMIT, 1, 0, "longer than the limit");
    free(doc);
}

static void deep_nesting_is_refused_at_the_limit(void **state)
{
    (void)state;
    size_t depth = 300000, len = 0;
    char *doc = malloc(depth * 12 + 256);
    len += (size_t)sprintf(doc, ROOT "\n");
    for (size_t i = 0; i < depth; i++, len += 3)
        memcpy(doc + len, "<a>", 3);
    for (size_t i = 0; i < depth; i++, len += 4)
        memcpy(doc + len, "</a>", 4);
    len += (size_t)sprintf(doc + len, "</journey-map>");
    assert_cjm_error(read_bytes(doc, len), CJM_EPARSE);
    expect(CJM_EPARSE, 2, 1, "unknown element <a>");
    /* inside a foreign element, where everything is skipped, the depth limit holds */
    len = (size_t)sprintf(doc, ROOT "\n<x:a xmlns:x='urn:x'>");
    for (size_t i = 0; i < depth; i++, len += 5)
        memcpy(doc + len, "<x:a>", 5);
    for (size_t i = 0; i < depth; i++, len += 6)
        memcpy(doc + len, "</x:a>", 6);
    len += (size_t)sprintf(doc + len, "</x:a></journey-map>");
    assert_cjm_error(read_bytes(doc, len), CJM_ELIMIT);
    expect(CJM_ELIMIT, 2, 332, "nested deeper than the limit of 64");
    free(doc);
}

static void many_attributes_are_refused_before_libxml2_counts_them(void **state)
{
    (void)state;
    size_t n = 80000, len = 0;
    char *doc = malloc(n * 16 + 256);
    len += (size_t)sprintf(doc, ROOT "\n<actor id='a'");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(doc + len, " a%zu='1'", i);
    len += (size_t)sprintf(doc + len, "/></journey-map>");
    assert_cjm_error(read_bytes(doc, len), CJM_ELIMIT);
    expect(CJM_ELIMIT, 2, 0, "more than 256 attributes");
    free(doc);
}

static void the_size_limit_bounds_what_is_read(void **state)
{
    (void)state;
    cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;
    cjm_map *m;
    size_t len;
    char *doc = test_read_file(test_src_path(0, "tests/fixtures/xml/canonical.xml"), &len);
    o.max_size = 1000;
    assert_cjm_error(cjm_xml_read_memory(&m, doc, len, &o), CJM_ELIMIT);
    assert_non_null(strstr(cjm_error_last()->message, "larger than the limit of 1000 bytes"));
    o.max_size = len;
    assert_ok(cjm_xml_read_memory(&m, doc, len, &o));
    cjm_map_free(m);
    free(doc);
    /* an endless device: the first bytes already fail */
    assert_cjm_error(cjm_xml_read_file(&m, "/dev/zero", NULL), CJM_EPARSE);
    assert_non_null(strstr(cjm_error_last()->message, "NUL byte"));
    o.max_size = 1 << 16;
    assert_int_not_equal(cjm_xml_read_file(&m, "/dev/urandom", &o), 0);
}

static void memory_stays_bounded(void **state)
{
    (void)state;
    struct rusage ru;
    assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
    /* the biggest input above is 20 MB; the parse must not multiply it */
    print_message("peak RSS after the hostile inputs: %ld KiB\n", ru.ru_maxrss);
    assert_true(ru.ru_maxrss < 400L * 1024);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(billion_laughs_is_refused_at_the_doctype),
        cmocka_unit_test(quadratic_blowup_is_refused_at_the_doctype),
        cmocka_unit_test(external_and_parameter_entities_are_never_loaded),
        cmocka_unit_test(a_remote_dtd_or_url_makes_no_connection),
        cmocka_unit_test(bad_encodings_are_refused_with_their_location),
        cmocka_unit_test(truncated_empty_json_and_html_are_refused),
        cmocka_unit_test(a_20_mb_attribute_is_refused_early),
        cmocka_unit_test(deep_nesting_is_refused_at_the_limit),
        cmocka_unit_test(many_attributes_are_refused_before_libxml2_counts_them),
        cmocka_unit_test(the_size_limit_bounds_what_is_read),
        cmocka_unit_test(memory_stays_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
