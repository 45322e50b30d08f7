/* CSV tables (datasets/csv.c): labels must lie below classes. */
#include "datasets.h"
#include "input.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dk_dataset ds;
    dk_err err;
    if (dk_load_csv(fuzz_input(data, size), &ds, &err)) {
        for (size_t i = 0; i < ds.n; i++)
            if (ds.y[i] < 0 || (size_t)ds.y[i] >= ds.classes)
                abort();
        dk_dataset_free(&ds);
    }
    fuzz_input_close();
    return 0;
}
