/* Chapter 03, part 2: dropout and batch normalisation (27 points). */
#include "grade.h"
#include "ref_api.h"
#include "training.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Dropout ---------------------------------------------------------------- */

GRADED_TEST(dropout_matches_reference, 3, 10,
            "One draw per element, in order: dropped when dk_rng_uniform(rng) < p. Kept "
            "values are scaled by 1 / (1 - p) during training.")
{
    dk_rng rng = dk_test_rng(200);
    static const float rates[] = {0.0f, 0.1f, 0.5f, 0.9f};
    for (int k = 0; k < 4; k++) {
        const size_t n = 999;
        float *x = dk_random_array(&rng, n, -2, 2), *want_y = malloc(n * sizeof(float));
        float *want_mask = malloc(n * sizeof(float));
        float *y = dk_guard_floats(n), *mask = dk_guard_floats(n);
        dk_rng r1 = dk_test_rng(201 + (uint64_t)k), r2 = r1;
        ref_dropout_forward(x, n, rates[k], true, &r1, want_mask, want_y);
        dropout_forward(x, n, rates[k], true, &r2, mask, y);
        dk_guard_check(mask, DK_SHAPE(n), "dropout_forward's mask (p %g)", rates[k]);
        dk_guard_check(y, DK_SHAPE(n), "dropout_forward's y (p %g)", rates[k]);
        dk_expect_floats(want_mask, mask, DK_SHAPE(n), DK_TOL_ELEMENTWISE,
                         "dropout_forward's mask (training, p %g)", rates[k]);
        dk_expect_floats(want_y, y, DK_SHAPE(n), DK_TOL_ELEMENTWISE,
                         "dropout_forward's y (training, p %g)", rates[k]);
        DK_CHECK(dk_rng_u64(&r1) == dk_rng_u64(&r2),
                 "dropout_forward(p %g) drew a different number of random values: one "
                 "dk_rng_uniform per element", rates[k]);
        free(x), free(want_y), free(want_mask);
        dk_guard_free(y), dk_guard_free(mask);
    }
}

GRADED_TEST(dropout_statistics, 3, 10,
            "Inverted dropout keeps the expectation: E[y] = (1 - p) * x / (1 - p) = x, so "
            "evaluation needs no scaling.")
{
    const size_t n = 200000;
    const float p = 0.3f;
    float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *mask = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = 1.0f;
    dk_rng rng = dk_test_rng(210);
    dropout_forward(x, n, p, true, &rng, mask, y);
    size_t dropped = 0;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        dropped += y[i] == 0.0f;
        sum += y[i];
        DK_CHECK(y[i] == 0.0f || fabsf(y[i] - 1 / (1 - p)) < 1e-6f,
                 "dropout_forward(p 0.3) of 1: element %zu is %g, neither 0 nor 1 / (1 - p)", i,
                 y[i]);
    }
    /* Five standard deviations of a binomial: a right one never fails. */
    double rate = (double)dropped / n, sd = sqrt(p * (1 - p) / n);
    DK_CHECK(fabs(rate - p) < 5 * sd, "dropout_forward(p 0.3) dropped %.4f of the elements, "
             "expected 0.3 +- %.4f", rate, 5 * sd);
    double mean = sum / n, sd_mean = sqrt(p / (1 - p) / n);
    DK_CHECK(fabs(mean - 1.0) < 5 * sd_mean, "the mean of dropout_forward(p 0.3) over an input "
             "of ones: expected 1 +- %.4f, got %.4f (are kept values rescaled?)", 5 * sd_mean,
             mean);
    free(x), free(y), free(mask);
}

GRADED_TEST(dropout_evaluation_is_identity, 2, 10,
            "At evaluation time dropout does nothing at all: y = x, no random draw, the "
            "mask untouched.")
{
    dk_rng rng = dk_test_rng(220);
    const size_t n = 500;
    float *x = dk_random_array(&rng, n, -2, 2), *y = dk_guard_floats(n);
    float *mask = dk_guard_floats_prefilled(n, &rng);
    dk_rng before = dk_test_rng(221), r = before;
    dropout_forward(x, n, 0.5f, false, &r, mask, y);
    dk_guard_check(y, DK_SHAPE(n), "dropout_forward in evaluation");
    dk_expect_floats(x, y, DK_SHAPE(n), DK_TOL_EXACT, "dropout_forward's y in evaluation (p 0.5)");
    dk_expect_floats(dk_guard_prefill(mask), mask, DK_SHAPE(n), DK_TOL_EXACT,
                     "the mask after dropout_forward in evaluation (it must stay untouched)");
    DK_CHECK(dk_rng_u64(&r) == dk_rng_u64(&before),
             "dropout_forward in evaluation drew random values");
    free(x);
    dk_guard_free(y), dk_guard_free(mask);
}

GRADED_TEST(dropout_backward_values, 2, 10,
            "The gradient flows only through the kept elements, scaled as they were.")
{
    dk_rng rng = dk_test_rng(230);
    const size_t n = 777;
    float *x = dk_random_array(&rng, n, -1, 1), *dy = dk_random_array(&rng, n, -1, 1);
    float *mask = malloc(n * sizeof *mask), *y = malloc(n * sizeof *y);
    float *want = malloc(n * sizeof *want), *dx = dk_guard_floats(n);
    ref_dropout_forward(x, n, 0.4f, true, &rng, mask, y);
    ref_dropout_backward(dy, mask, n, want);
    dropout_backward(dy, mask, n, dx);
    dk_guard_check(dx, DK_SHAPE(n), "dropout_backward");
    dk_expect_floats(want, dx, DK_SHAPE(n), DK_TOL_ELEMENTWISE, "dropout_backward (p 0.4)");
    free(x), free(dy), free(mask), free(y), free(want);
    dk_guard_free(dx);
}

/* ---- Batch normalisation ------------------------------------------------------- */

/* (B, C): the smallest batch, odd sizes, a typical layer. */
static const size_t BN_SHAPES[][2] = {{2, 1}, {3, 5}, {17, 3}, {64, 32}, {128, 7}};
#define NBN (sizeof BN_SHAPES / sizeof BN_SHAPES[0])

typedef struct bn_case {
    size_t B, C;
    float *x, *gamma, *beta, *dy;
} bn_case;

static bn_case bn_make_shape(size_t B, size_t C, dk_rng *rng)
{
    bn_case k = {B, C, NULL, NULL, NULL, NULL};
    k.x = dk_random_array(rng, k.B * k.C, -3, 5); /* a mean and a spread to remove */
    k.gamma = dk_random_array(rng, k.C, 0.5f, 2);
    k.beta = dk_random_array(rng, k.C, -1, 1);
    k.dy = dk_random_array(rng, k.B * k.C, -1, 1);
    return k;
}

static bn_case bn_make(size_t s, dk_rng *rng)
{
    return bn_make_shape(BN_SHAPES[s][0], BN_SHAPES[s][1], rng);
}

static void bn_free(bn_case *k)
{
    free(k->x), free(k->gamma), free(k->beta), free(k->dy);
}

/* Features far from 0 next to their spread: x = offset + spread * u, u
 * uniform in [-1, 1], offsets of 5e3 to 2e4 (either sign) and spreads of
 * 0.5 to 2, so that mean^2 / var runs from 1e7 to 5e9, beyond float32's
 * 1 / epsilon (1.7e7). E[x^2] - E[x]^2 in float32 then keeps no digit of
 * the variance; subtracting the mean first keeps them. (A spread of 0.1
 * would be harder still, but float32's grid near 1e4, 1e-3, is then 1% of
 * it and blurs every correct answer too.) */
enum { FAR_B = 64, FAR_C = 4 };

typedef struct bn_far {
    bn_case k;
    char what[256]; /* the input, for messages */
} bn_far;

static bn_far bn_make_far(dk_rng *rng)
{
    bn_far f = {bn_make_shape(FAR_B, FAR_C, rng), ""};
    int len = snprintf(f.what, sizeof f.what,
                       "B %d, C %d, feature c = offset + spread * u, u uniform in [-1, 1], "
                       "(offset, spread) per feature:", FAR_B, FAR_C);
    for (size_t c = 0; c < FAR_C; c++) {
        float sign = dk_rng_uniform(rng) < 0.5f ? -1.0f : 1.0f;
        float offset = sign * dk_rng_range(rng, 5e3f, 2e4f), spread = dk_rng_range(rng, 0.5f, 2);
        for (size_t i = 0; i < FAR_B; i++)
            f.k.x[i * FAR_C + c] = offset + spread * dk_rng_range(rng, -1, 1);
        len += snprintf(f.what + len, sizeof f.what - (size_t)len, " (%.6g, %.3g)", offset, spread);
    }
    return f;
}

/* How close correct code comes on such a batch: a variance from centred
 * values, to about 1e-4 even with float32 sums. The mean of 64 float32
 * values near 2e4, summed in float32, is off by up to a few 1e-3, which
 * moves each y by that times gamma invstd (at most about 7). */
static const dk_tol FAR_TOL_STATS = {1e-3, 0}, FAR_TOL_Y = {1e-3, 0.1};

/* Your forward against the reference's on one batch; stats is the
 * tolerance on invstd, ty on y, what the input. */
static void bn_expect_forward(const bn_case *k, dk_tol stats, dk_tol ty, const char *what)
{
    size_t n = k->B * k->C;
    float *want = malloc(n * sizeof(float)), *wm = malloc(k->C * sizeof(float));
    float *wi = malloc(k->C * sizeof(float));
    float *y = dk_guard_floats(n), *mean = dk_guard_floats(k->C), *invstd = dk_guard_floats(k->C);
    ref_batchnorm_forward_train(k->x, k->B, k->C, k->gamma, k->beta, 1e-5f, 0.1f, NULL, NULL, wm,
                                wi, want);
    batchnorm_forward_train(k->x, k->B, k->C, k->gamma, k->beta, 1e-5f, 0.1f, NULL, NULL, mean,
                            invstd, y);
    dk_guard_check(y, DK_SHAPE(k->B, k->C), "batchnorm_forward_train's y");
    dk_guard_check(mean, DK_SHAPE(k->C), "batchnorm_forward_train's mean");
    dk_guard_check(invstd, DK_SHAPE(k->C), "batchnorm_forward_train's invstd");
    dk_expect_floats(wm, mean, DK_SHAPE(k->C), DK_TOL_REDUCTION,
                     "batchnorm_forward_train's mean (%s)", what);
    dk_expect_floats(wi, invstd, DK_SHAPE(k->C), stats, "batchnorm_forward_train's invstd (%s)",
                     what);
    dk_expect_floats(want, y, DK_SHAPE(k->B, k->C), ty, "batchnorm_forward_train's y (%s)", what);
    free(want), free(wm), free(wi);
    dk_guard_free(y), dk_guard_free(mean), dk_guard_free(invstd);
}

GRADED_TEST(batchnorm_forward_train_values, 4, 10,
            "Each feature (column) is normalised over the batch (rows) with the biased "
            "variance (divided by B), then scaled by gamma and shifted by beta. Subtract "
            "the mean before squaring: E[x^2] - E[x]^2 in float32 cancels to nothing "
            "when the mean is large next to the spread.")
{
    dk_rng rng = dk_test_rng(240);
    char what[64];
    for (size_t s = 0; s < NBN; s++) {
        bn_case k = bn_make(s, &rng);
        snprintf(what, sizeof what, "B %zu, C %zu, x uniform in [-3, 5]", k.B, k.C);
        bn_expect_forward(&k, DK_TOL_REDUCTION, DK_TOL_REDUCTION, what);
        bn_free(&k);
    }
    for (int trial = 0; trial < 3; trial++) {
        bn_far f = bn_make_far(&rng);
        bn_expect_forward(&f.k, FAR_TOL_STATS, FAR_TOL_Y, f.what);
        bn_free(&f.k);
    }
}

/* Two steps on batches far from 0, with momentum 0.5: the batches'
 * variances, not running_var's start at 1, make most of the result. */
static void bn_expect_running_far(dk_rng *rng)
{
    float rm[FAR_C] = {0}, rv[FAR_C], wrm[FAR_C] = {0}, wrv[FAR_C];
    float mean[FAR_C], invstd[FAR_C], y[FAR_B * FAR_C];
    for (size_t c = 0; c < FAR_C; c++)
        rv[c] = wrv[c] = 1.0f;
    for (int step = 1; step <= 2; step++) {
        bn_far f = bn_make_far(rng);
        const bn_case *k = &f.k;
        ref_batchnorm_forward_train(k->x, k->B, k->C, k->gamma, k->beta, 1e-5f, 0.5f, wrm, wrv,
                                    mean, invstd, y);
        batchnorm_forward_train(k->x, k->B, k->C, k->gamma, k->beta, 1e-5f, 0.5f, rm, rv, mean,
                                invstd, y);
        dk_expect_floats(wrm, rm, DK_SHAPE(FAR_C), DK_TOL_REDUCTION,
                         "running_mean after %d training steps (momentum 0.5, from 0; batch %d: "
                         "%s)", step, step, f.what);
        dk_expect_floats(wrv, rv, DK_SHAPE(FAR_C), FAR_TOL_STATS,
                         "running_var after %d training steps (momentum 0.5, from 1; batch %d: "
                         "%s)", step, step, f.what);
        bn_free(&f.k);
    }
}

GRADED_TEST(batchnorm_running_statistics, 4, 10,
            "running = (1 - momentum) running + momentum batch, PyTorch's way: the "
            "variance that goes into running_var is the unbiased one (divided by B - 1), "
            "though the batch is normalised with the biased one. Subtract the mean "
            "before squaring.")
{
    dk_rng rng = dk_test_rng(250);
    for (size_t s = 0; s < NBN; s++) {
        bn_case k = bn_make(s, &rng);
        float *rm = calloc(k.C, sizeof(float)), *rv = malloc(k.C * sizeof(float));
        float *wrm = calloc(k.C, sizeof(float)), *wrv = malloc(k.C * sizeof(float));
        for (size_t c = 0; c < k.C; c++)
            rv[c] = wrv[c] = 1.0f;
        float *mean = malloc(k.C * sizeof(float)), *invstd = malloc(k.C * sizeof(float));
        float *y = malloc(k.B * k.C * sizeof(float));
        for (int step = 1; step <= 3; step++) {
            dk_fill_uniform(&rng, k.x, k.B * k.C, -3, 5);
            ref_batchnorm_forward_train(k.x, k.B, k.C, k.gamma, k.beta, 1e-5f, 0.1f, wrm, wrv,
                                        mean, invstd, y);
            batchnorm_forward_train(k.x, k.B, k.C, k.gamma, k.beta, 1e-5f, 0.1f, rm, rv, mean,
                                    invstd, y);
            dk_expect_floats(wrm, rm, DK_SHAPE(k.C), DK_TOL_REDUCTION,
                             "running_mean after %d training steps (B %zu, momentum 0.1)", step,
                             k.B);
            dk_expect_floats(wrv, rv, DK_SHAPE(k.C), DK_TOL_REDUCTION,
                             "running_var after %d training steps (B %zu, momentum 0.1)", step,
                             k.B);
        }
        free(rm), free(rv), free(wrm), free(wrv), free(mean), free(invstd), free(y);
        bn_free(&k);
    }
    bn_expect_running_far(&rng);
}

GRADED_TEST(batchnorm_evaluation_uses_running_statistics, 3, 10,
            "At evaluation the batch may be one sample, or unrepresentative: normalise "
            "with the running mean and variance instead of the batch's.")
{
    dk_rng rng = dk_test_rng(260);
    for (size_t s = 0; s < NBN; s++) {
        bn_case k = bn_make(s, &rng);
        float *rm = dk_random_array(&rng, k.C, -1, 1), *rv = dk_random_array(&rng, k.C, 0.5f, 3);
        float *want = malloc(k.B * k.C * sizeof(float)), *y = dk_guard_floats(k.B * k.C);
        ref_batchnorm_forward_eval(k.x, k.B, k.C, k.gamma, k.beta, 1e-5f, rm, rv, want);
        batchnorm_forward_eval(k.x, k.B, k.C, k.gamma, k.beta, 1e-5f, rm, rv, y);
        dk_guard_check(y, DK_SHAPE(k.B, k.C), "batchnorm_forward_eval");
        dk_expect_floats(want, y, DK_SHAPE(k.B, k.C), DK_TOL_ELEMENTWISE,
                         "batchnorm_forward_eval's y (B %zu, C %zu)", k.B, k.C);
        free(rm), free(rv), free(want);
        dk_guard_free(y);
        bn_free(&k);
    }
}

/* Your backward against the reference's on one batch (what: the input),
 * from the reference's forward: dx overwritten, dgamma and dbeta added to
 * random values. */
static void bn_expect_backward(const bn_case *k, const char *what, dk_rng *rng)
{
    size_t n = k->B * k->C;
    float *mean = malloc(k->C * sizeof(float)), *invstd = malloc(k->C * sizeof(float));
    float *y = malloc(n * sizeof(float)), *want = malloc(n * sizeof(float));
    float *dx = dk_guard_floats(n), *dg = dk_guard_floats_prefilled(k->C, rng);
    float *db = dk_guard_floats_prefilled(k->C, rng);
    float *wg = malloc(k->C * sizeof(float)), *wb = malloc(k->C * sizeof(float));
    memcpy(wg, dk_guard_prefill(dg), k->C * sizeof(float));
    memcpy(wb, dk_guard_prefill(db), k->C * sizeof(float));
    ref_batchnorm_forward_train(k->x, k->B, k->C, k->gamma, k->beta, 1e-5f, 0.1f, NULL, NULL,
                                mean, invstd, y);
    ref_batchnorm_backward(k->dy, k->x, k->B, k->C, k->gamma, mean, invstd, want, wg, wb);
    batchnorm_backward(k->dy, k->x, k->B, k->C, k->gamma, mean, invstd, dx, dg, db);
    dk_guard_check(dx, DK_SHAPE(k->B, k->C), "batchnorm_backward's dx");
    dk_expect_floats(want, dx, DK_SHAPE(k->B, k->C), DK_TOL_REDUCTION,
                     "batchnorm_backward's dx (%s)", what);
    dk_expect_floats(wg, dg, DK_SHAPE(k->C), DK_TOL_REDUCTION,
                     "dgamma after batchnorm_backward (%s; it held random values, to which "
                     "the gradient must be added)", what);
    dk_expect_floats(wb, db, DK_SHAPE(k->C), DK_TOL_REDUCTION,
                     "dbeta after batchnorm_backward (%s; it held random values, to which "
                     "the gradient must be added)", what);
    free(mean), free(invstd), free(y), free(want), free(wg), free(wb);
    dk_guard_free(dx), dk_guard_free(dg), dk_guard_free(db);
}

GRADED_TEST(batchnorm_backward_values, 3, 10,
            "Each x moves the batch's mean and variance as well as its own output: "
            "dx = gamma invstd / B (B dy - sum(dy) - xhat sum(dy xhat)). dgamma and dbeta "
            "accumulate.")
{
    dk_rng rng = dk_test_rng(270);
    char what[64];
    for (size_t s = 0; s < NBN; s++) {
        bn_case k = bn_make(s, &rng);
        snprintf(what, sizeof what, "B %zu, C %zu, x uniform in [-3, 5]", k.B, k.C);
        bn_expect_backward(&k, what, &rng);
        bn_free(&k);
    }
    for (int trial = 0; trial < 3; trial++) {
        bn_far f = bn_make_far(&rng);
        bn_expect_backward(&f.k, f.what, &rng);
        bn_free(&f.k);
    }
}

/* loss = sum(c * batchnorm_forward_train(x)) by your forward, with the
 * running statistics NULL: a gradient check must not move them. */
typedef struct bn_fd {
    bn_case k;
    float *mean, *invstd, *y;
} bn_fd;

static double bn_loss(void *p)
{
    bn_fd *f = p;
    batchnorm_forward_train(f->k.x, f->k.B, f->k.C, f->k.gamma, f->k.beta, 1e-5f, 0.1f, NULL, NULL,
                            f->mean, f->invstd, f->y);
    double l = 0;
    for (size_t i = 0; i < f->k.B * f->k.C; i++)
        l += (double)f->k.dy[i] * f->y[i];
    return l;
}

GRADED_TEST(batchnorm_gradients_by_finite_differences, 3, 20,
            "Your backward must be the derivative of your forward, for x, gamma and beta "
            "alike: forget the batch statistics' dependence on x and dx is wrong.")
{
    dk_rng rng = dk_test_rng(280);
    for (size_t s = 0; s < 4; s++) {
        bn_fd f = {bn_make(s, &rng), NULL, NULL, NULL};
        size_t n = f.k.B * f.k.C, C = f.k.C;
        f.mean = malloc(C * sizeof(float)), f.invstd = malloc(C * sizeof(float));
        f.y = malloc(n * sizeof(float));
        float *grads = calloc(n + 2 * C, sizeof(float));
        bn_loss(&f);
        batchnorm_backward(f.k.dy, f.k.x, f.k.B, C, f.k.gamma, f.mean, f.invstd, grads, grads + n,
                           grads + n + C);
        dk_grad_param p[3] = {{"x", f.k.x, grads, DK_SHAPE(f.k.B, C)},
                              {"gamma", f.k.gamma, grads + n, DK_SHAPE(C)},
                              {"beta", f.k.beta, grads + n + C, DK_SHAPE(C)}};
        dk_expect_gradients(bn_loss, &f, p, 3, DK_GRADCHECK_FLOAT32,
                            "batchnorm_backward (B %zu, C %zu)", f.k.B, C);
        free(f.mean), free(f.invstd), free(f.y), free(grads);
        bn_free(&f.k);
    }
}
