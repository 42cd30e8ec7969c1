/*
 * Replays inputs through a fuzz target without libFuzzer, so that the
 * normal test run (any compiler, any sanitizer, valgrind, coverage) feeds
 * the seed corpus and every regression input to the same code the fuzzer
 * exercises. Arguments are files or directories (read one level deep);
 * without arguments the directories baked in at build time are used.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t len = 0, cap = 0, n;
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    for (;;) {
        if (cap - len < 65536) {
            unsigned char *p = realloc(data, cap + 65536);
            if (!p) {
                fclose(f);
                free(data);
                return -1;
            }
            data = p;
            cap += 65536;
        }
        n = fread(data + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    fclose(f);
    /* libFuzzer hands a buffer of exactly `size` bytes; so do we. */
    {
        unsigned char *exact = malloc(len ? len : 1);
        if (!exact) {
            free(data);
            return -1;
        }
        if (len)
            memcpy(exact, data, len);
        free(data);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay(const char *path, int *count)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s does not exist\n", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        ++*count;
        return replay_file(path);
    }
    d = opendir(path);
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char full[4096];
        if (e->d_name[0] == '.')
            continue;
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        if (stat(full, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (n == cap) {
            char **p = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
            if (!p) {
                rc = -1;
                break;
            }
            names = p;
        }
        names[n] = malloc(strlen(full) + 1);
        if (!names[n]) {
            rc = -1;
            break;
        }
        strcpy(names[n++], full);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            ++*count;
            if (replay_file(names[i]) != 0)
                rc = -1;
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    int count = 0;
#ifdef REPLAY_DIRS
    static const char *const dirs[] = {REPLAY_DIRS};
#endif
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            if (replay(argv[i], &count) != 0)
                return 1;
    } else {
#ifdef REPLAY_DIRS
        for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
            struct stat st;
            if (stat(dirs[i], &st) != 0)
                continue; /* git keeps no empty directory: none, nothing to replay */
            if (replay(dirs[i], &count) != 0)
                return 1;
        }
#else
        fprintf(stderr, "usage: %s FILE-OR-DIRECTORY...\n", argv[0]);
        return 2;
#endif
    }
    printf("replayed %d input(s)\n", count);
    return 0;
}
