/*
 * Writes the hostile inputs into a directory, for the command-line tests:
 *     hostile_gen DIR [CASE...]
 * Without cases, every case is written, once per dialect, under the names
 * of hostile_file_name() ("billion-laughs.journey.xml",
 * "billion-laughs.log.xes", ...), along with valid.journey.xml and
 * valid.log.xes.
 */
#include <stdio.h>
#include <string.h>

#include "gen.h"

static int write_case(const char *dir, const hostile_case *c)
{
    char name[256], path[4096];
    for (int d = HOSTILE_JOURNEY; d <= HOSTILE_XES; d++) {
        hostile_file_name(c, (hostile_dialect)d, name, sizeof name);
        snprintf(path, sizeof path, "%s/%s", dir, name);
        if (hostile_write(c, (hostile_dialect)d, path) != 0) {
            perror(path);
            return 1;
        }
    }
    return 0;
}

static int write_valid(const char *dir, const char *name, hostile_dialect d)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f || fputs(hostile_valid(d), f) < 0 || fclose(f) != 0) {
        perror(path);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: hostile_gen DIR [CASE...]\n");
        return 2;
    }
    if (argc == 2) {
        for (size_t i = 0; i < hostile_count(); i++)
            if (write_case(argv[1], hostile_at(i)) != 0)
                return 1;
    }
    for (int i = 2; i < argc; i++) {
        const hostile_case *c = hostile_find(argv[i]);
        if (!c) {
            fprintf(stderr, "hostile_gen: no case '%s'\n", argv[i]);
            return 2;
        }
        if (write_case(argv[1], c) != 0)
            return 1;
    }
    if (write_valid(argv[1], "valid.journey.xml", HOSTILE_JOURNEY) != 0 ||
        write_valid(argv[1], "valid.log.xes", HOSTILE_XES) != 0)
        return 1;
    return 0;
}
