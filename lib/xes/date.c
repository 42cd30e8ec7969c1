/* xs:dateTime values of XES logs, to milliseconds since 1970 (UTC). */
#include <string.h>

#include "xes/xes.h"

/*
 * Every event of a log carries a date, so the fixed part,
 * "YYYY-MM-DDThh:mm:ss", is checked eight bytes at a time: a word holds
 * the bytes in order (the first in the lowest byte, whatever the
 * machine's byte order), digits are recognised by their high and low
 * nibbles and separators by an exact compare.
 */
static uint64_t word8(const char *s)
{
    uint64_t v = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&v, s, 8);
#else
    for (int i = 7; i >= 0; i--)
        v = v << 8 | (unsigned char)s[i];
#endif
    return v;
}

/* Whether the bytes of `v` under `dmask` (0xFF per byte) are all ASCII digits. */
static int all_digits(uint64_t v, uint64_t dmask)
{
    const uint64_t hi = 0x3030303030303030ULL & dmask, f0 = 0xF0F0F0F0F0F0F0F0ULL & dmask;
    uint64_t d = v & dmask;
    /* a digit is 0x30..0x39: high nibble 3, and still 3 after adding 6
     * (no carry leaves a byte whose high nibble is 3) */
    return (d & f0) == hi && ((d + (0x0606060606060606ULL & dmask)) & f0) == hi;
}

/* The two-digit number at bytes i and i + 1 of a word from word8(). */
static int digit2(uint64_t w, int i)
{
    return (int)((w >> (8 * i)) & 0x0F) * 10 + (int)((w >> (8 * i + 8)) & 0x0F);
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/*
 * The last `n` (at most 8) bytes of a date of `len` >= 19 bytes at `s`, as
 * the high bytes of a word from word8(), the rest zero.
 */
static uint64_t tail_word(const char *s, size_t len, size_t n)
{
    return n ? word8(s + len - 8) & ~(uint64_t)0 << (8 * (8 - n)) : 0;
}

int xes_parse_date_memo(xes_date_memo *memo, const char *s, size_t len, int64_t *ms,
                        int *no_zone)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    /* "YYYY-MM-" and "hh:mm:ss": 0xFF where a digit goes, the separators elsewhere */
    const uint64_t dmask0 = 0x00FFFF00FFFFFFFFULL, sep0 = 0x2D00002D00000000ULL;
    const uint64_t tmask = 0xFFFF00FFFF00FFFFULL, tsep = 0x00003A00003A0000ULL;
    uint64_t w0, wd, wt, v;
    int64_t days;
    int h, mi, sec, frac = 0, tzh = 0, tzm = 0, sign = 0;
    size_t p = 19, zone_at;

    if (len < 19)
        return -1;
    w0 = word8(s);
    wd = word8(s + 8) & 0xFFFFFF; /* "DDT" */
    wt = word8(s + 11);
    if (!all_digits(wt, tmask) || (wt & ~tmask) != tsep)
        return -1;
    if (memo && memo->known && memo->w0 == w0 && memo->dd == wd) {
        /* the same day as the date before, checked then */
        days = memo->days;
    } else {
        int y, mo, d;
        if (!all_digits(w0, dmask0) || (w0 & ~dmask0) != sep0 || !all_digits(wd, 0xFFFF) ||
            wd >> 16 != 'T')
            return -1;
        /* from the words, not the string: the bytes are already in registers */
        y = digit2(w0, 0) * 100 + digit2(w0, 2);
        mo = digit2(w0, 5);
        d = digit2(wd, 0);
        if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap(y)))
            return -1;
        days = days_from_civil(y, mo, d);
        if (memo) {
            memo->w0 = w0;
            memo->dd = wd;
            memo->days = days;
            memo->known = 1;
        }
    }
    /*
     * The three two-digit numbers of the time at once: with the colons
     * cleared and each digit its value, ten times a byte plus the next is
     * the number at its first digit (at most 99: no byte carries).
     */
    v = (wt & tmask) - (0x3030303030303030ULL & tmask);
    v = v * 10 + (v >> 8);
    h = (int)(v & 0xFF);
    mi = (int)(v >> 24 & 0xFF);
    sec = (int)(v >> 48 & 0xFF);
    if (h > 23 || mi > 59 || sec > 59)
        return -1;
    if (p < len && s[p] == '.') {
        int nd = 0;
        p++;
        while (p < len && s[p] >= '0' && s[p] <= '9') {
            if (nd < 3)
                frac = frac * 10 + (s[p] - '0');
            nd++;
            p++;
        }
        if (nd == 0)
            return -1;
        for (; nd < 3; nd++)
            frac *= 10;
    }
    *no_zone = 0;
    zone_at = p;
    if (memo && memo->zone_known && len - p == memo->zone_len &&
        tail_word(s, len, len - p) == memo->zone) {
        /* the same zone as the date before, checked then */
        *ms = ((days * 86400 + h * 3600 + mi * 60 + sec) - memo->zone_offset) * 1000 + frac;
        *no_zone = memo->no_zone;
        return 0;
    }
    if (p == len) {
        *no_zone = 1;
    } else if (s[p] == 'Z' && p + 1 == len) {
        /* UTC */
    } else if (s[p] == '+' || s[p] == '-') {
        sign = s[p] == '-' ? -1 : 1;
        p++;
        if (len - p == 5 && s[p + 2] == ':') {
            if (digits(s + p, 2, &tzh) || digits(s + p + 3, 2, &tzm))
                return -1;
        } else if (len - p == 4) {
            if (digits(s + p, 2, &tzh) || digits(s + p + 2, 2, &tzm))
                return -1;
        } else {
            return -1;
        }
        if (tzh > 14 || tzm > 59)
            return -1;
    } else {
        return -1;
    }
    if (memo && len - zone_at <= 8) {
        memo->zone = tail_word(s, len, len - zone_at);
        memo->zone_len = len - zone_at;
        memo->zone_offset = (int64_t)sign * (tzh * 3600 + tzm * 60);
        memo->no_zone = *no_zone;
        memo->zone_known = 1;
    }
    *ms = ((days * 86400 + h * 3600 + mi * 60 + sec) - (int64_t)sign * (tzh * 3600 + tzm * 60)) *
              1000 +
          frac;
    return 0;
}

int xes_parse_date(const char *s, size_t len, int64_t *ms, int *no_zone)
{
    return xes_parse_date_memo(NULL, s, len, ms, no_zone);
}
