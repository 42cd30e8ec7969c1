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
 * is made and reused). Never NULL: Graphviz aborts the process when it
 * cannot allocate its context. Call with the lock held.
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
 * Writes a DOT name or value in double quotes, with a backslash before each
 * quote (values come escaped already but for their quotes).
 */
void cjm__dot_quoted(cjm__buf *b, const char *s);

/*
 * A diagram recorded without Graphviz (dgraph.c): subgraphs (clusters),
 * nodes and edges, numbered from 0 in the order they are made, and their
 * attribute values. Attributes are numbered per kind by the table given
 * to cjm__dg_open(). It is written as DOT with cjm__dg_write_dot(), which
 * needs no lock, or made into a cgraph graph with cjm__dg_to_cgraph().
 * Recording stops at the first allocation that fails: `failed` is set,
 * the functions that make objects return -1, and the writers refuse.
 */
enum { CJM__DG_GRAPH, CJM__DG_NODE, CJM__DG_EDGE, CJM__DG_KINDS };
#define CJM__DG_MAX_ATTRS 16

/* An attribute's name and default; both static strings. */
typedef struct cjm__dg_attr {
    const char *name, *def;
} cjm__dg_attr;

typedef struct cjm__dg_chunk cjm__dg_chunk;

typedef struct cjm__dgraph {
    const cjm_allocator *a;
    const char *name;                          /* the root graph's */
    const cjm__dg_attr *attrs[CJM__DG_KINDS];  /* declared, in declaration order */
    size_t nattrs[CJM__DG_KINDS];
    const char *root[CJM__DG_MAX_ATTRS];       /* the root graph's values */
    size_t nsub, nnode, nedge, nlog;
    size_t cap_sub, cap_node, cap_edge, cap_log;
    const char **sub_name, **sub_val;          /* sub_val: nattrs[GRAPH] per subgraph */
    const char **node_name, **node_val;        /* node_val: nattrs[NODE] per node, NULL: default */
    long *node_sub;                            /* the subgraph holding a node, -1: none */
    size_t *edge_end;                          /* tail and head per edge */
    const char **edge_val;                     /* nattrs[EDGE] per edge, NULL: default */
    /* graph-level steps in order: a subgraph made (attr -1) or a value set */
    struct cjm__dg_step {
        long sub; /* -1: the root graph */
        int attr;
        const char *value;
    } *log;
    cjm__dg_chunk *text;                       /* copies of names and values */
    int failed;
} cjm__dgraph;

/*
 * Starts a directed graph named `name` with the attributes of each kind
 * declared in `attrs` (which must outlive the record). 0 or CJM_ENOMEM;
 * call cjm__dg_free() either way.
 */
int cjm__dg_open(cjm__dgraph *d, const cjm_allocator *a, const char *name,
                 const cjm__dg_attr *const attrs[CJM__DG_KINDS], const size_t count[CJM__DG_KINDS]);
void cjm__dg_free(cjm__dgraph *d);
/* A subgraph of the root graph, starting from the root's current values; -1 on failure. */
long cjm__dg_subgraph(cjm__dgraph *d, const char *name);
/* A node in subgraph `sub` (-1: the root); its name must be new. -1 on failure. */
long cjm__dg_node(cjm__dgraph *d, long sub, const char *name);
/* An edge; -1 on failure or when an end is -1. */
long cjm__dg_edge(cjm__dgraph *d, long tail, long head);
/*
 * Sets attribute `attr` of object `obj` of `kind` (for a graph, -1 is the
 * root) to a copy of `value`, which is escaped for Graphviz already.
 * Does nothing for an object of -1 (other than the root).
 */
void cjm__dg_set(cjm__dgraph *d, int kind, long obj, int attr, const char *value);
/* Appends the DOT text of the record: what cjm__diagram_write_dot() writes of its graph. */
int cjm__dg_write_dot(const cjm__dgraph *d, cjm__buf *b);
/*
 * Makes the record into a cgraph graph, making the same calls in the same
 * order as it was recorded (lock held). The graph's table of subgraph ids
 * comes from the record's allocator and is freed by agclose(): the
 * allocator must outlive the graph.
 */
int cjm__dg_to_cgraph(const cjm__dgraph *d, Agraph_t **out);

/*
 * Records the diagram of a journey. `o` is the caller's options (NULL
 * for the defaults), checked here; memory comes from `o->allocator`.
 * Call cjm__dg_free() on success and on failure.
 */
int cjm__diagram_record(const cjm_map *map, const cjm_render_options *o, cjm__dgraph *out);

/*
 * Writes the diagram of a journey as DOT text straight from the model,
 * without Graphviz and so without the lock.
 */
int cjm__diagram_dot(const cjm_map *map, const cjm_render_options *o, cjm__buf *b);

/*
 * Builds the diagram of a journey as a cgraph graph, for layout. Call with
 * the lock held; close the graph with agclose(), also with the lock held.
 * `o` is the caller's options (NULL for the defaults), checked here.
 * Temporary memory comes from `o->allocator`, and so does the graph's
 * table of subgraph ids, which agclose() frees: the allocator must outlive
 * the graph. The graph itself comes from Graphviz's malloc.
 */
int cjm__diagram_build(const cjm_map *map, const cjm_render_options *o, Agraph_t **out);

/*
 * Writes a cgraph graph as DOT text (lock held): the writer the DOT export
 * must agree with byte for byte for a graph of cjm__diagram_build(); the
 * tests hold the two together.
 */
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
