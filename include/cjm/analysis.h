/**
 * @file cjm/analysis.h
 * @brief Analyses of journeys: reach, priority ranking, emotion curve,
 *        channel and structure checks, planned against actual, situation views.
 *
 * Every analysis reads a journey and returns a result object that the
 * caller owns and frees with its own `_free()` function (NULL is fine).
 * Results are lists read with `_count()` and `_at()`; strings and item
 * pointers inside them are borrowed from the analysed journeys, so a result
 * must not outlive them, and the journeys must not change while a result
 * that refers to them is in use.
 *
 * Allocation: everything goes through the allocator in the options when it
 * is set, otherwise through the allocator of the journey's map.
 *
 * The definitions (formulas, units, edge cases) are written out in the
 * manual page "Analyses" (doc/analyses.md).
 */
#ifndef CJM_ANALYSIS_H
#define CJM_ANALYSIS_H

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- conformance of single cases ------------------------------------- */

/** The version of #cjm_conformance_options this header describes. */
#define CJM_CONFORMANCE_OPTIONS_VERSION 1

/** Options of cjm_conformance_new(). */
typedef struct cjm_conformance_options {
    unsigned version;                /**< #CJM_CONFORMANCE_OPTIONS_VERSION */
    const cjm_allocator *allocator;  /**< NULL: the planned journey's map's allocator */
} cjm_conformance_options;

/** Default conformance options. */
#define CJM_CONFORMANCE_OPTIONS_INIT {CJM_CONFORMANCE_OPTIONS_VERSION, NULL}

/**
 * A checker that labels the deviations of cases (sequences of touchpoint
 * ids in the order they happened) against one planned journey. It keeps
 * precomputed paths and scratch space, so checking a case costs time in
 * proportion to the case's length and the paths it skips, not to the size
 * of the journey: build one checker and run it over every case.
 */
typedef struct cjm_conformance cjm_conformance;

/** One deviation of a case from the planned journey. */
typedef struct cjm_case_deviation {
    cjm_deviation kind;     /**< missing, failing, ad hoc or irregular */
    const char *touchpoint; /**< the planned touchpoint's id; for ad hoc, the case's id
                                 (borrowed from the ids given to cjm_conformance_check()) */
    size_t index;           /**< the planned touchpoint's index (cjm_item_index()); SIZE_MAX for ad hoc */
    size_t position;        /**< the event's position in the case; for missing, the
                                 position of the event it was expected before (the
                                 case's length when expected at the end) */
} cjm_case_deviation;

/**
 * Makes a checker for a planned journey.
 *
 * How a case is labelled (see doc/analyses.md for the full rules):
 * - **ad hoc**: every event whose id is not a touchpoint of the planned journey;
 * - **failing**: an event that repeats a planned touchpoint already seen in
 *   the case, reached by a move that is not a planned transition (a repeat
 *   contact: the earlier contact did not settle the matter);
 * - **irregular**: an event reached from the previous planned event by a move
 *   that is not a planned transition, when it cannot be reached from there
 *   in the planned journey at all (out of the planned order);
 * - **missing**: a planned touchpoint on the shortest planned path that the
 *   case skipped (from an entry to the first event, between consecutive
 *   events, from the last event to the nearest exit), unless it happens
 *   elsewhere in the case.
 *
 * @param out receives the checker; the caller frees it with cjm_conformance_free().
 * @param planned the planned journey; borrowed: it must outlive the
 *        checker and stay unchanged while the checker is used.
 * @param opts NULL for defaults.
 * @return 0, #CJM_EINVAL (NULL arguments, an unknown options version),
 *         #CJM_ELIMIT (more than 2^32 - 1 touchpoints), #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_conformance_new(cjm_conformance **out, const cjm_journey *planned,
                                   const cjm_conformance_options *opts);

/** Frees a checker. NULL does nothing. */
CJM_EXTERN void cjm_conformance_free(cjm_conformance *checker);

/**
 * Checks one case, replacing the results of the previous case.
 * @param ids `n` touchpoint ids in the order they happened; borrowed: the
 *        ad hoc deviations point into them until the next check.
 * @return 0 (whatever was found), #CJM_EINVAL (NULL checker, NULL `ids`
 *         with `n > 0`, a NULL id), #CJM_ENOMEM (the previous results are
 *         then lost, the checker stays usable).
 */
CJM_EXTERN int cjm_conformance_check(cjm_conformance *checker, const char *const *ids, size_t n);

/** The number of deviations of the last case checked. */
CJM_EXTERN size_t cjm_conformance_count(const cjm_conformance *checker);

/**
 * The `index`-th deviation of the last case, ordered by position (a missing
 * touchpoint comes before the event it was expected before); borrowed until
 * the next check; NULL past the end.
 */
CJM_EXTERN const cjm_case_deviation *cjm_conformance_at(const cjm_conformance *checker,
                                                        size_t index);

/** How many deviations of `kind` the last case had; 0 for an unknown kind. */
CJM_EXTERN size_t cjm_conformance_total(const cjm_conformance *checker, cjm_deviation kind);

/**
 * How many deviations of `kind` the last case had at the planned touchpoint
 * with index `touchpoint` (cjm_item_index()); 0 past the end and for ad hoc.
 */
CJM_EXTERN size_t cjm_conformance_touchpoint_total(const cjm_conformance *checker,
                                                   size_t touchpoint, cjm_deviation kind);

#ifdef __cplusplus
}
#endif

#endif
