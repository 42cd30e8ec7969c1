/* The public entry points of the Graphviz diagrams. */
#include <string.h>
#include <strings.h>

#include "render/render_internal.h"

static const char *const format_names[CJM_RENDER_FORMAT_COUNT] = {"dot", "svg", "png", "pdf"};
/* gvc's names for the renderers; the core SVG renderer keeps tooltips. */
static const char *const gv_formats[CJM_RENDER_FORMAT_COUNT] = {NULL, "svg:svg:core", "png",
                                                                "pdf"};

const char *cjm_render_format_name(cjm_render_format format)
{
    if ((int)format < 0 || format >= CJM_RENDER_FORMAT_COUNT)
        return NULL;
    return format_names[format];
}

int cjm_render_format_lookup(const char *name, cjm_render_format *out)
{
    if (!name || !out)
        return cjm__error(CJM_EINVAL, "no format name was given");
    for (int f = 0; f < CJM_RENDER_FORMAT_COUNT; f++)
        if (strcasecmp(name, format_names[f]) == 0) {
            *out = (cjm_render_format)f;
            return 0;
        }
    if (strcasecmp(name, "gv") == 0) {
        *out = CJM_RENDER_DOT;
        return 0;
    }
    return cjm__error(CJM_EUNSUPPORTED,
                      "'%.64s' is not a diagram format (dot, svg, png or pdf)", name);
}

int cjm__render_in_situation(const cjm_item *item, const char *sit)
{
    return !sit || cjm_item_list_count(item, CJM_ATTR_SITUATIONS) == 0 ||
           cjm_item_list_contains(item, CJM_ATTR_SITUATIONS, sit);
}

int cjm__render_prepare(const cjm_map *map, const cjm_render_options *in,
                        cjm_render_options *o, const cjm_journey **journey)
{
    static const cjm_render_options defaults = CJM_RENDER_OPTIONS_INIT;
    const cjm_journey *j;
    if (!map)
        return cjm__error(CJM_EINVAL, "no journey map was given");
    if (in && in->version != CJM_RENDER_OPTIONS_VERSION)
        return cjm__error(CJM_EINVAL, "render options of version %u are not known here",
                          in->version);
    *o = in ? *in : defaults;
    if (o->annotations & ~(unsigned)CJM_ANNOTATE_ALL)
        return cjm__error(CJM_EINVAL, "unknown annotation bits 0x%x", o->annotations);
    if (o->direction != CJM_DIRECTION_LR && o->direction != CJM_DIRECTION_TB)
        return cjm__error(CJM_EINVAL, "unknown direction %d", (int)o->direction);
    if (o->journey) {
        j = cjm_map_journey(map, o->journey);
        if (!j)
            return cjm__error(CJM_ENOTFOUND, "the map has no journey '%.200s'", o->journey);
    } else {
        j = cjm_map_journey_at(map, 0);
        if (!j)
            return cjm__error(CJM_ENOTFOUND, "the map has no journeys to draw");
    }
    if (o->situation) {
        const cjm_item *s = cjm_map_find(map, o->situation);
        if (!s || cjm_item_kind(s) != CJM_SITUATION)
            return cjm__error(CJM_ENOTFOUND, "the map has no situation '%.200s'",
                              o->situation);
    }
    *journey = j;
    return 0;
}

/* Lays out and renders with gvc; lock held. */
static int render_locked(const cjm_map *map, cjm_render_format format,
                         const cjm_render_options *options, cjm__buf *b)
{
    Agraph_t *g = NULL;
    GVC_t *gvc = cjm__gv_context();
    char *data = NULL;
    unsigned int len = 0;
    const char *msg;
    int rc;

    cjm__gv_capture_begin();
    rc = cjm__diagram_build(map, options, &g);
    if (rc == 0) {
        if (gvLayout(gvc, g, "dot") != 0) {
            rc = CJM_ERROR;
        } else {
            if (gvRenderData(gvc, g, gv_formats[format], &data, &len) != 0 || !data)
                rc = CJM_ERROR;
            else if (cjm__buf_put(b, data, len) < 0)
                rc = CJM_ENOMEM;
            gvFreeRenderData(data);
            gvFreeLayout(gvc, g);
        }
    }
    if (g)
        agclose(g);
    msg = cjm__gv_capture_end();
    if (rc == CJM_ERROR)
        return cjm__error(CJM_ERROR, "Graphviz could not render the journey as %s: %s",
                          format_names[format], *msg ? msg : "no reason given");
    return rc;
}

int cjm_render(const cjm_map *map, cjm_render_format format, const cjm_render_options *options,
               cjm_buffer *out)
{
    cjm_render_options o;
    const cjm_journey *j;
    cjm__buf b;
    int rc;
    if (!out)
        return cjm__error(CJM_EINVAL, "no buffer was given");
    out->data = NULL;
    out->size = 0;
    if ((int)format < 0 || format >= CJM_RENDER_FORMAT_COUNT)
        return cjm__error(CJM_EINVAL, "unknown diagram format %d", (int)format);
    if ((rc = cjm__render_prepare(map, options, &o, &j)) < 0)
        return rc;
    cjm__buf_init(&b, o.allocator);
    if (format == CJM_RENDER_DOT) {
        /* DOT is written from the model: Graphviz, and so the lock, is not needed. */
        rc = cjm__diagram_dot(map, &o, &b);
    } else {
        cjm__gv_lock();
        rc = render_locked(map, format, &o, &b);
        cjm__gv_unlock();
    }
    if (rc == 0)
        rc = cjm__buf_to_public(&b, out);
    cjm__buf_free(&b);
    /* a buffer that could not grow says so only by its result: record it */
    return rc == CJM_ENOMEM ? cjm__oom() : rc;
}

int cjm_render_file(const cjm_map *map, cjm_render_format format,
                    const cjm_render_options *options, const char *path)
{
    cjm_buffer buf = CJM_BUFFER_INIT;
    int rc;
    if (!path)
        return cjm__error(CJM_EINVAL, "no output file was given");
    if ((rc = cjm_render(map, format, options, &buf)) < 0)
        return rc;
    rc = cjm__write_file_atomic(path, buf.data, buf.size);
    cjm_buffer_free(&buf);
    return rc;
}
