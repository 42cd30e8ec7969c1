/*
 * The Journey XML reader: a SAX2 push parse through the hardened set-up of
 * xmlsafe.h, driven by the model's tables of kinds, attributes and values.
 * Memory grows with the map, not with the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cjm/xml.h"
#include "model/model_access.h"
#include "xml/xml_internal.h"
#include "xml/xmlsafe.h"

/* What an open element of the format is. */
typedef enum frame_type {
    F_ROOT = 0,
    F_DEFINITION, /* actor, channel, persona, situation */
    F_JOURNEY,
    F_ITEM,       /* an item of a journey */
    F_KPI,
    F_TEXT        /* label, description, owner, root-cause, title */
} frame_type;

/* Where collected text goes. */
typedef enum text_target {
    T_MAP_TITLE = 0,
    T_MAP_DESCRIPTION,
    T_JOURNEY_LABEL,
    T_JOURNEY_DESCRIPTION,
    T_ITEM
} text_target;

/* Entries of the reader's cache of names (a power of two). */
#define NAME_CACHE 256

/* The format needs four levels (root, journey, item, text); one spare. */
#define MAX_FRAMES 5

typedef struct frame {
    frame_type type;
    const char *name; /* the element's local name (libxml2's dictionary) */
    cjm_item *item;
    cjm_journey *journey;
    text_target target;
    cjm_attr attr;    /* for T_ITEM */
    uint64_t texts;   /* of an item: a bit (1 << attr) for each text element read */
} frame;

/* Where a journey's start tag was, for problems that concern the journey. */
typedef struct journey_loc {
    int line, column;
} journey_loc;

/* What the reader knows of a name libxml2 interned. */
typedef struct name_info {
    const xmlChar *name;
    short code;     /* dispatch code (below) */
    short attr;     /* the model attribute of that name, or -1 */
    short type;     /* cjm_attr_type() of attr */
    uint16_t kinds; /* bit (1 << kind) for each kind that has attr */
} name_info;

/* Attributes of a start tag whose names the reader keeps in order, per kind. */
#define SEQ 16

typedef struct reader {
    cjm__xml x;
    const cjm_allocator *alloc;
    const cjm_xml_read_options *opts;
    cjm_map *map;
    frame frames[MAX_FRAMES];
    int nframes;
    int skip;         /* depth inside a foreign element; 0 outside */
    int seen_root;
    cjm__buf text;    /* the text element being read */
    size_t max_text;
    cjm__buf value;   /* scratch: one attribute value, NUL-terminated */
    journey_loc *jlocs;
    size_t njlocs, capjlocs;
    /* libxml2 interns names, so a name seen once maps by pointer next time:
     * a small open-addressed cache of what each name is; when its probes
     * are full, the last entry takes the name uncached */
    name_info names[NAME_CACHE + 1];
    /* the attributes of the last start tag of each kind, in order: start
     * tags of a kind mostly name the same attributes in the same order, and
     * these copies keep what they need in a few cache lines rather than in
     * one entry of the cache of names each */
    name_info seq[CJM_KIND_COUNT][SEQ];
    unsigned text_kinds; /* bit (1 << kind) for each kind an item of which had a text element */
    const xmlChar *ns; /* the namespace URI as libxml2 interned it */
} reader;

/* Names the reader dispatches on: the kinds (0 .. CJM_KIND_COUNT - 1), then these. */
enum {
    C_JOURNEY = CJM_KIND_COUNT,
    C_TITLE,
    C_DESCRIPTION,
    C_LABEL,
    C_KPI,
    C_ID,
    C_OTHER
};

static const char *const code_names[] = {"journey", "title", "description", "label", "kpi",
                                         "id"};

static const char NS[] = CJM__XML_NAMESPACE;

/* The message of an id used twice: the id, and the line and column of its first use. */
#define DUPLICATE_ID "duplicate id '%.100s': already used at line %d, column %d"

/* The first entry of the cache of names where `name` may be. */
static int name_home(const xmlChar *name)
{
    uint32_t h = (uint32_t)((uintptr_t)name >> 3) * 2654435761u;
    return (int)(h >> 24) & (NAME_CACHE - 1);
}

/* name_slot() past the first entry: probes on, and fills an entry on a miss. */
static int name_slot_probe(reader *r, const xmlChar *name)
{
    int i = name_home(name), probes = 0;
    const char *n = (const char *)name;
    int code = C_OTHER;
    cjm_attr attr;
    while (r->names[i].name) {
        if (r->names[i].name == name)
            return i;
        if (++probes == 8) {
            i = NAME_CACHE; /* uncached */
            break;
        }
        i = (i + 1) & (NAME_CACHE - 1);
    }
    for (int k = 0; k < CJM_KIND_COUNT && code == C_OTHER; k++)
        if (strcmp(n, cjm_kind_name((cjm_kind)k)) == 0)
            code = k;
    for (int c = C_JOURNEY; c < C_OTHER && code == C_OTHER; c++)
        if (strcmp(n, code_names[c - C_JOURNEY]) == 0)
            code = c;
    r->names[i].name = name;
    r->names[i].code = (short)code;
    r->names[i].attr = -1;
    r->names[i].type = -1;
    r->names[i].kinds = 0;
    for (int a = 0; a < CJM_ATTR_COUNT; a++) {
        attr = (cjm_attr)a;
        if (strcmp(cjm_attr_name(attr), n) == 0) {
            r->names[i].attr = (short)a;
            r->names[i].type = (short)cjm_attr_type(attr);
            for (int k = 0; k < CJM_KIND_COUNT; k++)
                if (cjm_kind_has_attr((cjm_kind)k, attr))
                    r->names[i].kinds |= (uint16_t)(1u << k);
            break;
        }
    }
    return i;
}

/* What a name is: its entry in the cache of names, filled on a miss. Most
 * names are found at their first entry, which is looked at here, inline. */
static inline int name_slot(reader *r, const xmlChar *name)
{
    int i = name_home(name);
    return r->names[i].name == name ? i : name_slot_probe(r, name);
}

/* The dispatch code of an element or attribute name. */
static int code_of(reader *r, const xmlChar *name)
{
    return r->names[name_slot(r, name)].code;
}

/* Whether `uri` (not NULL) is the format's namespace. */
static int is_ns(reader *r, const xmlChar *uri)
{
    if (uri == r->ns)
        return 1;
    if (strcmp((const char *)uri, NS) != 0)
        return 0;
    r->ns = uri;
    return 1;
}

/* ---- failures -------------------------------------------------------------- */

/* Turns a failed model call into a parse error at a location. */
static void model_fail(reader *r, int rc, int line, int column)
{
    if (rc == CJM_ENOMEM) {
        cjm__xml_fail_at(&r->x, CJM_ENOMEM, line, column, "out of memory");
        return;
    }
    cjm__xml_fail_at(&r->x, CJM_EPARSE, line, column, "%s", cjm_error_last()->message);
}

static void oom(reader *r)
{
    cjm__xml_fail(&r->x, CJM_ENOMEM, "out of memory");
}

/* ---- attribute values --------------------------------------------------- */

typedef struct xattr {
    const xmlChar *name, *uri, *value, *end;
} xattr;

static xattr attr_at(const xmlChar **attributes, int i)
{
    xattr a;
    a.name = attributes[i * 5];
    a.uri = attributes[i * 5 + 2];
    a.value = attributes[i * 5 + 3];
    a.end = attributes[i * 5 + 4];
    return a;
}

/* The value as a NUL-terminated string in the scratch buffer; NULL when out of memory. */
static const char *value_of(reader *r, const xattr *a)
{
    size_t n = (size_t)(a->end - a->value);
    const char *in = (const char *)a->value;
    char *out;
    int amp = 0;
    r->value.len = 0;
    if (cjm__buf_grow(&r->value, n) < 0) {
        oom(r);
        return NULL;
    }
    out = r->value.data;
    for (size_t i = 0; i < n; i++) {
        out[i] = in[i];
        amp |= in[i] == '&';
    }
    out[n] = '\0';
    r->value.len = n;
    if (amp) {
        /* Without entity substitution libxml2 hands every '&' of an
         * attribute value over as "&#38;" (every one, so undoing it is
         * exact); the option that avoids it, NOENT, is not for us. The
         * copy is NUL-terminated, so strncmp() stays inside it. */
        char *end = out + n;
        in = out;
        while (in < end) {
            if (*in == '&' && strncmp(in, "&#38;", 5) == 0) {
                *out++ = '&';
                in += 5;
            } else {
                *out++ = *in++;
            }
        }
        *out = '\0';
        r->value.len = (size_t)(out - r->value.data);
    }
    return r->value.data;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Trims XML whitespace in place from `s`, which is the value value_of() left
 * in the scratch buffer or a place inside it: the buffer belongs to us, and
 * its length says where the value ends.
 */
static char *trim(reader *r, char *s)
{
    char *e = r->value.data + r->value.len;
    while (is_space(*s))
        s++;
    while (e > s && is_space(e[-1]))
        *--e = '\0';
    r->value.len = (size_t)(e - r->value.data);
    return s;
}

/* trim() of the `*n` bytes at `s`, which stay as they are: where the
 * value begins, *n set to its length. */
static const char *trim_bytes(const char *s, size_t *n)
{
    while (*n && is_space(*s))
        s++, --*n;
    while (*n && is_space(s[*n - 1]))
        --*n;
    return s;
}

static int all_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_space(s[i]))
            return 0;
    return 1;
}

static void value_fail(reader *r, const xattr *a, int code, const char *fmt, const char *what)
{
    int line, column;
    cjm__xml_where_value(&r->x, a->value, &line, &column);
    cjm__xml_fail_at(&r->x, code, line, column, fmt, (const char *)a->name, what);
}

/*
 * A plain decimal of up to 15 significant digits, without exponent, in the
 * `n` bytes at `s`, read on the way: the digits make an exact double and
 * so does the power of ten, so one division rounds correctly, whatever the
 * locale. 0 for anything else, which parse_number() reads or refuses.
 * Inline: set_attr() reads most numbers of a file through it.
 */
static inline int plain_number(const char *s, size_t n, double *out)
{
    static const double tens[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char *p = s, *end = s + n;
    uint64_t m = 0;
    int digits = 0, fraction = 0, negative = 0;

    if (p < end && (*p == '+' || *p == '-'))
        negative = *p++ == '-';
    for (; p < end && *p >= '0' && *p <= '9' && digits < 16; p++, digits++)
        m = m * 10 + (uint64_t)(*p - '0');
    if (p < end && *p == '.')
        for (p++; p < end && *p >= '0' && *p <= '9' && digits < 16; p++, digits++, fraction++)
            m = m * 10 + (uint64_t)(*p - '0');
    if (p != end || !digits || digits > 15)
        return 0;
    /* whole numbers, the most common, need no division */
    *out = fraction ? (double)m / tens[fraction] : (double)m;
    if (negative)
        *out = -*out;
    return 1;
}

/*
 * Parses a number in the format's syntax: plain decimals as plain_number()
 * reads them, the rest (more digits, an exponent) checked here and read by
 * strtod(), whatever the locale.
 */
static int parse_number(reader *r, const xattr *a, const char *text, double *out)
{
    char *s = trim(r, (char *)text), *end;
    const char *p = s;
    int digits = 0;

    if (plain_number(s, strlen(s), out))
        return 0;
    if (*p == '+' || *p == '-')
        p++;
    for (; *p >= '0' && *p <= '9'; p++)
        digits++;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    if (digits && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            digits = 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (!digits || *p) {
        value_fail(r, a, CJM_EPARSE, "attribute '%s': '%.60s' is not a number", s);
        return -1;
    }
    *out = cjm__strtod(s, &end);
    if (*end || !isfinite(*out)) {
        value_fail(r, a, CJM_EPARSE, "attribute '%s': '%.60s' is out of the range of numbers",
                   s);
        return -1;
    }
    return 0;
}

/* Reads one ISO 8601 duration component's number; returns the pointer after it. */
static const char *duration_part(const char *p, double *v)
{
    const char *start = p;
    double n = 0, scale = 0.1;
    while (*p >= '0' && *p <= '9' && p - start < 15)
        n = n * 10 + (*p++ - '0');
    if (p == start || (*p >= '0' && *p <= '9'))
        return NULL;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return NULL;
        while (*p >= '0' && *p <= '9') {
            n += (*p++ - '0') * scale;
            scale /= 10;
        }
        if (*p != 'S')
            return NULL; /* only seconds take a fraction */
    }
    *v = n;
    return p;
}

/* PnW, or P[nD][T[nH][nM][n[.n]S]], to seconds; -1 when it is not one.
 * `s` begins with 'P'. */
static int parse_iso_duration(const char *s, double *out)
{
    static const char units[] = "WDHMS";
    static const double seconds[] = {604800, 86400, 3600, 60, 1};
    double total = 0, v;
    int last = -1, in_time = 0, parts = 0;
    const char *p = s + 1;

    while (*p) {
        const char *u;
        int k;
        if (last == 0)
            return -1; /* weeks stand alone */
        if (*p == 'T') {
            if (in_time)
                return -1;
            in_time = 1;
            p++;
            if (!*p)
                return -1; /* "PT" says nothing */
            continue;
        }
        if (!(p = duration_part(p, &v)) || !*p || !(u = strchr(units, *p)))
            return -1;
        k = (int)(u - units);
        /* out of order (weeks after anything too), a time unit outside T or the reverse */
        if (k <= last || (in_time != (k >= 2)))
            return -1;
        total += v * seconds[k];
        last = k;
        parts++;
        p++;
    }
    if (!parts)
        return -1;
    *out = total;
    return 0;
}

static int parse_duration(reader *r, const xattr *a, const char *text, double *out)
{
    char *s = trim(r, (char *)text);
    if (*s == 'P') {
        if (parse_iso_duration(s, out) == 0)
            return 0;
        value_fail(r, a, CJM_EPARSE,
                   "attribute '%s': '%.60s' is not a duration in seconds or an ISO 8601 "
                   "duration of weeks, days, hours, minutes and seconds",
                   s);
        return -1;
    }
    return parse_number(r, a, s, out);
}

/* Appends the names of an enumeration's values for a message. */
static void enum_values(cjm_attr attr, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < cjm_enum_count(attr) && len < size; i++)
        len += (size_t)snprintf(out + len, size - len, "%s%s", i ? ", " : "",
                                cjm_enum_name(attr, i));
}

/* Sets one model attribute of an item from a copy of an XML attribute's
 * value, through the model's public setters. */
static void set_attr_copy(reader *r, cjm_item *item, cjm_attr attr, const xattr *a)
{
    const char *text = value_of(r, a);
    int rc = 0, line, column;
    double d;

    if (!text)
        return;
    switch ((cjm_type)cjm_attr_type(attr)) {
    case CJM_TYPE_REF:
        rc = cjm_item_set_text(item, attr, trim(r, (char *)text));
        break;
    case CJM_TYPE_NUMBER:
        if ((attr == CJM_ATTR_DURATION ? parse_duration(r, a, text, &d)
                                       : parse_number(r, a, text, &d)) < 0)
            return;
        rc = cjm_item_set_number(item, attr, d);
        break;
    case CJM_TYPE_INT: {
        /* set_attr() has set every value that names one of the enumeration
         * (none holds a '&'): what comes here is refused */
        char values[200], msg[400];
        enum_values(attr, values, sizeof values);
        snprintf(msg, sizeof msg, "attribute '%%s': '%%.60s' is not one of %s", values);
        value_fail(r, a, CJM_EPARSE, msg, trim(r, (char *)text));
        return;
    }
    case CJM_TYPE_LIST:
    default: { /* text attributes are child elements, refused before */
        char *s = (char *)text;
        while (rc == 0 && *s) {
            char *e;
            while (is_space(*s))
                s++;
            if (!*s)
                break;
            for (e = s; *e && !is_space(*e); e++)
                ;
            if (*e)
                *e++ = '\0';
            rc = cjm_item_list_add(item, attr, s);
            s = e;
        }
        break;
    }
    }
    if (rc < 0) {
        cjm__xml_where_value(&r->x, a->value, &line, &column);
        model_fail(r, rc, line, column);
    }
}

/* Whether the `n` bytes at `s` hold a '&'; most values are a few bytes,
 * shorter than a call to memchr() is worth. */
static int has_amp(const char *s, size_t n)
{
    if (n > 32)
        return memchr(s, '&', n) != NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '&')
            return 1;
    return 0;
}

/* Whether the value of `a` may hold a '&' (see value_of()): not while
 * no byte of the input so far was one. */
static int may_have_amp(reader *r, const xattr *a)
{
    return r->x.scan.amp_or_del && has_amp((const char *)a->value, (size_t)(a->end - a->value));
}

/*
 * Sets one model attribute of an item from an XML attribute. Values as
 * libxml2 hands them over are read in place, trimmed, without a copy;
 * a value that holds a '&' (see value_of()), and numbers and enumeration
 * values that are not plain decimals or names, take the way through a
 * copy, which also words those refusals.
 */
static void set_attr(reader *r, cjm_item *item, cjm_attr attr, int type, const xattr *a)
{
    const char *s = (const char *)a->value;
    size_t n = (size_t)(a->end - a->value);
    int rc, v, line, column;
    double d;

    if (may_have_amp(r, a)) {
        set_attr_copy(r, item, attr, a);
        return;
    }
    s = trim_bytes(s, &n);
    if (type == CJM_TYPE_LIST) {
        const char *end = s + n, *e;
        for (rc = 0; rc == 0 && s < end; s = e) {
            for (e = s; e < end && !is_space(*e); e++)
                ;
            rc = cjm__item_list_put(item, attr, s, (size_t)(e - s));
            while (e < end && is_space(*e))
                e++;
        }
    } else if (type == CJM_TYPE_REF) {
        rc = cjm__item_put_ref(item, attr, s, n);
    } else if (type == CJM_TYPE_NUMBER && plain_number(s, n, &d)) {
        rc = cjm__item_put_number(item, attr, d);
    } else if (type == CJM_TYPE_INT && (v = cjm__enum_find(attr, s, n)) >= 0) {
        rc = cjm__item_put_int(item, attr, v);
    } else {
        set_attr_copy(r, item, attr, a);
        return;
    }
    if (rc < 0) {
        cjm__xml_where_value(&r->x, a->value, &line, &column);
        model_fail(r, rc, line, column);
    }
}

/* ---- elements ------------------------------------------------------------- */

/* The innermost open element; called only inside the root, where one is open. */
static frame *top(reader *r)
{
    return &r->frames[r->nframes - 1];
}

static void push_frame(reader *r, frame_type type, const xmlChar *name)
{
    frame *f = &r->frames[r->nframes++];
    memset(f, 0, sizeof *f);
    f->type = type;
    f->name = (const char *)name;
}

static void unknown_element(reader *r, const xmlChar *name, const char *parent)
{
    int line, column;
    cjm__xml_where_tag(&r->x, &line, &column);
    cjm__xml_fail_at(&r->x, CJM_EPARSE, line, column, "unknown element <%.60s> in <%s>",
                     (const char *)name, parent);
}

/* Finds the id among the attributes; reports its absence. */
static int find_id(reader *r, const xmlChar *name, int nb, const xmlChar **attributes,
                   xattr *out)
{
    int line, column;
    for (int i = 0; i < nb; i++) {
        xattr a = attr_at(attributes, i);
        if (!a.uri && code_of(r, a.name) == C_ID) {
            *out = a;
            return 0;
        }
    }
    cjm__xml_where_tag(&r->x, &line, &column);
    cjm__xml_fail_at(&r->x, CJM_EPARSE, line, column, "<%s> needs an id attribute",
                     (const char *)name);
    return -1;
}

/* Where journey `j` was read from; 0 when unknown (`j` NULL). */
static void journey_where(const reader *r, const cjm_journey *j, int *line, int *column)
{
    *line = *column = 0;
    for (size_t k = 0; k < r->njlocs; k++) {
        if (cjm_map_journey_at(r->map, k) == j) {
            *line = r->jlocs[k].line;
            *column = r->jlocs[k].column;
        }
    }
}

/*
 * Reports an id used twice at the top level, with where it was used first,
 * by a definition or else a journey: each was read with its place, so the
 * place is always known. (A journey's items are checked when it ends; see
 * index_journey().)
 */
static void duplicate_id(reader *r, const xattr *a, const char *id)
{
    int line, column, l, c;
    cjm_item *prev = cjm_map_find(r->map, id);
    if (prev)
        cjm_item_location(prev, &line, &column);
    else
        journey_where(r, cjm_map_journey(r->map, id), &line, &column);
    cjm__xml_where_value(&r->x, a->value, &l, &c);
    cjm__xml_fail_at(&r->x, CJM_EPARSE, l, c, DUPLICATE_ID, id, line, column);
}

/* Creates an item (definition or journey item) with its attributes. */
static void start_item(reader *r, cjm_kind kind, cjm_journey *journey, const xmlChar *name,
                       int nb, const xmlChar **attributes)
{
    xattr ida;
    const char *id;
    size_t len;
    cjm_item *item = NULL;
    int rc, line, column;

    if (find_id(r, name, nb, attributes, &ida) < 0)
        return;
    if (may_have_amp(r, &ida)) {
        if (!(id = value_of(r, &ida)))
            return;
        id = trim(r, (char *)id);
        len = strlen(id);
    } else {
        len = (size_t)(ida.end - ida.value);
        id = trim_bytes((const char *)ida.value, &len);
    }
    /* one slot per attribute but the id, and one for a text child when
     * items of the kind have had one */
    rc = cjm__item_new(r->map, journey, kind, id, len,
                       (size_t)nb - 1 + ((r->text_kinds >> kind) & 1u), journey != NULL, &item);
    if (rc == CJM_EEXISTS) {
        /* a definition's: the id was found valid first, so it is at most 256 bytes */
        char copy[257];
        memcpy(copy, id, len);
        copy[len] = '\0';
        duplicate_id(r, &ida, copy);
        return;
    }
    if (rc < 0) {
        cjm__xml_where_value(&r->x, ida.value, &line, &column);
        model_fail(r, rc, line, column);
        return;
    }
    cjm__xml_where_start(&r->x, ida.value, &line, &column);
    cjm_item_set_location(item, line, column);
    push_frame(r, journey ? F_ITEM : F_DEFINITION, name);
    top(r)->item = item;
    top(r)->journey = journey;

    for (int i = 0; i < nb && !cjm__xml_failed(&r->x); i++) {
        xattr a = attr_at(attributes, i);
        const name_info *e;
        if (a.uri)
            continue; /* another namespace: not ours to read */
        if (i < SEQ && r->seq[kind][i].name == a.name) {
            e = &r->seq[kind][i];
        } else {
            e = &r->names[name_slot(r, a.name)];
            if (i < SEQ)
                r->seq[kind][i] = *e;
        }
        if (e->code == C_ID)
            continue;
        if (e->attr < 0) {
            value_fail(r, &a, CJM_EPARSE, "unknown attribute '%s' on <%s>",
                       (const char *)name);
            return;
        }
        if (!((e->kinds >> kind) & 1u)) {
            value_fail(r, &a, CJM_EPARSE, "attribute '%s' does not belong on <%s>",
                       (const char *)name);
            return;
        }
        if (e->type == CJM_TYPE_TEXT) {
            value_fail(r, &a, CJM_EPARSE, "'%s' is written as a child element of <%s>",
                       (const char *)name);
            return;
        }
        set_attr(r, item, (cjm_attr)e->attr, e->type, &a);
    }
}

static void start_kpi(reader *r, cjm_item *tp, const xmlChar *name, int nb,
                      const xmlChar **attributes)
{
    cjm_kpi kpi = {NULL, 0, NAN, NULL};
    char *owned[2] = {NULL, NULL};
    int have_value = 0, rc, line, column;

    push_frame(r, F_KPI, name);
    for (int i = 0; i < nb && !cjm__xml_failed(&r->x); i++) {
        xattr a = attr_at(attributes, i);
        const char *n = (const char *)a.name, *v;
        if (a.uri)
            continue;
        if (!(v = value_of(r, &a)))
            break;
        if (strcmp(n, "name") == 0 || strcmp(n, "date") == 0) {
            char *copy = cjm__strdup(r->alloc, n[0] == 'd' ? trim(r, (char *)v) : v);
            if (!copy) {
                oom(r);
                break;
            }
            if (n[0] == 'n') {
                cjm__free(r->alloc, owned[0]);
                kpi.name = owned[0] = copy;
            } else {
                cjm__free(r->alloc, owned[1]);
                kpi.date = owned[1] = copy;
            }
        } else if (strcmp(n, "value") == 0) {
            if (parse_number(r, &a, v, &kpi.value) == 0)
                have_value = 1;
        } else if (strcmp(n, "target") == 0) {
            parse_number(r, &a, v, &kpi.target);
        } else {
            value_fail(r, &a, CJM_EPARSE, "unknown attribute '%s' on <%s>", "kpi");
        }
    }
    /* the place of the tag is needed only for a refusal */
    if (!cjm__xml_failed(&r->x) && (!kpi.name || !have_value)) {
        cjm__xml_where_tag(&r->x, &line, &column);
        cjm__xml_fail_at(&r->x, CJM_EPARSE, line, column,
                         "<kpi> needs a name and a value attribute");
    } else if (!cjm__xml_failed(&r->x) && (rc = cjm_item_kpi_add(tp, &kpi)) < 0) {
        cjm__xml_where_tag(&r->x, &line, &column);
        model_fail(r, rc, line, column);
    }
    cjm__free(r->alloc, owned[0]);
    cjm__free(r->alloc, owned[1]);
}

/*
 * Whether the item of frame `f` has had text element `attr` already, and
 * notes that it has now (and that items of its kind have text elements):
 * its attributes all come from its start tag, where text is not allowed,
 * so a text read before is the only way to have it.
 */
static int text_given(reader *r, frame *f, cjm_attr attr)
{
    uint64_t bit = (uint64_t)1 << attr;
    r->text_kinds |= 1u << cjm_item_kind(f->item);
    int given = (f->texts & bit) != 0;
    f->texts |= bit;
    return given;
}

/* A text element: checks it belongs and is not given twice. */
static void start_text(reader *r, const xmlChar *name, text_target target, cjm_attr attr,
                       int given, int nb, const xmlChar **attributes)
{
    int line, column;
    const char *parent = top(r)->name;
    if (given) {
        cjm__xml_where_tag(&r->x, &line, &column);
        cjm__xml_fail_at(&r->x, CJM_EPARSE, line, column, "<%s> appears twice in <%s>",
                         (const char *)name, parent);
        return;
    }
    for (int i = 0; i < nb; i++) {
        xattr a = attr_at(attributes, i);
        if (!a.uri) {
            value_fail(r, &a, CJM_EPARSE, "unknown attribute '%s' on <%s>",
                       (const char *)name);
            return;
        }
    }
    push_frame(r, F_TEXT, name);
    top(r)->target = target;
    top(r)->attr = attr;
    top(r)->item = r->frames[r->nframes - 2].item;
    top(r)->journey = r->frames[r->nframes - 2].journey;
    r->text.len = 0;
}

static void start_root(reader *r, const xmlChar *name, const xmlChar *uri, int nb,
                       const xmlChar **attributes)
{
    int line, column, have_version = 0;
    cjm__xml_where_tag(&r->x, &line, &column);
    r->seen_root = 1;
    if (!uri || strcmp((const char *)uri, NS) != 0 ||
        strcmp((const char *)name, "journey-map") != 0) {
        if (uri && strncmp((const char *)uri, NS, sizeof NS - 2) == 0 &&
            strcmp((const char *)uri, NS) != 0)
            cjm__xml_fail_at(&r->x, CJM_EUNSUPPORTED, line, column,
                             "namespace %.80s is a version of Journey XML this reader does "
                             "not know (it reads %s)",
                             (const char *)uri, NS);
        else
            cjm__xml_fail_at(&r->x, CJM_EPARSE, line, column,
                             "not a Journey XML document: the root element is <%.60s>%s%.80s%s; "
                             "expected <journey-map> in namespace %s",
                             (const char *)name, uri ? " in namespace " : " in no namespace",
                             uri ? (const char *)uri : "", "", NS);
        return;
    }
    push_frame(r, F_ROOT, name);
    for (int i = 0; i < nb && !cjm__xml_failed(&r->x); i++) {
        xattr a = attr_at(attributes, i);
        const char *v;
        if (a.uri)
            continue;
        if (!(v = value_of(r, &a)))
            return;
        v = trim(r, (char *)v);
        if (strcmp((const char *)a.name, "version") == 0) {
            const char *p = v;
            int major = 0, ok = *p >= '0' && *p <= '9';
            while (*p >= '0' && *p <= '9' && major < 1000)
                major = major * 10 + (*p++ - '0');
            if (ok && *p == '.') {
                p++;
                ok = *p >= '0' && *p <= '9';
                while (*p >= '0' && *p <= '9')
                    p++;
            }
            if (!ok || *p)
                value_fail(r, &a, CJM_EPARSE,
                           "attribute '%s': '%.60s' is not a version such as 1 or 1.2", v);
            else if (major != 1)
                value_fail(r, &a, CJM_EUNSUPPORTED,
                           "attribute '%s': version %.60s of Journey XML is not supported "
                           "(this reader knows version 1)",
                           v);
            have_version = 1;
        } else if (strcmp((const char *)a.name, "language") == 0) {
            int rc = cjm_map_set_language(r->map, v);
            if (rc < 0) {
                cjm__xml_where_value(&r->x, a.value, &line, &column);
                model_fail(r, rc, line, column);
            }
        } else {
            value_fail(r, &a, CJM_EPARSE, "unknown attribute '%s' on <%s>", "journey-map");
        }
    }
    if (!have_version && !cjm__xml_failed(&r->x))
        cjm__xml_fail_at(&r->x, CJM_EPARSE, line, column,
                         "<journey-map> needs a version attribute (version=\"1\")");
}

static void start_journey(reader *r, const xmlChar *name, int nb, const xmlChar **attributes)
{
    xattr ida;
    const char *id;
    cjm_journey *j;
    int rc, line, column;

    if (find_id(r, name, nb, attributes, &ida) < 0 || !(id = value_of(r, &ida)))
        return;
    id = trim(r, (char *)id);
    rc = cjm_map_add_journey(r->map, id, &j);
    if (rc == CJM_EEXISTS) {
        duplicate_id(r, &ida, id);
        return;
    }
    if (rc < 0) {
        cjm__xml_where_value(&r->x, ida.value, &line, &column);
        model_fail(r, rc, line, column);
        return;
    }
    if (r->njlocs == r->capjlocs) {
        size_t cap = r->capjlocs ? r->capjlocs * 2 : 8;
        journey_loc *n = cjm__realloc(r->alloc, r->jlocs, cap * sizeof *n);
        if (!n) {
            oom(r);
            return;
        }
        r->jlocs = n;
        r->capjlocs = cap;
    }
    cjm__xml_where_tag(&r->x, &line, &column);
    r->jlocs[r->njlocs].line = line;
    r->jlocs[r->njlocs].column = column;
    r->njlocs++;
    push_frame(r, F_JOURNEY, name);
    top(r)->journey = j;

    for (int i = 0; i < nb && !cjm__xml_failed(&r->x); i++) {
        xattr a = attr_at(attributes, i);
        const char *n = (const char *)a.name, *v;
        if (a.uri || strcmp(n, "id") == 0)
            continue;
        if (!(v = value_of(r, &a)))
            return;
        v = trim(r, (char *)v);
        if (strcmp(n, "status") == 0) {
            if (strcmp(v, "planned") == 0)
                rc = cjm_journey_set_status(j, CJM_STATUS_PLANNED);
            else if (strcmp(v, "actual") == 0)
                rc = cjm_journey_set_status(j, CJM_STATUS_ACTUAL);
            else {
                value_fail(r, &a, CJM_EPARSE,
                           "attribute '%s': '%.60s' is not one of planned, actual", v);
                return;
            }
        } else if (strcmp(n, "follows") == 0) {
            rc = cjm_journey_set_follows(j, v);
        } else if (strcmp(n, "persona") == 0) {
            rc = cjm_journey_set_persona(j, v);
        } else {
            value_fail(r, &a, CJM_EPARSE, "unknown attribute '%s' on <%s>", "journey");
            return;
        }
        if (rc < 0) {
            cjm__xml_where_value(&r->x, a.value, &line, &column);
            model_fail(r, rc, line, column);
        }
    }
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces, int nb_attributes,
                     int nb_defaulted, const xmlChar **attributes)
{
    cjm__xml *x = ctx;
    reader *r = x->user;
    frame *f;
    int code, slot;
    const char *n = (const char *)name;

    (void)prefix, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
    if (cjm__xml_enter(x, nb_attributes))
        return;
    if (r->skip) {
        r->skip++;
        return;
    }
    if (!r->seen_root) {
        start_root(r, name, uri, nb_attributes, attributes);
        return;
    }
    if (uri && !is_ns(r, uri)) {
        r->skip = 1; /* an extension: skipped with everything inside it */
        return;
    }
    f = top(r);
    if (!uri) {
        int line, column;
        cjm__xml_where_tag(x, &line, &column);
        cjm__xml_fail_at(x, CJM_EPARSE, line, column,
                         "element <%.60s> in <%s> is in no namespace; Journey XML elements "
                         "are in %s",
                         n, f->name, NS);
        return;
    }
    code = code_of(r, name);
    switch (f->type) {
    case F_ROOT:
        if (code == C_TITLE)
            start_text(r, name, T_MAP_TITLE, CJM_ATTR_LABEL, cjm_map_title(r->map) != NULL,
                       nb_attributes, attributes);
        else if (code == C_DESCRIPTION)
            start_text(r, name, T_MAP_DESCRIPTION, CJM_ATTR_DESCRIPTION,
                       cjm_map_description(r->map) != NULL, nb_attributes, attributes);
        else if (code == C_JOURNEY)
            start_journey(r, name, nb_attributes, attributes);
        else if (code < CJM_KIND_COUNT && !cjm_kind_in_journey((cjm_kind)code))
            start_item(r, (cjm_kind)code, NULL, name, nb_attributes, attributes);
        else
            unknown_element(r, name, f->name);
        break;
    case F_JOURNEY:
        if (code == C_LABEL)
            start_text(r, name, T_JOURNEY_LABEL, CJM_ATTR_LABEL,
                       cjm_journey_label(f->journey) != NULL, nb_attributes, attributes);
        else if (code == C_DESCRIPTION)
            start_text(r, name, T_JOURNEY_DESCRIPTION, CJM_ATTR_DESCRIPTION,
                       cjm_journey_description(f->journey) != NULL, nb_attributes, attributes);
        else if (code < CJM_KIND_COUNT && cjm_kind_in_journey((cjm_kind)code))
            start_item(r, (cjm_kind)code, f->journey, name, nb_attributes, attributes);
        else
            unknown_element(r, name, f->name);
        break;
    case F_DEFINITION:
    case F_ITEM:
        if (code == C_KPI && cjm_item_kind(f->item) == CJM_TOUCHPOINT)
            start_kpi(r, f->item, name, nb_attributes, attributes);
        else if ((slot = name_slot(r, name), r->names[slot].type == CJM_TYPE_TEXT) &&
                 ((r->names[slot].kinds >> cjm_item_kind(f->item)) & 1u))
            start_text(r, name, T_ITEM, (cjm_attr)r->names[slot].attr,
                       text_given(r, f, (cjm_attr)r->names[slot].attr), nb_attributes,
                       attributes);
        else
            unknown_element(r, name, f->name);
        break;
    case F_KPI:
    case F_TEXT:
    default: {
        int line, column;
        cjm__xml_where_tag(x, &line, &column);
        cjm__xml_fail_at(x, CJM_EPARSE, line, column, "<%.60s> is not allowed inside <%s>%s",
                         n, f->name, f->type == F_TEXT ? ", which holds text only" : "");
        break;
    }
    }
}

static void end_text(reader *r, frame *f)
{
    /* the buffer is NUL-terminated once anything was added */
    const char *s = r->text.len ? r->text.data : "";
    int rc = 0, line, column;

    switch (f->target) {
    case T_MAP_TITLE:
        rc = cjm_map_set_title(r->map, s);
        break;
    case T_MAP_DESCRIPTION:
        rc = cjm_map_set_description(r->map, s);
        break;
    case T_JOURNEY_LABEL:
        rc = cjm_journey_set_label(f->journey, s);
        break;
    case T_JOURNEY_DESCRIPTION:
        rc = cjm_journey_set_description(f->journey, s);
        break;
    case T_ITEM:
    default:
        rc = cjm__item_put_text(f->item, f->attr, s, r->text.len);
        break;
    }
    r->text.len = 0;
    if (rc < 0) {
        cjm__xml_where(&r->x, &line, &column);
        model_fail(r, rc, line, column);
    }
}

/*
 * Enters the items of journey `j` in its table of ids, which the reader
 * leaves until the journey ends (see cjm__item_new()), and reports the
 * first id used twice: at the item that uses it again, with where it was
 * used first.
 */
static void index_journey(reader *r, cjm_journey *j)
{
    cjm_item *first, *again;
    int rc = cjm__journey_index(j, &first, &again), line, column, l, c;
    if (rc == CJM_EEXISTS) {
        cjm_item_location(first, &line, &column);
        cjm_item_location(again, &l, &c);
        cjm__xml_fail_at(&r->x, CJM_EPARSE, l, c, DUPLICATE_ID, cjm_item_id(again),
                         line, column);
    } else if (rc < 0) {
        oom(r);
    }
}

static void on_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
    cjm__xml *x = ctx;
    reader *r = x->user;
    (void)name, (void)prefix, (void)uri;
    cjm__xml_leave(x);
    if (x->failed)
        return; /* libxml2 calls nothing after a stop; in case it did */
    if (r->skip) {
        r->skip--;
        return;
    }
    /* every start read without failure opened a frame or a skip, so one is open */
    if (top(r)->type == F_TEXT)
        end_text(r, top(r));
    else if (top(r)->type == F_JOURNEY)
        index_journey(r, top(r)->journey);
    r->nframes--;
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    cjm__xml *x = ctx;
    reader *r = x->user;
    frame *f;
    /* libxml2 hands over text only inside the root, and nothing after a stop */
    if (x->failed || r->skip || r->nframes == 0)
        return;
    f = top(r);
    if (f->type == F_TEXT) {
        if (r->text.len + (size_t)len > r->max_text) {
            cjm__xml_fail(x, CJM_ELIMIT, "the text of <%s> is longer than the limit of %zu bytes",
                          f->name, r->max_text);
            return;
        }
        if (cjm__buf_put(&r->text, (const char *)ch, (size_t)len) < 0)
            oom(r);
        return;
    }
    if (!all_space((const char *)ch, (size_t)len)) {
        int line, column;
        size_t lead = 0;
        while (is_space((char)ch[lead]))
            lead++;
        cjm__xml_where_text(x, ch, len, (int)lead, &line, &column);
        cjm__xml_fail_at(x, CJM_EPARSE, line, column, "text is not allowed in <%s>%s", f->name,
                         f->type != F_KPI ? "; it belongs in <label> or <description>" : "");
    }
}

/* ---- after the parse: problems of meaning ------------------------------------ */

static int check_meaning(reader *r)
{
    cjm_problems *problems;
    int rc = cjm_map_validate(r->map, &problems);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < cjm_problems_count(problems); i++) {
        const cjm_problem *p = cjm_problems_at(problems, i);
        int line = p->line, column = p->column;
        if (p->severity != CJM_SEVERITY_ERROR)
            continue;
        if (line == 0) /* a problem of a journey as a whole */
            journey_where(r, cjm_map_journey(r->map, p->journey), &line, &column);
        rc = cjm__error_at(CJM_EPARSE, r->x.file, line, column, "%s", p->message);
        break;
    }
    cjm_problems_free(problems);
    return rc;
}

/*
 * After failure `rc` inside a journey, whose items are not in its table of
 * ids yet: an id used twice among them is the first problem of the file
 * (they were all read before the place of the failure), and is reported
 * instead; running out of memory while looking is reported as such.
 * Returns what the read returns.
 */
static int earlier_duplicate(reader *r, int rc)
{
    cjm_item *first, *again;
    cjm__saved_error saved;
    int line, column, l, c, found;

    if (rc == CJM_ENOMEM || r->nframes < 2 || r->frames[1].type != F_JOURNEY)
        return rc;
    cjm__error_save(&saved);
    found = cjm__journey_index(r->frames[1].journey, &first, &again);
    if (found == CJM_ENOMEM)
        return found;
    if (found != CJM_EEXISTS) {
        cjm__error_restore(&saved);
        return rc;
    }
    cjm_item_location(first, &line, &column);
    cjm_item_location(again, &l, &c);
    return cjm__error_at(CJM_EPARSE, r->x.file, l, c, DUPLICATE_ID, cjm_item_id(again),
                         line, column);
}

/* ---- entry points ------------------------------------------------------------ */

typedef int (*parse_fn)(cjm__xml *x, xmlSAXHandler *sax, const void *src, size_t len);

static int parse_mem(cjm__xml *x, xmlSAXHandler *sax, const void *src, size_t len)
{
    return cjm__xml_parse_memory(x, sax, src, len);
}

static int parse_fd(cjm__xml *x, xmlSAXHandler *sax, const void *src, size_t len)
{
    (void)len;
    return cjm__xml_parse_fd(x, sax, *(const int *)src);
}

static int run(cjm_map **out, const char *name, parse_fn parse, const void *src, size_t len,
               const cjm_xml_read_options *options)
{
    static const cjm_xml_read_options defaults = CJM_XML_READ_OPTIONS_INIT;
    cjm__xml_limits limits;
    xmlSAXHandler sax;
    reader *r;
    int rc;

    if (!options)
        options = &defaults;
    if (options->version != CJM_XML_READ_OPTIONS_VERSION)
        return cjm__error(CJM_EINVAL, "cjm_xml_read_options version %u is not known (expected %d)",
                          options->version, CJM_XML_READ_OPTIONS_VERSION);
    r = cjm__calloc(options->allocator, 1, sizeof *r);
    if (!r)
        return CJM_ENOMEM;
    r->alloc = cjm__alloc_or_default(options->allocator);
    r->opts = options;
    r->max_text = options->max_text ? options->max_text : CJM__XML_DEFAULT_MAX_VALUE;
    cjm__buf_init(&r->text, r->alloc);
    cjm__buf_init(&r->value, r->alloc);
    rc = cjm_map_new(&r->map, options->allocator);
    if (rc == 0) {
        memset(&limits, 0, sizeof limits);
        limits.max_size = options->max_size;
        limits.max_depth = options->max_depth;
        limits.max_value = r->max_text;
        cjm__xml_init(&r->x, name, &limits, r);
        cjm__xml_sax_init(&sax);
        sax.startElementNs = on_start;
        sax.endElementNs = on_end;
        sax.characters = on_text;
        rc = parse(&r->x, &sax, src, len);
        if (rc < 0)
            rc = earlier_duplicate(r, rc);
        if (rc == 0 && !(options->flags & CJM_XML_KEEP_PROBLEMS))
            rc = check_meaning(r);
    }
    if (rc == 0) {
        *out = r->map;
    } else {
        cjm__saved_error saved;
        cjm__error_save(&saved);
        cjm_map_free(r->map);
        cjm__error_restore(&saved);
    }
    cjm__buf_free(&r->text);
    cjm__buf_free(&r->value);
    cjm__free(r->alloc, r->jlocs);
    cjm__free(r->alloc, r);
    return rc;
}

int cjm_xml_read_memory(cjm_map **out, const void *data, size_t size,
                        const cjm_xml_read_options *options)
{
    if (out)
        *out = NULL;
    if (!out || (!data && size))
        return cjm__error(CJM_EINVAL, "cjm_xml_read_memory: NULL argument");
    return run(out, options && options->name ? options->name : "(memory)", parse_mem,
               data ? data : "", size, options);
}

int cjm_xml_read_fd(cjm_map **out, int fd, const cjm_xml_read_options *options)
{
    if (out)
        *out = NULL;
    if (!out || fd < 0)
        return cjm__error(CJM_EINVAL, "cjm_xml_read_fd: NULL output or bad descriptor");
    return run(out, options && options->name ? options->name : "(fd)", parse_fd, &fd, 0,
               options);
}

int cjm_xml_read_file(cjm_map **out, const char *path, const cjm_xml_read_options *options)
{
    struct stat st;
    int fd, rc;

    if (out)
        *out = NULL;
    if (!out || !path)
        return cjm__error(CJM_EINVAL, "cjm_xml_read_file: NULL argument");
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return cjm__error_at(CJM_EIO, path, 0, 0, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return cjm__error_at(CJM_EIO, path, 0, 0, "%s: is a directory", path);
    }
    rc = run(out, path, parse_fd, &fd, 0, options);
    close(fd);
    return rc;
}
