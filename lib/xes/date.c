/* xs:dateTime values of XES logs, to milliseconds since 1970 (UTC). */
#include "xes/xes.h"

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

int xes_parse_date(const char *s, size_t len, int64_t *ms, int *no_zone)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h, mi, sec, frac = 0, tzh = 0, tzm = 0, sign = 0, dim;
    size_t p = 19;

    if (len < 19 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d) || s[10] != 'T' || digits(s + 11, 2, &h) || s[13] != ':' ||
        digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
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
    if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59)
        return -1;
    dim = mdays[mo - 1] + (mo == 2 && leap(y));
    if (d < 1 || d > dim)
        return -1;
    *ms = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) -
           (int64_t)sign * (tzh * 3600 + tzm * 60)) * 1000 + frac;
    return 0;
}
