/* A mining result as an actual journey in a journey map. */
#include <string.h>

#include "xes/xes.h"

/* Makes an id from a name: characters ids may not hold become '-'. */
static void make_id(char out[224], const char *name)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && n < 200; p++) {
        if (*p >= 0xC0) {
            /* copy a whole UTF-8 sequence or stop */
            size_t len = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
            if (n + len > 200)
                break;
            for (size_t k = 0; k < len && p[k]; k++)
                out[n++] = (char)p[k];
            p += len - 1;
        } else {
            out[n++] = (char)(*p <= 0x20 || *p == 0x7F ? '-' : *p);
        }
    }
    out[n] = '\0';
    if (n == 0)
        strcpy(out, "activity");
}

typedef int (*taken_fn)(void *scope, const char *id);

static int taken_in_journey(void *scope, const char *id)
{
    return cjm_journey_find(scope, id) != NULL;
}

static int taken_in_map(void *scope, const char *id)
{
    return cjm_map_find(scope, id) != NULL || cjm_map_journey(scope, id) != NULL;
}

/* A free id from `base`, "base-2", "base-3", ... */
static void unique_id(char out[224], const char *base, taken_fn taken, void *scope)
{
    size_t n = strlen(base);
    memcpy(out, base, n + 1);
    for (unsigned k = 2; taken(scope, out); k++) {
        char suffix[16];
        int m = snprintf(suffix, sizeof suffix, "-%u", k);
        memcpy(out + n, suffix, (size_t)m + 1);
    }
}

/* The channel item for a channel value: one with that label, or a new one. */
static int channel_for(cjm_map *map, const char *value, cjm__vec *added,
                       const cjm_allocator *a, cjm_item **out)
{
    char base[224], id[224];
    cjm_item *ch;
    int rc;
    for (size_t i = 0; i < cjm_map_count(map, CJM_CHANNEL); i++) {
        const char *label;
        ch = cjm_map_at(map, CJM_CHANNEL, i);
        label = cjm_item_text(ch, CJM_ATTR_LABEL);
        if ((label && strcmp(label, value) == 0) || (!label && strcmp(cjm_item_id(ch), value) == 0)) {
            *out = ch;
            return 0;
        }
    }
    make_id(base, value);
    unique_id(id, base, taken_in_map, map);
    if ((rc = cjm_map_add(map, CJM_CHANNEL, id, &ch)) < 0)
        return rc;
    if (cjm__vec_push(a, added, ch) < 0) {
        cjm_map_remove(map, ch);
        return CJM_ENOMEM;
    }
    if ((rc = cjm_item_set_text(ch, CJM_ATTR_LABEL, value)) < 0)
        return rc;
    *out = ch;
    return 0;
}

int cjm_mine_to_journey(const cjm_mine_result *r, cjm_map *map, const char *journey_id,
                        cjm_journey **out)
{
    const cjm_allocator *a;
    cjm_journey *j = NULL;
    cjm_item *stage, **tps = NULL;
    cjm__vec added = {0};
    char base[224], id[224];
    int rc;

    if (!r || !map)
        return cjm__error(CJM_EINVAL, "cjm_mine_to_journey: NULL argument");
    a = &r->alloc;
    if ((rc = cjm_map_add_journey(map, journey_id, &j)) < 0)
        return rc;
    if (r->nacts && !(tps = cjm__calloc(a, r->nacts, sizeof *tps))) {
        rc = CJM_ENOMEM;
        goto fail;
    }
    if ((rc = cjm_journey_set_status(j, CJM_STATUS_ACTUAL)) < 0 ||
        (rc = cjm_journey_set_label(j, "Mined from an event log")) < 0 ||
        (rc = cjm_journey_add(j, CJM_STAGE, "observed", &stage)) < 0 ||
        (rc = cjm_item_set_text(stage, CJM_ATTR_LABEL, "Observed")) < 0)
        goto fail;
    for (size_t i = 0; i < r->nacts; i++) {
        cjm_mine_activity act;
        cjm_item *tp;
        cjm_mine_activity_at(r, i, &act);
        make_id(base, act.name);
        unique_id(id, base, taken_in_journey, j);
        if ((rc = cjm_journey_add(j, CJM_TOUCHPOINT, id, &tp)) < 0 ||
            (rc = cjm_item_set_text(tp, CJM_ATTR_LABEL, act.name)) < 0 ||
            (rc = cjm_item_set_text(tp, CJM_ATTR_STAGE, "observed")) < 0)
            goto fail;
        if (act.starts && (rc = cjm_item_set_number(tp, CJM_ATTR_ENTRY, (double)act.starts)) < 0)
            goto fail;
        if (act.ends && (rc = cjm_item_set_int(tp, CJM_ATTR_EXIT, 1)) < 0)
            goto fail;
        if (act.channel) {
            cjm_item *ch;
            if ((rc = channel_for(map, act.channel, &added, a, &ch)) < 0 ||
                (rc = cjm_item_set_text(tp, CJM_ATTR_CHANNEL, cjm_item_id(ch))) < 0)
                goto fail;
        }
        tps[i] = tp;
    }
    for (size_t i = 0; i < r->ntrans; i++) {
        cjm_mine_transition t;
        cjm_item *it;
        cjm_mine_transition_at(r, i, &t);
        if ((rc = cjm_journey_add(j, CJM_TRANSITION, NULL, &it)) < 0 ||
            (rc = cjm_item_set_text(it, CJM_ATTR_FROM, cjm_item_id(tps[t.from]))) < 0 ||
            (rc = cjm_item_set_text(it, CJM_ATTR_TO, cjm_item_id(tps[t.to]))) < 0 ||
            (rc = cjm_item_set_number(it, CJM_ATTR_VOLUME, (double)t.volume)) < 0)
            goto fail;
        if (t.durations.count &&
            (rc = cjm_item_set_number(it, CJM_ATTR_DURATION,
                                      (double)t.durations.median / 1000.0)) < 0)
            goto fail;
    }
    cjm__free(a, tps);
    cjm__vec_free(a, &added);
    if (out)
        *out = j;
    return 0;
fail:
    {
        cjm__saved_error saved;
        cjm__error_save(&saved);
        cjm_map_remove_journey(map, j);
        for (size_t i = added.len; i > 0; i--)
            cjm_map_remove(map, added.items[i - 1]);
        cjm__error_restore(&saved);
    }
    cjm__free(a, tps);
    cjm__vec_free(a, &added);
    return rc;
}
