/* Chapter 02, part 3: the network, its training and its evaluation
 * (28 points). Each test runs your function on a network the reference
 * created (the layout is the contract's) and compares with the reference
 * on a copy. */
#include "backprop.h"
#include "grade.h"
#include "ref_api.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Architectures: one layer, MNIST-like, deep and narrow, wide; every
 * activation. */
typedef struct arch {
    size_t nlayers, sizes[6];
    mlp_activation act;
} arch;

static const arch ARCHS[] = {
    {1, {5, 3}, MLP_RELU},
    {2, {784, 32, 10}, MLP_RELU},
    {4, {7, 9, 3, 11, 4}, MLP_TANH},
    {3, {6, 40, 40, 2}, MLP_SIGMOID},
    {2, {3, 1, 1}, MLP_RELU},
};
#define NARCHS (sizeof ARCHS / sizeof ARCHS[0])
static const char *const ACT_NAMES[] = {"relu", "sigmoid", "tanh"};

static const char *describe(const arch *a)
{
    static char text[96];
    int n = snprintf(text, sizeof text, "%zu", a->sizes[0]);
    for (size_t l = 1; l <= a->nlayers; l++)
        n += snprintf(text + n, sizeof text - (size_t)n, "-%zu", a->sizes[l]);
    snprintf(text + n, sizeof text - (size_t)n, " %s", ACT_NAMES[a->act]);
    return text;
}

static mlp make_net(const arch *a, uint64_t salt)
{
    dk_rng rng = dk_test_rng(salt);
    mlp net;
    if (!ref_mlp_create(&net, a->sizes, a->nlayers, a->act, &rng))
        dk_fatal("grader: out of memory");
    return net;
}

/* A copy with its own buffers (the reference's functions run on it). */
static mlp copy_net(const mlp *net)
{
    mlp c = *net;
    c.params = malloc(net->nparams * sizeof *c.params);
    c.grads = malloc(net->nparams * sizeof *c.grads);
    if (!c.params || !c.grads)
        dk_fatal("grader: out of memory");
    memcpy(c.params, net->params, net->nparams * sizeof *c.params);
    memcpy(c.grads, net->grads, net->nparams * sizeof *c.grads);
    return c;
}

GRADED_TEST(mlp_create_layout, 3, 10,
            "One buffer: W_0, b_0, W_1, b_1... with W_l (sizes[l+1], sizes[l]). Draw them "
            "in that order with dk_rng_range(rng, -k, k), k = 1/sqrt(sizes[l]); gradients 0.")
{
    for (size_t a = 0; a < NARCHS; a++) {
        dk_rng r1 = dk_test_rng(40 + a), r2 = dk_test_rng(40 + a);
        mlp want, net;
        DK_CHECK(ref_mlp_create(&want, ARCHS[a].sizes, ARCHS[a].nlayers, ARCHS[a].act, &r1),
                 "grader: out of memory");
        DK_CHECK(mlp_create(&net, ARCHS[a].sizes, ARCHS[a].nlayers, ARCHS[a].act, &r2),
                 "mlp_create(%s) returned false", describe(&ARCHS[a]));
        dk_expect_int((long)want.nparams, (long)net.nparams, "mlp_create(%s).nparams",
                      describe(&ARCHS[a]));
        dk_expect_int((long)want.nlayers, (long)net.nlayers, "mlp_create(%s).nlayers",
                      describe(&ARCHS[a]));
        dk_expect_int(want.act, net.act, "mlp_create(%s).act", describe(&ARCHS[a]));
        for (size_t l = 0; l <= want.nlayers; l++)
            dk_expect_int((long)want.sizes[l], (long)net.sizes[l], "mlp_create(%s).sizes[%zu]",
                          describe(&ARCHS[a]), l);
        dk_expect_floats(want.params, net.params, DK_SHAPE(want.nparams), DK_TOL_ELEMENTWISE,
                         "mlp_create(%s).params", describe(&ARCHS[a]));
        dk_expect_floats(want.grads, net.grads, DK_SHAPE(want.nparams), DK_TOL_EXACT,
                         "mlp_create(%s).grads", describe(&ARCHS[a]));
        mlp_free(&net);
        ref_mlp_free(&want);
    }
    const size_t zero[3] = {4, 0, 2}, many[MLP_MAX_LAYERS + 2] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    dk_rng rng = dk_test_rng(49);
    mlp net;
    DK_CHECK(!mlp_create(&net, zero, 2, MLP_RELU, &rng), "mlp_create accepted a layer of size 0");
    DK_CHECK(!mlp_create(&net, many, 0, MLP_RELU, &rng), "mlp_create accepted 0 layers");
    DK_CHECK(!mlp_create(&net, many, MLP_MAX_LAYERS + 1, MLP_RELU, &rng),
             "mlp_create accepted more than MLP_MAX_LAYERS layers");
}

GRADED_TEST(mlp_acts_size_values, 2, 10,
            "Two (B, sizes[l+1]) arrays, z and h, per hidden layer; the last layer writes "
            "the logits, which are not in acts.")
{
    for (size_t a = 0; a < NARCHS; a++) {
        mlp net = make_net(&ARCHS[a], 50);
        for (size_t B = 1; B < 70; B += 17)
            dk_expect_int((long)ref_mlp_acts_size(&net, B), (long)mlp_acts_size(&net, B),
                          "mlp_acts_size(%s, B = %zu)", describe(&ARCHS[a]), B);
        ref_mlp_free(&net);
    }
}

GRADED_TEST(mlp_forward_values, 4, 10,
            "Layer by layer: z = linear(input), h = activation(z), h is the next input; "
            "the last layer's z are the logits, without activation.")
{
    dk_rng rng = dk_test_rng(51);
    for (size_t a = 0; a < NARCHS; a++) {
        mlp net = make_net(&ARCHS[a], 52 + a);
        const size_t B = 1 + 13 * a, C = net.sizes[net.nlayers], na = ref_mlp_acts_size(&net, B);
        float *x = dk_random_array(&rng, B * net.sizes[0], -1, 1);
        float *want_acts = malloc((na + 1) * sizeof(float)), *want = malloc(B * C * sizeof(float));
        float *acts = dk_guard_floats(na), *logits = dk_guard_floats(B * C);
        ref_mlp_forward(&net, x, B, want_acts, want);
        mlp_forward(&net, x, B, acts, logits);
        dk_guard_check(acts, DK_SHAPE(na), "mlp_forward(%s, B = %zu)'s acts", describe(&ARCHS[a]),
                       B);
        dk_guard_check(logits, DK_SHAPE(B, C), "mlp_forward(%s)'s logits", describe(&ARCHS[a]));
        dk_expect_floats(want_acts, acts, DK_SHAPE(na), DK_TOL_REDUCTION,
                         "mlp_forward(%s, B = %zu)'s acts", describe(&ARCHS[a]), B);
        dk_expect_floats(want, logits, DK_SHAPE(B, C), DK_TOL_REDUCTION,
                         "mlp_forward(%s, B = %zu)'s logits", describe(&ARCHS[a]), B);
        free(x), free(want_acts), free(want);
        dk_guard_free(acts), dk_guard_free(logits);
        ref_mlp_free(&net);
    }
}

/* loss = sum(c * logits) through your forward, for finite differences. */
typedef struct net_fd {
    mlp *net;
    const float *x, *c;
    float *acts, *logits;
    size_t B;
} net_fd;

static double net_loss(void *p)
{
    net_fd *f = p;
    mlp_forward(f->net, f->x, f->B, f->acts, f->logits);
    double l = 0;
    for (size_t i = 0; i < f->B * f->net->sizes[f->net->nlayers]; i++)
        l += (double)f->c[i] * f->logits[i];
    return l;
}

GRADED_TEST(mlp_backward_gradients, 6, 30,
            "Walk the layers backwards: each linear_backward's dx is the dh of the layer "
            "below, whose activation turns it into dz. The gradients ADD to net->grads.")
{
    dk_rng rng = dk_test_rng(53);
    for (size_t a = 0; a < NARCHS; a++) {
        mlp net = make_net(&ARCHS[a], 54 + a);
        const size_t B = 1 + 5 * a, C = net.sizes[net.nlayers], na = ref_mlp_acts_size(&net, B);
        float *x = dk_random_array(&rng, B * net.sizes[0], -1, 1);
        float *dl = dk_random_array(&rng, B * C, -1, 1);
        float *acts = malloc((na + 1) * sizeof(float)), *logits = malloc(B * C * sizeof(float));
        float *dacts = malloc((na + 1) * sizeof(float));
        dk_fill_uniform(&rng, net.grads, net.nparams, -1, 1); /* must be added to */
        mlp want = copy_net(&net);
        ref_mlp_forward(&net, x, B, acts, logits);
        ref_mlp_backward(&want, x, B, acts, dl, dacts);
        mlp_backward(&net, x, B, acts, dl, dacts);
        dk_expect_floats(want.grads, net.grads, DK_SHAPE(net.nparams), DK_TOL_REDUCTION,
                         "net->grads after mlp_backward(%s, B = %zu) (they held random values, "
                         "to which the gradients must be added)", describe(&ARCHS[a]), B);
        if (net.nparams < 3000) { /* and against finite differences, from zero */
            const size_t b = B < 4 ? B : 4;
            memset(net.grads, 0, net.nparams * sizeof(float));
            ref_mlp_forward(&net, x, b, acts, logits);
            mlp_backward(&net, x, b, acts, dl, dacts);
            net_fd f = {&net, x, dl, acts, logits, b};
            dk_grad_param p = {"params", net.params, net.grads, DK_SHAPE(net.nparams)};
            dk_expect_gradients(net_loss, &f, &p, 1, DK_GRADCHECK_NETWORK,
                                "mlp_backward(%s, B = %zu)", describe(&ARCHS[a]), b);
        }
        free(x), free(dl), free(acts), free(logits), free(dacts);
        ref_mlp_free(&want), ref_mlp_free(&net);
    }
}

GRADED_TEST(mlp_zero_grad_and_sgd_step, 4, 10,
            "PyTorch's momentum: v = momentum * v + g, then p -= lr * v, for every one of "
            "the nparams parameters; zero_grad clears every gradient.")
{
    dk_rng rng = dk_test_rng(60);
    for (size_t a = 0; a < NARCHS; a++) {
        mlp net = make_net(&ARCHS[a], 61 + a), want = copy_net(&net);
        float *v = calloc(net.nparams, sizeof *v), *want_v = calloc(net.nparams, sizeof *v);
        const float momentum = a % 2 ? 0.9f : 0.0f, lr = 0.05f;
        for (int step = 0; step < 3; step++) {
            dk_fill_uniform(&rng, net.grads, net.nparams, -1, 1);
            memcpy(want.grads, net.grads, net.nparams * sizeof(float));
            ref_mlp_sgd_step(&want, want_v, lr, momentum);
            mlp_sgd_step(&net, v, lr, momentum);
            dk_expect_floats(want_v, v, DK_SHAPE(net.nparams), DK_TOL_ELEMENTWISE,
                             "the velocity after step %d of mlp_sgd_step(lr = %g, momentum = "
                             "%g)", step + 1, lr, momentum);
            dk_expect_floats(want.params, net.params, DK_SHAPE(net.nparams), DK_TOL_ELEMENTWISE,
                             "params after step %d of mlp_sgd_step(lr = %g, momentum = %g)",
                             step + 1, lr, momentum);
        }
        mlp_zero_grad(&net);
        float *zeros = calloc(net.nparams, sizeof *zeros);
        dk_expect_floats(zeros, net.grads, DK_SHAPE(net.nparams), DK_TOL_EXACT,
                         "net->grads after mlp_zero_grad(%s)", describe(&ARCHS[a]));
        free(v), free(want_v), free(zeros);
        ref_mlp_free(&want), ref_mlp_free(&net);
    }
}

/* What mlp_train_epoch did with its callbacks, and what each of the first
 * SNAPS steps saw: the augmented batch (augment's x), and the network's
 * gradients and parameters when it asked for the step's rate. */
enum { SNAPS = 8 };
typedef struct calls {
    size_t lr_steps[64], batches[64], nlr, naug;
    bool rng_given;
    const mlp *net;
    float *batch[SNAPS], *grads[SNAPS], *params[SNAPS];
} calls;

static float *copy_floats(const float *x, size_t n)
{
    float *c = malloc((n ? n : 1) * sizeof *c);
    if (!c)
        dk_fatal("grader: out of memory");
    return memcpy(c, x, n * sizeof *c);
}

static float recorded_lr(size_t step, void *ctx)
{
    calls *c = ctx;
    if (c->nlr < SNAPS) {
        c->grads[c->nlr] = copy_floats(c->net->grads, c->net->nparams);
        c->params[c->nlr] = copy_floats(c->net->params, c->net->nparams);
    }
    if (c->nlr < 64)
        c->lr_steps[c->nlr] = step;
    c->nlr++;
    return 0.05f / (float)(1 + step % 3);
}

static void calls_free(calls *c)
{
    for (size_t k = 0; k < SNAPS; k++)
        free(c->batch[k]), free(c->grads[k]), free(c->params[k]);
}

static bool all_close(const float *want, const float *got, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!dk_close(want[i], got[i], (dk_tol){1e-3, 1e-5}))
            return false;
    return true;
}

/* When the run ended elsewhere than the reference's: the first step where
 * it parted, and what that step does, as the failure. (Only then: a
 * correct run may ask for its rate at another point of the step.) */
static void explain_divergence(const calls *ref, const calls *yours, size_t nparams)
{
    for (size_t k = 0; k < SNAPS; k++) {
        char at[48];
        snprintf(at, sizeof at, "step %zu (epoch %zu, batch %zu)", k + 1, k / 4 + 1, k % 4 + 1);
        if (k < ref->naug && k < yours->naug) {
            DK_CHECK(ref->batches[k] == yours->batches[k], "%s: a batch of %zu samples, expected "
                     "%zu (n = 50 in batches of 16: three of 16, then the last 2, kept)", at,
                     yours->batches[k], ref->batches[k]);
            DK_CHECK(all_close(ref->batch[k], yours->batch[k], ref->batches[k] * 6),
                     "%s: the batch holds other samples than expected: shuffle once per epoch "
                     "with dk_rng_permutation(rng, order, n), then take order[start .. start + B)",
                     at);
        }
        if (k < ref->nlr && k < yours->nlr) {
            DK_CHECK(all_close(ref->params[k], yours->params[k], nparams),
                     "%s: the parameters entering the step differ, so the step before it went "
                     "wrong: v = momentum v + grad, then p -= lr_at(step) v", at);
            DK_CHECK(all_close(ref->grads[k], yours->grads[k], nparams),
                     "%s: the gradients differ: zero them, then forward, loss and backward on "
                     "the augmented copy of the batch", at);
        }
    }
    DK_CHECK(ref->nlr == yours->nlr, "%zu steps in two epochs, expected %zu: one per batch, the "
             "last partial batch included", yours->nlr, ref->nlr);
}

/* Adds 0.5 to every input of the batch: visible in the result, and it
 * must act on a copy. */
static void recorded_augment(float *x, size_t B, dk_rng *rng, void *ctx)
{
    calls *c = ctx;
    if (c->naug < 64)
        c->batches[c->naug] = B;
    c->naug++;
    c->rng_given = rng != NULL;
    for (size_t i = 0; i < B * 6; i++)
        x[i] += 0.5f;
    if (c->naug <= SNAPS)
        c->batch[c->naug - 1] = copy_floats(x, B * 6);
}

GRADED_TEST(mlp_train_epoch_matches_reference, 5, 20,
            "Shuffle with dk_rng_permutation(rng, order, n) first; then per batch: copy, "
            "augment, zero_grad, forward, loss, backward, step with lr_at(*step), ++*step.")
{
    const arch a = {3, {6, 16, 16, 3}, MLP_TANH};
    const size_t n = 50;
    dk_rng rng = dk_test_rng(70);
    float *X = dk_random_array(&rng, n * 6, -1, 1), *X_copy = malloc(n * 6 * sizeof(float));
    memcpy(X_copy, X, n * 6 * sizeof(float));
    int y[50];
    for (size_t i = 0; i < n; i++)
        y[i] = (int)dk_rng_below(&rng, 3);
    mlp net = make_net(&a, 71), want = copy_net(&net);
    float *v = calloc(net.nparams, sizeof *v), *want_v = calloc(net.nparams, sizeof *v);
    calls yours = {.net = &net}, ref = {.net = &want};
    train_config cfg = {16, 0.9f, recorded_lr, &yours, recorded_augment, &yours};
    train_config ref_cfg = {16, 0.9f, recorded_lr, &ref, recorded_augment, &ref};
    size_t step = 5, want_step = 5;
    float want_loss[2], loss[2];
    for (int epoch = 0; epoch < 2; epoch++) {
        dk_rng r1 = dk_test_rng(72 + (uint64_t)epoch), r2 = r1;
        want_loss[epoch] = ref_mlp_train_epoch(&want, X, y, n, &ref_cfg, want_v, &want_step, &r1);
        loss[epoch] = mlp_train_epoch(&net, X, y, n, &cfg, v, &step, &r2);
    }
    if (!all_close(want.params, net.params, net.nparams) || ref.nlr != yours.nlr)
        explain_divergence(&ref, &yours, net.nparams);
    for (int epoch = 0; epoch < 2; epoch++)
        dk_expect_near(want_loss[epoch], loss[epoch], DK_TOL_REDUCTION,
                       "mlp_train_epoch's mean loss (epoch %d of n = 50, batch 16)%s", epoch + 1,
                       all_close(want.params, net.params, net.nparams)
                           ? ": every step matches the reference's, so the mean is off: weight "
                             "each batch's loss by its size (the last batch holds 2)"
                           : "");
    dk_expect_int((long)want_step, (long)step, "*step after two epochs of 4 steps from 5");
    dk_expect_int((long)ref.nlr, (long)yours.nlr, "calls of lr_at in two epochs");
    for (size_t i = 0; i < ref.nlr && i < 64; i++)
        dk_expect_int((long)ref.lr_steps[i], (long)yours.lr_steps[i], "lr_at's step on call %zu",
                      i + 1);
    dk_expect_int((long)ref.naug, (long)yours.naug, "calls of augment in two epochs");
    for (size_t i = 0; i < ref.naug && i < 64; i++)
        dk_expect_int((long)ref.batches[i], (long)yours.batches[i], "augment's B on call %zu",
                      i + 1);
    DK_CHECK(yours.rng_given, "augment was called without the epoch's rng");
    dk_expect_floats(X_copy, X, DK_SHAPE(n, 6), DK_TOL_EXACT,
                     "X after mlp_train_epoch (augment must work on a copy of each batch)");
    dk_expect_floats(want.params, net.params, DK_SHAPE(net.nparams), (dk_tol){1e-3, 1e-5},
                     "params after two epochs of mlp_train_epoch (%s)", describe(&a));
    free(X), free(X_copy), free(v), free(want_v);
    calls_free(&yours), calls_free(&ref);
    ref_mlp_free(&want), ref_mlp_free(&net);
}

GRADED_TEST(mlp_evaluate_values, 4, 10,
            "Accuracy counts samples whose largest logit is at their label (the first "
            "largest on ties); the loss is the mean cross-entropy over all n samples, "
            "in batches of `batch`.")
{
    dk_rng rng = dk_test_rng(80);
    for (size_t a = 0; a < NARCHS; a++) {
        mlp net = make_net(&ARCHS[a], 81 + a);
        const size_t n = 37 + 20 * a, C = net.sizes[net.nlayers];
        float *X = dk_random_array(&rng, n * net.sizes[0], -1, 1);
        int *y = malloc(n * sizeof *y);
        for (size_t i = 0; i < n; i++)
            y[i] = (int)dk_rng_below(&rng, C);
        if (net.nlayers == 1) /* ties: every logit equal when W and b are 0 */
            memset(net.params, 0, net.nparams * sizeof(float));
        for (size_t batch = 1; batch <= 64; batch *= 8) {
            float want_loss, loss = NAN;
            float want = ref_mlp_evaluate(&net, X, y, n, batch, &want_loss);
            dk_expect_near(want, mlp_evaluate(&net, X, y, n, batch, &loss), DK_TOL_ELEMENTWISE,
                           "mlp_evaluate(%s, n = %zu, batch = %zu)'s accuracy",
                           describe(&ARCHS[a]), n, batch);
            dk_expect_near(want_loss, loss, DK_TOL_REDUCTION,
                           "mlp_evaluate(%s, n = %zu, batch = %zu)'s loss", describe(&ARCHS[a]),
                           n, batch);
            dk_expect_near(want, mlp_evaluate(&net, X, y, n, batch, NULL), DK_TOL_ELEMENTWISE,
                           "mlp_evaluate with loss = NULL");
        }
        free(X), free(y);
        ref_mlp_free(&net);
    }
}
