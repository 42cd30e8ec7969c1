/**
 * @file cjm/render.h
 * @brief Diagrams: Graphviz export and rendering, Mermaid export.
 *
 * A journey is drawn as a Graphviz graph (DOT is written by cjm itself;
 * the other formats are laid out and drawn by cgraph and gvc):
 *
 * - each **stage** is a cluster, laid out in stage order along the rank
 *   direction (left to right by default); touchpoints without a known
 *   stage sit outside the clusters;
 * - a touchpoint's **shape** follows the kind of its channel: a rounded
 *   box for self-service digital, an ellipse for assisted digital, a
 *   hexagon for a person, a 3-D box for physical channels and a plain box
 *   when the channel is unknown;
 * - its **fill colour** follows the perceived score, rounded to a whole
 *   number from 1 to 5, on ColorBrewer's five-class RdYlBu scale
 *   (`#d7191c` `#fdae61` `#ffffbf` `#abd9e9` `#2c7bb6`, red for 1, blue
 *   for 5), which stays readable with the common forms of colour
 *   blindness; light grey means "no score";
 * - a **moment of truth** has a double, heavier border and a "★" before
 *   its label;
 * - **pain points** and **gaps** add a line with their severity to the
 *   label of their touchpoint or transition ("pain 4/5: ...", "gap 3/5
 *   (speed): ..."), and their details appear in the SVG tooltip;
 * - **deviations** are drawn by kind: missing dashed, failing with a red
 *   (vermilion) border, ad hoc with a heavy blue border, irregular with a
 *   purple border and a "↯" flag; a missing deviation whose target is not
 *   in the journey (a planned touchpoint that did not happen) is drawn as
 *   a dashed, unfilled node, in its planned stage when the journey follows
 *   a planned one that has it;
 * - a **transition's** width grows with the square root of its volume
 *   relative to the largest volume (or, without a volume, of its
 *   probability); its label gives the volume (or the probability) and the
 *   typical duration; transitions back to an earlier stage or touchpoint
 *   do not pull the stages out of order;
 * - the title is the map's title and the journey's label; a legend
 *   shows sample nodes for the colours, shapes and marks.
 *
 * One map gives the same DOT, SVG and PNG bytes on every call; a PDF
 * differs only in the creation date that cairo writes into it.
 *
 * Text from the model never reaches the graph unescaped: backslashes,
 * quotes and line breaks are escaped for Graphviz labels, and attribute
 * names and values come only from the library's own fixed list, so no
 * input can make Graphviz open a file.
 *
 * Threads: cgraph and gvc are not thread-safe, even for separate graphs.
 * Every function here holds one process-wide lock while it calls into
 * Graphviz, so they may be called from several threads at once (the calls
 * then take turns; DOT and Mermaid export call no Graphviz function and
 * take no lock). Code elsewhere in the process that uses Graphviz
 * directly is not covered by that lock. The Graphviz context is created
 * on first use and kept until the process ends.
 */
#ifndef CJM_RENDER_H
#define CJM_RENDER_H

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Output formats of cjm_render() and cjm_render_file(). */
typedef enum cjm_render_format {
    CJM_RENDER_DOT = 0, /**< Graphviz DOT text, before layout */
    CJM_RENDER_SVG,     /**< SVG, laid out by `dot` */
    CJM_RENDER_PNG,     /**< PNG image */
    CJM_RENDER_PDF,     /**< PDF document */
    CJM_RENDER_FORMAT_COUNT /**< the number of formats */
} cjm_render_format;

/** Which annotations a diagram shows: bits of cjm_render_options.annotations. */
typedef enum cjm_render_annotations {
    CJM_ANNOTATE_NONE = 0,    /**< neither pain points nor gaps */
    CJM_ANNOTATE_PAIN = 1,    /**< pain points */
    CJM_ANNOTATE_GAPS = 2,    /**< gaps: experience gaps and deviations */
    CJM_ANNOTATE_ALL = 3      /**< both */
} cjm_render_annotations;

/** The direction in which stages follow each other. */
typedef enum cjm_render_direction {
    CJM_DIRECTION_LR = 0, /**< left to right */
    CJM_DIRECTION_TB      /**< top to bottom */
} cjm_render_direction;

/** The version of #cjm_render_options this header describes. */
#define CJM_RENDER_OPTIONS_VERSION 1

/**
 * Options of the drawing functions. Initialise with
 * #CJM_RENDER_OPTIONS_INIT and change what you need, so that a program
 * built against this header keeps working when members are added.
 */
typedef struct cjm_render_options {
    /** #CJM_RENDER_OPTIONS_VERSION */
    unsigned version;
    /** The id of the journey to draw; NULL for the map's first journey. */
    const char *journey;
    /**
     * The id of a situation (a #CJM_SITUATION of the map) to view the
     * journey for: only touchpoints and transitions whose situation list
     * is empty or names it are drawn, and only transitions whose two ends
     * are drawn. NULL draws everything.
     */
    const char *situation;
    /** A combination of #cjm_render_annotations bits; default all. */
    unsigned annotations;
    /** Where the stages go; default #CJM_DIRECTION_LR. */
    cjm_render_direction direction;
    /** Non-zero to draw the legend (default 1). */
    int legend;
    /**
     * Allocates the bytes handed back in a #cjm_buffer; NULL for malloc.
     * Graphviz itself allocates with malloc whatever is given here.
     */
    const cjm_allocator *allocator;
} cjm_render_options;

/** Default options: first journey, every situation, all annotations, left to right, legend. */
#define CJM_RENDER_OPTIONS_INIT \
    {CJM_RENDER_OPTIONS_VERSION, NULL, NULL, CJM_ANNOTATE_ALL, CJM_DIRECTION_LR, 1, NULL}

/**
 * The usual file extension and format name ("dot", "svg", "png", "pdf");
 * static; NULL when out of range.
 */
CJM_EXTERN const char *cjm_render_format_name(cjm_render_format format);

/**
 * Looks a format up by its name or file extension, ignoring case ("svg",
 * "gv" and "dot" for DOT).
 * @return 0, #CJM_EINVAL for NULL arguments, or #CJM_EUNSUPPORTED when the
 *         name is not a format this library renders.
 */
CJM_EXTERN int cjm_render_format_lookup(const char *name, cjm_render_format *out);

/**
 * Draws a journey into memory.
 *
 * @param map the journey map; only read.
 * @param format the output format.
 * @param options NULL for the defaults.
 * @param out receives the bytes, allocated with `options->allocator`; the
 *        caller owns them and frees them with cjm_buffer_free(). On failure
 *        it is left empty. DOT and SVG are UTF-8 text.
 * @return 0; #CJM_EINVAL for NULL arguments, a format out of range or an
 *         options version this library does not know; #CJM_ENOTFOUND when
 *         the map has no journeys or the journey or situation asked for
 *         does not exist; #CJM_EINVAL when the map holds text Graphviz
 *         cannot take; #CJM_ENOMEM; #CJM_ERROR when Graphviz fails (its
 *         message is in cjm_error_last()).
 */
CJM_EXTERN int cjm_render(const cjm_map *map, cjm_render_format format,
                          const cjm_render_options *options, cjm_buffer *out);

/**
 * Draws a journey into a file, which is replaced atomically: either the
 * whole new diagram is there afterwards or the old file is untouched.
 * @param path the file to write (created or replaced).
 * @return what cjm_render() returns, or #CJM_EIO when the file cannot be
 *         written.
 */
CJM_EXTERN int cjm_render_file(const cjm_map *map, cjm_render_format format,
                               const cjm_render_options *options, const char *path);

/**
 * Writes a journey as a Mermaid `journey` diagram:
 *
 * - `title`: the map's title and the journey's label (or id);
 * - one `section` per stage, in order, with its touchpoints as tasks;
 *   touchpoints without a known stage come last under "Other";
 * - each task's score is the perceived score rounded to 1..5; a
 *   touchpoint without a perceived score is given 3, the neutral middle,
 *   and its task name ends in " (no score)";
 * - the actors of a task are the labels (or ids) of its initiator and
 *   receiver.
 *
 * Mermaid reads `:` `;` and `#` as syntax in these places, so they are
 * written as Mermaid's entity codes `#58;` `#59;` and `#35;` (shown as
 * the characters themselves), a comma inside an actor's name as `#44;`,
 * and line breaks as spaces. The situation and journey options apply as for
 * cjm_render(); the others are ignored.
 *
 * @param out receives UTF-8 text; the caller owns it (cjm_buffer_free()).
 * @return 0, #CJM_EINVAL, #CJM_ENOTFOUND (as for cjm_render()), #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_render_mermaid(const cjm_map *map, const cjm_render_options *options,
                                  cjm_buffer *out);

/**
 * Like cjm_render_mermaid(), into a file replaced atomically.
 * @return what cjm_render_mermaid() returns, or #CJM_EIO.
 */
CJM_EXTERN int cjm_render_mermaid_file(const cjm_map *map, const cjm_render_options *options,
                                       const char *path);

#ifdef __cplusplus
}
#endif

#endif
