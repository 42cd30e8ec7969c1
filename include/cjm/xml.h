/**
 * @file cjm/xml.h
 * @brief Journey XML: reading and writing journey maps.
 *
 * Journey XML (namespace `urn:cjm:journey:1`, schema
 * `doc/schema/cjm-journey-1.xsd`) is the library's own format; the page
 * "Journey XML" (doc/journey-xml.md) describes every element and attribute.
 *
 * The readers treat their input as hostile: no DTD, entity, XInclude or
 * network access, and limits on size and nesting. Every rejection is
 * #CJM_EPARSE (or #CJM_ELIMIT, #CJM_EUNSUPPORTED, #CJM_EIO) with the input's
 * name, line and column in cjm_error_last().
 *
 * The writers are canonical: the same map always gives the same bytes, and
 * reading what was written and writing it again gives those bytes again.
 *
 * Threads: separate calls on separate maps may run on separate threads.
 */
#ifndef CJM_XML_H
#define CJM_XML_H

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Reader flag: leave problems of meaning (dangling references, values out
 * of range, a deviation without its kind...) in the map for
 * cjm_map_validate() to list, instead of failing the read on the first.
 */
#define CJM_XML_KEEP_PROBLEMS 0x1u

/** The version of #cjm_xml_read_options this header describes. */
#define CJM_XML_READ_OPTIONS_VERSION 1

/**
 * Options of the readers. Initialise with #CJM_XML_READ_OPTIONS_INIT and
 * change what you need; a zero limit means the default.
 */
typedef struct cjm_xml_read_options {
    unsigned version;               /**< #CJM_XML_READ_OPTIONS_VERSION */
    const cjm_allocator *allocator; /**< for the map and the reader's work; NULL for malloc */
    size_t max_size;                /**< bytes of input; 0 for 256 MiB */
    int max_depth;                  /**< element nesting; 0 for 64 */
    /** Bytes of one text or attribute value (namespace declarations included); 0 for 1 MiB. */
    size_t max_text;
    unsigned flags;                 /**< #CJM_XML_KEEP_PROBLEMS or 0 */
    const char *name;               /**< the input's name in errors for cjm_xml_read_memory()
                                         and cjm_xml_read_fd(); NULL for "(memory)" or "(fd)" */
} cjm_xml_read_options;

/** Default reader options: `cjm_xml_read_options o = CJM_XML_READ_OPTIONS_INIT;` */
#define CJM_XML_READ_OPTIONS_INIT {CJM_XML_READ_OPTIONS_VERSION, NULL, 0, 0, 0, 0u, NULL}

/**
 * Reads a journey map from a file. Nothing but `path` is opened.
 * @param out receives the map, which the caller frees with cjm_map_free();
 *        set to NULL on failure.
 * @param path the file's path; also the name used in errors.
 * @param options NULL for the defaults.
 * @return 0; #CJM_EINVAL (NULL arguments, an unknown options version),
 *         #CJM_EIO (cannot open or read), #CJM_EPARSE (rejected input),
 *         #CJM_ELIMIT, #CJM_EUNSUPPORTED (another format version) or
 *         #CJM_ENOMEM. On failure nothing is allocated.
 */
CJM_EXTERN int cjm_xml_read_file(cjm_map **out, const char *path,
                                 const cjm_xml_read_options *options);

/**
 * Reads a journey map from bytes in memory (`data` is not changed and need
 * not be NUL-terminated). Errors name the input `options->name`.
 * @return as cjm_xml_read_file().
 */
CJM_EXTERN int cjm_xml_read_memory(cjm_map **out, const void *data, size_t size,
                                   const cjm_xml_read_options *options);

/**
 * Reads a journey map from an open file descriptor, to its end. The
 * descriptor is not closed. Pipes and sockets work; the size limit bounds
 * what is read.
 * @return as cjm_xml_read_file().
 */
CJM_EXTERN int cjm_xml_read_fd(cjm_map **out, int fd, const cjm_xml_read_options *options);

/** The version of #cjm_xml_write_options this header describes. */
#define CJM_XML_WRITE_OPTIONS_VERSION 1

/** Options of the writers. Initialise with #CJM_XML_WRITE_OPTIONS_INIT. */
typedef struct cjm_xml_write_options {
    unsigned version;               /**< #CJM_XML_WRITE_OPTIONS_VERSION */
    const cjm_allocator *allocator; /**< for the output and the writer's work; NULL for malloc */
} cjm_xml_write_options;

/** Default writer options: `cjm_xml_write_options o = CJM_XML_WRITE_OPTIONS_INIT;` */
#define CJM_XML_WRITE_OPTIONS_INIT {CJM_XML_WRITE_OPTIONS_VERSION, NULL}

/**
 * Writes a map as canonical Journey XML into a buffer.
 * @param out receives the bytes; the caller frees them with
 *        cjm_buffer_free(). Left empty on failure.
 * @param map the map; not changed.
 * @param options NULL for the defaults.
 * @return 0, #CJM_EINVAL (NULL arguments, an unknown options version) or
 *         #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_xml_write_buffer(cjm_buffer *out, const cjm_map *map,
                                    const cjm_xml_write_options *options);

/**
 * Writes a map as canonical Journey XML to a file. The bytes go to a
 * temporary file in the same directory, which is synced and renamed over
 * `path`: on failure `path` is left as it was and no temporary remains.
 * @return 0, #CJM_EINVAL, #CJM_EIO (with the reason) or #CJM_ENOMEM.
 */
CJM_EXTERN int cjm_xml_write_file(const cjm_map *map, const char *path,
                                  const cjm_xml_write_options *options);

#ifdef __cplusplus
}
#endif

#endif
