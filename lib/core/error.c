/*
 * Per-thread error records. The record is a fixed-size thread-local
 * structure, so recording an error never allocates (and so works when
 * memory has run out) and nothing is left to free when a thread ends.
 */
#include <stdio.h>
#include <string.h>

#include "core.h"

typedef struct error_state {
    cjm_error pub;
    char message[512];
    char file[256];
} error_state;

static _Thread_local error_state tls_error;

static error_state *state(void)
{
    error_state *s = &tls_error;
    if (!s->pub.message) {
        strcpy(s->message, "no error");
        s->file[0] = '\0';
        s->pub.message = s->message;
        s->pub.file = s->file;
    }
    return s;
}

/* The texts of the result codes, indexed by -code; checked against the enum. */
#define ERRNO_MAP(X)                                    \
    X(OK, 0, "no error")                                \
    X(ERROR, -1, "unspecified error")                   \
    X(ENOMEM, -2, "out of memory")                      \
    X(EINVAL, -3, "invalid argument")                   \
    X(ENOTFOUND, -4, "not found")                       \
    X(EEXISTS, -5, "already exists")                    \
    X(EPARSE, -6, "input rejected")                     \
    X(EINVALID, -7, "document is not valid")            \
    X(EIO, -8, "input/output error")                    \
    X(ELIMIT, -9, "limit exceeded")                     \
    X(EUNSUPPORTED, -10, "not supported")               \
    X(ITEROVER, -11, "iteration is over")

#define CHECK_VALUE(name, value, text) \
    _Static_assert(CJM_##name == (value), "result code " #name " moved");
ERRNO_MAP(CHECK_VALUE)
#undef CHECK_VALUE

static const char *const errno_text[] = {
#define TEXT(name, value, text) [-(value)] = text,
    ERRNO_MAP(TEXT)
#undef TEXT
};

_Static_assert(sizeof errno_text / sizeof *errno_text == 1 - CJM_ERRNO_LAST,
               "every result code needs a text");

const char *cjm_strerror(int code)
{
    if (code > 0 || code < CJM_ERRNO_LAST)
        return "unknown error";
    return errno_text[-code];
}

const cjm_error *cjm_error_last(void)
{
    return &state()->pub;
}

void cjm_error_clear(void)
{
    error_state *s = state();
    s->pub.code = 0;
    strcpy(s->message, "no error");
    s->file[0] = '\0';
    s->pub.line = s->pub.column = 0;
}

static int record(int code, const char *file, int line, int column, const char *fmt,
                  va_list ap)
{
    error_state *s = state();
    char message[sizeof s->message];
    s->pub.code = code;
    /* formatted apart first: an argument may be the message it replaces */
    if (fmt)
        vsnprintf(message, sizeof message, fmt, ap);
    else
        snprintf(message, sizeof message, "%s", cjm_strerror(code));
    memcpy(s->message, message, sizeof message);
    snprintf(s->file, sizeof s->file, "%s", file ? file : "");
    s->pub.line = line > 0 ? line : 0;
    s->pub.column = column > 0 ? column : 0;
    return code;
}

int cjm__verror(int code, const char *fmt, va_list ap)
{
    return record(code, NULL, 0, 0, fmt, ap);
}

int cjm__error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(code, NULL, 0, 0, fmt, ap);
    va_end(ap);
    return code;
}

int cjm__error_at(int code, const char *file, int line, int column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(code, file, line, column, fmt, ap);
    va_end(ap);
    return code;
}

int cjm__oom(void)
{
    return cjm__error(CJM_ENOMEM, "out of memory");
}

void cjm__error_save(cjm__saved_error *sv)
{
    error_state *s = state();
    sv->code = s->pub.code;
    sv->line = s->pub.line;
    sv->column = s->pub.column;
    memcpy(sv->message, s->message, sizeof sv->message);
    memcpy(sv->file, s->file, sizeof sv->file);
}

void cjm__error_restore(const cjm__saved_error *sv)
{
    error_state *s = state();
    s->pub.code = sv->code;
    s->pub.line = sv->line;
    s->pub.column = sv->column;
    memcpy(s->message, sv->message, sizeof s->message);
    memcpy(s->file, sv->file, sizeof s->file);
}

const char *cjm_version(void)
{
    return CJM_VERSION;
}

int cjm_version_numbers(int *major, int *minor, int *patch)
{
    if (major)
        *major = CJM_VERSION_MAJOR;
    if (minor)
        *minor = CJM_VERSION_MINOR;
    if (patch)
        *patch = CJM_VERSION_PATCH;
    return 0;
}
