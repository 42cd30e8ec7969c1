/**
 * @file cjm/error.h
 * @brief Details of the last failure on the calling thread.
 */
#ifndef CJM_ERROR_H
#define CJM_ERROR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The details of a failure. For input that was rejected, `file`, `line` and
 * `column` say where; otherwise `file` is "" and `line` and `column` are 0.
 * Lines and columns count from 1.
 */
typedef struct cjm_error {
    int code;            /**< the negative result code, or 0 */
    const char *message; /**< a human-readable sentence; never NULL */
    const char *file;    /**< the input's name, or ""; never NULL */
    int line;            /**< 1-based line, or 0 when unknown */
    int column;          /**< 1-based column, or 0 when unknown */
} cjm_error;

/**
 * The last error recorded on the calling thread.
 *
 * Never returns NULL: before any failure it describes success (code 0,
 * message "no error"). The structure and its strings belong to the
 * library and stay valid until the next call into the library on the same
 * thread; copy what you need to keep. Each thread has its own record, so
 * threads that work on separate objects never see each other's errors.
 */
CJM_EXTERN const cjm_error *cjm_error_last(void);

/** Resets the calling thread's error record to "no error". */
CJM_EXTERN void cjm_error_clear(void);

#ifdef __cplusplus
}
#endif

#endif
