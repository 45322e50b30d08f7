/* Chapter 02, part 4: your own gradient checker (8 points). It is fed right
 * gradients, which it must accept, and gradients wrong in one element,
 * which it must reject, naming the element. */
#include "backprop.h"
#include "grade.h"
#include "ref_api.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* loss = sum_i c_i x_i^2 + d_i x_i^3 in double, from float parameters: its
 * gradient 2 c x + 3 d x^2 is known exactly. */
typedef struct poly {
    float x[40];
    double c[40], d[40];
    size_t n;
} poly;

static double poly_loss(void *p)
{
    const poly *f = p;
    double l = 0;
    for (size_t i = 0; i < f->n; i++)
        l += f->c[i] * f->x[i] * f->x[i] + f->d[i] * f->x[i] * f->x[i] * f->x[i];
    return l;
}

static poly poly_make(uint64_t salt, float *grad)
{
    dk_rng rng = dk_test_rng(salt);
    poly f = {.n = 1 + dk_rng_below(&rng, 40)};
    for (size_t i = 0; i < f.n; i++) {
        f.x[i] = dk_rng_range(&rng, 0.5f, 2.0f) * (dk_rng_uniform(&rng) < 0.5f ? -1 : 1);
        /* |c| >= 0.5 and |d| <= 0.1 keep the slope x (2c + 3dx) away from 0 */
        f.c[i] = dk_rng_range(&rng, 0.5f, 2.0f) * (dk_rng_uniform(&rng) < 0.5f ? -1 : 1);
        f.d[i] = dk_rng_range(&rng, -0.1f, 0.1f);
        grad[i] = (float)(2 * f.c[i] * f.x[i] + 3 * f.d[i] * f.x[i] * f.x[i]);
    }
    return f;
}

/* eps = 1e-2 and tol = 1e-3: the central difference of a cubic is off by
 * d eps^2 (relative: 5e-5 at most here), well inside; a one-sided one by
 * about eps / (2 |x|) relative, 2.5e-3 or more, well outside. */
static const float EPS = 1e-2f;
static const double TOL = 1e-3;

GRADED_TEST(gradient_check_accepts_right_gradients, 3, 10,
            "Central differences: (L(v + eps) - L(v - eps)) / (2 eps) is off by O(eps^2); a "
            "one-sided difference is off by O(eps), too much here.")
{
    for (uint64_t trial = 0; trial < 50; trial++) {
        float grad[40];
        poly f = poly_make(90 + trial, grad), g = f;
        gradcheck_result want, got = {-1, 0, 0, 0};
        ref_gradient_check(poly_loss, &g, g.x, grad, g.n, EPS, TOL, &want);
        bool ok = gradient_check(poly_loss, &f, f.x, grad, f.n, EPS, TOL, &got);
        DK_CHECK(ok, "gradient_check rejected a right gradient of %zu parameters (your worst "
                 "relative error %g at index %zu; expected %g at %zu)", f.n, got.worst, got.index,
                 want.worst, want.index);
        dk_expect_near(want.worst, got.worst, (dk_tol){0.05, 1e-6},
                       "gradient_check's worst relative error (a right gradient, n = %zu)", f.n);
    }
}

GRADED_TEST(gradient_check_rejects_a_wrong_element, 3, 10,
            "A checker that misses one wrong element out of many is no checker: compare "
            "every element, keep the worst, and say where it is.")
{
    for (uint64_t trial = 0; trial < 50; trial++) {
        float grad[40];
        poly f = poly_make(200 + trial, grad);
        dk_rng rng = dk_test_rng(300 + trial);
        size_t bad = dk_rng_below(&rng, f.n);
        grad[bad] += copysignf(0.05f * fabsf(grad[bad]) + 0.02f, grad[bad]);
        gradcheck_result got = {0, (size_t)-1, 0, 0};
        bool ok = gradient_check(poly_loss, &f, f.x, grad, f.n, EPS, TOL, &got);
        DK_CHECK(!ok, "gradient_check accepted a gradient wrong at index %zu of %zu (by 5%% + "
                 "0.02)", bad, f.n);
        dk_expect_int((long)bad, (long)got.index, "gradient_check's index of the worst element");
        dk_expect_near(grad[bad], got.analytic, DK_TOL_EXACT, "gradient_check's analytic value");
    }
}

GRADED_TEST(gradient_check_restores_parameters, 2, 10,
            "Put each parameter back exactly as it was: the caller's model must not change.")
{
    float grad[40];
    poly f = poly_make(400, grad);
    float before[40];
    memcpy(before, f.x, sizeof before);
    gradcheck_result got;
    gradient_check(poly_loss, &f, f.x, grad, f.n, EPS, TOL, &got);
    dk_expect_floats(before, f.x, DK_SHAPE(f.n), DK_TOL_EXACT, "params after gradient_check");
}
