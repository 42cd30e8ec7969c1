/*
 * Hostile inputs for the XML readers, made at test time (the large ones
 * would not belong in the repository): entity bombs, external entities and
 * DTDs, XInclude, deep nesting, huge attribute lists and values, a gzip
 * bomb, broken encodings, truncated and empty files, not XML at all and
 * the wrong root element.
 *
 * Each input is written for one of two dialects, which differ only in the
 * root element: a journey map document or an XES event log.
 */
#ifndef CJM_TEST_HOSTILE_GEN_H
#define CJM_TEST_HOSTILE_GEN_H

#include <stddef.h>

typedef enum hostile_dialect {
    HOSTILE_JOURNEY = 0, /* a journey map document */
    HOSTILE_XES          /* an XES event log */
} hostile_dialect;

/* What a reader may do with an input. */
typedef enum hostile_outcome {
    HOSTILE_REJECT = 0, /* must fail with a located error */
    HOSTILE_HARMLESS    /* may be accepted, but must not act on what it asks for */
} hostile_outcome;

typedef struct hostile_case {
    const char *name;        /* short, file-name safe: "billion-laughs" */
    const char *description; /* one line for the test log */
    const char *suffix;      /* file name suffix: ".xml", ".xes" or ".xes.gz" */
    hostile_outcome journey; /* what the journey reader may do */
    hostile_outcome xes;     /* what the XES reader may do */
} hostile_case;

/* The number of cases and the i-th case. */
size_t hostile_count(void);
const hostile_case *hostile_at(size_t i);
/* The case with this name, or NULL. */
const hostile_case *hostile_find(const char *name);

/*
 * Writes the input of case `c` for `dialect` to `path`. Returns 0, or -1
 * with errno set when the file cannot be written.
 */
int hostile_write(const hostile_case *c, hostile_dialect dialect, const char *path);

/*
 * The file name of case `c` for `dialect` ("billion-laughs.journey.xml"),
 * written to `buf`.
 */
void hostile_file_name(const hostile_case *c, hostile_dialect dialect, char *buf, size_t size);

/* A small valid document of the dialect, for "still loads afterwards" checks. */
const char *hostile_valid(hostile_dialect dialect);

/*
 * Text the hostile inputs point at (an external entity, an XInclude)
 * carries marker strings; a reader that loaded them would show one of
 * these in its result.
 */
#define HOSTILE_SECRET_FILE "/etc/passwd"
#define HOSTILE_REMOTE_URL "http://127.0.0.1:9/cjm-hostile.dtd"

#endif
