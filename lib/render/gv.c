/*
 * The Graphviz lock, context and message capture, and label escaping.
 *
 * The mutex, the once-flag and the context pointer below are the library's
 * only process-wide state: Graphviz itself is process-wide state that is
 * not thread-safe, so every use of it must take turns.
 */
#include <pthread.h>
#include <string.h>

#include "render/render_internal.h"

static pthread_mutex_t gv_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t gv_once = PTHREAD_ONCE_INIT;
static GVC_t *gv_context;

void cjm__gv_lock(void)
{
    pthread_mutex_lock(&gv_mutex);
}

void cjm__gv_unlock(void)
{
    pthread_mutex_unlock(&gv_mutex);
}

static void gv_start(void)
{
    /* gvContext() reads the plugin configuration; nothing else is loaded. */
    gv_context = gvContext();
}

GVC_t *cjm__gv_context(void)
{
    pthread_once(&gv_once, gv_start);
    if (!gv_context)
        cjm__error(CJM_ERROR, "Graphviz could not be started");
    return gv_context;
}

/* ---- messages ------------------------------------------------------------ */

static _Thread_local char gv_message[512];
static _Thread_local agusererrf gv_previous;

static int gv_collect(char *text)
{
    size_t n;
    if (!text)
        return 0;
    /* Graphviz sends a message in pieces; a new one starts after a newline. */
    n = strlen(gv_message);
    if (n > 0 && gv_message[n - 1] == '\n')
        n = 0;
    snprintf(gv_message + n, sizeof gv_message - n, "%s", text);
    return 0;
}

void cjm__gv_capture_begin(void)
{
    gv_message[0] = '\0';
    agreseterrors();
    gv_previous = agseterrf(gv_collect);
}

const char *cjm__gv_capture_end(void)
{
    size_t n;
    agseterrf(gv_previous);
    gv_previous = NULL;
    n = strlen(gv_message);
    while (n > 0 && (gv_message[n - 1] == '\n' || gv_message[n - 1] == ' '))
        gv_message[--n] = '\0';
    return gv_message;
}

/* ---- escaping ------------------------------------------------------------ */

/* Length of the UTF-8 sequence that starts with byte `c` (text is valid). */
static size_t utf8_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c < 0xE0)
        return 2;
    if (c < 0xF0)
        return 3;
    return 4;
}

int cjm__gv_escape(cjm__buf *b, const char *text, size_t max_chars)
{
    const char *s = text, *run = text;
    size_t chars = 0;
    int rc = 0;
    while (*s) {
        const char *rep = NULL;
        size_t step = 1;
        if (max_chars > 0 && chars == max_chars) {
            if (s > run)
                rc |= cjm__buf_put(b, run, (size_t)(s - run));
            return (rc | cjm__buf_puts(b, "\xE2\x80\xA6")) < 0 ? CJM_ENOMEM : 0;
        }
        switch (*s) {
        case '\\':
            rep = "\\\\";
            break;
        case '\n':
            rep = "\\n";
            break;
        case '\r':
            rep = "\\n";
            if (s[1] == '\n')
                step = 2;
            break;
        default:
            step = utf8_len((unsigned char)*s);
            break;
        }
        if (rep) {
            if (s > run)
                rc |= cjm__buf_put(b, run, (size_t)(s - run));
            rc |= cjm__buf_puts(b, rep);
            s += step;
            run = s;
        } else {
            s += step;
        }
        chars++;
    }
    if (s > run)
        rc |= cjm__buf_put(b, run, (size_t)(s - run));
    return rc < 0 ? CJM_ENOMEM : 0;
}
