/* The journey as a customer in one situation meets it. */
#include <string.h>

#include "graph.h"

/* Whether an item's situations list admits `situation` (an empty list admits all). */
static int open_to(const cjm_item *it, const char *situation)
{
    return cjm_item_list_count(it, CJM_ATTR_SITUATIONS) == 0 ||
           cjm_item_list_contains(it, CJM_ATTR_SITUATIONS, situation);
}

/* Copies every attribute and KPI of `src` to `dst` (same kind); links are filtered by `dj`. */
static int copy_item(cjm_item *dst, const cjm_item *src, const cjm_journey *dj)
{
    cjm_kind kind = cjm_item_kind(src);
    int rc = 0, line, column;
    for (int at = 0; at < CJM_ATTR_COUNT && rc == 0; at++) {
        cjm_attr attr = (cjm_attr)at;
        if (!cjm_kind_has_attr(kind, attr) || !cjm_item_has(src, attr))
            continue;
        switch (cjm_attr_type(attr)) {
        case CJM_TYPE_TEXT:
        case CJM_TYPE_REF:
            rc = cjm_item_set_text(dst, attr, cjm_item_text(src, attr));
            break;
        case CJM_TYPE_NUMBER: {
            double v = 0;
            cjm_item_number(src, attr, &v);
            rc = cjm_item_set_number(dst, attr, v);
            break;
        }
        case CJM_TYPE_INT: {
            int v = 0;
            cjm_item_int(src, attr, &v);
            rc = cjm_item_set_int(dst, attr, v);
            break;
        }
        case CJM_TYPE_LIST:
            for (size_t i = 0; i < cjm_item_list_count(src, attr) && rc == 0; i++) {
                const char *id = cjm_item_list_at(src, attr, i);
                if (attr == CJM_ATTR_LINKS && !cjm_journey_find(dj, id))
                    continue;
                rc = cjm_item_list_add(dst, attr, id);
            }
            break;
        default:
            break;
        }
    }
    for (size_t i = 0; i < cjm_item_kpi_count(src) && rc == 0; i++)
        rc = cjm_item_kpi_add(dst, cjm_item_kpi_at(src, i));
    cjm_item_location(src, &line, &column);
    cjm_item_set_location(dst, line, column);
    return rc;
}

static int add_copy(cjm_journey *dj, const cjm_item *src)
{
    cjm_item *it = NULL;
    int rc = cjm_journey_add(dj, cjm_item_kind(src), cjm_item_id(src), &it);
    return rc < 0 ? rc : copy_item(it, src, dj);
}

static int build(cjm_journey *dj, const cjm_journey *sj, const char *situation)
{
    int rc = 0;
    const char *s;
    if ((s = cjm_journey_label(sj)) && (rc = cjm_journey_set_label(dj, s)) < 0)
        return rc;
    if ((s = cjm_journey_description(sj)) && (rc = cjm_journey_set_description(dj, s)) < 0)
        return rc;
    if ((s = cjm_journey_follows(sj)) && (rc = cjm_journey_set_follows(dj, s)) < 0)
        return rc;
    if ((s = cjm_journey_persona(sj)) && (rc = cjm_journey_set_persona(dj, s)) < 0)
        return rc;
    if ((rc = cjm_journey_set_status(dj, cjm_journey_status(sj))) < 0)
        return rc;
    for (size_t i = 0; i < cjm_journey_count(sj, CJM_STAGE); i++)
        if ((rc = add_copy(dj, cjm_journey_at(sj, CJM_STAGE, i))) < 0)
            return rc;
    for (size_t i = 0; i < cjm_journey_count(sj, CJM_TOUCHPOINT); i++) {
        const cjm_item *t = cjm_journey_at(sj, CJM_TOUCHPOINT, i);
        if (open_to(t, situation) && (rc = add_copy(dj, t)) < 0)
            return rc;
    }
    for (size_t i = 0; i < cjm_journey_count(sj, CJM_TRANSITION); i++) {
        const cjm_item *t = cjm_journey_at(sj, CJM_TRANSITION, i);
        const char *from = cjm_item_text(t, CJM_ATTR_FROM), *to = cjm_item_text(t, CJM_ATTR_TO);
        cjm_item *f = from ? cjm_journey_find(dj, from) : NULL;
        cjm_item *d = to ? cjm_journey_find(dj, to) : NULL;
        if (f && d && cjm_item_kind(f) == CJM_TOUCHPOINT && cjm_item_kind(d) == CJM_TOUCHPOINT &&
            open_to(t, situation) && (rc = add_copy(dj, t)) < 0)
            return rc;
    }
    for (int k = CJM_PAINPOINT; k <= CJM_GAP; k++)
        for (size_t i = 0; i < cjm_journey_count(sj, (cjm_kind)k); i++) {
            const cjm_item *t = cjm_journey_at(sj, (cjm_kind)k, i);
            const char *target = cjm_item_text(t, CJM_ATTR_TARGET);
            if ((!target || cjm_journey_find(dj, target) || !cjm_journey_find(sj, target)) &&
                (rc = add_copy(dj, t)) < 0)
                return rc;
        }
    for (size_t i = 0; i < cjm_journey_count(sj, CJM_OPPORTUNITY); i++) {
        const cjm_item *o = cjm_journey_at(sj, CJM_OPPORTUNITY, i);
        size_t links = cjm_item_list_count(o, CJM_ATTR_LINKS), kept = 0;
        for (size_t k = 0; k < links; k++)
            kept += cjm_journey_find(dj, cjm_item_list_at(o, CJM_ATTR_LINKS, k)) != NULL;
        if ((links == 0 || kept > 0) && (rc = add_copy(dj, o)) < 0)
            return rc;
    }
    return 0;
}

int cjm_situation_view(cjm_journey **out, cjm_journey *journey, const char *situation,
                       const char *id)
{
    cjm_map *map;
    cjm_item *sit;
    cjm_journey *view = NULL;
    int rc;
    if (out)
        *out = NULL;
    if (!journey || !situation)
        return cjm__error(CJM_EINVAL, "cjm_situation_view: NULL argument");
    map = cjm_journey_map(journey);
    sit = cjm_map_find(map, situation);
    if (!sit || cjm_item_kind(sit) != CJM_SITUATION)
        return cjm__error(CJM_ENOTFOUND, "the map defines no situation '%s'", situation);
    rc = cjm_map_add_journey(map, id, &view);
    if (rc < 0)
        return rc;
    rc = build(view, journey, situation);
    if (rc < 0) {
        cjm__saved_error saved;
        cjm__error_save(&saved);
        cjm_map_remove_journey(map, view);
        cjm__error_restore(&saved);
        return rc;
    }
    if (out)
        *out = view;
    return 0;
}
