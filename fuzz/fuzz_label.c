/*
 * Fuzz target: labels. Any bytes (up to the first NUL) as the label of a
 * touchpoint, a channel and the map's title must be refused by the model or
 * come back unchanged after the library's DOT is read back by cgraph; see
 * label_oracle.h.
 */
#include <stdint.h>

#include "label_oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[4096];
    if (size > 4096)
        return 0;
    if (label_roundtrip((const char *)data, size, why, sizeof why) != 0) {
        fprintf(stderr, "fuzz_label: %s\n", why);
        abort();
    }
    return 0;
}
