/* The grader's one tolerance policy, for the CUDA track.
 *
 * The same definitions as grader/core/grade.h's, which the GPU checks
 * cannot include: it pulls in Criterion, and the GPU machine has none.
 * make check compiles this header after grade.h (the macros' redefinitions
 * must be identical, or the build fails) and compares dkg_close with
 * dk_close (gpu/tests/cpu_refs.c), so the two cannot drift apart.
 *
 * got matches expected when |got - expected| <= atol + rtol * |expected|,
 * both finite, or both the same infinity. NaN never matches anything. */
#ifndef DLKIT_GPU_TOLERANCE_H
#define DLKIT_GPU_TOLERANCE_H

#include <math.h>
#include <stdbool.h>

#ifndef DLKIT_GRADE_H /* (where grade.h came first, its struct is this one) */
typedef struct dk_tol {
    double rtol, atol;
} dk_tol;
#endif

/* Bit-for-bit results (integer-valued outputs, copies). */
#define DK_TOL_EXACT ((dk_tol){0.0, 0.0})
/* One float32 operation or a library call (exp, tanh) per element: a few
 * ulps, since the student's formula may differ from the reference's. */
#define DK_TOL_ELEMENTWISE ((dk_tol){1e-5, 1e-6})
/* Sums and products over many elements, where the order of float32
 * additions differs between two correct implementations. */
#define DK_TOL_REDUCTION ((dk_tol){1e-4, 1e-5})

static inline bool dkg_close(double expected, double got, dk_tol tol)
{
    if (isnan(expected) || isnan(got))
        return false;
    if (isinf(expected) || isinf(got))
        return expected == got;
    return fabs(got - expected) <= tol.atol + tol.rtol * fabs(expected);
}

#endif
