/* Chapter 06 tests: layer norm, GELU and positions (21 points), against the
 * and finite differences. */
#include "cases.h"
#include "ref_api.h"

#include <math.h>
#include <stdlib.h>

/* N rows of D features. */
static const struct { size_t N, D; } LN_SHAPES[] = {{1, 1}, {3, 5}, {4, 16}, {7, 33}, {16, 64}};
enum { NLN = sizeof LN_SHAPES / sizeof LN_SHAPES[0], NLN_SMALL = 3 };

/* X (N, D) with rows of different means and spreads; row 1 (when there is
 * one) spread 1e-3 around 0: a variance near LN_EPS, where eps matters.
 * (Around a large mean, float32 sums would cancel most of that spread's
 * digits: correct float code would fail, so the mean stays small.) */
static float *ln_input(dk_rng *rng, size_t N, size_t D)
{
    float *X = dk_random_array(rng, N * D, -1, 1);
    for (size_t r = 0; r < N; r++)
        for (size_t j = 0; j < D; j++)
            X[r * D + j] = r == 1 ? 1e-3f * X[r * D + j]
                                  : (float)r - 2.0f + (1.0f + (float)r) * X[r * D + j];
    return X;
}

GRADED_TEST(layernorm_forward_values, 5, 10,
            "Per row: the mean, the biased variance (divided by D), rstd = 1 / sqrt(var + "
            "LN_EPS), then y = gamma * (x - mean) * rstd + beta; stats holds the N means, then "
            "the N rstd. Each row is normalised over its own D features, not over the rows.")
{
    for (size_t k = 0; k < NLN; k++) {
        const size_t N = LN_SHAPES[k].N, D = LN_SHAPES[k].D;
        dk_rng rng = dk_test_rng(600 + k);
        float *X = ln_input(&rng, N, D), *gamma = dk_random_array(&rng, D, 0.5f, 1.5f);
        float *beta = dk_random_array(&rng, D, -0.5f, 0.5f);
        float *want = alloc_or_die(N * D + 2 * N, sizeof *want);
        ref_layernorm_forward(X, N, D, gamma, beta, want, want + N * D);
        float *Y = dk_guard_floats(N * D), *stats = dk_guard_floats(2 * N);
        layernorm_forward(X, N, D, gamma, beta, Y, stats);
        dk_guard_check(stats, DK_SHAPE(2, N), "layernorm_forward(N %zu, D %zu): stats", N, D);
        dk_expect_floats(want + N * D, stats, DK_SHAPE(2, N), DK_TOL_REDUCTION,
                         "layernorm_forward(N %zu, D %zu): stats (the means, then the rstd)", N, D);
        dk_guard_check(Y, DK_SHAPE(N, D), "layernorm_forward(N %zu, D %zu): Y", N, D);
        dk_expect_floats(want, Y, DK_SHAPE(N, D), DK_TOL_REDUCTION,
                         "layernorm_forward(N %zu, D %zu): Y", N, D);
        dk_guard_free(Y), dk_guard_free(stats);
        free(X), free(gamma), free(beta), free(want);
    }
}

GRADED_TEST(layernorm_backward_values, 5, 10,
            "With xhat = (x - mean) * rstd and g = dy * gamma: dx = rstd * (g - mean(g) - xhat "
            "* mean(g * xhat)), the means over the row's features (the paths through the mean "
            "and the variance); dgamma += dy * xhat and dbeta += dy, summed over the rows. Row "
            "1 has a variance near LN_EPS: there the eps inside rstd matters.")
{
    for (size_t k = 0; k < NLN; k++) {
        const size_t N = LN_SHAPES[k].N, D = LN_SHAPES[k].D;
        dk_rng rng = dk_test_rng(610 + k);
        float *X = ln_input(&rng, N, D), *gamma = dk_random_array(&rng, D, 0.5f, 1.5f);
        float *beta = dk_random_array(&rng, D, -0.5f, 0.5f), *dY = dk_random_array(&rng, N * D, -1, 1);
        float *Yref = alloc_or_die(N * D + 2 * N, sizeof *Yref), *stats = Yref + N * D;
        ref_layernorm_forward(X, N, D, gamma, beta, Yref, stats);
        float *want = alloc_or_die(N * D + 2 * D, sizeof *want);
        ref_layernorm_backward(X, N, D, gamma, stats, dY, want, want + N * D, want + N * D + D);
        float *dX = dk_guard_floats(N * D), *dgamma = dk_guard_floats_prefilled(D, &rng);
        float *dbeta = dk_guard_floats_prefilled(D, &rng);
        layernorm_backward(X, N, D, gamma, stats, dY, dX, dgamma, dbeta);
        dk_guard_check(dX, DK_SHAPE(N, D), "layernorm_backward(N %zu, D %zu): dX", N, D);
        dk_expect_floats(want, dX, DK_SHAPE(N, D), DK_TOL_REDUCTION,
                         "layernorm_backward(N %zu, D %zu): dX", N, D);
        dk_expect_accumulated(want + N * D, dgamma, DK_SHAPE(D), DK_TOL_REDUCTION,
                              "layernorm_backward(N %zu, D %zu): dgamma", N, D);
        dk_expect_accumulated(want + N * D + D, dbeta, DK_SHAPE(D), DK_TOL_REDUCTION,
                              "layernorm_backward(N %zu, D %zu): dbeta", N, D);
        dk_guard_free(dX), dk_guard_free(dgamma), dk_guard_free(dbeta);
        free(X), free(gamma), free(beta), free(dY), free(Yref), free(want);
    }
}

typedef struct ln_fd {
    size_t N, D;
    float *X, *gamma, *beta, *R, *Y, *stats;
} ln_fd;

static double ln_loss(void *ctx)
{
    ln_fd *c = ctx;
    layernorm_forward(c->X, c->N, c->D, c->gamma, c->beta, c->Y, c->stats);
    return weighted_sum(c->R, c->Y, c->N * c->D);
}

GRADED_TEST(layernorm_gradients_by_finite_differences, 3, 30,
            "Each of dX, dgamma and dbeta is the loss's slope along it: this names the first "
            "that is not. A dX missing the path through the mean or the variance shows here.")
{
    for (size_t k = 1; k < NLN_SMALL; k++) { /* (D = 1 has no slope in X) */
        const size_t N = LN_SHAPES[k].N, D = LN_SHAPES[k].D;
        dk_rng rng = dk_test_rng(620 + k);
        ln_fd c = {N, D, dk_random_array(&rng, N * D, -2, 2), dk_random_array(&rng, D, 0.5f, 1.5f),
                   dk_random_array(&rng, D, -0.5f, 0.5f), dk_random_array(&rng, N * D, -1, 1),
                   alloc_or_die(N * D, sizeof(float)), alloc_or_die(2 * N, sizeof(float))};
        float *grads = alloc_or_die(N * D + 2 * D, sizeof *grads);
        layernorm_forward(c.X, N, D, c.gamma, c.beta, c.Y, c.stats);
        layernorm_backward(c.X, N, D, c.gamma, c.stats, c.R, grads, grads + N * D,
                           grads + N * D + D);
        const dk_grad_param params[] = {
            {"X", c.X, grads, DK_SHAPE(N, D)},
            {"gamma", c.gamma, grads + N * D, DK_SHAPE(D)},
            {"beta", c.beta, grads + N * D + D, DK_SHAPE(D)},
        };
        dk_expect_gradients(ln_loss, &c, params, 3, DK_GRADCHECK_FLOAT32,
                            "layernorm (N %zu, D %zu), loss = sum(R * Y)", N, D);
        free(c.X), free(c.gamma), free(c.beta), free(c.R), free(c.Y), free(c.stats), free(grads);
    }
}

/* Inputs across GELU's curve: deep negative (where it is ~0), around its
 * minimum near -0.75, zero, and large positive (where it is ~x). */
static float *gelu_inputs(dk_rng *rng, size_t n)
{
    static const float fixed[] = {-10, -3, -0.75f, -0.1f, 0, 0.1f, 1, 3, 10};
    float *x = dk_random_array(rng, n, -4, 4);
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] && i < n; i++)
        x[i] = fixed[i];
    return x;
}

GRADED_TEST(gelu_values, 3, 10,
            "y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))): GPT-2's tanh form, not the "
            "exact erf form; slightly negative for small negative x.")
{
    const size_t n = 200;
    dk_rng rng = dk_test_rng(630);
    float *x = gelu_inputs(&rng, n), *want = alloc_or_die(n, sizeof *want);
    ref_gelu_forward(x, n, want);
    float *y = dk_guard_floats(n);
    gelu_forward(x, n, y);
    dk_guard_check(y, DK_SHAPE(n), "gelu_forward: y");
    dk_expect_floats(want, y, DK_SHAPE(n), DK_TOL_ELEMENTWISE, "gelu_forward(x in [-10, 10]): y");
    dk_guard_free(y);
    free(x), free(want);
}

typedef struct gelu_fd {
    size_t n;
    float *x, *R, *y;
} gelu_fd;

static double gelu_loss(void *ctx)
{
    gelu_fd *c = ctx;
    gelu_forward(c->x, c->n, c->y);
    return weighted_sum(c->R, c->y, c->n);
}

GRADED_TEST(gelu_backward_values, 3, 10,
            "dx = dy * (0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) u'), u' = sqrt(2/pi) (1 + 3 * "
            "0.044715 x^2): GELU's slope is smooth and slightly negative below about -0.75, "
            "unlike ReLU's 0 or 1.")
{
    const size_t n = 200;
    dk_rng rng = dk_test_rng(640);
    float *x = gelu_inputs(&rng, n), *dy = dk_random_array(&rng, n, -1, 1);
    float *want = alloc_or_die(n, sizeof *want), *dx = dk_guard_floats(n);
    ref_gelu_backward(x, dy, n, want);
    gelu_backward(x, dy, n, dx);
    dk_guard_check(dx, DK_SHAPE(n), "gelu_backward: dx");
    dk_expect_floats(want, dx, DK_SHAPE(n), DK_TOL_ELEMENTWISE, "gelu_backward(x in [-10, 10]): dx");
    /* and the slope itself, against finite differences of gelu_forward */
    gelu_fd c = {24, x + n - 24, dy + n - 24, alloc_or_die(24, sizeof(float))};
    float *grad = alloc_or_die(24, sizeof *grad);
    gelu_backward(c.x, c.R, c.n, grad);
    const dk_grad_param params[] = {{"x", c.x, grad, DK_SHAPE(24)}};
    dk_expect_gradients(gelu_loss, &c, params, 1, DK_GRADCHECK_FLOAT32, "gelu, loss = sum(R * y)");
    dk_guard_free(dx);
    free(x), free(dy), free(want), free(c.y), free(grad);
}

GRADED_TEST(sinusoidal_positions_values, 2, 10,
            "Features 2k and 2k + 1 share the angle t / 10000^(2k/D): sine at the even "
            "feature, cosine at the odd one; an odd D ends with a sine. Row 0 is 0, 1, 0, 1...")
{
    static const struct { size_t T, D; } shapes[] = {{1, 4}, {8, 6}, {50, 7}, {128, 64}};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        const size_t T = shapes[k].T, D = shapes[k].D;
        float *want = alloc_or_die(T * D, sizeof *want), *P = dk_guard_floats(T * D);
        ref_sinusoidal_positions(T, D, want);
        sinusoidal_positions(T, D, P);
        dk_guard_check(P, DK_SHAPE(T, D), "sinusoidal_positions(T %zu, D %zu)", T, D);
        dk_expect_floats(want, P, DK_SHAPE(T, D), DK_TOL_REDUCTION,
                         "sinusoidal_positions(T %zu, D %zu)", T, D);
        dk_guard_free(P);
        free(want);
    }
}
