/* Journey maps and journeys: containers of items, with ids and order. */
#include <stdio.h>
#include <string.h>

#include "model_access.h"
#include "model_internal.h"

void cjm__item_destroy(cjm_item *item);

/* ---- shared helpers ---------------------------------------------------- */

/* Replaces *slot with a copy of `value` (or NULL), checking it is text. */
static int set_string(cjm_map *map, char **slot, const char *value, const char *what)
{
    char *copy = NULL;
    if (value) {
        if (!cjm__text_ok(value))
            return cjm__error(CJM_EINVAL, "%s is not valid UTF-8 text", what);
        copy = cjm__strdup(CJM__MAP_ALLOC(map), value);
        if (!copy)
            return CJM_ENOMEM;
    }
    cjm__free(CJM__MAP_ALLOC(map), *slot);
    *slot = copy;
    return 0;
}

static int set_ref_string(cjm_map *map, char **slot, const char *value, const char *what)
{
    if (value && !cjm__id_ok(value))
        return cjm__error(CJM_EINVAL, "%s '%s' is not a valid id", what, value);
    return set_string(map, slot, value, what);
}

static void reindex(cjm__vec *v, size_t from)
{
    for (size_t i = from; i < v->len; i++) {
        cjm_item *it = v->items[i];
        if (it->kind == CJM__JOURNEY_TAG)
            ((cjm_journey *)v->items[i])->index = i;
        else
            it->index = (uint32_t)i;
    }
}

/* Makes up an id "<prefix>-<n>" not yet in `ids`, in `buf`. */
static void auto_id(const cjm__ids *ids, unsigned long *counter, const char *prefix,
                    char buf[96])
{
    do {
        snprintf(buf, 96, "%s-%lu", prefix, ++*counter);
    } while (cjm__ids_get(ids, buf));
}

/*
 * Creates an item with the id of `len` bytes at `id` (a valid id, or NULL
 * for one made up) and room for `slots` attributes in its own block, and
 * registers it in `ids` (or, with `defer`, unchecked, among the journey's
 * items that cjm__journey_index() enters later) and in `order`; on failure
 * nothing changes.
 */
static int new_item(cjm_map *map, cjm_journey *journey, cjm__ids *ids, cjm__vec *order,
                    unsigned long *counter, cjm_kind kind, const char *id, size_t len,
                    size_t slots, int defer, cjm_item **out)
{
    cjm__pool *p = CJM__MAP_POOL(map);
    char made[96];
    cjm_item *item;
    cjm__ids_pos pos;
    void *existing;

    if (!id) {
        auto_id(ids, counter, cjm__kind_names[kind], made);
        id = made;
        len = strlen(made);
    }
    if (slots > CJM_ATTR_COUNT)
        slots = CJM_ATTR_COUNT;
    if (defer)
        existing = NULL;
    else if (cjm__ids_find_free(p, ids, id, len, &existing, &pos) < 0)
        return CJM_ENOMEM;
    if (defer && journey->unindexed[kind] == journey->caphashes[kind]) {
        size_t cap = journey->caphashes[kind] ? journey->caphashes[kind] * 2 : 64;
        uint32_t *v = cjm__realloc(CJM__MAP_ALLOC(map), journey->hashes[kind], cap * sizeof *v);
        if (!v)
            return CJM_ENOMEM;
        journey->hashes[kind] = v;
        journey->caphashes[kind] = cap;
    }
    if (existing)
        return cjm__error(CJM_EEXISTS, "the id '%.*s' is already in use%s%s", (int)len, id,
                          journey ? " in journey " : "", journey ? journey->id : "");
    if (order->len >= UINT32_MAX)
        return cjm__oom(); /* 2^32 items of one kind: hundreds of gigabytes */
    if (cjm__vec_push(CJM__MAP_ALLOC(map), order, NULL) < 0)
        return CJM_ENOMEM;
    item = cjm__pool_alloc(p, CJM__ITEM_BLOCK(len, slots));
    if (!item) {
        order->len--;
        return CJM_ENOMEM;
    }
    memset(item, 0, sizeof *item);
    item->kind = (uint8_t)kind;
    item->map = map;
    item->journey = journey;
    memcpy(item->id, id, len);
    item->id[len] = '\0';
    if (slots) {
        item->islots = (uint8_t)slots;
        item->capslots = (uint8_t)slots;
        item->values = CJM__ITEM_INLINE(item, len);
    }
    item->index = (uint32_t)(order->len - 1);
    order->items[item->index] = item;
    if (defer)
        journey->hashes[kind][journey->unindexed[kind]++] = cjm__ids_hash(id, len);
    else
        cjm__ids_put_at(ids, &pos, item);
    if (out)
        *out = item;
    return 0;
}

/* new_item() of a NUL-terminated id from the public API: checked first. */
static int add_item(cjm_map *map, cjm_journey *journey, cjm__ids *ids, cjm__vec *order,
                    unsigned long *counter, cjm_kind kind, const char *id, cjm_item **out)
{
    if (id && !cjm__id_ok(id))
        return cjm__error(CJM_EINVAL,
                          "'%s' is not a valid id (ids are 1 to 256 bytes of UTF-8 without "
                          "spaces or control characters)",
                          id);
    return new_item(map, journey, ids, order, counter, kind, id, id ? strlen(id) : 0, 0, 0, out);
}

/* ---- the map ----------------------------------------------------------- */

const cjm_allocator *cjm__map_allocator(const cjm_map *map)
{
    return map ? CJM__MAP_ALLOC(map) : &cjm__default_allocator;
}

int cjm_map_new(cjm_map **out, const cjm_allocator *allocator)
{
    cjm_map *map;
    if (!out)
        return cjm__error(CJM_EINVAL, "cjm_map_new: out is NULL");
    *out = NULL;
    allocator = cjm__alloc_or_default(allocator);
    map = cjm__calloc(allocator, 1, sizeof *map);
    if (!map)
        return CJM_ENOMEM;
    map->alloc = *allocator;
    cjm__pool_init(&map->pool, &map->alloc);
    *out = map;
    return 0;
}

static void journey_destroy(cjm_journey *j)
{
    const cjm_allocator *a = CJM__MAP_ALLOC(j->map);
    for (int k = CJM_STAGE; k < CJM_KIND_COUNT; k++) {
        for (size_t i = 0; i < j->items[k].len; i++)
            cjm__item_destroy(j->items[k].items[i]);
        cjm__vec_free(a, &j->items[k]);
    }
    cjm__ids_free(a, &j->ids);
    for (int k = 0; k < CJM_KIND_COUNT; k++)
        cjm__free(a, j->hashes[k]);
    cjm__free(a, j->id);
    cjm__free(a, j->label);
    cjm__free(a, j->description);
    cjm__free(a, j->follows);
    cjm__free(a, j->persona);
    cjm__free(a, j);
}

void cjm_map_free(cjm_map *map)
{
    const cjm_allocator *a;
    if (!map)
        return;
    a = CJM__MAP_ALLOC(map);
    map->pool.closing = 1;
    for (size_t i = 0; i < map->journeys.len; i++)
        journey_destroy(map->journeys.items[i]);
    cjm__vec_free(a, &map->journeys);
    for (int k = 0; k < CJM_STAGE; k++) {
        for (size_t i = 0; i < map->items[k].len; i++)
            cjm__item_destroy(map->items[k].items[i]);
        cjm__vec_free(a, &map->items[k]);
    }
    cjm__ids_free(a, &map->ids);
    cjm__strs_free(map);
    cjm__free(a, map->title);
    cjm__free(a, map->description);
    cjm__free(a, map->language);
    cjm__pool_destroy(&map->pool);
    {
        cjm_allocator copy = map->alloc;
        cjm__free(&copy, map);
    }
}

#define CHECK_MAP(map, ret)                                       \
    do {                                                          \
        if (!(map))                                               \
            return cjm__error(CJM_EINVAL, "%s: map is NULL", __func__), ret; \
    } while (0)

const char *cjm_map_title(const cjm_map *map) { return map ? map->title : NULL; }
const char *cjm_map_description(const cjm_map *map) { return map ? map->description : NULL; }
const char *cjm_map_language(const cjm_map *map) { return map ? map->language : NULL; }

int cjm_map_set_title(cjm_map *map, const char *title)
{
    CHECK_MAP(map, CJM_EINVAL);
    return set_string(map, &map->title, title, "the title");
}

int cjm_map_set_description(cjm_map *map, const char *text)
{
    CHECK_MAP(map, CJM_EINVAL);
    return set_string(map, &map->description, text, "the description");
}

int cjm_map_set_language(cjm_map *map, const char *tag)
{
    CHECK_MAP(map, CJM_EINVAL);
    return set_ref_string(map, &map->language, tag, "the language tag");
}

int cjm_map_add(cjm_map *map, cjm_kind kind, const char *id, cjm_item **out)
{
    CHECK_MAP(map, CJM_EINVAL);
    if ((int)kind < 0 || kind >= CJM_STAGE)
        return cjm_kind_name(kind)
                   ? cjm__error(CJM_EINVAL,
                                "an item of kind %s belongs to a journey, not to the map",
                                cjm_kind_name(kind))
                   : cjm__error(CJM_EINVAL, "%d is not a kind", (int)kind);
    return add_item(map, NULL, &map->ids, &map->items[kind], &map->next_auto, kind, id, out);
}

cjm_item *cjm_map_find(const cjm_map *map, const char *id)
{
    cjm_item *it;
    if (!map || !id)
        return NULL;
    it = cjm__ids_get(&map->ids, id);
    return (it && it->kind != CJM__JOURNEY_TAG) ? it : NULL;
}

size_t cjm_map_count(const cjm_map *map, cjm_kind kind)
{
    if (!map || (int)kind < 0 || kind >= CJM_STAGE)
        return 0;
    return map->items[kind].len;
}

cjm_item *cjm_map_at(const cjm_map *map, cjm_kind kind, size_t index)
{
    if (!map || (int)kind < 0 || kind >= CJM_STAGE || index >= map->items[kind].len)
        return NULL;
    return map->items[kind].items[index];
}

int cjm_map_remove(cjm_map *map, cjm_item *item)
{
    CHECK_MAP(map, CJM_EINVAL);
    if (!item || item->map != map || item->journey)
        return cjm__error(CJM_EINVAL, "the item is not a definition of this map");
    cjm__ids_del(&map->ids, item->id);
    cjm__vec_remove(&map->items[item->kind], item->index);
    reindex(&map->items[item->kind], item->index);
    cjm__item_destroy(item);
    return 0;
}

int cjm_map_add_journey(cjm_map *map, const char *id, cjm_journey **out)
{
    const cjm_allocator *a;
    cjm_journey *j;
    cjm__ids_pos pos;
    void *existing;
    char made[96];
    CHECK_MAP(map, CJM_EINVAL);
    a = CJM__MAP_ALLOC(map);
    if (id && !cjm__id_ok(id))
        return cjm__error(CJM_EINVAL, "'%s' is not a valid journey id", id);
    if (!id) {
        auto_id(&map->ids, &map->next_auto, "journey", made);
        id = made;
    }
    if (cjm__ids_find_free(CJM__MAP_POOL(map), &map->ids, id, strlen(id), &existing, &pos) < 0)
        return CJM_ENOMEM;
    if (existing)
        return cjm__error(CJM_EEXISTS, "the id '%s' is already in use", id);
    j = cjm__calloc(a, 1, sizeof *j);
    if (!j)
        return CJM_ENOMEM;
    j->kind = CJM__JOURNEY_TAG;
    j->map = map;
    j->status = CJM_STATUS_PLANNED;
    j->id = cjm__strdup(a, id);
    if (!j->id)
        goto oom;
    if (cjm__vec_push(a, &map->journeys, j) < 0)
        goto oom;
    cjm__ids_put_at(&map->ids, &pos, j);
    j->index = map->journeys.len - 1;
    if (out)
        *out = j;
    return 0;
oom:
    cjm__free(a, j->id);
    cjm__free(a, j);
    return CJM_ENOMEM;
}

cjm_journey *cjm_map_journey(const cjm_map *map, const char *id)
{
    cjm_journey *j;
    if (!map || !id)
        return NULL;
    j = cjm__ids_get(&map->ids, id);
    return (j && j->kind == CJM__JOURNEY_TAG) ? j : NULL;
}

size_t cjm_map_journey_count(const cjm_map *map)
{
    return map ? map->journeys.len : 0;
}

cjm_journey *cjm_map_journey_at(const cjm_map *map, size_t index)
{
    if (!map || index >= map->journeys.len)
        return NULL;
    return map->journeys.items[index];
}

int cjm_map_remove_journey(cjm_map *map, cjm_journey *journey)
{
    CHECK_MAP(map, CJM_EINVAL);
    if (!journey || journey->map != map)
        return cjm__error(CJM_EINVAL, "the journey is not part of this map");
    cjm__ids_del(&map->ids, journey->id);
    cjm__vec_remove(&map->journeys, journey->index);
    reindex(&map->journeys, journey->index);
    journey_destroy(journey);
    return 0;
}

/* ---- journeys ---------------------------------------------------------- */

#define CHECK_J(j, ret)                                                      \
    do {                                                                     \
        if (!(j))                                                            \
            return cjm__error(CJM_EINVAL, "%s: journey is NULL", __func__), ret; \
    } while (0)

cjm_map *cjm_journey_map(const cjm_journey *j) { return j ? j->map : NULL; }
const char *cjm_journey_id(const cjm_journey *j) { return j ? j->id : ""; }
const char *cjm_journey_label(const cjm_journey *j) { return j ? j->label : NULL; }
const char *cjm_journey_description(const cjm_journey *j) { return j ? j->description : NULL; }
const char *cjm_journey_follows(const cjm_journey *j) { return j ? j->follows : NULL; }
const char *cjm_journey_persona(const cjm_journey *j) { return j ? j->persona : NULL; }
cjm_status cjm_journey_status(const cjm_journey *j)
{
    return j ? j->status : CJM_STATUS_PLANNED;
}

int cjm_journey_set_label(cjm_journey *j, const char *label)
{
    CHECK_J(j, CJM_EINVAL);
    return set_string(j->map, &j->label, label, "the label");
}

int cjm_journey_set_description(cjm_journey *j, const char *text)
{
    CHECK_J(j, CJM_EINVAL);
    return set_string(j->map, &j->description, text, "the description");
}

int cjm_journey_set_follows(cjm_journey *j, const char *planned_id)
{
    CHECK_J(j, CJM_EINVAL);
    return set_ref_string(j->map, &j->follows, planned_id, "the planned journey");
}

int cjm_journey_set_persona(cjm_journey *j, const char *persona_id)
{
    CHECK_J(j, CJM_EINVAL);
    return set_ref_string(j->map, &j->persona, persona_id, "the persona");
}

int cjm_journey_set_status(cjm_journey *j, cjm_status status)
{
    CHECK_J(j, CJM_EINVAL);
    if (status != CJM_STATUS_PLANNED && status != CJM_STATUS_ACTUAL)
        return cjm__error(CJM_EINVAL, "%d is not a journey status", (int)status);
    j->status = status;
    return 0;
}

int cjm_journey_add(cjm_journey *j, cjm_kind kind, const char *id, cjm_item **out)
{
    CHECK_J(j, CJM_EINVAL);
    if (!cjm_kind_in_journey(kind))
        return cjm_kind_name(kind)
                   ? cjm__error(CJM_EINVAL,
                                "an item of kind %s belongs to the map, not to a journey",
                                cjm_kind_name(kind))
                   : cjm__error(CJM_EINVAL, "%d is not a kind", (int)kind);
    return add_item(j->map, j, &j->ids, &j->items[kind], &j->next_auto, kind, id, out);
}

int cjm__item_new(cjm_map *map, cjm_journey *journey, cjm_kind kind, const char *id, size_t len,
                  size_t slots, int defer, cjm_item **out)
{
    if (journey ? !cjm_kind_in_journey(kind) : ((int)kind < 0 || kind >= CJM_STAGE))
        return cjm__error(CJM_EINVAL, "an item of kind %d does not belong %s", (int)kind,
                          journey ? "to a journey" : "to the map");
    if (!cjm__id_bytes_ok(id, len))
        return cjm__error(CJM_EINVAL,
                          "'%.*s' is not a valid id (ids are 1 to 256 bytes of UTF-8 without "
                          "spaces or control characters)",
                          (int)(len < 512 ? len : 512), id);
    if (journey)
        return new_item(map, journey, &journey->ids, &journey->items[kind], &journey->next_auto,
                        kind, id, len, slots, defer != 0, out);
    return new_item(map, NULL, &map->ids, &map->items[kind], &map->next_auto, kind, id, len,
                    slots, 0, out);
}

/* Whether item `a` comes before item `b` in the file they were read from. */
static int read_before(const void *a, const void *b)
{
    const cjm_item *x = a, *y = b;
    return x->line < y->line || (x->line == y->line && x->column < y->column);
}

int cjm__journey_index(cjm_journey *j, cjm_item **first, cjm_item **again)
{
    void *f = NULL, *g = NULL;
    size_t more = 0;
    int rc = 0;
    *first = *again = NULL;
    for (int k = 0; k < CJM_KIND_COUNT; k++)
        more += j->unindexed[k];
    if (!more)
        return 0;
    if (cjm__ids_reserve(CJM__MAP_POOL(j->map), &j->ids, more) < 0)
        return CJM_ENOMEM;
    for (int k = 0; k < CJM_KIND_COUNT; k++) {
        const cjm__vec *v = &j->items[k];
        if (j->unindexed[k] &&
            cjm__ids_add_all(&j->ids, v->items + v->len - j->unindexed[k], j->hashes[k],
                             j->unindexed[k], read_before, &f, &g) == CJM_EEXISTS)
            rc = CJM_EEXISTS;
        j->unindexed[k] = 0;
        cjm__free(CJM__MAP_ALLOC(j->map), j->hashes[k]);
        j->hashes[k] = NULL;
        j->caphashes[k] = 0;
    }
    *first = f;
    *again = g;
    if (rc == CJM_EEXISTS)
        return cjm__error(CJM_EEXISTS, "the id '%s' is already in use in journey %s",
                          ((cjm_item *)g)->id, j->id);
    return rc;
}

cjm_item *cjm_journey_find(const cjm_journey *j, const char *id)
{
    if (!j || !id)
        return NULL;
    return cjm__ids_get(&j->ids, id);
}

size_t cjm_journey_count(const cjm_journey *j, cjm_kind kind)
{
    if (!j || !cjm_kind_in_journey(kind))
        return 0;
    return j->items[kind].len;
}

cjm_item *cjm_journey_at(const cjm_journey *j, cjm_kind kind, size_t index)
{
    if (!j || !cjm_kind_in_journey(kind) || index >= j->items[kind].len)
        return NULL;
    return j->items[kind].items[index];
}

int cjm_journey_move(cjm_journey *j, cjm_item *item, size_t index)
{
    cjm__vec *v;
    size_t from;
    CHECK_J(j, CJM_EINVAL);
    if (!item || item->journey != j)
        return cjm__error(CJM_EINVAL, "the item is not part of journey %s", j->id);
    v = &j->items[item->kind];
    from = item->index;
    if (index >= v->len)
        index = v->len - 1;
    cjm__vec_remove(v, from);
    /* cannot fail: the vector had room for this element a moment ago */
    v->items[v->len] = NULL;
    memmove(v->items + index + 1, v->items + index, (v->len - index) * sizeof *v->items);
    v->items[index] = item;
    v->len++;
    reindex(v, from < index ? from : index);
    return 0;
}

/* Removes one item from its journey's table and order, then frees it. */
static void unlink_item(cjm_journey *j, cjm_item *item)
{
    cjm__vec *v = &j->items[item->kind];
    size_t at = item->index;
    cjm__ids_del(&j->ids, item->id);
    cjm__vec_remove(v, at);
    reindex(v, at);
    cjm__item_destroy(item);
}

static int text_is(const cjm_item *item, cjm_attr attr, const char *id)
{
    const char *t = cjm_item_text(item, attr);
    return t && strcmp(t, id) == 0;
}

/* Drops an annotation, and its id from every opportunity's links. */
static void remove_annotation(cjm_journey *j, cjm_item *ann)
{
    cjm__vec *ops = &j->items[CJM_OPPORTUNITY];
    for (size_t i = 0; i < ops->len; i++) {
        cjm_item *op = ops->items[i];
        if (cjm_item_list_contains(op, CJM_ATTR_LINKS, ann->id)) {
            cjm__saved_error e;
            cjm__error_save(&e);
            cjm_item_list_remove(op, CJM_ATTR_LINKS, ann->id);
            cjm__error_restore(&e);
        }
    }
    unlink_item(j, ann);
}

/* Removes the pain points and gaps whose target is `id`. */
static void remove_annotations_on(cjm_journey *j, const char *id)
{
    static const cjm_kind kinds[] = {CJM_PAINPOINT, CJM_GAP};
    for (size_t k = 0; k < 2; k++) {
        cjm__vec *v = &j->items[kinds[k]];
        for (size_t i = v->len; i-- > 0;) {
            cjm_item *ann = v->items[i];
            if (text_is(ann, CJM_ATTR_TARGET, id))
                remove_annotation(j, ann);
        }
    }
}

int cjm_journey_remove(cjm_journey *j, cjm_item *item)
{
    CHECK_J(j, CJM_EINVAL);
    if (!item || item->journey != j)
        return cjm__error(CJM_EINVAL, "the item is not part of journey %s", j->id);
    switch (item->kind) {
    case CJM_TOUCHPOINT: {
        cjm__vec *tr = &j->items[CJM_TRANSITION];
        for (size_t i = tr->len; i-- > 0;) {
            cjm_item *t = tr->items[i];
            if (text_is(t, CJM_ATTR_FROM, item->id) || text_is(t, CJM_ATTR_TO, item->id)) {
                remove_annotations_on(j, t->id);
                unlink_item(j, t);
            }
        }
        remove_annotations_on(j, item->id);
        unlink_item(j, item);
        break;
    }
    case CJM_TRANSITION:
        remove_annotations_on(j, item->id);
        unlink_item(j, item);
        break;
    case CJM_PAINPOINT:
    case CJM_GAP:
        remove_annotation(j, item);
        break;
    default:
        unlink_item(j, item);
        break;
    }
    return 0;
}
