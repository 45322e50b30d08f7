/* Guarded output buffers: guard zones on both sides of the output, and a
 * marker in every element so that elements never written are found. When
 * the student's code runs in its own process, the zones and the data live
 * in the region it shares (so its writes land in them, not in a copy);
 * what the checks rely on (the size, the marker, the prefill) stays in the
 * test process's private memory. */
#include "grade.h"
#include "internal.h"
#include "remote.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { GUARD = 64 }; /* elements of guard zone on each side */

/* Bit patterns no correct output holds: NaN payloads for floats, and an
 * integer far outside any label or index. Unwritten floats hold a
 * signalling NaN: arithmetic on it (out[i] += x where = belongs) gives the
 * same NaN made quiet, FLOAT_ADDED_TO, which tells that mistake apart from
 * an element never written. */
static const uint32_t ZONE_MARK = 0x7fc0beefu;
static const uint32_t FLOAT_UNWRITTEN = 0x7f80deadu;
static const uint32_t FLOAT_ADDED_TO = 0x7fc0deadu;
static const uint32_t INT_UNWRITTEN = 0x80001234u;

typedef struct header {
    uint32_t *zone;      /* GUARD words, the data, GUARD more words */
    size_t n;
    bool marked;         /* elements start as `unwritten` */
    uint32_t unwritten;
    float *prefill;      /* copy of the initial values, or NULL */
} header;

/* The live buffers' headers, private. */
static header *headers;
static size_t nheaders, cap;

static header *header_of(const void *buf)
{
    for (size_t i = 0; i < nheaders; i++)
        if (headers[i].zone + GUARD == buf)
            return &headers[i];
    dk_test_fail(DK_KIT_ERROR, "grader: %p is not a guarded buffer", buf);
}

static uint32_t *alloc_words(size_t n, bool marked, uint32_t unwritten)
{
    const size_t bytes = (n + 2 * GUARD) * sizeof(uint32_t);
    uint32_t *zone = dk_isolated() ? dk_region_alloc(bytes) : malloc(bytes);
    if (nheaders == cap) {
        cap = cap ? 2 * cap : 16;
        headers = realloc(headers, cap * sizeof *headers);
    }
    if (!zone || !headers)
        dk_fatal("grader: out of memory for a guarded buffer of %zu elements", n);
    headers[nheaders++] = (header){zone, n, marked, unwritten, NULL};
    uint32_t *data = zone + GUARD;
    for (size_t i = 0; i < GUARD; i++)
        zone[i] = data[n + i] = ZONE_MARK;
    for (size_t i = 0; i < n; i++)
        data[i] = unwritten;
    return data;
}

float *dk_guard_floats(size_t n)
{
    return (float *)alloc_words(n, true, FLOAT_UNWRITTEN);
}

int *dk_guard_ints(size_t n)
{
    return (int *)alloc_words(n, true, INT_UNWRITTEN);
}

float *dk_guard_floats_prefilled(size_t n, dk_rng *rng)
{
    float *buf = (float *)alloc_words(n, false, 0);
    header *h = header_of(buf);
    if (!(h->prefill = malloc((n ? n : 1) * sizeof(float))))
        dk_fatal("grader: out of memory for a guarded buffer of %zu elements", n);
    for (size_t i = 0; i < n; i++)
        buf[i] = h->prefill[i] = dk_rng_range(rng, -1, 1);
    return buf;
}

const float *dk_guard_prefill(const float *buf)
{
    return header_of(buf)->prefill;
}

/* Index (in the zone) of the corrupted word nearest the data, or -1. */
static long damaged(const uint32_t *zone, bool before)
{
    for (size_t k = 0; k < GUARD; k++) {
        size_t i = before ? GUARD - 1 - k : k;
        if (zone[i] != ZONE_MARK)
            return (long)i;
    }
    return -1;
}

void dk_guard_check(const void *buf, dk_shape shape, const char *what_fmt, ...)
{
    const header *h = header_of(buf);
    const uint32_t *data = buf;
    char what[512], shp[160];
    va_list ap;
    va_start(ap, what_fmt);
    vsnprintf(what, sizeof what, what_fmt, ap);
    va_end(ap);
    dk_describe_element(shape, 0, shp, sizeof shp);
    const char *shape_part = strstr(shp, "shape ");

    long b = damaged(h->zone, true), a = damaged(data + h->n, false);
    if (b >= 0)
        dk_test_fail(DK_WRONG_SHAPE, "%s wrote before the start of its output: element [%ld] "
                     "(expected output %s, %zu elements)", what, b - GUARD, shape_part, h->n);
    if (a >= 0)
        dk_test_fail(DK_WRONG_SHAPE, "%s wrote past the end of its output: element [%zu] "
                     "(expected output %s, %zu elements)", what, h->n + (size_t)a,
                     shape_part, h->n);
    size_t missing = 0, first = 0, added = 0, first_added = 0;
    for (size_t i = 0; h->marked && i < h->n; i++) {
        if (data[i] == h->unwritten && missing++ == 0)
            first = i;
        if (h->unwritten == FLOAT_UNWRITTEN && data[i] == FLOAT_ADDED_TO && added++ == 0)
            first_added = i;
    }
    if (added) {
        char where[160];
        dk_describe_element(shape, first_added, where, sizeof where);
        dk_test_fail(DK_WRONG_VALUE, "%s added to what its output held instead of overwriting "
                     "it: %s (%zu of %zu elements) was computed from the output's old contents "
                     "(+= where = belongs, or an accumulator never reset)", what, where, added,
                     h->n);
    }
    if (missing) {
        char where[160];
        dk_describe_element(shape, first, where, sizeof where);
        dk_test_fail(DK_WRONG_SHAPE, "%s never wrote %s (%zu of %zu elements unwritten)",
                     what, where, missing, h->n);
    }
}

void dk_guard_free(void *buf)
{
    if (!buf)
        return;
    header *h = header_of(buf);
    free(h->prefill);
    if (dk_isolated())
        dk_region_free(h->zone);
    else
        free(h->zone);
    *h = headers[--nheaders];
}

void dk_expect_accumulated(const float *grad, const float *buf, dk_shape shape, dk_tol tol,
                           const char *what_fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, what_fmt);
    vsnprintf(what, sizeof what, what_fmt, ap);
    va_end(ap);
    const size_t n = dk_shape_count(shape);
    float *want = malloc((n + 1) * sizeof *want);
    if (!want)
        dk_fatal("grader: out of memory");
    for (size_t i = 0; i < n; i++)
        want[i] = dk_guard_prefill(buf)[i] + grad[i];
    dk_guard_check(buf, shape, "%s", what);
    dk_expect_floats(want, buf, shape, tol,
                     "%s (it held random values before, to which the gradient must be added)",
                     what);
    free(want);
}
