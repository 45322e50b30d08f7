/* The CUDA track, cross-entropy: cross_entropy (10 points), softmax and
 * cross-entropy fused with their gradient, against the CPU reference. */
#include "check.h"

#include <cstdio>

/* (B, C): chapter 02's MNIST batch, one class, many classes, odd sizes. */
struct ce_shape {
    int B, C;
};
static const ce_shape SHAPES[] = {{1, 1},  {4, 10},   {64, 10},  {37, 10},
                                  {3, 33}, {5, 1000}, {2, 5003}, {300, 7}};
static const ce_shape SANITIZER_SHAPES[] = {{3, 10}, {2, 300}, {2, 1500}};

/* One call on logits around `center`; checks the losses and, when
 * with_grad, dlogits (else dlogits is NULL and nothing else is written). */
static void check_shape(ce_shape s, float center, bool with_grad, uint64_t salt)
{
    dk_rng rng = gk_rng(salt);
    const size_t n = (size_t)s.B * s.C;
    float *x = gk_uniform(&rng, n, center - 10.0f, center + 10.0f);
    int *labels = gk_labels(&rng, (size_t)s.B, s.C);
    float *want_loss = gk_host((size_t)s.B), *want_grad = gk_host(n);
    cpu_cross_entropy(x, labels, s.B, s.C, want_loss, want_grad);
    const float *dx = gk_input(x, n);
    const int *dlabels = gk_input_ints(labels, (size_t)s.B);
    float *losses = gk_output((size_t)s.B), *dlogits = with_grad ? gk_output(n) : nullptr;
    char what[128];
    snprintf(what, sizeof what, "cross_entropy(B=%d, C=%d%s) on logits in [%g, %g]", s.B, s.C,
             with_grad ? "" : ", dlogits=NULL", center - 10.0, center + 10.0);
    cross_entropy(dx, dlabels, s.B, s.C, losses, dlogits, 0);
    gk_sync("%s", what);
    gk_expect_output(want_loss, losses, gk_dims(s.B), DK_TOL_REDUCTION, "%s: losses", what);
    if (with_grad)
        gk_expect_output(want_grad, dlogits, gk_dims(s.B, s.C), DK_TOL_REDUCTION, "%s: dlogits",
                         what);
    gk_expect_inputs_untouched("%s", what);
    gk_free_all();
}

static void all_shapes(float center, bool with_grad, uint64_t salt)
{
    for (size_t i = 0; i < sizeof SHAPES / sizeof SHAPES[0]; i++)
        check_shape(SHAPES[i], center, with_grad, salt + i);
}

GPU_TEST(cross_entropy, losses, 2, 20, GK_PLAIN,
         "losses[i] = log(sum_j exp(x[i, j])) - x[i, label_i]: log-sum-exp of the row minus "
         "the logit of the right class, one value per row.")
{
    all_shapes(0.0f, false, 0);
}

GPU_TEST(cross_entropy, gradient, 3, 20, GK_PLAIN,
         "dlogits = (softmax(x) - onehot(label)) / B: the softmax of the row, minus 1 at the "
         "label, divided by the batch size (the loss is the batch's mean).")
{
    all_shapes(0.0f, true, 100);
}

GPU_TEST(cross_entropy, large_logits, 2, 20, GK_PLAIN,
         "exp(1000) is inf: subtract the row's max m before exponentiating. For the loss, "
         "log(sum exp(x - m)) - (x[label] - m) keeps the small numbers small.")
{
    all_shapes(1000.0f, true, 200);
    all_shapes(-1000.0f, true, 300);
}

GPU_TEST(cross_entropy, memcheck, 1, 20, GK_MEMCHECK,
         "compute-sanitizer's memcheck saw an access outside an array: threads past the end "
         "of a row must not read it, and with dlogits NULL nothing is written there.")
{
    for (size_t i = 0; i < sizeof SANITIZER_SHAPES / sizeof SANITIZER_SHAPES[0]; i++) {
        check_shape(SANITIZER_SHAPES[i], 0.0f, true, 400 + i);
        check_shape(SANITIZER_SHAPES[i], 0.0f, false, 500 + i);
    }
}

GPU_TEST(cross_entropy, racecheck, 2, 20, GK_RACECHECK,
         "compute-sanitizer's racecheck saw a race on shared memory: the reduction's partial "
         "results need a barrier between being written and being read.")
{
    for (size_t i = 0; i < sizeof SANITIZER_SHAPES / sizeof SANITIZER_SHAPES[0]; i++)
        check_shape(SANITIZER_SHAPES[i], 0.0f, true, 600 + i);
}
