/* The model's internal structures, shared by the model's own files only. */
#ifndef CJM_MODEL_INTERNAL_H
#define CJM_MODEL_INTERNAL_H

#include <stdint.h>

#include "../core/core.h"
#include "cjm/model.h"

/* What the model knows of each attribute. */
typedef struct cjm__attr_info {
    const char *name;
    cjm_type type;
    uint32_t kinds;             /* bit (1 << kind) for each kind that has it */
    const char *const *values;  /* names of enum values, NULL-terminated; NULL otherwise */
    double min, max;            /* valid range of numbers (validation) */
} cjm__attr_info;

extern const cjm__attr_info cjm__attrs[CJM_ATTR_COUNT];
extern const char *const cjm__kind_names[CJM_KIND_COUNT];

/* One set attribute of an item. */
typedef struct cjm__slot {
    uint8_t attr;
    union {
        char *s;        /* TEXT, REF */
        double n;       /* NUMBER */
        int i;          /* INT */
        cjm__vec *list; /* LIST: vector of owned char * */
    } v;
} cjm__slot;

typedef struct cjm__kpis {
    cjm_kpi *v;
    size_t len, cap;
} cjm__kpis;

/* The first member of both cjm_item and cjm_journey, so that one id table can hold both. */
#define CJM__JOURNEY_TAG CJM_KIND_COUNT

struct cjm_item {
    cjm_kind kind;
    uint8_t nslots, capslots;
    int line, column;
    size_t index;
    char *id;
    cjm_map *map;
    cjm_journey *journey; /* NULL for definitions */
    cjm__slot *slots;
    cjm__kpis *kpis;      /* touchpoints only; NULL when none */
};

struct cjm_journey {
    cjm_kind kind; /* CJM__JOURNEY_TAG */
    cjm_map *map;
    size_t index;
    char *id, *label, *description, *follows, *persona;
    cjm_status status;
    cjm__hmap ids;
    cjm__vec items[CJM_KIND_COUNT]; /* only journey kinds are used */
    unsigned long next_auto;
};

struct cjm_map {
    cjm_allocator alloc;
    char *title, *description, *language;
    cjm__hmap ids;
    cjm__vec items[CJM_KIND_COUNT]; /* only map kinds are used */
    cjm__vec journeys;
    unsigned long next_auto;
};

#define CJM__MAP_ALLOC(m) (&(m)->alloc)

/* Looks a slot up; NULL when the attribute is unset. */
const cjm__slot *cjm__item_slot(const cjm_item *item, cjm_attr attr);

#endif
