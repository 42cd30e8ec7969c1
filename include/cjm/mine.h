/**
 * @file cjm/mine.h
 * @brief Event logs (XES) and mining actual journeys.
 *
 * An event log in the IEEE 1849 (XES) format lists cases (traces), each an
 * ordered list of events. Mining reads a log as a stream and keeps only
 * what the journey graph needs, so its memory grows with the number of
 * distinct activities, transitions and variants, never with the size of
 * the log:
 *
 * - **activities** (the future touchpoints): the value of the event
 *   classifier of each event; by default the `concept:name` attribute, or
 *   the keys of a classifier declared in the log, or any list of keys,
 *   whose values are joined with `+`;
 * - **transitions**: directly-follows pairs of activities within a trace,
 *   in document order, with their volume and the time between the two
 *   events (count, mean, min, max, median, p90);
 * - **start and end volumes**: how many traces begin and end with each
 *   activity;
 * - **variants**: the distinct activity sequences of traces, with counts;
 * - **counters** of what was read, and of what was accepted with a
 *   caveat or skipped, and why (#cjm_mine_counter).
 *
 * A mining result (#cjm_mine_result) is canonical: activities are sorted
 * by name (bytewise), transitions by their activities, variants by count
 * (most frequent first) and then by sequence. Results of shards of a log
 * (disjoint sets of whole traces) merge exactly: cjm_mine_merge() of the
 * shards' results equals the result of mining the whole log, and a
 * result travels between processes as bytes (cjm_mine_serialize(),
 * cjm_mine_deserialize()).
 *
 * Median and p90 durations come from a histogram with 16 logarithmic bins
 * per power of two of milliseconds, which merges exactly: the value given
 * is the middle of the bin holding the nearest-rank quantile, clamped to
 * [min, max], within 3.2% of the exact quantile (exact below 16 ms).
 *
 * Threads: a result may be used from one thread at a time; different
 * results may be mined and used on different threads at once.
 */
#ifndef CJM_MINE_H
#define CJM_MINE_H

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A mining result: counts of one log, or of several logs merged. */
typedef struct cjm_mine_result cjm_mine_result;

/**
 * Called as a log is read, about once per 256 KiB of XML.
 * @param ud the `progress_ud` of the options.
 * @param done bytes of XML read so far (after decompression).
 * @param total the bytes of XML expected: the file's size, or for gzip the
 *        size its trailer records; 0 when unknown or already passed. The
 *        last call has `done == total`.
 */
typedef void (*cjm_mine_progress_fn)(void *ud, unsigned long long done,
                                     unsigned long long total);

/** The version of #cjm_mine_options this header describes. */
#define CJM_MINE_OPTIONS_VERSION 1

/**
 * How to read and mine a log. Initialise with #CJM_MINE_OPTIONS_INIT and
 * change the members you need; zero for a limit means its default.
 */
typedef struct cjm_mine_options {
    unsigned version;          /**< #CJM_MINE_OPTIONS_VERSION */
    /**
     * The name of a classifier declared in the log (`<classifier name=...>`)
     * whose keys name the activity; NULL for the default. A name the log
     * does not declare fails the mining with #CJM_ENOTFOUND.
     */
    const char *classifier;
    /**
     * Attribute keys whose values, joined with `+`, name the activity;
     * used when `key_count` > 0 and then takes precedence over
     * `classifier`. The default is the single key `concept:name`.
     */
    const char *const *keys;
    size_t key_count;          /**< the number of `keys` */
    /** The event attribute that names the channel of a contact, or NULL. */
    const char *channel_key;
    /**
     * The most bytes read after decompression (a gzip bomb stops here with
     * #CJM_ELIMIT); 0 means 4 GiB.
     */
    unsigned long long max_inflated;
    /**
     * The most decompressed bytes per compressed byte consumed; 0 means
     * 200. Checked as the file is read, once more than 16 MiB have come out
     * (the size a gzip trailer declares is not trusted). Plain files have a
     * ratio of 1.
     */
    unsigned max_ratio;
    /** The most nested elements; 0 means 64. Deeper documents fail with #CJM_ELIMIT. */
    unsigned max_depth;
    /** The most attributes on one element; 0 means 256 (#CJM_ELIMIT beyond). */
    unsigned max_attributes;
    /**
     * The most distinct activities, and the most distinct channel values;
     * 0 means 100000 (#CJM_ELIMIT beyond).
     */
    size_t max_activities;
    /**
     * The most distinct variants kept; 0 means 20000. Traces whose variant
     * is new once the limit is reached are counted in
     * #CJM_MINE_VARIANTS_DROPPED and kept in every other count.
     */
    size_t max_variants;
    /**
     * The longest variant kept, in events; 0 means 256. Longer traces are
     * counted in #CJM_MINE_VARIANTS_TOO_LONG and kept in every other count.
     */
    size_t max_variant_length;
    cjm_mine_progress_fn progress; /**< progress callback, or NULL */
    void *progress_ud;             /**< passed to `progress` untouched */
} cjm_mine_options;

/** Default options: `cjm_mine_options o = CJM_MINE_OPTIONS_INIT;` */
#define CJM_MINE_OPTIONS_INIT \
    {CJM_MINE_OPTIONS_VERSION, NULL, NULL, 0, NULL, 0, 0, 0, 0, 0, 0, 0, NULL, NULL}

/**
 * Counters of a mining result. The first ones count what was mined; the
 * others what was accepted with a caveat or left out, and why.
 */
typedef enum cjm_mine_counter {
    CJM_MINE_TRACES = 0,          /**< traces read, empty ones included */
    CJM_MINE_EVENTS,              /**< events mined (classified events in traces) */
    CJM_MINE_TRACES_EMPTY,        /**< traces without a mined event: no start, end or variant */
    CJM_MINE_EVENTS_UNCLASSIFIED, /**< events without a value for a classifier key: skipped */
    CJM_MINE_EVENTS_OUTSIDE_TRACE,/**< events directly in the log, outside any trace: skipped */
    CJM_MINE_DATES_NO_TIMEZONE,   /**< dates without a time zone: read as UTC */
    CJM_MINE_VALUES_INVALID,      /**< attributes whose value does not fit their type, holds U+007F, or is missing: ignored */
    CJM_MINE_ATTRIBUTES_NO_KEY,   /**< attributes without a key: ignored */
    CJM_MINE_ELEMENTS_UNKNOWN,    /**< elements XES does not define there: ignored with their content */
    CJM_MINE_EXTENSIONS_ODD,      /**< extensions without an http(s) URI: accepted */
    CJM_MINE_PAIRS_TIMED,         /**< directly-follows pairs with a duration */
    CJM_MINE_PAIRS_UNTIMED,       /**< pairs where an event has no valid time:timestamp: no duration */
    CJM_MINE_PAIRS_OUT_OF_ORDER,  /**< pairs whose second event is dated earlier: no duration */
    CJM_MINE_VARIANTS_TOO_LONG,   /**< traces longer than `max_variant_length`: no variant kept */
    CJM_MINE_VARIANTS_DROPPED,    /**< traces whose new variant exceeded `max_variants`: no variant kept */
    CJM_MINE_COUNTER_COUNT        /**< the number of counters */
} cjm_mine_counter;

/** A stable, machine-readable name for a counter ("events-unclassified"); NULL if out of range. */
CJM_EXTERN const char *cjm_mine_counter_name(cjm_mine_counter counter);

/**
 * Mines an XES log file: plain XML, or compressed with gzip (or xz), told
 * apart by content, not by name.
 *
 * The file is read in a stream through a hardened XML parser: no network,
 * no DTD (a DOCTYPE is rejected), no entities but the predefined ones, no
 * XInclude, and limits on depth, attributes per element and decompressed
 * size. Input that is not well-formed XML, or whose root is not `log`,
 * fails with #CJM_EPARSE and the file, line and column in
 * cjm_error_last(). What XES allows but the miner cannot use is counted
 * (#cjm_mine_counter) and mining goes on.
 *
 * @param out receives the result, owned by the caller (cjm_mine_result_free());
 *        untouched on failure.
 * @param path the file; a URL is refused.
 * @param options NULL for the defaults.
 * @param allocator for the result and the working memory; NULL for malloc.
 * @return 0; #CJM_EINVAL (NULL arguments, unknown options version, an
 *         empty key); #CJM_EIO (the file cannot be read); #CJM_EPARSE;
 *         #CJM_ENOTFOUND (the named classifier is not declared);
 *         #CJM_ELIMIT; #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_mine_file(cjm_mine_result **out, const char *path,
                             const cjm_mine_options *options,
                             const cjm_allocator *allocator);

/**
 * Mines an XES log held in memory (plain XML only), as cjm_mine_file().
 * @param name the name used in error messages; NULL for "(memory)".
 */
CJM_EXTERN int cjm_mine_memory(cjm_mine_result **out, const void *data, size_t size,
                               const char *name, const cjm_mine_options *options,
                               const cjm_allocator *allocator);

/** Frees a result. NULL does nothing. */
CJM_EXTERN void cjm_mine_result_free(cjm_mine_result *result);

/**
 * Adds the counts of `from` to `into`, as if the traces `from` was mined
 * from had been part of the log of `into`. Both must have been mined with
 * the same activity keys and channel key.
 *
 * Shards of a log each repeat its header (extensions, globals,
 * classifiers, log attributes): counters of what was found outside traces
 * therefore merge by keeping the larger count, and counters of what was
 * found inside traces add up. So merging the results of a log's shards,
 * split between whole traces, gives exactly the result of the whole log,
 * as long as no shard reached `max_variants` or `max_activities`.
 * @return 0; #CJM_EINVAL (NULL, different keys); #CJM_ELIMIT (more
 *         activities than `into` allows); #CJM_ENOMEM, in which case `into`
 *         is unchanged.
 */
CJM_EXTERN int cjm_mine_merge(cjm_mine_result *into, const cjm_mine_result *from);

/**
 * Serialises a result to bytes (a versioned binary form, the same for
 * equal results on every platform), for another process to read back with
 * cjm_mine_deserialize().
 * @param out receives the bytes; the caller frees them with cjm_buffer_free().
 * @return 0, #CJM_EINVAL, #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_mine_serialize(const cjm_mine_result *result, cjm_buffer *out);

/**
 * Reads a result back from the bytes of cjm_mine_serialize(). Every field
 * is checked; malformed bytes fail cleanly.
 * @param out receives the result, owned by the caller.
 * @param allocator for the result; NULL for malloc.
 * @return 0; #CJM_EINVAL (NULL); #CJM_EPARSE (not a serialised result, a
 *         newer format, damaged or truncated bytes); #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_mine_deserialize(cjm_mine_result **out, const void *data, size_t size,
                                    const cjm_allocator *allocator);

/** A counter's value; 0 for a NULL result or a counter out of range. */
CJM_EXTERN unsigned long long cjm_mine_count(const cjm_mine_result *result,
                                             cjm_mine_counter counter);

/** The number of activity keys the result was mined with. */
CJM_EXTERN size_t cjm_mine_key_count(const cjm_mine_result *result);
/** The `index`-th activity key; borrowed from the result; NULL past the end. */
CJM_EXTERN const char *cjm_mine_key_at(const cjm_mine_result *result, size_t index);
/** The channel key the result was mined with; borrowed; NULL when none. */
CJM_EXTERN const char *cjm_mine_channel_key(const cjm_mine_result *result);

/** What was seen of one activity. Strings are borrowed from the result. */
typedef struct cjm_mine_activity {
    const char *name;          /**< the classifier value */
    unsigned long long events; /**< events mined with this activity */
    unsigned long long starts; /**< traces that begin with it */
    unsigned long long ends;   /**< traces that end with it */
    /**
     * The most frequent value of the channel key among its events (ties go
     * to the bytewise smallest); NULL without a channel key or a value.
     */
    const char *channel;
} cjm_mine_activity;

/** The number of distinct activities. */
CJM_EXTERN size_t cjm_mine_activity_count(const cjm_mine_result *result);
/**
 * The `index`-th activity, in bytewise order of names.
 * @return 0, #CJM_EINVAL (NULL), #CJM_ENOTFOUND (past the end).
 */
CJM_EXTERN int cjm_mine_activity_at(const cjm_mine_result *result, size_t index,
                                    cjm_mine_activity *out);
/**
 * The index of the activity with this name.
 * @return 0, #CJM_EINVAL, #CJM_ENOTFOUND.
 */
CJM_EXTERN int cjm_mine_activity_find(const cjm_mine_result *result, const char *name,
                                      size_t *index);

/**
 * Statistics of the time between the two events of a transition, over the
 * pairs where both events have a valid timestamp and the second is not
 * dated earlier. Times are in milliseconds; all are 0 when `count` is 0.
 */
typedef struct cjm_mine_durations {
    unsigned long long count; /**< pairs measured */
    double mean;              /**< arithmetic mean */
    long long min;            /**< shortest, exact */
    long long max;            /**< longest, exact */
    long long median;         /**< median from the histogram (see the file's description) */
    long long p90;            /**< 90th percentile from the histogram */
} cjm_mine_durations;

/** A directly-follows transition. */
typedef struct cjm_mine_transition {
    size_t from;                  /**< index of the first activity */
    size_t to;                    /**< index of the activity that follows it */
    unsigned long long volume;    /**< how many times `to` directly followed `from` */
    cjm_mine_durations durations; /**< the time between them */
} cjm_mine_transition;

/** The number of distinct transitions. */
CJM_EXTERN size_t cjm_mine_transition_count(const cjm_mine_result *result);
/**
 * The `index`-th transition, ordered by `from`, then `to`.
 * @return 0, #CJM_EINVAL, #CJM_ENOTFOUND.
 */
CJM_EXTERN int cjm_mine_transition_at(const cjm_mine_result *result, size_t index,
                                      cjm_mine_transition *out);

/** A variant: a distinct sequence of activities, and how many traces follow it. */
typedef struct cjm_mine_variant {
    unsigned long long traces; /**< traces with exactly this sequence */
    size_t length;             /**< the number of activities in the sequence */
    /** Activity indices in order; borrowed from the result. */
    const unsigned *activities;
} cjm_mine_variant;

/** The number of distinct variants kept. */
CJM_EXTERN size_t cjm_mine_variant_count(const cjm_mine_result *result);
/**
 * The `index`-th variant: the most frequent first, ties in order of
 * sequence. The top k are indices 0 .. k-1.
 * @return 0, #CJM_EINVAL, #CJM_ENOTFOUND.
 */
CJM_EXTERN int cjm_mine_variant_at(const cjm_mine_result *result, size_t index,
                                   cjm_mine_variant *out);

/**
 * Adds the mined graph to a map as a new journey of status actual:
 *
 * - one stage, "observed";
 * - a touchpoint per activity, labelled with the activity's name, its id
 *   made from the name (whitespace and other characters not allowed in ids
 *   become `-`; a numeric suffix keeps ids unique), with #CJM_ATTR_ENTRY
 *   set to its start volume when that is above 0 and #CJM_ATTR_EXIT set
 *   when traces end there. The end volume is not stored: it equals entry
 *   plus incoming minus outgoing volume;
 * - with a channel key, a channel definition per channel value (reused
 *   when the map already has a channel with that label) and the
 *   touchpoint's #CJM_ATTR_CHANNEL;
 * - a transition per directly-follows pair with #CJM_ATTR_VOLUME and, when
 *   timed, #CJM_ATTR_DURATION as the median in seconds.
 *
 * @param journey_id the new journey's id; NULL to have one made up.
 * @param out receives the journey (borrowed from the map); may be NULL.
 * @return 0; #CJM_EINVAL; #CJM_EEXISTS (the id is taken); #CJM_ENOMEM,
 *         in which case the map is left as it was.
 */
CJM_EXTERN int cjm_mine_to_journey(const cjm_mine_result *result, cjm_map *map,
                                   const char *journey_id, cjm_journey **out);


/* ---- conformance of a log with a planned journey ------------------------ */

/**
 * Called once per case checked by cjm_mine_conform_file().
 * @param ud the `case_ud` of the options.
 * @param case_id the trace's `concept:name`, or NULL when it has none;
 *        borrowed for the call only.
 * @param counts the case's deviations, indexed by #cjm_deviation.
 */
typedef void (*cjm_mine_case_fn)(void *ud, const char *case_id,
                                 const unsigned long long counts[4]);

/** The version of #cjm_mine_conformance_options this header describes. */
#define CJM_MINE_CONFORMANCE_OPTIONS_VERSION 1

/** How to hold a log against a planned journey. */
typedef struct cjm_mine_conformance_options {
    unsigned version;                /**< #CJM_MINE_CONFORMANCE_OPTIONS_VERSION */
    const cjm_mine_options *mine;    /**< how to read the log; NULL for the defaults */
    /**
     * A mapping from activity names to planned touchpoint ids: activity
     * `activities[i]` is touchpoint `touchpoints[i]`. Activities not in
     * the mapping match a touchpoint whose id, or else whose label, equals
     * the activity's name; the others are unplanned (ad hoc).
     */
    const char *const *activities;
    const char *const *touchpoints;  /**< see `activities` */
    size_t mapping_count;            /**< entries in both arrays */
    cjm_mine_case_fn on_case;        /**< per-case callback, or NULL */
    void *case_ud;                   /**< passed to `on_case` untouched */
} cjm_mine_conformance_options;

/** Default options: `cjm_mine_conformance_options o = CJM_MINE_CONFORMANCE_OPTIONS_INIT;` */
#define CJM_MINE_CONFORMANCE_OPTIONS_INIT \
    {CJM_MINE_CONFORMANCE_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, NULL}

/**
 * The deviations of a log's cases from a planned journey, counted per
 * kind, per planned touchpoint and per unplanned activity.
 */
typedef struct cjm_mine_conformance cjm_mine_conformance;

/**
 * Reads a log as cjm_mine_file() does and labels every case (trace) with
 * the planned-against-actual checker of cjm/analysis.h
 * (cjm_conformance_check()): missing, failing, ad hoc and irregular
 * deviations. Memory stays bounded by the graph: cases are checked as they
 * are read, and reported one by one through `on_case`. Cases longer than
 * the options' `max_variant_length` are not checked, only counted
 * (cjm_mine_conformance_skipped()).
 *
 * @param out receives the result; the caller frees it with
 *        cjm_mine_conformance_free().
 * @param planned the planned journey; borrowed: it must outlive the result
 *        and not change while it is used.
 * @return as cjm_mine_file(); also #CJM_EINVAL for a NULL journey, an
 *         unknown options version, or NULL or empty mapping entries.
 */
CJM_EXTERN int cjm_mine_conform_file(cjm_mine_conformance **out, const char *path,
                                     const cjm_journey *planned,
                                     const cjm_mine_conformance_options *options,
                                     const cjm_allocator *allocator);

/** As cjm_mine_conform_file(), for a log held in memory; `name` is used in errors. */
CJM_EXTERN int cjm_mine_conform_memory(cjm_mine_conformance **out, const void *data,
                                       size_t size, const char *name,
                                       const cjm_journey *planned,
                                       const cjm_mine_conformance_options *options,
                                       const cjm_allocator *allocator);

/** Frees a conformance result. NULL does nothing. */
CJM_EXTERN void cjm_mine_conformance_free(cjm_mine_conformance *conformance);

/** The number of cases checked. */
CJM_EXTERN unsigned long long cjm_mine_conformance_cases(const cjm_mine_conformance *c);
/** The number of cases checked without any deviation. */
CJM_EXTERN unsigned long long cjm_mine_conformance_fitting(const cjm_mine_conformance *c);
/** The number of cases too long to check. */
CJM_EXTERN unsigned long long cjm_mine_conformance_skipped(const cjm_mine_conformance *c);
/** All deviations of `kind` over all cases; 0 for an unknown kind. */
CJM_EXTERN unsigned long long cjm_mine_conformance_total(const cjm_mine_conformance *c,
                                                         cjm_deviation kind);
/** The number of cases with at least one deviation of `kind`. */
CJM_EXTERN unsigned long long cjm_mine_conformance_cases_with(const cjm_mine_conformance *c,
                                                              cjm_deviation kind);
/**
 * Deviations of `kind` at the planned touchpoint with index `touchpoint`
 * (cjm_item_index()); 0 past the end and for #CJM_DEVIATION_ADHOC.
 */
CJM_EXTERN unsigned long long cjm_mine_conformance_touchpoint(const cjm_mine_conformance *c,
                                                              size_t touchpoint,
                                                              cjm_deviation kind);
/** The number of distinct unplanned activities that occurred. */
CJM_EXTERN size_t cjm_mine_conformance_adhoc_count(const cjm_mine_conformance *c);
/**
 * The `index`-th unplanned activity, in bytewise order of names, and how
 * often it occurred as an ad hoc deviation. `name` is borrowed from the result.
 * @return 0, #CJM_EINVAL, #CJM_ENOTFOUND (past the end).
 */
CJM_EXTERN int cjm_mine_conformance_adhoc_at(const cjm_mine_conformance *c, size_t index,
                                             const char **name, unsigned long long *count);
/** The mining result of the same log, read on the way; borrowed from `c`. */
CJM_EXTERN const cjm_mine_result *cjm_mine_conformance_result(const cjm_mine_conformance *c);

#ifdef __cplusplus
}
#endif

#endif
