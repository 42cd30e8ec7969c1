/* Items: typed attributes, id lists and KPI series. */
#include <math.h>
#include <string.h>

#include "model_access.h"
#include "model_internal.h"

#define POOL(item) CJM__MAP_POOL((item)->map)

/* A copy of the `len` bytes at `s` for a value of `attr`: shared or the item's own. */
static char *copy_str(cjm_item *item, cjm_attr attr, const char *s, size_t len)
{
    return cjm__attr_shared(attr) ? cjm__strs_get(item->map, attr, s, len)
                                  : cjm__pool_strndup(POOL(item), s, len);
}

/* Gives back a copy made by copy_str(). */
static void free_str(cjm_map *map, cjm_attr attr, char *s)
{
    if (cjm__attr_shared(attr))
        cjm__strs_put(map, s);
    else
        cjm__pool_free_str(CJM__MAP_POOL(map), s);
}

static void free_value(cjm_map *map, cjm_attr attr, cjm__value *v)
{
    cjm__list *list;
    switch (cjm__attrs[attr].type) {
    case CJM_TYPE_TEXT:
    case CJM_TYPE_REF:
        free_str(map, attr, v->s);
        break;
    case CJM_TYPE_LIST:
        if (!(list = v->list))
            break;
        for (size_t i = 0; i < list->len; i++)
            free_str(map, attr, list->items[i]);
        cjm__pool_free(CJM__MAP_POOL(map), list, CJM__LIST_SIZE(list->cap));
        break;
    default:
        break;
    }
}

static void free_kpis(cjm__pool *p, cjm__kpis *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->len; i++) {
        cjm__pool_free_str(p, (char *)k->v[i].name);
        cjm__pool_free_str(p, (char *)k->v[i].date);
    }
    cjm__pool_free(p, k->v, k->cap * sizeof *k->v);
    cjm__pool_free(p, k, sizeof *k);
}

/* Whether the item's slots are still those made with it, in its own block. */
static int slots_inline(const cjm_item *item, size_t idlen)
{
    return item->islots && item->values == CJM__ITEM_INLINE(item, idlen);
}

void cjm__item_destroy(cjm_item *item)
{
    cjm__pool *p = POOL(item);
    size_t idlen = strlen(item->id);
    if (item->values) {
        const uint8_t *attrs = CJM__ITEM_ATTRS(item);
        for (size_t i = 0; i < item->nslots; i++)
            free_value(item->map, (cjm_attr)attrs[i], &item->values[i]);
        if (!slots_inline(item, idlen))
            cjm__pool_free(p, item->values, CJM__SLOTS_SIZE(item->capslots));
    }
    free_kpis(p, item->kpis);
    cjm__pool_free(p, item, CJM__ITEM_BLOCK(idlen, item->islots));
}

const cjm__value *cjm__item_value(const cjm_item *item, cjm_attr attr)
{
    const uint8_t *attrs;
    if (!item->nslots)
        return NULL;
    attrs = CJM__ITEM_ATTRS(item);
    for (size_t i = 0; i < item->nslots; i++)
        if (attrs[i] == attr)
            return &item->values[i];
    return NULL;
}

/* Checks that `attr` exists, the kind has it and it has type `type` (or -1 for any). */
static int check(const cjm_item *item, cjm_attr attr, int type, const char *fn)
{
    if (!item)
        return cjm__error(CJM_EINVAL, "%s: item is NULL", fn);
    if (!cjm_kind_has_attr(item->kind, attr))
        return cjm__error(CJM_EINVAL, "%s: a %s has no attribute %s", fn,
                          cjm_kind_name(item->kind),
                          cjm_attr_name(attr) ? cjm_attr_name(attr) : "(unknown)");
    if (type >= 0 && (int)cjm__attrs[attr].type != type &&
        !(type == CJM_TYPE_TEXT && cjm__attrs[attr].type == CJM_TYPE_REF))
        return cjm__error(CJM_EINVAL, "%s: attribute %s has another type", fn,
                          cjm__attrs[attr].name);
    return 0;
}

/* Moves the item's slots to a block of `cap`; 0 or CJM_ENOMEM (nothing changed). */
static int resize_slots(cjm_item *item, size_t cap)
{
    cjm__value *v = cjm__pool_alloc(POOL(item), CJM__SLOTS_SIZE(cap));
    if (!v)
        return CJM_ENOMEM;
    if (item->values) {
        memcpy(v, item->values, item->nslots * sizeof *v);
        memcpy(v + cap, CJM__ITEM_ATTRS(item), item->nslots);
        if (!slots_inline(item, strlen(item->id)))
            cjm__pool_free(POOL(item), item->values, CJM__SLOTS_SIZE(item->capslots));
    }
    item->values = v;
    item->capslots = (uint8_t)cap;
    return 0;
}

/* Adds a zeroed slot for `attr`, which the item does not have. */
static cjm__value *add_slot(cjm_item *item, cjm_attr attr)
{
    cjm__value *s;
    if (item->nslots == item->capslots) {
        /* small steps: a block too big is memory every item of the kind pays for */
        size_t cap = item->capslots < 4 ? 4u : item->capslots + (item->capslots < 8 ? 2u : 4u);
        if (cap > CJM_ATTR_COUNT)
            cap = CJM_ATTR_COUNT;
        if (resize_slots(item, cap) < 0)
            return NULL;
    }
    CJM__ITEM_ATTRS(item)[item->nslots] = (uint8_t)attr;
    s = &item->values[item->nslots++];
    memset(s, 0, sizeof *s);
    return s;
}

/* Finds or adds the slot for `attr`; a new slot is zeroed. */
static cjm__value *get_slot(cjm_item *item, cjm_attr attr)
{
    cjm__value *s = (cjm__value *)cjm__item_value(item, attr);
    return s ? s : add_slot(item, attr);
}

static void drop_slot(cjm_item *item, cjm_attr attr)
{
    uint8_t *attrs;
    if (!item->nslots)
        return;
    attrs = CJM__ITEM_ATTRS(item);
    for (size_t i = 0; i < item->nslots; i++) {
        if (attrs[i] == attr) {
            free_value(item->map, attr, &item->values[i]);
            item->nslots--;
            item->values[i] = item->values[item->nslots];
            attrs[i] = attrs[item->nslots];
            return;
        }
    }
}

cjm_kind cjm_item_kind(const cjm_item *item) { return item ? item->kind : CJM_KIND_COUNT; }
const char *cjm_item_id(const cjm_item *item) { return item ? item->id : ""; }
cjm_journey *cjm_item_journey(const cjm_item *item) { return item ? item->journey : NULL; }
size_t cjm_item_index(const cjm_item *item) { return item ? item->index : 0; }

int cjm_item_has(const cjm_item *item, cjm_attr attr)
{
    const cjm__value *s;
    if (!item || !cjm_kind_has_attr(item->kind, attr))
        return 0;
    s = cjm__item_value(item, attr);
    if (s && cjm__attrs[attr].type == CJM_TYPE_LIST)
        return s->list && s->list->len > 0;
    return s != NULL;
}

int cjm_item_unset(cjm_item *item, cjm_attr attr)
{
    int rc = check(item, attr, -1, __func__);
    if (rc < 0)
        return rc;
    drop_slot(item, attr);
    return 0;
}

const char *cjm_item_text(const cjm_item *item, cjm_attr attr)
{
    const cjm__value *s;
    if (!item || !cjm_kind_has_attr(item->kind, attr))
        return NULL;
    if (cjm__attrs[attr].type != CJM_TYPE_TEXT && cjm__attrs[attr].type != CJM_TYPE_REF)
        return NULL;
    s = cjm__item_value(item, attr);
    return s ? s->s : NULL;
}

int cjm_item_set_text(cjm_item *item, cjm_attr attr, const char *value)
{
    char *copy;
    cjm__value *s;
    int rc = check(item, attr, CJM_TYPE_TEXT, __func__);
    if (rc < 0)
        return rc;
    if (!value) {
        drop_slot(item, attr);
        return 0;
    }
    if (cjm__attrs[attr].type == CJM_TYPE_REF) {
        if (!cjm__id_ok(value))
            return cjm__error(CJM_EINVAL, "%s of %s: '%s' is not a valid id",
                              cjm__attrs[attr].name, item->id, value);
    } else if (!cjm__text_ok(value)) {
        return cjm__error(CJM_EINVAL,
                          "%s of %s is not valid UTF-8 text (or holds control characters)",
                          cjm__attrs[attr].name, item->id);
    }
    copy = copy_str(item, attr, value, strlen(value));
    if (!copy)
        return CJM_ENOMEM;
    s = get_slot(item, attr);
    if (!s) {
        free_str(item->map, attr, copy);
        return CJM_ENOMEM;
    }
    free_str(item->map, attr, s->s);
    s->s = copy;
    return 0;
}

/* Adds a slot for `attr`, which the item does not have, holding `copy`,
 * from copy_str(); on failure gives the copy back. */
static int put_copy(cjm_item *item, cjm_attr attr, char *copy)
{
    cjm__value *s = add_slot(item, attr);
    if (!s) {
        free_str(item->map, attr, copy);
        return CJM_ENOMEM;
    }
    s->s = copy;
    return 0;
}

int cjm__item_put_ref(cjm_item *item, cjm_attr attr, const char *value, size_t len)
{
    /* the bytes the attribute was last given are a valid id already */
    char *copy = cjm__attr_shared(attr) ? cjm__strs_recent(item->map, attr, value, len) : NULL;
    if (!copy) {
        if (!cjm__id_bytes_ok(value, len))
            return cjm__error(CJM_EINVAL, "%s of %s: '%.*s' is not a valid id",
                              cjm__attrs[attr].name, item->id, (int)(len < 512 ? len : 512),
                              value);
        copy = copy_str(item, attr, value, len);
        if (!copy)
            return CJM_ENOMEM;
    }
    return put_copy(item, attr, copy);
}

int cjm__item_put_text(cjm_item *item, cjm_attr attr, const char *value, size_t len)
{
    char *copy;
    if (!cjm__text_bytes_ok(value, len))
        return cjm__error(CJM_EINVAL,
                          "%s of %s is not valid UTF-8 text (or holds control characters)",
                          cjm__attrs[attr].name, item->id);
    copy = copy_str(item, attr, value, len);
    return copy ? put_copy(item, attr, copy) : CJM_ENOMEM;
}

int cjm__item_put_number(cjm_item *item, cjm_attr attr, double value)
{
    cjm__value *s = add_slot(item, attr);
    if (!s)
        return CJM_ENOMEM;
    s->n = value;
    return 0;
}

int cjm__item_put_int(cjm_item *item, cjm_attr attr, int value)
{
    cjm__value *s = add_slot(item, attr);
    if (!s)
        return CJM_ENOMEM;
    s->i = value;
    return 0;
}

int cjm_item_number(const cjm_item *item, cjm_attr attr, double *out)
{
    const cjm__value *s;
    int rc = check(item, attr, CJM_TYPE_NUMBER, __func__);
    if (rc < 0)
        return rc;
    s = cjm__item_value(item, attr);
    if (!s)
        return cjm__error(CJM_ENOTFOUND, "%s has no %s", item->id, cjm__attrs[attr].name);
    if (out)
        *out = s->n;
    return 0;
}

int cjm__item_number(const cjm_item *item, cjm_attr attr, double *out)
{
    const cjm__value *s;
    if (!item || (int)attr < 0 || attr >= CJM_ATTR_COUNT ||
        cjm__attrs[attr].type != CJM_TYPE_NUMBER)
        return 0;
    s = cjm__item_value(item, attr);
    if (!s)
        return 0;
    *out = s->n;
    return 1;
}

int cjm__item_int(const cjm_item *item, cjm_attr attr, int *out)
{
    const cjm__value *s;
    if (!item || (int)attr < 0 || attr >= CJM_ATTR_COUNT || cjm__attrs[attr].type != CJM_TYPE_INT)
        return 0;
    s = cjm__item_value(item, attr);
    if (!s)
        return 0;
    *out = s->i;
    return 1;
}

int cjm_item_set_number(cjm_item *item, cjm_attr attr, double value)
{
    cjm__value *s;
    int rc = check(item, attr, CJM_TYPE_NUMBER, __func__);
    if (rc < 0)
        return rc;
    if (!isfinite(value))
        return cjm__error(CJM_EINVAL, "%s of %s must be a finite number", cjm__attrs[attr].name,
                          item->id);
    s = get_slot(item, attr);
    if (!s)
        return CJM_ENOMEM;
    s->n = value;
    return 0;
}

int cjm_item_int(const cjm_item *item, cjm_attr attr, int *out)
{
    const cjm__value *s;
    int rc = check(item, attr, CJM_TYPE_INT, __func__);
    if (rc < 0)
        return rc;
    s = cjm__item_value(item, attr);
    if (!s)
        return cjm__error(CJM_ENOTFOUND, "%s has no %s", item->id, cjm__attrs[attr].name);
    if (out)
        *out = s->i;
    return 0;
}

int cjm_item_set_int(cjm_item *item, cjm_attr attr, int value)
{
    cjm__value *s;
    int rc = check(item, attr, CJM_TYPE_INT, __func__);
    if (rc < 0)
        return rc;
    if (value < 0 || value >= cjm_enum_count(attr))
        return cjm__error(CJM_EINVAL, "%d is not a value of %s", value, cjm__attrs[attr].name);
    s = get_slot(item, attr);
    if (!s)
        return CJM_ENOMEM;
    s->i = value;
    return 0;
}

static const cjm__list *list_of(const cjm_item *item, cjm_attr attr)
{
    const cjm__value *s;
    if (!item || !cjm_kind_has_attr(item->kind, attr) || cjm__attrs[attr].type != CJM_TYPE_LIST)
        return NULL;
    s = cjm__item_value(item, attr);
    return s ? s->list : NULL;
}

size_t cjm_item_list_count(const cjm_item *item, cjm_attr attr)
{
    const cjm__list *l = list_of(item, attr);
    return l ? l->len : 0;
}

const char *cjm_item_list_at(const cjm_item *item, cjm_attr attr, size_t index)
{
    const cjm__list *l = list_of(item, attr);
    return (l && index < l->len) ? l->items[index] : NULL;
}

/* Whether list `l` holds the id of `len` bytes at `id`. */
static int list_holds(const cjm__list *l, const char *id, size_t len)
{
    for (size_t i = 0; l && i < l->len; i++)
        if (strncmp(l->items[i], id, len) == 0 && l->items[i][len] == '\0')
            return 1;
    return 0;
}

int cjm_item_list_contains(const cjm_item *item, cjm_attr attr, const char *id)
{
    return id && list_holds(list_of(item, attr), id, strlen(id));
}

/* Adds a valid id of `len` bytes to list `attr` of the item, unless it holds it. */
static int list_append(cjm_item *item, cjm_attr attr, const char *id, size_t len)
{
    cjm__value *s;
    char *copy;
    if (list_holds(list_of(item, attr), id, len))
        return 0;
    s = get_slot(item, attr);
    if (!s)
        return CJM_ENOMEM;
    if (!s->list || s->list->len == s->list->cap) {
        uint32_t cap = s->list ? s->list->cap * 2 : 1;
        cjm__list *l = cjm__pool_resize(POOL(item), s->list,
                                        s->list ? CJM__LIST_SIZE(s->list->cap) : 0,
                                        CJM__LIST_SIZE(cap));
        if (!l) {
            if (!s->list)
                drop_slot(item, attr);
            return CJM_ENOMEM;
        }
        if (!s->list)
            l->len = 0;
        l->cap = cap;
        s->list = l;
    }
    copy = copy_str(item, attr, id, len);
    if (!copy) {
        if (s->list->len == 0)
            drop_slot(item, attr);
        return CJM_ENOMEM;
    }
    s->list->items[s->list->len++] = copy;
    return 0;
}

int cjm_item_list_add(cjm_item *item, cjm_attr attr, const char *id)
{
    int rc = check(item, attr, CJM_TYPE_LIST, __func__);
    if (rc < 0)
        return rc;
    if (!cjm__id_ok(id))
        return cjm__error(CJM_EINVAL, "%s of %s: '%s' is not a valid id", cjm__attrs[attr].name,
                          item->id, id ? id : "(null)");
    return list_append(item, attr, id, strlen(id));
}

int cjm__item_list_put(cjm_item *item, cjm_attr attr, const char *id, size_t len)
{
    /* the first id of a new list, the one the attribute was last given: a
     * valid id, and a shared copy already (lists of the same situations
     * follow one another) */
    char *copy;
    if (!cjm__item_value(item, attr) &&
        (copy = cjm__attr_shared(attr) ? cjm__strs_recent(item->map, attr, id, len) : NULL)) {
        cjm__list *l = cjm__pool_alloc(POOL(item), CJM__LIST_SIZE(1));
        cjm__value *s = l ? add_slot(item, attr) : NULL;
        if (!s) {
            cjm__pool_free(POOL(item), l, CJM__LIST_SIZE(1));
            cjm__strs_put(item->map, copy);
            return CJM_ENOMEM;
        }
        l->len = 1;
        l->cap = 1;
        l->items[0] = copy;
        s->list = l;
        return 0;
    }
    if (!cjm__id_bytes_ok(id, len))
        return cjm__error(CJM_EINVAL, "%s of %s: '%.*s' is not a valid id", cjm__attrs[attr].name,
                          item->id, (int)(len < 512 ? len : 512), id);
    return list_append(item, attr, id, len);
}

int cjm_item_list_remove(cjm_item *item, cjm_attr attr, const char *id)
{
    cjm__value *s;
    int rc = check(item, attr, CJM_TYPE_LIST, __func__);
    if (rc < 0)
        return rc;
    s = (cjm__value *)cjm__item_value(item, attr);
    for (size_t i = 0; s && id && i < s->list->len; i++) {
        if (strcmp(s->list->items[i], id) == 0) {
            cjm__list *l = s->list;
            free_str(item->map, attr, l->items[i]);
            memmove(l->items + i, l->items + i + 1, (l->len - i - 1) * sizeof *l->items);
            l->len--;
            if (l->len == 0)
                drop_slot(item, attr);
            return 0;
        }
    }
    return cjm__error(CJM_ENOTFOUND, "%s of %s does not hold '%s'", cjm__attrs[attr].name,
                      item->id, id ? id : "(null)");
}

size_t cjm_item_kpi_count(const cjm_item *item)
{
    return (item && item->kpis) ? item->kpis->len : 0;
}

const cjm_kpi *cjm_item_kpi_at(const cjm_item *item, size_t index)
{
    if (!item || !item->kpis || index >= item->kpis->len)
        return NULL;
    return &item->kpis->v[index];
}

int cjm_item_kpi_add(cjm_item *item, const cjm_kpi *kpi)
{
    cjm__pool *p;
    cjm_kpi copy;
    if (!item || item->kind != CJM_TOUCHPOINT)
        return cjm__error(CJM_EINVAL, "KPIs belong to touchpoints");
    if (!kpi || !kpi->name || !*kpi->name || !cjm__text_ok(kpi->name))
        return cjm__error(CJM_EINVAL, "a KPI of %s needs a name in UTF-8", item->id);
    if (!isfinite(kpi->value))
        return cjm__error(CJM_EINVAL, "KPI %s of %s: the value must be a finite number",
                          kpi->name, item->id);
    if (isinf(kpi->target))
        return cjm__error(CJM_EINVAL, "KPI %s of %s: the target must be finite or NaN",
                          kpi->name, item->id);
    if (kpi->date && !cjm__date_ok(kpi->date))
        return cjm__error(CJM_EINVAL,
                          "KPI %s of %s: '%s' is not an ISO 8601 date (YYYY-MM-DD[Thh:mm[:ss]])",
                          kpi->name, item->id, kpi->date);
    p = POOL(item);
    if (!item->kpis) {
        item->kpis = cjm__pool_alloc(p, sizeof *item->kpis);
        if (!item->kpis)
            return CJM_ENOMEM;
        memset(item->kpis, 0, sizeof *item->kpis);
    }
    if (item->kpis->len == item->kpis->cap) {
        size_t cap = item->kpis->cap ? item->kpis->cap * 2 : 1;
        cjm_kpi *v = cjm__pool_resize(p, item->kpis->v, item->kpis->cap * sizeof *v,
                                      cap * sizeof *v);
        if (!v)
            return CJM_ENOMEM;
        item->kpis->v = v;
        item->kpis->cap = cap;
    }
    copy.value = kpi->value;
    copy.target = kpi->target;
    copy.name = cjm__pool_strdup(p, kpi->name);
    copy.date = kpi->date ? cjm__pool_strdup(p, kpi->date) : NULL;
    if (!copy.name || (kpi->date && !copy.date)) {
        cjm__pool_free_str(p, (char *)copy.name);
        cjm__pool_free_str(p, (char *)copy.date);
        return CJM_ENOMEM;
    }
    item->kpis->v[item->kpis->len++] = copy;
    return 0;
}

int cjm_item_kpi_remove(cjm_item *item, size_t index)
{
    cjm__kpis *k;
    if (!item || !item->kpis || index >= item->kpis->len)
        return cjm__error(CJM_ENOTFOUND, "no KPI at index %zu", index);
    k = item->kpis;
    cjm__pool_free_str(POOL(item), (char *)k->v[index].name);
    cjm__pool_free_str(POOL(item), (char *)k->v[index].date);
    memmove(k->v + index, k->v + index + 1, (k->len - index - 1) * sizeof *k->v);
    k->len--;
    return 0;
}

void cjm_item_location(const cjm_item *item, int *line, int *column)
{
    if (line)
        *line = item ? item->line : 0;
    if (column)
        *column = item ? item->column : 0;
}

void cjm_item_set_location(cjm_item *item, int line, int column)
{
    if (!item)
        return;
    item->line = line > 0 ? line : 0;
    item->column = column > 0 ? column : 0;
}
