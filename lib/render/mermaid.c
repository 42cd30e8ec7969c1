/* A journey as a Mermaid `journey` diagram. */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "render/render_internal.h"

/* The score given to a touchpoint without a perceived score. */
#define NEUTRAL_SCORE 3

/* The label, unless it is missing or blank (Mermaid needs a name), else the id. */
static const char *name_of(const cjm_item *item)
{
    const char *l = cjm_item_text(item, CJM_ATTR_LABEL);
    if (l)
        for (const char *p = l; *p; p++)
            if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
                return l;
    return cjm_item_id(item);
}

/* Words that start a statement when they begin a line of a journey diagram. */
static int starts_with_keyword(const char *s)
{
    static const char *const words[] = {"title", "section", "journey", "acctitle", "accdescr",
                                        "%%"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strncasecmp(s, words[i], strlen(words[i])) == 0)
            return 1;
    return 0;
}

/*
 * Appends text for one place of a Mermaid line: ':' ';' '#' (and, inside
 * an actor's name, ',') as Mermaid entity codes, line breaks and tabs as
 * spaces, and a first character that would begin a keyword as its code.
 */
static int mm_text(cjm__buf *b, const char *text, int actor)
{
    const unsigned char *s = (const unsigned char *)text;
    int rc = 0;
    /* the model's setters have refused what is not valid UTF-8 */
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    if (starts_with_keyword((const char *)s)) {
        rc |= cjm__buf_printf(b, "#%d;", *s);
        s++;
    }
    for (; *s; s++) {
        switch (*s) {
        case ':':
            rc |= cjm__buf_puts(b, "#58;");
            break;
        case ';':
            rc |= cjm__buf_puts(b, "#59;");
            break;
        case '#':
            rc |= cjm__buf_puts(b, "#35;");
            break;
        case ',':
            rc |= actor ? cjm__buf_puts(b, "#44;") : cjm__buf_putc(b, ',');
            break;
        case '\n':
        case '\r':
        case '\t':
            rc |= cjm__buf_putc(b, ' ');
            break;
        default:
            rc |= cjm__buf_putc(b, (char)*s);
            break;
        }
    }
    return rc < 0 ? CJM_ENOMEM : 0;
}

static int task(cjm__buf *b, const cjm_map *map, const cjm_item *tp)
{
    double p;
    long score = NEUTRAL_SCORE;
    int scored = cjm_item_number(tp, CJM_ATTR_PERCEIVED, &p) == 0, rc, actors = 0;
    const char *seen = NULL;
    static const cjm_attr who[2] = {CJM_ATTR_INITIATOR, CJM_ATTR_RECEIVER};
    if (scored) /* clamped before rounding: lround() beyond a long is unspecified */
        score = lround(p < 1 ? 1 : p > 5 ? 5 : p);
    if ((rc = cjm__buf_puts(b, "    ")) < 0 || (rc = mm_text(b, name_of(tp), 0)) < 0)
        return rc;
    if (!scored && cjm__buf_puts(b, " (no score)") < 0)
        return CJM_ENOMEM;
    if (cjm__buf_printf(b, ": %ld", score) < 0)
        return CJM_ENOMEM;
    for (int k = 0; k < 2; k++) {
        const char *id = cjm_item_text(tp, who[k]);
        const cjm_item *actor = id ? cjm_map_find(map, id) : NULL;
        const char *name;
        if (!id || (seen && strcmp(seen, id) == 0))
            continue;
        seen = id;
        name = actor && cjm_item_kind(actor) == CJM_ACTOR ? name_of(actor) : id;
        if (cjm__buf_puts(b, actors++ ? ", " : ": ") < 0)
            return CJM_ENOMEM;
        if ((rc = mm_text(b, name, 1)) < 0)
            return rc;
    }
    return cjm__buf_putc(b, '\n') < 0 ? CJM_ENOMEM : 0;
}

static long stage_index(const cjm_journey *j, const cjm_item *tp)
{
    const char *ref = cjm_item_text(tp, CJM_ATTR_STAGE);
    const cjm_item *st = ref ? cjm_journey_find(j, ref) : NULL;
    return st && cjm_item_kind(st) == CJM_STAGE ? (long)cjm_item_index(st) : -1;
}

static int write_mermaid(cjm__buf *b, const cjm_map *map, const cjm_journey *j,
                         const cjm_render_options *o)
{
    const char *title = cjm_map_title(map), *jl = cjm_journey_label(j);
    size_t nst = cjm_journey_count(j, CJM_STAGE), ntp = cjm_journey_count(j, CJM_TOUCHPOINT);
    int rc;
    if (cjm__buf_puts(b, "journey\n    title ") < 0)
        return CJM_ENOMEM;
    if (title && *title) {
        if ((rc = mm_text(b, title, 0)) < 0)
            return rc;
        if (cjm__buf_puts(b, " \xE2\x80\x94 ") < 0)
            return CJM_ENOMEM;
    }
    if ((rc = mm_text(b, jl && *jl ? jl : cjm_journey_id(j), 0)) < 0)
        return rc;
    if (o->situation) {
        const cjm_item *sit = cjm_map_find(map, o->situation);
        if (cjm__buf_puts(b, " (") < 0)
            return CJM_ENOMEM;
        if ((rc = mm_text(b, name_of(sit), 0)) < 0)
            return rc;
        if (cjm__buf_puts(b, ")") < 0)
            return CJM_ENOMEM;
    }
    if (cjm__buf_putc(b, '\n') < 0)
        return CJM_ENOMEM;
    /* Stages in order, then the touchpoints whose stage is unknown. */
    for (long s = 0; s <= (long)nst; s++) {
        long want = s < (long)nst ? s : -1;
        int opened = 0;
        for (size_t i = 0; i < ntp; i++) {
            const cjm_item *tp = cjm_journey_at(j, CJM_TOUCHPOINT, i);
            if (stage_index(j, tp) != want || !cjm__render_in_situation(tp, o->situation))
                continue;
            if (!opened) {
                opened = 1;
                if (cjm__buf_puts(b, "  section ") < 0)
                    return CJM_ENOMEM;
                if (want >= 0)
                    rc = mm_text(b, name_of(cjm_journey_at(j, CJM_STAGE, (size_t)want)), 0);
                else
                    rc = cjm__buf_puts(b, "Other") < 0 ? CJM_ENOMEM : 0;
                if (rc < 0)
                    return rc;
                if (cjm__buf_putc(b, '\n') < 0)
                    return CJM_ENOMEM;
            }
            if ((rc = task(b, map, tp)) < 0)
                return rc;
        }
    }
    return 0;
}

int cjm_render_mermaid(const cjm_map *map, const cjm_render_options *options, cjm_buffer *out)
{
    cjm_render_options o;
    const cjm_journey *j;
    cjm__buf b;
    int rc;
    if (!out)
        return cjm__error(CJM_EINVAL, "no buffer was given");
    out->data = NULL;
    out->size = 0;
    if ((rc = cjm__render_prepare(map, options, &o, &j)) < 0)
        return rc;
    cjm__buf_init(&b, o.allocator);
    rc = write_mermaid(&b, map, j, &o);
    if (rc == 0)
        rc = cjm__buf_to_public(&b, out);
    cjm__buf_free(&b);
    /* a buffer that could not grow says so only by its result: record it */
    return rc == CJM_ENOMEM ? cjm__oom() : rc;
}

int cjm_render_mermaid_file(const cjm_map *map, const cjm_render_options *options,
                            const char *path)
{
    cjm_buffer buf = CJM_BUFFER_INIT;
    int rc;
    if (!path)
        return cjm__error(CJM_EINVAL, "no output file was given");
    if ((rc = cjm_render_mermaid(map, options, &buf)) < 0)
        return rc;
    rc = cjm__write_file_atomic(path, buf.data, buf.size);
    cjm_buffer_free(&buf);
    return rc;
}
