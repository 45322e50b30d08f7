/* One results.tsv line (grader/core/results.c: dk_result_parse), as a
 * sandbox may send back anything. */
#include "results.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size + 1);
    memcpy(line, data, size);
    line[size] = '\0';
    dk_result r;
    if (dk_result_parse(line, &r) && (!r.name || !r.kind || !r.message || !r.hint))
        abort();
    free(line);
    return 0;
}
