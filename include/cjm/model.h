/**
 * @file cjm/model.h
 * @brief The journey map model: documents, journeys and their items.
 *
 * A **journey map** (#cjm_map) is one document: shared definitions (actors,
 * channels, personas, situations) and one or more **journeys**
 * (#cjm_journey). A journey holds ordered stages, touchpoints, transitions
 * and annotations (pain points, gaps, opportunities).
 *
 * Everything with an id is an **item** (#cjm_item) of some #cjm_kind. Items
 * carry typed attributes named by #cjm_attr: text, references to other
 * items by id, numbers, small integers (flags and enumerations) and lists
 * of ids. cjm_kind_has_attr() says which attributes a kind has.
 *
 * Ids are unique within their container: one namespace for everything the
 * map holds directly (actors, channels, personas, situations, journeys) and
 * one per journey (stages, touchpoints, transitions, pain points, gaps,
 * opportunities). Lookup by id takes constant time; items are kept in
 * insertion order per kind, which for stages is the stage order.
 *
 * Ownership: the map owns its journeys, a journey owns its items. Every
 * cjm_journey and cjm_item pointer is borrowed and stays valid until it is
 * removed or the map is freed. Strings returned by getters are borrowed
 * likewise, until the attribute is next set or the owner is freed.
 *
 * Text is UTF-8. Setters reject invalid UTF-8 and control characters other
 * than tab, line feed and carriage return with #CJM_EINVAL, so that every
 * model can be written as XML. Setters accept numbers outside their
 * documented range (so that a reader can load, and cjm_map_validate() can
 * report, a faulty file), but reject NaN and infinities.
 *
 * Threads: a map and everything in it may be used from one thread at a
 * time; different maps may be used on different threads at once.
 */
#ifndef CJM_MODEL_H
#define CJM_MODEL_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A journey map document. */
typedef struct cjm_map cjm_map;
/** A journey: a directed graph of touchpoints with ordered stages. */
typedef struct cjm_journey cjm_journey;
/** An item with an id: an actor, channel, touchpoint, gap, ... */
typedef struct cjm_item cjm_item;

/** The kinds of item. */
typedef enum cjm_kind {
    /* held by the map */
    CJM_ACTOR = 0,   /**< customer, department or partner */
    CJM_CHANNEL,     /**< web, app, phone, store, ... */
    CJM_PERSONA,     /**< who travels the journey */
    CJM_SITUATION,   /**< a customer's situation: at home, stressed, ... */
    /* held by a journey */
    CJM_STAGE,       /**< an ordered phase of a journey */
    CJM_TOUCHPOINT,  /**< one contact between customer and company */
    CJM_TRANSITION,  /**< the move from one touchpoint to the next */
    CJM_PAINPOINT,   /**< a friction at a touchpoint or transition */
    CJM_GAP,         /**< an experience gap or a deviation */
    CJM_OPPORTUNITY, /**< an improvement idea tied to gaps and pain points */
    CJM_KIND_COUNT   /**< the number of kinds */
} cjm_kind;

/** The type of an attribute's value. */
typedef enum cjm_type {
    CJM_TYPE_TEXT = 0, /**< UTF-8 text: cjm_item_text() */
    CJM_TYPE_REF,      /**< the id of another item: cjm_item_text() */
    CJM_TYPE_NUMBER,   /**< a finite double: cjm_item_number() */
    CJM_TYPE_INT,      /**< a flag or enumeration: cjm_item_int() */
    CJM_TYPE_LIST      /**< a list of ids: cjm_item_list_count() */
} cjm_type;

/**
 * Attributes. The comment of each names its type, the kinds that have it
 * and, for numbers and enumerations, the valid range.
 */
typedef enum cjm_attr {
    CJM_ATTR_LABEL = 0,      /**< text; every kind: a short display name */
    CJM_ATTR_DESCRIPTION,    /**< text; every kind: longer prose */
    CJM_ATTR_ROLE,           /**< int #cjm_role; actor */
    CJM_ATTR_CHANNEL_KIND,   /**< int #cjm_channel_kind; channel */
    CJM_ATTR_CONTACT_FREE,   /**< int 0/1; channel: no physical contact */
    CJM_ATTR_STAGE,          /**< ref to a stage; touchpoint */
    CJM_ATTR_CHANNEL,        /**< ref to a channel; touchpoint */
    CJM_ATTR_INITIATOR,      /**< ref to an actor; touchpoint */
    CJM_ATTR_RECEIVER,       /**< ref to an actor; touchpoint */
    CJM_ATTR_OWNER,          /**< text; touchpoint: the responsible part of the company */
    CJM_ATTR_MOMENT_OF_TRUTH,/**< int 0/1; touchpoint */
    CJM_ATTR_COMPLEXITY,     /**< int #cjm_complexity; touchpoint */
    CJM_ATTR_FREQUENCY,      /**< number >= 0; touchpoint: how often the matter arises, per period */
    CJM_ATTR_VALUE,          /**< int #cjm_value; touchpoint: value to the customer */
    CJM_ATTR_CAPACITY,       /**< number >= 0; touchpoint: customers the channel can serve per period */
    CJM_ATTR_ENTRY,          /**< number >= 0; touchpoint: customers who start the journey here */
    CJM_ATTR_EXIT,           /**< int 0/1; touchpoint: the journey may end here */
    CJM_ATTR_EXPECTED,       /**< number 1..5; touchpoint, gap: expected score */
    CJM_ATTR_PERCEIVED,      /**< number 1..5; touchpoint, gap: perceived score */
    CJM_ATTR_EMOTION,        /**< number -2..+2; touchpoint: emotional valence */
    CJM_ATTR_NEED,           /**< int #cjm_need; touchpoint, pain point, gap: the emotional need at stake */
    CJM_ATTR_SITUATIONS,     /**< list of situation ids; touchpoint, transition: empty means every situation */
    CJM_ATTR_FROM,           /**< ref to a touchpoint; transition */
    CJM_ATTR_TO,             /**< ref to a touchpoint; transition */
    CJM_ATTR_VOLUME,         /**< number >= 0; transition: customers or cases that cross it */
    CJM_ATTR_PROBABILITY,    /**< number 0..1; transition: share of those at `from` who cross it */
    CJM_ATTR_DURATION,       /**< number >= 0; transition: typical time between, in seconds */
    CJM_ATTR_TARGET,         /**< ref to a touchpoint or transition; pain point, gap */
    CJM_ATTR_SEVERITY,       /**< number 1..5; pain point, gap */
    CJM_ATTR_AFFECTED,       /**< number >= 0; pain point: customers it hits */
    CJM_ATTR_ROOT_CAUSE,     /**< text; pain point */
    CJM_ATTR_GAP_KIND,       /**< int #cjm_gap_kind; gap */
    CJM_ATTR_DIMENSION,      /**< int #cjm_dimension; gap (experience gaps) */
    CJM_ATTR_DEVIATION,      /**< int #cjm_deviation; gap (deviations) */
    CJM_ATTR_FACTOR,         /**< int #cjm_factor; opportunity */
    CJM_ATTR_LINKS,          /**< list of gap and pain point ids; opportunity */
    CJM_ATTR_COUNT           /**< the number of attributes */
} cjm_attr;

/** Actor roles (#CJM_ATTR_ROLE). */
typedef enum cjm_role {
    CJM_ROLE_CUSTOMER = 0,  /**< the customer */
    CJM_ROLE_FRONTSTAGE,    /**< a department the customer meets */
    CJM_ROLE_BACKSTAGE,     /**< a department out of the customer's sight */
    CJM_ROLE_PARTNER,       /**< a partner: courier, bank, ... */
    CJM_ROLE_SYSTEM         /**< an automated system */
} cjm_role;

/** Channel kinds (#CJM_ATTR_CHANNEL_KIND). */
typedef enum cjm_channel_kind {
    CJM_CHANNEL_SELF_SERVICE = 0, /**< self-service digital: web, app, chatbot */
    CJM_CHANNEL_ASSISTED,         /**< assisted digital: chat, video, e-mail */
    CJM_CHANNEL_HUMAN,            /**< a person: phone, counter */
    CJM_CHANNEL_PHYSICAL          /**< physical: store, letter, delivery */
} cjm_channel_kind;

/** Complexity of the matter at a touchpoint (#CJM_ATTR_COMPLEXITY). */
typedef enum cjm_complexity {
    CJM_COMPLEXITY_SIMPLE = 0, /**< simple */
    CJM_COMPLEXITY_COMPLEX     /**< complex */
} cjm_complexity;

/** Value of a contact to the customer (#CJM_ATTR_VALUE). */
typedef enum cjm_value {
    CJM_VALUE_NONE = 0, /**< no value: a candidate to remove */
    CJM_VALUE_LOW,      /**< low */
    CJM_VALUE_MEDIUM,   /**< medium */
    CJM_VALUE_HIGH      /**< high */
} cjm_value;

/** Emotional needs (#CJM_ATTR_NEED). */
typedef enum cjm_need {
    CJM_NEED_SAFETY = 0, /**< physical safety */
    CJM_NEED_SECURITY,   /**< security: money, data, livelihood */
    CJM_NEED_CERTAINTY,  /**< certainty: knowing what happens next */
    CJM_NEED_TRUST       /**< trust in the company */
} cjm_need;

/** Kinds of gap (#CJM_ATTR_GAP_KIND). */
typedef enum cjm_gap_kind {
    CJM_GAP_EXPERIENCE = 0, /**< perceived below expected */
    CJM_GAP_DEVIATION       /**< the actual journey departs from the planned one */
} cjm_gap_kind;

/** Quality dimensions of an experience gap (#CJM_ATTR_DIMENSION). */
typedef enum cjm_dimension {
    CJM_DIMENSION_SPEED = 0,   /**< tempo: answers within a reasonable time */
    CJM_DIMENSION_RELIABILITY, /**< open, proactive; promises kept */
    CJM_DIMENSION_CARE         /**< competent, personal, simple, empathetic */
} cjm_dimension;

/** Deviations of an actual journey from the planned one (#CJM_ATTR_DEVIATION). */
typedef enum cjm_deviation {
    CJM_DEVIATION_MISSING = 0, /**< a planned touchpoint did not happen */
    CJM_DEVIATION_FAILING,     /**< it happened and failed */
    CJM_DEVIATION_ADHOC,       /**< an unplanned touchpoint appeared */
    CJM_DEVIATION_IRREGULAR    /**< touchpoints out of the planned order */
} cjm_deviation;

/** Conversion factors an opportunity serves (#CJM_ATTR_FACTOR). */
typedef enum cjm_factor {
    CJM_FACTOR_OFFER = 0, /**< the offer itself */
    CJM_FACTOR_TIMING,    /**< the timing */
    CJM_FACTOR_RELEVANCE  /**< relevance to the customer */
} cjm_factor;

/** Whether a journey is the designed one or the one that happened. */
typedef enum cjm_status {
    CJM_STATUS_PLANNED = 0, /**< what the company designed */
    CJM_STATUS_ACTUAL       /**< what happened, often mined from logs */
} cjm_status;

/**
 * A key performance indicator measured at a touchpoint. A touchpoint holds
 * a list of them; several with one name and different dates form a series.
 */
typedef struct cjm_kpi {
    const char *name;  /**< "CSAT", "NPS", "CES", "response-time", ...; required */
    double value;      /**< the measured value; finite */
    double target;     /**< the target; NaN when there is none */
    const char *date;  /**< ISO 8601 date ("2020-03-27") or date-time, or NULL */
} cjm_kpi;

/* ---- names of kinds, attributes and enumerations ---------------------- */

/** The name of a kind, as used in the XML format ("touchpoint"); NULL if out of range. */
CJM_EXTERN const char *cjm_kind_name(cjm_kind kind);
/** Looks a kind up by name. @return 0, or #CJM_ENOTFOUND. */
CJM_EXTERN int cjm_kind_lookup(const char *name, cjm_kind *out);
/** Whether items of `kind` are held by a journey (1) or by the map (0). */
CJM_EXTERN int cjm_kind_in_journey(cjm_kind kind);
/** Whether items of `kind` have attribute `attr`: 1 or 0. */
CJM_EXTERN int cjm_kind_has_attr(cjm_kind kind, cjm_attr attr);

/** The name of an attribute ("moment-of-truth"); NULL if out of range. */
CJM_EXTERN const char *cjm_attr_name(cjm_attr attr);
/** Looks an attribute up by name. @return 0, or #CJM_ENOTFOUND. */
CJM_EXTERN int cjm_attr_lookup(const char *name, cjm_attr *out);
/** The type of an attribute; -1 if out of range. */
CJM_EXTERN int cjm_attr_type(cjm_attr attr);

/**
 * The name of value `value` of an enumerated attribute ("self-service"),
 * or for flags "true"/"false". NULL when `attr` is not of type
 * #CJM_TYPE_INT or the value is out of range.
 */
CJM_EXTERN const char *cjm_enum_name(cjm_attr attr, int value);
/**
 * Looks up the value of an enumerated attribute (or flag) by name.
 * @return 0, or #CJM_ENOTFOUND when the name is not one of its values.
 */
CJM_EXTERN int cjm_enum_lookup(cjm_attr attr, const char *name, int *out);
/** How many values an enumerated attribute has (2 for flags); 0 if not an int attribute. */
CJM_EXTERN int cjm_enum_count(cjm_attr attr);

/* ---- the map ---------------------------------------------------------- */

/**
 * Creates an empty journey map.
 * @param out receives the new map; the caller owns it (cjm_map_free()).
 * @param allocator used for everything the map allocates; NULL for malloc.
 *        It is copied; the function it names must outlive the map.
 * @return 0, #CJM_EINVAL if `out` is NULL, or #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_map_new(cjm_map **out, const cjm_allocator *allocator);

/** Frees a map, its journeys and items. NULL does nothing. */
CJM_EXTERN void cjm_map_free(cjm_map *map);

/** The map's title; borrowed; NULL when unset. */
CJM_EXTERN const char *cjm_map_title(const cjm_map *map);
/** Sets (or with NULL, clears) the title. @return 0, #CJM_EINVAL, #CJM_ENOMEM. */
CJM_EXTERN int cjm_map_set_title(cjm_map *map, const char *title);
/** The map's description; borrowed; NULL when unset. */
CJM_EXTERN const char *cjm_map_description(const cjm_map *map);
/** Sets (or with NULL, clears) the description. @return 0, #CJM_EINVAL, #CJM_ENOMEM. */
CJM_EXTERN int cjm_map_set_description(cjm_map *map, const char *text);
/** The map's language tag ("sv", "nl-NL"); borrowed; NULL when unset. */
CJM_EXTERN const char *cjm_map_language(const cjm_map *map);
/** Sets (or with NULL, clears) the language tag. @return 0, #CJM_EINVAL, #CJM_ENOMEM. */
CJM_EXTERN int cjm_map_set_language(cjm_map *map, const char *tag);

/**
 * Adds a definition (actor, channel, persona or situation) at the end.
 * @param out receives the new item (borrowed); may be NULL.
 * @param id a non-empty id, unique in the map; NULL to have one made up.
 * @return 0; #CJM_EINVAL for a journey kind or a bad id (empty, invalid
 *         UTF-8, whitespace or control characters); #CJM_EEXISTS when the
 *         id is taken; #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_map_add(cjm_map *map, cjm_kind kind, const char *id, cjm_item **out);
/**
 * The definition with this id; borrowed; NULL if none (no error is
 * recorded). Journeys share the namespace but are found with
 * cjm_map_journey().
 */
CJM_EXTERN cjm_item *cjm_map_find(const cjm_map *map, const char *id);
/** The number of definitions of `kind` (0 for journey kinds). */
CJM_EXTERN size_t cjm_map_count(const cjm_map *map, cjm_kind kind);
/** The `index`-th definition of `kind`, in insertion order; borrowed; NULL past the end. */
CJM_EXTERN cjm_item *cjm_map_at(const cjm_map *map, cjm_kind kind, size_t index);
/**
 * Removes and frees a definition. References to it elsewhere are left as
 * they are and reported by cjm_map_validate() as dangling.
 * @return 0, or #CJM_EINVAL when `item` is not a definition of this map.
 */
CJM_EXTERN int cjm_map_remove(cjm_map *map, cjm_item *item);

/**
 * Adds an empty planned journey at the end.
 * @param out receives the journey (borrowed); may be NULL.
 * @param id unique among the map's ids; NULL to have one made up.
 * @return 0, #CJM_EINVAL, #CJM_EEXISTS or #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_map_add_journey(cjm_map *map, const char *id, cjm_journey **out);
/** The journey with this id; borrowed; NULL if none. */
CJM_EXTERN cjm_journey *cjm_map_journey(const cjm_map *map, const char *id);
/** The number of journeys. */
CJM_EXTERN size_t cjm_map_journey_count(const cjm_map *map);
/** The `index`-th journey in insertion order; borrowed; NULL past the end. */
CJM_EXTERN cjm_journey *cjm_map_journey_at(const cjm_map *map, size_t index);
/** Removes and frees a journey and its items. @return 0 or #CJM_EINVAL. */
CJM_EXTERN int cjm_map_remove_journey(cjm_map *map, cjm_journey *journey);

/* ---- journeys --------------------------------------------------------- */

/** The map that owns the journey; borrowed. */
CJM_EXTERN cjm_map *cjm_journey_map(const cjm_journey *journey);
/** The journey's id; borrowed; never NULL. */
CJM_EXTERN const char *cjm_journey_id(const cjm_journey *journey);
/** The journey's label; borrowed; NULL when unset. */
CJM_EXTERN const char *cjm_journey_label(const cjm_journey *journey);
/** Sets (or clears) the label. @return 0, #CJM_EINVAL, #CJM_ENOMEM. */
CJM_EXTERN int cjm_journey_set_label(cjm_journey *journey, const char *label);
/** The journey's description; borrowed; NULL when unset. */
CJM_EXTERN const char *cjm_journey_description(const cjm_journey *journey);
/** Sets (or clears) the description. @return 0, #CJM_EINVAL, #CJM_ENOMEM. */
CJM_EXTERN int cjm_journey_set_description(cjm_journey *journey, const char *text);
/** Planned or actual (#cjm_status); a new journey is planned. */
CJM_EXTERN cjm_status cjm_journey_status(const cjm_journey *journey);
/** Sets planned or actual. @return 0 or #CJM_EINVAL. */
CJM_EXTERN int cjm_journey_set_status(cjm_journey *journey, cjm_status status);
/** For an actual journey, the id of the planned journey it follows; borrowed; NULL when unset. */
CJM_EXTERN const char *cjm_journey_follows(const cjm_journey *journey);
/** Sets (or clears) the planned journey this one follows. @return 0, #CJM_EINVAL, #CJM_ENOMEM. */
CJM_EXTERN int cjm_journey_set_follows(cjm_journey *journey, const char *planned_id);
/** The id of the persona who travels the journey; borrowed; NULL when unset. */
CJM_EXTERN const char *cjm_journey_persona(const cjm_journey *journey);
/** Sets (or clears) the persona. @return 0, #CJM_EINVAL, #CJM_ENOMEM. */
CJM_EXTERN int cjm_journey_set_persona(cjm_journey *journey, const char *persona_id);

/**
 * Adds an item of a journey kind (stage, touchpoint, ...) at the end of its
 * kind's order.
 * @param out receives the new item (borrowed); may be NULL.
 * @param id unique in the journey; NULL to have one made up ("t1", "t2"...).
 * @return 0, #CJM_EINVAL (a map kind, a bad id), #CJM_EEXISTS, #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_journey_add(cjm_journey *journey, cjm_kind kind, const char *id,
                               cjm_item **out);
/** The journey's item with this id; borrowed; NULL if none (no error is recorded). */
CJM_EXTERN cjm_item *cjm_journey_find(const cjm_journey *journey, const char *id);
/** The number of items of `kind` in the journey (0 for map kinds). */
CJM_EXTERN size_t cjm_journey_count(const cjm_journey *journey, cjm_kind kind);
/** The `index`-th item of `kind` in order; borrowed; NULL past the end. */
CJM_EXTERN cjm_item *cjm_journey_at(const cjm_journey *journey, cjm_kind kind, size_t index);
/**
 * Moves an item to position `index` among the items of its kind (for
 * stages, this reorders the journey). An index past the end moves it last.
 * @return 0, or #CJM_EINVAL when the item is not in this journey.
 */
CJM_EXTERN int cjm_journey_move(cjm_journey *journey, cjm_item *item, size_t index);
/**
 * Removes and frees an item of the journey, with what depends on it:
 * - a touchpoint takes with it every transition from or to it;
 * - a touchpoint or transition takes with it the pain points and gaps
 *   whose target it is;
 * - a removed pain point or gap is dropped from every opportunity's links;
 *   an opportunity left without links stays.
 * Removing a stage leaves its touchpoints in place; their stage reference
 * dangles until set again (cjm_map_validate() reports it).
 * The cost is linear in the size of the journey.
 * @return 0, or #CJM_EINVAL when the item is not in this journey.
 */
CJM_EXTERN int cjm_journey_remove(cjm_journey *journey, cjm_item *item);

/* ---- items ------------------------------------------------------------ */

/** The item's kind. */
CJM_EXTERN cjm_kind cjm_item_kind(const cjm_item *item);
/** The item's id; borrowed; never NULL. */
CJM_EXTERN const char *cjm_item_id(const cjm_item *item);
/** The journey holding the item; NULL for definitions held by the map. */
CJM_EXTERN cjm_journey *cjm_item_journey(const cjm_item *item);
/** The item's position among the items of its kind in its container. */
CJM_EXTERN size_t cjm_item_index(const cjm_item *item);

/** Whether the attribute is set: 1 or 0 (also 0 when the kind lacks it). */
CJM_EXTERN int cjm_item_has(const cjm_item *item, cjm_attr attr);
/** Unsets an attribute (a list is emptied). @return 0, or #CJM_EINVAL when the kind lacks it. */
CJM_EXTERN int cjm_item_unset(cjm_item *item, cjm_attr attr);

/**
 * A text or reference attribute; borrowed; NULL when unset or when the
 * attribute is not text or reference or the kind lacks it.
 */
CJM_EXTERN const char *cjm_item_text(const cjm_item *item, cjm_attr attr);
/**
 * Sets a text or reference attribute; NULL unsets it. References are not
 * checked here (the target may be added later): see cjm_map_validate().
 * @return 0, #CJM_EINVAL (wrong attribute, bad UTF-8, an empty or
 *         malformed reference), #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_item_set_text(cjm_item *item, cjm_attr attr, const char *value);

/**
 * A number attribute.
 * @return 0, #CJM_ENOTFOUND when unset, #CJM_EINVAL when not a number
 *         attribute of this kind. `*out` is untouched on failure.
 */
CJM_EXTERN int cjm_item_number(const cjm_item *item, cjm_attr attr, double *out);
/** Sets a number attribute. @return 0, or #CJM_EINVAL (wrong attribute, NaN, infinity). */
CJM_EXTERN int cjm_item_set_number(cjm_item *item, cjm_attr attr, double value);

/**
 * A flag or enumeration attribute.
 * @return 0, #CJM_ENOTFOUND when unset, #CJM_EINVAL when not an int
 *         attribute of this kind.
 */
CJM_EXTERN int cjm_item_int(const cjm_item *item, cjm_attr attr, int *out);
/**
 * Sets a flag or enumeration attribute.
 * @return 0, or #CJM_EINVAL when not an int attribute of this kind or the
 *         value is not one of its values (cjm_enum_count()).
 */
CJM_EXTERN int cjm_item_set_int(cjm_item *item, cjm_attr attr, int value);

/** The number of ids in a list attribute (0 when empty or not a list). */
CJM_EXTERN size_t cjm_item_list_count(const cjm_item *item, cjm_attr attr);
/** The `index`-th id of a list attribute; borrowed; NULL past the end. */
CJM_EXTERN const char *cjm_item_list_at(const cjm_item *item, cjm_attr attr, size_t index);
/** Whether a list attribute holds `id`: 1 or 0. */
CJM_EXTERN int cjm_item_list_contains(const cjm_item *item, cjm_attr attr, const char *id);
/**
 * Appends an id to a list attribute. Adding an id already present does
 * nothing and succeeds.
 * @return 0, #CJM_EINVAL (not a list attribute of this kind, a bad id), #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_item_list_add(cjm_item *item, cjm_attr attr, const char *id);
/** Removes an id from a list attribute. @return 0, #CJM_ENOTFOUND, #CJM_EINVAL. */
CJM_EXTERN int cjm_item_list_remove(cjm_item *item, cjm_attr attr, const char *id);

/** The number of KPI measurements on a touchpoint (0 for other kinds). */
CJM_EXTERN size_t cjm_item_kpi_count(const cjm_item *item);
/**
 * The `index`-th KPI measurement, in insertion order. The structure and its
 * strings are borrowed until the touchpoint's KPIs change. NULL past the end.
 */
CJM_EXTERN const cjm_kpi *cjm_item_kpi_at(const cjm_item *item, size_t index);
/**
 * Appends a copy of a KPI measurement to a touchpoint.
 * @return 0; #CJM_EINVAL when the item is not a touchpoint, the name is
 *         empty or not UTF-8, the value is not finite, the target is
 *         infinite, or the date is not an ISO 8601 date or date-time;
 *         #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_item_kpi_add(cjm_item *item, const cjm_kpi *kpi);
/** Removes the `index`-th KPI measurement. @return 0 or #CJM_ENOTFOUND. */
CJM_EXTERN int cjm_item_kpi_remove(cjm_item *item, size_t index);

/**
 * Where the item was read from, when a reader made it (0 otherwise).
 * Any pointer may be NULL.
 */
CJM_EXTERN void cjm_item_location(const cjm_item *item, int *line, int *column);
/** Records where the item was read from; readers call this. */
CJM_EXTERN void cjm_item_set_location(cjm_item *item, int line, int column);

/* ---- validation ------------------------------------------------------- */

/** Severity of a problem found by validation. */
typedef enum cjm_severity {
    CJM_SEVERITY_WARNING = 0, /**< suspicious, but the document can be used */
    CJM_SEVERITY_ERROR        /**< wrong: analyses may give wrong answers */
} cjm_severity;

/** One problem found by cjm_map_validate(). All strings are borrowed from the list. */
typedef struct cjm_problem {
    cjm_severity severity; /**< error or warning */
    const char *code;      /**< a stable, machine-readable tag: "dangling-ref", "out-of-range", ... */
    const char *message;   /**< one sentence naming the item and what is wrong */
    const char *journey;   /**< the journey's id, or NULL for the map's definitions */
    const char *item;      /**< the item's id, or NULL */
    int line;              /**< where the item was read from, or 0 */
    int column;            /**< likewise */
} cjm_problem;

/** A list of problems. */
typedef struct cjm_problems cjm_problems;

/**
 * Checks a map: dangling references (to an unknown item or one of the
 * wrong kind), values out of range, touchpoints without a stage,
 * transitions that go back in the stage order (warnings, since loops are
 * legitimate), probabilities leaving a touchpoint that sum above 1, an
 * actual journey that follows no planned journey, malformed KPI dates.
 *
 * @param out receives the list, which the caller frees with
 *        cjm_problems_free(); it is empty when nothing is wrong.
 * @return 0 when the check ran (whatever it found), #CJM_EINVAL, #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_map_validate(const cjm_map *map, cjm_problems **out);
/** The number of problems. */
CJM_EXTERN size_t cjm_problems_count(const cjm_problems *problems);
/** The number of problems of severity #CJM_SEVERITY_ERROR. */
CJM_EXTERN size_t cjm_problems_errors(const cjm_problems *problems);
/** The `index`-th problem in the order found; borrowed; NULL past the end. */
CJM_EXTERN const cjm_problem *cjm_problems_at(const cjm_problems *problems, size_t index);
/** Frees a problem list. NULL does nothing. */
CJM_EXTERN void cjm_problems_free(cjm_problems *problems);

#ifdef __cplusplus
}
#endif

#endif
