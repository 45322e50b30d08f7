/* CIFAR-10 binary batches: records of one label byte and 3072 pixel bytes,
 * the red, green and blue 32x32 planes one after the other. */
#include "datasets.h"
#include "files.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SIDE = 32, PLANE = SIDE * SIDE, PIXELS = 3 * PLANE, RECORD = 1 + PIXELS,
       CLASSES = 10 };

static bool check_batch(const char *path, const unsigned char *buf, size_t len,
                        dk_err *err)
{
    if (len == 0 || len % RECORD != 0)
        return dk_fail(err, "%s: %zu bytes, not a multiple of the %d-byte CIFAR-10 "
                       "record: truncated or not a CIFAR-10 batch", path, len, RECORD);
    for (size_t r = 0; r < len / RECORD; r++)
        if (buf[r * RECORD] >= CLASSES)
            return dk_fail(err, "%s: label %d in record %zu out of range 0..%d", path,
                           buf[r * RECORD], r, CLASSES - 1);
    return true;
}

/* Records [first, first + count) of out from buf: planes to NHWC. */
static void store_records(dk_dataset *out, size_t first, const unsigned char *buf,
                          size_t count)
{
    for (size_t r = 0; r < count; r++) {
        const unsigned char *rec = buf + r * RECORD;
        float *x = out->x + (first + r) * PIXELS;
        out->y[first + r] = rec[0];
        for (size_t p = 0; p < PLANE; p++)
            for (size_t ch = 0; ch < 3; ch++)
                x[p * 3 + ch] = (float)rec[1 + ch * PLANE + p] / 255.0f;
    }
}

/* Appends one batch file to out, whose arrays grow to hold it. */
static bool append_batch(const char *path, dk_dataset *out, dk_err *err)
{
    if (access(path, F_OK) != 0)
        return dk_fail_open(err, path, errno);
    size_t len;
    unsigned char *buf = (unsigned char *)dk_read_file(path, &len, err);
    if (!buf || !check_batch(path, buf, len, err)) {
        free(buf);
        return false;
    }
    size_t count = len / RECORD;
    dk_dataset more = {0};
    bool ok = dk_dataset_alloc(&more, out->n + count, PIXELS, err);
    if (ok) {
        if (out->n) {
            memcpy(more.x, out->x, out->n * PIXELS * sizeof(float));
            memcpy(more.y, out->y, out->n * sizeof(int));
        }
        store_records(&more, out->n, buf, count);
        dk_dataset_free(out);
        *out = more;
    }
    free(buf);
    return ok;
}

bool dk_load_cifar10(const char *const *paths, size_t npaths, dk_dataset *out,
                     dk_err *err)
{
    *out = (dk_dataset){0};
    if (npaths == 0)
        return dk_fail(err, "dk_load_cifar10: no batch files given");
    for (size_t i = 0; i < npaths; i++)
        if (!append_batch(paths[i], out, err)) {
            dk_dataset_free(out);
            return false;
        }
    out->classes = CLASSES;
    out->h = out->w = SIDE;
    out->c = 3;
    return true;
}
