/*
 * Internals of the diagram writers: the process-wide Graphviz lock and
 * context, label escaping, and the diagram builder, shared by the public
 * entry points, the tests and the benchmark.
 */
#ifndef CJM_RENDER_INTERNAL_H
#define CJM_RENDER_INTERNAL_H

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "cjm/render.h"
#include "core/core.h"

/*
 * cgraph and gvc keep global state and are not thread-safe, even for
 * separate graphs: every call into them happens between cjm__gv_lock()
 * and cjm__gv_unlock(). The lock is the library's one piece of
 * process-wide state, together with the Graphviz context below.
 */
void cjm__gv_lock(void);
void cjm__gv_unlock(void);

/*
 * The process's Graphviz context, created on first use and never freed
 * (each context leaks a few kilobytes inside Graphviz when freed, so one
 * is made and reused). NULL, with an error recorded, when Graphviz cannot
 * start. Call with the lock held.
 */
GVC_t *cjm__gv_context(void);

/*
 * While the lock is held, Graphviz's messages are captured instead of
 * going to stderr: cjm__gv_capture_begin() installs the capture and
 * clears it, cjm__gv_capture_end() restores the previous handler and
 * returns the last error or warning Graphviz reported during the
 * capture ("" when none). The text lives in thread-local storage until
 * the next capture on the thread.
 */
void cjm__gv_capture_begin(void);
const char *cjm__gv_capture_end(void);

/*
 * Appends `text` to `b` escaped for a Graphviz escString label: "\" is
 * doubled, a line feed (or CR LF, or a lone CR) becomes "\n", and
 * everything else is copied. The text must already be checked with
 * cjm__text_ok(). With `max_chars` > 0, text longer than that many
 * characters is cut at a character boundary and ends in "…".
 */
int cjm__gv_escape(cjm__buf *b, const char *text, size_t max_chars);

/*
 * Builds the diagram of a journey as a cgraph graph. Call with the lock
 * held; close the graph with agclose(), also with the lock held.
 * `o` is the caller's options (NULL for the defaults), checked here.
 * Temporary memory comes from `o->allocator`, and so does the graph's
 * table of subgraph ids, which agclose() frees: the allocator must outlive
 * the graph. The graph itself comes from Graphviz's malloc.
 */
int cjm__diagram_build(const cjm_map *map, const cjm_render_options *o, Agraph_t **out);

/* Writes a graph built by cjm__diagram_build() as DOT text (lock held). */
int cjm__diagram_write_dot(Agraph_t *g, cjm__buf *b);

/*
 * Checks a caller's options and fills `o` with them (or the defaults),
 * and finds the journey they name. Records the error and returns it when
 * they are unusable.
 */
int cjm__render_prepare(const cjm_map *map, const cjm_render_options *in,
                        cjm_render_options *o, const cjm_journey **journey);

/* Whether a touchpoint or transition is met in situation `sit` (NULL: always). */
int cjm__render_in_situation(const cjm_item *item, const char *sit);

#endif
