/* Chapter 01, part 1: activations and their derivatives (36 points). */
#include "grade.h"
#include "perceptron.h"
#include "ref_api.h"

#include <float.h>
#include <math.h>

enum { NSAMPLES = 400 };

/* Inputs for an activation: special points, then random ones with
 * magnitudes from `smallest` to `range` (log-uniform) and both signs. */
static size_t inputs_from(float *xs, float smallest, float range, uint64_t salt)
{
    static const float special[] = {0.0f, -0.0f, 1e-6f, -1e-6f, 0.5f, -0.5f,
                                    1.0f, -1.0f, 2.0f, -2.0f, 5.0f, -5.0f};
    size_t n = 0;
    for (; n < sizeof special / sizeof special[0]; n++)
        xs[n] = special[n];
    dk_rng rng = dk_test_rng(salt);
    for (; n < NSAMPLES; n++) {
        float mag = expf(dk_rng_range(&rng, logf(smallest), logf(range)));
        xs[n] = dk_rng_uniform(&rng) < 0.5f ? -mag : mag;
    }
    return n;
}

static size_t inputs(float *xs, float range, uint64_t salt)
{
    return inputs_from(xs, 1e-4f, range, salt);
}

/* Extreme inputs where a careless formula overflows to inf or NaN. */
static const float extremes[] = {1000.0f, -1000.0f, 100.0f, -100.0f, 89.0f,
                                 -89.0f, 88.7f, -88.7f, 50.0f, -50.0f,
                                 FLT_MAX, -FLT_MAX, INFINITY, -INFINITY};
#define NEXTREMES (sizeof extremes / sizeof extremes[0])

typedef float (*activation)(float);

static void expect_same(activation yours, activation ref, const float *xs,
                        size_t n, dk_tol tol, const char *name)
{
    for (size_t i = 0; i < n; i++)
        dk_expect_near(ref(xs[i]), yours(xs[i]), tol, "%s(%.9g)", name, xs[i]);
}

/* As expect_same, for a derivative often written with its activation
 * (s' = s (1 - s)): where the derivative is wrong and the student's
 * activation is wrong at the same input, the failure names the
 * activation, the one to fix first. */
static void expect_same_grad(activation yours, activation ref, activation f, activation ref_f,
                             const float *xs, size_t n, const char *name, const char *f_name)
{
    for (size_t i = 0; i < n; i++) {
        const float want = ref(xs[i]), got = yours(xs[i]);
        const float f_want = ref_f(xs[i]), f_got = f(xs[i]);
        if (!dk_close(want, got, DK_TOL_ELEMENTWISE) && !dk_close(f_want, f_got, DK_TOL_ELEMENTWISE))
            dk_test_fail(DK_WRONG_VALUE, "%s(%.9g) = %.9g, expected %.9g; %s(%.9g) is itself wrong "
                         "there (%.9g, expected %.9g). If %s uses %s, fix %s first: its own tests "
                         "say how.", name, xs[i], got, want, f_name, xs[i], f_got, f_want, name,
                         f_name, f_name);
    }
    expect_same(yours, ref, xs, n, DK_TOL_ELEMENTWISE, name);
}

/* Finite differences of the reference activation against the derivative
 * under test: loss = sum_i c_i f(x_i), so dloss/dx_i = c_i f'(x_i). The
 * random inputs keep clear of 0, where ReLU has its kink. */
typedef struct sum_ctx {
    activation f;
    const float *c;
    size_t n;
} sum_ctx;

static float xs_fd[NSAMPLES];

static double weighted_sum(void *p)
{
    const sum_ctx *s = p;
    double total = 0;
    for (size_t i = 0; i < s->n; i++)
        total += s->c[i] * (double)s->f(xs_fd[i]);
    return total;
}

static void expect_derivative(activation f_ref, activation grad, float range,
                              const char *name)
{
    static float c[NSAMPLES], g[NSAMPLES];
    size_t n = inputs_from(xs_fd, 0.05f, range, 9);
    dk_rng rng = dk_test_rng(8);
    for (size_t i = 0; i < n; i++) {
        c[i] = dk_rng_range(&rng, 0.5f, 2.0f);
        g[i] = c[i] * grad(xs_fd[i]);
    }
    sum_ctx ctx = {f_ref, c, n};
    dk_grad_param x = {"x", xs_fd, g, DK_SHAPE(n)};
    dk_expect_gradients(weighted_sum, &ctx, &x, 1, DK_GRADCHECK_FLOAT32,
                        "%s", name);
}

GRADED_TEST(heaviside_values, 4, 10,
            "The step function is 1 for x >= 0 and 0 below; the contract fixes "
            "its value at exactly 0 (and at -0.0, which compares equal to 0).")
{
    float xs[NSAMPLES];
    size_t n = inputs(xs, 100.0f, 1);
    expect_same(act_heaviside, ref_act_heaviside, xs, n, DK_TOL_EXACT, "act_heaviside");
    const float edges[] = {FLT_MIN, -FLT_MIN, FLT_TRUE_MIN, -FLT_TRUE_MIN, INFINITY, -INFINITY};
    expect_same(act_heaviside, ref_act_heaviside, edges, 6, DK_TOL_EXACT, "act_heaviside");
}

GRADED_TEST(sigmoid_values, 5, 10,
            "sigmoid(x) = 1 / (1 + e^-x): 1/2 at 0, near 1 for large x, near 0 for "
            "very negative x.")
{
    float xs[NSAMPLES];
    size_t n = inputs(xs, 30.0f, 2);
    expect_same(act_sigmoid, ref_act_sigmoid, xs, n, DK_TOL_ELEMENTWISE, "act_sigmoid");
}

GRADED_TEST(sigmoid_extremes, 5, 10,
            "e^x overflows float32 above x = 88.7, and inf/inf is NaN: e^x/(1+e^x) "
            "fails there. The equal form 1/(1+e^-x) never divides infinities.")
{
    expect_same(act_sigmoid, ref_act_sigmoid, extremes, NEXTREMES, DK_TOL_ELEMENTWISE,
                "act_sigmoid");
}

GRADED_TEST(sigmoid_grad_values, 5, 10,
            "The derivative of the sigmoid can be written with the sigmoid itself: "
            "s(x) (1 - s(x)), evaluated at the input x, not at an output; finite "
            "for every x, like the sigmoid.")
{
    float xs[NSAMPLES];
    size_t n = inputs(xs, 30.0f, 3);
    expect_same_grad(act_sigmoid_grad, ref_act_sigmoid_grad, act_sigmoid, ref_act_sigmoid, xs, n,
                     "act_sigmoid_grad", "act_sigmoid");
    expect_same_grad(act_sigmoid_grad, ref_act_sigmoid_grad, act_sigmoid, ref_act_sigmoid,
                     extremes, NEXTREMES, "act_sigmoid_grad", "act_sigmoid");
    expect_derivative(ref_act_sigmoid, act_sigmoid_grad, 10.0f, "act_sigmoid_grad");
}

GRADED_TEST(tanh_values, 4, 10,
            "tanh(x) = (e^x - e^-x) / (e^x + e^-x), between -1 and 1, odd: "
            "tanh(-x) = -tanh(x).")
{
    float xs[NSAMPLES];
    size_t n = inputs(xs, 20.0f, 4);
    expect_same(act_tanh, ref_act_tanh, xs, n, DK_TOL_ELEMENTWISE, "act_tanh");
}

GRADED_TEST(tanh_extremes, 3, 10,
            "For large |x| the exponentials overflow (inf/inf is NaN): tanh is +-1 "
            "there. Near 0, e^x - e^-x cancels almost all its digits; expm1 "
            "computes e^x - 1 without that loss.")
{
    expect_same(act_tanh, ref_act_tanh, extremes, NEXTREMES, DK_TOL_ELEMENTWISE, "act_tanh");
    /* Near zero tanh(x) ~ x: only a relative tolerance means anything. */
    const float tiny[] = {1e-3f, -1e-3f, 1e-6f, -1e-6f, 3e-9f, -3e-9f, 1e-30f, -1e-30f};
    expect_same(act_tanh, ref_act_tanh, tiny, 8, (dk_tol){1e-5, 0.0}, "act_tanh");
}

GRADED_TEST(tanh_grad_values, 4, 10,
            "Like the sigmoid's, tanh's derivative is a function of tanh itself: "
            "1 - tanh(x)^2.")
{
    float xs[NSAMPLES];
    size_t n = inputs(xs, 20.0f, 5);
    expect_same_grad(act_tanh_grad, ref_act_tanh_grad, act_tanh, ref_act_tanh, xs, n,
                     "act_tanh_grad", "act_tanh");
    expect_same_grad(act_tanh_grad, ref_act_tanh_grad, act_tanh, ref_act_tanh, extremes, NEXTREMES,
                     "act_tanh_grad", "act_tanh");
    expect_derivative(ref_act_tanh, act_tanh_grad, 5.0f, "act_tanh_grad");
}

GRADED_TEST(relu_values, 3, 10, "ReLU passes positive inputs through and zeroes the rest.")
{
    float xs[NSAMPLES];
    size_t n = inputs(xs, 100.0f, 6);
    expect_same(act_relu, ref_act_relu, xs, n, DK_TOL_EXACT, "act_relu");
    expect_same(act_relu, ref_act_relu, extremes, NEXTREMES, DK_TOL_EXACT, "act_relu");
}

GRADED_TEST(relu_grad_values, 3, 10,
            "ReLU's slope is 1 where it passes the input and 0 where it clips; at "
            "the kink x = 0 the contract picks 0.")
{
    float xs[NSAMPLES];
    size_t n = inputs(xs, 100.0f, 7);
    expect_same(act_relu_grad, ref_act_relu_grad, xs, n, DK_TOL_EXACT, "act_relu_grad");
    expect_derivative(ref_act_relu, act_relu_grad, 100.0f, "act_relu_grad");
}
