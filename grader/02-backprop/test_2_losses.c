/* Chapter 02, part 2: mean squared error, softmax and cross-entropy
 * (20 points). */
#include "backprop.h"
#include "grade.h"
#include "ref_api.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* (B, C): batch 1, two classes, MNIST's ten, many. */
static const size_t SHAPES[][2] = {{1, 1}, {1, 10}, {2, 2}, {7, 3}, {64, 10}, {5, 1000}};
#define NSHAPES (sizeof SHAPES / sizeof SHAPES[0])

static int *random_labels(dk_rng *rng, size_t B, size_t C)
{
    int *labels = malloc(B * sizeof *labels);
    for (size_t i = 0; labels && i < B; i++)
        labels[i] = (int)dk_rng_below(rng, C);
    return labels;
}

GRADED_TEST(mse_values, 4, 10,
            "The mean is over all B*n elements, so each element's gradient is "
            "2 (y - t) / (B*n); with dy = NULL only the loss is wanted.")
{
    dk_rng rng = dk_test_rng(31);
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t B = SHAPES[s][0], n = SHAPES[s][1];
        float *y = dk_random_array(&rng, B * n, -2, 2), *t = dk_random_array(&rng, B * n, -2, 2);
        float *want = malloc(B * n * sizeof *want), *dy = dk_guard_floats(B * n);
        float want_loss = ref_mse_loss(y, t, B, n, want);
        dk_expect_near(want_loss, mse_loss(y, t, B, n, dy), DK_TOL_REDUCTION,
                       "mse_loss (B=%zu, n=%zu)", B, n);
        dk_guard_check(dy, DK_SHAPE(B, n), "mse_loss's dy");
        dk_expect_floats(want, dy, DK_SHAPE(B, n), DK_TOL_ELEMENTWISE, "mse_loss's dy (B=%zu, "
                         "n=%zu)", B, n);
        dk_expect_near(want_loss, mse_loss(y, t, B, n, NULL), DK_TOL_REDUCTION,
                       "mse_loss with dy = NULL (B=%zu, n=%zu)", B, n);
        free(y), free(t), free(want);
        dk_guard_free(dy);
    }
}

/* Logits for a shape: random ones in [-scale, scale], and one enormous
 * logit in row 1 (in row 0 too when B = 1 and always_huge). `what`
 * describes the input made, for the messages. */
static float *logits_for(dk_rng *rng, size_t B, size_t C, float scale, bool always_huge,
                         char what[static 96])
{
    float *x = dk_random_array(rng, B * C, -scale, scale);
    const size_t row = B > 1 ? 1 : 0;
    const bool huge = B > 1 || always_huge;
    if (huge)
        x[row * C] = 1000.0f;
    int len = snprintf(what, 96, "B=%zu, C=%zu; logits in [-%g, %g]", B, C, scale, scale);
    if (huge)
        snprintf(what + len, 96 - (size_t)len, ", row %zu holding one of 1000", row);
    return x;
}

GRADED_TEST(softmax_values, 4, 10,
            "softmax(x)_j = e^{x_j} / sum_k e^{x_k}, and it does not change when the same "
            "number is subtracted from every x_k: subtract the row's largest.")
{
    dk_rng rng = dk_test_rng(32);
    for (size_t s = 0; s < NSHAPES; s++) {
        size_t B = SHAPES[s][0], C = SHAPES[s][1];
        char what[96];
        float *x = logits_for(&rng, B, C, 5, false, what), *want = malloc(B * C * sizeof *want);
        float *p = dk_guard_floats(B * C);
        ref_softmax(x, B, C, want);
        softmax(x, B, C, p);
        dk_guard_check(p, DK_SHAPE(B, C), "softmax (%s)", what);
        dk_expect_floats(want, p, DK_SHAPE(B, C), DK_TOL_ELEMENTWISE, "softmax (%s)", what);
        free(x), free(want);
        dk_guard_free(p);
    }
}

static void expect_cross_entropy(dk_rng *rng, size_t B, size_t C, float scale, bool always_huge)
{
    char what[96];
    float *x = logits_for(rng, B, C, scale, always_huge, what);
    float *want = malloc(B * C * sizeof *want);
    int *labels = random_labels(rng, B, C);
    float *dx = dk_guard_floats(B * C);
    float want_loss = ref_softmax_cross_entropy(x, labels, B, C, want);
    dk_expect_near(want_loss, softmax_cross_entropy(x, labels, B, C, dx), DK_TOL_REDUCTION,
                   "softmax_cross_entropy's loss (%s)", what);
    dk_guard_check(dx, DK_SHAPE(B, C), "softmax_cross_entropy's dlogits (%s)", what);
    dk_expect_floats(want, dx, DK_SHAPE(B, C), DK_TOL_ELEMENTWISE,
                     "softmax_cross_entropy's dlogits (%s)", what);
    dk_expect_near(want_loss, softmax_cross_entropy(x, labels, B, C, NULL), DK_TOL_REDUCTION,
                   "softmax_cross_entropy with dlogits = NULL (%s)", what);
    free(x), free(want), free(labels);
    dk_guard_free(dx);
}

GRADED_TEST(cross_entropy_values, 5, 10,
            "The loss is the batch's mean of -log p[label]; its gradient with respect to "
            "the logits is p - onehot(label), divided by B like the mean.")
{
    dk_rng rng = dk_test_rng(33);
    for (size_t s = 0; s < NSHAPES; s++)
        expect_cross_entropy(&rng, SHAPES[s][0], SHAPES[s][1], 5, false);
}

GRADED_TEST(cross_entropy_stable, 4, 10,
            "e^1000 is inf in float32. log sum_k e^{x_k} = m + log sum_k e^{x_k - m} with "
            "m the largest logit keeps every exponent <= 0.")
{
    dk_rng rng = dk_test_rng(34);
    for (size_t s = 0; s < NSHAPES; s++)
        expect_cross_entropy(&rng, SHAPES[s][0], SHAPES[s][1], 300, true);
}

/* loss = softmax_cross_entropy(logits) by your function. */
typedef struct ce_fd {
    float *x;
    const int *labels;
    size_t B, C;
} ce_fd;

static double ce_loss(void *p)
{
    ce_fd *f = p;
    return softmax_cross_entropy(f->x, f->labels, f->B, f->C, NULL);
}

GRADED_TEST(cross_entropy_by_finite_differences, 3, 10,
            "dlogits must be the derivative of the very loss you return, mean over the "
            "batch included.")
{
    dk_rng rng = dk_test_rng(35);
    /* Small batches: a float32 loss summed over a big one is too noisy for
     * finite differences of its 1/B-sized gradients. */
    for (size_t s = 0; s < 4; s++) {
        size_t B = SHAPES[s][0], C = SHAPES[s][1];
        ce_fd f = {dk_random_array(&rng, B * C, -3, 3), random_labels(&rng, B, C), B, C};
        float *dx = malloc(B * C * sizeof *dx);
        softmax_cross_entropy(f.x, f.labels, B, C, dx);
        dk_grad_param p = {"logits", f.x, dx, DK_SHAPE(B, C)};
        dk_expect_gradients(ce_loss, &f, &p, 1, DK_GRADCHECK_FLOAT32,
                            "softmax_cross_entropy (B=%zu, C=%zu)", B, C);
        free(f.x), free((void *)f.labels), free(dx);
    }
}
