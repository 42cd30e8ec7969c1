/*
 * A deterministic generator of synthetic XES logs for the mining benchmark:
 * customer-service cases drawn from a fixed set of 400 variants over 32
 * activities and 6 channels, with name, lifecycle, channel and timestamp
 * attributes, about 240 bytes per event. The same arguments always give
 * the same bytes.
 *
 *     gen_xes EVENTS OUT.xes
 *
 * The variant set does not grow with the log, so a tenfold longer log has
 * the same graph: what a miner keeps in memory must then stay the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define ACTIVITIES 32
#define VARIANTS 400
#define MAX_LEN 40

static uint64_t state = 0x9E3779B97F4A7C15ULL;

static uint32_t next(void)
{
    /* xorshift64*: small, fast and the same everywhere */
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (uint32_t)((state * 0x2545F4914F6CDD1DULL) >> 32);
}

static const char *const names[ACTIVITIES] = {
    "Visit web shop", "Search product", "Read reviews", "Add to basket", "Open app",
    "Log in", "Reset password", "Place order", "Pay by card", "Pay by invoice",
    "Payment failed", "Confirm order by e-mail", "Chat with bot", "Chat with agent",
    "Call contact centre", "Wait in phone queue", "Callback requested", "Ship parcel",
    "Track parcel", "Delivery delayed", "Deliver to door", "Pick up at store",
    "Return requested", "Return received", "Refund issued", "Complaint filed",
    "Complaint answered", "Survey sent", "Survey answered", "Account closed",
    "Newsletter signed up", "Visit store"};
static const char *const channels[6] = {"web", "app", "e-mail", "chat", "phone", "store"};

int main(int argc, char **argv)
{
    static unsigned variant[VARIANTS][MAX_LEN];
    static unsigned length[VARIANTS];
    unsigned long long events, written = 0, trace = 0;
    long long t = 1609459200000LL; /* 2021-01-01T00:00:00Z in ms */
    FILE *out;

    if (argc != 3 || (events = strtoull(argv[1], NULL, 10)) == 0) {
        fprintf(stderr, "usage: gen_xes EVENTS OUT.xes\n");
        return 2;
    }
    out = fopen(argv[2], "wb");
    if (!out) {
        perror(argv[2]);
        return 1;
    }
    /* The variants: a walk along the journey with detours and repeats. */
    for (int v = 0; v < VARIANTS; v++) {
        unsigned n = 0, a = next() % 5;
        while (n < MAX_LEN) {
            variant[v][n++] = a;
            if (a == 29 || (a >= 20 && next() % 4 == 0))
                break;
            if (next() % 6 == 0)
                a = next() % ACTIVITIES; /* a detour */
            else
                a = (a + 1 + next() % 3) % ACTIVITIES;
        }
        length[v] = n;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<log xes.version=\"1849-2016\" xmlns=\"http://www.xes-standard.org/\">\n"
          "  <extension name=\"Concept\" prefix=\"concept\" "
          "uri=\"http://www.xes-standard.org/concept.xesext\"/>\n"
          "  <extension name=\"Time\" prefix=\"time\" "
          "uri=\"http://www.xes-standard.org/time.xesext\"/>\n"
          "  <extension name=\"Lifecycle\" prefix=\"lifecycle\" "
          "uri=\"http://www.xes-standard.org/lifecycle.xesext\"/>\n"
          "  <extension name=\"Organizational\" prefix=\"org\" "
          "uri=\"http://www.xes-standard.org/org.xesext\"/>\n"
          "  <global scope=\"event\">\n"
          "    <string key=\"concept:name\" value=\"__INVALID__\"/>\n"
          "    <string key=\"lifecycle:transition\" value=\"complete\"/>\n"
          "  </global>\n"
          "  <classifier name=\"Activity\" keys=\"concept:name\"/>\n"
          "  <classifier name=\"Activity and lifecycle\" "
          "keys=\"concept:name lifecycle:transition\"/>\n",
          out);
    while (written < events) {
        /* a skewed choice: low-numbered variants are far more frequent */
        unsigned r = next() % VARIANTS, v = (r * r) / VARIANTS;
        fprintf(out, "<trace>\n <string key=\"concept:name\" value=\"case-%llu\"/>\n",
                ++trace);
        t += (long long)(next() % 600000);
        for (unsigned i = 0; i < length[v] && written < events; i++, written++) {
            unsigned a = variant[v][i];
            long long ms = t, off;
            int days, h, mi, s, y = 2021, mo = 1, d;
            static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
            /* format t as a calendar date in +01:00 (years after 2021 wrap to 2021) */
            off = ms / 1000 + 3600;
            days = (int)((off / 86400) % 365);
            s = (int)(off % 86400);
            h = s / 3600;
            mi = s / 60 % 60;
            s %= 60;
            for (d = days; d >= mdays[mo - 1]; mo++)
                d -= mdays[mo - 1];
            fprintf(out,
                    " <event>\n"
                    "  <string key=\"concept:name\" value=\"%s\"/>\n"
                    "  <string key=\"lifecycle:transition\" value=\"%s\"/>\n"
                    "  <string key=\"channel\" value=\"%s\"/>\n"
                    "  <date key=\"time:timestamp\" "
                    "value=\"%04d-%02d-%02dT%02d:%02d:%02d.%03d+01:00\"/>\n"
                    " </event>\n",
                    names[a], next() % 10 ? "complete" : "start",
                    channels[(a + next() % 2) % 6], y, mo, d + 1, h, mi, s, (int)(ms % 1000));
            t += 1000 + (long long)(next() % (a >= 17 ? 172800000u : 3600000u));
        }
        fputs("</trace>\n", out);
    }
    fputs("</log>\n", out);
    if (fclose(out) != 0) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
