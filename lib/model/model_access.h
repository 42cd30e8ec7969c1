/*
 * What the rest of the library may ask of the model beyond the public API:
 * the map's allocator, and look-ups that record no error when an attribute
 * is unset (the public getters do, which costs a formatted message each
 * time on hot paths such as analyses over a million transitions).
 */
#ifndef CJM_MODEL_ACCESS_H
#define CJM_MODEL_ACCESS_H

#include <stddef.h>

#include "cjm/model.h"

/* The allocator every object of the map uses; never NULL. */
const cjm_allocator *cjm__map_allocator(const cjm_map *map);

/* 1 and *out set when the number attribute is set, else 0; records nothing. */
int cjm__item_number(const cjm_item *item, cjm_attr attr, double *out);
/* 1 and *out set when the int attribute is set, else 0; records nothing. */
int cjm__item_int(const cjm_item *item, cjm_attr attr, int *out);

/*
 * cjm_map_add() (`journey` NULL) or cjm_journey_add() of an item whose id
 * is the `len` bytes at `id` (no NUL needed after them), with room for
 * `slots` attributes made with the item, in its own block: a reader that
 * sees all of an element's attributes at once sizes the item in one step
 * and keeps it together. The kind must belong where the item goes; the id
 * is checked as the public functions check it.
 *
 * With `defer`, an item of a journey (not of the map) is not looked for
 * nor entered in the journey's table of ids until cjm__journey_index(),
 * which enters the items made so in one go, faster than one at a time;
 * until then no look-up finds it and nothing else may change or search
 * the journey, which only a reader that holds the map alone can promise.
 *
 * Returns 0, CJM_EINVAL, CJM_EEXISTS or CJM_ENOMEM (recorded; nothing changed).
 */
int cjm__item_new(cjm_map *map, cjm_journey *journey, cjm_kind kind, const char *id, size_t len,
                  size_t slots, int defer, cjm_item **out);

/*
 * Enters the items cjm__item_new() made with `defer` in the journey's
 * table of ids. Returns 0, CJM_ENOMEM (recorded; nothing entered) or
 * CJM_EEXISTS (recorded) when an id is used twice: *again is then the
 * use of an id that comes first in the file (by the items' locations)
 * after the id's first use, *first (else both NULL), and the map is only
 * fit to be freed.
 */
int cjm__journey_index(cjm_journey *j, cjm_item **first, cjm_item **again);

/*
 * The value of enumeration attribute `attr` (one with named values) named by
 * the `len` bytes at `name`; -1 when none is, without recording an error.
 */
int cjm__enum_find(cjm_attr attr, const char *name, size_t len);

/*
 * Setters for a reader that has already checked what the public ones
 * check first (that the item's kind has `attr`, of the setter's type) and
 * that holds values as bytes and a length. A reference is checked to be a
 * valid id, as cjm_item_set_text() does, with the same message; a number
 * must be finite and an int a value of the attribute's enumeration.
 * The item must not have `attr` yet (a reader sets each attribute of a new
 * item once), so its slots are not searched.
 * Each returns 0, CJM_EINVAL or CJM_ENOMEM (recorded; the item unchanged).
 */
int cjm__item_put_ref(cjm_item *item, cjm_attr attr, const char *value, size_t len);
int cjm__item_put_number(cjm_item *item, cjm_attr attr, double value);
int cjm__item_put_int(cjm_item *item, cjm_attr attr, int value);
/* cjm_item_set_text() of the `len` bytes at `value` (text, not a reference),
 * for the same reader, on the same terms. */
int cjm__item_put_text(cjm_item *item, cjm_attr attr, const char *value, size_t len);
/* cjm_item_list_add() of the `len` bytes at `id`, for the same reader. */
int cjm__item_list_put(cjm_item *item, cjm_attr attr, const char *id, size_t len);

#endif
