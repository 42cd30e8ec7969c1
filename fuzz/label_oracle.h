/*
 * The label oracle shared by the label fuzz target and the hostile tests:
 * any byte string used as a touchpoint label, the map's title and a
 * channel's label must either be refused by the model's setters (it is not
 * UTF-8, or holds control characters other than tab, line feed and
 * carriage return) or come back unchanged from the diagram: written as DOT
 * by the library, read back with cgraph's agmemread(), and unescaped from
 * Graphviz's escString form. Line breaks come back as line feeds (a CR LF
 * or a lone CR is one line break). The graph read back must not declare
 * any attribute that makes Graphviz open a file.
 *
 * label_roundtrip() returns 0 when the oracle holds and -1 with `why`
 * filled when it does not.
 */
#ifndef CJM_FUZZ_LABEL_ORACLE_H
#define CJM_FUZZ_LABEL_ORACLE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjm.h>
#include "render/render_internal.h"

/* What the model must accept: valid UTF-8 without controls but \t \n \r,
 * and without U+FFFE and U+FFFF, which XML does not allow. */
static int oracle_text_ok(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        unsigned cp;
        size_t len;
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
                return 0;
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
        else return 0;
        if (i + len > n)
            return 0;
        for (size_t k = 1; k < len; k++) {
            unsigned char cc = (unsigned char)s[i + k];
            if ((cc & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
            return 0; /* U+FFFE and U+FFFF are not characters in XML */
        if (cp >= 0x80 && cp <= 0x9F)
            return -1; /* C1 controls: either answer is acceptable */
        i += len;
    }
    return 1;
}

/* The label with every line break (CR LF, CR, LF) as LF; malloc'd. */
static char *oracle_normalise(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        abort();
    for (; *s; s++) {
        if (*s == '\r') {
            *o++ = '\n';
            if (s[1] == '\n')
                s++;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* Graphviz escString back to text: "\\" is "\", "\n" "\l" "\r" are line breaks. */
static char *oracle_unescape(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        abort();
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            *o++ = (*s == 'n' || *s == 'l' || *s == 'r') ? '\n' : *s;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

static const char *const oracle_dangerous[] = {
    "image", "shapefile", "imagepath", "fontpath", "fontnames", "stylesheet", "labelfontname",
    NULL};

static int oracle_fail(char *why, size_t size, const char *fmt, const char *a, const char *b)
{
    snprintf(why, size, fmt, a, b);
    return -1;
}

static int label_roundtrip(const char *bytes, size_t n, char *why, size_t why_size)
{
    cjm_map *map = NULL;
    cjm_journey *j;
    cjm_item *tp, *ch;
    cjm_render_options ro = CJM_RENDER_OPTIONS_INIT;
    cjm_buffer dot = CJM_BUFFER_INIT;
    char *label = malloc(n + 1);
    int valid, rc, result = 0;
    Agraph_t *g;

    if (!label)
        abort();
    memcpy(label, bytes, n);
    label[n] = '\0';
    valid = oracle_text_ok(label, strlen(label));
    if (cjm_map_new(&map, NULL) != 0 || cjm_map_add_journey(map, "j", &j) != 0 ||
        cjm_journey_add(j, CJM_TOUCHPOINT, "tp", &tp) != 0 ||
        cjm_map_add(map, CJM_CHANNEL, "ch", &ch) != 0 ||
        cjm_item_set_text(tp, CJM_ATTR_CHANNEL, "ch") != 0)
        abort();
    rc = cjm_item_set_text(tp, CJM_ATTR_LABEL, label);
    if (valid == 0 && rc == 0) {
        result = oracle_fail(why, why_size, "the setter accepted text that is not UTF-8 or "
                             "has control characters%s%s", "", "");
        goto done;
    }
    if (valid == 1 && rc != 0) {
        result = oracle_fail(why, why_size, "the setter refused valid text: %s%s",
                             cjm_error_last()->message, "");
        goto done;
    }
    if (rc != 0) {
        if (rc != CJM_EINVAL || cjm_error_last()->code != CJM_EINVAL)
            result = oracle_fail(why, why_size, "a refusal that is not CJM_EINVAL: %s%s",
                                 cjm_error_last()->message, "");
        goto done;
    }
    if (cjm_map_set_title(map, label) != 0 || cjm_item_set_text(ch, CJM_ATTR_LABEL, label) != 0)
        abort();

    ro.legend = 0;
    rc = cjm_render(map, CJM_RENDER_DOT, &ro, &dot);
    if (rc != 0) {
        result = oracle_fail(why, why_size, "rendering failed: %s%s", cjm_error_last()->message,
                             "");
        goto done;
    }
    cjm__gv_lock();
    agreseterrors();
    g = agmemread(dot.data);
    if (!g || agerrors()) {
        result = oracle_fail(why, why_size, "cgraph cannot read the DOT back:\n%s%s", dot.data,
                             "");
    } else {
        Agnode_t *node = NULL;
        Agsym_t *sym;
        char *want = oracle_normalise(label), *got, *text;
        int nodes = 0;
        for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v)) {
            text = agget(v, "label");
            if (text && *text && strcmp(text, "\\N") != 0) {
                node = v;
                nodes++;
            }
        }
        if (!*want) {
            /* an empty label shows the id instead: nothing to compare */
        } else if (nodes != 1) {
            result = oracle_fail(why, why_size, "expected one labelled node in:\n%s%s", dot.data,
                                 "");
        } else {
            /* the touchpoint: its label, a line break, the channel's label in brackets */
            size_t wl = strlen(want);
            char *full = malloc(2 * wl + 8);
            if (!full)
                abort();
            snprintf(full, 2 * wl + 8, "%s\n[%s]", want, want);
            got = oracle_unescape(agget(node, "label"));
            if (strcmp(got, full) != 0)
                result = oracle_fail(why, why_size,
                                     "the label came back changed:\n  got  \"%s\"\n  want \"%s\"",
                                     got, full);
            free(got);
            free(full);
            /* the graph's title starts with the map's title, then a line break */
            text = agget(g, "label");
            got = oracle_unescape(text ? text : "");
            if (result == 0 && (strncmp(got, want, wl) != 0 || got[wl] != '\n'))
                result = oracle_fail(why, why_size,
                                     "the title came back changed:\n  got  \"%s\"\n  want \"%s\"",
                                     got, want);
            free(got);
        }
        free(want);
        for (int kind = AGRAPH; kind <= AGEDGE && result == 0; kind++)
            for (sym = agnxtattr(g, kind, NULL); sym; sym = agnxtattr(g, kind, sym))
                for (size_t k = 0; oracle_dangerous[k]; k++)
                    if (strcmp(sym->name, oracle_dangerous[k]) == 0)
                        result = oracle_fail(why, why_size, "the graph declares %s%s",
                                             sym->name, "");
    }
    if (g)
        agclose(g);
    agreseterrors();
    cjm__gv_unlock();
done:
    cjm_buffer_free(&dot);
    cjm_map_free(map);
    free(label);
    return result;
}

#endif
