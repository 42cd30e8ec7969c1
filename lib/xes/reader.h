/* The streaming XES reader, with a hook for callers that look at whole traces. */
#ifndef CJM_XES_READER_H
#define CJM_XES_READER_H

#include "xes/xes.h"

typedef struct xes_read_hooks {
    void *ud;
    /*
     * Called at the end of every trace with its case id (NULL when it has
     * none), and the activity indices of its mined events, in order, into
     * `r`'s current (not yet canonical) activity table; `truncated` is set
     * when the trace was longer than the variant length limit and `seq`
     * holds its beginning only. A negative return stops the reading.
     */
    int (*trace)(void *ud, const cjm_mine_result *r, const char *case_id,
                 const unsigned *seq, size_t len, int truncated);
} xes_read_hooks;

/*
 * Reads a log from `path`, or when `path` is NULL from `data`/`size`
 * (named `name` in errors), and mines it. `hooks` is NULL, or has its
 * trace callback set.
 */
int xes_read(cjm_mine_result **out, const char *path, const void *data, size_t size,
             const char *name, const cjm_mine_options *options, const cjm_allocator *allocator,
             const xes_read_hooks *hooks);

#endif
