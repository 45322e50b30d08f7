/* Chapter 07's VAE recipe (see vae_recipe.h). */
#include "vae_recipe.h"

#include "blas.h"
#include "parallel.h"
#include "timer.h"
#include "training.h"
#include "workspace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const vae_recipe VAE_RECIPE = {.cfg = {0, 400, 20}, .epochs = 40, .batch = 128, .lr = 1e-3f};
const vae_recipe VAE_RECIPE_2D = {.cfg = {0, 400, 2}, .epochs = 25, .batch = 128, .lr = 1e-3f};
const vae_recipe VAE_RECIPE_SHORT = {.cfg = {0, 200, 10}, .epochs = 3, .batch = 64,
                                     .lr = 1e-3f, .subset = 2000};

enum { EVAL_BATCH = 500 };
static const uint64_t EVAL_SEED = 424242; /* the test set's noise, for every model */

void dense_init(float *W, float *b, size_t in, size_t out, dk_rng *rng)
{
    const float k = 1.0f / sqrtf((float)in);
    for (size_t i = 0; i < out * in; i++)
        W[i] = dk_rng_range(rng, -k, k);
    for (size_t i = 0; i < out; i++)
        b[i] = dk_rng_range(rng, -k, k);
}

void vae_init(const vae_config *c, float *p, dk_rng *rng)
{
    const vae_layout l = vae_layout_of(c);
    dense_init(p + l.W1, p + l.b1, c->D, c->H, rng);
    dense_init(p + l.Wmu, p + l.bmu, c->H, c->Z, rng);
    dense_init(p + l.Wlv, p + l.blv, c->H, c->Z, rng);
    dense_init(p + l.W3, p + l.b3, c->Z, c->H, rng);
    dense_init(p + l.W4, p + l.b4, c->H, c->D, rng);
}

/* The buffers handed to your functions on every batch (in the memory the
 * grader shares with your code's process); with halves, the second half's
 * activations, terms and gradients apart (acts2, terms2, grads2). */
typedef struct run {
    const vae_config *c;
    size_t B, n;
    float *params, *grads, *m, *v, *X, *eps, *acts, *terms, *acts2, *terms2, *grads2;
} run;

static bool run_open(run *r, const vae_config *c, size_t B, bool halves)
{
    *r = (run){.c = c, .B = B, .n = vae_layout_of(c).n};
    r->params = dk_workspace_alloc(r->n, sizeof(float));
    r->grads = dk_workspace_alloc(r->n, sizeof(float));
    r->m = dk_workspace_alloc(r->n, sizeof(float));
    r->v = dk_workspace_alloc(r->n, sizeof(float));
    r->X = dk_workspace_alloc(B * c->D, sizeof(float));
    r->eps = dk_workspace_alloc(B * c->Z, sizeof(float));
    r->acts = dk_workspace_alloc(vae_acts_of(c, B).n, sizeof(float));
    r->terms = dk_workspace_alloc(2, sizeof(float));
    if (halves) {
        r->acts2 = dk_workspace_alloc(vae_acts_of(c, (B + 1) / 2).n, sizeof(float));
        r->terms2 = dk_workspace_alloc(2, sizeof(float));
        r->grads2 = dk_workspace_alloc(r->n, sizeof(float));
    }
    return r->params && r->grads && r->m && r->v && r->X && r->eps && r->acts && r->terms &&
           (!halves || (r->acts2 && r->terms2 && r->grads2));
}

static void run_close(run *r)
{
    dk_workspace_free(r->params), dk_workspace_free(r->grads), dk_workspace_free(r->m);
    dk_workspace_free(r->v), dk_workspace_free(r->X), dk_workspace_free(r->eps);
    dk_workspace_free(r->acts), dk_workspace_free(r->terms), dk_workspace_free(r->acts2);
    dk_workspace_free(r->terms2), dk_workspace_free(r->grads2);
}

float vae_evaluate(const vae_config *cfg, const float *params, const float *X, size_t n,
                   vae_forward_fn *forward, float *terms)
{
    const size_t D = cfg->D, Z = cfg->Z;
    float *eps = malloc(EVAL_BATCH * Z * sizeof *eps);
    float *acts = malloc(vae_acts_of(cfg, EVAL_BATCH).n * sizeof *acts), t[2];
    if (!eps || !acts) {
        free(eps), free(acts);
        return NAN;
    }
    dk_rng rng;
    dk_rng_seed(&rng, EVAL_SEED);
    double sum[2] = {0, 0};
    for (size_t at = 0; at < n; at += EVAL_BATCH) {
        const size_t B = n - at < EVAL_BATCH ? n - at : EVAL_BATCH;
        for (size_t i = 0; i < B * Z; i++)
            eps[i] = dk_rng_normal(&rng);
        forward(cfg, params, X + at * D, B, eps, acts, t);
        sum[0] += t[0], sum[1] += t[1];
    }
    free(eps), free(acts);
    if (terms)
        terms[0] = (float)(sum[0] / (double)n), terms[1] = (float)(sum[1] / (double)n);
    return (float)((sum[0] + sum[1]) / (double)n);
}

/* Images [b0, b0 + B) of a batch: their forward into acts and terms, or
 * their backward into grads. */
typedef struct half {
    const run *r;
    size_t b0, B;
    float *acts, *terms, *grads;
    bool backward;
} half;

static void run_half(void *arg)
{
    const half *h = arg;
    const run *r = h->r;
    const float *X = r->X + h->b0 * r->c->D, *eps = r->eps + h->b0 * r->c->Z;
    if (h->backward)
        vae_backward(r->c, r->params, X, h->B, eps, h->acts, h->grads);
    else
        vae_forward(r->c, r->params, X, h->B, eps, h->acts, h->terms);
}

static void run_halves(half h[2], bool backward)
{
    h[0].backward = h[1].backward = backward;
    dk_run_both(run_half, &h[0], h[1].B ? &h[1] : NULL);
}

/* The batch's negative ELBO, its gradient in grads. With halves, each
 * half's forward and backward on a thread of its own (the terms are sums
 * over the images): the same step, the sums in another order. */
static float batch_nelbo(run *r, size_t B)
{
    const size_t B0 = r->acts2 ? (B + 1) / 2 : B;
    half h[2] = {{r, 0, B0, r->acts, r->terms, r->grads, false},
                 {r, B0, B - B0, r->acts2, r->terms2, r->grads2, false}};
    run_halves(h, false);
    double nelbo = (double)r->terms[0] + r->terms[1];
    if (h[1].B)
        nelbo += (double)r->terms2[0] + r->terms2[1];
    memset(r->grads, 0, r->n * sizeof *r->grads);
    if (h[1].B)
        memset(r->grads2, 0, r->n * sizeof *r->grads2);
    run_halves(h, true);
    for (size_t i = 0; h[1].B && i < r->n; i++)
        r->grads[i] += r->grads2[i];
    return (float)nelbo;
}

/* Adam on parameters [from, from + n): element by element, so with halves
 * each half of the parameters goes on a thread of its own, the same
 * numbers. */
typedef struct adam_part {
    const run *r;
    size_t from, n, step;
    float lr;
} adam_part;

static void adam_part_step(void *arg)
{
    const adam_part *a = arg;
    const run *r = a->r;
    adam_step(r->params + a->from, r->grads + a->from, r->m + a->from, r->v + a->from, a->n,
              a->step, a->lr, 0.9f, 0.999f, 1e-8f, 0.0f, false);
}

static void adam_halves(const run *r, size_t step, float lr)
{
    const size_t n0 = r->acts2 ? r->n / 2 : r->n;
    adam_part a[2] = {{r, 0, n0, step, lr}, {r, n0, r->n - n0, step, lr}};
    dk_run_both(adam_part_step, &a[0], a[1].n ? &a[1] : NULL);
}

/* One epoch in a fresh order; the mean negative ELBO per image. */
static float train_epoch(run *r, const vae_recipe *rc, const float *X, size_t n, size_t *step,
                         size_t *order, dk_rng *rng)
{
    const vae_config *c = &rc->cfg;
    dk_rng_permutation(rng, order, n);
    double sum = 0;
    for (size_t at = 0; at < n; at += r->B) {
        const size_t B = n - at < r->B ? n - at : r->B;
        for (size_t b = 0; b < B; b++)
            memcpy(r->X + b * c->D, X + order[at + b] * c->D, c->D * sizeof *r->X);
        for (size_t i = 0; i < B * c->Z; i++)
            r->eps[i] = dk_rng_normal(rng);
        sum += batch_nelbo(r, B);
        adam_halves(r, ++*step, rc->lr);
    }
    return (float)(sum / (double)n);
}

float vae_train(const vae_recipe *rc, const dk_dataset *train, const dk_dataset *test,
                uint64_t seed, const vae_hooks *hooks, float **params_out, bool halves)
{
    const size_t n = rc->subset && rc->subset < train->n ? rc->subset : train->n;
    run r;
    size_t *order = malloc(n * sizeof *order);
    if (!run_open(&r, &rc->cfg, rc->batch, halves) || !order) {
        run_close(&r), free(order);
        return NAN;
    }
    dk_rng rng;
    dk_rng_seed(&rng, seed);
    vae_init(&rc->cfg, r.params, &rng);
    const double start = dk_seconds();
    size_t step = 0;
    float test_nelbo = NAN;
    for (size_t epoch = 1; epoch <= rc->epochs; epoch++) {
        /* each half's products on its own thread, none shared; the test
         * pass, whole, on them all */
        const int blas_threads = halves ? dk_blas_set_threads(1) : 0;
        const float train_nelbo = train_epoch(&r, rc, train->x, n, &step, order, &rng);
        if (halves)
            dk_blas_set_threads(blas_threads);
        if (!hooks && epoch < rc->epochs)
            continue;
        test_nelbo = vae_evaluate(&rc->cfg, r.params, test->x, test->n, vae_forward, NULL);
        if (hooks && hooks->on_epoch)
            hooks->on_epoch(epoch, train_nelbo, test_nelbo, dk_seconds() - start, r.params,
                            hooks->ctx);
    }
    if (params_out && (*params_out = malloc(r.n * sizeof **params_out)))
        memcpy(*params_out, r.params, r.n * sizeof **params_out);
    run_close(&r), free(order);
    return test_nelbo;
}
