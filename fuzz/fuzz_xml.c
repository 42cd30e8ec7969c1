/*
 * Fuzz target: the Journey XML reader. Whatever the bytes, reading must
 * fail cleanly or give a map; a map must validate, and writing it, reading
 * the output back and writing again must give the same bytes (the writer
 * is canonical and the reader loses nothing it keeps).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjm.h>

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_xml: %s (%s)\n", what, cjm_error_last()->message);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cjm_xml_read_options opt = CJM_XML_READ_OPTIONS_INIT;
    cjm_map *map = NULL, *again = NULL;
    cjm_problems *problems = NULL;
    cjm_buffer first = CJM_BUFFER_INIT, second = CJM_BUFFER_INIT;
    int rc;

    opt.name = "fuzz.xml";
    /* the default reads whole files; problems of meaning are kept for the
       second half of the inputs, so both paths of the reader are fuzzed */
    if (size > 0 && (data[size - 1] & 1))
        opt.flags = CJM_XML_KEEP_PROBLEMS;
    rc = cjm_xml_read_memory(&map, data, size, &opt);
    if (rc != 0) {
        check(map == NULL, "a failed read left a map");
        check(rc < 0 && cjm_error_last()->code == rc, "the error record disagrees");
        check(strcmp(cjm_error_last()->file, "fuzz.xml") == 0, "the error names another file");
        return 0;
    }
    check(cjm_map_validate(map, &problems) == 0, "validation failed");
    cjm_problems_free(problems);
    check(cjm_xml_write_buffer(&first, map, NULL) == 0, "writing a map read back failed");
    opt.flags = CJM_XML_KEEP_PROBLEMS;
    opt.name = "written.xml";
    rc = cjm_xml_read_memory(&again, first.data, first.size, &opt);
    if (rc != 0) {
        fprintf(stderr, "fuzz_xml: the writer's output is refused: %s:%d:%d: %s\n%s\n",
                cjm_error_last()->file, cjm_error_last()->line, cjm_error_last()->column,
                cjm_error_last()->message, first.data);
        abort();
    }
    check(cjm_xml_write_buffer(&second, again, NULL) == 0, "writing again failed");
    if (first.size != second.size || memcmp(first.data, second.data, first.size) != 0) {
        fprintf(stderr, "fuzz_xml: write-read-write is not stable\n--- first\n%s\n--- second\n%s\n",
                first.data, second.data);
        abort();
    }
    cjm_buffer_free(&first);
    cjm_buffer_free(&second);
    cjm_map_free(again);
    cjm_map_free(map);
    return 0;
}
