/*
 * What the rest of the library may ask of the model beyond the public API:
 * the map's allocator, and look-ups that record no error when an attribute
 * is unset (the public getters do, which costs a formatted message each
 * time on hot paths such as analyses over a million transitions).
 */
#ifndef CJM_MODEL_ACCESS_H
#define CJM_MODEL_ACCESS_H

#include "cjm/model.h"

/* The allocator every object of the map uses; never NULL. */
const cjm_allocator *cjm__map_allocator(const cjm_map *map);

/* 1 and *out set when the number attribute is set, else 0; records nothing. */
int cjm__item_number(const cjm_item *item, cjm_attr attr, double *out);
/* 1 and *out set when the int attribute is set, else 0; records nothing. */
int cjm__item_int(const cjm_item *item, cjm_attr attr, int *out);

/*
 * Makes room for `slots` attributes (at most one per attribute there is),
 * so that setting that many moves nothing: a reader that sees all of an
 * element's attributes at once sizes the item in one step.
 * Returns 0 or CJM_ENOMEM (recorded; the item unchanged).
 */
int cjm__item_reserve(cjm_item *item, size_t slots);

#endif
