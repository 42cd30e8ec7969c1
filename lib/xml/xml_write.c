/*
 * The canonical Journey XML writer. One map gives one byte sequence:
 * definitions, journeys and their items in the model's order, attributes in
 * the order of cjm_attr, numbers in their shortest exact form, two spaces of
 * indentation and escapes for everything a reader would otherwise change.
 */
#include <math.h>
#include <string.h>

#include "cjm/xml.h"
#include "core/core.h"
#include "xml/xml_internal.h"

/* Appends `s` escaped for element content (in_attr 0) or a quoted attribute. */
static void put_escaped(cjm__buf *b, const char *s, int in_attr)
{
    const char *run = s;
    for (; *s; s++) {
        const char *esc;
        switch (*s) {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': esc = "&gt;"; break;
        case '\r': esc = "&#13;"; break; /* would become a line feed */
        case '"': esc = in_attr ? "&quot;" : NULL; break;
        case '\t': esc = in_attr ? "&#9;" : NULL; break; /* would become a space */
        case '\n': esc = in_attr ? "&#10;" : NULL; break;
        default: esc = NULL; break;
        }
        if (esc) {
            cjm__buf_put(b, run, (size_t)(s - run));
            cjm__buf_puts(b, esc);
            run = s + 1;
        }
    }
    cjm__buf_put(b, run, (size_t)(s - run));
}

static void indent(cjm__buf *b, int level)
{
    static const char spaces[] = "            ";
    cjm__buf_put(b, spaces, (size_t)level * 2);
}

static void put_attr(cjm__buf *b, const char *name, const char *value)
{
    cjm__buf_putc(b, ' ');
    cjm__buf_puts(b, name);
    cjm__buf_puts(b, "=\"");
    put_escaped(b, value, 1);
    cjm__buf_putc(b, '"');
}

static void put_number_attr(cjm__buf *b, const char *name, double v)
{
    char num[32];
    cjm__fmt_double(num, v);
    put_attr(b, name, num);
}

static void put_text_element(cjm__buf *b, int level, const char *name, const char *text)
{
    indent(b, level);
    cjm__buf_putc(b, '<');
    cjm__buf_puts(b, name);
    cjm__buf_putc(b, '>');
    put_escaped(b, text, 0);
    cjm__buf_puts(b, "</");
    cjm__buf_puts(b, name);
    cjm__buf_puts(b, ">\n");
}

/* Opens or closes an element's start tag: "/>" when it has no children. */
static void end_start_tag(cjm__buf *b, int has_children)
{
    cjm__buf_puts(b, has_children ? ">\n" : "/>\n");
}

static void close_element(cjm__buf *b, int level, const char *name)
{
    indent(b, level);
    cjm__buf_puts(b, "</");
    cjm__buf_puts(b, name);
    cjm__buf_puts(b, ">\n");
}

static void put_list(cjm__buf *b, const cjm_item *item, cjm_attr attr)
{
    size_t n = cjm_item_list_count(item, attr);
    cjm__buf_putc(b, ' ');
    cjm__buf_puts(b, cjm_attr_name(attr));
    cjm__buf_puts(b, "=\"");
    for (size_t i = 0; i < n; i++) {
        if (i)
            cjm__buf_putc(b, ' ');
        put_escaped(b, cjm_item_list_at(item, attr, i), 1);
    }
    cjm__buf_putc(b, '"');
}

static void put_item(cjm__buf *b, const cjm_item *item, int level)
{
    cjm_kind kind = cjm_item_kind(item);
    const char *name = cjm_kind_name(kind);
    int children = cjm_item_kpi_count(item) > 0;

    indent(b, level);
    cjm__buf_putc(b, '<');
    cjm__buf_puts(b, name);
    put_attr(b, "id", cjm_item_id(item));
    for (int a = 0; a < CJM_ATTR_COUNT; a++) {
        cjm_attr attr = (cjm_attr)a;
        double d;
        int v;
        if (!cjm_item_has(item, attr))
            continue;
        switch ((cjm_type)cjm_attr_type(attr)) {
        case CJM_TYPE_TEXT:
            children = 1;
            break;
        case CJM_TYPE_REF:
            put_attr(b, cjm_attr_name(attr), cjm_item_text(item, attr));
            break;
        case CJM_TYPE_NUMBER:
            if (cjm_item_number(item, attr, &d) == 0)
                put_number_attr(b, cjm_attr_name(attr), d);
            break;
        case CJM_TYPE_INT:
            if (cjm_item_int(item, attr, &v) == 0 && cjm_enum_name(attr, v))
                put_attr(b, cjm_attr_name(attr), cjm_enum_name(attr, v));
            break;
        case CJM_TYPE_LIST:
            put_list(b, item, attr);
            break;
        }
    }
    end_start_tag(b, children);
    if (!children)
        return;
    for (int a = 0; a < CJM_ATTR_COUNT; a++) {
        cjm_attr attr = (cjm_attr)a;
        if (cjm_attr_type(attr) == CJM_TYPE_TEXT && cjm_item_has(item, attr))
            put_text_element(b, level + 1, cjm_attr_name(attr), cjm_item_text(item, attr));
    }
    for (size_t k = 0; k < cjm_item_kpi_count(item); k++) {
        const cjm_kpi *kpi = cjm_item_kpi_at(item, k);
        indent(b, level + 1);
        cjm__buf_puts(b, "<kpi");
        put_attr(b, "name", kpi->name);
        put_number_attr(b, "value", kpi->value);
        if (!isnan(kpi->target))
            put_number_attr(b, "target", kpi->target);
        if (kpi->date)
            put_attr(b, "date", kpi->date);
        cjm__buf_puts(b, "/>\n");
    }
    close_element(b, level, name);
}

static void put_journey(cjm__buf *b, const cjm_journey *j)
{
    int children = cjm_journey_label(j) || cjm_journey_description(j);

    for (int k = CJM_STAGE; k < CJM_KIND_COUNT && !children; k++)
        children = cjm_journey_count(j, (cjm_kind)k) > 0;
    indent(b, 1);
    cjm__buf_puts(b, "<journey");
    put_attr(b, "id", cjm_journey_id(j));
    put_attr(b, "status", cjm_journey_status(j) == CJM_STATUS_ACTUAL ? "actual" : "planned");
    if (cjm_journey_follows(j))
        put_attr(b, "follows", cjm_journey_follows(j));
    if (cjm_journey_persona(j))
        put_attr(b, "persona", cjm_journey_persona(j));
    end_start_tag(b, children);
    if (!children)
        return;
    if (cjm_journey_label(j))
        put_text_element(b, 2, "label", cjm_journey_label(j));
    if (cjm_journey_description(j))
        put_text_element(b, 2, "description", cjm_journey_description(j));
    for (int k = CJM_STAGE; k < CJM_KIND_COUNT; k++)
        for (size_t i = 0; i < cjm_journey_count(j, (cjm_kind)k); i++)
            put_item(b, cjm_journey_at(j, (cjm_kind)k, i), 2);
    close_element(b, 1, "journey");
}

/* Writes the whole document; the buffer records a failed allocation. */
static void put_map(cjm__buf *b, const cjm_map *map)
{
    cjm__buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<journey-map");
    put_attr(b, "xmlns", CJM__XML_NAMESPACE);
    put_attr(b, "version", "1");
    if (cjm_map_language(map))
        put_attr(b, "language", cjm_map_language(map));
    cjm__buf_puts(b, ">\n");
    if (cjm_map_title(map))
        put_text_element(b, 1, "title", cjm_map_title(map));
    if (cjm_map_description(map))
        put_text_element(b, 1, "description", cjm_map_description(map));
    for (int k = 0; k < CJM_STAGE; k++)
        for (size_t i = 0; i < cjm_map_count(map, (cjm_kind)k); i++)
            put_item(b, cjm_map_at(map, (cjm_kind)k, i), 1);
    for (size_t i = 0; i < cjm_map_journey_count(map); i++)
        put_journey(b, cjm_map_journey_at(map, i));
    cjm__buf_puts(b, "</journey-map>\n");
}

static int check_args(const void *out, const cjm_map *map, const cjm_xml_write_options *options,
                      const char *fn)
{
    if (!out || !map)
        return cjm__error(CJM_EINVAL, "%s: NULL argument", fn);
    if (options && options->version != CJM_XML_WRITE_OPTIONS_VERSION)
        return cjm__error(CJM_EINVAL, "%s: cjm_xml_write_options version %u is not known", fn,
                          options->version);
    return 0;
}

int cjm_xml_write_buffer(cjm_buffer *out, const cjm_map *map,
                         const cjm_xml_write_options *options)
{
    cjm__buf b;
    int rc = check_args(out, map, options, __func__);
    if (rc < 0)
        return rc;
    out->data = NULL;
    out->size = 0;
    cjm__buf_init(&b, options ? options->allocator : NULL);
    put_map(&b, map);
    if (b.failed) {
        cjm__buf_free(&b);
        return cjm__oom();
    }
    return cjm__buf_to_public(&b, out);
}

int cjm_xml_write_file(const cjm_map *map, const char *path,
                       const cjm_xml_write_options *options)
{
    cjm__buf b;
    int rc = check_args(path, map, options, __func__);
    if (rc < 0)
        return rc;
    cjm__buf_init(&b, options ? options->allocator : NULL);
    put_map(&b, map);
    if (b.failed) {
        cjm__buf_free(&b);
        return cjm__oom();
    }
    rc = cjm__write_file_atomic(path, b.data, b.len);
    cjm__buf_free(&b);
    return rc;
}
