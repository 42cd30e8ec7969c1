/* Names, types and ranges of kinds, attributes and enumerations. */
#include <math.h>
#include <string.h>

#include "model_access.h"
#include "model_internal.h"

#define K(k) (1u << (k))
#define ALL_KINDS ((1u << CJM_KIND_COUNT) - 1)
#define INF HUGE_VAL

const char *const cjm__kind_names[CJM_KIND_COUNT] = {
    "actor", "channel", "persona", "situation", "stage",
    "touchpoint", "transition", "painpoint", "gap", "opportunity",
};

static const char *const flag_values[] = {"false", "true", NULL};
static const char *const role_values[] = {"customer", "frontstage", "backstage", "partner",
                                          "system", NULL};
static const char *const channel_kind_values[] = {"self-service", "assisted", "human",
                                                  "physical", NULL};
static const char *const complexity_values[] = {"simple", "complex", NULL};
static const char *const value_values[] = {"none", "low", "medium", "high", NULL};
static const char *const need_values[] = {"safety", "security", "certainty", "trust", NULL};
static const char *const gap_kind_values[] = {"experience", "deviation", NULL};
static const char *const dimension_values[] = {"speed", "reliability", "care", NULL};
static const char *const deviation_values[] = {"missing", "failing", "ad-hoc", "irregular",
                                               NULL};
static const char *const factor_values[] = {"offer", "timing", "relevance", NULL};

#define TP K(CJM_TOUCHPOINT)
#define TR K(CJM_TRANSITION)

const cjm__attr_info cjm__attrs[CJM_ATTR_COUNT] = {
    [CJM_ATTR_LABEL] = {"label", CJM_TYPE_TEXT, ALL_KINDS, NULL, 0, 0},
    [CJM_ATTR_DESCRIPTION] = {"description", CJM_TYPE_TEXT, ALL_KINDS, NULL, 0, 0},
    [CJM_ATTR_ROLE] = {"role", CJM_TYPE_INT, K(CJM_ACTOR), role_values, 0, 0},
    [CJM_ATTR_CHANNEL_KIND] = {"kind", CJM_TYPE_INT, K(CJM_CHANNEL), channel_kind_values, 0, 0},
    [CJM_ATTR_CONTACT_FREE] = {"contact-free", CJM_TYPE_INT, K(CJM_CHANNEL), flag_values, 0, 0},
    [CJM_ATTR_STAGE] = {"stage", CJM_TYPE_REF, TP, NULL, 0, 0},
    [CJM_ATTR_CHANNEL] = {"channel", CJM_TYPE_REF, TP, NULL, 0, 0},
    [CJM_ATTR_INITIATOR] = {"initiator", CJM_TYPE_REF, TP, NULL, 0, 0},
    [CJM_ATTR_RECEIVER] = {"receiver", CJM_TYPE_REF, TP, NULL, 0, 0},
    [CJM_ATTR_OWNER] = {"owner", CJM_TYPE_TEXT, TP, NULL, 0, 0},
    [CJM_ATTR_MOMENT_OF_TRUTH] = {"moment-of-truth", CJM_TYPE_INT, TP, flag_values, 0, 0},
    [CJM_ATTR_COMPLEXITY] = {"complexity", CJM_TYPE_INT, TP, complexity_values, 0, 0},
    [CJM_ATTR_FREQUENCY] = {"frequency", CJM_TYPE_NUMBER, TP, NULL, 0, INF},
    [CJM_ATTR_VALUE] = {"value", CJM_TYPE_INT, TP, value_values, 0, 0},
    [CJM_ATTR_CAPACITY] = {"capacity", CJM_TYPE_NUMBER, TP, NULL, 0, INF},
    [CJM_ATTR_ENTRY] = {"entry", CJM_TYPE_NUMBER, TP, NULL, 0, INF},
    [CJM_ATTR_EXIT] = {"exit", CJM_TYPE_INT, TP, flag_values, 0, 0},
    [CJM_ATTR_EXPECTED] = {"expected", CJM_TYPE_NUMBER, TP | K(CJM_GAP), NULL, 1, 5},
    [CJM_ATTR_PERCEIVED] = {"perceived", CJM_TYPE_NUMBER, TP | K(CJM_GAP), NULL, 1, 5},
    [CJM_ATTR_EMOTION] = {"emotion", CJM_TYPE_NUMBER, TP, NULL, -2, 2},
    [CJM_ATTR_NEED] = {"need", CJM_TYPE_INT, TP | K(CJM_PAINPOINT) | K(CJM_GAP), need_values, 0,
                       0},
    [CJM_ATTR_SITUATIONS] = {"situations", CJM_TYPE_LIST, TP | TR, NULL, 0, 0},
    [CJM_ATTR_FROM] = {"from", CJM_TYPE_REF, TR, NULL, 0, 0},
    [CJM_ATTR_TO] = {"to", CJM_TYPE_REF, TR, NULL, 0, 0},
    [CJM_ATTR_VOLUME] = {"volume", CJM_TYPE_NUMBER, TR, NULL, 0, INF},
    [CJM_ATTR_PROBABILITY] = {"probability", CJM_TYPE_NUMBER, TR, NULL, 0, 1},
    [CJM_ATTR_DURATION] = {"duration", CJM_TYPE_NUMBER, TR, NULL, 0, INF},
    [CJM_ATTR_TARGET] = {"target", CJM_TYPE_REF, K(CJM_PAINPOINT) | K(CJM_GAP), NULL, 0, 0},
    [CJM_ATTR_SEVERITY] = {"severity", CJM_TYPE_NUMBER, K(CJM_PAINPOINT) | K(CJM_GAP), NULL, 1,
                           5},
    [CJM_ATTR_AFFECTED] = {"affected", CJM_TYPE_NUMBER, K(CJM_PAINPOINT), NULL, 0, INF},
    [CJM_ATTR_ROOT_CAUSE] = {"root-cause", CJM_TYPE_TEXT, K(CJM_PAINPOINT), NULL, 0, 0},
    [CJM_ATTR_GAP_KIND] = {"gap-kind", CJM_TYPE_INT, K(CJM_GAP), gap_kind_values, 0, 0},
    [CJM_ATTR_DIMENSION] = {"dimension", CJM_TYPE_INT, K(CJM_GAP), dimension_values, 0, 0},
    [CJM_ATTR_DEVIATION] = {"deviation", CJM_TYPE_INT, K(CJM_GAP), deviation_values, 0, 0},
    [CJM_ATTR_FACTOR] = {"factor", CJM_TYPE_INT, K(CJM_OPPORTUNITY), factor_values, 0, 0},
    [CJM_ATTR_LINKS] = {"links", CJM_TYPE_LIST, K(CJM_OPPORTUNITY), NULL, 0, 0},
};

const char *cjm_kind_name(cjm_kind kind)
{
    return ((int)kind >= 0 && kind < CJM_KIND_COUNT) ? cjm__kind_names[kind] : NULL;
}

int cjm_kind_lookup(const char *name, cjm_kind *out)
{
    for (int k = 0; name && k < CJM_KIND_COUNT; k++) {
        if (strcmp(name, cjm__kind_names[k]) == 0) {
            if (out)
                *out = (cjm_kind)k;
            return 0;
        }
    }
    return cjm__error(CJM_ENOTFOUND, "no kind of item is called '%s'", name ? name : "(null)");
}

int cjm_kind_in_journey(cjm_kind kind)
{
    return kind >= CJM_STAGE && kind < CJM_KIND_COUNT;
}

int cjm_kind_has_attr(cjm_kind kind, cjm_attr attr)
{
    if ((int)kind < 0 || kind >= CJM_KIND_COUNT || (int)attr < 0 || attr >= CJM_ATTR_COUNT)
        return 0;
    return (cjm__attrs[attr].kinds >> kind) & 1u;
}

const char *cjm_attr_name(cjm_attr attr)
{
    return ((int)attr >= 0 && attr < CJM_ATTR_COUNT) ? cjm__attrs[attr].name : NULL;
}

int cjm_attr_lookup(const char *name, cjm_attr *out)
{
    for (int a = 0; name && a < CJM_ATTR_COUNT; a++) {
        if (strcmp(name, cjm__attrs[a].name) == 0) {
            if (out)
                *out = (cjm_attr)a;
            return 0;
        }
    }
    return cjm__error(CJM_ENOTFOUND, "no attribute is called '%s'", name ? name : "(null)");
}

int cjm_attr_type(cjm_attr attr)
{
    return ((int)attr >= 0 && attr < CJM_ATTR_COUNT) ? (int)cjm__attrs[attr].type : -1;
}

int cjm_enum_count(cjm_attr attr)
{
    int n = 0;
    if ((int)attr < 0 || attr >= CJM_ATTR_COUNT || !cjm__attrs[attr].values)
        return 0;
    while (cjm__attrs[attr].values[n])
        n++;
    return n;
}

const char *cjm_enum_name(cjm_attr attr, int value)
{
    if (value < 0 || value >= cjm_enum_count(attr))
        return NULL;
    return cjm__attrs[attr].values[value];
}

int cjm__enum_find(cjm_attr attr, const char *name, size_t len)
{
    const char *const *v = cjm__attrs[attr].values;
    /* names differ in their first byte, mostly: compared first, inline */
    for (int i = 0; len && v[i]; i++)
        if (v[i][0] == name[0] && strncmp(v[i], name, len) == 0 && v[i][len] == '\0')
            return i;
    return -1;
}

int cjm_enum_lookup(cjm_attr attr, const char *name, int *out)
{
    int n = cjm_enum_count(attr);
    for (int i = 0; name && i < n; i++) {
        if (strcmp(name, cjm__attrs[attr].values[i]) == 0) {
            if (out)
                *out = i;
            return 0;
        }
    }
    if (n == 0)
        return cjm__error(CJM_ENOTFOUND, "attribute %d has no named values", (int)attr);
    return cjm__error(CJM_ENOTFOUND, "'%s' is not a value of %s", name ? name : "(null)",
                      cjm__attrs[attr].name);
}
