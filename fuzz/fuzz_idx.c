/* IDX files (datasets/idx.c), gzipped or not: any bytes must end in a
 * clean error or a consistent header and data. */
#include "datasets.h"
#include "input.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dk_idx idx;
    dk_err err;
    if (dk_idx_read(fuzz_input(data, size), &idx, &err)) {
        size_t count = 1;
        for (size_t i = 0; i < idx.ndim; i++)
            count *= idx.dims[i];
        if (count != idx.count || (count && !idx.data))
            abort();
        dk_idx_free(&idx);
    }
    fuzz_input_close();
    return 0;
}
