/* The dk_dataset container and the messages every loader shares. */
#include "datasets.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void dk_dataset_free(dk_dataset *ds)
{
    free(ds->x);
    free(ds->y);
    *ds = (dk_dataset){0};
}

bool dk_dataset_alloc(dk_dataset *ds, size_t n, size_t dim, dk_err *err)
{
    if (dim != 0 && n > SIZE_MAX / sizeof(float) / dim)
        return dk_fail(err, "data set of %zu x %zu values is too large", n, dim);
    /* +1: malloc(0) may return NULL, which must not read as out of memory. */
    ds->x = malloc(n * dim * sizeof(float) + 1);
    ds->y = malloc(n * sizeof(int) + 1);
    if (!ds->x || !ds->y) {
        dk_dataset_free(ds);
        return dk_fail(err, "out of memory for a data set of %zu x %zu values",
                       n, dim);
    }
    ds->n = n;
    ds->dim = dim;
    return true;
}

bool dk_fail_open(dk_err *err, const char *path, int errnum)
{
    if (errnum == ENOENT)
        return dk_fail(err, "%s: missing file; run `make data` to fetch the data sets",
                       path);
    return dk_fail(err, "cannot open %s: %s", path, strerror(errnum));
}
