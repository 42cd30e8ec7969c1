/*
 * Conformance of a log with a planned journey: every case is labelled by
 * the analysis module's per-case checker as the log streams past, and the
 * deviations are added up per kind, per planned touchpoint and per
 * unplanned activity.
 */
#include <stdlib.h>
#include <string.h>

#include "cjm/analysis.h"
#include "xes/reader.h"

typedef struct adhoc {
    const char *name;
    unsigned long long count;
} adhoc;

struct cjm_mine_conformance {
    cjm_allocator alloc;
    cjm_mine_result *result;
    unsigned long long cases, fitting, skipped;
    unsigned long long total[4], cases_with[4];
    unsigned long long (*tp)[4]; /* per planned touchpoint */
    size_t ntp;
    adhoc *adhoc;                /* sorted by name, count > 0 */
    size_t nadhoc;
};

typedef struct ctx {
    cjm_mine_conformance *c;
    const cjm_mine_conformance_options *o;
    const cjm_journey *planned;
    cjm_conformance *checker;
    /* per activity of the reader's (insertion-ordered) table */
    const char **ids;        /* the touchpoint id it stands for */
    const char **names;
    unsigned long long *adhoc;
    size_t nacts, capacts;
    const char **caseids;    /* scratch: the ids of one case */
    size_t capcase;
} ctx;

static const char *touchpoint_for(const ctx *x, const char *name)
{
    const cjm_journey *j = x->planned;
    cjm_item *tp;
    for (size_t i = 0; i < x->o->mapping_count; i++)
        if (strcmp(x->o->activities[i], name) == 0)
            return x->o->touchpoints[i];
    tp = cjm_journey_find(j, name);
    if (tp && cjm_item_kind(tp) == CJM_TOUCHPOINT)
        return name;
    for (size_t i = 0; i < cjm_journey_count(j, CJM_TOUCHPOINT); i++) {
        const char *label;
        tp = cjm_journey_at(j, CJM_TOUCHPOINT, i);
        label = cjm_item_text(tp, CJM_ATTR_LABEL);
        if (label && strcmp(label, name) == 0)
            return cjm_item_id(tp);
    }
    return name; /* not planned: the checker labels it ad hoc */
}

/* Learns the activities the reader added since the last case. */
static int learn(ctx *x, const cjm_mine_result *r)
{
    const cjm_allocator *a = &x->c->alloc;
    if (r->nacts > x->capacts) {
        size_t cap = x->capacts ? x->capacts : 16;
        const char **ids, **names;
        unsigned long long *ad;
        while (cap < r->nacts)
            cap *= 2;
        if (!(ids = cjm__realloc(a, x->ids, cap * sizeof *ids)))
            return CJM_ENOMEM;
        x->ids = ids;
        if (!(names = cjm__realloc(a, x->names, cap * sizeof *names)))
            return CJM_ENOMEM;
        x->names = names;
        if (!(ad = cjm__realloc(a, x->adhoc, cap * sizeof *ad)))
            return CJM_ENOMEM;
        x->adhoc = ad;
        x->capacts = cap;
    }
    for (; x->nacts < r->nacts; x->nacts++) {
        x->names[x->nacts] = r->acts[x->nacts]->name;
        x->ids[x->nacts] = touchpoint_for(x, r->acts[x->nacts]->name);
        x->adhoc[x->nacts] = 0;
    }
    return 0;
}

static int on_trace(void *ud, const cjm_mine_result *r, const char *case_id,
                    const unsigned *seq, size_t len, int truncated)
{
    ctx *x = ud;
    cjm_mine_conformance *c = x->c;
    unsigned long long counts[4] = {0, 0, 0, 0};
    size_t n;
    int rc;

    if (truncated) {
        c->skipped++;
        return 0;
    }
    if ((rc = learn(x, r)) < 0)
        return rc;
    if (len > x->capcase) {
        size_t cap = x->capcase ? x->capcase * 2 : 64;
        const char **p;
        while (cap < len)
            cap *= 2;
        if (!(p = cjm__realloc(&c->alloc, x->caseids, cap * sizeof *p)))
            return CJM_ENOMEM;
        x->caseids = p;
        x->capcase = cap;
    }
    for (size_t i = 0; i < len; i++)
        x->caseids[i] = x->ids[seq[i]];
    if ((rc = cjm_conformance_check(x->checker, x->caseids, len)) < 0)
        return rc;
    n = cjm_conformance_count(x->checker);
    for (size_t i = 0; i < n; i++) {
        const cjm_case_deviation *d = cjm_conformance_at(x->checker, i);
        unsigned k = (unsigned)d->kind;
        if (k > 3)
            continue;
        counts[k]++;
        if (d->kind == CJM_DEVIATION_ADHOC) {
            if (d->position < len)
                x->adhoc[seq[d->position]]++;
        } else if (d->index < c->ntp) {
            c->tp[d->index][k]++;
        }
    }
    c->cases++;
    if (n == 0)
        c->fitting++;
    for (unsigned k = 0; k < 4; k++) {
        c->total[k] += counts[k];
        c->cases_with[k] += counts[k] > 0;
    }
    if (x->o->on_case)
        x->o->on_case(x->o->case_ud, case_id, counts);
    return 0;
}

static int cmp_adhoc(const void *a, const void *b)
{
    return strcmp(((const adhoc *)a)->name, ((const adhoc *)b)->name);
}

static int conform(cjm_mine_conformance **out, const char *path, const void *data, size_t size,
                   const char *name, const cjm_journey *planned,
                   const cjm_mine_conformance_options *options, const cjm_allocator *allocator)
{
    cjm_mine_conformance_options defaults = CJM_MINE_CONFORMANCE_OPTIONS_INIT;
    cjm_conformance_options copt = CJM_CONFORMANCE_OPTIONS_INIT;
    const cjm_allocator *a = cjm__alloc_or_default(allocator);
    xes_read_hooks hooks;
    cjm_mine_conformance *c;
    ctx x;
    int rc;

    if (!out || !planned)
        return cjm__error(CJM_EINVAL, "cjm_mine_conform: NULL argument");
    if (!options)
        options = &defaults;
    if (options->version != CJM_MINE_CONFORMANCE_OPTIONS_VERSION)
        return cjm__error(CJM_EINVAL, "unknown cjm_mine_conformance_options version %u",
                          options->version);
    if (options->mapping_count && (!options->activities || !options->touchpoints))
        return cjm__error(CJM_EINVAL, "a mapping count without mapping arrays");
    for (size_t i = 0; i < options->mapping_count; i++)
        if (!options->activities[i] || !options->touchpoints[i] || !*options->touchpoints[i])
            return cjm__error(CJM_EINVAL, "mapping entry %zu is NULL or empty", i);
    if (!(c = cjm__calloc(a, 1, sizeof *c)))
        return CJM_ENOMEM;
    c->alloc = *a;
    c->ntp = cjm_journey_count(planned, CJM_TOUCHPOINT);
    if (c->ntp && !(c->tp = cjm__calloc(a, c->ntp, sizeof *c->tp))) {
        cjm__free(a, c);
        return CJM_ENOMEM;
    }
    memset(&x, 0, sizeof x);
    x.c = c;
    x.o = options;
    x.planned = planned;
    copt.allocator = a;
    if ((rc = cjm_conformance_new(&x.checker, planned, &copt)) < 0)
        goto done;
    hooks.ud = &x;
    hooks.trace = on_trace;
    rc = xes_read(&c->result, path, data, size, name, options->mine, a, &hooks);
    if (rc < 0)
        goto done;
    for (size_t i = 0; i < x.nacts; i++)
        c->nadhoc += x.adhoc[i] > 0;
    if (c->nadhoc && !(c->adhoc = cjm__malloc(a, c->nadhoc * sizeof *c->adhoc))) {
        rc = CJM_ENOMEM;
        goto done;
    }
    c->nadhoc = 0;
    for (size_t i = 0; i < x.nacts; i++) {
        if (x.adhoc[i]) {
            c->adhoc[c->nadhoc].name = x.names[i];
            c->adhoc[c->nadhoc++].count = x.adhoc[i];
        }
    }
    if (c->nadhoc)
        qsort(c->adhoc, c->nadhoc, sizeof *c->adhoc, cmp_adhoc);
done:
    cjm_conformance_free(x.checker);
    cjm__free(a, x.ids);
    cjm__free(a, x.names);
    cjm__free(a, x.adhoc);
    cjm__free(a, x.caseids);
    if (rc < 0) {
        cjm__saved_error saved;
        cjm__error_save(&saved);
        cjm_mine_conformance_free(c);
        cjm__error_restore(&saved);
        return rc;
    }
    *out = c;
    return 0;
}

int cjm_mine_conform_file(cjm_mine_conformance **out, const char *path,
                          const cjm_journey *planned, const cjm_mine_conformance_options *options,
                          const cjm_allocator *allocator)
{
    if (!path)
        return cjm__error(CJM_EINVAL, "cjm_mine_conform_file: path is NULL");
    return conform(out, path, NULL, 0, NULL, planned, options, allocator);
}

int cjm_mine_conform_memory(cjm_mine_conformance **out, const void *data, size_t size,
                            const char *name, const cjm_journey *planned,
                            const cjm_mine_conformance_options *options,
                            const cjm_allocator *allocator)
{
    if (!data && size)
        return cjm__error(CJM_EINVAL, "cjm_mine_conform_memory: data is NULL");
    return conform(out, NULL, data ? data : "", size, name, planned, options, allocator);
}

void cjm_mine_conformance_free(cjm_mine_conformance *c)
{
    if (!c)
        return;
    cjm_mine_result_free(c->result);
    cjm__free(&c->alloc, c->tp);
    cjm__free(&c->alloc, c->adhoc);
    cjm__free(&c->alloc, c);
}

unsigned long long cjm_mine_conformance_cases(const cjm_mine_conformance *c)
{
    return c ? c->cases : 0;
}

unsigned long long cjm_mine_conformance_fitting(const cjm_mine_conformance *c)
{
    return c ? c->fitting : 0;
}

unsigned long long cjm_mine_conformance_skipped(const cjm_mine_conformance *c)
{
    return c ? c->skipped : 0;
}

unsigned long long cjm_mine_conformance_total(const cjm_mine_conformance *c, cjm_deviation kind)
{
    return c && (unsigned)kind < 4 ? c->total[kind] : 0;
}

unsigned long long cjm_mine_conformance_cases_with(const cjm_mine_conformance *c,
                                                   cjm_deviation kind)
{
    return c && (unsigned)kind < 4 ? c->cases_with[kind] : 0;
}

unsigned long long cjm_mine_conformance_touchpoint(const cjm_mine_conformance *c,
                                                   size_t touchpoint, cjm_deviation kind)
{
    if (!c || touchpoint >= c->ntp || (unsigned)kind >= 4)
        return 0;
    return c->tp[touchpoint][kind];
}

size_t cjm_mine_conformance_adhoc_count(const cjm_mine_conformance *c)
{
    return c ? c->nadhoc : 0;
}

int cjm_mine_conformance_adhoc_at(const cjm_mine_conformance *c, size_t index, const char **name,
                                  unsigned long long *count)
{
    if (!c || !name || !count)
        return cjm__error(CJM_EINVAL, "cjm_mine_conformance_adhoc_at: NULL argument");
    if (index >= c->nadhoc)
        return cjm__error(CJM_ENOTFOUND, "no unplanned activity %zu: there are %zu", index,
                          c->nadhoc);
    *name = c->adhoc[index].name;
    *count = c->adhoc[index].count;
    return 0;
}

const cjm_mine_result *cjm_mine_conformance_result(const cjm_mine_conformance *c)
{
    return c ? c->result : NULL;
}
