/* Failing a test, the tolerance policy, and value comparisons. */
#include "grade.h"
#include "internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MSG_LEN = 2048 };

/* worker.c's, in a graded test's process (absent from the kit's own
 * tests). */
extern void dk_note_ended(const char *failure) __attribute__((weak));

static void vfail(const char *kind, const char *fmt, va_list ap)
    __attribute__((noreturn, format(printf, 2, 0)));

static dk_fail_handler fail_handler;

void dk_set_fail_handler(dk_fail_handler handler)
{
    fail_handler = handler;
}

/* worker.c's, in a graded test's process (absent from the kit's own
 * tests). */
extern void dk_note_ended(const char *failure) __attribute__((weak));

static void vfail(const char *kind, const char *fmt, va_list ap)
{
    char msg[MSG_LEN];
    int n = snprintf(msg, sizeof msg, "%s: ", kind);
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    if (fail_handler) {
        fail_handler(msg);
    } else {
        if (dk_note_ended)
            dk_note_ended(msg);
        cr_assert_fail("%s", msg);
    }
    abort(); /* not reached: both end the test */
}

void dk_test_fail(const char *kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(kind, fmt, ap);
}

uint64_t dk_test_seed(void)
{
    const char *s = getenv("DLKIT_SEED");
    return s && *s ? strtoull(s, NULL, 10) : 1;
}

dk_rng dk_test_rng(uint64_t salt)
{
    dk_rng rng;
    dk_rng_seed(&rng, dk_test_seed() * 0x9e3779b97f4a7c15ULL + salt);
    return rng;
}

const char *dk_student_file(const char *name)
{
    static char path[4096];
    const char *stage = getenv("DK_STAGE");
    if (!stage)
        dk_test_fail(DK_KIT_ERROR, "DK_STAGE is not set: run the tests through grade-chapter");
    snprintf(path, sizeof path, "%s/%s", stage, name);
    return path;
}

void dk_fill_uniform(dk_rng *rng, float *x, size_t n, float lo, float hi)
{
    for (size_t i = 0; i < n; i++)
        x[i] = dk_rng_range(rng, lo, hi);
}

float *dk_random_array(dk_rng *rng, size_t n, float lo, float hi)
{
    float *a = malloc((n ? n : 1) * sizeof *a);
    if (!a)
        dk_fatal("grader: out of memory");
    dk_fill_uniform(rng, a, n, lo, hi);
    return a;
}

bool dk_close(double expected, double got, dk_tol tol)
{
    if (isnan(expected) || isnan(got))
        return false;
    if (isinf(expected) || isinf(got))
        return expected == got;
    return fabs(got - expected) <= tol.atol + tol.rtol * fabs(expected);
}

size_t dk_shape_count(dk_shape shape)
{
    size_t n = 1;
    for (size_t i = 0; i < shape.ndim; i++)
        n *= shape.dim[i];
    return n;
}

/* "(4, 3)" */
static void shape_text(dk_shape shape, char *buf, size_t len)
{
    int n = snprintf(buf, len, "(");
    for (size_t i = 0; i < shape.ndim && (size_t)n < len; i++)
        n += snprintf(buf + n, len - (size_t)n, "%s%zu", i ? ", " : "", shape.dim[i]);
    if ((size_t)n < len)
        snprintf(buf + n, len - (size_t)n, "%s)", shape.ndim == 1 ? "," : "");
}

/* Flat index -> "[2, 1]" in row-major order of shape. */
static void index_text(dk_shape shape, size_t flat, char *buf, size_t len)
{
    size_t idx[4] = {0};
    for (size_t i = shape.ndim; i-- > 0;) {
        size_t d = shape.dim[i] ? shape.dim[i] : 1;
        idx[i] = flat % d;
        flat /= d;
    }
    int n = snprintf(buf, len, "[");
    for (size_t i = 0; i < shape.ndim && (size_t)n < len; i++)
        n += snprintf(buf + n, len - (size_t)n, "%s%zu", i ? ", " : "", idx[i]);
    if ((size_t)n < len)
        snprintf(buf + n, len - (size_t)n, "]");
}

void dk_describe_element(dk_shape shape, size_t flat, char *buf, size_t len)
{
    char i[64], s[64];
    index_text(shape, flat, i, sizeof i);
    shape_text(shape, s, sizeof s);
    snprintf(buf, len, "element %s of shape %s", i, s);
}

#define FORMAT_WHAT(buf, fmt)                                                  \
    do {                                                                       \
        va_list ap;                                                            \
        va_start(ap, fmt);                                                     \
        vsnprintf(buf, sizeof buf, fmt, ap);                                   \
        va_end(ap);                                                            \
    } while (0)

void dk_expect_near(double expected, double got, dk_tol tol,
                    const char *what_fmt, ...)
{
    if (dk_close(expected, got, tol))
        return;
    char what[512];
    FORMAT_WHAT(what, what_fmt);
    dk_test_fail(DK_WRONG_VALUE, "%s: expected %.9g, got %.9g", what, expected, got);
}

void dk_expect_int(long expected, long got, const char *what_fmt, ...)
{
    if (expected == got)
        return;
    char what[512];
    FORMAT_WHAT(what, what_fmt);
    dk_test_fail(DK_WRONG_VALUE, "%s: expected %ld, got %ld", what, expected, got);
}

/* Fails naming the first of `wrong` wrong elements of shape. */
static void fail_at(dk_shape shape, size_t first, size_t wrong, const char *expected,
                    const char *got, const char *what)
{
    char where[160];
    dk_describe_element(shape, first, where, sizeof where);
    dk_test_fail(DK_WRONG_VALUE, "%s, %s: expected %s, got %s (%zu of %zu elements wrong)",
                 what, where, expected, got, wrong, dk_shape_count(shape));
}

void dk_expect_floats(const float *expected, const float *got, dk_shape shape,
                      dk_tol tol, const char *what_fmt, ...)
{
    size_t n = dk_shape_count(shape), wrong = 0, first = 0;
    for (size_t i = 0; i < n; i++)
        if (!dk_close(expected[i], got[i], tol) && wrong++ == 0)
            first = i;
    if (!wrong)
        return;
    char what[512], e[32], g[32];
    FORMAT_WHAT(what, what_fmt);
    snprintf(e, sizeof e, "%.9g", expected[first]);
    snprintf(g, sizeof g, "%.9g", got[first]);
    fail_at(shape, first, wrong, e, g, what);
}

void dk_expect_ints(const int *expected, const int *got, dk_shape shape,
                    const char *what_fmt, ...)
{
    size_t n = dk_shape_count(shape), wrong = 0, first = 0;
    for (size_t i = 0; i < n; i++)
        if (expected[i] != got[i] && wrong++ == 0)
            first = i;
    if (!wrong)
        return;
    char what[512], e[16], g[16];
    FORMAT_WHAT(what, what_fmt);
    snprintf(e, sizeof e, "%d", expected[first]);
    snprintf(g, sizeof g, "%d", got[first]);
    fail_at(shape, first, wrong, e, g, what);
}
