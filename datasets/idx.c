/* IDX files (MNIST's format): the magic number 0x00 0x00 <type> <ndim>,
 * ndim big-endian 32-bit sizes, then the data. Read through zlib, whose
 * gzread reads gzipped and plain files alike. */
#include "datasets.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { IDX_UBYTE = 0x08, IDX_CLASSES = 10, CHUNK = 1 << 20 };

/* Names of the IDX types other than unsigned byte: a file of such a type is
 * a genuine IDX file this kit does not read, not a corrupt one. */
static const char *other_type_name(int type)
{
    switch (type) {
    case 0x09: return "signed byte";
    case 0x0B: return "short";
    case 0x0C: return "int";
    case 0x0D: return "float";
    case 0x0E: return "double";
    default: return NULL;
    }
}

/* Up to n bytes (fewer only at the end of the data) into buf. */
static bool read_bytes(gzFile f, const char *path, void *buf, size_t n,
                       size_t *got, dk_err *err)
{
    *got = 0;
    while (*got < n) {
        /* gzread counts in int: read at most 1 GiB a call. */
        size_t want = n - *got < (1u << 30) ? n - *got : (1u << 30);
        int r = gzread(f, (char *)buf + *got, (unsigned)want);
        if (r < 0) {
            int zerr;
            const char *why = gzerror(f, &zerr);
            return dk_fail(err, "%s: corrupt or truncated file (%s)", path,
                           zerr == Z_ERRNO ? strerror(errno) : why);
        }
        if (r == 0)
            return true;
        *got += (size_t)r;
    }
    return true;
}

static uint32_t big_endian32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static bool check_magic(const char *path, const unsigned char m[4], dk_err *err)
{
    if (m[0] != 0 || m[1] != 0 || (m[2] != IDX_UBYTE && !other_type_name(m[2])))
        return dk_fail(err, "%s: bad magic number 0x%02x%02x%02x%02x: not an IDX file",
                       path, m[0], m[1], m[2], m[3]);
    if (m[2] != IDX_UBYTE)
        return dk_fail(err,
                       "%s: unsupported IDX type 0x%02x (%s): only unsigned bytes "
                       "(0x08) are supported",
                       path, m[2], other_type_name(m[2]));
    if (m[3] < 1 || m[3] > 4)
        return dk_fail(err, "%s: unsupported IDX rank %d: 1 to 4 dimensions are "
                       "supported", path, m[3]);
    return true;
}

static bool read_header(gzFile f, const char *path, dk_idx *idx, dk_err *err)
{
    unsigned char head[4 + 4 * 4];
    size_t got;
    if (!read_bytes(f, path, head, 4, &got, err))
        return false;
    if (got < 4)
        return dk_fail(err, "%s: truncated: %zu bytes, shorter than an IDX header",
                       path, got);
    if (!check_magic(path, head, err))
        return false;
    idx->ndim = head[3];
    if (!read_bytes(f, path, head + 4, 4 * idx->ndim, &got, err))
        return false;
    if (got < 4 * idx->ndim)
        return dk_fail(err, "%s: truncated inside the header's %zu dimensions", path,
                       idx->ndim);
    idx->count = 1;
    for (size_t i = 0; i < idx->ndim; i++) {
        idx->dims[i] = big_endian32(head + 4 + 4 * i);
        if (idx->dims[i] != 0 && idx->count > SIZE_MAX / 2 / idx->dims[i])
            return dk_fail(err, "%s: dimensions too large", path);
        idx->count *= idx->dims[i];
    }
    return true;
}

/* The data grows as it arrives, so that a corrupt header claiming
 * gigabytes ends as "truncated" instead of a huge allocation. */
static bool read_data(gzFile f, const char *path, dk_idx *idx, dk_err *err)
{
    size_t cap = idx->count < CHUNK ? idx->count : CHUNK, have = 0, got;
    idx->data = malloc(cap + 1);
    for (;;) {
        if (!idx->data)
            return dk_fail(err, "%s: out of memory for %zu bytes", path, cap);
        if (!read_bytes(f, path, idx->data + have, cap - have, &got, err))
            return false;
        have += got;
        if (have < cap || have == idx->count)
            break;
        cap = idx->count - cap < cap ? idx->count : 2 * cap;
        uint8_t *bigger = realloc(idx->data, cap + 1);
        if (!bigger)
            free(idx->data);
        idx->data = bigger;
    }
    if (have < idx->count)
        return dk_fail(err, "%s: truncated: %zu data bytes, the header declares %zu",
                       path, have, idx->count);
    uint8_t extra;
    if (!read_bytes(f, path, &extra, 1, &got, err))
        return false;
    if (got != 0)
        return dk_fail(err, "%s: trailing bytes after the %zu data bytes the header "
                       "declares", path, idx->count);
    return true;
}

bool dk_idx_read(const char *path, dk_idx *out, dk_err *err)
{
    *out = (dk_idx){0};
    errno = 0;
    gzFile f = gzopen(path, "rb");
    if (!f)
        return dk_fail_open(err, path, errno ? errno : ENOMEM);
    gzbuffer(f, 1 << 17);
    bool ok = read_header(f, path, out, err) && read_data(f, path, out, err);
    gzclose(f);
    if (!ok)
        dk_idx_free(out);
    return ok;
}

void dk_idx_free(dk_idx *idx)
{
    free(idx->data);
    *idx = (dk_idx){0};
}

static bool check_pair(const char *images, const dk_idx *im, const char *labels,
                       const dk_idx *lb, dk_err *err)
{
    if (im->ndim != 3)
        return dk_fail(err, "%s: %zu dimensions, an image file has 3 (N, H, W)",
                       images, im->ndim);
    if (lb->ndim != 1)
        return dk_fail(err, "%s: %zu dimensions, a label file has 1 (N)", labels,
                       lb->ndim);
    if (im->dims[0] != lb->dims[0])
        return dk_fail(err, "image/label count mismatch: %s has %zu images, %s has "
                       "%zu labels", images, im->dims[0], labels, lb->dims[0]);
    for (size_t i = 0; i < lb->count; i++)
        if (lb->data[i] >= IDX_CLASSES)
            return dk_fail(err, "%s: label %d at index %zu out of range 0..%d", labels,
                           lb->data[i], i, IDX_CLASSES - 1);
    return true;
}

bool dk_load_idx_pair(const char *images, const char *labels, dk_dataset *out,
                      dk_err *err)
{
    *out = (dk_dataset){0};
    dk_idx im, lb = {0};
    bool ok = dk_idx_read(images, &im, err) && dk_idx_read(labels, &lb, err) &&
              check_pair(images, &im, labels, &lb, err) &&
              dk_dataset_alloc(out, im.dims[0], im.dims[1] * im.dims[2], err);
    if (ok) {
        for (size_t i = 0; i < im.count; i++)
            out->x[i] = (float)im.data[i] / 255.0f;
        for (size_t i = 0; i < out->n; i++)
            out->y[i] = lb.data[i];
        out->classes = IDX_CLASSES;
        out->h = im.dims[1];
        out->w = im.dims[2];
        out->c = 1;
    }
    dk_idx_free(&im);
    dk_idx_free(&lb);
    return ok;
}
