/* Hostile inputs for the XML readers; see gen.h. */
#include "gen.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

/* ---- the two dialects ------------------------------------------------- */

#define JOURNEY_NS "urn:cjm:journey:1"
#define JOURNEY_OPEN "<journey-map xmlns=\"" JOURNEY_NS "\" version=\"1\">"
#define JOURNEY_CLOSE "</journey-map>"

#define XES_OPEN "<log xes.version=\"1.0\" xmlns=\"http://www.xes-standard.org/\">"
#define XES_CLOSE "</log>"

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

static const char journey_valid[] =
    XML_DECL JOURNEY_OPEN "\n"
    "  <title>Valid</title>\n"
    "  <journey id=\"j\">\n"
    "    <stage id=\"s\"/>\n"
    "    <touchpoint id=\"a\" stage=\"s\" entry=\"10\"/>\n"
    "    <touchpoint id=\"b\" stage=\"s\" exit=\"true\"/>\n"
    "    <transition id=\"ab\" from=\"a\" to=\"b\" volume=\"10\"/>\n"
    "  </journey>\n" JOURNEY_CLOSE "\n";

static const char xes_valid[] =
    XML_DECL XES_OPEN "\n"
    "  <trace><string key=\"concept:name\" value=\"c1\"/>\n"
    "    <event><string key=\"concept:name\" value=\"a\"/>"
    "<date key=\"time:timestamp\" value=\"2020-03-27T10:00:00Z\"/></event>\n"
    "    <event><string key=\"concept:name\" value=\"b\"/>"
    "<date key=\"time:timestamp\" value=\"2020-03-27T10:05:00Z\"/></event>\n"
    "  </trace>\n" XES_CLOSE "\n";

const char *hostile_valid(hostile_dialect dialect)
{
    return dialect == HOSTILE_XES ? xes_valid : journey_valid;
}

static const char *root_open(hostile_dialect d)
{
    return d == HOSTILE_XES ? XES_OPEN : JOURNEY_OPEN;
}

static const char *root_close(hostile_dialect d)
{
    return d == HOSTILE_XES ? XES_CLOSE : JOURNEY_CLOSE;
}

/* An element that may stand in the root of the dialect. */
static const char *child_name(hostile_dialect d)
{
    return d == HOSTILE_XES ? "trace" : "journey";
}

/* ---- writing helpers -------------------------------------------------- */

typedef struct out {
    FILE *f;
    int failed;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (!o->failed && n && fwrite(s, 1, n, o->f) != n)
        o->failed = 1;
}

static void puts_(out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void repeat(out *o, const char *s, size_t times)
{
    char block[65536];
    size_t n = strlen(s), per = sizeof block / n, fill = 0;
    for (size_t i = 0; i < per; i++)
        memcpy(block + i * n, s, n);
    while (times > 0 && !o->failed) {
        fill = times < per ? times : per;
        put(o, block, fill * n);
        times -= fill;
    }
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void printf_(out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!o->failed && vfprintf(o->f, fmt, ap) < 0)
        o->failed = 1;
    va_end(ap);
}

/* The start of a document up to and including the root's start tag. */
static void head(out *o, hostile_dialect d)
{
    puts_(o, XML_DECL);
    puts_(o, root_open(d));
    puts_(o, "\n");
}

static void tail(out *o, hostile_dialect d)
{
    puts_(o, root_close(d));
    puts_(o, "\n");
}

/* ---- the cases ---------------------------------------------------------- */

/* Ten levels of ten references each: 10^10 "lol"s if expanded. */
static void billion_laughs(out *o, hostile_dialect d)
{
    puts_(o, XML_DECL);
    printf_(o, "<!DOCTYPE %s [\n  <!ENTITY lol0 \"lol\">\n", d == HOSTILE_XES ? "log" : "journey-map");
    for (int i = 1; i < 10; i++) {
        printf_(o, "  <!ENTITY lol%d \"", i);
        for (int j = 0; j < 10; j++)
            printf_(o, "&lol%d;", i - 1);
        puts_(o, "\">\n");
    }
    puts_(o, "]>\n");
    puts_(o, root_open(d));
    printf_(o, "<%s id=\"&lol9;\"/>", child_name(d));
    tail(o, d);
}

/* One 50,000-character entity referenced 50,000 times: 2.5 GB of text. */
static void quadratic_blowup(out *o, hostile_dialect d)
{
    puts_(o, XML_DECL);
    printf_(o, "<!DOCTYPE %s [<!ENTITY a \"", d == HOSTILE_XES ? "log" : "journey-map");
    repeat(o, "x", 50000);
    puts_(o, "\">]>\n");
    puts_(o, root_open(d));
    printf_(o, "<%s id=\"q\">", child_name(d));
    repeat(o, "&a;", 50000);
    printf_(o, "</%s>", child_name(d));
    tail(o, d);
}

static void external_file_entity(out *o, hostile_dialect d)
{
    puts_(o, XML_DECL);
    printf_(o, "<!DOCTYPE %s [<!ENTITY secret SYSTEM \"file://" HOSTILE_SECRET_FILE "\">]>\n",
            d == HOSTILE_XES ? "log" : "journey-map");
    puts_(o, root_open(d));
    printf_(o, "<%s id=\"e\">&secret;</%s>", child_name(d), child_name(d));
    tail(o, d);
}

static void external_parameter_entity(out *o, hostile_dialect d)
{
    puts_(o, XML_DECL);
    printf_(o, "<!DOCTYPE %s [\n  <!ENTITY %% p SYSTEM \"file://" HOSTILE_SECRET_FILE "\">\n"
               "  %%p;\n]>\n", d == HOSTILE_XES ? "log" : "journey-map");
    head(o, d);
    tail(o, d);
}

static void remote_dtd(out *o, hostile_dialect d)
{
    puts_(o, XML_DECL);
    printf_(o, "<!DOCTYPE %s SYSTEM \"" HOSTILE_REMOTE_URL "\">\n",
            d == HOSTILE_XES ? "log" : "journey-map");
    puts_(o, root_open(d));
    tail(o, d);
}

static void remote_entity(out *o, hostile_dialect d)
{
    puts_(o, XML_DECL);
    printf_(o, "<!DOCTYPE %s [<!ENTITY r SYSTEM \"" HOSTILE_REMOTE_URL "\">]>\n",
            d == HOSTILE_XES ? "log" : "journey-map");
    puts_(o, root_open(d));
    printf_(o, "<%s id=\"r\">&r;</%s>", child_name(d), child_name(d));
    tail(o, d);
}

static void xinclude(out *o, hostile_dialect d)
{
    head(o, d);
    puts_(o, "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"" HOSTILE_SECRET_FILE
             "\" parse=\"text\"/>\n");
    tail(o, d);
}

/* 300,000 nested elements inside the root. */
static void deep_nesting(out *o, hostile_dialect d)
{
    head(o, d);
    repeat(o, "<a>", 300000);
    repeat(o, "</a>", 300000);
    tail(o, d);
}

/* 300,000 nested elements of a foreign namespace, which both formats skip. */
static void deep_foreign_nesting(out *o, hostile_dialect d)
{
    head(o, d);
    puts_(o, "<x:a xmlns:x=\"urn:example:other\">");
    repeat(o, "<x:a>", 300000);
    repeat(o, "</x:a>", 300001);
    tail(o, d);
}

/* 80,000 distinct attributes on one element (libxml2 checks them in quadratic time). */
static void many_attributes(out *o, hostile_dialect d)
{
    head(o, d);
    printf_(o, "<%s", child_name(d));
    for (int i = 0; i < 80000 && !o->failed; i++)
        printf_(o, " a%d=\"\"", i);
    puts_(o, "/>\n");
    tail(o, d);
}

/* One attribute value of 20 MB. */
static void huge_attribute(out *o, hostile_dialect d)
{
    head(o, d);
    printf_(o, "<%s id=\"", child_name(d));
    repeat(o, "AAAAAAAAAAAAAAAA", (20u << 20) / 16);
    puts_(o, "\"/>\n");
    tail(o, d);
}

/*
 * A gzip file of about 2 MB that inflates to 2 GiB: a log whose root holds
 * gigabytes of spaces. One deflate stream, built without compressing 2 GiB:
 * after the first MiB of spaces the window holds only spaces, so the
 * compressed form of a further MiB of spaces (cut at a byte boundary with
 * a sync flush) is the same wherever it stands, and is repeated.
 */
static void gzip_bomb_with(out *o, hostile_dialect d, int lie)
{
    enum { MIB = 1 << 20, REPEAT = 2048 };
    static const unsigned char gz_header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    char prefix[512];
    char *spaces = malloc(MIB);
    unsigned char *buf = malloc(2 * MIB);
    z_stream z;
    size_t first_len, piece_len, last_len;
    unsigned char *piece = NULL, *last = NULL;
    uLong crc, crc_spaces;
    unsigned long long total;

    if (!spaces || !buf) {
        free(spaces);
        free(buf);
        o->failed = 1;
        return;
    }
    memset(spaces, ' ', MIB);
    snprintf(prefix, sizeof prefix, "%s%s\n", XML_DECL, root_open(d));
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(spaces);
        free(buf);
        o->failed = 1;
        return;
    }
    put(o, (const char *)gz_header, sizeof gz_header);

    /* the prefix and a first MiB of spaces */
    z.next_out = buf;
    z.avail_out = 2 * MIB;
    z.next_in = (unsigned char *)prefix;
    z.avail_in = (uInt)strlen(prefix);
    deflate(&z, Z_NO_FLUSH);
    z.next_in = (unsigned char *)spaces;
    z.avail_in = MIB;
    deflate(&z, Z_SYNC_FLUSH);
    first_len = 2 * MIB - z.avail_out;
    put(o, (const char *)buf, first_len);

    /* one more MiB: the piece that repeats */
    z.next_out = buf;
    z.avail_out = 2 * MIB;
    z.next_in = (unsigned char *)spaces;
    z.avail_in = MIB;
    deflate(&z, Z_SYNC_FLUSH);
    piece_len = 2 * MIB - z.avail_out;
    piece = malloc(piece_len);
    if (piece)
        memcpy(piece, buf, piece_len);

    /* the end of the document */
    z.next_out = buf;
    z.avail_out = 2 * MIB;
    z.next_in = (unsigned char *)root_close(d);
    z.avail_in = (uInt)strlen(root_close(d));
    deflate(&z, Z_FINISH);
    last_len = 2 * MIB - z.avail_out;
    last = malloc(last_len ? last_len : 1);
    if (last)
        memcpy(last, buf, last_len);
    deflateEnd(&z);

    if (!piece || !last) {
        o->failed = 1;
    } else {
        for (int i = 0; i < REPEAT; i++)
            put(o, (const char *)piece, piece_len);
        put(o, (const char *)last, last_len);
        /* the trailer: CRC-32 and size (mod 2^32) of everything inflated */
        crc = crc32(0L, (const Bytef *)prefix, (uInt)strlen(prefix));
        crc_spaces = crc32(0L, (const Bytef *)spaces, MIB);
        for (int i = 0; i < REPEAT + 1; i++)
            crc = crc32_combine(crc, crc_spaces, MIB);
        crc = crc32_combine(crc, crc32(0L, (const Bytef *)root_close(d),
                                       (uInt)strlen(root_close(d))),
                            (z_off_t)strlen(root_close(d)));
        total = strlen(prefix) + (unsigned long long)(REPEAT + 1) * MIB + strlen(root_close(d));
        if (lie)
            total = 4u << 20; /* a plausible size: only the stream itself tells */
        {
            unsigned char t[8];
            for (int i = 0; i < 4; i++) {
                t[i] = (unsigned char)(crc >> (8 * i));
                t[4 + i] = (unsigned char)(total >> (8 * i));
            }
            put(o, (const char *)t, 8);
        }
    }
    free(piece);
    free(last);
    free(spaces);
    free(buf);
}

static void gzip_bomb(out *o, hostile_dialect d)
{
    gzip_bomb_with(o, d, 0);
}

/* The same bomb whose trailer claims 4 MiB, so that only counting as it inflates stops it. */
static void gzip_bomb_lying(out *o, hostile_dialect d)
{
    gzip_bomb_with(o, d, 1);
}

/* A lone continuation byte and an overlong encoding inside a value. */
static void invalid_utf8(out *o, hostile_dialect d)
{
    head(o, d);
    printf_(o, "<%s id=\"bad\xC3\x28\xC0\xAFx\"/>\n", child_name(d));
    tail(o, d);
}

/* The valid document, in UTF-16LE with a byte order mark. */
static void utf16(out *o, hostile_dialect d)
{
    const char *s = hostile_valid(d);
    char bom[2] = {(char)0xFF, (char)0xFE};
    put(o, bom, 2);
    for (; *s; s++) {
        char unit[2] = {*s, 0};
        put(o, unit, 2);
    }
}

static void nul_byte(out *o, hostile_dialect d)
{
    head(o, d);
    printf_(o, "<%s id=\"n\">", child_name(d));
    put(o, "before\0after", 12);
    printf_(o, "</%s>", child_name(d));
    tail(o, d);
}

/* The valid document cut in the middle of a start tag. */
static void truncated(out *o, hostile_dialect d)
{
    const char *s = hostile_valid(d);
    put(o, s, strlen(s) / 2 + 3);
}

static void empty(out *o, hostile_dialect d)
{
    (void)o;
    (void)d;
}

static void not_xml(out *o, hostile_dialect d)
{
    (void)d;
    puts_(o, "id,touchpoint,stage\n1,order,buy\n2,pay,buy\n");
}

static void wrong_root(out *o, hostile_dialect d)
{
    (void)d;
    puts_(o, XML_DECL "<html><body><p>not a journey</p></body></html>\n");
}

/* An element of the other dialect as the root: an event log given as a map and back. */
static void other_dialect(out *o, hostile_dialect d)
{
    const char *s = hostile_valid(d == HOSTILE_XES ? HOSTILE_JOURNEY : HOSTILE_XES);
    puts_(o, s);
}

/* ---- the table ---------------------------------------------------------- */

typedef void (*writer_fn)(out *o, hostile_dialect d);

static const struct {
    hostile_case c;
    writer_fn write;
} cases[] = {
    {{"billion-laughs", "nested entity definitions (10^10 expansions)", ".xml",
      HOSTILE_REJECT, HOSTILE_REJECT}, billion_laughs},
    {{"quadratic-blowup", "a 50,000-character entity referenced 50,000 times", ".xml",
      HOSTILE_REJECT, HOSTILE_REJECT}, quadratic_blowup},
    {{"external-file-entity", "an external entity naming " HOSTILE_SECRET_FILE, ".xml",
      HOSTILE_REJECT, HOSTILE_REJECT}, external_file_entity},
    {{"external-parameter-entity", "a parameter entity naming " HOSTILE_SECRET_FILE, ".xml",
      HOSTILE_REJECT, HOSTILE_REJECT}, external_parameter_entity},
    {{"remote-dtd", "a DTD at " HOSTILE_REMOTE_URL, ".xml", HOSTILE_REJECT, HOSTILE_REJECT},
     remote_dtd},
    {{"remote-entity", "an external entity at " HOSTILE_REMOTE_URL, ".xml", HOSTILE_REJECT,
      HOSTILE_REJECT}, remote_entity},
    /* both formats skip elements of foreign namespaces: harmless, as nothing is included */
    {{"xinclude", "an XInclude of " HOSTILE_SECRET_FILE, ".xml", HOSTILE_HARMLESS,
      HOSTILE_HARMLESS}, xinclude},
    {{"deep-nesting", "300,000 nested elements", ".xml", HOSTILE_REJECT, HOSTILE_REJECT},
     deep_nesting},
    {{"deep-foreign-nesting", "300,000 nested elements of another namespace", ".xml",
      HOSTILE_REJECT, HOSTILE_REJECT}, deep_foreign_nesting},
    {{"many-attributes", "80,000 attributes on one element", ".xml", HOSTILE_REJECT,
      HOSTILE_REJECT}, many_attributes},
    {{"huge-attribute", "one attribute value of 20 MB", ".xml", HOSTILE_REJECT, HOSTILE_REJECT},
     huge_attribute},
    {{"gzip-bomb", "2 MB of gzip inflating to 2 GiB", ".xml.gz", HOSTILE_REJECT,
      HOSTILE_REJECT}, gzip_bomb},
    {{"gzip-bomb-lying-trailer", "the gzip bomb with a trailer that claims 4 MiB", ".xml.gz",
      HOSTILE_REJECT, HOSTILE_REJECT}, gzip_bomb_lying},
    {{"invalid-utf8", "bytes that are not UTF-8", ".xml", HOSTILE_REJECT, HOSTILE_REJECT},
     invalid_utf8},
    {{"utf16", "the valid document in UTF-16", ".xml", HOSTILE_REJECT, HOSTILE_REJECT}, utf16},
    {{"nul-byte", "a NUL byte in text", ".xml", HOSTILE_REJECT, HOSTILE_REJECT}, nul_byte},
    {{"truncated", "the valid document cut in half", ".xml", HOSTILE_REJECT, HOSTILE_REJECT},
     truncated},
    {{"empty", "an empty file", ".xml", HOSTILE_REJECT, HOSTILE_REJECT}, empty},
    {{"not-xml", "comma-separated text", ".xml", HOSTILE_REJECT, HOSTILE_REJECT}, not_xml},
    {{"wrong-root", "an XHTML page", ".xml", HOSTILE_REJECT, HOSTILE_REJECT}, wrong_root},
    {{"other-dialect", "a document of the other reader", ".xml", HOSTILE_REJECT,
      HOSTILE_REJECT}, other_dialect},
};

size_t hostile_count(void)
{
    return sizeof cases / sizeof *cases;
}

const hostile_case *hostile_at(size_t i)
{
    return i < hostile_count() ? &cases[i].c : NULL;
}

const hostile_case *hostile_find(const char *name)
{
    for (size_t i = 0; i < hostile_count(); i++)
        if (strcmp(cases[i].c.name, name) == 0)
            return &cases[i].c;
    return NULL;
}

void hostile_file_name(const hostile_case *c, hostile_dialect dialect, char *buf, size_t size)
{
    const char *suffix = c->suffix;
    if (dialect == HOSTILE_XES)
        suffix = strcmp(suffix, ".xml.gz") == 0 ? ".xes.gz" : ".xes";
    snprintf(buf, size, "%s.%s%s", c->name, dialect == HOSTILE_XES ? "log" : "journey", suffix);
}

int hostile_write(const hostile_case *c, hostile_dialect dialect, const char *path)
{
    out o;
    size_t i = (size_t)((const char *)c - (const char *)&cases[0].c) / sizeof cases[0];
    if (i >= hostile_count() || &cases[i].c != c) {
        errno = EINVAL;
        return -1;
    }
    o.f = fopen(path, "wb");
    o.failed = 0;
    if (!o.f)
        return -1;
    cases[i].write(&o, dialect);
    if (fclose(o.f) != 0)
        o.failed = 1;
    if (o.failed) {
        if (errno == 0)
            errno = EIO;
        return -1;
    }
    return 0;
}
