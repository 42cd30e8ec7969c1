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

/* ---- reach -------------------------------------------------------------- */

/** The version of #cjm_reach_options this header describes. */
#define CJM_REACH_OPTIONS_VERSION 1

/** Options of cjm_reach_compute(). */
typedef struct cjm_reach_options {
    unsigned version;               /**< #CJM_REACH_OPTIONS_VERSION */
    const cjm_allocator *allocator; /**< NULL: the journey's map's allocator */
    size_t exact_limit;             /**< loops (strongly connected parts) of up to this many
                                         touchpoints are solved exactly by Gaussian
                                         elimination (time k^3, memory 8 k^2 bytes for k
                                         touchpoints); larger ones iteratively; default 256 */
    double tolerance;               /**< the iterative solver stops when no reach changes by
                                         more than `tolerance * (1 + reach)` in a sweep;
                                         default 1e-12 */
    unsigned max_iterations;        /**< sweeps per loop before giving up with
                                         #CJM_ELIMIT; default 10000 */
} cjm_reach_options;

/** Default reach options. */
#define CJM_REACH_OPTIONS_INIT {CJM_REACH_OPTIONS_VERSION, NULL, 256, 1e-12, 10000u}

/** The expected traffic of a journey: visits per touchpoint, crossings per transition. */
typedef struct cjm_reach cjm_reach;

/**
 * Computes the expected number of visits to every touchpoint and crossings
 * of every transition, from the entry volumes (#CJM_ATTR_ENTRY) and the
 * transitions' probabilities or volumes, as an absorbing Markov chain:
 * `reach = entry + P^T reach`. Loops count: a customer who comes back is
 * counted at each visit, so a loop with return probability p multiplies
 * the reach of its touchpoints by 1 / (1 - p).
 *
 * A transition's probability is #CJM_ATTR_PROBABILITY when set; otherwise
 * its volume divided by the throughput of its source, the larger of the
 * volume that leaves the source and the volume that reaches it (entry plus
 * incoming volumes); otherwise 0 (counted by cjm_reach_unquantified()).
 * When the probabilities leaving a touchpoint add up to more than 1 they
 * are scaled down to add up to 1 (counted by cjm_reach_normalised()).
 * Transitions whose ends are not touchpoints of the journey are left out.
 *
 * @param out receives the result; the caller frees it with cjm_reach_free().
 * @param opts NULL for defaults.
 * @return 0; #CJM_ENOTFOUND when no touchpoint has an entry volume (the
 *         journey has no volumes, so there is nothing to compute);
 *         #CJM_EINVALID when customers who reach a loop can never leave it
 *         (the reach would be infinite); #CJM_ELIMIT when the iterative
 *         solver does not converge within `max_iterations`; #CJM_EINVAL;
 *         #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_reach_compute(cjm_reach **out, const cjm_journey *journey,
                                 const cjm_reach_options *opts);

/** Frees a reach result. NULL does nothing. */
CJM_EXTERN void cjm_reach_free(cjm_reach *reach);

/** The journey the result describes; borrowed. */
CJM_EXTERN const cjm_journey *cjm_reach_journey(const cjm_reach *reach);

/** Expected visits to the `index`-th touchpoint (cjm_item_index()); NaN past the end. */
CJM_EXTERN double cjm_reach_touchpoint(const cjm_reach *reach, size_t index);

/**
 * Expected crossings of the `index`-th transition (cjm_item_index()); NaN
 * past the end and for a transition whose ends are not touchpoints.
 */
CJM_EXTERN double cjm_reach_transition(const cjm_reach *reach, size_t index);

/** The probability used for the `index`-th transition; NaN as for cjm_reach_transition(). */
CJM_EXTERN double cjm_reach_probability(const cjm_reach *reach, size_t index);

/**
 * Expected customers whose journey ends at the `index`-th touchpoint:
 * its reach times the probability of not taking any transition.
 */
CJM_EXTERN double cjm_reach_ended(const cjm_reach *reach, size_t index);

/** The reach of the touchpoint or transition with this id; NaN when there is none. */
CJM_EXTERN double cjm_reach_of(const cjm_reach *reach, const char *id);

/** The sum of the entry volumes: customers who start the journey. */
CJM_EXTERN double cjm_reach_entered(const cjm_reach *reach);

/** How many transitions had neither probability nor volume (and so counted as 0). */
CJM_EXTERN size_t cjm_reach_unquantified(const cjm_reach *reach);

/** How many touchpoints had outgoing probabilities above 1 in sum, scaled down. */
CJM_EXTERN size_t cjm_reach_normalised(const cjm_reach *reach);

/**
 * How many sweeps the iterative solver made in its slowest loop; 0 when
 * every loop was solved exactly.
 */
CJM_EXTERN unsigned cjm_reach_iterations(const cjm_reach *reach);

/* ---- channel and structure checks ---------------------------------------- */

/** What a finding of cjm_checks_run() is about. */
typedef enum cjm_check_kind {
    CJM_CHECK_UNREACHABLE = 0, /**< structure: a touchpoint no path from an entry reaches */
    CJM_CHECK_DEAD_END,        /**< structure: a touchpoint with no way on that is not an exit */
    CJM_CHECK_BACKWARD,        /**< structure: a transition to an earlier stage */
    CJM_CHECK_CYCLE,           /**< structure: a loop of touchpoints (repeat contacts) */
    CJM_CHECK_SELF_SERVICE,    /**< channel: a simple, frequent matter the customer brings
                                    to a human or assisted channel */
    CJM_CHECK_NO_HUMAN,        /**< channel: a complex matter with no human channel */
    CJM_CHECK_CHANNEL_SWITCH,  /**< channel: the customer moves on to a touchpoint on
                                    another channel that the company does not start */
    CJM_CHECK_NO_VALUE,        /**< channel: a contact without value to the customer */
    CJM_CHECK_OVER_CAPACITY,   /**< channel: more customers than the capacity */
    CJM_CHECK_KIND_COUNT       /**< the number of kinds */
} cjm_check_kind;

/** A stable name for a check kind ("dead-end"); NULL when out of range. */
CJM_EXTERN const char *cjm_check_kind_name(cjm_check_kind kind);

/** One finding. Strings are borrowed from the journey or the result. */
typedef struct cjm_finding {
    cjm_check_kind kind;        /**< what was found */
    const char *item;           /**< the touchpoint's id, or the transition's for
                                     backward moves and channel switches; for a cycle,
                                     its first touchpoint in journey order */
    double volume;              /**< reach of the item; for a cycle, its returns (see
                                     doc/analyses.md); NaN when the journey has no volumes */
    double limit;               /**< capacity for over-capacity, the frequency (or reach)
                                     for self-service; NaN otherwise */
    size_t member_count;        /**< cycles: how many touchpoints form the loop; else 0 */
    const char *const *members; /**< cycles: their ids in journey order; else NULL */
    const char *message;        /**< one English sentence for people */
} cjm_finding;

/** The version of #cjm_checks_options this header describes. */
#define CJM_CHECKS_OPTIONS_VERSION 1

/** Options of cjm_checks_run(). */
typedef struct cjm_checks_options {
    unsigned version;               /**< #CJM_CHECKS_OPTIONS_VERSION */
    const cjm_allocator *allocator; /**< NULL: the journey's map's allocator */
    double frequent;                /**< a matter is frequent from this frequency per
                                         period (or, without a frequency, this reach) on;
                                         default 100 */
    const cjm_reach *reach;         /**< reach of the journey to use (borrowed); NULL to
                                         compute it with default options */
} cjm_checks_options;

/** Default check options. */
#define CJM_CHECKS_OPTIONS_INIT {CJM_CHECKS_OPTIONS_VERSION, NULL, 100.0, NULL}

/** The findings of the channel and structure checks of one journey. */
typedef struct cjm_checks cjm_checks;

/**
 * Runs the structure and channel checks of a journey. When the reach cannot
 * be computed (no volumes, an endless loop) the checks that need it are
 * skipped and cjm_checks_reach_status() says why.
 * @param out receives the result; the caller frees it with cjm_checks_free().
 * @return 0, #CJM_EINVAL (NULL arguments, an unknown version, a reach of
 *         another journey), #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_checks_run(cjm_checks **out, const cjm_journey *journey,
                              const cjm_checks_options *opts);
/** Frees a check result. NULL does nothing. */
CJM_EXTERN void cjm_checks_free(cjm_checks *checks);
/** The number of findings. */
CJM_EXTERN size_t cjm_checks_count(const cjm_checks *checks);
/** The `index`-th finding, ordered by kind and then journey order; borrowed; NULL past the end. */
CJM_EXTERN const cjm_finding *cjm_checks_at(const cjm_checks *checks, size_t index);
/** The number of findings of one kind. */
CJM_EXTERN size_t cjm_checks_total(const cjm_checks *checks, cjm_check_kind kind);
/** 0 when reach was available to the checks, else the code cjm_reach_compute() gave. */
CJM_EXTERN int cjm_checks_reach_status(const cjm_checks *checks);
/**
 * Contact-free coverage: the share (0..1) of the touchpoints with a known
 * channel whose channel is contact-free, and the same share weighted by
 * reach. Either pointer may be NULL; a share with nothing to divide by is NaN.
 */
CJM_EXTERN void cjm_checks_contact_free(const cjm_checks *checks, double *touchpoints,
                                        double *reach);

/* ---- priority ranking ------------------------------------------------------ */

/** Where a ranked item's reach came from. */
typedef enum cjm_reach_source {
    CJM_REACH_UNKNOWN = 0, /**< no volumes: the score counts 1 customer */
    CJM_REACH_AFFECTED,    /**< the pain point's own count of affected customers */
    CJM_REACH_TARGET       /**< the computed reach of its touchpoint or transition */
} cjm_reach_source;

/** The version of #cjm_rank_options this header describes. */
#define CJM_RANK_OPTIONS_VERSION 1

/** Weights of the priority score; see cjm_rank_compute(). */
typedef struct cjm_rank_options {
    unsigned version;               /**< #CJM_RANK_OPTIONS_VERSION */
    const cjm_allocator *allocator; /**< NULL: the journey's map's allocator */
    double moment_of_truth;         /**< factor for an item at a moment of truth; default 2 */
    double need[4];                 /**< weight per #cjm_need, the factor being 1 + weight;
                                         default safety 1, security 0.75, certainty 0.5,
                                         trust 0.5 */
    double default_severity;        /**< severity of an item that has none; default 1 */
    const cjm_reach *reach;         /**< reach to use (borrowed); NULL to compute it */
} cjm_rank_options;

/** Default ranking weights. */
#define CJM_RANK_OPTIONS_INIT \
    {CJM_RANK_OPTIONS_VERSION, NULL, 2.0, {1.0, 0.75, 0.5, 0.5}, 1.0, NULL}

/** One ranked gap or pain point, with the parts of its score. */
typedef struct cjm_ranked {
    const cjm_item *item;         /**< the pain point or gap; borrowed */
    const char *id;               /**< its id; borrowed */
    const char *target;           /**< the id of its touchpoint or transition, or NULL */
    double severity;              /**< the severity used (1..5 as given) */
    double reach;                 /**< customers hit: the reach used, 1 when unknown */
    cjm_reach_source reach_source;/**< where `reach` came from */
    int moment_of_truth;          /**< 1 when it sits at a moment of truth */
    double moment_factor;         /**< the factor applied for it (1 when not) */
    int need;                     /**< the #cjm_need at stake, or -1 for none */
    double need_factor;           /**< 1 + the need's weight (1 for none) */
    double score;                 /**< severity * reach * moment_factor * need_factor */
} cjm_ranked;

/** A ranking of a journey's gaps and pain points. */
typedef struct cjm_ranking cjm_ranking;

/**
 * Ranks a journey's pain points and gaps by
 * `score = severity * reach * moment_factor * need_factor`,
 * highest first; equal scores are ordered by id (byte order), so the
 * ranking is deterministic. Severity is the item's own; for a gap without
 * one, expected minus perceived (from the gap, else its touchpoint) when
 * positive; else `default_severity`. Reach is a pain point's affected
 * count, else the reach of its target, else 1 (unknown). A transition
 * target sits at a moment of truth when its destination does. The need is
 * the item's own, else its touchpoint's.
 * @param out receives the result; the caller frees it with cjm_ranking_free().
 * @return 0, #CJM_EINVAL (NULL, an unknown version, a negative or
 *         non-finite weight, a reach of another journey), #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_rank_compute(cjm_ranking **out, const cjm_journey *journey,
                                const cjm_rank_options *opts);
/** Frees a ranking. NULL does nothing. */
CJM_EXTERN void cjm_ranking_free(cjm_ranking *ranking);
/** The number of ranked items. */
CJM_EXTERN size_t cjm_ranking_count(const cjm_ranking *ranking);
/** The item at rank `index` + 1; borrowed; NULL past the end. */
CJM_EXTERN const cjm_ranked *cjm_ranking_at(const cjm_ranking *ranking, size_t index);

/* ---- emotion curve --------------------------------------------------------- */

/** One point of an emotion curve. */
typedef struct cjm_curve_point {
    const cjm_item *touchpoint; /**< borrowed */
    const char *id;             /**< the touchpoint's id */
    const char *stage;          /**< its stage's id, or NULL */
    double emotion;             /**< valence -2..+2, NaN when unset */
    double expected;            /**< expected score, NaN when unset */
    double perceived;           /**< perceived score, NaN when unset */
    double reach;               /**< expected visits, NaN without volumes */
    int low;                    /**< 1 at a low point */
} cjm_curve_point;

/** The version of #cjm_curve_options this header describes. */
#define CJM_CURVE_OPTIONS_VERSION 1

/** Options of cjm_curve_compute(). */
typedef struct cjm_curve_options {
    unsigned version;               /**< #CJM_CURVE_OPTIONS_VERSION */
    const cjm_allocator *allocator; /**< NULL: the journey's map's allocator */
    double low_below;               /**< low points have an emotion below this; default 0 */
    const cjm_reach *reach;         /**< reach to use (borrowed); NULL to compute it */
} cjm_curve_options;

/** Default curve options. */
#define CJM_CURVE_OPTIONS_INIT {CJM_CURVE_OPTIONS_VERSION, NULL, 0.0, NULL}

/** An emotion curve along a path. */
typedef struct cjm_curve cjm_curve;

/**
 * The emotion curve along a path of touchpoints.
 *
 * With `path` NULL the path is the most travelled one: it starts at the
 * entry with the largest reach (or entry volume) and repeatedly takes the
 * transition with the largest flow (without volumes: probability, then
 * volume, then the first in journey order) to a touchpoint not yet on the
 * path; it stops where none is left, or where more customers end than take
 * the largest step. A point is low when its emotion is below `low_below`
 * and no higher than the nearest points before and after it that have an
 * emotion.
 * @param path touchpoint ids, or NULL; `n` is their number.
 * @return 0; #CJM_ENOTFOUND when an id of `path` is not a touchpoint;
 *         #CJM_EINVAL (NULL arguments, an unknown version, a reach of
 *         another journey); #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_curve_compute(cjm_curve **out, const cjm_journey *journey,
                                 const char *const *path, size_t n,
                                 const cjm_curve_options *opts);
/** Frees a curve. NULL does nothing. */
CJM_EXTERN void cjm_curve_free(cjm_curve *curve);
/** The number of points. */
CJM_EXTERN size_t cjm_curve_count(const cjm_curve *curve);
/** The `index`-th point along the path; borrowed; NULL past the end. */
CJM_EXTERN const cjm_curve_point *cjm_curve_at(const cjm_curve *curve, size_t index);

/* ---- planned against actual; structural diff -------------------------------- */

/** The version of #cjm_compare_options this header describes. */
#define CJM_COMPARE_OPTIONS_VERSION 1

/** Options of cjm_compare_journeys() and cjm_diff_journeys(). */
typedef struct cjm_compare_options {
    unsigned version;               /**< #CJM_COMPARE_OPTIONS_VERSION */
    const cjm_allocator *allocator; /**< NULL: the first journey's map's allocator */
} cjm_compare_options;

/** Default compare options. */
#define CJM_COMPARE_OPTIONS_INIT {CJM_COMPARE_OPTIONS_VERSION, NULL}

/** One deviation of an actual journey from its planned journey. */
typedef struct cjm_deviation_found {
    cjm_deviation kind;     /**< missing, failing, ad hoc or irregular */
    const char *touchpoint; /**< the touchpoint's id (for ad hoc, the actual one's) */
    const char *transition; /**< the actual transition that shows it, or NULL (a
                                 touchpoint missing altogether, ad hoc touchpoints) */
    double volume;          /**< customers concerned, from the actual journey's reach:
                                 the transition's crossings, or for ad hoc the
                                 touchpoint's visits; NaN when unknown */
    const char *message;    /**< one English sentence */
} cjm_deviation_found;

/** The deviations of an actual journey from a planned one. */
typedef struct cjm_comparison cjm_comparison;

/**
 * Aligns an actual journey to a planned one, touchpoints matched by id, and
 * labels every deviation (the rules are in doc/analyses.md):
 * - missing: a planned touchpoint absent from the actual journey (once,
 *   without a transition); or one present that an unplanned actual
 *   transition skips (on the shortest planned path between its ends), with
 *   that transition;
 * - failing: an unplanned actual transition that closes a loop (its ends lie
 *   on one cycle of the actual journey), at its destination; and every
 *   actual gap of kind deviation marked failing, at its touchpoint;
 * - ad hoc: an actual touchpoint the plan does not have;
 * - irregular: an unplanned actual transition that closes no loop and whose
 *   destination the plan does not reach from its source.
 *
 * Deviations are ordered by kind (enumeration order), then journey order.
 * @param out receives the result; the caller frees it with cjm_comparison_free().
 * @return 0, #CJM_EINVAL, #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_compare_journeys(cjm_comparison **out, const cjm_journey *planned,
                                    const cjm_journey *actual, const cjm_compare_options *opts);
/** Frees a comparison. NULL does nothing. */
CJM_EXTERN void cjm_comparison_free(cjm_comparison *comparison);
/** The number of deviations. */
CJM_EXTERN size_t cjm_comparison_count(const cjm_comparison *comparison);
/** The `index`-th deviation; borrowed; NULL past the end. */
CJM_EXTERN const cjm_deviation_found *cjm_comparison_at(const cjm_comparison *comparison,
                                                        size_t index);
/** The number of deviations of `kind`. */
CJM_EXTERN size_t cjm_comparison_total(const cjm_comparison *comparison, cjm_deviation kind);

/** Kinds of structural change between two journeys. */
typedef enum cjm_change_kind {
    CJM_CHANGE_ADDED = 0,   /**< a touchpoint only the second journey has */
    CJM_CHANGE_REMOVED,     /**< a touchpoint only the first journey has */
    CJM_CHANGE_RECHANNELLED,/**< a touchpoint whose channel changed */
    CJM_CHANGE_RESTAGED,    /**< a touchpoint whose stage changed */
    CJM_CHANGE_REORDERED,   /**< a touchpoint that moved relative to the others */
    CJM_CHANGE_LINK_ADDED,  /**< a transition (by its ends) only the second has */
    CJM_CHANGE_LINK_REMOVED,/**< a transition (by its ends) only the first has */
    CJM_CHANGE_KIND_COUNT   /**< the number of kinds */
} cjm_change_kind;

/** A stable name for a change kind ("re-channelled"); NULL when out of range. */
CJM_EXTERN const char *cjm_change_kind_name(cjm_change_kind kind);

/** One structural change. */
typedef struct cjm_change {
    cjm_change_kind kind; /**< what changed */
    const char *id;       /**< the touchpoint's id, or the transition's (second journey's
                               for added links, first's for removed ones) */
    const char *before;   /**< the old channel or stage id, or NULL */
    const char *after;    /**< the new channel or stage id, or NULL */
    const char *message;  /**< one English sentence */
} cjm_change;

/** The structural differences between two journeys. */
typedef struct cjm_diff cjm_diff;

/**
 * Compares the structure of two journeys, touchpoints matched by id and
 * transitions by their ends. Touchpoints present in both are reordered when
 * they are not on a longest common ordering: each journey orders its
 * touchpoints by stage position, then by distance from the entries, then
 * by journey order, and the touchpoints left out of a longest increasing
 * subsequence of the one order within the other are the ones that moved.
 * Changes are ordered by kind, then by journey order.
 * @param out receives the result; the caller frees it with cjm_diff_free().
 * @return 0, #CJM_EINVAL, #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_diff_journeys(cjm_diff **out, const cjm_journey *before,
                                 const cjm_journey *after, const cjm_compare_options *opts);
/** Frees a diff. NULL does nothing. */
CJM_EXTERN void cjm_diff_free(cjm_diff *diff);
/** The number of changes. */
CJM_EXTERN size_t cjm_diff_count(const cjm_diff *diff);
/** The `index`-th change; borrowed; NULL past the end. */
CJM_EXTERN const cjm_change *cjm_diff_at(const cjm_diff *diff, size_t index);
/** The number of changes of `kind`. */
CJM_EXTERN size_t cjm_diff_total(const cjm_diff *diff, cjm_change_kind kind);

/* ---- situation view --------------------------------------------------------- */

/**
 * The journey as a customer in one situation meets it: a new journey, added
 * to the same map, holding every stage, the touchpoints whose situations
 * list is empty or names `situation`, the transitions between kept
 * touchpoints that are likewise open to the situation, the pain points and
 * gaps whose target is kept (or who have none), and the opportunities that
 * still link to a kept item (or never linked to any). Attributes, KPIs and
 * volumes are copied as they are. The new journey's label is the source's.
 *
 * The map owns the new journey; remove it with cjm_map_remove_journey()
 * when done. On failure nothing is added.
 * @param out receives the new journey (borrowed from the map); may be NULL.
 * @param id the new journey's id; NULL to have one made up.
 * @return 0; #CJM_ENOTFOUND when the map defines no situation `situation`;
 *         #CJM_EEXISTS when `id` is taken; #CJM_EINVAL; #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_situation_view(cjm_journey **out, cjm_journey *journey,
                                  const char *situation, const char *id);

#ifdef __cplusplus
}
#endif

#endif
