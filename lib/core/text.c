/* UTF-8 checks, ids, dates, hashing and canonical number formatting. */
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

int cjm__utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (n - i < len)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        /* U+FFFE and U+FFFF are not characters in XML */
        if (cp == 0xFFFE || cp == 0xFFFF)
            return 0;
        i += len;
    }
    return 1;
}

/* Whether byte `c` may be in text. */
static int text_byte_ok(unsigned char c)
{
    return !((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F);
}

int cjm__text_bytes_ok(const char *s, size_t n)
{
    uint64_t seen = 0; /* every byte or'ed: a high bit set when one is not ASCII */
    size_t i = 0;
    /* one pass: the refused bytes, and whether UTF-8 needs checking */
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        /* a control character, allowed or not, is looked at alone */
        if (cjm__word_below(w, 0x20) | cjm__word_eq(w, 0x7F))
            for (int k = 0; k < 8; k++)
                if (!text_byte_ok((unsigned char)s[i + k]))
                    return 0;
        seen |= w;
    }
    for (; i < n; i++) {
        if (!text_byte_ok((unsigned char)s[i]))
            return 0;
        seen |= (unsigned char)s[i];
    }
    return (seen & CJM__HIGH) ? cjm__utf8_valid(s, n) : 1;
}

int cjm__text_ok(const char *s)
{
    return cjm__text_bytes_ok(s, strlen(s));
}

int cjm__id_bytes_ok(const char *s, size_t n)
{
    unsigned seen = 0; /* every byte or'ed: bit 7 set when one is not ASCII */
    if (n == 0 || n > 256)
        return 0;
    /* one pass: the refused bytes, and whether UTF-8 needs checking; ids
     * are mostly shorter than a word */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7F)
            return 0;
        seen |= c;
    }
    return (seen & 0x80) ? cjm__utf8_valid(s, n) : 1;
}

int cjm__id_ok(const char *s)
{
    /* strnlen() stops one byte past the longest id */
    return s && cjm__id_bytes_ok(s, strnlen(s, 257));
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int cjm__date_ok(const char *s)
{
    int y, m, d;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
        s[7] != '-' || !digits(s + 8, 2))
        return 0;
    y = atoi(s);
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    s += 10;
    if (!*s)
        return 1;
    /* THH:MM[:SS[.fff]][Z|+HH:MM|-HH:MM] */
    if (*s != 'T' || !digits(s + 1, 2) || s[3] != ':' || !digits(s + 4, 2))
        return 0;
    if ((s[1] - '0') * 10 + (s[2] - '0') > 23 || (s[4] - '0') * 10 + (s[5] - '0') > 59)
        return 0;
    s += 6;
    if (*s == ':') {
        if (!digits(s + 1, 2) || (s[1] - '0') * 10 + (s[2] - '0') > 60)
            return 0;
        s += 3;
        if (*s == '.') {
            s++;
            if (*s < '0' || *s > '9')
                return 0;
            while (*s >= '0' && *s <= '9')
                s++;
        }
    }
    if (*s == 'Z')
        return s[1] == '\0';
    if (*s == '+' || *s == '-')
        return digits(s + 1, 2) && s[3] == ':' && digits(s + 4, 2) && s[6] == '\0';
    return *s == '\0';
}

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

uint64_t cjm__hash(const char *s)
{
    uint64_t h = FNV_OFFSET;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= FNV_PRIME;
    }
    return h;
}

uint64_t cjm__hash_bytes(const char *s, size_t n)
{
    uint64_t h = FNV_OFFSET;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= FNV_PRIME;
    }
    return h;
}

/*
 * Numbers in files are written and read with a '.' whatever the locale a
 * program has set (LC_NUMERIC of "de_DE" writes "0,25" and reads "1.5" as
 * 1): the calling thread is switched to the C locale for the call, which
 * uselocale() does for this thread only, and switched back. glibc hands
 * the C locale out without allocating; where newlocale() fails, the
 * thread's own locale is used.
 */
typedef struct c_numbers {
    locale_t c, old;
} c_numbers;

static void c_begin(c_numbers *n)
{
    n->c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    n->old = n->c ? uselocale(n->c) : (locale_t)0;
}

static void c_end(c_numbers *n)
{
    if (n->c) {
        uselocale(n->old);
        freelocale(n->c);
    }
}

double cjm__strtod(const char *s, char **end)
{
    c_numbers n;
    double v;
    c_begin(&n);
    v = strtod(s, end);
    c_end(&n);
    return v;
}

int cjm__snprintf_c(char *out, size_t size, const char *fmt, ...)
{
    c_numbers n;
    va_list ap;
    int len;
    c_begin(&n);
    va_start(ap, fmt);
    len = vsnprintf(out, size, fmt, ap);
    va_end(ap);
    c_end(&n);
    return len;
}

void cjm__fmt_double(char out[32], double v)
{
    c_numbers n;
    if (v == 0) { /* also folds -0 */
        strcpy(out, "0");
        return;
    }
    c_begin(&n);
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(out, 32, "%.0f", v);
    } else {
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(out, 32, "%.*g", prec, v);
            if (strtod(out, NULL) == v)
                break;
        }
    }
    c_end(&n);
}
