/* The kit's tests of the training recipes' own machinery, on the chapters'
 * reference solutions: the batch halves of chapters 04 and 05. */
#include "blas.h"
#include "charlm_recipe.h"
#include "cnn_recipe.h"
#include "gpt_recipe.h"
#include "parallel.h"
#include "vae_recipe.h"

#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct where_run {
    pthread_t thread;
    int calls;
} where_run;

static void note_thread(void *arg)
{
    where_run *w = arg;
    w->thread = pthread_self();
    w->calls++;
}

Test(recipes, run_both_runs_b_on_a_thread_of_its_own, .timeout = 10)
{
    where_run a = {0}, b = {0};
    dk_run_both(note_thread, &a, &b);
    cr_assert(a.calls == 1 && b.calls == 1, "calls: a %d, b %d", a.calls, b.calls);
    cr_assert(pthread_equal(a.thread, pthread_self()), "a did not run on the caller's thread");
    cr_assert(!pthread_equal(b.thread, pthread_self()), "b ran on the caller's thread");
    a.calls = 0;
    dk_run_both(note_thread, &a, NULL);
    cr_assert_eq(a.calls, 1);
}

static float constant_lr(size_t step, void *ctx)
{
    (void)step, (void)ctx;
    return 0.05f;
}

/* n random 16x16 images of 3 classes, and a network for them. */
enum { SIDE = 16, N_IMAGES = 40, CLASSES = 3 };

static lenet small_net(float *X, int *y)
{
    dk_rng rng;
    dk_rng_seed(&rng, 7);
    for (size_t i = 0; i < (size_t)N_IMAGES * SIDE * SIDE; i++)
        X[i] = dk_rng_range(&rng, 0, 1);
    for (size_t i = 0; i < N_IMAGES; i++)
        y[i] = (int)dk_rng_below(&rng, CLASSES);
    const lenet_config cfg = {SIDE, SIDE, 1, 4, 6, 8, CLASSES};
    lenet net;
    cr_assert(lenet_create(&net, &cfg, &rng));
    return net;
}

/* One epoch (batches of 16, then 8) with halves, one without, from the
 * same start: the same steps, the gradients' sums in another order. A
 * second half's gradients left out or kept from the last batch, a loss
 * over half the batch or logits in the wrong place move the parameters
 * far more than float32 round-off. */
static void epoch(lenet *net, const float *X, const int *y, bool halves)
{
    const cnn_recipe r = {.batch = 16, .momentum = 0.9f};
    float *velocity = calloc(net->nparams, sizeof *velocity);
    cnn_training t = {.recipe = &r, .lr_at = constant_lr, .velocity = velocity,
                      .halves = halves};
    dk_rng rng;
    dk_rng_seed(&rng, 3);
    for (int e = 0; e < 2; e++)
        cr_assert(!isnan(cnn_train_epoch(net, X, y, N_IMAGES, &t, &rng)));
    free(velocity);
}

Test(recipes, cnn_halves_take_the_whole_batch_step, .timeout = 30)
{
    static float X[N_IMAGES * SIDE * SIDE];
    static int y[N_IMAGES];
    lenet whole = small_net(X, y), halves = small_net(X, y);
    const int threads = dk_blas_set_threads(2);
    epoch(&whole, X, y, false);
    epoch(&halves, X, y, true);
    cr_assert_eq(dk_blas_threads(), 2, "the epoch left OpenBLAS on %d thread(s)",
                 dk_blas_threads());
    dk_blas_set_threads(threads);
    double moved = 0;
    for (size_t i = 0; i < whole.nparams; i++) {
        const float a = whole.params[i], b = halves.params[i];
        cr_assert(fabsf(a - b) <= 1e-5f + 1e-4f * fabsf(a), "parameter %zu: %.9g whole, %.9g in halves",
                  i, a, b);
        moved += fabs(a);
    }
    cr_assert(moved > 0);
    lenet_free(&whole), lenet_free(&halves);
}

/* ---- Chapter 05's character model --------------------------------------- */

/* Two figures of each of three steps (or epochs): a loss and a second
 * figure (the gradient norm, or the test loss). */
typedef struct steps_seen {
    float loss[3], norm[3];
} steps_seen;

static void on_step(size_t step, float loss, float grad_norm, void *ctx)
{
    steps_seen *s = ctx;
    s->loss[step - 1] = loss, s->norm[step - 1] = grad_norm;
}

/* One figure of three steps seen whole and in halves: the steps before
 * `exact` agree to round-off, the later ones closely (Adam's first steps
 * move each parameter by about lr whatever the gradient's size, so
 * round-off may flip a near-zero one). */
static void assert_same_figures(const float whole[3], const float halves[3], int exact,
                                const char *what)
{
    for (int t = 0; t < 3; t++) {
        const float tol = t < exact ? 1e-5f : 1e-3f;
        cr_assert(fabsf(whole[t] - halves[t]) <= tol * fabsf(whole[t]),
                  "step %d: %s %.7g whole, %.7g in halves", t + 1, what, whole[t], halves[t]);
    }
}

/* The loss and gradient norm of the first step agree to round-off. */
static void assert_same_steps(const steps_seen seen[2])
{
    assert_same_figures(seen[0].loss, seen[1].loss, 1, "loss");
    assert_same_figures(seen[0].norm, seen[1].norm, 1, "gradient norm");
}

static void random_tokens(int *tokens, size_t n, size_t V)
{
    dk_rng rng;
    dk_rng_seed(&rng, 11);
    for (size_t i = 0; i < n; i++)
        tokens[i] = (int)dk_rng_below(&rng, V);
}

/* Three steps of 5 streams (halves of 3 and 2) on random text, with and
 * without halves: a half's gradient left out or not zeroed, or shares not
 * weighted by their streams, fail it. */
Test(recipes, lstm_halves_take_the_whole_batch_step, .timeout = 30)
{
    static int tokens[4000];
    random_tokens(tokens, 4000, 5);
    cl_recipe r = CL_RECIPE_SHAKESPEARE_SHORT;
    r.cfg.V = 5, r.steps = 3, r.batch = 5, r.window = 8, r.eval_every = 3;
    const cl_text train = {tokens, 3000}, val = {tokens + 3000, 1000};
    steps_seen seen[2];
    for (int halves = 0; halves < 2; halves++) {
        const cl_hooks hooks = {on_step, NULL, &seen[halves]};
        cr_assert(!isnan(cl_train(&r, &CL_YOURS, train, val, 5, &hooks, NULL, halves)));
    }
    assert_same_steps(seen);
}

/* ---- Chapter 06's GPT ---------------------------------------------------- */

/* The same for three steps of chapter 06's short GPT on 5 windows: a
 * half's gradient left out or not zeroed, or its logits in the other
 * half's rows, fail it. */
Test(recipes, gpt_halves_take_the_whole_batch_step, .timeout = 30)
{
    static int tokens[4000];
    random_tokens(tokens, 4000, 7);
    gpt_recipe r = GPT_RECIPE_SHORT;
    r.cfg.V = 7, r.cfg.T = 8, r.steps = 3, r.batch = 5, r.eval_every = 3, r.eval_windows = 4;
    const gpt_text train = {tokens, 3000}, val = {tokens + 3000, 1000};
    steps_seen seen[2];
    for (int halves = 0; halves < 2; halves++) {
        const gpt_hooks hooks = {on_step, NULL, &seen[halves]};
        cr_assert(!isnan(gpt_train(&r, train, val, 5, &hooks, NULL, halves)));
    }
    assert_same_steps(seen);
}

/* ---- Chapter 07's VAE ---------------------------------------------------- */

static void on_vae_epoch(size_t epoch, float train_nelbo, float test_nelbo, double seconds,
                         const float *params, void *ctx)
{
    (void)test_nelbo, (void)seconds, (void)params;
    steps_seen *s = ctx;
    s->loss[epoch - 1] = train_nelbo, s->norm[epoch - 1] = test_nelbo;
}

/* Three epochs of 5 random images, with and without halves: each epoch's
 * training loss and test loss agree. In batches of 5 (halves of 3 and 2),
 * the first training loss comes before any step: exact; in batches of 3
 * and 2 (halves of 2 and 1, 1 and 1), a short last batch. A half's
 * gradient left out or not zeroed, its terms left out, or its noise taken
 * from the first half's rows, fail it. */
Test(recipes, vae_halves_take_the_whole_batch_step, .timeout = 30)
{
    enum { N = 5, D = 16 };
    static float pixels[2 * N * D];
    dk_rng rng;
    dk_rng_seed(&rng, 13);
    for (size_t i = 0; i < 2 * N * D; i++)
        pixels[i] = dk_rng_range(&rng, 0, 1);
    const dk_dataset train = {.n = N, .dim = D, .x = pixels},
                     test = {.n = N, .dim = D, .x = pixels + N * D};
    vae_recipe r = VAE_RECIPE_SHORT;
    r.cfg = (vae_config){D, 8, 2}, r.epochs = 3, r.lr = 0.05f, r.subset = 0;
    for (r.batch = N; r.batch >= 3; r.batch -= 2) {
        steps_seen seen[2];
        for (int halves = 0; halves < 2; halves++) {
            const vae_hooks hooks = {on_vae_epoch, &seen[halves]};
            cr_assert(!isnan(vae_train(&r, &train, &test, 5, &hooks, NULL, halves)));
        }
        const bool one_batch = r.batch == N;
        assert_same_figures(seen[0].loss, seen[1].loss, one_batch, "training -ELBO");
        assert_same_figures(seen[0].norm, seen[1].norm, 0, "test -ELBO");
    }
}
